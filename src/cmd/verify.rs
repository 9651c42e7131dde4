//! `posresp verify`: check values (Luhn, LRC, MAC) and the structure of whole messages, with
//! exit codes CI can gate on: 0 all checks passed, 1 a check failed, 2 could not run.

use std::io::{self, Write};

use anyhow::{Result, anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use posresp::check::emv::{self as emvc, CardChip, Cvn};
use posresp::check::{self, Key, LrcVariant, MacAlgorithm};
use posresp::codec::encoding::to_hex;
use posresp::codec::spec::LengthDef;
use posresp::codec::{Decoded, Dialect, Spec};
use posresp::input::{Frame, parse_hex_text};
use posresp::mask::{mask, mask_pan};

use crate::global::KeyArgs;
use crate::global::MacArg;
use crate::global::{GlobalArgs, OutputFormat};
use posresp::host::respond::is_request;
use posresp::input::{at_line, input_name, open_frames};
use posresp::specs::{Decoder, SpecChoice, framing_choice, load_spec};

/// LRC variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LrcArg {
    /// XOR of the bytes after STX up to and including ETX.
    Standard,
    /// STX included.
    WithStx,
    /// Data only, neither STX nor ETX.
    DataOnly,
    /// As standard, starting from 0x7F (Nexi ECR17).
    Ecr17,
}

/// Check values and message structure.
///
/// With INPUTs (files, '-' or hex), runs every applicable check on each message: PAN Luhn
/// (field 2 and the PAN in track 2), track 2 PAN equals field 2, expiry dates, field contents
/// against their type, lengths, the LRC of STX frames, and the MAC (field 64/128) when a key is
/// given; with --request, the response's pairing with its request. Exit status 0 when all
/// checks pass, 1 when one fails, 2 when they could not run.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
#[command(after_help = "Examples:
  posresp verify testdata/cup/cup-0210-worked.hex --key-env MAK
  posresp verify luhn 4761739001010119 79927398713
  posresp verify mac --algorithm x919 --key-file mak.hex response.hex
  posresp verify --request request.hex response.hex")]
pub struct VerifyArgs {
    /// Messages to check: files, '-' or hex.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    #[command(flatten)]
    pub key: KeyArgs,
    /// MAC algorithm (default: cup-ecb for CUP, x919 with a double-length key, else x99).
    #[arg(long, value_enum)]
    pub algorithm: Option<MacArg>,
    /// The request(s) the responses answer: checks MTI, echoed fields and (CUP) the TPDU,
    /// and fails every request left without a response. Without it, responses are paired
    /// with the requests before them in the inputs (a traffic log holds both).
    #[arg(long, value_name = "FILE")]
    pub request: Option<String>,
    /// Fail messages that carry no MAC (field 64/128), also without a key. With a key a MAC
    /// is always required (network management messages, MTI x8xx, excepted).
    #[arg(long)]
    pub require_mac: bool,
    /// Print only the checks that fail (the summary still counts them all).
    #[arg(long)]
    pub failures_only: bool,
    /// File holding the PIN key (hex): field 52 must decipher to a well-formed ISO 9564-1
    /// block for the message's PAN (DES/3DES for 8-byte blocks, AES for 16-byte format 4).
    #[arg(long, value_name = "PATH", conflicts_with = "pin_key_env")]
    pub pin_key_file: Option<String>,
    /// Environment variable holding the PIN key (hex).
    #[arg(long, value_name = "VAR")]
    pub pin_key_env: Option<String>,
    /// File holding the issuer master key for application cryptograms (IMK-AC, hex): the
    /// card's cryptogram (55.9F26) is recomputed, and a response's ARPC (55.91) checked
    /// against its request's ARQC.
    #[arg(long, value_name = "PATH", conflicts_with = "imk_env")]
    pub imk_file: Option<String>,
    /// Environment variable holding the IMK-AC (hex).
    #[arg(long, value_name = "VAR")]
    pub imk_env: Option<String>,
    /// File holding the base derivation key of DUKPT terminals (hex): each message's MAC
    /// and PIN block are checked under the keys derived for the KSN in --ksn-field (TDES
    /// DUKPT for a 16-byte BDK and a 20-digit KSN, AES DUKPT for a 24-digit KSN).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["bdk_env", "key_file", "key_env", "pin_key_file", "pin_key_env"])]
    pub bdk_file: Option<String>,
    /// Environment variable holding the BDK (hex).
    #[arg(long, value_name = "VAR", conflicts_with_all = ["key_file", "key_env", "pin_key_file", "pin_key_env"])]
    pub bdk_env: Option<String>,
    /// The field that carries the KSN, as hex (20 or 24 digits, or the KSN in the last
    /// bytes of a longer field).
    #[arg(long, value_name = "FIELD", default_value_t = 53)]
    pub ksn_field: u16,
    /// The cards' cryptogram version (default: read from each message's 9F10): visa10,
    /// visa18, visa22, mc16, mc17, mc20, mc21, interac133.
    #[arg(long, value_name = "CVN", value_parser = crate::global::parse_cvn)]
    pub cvn: Option<Cvn>,
    #[command(subcommand)]
    pub check: Option<VerifyCommand>,
}

/// Single checks.
#[derive(Debug, Subcommand)]
pub enum VerifyCommand {
    /// Luhn check digits of PANs (and the digit a failing one should end with).
    Luhn {
        /// PANs.
        #[arg(required = true)]
        pans: Vec<String>,
    },
    /// The LRC of an STX … ETX LRC frame (hex).
    Lrc {
        /// The frame as hex.
        frame: String,
        /// Which bytes the LRC covers.
        #[arg(long, value_enum, default_value_t = LrcArg::Standard)]
        variant: LrcArg,
    },
    /// The MAC of messages (field 64/128) or of raw data (--data).
    Mac {
        /// Messages (files, '-' or hex), or with --data the data itself as hex.
        #[arg(required = true)]
        inputs: Vec<String>,
        /// MAC algorithm.
        #[arg(long, value_enum)]
        algorithm: Option<MacArg>,
        /// INPUT is data to MAC, not a message; compare with --expect if given.
        #[arg(long)]
        data: bool,
        /// Expected MAC (hex) for --data.
        #[arg(long, value_name = "HEX", requires = "data")]
        expect: Option<String>,
        /// ISO 9797-1 padding method for x99/x919 over --data (1: zeros, 2: 0x80 then zeros).
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=2), default_value_t = 1)]
        padding: u8,
        /// Try every algorithm, padding and MAC block posresp knows and say which (if any)
        /// reproduces each message's MAC.
        #[arg(long, conflicts_with_all = ["algorithm", "data"])]
        search: bool,
        #[command(flatten)]
        key: KeyArgs,
    },
}

/// One check's outcome.
#[derive(Debug, Serialize, Clone)]
pub struct CheckRow {
    /// Message index (0-based inside; written 1-based, as the table, CSV, decode's "line" and
    /// diff's message numbers count), when checking messages.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "one_based")]
    pub message: Option<usize>,
    /// Check name.
    pub check: &'static str,
    /// Field it concerns.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub field: String,
    /// pass, fail or skip.
    pub result: &'static str,
    /// What was found.
    pub detail: String,
}

fn one_based<S: serde::Serializer>(m: &Option<usize>, s: S) -> Result<S::Ok, S::Error> {
    match m {
        Some(i) => s.serialize_u64(*i as u64 + 1),
        None => s.serialize_none(),
    }
}

fn row(
    message: Option<usize>,
    check: &'static str,
    field: &str,
    ok: bool,
    detail: String,
) -> CheckRow {
    CheckRow {
        message,
        check,
        field: field.into(),
        result: if ok { "pass" } else { "fail" },
        detail,
    }
}

