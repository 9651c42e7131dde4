//! Turning what users paste or point at into message bytes: hex text with any separators,
//! raw binary, `xxd` / `hexdump -C` / `od` / jPOS hex dumps, one-message-per-line logs and
//! posresp JSON Lines logs. Logs are read line by line, so memory stays flat.

use std::io::{self, BufRead, Read};

use anyhow::Context as _;

use crate::codec::encoding::hex_val;

/// The forms an input can take (`--input-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Detect from the content.
    Auto,
    /// Raw bytes: the whole input is one message.
    Raw,
    /// Hex text: the whole input is one message, separators ignored.
    Hex,
    /// One message per line, optionally `TIMESTAMP [req|resp] HEX`.
    Lines,
    /// posresp JSON Lines log.
    Jsonl,
    /// A hex dump with an offset column and ASCII gutter (xxd, hexdump -C, od, jPOS, Wireshark).
    Dump,
    /// jPOS XML log (`<log><send|receive><isomsg>`): values as logged, no bytes.
    JposXml,
    /// A pcap or pcapng capture: TCP reassembled, messages cut by their framing.
    Pcap,
    /// `tcpdump -X` / `-XX` text.
    Tcpdump,
}

impl InputFormat {
    /// Name as shown to users.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Raw => "raw",
            InputFormat::Hex => "hex",
            InputFormat::Lines => "lines",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Dump => "dump",
            InputFormat::JposXml => "jpos-xml",
            InputFormat::Pcap => "pcap",
            InputFormat::Tcpdump => "tcpdump",
        }
    }
}

/// One message read from an input.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    /// The message bytes.
    pub bytes: Vec<u8>,
    /// Timestamp from the log, if any.
    pub ts: Option<String>,
    /// Direction from the log (`req` / `resp`), if any.
    pub dir: Option<String>,
    /// Spec named by a JSON Lines record.
    pub spec: Option<String>,
    /// Latency from a JSON Lines record.
    pub latency_ms: Option<f64>,
    /// Line number (1-based) in the input, for logs.
    pub line: Option<usize>,
    /// The log record says card data in it was zeroed (`"redacted": true`): checks over the
    /// zeroed values (Luhn, MAC, expiry in track data) cannot be made.
    pub redacted: bool,
    /// Another reading of the same input (the text as raw bytes) to try if the first fails.
    pub alternative: Option<Vec<u8>>,
    /// A message logged as values (jPOS XML), not bytes.
    pub logged: Option<crate::jposxml::LoggedMessage>,
    /// Sender and receiver, for a message read from a capture.
    pub flow: Option<(std::net::SocketAddr, std::net::SocketAddr)>,
    /// Number (1-based) of the capture's packet that completed the message.
    pub packet: Option<u64>,
}

/// A message that could not be read: which line and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// Line number (1-based), when line-oriented.
    pub line: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

const SEP: u8 = 0x10;
const BAD: u8 = 0xFF;

/// Byte → nibble value, `SEP` for separators, `BAD` for anything else.
static HEX_TABLE: [u8; 256] = {
    let mut t = [BAD; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    let seps = b" \t\r\n:,-|;\"'[]{}";
    let mut i = 0;
    while i < seps.len() {
        t[seps[i] as usize] = SEP;
        i += 1;
    }
    t
};

/// Parse a non-empty run of hex digits with nothing else in it; `None` otherwise.
pub fn parse_pure_hex(b: &[u8]) -> Option<Vec<u8>> {
    if b.is_empty() || !b.len().is_multiple_of(2) {
        return None;
    }
    let mut out = vec![0u8; b.len() / 2];
    // Two lookups in a 256-byte table (it stays in L1) per output byte, no early exit:
    // validity is OR-ed up and checked once (non-hex characters map to 0xFF).
    let mut bad = 0u8;
    for (o, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
        let (hi, lo) = (
            HEX_TABLE[usize::from(pair[0])],
            HEX_TABLE[usize::from(pair[1])],
        );
        bad |= hi | lo;
        *o = hi << 4 | lo;
    }
    (bad & 0xF0 == 0).then_some(out)
}

/// Strip separators (spaces, colons, commas, `0x`, dashes) and parse hex.
/// Errors say which character (by position in `text`) is wrong.
pub fn parse_hex_text(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() / 2);
    parse_hex_into(text, &mut out)?;
    Ok(out)
}

/// As [`parse_hex_text`], appending to `out`.
pub fn parse_hex_into(text: &str, out: &mut Vec<u8>) -> Result<(), String> {
    let b = text.as_bytes();
    let mut hi: u8 = BAD;
    let mut i = 0;
    let mut digits = 0usize;
    // Fast path: runs of plain hex pairs.
    out.reserve(b.len() / 2);
    while i + 1 < b.len() {
        let (x, y) = (HEX_TABLE[b[i] as usize], HEX_TABLE[b[i + 1] as usize]);
        if (x | y) >= 16 || (x == 0 && (b[i + 1] | 0x20) == b'x') {
            break;
        }
        out.push(x << 4 | y);
        i += 2;
        digits += 2;
    }
    while i < b.len() {
        let c = b[i];
        let v = HEX_TABLE[c as usize];
        if v < 16 {
            // `0x` prefix: a 0 at the start of a byte followed by x.
            if v == 0 && hi == BAD && i + 1 < b.len() && (b[i + 1] | 0x20) == b'x' {
                i += 2;
                continue;
            }
            digits += 1;
            if hi == BAD {
                hi = v;
            } else {
                out.push(hi << 4 | v);
                hi = BAD;
            }
        } else if v == BAD {
            let ch = text[i..].chars().next().unwrap_or('?');
            return Err(format!(
                "character {:?} at position {} is not a hex digit; give hex, or use --input-format raw for binary",
                ch,
                i + 1
            ));
        }
        i += 1;
    }
    if hi != BAD {
        return Err(format!(
            "odd number of hex digits ({digits}): a nibble is missing; check the copy is complete"
        ));
    }
    Ok(())
}

