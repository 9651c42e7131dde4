//! `posresp serve`: a simulated acquirer host on TCP. Each connection reads frames by the
//! spec's (or --framing's) length prefix, decodes each request with the codec, lets the rules
//! decide, and answers with a response built from the request (echoed fields, RRN, approval
//! code, field 39, TPDU swapped, MAC). Every request and response goes to a JSON Lines
//! traffic log (SPEC §7) that `decode`, `stats` and `diff` read.
//!
//! Concurrency: a tokio runtime; per connection one reader task (decodes, decides, builds)
//! and one writer task (coalesces answers into few writes); delayed answers are timers that
//! hand their bytes to the writer. The log is written by one thread fed through a channel, in
//! batches, so the connections never wait on the disk.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, mpsc as smpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, ValueEnum};
use rand::RngExt;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use posresp::check::{Key, MacAlgorithm};
use posresp::codec::encoding::to_hex;
use posresp::codec::{Decoded, Dialect, FramingChoice, FramingSpec, Spec, decode_into};
use posresp::host::batch::{Txn, is_settlement, settlement_answer};
use posresp::host::clock::{Clock, now_ms, stamp};
use posresp::host::delay::{Delay, millis};
use posresp::host::respond::{Outcome, default_mac_alg, format_error_code, is_request};
use posresp::host::rules::{Action, RuleSet};
use posresp::host::stream::{MAX_FRAME, frame_len};

use crate::global::GlobalArgs;
use posresp::specs::{SpecChoice, load_spec};
use posresp::traffic::{Latency, LogFile, LogHex, Record, log_hex_decoded};

/// What to do with a frame that does not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnMalformed {
    /// Answer with the dialect's format-error code (30, or 904 in 1993) when the MTI could be
    /// read; close the connection when not.
    Respond,
    /// Close the connection.
    Close,
}

/// Run a simulated acquirer host that answers requests by rules.
///
/// Requests are read by the spec's framing (or --framing), decoded, and answered by the
/// first matching rule of --rules (docs/rules.md); with no rule matching, or no rules, the
/// request is approved. Answers echo the request's fields per dialect, carry a retrieval
/// reference number (37), an approval code (38) when approved, the TPDU addresses swapped,
/// and a MAC when --mac-key-file is given. 0800 sign-on and echo test are answered 0810; a
/// CUP sign-on gets working keys in field 62 when --tmk-file is given. Requests whose MAC
/// does not verify are declined (A0 for cup, 63 for 1987, 916 for 1993).
///
/// SIGHUP reloads the rules without dropping connections; SIGINT or SIGTERM stops accepting,
/// finishes the transactions in flight and flushes the log.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  posresp --spec cup serve --listen 127.0.0.1:8583 --rules docs/examples/rules.json --log traffic.jsonl
  posresp --spec iso87ascii serve --framing len4ascii --mac-key-file mak.hex
  posresp --spec cup send --to 127.0.0.1:8583 testdata/cup/cup-0200-cnblogs.hex")]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the chosen address is printed).
    #[arg(long, default_value = "127.0.0.1:8583", value_name = "ADDR:PORT")]
    pub listen: String,
    /// Rules file (JSON, docs/rules.md). Without it every request is approved.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<String>,
    /// Framing on the wire: spec (the spec's own), len2, len2bcd, len4ascii, cup, stx …
    #[arg(long, default_value = "spec",
          value_parser = crate::global::Suggest(crate::global::wire_framings),
          hide_possible_values = true)]
    pub framing: String,
    /// Write every request and response to this JSON Lines log ('-' for standard output).
    /// Card data in it is zeroed unless --unmask is given.
    #[arg(long, value_name = "FILE")]
    pub log: Option<String>,
    /// Close a connection that sends nothing for this long (e.g. 30s, 500ms).
    #[arg(long, default_value = "60s", value_name = "DURATION")]
    pub idle_timeout: String,
    /// A frame must arrive whole within this from its first byte (e.g. 10s, 500ms): a client
    /// that trickles bytes is cut off, however often it sends one.
    #[arg(long, default_value = "10s", value_name = "DURATION")]
    pub frame_timeout: String,
    /// Connections held at once. At the cap, a new connection takes the place of the one
    /// that has been longest without a complete frame (idle for a second or more; said in
    /// the log); when every connection is busy, the new one is closed at once.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub max_connections: usize,
    /// MAC key (hex) file: responses carry a MAC and requests' MACs are verified.
    #[arg(long, value_name = "PATH")]
    pub mac_key_file: Option<String>,
    /// Terminal master key (hex) file: CUP sign-on answers carry the working keys (PIK and
    /// the MAC key) encrypted under it in field 62, each with its check value.
    #[arg(long, value_name = "PATH")]
    pub tmk_file: Option<String>,
    /// Issuer master key for application cryptograms (hex) file: answers to requests whose
    /// field 55 has an ARQC (9F26) carry the ARPC in 55.91 (method 1 with the response code,
    /// method 2 with a CSU of zeros), for the cryptogram version 9F10 names or --cvn.
    #[arg(long, value_name = "PATH")]
    pub imk_file: Option<String>,
    /// The cards' cryptogram version, when 9F10 does not say (visa10, visa18, visa22, mc16,
    /// mc17, mc20, mc21, interac133).
    #[arg(long, value_name = "CVN", value_parser = crate::global::parse_cvn, requires = "imk_file")]
    pub cvn: Option<posresp::check::emv::Cvn>,
    /// What to do with a frame that does not decode.
    #[arg(long, value_enum, default_value_t = OnMalformed::Respond)]
    pub on_malformed: OnMalformed,
    /// How long shutdown waits for delayed answers still in flight.
    #[arg(long, default_value = "10s", value_name = "DURATION")]
    pub grace: String,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub monitor: crate::live::MonitorArgs,
    #[command(flatten)]
    pub tls: crate::tlsargs::ServerTlsArgs,
}

