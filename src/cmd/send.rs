//! `posresp send`: a client for any host. Without --replay, each message of the inputs is
//! sent in turn and its answer decoded and printed like `decode` prints. With --replay, the
//! requests of a log are sent over several connections with many in flight, answers are
//! paired with requests by trace number and terminal (fields 11 and 41), and the run is
//! reported: throughput, latency percentiles, response-code mix, timeouts.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use posresp::codec::framing::{FRAMING_NAMES, FramingInfo, LengthPrefix, wrap};
use posresp::codec::{Decoded, FramingChoice, FramingSpec, Spec, decode_into};
use posresp::glossary;
use posresp::host::clock::{now_ms, stamp};
use posresp::host::delay::millis;
use posresp::host::respond::is_request;
use posresp::host::stream::{MAX_FRAME, frame_len, streamable};
use posresp::input::Frame;

use crate::cli::{GlobalArgs, OutputFormat};
use crate::cmd::decode::{
    JsonHeads, ReportOpts, SpecChoice, at_line, decode_frame, input_name, load_spec, open_frames,
    report, use_color,
};
use crate::cmd::traffic::{Latencies, LogFile, json_escape, log_hex_decoded};
use crate::render::{Sink, sanitize};

/// Send messages to a host and decode the answers, or replay a log and measure.
///
/// Each request of the inputs (hex, binary, dumps, logs; responses in a log are skipped) is
/// put in the wire framing (the spec's, or --framing) and sent; the answer with the same
/// trace number and terminal is decoded and printed. --replay sends a log's requests with
/// --concurrency requests in flight over --connections connections, at --rate per second if
/// given, and reports throughput, latency percentiles, the response-code mix and timeouts.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  posresp --spec cup send --to 127.0.0.1:8583 testdata/cup/cup-0200-cnblogs.hex
  posresp --spec iso87ascii send --to host:8583 --framing len2 --fail-on-decline 0200…
  posresp --spec cup send --to 127.0.0.1:8583 --replay traffic.jsonl --concurrency 64 --connections 4 --log out.jsonl")]
pub struct SendArgs {
    /// Host to send to.
    #[arg(long, value_name = "HOST:PORT")]
    pub to: String,
    /// Messages to send: files, '-' for standard input, or hex digits.
    #[arg(value_name = "INPUT", conflicts_with = "replay")]
    pub inputs: Vec<String>,
    /// Replay the requests of this log and report on the run.
    #[arg(long, value_name = "LOG")]
    pub replay: Option<String>,
    /// Wait this long for each answer (e.g. 5s, 500ms).
    #[arg(long, default_value = "5s", value_name = "DURATION")]
    pub timeout: String,
    /// Framing on the wire: spec (the spec's own), len2, len2bcd, len4ascii, cup, stx …
    #[arg(long, default_value = "spec")]
    pub framing: String,
    /// Exit 1 when an answer is not an approval, or no answer came.
    #[arg(long)]
    pub fail_on_decline: bool,
    /// Replay: requests in flight at once, over all connections.
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub concurrency: usize,
    /// Replay: connections to open.
    #[arg(long, default_value_t = 4, value_name = "M")]
    pub connections: usize,
    /// Replay: requests per second over all connections (default: as fast as answered).
    #[arg(long, value_name = "PER_SECOND")]
    pub rate: Option<f64>,
    /// Replay: send the log's requests this many times.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub repeat: u64,
    /// Write the exchanged traffic to this JSON Lines log (card data zeroed unless --unmask).
    #[arg(long, value_name = "FILE")]
    pub log: Option<String>,
    /// Decoded answers as brief JSON (top-level fields only).
    #[arg(long)]
    pub brief: bool,
}

/// The wire framing for `spec` and `--framing`.
fn wire_framing(spec: &Spec, name: &str) -> Result<FramingSpec> {
    let f = if name == "spec" {
        spec.framing.clone()
    } else {
        FramingSpec::named(name).ok_or_else(|| {
            anyhow!(
                "unknown framing {name:?}; use spec or one of {}",
                FRAMING_NAMES.join(", ")
            )
        })?
    };
    streamable(&f).map_err(|e| anyhow!("{e}"))?;
    Ok(f)
}

