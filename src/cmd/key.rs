//! `posresp key`: key check values, and DUKPT keys derived from a BDK or an IPEK and a KSN.
//! Keys are read from files, environment variables or the terminal and never printed: only
//! their check values. A derived key is written only to a file named with `--out`.

use std::io::Write;

use anyhow::{Context as _, Result, anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

use posresp::check::Key;
use posresp::check::aes::AesKey;
use posresp::check::dukpt::{self, Ksn, Usage};
use posresp::check::tr31;
use posresp::codec::encoding::to_hex;

use crate::global::{GlobalArgs, KeyArgs, OutputFormat, read_secret};

/// Keys: check values, DUKPT derivation.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  posresp key kcv --key-file zpk.hex
  posresp key kcv --key-file pek.hex --aes
  posresp key dukpt --bdk-file bdk.hex --ksn FFFF9876543210E00001 --usage pin --out pek.hex
  posresp key tr31 unwrap --kbpk-file kbpk.hex --block-file zpk.tr31 --out zpk.hex
  posresp key tr31 wrap --kbpk-file kbpk.hex --key-file zpk.hex --header D0000P0AE00E0000")]
pub struct KeyCmdArgs {
    #[command(subcommand)]
    pub command: KeyCommand,
}

/// How an AES key's check value is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AesKcv {
    /// CMAC of a zero block (ANSI X9.24-3, TR-31/TR-34).
    Cmac,
    /// A zero block encrypted (older practice).
    Ecb,
}

/// The key block protection key of `key tr31`.
#[derive(Debug, Args)]
pub struct KbpkArgs {
    /// File holding the key block protection key (KBPK) as hex.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["kbpk_env", "kbpk_prompt"])]
    pub kbpk_file: Option<String>,
    /// Environment variable holding the KBPK.
    #[arg(long, value_name = "VAR", conflicts_with = "kbpk_prompt")]
    pub kbpk_env: Option<String>,
    /// Ask for the KBPK on the terminal (not echoed).
    #[arg(long)]
    pub kbpk_prompt: bool,
}

/// What `key tr31` does.
#[derive(Debug, Subcommand)]
pub enum Tr31Command {
    /// Check a key block's MAC and read its header; prints the header and the key's check
    /// value, writes the key only to --out.
    Unwrap {
        #[command(flatten)]
        kbpk: KbpkArgs,
        /// The key block (use --block-file to keep it out of the shell history).
        #[arg(
            long,
            value_name = "TEXT",
            conflicts_with = "block_file",
            required_unless_present = "block_file"
        )]
        block: Option<String>,
        /// File holding the key block.
        #[arg(long, value_name = "PATH")]
        block_file: Option<String>,
        /// Write the clear key (hex) to this file, created readable by its owner only.
        #[arg(long, value_name = "FILE")]
        out: Option<String>,
    },
    /// Wrap a key under the KBPK; prints the key block.
    Wrap {
        #[command(flatten)]
        kbpk: KbpkArgs,
        #[command(flatten)]
        key: KeyArgs,
        /// The header: 16 characters (the length, characters 2-5, is filled in) and any
        /// optional blocks, e.g. B0000P0TE00E0000 or D0000P0AE00N0100KS18FFFF9876543210E00000.
        #[arg(long, value_name = "HEADER")]
        header: String,
    },
}

