//! Rules for the simulated host: which requests get which answer. A rules file is JSON
//! (docs/rules.md): an optional `default` answer and a list of `rules`, each with a `when`
//! (all conditions must hold), an optional selector (`every_nth`, `probability`) and what to
//! do (`action`, `code`, `fields`, `remove`, `delay`). The first rule that matches decides.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use regex::Regex;
use serde::Deserialize;

use crate::codec::{Decoded, Message, Spec, encode_body};
use crate::glossary;

use super::delay::Delay;
use super::respond::approved_code;

/// What the host does with a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Answer (the default).
    Respond,
    /// No answer; the connection stays open.
    Drop,
    /// Close the connection without answering.
    Close,
    /// Answer with a correctly framed response whose MTI is not a valid MTI.
    Malformed,
    /// Send the first half of the framed response, then close the connection.
    Truncate,
    /// Answer twice.
    Duplicate,
}

impl Action {
    /// Name as written in rules files.
    pub fn name(self) -> &'static str {
        match self {
            Action::Respond => "respond",
            Action::Drop => "drop",
            Action::Close => "close",
            Action::Malformed => "malformed",
            Action::Truncate => "truncate",
            Action::Duplicate => "duplicate",
        }
    }
}

#[derive(Deserialize, Clone, Debug)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(v) => vec![v],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct AmountFile {
    equals: Option<u64>,
    min: Option<u64>,
    max: Option<u64>,
    ends_with: Option<OneOrMany<String>>,
    divisible_by: Option<u64>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct PanFile {
    prefix: Option<OneOrMany<String>>,
    suffix: Option<OneOrMany<String>>,
    regex: Option<String>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct TextFile {
    equals: Option<OneOrMany<String>>,
    prefix: Option<OneOrMany<String>>,
    regex: Option<String>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct WhenFile {
    mti: Option<OneOrMany<String>>,
    processing_code: Option<OneOrMany<String>>,
    amount: Option<AmountFile>,
    pan: Option<PanFile>,
    terminal: Option<OneOrMany<String>>,
    merchant: Option<OneOrMany<String>>,
    currency: Option<OneOrMany<String>>,
    entry_mode: Option<OneOrMany<String>>,
    #[serde(default)]
    has: Vec<u16>,
    #[serde(default)]
    lacks: Vec<u16>,
    #[serde(default)]
    fields: BTreeMap<String, TextFile>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    name: Option<String>,
    #[serde(default)]
    when: WhenFile,
    every_nth: Option<u64>,
    probability: Option<f64>,
    action: Option<Action>,
    code: Option<String>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default)]
    remove: Vec<u16>,
    delay: Option<String>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct DefaultFile {
    code: Option<String>,
    delay: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    default: DefaultFile,
    #[serde(default)]
    rules: Vec<RuleFile>,
}

/// Digits with `x` wildcards; a pattern shorter than the value matches its start.
#[derive(Clone, Debug)]
struct Pattern(Vec<u8>);

impl Pattern {
    fn new(what: &str, p: &str) -> Result<Pattern, String> {
        if p.is_empty() || !p.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!(
                "{what} {p:?}: write digits, with x for any digit (\"02x0\")"
            ));
        }
        Ok(Pattern(p.bytes().map(|c| c.to_ascii_lowercase()).collect()))
    }

    fn matches(&self, v: &str) -> bool {
        let v = v.as_bytes();
        v.len() >= self.0.len()
            && self
                .0
                .iter()
                .zip(v)
                .all(|(&p, &c)| p == b'x' || p == c.to_ascii_lowercase())
    }
}

#[derive(Clone, Debug)]
struct TextCond {
    equals: Vec<String>,
    prefix: Vec<String>,
    regex: Option<Regex>,
}

impl TextCond {
    fn matches(&self, v: &str) -> bool {
        let v = v.trim_end();
        (self.equals.is_empty() || self.equals.iter().any(|e| e == v))
            && (self.prefix.is_empty() || self.prefix.iter().any(|p| v.starts_with(p.as_str())))
            && self.regex.as_ref().is_none_or(|r| r.is_match(v))
    }
}

