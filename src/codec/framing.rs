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
    /// Bytes the prefix takes on the wire.
    pub fn wire_len_pub(self) -> usize {
        self.wire_len()
    }

    fn wire_len(self) -> usize {
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

    fn overhead(&self) -> usize {
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

    /// The header's parts as named by the framing (or, failing that, by `spec`'s framing).
    pub fn header_parts(&self, spec: &Spec) -> Vec<HeaderPart> {
        let Some(h) = self.header.as_deref() else {
            return Vec::new();
        };
        let names = if self.spec.header_parts.is_empty() {
            &spec.framing.header_parts
        } else {
            &self.spec.header_parts
        };
        let nibbles: usize = names.iter().map(|p| p.nibbles).sum();
        if nibbles != h.len() {
            return Vec::new();
        }
        let mut pos = 0;
        names
            .iter()
            .map(|p| {
                let v = h[pos..pos + p.nibbles].to_string();
                pos += p.nibbles;
                HeaderPart {
                    name: p.name.clone(),
                    meaning: p.values.get(&v).cloned(),
                    value: v,
                }
            })
            .collect()
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
    if !valid_mti_digits(digits) {
        return false;
    }
    if spec.bitmap_enc == BitmapEncoding::Hex {
        let start = Encoding::wire_len(spec.mti_enc, 4);
        return b.len() >= start + 16 && b[start..start + 16].iter().all(u8::is_ascii_hexdigit);
    }
    true
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

fn framing_err(offset: usize, msg: String) -> DecodeError {
    DecodeError::new(offset, Some("framing".into()), ErrorKind::Framing(msg))
}

/// Split `bytes` (which sit at `base` in the input) by layout `f`; STX is handled by the caller.
fn split<'a>(
    bytes: &'a [u8],
    base: usize,
    f: &FramingSpec,
    rule: Cow<'static, str>,
) -> Result<Unframed<'a>, DecodeError> {
    let need = f.overhead();
    if bytes.len() < need {
        return Err(DecodeError::new(
            base,
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
        let n = f
            .length
            .read(&bytes[..w])
            .ok_or_else(|| framing_err(base, format!("{} is not a number", f.length.describe())))?;
        let follow = bytes.len() - w;
        if n != follow {
            return Err(framing_err(
                base,
                format!(
                    "{} says {n} bytes follow but {follow} bytes do",
                    f.length.describe()
                ),
            ));
        }
        length = Some(n);
        pos = w;
    }
    let mut tpdu = None;
    if f.tpdu {
        tpdu = Some(to_hex(&bytes[pos..pos + 5]));
        pos += 5;
    }
    let mut header = None;
    if f.header > 0 {
        header = Some(to_hex(&bytes[pos..pos + f.header]));
        pos += f.header;
    }
    Ok(Unframed {
        info: FramingInfo {
            kind: f.kind(),
            length,
            tpdu,
            header,
            lrc: None,
            rule,
            spec: f.layout(),
        },
        body: &bytes[pos..],
        body_offset: base + pos,
    })
}

/// The TPDU id byte under layout `f`, if the bytes reach it.
fn u_tpdu_id(bytes: &[u8], f: &FramingSpec) -> Option<u8> {
    bytes.get(f.length.wire_len()).copied()
}

const AUTO_ORDER: &[&str] = &[
    "cup",
    "len2+tpdu",
    "len2",
    "len2bcd",
    "len4ascii",
    "tpdu+header6",
    "tpdu",
];

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

const STX: u8 = 0x02;
const ETX: u8 = 0x03;

/// An STX frame: `STX [LL LL BCD length] payload ETX LRC`. Returns the payload, its offset,
/// whether a length followed STX, and the LRC check. `None` if `bytes` is not shaped so.
fn strip_stx(bytes: &[u8]) -> Option<(&[u8], usize, Option<usize>, LrcCheck)> {
    let n = bytes.len();
    if n < 4 || bytes[0] != STX || bytes[n - 2] != ETX {
        return None;
    }
    let computed = bytes[1..n - 1].iter().fold(0u8, |a, b| a ^ b);
    let lrc = LrcCheck {
        value: to_hex(&bytes[n - 1..]),
        computed: to_hex(&[computed]),
        ok: computed == bytes[n - 1],
    };
    let inner = &bytes[1..n - 2];
    // A 2-byte BCD length right after STX, counting the payload, is taken as such.
    if inner.len() >= 2
        && let Some(len) = bcd_number(&inner[..2])
        && len == inner.len() - 2
    {
        return Some((&inner[2..], 3, Some(len), lrc));
    }
    Some((inner, 1, None, lrc))
}

/// Split the framing off `bytes` as `choice` says.
pub fn unframe<'a>(
    bytes: &'a [u8],
    spec: &Spec,
    choice: &FramingChoice,
) -> Result<Unframed<'a>, DecodeError> {
    let wants_stx = match choice {
        FramingChoice::Given(f) => f.stx,
        FramingChoice::Spec => spec.framing.stx,
        FramingChoice::Auto => {
            // 0x02 also starts every BCD MTI 02xx: an STX reading must find an MTI inside and
            // win over the plain reading (a correct LRC, or no plain reading at all).
            let Some((_, _, _, lrc)) = strip_stx(bytes).filter(|_| bytes.first() == Some(&STX))
            else {
                return unframe_inner(bytes, 0, spec, choice);
            };
            let plain = unframe_inner(bytes, 0, spec, choice);
            let plain_ok = plain.as_ref().is_ok_and(|u| plausible_mti(spec, u.body));
            let stx = unframe_stx(bytes, spec, choice);
            let stx_ok = stx.as_ref().is_ok_and(|u| plausible_mti(spec, u.body));
            return match (stx_ok, plain_ok) {
                (true, false) => stx,
                (true, true) if lrc.ok => stx,
                _ => plain,
            };
        }
    };
    if !wants_stx {
        return unframe_inner(bytes, 0, spec, choice);
    }
    unframe_stx(bytes, spec, choice)
}

/// For input shaped like an STX frame: the reading `unframe` did not choose under `Auto`
/// (plain when it chose STX, STX when it chose plain), if that reading finds an MTI.
pub fn other_stx_reading<'a>(bytes: &'a [u8], spec: &Spec) -> Option<Unframed<'a>> {
    strip_stx(bytes).filter(|_| bytes.first() == Some(&STX))?;
    let chosen = unframe(bytes, spec, &FramingChoice::Auto).ok()?;
    let other = if chosen.info.lrc.is_some() {
        unframe_inner(bytes, 0, spec, &FramingChoice::Auto).ok()?
    } else {
        unframe_stx(bytes, spec, &FramingChoice::Auto).ok()?
    };
    plausible_mti(spec, other.body).then_some(other)
}

