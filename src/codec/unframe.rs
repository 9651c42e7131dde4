//! Finding the framing around a message with a spec: the spec's own layout, a given one, or
//! detection (length prefixes that explain every byte, TPDU, header, STX … ETX LRC). The
//! framing vocabulary itself is in `framing`.

use std::borrow::Cow;

use super::encoding::{Encoding, bcd_number, to_hex};
use super::error::{DecodeError, ErrorKind};
use super::framing::{
    ETX, FramingChoice, FramingInfo, FramingSpec, HeaderPart, LengthPrefix, LrcCheck, STX,
    valid_mti_digits,
};
use super::spec::{BitmapEncoding, Spec};

impl FramingInfo {
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

/// [`AUTO_ORDER`] as layouts, parsed once.
static AUTO_LAYOUTS: std::sync::LazyLock<Vec<FramingSpec>> = std::sync::LazyLock::new(|| {
    AUTO_ORDER
        .iter()
        .map(|n| FramingSpec::named(n).unwrap_or_default())
        .collect()
});

const AUTO_ORDER: &[&str] = &[
    "cup",
    "len2+tpdu",
    "len2",
    "len2bcd",
    "len4ascii",
    "tpdu+header6",
    "tpdu",
];

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
            for f in AUTO_LAYOUTS.iter() {
                if bare && f.length == LengthPrefix::None {
                    break;
                }
                // Guessing a TPDU needs its transaction id (0x60), not just any five bytes.
                let tpdu_ok = !f.tpdu || u_tpdu_id(bytes, f) == Some(0x60);
                // The length must explain every byte: checked before anything is built.
                let w = f.length.wire_len();
                let length_ok = f.length == LengthPrefix::None
                    || (bytes.len() >= w && f.length.read(&bytes[..w]) == Some(bytes.len() - w));
                if tpdu_ok
                    && length_ok
                    && let Ok(u) = split(bytes, base, f, Cow::Borrowed(""))
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
