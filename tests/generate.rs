//! `posresp generate`: deterministic, decodable, verifiable, with the asked-for mix.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn posresp() -> Command {
    Command::cargo_bin("posresp").unwrap()
}

fn run(args: &[&str]) -> Vec<u8> {
    let out = posresp().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn same_seed_same_bytes_for_every_spec_and_format() {
    for spec in [
        "iso87ascii",
        "iso87ascii-binary-bitmap",
        "iso87binary",
        "iso93ascii",
        "cup",
    ] {
        for format in ["jsonl", "hex", "bin"] {
            let a = run(&[
                "--spec", spec, "generate", "--count", "300", "--seed", "42", "--format", format,
            ]);
            let b = run(&[
                "--spec", spec, "generate", "--count", "300", "--seed", "42", "--format", format,
            ]);
            assert_eq!(a, b, "{spec} {format}");
            let c = run(&[
                "--spec", spec, "generate", "--count", "300", "--seed", "43", "--format", format,
            ]);
            assert_ne!(a, c, "{spec} {format}: another seed, other traffic");
        }
    }
}

#[test]
fn every_generated_message_decodes_and_verifies_with_macs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (spec, key) in [
        ("cup", "0123456789ABCDEF"),
        ("iso87ascii", "7CA110454A1A6E570131D9619DC1376E"),
        ("iso87binary", "0123456789ABCDEF"),
        ("iso93ascii", "7CA110454A1A6E570131D9619DC1376E"),
    ] {
        let kf = dir.join(format!("posresp-gen-{spec}.key"));
        std::fs::write(&kf, key).unwrap();
        let log = run(&[
            "--spec",
            spec,
            "generate",
            "--count",
            "500",
            "--seed",
            "9",
            "--mac-key-file",
            kf.to_str().unwrap(),
        ]);
        let out = posresp()
            .args([
                "--spec",
                spec,
                "--output",
                "jsonl",
                "verify",
                "-",
                "--key-file",
                kf.to_str().unwrap(),
            ])
            .write_stdin(log.clone())
            .output()
            .unwrap();
        let rows: Vec<Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let failed: Vec<&Value> = rows
            .iter()
            .filter(|r| r.get("summary").is_none())
            .filter(|r| r["result"] != "pass" && r["result"] != "skip")
            .collect();
        assert!(failed.is_empty(), "{spec}: {failed:?}");
        assert_eq!(out.status.code(), Some(0), "{spec}");
        let macs = rows
            .iter()
            .filter(|r| r["check"] == "mac" && r["result"] == "pass")
            .count();
        let lines = log.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(macs, lines, "{spec}: every message carries a valid MAC");
    }
}

#[test]
fn the_code_mix_and_timeouts_follow_the_request() {
    let log = run(&[
        "--spec",
        "iso87ascii",
        "generate",
        "--count",
        "100000",
        "--seed",
        "5",
        "--kinds",
        "purchase=1",
        "--mix",
        "00=90,51=4,05=3,91=2,55=1",
        "--timeouts",
        "0.5%",
        "--format",
        "hex",
    ]);
    let out = posresp()
        .args([
            "--spec",
            "iso87ascii",
            "--output",
            "jsonl",
            "decode",
            "--brief",
            "-",
        ])
        .write_stdin(log)
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut counts = std::collections::BTreeMap::new();
    let (mut req, mut resp) = (0, 0);
    for l in String::from_utf8(out.stdout).unwrap().lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        match v["fields"]["39"].as_str() {
            Some(c) => {
                *counts.entry(c.to_string()).or_insert(0u32) += 1;
                resp += 1;
            }
            None => req += 1,
        }
    }
    assert_eq!(req, 100_000);
    let timeouts = req - resp;
    assert!(
        (400..=600).contains(&timeouts),
        "0.5% of 100 000 = 500 ± 100, got {timeouts}"
    );
    for (code, weight) in [
        ("00", 0.90),
        ("51", 0.04),
        ("05", 0.03),
        ("91", 0.02),
        ("55", 0.01),
    ] {
        let share = f64::from(counts[code]) / f64::from(resp);
        assert!(
            (share - weight).abs() < 0.005,
            "{code}: {share} vs {weight}"
        );
    }
}

