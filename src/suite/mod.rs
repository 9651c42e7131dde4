//! Test suites for `posresp test` (docs/suites.md): a TOML file with a target, variables,
//! message templates and cases made of steps. A step sends a message built from a template
//! (values with expressions, [`expand`]) and checks the answer against its expectations
//! ([`check`]). This module reads and checks a suite file and evaluates answers; the command
//! does the networking and the reports.
//!
//! Every error names the file, the line and, where there is one, the case and step.

pub mod check;
pub mod expand;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::codec::{FramingSpec, Spec};

pub use check::{Failure, check};
pub use expand::{Context, Counters, StepValues};

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct SuiteFile {
    name: Option<String>,
    target: Spanned<TargetFile>,
    #[serde(default)]
    vars: BTreeMap<String, String>,
    #[serde(default)]
    messages: BTreeMap<String, Spanned<MessageFile>>,
    #[serde(default, rename = "case")]
    cases: Vec<Spanned<CaseFile>>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct TargetFile {
    to: Option<String>,
    spec: String,
    framing: Option<String>,
    timeout: Option<String>,
    mac_key_file: Option<String>,
    mac_key_env: Option<String>,
    tmk_file: Option<String>,
    tmk_env: Option<String>,
    tpdu: Option<String>,
    header: Option<String>,
    tls: Option<TlsFile>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct TlsFile {
    ca: Option<String>,
    cert: Option<String>,
    key: Option<String>,
    sni: Option<String>,
    #[serde(default)]
    insecure: bool,
}

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
struct MessageFile {
    /// Another template to start from.
    like: Option<String>,
    mti: Option<String>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default)]
    remove: Vec<u16>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    name: String,
    #[serde(default)]
    vars: BTreeMap<String, String>,
    /// A CSV file (relative to the suite): one case per row, its columns as variables.
    data: Option<String>,
    /// Run after every other case (a settlement); implied by `{totals.N}` in its steps.
    #[serde(default)]
    last: bool,
    #[serde(default)]
    step: Vec<Spanned<StepFile>>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct StepFile {
    name: Option<String>,
    send: Option<String>,
    mti: Option<String>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default)]
    remove: Vec<u16>,
    timeout: Option<String>,
    #[serde(default)]
    expect: ExpectFile,
    on_timeout: Option<String>,
    reversal: Option<ExpectFile>,
    session_keys: Option<String>,
    spoil: Option<String>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct ExpectFile {
    mti: Option<String>,
    category: Option<OneOrMany>,
    #[serde(default)]
    fields: BTreeMap<String, FieldFile>,
    #[serde(default)]
    echo: Vec<u16>,
    mac: Option<bool>,
    #[serde(default)]
    tpdu_swapped: bool,
    latency_under: Option<String>,
    #[serde(default)]
    no_answer: bool,
    /// A settlement answer says the totals agree (or, with false, that they do not).
    in_balance: Option<bool>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize, Debug)]
#[serde(untagged)]
enum FieldFile {
    Equals(String),
    Rule(FieldRuleFile),
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct FieldRuleFile {
    equals: Option<String>,
    matches: Option<String>,
    one_of: Option<Vec<String>>,
    #[serde(default)]
    absent: bool,
    #[serde(default)]
    present: bool,
}

/// A suite, read and checked.
#[derive(Debug)]
pub struct Suite {
    pub name: String,
    pub path: String,
    pub target: Target,
    pub vars: BTreeMap<String, String>,
    pub cases: Vec<Case>,
}

/// Where and how the cases are sent.
#[derive(Debug)]
pub struct Target {
    pub to: Option<String>,
    /// As written (a built-in name, or a path made relative to the working directory).
    pub spec_name: String,
    pub spec: Spec,
    pub framing: FramingSpec,
    /// `framing` as the suite or the spec names it, for `serve --framing`.
    pub framing_name: String,
    pub timeout: Duration,
    /// Where the MAC key comes from: a file (resolved path) or an environment variable.
    pub mac_key: Option<KeySource>,
    /// The terminal master key, under which sign-on answers carry the working keys.
    pub tmk: Option<KeySource>,
    pub tpdu: Option<String>,
    pub header: Option<String>,
    pub tls: Option<crate::tls::ClientOptions>,
}

/// Keys only from files or the environment, never from the suite text.
#[derive(Debug, Clone)]
pub enum KeySource {
    File(String),
    Env(String),
}

/// One case: steps run in order on one connection.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub line: usize,
    pub vars: BTreeMap<String, String>,
    pub steps: Vec<Step>,
    /// Runs once every other case has finished (settlement with the run's totals).
    pub last: bool,
}

