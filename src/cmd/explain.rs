//! `posresp explain`: response codes and coded field values in plain words, and one-paragraph
//! summaries of whole messages for support tickets.

use std::borrow::Cow;
use std::io::{self, Write};

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use posresp::codec::spec::builtin;
use posresp::codec::subfield::expand;
use posresp::codec::{Decoded, Dialect, Spec};
use posresp::glossary::{self, ResponseCode, coded};
use posresp::mask::mask;

use crate::global::{GlobalArgs, OutputFormat};
use posresp::specs::{SpecChoice, framing_choice, load_spec};

/// Response-code dictionaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scheme {
    /// ISO 8583:1987 two-character response codes.
    Iso87,
    /// ISO 8583:1993 three-digit action codes.
    Iso93,
    /// China UnionPay POS response codes.
    Cup,
}

impl From<Scheme> for Dialect {
    fn from(s: Scheme) -> Dialect {
        match s {
            Scheme::Iso87 => Dialect::Iso87,
            Scheme::Iso93 => Dialect::Iso93,
            Scheme::Cup => Dialect::Cup,
        }
    }
}

/// Language of meanings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Chinese, where the table has it (CUP); English otherwise.
    Zh,
}

/// Explain response codes and coded field values in plain words.
///
/// CODE is a response (action) code of the dialect chosen by --scheme, or by --spec; FIELD=VALUE
/// explains another coded field (3, 22, 25, 49, 60.1 …). With --message the arguments are
/// INPUTs, and each message becomes one paragraph a support engineer can paste into a ticket.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  posresp explain 51
  posresp explain --scheme cup A0 --lang zh
  posresp explain 39=05 22=051 3=200000 49=156
  posresp explain --list --scheme iso93 --output csv
  posresp explain --message testdata/cup/cup-0210-worked.hex traffic.log")]
pub struct ExplainArgs {
    /// Response codes, or FIELD=VALUE pairs.
    #[arg(value_name = "CODE|FIELD=VALUE")]
    pub items: Vec<String>,
    /// Code dictionary (default: the dialect of --spec, else iso87).
    #[arg(long, value_enum)]
    pub scheme: Option<Scheme>,
    /// Explain VALUE of field FIELD (same as FIELD=VALUE).
    #[arg(long, num_args = 2, value_names = ["FIELD", "VALUE"])]
    pub field: Vec<String>,
    /// Language of meanings.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Print the whole code table of the dialect.
    #[arg(long)]
    pub list: bool,
    /// Summarise messages: the arguments are INPUTs (files, '-' or hex), each message one paragraph.
    #[arg(long)]
    pub message: bool,
}

/// One explained value: a response code or a field value.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Explained {
    /// A field 39 code.
    ResponseCode {
        /// Dictionary.
        dialect: &'static str,
        /// Code.
        code: String,
        /// Meaning (in the chosen language).
        meaning: String,
        /// English meaning.
        meaning_en: String,
        /// Chinese meaning, where known.
        #[serde(skip_serializing_if = "Option::is_none")]
        meaning_zh: Option<String>,
        /// approved, refer, decline, pickup, error, retry.
        category: String,
        /// Whether the same request may succeed later.
        retryable: bool,
        /// What to do.
        action: String,
        /// CUP handling class A-E.
        #[serde(skip_serializing_if = "Option::is_none")]
        cup_class: Option<String>,
        /// What a CUP terminal displays.
        #[serde(skip_serializing_if = "Option::is_none")]
        display_zh: Option<String>,
        /// From a private table (--codes).
        private: bool,
    },
    /// Another coded field.
    Field {
        /// Dictionary.
        dialect: &'static str,
        /// Field number or path.
        field: String,
        /// Field name.
        name: String,
        /// Value asked about.
        value: String,
        /// Meaning of the whole value, where known.
        #[serde(skip_serializing_if = "Option::is_none")]
        meaning: Option<String>,
        /// Its parts, where the field has a structure.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        parts: Vec<Part>,
    },
    /// A message summary.
    Message {
        /// Position among the messages read.
        index: usize,
        /// The paragraph.
        summary: String,
    },
}

/// One part of a structured field value.
#[derive(Debug, Serialize)]
pub struct Part {
    /// Path (`22.1`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
    /// Meaning, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<String>,
}