/// Counters reported at shutdown.
#[derive(Default)]
struct Counters {
    connections: AtomicU64,
    refused: AtomicU64,
    requests: AtomicU64,
    answers: AtomicU64,
    unanswered: AtomicU64,
    malformed: AtomicU64,
    mac_failures: AtomicU64,
    frame_timeouts: AtomicU64,
    evicted: AtomicU64,
    tls_failures: AtomicU64,
}

/// What the accept loop knows of an open connection: when it last completed a frame (ms
/// since the Unix epoch) and how to make it give up its place.
struct Slot {
    last_frame_ms: Arc<AtomicU64>,
    evict: Arc<tokio::sync::Notify>,
}

/// Working keys handed out at CUP sign-on: field 62 per 60.3 (001 single, 003 double, 004
/// with a track key), already encrypted under the TMK.
struct SignOnKeys {
    single: String,
    double: String,
    triple: String,
}

struct Shared {
    spec: Spec,
    framing: FramingSpec,
    choice: FramingChoice,
    rules: RwLock<Arc<RuleSet>>,
    rules_path: Option<String>,
    log: Option<smpsc::Sender<Vec<u8>>>,
    mac: Option<(Key, MacAlgorithm)>,
    /// The issuer master key (and cryptogram version) for ARPCs in 55.91.
    emv: Option<(Key, Option<posresp::check::emv::Cvn>)>,
    signon: Option<SignOnKeys>,
    unmask: bool,
    idle: Duration,
    frame_timeout: Duration,
    on_malformed: OnMalformed,
    rrn: AtomicU64,
    active: AtomicUsize,
    max_connections: usize,
    counters: Counters,
    monitor: Option<smpsc::Sender<crate::live::LiveEvent>>,
    tls: Option<Arc<rustls::ServerConfig>>,
    /// TLS clients must present a certificate (--client-ca).
    client_auth: bool,
    /// What was approved per terminal since its last settlement.
    book: std::sync::Mutex<posresp::host::batch::Book>,
}

impl Shared {
    /// Tell the live view, when there is one.
    fn seen(&self, e: impl FnOnce() -> crate::live::LiveEvent) {
        if let Some(m) = &self.monitor {
            let _ = m.send(e());
        }
    }
}

fn read_key(path: &str, what: &str) -> Result<Key> {
    crate::global::read_key(Some(path), None, what)?.ok_or_else(|| anyhow!("no {what}"))
}

fn key_bytes(path: &str) -> Result<Vec<u8>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read key file {}", posresp::mask::key_source(path)))?;
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    posresp::codec::encoding::from_hex(&clean)
        .map_err(|_| anyhow!("{}: not hex", posresp::mask::key_source(path)))
}

/// Encrypt `clear` (8 or 16 bytes) under `tmk` block by block, followed by its 4-byte check
/// value, as hex.
fn wrap_key(tmk: &Key, clear: &[u8]) -> Result<String> {
    let mut out = Vec::with_capacity(clear.len() + 4);
    for block in clear.chunks(8) {
        let mut b: [u8; 8] = block.try_into().map_err(|_| anyhow!("key length"))?;
        tmk.encrypt(&mut b);
        out.extend_from_slice(&b);
    }
    let kcv = Key::from_bytes(clear).map_err(|e| anyhow!("{e}"))?.kcv();
    out.extend_from_slice(&kcv);
    Ok(to_hex(&out))
}

fn signon_keys(tmk: &Key, mak: &[u8]) -> Result<SignOnKeys> {
    let mut rng = rand::rng();
    let pik: [u8; 16] = rng.random();
    let tdk: [u8; 16] = rng.random();
    // In the 16-byte MAK slot an 8-byte MAK is followed by 8 zero bytes (CUP POS specification, field 62 of the sign-on reply).
    let mak16: Vec<u8> = if mak.len() >= 16 {
        mak[..16].to_vec()
    } else {
        [&mak[..8], &[0u8; 8][..]].concat()
    };
    let mak_wrapped16 = if mak.len() >= 16 {
        wrap_key(tmk, &mak16)?
    } else {
        // Encrypt the 8-byte key, keep 8 zero bytes, check value of the 8-byte key.
        let w = wrap_key(tmk, &mak[..8])?;
        format!("{}{}{}", &w[..16], "0".repeat(16), &w[16..])
    };
    Ok(SignOnKeys {
        single: format!("{}{}", wrap_key(tmk, &pik[..8])?, wrap_key(tmk, &mak[..8])?),
        double: format!("{}{mak_wrapped16}", wrap_key(tmk, &pik)?),
        triple: format!(
            "{}{mak_wrapped16}{}",
            wrap_key(tmk, &pik)?,
            wrap_key(tmk, &tdk)?
        ),
    })
}

