//! One module per subcommand; dispatch is this one `match`.

pub mod decode;

use anyhow::Result;

use crate::cli::{Cli, Command};

/// Run the command; returns the exit status.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Decode(args) => decode::run(&cli.global, &args),
    }
}
