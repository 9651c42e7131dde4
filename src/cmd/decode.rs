//! `posresp decode`: bytes in any form → annotated fields.

use std::io::{self, Write};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use posresp::codec::FramingChoice;
use posresp::input::{Frame, FrameReader, InputError, InputFormat};

use crate::global::{GlobalArgs, OutputFormat};
use crate::render::{
    ErrorReport, FieldsView, JsonHeads, MessageReport, ReportOpts, Sink, report, use_color,
};
use posresp::input::{at_line, input_name, open_input};
use posresp::specs::{Decoder, SpecChoice, framing_choice, load_spec, logged_decoded, logged_spec};

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
    /// pcap or pcapng capture (TCP reassembled; found by its magic number when auto).
    Pcap,
    /// tcpdump -X or -XX text.
    Tcpdump,
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
            InputFormatArg::Pcap => InputFormat::Pcap,
            InputFormatArg::Tcpdump => InputFormat::Tcpdump,
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
    /// In a capture without the connections' SYN, the port(s) of the side that listens (the
    /// host): messages to it are requests ("dir": "req"), from it responses.
    #[arg(long, value_name = "PORT", value_delimiter = ',')]
    pub host_port: Vec<u16>,
    /// Framing before the MTI: auto, spec (the spec's own), none, len2, len2bcd, len4ascii,
    /// tpdu, len2+tpdu, tpdu+header6, cup (len2+tpdu+header6), stx, or stx+ any of these.
    #[arg(long, default_value = "auto", value_name = "FRAMING",
          value_parser = crate::global::Suggest(crate::global::decode_framings),
          hide_possible_values = true)]
    pub framing: String,
    /// Add each field's wire bytes as hex ("raw") to JSON output (never for masked fields).
    #[arg(long)]
    pub raw: bool,
    /// Brief JSON (with --output json/jsonl): fields as an {"id": value} object of top-level
    /// fields, no names, offsets, sub-elements or meanings; for bulk pipelines.
    #[arg(long, conflicts_with = "raw")]
    pub brief: bool,
    /// Only messages that hold this condition: a field number or an attribute (mti, code,
    /// category, latency_ms, dir, ts, spec, src, dst, packet, line), an operator (= != > >= <
    /// <= ~ !~) and a value, e.g. '39!=00', 'latency_ms>2000', '41=T0000009', 'mti~^04';
    /// NAME or !NAME for present or absent. Repeat or join with && for all of several.
    /// Messages that do not decode are still reported.
    #[arg(long = "where", value_name = "CONDITION")]
    pub filter: Vec<String>,
}

/// The `--where` conditions, all of them.
fn filter_of(conds: &[String]) -> Result<posresp::filter::Filter> {
    posresp::filter::Filter::all(conds).map_err(|e| anyhow::anyhow!(e))
}

/// Per-thread decoding state: reused buffers and the last spec that worked.
struct Worker<'s> {
    specs: &'s SpecChoice,
    decoder: Decoder<'s>,
    opts: ReportOpts<'s>,
    error_records: bool,
    filter: &'s posresp::filter::Filter,
}

/// What every worker of one run shares: chosen once, when the command starts.
struct Ctx<'a> {
    specs: &'a SpecChoice,
    framing: &'a FramingChoice,
    heads: &'a JsonHeads,
    global: &'a GlobalArgs,
    args: &'a DecodeArgs,
    filter: &'a posresp::filter::Filter,
}