/// Run `serve`.
pub fn run(global: &GlobalArgs, args: &ServeArgs) -> Result<u8> {
    crate::global::output_one_of(
        global,
        "serve",
        &[crate::global::OutputFormat::Table],
        "its status lines are text on stderr, its traffic goes to --log as JSON Lines, and --monitor prints JSON lines in a pipe",
    )?;
    let spec = match load_spec(&global.spec)? {
        SpecChoice::One(s) => *s,
        SpecChoice::Auto(_) => {
            bail!("serve needs one spec: give --spec cup, --spec iso87ascii … or a spec file")
        }
    };
    let framing = crate::global::wire_framing(&spec, &args.framing)?;
    let rules = match &args.rules {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("cannot read rules {p}"))?;
            RuleSet::parse(&text, p, &spec).map_err(|e| anyhow!("{e}"))?
        }
        None => RuleSet::approve_all(&spec),
    };
    let idle = Duration::from_secs_f64(
        millis(&args.idle_timeout).map_err(|e| anyhow!("--idle-timeout: {e}"))? / 1000.0,
    );
    let grace =
        Duration::from_secs_f64(millis(&args.grace).map_err(|e| anyhow!("--grace: {e}"))? / 1000.0);
    let frame_timeout = Duration::from_secs_f64(
        millis(&args.frame_timeout).map_err(|e| anyhow!("--frame-timeout: {e}"))? / 1000.0,
    );
    if frame_timeout.is_zero() {
        bail!("--frame-timeout must be above zero");
    }
    let mac = match &args.mac_key_file {
        Some(p) => {
            let key = read_key(p, "MAC key")?;
            if spec.field(64).is_none() && spec.field(128).is_none() {
                bail!("spec {} has no field 64 or 128 to carry a MAC", spec.name);
            }
            let alg = default_mac_alg(spec.dialect, &key);
            Some((key, alg))
        }
        None => None,
    };
    let signon = match (&args.tmk_file, &args.mac_key_file) {
        (Some(t), Some(m)) => {
            if spec.dialect != Dialect::Cup || spec.field(62).is_none() {
                bail!("--tmk-file hands out working keys in CUP field 62; the spec is not cup");
            }
            Some(signon_keys(&read_key(t, "TMK")?, &key_bytes(m)?)?)
        }
        (Some(_), None) => bail!("--tmk-file needs --mac-key-file (the MAC key it hands out)"),
        _ => None,
    };
    let emv = match &args.imk_file {
        Some(p) => {
            if spec.field(55).is_none() {
                bail!(
                    "--imk-file answers with an ARPC in field 55; spec {} has no field 55",
                    spec.name
                );
            }
            Some((read_key(p, "issuer master key")?, args.cvn))
        }
        None => None,
    };
    let tls = args.tls.server()?;
    let runtime = crate::global::runtime(args.threads)?;

    // The log writer thread.
    let (log_tx, log_thread) = match &args.log {
        Some(path) => {
            let (tx, h) = LogFile::create(path)?.split();
            (Some(tx), Some(h))
        }
        None => (None, None),
    };
    let (monitor, monitor_thread) = args
        .monitor
        .start(format!("posresp serve {}", args.listen), "serve")?
        .unzip();
    let shared = Arc::new(Shared {
        spec,
        choice: FramingChoice::Given(framing.clone()),
        framing,
        rules: RwLock::new(Arc::new(rules)),
        rules_path: args.rules.clone(),
        log: log_tx,
        mac,
        emv,
        signon,
        unmask: global.unmask,
        idle,
        frame_timeout,
        on_malformed: args.on_malformed,
        rrn: AtomicU64::new(1),
        active: AtomicUsize::new(0),
        max_connections: args.max_connections.max(1),
        counters: Counters::default(),
        monitor,
        tls,
        client_auth: args.tls.client_ca.is_some(),
        book: std::sync::Mutex::default(),
    });
    let result = runtime.block_on(serve(Arc::clone(&shared), &args.listen, grace));
    runtime.shutdown_timeout(Duration::from_millis(100));
    let c = &shared.counters;
    let summary = format!(
        "posresp serve: stopped; {} connections ({} refused, {} evicted at the cap, {} cut off \
         by --frame-timeout{}), {} requests, {} answers, {} unanswered, {} malformed, {} MAC \
         failures",
        c.connections.load(Ordering::Relaxed),
        c.refused.load(Ordering::Relaxed),
        c.evicted.load(Ordering::Relaxed),
        c.frame_timeouts.load(Ordering::Relaxed),
        if shared.tls.is_some() {
            format!(
                ", {} failed the TLS handshake",
                c.tls_failures.load(Ordering::Relaxed)
            )
        } else {
            String::new()
        },
        c.requests.load(Ordering::Relaxed),
        c.answers.load(Ordering::Relaxed),
        c.unanswered.load(Ordering::Relaxed),
        c.malformed.load(Ordering::Relaxed),
        c.mac_failures.load(Ordering::Relaxed),
    );
    shared.seen(|| crate::live::LiveEvent::Stop);
    // Dropping the last reference closes the log channel; the writer drains and flushes.
    drop(shared);
    let alerted = monitor_thread.is_some_and(|h| h.join().unwrap_or(false));
    if let Some(h) = log_thread {
        LogFile::finish(h)?;
    }
    result?;
    eprintln!("{summary}");
    Ok(if alerted { 1 } else { 0 })
}

