//! `posresp decode`: bytes in any form → annotated fields.

use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

use posresp::codec::FramingInfo;
use posresp::codec::{DecodeError, Decoded, FramingChoice, FramingSpec, Spec, decode_into};
use posresp::glossary;
use posresp::input::{Frame, FrameReader, InputError, InputFormat};
use posresp::jposxml::LoggedMessage;
use std::collections::BTreeMap;

use crate::cli::{ColorChoice, GlobalArgs, OutputFormat};
use crate::render::{ErrorReport, FieldsView, FramingView, MessageReport, ResponseReport, Sink};

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
    /// jPOS XML log (<log><send|receive><isomsg>): values as logged, no offsets.
    JposXml,
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
            InputFormatArg::JposXml => InputFormat::JposXml,
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
    /// tpdu, len2+tpdu, tpdu+header6, cup (len2+tpdu+header6), stx, or stx+ any of these.
    #[arg(long, default_value = "auto", value_name = "FRAMING")]
    pub framing: String,
    /// Add each field's wire bytes as hex ("raw") to JSON output (never for masked fields).
    #[arg(long)]
    pub raw: bool,
    /// Brief JSON (with --output json/jsonl): fields as an {"id": value} object of top-level
    /// fields, no names, offsets, sub-elements or meanings; for bulk pipelines.
    #[arg(long, conflicts_with = "raw")]
    pub brief: bool,
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
        other => FramingSpec::parse_name(other, &["auto", "spec"])
            .map(FramingChoice::Given)
            .map_err(|e| anyhow::anyhow!("{e}")),
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

/// " (line N)" for a frame read from a log, for error messages; empty otherwise.
pub fn at_line(frame: &Frame) -> String {
    frame
        .line
        .map(|l| format!(" (line {l})"))
        .unwrap_or_default()
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
            if v1993 == (spec.dialect == posresp::codec::Dialect::Iso93) || frame.spec.is_some() {
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

/// Options for building reports, fixed for a whole run.
pub struct ReportOpts<'a> {
    /// Show card data.
    pub unmask: bool,
    /// Add each field's wire bytes.
    pub raw: bool,
    /// Pre-rendered JSON per field.
    pub heads: &'a JsonHeads,
    /// Brief output: what it does not show is not computed.
    pub brief: bool,
}

/// Pre-rendered JSON of each field's id and name, per spec, so that the JSON Lines hot path
/// does not escape the same names for every message.
pub struct JsonHeads(Vec<(usize, Vec<String>, Vec<Vec<String>>)>);

impl JsonHeads {
    /// Render the heads of every spec `choice` may use.
    pub fn new(choice: &SpecChoice) -> Self {
        let specs: Vec<&Spec> = match choice {
            SpecChoice::One(s) => vec![s.as_ref()],
            SpecChoice::Auto(all) => all.iter().collect(),
        };
        JsonHeads(
            specs
                .into_iter()
                .map(|spec| {
                    let fields = (0..=posresp::codec::spec::MAX_FIELD).map(|id| spec.field(id));
                    let heads = fields
                        .clone()
                        .map(|d| {
                            d.map_or_else(String::new, |d| {
                                crate::render::json_field_head(&d.id_str, &d.name)
                            })
                        })
                        .collect();
                    let parts = fields
                        .map(|d| {
                            let Some(d) = d else { return Vec::new() };
                            let names = d
                                .subfields
                                .iter()
                                .flat_map(|s| s.parts.iter().map(|p| p.name.as_str()));
                            d.part_paths
                                .iter()
                                .zip(names)
                                .map(|(path, name)| crate::render::json_field_head(path, name))
                                .collect()
                        })
                        .collect();
                    (spec as *const Spec as usize, heads, parts)
                })
                .collect(),
        )
    }

    fn get(&self, spec: &Spec) -> Option<&[String]> {
        let key = spec as *const Spec as usize;
        self.0
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, v, _)| v.as_slice())
    }

    fn parts(&self, spec: &Spec) -> Option<&[Vec<String>]> {
        let key = spec as *const Spec as usize;
        self.0
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, p)| p.as_slice())
    }
}