/// The request `bytes` (decoded as `dec`) in the wire framing: as given when it already has
/// that framing, else its body re-wrapped (keeping its TPDU and header).
fn to_wire(dec: &Decoded, bytes: &[u8], wire: &FramingSpec) -> Result<Vec<u8>, String> {
    let found = dec.framing.as_ref();
    let found_stx = found.is_some_and(|f| f.lrc.is_some());
    let same = found.is_some_and(|f| {
        f.spec.length == wire.length
            && f.spec.tpdu == wire.tpdu
            && f.spec.header == wire.header
            && found_stx == wire.stx
    });
    let end = dec.total_len.min(bytes.len());
    if same {
        return Ok(bytes[..end].to_vec());
    }
    let body_end = if found_stx {
        end.saturating_sub(2)
    } else {
        end
    };
    let body = bytes
        .get(dec.mti_offset..body_end)
        .ok_or("message shorter than its framing")?;
    let info = FramingInfo {
        kind: wire.kind(),
        length: None,
        tpdu: found.and_then(|f| f.tpdu.clone()),
        header: found.and_then(|f| f.header.clone()),
        lrc: None,
        rule: "".into(),
        spec: wire.clone(),
    };
    if wire.tpdu && info.tpdu.is_none() || wire.header > 0 && info.header.is_none() {
        return Err(format!(
            "the message has no TPDU or header but framing {} needs them; give the whole frame \
             as the terminal sends it, or another --framing",
            wire.kind()
        ));
    }
    if wire.length == LengthPrefix::None && !wire.stx {
        return Ok(body.to_vec());
    }
    wrap(&info, body)
}

/// The pairing key of a message: trace number and terminal.
fn pair_key(dec: &Decoded) -> (String, String) {
    (
        dec.get(11).unwrap_or("").to_string(),
        dec.get(41).unwrap_or("").trim_end().to_string(),
    )
}

fn duration(s: &str, what: &str) -> Result<Duration> {
    let ms = millis(s).map_err(|e| anyhow!("{what}: {e}"))?;
    if ms <= 0.0 {
        bail!("{what}: must be above zero");
    }
    Ok(Duration::from_secs_f64(ms / 1000.0))
}

