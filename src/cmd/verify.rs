//! `posresp verify`: check values (Luhn, LRC, MAC) and the structure of whole messages, with
//! exit codes CI can gate on: 0 all checks passed, 1 a check failed, 2 could not run.

use std::io::{self, Write};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use posresp::check::{self, Key, LrcVariant, MacAlgorithm};
use posresp::codec::encoding::to_hex;
use posresp::codec::spec::LengthDef;
use posresp::codec::{Decoded, Dialect, Spec};
use posresp::input::{Frame, parse_hex_text};
use posresp::mask::{mask, mask_pan};

use crate::cli::{GlobalArgs, OutputFormat};
use crate::cmd::decode::{
    SpecChoice, decode_frame, framing_choice, input_name, load_spec, open_frames,
};

/// MAC algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MacArg {
    /// ANSI X9.9 = ISO 9797-1 algorithm 1, padding method 1 (DES, or 3DES with a longer key).
    X99,
    /// ANSI X9.19 retail MAC = ISO 9797-1 algorithm 3, padding method 1 (double-length key).
    X919,
    /// ISO 9797-1 algorithm 1 with padding method 2.
    #[value(name = "iso9797-1")]
    Iso9797,
    /// China UnionPay POS "ECB" MAC (8 ASCII hex characters in field 64).
    CupEcb,
}

impl From<MacArg> for MacAlgorithm {
    fn from(a: MacArg) -> Self {
        match a {
            MacArg::X99 => MacAlgorithm::X99,
            MacArg::X919 => MacAlgorithm::X919,
            MacArg::Iso9797 => MacAlgorithm::Iso9797Alg1Pad2,
            MacArg::CupEcb => MacAlgorithm::CupEcb,
        }
    }
}

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

/// Where the MAC key comes from: never the command line.
#[derive(Debug, Args, Default)]
pub struct KeyArgs {
    /// File holding the key as hex (16, 32 or 48 hex digits).
    #[arg(long, value_name = "PATH", conflicts_with = "key_env")]
    pub key_file: Option<String>,
    /// Environment variable holding the key as hex.
    #[arg(long, value_name = "VAR", conflicts_with = "key_prompt")]
    pub key_env: Option<String>,
    /// Ask for the key on the terminal (not echoed).
    #[arg(long, conflicts_with = "key_file")]
    pub key_prompt: bool,
}

impl KeyArgs {
    fn load(&self) -> Result<Option<Key>> {
        let text = match (&self.key_file, &self.key_env) {
            (Some(path), _) => std::fs::read_to_string(path).with_context(|| {
                format!("cannot read key file {}", posresp::mask::key_source(path))
            })?,
            (None, Some(var)) => std::env::var(var).map_err(|_| {
                anyhow!(
                    "environment variable {} is not set (it should hold the key as hex)",
                    posresp::mask::key_source(var)
                )
            })?,
            (None, None) if self.key_prompt => {
                rpassword::prompt_password("MAC key (hex, not shown): ").map_err(|e| {
                    anyhow!(
                        "cannot read the key from the terminal ({e}); use --key-file or --key-env"
                    )
                })?
            }
            (None, None) => return Ok(None),
        };
        let key = Key::from_hex(text.trim()).map_err(|e| anyhow!("MAC key: {e}"))?;
        Ok(Some(key))
    }
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
    /// The request(s) the responses answer: checks MTI, echoed fields and (CUP) the TPDU.
    #[arg(long, value_name = "FILE")]
    pub request: Option<String>,
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
        #[command(flatten)]
        key: KeyArgs,
    },
}

