//! `stats --follow LOG`: a growing log watched live. New lines are read as they are written
//! (a rotated or truncated log is reopened from its start), decoded, requests paired with
//! their responses, and every interval the figures of the rolling window are shown.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, anyhow, bail};

use posresp::glossary;
use posresp::input::{InputFormat, MAX_LINE, line_record};
use posresp::monitor::{Alert, Sample};
use posresp::specs::{Decoder, framing_choice, load_spec};
use posresp::traffic::TxKey;

use super::StatsArgs;
use crate::global::GlobalArgs;

/// Bytes read from the log at a time.
const READ_CHUNK: usize = 256 * 1024;

/// A log file read as it grows.
struct Tail {
    path: String,
    file: File,
    ino: (u64, u64),
    pos: u64,
    partial: Vec<u8>,
    line_no: usize,
    /// Where reads land (kept, not allocated per read).
    chunk: Vec<u8>,
}

impl Tail {
    fn open(path: &str, from_start: bool) -> Result<Tail> {
        let mut file = File::open(path).with_context(|| format!("cannot open {path}"))?;
        // Only logs of lines can be followed as they grow.
        let mut head = vec![0u8; 64 * 1024];
        let n = file.read(&mut head)?;
        head.truncate(n);
        let form = posresp::input::detect(&head);
        if n > 0
            && matches!(
                form,
                InputFormat::Pcap | InputFormat::Tcpdump | InputFormat::JposXml | InputFormat::Raw
            )
        {
            bail!(
                "{path} is a {} input, not a log of lines: --follow reads JSON Lines or one \
                 message per line; for this file use posresp stats without --follow",
                form.name()
            );
        }
        file.seek(SeekFrom::Start(0))?;
        let meta = file.metadata()?;
        let pos = if from_start {
            0
        } else {
            file.seek(SeekFrom::End(0))?
        };
        Ok(Tail {
            path: path.to_string(),
            file,
            ino: (meta.dev(), meta.ino()),
            pos,
            partial: Vec::new(),
            line_no: 0,
            chunk: vec![0u8; READ_CHUNK],
        })
    }

    /// Complete lines written since the last call (up to a buffer's worth, so that memory
    /// stays flat however fast the log grows), with their line numbers; true when there may
    /// be more to read at once.
    fn poll(&mut self, lines: &mut Vec<(Vec<u8>, usize)>, notes: &mut Vec<String>) -> Result<bool> {
        if self.read_more(lines)? {
            return Ok(true);
        }
        // A new file under the name (rotation), or the same one cut shorter (truncation).
        match std::fs::metadata(&self.path) {
            Ok(m) if (m.dev(), m.ino()) != self.ino => {
                if let Ok(f) = File::open(&self.path) {
                    self.finish_line(lines);
                    notes.push(format!("{} was rotated; reading the new file", self.path));
                    self.file = f;
                    self.ino = (m.dev(), m.ino());
                    self.pos = 0;
                    self.line_no = 0;
                    self.read_more(lines)?;
                }
            }
            Ok(m) if m.len() < self.pos => {
                self.finish_line(lines);
                notes.push(format!(
                    "{} was truncated; reading from its start",
                    self.path
                ));
                self.file.seek(SeekFrom::Start(0))?;
                self.pos = 0;
                self.line_no = 0;
                self.read_more(lines)?;
            }
            // Gone for now (being rotated): keep reading the file still open.
            _ => {}
        }
        Ok(!lines.is_empty())
    }

    /// One buffer's worth of the file; true when it was full (more may be waiting).
    fn read_more(&mut self, lines: &mut Vec<(Vec<u8>, usize)>) -> Result<bool> {
        let n = match self.file.read(&mut self.chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(true),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", self.path)),
        };
        if n == 0 {
            return Ok(false);
        }
        self.pos += n as u64;
        let mut rest = &self.chunk[..n];
        while let Some(i) = rest.iter().position(|&c| c == b'\n') {
            self.partial.extend_from_slice(&rest[..=i]);
            self.line_no += 1;
            lines.push((std::mem::take(&mut self.partial), self.line_no));
            rest = &rest[i + 1..];
        }
        if self.partial.len() + rest.len() > MAX_LINE {
            // Not a line of a log: report it as a line too long, as the batch reader does.
            self.line_no += 1;
            lines.push((posresp::input::OVERLONG.to_vec(), self.line_no));
            self.partial.clear();
        } else {
            self.partial.extend_from_slice(rest);
        }
        Ok(n == self.chunk.len())
    }

    /// A last line without its newline, when the file it is in is left behind.
    fn finish_line(&mut self, lines: &mut Vec<(Vec<u8>, usize)>) {
        if !self.partial.is_empty() {
            self.line_no += 1;
            lines.push((std::mem::take(&mut self.partial), self.line_no));
        }
    }
}

fn ms_of(what: &str, v: &str) -> Result<u64> {
    posresp::host::delay::option_ms(what, v).map_err(|e| anyhow!(e))
}