/// Build the report of one decoded (or partly decoded) message.
pub fn report<'a>(
    index: usize,
    frame: &'a Frame,
    spec: Option<&'a Spec>,
    dec: &'a Decoded,
    error: Option<&DecodeError>,
    bytes: &'a [u8],
    opts: &ReportOpts<'a>,
) -> MessageReport<'a> {
    let response = spec.and_then(|spec| {
        let code = dec.get(39)?;
        let r = glossary::response_code(spec.dialect, code);
        Some(ResponseReport {
            code,
            meaning: r.map_or("unknown code", |r| r.meaning.as_str()),
            category: r.map_or("unknown", |r| r.category.as_str()),
        })
    });
    let mti = dec.mti();
    MessageReport {
        index,
        line: frame.line,
        ts: frame.ts.as_deref(),
        dir: frame.dir.as_deref(),
        latency_ms: frame.latency_ms,
        spec: spec.map(|s| s.name.as_str()),
        note: dec.from_values.then_some(LOGGED_NOTE),
        framing: dec.framing.as_ref().map(|info| FramingView { info, spec }),
        mti: (!mti.is_empty()).then_some(mti),
        mti_meaning: if opts.brief {
            None
        } else {
            glossary::mti_meaning(mti)
        },
        bitmap: (dec.bitmap_count > 0 && !opts.brief).then(|| dec.bitmap_hex()),
        fields: FieldsView {
            decoded: spec.map(|s| (s, dec)),
            bytes,
            unmask: opts.unmask,
            raw: opts.raw,
            heads: spec.and_then(|s| opts.heads.get(s)),
            part_heads: spec.and_then(|s| opts.heads.parts(s)),
        },
        response,
        error: error.map(|e| ErrorReport {
            message: format!("{e}; {}", e.hint()),
            offset: Some(e.offset),
            field: e.field.clone(),
        }),
    }
}

/// How an input is named in messages: a literal hex argument may hold card data, so it is
/// never echoed.
pub fn input_name(arg: &str) -> String {
    if arg != "-" && !Path::new(arg).exists() && arg.bytes().any(|c| c.is_ascii_hexdigit()) {
        let hexish = arg
            .bytes()
            .all(|c| c.is_ascii_hexdigit() || b" :,-xX".contains(&c));
        if hexish {
            return "hex argument".to_string();
        }
    }
    arg.to_string()
}

