//! Captures in: the tests write pcap and pcapng files themselves from generated traffic of
//! every built-in spec (with the pcap-file and etherparse crates), with segmentation,
//! reordering, retransmission, a missing SYN, IPv6, VLAN and Linux cooked links, and check
//! that decode gives exactly the generated messages and timestamps and that stats gives the
//! latencies and timeouts that were planted.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use etherparse::{PacketBuilder, VlanId};
use pcap_file::DataLink;
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use serde_json::Value;

fn posresp() -> Command {
    Command::cargo_bin("posresp").unwrap()
}

/// How packets are wrapped.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Link {
    Ethernet,
    Vlan,
    Raw,
    Sll,
    Sll2,
    Null,
}

impl Link {
    fn datalink(self) -> DataLink {
        match self {
            Link::Ethernet | Link::Vlan => DataLink::ETHERNET,
            Link::Raw => DataLink::RAW,
            Link::Sll => DataLink::LINUX_SLL,
            Link::Sll2 => DataLink::LINUX_SLL2,
            Link::Null => DataLink::NULL,
        }
    }
}

#[derive(Clone, Copy, Default)]
struct Flags {
    syn: bool,
    ack: bool,
    fin: bool,
}

const M1: [u8; 6] = [2, 0, 0, 0, 0, 1];
const M2: [u8; 6] = [2, 0, 0, 0, 0, 2];

/// One TCP packet on link `link`.
fn packet(
    link: Link,
    src: SocketAddr,
    dst: SocketAddr,
    seq: u32,
    flags: Flags,
    payload: &[u8],
) -> Vec<u8> {
    let mut out = Vec::new();
    macro_rules! tcp {
        ($b:expr) => {{
            let mut b = $b.tcp(src.port(), dst.port(), seq, 65_000);
            if flags.syn {
                b = b.syn();
            }
            if flags.ack {
                b = b.ack(1);
            }
            if flags.fin {
                b = b.fin();
            }
            if !payload.is_empty() {
                b = b.psh();
            }
            b.write(&mut out, payload).unwrap();
        }};
    }
    match (link, src.ip(), dst.ip()) {
        (Link::Ethernet, IpAddr::V4(a), IpAddr::V4(b)) => {
            tcp!(PacketBuilder::ethernet2(M1, M2).ipv4(a.octets(), b.octets(), 64))
        }
        (Link::Ethernet, IpAddr::V6(a), IpAddr::V6(b)) => {
            tcp!(PacketBuilder::ethernet2(M1, M2).ipv6(a.octets(), b.octets(), 64))
        }
        (Link::Vlan, IpAddr::V4(a), IpAddr::V4(b)) => tcp!(
            PacketBuilder::ethernet2(M1, M2)
                .single_vlan(VlanId::try_new(42).unwrap())
                .ipv4(a.octets(), b.octets(), 64)
        ),
        (Link::Raw, IpAddr::V4(a), IpAddr::V4(b)) => {
            tcp!(PacketBuilder::ipv4(a.octets(), b.octets(), 64))
        }
        (Link::Sll | Link::Sll2 | Link::Null, IpAddr::V4(a), IpAddr::V4(b)) => {
            // Linux cooked v1: packet type, ARPHRD, address length, address (8), protocol.
            let mut ip = Vec::new();
            {
                let mut b = PacketBuilder::ipv4(a.octets(), b.octets(), 64).tcp(
                    src.port(),
                    dst.port(),
                    seq,
                    65_000,
                );
                if flags.syn {
                    b = b.syn();
                }
                if flags.ack {
                    b = b.ack(1);
                }
                if flags.fin {
                    b = b.fin();
                }
                b.write(&mut ip, payload).unwrap();
            }
            match link {
                Link::Sll => {
                    out.extend_from_slice(&[0, 0, 0, 1, 0, 6]);
                    out.extend_from_slice(&M1);
                    out.extend_from_slice(&[0, 0, 0x08, 0x00]);
                }
                Link::Sll2 => {
                    // Protocol, reserved, interface index, ARPHRD, packet type, address
                    // length, address (8).
                    out.extend_from_slice(&[0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6]);
                    out.extend_from_slice(&M1);
                    out.extend_from_slice(&[0, 0]);
                }
                // BSD loopback: AF_INET in the writer's byte order.
                _ => out.extend_from_slice(&2u32.to_le_bytes()),
            }
            out.extend_from_slice(&ip);
        }
        other => panic!("no such test link: {other:?}"),
    }
    out
}

