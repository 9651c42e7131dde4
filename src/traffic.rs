//! posresp's own traffic log: THE record type. `generate`, `serve --log`, `send --log` and
//! `send --replay --log` write their lines through [`Record::write`]; readers parse them with
//! [`parse_line`]. docs/log-format.md describes the keys.

use std::fmt::Write as _;

use serde::Deserialize;

use crate::codec::encoding::to_hex;

/// A message as a log record holds it: its hex, and whether card data in it was zeroed.
#[derive(Clone, Debug, Default)]
pub struct LogHex {
    /// Uppercase hex of the bytes logged.
    pub hex: String,
    /// Card data in them was zeroed: `verify` then reports the checks over zeroed values as
    /// not checkable.
    pub redacted: bool,
}

impl LogHex {
    /// The bytes as they are.
    pub fn clear(bytes: &[u8]) -> Self {
        LogHex {
            hex: to_hex(bytes),
            redacted: false,
        }
    }
}

/// The time a response took, as the writer measured it.
#[derive(Clone, Copy, Debug)]
pub enum Latency {
    /// Whole milliseconds (generate's simulated latencies).
    Ms(u64),
    /// Milliseconds to the microsecond (measured by serve and send).
    Measured(f64),
}

/// One line of a traffic log. Keys are written in one order, only when set; strings are
/// escaped, so no value (a spec name, a peer, an error) can break the line.
#[derive(Clone, Debug, Default)]
pub struct Record<'a> {
    /// RFC 3339 UTC with milliseconds.
    pub ts: &'a str,
    /// `req` or `resp`; absent for connection events.
    pub dir: Option<&'a str>,
    /// A record that is not a message, or a note on one (`frame timeout`, `unmatched answer …`).
    pub event: Option<&'a str>,
    /// The spec the message was encoded with.
    pub spec: &'a str,
    /// serve: the connection's number and the client's address.
    pub conn: Option<u64>,
    pub peer: Option<&'a str>,
    /// The message; absent for connection events.
    pub hex: Option<&'a LogHex>,
    pub latency_ms: Option<Latency>,
    /// serve, responses: field 39, the rule that decided and its action.
    pub code: Option<&'a str>,
    pub rule: Option<&'a str>,
    pub action: Option<&'a str>,
    /// What is wrong with a message or a stream that could not be read.
    pub error: Option<&'a str>,
    /// The length of what could not be logged as hex.
    pub bytes: Option<usize>,
    /// Bytes of an incomplete frame when the connection ended.
    pub pending_bytes: Option<usize>,
    /// More about an event.
    pub detail: Option<&'a str>,
}

fn key(out: &mut String, k: &str) {
    if !out.ends_with('{') {
        out.push(',');
    }
    out.push('"');
    out.push_str(k);
    out.push_str("\":");
}

fn string(out: &mut String, k: &str, v: &str) {
    key(out, k);
    // serde_json escapes exactly what JSON needs.
    out.push_str(&serde_json::to_string(v).unwrap_or_else(|_| "\"\"".into()));
}

impl Record<'_> {
    /// Append the record as one line (with its newline) to `out`.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.line().as_bytes());
        out.push(b'\n');
    }

    /// The record as JSON, without a newline.
    pub fn line(&self) -> String {
        let mut s = String::with_capacity(96 + self.hex.map_or(0, |h| h.hex.len()));
        s.push('{');
        string(&mut s, "ts", self.ts);
        if let Some(d) = self.dir {
            string(&mut s, "dir", d);
        }
        if let (Some(e), None) = (self.event, self.hex) {
            string(&mut s, "event", e);
        }
        string(&mut s, "spec", self.spec);
        if let Some(c) = self.conn {
            key(&mut s, "conn");
            let _ = write!(s, "{c}");
        }
        if let Some(p) = self.peer {
            string(&mut s, "peer", p);
        }
        if let Some(h) = self.hex {
            // Hex digits need no escaping.
            key(&mut s, "hex");
            s.push('"');
            s.push_str(&h.hex);
            s.push('"');
            if h.redacted {
                key(&mut s, "redacted");
                s.push_str("true");
            }
        }
        match self.latency_ms {
            Some(Latency::Ms(ms)) => {
                key(&mut s, "latency_ms");
                let _ = write!(s, "{ms}");
            }
            Some(Latency::Measured(ms)) => {
                key(&mut s, "latency_ms");
                let _ = write!(s, "{ms:.3}");
            }
            None => {}
        }
        for (k, v) in [
            ("code", self.code),
            ("rule", self.rule),
            ("action", self.action),
        ] {
            if let Some(v) = v {
                string(&mut s, k, v);
            }
        }
        if let (Some(e), Some(_)) = (self.event, self.hex) {
            string(&mut s, "event", e);
        }
        if let Some(e) = self.error {
            string(&mut s, "error", e);
        }
        for (k, v) in [("bytes", self.bytes), ("pending_bytes", self.pending_bytes)] {
            if let Some(v) = v {
                key(&mut s, k);
                let _ = write!(s, "{v}");
            }
        }
        if let Some(d) = self.detail {
            string(&mut s, "detail", d);
        }
        s.push('}');
        s
    }
}

/// What readers take from a record; other keys are kept by the writer's peers and ignored.
#[derive(Deserialize)]
pub struct Parsed {
    pub hex: Option<String>,
    pub ts: Option<String>,
    pub dir: Option<String>,
    pub spec: Option<String>,
    pub latency_ms: Option<f64>,
    pub event: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    pub redacted: bool,
}

/// Parse one record; the error says what is wrong without quoting values.
pub fn parse_line(line: &str) -> Result<Parsed, String> {
    serde_json::from_str(line)
        .map_err(|e| format!("not a JSON record: {}", crate::mask::json_error(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_valid_json_whatever_the_values() {
        let hex = LogHex {
            hex: "0200".into(),
            redacted: true,
        };
        let r = Record {
            ts: "2026-12-03T10:00:00.000Z",
            dir: Some("resp"),
            spec: "my\"spec\\ \u{1}",
            conn: Some(3),
            peer: Some("127.0.0.1:4000"),
            hex: Some(&hex),
            latency_ms: Some(Latency::Measured(1.23456)),
            code: Some("00"),
            rule: Some("a \"quoted\" rule"),
            action: Some("respond"),
            ..Record::default()
        };
        let v: serde_json::Value = serde_json::from_str(&r.line()).unwrap();
        assert_eq!(v["spec"], "my\"spec\\ \u{1}");
        assert_eq!(v["latency_ms"], 1.235);
        assert_eq!(v["redacted"], true);
        let p = parse_line(&r.line()).unwrap();
        assert_eq!(p.hex.as_deref(), Some("0200"));
        assert!(p.redacted);
        let g = Record {
            ts: "t",
            dir: Some("resp"),
            spec: "cup",
            hex: Some(&LogHex::clear(&[0x02, 0x10])),
            latency_ms: Some(Latency::Ms(126)),
            ..Record::default()
        };
        assert_eq!(
            g.line(),
            r#"{"ts":"t","dir":"resp","spec":"cup","hex":"0210","latency_ms":126}"#
        );
    }
}