async fn serve(shared: Arc<Shared>, listen: &str, grace: Duration) -> Result<()> {
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    {
        let rules = shared.rules.read().map_err(|_| anyhow!("rules lock"))?;
        let from = shared
            .rules_path
            .as_deref()
            .map(|p| format!("{} rules from {p}", rules.rules.len()))
            .unwrap_or_else(|| "no rules: approving everything".into());
        let tls = match (&shared.tls, shared.client_auth) {
            (None, _) => "",
            (Some(_), true) => ", TLS with client certificates",
            (Some(_), false) => ", TLS",
        };
        eprintln!(
            "posresp serve: listening on {addr} (spec {}, framing {}{tls}, {from})",
            shared.spec.name,
            shared.framing.kind()
        );
    }
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut conns = JoinSet::new();
    let mut next_id = 0u64;
    let slots: Arc<std::sync::Mutex<HashMap<u64, Slot>>> = Arc::default();
    let mut sigint = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut sighup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        // Out of file descriptors and the like: note it and keep serving.
                        eprintln!("posresp serve: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                next_id += 1;
                shared.counters.connections.fetch_add(1, Ordering::Relaxed);
                if shared.active.load(Ordering::Relaxed) >= shared.max_connections
                    && !evict_longest_idle(&slots, next_id, &shared)
                {
                    shared.counters.refused.fetch_add(1, Ordering::Relaxed);
                    eprintln!(
                        "posresp serve: conn {next_id} ({peer}): refused, {} connections are open \
                         (--max-connections)",
                        shared.max_connections
                    );
                    drop(stream);
                    continue;
                }
                shared.active.fetch_add(1, Ordering::Relaxed);
                let sh = Arc::clone(&shared);
                let stop = stop_rx.clone();
                let slot = Slot {
                    last_frame_ms: Arc::new(AtomicU64::new(now_ms())),
                    evict: Arc::new(tokio::sync::Notify::new()),
                };
                let (last, evict) = (Arc::clone(&slot.last_frame_ms), Arc::clone(&slot.evict));
                if let Ok(mut m) = slots.lock() {
                    m.insert(next_id, slot);
                }
                let slots = Arc::clone(&slots);
                let id = next_id;
                conns.spawn(async move {
                    let _ = stream.set_nodelay(true);
                    match &sh.tls {
                        None => {
                            let (rd, wr) = stream.into_split();
                            connection(rd, wr, id, peer, Arc::clone(&sh), stop, last, evict).await;
                        }
                        Some(config) => match posresp::tls::accept(config, stream, sh.frame_timeout).await {
                            Ok(s) => {
                                let (rd, wr) = tokio::io::split(s);
                                connection(rd, wr, id, peer, Arc::clone(&sh), stop, last, evict).await;
                            }
                            Err(why) => {
                                sh.counters.tls_failures.fetch_add(1, Ordering::Relaxed);
                                eprintln!("posresp serve: conn {id} ({peer}): TLS handshake failed: {why}");
                                if let Some(l) = &sh.log {
                                    let (ts, peer) = (stamp(now_ms()).rfc3339, peer.to_string());
                                    let mut line = Vec::new();
                                    Record {
                                        ts: &ts,
                                        spec: &sh.spec.name,
                                        conn: Some(id),
                                        peer: Some(&peer),
                                        event: Some("tls handshake failed"),
                                        detail: Some(&why),
                                        ..Record::default()
                                    }
                                    .write(&mut line);
                                    let _ = l.send(line);
                                }
                            }
                        },
                    }
                    if let Ok(mut m) = slots.lock() {
                        m.remove(&id);
                    }
                    sh.active.fetch_sub(1, Ordering::Relaxed);
                });
            }
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            _ = sighup.recv() => reload(&shared),
            _ = sigint.recv() => break,
            _ = sigterm.recv() => break,
        }
    }
    drop(listener);
    let open = conns.len();
    eprintln!("posresp serve: shutting down; finishing {open} connections");
    let _ = stop_tx.send(true);
    let finished =
        tokio::time::timeout(grace, async { while conns.join_next().await.is_some() {} }).await;
    if finished.is_err() {
        eprintln!(
            "posresp serve: {} connections still had delayed answers after --grace; closed",
            conns.len()
        );
        conns.shutdown().await;
    }
    Ok(())
}

