//! `posresp proxy`: in the path between terminals and a real host. Every byte is forwarded;
//! frames are cut by the spec's (or --framing's) length prefix and decoded on the way, so
//! that both directions go to the traffic log (masked) with the host's latency, and answers
//! can be made to misbehave on purpose by serve's rules (docs/proxy.md).
//!
//! Per connection two tasks: terminal → host forwards what it reads as soon as the frames
//! in it are noted (so that an answer always finds its request), host → terminal cuts whole
//! frames and forwards them, or what the matching rule makes of them. Undecodable frames are
//! forwarded as they are and reported; a stream that cannot be framed any more is forwarded
//! byte for byte from there on, undecoded, and reported once.

use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, mpsc as smpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use posresp::check::{Key, MacAlgorithm};
use posresp::codec::encoding::Encoding;
use posresp::codec::{Decoded, FieldValue, FramingChoice, FramingSpec, Spec, decode_into};
use posresp::host::clock::{Clock, now_ms, stamp};
use posresp::host::delay::millis;
use posresp::host::respond::{default_mac_alg, is_request, seal};
use posresp::host::rules::{Action, RuleSet};
use posresp::host::stream::{MAX_FRAME, frame_len};
use posresp::specs::{SpecChoice, load_spec};
use posresp::traffic::{Latency, LogFile, LogHex, Record, log_hex_decoded};

use crate::global::GlobalArgs;
use crate::live::LiveEvent;

/// Sit between terminals and a host: forward every byte, decode and time both directions,
/// and inject faults by rules.
///
/// Each terminal connection to --listen gets its own connection to --to. Bytes are forwarded
/// unchanged in both directions; frames (cut by the spec's framing, or --framing) are decoded
/// on the way, with card data masked, and written to --log with the host's latency. A frame
/// that does not decode is still forwarded, and reported. With --rules (serve's rule language,
/// docs/rules.md), the first rule matching a request decides what happens to the host's
/// answer: `respond` with `code`, `fields` or `remove` changes it, `drop` keeps it from the
/// terminal, `close` closes the terminal's connection instead, `duplicate` sends it twice,
/// `truncate` sends half and closes, `malformed` spoils its MTI, and `delay` holds it back.
/// A request the host leaves unanswered for --timeout is reported as a timeout.
///
/// TLS on either side: --tls-cert/--tls-key (and --client-ca) towards the terminals, --tls
/// (with --ca, --cert/--key, --sni, --insecure) towards the host.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  posresp --spec cup proxy --listen 127.0.0.1:9583 --to host.example:8583 --log traffic.jsonl
  posresp --spec iso87ascii proxy --framing len2 --to 10.0.0.5:8583 --rules faults.json --monitor
  posresp --spec cup proxy --to host.example:8583 --tls --ca acquirer-ca.pem --tls-cert proxy.pem --tls-key proxy.key")]
pub struct ProxyArgs {
    /// Address the terminals connect to (port 0 picks a free port; the chosen address is
    /// printed).
    #[arg(long, default_value = "127.0.0.1:8584", value_name = "ADDR:PORT")]
    pub listen: String,
    /// The host to forward to.
    #[arg(long, value_name = "HOST:PORT")]
    pub to: String,
    /// Framing on the wire: spec (the spec's own), len2, len2bcd, len4ascii, cup, stx …
    #[arg(long, default_value = "spec",
          value_parser = crate::global::Suggest(crate::global::wire_framings),
          hide_possible_values = true)]
    pub framing: String,
    /// Rules file (JSON, docs/rules.md): faults to inject into the host's answers.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<String>,
    /// Write every frame of both directions to this JSON Lines log ('-' for standard
    /// output). Card data in it is zeroed unless --unmask is given.
    #[arg(long, value_name = "FILE")]
    pub log: Option<String>,
    /// A request the host has not answered within this is reported as a timeout.
    #[arg(long, default_value = "30s", value_name = "DURATION")]
    pub timeout: String,
    /// How long to wait for the host to accept a connection (and for TLS handshakes).
    #[arg(long, default_value = "10s", value_name = "DURATION")]
    pub connect_timeout: String,
    /// Close both sides of a connection on which the terminal sends nothing for this long.
    #[arg(long, default_value = "5m", value_name = "DURATION")]
    pub idle_timeout: String,
    /// MAC key (hex) file: answers changed by a rule get a new MAC under it (without it, a
    /// changed answer keeps the host's MAC, which then no longer matches).
    #[arg(long, value_name = "PATH")]
    pub mac_key_file: Option<String>,
    /// How long shutdown waits for answers still in flight.
    #[arg(long, default_value = "10s", value_name = "DURATION")]
    pub grace: String,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub monitor: crate::live::MonitorArgs,
    #[command(flatten)]
    pub upstream: crate::tlsargs::ClientTlsArgs,
    #[command(flatten)]
    pub tls: crate::tlsargs::ServerTlsArgs,
}

