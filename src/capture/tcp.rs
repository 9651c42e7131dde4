//! TCP reassembly per flow, and cutting each direction's byte stream into messages.
//!
//! Each direction keeps the bytes received in order, holds segments that arrive early until
//! the gap before them fills, drops retransmitted bytes, and cuts messages by the stream's
//! framing (2-byte binary, 2-byte BCD or 4-digit ASCII length, STX … ETX LRC, or one message
//! per segment), found from the first bytes. A stream whose start the capture missed (no SYN)
//! or that lost bytes is resynchronised: the first offset where a chain of frames ends exactly
//! on a segment boundary is where messages start again, and the bytes before it are reported.
//! Events come out in the order of the packets that complete them, whatever detection waits for.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};
use std::net::SocketAddr;

use crate::codec::framing::{LengthPrefix, valid_mti_digits};

use super::event::{Event, Message, Problem, Stamp};
use super::link::Segment;

/// Largest frame a length prefix may claim on a stream.
const MAX_FRAME: usize = 65_535 + 4;
/// Largest frame believed while the framing is still being found.
const MAX_GUESS: usize = 8192;
/// Early (out-of-order) bytes held per direction before the gap is declared lost.
const MAX_EARLY: usize = 4 << 20;
/// Events held back for directions still finding their framing, before those decide.
const MAX_HELD: usize = 100_000;
/// Bytes looked through for where messages start before giving up on a framing.
const SCAN: usize = 64 * 1024;

/// How a direction's stream is cut into messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cut {
    /// Not known yet.
    Unknown,
    /// A length prefix in front of every message.
    Prefix(LengthPrefix),
    /// `STX … ETX LRC`, optionally with a BCD length after STX.
    Stx,
    /// No framing found: every segment is one message.
    Segments,
}

/// Where a segment's bytes end in the stream, and when and in which packet they came.
#[derive(Clone, Copy, Debug)]
struct Mark {
    end: u64,
    ts: Stamp,
    packet: u64,
}

#[derive(Default)]
struct Dir {
    /// Sequence number of the next byte expected, once one segment was seen.
    next_seq: Option<u32>,
    /// Stream offset of the next byte expected.
    next_abs: u64,
    /// Bytes received in order and not yet cut.
    buf: Vec<u8>,
    /// Stream offset of `buf[0]`.
    base: u64,
    marks: VecDeque<Mark>,
    /// Segments that came early, by stream offset.
    early: BTreeMap<u64, (Vec<u8>, Stamp, u64)>,
    early_bytes: usize,
    cut: Option<Cut>,
    /// The stream's start was seen (SYN): offset 0 starts a message.
    from_start: bool,
    /// Stream offset where the FIN is, once seen.
    fin_at: Option<u64>,
    /// No more data will be read for this direction.
    closed: bool,
    /// Packet whose bytes wait in `buf` for the framing to be found (the event order waits
    /// for it).
    waiting_since: Option<u64>,
}

impl Dir {
    fn cut_kind(&self) -> Cut {
        self.cut.unwrap_or(Cut::Unknown)
    }
}

struct Conn {
    /// The two endpoints; direction 0 is sent by `ends[0]`.
    ends: [SocketAddr; 2],
    /// The endpoint that listens, when known.
    server: Option<SocketAddr>,
    dirs: [Dir; 2],
    first_packet: u64,
}

/// An event waiting for its turn.
#[derive(PartialEq, Eq)]
struct Held {
    packet: u64,
    order: u64,
    event: Event,
}

impl Ord for Held {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.packet, self.order).cmp(&(o.packet, o.order))
    }
}

