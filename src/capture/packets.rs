//! Packets out of pcap and pcapng files (the file formats are read by the `pcap-file` crate;
//! this file keeps the buffer, turns timestamps into microseconds and reports damage).

use std::io::Read;

use pcap_file::pcap::PcapParser;
use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption;
use pcap_file::pcapng::{Block, PcapNgParser};
use pcap_file::{DataLink, Endianness, PcapError, TsResolution};

use super::event::{Problem, Stamp};

/// The link layer a packet starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// Ethernet II (VLAN tags allowed).
    Ethernet,
    /// An IP header, version 4 or 6.
    Ip,
    /// Linux cooked capture v1 (16-byte header).
    Sll,
    /// Linux cooked capture v2 (20-byte header).
    Sll2,
    /// BSD loopback: a 4-byte address family, in the byte order of the machine that wrote it.
    Null,
    /// OpenBSD loopback: a 4-byte address family, big-endian.
    Loop,
    /// Not said (tcpdump text): IP, Ethernet or Linux cooked, whichever reads.
    Guess,
    /// A link layer posresp does not read (its pcap number).
    Other(u32),
}

impl Link {
    fn of(d: DataLink) -> Link {
        match d {
            DataLink::ETHERNET => Link::Ethernet,
            DataLink::RAW | DataLink::IPV4 | DataLink::IPV6 => Link::Ip,
            DataLink::LINUX_SLL => Link::Sll,
            DataLink::LINUX_SLL2 => Link::Sll2,
            DataLink::NULL => Link::Null,
            DataLink::LOOP => Link::Loop,
            other => Link::Other(u32::from(other)),
        }
    }
}

/// One captured packet.
#[derive(Clone, Debug)]
pub struct Packet {
    /// Number in the capture (1-based, as Wireshark counts).
    pub number: u64,
    /// Capture time.
    pub ts: Stamp,
    /// Link layer.
    pub link: Link,
    /// The bytes captured.
    pub data: Vec<u8>,
    /// The packet's length on the wire (more than `data` when the snap length cut it).
    pub wire_len: u32,
}

/// What a packet source gives next.
pub enum Next {
    /// A packet.
    Packet(Packet),
    /// Damage in the file (it carries on after it when it can).
    Problem(Problem),
    /// Nothing more.
    End,
}

/// The magic numbers of pcap (µs and ns, either byte order) and pcapng files.
pub fn is_capture(sample: &[u8]) -> bool {
    matches!(
        sample.get(..4),
        Some(
            [0xD4, 0xC3, 0xB2, 0xA1]
                | [0xA1, 0xB2, 0xC3, 0xD4]
                | [0x4D, 0x3C, 0xB2, 0xA1]
                | [0xA1, 0xB2, 0x3C, 0x4D]
                | [0x0A, 0x0D, 0x0D, 0x0A]
        )
    )
}

enum Format {
    Start,
    Pcap(PcapParser),
    Ng(Box<PcapNgParser>),
}

/// Largest packet record read: bigger than any snap length tools use (262 144).
const MAX_RECORD: usize = 1 << 20;

/// Packets of a pcap or pcapng file, read through a buffer of its own.
pub struct Binary {
    buf: Vec<u8>,
    start: usize,
    eof: bool,
    format: Format,
    number: u64,
    /// File offset of `buf[start]`.
    offset: u64,
    done: bool,
    last_ts: Option<Stamp>,
}

impl Default for Binary {
    fn default() -> Self {
        Binary {
            buf: Vec::new(),
            start: 0,
            eof: false,
            format: Format::Start,
            number: 0,
            offset: 0,
            done: false,
            last_ts: None,
        }
    }
}

fn problem(packet: Option<u64>, message: String) -> Next {
    Next::Problem(Problem { packet, message })
}

