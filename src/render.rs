//! How reports are drawn: table, JSON, JSON Lines, CSV. Commands build reports; sinks write them.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use comfy_table::{Cell, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use posresp::codec::encoding::{Encoding, from_hex, to_hex};
use posresp::codec::subfield;
use posresp::codec::{Decoded, DecodedField, FramingInfo, Spec};
use posresp::glossary;

use posresp::codec::DecodeError;
use posresp::input::Frame;
use posresp::specs::SpecChoice;

use crate::global::{ColorChoice, OutputFormat};

/// One decoded field as reported.
#[derive(Debug, Serialize)]
pub struct FieldReport<'a> {
    /// `{"id":…,"name":…,"value":` pre-rendered, for the compact JSON writer.
    #[serde(skip)]
    pub json_head: Option<&'a str>,
    /// The value can only hold digits, hex or `=`/`*` (BCD and binary encodings), so needs no
    /// JSON escaping.
    #[serde(skip)]
    pub plain: bool,
    /// Field path (`4`, `60.1`, `55.9F26`).
    pub id: Cow<'a, str>,
    /// Field name from the spec (or the EMV dictionary).
    pub name: Cow<'a, str>,
    /// Value (masked unless --unmask).
    pub value: std::borrow::Cow<'a, str>,
    /// Byte offset of the element in the input message (null for logged values: no bytes).
    pub offset: Option<usize>,
    /// Bytes of the element, length prefix included (null for logged values).
    pub length: Option<usize>,
    /// Wire bytes as hex (with --raw; left out for masked fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// What the value means, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<Cow<'a, str>>,
    /// A BCD pad nibble other than the spec's (`"F"`), kept so that encode reproduces the bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pad: Option<&'static str>,
    /// The value shown is masked (card data); `encode` refuses it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub masked: bool,
}

/// The decoded fields of one message, presented as [`FieldReport`]s on demand (no copy):
/// masking, meanings and pre-rendered JSON are applied as each field is visited.
#[derive(Debug, Clone, Copy, Default)]
pub struct FieldsView<'a> {
    /// Spec and decoded message, when decoding got that far.
    pub decoded: Option<(&'a Spec, &'a Decoded)>,
    /// The message bytes (for `raw`).
    pub bytes: &'a [u8],
    /// Show card data.
    pub unmask: bool,
    /// Add wire bytes.
    pub raw: bool,
    /// Pre-rendered JSON heads for this spec, indexed by field number.
    pub heads: Option<&'a [String]>,
    /// Pre-rendered JSON heads of positional parts, indexed by field number then part.
    pub part_heads: Option<&'a [Vec<String>]>,
}

impl<'a> FieldsView<'a> {
    /// Each field as reported, each followed by its sub-elements.
    pub fn iter(&self) -> impl Iterator<Item = FieldReport<'a>> + 'a {
        let v = *self;
        let fields = v.decoded.map_or(&[][..], |(_, d)| d.fields.as_slice());
        fields.iter().flat_map(move |f| {
            let (parent, subs) = match v.decoded {
                Some((spec, dec)) => v.field(spec, dec, f),
                None => (None, Vec::new()),
            };
            parent.into_iter().chain(subs)
        })
    }