/// Counters reported at shutdown.
#[derive(Default)]
struct Counters {
    connections: AtomicU64,
    host_unreachable: AtomicU64,
    tls_failures: AtomicU64,
    requests: AtomicU64,
    answers: AtomicU64,
    timeouts: AtomicU64,
    unmatched: AtomicU64,
    undecodable: AtomicU64,
    unframeable: AtomicU64,
    faults: AtomicU64,
    bytes_up: AtomicU64,
    bytes_down: AtomicU64,
}

struct Shared {
    spec: Spec,
    framing: FramingSpec,
    choice: FramingChoice,
    to: String,
    upstream: Option<posresp::tls::Client>,
    tls: Option<Arc<rustls::ServerConfig>>,
    rules: Option<RwLock<Arc<RuleSet>>>,
    rules_path: Option<String>,
    log: Option<smpsc::Sender<Vec<u8>>>,
    mac: Option<(Key, MacAlgorithm)>,
    /// Said once: an answer changed by a rule keeps the host's MAC.
    mac_warned: AtomicBool,
    unmask: bool,
    timeout: Duration,
    connect_timeout: Duration,
    idle: Duration,
    counters: Counters,
    monitor: Option<smpsc::Sender<LiveEvent>>,
}

impl Shared {
    fn seen(&self, e: impl FnOnce() -> LiveEvent) {
        if let Some(m) = &self.monitor {
            let _ = m.send(e());
        }
    }

    fn wants_log(&self) -> bool {
        self.log.is_some()
    }
}

fn duration(v: &str, what: &str) -> Result<Duration> {
    let ms = millis(v).map_err(|e| anyhow!("{what}: {e}"))?;
    if ms <= 0.0 {
        bail!("{what}: must be above zero");
    }
    Ok(Duration::from_secs_f64(ms / 1000.0))
}

/// Run `proxy`.
pub fn run(global: &GlobalArgs, args: &ProxyArgs) -> Result<u8> {
    crate::global::output_one_of(
        global,
        "proxy",
        &[crate::global::OutputFormat::Table],
        "its status lines are text on stderr, its traffic goes to --log as JSON Lines, and --monitor prints JSON lines in a pipe",
    )?;
    crate::global::check_host_port("--to", &args.to)?;
    let spec = match load_spec(&global.spec)? {
        SpecChoice::One(s) => *s,
        SpecChoice::Auto(_) => {
            bail!("proxy needs one spec: give --spec cup, --spec iso87ascii … or a spec file")
        }
    };
    let framing = crate::global::wire_framing(&spec, &args.framing)?;
    let rules = match &args.rules {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("cannot read rules {p}"))?;
            Some(RwLock::new(Arc::new(
                RuleSet::parse(&text, p, &spec).map_err(|e| anyhow!("{e}"))?,
            )))
        }
        None => None,
    };
    let timeout = duration(&args.timeout, "--timeout")?;
    let connect_timeout = duration(&args.connect_timeout, "--connect-timeout")?;
    let idle = duration(&args.idle_timeout, "--idle-timeout")?;
    let grace =
        Duration::from_secs_f64(millis(&args.grace).map_err(|e| anyhow!("--grace: {e}"))? / 1000.0);
    let mac = crate::global::read_key(args.mac_key_file.as_deref(), None, "MAC key")?.map(|key| {
        let alg = default_mac_alg(spec.dialect, &key);
        (key, alg)
    });
    let upstream = args.upstream.client(&args.to)?;
    let tls = args.tls.server()?;
    let runtime = crate::global::runtime(args.threads)?;
    let (log_tx, log_thread) = match &args.log {
        Some(path) => {
            let (tx, h) = LogFile::create(path)?.split();
            (Some(tx), Some(h))
        }
        None => (None, None),
    };
    let (monitor, monitor_thread) = args
        .monitor
        .start(
            format!("posresp proxy {} → {}", args.listen, args.to),
            "proxy",
        )?
        .unzip();
    let shared = Arc::new(Shared {
        spec,
        choice: FramingChoice::Given(framing.clone()),
        framing,
        to: args.to.clone(),
        upstream,
        tls,
        rules,
        rules_path: args.rules.clone(),
        log: log_tx,
        mac,
        mac_warned: AtomicBool::new(false),
        unmask: global.unmask,
        timeout,
        connect_timeout,
        idle,
        counters: Counters::default(),
        monitor,
    });
    let result = runtime.block_on(listen(
        Arc::clone(&shared),
        &args.listen,
        grace,
        args.tls.client_ca.is_some(),
    ));
    runtime.shutdown_timeout(Duration::from_millis(100));
    let c = &shared.counters;
    let n = |a: &AtomicU64| a.load(Ordering::Relaxed);
    let summary = format!(
        "posresp proxy: stopped; {} connections ({} could not reach the host{}), {} requests, \
         {} answers, {} timeouts, {} unmatched answers, {} undecodable frames, {} streams \
         forwarded unframed, {} faults injected; {} bytes to the host, {} to the terminals",
        n(&c.connections),
        n(&c.host_unreachable),
        if shared.tls.is_some() {
            format!(", {} failed the TLS handshake", n(&c.tls_failures))
        } else {
            String::new()
        },
        n(&c.requests),
        n(&c.answers),
        n(&c.timeouts),
        n(&c.unmatched),
        n(&c.undecodable),
        n(&c.unframeable),
        n(&c.faults),
        n(&c.bytes_up),
        n(&c.bytes_down),
    );
    shared.seen(|| LiveEvent::Stop);
    drop(shared);
    let alerted = monitor_thread.is_some_and(|h| h.join().unwrap_or(false));
    if let Some(h) = log_thread {
        LogFile::finish(h)?;
    }
    result?;
    eprintln!("{summary}");
    Ok(if alerted { 1 } else { 0 })
}