fn connect(to: &str, timeout: Duration) -> Result<TcpStream> {
    let addrs: Vec<_> = to
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve {to}"))?
        .collect();
    let mut last = None;
    for a in addrs {
        match TcpStream::connect_timeout(&a, timeout) {
            Ok(s) => {
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(anyhow!(
        "cannot connect to {to}: {}; is the host listening?",
        last.map_or_else(|| "no address".into(), |e| e.to_string())
    ))
}

/// Run `send`.
pub fn run(global: &GlobalArgs, args: &SendArgs) -> Result<u8> {
    let specs = load_spec(&global.spec)?;
    let timeout = duration(&args.timeout, "--timeout")?;
    match &args.replay {
        Some(log) => replay(global, args, &specs, log, timeout),
        None => send_each(global, args, &specs, timeout),
    }
}

/// One answer read from a blocking stream.
enum Read1 {
    Frame(Vec<u8>),
    Timeout,
    Closed(usize),
}

fn read_frame(
    s: &mut TcpStream,
    buf: &mut Vec<u8>,
    wire: &FramingSpec,
    deadline: Instant,
) -> Result<Read1> {
    loop {
        match frame_len(wire, buf) {
            Ok(Some(n)) => {
                let f: Vec<u8> = buf.drain(..n).collect();
                return Ok(Read1::Frame(f));
            }
            Ok(None) if buf.len() > MAX_FRAME => bail!("answer longer than 65 KiB"),
            Ok(None) => {}
            Err(e) => bail!(
                "the answer cannot be framed as {} (byte {}: {}); check --framing",
                wire.kind(),
                e.offset,
                e.problem
            ),
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(Read1::Timeout);
        }
        s.set_read_timeout(Some(left))?;
        let mut chunk = [0u8; 8192];
        match s.read(&mut chunk) {
            Ok(0) => return Ok(Read1::Closed(buf.len())),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(Read1::Timeout);
            }
            Err(e) => return Err(e.into()),
        }
    }
}

fn send_each(
    global: &GlobalArgs,
    args: &SendArgs,
    specs: &SpecChoice,
    timeout: Duration,
) -> Result<u8> {
    if args.inputs.is_empty() {
        bail!("nothing to send: give messages (files, '-', hex) or --replay LOG");
    }
    let heads = JsonHeads::new(specs);
    let opts = ReportOpts {
        unmask: global.unmask,
        raw: false,
        heads: &heads,
        brief: args.brief,
    };
    let stdout = io::stdout();
    let mut sink = Sink::new(
        io::BufWriter::new(stdout.lock()),
        global.output,
        use_color(global.color),
    )
    .brief(args.brief);
    let log = args.log.as_deref().map(LogFile::create).transpose()?;
    let (log_tx, log_thread) = match log {
        Some(l) => {
            let (t, h) = l.split();
            (Some(t), Some(h))
        }
        None => (None, None),
    };
    let mut conn: Option<TcpStream> = None;
    let mut buf = Vec::new();
    let (mut errors, mut declines, mut timeouts, mut skipped, mut index) = (0, 0, 0, 0, 0usize);
    let mut dec = Decoded::default();
    let mut answer = Decoded::default();
    let mut sticky = None;
    for arg in &args.inputs {
        let name = input_name(arg);
        let frames = match open_frames(arg) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("posresp: {e:#}");
                errors += 1;
                continue;
            }
        };
        for (n, item) in frames.enumerate() {
            let frame = match item {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("posresp: {name}: message {} ({e})", n + 1);
                    errors += 1;
                    continue;
                }
            };
            if frame.dir.as_deref() == Some("resp") {
                skipped += 1;
                continue;
            }
            let (spec, err) =
                decode_frame(specs, &frame, &FramingChoice::Auto, &mut dec, &mut sticky);
            let spec = match (spec, err) {
                (Some(s), None) => s,
                (_, e) => {
                    let what = e.map_or_else(
                        || "no spec decodes it".into(),
                        |e| format!("{e}; {}", e.hint()),
                    );
                    eprintln!(
                        "posresp: {name}: message {}{}: {what}; not sent",
                        n + 1,
                        at_line(&frame)
                    );
                    errors += 1;
                    continue;
                }
            };
            if !is_request(dec.mti()) {
                skipped += 1;
                continue;
            }
            let wire = wire_framing(spec, &args.framing)?;
            let bytes = match to_wire(&dec, &frame.bytes, &wire) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!(
                        "posresp: {name}: message {}{}: {e}; not sent",
                        n + 1,
                        at_line(&frame)
                    );
                    errors += 1;
                    continue;
                }
            };
            let key = pair_key(&dec);
            let s = match &mut conn {
                Some(s) => s,
                None => {
                    buf.clear();
                    conn.insert(connect(&args.to, timeout)?)
                }
            };
            let sent_at = Instant::now();
            let ts = stamp(now_ms()).rfc3339;
            if let Err(e) = s.write_all(&bytes) {
                eprintln!("posresp: {}: cannot send message {}: {e}", args.to, n + 1);
                conn = None;
                errors += 1;
                continue;
            }
            if let Some(l) = &log_tx {
                // Logged as sent: the wire framing, card data zeroed unless --unmask.
                let mut wire_dec = Decoded::default();
                let hex = match decode_into(
                    spec,
                    &bytes,
                    &FramingChoice::Given(wire.clone()),
                    &mut wire_dec,
                ) {
                    Ok(()) => log_hex_decoded(spec, &wire_dec, &bytes, global.unmask),
                    Err(_) if global.unmask => posresp::codec::encoding::to_hex(&bytes),
                    Err(_) => String::new(),
                };
                let _ = l.send(
                    format!(
                        "{{\"ts\":\"{ts}\",\"dir\":\"req\",\"spec\":{},\"hex\":\"{hex}\"}}\n",
                        json_escape(&spec.name)
                    )
                    .into_bytes(),
                );
            }
            // Read until the answer with this trace number and terminal, or the timeout.
            let deadline = sent_at + timeout;
            let choice = if args.framing == "spec" {
                FramingChoice::Spec
            } else {
                FramingChoice::Given(wire.clone())
            };
            let got = loop {
                match read_frame(s, &mut buf, &wire, deadline) {
                    Ok(Read1::Frame(f)) => {
                        let ok = decode_into(spec, &f, &choice, &mut answer);
                        if ok.is_ok() && pair_key(&answer) != key {
                            eprintln!(
                                "posresp: {}: an answer for another request (trace {:?}, \
                                 terminal {:?}) while waiting for message {}; ignored",
                                args.to,
                                answer.get(11).unwrap_or(""),
                                answer.get(41).unwrap_or(""),
                                n + 1
                            );
                            continue;
                        }
                        break Some((f, ok.err()));
                    }
                    Ok(Read1::Timeout) => {
                        eprintln!(
                            "posresp: {name}: message {}: no answer from {} within {:?}",
                            n + 1,
                            args.to,
                            timeout
                        );
                        timeouts += 1;
                        break None;
                    }
                    Ok(Read1::Closed(partial)) => {
                        let what = if partial > 0 {
                            format!("after {partial} bytes of an answer")
                        } else {
                            "without answering".to_string()
                        };
                        eprintln!(
                            "posresp: {name}: message {}: {} closed the connection {what}",
                            n + 1,
                            args.to
                        );
                        conn = None;
                        timeouts += 1;
                        break None;
                    }
                    Err(e) => {
                        eprintln!("posresp: {name}: message {}: {e:#}", n + 1);
                        conn = None;
                        errors += 1;
                        break None;
                    }
                }
            };
            let Some((bytes_in, err)) = got else {
                continue;
            };
            let latency = sent_at.elapsed().as_secs_f64() * 1000.0;
            let rts = stamp(now_ms()).rfc3339;
            if let Some(l) = &log_tx {
                let hex = log_hex_decoded(spec, &answer, &bytes_in, global.unmask || err.is_some());
                let hex = if err.is_some() && !global.unmask {
                    String::new()
                } else {
                    hex
                };
                let _ = l.send(
                    format!(
                        "{{\"ts\":\"{rts}\",\"dir\":\"resp\",\"spec\":{},\"hex\":\"{hex}\",\"latency_ms\":{latency:.3}}}\n",
                        json_escape(&spec.name)
                    )
                    .into_bytes(),
                );
            }
            if let Some(e) = &err {
                eprintln!(
                    "posresp: {}: the answer to message {} does not decode: {e}; {}",
                    args.to,
                    n + 1,
                    e.hint()
                );
                errors += 1;
            } else {
                let approved = answer
                    .get(39)
                    .and_then(|c| glossary::response_code(spec.dialect, c))
                    .is_some_and(|r| r.category == "approved");
                if !approved {
                    declines += 1;
                }
            }
            if global.output == OutputFormat::Table {
                writeln!(
                    sink.inner_mut(),
                    "{}Sent request {} ({} · trace {} · terminal {}) to {}: answer in {latency:.2} ms",
                    if index > 0 { "\n" } else { "" },
                    index + 1,
                    dec.mti(),
                    sanitize(&key.0),
                    sanitize(&key.1),
                    args.to
                )?;
            }
            let rframe = Frame {
                bytes: bytes_in,
                ts: Some(rts),
                dir: Some("resp".into()),
                latency_ms: Some((latency * 1000.0).round() / 1000.0),
                ..Frame::default()
            };
            let r = report(
                index,
                &rframe,
                Some(spec),
                &answer,
                err.as_ref(),
                &rframe.bytes,
                &opts,
            );
            sink.message(&r)?;
            index += 1;
        }
    }
    sink.finish()?;
    drop(log_tx);
    if let Some(h) = log_thread {
        LogFile::finish(h)?;
    }
    if skipped > 0 {
        eprintln!("posresp: {skipped} responses in the input were not sent (only requests are)");
    }
    Ok(if errors > 0 {
        2
    } else if args.fail_on_decline && (declines > 0 || timeouts > 0) {
        1
    } else {
        0
    })
}

