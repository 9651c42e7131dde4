//! An answer against a step's expectations: each failed expectation is one [`Failure`] naming
//! what was checked, what was expected and what came, card data masked.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::Duration;

use crate::codec::{Decoded, Spec};

use super::expand::Context;
use super::{Expect, FieldCheck};

/// One expectation not met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `field 39`, `mti`, `category`, `echo of field 4`, `mac`, `latency`, `answer`, `tpdu`.
    pub what: String,
    pub expected: String,
    pub actual: String,
}

/// The answer a step got.
pub struct Answer<'a> {
    pub dec: &'a Decoded,
    pub latency: Duration,
    /// Whether its MAC verifies, when it has one and a key is known.
    pub mac: Option<bool>,
}

fn shown<'a>(spec: &Spec, id: u16, v: &'a str) -> Cow<'a, str> {
    match spec.field(id as usize) {
        Some(def) => crate::mask::field_value(def, v),
        None => Cow::Borrowed(v),
    }
}

fn fail(
    what: impl Into<String>,
    expected: impl Into<String>,
    actual: impl Into<String>,
) -> Failure {
    Failure {
        what: what.into(),
        expected: expected.into(),
        actual: actual.into(),
    }
}

/// Check `answer` (or its absence after `waited`) against `expect`, for the request whose
/// field values were `sent` (and TPDU `sent_tpdu`). Expressions in expected values are
/// expanded with `cx`.
pub fn check(
    expect: &Expect,
    spec: &Spec,
    sent: &BTreeMap<u16, String>,
    sent_tpdu: Option<&str>,
    answer: Option<&Answer<'_>>,
    waited: Duration,
    cx: &mut Context<'_>,
) -> Vec<Failure> {
    let mut out = Vec::new();
    let Some(a) = answer else {
        if !expect.no_answer {
            out.push(fail(
                "answer",
                format!("an answer within {waited:?}"),
                "none",
            ));
        }
        return out;
    };
    let dec = a.dec;
    if expect.no_answer {
        out.push(fail(
            "answer",
            format!("no answer within {waited:?}"),
            format!(
                "MTI {} with code {}",
                dec.mti(),
                dec.get(39).unwrap_or("(none)")
            ),
        ));
        return out;
    }
    if let Some(m) = &expect.mti
        && dec.mti() != m
    {
        out.push(fail("mti", m.clone(), dec.mti().to_string()));
    }
    if !expect.categories.is_empty() {
        let code = dec.get(39).unwrap_or("");
        let cat = crate::glossary::response_code(spec.dialect, code)
            .map_or("unknown", |r| r.category.as_str());
        let wanted: Vec<String> = expect
            .categories
            .iter()
            .map(|c| {
                cx.expand(c)
                    .unwrap_or_else(|e| format!("(cannot expand: {e})"))
            })
            .collect();
        if !wanted.iter().any(|c| c == cat) {
            let meaning = crate::glossary::response_code(spec.dialect, code)
                .map_or(String::new(), |r| format!(": {}", r.meaning));
            out.push(fail(
                "category",
                wanted.join(" or "),
                format!("{cat} (code {code}{meaning})"),
            ));
        }
    }
    for (id, c) in &expect.fields {
        let got = dec.get(*id);
        let got_shown = got.map_or_else(
            || "(absent)".to_string(),
            |v| shown(spec, *id, v).into_owned(),
        );
        let what = format!("field {id}");
        match c {
            FieldCheck::Equals(t) => match cx.expand(t) {
                Ok(want) => {
                    if got != Some(want.as_str()) {
                        out.push(fail(what, shown(spec, *id, &want).into_owned(), got_shown));
                    }
                }
                Err(e) => out.push(fail(what, format!("(cannot expand: {e})"), got_shown)),
            },
            FieldCheck::Matches(re) => {
                if !got.is_some_and(|v| re.is_match(v)) {
                    out.push(fail(what, format!("matching /{}/", re.as_str()), got_shown));
                }
            }
            FieldCheck::OneOf(list) => {
                if !got.is_some_and(|v| list.iter().any(|x| x == v)) {
                    out.push(fail(what, format!("one of {}", list.join(", ")), got_shown));
                }
            }
            FieldCheck::Absent => {
                if got.is_some() {
                    out.push(fail(what, "absent", got_shown));
                }
            }
            FieldCheck::Present => {
                if got.is_none() {
                    out.push(fail(what, "present", got_shown));
                }
            }
        }
    }
    for id in &expect.echo {
        let want = sent.get(id).map(String::as_str);
        let got = dec.get(*id);
        // Fixed-length fields come back padded as the codec shows them; compare trimmed.
        let same = match (want, got) {
            (Some(w), Some(g)) => w.trim_end() == g.trim_end(),
            (None, None) => true,
            _ => false,
        };
        if !same {
            out.push(fail(
                format!("echo of field {id}"),
                want.map_or_else(
                    || "(absent, not sent)".into(),
                    |v| shown(spec, *id, v).into_owned(),
                ),
                got.map_or_else(|| "(absent)".into(), |v| shown(spec, *id, v).into_owned()),
            ));
        }
    }
    match (expect.mac, a.mac) {
        (Some(true), Some(true)) | (None, None) | (Some(false), None) | (None, Some(true)) => {}
        (Some(true), None) => out.push(fail(
            "mac",
            "a MAC that verifies",
            "no MAC (or no key to check it)",
        )),
        (_, Some(false)) => out.push(fail(
            "mac",
            "a MAC that verifies",
            "a MAC that does not verify",
        )),
        (Some(false), Some(true)) => out.push(fail("mac", "no MAC", "a MAC")),
    }
    if expect.tpdu_swapped {
        let got = dec.framing.as_ref().and_then(|f| f.tpdu.clone());
        let want = sent_tpdu.map(crate::host::respond::swap_tpdu);
        if got.is_none() || got != want {
            out.push(fail(
                "tpdu",
                want.map_or_else(
                    || "(the request had no TPDU)".into(),
                    |w| format!("{w} (addresses swapped)"),
                ),
                got.unwrap_or_else(|| "(none)".into()),
            ));
        }
    }
    if let Some(limit) = expect.latency_under
        && a.latency >= limit
    {
        out.push(fail(
            "latency",
            format!("under {limit:?}"),
            format!("{:.3} ms", a.latency.as_secs_f64() * 1000.0),
        ));
    }
    if let Some(want) = expect.in_balance {
        let got = crate::host::batch::in_balance(spec.dialect, |id| dec.get(id));
        if got != Some(want) {
            let (what_field, shown) = match spec.dialect {
                crate::codec::Dialect::Cup => (48, dec.get(48)),
                crate::codec::Dialect::Iso87 => (66, dec.get(66)),
                crate::codec::Dialect::Iso93 => (39, dec.get(39)),
            };
            out.push(fail(
                "settlement",
                if want { "in balance" } else { "out of balance" },
                match (got, shown) {
                    (Some(true), _) => "in balance".to_string(),
                    (Some(false), Some(v)) => format!("out of balance (field {what_field} {v})"),
                    _ => format!("no reconciliation result (field {what_field} absent)"),
                },
            ));
        }
    }
    out
}
