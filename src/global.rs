//! Options every command takes, and the output and colour choices: what commands, the
//! output writers and the command line all need, so it sits below them all.

use clap::{Args, ValueEnum};

/// Options valid on every command.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary,
    /// iso93ascii, cup), a spec file (JSON), or auto to pick per message.
    #[arg(long, global = true, default_value = "auto", value_name = "NAME|FILE",
          value_parser = Suggest(spec_names), hide_possible_values = true)]
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

/// A value that may be anything (a spec name or a file, a framing name with its parts) but
/// has common choices, which shell completion offers.
#[derive(Clone, Copy)]
pub struct Suggest(pub fn() -> Vec<&'static str>);

impl clap::builder::TypedValueParser for Suggest {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            (self.0)()
                .into_iter()
                .map(clap::builder::PossibleValue::new),
        ))
    }
}

/// `--spec`: auto and the built-in names (or a file).
pub fn spec_names() -> Vec<&'static str> {
    std::iter::once("auto")
        .chain(posresp::codec::spec::BUILTIN.iter().map(|(n, _)| *n))
        .collect()
}

/// `--framing` on the wire (send, serve): the names streams can be cut by.
pub fn wire_framings() -> Vec<&'static str> {
    vec![
        "spec",
        "len2",
        "len2bcd",
        "len4ascii",
        "len2+tpdu",
        "cup",
        "stx",
    ]
}

/// `--framing` for decode: auto, the spec's own, and every layout it knows.
pub fn decode_framings() -> Vec<&'static str> {
    vec![
        "auto",
        "spec",
        "none",
        "len2",
        "len2bcd",
        "len4ascii",
        "tpdu",
        "len2+tpdu",
        "tpdu+header6",
        "cup",
        "stx",
    ]
}

/// `--to` (or another option `opt`) names a host and a port: say which part is missing before trying to connect.
pub fn check_host_port(opt: &str, to: &str) -> anyhow::Result<()> {
    let port = match to.rsplit_once(':') {
        Some(("", _)) => anyhow::bail!("{opt} {to}: no host; give HOST:PORT (e.g. 127.0.0.1:8583)"),
        Some((host, port)) if !host.ends_with(':') => port,
        _ => {
            anyhow::bail!("{opt} {to}: no port; give HOST:PORT (e.g. 127.0.0.1:8583 or [::1]:8583)")
        }
    };
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok(()),
        _ => anyhow::bail!("{opt} {to}: {port:?} is not a port number (1-65535); give HOST:PORT"),
    }
}

/// MAC algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MacArg {
    /// ANSI X9.9 = ISO 9797-1 algorithm 1, padding method 1 (DES, or 3DES with a longer key).
    X99,
    /// ANSI X9.19 retail MAC = ISO 9797-1 algorithm 3, padding method 1 (double-length key).
    X919,
    /// ISO 9797-1 algorithm 1 with padding method 2.
    #[value(name = "iso9797-1")]
    Iso9797,
    /// X9.19 with padding method 2.
    #[value(name = "x919-pad2")]
    X919Pad2,
    /// China UnionPay POS "ECB" MAC (8 ASCII hex characters in field 64).
    CupEcb,
    /// AES-CMAC (ISO 9797-1 algorithm 5, NIST SP 800-38B), leftmost 8 bytes; AES-128/192 key.
    AesCmac,
    /// Triple-DES CMAC (ISO 9797-1 algorithm 5), double- or triple-length key.
    TdesCmac,
}

impl From<MacArg> for posresp::check::MacAlgorithm {
    fn from(a: MacArg) -> Self {
        use posresp::check::MacAlgorithm;
        match a {
            MacArg::X99 => MacAlgorithm::X99,
            MacArg::X919 => MacAlgorithm::X919,
            MacArg::Iso9797 => MacAlgorithm::Iso9797Alg1Pad2,
            MacArg::X919Pad2 => MacAlgorithm::X919Pad2,
            MacArg::CupEcb => MacAlgorithm::CupEcb,
            MacArg::AesCmac => MacAlgorithm::AesCmac,
            MacArg::TdesCmac => MacAlgorithm::TdesCmac,
        }
    }
}

