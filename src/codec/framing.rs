//! Transport framing around a message: length prefixes, TPDU, application header.
//! Detection tries each known layout and keeps the one whose length prefix agrees
//! with the data and whose body starts with a plausible MTI, and says which rule matched.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::encoding::{ascii_number, bcd_number, binary_number};

/// A length prefix in front of the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LengthPrefix {
    /// No length prefix.
    #[default]
    None,
    /// 2-byte big-endian binary length, not counting itself.
    Len2,
    /// 2-byte packed-BCD length (max 9999).
    Len2Bcd,
    /// 4 ASCII decimal digits.
    Len4Ascii,
}

impl LengthPrefix {
    /// Bytes the prefix takes on the wire.
    pub fn wire_len_pub(self) -> usize {
        self.wire_len()
    }

    pub(crate) fn wire_len(self) -> usize {
        match self {
            LengthPrefix::None => 0,
            LengthPrefix::Len2 | LengthPrefix::Len2Bcd => 2,
            LengthPrefix::Len4Ascii => 4,
        }
    }

    /// The length a prefix's bytes `b` (at least [`LengthPrefix::wire_len_pub`] of them) say;
    /// `None` when they are not a length of this kind.
    pub fn read(self, b: &[u8]) -> Option<usize> {
        match self {
            LengthPrefix::None => None,
            LengthPrefix::Len2 => Some(binary_number(b)),
            LengthPrefix::Len2Bcd => bcd_number(b),
            LengthPrefix::Len4Ascii => ascii_number(b),
        }
    }

    fn write(self, n: usize, out: &mut Vec<u8>) -> Result<(), String> {
        match self {
            LengthPrefix::None => {}
            LengthPrefix::Len2 => {
                let v = u16::try_from(n)
                    .map_err(|_| format!("{n} bytes do not fit a 2-byte length"))?;
                out.extend_from_slice(&v.to_be_bytes());
            }
            LengthPrefix::Len2Bcd => {
                if n > 9999 {
                    return Err(format!("{n} bytes do not fit a 2-byte BCD length"));
                }
                out.push((((n / 1000) << 4) | ((n / 100) % 10)) as u8);
                out.push(((((n / 10) % 10) << 4) | (n % 10)) as u8);
            }
            LengthPrefix::Len4Ascii => {
                if n > 9999 {
                    return Err(format!("{n} bytes do not fit a 4-digit length"));
                }
                out.extend_from_slice(format!("{n:04}").as_bytes());
            }
        }
        Ok(())
    }

    /// In words: `2-byte binary length` …
    pub fn describe(self) -> &'static str {
        match self {
            LengthPrefix::None => "no length prefix",
            LengthPrefix::Len2 => "2-byte binary length",
            LengthPrefix::Len2Bcd => "2-byte BCD length",
            LengthPrefix::Len4Ascii => "4-digit ASCII length",
        }
    }
}

/// The layout in front of the MTI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FramingSpec {
    /// Length prefix.
    #[serde(default)]
    pub length: LengthPrefix,
    /// A 5-byte TPDU follows the length.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tpdu: bool,
    /// Bytes of application header after the TPDU.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub header: usize,
    /// Named parts of the header, in nibbles, for display.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_parts: Vec<HeaderPartSpec>,
    /// Serial framing around everything: STX, optional 2-byte BCD length, payload, ETX, LRC.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stx: bool,
}

/// One named part of an application header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderPartSpec {
    /// Name (`Application category`).
    pub name: String,
    /// Width in nibbles (half bytes).
    pub nibbles: usize,
    /// Meanings of values (as hex digits).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub values: std::collections::BTreeMap<String, String>,
}

/// One header part as found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeaderPart {
    /// Name.
    pub name: String,
    /// Hex digits.
    pub value: String,
    /// Meaning, when the spec knows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<String>,
}

/// The TPDU's parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TpduParts {
    /// Byte 0 (`60` for transactions).
    pub id: String,
    /// Destination address (NII).
    pub destination: String,
    /// Source address.
    pub source: String,
}

