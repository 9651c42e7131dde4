//! The `posresp` binary: parse the command line, run one command, map the outcome to an
//! exit status (0 success, 1 found something, 2 error). A closed pipe ends quietly.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

mod cli;
mod cmd;
mod render;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
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