/// One message sent and its answer checked.
#[derive(Debug, Clone)]
pub struct Step {
    pub name: String,
    pub line: usize,
    pub mti: String,
    /// Field values with expressions.
    pub fields: BTreeMap<u16, String>,
    pub timeout: Duration,
    pub expect: Expect,
    /// On no answer: send the reversal and check its answer against this.
    pub reversal: Option<Expect>,
    /// Take the session's working keys from this step's answer (CUP field 62 under the TMK).
    pub session_keys: bool,
    /// Damage the message on purpose after building it.
    pub spoil: Option<Spoil>,
}

/// Damage done to a step's message on purpose, to test the host's refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spoil {
    /// One bit of the MAC flipped: the host should answer with its MAC-error code.
    Mac,
    /// The last three bytes of the body cut (the length prefix follows): the last field does
    /// not parse, and the host should answer with a format error.
    Tail,
}

/// What an answer must be.
#[derive(Debug, Clone, Default)]
pub struct Expect {
    pub mti: Option<String>,
    pub categories: Vec<String>,
    pub fields: Vec<(u16, FieldCheck)>,
    pub echo: Vec<u16>,
    /// `Some(true)`: the answer must carry a MAC that verifies; `Some(false)`: no MAC.
    /// Without it, a MAC present is checked when a key is given.
    pub mac: Option<bool>,
    pub tpdu_swapped: bool,
    pub latency_under: Option<Duration>,
    pub no_answer: bool,
    /// The answer must say in balance (`Some(true)`) or out of balance (`Some(false)`).
    pub in_balance: Option<bool>,
}

/// A check of one field of the answer.
#[derive(Debug, Clone)]
pub enum FieldCheck {
    /// Equal to this (expressions expanded).
    Equals(String),
    Matches(Regex),
    OneOf(Vec<String>),
    Absent,
    Present,
}

/// The line (1-based) of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn duration(v: &str) -> Result<Duration, String> {
    let ms = crate::host::delay::millis(v)?;
    if ms <= 0.0 {
        return Err(format!("{v}: must be above zero"));
    }
    Ok(Duration::from_secs_f64(ms / 1000.0))
}

fn field_id(spec: &Spec, key: &str) -> Result<u16, String> {
    let id: u16 = key
        .parse()
        .map_err(|_| format!("{key:?} is not a field number"))?;
    if id < 2 || spec.field(id as usize).is_none() {
        return Err(format!("spec {} has no field {id}", spec.name));
    }
    Ok(id)
}

fn mti(v: &str) -> Result<String, String> {
    if v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()) {
        Ok(v.to_string())
    } else {
        Err(format!("MTI {v:?} must be four digits"))
    }
}

/// A path in the suite, relative to the suite's folder (unless absolute).
fn relative(base: &Path, p: &str) -> String {
    let path = Path::new(p);
    if path.is_absolute() {
        p.to_string()
    } else {
        base.join(path).display().to_string()
    }
}

