//! `posresp encode`: JSON (as `decode` prints it, or a simple field map) → message bytes.
//! The inverse of decode: `posresp --unmask --output jsonl decode X | posresp encode` gives X.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read, Write};

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

use posresp::codec::encoding::{from_hex, to_hex};
use posresp::codec::framing::{FramingInfo, FramingSpec, LengthPrefix};
use posresp::codec::spec::{BUILTIN, SubfieldKind};
use posresp::codec::{FieldValue, Message, Spec, encode};

use crate::global::GlobalArgs;
use posresp::specs::{SpecChoice, load_spec};

/// Build messages from JSON.
///
/// Accepts what `decode --output json|jsonl` prints (fields by id; sub-elements such as 60.1
/// or 55.9F26 are rebuilt into their parent when the parent itself is absent; bitmap and
/// lengths are computed), or a simple {"mti": "0200", "fields": {"2": "…", "4": "…"}}. A
/// value that does not fit its field is an error naming the field and the rule (exit 2).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  posresp --spec iso87ascii encode message.json
  echo '{\"mti\":\"0800\",\"fields\":{\"11\":\"000001\",\"70\":\"301\"}}' | posresp --spec iso87ascii encode
  posresp --unmask --output jsonl decode traffic.log | posresp encode")]
pub struct EncodeArgs {
    /// JSON file(s) or '-' (default: standard input). JSON Lines: one message per line.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Write the message bytes themselves instead of one hex line per message.
    #[arg(long)]
    pub raw: bool,
    /// Framing to wrap each message in: none, len2, len2bcd, len4ascii, tpdu, len2+tpdu,
    /// tpdu+header6, cup, stx… (default: what the JSON says, else the spec's own).
    #[arg(long, value_name = "FRAMING")]
    pub framing: Option<String>,
    /// TPDU (hex, 5 bytes) for framings with a TPDU, when the JSON has none.
    #[arg(long, value_name = "HEX")]
    pub tpdu: Option<String>,
    /// Application header (hex) for framings with one, when the JSON has none.
    #[arg(long, value_name = "HEX")]
    pub header: Option<String>,
}

/// A message as JSON: decode's output (fields as an array of objects) or a field map.
/// Strings are borrowed from the input where they need no unescaping.
#[derive(Deserialize)]
struct DocIn<'a> {
    #[serde(borrow, default)]
    mti: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    spec: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    fields: Option<&'a RawValue>,
    #[serde(borrow, default)]
    bitmap: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    framing: Option<FramingIn<'a>>,
    #[serde(default)]
    error: Option<serde::de::IgnoredAny>,
}

/// A JSON string, borrowed from the input unless it had escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

/// A JSON object of string pairs, in document order, without hashing.
struct PairList<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl<'de> Deserialize<'de> for PairList<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = PairList<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<PairList<'de>, A::Error> {
                let mut v = Vec::with_capacity(map.size_hint().unwrap_or(16));
                while let Some((k, val)) = map.next_entry::<Text<'de>, Text<'de>>()? {
                    v.push((k.0, val.0));
                }
                Ok(PairList(v))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Deserialize)]
struct FieldIn<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    value: Cow<'a, str>,
    #[serde(borrow, default)]
    pad: Option<Cow<'a, str>>,
    #[serde(default)]
    masked: bool,
}

#[derive(Deserialize, Default)]
struct FramingIn<'a> {
    #[serde(borrow, default)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    tpdu: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    header: Option<Cow<'a, str>>,
    #[serde(default)]
    length: Option<u64>,
    #[serde(default)]
    lrc: Option<LrcIn>,
}

/// The LRC of an STX frame as decode reports it.
#[derive(Deserialize, Default)]
struct LrcIn {
    #[serde(default)]
    ok: Option<bool>,
}

/// A framing name as `decode` reports it (`len2+tpdu+header6`, `stx+len2`) back to a layout.
fn framing_from_kind(kind: &str) -> Result<FramingSpec> {
    FramingSpec::parse_name(kind, &[]).map_err(|e| anyhow!("\"framing\": {e}"))
}

