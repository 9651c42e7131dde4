//! One module per subcommand; dispatch is this one `match`.

pub mod decode;
pub mod diff;
pub mod encode;
pub mod explain;
pub mod generate;
pub mod manual;
pub mod replay;
pub mod send;
pub mod serve;
pub mod spec;
pub mod stats;
pub mod traffic;
pub mod verify;

use anyhow::{Context, Result};

use crate::cli::{Cli, Command};

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

/// Run the command; returns the exit status.
pub fn run(cli: Cli) -> Result<u8> {
    if let Some(path) = &cli.global.codes {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read code table {path}"))?;
        posresp::glossary::set_private_codes(&text).map_err(|e| {
            anyhow::anyhow!("code table {path}: {e}; see docs/explain.md for the columns")
        })?;
    }
    match cli.command {
        Command::Decode(args) => decode::run(&cli.global, &args),
        Command::Encode(args) => encode::run(&cli.global, &args),
        Command::Explain(args) => explain::run(&cli.global, &args),
        Command::Verify(args) => verify::run(&cli.global, &args),
        Command::Generate(args) => generate::run(&cli.global, &args),
        Command::Serve(args) => serve::run(&cli.global, &args),
        Command::Send(args) => send::run(&cli.global, &args),
        Command::Spec(args) => spec::run(&cli.global, &args),
        Command::Stats(args) => stats::run(&cli.global, &args),
        Command::Diff(args) => diff::run(&cli.global, &args),
        Command::Completions { shell } => manual::completions(shell),
        Command::Man => manual::man(),
    }
}