pub fn open_input(arg: &str) -> Result<(Box<dyn io::BufRead>, bool)> {
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

/// Said of every message read from a jPOS XML log.
const LOGGED_NOTE: &str =
    "values as logged by jPOS: no message bytes were available, so there are no offsets or lengths";

/// The spec for a message logged as values: the one asked for, or guessed from its header
/// (TPDU + 6-byte header: CUP) and MTI version.
fn logged_spec<'s>(specs: &'s SpecChoice, m: &LoggedMessage) -> Option<&'s Spec> {
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
fn logged_decoded(spec: &Spec, m: &LoggedMessage) -> Decoded {
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
                if let (Ok(id), Ok(tag_bytes)) = (
                    parent.parse::<u16>(),
                    posresp::codec::encoding::from_hex(tag),
                ) {
                    let v = if f.binary {
                        f.value.clone()
                    } else {
                        posresp::codec::encoding::to_hex(f.value.as_bytes())
                    };
                    let len = v.len() / 2;
                    let e = nested.entry(id).or_default();
                    e.push_str(&posresp::codec::encoding::to_hex(&tag_bytes));
                    if len < 0x80 {
                        e.push_str(&format!("{len:02X}"));
                    } else if len < 0x100 {
                        e.push_str(&format!("81{len:02X}"));
                    } else {
                        e.push_str(&format!("82{len:04X}"));
                    }
                    e.push_str(&v);
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

/// Per-thread decoding state: reused buffers and the last spec that worked.
struct Worker<'s> {
    specs: &'s SpecChoice,
    framing: &'s FramingChoice,
    dec: Decoded,
    sticky: Option<&'s Spec>,
    opts: ReportOpts<'s>,
    error_records: bool,
}

impl<'s> Worker<'s> {
    fn new(
        specs: &'s SpecChoice,
        framing: &'s FramingChoice,
        heads: &'s JsonHeads,
        global: &GlobalArgs,
        args: &DecodeArgs,
    ) -> Self {
        Worker {
            specs,
            framing,
            dec: Decoded::default(),
            sticky: None,
            opts: ReportOpts {
                unmask: global.unmask,
                raw: args.raw,
                heads,
                brief: args.brief,
            },
            error_records: matches!(
                global.output,
                OutputFormat::Json | OutputFormat::Jsonl | OutputFormat::Csv
            ),
        }
    }

    /// Decode and render one input record; returns true if it failed.
    fn handle<W: Write>(
        &mut self,
        name: &str,
        index: usize,
        item: Result<Frame, InputError>,
        sink: &mut Sink<W>,
        err_out: &mut impl Write,
    ) -> io::Result<bool> {
        let frame = match item {
            Ok(f) => f,
            Err(e) => {
                writeln!(err_out, "posresp: {name}: message {} ({e})", index + 1)?;
                if self.error_records {
                    let r = MessageReport {
                        index,
                        line: e.line,
                        ts: None,
                        dir: None,
                        latency_ms: None,
                        spec: None,
                        note: None,
                        framing: None,
                        mti: None,
                        mti_meaning: None,
                        bitmap: None,
                        fields: FieldsView::default(),
                        response: None,
                        error: Some(ErrorReport {
                            message: e.message.clone(),
                            offset: None,
                            field: None,
                        }),
                    };
                    sink.message(&r)?;
                }
                return Ok(true);
            }
        };
        if let Some(m) = &frame.logged {
            let spec = logged_spec(self.specs, m);
            let dec = spec.map(|s| logged_decoded(s, m)).unwrap_or_default();
            let r = report(index, &frame, spec, &dec, None, &[], &self.opts);
            sink.message(&r)?;
            return Ok(false);
        }
        let (spec, err) = decode_frame(
            self.specs,
            &frame,
            self.framing,
            &mut self.dec,
            &mut self.sticky,
        );
        // The alternative reading (text taken as raw bytes) is what decoded if lengths differ.
        let bytes = if err.is_none() && self.dec.total_len != frame.bytes.len() {
            frame.alternative.as_deref().unwrap_or(&frame.bytes)
        } else {
            &frame.bytes
        };
        if let Some(e) = &err {
            let at = at_line(&frame);
            let with = spec
                .map(|s| format!(" with spec {}", s.name))
                .unwrap_or_default();
            writeln!(
                err_out,
                "posresp: {name}: message {}{at}{with}: {e}; {}",
                index + 1,
                e.hint()
            )?;
        }
        let r = report(
            index,
            &frame,
            spec,
            &self.dec,
            err.as_ref(),
            bytes,
            &self.opts,
        );
        sink.message(&r)?;
        Ok(err.is_some())
    }
}

/// Lines per batch when decoding a log on several threads.
const BATCH_LINES: usize = 2048;

/// A batch of raw log lines: the bytes and, per line, (start, end, line number).
#[derive(Default)]
struct Batch {
    buf: Vec<u8>,
    spans: Vec<(usize, usize, usize)>,
}

fn read_batch<R: io::BufRead>(
    reader: &mut R,
    line_no: &mut usize,
    batch: &mut Batch,
) -> io::Result<()> {
    batch.buf.clear();
    batch.spans.clear();
    while batch.spans.len() < BATCH_LINES {
        let start = batch.buf.len();
        if posresp::input::read_line_capped(reader, &mut batch.buf, posresp::input::MAX_LINE)? == 0
        {
            break;
        }
        *line_no += 1;
        batch.spans.push((start, batch.buf.len(), *line_no));
    }
    Ok(())
}

type PartResult = io::Result<(Vec<u8>, Vec<u8>, bool)>;

/// Decode a line-oriented log on all cores, batch by batch, writing results in input order.
/// While workers decode one batch, this thread writes the previous batch's output and reads
/// the next. Memory stays bounded by a few batches.
#[allow(clippy::too_many_arguments)]
fn run_parallel<R: io::BufRead, W: Write>(
    mut reader: R,
    mut line_no: usize,
    format: InputFormat,
    name: &str,
    index: &mut usize,
    ctx: (
        &SpecChoice,
        &FramingChoice,
        &JsonHeads,
        &GlobalArgs,
        &DecodeArgs,
    ),
    out: &mut W,
    stderr: &mut impl Write,
) -> Result<bool> {
    let (specs, framing, heads, global, args) = ctx;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let mut failed = false;
    let mut cur = Batch::default();
    let mut next = Batch::default();
    let mut pending: Vec<PartResult> = Vec::new();
    let mut pool: Vec<Vec<u8>> = Vec::new();
    read_batch(&mut reader, &mut line_no, &mut cur)
        .with_context(|| format!("cannot read {name}"))?;
    loop {
        if cur.spans.is_empty() {
            for r in pending.drain(..) {
                let (o, e, f) = r?;
                out.write_all(&o)?;
                stderr.write_all(&e)?;
                failed |= f;
            }
            return Ok(failed);
        }
        let per = cur.spans.len().div_ceil(threads);
        let parts: Vec<&[(usize, usize, usize)]> = cur.spans.chunks(per).collect();
        let mut first_index = Vec::with_capacity(parts.len());
        for part in &parts {
            first_index.push(*index);
            *index += part
                .iter()
                .filter(|(a, b, _)| !posresp::input::is_blank_line(&cur.buf[*a..*b]))
                .count();
        }
        let out_cap = cur.buf.len() * 6 / parts.len() + 4096;
        // Output buffers come back from the previous batch, so their pages stay mapped.
        let mut bufs: Vec<Vec<u8>> = (0..parts.len())
            .map(|_| pool.pop().unwrap_or_default())
            .collect();
        let (results, io_result) = std::thread::scope(|s| {
            let handles: Vec<_> = parts
                .iter()
                .zip(&first_index)
                .zip(bufs.drain(..))
                .map(|((part, &start), mut obuf)| {
                    let buf = &cur.buf;
                    s.spawn(move || -> io::Result<(Vec<u8>, Vec<u8>, bool)> {
                        let mut worker = Worker::new(specs, framing, heads, global, args);
                        obuf.clear();
                        obuf.reserve(out_cap);
                        let mut sink = Sink::new(obuf, global.output, false).brief(args.brief);
                        let mut errs = Vec::new();
                        let mut failed = false;
                        let mut i = start;
                        for &(a, b, line) in *part {
                            if let Some(item) =
                                posresp::input::line_record(format, &buf[a..b], line)
                            {
                                failed |= worker.handle(name, i, item, &mut sink, &mut errs)?;
                                i += 1;
                            }
                        }
                        Ok((sink.into_inner(), errs, failed))
                    })
                })
                .collect();
            // Meanwhile: write what the previous batch produced, and read the next batch.
            let io_result = (|| -> Result<bool> {
                let mut f = false;
                for r in pending.drain(..) {
                    let (o, e, pf) = r?;
                    out.write_all(&o)?;
                    stderr.write_all(&e)?;
                    f |= pf;
                    pool.push(o);
                }
                read_batch(&mut reader, &mut line_no, &mut next)
                    .with_context(|| format!("cannot read {name}"))?;
                Ok(f)
            })();
            let results: Vec<PartResult> = handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(io::Error::other("decode worker failed")))
                })
                .collect();
            (results, io_result)
        });
        failed |= io_result?;
        pending = results;
        std::mem::swap(&mut cur, &mut next);
    }
}