/// A message as the generated log has it: time (µs since the epoch), direction, bytes.
#[derive(Clone, Debug)]
struct Msg {
    ts: i64,
    req: bool,
    bytes: Vec<u8>,
}

fn parse_ts_us(ts: &str) -> i64 {
    // 2026-11-26T00:00:00.004Z or …004000Z
    let (date, time) = ts.split_once('T').unwrap();
    let mut d = date.split('-').map(|x| x.parse::<i64>().unwrap());
    let (y, m, dd) = (d.next().unwrap(), d.next().unwrap(), d.next().unwrap());
    let time = time.trim_end_matches('Z');
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.split(':').map(|x| x.parse::<i64>().unwrap());
    let (h, mi, s) = (t.next().unwrap(), t.next().unwrap(), t.next().unwrap());
    let frac_us: i64 = format!("{frac:0<6}")[..6].parse().unwrap();
    // days from civil
    let yy = if m <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    ((days * 86_400 + h * 3600 + mi * 60 + s) * 1_000_000) + frac_us
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|c| format!("{c:02X}")).collect()
}

/// Wire framing added to the generated messages.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Wire {
    /// As generated (cup has its own 2-byte length).
    AsIs,
    Len2,
    Len4Ascii,
}

/// Generated traffic: transactions, each a request and its response unless it timed out.
fn generate(spec: &str, count: usize, seed: u64, timeouts: &str, wire: Wire) -> Vec<Vec<Msg>> {
    let out = posresp()
        .args(["--spec", spec, "generate", "--count"])
        .arg(count.to_string())
        .args(["--seed", &seed.to_string(), "--timeouts", timeouts])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut txs: Vec<Vec<Msg>> = Vec::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let mut bytes = hex(v["hex"].as_str().unwrap());
        match wire {
            Wire::AsIs => {}
            Wire::Len2 => {
                let mut b = (bytes.len() as u16).to_be_bytes().to_vec();
                b.extend_from_slice(&bytes);
                bytes = b;
            }
            Wire::Len4Ascii => {
                let mut b = format!("{:04}", bytes.len()).into_bytes();
                b.extend_from_slice(&bytes);
                bytes = b;
            }
        }
        let m = Msg {
            ts: parse_ts_us(v["ts"].as_str().unwrap()),
            req: v["dir"] == "req",
            bytes,
        };
        if m.req {
            txs.push(vec![m]);
        } else {
            txs.last_mut().unwrap().push(m);
        }
    }
    txs
}

/// What the capture does to the traffic.
#[derive(Clone, Copy, Default)]
struct Mess {
    /// Cut every message into segments of at most this many bytes.
    segment: Option<usize>,
    /// Put each response in one segment with the next response of its flow, when both are
    /// sent before anything else happens on the flow (only used where the timing allows).
    reorder: bool,
    /// Send every 5th segment twice (the second time 1 ms later).
    retransmit: bool,
    /// Leave out the handshake.
    no_syn: bool,
    ipv6: bool,
}