fn is_hex_token(t: &str) -> bool {
    !t.is_empty() && t.bytes().all(|c| c.is_ascii_hexdigit())
}

/// The longest run of hex digits (with single separators) in `line`, as text.
fn longest_hex_run(line: &str) -> &str {
    let b = line.as_bytes();
    let (mut best, mut best_len) = ((0, 0), 0);
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_hexdigit() {
            let start = i;
            let mut n = 0;
            let mut end = i;
            while i < b.len()
                && (b[i].is_ascii_hexdigit()
                    || (b[i] == b' ' && i + 1 < b.len() && b[i + 1].is_ascii_hexdigit()))
            {
                if b[i].is_ascii_hexdigit() {
                    n += 1;
                    end = i + 1;
                }
                i += 1;
            }
            if n > best_len {
                best_len = n;
                best = (start, end);
            }
        } else {
            i += 1;
        }
    }
    &line[best.0..best.1]
}

fn looks_like_timestamp(t: &str) -> bool {
    if t.len() > 40 {
        return false;
    }
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    digits >= 4
        && t.bytes()
            .any(|c| matches!(c, b'-' | b':' | b'T' | b'.' | b'/'))
        && !is_hex_token(t)
}

fn direction(t: &str) -> Option<&'static str> {
    if t.len() > 12 {
        return None;
    }
    match t
        .to_ascii_lowercase()
        .trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '<' && c != '>')
    {
        "req" | "request" | "send" | "sent" | "tx" | "out" | ">>" | "->" => Some("req"),
        "resp" | "response" | "recv" | "received" | "rx" | "in" | "<<" | "<-" => Some("resp"),
        _ => None,
    }
}

/// Parse one log line `[TIMESTAMP] [DIR] HEX` (or any line holding one hex run).
pub fn parse_log_line(line: &str) -> Result<Frame, String> {
    let line = line.trim();
    // Fast path: a bare hex message (digits only, even count), parsed in one pass.
    if let Some(bytes) = parse_pure_hex(line.as_bytes()) {
        return Ok(Frame {
            bytes,
            ..Frame::default()
        });
    }
    let mut rest = line;
    let mut frame = Frame::default();
    // A syslog line: `Nov 26 00:00:00 host prog[pid]: …`; the host and the program are not
    // the message.
    if let Some(n) = crate::timestamp::syslog_prefix(line) {
        frame.ts = Some(line[..n].split_whitespace().collect::<Vec<_>>().join(" "));
        rest = line[n..].trim_start();
        let mut words = rest.splitn(3, ' ');
        if let (Some(_host), Some(prog), Some(after)) = (words.next(), words.next(), words.next())
            && prog.ends_with(':')
        {
            rest = after.trim_start();
        }
    }
    // Epoch seconds or milliseconds in front of the message.
    if frame.ts.is_none()
        && let Some((tok, after)) = rest.split_once(char::is_whitespace)
        && !after.trim().is_empty()
        && (tok.len() == 13 || (tok.len() >= 10 && tok.as_bytes().get(10) == Some(&b'.')))
        && crate::timestamp::parse(tok).is_some()
    {
        frame.ts = Some(tok.to_string());
        rest = after.trim_start();
    }
    // Up to two leading timestamp tokens ("2026-11-26 10:00:00.123" or one RFC 3339 token).
    let mut ts = Vec::new();
    for _ in 0..2 {
        if frame.ts.is_some() {
            break;
        }
        let tok = rest.split_whitespace().next().unwrap_or("");
        let tok_clean = tok.trim_matches(|c| c == '[' || c == ']');
        if looks_like_timestamp(tok_clean) {
            ts.push(tok_clean.to_string());
            rest = rest[tok.len()..].trim_start();
        } else {
            break;
        }
    }
    if !ts.is_empty() {
        frame.ts = Some(ts.join(" "));
    }
    if let Some(tok) = rest.split_whitespace().next()
        && let Some(d) = direction(tok)
    {
        frame.dir = Some(d.to_string());
        rest = rest[tok.len()..].trim_start();
    }
    let bytes = match parse_hex_text(rest) {
        Ok(b) => b,
        Err(first) => {
            let run = longest_hex_run(rest);
            if run.len() < 8 {
                return Err(format!("no hex message found ({first})"));
            }
            parse_hex_text(run)?
        }
    };
    if bytes.is_empty() {
        return Err("no hex message on this line".into());
    }
    frame.bytes = bytes;
    Ok(frame)
}

/// Parse one posresp JSON Lines record.
pub fn parse_json_line(line: &str) -> Result<Frame, String> {
    json_record(line)?.ok_or_else(|| "this record is a connection event, not a message".into())
}

