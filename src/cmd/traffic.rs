//! What `serve` and `send` share: the traffic log (a writer thread fed in batches, created
//! 0600), log records in SPEC §7's form with card data zeroed unless --unmask, and a latency
//! histogram with microsecond resolution.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::sync::mpsc;
use std::thread::JoinHandle;

use anyhow::{Context, Result};

use posresp::codec::encoding::to_hex;
use posresp::codec::{Decoded, Spec};
use posresp::host::redact::redact;

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

pub use posresp::traffic::{Latency, LogHex, Record};

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

#[cfg(test)]
mod tests {
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