/// At the connection cap: tell the connection that has gone longest without a complete frame
/// (a second or more) to give up its place for connection `new_id`. `false` when every
/// connection is busy.
fn evict_longest_idle(
    slots: &std::sync::Mutex<HashMap<u64, Slot>>,
    new_id: u64,
    shared: &Shared,
) -> bool {
    let Ok(mut m) = slots.lock() else {
        return false;
    };
    let now = now_ms();
    let Some((&id, _)) = m
        .iter()
        .filter(|(_, s)| now.saturating_sub(s.last_frame_ms.load(Ordering::Relaxed)) >= 1000)
        .min_by_key(|(_, s)| s.last_frame_ms.load(Ordering::Relaxed))
    else {
        return false;
    };
    if let Some(s) = m.remove(&id) {
        s.evict.notify_one();
    }
    shared.counters.evicted.fetch_add(1, Ordering::Relaxed);
    eprintln!(
        "posresp serve: conn {id}: closed to admit conn {new_id}: the longest without a \
         complete frame at --max-connections {}",
        shared.max_connections
    );
    // The evicted connection still counts until its task ends; admit the new one now.
    true
}

fn reload(shared: &Shared) {
    let Some(path) = &shared.rules_path else {
        eprintln!("posresp serve: SIGHUP: no --rules file to reload");
        return;
    };
    let parsed = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {path}: {e}"))
        .and_then(|t| RuleSet::parse(&t, path, &shared.spec));
    match parsed {
        Ok(r) => {
            let n = r.rules.len();
            if let Ok(mut slot) = shared.rules.write() {
                *slot = Arc::new(r);
            }
            eprintln!("posresp serve: reloaded {n} rules from {path}");
        }
        Err(e) => eprintln!("posresp serve: reload failed, keeping the previous rules: {e}"),
    }
}

/// Delayed answers queued for a connection before their timers wait.
const QUEUED_DELAYED: usize = 64;

/// A delayed answer, handed back to its connection when its timer fires.
enum Out {
    Data(Vec<u8>),
    /// Write these bytes, then close the connection.
    Last(Vec<u8>),
}

/// One connection's state.
struct Conn {
    id: u64,
    peer: String,
    sh: Arc<Shared>,
    dec: Decoded,
    clock: Clock,
    frames: u64,
    /// For delayed answers; dropped when reading stops, so that the connection ends once the
    /// last timer has fired.
    tx: Option<mpsc::Sender<Out>>,
    /// Answers to write after this batch of frames.
    out: Vec<u8>,
    /// Log lines of this batch.
    log: Vec<u8>,
    /// Stop reading (close action, stream error).
    closing: bool,
}

/// The log record of one answer (the connection's spec, number and peer to be filled in).
fn answer_record<'a>(
    ts: &'a str,
    hex: &'a LogHex,
    latency_ms: f64,
    code: &'a str,
    rule: &'a str,
    action: Action,
) -> Record<'a> {
    Record {
        ts,
        dir: Some("resp"),
        hex: Some(hex),
        latency_ms: Some(Latency::Measured(latency_ms)),
        code: Some(code),
        rule: Some(rule),
        action: Some(action.name()),
        ..Record::default()
    }
}

/// Write `bytes`, giving up on a client that reads none of them for `stall`.
async fn write_out<W: AsyncWrite + Unpin>(
    wr: &mut W,
    bytes: &[u8],
    stall: Duration,
    who: &str,
) -> bool {
    match tokio::time::timeout(stall, wr.write_all(bytes)).await {
        Ok(Ok(())) => true,
        Ok(Err(_)) => false,
        Err(_) => {
            eprintln!(
                "posresp serve: {who}: read none of its answers for {stall:?} (--idle-timeout); \
                 closed"
            );
            false
        }
    }
}

