//! Expressions in suite values: `{name}` a variable (the case's, its data row's, the suite's),
//! `{stan}` the next trace number of the message's terminal (field 41), `{rrn}` a fresh
//! retrieval reference number, `{now:MMddhhmmss}` the time (UTC; `YYYY YY MM dd hh mm ss`),
//! `{random:n6}` six random digits (`a` letters, `an` letters and digits, `h` hex),
//! `{STEP.request.N}` / `{STEP.response.N}` field N of an earlier step of the case,
//! `{totals.N}` field N of a settlement request (48 for CUP; 74–77, 86–89, 97 for ISO) from
//! what the host approved for the message's terminal in the cases run before (see
//! [`crate::host::batch`]).
//! `{{` and `}}` are literal braces.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rand::RngExt;

use crate::host::clock::civil;

/// Counters shared by every case of a run: trace numbers per terminal, RRNs, and the batch
/// totals of what the host approved.
#[derive(Debug)]
pub struct Counters {
    pub book: Mutex<crate::host::batch::Book>,
    stan: Mutex<HashMap<String, u32>>,
    /// Where a terminal's trace numbers start (so that runs a second apart do not repeat them
    /// to a host that checks for duplicates).
    stan_start: u32,
    rrn: AtomicU64,
}

impl Counters {
    /// Trace numbers start at `stan_start` (1 to 999999) for every terminal.
    pub fn new(stan_start: u32) -> Counters {
        Counters {
            book: Mutex::default(),
            stan: Mutex::default(),
            stan_start: stan_start.clamp(1, 999_999),
            rrn: AtomicU64::new(1),
        }
    }

    /// The next trace number of `terminal`, six digits, wrapping after 999999 to 000001.
    pub fn next_stan(&self, terminal: &str) -> String {
        let mut m = self.stan.lock().unwrap_or_else(|e| e.into_inner());
        let n = m.entry(terminal.to_string()).or_insert(self.stan_start - 1);
        *n = if *n >= 999_999 { 1 } else { *n + 1 };
        format!("{:06}", *n)
    }

    fn next_rrn(&self, now_ms: u64) -> String {
        let n = self.rrn.fetch_add(1, Ordering::Relaxed) % 1_000_000;
        let secs = now_ms / 1000;
        // yDDDhh + a 6-digit counter, as acquirers commonly build field 37.
        let days = (secs / 86_400) as i64;
        let (y, _, _) = civil(days);
        let jan1 = crate::host::clock::days_from_civil(y, 1, 1);
        let ddd = days - jan1 + 1;
        format!("{}{ddd:03}{:02}{n:06}", y % 10, (secs / 3600) % 24)
    }
}

/// What earlier steps of a case sent and got, by step name: field → value.
#[derive(Debug, Default, Clone)]
pub struct StepValues {
    pub request: BTreeMap<u16, String>,
    pub response: Option<BTreeMap<u16, String>>,
}

/// What expressions are expanded against.
pub struct Context<'a> {
    pub vars: &'a BTreeMap<String, String>,
    pub suite_vars: &'a BTreeMap<String, String>,
    pub steps: &'a BTreeMap<String, StepValues>,
    pub counters: &'a Counters,
    /// The message's trace number, once drawn (one per message, however often it is named).
    pub stan: Option<String>,
    pub terminal: String,
    pub now_ms: u64,
}

/// Split `text` into literal runs and `{expressions}`.
fn parts(text: &str) -> Result<Vec<(bool, String)>, String> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let mut e = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => e.push(c),
                        None => return Err(format!("{text:?}: '{{' without its '}}'")),
                    }
                }
                if !lit.is_empty() {
                    out.push((false, std::mem::take(&mut lit)));
                }
                out.push((true, e.trim().to_string()));
            }
            '}' => {
                return Err(format!(
                    "{text:?}: '}}' without its '{{' (write '}}}}' for a brace)"
                ));
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        out.push((false, lit));
    }
    Ok(out)
}