fn dialect_label(d: Dialect) -> &'static str {
    match d {
        Dialect::Iso87 => "ISO 8583:1987",
        Dialect::Iso93 => "ISO 8583:1993",
        Dialect::Cup => "China UnionPay",
    }
}

fn reference_spec(d: Dialect) -> Spec {
    let name = match d {
        Dialect::Iso87 => "iso87ascii",
        Dialect::Iso93 => "iso93ascii",
        Dialect::Cup => "cup",
    };
    // Built-in specs are validated by the test suite; their absence is a build defect.
    builtin(name)
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("built-in spec {name} missing"))
}

fn code_entry(d: Dialect, r: &ResponseCode, lang: Lang) -> Explained {
    let meaning = match (lang, &r.meaning_zh) {
        (Lang::Zh, Some(zh)) => zh.clone(),
        _ => r.meaning.clone(),
    };
    Explained::ResponseCode {
        dialect: d.name(),
        code: r.code.clone(),
        meaning,
        meaning_en: r.meaning.clone(),
        meaning_zh: r.meaning_zh.clone(),
        category: r.category.clone(),
        retryable: r.retryable,
        action: r.action.clone(),
        cup_class: r.cup_class.clone(),
        display_zh: r.display_zh.clone(),
        private: glossary::is_private(d, &r.code),
    }
}

/// Why a code is unknown, and where it is defined instead.
fn unknown(d: Dialect, code: &str) -> String {
    let others: Vec<String> = [Dialect::Iso87, Dialect::Iso93, Dialect::Cup]
        .into_iter()
        .filter(|o| *o != d)
        .filter_map(|o| {
            glossary::response_code(o, code)
                .map(|r| format!("as a {} code it means \"{}\"", dialect_label(o), r.meaning))
        })
        .collect();
    let mut msg = format!("{code:?} is not an {} response code", dialect_label(d));
    if others.is_empty() {
        let rest: Vec<&str> = [Dialect::Iso87, Dialect::Iso93, Dialect::Cup]
            .into_iter()
            .filter(|o| *o != d)
            .map(dialect_label)
            .collect();
        msg.push_str(&format!(
            ", nor an {} one; if your acquirer defines it, add it with --codes FILE.csv",
            rest.join(" or ")
        ));
    } else {
        msg.push_str(&format!(
            "; {}: use --scheme to choose that table",
            others.join("; ")
        ));
    }
    msg
}

fn explain_field(
    d: Dialect,
    spec: &Spec,
    field: &str,
    value: &str,
    lang: Lang,
) -> Result<Explained, String> {
    let id: usize = match field {
        "mti" | "MTI" | "0" => {
            let meaning = glossary::mti_meaning(value)
                .ok_or_else(|| format!("MTI {value:?} is not four digits of a known class"))?;
            let parts = glossary::mti_parts(value)
                .into_iter()
                .flatten()
                .map(|(name, digit, m)| Part {
                    id: format!("MTI.{name}"),
                    name: name.into(),
                    value: digit.to_string(),
                    meaning: Some(m.into()),
                })
                .collect();
            return Ok(Explained::Field {
                dialect: d.name(),
                field: "MTI".into(),
                name: "Message type indicator".into(),
                value: value.into(),
                meaning: Some(meaning.into()),
                parts,
            });
        }
        f => f
            .parse()
            .map_err(|_| format!("{f:?} is not a field number"))?,
    };
    if id == 39 {
        let r = glossary::response_code(d, value).ok_or_else(|| unknown(d, value))?;
        return Ok(code_entry(d, r, lang));
    }
    let def = spec
        .field(id)
        .ok_or_else(|| format!("field {id} is not defined in spec {}", spec.name))?;
    let mut meaning = posresp::annotate::field_meaning(spec, def, value, None).map(Cow::into_owned);
    let mut parts = Vec::new();
    if def.subfields.is_some() {
        // The value's characters are what positional parts split; TLV needs the bytes.
        let bytes = posresp::codec::encoding::from_hex(value).unwrap_or_default();
        let (subs, err) = expand(def, value, &bytes, 0);
        for s in subs {
            let name = match &s.tag {
                Some(t) => {
                    glossary::emv::tag(t).map_or_else(|| format!("Tag {t}"), |t| t.name.clone())
                }
                None => s.name.unwrap_or_default().to_string(),
            };
            let part_meaning = match &s.tag {
                Some(t) => glossary::emv::explain(
                    t,
                    &posresp::codec::encoding::from_hex(&s.value).unwrap_or_default(),
                ),
                None => s
                    .meaning
                    .map(str::to_string)
                    .or_else(|| coded::field_meaning(d, &s.path, &s.value)),
            };
            parts.push(Part {
                id: s.path.into_owned(),
                name,
                value: s.value.into_owned(),
                meaning: part_meaning,
            });
        }
        if let Some(e) = err {
            meaning = Some(e);
        }
    }
    if meaning.is_none() && parts.iter().all(|p| p.meaning.is_none()) {
        return Err(format!(
            "no meaning known for value {value:?} of field {id} ({}) in {}",
            def.name,
            dialect_label(d)
        ));
    }
    Ok(Explained::Field {
        dialect: d.name(),
        field: def.id_str.clone(),
        name: def.name.clone(),
        value: value.into(),
        meaning,
        parts,
    })
}