fn regex(what: &str, r: &str) -> Result<Regex, String> {
    Regex::new(r).map_err(|e| {
        let first = e.to_string();
        let last = first.lines().last().unwrap_or("").trim().to_string();
        format!("{what}: regex {r:?} is not valid: {last}")
    })
}

#[derive(Clone, Debug, Default)]
struct When {
    mti: Option<Vec<Pattern>>,
    processing_code: Vec<Pattern>,
    entry_mode: Vec<Pattern>,
    amount_equals: Option<u64>,
    amount_min: Option<u64>,
    amount_max: Option<u64>,
    amount_ends: Vec<String>,
    amount_div: Option<u64>,
    amount: bool,
    pan_prefix: Vec<String>,
    pan_suffix: Vec<String>,
    pan_regex: Option<Regex>,
    pan: bool,
    terminal: Vec<String>,
    merchant: Vec<String>,
    currency: Vec<String>,
    has: Vec<u16>,
    lacks: Vec<u16>,
    fields: Vec<(u16, TextCond)>,
}

/// The PAN of a request: field 2, else the account part of track 2 (35).
pub fn request_pan(req: &Decoded) -> Option<&str> {
    if let Some(p) = req.get(2) {
        return Some(p);
    }
    let t = req.get(35)?;
    let end = t.find(['=', 'D', 'd']).unwrap_or(t.len());
    Some(&t[..end])
}

fn any_text(list: &[String], v: Option<&str>) -> bool {
    list.is_empty() || v.is_some_and(|v| list.iter().any(|e| e == v.trim_end()))
}

fn any_pattern(list: &[Pattern], v: Option<&str>) -> bool {
    list.is_empty() || v.is_some_and(|v| list.iter().any(|p| p.matches(v)))
}

impl When {
    fn matches(&self, req: &Decoded) -> bool {
        let mti = req.mti();
        match &self.mti {
            Some(list) => {
                if !list.iter().any(|p| p.matches(mti)) {
                    return false;
                }
            }
            // Without an `mti` condition a rule applies to authorisations and financial
            // requests only, not to reversals, advices of other classes or network management.
            None => {
                if !matches!(mti.as_bytes().get(1), Some(b'1' | b'2')) {
                    return false;
                }
            }
        }
        if !any_pattern(&self.processing_code, req.get(3))
            || !any_pattern(&self.entry_mode, req.get(22))
            || !any_text(&self.terminal, req.get(41))
            || !any_text(&self.merchant, req.get(42))
            || !any_text(&self.currency, req.get(49))
        {
            return false;
        }
        if self.amount {
            let Some(text) = req.get(4).map(str::trim) else {
                return false;
            };
            let Ok(v) = text.parse::<u64>() else {
                return false;
            };
            if self.amount_equals.is_some_and(|e| e != v)
                || self.amount_min.is_some_and(|m| v < m)
                || self.amount_max.is_some_and(|m| v > m)
                || self.amount_div.is_some_and(|d| v % d != 0)
                || !(self.amount_ends.is_empty()
                    || self.amount_ends.iter().any(|e| text.ends_with(e.as_str())))
            {
                return false;
            }
        }
        if self.pan {
            let Some(pan) = request_pan(req) else {
                return false;
            };
            if !(self.pan_prefix.is_empty()
                || self.pan_prefix.iter().any(|p| pan.starts_with(p.as_str())))
                || !(self.pan_suffix.is_empty()
                    || self.pan_suffix.iter().any(|p| pan.ends_with(p.as_str())))
                || self.pan_regex.as_ref().is_some_and(|r| !r.is_match(pan))
            {
                return false;
            }
        }
        self.has.iter().all(|&id| req.get(id).is_some())
            && self.lacks.iter().all(|&id| req.get(id).is_none())
            && self
                .fields
                .iter()
                .all(|(id, c)| req.get(*id).is_some_and(|v| c.matches(v)))
    }
}