impl Suite {
    /// Read the suite at `path`.
    pub fn load(path: &str) -> Result<Suite, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        Suite::parse(&text, path)
    }

    /// Parse `text`, read from `path` (for errors and relative paths).
    pub fn parse(text: &str, path: &str) -> Result<Suite, String> {
        let file: SuiteFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(0, |s| line_of(text, s.start));
            let msg = e.message().trim_end().to_string();
            format!("{path}: line {line}: {msg}")
        })?;
        let base: PathBuf = Path::new(path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let tline = line_of(text, file.target.span().start);
        let at_target = |m: String| format!("{path}: line {tline}: [target]: {m}");
        let t = file.target.into_inner();
        let spec_name = if crate::codec::spec::builtin(&t.spec).is_some() {
            t.spec.clone()
        } else {
            relative(&base, &t.spec)
        };
        let spec =
            match crate::specs::load_spec(&spec_name).map_err(|e| at_target(format!("{e:#}")))? {
                crate::specs::SpecChoice::One(s) => *s,
                crate::specs::SpecChoice::Auto(_) => {
                    return Err(at_target(
                        "spec: give one spec (cup, iso87ascii … or a file), not auto".into(),
                    ));
                }
            };
        let (framing, framing_name) = match &t.framing {
            Some(name) => (
                FramingSpec::parse_name(name, &[])
                    .map_err(|e| at_target(format!("framing: {e}")))?,
                name.clone(),
            ),
            None => (spec.framing.clone(), "spec".to_string()),
        };
        crate::host::stream::streamable(&framing).map_err(|e| at_target(e.to_string()))?;
        let timeout = match &t.timeout {
            Some(v) => duration(v).map_err(|e| at_target(format!("timeout: {e}")))?,
            None => Duration::from_secs(5),
        };
        let mac_key = match (&t.mac_key_file, &t.mac_key_env) {
            (Some(_), Some(_)) => {
                return Err(at_target(
                    "give mac_key_file or mac_key_env, not both".into(),
                ));
            }
            (Some(f), None) => Some(KeySource::File(relative(&base, f))),
            (None, Some(v)) => Some(KeySource::Env(v.clone())),
            (None, None) => None,
        };
        let tmk = match (&t.tmk_file, &t.tmk_env) {
            (Some(_), Some(_)) => {
                return Err(at_target("give tmk_file or tmk_env, not both".into()));
            }
            (Some(f), None) => Some(KeySource::File(relative(&base, f))),
            (None, Some(v)) => Some(KeySource::Env(v.clone())),
            (None, None) => None,
        };
        if framing.tpdu && t.tpdu.is_none() {
            return Err(at_target(format!(
                "framing {} carries a TPDU: give tpdu = \"6000030000\" (id, destination, source)",
                framing.kind()
            )));
        }
        if framing.header > 0 && t.header.is_none() {
            return Err(at_target(format!(
                "framing {} carries a {}-byte header: give header = \"…\" in hex",
                framing.kind(),
                framing.header
            )));
        }
        let tls = t.tls.map(|x| crate::tls::ClientOptions {
            ca: x.ca.map(|p| relative(&base, &p)),
            cert: x.cert.map(|p| relative(&base, &p)),
            key: x.key.map(|p| relative(&base, &p)),
            insecure: x.insecure,
            sni: x.sni,
        });
        // Message templates, `like` resolved.
        let mut messages: BTreeMap<String, (usize, MessageFile)> = BTreeMap::new();
        for (name, m) in &file.messages {
            messages.insert(
                name.clone(),
                (line_of(text, m.span().start), m.get_ref().clone()),
            );
        }
        let resolved = resolve_templates(&messages, &spec)
            .map_err(|(line, name, e)| format!("{path}: line {line}: [messages.{name}]: {e}"))?;
        let known_vars: Vec<String> = file.vars.keys().cloned().collect();
        let mut cases = Vec::new();
        for c in file.cases {
            let cline = line_of(text, c.span().start);
            let c = c.into_inner();
            let rows: Vec<BTreeMap<String, String>> = match &c.data {
                None => vec![BTreeMap::new()],
                Some(d) => read_rows(&relative(&base, d)).map_err(|e| {
                    format!("{path}: line {cline}: case {:?}: data {d}: {e}", c.name)
                })?,
            };
            let mut steps = Vec::new();
            let mut names: Vec<String> = Vec::new();
            for (i, s) in c.step.iter().enumerate() {
                let sline = line_of(text, s.span().start);
                let s = s.get_ref();
                let sname = s.name.clone().unwrap_or_else(|| format!("step {}", i + 1));
                let at = |e: String| {
                    format!(
                        "{path}: line {sline}: case {:?} step {:?}: {e}",
                        c.name, sname
                    )
                };
                let step = build_step(s, &sname, sline, &resolved, &spec, timeout).map_err(at)?;
                if step.session_keys && tmk.is_none() {
                    return Err(at(
                        "session_keys = \"cup62\" needs the terminal master key: tmk_file or tmk_env in [target]".into(),
                    ));
                }
                // Every expression must name something known when the step runs.
                let mut vars: Vec<String> = known_vars.clone();
                vars.extend(c.vars.keys().cloned());
                if let Some(r) = rows.first() {
                    vars.extend(r.keys().cloned());
                }
                let expects = std::iter::once(&step.expect).chain(step.reversal.as_ref());
                let expected = expects.flat_map(|e| {
                    e.fields
                        .iter()
                        .filter_map(|(_, f)| match f {
                            FieldCheck::Equals(v) => Some(v),
                            _ => None,
                        })
                        .chain(e.categories.iter())
                });
                for v in step.fields.values().chain(expected) {
                    expand::validate(v, &vars, &names).map_err(|e| {
                        format!(
                            "{path}: line {sline}: case {:?} step {:?}: {e}",
                            c.name, sname
                        )
                    })?;
                }
                if names.contains(&sname) {
                    return Err(at(format!("a second step named {sname:?} in this case")));
                }
                names.push(sname);
                steps.push(step);
            }
            if steps.is_empty() {
                return Err(format!(
                    "{path}: line {cline}: case {:?}: no [[case.step]]",
                    c.name
                ));
            }
            let last = c.last
                || steps
                    .iter()
                    .any(|s| s.fields.values().any(|v| v.contains("{totals.")));
            let many = rows.len() > 1 || c.data.is_some();
            for (n, row) in rows.into_iter().enumerate() {
                let mut vars = c.vars.clone();
                vars.extend(row);
                let name = if many {
                    let named = expand::fill_vars(&c.name, &vars);
                    if named == c.name {
                        format!("{} [row {}]", c.name, n + 1)
                    } else {
                        named
                    }
                } else {
                    c.name.clone()
                };
                cases.push(Case {
                    name,
                    line: cline,
                    vars,
                    steps: steps.clone(),
                    last,
                });
            }
        }
        if cases.is_empty() {
            return Err(format!("{path}: no [[case]] in the suite"));
        }
        let mut seen = std::collections::HashSet::new();
        for c in &cases {
            if !seen.insert(c.name.clone()) {
                return Err(format!(
                    "{path}: line {}: a second case named {:?} (names identify cases in reports)",
                    c.line, c.name
                ));
            }
        }
        Ok(Suite {
            name: file.name.unwrap_or_else(|| {
                Path::new(path)
                    .file_stem()
                    .map_or_else(|| path.to_string(), |s| s.to_string_lossy().into_owned())
            }),
            path: path.to_string(),
            target: Target {
                to: t.to,
                spec_name,
                spec,
                framing,
                framing_name,
                timeout,
                mac_key,
                tmk,
                tpdu: t.tpdu,
                header: t.header,
                tls,
            },
            vars: file.vars,
            cases,
        })
    }
}

