//! Pure byte transforms between wire encodings and text values.
//!
//! Every function here works on one field's bytes; lengths and prefixes are
//! handled in `field.rs`. Nothing allocates except the output buffer it is given.

use serde::{Deserialize, Serialize};

/// How a field's data (or an MTI) is laid out on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// One ASCII byte per character (bytes 0x00-0x7F only).
    Ascii,
    /// One EBCDIC (code page 037) byte per character.
    Ebcdic,
    /// Packed BCD, two digits per byte.
    Bcd,
    /// Raw bytes, shown as uppercase hex.
    Binary,
    /// Binary data carried as ASCII hex characters (two per byte).
    Hex,
    /// A sign character (`C`/`D`) in ASCII followed by packed BCD digits (jPOS IFB_AMOUNT).
    #[serde(rename = "sign+bcd")]
    SignBcd,
}

/// Where the data sits when packed BCD has an odd number of digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Right-aligned: the pad nibble is the first (high) nibble.
    #[default]
    Right,
    /// Left-aligned: the pad nibble is the last (low) nibble.
    Left,
}

impl Encoding {
    /// Name as written in spec files.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Ascii => "ascii",
            Encoding::Ebcdic => "ebcdic",
            Encoding::Bcd => "bcd",
            Encoding::Binary => "binary",
            Encoding::Hex => "hex",
            Encoding::SignBcd => "sign+bcd",
        }
    }

    /// Wire bytes taken by `units` units (digits for BCD, characters for text, bytes for binary).
    pub fn wire_len(self, units: usize) -> usize {
        match self {
            Encoding::Ascii | Encoding::Ebcdic | Encoding::Binary => units,
            Encoding::Bcd => units.div_ceil(2),
            Encoding::Hex => units * 2,
            Encoding::SignBcd => {
                if units == 0 {
                    0
                } else {
                    1 + (units - 1).div_ceil(2)
                }
            }
        }
    }

    /// Units carried by `wire` bytes when a length prefix counts bytes; `None` if impossible.
    pub fn units_in_wire(self, wire: usize) -> Option<usize> {
        match self {
            Encoding::Ascii | Encoding::Ebcdic | Encoding::Binary => Some(wire),
            Encoding::Bcd => Some(wire * 2),
            Encoding::Hex => wire.is_multiple_of(2).then_some(wire / 2),
            Encoding::SignBcd => Some(if wire == 0 { 0 } else { 1 + (wire - 1) * 2 }),
        }
    }

    /// True when the value is shown as hex (binary data).
    pub fn is_binary(self) -> bool {
        matches!(self, Encoding::Binary | Encoding::Hex)
    }
}

/// A problem converting bytes to a value, relative to the field's data start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueError {
    /// A byte that is not valid for the encoding, at `pos` within the data.
    BadByte {
        pos: usize,
        byte: u8,
        expected: &'static str,
    },
    /// A BCD pad nibble that is neither 0 nor F.
    BadPad { pos: usize, nibble: u8 },
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Options of a BCD field that change how nibbles are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BcdOpts {
    /// Odd-digit alignment.
    pub align: Align,
    /// Pad nibble written on encode (0x0 or 0xF); either is accepted on decode.
    pub pad: u8,
    /// Track data: nibble D is the field separator `=`.
    pub track: bool,
}

/// Decode `data` (exactly `encoding.wire_len(units)` bytes) into `out`.
/// `data`, already checked to be ASCII, as text without checking it again (the second pass
/// of `from_utf8` cost 7 % of a whole-log decode).
fn ascii_str(data: &[u8]) -> &str {
    debug_assert!(data.is_ascii());
    // SAFETY: every caller has checked that all bytes are ASCII (below 0x80), and ASCII is
    // valid UTF-8.
    unsafe { std::str::from_utf8_unchecked(data) }
}

