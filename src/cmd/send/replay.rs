//! `posresp send --replay`: the requests of a log sent over several connections with many
//! in flight (optionally paced), answers paired with requests by trace number and terminal,
//! and a report of throughput, latency percentiles, the response-code mix and what went
//! unanswered. A reader thread deals batches of requests to the connections; each connection
//! is one tokio task keeping its window of requests in flight.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use posresp::codec::{Decoded, FramingChoice, FramingSpec, Spec, decode_into};
use posresp::glossary;
use posresp::host::clock::{now_ms, stamp};
use posresp::host::respond::is_request;
use posresp::host::stream::frame_len;

use super::{SendArgs, pair_key, to_wire, wire_framing};
use crate::global::{GlobalArgs, OutputFormat};
use posresp::input::{at_line, input_name, open_frames};
use posresp::specs::{Decoder, SpecChoice};
use posresp::traffic::{Latencies, Latency, LogFile, LogHex, Record, log_hex_decoded};

/// A request ready for the wire.
struct Req {
    bytes: Vec<u8>,
    key: u64,
}

/// The pairing key (trace number, terminal) as a hash, without copying the values.
fn hash_key(dec: &Decoded) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    pair_key(dec).hash(&mut h);
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
    /// Requests dealt to this connection but never sent (the host went away, or Ctrl-C).
    not_sent: u64,
    /// Requests sent and unanswered when the run was interrupted.
    interrupted: u64,
    /// Why this connection ended early: the host went away.
    error: Option<String>,
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
        self.not_sent += o.not_sent;
        self.interrupted += o.interrupted;
        if self.error.is_none() {
            self.error = o.error;
        }
        for (k, v) in o.codes {
            *self.codes.entry(k).or_default() += v;
        }
        self.latency.merge(&o.latency);
    }
}

