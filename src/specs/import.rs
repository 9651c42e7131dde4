//! Specs written for other tools, mapped to posresp's spec file format.
//!
//! moov-io/iso8583 JSON specs: `{"name", "fields": {"0" | "Field000": {"type", "length",
//! "description", "enc", "prefix", "padding"}}}` with encoders such as `asciiEncoder` and
//! prefixes such as `ASCII.LL` or `BCD.fixed`. What cannot be mapped (composite fields,
//! encoders or prefixes posresp does not have) is an error naming the field and construct.

use serde_json::{Map, Value, json};

use crate::codec::SpecError;

/// What an imported field holds that must be masked, as the built-in ISO 8583 specs say:
/// PANs (2, 34), tracks (35, 36, 45), the card sequence number (23), the PIN block (52).
fn card_data(id: u16) -> Option<&'static str> {
    match id {
        2 | 34 => Some("pan"),
        35 | 36 | 45 => Some("track"),
        23 => Some("secret"),
        52 => Some("pin"),
        _ => None,
    }
}

/// Marks an imported field as the built-in specs do: card data is masked, and field 55
/// (ICC data in ISO 8583) is read as BER-TLV so that its card-data tags are masked tag by
/// tag and anything that does not parse is masked whole.
fn mark_card_data(def: &mut Map<String, Value>, id: u16) {
    if let Some(k) = card_data(id) {
        def.insert("sensitive".into(), json!(k));
    }
    if id == 55 && !def.contains_key("subfields") {
        def.insert("subfields".into(), json!({"kind": "tlv"}));
    }
}

/// Whether a parsed JSON document looks like a moov-io spec (rather than a posresp one).
pub fn is_moov(doc: &Value) -> bool {
    let Some(fields) = doc.get("fields").and_then(Value::as_object) else {
        return false;
    };
    fields.values().any(|f| {
        f.get("prefix")
            .and_then(Value::as_str)
            .is_some_and(|p| p.contains('.'))
            || f.get("enc")
                .and_then(Value::as_str)
                .is_some_and(|e| e.ends_with("Encoder"))
    })
}

/// Map a moov-io spec to a posresp spec file (as JSON).
pub fn from_moov(doc: &Value, origin: &str) -> Result<Value, SpecError> {
    let err = |field: Option<String>, problem: String| SpecError {
        spec: origin.to_string(),
        field,
        problem,
    };
    let fields = doc
        .get("fields")
        .and_then(Value::as_object)
        .ok_or_else(|| err(None, "moov-io spec without \"fields\"".into()))?;
    let mut mti_enc = "ascii";
    let mut bitmap_enc = "hex";
    let mut out = Map::new();
    for (key, f) in fields {
        let id: u16 = key
            .trim_start_matches("Field")
            .parse()
            .map_err(|_| err(Some(key.clone()), "field key is not a number".into()))?;
        let fname = Some(id.to_string());
        let s = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("");
        let (kind, enc, prefix) = (s("type"), s("enc"), s("prefix"));
        if f.get("subfields").is_some() || kind == "Composite" {
            return Err(err(
                fname,
                "a Composite field (subfields) cannot be mapped; describe its parts with posresp's \"subfields\" in a posresp spec".into(),
            ));
        }
        let length = f
            .get("length")
            .and_then(Value::as_u64)
            .ok_or_else(|| err(fname.clone(), "no numeric \"length\"".into()))?;
        let our_enc = match enc {
            "asciiEncoder" => "ascii",
            "ebcdicEncoder" | "ebcdic1047Encoder" => "ebcdic",
            "bcdEncoder" => "bcd",
            "binaryEncoder" => "binary",
            "hexEncoder" => "hex",
            other => {
                return Err(err(
                    fname,
                    format!("encoder {other:?} has no posresp equivalent"),
                ));
            }
        };
        let (pfx_kind, var) = prefix.split_once('.').unwrap_or((prefix, ""));
        let var = var.to_ascii_uppercase();
        match id {
            0 => {
                mti_enc = match our_enc {
                    "ascii" | "ebcdic" | "bcd" => our_enc,
                    _ => {
                        return Err(err(
                            fname,
                            format!("an MTI encoded with {enc} cannot be mapped"),
                        ));
                    }
                };
                continue;
            }
            1 => {
                bitmap_enc = match our_enc {
                    "hex" | "ascii" => "hex",
                    "binary" => "binary",
                    _ => {
                        return Err(err(
                            fname,
                            format!("a bitmap encoded with {enc} cannot be mapped"),
                        ));
                    }
                };
                continue;
            }
            _ => {}
        }
        let our_type = match kind {
            "Numeric" => "n",
            "String" => "ans",
            "Binary" => "b",
            "Track" | "Track2" | "Track1" => "ans",
            other => {
                return Err(err(fname, format!("field type {other:?} cannot be mapped")));
            }
        };
        let our_type = if our_enc == "hex" || our_enc == "binary" {
            "b"
        } else {
            our_type
        };
        let mut def = Map::new();
        let name = f
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        def.insert(
            "name".into(),
            json!(if name.is_empty() {
                format!("Field {id}")
            } else {
                name
            }),
        );
        def.insert("type".into(), json!(our_type));
        def.insert("enc".into(), json!(our_enc));
        if var == "FIXED" {
            def.insert("len".into(), json!(length));
        } else if matches!(var.as_str(), "L" | "LL" | "LLL" | "LLLL") {
            let our_prefix = match pfx_kind {
                "ASCII" => "ascii",
                "EBCDIC" => "ebcdic",
                "BCD" => "bcd",
                "Binary" => "binary",
                other => {
                    return Err(err(
                        fname,
                        format!("length prefix {other}.{var} has no posresp equivalent"),
                    ));
                }
            };
            if our_enc == "hex" {
                return Err(err(
                    fname,
                    format!(
                        "a variable-length hex field ({prefix}) cannot be mapped: its length unit is ambiguous"
                    ),
                ));
            }
            def.insert("var".into(), json!(var));
            def.insert("prefix".into(), json!(our_prefix));
            def.insert("max".into(), json!(length));
        } else {
            return Err(err(
                fname,
                format!("length prefix {prefix:?} cannot be mapped"),
            ));
        }
        mark_card_data(&mut def, id);
        out.insert(id.to_string(), Value::Object(def));
    }
    let name = doc
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .unwrap_or("moov-spec");
    Ok(json!({
        "name": name,
        "description": format!("imported from the moov-io/iso8583 spec {origin}"),
        "dialect": "iso87",
        "mti": {"enc": mti_enc},
        "bitmap": {"enc": bitmap_enc},
        "fields": out,
    }))
}