/// One check's outcome.
#[derive(Debug, Serialize, Clone)]
pub struct CheckRow {
    /// Message index (0-based), when checking messages.
    #[serde(skip_serializing_if = "Option::is_none")]
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
    let mut sink = RowSink::new(global.output);
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
                    Some(true) => rows.push(row(
                        None,
                        "luhn",
                        "",
                        true,
                        format!("{shown}: check digit correct"),
                    )),
                    Some(false) => {
                        let body = &digits[..digits.len() - 1];
                        let want = check::luhn_digit(body)
                            .map(|d| d.to_string())
                            .unwrap_or_default();
                        rows.push(row(
                            None,
                            "luhn",
                            "",
                            false,
                            format!("{shown}: check digit should be {want}"),
                        ));
                    }
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
        }) => {
            let key = key.load()?.ok_or_else(|| {
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
                    Some(&key),
                    *algorithm,
                    None,
                    true,
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
            let key = args.key.load()?;
            could_not_run |= check_messages(
                global,
                &args.inputs,
                key.as_ref(),
                args.algorithm,
                args.request.as_deref(),
                false,
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

#[allow(clippy::too_many_arguments)]
fn check_messages(
    global: &GlobalArgs,
    inputs: &[String],
    key: Option<&Key>,
    algorithm: Option<MacArg>,
    request: Option<&str>,
    mac_only: bool,
    rows: &mut Vec<CheckRow>,
    sink: &mut RowSink,
) -> Result<bool> {
    let specs = load_spec(&global.spec)?;
    let framing = framing_choice("auto")?;
    let mut stderr = io::stderr();
    let mut could_not_run = false;
    let mut requests: Vec<(Frame, Decoded, Spec)> = Vec::new();
    if let Some(path) = request {
        let mut sticky = None;
        for f in frames(&[path.to_string()], &mut stderr, &mut could_not_run)? {
            let mut d = Decoded::default();
            match decode_frame(&specs, &f, &framing, &mut d, &mut sticky) {
                (Some(s), None) => requests.push((f, d, s.clone())),
                (_, Some(e)) => {
                    writeln!(
                        stderr,
                        "posresp: {}: request could not be decoded: {e}; {}",
                        input_name(path),
                        e.hint()
                    )?;
                    could_not_run = true;
                }
                _ => {}
            }
        }
    }
    let ctx = CheckCtx {
        specs: &specs,
        framing: &framing,
        key,
        algorithm,
        mac_only,
        unmask: global.unmask,
        requests: request.map(|_| requests.as_slice()),
        kcv: key.map(|k| to_hex(&k.kcv())).unwrap_or_default(),
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let mut i = 0usize;
    let mut batch: Vec<(Frame, String)> = Vec::with_capacity(BATCH);
    // Messages are checked a batch at a time, on every core, and written in input order:
    // logs of any length go through in flat memory.
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
            match item {
                Ok(f) => batch.push((f, input_name(arg))),
                Err(e) => {
                    writeln!(stderr, "posresp: {}: {e}", input_name(arg))?;
                    could_not_run = true;
                }
            }
            if batch.len() == BATCH {
                could_not_run |= run_batch(&ctx, &batch, &mut i, threads, rows, sink, &mut stderr)?;
                batch.clear();
            }
        }
    }
    could_not_run |= run_batch(&ctx, &batch, &mut i, threads, rows, sink, &mut stderr)?;
    Ok(could_not_run)
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
    unmask: bool,
    requests: Option<&'a [(Frame, Decoded, Spec)]>,
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
    dec: &mut Decoded,
    sticky: &mut Option<&'a Spec>,
    rows: &mut Vec<CheckRow>,
    errs: &mut Vec<u8>,
) -> bool {
    let (spec, err) = decode_frame(ctx.specs, frame, ctx.framing, dec, sticky);
    let m = Some(index);
    let Some(spec) = spec.filter(|_| err.is_none()) else {
        let e = err
            .map(|e| format!("{e}; {}", e.hint()))
            .unwrap_or_else(|| "no spec fits".into());
        let _ = writeln!(
            errs,
            "posresp: {arg}: message {}: could not be decoded: {e}",
            index + 1
        );
        rows.push(row(m, "decode", "", false, e));
        return true;
    };
    let bytes = if dec.total_len == frame.bytes.len() {
        &frame.bytes
    } else {
        frame.alternative.as_ref().unwrap_or(&frame.bytes)
    };
    if !ctx.mac_only {
        structure_checks(m, spec, dec, ctx.unmask, rows);
    }
    mac_check(m, spec, dec, bytes, ctx, rows);
    if let Some(requests) = ctx.requests {
        pairing_check(m, spec, dec, requests, rows);
    }
    false
}

#[allow(clippy::too_many_arguments)]
fn run_batch(
    ctx: &CheckCtx<'_>,
    batch: &[(Frame, String)],
    next_index: &mut usize,
    threads: usize,
    rows: &mut Vec<CheckRow>,
    sink: &mut RowSink,
    stderr: &mut impl Write,
) -> Result<bool> {
    if batch.is_empty() {
        return Ok(false);
    }
    let start = *next_index;
    *next_index += batch.len();
    let results = super::par_chunks(
        batch,
        threads,
        |first, part| {
            let (mut rows, mut errs, mut bad) = (Vec::new(), Vec::new(), false);
            let mut dec = Decoded::default();
            let mut sticky = None;
            for (j, (frame, arg)) in part.iter().enumerate() {
                bad |= check_one(
                    ctx,
                    frame,
                    arg,
                    start + first + j,
                    &mut dec,
                    &mut sticky,
                    &mut rows,
                    &mut errs,
                );
            }
            (rows, errs, bad)
        },
        || {
            (
                Vec::new(),
                b"posresp: a check worker failed\n".to_vec(),
                true,
            )
        },
    );
    let mut bad = false;
    for (mut part_rows, errs, b) in results {
        stderr.write_all(&errs)?;
        rows.append(&mut part_rows);
        sink.flush_rows(rows)?;
        bad |= b;
    }
    Ok(bad)
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
                format!(
                    "{}: check digit {}",
                    shown(p),
                    if ok { "correct" } else { "wrong" }
                ),
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
                format!(
                    "track 2 PAN {}: check digit {}",
                    shown(t_pan),
                    if ok { "correct" } else { "wrong" }
                ),
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

fn mac_check(
    m: Option<usize>,
    spec: &Spec,
    dec: &Decoded,
    bytes: &[u8],
    ctx: &CheckCtx<'_>,
    rows: &mut Vec<CheckRow>,
) {
    let (key, algorithm, required) = (ctx.key, ctx.algorithm, ctx.mac_only);
    let mac_field = dec.fields.iter().rev().find(|f| f.id == 64 || f.id == 128);
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
    // MAC block: from the MTI up to the MAC field (CUP: MTI through field 63).
    let mab = &bytes[dec.mti_offset..mf.offset as usize];
    let alg: MacAlgorithm = match algorithm {
        Some(a) => a.into(),
        None if spec.dialect == Dialect::Cup => MacAlgorithm::CupEcb,
        None if matches!(key, Key::Double(..)) => MacAlgorithm::X919,
        None => MacAlgorithm::X99,
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
                ctx.kcv
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

fn pairing_check(
    m: Option<usize>,
    spec: &Spec,
    resp: &Decoded,
    requests: &[(Frame, Decoded, Spec)],
    rows: &mut Vec<CheckRow>,
) {
    // The request with the same trace number (11) and terminal (41), else the one at the same position.
    let key = |d: &Decoded| (d.get(11).map(str::to_string), d.get(41).map(str::to_string));
    let req = requests
        .iter()
        .find(|(_, d, _)| key(d) == key(resp) && key(d) != (None, None))
        .or_else(|| m.and_then(|i| requests.get(i)));
    let Some((_, req, _)) = req else {
        rows.push(row(
            m,
            "pairing",
            "",
            false,
            "no request with the same field 11 and 41 in --request".into(),
        ));
        return;
    };
    let (rq, rs) = (req.mti(), resp.mti());
    let want: String = rq
        .chars()
        .enumerate()
        .map(|(i, c)| if i == 2 { char::from(c as u8 + 1) } else { c })
        .collect();
    rows.push(row(
        m,
        "mti",
        "",
        rs == want,
        format!("request {rq}, response {rs} (expected {want})"),
    ));
    for id in [3u16, 4, 11, 41, 42, 49] {
        if let (Some(a), Some(b)) = (req.get(id), resp.get(id)) {
            let f = id.to_string();
            let hidden = spec.field(id as usize).and_then(|d| d.sensitive).is_some();
            let detail = if a == b {
                "echoed".to_string()
            } else if hidden {
                "differs (value hidden)".into()
            } else {
                format!("request {a:?}, response {b:?}")
            };
            rows.push(row(m, "echo", &f, a == b, detail));
        }
    }
    if let (Some(qt), Some(st)) = (
        req.framing.as_ref().and_then(|f| f.tpdu_parts()),
        resp.framing.as_ref().and_then(|f| f.tpdu_parts()),
    ) {
        let swapped = qt.destination == st.source && qt.source == st.destination;
        let same = qt.destination == st.destination && qt.source == st.source;
        let detail = if swapped {
            "destination and source swapped".to_string()
        } else if same {
            "echoed unswapped (some hosts do this)".into()
        } else {
            format!(
                "request {}→{}, response {}→{}",
                qt.source, qt.destination, st.source, st.destination
            )
        };
        rows.push(row(m, "tpdu", "", swapped || same, detail));
    }
}

/// Writes check rows as they come (JSON Lines, CSV, a streamed JSON array); the table is drawn
/// at the end, so it is for a screenful of messages, not for logs.
struct RowSink {
    format: OutputFormat,
    out: io::BufWriter<io::Stdout>,
    table: Vec<CheckRow>,
    written: usize,
    counts: [usize; 3],
}

impl RowSink {
    fn new(format: OutputFormat) -> Self {
        RowSink {
            format,
            out: io::BufWriter::new(io::stdout()),
            table: Vec::new(),
            written: 0,
            counts: [0; 3],
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
                OutputFormat::Table => self.table.push(r),
            }
            self.written += 1;
        }
        Ok(())
    }

    fn any_failed(&self) -> bool {
        self.counts[1] > 0
    }

    fn finish(mut self) -> Result<()> {
        match self.format {
            OutputFormat::Json => {
                self.out
                    .write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?
            }
            OutputFormat::Table => {
                let mut t = Table::new();
                t.load_style(UTF8_FULL_CONDENSED)
                    .set_content_arrangement(ContentArrangement::Dynamic);
                t.set_header(["Message", "Check", "Field", "Result", "Detail"]);
                for r in &self.table {
                    let msg = r.message.map(|i| (i + 1).to_string()).unwrap_or_default();
                    t.add_row(vec![
                        msg,
                        r.check.to_string(),
                        r.field.clone(),
                        r.result.to_string(),
                        r.detail.clone(),
                    ]);
                }
                writeln!(self.out, "{t}")?;
                let [p, f, s] = self.counts;
                writeln!(self.out, "checks: {p} passed, {f} failed, {s} skipped")?;
            }
            _ => {}
        }
        self.out.flush()?;
        Ok(())
    }
}
