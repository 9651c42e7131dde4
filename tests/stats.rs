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

/// A generated log with its latencies and timeouts, for the finding tests.
fn generated(count: &str, seed: &str) -> (tempfile::TempDir, std::path::PathBuf, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    let out = posresp()
        .args([
            "--spec", "cup", "generate", "--count", count, "--seed", seed,
        ])
        .args(["--timeouts", "5%", "--out"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let recs = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (dir, path, recs)
}

fn stats_json(args: &[&str], path: &std::path::Path) -> (Value, String, i32) {
    let out = posresp()
        .args(["--output", "json", "stats"])
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    (
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap(),
    )
}

#[test]
fn lists_of_the_slow_and_the_lost() {
    let (_d, path, recs) = generated("400", "3");
    let mut lat: Vec<u64> = recs
        .iter()
        .filter_map(|r| r["latency_ms"].as_u64())
        .collect();
    lat.sort_unstable_by(|a, b| b.cmp(a));
    // Requests followed by another request: the generator left them unanswered.
    let unanswered: Vec<&Value> = recs
        .windows(2)
        .filter(|w| w[0]["dir"] == "req" && w[1]["dir"] == "req")
        .map(|w| &w[0])
        .chain(recs.last().filter(|r| r["dir"] == "req"))
        .collect();
    let (r, _, code) = stats_json(
        &[
            "--list", "slow", "--list", "timeouts", "--limit", "5", "--slow", "1s",
        ],
        &path,
    );
    assert_eq!(code, 0);
    let slowest: Vec<u64> = r["slowest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["latency_ms"].as_u64().unwrap())
        .collect();
    assert_eq!(slowest, lat[..5].to_vec());
    assert_eq!(
        r["slow"]["count"],
        lat.iter().filter(|&&l| l > 1000).count() as u64
    );
    let timed: Vec<&str> = r["timed_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["ts"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = unanswered
        .iter()
        .take(5)
        .map(|r| r["ts"].as_str().unwrap())
        .collect();
    assert_eq!(timed, want);
    assert_eq!(r["timeouts"], unanswered.len() as u64);
}

#[test]
fn alerts_set_the_exit_status() {
    let (_d, path, _) = generated("300", "4");
    let (r, stderr, code) = stats_json(&["--alert", "timeouts>1%", "--alert", "p99>3600s"], &path);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("alert timeouts>1%: timeouts is"),
        "{stderr}"
    );
    assert_eq!(r["alerts"].as_array().unwrap().len(), 1);
    let (_, stderr, code) = stats_json(
        &["--alert", "timeouts>50%", "--alert", "approval<1%"],
        &path,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.is_empty());
    let (_, stderr, code) = stats_json(&["--alert", "p99>800"], &path);
    assert_eq!(code, 2);
    assert!(stderr.contains("unit"), "{stderr}");
    let (_, stderr, code) = stats_json(&["--alert", "slow>3"], &path);
    assert_eq!(code, 2);
    assert!(stderr.contains("--slow"), "{stderr}");
}

#[test]
fn where_keeps_what_matches() {
    let (_d, path, _) = generated("300", "5");
    let (all, _, _) = stats_json(&["--by", "terminal"], &path);
    let (one, _, code) = stats_json(&["--where", "41=T0000003"], &path);
    assert_eq!(code, 0);
    let g = &all["breakdown"]["T0000003"];
    assert_eq!(one["requests"], g["requests"]);
    assert_eq!(one["responses"], g["responses"]);
    assert_eq!(one["timeouts"], g["timeouts"]);
    let (declined, _, _) = stats_json(&["--where", "39!=00"], &path);
    assert_eq!(declined["requests"], 0);
    let approved = all["by_code"]["00"]["count"].as_u64().unwrap();
    assert_eq!(
        declined["responses"].as_u64().unwrap(),
        all["responses"].as_u64().unwrap() - approved
    );
    // decode --where prints the matching messages only, numbered as in the whole log.
    let out = posresp()
        .args(["--output", "jsonl", "decode", "--brief", "--where", "39=51"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.is_empty());
    for l in text.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["fields"]["39"], "51");
        assert!(v["index"].as_u64().unwrap() > 0);
    }
    let out = posresp()
        .args(["decode", "--where", "amount>5"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither a field number"));
}

/// The same traffic written with the timestamps real logs carry gives the same latencies.
#[test]
fn timestamps_in_the_forms_logs_write_them() {
    let (dir, path, recs) = generated("200", "6");
    let (base, _, _) = stats_json(&[], &path);
    // 2026-11-26T00:00:01.234Z → its parts.
    let parts = |ts: &str| -> (String, String, String, String) {
        let (date, time) = ts.trim_end_matches('Z').split_once('T').unwrap();
        let d: Vec<&str> = date.split('-').collect();
        (d[0].into(), d[1].into(), d[2].into(), time.into())
    };
    let epoch_ms = |ts: &str| -> u64 {
        let (_, _, day, time) = parts(ts);
        let day: u64 = day.parse().unwrap();
        let (hms, ms) = time.split_once('.').unwrap();
        let t: Vec<u64> = hms.split(':').map(|x| x.parse().unwrap()).collect();
        // 2026-11-01 00:00:00 UTC
        (1_793_491_200 + (day - 1) * 86_400 + t[0] * 3600 + t[1] * 60 + t[2]) * 1000
            + ms.parse::<u64>().unwrap()
    };
    type Writer<'a> = Box<dyn Fn(&str) -> String + 'a>;
    let forms: Vec<(&str, Writer, Vec<&str>)> = vec![
        (
            "syslog",
            Box::new(|ts| format!("Nov {} {} pos-gw posd[812]:", parts(ts).2, parts(ts).3)),
            vec![],
        ),
        (
            "dd/mm/yyyy",
            Box::new(|ts| {
                let (y, m, d, t) = parts(ts);
                format!("{d}/{m}/{y} {t}")
            }),
            vec![],
        ),
        (
            "epoch ms",
            Box::new(move |ts| epoch_ms(ts).to_string()),
            vec![],
        ),
        (
            "custom",
            Box::new(|ts| {
                let (y, m, d, t) = parts(ts);
                format!("{d}{m}{y}@{}", t.replace(':', ""))
            }),
            vec!["--ts-format", "%d%m%Y@%H%M%S.%f"],
        ),
    ];
    for (name, write, extra) in forms {
        let mut text = String::new();
        for r in &recs {
            text.push_str(&format!(
                "{} {} {}\n",
                write(r["ts"].as_str().unwrap()),
                r["dir"].as_str().unwrap(),
                r["hex"].as_str().unwrap()
            ));
        }
        let p = dir
            .path()
            .join(format!("{}.log", name.replace(['/', ' '], "_")));
        std::fs::write(&p, text).unwrap();
        let (got, stderr, code) = stats_json(&extra, &p);
        assert_eq!(code, 0, "{name}: {stderr}");
        assert!(stderr.is_empty(), "{name}: {stderr}");
        assert_eq!(got["latency_ms"], base["latency_ms"], "{name}");
        assert_eq!(got["timeouts"], base["timeouts"], "{name}");
        if name == "custom" {
            // Without the pattern, stats says it cannot read them.
            let (got, stderr, _) = stats_json(&[], &p);
            assert!(stderr.contains("timestamps not understood"), "{stderr}");
            assert!(stderr.contains("--ts-format"), "{stderr}");
            assert_eq!(got["unread_timestamps"], recs.len() as u64);
        }
    }
    // A time window: only the messages inside it.
    let (win, _, _) = stats_json(
        &[
            "--from",
            "2026-11-26T00:00:02Z",
            "--to",
            "2026-11-26 00:00:04",
        ],
        &path,
    );
    let inside = recs
        .iter()
        .filter(|r| {
            let t = r["ts"].as_str().unwrap();
            ("2026-11-26T00:00:02".."2026-11-26T00:00:04").contains(&&t[..19])
        })
        .count() as u64;
    assert_eq!(win["messages"], inside);
    let (_, stderr, code) = stats_json(&["--from", "yesterday"], &path);
    assert_eq!(code, 2);
    assert!(stderr.contains("--from"), "{stderr}");
}

/// Ctrl-C during a long run: the report of what was read, exit status 130.
#[test]
fn interrupted_runs_report_what_they_read() {
    use std::io::Write as _;
    let (_d, path, _) = generated("500", "7");
    let chunk = std::fs::read(&path).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("posresp"))
        .args(["--output", "json", "stats", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    // An endless log: the same chunk again and again, until stats stops reading.
    std::thread::spawn(move || {
        let mut n = 0;
        while stdin.write_all(&chunk).is_ok() {
            n += 1;
            let _ = tx.send(n);
        }
    });
    // Well past what a pipe holds: stats is reading.
    while rx.recv_timeout(std::time::Duration::from_secs(60)).unwrap() < 20 {}
    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted: the figures cover the"),
        "{stderr}"
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["interrupted"], true);
    assert!(r["messages"].as_u64().unwrap() > 1000);
    assert_eq!(
        r["messages"].as_u64().unwrap(),
        r["requests"].as_u64().unwrap()
            + r["responses"].as_u64().unwrap()
            + r["undecodable"].as_u64().unwrap()
    );
}

/// Latency per --by group: the groups' counts add up, and the slowest group holds the
/// slowest response.
#[test]
fn latency_per_group() {
    let (_d, path, _) = generated("400", "8");
    for by in ["terminal", "merchant", "code", "hour"] {
        let (r, _, code) = stats_json(&["--by", by], &path);
        assert_eq!(code, 0);
        let groups = r["breakdown"].as_object().unwrap();
        let count: u64 = groups
            .values()
            .filter_map(|g| g["latency_ms"]["count"].as_u64())
            .sum();
        assert_eq!(count, r["latency_ms"]["count"].as_u64().unwrap(), "{by}");
        let max = groups
            .values()
            .filter_map(|g| g["latency_ms"]["max"].as_u64())
            .max()
            .unwrap();
        assert_eq!(max, r["latency_ms"]["max"].as_u64().unwrap(), "{by}");
        for g in groups.values().filter(|g| g.get("latency_ms").is_some()) {
            let l = &g["latency_ms"];
            assert!(
                l["p50"].as_u64() <= l["p99"].as_u64() && l["p99"].as_u64() <= l["max"].as_u64()
            );
        }
    }
}
