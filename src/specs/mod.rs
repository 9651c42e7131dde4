//! Which spec, and the one decode call every command makes: a built-in, a spec file (posresp
//! JSON, or imported from moov-io JSON and jPOS packager XML), or auto with the sticky and
//! ordered candidates; messages logged as values (jPOS XML) rebuilt with the spec guessed for
//! them.

pub mod import;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::codec::{
    DecodeError, Decoded, FramingChoice, FramingInfo, FramingSpec, Spec, SpecError, decode_into,
};
use crate::input::Frame;
use crate::jposxml::LoggedMessage;

/// A spec from a file's text: posresp JSON, or a spec written for another tool, detected by
/// content and imported: moov-io/iso8583 JSON (by its encoders and prefixes) and jPOS
/// GenericPackager XML (by `<isopackager>`).
pub fn from_text(text: &str, origin: &str) -> Result<Spec, SpecError> {
    if text.contains("Encoder")
        && let Ok(doc) = serde_json::from_str::<serde_json::Value>(text)
        && import::is_moov(&doc)
    {
        return Spec::from_value(import::from_moov(&doc, origin)?, origin, "moov-io spec");
    }
    if import::is_jpos_packager(text) {
        return Spec::from_value(
            import::from_jpos_packager(text, origin)?,
            origin,
            "jPOS packager",
        );
    }
    Spec::from_json(text, origin)
}

/// Which spec(s) to decode with.
pub enum SpecChoice {
    /// Exactly this one.
    One(Box<Spec>),
    /// Try these in order, per message.
    Auto(Vec<Spec>),
}

/// Resolve `--spec`: a built-in name, a file, or auto.
pub fn load_spec(name: &str) -> Result<SpecChoice> {
    if name == "auto" {
        let mut all = Vec::new();
        for (n, _) in crate::codec::spec::BUILTIN {
            all.push(crate::codec::spec::builtin(n).context("built-in spec missing")??);
        }
        return Ok(SpecChoice::Auto(all));
    }
    if let Some(spec) = crate::codec::spec::builtin(name) {
        return Ok(SpecChoice::One(Box::new(spec?)));
    }
    let path = Path::new(name);
    if !path.exists() {
        let names: Vec<&str> = crate::codec::spec::BUILTIN
            .iter()
            .map(|(n, _)| *n)
            .collect();
        bail!(
            "unknown spec {name:?}: not a built-in ({}, auto) and no such file",
            names.join(", ")
        );
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read spec file {name}"))?;
    Ok(SpecChoice::One(Box::new(from_text(&text, name)?)))
}

/// Resolve `--framing`.
pub fn framing_choice(name: &str) -> Result<FramingChoice> {
    match name {
        "auto" => Ok(FramingChoice::Auto),
        "spec" => Ok(FramingChoice::Spec),
        other => FramingSpec::parse_name(other, &["auto", "spec"])
            .map(FramingChoice::Given)
            .map_err(|e| anyhow::anyhow!("{e}")),
    }
}

fn spec_order<'s>(choice: &'s SpecChoice, frame: &Frame, framing: &FramingChoice) -> Vec<&'s Spec> {
    match choice {
        SpecChoice::One(s) => vec![s.as_ref()],
        SpecChoice::Auto(all) => {
            // A spec named by the log record first; then specs whose MTI and bitmap encodings
            // fit the bytes; an MTI of version 1 prefers the 1993 spec.
            let version1 = |s: &Spec| {
                crate::codec::unframe::unframe(&frame.bytes, s, framing)
                    .map(|u| {
                        u.body.first() == Some(&b'1') || u.body.first().is_some_and(|b| b >> 4 == 1)
                    })
                    .unwrap_or(false)
            };
            let mut v: Vec<(u8, &Spec)> = all
                .iter()
                .map(|s| {
                    let mut score = crate::codec::unframe::fit(&frame.bytes, s, framing) * 4;
                    if frame.spec.as_deref() == Some(s.name.as_str()) {
                        score += 16;
                    }
                    if version1(s) == (s.dialect == crate::codec::Dialect::Iso93) {
                        score += 1;
                    }
                    (score, s)
                })
                .collect();
            v.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
            v.into_iter().map(|(_, s)| s).collect()
        }
    }
}

