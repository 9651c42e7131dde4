//! `posresp send`: a client for any host. Without --replay, each message of the inputs is
//! sent in turn and its answer decoded and printed like `decode` prints. With --replay
//! (src/cmd/replay.rs), the requests of a log are sent over several connections with many in
//! flight, answers are paired with requests by trace number and terminal (fields 11 and 41),
//! and the run is reported: throughput, latency percentiles, response-code mix, timeouts.

mod replay;

use std::io::{self, Write};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use clap::Args;

use posresp::codec::framing::{FramingInfo, LengthPrefix, wrap};
use posresp::codec::{Decoded, FramingChoice, FramingSpec, Spec, decode_into};
use posresp::glossary;
use posresp::host::clock::{now_ms, stamp};
use posresp::host::delay::millis;
use posresp::host::respond::is_request;
use posresp::input::Frame;
use posresp::link::Got;
use posresp::tls::BlockingConn;

use crate::global::{GlobalArgs, OutputFormat};
use crate::render::{JsonHeads, ReportOpts, report, use_color};
use crate::render::{Sink, sanitize};
use posresp::input::{at_line, input_name, open_frames};
use posresp::specs::{Decoder, SpecChoice, load_spec};
use posresp::traffic::{Latency, LogFile, LogHex, Record, log_hex_decoded};

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
    #[arg(long, default_value = "spec",
          value_parser = crate::global::Suggest(crate::global::wire_framings),
          hide_possible_values = true)]
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
    /// Replay: send the log's requests this many times; each repeat gets fresh trace numbers
    /// (11), RRNs (37) and dates (7, 12, 13), a reversal's original data (90) moved with its
    /// request, and a new MAC when a MAC key is given.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub repeat: u64,
    /// MAC every request (field 64 or 128) under the key in this file (hex) before sending;
    /// network management (x8xx) is sent as it is.
    #[arg(long, value_name = "PATH", conflicts_with = "mac_key_env")]
    pub mac_key_file: Option<String>,
    /// MAC every request under the key in this environment variable (hex).
    #[arg(long, value_name = "VAR")]
    pub mac_key_env: Option<String>,
    /// With a MAC key: the algorithm (default: cup-ecb for CUP, x919 with a double-length
    /// key, else x99).
    #[arg(long, value_enum, value_name = "ALG")]
    pub mac_algorithm: Option<crate::global::MacArg>,
    /// Write the exchanged traffic to this JSON Lines log (card data zeroed unless --unmask).
    #[arg(long, value_name = "FILE")]
    pub log: Option<String>,
    /// Decoded answers as brief JSON (top-level fields only).
    #[arg(long)]
    pub brief: bool,
    /// Check every answer in the same run: its MTI answers the request's, echoed fields are
    /// the request's, the TPDU is swapped, it carries a response code (and an approval code
    /// when it approves; CUP: a reference number, 37), and (with a MAC key) its MAC
    /// verifies; exit 1 when one does not.
    #[arg(long, conflicts_with = "replay")]
    pub verify: bool,
    #[command(flatten)]
    pub tls: crate::tlsargs::ClientTlsArgs,
}

/// The MAC key of --mac-key-file or --mac-key-env, if given.
pub(super) fn signing_key(args: &SendArgs) -> Result<Option<posresp::check::Key>> {
    let key = crate::global::read_key(
        args.mac_key_file.as_deref(),
        args.mac_key_env.as_deref(),
        "MAC key",
    )?;
    if key.is_none() && args.mac_algorithm.is_some() {
        bail!("--mac-algorithm needs a key: --mac-key-file PATH or --mac-key-env VAR");
    }
    Ok(key)
}

/// The algorithm to MAC with under `key` for `spec`.
pub(super) fn signing_alg(
    args: &SendArgs,
    spec: &Spec,
    key: &posresp::check::Key,
) -> posresp::check::MacAlgorithm {
    args.mac_algorithm
        .map(Into::into)
        .unwrap_or_else(|| posresp::host::respond::default_mac_alg(spec.dialect, key))
}

/// `bytes` (a request in the wire framing `wire`) with a new MAC.
pub(super) fn sign(
    spec: &Spec,
    bytes: &[u8],
    wire: &FramingSpec,
    key: &posresp::check::Key,
    alg: posresp::check::MacAlgorithm,
) -> Result<Vec<u8>, String> {
    let mut d = Decoded::default();
    decode_into(spec, bytes, &FramingChoice::Given(wire.clone()), &mut d)
        .map_err(|e| e.to_string())?;
    let mut m = d.to_message();
    posresp::host::session::resign(spec, &mut m, Some((key, alg)))
}

pub(super) use crate::global::wire_framing;

/// The request `bytes` (decoded as `dec`) in the wire framing: as given when it already has
/// that framing, else its body re-wrapped (keeping its TPDU and header).
pub(super) fn to_wire(dec: &Decoded, bytes: &[u8], wire: &FramingSpec) -> Result<Vec<u8>, String> {
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

/// The pairing key of a message (one definition for every command).
pub(super) fn pair_key(dec: &Decoded) -> posresp::traffic::PairKey<'_> {
    posresp::traffic::PairKey::of(dec)
}

