//! `posresp proxy` between `send` and `serve`, and TLS on every link, on loopback only: the
//! real binaries on ephemeral ports. Certificates are made here, per test, with rcgen.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use common::Server;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, SanType,
};
use serde_json::Value;

fn posresp() -> Command {
    Command::cargo_bin("posresp").unwrap()
}

fn serve_data(name: &str) -> String {
    Path::new("testdata/serve").join(name).display().to_string()
}

/// `posresp --spec iso87ascii send --to ADDR --framing len2 … FILES` → (status, stdout, stderr).
fn send(to: &str, files: &[&str], extra: &[&str]) -> (i32, String, String) {
    let paths: Vec<String> = files.iter().map(|f| serve_data(f)).collect();
    let out = posresp()
        .args([
            "--spec",
            "iso87ascii",
            "send",
            "--to",
            to,
            "--framing",
            "len2",
            "--timeout",
            "600ms",
        ])
        .args(extra)
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

fn host(extra: &[&str]) -> Server {
    let mut args = vec!["--framing", "len2"];
    args.extend_from_slice(extra);
    Server::start("iso87ascii", &args)
}

fn proxy(to: &str, extra: &[&str]) -> Server {
    let mut args = vec!["--framing", "len2"];
    args.extend_from_slice(extra);
    Server::proxy("iso87ascii", to, &args)
}

fn hexes<'a>(log: &'a [Value], dir: &str) -> Vec<&'a str> {
    log.iter()
        .filter(|r| r["dir"] == dir)
        .filter_map(|r| r["hex"].as_str())
        .collect()
}