impl Binary {
    /// Read more of the file into the buffer; false at its end.
    fn fill<R: Read>(&mut self, r: &mut R) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + 256 * 1024, 0);
        let n = loop {
            match r.read(&mut self.buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(e);
                }
            }
        };
        self.buf.truncate(old + n);
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        self.offset += n as u64;
    }

    /// The next packet, problem or the end.
    pub fn next<R: Read>(&mut self, r: &mut R) -> Next {
        loop {
            if self.done {
                return Next::End;
            }
            match self.step() {
                Ok(Some(next)) => return next,
                Ok(None) => {}
                Err(PcapError::IncompleteBuffer) => match self.fill(r) {
                    Ok(true) => {}
                    Ok(false) => {
                        self.done = true;
                        let left = self.buf.len() - self.start;
                        if left == 0 && !matches!(self.format, Format::Start) {
                            return Next::End;
                        }
                        return problem(
                            Some(self.number + 1),
                            format!(
                                "the capture ends inside a record ({left} bytes at file offset {}): \
                                 the file is cut short; everything before it was read",
                                self.offset
                            ),
                        );
                    }
                    Err(e) => {
                        self.done = true;
                        return problem(None, format!("cannot read the capture: {e}"));
                    }
                },
                Err(e) => return self.damaged(e),
            }
        }
    }

    /// One record from the buffer: `Ok(None)` for blocks that are not packets.
    fn step(&mut self) -> Result<Option<Next>, PcapError> {
        let data = &self.buf[self.start..];
        match &mut self.format {
            Format::Start => {
                if data.len() < 4 {
                    return Err(PcapError::IncompleteBuffer);
                }
                if data[..4] == [0x0A, 0x0D, 0x0D, 0x0A] {
                    let (rem, p) = PcapNgParser::new(data)?;
                    let used = data.len() - rem.len();
                    self.format = Format::Ng(Box::new(p));
                    self.consume(used);
                } else {
                    let (rem, p) = PcapParser::new(data)?;
                    let used = data.len() - rem.len();
                    self.format = Format::Pcap(p);
                    self.consume(used);
                }
                Ok(None)
            }
            Format::Pcap(p) => {
                let h = p.header();
                if data.len() < 16 {
                    return Err(PcapError::IncompleteBuffer);
                }
                let word = |i: usize| {
                    let b = [data[i], data[i + 1], data[i + 2], data[i + 3]];
                    match h.endianness {
                        Endianness::Big => u32::from_be_bytes(b),
                        Endianness::Little => u32::from_le_bytes(b),
                    }
                };
                let (incl, orig) = (word(8) as usize, word(12));
                if incl > MAX_RECORD || incl > (h.snaplen as usize).max(65_535) {
                    return Err(PcapError::InvalidField("record length"));
                }
                let (rem, raw) = p.next_raw_packet(data)?;
                let frac = i64::from(raw.ts_frac);
                let sub_us = match h.ts_resolution {
                    TsResolution::MicroSecond => frac,
                    TsResolution::NanoSecond => frac / 1000,
                };
                let ts = Stamp {
                    us: i64::from(raw.ts_sec) * 1_000_000 + sub_us,
                    dated: true,
                };
                let packet = Packet {
                    number: self.number + 1,
                    ts,
                    link: Link::of(h.datalink),
                    data: raw.data.into_owned(),
                    wire_len: orig,
                };
                let used = data.len() - rem.len();
                self.number += 1;
                self.consume(used);
                self.last_ts = Some(ts);
                Ok(Some(Next::Packet(packet)))
            }
            Format::Ng(p) => {
                let (rem, block) = p.next_block(data)?;
                let used = data.len() - rem.len();
                let out = match block {
                    Block::EnhancedPacket(b) => {
                        let (link, resol) = match p.packet_interface(&b) {
                            Some(i) => (Link::of(i.linktype), tsresol(&i.options)),
                            None => (Link::Other(u32::MAX), 6),
                        };
                        // pcap-file hands the raw ticks over as nanoseconds.
                        let ticks = b.timestamp.as_nanos() as i128;
                        let us = if resol & 0x80 == 0 {
                            let per_s = 10i128.pow(u32::from(resol.min(18)));
                            ticks * 1_000_000 / per_s
                        } else {
                            (ticks * 1_000_000) >> (resol & 0x7F).min(63)
                        };
                        let ts = Stamp {
                            us: us as i64,
                            dated: true,
                        };
                        self.last_ts = Some(ts);
                        Some(Packet {
                            number: self.number + 1,
                            ts,
                            link,
                            data: b.data.into_owned(),
                            wire_len: b.original_len,
                        })
                    }
                    Block::SimplePacket(b) => {
                        let link = p
                            .interfaces()
                            .first()
                            .map_or(Link::Other(u32::MAX), |i| Link::of(i.linktype));
                        Some(Packet {
                            number: self.number + 1,
                            // A simple packet block has no time: the one before it stands in.
                            ts: self.last_ts.unwrap_or(Stamp { us: 0, dated: true }),
                            link,
                            data: b.data.into_owned(),
                            wire_len: b.original_len,
                        })
                    }
                    _ => None,
                };
                self.consume(used);
                Ok(out.map(|pk| {
                    self.number += 1;
                    Next::Packet(pk)
                }))
            }
        }
    }

    /// A record that cannot be read: say where, and carry on after it when its length can be
    /// trusted (pcapng blocks carry their length twice), else stop.
    fn damaged(&mut self, e: PcapError) -> Next {
        let at = self.offset;
        let n = self.number + 1;
        let what = match &e {
            PcapError::InvalidField(f) => format!("invalid {f}"),
            other => other.to_string(),
        };
        match &self.format {
            Format::Start => {
                self.done = true;
                problem(
                    None,
                    format!(
                        "not a readable pcap or pcapng file ({what}); check it with `capinfos`"
                    ),
                )
            }
            Format::Ng(p) => {
                let data = &self.buf[self.start..];
                let word = |b: &[u8]| {
                    let b = [b[0], b[1], b[2], b[3]];
                    match p.section().endianness {
                        Endianness::Big => u32::from_be_bytes(b),
                        Endianness::Little => u32::from_le_bytes(b),
                    }
                };
                let len = if data.len() >= 8 {
                    word(&data[4..8]) as usize
                } else {
                    0
                };
                if len >= 12
                    && len % 4 == 0
                    && len <= data.len()
                    && word(&data[len - 4..len]) as usize == len
                {
                    self.consume(len);
                    self.number += 1;
                    return problem(
                        Some(n),
                        format!("block at file offset {at} is damaged ({what}); skipped it"),
                    );
                }
                self.done = true;
                problem(
                    Some(n),
                    format!(
                        "block at file offset {at} is damaged ({what}) and its length cannot be \
                         trusted; the rest of the capture cannot be read"
                    ),
                )
            }
            Format::Pcap(p) => {
                // Look for the next record header that makes sense: a time near the last one,
                // a length within the snap length, and another such header right after it.
                let h = p.header();
                let data = &self.buf[self.start..];
                let word = |i: usize| {
                    let b = [data[i], data[i + 1], data[i + 2], data[i + 3]];
                    match h.endianness {
                        Endianness::Big => u32::from_be_bytes(b),
                        Endianness::Little => u32::from_le_bytes(b),
                    }
                };
                let last_s = self.last_ts.map_or(0, |t| t.us / 1_000_000);
                let snap = (h.snaplen as usize).clamp(65_535, MAX_RECORD);
                let sane = |i: usize| -> Option<usize> {
                    if i + 16 > data.len() {
                        return None;
                    }
                    let (s, incl, orig) = (
                        i64::from(word(i)),
                        word(i + 8) as usize,
                        word(i + 12) as usize,
                    );
                    let near = last_s == 0 || (s - last_s).abs() < 86_400;
                    (near && incl <= snap && orig >= incl && incl > 0).then_some(i + 16 + incl)
                };
                for i in 1..data.len().saturating_sub(16) {
                    if let Some(next) = sane(i)
                        && (next == data.len() || sane(next).is_some())
                    {
                        self.consume(i);
                        return problem(
                            Some(n),
                            format!(
                                "record at file offset {at} is damaged ({what}); skipped {i} bytes \
                                 to the next record that makes sense"
                            ),
                        );
                    }
                }
                self.done = true;
                problem(
                    Some(n),
                    format!(
                        "record at file offset {at} is damaged ({what}); no readable record \
                         follows it"
                    ),
                )
            }
        }
    }
}

/// The interface's time resolution (`if_tsresol`, default 6: microseconds).
fn tsresol(options: &[InterfaceDescriptionOption<'_>]) -> u8 {
    options
        .iter()
        .find_map(|o| match o {
            InterfaceDescriptionOption::IfTsResol(v) => Some(*v),
            _ => None,
        })
        .unwrap_or(6)
}
