//! What a decoded field means, in words: one annotator for decode's output and for explain.
//! Response codes (39) by dialect, amounts in their currency when the message says which,
//! the spec's own value table, currency and country codes, and the coded fields of the
//! glossary (entry mode, condition code, processing code parts …).

use std::borrow::Cow;

use crate::codec::{Decoded, FieldDef, Spec};
use crate::glossary;

/// The meaning of `value` in field `def` of `spec`; `dec` is the message it came from, when
/// there is one (amounts 4-6 are shown in the currency of 49-51).
pub fn field_meaning<'a>(
    spec: &'a Spec,
    def: &'a FieldDef,
    value: &str,
    dec: Option<&Decoded>,
) -> Option<Cow<'a, str>> {
    let id = def.id;
    match id {
        39 => {
            glossary::response_code(spec.dialect, value).map(|r| Cow::Borrowed(r.meaning.as_str()))
        }
        4..=6 => {
            let currency = dec
                .and_then(|d| d.get(id + 45))
                .and_then(glossary::coded::currency);
            currency
                .and_then(|c| glossary::coded::format_amount(value, c))
                .map(Cow::Owned)
        }
        _ => def
            .values
            .get(value)
            .map(|m| Cow::Borrowed(m.as_str()))
            .or_else(|| match id {
                19..=21 | 49..=51 | 68 | 69 => {
                    glossary::coded::field_meaning(spec.dialect, &def.id_str, value).map(Cow::Owned)
                }
                _ => glossary::coded::coded_meaning(spec.dialect, &def.id_str, value)
                    .map(Cow::Borrowed),
            }),
    }
}

/// The meaning of a positional sub-element (`3.1`, `60.2` …) by its path.
pub fn part_meaning(spec: &Spec, path: &str, value: &str) -> Option<&'static str> {
    glossary::coded::coded_meaning(spec.dialect, path, value)
}
