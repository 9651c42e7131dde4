//! EMV tags in field 55: names from `data/emv-tags.csv`, and bit-by-bit explanations of the
//! values a support engineer reads most (TVR, TSI, AIP, CID, CVM results).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::codec::Sensitivity;

/// One tag of the dictionary.
#[derive(Clone, Debug)]
pub struct EmvTag {
    /// Tag as uppercase hex.
    pub tag: String,
    /// Name.
    pub name: String,
    /// Format: `b`, `n 12`, `an 2`, `ans`, `cn` …
    pub format: String,
}

fn tags() -> &'static HashMap<String, EmvTag> {
    static T: OnceLock<HashMap<String, EmvTag>> = OnceLock::new();
    T.get_or_init(|| {
        let mut rdr = csv::Reader::from_reader(include_str!("../../data/emv-tags.csv").as_bytes());
        rdr.records()
            .flatten()
            .filter_map(|r| {
                let tag = r.get(0)?.trim().to_ascii_uppercase();
                Some((
                    tag.clone(),
                    EmvTag {
                        tag,
                        name: r.get(1)?.to_string(),
                        format: r.get(2)?.to_string(),
                    },
                ))
            })
            .collect()
    })
}

/// The dictionary entry of `tag` (hex), if known.
pub fn tag(tag: &str) -> Option<&'static EmvTag> {
    tags().get(tag)
}

/// Card data carried in chip tags, masked like the ISO fields that hold the same data.
pub fn sensitivity(tag: &str) -> Option<Sensitivity> {
    match tag {
        "5A" => Some(Sensitivity::Pan),
        "57" | "56" | "9F6B" => Some(Sensitivity::Track),
        "99" => Some(Sensitivity::Pin),
        "5F20" | "9F0B" | "9F1F" | "9F20" | "5F34" => Some(Sensitivity::Secret),
        _ => None,
    }
}

/// Names of the set bits of `value`: (byte index from 0, bit mask, meaning).
fn set_bits(value: &[u8], table: &'static [(usize, u8, &'static str)]) -> Vec<&'static str> {
    table
        .iter()
        .filter(|(i, m, _)| value.get(*i).is_some_and(|b| b & m != 0))
        .map(|(_, _, s)| *s)
        .collect()
}

const TVR: &[(usize, u8, &str)] = &[
    (0, 0x80, "offline data authentication was not performed"),
    (0, 0x40, "SDA failed"),
    (0, 0x20, "ICC data missing"),
    (0, 0x10, "card appears on terminal exception file"),
    (0, 0x08, "DDA failed"),
    (0, 0x04, "CDA failed"),
    (0, 0x02, "SDA selected"),
    (
        1,
        0x80,
        "ICC and terminal have different application versions",
    ),
    (1, 0x40, "expired application"),
    (1, 0x20, "application not yet effective"),
    (1, 0x10, "requested service not allowed for card product"),
    (1, 0x08, "new card"),
    (2, 0x80, "cardholder verification was not successful"),
    (2, 0x40, "unrecognised CVM"),
    (2, 0x20, "PIN try limit exceeded"),
    (
        2,
        0x10,
        "PIN entry required and PIN pad not present or not working",
    ),
    (
        2,
        0x08,
        "PIN entry required, PIN pad present, but PIN was not entered",
    ),
    (2, 0x04, "online PIN entered"),
    (3, 0x80, "transaction exceeds floor limit"),
    (3, 0x40, "lower consecutive offline limit exceeded"),
    (3, 0x20, "upper consecutive offline limit exceeded"),
    (
        3,
        0x10,
        "transaction selected randomly for online processing",
    ),
    (3, 0x08, "merchant forced transaction online"),
    (4, 0x80, "default TDOL used"),
    (4, 0x40, "issuer authentication failed"),
    (4, 0x20, "script processing failed before final GENERATE AC"),
    (4, 0x10, "script processing failed after final GENERATE AC"),
    (4, 0x08, "relay resistance threshold exceeded"),
    (4, 0x04, "relay resistance time limits exceeded"),
];

const TSI: &[(usize, u8, &str)] = &[
    (0, 0x80, "offline data authentication was performed"),
    (0, 0x40, "cardholder verification was performed"),
    (0, 0x20, "card risk management was performed"),
    (0, 0x10, "issuer authentication was performed"),
    (0, 0x08, "terminal risk management was performed"),
    (0, 0x04, "script processing was performed"),
];

const AIP: &[(usize, u8, &str)] = &[
    (0, 0x40, "SDA supported"),
    (0, 0x20, "DDA supported"),
    (0, 0x10, "cardholder verification is supported"),
    (0, 0x08, "terminal risk management is to be performed"),
    (0, 0x04, "issuer authentication is supported"),
    (
        0,
        0x02,
        "on-device cardholder verification supported (contactless)",
    ),
    (0, 0x01, "CDA supported"),
    (1, 0x80, "EMV mode supported (contactless)"),
    (1, 0x01, "relay resistance protocol supported"),
];