/// One JSON Lines record: a message, or `None` for a connection event that serve logs
/// (`{"event": "frame timeout", …}` without "hex").
fn json_record(line: &str) -> Result<Option<Frame>, String> {
    let r = crate::traffic::parse_line(line)?;
    if r.hex.is_none() && r.event.is_some() {
        return Ok(None);
    }
    let hex = r.hex.ok_or("JSON record has no \"hex\" key")?;
    let bytes = parse_hex_text(&hex).map_err(|e| format!("\"hex\": {e}"))?;
    Ok(Some(Frame {
        bytes,
        ts: r.ts,
        dir: r.dir,
        spec: r.spec,
        latency_ms: r.latency_ms,
        redacted: r.redacted,
        ..Frame::default()
    }))
}

/// Which dump style a line has: returns the byte tokens of the line, gutter removed.
fn dump_line_bytes(line: &str) -> Option<Result<Vec<u8>, String>> {
    let line = line.trim_end();
    if line.is_empty() {
        return None;
    }
    let mut it = line.splitn(2, [' ', '\t']);
    let off = it.next()?.trim_end_matches(':');
    let off = off.strip_prefix("0x").unwrap_or(off);
    if !is_hex_token(off) || off.len() < 4 {
        return Some(Err("expected an offset column".into()));
    }
    let rest = it.next().unwrap_or("");
    // Walk byte tokens: 2 hex digits (hexdump/od/jPOS) or 4 (xxd groups), stop at the gutter,
    // which starts after two spaces once at least one token was read, or at a `|` / `>`.
    let mut out = Vec::new();
    let toks: Vec<&str> = rest.split(' ').collect();
    let mut i = 0;
    let mut blanks = 0;
    while i < toks.len() {
        let t = toks[i];
        i += 1;
        if t.is_empty() {
            blanks += 1;
            // xxd and od put the gutter after 2+ spaces; hexdump -C/jPOS have 2 spaces mid-line,
            // so a double space only ends the data when the next token is not a byte group.
            continue;
        }
        let group = is_hex_token(t) && t.len().is_multiple_of(2) && t.len() <= 4;
        if !group || t.starts_with('|') || t.starts_with('>') {
            break;
        }
        // A gutter that happens to look like hex ("1.1" never does, but "dead" could) is only
        // possible after a run of 2+ blanks following the last group of a short final line.
        if (blanks >= 3 && !out.is_empty()) || out.len() >= 16 {
            break;
        }
        blanks = 0;
        for pair in t.as_bytes().chunks(2) {
            out.push(hex_val(pair[0]).unwrap_or(0) << 4 | hex_val(pair[1]).unwrap_or(0));
        }
    }
    Some(Ok(out))
}

/// Parse a whole hex dump (xxd, hexdump -C, od -A x -t x1z, jPOS, Wireshark) into bytes.
pub fn parse_dump(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        match dump_line_bytes(line) {
            None => {}
            Some(Ok(b)) => out.extend(b),
            Some(Err(e)) => return Err(format!("dump line {}: {e}", n + 1)),
        }
    }
    Ok(out)
}

fn is_dump_line(line: &str) -> bool {
    // The first line of every dump style starts at offset zero: `00000000:` (xxd),
    // `00000000` (hexdump -C), `000000` (od), `0000` (jPOS, Wireshark), `0x0000:` (tcpdump).
    let mut it = line.split_whitespace();
    let (Some(off), Some(first)) = (it.next(), it.next()) else {
        return false;
    };
    let off = off.trim_end_matches(':');
    let off = off.strip_prefix("0x").unwrap_or(off);
    (4..=8).contains(&off.len())
        && off.bytes().all(|c| c == b'0')
        && is_hex_token(first)
        && (first.len() == 2 || first.len() == 4)
}

/// A log with a few bad lines is still a log: when most complete lines of `sample` (at least
/// `min_lines`) are log records, the form they have.
fn mostly_log_lines(sample: &[u8], min_lines: usize) -> Option<InputFormat> {
    let end = sample.iter().rposition(|&b| b == b'\n')?;
    let lines: Vec<&[u8]> = sample[..end]
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|l| !is_blank_line(l))
        .take(200)
        .collect();
    if lines.len() < min_lines {
        return None;
    }
    // Records that hold a payload of 4 bytes or more (an MTI at least): a binary message
    // cut at its 0x0A bytes rarely gives two of those, a log with junk lines always does.
    let (mut json, mut plain) = (0usize, 0usize);
    for l in &lines {
        let Ok(t) = std::str::from_utf8(l) else {
            continue;
        };
        let sized = |f: Result<Frame, String>| usize::from(f.is_ok_and(|f| f.bytes.len() >= 4));
        if t.starts_with('{') {
            json += sized(parse_json_line(t));
        } else {
            plain += sized(parse_log_line(t));
        }
    }
    let n = lines.len();
    // Losing a log to a one-message reading loses every message in it; reading a binary
    // message as a log reports its pieces, so a log wins at half its lines.
    if json * 5 >= n * 4 {
        Some(InputFormat::Jsonl)
    } else if json + plain >= 2 && (json + plain) * 2 >= n {
        Some(InputFormat::Lines)
    } else {
        None
    }
}