// ---------------------------------------------------------------------------------------
// Replay

/// A request ready for the wire.
struct Req {
    bytes: Vec<u8>,
    key: u64,
}

fn hash_key(k: &(String, String)) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    k.hash(&mut h);
    h.finish()
}

/// What one connection saw.
#[derive(Default)]
struct ConnReport {
    sent: u64,
    answers: u64,
    timeouts: u64,
    malformed: u64,
    unmatched: u64,
    lost: u64,
    reconnects: u64,
    codes: HashMap<String, u64>,
    latency: Latencies,
}

impl ConnReport {
    fn merge(&mut self, o: ConnReport) {
        self.sent += o.sent;
        self.answers += o.answers;
        self.timeouts += o.timeouts;
        self.malformed += o.malformed;
        self.unmatched += o.unmatched;
        self.lost += o.lost;
        self.reconnects += o.reconnects;
        for (k, v) in o.codes {
            *self.codes.entry(k).or_default() += v;
        }
        self.latency.merge(&o.latency);
    }
}

struct ReplayCtx {
    to: String,
    spec: Spec,
    spec_json: String,
    wire: FramingSpec,
    choice: FramingChoice,
    window: usize,
    per_conn_rate: Option<f64>,
    timeout: Duration,
    log: Option<std::sync::mpsc::Sender<Vec<u8>>>,
    unmask: bool,
}

#[derive(Serialize)]
struct CodeRow {
    code: String,
    meaning: String,
    category: String,
    count: u64,
    share: f64,
}

#[derive(Serialize)]
struct ReplayReport {
    to: String,
    spec: String,
    connections: usize,
    concurrency: usize,
    rate: Option<f64>,
    requests: u64,
    answers: u64,
    timeouts: u64,
    malformed_answers: u64,
    unmatched_answers: u64,
    lost_to_closed_connections: u64,
    reconnects: u64,
    unreadable_requests: u64,
    seconds: f64,
    per_second: f64,
    latency_ms: Option<LatencyMs>,
    codes: Vec<CodeRow>,
}

#[derive(Serialize)]
struct LatencyMs {
    p50: f64,
    p90: f64,
    p99: f64,
    p999: f64,
    max: f64,
    mean: f64,
}

