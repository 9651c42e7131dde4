//! posresp's own traffic log: THE record type (`generate`, `serve --log`, `send --log` and
//! `send --replay --log` write their lines through [`Record::write`]; readers parse them with
//! [`parse_line`]; docs/log-format.md describes the keys), the log file written by its own
//! thread (created 0600), messages with card data zeroed for it, and the latency histogram.

use std::fmt::Write as _;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::sync::mpsc;
use std::thread::JoinHandle;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::codec::encoding::to_hex;
use crate::codec::{Decoded, Spec};
use crate::host::redact::redact;

/// A message as a log record holds it: its hex, and whether card data in it was zeroed.
#[derive(Clone, Debug, Default)]
pub struct LogHex {
    /// Uppercase hex of the bytes logged.
    pub hex: String,
    /// Card data in them was zeroed: `verify` then reports the checks over zeroed values as
    /// not checkable.
    pub redacted: bool,
}

impl LogHex {
    /// The bytes as they are.
    pub fn clear(bytes: &[u8]) -> Self {
        LogHex {
            hex: to_hex(bytes),
            redacted: false,
        }
    }
}

/// The time a response took, as the writer measured it.
#[derive(Clone, Copy, Debug)]
pub enum Latency {
    /// Whole milliseconds (generate's simulated latencies).
    Ms(u64),
    /// Milliseconds to the microsecond (measured by serve and send).
    Measured(f64),
}

/// One line of a traffic log. Keys are written in one order, only when set; strings are
/// escaped, so no value (a spec name, a peer, an error) can break the line.
#[derive(Clone, Debug, Default)]
pub struct Record<'a> {
    /// RFC 3339 UTC with milliseconds.
    pub ts: &'a str,
    /// `req` or `resp`; absent for connection events.
    pub dir: Option<&'a str>,
    /// A record that is not a message, or a note on one (`frame timeout`, `unmatched answer …`).
    pub event: Option<&'a str>,
    /// The spec the message was encoded with.
    pub spec: &'a str,
    /// serve: the connection's number and the client's address.
    pub conn: Option<u64>,
    pub peer: Option<&'a str>,
    /// The message; absent for connection events.
    pub hex: Option<&'a LogHex>,
    pub latency_ms: Option<Latency>,
    /// serve, responses: field 39, the rule that decided and its action.
    pub code: Option<&'a str>,
    pub rule: Option<&'a str>,
    pub action: Option<&'a str>,
    /// What is wrong with a message or a stream that could not be read.
    pub error: Option<&'a str>,
    /// The length of what could not be logged as hex.
    pub bytes: Option<usize>,
    /// Bytes of an incomplete frame when the connection ended.
    pub pending_bytes: Option<usize>,
    /// More about an event.
    pub detail: Option<&'a str>,
}

fn key(out: &mut String, k: &str) {
    if !out.ends_with('{') {
        out.push(',');
    }
    out.push('"');
    out.push_str(k);
    out.push_str("\":");
}

fn string(out: &mut String, k: &str, v: &str) {
    key(out, k);
    // serde_json escapes exactly what JSON needs.
    out.push_str(&serde_json::to_string(v).unwrap_or_else(|_| "\"\"".into()));
}

impl Record<'_> {
    /// Append the record as one line (with its newline) to `out`.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.line().as_bytes());
        out.push(b'\n');
    }

    /// The record as JSON, without a newline.
    pub fn line(&self) -> String {
        let mut s = String::with_capacity(96 + self.hex.map_or(0, |h| h.hex.len()));
        s.push('{');
        string(&mut s, "ts", self.ts);
        if let Some(d) = self.dir {
            string(&mut s, "dir", d);
        }
        if let (Some(e), None) = (self.event, self.hex) {
            string(&mut s, "event", e);
        }
        string(&mut s, "spec", self.spec);
        if let Some(c) = self.conn {
            key(&mut s, "conn");
            let _ = write!(s, "{c}");
        }
        if let Some(p) = self.peer {
            string(&mut s, "peer", p);
        }
        if let Some(h) = self.hex {
            // Hex digits need no escaping.
            key(&mut s, "hex");
            s.push('"');
            s.push_str(&h.hex);
            s.push('"');
            if h.redacted {
                key(&mut s, "redacted");
                s.push_str("true");
            }
        }
        match self.latency_ms {
            Some(Latency::Ms(ms)) => {
                key(&mut s, "latency_ms");
                let _ = write!(s, "{ms}");
            }
            Some(Latency::Measured(ms)) => {
                key(&mut s, "latency_ms");
                let _ = write!(s, "{ms:.3}");
            }
            None => {}
        }
        for (k, v) in [
            ("code", self.code),
            ("rule", self.rule),
            ("action", self.action),
        ] {
            if let Some(v) = v {
                string(&mut s, k, v);
            }
        }
        if let (Some(e), Some(_)) = (self.event, self.hex) {
            string(&mut s, "event", e);
        }
        if let Some(e) = self.error {
            string(&mut s, "error", e);
        }
        for (k, v) in [("bytes", self.bytes), ("pending_bytes", self.pending_bytes)] {
            if let Some(v) = v {
                key(&mut s, k);
                let _ = write!(s, "{v}");
            }
        }
        if let Some(d) = self.detail {
            string(&mut s, "detail", d);
        }
        s.push('}');
        s
    }
}

