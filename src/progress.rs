//! A progress bar for long runs over big files: on a terminal only (none in a pipe), one line
//! that fits 80 columns, fed from the inputs' byte counters by a thread of its own so that
//! every way of reading (line batches, captures, several inputs at once) is covered alike.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use posresp::input::ByteCount;

/// Files smaller than this read too fast for a bar to help.
const MIN_BYTES: u64 = 16 << 20;

/// A bar being shown; cleared when dropped.
pub struct Progress {
    bar: indicatif::ProgressBar,
    done: Arc<AtomicBool>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

/// The size of `arg` when it is a file.
pub fn file_size(arg: &str) -> u64 {
    std::fs::metadata(arg).map_or(0, |m| if m.is_file() { m.len() } else { 0 })
}

impl Progress {
    /// A bar over `total` bytes, read as the `counters` say; `None` in a pipe or for small
    /// inputs.
    pub fn start(total: u64, counters: Vec<ByteCount>) -> Option<Progress> {
        if total < MIN_BYTES || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} {eta} left",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let done = Arc::new(AtomicBool::new(false));
        let (b, d) = (bar.clone(), done.clone());
        let ticker = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                while !d.load(Ordering::Relaxed) {
                    let n: u64 = counters.iter().map(|c| c.load(Ordering::Relaxed)).sum();
                    b.set_position(n);
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
            .ok();
        Some(Progress { bar, done, ticker })
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }
}