/// Write a capture of `txs` over `flows` client connections to one server.
fn write_capture(path: &Path, txs: &[Vec<Msg>], flows: usize, link: Link, mess: Mess) {
    let server: SocketAddr = if mess.ipv6 {
        "[fd00::2]:5000".parse().unwrap()
    } else {
        "10.0.0.2:5000".parse().unwrap()
    };
    let client = |i: usize| -> SocketAddr {
        if mess.ipv6 {
            format!("[fd00::1]:{}", 40_000 + i).parse().unwrap()
        } else {
            format!("10.0.0.1:{}", 40_000 + i).parse().unwrap()
        }
    };
    // (time, order, packet bytes)
    let mut packets: Vec<(i64, usize, Vec<u8>)> = Vec::new();
    let mut order = 0usize;
    let mut add = |packets: &mut Vec<(i64, usize, Vec<u8>)>, ts: i64, p: Vec<u8>| {
        order += 1;
        packets.push((ts, order, p));
    };
    let start = txs.iter().flatten().map(|m| m.ts).min().unwrap() - 1000;
    let end = txs.iter().flatten().map(|m| m.ts).max().unwrap() + 1000;
    let mut seqs = vec![(1000u32, 9000u32); flows];
    for f in 0..flows {
        if !mess.no_syn {
            let syn = Flags {
                syn: true,
                ..Flags::default()
            };
            let synack = Flags {
                syn: true,
                ack: true,
                ..Flags::default()
            };
            add(
                &mut packets,
                start,
                packet(link, client(f), server, 999, syn, &[]),
            );
            add(
                &mut packets,
                start,
                packet(link, server, client(f), 8999, synack, &[]),
            );
        }
    }
    // Bytes go out on each flow in the order they are sent: number them in time order.
    let mut sends: Vec<(i64, usize, usize, &Msg)> = Vec::new();
    for (i, tx) in txs.iter().enumerate() {
        for (k, m) in tx.iter().enumerate() {
            sends.push((m.ts, i * 2 + k, i % flows, m));
        }
    }
    sends.sort_by_key(|(ts, o, _, _)| (*ts, *o));
    let mut nseg = 0usize;
    for (_, _, f, m) in sends {
        let (src, dst) = if m.req {
            (client(f), server)
        } else {
            (server, client(f))
        };
        let seq = if m.req {
            &mut seqs[f].0
        } else {
            &mut seqs[f].1
        };
        let size = mess.segment.unwrap_or(m.bytes.len()).max(1);
        let chunks: Vec<&[u8]> = m.bytes.chunks(size).collect();
        let n = chunks.len();
        let mut pieces = Vec::new();
        for (k, c) in chunks.into_iter().enumerate() {
            // Every piece but the last goes out a little before the message's time, so the
            // message is complete at exactly its time.
            let ts = m.ts - (n - 1 - k) as i64 * 10;
            pieces.push((ts, *seq, c));
            *seq = seq.wrapping_add(c.len() as u32);
        }
        if mess.reorder && pieces.len() >= 3 {
            // The second piece arrives after the third (but before the message's time).
            let (t1, t2) = (pieces[1].0, pieces[2].0);
            pieces[1].0 = t2;
            pieces[2].0 = t1;
            pieces.swap(1, 2);
        }
        for (ts, s, c) in pieces {
            let p = packet(link, src, dst, s, Flags::default(), c);
            add(&mut packets, ts, p.clone());
            nseg += 1;
            if mess.retransmit && nseg.is_multiple_of(5) {
                add(&mut packets, ts, p);
            }
        }
    }
    for (f, (cseq, sseq)) in seqs.iter().copied().enumerate() {
        let fin = Flags {
            fin: true,
            ack: true,
            ..Flags::default()
        };
        add(
            &mut packets,
            end,
            packet(link, client(f), server, cseq, fin, &[]),
        );
        add(
            &mut packets,
            end,
            packet(link, server, client(f), sseq, fin, &[]),
        );
    }
    packets.sort_by_key(|(ts, o, _)| (*ts, *o));
    let file = std::fs::File::create(path).unwrap();
    let header = PcapHeader {
        datalink: link.datalink(),
        ..PcapHeader::default()
    };
    let mut w = PcapWriter::with_header(file, header).unwrap();
    for (ts, _, p) in &packets {
        let d = Duration::from_micros(*ts as u64);
        w.write_packet(&PcapPacket::new(d, p.len() as u32, p))
            .unwrap();
    }
}

