//! `posresp serve` and `posresp send` end to end, on loopback only: the real binary as the
//! host on an ephemeral port, driven by `send` (and by raw sockets where a test needs to
//! misbehave or hold a connection).

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use common::Server;
use posresp::codec::spec::builtin;
use posresp::codec::{Decoded, FramingChoice, FramingSpec, decode_into};
use serde_json::Value;

fn posresp() -> Command {
    Command::cargo_bin("posresp").unwrap()
}

fn testdata(name: &str) -> String {
    Path::new("testdata/serve").join(name).display().to_string()
}

fn send(server: &Server, spec: &str, files: &[&str], extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "--spec",
        spec,
        "send",
        "--to",
        &server.addr,
        "--timeout",
        "400ms",
    ];
    if spec == "iso87ascii" {
        args.extend_from_slice(&["--framing", "len2"]);
    }
    args.extend_from_slice(extra);
    let paths: Vec<String> = files.iter().map(|f| testdata(f)).collect();
    let out = posresp()
        .args(&args)
        .args(&paths)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn iso_server() -> Server {
    Server::start(
        "iso87ascii",
        &["--framing", "len2", "--rules", "testdata/serve/rules.json"],
    )
}

#[test]
fn answers_follow_the_rules() {
    let server = iso_server();
    let (code, out, err) = send(
        &server,
        "iso87ascii",
        &["approve.hex"],
        &["--output", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["mti"], "0210");
    let fields = v["fields"].as_array().unwrap();
    let field = |id: &str| {
        fields
            .iter()
            .find(|f| f["id"] == id)
            .map(|f| f["value"].as_str().unwrap().to_string())
    };
    assert_eq!(field("39").as_deref(), Some("00"));
    assert_eq!(field("11").as_deref(), Some("000101"));
    assert_eq!(field("4").as_deref(), Some("000000001000"));
    assert_eq!(field("41").as_deref(), Some("T0000001"));
    // Echoed PAN stays masked in the output.
    assert_eq!(field("2").as_deref(), Some("476173******0119"));
    assert_eq!(field("37").map(|s| s.len()), Some(12));
    assert_eq!(field("38").map(|s| s.len()), Some(6));

    let (code, out, _) = send(&server, "iso87ascii", &["ends51.hex"], &[]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Response 51: Not sufficient funds (decline)"),
        "{out}"
    );
    assert!(
        !out.lines().any(|l| l.starts_with("│ 38 ")),
        "no approval code on a decline"
    );
    let (code, out, _) = send(
        &server,
        "iso87ascii",
        &["bin0005.hex"],
        &["--fail-on-decline"],
    );
    assert_eq!(code, 1, "a decline fails with --fail-on-decline");
    assert!(out.contains("Response 05"), "{out}");
    // Rules without an `mti` leave reversals and network management to the default.
    let (code, out, _) = send(&server, "iso87ascii", &["reversal.hex", "echo.hex"], &[]);
    assert_eq!(code, 0);
    assert!(
        out.contains("MTI 0410") && out.contains("MTI 0810"),
        "{out}"
    );
    assert_eq!(out.matches("Response 00").count(), 2, "{out}");

    let (status, err, log) = server.stop();
    assert_eq!(status, Some(0), "{err}");
    assert!(err.contains("5 requests, 5 answers"), "{err}");
    // The log: a request and a response per exchange, card data zeroed, latency on answers.
    assert_eq!(log.len(), 10);
    let resp51 = log
        .iter()
        .find(|r| r["code"] == "51")
        .expect("the 51 answer is logged");
    assert_eq!(resp51["dir"], "resp");
    assert_eq!(resp51["rule"], "insufficient funds");
    assert!(resp51["latency_ms"].as_f64().unwrap() >= 0.0);
    for r in &log {
        let hex = r["hex"].as_str().unwrap();
        assert!(
            !hex.contains(&hex_of("4761739001010119")),
            "PAN in the log: {r}"
        );
    }
    assert!(log.iter().any(|r| {
        r["hex"]
            .as_str()
            .unwrap()
            .contains(&hex_of("4761730000000119"))
    }));
    // The slow approval waited for its delay.
    let slow = log
        .iter()
        .find(|r| r["rule"] == "slow approval")
        .expect("delayed answer logged");
    assert!(slow["latency_ms"].as_f64().unwrap() >= 150.0, "{slow}");
}

fn hex_of(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02X}")).collect()
}

