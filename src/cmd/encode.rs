//! `posresp encode`: JSON (as `decode` prints it, or a simple field map) → message bytes.
//! The inverse of decode: `posresp --unmask --output jsonl decode X | posresp encode` gives X.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read, Write};

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use serde_json::Value;

use posresp::codec::encoding::{from_hex, to_hex};
use posresp::codec::framing::{FramingInfo, FramingSpec, LengthPrefix};
use posresp::codec::spec::{BUILTIN, SubfieldKind};
use posresp::codec::{FieldValue, Message, Spec, encode};

use crate::cli::GlobalArgs;
use crate::cmd::decode::{SpecChoice, load_spec};

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

/// A framing name as `decode` reports it (`len2+tpdu+header6`, `stx+len2`) back to a layout.
fn framing_from_kind(kind: &str) -> Result<FramingSpec> {
    let mut f = FramingSpec::default();
    for part in kind.split('+') {
        match part {
            "none" | "jpos-header" => {}
            "len2" => f.length = LengthPrefix::Len2,
            "len2bcd" => f.length = LengthPrefix::Len2Bcd,
            "len4ascii" => f.length = LengthPrefix::Len4Ascii,
            "tpdu" => f.tpdu = true,
            "stx" => f.stx = true,
            "cup" => return FramingSpec::named("cup").ok_or_else(|| anyhow!("cup framing")),
            h if h.starts_with("header") => {
                f.header = h["header".len()..]
                    .parse()
                    .map_err(|_| anyhow!("framing {kind:?}: bad header size"))?
            }
            other => bail!("unknown framing {other:?} in {kind:?}"),
        }
    }
    Ok(f)
}