fn skip(message: Option<usize>, check: &'static str, field: &str, detail: String) -> CheckRow {
    CheckRow {
        message,
        check,
        field: field.into(),
        result: "skip",
        detail,
    }
}

/// Run `verify`.
pub fn run(global: &GlobalArgs, args: &VerifyArgs) -> Result<u8> {
    let mut rows = Vec::new();
    let mut sink = RowSink::new(
        global.output,
        args.failures_only,
        crate::render::use_color(global.color),
    );
    let mut could_not_run = false;
    match &args.check {
        Some(VerifyCommand::Luhn { pans }) => {
            for p in pans {
                let digits: String = p
                    .chars()
                    .filter(|c| !c.is_whitespace() && *c != '-')
                    .collect();
                let shown = if global.unmask {
                    digits.clone()
                } else {
                    mask_pan(&digits)
                };
                match check::luhn_valid(&digits) {
                    Some(ok) => rows.push(row(
                        None,
                        "luhn",
                        "",
                        ok,
                        format!("{shown}: {}", luhn_words(&digits, ok)),
                    )),
                    None => {
                        writeln!(
                            io::stderr(),
                            "posresp: {shown:?} is not a PAN: give digits only (at least 2)"
                        )?;
                        could_not_run = true;
                    }
                }
            }
        }
        Some(VerifyCommand::Lrc { frame, variant }) => {
            let bytes = parse_hex_text(frame).map_err(|e| anyhow!("frame: {e}"))?;
            let v = match variant {
                LrcArg::Standard => LrcVariant::Standard,
                LrcArg::WithStx => LrcVariant::WithStx,
                LrcArg::DataOnly => LrcVariant::DataOnly,
                LrcArg::Ecr17 => LrcVariant::Ecr17,
            };
            let (computed, sent) = check::frame_lrc(&bytes, v).ok_or_else(|| {
                anyhow!("not an STX frame: expected STX (02) first, ETX (03) second to last and the LRC last")
            })?;
            rows.push(row(
                None,
                "lrc",
                "",
                computed == sent,
                format!("frame LRC {sent:02X}, computed {computed:02X}"),
            ));
        }
        Some(VerifyCommand::Mac {
            inputs,
            algorithm,
            data,
            expect,
            key,
            padding,
            search,
        }) => {
            let key = key.load("MAC key")?.ok_or_else(|| {
                anyhow!("verify mac needs a key: --key-file PATH or --key-env VAR")
            })?;
            if *data {
                let alg: MacAlgorithm = algorithm.map(Into::into).unwrap_or(MacAlgorithm::X99);
                for input in inputs {
                    let bytes = parse_hex_text(input).map_err(|e| anyhow!("data: {e}"))?;
                    let pad = if *padding == 2 {
                        check::Padding::Method2
                    } else {
                        check::Padding::Method1
                    };
                    let m = match alg {
                        MacAlgorithm::X99 => check::mac_alg1(&key, &bytes, pad),
                        MacAlgorithm::X919 => {
                            check::mac_alg3(&key, &bytes, pad).map_err(|e| anyhow!("{e}"))?
                        }
                        _ => check::mac(alg, &key, &bytes).map_err(|e| anyhow!("{e}"))?,
                    };
                    let shown = mac_text(alg, &m);
                    match expect {
                        Some(e) => {
                            let ok = e.trim().eq_ignore_ascii_case(&shown)
                                || e.trim().eq_ignore_ascii_case(&shown[..8]);
                            rows.push(row(
                                None,
                                "mac",
                                "",
                                ok,
                                format!(
                                    "computed {shown}, expected {e} (key KCV {})",
                                    to_hex(&key.kcv())
                                ),
                            ));
                        }
                        None => rows.push(row(
                            None,
                            "mac",
                            "",
                            true,
                            format!("MAC {shown} (key KCV {})", to_hex(&key.kcv())),
                        )),
                    }
                }
            } else {
                could_not_run |= check_messages(
                    global,
                    inputs,
                    &MessageChecks {
                        key: Some(&key),
                        algorithm: *algorithm,
                        request: None,
                        mac_only: true,
                        require_mac: false,
                        search: *search,
                        pin_key: None,
                        imk: None,
                        cvn: None,
                        dukpt: None,
                    },
                    &mut rows,
                    &mut sink,
                )?;
            }
        }
        None => {
            if args.inputs.is_empty() {
                bail!(
                    "nothing to verify: give messages (files, '-' or hex), or a check: verify luhn|lrc|mac"
                );
            }
            let key = args.key.load("MAC key")?;
            could_not_run |= check_messages(
                global,
                &args.inputs,
                &MessageChecks {
                    key: key.as_ref(),
                    algorithm: args.algorithm,
                    request: args.request.as_deref(),
                    mac_only: false,
                    require_mac: args.require_mac,
                    search: false,
                    pin_key: crate::global::read_secret(
                        args.pin_key_file.as_deref(),
                        args.pin_key_env.as_deref(),
                        false,
                        "PIN key",
                    )?,
                    imk: match crate::global::read_secret(
                        args.imk_file.as_deref(),
                        args.imk_env.as_deref(),
                        false,
                        "issuer master key",
                    )? {
                        None => None,
                        Some(t) => Some(
                            Key::from_hex(t.trim())
                                .map_err(|e| anyhow!("issuer master key: {e}"))?,
                        ),
                    },
                    cvn: args.cvn,
                    dukpt: match crate::global::read_secret(
                        args.bdk_file.as_deref(),
                        args.bdk_env.as_deref(),
                        false,
                        "BDK",
                    )? {
                        None => None,
                        Some(t) => Some(Dukpt::from_hex(&t, args.ksn_field)?),
                    },
                },
                &mut rows,
                &mut sink,
            )?;
        }
    }
    sink.flush_rows(&mut rows)?;
    let failed = sink.any_failed();
    sink.finish()?;
    Ok(if could_not_run {
        2
    } else if failed {
        1
    } else {
        0
    })
}

fn mac_text(alg: MacAlgorithm, m: &[u8; 8]) -> String {
    match alg {
        // The CUP MAC is already 8 ASCII hex characters.
        MacAlgorithm::CupEcb => String::from_utf8_lossy(m).into_owned(),
        _ => to_hex(m),
    }
}

/// Read every message of `inputs` as frames.
fn frames(inputs: &[String], stderr: &mut impl Write, failed: &mut bool) -> Result<Vec<Frame>> {
    let mut out = Vec::new();
    for arg in inputs {
        let reader = match open_frames(arg) {
            Ok(r) => r,
            Err(e) => {
                writeln!(stderr, "posresp: {e:#}")?;
                *failed = true;
                continue;
            }
        };
        for f in reader {
            match f {
                Ok(f) => out.push(f),
                Err(e) => {
                    writeln!(stderr, "posresp: {}: {e}", input_name(arg))?;
                    *failed = true;
                }
            }
        }
    }
    Ok(out)
}

/// What to check in messages, as asked on the command line.
struct MessageChecks<'a> {
    key: Option<&'a Key>,
    algorithm: Option<MacArg>,
    request: Option<&'a str>,
    mac_only: bool,
    require_mac: bool,
    /// Try every MAC choice and say which reproduces the message's MAC.
    search: bool,
    /// The PIN key's hex text, for field 52.
    pin_key: Option<String>,
    /// The issuer master key and the cryptogram version, for field 55.
    imk: Option<Key>,
    cvn: Option<Cvn>,
    /// The BDK and where the KSN is, for DUKPT terminals.
    dukpt: Option<Dukpt>,
}