async fn listen(shared: Arc<Shared>, listen: &str, grace: Duration, mutual: bool) -> Result<()> {
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    let rules = match (&shared.rules, &shared.rules_path) {
        (Some(r), Some(p)) => {
            let n = r.read().map_or(0, |r| r.rules.len());
            format!("{n} fault rules from {p}")
        }
        _ => "no rules: forwarding unchanged".into(),
    };
    let tls_in = match (&shared.tls, mutual) {
        (None, _) => "",
        (Some(_), false) => " in TLS",
        (Some(_), true) => " in TLS with client certificates",
    };
    let tls_out = if shared.upstream.is_some() {
        " in TLS"
    } else {
        ""
    };
    eprintln!(
        "posresp proxy: listening on {addr} for terminals{tls_in}; forwarding to {}{tls_out} (spec {}, framing {}, {rules})",
        shared.to,
        shared.spec.name,
        shared.framing.kind()
    );
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut conns = JoinSet::new();
    let mut next_id = 0u64;
    let mut sigint = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut sighup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        eprintln!("posresp proxy: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                next_id += 1;
                shared.counters.connections.fetch_add(1, Ordering::Relaxed);
                let sh = Arc::clone(&shared);
                let stop = stop_rx.clone();
                conns.spawn(connection(stream, next_id, peer, sh, stop));
            }
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            _ = sighup.recv() => reload(&shared),
            _ = sigint.recv() => break,
            _ = sigterm.recv() => break,
        }
    }
    drop(listener);
    eprintln!(
        "posresp proxy: shutting down; finishing {} connections",
        conns.len()
    );
    let _ = stop_tx.send(true);
    let finished =
        tokio::time::timeout(grace, async { while conns.join_next().await.is_some() {} }).await;
    if finished.is_err() {
        eprintln!(
            "posresp proxy: {} connections still waited for answers after --grace; closed",
            conns.len()
        );
        conns.shutdown().await;
    }
    Ok(())
}

fn reload(shared: &Shared) {
    let (Some(slot), Some(path)) = (&shared.rules, &shared.rules_path) else {
        eprintln!("posresp proxy: SIGHUP: no --rules file to reload");
        return;
    };
    let parsed = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {path}: {e}"))
        .and_then(|t| RuleSet::parse(&t, path, &shared.spec));
    match parsed {
        Ok(r) => {
            let n = r.rules.len();
            if let Ok(mut s) = slot.write() {
                *s = Arc::new(r);
            }
            eprintln!("posresp proxy: reloaded {n} rules from {path}");
        }
        Err(e) => eprintln!("posresp proxy: reload failed, keeping the previous rules: {e}"),
    }
}

type Rd = Box<dyn AsyncRead + Unpin + Send>;
type Wr = Box<dyn AsyncWrite + Unpin + Send>;

/// One connection-level event (not a message) in the log.
fn log_event(sh: &Shared, id: u64, peer: &str, event: &str, detail: &str) {
    if let Some(l) = &sh.log {
        let ts = stamp(now_ms()).rfc3339;
        let mut line = Vec::new();
        Record {
            ts: &ts,
            spec: &sh.spec.name,
            conn: Some(id),
            peer: Some(peer),
            event: Some(event),
            detail: Some(detail),
            ..Record::default()
        }
        .write(&mut line);
        let _ = l.send(line);
    }
}