fn dialect_of(global: &GlobalArgs, args: &ExplainArgs) -> Result<Dialect> {
    if let Some(s) = args.scheme {
        return Ok(s.into());
    }
    Ok(match load_spec(&global.spec)? {
        SpecChoice::One(spec) => spec.dialect,
        SpecChoice::Auto(_) => Dialect::Iso87,
    })
}

/// Run `explain`.
pub fn run(global: &GlobalArgs, args: &ExplainArgs) -> Result<u8> {
    let d = dialect_of(global, args)?;
    let spec = match load_spec(&global.spec)? {
        SpecChoice::One(s) if s.dialect == d => *s,
        _ => reference_spec(d),
    };
    let mut out: Vec<Explained> = Vec::new();
    let mut failed = false;
    let mut stderr = io::stderr();
    if args.message {
        failed |= summarise(global, args, &mut out, &mut stderr)?;
        render(global.output, &out)?;
        return Ok(if failed { 2 } else { 0 });
    }
    if args.list {
        out.extend(
            glossary::response_codes(d)
                .into_iter()
                .map(|r| code_entry(d, r, args.lang)),
        );
    }
    let mut pairs: Vec<(Option<String>, String)> = Vec::new();
    for c in &args.items {
        match c.split_once('=') {
            Some((f, v)) => pairs.push((Some(f.to_string()), v.to_string())),
            None => pairs.push((None, c.clone())),
        }
    }
    for chunk in args.field.chunks(2) {
        if let [f, v] = chunk {
            pairs.push((Some(f.clone()), v.clone()));
        }
    }
    if pairs.is_empty() && !args.list {
        bail!(
            "nothing to explain: give a code (posresp explain 51), FIELD=VALUE, --list or --message INPUT"
        );
    }
    for (field, value) in pairs {
        let r = match field {
            None => glossary::response_code(d, &value)
                .map(|r| code_entry(d, r, args.lang))
                .ok_or_else(|| unknown(d, &value)),
            Some(f) => explain_field(d, &spec, &f, &value, args.lang),
        };
        match r {
            Ok(e) => out.push(e),
            Err(msg) => {
                writeln!(stderr, "posresp: {msg}")?;
                failed = true;
            }
        }
    }
    render(global.output, &out)?;
    Ok(if failed { 2 } else { 0 })
}