fn replay(
    global: &GlobalArgs,
    args: &SendArgs,
    specs: &SpecChoice,
    log_path: &str,
    timeout: Duration,
) -> Result<u8> {
    let m = args.connections.max(1);
    let n = args.concurrency.max(1);
    if let Some(r) = args.rate
        && !(r > 0.0 && r.is_finite())
    {
        bail!("--rate must be above zero");
    }
    // The spec: the one given, or the first that decodes a request of the log.
    let spec = match specs {
        SpecChoice::One(s) => (**s).clone(),
        SpecChoice::Auto(_) => {
            let mut dec = Decoded::default();
            let mut sticky = None;
            let mut found = None;
            for item in open_frames(log_path)?.take(1000) {
                let Ok(frame) = item else { continue };
                if let (Some(s), None) =
                    decode_frame(specs, &frame, &FramingChoice::Auto, &mut dec, &mut sticky)
                {
                    found = Some(s.clone());
                    break;
                }
            }
            found
                .ok_or_else(|| anyhow!("no spec decodes the requests of {log_path}; give --spec"))?
        }
    };
    let wire = wire_framing(&spec, &args.framing)?;
    let (log_tx, log_thread) = match args.log.as_deref().map(LogFile::create).transpose()? {
        Some(l) => {
            let (t, h) = l.split();
            (Some(t), Some(h))
        }
        None => (None, None),
    };
    let ctx = Arc::new(ReplayCtx {
        to: args.to.clone(),
        spec_json: json_escape(&spec.name),
        spec,
        choice: FramingChoice::Given(wire.clone()),
        wire,
        window: n.div_ceil(m).max(1),
        per_conn_rate: args.rate.map(|r| r / m as f64),
        timeout,
        log: log_tx,
        unmask: global.unmask,
    });
    // The feeder thread reads the log and deals requests to the connections in turn.
    let mut senders = Vec::with_capacity(m);
    let mut receivers = Vec::with_capacity(m);
    for _ in 0..m {
        let (tx, rx) = mpsc::channel::<Vec<Req>>(4);
        senders.push(tx);
        receivers.push(rx);
    }
    let feeder = {
        let ctx = Arc::clone(&ctx);
        let path = log_path.to_string();
        let repeat = args.repeat.max(1);
        std::thread::spawn(move || feed(&ctx, &path, repeat, senders))
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(std::thread::available_parallelism().map_or(2, |n| n.get()))
        .enable_all()
        .build()?;
    let started = Instant::now();
    let total = runtime.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for rx in receivers {
            set.spawn(connection(Arc::clone(&ctx), rx));
        }
        let mut total = ConnReport::default();
        let mut first_err = None;
        while let Some(r) = set.join_next().await {
            match r {
                Ok(Ok(rep)) => total.merge(rep),
                Ok(Err(e)) => {
                    first_err.get_or_insert(e);
                }
                Err(e) => {
                    first_err.get_or_insert(anyhow!("connection task failed: {e}"));
                }
            }
        }
        match first_err {
            Some(e) => Err(e),
            None => Ok(total),
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let unreadable = feeder
        .join()
        .map_err(|_| anyhow!("the log reader stopped"))??;
    let total = total?;
    let spec = &ctx.spec;
    let (spec_name, dialect) = (spec.name.clone(), spec.dialect);
    drop(ctx);
    if let Some(h) = log_thread {
        LogFile::finish(h)?;
    }
    let ms = |us: Option<u64>| us.unwrap_or(0) as f64 / 1000.0;
    let h = &total.latency;
    let latency = (h.count() > 0).then(|| LatencyMs {
        p50: ms(h.percentile(0.50)),
        p90: ms(h.percentile(0.90)),
        p99: ms(h.percentile(0.99)),
        p999: ms(h.percentile(0.999)),
        max: ms(h.max()),
        mean: h.mean().unwrap_or(0.0) / 1000.0,
    });
    let mut codes: Vec<CodeRow> = total
        .codes
        .iter()
        .map(|(c, &count)| {
            let r = glossary::response_code(dialect, c);
            CodeRow {
                code: c.clone(),
                meaning: r.map_or("unknown code", |r| r.meaning.as_str()).to_string(),
                category: r.map_or("unknown", |r| r.category.as_str()).to_string(),
                count,
                share: count as f64 / total.answers.max(1) as f64,
            }
        })
        .collect();
    codes.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
    let declined: u64 = codes
        .iter()
        .filter(|c| c.category != "approved")
        .map(|c| c.count)
        .sum();
    let rep = ReplayReport {
        to: args.to.clone(),
        spec: spec_name,
        connections: m,
        concurrency: n,
        rate: args.rate,
        requests: total.sent,
        answers: total.answers,
        timeouts: total.timeouts,
        malformed_answers: total.malformed,
        unmatched_answers: total.unmatched,
        lost_to_closed_connections: total.lost,
        reconnects: total.reconnects,
        unreadable_requests: unreadable,
        seconds,
        per_second: total.answers as f64 / seconds.max(1e-9),
        latency_ms: latency,
        codes,
    };
    print_report(global.output, &rep)?;
    let unanswered = rep.timeouts + rep.lost_to_closed_connections;
    Ok(if unreadable > 0 || rep.malformed_answers > 0 {
        2
    } else if args.fail_on_decline && (declined > 0 || unanswered > 0) {
        1
    } else {
        0
    })
}

fn print_report(format: OutputFormat, r: &ReplayReport) -> Result<()> {
    let mut out = io::stdout().lock();
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, r)?;
            writeln!(out)?;
        }
        OutputFormat::Jsonl => {
            serde_json::to_writer(&mut out, r)?;
            writeln!(out)?;
        }
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["code", "meaning", "category", "count", "share"])?;
            for c in &r.codes {
                w.write_record([
                    c.code.as_str(),
                    c.meaning.as_str(),
                    c.category.as_str(),
                    &c.count.to_string(),
                    &format!("{:.4}", c.share),
                ])?;
            }
            w.flush()?;
        }
        OutputFormat::Table => {
            writeln!(
                out,
                "{} requests to {} over {} connections ({} in flight{}) in {:.2} s: {:.0} answers per second",
                r.requests,
                r.to,
                r.connections,
                r.concurrency,
                r.rate.map(|x| format!(", rate {x}/s")).unwrap_or_default(),
                r.seconds,
                r.per_second
            )?;
            writeln!(
                out,
                "answers {} · timeouts {} · lost to closed connections {} · malformed answers {} · unmatched answers {} · reconnects {}",
                r.answers,
                r.timeouts,
                r.lost_to_closed_connections,
                r.malformed_answers,
                r.unmatched_answers,
                r.reconnects
            )?;
            if let Some(l) = &r.latency_ms {
                writeln!(
                    out,
                    "latency (ms): p50 {:.3} · p90 {:.3} · p99 {:.3} · p99.9 {:.3} · max {:.3} · mean {:.3}",
                    l.p50, l.p90, l.p99, l.p999, l.max, l.mean
                )?;
            }
            if !r.codes.is_empty() {
                let mut t = Table::new();
                t.load_style(UTF8_FULL_CONDENSED)
                    .set_content_arrangement(ContentArrangement::Dynamic);
                t.set_header(["Code", "Meaning", "Category", "Count", "Share"]);
                for c in &r.codes {
                    t.add_row(vec![
                        Cell::new(&c.code),
                        Cell::new(&c.meaning),
                        Cell::new(&c.category),
                        Cell::new(c.count).set_alignment(CellAlignment::Right),
                        Cell::new(format!("{:.2}%", c.share * 100.0))
                            .set_alignment(CellAlignment::Right),
                    ]);
                }
                writeln!(out, "{t}")?;
            }
        }
    }
    Ok(())
}