fn check_messages(
    global: &GlobalArgs,
    inputs: &[String],
    what: &MessageChecks<'_>,
    rows: &mut Vec<CheckRow>,
    sink: &mut RowSink,
) -> Result<bool> {
    let specs = load_spec(&global.spec)?;
    let framing = framing_choice("auto")?;
    let mut stderr = io::stderr();
    let mut could_not_run = false;
    let mut pairer = Pairer {
        imk: what.imk.clone(),
        cvn: what.cvn,
        ..Pairer::default()
    };
    if let Some(path) = what.request {
        pairer.from_file = true;
        let mut decoder = Decoder::new(&specs, framing.clone());
        for (n, f) in frames(&[path.to_string()], &mut stderr, &mut could_not_run)?
            .into_iter()
            .enumerate()
        {
            match decoder.decode(&f) {
                (Some(s), None) => {
                    pairer.add_request(PairInfo::of(s, &decoder.dec, n, true, what.imk.is_some()))
                }
                (_, Some(e)) => {
                    writeln!(
                        stderr,
                        "posresp: {}: request {}{} could not be decoded: {e}; {}",
                        input_name(path),
                        n + 1,
                        at_line(&f),
                        e.hint()
                    )?;
                    could_not_run = true;
                }
                _ => {}
            }
        }
        pairer.file_requests = pairer.next_id;
    }
    let ctx = CheckCtx {
        specs: &specs,
        framing: &framing,
        key: what.key,
        algorithm: what.algorithm,
        mac_only: what.mac_only,
        search: what.search,
        pin_key: match &what.pin_key {
            None => None,
            Some(t) => Some(PinKeys::from_hex(t)?),
        },
        require_mac: what.require_mac || what.key.is_some() || what.dukpt.is_some(),
        dukpt: what.dukpt.clone(),
        imk: what.imk.clone(),
        cvn: what.cvn,
        unmask: global.unmask,
        kcv: what.key.map(|k| to_hex(&k.kcv())).unwrap_or_default(),
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let mut i = 0usize;
    let mut batch: Vec<(Result<Frame, String>, String)> = Vec::with_capacity(BATCH);
    // Messages are checked a batch at a time, on every core, and written in input order:
    // logs of any length go through in flat memory. Pairing runs in order, between batches.
    // A line that holds no message keeps its number, as in decode.
    for arg in inputs {
        let reader = match open_frames(arg) {
            Ok(r) => r,
            Err(e) => {
                writeln!(stderr, "posresp: {e:#}")?;
                could_not_run = true;
                continue;
            }
        };
        for item in reader {
            batch.push((item.map_err(|e| e.to_string()), input_name(arg)));
            if batch.len() == BATCH {
                could_not_run |= run_batch(
                    &ctx,
                    &batch,
                    &mut i,
                    threads,
                    &mut pairer,
                    rows,
                    sink,
                    &mut stderr,
                )?;
                batch.clear();
            }
        }
    }
    could_not_run |= run_batch(
        &ctx,
        &batch,
        &mut i,
        threads,
        &mut pairer,
        rows,
        sink,
        &mut stderr,
    )?;
    if !what.mac_only {
        pairer.unanswered(rows);
    }
    sink.messages += i;
    Ok(could_not_run)
}

/// What pairing needs of a message: its key (MTI version and class, field 11, field 41), its
/// MTI, the fields a response echoes, and its TPDU addresses.
struct PairInfo {
    /// Message index (in the inputs, or in --request when `from_file`).
    index: usize,
    from_file: bool,
    request: bool,
    key: PairKey,
    mti: String,
    echo: Vec<(u16, String, bool)>,
    tpdu: Option<(String, String)>,
    /// The chip data (field 55) with the card's PAN and sequence number, when cryptograms are
    /// checked.
    chip: Option<CardChip>,
}

type PairKey = posresp::traffic::OwnedPairKey;

impl PairInfo {
    fn of(spec: &Spec, d: &Decoded, index: usize, from_file: bool, chip: bool) -> PairInfo {
        let mti = d.mti().to_string();
        PairInfo {
            chip: if chip { CardChip::of(d).ok() } else { None },
            index,
            from_file,
            request: is_request(&mti),
            key: posresp::traffic::PairKey::of(d).owned(),
            echo: [3u16, 4, 11, 41, 42, 49]
                .iter()
                .filter_map(|&id| {
                    let hidden = spec.field(id as usize).and_then(|f| f.sensitive).is_some();
                    d.get(id).map(|v| (id, v.to_string(), hidden))
                })
                .collect(),
            tpdu: d
                .framing
                .as_ref()
                .and_then(|f| f.tpdu_parts())
                .map(|t| (t.destination.to_string(), t.source.to_string())),
            mti,
        }
    }

    fn describe(&self) -> String {
        let none = |s: &str| {
            if s.is_empty() {
                "(none)".to_string()
            } else {
                s.to_string()
            }
        };
        let (trace, term) = (none(&self.key.trace), none(&self.key.terminal));
        format!(
            "{} {}, MTI {}, trace {}, terminal {}",
            if self.from_file { "request" } else { "message" },
            self.index + 1,
            self.mti,
            trace,
            term
        )
    }
}

/// Pairs responses with the requests before them (in --request, or earlier in the inputs);
/// holds only the requests still waiting for an answer.
#[derive(Default)]
struct Pairer {
    waiting: std::collections::HashMap<PairKey, std::collections::VecDeque<usize>>,
    store: std::collections::HashMap<usize, PairInfo>,
    next_id: usize,
    /// Requests came from --request: ids below this are theirs, in file order.
    file_requests: usize,
    from_file: bool,
    requests_seen: usize,
    responses_seen: usize,
    /// For the ARPC of responses (55.91).
    imk: Option<Key>,
    cvn: Option<Cvn>,
}

impl Pairer {
    fn add_request(&mut self, p: PairInfo) {
        let id = self.next_id;
        self.next_id += 1;
        self.requests_seen += 1;
        self.waiting.entry(p.key.clone()).or_default().push_back(id);
        self.store.insert(id, p);
    }

    fn take(&mut self, key: &PairKey) -> Option<PairInfo> {
        let q = self.waiting.get_mut(key)?;
        let found = loop {
            let id = q.pop_front()?;
            if let Some(p) = self.store.remove(&id) {
                break p;
            }
        };
        if q.is_empty() {
            self.waiting.remove(key);
        }
        Some(found)
    }

    /// Pair one message: a request waits; a response gets its pairing rows.
    fn message(&mut self, m: PairInfo, rows: &mut Vec<CheckRow>) {
        if m.request {
            self.add_request(m);
            return;
        }
        self.responses_seen += 1;
        let at = Some(m.index);
        let req = self.take(&m.key).or_else(|| {
            // With --request: the request at the same position, when keys do not match.
            let id = self.responses_seen - 1;
            (self.from_file && id < self.file_requests)
                .then(|| self.store.remove(&id))
                .flatten()
        });
        let Some(req) = req else {
            if self.requests_seen > 0 {
                rows.push(row(
                    at,
                    "pairing",
                    "",
                    false,
                    format!(
                        "no request with MTI {}xx, field 11 {} and field 41 {} before it{}",
                        m.key.class,
                        if m.key.trace.is_empty() {
                            "(none)"
                        } else {
                            &m.key.trace
                        },
                        if m.key.terminal.is_empty() {
                            "(none)"
                        } else {
                            &m.key.terminal
                        },
                        if self.from_file {
                            " or in --request"
                        } else {
                            ""
                        }
                    ),
                ));
            }
            return;
        };
        let want = posresp::host::respond::response_mti(&req.mti).unwrap_or_default();
        rows.push(row(
            at,
            "mti",
            "",
            m.mti == want,
            format!(
                "request {} ({}), response {} (expected {want})",
                req.mti,
                req.describe(),
                m.mti
            ),
        ));
        for (id, a, hidden) in &req.echo {
            if let Some((_, b, _)) = m.echo.iter().find(|(i, _, _)| i == id) {
                let detail = if a == b {
                    "echoed".to_string()
                } else if *hidden {
                    "differs (value hidden)".into()
                } else {
                    format!("request {a:?}, response {b:?}")
                };
                rows.push(row(at, "echo", &id.to_string(), a == b, detail));
            }
        }
        if let (Some((qd, qs)), Some((sd, ss))) = (&req.tpdu, &m.tpdu) {
            let swapped = qd == ss && qs == sd;
            let same = qd == sd && qs == ss;
            let detail = if swapped {
                "destination and source swapped".to_string()
            } else if same {
                "echoed unswapped (some hosts do this)".into()
            } else {
                format!("request {qs}→{qd}, response {ss}→{sd}")
            };
            rows.push(row(at, "tpdu", "", swapped || same, detail));
        }
        if let (Some(imk), Some(q), Some(a)) = (&self.imk, &req.chip, &m.chip) {
            arpc_check(at, imk, self.cvn, q, a, rows);
        }
    }

    /// Every request still waiting fails, listed with its key: when responses were given
    /// (or --request was), a request without one went unanswered.
    fn unanswered(&mut self, rows: &mut Vec<CheckRow>) {
        if !self.from_file && self.responses_seen == 0 {
            return;
        }
        let mut left: Vec<PairInfo> = self.store.drain().map(|(_, p)| p).collect();
        left.sort_by_key(|p| (p.from_file, p.index));
        for p in left {
            rows.push(row(
                (!p.from_file).then_some(p.index),
                "answered",
                "",
                false,
                format!("{}: no response", p.describe()),
            ));
        }
    }
}

/// Messages per batch when checking logs on several threads.
const BATCH: usize = 2048;

/// What every message check needs, shared read-only by the worker threads.
struct CheckCtx<'a> {
    specs: &'a SpecChoice,
    framing: &'a posresp::codec::FramingChoice,
    key: Option<&'a Key>,
    algorithm: Option<MacArg>,
    mac_only: bool,
    search: bool,
    pin_key: Option<PinKeys>,
    imk: Option<Key>,
    cvn: Option<Cvn>,
    /// DUKPT: keys per message from the BDK and the KSN in a field.
    dukpt: Option<Dukpt>,
    /// A message without a MAC fails (a key was given, or --require-mac).
    require_mac: bool,
    unmask: bool,
    /// The key's check value, computed once.
    kcv: String,
}