fn render(format: OutputFormat, items: &[Explained]) -> Result<()> {
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut w, items)?;
            writeln!(w)?;
        }
        OutputFormat::Jsonl => {
            for i in items {
                serde_json::to_writer(&mut w, i)?;
                writeln!(w)?;
            }
        }
        OutputFormat::Csv => {
            let mut c = csv::Writer::from_writer(&mut w);
            c.write_record([
                "kind",
                "dialect",
                "code_or_field",
                "value",
                "meaning",
                "category",
                "retryable",
                "action",
            ])?;
            for i in items {
                match i {
                    Explained::ResponseCode {
                        dialect,
                        code,
                        meaning,
                        category,
                        retryable,
                        action,
                        ..
                    } => {
                        let retry = if *retryable { "yes" } else { "no" };
                        c.write_record([
                            "response_code",
                            dialect,
                            code,
                            code,
                            meaning,
                            category,
                            retry,
                            action,
                        ])?;
                    }
                    Explained::Field {
                        dialect,
                        field,
                        value,
                        meaning,
                        parts,
                        ..
                    } => {
                        c.write_record([
                            "field",
                            dialect,
                            field,
                            value,
                            meaning.as_deref().unwrap_or(""),
                            "",
                            "",
                            "",
                        ])?;
                        for p in parts {
                            c.write_record([
                                "part",
                                dialect,
                                &p.id,
                                &p.value,
                                p.meaning.as_deref().unwrap_or(""),
                                "",
                                "",
                                "",
                            ])?;
                        }
                    }
                    Explained::Message { index, summary } => {
                        c.write_record([
                            "message",
                            "",
                            &index.to_string(),
                            "",
                            summary,
                            "",
                            "",
                            "",
                        ])?;
                    }
                }
            }
            c.flush()?;
        }
        OutputFormat::Table => {
            let codes: Vec<&Explained> = items
                .iter()
                .filter(|i| matches!(i, Explained::ResponseCode { .. }))
                .collect();
            if !codes.is_empty() {
                let mut t = Table::new();
                t.load_style(UTF8_FULL_CONDENSED)
                    .set_content_arrangement(ContentArrangement::Dynamic);
                t.set_header(["Code", "Meaning", "Category", "Retry", "What to do"]);
                for i in codes {
                    if let Explained::ResponseCode {
                        code,
                        meaning,
                        category,
                        retryable,
                        action,
                        display_zh,
                        cup_class,
                        private,
                        ..
                    } = i
                    {
                        let mut m = meaning.clone();
                        if let Some(disp) = display_zh {
                            m.push_str(&format!("\n终端显示: {disp}"));
                        }
                        if let Some(class) = cup_class {
                            m.push_str(&format!("\nCUP class {class}"));
                        }
                        if *private {
                            m.push_str("\n(private table)");
                        }
                        t.add_row(vec![
                            code.clone(),
                            m,
                            category.clone(),
                            (if *retryable { "yes" } else { "no" }).into(),
                            action.clone(),
                        ]);
                    }
                }
                writeln!(w, "{t}")?;
            }
            for i in items {
                match i {
                    Explained::Field {
                        field,
                        name,
                        value,
                        meaning,
                        parts,
                        ..
                    } => {
                        let m = meaning
                            .as_deref()
                            .map(|m| format!(": {m}"))
                            .unwrap_or_default();
                        let value = crate::render::sanitize(value);
                        writeln!(w, "Field {field} ({name}) = {value}{m}")?;
                        for p in parts {
                            let pm = p
                                .meaning
                                .as_deref()
                                .map(|m| format!(": {m}"))
                                .unwrap_or_default();
                            let v = crate::render::sanitize(&p.value);
                            writeln!(w, "  {} {} = {v}{pm}", p.id, p.name)?;
                        }
                    }
                    Explained::Message { summary, .. } => {
                        writeln!(w, "{}\n", crate::render::sanitize(summary))?;
                    }
                    Explained::ResponseCode { .. } => {}
                }
            }
        }
    }
    w.flush()?;
    Ok(())
}

/// One paragraph per message of each `--message` input.
fn summarise(
    global: &GlobalArgs,
    args: &ExplainArgs,
    out: &mut Vec<Explained>,
    stderr: &mut impl Write,
) -> Result<bool> {
    let specs = load_spec(&global.spec)?;
    let framing = framing_choice("auto")?;
    let mut failed = false;
    let mut index = 0;
    let mut decoder = posresp::specs::Decoder::new(&specs, framing.clone());
    if args.items.is_empty() {
        bail!("--message needs INPUTs: files, '-' for standard input, or hex");
    }
    for arg in &args.items {
        let frames = posresp::input::open_frames(arg)?;
        let arg = &posresp::input::input_name(arg);
        for item in frames {
            let frame = match item {
                Ok(f) => f,
                Err(e) => {
                    writeln!(stderr, "posresp: {arg}: message {} ({e})", index + 1)?;
                    failed = true;
                    index += 1;
                    continue;
                }
            };
            let (spec, err) = decoder.decode(&frame);
            let dec = &decoder.dec;
            match (spec, err) {
                (Some(spec), None) => out.push(Explained::Message {
                    index,
                    summary: paragraph(index, spec, dec, global.unmask, args.lang),
                }),
                (_, Some(e)) => {
                    writeln!(
                        stderr,
                        "posresp: {arg}: message {}{}: {e}; {}",
                        index + 1,
                        posresp::input::at_line(&frame),
                        e.hint()
                    )?;
                    failed = true;
                }
                (None, None) => {}
            }
            index += 1;
        }
    }
    Ok(failed)
}