#[test]
fn drop_close_malformed_truncate_duplicate() {
    let server = iso_server();
    let (code, _, err) = send(&server, "iso87ascii", &["drop.hex"], &[]);
    assert_eq!(code, 0, "a timeout alone is reported, not an error: {err}");
    assert!(
        err.contains("no answer from") && err.contains("within 400ms"),
        "{err}"
    );
    let (code, _, _) = send(&server, "iso87ascii", &["drop.hex"], &["--fail-on-decline"]);
    assert_eq!(code, 1);

    let (_, _, err) = send(&server, "iso87ascii", &["close.hex"], &[]);
    assert!(
        err.contains("closed the connection without answering"),
        "{err}"
    );

    let (code, _, err) = send(&server, "iso87ascii", &["malformed.hex"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("does not decode"), "{err}");

    let (_, _, err) = send(&server, "iso87ascii", &["truncate.hex"], &[]);
    assert!(err.contains("closed the connection after"), "{err}");

    // The second copy of the first answer arrives while the next request waits.
    let (code, out, err) = send(
        &server,
        "iso87ascii",
        &["duplicate.hex", "approve.hex"],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("an answer for another request"), "{err}");
    assert_eq!(out.matches("Response 00").count(), 2, "{out}");

    // Closed connections are re-opened for the next message.
    let (code, out, err) = send(&server, "iso87ascii", &["close.hex", "approve.hex"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Response 00"), "{out}");

    let (status, err, log) = server.stop();
    assert_eq!(status, Some(0));
    assert!(err.contains("unanswered"), "{err}");
    // The duplicate is logged twice, the malformed answer as sent (undecodable MTI).
    assert_eq!(log.iter().filter(|r| r["rule"] == "twice").count(), 2);
    let bad = log.iter().find(|r| r["action"] == "malformed").unwrap();
    assert!(bad["hex"].as_str().unwrap()[4..12].eq("FFFFFFFF"), "{bad}");
    assert!(
        !log.iter().any(|r| r["rule"] == "host down"),
        "a dropped request has no answer"
    );
}

/// Bytes of a frame with a 2-byte length.
fn framed(body: &[u8]) -> Vec<u8> {
    let mut v = (body.len() as u16).to_be_bytes().to_vec();
    v.extend_from_slice(body);
    v
}

fn read_answer(s: &mut TcpStream) -> Option<Vec<u8>> {
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut len = [0u8; 2];
    s.read_exact(&mut len).ok()?;
    let mut body = vec![0u8; u16::from_be_bytes(len) as usize];
    s.read_exact(&mut body).ok()?;
    Some(body)
}

fn code_of(body: &[u8]) -> String {
    let spec = builtin("iso87ascii").unwrap().unwrap();
    let mut d = Decoded::default();
    decode_into(
        &spec,
        body,
        &FramingChoice::Given(FramingSpec::default()),
        &mut d,
    )
    .unwrap();
    d.get(39).unwrap().to_string()
}

fn request_bytes(name: &str) -> Vec<u8> {
    let hex = std::fs::read_to_string(testdata(name)).unwrap();
    posresp::input::parse_hex_text(hex.trim()).unwrap()
}

#[test]
fn malformed_frames_are_logged_and_answered_and_others_unaffected() {
    let server = iso_server();
    let good = request_bytes("approve.hex");
    // A frame whose MTI reads but whose fields do not: a format error (30).
    let mut broken = good[2..40].to_vec();
    broken.extend_from_slice(b"not a message");
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.write_all(&framed(&broken)).unwrap();
    let a = read_answer(&mut s).expect("a format-error answer");
    assert_eq!(code_of(&a), "30");
    // The same connection still serves.
    s.write_all(&good).unwrap();
    assert_eq!(code_of(&read_answer(&mut s).unwrap()), "00");
    // Garbage without a readable MTI: the connection is closed, others carry on.
    let mut g = TcpStream::connect(&server.addr).unwrap();
    g.write_all(&framed(b"\x01\x02garbage")).unwrap();
    assert!(read_answer(&mut g).is_none());
    s.write_all(&good).unwrap();
    assert_eq!(code_of(&read_answer(&mut s).unwrap()), "00");
    let mut server = server;
    let line = server.wait_for("frame 1: ");
    assert!(line.contains("conn ") && line.contains("at byte"), "{line}");
    let (_, err, log) = server.stop();
    assert!(err.contains("2 malformed"), "{err}");
    let logged = log.iter().filter(|r| r.get("error").is_some()).count();
    assert_eq!(logged, 2, "both malformed frames are in the log");
}

#[test]
fn flood_of_malformed_frames_does_not_disturb_others() {
    let server = iso_server();
    let good = request_bytes("approve.hex");
    let addr = server.addr.clone();
    let flooders: Vec<_> = (0..20)
        .map(|_| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                for _ in 0..20 {
                    if let Ok(mut s) = TcpStream::connect(&addr) {
                        let _ = s.write_all(&framed(&[0xFF; 40]));
                        let _ = s.write_all(b"\x00");
                    }
                }
            })
        })
        .collect();
    let clients: Vec<_> = (0..40)
        .map(|_| {
            let addr = addr.clone();
            let good = good.clone();
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(&addr).unwrap();
                for _ in 0..25 {
                    s.write_all(&good).unwrap();
                    assert_eq!(code_of(&read_answer(&mut s).unwrap()), "00");
                }
            })
        })
        .collect();
    for t in clients {
        t.join()
            .expect("every well-behaved client got correct answers");
    }
    for t in flooders {
        t.join().unwrap();
    }
    let (status, err, _) = server.stop();
    assert_eq!(status, Some(0));
    assert!(err.contains("1000 answers"), "{err}");
}

