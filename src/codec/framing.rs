//! Transport framing around a message: length prefixes, TPDU, application header.
//! Detection tries each known layout and keeps the one whose length prefix agrees
//! with the data and whose body starts with a plausible MTI, and says which rule matched.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::encoding::{Encoding, ascii_number, bcd_number, binary_number, to_hex};
use super::error::{DecodeError, ErrorKind};
use super::spec::{BitmapEncoding, Spec};

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
    fn wire_len(self) -> usize {
        match self {
            LengthPrefix::None => 0,
            LengthPrefix::Len2 | LengthPrefix::Len2Bcd => 2,
            LengthPrefix::Len4Ascii => 4,
        }
    }

    fn read(self, b: &[u8]) -> Option<usize> {
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

    fn describe(self) -> &'static str {
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
    "cup",
];

impl FramingSpec {
    /// The framing called `name` (see [`FRAMING_NAMES`]).
    pub fn named(name: &str) -> Option<FramingSpec> {
        let (length, tpdu, header) = match name {
            "none" => (LengthPrefix::None, false, 0),
            "len2" => (LengthPrefix::Len2, false, 0),
            "len2bcd" => (LengthPrefix::Len2Bcd, false, 0),
            "len4ascii" => (LengthPrefix::Len4Ascii, false, 0),
            "tpdu" => (LengthPrefix::None, true, 0),
            "len2+tpdu" => (LengthPrefix::Len2, true, 0),
            "cup" => (LengthPrefix::Len2, true, 6),
            _ => return None,
        };
        Some(FramingSpec {
            length,
            tpdu,
            header,
        })
    }

    /// Short name: `none`, `len2`, `len2+tpdu`, `len2+tpdu+header6` …
    pub fn kind(&self) -> Cow<'static, str> {
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

    fn overhead(&self) -> usize {
        self.length.wire_len() + if self.tpdu { 5 } else { 0 } + self.header
    }
}

/// What framing was found around one message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FramingInfo {
    /// `none`, `len2`, `len2+tpdu+header6` …
    pub kind: Cow<'static, str>,
    /// Value of the length prefix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<usize>,
    /// TPDU as hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tpdu: Option<String>,
    /// Application header as hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// How the framing was chosen.
    pub rule: Cow<'static, str>,
    /// The layout itself, for re-encoding.
    #[serde(skip)]
    pub spec: FramingSpec,
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

/// A message with its framing split off.
#[derive(Clone, Debug)]
pub struct Unframed<'a> {
    /// What was found.
    pub info: FramingInfo,
    /// Bytes from the MTI on.
    pub body: &'a [u8],
    /// Offset of `body` in the input.
    pub body_offset: usize,
}

/// True when `b` starts with an MTI (and, for hex bitmaps, 16 hex characters) in `spec`'s encoding.
pub fn plausible_mti(spec: &Spec, b: &[u8]) -> bool {
    let digits: [u8; 4] = match spec.mti_enc {
        Encoding::Bcd => {
            if b.len() < 2 {
                return false;
            }
            [b[0] >> 4, b[0] & 15, b[1] >> 4, b[1] & 15]
        }
        Encoding::Ebcdic => {
            if b.len() < 4 || !b[..4].iter().all(|x| (0xF0..=0xF9).contains(x)) {
                return false;
            }
            [b[0] - 0xF0, b[1] - 0xF0, b[2] - 0xF0, b[3] - 0xF0]
        }
        _ => {
            if b.len() < 4 || !b[..4].iter().all(u8::is_ascii_digit) {
                return false;
            }
            [b[0] - b'0', b[1] - b'0', b[2] - b'0', b[3] - b'0']
        }
    };
    let ok = digits.iter().all(|d| *d <= 9)
        && digits[0] <= 2
        && (1..=9).contains(&digits[1])
        && digits[3] <= 5;
    if !ok {
        return false;
    }
    if spec.bitmap_enc == BitmapEncoding::Hex {
        let start = Encoding::wire_len(spec.mti_enc, 4);
        return b.len() >= start + 16 && b[start..start + 16].iter().all(u8::is_ascii_hexdigit);
    }
    true
}

