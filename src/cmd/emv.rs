//! `posresp emv`: EMV application cryptograms. `arqc` recomputes the card's cryptogram from
//! the chip data (field 55) under the issuer master key and says whether 9F26 is right; `arpc`
//! computes the issuer's answer (tag 91). The key comes from a file, an environment variable or
//! the terminal and is never printed; the PAN is masked unless `--unmask`.

use anyhow::{Result, anyhow, bail};
use clap::{Args, Subcommand};
use serde_json::json;

use posresp::check::Key;
use posresp::check::emv::{self, Card, ChipData, Cvn};
use posresp::codec::encoding::{from_hex, to_hex};
use posresp::mask::mask_pan;

use crate::global::{GlobalArgs, OutputFormat, read_secret};

/// EMV cryptograms: check an ARQC, compute an ARPC (EMV Book 2 methods 1 and 2).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  posresp emv arqc --imk-file imk-ac.hex --tlv 9F2608...9F3602001C...
  posresp emv arqc --imk-env IMK_AC --cvn visa18 --pan 4761739001010010 --tlv-file f55.hex
  posresp emv arpc --imk-file imk-ac.hex --tlv-file f55.hex --arc 00

The chip data is field 55's value as hex (BER-TLV): 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82
9F36 9F10 and, to check or answer, 9F26. The PAN and its sequence number come from 5A and
5F34 when --pan and --psn are not given. The cryptogram version is read from 9F10 unless
--cvn names it: visa10, visa18, visa22, mc16, mc17, mc20, mc21, interac133.")]
pub struct EmvArgs {
    #[command(subcommand)]
    pub command: EmvCommand,
}

/// The issuer master key and the card.
#[derive(Debug, Args)]
pub struct CardArgs {
    /// File holding the issuer master key for application cryptograms (IMK-AC), as hex.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["imk_env", "imk_prompt"])]
    pub imk_file: Option<String>,
    /// Environment variable holding the IMK-AC.
    #[arg(long, value_name = "VAR", conflicts_with = "imk_prompt")]
    pub imk_env: Option<String>,
    /// Ask for the IMK-AC on the terminal (not echoed).
    #[arg(long)]
    pub imk_prompt: bool,
    /// The card's cryptogram version (default: read from 9F10).
    #[arg(long, value_parser = crate::global::parse_cvn)]
    pub cvn: Option<Cvn>,
    /// The card number (default: tag 5A of the chip data).
    #[arg(long, value_name = "PAN")]
    pub pan: Option<String>,
    /// The PAN sequence number, 2 digits (default: tag 5F34, else 00).
    #[arg(long, value_name = "NN")]
    pub psn: Option<String>,
    /// The chip data (field 55) as hex.
    #[arg(
        long,
        value_name = "HEX",
        conflicts_with = "tlv_file",
        required_unless_present = "tlv_file"
    )]
    pub tlv: Option<String>,
    /// File holding the chip data as hex.
    #[arg(long, value_name = "PATH")]
    pub tlv_file: Option<String>,
}

/// What `emv` does.
#[derive(Debug, Subcommand)]
pub enum EmvCommand {
    /// Recompute the card's cryptogram (ARQC, TC or AAC) and compare it with 9F26; exit 1 when
    /// they differ.
    Arqc {
        #[command(flatten)]
        card: CardArgs,
    },
    /// Compute the ARPC for the card's ARQC: prints the ARPC and the value of tag 91.
    Arpc {
        #[command(flatten)]
        card: CardArgs,
        /// Method 1: the authorisation response code, as 2 characters (`00`, `Z3`) or 4 hex
        /// digits.
        #[arg(long, default_value = "00")]
        arc: String,
        /// Method 2: the card status update, 8 hex digits.
        #[arg(long, value_name = "HEX", default_value = "00000000")]
        csu: String,
        /// Method 2: proprietary authentication data, 0 to 16 hex digits.
        #[arg(long, value_name = "HEX", default_value = "")]
        proprietary: String,
    },
}

fn hex_arg(s: &str, what: &str) -> Result<Vec<u8>> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    from_hex(&clean).map_err(|_| anyhow!("{what} is not hex (an even number of hex digits)"))
}

/// The card's inputs, read and checked.
struct Loaded {
    imk: Key,
    pan: String,
    psn: String,
    chip: ChipData,
    cvn: Cvn,
}

