//! `posresp decode`: bytes in any form → annotated fields.

use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

use posresp::codec::framing::FRAMING_NAMES;
use posresp::codec::{DecodeError, Decoded, FramingChoice, FramingSpec, Spec, decode_into};
use posresp::glossary;
use posresp::input::{Frame, FrameReader, InputFormat};
use posresp::mask::mask;

use crate::cli::{ColorChoice, GlobalArgs, OutputFormat};
use crate::render::{ErrorReport, FieldReport, MessageReport, ResponseReport, Sink};

/// Input forms for --input-format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    /// Detect from the content.
    Auto,
    /// Raw bytes; the whole input is one message.
    Raw,
    /// Hex text; the whole input is one message (spaces, colons, 0x, line breaks ignored).
    Hex,
    /// One message per line, optionally "TIMESTAMP [req|resp] HEX".
    Lines,
    /// posresp JSON Lines log ({"ts":…,"dir":…,"hex":…}).
    Jsonl,
    /// xxd, hexdump -C, od -A x -t x1z, jPOS or Wireshark hex dump.
    Dump,
}

impl From<InputFormatArg> for InputFormat {
    fn from(a: InputFormatArg) -> Self {
        match a {
            InputFormatArg::Auto => InputFormat::Auto,
            InputFormatArg::Raw => InputFormat::Raw,
            InputFormatArg::Hex => InputFormat::Hex,
            InputFormatArg::Lines => InputFormat::Lines,
            InputFormatArg::Jsonl => InputFormat::Jsonl,
            InputFormatArg::Dump => InputFormat::Dump,
        }
    }
}

/// Decode messages into annotated fields.
///
/// Reads hex text, binary files, hex dumps (xxd, hexdump -C, od, jPOS), logs with one
/// message per line and posresp JSON Lines logs, detecting the form and the framing.
/// Card data is masked unless --unmask is given. Exit status 2 if any message failed
/// to decode (all messages are still processed).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  posresp decode testdata/iso87ascii-0210.hex
  posresp decode --spec iso87ascii 30323130373233433034383030454330383030303136...
  posresp decode --output jsonl traffic.jsonl | jq -r .response.code")]
pub struct DecodeArgs {
    /// Files, '-' for standard input, or literal hex. Default: standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Force the input form instead of detecting it.
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto)]
    pub input_format: InputFormatArg,
    /// Framing before the MTI: auto, spec (the spec's own), none, len2, len2bcd, len4ascii,
    /// tpdu, len2+tpdu, cup.
    #[arg(long, default_value = "auto", value_name = "FRAMING")]
    pub framing: String,
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
        for (n, _) in posresp::codec::spec::BUILTIN {
            all.push(posresp::codec::spec::builtin(n).context("built-in spec missing")??);
        }
        return Ok(SpecChoice::Auto(all));
    }
    if let Some(spec) = posresp::codec::spec::builtin(name) {
        return Ok(SpecChoice::One(Box::new(spec?)));
    }
    let path = Path::new(name);
    if !path.exists() {
        let names: Vec<&str> = posresp::codec::spec::BUILTIN
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
    Ok(SpecChoice::One(Box::new(Spec::from_json(&text, name)?)))
}

/// Resolve `--framing`.
pub fn framing_choice(name: &str) -> Result<FramingChoice> {
    match name {
        "auto" => Ok(FramingChoice::Auto),
        "spec" => Ok(FramingChoice::Spec),
        other => FramingSpec::named(other)
            .map(FramingChoice::Given)
            .with_context(|| {
                format!(
                    "unknown framing {other:?}; use auto, spec or one of {}",
                    FRAMING_NAMES.join(", ")
                )
            }),
    }
}

/// Whether to colour output going to stdout.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

