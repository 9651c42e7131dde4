//! `posresp pin`: ISO 9564-1 PIN blocks (formats 0-4) built, read and moved between keys.
//! PINs and keys come from files, environment variables or the terminal, never the command
//! line; a PIN is shown only with `--unmask --show-pin`, a clear block only with `--unmask`.

use anyhow::{Result, anyhow, bail};
use clap::{Args, Subcommand};
use serde_json::json;

use posresp::check::pin::{self, Format, PinKey};
use posresp::codec::encoding::{from_hex, to_hex};
use posresp::mask::mask_pan;

use crate::global::{GlobalArgs, KeyArgs, OutputFormat, read_secret};

/// PIN blocks (ISO 9564-1 formats 0, 1, 2, 3 under DES/3DES keys; 4 under AES).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  PIN=1234 posresp pin encode --format 0 --pan 5544332211009966 --pin-env PIN --key-file zpk.hex
  posresp pin decode 3B7E1FA2C4D5E6F7 --pan 5544332211009966 --key-file zpk.hex
  posresp pin translate 3B7E1FA2C4D5E6F7 --pan 5544332211009966 --key-file zpk.hex \\
      --to-key-file aes-pek.hex --to-format 4")]
pub struct PinArgs {
    #[command(subcommand)]
    pub command: PinCommand,
}

/// Where the PIN comes from.
#[derive(Debug, Args)]
pub struct PinSource {
    /// File holding the PIN digits.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["pin_env", "pin_prompt"])]
    pub pin_file: Option<String>,
    /// Environment variable holding the PIN digits.
    #[arg(long, value_name = "VAR", conflicts_with = "pin_prompt")]
    pub pin_env: Option<String>,
    /// Ask for the PIN on the terminal (not echoed).
    #[arg(long)]
    pub pin_prompt: bool,
}

/// The destination key of a translation.
#[derive(Debug, Args)]
pub struct ToKeyArgs {
    /// File holding the destination key as hex.
    #[arg(long, value_name = "PATH", conflicts_with = "to_key_env")]
    pub to_key_file: Option<String>,
    /// Environment variable holding the destination key as hex.
    #[arg(long, value_name = "VAR")]
    pub to_key_env: Option<String>,
}

/// What `pin` does.
#[derive(Debug, Subcommand)]
pub enum PinCommand {
    /// Build a PIN block and encipher it under the PIN key (prints the block as hex).
    Encode {
        /// ISO 9564-1 format: 0, 1, 2, 3 (DES/3DES key) or 4 (AES key).
        #[arg(long, value_parser = parse_format, default_value = "0")]
        format: Format,
        /// The card number (formats 0, 3 and 4 bind the block to it).
        #[arg(long, value_name = "PAN")]
        pan: Option<String>,
        #[command(flatten)]
        pin: PinSource,
        #[command(flatten)]
        key: KeyArgs,
        /// Print the clear block instead (needs --unmask; formats 0-3).
        #[arg(long)]
        clear: bool,
    },
    /// Decipher a PIN block and say whether it is well formed for the PAN (the PIN is shown
    /// only with --unmask --show-pin).
    Decode {
        /// The PIN block as hex: 8 bytes (formats 0-3) or 16 (format 4).
        block: String,
        /// The card number (formats 0, 3 and 4).
        #[arg(long, value_name = "PAN")]
        pan: Option<String>,
        #[command(flatten)]
        key: KeyArgs,
        /// The block is clear, not enciphered (formats 0-3; no key).
        #[arg(long, conflicts_with_all = ["key_file", "key_env", "key_prompt"])]
        clear: bool,
        /// Show the PIN digits (with --unmask).
        #[arg(long)]
        show_pin: bool,
    },
    /// Re-encipher a PIN block under another key, in the same or another format.
    Translate {
        /// The PIN block as hex.
        block: String,
        /// The card number.
        #[arg(long, value_name = "PAN")]
        pan: Option<String>,
        #[command(flatten)]
        key: KeyArgs,
        #[command(flatten)]
        to: ToKeyArgs,
        /// The format of the new block (default: the old block's).
        #[arg(long, value_parser = parse_format)]
        to_format: Option<Format>,
    },
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| format!("{s:?} is not a PIN block format: give 0, 1, 2, 3 or 4"))
}

fn block_bytes(text: &str) -> Result<Vec<u8>> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    from_hex(&clean).map_err(|_| {
        anyhow!("the PIN block is not hex: give 16 hex digits (formats 0-3) or 32 (format 4)")
    })
}

/// The key for blocks of `format`, from `key`.
fn pin_key(key: &KeyArgs, format: Format, what: &str) -> Result<PinKey> {
    let text = key.text(what)?.ok_or_else(|| {
        anyhow!("give the {what}: --key-file PATH, --key-env VAR or --key-prompt")
    })?;
    PinKey::from_hex(text.trim(), format).map_err(|e| anyhow!("{what}: {e}"))
}

fn kcv(key: &PinKey) -> String {
    match key {
        PinKey::Tdes(k) => to_hex(&k.kcv()[..3]),
        PinKey::Aes(k) => to_hex(&k.kcv_cmac()[..3]),
    }
}

