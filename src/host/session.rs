//! serve's per-frame work that is not networking: whether a request's MAC verifies, and the
//! answer to a request (built, sealed with its MAC, misbehaving as the rule's action says) with
//! the copy the traffic log gets (card data zeroed unless unmasked). `posresp serve` and the
//! `serve_path` fuzz target call these same functions.

use crate::check::{self, Key, MacAlgorithm};
use crate::codec::encoding::{Encoding, to_hex};
use crate::codec::{Decoded, FramingChoice, Spec, decode_into};
use crate::traffic::LogHex;

use super::clock::Stamp;
use super::redact::redact;
use super::respond::{self, Outcome};
use super::rules::Action;

/// Whether the MAC (field 64 or 128) of the request `frame`, decoded as `dec`, verifies under
/// `key`; `None` when the request carries none (or it cannot be computed).
pub fn mac_ok(frame: &[u8], dec: &Decoded, key: &Key, alg: MacAlgorithm) -> Option<bool> {
    let f = dec
        .fields
        .iter()
        .rev()
        .find(|f| f.id == 64 || f.id == 128)?;
    let mab = frame.get(dec.mti_offset..f.offset as usize)?;
    let mac = check::mac(alg, key, mab).ok()?;
    let got = dec.value(f);
    let want = to_hex(&mac);
    Some(got.eq_ignore_ascii_case(&want))
}

/// What to put on the wire for one answer, and what to log.
pub struct Answer {
    /// The frame to send (malformed or cut short when the action says so).
    pub wire: Vec<u8>,
    /// The frame as the log holds it; `None` when no log is kept.
    pub logged: Option<LogHex>,
    /// Why the answer lacks something it should carry (an ARPC that could not be made).
    pub note: Option<String>,
}