/// Accept the terminal (TLS if configured), reach the host (TLS if configured), and relay.
async fn connection(
    stream: TcpStream,
    id: u64,
    peer: SocketAddr,
    sh: Arc<Shared>,
    stop: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let peer_s = peer.to_string();
    let (crd, cwr): (Rd, Wr) = match &sh.tls {
        None => {
            let (r, w) = stream.into_split();
            (Box::new(r), Box::new(w))
        }
        Some(config) => match posresp::tls::accept(config, stream, sh.connect_timeout).await {
            Ok(s) => {
                let (r, w) = tokio::io::split(s);
                (Box::new(r), Box::new(w))
            }
            Err(why) => {
                sh.counters.tls_failures.fetch_add(1, Ordering::Relaxed);
                eprintln!(
                    "posresp proxy: conn {id} ({peer}): TLS handshake with the terminal failed: {why}"
                );
                log_event(&sh, id, &peer_s, "tls handshake failed", &why);
                return;
            }
        },
    };
    let (hrd, hwr) = match reach_host(&sh).await {
        Ok(x) => x,
        Err(why) => {
            sh.counters.host_unreachable.fetch_add(1, Ordering::Relaxed);
            eprintln!(
                "posresp proxy: conn {id} ({peer}): {why}; closing the terminal's connection"
            );
            log_event(&sh, id, &peer_s, "host unreachable", &why);
            return;
        }
    };
    let conn = Arc::new(ConnState {
        id,
        peer: peer_s,
        sh: Arc::clone(&sh),
        pending: [Mutex::default(), Mutex::default()],
        up_done: AtomicBool::new(false),
    });
    let (close_tx, close_rx) = watch::channel(false);
    let up = tokio::spawn(up(crd, hwr, Arc::clone(&conn), stop, close_tx));
    down(hrd, cwr, Arc::clone(&conn), close_rx).await;
    up.abort();
    let _ = up.await;
    conn.unanswered_at_close();
}

/// Connect to the host, and speak TLS to it if configured.
async fn reach_host(sh: &Shared) -> Result<(Rd, Wr), String> {
    let tcp = match tokio::time::timeout(sh.connect_timeout, TcpStream::connect(&sh.to)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Err(format!("cannot connect to the host {}: {e}", sh.to)),
        Err(_) => {
            return Err(format!(
                "cannot connect to the host {}: no answer within {:?} (--connect-timeout)",
                sh.to, sh.connect_timeout
            ));
        }
    };
    let _ = tcp.set_nodelay(true);
    match &sh.upstream {
        None => {
            let (r, w) = tcp.into_split();
            Ok((Box::new(r), Box::new(w)))
        }
        Some(c) => match posresp::tls::connect(c, tcp, sh.connect_timeout).await {
            Ok(s) => {
                let (r, w) = tokio::io::split(s);
                Ok((Box::new(r), Box::new(w)))
            }
            Err(why) => Err(format!(
                "TLS handshake with the host {} failed: {why}",
                sh.to
            )),
        },
    }
}

/// What a rule said to do with the answer to a request.
#[derive(Clone, Debug)]
struct Fault {
    rule: String,
    action: Action,
    code: Option<String>,
    set: Vec<(u16, String)>,
    remove: Vec<u16>,
    delay_ms: u64,
}

impl Fault {
    fn changes(&self) -> bool {
        self.code.is_some() || !self.set.is_empty() || !self.remove.is_empty()
    }
}

/// A request waiting for its answer.
struct Waiting {
    at: Instant,
    trace: String,
    terminal: String,
    fault: Option<Fault>,
}

/// Requests in flight by pairing key.
type PendingMap = HashMap<u64, VecDeque<Waiting>>;

/// Which side sent a frame.
#[derive(Clone, Copy, PartialEq, Eq)]
enum From {
    Terminal,
    Host,
}

impl From {
    fn name(self) -> &'static str {
        match self {
            From::Terminal => "terminal",
            From::Host => "host",
        }
    }

    /// Index of the pending map of the requests this side sends.
    fn asks(self) -> usize {
        match self {
            From::Terminal => 0,
            From::Host => 1,
        }
    }

    /// Index of the pending map of the requests this side answers.
    fn answers(self) -> usize {
        1 - self.asks()
    }
}