fn split<'a>(
    bytes: &'a [u8],
    f: &FramingSpec,
    rule: Cow<'static, str>,
) -> Result<Unframed<'a>, DecodeError> {
    let need = f.overhead();
    if bytes.len() < need {
        return Err(DecodeError::new(
            0,
            Some("framing".into()),
            ErrorKind::Truncated {
                needed: need,
                available: bytes.len(),
            },
        ));
    }
    let mut pos = 0;
    let mut length = None;
    if f.length != LengthPrefix::None {
        let w = f.length.wire_len();
        let n = f.length.read(&bytes[..w]).ok_or_else(|| {
            DecodeError::new(
                0,
                Some("framing".into()),
                ErrorKind::Framing(format!("{} is not a number", f.length.describe())),
            )
        })?;
        let follow = bytes.len() - w;
        if n != follow {
            return Err(DecodeError::new(
                0,
                Some("framing".into()),
                ErrorKind::Framing(format!(
                    "{} says {n} bytes follow but {follow} bytes do",
                    f.length.describe()
                )),
            ));
        }
        length = Some(n);
        pos = w;
    }
    let tpdu = f.tpdu.then(|| to_hex(&bytes[pos..pos + 5]));
    if f.tpdu {
        pos += 5;
    }
    let header = (f.header > 0).then(|| to_hex(&bytes[pos..pos + f.header]));
    pos += f.header;
    Ok(Unframed {
        info: FramingInfo {
            kind: f.kind(),
            length,
            tpdu,
            header,
            rule,
            spec: f.clone(),
        },
        body: &bytes[pos..],
        body_offset: pos,
    })
}

const AUTO_ORDER: &[&str] = &["cup", "len2+tpdu", "len2", "len2bcd", "len4ascii", "tpdu"];

/// Split the framing off `bytes` as `choice` says.
pub fn unframe<'a>(
    bytes: &'a [u8],
    spec: &Spec,
    choice: &FramingChoice,
) -> Result<Unframed<'a>, DecodeError> {
    match choice {
        FramingChoice::Given(f) => split(bytes, f, "given with --framing".into()),
        FramingChoice::Spec => split(
            bytes,
            &spec.framing,
            format!("framing of spec {}", spec.name).into(),
        ),
        FramingChoice::Auto => {
            // The spec's own framing first, if it fits.
            if spec.framing != FramingSpec::default()
                && let Ok(u) = split(bytes, &spec.framing, Cow::Borrowed(""))
                && plausible_mti(spec, u.body)
            {
                let rule = format!("spec {} framing: length and MTI agree", spec.name);
                return Ok(Unframed {
                    info: FramingInfo {
                        rule: rule.into(),
                        ..u.info
                    },
                    ..u
                });
            }
            if plausible_mti(spec, bytes) {
                return split(
                    bytes,
                    &FramingSpec::default(),
                    "message starts with an MTI".into(),
                );
            }
            for name in AUTO_ORDER {
                let f = FramingSpec::named(name).unwrap_or_default();
                if let Ok(u) = split(bytes, &f, Cow::Borrowed(""))
                    && plausible_mti(spec, u.body)
                {
                    let rule = match (u.info.length, f.tpdu) {
                        (Some(n), _) => format!(
                            "{} {n} matches the bytes that follow{}",
                            f.length.describe(),
                            if f.tpdu {
                                "; TPDU and MTI in place"
                            } else {
                                "; MTI in place"
                            }
                        ),
                        (None, _) => String::from("TPDU then MTI"),
                    };
                    return Ok(Unframed {
                        info: FramingInfo {
                            rule: rule.into(),
                            ..u.info
                        },
                        ..u
                    });
                }
            }
            split(
                bytes,
                &FramingSpec::default(),
                "no framing matched; read as a bare message".into(),
            )
        }
    }
}

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
    let mut out = Vec::with_capacity(inner.len() + 4);
    f.length.write(inner.len(), &mut out)?;
    out.extend_from_slice(&inner);
    Ok(out)
}

/// How well `bytes` fit `spec`'s layout: 2 when the framing is found and an MTI and bitmap
/// of the spec's encodings are in place, 0 when not. Used to order specs when guessing.
pub fn fit(bytes: &[u8], spec: &Spec, choice: &FramingChoice) -> u8 {
    match unframe(bytes, spec, choice) {
        Ok(u) if plausible_mti(spec, u.body) => 2,
        Ok(_) => 0,
        Err(_) => 0,
    }
}
