//! `posresp diff`: two logs, paired by transaction key, compared field by field.
//!
//! Logs need not be sorted, and memory stays within `--memory` however long they are:
//!
//! 1. Each log is read once (both at the same time) into 32-byte fingerprints: a 128-bit
//!    hash of the pairing key, a 64-bit hash of the compared fields, the message number and
//!    the spec that decoded it. When the fingerprints outgrow their share of the budget they
//!    spill to key-hash partitions on disk.
//! 2. Partition by partition, fingerprints are sorted by key and merged: pairs, duplicates
//!    and one-sided messages are counted, and pairs whose content hashes differ are noted.
//! 3. Only the messages of differing pairs are decoded again (both logs re-read, in chunks
//!    sized to the budget) and compared field by field for the report.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use serde::Serialize;

use posresp::codec::{Decoded, FramingChoice, Spec};

use crate::global::{GlobalArgs, OutputFormat};
use posresp::input::{ByteCount, at_line, input_name, open_frames};
use posresp::specs::{SpecChoice, decode_with, framing_choice, load_spec};

/// Compare two logs transaction by transaction.
///
/// Messages are paired by a key (default: MTI, 11, 41 and 37 when present) and compared
/// field by field; volatile fields (default 7, 12, 13, 37, 38) are ignored and listed. Logs
/// need not be sorted and may be larger than memory. Exit status 0 when the logs agree, 1
/// when they differ, 2 on error.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  posresp diff before.jsonl after.jsonl
  posresp diff --key 11,41 --ignore none --output jsonl old.log new.log
  posresp diff --memory 64M huge-left.jsonl huge-right.jsonl")]
pub struct DiffArgs {
    /// The reference log (- for standard input).
    pub left: String,
    /// The log to compare with it (- for standard input).
    pub right: String,
    /// Fields forming the pairing key, besides the MTI (each used where present).
    #[arg(long, default_value = "11,41,37", value_name = "FIELDS")]
    pub key: String,
    /// Fields not compared (volatile): a list, or none.
    #[arg(long, default_value = "7,12,13,37,38", value_name = "FIELDS|none")]
    pub ignore: String,
    /// Differences shown by the table output (the summary counts them all).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Memory budget (e.g. 512M, 64M); beyond it, work spills to temporary files.
    #[arg(long, default_value = "512M", value_name = "SIZE")]
    pub memory: String,
    /// Compare only messages that hold this condition, on both sides (as decode --where:
    /// '41=T0000009', 'mti~^02', 'code!=00'). Repeat for all of several.
    #[arg(long = "where", value_name = "CONDITION")]
    pub filter: Vec<String>,
}

fn parse_fields(s: &str) -> Result<Vec<u16>> {
    if s.trim() == "none" || s.trim().is_empty() {
        return Ok(Vec::new());
    }
    s.split(',')
        .map(|f| match f.trim().parse::<u16>() {
            Ok(n) if (1..=192).contains(&n) => Ok(n),
            _ => Err(anyhow!(
                "{f:?} is not a field number (1-192); give a list such as 11,41"
            )),
        })
        .collect()
}

fn parse_size(s: &str) -> Result<u64> {
    let t = s.trim().to_ascii_uppercase();
    let t = t.strip_suffix('B').unwrap_or(&t);
    let (n, mult) = match t.chars().last() {
        Some('K') => (&t[..t.len() - 1], 1u64 << 10),
        Some('M') => (&t[..t.len() - 1], 1 << 20),
        Some('G') => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    let v: u64 = n
        .trim()
        .parse()
        .map_err(|_| anyhow!("--memory {s:?}: use a size such as 512M or 2G"))?;
    let bytes = v.saturating_mul(mult);
    if bytes < (1 << 20) {
        bail!("--memory {s:?}: give at least 1M");
    }
    Ok(bytes)
}

/// A message reduced to what pairing needs: 32 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fp {
    /// Hash of the MTI and key fields.
    key: u128,
    /// Hash of the compared fields.
    content: u64,
    /// Message number (low 56 bits) and the index of the spec that decoded it.
    tag: u64,
}

const INDEX_BITS: u64 = (1 << 56) - 1;