struct ConnState {
    id: u64,
    peer: String,
    sh: Arc<Shared>,
    /// [terminal's requests (answered by the host), host's requests (answered by the
    /// terminal)].
    pending: [Mutex<PendingMap>; 2],
    /// The terminal has stopped sending.
    up_done: AtomicBool,
}

fn key_hash(dec: &Decoded) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    posresp::traffic::PairKey::of(dec).hash(&mut h);
    h.finish()
}

/// One direction's reading state.
struct Reader {
    from: From,
    buf: Vec<u8>,
    /// The stream could not be framed: forward the rest as it comes, undecoded.
    raw: bool,
    dec: Decoded,
    clock: Clock,
    frames: u64,
    log: Vec<u8>,
}

impl Reader {
    fn new(from: From) -> Reader {
        Reader {
            from,
            buf: Vec::with_capacity(16 * 1024),
            raw: false,
            dec: Decoded::default(),
            clock: Clock::new(),
            frames: 0,
            log: Vec::new(),
        }
    }

    fn flush_log(&mut self, sh: &Shared) {
        if !self.log.is_empty()
            && let Some(l) = &sh.log
        {
            let _ = l.send(std::mem::take(&mut self.log));
        }
    }
}

impl ConnState {
    fn log(&self, rd: &mut Reader, r: Record<'_>) {
        if !self.sh.wants_log() {
            return;
        }
        Record {
            spec: &self.sh.spec.name,
            conn: Some(self.id),
            peer: Some(&self.peer),
            ..r
        }
        .write(&mut rd.log);
    }

    /// The stream from `rd.from` cannot be framed at `offset`: say so once, and forward the
    /// rest undecoded.
    fn unframeable(&self, rd: &mut Reader, offset: usize, problem: &str, pending: usize) {
        self.sh.counters.unframeable.fetch_add(1, Ordering::Relaxed);
        let msg = format!(
            "{} frame {} at byte {offset}: {problem}; forwarding the rest of this direction \
             unframed and undecoded (is --framing right?)",
            rd.from.name(),
            rd.frames + 1
        );
        eprintln!("posresp proxy: conn {} ({}): {msg}", self.id, self.peer);
        let ts = rd.clock.now().rfc3339.clone();
        self.log(
            rd,
            Record {
                ts: &ts,
                event: Some("unframed stream"),
                error: Some(&msg),
                bytes: Some(pending),
                ..Record::default()
            },
        );
        rd.raw = true;
    }