/// What readers take from a record; other keys are kept by the writer's peers and ignored.
#[derive(Deserialize)]
pub struct Parsed {
    pub hex: Option<String>,
    pub ts: Option<String>,
    pub dir: Option<String>,
    pub spec: Option<String>,
    pub latency_ms: Option<f64>,
    pub event: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    pub redacted: bool,
}

/// Parse one record; the error says what is wrong without quoting values.
pub fn parse_line(line: &str) -> Result<Parsed, String> {
    serde_json::from_str(line)
        .map_err(|e| format!("not a JSON record: {}", crate::mask::json_error(&e)))
}

/// A traffic log being written by its own thread.
pub struct LogFile {
    /// Send batches of complete lines here.
    pub tx: mpsc::Sender<Vec<u8>>,
    thread: JoinHandle<io::Result<()>>,
}

impl LogFile {
    /// Create (truncate) `path`, readable by the owner only; `-` is standard output.
    pub fn create(path: &str) -> Result<LogFile> {
        let out: Box<dyn Write + Send> = if path == "-" {
            Box::new(io::stdout())
        } else {
            Box::new(
                OpenOptions::new()
                    .create(true)
                    .write(true)
                    .truncate(true)
                    .mode(0o600)
                    .open(path)
                    .with_context(|| format!("cannot create log {path}"))?,
            )
        };
        let (tx, rx) = mpsc::channel::<Vec<u8>>();
        let thread = std::thread::spawn(move || {
            let mut w = io::BufWriter::with_capacity(1 << 20, out);
            while let Ok(chunk) = rx.recv() {
                w.write_all(&chunk)?;
                // Write what has queued up, then flush while idle so `tail -f` follows.
                while let Ok(more) = rx.try_recv() {
                    w.write_all(&more)?;
                }
                w.flush()?;
            }
            w.flush()
        });
        Ok(LogFile { tx, thread })
    }

    /// Wait for the writer once every sender is gone; reports a write error.
    pub fn finish(thread: JoinHandle<io::Result<()>>) -> Result<()> {
        thread
            .join()
            .map_err(|_| anyhow::anyhow!("the log writer stopped"))?
            .context("cannot write the traffic log")
    }

    /// Split into the sender and the thread to wait for.
    pub fn split(self) -> (mpsc::Sender<Vec<u8>>, JoinHandle<io::Result<()>>) {
        (self.tx, self.thread)
    }
}

/// A decoded message for the log: as sent with `unmask`, else with card data zeroed.
pub fn log_hex_decoded(spec: &Spec, dec: &Decoded, bytes: &[u8], unmask: bool) -> LogHex {
    if unmask {
        return LogHex::clear(bytes);
    }
    match redact(spec, dec) {
        Some(r) => LogHex {
            hex: to_hex(&r),
            redacted: true,
        },
        None => LogHex::clear(bytes),
    }
}

/// Latencies in microseconds, log-linear buckets (64 per power of two: under 1.6% error), so
/// memory stays the same however many samples.
#[derive(Clone, Debug, Default)]
pub struct Latencies {
    buckets: Vec<u64>,
    count: u64,
    sum: u128,
    max: u64,
}

const SUB: u64 = 64;

fn bucket(us: u64) -> usize {
    if us < SUB {
        return us as usize;
    }
    let exp = 63 - us.leading_zeros() as u64; // ≥ 6
    let sub = (us >> (exp - 6)) - SUB; // 0..64
    (SUB + (exp - 6) * SUB + sub) as usize
}