/// One connection, in one task: read frames and answer them in batches (one read, one write
/// for everything that arrived together), and write delayed answers as their timers fire. A
/// client that does not read its answers is not read from either (the write waits).
#[allow(clippy::too_many_arguments)]
async fn connection<R: AsyncRead + Unpin, W: AsyncWrite + Unpin>(
    mut rd: R,
    mut wr: W,
    id: u64,
    peer: SocketAddr,
    sh: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
    last_frame_ms: Arc<AtomicU64>,
    evict: Arc<tokio::sync::Notify>,
) {
    let frame_timeout = sh.frame_timeout;
    let (tx, mut delayed) = mpsc::channel(QUEUED_DELAYED);
    let idle = sh.idle;
    let who = format!("conn {id} ({peer})");
    let mut c = Conn {
        id,
        peer: peer.to_string(),
        sh,
        dec: Decoded::default(),
        clock: Clock::new(),
        frames: 0,
        tx: Some(tx),
        out: Vec::new(),
        log: Vec::new(),
        closing: false,
    };
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    let mut reading = true;
    // When the first byte of the frame not yet complete arrived.
    let mut frame_started: Option<Instant> = None;
    loop {
        // Wait for bytes no longer than the idle timeout, nor past the frame's deadline.
        let wait = match frame_started {
            Some(t) => idle.min((t + frame_timeout).saturating_duration_since(Instant::now())),
            None => idle,
        };
        tokio::select! {
            read = tokio::time::timeout(wait, rd.read_buf(&mut buf)), if reading => {
                match read {
                    Err(_) if frame_started.is_some_and(|t| t.elapsed() >= frame_timeout) => {
                        c.frame_timed_out(frame_timeout, buf.len());
                        break;
                    }
                    Err(_) => {
                        eprintln!("posresp serve: {who}: idle for {idle:?} (--idle-timeout); closed");
                        c.event("idle timeout", &format!("idle for {idle:?} (--idle-timeout); closed"), buf.len());
                        break;
                    }
                    Ok(Err(_)) => break,
                    Ok(Ok(0)) => {
                        if !buf.is_empty() {
                            c.stream_error(
                                0,
                                &format!(
                                    "connection closed after {} bytes of an incomplete frame",
                                    buf.len()
                                ),
                                buf.len(),
                            );
                        }
                        // The client is done sending: answer what is still delayed, then end.
                        reading = false;
                        c.tx = None;
                    }
                    Ok(Ok(_)) => {
                        let arrived = Instant::now();
                        let mut start = 0;
                        while start < buf.len() && !c.closing {
                            match frame_len(&c.sh.framing, &buf[start..]) {
                                Ok(Some(n)) => {
                                    c.frame(&buf[start..start + n], arrived);
                                    start += n;
                                }
                                Ok(None) => {
                                    if buf.len() - start > MAX_FRAME {
                                        c.stream_error(0, "frame longer than 65 KiB", buf.len() - start);
                                    }
                                    break;
                                }
                                Err(e) => c.stream_error(e.offset, &e.problem, buf.len() - start),
                            }
                        }
                        if start > 0 {
                            last_frame_ms.store(now_ms(), Ordering::Relaxed);
                        }
                        buf.drain(..start);
                        frame_started = match (buf.is_empty(), start > 0) {
                            (true, _) => None,
                            // A new frame began in this read.
                            (false, true) => Some(arrived),
                            (false, false) => frame_started.or(Some(arrived)),
                        };
                    }
                }
                c.flush_log();
                if !c.out.is_empty() && !write_out(&mut wr, &c.out, idle, &who).await {
                    break;
                }
                c.out.clear();
                if c.closing {
                    break;
                }
            }
            Some(o) = delayed.recv() => {
                let (bytes, last) = match o {
                    Out::Data(b) => (b, false),
                    Out::Last(b) => (b, true),
                };
                if !write_out(&mut wr, &bytes, idle, &who).await || last {
                    break;
                }
            }
            _ = evict.notified(), if reading => {
                c.event(
                    "evicted",
                    &format!(
                        "closed to admit a new connection: the longest without a complete frame at --max-connections {}",
                        c.sh.max_connections
                    ),
                    buf.len(),
                );
                break;
            }
            _ = stop.changed(), if reading => {
                // Shutting down: read no more, finish the delayed answers.
                reading = false;
                c.tx = None;
            }
            else => break,
        }
    }
    c.flush_log();
    let _ = wr.shutdown().await;
}

impl Conn {
    /// Hand this batch's log lines to the log writer.
    fn flush_log(&mut self) {
        if !self.log.is_empty()
            && let Some(l) = &self.sh.log
        {
            let _ = l.send(std::mem::take(&mut self.log));
        }
    }

    fn stream_error(&mut self, offset: usize, problem: &str, pending: usize) {
        self.sh.counters.malformed.fetch_add(1, Ordering::Relaxed);
        let msg = format!(
            "frame {} at byte {offset}: {problem}; the stream cannot be followed, closing (is \
             --framing right?)",
            self.frames + 1
        );
        eprintln!("posresp serve: conn {} ({}): {msg}", self.id, self.peer,);
        // Every event serve counts is in the log: this one without bytes (they could not be
        // masked), with how many were waiting.
        let ts = self.clock.now().rfc3339.clone();
        self.log(Record {
            ts: &ts,
            dir: Some("req"),
            event: Some("malformed stream"),
            hex: Some(&LogHex::default()),
            error: Some(&msg),
            bytes: Some(pending),
            ..Record::default()
        });
        self.closing = true;
    }

    /// A connection event that is not a message (idle timeout, frame timeout, eviction): in
    /// the log without bytes, read back by decode and stats as a note, not a message.
    fn event(&mut self, event: &str, detail: &str, pending: usize) {
        if self.sh.log.is_none() {
            return;
        }
        let ts = self.clock.now().rfc3339.clone();
        self.log(Record {
            ts: &ts,
            event: Some(event),
            pending_bytes: Some(pending),
            detail: Some(detail),
            ..Record::default()
        });
        self.flush_log();
    }

    fn frame_timed_out(&mut self, limit: Duration, pending: usize) {
        self.sh
            .counters
            .frame_timeouts
            .fetch_add(1, Ordering::Relaxed);
        let msg = format!(
            "frame {} not complete within {limit:?} (--frame-timeout): {pending} bytes of it \
             came; closed",
            self.frames + 1
        );
        eprintln!("posresp serve: conn {} ({}): {msg}", self.id, self.peer);
        self.event("frame timeout", &msg, pending);
    }