#[test]
fn sighup_reloads_rules_without_dropping_connections() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.json");
    std::fs::write(
        &rules,
        r#"{"rules": [{"when": {"amount": {"ends_with": "51"}}, "code": "51"}]}"#,
    )
    .unwrap();
    let mut server = Server::start(
        "iso87ascii",
        &["--framing", "len2", "--rules", rules.to_str().unwrap()],
    );
    let req = request_bytes("ends51.hex");
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.write_all(&req).unwrap();
    assert_eq!(code_of(&read_answer(&mut s).unwrap()), "51");
    // A broken file is refused and the old rules stay.
    std::fs::write(&rules, r#"{"rules": [{"code": "ZZ"}]}"#).unwrap();
    server.signal("-HUP");
    server.wait_for("reload failed");
    s.write_all(&req).unwrap();
    assert_eq!(code_of(&read_answer(&mut s).unwrap()), "51");
    std::fs::write(
        &rules,
        r#"{"rules": [{"when": {"amount": {"ends_with": "51"}}, "code": "61"}]}"#,
    )
    .unwrap();
    server.signal("-HUP");
    server.wait_for("reloaded 1 rules");
    s.write_all(&req).unwrap();
    assert_eq!(code_of(&read_answer(&mut s).unwrap()), "61");
    let (status, _, _) = server.stop();
    assert_eq!(status, Some(0));
}

#[test]
fn idle_connections_time_out_and_the_cap_holds() {
    let mut server = Server::start(
        "iso87ascii",
        &[
            "--framing",
            "len2",
            "--idle-timeout",
            "300ms",
            "--max-connections",
            "2",
        ],
    );
    let good = request_bytes("approve.hex");
    let mut a = TcpStream::connect(&server.addr).unwrap();
    let mut b = TcpStream::connect(&server.addr).unwrap();
    a.write_all(&good).unwrap();
    b.write_all(&good).unwrap();
    assert!(read_answer(&mut a).is_some() && read_answer(&mut b).is_some());
    let mut c = TcpStream::connect(&server.addr).unwrap();
    assert!(
        read_answer(&mut c).is_none(),
        "a third connection is closed at once"
    );
    // Refused (both busy) or, on a machine so loaded that a second passed, admitted in
    // place of the longest idle one.
    server.wait_for("conn 3");
    // Idle: the server closes a connection that sends nothing.
    let start = Instant::now();
    let mut buf = [0u8; 1];
    a.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    assert_eq!(a.read(&mut buf).unwrap_or(0), 0);
    assert!(start.elapsed() < Duration::from_secs(5));
    server.wait_for("--idle-timeout");
}

#[test]
fn bad_rules_are_rejected_at_start_with_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.json");
    std::fs::write(
        &rules,
        "{\"rules\": [\n  {\"code\": \"00\"},\n  {\"when\": {\"pan\": {\"prefix\": \"62x\"}}}\n]}",
    )
    .unwrap();
    let out = posresp()
        .args([
            "--spec",
            "cup",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--rules",
        ])
        .arg(&rules)
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 3: rule 2: pan.prefix \"62x\" must be digits"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // A spec without a length prefix cannot be served without --framing.
    let out = posresp()
        .args(["--spec", "iso87ascii", "serve", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --framing len2"));
}

#[test]
fn macs_are_added_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("mak.hex");
    std::fs::write(&key, "0123456789ABCDEFFEDCBA9876543210\n").unwrap();
    let key = key.to_str().unwrap().to_string();
    let server = Server::start("iso87ascii", &["--framing", "len2", "--mac-key-file", &key]);
    // Requests with a correct MAC, from generate.
    let out = posresp()
        .args([
            "--spec",
            "iso87ascii",
            "generate",
            "--count",
            "3",
            "--kinds",
            "purchase=1",
            "--mix",
            "00=1",
            "--format",
            "hex",
            "--mac-key-file",
            &key,
        ])
        .output()
        .unwrap();
    let lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let good = posresp::input::parse_hex_text(&lines[0]).unwrap();
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.write_all(&framed(&good)).unwrap();
    let answer = read_answer(&mut s).unwrap();
    assert_eq!(code_of(&answer), "00");
    // The answer's own MAC verifies.
    let out = posresp()
        .args([
            "--spec",
            "iso87ascii",
            "verify",
            "--key-file",
            &key,
            "--output",
            "json",
        ])
        .arg(posresp::codec::encoding::to_hex(&answer))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A changed amount breaks the request's MAC: 63 security violation.
    let mut bad = good.clone();
    let at = bad.len() - 20;
    bad[at] = if bad[at] == b'1' { b'2' } else { b'1' };
    s.write_all(&framed(&bad)).unwrap();
    assert_eq!(code_of(&read_answer(&mut s).unwrap()), "63");
    let (_, err, _) = server.stop();
    assert!(err.contains("1 MAC failures"), "{err}");
}