/// What `key` does.
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// TR-31 key blocks (versions A, B, C, D): unwrap and wrap under a key block protection key.
    Tr31 {
        #[command(subcommand)]
        command: Tr31Command,
    },
    /// The check value of a key: DES/3DES (a zero block encrypted), or AES with --aes.
    Kcv {
        #[command(flatten)]
        key: KeyArgs,
        /// The key is an AES key (16, 24 or 32 bytes).
        #[arg(long)]
        aes: bool,
        /// For AES: how the check value is computed.
        #[arg(long, value_enum, default_value_t = AesKcv::Cmac, requires = "aes")]
        method: AesKcv,
    },
    /// Derive a DUKPT key for a KSN from the BDK or the initial key: triple DES (ANSI
    /// X9.24-1, 20-digit KSN) or AES (X9.24-3, 24-digit KSN); prints the check values, writes
    /// the key only to --out.
    Dukpt {
        /// File holding the base derivation key (BDK) as hex.
        #[arg(long, value_name = "PATH", conflicts_with_all = ["bdk_env", "ipek_file", "ipek_env"])]
        bdk_file: Option<String>,
        /// Environment variable holding the BDK.
        #[arg(long, value_name = "VAR", conflicts_with_all = ["ipek_file", "ipek_env"])]
        bdk_env: Option<String>,
        /// File holding the device's initial key (IPEK) instead of the BDK.
        #[arg(long, value_name = "PATH", conflicts_with = "ipek_env")]
        ipek_file: Option<String>,
        /// Environment variable holding the IPEK.
        #[arg(long, value_name = "VAR")]
        ipek_env: Option<String>,
        /// The key serial number: 20 hex digits (TDES DUKPT) or 24 (AES DUKPT).
        #[arg(long, value_name = "HEX")]
        ksn: String,
        /// Which key. TDES: pin, mac (request), mac-response, data (request), data-response.
        /// AES: pin, mac (generation), mac-verify, mac-both, data (encrypt), data-decrypt,
        /// data-both, kek. Both: ipek (the device's initial key), transaction (the
        /// transaction-originating key, before its variant or derivation).
        #[arg(long, default_value = "pin",
              value_parser = ["pin", "mac", "mac-response", "mac-verify", "mac-both", "data",
                              "data-response", "data-decrypt", "data-both", "kek", "ipek",
                              "transaction"])]
        usage: String,
        /// AES DUKPT: the type of the working key (default: the BDK's AES type).
        #[arg(long, value_parser = ["aes128", "aes192", "aes256", "2tdea", "3tdea"])]
        key_type: Option<String>,
        /// Write the derived key (hex) to this file, created readable by its owner only.
        #[arg(long, value_name = "FILE")]
        out: Option<String>,
    },
}

fn k16(text: &str, what: &str) -> Result<[u8; 16]> {
    let k = Key::from_hex(text.trim()).map_err(|e| anyhow!("{what}: {e}"))?;
    if !k.is_double() {
        bail!("{what}: DUKPT (X9.24-1) keys are double-length, 16 bytes (32 hex digits)");
    }
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let b = posresp::codec::encoding::from_hex(&clean).map_err(|_| anyhow!("{what}: not hex"))?;
    b.try_into().map_err(|_| anyhow!("{what}: not 16 bytes"))
}

fn kcv3(k: &[u8; 16]) -> String {
    Key::from_bytes(k).map_or_else(|_| "?".into(), |k| to_hex(&k.kcv()[..3]))
}

fn write_key_file(path: &str, key: &[u8]) -> Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o
        .open(path)
        .with_context(|| format!("cannot write the key file {path}"))?;
    writeln!(f, "{}", to_hex(key)).with_context(|| format!("cannot write the key file {path}"))
}