/// Mostly hex digits in one token: a hex paste with a typo, to be reported as such rather
/// than read as binary.
fn hex_with_typos(text: &str) -> bool {
    let t = text.trim();
    let n = t.chars().count();
    n >= 20
        && !t.contains(char::is_whitespace)
        && t.chars().filter(char::is_ascii_hexdigit).count() * 50 >= n * 49
}

/// Guess the form of `sample` (the start of an input).
pub fn detect(sample: &[u8]) -> InputFormat {
    if crate::capture::is_capture(sample) {
        return InputFormat::Pcap;
    }
    if crate::capture::is_tcpdump_text(sample) {
        return InputFormat::Tcpdump;
    }
    let text = match std::str::from_utf8(sample) {
        Ok(t) => t,
        // A cut in the middle of a multibyte character at the sample's end is fine.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&sample[..e.valid_up_to()]).unwrap_or("")
        }
        Err(_) => return mostly_log_lines(sample, 3).unwrap_or(InputFormat::Raw),
    };
    if text
        .bytes()
        .any(|c| c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t'))
    {
        return mostly_log_lines(sample, 3).unwrap_or(InputFormat::Raw);
    }
    // Hex digits (and separators) only, in any count: hex, even when a digit is missing.
    let hexish = |t: &str| {
        t.bytes()
            .all(|c| c.is_ascii_hexdigit() || c.is_ascii_whitespace() || b":,-".contains(&c))
    };
    let one_line = !text.trim().contains('\n');
    if one_line && !text.trim().is_empty() && (hexish(text) || hex_with_typos(text)) {
        return InputFormat::Hex;
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if first.starts_with('{') {
        return InputFormat::Jsonl;
    }
    if first.starts_with('<') {
        return InputFormat::JposXml;
    }
    if is_dump_line(first) {
        return InputFormat::Dump;
    }
    // The sample may end inside a line (a long one): judge by the complete lines only.
    let complete = match text.rfind('\n') {
        Some(end) if !text.ends_with('\n') => &text[..=end],
        _ => text,
    };
    let lines: Vec<&str> = complete
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let all_hex = lines.iter().all(|l| parse_hex_text(l).is_ok());
    if all_hex {
        // A cut line longer than the first complete one: not a message wrapped at a fixed
        // width, so one message per line.
        let cut = &text[complete.len()..];
        if !cut.trim().is_empty() && lines.first().is_some_and(|l| cut.trim().len() > l.len()) {
            return InputFormat::Lines;
        }
        if lines.len() <= 1 {
            return InputFormat::Hex;
        }
        // A message wrapped at a fixed width: all lines but the last have one length.
        // Messages of one log start alike (framing, MTI); the lines of one wrapped message do not.
        let w = lines[0].len();
        let head = |l: &str| l.get(..4).map(str::to_ascii_uppercase);
        let same_start = lines.iter().all(|l| head(l) == head(lines[0]));
        let wrapped = !same_start
            && lines[..lines.len() - 1].iter().all(|l| l.len() == w)
            && lines[lines.len() - 1].len() <= w;
        return if wrapped {
            InputFormat::Hex
        } else {
            InputFormat::Lines
        };
    }
    if lines.iter().take(20).all(|l| parse_log_line(l).is_ok()) && lines.len() > 1 {
        return InputFormat::Lines;
    }
    if lines.len() == 1
        && parse_log_line(lines[0]).is_ok()
        && !first
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b' ')
    {
        return InputFormat::Lines;
    }
    mostly_log_lines(sample, 2).unwrap_or(InputFormat::Raw)
}

/// Reads frames from one input source.
pub struct FrameReader<R: BufRead> {
    reader: R,
    format: InputFormat,
    line_no: usize,
    done: bool,
    /// The form was detected, not given: a whole input may turn out to be a stream of
    /// length-prefixed messages.
    detected: bool,
    /// Messages of a length-prefixed stream not yet handed out.
    queued: std::collections::VecDeque<Frame>,
    xml: Option<(
        crate::jposxml::Parser,
        std::collections::VecDeque<crate::jposxml::LoggedMessage>,
    )>,
    capture: Option<crate::capture::CaptureReader>,
    host_ports: Vec<u16>,
}

impl<R: BufRead> FrameReader<R> {
    /// A reader for `reader`; `format` Auto detects from the first 64 KiB.
    pub fn new(mut reader: R, format: InputFormat) -> io::Result<(Self, InputFormat)> {
        let detected = format == InputFormat::Auto;
        let format = if detected {
            let sample = peek(&mut reader, 64 * 1024)?;
            detect(&sample)
        } else {
            format
        };
        Ok((
            FrameReader {
                reader,
                format,
                line_no: 0,
                done: false,
                detected,
                queued: Default::default(),
                xml: None,
                capture: None,
                host_ports: Vec::new(),
            },
            format,
        ))
    }

