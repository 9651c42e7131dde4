//! Ctrl-C (SIGINT) and SIGTERM as a flag that long runs check, so that they stop between
//! records and report what they did instead of dying mid-way.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A flag set when SIGINT or SIGTERM arrives (from then on, the signals no longer end the
/// process by themselves: the run checks the flag).
pub fn on_signal() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                let _ = ready_tx.send(());
                return;
            };
            rt.block_on(async {
                use tokio::signal::unix::{SignalKind, signal};
                let pair = (
                    signal(SignalKind::interrupt()),
                    signal(SignalKind::terminate()),
                );
                let _ = ready_tx.send(());
                if let (Ok(mut a), Ok(mut b)) = pair {
                    tokio::select! {
                        _ = a.recv() => {}
                        _ = b.recv() => {}
                    }
                    f.store(true, Ordering::SeqCst);
                }
            });
        });
    // The handlers are in place before the run starts.
    if spawned.is_ok() {
        let _ = ready_rx.recv();
    }
    flag
}

/// Whether the flag is set.
pub fn stopped(flag: &AtomicBool) -> bool {
    flag.load(Ordering::Relaxed)
}
