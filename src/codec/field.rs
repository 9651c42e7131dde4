//! One generic unpack/pack for every field: length prefix, then encoding (with padding).
//! Special layouts are expressed by swapping the parts in the spec, never by `if`s here.

use super::cursor::{Cursor, Short};
use super::encoding::{
    Encoding, ValueError, ascii_number, bcd_number, binary_number, decode_value, ebcdic_number,
    encode_value, hex_val,
};
use super::error::{DecodeError, EncodeError, ErrorKind};
use super::spec::{Counts, FieldDef, LengthDef, PrefixEncoding};

fn short(offset: usize, field: &FieldDef, s: Short) -> DecodeError {
    DecodeError::new(
        offset,
        Some(field.id_str.clone()),
        ErrorKind::Truncated {
            needed: s.needed,
            available: s.available,
        },
    )
}

fn read_prefix(enc: PrefixEncoding, b: &[u8]) -> Option<usize> {
    match enc {
        PrefixEncoding::Ascii => ascii_number(b),
        PrefixEncoding::Ebcdic => ebcdic_number(b),
        PrefixEncoding::Bcd => bcd_number(b),
        PrefixEncoding::Binary => Some(binary_number(b)),
        PrefixEncoding::Hex => b
            .iter()
            .try_fold(0usize, |n, &c| hex_val(c).map(|v| n * 16 + v as usize)),
    }
}

/// Decode one field at the cursor, appending its value to `out`.
/// Returns the pad nibble when it differs from the spec's (kept for exact re-encoding).
pub fn unpack(
    def: &FieldDef,
    cur: &mut Cursor<'_>,
    out: &mut String,
) -> Result<Option<u8>, DecodeError> {
    let start = cur.offset();
    let (units, wire) = match def.length {
        LengthDef::Fixed(n) => (n, def.enc.wire_len(n)),
        LengthDef::Var {
            prefix,
            digits,
            max,
            counts,
        } => {
            let pb = cur
                .take(prefix.wire_len(digits))
                .map_err(|s| short(start, def, s))?;
            let n = read_prefix(prefix, pb).ok_or_else(|| {
                DecodeError::new(
                    start,
                    Some(def.id_str.clone()),
                    ErrorKind::BadLengthPrefix {
                        encoding: prefix.name(),
                    },
                )
            })?;
            let (units, wire) = match counts {
                Counts::Units => (n, def.enc.wire_len(n)),
                Counts::Bytes => {
                    let units = def.enc.units_in_wire(n).ok_or_else(|| {
                        DecodeError::new(
                            start,
                            Some(def.id_str.clone()),
                            ErrorKind::BadWireLength { len: n },
                        )
                    })?;
                    (units, n)
                }
            };
            if units > max {
                return Err(DecodeError::new(
                    start,
                    Some(def.id_str.clone()),
                    ErrorKind::TooLong {
                        len: units,
                        max,
                        unit: def.unit(),
                    },
                ));
            }
            (units, wire)
        }
    };
    let data_start = cur.offset();
    let data = cur.take(wire).map_err(|s| short(data_start, def, s))?;
    decode_value(def.enc, data, units, def.bcd, out).map_err(|e| match e {
        ValueError::BadByte {
            pos,
            byte,
            expected,
        } => DecodeError::new(
            data_start + pos,
            Some(def.id_str.clone()),
            ErrorKind::BadByte { byte, expected },
        ),
        ValueError::BadPad { pos, nibble } => DecodeError::new(
            data_start + pos,
            Some(def.id_str.clone()),
            ErrorKind::BadPad { nibble },
        ),
    })
}

/// Units a value holds in `enc` (digits, characters or bytes); `None` for odd hex.
pub fn value_units(enc: Encoding, value: &str) -> Option<usize> {
    match enc {
        Encoding::Ascii => Some(value.len()),
        Encoding::Ebcdic | Encoding::Bcd | Encoding::SignBcd => Some(value.chars().count()),
        Encoding::Binary | Encoding::Hex => {
            value.len().is_multiple_of(2).then_some(value.len() / 2)
        }
    }
}