/// Returns the pad nibble seen when it differs from `opts.pad`.
pub fn decode_value(
    encoding: Encoding,
    data: &[u8],
    units: usize,
    opts: BcdOpts,
    out: &mut String,
) -> Result<Option<u8>, ValueError> {
    match encoding {
        Encoding::Ascii => {
            // Checked a word at a time; the position is only looked for on failure.
            if !data.is_ascii()
                && let Some(pos) = data.iter().position(|b| !b.is_ascii())
            {
                return Err(ValueError::BadByte {
                    pos,
                    byte: data[pos],
                    expected: "an ASCII character (0x00-0x7F)",
                });
            }
            out.push_str(ascii_str(data));
            Ok(None)
        }
        Encoding::Ebcdic => {
            out.extend(data.iter().map(|&b| EBCDIC_037[b as usize]));
            Ok(None)
        }
        Encoding::Binary => {
            push_hex(data, out);
            Ok(None)
        }
        Encoding::Hex => {
            if let Some(pos) = data.iter().position(|b| !b.is_ascii_hexdigit()) {
                return Err(ValueError::BadByte {
                    pos,
                    byte: data[pos],
                    expected: "a hex character 0-9/A-F",
                });
            }
            out.push_str(ascii_str(data));
            Ok(None)
        }
        Encoding::Bcd => decode_bcd(data, units, opts, out),
        Encoding::SignBcd => {
            let Some((&sign, rest)) = data.split_first() else {
                return Ok(None);
            };
            if !sign.is_ascii_graphic() {
                return Err(ValueError::BadByte {
                    pos: 0,
                    byte: sign,
                    expected: "a sign character C or D",
                });
            }
            out.push(sign as char);
            let digits_opts = BcdOpts {
                align: Align::Right,
                ..opts
            };
            decode_bcd(rest, units.saturating_sub(1), digits_opts, out).map_err(|e| match e {
                ValueError::BadByte {
                    pos,
                    byte,
                    expected,
                } => ValueError::BadByte {
                    pos: pos + 1,
                    byte,
                    expected,
                },
                ValueError::BadPad { pos, nibble } => ValueError::BadPad {
                    pos: pos + 1,
                    nibble,
                },
            })
        }
    }
}

fn nibble_char(n: u8, track: bool) -> char {
    if track && n == 0xD {
        '='
    } else {
        HEX_UPPER[n as usize] as char
    }
}

fn decode_bcd(
    data: &[u8],
    digits: usize,
    opts: BcdOpts,
    out: &mut String,
) -> Result<Option<u8>, ValueError> {
    let total = data.len() * 2;
    let pad_count = total - digits.min(total);
    // Which nibble index holds padding (if any)?
    let skip_first = pad_count == 1 && opts.align == Align::Right;
    let skip_last = pad_count == 1 && opts.align == Align::Left;
    let mut odd_pad = None;
    out.reserve(digits);
    for (i, &b) in data.iter().enumerate() {
        for (half, n) in [(0usize, b >> 4), (1usize, b & 0x0F)] {
            let idx = i * 2 + half;
            let is_pad = (skip_first && idx == 0) || (skip_last && idx == total - 1);
            if is_pad {
                if n != 0 && n != 0xF {
                    return Err(ValueError::BadPad { pos: i, nibble: n });
                }
                if n != opts.pad {
                    odd_pad = Some(n);
                }
                continue;
            }
            out.push(nibble_char(n, opts.track));
        }
    }
    Ok(odd_pad)
}

/// Append uppercase hex of `data` to `out`.
pub fn push_hex(data: &[u8], out: &mut String) {
    out.reserve(data.len() * 2);
    for &b in data {
        out.push(HEX_UPPER[(b >> 4) as usize] as char);
        out.push(HEX_UPPER[(b & 0x0F) as usize] as char);
    }
}

/// Append uppercase hex of `data` to a byte buffer.
pub fn push_hex_bytes(data: &[u8], out: &mut Vec<u8>) {
    out.reserve(data.len() * 2);
    for &b in data {
        out.push(HEX_UPPER[(b >> 4) as usize]);
        out.push(HEX_UPPER[(b & 0x0F) as usize]);
    }
}

/// Uppercase hex string of `data`.
pub fn to_hex(data: &[u8]) -> String {
    let mut s = String::with_capacity(data.len() * 2);
    push_hex(data, &mut s);
    s
}