impl Fp {
    fn index(&self) -> u64 {
        self.tag & INDEX_BITS
    }
    fn to_bytes(self) -> [u8; 32] {
        let mut b = [0u8; 32];
        b[..16].copy_from_slice(&self.key.to_le_bytes());
        b[16..24].copy_from_slice(&self.content.to_le_bytes());
        b[24..].copy_from_slice(&self.tag.to_le_bytes());
        b
    }
    fn from_bytes(b: &[u8]) -> Fp {
        let mut k = [0u8; 16];
        k.copy_from_slice(&b[..16]);
        let mut c = [0u8; 8];
        c.copy_from_slice(&b[16..24]);
        let mut t = [0u8; 8];
        t.copy_from_slice(&b[24..32]);
        Fp {
            key: u128::from_le_bytes(k),
            content: u64::from_le_bytes(c),
            tag: u64::from_le_bytes(t),
        }
    }
}

fn key_hash(dec: &Decoded, key_fields: &[u16]) -> u128 {
    let mut a = std::collections::hash_map::DefaultHasher::new();
    let mut b = std::collections::hash_map::DefaultHasher::new();
    0u8.hash(&mut a);
    1u8.hash(&mut b);
    dec.mti().hash(&mut a);
    dec.mti().hash(&mut b);
    for &k in key_fields {
        if let Some(v) = dec.get(k) {
            (k, v).hash(&mut a);
            (k, v).hash(&mut b);
        }
    }
    ((a.finish() as u128) << 64) | b.finish() as u128
}

fn content_hash(dec: &Decoded, ignore: &[u16]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in &dec.fields {
        if !ignore.contains(&f.id) {
            (f.id, dec.value(f)).hash(&mut h);
        }
    }
    h.finish()
}

/// Partition of a key: its top bits, so that key order keeps partitions contiguous.
fn part_of(key: u128, bits: u32) -> usize {
    if bits == 0 {
        0
    } else {
        (key >> (128 - bits)) as usize
    }
}

fn spec_index(specs: &SpecChoice, spec: &Spec) -> usize {
    match specs {
        SpecChoice::One(_) => 0,
        SpecChoice::Auto(all) => all.iter().position(|s| std::ptr::eq(s, spec)).unwrap_or(0),
    }
}

fn spec_at(specs: &SpecChoice, i: usize) -> &Spec {
    match specs {
        SpecChoice::One(s) => s,
        SpecChoice::Auto(all) => &all[i.min(all.len() - 1)],
    }
}

/// Where one side's fingerprints are.
enum Store {
    Mem(Vec<Fp>),
    /// One file per partition, in this directory.
    Disk(PathBuf),
}

struct Side {
    messages: u64,
    undecodable: u64,
    store: Store,
}

/// Everything fixed for a run.
struct Job<'a> {
    specs: &'a SpecChoice,
    framing: FramingChoice,
    key_fields: Vec<u16>,
    ignore: Vec<u16>,
    /// Fingerprints one side may hold in memory.
    cap: usize,
    /// log2 of the number of partitions used when spilling.
    bits: u32,
    tmp: PathBuf,
    filter: posresp::filter::Filter,
    /// Set by Ctrl-C: stop reading, leave no temporary files behind.
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// Stopped by Ctrl-C.
#[derive(Debug)]
struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted")
    }
}

impl std::error::Error for Interrupted {}

/// Removes the temporary directory however the run ends.
struct TmpDir(PathBuf);

impl Drop for TmpDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Pass 1: fingerprint a log.
fn fingerprint(job: &Job, path: &str, label: &str, taken: ByteCount) -> Result<Side> {
    let mut decoder = posresp::specs::Decoder::new(job.specs, job.framing.clone());
    let mut side = Side {
        messages: 0,
        undecodable: 0,
        store: Store::Mem(Vec::new()),
    };
    let mut mem: Vec<Fp> = Vec::new();
    let mut files: Vec<BufWriter<File>> = Vec::new();
    let dir = job.tmp.join(label);
    let frames = posresp::input::open_frames_counting(path, taken)?;
    let path = &input_name(path);
    for (n, item) in frames.enumerate() {
        if crate::interrupt::stopped(&job.stop) {
            return Err(Interrupted.into());
        }
        let frame = match item {
            Ok(f) => f,
            Err(e) => {
                side.undecodable += 1;
                eprintln!("posresp: {label} {path}: {e}");
                continue;
            }
        };
        let (spec, err) = decoder.decode(&frame);
        let dec = &decoder.dec;
        let spec = match (spec, err) {
            (Some(spec), None) => spec,
            (_, e) => {
                side.undecodable += 1;
                let what = e.map_or_else(|| "no spec decodes it".to_string(), |e| e.to_string());
                eprintln!(
                    "posresp: {label} {path}: message {}{}: {what}",
                    n + 1,
                    at_line(&frame)
                );
                continue;
            }
        };
        if !job.filter.is_empty()
            && !job
                .filter
                .matches(|s| posresp::filter::value_of(s, &frame, Some(spec), dec))
        {
            continue;
        }
        side.messages += 1;
        let fp = Fp {
            key: key_hash(dec, &job.key_fields),
            content: content_hash(dec, &job.ignore),
            tag: (n as u64 & INDEX_BITS) | ((spec_index(job.specs, spec) as u64) << 56),
        };
        if files.is_empty() {
            mem.push(fp);
            if mem.len() >= job.cap {
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                for p in 0..1usize << job.bits {
                    let f = File::create(dir.join(p.to_string()))
                        .with_context(|| format!("cannot write in {}", dir.display()))?;
                    files.push(BufWriter::with_capacity(16 << 10, f));
                }
                for fp in mem.drain(..) {
                    files[part_of(fp.key, job.bits)].write_all(&fp.to_bytes())?;
                }
                mem.shrink_to_fit();
            }
        } else {
            files[part_of(fp.key, job.bits)].write_all(&fp.to_bytes())?;
        }
    }
    if files.is_empty() {
        side.store = Store::Mem(mem);
    } else {
        for f in &mut files {
            f.flush()?;
        }
        side.store = Store::Disk(dir);
    }
    Ok(side)
}

