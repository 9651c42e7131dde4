//! `send` signs what it sends (--mac-key-file, --mac-key-env, --mac-algorithm), and
//! `send --replay --repeat N` gives every repeat fresh trace numbers, RRNs and dates.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use assert_cmd::Command;
use common::Server;
use serde_json::Value;

fn posresp() -> Command {
    Command::cargo_bin("posresp").unwrap()
}

const KEY: &str = "0123456789ABCDEFFEDCBA9876543210";

fn codes(log: &[Value]) -> Vec<String> {
    log.iter()
        .filter(|r| r["dir"] == "resp")
        .filter_map(|r| r["code"].as_str().map(String::from))
        .collect()
}

#[test]
fn send_macs_what_it_sends_and_the_host_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("mak.hex");
    std::fs::write(&key, format!("{KEY}\n")).unwrap();
    let key = key.to_str().unwrap().to_string();
    let server = Server::start("iso87ascii", &["--framing", "len2", "--mac-key-file", &key]);
    let send = |extra: &[&str], env: Option<&str>| {
        let mut c = posresp();
        c.args([
            "--spec",
            "iso87ascii",
            "send",
            "--to",
            &server.addr,
            "--framing",
            "len2",
        ])
        .args(extra)
        .arg("testdata/serve/approve.hex")
        .timeout(Duration::from_secs(30));
        if let Some(v) = env {
            c.env("TEST_MAK", v);
        }
        let out = c.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = send(&["--mac-key-file", &key], None);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Response 00"), "{out}");
    let (code, out, err) = send(
        &["--mac-key-env", "TEST_MAK", "--mac-algorithm", "x919"],
        Some(KEY),
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Response 00"), "{out}");
    // Under another key the host's check fails: 63, security violation.
    let (_, out, _) = send(
        &["--mac-key-env", "TEST_MAK"],
        Some("FEDCBA98765432100123456789ABCDEF"),
    );
    assert!(out.contains("Response 63"), "{out}");
    // The key never shows.
    let (code, _, err) = send(&["--mac-key-env", "NOT_SET_ANYWHERE"], None);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("NOT_SET_ANYWHERE") && err.contains("not set"),
        "{err}"
    );
    let (status, serr, log) = server.stop();
    assert_eq!(status, Some(0), "{serr}");
    assert!(serr.contains("1 MAC failures"), "{serr}");
    let reqs: Vec<&Value> = log.iter().filter(|r| r["dir"] == "req").collect();
    assert_eq!(reqs.len(), 3);
    assert!(!serr.contains(KEY));
}

#[test]
fn repeats_get_fresh_trace_numbers_and_new_macs() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("mak.hex");
    std::fs::write(&key, format!("{KEY}\n")).unwrap();
    let key = key.to_str().unwrap().to_string();
    let log = dir.path().join("g.jsonl");
    let out = posresp()
        .args([
            "--spec",
            "iso87ascii",
            "generate",
            "--count",
            "20",
            "--seed",
            "3",
        ])
        .args(["--mac-key-file", &key, "--out"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(out.status.success());
    let server = Server::start("iso87ascii", &["--framing", "len2", "--mac-key-file", &key]);
    let replay = |extra: &[&str]| {
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
            .args(["--framing", "len2", "--repeat", "3", "--replay"])
            .arg(&log)
            .args(extra)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        (v, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (v, err) = replay(&["--mac-key-file", &key]);
    let requests = v["requests"].as_u64().unwrap();
    assert_eq!(v["answers"], requests, "{v}\n{err}");
    // Every answer approved or declined by the log's own mix, none for a bad MAC.
    let (_, serr, slog) = server.stop();
    assert!(serr.contains(" 0 MAC failures"), "{serr}");
    assert!(!codes(&slog).iter().any(|c| c == "63"), "{serr}");
    // Three rounds, each trace number once.
    let spec = posresp::codec::spec::builtin("iso87ascii")
        .unwrap()
        .unwrap();
    let mut traces = HashSet::new();
    for r in slog.iter().filter(|r| r["dir"] == "req") {
        let bytes = posresp::codec::encoding::from_hex(r["hex"].as_str().unwrap()).unwrap();
        let mut d = posresp::codec::Decoded::default();
        posresp::codec::decode_into(
            &spec,
            &bytes,
            &posresp::codec::FramingChoice::Given(
                posresp::codec::FramingSpec::parse_name("len2", &[]).unwrap(),
            ),
            &mut d,
        )
        .unwrap();
        let key = (
            d.get(11).unwrap().to_string(),
            d.get(41).unwrap_or("").to_string(),
            d.mti().to_string(),
        );
        assert!(traces.insert(key.clone()), "trace repeated: {key:?}");
    }
    assert_eq!(traces.len() as u64, requests);
    assert_eq!(requests % 3, 0);
}

#[test]
fn repeats_without_a_key_say_the_macs_are_stale() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("mak.hex");
    std::fs::write(&key, format!("{KEY}\n")).unwrap();
    let key = key.to_str().unwrap().to_string();
    let log = dir.path().join("g.jsonl");
    posresp()
        .args([
            "--spec",
            "iso87ascii",
            "generate",
            "--count",
            "5",
            "--mac-key-file",
            &key,
            "--out",
        ])
        .arg(&log)
        .assert()
        .success();
    let server = Server::start("iso87ascii", &["--framing", "len2", "--mac-key-file", &key]);
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
        .args(["--framing", "len2", "--repeat", "2", "--replay"])
        .arg(&log)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("keep the log's MACs").count(), 1, "{err}");
    let (_, serr, _) = server.stop();
    assert!(
        !serr.contains(" 0 MAC failures"),
        "the second round's MACs fail: {serr}"
    );
}

#[test]
fn send_verify_checks_each_answer_in_the_same_run() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("mak.hex");
    std::fs::write(&key, format!("{KEY}\n")).unwrap();
    let key = key.to_str().unwrap().to_string();
    let server = Server::start("iso87ascii", &["--framing", "len2", "--mac-key-file", &key]);
    let send = |to: &str| {
        let out = posresp()
            .args([
                "--spec",
                "iso87ascii",
                "send",
                "--to",
                to,
                "--framing",
                "len2",
                "--verify",
            ])
            .args(["--mac-key-file", &key, "testdata/serve/approve.hex"])
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = send(&server.addr);
    assert_eq!(code, Some(0), "a correct host passes: {err}");
    // A proxy that changes the echoed amount (and so spoils the host's MAC).
    let rules = dir.path().join("r.json");
    std::fs::write(
        &rules,
        r#"{"rules": [{"name": "wrong amount", "when": {}, "fields": {"4": "000000009999"}}]}"#,
    )
    .unwrap();
    let px = Server::proxy(
        "iso87ascii",
        &server.addr,
        &["--framing", "len2", "--rules", rules.to_str().unwrap()],
    );
    let (code, err) = send(&px.addr);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("verify: field 4 echoed as 000000009999, sent 000000001000"),
        "{err}"
    );
    assert!(
        err.contains("verify: the answer's MAC does not verify"),
        "{err}"
    );
}