/// Open `arg` (file, '-' or hex) and read its messages, detecting the form.
pub fn open_frames(arg: &str) -> Result<FrameReader<Box<dyn io::BufRead>>> {
    let (reader, literal) = open_input(arg)?;
    let format = if literal {
        InputFormat::Hex
    } else {
        InputFormat::Auto
    };
    let (frames, _) =
        FrameReader::new(reader, format).with_context(|| format!("cannot read {arg}"))?;
    Ok(frames)
}

/// Run `decode`.
pub fn run(global: &GlobalArgs, args: &DecodeArgs) -> Result<u8> {
    let specs = load_spec(&global.spec)?;
    let framing = framing_choice(&args.framing)?;
    let heads = JsonHeads::new(&specs);
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
    let mut sink = Sink::new(
        io::BufWriter::with_capacity(256 * 1024, stdout.lock()),
        global.output,
        use_color(global.color),
    )
    .brief(args.brief);
    let mut stderr = io::stderr();
    let mut failed = false;
    let mut index = 0usize;
    let mut worker = Worker::new(&specs, &framing, &heads, global, args);
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
        let (frames, format) =
            FrameReader::new(reader, format).with_context(|| format!("cannot read {arg}"))?;
        let name = if literal {
            "hex argument".to_string()
        } else {
            input_name(arg)
        };
        // JSON Lines output of a log: no state between messages, so use every core.
        if global.output == OutputFormat::Jsonl
            && matches!(format, InputFormat::Lines | InputFormat::Jsonl)
        {
            let (reader, line_no) = frames.into_inner();
            let ctx = (&specs, &framing, &heads, global, args);
            failed |= run_parallel(
                reader,
                line_no,
                format,
                &name,
                &mut index,
                ctx,
                sink.inner_mut(),
                &mut stderr,
            )?;
            continue;
        }
        for item in frames {
            failed |= worker.handle(&name, index, item, &mut sink, &mut stderr)?;
            index += 1;
        }
    }
    sink.finish()?;
    Ok(if failed { 2 } else { 0 })
}