/// The serial LRC check of an STX frame.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LrcCheck {
    /// LRC byte in the frame.
    pub value: String,
    /// XOR of the bytes after STX up to and including ETX.
    pub computed: String,
    /// Whether they agree.
    pub ok: bool,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Framing names accepted by `--framing`.
pub const FRAMING_NAMES: &[&str] = &[
    "none",
    "len2",
    "len2bcd",
    "len4ascii",
    "tpdu",
    "len2+tpdu",
    "tpdu+header6",
    "len2+tpdu+header6",
    "cup",
    "stx",
    "stx+len2bcd",
];

impl FramingSpec {
    /// [`FramingSpec::named`] with the one error message every `--framing` gives; `extra`
    /// lists the words the caller accepts besides the names (`auto`, `spec`).
    pub fn parse_name(name: &str, extra: &[&str]) -> Result<FramingSpec, String> {
        FramingSpec::named(name).ok_or_else(|| {
            let words: Vec<&str> = extra.iter().chain(FRAMING_NAMES).copied().collect();
            format!(
                "unknown framing {name:?}; use {}, or parts joined with + (len2|len2bcd|len4ascii, \
                 tpdu, headerN, stx)",
                words.join(", ")
            )
        })
    }

    /// The framing called `name` (see [`FRAMING_NAMES`]).
    pub fn named(name: &str) -> Option<FramingSpec> {
        // One vocabulary: every name `kind()` prints reads back, in any order of its parts
        // (`len2+tpdu+header6`, `stx+len2bcd`, `tpdu+header6`), plus the alias `cup`.
        // `jpos-header` is what decode calls the header of a jPOS-logged message: no bytes.
        let mut f = FramingSpec::default();
        let mut seen_length = false;
        for part in name.split('+') {
            match part {
                "none" | "jpos-header" if !name.contains('+') => {}
                "len2" | "len2bcd" | "len4ascii" if !seen_length => {
                    seen_length = true;
                    f.length = match part {
                        "len2" => LengthPrefix::Len2,
                        "len2bcd" => LengthPrefix::Len2Bcd,
                        _ => LengthPrefix::Len4Ascii,
                    };
                }
                "tpdu" if !f.tpdu => f.tpdu = true,
                "stx" if !f.stx => f.stx = true,
                "cup" if !name.contains('+') => {
                    f.length = LengthPrefix::Len2;
                    f.tpdu = true;
                    f.header = 6;
                }
                h if h.starts_with("header") && f.header == 0 => {
                    let n: usize = h["header".len()..].parse().ok()?;
                    if !(1..=64).contains(&n) {
                        return None;
                    }
                    f.header = n;
                }
                _ => return None,
            }
        }
        Some(f)
    }

    /// Short name: `none`, `len2`, `len2+tpdu`, `len2+tpdu+header6` …
    pub fn kind(&self) -> Cow<'static, str> {
        if self.stx {
            let inner = FramingSpec {
                stx: false,
                ..self.clone()
            }
            .kind();
            return Cow::Owned(if inner == "none" {
                "stx".into()
            } else {
                format!("stx+{inner}")
            });
        }
        match (self.length, self.tpdu, self.header) {
            (LengthPrefix::None, false, 0) => return Cow::Borrowed("none"),
            (LengthPrefix::Len2, false, 0) => return Cow::Borrowed("len2"),
            (LengthPrefix::Len2Bcd, false, 0) => return Cow::Borrowed("len2bcd"),
            (LengthPrefix::Len4Ascii, false, 0) => return Cow::Borrowed("len4ascii"),
            (LengthPrefix::None, true, 0) => return Cow::Borrowed("tpdu"),
            (LengthPrefix::Len2, true, 0) => return Cow::Borrowed("len2+tpdu"),
            (LengthPrefix::Len2, true, 6) => return Cow::Borrowed("len2+tpdu+header6"),
            _ => {}
        }
        let mut parts: Vec<String> = Vec::new();
        match self.length {
            LengthPrefix::None => {}
            LengthPrefix::Len2 => parts.push("len2".into()),
            LengthPrefix::Len2Bcd => parts.push("len2bcd".into()),
            LengthPrefix::Len4Ascii => parts.push("len4ascii".into()),
        }
        if self.tpdu {
            parts.push("tpdu".into());
        }
        if self.header > 0 {
            parts.push(format!("header{}", self.header));
        }
        Cow::Owned(parts.join("+"))
    }

    /// Check the spec-file form.
    pub fn validate(&self) -> Result<(), String> {
        if self.header > 64 {
            return Err(format!(
                "framing header of {} bytes is implausible (at most 64)",
                self.header
            ));
        }
        Ok(())
    }

    /// The byte layout alone (length, TPDU, header size), without STX or part names: cheap to
    /// copy into every decoded message.
    pub fn layout(&self) -> FramingSpec {
        FramingSpec {
            length: self.length,
            tpdu: self.tpdu,
            header: self.header,
            header_parts: Vec::new(),
            stx: false,
        }
    }

    pub(crate) fn overhead(&self) -> usize {
        self.length.wire_len() + if self.tpdu { 5 } else { 0 } + self.header
    }
}

