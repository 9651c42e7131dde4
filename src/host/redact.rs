//! Card data out of traffic logs: a message re-encoded with the PAN's middle digits, track
//! discretionary data, PIN blocks, keys and chip card-data tags overwritten with zeros. The
//! result has the same length, framing and layout, so it still decodes (and BIN or last-four
//! rules still match on replay); only a MAC over it no longer verifies.

use crate::codec::encoding::{from_hex, to_hex};
use crate::codec::spec::SubfieldKind;
use crate::codec::{Decoded, Sensitivity, Spec, encode, tlv};

fn zero_all(v: &str) -> String {
    v.chars().map(|_| '0').collect()
}

fn zero_pan(p: &str) -> String {
    let n = p.chars().count();
    p.chars()
        .enumerate()
        .map(|(i, c)| {
            if n >= 13 && (i < 6 || i >= n - 4) {
                c
            } else {
                '0'
            }
        })
        .collect()
}

/// The value with card data zeroed, by sensitivity.
pub fn redact_value(kind: Sensitivity, v: &str) -> String {
    match kind {
        Sensitivity::Pan => zero_pan(v),
        Sensitivity::Track => {
            let lead = v
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(v.len())
                .min(2);
            let rest = &v[lead..];
            let sep = rest.find(['=', 'D', 'd', '^']).unwrap_or(rest.len());
            let tail: String = rest[sep..]
                .chars()
                .enumerate()
                .map(|(i, c)| if i == 0 || c == '^' { c } else { '0' })
                .collect();
            format!("{}{}{tail}", &v[..lead], zero_pan(&rest[..sep]))
        }
        Sensitivity::Pin | Sensitivity::Key | Sensitivity::Secret => zero_all(v),
    }
}

/// Chip data (BER-TLV as hex characters) with card data zeroed, failing closed like
/// [`crate::mask::mask_chip`]: the values of card-data and unknown tags, and everything from
/// the first byte that does not parse to the end, become zeros; text that is not hex becomes
/// zeros whole. `None` when nothing needed zeroing.
fn redact_tlv(hex: &str) -> Option<String> {
    let bytes = match from_hex(hex) {
        Ok(b) if b.len() * 2 == hex.len() => b,
        _ => return Some(zero_all(hex)).filter(|z| z != hex),
    };
    let (objs, err) = tlv::parse(&bytes);
    let mut spans = Vec::new();
    fn walk(objs: &[tlv::Tlv], spans: &mut Vec<(usize, usize)>) {
        for o in objs {
            if o.constructed {
                walk(&o.children, spans);
            } else if crate::mask::chip_sensitivity(&o.tag_hex()).is_some() {
                spans.push((o.value_offset, o.value_len));
            }
        }
    }
    walk(&objs, &mut spans);
    if let Some(e) = err {
        spans.push((e.offset, bytes.len().saturating_sub(e.offset)));
    }
    let mut out = bytes.clone();
    for (at, n) in spans {
        if let Some(s) = out.get_mut(at..at + n) {
            s.fill(0);
        }
    }
    (out != bytes).then(|| to_hex(&out))
}

/// `dec` (decoded from wire bytes with `spec`) re-encoded with card data zeroed; `None` when
/// it carries no card data (the wire bytes can be logged as they are) or cannot be
/// re-encoded.
pub fn redact(spec: &Spec, dec: &Decoded) -> Option<Vec<u8>> {
    let mut changed = false;
    let mut m = None;
    for f in &dec.fields {
        let Some(def) = spec.field(f.id as usize) else {
            continue;
        };
        let v = dec.value(f);
        let new = match def.sensitive {
            Some(kind) => Some(redact_value(kind, v)),
            None if def
                .subfields
                .as_ref()
                .is_some_and(|s| s.kind == SubfieldKind::Tlv) =>
            {
                redact_tlv(v)
            }
            None => None,
        };
        if let Some(new) = new.filter(|n| n != v) {
            let msg = m.get_or_insert_with(|| dec.to_message());
            if let Some(slot) = msg.fields.get_mut(&f.id) {
                slot.value = new;
                changed = true;
            }
        }
    }
    if !changed {
        return None;
    }
    encode(spec, &m?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(
            redact_value(Sensitivity::Pan, "4761739001010119"),
            "4761730000000119"
        );
        assert_eq!(
            redact_value(Sensitivity::Track, "4761739001010119=25122011143804489"),
            "4761730000000119=00000000000000000"
        );
        assert_eq!(
            redact_value(Sensitivity::Track, "B4761739001010119^DOE/JOHN^2512"),
            "B4761730000000119^00000000^0000"
        );
        assert_eq!(
            redact_value(Sensitivity::Pin, "8F3A2B1C0D9E7F66"),
            "0000000000000000"
        );
        assert_eq!(
            redact_tlv("5A0847617390010101199F02060000000001005F2003414243").as_deref(),
            Some("5A0800000000000000009F02060000000001005F2003000000")
        );
        assert_eq!(redact_tlv("9F0206000000000100"), None);
        // A broken length: everything after it zeroed, the tags before it kept.
        assert_eq!(
            redact_tlv("9F02060000000001005F20FF51585A").as_deref(),
            Some("9F02060000000001005F2000000000")
        );
        // Unknown tags are zeroed; text that is not hex is zeroed whole.
        assert_eq!(redact_tlv("DF7F021234").as_deref(), Some("DF7F020000"));
        assert_eq!(redact_tlv("NOT TLV").as_deref(), Some("0000000"));
    }
}