/// The fingerprints of one partition.
fn load_part(store: &mut Store, p: usize, bits: u32) -> Result<Vec<Fp>> {
    match store {
        Store::Mem(v) => {
            // Sorted by key already: the partition is a contiguous run.
            let lo = v.partition_point(|f| part_of(f.key, bits) < p);
            let hi = v.partition_point(|f| part_of(f.key, bits) <= p);
            Ok(v[lo..hi].to_vec())
        }
        Store::Disk(dir) => {
            let path = dir.join(p.to_string());
            let mut bytes = Vec::new();
            File::open(&path)
                .and_then(|mut f| f.read_to_end(&mut bytes))
                .with_context(|| format!("cannot read {}", path.display()))?;
            let v = bytes.chunks_exact(32).map(Fp::from_bytes).collect();
            let _ = std::fs::remove_file(&path);
            Ok(v)
        }
    }
}

/// Pass 2: merge sorted fingerprints; count, and note the pairs whose content differs.
fn join(
    left: &mut [Fp],
    right: &mut [Fp],
    s: &mut Summary,
    differing: &mut Vec<(u64, u64)>,
    one_sided: &mut OneSidedTags,
) {
    left.sort_unstable_by_key(|f| (f.key, f.index()));
    right.sort_unstable_by_key(|f| (f.key, f.index()));
    let (mut i, mut j) = (0, 0);
    while i < left.len() || j < right.len() {
        let key = match (left.get(i), right.get(j)) {
            (Some(l), Some(r)) => l.key.min(r.key),
            (Some(l), None) => l.key,
            (None, Some(r)) => r.key,
            (None, None) => break,
        };
        let i0 = i;
        while i < left.len() && left[i].key == key {
            i += 1;
        }
        let j0 = j;
        while j < right.len() && right[j].key == key {
            j += 1;
        }
        let (a, b) = (i - i0, j - j0);
        // The first message of a key on each side pair up; later ones are duplicates.
        s.duplicate_keys_left += a.saturating_sub(1) as u64;
        s.duplicate_keys_right += b.saturating_sub(1) as u64;
        match (a > 0, b > 0) {
            (true, true) => {
                s.pairs_compared += 1;
                if left[i0].content == right[j0].content {
                    s.identical += 1;
                } else {
                    differing.push((left[i0].tag, right[j0].tag));
                }
            }
            (true, false) => {
                s.only_in_left += 1;
                one_sided.left.push(left[i0].tag);
            }
            (false, true) => {
                s.only_in_right += 1;
                one_sided.right.push(right[j0].tag);
            }
            (false, false) => {}
        }
    }
}

/// The messages with no partner on the other side, by tag.
#[derive(Default)]
struct OneSidedTags {
    left: Vec<u64>,
    right: Vec<u64>,
}

/// A message decoded again for the report.
struct Rec {
    mti: String,
    spec: usize,
    line: Option<usize>,
    fields: Vec<(u16, String)>,
}