    /// Log `r` as this connection's (spec, connection number and peer filled in).
    fn log(&mut self, r: Record<'_>) {
        if self.sh.log.is_none() {
            return;
        }
        Record {
            spec: &self.sh.spec.name,
            conn: Some(self.id),
            peer: Some(&self.peer),
            ..r
        }
        .write(&mut self.log);
    }

    fn frame(&mut self, frame: &[u8], arrived: Instant) {
        self.frames += 1;
        let sh = Arc::clone(&self.sh);
        let ts = self.clock.now().rfc3339.clone();
        let res = decode_into(&sh.spec, frame, &sh.choice, &mut self.dec);
        if let Err(e) = res {
            sh.counters.malformed.fetch_add(1, Ordering::Relaxed);
            sh.seen(|| crate::live::LiveEvent::Undecodable);
            let msg = format!("{e}; {}", e.hint());
            eprintln!(
                "posresp serve: conn {} ({}): frame {}: {msg}",
                self.id, self.peer, self.frames
            );
            // A frame that does not decode cannot be redacted field by field: log its
            // length only unless --unmask.
            let hex = if sh.unmask {
                LogHex::clear(frame)
            } else {
                LogHex::default()
            };
            self.log(Record {
                ts: &ts,
                dir: Some("req"),
                hex: Some(&hex),
                error: Some(&msg),
                bytes: Some(frame.len()),
                ..Record::default()
            });
            let readable = is_request(self.dec.mti());
            if sh.on_malformed == OnMalformed::Respond && readable {
                let code = format_error_code(sh.spec.dialect);
                let outcome = Outcome {
                    code,
                    set: &[],
                    remove: &[],
                };
                self.answer(
                    &ts,
                    &outcome,
                    Action::Respond,
                    None,
                    arrived,
                    "format error",
                );
            } else {
                self.closing = true;
            }
            return;
        }
        let hex = if sh.log.is_some() {
            log_hex_decoded(&sh.spec, &self.dec, frame, sh.unmask)
        } else {
            LogHex::default()
        };
        if !is_request(self.dec.mti()) {
            eprintln!(
                "posresp serve: conn {} ({}): frame {}: MTI {} is not a request; ignored",
                self.id,
                self.peer,
                self.frames,
                self.dec.mti()
            );
            self.log(Record {
                ts: &ts,
                dir: Some("req"),
                hex: Some(&hex),
                error: Some("not a request"),
                ..Record::default()
            });
            return;
        }
        sh.counters.requests.fetch_add(1, Ordering::Relaxed);
        sh.seen(|| crate::live::LiveEvent::Request);
        self.log(Record {
            ts: &ts,
            dir: Some("req"),
            hex: Some(&hex),
            ..Record::default()
        });
        // A MAC that does not verify is declined before any rule is asked.
        if let Some((key, alg)) = &sh.mac
            && let Some(ok) = posresp::host::session::mac_ok(frame, &self.dec, key, *alg)
            && !ok
        {
            sh.counters.mac_failures.fetch_add(1, Ordering::Relaxed);
            let code = match sh.spec.dialect {
                Dialect::Cup => "A0",
                Dialect::Iso87 => "63",
                Dialect::Iso93 => "916",
            };
            let outcome = Outcome {
                code,
                set: &[],
                remove: &[],
            };
            self.answer(&ts, &outcome, Action::Respond, None, arrived, "MAC check");
            return;
        }
        let rules = match sh.rules.read() {
            Ok(r) => Arc::clone(&r),
            Err(_) => return,
        };
        let d = rules.decide(&self.dec);
        let mut extra: Vec<(u16, String)> = Vec::new();
        if let Some(keys) = &sh.signon
            && self.dec.mti() == "0800"
        {
            // 60.3 (network management code) picks the key layout.
            let nm = self.dec.get(60).and_then(|v| v.get(8..11)).unwrap_or("001");
            let v = match nm {
                "003" => &keys.double,
                "004" => &keys.triple,
                _ => &keys.single,
            };
            extra.push((62, v.clone()));
        }
        let mut code = d.code;
        let answered =
            !(d.action == Action::Drop || d.action == Action::Close && d.delay.is_none());
        let approved = |c: &str| {
            posresp::glossary::response_code(sh.spec.dialect, c)
                .is_some_and(|r| r.category == "approved")
        };
        if answered {
            // The batch: settlements are checked against it, approvals go into it.
            let mut book = sh.book.lock().unwrap_or_else(|p| p.into_inner());
            let dec = &self.dec;
            if is_settlement(dec.mti()) && approved(code) {
                let batch = book.close(dec.get(41).unwrap_or("").trim_end());
                let (c, set) = settlement_answer(sh.spec.dialect, &batch, code, |id| dec.get(id));
                code = c;
                extra.extend(set);
            } else {
                let a63 = d
                    .set
                    .iter()
                    .find(|(id, _)| *id == 63)
                    .map(|(_, v)| v.as_str());
                book.answered(&Txn::of(dec.mti(), |id| dec.get(id), a63), approved(code));
            }
        }
        extra.extend(d.set.iter().cloned());
        let outcome = Outcome {
            code,
            set: &extra,
            remove: d.remove,
        };
        let rule = d.rule.map_or("default", |r| r.name.as_str());
        let rule = rule.to_string();
        let delay = d.delay.cloned();
        let action = d.action;
        self.answer(&ts, &outcome, action, delay.as_ref(), arrived, &rule);
    }

