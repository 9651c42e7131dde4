//! Specs written for other tools, mapped to posresp's spec file format.
//!
//! moov-io/iso8583 JSON specs: `{"name", "fields": {"0" | "Field000": {"type", "length",
//! "description", "enc", "prefix", "padding"}}}` with encoders such as `asciiEncoder` and
//! prefixes such as `ASCII.LL` or `BCD.fixed`. What cannot be mapped (composite fields,
//! encoders or prefixes posresp does not have) is an error naming the field and construct.

use serde_json::{Map, Value, json};

use super::SpecError;

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
        let sensitive = match id {
            2 | 34 => Some("pan"),
            35 | 36 | 45 => Some("track"),
            52 => Some("pin"),
            _ => None,
        };
        if let Some(k) = sensitive {
            def.insert("sensitive".into(), json!(k));
        }
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