/// Whether `text` looks like a jPOS GenericPackager XML file.
pub fn is_jpos_packager(text: &str) -> bool {
    let head = &text[..text.len().min(4096)];
    head.trim_start().starts_with('<')
        && text.contains("<isopackager")
        && text.contains("<isofield")
}

/// A jPOS field class (`org.jpos.iso.IFA_LLNUM`) in posresp's terms: type, encoding, variable
/// length digits (0 = fixed) and prefix encoding.
fn jpos_class(class: &str) -> Option<(&'static str, &'static str, u8, &'static str)> {
    let short = class.rsplit('.').next().unwrap_or(class);
    Some(match short {
        "IFA_NUMERIC" => ("n", "ascii", 0, ""),
        "IF_CHAR" | "IFA_CHAR" => ("ans", "ascii", 0, ""),
        "IFA_LLNUM" => ("n", "ascii", 2, "ascii"),
        "IFA_LLLNUM" => ("n", "ascii", 3, "ascii"),
        "IFA_LLCHAR" => ("ans", "ascii", 2, "ascii"),
        "IFA_LLLCHAR" => ("ans", "ascii", 3, "ascii"),
        "IFA_LLLLCHAR" => ("ans", "ascii", 4, "ascii"),
        "IFA_AMOUNT" => ("x+n", "ascii", 0, ""),
        "IFA_BINARY" => ("b", "hex", 0, ""),
        "IFE_NUMERIC" => ("n", "ebcdic", 0, ""),
        "IFE_CHAR" => ("ans", "ebcdic", 0, ""),
        "IFE_LLNUM" => ("n", "ebcdic", 2, "ebcdic"),
        "IFE_LLLNUM" => ("n", "ebcdic", 3, "ebcdic"),
        "IFE_LLCHAR" => ("ans", "ebcdic", 2, "ebcdic"),
        "IFE_LLLCHAR" => ("ans", "ebcdic", 3, "ebcdic"),
        "IFB_NUMERIC" => ("n", "bcd", 0, ""),
        "IFB_LLNUM" => ("n", "bcd", 2, "bcd"),
        "IFB_LLLNUM" => ("n", "bcd", 3, "bcd"),
        "IFB_LLHNUM" => ("n", "bcd", 2, "binary"),
        "IFB_LLCHAR" => ("ans", "ascii", 2, "bcd"),
        "IFB_LLLCHAR" => ("ans", "ascii", 3, "bcd"),
        "IFB_LLHCHAR" => ("ans", "ascii", 2, "binary"),
        "IFB_BINARY" => ("b", "binary", 0, ""),
        "IFB_LLBINARY" => ("b", "binary", 2, "bcd"),
        "IFB_LLLBINARY" => ("b", "binary", 3, "bcd"),
        "IFB_LLHBINARY" => ("b", "binary", 2, "binary"),
        "IFB_LLLHBINARY" => ("b", "binary", 3, "binary"),
        "IFB_AMOUNT" => ("x+n", "sign+bcd", 0, ""),
        _ => return None,
    })
}