    fn field(
        &self,
        spec: &'a Spec,
        dec: &'a Decoded,
        f: &'a DecodedField,
    ) -> (Option<FieldReport<'a>>, Vec<FieldReport<'a>>) {
        let value = dec.value(f);
        let at = |offset: usize, len: usize| {
            if dec.from_values {
                (None, None)
            } else {
                (Some(offset), Some(len))
            }
        };
        let Some(def) = spec.field(f.id as usize) else {
            // Only logged values can name a field the spec lacks; show it rather than drop it.
            let report = FieldReport {
                plain: false,
                json_head: None,
                id: Cow::Owned(f.id.to_string()),
                name: Cow::Owned(format!("(not defined in spec {})", spec.name)),
                value: Cow::Borrowed(value),
                offset: None,
                length: None,
                raw: None,
                meaning: None,
                pad: None,
                masked: false,
            };
            return (Some(report), Vec::new());
        };
        let sensitive = def.sensitive.filter(|_| !self.unmask);
        let wire = self
            .bytes
            .get(f.offset as usize..(f.offset + f.len) as usize)
            .unwrap_or(&[]);
        let mut meaning: Option<Cow<'a, str>> =
            posresp::annotate::field_meaning(spec, def, value, Some(dec));
        // Binary fields that carry text (the CUP ECB MAC is 8 ASCII hex characters) say so.
        if meaning.is_none()
            && sensitive.is_none()
            && def.enc == Encoding::Binary
            && def.subfields.is_none()
        {
            let logged = if dec.from_values {
                from_hex(value).ok()
            } else {
                None
            };
            let data = logged
                .as_deref()
                .unwrap_or_else(|| wire.get(def.prefix_len()..).unwrap_or(&[]));
            if data.len() >= 4 && data.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
                meaning = Some(Cow::Owned(format!(
                    "as ASCII: \"{}\"",
                    String::from_utf8_lossy(data)
                )));
            }
        }
        // One masking for every output: card data by the field's sensitivity, chip data tag
        // by tag, failing closed on what does not parse.
        let shown = if self.unmask {
            Cow::Borrowed(value)
        } else {
            posresp::mask::field_value(def, value)
        };
        let parent_masked = sensitive.is_none() && matches!(shown, Cow::Owned(_));
        let mut subs = Vec::new();
        if def.subfields.is_some() && sensitive.is_none() {
            let data_at = f.offset as usize + def.prefix_len();
            // Logged values have no wire bytes: binary data comes from the hex value.
            let logged_bytes = if dec.from_values && def.enc == Encoding::Binary {
                from_hex(value).ok()
            } else {
                None
            };
            let data = logged_bytes
                .as_deref()
                .unwrap_or_else(|| wire.get(def.prefix_len()..).unwrap_or(&[]));
            let (elements, err) = subfield::expand(def, value, data, data_at);
            // Characters of the shown value per wire byte: hex shown for binary bytes.
            let hex_scale = if def.enc == Encoding::Binary { 2 } else { 1 };
            for e in elements {
                let (name, sub_meaning, sens): (Cow<'a, str>, Option<Cow<'a, str>>, _) =
                    match &e.tag {
                        Some(tag) => {
                            let bytes = from_hex(&e.value).unwrap_or_default();
                            (
                                glossary::emv::tag(tag).map_or_else(
                                    || Cow::Owned(format!("Tag {tag}")),
                                    |t| Cow::Borrowed(t.name.as_str()),
                                ),
                                glossary::emv::explain(tag, &bytes).map(Cow::Owned),
                                posresp::mask::chip_sensitivity(tag).filter(|_| !self.unmask),
                            )
                        }
                        None => (
                            Cow::Borrowed(e.name.unwrap_or_default()),
                            e.meaning.map(Cow::Borrowed).or_else(|| {
                                posresp::annotate::part_meaning(spec, &e.path, &e.value)
                                    .map(Cow::Borrowed)
                            }),
                            None,
                        ),
                    };
                // A sub-element shows the masked parent's characters, so whatever the parent
                // hides (card-data tags, the unparsed rest) stays hidden here too.
                let mut sub_masked = sens.is_some();
                let sub_value = if parent_masked && e.tag.is_some() {
                    let end = (e.offset + e.len - data_at) * hex_scale;
                    let start = end.saturating_sub(e.value.len());
                    match shown.get(start..end) {
                        Some(m) if m == e.value => e.value,
                        Some(m) => {
                            sub_masked = true;
                            Cow::Owned(m.to_string())
                        }
                        None => {
                            sub_masked = true;
                            Cow::Owned("*".repeat(e.value.len()))
                        }
                    }
                } else {
                    e.value
                };
                subs.push(FieldReport {
                    json_head: e
                        .part
                        .and_then(|k| self.part_heads?.get(f.id as usize)?.get(k))
                        .map(String::as_str),
                    plain: matches!(def.enc, Encoding::Bcd | Encoding::Binary | Encoding::Hex),
                    id: e.path,
                    name,
                    value: sub_value,
                    offset: at(e.offset, e.len).0,
                    length: at(e.offset, e.len).1,
                    raw: None,
                    meaning: if sub_masked { None } else { sub_meaning },
                    pad: None,
                    masked: sub_masked,
                });
            }
            if let Some(err) = err {
                meaning = Some(Cow::Owned(err));
            }
        }
        // Raw bytes would show what masking hid.
        let raw = (self.raw && sensitive.is_none() && !parent_masked && !dec.from_values)
            .then(|| to_hex(wire));
        let parent = FieldReport {
            plain: matches!(def.enc, Encoding::Bcd | Encoding::Binary | Encoding::Hex),
            json_head: self
                .heads
                .and_then(|h| h.get(f.id as usize))
                .map(String::as_str)
                .filter(|s| !s.is_empty()),
            id: Cow::Borrowed(&def.id_str),
            name: Cow::Borrowed(&def.name),
            value: shown,
            offset: at(f.offset as usize, f.len as usize).0,
            length: at(f.offset as usize, f.len as usize).1,
            raw,
            meaning,
            pad: f.pad.map(|n| if n == 0xF { "F" } else { "0" }),
            masked: sensitive.is_some() || parent_masked,
        };
        (Some(parent), subs)
    }

    /// Top-level fields only, as (id, shown value): no sub-elements, names or meanings. Chip
    /// data is still masked inside its field.
    pub fn top_level(&self) -> impl Iterator<Item = (&'a str, Cow<'a, str>)> + 'a {
        let v = *self;
        let fields = v.decoded.map_or(&[][..], |(_, d)| d.fields.as_slice());
        fields.iter().filter_map(move |f| {
            let (spec, dec) = v.decoded?;
            let def = spec.field(f.id as usize)?;
            let value = dec.value(f);
            Some((
                def.id_str.as_str(),
                if v.unmask {
                    Cow::Borrowed(value)
                } else {
                    posresp::mask::field_value(def, value)
                },
            ))
        })
    }

    /// True when no field was decoded.
    pub fn is_empty(&self) -> bool {
        self.decoded.is_none_or(|(_, d)| d.fields.is_empty())
    }
}

