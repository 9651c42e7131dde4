//! The one ordered parallel runner.

/// Split `items` into one run per thread, call `work(first_index, run)` on each in its own
/// scoped thread, and return the results in input order; a thread that panicked gives
/// `failed()` in its place.
pub fn par_chunks<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(usize, &[T]) -> R + Sync,
    failed: impl Fn() -> R,
) -> Vec<R> {
    let per = items.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let work = &work;
        let handles: Vec<_> = items
            .chunks(per)
            .enumerate()
            .map(|(k, part)| s.spawn(move || work(k * per, part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| failed()))
            .collect()
    })
}