fn paragraph(index: usize, spec: &Spec, d: &Decoded, unmask: bool, lang: Lang) -> String {
    let get = |id: u16| d.get(id).filter(|v| !v.trim().is_empty());
    let dialect = spec.dialect;
    let mti = d.mti();
    let mut s = format!("Message {} ({mti}, {}): ", index + 1, spec.name);
    s.push_str(
        &glossary::mti_meaning(mti)
            .unwrap_or("message")
            .to_lowercase(),
    );
    // What kind of transaction: CUP 60.1 is the most specific, then the processing code.
    let kind = match dialect {
        Dialect::Cup => get(60)
            .and_then(|v| v.get(..2))
            .and_then(|t| coded::field_meaning(dialect, "60.1", t)),
        _ => None,
    }
    .or_else(|| {
        get(3)
            .and_then(|v| v.get(..2))
            .and_then(|t| coded::field_meaning(dialect, "3.1", t))
    });
    if let Some(k) = kind {
        s.push_str(&format!(", {}", k.to_lowercase()));
    }
    if let Some(amount) = get(4) {
        let currency = get(49).and_then(coded::currency);
        match currency.and_then(|c| coded::format_amount(amount, c)) {
            Some(a) => s.push_str(&format!(" of {a}")),
            None => s.push_str(&format!(" of {amount} (minor units)")),
        }
    }
    let pan = get(2).map(|p| {
        mask(
            spec.field(2).and_then(|f| f.sensitive).filter(|_| !unmask),
            p,
        )
        .into_owned()
    });
    if let Some(p) = pan {
        s.push_str(&format!(" with card {p}"));
    }
    if let Some(t) = get(41) {
        s.push_str(&format!(" at terminal {}", t.trim()));
    }
    if let Some(m) = get(42) {
        s.push_str(&format!(" of merchant {}", m.trim()));
    }
    let mut refs = Vec::new();
    if let Some(t) = get(11) {
        refs.push(format!("trace {t}"));
    }
    if let Some(r) = get(37) {
        refs.push(format!("RRN {}", r.trim()));
    }
    match (get(13), get(12)) {
        (Some(date), Some(time)) if date.len() == 4 && time.len() == 6 => refs.push(format!(
            "local {}-{} {}:{}:{}",
            &date[..2],
            &date[2..],
            &time[..2],
            &time[2..4],
            &time[4..]
        )),
        _ => {}
    }
    if !refs.is_empty() {
        s.push_str(&format!(" ({})", refs.join(", ")));
    }
    s.push('.');
    match get(39) {
        Some(code) => match glossary::response_code(dialect, code) {
            Some(r) => {
                let meaning = match (lang, &r.meaning_zh) {
                    (Lang::Zh, Some(zh)) => zh.as_str(),
                    _ => r.meaning.as_str(),
                };
                s.push_str(&format!(" Outcome: {code} {meaning} ({}", r.category));
                if let Some(a) = get(38).filter(|_| r.category == "approved") {
                    s.push_str(&format!(", authorisation code {}", a.trim()));
                }
                s.push_str(").");
                if !r.action.is_empty() {
                    s.push_str(&format!(" Next: {}", r.action));
                    if !r.action.ends_with('.') {
                        s.push('.');
                    }
                }
                if r.retryable {
                    s.push_str(" The same request may succeed if sent again later.");
                }
            }
            None => s.push_str(&format!(
                " Outcome: response code {code}, which the {} table does not define; ask the acquirer (or load its table with --codes).",
                dialect_label(dialect)
            )),
        },
        None => s.push_str(" No response code: this is a request (or an advice); pair it with its response to see the outcome."),
    }
    s
}