fn bucket_high(i: usize) -> u64 {
    let i = i as u64;
    if i < SUB {
        return i;
    }
    let exp = (i - SUB) / SUB + 6;
    let sub = (i - SUB) % SUB;
    ((SUB + sub + 1) << (exp - 6)) - 1
}

impl Latencies {
    /// Add one sample.
    pub fn add(&mut self, us: u64) {
        let b = bucket(us);
        if self.buckets.len() <= b {
            self.buckets.resize(b + 1, 0);
        }
        self.buckets[b] += 1;
        self.count += 1;
        self.sum += u128::from(us);
        self.max = self.max.max(us);
    }

    /// Merge another histogram in.
    pub fn merge(&mut self, o: &Latencies) {
        if self.buckets.len() < o.buckets.len() {
            self.buckets.resize(o.buckets.len(), 0);
        }
        for (a, b) in self.buckets.iter_mut().zip(&o.buckets) {
            *a += b;
        }
        self.count += o.count;
        self.sum += o.sum;
        self.max = self.max.max(o.max);
    }

    /// Samples.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Mean in microseconds.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / self.count as f64)
    }

    /// Largest sample.
    pub fn max(&self) -> Option<u64> {
        (self.count > 0).then_some(self.max)
    }

    /// The upper edge of the bucket holding the nearest-rank `p` quantile (never above the
    /// maximum).
    pub fn percentile(&self, p: f64) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let rank = ((p * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0;
        for (i, &n) in self.buckets.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return Some(bucket_high(i).min(self.max));
            }
        }
        Some(self.max)
    }
}

/// How answers are paired with requests, in stats, verify, send and replay: the MTI's version
/// and class (`02` for 0200/0210), the trace number (field 11) and the terminal (field 41,
/// trailing spaces trimmed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PairKey<'a> {
    pub class: &'a str,
    pub trace: &'a str,
    pub terminal: &'a str,
}

impl<'a> PairKey<'a> {
    /// The key of a decoded message (empty parts where a field is absent).
    pub fn of(dec: &'a Decoded) -> Self {
        PairKey {
            class: dec.mti().get(..2).unwrap_or(""),
            trace: dec.get(11).unwrap_or(""),
            terminal: dec.get(41).unwrap_or("").trim_end(),
        }
    }

    /// The key with its own copies of the parts, to keep past the message.
    pub fn owned(&self) -> OwnedPairKey {
        OwnedPairKey {
            class: self.class.to_string(),
            trace: self.trace.to_string(),
            terminal: self.terminal.to_string(),
        }
    }
}

/// A connection, the same for both its directions: a captured message's (sender, receiver)
/// in a fixed order.
pub type Connection = (std::net::SocketAddr, std::net::SocketAddr);

/// What pairs a response with its request in stats (batch and live): the [`PairKey`] and, for
/// a message from a capture, its connection.
pub type TxKey = (OwnedPairKey, Option<Connection>);

/// The [`TxKey`] of a decoded message that came over `flow` (sender, receiver), if from a capture.
pub fn tx_key(dec: &Decoded, flow: Option<Connection>) -> TxKey {
    let conn = flow.map(|(a, b)| if a <= b { (a, b) } else { (b, a) });
    (PairKey::of(dec).owned(), conn)
}

/// Whether a record is a response: by the direction its log or capture gives, else by its
/// MTI's function digit (x1x0, x3x0 … answer).
pub fn is_response(dir: Option<&str>, mti: &str) -> bool {
    match dir {
        Some("resp") => true,
        Some("req") => false,
        _ => mti
            .as_bytes()
            .get(2)
            .is_some_and(|f| matches!(f, b'1' | b'3' | b'5' | b'7')),
    }
}

/// Request to response in microseconds: the record's own `latency_ms` when it has one, else
/// the difference of the two timestamps (µs), when both are known.
pub fn latency_us(logged_ms: Option<f64>, ts: Option<u64>, req_ts: Option<u64>) -> Option<u64> {
    logged_ms
        .map(|l| (l.max(0.0) * 1000.0).round() as u64)
        .or_else(|| Some(ts?.saturating_sub(req_ts?)))
}

/// [`PairKey`] holding its parts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OwnedPairKey {
    pub class: String,
    pub trace: String,
    pub terminal: String,
}

/// Latencies in whole milliseconds: exact buckets up to 10 minutes, so percentiles are exact at
/// millisecond resolution and memory stays fixed whatever the log's length.
pub struct MsHistogram {
    buckets: Vec<u64>,
    count: u64,
    max: u64,
    sum: u64,
}

const MAX_MS: usize = 600_000;

