//! Masking of card data. Applied by every output path unless the user asks for `--unmask`.

use std::borrow::Cow;

use crate::codec::spec::SubfieldKind;
use crate::codec::{FieldDef, Sensitivity, tlv};
use crate::glossary;

/// Mask a PAN: first six and last four digits kept when the PAN is long enough.
pub fn mask_pan(pan: &str) -> String {
    let n = pan.chars().count();
    if n >= 13 {
        pan.chars()
            .enumerate()
            .map(|(i, c)| if i < 6 || i >= n - 4 { c } else { '*' })
            .collect()
    } else {
        "*".repeat(n)
    }
}

/// Mask a value according to its sensitivity.
pub fn mask<'a>(kind: Option<Sensitivity>, value: &'a str) -> Cow<'a, str> {
    match kind {
        None => Cow::Borrowed(value),
        Some(Sensitivity::Pan) => Cow::Owned(mask_pan(value)),
        Some(Sensitivity::Track) => {
            // Track 2 `PAN=YYMM…` / track 1 `B PAN ^NAME^…`: mask the PAN, hide the rest.
            let sep = value.find(['=', 'D', '^']).unwrap_or(value.len());
            let (pan, rest) = value.split_at(sep);
            let pan = pan.trim_start_matches(['B', 'b', '%', ';']);
            let lead = &value[..value.len() - rest.len() - pan.len()];
            let mut chars = rest.chars();
            let sep = chars.next().map(String::from).unwrap_or_default();
            Cow::Owned(format!(
                "{lead}{}{sep}{}",
                mask_pan(pan),
                "*".repeat(chars.count())
            ))
        }
        Some(Sensitivity::Pin | Sensitivity::Key | Sensitivity::Secret) => {
            Cow::Owned("*".repeat(value.chars().count()))
        }
    }
}

/// How a chip-data tag is masked: the card-data tags like the ISO fields that carry the same
/// data, and every tag the dictionary does not know hidden whole (it may be card data).
pub fn chip_sensitivity(tag: &str) -> Option<Sensitivity> {
    glossary::emv::sensitivity(tag).or_else(|| {
        if glossary::emv::tag(tag).is_some() {
            None
        } else {
            Some(Sensitivity::Secret)
        }
    })
}

/// Chip data (BER-TLV as hex characters, two per byte) with card data masked, failing closed:
/// the values of card-data and unknown tags are masked, and everything from the first byte that
/// does not parse as BER-TLV to the end is hidden (tags and lengths read before it are kept).
/// Text that is not hex at all is hidden whole.
pub fn mask_chip(value: &str) -> Cow<'_, str> {
    let Ok(bytes) = crate::codec::encoding::from_hex(value) else {
        return Cow::Owned("*".repeat(value.chars().count()));
    };
    if value.len() != bytes.len() * 2 {
        return Cow::Owned("*".repeat(value.chars().count()));
    }
    let (objs, err) = tlv::parse(&bytes);
    let mut out: Option<String> = None;
    fn walk(objs: &[tlv::Tlv], value: &str, out: &mut Option<String>) {
        for o in objs {
            if o.constructed {
                walk(&o.children, value, out);
                continue;
            }
            let tag = o.tag_hex();
            let Some(kind) = chip_sensitivity(&tag) else {
                continue;
            };
            let (s, e) = (o.value_offset * 2, (o.value_offset + o.value_len) * 2);
            let Some(v) = value.get(s..e) else { continue };
            let masked = mask(Some(kind), v);
            if masked != v {
                let o = out.get_or_insert_with(|| value.to_string());
                o.replace_range(s..e, &masked);
            }
        }
    }
    walk(&objs, value, &mut out);
    if let Some(err) = err {
        let s = (err.offset * 2).min(value.len());
        let o = out.get_or_insert_with(|| value.to_string());
        let n = o.len() - s;
        o.replace_range(s.., &"*".repeat(n));
    }
    match out {
        Some(o) => Cow::Owned(o),
        None => Cow::Borrowed(value),
    }
}

