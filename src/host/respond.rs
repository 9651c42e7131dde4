//! Building a response from a request: response MTI, echoed fields per dialect, retrieval
//! reference and approval code, field 39, TPDU addresses swapped, and a MAC when a key is
//! configured. Shared by `serve` and `generate`.

use crate::check::{self, Key, MacAlgorithm};
use crate::codec::encoding::{Encoding, to_hex};
use crate::codec::framing::wrap;
use crate::codec::{Decoded, Dialect, FieldValue, Message, Spec, encode_body};

use super::clock::Stamp;

/// `true` when `mti` is four digits and a request or advice (third digit even: x1x0, x2x0,
/// x4x0, x8x0 …, or a repeat x1x1).
pub fn is_request(mti: &str) -> bool {
    let b = mti.as_bytes();
    b.len() == 4 && b.iter().all(u8::is_ascii_digit) && (b[2] - b'0').is_multiple_of(2)
}

/// The response MTI for a request MTI (third digit + 1, a repeat's last digit cleared):
/// 0200 → 0210, 0401 → 0410, 1804 → 1814. `None` when `mti` is not a request.
pub fn response_mti(mti: &str) -> Option<String> {
    if !is_request(mti) {
        return None;
    }
    let b = mti.as_bytes();
    let last = match b[3] {
        b'1' => b'0',
        b'3' => b'2',
        c => c,
    };
    Some(String::from_utf8_lossy(&[b[0], b[1], b[2] + 1, last]).into_owned())
}

/// The dialect's approval code: 00, or 000 in ISO 8583:1993.
pub fn approved_code(d: Dialect) -> &'static str {
    if d == Dialect::Iso93 { "000" } else { "00" }
}

/// The dialect's format-error code: 30, or 904 in ISO 8583:1993.
pub fn format_error_code(d: Dialect) -> &'static str {
    if d == Dialect::Iso93 { "904" } else { "30" }
}

/// Fields a host echoes from the request into the response, per dialect.
pub fn echo_fields(d: Dialect) -> &'static [u16] {
    match d {
        Dialect::Cup => &[2, 3, 4, 11, 14, 22, 23, 25, 32, 37, 41, 42, 49, 60, 61],
        Dialect::Iso93 => &[
            2, 3, 4, 7, 11, 12, 24, 25, 32, 37, 41, 42, 49, 56, 90, 93, 94, 95,
        ],
        Dialect::Iso87 => &[
            2, 3, 4, 7, 11, 12, 13, 19, 25, 32, 33, 37, 41, 42, 49, 70, 90, 95,
        ],
    }
}

/// Swap the destination and source addresses of a 10-digit TPDU.
pub fn swap_tpdu(tpdu: &str) -> String {
    if tpdu.len() == 10 && tpdu.is_ascii() {
        format!("{}{}{}", &tpdu[..2], &tpdu[6..], &tpdu[2..6])
    } else {
        tpdu.to_string()
    }
}

/// The MAC algorithm a dialect's hosts use with `key`: CUP ECB for cup, X9.19 for a
/// double-length key, else X9.9.
pub fn default_mac_alg(d: Dialect, key: &Key) -> MacAlgorithm {
    match (d, key) {
        (Dialect::Cup, _) => MacAlgorithm::CupEcb,
        (_, k) if k.is_double() => MacAlgorithm::X919,
        _ => MacAlgorithm::X99,
    }
}

/// The field that carries the MAC: 128 when a secondary bitmap is present (and the spec has
/// 128), else 64.
pub fn mac_field(spec: &Spec, m: &Message) -> u16 {
    let secondary = m.secondary || m.fields.keys().any(|&id| id > 64);
    if secondary && spec.field(128).is_some() || spec.field(64).is_none() {
        128
    } else {
        64
    }
}

