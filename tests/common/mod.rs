//! What several integration tests share: a running `posresp serve` on an ephemeral port.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command as Proc};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;
use serde_json::Value;

/// A running `serve`, stopped with SIGINT (or killed) when dropped.
pub struct Server {
    child: Child,
    /// The address it listens on.
    pub addr: String,
    stderr: PathBuf,
    _dir: tempfile::TempDir,
    log: PathBuf,
}

impl Server {
    pub fn start(spec: &str, extra: &[&str]) -> Server {
        Server::spawn(&["--spec", spec, "serve"], extra)
    }

    /// A running `posresp proxy` to `to`, listening on an ephemeral port.
    pub fn proxy(spec: &str, to: &str, extra: &[&str]) -> Server {
        Server::spawn(&["--spec", spec, "proxy", "--to", to], extra)
    }

    /// `posresp ARGS --listen 127.0.0.1:0 --log LOG EXTRA`, once it says it is listening.
    pub fn spawn(args: &[&str], extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let stderr = dir.path().join("stderr");
        let log = dir.path().join("traffic.jsonl");
        let child = Proc::new(cargo_bin("posresp"))
            .args(args)
            .args(["--listen", "127.0.0.1:0", "--log"])
            .arg(&log)
            .args(extra)
            .stdout(std::fs::File::create(dir.path().join("stdout")).unwrap())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        let mut s = Server {
            child,
            addr: String::new(),
            stderr,
            _dir: dir,
            log,
        };
        s.addr = s
            .wait_for("listening on ")
            .split_whitespace()
            .nth(4)
            .unwrap()
            .to_string();
        s
    }

    /// What serve printed on standard output so far (the --monitor view).
    pub fn stdout(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("stdout")).unwrap_or_default()
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Wait until stderr has a line containing `what`; that line.
    pub fn wait_for(&mut self, what: &str) -> String {
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(l) = self.stderr().lines().find(|l| l.contains(what)) {
                return l.to_string();
            }
            if let Ok(Some(st)) = self.child.try_wait() {
                panic!("serve exited ({st}) before {what:?}: {}", self.stderr());
            }
            assert!(Instant::now() < until, "no {what:?} in: {}", self.stderr());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn signal(&self, sig: &str) {
        let ok = Proc::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// SIGINT, wait for exit; (status code, stderr, log lines).
    pub fn stop(self) -> (Option<i32>, String, Vec<Value>) {
        self.signal("-INT");
        self.stop_after_signal()
    }

    /// Wait for exit after a signal was sent.
    pub fn stop_after_signal(mut self) -> (Option<i32>, String, Vec<Value>) {
        let until = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                break st;
            }
            assert!(Instant::now() < until, "serve did not stop");
            std::thread::sleep(Duration::from_millis(20));
        };
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines = log
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (status.code(), self.stderr(), lines)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