    /// Decode and note one frame; what to do with it when it is the host's answer to a
    /// request with a fault.
    fn note(&self, rd: &mut Reader, frame: &[u8], arrived: Instant) -> Option<Fault> {
        rd.frames += 1;
        let sh = &*self.sh;
        let ts = if sh.wants_log() {
            rd.clock.now().rfc3339.clone()
        } else {
            String::new()
        };
        if let Err(e) = decode_into(&sh.spec, frame, &sh.choice, &mut rd.dec) {
            sh.counters.undecodable.fetch_add(1, Ordering::Relaxed);
            sh.seen(|| LiveEvent::Undecodable);
            let msg = format!("{e}; {}", e.hint());
            eprintln!(
                "posresp proxy: conn {} ({}): {} frame {}: {msg}; forwarded as it is",
                self.id,
                self.peer,
                rd.from.name(),
                rd.frames
            );
            let hex = if sh.unmask {
                LogHex::clear(frame)
            } else {
                LogHex::default()
            };
            self.log(
                rd,
                Record {
                    ts: &ts,
                    event: Some(match rd.from {
                        From::Terminal => "undecodable frame from the terminal",
                        From::Host => "undecodable frame from the host",
                    }),
                    hex: Some(&hex),
                    error: Some(&msg),
                    bytes: Some(frame.len()),
                    ..Record::default()
                },
            );
            return None;
        }
        let dec = &rd.dec;
        let hex = if sh.wants_log() {
            log_hex_decoded(&sh.spec, dec, frame, sh.unmask)
        } else {
            LogHex::default()
        };
        if is_request(dec.mti()) {
            if rd.from == From::Terminal {
                sh.counters.requests.fetch_add(1, Ordering::Relaxed);
                sh.seen(|| LiveEvent::Request);
            }
            let fault = match (&sh.rules, rd.from) {
                (Some(r), From::Terminal) => r.read().ok().and_then(|rules| {
                    let d = rules.decide(dec);
                    let rule = d.rule?;
                    Some(Fault {
                        rule: rule.name.clone(),
                        action: d.action,
                        code: rule.code.clone(),
                        set: d.set.to_vec(),
                        remove: d.remove.to_vec(),
                        delay_ms: d.delay.map_or(0, |x| x.sample(&mut rand::rng())),
                    })
                }),
                _ => None,
            };
            let waiting = Waiting {
                at: arrived,
                trace: dec.get(11).unwrap_or("").to_string(),
                terminal: dec.get(41).unwrap_or("").trim_end().to_string(),
                fault,
            };
            if let Ok(mut p) = self.pending[rd.from.asks()].lock() {
                p.entry(key_hash(dec)).or_default().push_back(waiting);
            }
            self.log(
                rd,
                Record {
                    ts: &ts,
                    dir: Some("req"),
                    hex: Some(&hex),
                    ..Record::default()
                },
            );
            return None;
        }
        // An answer: to a request of the other side.
        let key = key_hash(dec);
        let waited = self.pending[rd.from.answers()]
            .lock()
            .ok()
            .and_then(|mut p| {
                let q = p.get_mut(&key)?;
                let w = q.pop_front();
                if q.is_empty() {
                    p.remove(&key);
                }
                w
            });
        let Some(w) = waited else {
            sh.counters.unmatched.fetch_add(1, Ordering::Relaxed);
            self.log(
                rd,
                Record {
                    ts: &ts,
                    dir: Some("resp"),
                    event: Some("unmatched answer (late, or no request in flight with its key)"),
                    hex: Some(&hex),
                    ..Record::default()
                },
            );
            return None;
        };
        let latency = arrived.duration_since(w.at);
        let latency_ms = latency.as_secs_f64() * 1000.0;
        let code = dec.get(39);
        if rd.from == From::Host {
            sh.counters.answers.fetch_add(1, Ordering::Relaxed);
            sh.seen(|| LiveEvent::Response {
                category: code
                    .and_then(|c| posresp::glossary::response_code(sh.spec.dialect, c))
                    .map_or("unknown", |r| r.category.as_str())
                    .to_string(),
                code: code.map(str::to_string),
                terminal: Some(w.terminal.clone()),
                latency_us: Some(latency.as_micros() as u64),
            });
        }
        let changed = w.fault.as_ref().and_then(|f| f.code.as_deref());
        self.log(
            rd,
            Record {
                ts: &ts,
                dir: Some("resp"),
                hex: Some(&hex),
                latency_ms: Some(Latency::Measured(latency_ms)),
                code: changed,
                rule: w.fault.as_ref().map(|f| f.rule.as_str()),
                action: w.fault.as_ref().map(|f| f.action.name()),
                ..Record::default()
            },
        );
        w.fault
    }

    /// Requests the host has left unanswered past --timeout: reported, and forgotten.
    fn sweep(&self, rd: &mut Reader) {
        let sh = &*self.sh;
        let limit = Instant::now().checked_sub(sh.timeout);
        let Some(limit) = limit else { return };
        let mut gone = Vec::new();
        if let Ok(mut p) = self.pending[0].lock() {
            p.retain(|_, q| {
                while q.front().is_some_and(|w| w.at < limit) {
                    if let Some(w) = q.pop_front() {
                        gone.push(w);
                    }
                }
                !q.is_empty()
            });
        }
        for w in gone {
            self.timed_out(rd, &w, &format!("within {:?} (--timeout)", sh.timeout));
        }
    }

    fn timed_out(&self, rd: &mut Reader, w: &Waiting, within: &str) {
        let sh = &*self.sh;
        sh.counters.timeouts.fetch_add(1, Ordering::Relaxed);
        sh.seen(|| LiveEvent::Timeout);
        eprintln!(
            "posresp proxy: conn {} ({}): no answer from the host {within} to trace {} of \
             terminal {}",
            self.id, self.peer, w.trace, w.terminal
        );
        let ts = stamp(now_ms()).rfc3339;
        let detail = format!(
            "trace {} terminal {}: no answer from the host {within}",
            w.trace, w.terminal
        );
        self.log(
            rd,
            Record {
                ts: &ts,
                event: Some("timeout"),
                detail: Some(&detail),
                ..Record::default()
            },
        );
    }

    /// At the end of the connection: the terminal's requests still unanswered.
    fn unanswered_at_close(&self) {
        let left: Vec<Waiting> = self.pending[0]
            .lock()
            .map(|mut p| p.drain().flat_map(|(_, q)| q).collect())
            .unwrap_or_default();
        if left.is_empty() {
            return;
        }
        let mut rd = Reader::new(From::Host);
        for w in &left {
            self.timed_out(&mut rd, w, "before the connection closed");
        }
        rd.flush_log(&self.sh);
    }

