//! From a captured packet to its TCP segment: link layer, IPv4 or IPv6, TCP header (read by
//! the `etherparse` crate).

use std::net::{IpAddr, SocketAddr};

use etherparse::{EtherType, NetSlice, SlicedPacket, TransportSlice};

use super::packets::{Link, Packet};

/// A TCP segment: its endpoints, sequence number, flags and payload.
#[derive(Clone, Copy, Debug)]
pub struct Segment<'a> {
    /// Sender.
    pub src: SocketAddr,
    /// Receiver.
    pub dst: SocketAddr,
    /// Sequence number of the first payload byte (of the SYN itself for a SYN).
    pub seq: u32,
    /// SYN flag.
    pub syn: bool,
    /// ACK flag.
    pub ack: bool,
    /// FIN flag.
    pub fin: bool,
    /// RST flag.
    pub rst: bool,
    /// Payload bytes.
    pub payload: &'a [u8],
}

/// What a packet holds.
pub enum Parsed<'a> {
    /// A TCP segment.
    Tcp(Segment<'a>),
    /// Something else (ARP, UDP, ICMP …): not part of a message stream.
    Other,
    /// A packet that should carry TCP but cannot be read: why.
    Bad(String),
}

fn sliced(link: Link, data: &[u8]) -> Result<SlicedPacket<'_>, String> {
    let e = |e: etherparse::err::packet::SliceError| e.to_string();
    match link {
        Link::Ethernet => SlicedPacket::from_ethernet(data).map_err(e),
        Link::Ip => SlicedPacket::from_ip(data).map_err(e),
        Link::Sll => SlicedPacket::from_linux_sll(data).map_err(e),
        Link::Sll2 => {
            if data.len() < 20 {
                return Err("Linux cooked (v2) header is cut short".into());
            }
            let proto = u16::from_be_bytes([data[0], data[1]]);
            SlicedPacket::from_ether_type(EtherType(proto), &data[20..]).map_err(e)
        }
        Link::Null | Link::Loop => {
            if data.len() < 4 {
                return Err("loopback header is cut short".into());
            }
            SlicedPacket::from_ip(&data[4..]).map_err(e)
        }
        Link::Guess => {
            let tcp = |p: &SlicedPacket<'_>| matches!(p.transport, Some(TransportSlice::Tcp(_)));
            let mut first_err = None;
            for l in [Link::Ip, Link::Ethernet, Link::Sll, Link::Sll2] {
                if l == Link::Ip && !matches!(data.first().map(|b| b >> 4), Some(4 | 6)) {
                    continue;
                }
                match sliced(l, data) {
                    Ok(p) if tcp(&p) => return Ok(p),
                    Ok(_) => {}
                    Err(e) => {
                        first_err.get_or_insert(e);
                    }
                }
            }
            // Nothing read as TCP: a packet of another protocol, or damage.
            match first_err {
                Some(e) if data.first().is_some_and(|b| b >> 4 == 4 || b >> 4 == 6) => Err(e),
                _ => SlicedPacket::from_ethernet(data).map_err(|e| e.to_string()),
            }
        }
        Link::Other(n) => Err(format!(
            "link type {n} is not one posresp reads (Ethernet, Linux cooked, raw IP, loopback); \
             capture on an Ethernet or `any` interface"
        )),
    }
}

/// The TCP segment in `p`, if it holds one.
pub fn segment(p: &Packet) -> Parsed<'_> {
    let cut = (p.data.len() as u64) < u64::from(p.wire_len);
    let snap = || {
        format!(
            "the capture kept {} of the packet's {} bytes (its snap length cut it); take the \
             capture with `tcpdump -s 0`",
            p.data.len(),
            p.wire_len
        )
    };
    let s = match sliced(p.link, &p.data) {
        Ok(s) => s,
        Err(_) if cut => return Parsed::Bad(snap()),
        Err(e) => return Parsed::Bad(format!("cannot read the packet: {e}")),
    };
    let (src_ip, dst_ip, fragmented): (IpAddr, IpAddr, bool) = match &s.net {
        Some(NetSlice::Ipv4(ip)) => (
            ip.header().source_addr().into(),
            ip.header().destination_addr().into(),
            ip.payload().fragmented,
        ),
        Some(NetSlice::Ipv6(ip)) => (
            ip.header().source_addr().into(),
            ip.header().destination_addr().into(),
            ip.payload().fragmented,
        ),
        _ => return Parsed::Other,
    };
    let Some(TransportSlice::Tcp(tcp)) = &s.transport else {
        if fragmented {
            return Parsed::Bad(
                "an IP fragment: posresp does not put IP fragments together; capture before \
                 fragmentation (on the host) or with a larger MTU"
                    .into(),
            );
        }
        return Parsed::Other;
    };
    if cut && !tcp.payload().is_empty() {
        return Parsed::Bad(snap());
    }
    Parsed::Tcp(Segment {
        src: SocketAddr::new(src_ip, tcp.source_port()),
        dst: SocketAddr::new(dst_ip, tcp.destination_port()),
        seq: tcp.sequence_number(),
        syn: tcp.syn(),
        ack: tcp.ack(),
        fin: tcp.fin(),
        rst: tcp.rst(),
        payload: tcp.payload(),
    })
}