#[test]
fn cup_sign_on_hands_out_working_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mak = dir.path().join("mak.hex");
    let tmk = dir.path().join("tmk.hex");
    std::fs::write(&mak, "1122334455667788").unwrap();
    std::fs::write(&tmk, "0123456789ABCDEFFEDCBA9876543210").unwrap();
    let server = Server::start(
        "cup",
        &[
            "--mac-key-file",
            mak.to_str().unwrap(),
            "--tmk-file",
            tmk.to_str().unwrap(),
        ],
    );
    let out = posresp()
        .args([
            "--spec",
            "cup",
            "--unmask",
            "send",
            "--to",
            &server.addr,
            "--output",
            "json",
        ])
        .arg("testdata/cup/cup-0800-signon-request.hex")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["mti"], "0810");
    let f62 = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "62")
        .expect("field 62 with keys");
    let keys = f62["value"].as_str().unwrap();
    // The request's 60.3 asks for double-length keys: PIK 16+4, MAK 16+4 = 40 bytes.
    assert_eq!(keys.len(), 80, "{keys}");
    // The MAK slot: the 8-byte MAK under the TMK, 8 zero bytes, and the MAK's check value.
    let tmk_key = posresp::check::Key::from_hex("0123456789ABCDEFFEDCBA9876543210").unwrap();
    let mut block = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
    tmk_key.encrypt(&mut block);
    let mak_key = posresp::check::Key::from_hex("1122334455667788").unwrap();
    let want = format!(
        "{}{}{}",
        posresp::codec::encoding::to_hex(&block),
        "0".repeat(16),
        posresp::codec::encoding::to_hex(&mak_key.kcv())
    );
    assert_eq!(&keys[40..], want);
    drop(server);
}

/// `send --replay LOG` against `server` with `extra` options; its JSON report (exit 0).
fn replay(server: &Server, log: &Path, extra: &[&str]) -> Value {
    let out = posresp()
        .args([
            "--spec",
            "cup",
            "--output",
            "json",
            "send",
            "--to",
            &server.addr,
        ])
        .args(extra)
        .arg("--replay")
        .arg(log)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn replay_reports_throughput_latency_codes_and_timeouts() {
    let dir = tempfile::tempdir().unwrap();
    let traffic = dir.path().join("traffic.jsonl");
    let out = posresp()
        .args([
            "--spec", "cup", "generate", "--count", "3000", "--seed", "9", "--out",
        ])
        .arg(&traffic)
        .output()
        .unwrap();
    assert!(out.status.success());
    let rules = dir.path().join("rules.json");
    std::fs::write(
        &rules,
        r#"{"rules": [{"name": "lost", "when": {"mti": "x2xx"}, "every_nth": 100, "action": "drop"},
                      {"when": {"amount": {"ends_with": "7"}}, "code": "51"}]}"#,
    )
    .unwrap();
    let server = Server::start("cup", &["--rules", rules.to_str().unwrap()]);
    let sent = dir.path().join("sent.jsonl");
    let r = replay(
        &server,
        &traffic,
        &[
            // Long enough that no answer is late on a loaded machine: only dropped requests
            // time out.
            "--timeout",
            "3s",
            "--concurrency",
            "32",
            "--connections",
            "3",
            "--log",
            sent.to_str().unwrap(),
        ],
    );
    let n = |k: &str| r[k].as_u64().unwrap();
    assert_eq!(n("requests"), 3000);
    assert_eq!(n("answers") + n("timeouts"), 3000, "{r}");
    // Every 100th financial request (class x2xx) is dropped.
    let financial = std::fs::read_to_string(&traffic)
        .unwrap()
        .lines()
        .filter(|l| l.contains("\"dir\":\"req\""))
        .filter(|l| {
            let hex = l.split("\"hex\":\"").nth(1).unwrap();
            // CUP: length 2, TPDU 5, header 6, then the BCD MTI.
            &hex[26..28] == "02"
        })
        .count() as u64;
    assert_eq!(n("timeouts"), financial / 100, "{r}");
    assert!(r["per_second"].as_f64().unwrap() > 0.0);
    assert!(r["latency_ms"]["p99"].as_f64().unwrap() >= r["latency_ms"]["p50"].as_f64().unwrap());
    let codes = r["codes"].as_array().unwrap();
    assert!(codes.iter().any(|c| c["code"] == "51"));
    assert!(codes.iter().any(|c| c["code"] == "00"));
    // Both logs read back: stats pairs 3000 requests with the answers, nothing undecodable.
    let stats_agree = |log: &Path| {
        let out = posresp()
            .args(["--output", "json", "stats"])
            .arg(log)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let s: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(s["requests"], 3000);
        assert_eq!(s["responses"].as_u64().unwrap(), n("answers"));
        assert_eq!(s["undecodable"], 0);
    };
    stats_agree(&sent);
    let (status, _, log) = server.stop();
    assert_eq!(status, Some(0));
    assert_eq!(log.iter().filter(|l| l["dir"] == "req").count(), 3000);
    // The host's log reads back: stats pairs it, decode decodes every line.
    let host_log = dir.path().join("host.jsonl");
    let text: String = log.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&host_log, text).unwrap();
    stats_agree(&host_log);
    let out = posresp()
        .args(["--output", "jsonl", "decode", "--brief"])
        .arg(&host_log)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn shutdown_finishes_delayed_answers_and_flushes_the_log() {
    let server = iso_server();
    let mut s = TcpStream::connect(&server.addr).unwrap();
    // approve.hex matches the rule "slow approval" (150 ms).
    s.write_all(&request_bytes("approve.hex")).unwrap();
    std::thread::sleep(Duration::from_millis(30));
    server.signal("-INT");
    let answer = read_answer(&mut s).expect("the delayed answer still arrives");
    assert_eq!(code_of(&answer), "00");
    let (status, err, log) = server.stop_after_signal();
    assert_eq!(status, Some(0), "{err}");
    assert!(err.contains("finishing 1 connections"), "{err}");
    assert_eq!(
        log.len(),
        2,
        "request and delayed answer are both in the log"
    );
    assert_eq!(log[1]["rule"], "slow approval");
}

