//! `--where` filters: `39!=00`, `latency_ms>2000`, `41=T0000009`, `mti~^04`, `!38`.
//!
//! A filter is one or more conditions, all of which must hold. A condition names a field by
//! number (`39`, `2`, `128`) or a record attribute (`mti`, `code` for 39, `category`,
//! `latency_ms`, `dir`, `ts`, `spec`, `src`, `dst`, `packet`, `line`), then an operator and a
//! value: `=` `!=` (text, or numbers when both sides are numbers), `>` `>=` `<` `<=` (numbers;
//! text order when either side is not a number), `~` `!~` (a regular expression). `NAME` alone
//! holds when the message has it, `!NAME` when it does not. A condition on something the
//! message does not have is false, so `39!=00` picks the responses that were not approved.

use std::borrow::Cow;
use std::fmt;

/// What a condition looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A data element by number.
    Field(u16),
    /// A record attribute by name.
    Attr(&'static str),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Field(n) => write!(f, "{n}"),
            Subject::Attr(a) => write!(f, "{a}"),
        }
    }
}

/// The attributes a condition may name.
pub const ATTRS: &[&str] = &[
    "mti",
    "code",
    "category",
    "latency_ms",
    "dir",
    "ts",
    "spec",
    "src",
    "dst",
    "packet",
    "line",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Match,
    NoMatch,
    Present,
    Absent,
}

#[derive(Clone, Debug)]
struct Cond {
    subject: Subject,
    op: Op,
    value: String,
    regex: Option<regex::Regex>,
}

/// A parsed filter: every condition must hold.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    conds: Vec<Cond>,
}

fn subject(name: &str, whole: &str) -> Result<Subject, String> {
    let name = name.trim();
    if let Ok(n) = name.parse::<u16>() {
        if (1..=192).contains(&n) {
            return Ok(Subject::Field(n));
        }
        return Err(format!(
            "--where {whole:?}: field {n} does not exist (fields are 1 to 192)"
        ));
    }
    match ATTRS.iter().find(|a| **a == name) {
        Some(a) => Ok(Subject::Attr(a)),
        None => Err(format!(
            "--where {whole:?}: {name:?} is neither a field number nor one of {}",
            ATTRS.join(", ")
        )),
    }
}

impl Filter {
    /// Parse one `--where` argument (conditions may also be joined with `&&`).
    pub fn parse(text: &str) -> Result<Filter, String> {
        let mut f = Filter::default();
        f.add(text)?;
        Ok(f)
    }

    /// The conditions of several `--where` arguments, all of which must hold.
    pub fn all(args: &[String]) -> Result<Filter, String> {
        let mut f = Filter::default();
        for a in args {
            f.add(a)?;
        }
        Ok(f)
    }

    /// Add the conditions of another `--where` argument.
    pub fn add(&mut self, text: &str) -> Result<(), String> {
        for part in text.split("&&") {
            self.conds.push(Self::cond(part.trim(), text)?);
        }
        Ok(())
    }

    fn cond(part: &str, whole: &str) -> Result<Cond, String> {
        if part.is_empty() {
            return Err(format!(
                "--where {whole:?}: empty condition; write e.g. 39!=00 or latency_ms>2000"
            ));
        }
        // Two-character operators first.
        const OPS: [(&str, Op); 8] = [
            ("!=", Op::Ne),
            (">=", Op::Ge),
            ("<=", Op::Le),
            ("!~", Op::NoMatch),
            ("=", Op::Eq),
            (">", Op::Gt),
            ("<", Op::Lt),
            ("~", Op::Match),
        ];
        let found = OPS
            .iter()
            .filter_map(|(s, op)| part.find(s).map(|i| (i, s.len(), *op)))
            .min_by_key(|(i, len, _)| (*i, usize::MAX - len));
        let Some((i, len, op)) = found else {
            let (name, op) = match part.strip_prefix('!') {
                Some(n) => (n, Op::Absent),
                None => (part, Op::Present),
            };
            return Ok(Cond {
                subject: subject(name, whole)?,
                op,
                value: String::new(),
                regex: None,
            });
        };
        let subject = subject(&part[..i], whole)?;
        let value = part[i + len..].trim().to_string();
        let regex = match op {
            Op::Match | Op::NoMatch => Some(regex::Regex::new(&value).map_err(|e| {
                format!("--where {whole:?}: {value:?} is not a regular expression ({e})")
            })?),
            _ => None,
        };
        if matches!(op, Op::Gt | Op::Ge | Op::Lt | Op::Le) && value.is_empty() {
            return Err(format!("--where {whole:?}: nothing to compare with"));
        }
        Ok(Cond {
            subject,
            op,
            value,
            regex,
        })
    }

    /// True when there are no conditions.
    pub fn is_empty(&self) -> bool {
        self.conds.is_empty()
    }

    /// The conditions' subjects, for callers that compute attributes only when asked.
    pub fn subjects(&self) -> impl Iterator<Item = &Subject> {
        self.conds.iter().map(|c| &c.subject)
    }