    fn whole(&mut self) -> Result<Frame, InputError> {
        let mut data = Vec::new();
        (&mut self.reader)
            .take(MAX_WHOLE as u64 + 1)
            .read_to_end(&mut data)
            .map_err(|e| InputError {
                line: None,
                message: format!("cannot read input: {e}"),
            })?;
        if data.len() > MAX_WHOLE {
            return Err(InputError {
                line: None,
                message: format!(
                    "more than {} MiB in one message: not a message; give a log with one message per line",
                    MAX_WHOLE >> 20
                ),
            });
        }
        let err = |message: String| InputError {
            line: None,
            message,
        };
        if data.iter().all(u8::is_ascii_whitespace) {
            return Err(err(
                "the input is empty: give a message as hex, a binary file, a dump or a log".into(),
            ));
        }
        match self.format {
            InputFormat::Raw => Ok(Frame {
                bytes: data,
                ..Frame::default()
            }),
            InputFormat::Dump => {
                let text = String::from_utf8_lossy(&data);
                parse_dump(&text)
                    .map(|bytes| Frame {
                        bytes,
                        ..Frame::default()
                    })
                    .map_err(err)
            }
            _ => {
                let text = String::from_utf8_lossy(&data);
                let bytes = parse_hex_text(&text).map_err(err)?;
                // Text that is all hex digits may also be an ASCII message saved as-is.
                let trimmed = text.trim();
                let alternative = (!trimmed.is_empty()
                    && trimmed.bytes().all(|c| c.is_ascii_graphic() || c == b' '))
                .then(|| trimmed.as_bytes().to_vec());
                Ok(Frame {
                    bytes,
                    alternative,
                    ..Frame::default()
                })
            }
        }
    }
}

/// Read up to `n` bytes without consuming them.
fn peek<R: BufRead>(reader: &mut R, n: usize) -> io::Result<Vec<u8>> {
    // BufRead only exposes one buffer; for larger samples we rely on its capacity.
    let buf = reader.fill_buf()?;
    Ok(buf[..buf.len().min(n)].to_vec())
}

impl<R: BufRead> Iterator for FrameReader<R> {
    type Item = Result<Frame, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.format == InputFormat::JposXml {
            // Finished messages may still be queued after the end of input.
            return self.next_xml();
        }
        if self.done {
            return None;
        }
        match self.format {
            InputFormat::Raw | InputFormat::Hex | InputFormat::Dump | InputFormat::Auto => {
                if let Some(f) = self.queued.pop_front() {
                    return Some(Ok(f));
                }
                if self.line_no > 0 {
                    return None;
                }
                self.line_no = 1;
                let whole = self.whole();
                // A byte stream of length-prefixed messages (a capture's payload, `generate
                // --format bin`) is those messages, one by one.
                if self.detected
                    && let Ok(f) = &whole
                    && let Some(parts) = crate::codec::framing::split_length_stream(&f.bytes)
                {
                    self.queued = parts
                        .into_iter()
                        .map(|b| Frame {
                            bytes: b.to_vec(),
                            ..Frame::default()
                        })
                        .collect();
                    return self.queued.pop_front().map(Ok);
                }
                Some(whole)
            }
            InputFormat::JposXml => self.next_xml(),
            InputFormat::Pcap | InputFormat::Tcpdump => self.next_captured(),
            InputFormat::Lines | InputFormat::Jsonl => loop {
                let mut raw = Vec::new();
                match read_line_capped(&mut self.reader, &mut raw, MAX_LINE) {
                    Ok(0) => {
                        self.done = true;
                        return None;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        self.done = true;
                        return Some(Err(InputError {
                            line: Some(self.line_no + 1),
                            message: format!("cannot read: {e}"),
                        }));
                    }
                }
                self.line_no += 1;
                if let Some(item) = line_record(self.format, &raw, self.line_no) {
                    return Some(item);
                }
            },
        }
    }
}

impl<R: BufRead> FrameReader<R> {
    /// The ports of the side that listens (the host), for capture flows whose SYN is not in
    /// the capture.
    pub fn host_ports(mut self, ports: &[u16]) -> Self {
        self.host_ports = ports.to_vec();
        self
    }

    fn next_captured(&mut self) -> Option<Result<Frame, InputError>> {
        use crate::capture::{CaptureForm, CaptureReader, Event};
        let form = if self.format == InputFormat::Pcap {
            CaptureForm::File
        } else {
            CaptureForm::Text
        };
        let ports = &self.host_ports;
        let cap = self
            .capture
            .get_or_insert_with(|| CaptureReader::new(form, ports.clone()));
        let event = match cap.next(&mut self.reader) {
            Some(e) => e,
            None => {
                if !self.done {
                    self.done = true;
                    let (packets, tcp) = cap.counts();
                    if tcp == 0 {
                        return Some(Err(InputError {
                            line: None,
                            message: format!(
                                "the capture holds {packets} packets and no TCP: nothing to \
                                 read messages from (capture the host's TCP port)"
                            ),
                        }));
                    }
                }
                return None;
            }
        };
        Some(match event {
            Event::Message(m) => Ok(Frame {
                bytes: m.bytes,
                ts: Some(m.ts.text()),
                dir: m
                    .from_client
                    .map(|c| if c { "req" } else { "resp" }.to_string()),
                flow: Some((m.src, m.dst)),
                packet: Some(m.packet),
                ..Frame::default()
            }),
            Event::Problem(p) => Err(InputError {
                line: None,
                message: match p.packet {
                    Some(n) => format!("packet {n}: {}", p.message),
                    None => p.message,
                },
            }),
        })
    }