/// What framing was found around one message. The TPDU and header parts are derived on
/// demand ([`FramingInfo::tpdu_parts`], [`FramingInfo::header_parts`]) to keep decoding cheap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FramingInfo {
    /// `none`, `len2`, `len2+tpdu+header6` …
    pub kind: Cow<'static, str>,
    /// Value of the length prefix.
    pub length: Option<usize>,
    /// TPDU as hex.
    pub tpdu: Option<String>,
    /// Application header as hex.
    pub header: Option<String>,
    /// Serial LRC check (STX frames).
    pub lrc: Option<LrcCheck>,
    /// How the framing was chosen.
    pub rule: Cow<'static, str>,
    /// The layout itself, for re-encoding.
    pub spec: FramingSpec,
}

impl FramingInfo {
    /// The TPDU's id, destination and source.
    pub fn tpdu_parts(&self) -> Option<TpduParts> {
        let t = self.tpdu.as_deref().filter(|t| t.len() == 10)?;
        Some(TpduParts {
            id: t[..2].to_string(),
            destination: t[2..6].to_string(),
            source: t[6..].to_string(),
        })
    }
}

/// How to find the framing: detect it, or take the one given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FramingChoice {
    /// Try the known layouts.
    Auto,
    /// Use the spec's own framing.
    Spec,
    /// Use this layout.
    Given(FramingSpec),
}

/// Digits an ISO 8583 MTI can have: version 0-2 (1987, 1993, 2003), class 1-9, any function,
/// origin 0-5. What framing detection takes for an MTI, and what `encode` accepts.
pub fn valid_mti_digits(d: [u8; 4]) -> bool {
    d.iter().all(|d| *d <= 9) && d[0] <= 2 && (1..=9).contains(&d[1]) && d[3] <= 5
}

/// [`valid_mti_digits`] for an MTI written as text.
pub fn valid_mti(mti: &str) -> bool {
    let b = mti.as_bytes();
    b.len() == 4
        && b.iter().all(u8::is_ascii_digit)
        && valid_mti_digits([b[0] - b'0', b[1] - b'0', b[2] - b'0', b[3] - b'0'])
}

/// A byte stream of two or more messages, each behind the same length prefix (2-byte binary,
/// 2-byte BCD or 4 ASCII digits), that the prefixes explain to the last byte: the messages,
/// each with its prefix. `None` when no prefix explains the whole stream, or when one of them
/// explains it as a single message.
pub fn split_length_stream(data: &[u8]) -> Option<Vec<&[u8]>> {
    let prefixes = [
        LengthPrefix::Len2,
        LengthPrefix::Len2Bcd,
        LengthPrefix::Len4Ascii,
    ];
    if prefixes.iter().any(|p| {
        data.len() > p.wire_len()
            && p.read(&data[..p.wire_len()]) == Some(data.len() - p.wire_len())
    }) {
        return None;
    }
    for p in prefixes {
        let w = p.wire_len();
        let mut parts = Vec::new();
        let mut rest = data;
        while rest.len() > w {
            let Some(n) = p.read(&rest[..w]) else { break };
            // A message has an MTI and a bitmap at least.
            if n < 10 || rest.len() < w + n {
                break;
            }
            parts.push(&rest[..w + n]);
            rest = &rest[w + n..];
        }
        if rest.is_empty() && parts.len() >= 2 {
            return Some(parts);
        }
    }
    None
}