impl PartialOrd for Held {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

/// Reassembles the TCP flows of one capture and cuts their messages.
pub struct Reassembler {
    conns: rustc_hash::FxHashMap<(SocketAddr, SocketAddr), Conn>,
    host_ports: Vec<u16>,
    held: BinaryHeap<Reverse<Held>>,
    /// Packets that directions still wait on (a multiset): events after the first of them
    /// are held back.
    waiting: BTreeMap<u64, usize>,
    order: u64,
    last_packet: u64,
    max_held: usize,
}

fn flow(src: SocketAddr, dst: SocketAddr) -> String {
    format!("flow {src} → {dst}")
}

/// The frame length a length prefix says, checked: `Ok(None)` when more bytes are needed.
fn prefix_len(p: LengthPrefix, b: &[u8], cap: usize) -> Result<Option<usize>, String> {
    let w = p.wire_len_pub();
    if b.len() < w {
        return Ok(None);
    }
    let n = p
        .read(&b[..w])
        .ok_or_else(|| format!("{} {:02X?} is not a length", p.describe(), &b[..w]))?;
    if n < 10 {
        return Err(format!("length {n} is too short for a message"));
    }
    if w + n > cap {
        return Err(format!("length {n} is more than a message holds"));
    }
    Ok((b.len() >= w + n).then_some(w + n))
}

/// `STX [BCD length] … ETX LRC`: the frame length, with whether its LRC is right.
fn stx_len(b: &[u8]) -> Result<Option<(usize, bool)>, String> {
    match b.first() {
        None => return Ok(None),
        Some(0x02) => {}
        Some(c) => return Err(format!("frame starts with {c:02X}, not STX (02)")),
    }
    let lrc_ok = |n: usize| b[1..n - 1].iter().fold(0u8, |a, c| a ^ c) == b[n - 1];
    let to_etx = b[1..]
        .iter()
        .position(|&c| c == 0x03)
        .map(|i| i + 3)
        .filter(|&n| n <= b.len());
    // With a BCD length after STX, the ETX sits where the length says.
    if b.len() >= 3
        && let Some(n) = LengthPrefix::Len2Bcd.read(&b[1..3])
        && n >= 10
    {
        let total = 3 + n + 2;
        if b.len() >= total && b[3 + n] == 0x03 {
            return Ok(Some((total, lrc_ok(total))));
        }
        if b.len() < total && total <= MAX_FRAME {
            // An ETX with a right LRC before that: the digits were not a length.
            return Ok(to_etx.filter(|&t| lrc_ok(t)).map(|t| (t, true)));
        }
    }
    match to_etx {
        Some(n) => Ok(Some((n, lrc_ok(n)))),
        None if b.len() > MAX_FRAME => Err("no ETX within a message's length".into()),
        None => Ok(None),
    }
}

/// A frame body that could be a message: an MTI (ASCII, EBCDIC or BCD digits) within the first
/// bytes, where a TPDU and a header would put it.
fn plausible(body: &[u8]) -> bool {
    if body.len() < 10 {
        return false;
    }
    let last = (body.len() - 10).min(64);
    (0..=last).any(|o| {
        let b = &body[o..];
        let ascii = b.len() >= 4
            && b[..4].iter().all(u8::is_ascii_digit)
            && valid_mti_digits([b[0] - b'0', b[1] - b'0', b[2] - b'0', b[3] - b'0']);
        let ebcdic = b.len() >= 4
            && b[..4].iter().all(|c| (0xF0..=0xF9).contains(c))
            && valid_mti_digits([b[0] - 0xF0, b[1] - 0xF0, b[2] - 0xF0, b[3] - 0xF0]);
        let bcd = (b[0] >> 4 <= 9 && b[0] & 15 <= 9 && b[1] >> 4 <= 9 && b[1] & 15 <= 9)
            && valid_mti_digits([b[0] >> 4, b[0] & 15, b[1] >> 4, b[1] & 15]);
        ascii || ebcdic || bcd
    })
}

/// How a chain of frames of one kind from the start of `data` fares.
#[derive(PartialEq, Eq, Debug)]
enum Chain {
    /// Frames that look like messages end exactly where a segment ends.
    Fits,
    /// The first frame is not complete yet.
    Short,
    /// Not this framing here.
    No,
}

/// `data` starts `at` bytes into the buffer whose segment ends are `seg_ends`.
fn chain(kind: Cut, data: &[u8], seg_ends: &[usize], at: usize) -> Chain {
    let mut pos = 0;
    while pos < data.len() {
        let rest = &data[pos..];
        let (n, body) = match kind {
            Cut::Prefix(p) => match prefix_len(p, rest, MAX_GUESS) {
                Ok(Some(n)) => (n, &rest[p.wire_len_pub()..n]),
                Ok(None) => return if pos == 0 { Chain::Short } else { Chain::No },
                Err(_) => return Chain::No,
            },
            Cut::Stx => match stx_len(rest) {
                Ok(Some((n, true))) => (n, &rest[1..n - 2]),
                Ok(Some((_, false))) | Err(_) => return Chain::No,
                Ok(None) => return if pos == 0 { Chain::Short } else { Chain::No },
            },
            Cut::Unknown | Cut::Segments => return Chain::No,
        };
        // STX framing may carry its own BCD length and a TPDU: any MTI position will do.
        if !plausible(body) {
            return Chain::No;
        }
        pos += n;
        if seg_ends.binary_search(&(at + pos)).is_ok() {
            return Chain::Fits;
        }
    }
    Chain::No
}

const KINDS: [Cut; 4] = [
    Cut::Prefix(LengthPrefix::Len2),
    Cut::Prefix(LengthPrefix::Len4Ascii),
    Cut::Prefix(LengthPrefix::Len2Bcd),
    Cut::Stx,
];

/// Where messages start in `buf` and how they are cut, or `None` to wait for more bytes.
fn find_framing(
    buf: &[u8],
    seg_ends: &[usize],
    from_start: bool,
    last: bool,
) -> Option<(usize, Cut)> {
    // Segment starts are the likely message starts; the stream's start is one for sure.
    let mut starts: Vec<usize> = std::iter::once(0)
        .chain(seg_ends.iter().copied().filter(|&e| e < buf.len()))
        .collect();
    if from_start {
        starts.truncate(1);
    }
    // The first offset where a chain of frames fits; from the stream's start, offset 0 only.
    let mut short = false;
    let scan = if from_start { 1 } else { buf.len().min(SCAN) };
    for k in 0..scan {
        for kind in KINDS {
            match chain(kind, &buf[k..], seg_ends, k) {
                Chain::Fits => return Some((k, kind)),
                // Only a segment start is worth waiting on.
                Chain::Short if starts.contains(&k) => short = true,
                _ => {}
            }
        }
    }
    if !last && (short || !from_start) && buf.len() < SCAN {
        return None;
    }
    // No framing: one message per segment, from the first segment that looks like one.
    let k = if from_start {
        0
    } else {
        starts
            .iter()
            .copied()
            .find(|&k| plausible(&buf[k..]))
            .unwrap_or(0)
    };
    Some((k, Cut::Segments))
}

impl Reassembler {
    /// A reassembler; `host_ports` name the ports that listen (the host side) when the
    /// capture shows no SYN.
    pub fn new(host_ports: Vec<u16>) -> Self {
        Reassembler {
            conns: Default::default(),
            host_ports,
            held: BinaryHeap::new(),
            waiting: BTreeMap::new(),
            order: 0,
            last_packet: 0,
            max_held: MAX_HELD,
        }
    }