/// Run `key`.
pub fn run(global: &GlobalArgs, args: &KeyCmdArgs) -> Result<u8> {
    crate::global::output_one_of(
        global,
        "key",
        &[OutputFormat::Table, OutputFormat::Json],
        "",
    )?;
    let json = global.output == OutputFormat::Json;
    match &args.command {
        KeyCommand::Tr31 { command } => tr31_run(command, json),
        KeyCommand::Kcv { key, aes, method } => {
            let text = key.text("key")?.ok_or_else(|| {
                anyhow!("give the key: --key-file PATH, --key-env VAR or --key-prompt")
            })?;
            let (kind, kcv) = if *aes {
                let k = AesKey::from_hex(text.trim()).map_err(|e| anyhow!("key: {e}"))?;
                let v = match method {
                    AesKcv::Cmac => k.kcv_cmac(),
                    AesKcv::Ecb => k.kcv_ecb(),
                };
                (format!("AES-{}", k.bits()), to_hex(&v[..3]))
            } else {
                let k = Key::from_hex(text.trim()).map_err(|e| anyhow!("key: {e}"))?;
                let kind = match k.len() {
                    8 => "single DES",
                    16 => "double-length 3DES",
                    _ => "triple-length 3DES",
                };
                (kind.to_string(), to_hex(&k.kcv()[..3]))
            };
            if json {
                println!("{}", json!({"kind": kind, "kcv": kcv}));
            } else {
                println!("KCV {kcv} ({kind})");
            }
            Ok(0)
        }
        KeyCommand::Dukpt {
            bdk_file,
            bdk_env,
            ipek_file,
            ipek_env,
            ksn,
            usage,
            key_type,
            out,
        } => {
            let digits = ksn.chars().filter(|c| !c.is_whitespace()).count();
            if digits == 24 {
                let base = DukptBase {
                    bdk: (bdk_file.as_deref(), bdk_env.as_deref()),
                    ipek: (ipek_file.as_deref(), ipek_env.as_deref()),
                };
                return aes_dukpt(&base, ksn, usage, key_type.as_deref(), out.as_deref(), json);
            }
            if key_type.is_some() {
                bail!("--key-type is for AES DUKPT (a 24-digit KSN)");
            }
            if matches!(
                usage.as_str(),
                "mac-verify" | "mac-both" | "data-decrypt" | "data-both" | "kek"
            ) {
                bail!(
                    "--usage {usage} is an AES DUKPT key (24-digit KSN); TDES DUKPT has pin, mac, mac-response, data, data-response"
                );
            }
            let ksn = Ksn::from_hex(ksn).map_err(|e| anyhow!("--ksn: {e}"))?;
            let ipek = if bdk_file.is_some() || bdk_env.is_some() {
                let t = read_secret(bdk_file.as_deref(), bdk_env.as_deref(), false, "BDK")?
                    .unwrap_or_default();
                dukpt::ipek(&k16(&t, "BDK")?, &ksn)
            } else {
                let t = read_secret(ipek_file.as_deref(), ipek_env.as_deref(), false, "IPEK")?
                    .ok_or_else(|| {
                        anyhow!("give the BDK (--bdk-file, --bdk-env) or the IPEK (--ipek-file, --ipek-env)")
                    })?;
                k16(&t, "IPEK")?
            };
            let tk = dukpt::transaction_key(&ipek, &ksn);
            let key = match usage.as_str() {
                "ipek" => ipek,
                "transaction" => tk,
                u => dukpt::usage_key(&tk, Usage::parse(u).unwrap_or(Usage::Pin)),
            };
            if let Some(p) = out {
                write_key_file(p, &key)?;
            }
            if json {
                println!(
                    "{}",
                    json!({"ksn": to_hex(&ksn.0), "counter": ksn.counter(),
                           "ipek_kcv": kcv3(&ipek), "usage": usage, "kcv": kcv3(&key),
                           "written_to": out})
                );
            } else {
                println!(
                    "KSN {} (counter {}): IPEK KCV {}, {usage} key KCV {}{}",
                    to_hex(&ksn.0),
                    ksn.counter(),
                    kcv3(&ipek),
                    kcv3(&key),
                    out.as_ref()
                        .map_or_else(String::new, |p| format!(", written to {p}"))
                );
            }
            Ok(0)
        }
    }
}

fn kbpk(a: &KbpkArgs) -> Result<Vec<u8>> {
    let t = read_secret(
        a.kbpk_file.as_deref(),
        a.kbpk_env.as_deref(),
        a.kbpk_prompt,
        "KBPK",
    )?
    .ok_or_else(|| {
        anyhow!(
            "give the key block protection key: --kbpk-file PATH, --kbpk-env VAR or --kbpk-prompt"
        )
    })?;
    hex_key(&t, "KBPK")
}