impl Default for MsHistogram {
    fn default() -> Self {
        MsHistogram::new()
    }
}

impl MsHistogram {
    /// An empty histogram (its buckets are made at the first sample).
    pub fn new() -> Self {
        MsHistogram {
            buckets: Vec::new(),
            count: 0,
            max: 0,
            sum: 0,
        }
    }

    /// Add one latency in milliseconds (above 10 minutes counts as 10 minutes).
    pub fn add(&mut self, ms: u64) {
        if self.buckets.is_empty() {
            self.buckets = vec![0; MAX_MS + 1];
        }
        self.buckets[(ms as usize).min(MAX_MS)] += 1;
        self.count += 1;
        self.max = self.max.max(ms);
        self.sum += ms;
    }

    /// The smallest latency with at least `p` of the samples at or below it (nearest rank).
    pub fn percentile(&self, p: f64) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let rank = ((p * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0;
        for (ms, n) in self.buckets.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return Some(ms as u64);
            }
        }
        Some(self.max)
    }

    /// Samples added.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The largest sample.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The mean of the samples (0 without any).
    pub fn mean(&self) -> f64 {
        self.sum as f64 / self.count.max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_millisecond_percentiles() {
        let mut h = MsHistogram::new();
        for ms in 1..=100 {
            h.add(ms);
        }
        assert_eq!(
            (
                h.percentile(0.5),
                h.percentile(0.9),
                h.percentile(0.99),
                h.max()
            ),
            (Some(50), Some(90), Some(99), 100)
        );
        assert_eq!(h.mean(), 50.5);
    }

    #[test]
    fn one_pairing_key_trims_the_terminal() {
        let a = Decoded::from_values("0200", [(11u16, "000123"), (41, "T01     ")]);
        let b = Decoded::from_values("0210", [(11u16, "000123"), (41, "T01")]);
        let c = Decoded::from_values("0810", [(11u16, "000123"), (41, "T01")]);
        assert_eq!(PairKey::of(&a), PairKey::of(&b));
        assert_ne!(PairKey::of(&b), PairKey::of(&c));
        assert_eq!(PairKey::of(&a).owned().terminal, "T01");
    }

    #[test]
    fn records_are_valid_json_whatever_the_values() {
        let hex = LogHex {
            hex: "0200".into(),
            redacted: true,
        };
        let r = Record {
            ts: "2026-12-03T10:00:00.000Z",
            dir: Some("resp"),
            spec: "my\"spec\\ \u{1}",
            conn: Some(3),
            peer: Some("127.0.0.1:4000"),
            hex: Some(&hex),
            latency_ms: Some(Latency::Measured(1.23456)),
            code: Some("00"),
            rule: Some("a \"quoted\" rule"),
            action: Some("respond"),
            ..Record::default()
        };
        let v: serde_json::Value = serde_json::from_str(&r.line()).unwrap();
        assert_eq!(v["spec"], "my\"spec\\ \u{1}");
        assert_eq!(v["latency_ms"], 1.235);
        assert_eq!(v["redacted"], true);
        let p = parse_line(&r.line()).unwrap();
        assert_eq!(p.hex.as_deref(), Some("0200"));
        assert!(p.redacted);
        let g = Record {
            ts: "t",
            dir: Some("resp"),
            spec: "cup",
            hex: Some(&LogHex::clear(&[0x02, 0x10])),
            latency_ms: Some(Latency::Ms(126)),
            ..Record::default()
        };
        assert_eq!(
            g.line(),
            r#"{"ts":"t","dir":"resp","spec":"cup","hex":"0210","latency_ms":126}"#
        );
    }
}

#[cfg(test)]
mod histogram_tests {
    use super::*;

    #[test]
    fn buckets_are_monotonic_and_tight() {
        let mut last = 0;
        for us in [
            0u64, 1, 63, 64, 65, 127, 128, 1000, 12_345, 999_999, 60_000_000,
        ] {
            let b = bucket(us);
            assert!(b >= last);
            last = b;
            assert!(bucket_high(b) >= us, "{us}");
            assert!(
                (bucket_high(b) - us) as f64 <= us as f64 * 0.016 + 1.0,
                "{us}"
            );
        }
        let mut h = Latencies::default();
        for us in 1..=1000 {
            h.add(us);
        }
        let p50 = h.percentile(0.5).unwrap();
        assert!((500..=508).contains(&p50), "{p50}");
        assert_eq!(h.percentile(1.0), Some(1000));
        assert_eq!(h.count(), 1000);
    }
}