fn spec_for(specs: &SpecChoice, doc: &Value) -> Result<Spec> {
    match specs {
        SpecChoice::One(s) => Ok(s.as_ref().clone()),
        SpecChoice::Auto(all) => {
            let name = doc["spec"].as_str().ok_or_else(|| {
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
                .cloned()
                .ok_or_else(|| anyhow!("unknown spec {name:?} in the JSON"))
        }
    }
}

/// TLV bytes for one tag.
fn tlv(tag: &str, value_hex: &str) -> Result<String> {
    let v = from_hex(value_hex).map_err(|_| anyhow!("tag {tag}: value is not hex"))?;
    let mut out = tag.to_ascii_uppercase();
    match v.len() {
        0..=0x7F => out.push_str(&format!("{:02X}", v.len())),
        0x80..=0xFF => out.push_str(&format!("81{:02X}", v.len())),
        n => out.push_str(&format!("82{n:04X}")),
    }
    out.push_str(&to_hex(&v));
    Ok(out)
}

/// The message a JSON document describes.
fn message(spec: &Spec, doc: &Value, args: &EncodeArgs) -> Result<Message> {
    let mti = doc["mti"]
        .as_str()
        .ok_or_else(|| anyhow!("no \"mti\""))?
        .to_string();
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
    match &doc["fields"] {
        Value::Array(list) => {
            for f in list {
                let id = f["id"]
                    .as_str()
                    .ok_or_else(|| anyhow!("a field without \"id\""))?;
                let value = f["value"]
                    .as_str()
                    .ok_or_else(|| anyhow!("field {id}: no \"value\""))?;
                let pad = f["pad"]
                    .as_str()
                    .and_then(|p| u8::from_str_radix(p, 16).ok());
                put(id, value, pad, f["masked"] == true)?;
            }
        }
        Value::Object(map) => {
            for (id, v) in map {
                let value = v
                    .as_str()
                    .ok_or_else(|| anyhow!("field {id}: the value must be a string"))?;
                put(id, value, None, false)?;
            }
        }
        _ => bail!(
            "\"fields\" must be an array (decode's output) or an object {{\"id\": \"value\"}}"
        ),
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
    let bitmap = doc["bitmap"].as_str().unwrap_or("");
    let lower = bitmap.chars().take(48).enumerate().fold(0u64, |m, (i, c)| {
        if c.is_ascii_lowercase() {
            m | 1 << i
        } else {
            m
        }
    });
    // Framing: --framing, else the JSON's, else the spec's own.
    let fj = &doc["framing"];
    let layout = match (&args.framing, fj["kind"].as_str()) {
        (Some(name), _) => {
            FramingSpec::named(name).ok_or_else(|| anyhow!("unknown framing {name:?}"))?
        }
        (None, Some(kind)) => framing_from_kind(kind)?,
        (None, None) => spec.framing.layout(),
    };
    let mut tpdu = args
        .tpdu
        .clone()
        .or_else(|| fj["tpdu"].as_str().map(str::to_string));
    let mut header = args
        .header
        .clone()
        .or_else(|| fj["header"].as_str().map(str::to_string));
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
    let stx_len =
        fj["lrc"].is_object() && fj["length"].is_number() && layout.length == LengthPrefix::None;
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

fn emit(out: &mut impl Write, bytes: &[u8], raw: bool) -> io::Result<()> {
    if raw {
        out.write_all(bytes)
    } else {
        writeln!(out, "{}", to_hex(bytes))
    }
}

/// Run `encode`.
pub fn run(global: &GlobalArgs, args: &EncodeArgs) -> Result<u8> {
    let specs = load_spec(&global.spec)?;
    let inputs = if args.inputs.is_empty() {
        vec!["-".to_string()]
    } else {
        args.inputs.clone()
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut stderr = io::stderr();
    let mut failed = false;
    let mut n = 0usize;
    for input in &inputs {
        let mut reader: Box<dyn BufRead> = if input == "-" {
            Box::new(io::BufReader::new(io::stdin()))
        } else {
            Box::new(io::BufReader::new(
                std::fs::File::open(input).with_context(|| format!("cannot open {input}"))?,
            ))
        };
        // One JSON document (object or array), or JSON Lines.
        let mut first = String::new();
        let mut docs: Vec<(usize, Result<Value, String>)> = Vec::new();
        reader.read_line(&mut first)?;
        let trimmed = first.trim_start();
        let mut rest = String::new();
        if trimmed.starts_with('[')
            || (trimmed.starts_with('{') && serde_json::from_str::<Value>(first.trim()).is_err())
        {
            reader.read_to_string(&mut rest)?;
            let text = first + &rest;
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Array(items)) => {
                    docs.extend(items.into_iter().enumerate().map(|(i, v)| (i + 1, Ok(v))))
                }
                Ok(v) => docs.push((1, Ok(v))),
                Err(e) => docs.push((e.line(), Err(format!("not JSON: {e}")))),
            }
        } else {
            let mut line_no = 1;
            let mut line = first;
            loop {
                if !line.trim().is_empty() {
                    docs.push((
                        line_no,
                        serde_json::from_str(line.trim()).map_err(|e| format!("not JSON: {e}")),
                    ));
                }
                // Encode as we go: JSON Lines logs can be long.
                for (ln, doc) in docs.drain(..) {
                    n += 1;
                    failed |= encode_one(&specs, &doc, args, input, ln, &mut out, &mut stderr)?;
                }
                line = String::new();
                if reader.read_line(&mut line)? == 0 {
                    break;
                }
                line_no += 1;
            }
        }
        for (ln, doc) in docs {
            n += 1;
            failed |= encode_one(&specs, &doc, args, input, ln, &mut out, &mut stderr)?;
        }
    }
    out.flush()?;
    if n == 0 {
        bail!("no JSON messages in the input");
    }
    Ok(if failed { 2 } else { 0 })
}

fn encode_one(
    specs: &SpecChoice,
    doc: &Result<Value, String>,
    args: &EncodeArgs,
    input: &str,
    at: usize,
    out: &mut impl Write,
    stderr: &mut impl Write,
) -> Result<bool> {
    let result = doc.as_ref().map_err(|e| anyhow!("{e}")).and_then(|doc| {
        if doc.get("error").is_some_and(|e| !e.is_null()) {
            bail!("this record is a decode error, not a message");
        }
        let spec = spec_for(specs, doc)?;
        let msg = message(&spec, doc, args)?;
        encode(&spec, &msg).map_err(|e| anyhow!("{e}"))
    });
    match result {
        Ok(bytes) => {
            emit(out, &bytes, args.raw)?;
            Ok(false)
        }
        Err(e) => {
            writeln!(stderr, "posresp: {input}: message at line {at}: {e:#}")?;
            Ok(true)
        }
    }
}