    /// The host's answer `frame` (decoded in `rd.dec`) as the fault makes it: what to send
    /// to the terminal, and whether to close afterwards.
    fn apply(&self, rd: &Reader, frame: &[u8], f: &Fault) -> (Vec<u8>, bool) {
        let sh = &*self.sh;
        let base = if f.changes() && matches!(f.action, Action::Respond | Action::Duplicate) {
            match self.rewrite(&rd.dec, f) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!(
                        "posresp proxy: conn {} ({}): rule {}: cannot change the answer: {e}; \
                         forwarded as it is",
                        self.id, self.peer, f.rule
                    );
                    frame.to_vec()
                }
            }
        } else {
            frame.to_vec()
        };
        match f.action {
            Action::Respond => (base, false),
            Action::Duplicate => ([&base[..], &base[..]].concat(), false),
            Action::Drop => (Vec::new(), false),
            Action::Close => (Vec::new(), true),
            Action::Truncate => (frame[..frame.len() / 2].to_vec(), true),
            Action::Malformed => {
                let mut b = frame.to_vec();
                let at = rd.dec.mti_offset;
                let n = if sh.spec.mti_enc == Encoding::Bcd {
                    2
                } else {
                    4
                };
                if let Some(s) = b.get_mut(at..at + n) {
                    s.fill(0xFF);
                }
                (b, false)
            }
        }
    }

    /// The answer with field 39 and the rule's fields changed, re-MACed under --mac-key-file
    /// when it carried a MAC.
    fn rewrite(&self, dec: &Decoded, f: &Fault) -> Result<Vec<u8>, String> {
        let sh = &*self.sh;
        let mut m = dec.to_message();
        let mut put = |id: u16, v: &str| {
            if sh.spec.field(id as usize).is_some() {
                m.fields.insert(
                    id,
                    FieldValue {
                        value: v.to_string(),
                        pad: None,
                    },
                );
            }
        };
        if let Some(c) = &f.code {
            put(39, c);
        }
        for (id, v) in &f.set {
            put(*id, v);
        }
        for id in &f.remove {
            m.fields.remove(id);
        }
        let had_mac = m.fields.contains_key(&64) || m.fields.contains_key(&128);
        let mac = match (&sh.mac, had_mac) {
            (Some((k, a)), true) => {
                m.fields.remove(&64);
                m.fields.remove(&128);
                Some((k, *a))
            }
            (None, true) => {
                if !sh.mac_warned.swap(true, Ordering::Relaxed) {
                    eprintln!(
                        "posresp proxy: rule {}: the changed answer keeps the host's MAC, which \
                         no longer matches; give --mac-key-file to MAC changed answers",
                        f.rule
                    );
                }
                None
            }
            _ => None,
        };
        seal(&sh.spec, &mut m, mac)
    }
}

/// Terminal → host: note the frames of what was read, then forward it as it came.
async fn up(
    mut crd: Rd,
    mut hwr: Wr,
    conn: Arc<ConnState>,
    mut stop: watch::Receiver<bool>,
    close: watch::Sender<bool>,
) {
    let sh = Arc::clone(&conn.sh);
    let mut rd = Reader::new(From::Terminal);
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        let n = tokio::select! {
            r = tokio::time::timeout(sh.idle, crd.read(&mut chunk)) => match r {
                Err(_) => {
                    eprintln!(
                        "posresp proxy: conn {} ({}): the terminal sent nothing for {:?} \
                         (--idle-timeout); closing both sides",
                        conn.id, conn.peer, sh.idle
                    );
                    let ts = stamp(now_ms()).rfc3339;
                    let detail = format!("idle for {:?} (--idle-timeout); closed", sh.idle);
                    conn.log(&mut rd, Record { ts: &ts, event: Some("idle timeout"), detail: Some(&detail), ..Record::default() });
                    let _ = close.send(true);
                    break;
                }
                Ok(Ok(0)) | Ok(Err(_)) => break,
                Ok(Ok(n)) => n,
            },
            Ok(()) = stop.changed() => break,
        };
        let arrived = Instant::now();
        let bytes = &chunk[..n];
        if !rd.raw {
            rd.buf.extend_from_slice(bytes);
            cut(&conn, &mut rd, arrived, |_, _, _| {});
        }
        rd.flush_log(&sh);
        sh.counters.bytes_up.fetch_add(n as u64, Ordering::Relaxed);
        if hwr.write_all(bytes).await.is_err() {
            let _ = close.send(true);
            break;
        }
    }
    rd.flush_log(&sh);
    conn.up_done.store(true, Ordering::Relaxed);
    // The terminal is done sending: so is the proxy, towards the host.
    let _ = hwr.shutdown().await;
}