/// One compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// The rule's name (or `rule N`).
    pub name: String,
    /// Line of the rules file where the rule starts.
    pub line: usize,
    when: When,
    every_nth: Option<u64>,
    probability: Option<f64>,
    seen: AtomicU64,
    /// What to do.
    pub action: Action,
    /// Field 39, when the rule sets one.
    pub code: Option<String>,
    /// Fields to set in the response.
    pub set: Vec<(u16, String)>,
    /// Fields to leave out of the response.
    pub remove: Vec<u16>,
    /// Delay before answering.
    pub delay: Option<Delay>,
}

/// A rules file, compiled against a spec.
#[derive(Debug)]
pub struct RuleSet {
    /// The rules in order.
    pub rules: Vec<Rule>,
    /// Field 39 when no rule sets one.
    pub default_code: String,
    /// Delay when no rule gives one.
    pub default_delay: Option<Delay>,
}

/// What to do with one request.
#[derive(Clone, Copy, Debug)]
pub struct Decision<'a> {
    /// The rule that matched, if any.
    pub rule: Option<&'a Rule>,
    /// What to do.
    pub action: Action,
    /// Field 39.
    pub code: &'a str,
    /// Fields to set.
    pub set: &'a [(u16, String)],
    /// Fields to leave out.
    pub remove: &'a [u16],
    /// Delay before answering.
    pub delay: Option<&'a Delay>,
}

/// Line numbers (1-based) where each element of the top-level `rules` array starts, and the
/// line of the top-level `default` key.
fn rule_lines(text: &str) -> (Vec<usize>, Option<usize>) {
    let (mut depth, mut line, mut in_str, mut esc) = (0usize, 1usize, false, false);
    let (mut str_start, mut pending, mut rules_depth) = (0usize, false, None);
    let mut out = Vec::new();
    let mut default_line = None;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            line += 1;
        }
        if in_str {
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == '"' {
                in_str = false;
                pending = depth == 1 && &text[str_start..i] == "rules";
                if depth == 1 && &text[str_start..i] == "default" && default_line.is_none() {
                    default_line = Some(line);
                }
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                str_start = i + 1;
            }
            '[' | '{' => {
                depth += 1;
                if c == '[' && pending && depth == 2 {
                    rules_depth = Some(depth);
                }
                if c == '{' && rules_depth == Some(depth - 1) {
                    out.push(line);
                }
                pending = false;
            }
            ']' | '}' => {
                if c == ']' && rules_depth == Some(depth) {
                    rules_depth = None;
                }
                depth = depth.saturating_sub(1);
            }
            ',' => pending = false,
            _ => {}
        }
    }
    (out, default_line)
}

fn field_id(spec: &Spec, what: &str, id: &str) -> Result<u16, String> {
    let n: u16 = id
        .parse()
        .map_err(|_| format!("{what}: {id:?} is not a field number"))?;
    if n < 2 || spec.field(n as usize).is_none() {
        return Err(format!("{what}: spec {} has no field {n}", spec.name));
    }
    Ok(n)
}

fn check_code(spec: &Spec, code: &str) -> Result<(), String> {
    if glossary::response_code(spec.dialect, code).is_none() {
        return Err(format!(
            "code {code:?} is not a {} response code (see `posresp explain --list --scheme {}`; \
             private codes come with --codes FILE.csv)",
            spec.dialect.name(),
            spec.dialect.name()
        ));
    }
    // It must fit field 39 of this spec.
    encode_probe(spec, 39, code)
}

/// Encode `value` alone in field `id` to see that it fits the spec.
fn encode_probe(spec: &Spec, id: u16, value: &str) -> Result<(), String> {
    let mut m = Message {
        mti: "0210".into(),
        ..Message::default()
    };
    m.fields.insert(id, value.into());
    encode_body(spec, &m)
        .map(|_| ())
        .map_err(|e| format!("value {value:?} does not fit: {e}"))
}

fn digits(what: &str, s: &str) -> Result<String, String> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!("{what} {s:?} must be digits"));
    }
    Ok(s.to_string())
}