fn spec_for<'s>(specs: &'s SpecChoice, doc: &DocIn<'_>) -> Result<&'s Spec> {
    match specs {
        SpecChoice::One(s) => Ok(s.as_ref()),
        SpecChoice::Auto(all) => {
            let name = doc.spec.as_deref().ok_or_else(|| {
                anyhow!(
                    "the JSON names no spec: give --spec ({} or a file)",
                    BUILTIN
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            all.iter()
                .find(|s| s.name == name)
                .ok_or_else(|| anyhow!("unknown spec {name:?} in the JSON"))
        }
    }
}

/// TLV bytes for one tag.
fn tlv(tag: &str, value_hex: &str) -> Result<String> {
    let v = from_hex(value_hex).map_err(|_| anyhow!("tag {tag}: value is not hex"))?;
    let t = from_hex(tag).map_err(|_| anyhow!("tag {tag}: not hex"))?;
    let mut out = Vec::with_capacity(t.len() + 4 + v.len());
    posresp::codec::tlv::write(&t, &v, &mut out);
    Ok(to_hex(&out))
}

/// The message a JSON document describes.
fn message(spec: &Spec, doc: &DocIn<'_>, args: &EncodeArgs) -> Result<Message> {
    let mti = doc
        .mti
        .as_deref()
        .ok_or_else(|| anyhow!("no \"mti\""))?
        .to_string();
    // What decode could not find as an MTI is not written either.
    if !posresp::codec::framing::valid_mti(&mti) {
        bail!(
            "MTI {mti:?} is not a message type: four digits, version 0-2, class 1-9, origin 0-5 \
             (e.g. 0200, 0810, 1100)"
        );
    }
    let mut top: BTreeMap<u16, FieldValue> = BTreeMap::new();
    // Sub-elements by parent, in document order.
    let mut subs: BTreeMap<u16, Vec<(String, String)>> = BTreeMap::new();
    let mut put = |id: &str, value: &str, pad: Option<u8>, masked: bool| -> Result<()> {
        if masked {
            bail!("field {id}: the value is masked; decode with --unmask to re-encode card data");
        }

        match id.split_once('.') {
            None => {
                let n: u16 = id
                    .parse()
                    .map_err(|_| anyhow!("field {id:?} is not a field number"))?;
                top.insert(
                    n,
                    FieldValue {
                        value: value.to_string(),
                        pad,
                    },
                );
            }
            Some((parent, rest)) => {
                let n: u16 = parent
                    .parse()
                    .map_err(|_| anyhow!("field {id:?} is not a field path"))?;
                subs.entry(n)
                    .or_default()
                    .push((rest.to_string(), value.to_string()));
            }
        }
        Ok(())
    };
    let raw = doc.fields.ok_or_else(|| anyhow!("no \"fields\""))?;
    if raw.get().trim_start().starts_with('[') {
        let list: Vec<FieldIn<'_>> = serde_json::from_str(raw.get())
            .map_err(|e| anyhow!("\"fields\": {}", posresp::mask::json_error(&e)))?;
        for f in &list {
            let pad = f
                .pad
                .as_deref()
                .and_then(|p| u8::from_str_radix(p, 16).ok());
            put(&f.id, &f.value, pad, f.masked)?;
        }
    } else {
        let map: PairList<'_> = serde_json::from_str(raw.get()).map_err(|_| {
            anyhow!("\"fields\" must be an array (decode's output) or an object {{\"id\": \"value\"}} of strings")
        })?;
        for (id, value) in &map.0 {
            put(id, value, None, false)?;
        }
    }
    // Rebuild parents that were given only as their parts.
    for (parent, parts) in subs {
        if top.contains_key(&parent) {
            continue;
        }
        let def = spec
            .field(parent as usize)
            .ok_or_else(|| anyhow!("field {parent}: spec {} does not define it", spec.name))?;
        let kind = def.subfields.as_ref().map(|s| s.kind);
        let value = match kind {
            Some(SubfieldKind::Positional) => {
                // Parts in the spec's order; nested paths do not exist for positional fields.
                let sub = def.subfields.as_ref().map(|s| &s.parts[..]).unwrap_or(&[]);
                let mut v = String::new();
                for p in sub {
                    if let Some((_, pv)) = parts.iter().find(|(id, _)| *id == p.id) {
                        v.push_str(pv);
                    } else {
                        break;
                    }
                }
                v
            }
            Some(SubfieldKind::Tlv) => {
                // Top-level tags only: constructed tags' children are inside their value.
                parts
                    .iter()
                    .filter(|(path, _)| !path.contains('.'))
                    .map(|(tag, v)| tlv(tag, v))
                    .collect::<Result<String>>()?
            }
            None => bail!(
                "field {parent}: sub-elements given, but spec {} gives the field no structure",
                spec.name
            ),
        };
        top.insert(parent, FieldValue { value, pad: None });
    }
    let bitmap = doc.bitmap.as_deref().unwrap_or("");
    let lower = bitmap.chars().take(48).enumerate().fold(0u64, |m, (i, c)| {
        if c.is_ascii_lowercase() {
            m | 1 << i
        } else {
            m
        }
    });
    // Framing: --framing, else the JSON's, else the spec's own.
    let no_framing = FramingIn::default();
    let fj = doc.framing.as_ref().unwrap_or(&no_framing);
    let layout = match (&args.framing, fj.kind.as_deref()) {
        (Some(name), _) => FramingSpec::parse_name(name, &[]).map_err(|e| anyhow!("{e}"))?,
        (None, Some(kind)) => framing_from_kind(kind)?,
        (None, None) => spec.framing.layout(),
    };
    let mut tpdu = args
        .tpdu
        .clone()
        .or_else(|| fj.tpdu.as_deref().map(str::to_string));
    let mut header = args
        .header
        .clone()
        .or_else(|| fj.header.as_deref().map(str::to_string));
    if layout.tpdu && tpdu.is_none() {
        bail!("the framing has a TPDU but the JSON gives none: add --tpdu HEX (e.g. 6000030000)");
    }
    if layout.header > 0 && header.is_none() {
        bail!(
            "the framing has a {}-byte header but the JSON gives none: add --header HEX",
            layout.header
        );
    }
    if !layout.tpdu {
        tpdu = None;
    }
    if layout.header == 0 {
        header = None;
    }
    let stx_len = fj.lrc.is_some() && fj.length.is_some() && layout.length == LengthPrefix::None;
    let framing = (layout != FramingSpec::default()).then(|| FramingInfo {
        kind: layout.kind(),
        length: stx_len.then_some(0),
        tpdu,
        header,
        lrc: None,
        rule: "".into(),
        spec: layout.clone(),
    });
    Ok(Message {
        mti,
        fields: top,
        secondary: bitmap.len() >= 32,
        bitmap_lowercase: lower,
        framing,
    })
}

/// Messages per batch when encoding JSON Lines on several threads.
const BATCH: usize = 4096;

/// Run `encode`.
pub fn run(global: &GlobalArgs, args: &EncodeArgs) -> Result<u8> {
    crate::global::output_one_of(
        global,
        "encode",
        &[crate::global::OutputFormat::Table],
        "it prints each message as hex; decode the result for JSON (posresp encode … | posresp --output json decode)",
    )?;
    let specs = load_spec(&global.spec)?;
    if let Some(name) = &args.framing {
        FramingSpec::parse_name(name, &[]).map_err(|e| anyhow!("{e}"))?;
    }
    let inputs = posresp::input::inputs_or_stdin(
        &args.inputs,
        "encode",
        "JSON files, or '-' for standard input",
    )?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut stderr = io::stderr();
    let mut failed = false;
    let mut n = 0usize;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    for input in &inputs {
        let mut reader: Box<dyn BufRead> = if input == "-" {
            Box::new(io::BufReader::with_capacity(1 << 20, io::stdin()))
        } else {
            let f = std::fs::File::open(input).with_context(|| format!("cannot open {input}"))?;
            Box::new(io::BufReader::with_capacity(1 << 20, f))
        };
        // One JSON document (an object, or an array as `decode --output json` prints), or JSON Lines.
        let mut first = String::new();
        reader.read_line(&mut first)?;
        let trimmed = first.trim();
        let whole_document = trimmed.starts_with('[')
            || (trimmed.starts_with('{') && serde_json::from_str::<&RawValue>(trimmed).is_err());
        if whole_document {
            let mut text = first;
            reader.read_to_string(&mut text)?;
            let docs: Vec<(usize, String)> = match serde_json::from_str::<Vec<&RawValue>>(&text) {
                Ok(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i + 1, v.get().to_string()))
                    .collect(),
                Err(_) => vec![(1, text.clone())],
            };
            n += docs.len();
            failed |= encode_batch(&specs, args, input, &docs, threads, &mut out, &mut stderr)?;
            continue;
        }
        let mut batch: Vec<(usize, String)> = Vec::with_capacity(BATCH);
        let mut line_no = 1;
        let mut line = first;
        loop {
            if !line.trim().is_empty() {
                batch.push((line_no, std::mem::take(&mut line)));
            }
            if batch.len() == BATCH {
                n += batch.len();
                failed |=
                    encode_batch(&specs, args, input, &batch, threads, &mut out, &mut stderr)?;
                batch.clear();
            }
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                break;
            }
            line_no += 1;
        }
        n += batch.len();
        failed |= encode_batch(&specs, args, input, &batch, threads, &mut out, &mut stderr)?;
    }
    out.flush()?;
    if n == 0 {
        bail!("no JSON messages in the input");
    }
    Ok(if failed { 2 } else { 0 })
}