    fn next_xml(&mut self) -> Option<Result<Frame, InputError>> {
        let (parser, ready) = self.xml.get_or_insert_with(Default::default);
        loop {
            if let Some(m) = ready.pop_front() {
                return Some(Ok(Frame {
                    ts: m.at.clone(),
                    dir: m.dir.clone(),
                    // jPOS `lifespan` is how long the log event took, not the round trip: latency
                    // comes from the send and receive timestamps.
                    latency_ms: None,
                    line: Some(m.line),
                    logged: Some(m),
                    ..Frame::default()
                }));
            }
            if self.done {
                return None;
            }
            let mut raw = Vec::new();
            match read_line_capped(&mut self.reader, &mut raw, MAX_LINE) {
                Ok(0) => {
                    self.done = true;
                    if let Some(m) = parser.finish() {
                        let line = m.line;
                        return Some(Err(InputError {
                            line: Some(line),
                            message: "jPOS XML message is not closed (</isomsg> missing): the log is cut short".into(),
                        }));
                    }
                }
                Ok(_) => {
                    self.line_no += 1;
                    ready.extend(parser.feed(&String::from_utf8_lossy(&raw)));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(InputError {
                        line: Some(self.line_no + 1),
                        message: format!("cannot read: {e}"),
                    }));
                }
            }
        }
    }

    /// The underlying reader, for callers that read lines themselves (batching), and the
    /// number of lines read so far.
    pub fn into_inner(self) -> (R, usize) {
        (self.reader, self.line_no)
    }
}

/// Longest line read as one record: no message is anywhere near this long (ISO 8583 length
/// prefixes stop at 65 535 bytes), so a longer line is reported and skipped without holding it.
pub const MAX_LINE: usize = 16 << 20;

/// Most bytes read as one whole-input message (raw, hex or dump).
pub const MAX_WHOLE: usize = 64 << 20;

/// What [`read_line_capped`] leaves in the buffer for a line longer than [`MAX_LINE`]; turned
/// into an error by [`line_record`].
pub const OVERLONG: &[u8] = b"\0posresp: overlong line\0";

/// `read_until(b'\n')` that never holds more than `cap` bytes of one line: the rest of a longer
/// line is consumed and dropped, and `buf` gets [`OVERLONG`] in place of the line. Returns the
/// bytes consumed (0 at the end of input).
pub fn read_line_capped<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, cap: usize) -> io::Result<usize> {
    let start = buf.len();
    // read_until and skip_until find the newline with memchr.
    let n = (&mut *r).take(cap as u64 + 1).read_until(b'\n', buf)?;
    if n <= cap || buf.last() == Some(&b'\n') {
        return Ok(n);
    }
    buf.truncate(start);
    let rest = r.skip_until(b'\n')?;
    buf.extend_from_slice(OVERLONG);
    Ok(n + rest)
}

/// True for lines that hold no record (blank, or a `#` comment).
pub fn is_blank_line(raw: &[u8]) -> bool {
    let t = raw.trim_ascii();
    t.is_empty() || t[0] == b'#'
}

/// One line of a line-oriented log (`Lines` or `Jsonl`) as a frame; `None` for blank and
/// comment lines.
pub fn line_record(
    _format: InputFormat,
    raw: &[u8],
    line_no: usize,
) -> Option<Result<Frame, InputError>> {
    if is_blank_line(raw) {
        return None;
    }
    if raw == OVERLONG {
        return Some(Err(InputError {
            line: Some(line_no),
            message: format!(
                "line is longer than {} MiB without a line break: not a message; skipped it",
                MAX_LINE >> 20
            ),
        }));
    }
    // The form is decided line by line: a log may mix JSON records, timestamped lines and
    // bare hex (logs get concatenated, notes get added); the input's form (`_format`) only
    // says that it is a log. The common case in big logs, a bare hex message, needs no UTF-8
    // check.
    if let Some(bytes) = parse_pure_hex(raw.trim_ascii()) {
        return Some(Ok(Frame {
            bytes,
            line: Some(line_no),
            ..Frame::default()
        }));
    }
    let line = match std::str::from_utf8(raw) {
        Ok(s) => s.trim(),
        Err(_) => {
            return Some(Err(InputError {
                line: Some(line_no),
                message:
                    "line is not valid UTF-8 text; skipped it (use --input-format raw for binary)"
                        .into(),
            }));
        }
    };
    let parsed = if line.starts_with('{') {
        match json_record(line) {
            Ok(None) => return None,
            Ok(Some(f)) => Ok(f),
            Err(e) => Err(e),
        }
    } else {
        parse_log_line(line)
    };
    Some(
        parsed
            .map(|f| Frame {
                line: Some(line_no),
                ..f
            })
            .map_err(|message| InputError {
                line: Some(line_no),
                message,
            }),
    )
}

/// The inputs a command reads: those given, or standard input when it is not a terminal.
/// With nothing given on a terminal, one line says what to give instead of waiting silently.
pub fn inputs_or_stdin(given: &[String], command: &str, what: &str) -> anyhow::Result<Vec<String>> {
    use std::io::IsTerminal;
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    if io::stdin().is_terminal() {
        anyhow::bail!("no input: give {what} (see posresp {command} --help)");
    }
    Ok(vec!["-".to_string()])
}

/// How an input is named in messages: a literal hex argument may hold card data, so it is
/// never echoed.
pub fn input_name(arg: &str) -> String {
    if arg != "-"
        && !std::path::Path::new(arg).exists()
        && arg.bytes().any(|c| c.is_ascii_hexdigit())
    {
        let hexish = arg
            .bytes()
            .all(|c| c.is_ascii_hexdigit() || b" :,-xX".contains(&c));
        if hexish {
            return "hex argument".to_string();
        }
    }
    arg.to_string()
}