    fn push(&mut self, packet: u64, event: Event) {
        self.order += 1;
        self.held.push(Reverse(Held {
            packet,
            order: self.order,
            event,
        }));
    }

    /// Report something about `packet` (or the current one), in its place in the order.
    pub fn problem(&mut self, packet: Option<u64>, message: String) {
        let at = packet.unwrap_or(self.last_packet);
        self.push(at, Event::Problem(Problem { packet, message }));
    }

    /// The next event whose turn has come.
    pub fn pop(&mut self) -> Option<Event> {
        let limit = self.waiting.keys().next().copied().unwrap_or(u64::MAX);
        if self.held.peek().is_some_and(|h| h.0.packet < limit) {
            return self.held.pop().map(|h| h.0.event);
        }
        None
    }

    /// Read one TCP segment of packet `packet`, taken at `ts`.
    pub fn segment(&mut self, s: &Segment<'_>, ts: Stamp, packet: u64) {
        self.last_packet = packet;
        // A direction still finding its framing holds every later event back; when too many
        // wait, the waiting directions decide with what they have (memory stays bounded).
        if self.held.len() > self.max_held {
            let waiting: Vec<((SocketAddr, SocketAddr), usize)> = self
                .conns
                .iter()
                .flat_map(|(k, c)| {
                    (0..2)
                        .filter(|&d| c.dirs[d].waiting_since.is_some())
                        .map(move |d| (*k, d))
                })
                .collect();
            for (k, d) in waiting {
                self.cut_with(k, d, false, true);
            }
        }
        let key = if s.src <= s.dst {
            (s.src, s.dst)
        } else {
            (s.dst, s.src)
        };
        // A new SYN on a flow that carried data: the ports were reused for a new connection.
        if s.syn
            && let Some(c) = self.conns.get(&key)
        {
            let d = usize::from(c.ends[0] != s.src);
            if c.dirs[d].next_abs > 0 {
                self.close(key);
            }
        }
        let host_ports = &self.host_ports;
        let c = self.conns.entry(key).or_insert_with(|| Conn {
            ends: [s.src, s.dst],
            server: [s.src, s.dst]
                .into_iter()
                .find(|a| host_ports.contains(&a.port())),
            dirs: Default::default(),
            first_packet: packet,
        });
        let d = usize::from(c.ends[0] != s.src);
        if s.syn {
            c.server = Some(if s.ack { s.src } else { s.dst });
            let dir = &mut c.dirs[d];
            if dir.next_seq.is_none() {
                dir.next_seq = Some(s.seq.wrapping_add(1));
                dir.from_start = true;
            }
        }
        if s.rst {
            self.close(key);
            return;
        }
        if !s.payload.is_empty() {
            self.data(key, d, s.seq, s.payload, ts, packet);
        }
        if s.fin
            && let Some(c) = self.conns.get_mut(&key)
        {
            let dir = &mut c.dirs[d];
            let seq0 = *dir.next_seq.get_or_insert(s.seq);
            let diff = i64::from(s.seq.wrapping_sub(seq0) as i32);
            let at = (dir.next_abs as i64 + diff + s.payload.len() as i64).max(0) as u64;
            dir.fin_at = Some(at);
            self.maybe_closed(key, d);
        }
    }