#[test]
fn bytes_pass_unchanged_both_ways_and_both_directions_are_logged() {
    let server = host(&["--unmask"]);
    let px = proxy(&server.addr, &["--unmask"]);
    let dir = tempfile::tempdir().unwrap();
    let sent_log = dir.path().join("sent.jsonl");
    let (code, out, err) = send(
        &px.addr,
        &["approve.hex", "ends51.hex", "echo.hex"],
        &["--unmask", "--log", sent_log.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("Response 00").count(), 3, "{out}");
    let (pstatus, perr, plog) = px.stop();
    let (sstatus, serr, slog) = server.stop();
    assert_eq!((pstatus, sstatus), (Some(0), Some(0)), "{perr}\n{serr}");
    let sent: Vec<Value> = std::fs::read_to_string(&sent_log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // What the terminal sent is what the proxy saw is what the host got; and back.
    assert_eq!(hexes(&sent, "req").len(), 3);
    assert_eq!(hexes(&sent, "req"), hexes(&plog, "req"));
    assert_eq!(hexes(&plog, "req"), hexes(&slog, "req"));
    assert_eq!(hexes(&slog, "resp"), hexes(&plog, "resp"));
    assert_eq!(hexes(&plog, "resp"), hexes(&sent, "resp"));
    // The proxy's answers carry the host's latency as the proxy saw it.
    assert!(
        plog.iter()
            .filter(|r| r["dir"] == "resp")
            .all(|r| r["latency_ms"].as_f64().is_some())
    );
    assert!(perr.contains("3 requests, 3 answers, 0 timeouts"), "{perr}");
}

#[test]
fn the_proxy_log_is_masked_and_stats_reads_it() {
    let server = host(&[]);
    let px = proxy(&server.addr, &[]);
    let (code, out, err) = send(&px.addr, &["approve.hex", "ends51.hex"], &["--brief"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("476173******0119"), "{out}");
    let (_, perr, plog) = px.stop();
    drop(server);
    let text: String = plog.iter().map(|r| r.to_string()).collect();
    // The PAN in hex ASCII (4761739001010119) must not be in the log.
    assert!(!text.contains("34373631373339303031303130313139"), "{text}");
    assert!(plog.iter().all(|r| r["redacted"] == true), "{perr}");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("p.jsonl");
    std::fs::write(
        &log,
        plog.iter().map(|r| format!("{r}\n")).collect::<String>(),
    )
    .unwrap();
    let out = posresp()
        .args(["--spec", "iso87ascii", "--output", "json", "stats"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = if v.is_array() { v[0].clone() } else { v };
    assert_eq!(v["requests"], 2, "{v}");
    assert_eq!(v["responses"], 2, "{v}");
}

#[test]
fn every_fault_rule_acts_on_the_hosts_answer() {
    faults(None);
}

#[test]
fn every_fault_rule_acts_through_tls_on_both_links() {
    faults(Some(&Certs::make()));
}

/// Each rule of testdata/serve/rules.json through the proxy, plain or with mutual TLS on
/// both links.
fn faults(certs: Option<&Certs>) {
    let (host_tls, client_tls) = match certs {
        Some(c) => (c.host_args(true), c.client_args(true)),
        None => (Vec::new(), Vec::new()),
    };
    let server = host(&strs(&host_tls));
    let mut pargs = vec!["--rules".to_string(), "testdata/serve/rules.json".into()];
    pargs.extend(host_tls.iter().cloned());
    pargs.extend(client_tls.iter().cloned());
    let px = proxy(&server.addr, &strs(&pargs));
    let to = px.addr.clone();
    let send = |to: &str, files: &[&str], extra: &[&str]| {
        let mut all = strs(&client_tls);
        all.extend_from_slice(extra);
        send(to, files, &all)
    };

    let (code, _, err) = send(&to, &["drop.hex"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("no answer from") && err.contains("within 600ms"),
        "{err}"
    );

    let (_, _, err) = send(&to, &["close.hex"], &[]);
    assert!(
        err.contains("closed the connection without answering"),
        "{err}"
    );

    let (code, _, err) = send(&to, &["malformed.hex"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("does not decode"), "{err}");

    let (_, _, err) = send(&to, &["truncate.hex"], &[]);
    assert!(err.contains("closed the connection after"), "{err}");

    let (code, out, err) = send(&to, &["duplicate.hex", "approve.hex"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("an answer for another request"), "{err}");
    assert!(out.contains("Response 00"), "{out}");

    // The host approves everything; the rule changes the code on the way.
    let (code, out, err) = send(&to, &["ends51.hex"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Response 51: Not sufficient funds"), "{out}");

    // "slow approval": held back 150 ms by the proxy.
    let (code, out, err) = send(&to, &["approve.hex"], &["--output", "jsonl", "--brief"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert!(v["latency_ms"].as_f64().unwrap() >= 150.0, "{v}");

    let (status, perr, plog) = px.stop();
    let (_, serr, slog) = server.stop();
    assert_eq!(status, Some(0), "{perr}");
    // Every request reached the host, whatever became of its answer.
    assert_eq!(hexes(&slog, "req").len(), 8, "{serr}");
    assert!(serr.contains("8 requests, 8 answers"), "{serr}");
    let acted = |action: &str| {
        plog.iter()
            .filter(|r| r["action"] == action)
            .map(|r| r["rule"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(acted("drop"), ["host down"]);
    assert_eq!(acted("close"), ["hang up"]);
    assert_eq!(acted("malformed"), ["garbage"]);
    assert_eq!(acted("truncate"), ["cut short"]);
    assert_eq!(acted("duplicate"), ["twice"]);
    let changed = plog
        .iter()
        .find(|r| r["rule"] == "insufficient funds")
        .unwrap();
    assert_eq!(changed["code"], "51");
    assert!(perr.contains("faults injected"), "{perr}");
}

/// Bytes of a frame with a 2-byte length.
fn framed(body: &[u8]) -> Vec<u8> {
    let mut v = (body.len() as u16).to_be_bytes().to_vec();
    v.extend_from_slice(body);
    v
}

#[test]
fn a_frame_the_proxy_cannot_decode_is_still_forwarded_and_reported() {
    let server = host(&["--on-malformed", "close"]);
    let px = proxy(&server.addr, &[]);
    let mut s = TcpStream::connect(&px.addr).unwrap();
    let junk = b"0200 this is not ISO 8583 at all";
    s.write_all(&framed(junk)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut rest = Vec::new();
    // The host closes on it; the proxy passes the close on.
    let _ = s.read_to_end(&mut rest);
    assert!(rest.is_empty());
    let (_, perr, plog) = px.stop();
    let (_, _, slog) = server.stop();
    assert!(
        perr.contains("terminal frame 1") && perr.contains("forwarded as it is"),
        "{perr}"
    );
    let noted = plog
        .iter()
        .find(|r| r["event"] == "undecodable frame from the terminal")
        .unwrap();
    assert_eq!(noted["bytes"], junk.len() + 2);
    // The host got the same frame (its log holds its length: it did not decode there either).
    let got = slog.iter().find(|r| r["error"].is_string()).unwrap();
    assert_eq!(got["bytes"], junk.len() + 2);
}

#[test]
fn a_host_that_is_not_there_is_said_and_the_terminal_closed() {
    // A port nothing listens on: bind, note, close.
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().to_string()
    };
    let px = proxy(&addr, &["--connect-timeout", "2s"]);
    let (_, _, err) = send(&px.addr, &["approve.hex"], &[]);
    assert!(err.contains("closed the connection"), "{err}");
    let (_, perr, plog) = px.stop();
    assert!(perr.contains("cannot connect to the host"), "{perr}");
    assert!(plog.iter().any(|r| r["event"] == "host unreachable"));
}

#[test]
fn unanswered_requests_are_timeouts_in_the_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("r.json");
    std::fs::write(
        &rules,
        r#"{"rules": [{"name": "silent", "when": {"terminal": "T0000002"}, "action": "drop"}]}"#,
    )
    .unwrap();
    // The host itself drops the request; the proxy reports it after --timeout.
    let server = host(&["--rules", rules.to_str().unwrap()]);
    let px = proxy(&server.addr, &["--timeout", "200ms"]);
    let (_, _, err) = send(&px.addr, &["drop.hex"], &[]);
    assert!(err.contains("no answer"), "{err}");
    let (_, perr, plog) = px.stop();
    drop(server);
    assert!(
        perr.contains("no answer from the host within 200ms"),
        "{perr}"
    );
    assert!(perr.contains("1 timeouts"), "{perr}");
    assert!(plog.iter().any(|r| r["event"] == "timeout"));
}

#[test]
fn proxy_monitor_shows_the_live_view_of_what_it_relays() {
    let server = host(&[]);
    let px = proxy(
        &server.addr,
        &["--monitor", "--interval", "100ms", "--window", "1h"],
    );
    let (code, _, err) = send(&px.addr, &["approve.hex", "ends51.hex", "echo.hex"], &[]);
    assert_eq!(code, 0, "{err}");
    let until = std::time::Instant::now() + Duration::from_secs(30);
    let last = loop {
        let out = px.stdout();
        let seen = out.lines().rev().find_map(|l| {
            let v: Value = serde_json::from_str(l).ok()?;
            (v["responses"].as_u64() == Some(3)).then_some(v)
        });
        if let Some(v) = seen {
            break v;
        }
        assert!(std::time::Instant::now() < until, "{out}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(last["requests"], 3, "{last}");
    assert!(last["p50_ms"].as_u64().is_some(), "{last}");
    let (code, perr, _) = px.stop();
    assert_eq!(code, Some(0), "{perr}");
}

// ---- TLS ----

/// Certificates for one test: a CA, a host and a terminal signed by it, an expired host, and
/// a CA nobody trusts.
struct Certs {
    dir: tempfile::TempDir,
}

impl Certs {
    fn make() -> Certs {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: String| std::fs::write(dir.path().join(name), text).unwrap();
        let ca = |cn: &str| {
            let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            p.distinguished_name.push(DnType::CommonName, cn);
            CertifiedIssuer::self_signed(p, KeyPair::generate().unwrap()).unwrap()
        };
        let root = ca("posresp test CA");
        let other = ca("some other CA");
        write("ca.pem", root.pem());
        write("other-ca.pem", other.pem());
        let leaf = |name: &str, server: bool, expired: bool| {
            let mut p = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
            p.subject_alt_names
                .push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
            p.distinguished_name.push(DnType::CommonName, name);
            p.extended_key_usages = vec![if server {
                ExtendedKeyUsagePurpose::ServerAuth
            } else {
                ExtendedKeyUsagePurpose::ClientAuth
            }];
            if expired {
                p.not_before = rcgen::date_time_ymd(2020, 1, 1);
                p.not_after = rcgen::date_time_ymd(2021, 1, 1);
            }
            let key = KeyPair::generate().unwrap();
            let cert = p.signed_by(&key, &root).unwrap();
            write(&format!("{name}.pem"), cert.pem());
            write(&format!("{name}.key"), key.serialize_pem());
        };
        leaf("host", true, false);
        leaf("expired", true, true);
        leaf("terminal", false, false);
        Certs { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Every line of base64 of every key file, to look for in outputs.
    fn key_lines(&self) -> Vec<String> {
        ["host.key", "terminal.key", "expired.key"]
            .iter()
            .flat_map(|k| {
                std::fs::read_to_string(self.dir.path().join(k))
                    .unwrap()
                    .lines()
                    .filter(|l| !l.starts_with("-----"))
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn host_args(&self, mutual: bool) -> Vec<String> {
        let mut v = vec![
            "--tls-cert".to_string(),
            self.path("host.pem"),
            "--tls-key".into(),
            self.path("host.key"),
        ];
        if mutual {
            v.extend(["--client-ca".into(), self.path("ca.pem")]);
        }
        v
    }

    fn client_args(&self, mutual: bool) -> Vec<String> {
        let mut v = vec!["--tls".to_string(), "--ca".into(), self.path("ca.pem")];
        if mutual {
            v.extend([
                "--cert".into(),
                self.path("terminal.pem"),
                "--key".into(),
                self.path("terminal.key"),
            ]);
        }
        v
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn assert_no_key_material(certs: &Certs, texts: &[&str]) {
    for line in certs.key_lines() {
        for t in texts {
            assert!(!t.contains(&line), "key material in output: {t}");
        }
    }
    for t in texts {
        assert!(!t.contains("PRIVATE KEY"), "{t}");
    }
}

#[test]
fn tls_send_to_serve_with_and_without_client_certificates() {
    let certs = Certs::make();
    for mutual in [false, true] {
        let server = host(&strs(&certs.host_args(mutual)));
        let (code, out, err) = send(
            &server.addr,
            &["approve.hex"],
            &strs(&certs.client_args(mutual)),
        );
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("Response 00"), "{out}");
        // The name checked can be given (SNI).
        let mut extra = certs.client_args(mutual);
        extra.extend(["--sni".into(), "localhost".into()]);
        let (code, _, err) = send(&server.addr, &["approve.hex"], &strs(&extra));
        assert_eq!(code, 0, "{err}");
        let (status, serr, _) = server.stop();
        assert_eq!(status, Some(0), "{serr}");
        assert!(serr.contains("TLS"), "{serr}");
        assert_no_key_material(&certs, &[&out, &err, &serr]);
    }
}

#[test]
fn tls_replay_works_mutually() {
    let certs = Certs::make();
    let server = host(&strs(&certs.host_args(true)));
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("g.jsonl");
    let out = posresp()
        .args([
            "--spec",
            "iso87ascii",
            "generate",
            "--count",
            "300",
            "--out",
        ])
        .arg(&log)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = posresp()
        .args([
            "--spec",
            "iso87ascii",
            "--output",
            "json",
            "send",
            "--to",
            &server.addr,
        ])
        .args(["--framing", "len2", "--replay"])
        .arg(&log)
        .args(certs.client_args(true))
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["answers"], 300, "{v}");
}

#[test]
fn tls_through_the_proxy_on_both_sides_mutually() {
    let certs = Certs::make();
    let server = host(&strs(&certs.host_args(true)));
    // Towards the terminals: its own certificate and client certificates required; towards
    // the host: TLS with the proxy's client certificate.
    let mut pargs = certs.host_args(true);
    pargs.extend(certs.client_args(true));
    let px = proxy(&server.addr, &strs(&pargs));
    let (code, out, err) = send(
        &px.addr,
        &["approve.hex", "ends51.hex"],
        &strs(&certs.client_args(true)),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("Response 00").count(), 2, "{out}");
    let (pstatus, perr, plog) = px.stop();
    let (_, serr, slog) = server.stop();
    assert_eq!(pstatus, Some(0), "{perr}");
    assert!(
        perr.contains("for terminals in TLS with client certificates"),
        "{perr}"
    );
    assert!(perr.contains("in TLS (spec"), "{perr}");
    assert_eq!(hexes(&plog, "req"), hexes(&slog, "req"));
    assert_eq!(hexes(&plog, "resp"), hexes(&slog, "resp"));
    assert_no_key_material(&certs, &[&out, &err, &perr, &serr]);
}

#[test]
fn handshake_failures_give_one_clear_line_on_each_side() {
    let certs = Certs::make();
    let server = host(&strs(&certs.host_args(true)));
    let line_with = |err: &str, what: &str| {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(what)).collect();
        assert_eq!(lines.len(), 1, "{err}");
        lines[0].to_string()
    };

    // Wrong CA.
    let mut wrong = vec![
        "--tls".to_string(),
        "--ca".into(),
        certs.path("other-ca.pem"),
        "--cert".into(),
        certs.path("terminal.pem"),
        "--key".into(),
        certs.path("terminal.key"),
    ];
    let (code, _, err) = send(&server.addr, &["approve.hex"], &strs(&wrong));
    assert_eq!(code, 2, "{err}");
    let l = line_with(&err, "TLS handshake");
    assert!(
        l.contains("not signed by a trusted CA") && l.contains("--ca"),
        "{l}"
    );

    // No client certificate.
    let (code, _, err) = send(
        &server.addr,
        &["approve.hex"],
        &strs(&certs.client_args(false)),
    );
    assert_ne!(code, 0, "{err}");
    let l = line_with(&err, "TLS");
    assert!(
        l.contains("client certificate") && l.contains("--cert"),
        "{l}"
    );

    // --insecure: the host's certificate is not checked (its CA is not given), the link is
    // still TLS.
    let insecure = [
        "--tls",
        "--insecure",
        "--cert",
        &certs.path("terminal.pem"),
        "--key",
        &certs.path("terminal.key"),
    ]
    .map(String::from);
    let (code, out, err) = send(&server.addr, &["approve.hex"], &strs(&insecure));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Response 00"), "{out}");

    // A plain client at a TLS port.
    let (_, _, err) = send(&server.addr, &["approve.hex"], &[]);
    assert!(err.contains("give --tls"), "{err}");

    let (_, serr, log) = server.stop();
    line_with(&serr, "does not trust this server's certificate");
    line_with(&serr, "the client sent no certificate");
    line_with(&serr, "does not speak TLS");
    assert!(log.iter().any(|r| r["event"] == "tls handshake failed"));

    // An expired host certificate.
    let expired = host(&[
        "--tls-cert",
        &certs.path("expired.pem"),
        "--tls-key",
        &certs.path("expired.key"),
    ]);
    let (code, _, err) = send(
        &expired.addr,
        &["approve.hex"],
        &strs(&certs.client_args(false)),
    );
    assert_eq!(code, 2, "{err}");
    let l = line_with(&err, "TLS handshake");
    assert!(l.contains("expired on 2021-01-01"), "{l}");
    drop(expired);

    // A key that is not the certificate's: refused at start, naming the files only.
    wrong = vec![
        "--tls-cert".into(),
        certs.path("host.pem"),
        "--tls-key".into(),
        certs.path("terminal.key"),
    ];
    let out = posresp()
        .args(["--spec", "iso87ascii", "serve", "--framing", "len2"])
        .args(["--listen", "127.0.0.1:0"])
        .args(&wrong)
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("the key is not the certificate's"), "{err}");
    assert_no_key_material(&certs, &[&err]);
}

#[test]
fn tls_options_need_their_partners() {
    let out = posresp()
        .args([
            "--spec",
            "iso87ascii",
            "send",
            "--to",
            "127.0.0.1:1",
            "--ca",
            "x.pem",
        ])
        .arg(serve_data("approve.hex"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tls"));
    let p = PathBuf::from("nonexistent-key.pem");
    let out = posresp()
        .args(["--spec", "iso87ascii", "serve", "--framing", "len2"])
        .args(["--tls-cert", "testdata/serve/approve.hex"])
        .arg("--tls-key")
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("testdata/serve/approve.hex") && err.contains("no certificate"),
        "{err}"
    );
}

#[test]
fn a_changed_answer_is_re_maced_with_the_key_and_said_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("mak.hex");
    std::fs::write(&key, "0123456789ABCDEFFEDCBA9876543210\n").unwrap();
    let key = key.to_str().unwrap().to_string();
    let rules = dir.path().join("r.json");
    std::fs::write(
        &rules,
        r#"{"rules": [{"name": "refuse", "when": {}, "code": "05"}]}"#,
    )
    .unwrap();
    let out = posresp()
        .args([
            "--spec",
            "iso87ascii",
            "generate",
            "--count",
            "1",
            "--kinds",
            "purchase=1",
        ])
        .args(["--mix", "00=1", "--format", "hex", "--mac-key-file", &key])
        .output()
        .unwrap();
    let request = String::from_utf8(out.stdout).unwrap();
    let bytes = posresp::input::parse_hex_text(request.lines().next().unwrap()).unwrap();
    let server = host(&["--mac-key-file", &key]);
    for with_key in [true, false] {
        let mut args = vec!["--rules", rules.to_str().unwrap()];
        if with_key {
            args.extend(["--mac-key-file", &key]);
        }
        let px = proxy(&server.addr, &args);
        let mut s = TcpStream::connect(&px.addr).unwrap();
        s.write_all(&framed(&bytes)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut len = [0u8; 2];
        s.read_exact(&mut len).unwrap();
        let mut body = vec![0u8; u16::from_be_bytes(len) as usize];
        s.read_exact(&mut body).unwrap();
        let out = posresp()
            .args([
                "--spec",
                "iso87ascii",
                "--output",
                "json",
                "verify",
                "--key-file",
                &key,
            ])
            .arg(posresp::codec::encoding::to_hex(&body))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let (_, perr, _) = px.stop();
        if with_key {
            assert_eq!(out.status.code(), Some(0), "the new MAC verifies: {text}");
            assert!(!perr.contains("keeps the host's MAC"), "{perr}");
        } else {
            assert_eq!(
                out.status.code(),
                Some(1),
                "the host's MAC no longer fits: {text}"
            );
            assert_eq!(perr.matches("keeps the host's MAC").count(), 1, "{perr}");
        }
        let spec = posresp::codec::spec::builtin("iso87ascii")
            .unwrap()
            .unwrap();
        let mut d = posresp::codec::Decoded::default();
        posresp::codec::decode_into(
            &spec,
            &body,
            &posresp::codec::FramingChoice::Given(posresp::codec::FramingSpec::default()),
            &mut d,
        )
        .unwrap();
        assert_eq!(d.get(39), Some("05"));
    }
}