/// Parse a hex string (no separators) into bytes.
pub fn from_hex(s: &str) -> Result<Vec<u8>, usize> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return Err(b.len());
    }
    let mut out = Vec::with_capacity(b.len() / 2);
    for (i, pair) in b.chunks_exact(2).enumerate() {
        let hi = hex_val(pair[0]).ok_or(i * 2)?;
        let lo = hex_val(pair[1]).ok_or(i * 2 + 1)?;
        out.push(hi << 4 | lo);
    }
    Ok(out)
}

/// Value of one hex digit.
pub fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// A problem converting a value to bytes: which character and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeValueError {
    /// Character position in the value.
    pub pos: usize,
    /// What the encoding accepts.
    pub expected: &'static str,
}

/// Encode `value` (already checked to hold `units` units) onto `out`.
pub fn encode_value(
    encoding: Encoding,
    value: &str,
    opts: BcdOpts,
    pad_override: Option<u8>,
    out: &mut Vec<u8>,
) -> Result<(), EncodeValueError> {
    match encoding {
        Encoding::Ascii => {
            if let Some(pos) = value.bytes().position(|b| !b.is_ascii()) {
                return Err(EncodeValueError {
                    pos,
                    expected: "ASCII characters only",
                });
            }
            out.extend_from_slice(value.as_bytes());
        }
        Encoding::Ebcdic => {
            for (pos, c) in value.chars().enumerate() {
                let b = ebcdic_byte(c).ok_or(EncodeValueError {
                    pos,
                    expected: "characters of EBCDIC code page 037",
                })?;
                out.push(b);
            }
        }
        Encoding::Binary => {
            let bytes = from_hex(value).map_err(|pos| EncodeValueError {
                pos,
                expected: "an even number of hex digits",
            })?;
            out.extend_from_slice(&bytes);
        }
        Encoding::Hex => {
            if let Some(pos) = value.bytes().position(|b| !b.is_ascii_hexdigit()) {
                return Err(EncodeValueError {
                    pos,
                    expected: "hex digits",
                });
            }
            if !value.len().is_multiple_of(2) {
                return Err(EncodeValueError {
                    pos: value.len(),
                    expected: "an even number of hex digits",
                });
            }
            out.extend_from_slice(value.as_bytes());
        }
        Encoding::Bcd => encode_bcd(value.as_bytes(), opts, pad_override, 0, out)?,
        Encoding::SignBcd => {
            let b = value.as_bytes();
            let Some((&sign, digits)) = b.split_first() else {
                return Ok(());
            };
            if !sign.is_ascii_graphic() {
                return Err(EncodeValueError {
                    pos: 0,
                    expected: "a sign character C or D first",
                });
            }
            out.push(sign);
            encode_bcd(
                digits,
                BcdOpts {
                    align: Align::Right,
                    ..opts
                },
                pad_override,
                1,
                out,
            )?;
        }
    }
    Ok(())
}

fn encode_bcd(
    digits: &[u8],
    opts: BcdOpts,
    pad_override: Option<u8>,
    pos_base: usize,
    out: &mut Vec<u8>,
) -> Result<(), EncodeValueError> {
    let mut nibbles = Vec::with_capacity(digits.len() + 1);
    let pad = pad_override.unwrap_or(opts.pad);
    for (i, &c) in digits.iter().enumerate() {
        let n = match c {
            b'0'..=b'9' => c - b'0',
            b'=' if opts.track => 0xD,
            b'A'..=b'F' | b'a'..=b'f' => hex_val(c).unwrap_or(0),
            _ => {
                return Err(EncodeValueError {
                    pos: pos_base + i,
                    expected: if opts.track {
                        "digits, = or hex digits A-F"
                    } else {
                        "digits (or hex digits A-F)"
                    },
                });
            }
        };
        nibbles.push(n);
    }
    if nibbles.len() % 2 == 1 {
        match opts.align {
            Align::Right => nibbles.insert(0, pad),
            Align::Left => nibbles.push(pad),
        }
    }
    out.extend(nibbles.chunks_exact(2).map(|p| p[0] << 4 | p[1]));
    Ok(())
}