    /// Payload bytes of one segment into direction `d`.
    fn data(
        &mut self,
        key: (SocketAddr, SocketAddr),
        d: usize,
        seq: u32,
        payload: &[u8],
        ts: Stamp,
        packet: u64,
    ) {
        let Some(c) = self.conns.get_mut(&key) else {
            return;
        };
        let dir = &mut c.dirs[d];
        if dir.closed {
            return;
        }
        let seq0 = *dir.next_seq.get_or_insert(seq);
        let diff = i64::from(seq.wrapping_sub(seq0) as i32);
        let abs = dir.next_abs as i64 + diff;
        let end = abs + payload.len() as i64;
        if end <= dir.next_abs as i64 {
            // A retransmission of bytes already read.
            return;
        }
        if abs > dir.next_abs as i64 {
            let abs = abs as u64;
            let longer = dir
                .early
                .get(&abs)
                .is_none_or(|(b, _, _)| b.len() < payload.len());
            if longer {
                if let Some((old, _, _)) = dir.early.insert(abs, (payload.to_vec(), ts, packet)) {
                    dir.early_bytes -= old.len();
                }
                dir.early_bytes += payload.len();
            }
            if dir.early_bytes > MAX_EARLY {
                self.skip_gap(key, d);
                self.cut(key, d, false);
            }
            return;
        }
        let skip = (dir.next_abs as i64 - abs) as usize;
        let mut rest = &payload[skip..];
        // The common case: nothing buffered and the framing known, so whole frames go out
        // straight from the segment.
        if let Some(Cut::Prefix(p)) = dir.cut
            && dir.buf.is_empty()
            && dir.early.is_empty()
        {
            let (src, dst) = (c.ends[d], c.ends[1 - d]);
            let from_client = c.server.map(|s| s != src);
            let mut whole = Vec::new();
            while let Ok(Some(n)) = prefix_len(p, rest, MAX_FRAME) {
                whole.push(rest[..n].to_vec());
                rest = &rest[n..];
            }
            let used = (payload.len() - skip - rest.len()) as u64;
            dir.next_abs += used;
            dir.next_seq = dir.next_seq.map(|s| s.wrapping_add(used as u32));
            for bytes in whole {
                let m = Message {
                    bytes,
                    ts,
                    src,
                    dst,
                    from_client,
                    packet,
                };
                self.push(packet, Event::Message(m));
            }
            if rest.is_empty() {
                self.maybe_closed(key, d);
                return;
            }
        }
        let Some(c) = self.conns.get_mut(&key) else {
            return;
        };
        let dir = &mut c.dirs[d];
        Self::append(dir, rest, ts, packet);
        Self::take_early(dir);
        self.cut(key, d, false);
        self.maybe_closed(key, d);
    }