/// Open `arg`: a file, '-' for standard input, or literal hex; whether it was literal.
pub fn open_input(arg: &str) -> anyhow::Result<(Box<dyn io::BufRead>, bool)> {
    if arg == "-" {
        return Ok((
            Box::new(io::BufReader::with_capacity(256 * 1024, io::stdin())),
            false,
        ));
    }
    let path = std::path::Path::new(arg);
    if path.exists() {
        let f = std::fs::File::open(path).with_context(|| format!("cannot open {arg}"))?;
        return Ok((Box::new(io::BufReader::with_capacity(256 * 1024, f)), false));
    }
    // Anything made of hex digits and separators is literal hex; parsing reports odd digits.
    let hexish = arg
        .bytes()
        .all(|c| c.is_ascii_hexdigit() || b" :,-xX".contains(&c));
    if hexish && arg.bytes().any(|c| c.is_ascii_hexdigit()) {
        return Ok((Box::new(io::Cursor::new(arg.as_bytes().to_vec())), true));
    }
    anyhow::bail!(
        "{arg}: no such file, and not hex either; give a file path, '-' for standard input, or hex digits"
    )
}

/// Open `arg` (file, '-' or hex) and read its messages, detecting the form.
pub fn open_frames(arg: &str) -> anyhow::Result<FrameReader<Box<dyn io::BufRead>>> {
    let (reader, literal) = open_input(arg)?;
    let format = if literal {
        InputFormat::Hex
    } else {
        InputFormat::Auto
    };
    let (frames, _) =
        FrameReader::new(reader, format).with_context(|| format!("cannot read {arg}"))?;
    Ok(frames)
}

/// A reader that counts the bytes taken from it (for progress on a terminal).
struct Counted<R> {
    inner: R,
    taken: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: io::BufRead> io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.taken
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: io::BufRead> io::BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.taken
            .fetch_add(amt as u64, std::sync::atomic::Ordering::Relaxed);
        self.inner.consume(amt);
    }
}

/// Bytes read so far from an input, shared with whoever shows progress.
pub type ByteCount = std::sync::Arc<std::sync::atomic::AtomicU64>;

/// `reader`, counting the bytes taken from it.
pub fn counted(reader: Box<dyn io::BufRead>) -> (Box<dyn io::BufRead>, ByteCount) {
    let taken = ByteCount::default();
    let r: Box<dyn io::BufRead> = Box::new(Counted {
        inner: reader,
        taken: taken.clone(),
    });
    (r, taken)
}

/// [`open_frames`], with a counter of the bytes read so far.
pub fn open_frames_counted(
    arg: &str,
) -> anyhow::Result<(FrameReader<Box<dyn io::BufRead>>, ByteCount)> {
    let taken = ByteCount::default();
    Ok((open_frames_counting(arg, taken.clone())?, taken))
}

/// [`open_frames`], adding the bytes read to `taken`.
pub fn open_frames_counting(
    arg: &str,
    taken: ByteCount,
) -> anyhow::Result<FrameReader<Box<dyn io::BufRead>>> {
    let (reader, literal) = open_input(arg)?;
    let reader: Box<dyn io::BufRead> = Box::new(Counted {
        inner: reader,
        taken,
    });
    let format = if literal {
        InputFormat::Hex
    } else {
        InputFormat::Auto
    };
    let (frames, _) =
        FrameReader::new(reader, format).with_context(|| format!("cannot read {arg}"))?;
    Ok(frames)
}