/// Decode `frame` with one known spec: its bytes, else its alternative reading (a message
/// logged as values is rebuilt from them). On failure, the error and partial decode are the
/// first reading's.
pub fn decode_with(
    spec: &Spec,
    frame: &Frame,
    framing: &FramingChoice,
    dec: &mut Decoded,
) -> Option<DecodeError> {
    if let Some(m) = &frame.logged {
        *dec = logged_decoded(spec, m);
        return None;
    }
    let Err(e) = decode_into(spec, &frame.bytes, framing, dec) else {
        return None;
    };
    if let Some(alt) = &frame.alternative {
        let mut other = Decoded::default();
        if decode_into(spec, alt, framing, &mut other).is_ok() {
            *dec = other;
            return None;
        }
    }
    Some(e)
}

/// Decode `frame`, trying each candidate spec (and the frame's alternative reading).
/// Returns the spec used, or the failure under the most plausible spec.
pub fn decode_frame<'s>(
    specs: &'s SpecChoice,
    frame: &Frame,
    framing: &FramingChoice,
    dec: &mut Decoded,
    sticky: &mut Option<&'s Spec>,
) -> (Option<&'s Spec>, Option<DecodeError>) {
    // A message logged as values (jPOS XML) has no bytes to decode.
    if let Some(m) = &frame.logged {
        let spec = logged_spec(specs, m);
        if let Some(s) = spec {
            *dec = logged_decoded(s, m);
        }
        return (spec, None);
    }
    if let SpecChoice::One(spec) = specs {
        return (Some(spec), decode_with(spec, frame, framing, dec));
    }
    // Logs are nearly always one spec throughout: try the last one that worked first.
    if let Some(spec) = *sticky {
        let named_other = frame.spec.as_deref().is_some_and(|n| n != spec.name);
        if !named_other && decode_into(spec, &frame.bytes, framing, dec).is_ok() {
            // A 1993 MTI decoded with a 1987 spec (or the reverse) still gets the full choice.
            let v1993 = dec.mti().starts_with('1');
            if v1993 == (spec.dialect == crate::codec::Dialect::Iso93) || frame.spec.is_some() {
                return (Some(spec), None);
            }
        }
    }
    let order = spec_order(specs, frame, framing);
    let mut first: Option<(&Spec, DecodeError, Decoded)> = None;
    let readings = std::iter::once(&frame.bytes).chain(frame.alternative.as_ref());
    for bytes in readings {
        for spec in &order {
            match decode_into(spec, bytes, framing, dec) {
                Ok(()) => {
                    if matches!(specs, SpecChoice::Auto(_)) {
                        *sticky = Some(spec);
                    }
                    return (Some(spec), None);
                }
                Err(e) => {
                    if first.is_none() {
                        first = Some((spec, e, dec.clone()));
                    }
                }
            }
        }
    }
    match first {
        Some((spec, e, partial)) => {
            *dec = partial;
            (Some(spec), Some(e))
        }
        None => (None, None),
    }
}

/// The one decode call every command makes: a record in; the spec that read it (or the most
/// plausible one, on failure) and the error out, the decoded message in [`Decoder::dec`].
/// Under `--spec auto` the spec that worked last is tried first (logs are nearly always one
/// spec throughout), then the candidates in order of fit.
pub struct Decoder<'s> {
    specs: &'s SpecChoice,
    framing: FramingChoice,
    sticky: Option<&'s Spec>,
    /// The message last decoded (buffers reused from call to call).
    pub dec: Decoded,
}

impl<'s> Decoder<'s> {
    /// A decoder over `specs`, finding framing as `framing` says.
    pub fn new(specs: &'s SpecChoice, framing: FramingChoice) -> Self {
        Decoder {
            specs,
            framing,
            sticky: None,
            dec: Decoded::default(),
        }
    }