fn shown_pan(global: &GlobalArgs, pan: Option<&str>) -> String {
    match pan {
        Some(p) if global.unmask => p.to_string(),
        Some(p) => mask_pan(p),
        None => "(none)".into(),
    }
}

/// Run `pin`.
pub fn run(global: &GlobalArgs, args: &PinArgs) -> Result<u8> {
    crate::global::output_one_of(
        global,
        "pin",
        &[OutputFormat::Table, OutputFormat::Json],
        "",
    )?;
    let json = global.output == OutputFormat::Json;
    let mut rng = rand::rng();
    match &args.command {
        PinCommand::Encode {
            format,
            pan,
            pin: source,
            key,
            clear,
        } => {
            let digits = read_secret(
                source.pin_file.as_deref(),
                source.pin_env.as_deref(),
                source.pin_prompt,
                "PIN",
            )?
            .ok_or_else(|| {
                anyhow!("give the PIN: --pin-file PATH, --pin-env VAR or --pin-prompt")
            })?;
            let digits = digits.trim();
            if format.uses_pan() && pan.is_none() {
                bail!(
                    "format {} binds the block to the card: give --pan",
                    format.number()
                );
            }
            let (block, kcv_text) = if *clear {
                if !global.unmask {
                    bail!("a clear PIN block is shown only with --unmask");
                }
                let b = pin::clear_block(*format, digits, pan.as_deref(), &mut rng)
                    .map_err(|e| anyhow!("{e}"))?;
                (b.to_vec(), None)
            } else {
                let k = pin_key(key, *format, "PIN key")?;
                let b = pin::encipher(*format, &k, digits, pan.as_deref(), &mut rng)
                    .map_err(|e| anyhow!("{e}"))?;
                (b, Some(kcv(&k)))
            };
            if json {
                println!(
                    "{}",
                    json!({"format": format.number(), "block": to_hex(&block),
                           "clear": *clear, "key_kcv": kcv_text,
                           "pan": shown_pan(global, pan.as_deref())})
                );
            } else {
                println!("{}", to_hex(&block));
            }
            Ok(0)
        }
        PinCommand::Decode {
            block,
            pan,
            key,
            clear,
            show_pin,
        } => {
            if *show_pin && !global.unmask {
                bail!("--show-pin shows the PIN only with --unmask too");
            }
            let bytes = block_bytes(block)?;
            let (result, kcv_text) = if *clear {
                (pin::read_clear_block(&bytes, pan.as_deref()), None)
            } else {
                let format = if bytes.len() == 16 {
                    Format::Iso4
                } else {
                    Format::Iso0
                };
                let k = pin_key(key, format, "PIN key")?;
                (pin::decipher(&k, &bytes, pan.as_deref()), Some(kcv(&k)))
            };
            let under = kcv_text
                .as_ref()
                .map_or_else(String::new, |k| format!(" under the key with KCV {k}"));
            match result {
                Ok(p) => {
                    if json {
                        let mut v = json!({"well_formed": true, "format": p.format.number(),
                                           "digits": p.len(), "key_kcv": kcv_text,
                                           "pan": shown_pan(global, pan.as_deref())});
                        if *show_pin {
                            v["pin"] = p.reveal().into();
                        }
                        println!("{v}");
                    } else {
                        let shown = if *show_pin {
                            format!(": PIN {}", p.reveal())
                        } else {
                            String::new()
                        };
                        println!(
                            "ISO {} PIN block, well formed{under}, {} digits{shown}",
                            p.format.number(),
                            p.len()
                        );
                    }
                    Ok(0)
                }
                Err(e) => {
                    if json {
                        println!(
                            "{}",
                            json!({"well_formed": false, "problem": e, "key_kcv": kcv_text})
                        );
                    } else {
                        println!("not a well-formed PIN block{under}: {e}");
                    }
                    Ok(1)
                }
            }
        }
        PinCommand::Translate {
            block,
            pan,
            key,
            to,
            to_format,
        } => {
            let bytes = block_bytes(block)?;
            let from_format = if bytes.len() == 16 {
                Format::Iso4
            } else {
                Format::Iso0
            };
            let from = pin_key(key, from_format, "PIN key")?;
            let pin_now = pin::decipher(&from, &bytes, pan.as_deref())
                .map_err(|e| anyhow!("the block does not decipher to a well-formed PIN: {e}"))?;
            let format = to_format.unwrap_or(pin_now.format);
            let to_text = read_secret(
                to.to_key_file.as_deref(),
                to.to_key_env.as_deref(),
                false,
                "destination PIN key",
            )?
            .ok_or_else(|| {
                anyhow!("give the destination key: --to-key-file PATH or --to-key-env VAR")
            })?;
            let to_key = PinKey::from_hex(to_text.trim(), format)
                .map_err(|e| anyhow!("destination PIN key: {e}"))?;
            let out = pin::encipher(format, &to_key, pin_now.reveal(), pan.as_deref(), &mut rng)
                .map_err(|e| anyhow!("{e}"))?;
            if json {
                println!(
                    "{}",
                    json!({"format": format.number(), "block": to_hex(&out),
                           "from_kcv": kcv(&from), "to_kcv": kcv(&to_key)})
                );
            } else {
                println!("{}", to_hex(&out));
            }
            Ok(0)
        }
    }
}