fn duration(s: &str, what: &str) -> Result<Duration> {
    let ms = millis(s).map_err(|e| anyhow!("{what}: {e}"))?;
    if ms <= 0.0 {
        bail!("{what}: must be above zero");
    }
    Ok(Duration::from_secs_f64(ms / 1000.0))
}

/// Run `send`.
pub fn run(global: &GlobalArgs, args: &SendArgs) -> Result<u8> {
    let specs = load_spec(&global.spec)?;
    let timeout = duration(&args.timeout, "--timeout")?;
    crate::global::check_host_port("--to", &args.to)?;
    // A bad --framing is said before anything is read or sent.
    if args.framing != "spec" {
        FramingSpec::parse_name(&args.framing, &["spec"]).map_err(|e| anyhow!("{e}"))?;
    }
    match &args.replay {
        Some(log) => replay::replay(global, args, &specs, log, timeout),
        None => send_each(global, args, &specs, timeout),
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
    let tls = args.tls.client(&args.to)?;
    let signer = signing_key(args)?;
    let mut conn: Option<BlockingConn> = None;
    let mut buf = Vec::new();
    let (mut errors, mut declines, mut timeouts, mut skipped, mut index) = (0, 0, 0, 0, 0usize);
    let mut unverified = 0usize;
    let mut decoder = Decoder::new(specs, FramingChoice::Auto);
    let mut answer = Decoded::default();
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
            let (spec, err) = decoder.decode(&frame);
            let dec = &decoder.dec;
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
            let bytes = match to_wire(dec, &frame.bytes, &wire) {
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
            let bytes = match &signer {
                Some(k) => match sign(spec, &bytes, &wire, k, signing_alg(args, spec, k)) {
                    Ok(b) => b,
                    Err(e) => {
                        eprintln!(
                            "posresp: {name}: message {}{}: cannot MAC it: {e}; not sent",
                            n + 1,
                            at_line(&frame)
                        );
                        errors += 1;
                        continue;
                    }
                },
                None => bytes,
            };
            let key = pair_key(dec);
            let s = match &mut conn {
                Some(s) => s,
                None => {
                    buf.clear();
                    conn.insert(
                        posresp::link::connect(&args.to, timeout, tls.as_ref())
                            .map_err(|e| anyhow!(e))?,
                    )
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
                    Err(_) if global.unmask => LogHex::clear(&bytes),
                    Err(_) => LogHex::default(),
                };
                let mut line = Vec::new();
                Record {
                    ts: &ts,
                    dir: Some("req"),
                    spec: &spec.name,
                    hex: Some(&hex),
                    ..Record::default()
                }
                .write(&mut line);
                let _ = l.send(line);
            }
            // Read until the answer with this trace number and terminal, or the timeout.
            let deadline = sent_at + timeout;
            let choice = if args.framing == "spec" {
                FramingChoice::Spec
            } else {
                FramingChoice::Given(wire.clone())
            };
            let got = loop {
                match posresp::link::read_frame(s, &mut buf, &wire, deadline, "check --framing") {
                    Ok(Got::Frame(f)) => {
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
                    Ok(Got::Timeout) => {
                        eprintln!(
                            "posresp: {name}: message {}: no answer from {} within {:?}",
                            n + 1,
                            args.to,
                            timeout
                        );
                        timeouts += 1;
                        break None;
                    }
                    Ok(Got::Closed(partial)) => {
                        let what = if posresp::tls::looks_like_tls(&buf) && tls.is_none() {
                            "after answering in TLS: give --tls (and --ca)".to_string()
                        } else if partial > 0 {
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
                    LogHex::default()
                } else {
                    hex
                };
                let mut line = Vec::new();
                Record {
                    ts: &rts,
                    dir: Some("resp"),
                    spec: &spec.name,
                    hex: Some(&hex),
                    latency_ms: Some(Latency::Measured(latency)),
                    ..Record::default()
                }
                .write(&mut line);
                let _ = l.send(line);
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
                if args.verify {
                    let mac = signer.as_ref().map(|k| (k, signing_alg(args, spec, k)));
                    let problems =
                        posresp::host::session::answer_problems(spec, dec, &answer, &bytes_in, mac);
                    for p in &problems {
                        eprintln!(
                            "posresp: {name}: message {}: verify: {}",
                            n + 1,
                            sanitize(p)
                        );
                    }
                    if !problems.is_empty() {
                        unverified += 1;
                    }
                }
            }
            if global.output == OutputFormat::Table {
                writeln!(
                    sink.inner_mut(),
                    "{}Sent request {} ({} · trace {} · terminal {}) to {}: answer in {latency:.2} ms",
                    if index > 0 { "\n" } else { "" },
                    index + 1,
                    dec.mti(),
                    sanitize(key.trace),
                    sanitize(key.terminal),
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
    } else if args.fail_on_decline && (declines > 0 || timeouts > 0)
        || args.verify && (unverified > 0 || timeouts > 0)
    {
        1
    } else {
        0
    })
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