    fn append(dir: &mut Dir, bytes: &[u8], ts: Stamp, packet: u64) {
        if dir.buf.is_empty() {
            dir.base = dir.next_abs;
        }
        dir.buf.extend_from_slice(bytes);
        dir.next_abs += bytes.len() as u64;
        dir.next_seq = dir.next_seq.map(|s| s.wrapping_add(bytes.len() as u32));
        dir.marks.push_back(Mark {
            end: dir.next_abs,
            ts,
            packet,
        });
    }

    /// Early segments that now follow on.
    fn take_early(dir: &mut Dir) {
        while let Some((&at, _)) = dir.early.first_key_value() {
            if at > dir.next_abs {
                break;
            }
            let (bytes, ts, packet) = dir.early.remove(&at).unwrap_or_default();
            dir.early_bytes -= bytes.len();
            let end = at + bytes.len() as u64;
            if end > dir.next_abs {
                let skip = (dir.next_abs - at) as usize;
                Self::append(dir, &bytes[skip..], ts, packet);
            }
        }
    }

    /// The bytes before the first early segment never came: report them and go on from
    /// there, finding where messages start again.
    fn skip_gap(&mut self, key: (SocketAddr, SocketAddr), d: usize) {
        let Some(c) = self.conns.get_mut(&key) else {
            return;
        };
        let (src, dst) = (c.ends[d], c.ends[1 - d]);
        let dir = &mut c.dirs[d];
        let Some((&at, (_, _, packet))) = dir.early.first_key_value() else {
            return;
        };
        let packet = *packet;
        let missing = at - dir.next_abs;
        let dropped = dir.buf.len();
        dir.buf.clear();
        dir.marks.clear();
        dir.next_seq = dir.next_seq.map(|s| s.wrapping_add(missing as u32));
        dir.next_abs = at;
        dir.base = at;
        if dir.cut_kind() != Cut::Segments {
            dir.cut = Some(Cut::Unknown);
        }
        dir.from_start = false;
        Self::take_early(dir);
        let mut msg = format!(
            "{}: {missing} bytes of the stream are not in the capture (lost packets) before \
             this packet",
            flow(src, dst)
        );
        if dropped > 0 {
            msg.push_str(&format!(
                "; the {dropped} bytes before the gap are part of a message that cannot be read"
            ));
        }
        msg.push_str("; messages resume where a frame starts");
        self.problem(Some(packet), msg);
    }