/// Pass 3: decode again the messages at these tags (sorted by message number).
fn extract(job: &Job, path: &str, tags: &[u64]) -> Result<HashMap<u64, Rec>> {
    let mut out = HashMap::with_capacity(tags.len());
    let mut want = tags.iter().peekable();
    let mut dec = Decoded::default();
    let name = input_name(path);
    for (n, item) in open_frames(path)?.enumerate() {
        if crate::interrupt::stopped(&job.stop) {
            return Err(Interrupted.into());
        }
        let Some(&&tag) = want.peek() else { break };
        if (n as u64) < tag & INDEX_BITS {
            continue;
        }
        want.next();
        let frame = item.map_err(|e| anyhow!("{name} changed while being compared: {e}"))?;
        let spec_i = (tag >> 56) as usize;
        let spec = spec_at(job.specs, spec_i);
        if let Some(e) = decode_with(spec, &frame, &job.framing, &mut dec) {
            bail!(
                "{name} changed while being compared (message {}{}: {e})",
                n + 1,
                at_line(&frame)
            );
        }
        let fields = dec
            .fields
            .iter()
            .map(|f| (f.id, dec.value(f).to_string()))
            .collect();
        out.insert(
            tag,
            Rec {
                mti: dec.mti().to_string(),
                spec: spec_i,
                line: frame.line,
                fields,
            },
        );
    }
    if want.peek().is_some() {
        bail!("{name} changed while being compared (it is shorter than at first)");
    }
    Ok(out)
}

/// One differing pair.
#[derive(Serialize)]
struct PairDiff {
    kind: &'static str,
    key: String,
    left_message: u64,
    right_message: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    left_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    right_line: Option<usize>,
    mti: String,
    added: Vec<FieldChange>,
    removed: Vec<FieldChange>,
    changed: Vec<FieldChange>,
}

#[derive(Serialize, Clone)]
struct FieldChange {
    field: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    left: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    right: Option<String>,
}

#[derive(Serialize, Default)]
struct Summary {
    kind: &'static str,
    left_messages: u64,
    right_messages: u64,
    pairs_compared: u64,
    identical: u64,
    changed: u64,
    only_in_left: u64,
    only_in_right: u64,
    duplicate_keys_left: u64,
    duplicate_keys_right: u64,
    undecodable_left: u64,
    undecodable_right: u64,
    key_fields: Vec<u16>,
    ignored_fields: Vec<u16>,
    response_code_transitions: BTreeMap<String, u64>,
    fields_changed_most: Vec<FieldCount>,
    partitions: usize,
}

#[derive(Serialize)]
struct FieldCount {
    field: u16,
    pairs: u64,
}

/// A message with no partner on the other side.
#[derive(Serialize)]
struct OneSided {
    /// `only_in_left` or `only_in_right`.
    kind: &'static str,
    key: String,
    message: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    mti: String,
}

/// A value as the report may show it: masked like decode shows it, unless `unmask`.
fn shown_value(spec: &Spec, f: u16, v: &str, unmask: bool) -> String {
    if unmask {
        return v.to_string();
    }
    match spec.field(f as usize) {
        Some(def) => posresp::mask::field_value(def, v).into_owned(),
        // Not in the spec: nothing says it is safe to show.
        None => "*".repeat(v.chars().count()),
    }
}

/// The pairing key of a message as text: MTI and the key fields present, masked.
fn key_text(job: &Job, key_fields: &[u16], rec: &Rec, unmask: bool) -> String {
    let spec = spec_at(job.specs, rec.spec);
    let mut key = rec.mti.clone();
    for &k in key_fields {
        if let Some((_, v)) = rec.fields.iter().find(|(f, _)| *f == k) {
            key.push_str(&format!(" {k}={}", shown_value(spec, k, v, unmask)));
        }
    }
    key
}

/// Compare two decoded messages field by field.
fn compare(job: &Job, key_fields: &[u16], l: &Rec, r: &Rec, unmask: bool) -> PairDiff {
    let lm: BTreeMap<u16, &str> = l.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let rm: BTreeMap<u16, &str> = r.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let spec = spec_at(job.specs, l.spec);
    let shown = |f: u16, v: &str| shown_value(spec, f, v, unmask);
    let mut d = PairDiff {
        kind: "pair",
        key: key_text(job, key_fields, l, unmask),
        left_message: 0,
        right_message: 0,
        left_line: l.line,
        right_line: r.line,
        mti: l.mti.clone(),
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
    };
    for (&f, &lv) in &lm {
        if job.ignore.contains(&f) {
            continue;
        }
        match rm.get(&f) {
            None => d.removed.push(FieldChange {
                field: f,
                left: Some(shown(f, lv)),
                right: None,
            }),
            Some(&rv) if rv != lv => d.changed.push(FieldChange {
                field: f,
                left: Some(shown(f, lv)),
                right: Some(shown(f, rv)),
            }),
            _ => {}
        }
    }
    for (&f, &rv) in &rm {
        if !job.ignore.contains(&f) && !lm.contains_key(&f) {
            d.added.push(FieldChange {
                field: f,
                left: None,
                right: Some(shown(f, rv)),
            });
        }
    }
    d
}