impl Serialize for FieldsView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// The framing of one message as reported: what the codec found, with the TPDU and header
/// parts spelled out.
#[derive(Debug, Clone, Copy)]
pub struct FramingView<'a> {
    /// What the codec found.
    pub info: &'a FramingInfo,
    /// The spec, whose framing names the header parts.
    pub spec: Option<&'a Spec>,
}

impl FramingView<'_> {
    /// True when the framing has parts worth spelling out (TPDU, header, LRC).
    pub fn detailed(&self) -> bool {
        self.info.tpdu.is_some() || self.info.header.is_some() || self.info.lrc.is_some()
    }
}

impl Serialize for FramingView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let i = self.info;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", &i.kind)?;
        if let Some(n) = i.length {
            m.serialize_entry("length", &n)?;
        }
        if let Some(t) = &i.tpdu {
            m.serialize_entry("tpdu", t)?;
        }
        if let Some(h) = &i.header {
            m.serialize_entry("header", h)?;
        }
        if let Some(t) = i.tpdu_parts() {
            m.serialize_entry("tpdu_parts", &t)?;
        }
        let parts = self.spec.map(|s| i.header_parts(s)).unwrap_or_default();
        if !parts.is_empty() {
            m.serialize_entry("header_parts", &parts)?;
        }
        if let Some(l) = &i.lrc {
            m.serialize_entry("lrc", l)?;
        }
        m.serialize_entry("rule", &i.rule)?;
        m.end()
    }
}

/// The outcome carried by field 39.
#[derive(Debug, Serialize)]
pub struct ResponseReport<'a> {
    /// Code as sent.
    pub code: &'a str,
    /// Plain-words meaning.
    pub meaning: &'a str,
    /// approved, refer, decline, pickup, error, retry or unknown.
    pub category: &'a str,
}

/// Why a message could not be decoded.
#[derive(Debug, Serialize)]
pub struct ErrorReport {
    /// One sentence: what, where and what to do.
    pub message: String,
    /// Byte offset in the message, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// Field path, when inside a field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// One message as reported by `decode`.
#[derive(Debug, Serialize)]
pub struct MessageReport<'a> {
    /// Position among all messages read (0-based).
    pub index: usize,
    /// Line in the input log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Timestamp from the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ts: Option<&'a str>,
    /// Direction from the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir: Option<&'a str>,
    /// Capture packet that completed the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packet: Option<u64>,
    /// Sender (ip:port), for a message from a capture.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub src: Option<String>,
    /// Receiver (ip:port), for a message from a capture.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dst: Option<String>,
    /// Latency from the log (or measured by `send`), in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    /// Spec used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<&'a str>,
    /// Something the reader should know about this record (e.g. values logged without bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
    /// Framing found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framing: Option<FramingView<'a>>,
    /// Message type indicator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mti: Option<&'a str>,
    /// MTI in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mti_meaning: Option<&'a str>,
    /// Bitmaps as hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bitmap: Option<String>,
    /// Fields in wire order.
    pub fields: FieldsView<'a>,
    /// Outcome from field 39.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseReport<'a>>,
    /// Decode failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorReport>,
}