fn compile_when(w: WhenFile, spec: &Spec) -> Result<When, String> {
    let pats = |what: &str, v: Option<OneOrMany<String>>| -> Result<Vec<Pattern>, String> {
        v.map(OneOrMany::into_vec)
            .unwrap_or_default()
            .iter()
            .map(|p| Pattern::new(what, p))
            .collect()
    };
    let texts = |v: Option<OneOrMany<String>>| -> Vec<String> {
        v.map(OneOrMany::into_vec)
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.trim_end().to_string())
            .collect()
    };
    let mut when = When {
        mti: match w.mti {
            Some(v) => Some(pats("mti", Some(v))?),
            None => None,
        },
        processing_code: pats("processing_code", w.processing_code)?,
        entry_mode: pats("entry_mode", w.entry_mode)?,
        terminal: texts(w.terminal),
        merchant: texts(w.merchant),
        currency: texts(w.currency),
        ..When::default()
    };
    if let Some(a) = w.amount {
        when.amount = true;
        when.amount_equals = a.equals;
        when.amount_min = a.min;
        when.amount_max = a.max;
        when.amount_div = a.divisible_by;
        if a.divisible_by == Some(0) {
            return Err("amount.divisible_by must be above 0".into());
        }
        if let (Some(lo), Some(hi)) = (a.min, a.max)
            && lo > hi
        {
            return Err(format!("amount: min {lo} is above max {hi}"));
        }
        when.amount_ends = a
            .ends_with
            .map(OneOrMany::into_vec)
            .unwrap_or_default()
            .iter()
            .map(|s| digits("amount.ends_with", s))
            .collect::<Result<_, _>>()?;
    }
    if let Some(p) = w.pan {
        when.pan = true;
        let list = |what: &str, v: Option<OneOrMany<String>>| -> Result<Vec<String>, String> {
            v.map(OneOrMany::into_vec)
                .unwrap_or_default()
                .iter()
                .map(|s| digits(what, s))
                .collect()
        };
        when.pan_prefix = list("pan.prefix", p.prefix)?;
        when.pan_suffix = list("pan.suffix", p.suffix)?;
        when.pan_regex = p.regex.as_deref().map(|r| regex("pan", r)).transpose()?;
    }
    for (what, ids) in [("has", &w.has), ("lacks", &w.lacks)] {
        for id in ids {
            field_id(spec, what, &id.to_string())?;
        }
    }
    when.has = w.has;
    when.lacks = w.lacks;
    for (id, t) in w.fields {
        let n = field_id(spec, "fields", &id)?;
        let what = format!("fields.{n}");
        when.fields.push((
            n,
            TextCond {
                equals: t.equals.map(OneOrMany::into_vec).unwrap_or_default(),
                prefix: t.prefix.map(OneOrMany::into_vec).unwrap_or_default(),
                regex: t.regex.as_deref().map(|r| regex(&what, r)).transpose()?,
            },
        ));
    }
    Ok(when)
}

fn compile_rule(r: RuleFile, index: usize, line: usize, spec: &Spec) -> Result<Rule, String> {
    let name = r
        .name
        .clone()
        .unwrap_or_else(|| format!("rule {}", index + 1));
    let when = compile_when(r.when, spec)?;
    if r.every_nth == Some(0) {
        return Err("every_nth must be 1 or more".into());
    }
    if let Some(p) = r.probability
        && !(0.0..=1.0).contains(&p)
    {
        return Err(format!("probability {p} must be between 0 and 1"));
    }
    let action = r.action.unwrap_or(Action::Respond);
    if let Some(c) = &r.code {
        check_code(spec, c)?;
        if matches!(action, Action::Drop | Action::Close) {
            return Err(format!(
                "a rule with action {} sends no answer, so a code makes no sense",
                action.name()
            ));
        }
    }
    let mut set = Vec::new();
    for (id, v) in r.fields {
        let n = field_id(spec, "fields", &id)?;
        if n == 39 {
            return Err("set field 39 with \"code\", not in \"fields\"".into());
        }
        encode_probe(spec, n, &v).map_err(|e| format!("fields.{n}: {e}"))?;
        set.push((n, v));
    }
    for id in &r.remove {
        field_id(spec, "remove", &id.to_string())?;
    }
    let delay = r
        .delay
        .as_deref()
        .map(Delay::parse)
        .transpose()
        .map_err(|e| format!("delay {e}"))?;
    Ok(Rule {
        name,
        line,
        when,
        every_nth: r.every_nth,
        probability: r.probability,
        seen: AtomicU64::new(0),
        action,
        code: r.code,
        set,
        remove: r.remove,
        delay,
    })
}