/// Where differences go as they are found.
enum Emit {
    Json {
        out: Box<dyn Write>,
        first: bool,
    },
    Jsonl(Box<dyn Write>),
    Csv(Box<csv::Writer<Box<dyn Write>>>),
    /// The table prints the summary first, so it keeps the first `--limit` differences.
    Table {
        out: Box<dyn Write>,
        kept: Vec<PairDiff>,
        sided: Vec<OneSided>,
        limit: usize,
        more: u64,
    },
}

impl Emit {
    fn new(format: OutputFormat, limit: usize) -> Result<Emit> {
        let mut out: Box<dyn Write> = Box::new(BufWriter::new(io::stdout().lock()));
        Ok(match format {
            OutputFormat::Json => {
                out.write_all(b"{\"differences\": [")?;
                Emit::Json { out, first: true }
            }
            OutputFormat::Jsonl => Emit::Jsonl(out),
            OutputFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record([
                    "left_message",
                    "right_message",
                    "key",
                    "mti",
                    "change",
                    "field",
                    "left",
                    "right",
                ])?;
                Emit::Csv(Box::new(w))
            }
            OutputFormat::Table => Emit::Table {
                out,
                kept: Vec::new(),
                sided: Vec::new(),
                limit,
                more: 0,
            },
        })
    }

    fn diff(&mut self, d: PairDiff) -> Result<()> {
        match self {
            Emit::Json { out, first } => {
                out.write_all(if *first { b"\n  " } else { b",\n  " })?;
                *first = false;
                serde_json::to_writer(&mut *out, &d)?;
            }
            Emit::Jsonl(out) => {
                serde_json::to_writer(&mut *out, &d)?;
                out.write_all(b"\n")?;
            }
            Emit::Csv(w) => {
                for (kind, list) in [
                    ("added", &d.added),
                    ("removed", &d.removed),
                    ("changed", &d.changed),
                ] {
                    for c in list {
                        w.write_record([
                            d.left_message.to_string().as_str(),
                            &d.right_message.to_string(),
                            &d.key,
                            &d.mti,
                            kind,
                            &c.field.to_string(),
                            c.left.as_deref().unwrap_or(""),
                            c.right.as_deref().unwrap_or(""),
                        ])?;
                    }
                }
            }
            Emit::Table {
                kept, limit, more, ..
            } => {
                if kept.len() < *limit {
                    kept.push(d);
                } else {
                    *more += 1;
                }
            }
        }
        Ok(())
    }

    fn one_sided(&mut self, o: OneSided) -> Result<()> {
        match self {
            Emit::Json { out, first } => {
                out.write_all(if *first { b"\n  " } else { b",\n  " })?;
                *first = false;
                serde_json::to_writer(&mut *out, &o)?;
            }
            Emit::Jsonl(out) => {
                serde_json::to_writer(&mut *out, &o)?;
                out.write_all(b"\n")?;
            }
            Emit::Csv(w) => {
                let n = o.message.to_string();
                let (l, r) = if o.kind == "only_in_left" {
                    (n.as_str(), "")
                } else {
                    ("", n.as_str())
                };
                w.write_record([l, r, &o.key, &o.mti, o.kind, "", "", ""])?;
            }
            Emit::Table {
                sided, limit, more, ..
            } => {
                if sided.len() < *limit {
                    sided.push(o);
                } else {
                    *more += 1;
                }
            }
        }
        Ok(())
    }

    fn finish(self, s: &Summary) -> Result<()> {
        match self {
            Emit::Json { mut out, first } => {
                out.write_all(if first {
                    b"],\n\"summary\": "
                } else {
                    b"\n],\n\"summary\": "
                })?;
                serde_json::to_writer_pretty(&mut out, s)?;
                out.write_all(b"}\n")?;
                out.flush()?;
            }
            Emit::Jsonl(mut out) => {
                serde_json::to_writer(&mut out, s)?;
                out.write_all(b"\n")?;
                out.flush()?;
            }
            Emit::Csv(mut w) => w.flush()?,
            Emit::Table {
                mut out,
                kept,
                sided,
                more,
                ..
            } => {
                table(&mut out, s, &kept, &sided, more)?;
                out.flush()?;
            }
        }
        Ok(())
    }
}