/// A template with `like` followed: (mti, fields, removed).
type Template = (Option<String>, BTreeMap<u16, String>);

fn resolve_templates(
    messages: &BTreeMap<String, (usize, MessageFile)>,
    spec: &Spec,
) -> Result<BTreeMap<String, Template>, (usize, String, String)> {
    let mut out = BTreeMap::new();
    for name in messages.keys() {
        let mut chain = vec![name.clone()];
        let mut cur = name.clone();
        while let Some(parent) = messages.get(&cur).and_then(|(_, m)| m.like.clone()) {
            let line = messages[&cur].0;
            if !messages.contains_key(&parent) {
                return Err((line, cur, format!("like = {parent:?}: no such message")));
            }
            if chain.contains(&parent) {
                return Err((
                    line,
                    cur,
                    format!("like = {parent:?} goes round in a circle"),
                ));
            }
            chain.push(parent.clone());
            cur = parent;
        }
        let mut mti_v = None;
        let mut fields = BTreeMap::new();
        for n in chain.iter().rev() {
            let (line, m) = &messages[n];
            let err = |e: String| (*line, n.clone(), e);
            if let Some(v) = &m.mti {
                mti_v = Some(mti(v).map_err(err)?);
            }
            for (k, v) in &m.fields {
                fields.insert(field_id(spec, k).map_err(err)?, v.clone());
            }
            for id in &m.remove {
                fields.remove(id);
            }
        }
        out.insert(name.clone(), (mti_v, fields));
    }
    Ok(out)
}

