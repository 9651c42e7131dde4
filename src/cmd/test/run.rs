//! Running one case: a connection to the target, each step's message built, sent and its
//! answer checked; a reversal sent when a step says so and no answer came.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::{Duration, Instant};

use posresp::check::{Key, MacAlgorithm};
use posresp::codec::framing::{FramingInfo, LengthPrefix};
use posresp::codec::{Decoded, FieldValue, FramingChoice, Message, decode_into};
use posresp::host::batch::{Txn, is_settlement};
use posresp::host::clock::now_ms;
use posresp::host::respond::{response_mti, seal};
use posresp::link::Got;
use posresp::suite::check::Answer;
use posresp::suite::{Case, Context, Counters, Expect, Failure, StepValues, Suite, check};
use posresp::tls::BlockingConn;

/// What a run needs besides the suite.
pub struct Run<'a> {
    pub suite: &'a Suite,
    pub to: String,
    pub mac: Option<(Key, MacAlgorithm)>,
    /// The terminal master key, for sign-on answers' working keys.
    pub tmk: Option<Key>,
    pub tls: Option<posresp::tls::Client>,
    pub counters: Counters,
}

/// A failed expectation with where it happened and the two messages (masked hex).
#[derive(Debug, Clone)]
pub struct StepFailure {
    pub step: String,
    pub line: usize,
    pub failure: Failure,
    pub request_hex: String,
    pub answer_hex: Option<String>,
}

/// How one case went.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub name: String,
    pub line: usize,
    pub steps: usize,
    pub failures: Vec<StepFailure>,
    /// The case could not run on (host unreachable, a message that cannot be built).
    pub error: Option<String>,
    pub seconds: f64,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.error.is_none()
    }
}

fn connect(run: &Run<'_>, timeout: Duration) -> Result<BlockingConn, String> {
    posresp::link::connect(&run.to, timeout, run.tls.as_ref())
}

/// The masked hex of a frame (card data zeroed where it decodes; its length only where not).
fn masked_hex(run: &Run<'_>, bytes: &[u8]) -> String {
    let spec = &run.suite.target.spec;
    let mut d = Decoded::default();
    let choice = FramingChoice::Given(run.suite.target.framing.clone());
    match decode_into(spec, bytes, &choice, &mut d) {
        Ok(()) => {
            let body = posresp::host::redact::redact(spec, &d).unwrap_or_else(|| bytes.to_vec());
            posresp::codec::encoding::to_hex(&body)
        }
        Err(_) => format!("({} bytes that do not decode)", bytes.len()),
    }
}

/// Read frames until one pairs with (class, trace, terminal), or the deadline.
fn read_answer(
    run: &Run<'_>,
    conn: &mut BlockingConn,
    buf: &mut Vec<u8>,
    key: &(String, String, String),
    deadline: Instant,
    dec: &mut Decoded,
) -> Result<Got, String> {
    let t = &run.suite.target;
    let choice = FramingChoice::Given(t.framing.clone());
    loop {
        let got = posresp::link::read_frame(
            conn,
            buf,
            &t.framing,
            deadline,
            "check the suite's framing",
        )?;
        let Got::Frame(f) = got else {
            return Ok(got);
        };
        if decode_into(&t.spec, &f, &choice, dec).is_ok() {
            let k = posresp::traffic::PairKey::of(dec);
            if k.class != key.0 || k.trace != key.1 || k.terminal != key.2 {
                // Another request's answer (late, duplicated): not this step's.
                continue;
            }
        }
        return Ok(Got::Frame(f));
    }
}