fn hex_key(t: &str, what: &str) -> Result<Vec<u8>> {
    let clean: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if clean.is_empty()
        || !clean.len().is_multiple_of(2)
        || !clean.bytes().all(|b| b.is_ascii_hexdigit())
    {
        bail!("{what}: not hex (an even number of hex digits)");
    }
    posresp::codec::encoding::from_hex(&clean).map_err(|_| anyhow!("{what}: not hex"))
}

/// The check value of a clear key by its algorithm: AES keys by CMAC, DES/TDES by ECB.
fn kcv_of(algorithm: char, key: &[u8]) -> String {
    if algorithm == 'A' {
        AesKey::from_bytes(key).map_or_else(|_| "?".into(), |k| to_hex(&k.kcv_cmac()[..3]))
    } else {
        Key::from_bytes(key).map_or_else(|_| "?".into(), |k| to_hex(&k.kcv()[..3]))
    }
}

fn tr31_run(command: &Tr31Command, json: bool) -> Result<u8> {
    match command {
        Tr31Command::Unwrap {
            kbpk: k,
            block,
            block_file,
            out,
        } => {
            let text = match (block, block_file) {
                (Some(b), _) => b.clone(),
                (None, Some(p)) => std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read the key block file {p}"))?,
                (None, None) => bail!("give the key block: --block TEXT or --block-file PATH"),
            };
            let kbpk = kbpk(k)?;
            let u = tr31::unwrap(&kbpk, &text).map_err(|e| anyhow!("key block: {e}"))?;
            if let Some(p) = out {
                write_key_file(p, &u.key)?;
            }
            let h = &u.header;
            let kcv = kcv_of(h.algorithm, &u.key);
            if json {
                let blocks: Vec<_> = h
                    .blocks
                    .iter()
                    .map(|(id, d)| json!({"id": id, "data": d}))
                    .collect();
                println!(
                    "{}",
                    json!({"version": h.version.to_string(), "usage": h.usage,
                           "usage_name": tr31::usage_name(&h.usage),
                           "algorithm": h.algorithm.to_string(), "mode": h.mode.to_string(),
                           "key_version": h.key_version,
                           "exportability": h.exportability.to_string(),
                           "optional_blocks": blocks, "key_bits": u.key.len() * 8,
                           "kcv": kcv, "mac": "valid", "written_to": out})
                );
            } else {
                let blocks: Vec<String> =
                    h.blocks.iter().map(|(id, d)| format!("{id}={d}")).collect();
                println!(
                    "TR-31 version {}: MAC valid; usage {} ({}), algorithm {}, mode {}, key version {}, exportability {}{}; {}-bit key, KCV {kcv}{}",
                    h.version,
                    h.usage,
                    tr31::usage_name(&h.usage),
                    h.algorithm,
                    h.mode,
                    h.key_version,
                    h.exportability,
                    if blocks.is_empty() {
                        String::new()
                    } else {
                        format!("; optional blocks {}", blocks.join(", "))
                    },
                    u.key.len() * 8,
                    out.as_ref()
                        .map_or_else(String::new, |p| format!(", written to {p}"))
                );
            }
            Ok(0)
        }
        Tr31Command::Wrap {
            kbpk: k,
            key,
            header,
        } => {
            let kbpk = kbpk(k)?;
            let clear = key.text("key to wrap")?.ok_or_else(|| {
                anyhow!("give the key to wrap: --key-file PATH, --key-env VAR or --key-prompt")
            })?;
            let clear = hex_key(&clear, "key to wrap")?;
            let (h, used) = tr31::Header::parse(header).map_err(|e| anyhow!("--header: {e}"))?;
            if used != header.trim().len() {
                bail!(
                    "--header: {} characters after the optional blocks the header announces",
                    header.trim().len() - used
                );
            }
            let mut pad = [0u8; 16];
            rand::fill(&mut pad);
            let block = tr31::wrap(&kbpk, &h, &clear, &pad).map_err(|e| anyhow!("{e}"))?;
            if json {
                println!(
                    "{}",
                    json!({"block": block, "kcv": kcv_of(h.algorithm, &clear)})
                );
            } else {
                println!("{block}");
            }
            Ok(0)
        }
    }
}