#[test]
fn replay_paces_with_rate_and_reconnects_after_close() {
    let dir = tempfile::tempdir().unwrap();
    let traffic = dir.path().join("traffic.jsonl");
    let out = posresp()
        .args([
            "--spec",
            "cup",
            "generate",
            "--count",
            "400",
            "--kinds",
            "purchase=1",
            "--out",
        ])
        .arg(&traffic)
        .output()
        .unwrap();
    assert!(out.status.success());
    let rules = dir.path().join("rules.json");
    std::fs::write(
        &rules,
        r#"{"rules": [{"when": {}, "every_nth": 50, "action": "close"}]}"#,
    )
    .unwrap();
    let server = Server::start("cup", &["--rules", rules.to_str().unwrap()]);
    let r = replay(
        &server,
        &traffic,
        &[
            "--timeout",
            "2s",
            "--concurrency",
            "8",
            "--connections",
            "2",
            "--rate",
            "2000",
        ],
    );
    let n = |k: &str| r[k].as_u64().unwrap();
    assert_eq!(n("requests"), 400);
    // Every 50th request closes its connection: 8 closes; what was in flight is lost, the
    // rest is sent on new connections. Nothing is unaccounted for.
    assert!(n("reconnects") >= 1, "{r}");
    assert!(n("lost_to_closed_connections") >= 8, "{r}");
    assert_eq!(
        n("answers") + n("lost_to_closed_connections") + n("timeouts"),
        400,
        "{r}"
    );
    // 400 requests at 2000 per second, after a first burst of at most 8: at least 0.19 s.
    assert!(r["seconds"].as_f64().unwrap() >= 0.19, "{r}");
    assert_eq!(r["rate"].as_f64(), Some(2000.0));
    drop(server);
}

#[test]
fn send_to_a_host_that_is_not_listening_says_so() {
    // Bind and drop a listener: its port is (for now) not listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let to = format!("127.0.0.1:{port}");
    for extra in [
        vec!["testdata/cup/cup-0200-cnblogs.hex"],
        vec!["--replay", "testdata/cup/cup-real.jsonl"],
    ] {
        let out = posresp()
            .args(["--spec", "cup", "send", "--to", &to])
            .args(&extra)
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("cannot connect to {to}"))
                && err.contains("is the host listening?"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

/// A real CUP 0200 (cup-pos-8583.md §9.3) with its published TAK: the request's MAC verifies,
/// the answer carries a CUP ECB MAC that `verify` accepts; with another key the answer is A0.
#[test]
fn cup_mac_of_a_real_request_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let tak = dir.path().join("tak.hex");
    std::fs::write(&tak, "0723C80DB5F4CD3D0723C80DB5F4CD3D").unwrap();
    let other = dir.path().join("other.hex");
    std::fs::write(&other, "1111111111111111").unwrap();
    let frame = "testdata/cup/cup-0200-cnblogs.hex";
    for (key, code) in [(&tak, "00"), (&other, "A0")] {
        let key = key.to_str().unwrap();
        let server = Server::start("cup", &["--mac-key-file", key]);
        let answer = dir.path().join("answer.jsonl");
        let out = posresp()
            .args([
                "--spec",
                "cup",
                "--unmask",
                "--output",
                "json",
                "send",
                "--to",
                &server.addr,
            ])
            .args(["--log", answer.to_str().unwrap(), frame])
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["response"]["code"], code, "{v}");
        let (_, err, _) = server.stop();
        if code == "00" {
            assert!(err.contains("0 MAC failures"), "{err}");
            // The answer (from send's log, --unmask: the wire bytes) verifies with the TAK.
            let out = posresp()
                .args([
                    "--spec",
                    "cup",
                    "--output",
                    "json",
                    "verify",
                    "--key-file",
                    key,
                ])
                .arg(&answer)
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.contains("\"mac\"") && !text.contains("\"fail\""),
                "{text}"
            );
        } else {
            assert!(err.contains("1 MAC failures"), "{err}");
        }
    }
}