    fn answer(
        &mut self,
        ts: &str,
        outcome: &Outcome<'_>,
        action: Action,
        delay: Option<&Delay>,
        arrived: Instant,
        rule: &str,
    ) {
        let sh = Arc::clone(&self.sh);
        if action == Action::Drop {
            sh.counters.unanswered.fetch_add(1, Ordering::Relaxed);
            sh.seen(|| crate::live::LiveEvent::Timeout);
            return;
        }
        if action == Action::Close && delay.is_none() {
            sh.counters.unanswered.fetch_add(1, Ordering::Relaxed);
            sh.seen(|| crate::live::LiveEvent::Timeout);
            self.closing = true;
            return;
        }
        let rrn = sh.rrn.fetch_add(1, Ordering::Relaxed);
        let approval = rand::random::<u32>();
        let now = self.clock.now().clone();
        let setup = posresp::host::session::AnswerSetup {
            spec: &sh.spec,
            choice: &sh.choice,
            mac: sh.mac.as_ref().map(|(k, a)| (k, *a)),
            log: sh.log.is_some(),
            unmask: sh.unmask,
            emv: sh.emv.as_ref().map(|(k, c)| (k, *c)),
        };
        let made =
            posresp::host::session::answer(&setup, &self.dec, outcome, action, &now, rrn, approval);
        let (bytes, resp_hex) = match made {
            Ok(Some(a)) => {
                if let Some(n) = &a.note {
                    eprintln!(
                        "posresp serve: conn {} ({}): frame {}: {n}",
                        self.id, self.peer, self.frames
                    );
                }
                (a.wire, a.logged.unwrap_or_default())
            }
            Ok(None) => return,
            Err(e) => {
                eprintln!(
                    "posresp serve: conn {} ({}): frame {}: cannot build the answer ({rule}): {e}",
                    self.id, self.peer, self.frames
                );
                return;
            }
        };
        let copies = if action == Action::Duplicate { 2 } else { 1 };
        let last = matches!(action, Action::Truncate | Action::Close);
        let (code, rule) = (outcome.code.to_string(), rule.to_string());
        let terminal = self.dec.get(41).map(|t| t.trim().to_string());
        let answered = {
            let sh = Arc::clone(&sh);
            let code = code.clone();
            move |latency_ms: f64| {
                sh.seen(|| crate::live::LiveEvent::Response {
                    category: posresp::glossary::response_code(sh.spec.dialect, &code)
                        .map_or("unknown", |r| r.category.as_str())
                        .to_string(),
                    code: Some(code),
                    terminal,
                    latency_us: Some((latency_ms * 1000.0) as u64),
                })
            }
        };
        match delay
            .map(|d| d.sample(&mut rand::rng()))
            .filter(|&ms| ms > 0)
        {
            None => {
                let latency = arrived.elapsed().as_secs_f64() * 1000.0;
                if action != Action::Close {
                    sh.counters.answers.fetch_add(1, Ordering::Relaxed);
                    answered(latency);
                    for _ in 0..copies {
                        self.out.extend_from_slice(&bytes);
                        self.log(answer_record(ts, &resp_hex, latency, &code, &rule, action));
                    }
                }
                if last {
                    self.closing = true;
                }
            }
            Some(ms) => {
                let Some(tx) = self.tx.clone() else {
                    return;
                };
                let (id, peer) = (self.id, self.peer.clone());
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    let latency = arrived.elapsed().as_secs_f64() * 1000.0;
                    if action == Action::Close {
                        sh.counters.unanswered.fetch_add(1, Ordering::Relaxed);
                        sh.seen(|| crate::live::LiveEvent::Timeout);
                        let _ = tx.send(Out::Last(Vec::new())).await;
                        return;
                    }
                    sh.counters.answers.fetch_add(1, Ordering::Relaxed);
                    answered(latency);
                    let mut wire = Vec::with_capacity(bytes.len() * copies);
                    let mut log = Vec::new();
                    let ts = stamp(now_ms()).rfc3339;
                    for _ in 0..copies {
                        wire.extend_from_slice(&bytes);
                        Record {
                            spec: &sh.spec.name,
                            conn: Some(id),
                            peer: Some(&peer),
                            ..answer_record(&ts, &resp_hex, latency, &code, &rule, action)
                        }
                        .write(&mut log);
                    }
                    let out = if last {
                        Out::Last(wire)
                    } else {
                        Out::Data(wire)
                    };
                    let _ = tx.send(out).await;
                    if let Some(l) = &sh.log {
                        let _ = l.send(log);
                    }
                });
            }
        }
    }
}
