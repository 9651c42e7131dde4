//! `posresp stats`: conserved counts, exact percentiles, pairing by key and timestamps.

use assert_cmd::Command;
use serde_json::Value;

fn posresp() -> Command {
    Command::cargo_bin("posresp").unwrap()
}

fn nearest_rank(sorted: &[u64], p: f64) -> u64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

#[test]
fn counts_are_conserved_and_percentiles_exact() {
    let log = posresp()
        .args([
            "--spec",
            "cup",
            "generate",
            "--count",
            "5000",
            "--seed",
            "11",
            "--timeouts",
            "2%",
        ])
        .output()
        .unwrap()
        .stdout;
    let text = String::from_utf8(log.clone()).unwrap();
    let mut lat: Vec<u64> = Vec::new();
    let (mut req, mut resp) = (0u64, 0u64);
    for l in text.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        if v["dir"] == "req" {
            req += 1;
        } else {
            resp += 1;
            lat.push(v["latency_ms"].as_u64().unwrap());
        }
    }
    lat.sort_unstable();
    let out = posresp()
        .args(["--output", "json", "stats", "-"])
        .write_stdin(log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["requests"], req);
    assert_eq!(s["responses"], resp);
    assert_eq!(s["messages"], req + resp);
    assert_eq!(
        s["timeouts"],
        req - resp,
        "every unanswered request is a timeout"
    );
    assert_eq!(s["responses_without_request"], 0);
    let codes: u64 = s["by_code"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(codes, resp);
    let mtis: u64 = s["by_mti"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(mtis, req + resp);
    let l = &s["latency_ms"];
    assert_eq!(l["p50"], nearest_rank(&lat, 0.50));
    assert_eq!(l["p90"], nearest_rank(&lat, 0.90));
    assert_eq!(l["p99"], nearest_rank(&lat, 0.99));
    assert_eq!(l["max"], *lat.last().unwrap());
    let approved = s["by_category"]["approved"].as_u64().unwrap();
    assert!((s["approval_rate"].as_f64().unwrap() - approved as f64 / resp as f64).abs() < 1e-9);
}

#[test]
fn latency_from_timestamps_when_the_log_has_none() {
    // Line log: each response follows its request by 1.037 s (see testdata/iso87ascii-traffic.log).
    let out = posresp()
        .args([
            "--output",
            "json",
            "stats",
            "testdata/iso87ascii-traffic.log",
        ])
        .output()
        .unwrap();
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["requests"], 3);
    assert_eq!(s["responses"], 4);
    assert_eq!(
        s["responses_without_request"], 1,
        "the last 0210 has no request in the log"
    );
    assert_eq!(s["latency_ms"]["count"], 3);
    assert_eq!(s["latency_ms"]["p50"], 1037);
}

#[test]
fn breakdowns_add_up() {
    let log = posresp()
        .args([
            "--spec",
            "iso87ascii",
            "generate",
            "--count",
            "3000",
            "--seed",
            "3",
            "--terminals",
            "7",
        ])
        .output()
        .unwrap()
        .stdout;
    for by in ["terminal", "merchant", "code", "hour"] {
        let out = posresp()
            .args(["--output", "json", "stats", "--by", by, "-"])
            .write_stdin(log.clone())
            .output()
            .unwrap();
        let s: Value = serde_json::from_slice(&out.stdout).unwrap();
        let b = s["breakdown"].as_object().unwrap();
        let responses: u64 = b.values().map(|g| g["responses"].as_u64().unwrap()).sum();
        assert_eq!(responses, s["responses"].as_u64().unwrap(), "{by}");
        if by == "terminal" {
            assert_eq!(b.len(), 7);
            let requests: u64 = b.values().map(|g| g["requests"].as_u64().unwrap()).sum();
            assert_eq!(requests, 3000);
        }
    }
    posresp()
        .args(["stats", "-"])
        .write_stdin(log)
        .assert()
        .success();
}

#[test]
fn jpos_xml_logs_are_counted() {
    let out = posresp()
        .args(["--output", "json", "stats", "testdata/jpos-xml-log.xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["messages"], 2, "{v}");
    assert_eq!(v["undecodable"], 0, "{v}");
    // The round trip is the time between the send (…16.019) and the receive (…16.104)
    // events, not jPOS's lifespan (how long the log event took).
    let xml = std::fs::read_to_string("testdata/jpos-xml-log.xml")
        .unwrap()
        .replace("lifespan=\"85ms\"", "lifespan=\"3ms\"");
    let out = posresp()
        .args(["--output", "json", "stats", "-"])
        .write_stdin(xml)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["latency_ms"]["max"], 85, "{v}");
}

#[test]
fn bad_messages_are_reported_counted_and_exit_2() {
    let out = posresp()
        .args([
            "--output",
            "json",
            "stats",
            "testdata/iso87ascii-with-bad-message.log",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["undecodable"], 1, "{v}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("message 2 (line 2): field 4 at byte 26"),
        "{err}"
    );
}

/// Item 18: `messages` means every record read; line-level and message-level failures both
/// count as undecodable, and the totals add up.
#[test]
fn totals_add_up_with_bad_lines_and_bad_messages() {
    let good = std::fs::read_to_string("testdata/iso87ascii-traffic.log").unwrap();
    let log = format!("{good}not a message at all\n3032303030\n");
    let out = posresp()
        .args(["--spec", "iso87ascii", "--output", "json", "stats", "-"])
        .write_stdin(log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["messages"], 9, "{v}");
    assert_eq!(v["undecodable"], 2, "{v}");
    let n = |k: &str| v[k].as_u64().unwrap();
    assert_eq!(
        n("messages"),
        n("requests") + n("responses") + n("undecodable"),
        "{v}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("message 8 (line 8"), "{err}");
    assert!(err.contains("message 9 (line 9)"), "{err}");
}