fn opt_num(n: Option<usize>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// Escape control and bidi characters so that field bytes cannot drive the terminal.
pub fn sanitize(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    };
    if !s.chars().any(bad) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\x{{{:02X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Writes message reports in one output format.
pub struct Sink<W: Write> {
    out: W,
    format: OutputFormat,
    color: bool,
    count: usize,
    csv_header: bool,
    pending: Option<Vec<u8>>,
    buf: Vec<u8>,
    brief: bool,
}

impl<W: Write> Sink<W> {
    /// A sink writing `format` to `out`.
    pub fn new(out: W, format: OutputFormat, color: bool) -> Self {
        Sink {
            out,
            format,
            color,
            count: 0,
            csv_header: false,
            pending: None,
            buf: Vec::new(),
            brief: false,
        }
    }

    /// Brief JSON: top-level fields as an `{"id": value}` object.
    pub fn brief(mut self, on: bool) -> Self {
        self.brief = on;
        self
    }

    /// Write one message.
    pub fn message(&mut self, r: &MessageReport<'_>) -> io::Result<()> {
        match self.format {
            OutputFormat::Jsonl => {
                self.buf.clear();
                if self.brief {
                    write_json_brief(r, &mut self.buf);
                } else {
                    write_json_compact(r, &mut self.buf);
                }
                self.buf.push(b'\n');
                self.out.write_all(&self.buf)?;
            }
            OutputFormat::Json => {
                // One message prints as one document; a second one turns the output into an array.
                let doc = if self.brief {
                    let mut d = Vec::new();
                    write_json_brief(r, &mut d);
                    d
                } else {
                    serde_json::to_vec_pretty(r)?
                };
                match self.count {
                    0 => self.pending = Some(doc),
                    _ => {
                        if let Some(first) = self.pending.take() {
                            self.out.write_all(b"[\n")?;
                            self.out.write_all(&first)?;
                        }
                        self.out.write_all(b",\n")?;
                        self.out.write_all(&doc)?;
                    }
                }
            }
            OutputFormat::Csv => self.csv_rows(r)?,
            OutputFormat::Table => self.table(r)?,
        }
        self.count += 1;
        Ok(())
    }

    fn csv_rows(&mut self, r: &MessageReport<'_>) -> io::Result<()> {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::with_capacity(1024));
        if !self.csv_header {
            w.write_record([
                "index", "spec", "mti", "id", "name", "value", "meaning", "offset", "length",
                "error",
            ])?;
            self.csv_header = true;
        }
        let spec = r.spec.unwrap_or("");
        let mti = r.mti.unwrap_or("");
        let idx = r.index.to_string();
        for f in r.fields.iter() {
            let (off, len) = (opt_num(f.offset), opt_num(f.length));
            let meaning = f.meaning.as_deref().unwrap_or("");
            w.write_record([
                idx.as_str(),
                spec,
                mti,
                &f.id,
                &f.name,
                &f.value,
                meaning,
                &off,
                &len,
                "",
            ])?;
        }
        if let Some(e) = &r.error {
            let off = e.offset.map(|o| o.to_string()).unwrap_or_default();
            let field = e.field.as_deref().unwrap_or("");
            w.write_record([
                idx.as_str(),
                spec,
                mti,
                field,
                "",
                "",
                "",
                &off,
                "",
                &e.message,
            ])?;
        }
        let buf = w
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        self.out.write_all(&buf)
    }

    fn paint(&self, style: anstyle::Style, s: &str) -> String {
        crate::colour::paint(self.color, style, s)
    }

    fn table(&mut self, r: &MessageReport<'_>) -> io::Result<()> {
        if self.count > 0 {
            writeln!(self.out)?;
        }
        let mut head = format!("Message {}", r.index + 1);
        if let Some(l) = r.line {
            head.push_str(&format!(" (line {l})"));
        }
        if let Some(ts) = &r.ts {
            head.push_str(&format!(" · {}", sanitize(ts)));
        }
        if let Some(d) = &r.dir {
            head.push_str(&format!(" · {}", sanitize(d)));
        }
        if let Some(p) = r.packet {
            head.push_str(&format!(" · packet {p}"));
        }
        if let (Some(s), Some(d)) = (&r.src, &r.dst) {
            head.push_str(&format!(" · {s} → {d}"));
        }
        if let Some(l) = r.latency_ms {
            head.push_str(&format!(" · latency {l} ms"));
        }
        if let Some(s) = r.spec {
            head.push_str(&format!(" · spec {s}"));
        }
        writeln!(self.out, "{}", self.paint(crate::colour::HEADING, &head))?;
        if let Some(n) = r.note {
            writeln!(self.out, "Note: {n}")?;
        }
        if let Some(view) = r.framing {
            let f = view.info;
            let mut line = format!("Framing: {} ({})", f.kind, f.rule);
            if let Some(n) = f.length {
                line.push_str(&format!(" · length {n}"));
            }
            if let Some(l) = &f.lrc {
                let verdict = if l.ok { "correct" } else { "WRONG" };
                line.push_str(&format!(
                    " · LRC {} ({verdict}, computed {})",
                    l.value, l.computed
                ));
            }
            writeln!(self.out, "{line}")?;
            if let Some(t) = f.tpdu_parts() {
                writeln!(
                    self.out,
                    "TPDU {}: id {}, destination {}, source {}",
                    f.tpdu.as_deref().unwrap_or(""),
                    t.id,
                    t.destination,
                    t.source
                )?;
            }
            if let Some(h) = &f.header {
                let parts = view.spec.map(|s| f.header_parts(s)).unwrap_or_default();
                let described: Vec<String> = parts
                    .iter()
                    .map(|p| match &p.meaning {
                        Some(m) => format!("{} {} ({m})", p.name, p.value),
                        None => format!("{} {}", p.name, p.value),
                    })
                    .collect();
                if described.is_empty() {
                    writeln!(self.out, "Header {h}")?;
                } else {
                    writeln!(self.out, "Header {h}: {}", described.join("; "))?;
                }
            }
        }
        if let Some(m) = r.mti {
            let meaning = r.mti_meaning.map(|s| format!(" ({s})")).unwrap_or_default();
            let bitmap = r
                .bitmap
                .as_deref()
                .map(|b| format!(" · bitmap {b}"))
                .unwrap_or_default();
            writeln!(self.out, "MTI {}{meaning}{bitmap}", sanitize(m))?;
        }
        if !r.fields.is_empty() {
            let mut t = Table::new();
            t.load_style(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
            t.set_header(["Field", "Name", "Value", "Meaning", "Offset", "Len"]);
            for f in r.fields.iter() {
                t.add_row(vec![
                    Cell::new(&f.id),
                    Cell::new(&f.name),
                    Cell::new(sanitize(&f.value)),
                    Cell::new(f.meaning.as_deref().unwrap_or("")),
                    Cell::new(f.offset.map_or("-".to_string(), |n| n.to_string())),
                    Cell::new(f.length.map_or("-".to_string(), |n| n.to_string())),
                ]);
            }
            writeln!(self.out, "{t}")?;
        }
        if let Some(resp) = &r.response {
            let color = crate::colour::for_category(resp.category);
            let line = format!(
                "Response {}: {} ({})",
                resp.code, resp.meaning, resp.category
            );
            writeln!(self.out, "{}", self.paint(color, &line))?;
        }
        if let Some(e) = &r.error {
            writeln!(
                self.out,
                "{}",
                self.paint(crate::colour::BAD, &format!("Error: {}", e.message))
            )?;
        }
        Ok(())
    }

    /// The writer, for output that bypasses the sink (already rendered elsewhere).
    pub fn inner_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// The writer, after [`Sink::finish`]-free use (per-thread buffers).
    pub fn into_inner(self) -> W {
        self.out
    }

    /// Close the output (JSON array bracket) and flush.
    pub fn finish(&mut self) -> io::Result<()> {
        if self.format == OutputFormat::Json {
            match (self.count, self.pending.take()) {
                (0, _) => self.out.write_all(b"[]\n")?,
                (_, Some(only)) => {
                    self.out.write_all(&only)?;
                    self.out.write_all(b"\n")?;
                }
                _ => self.out.write_all(b"\n]\n")?,
            }
        }
        self.out.flush()
    }
}

/// A string known to need no escaping (digits, hex, fixed ASCII words).
fn json_plain(out: &mut Vec<u8>, s: &str) {
    debug_assert!(!needs_escape(s.as_bytes()));
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// `{"id":"N","name":"…","value":` for one field, to render once per spec.
pub fn json_field_head(id: &str, name: &str) -> String {
    let mut out = b"{\"id\":".to_vec();
    json_str(&mut out, id);
    out.extend_from_slice(b",\"name\":");
    json_str(&mut out, name);
    out.extend_from_slice(b",\"value\":");
    String::from_utf8(out).unwrap_or_default()
}

/// The opening of both compact JSON forms: `{"index":…` and the log position, timestamp,
/// direction and latency when known (the latency written as serde_json writes numbers, so
/// that every output form agrees).
fn json_head(out: &mut Vec<u8>, first: &mut bool, r: &MessageReport<'_>) {
    out.push(b'{');
    json_key(out, first, "index");
    json_uint(out, r.index);
    if let Some(l) = r.line {
        json_key(out, first, "line");
        json_uint(out, l);
    }
    for (k, v) in [("ts", r.ts), ("dir", r.dir)] {
        if let Some(v) = v {
            json_key(out, first, k);
            json_str(out, v);
        }
    }
    if let Some(p) = r.packet {
        json_key(out, first, "packet");
        json_uint(out, p as usize);
    }
    for (k, v) in [("src", &r.src), ("dst", &r.dst)] {
        if let Some(v) = v {
            json_key(out, first, k);
            json_str(out, v);
        }
    }
    if let Some(v) = r.latency_ms {
        json_key(out, first, "latency_ms");
        let _ = serde_json::to_writer(&mut *out, &v);
    }
}

/// JSON string escaping, byte-compatible in meaning with serde_json.
fn json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    if !needs_escape(b) {
        out.extend_from_slice(b);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1F | 0x7F => b"",
            _ => continue,
        };
        out.extend_from_slice(&b[start..i]);
        if esc.is_empty() {
            out.extend_from_slice(format!("\\u{c:04x}").as_bytes());
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

/// Whether any byte is a control character, `"`, `\\` or DEL: eight bytes at a time.
fn needs_escape(b: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // A zero byte in `x` sets its high bit in `(x - LO) & !x & HI` (exact for the lowest match,
    // and any match is all we need).
    let has_zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    let hits = |x: u64| {
        // Bytes below 0x20: (x - 0x20 per byte) borrows into the high bit when no high bit was set.
        let below = x.wrapping_sub(LO * 0x20) & !x & HI;
        below
            | has_zero(x ^ (LO * b'"' as u64))
            | has_zero(x ^ (LO * b'\\' as u64))
            | has_zero(x ^ (LO * 0x7F))
    };
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        if hits(u64::from_le_bytes([
            c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
        ])) != 0
        {
            return true;
        }
    }
    // The tail, padded with a harmless byte, in one more word instead of a byte loop.
    let rest = chunks.remainder();
    if rest.is_empty() {
        return false;
    }
    let mut last = [b'a'; 8];
    last[..rest.len()].copy_from_slice(rest);
    hits(u64::from_le_bytes(last)) != 0
}

fn json_uint(out: &mut Vec<u8>, n: usize) {
    match n {
        0..=9 => out.push(b'0' + n as u8),
        10..=99 => out.extend_from_slice(&[b'0' + (n / 10) as u8, b'0' + (n % 10) as u8]),
        100..=999 => out.extend_from_slice(&[
            b'0' + (n / 100) as u8,
            b'0' + (n / 10 % 10) as u8,
            b'0' + (n % 10) as u8,
        ]),
        _ => {
            let mut buf = [0u8; 20];
            let mut i = buf.len();
            let mut n = n;
            while n > 0 {
                i -= 1;
                buf[i] = b'0' + (n % 10) as u8;
                n /= 10;
            }
            out.extend_from_slice(&buf[i..]);
        }
    }
}

/// The end of a message's JSON: its response (with the meaning unless brief), its error.
fn json_tail(out: &mut Vec<u8>, first: &mut bool, r: &MessageReport, meaning: bool) {
    if let Some(resp) = &r.response {
        json_key(out, first, "response");
        out.extend_from_slice(b"{\"code\":");
        json_str(out, resp.code);
        if meaning {
            out.extend_from_slice(b",\"meaning\":");
            json_str(out, resp.meaning);
        }
        out.extend_from_slice(b",\"category\":");
        json_str(out, resp.category);
        out.push(b'}');
    }
    if let Some(e) = &r.error {
        json_key(out, first, "error");
        let _ = serde_json::to_writer(&mut *out, e);
    }
    out.push(b'}');
}

fn json_key(out: &mut Vec<u8>, first: &mut bool, key: &str) {
    if !*first {
        out.push(b',');
    }
    *first = false;
    json_str(out, key);
    out.push(b':');
}

/// Brief JSON of a message: what pyiso8583 and jPOS give, field number → value (masked as
/// everywhere), plus the index, log position, spec, MTI, response and any error.
pub fn write_json_brief(r: &MessageReport<'_>, out: &mut Vec<u8>) {
    let mut first = true;
    json_head(out, &mut first, r);
    for (k, v) in [("spec", r.spec), ("mti", r.mti)] {
        if let Some(v) = v {
            json_key(out, &mut first, k);
            json_str(out, v);
        }
    }
    json_key(out, &mut first, "fields");
    out.push(b'{');
    for (i, (id, value)) in r.fields.top_level().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Field ids are digits: no escaping needed.
        json_plain(out, id);
        out.push(b':');
        json_str(out, &value);
    }
    out.push(b'}');
    json_tail(out, &mut first, r, false);
}

/// Compact JSON of a message report, as `serde_json::to_writer` would write it, but without
/// serde's per-field overhead: this is the hot path of `decode --output jsonl` over big logs.
/// `tests` check it parses to the same value as the serde form.
pub fn write_json_compact(r: &MessageReport<'_>, out: &mut Vec<u8>) {
    let mut first = true;
    json_head(out, &mut first, r);
    if let Some(s) = r.spec {
        json_key(out, &mut first, "spec");
        json_str(out, s);
    }
    if let Some(n) = r.note {
        json_key(out, &mut first, "note");
        json_str(out, n);
    }
    if let Some(f) = r.framing.filter(FramingView::detailed) {
        // TPDU, header and LRC details: rare enough for serde.
        json_key(out, &mut first, "framing");
        let _ = serde_json::to_writer(&mut *out, &f);
    } else if let Some(f) = r.framing.map(|v| v.info) {
        json_key(out, &mut first, "framing");
        let mut ff = true;
        out.push(b'{');
        json_key(out, &mut ff, "kind");
        json_plain(out, &f.kind);
        if let Some(n) = f.length {
            json_key(out, &mut ff, "length");
            json_uint(out, n);
        }
        for (k, v) in [("tpdu", &f.tpdu), ("header", &f.header)] {
            if let Some(v) = v {
                json_key(out, &mut ff, k);
                json_str(out, v);
            }
        }
        json_key(out, &mut ff, "rule");
        json_str(out, &f.rule);
        out.push(b'}');
    }
    if let Some(m) = r.mti {
        // Usually four digits, but what stood there when the MTI did not decode.
        json_key(out, &mut first, "mti");
        json_str(out, m);
    }
    if let Some(m) = &r.mti_meaning {
        json_key(out, &mut first, "mti_meaning");
        json_plain(out, m);
    }
    if let Some(b) = &r.bitmap {
        json_key(out, &mut first, "bitmap");
        json_plain(out, b);
    }
    json_key(out, &mut first, "fields");
    out.push(b'[');
    for (i, f) in r.fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match f.json_head {
            Some(head) => out.extend_from_slice(head.as_bytes()),
            None => {
                out.extend_from_slice(b"{\"id\":");
                json_str(out, &f.id);
                out.extend_from_slice(b",\"name\":");
                json_str(out, &f.name);
                out.extend_from_slice(b",\"value\":");
            }
        }
        if f.plain {
            json_plain(out, &f.value)
        } else {
            json_str(out, &f.value)
        }
        out.extend_from_slice(b",\"offset\":");
        match f.offset {
            Some(n) => json_uint(out, n),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"length\":");
        match f.length {
            Some(n) => json_uint(out, n),
            None => out.extend_from_slice(b"null"),
        }
        if let Some(raw) = &f.raw {
            out.extend_from_slice(b",\"raw\":");
            json_str(out, raw);
        }
        if let Some(m) = &f.meaning {
            out.extend_from_slice(b",\"meaning\":");
            json_str(out, m);
        }
        if let Some(p) = f.pad {
            out.extend_from_slice(b",\"pad\":");
            json_plain(out, p);
        }
        if f.masked {
            out.extend_from_slice(b",\"masked\":true");
        }
        out.push(b'}');
    }
    out.push(b']');
    json_tail(out, &mut first, r, true);
}

// ---- Reports: a decoded message as the output writers show it (decode, send). ----

/// Whether to colour output going to stdout.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

/// Options for building reports, fixed for a whole run.
pub struct ReportOpts<'a> {
    /// Show card data.
    pub unmask: bool,
    /// Add each field's wire bytes.
    pub raw: bool,
    /// Pre-rendered JSON per field.
    pub heads: &'a JsonHeads,
    /// Brief output: what it does not show is not computed.
    pub brief: bool,
}

/// Pre-rendered JSON of each field's id and name, per spec, so that the JSON Lines hot path
/// does not escape the same names for every message.
pub struct JsonHeads(Vec<(usize, Vec<String>, Vec<Vec<String>>)>);

impl JsonHeads {
    /// Render the heads of every spec `choice` may use.
    pub fn new(choice: &SpecChoice) -> Self {
        let specs: Vec<&Spec> = match choice {
            SpecChoice::One(s) => vec![s.as_ref()],
            SpecChoice::Auto(all) => all.iter().collect(),
        };
        JsonHeads(
            specs
                .into_iter()
                .map(|spec| {
                    let fields = (0..=posresp::codec::spec::MAX_FIELD).map(|id| spec.field(id));
                    let heads = fields
                        .clone()
                        .map(|d| {
                            d.map_or_else(String::new, |d| json_field_head(&d.id_str, &d.name))
                        })
                        .collect();
                    let parts = fields
                        .map(|d| {
                            let Some(d) = d else { return Vec::new() };
                            let names = d
                                .subfields
                                .iter()
                                .flat_map(|s| s.parts.iter().map(|p| p.name.as_str()));
                            d.part_paths
                                .iter()
                                .zip(names)
                                .map(|(path, name)| json_field_head(path, name))
                                .collect()
                        })
                        .collect();
                    (spec as *const Spec as usize, heads, parts)
                })
                .collect(),
        )
    }

    fn get(&self, spec: &Spec) -> Option<&[String]> {
        let key = spec as *const Spec as usize;
        self.0
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, v, _)| v.as_slice())
    }

    fn parts(&self, spec: &Spec) -> Option<&[Vec<String>]> {
        let key = spec as *const Spec as usize;
        self.0
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, p)| p.as_slice())
    }
}