#[test]
fn traces_increase_per_terminal_and_echo_fields_match() {
    let log = run(&[
        "--spec",
        "iso87ascii",
        "generate",
        "--count",
        "200",
        "--seed",
        "1",
        "--terminals",
        "3",
        "--kinds",
        "purchase=1",
        "--format",
        "hex",
    ]);
    let out = posresp()
        .args([
            "--unmask",
            "--spec",
            "iso87ascii",
            "--output",
            "jsonl",
            "decode",
            "--brief",
            "-",
        ])
        .write_stdin(log)
        .output()
        .unwrap();
    let msgs: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut last: std::collections::HashMap<String, u32> = Default::default();
    for pair in msgs.chunks(2) {
        let (rq, rs) = (&pair[0]["fields"], &pair[1]["fields"]);
        for id in ["2", "3", "4", "11", "41", "42", "49"] {
            assert_eq!(rq[id], rs[id], "field {id} echoed");
        }
        let pan = rq["2"].as_str().unwrap();
        assert!(posresp::check::luhn_valid(pan).unwrap(), "Luhn-valid PAN");
        let term = rq["41"].as_str().unwrap().to_string();
        let stan: u32 = rq["11"].as_str().unwrap().parse().unwrap();
        if let Some(prev) = last.insert(term, stan) {
            assert!(stan > prev, "trace numbers increase per terminal");
        }
    }
}

#[test]
fn bad_options_are_refused_clearly() {
    posresp()
        .args(["--spec", "iso87ascii", "generate", "--mix", "00=90,ZZ=10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "\"ZZ\" is not a iso87 response code",
        ));
    posresp()
        .args(["generate", "--timeouts", "150%"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("between 0 and 100%"));
    posresp()
        .args(["generate", "--latency", "gauss:1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("lognormal:median"));
    posresp()
        .args(["generate", "--kinds", "teleport=1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not one of purchase"));
}

#[test]
fn generated_traffic_is_a_posresp_log() {
    let log = run(&[
        "--spec",
        "cup",
        "generate",
        "--count",
        "50",
        "--seed",
        "2",
        "--timeouts",
        "10%",
    ]);
    let text = String::from_utf8(log).unwrap();
    let mut prev_req_ts = String::new();
    for l in text.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["spec"], "cup");
        let ts = v["ts"].as_str().unwrap();
        assert_eq!(ts.len(), 24, "RFC 3339 with milliseconds: {ts}");
        if v["dir"] == "req" {
            assert!(ts > prev_req_ts.as_str(), "timestamps advance");
            prev_req_ts = ts.to_string();
        } else {
            assert!(v["latency_ms"].as_u64().unwrap() > 0);
        }
    }
    // decode reads it as a log, with directions and timestamps.
    let out = posresp()
        .args(["--output", "jsonl", "decode", "--brief", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success());
}

/// Issue 15, bug 1: a spec name with a quote no longer breaks generate's log lines (the log
/// record is written in one place, escaped).
#[test]
fn a_spec_name_with_quotes_gives_valid_log_lines() {
    let dir = tempfile::tempdir().unwrap();
    let out = posresp()
        .args(["spec", "export", "iso87ascii"])
        .output()
        .unwrap();
    let mut spec: Value = serde_json::from_slice(&out.stdout).unwrap();
    spec["name"] = Value::String("my\"spec\\".into());
    let path = dir.path().join("q.json");
    std::fs::write(&path, spec.to_string()).unwrap();
    let out = posresp()
        .args(["--spec", path.to_str().unwrap(), "generate", "--count", "3"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 6);
    for l in text.lines() {
        let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
        assert_eq!(v["spec"], "my\"spec\\");
    }
}

/// `--start --rate --duration --profile day`: a day of traffic in time order, busiest at
/// lunch and in the evening, quiet at night.
#[test]
fn a_day_of_traffic_in_time_order() {
    let out = posresp()
        .args([
            "--spec",
            "cup",
            "generate",
            "--start",
            "2026-12-01T00:00:00Z",
        ])
        .args(["--rate", "0.1", "--duration", "24h", "--profile", "day"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let reqs: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["dir"] == "req")
        .map(|v| v["ts"].as_str().unwrap().to_string())
        .collect();
    // 0.1 a second on average over 24 hours.
    assert_eq!(reqs.len(), 8_640);
    assert!(
        reqs.windows(2).all(|w| w[0] <= w[1]),
        "requests in time order"
    );
    assert!(reqs[0].starts_with("2026-12-01T00:"));
    assert!(reqs.last().unwrap().starts_with("2026-12-01T23:"));
    let per_hour = |h: &str| reqs.iter().filter(|t| &t[11..13] == h).count();
    assert!(
        per_hour("12") > 10 * per_hour("03"),
        "{} vs {}",
        per_hour("12"),
        per_hour("03")
    );
    assert!(per_hour("18") > per_hour("15"));
    // --count and --duration are two answers to one question.
    posresp()
        .args(["generate", "--count", "5", "--duration", "1h"])
        .assert()
        .failure();
    let bad = posresp()
        .args(["generate", "--start", "soon"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--start"));
}