/// A key (hex) from a file or an environment variable, never from the command line; errors
/// name where it was looked for, never its contents. `what` names it ("MAC key", "TMK").
pub fn read_key(
    file: Option<&str>,
    env: Option<&str>,
    what: &str,
) -> anyhow::Result<Option<posresp::check::Key>> {
    use anyhow::{Context as _, anyhow};
    let (text, source) = match (file, env) {
        (Some(p), _) => (
            std::fs::read_to_string(p).with_context(|| {
                format!("cannot read {what} file {}", posresp::mask::key_source(p))
            })?,
            posresp::mask::key_source(p).into_owned(),
        ),
        (None, Some(v)) => (
            std::env::var(v).map_err(|_| {
                anyhow!(
                    "environment variable {} is not set (it should hold the {what} as hex)",
                    posresp::mask::key_source(v)
                )
            })?,
            format!("${}", posresp::mask::key_source(v)),
        ),
        (None, None) => return Ok(None),
    };
    posresp::check::Key::from_hex(text.trim())
        .map(Some)
        .map_err(|e| anyhow!("{what} in {source}: {e}"))
}

/// Where a key comes from: a file, an environment variable or the terminal; never the
/// command line.
#[derive(Debug, Args, Default)]
pub struct KeyArgs {
    /// File holding the key as hex (16, 32 or 48 hex digits).
    #[arg(long, value_name = "PATH", conflicts_with = "key_env")]
    pub key_file: Option<String>,
    /// Environment variable holding the key as hex.
    #[arg(long, value_name = "VAR", conflicts_with = "key_prompt")]
    pub key_env: Option<String>,
    /// Ask for the key on the terminal (not echoed).
    #[arg(long, conflicts_with = "key_file")]
    pub key_prompt: bool,
}

impl KeyArgs {
    /// The key's hex text, when one was named; `what` names it in prompts and errors.
    pub fn text(&self, what: &str) -> anyhow::Result<Option<String>> {
        read_secret(
            self.key_file.as_deref(),
            self.key_env.as_deref(),
            self.key_prompt,
            what,
        )
    }

    /// The key as a DES/3DES key, when one was named.
    pub fn load(&self, what: &str) -> anyhow::Result<Option<posresp::check::Key>> {
        match self.text(what)? {
            None => Ok(None),
            Some(t) => posresp::check::Key::from_hex(t.trim())
                .map(Some)
                .map_err(|e| anyhow::anyhow!("{what}: {e}")),
        }
    }
}

/// A secret (key or PIN) as text from a file, an environment variable or the terminal (not
/// echoed); errors name where it was looked for, never its contents.
pub fn read_secret(
    file: Option<&str>,
    env: Option<&str>,
    prompt: bool,
    what: &str,
) -> anyhow::Result<Option<String>> {
    use anyhow::{Context as _, anyhow};
    Ok(Some(match (file, env) {
        (Some(p), _) => std::fs::read_to_string(p)
            .with_context(|| format!("cannot read {what} file {}", posresp::mask::key_source(p)))?,
        (None, Some(v)) => std::env::var(v).map_err(|_| {
            anyhow!(
                "environment variable {} is not set (it should hold the {what})",
                posresp::mask::key_source(v)
            )
        })?,
        (None, None) if prompt => rpassword::prompt_password(format!("{what} (not shown): "))
            .map_err(|e| {
                anyhow!("cannot read the {what} from the terminal ({e}); use a file or a variable")
            })?,
        (None, None) => return Ok(None),
    }))
}

/// The framing on the wire for `spec` and a `--framing` value (`spec`: the spec's own); it
/// must let messages be told apart on a stream.
pub fn wire_framing(
    spec: &posresp::codec::Spec,
    name: &str,
) -> anyhow::Result<posresp::codec::FramingSpec> {
    let f = if name == "spec" {
        spec.framing.clone()
    } else {
        posresp::codec::FramingSpec::parse_name(name, &["spec"])
            .map_err(|e| anyhow::anyhow!("{e}"))?
    };
    posresp::host::stream::streamable(&f).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(f)
}

/// The tokio runtime of the network commands: `threads` workers (default one per core).
pub fn runtime(threads: Option<usize>) -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context as _;
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .max(1);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .context("cannot start the runtime")
}

/// A cryptogram version named on the command line (`--cvn`).
pub fn parse_cvn(s: &str) -> Result<posresp::check::emv::Cvn, String> {
    use posresp::check::emv::Cvn;
    Cvn::parse(&s.to_ascii_lowercase()).ok_or_else(|| {
        let names: Vec<&str> = Cvn::ALL.iter().map(|c| c.name()).collect();
        format!(
            "unknown cryptogram version '{s}' (known: {})",
            names.join(", ")
        )
    })
}