    /// Cut what can be cut from direction `d`; `last` when no more bytes will come.
    fn cut(&mut self, key: (SocketAddr, SocketAddr), d: usize, last: bool) {
        self.cut_with(key, d, last, false);
    }

    /// [`Self::cut`]; `decide` takes a framing now even if more bytes could tell better.
    fn cut_with(&mut self, key: (SocketAddr, SocketAddr), d: usize, last: bool, decide: bool) {
        let Some(c) = self.conns.get_mut(&key) else {
            return;
        };
        let (src, dst) = (c.ends[d], c.ends[1 - d]);
        let from_client = c.server.map(|s| s != src);
        let dir = &mut c.dirs[d];
        let mut out: Vec<(u64, Event)> = Vec::new();
        loop {
            if dir.buf.is_empty() {
                break;
            }
            let n = match dir.cut_kind() {
                Cut::Unknown => {
                    let ends: Vec<usize> = dir
                        .marks
                        .iter()
                        .map(|m| (m.end - dir.base) as usize)
                        .collect();
                    match find_framing(&dir.buf, &ends, dir.from_start, last || decide) {
                        None => break,
                        Some((k, cut)) => {
                            if k > 0 {
                                let packet = Self::packet_at(dir, 0);
                                out.push((
                                    packet,
                                    Event::Problem(Problem {
                                        packet: Some(packet),
                                        message: format!(
                                            "{}: skipped {k} bytes before the first whole \
                                             message (the capture starts inside one, or bytes \
                                             were lost)",
                                            flow(src, dst)
                                        ),
                                    }),
                                ));
                                Self::consume(dir, k);
                            }
                            dir.cut = Some(cut);
                            continue;
                        }
                    }
                }
                Cut::Prefix(p) => match prefix_len(p, &dir.buf, MAX_FRAME) {
                    Ok(Some(n)) => n,
                    Ok(None) => break,
                    Err(e) => {
                        let packet = Self::packet_at(dir, 0);
                        out.push((packet, Self::lost(src, dst, dir.base, &e)));
                        dir.cut = Some(Cut::Unknown);
                        dir.from_start = false;
                        // Resynchronise from the next byte on.
                        Self::consume(dir, 1);
                        continue;
                    }
                },
                Cut::Stx => match stx_len(&dir.buf) {
                    Ok(Some((n, _))) => n,
                    Ok(None) => break,
                    Err(e) => {
                        let packet = Self::packet_at(dir, 0);
                        out.push((packet, Self::lost(src, dst, dir.base, &e)));
                        dir.cut = Some(Cut::Unknown);
                        dir.from_start = false;
                        Self::consume(dir, 1);
                        continue;
                    }
                },
                Cut::Segments => dir
                    .marks
                    .front()
                    .map_or(dir.buf.len(), |m| (m.end - dir.base) as usize),
            };
            let mark = Self::mark_at(dir, n);
            let bytes: Vec<u8> = dir.buf[..n].to_vec();
            Self::consume(dir, n);
            out.push((
                mark.packet,
                Event::Message(Message {
                    bytes,
                    ts: mark.ts,
                    src,
                    dst,
                    from_client,
                    packet: mark.packet,
                }),
            ));
        }
        if last && !dir.buf.is_empty() {
            let packet = dir.marks.back().map_or(0, |m| m.packet);
            out.push((
                packet,
                Event::Problem(Problem {
                    packet: Some(packet),
                    message: format!(
                        "{}: the last {} bytes of the stream are not a whole message (the \
                         capture or the connection ends inside it)",
                        flow(src, dst),
                        dir.buf.len()
                    ),
                }),
            ));
            let n = dir.buf.len();
            Self::consume(dir, n);
        }
        // While the framing is not known, events after the waiting bytes' packet wait too.
        let wait = (dir.cut_kind() == Cut::Unknown && !dir.buf.is_empty())
            .then(|| dir.marks.front().map_or(0, |m| m.packet));
        let before = std::mem::replace(&mut dir.waiting_since, wait);
        if before != wait {
            if let Some(p) = before {
                self.unwait(p);
            }
            if let Some(p) = wait {
                *self.waiting.entry(p).or_default() += 1;
            }
        }
        for (p, e) in out {
            self.push(p, e);
        }
    }