fn table(
    out: &mut dyn Write,
    s: &Summary,
    diffs: &[PairDiff],
    sided: &[OneSided],
    more: u64,
) -> Result<()> {
    writeln!(
        out,
        "left {} messages, right {}: {} pairs compared, {} identical, {} changed; {} only in left, {} only in right; duplicate keys {} left, {} right",
        s.left_messages,
        s.right_messages,
        s.pairs_compared,
        s.identical,
        s.changed,
        s.only_in_left,
        s.only_in_right,
        s.duplicate_keys_left,
        s.duplicate_keys_right
    )?;
    if s.undecodable_left + s.undecodable_right > 0 {
        writeln!(
            out,
            "undecodable: {} left, {} right (reported on stderr)",
            s.undecodable_left, s.undecodable_right
        )?;
    }
    let list = |v: &[u16]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
        }
    };
    writeln!(
        out,
        "key: MTI + fields {} (where present) · ignored fields: {}",
        list(&s.key_fields),
        list(&s.ignored_fields)
    )?;
    if !s.response_code_transitions.is_empty() {
        writeln!(out, "response codes (left → right):")?;
        let mut t: Vec<(&String, &u64)> = s.response_code_transitions.iter().collect();
        t.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (k, v) in t {
            writeln!(out, "  {k}: {v}")?;
        }
    }
    if !s.fields_changed_most.is_empty() {
        let t: Vec<String> = s
            .fields_changed_most
            .iter()
            .map(|c| format!("{} ({})", c.field, c.pairs))
            .collect();
        writeln!(out, "fields changed most: {}", t.join(", "))?;
    }
    let at = |m: u64, line: Option<usize>| match line {
        Some(l) => format!("message {m} (line {l})"),
        None => format!("message {m}"),
    };
    for d in diffs {
        writeln!(
            out,
            "\nleft {} / right {}: {}",
            at(d.left_message, d.left_line),
            at(d.right_message, d.right_line),
            crate::render::sanitize(&d.key)
        )?;
        for c in &d.changed {
            writeln!(
                out,
                "  ~ {}: {:?} → {:?}",
                c.field,
                c.left.as_deref().unwrap_or(""),
                c.right.as_deref().unwrap_or("")
            )?;
        }
        for c in &d.added {
            writeln!(
                out,
                "  + {}: {:?}",
                c.field,
                c.right.as_deref().unwrap_or("")
            )?;
        }
        for c in &d.removed {
            writeln!(
                out,
                "  - {}: {:?}",
                c.field,
                c.left.as_deref().unwrap_or("")
            )?;
        }
    }
    for (kind, title) in [
        ("only_in_left", "only in left"),
        ("only_in_right", "only in right"),
    ] {
        let list: Vec<&OneSided> = sided.iter().filter(|o| o.kind == kind).collect();
        if list.is_empty() {
            continue;
        }
        writeln!(out, "\n{title}:")?;
        for o in list {
            writeln!(
                out,
                "  {}: {}",
                at(o.message, o.line),
                crate::render::sanitize(&o.key)
            )?;
        }
    }
    if more > 0 {
        writeln!(
            out,
            "\n… {more} more (raise --limit, or use --output jsonl for all)"
        )?;
    }
    Ok(())
}