/// Check one message; rows go to `rows`, an explanation of a decode failure to `errs`.
#[allow(clippy::too_many_arguments)]
fn check_one<'a>(
    ctx: &CheckCtx<'a>,
    frame: &Frame,
    arg: &str,
    index: usize,
    decoder: &mut Decoder<'a>,
    rows: &mut Vec<CheckRow>,
    errs: &mut Vec<u8>,
) -> (bool, Option<PairInfo>) {
    let (spec, err) = decoder.decode(frame);
    let bytes = decoder.bytes_read(frame);
    let dec = &decoder.dec;
    let m = Some(index);
    let Some(spec) = spec.filter(|_| err.is_none()) else {
        let e = err
            .map(|e| format!("{e}; {}", e.hint()))
            .unwrap_or_else(|| "no spec fits".into());
        let _ = writeln!(
            errs,
            "posresp: {arg}: message {}{}: could not be decoded: {e}",
            index + 1,
            at_line(frame)
        );
        rows.push(row(m, "decode", "", false, e));
        return (true, None);
    };
    let first_row = rows.len();
    if !ctx.mac_only {
        structure_checks(m, spec, dec, ctx.unmask, rows);
    }
    let dukpt = ctx.dukpt.as_ref().and_then(|d| d.keys_for(dec).transpose());
    match &dukpt {
        None => {
            let mk = MacKey {
                key: ctx.key,
                kcv: &ctx.kcv,
                algorithm: None,
            };
            mac_check(m, spec, dec, bytes, ctx, &mk, rows);
            if let Some(k) = &ctx.pin_key {
                pin_check(m, dec, k, rows);
            }
        }
        Some(Ok(keys)) => {
            let mk = MacKey {
                key: Some(&keys.mac),
                kcv: &keys.mac_kcv,
                algorithm: keys.algorithm,
            };
            mac_check(m, spec, dec, bytes, ctx, &mk, rows);
            pin_check(m, dec, &keys.pin, rows);
        }
        Some(Err(e)) => rows.push(skip(
            m,
            "dukpt",
            &ctx.dukpt.as_ref().map_or(53, |d| d.field).to_string(),
            e.clone(),
        )),
    }
    if let Some(imk) = &ctx.imk {
        arqc_check(m, dec, imk, ctx.cvn, rows);
    }
    if frame.redacted {
        not_checkable_when_redacted(&mut rows[first_row..]);
    }
    (
        false,
        (!ctx.mac_only).then(|| PairInfo::of(spec, dec, index, false, ctx.imk.is_some())),
    )
}