/// How an answer is made, fixed for a whole server.
pub struct AnswerSetup<'a> {
    pub spec: &'a Spec,
    pub choice: &'a FramingChoice,
    /// The MAC key and algorithm, when answers carry a MAC.
    pub mac: Option<(&'a Key, MacAlgorithm)>,
    /// A traffic log is kept.
    pub log: bool,
    /// The log holds card data in clear.
    pub unmask: bool,
    /// The issuer master key (and the cryptogram version, when not read from 9F10): answers
    /// to requests with an ARQC (55.9F26) carry the ARPC in 55.91.
    pub emv: Option<(&'a Key, Option<crate::check::emv::Cvn>)>,
}

/// The answer to the request `req` (decoded) as `outcome` and `action` say, or why it cannot
/// be made. Network management answers (MTI x8xx) carry no MAC.
pub fn answer(
    setup: &AnswerSetup<'_>,
    req: &Decoded,
    outcome: &Outcome<'_>,
    action: Action,
    now: &Stamp,
    rrn: u64,
    approval: u32,
) -> Result<Option<Answer>, String> {
    let spec = setup.spec;
    let Some(mut m) = respond::build(spec, req, outcome, now, rrn, approval) else {
        return Ok(None);
    };
    let management = m.mti.as_bytes().get(1) == Some(&b'8');
    let mac = if management { None } else { setup.mac };
    let note = match setup.emv {
        Some((imk, cvn)) if !management => add_arpc(spec, req, &mut m, imk, cvn, outcome.code),
        _ => None,
    };
    let mut wire = respond::seal(spec, &mut m, mac).map_err(|e| e.to_string())?;
    let mut logged = if !setup.log {
        None
    } else if setup.unmask {
        Some(LogHex::clear(&wire))
    } else {
        let mut scratch = Decoded::default();
        Some(match decode_into(spec, &wire, setup.choice, &mut scratch) {
            Ok(()) => match redact(spec, &scratch) {
                Some(r) => LogHex {
                    hex: to_hex(&r),
                    redacted: true,
                },
                None => LogHex::clear(&wire),
            },
            Err(_) => LogHex::clear(&wire),
        })
    };
    match action {
        Action::Malformed => {
            corrupt_mti(spec, setup.choice, &mut wire);
            if let Some(l) = &mut logged {
                // The logged copy gets the same damage: the MTI is FF.
                let mut bytes = crate::codec::encoding::from_hex(&l.hex).unwrap_or_default();
                corrupt_mti(spec, setup.choice, &mut bytes);
                l.hex = to_hex(&bytes);
            }
        }
        Action::Truncate => {
            wire.truncate(wire.len() / 2);
            if let Some(l) = &mut logged {
                l.hex.truncate(wire.len() * 2);
            }
        }
        _ => {}
    }
    Ok(Some(Answer { wire, logged, note }))
}

/// Put the ARPC answering the request's ARQC in the response's field 55 (tag 91, after any
/// chip data the rule set); what went wrong when it cannot be made.
fn add_arpc(
    spec: &Spec,
    req: &Decoded,
    m: &mut crate::codec::Message,
    imk: &Key,
    cvn: Option<crate::check::emv::Cvn>,
    code: &str,
) -> Option<String> {
    use crate::check::emv::CardChip;
    req.get(55)?;
    spec.field(55)?;
    let card = match CardChip::of(req) {
        Ok(c) => c,
        Err(e) => return Some(format!("no ARPC: {e}")),
    };
    card.chip.get("9F26")?;
    let tag91 = match card.answer(imk, cvn, code) {
        Ok(v) => v,
        Err(e) => return Some(format!("no ARPC: {e}")),
    };
    let mut tlv = Vec::new();
    crate::codec::tlv::write(&[0x91], &tag91, &mut tlv);
    let entry = m
        .fields
        .entry(55)
        .or_insert_with(|| crate::codec::FieldValue {
            value: String::new(),
            pad: None,
        });
    entry.value.push_str(&to_hex(&tlv));
    None
}

/// Overwrite the MTI of an encoded response so that it no longer decodes.
fn corrupt_mti(spec: &Spec, choice: &FramingChoice, bytes: &mut [u8]) {
    let mut d = Decoded::default();
    if decode_into(spec, bytes, choice, &mut d).is_ok() {
        let at = d.mti_offset;
        let n = if spec.mti_enc == Encoding::Bcd { 2 } else { 4 };
        if let Some(s) = bytes.get_mut(at..at + n) {
            s.fill(0xFF);
        }
    }
}

/// The request `dec` as values with a fresh MAC under `key` (network management, MTI x8xx,
/// carries none), framed as it was.
pub fn resign(
    spec: &Spec,
    m: &mut crate::codec::Message,
    mac: Option<(&Key, MacAlgorithm)>,
) -> Result<Vec<u8>, String> {
    let mac = if m.mti.as_bytes().get(1) == Some(&b'8') {
        None
    } else {
        mac
    };
    if mac.is_some() {
        m.fields.remove(&64);
        m.fields.remove(&128);
    }
    respond::seal(spec, m, mac)
}

/// Advance a six-digit number by `offset`, wrapping past 999999 and skipping 000000.
fn advance6(v: &str, offset: u64) -> Option<String> {
    let n: u64 = v.parse().ok()?;
    let m = (n + offset) % 1_000_000;
    Some(format!("{:06}", if m == 0 { 1 } else { m }))
}

/// The request `dec` made fresh for a repeat: the trace number (11) advanced by `offset`,
/// the last six digits of the RRN (37) likewise, the dates and times (7, 12, 13) set to
/// `now`, and in a reversal's original data (90) the original trace number advanced the same
/// way, so that a request and its reversal stay paired.
pub fn refresh(dec: &Decoded, offset: u64, now: &Stamp) -> crate::codec::Message {
    let mut m = dec.to_message();
    let mut set = |id: u16, f: &dyn Fn(&str) -> Option<String>| {
        if let Some(v) = m.fields.get_mut(&id)
            && let Some(new) = f(&v.value)
        {
            v.value = new;
        }
    };
    set(11, &|v| advance6(v, offset));
    set(37, &|v| {
        let (head, tail) = v.split_at(v.len().checked_sub(6)?);
        Some(format!("{head}{}", advance6(tail, offset)?))
    });
    set(7, &|v| {
        (v.len() == 10).then(|| format!("{}{}", now.mmdd, now.hhmmss))
    });
    set(12, &|v| match v.len() {
        6 => Some(now.hhmmss.clone()),
        12 => Some(format!("{}{}", now.yymmdd, now.hhmmss)),
        _ => None,
    });
    set(13, &|v| (v.len() == 4).then(|| now.mmdd.clone()));
    set(90, &|v| {
        if v.len() < 10 {
            return None;
        }
        Some(format!(
            "{}{}{}",
            &v[..4],
            advance6(&v[4..10], offset)?,
            &v[10..]
        ))
    });
    m
}

/// What is wrong with `ans` (its frame `ans_frame`) as the answer to `req`: the MTI, echoed
/// fields that differ from the request's (values masked), the TPDU not swapped, a MAC that
/// does not verify under `mac` (or is missing when the request had one). Empty when all is
/// well.
pub fn answer_problems(
    spec: &Spec,
    req: &Decoded,
    ans: &Decoded,
    ans_frame: &[u8],
    mac: Option<(&Key, MacAlgorithm)>,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(m) = respond::response_mti(req.mti())
        && m != ans.mti()
    {
        out.push(format!(
            "MTI {} does not answer {} (expected {m})",
            ans.mti(),
            req.mti()
        ));
    }
    // What an answer must carry: a response code; an approval code when it approves an
    // authorisation or a financial request (not an advice, not an inquiry); CUP financial
    // answers also a retrieval reference number.
    let rmti = req.mti().as_bytes();
    let financial = rmti.len() == 4 && matches!(rmti[1], b'1' | b'2') && rmti[2] == b'0';
    let inquiry = req.get(3).is_some_and(|p| p.starts_with('3'));
    match ans.get(39) {
        None if spec.field(39).is_some() => out.push("the answer has no response code (39)".into()),
        Some(code) if financial && !inquiry => {
            let approved = crate::glossary::response_code(spec.dialect, code)
                .is_some_and(|r| r.category == "approved");
            if approved && spec.field(38).is_some() && ans.get(38).is_none() {
                out.push(format!(
                    "code {code} approves the request but the answer has no approval code (38)"
                ));
            }
            if spec.dialect == crate::codec::Dialect::Cup && ans.get(37).is_none() {
                out.push("the answer has no retrieval reference number (37)".into());
            }
        }
        _ => {}
    }
    let shown = |id: u16, v: &str| match spec.field(id as usize) {
        Some(def) => crate::mask::field_value(def, v).into_owned(),
        None => v.to_string(),
    };
    for &id in respond::echo_fields(spec.dialect) {
        if let (Some(sent), Some(got)) = (req.get(id), ans.get(id))
            && sent.trim_end() != got.trim_end()
        {
            out.push(format!(
                "field {id} echoed as {}, sent {}",
                shown(id, got),
                shown(id, sent)
            ));
        }
    }
    let tpdu = |d: &Decoded| d.framing.as_ref().and_then(|f| f.tpdu.clone());
    if let Some(t) = tpdu(req) {
        let want = respond::swap_tpdu(&t);
        if tpdu(ans).as_deref() != Some(want.as_str()) {
            out.push(format!(
                "TPDU {} is not the request's {t} with its addresses swapped ({want})",
                tpdu(ans).unwrap_or_else(|| "(none)".into())
            ));
        }
    }
    let has_mac = |d: &Decoded| d.fields.iter().any(|f| f.id == 64 || f.id == 128);
    if let Some((k, a)) = mac
        && ans.mti().as_bytes().get(1) != Some(&b'8')
    {
        match mac_ok(ans_frame, ans, k, a) {
            Some(true) => {}
            Some(false) => out.push(format!("the answer's MAC does not verify ({})", a.name())),
            None if has_mac(req) => out.push("the answer carries no MAC".into()),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::spec::builtin;
    use crate::host::clock::stamp;

    #[test]
    fn answers_follow_the_action_and_the_log_copy_is_zeroed() {
        let spec = builtin("iso87ascii").unwrap().unwrap();
        let hex = std::fs::read_to_string("testdata/sensitive-0200.hex").unwrap();
        let bytes = crate::codec::encoding::from_hex(hex.trim()).unwrap();
        let choice = FramingChoice::Auto;
        let mut req = Decoded::default();
        decode_into(&spec, &bytes, &choice, &mut req).unwrap();
        let setup = AnswerSetup {
            spec: &spec,
            choice: &choice,
            mac: None,
            log: true,
            unmask: false,
            emv: None,
        };
        let outcome = Outcome {
            code: "00",
            set: &[],
            remove: &[],
        };
        let now = stamp(1_795_651_200_000);
        let made = |a| {
            answer(&setup, &req, &outcome, a, &now, 1, 2)
                .unwrap()
                .unwrap()
        };
        let ok = made(Action::Respond);
        let mut back = Decoded::default();
        decode_into(&spec, &ok.wire, &choice, &mut back).unwrap();
        assert_eq!(back.mti(), "0210");
        let logged = ok.logged.unwrap();
        assert!(logged.redacted, "the echoed PAN is zeroed in the log copy");
        assert!(!logged.hex.contains("34373631373339303031303130313139"));
        let bad = made(Action::Malformed);
        assert!(decode_into(&spec, &bad.wire, &choice, &mut back).is_err());
        let cut = made(Action::Truncate);
        assert_eq!(cut.wire.len(), ok.wire.len() / 2);
        assert_eq!(cut.logged.unwrap().hex.len(), cut.wire.len() * 2);

        // An answer is checked for what it must carry.
        assert!(answer_problems(&spec, &req, &back_of(&spec, &ok.wire), &ok.wire, None).is_empty());
        let strip = |id: u16| {
            let mut m = back_of(&spec, &ok.wire).to_message();
            m.fields.remove(&id);
            let w = crate::codec::encode_body(&spec, &m).unwrap();
            (back_of(&spec, &w), w)
        };
        let (no38, w) = strip(38);
        assert_eq!(
            answer_problems(&spec, &req, &no38, &w, None),
            ["code 00 approves the request but the answer has no approval code (38)"]
        );
        let (no39, w) = strip(39);
        assert_eq!(
            answer_problems(&spec, &req, &no39, &w, None),
            ["the answer has no response code (39)"]
        );
    }

    fn back_of(spec: &Spec, wire: &[u8]) -> Decoded {
        let mut d = Decoded::default();
        decode_into(spec, wire, &FramingChoice::Auto, &mut d).unwrap();
        d
    }
}
