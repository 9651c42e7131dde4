//! Options every command takes, and the output and colour choices: what commands, the
//! output writers and the command line all need, so it sits below them all.

use clap::{Args, ValueEnum};

/// Options valid on every command.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary,
    /// iso93ascii, cup), a spec file (JSON), or auto to pick per message.
    #[arg(long, global = true, default_value = "auto", value_name = "NAME|FILE")]
    pub spec: String,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    /// When to use colour (honours NO_COLOR).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Show card data (PAN, tracks, PIN blocks, keys) instead of masking it.
    #[arg(long, global = true)]
    pub unmask: bool,
    /// A private response-code table (CSV with the built-in tables' columns, optional
    /// `dialect` column) that extends or overrides the built-in codes.
    #[arg(long, global = true, value_name = "FILE.csv")]
    pub codes: Option<String>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Human-readable tables.
    Table,
    /// One JSON document (an array for several messages).
    Json,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values, one row per field.
    Csv,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}
