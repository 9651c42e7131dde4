//! `stats --follow`: a log appended to while it is watched, rotated and truncated; alerts
//! and their exit status; the metrics endpoint. The tests wait for what they expect to be
//! printed (with a generous overall bound) rather than for a fixed time, so a slow machine
//! only makes them slower.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::cargo::cargo_bin;
use serde_json::Value;

fn generated(count: &str, seed: &str, timeouts: &str) -> Vec<String> {
    let out = Command::new(cargo_bin("posresp"))
        .args([
            "--spec", "cup", "generate", "--count", count, "--seed", seed,
        ])
        .args(["--timeouts", timeouts])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| format!("{l}\n"))
        .collect()
}

fn append(path: &Path, lines: &[String]) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .unwrap();
    f.write_all(lines.concat().as_bytes()).unwrap();
}

struct Follower {
    child: Child,
    lines: mpsc::Receiver<Value>,
}

impl Follower {
    fn start(log: &Path, extra: &[&str]) -> Follower {
        let mut child = Command::new(cargo_bin("posresp"))
            .args(["stats", "--follow", "--interval", "100ms", "--window", "1h"])
            .args(extra)
            .arg(log)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out: ChildStdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(serde_json::from_str(&line).unwrap()).is_err() {
                    break;
                }
            }
        });
        Follower { child, lines: rx }
    }

    /// The first interval line that satisfies `cond`.
    fn until(&self, what: &str, cond: impl Fn(&Value) -> bool) -> Value {
        loop {
            match self.lines.recv_timeout(Duration::from_secs(60)) {
                Ok(v) if cond(&v) => return v,
                Ok(_) => {}
                Err(e) => panic!("waiting for {what}: {e}"),
            }
        }
    }

    /// Stop with SIGINT: exit status and stderr.
    fn stop(mut self) -> (i32, String) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-INT", &pid])
                .status()
                .unwrap()
                .success()
        );
        let status = self.child.wait().unwrap();
        let mut err = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        (status.code().unwrap_or(-1), err)
    }
}

fn count(lines: &[String], dir: &str) -> u64 {
    lines
        .iter()
        .filter(|l| l.contains(&format!("\"dir\":\"{dir}\"")))
        .count() as u64
}

#[test]
fn appended_lines_are_counted_as_they_come() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("t.jsonl");
    let lines = generated("300", "1", "0");
    append(&log, &lines[..100]);
    // Without --from-start, what is there already is not counted.
    let f = Follower::start(&log, &[]);
    f.until("an empty first interval", |v| v["requests"] == 0);
    append(&log, &lines[100..]);
    let rest = &lines[100..];
    let (req, resp) = (count(rest, "req"), count(rest, "resp"));
    let v = f.until("the appended lines", |v| {
        v["requests"] == req && v["responses"] == resp
    });
    assert!(v["p50_ms"].as_u64().is_some());
    assert!(v["ts"].as_str().unwrap().ends_with('Z'));
    let (code, err) = f.stop();
    assert_eq!(code, 0, "{err}");
}

#[test]
fn rotation_and_truncation_are_survived() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("t.jsonl");
    let lines = generated("300", "2", "0");
    let (a, b, c) = (&lines[..200], &lines[200..400], &lines[400..]);
    append(&log, a);
    let f = Follower::start(&log, &["--from-start"]);
    let seen = |part: &[&[String]]| -> (u64, u64) {
        let all: Vec<String> = part.iter().flat_map(|p| p.iter().cloned()).collect();
        (count(&all, "req"), count(&all, "resp"))
    };
    let want = seen(&[a]);
    f.until("the first part", |v| {
        (
            v["requests"].as_u64().unwrap(),
            v["responses"].as_u64().unwrap(),
        ) == want
    });
    // Rotation: the log is renamed and a new one takes its name.
    std::fs::rename(&log, dir.path().join("t.jsonl.1")).unwrap();
    append(&log, b);
    let want = seen(&[a, b]);
    f.until("the rotated part", |v| {
        (
            v["requests"].as_u64().unwrap(),
            v["responses"].as_u64().unwrap(),
        ) == want
    });
    // Truncation: the same file starts again.
    std::fs::write(&log, "").unwrap();
    append(&log, c);
    let want = seen(&[a, b, c]);
    f.until("the part after truncation", |v| {
        (
            v["requests"].as_u64().unwrap(),
            v["responses"].as_u64().unwrap(),
        ) == want
    });
    let (code, err) = f.stop();
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("was rotated"), "{err}");
    assert!(err.contains("was truncated"), "{err}");
}

#[test]
fn alerts_start_and_stop_and_set_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("t.jsonl");
    // Unanswered requests time out after --timeout.
    let lines = generated("200", "3", "10%");
    append(&log, &lines);
    let f = Follower::start(
        &log,
        &[
            "--from-start",
            "--timeout",
            "200ms",
            "--alert",
            "timeouts>2%",
        ],
    );
    let unanswered = lines
        .windows(2)
        .filter(|w| w[0].contains("\"dir\":\"req\"") && w[1].contains("\"dir\":\"req\""))
        .count() as u64
        + u64::from(lines.last().unwrap().contains("\"dir\":\"req\""));
    assert!(unanswered > 4);
    let v = f.until("the timeouts", |v| v["timeouts"] == unanswered);
    assert_eq!(v["alerts"][0], "timeouts>2%");
    let (code, err) = f.stop();
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err.matches("alert timeouts>2%: timeouts is").count(),
        1,
        "{err}"
    );
    // A threshold never crossed: exit 0, nothing on stderr.
    let f = Follower::start(&log, &["--from-start", "--alert", "p99>3600s"]);
    f.until("the log", |v| v["responses"].as_u64().unwrap() > 0);
    let (code, err) = f.stop();
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn metrics_in_the_prometheus_format() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("t.jsonl");
    let lines = generated("50", "4", "0");
    append(&log, &lines);
    let mut f = Follower::start(&log, &["--from-start", "--metrics", "127.0.0.1:0"]);
    // The address it listens on is on stderr's first line.
    let mut stderr = BufReader::new(f.child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let url = first
        .trim()
        .strip_prefix("posresp: metrics at http://")
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();
    let addr = url.trim_end_matches("/metrics").to_string();
    let want = format!("posresp_requests_total {}", count(&lines, "req"));
    let get = |path: &str| -> String {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").unwrap();
        let mut body = String::new();
        s.read_to_string(&mut body).unwrap();
        body
    };
    f.until("the log", |v| v["requests"] == count(&lines, "req"));
    // The next interval has written the figures.
    f.until("one more interval", |_| true);
    let body = get("/metrics");
    assert!(
        body.starts_with("HTTP/1.0 200") || body.starts_with("HTTP/1.1 200"),
        "{body}"
    );
    assert!(body.contains("text/plain; version=0.0.4"), "{body}");
    assert!(body.contains(&want), "{body}");
    assert!(
        body.contains("posresp_window_latency_ms{quantile=\"0.99\"}"),
        "{body}"
    );
    assert!(
        body.contains("posresp_window_responses{code=\"00\"}"),
        "{body}"
    );
    assert!(get("/other").contains(" 404 "));
    f.child.stderr = None;
    let pid = f.child.id().to_string();
    Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert_eq!(f.child.wait().unwrap().code(), Some(0));
}
