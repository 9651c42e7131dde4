//! Coded field values (`data/coded-fields.csv`), ISO 4217 currencies and ISO 3166 countries
//! (`data/currencies.csv`, `data/countries.csv`).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::codec::Dialect;

/// An ISO 4217 currency.
#[derive(Clone, Debug)]
pub struct Currency {
    /// Numeric code (`156`).
    pub numeric: String,
    /// Alphabetic code (`CNY`).
    pub alpha: String,
    /// Minor-unit exponent (2 for CNY, 0 for JPY, 3 for BHD).
    pub exponent: u32,
    /// Name.
    pub name: String,
}

/// An ISO 3166 country.
#[derive(Clone, Debug)]
pub struct Country {
    /// Numeric code (`156`).
    pub numeric: String,
    /// Alpha-3 code (`CHN`).
    pub alpha3: String,
    /// Name.
    pub name: String,
}

fn rows(text: &'static str) -> impl Iterator<Item = csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes())
        .into_records()
        .flatten()
}

fn currencies() -> &'static HashMap<String, Currency> {
    static T: OnceLock<HashMap<String, Currency>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = HashMap::new();
        for r in rows(include_str!("../../data/currencies.csv")) {
            let c = Currency {
                numeric: r[0].to_string(),
                alpha: r[1].to_string(),
                exponent: r[2].parse().unwrap_or(2),
                name: r[3].to_string(),
            };
            m.insert(c.alpha.clone(), c.clone());
            m.insert(c.numeric.clone(), c);
        }
        m
    })
}

/// The currency with numeric or alphabetic code `code`.
pub fn currency(code: &str) -> Option<&'static Currency> {
    currencies().get(code)
}

/// The country with numeric code `code`.
pub fn country(code: &str) -> Option<&'static Country> {
    static T: OnceLock<HashMap<String, Country>> = OnceLock::new();
    T.get_or_init(|| {
        rows(include_str!("../../data/countries.csv"))
            .map(|r| {
                (
                    r[0].to_string(),
                    Country {
                        numeric: r[0].to_string(),
                        alpha3: r[2].to_string(),
                        name: r[3].to_string(),
                    },
                )
            })
            .collect()
    })
    .get(code)
}

/// Minor units `amount` (digits) in `currency`, as `123.45 CNY`.
pub fn format_amount(amount: &str, currency: &Currency) -> Option<String> {
    if amount.is_empty() || !amount.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = amount.trim_start_matches('0');
    let e = currency.exponent as usize;
    let padded = format!("{digits:0>width$}", width = e + 1);
    let (int, frac) = padded.split_at(padded.len() - e);
    Some(if e == 0 {
        format!("{int} {}", currency.alpha)
    } else {
        format!("{int}.{frac} {}", currency.alpha)
    })
}

struct Coded {
    dialect: String,
    code: String,
    meaning: String,
}

/// field → code → entries (one per dialect), looked up by `&str` without allocating.
type CodedTable = HashMap<String, HashMap<String, Vec<Coded>>>;

fn coded() -> &'static CodedTable {
    static T: OnceLock<CodedTable> = OnceLock::new();
    T.get_or_init(|| {
        let mut m: CodedTable = HashMap::new();
        for r in rows(include_str!("../../data/coded-fields.csv")) {
            let c = Coded {
                dialect: r[0].to_string(),
                code: r[2].to_string(),
                meaning: r[3].to_string(),
            };
            m.entry(r[1].to_string())
                .or_default()
                .entry(c.code.clone())
                .or_default()
                .push(c);
        }
        m
    })
}

/// Meaning of `value` in a coded field with a fixed table (`25`, `22.1`, `60.1` …), if any.
pub fn coded_meaning(dialect: Dialect, field: &str, value: &str) -> Option<&'static str> {
    // Most fields have no table: a short list scan is cheaper than hashing the name.
    static FIELDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    let fields = FIELDS.get_or_init(|| coded().keys().map(String::as_str).collect());
    if !fields.contains(&field) {
        return None;
    }
    let list = coded().get(field)?.get(value)?;
    list.iter()
        .find(|c| c.dialect == dialect.name())
        .or_else(|| list.iter().find(|c| c.dialect == "any"))
        .map(|c| c.meaning.as_str())
}

/// Meaning of `value` in coded field `field` (`25`, `22.1`, `60.1`, `49`, `19` …) for `dialect`.
pub fn field_meaning(dialect: Dialect, field: &str, value: &str) -> Option<String> {
    match field {
        "49" | "50" | "51" => return currency(value).map(|c| format!("{} ({})", c.alpha, c.name)),
        "19" | "20" | "21" | "68" | "69" => {
            return country(value).map(|c| format!("{} ({})", c.alpha3, c.name));
        }
        _ => {}
    }
    coded_meaning(dialect, field, value).map(str::to_string)
}

/// The coded fields known for `dialect`, as `(field, code, meaning)`.
pub fn coded_fields(dialect: Dialect) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = coded()
        .iter()
        .flat_map(|(field, codes)| codes.values().flatten().map(move |c| (field, c)))
        .filter(|(_, c)| c.dialect == dialect.name() || c.dialect == "any")
        .map(|(f, c)| (f.clone(), c.code.clone(), c.meaning.clone()))
        .collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies_and_amounts() {
        let cny = currency("156").unwrap();
        assert_eq!((cny.alpha.as_str(), cny.exponent), ("CNY", 2));
        assert_eq!(format_amount("000000012345", cny).unwrap(), "123.45 CNY");
        assert_eq!(format_amount("000000000005", cny).unwrap(), "0.05 CNY");
        assert_eq!(
            format_amount("000000001000", currency("392").unwrap()).unwrap(),
            "1000 JPY"
        );
        assert_eq!(
            format_amount("000000001000", currency("048").unwrap()).unwrap(),
            "1.000 BHD"
        );
        assert_eq!(country("156").unwrap().alpha3, "CHN");
    }

    #[test]
    fn coded_values_by_dialect() {
        assert_eq!(
            field_meaning(Dialect::Cup, "60.1", "22").as_deref(),
            Some("Purchase")
        );
        assert_eq!(
            field_meaning(Dialect::Iso87, "25", "08").as_deref(),
            Some("Mail and/or telephone order")
        );
        assert_eq!(
            field_meaning(Dialect::Cup, "25", "06").as_deref(),
            Some("Pre-authorisation related")
        );
        assert_eq!(
            field_meaning(Dialect::Iso93, "3.1", "31").as_deref(),
            Some("Balance inquiry")
        );
        assert_eq!(
            field_meaning(Dialect::Iso87, "49", "840").as_deref(),
            Some("USD (US Dollar)")
        );
    }
}