fn cid(b: u8) -> String {
    let kind = match b >> 6 {
        0 => "AAC (declined by the card)",
        1 => "TC (approved offline)",
        2 => "ARQC (online authorisation requested)",
        _ => "RFU",
    };
    let mut s = format!("cryptogram type {kind}");
    if b & 0x08 != 0 {
        s.push_str("; advice required");
    }
    match b & 0x07 {
        1 => s.push_str("; reason: service not allowed"),
        2 => s.push_str("; reason: PIN try limit exceeded"),
        3 => s.push_str("; reason: issuer authentication failed"),
        _ => {}
    }
    s
}

fn cvm_results(v: &[u8]) -> Option<String> {
    let [method, condition, result] = v else {
        return None;
    };
    let m = match method & 0x3F {
        0x00 => "fail CVM processing",
        0x01 => "plaintext PIN verified by ICC",
        0x02 => "enciphered PIN verified online",
        0x03 => "plaintext PIN verified by ICC and signature",
        0x04 => "enciphered PIN verified by ICC",
        0x05 => "enciphered PIN verified by ICC and signature",
        0x1E => "signature",
        0x1F => "no CVM required",
        0x3F => "no CVM performed",
        _ => "scheme-specific CVM",
    };
    let c = match condition {
        0x00 => "always",
        0x01 => "if unattended cash",
        0x02 => "if not unattended cash, not manual cash, not cashback",
        0x03 => "if terminal supports the CVM",
        0x04 => "if manual cash",
        0x05 => "if purchase with cashback",
        0x06 => "if in application currency and under X",
        0x07 => "if in application currency and over X",
        0x08 => "if in application currency and under Y",
        0x09 => "if in application currency and over Y",
        _ => "scheme-specific condition",
    };
    let r = match result {
        0x00 => "result unknown",
        0x01 => "failed",
        0x02 => "successful",
        _ => "result code not defined",
    };
    Some(format!("{m} ({c}): {r}"))
}

fn bcd_digits(v: &[u8]) -> Option<String> {
    let s = crate::codec::encoding::to_hex(v);
    s.bytes().all(|c| c.is_ascii_digit()).then_some(s)
}

/// A plain-words reading of tag `tag`'s value, where one helps.
pub fn explain(tag: &str, value: &[u8]) -> Option<String> {
    let list = |v: Vec<&str>| {
        if v.is_empty() {
            "no bits set".to_string()
        } else {
            v.join("; ")
        }
    };
    match tag {
        "95" => Some(list(set_bits(value, TVR))),
        "9B" => Some(list(set_bits(value, TSI))),
        "82" => Some(list(set_bits(value, AIP))),
        "9F27" => value.first().map(|b| cid(*b)),
        "9F34" => cvm_results(value),
        "91" if value.len() >= 10 => {
            let arc = &value[8..10];
            let text = String::from_utf8(arc.to_vec())
                .ok()
                .filter(|s| s.chars().all(|c| c.is_ascii_graphic()));
            Some(match text {
                Some(t) => format!(
                    "ARPC {} + ARC \"{t}\"",
                    crate::codec::encoding::to_hex(&value[..8])
                ),
                None => format!(
                    "ARPC {} + {}",
                    crate::codec::encoding::to_hex(&value[..8]),
                    crate::codec::encoding::to_hex(arc)
                ),
            })
        }
        _ => {
            let t = self::tag(tag)?;
            let f = t.format.trim();
            if f.starts_with("an") || f.starts_with("ans") || f.starts_with("a ") {
                String::from_utf8(value.to_vec())
                    .ok()
                    .filter(|s| s.chars().all(|c| !c.is_control()))
                    .map(|s| format!("\"{s}\""))
            } else if f.starts_with('n') {
                bcd_digits(value)
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_bits() {
        assert_eq!(tag("9F26").unwrap().name, "Application Cryptogram");
        assert_eq!(
            explain("9F27", &[0x80]).unwrap(),
            "cryptogram type ARQC (online authorisation requested)"
        );
        let tvr = explain("95", &[0x80, 0x00, 0x80, 0x00, 0x00]).unwrap();
        assert!(tvr.contains("offline data authentication was not performed"));
        assert!(tvr.contains("cardholder verification was not successful"));
        assert_eq!(explain("95", &[0; 5]).unwrap(), "no bits set");
        assert_eq!(
            explain("9F34", &[0x42, 0x03, 0x00]).unwrap(),
            "enciphered PIN verified online (if terminal supports the CVM): result unknown"
        );
        assert!(
            explain("9B", &[0xE8, 0x00])
                .unwrap()
                .contains("card risk management was performed")
        );
        assert!(
            explain("82", &[0x7C, 0x00])
                .unwrap()
                .contains("DDA supported")
        );
        assert_eq!(explain("5F2A", &[0x01, 0x56]).unwrap(), "0156");
        assert_eq!(explain("9F1E", b"12345678").unwrap(), "\"12345678\"");
        assert_eq!(
            explain(
                "91",
                &[0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x30, 0x30]
            )
            .unwrap(),
            "ARPC 1122334455667788 + ARC \"00\""
        );
        assert_eq!(sensitivity("5A"), Some(Sensitivity::Pan));
    }
}
