//! Domain knowledge: what codes mean. Data lives in `data/*.csv`, compiled in.

pub mod coded;
pub mod emv;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::codec::Dialect;

/// One response (or action) code.
#[derive(Clone, Debug, Serialize)]
pub struct ResponseCode {
    /// The code as sent in field 39.
    pub code: String,
    /// Meaning in English.
    pub meaning: String,
    /// Meaning in Chinese (CUP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning_zh: Option<String>,
    /// approved, refer, decline, pickup, error or retry.
    pub category: String,
    /// Whether the identical request may succeed later.
    pub retryable: bool,
    /// What the merchant or terminal should do.
    pub action: String,
    /// CUP handling class A-E.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cup_class: Option<String>,
    /// What a CUP terminal displays.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_zh: Option<String>,
}

fn load(text: &str, cup: bool) -> HashMap<String, ResponseCode> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().cloned().unwrap_or_default();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (c_code, c_cat, c_retry, c_action) = (
        col("code"),
        col("category"),
        col("retryable"),
        col("merchant_action"),
    );
    let c_mean = if cup {
        col("meaning_en")
    } else {
        col("meaning")
    };
    let (c_zh, c_class, c_disp) = (col("meaning_zh"), col("cup_class"), col("pos_display_zh"));
    let mut map = HashMap::new();
    for rec in rdr.records().flatten() {
        let get = |c: Option<usize>| c.and_then(|i| rec.get(i)).unwrap_or("").to_string();
        let opt = |c: Option<usize>| {
            c.and_then(|i| rec.get(i))
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let code = get(c_code);
        map.insert(
            code.clone(),
            ResponseCode {
                code,
                meaning: get(c_mean),
                meaning_zh: opt(c_zh),
                category: get(c_cat),
                retryable: get(c_retry) == "yes",
                action: get(c_action),
                cup_class: opt(c_class),
                display_zh: opt(c_disp),
            },
        );
    }
    map
}

fn table(dialect: Dialect) -> &'static HashMap<String, ResponseCode> {
    static ISO87: OnceLock<HashMap<String, ResponseCode>> = OnceLock::new();
    static ISO93: OnceLock<HashMap<String, ResponseCode>> = OnceLock::new();
    static CUP: OnceLock<HashMap<String, ResponseCode>> = OnceLock::new();
    match dialect {
        Dialect::Iso87 => ISO87.get_or_init(|| {
            load(
                include_str!("../../data/response-codes-iso8583-1987.csv"),
                false,
            )
        }),
        Dialect::Iso93 => ISO93.get_or_init(|| {
            load(
                include_str!("../../data/response-codes-iso8583-1993.csv"),
                false,
            )
        }),
        Dialect::Cup => {
            CUP.get_or_init(|| load(include_str!("../../data/response-codes-cup.csv"), true))
        }
    }
}

static PRIVATE: OnceLock<HashMap<(Option<Dialect>, String), ResponseCode>> = OnceLock::new();

/// Install a private code table (`--codes FILE.csv`, same columns as the built-in tables, plus
/// an optional `dialect` column). Its codes override or extend the built-in ones: of the named
/// dialect, or of every dialect when the row names none. Once per process.
pub fn set_private_codes(csv_text: &str) -> Result<usize, String> {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = rdr.headers().map_err(|e| format!("not CSV: {e}"))?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let c_code = col("code").ok_or("no \"code\" column")?;
    let c_mean = col("meaning")
        .or_else(|| col("meaning_en"))
        .ok_or("no \"meaning\" column")?;
    let (c_cat, c_retry, c_action, c_dialect) = (
        col("category"),
        col("retryable"),
        col("merchant_action"),
        col("dialect"),
    );
    let (c_zh, c_class, c_disp) = (col("meaning_zh"), col("cup_class"), col("pos_display_zh"));
    let mut map = HashMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("row {}: {e}", i + 2))?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim().to_string();
        let opt = |c: Option<usize>| Some(get(c)).filter(|s| !s.is_empty());
        let code = get(Some(c_code));
        if code.is_empty() {
            return Err(format!("row {}: empty code", i + 2));
        }
        let meaning = get(Some(c_mean));
        if meaning.is_empty() {
            return Err(format!("row {}: code {code} has no meaning", i + 2));
        }
        let category = opt(c_cat).unwrap_or_else(|| "decline".into());
        const CATEGORIES: &[&str] = &["approved", "refer", "decline", "pickup", "error", "retry"];
        if !CATEGORIES.contains(&category.as_str()) {
            return Err(format!(
                "row {}: category {category:?} is not one of {}",
                i + 2,
                CATEGORIES.join(", ")
            ));
        }
        let dialect = match opt(c_dialect).as_deref() {
            None => None,
            Some("iso87") => Some(Dialect::Iso87),
            Some("iso93") => Some(Dialect::Iso93),
            Some("cup") => Some(Dialect::Cup),
            Some(other) => {
                return Err(format!(
                    "row {}: dialect {other:?} is not iso87, iso93 or cup",
                    i + 2
                ));
            }
        };
        map.insert(
            (dialect, code.clone()),
            ResponseCode {
                code,
                meaning,
                meaning_zh: opt(c_zh),
                category,
                retryable: get(c_retry) == "yes",
                action: get(c_action),
                cup_class: opt(c_class),
                display_zh: opt(c_disp),
            },
        );
    }
    let n = map.len();
    PRIVATE
        .set(map)
        .map_err(|_| "a private code table is already installed".to_string())?;
    Ok(n)
}