fn load(a: &CardArgs) -> Result<Loaded> {
    let text = match (&a.tlv, &a.tlv_file) {
        (Some(t), _) => t.clone(),
        (None, Some(p)) => std::fs::read_to_string(p)
            .map_err(|e| anyhow!("cannot read the chip data file {p}: {e}"))?,
        (None, None) => bail!("give the chip data: --tlv HEX or --tlv-file PATH"),
    };
    let chip = ChipData::parse(&hex_arg(&text, "the chip data")?)
        .map_err(|e| anyhow!("chip data: {e}"))?;
    let imk = read_secret(
        a.imk_file.as_deref(),
        a.imk_env.as_deref(),
        a.imk_prompt,
        "issuer master key",
    )?
    .ok_or_else(|| {
        anyhow!("give the issuer master key: --imk-file PATH, --imk-env VAR or --imk-prompt")
    })?;
    let imk = Key::from_hex(imk.trim()).map_err(|e| anyhow!("issuer master key: {e}"))?;
    let pan = match &a.pan {
        Some(p) => p.clone(),
        None => {
            let v = chip
                .get("5A")
                .ok_or_else(|| anyhow!("the chip data has no PAN (5A): give it with --pan"))?;
            to_hex(v).trim_end_matches('F').to_string()
        }
    };
    let psn = match &a.psn {
        Some(p) => p.clone(),
        None => chip.get("5F34").map_or_else(|| "00".to_string(), to_hex),
    };
    let cvn = match a.cvn {
        Some(c) => c,
        None => {
            let iad = chip.get("9F10").ok_or_else(|| {
                anyhow!("the chip data has no 9F10 (issuer application data) to read the cryptogram version from: give --cvn")
            })?;
            Cvn::from_iad(iad).ok_or_else(|| {
                anyhow!("9F10 does not name a cryptogram version posresp knows: give --cvn (visa10, visa18, visa22, mc16, mc17, mc20, mc21, interac133)")
            })?
        }
    };
    Ok(Loaded {
        imk,
        pan,
        psn,
        chip,
        cvn,
    })
}

/// Run `emv`.
pub fn run(global: &GlobalArgs, args: &EmvArgs) -> Result<u8> {
    crate::global::output_one_of(
        global,
        "emv",
        &[OutputFormat::Table, OutputFormat::Json],
        "",
    )?;
    let json = global.output == OutputFormat::Json;
    match &args.command {
        EmvCommand::Arqc { card } => {
            let l = load(card)?;
            let shown_pan = if global.unmask {
                l.pan.clone()
            } else {
                mask_pan(&l.pan)
            };
            let c = Card {
                imk: &l.imk,
                pan: &l.pan,
                psn: &l.psn,
            };
            let r = emv::check_arqc(&c, &l.chip, l.cvn).map_err(|e| anyhow!("{e}"))?;
            let verdict = match r.actual {
                None => "no 9F26 to compare",
                Some(_) if r.ok() => "matches 9F26",
                Some(_) => "does not match 9F26",
            };
            if json {
                println!(
                    "{}",
                    json!({"cvn": l.cvn.name(), "pan": shown_pan, "psn": l.psn,
                           "computed": to_hex(&r.expected),
                           "card": r.actual.map(|a| to_hex(&a)), "ok": r.ok()})
                );
            } else {
                println!(
                    "ARQC {} ({}, PAN {shown_pan}, PSN {}): {verdict}{}",
                    to_hex(&r.expected),
                    l.cvn.name(),
                    l.psn,
                    match r.actual {
                        Some(a) if !r.ok() => format!(" (the card sent {})", to_hex(&a)),
                        _ => String::new(),
                    }
                );
            }
            Ok(if r.actual.is_some() && !r.ok() { 1 } else { 0 })
        }
        EmvCommand::Arpc {
            card,
            arc,
            csu,
            proprietary,
        } => {
            let l = load(card)?;
            let arc: [u8; 2] = match arc.len() {
                2 => arc.as_bytes().try_into().unwrap_or_default(),
                4 => hex_arg(arc, "--arc")?.try_into().unwrap_or_default(),
                _ => {
                    bail!("--arc is the response code as 2 characters (00) or 4 hex digits (3030)")
                }
            };
            let csu: [u8; 4] = hex_arg(csu, "--csu")?
                .try_into()
                .map_err(|_| anyhow!("--csu is 4 bytes (8 hex digits)"))?;
            let prop = hex_arg(proprietary, "--proprietary")?;
            let c = Card {
                imk: &l.imk,
                pan: &l.pan,
                psn: &l.psn,
            };
            let v = emv::issuer_authentication(&c, &l.chip, l.cvn, arc, csu, &prop)
                .map_err(|e| anyhow!("{e}"))?;
            let arpc_len = match l.cvn.profile().arpc {
                emv::ArpcMethod::One => 8,
                emv::ArpcMethod::Two => 4,
            };
            let method = if arpc_len == 8 { 1 } else { 2 };
            if json {
                println!(
                    "{}",
                    json!({"cvn": l.cvn.name(), "method": method,
                           "arpc": to_hex(&v[..arpc_len]), "tag_91": to_hex(&v)})
                );
            } else {
                println!(
                    "ARPC {} (method {method}, {}); 91 = {}",
                    to_hex(&v[..arpc_len]),
                    l.cvn.name(),
                    to_hex(&v)
                );
            }
            Ok(0)
        }
    }
}
