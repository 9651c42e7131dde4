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

impl OutputFormat {
    /// The name as given on the command line.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Table => "table",
            OutputFormat::Json => "json",
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Csv => "csv",
        }
    }
}

/// `--output` is honoured or refused, never ignored: a command that writes only some forms
/// says, in one line, which it has and what to use instead.
pub fn output_one_of(
    global: &GlobalArgs,
    command: &str,
    forms: &[OutputFormat],
    instead: &str,
) -> anyhow::Result<()> {
    if forms.contains(&global.output) {
        return Ok(());
    }
    let names: Vec<&str> = forms.iter().map(|f| f.name()).collect();
    anyhow::bail!(
        "{command} does not take --output {} (only {}){}",
        global.output.name(),
        names.join(" or "),
        if instead.is_empty() {
            String::new()
        } else {
            format!(": {instead}")
        }
    )
}
