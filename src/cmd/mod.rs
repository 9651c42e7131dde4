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