/// Standard input cannot be read twice: keep a copy in the temporary directory.
fn spool_stdin(tmp: &Path) -> Result<String> {
    std::fs::create_dir_all(tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let path = tmp.join("stdin");
    let mut f = BufWriter::new(
        File::create(&path).with_context(|| format!("cannot write {}", path.display()))?,
    );
    io::copy(&mut io::stdin().lock(), &mut f).context("cannot read standard input")?;
    f.flush()?;
    Ok(path.to_string_lossy().into_owned())
}

/// Run `diff`.
pub fn run(global: &GlobalArgs, args: &DiffArgs) -> Result<u8> {
    match run_diff(global, args) {
        Err(e) if e.is::<Interrupted>() => {
            eprintln!(
                "posresp: diff interrupted: nothing reported; its temporary files are removed"
            );
            Ok(130)
        }
        other => other,
    }
}

fn run_diff(global: &GlobalArgs, args: &DiffArgs) -> Result<u8> {
    let specs = load_spec(&global.spec)?;
    let key_fields = parse_fields(&args.key).context("--key")?;
    let ignore = parse_fields(&args.ignore).context("--ignore")?;
    let budget = parse_size(&args.memory)?;
    if args.left == "-" && args.right == "-" {
        bail!("only one of the two logs can be standard input");
    }
    let stop = crate::interrupt::on_signal();
    let tmp = TmpDir(std::env::temp_dir().join(format!("posresp-diff-{}", std::process::id())));
    let left_path = if args.left == "-" {
        spool_stdin(&tmp.0)?
    } else {
        args.left.clone()
    };
    let right_path = if args.right == "-" {
        spool_stdin(&tmp.0)?
    } else {
        args.right.clone()
    };

    // Fingerprints get half the budget (a quarter per side); a log needs about one per
    // 100 bytes at most, which sets how many partitions a spill uses.
    let cap = (budget / 4 / 32) as usize;
    let size = |p: &str| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let fps = (size(&left_path) + size(&right_path)) / 100;
    let parts = (fps * 32)
        .div_ceil(budget / 2)
        .clamp(16, 4096)
        .next_power_of_two();
    let job = Job {
        specs: &specs,
        framing: framing_choice("auto")?,
        key_fields: key_fields.clone(),
        ignore: ignore.clone(),
        cap,
        bits: parts.trailing_zeros(),
        tmp: tmp.0.clone(),
        filter: posresp::filter::Filter::all(&args.filter).map_err(|e| anyhow!(e))?,
        stop,
    };

    // A bar over both logs while they are read (on a terminal, for big logs).
    let (lc, rc) = (ByteCount::default(), ByteCount::default());
    let bar = crate::progress::Progress::start(
        crate::progress::file_size(&left_path) + crate::progress::file_size(&right_path),
        vec![lc.clone(), rc.clone()],
    );
    let (left, right) = std::thread::scope(|sc| {
        let l = sc.spawn(|| fingerprint(&job, &left_path, "left", lc));
        let r = fingerprint(&job, &right_path, "right", rc);
        (l.join().expect("fingerprint thread"), r)
    });
    drop(bar);
    let mut left = left.with_context(|| format!("cannot read {}", input_name(&args.left)))?;
    let mut right = right.with_context(|| format!("cannot read {}", input_name(&args.right)))?;

    let mut s = Summary {
        kind: "summary",
        left_messages: left.messages,
        right_messages: right.messages,
        undecodable_left: left.undecodable,
        undecodable_right: right.undecodable,
        key_fields: key_fields.clone(),
        ignored_fields: ignore.clone(),
        partitions: 1,
        ..Summary::default()
    };
    let mut differing: Vec<(u64, u64)> = Vec::new();
    let mut one_sided = OneSidedTags::default();
    match (&mut left.store, &mut right.store) {
        (Store::Mem(l), Store::Mem(r)) => join(l, r, &mut s, &mut differing, &mut one_sided),
        _ => {
            for store in [&mut left.store, &mut right.store] {
                if let Store::Mem(v) = store {
                    v.sort_unstable_by_key(|f| (f.key, f.index()));
                }
            }
            s.partitions = parts as usize;
            for p in 0..parts as usize {
                let mut l = load_part(&mut left.store, p, job.bits)?;
                let mut r = load_part(&mut right.store, p, job.bits)?;
                join(&mut l, &mut r, &mut s, &mut differing, &mut one_sided);
            }
        }
    }
    drop(left);
    drop(right);

    // Decode the differing pairs again, in chunks that fit the budget, in left order.
    differing.sort_unstable_by_key(|&(l, _)| l & INDEX_BITS);
    let chunk = ((budget / 2 / 8192) as usize).max(1024);
    let mut emit = Emit::new(global.output, args.limit)?;
    let mut field_counts: HashMap<u16, u64> = HashMap::new();
    for pairs in differing.chunks(chunk) {
        let lt: Vec<u64> = pairs.iter().map(|p| p.0).collect();
        let mut rt: Vec<u64> = pairs.iter().map(|p| p.1).collect();
        rt.sort_unstable_by_key(|t| t & INDEX_BITS);
        let (lrecs, rrecs) = std::thread::scope(|sc| {
            let l = sc.spawn(|| extract(&job, &left_path, &lt));
            let r = extract(&job, &right_path, &rt);
            (l.join().expect("extract thread"), r)
        });
        let (lrecs, rrecs) = (lrecs?, rrecs?);
        for &(lt, rt) in pairs {
            let (l, r) = (&lrecs[&lt], &rrecs[&rt]);
            let mut d = compare(&job, &key_fields, l, r, global.unmask);
            if d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty() {
                s.identical += 1;
                continue;
            }
            s.changed += 1;
            let code = |rec: &Rec| rec.fields.iter().find(|f| f.0 == 39).map(|f| f.1.clone());
            let (a, b) = (code(l), code(r));
            if a != b {
                let name = |c: Option<String>| c.unwrap_or_else(|| "(none)".into());
                *s.response_code_transitions
                    .entry(format!("{} → {}", name(a), name(b)))
                    .or_default() += 1;
            }
            for c in d.added.iter().chain(&d.removed).chain(&d.changed) {
                *field_counts.entry(c.field).or_default() += 1;
            }
            d.left_message = (lt & INDEX_BITS) + 1;
            d.right_message = (rt & INDEX_BITS) + 1;
            emit.diff(d)?;
        }
    }
    // The messages with no partner, each side in its own order, named by number, line and key.
    for (tags, path, kind) in [
        (&mut one_sided.left, &left_path, "only_in_left"),
        (&mut one_sided.right, &right_path, "only_in_right"),
    ] {
        tags.sort_unstable_by_key(|t| t & INDEX_BITS);
        for part in tags.chunks(chunk) {
            let recs = extract(&job, path, part)?;
            for t in part {
                let rec = &recs[t];
                emit.one_sided(OneSided {
                    kind,
                    key: key_text(&job, &key_fields, rec, global.unmask),
                    message: (t & INDEX_BITS) + 1,
                    line: rec.line,
                    mti: rec.mti.clone(),
                })?;
            }
        }
    }
    let mut most: Vec<FieldCount> = field_counts
        .into_iter()
        .map(|(field, pairs)| FieldCount { field, pairs })
        .collect();
    most.sort_by(|a, b| b.pairs.cmp(&a.pairs).then(a.field.cmp(&b.field)));
    most.truncate(10);
    s.fields_changed_most = most;
    emit.finish(&s)?;
    drop(tmp);

    let different = s.changed > 0 || s.only_in_left > 0 || s.only_in_right > 0;
    Ok(if s.undecodable_left + s.undecodable_right > 0 {
        2
    } else {
        u8::from(different)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_field_lists() {
        assert_eq!(parse_size("64M").unwrap(), 64 << 20);
        assert_eq!(parse_size("2g").unwrap(), 2 << 30);
        assert_eq!(parse_size("512MB").unwrap(), 512 << 20);
        assert!(parse_size("512K").is_err());
        assert!(parse_size("lots").is_err());
        assert_eq!(parse_fields("11, 41,37").unwrap(), vec![11, 41, 37]);
        assert!(parse_fields("none").unwrap().is_empty());
        assert!(parse_fields("11,x").is_err());
        assert!(parse_fields("0").is_err());
    }

    #[test]
    fn fingerprints_round_trip_and_partitions_follow_key_order() {
        let fp = Fp {
            key: u128::MAX - 5,
            content: 7,
            tag: 42 | (3 << 56),
        };
        assert_eq!(Fp::from_bytes(&fp.to_bytes()), fp);
        assert_eq!(fp.index(), 42);
        assert_eq!(fp.tag >> 56, 3);
        assert_eq!(part_of(u128::MAX, 4), 15);
        assert_eq!(part_of(0, 4), 0);
        assert!(part_of(1 << 100, 4) <= part_of(1 << 127, 4));
    }

    #[test]
    fn join_counts_pairs_duplicates_and_one_sided() {
        let fp = |key: u128, content: u64, n: u64| Fp {
            key,
            content,
            tag: n,
        };
        let mut l = vec![
            fp(1, 1, 0),
            fp(2, 1, 1),
            fp(2, 1, 2),
            fp(3, 1, 3),
            fp(5, 1, 4),
        ];
        let mut r = vec![fp(3, 2, 0), fp(1, 1, 1), fp(2, 1, 2), fp(4, 1, 3)];
        let mut s = Summary::default();
        let mut d = Vec::new();
        let mut one = OneSidedTags::default();
        join(&mut l, &mut r, &mut s, &mut d, &mut one);
        assert_eq!((one.left.len(), one.right.len()), (1, 1));
        assert_eq!((s.pairs_compared, s.identical), (3, 2));
        assert_eq!(d, vec![(3, 0)]);
        assert_eq!((s.only_in_left, s.only_in_right), (1, 1));
        assert_eq!((s.duplicate_keys_left, s.duplicate_keys_right), (1, 0));
        assert_eq!(5, s.pairs_compared + s.only_in_left + s.duplicate_keys_left);
        assert_eq!(
            4,
            s.pairs_compared + s.only_in_right + s.duplicate_keys_right
        );
    }
}