/// Map a jPOS GenericPackager XML file (`<isopackager><isofield id length name class [pad]/>`)
/// to a posresp spec file (as JSON). Nested packagers (`<isofieldpackager>`) and field classes
/// without a posresp equivalent are errors naming the field and the construct.
pub fn from_jpos_packager(text: &str, origin: &str) -> Result<Value, SpecError> {
    let err = |field: Option<String>, problem: String| SpecError {
        spec: origin.to_string(),
        field,
        problem,
    };
    let mut mti_enc = None;
    let mut bitmap_enc = "hex";
    let mut header = 0usize;
    let mut out = Map::new();
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        let e = match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => e,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => continue,
            Err(e) => {
                return Err(err(
                    None,
                    format!(
                        "not well-formed XML at byte {}: {e}",
                        reader.error_position()
                    ),
                ));
            }
        };
        // Attribute values with entity and character references resolved.
        let attrs: Vec<(String, String)> = e
            .attributes()
            .flatten()
            .filter_map(|a| {
                let v = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()?
                    .into_owned();
                Some((a.key.0.to_string(), v))
            })
            .collect();
        let attr = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let name = e.name().0.to_string();
        match name.as_str() {
            "isopackager" => {
                if let Some(h) = attr("headerLength") {
                    header = h
                        .trim()
                        .parse()
                        .map_err(|_| err(None, format!("headerLength {h:?} is not a number")))?;
                }
            }
            "isofieldpackager" => {
                let id = attr("id").unwrap_or_default();
                return Err(err(
                    Some(id),
                    "an <isofieldpackager> (a field with its own sub-field packager) cannot be \
                     mapped; describe the field's parts with posresp's \"subfields\" in a posresp spec"
                        .into(),
                ));
            }
            "isofield" => {
                let get = &attr;
                let id_text =
                    get("id").ok_or_else(|| err(None, "an <isofield> without id".into()))?;
                let id: u16 = id_text
                    .trim()
                    .parse()
                    .map_err(|_| err(Some(id_text.clone()), "id is not a number".into()))?;
                let fname = Some(id.to_string());
                let class = get("class").unwrap_or_default();
                let short = class.rsplit('.').next().unwrap_or("").to_string();
                let length: usize = get("length")
                    .and_then(|l| l.trim().parse().ok())
                    .ok_or_else(|| err(fname.clone(), "no numeric length".into()))?;
                if id == 0 {
                    mti_enc = Some(match short.as_str() {
                        "IFA_NUMERIC" | "IF_CHAR" => "ascii",
                        "IFB_NUMERIC" => "bcd",
                        "IFE_NUMERIC" | "IFE_CHAR" => "ebcdic",
                        _ => {
                            return Err(err(
                                fname,
                                format!("an MTI packed with {short} cannot be mapped"),
                            ));
                        }
                    });
                    continue;
                }
                if id == 1 {
                    bitmap_enc = match short.as_str() {
                        "IFA_BITMAP" => "hex",
                        "IFB_BITMAP" => "binary",
                        _ => {
                            return Err(err(
                                fname,
                                format!("a bitmap packed with {short} cannot be mapped"),
                            ));
                        }
                    };
                    continue;
                }
                if id == 65 && short.ends_with("BITMAP") {
                    continue;
                }
                let (kind, enc, digits, prefix) = jpos_class(&class).ok_or_else(|| {
                    err(
                        fname.clone(),
                        format!(
                            "field class {short:?} has no posresp equivalent (known: IFA_, IFB_ and \
                             IFE_ numeric, char, LL/LLL variants, binary, amount)"
                        ),
                    )
                })?;
                let mut def = Map::new();
                let name = get("name").filter(|n| !n.trim().is_empty());
                def.insert(
                    "name".into(),
                    json!(name.unwrap_or_else(|| format!("Field {id}"))),
                );
                def.insert("type".into(), json!(kind));
                def.insert("enc".into(), json!(enc));
                if digits == 0 {
                    def.insert("len".into(), json!(length));
                } else {
                    def.insert("var".into(), json!("L".repeat(digits as usize)));
                    def.insert("prefix".into(), json!(prefix));
                    def.insert("max".into(), json!(length));
                }
                // jPOS pads odd BCD on the right (data left-aligned) unless pad="true".
                if enc == "bcd" {
                    let pad = get("pad").is_some_and(|p| p.trim() == "true");
                    def.insert("align".into(), json!(if pad { "right" } else { "left" }));
                }
                mark_card_data(&mut def, id);
                out.insert(id.to_string(), Value::Object(def));
            }
            _ => {}
        }
    }
    let mti_enc =
        mti_enc.ok_or_else(|| err(Some("0".into()), "no field 0 (MTI) defined".into()))?;
    if out.is_empty() {
        return Err(err(None, "no <isofield> data elements found".into()));
    }
    let stem = std::path::Path::new(origin)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("jpos-packager");
    let mut spec = json!({
        "name": stem,
        "description": format!("imported from the jPOS GenericPackager file {origin}"),
        "dialect": "iso87",
        "mti": {"enc": mti_enc},
        "bitmap": {"enc": bitmap_enc},
        "fields": out,
    });
    if header > 0 {
        spec["framing"] = json!({"header": header});
    }
    Ok(spec)
}