/// The framed, MACed bytes of `mti` with `values`.
fn build(
    run: &Run<'_>,
    mac: Option<&(Key, MacAlgorithm)>,
    mti: &str,
    values: &BTreeMap<u16, String>,
) -> Result<Vec<u8>, String> {
    let t = &run.suite.target;
    let mut m = Message {
        mti: mti.to_string(),
        fields: values
            .iter()
            .map(|(k, v)| {
                (
                    *k,
                    FieldValue {
                        value: v.clone(),
                        pad: None,
                    },
                )
            })
            .collect(),
        secondary: values.keys().any(|k| *k > 64),
        ..Message::default()
    };
    let framed = t.framing.length != LengthPrefix::None
        || t.framing.tpdu
        || t.framing.header > 0
        || t.framing.stx;
    if framed {
        m.framing = Some(FramingInfo {
            kind: t.framing.kind(),
            length: None,
            tpdu: t.tpdu.clone(),
            header: t.header.clone(),
            lrc: None,
            rule: "".into(),
            spec: t.framing.clone(),
        });
    }
    // Network management (x8xx) carries no MAC.
    let mac = if mti.as_bytes().get(1) == Some(&b'8') {
        None
    } else {
        mac.map(|(k, a)| (k, *a))
    };
    if mac.is_some() {
        m.fields.remove(&64);
        m.fields.remove(&128);
    }
    seal(&t.spec, &mut m, mac)
}

/// `bytes` damaged as `spoil` says.
fn spoiled(run: &Run<'_>, bytes: Vec<u8>, spoil: posresp::suite::Spoil) -> Result<Vec<u8>, String> {
    let t = &run.suite.target;
    let mut d = Decoded::default();
    decode_into(
        &t.spec,
        &bytes,
        &FramingChoice::Given(t.framing.clone()),
        &mut d,
    )
    .map_err(|e| e.to_string())?;
    match spoil {
        posresp::suite::Spoil::Mac => {
            let f = d
                .fields
                .iter()
                .rev()
                .find(|f| f.id == 64 || f.id == 128)
                .ok_or("spoil = \"mac\": the message has no MAC (give the target a MAC key)")?;
            let mut b = bytes;
            let at = f.offset as usize + f.len as usize - 1;
            let byte = b.get_mut(at).ok_or("MAC past the end")?;
            // A hex digit stays a hex digit; a binary byte just changes.
            *byte = match *byte {
                b'0' => b'1',
                b'1' => b'0',
                x if x.is_ascii_hexdigit() => b'0',
                x => x ^ 1,
            };
            Ok(b)
        }
        posresp::suite::Spoil::Tail => {
            let end = d.total_len.min(bytes.len());
            let body = bytes
                .get(d.mti_offset..end.saturating_sub(3))
                .ok_or("message too short to cut")?;
            match &d.framing {
                Some(info) if info.kind != "none" => posresp::codec::framing::wrap(info, body),
                _ => Ok(body.to_vec()),
            }
        }
    }
}

fn values_of(dec: &Decoded) -> BTreeMap<u16, String> {
    dec.fields
        .iter()
        .map(|f| (f.id, dec.value(f).to_string()))
        .collect()
}

/// The reversal of a request that got no answer: its data elements, MTI 0400 (0420 for
/// 0220 advices are not reversed here), and field 90 (original data elements) where the spec
/// has it; CUP marks the reason in 39 (98, no answer from the host).
fn reversal_of(run: &Run<'_>, mti: &str, sent: &BTreeMap<u16, String>) -> BTreeMap<u16, String> {
    let spec = &run.suite.target.spec;
    let mut v: BTreeMap<u16, String> = sent
        .iter()
        .filter(|(k, _)| !matches!(k, 52 | 53 | 55 | 64 | 128))
        .map(|(k, v)| (*k, v.clone()))
        .collect();
    if spec.field(90).is_some() {
        let stan = sent.get(&11).cloned().unwrap_or_else(|| "000000".into());
        let when = sent.get(&7).cloned().unwrap_or_else(|| "0000000000".into());
        let acq = sent
            .get(&32)
            .map_or_else(|| "0".repeat(11), |a| format!("{a:0>11}"));
        v.insert(
            90,
            format!("{mti}{stan:0>6}{when:0>10}{acq}{}", "0".repeat(11)),
        );
    }
    if spec.dialect == posresp::codec::Dialect::Cup {
        v.insert(39, "98".into());
    }
    v
}

