//! The `posresp` binary: parse the command line, run one command, map the outcome to an
//! exit status (0 success, 1 found something, 2 error). A closed pipe ends quietly.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

mod cli;
mod cmd;
mod colour;
mod global;
mod interrupt;
mod live;
mod parallel;
mod progress;
mod render;
mod tlsargs;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(io::stderr(), "posresp: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// A closed pipe (`posresp … | head`) ends quietly: the reader has what it wanted. The io
/// error may come wrapped by serde_json or csv.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
            || c.downcast_ref::<csv::Error>().is_some_and(|x| {
                matches!(x.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
            })
    })
}

/// Run the command; returns the exit status.
fn run(cli: cli::Cli) -> anyhow::Result<u8> {
    use anyhow::Context as _;
    use cmd::{
        decode, diff, emv, encode, explain, generate, key, manual, pin, proxy, send, serve, spec,
        stats, test, verify,
    };
    if let Some(path) = &cli.global.codes {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read code table {path}"))?;
        posresp::glossary::set_private_codes(&text).map_err(|e| {
            anyhow::anyhow!("code table {path}: {e}; see docs/explain.md for the columns")
        })?;
    }
    match cli.command {
        cli::Command::Decode(args) => decode::run(&cli.global, &args),
        cli::Command::Encode(args) => encode::run(&cli.global, &args),
        cli::Command::Explain(args) => explain::run(&cli.global, &args),
        cli::Command::Verify(args) => verify::run(&cli.global, &args),
        cli::Command::Generate(args) => generate::run(&cli.global, &args),
        cli::Command::Serve(args) => serve::run(&cli.global, &args),
        cli::Command::Send(args) => send::run(&cli.global, &args),
        cli::Command::Proxy(args) => proxy::run(&cli.global, &args),
        cli::Command::Test(args) => test::run(&cli.global, &args),
        cli::Command::Pin(args) => pin::run(&cli.global, &args),
        cli::Command::Key(args) => key::run(&cli.global, &args),
        cli::Command::Emv(args) => emv::run(&cli.global, &args),
        cli::Command::Spec(args) => spec::run(&cli.global, &args),
        cli::Command::Stats(args) => stats::run(&cli.global, &args),
        cli::Command::Diff(args) => diff::run(&cli.global, &args),
        cli::Command::Completions { shell } => global::output_one_of(
            &cli.global,
            "completions",
            &[global::OutputFormat::Table],
            "it writes a shell script",
        )
        .and_then(|_| manual::completions(shell)),
        cli::Command::Man => global::output_one_of(
            &cli.global,
            "man",
            &[global::OutputFormat::Table],
            "it writes a roff page",
        )
        .and_then(|_| manual::man()),
    }
}