/// A field's value as it may be shown: masked by its sensitivity, chip data tag by tag.
/// Every output path shows values through this (or `--unmask`).
pub fn field_value<'a>(def: &FieldDef, value: &'a str) -> Cow<'a, str> {
    if def.sensitive.is_some() {
        return mask(def.sensitive, value);
    }
    if def
        .subfields
        .as_ref()
        .is_some_and(|s| s.kind == SubfieldKind::Tlv)
    {
        return mask_chip(value);
    }
    Cow::Borrowed(value)
}

/// A JSON parse error in words that never quote the input: serde's messages carry the
/// offending value (`invalid type: integer `4929…``), which in a traffic log can be a card
/// number. Values in backquotes or double quotes are left out unless they are plain names
/// (letters and underscores, as in "missing field `hex`"); the line and column stay.
pub fn json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['`', '"']) {
        let q = rest.as_bytes()[i] as char;
        let Some(j) = rest[i + 1..].find(q) else {
            break;
        };
        let inner = &rest[i + 1..i + 1 + j];
        out.push_str(rest[..i].trim_end_matches(' '));
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphabetic() || c == '_') {
            out.push_str(&format!(" {q}{inner}{q}"));
        }
        rest = &rest[i + 2 + j..];
    }
    out.push_str(rest);
    if e.line() == 1 {
        format!("{out} at column {}", e.column())
    } else if e.line() > 1 {
        format!("{out} at line {} column {}", e.line(), e.column())
    } else {
        out
    }
}

/// Whether text given where a path or a variable name belongs looks like key material (16 or
/// more hex digits, nothing else): then errors must not echo it.
pub fn looks_like_key(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 16 && t.chars().all(|c| c.is_ascii_hexdigit() || c == ' ')
}

/// A path or variable name as errors may show it: itself, or, when it looks like key
/// material, words saying so instead.
pub fn key_source(text: &str) -> Cow<'_, str> {
    if looks_like_key(text) {
        Cow::Borrowed("<not shown: it looks like a key; give a file or variable that holds it>")
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pan_keeps_six_and_four() {
        assert_eq!(mask_pan("4761739001010119"), "476173******0119");
        assert_eq!(mask_pan("6217973910000725090"), "621797*********5090");
        assert_eq!(mask_pan("123456"), "******");
    }

    #[test]
    fn track_masks_pan_and_hides_rest() {
        let m = mask(
            Some(Sensitivity::Track),
            "4761739001010119=25122011143804489",
        );
        assert_eq!(m, "476173******0119=*****************");
        assert!(!m.contains("2512"));
        assert_eq!(
            mask(Some(Sensitivity::Pin), "0123456789ABCDEF"),
            "****************"
        );
    }

    #[test]
    fn chip_data_masked_failing_closed() {
        // Well formed: PAN keeps six and four, name hidden, amount shown.
        let v = "5A0847617390010101199F02060000000001005F2003414243";
        assert_eq!(
            mask_chip(v),
            "5A08476173******01199F02060000000001005F2003******"
        );
        // A broken length after 5A: the rest is hidden whole.
        let broken = "5A0847617390010101195F20FF51585A9F6B084761739001010119";
        let m = mask_chip(broken);
        assert!(
            !m.contains("4761739001010119") && !m.contains("585A"),
            "{m}"
        );
        assert!(m.starts_with("5A08476173******01195F20**"), "{m}");
        // Unknown tags hidden; text that is not hex hidden whole.
        assert_eq!(mask_chip("DF7F021234"), "DF7F02****");
        assert_eq!(mask_chip("NOT TLV"), "*******");
    }

    #[test]
    fn json_errors_do_not_quote_values() {
        for text in [
            r#"{"hex": 4929837165432100}"#,
            r#"{"hex": "00", "ts": 4929837165432100}"#,
            r#"{"latency_ms": "4929837165432100"}"#,
            r#"[4929837165432100]"#,
        ] {
            let e =
                serde_json::from_str::<std::collections::HashMap<String, bool>>(text).unwrap_err();
            let m = super::json_error(&e);
            assert!(!m.contains("4929837165432100"), "{m}");
            assert!(m.contains("column"), "{m}");
        }
        let e = serde_json::from_str::<serde_json::Value>("{\"a\": tru").unwrap_err();
        assert!(super::json_error(&e).contains("column"));
    }
}