    fn unwait(&mut self, p: u64) {
        if let Some(n) = self.waiting.get_mut(&p) {
            *n -= 1;
            if *n == 0 {
                self.waiting.remove(&p);
            }
        }
    }

    fn lost(src: SocketAddr, dst: SocketAddr, at: u64, why: &str) -> Event {
        Event::Problem(Problem {
            packet: None,
            message: format!(
                "{}: stream offset {at} does not start a frame ({why}); looking for the next \
                 message",
                flow(src, dst)
            ),
        })
    }

    /// The segment holding the `n`th buffered byte (1-based), dropping those before it.
    fn mark_at(dir: &mut Dir, n: usize) -> Mark {
        let end = dir.base + n as u64;
        while dir.marks.front().is_some_and(|m| m.end < end) {
            dir.marks.pop_front();
        }
        let m = dir.marks.front().copied().unwrap_or(Mark {
            end,
            ts: Stamp { us: 0, dated: true },
            packet: 0,
        });
        if m.end == end {
            dir.marks.pop_front();
        }
        m
    }

    /// The packet that brought buffered byte `k` (0-based).
    fn packet_at(dir: &Dir, k: usize) -> u64 {
        let at = dir.base + k as u64;
        dir.marks
            .iter()
            .find(|m| m.end > at)
            .or(dir.marks.back())
            .map_or(0, |m| m.packet)
    }

    fn consume(dir: &mut Dir, n: usize) {
        dir.buf.drain(..n);
        dir.base += n as u64;
        while dir.marks.front().is_some_and(|m| m.end <= dir.base) {
            dir.marks.pop_front();
        }
    }

    /// Close direction `d` once its FIN's place is reached; the flow when both are.
    fn maybe_closed(&mut self, key: (SocketAddr, SocketAddr), d: usize) {
        let Some(c) = self.conns.get_mut(&key) else {
            return;
        };
        let dir = &mut c.dirs[d];
        if dir.closed || dir.fin_at.is_none_or(|f| dir.next_abs < f) {
            return;
        }
        self.finish_dir(key, d);
        if let Some(c) = self.conns.get(&key)
            && c.dirs.iter().all(|d| d.closed)
        {
            self.conns.remove(&key);
        }
    }

    /// No more bytes for direction `d`: early bytes after a gap, then the rest.
    fn finish_dir(&mut self, key: (SocketAddr, SocketAddr), d: usize) {
        while self
            .conns
            .get(&key)
            .is_some_and(|c| !c.dirs[d].early.is_empty())
        {
            self.skip_gap(key, d);
            self.cut(key, d, false);
        }
        self.cut(key, d, true);
        if let Some(c) = self.conns.get_mut(&key) {
            c.dirs[d].closed = true;
        }
    }

    fn close(&mut self, key: (SocketAddr, SocketAddr)) {
        for d in 0..2 {
            if self.conns.get(&key).is_some_and(|c| !c.dirs[d].closed) {
                self.finish_dir(key, d);
            }
        }
        self.conns.remove(&key);
    }