/// Item 8: every answer the report counts is in `--log`, also when every answer is late
/// (delayed 200 ms) and the run ends as soon as the last one arrives.
#[test]
fn replay_log_holds_every_late_answer() {
    let dir = tempfile::tempdir().unwrap();
    let traffic = dir.path().join("traffic.jsonl");
    let out = posresp()
        .args(["--spec", "cup", "generate", "--count", "100", "--out"])
        .arg(&traffic)
        .output()
        .unwrap();
    assert!(out.status.success());
    let rules = dir.path().join("rules.json");
    std::fs::write(&rules, r#"{"rules": [{"when": {}, "delay": "200ms"}]}"#).unwrap();
    let server = Server::start("cup", &["--rules", rules.to_str().unwrap()]);
    for (conns, conc) in [("1", "100"), ("4", "16"), ("2", "1")] {
        let sent = dir.path().join(format!("sent-{conns}-{conc}.jsonl"));
        let r = replay(
            &server,
            &traffic,
            &[
                "--timeout",
                "20s",
                "--connections",
                conns,
                "--concurrency",
                conc,
                "--log",
                sent.to_str().unwrap(),
            ],
        );
        let log = std::fs::read_to_string(&sent).unwrap();
        let count = |dir: &str| log.lines().filter(|l| l.contains(dir)).count() as u64;
        assert_eq!(r["requests"], 100, "{r}");
        assert_eq!(r["answers"], 100, "{r}");
        assert_eq!(count("\"dir\":\"req\""), 100, "{conns}/{conc}");
        assert_eq!(count("\"dir\":\"resp\""), 100, "{conns}/{conc}: {r}");
    }
    drop(server);
}

/// A replay of 3000 generated CUP transactions at `rate` per second against `server`, with
/// `--log`, started and running: it has logged answers already.
struct LiveReplay {
    _dir: tempfile::TempDir,
    sent: std::path::PathBuf,
    child: std::process::Child,
}

impl LiveReplay {
    fn start(server: &Server, rate: &str) -> LiveReplay {
        let dir = tempfile::tempdir().unwrap();
        let traffic = dir.path().join("traffic.jsonl");
        let out = posresp()
            .args(["--spec", "cup", "generate", "--count", "3000", "--out"])
            .arg(&traffic)
            .output()
            .unwrap();
        assert!(out.status.success());
        let sent = dir.path().join("sent.jsonl");
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("posresp"))
            .args([
                "--spec",
                "cup",
                "--output",
                "json",
                "send",
                "--to",
                &server.addr,
            ])
            .args(["--rate", rate, "--timeout", "5s", "--log"])
            .arg(&sent)
            .arg("--replay")
            .arg(&traffic)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let until = std::time::Instant::now() + Duration::from_secs(30);
        while !std::fs::read_to_string(&sent).is_ok_and(|l| l.contains("\"dir\":\"resp\"")) {
            assert!(std::time::Instant::now() < until, "no answers logged");
            std::thread::sleep(Duration::from_millis(20));
        }
        LiveReplay {
            _dir: dir,
            sent,
            child,
        }
    }

    /// Wait for the replay to end; its exit status must be `code`. The report accounts for
    /// every request sent, some were never sent, and the log holds what the report counts.
    /// Returns the report and stderr.
    fn finish(self, code: i32) -> (Value, String) {
        let out = self.child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(code), "{err}");
        let r: Value = serde_json::from_slice(&out.stdout).expect("a report");
        let n = |k: &str| r[k].as_u64().unwrap();
        assert!(n("answers") > 0, "{r}");
        assert!(n("requests") < 3000 && n("not_sent") > 0, "{r}");
        assert_eq!(
            n("requests"),
            n("answers")
                + n("timeouts")
                + n("lost_to_closed_connections")
                + n("unanswered_at_stop"),
            "{r}"
        );
        let log = std::fs::read_to_string(&self.sent).unwrap();
        let count = |d: &str| log.lines().filter(|l| l.contains(d)).count() as u64;
        assert_eq!(count("\"dir\":\"req\""), n("requests"), "{r}");
        assert_eq!(count("\"dir\":\"resp\""), n("answers"), "{r}");
        (r, err)
    }
}

/// Item 9: when the host goes away mid-run, send --replay still prints its report (what was
/// answered, lost, not sent) and exits 2; the log holds what the report counts.
#[test]
fn replay_reports_when_the_host_goes_away() {
    let server = Server::start("cup", &[]);
    let replay = LiveReplay::start(&server, "300");
    server.signal("-KILL");
    let (r, err) = replay.finish(2);
    drop(server);
    assert!(
        err.contains("went away") || err.contains("cannot connect"),
        "{err}"
    );
    assert!(r["ended"].is_string(), "{r}");
}