/// Build the report of one decoded (or partly decoded) message.
pub fn report<'a>(
    index: usize,
    frame: &'a Frame,
    spec: Option<&'a Spec>,
    dec: &'a Decoded,
    error: Option<&DecodeError>,
    bytes: &'a [u8],
    opts: &ReportOpts<'a>,
) -> MessageReport<'a> {
    let response = spec.and_then(|spec| {
        let code = dec.get(39)?;
        let r = glossary::response_code(spec.dialect, code);
        Some(ResponseReport {
            code,
            meaning: r.map_or("unknown code", |r| r.meaning.as_str()),
            category: r.map_or("unknown", |r| r.category.as_str()),
        })
    });
    let mti = dec.mti();
    MessageReport {
        index,
        line: frame.line,
        ts: frame.ts.as_deref(),
        dir: frame.dir.as_deref(),
        packet: frame.packet,
        src: frame.flow.map(|f| f.0.to_string()),
        dst: frame.flow.map(|f| f.1.to_string()),
        latency_ms: frame.latency_ms,
        spec: spec.map(|s| s.name.as_str()),
        note: dec.from_values.then_some(LOGGED_NOTE),
        framing: dec.framing.as_ref().map(|info| FramingView { info, spec }),
        mti: (!mti.is_empty()).then_some(mti),
        mti_meaning: if opts.brief {
            None
        } else {
            glossary::mti_meaning(mti)
        },
        bitmap: (dec.bitmap_count > 0 && !opts.brief).then(|| dec.bitmap_hex()),
        fields: FieldsView {
            decoded: spec.map(|s| (s, dec)),
            bytes,
            unmask: opts.unmask,
            raw: opts.raw,
            heads: spec.and_then(|s| opts.heads.get(s)),
            part_heads: spec.and_then(|s| opts.heads.parts(s)),
        },
        response,
        error: error.map(|e| ErrorReport {
            message: format!("{e}; {}", e.hint()),
            offset: Some(e.offset),
            field: e.field.clone(),
        }),
    }
}