struct ReplayCtx {
    to: String,
    spec: Spec,
    wire: FramingSpec,
    choice: FramingChoice,
    window: usize,
    per_conn_rate: Option<f64>,
    timeout: Duration,
    log: Option<std::sync::mpsc::Sender<Vec<u8>>>,
    unmask: bool,
    /// Set on Ctrl-C (or SIGTERM): connections stop sending and report.
    stop: std::sync::atomic::AtomicBool,
    /// TLS towards the host (--tls).
    tls: Option<posresp::tls::Client>,
    /// MAC every request under this key (--mac-key-file, --mac-key-env).
    sign: Option<(posresp::check::Key, posresp::check::MacAlgorithm)>,
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
    /// Requests read from the log but never sent: the host went away or the run was stopped.
    not_sent: u64,
    /// Requests sent and still unanswered when the run was stopped (Ctrl-C) or the host went
    /// away.
    unanswered_at_stop: u64,
    reconnects: u64,
    unreadable_requests: u64,
    /// Why the run ended early, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    ended: Option<String>,
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

pub(super) fn replay(
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
            let mut decoder = Decoder::new(specs, FramingChoice::Auto);
            let mut found = None;
            for item in open_frames(log_path)?.take(1000) {
                let Ok(frame) = item else { continue };
                if let (Some(s), None) = decoder.decode(&frame) {
                    found = Some(s.clone());
                    break;
                }
            }
            found
                .ok_or_else(|| anyhow!("no spec decodes the requests of {log_path}; give --spec"))?
        }
    };
    let wire = wire_framing(&spec, &args.framing)?;
    let spec_for_sign = spec.clone();
    let (log_tx, log_thread) = match args.log.as_deref().map(LogFile::create).transpose()? {
        Some(l) => {
            let (t, h) = l.split();
            (Some(t), Some(h))
        }
        None => (None, None),
    };
    let ctx = Arc::new(ReplayCtx {
        to: args.to.clone(),
        spec,
        choice: FramingChoice::Given(wire.clone()),
        wire,
        window: n.div_ceil(m).max(1),
        per_conn_rate: args.rate.map(|r| r / m as f64),
        timeout,
        log: log_tx,
        unmask: global.unmask,
        stop: std::sync::atomic::AtomicBool::new(false),
        tls: args.tls.client(&args.to)?,
        sign: super::signing_key(args)?.map(|k| {
            let alg = super::signing_alg(args, &spec_for_sign, &k);
            (k, alg)
        }),
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
        // Ctrl-C or SIGTERM: stop sending, keep what was logged, print the report.
        let stopper = {
            let ctx = Arc::clone(&ctx);
            tokio::spawn(async move {
                use tokio::signal::unix::{SignalKind, signal};
                let (Ok(mut int), Ok(mut term)) = (
                    signal(SignalKind::interrupt()),
                    signal(SignalKind::terminate()),
                ) else {
                    return;
                };
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                }
                ctx.stop.store(true, std::sync::atomic::Ordering::Relaxed);
            })
        };
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
        stopper.abort();
        match first_err {
            Some(e) => Err(e),
            None => Ok(total),
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let (unreadable, read) = feeder
        .join()
        .map_err(|_| anyhow!("the log reader stopped"))??;
    let total = total?;
    let spec = &ctx.spec;
    let (spec_name, dialect) = (spec.name.clone(), spec.dialect);
    let ctx_stopped = ctx.stop.load(std::sync::atomic::Ordering::Relaxed);
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
        // Read from the log and never sent (in a connection's queue, or in the batch the log
        // reader held when the connections were gone).
        not_sent: read.saturating_sub(total.sent).max(total.not_sent),
        unanswered_at_stop: total.interrupted,
        reconnects: total.reconnects,
        unreadable_requests: unreadable,
        ended: match (&total.error, ctx_stopped) {
            (Some(e), _) => Some(e.clone()),
            (None, true) => Some("interrupted".into()),
            (None, false) => None,
        },
        seconds,
        per_second: total.answers as f64 / seconds.max(1e-9),
        latency_ms: latency,
        codes,
    };
    print_report(global.output, &rep)?;
    if let Some(e) = &total.error {
        eprintln!("posresp: {e}");
    }
    let unanswered = rep.timeouts + rep.lost_to_closed_connections;
    Ok(if total.error.is_some() {
        2
    } else if ctx_stopped {
        130
    } else if unreadable > 0 || rep.malformed_answers > 0 {
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
            if let Some(e) = &r.ended {
                writeln!(
                    out,
                    "ended early ({e}): {} not sent · {} sent and unanswered at the end",
                    r.not_sent, r.unanswered_at_stop
                )?;
            }
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
/// messages could not be read or decoded (each reported on stderr) and how many requests were
/// read. It stops reading when every connection is gone.
fn feed(
    ctx: &ReplayCtx,
    path: &str,
    repeat: u64,
    senders: Vec<mpsc::Sender<Vec<Req>>>,
) -> Result<(u64, u64)> {
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
    let given = FramingChoice::Given(ctx.wire.clone());
    let mut wire_dec = Decoded::default();
    let mut per_round = 0u64;
    let mut stale_mac_said = false;
    for round in 0..repeat {
        if round == 1 {
            per_round = requests;
        }
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
            // A repeat gets fresh trace numbers, RRNs and dates; with a key, every request a new
            // MAC.
            let (bytes, key) = if round > 0 || ctx.sign.is_some() {
                let made = decode_into(&ctx.spec, &bytes, &given, &mut wire_dec)
                    .map_err(|e| e.to_string())
                    .and_then(|()| {
                        let mut m = if round > 0 {
                            let now = posresp::host::clock::stamp(posresp::host::clock::now_ms());
                            posresp::host::session::refresh(&wire_dec, round * per_round, &now)
                        } else {
                            wire_dec.to_message()
                        };
                        if ctx.sign.is_none()
                            && !stale_mac_said
                            && (m.fields.contains_key(&64) || m.fields.contains_key(&128))
                        {
                            stale_mac_said = true;
                            eprintln!(
                                "posresp: {name}: repeated requests keep the log's MACs, which no \
                                 longer match their fresh trace numbers; give --mac-key-file to MAC them"
                            );
                        }
                        posresp::host::session::resign(
                            &ctx.spec,
                            &mut m,
                            ctx.sign.as_ref().map(|(k, a)| (k, *a)),
                        )
                    })
                    .and_then(|b| {
                        decode_into(&ctx.spec, &b, &given, &mut wire_dec)
                            .map_err(|e| e.to_string())
                            .map(|()| (b, hash_key(&wire_dec)))
                    });
                match made {
                    Ok(x) => x,
                    Err(e) => {
                        if round == 0 {
                            eprintln!(
                                "posresp: {name}: message {}{}: cannot prepare it: {e}; not sent",
                                n + 1,
                                at_line(&frame)
                            );
                            bad += 1;
                        }
                        continue;
                    }
                }
            } else {
                (bytes, hash_key(&dec))
            };
            requests += 1;
            batch.push(Req { bytes, key });
            if batch.len() >= batch_size {
                let b = std::mem::replace(&mut batch, Vec::with_capacity(batch_size));
                if !deal(&senders, &mut turn, b) {
                    return Ok((bad, requests));
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
    Ok((bad, requests))
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

/// A connection that cannot reach the host any more: what it still held is not sent, and the
/// reason goes into the report.
fn give_up(
    mut rep: ConnReport,
    queue: VecDeque<Req>,
    mut rx: mpsc::Receiver<Vec<Req>>,
    why: String,
) -> ConnReport {
    rep.not_sent += queue.len() as u64;
    rx.close();
    while let Ok(b) = rx.try_recv() {
        rep.not_sent += b.len() as u64;
    }
    rep.error = Some(why);
    rep
}

/// One connection of a replay: keeps up to `window` requests in flight, pairs answers by key,
/// counts timeouts, reconnects when the host closes the connection.
async fn connection(ctx: Arc<ReplayCtx>, mut rx: mpsc::Receiver<Vec<Req>>) -> Result<ConnReport> {
    let mut rep = ConnReport::default();
    let mut queue: VecDeque<Req> = VecDeque::new();
    let mut input_done = false;
    let mut first = true;
    let mut dec = Decoded::default();
    // The rate's token bucket outlives connections: a reconnect must not let a fresh burst
    // through.
    let mut tokens = ctx.window as f64;
    let mut last_refill = Instant::now();
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
            Ok(Err(e)) => {
                let why = if first {
                    "cannot connect to"
                } else {
                    "the host went away:"
                };
                return Ok(give_up(
                    rep,
                    queue,
                    rx,
                    format!("{why} {}: {e}; is the host listening?", ctx.to),
                ));
            }
            Err(_) => {
                return Ok(give_up(
                    rep,
                    queue,
                    rx,
                    format!(
                        "cannot connect to {}: no answer within {:?}",
                        ctx.to, ctx.timeout
                    ),
                ));
            }
        };
        if !first {
            rep.reconnects += 1;
        }
        first = false;
        let _ = stream.set_nodelay(true);
        type Rd = Box<dyn tokio::io::AsyncRead + Unpin + Send>;
        type Wr = Box<dyn tokio::io::AsyncWrite + Unpin + Send>;
        let (mut rd, mut wr): (Rd, Wr) = match &ctx.tls {
            None => {
                let (r, w) = stream.into_split();
                (Box::new(r), Box::new(w))
            }
            Some(c) => match posresp::tls::connect(c, stream, ctx.timeout).await {
                Ok(s) => {
                    let (r, w) = tokio::io::split(s);
                    (Box::new(r), Box::new(w))
                }
                Err(why) => {
                    return Ok(give_up(
                        rep,
                        queue,
                        rx,
                        format!("TLS handshake with {} failed: {why}", ctx.to),
                    ));
                }
            },
        };
        // Requests in flight by key: send times (several when keys repeat).
        let mut pending: HashMap<u64, VecDeque<Instant>> = HashMap::new();
        let mut in_flight = 0usize;
        let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
        let mut out: Vec<u8> = Vec::with_capacity(16 * 1024);
        let mut log: Vec<u8> = Vec::new();
        let mut tick = tokio::time::interval(Duration::from_millis(20));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let closed = loop {
            let stopping = ctx.stop.load(std::sync::atomic::Ordering::Relaxed);
            if stopping || (input_done && queue.is_empty() && in_flight == 0) {
                // Every answer the report counts is in the log before the connection ends.
                if let Some(l) = &ctx.log
                    && !log.is_empty()
                {
                    let _ = l.send(std::mem::take(&mut log));
                }
                let _ = wr.shutdown().await;
                if stopping {
                    rep.interrupted += in_flight as u64;
                    rep.not_sent += queue.len() as u64;
                    rx.close();
                    while let Ok(b) = rx.try_recv() {
                        rep.not_sent += b.len() as u64;
                    }
                }
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
                        Err(_) => LogHex::default(),
                    };
                    Record {
                        ts: &ts,
                        dir: Some("req"),
                        spec: &ctx.spec.name,
                        hex: Some(&hex),
                        ..Record::default()
                    }
                    .write(&mut log);
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
                        Err(e) if posresp::tls::is_tls(&e) => {
                            rep.lost += in_flight as u64;
                            if let Some(l) = &ctx.log
                                && !log.is_empty()
                            {
                                let _ = l.send(std::mem::take(&mut log));
                            }
                            return Ok(give_up(
                                rep,
                                queue,
                                rx,
                                format!(
                                    "TLS with {}: {}",
                                    ctx.to,
                                    posresp::tls::explain(&e, posresp::tls::Side::Client)
                                ),
                            ));
                        }
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
                                if let Err(e) = decode_into(&ctx.spec, f, &ctx.choice, &mut dec) {
                                    rep.malformed += 1;
                                    // Counted, so logged: what was wrong and how long it was,
                                    // not the bytes (they could not be masked).
                                    if ctx.log.is_some() {
                                        Record {
                                            ts: &rts,
                                            dir: Some("resp"),
                                            event: Some("malformed answer"),
                                            spec: &ctx.spec.name,
                                            error: Some(&e.to_string()),
                                            bytes: Some(f.len()),
                                            ..Record::default()
                                        }
                                        .write(&mut log);
                                    }
                                    continue;
                                }
                                let key = hash_key(&dec);
                                let Some(sent) = pending.get_mut(&key).and_then(VecDeque::pop_front) else {
                                    rep.unmatched += 1;
                                    if ctx.log.is_some() {
                                        let hex = log_hex_decoded(&ctx.spec, &dec, f, ctx.unmask);
                                        Record {
                                            ts: &rts,
                                            dir: Some("resp"),
                                            event: Some("unmatched answer (late, or no request in flight with its key)"),
                                            spec: &ctx.spec.name,
                                            hex: Some(&hex),
                                            ..Record::default()
                                        }
                                        .write(&mut log);
                                    }
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
                                    Record {
                                        ts: &rts,
                                        dir: Some("resp"),
                                        spec: &ctx.spec.name,
                                        hex: Some(&hex),
                                        latency_ms: Some(Latency::Measured(us as f64 / 1000.0)),
                                        ..Record::default()
                                    }
                                    .write(&mut log);
                                }
                            }
                            Ok(None) => break,
                            Err(e) => {
                                // The stream cannot be followed: count and start over.
                                rep.malformed += 1;
                                if ctx.log.is_some() {
                                    Record {
                                        ts: &rts,
                                        dir: Some("resp"),
                                        event: Some("malformed stream"),
                                        spec: &ctx.spec.name,
                                        error: Some(&format!("at byte {}: {}", e.offset, e.problem)),
                                        bytes: Some(buf.len() - start),
                                        ..Record::default()
                                    }
                                    .write(&mut log);
                                }
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