/// Item 11: a client that trickles one byte at a time is cut off by --frame-timeout, however
/// often it sends, and the event is in the log.
#[test]
fn slowloris_is_cut_off_by_the_frame_timeout() {
    let server = Server::start(
        "iso87ascii",
        &[
            "--framing",
            "len2",
            "--frame-timeout",
            "400ms",
            "--idle-timeout",
            "60s",
        ],
    );
    let good = request_bytes("approve.hex");
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let mut closed = false;
    // At most 400 bytes, one every 50 ms (20 s): the frame is 2 + several hundred bytes
    // long and never completes; the server must close long before.
    for &b in good.iter().take(400) {
        if slow.write_all(&[b]).is_err() {
            closed = true;
            break;
        }
        let mut buf = [0u8; 1];
        match slow.read(&mut buf) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(_) => panic!("an answer to an incomplete frame"),
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                closed = true;
                break;
            }
        }
    }
    assert!(closed, "the trickling client was never cut off");
    // An honest client is still answered.
    let mut honest = TcpStream::connect(&server.addr).unwrap();
    honest.write_all(&good).unwrap();
    assert!(read_answer(&mut honest).is_some());
    let (status, err, log) = server.stop();
    assert_eq!(status, Some(0));
    assert!(err.contains("--frame-timeout"), "{err}");
    assert!(
        log.iter().any(|l| l["event"] == "frame timeout"),
        "the frame timeout is in the log"
    );
    assert!(err.contains("1 cut off by --frame-timeout"), "{err}");
}