/// posresp's own traffic logs zero card data (`"redacted": true`): the checks over zeroed
/// values (check digits, the expiry in track 2, the MAC over the original bytes) cannot be
/// made, and say so instead of failing.
fn not_checkable_when_redacted(rows: &mut [CheckRow]) {
    for r in rows {
        let zeroed = matches!(
            r.check,
            "pan_luhn" | "track2_luhn" | "mac" | "pin_block" | "arqc" | "arpc"
        ) || (r.check == "expiry" && r.field == "35");
        if zeroed && r.result != "skip" {
            r.result = "skip";
            r.detail = "not checkable: card data in this log record was zeroed (\"redacted\": true); check the unmasked traffic".into();
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn run_batch(
    ctx: &CheckCtx<'_>,
    batch: &[(Result<Frame, String>, String)],
    next_index: &mut usize,
    threads: usize,
    pairer: &mut Pairer,
    rows: &mut Vec<CheckRow>,
    sink: &mut RowSink,
    stderr: &mut impl Write,
) -> Result<bool> {
    if batch.is_empty() {
        return Ok(false);
    }
    let start = *next_index;
    *next_index += batch.len();
    let results = crate::parallel::par_chunks(
        batch,
        threads,
        |first, part| {
            let (mut rows, mut errs, mut bad) = (Vec::new(), Vec::new(), false);
            let mut pairs = Vec::new();
            let mut decoder = Decoder::new(ctx.specs, ctx.framing.clone());
            for (j, (frame, arg)) in part.iter().enumerate() {
                let frame = match frame {
                    Ok(f) => f,
                    Err(e) => {
                        let _ = writeln!(
                            errs,
                            "posresp: {arg}: message {} ({e})",
                            start + first + j + 1
                        );
                        bad = true;
                        continue;
                    }
                };
                let (b, p) = check_one(
                    ctx,
                    frame,
                    arg,
                    start + first + j,
                    &mut decoder,
                    &mut rows,
                    &mut errs,
                );
                bad |= b;
                pairs.extend(p);
            }
            (rows, errs, bad, pairs)
        },
        || {
            (
                Vec::new(),
                b"posresp: a check worker failed\n".to_vec(),
                true,
                Vec::new(),
            )
        },
    );
    let mut bad = false;
    let mut paired = Vec::new();
    for (mut part_rows, errs, b, pairs) in results {
        stderr.write_all(&errs)?;
        rows.append(&mut part_rows);
        for p in pairs {
            pairer.message(p, &mut paired);
        }
        bad |= b;
    }
    // Pairing rows join their message's rows.
    rows.append(&mut paired);
    rows.sort_by_key(|r| r.message);
    sink.flush_rows(rows)?;
    Ok(bad)
}

/// How a Luhn check reads, in verify's rows and in `verify luhn`: "check digit correct", or
/// the digit the PAN should end with.
fn luhn_words(digits: &str, ok: bool) -> String {
    if ok {
        return "check digit correct".into();
    }
    match digits
        .get(..digits.len().saturating_sub(1))
        .and_then(check::luhn_digit)
    {
        Some(d) => format!("check digit should be {d}"),
        None => "check digit wrong".into(),
    }
}

fn structure_checks(
    m: Option<usize>,
    spec: &Spec,
    dec: &Decoded,
    unmask: bool,
    rows: &mut Vec<CheckRow>,
) {
    let get = |id: u16| dec.get(id);
    let pan = get(2);
    let shown = |p: &str| if unmask { p.to_string() } else { mask_pan(p) };
    match pan {
        Some(p) if p.bytes().all(|c| c.is_ascii_digit()) => match check::luhn_valid(p) {
            Some(ok) => rows.push(row(
                m,
                "pan_luhn",
                "2",
                ok,
                format!("{}: {}", shown(p), luhn_words(p, ok)),
            )),
            None => rows.push(skip(m, "pan_luhn", "2", "PAN too short".into())),
        },
        Some(p) => rows.push(skip(
            m,
            "pan_luhn",
            "2",
            format!(
                "PAN {} is not all digits (masked in the log?)",
                mask(Some(posresp::codec::Sensitivity::Pan), p)
            ),
        )),
        None => {}
    }
    if let Some(t2) = get(35) {
        let (t_pan, rest) = t2.split_once(['=', 'D']).unwrap_or((t2, ""));
        if let Some(ok) = check::luhn_valid(t_pan) {
            rows.push(row(
                m,
                "track2_luhn",
                "35",
                ok,
                format!("track 2 PAN {}: {}", shown(t_pan), luhn_words(t_pan, ok)),
            ));
        }
        if let Some(p) = pan {
            let same = p == t_pan;
            rows.push(row(
                m,
                "track2_pan",
                "35",
                same,
                if same {
                    "track 2 PAN equals field 2".into()
                } else {
                    "track 2 PAN differs from field 2".into()
                },
            ));
        }
        if rest.len() >= 4 {
            rows.push(expiry_row(m, "35", &rest[..4]));
        }
    }
    if let Some(e) = get(14) {
        rows.push(expiry_row(m, "14", e));
    }
    // Field contents against their data class, and lengths against the spec.
    let mut bad = Vec::new();
    for f in &dec.fields {
        let Some(def) = spec.field(f.id as usize) else {
            continue;
        };
        let v = dec.value(f);
        let ok = match (def.class.as_str(), def.enc) {
            (
                _,
                posresp::codec::encoding::Encoding::Binary
                | posresp::codec::encoding::Encoding::Hex,
            ) => true,
            ("n", _) => v.bytes().all(|c| c.is_ascii_digit()),
            ("a", _) => v.bytes().all(|c| c.is_ascii_alphabetic() || c == b' '),
            ("an", _) => v.bytes().all(|c| c.is_ascii_alphanumeric() || c == b' '),
            ("z", _) => v
                .bytes()
                .all(|c| c.is_ascii_digit() || c == b'=' || c == b'D'),
            ("x+n", _) => v.starts_with(['C', 'D']) && v[1..].bytes().all(|c| c.is_ascii_digit()),
            _ => {
                v.bytes().all(|c| c.is_ascii_graphic() || c == b' ')
                    || v.chars().all(|c| !c.is_control())
            }
        };
        if !ok {
            let first = v
                .char_indices()
                .find(|(_, c)| !(c.is_ascii_digit()))
                .map(|(i, _)| i + 1)
                .unwrap_or(0);
            let detail = match def.sensitive {
                Some(_) => format!("content does not match type {} (value hidden)", def.class),
                None => format!(
                    "{:?} does not match type {} (character {first})",
                    v, def.class
                ),
            };
            bad.push(row(m, "type", &def.id_str, false, detail));
        }
        if let LengthDef::Var { max, .. } = def.length {
            let units = posresp::codec::field::value_units(def.enc, v).unwrap_or(0);
            if units > max {
                bad.push(row(
                    m,
                    "length",
                    &def.id_str,
                    false,
                    format!("{units} > maximum {max}"),
                ));
            }
        }
    }
    if bad.is_empty() {
        rows.push(row(
            m,
            "types",
            "",
            true,
            format!("{} fields match their types and lengths", dec.fields.len()),
        ));
    } else {
        rows.extend(bad);
    }
    // Chip data must be BER-TLV: decode shows what it could read, verify fails the rest.
    for f in &dec.fields {
        let Some(def) = spec.field(f.id as usize) else {
            continue;
        };
        if !def
            .subfields
            .as_ref()
            .is_some_and(|s| s.kind == posresp::codec::spec::SubfieldKind::Tlv)
        {
            continue;
        }
        let v = dec.value(f);
        let parsed = posresp::codec::encoding::from_hex(v)
            .ok()
            .filter(|b| b.len() * 2 == v.len())
            .map(|b| (posresp::codec::tlv::parse(&b), b.len()));
        let (ok, detail) = match parsed {
            None => (false, "not hex: cannot be BER-TLV".to_string()),
            Some(((objs, None), n)) => (
                true,
                format!(
                    "BER-TLV: {} element{} in {n} bytes",
                    objs.len(),
                    if objs.len() == 1 { "" } else { "s" }
                ),
            ),
            Some(((_, Some(e)), _)) => (false, e.to_string()),
        };
        rows.push(row(m, "chip_tlv", &def.id_str, ok, detail));
    }
    let announced: u32 = dec.bitmaps[..dec.bitmap_count]
        .iter()
        .map(|b| b.count_ones())
        .sum::<u32>()
        - u32::from(dec.bitmap_count >= 2)
        - u32::from(dec.bitmap_count == 3);
    rows.push(row(
        m,
        "bitmap",
        "",
        announced as usize == dec.fields.len(),
        format!("{announced} bits set, {} fields present", dec.fields.len()),
    ));
    if let Some(l) = dec.framing.as_ref().and_then(|f| f.lrc.as_ref()) {
        rows.push(row(
            m,
            "lrc",
            "",
            l.ok,
            format!("frame LRC {}, computed {}", l.value, l.computed),
        ));
    }
}

fn expiry_row(m: Option<usize>, field: &str, yymm: &str) -> CheckRow {
    let month: u32 = yymm.get(2..4).and_then(|s| s.parse().ok()).unwrap_or(0);
    let ok =
        yymm.len() == 4 && yymm.bytes().all(|c| c.is_ascii_digit()) && (1..=12).contains(&month);
    row(
        m,
        "expiry",
        field,
        ok,
        if ok {
            "expiry date is a valid YYMM".into()
        } else {
            "expiry date is not a valid YYMM".into()
        },
    )
}

/// The MAC key of one message: the one given, or the one DUKPT derives for its KSN; with its
/// check value and the algorithm that goes with it when `--algorithm` does not say.
struct MacKey<'k> {
    key: Option<&'k Key>,
    kcv: &'k str,
    algorithm: Option<MacAlgorithm>,
}

#[allow(clippy::too_many_arguments)]
fn mac_check(
    m: Option<usize>,
    spec: &Spec,
    dec: &Decoded,
    bytes: &[u8],
    ctx: &CheckCtx<'_>,
    mk: &MacKey<'_>,
    rows: &mut Vec<CheckRow>,
) {
    let (key, algorithm, required) = (mk.key, ctx.algorithm, ctx.mac_only);
    let mac_field = dec.fields.iter().rev().find(|f| f.id == 64 || f.id == 128);
    // Network management (sign-on, echo test: MTI x8xx) carries no MAC.
    let management = dec.mti().as_bytes().get(1) == Some(&b'8');
    if mac_field.is_none() && ctx.require_mac && !management {
        rows.push(row(
            m,
            "mac",
            "64",
            false,
            if key.is_some() {
                "no MAC (field 64/128) in the message, but a key was given: a MAC is required"
                    .into()
            } else {
                "no MAC (field 64/128) in the message (--require-mac)".into()
            },
        ));
        return;
    }
    let (Some(mf), Some(key)) = (mac_field, key) else {
        if required || mac_field.is_some() {
            let why = if mac_field.is_none() {
                "no field 64/128 in the message"
            } else {
                "no key given (--key-file or --key-env)"
            };
            rows.push(skip(
                m,
                "mac",
                mac_field.map_or("", |f| if f.id == 64 { "64" } else { "128" }),
                why.into(),
            ));
        }
        return;
    };
    let field = if mf.id == 64 { "64" } else { "128" };
    let wire = &bytes[mf.offset as usize..(mf.offset + mf.len) as usize];
    // A MAC carried as hex characters (ASCII specs) is compared as the bytes it spells.
    let from_chars = spec
        .field(mf.id as usize)
        .is_some_and(|d| d.enc == posresp::codec::encoding::Encoding::Hex);
    let decoded_chars = if from_chars {
        posresp::codec::encoding::from_hex(&String::from_utf8_lossy(wire)).ok()
    } else {
        None
    };
    let sent: &[u8] = decoded_chars.as_deref().unwrap_or(wire);
    if ctx.search {
        rows.push(search_row(
            m,
            spec,
            dec,
            bytes,
            (mf.offset as usize, field),
            sent,
            wire,
            mk,
        ));
        return;
    }
    // MAC block: from the MTI up to the MAC field (CUP: MTI through field 63).
    let mab = &bytes[dec.mti_offset..mf.offset as usize];
    let alg: MacAlgorithm = match (algorithm, mk.algorithm) {
        (Some(a), _) => a.into(),
        (None, Some(a)) => a,
        (None, None) if spec.dialect == Dialect::Cup => MacAlgorithm::CupEcb,
        (None, None) if key.is_double() => MacAlgorithm::X919,
        (None, None) => MacAlgorithm::X99,
    };
    match check::mac(alg, key, mab) {
        Ok(mac) => {
            let full = sent == mac;
            let half =
                !full && sent.len() == 8 && sent[..4] == mac[..4] && alg != MacAlgorithm::CupEcb;
            let detail = format!(
                "{} over {} bytes: computed {}, message has {} (key KCV {})",
                alg.name(),
                mab.len(),
                mac_text(alg, &mac),
                if alg == MacAlgorithm::CupEcb {
                    String::from_utf8_lossy(sent).into_owned()
                } else {
                    to_hex(sent)
                },
                mk.kcv
            );
            rows.push(row(
                m,
                "mac",
                field,
                full || half,
                if half {
                    format!("{detail}; first 4 bytes agree")
                } else {
                    detail
                },
            ));
        }
        Err(e) => rows.push(row(m, "mac", field, false, e.to_string())),
    }
}

/// The PIN key of `--pin-key-file`, as a DES key (8-byte blocks) and as an AES key (16-byte
/// blocks), whichever its length allows.
struct PinKeys {
    des: Option<posresp::check::pin::PinKey>,
    aes: Option<posresp::check::pin::PinKey>,
    kcv: String,
}

impl PinKeys {
    fn from_hex(text: &str) -> Result<PinKeys> {
        use posresp::check::pin::{Format, PinKey};
        let des = PinKey::from_hex(text.trim(), Format::Iso0).ok();
        let aes = PinKey::from_hex(text.trim(), Format::Iso4).ok();
        let kcv = match (&des, &aes) {
            (Some(PinKey::Tdes(k)), _) => to_hex(&k.kcv()[..3]),
            (_, Some(PinKey::Aes(k))) => to_hex(&k.kcv_cmac()[..3]),
            _ => bail!("PIN key: a DES key is 8, 16 or 24 bytes, an AES key 16, 24 or 32"),
        };
        Ok(PinKeys { des, aes, kcv })
    }

    /// A TDES key for 8-byte blocks and an AES key for 16-byte ones (AES DUKPT).
    fn pair(des: &[u8], aes: &[u8]) -> Result<PinKeys> {
        use posresp::check::pin::{Format, PinKey};
        let d = PinKey::from_hex(&to_hex(des), Format::Iso0).map_err(|e| anyhow!("{e}"))?;
        let a = PinKey::from_hex(&to_hex(aes), Format::Iso4).map_err(|e| anyhow!("{e}"))?;
        let kcv = match &a {
            PinKey::Aes(k) => to_hex(&k.kcv_cmac()[..3]),
            PinKey::Tdes(k) => to_hex(&k.kcv()[..3]),
        };
        Ok(PinKeys {
            des: Some(d),
            aes: Some(a),
            kcv,
        })
    }
}

/// Field 52 deciphered under the PIN key: a well-formed block for the message's PAN (the PIN
/// itself is never shown here).
fn pin_check(m: Option<usize>, dec: &Decoded, keys: &PinKeys, rows: &mut Vec<CheckRow>) {
    let Some(v) = dec.get(52) else {
        return;
    };
    let Ok(block) = posresp::codec::encoding::from_hex(v) else {
        rows.push(skip(
            m,
            "pin_block",
            "52",
            "field 52 is not a binary block".into(),
        ));
        return;
    };
    let pan = dec.get(2).map(str::to_string).or_else(|| {
        dec.get(35)
            .map(|t| t.split(['=', 'D']).next().unwrap_or("").to_string())
    });
    let key = if block.len() == 16 {
        &keys.aes
    } else {
        &keys.des
    };
    let Some(key) = key else {
        rows.push(row(
            m,
            "pin_block",
            "52",
            false,
            format!(
                "a {}-byte PIN block needs {} key; the PIN key (KCV {}) is not one",
                block.len(),
                if block.len() == 16 {
                    "an AES"
                } else {
                    "a DES or 3DES"
                },
                keys.kcv
            ),
        ));
        return;
    };
    match posresp::check::pin::decipher(key, &block, pan.as_deref()) {
        Ok(p) => rows.push(row(
            m,
            "pin_block",
            "52",
            true,
            format!(
                "ISO {} PIN block, well formed for the PAN, {} digits (PIN key KCV {})",
                p.format.number(),
                p.len(),
                keys.kcv
            ),
        )),
        Err(e) => rows.push(row(
            m,
            "pin_block",
            "52",
            false,
            format!("{e} (PIN key KCV {})", keys.kcv),
        )),
    }
}

/// The row of `verify mac --search`: which choices reproduce the MAC.
#[allow(clippy::too_many_arguments)]
fn search_row(
    m: Option<usize>,
    spec: &Spec,
    dec: &Decoded,
    bytes: &[u8],
    (mac_at, field): (usize, &str),
    sent: &[u8],
    wire: &[u8],
    mk: &MacKey<'_>,
) -> CheckRow {
    use posresp::check::search::{MacSite, search};
    let Some(key) = mk.key else {
        return skip(m, "mac search", field, "no key given".into());
    };
    let after_length = dec.framing.as_ref().map_or(0, |f| {
        usize::from(f.spec.stx) + f.spec.length.wire_len_pub()
    });
    let mti_len = if spec.mti_enc == posresp::codec::encoding::Encoding::Bcd {
        2
    } else {
        4
    };
    let bitmap = dec.mti_offset + mti_len;
    let fields = dec.fields.first().map_or(mac_at, |f| f.offset as usize);
    let site = MacSite {
        frame: bytes,
        after_length,
        mti: dec.mti_offset,
        bitmap,
        fields,
        mac_at,
        sent: sent.to_vec(),
        wire,
    };
    let (hits, tried) = search(key, &site);
    let Some(best) = hits.first() else {
        return row(
            m,
            "mac search",
            field,
            false,
            format!(
                "none of {tried} choices (algorithm, padding, MAC block) reproduces the MAC under this key (KCV {}): the key is likely not the one that MACed it",
                mk.kcv
            ),
        );
    };
    let say = |h: &posresp::check::search::Hit| {
        format!(
            "{} over the {}{}",
            h.algorithm.name(),
            h.block.name(),
            if h.left_four { " (first 4 bytes)" } else { "" }
        )
    };
    let mut detail = format!("reproduced by {}", say(best));
    if hits.len() > 1 {
        let others: Vec<String> = hits[1..].iter().map(say).collect();
        detail.push_str(&format!("; also {}", others.join("; ")));
    }
    detail.push_str(&format!(" (key KCV {}; {tried} choices tried)", mk.kcv));
    row(m, "mac search", field, true, detail)
}

/// Writes check rows as they come (JSON Lines, CSV, a streamed JSON array, tables of a few
/// hundred rows at a time), so memory stays flat however long the log; ends with a summary
/// (a last `{"summary": …}` record in JSON and JSON Lines, a line under the table).
struct RowSink {
    format: OutputFormat,
    failures_only: bool,
    out: io::BufWriter<io::Stdout>,
    table: Vec<CheckRow>,
    written: usize,
    counts: [usize; 3],
    /// Messages checked.
    messages: usize,
    /// Colour the result column (a terminal, --color).
    color: bool,
}

/// Rows drawn per table when the output is a table.
const TABLE_ROWS: usize = 500;

#[derive(Serialize)]
struct Summary {
    messages: usize,
    checks: usize,
    passed: usize,
    failed: usize,
    skipped: usize,
}

impl RowSink {
    fn new(format: OutputFormat, failures_only: bool, color: bool) -> Self {
        RowSink {
            color,
            format,
            failures_only,
            out: io::BufWriter::new(io::stdout()),
            table: Vec::new(),
            written: 0,
            counts: [0; 3],
            messages: 0,
        }
    }

    fn flush_rows(&mut self, rows: &mut Vec<CheckRow>) -> Result<()> {
        for r in rows.drain(..) {
            let slot = match r.result {
                "pass" => 0,
                "fail" => 1,
                _ => 2,
            };
            self.counts[slot] += 1;
            if self.failures_only && slot != 1 {
                continue;
            }
            match self.format {
                OutputFormat::Jsonl => {
                    serde_json::to_writer(&mut self.out, &r)?;
                    writeln!(self.out)?;
                }
                OutputFormat::Json => {
                    self.out
                        .write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
                    serde_json::to_writer_pretty(&mut self.out, &r)?;
                }
                OutputFormat::Csv => {
                    let mut c = csv::WriterBuilder::new()
                        .has_headers(false)
                        .from_writer(Vec::new());
                    if self.written == 0 {
                        c.write_record(["message", "check", "field", "result", "detail"])?;
                    }
                    let msg = r.message.map(|i| (i + 1).to_string()).unwrap_or_default();
                    c.write_record([msg.as_str(), r.check, &r.field, r.result, &r.detail])?;
                    self.out
                        .write_all(&c.into_inner().map_err(|e| anyhow!("{e}"))?)?;
                }
                OutputFormat::Table => {
                    self.table.push(r);
                    if self.table.len() >= TABLE_ROWS {
                        self.draw_table()?;
                    }
                }
            }
            self.written += 1;
        }
        Ok(())
    }

    fn draw_table(&mut self) -> Result<()> {
        if self.table.is_empty() {
            return Ok(());
        }
        let mut t = Table::new();
        t.load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        t.set_header(["Message", "Check", "Field", "Result", "Detail"]);
        if self.color {
            // The table measures the cells itself and adds the colour afterwards.
            t.enforce_styling();
        }
        for r in self.table.drain(..) {
            let msg = r.message.map(|i| (i + 1).to_string()).unwrap_or_default();
            // The one colour module's meaning: a failed check is red, a pass green.
            let result = comfy_table::Cell::new(r.result);
            let result = match (self.color, r.result) {
                (true, "fail") => result.fg(comfy_table::Color::Red),
                (true, "pass") => result.fg(comfy_table::Color::Green),
                (true, _) => result.fg(comfy_table::Color::Yellow),
                _ => result,
            };
            t.add_row(vec![
                comfy_table::Cell::new(msg),
                comfy_table::Cell::new(r.check),
                comfy_table::Cell::new(r.field),
                result,
                comfy_table::Cell::new(r.detail),
            ]);
        }
        writeln!(self.out, "{t}")?;
        Ok(())
    }

    fn any_failed(&self) -> bool {
        self.counts[1] > 0
    }

    fn finish(mut self) -> Result<()> {
        let [passed, failed, skipped] = self.counts;
        let summary = Summary {
            messages: self.messages,
            checks: passed + failed + skipped,
            passed,
            failed,
            skipped,
        };
        #[derive(Serialize)]
        struct Record<'a> {
            summary: &'a Summary,
        }
        match self.format {
            OutputFormat::Json => {
                self.out
                    .write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
                serde_json::to_writer_pretty(&mut self.out, &Record { summary: &summary })?;
                self.out.write_all(b"\n]\n")?;
            }
            OutputFormat::Jsonl => {
                serde_json::to_writer(&mut self.out, &Record { summary: &summary })?;
                writeln!(self.out)?;
            }
            OutputFormat::Table => {
                self.draw_table()?;
                let msgs = if summary.messages > 0 {
                    let n = summary.messages;
                    format!("{n} message{}, ", if n == 1 { "" } else { "s" })
                } else {
                    String::new()
                };
                writeln!(
                    self.out,
                    "{msgs}checks: {passed} passed, {failed} failed, {skipped} skipped{}",
                    if self.failures_only {
                        " (only failures shown)"
                    } else {
                        ""
                    }
                )?;
            }
            OutputFormat::Csv => {}
        }
        self.out.flush()?;
        Ok(())
    }
}

/// The card's cryptogram (55.9F26) recomputed under the issuer master key.
fn arqc_check(
    m: Option<usize>,
    dec: &Decoded,
    imk: &Key,
    cvn: Option<Cvn>,
    rows: &mut Vec<CheckRow>,
) {
    if dec.get(55).is_none() {
        return;
    }
    let c = match CardChip::of(dec) {
        Ok(c) => c,
        Err(e) => return rows.push(skip(m, "arqc", "55", e)),
    };
    if c.chip.get("9F26").is_none() {
        return;
    }
    let cvn = match c.cvn(cvn) {
        Ok(v) => v,
        Err(e) => return rows.push(skip(m, "arqc", "55", e)),
    };
    let card = emvc::Card {
        imk,
        pan: &c.pan,
        psn: &c.psn,
    };
    match emvc::check_arqc(&card, &c.chip, cvn) {
        Ok(r) if r.ok() => rows.push(row(
            m,
            "arqc",
            "55",
            true,
            format!(
                "cryptogram {} is right ({}, IMK KCV {})",
                to_hex(&r.expected),
                cvn.name(),
                to_hex(&imk.kcv()[..3])
            ),
        )),
        Ok(r) => rows.push(row(
            m,
            "arqc",
            "55",
            false,
            format!(
                "9F26 is {}, the cryptogram computed is {} ({}, IMK KCV {}): another key, card or cryptogram version, or altered data",
                r.actual.map(|a| to_hex(&a)).unwrap_or_default(),
                to_hex(&r.expected),
                cvn.name(),
                to_hex(&imk.kcv()[..3])
            ),
        )),
        Err(e) => rows.push(skip(m, "arqc", "55", e)),
    }
}

/// A response's ARPC (55.91) against its request's ARQC.
fn arpc_check(
    at: Option<usize>,
    imk: &Key,
    cvn: Option<Cvn>,
    req: &CardChip,
    resp: &CardChip,
    rows: &mut Vec<CheckRow>,
) {
    let Some(got) = resp.chip.get("91") else {
        return;
    };
    let cvn = match req.cvn(cvn) {
        Ok(v) => v,
        Err(e) => return rows.push(skip(at, "arpc", "55", e)),
    };
    let card = emvc::Card {
        imk,
        pan: &req.pan,
        psn: &req.psn,
    };
    let (arc, csu, prop) = match cvn.profile().arpc {
        emvc::ArpcMethod::One if got.len() == 10 => ([got[8], got[9]], [0; 4], &[][..]),
        emvc::ArpcMethod::Two if (8..=16).contains(&got.len()) => {
            ([0; 2], [got[4], got[5], got[6], got[7]], &got[8..])
        }
        _ => {
            return rows.push(row(
                at,
                "arpc",
                "55",
                false,
                format!(
                    "91 has {} bytes; {} answers with {}",
                    got.len(),
                    cvn.name(),
                    if cvn.profile().arpc == emvc::ArpcMethod::One {
                        "ARPC (8) and ARC (2), method 1"
                    } else {
                        "ARPC (4), CSU (4) and up to 8 proprietary bytes, method 2"
                    }
                ),
            ));
        }
    };
    match emvc::issuer_authentication(&card, &req.chip, cvn, arc, csu, prop) {
        Ok(want) if want == got => rows.push(row(
            at,
            "arpc",
            "55",
            true,
            format!("ARPC in 91 answers the request's ARQC ({})", cvn.name()),
        )),
        Ok(want) => rows.push(row(
            at,
            "arpc",
            "55",
            false,
            format!(
                "91 is {}, for the request's ARQC it should be {} ({})",
                to_hex(got),
                to_hex(&want),
                cvn.name()
            ),
        )),
        Err(e) => rows.push(skip(at, "arpc", "55", e)),
    }
}

/// DUKPT terminals: the BDK and the field with each message's KSN.
#[derive(Clone)]
struct Dukpt {
    bdk: Vec<u8>,
    field: u16,
}

/// The keys of one message's KSN.
struct DukptKeys {
    mac: Key,
    mac_kcv: String,
    algorithm: Option<MacAlgorithm>,
    pin: PinKeys,
}

impl Dukpt {
    fn from_hex(text: &str, field: u16) -> Result<Dukpt> {
        let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let bdk = posresp::codec::encoding::from_hex(&clean)
            .map_err(|_| anyhow!("BDK: not hex (an even number of hex digits)"))?;
        if !matches!(bdk.len(), 16 | 24 | 32) {
            bail!(
                "BDK: a TDES BDK is 16 bytes, an AES BDK 16, 24 or 32; this one has {}",
                bdk.len()
            );
        }
        Ok(Dukpt { bdk, field })
    }

    /// The keys for the message's KSN; `None` when the message has no KSN and nothing to
    /// check with it.
    fn keys_for(&self, dec: &Decoded) -> Result<Option<DukptKeys>, String> {
        use posresp::check::{dukpt, dukpt_aes};
        let Some(v) = dec.get(self.field) else {
            if dec.get(52).is_some() || dec.get(64).is_some() || dec.get(128).is_some() {
                return Err(format!(
                    "no KSN: field {} is absent (give its field with --ksn-field)",
                    self.field
                ));
            }
            return Ok(None);
        };
        let hex: String = v.chars().filter(|c| c.is_ascii_hexdigit()).collect();
        let response = dec
            .mti()
            .as_bytes()
            .get(2)
            .is_some_and(|d| d.is_ascii_digit() && (d - b'0') % 2 == 1);
        let des = |k: &[u8]| Key::from_bytes(k).map_err(|e| e.0);
        // A 16-byte BDK with a 20-digit KSN (or a longer field ending in one) is TDES DUKPT.
        let tdes_ksn = (self.bdk.len() == 16 && hex.len() >= 20 && hex.len() != 24)
            .then(|| hex[hex.len() - 20..].to_string());
        if let Some(ksn) = tdes_ksn {
            let bdk: [u8; 16] = self.bdk[..].try_into().map_err(|_| "BDK".to_string())?;
            let ksn = dukpt::Ksn::from_hex(&ksn)?;
            let tk = dukpt::transaction_key(&dukpt::ipek(&bdk, &ksn), &ksn);
            let mac_usage = if response {
                dukpt::Usage::MacResponse
            } else {
                dukpt::Usage::MacRequest
            };
            let mac = des(&dukpt::usage_key(&tk, mac_usage))?;
            let pin = PinKeys::from_hex(&to_hex(&dukpt::usage_key(&tk, dukpt::Usage::Pin)))
                .map_err(|e| e.to_string())?;
            return Ok(Some(DukptKeys {
                mac_kcv: format!("{}, DUKPT KSN {}", to_hex(&mac.kcv()[..3]), to_hex(&ksn.0)),
                mac,
                algorithm: None,
                pin,
            }));
        }
        if hex.len() < 24 {
            return Err(format!(
                "field {} holds {} hex digits; a KSN has 20 (TDES DUKPT) or 24 (AES DUKPT)",
                self.field,
                hex.len()
            ));
        }
        let ksn = dukpt_aes::Ksn::from_hex(&hex[hex.len() - 24..])?;
        let ik = dukpt_aes::initial_key(&self.bdk, ksn.ikid()).map_err(|e| e.0)?;
        let txn = dukpt_aes::transaction_key(&ik, &ksn).map_err(|e| e.0)?;
        let kind =
            dukpt_aes::KeyType::aes_of_len(self.bdk.len()).unwrap_or(dukpt_aes::KeyType::Aes128);
        let mac_usage = if response {
            dukpt_aes::Usage::MacVerification
        } else {
            dukpt_aes::Usage::MacGeneration
        };
        // The MAC is an AES-CMAC under an AES-128 working key; the PIN block ISO format 4.
        let mac_key = dukpt_aes::working_key(&txn, &ksn, mac_usage, dukpt_aes::KeyType::Aes128)
            .map_err(|e| e.0)?;
        // PIN blocks: format 4 (16 bytes) under an AES PIN key of the BDK's type, formats 0-3
        // (8 bytes) under a double-length TDES one (X9.24-3 derives both).
        let pin_aes =
            dukpt_aes::working_key(&txn, &ksn, dukpt_aes::Usage::Pin, kind).map_err(|e| e.0)?;
        let pin_des =
            dukpt_aes::working_key(&txn, &ksn, dukpt_aes::Usage::Pin, dukpt_aes::KeyType::Tdes2)
                .map_err(|e| e.0)?;
        let mac = des(&mac_key)?;
        let mac_kcv = posresp::check::aes::AesKey::from_bytes(&mac_key)
            .map(|k| to_hex(&k.kcv_cmac()[..3]))
            .unwrap_or_default();
        Ok(Some(DukptKeys {
            mac_kcv: format!("{mac_kcv}, AES DUKPT KSN {}", to_hex(&ksn.0)),
            mac,
            algorithm: Some(MacAlgorithm::AesCmac),
            pin: PinKeys::pair(&pin_des, &pin_aes).map_err(|e| e.to_string())?,
        }))
    }
}