/// " (line N)" for a frame read from a log, for error messages; empty otherwise.
pub fn at_line(frame: &Frame) -> String {
    frame
        .line
        .map(|l| format!(" (line {l})"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const XXD: &str = "00000000: 00a4 6000 0000 0360 3100 3101 0002 1070  ..`....`1.1....p\n00000010: 3e02 810e d082 1316 6212 3456 7890 1232  >.......b.4Vx..2\n00000020: 0000 0000 0000 0123                      .......#\n";
    const HEXDUMP: &str = "00000000  00 a4 60 00 00 00 03 60  31 00 31 01 00 02 10 70  |..`....`1.1....p|\n00000010  3e 02 81 0e d0 82 13 16  62 12 34 56 78 90 12 32  |>.......b.4Vx..2|\n00000020  00 00 00 00 00 00 01 23                           |.......#|\n00000028\n";
    const OD: &str = "000000 00 a4 60 00 00 00 03 60 31 00 31 01 00 02 10 70  >..`....`1.1....p<\n000010 3e 02 81 0e d0 82 13 16 62 12 34 56 78 90 12 32  >>.......b.4Vx..2<\n000020 00 00 00 00 00 00 01 23                          >.......#<\n000028\n";
    const JPOS: &str = "0000  00 A4 60 00 00 00 03 60  31 00 31 01 00 02 10 70  ..`....`1.1....p\n0010  3E 02 81 0E D0 82 13 16  62 12 34 56 78 90 12 32  >.......b.4Vx..2\n0020  00 00 00 00 00 00 01 23                           .......#\n";
    const FIRST40: &str =
        "00A460000000036031003101000210703E02810ED082131662123456789012320000000000000123";

    #[test]
    fn every_dump_style_gives_the_same_bytes() {
        let want = parse_hex_text(FIRST40).unwrap();
        assert_eq!(want.len(), 40);
        for dump in [XXD, HEXDUMP, OD, JPOS] {
            assert_eq!(detect(dump.as_bytes()), InputFormat::Dump, "{dump}");
            assert_eq!(parse_dump(dump).unwrap(), want, "{dump}");
        }
    }

    #[test]
    fn hex_with_separators() {
        for s in [
            "00 a4 60 00",
            "00:a4:60:00",
            "0x00, 0xA4, 0x60, 0x00",
            "00A4\n6000",
        ] {
            assert_eq!(
                parse_hex_text(s).unwrap(),
                vec![0x00, 0xA4, 0x60, 0x00],
                "{s}"
            );
        }
        assert!(parse_hex_text("00A").unwrap_err().contains("odd number"));
        assert!(parse_hex_text("00G1").unwrap_err().contains("position 3"));
    }

    #[test]
    fn log_lines_with_timestamp_and_direction() {
        let f = parse_log_line("2026-11-26T10:00:00.123Z resp 0210ABCD").unwrap();
        assert_eq!(f.ts.as_deref(), Some("2026-11-26T10:00:00.123Z"));
        assert_eq!(f.dir.as_deref(), Some("resp"));
        assert_eq!(f.bytes, vec![0x02, 0x10, 0xAB, 0xCD]);
        let f = parse_log_line("2026-11-26 10:00:00.123 >> 02 10 AB CD").unwrap();
        assert_eq!(f.dir.as_deref(), Some("req"));
        assert_eq!(f.ts.as_deref(), Some("2026-11-26 10:00:00.123"));
        let f = parse_log_line("发送报文=[0210ABCDEF01]").unwrap();
        assert_eq!(f.bytes.len(), 6);
        let f = parse_log_line("Nov 26 10:00:00 pos-gw posd[812]: resp 0210ABCD").unwrap();
        assert_eq!(f.ts.as_deref(), Some("Nov 26 10:00:00"));
        assert_eq!(f.dir.as_deref(), Some("resp"));
        assert_eq!(f.bytes, vec![0x02, 0x10, 0xAB, 0xCD]);
        let f = parse_log_line("1795651200123 req 0200ABCD").unwrap();
        assert_eq!(f.ts.as_deref(), Some("1795651200123"));
        assert_eq!(f.bytes, vec![0x02, 0x00, 0xAB, 0xCD]);
        let f = parse_log_line("26/11/2026 10:00:00.250 >> 0200ABCD").unwrap();
        assert_eq!(f.ts.as_deref(), Some("26/11/2026 10:00:00.250"));
    }

    #[test]
    fn detection_of_forms() {
        assert_eq!(detect(b"0210ABCD"), InputFormat::Hex);
        assert_eq!(
            detect(b"{\"ts\":\"x\",\"hex\":\"00\"}\n"),
            InputFormat::Jsonl
        );
        assert_eq!(detect(b"0210ABCD\n0200ABCDEF\n"), InputFormat::Lines);
        assert_eq!(detect(b"00A4600000\n0003603100\n31"), InputFormat::Hex);
        // Equal-length messages, one per line, are a log, not one wrapped message.
        assert_eq!(
            detect(b"0210ABCDEF\n0210ABCDEF\n0210ABCDEF\n"),
            InputFormat::Lines
        );
        assert_eq!(detect(&[0x00, 0xA4, 0x60, 0x02]), InputFormat::Raw);
        assert_eq!(detect(b"0200F23A MERCHANT NAME"), InputFormat::Raw);
        assert_eq!(
            detect(b"<log realm=\"x\" at=\"y\">\n"),
            InputFormat::JposXml
        );
        // Hex with a missing digit or a typo is still hex (and then an error saying so).
        assert_eq!(detect(b"0210ABC\n"), InputFormat::Hex);
        assert_eq!(
            detect(b"0210723C04800EC08000164761739001010119000000000000001000Z825143015\n"),
            InputFormat::Hex
        );
        // A sample cut inside a long line: the complete lines decide.
        assert_eq!(detect(b"0200\n3030303030303030303030"), InputFormat::Lines);
        // A log with a bad line (not UTF-8, control bytes, prose) is still a log.
        assert_eq!(
            detect(b"0210ABCD\n30\xff\xfe\n0210ABCD\n"),
            InputFormat::Lines
        );
        assert_eq!(
            detect(b"0210ABCD\nthe terminal said hello\n0210ABCD\n0200ABCD\n"),
            InputFormat::Lines
        );
    }

    #[test]
    fn log_reader_reports_bad_lines_and_continues() {
        let log = "0210ABCD\nnot hex at all\n\n0200ABCDEF\n";
        let (r, fmt) = FrameReader::new(log.as_bytes(), InputFormat::Lines).unwrap();
        assert_eq!(fmt, InputFormat::Lines);
        let got: Vec<_> = r.collect();
        assert_eq!(got.len(), 3);
        assert!(got[0].is_ok());
        assert_eq!(got[1].as_ref().unwrap_err().line, Some(2));
        assert_eq!(got[2].as_ref().unwrap().line, Some(4));
    }
}