impl RuleSet {
    /// No rules: approve everything at once.
    pub fn approve_all(spec: &Spec) -> RuleSet {
        RuleSet {
            rules: Vec::new(),
            default_code: approved_code(spec.dialect).to_string(),
            default_delay: None,
        }
    }

    /// Compile the rules file `text` (named `origin` in errors) for `spec`. Errors name the
    /// line and the rule.
    pub fn parse(text: &str, origin: &str, spec: &Spec) -> Result<RuleSet, String> {
        let file: RulesFile = serde_json::from_str(text).map_err(|e| {
            format!(
                "{origin}: line {} column {}: {}",
                e.line(),
                e.column(),
                strip_position(&e.to_string())
            )
        })?;
        let (lines, default_line) = rule_lines(text);
        let default_at = format!("line {}: default", default_line.unwrap_or(1));
        let default_code = match file.default.code {
            Some(c) => {
                check_code(spec, &c).map_err(|e| format!("{origin}: {default_at}: {e}"))?;
                c
            }
            None => approved_code(spec.dialect).to_string(),
        };
        let default_delay = file
            .default
            .delay
            .as_deref()
            .map(Delay::parse)
            .transpose()
            .map_err(|e| format!("{origin}: {default_at}: delay {e}"))?;
        let mut rules = Vec::with_capacity(file.rules.len());
        for (i, r) in file.rules.into_iter().enumerate() {
            let line = lines.get(i).copied().unwrap_or(0);
            let label = match &r.name {
                Some(n) => format!("rule {} ({n:?})", i + 1),
                None => format!("rule {}", i + 1),
            };
            rules.push(
                compile_rule(r, i, line, spec)
                    .map_err(|e| format!("{origin}: line {line}: {label}: {e}"))?,
            );
        }
        Ok(RuleSet {
            rules,
            default_code,
            default_delay,
        })
    }

    /// The first rule whose conditions and selector hold for `req`, and what it says.
    pub fn decide(&self, req: &Decoded) -> Decision<'_> {
        for rule in &self.rules {
            if !rule.when.matches(req) {
                continue;
            }
            if let Some(n) = rule.every_nth {
                let seen = rule.seen.fetch_add(1, Ordering::Relaxed) + 1;
                if !seen.is_multiple_of(n) {
                    continue;
                }
            }
            if let Some(p) = rule.probability
                && rand::random::<f64>() >= p
            {
                continue;
            }
            return Decision {
                rule: Some(rule),
                action: rule.action,
                code: rule.code.as_deref().unwrap_or(&self.default_code),
                set: &rule.set,
                remove: &rule.remove,
                delay: rule.delay.as_ref().or(self.default_delay.as_ref()),
            };
        }
        Decision {
            rule: None,
            action: Action::Respond,
            code: &self.default_code,
            set: &[],
            remove: &[],
            delay: self.default_delay.as_ref(),
        }
    }
}