    /// The end of the capture: every flow still open gives what it holds.
    pub fn finish(&mut self) {
        let mut keys: Vec<_> = self
            .conns
            .iter()
            .map(|(k, c)| (c.first_packet, *k))
            .collect();
        keys.sort();
        for (_, k) in keys {
            self.close(k);
        }
        self.waiting.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(body_len: usize) -> Vec<u8> {
        let mut m = vec![(body_len >> 8) as u8, body_len as u8];
        m.extend_from_slice(b"0200");
        m.resize(body_len + 2, b'7');
        m
    }

    #[test]
    fn framing_found_from_segment_ends() {
        let a = msg(30);
        let b = msg(40);
        let mut both = a.clone();
        both.extend_from_slice(&b);
        // Two messages in one segment, from the start.
        assert_eq!(
            find_framing(&both, &[both.len()], true, false),
            Some((0, Cut::Prefix(LengthPrefix::Len2)))
        );
        // Mid-stream: the first 7 bytes are the tail of a message.
        let mut mid = b"7777777".to_vec();
        mid.extend_from_slice(&both);
        assert_eq!(
            find_framing(&mid, &[7 + a.len(), mid.len()], false, false),
            Some((7, Cut::Prefix(LengthPrefix::Len2)))
        );
        // Incomplete first frame: wait.
        assert_eq!(find_framing(&a[..20], &[20], true, false), None);
        // ASCII messages with no length: one per segment.
        let raw = b"0200723C000000000000";
        assert_eq!(
            find_framing(raw, &[raw.len()], true, true),
            Some((0, Cut::Segments))
        );
    }

    #[test]
    fn a_flow_that_never_shows_its_framing_does_not_hold_the_rest_forever() {
        let mut r = Reassembler::new(vec![]);
        r.max_held = 10;
        let (a, b, srv): (SocketAddr, SocketAddr, SocketAddr) = (
            "10.0.0.1:1".parse().unwrap(),
            "10.0.0.1:2".parse().unwrap(),
            "10.0.0.2:5000".parse().unwrap(),
        );
        let seg = |src, seq, syn, payload: &'static [u8]| Segment {
            src,
            dst: srv,
            seq,
            syn,
            ack: false,
            fin: false,
            rst: false,
            payload,
        };
        let ts = Stamp::default();
        r.segment(&seg(a, 0, true, b""), ts, 1);
        r.segment(&seg(b, 0, true, b""), ts, 2);
        // A length of 8000 that never completes: this direction waits for more.
        r.segment(&seg(a, 1, false, b"\x1f\x400200aaaaaaaaaaaaaa"), ts, 3);
        let m: &'static [u8] = b"\x00\x0c0200bbbbbbbb";
        let mut seq = 1;
        for p in 4..60 {
            r.segment(&seg(b, seq, false, m), ts, p);
            seq += m.len() as u32;
        }
        let mut released = 0;
        while let Some(Event::Message(_)) = r.pop() {
            released += 1;
        }
        assert!(released >= 40, "only {released} released before the end");
    }

    #[test]
    fn stx_frames_check_their_lrc() {
        // STX, BCD length, body (a TPDU holding 03), ETX, LRC.
        let body = b"\x60\x00\x03\x00\x000200xxxxxxxxxx";
        let mut f = vec![0x02, 0x00, 0x19];
        f.extend_from_slice(body);
        f.push(0x03);
        let lrc = f[1..].iter().fold(0u8, |a, c| a ^ c);
        f.push(lrc);
        assert_eq!(stx_len(&f), Ok(Some((f.len(), true))));
        assert_eq!(chain(Cut::Stx, &f, &[f.len()], 0), Chain::Fits);
        let n = f.len();
        f[n - 1] ^= 1;
        assert_eq!(chain(Cut::Stx, &f, &[f.len()], 0), Chain::No);
        // Without a length: up to the first ETX.
        let mut g = b"\x020200xxxxxxxxxx\x03".to_vec();
        let lrc = g[1..].iter().fold(0u8, |a, c| a ^ c);
        g.push(lrc);
        assert_eq!(stx_len(&g), Ok(Some((g.len(), true))));
    }
}
