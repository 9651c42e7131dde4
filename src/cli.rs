//! The command-line definition: global options and one subcommand per job.

use clap::{Parser, Subcommand};

use crate::global::GlobalArgs;

use crate::cmd::decode::DecodeArgs;
use crate::cmd::diff::DiffArgs;
use crate::cmd::emv::EmvArgs;
use crate::cmd::encode::EncodeArgs;
use crate::cmd::explain::ExplainArgs;
use crate::cmd::generate::GenerateArgs;
use crate::cmd::key::KeyCmdArgs;
use crate::cmd::pin::PinArgs;
use crate::cmd::proxy::ProxyArgs;
use crate::cmd::send::SendArgs;
use crate::cmd::serve::ServeArgs;
use crate::cmd::spec::SpecArgs;
use crate::cmd::stats::StatsArgs;
use crate::cmd::test::TestArgs;
use crate::cmd::verify::VerifyArgs;

/// Inspect and simulate the responses card-payment hosts send to POS terminals.
///
/// Decodes ISO 8583 (1987 ASCII, binary bitmap, BCD; 1993) and China UnionPay POS messages
/// from hex, binary files, hex dumps and logs into annotated fields, with card data masked,
/// and explains response codes in plain words.
#[derive(Debug, Parser)]
#[command(
    name = "posresp",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(after_help = "Exit status: 0 success, 1 a check failed or differences found, 2 error.")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decode messages (hex, binary, dumps, logs) into annotated fields.
    Decode(DecodeArgs),
    /// Build messages from JSON (what decode prints, or a field map): the inverse of decode.
    Encode(EncodeArgs),
    /// Explain response codes and other coded values in plain words, or summarise messages.
    Explain(ExplainArgs),
    /// Generate seeded synthetic request/response traffic as a log.
    Generate(GenerateArgs),
    /// Check values (Luhn, LRC, MAC) and message structure; exit 1 when a check fails.
    Verify(VerifyArgs),
    /// Compare two logs transaction by transaction; exit 1 when they differ.
    Diff(DiffArgs),
    /// Summarise traffic logs: counts, response codes, approval rate, latency, timeouts.
    Stats(StatsArgs),
    /// Run a simulated acquirer host on TCP that answers requests by rules.
    Serve(ServeArgs),
    /// Send messages to a host (or replay a log) and decode the answers.
    Send(SendArgs),
    /// Sit between terminals and a host: forward, decode and time both directions, inject faults.
    Proxy(ProxyArgs),
    /// Run test suites against a host: send each case's steps, check every answer, report.
    Test(TestArgs),
    /// PIN blocks (ISO 9564-1 formats 0-4): encode, decode, translate under PIN keys.
    Pin(PinArgs),
    /// Keys: check values (DES, AES), DUKPT keys from a BDK or IPEK and a KSN.
    Key(KeyCmdArgs),
    /// EMV cryptograms: check a card's ARQC, compute the issuer's ARPC.
    Emv(EmvArgs),
    /// List, show or export message specs.
    Spec(SpecArgs),
    /// Print shell completions (bash, zsh, fish, powershell, elvish) to standard output.
    #[command(after_help = "Examples:
  posresp completions bash > ~/.local/share/bash-completion/completions/posresp
  posresp completions zsh > ~/.zfunc/_posresp
  posresp completions fish > ~/.config/fish/completions/posresp.fish")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output.
    #[command(after_help = "Examples:
  posresp man | man -l -
  posresp man > /usr/local/share/man/man1/posresp.1")]
    Man,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap's own consistency checks (conflicting ids, bad defaults, help text).
    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