/// Encode a batch of JSON texts on every core, writing results in input order.
fn encode_batch(
    specs: &SpecChoice,
    args: &EncodeArgs,
    input: &str,
    docs: &[(usize, String)],
    threads: usize,
    out: &mut impl Write,
    stderr: &mut impl Write,
) -> Result<bool> {
    if docs.is_empty() {
        return Ok(false);
    }
    let parts = crate::parallel::par_chunks(
        docs,
        threads,
        |_, part| {
            let (mut o, mut e, mut bad) = (Vec::with_capacity(part.len() * 300), Vec::new(), false);
            for (at, text) in part {
                bad |= encode_one(specs, text, args, input, *at, &mut o, &mut e);
            }
            (o, e, bad)
        },
        || {
            (
                Vec::new(),
                b"posresp: an encode worker failed\n".to_vec(),
                true,
            )
        },
    );
    let mut failed = false;
    for (o, e, bad) in parts {
        out.write_all(&o)?;
        stderr.write_all(&e)?;
        failed |= bad;
    }
    Ok(failed)
}

/// Encode one JSON text; on failure write the reason to `errs` and return true.
fn encode_one(
    specs: &SpecChoice,
    text: &str,
    args: &EncodeArgs,
    input: &str,
    at: usize,
    out: &mut Vec<u8>,
    errs: &mut Vec<u8>,
) -> bool {
    let result = serde_json::from_str::<DocIn<'_>>(text.trim())
        .map_err(|e| anyhow!("not a JSON message: {}", posresp::mask::json_error(&e)))
        .and_then(|doc| {
            if doc.error.is_some() {
                bail!("this record is a decode error, not a message");
            }
            let spec = spec_for(specs, &doc)?;
            let msg = message(spec, &doc, args)?;
            let bytes = encode(spec, &msg).map_err(|e| anyhow!("{e}"))?;
            // encode writes a correct LRC: say so when decode had found a wrong one, since
            // the bytes then differ from the original frame.
            let wrong_lrc = doc
                .framing
                .as_ref()
                .and_then(|f| f.lrc.as_ref())
                .is_some_and(|l| l.ok == Some(false));
            if wrong_lrc && msg.framing.as_ref().is_some_and(|f| f.spec.stx) {
                let _ = writeln!(
                    errs,
                    "posresp: {input}: message at line {at}: note: the frame's LRC was wrong; \
                     written with the correct one (the last byte differs from the original)"
                );
            }
            Ok(bytes)
        });
    match result {
        Ok(bytes) => {
            if args.raw {
                out.extend_from_slice(&bytes);
            } else {
                posresp::codec::encoding::push_hex_bytes(&bytes, out);
                out.push(b'\n');
            }
            false
        }
        Err(e) => {
            let _ = writeln!(errs, "posresp: {input}: message at line {at}: {e:#}");
            true
        }
    }
}
