//! `posresp spec show|export`: what a spec says, as a table or as a posresp spec file.

use std::io::{self, Write};

use anyhow::Result;
use clap::{Args, Subcommand};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use posresp::codec::Spec;
use posresp::codec::spec::{BUILTIN, LengthDef};

use crate::global::{GlobalArgs, OutputFormat};
use posresp::specs::{SpecChoice, load_spec};

/// Show or export a message spec.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  posresp spec show cup
  posresp spec export iso87ascii > my-acquirer.json
  posresp spec list")]
pub struct SpecArgs {
    #[command(subcommand)]
    pub command: SpecCommand,
}

/// Spec subcommands.
#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// List the built-in specs.
    List,
    /// Print a spec's layout: framing, MTI, bitmap and every field.
    Show {
        /// A built-in name or a spec file.
        spec: String,
    },
    /// Print a spec as a posresp spec file (JSON), to start a spec of your own.
    Export {
        /// A built-in name or a spec file.
        spec: String,
    },
}

fn one(name: &str) -> Result<Spec> {
    match load_spec(name)? {
        SpecChoice::One(s) => Ok(*s),
        SpecChoice::Auto(_) => {
            anyhow::bail!("name a spec: a built-in ({}) or a file", names().join(", "))
        }
    }
}

fn names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

/// Run `spec`.
pub fn run(global: &GlobalArgs, args: &SpecArgs) -> Result<u8> {
    let mut out = io::stdout().lock();
    match &args.command {
        SpecCommand::List => match global.output {
            OutputFormat::Table => {
                for n in names() {
                    let s = one(n)?;
                    writeln!(out, "{n:<26} {}", s.description)?;
                }
            }
            OutputFormat::Csv => {
                let mut w = csv::Writer::from_writer(&mut out);
                w.write_record(["name", "description", "dialect", "framing"])?;
                for n in names() {
                    let s = one(n)?;
                    w.write_record([
                        n,
                        s.description.as_str(),
                        s.dialect.name(),
                        &s.framing.kind(),
                    ])?;
                }
                w.flush()?;
            }
            OutputFormat::Json | OutputFormat::Jsonl => {
                let mut all = Vec::new();
                for n in names() {
                    let s = one(n)?;
                    all.push(serde_json::json!({
                        "name": n,
                        "description": s.description,
                        "dialect": s.dialect.name(),
                        "framing": s.framing.kind(),
                    }));
                }
                if global.output == OutputFormat::Json {
                    serde_json::to_writer_pretty(&mut out, &all)?;
                    writeln!(out)?;
                } else {
                    for v in all {
                        serde_json::to_writer(&mut out, &v)?;
                        writeln!(out)?;
                    }
                }
            }
        },
        SpecCommand::Export { spec } => {
            crate::global::output_one_of(
                global,
                "spec export",
                &[OutputFormat::Table, OutputFormat::Json],
                "a spec file is one JSON document",
            )?;
            let s = one(spec)?;
            serde_json::to_writer_pretty(&mut out, &s.file)?;
            writeln!(out)?;
        }
        SpecCommand::Show { spec } => {
            let s = one(spec)?;
            let rows: Vec<[String; 5]> = s
                .fields()
                .map(|f| {
                    let (len, prefix) = match f.length {
                        LengthDef::Fixed(n) => (n.to_string(), String::new()),
                        LengthDef::Var {
                            prefix,
                            digits,
                            max,
                            counts,
                        } => (
                            format!("..{max}"),
                            format!(
                                "{} {}{}",
                                "L".repeat(digits as usize),
                                prefix.name(),
                                match counts {
                                    posresp::codec::spec::Counts::Bytes => " (bytes)",
                                    posresp::codec::spec::Counts::Units => "",
                                }
                            ),
                        ),
                    };
                    let mut extra = Vec::new();
                    if let Some(k) = f.sensitive {
                        extra.push(format!("masked: {k:?}").to_lowercase());
                    }
                    if let Some(sub) = &f.subfields {
                        extra.push(match sub.kind {
                            posresp::codec::spec::SubfieldKind::Tlv => "BER-TLV".to_string(),
                            posresp::codec::spec::SubfieldKind::Positional => {
                                format!("{} parts", sub.parts.len())
                            }
                        });
                    }
                    [
                        f.id_str.clone(),
                        f.name.clone(),
                        format!("{} {}", f.class, f.enc.name()),
                        format!("{len} {prefix}").trim().to_string(),
                        extra.join(", "),
                    ]
                })
                .collect();
            match global.output {
                OutputFormat::Csv => {
                    let mut w = csv::Writer::from_writer(&mut out);
                    w.write_record(["field", "name", "type", "length", "notes"])?;
                    for r in &rows {
                        w.write_record(r)?;
                    }
                    w.flush()?;
                }
                OutputFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &s.file)?;
                    writeln!(out)?;
                }
                OutputFormat::Jsonl => {
                    serde_json::to_writer(&mut out, &s.file)?;
                    writeln!(out)?;
                }
                OutputFormat::Table => {
                    writeln!(out, "{}: {}", s.name, s.description)?;
                    writeln!(
                        out,
                        "dialect {} · framing {} · MTI {} · bitmap {:?}{}",
                        s.dialect.name(),
                        s.framing.kind(),
                        s.mti_enc.name(),
                        s.bitmap_enc,
                        if s.tertiary {
                            " (tertiary at bit 65)"
                        } else {
                            ""
                        }
                    )?;
                    let mut t = Table::new();
                    t.load_style(UTF8_FULL_CONDENSED)
                        .set_content_arrangement(ContentArrangement::Dynamic);
                    t.set_header(["Field", "Name", "Type", "Length", "Notes"]);
                    for r in rows {
                        t.add_row(r.to_vec());
                    }
                    writeln!(out, "{t}")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(0)
}