fn spec_order<'s>(choice: &'s SpecChoice, frame: &Frame, framing: &FramingChoice) -> Vec<&'s Spec> {
    match choice {
        SpecChoice::One(s) => vec![s.as_ref()],
        SpecChoice::Auto(all) => {
            // A spec named by the log record first; then specs whose MTI and bitmap encodings
            // fit the bytes; an MTI of version 1 prefers the 1993 spec.
            let version1 = |s: &Spec| {
                posresp::codec::framing::unframe(&frame.bytes, s, framing)
                    .map(|u| {
                        u.body.first() == Some(&b'1') || u.body.first().is_some_and(|b| b >> 4 == 1)
                    })
                    .unwrap_or(false)
            };
            let mut v: Vec<(u8, &Spec)> = all
                .iter()
                .map(|s| {
                    let mut score = posresp::codec::framing::fit(&frame.bytes, s, framing) * 4;
                    if frame.spec.as_deref() == Some(s.name.as_str()) {
                        score += 16;
                    }
                    if version1(s) == (s.dialect == posresp::codec::Dialect::Iso93) {
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

/// Decode `frame`, trying each candidate spec (and the frame's alternative reading).
/// Returns the spec used, or the failure under the most plausible spec.
pub fn decode_frame<'s>(
    specs: &'s SpecChoice,
    frame: &Frame,
    framing: &FramingChoice,
    dec: &mut Decoded,
) -> (Option<&'s Spec>, Option<DecodeError>) {
    let order = spec_order(specs, frame, framing);
    let mut first: Option<(&Spec, DecodeError, Decoded)> = None;
    let readings = std::iter::once(&frame.bytes).chain(frame.alternative.as_ref());
    for bytes in readings {
        for spec in &order {
            match decode_into(spec, bytes, framing, dec) {
                Ok(()) => return (Some(spec), None),
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

/// Build the report of one decoded (or partly decoded) message.
pub fn report<'a>(
    index: usize,
    frame: &Frame,
    spec: Option<&'a Spec>,
    dec: &'a Decoded,
    error: Option<&DecodeError>,
    bytes: &[u8],
    unmask: bool,
) -> MessageReport<'a> {
    let mut fields = Vec::with_capacity(dec.fields.len());
    let mut response = None;
    if let Some(spec) = spec {
        for f in &dec.fields {
            let Some(def) = spec.field(f.id as usize) else {
                continue;
            };
            let value = dec.value(f);
            let sensitive = def.sensitive.filter(|_| !unmask);
            let wire = bytes
                .get(f.offset as usize..(f.offset + f.len) as usize)
                .unwrap_or(&[]);
            let mut meaning = None;
            if f.id == 39 {
                let r = glossary::response_code(spec.dialect, value);
                meaning = r.map(|r| r.meaning.clone());
                response = Some(ResponseReport {
                    code: value.to_string(),
                    meaning: r
                        .map(|r| r.meaning.clone())
                        .unwrap_or_else(|| "unknown code".into()),
                    category: r
                        .map(|r| r.category.clone())
                        .unwrap_or_else(|| "unknown".into()),
                });
            }
            fields.push(FieldReport {
                id: def.id_str.clone(),
                name: &def.name,
                value: mask(sensitive, value).into_owned(),
                offset: f.offset as usize,
                length: f.len as usize,
                raw: sensitive
                    .is_none()
                    .then(|| posresp::codec::encoding::to_hex(wire)),
                meaning,
            });
        }
    }
    let mti = dec.mti();
    MessageReport {
        index,
        line: frame.line,
        ts: frame.ts.clone(),
        dir: frame.dir.clone(),
        spec: spec.map(|s| s.name.as_str()),
        framing: dec.framing.as_ref(),
        mti: (!mti.is_empty()).then_some(mti),
        mti_meaning: glossary::mti_meaning(mti),
        bitmap: (dec.bitmap_count > 0).then(|| dec.bitmap_hex()),
        fields,
        response,
        error: error.map(|e| ErrorReport {
            message: format!("{e}; {}", e.hint()),
            offset: Some(e.offset),
            field: e.field.clone(),
        }),
    }
}

fn open_input(arg: &str) -> Result<(Box<dyn io::BufRead>, bool)> {
    if arg == "-" {
        return Ok((
            Box::new(BufReader::with_capacity(256 * 1024, io::stdin())),
            false,
        ));
    }
    let path = Path::new(arg);
    if path.exists() {
        let f = File::open(path).with_context(|| format!("cannot open {arg}"))?;
        return Ok((Box::new(BufReader::with_capacity(256 * 1024, f)), false));
    }
    // Anything made of hex digits and separators is literal hex; parsing reports odd digits.
    let hexish = arg
        .bytes()
        .all(|c| c.is_ascii_hexdigit() || b" :,-xX".contains(&c));
    if hexish && arg.bytes().any(|c| c.is_ascii_hexdigit()) {
        return Ok((Box::new(io::Cursor::new(arg.as_bytes().to_vec())), true));
    }
    bail!(
        "{arg}: no such file, and not hex either; give a file path, '-' for standard input, or hex digits"
    )
}

/// Run `decode`.
pub fn run(global: &GlobalArgs, args: &DecodeArgs) -> Result<u8> {
    let specs = load_spec(&global.spec)?;
    let framing = framing_choice(&args.framing)?;
    let mut inputs = args.inputs.clone();
    if inputs.is_empty() {
        if io::stdin().is_terminal() {
            bail!(
                "no input: give a file, '-' for standard input, or hex digits (see posresp decode --help)"
            );
        }
        inputs.push("-".into());
    }
    let stdout = io::stdout();
    let out = io::BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut sink = Sink::new(out, global.output, use_color(global.color));
    let mut stderr = io::stderr();
    let mut failed = false;
    let mut index = 0usize;
    let mut dec = Decoded::default();
    let json_like = matches!(
        global.output,
        OutputFormat::Json | OutputFormat::Jsonl | OutputFormat::Csv
    );
    for arg in &inputs {
        let (reader, literal) = match open_input(arg) {
            Ok(r) => r,
            Err(e) => {
                writeln!(stderr, "posresp: {e:#}")?;
                failed = true;
                continue;
            }
        };
        let format = if literal && args.input_format == InputFormatArg::Auto {
            InputFormat::Hex
        } else {
            args.input_format.into()
        };
        let (frames, _) =
            FrameReader::new(reader, format).with_context(|| format!("cannot read {arg}"))?;
        let name = if literal {
            "hex argument".to_string()
        } else {
            arg.clone()
        };
        for item in frames {
            let frame = match item {
                Ok(f) => f,
                Err(e) => {
                    failed = true;
                    let msg = format!("{name}: message {} ({e})", index + 1);
                    writeln!(stderr, "posresp: {msg}")?;
                    if json_like {
                        let r = MessageReport {
                            index,
                            line: e.line,
                            ts: None,
                            dir: None,
                            spec: None,
                            framing: None,
                            mti: None,
                            mti_meaning: None,
                            bitmap: None,
                            fields: Vec::new(),
                            response: None,
                            error: Some(ErrorReport {
                                message: e.message.clone(),
                                offset: None,
                                field: None,
                            }),
                        };
                        sink.message(&r)?;
                    }
                    index += 1;
                    continue;
                }
            };
            let (spec, err) = decode_frame(&specs, &frame, &framing, &mut dec);
            let bytes = if err.is_none() && dec.total_len != frame.bytes.len() {
                frame.alternative.as_deref().unwrap_or(&frame.bytes)
            } else {
                &frame.bytes
            };
            if let Some(e) = &err {
                failed = true;
                let at = frame
                    .line
                    .map(|l| format!(" (line {l})"))
                    .unwrap_or_default();
                let with = spec
                    .map(|s| format!(" with spec {}", s.name))
                    .unwrap_or_default();
                writeln!(
                    stderr,
                    "posresp: {name}: message {}{at}{with}: {e}; {}",
                    index + 1,
                    e.hint()
                )?;
            }
            let r = report(
                index,
                &frame,
                spec,
                &dec,
                err.as_ref(),
                bytes,
                global.unmask,
            );
            sink.message(&r)?;
            index += 1;
        }
    }
    sink.finish()?;
    Ok(if failed { 2 } else { 0 })
}