/// Cut the whole frames of `rd.buf`, note each, and hand each (with the fault of the request
/// it answers) to `each`; what is left is the start of a frame still to come.
fn cut(
    conn: &ConnState,
    rd: &mut Reader,
    arrived: Instant,
    mut each: impl FnMut(&mut Reader, std::ops::Range<usize>, Option<Fault>),
) {
    let mut start = 0;
    while start < rd.buf.len() && !rd.raw {
        match frame_len(&conn.sh.framing, &rd.buf[start..]) {
            Ok(Some(n)) => {
                let range = start..start + n;
                let frame = std::mem::take(&mut rd.buf);
                let fault = conn.note(rd, &frame[range.clone()], arrived);
                rd.buf = frame;
                each(rd, range, fault);
                start += n;
            }
            Ok(None) => {
                if rd.buf.len() - start > MAX_FRAME {
                    let left = rd.buf.len() - start;
                    conn.unframeable(rd, 0, "frame longer than 65 KiB", left);
                }
                break;
            }
            Err(e) => {
                let left = rd.buf.len() - start;
                conn.unframeable(rd, e.offset, &e.problem, left);
            }
        }
    }
    if rd.raw {
        // Everything from `start` on goes out unframed; the caller forwards it.
        each(rd, start..rd.buf.len(), None);
        rd.buf.clear();
    } else {
        rd.buf.drain(..start);
    }
}

/// A delayed answer, handed back to the host → terminal task when its timer fires.
enum Out {
    Data(Vec<u8>),
    /// Write these bytes, then close the terminal's connection.
    Last(Vec<u8>),
}

/// Host → terminal: whole frames forwarded as they are, or as the request's fault says.
async fn down(mut hrd: Rd, mut cwr: Wr, conn: Arc<ConnState>, mut close: watch::Receiver<bool>) {
    let sh = Arc::clone(&conn.sh);
    let mut rd = Reader::new(From::Host);
    let (tx, mut delayed) = mpsc::channel::<Out>(64);
    let mut out: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut timers = 0usize;
    loop {
        out.clear();
        let mut closing = false;
        tokio::select! {
            r = hrd.read_buf(&mut rd.buf) => {
                match r {
                    Ok(0) | Err(_) => {
                        if !rd.buf.is_empty() {
                            // The host closed mid-frame: what came is still the terminal's.
                            out.extend_from_slice(&rd.buf);
                            rd.buf.clear();
                        }
                        closing = true;
                    }
                    Ok(n) => {
                        sh.counters.bytes_down.fetch_add(n as u64, Ordering::Relaxed);
                        let arrived = Instant::now();
                        if rd.raw {
                            out.extend_from_slice(&rd.buf);
                            rd.buf.clear();
                        } else {
                            cut(&conn, &mut rd, arrived, |rd, range, fault| {
                                let frame = &rd.buf[range];
                                match fault {
                                    None => out.extend_from_slice(frame),
                                    Some(f) => {
                                        sh.counters.faults.fetch_add(1, Ordering::Relaxed);
                                        let (bytes, last) = conn.apply(rd, frame, &f);
                                        if f.delay_ms > 0 {
                                            timers += 1;
                                            let tx = tx.clone();
                                            let ms = f.delay_ms;
                                            tokio::spawn(async move {
                                                tokio::time::sleep(Duration::from_millis(ms)).await;
                                                let o = if last { Out::Last(bytes) } else { Out::Data(bytes) };
                                                let _ = tx.send(o).await;
                                            });
                                        } else {
                                            out.extend_from_slice(&bytes);
                                            closing |= last;
                                        }
                                    }
                                }
                            });
                        }
                    }
                }
            }
            Some(o) = delayed.recv() => {
                timers -= 1;
                match o {
                    Out::Data(b) => out.extend_from_slice(&b),
                    Out::Last(b) => {
                        out.extend_from_slice(&b);
                        closing = true;
                    }
                }
            }
            _ = tick.tick() => {
                conn.sweep(&mut rd);
                let idle = conn.pending[0].lock().map_or(true, |p| p.is_empty());
                if conn.up_done.load(Ordering::Relaxed) && idle && timers == 0 {
                    // The terminal is gone and nothing is owed to it.
                    closing = true;
                }
            }
            Ok(()) = close.changed() => closing |= *close.borrow(),
        }
        rd.flush_log(&sh);
        if !out.is_empty() && cwr.write_all(&out).await.is_err() {
            break;
        }
        if closing {
            break;
        }
    }
    rd.flush_log(&sh);
    let _ = cwr.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_ask_and_answer_opposite_maps() {
        assert_eq!(From::Terminal.asks(), From::Host.answers());
        assert_eq!(From::Host.asks(), From::Terminal.answers());
    }
}