fn build_step(
    s: &StepFile,
    name: &str,
    line: usize,
    templates: &BTreeMap<String, Template>,
    spec: &Spec,
    default_timeout: Duration,
) -> Result<Step, String> {
    let (mut mti_v, mut fields) = match &s.send {
        Some(t) => templates.get(t).cloned().ok_or_else(|| {
            let names: Vec<&str> = templates.keys().map(String::as_str).collect();
            format!(
                "send = {t:?}: no such message (the suite has: {})",
                names.join(", ")
            )
        })?,
        None => (None, BTreeMap::new()),
    };
    if let Some(m) = &s.mti {
        mti_v = Some(mti(m)?);
    }
    for (k, v) in &s.fields {
        fields.insert(field_id(spec, k)?, v.clone());
    }
    for id in &s.remove {
        fields.remove(id);
    }
    let mti_v = mti_v.ok_or("no MTI: give send = \"TEMPLATE\" or mti = \"0200\"")?;
    let timeout = match &s.timeout {
        Some(v) => duration(v).map_err(|e| format!("timeout: {e}"))?,
        None => default_timeout,
    };
    let expect = build_expect(&s.expect, spec).map_err(|e| format!("expect: {e}"))?;
    let reversal = match s.on_timeout.as_deref() {
        None => {
            if s.reversal.is_some() {
                return Err("reversal = … needs on_timeout = \"reverse\"".into());
            }
            None
        }
        Some("reverse") => {
            if !crate::host::respond::is_request(&mti_v) || !matches!(&mti_v[1..2], "1" | "2") {
                return Err(format!(
                    "on_timeout = \"reverse\": MTI {mti_v} is not a financial or authorisation request"
                ));
            }
            Some(match &s.reversal {
                Some(r) => build_expect(r, spec).map_err(|e| format!("reversal: {e}"))?,
                None => Expect {
                    categories: vec!["approved".into()],
                    ..Expect::default()
                },
            })
        }
        Some(other) => {
            return Err(format!(
                "on_timeout = {other:?}: the one choice is \"reverse\""
            ));
        }
    };
    let session_keys = match s.session_keys.as_deref() {
        None => false,
        Some("cup62") => true,
        Some(other) => {
            return Err(format!(
                "session_keys = {other:?}: the one layout known is \"cup62\""
            ));
        }
    };
    let spoil = match s.spoil.as_deref() {
        None => None,
        Some("mac") => Some(Spoil::Mac),
        Some("tail") => Some(Spoil::Tail),
        Some(other) => {
            return Err(format!(
                "spoil = {other:?}: \"mac\" (flip a bit of the MAC) or \"tail\" (cut the last field short)"
            ));
        }
    };
    Ok(Step {
        name: name.to_string(),
        line,
        mti: mti_v,
        fields,
        timeout,
        expect,
        reversal,
        session_keys,
        spoil,
    })
}

const CATEGORIES: &[&str] = &["approved", "decline", "refer", "pickup", "error", "retry"];

fn build_expect(e: &ExpectFile, spec: &Spec) -> Result<Expect, String> {
    let categories = e
        .category
        .clone()
        .map(OneOrMany::into_vec)
        .unwrap_or_default();
    for c in &categories {
        if !c.contains('{') && !CATEGORIES.contains(&c.as_str()) {
            return Err(format!("category {c:?}: one of {}", CATEGORIES.join(", ")));
        }
    }
    let mut fields = Vec::new();
    for (k, v) in &e.fields {
        let id = field_id(spec, k)?;
        let c = match v {
            FieldFile::Equals(s) => FieldCheck::Equals(s.clone()),
            FieldFile::Rule(r) => {
                let given = [
                    r.equals.is_some(),
                    r.matches.is_some(),
                    r.one_of.is_some(),
                    r.absent,
                    r.present,
                ];
                if given.iter().filter(|g| **g).count() != 1 {
                    return Err(format!(
                        "field {id}: give one of equals, matches, one_of, absent, present"
                    ));
                }
                if let Some(v) = &r.equals {
                    FieldCheck::Equals(v.clone())
                } else if let Some(p) = &r.matches {
                    FieldCheck::Matches(
                        Regex::new(p).map_err(|x| format!("field {id}: matches: {x}"))?,
                    )
                } else if let Some(l) = &r.one_of {
                    FieldCheck::OneOf(l.clone())
                } else if r.absent {
                    FieldCheck::Absent
                } else {
                    FieldCheck::Present
                }
            }
        };
        fields.push((id, c));
    }
    for id in &e.echo {
        field_id(spec, &id.to_string()).map_err(|x| format!("echo: {x}"))?;
    }
    if e.no_answer
        && (e.mti.is_some() || !categories.is_empty() || !fields.is_empty() || !e.echo.is_empty())
    {
        return Err("no_answer = true leaves nothing to check in an answer; keep it alone".into());
    }
    Ok(Expect {
        mti: e.mti.as_deref().map(mti).transpose()?,
        categories,
        fields,
        echo: e.echo.clone(),
        mac: e.mac,
        tpdu_swapped: e.tpdu_swapped,
        latency_under: e
            .latency_under
            .as_deref()
            .map(|v| duration(v).map_err(|x| format!("latency_under: {x}")))
            .transpose()?,
        no_answer: e.no_answer,
        in_balance: e.in_balance,
    })
}