fn write_prefix(enc: PrefixEncoding, digits: u8, n: usize, out: &mut Vec<u8>) {
    match enc {
        PrefixEncoding::Ascii => {
            out.extend_from_slice(format!("{n:0width$}", width = digits as usize).as_bytes())
        }
        PrefixEncoding::Ebcdic => out.extend(
            format!("{n:0width$}", width = digits as usize)
                .bytes()
                .map(|d| d - b'0' + 0xF0),
        ),
        PrefixEncoding::Hex => {
            out.extend_from_slice(format!("{n:0width$X}", width = digits as usize).as_bytes())
        }
        PrefixEncoding::Bcd => {
            let w = enc.wire_len(digits);
            let s = format!("{n:0width$}", width = w * 2);
            out.extend(
                s.as_bytes()
                    .chunks_exact(2)
                    .map(|p| ((p[0] - b'0') << 4) | (p[1] - b'0')),
            );
        }
        PrefixEncoding::Binary => {
            let w = enc.wire_len(digits);
            out.extend_from_slice(&n.to_be_bytes()[std::mem::size_of::<usize>() - w..]);
        }
    }
}

/// Encode `value` as field `def` (prefix and data) onto `out`.
pub fn pack(
    def: &FieldDef,
    value: &str,
    pad: Option<u8>,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let err = |problem: String| EncodeError {
        field: def.id_str.clone(),
        problem,
    };
    let units = value_units(def.enc, value).ok_or_else(|| {
        err(format!(
            "{} hex digits: binary values need an even number",
            value.len()
        ))
    })?;
    match def.length {
        LengthDef::Fixed(n) => {
            if units != n {
                return Err(err(format!(
                    "value has {units} {unit}, the field is fixed at {n} {unit} ({})",
                    def.layout(),
                    unit = def.unit()
                )));
            }
        }
        LengthDef::Var {
            prefix,
            digits,
            max,
            counts,
        } => {
            if units > max {
                return Err(err(format!(
                    "value has {units} {unit}, more than the maximum {max} ({})",
                    def.layout(),
                    unit = def.unit()
                )));
            }
            let n = match counts {
                Counts::Units => units,
                Counts::Bytes => def.enc.wire_len(units),
            };
            write_prefix(prefix, digits, n, out);
        }
    }
    encode_value(def.enc, value, def.bcd, pad, out).map_err(|e| {
        err(format!(
            "character {} is not valid: {} expects {} ({})",
            e.pos + 1,
            def.enc.name(),
            e.expected,
            def.layout()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encoding::{Align, BcdOpts};

    fn def(enc: Encoding, length: LengthDef) -> FieldDef {
        FieldDef {
            id: 2,
            id_str: "2".into(),
            name: "t".into(),
            class: "n".into(),
            enc,
            length,
            bcd: BcdOpts::default(),
            sensitive: None,
            values: Default::default(),
            subfields: None,
            part_paths: Vec::new(),
        }
    }

    fn var(prefix: PrefixEncoding, digits: u8, max: usize, counts: Counts) -> LengthDef {
        LengthDef::Var {
            prefix,
            digits,
            max,
            counts,
        }
    }

    fn roundtrip(d: &FieldDef, wire: &[u8], want: &str) {
        let mut c = Cursor::new(wire, 0);
        let mut s = String::new();
        let pad = unpack(d, &mut c, &mut s).unwrap();
        assert_eq!(s, want);
        assert_eq!(c.remaining(), 0);
        let mut out = Vec::new();
        pack(d, &s, pad, &mut out).unwrap();
        assert_eq!(out, wire);
    }

    #[test]
    fn every_prefix_encoding_round_trips() {
        roundtrip(
            &def(
                Encoding::Ascii,
                var(PrefixEncoding::Ascii, 2, 19, Counts::Units),
            ),
            b"05ABCDE",
            "ABCDE",
        );
        roundtrip(
            &def(
                Encoding::Ascii,
                var(PrefixEncoding::Ascii, 3, 999, Counts::Units),
            ),
            b"003ABC",
            "ABC",
        );
        roundtrip(
            &def(
                Encoding::Ascii,
                var(PrefixEncoding::Ascii, 4, 9999, Counts::Units),
            ),
            b"0002AB",
            "AB",
        );
        roundtrip(
            &def(
                Encoding::Ascii,
                var(PrefixEncoding::Bcd, 2, 99, Counts::Units),
            ),
            b"\x03ABC",
            "ABC",
        );
        roundtrip(
            &def(
                Encoding::Ascii,
                var(PrefixEncoding::Bcd, 3, 999, Counts::Units),
            ),
            b"\x00\x00",
            "",
        );
        roundtrip(
            &def(
                Encoding::Binary,
                var(PrefixEncoding::Binary, 2, 255, Counts::Units),
            ),
            b"\x02\xAB\xCD",
            "ABCD",
        );
        roundtrip(
            &def(
                Encoding::Ascii,
                var(PrefixEncoding::Ebcdic, 2, 99, Counts::Units),
            ),
            b"\xF0\xF1Z",
            "Z",
        );
        roundtrip(
            &def(
                Encoding::Ascii,
                var(PrefixEncoding::Hex, 1, 15, Counts::Units),
            ),
            b"AHELLOWORLD",
            "HELLOWORLD",
        );
    }

    #[test]
    fn bcd_prefix_counts_digits_or_bytes() {
        let mut d = def(
            Encoding::Bcd,
            var(PrefixEncoding::Bcd, 2, 19, Counts::Units),
        );
        d.bcd.align = Align::Left;
        // 19 digits, left-aligned: trailing pad nibble not counted.
        roundtrip(
            &d,
            &[
                0x19, 0x62, 0x17, 0x97, 0x39, 0x10, 0x00, 0x07, 0x25, 0x09, 0x00,
            ],
            "6217973910000725090",
        );
        let bytes = def(
            Encoding::Bcd,
            var(PrefixEncoding::Bcd, 2, 20, Counts::Bytes),
        );
        roundtrip(&bytes, &[0x02, 0x12, 0x34], "1234");
        let hex_chars = def(
            Encoding::Hex,
            var(PrefixEncoding::Ascii, 3, 255, Counts::Bytes),
        );
        roundtrip(&hex_chars, b"004ABCD", "ABCD");
    }

    #[test]
    fn bad_prefix_truncation_and_overlong_are_errors_with_offsets() {
        let d = def(
            Encoding::Ascii,
            var(PrefixEncoding::Ascii, 2, 19, Counts::Units),
        );
        let mut s = String::new();
        let e = unpack(&d, &mut Cursor::new(b"1X", 40), &mut s).unwrap_err();
        assert_eq!(
            (e.offset, e.kind.clone()),
            (40, ErrorKind::BadLengthPrefix { encoding: "ascii" })
        );
        let e = unpack(&d, &mut Cursor::new(b"20AAAA", 40), &mut s).unwrap_err();
        assert!(matches!(
            e.kind,
            ErrorKind::TooLong {
                len: 20,
                max: 19,
                ..
            }
        ));
        let e = unpack(&d, &mut Cursor::new(b"05AB", 40), &mut s).unwrap_err();
        assert_eq!(
            (e.offset, e.kind),
            (
                42,
                ErrorKind::Truncated {
                    needed: 5,
                    available: 2
                }
            )
        );
        let e = unpack(&d, &mut Cursor::new(b"0", 40), &mut s).unwrap_err();
        assert_eq!(
            (e.offset, e.kind),
            (
                40,
                ErrorKind::Truncated {
                    needed: 2,
                    available: 1
                }
            )
        );
    }

    #[test]
    fn pack_rejects_values_that_do_not_fit() {
        let fixed = def(Encoding::Ascii, LengthDef::Fixed(12));
        let mut out = Vec::new();
        let e = pack(&fixed, "123", None, &mut out).unwrap_err();
        assert!(e.to_string().contains("fixed at 12 characters"), "{e}");
        let bcd = def(Encoding::Bcd, LengthDef::Fixed(6));
        let e = pack(&bcd, "12X456", None, &mut out).unwrap_err();
        assert!(e.to_string().contains("character 3"), "{e}");
        let bin = def(Encoding::Binary, LengthDef::Fixed(8));
        assert!(pack(&bin, "ABC", None, &mut out).is_err());
    }
}