/// Run `case`; never panics on what the host does.
pub fn run_case(run: &Run<'_>, case: &Case) -> CaseResult {
    let started = Instant::now();
    let mut res = CaseResult {
        name: case.name.clone(),
        line: case.line,
        steps: case.steps.len(),
        failures: Vec::new(),
        error: None,
        seconds: 0.0,
    };
    let t = &run.suite.target;
    let mut conn: Option<BlockingConn> = None;
    let mut buf = Vec::new();
    let mut steps: BTreeMap<String, StepValues> = BTreeMap::new();
    let mut dec = Decoded::default();
    // The session's MAC key: the suite's, until a sign-on hands out working keys.
    let mut mac = run.mac.clone();
    'steps: for step in &case.steps {
        let now = now_ms();
        let mut cx = Context {
            vars: &case.vars,
            suite_vars: &run.suite.vars,
            steps: &steps,
            counters: &run.counters,
            stan: None,
            terminal: String::new(),
            now_ms: now,
        };
        // The terminal first: trace numbers count per terminal.
        if let Some(t41) = step.fields.get(&41).filter(|v| !v.contains("{stan}")) {
            match cx.expand(t41) {
                Ok(v) => cx.terminal = v.trim_end().to_string(),
                Err(e) => {
                    res.error = Some(format!("step {:?} (line {}): {e}", step.name, step.line));
                    break;
                }
            }
        }
        let mut sent = BTreeMap::new();
        for (id, tmpl) in &step.fields {
            match cx.expand(tmpl) {
                Ok(v) => {
                    sent.insert(*id, v);
                }
                Err(e) => {
                    res.error = Some(format!(
                        "step {:?} (line {}) field {id}: {e}",
                        step.name, step.line
                    ));
                    break 'steps;
                }
            }
        }
        // The step's exchange, then its reversal when it timed out and says so.
        let mut next: Option<(String, BTreeMap<u16, String>, Expect, bool)> =
            Some((step.mti.clone(), sent.clone(), step.expect.clone(), false));
        let mut answered_values: Option<BTreeMap<u16, String>> = None;
        while let Some((mti, values, expect, is_reversal)) = next.take() {
            let built = build(run, mac.as_ref(), &mti, &values).and_then(|b| match step.spoil {
                Some(sp) if !is_reversal => spoiled(run, b, sp),
                _ => Ok(b),
            });
            let bytes = match built {
                Ok(b) => b,
                Err(e) => {
                    res.error = Some(format!(
                        "step {:?} (line {}): the message cannot be built: {e}",
                        step.name, step.line
                    ));
                    break 'steps;
                }
            };
            let c = match &mut conn {
                Some(c) => c,
                None => match connect(run, step.timeout) {
                    Ok(c) => {
                        buf.clear();
                        conn.insert(c)
                    }
                    Err(e) => {
                        res.error = Some(e);
                        break 'steps;
                    }
                },
            };
            let sent_at = Instant::now();
            if let Err(e) = c.write_all(&bytes) {
                res.error = Some(format!(
                    "step {:?}: cannot send to {}: {e}",
                    step.name, run.to
                ));
                break 'steps;
            }
            let key = (
                mti.get(..2).unwrap_or("").to_string(),
                values.get(&11).cloned().unwrap_or_default(),
                values
                    .get(&41)
                    .map(|v| v.trim_end().to_string())
                    .unwrap_or_default(),
            );
            let got = read_answer(run, c, &mut buf, &key, sent_at + step.timeout, &mut dec);
            let latency = sent_at.elapsed();
            let frame = match got {
                Ok(Got::Frame(f)) => Some(f),
                Ok(Got::Timeout) => None,
                Ok(Got::Closed(_)) => {
                    conn = None;
                    None
                }
                Err(e) => {
                    res.error = Some(format!("step {:?}: {e}", step.name));
                    break 'steps;
                }
            };
            let decoded = frame.as_ref().map(|f| {
                let choice = FramingChoice::Given(t.framing.clone());
                (decode_into(&t.spec, f, &choice, &mut dec), f)
            });
            let mut failures = Vec::new();
            let answer = match &decoded {
                Some((Ok(()), f)) => {
                    let mac_ok = mac
                        .as_ref()
                        .and_then(|(k, a)| posresp::host::session::mac_ok(f, &dec, k, *a));
                    Some(Answer {
                        dec: &dec,
                        latency,
                        mac: mac_ok,
                    })
                }
                Some((Err(e), _)) => {
                    failures.push(Failure {
                        what: "answer".into(),
                        expected: "an answer that decodes".into(),
                        actual: e.to_string(),
                    });
                    None
                }
                None => None,
            };
            if decoded.as_ref().is_none_or(|(r, _)| r.is_ok()) {
                let mut cx = Context {
                    vars: &case.vars,
                    suite_vars: &run.suite.vars,
                    steps: &steps,
                    counters: &run.counters,
                    stan: None,
                    terminal: String::new(),
                    now_ms: now,
                };
                failures.extend(check(
                    &expect,
                    &t.spec,
                    &values,
                    t.tpdu.as_deref(),
                    answer.as_ref(),
                    step.timeout,
                    &mut cx,
                ));
            }
            let no_answer = frame.is_none();
            if let Some(a) = &answer {
                // The batch: what the host approved counts towards the settlement's totals.
                let code = a.dec.get(39).unwrap_or("");
                let approved = posresp::glossary::response_code(t.spec.dialect, code)
                    .is_some_and(|r| r.category == "approved");
                let txn = Txn::of(
                    &mti,
                    |id| values.get(&id).map(String::as_str),
                    a.dec.get(63),
                );
                let mut book = run.counters.book.lock().unwrap_or_else(|p| p.into_inner());
                if is_settlement(&mti) {
                    book.close(&txn.terminal);
                } else {
                    book.answered(&txn, approved);
                }
            }
            if answer.is_some() && !is_reversal && step.session_keys {
                // The working keys of the answer: later steps are MACed with its MAK.
                let got = match (&run.tmk, dec.get(62)) {
                    (Some(tmk), Some(v)) => posresp::suite::cup_mak(tmk, v),
                    (None, _) => Err("no terminal master key".into()),
                    (_, None) => Err("the answer has no field 62".into()),
                };
                match got.and_then(|k| Key::from_bytes(&k).map_err(|e| e.to_string())) {
                    Ok(k) => {
                        let alg = posresp::host::respond::default_mac_alg(t.spec.dialect, &k);
                        mac = Some((k, alg));
                    }
                    Err(e) => failures.push(Failure {
                        what: "working keys (field 62)".into(),
                        expected: "working keys under the TMK with their check values".into(),
                        actual: e,
                    }),
                }
            }
            if answer.is_some() && !is_reversal {
                answered_values = Some(values_of(&dec));
            }
            let reverse = no_answer && !is_reversal && !expect.no_answer && step.reversal.is_some();
            // A timeout that the step meets with a reversal is not itself a failure.
            let reported: Vec<Failure> = if reverse {
                failures
                    .into_iter()
                    .filter(|f| f.what != "answer")
                    .collect()
            } else {
                failures
            };
            let req_hex = masked_hex(run, &bytes);
            let ans_hex = frame.as_ref().map(|f| masked_hex(run, f));
            for f in reported {
                res.failures.push(StepFailure {
                    step: if is_reversal {
                        format!("{} (reversal)", step.name)
                    } else {
                        step.name.clone()
                    },
                    line: step.line,
                    failure: f,
                    request_hex: req_hex.clone(),
                    answer_hex: ans_hex.clone(),
                });
            }
            if reverse && let Some(rexp) = &step.reversal {
                let rmti = if mti.starts_with('1') { "1400" } else { "0400" };
                let mut rexp = rexp.clone();
                if rexp.mti.is_none() {
                    rexp.mti = response_mti(rmti);
                }
                next = Some((
                    rmti.to_string(),
                    reversal_of(run, &mti, &values),
                    rexp,
                    true,
                ));
            }
        }
        steps.insert(
            step.name.clone(),
            StepValues {
                request: sent,
                response: answered_values,
            },
        );
    }
    res.seconds = started.elapsed().as_secs_f64();
    res
}