/// Said of every message read from a jPOS XML log.
const LOGGED_NOTE: &str =
    "values as logged by jPOS: no message bytes were available, so there are no offsets or lengths";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_detects_every_special_byte_in_any_position() {
        for special in [0u8, 0x1F, b'"', b'\\', 0x7F, b'\n'] {
            for pos in 0..20 {
                let mut v = vec![b'a'; 20];
                v[pos] = special;
                assert!(needs_escape(&v), "byte {special:#x} at {pos}");
                let s = String::from_utf8(v).unwrap();
                let mut out = Vec::new();
                json_str(&mut out, &s);
                let back: String = serde_json::from_slice(&out).unwrap();
                assert_eq!(back, s);
            }
        }
        for ok in [
            b' ', b'~', b'!', b'#', b'[', b']', 0x21, 0x23, 0x5B, 0x5D, 0x7E,
        ] {
            assert!(!needs_escape(&[ok; 17]), "byte {ok:#x}");
        }
        let utf8 = "中国银联 ÄÖ";
        assert!(!needs_escape(utf8.as_bytes()));
    }

    #[test]
    fn numbers() {
        for n in [0usize, 9, 10, 99, 100, 999, 1000, 65535, usize::MAX] {
            let mut out = Vec::new();
            json_uint(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }
}