/// Look up a response code: a private table first (`--codes`), then the dialect's table.
pub fn response_code(dialect: Dialect, code: &str) -> Option<&'static ResponseCode> {
    if let Some(p) = PRIVATE.get() {
        let key = |d| (d, code.to_string());
        if let Some(r) = p.get(&key(Some(dialect))).or_else(|| p.get(&key(None))) {
            return Some(r);
        }
    }
    table(dialect).get(code)
}

/// Whether `code` comes from the private table.
pub fn is_private(dialect: Dialect, code: &str) -> bool {
    PRIVATE.get().is_some_and(|p| {
        p.contains_key(&(Some(dialect), code.to_string()))
            || p.contains_key(&(None, code.to_string()))
    })
}

/// Every code of a dialect (private codes included), sorted.
pub fn response_codes(dialect: Dialect) -> Vec<&'static ResponseCode> {
    let mut codes: Vec<&String> = table(dialect).keys().collect();
    if let Some(p) = PRIVATE.get() {
        codes.extend(
            p.keys()
                .filter(|(d, _)| d.is_none() || *d == Some(dialect))
                .map(|(_, c)| c),
        );
    }
    codes.sort();
    codes.dedup();
    codes
        .into_iter()
        .filter_map(|c| response_code(dialect, c))
        .collect()
}

/// Plain-words meaning of an MTI, e.g. `0210` → "Financial response".
pub fn mti_meaning(mti: &str) -> Option<&'static str> {
    static TABLE: OnceLock<Vec<Option<String>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| (0..10000).map(|n| mti_words(&format!("{n:04}"))).collect());
    let b = mti.as_bytes();
    if b.len() != 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = b.iter().fold(0usize, |n, d| n * 10 + (d - b'0') as usize);
    table[n].as_deref()
}

/// The four digits of an MTI, each named: version, class, function, origin.
pub fn mti_parts(mti: &str) -> Option<[(&'static str, char, &'static str); 4]> {
    let d: Vec<char> = mti.chars().collect();
    if d.len() != 4 || !d.iter().all(char::is_ascii_digit) {
        return None;
    }
    let version = match d[0] {
        '0' => "ISO 8583:1987",
        '1' => "ISO 8583:1993",
        '2' => "ISO 8583:2003",
        '8' => "reserved for national use",
        '9' => "reserved for private use",
        _ => "reserved by ISO",
    };
    let class = match d[1] {
        '1' => "authorization",
        '2' => "financial",
        '3' => "file actions",
        '4' => "reversal and chargeback",
        '5' => "reconciliation",
        '6' => "administrative",
        '7' => "fee collection",
        '8' => "network management",
        _ => "reserved by ISO",
    };
    let function = match d[2] {
        '0' => "request",
        '1' => "request response",
        '2' => "advice",
        '3' => "advice response",
        '4' => "notification",
        '5' => "notification acknowledgement",
        '6' => "instruction",
        '7' => "instruction acknowledgement",
        '8' => "response acknowledgement",
        _ => "negative acknowledgement",
    };
    let origin = match d[3] {
        '0' => "acquirer",
        '1' => "acquirer repeat",
        '2' => "issuer",
        '3' => "issuer repeat",
        '4' => "other",
        '5' => "other repeat",
        _ => "reserved by ISO",
    };
    Some([
        ("version", d[0], version),
        ("class", d[1], class),
        ("function", d[2], function),
        ("origin", d[3], origin),
    ])
}

fn mti_words(mti: &str) -> Option<String> {
    let d: Vec<u8> = mti.bytes().map(|c| c.wrapping_sub(b'0')).collect();
    if d.len() != 4 || d.iter().any(|x| *x > 9) {
        return None;
    }
    let class = match d[1] {
        1 => "Authorization",
        2 => "Financial",
        3 => "File action",
        4 => "Reversal",
        5 => "Reconciliation",
        6 => "Administrative",
        7 => "Fee collection",
        8 => "Network management",
        _ => return None,
    };
    let function = match d[2] {
        0 => "request",
        1 => "response",
        2 => "advice",
        3 => "advice response",
        4 => "notification",
        5 => "notification acknowledgement",
        6 => "instruction",
        7 => "instruction acknowledgement",
        8 => "response acknowledgement",
        9 => "negative acknowledgement",
        _ => return None,
    };
    let origin = match d[3] {
        0 => "",
        1 => " (repeat)",
        2 => " from issuer",
        3 => " from issuer (repeat)",
        4 => " from other",
        5 => " from other (repeat)",
        _ => " (private origin)",
    };
    Some(format!("{class} {function}{origin}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_from_each_table() {
        let c = response_code(Dialect::Iso87, "51").unwrap();
        assert_eq!(c.category, "decline");
        assert!(!c.retryable);
        assert!(response_code(Dialect::Iso93, "116").is_some());
        let a0 = response_code(Dialect::Cup, "A0").unwrap();
        assert!(
            a0.meaning_zh.as_deref().unwrap_or("").contains("MAC") || a0.meaning.contains("MAC")
        );
        for d in [Dialect::Iso87, Dialect::Iso93, Dialect::Cup] {
            assert!(response_codes(d).iter().all(|c| !c.meaning.is_empty()));
        }
    }

    #[test]
    fn mti_words() {
        assert_eq!(mti_meaning("0210"), Some("Financial response"));
        assert_eq!(mti_meaning("0401"), Some("Reversal request (repeat)"));
        assert_eq!(mti_meaning("0800"), Some("Network management request"));
        assert_eq!(mti_meaning("02X0"), None);
    }
}