/// Run `stats --follow`.
pub fn run(global: &GlobalArgs, args: &StatsArgs) -> Result<u8> {
    let [path] = args.inputs.as_slice() else {
        bail!(
            "--follow watches one log file: give its path (e.g. posresp stats --follow traffic.jsonl)"
        );
    };
    if path == "-" {
        bail!(
            "--follow watches a file that grows; for standard input use posresp stats without --follow"
        );
    }
    let specs = load_spec(&global.spec)?;
    let mut decoder = Decoder::new(&specs, framing_choice("auto")?);
    let window_ms = ms_of("window", &args.window)?;
    let interval = ms_of("interval", &args.interval)?;
    let timeout_ms = match &args.timeout {
        Some(t) => ms_of("timeout", t)?,
        None => 30_000,
    };
    let slow_us = match &args.slow {
        Some(t) => Some(ms_of("slow", t)? * 1000),
        None => None,
    };
    let stop_after = args
        .duration
        .as_deref()
        .map(|d| ms_of("duration", d))
        .transpose()?;
    let alerts = args
        .alert
        .iter()
        .map(|a| Alert::parse(a).map_err(|e| anyhow!(e)))
        .collect::<Result<Vec<_>>>()?;
    let filter = posresp::filter::Filter::all(&args.filter).map_err(|e| anyhow!(e))?;
    let mut tail = Tail::open(path, args.from_start)?;
    let mut live = crate::live::Live::new(
        format!("posresp stats --follow {}", crate::render::sanitize(path)),
        window_ms.div_ceil(1000),
        slow_us,
        alerts,
    );
    let mut stderr = io::stderr();
    if let Some(addr) = &args.metrics {
        let bound = live.serve_metrics(addr)?;
        writeln!(stderr, "posresp: metrics at http://{bound}/metrics")?;
    }
    let stop = crate::interrupt::on_signal();
    let start = Instant::now();
    let now_ms = || start.elapsed().as_millis() as u64;
    let wall_ms = || {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    };
    // Outstanding requests: their log time, and when they were read.
    let mut pending: HashMap<TxKey, (Option<u64>, u64)> = HashMap::new();
    let mut next_tick = interval;
    let mut lines = Vec::new();
    let mut notes = Vec::new();
    loop {
        let more = tail.poll(&mut lines, &mut notes)?;
        for n in notes.drain(..) {
            writeln!(stderr, "posresp: {n}")?;
        }
        let now = now_ms();
        for (raw, line) in lines.drain(..) {
            let Some(item) = line_record(InputFormat::Lines, &raw, line) else {
                continue;
            };
            let frame = match item {
                Ok(f) => f,
                Err(e) => {
                    writeln!(stderr, "posresp: {path}: {e}")?;
                    live.add(now, Sample::Undecodable);
                    continue;
                }
            };
            let (spec, err) = decoder.decode(&frame);
            let Some(spec) = spec.filter(|_| err.is_none()) else {
                let what = err.map_or_else(|| "no spec decodes it".into(), |e| e.to_string());
                writeln!(stderr, "posresp: {path}: line {line}: {what}")?;
                live.add(now, Sample::Undecodable);
                continue;
            };
            let dec = &decoder.dec;
            if !filter.is_empty()
                && !filter.matches(|s| posresp::filter::value_of(s, &frame, Some(spec), dec))
            {
                continue;
            }
            let ts = frame.ts.as_deref().and_then(posresp::timestamp::parse);
            let key = posresp::traffic::tx_key(dec, frame.flow);
            let response = posresp::traffic::is_response(frame.dir.as_deref(), dec.mti());
            if !response {
                live.add(now, Sample::Request);
                pending.insert(key, (ts, now));
                continue;
            }
            let req = pending.remove(&key);
            let latency_us =
                posresp::traffic::latency_us(frame.latency_ms, ts, req.and_then(|r| r.0));
            let code = dec.get(39);
            let category = code
                .and_then(|c| glossary::response_code(spec.dialect, c))
                .map_or("unknown", |rc| rc.category.as_str());
            live.add(
                now,
                Sample::Response {
                    code,
                    category,
                    terminal: dec.get(41).map(str::trim),
                    latency_us,
                },
            );
        }
        if now >= next_tick {
            // Requests unanswered for longer than the timeout are given up on (the map holds
            // the outstanding requests only).
            let before = pending.len();
            pending.retain(|_, p| p.1 + timeout_ms > now);
            for _ in pending.len()..before {
                live.add(now, Sample::Timeout);
            }
            live.tick(now, wall_ms())?;
            next_tick += interval * ((now - next_tick) / interval + 1);
        }
        let done = crate::interrupt::stopped(&stop) || stop_after.is_some_and(|d| now >= d);
        if done {
            break;
        }
        if !more {
            std::thread::sleep(Duration::from_millis(interval.min(100)));
        }
    }
    // What the last part of an interval held.
    live.tick(now_ms(), wall_ms())?;
    Ok(if live.any_fired { 1 } else { 0 })
}
