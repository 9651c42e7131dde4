//! Sub-elements inside a field: positional parts (CUP 60, ISO 3/22/90) and BER-TLV (field 55).
//! Computed on demand from a decoded field, so decoding itself stays fast.

use std::borrow::Cow;

use super::encoding::{Encoding, from_hex};
use super::spec::{FieldDef, SubfieldKind};
use super::tlv::{self, Tlv};

/// One sub-element: where it is and what it holds. Names and meanings of TLV tags come
/// from the glossary, not from here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubElement<'a> {
    /// Dotted path: `60.1`, `55.9F26`, `55.72.86`.
    pub path: Cow<'a, str>,
    /// Name from the spec (positional parts); `None` for TLV tags.
    pub name: Option<&'a str>,
    /// TLV tag, as hex.
    pub tag: Option<String>,
    /// Value: characters of the parent for positional parts, uppercase hex for TLV.
    pub value: Cow<'a, str>,
    /// Offset of the element in the input message.
    pub offset: usize,
    /// Bytes of the element (whole TLV: tag, length and value).
    pub len: usize,
    /// Meaning of a coded value, from the spec.
    pub meaning: Option<&'a str>,
    /// Nesting depth (0 = directly under the field).
    pub depth: usize,
    /// Index of the positional part in the spec (`None` for TLV).
    pub part: Option<usize>,
}

/// The sub-elements of field `def` whose value is `value`, whose data bytes (after the
/// length prefix) are `data` at `data_offset` in the input. Returns what could be read and,
/// for TLV, why the rest could not.
pub fn expand<'a>(
    def: &'a FieldDef,
    value: &'a str,
    data: &[u8],
    data_offset: usize,
) -> (Vec<SubElement<'a>>, Option<String>) {
    let Some(sub) = &def.subfields else {
        return (Vec::new(), None);
    };
    match sub.kind {
        SubfieldKind::Positional => (positional(def, value, data_offset), None),
        SubfieldKind::Tlv => {
            // TLV works on bytes: raw for binary fields, parsed back from hex characters.
            // Character fields carry the bytes as hex characters (two per byte).
            let (bytes, scale) = match def.enc {
                Encoding::Binary => (data.to_vec(), 1),
                _ => match from_hex(value) {
                    Ok(b) if b.len() * 2 == value.len() => (b, 2),
                    _ => {
                        return (
                            Vec::new(),
                            Some("chip data is not hex characters, so not BER-TLV".into()),
                        );
                    }
                },
            };
            let (tlvs, err) = tlv::parse(&bytes);
            let mut out = Vec::new();
            for t in &tlvs {
                flatten(&def.id_str, t, &bytes, data_offset, scale, 0, &mut out);
            }
            (out, err.map(|e| e.to_string()))
        }
    }
}

fn flatten<'a>(
    parent: &str,
    t: &Tlv,
    bytes: &[u8],
    base: usize,
    scale: usize,
    depth: usize,
    out: &mut Vec<SubElement<'a>>,
) {
    let tag = t.tag_hex();
    let path = format!("{parent}.{tag}");
    out.push(SubElement {
        path: Cow::Owned(path.clone()),
        name: None,
        tag: Some(tag),
        value: Cow::Owned(super::encoding::to_hex(
            &bytes[t.value_offset..t.value_offset + t.value_len],
        )),
        offset: base + t.offset * scale,
        len: t.len * scale,
        meaning: None,
        depth,
        part: None,
    });
    for c in &t.children {
        flatten(&path, c, bytes, base, scale, depth + 1, out);
    }
}

fn positional<'a>(def: &'a FieldDef, value: &'a str, data_offset: usize) -> Vec<SubElement<'a>> {
    let Some(sub) = &def.subfields else {
        return Vec::new();
    };
    // Values of positional fields are digits or ASCII text, so characters are bytes; anything
    // else (EBCDIC text) is split by characters.
    let ascii = value.is_ascii();
    let count = if ascii {
        value.len()
    } else {
        value.chars().count()
    };
    let slice = |a: usize, b: usize| -> Cow<'a, str> {
        if ascii {
            Cow::Borrowed(&value[a..b])
        } else {
            Cow::Owned(value.chars().skip(a).take(b - a).collect())
        }
    };
    // Where value character `i` sits in the data: BCD packs two per byte (with a leading pad
    // nibble when right-aligned and odd), hex uses two bytes per value byte.
    let odd_lead = def.enc == Encoding::Bcd
        && count % 2 == 1
        && def.bcd.align == super::encoding::Align::Right;
    let byte_of = |i: usize| -> usize {
        match def.enc {
            Encoding::Bcd => (i + usize::from(odd_lead)) / 2,
            Encoding::Binary => i / 2,
            _ => i,
        }
    };
    let mut out = Vec::with_capacity(sub.parts.len());
    let mut pos = 0;
    for (k, p) in sub.parts.iter().enumerate() {
        if pos >= count {
            break;
        }
        let end = p.len.map_or(count, |n| (pos + n).min(count));
        let v = slice(pos, end);
        let (b0, b1) = (byte_of(pos), byte_of(end - 1) + 1);
        out.push(SubElement {
            path: def.part_paths.get(k).map_or_else(
                || Cow::Owned(format!("{}.{}", def.id_str, p.id)),
                |s| Cow::Borrowed(s.as_str()),
            ),
            name: Some(p.name.as_str()),
            tag: None,
            meaning: p.values.get(v.as_ref()).map(String::as_str),
            value: v,
            offset: data_offset + b0,
            len: b1 - b0,
            depth: 0,
            part: Some(k),
        });
        pos = end;
    }
    out
}