/// Item 11: with the cap full of slow clients (each holding an incomplete frame), honest
/// clients are still answered: each takes the place of the longest idle one.
#[test]
fn honest_clients_are_answered_at_the_cap_full_of_slow_ones() {
    let server = Server::start(
        "iso87ascii",
        &[
            "--framing",
            "len2",
            "--max-connections",
            "100",
            "--frame-timeout",
            "60s",
        ],
    );
    let good = request_bytes("approve.hex");
    let slow: Vec<TcpStream> = (0..100)
        .map(|_| {
            let mut s = TcpStream::connect(&server.addr).unwrap();
            s.write_all(&good[..3]).unwrap();
            s
        })
        .collect();
    // Eviction takes connections idle for a second or more.
    std::thread::sleep(Duration::from_millis(1200));
    // The honest clients stay connected: each new one needs a slow one's place.
    let mut answered = 0;
    let mut honest = Vec::new();
    // On a loaded machine serve may still be accepting the slow ones (they count as idle
    // from their accept): an honest client that finds every place young tries again, a
    // bounded number of times.
    for _ in 0..10 {
        for _attempt in 0..100 {
            let mut h = TcpStream::connect(&server.addr).unwrap();
            if h.write_all(&good).is_ok() && read_answer(&mut h).is_some() {
                answered += 1;
                honest.push(h);
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    assert_eq!(answered, 10, "{}", server.stderr());
    drop((slow, honest));
    let (status, err, log) = server.stop();
    assert_eq!(status, Some(0));
    assert!(err.contains("closed to admit"), "{err}");
    assert!(err.contains("10 evicted at the cap"), "{err}");
    assert_eq!(log.iter().filter(|l| l["event"] == "evicted").count(), 10);
}

/// Item 9, Ctrl-C: an interrupted replay prints its report (exit 130) and its log holds what
/// the report counts.
#[test]
fn interrupted_replay_reports_and_keeps_its_log() {
    let server = Server::start("cup", &[]);
    let replay = LiveReplay::start(&server, "200");
    let ok = std::process::Command::new("kill")
        .args(["-INT", &replay.child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let (r, _) = replay.finish(130);
    assert_eq!(r["ended"], "interrupted", "{r}");
    drop(server);
}

/// Item 10: a stream serve cannot follow (part of a frame, then the client hangs up) is
/// counted and also in the log.
#[test]
fn stream_failures_are_in_the_log() {
    let server = Server::start("iso87ascii", &["--framing", "len2"]);
    let good = request_bytes("approve.hex");
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.write_all(&good[..10]).unwrap();
    drop(s);
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.write_all(&good).unwrap();
    assert!(read_answer(&mut s).is_some());
    drop(s);
    let (status, err, log) = server.stop();
    assert_eq!(status, Some(0));
    assert!(err.contains("1 malformed"), "{err}");
    let bad: Vec<&Value> = log
        .iter()
        .filter(|l| {
            l["error"]
                .as_str()
                .is_some_and(|e| e.contains("incomplete frame"))
        })
        .collect();
    assert_eq!(bad.len(), 1, "{log:?}");
    assert_eq!(bad[0]["bytes"], 10);
}

/// `serve --monitor`: the live view of what it served, one JSON line per interval in a pipe,
/// with its alerts and exit status.
#[test]
fn monitor_shows_the_traffic_served() {
    let dir = tempfile::tempdir().unwrap();
    let traffic = dir.path().join("traffic.jsonl");
    let out = posresp()
        .args([
            "--spec", "cup", "generate", "--count", "200", "--seed", "4", "--out",
        ])
        .arg(&traffic)
        .output()
        .unwrap();
    assert!(out.status.success());
    let rules = dir.path().join("rules.json");
    std::fs::write(
        &rules,
        r#"{"rules": [{"name": "lost", "when": {"mti": "x2xx"}, "every_nth": 10, "action": "drop"},
                      {"when": {"amount": {"ends_with": "7"}}, "code": "51"}]}"#,
    )
    .unwrap();
    let server = Server::start(
        "cup",
        &[
            "--rules",
            rules.to_str().unwrap(),
            "--monitor",
            "--interval",
            "100ms",
            "--window",
            "1h",
            "--alert",
            "approval<99%",
        ],
    );
    let r = replay(
        &server,
        &traffic,
        &["--timeout", "2s", "--concurrency", "8"],
    );
    let answers = r["answers"].as_u64().unwrap();
    let timeouts = r["timeouts"].as_u64().unwrap();
    // Wait for an interval that has seen everything.
    let until = std::time::Instant::now() + Duration::from_secs(30);
    let last = loop {
        let out = server.stdout();
        let seen = out.lines().rev().find_map(|l| {
            let v: Value = serde_json::from_str(l).ok()?;
            (v["responses"].as_u64() == Some(answers)).then_some(v)
        });
        if let Some(v) = seen {
            break v;
        }
        assert!(std::time::Instant::now() < until, "{out}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(last["requests"], 200);
    assert_eq!(last["timeouts"], timeouts);
    let declines = last["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[0] == "51")
        .map_or(0, |c| c[1].as_u64().unwrap());
    assert!(declines > 0, "{last}");
    assert!(last["p50_ms"].as_u64().is_some());
    assert_eq!(last["alerts"][0], "approval<99%");
    let (code, stderr, _) = server.stop();
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.matches("alert approval<99%").count(), 1, "{stderr}");
}

/// A row of testdata/crypto/emv.csv (pyemv's cards): cvn, imk, chip, arc, …, tag91.
fn emv_row(cvn: &str, arc: &str) -> Vec<String> {
    let text = std::fs::read_to_string("testdata/crypto/emv.csv").unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(',').map(String::from).collect::<Vec<_>>())
        .find(|r| r[0] == cvn && r[3] == arc)
        .unwrap()
}

#[test]
fn serve_answers_a_chip_request_with_the_arpc_of_its_arqc() {
    let dir = tempfile::tempdir().unwrap();
    let spec = builtin("iso87ascii").unwrap().unwrap();
    for cvn in ["mc16", "visa18"] {
        let row = emv_row(cvn, "00");
        let (imk, chip, tag91) = (&row[1], &row[2], &row[7]);
        let key = dir.path().join("imk.hex");
        std::fs::write(&key, format!("{imk}\n")).unwrap();
        let server = Server::start(
            "iso87ascii",
            &["--framing", "len2", "--imk-file", key.to_str().unwrap()],
        );
        let n = usize::from_str_radix(&chip[2..4], 16).unwrap() * 2;
        let pan = chip[4..4 + n].trim_end_matches('F').to_string();
        let mut m = posresp::codec::Message {
            mti: "0200".into(),
            ..Default::default()
        };
        for (id, v) in [
            (2u16, pan.as_str()),
            (3, "000000"),
            (4, "000000001000"),
            (11, "000321"),
            (41, "TERM0001"),
            (55, chip.as_str()),
        ] {
            m.fields.insert(
                id,
                posresp::codec::FieldValue {
                    value: v.into(),
                    pad: None,
                },
            );
        }
        let req = posresp::host::respond::seal(&spec, &mut m, None).unwrap();
        let mut s = TcpStream::connect(&server.addr).unwrap();
        s.write_all(&framed(&req)).unwrap();
        let answer = read_answer(&mut s).unwrap();
        assert_eq!(code_of(&answer), "00");
        let mut d = Decoded::default();
        decode_into(&spec, &answer, &FramingChoice::Auto, &mut d).unwrap();
        let f55 = d.get(55).unwrap().to_string();
        assert!(f55.starts_with("91"), "{f55}");
        if cvn == "mc16" {
            // Method 1 with the ARC "00": the ARPC pyemv computed for this card.
            assert_eq!(&f55[4..], tag91.as_str());
        }
        // verify --imk-file agrees: the ARQC is right and the ARPC answers it.
        let rq = dir.path().join("req.hex");
        let rs = dir.path().join("resp.hex");
        std::fs::write(&rq, posresp::codec::encoding::to_hex(&req)).unwrap();
        std::fs::write(&rs, posresp::codec::encoding::to_hex(&answer)).unwrap();
        let out = posresp()
            .args([
                "--spec",
                "iso87ascii",
                "--output",
                "jsonl",
                "verify",
                "--imk-env",
                "IMK",
                "--request",
            ])
            .arg(&rq)
            .arg(&rs)
            .env("IMK", imk)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let arpc: Vec<Value> = text
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|v| v["check"] == "arpc")
            .collect();
        assert_eq!(arpc.len(), 1, "{text}");
        assert_eq!(arpc[0]["result"], "pass", "{text}");
        assert!(!text.contains(imk.as_str()));
        server.stop();
    }
}
