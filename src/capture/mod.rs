//! Packet captures as a source of messages: pcap and pcapng files and `tcpdump -X`/`-XX`
//! text, read packet by packet (Ethernet with VLAN tags, Linux cooked v1 and v2, raw IP,
//! loopback; IPv4 and IPv6), TCP reassembled per flow and cut into messages by the framing
//! each stream turns out to have. Every message carries its capture time, its flow and, when
//! the capture shows which side listens (the SYN, or a host port given), its direction.
//! Memory holds the open flows only, so a capture of any length streams through.

mod event;
mod link;
mod packets;
mod tcp;
mod text;

use std::io::BufRead;

pub use event::{Event, Message, Problem, Stamp};
pub use packets::is_capture;
pub use text::is_tcpdump_text;

use packets::Next;

/// The two forms of capture read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureForm {
    /// A pcap or pcapng file.
    File,
    /// `tcpdump -X` or `-XX` text.
    Text,
}

enum Source {
    File(packets::Binary),
    Text(text::Text),
}

/// The messages and problems of one capture, in capture order.
pub struct CaptureReader {
    source: Source,
    tcp: tcp::Reassembler,
    ended: bool,
    packets: u64,
    messages: u64,
    tcp_packets: u64,
}

impl CaptureReader {
    /// A reader of a capture of form `form`; `host_ports` are the ports of the side that
    /// listens (the host), for flows whose SYN the capture does not hold.
    pub fn new(form: CaptureForm, host_ports: Vec<u16>) -> Self {
        CaptureReader {
            source: match form {
                CaptureForm::File => Source::File(packets::Binary::default()),
                CaptureForm::Text => Source::Text(text::Text::default()),
            },
            tcp: tcp::Reassembler::new(host_ports),
            ended: false,
            packets: 0,
            messages: 0,
            tcp_packets: 0,
        }
    }

    /// The next message or problem, reading packets from `r` as needed; `None` at the end.
    pub fn next<R: BufRead>(&mut self, r: &mut R) -> Option<Event> {
        loop {
            if let Some(e) = self.tcp.pop() {
                if matches!(e, Event::Message(_)) {
                    self.messages += 1;
                }
                return Some(e);
            }
            if self.ended {
                return None;
            }
            let next = match &mut self.source {
                Source::File(b) => b.next(r),
                Source::Text(t) => t.next(r),
            };
            match next {
                Next::Packet(p) => {
                    self.packets += 1;
                    match link::segment(&p) {
                        link::Parsed::Tcp(s) => {
                            self.tcp_packets += 1;
                            self.tcp.segment(&s, p.ts, p.number);
                        }
                        link::Parsed::Other => {}
                        link::Parsed::Bad(m) => {
                            self.tcp.problem(Some(p.number), m);
                        }
                    }
                }
                Next::Problem(p) => self.tcp.problem(p.packet, p.message),
                Next::End => {
                    self.tcp.finish();
                    self.ended = true;
                }
            }
        }
    }

    /// Packets read so far, and of them those that carried TCP.
    pub fn counts(&self) -> (u64, u64) {
        (self.packets, self.tcp_packets)
    }
}