/// Where the BDK or the initial key of `key dukpt` comes from.
struct DukptBase<'a> {
    bdk: (Option<&'a str>, Option<&'a str>),
    ipek: (Option<&'a str>, Option<&'a str>),
}

/// `key dukpt` with a 12-byte KSN: AES DUKPT (X9.24-3).
fn aes_dukpt(
    base: &DukptBase<'_>,
    ksn: &str,
    usage: &str,
    key_type: Option<&str>,
    out: Option<&str>,
    json: bool,
) -> Result<u8> {
    use posresp::check::dukpt_aes::{self as da, KeyType};
    let ksn = da::Ksn::from_hex(ksn).map_err(|e| anyhow!("--ksn: {e}"))?;
    let ik = if base.bdk.0.is_some() || base.bdk.1.is_some() {
        let t = read_secret(base.bdk.0, base.bdk.1, false, "BDK")?.unwrap_or_default();
        da::initial_key(&hex_key(&t, "BDK")?, ksn.ikid()).map_err(|e| anyhow!("BDK: {e}"))?
    } else {
        let t = read_secret(base.ipek.0, base.ipek.1, false, "initial key")?.ok_or_else(|| {
            anyhow!(
                "give the BDK (--bdk-file, --bdk-env) or the initial key (--ipek-file, --ipek-env)"
            )
        })?;
        hex_key(&t, "initial key")?
    };
    let kind = KeyType::aes_of_len(ik.len())
        .ok_or_else(|| anyhow!("an AES DUKPT key is 16, 24 or 32 bytes"))?;
    let out_type = match key_type {
        None => kind,
        Some(t) => KeyType::parse(t).unwrap_or(kind),
    };
    let key = match usage {
        "ipek" => ik.clone(),
        "transaction" => da::transaction_key(&ik, &ksn).map_err(|e| anyhow!("{e}"))?,
        u => {
            let usage = da::Usage::parse(u).ok_or_else(|| {
                anyhow!("--usage {u} is a TDES DUKPT key; AES DUKPT has pin, mac, mac-verify, mac-both, data, data-decrypt, data-both, kek")
            })?;
            let txn = da::transaction_key(&ik, &ksn).map_err(|e| anyhow!("{e}"))?;
            da::working_key(&txn, &ksn, usage, out_type).map_err(|e| anyhow!("{e}"))?
        }
    };
    if let Some(p) = out {
        write_key_file(p, &key)?;
    }
    // Check values by the key's cipher: AES by CMAC, TDES working keys by ECB.
    let ik_kcv = kcv_of('A', &ik);
    let tdes_out = matches!(out_type, KeyType::Tdes2 | KeyType::Tdes3);
    let key_kcv = if tdes_out && usage != "ipek" && usage != "transaction" {
        kcv_of('T', &key)
    } else {
        kcv_of('A', &key)
    };
    if json {
        println!(
            "{}",
            json!({"scheme": "aes", "ksn": to_hex(&ksn.0), "counter": ksn.counter(),
                   "ipek_kcv": ik_kcv, "usage": usage, "kcv": key_kcv,
                   "key_bits": key.len() * 8, "written_to": out})
        );
    } else {
        println!(
            "AES DUKPT KSN {} (counter {}): initial key KCV {ik_kcv}, {usage} key ({} bits) KCV {key_kcv}{}",
            to_hex(&ksn.0),
            ksn.counter(),
            key.len() * 8,
            out.map_or_else(String::new, |p| format!(", written to {p}"))
        );
    }
    Ok(0)
}