/// Whether every expression of `text` names something: a builtin, one of `vars`, or a field
/// of one of `steps` (the steps before this one).
pub fn validate(text: &str, vars: &[String], steps: &[String]) -> Result<(), String> {
    for (is_expr, e) in parts(text)? {
        if !is_expr {
            continue;
        }
        if e == "stan" || e == "rrn" || vars.contains(&e) {
            continue;
        }
        if let Some(f) = e.strip_prefix("now:") {
            time(f, 0)?;
            continue;
        }
        if let Some(k) = e.strip_prefix("random:") {
            random_spec(k)?;
            continue;
        }
        if let Some(n) = e.strip_prefix("totals.") {
            totals_field(n)?;
            continue;
        }
        if let Some((step, which, field)) = step_ref(&e) {
            if !steps.iter().any(|s| s == step) {
                return Err(format!(
                    "{{{e}}}: no earlier step named {step:?} in this case"
                ));
            }
            if !matches!(which, "request" | "response") || field.parse::<u16>().is_err() {
                return Err(format!(
                    "{{{e}}}: write {{STEP.request.N}} or {{STEP.response.N}}"
                ));
            }
            continue;
        }
        return Err(format!(
            "{{{e}}}: not a variable of the suite or the case, nor stan, rrn, now:FORMAT, random:n6, totals.N or STEP.response.N"
        ));
    }
    Ok(())
}

/// The field of `{totals.N}`.
fn totals_field(n: &str) -> Result<u16, String> {
    match n.parse::<u16>() {
        Ok(id @ (48 | 74..=77 | 86..=89 | 97)) => Ok(id),
        _ => Err(format!(
            "{{totals.{n}}}: the totals fill field 48 (CUP) or 74-77, 86-89, 97 (ISO 8583)"
        )),
    }
}

fn step_ref(e: &str) -> Option<(&str, &str, &str)> {
    let (rest, field) = e.rsplit_once('.')?;
    let (step, which) = rest.rsplit_once('.')?;
    Some((step, which, field))
}

fn random_spec(k: &str) -> Result<(&'static str, usize), String> {
    let (set, n) = if let Some(n) = k.strip_prefix("an") {
        (
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
            n,
        )
    } else if let Some(n) = k.strip_prefix('a') {
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", n)
    } else if let Some(n) = k.strip_prefix('n') {
        ("0123456789", n)
    } else if let Some(n) = k.strip_prefix('h') {
        ("0123456789ABCDEF", n)
    } else {
        return Err(format!(
            "random:{k}: write random:n6 (digits), a8 (letters), an8, h16 (hex)"
        ));
    };
    let n: usize = n
        .parse()
        .ok()
        .filter(|n| (1..=999).contains(n))
        .ok_or_else(|| format!("random:{k}: the length must be 1 to 999"))?;
    Ok((set, n))
}