    /// Decode one record (its bytes, its alternative reading, or values logged by jPOS).
    pub fn decode(&mut self, frame: &Frame) -> (Option<&'s Spec>, Option<DecodeError>) {
        decode_frame(
            self.specs,
            frame,
            &self.framing,
            &mut self.dec,
            &mut self.sticky,
        )
    }

    /// The bytes of `frame` that decoded: its alternative reading (text taken as raw bytes)
    /// when the message's length says so.
    pub fn bytes_read<'f>(&self, frame: &'f Frame) -> &'f [u8] {
        if self.dec.total_len == frame.bytes.len() {
            &frame.bytes
        } else {
            frame.alternative.as_deref().unwrap_or(&frame.bytes)
        }
    }
}

/// The spec for a message logged as values: the one asked for, or guessed from its header
/// (TPDU + 6-byte header: CUP) and MTI version.
pub fn logged_spec<'s>(specs: &'s SpecChoice, m: &LoggedMessage) -> Option<&'s Spec> {
    match specs {
        SpecChoice::One(s) => Some(s.as_ref()),
        SpecChoice::Auto(all) => {
            let want = if m.header.as_ref().is_some_and(|h| h.len() == 22) {
                "cup"
            } else if m.mti().is_some_and(|t| t.starts_with('1')) {
                "iso93ascii"
            } else {
                "iso87ascii"
            };
            all.iter().find(|s| s.name == want)
        }
    }
}

/// Rebuild a message from logged values. Nested values (`55.9F26`, logged by jPOS TLV
/// packagers) become their parent's TLV bytes when the parent itself was not logged.
pub fn logged_decoded(spec: &Spec, m: &LoggedMessage) -> Decoded {
    let mut top: Vec<(u16, String)> = Vec::new();
    let mut nested: BTreeMap<u16, String> = BTreeMap::new();
    for f in &m.fields {
        match f.id.split_once('.') {
            None => {
                if let Ok(id) = f.id.parse::<u16>()
                    && id > 1
                {
                    top.push((id, f.value.clone()));
                }
            }
            Some((parent, tag)) => {
                if let (Ok(id), Ok(tag_bytes)) =
                    (parent.parse::<u16>(), crate::codec::encoding::from_hex(tag))
                {
                    let v = if f.binary {
                        // jPOS may have protected it ("[WIPED]"): keep the text.
                        crate::codec::encoding::from_hex(&f.value)
                            .unwrap_or_else(|_| f.value.as_bytes().to_vec())
                    } else {
                        f.value.as_bytes().to_vec()
                    };
                    let mut element = Vec::with_capacity(tag_bytes.len() + 4 + v.len());
                    crate::codec::tlv::write(&tag_bytes, &v, &mut element);
                    nested
                        .entry(id)
                        .or_default()
                        .push_str(&crate::codec::encoding::to_hex(&element));
                }
            }
        }
    }
    for (id, v) in nested {
        if !top.iter().any(|(t, _)| *t == id) {
            top.push((id, v));
        }
    }
    top.sort_by_key(|(id, _)| *id);
    let mut d = Decoded::from_values(
        m.mti().unwrap_or(""),
        top.iter().map(|(id, v)| (*id, v.as_str())),
    );
    if let Some(h) = &m.header {
        // jPOS logs TPDU and header together; split them when the spec's layout says how.
        let split = spec.framing.tpdu && h.len() == 10 + spec.framing.header * 2;
        d.framing = Some(FramingInfo {
            kind: "jpos-header".into(),
            length: None,
            tpdu: split.then(|| h[..10].to_string()),
            header: Some(if split {
                h[10..].to_string()
            } else {
                h.clone()
            }),
            lrc: None,
            rule: "header as logged by jPOS".into(),
            spec: if split {
                FramingSpec {
                    length: Default::default(),
                    stx: false,
                    ..spec.framing.clone()
                }
            } else {
                FramingSpec::default()
            },
        });
    }
    d
}