fn ebcdic_byte(c: char) -> Option<u8> {
    let code = c as u32;
    if code > 0xFF {
        return None;
    }
    EBCDIC_037.iter().position(|&x| x == c).map(|p| p as u8)
}

/// Read an unsigned decimal number from ASCII digits; `None` on any non-digit.
pub fn ascii_number(data: &[u8]) -> Option<usize> {
    let mut n = 0usize;
    for &b in data {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + (b - b'0') as usize;
    }
    Some(n)
}

/// Read an unsigned decimal number from packed BCD; `None` on a nibble above 9.
pub fn bcd_number(data: &[u8]) -> Option<usize> {
    let mut n = 0usize;
    for &b in data {
        let (hi, lo) = (b >> 4, b & 0x0F);
        if hi > 9 || lo > 9 {
            return None;
        }
        n = n * 100 + (hi as usize) * 10 + lo as usize;
    }
    Some(n)
}

/// Read an EBCDIC decimal number (digits are 0xF0-0xF9).
pub fn ebcdic_number(data: &[u8]) -> Option<usize> {
    let mut n = 0usize;
    for &b in data {
        if !(0xF0..=0xF9).contains(&b) {
            return None;
        }
        n = n * 10 + (b - 0xF0) as usize;
    }
    Some(n)
}

/// Read an unsigned big-endian binary number.
pub fn binary_number(data: &[u8]) -> usize {
    data.iter().fold(0usize, |n, &b| n << 8 | b as usize)
}