/// `ms` (since the epoch) in `fmt` (tokens YYYY YY MM dd hh mm ss; other characters kept).
fn time(fmt: &str, ms: u64) -> Result<String, String> {
    let secs = ms / 1000;
    let (y, mo, d) = civil((secs / 86_400) as i64);
    let (h, mi, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
    let mut out = String::new();
    let mut rest = fmt;
    while !rest.is_empty() {
        let (tok, len) = [
            ("YYYY", format!("{y:04}")),
            ("YY", format!("{:02}", y % 100)),
            ("MM", format!("{mo:02}")),
            ("dd", format!("{d:02}")),
            ("hh", format!("{h:02}")),
            ("mm", format!("{mi:02}")),
            ("ss", format!("{s:02}")),
        ]
        .into_iter()
        .find(|(t, _)| rest.starts_with(t))
        .map(|(t, v)| (v, t.len()))
        .unwrap_or_else(|| {
            let c = rest.chars().next().unwrap_or(' ');
            (c.to_string(), c.len_utf8())
        });
        if len == 1
            && tok
                .chars()
                .all(|c| c.is_ascii_alphabetic() && c != 'T' && c != 'Z')
        {
            return Err(format!(
                "now:{fmt}: {tok:?} is not one of YYYY YY MM dd hh mm ss"
            ));
        }
        out.push_str(&tok);
        rest = &rest[len..];
    }
    Ok(out)
}

/// `text` with only its variable expressions filled in (for case names from data rows).
pub fn fill_vars(text: &str, vars: &BTreeMap<String, String>) -> String {
    let Ok(ps) = parts(text) else {
        return text.to_string();
    };
    ps.into_iter()
        .map(|(is_expr, e)| match (is_expr, vars.get(&e)) {
            (true, Some(v)) => v.clone(),
            (true, None) => format!("{{{e}}}"),
            (false, _) => e,
        })
        .collect()
}

impl Context<'_> {
    /// `text` with its expressions expanded.
    pub fn expand(&mut self, text: &str) -> Result<String, String> {
        let mut out = String::new();
        for (is_expr, e) in parts(text)? {
            if !is_expr {
                out.push_str(&e);
                continue;
            }
            let v = if let Some(v) = self.vars.get(&e).or_else(|| self.suite_vars.get(&e)) {
                v.clone()
            } else if e == "stan" {
                let counters = self.counters;
                let terminal = self.terminal.clone();
                self.stan
                    .get_or_insert_with(|| counters.next_stan(&terminal))
                    .clone()
            } else if e == "rrn" {
                self.counters.next_rrn(self.now_ms)
            } else if let Some(f) = e.strip_prefix("now:") {
                time(f, self.now_ms)?
            } else if let Some(k) = e.strip_prefix("random:") {
                let (set, n) = random_spec(k)?;
                let mut rng = rand::rng();
                (0..n)
                    .map(|_| set.as_bytes()[rng.random_range(0..set.len())] as char)
                    .collect()
            } else if let Some(n) = e.strip_prefix("totals.") {
                let id = totals_field(n)?;
                let book = self.counters.book.lock().unwrap_or_else(|p| p.into_inner());
                book.batch(&self.terminal)
                    .field(id)
                    .ok_or_else(|| format!("{{{e}}}: unknown"))?
            } else if let Some((step, which, field)) = step_ref(&e) {
                let values = self
                    .steps
                    .get(step)
                    .ok_or_else(|| format!("{{{e}}}: step {step:?} has not run"))?;
                let id: u16 = field.parse().map_err(|_| format!("{{{e}}}: bad field"))?;
                let map = match which {
                    "request" => Some(&values.request),
                    _ => values.response.as_ref(),
                };
                map.and_then(|m| m.get(&id)).cloned().ok_or_else(|| {
                    format!("{{{e}}}: step {step:?} has no field {id} in its {which}")
                })?
            } else {
                return Err(format!("{{{e}}}: unknown"));
            };
            out.push_str(&v);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_expand() {
        let vars: BTreeMap<String, String> = [("amount".to_string(), "1000".to_string())].into();
        let suite_vars = BTreeMap::new();
        let mut steps = BTreeMap::new();
        steps.insert(
            "signon".to_string(),
            StepValues {
                request: BTreeMap::new(),
                response: Some([(62u16, "ABCD".to_string())].into()),
            },
        );
        let counters = Counters::new(41);
        let mut cx = Context {
            vars: &vars,
            suite_vars: &suite_vars,
            steps: &steps,
            counters: &counters,
            stan: None,
            terminal: "T1".into(),
            now_ms: 1_795_651_200_123, // 2026-11-26T00:00:00.123Z
        };
        assert_eq!(cx.expand("{amount}").unwrap(), "1000");
        assert_eq!(cx.expand("{stan}/{stan}").unwrap(), "000041/000041");
        assert_eq!(cx.expand("{now:MMddhhmmss}").unwrap(), "1126000000");
        assert_eq!(cx.expand("{now:YYYY-MM-dd}").unwrap(), "2026-11-26");
        assert_eq!(cx.expand("{signon.response.62}").unwrap(), "ABCD");
        assert_eq!(cx.expand("{{x}}").unwrap(), "{x}");
        assert_eq!(cx.expand("{random:n6}").unwrap().len(), 6);
        assert!(
            cx.expand("{random:n6}")
                .unwrap()
                .bytes()
                .all(|b| b.is_ascii_digit())
        );
        assert_eq!(cx.expand("{rrn}").unwrap(), "633000000001");
        assert_eq!(counters.next_stan("T1"), "000042");
        assert_eq!(counters.next_stan("T2"), "000041");
        assert!(validate("{nope}", &[], &[]).is_err());
        assert!(
            validate("{x.response.39}", &[], &[])
                .unwrap_err()
                .contains("no earlier step")
        );
        assert!(validate("{now:MMQQ}", &[], &[]).is_err());
        assert!(validate("{stan}{rrn}{now:hhmmss}{random:an4}", &[], &[]).is_ok());
        assert!(validate("{totals.48}{totals.97}", &[], &[]).is_ok());
        assert!(
            validate("{totals.4}", &[], &[])
                .unwrap_err()
                .contains("74-77, 86-89, 97")
        );
        // Totals are the terminal's approvals so far.
        let approved = crate::host::batch::Txn::of(
            "0200",
            |id| match id {
                3 => Some("000000"),
                4 => Some("000000001000"),
                11 => Some("000001"),
                41 => Some("T1"),
                _ => None,
            },
            None,
        );
        counters.book.lock().unwrap().answered(&approved, true);
        assert_eq!(
            cx.expand("{totals.76}/{totals.88}").unwrap(),
            "0000000001/0000000000001000"
        );
        cx.terminal = "T2".into();
        assert_eq!(cx.expand("{totals.76}").unwrap(), "0000000000");
    }
}
