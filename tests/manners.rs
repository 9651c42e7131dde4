//! Terminal manners: colour only when asked or on a terminal, never with NO_COLOR; tables as
//! wide as the terminal (and unwrapped in a pipe); no progress bars in a pipe.

use std::process::Command as Proc;

use assert_cmd::Command;

const MSG: &str = "testdata/iso87ascii-0210.hex";

fn stdout(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut c = Command::cargo_bin("posresp").unwrap();
    c.env_remove("NO_COLOR").args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    String::from_utf8(c.output().unwrap().stdout).unwrap()
}

#[test]
fn colour_only_when_wanted() {
    let esc = "\u{1b}[";
    assert!(stdout(&["--color", "always", "decode", MSG], &[]).contains(esc));
    assert!(!stdout(&["--color", "never", "decode", MSG], &[]).contains(esc));
    // auto: standard output here is a pipe.
    assert!(!stdout(&["decode", MSG], &[]).contains(esc));
    assert!(!stdout(&["explain", "51"], &[]).contains(esc));
    assert!(!stdout(&["verify", MSG], &[]).contains(esc));
}

#[test]
fn no_progress_bars_in_a_pipe() {
    let out = Command::cargo_bin("posresp")
        .unwrap()
        .args(["generate", "--count", "200000", "--format", "hex"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Run `posresp ARGS` on a pseudo-terminal `cols` wide (util-linux `script`); the lines.
fn on_terminal(cols: u16, env: &str, args: &str) -> Vec<String> {
    let bin = assert_cmd::cargo::cargo_bin("posresp");
    let cmd = format!("stty cols {cols}; {env} {} {args}", bin.display());
    let out = Proc::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env_remove("NO_COLOR")
        .output()
        .expect("util-linux script is on this machine kind");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect()
}

fn visible_width(line: &str) -> usize {
    // Strip colour sequences, count characters (table borders are one column each).
    let mut n = 0;
    let mut in_esc = false;
    for c in line.chars() {
        match (in_esc, c) {
            (false, '\u{1b}') => in_esc = true,
            (true, 'm') => in_esc = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

#[test]
fn tables_follow_the_terminal_width_and_colour_on_a_terminal() {
    let lines = on_terminal(80, "", &format!("decode {MSG}"));
    let widest = lines.iter().map(|l| visible_width(l)).max().unwrap_or(0);
    assert!(
        widest <= 80 && widest > 40,
        "widest line {widest}: {lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("\u{1b}[")),
        "colour on a terminal"
    );
    let wide = on_terminal(200, "", &format!("decode {MSG}"));
    let widest_wide = wide.iter().map(|l| visible_width(l)).max().unwrap_or(0);
    assert!(
        widest_wide > 80,
        "a wide terminal gets the whole table: {widest_wide}"
    );
    // NO_COLOR wins over a terminal.
    let plain = on_terminal(80, "NO_COLOR=1", &format!("decode {MSG}"));
    assert!(!plain.iter().any(|l| l.contains("\u{1b}[")));
}

/// A reader that closes the pipe early (`| head`, `| true`) ends every command quietly:
/// exit 0, nothing on stderr, no panic.
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let bin = assert_cmd::cargo::cargo_bin("posresp");
    for args in [
        vec!["completions", "bash"],
        vec!["completions", "zsh"],
        vec!["man"],
        vec!["spec", "export", "cup"],
        vec!["--output", "json", "spec", "show", "cup"],
        vec!["--output", "csv", "spec", "show", "cup"],
        vec!["--spec", "cup", "generate", "--count", "20000"],
        vec!["explain", "--list"],
    ] {
        let mut child = Command::new(&bin)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one byte, then close our end, as `head -c1` would.
        let mut out = child.stdout.take().unwrap();
        let mut one = [0u8; 1];
        let _ = out.read(&mut one);
        drop(out);
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

/// With no input on a terminal, commands that read messages say what to give instead of
/// waiting on standard input without a word (bounded by `timeout`).
#[test]
fn no_input_on_a_terminal_says_so() {
    for cmd in ["decode", "stats", "encode", "verify"] {
        let lines = on_terminal(100, "timeout 10", cmd);
        let text = lines.join("\n");
        assert!(
            text.contains("no input") || text.contains("nothing to verify"),
            "{cmd}: {text}"
        );
    }
}

/// Long runs over big files show a bar on a terminal (fitting 80 columns), and none in a pipe.
#[test]
fn progress_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.jsonl");
    let chunk = assert_cmd::Command::cargo_bin("posresp")
        .unwrap()
        .args(["--spec", "cup", "generate", "--count", "2000"])
        .output()
        .unwrap()
        .stdout;
    let mut data = Vec::new();
    while data.len() < 17 << 20 {
        data.extend_from_slice(&chunk);
    }
    std::fs::write(&big, &data).unwrap();
    let path = big.display().to_string();
    for args in [
        format!("stats {path} > /dev/null"),
        format!("--output jsonl decode --brief {path} > /dev/null"),
        format!("diff {path} {path} > /dev/null"),
    ] {
        let lines = on_terminal(80, "", &args);
        let text = lines.join("\n");
        assert!(
            text.contains("MiB") && text.contains("left"),
            "{args}: no bar in {text:?}"
        );
        for l in text.split(['\r', '\n']) {
            let shown = l.trim_start_matches("\u{1b}[2K");
            assert!(visible_width(shown) <= 80, "{args}: {shown:?}");
        }
    }
    // In a pipe: no bar.
    let out = assert_cmd::Command::cargo_bin("posresp")
        .unwrap()
        .args(["stats", &path])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