/// The clear MAC key of a CUP sign-on answer's field 62 (hex): the working keys encrypted
/// under `tmk`, each followed by its 4-byte check value; 24 bytes (single-length PIK and MAK),
/// 40 (double-length; an 8-byte MAK is followed by 8 zero bytes) or 60 (with a track key).
/// The check value is verified.
pub fn cup_mak(tmk: &crate::check::Key, field62: &str) -> Result<Vec<u8>, String> {
    let bytes =
        crate::codec::encoding::from_hex(field62).map_err(|_| "field 62 is not hex".to_string())?;
    let (at, len) = match bytes.len() {
        24 => (12, 8),
        40 | 60 => (20, 16),
        n => {
            return Err(format!(
                "field 62 has {n} bytes; working keys are 24, 40 or 60 (60.3 001, 003, 004)"
            ));
        }
    };
    let block = &bytes[at..at + len];
    let kcv = &bytes[at + len..at + len + 4];
    let mut clear = Vec::with_capacity(len);
    let single = len == 16 && block[8..].iter().all(|b| *b == 0);
    for (i, chunk) in block.chunks(8).enumerate() {
        if single && i == 1 {
            break;
        }
        let mut b: [u8; 8] = chunk.try_into().map_err(|_| "key length".to_string())?;
        tmk.decrypt(&mut b);
        clear.extend_from_slice(&b);
    }
    let key = crate::check::Key::from_bytes(&clear).map_err(|e| e.to_string())?;
    if key.kcv()[..] != kcv[..] {
        return Err(format!(
            "the MAC key's check value is {}, field 62 says {} (is the TMK right?)",
            crate::codec::encoding::to_hex(&key.kcv()),
            crate::codec::encoding::to_hex(kcv)
        ));
    }
    Ok(clear)
}

/// The rows of a CSV data table: the header names the variables.
fn read_rows(path: &str) -> Result<Vec<BTreeMap<String, String>>, String> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_path(path)
        .map_err(|e| e.to_string())?;
    let head: Vec<String> = r
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| format!("row {}: {e}", i + 1))?;
        rows.push(
            head.iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect(),
        );
    }
    if rows.is_empty() {
        return Err("no rows".into());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
name = "demo"
[target]
spec = "iso87ascii"
framing = "len2"

[vars]
terminal = "T0000001"

[messages.purchase]
mti = "0200"
fields = { 2 = "4761739001010119", 3 = "000000", 4 = "{amount}", 11 = "{stan}", 41 = "{terminal}" }

[[case]]
name = "approval"
vars = { amount = "000000001000" }
[[case.step]]
send = "purchase"
expect = { category = "approved", fields = { 39 = "00", 38 = { matches = "^[0-9]{6}$" } }, echo = [4, 11] }
"#;

    #[test]
    fn a_good_suite_reads() {
        let s = Suite::parse(GOOD, "x.toml").unwrap();
        assert_eq!(s.name, "demo");
        assert_eq!(s.cases.len(), 1);
        let st = &s.cases[0].steps[0];
        assert_eq!(st.mti, "0200");
        assert_eq!(st.fields[&4], "{amount}");
        assert_eq!(st.name, "step 1");
        assert_eq!(st.line, 17);
        assert_eq!(st.expect.fields.len(), 2);
    }

    #[test]
    fn errors_name_file_line_case_and_step() {
        let bad = GOOD.replace("send = \"purchase\"", "send = \"purchse\"");
        let e = Suite::parse(&bad, "x.toml").unwrap_err();
        assert!(e.starts_with("x.toml: line 17: case \"approval\" step \"step 1\": send = \"purchse\": no such message"), "{e}");
        let bad = GOOD.replace("{amount}", "{amont}");
        let e = Suite::parse(&bad, "x.toml").unwrap_err();
        assert!(e.contains("line 17") && e.contains("amont"), "{e}");
        let bad = GOOD.replace("39 = \"00\"", "399 = \"00\"");
        let e = Suite::parse(&bad, "x.toml").unwrap_err();
        assert!(e.contains("no field 399"), "{e}");
        let bad = GOOD.replace("name = \"demo\"", "nme = \"demo\"");
        let e = Suite::parse(&bad, "x.toml").unwrap_err();
        assert!(e.starts_with("x.toml: line 2: unknown field `nme`"), "{e}");
        let bad = GOOD.replace("category = \"approved\"", "category = \"aproved\"");
        let e = Suite::parse(&bad, "x.toml").unwrap_err();
        assert!(e.contains("category \"aproved\""), "{e}");
    }
}