/// serde_json puts " at line L column C" at the end of its messages; the caller says it first.
fn strip_position(msg: &str) -> &str {
    match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::spec::builtin;

    fn spec(name: &str) -> Spec {
        builtin(name).unwrap().unwrap()
    }

    fn req(mti: &str, fields: &[(u16, &str)]) -> Decoded {
        Decoded::from_values(mti, fields.iter().copied())
    }

    fn set(text: &str) -> RuleSet {
        RuleSet::parse(text, "rules.json", &spec("iso87ascii")).unwrap()
    }

    fn err(text: &str) -> String {
        RuleSet::parse(text, "rules.json", &spec("iso87ascii")).unwrap_err()
    }

    fn decide(rs: &RuleSet, r: &Decoded) -> (String, Action, Option<String>) {
        let d = rs.decide(r);
        (d.code.to_string(), d.action, d.rule.map(|r| r.name.clone()))
    }

    #[test]
    fn matching_table() {
        let rs = set(r#"{"rules": [
            {"name": "ends51", "when": {"amount": {"ends_with": "51"}}, "code": "51"},
            {"name": "bin", "when": {"pan": {"prefix": ["622126", "356999"]}}, "code": "05"},
            {"name": "suffix", "when": {"pan": {"suffix": "0119", "regex": "^4"}}, "code": "54"},
            {"name": "range", "when": {"amount": {"min": 100000, "max": 200000}}, "code": "61"},
            {"name": "div", "when": {"amount": {"divisible_by": 7777}}, "code": "13"},
            {"name": "term", "when": {"terminal": "T0000009", "currency": ["840", "978"]}, "code": "58"},
            {"name": "refund", "when": {"processing_code": "20"}, "code": "57"},
            {"name": "mag", "when": {"entry_mode": "02"}, "code": "62"},
            {"name": "no-exp", "when": {"lacks": [14], "has": [2]}, "code": "14"},
            {"name": "f48", "when": {"fields": {"48": {"prefix": "VIP"}}}, "code": "91"},
            {"name": "rev", "when": {"mti": "04x0"}, "action": "drop"},
            {"name": "merchant", "when": {"merchant": "M1"}, "action": "close"}
        ]}"#);
        fn base(amount: &'static str, pan: &'static str) -> Vec<(u16, &'static str)> {
            vec![
                (2, pan),
                (3, "000000"),
                (4, amount),
                (14, "2812"),
                (22, "051"),
                (41, "T0000001"),
                (49, "156"),
            ]
        }
        let cases: Vec<(Decoded, &str, Option<&str>)> = vec![
            (
                req("0200", &base("000000001051", "4111111111111111")),
                "51",
                Some("ends51"),
            ),
            (
                req("0200", &base("000000001052", "6221260000000001")),
                "05",
                Some("bin"),
            ),
            (
                req("0200", &base("000000001052", "4761739001010119")),
                "54",
                Some("suffix"),
            ),
            (
                req("0200", &base("000000001052", "5761739001010119")),
                "00",
                None,
            ),
            (
                req("0100", &base("000000150000", "4111111111111111")),
                "61",
                Some("range"),
            ),
            (
                req("0200", &base("000000015554", "4111111111111111")),
                "13",
                Some("div"),
            ),
            (
                req("0200", &[(3, "200000"), (4, "000000000100"), (14, "2812")]),
                "57",
                Some("refund"),
            ),
            (
                req("0200", &[(3, "000000"), (22, "021"), (14, "2812")]),
                "62",
                Some("mag"),
            ),
            (
                req("0200", &[(2, "4111111111111112"), (3, "000000")]),
                "14",
                Some("no-exp"),
            ),
            (
                req("0200", &[(14, "2812"), (48, "VIP-7")]),
                "91",
                Some("f48"),
            ),
            (req("0200", &[(14, "2812"), (48, "vip-7")]), "00", None),
            (
                req("0200", &[(14, "2812"), (41, "T0000009 "), (49, "978")]),
                "58",
                Some("term"),
            ),
            (
                req("0200", &[(14, "2812"), (41, "T0000009"), (49, "156")]),
                "00",
                None,
            ),
        ];
        for (r, code, rule) in cases {
            let (c, a, n) = decide(&rs, &r);
            assert_eq!((c.as_str(), n.as_deref()), (code, rule), "{:?}", r.values);
            assert_eq!(a, Action::Respond);
        }
        // A rule without `mti` leaves reversals and network management alone.
        let rev = req("0400", &base("000000001051", "4111111111111111"));
        assert_eq!(decide(&rs, &rev).1, Action::Drop);
        let nm = req("0800", &[(42, "M1")]);
        assert_eq!(decide(&rs, &nm), ("00".to_string(), Action::Respond, None));
        let fin = req("0200", &[(14, "2812"), (42, "M1")]);
        assert_eq!(decide(&rs, &fin).1, Action::Close);
    }

    #[test]
    fn every_nth_and_probability() {
        let rs = set(
            r#"{"rules": [{"when": {"mti": "0200"}, "every_nth": 3, "code": "91"},
                                   {"when": {"mti": "0100"}, "probability": 0, "code": "91"},
                                   {"when": {"mti": "0100"}, "probability": 1, "code": "96"}]}"#,
        );
        let r = req("0200", &[]);
        let codes: Vec<String> = (0..6).map(|_| decide(&rs, &r).0).collect();
        assert_eq!(codes, ["00", "00", "91", "00", "00", "91"]);
        assert_eq!(decide(&rs, &req("0100", &[])).0, "96");
    }

    #[test]
    fn defaults_and_delays() {
        let rs = set(r#"{"default": {"code": "05", "delay": "5ms"},
                         "rules": [{"when": {"mti": "0800"}, "code": "00", "delay": "uniform:1ms..2ms"}]}"#);
        let d = rs.decide(&req("0200", &[]));
        assert_eq!((d.code, d.delay), ("05", Some(&Delay::Fixed(5.0))));
        let d = rs.decide(&req("0800", &[]));
        assert_eq!(d.delay, Some(&Delay::Uniform(1.0, 2.0)));
    }

    #[test]
    fn errors_name_line_and_rule() {
        let e = err(
            "{\"rules\": [\n  {\"code\": \"00\"},\n  {\"name\": \"x\",\n   \"code\": \"Q9\"}\n]}",
        );
        assert!(
            e.starts_with("rules.json: line 3: rule 2 (\"x\"): code \"Q9\""),
            "{e}"
        );
        let e = err("{\"rules\": [\n {\"whn\": {}}\n]}");
        assert!(
            e.contains("line 2") && e.contains("unknown field `whn`"),
            "{e}"
        );
        let e = err(r#"{"rules": [{"when": {"pan": {"regex": "("}}}]}"#);
        assert!(e.contains("regex \"(\" is not valid"), "{e}");
        let e = err(r#"{"rules": [{"when": {"amount": {"ends_with": "5x"}}}]}"#);
        assert!(e.contains("must be digits"), "{e}");
        let e = err(r#"{"rules": [{"action": "explode"}]}"#);
        assert!(e.contains("unknown variant `explode`"), "{e}");
        let e = err(r#"{"rules": [{"action": "drop", "code": "05"}]}"#);
        assert!(e.contains("sends no answer"), "{e}");
        let e = err(r#"{"rules": [{"fields": {"200": "x"}}]}"#);
        assert!(e.contains("no field 200"), "{e}");
        let e = err(r#"{"rules": [{"fields": {"4": "12ab"}}]}"#);
        assert!(e.contains("fields.4"), "{e}");
        let e = err(r#"{"rules": [{"delay": "soon"}]}"#);
        assert!(e.contains("delay"), "{e}");
        let e = err(r#"{"rules": [{"every_nth": 0}]}"#);
        assert!(e.contains("every_nth"), "{e}");
        let e = err("{\"rules\": [\n");
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn rule_lines_follow_nesting_and_strings() {
        let text = "{\"x\": {\"rules\": [{}]},\n \"rules\": [\n {\"name\": \"[{\"},\n\n {}]}";
        assert_eq!(rule_lines(text), (vec![3, 5], None));
        let e = err("{\"rules\": [],\n \"default\": {\"delay\": \"fixed:m:2ms\"}}");
        assert!(e.starts_with("rules.json: line 2: default: delay"), "{e}");
    }
}