/// Read the log's requests and deal them to the connections in batches; returns how many
/// messages could not be read or decoded (each reported on stderr).
fn feed(
    ctx: &ReplayCtx,
    path: &str,
    repeat: u64,
    senders: Vec<mpsc::Sender<Vec<Req>>>,
) -> Result<u64> {
    // Small batches when each connection has a small window, so that no connection holds
    // requests that an idle one could send.
    let batch_size = (ctx.window * 2).clamp(1, 64);
    let name = input_name(path);
    let mut bad = 0u64;
    let mut dec = Decoded::default();
    let mut batch: Vec<Req> = Vec::with_capacity(batch_size);
    let mut turn = 0usize;
    let mut requests = 0u64;
    let auto = FramingChoice::Auto;
    for round in 0..repeat {
        for (n, item) in open_frames(path)?.enumerate() {
            let frame = match item {
                Ok(f) => f,
                Err(e) => {
                    if round == 0 {
                        eprintln!("posresp: {name}: message {} ({e})", n + 1);
                        bad += 1;
                    }
                    continue;
                }
            };
            if frame.dir.as_deref() == Some("resp") {
                continue;
            }
            if let Err(e) = decode_into(&ctx.spec, &frame.bytes, &auto, &mut dec) {
                if round == 0 {
                    eprintln!(
                        "posresp: {name}: message {}{}: {e}; {}; not sent",
                        n + 1,
                        at_line(&frame),
                        e.hint()
                    );
                    bad += 1;
                }
                continue;
            }
            if !is_request(dec.mti()) {
                continue;
            }
            let bytes = match to_wire(&dec, &frame.bytes, &ctx.wire) {
                Ok(b) => b,
                Err(e) => {
                    if round == 0 {
                        eprintln!("posresp: {name}: message {}{}: {e}", n + 1, at_line(&frame));
                        bad += 1;
                    }
                    continue;
                }
            };
            requests += 1;
            batch.push(Req {
                bytes,
                key: hash_key(&pair_key(&dec)),
            });
            if batch.len() >= batch_size {
                let b = std::mem::replace(&mut batch, Vec::with_capacity(batch_size));
                if !deal(&senders, &mut turn, b) {
                    return Ok(bad);
                }
            }
        }
    }
    if !batch.is_empty() {
        deal(&senders, &mut turn, batch);
    }
    if requests == 0 && bad == 0 {
        eprintln!("posresp: {name}: no requests to replay");
    }
    Ok(bad)
}