/// decode --output jsonl of `path`: (records, stderr, exit status).
fn decode(path: &Path, extra: &[&str]) -> (Vec<Value>, String, i32) {
    let out = posresp()
        .args(["decode", "--output", "jsonl"])
        .args(extra)
        .arg(path)
        .output()
        .unwrap();
    let recs = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        recs,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// The part of a decode record that describes the message itself.
fn content(v: &Value) -> Value {
    let mut v = v.clone();
    for k in [
        "index",
        "line",
        "ts",
        "dir",
        "latency_ms",
        "packet",
        "src",
        "dst",
    ] {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

/// The messages in time order (ties in sending order), as the capture delivers them.
fn in_time_order(txs: &[Vec<Msg>]) -> Vec<Msg> {
    let mut all: Vec<(i64, usize, Msg)> = Vec::new();
    for (i, tx) in txs.iter().enumerate() {
        for (k, m) in tx.iter().enumerate() {
            all.push((m.ts, i * 2 + k, m.clone()));
        }
    }
    all.sort_by_key(|(ts, o, _)| (*ts, *o));
    all.into_iter().map(|(_, _, m)| m).collect()
}

/// Decode of the capture gives the messages decode gives for the same bytes as a log, with
/// their times and directions.
fn check_capture(spec: &str, txs: &[Vec<Msg>], path: &Path, extra: &[&str], dirs: bool) {
    let want = in_time_order(txs);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.txt");
    let text: String = want.iter().map(|m| to_hex(&m.bytes) + "\n").collect();
    std::fs::write(&log, text).unwrap();
    let mut args = vec!["--spec", spec];
    args.extend_from_slice(extra);
    let (expect, _, code) = decode(&log, &["--spec", spec]);
    assert_eq!(code, 0, "{spec}: the log itself decodes");
    let (got, stderr, code) = decode(path, &args);
    assert_eq!(code, 0, "{spec}: {stderr}");
    assert_eq!(got.len(), want.len(), "{spec}: {stderr}");
    if std::env::var("CAPDEBUG").is_ok() {
        std::fs::copy(path, "/tmp/capdebug.pcap").unwrap();
        for (g, m) in got.iter().zip(&want) {
            eprintln!(
                "{} {} {} {} | {} {}",
                g["ts"], g["packet"], g["src"], g["mti"], m.ts, m.req
            );
        }
    }
    for (i, ((g, e), m)) in got.iter().zip(&expect).zip(&want).enumerate() {
        assert_eq!(content(g), content(e), "{spec}: message {}", i + 1);
        let ts = g["ts"].as_str().unwrap();
        assert_eq!(parse_ts_us(ts), m.ts, "{spec}: message {} time", i + 1);
        assert_eq!(ts.len(), "2026-11-26T00:00:00.000000Z".len());
        if dirs {
            let d = if m.req { "req" } else { "resp" };
            assert_eq!(g["dir"], d, "{spec}: message {} direction", i + 1);
        } else {
            assert!(g.get("dir").is_none());
        }
        assert!(g["src"].as_str().unwrap().contains(":"));
        assert!(g["packet"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn every_built_in_spec_from_a_plain_capture() {
    let dir = tempfile::tempdir().unwrap();
    for (spec, wire) in [
        ("cup", Wire::AsIs),
        ("iso87ascii", Wire::Len2),
        ("iso87ascii-binary-bitmap", Wire::Len4Ascii),
        ("iso87binary", Wire::Len2),
        ("iso93ascii", Wire::Len4Ascii),
    ] {
        let txs = generate(spec, 40, 7, "5%", wire);
        let path = dir.path().join(format!("{spec}.pcap"));
        write_capture(&path, &txs, 3, Link::Ethernet, Mess::default());
        check_capture(spec, &txs, &path, &[], true);
    }
}

#[test]
fn segmented_reordered_retransmitted_over_vlan_and_ipv6() {
    let dir = tempfile::tempdir().unwrap();
    let hard = Mess {
        segment: Some(17),
        reorder: true,
        retransmit: true,
        ..Mess::default()
    };
    for (spec, wire, link, ipv6) in [
        ("cup", Wire::AsIs, Link::Vlan, false),
        ("iso87binary", Wire::Len2, Link::Ethernet, true),
        ("iso93ascii", Wire::Len4Ascii, Link::Sll, false),
        ("iso87ascii", Wire::Len2, Link::Raw, false),
        ("iso87ascii-binary-bitmap", Wire::Len2, Link::Sll2, false),
        ("cup", Wire::AsIs, Link::Null, false),
    ] {
        let txs = generate(spec, 30, 11, "0", wire);
        let path = dir.path().join(format!("{spec}-hard.pcap"));
        write_capture(&path, &txs, 2, link, Mess { ipv6, ..hard });
        check_capture(spec, &txs, &path, &[], true);
    }
}

#[test]
fn messages_with_no_length_one_per_segment() {
    let dir = tempfile::tempdir().unwrap();
    let txs = generate("iso87ascii", 20, 3, "0", Wire::AsIs);
    let path = dir.path().join("bare.pcap");
    write_capture(&path, &txs, 2, Link::Ethernet, Mess::default());
    check_capture("iso87ascii", &txs, &path, &[], true);
}

#[test]
fn without_syn_the_direction_comes_from_host_port() {
    let dir = tempfile::tempdir().unwrap();
    let txs = generate("cup", 20, 5, "0", Wire::AsIs);
    let path = dir.path().join("nosyn.pcap");
    let mess = Mess {
        no_syn: true,
        ..Mess::default()
    };
    write_capture(&path, &txs, 2, Link::Ethernet, mess);
    check_capture("cup", &txs, &path, &[], false);
    check_capture("cup", &txs, &path, &["--host-port", "5000"], true);
}

#[test]
fn a_capture_that_starts_mid_message_resynchronises() {
    let dir = tempfile::tempdir().unwrap();
    let txs = generate("cup", 10, 9, "0", Wire::AsIs);
    let path = dir.path().join("full.pcap");
    let mess = Mess {
        no_syn: true,
        segment: Some(40),
        ..Mess::default()
    };
    write_capture(&path, &txs, 1, Link::Ethernet, mess);
    // Drop the first two data packets: the capture starts inside the first request.
    let data = std::fs::read(&path).unwrap();
    let mut r = pcap_file::pcap::PcapReader::new(&data[..]).unwrap();
    let header = r.header();
    let mut pkts = Vec::new();
    while let Some(p) = r.next_packet() {
        pkts.push(p.unwrap().into_owned());
    }
    let cut = dir.path().join("cut.pcap");
    let mut w = PcapWriter::with_header(std::fs::File::create(&cut).unwrap(), header).unwrap();
    for p in &pkts[2..] {
        w.write_packet(p).unwrap();
    }
    drop(w);
    let (got, stderr, code) = decode(&cut, &["--spec", "cup", "--host-port", "5000"]);
    // The rest of the first request is reported, once, with how many bytes were skipped.
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let first_len = txs[0][0].bytes.len();
    let skipped = first_len - 80;
    assert!(
        stderr.contains(&format!(
            "skipped {skipped} bytes before the first whole message"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("packet 1"), "{stderr}");
    // Everything after it is there.
    let want = in_time_order(&txs);
    let oks: Vec<&Value> = got.iter().filter(|v| v.get("error").is_none()).collect();
    assert_eq!(oks.len(), want.len() - 1);
    for (g, m) in oks.iter().zip(&want[1..]) {
        assert_eq!(parse_ts_us(g["ts"].as_str().unwrap()), m.ts);
        assert_eq!(g["dir"], if m.req { "req" } else { "resp" });
    }
}

#[test]
fn stats_reports_planted_latencies_and_timeouts() {
    let dir = tempfile::tempdir().unwrap();
    let txs = generate("cup", 200, 21, "4%", Wire::AsIs);
    let path = dir.path().join("stats.pcap");
    write_capture(&path, &txs, 4, Link::Ethernet, Mess::default());
    let planted_timeouts = txs.iter().filter(|t| t.len() == 1).count();
    assert!(planted_timeouts > 0);
    let mut lat: Vec<i64> = txs
        .iter()
        .filter(|t| t.len() == 2)
        .map(|t| (t[1].ts - t[0].ts) / 1000)
        .collect();
    lat.sort();
    let out = posresp()
        .args(["--output", "json", "stats"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["timeouts"], planted_timeouts as u64);
    assert_eq!(r["responses_without_request"], 0);
    assert_eq!(r["latency_ms"]["count"], lat.len() as u64);
    assert_eq!(r["latency_ms"]["max"], *lat.last().unwrap() as u64);
    // The same figures as from the generated log itself.
    let log = dir.path().join("log.jsonl");
    let gen_out = posresp()
        .args([
            "--spec", "cup", "generate", "--count", "200", "--seed", "21",
        ])
        .args(["--timeouts", "4%"])
        .output()
        .unwrap();
    std::fs::write(&log, gen_out.stdout).unwrap();
    let from_log = posresp()
        .args(["--output", "json", "stats"])
        .arg(&log)
        .output()
        .unwrap();
    let l: Value = serde_json::from_slice(&from_log.stdout).unwrap();
    assert_eq!(r["latency_ms"], l["latency_ms"]);
    assert_eq!(r["timeouts"], l["timeouts"]);
    // With --timeout, the slowest responses count as timeouts too.
    let limit = lat[lat.len() - 3];
    let out = posresp()
        .args(["--output", "json", "stats", "--timeout"])
        .arg(format!("{limit}ms"))
        .arg(&path)
        .output()
        .unwrap();
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    let late = lat.iter().filter(|&&l| l > limit).count() as u64;
    assert_eq!(t["late_responses"], late);
    assert_eq!(
        t["timeouts"].as_u64().unwrap() + t["pending"].as_u64().unwrap(),
        planted_timeouts as u64 + late
    );
}

#[test]
fn a_cut_short_capture_reports_the_packet_and_keeps_what_came_before() {
    let dir = tempfile::tempdir().unwrap();
    let txs = generate("cup", 10, 2, "0", Wire::AsIs);
    let path = dir.path().join("c.pcap");
    write_capture(&path, &txs, 1, Link::Ethernet, Mess::default());
    let data = std::fs::read(&path).unwrap();
    // The last record (a FIN) loses its end.
    std::fs::write(&path, &data[..data.len() - 30]).unwrap();
    let (got, stderr, code) = decode(&path, &["--spec", "cup"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cut short"), "{stderr}");
    assert!(stderr.contains("packet "), "{stderr}");
    assert_eq!(
        got.iter().filter(|v| v.get("error").is_none()).count(),
        20,
        "{stderr}"
    );
}

#[test]
fn pcapng_with_nanosecond_stamps() {
    use pcap_file::pcapng::PcapNgWriter;
    use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
    use pcap_file::pcapng::blocks::interface_description::{
        InterfaceDescriptionBlock, InterfaceDescriptionOption,
    };
    let dir = tempfile::tempdir().unwrap();
    let txs = generate("cup", 12, 4, "0", Wire::AsIs);
    let pcap = dir.path().join("a.pcap");
    write_capture(&pcap, &txs, 2, Link::Ethernet, Mess::default());
    // The same packets as pcapng, with a nanosecond interface.
    let data = std::fs::read(&pcap).unwrap();
    let mut r = pcap_file::pcap::PcapReader::new(&data[..]).unwrap();
    let ng = dir.path().join("a.pcapng");
    let mut w = PcapNgWriter::new(std::fs::File::create(&ng).unwrap()).unwrap();
    let mut idb = InterfaceDescriptionBlock::new(DataLink::ETHERNET, 65_535);
    idb.options.push(InterfaceDescriptionOption::IfTsResol(9));
    w.write_pcapng_block(idb).unwrap();
    while let Some(p) = r.next_packet() {
        let p = p.unwrap();
        let epb = EnhancedPacketBlock {
            interface_id: 0,
            timestamp: p.timestamp,
            original_len: p.orig_len,
            data: p.data.clone(),
            options: vec![],
        };
        w.write_pcapng_block(epb).unwrap();
    }
    drop(w);
    check_capture("cup", &txs, &ng, &[], true);
}

#[test]
fn tcpdump_text_is_read_like_the_capture() {
    let dir = tempfile::tempdir().unwrap();
    let txs = generate("cup", 6, 8, "0", Wire::AsIs);
    let pcap = dir.path().join("t.pcap");
    write_capture(&pcap, &txs, 1, Link::Raw, Mess::default());
    let text = tcpdump_text(&pcap);
    let path = dir.path().join("t.txt");
    std::fs::write(&path, text).unwrap();
    check_capture("cup", &txs, &path, &[], true);
}

/// `tcpdump -tttt -X` text of a raw-IP capture: a time line and offset lines per packet.
fn tcpdump_text(pcap: &Path) -> String {
    let data = std::fs::read(pcap).unwrap();
    let mut r = pcap_file::pcap::PcapReader::new(&data[..]).unwrap();
    let mut text = String::new();
    while let Some(p) = r.next_packet() {
        let p = p.unwrap();
        let us = p.timestamp.as_micros() as i64;
        let secs = us / 1_000_000;
        // 2026-11-26 is day 20 783.
        assert_eq!(secs / 86_400, 20_783);
        let sod = secs % 86_400;
        text.push_str(&format!(
            "2026-11-26 {:02}:{:02}:{:02}.{:06} IP 10.0.0.1.40000 > 10.0.0.2.5000: Flags [P.], length {}\n",
            sod / 3600,
            sod / 60 % 60,
            sod % 60,
            us % 1_000_000,
            p.data.len()
        ));
        for (i, chunk) in p.data.chunks(16).enumerate() {
            let groups: Vec<String> = chunk.chunks(2).map(to_hex).collect();
            let gutter: String = chunk
                .iter()
                .map(|&c| {
                    if (0x20..0x7f).contains(&c) {
                        c as char
                    } else {
                        '.'
                    }
                })
                .collect();
            text.push_str(&format!(
                "\t0x{:04x}:  {:<40}  {gutter}\n",
                i * 16,
                groups.join(" ").to_lowercase()
            ));
        }
    }
    text
}

/// The sample captures in testdata/capture (used by the docs) are what this file writes:
/// `UPDATE_CAPTURES=1 cargo test --test capture` rewrites them.
#[test]
fn sample_captures_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let txs = generate("cup", 12, 26, "10%", Wire::AsIs);
    let pcap = dir.path().join("cup-terminal.pcap");
    write_capture(&pcap, &txs, 2, Link::Ethernet, Mess::default());
    let raw = dir.path().join("raw.pcap");
    write_capture(&raw, &txs[..3], 1, Link::Raw, Mess::default());
    let text = tcpdump_text(&raw);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/capture");
    let want_pcap = std::fs::read(&pcap).unwrap();
    if std::env::var_os("UPDATE_CAPTURES").is_some() {
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("cup-terminal.pcap"), &want_pcap).unwrap();
        std::fs::write(root.join("cup-terminal.tcpdump.txt"), &text).unwrap();
    }
    assert_eq!(
        std::fs::read(root.join("cup-terminal.pcap")).unwrap(),
        want_pcap,
        "testdata/capture/cup-terminal.pcap is stale: UPDATE_CAPTURES=1 cargo test --test capture"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("cup-terminal.tcpdump.txt")).unwrap(),
        text
    );
    check_capture("cup", &txs, &root.join("cup-terminal.pcap"), &[], true);
    check_capture(
        "cup",
        &txs[..3],
        &root.join("cup-terminal.tcpdump.txt"),
        &[],
        true,
    );
}

#[test]
fn a_capture_with_no_tcp_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("udp.pcap");
    let mut w = PcapWriter::new(std::fs::File::create(&path).unwrap()).unwrap();
    let mut p = Vec::new();
    PacketBuilder::ethernet2(M1, M2)
        .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .udp(53, 53)
        .write(&mut p, b"dns")
        .unwrap();
    w.write_packet(&PcapPacket::new(Duration::from_secs(1), p.len() as u32, &p))
        .unwrap();
    drop(w);
    let (_, stderr, code) = decode(&path, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("1 packets and no TCP"), "{stderr}");
}

/// Damaged captures (bytes changed, cut anywhere) never panic the reader, and every record
/// read is a message or a problem.
#[test]
fn damaged_captures_are_reported_not_fatal() {
    use posresp::input::{FrameReader, InputFormat};
    let good = std::fs::read("testdata/capture/cup-terminal.pcap").unwrap();
    let text = std::fs::read("testdata/capture/cup-terminal.tcpdump.txt").unwrap();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..400 {
        let base = if round % 4 == 3 { &text } else { &good };
        let mut data = base.clone();
        for _ in 0..(1 + next() % 6) {
            let i = (next() as usize) % data.len();
            data[i] = next() as u8;
        }
        if round % 3 == 0 {
            let n = (next() as usize) % data.len();
            data.truncate(n.max(1));
        }
        let (frames, _) = FrameReader::new(&data[..], InputFormat::Auto).unwrap();
        let n = frames.take(10_000).count();
        assert!(n < 10_000, "round {round}: no end");
    }
}

/// `generate --format pcap` writes the traffic as it would be captured: stats from it and
/// from the generated log agree, and every message decodes.
#[test]
fn generated_captures_match_the_generated_log() {
    let dir = tempfile::tempdir().unwrap();
    for spec in ["cup", "iso87ascii", "iso93ascii"] {
        let pcap = dir.path().join(format!("{spec}.pcap"));
        let log = dir.path().join(format!("{spec}.jsonl"));
        let gen_args = [
            "--spec",
            spec,
            "generate",
            "--count",
            "800",
            "--timeouts",
            "3%",
        ];
        posresp()
            .args(gen_args)
            .args(["--format", "pcap", "--out"])
            .arg(&pcap)
            .assert()
            .success();
        posresp()
            .args(gen_args)
            .arg("--out")
            .arg(&log)
            .assert()
            .success();
        let stats = |p: &Path| -> Value {
            let out = posresp()
                .args(["--output", "json", "stats", "--by", "terminal"])
                .arg(p)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_slice(&out.stdout).unwrap()
        };
        let (a, b) = (stats(&pcap), stats(&log));
        for k in ["messages", "timeouts", "latency_ms", "by_code", "breakdown"] {
            assert_eq!(a[k], b[k], "{spec}: {k}");
        }
        assert_eq!(a["undecodable"], 0);
        let (recs, stderr, code) = decode(&pcap, &["--spec", spec, "--brief"]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(recs.len() as u64, b["messages"].as_u64().unwrap());
        assert!(
            recs.iter()
                .all(|r| r["dst"] == "172.16.0.1:5000" || r["src"] == "172.16.0.1:5000")
        );
    }
}