/// Map from EBCDIC code page 037 byte to character.
pub static EBCDIC_037: [char; 256] = [
    '\u{0000}', '\u{0001}', '\u{0002}', '\u{0003}', '\u{009c}', '\u{0009}', '\u{0086}', '\u{007f}',
    '\u{0097}', '\u{008d}', '\u{008e}', '\u{000b}', '\u{000c}', '\u{000d}', '\u{000e}', '\u{000f}',
    '\u{0010}', '\u{0011}', '\u{0012}', '\u{0013}', '\u{009d}', '\u{0085}', '\u{0008}', '\u{0087}',
    '\u{0018}', '\u{0019}', '\u{0092}', '\u{008f}', '\u{001c}', '\u{001d}', '\u{001e}', '\u{001f}',
    '\u{0080}', '\u{0081}', '\u{0082}', '\u{0083}', '\u{0084}', '\u{000a}', '\u{0017}', '\u{001b}',
    '\u{0088}', '\u{0089}', '\u{008a}', '\u{008b}', '\u{008c}', '\u{0005}', '\u{0006}', '\u{0007}',
    '\u{0090}', '\u{0091}', '\u{0016}', '\u{0093}', '\u{0094}', '\u{0095}', '\u{0096}', '\u{0004}',
    '\u{0098}', '\u{0099}', '\u{009a}', '\u{009b}', '\u{0014}', '\u{0015}', '\u{009e}', '\u{001a}',
    '\u{0020}', '\u{00a0}', '\u{00e2}', '\u{00e4}', '\u{00e0}', '\u{00e1}', '\u{00e3}', '\u{00e5}',
    '\u{00e7}', '\u{00f1}', '\u{00a2}', '\u{002e}', '\u{003c}', '\u{0028}', '\u{002b}', '\u{007c}',
    '\u{0026}', '\u{00e9}', '\u{00ea}', '\u{00eb}', '\u{00e8}', '\u{00ed}', '\u{00ee}', '\u{00ef}',
    '\u{00ec}', '\u{00df}', '\u{0021}', '\u{0024}', '\u{002a}', '\u{0029}', '\u{003b}', '\u{00ac}',
    '\u{002d}', '\u{002f}', '\u{00c2}', '\u{00c4}', '\u{00c0}', '\u{00c1}', '\u{00c3}', '\u{00c5}',
    '\u{00c7}', '\u{00d1}', '\u{00a6}', '\u{002c}', '\u{0025}', '\u{005f}', '\u{003e}', '\u{003f}',
    '\u{00f8}', '\u{00c9}', '\u{00ca}', '\u{00cb}', '\u{00c8}', '\u{00cd}', '\u{00ce}', '\u{00cf}',
    '\u{00cc}', '\u{0060}', '\u{003a}', '\u{0023}', '\u{0040}', '\u{0027}', '\u{003d}', '\u{0022}',
    '\u{00d8}', '\u{0061}', '\u{0062}', '\u{0063}', '\u{0064}', '\u{0065}', '\u{0066}', '\u{0067}',
    '\u{0068}', '\u{0069}', '\u{00ab}', '\u{00bb}', '\u{00f0}', '\u{00fd}', '\u{00fe}', '\u{00b1}',
    '\u{00b0}', '\u{006a}', '\u{006b}', '\u{006c}', '\u{006d}', '\u{006e}', '\u{006f}', '\u{0070}',
    '\u{0071}', '\u{0072}', '\u{00aa}', '\u{00ba}', '\u{00e6}', '\u{00b8}', '\u{00c6}', '\u{00a4}',
    '\u{00b5}', '\u{007e}', '\u{0073}', '\u{0074}', '\u{0075}', '\u{0076}', '\u{0077}', '\u{0078}',
    '\u{0079}', '\u{007a}', '\u{00a1}', '\u{00bf}', '\u{00d0}', '\u{00dd}', '\u{00de}', '\u{00ae}',
    '\u{005e}', '\u{00a3}', '\u{00a5}', '\u{00b7}', '\u{00a9}', '\u{00a7}', '\u{00b6}', '\u{00bc}',
    '\u{00bd}', '\u{00be}', '\u{005b}', '\u{005d}', '\u{00af}', '\u{00a8}', '\u{00b4}', '\u{00d7}',
    '\u{007b}', '\u{0041}', '\u{0042}', '\u{0043}', '\u{0044}', '\u{0045}', '\u{0046}', '\u{0047}',
    '\u{0048}', '\u{0049}', '\u{00ad}', '\u{00f4}', '\u{00f6}', '\u{00f2}', '\u{00f3}', '\u{00f5}',
    '\u{007d}', '\u{004a}', '\u{004b}', '\u{004c}', '\u{004d}', '\u{004e}', '\u{004f}', '\u{0050}',
    '\u{0051}', '\u{0052}', '\u{00b9}', '\u{00fb}', '\u{00fc}', '\u{00f9}', '\u{00fa}', '\u{00ff}',
    '\u{005c}', '\u{00f7}', '\u{0053}', '\u{0054}', '\u{0055}', '\u{0056}', '\u{0057}', '\u{0058}',
    '\u{0059}', '\u{005a}', '\u{00b2}', '\u{00d4}', '\u{00d6}', '\u{00d2}', '\u{00d3}', '\u{00d5}',
    '\u{0030}', '\u{0031}', '\u{0032}', '\u{0033}', '\u{0034}', '\u{0035}', '\u{0036}', '\u{0037}',
    '\u{0038}', '\u{0039}', '\u{00b3}', '\u{00db}', '\u{00dc}', '\u{00d9}', '\u{00da}', '\u{009f}',
];

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(enc: Encoding, data: &[u8], units: usize, opts: BcdOpts) -> String {
        let mut s = String::new();
        decode_value(enc, data, units, opts, &mut s).unwrap();
        s
    }

    #[test]
    fn bcd_odd_right_aligned_drops_leading_pad() {
        assert_eq!(
            dec(Encoding::Bcd, &[0x00, 0x01], 3, BcdOpts::default()),
            "001"
        );
        assert_eq!(
            dec(Encoding::Bcd, &[0x01, 0x23], 3, BcdOpts::default()),
            "123"
        );
    }

    #[test]
    fn bcd_odd_left_aligned_drops_trailing_pad() {
        let left = BcdOpts {
            align: Align::Left,
            ..Default::default()
        };
        assert_eq!(dec(Encoding::Bcd, &[0x05, 0x10], 3, left), "051");
        let mut s = String::new();
        // F pad is accepted and reported.
        assert_eq!(
            decode_value(Encoding::Bcd, &[0x05, 0x1F], 3, left, &mut s),
            Ok(Some(0xF))
        );
        assert_eq!(s, "051");
    }

    #[test]
    fn bcd_bad_pad_nibble_is_an_error() {
        let mut s = String::new();
        let r = decode_value(Encoding::Bcd, &[0x51, 0x23], 3, BcdOpts::default(), &mut s);
        assert_eq!(r, Err(ValueError::BadPad { pos: 0, nibble: 5 }));
    }

    #[test]
    fn bcd_track_separator_round_trips() {
        let t = BcdOpts {
            align: Align::Left,
            pad: 0,
            track: true,
        };
        let v = dec(Encoding::Bcd, &[0x62, 0x12, 0xD2, 0x81, 0x20], 9, t);
        assert_eq!(v, "6212=2812");
        let mut out = Vec::new();
        encode_value(Encoding::Bcd, &v, t, None, &mut out).unwrap();
        assert_eq!(out, vec![0x62, 0x12, 0xD2, 0x81, 0x20]);
    }

    #[test]
    fn bcd_encode_pads_per_alignment() {
        let mut out = Vec::new();
        encode_value(
            Encoding::Bcd,
            "051",
            BcdOpts {
                align: Align::Left,
                ..Default::default()
            },
            None,
            &mut out,
        )
        .unwrap();
        assert_eq!(out, vec![0x05, 0x10]);
        out.clear();
        encode_value(
            Encoding::Bcd,
            "001",
            BcdOpts {
                pad: 0xF,
                ..Default::default()
            },
            None,
            &mut out,
        )
        .unwrap();
        assert_eq!(out, vec![0xF0, 0x01]);
    }

    #[test]
    fn bcd_rejects_letters_on_encode() {
        let mut out = Vec::new();
        let e =
            encode_value(Encoding::Bcd, "12X4", BcdOpts::default(), None, &mut out).unwrap_err();
        assert_eq!(e.pos, 2);
    }

    #[test]
    fn ascii_rejects_high_bytes() {
        let mut s = String::new();
        let r = decode_value(Encoding::Ascii, b"AB\xC4", 3, BcdOpts::default(), &mut s);
        assert!(matches!(
            r,
            Err(ValueError::BadByte {
                pos: 2,
                byte: 0xC4,
                ..
            })
        ));
    }

    #[test]
    fn ebcdic_round_trips_every_byte() {
        let all: Vec<u8> = (0..=255).collect();
        let v = dec(Encoding::Ebcdic, &all, 256, BcdOpts::default());
        let mut out = Vec::new();
        encode_value(Encoding::Ebcdic, &v, BcdOpts::default(), None, &mut out).unwrap();
        assert_eq!(out, all);
        assert_eq!(
            dec(Encoding::Ebcdic, &[0xC1, 0xF1, 0x40], 3, BcdOpts::default()),
            "A1 "
        );
    }

    #[test]
    fn binary_and_hex_forms() {
        assert_eq!(
            dec(Encoding::Binary, &[0xDE, 0xAD], 2, BcdOpts::default()),
            "DEAD"
        );
        assert_eq!(dec(Encoding::Hex, b"dEaD", 2, BcdOpts::default()), "dEaD");
        let mut s = String::new();
        assert!(decode_value(Encoding::Hex, b"DEAG", 2, BcdOpts::default(), &mut s).is_err());
    }

    #[test]
    fn sign_bcd_amount() {
        assert_eq!(
            dec(
                Encoding::SignBcd,
                &[b'C', 0x00, 0x00, 0x12, 0x34],
                9,
                BcdOpts::default()
            ),
            "C00001234"
        );
        assert_eq!(Encoding::SignBcd.wire_len(9), 5);
        assert_eq!(Encoding::SignBcd.wire_len(17), 9);
    }

    #[test]
    fn numbers_in_each_prefix_encoding() {
        assert_eq!(ascii_number(b"019"), Some(19));
        assert_eq!(ascii_number(b"0A9"), None);
        assert_eq!(bcd_number(&[0x01, 0x45]), Some(145));
        assert_eq!(bcd_number(&[0x1A]), None);
        assert_eq!(ebcdic_number(&[0xF1, 0xF9]), Some(19));
        assert_eq!(binary_number(&[0x01, 0x0C]), 268);
    }
}