pub(crate) const STX: u8 = 0x02;
pub(crate) const ETX: u8 = 0x03;

/// Put `body` inside the framing `info` describes (TPDU and header from `info`).
pub fn wrap(info: &FramingInfo, body: &[u8]) -> Result<Vec<u8>, String> {
    let f = &info.spec;
    let mut inner = Vec::with_capacity(body.len() + 16);
    if f.tpdu {
        let t = info.tpdu.as_deref().ok_or("framing needs a TPDU")?;
        let t = super::encoding::from_hex(t).map_err(|_| "TPDU is not hex".to_string())?;
        if t.len() != 5 {
            return Err(format!("TPDU must be 5 bytes, not {}", t.len()));
        }
        inner.extend_from_slice(&t);
    }
    if f.header > 0 {
        let h = info.header.as_deref().ok_or("framing needs a header")?;
        let h = super::encoding::from_hex(h).map_err(|_| "header is not hex".to_string())?;
        if h.len() != f.header {
            return Err(format!(
                "header must be {} bytes, not {}",
                f.header,
                h.len()
            ));
        }
        inner.extend_from_slice(&h);
    }
    inner.extend_from_slice(body);
    let mut out = Vec::with_capacity(inner.len() + 8);
    f.length.write(inner.len(), &mut out)?;
    out.extend_from_slice(&inner);
    if f.stx {
        let mut framed = vec![STX];
        if f.length == LengthPrefix::None && info.length.is_some() {
            LengthPrefix::Len2Bcd.write(out.len(), &mut framed)?;
        }
        framed.extend_from_slice(&out);
        framed.push(ETX);
        let lrc = framed[1..].iter().fold(0u8, |a, b| a ^ b);
        framed.push(lrc);
        return Ok(framed);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_streams_split_only_when_every_byte_is_explained() {
        let one = [&[0x00, 0x0C][..], &[0x30; 12]].concat();
        assert_eq!(split_length_stream(&one), None);
        let two = [&one[..], &one[..]].concat();
        assert_eq!(split_length_stream(&two).map(|p| p.len()), Some(2));
        // One byte too many, or messages too short to be ones: not a stream.
        assert_eq!(split_length_stream(&[&two[..], &[0]].concat()), None);
        assert_eq!(split_length_stream(&[0, 2, 1, 2, 0, 2, 3, 4]), None);
        let ascii = [&b"0010"[..], &[0x41; 10], b"0010", &[0x42; 10]].concat();
        assert_eq!(split_length_stream(&ascii).map(|p| p.len()), Some(2));
    }

    #[test]
    fn every_kind_printed_reads_back() {
        for length in [
            LengthPrefix::None,
            LengthPrefix::Len2,
            LengthPrefix::Len2Bcd,
            LengthPrefix::Len4Ascii,
        ] {
            for tpdu in [false, true] {
                for header in [0, 3, 6] {
                    for stx in [false, true] {
                        let f = FramingSpec {
                            length,
                            tpdu,
                            header,
                            stx,
                            ..FramingSpec::default()
                        };
                        let kind = f.kind();
                        let back = FramingSpec::named(&kind)
                            .unwrap_or_else(|| panic!("{kind} is not accepted"));
                        assert_eq!(back.kind(), kind);
                        assert_eq!(back.layout(), f.layout(), "{kind}");
                        assert_eq!(back.stx, stx, "{kind}");
                    }
                }
            }
        }
        for name in FRAMING_NAMES {
            assert!(FramingSpec::named(name).is_some(), "{name}");
        }
        for bad in [
            "len2+len2",
            "cup+stx",
            "header0",
            "header65",
            "len3",
            "",
            "tpdu+tpdu",
        ] {
            assert!(FramingSpec::named(bad).is_none(), "{bad}");
        }
    }
}