fn unframe_stx<'a>(
    bytes: &'a [u8],
    spec: &Spec,
    choice: &FramingChoice,
) -> Result<Unframed<'a>, DecodeError> {
    let (payload, base, stx_len, lrc) = strip_stx(bytes).ok_or_else(|| {
        framing_err(
            0,
            "not an STX frame: expected STX (02) first and ETX (03) before the last byte".into(),
        )
    })?;
    let inner_choice = match choice {
        FramingChoice::Given(f) => FramingChoice::Given(FramingSpec {
            stx: false,
            ..f.clone()
        }),
        FramingChoice::Spec => FramingChoice::Given(FramingSpec {
            stx: false,
            ..spec.framing.clone()
        }),
        FramingChoice::Auto => FramingChoice::Auto,
    };
    let mut u = unframe_inner(payload, base, spec, &inner_choice)?;
    let inner_kind = u.info.kind.clone();
    u.info.kind = if inner_kind == "none" {
        "stx".into()
    } else {
        format!("stx+{inner_kind}").into()
    };
    u.info.spec.stx = true;
    if u.info.length.is_none() {
        u.info.length = stx_len;
    }
    u.info.rule = format!(
        "STX frame{} with {} LRC; inside: {}",
        if stx_len.is_some() {
            " with BCD length"
        } else {
            ""
        },
        if lrc.ok { "a correct" } else { "a WRONG" },
        u.info.rule
    )
    .into();
    u.info.lrc = Some(lrc);
    Ok(u)
}

fn unframe_inner<'a>(
    bytes: &'a [u8],
    base: usize,
    spec: &Spec,
    choice: &FramingChoice,
) -> Result<Unframed<'a>, DecodeError> {
    match choice {
        FramingChoice::Given(f) => split(bytes, base, f, "given with --framing".into()),
        FramingChoice::Spec => split(
            bytes,
            base,
            &spec.framing,
            format!("framing of spec {}", spec.name).into(),
        ),
        FramingChoice::Auto => {
            let own = spec.framing.layout();
            // The spec's own framing first, if it fits.
            if own != FramingSpec::default()
                && let Ok(u) = split(bytes, base, &own, Cow::Borrowed(""))
                && plausible_mti(spec, u.body)
            {
                return Ok(Unframed {
                    info: FramingInfo {
                        rule: Cow::Borrowed("the spec's own framing: length, TPDU and MTI agree"),
                        ..u.info
                    },
                    ..u
                });
            }
            // A length prefix that explains every byte, with an MTI after it, wins over a
            // bare reading: length digits such as "0187" also look like an MTI.
            let bare = plausible_mti(spec, bytes);
            for name in AUTO_ORDER {
                let f = FramingSpec::named(name).unwrap_or_default();
                if bare && f.length == LengthPrefix::None {
                    break;
                }
                // Guessing a TPDU needs its transaction id (0x60), not just any five bytes.
                let tpdu_ok = !f.tpdu || u_tpdu_id(bytes, &f) == Some(0x60);
                if tpdu_ok
                    && let Ok(u) = split(bytes, base, &f, Cow::Borrowed(""))
                    && plausible_mti(spec, u.body)
                {
                    let rule = match u.info.length {
                        Some(n) => format!(
                            "{} {n} matches the bytes that follow{}",
                            f.length.describe(),
                            if f.tpdu {
                                "; TPDU and MTI in place"
                            } else {
                                "; MTI in place"
                            }
                        ),
                        None => "TPDU then MTI".to_string(),
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
            if bare {
                return split(
                    bytes,
                    base,
                    &FramingSpec::default(),
                    "message starts with an MTI".into(),
                );
            }
            // Nothing fits. A spec with a framing of its own reports that framing's failure
            // (a truncated frame says so), or reads the body where its framing puts it.
            if own != FramingSpec::default() {
                return split(
                    bytes,
                    base,
                    &own,
                    format!("framing of spec {}", spec.name).into(),
                );
            }
            split(
                bytes,
                base,
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

/// How well `bytes` fit `spec`'s layout: 3 when the spec's own header framing is found, 2 when
/// some framing is found and an MTI and bitmap of the spec's encodings are in place, 0 when not. Used to order specs when guessing.
pub fn fit(bytes: &[u8], spec: &Spec, choice: &FramingChoice) -> u8 {
    match unframe(bytes, spec, choice) {
        // The spec's own framing (e.g. CUP's TPDU and header) fitting is the strongest sign.
        Ok(u)
            if plausible_mti(spec, u.body)
                && spec.framing.header > 0
                && u.info.spec.header == spec.framing.header =>
        {
            3
        }
        Ok(u) if plausible_mti(spec, u.body) => 2,
        _ => 0,
    }
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