/// Hand a batch to the next connection with room, waiting on one only when all are full.
/// `false` when the connections are gone.
fn deal(senders: &[mpsc::Sender<Vec<Req>>], turn: &mut usize, mut batch: Vec<Req>) -> bool {
    let n = senders.len();
    for k in 0..n {
        let i = (*turn + k) % n;
        match senders[i].try_send(batch) {
            Ok(()) => {
                *turn = (i + 1) % n;
                return true;
            }
            Err(mpsc::error::TrySendError::Full(b) | mpsc::error::TrySendError::Closed(b)) => {
                batch = b;
            }
        }
    }
    let i = *turn;
    *turn = (i + 1) % n;
    senders[i].blocking_send(batch).is_ok()
}

/// One connection of a replay: keeps up to `window` requests in flight, pairs answers by key,
/// counts timeouts, reconnects when the host closes the connection.
async fn connection(ctx: Arc<ReplayCtx>, mut rx: mpsc::Receiver<Vec<Req>>) -> Result<ConnReport> {
    let mut rep = ConnReport::default();
    let mut queue: VecDeque<Req> = VecDeque::new();
    let mut input_done = false;
    let mut first = true;
    let mut dec = Decoded::default();
    loop {
        if input_done && queue.is_empty() {
            return Ok(rep);
        }
        let stream = match tokio::time::timeout(
            ctx.timeout,
            tokio::net::TcpStream::connect(&ctx.to),
        )
        .await
        {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => bail!("cannot connect to {}: {e}; is the host listening?", ctx.to),
            Err(_) => bail!(
                "cannot connect to {}: no answer within {:?}",
                ctx.to,
                ctx.timeout
            ),
        };
        if !first {
            rep.reconnects += 1;
        }
        first = false;
        let _ = stream.set_nodelay(true);
        let (mut rd, mut wr) = stream.into_split();
        // Requests in flight by key: send times (several when keys repeat).
        let mut pending: HashMap<u64, VecDeque<Instant>> = HashMap::new();
        let mut in_flight = 0usize;
        let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
        let mut out: Vec<u8> = Vec::with_capacity(16 * 1024);
        let mut log: Vec<u8> = Vec::new();
        let mut tick = tokio::time::interval(Duration::from_millis(20));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut tokens = ctx.window as f64;
        let mut last_refill = Instant::now();
        let closed = loop {
            if input_done && queue.is_empty() && in_flight == 0 {
                let _ = wr.shutdown().await;
                return Ok(rep);
            }
            // Top up the local queue.
            if queue.len() < ctx.window && !input_done {
                match rx.try_recv() {
                    Ok(b) => queue.extend(b),
                    Err(mpsc::error::TryRecvError::Disconnected) => input_done = true,
                    Err(mpsc::error::TryRecvError::Empty) => {}
                }
            }
            // Send what the window (and the rate) allows, in one write.
            if let Some(r) = ctx.per_conn_rate {
                let now = Instant::now();
                tokens = (tokens + now.duration_since(last_refill).as_secs_f64() * r)
                    .min(ctx.window as f64);
                last_refill = now;
            }
            out.clear();
            let now = Instant::now();
            let ts = if ctx.log.is_some() {
                stamp(now_ms()).rfc3339
            } else {
                String::new()
            };
            while in_flight < ctx.window
                && (ctx.per_conn_rate.is_none() || tokens >= 1.0)
                && let Some(req) = queue.pop_front()
            {
                out.extend_from_slice(&req.bytes);
                pending.entry(req.key).or_default().push_back(now);
                in_flight += 1;
                rep.sent += 1;
                tokens -= 1.0;
                if ctx.log.is_some() {
                    let hex = match decode_into(&ctx.spec, &req.bytes, &ctx.choice, &mut dec) {
                        Ok(()) => log_hex_decoded(&ctx.spec, &dec, &req.bytes, ctx.unmask),
                        Err(_) => String::new(),
                    };
                    let _ = writeln!(
                        log,
                        "{{\"ts\":\"{ts}\",\"dir\":\"req\",\"spec\":{},\"hex\":\"{hex}\"}}",
                        ctx.spec_json
                    );
                }
            }
            if !out.is_empty() && wr.write_all(&out).await.is_err() {
                break true;
            }
            if !log.is_empty()
                && let Some(l) = &ctx.log
            {
                let _ = l.send(std::mem::take(&mut log));
            }
            let can_send = in_flight < ctx.window && !queue.is_empty();
            let wants_input = queue.len() < ctx.window && !input_done;
            let rate_wait = ctx.per_conn_rate.filter(|_| can_send && tokens < 1.0);
            tokio::select! {
                r = rd.read_buf(&mut buf) => {
                    match r {
                        Ok(0) | Err(_) => break true,
                        Ok(_) => {}
                    }
                    let arrived = Instant::now();
                    let rts = if ctx.log.is_some() { stamp(now_ms()).rfc3339 } else { String::new() };
                    let mut start = 0;
                    loop {
                        match frame_len(&ctx.wire, &buf[start..]) {
                            Ok(Some(n)) => {
                                let f = &buf[start..start + n];
                                start += n;
                                if decode_into(&ctx.spec, f, &ctx.choice, &mut dec).is_err() {
                                    rep.malformed += 1;
                                    continue;
                                }
                                let key = hash_key(&pair_key(&dec));
                                let Some(sent) = pending.get_mut(&key).and_then(VecDeque::pop_front) else {
                                    rep.unmatched += 1;
                                    continue;
                                };
                                if pending.get(&key).is_some_and(VecDeque::is_empty) {
                                    pending.remove(&key);
                                }
                                in_flight -= 1;
                                rep.answers += 1;
                                let us = arrived.duration_since(sent).as_micros() as u64;
                                rep.latency.add(us);
                                let code = dec.get(39).unwrap_or("(none)");
                                match rep.codes.get_mut(code) {
                                    Some(c) => *c += 1,
                                    None => {
                                        rep.codes.insert(code.to_string(), 1);
                                    }
                                }
                                if ctx.log.is_some() {
                                    let hex = log_hex_decoded(&ctx.spec, &dec, f, ctx.unmask);
                                    let _ = writeln!(
                                        log,
                                        "{{\"ts\":\"{rts}\",\"dir\":\"resp\",\"spec\":{},\"hex\":\"{hex}\",\"latency_ms\":{:.3}}}",
                                        ctx.spec_json,
                                        us as f64 / 1000.0
                                    );
                                }
                            }
                            Ok(None) => break,
                            Err(_) => {
                                // The stream cannot be followed: count and start over.
                                rep.malformed += 1;
                                start = buf.len();
                                break;
                            }
                        }
                    }
                    buf.drain(..start);
                }
                batch = rx.recv(), if wants_input => {
                    match batch {
                        Some(b) => queue.extend(b),
                        None => input_done = true,
                    }
                }
                _ = tick.tick() => {
                    // Requests older than the timeout are given up.
                    let limit = Instant::now() - ctx.timeout;
                    pending.retain(|_, q| {
                        while q.front().is_some_and(|&t| t < limit) {
                            q.pop_front();
                            in_flight -= 1;
                            rep.timeouts += 1;
                        }
                        !q.is_empty()
                    });
                }
                _ = tokio::time::sleep(Duration::from_secs_f64(1.0 / rate_wait.unwrap_or(1.0))), if rate_wait.is_some() => {}
            }
        };
        if closed {
            // What was in flight on this connection is lost.
            rep.lost += in_flight as u64;
            if let Some(l) = &ctx.log
                && !log.is_empty()
            {
                let _ = l.send(std::mem::take(&mut log));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrap_adds_and_keeps_framing() {
        let spec = posresp::codec::spec::builtin("iso87ascii")
            .unwrap()
            .unwrap();
        let body = b"0800822000000000000004000000000000001126120000000001301";
        let mut dec = Decoded::default();
        decode_into(&spec, body, &FramingChoice::Auto, &mut dec).unwrap();
        let len2 = FramingSpec::named("len2").unwrap();
        let w = to_wire(&dec, body, &len2).unwrap();
        assert_eq!(&w[..2], &(body.len() as u16).to_be_bytes());
        assert_eq!(&w[2..], body);
        let mut again = Decoded::default();
        decode_into(&spec, &w, &FramingChoice::Auto, &mut again).unwrap();
        assert_eq!(to_wire(&again, &w, &len2).unwrap(), w);
        let cup = FramingSpec::named("cup").unwrap();
        assert!(to_wire(&dec, body, &cup).unwrap_err().contains("no TPDU"));
        let l4 = FramingSpec::named("len4ascii").unwrap();
        assert_eq!(
            &to_wire(&again, &w, &l4).unwrap()[..4],
            format!("{:04}", body.len()).as_bytes()
        );
    }
}