    /// Whether a message holds every condition; `get` gives a subject's value, if it has one.
    pub fn matches<'a>(&self, get: impl Fn(&Subject) -> Option<Cow<'a, str>>) -> bool {
        self.conds.iter().all(|c| {
            let v = get(&c.subject);
            let Some(v) = v else {
                return c.op == Op::Absent;
            };
            let v = v.trim();
            let num = || Some((v.parse::<f64>().ok()?, c.value.parse::<f64>().ok()?));
            let order = || match num() {
                Some((a, b)) => a.partial_cmp(&b),
                None => Some(v.cmp(c.value.as_str())),
            };
            use std::cmp::Ordering::*;
            match c.op {
                Op::Present => true,
                Op::Absent => false,
                Op::Eq => num().map_or(v == c.value, |(a, b)| a == b),
                Op::Ne => num().map_or(v != c.value, |(a, b)| a != b),
                Op::Gt => order() == Some(Greater),
                Op::Ge => matches!(order(), Some(Greater | Equal)),
                Op::Lt => order() == Some(Less),
                Op::Le => matches!(order(), Some(Less | Equal)),
                Op::Match => c.regex.as_ref().is_some_and(|r| r.is_match(v)),
                Op::NoMatch => c.regex.as_ref().is_some_and(|r| !r.is_match(v)),
            }
        })
    }
}

/// The value a subject has in a decoded message read as `frame` (with `spec`, when one
/// decoded it): what the commands that take `--where` look up.
pub fn value_of<'a>(
    s: &Subject,
    frame: &'a crate::input::Frame,
    spec: Option<&'a crate::codec::Spec>,
    dec: &'a crate::codec::Decoded,
) -> Option<Cow<'a, str>> {
    let owned = |v: String| Some(Cow::Owned(v));
    match s {
        Subject::Field(n) => dec.get(*n).map(Cow::Borrowed),
        Subject::Attr("mti") => (!dec.mti().is_empty()).then(|| Cow::Borrowed(dec.mti())),
        Subject::Attr("code") => dec.get(39).map(Cow::Borrowed),
        Subject::Attr("category") => {
            let code = dec.get(39)?;
            let cat = crate::glossary::response_code(spec?.dialect, code)
                .map_or("unknown", |r| r.category.as_str());
            owned(cat.to_string())
        }
        Subject::Attr("latency_ms") => owned(frame.latency_ms?.to_string()),
        Subject::Attr("dir") => frame.dir.as_deref().map(Cow::Borrowed),
        Subject::Attr("ts") => frame.ts.as_deref().map(Cow::Borrowed),
        Subject::Attr("spec") => spec.map(|s| Cow::Borrowed(s.name.as_str())),
        Subject::Attr("src") => owned(frame.flow?.0.to_string()),
        Subject::Attr("dst") => owned(frame.flow?.1.to_string()),
        Subject::Attr("packet") => owned(frame.packet?.to_string()),
        Subject::Attr("line") => owned(frame.line?.to_string()),
        Subject::Attr(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec<'a>(pairs: &'a [(&str, &'a str)]) -> impl Fn(&Subject) -> Option<Cow<'a, str>> {
        move |s| {
            let name = s.to_string();
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| Cow::Borrowed(*v))
        }
    }

    #[test]
    fn conditions() {
        let approved = [("mti", "0210"), ("39", "00"), ("latency_ms", "150")];
        let declined = [("mti", "0210"), ("39", "51"), ("latency_ms", "2500")];
        let request = [("mti", "0200"), ("41", "T0000009 ")];
        let f = Filter::parse("39!=00").unwrap();
        assert!(!f.matches(rec(&approved)));
        assert!(f.matches(rec(&declined)));
        assert!(!f.matches(rec(&request)), "no 39: not picked");
        let f = Filter::parse("latency_ms>2000").unwrap();
        assert!(f.matches(rec(&declined)) && !f.matches(rec(&approved)));
        // Numbers compare as numbers: 150 < 1000 although "150" > "1000" as text.
        assert!(
            Filter::parse("latency_ms<1000")
                .unwrap()
                .matches(rec(&approved))
        );
        assert!(Filter::parse("41=T0000009").unwrap().matches(rec(&request)));
        assert!(Filter::parse("mti~^02.0$").unwrap().matches(rec(&request)));
        assert!(Filter::parse("!39").unwrap().matches(rec(&request)));
        assert!(Filter::parse("39").unwrap().matches(rec(&approved)));
        let mut f = Filter::parse("mti=0210").unwrap();
        f.add("39!=00 && latency_ms>=2500").unwrap();
        assert!(f.matches(rec(&declined)) && !f.matches(rec(&approved)));
    }

    #[test]
    fn bad_filters_say_what_is_wrong() {
        assert!(Filter::parse("200=1").unwrap_err().contains("1 to 192"));
        assert!(
            Filter::parse("amount>5")
                .unwrap_err()
                .contains("latency_ms")
        );
        assert!(
            Filter::parse("mti~(")
                .unwrap_err()
                .contains("regular expression")
        );
        assert!(Filter::parse("39>").unwrap_err().contains("compare"));
        assert!(Filter::parse("").unwrap_err().contains("empty"));
    }
}