impl<'s> Worker<'s> {
    fn new(ctx: &Ctx<'s>) -> Self {
        Worker {
            specs: ctx.specs,
            decoder: Decoder::new(ctx.specs, ctx.framing.clone()),
            opts: ReportOpts {
                unmask: ctx.global.unmask,
                raw: ctx.args.raw,
                heads: ctx.heads,
                brief: ctx.args.brief,
            },
            error_records: matches!(
                ctx.global.output,
                OutputFormat::Json | OutputFormat::Jsonl | OutputFormat::Csv
            ),
            filter: ctx.filter,
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
                        packet: None,
                        src: None,
                        dst: None,
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
            if !self.filter.is_empty()
                && !self
                    .filter
                    .matches(|s| posresp::filter::value_of(s, &frame, spec, &dec))
            {
                return Ok(false);
            }
            let r = report(index, &frame, spec, &dec, None, &[], &self.opts);
            sink.message(&r)?;
            return Ok(false);
        }
        let (spec, err) = self.decoder.decode(&frame);
        // The alternative reading (text taken as raw bytes) is what decoded if lengths differ.
        let bytes = if err.is_none() && self.decoder.dec.total_len != frame.bytes.len() {
            frame.alternative.as_deref().unwrap_or(&frame.bytes)
        } else {
            &frame.bytes
        };
        if err.is_none()
            && !self.filter.is_empty()
            && !self
                .filter
                .matches(|s| posresp::filter::value_of(s, &frame, spec, &self.decoder.dec))
        {
            return Ok(false);
        }
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
            &self.decoder.dec,
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
    ctx: &Ctx<'_>,
    out: &mut W,
    stderr: &mut impl Write,
) -> Result<bool> {
    let (global, args) = (ctx.global, ctx.args);
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
                        let mut worker = Worker::new(ctx);
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

/// Decode the frames of a capture on all cores: this thread reassembles and cuts the next
/// batch of messages while the workers decode and render the last one; output stays in order.
#[allow(clippy::too_many_arguments)]
fn run_parallel_frames<W: Write>(
    frames: impl Iterator<Item = Result<Frame, InputError>>,
    name: &str,
    index: &mut usize,
    ctx: &Ctx<'_>,
    out: &mut W,
    stderr: &mut impl Write,
) -> Result<bool> {
    const BATCH: usize = 8192;
    let (global, args) = (ctx.global, ctx.args);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let mut frames = frames.fuse();
    let mut failed = false;
    let mut cur: Vec<Result<Frame, InputError>> = frames.by_ref().take(BATCH).collect();
    let mut pending: Vec<PartResult> = Vec::new();
    // Output buffers come back from the batch before, so their pages stay mapped.
    let mut pool: Vec<Vec<u8>> = Vec::new();
    loop {
        if cur.is_empty() {
            for r in pending.drain(..) {
                let (o, e, f) = r?;
                out.write_all(&o)?;
                stderr.write_all(&e)?;
                failed |= f;
            }
            return Ok(failed);
        }
        let per = cur.len().div_ceil(threads);
        let mut parts: Vec<Vec<Result<Frame, InputError>>> = Vec::new();
        while !cur.is_empty() {
            let rest = cur.split_off(per.min(cur.len()));
            parts.push(std::mem::replace(&mut cur, rest));
        }
        let mut first = Vec::with_capacity(parts.len());
        for p in &parts {
            first.push(*index);
            *index += p.len();
        }
        let bufs: Vec<Vec<u8>> = (0..parts.len())
            .map(|_| pool.pop().unwrap_or_default())
            .collect();
        let (results, io_result) = std::thread::scope(|s| {
            let handles: Vec<_> = parts
                .into_iter()
                .zip(first)
                .zip(bufs)
                .map(|((part, start), mut obuf)| {
                    s.spawn(move || -> io::Result<(Vec<u8>, Vec<u8>, bool)> {
                        let mut worker = Worker::new(ctx);
                        obuf.clear();
                        let mut sink = Sink::new(obuf, global.output, false).brief(args.brief);
                        let mut errs = Vec::new();
                        let mut failed = false;
                        for (k, item) in part.into_iter().enumerate() {
                            failed |= worker.handle(name, start + k, item, &mut sink, &mut errs)?;
                        }
                        Ok((sink.into_inner(), errs, failed))
                    })
                })
                .collect();
            // Meanwhile: write what the previous batch produced, and cut the next batch.
            let io_result = (|| -> Result<(bool, Vec<Result<Frame, InputError>>)> {
                let mut f = false;
                for r in pending.drain(..) {
                    let (o, e, pf) = r?;
                    out.write_all(&o)?;
                    stderr.write_all(&e)?;
                    f |= pf;
                    pool.push(o);
                }
                Ok((f, frames.by_ref().take(BATCH).collect()))
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
        let (f, next) = io_result?;
        failed |= f;
        pending = results;
        cur = next;
    }
}

/// Run `decode`.
pub fn run(global: &GlobalArgs, args: &DecodeArgs) -> Result<u8> {
    let specs = load_spec(&global.spec)?;
    let framing = framing_choice(&args.framing)?;
    let filter = filter_of(&args.filter)?;
    let heads = JsonHeads::new(&specs);
    let inputs = posresp::input::inputs_or_stdin(
        &args.inputs,
        "decode",
        "a file, '-' for standard input, or hex digits",
    )?;
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
    let ctx = Ctx {
        specs: &specs,
        framing: &framing,
        heads: &heads,
        global,
        args,
        filter: &filter,
    };
    let mut worker = Worker::new(&ctx);
    for arg in &inputs {
        let (reader, literal) = match open_input(arg) {
            Ok(r) => r,
            Err(e) => {
                writeln!(stderr, "posresp: {e:#}")?;
                failed = true;
                continue;
            }
        };
        let (reader, taken) = posresp::input::counted(reader);
        // With the output going to the terminal too, a bar would only get in its way.
        let _bar = if std::io::IsTerminal::is_terminal(&io::stdout()) {
            None
        } else {
            crate::progress::Progress::start(crate::progress::file_size(arg), vec![taken])
        };
        let format = if literal && args.input_format == InputFormatArg::Auto {
            InputFormat::Hex
        } else {
            args.input_format.into()
        };
        let (frames, format) =
            FrameReader::new(reader, format).with_context(|| format!("cannot read {arg}"))?;
        let frames = frames.host_ports(&args.host_port);
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
            failed |= run_parallel(
                reader,
                line_no,
                format,
                &name,
                &mut index,
                &ctx,
                sink.inner_mut(),
                &mut stderr,
            )?;
            continue;
        }
        if global.output == OutputFormat::Jsonl
            && matches!(format, InputFormat::Pcap | InputFormat::Tcpdump)
        {
            failed |= run_parallel_frames(
                frames,
                &name,
                &mut index,
                &ctx,
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