/// Encode `m` with its framing; when `mac` is given, field 64 (or 128) carries the MAC over
/// the body from the MTI up to the MAC field.
pub fn seal(
    spec: &Spec,
    m: &mut Message,
    mac: Option<(&Key, MacAlgorithm)>,
) -> Result<Vec<u8>, String> {
    let mut mac_len = 0;
    if mac.is_some() {
        let id = mac_field(spec, m);
        let def = spec
            .field(id as usize)
            .ok_or_else(|| format!("spec {} has no field 64 or 128 for a MAC", spec.name))?;
        mac_len = match def.enc {
            Encoding::Hex => 16,
            Encoding::Binary => 8,
            other => {
                return Err(format!(
                    "field {id} is encoded {other:?}; a MAC needs a binary or hex field"
                ));
            }
        };
        // A placeholder of the right size; the MAC replaces it once the block is known.
        m.fields.insert(
            id,
            FieldValue {
                value: "0".repeat(16),
                pad: None,
            },
        );
    }
    let mut body = encode_body(spec, m).map_err(|e| e.to_string())?;
    if let Some((key, alg)) = mac {
        let end = body.len() - mac_len;
        let code = check::mac(alg, key, &body[..end]).map_err(|e| e.to_string())?;
        let tail = if mac_len == 16 {
            to_hex(&code).into_bytes()
        } else {
            code.to_vec()
        };
        body[end..].copy_from_slice(&tail);
    }
    match &m.framing {
        Some(info) if info.kind != "none" => wrap(info, &body),
        _ => Ok(body),
    }
}

/// What the rule (or the default) says the response carries.
#[derive(Clone, Debug, Default)]
pub struct Outcome<'a> {
    /// Field 39.
    pub code: &'a str,
    /// Fields to set (after echoing).
    pub set: &'a [(u16, String)],
    /// Fields to leave out.
    pub remove: &'a [u16],
}

/// Build the response to the decoded request `req`: MTI + 10, echoed fields, 12/13 (or 7)
/// from `now`, 37 from `rrn` unless echoed, 38 from `approval` when the outcome approves a
/// financial request, 39, then the outcome's own fields. Framing follows the request's, TPDU
/// addresses swapped. `None` when the request's MTI is not a request.
pub fn build(
    spec: &Spec,
    req: &Decoded,
    outcome: &Outcome<'_>,
    now: &Stamp,
    rrn: u64,
    approval: u32,
) -> Option<Message> {
    let mti = response_mti(req.mti())?;
    let dialect = spec.dialect;
    let mut m = Message {
        mti,
        ..Message::default()
    };
    let mut put = |id: u16, v: String| {
        if spec.field(id as usize).is_some() {
            m.fields.insert(
                id,
                FieldValue {
                    value: v,
                    pad: None,
                },
            );
        }
    };
    for &id in echo_fields(dialect) {
        if let Some(v) = req.get(id) {
            put(id, v.to_string());
        }
    }
    let class = req.mti().as_bytes()[1];
    let financial = matches!(class, b'1' | b'2');
    match dialect {
        Dialect::Cup => {
            put(12, now.hhmmss.clone());
            put(13, now.mmdd.clone());
            if financial {
                put(15, now.mmdd.clone());
            }
        }
        Dialect::Iso87 if req.get(7).is_none() => {
            put(7, format!("{}{}", now.mmdd, now.hhmmss));
        }
        _ => {}
    }
    if financial && req.get(37).is_none() {
        put(37, format!("{}{:06}", now.hhmmss, rrn % 1_000_000));
    }
    let approved = crate::glossary::response_code(dialect, outcome.code)
        .is_some_and(|r| r.category == "approved");
    if approved && financial {
        put(38, format!("{:06}", approval % 1_000_000));
    }
    put(39, outcome.code.to_string());
    for (id, v) in outcome.set {
        put(*id, v.clone());
    }
    for id in outcome.remove {
        m.fields.remove(id);
    }
    // The request's MAC is not echoed; 64/128 are added by `seal` when a key is configured.
    m.fields.remove(&64);
    m.fields.remove(&128);
    m.framing = req.framing.as_ref().map(|f| {
        let mut f = f.clone();
        if let Some(t) = &f.tpdu {
            f.tpdu = Some(swap_tpdu(t));
        }
        f
    });
    Some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mtis() {
        assert_eq!(response_mti("0200").as_deref(), Some("0210"));
        assert_eq!(response_mti("0401").as_deref(), Some("0410"));
        assert_eq!(response_mti("1804").as_deref(), Some("1814"));
        assert_eq!(response_mti("0210"), None);
        assert_eq!(response_mti("02x0"), None);
        assert_eq!(swap_tpdu("6000030000"), "6000000003");
    }
}
