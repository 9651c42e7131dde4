//! Logs that mix forms and junk lose no valid message: the form is decided line by line, every
//! valid line is decoded and every other line is reported with its line number.

use assert_cmd::Command;
use serde_json::Value;

/// The seven messages of the sample traffic log, as bare hex.
fn messages() -> Vec<String> {
    std::fs::read_to_string("testdata/iso87ascii-traffic.log")
        .unwrap()
        .lines()
        .map(|l| l.rsplit(' ').next().unwrap().to_string())
        .collect()
}

enum Line {
    /// A line holding a message (counted as valid).
    Msg(Vec<u8>),
    /// A line that is not a message and must be reported.
    Junk(Vec<u8>),
    /// A line that holds nothing (blank, comment): neither decoded nor reported.
    Quiet(Vec<u8>),
}

fn build(lines: &[Line]) -> (Vec<u8>, usize, Vec<usize>) {
    let mut out = Vec::new();
    let (mut valid, mut junk) = (0, Vec::new());
    for (i, l) in lines.iter().enumerate() {
        let b = match l {
            Line::Msg(b) => {
                valid += 1;
                b
            }
            Line::Junk(b) => {
                junk.push(i + 1);
                b
            }
            Line::Quiet(b) => b,
        };
        out.extend_from_slice(b);
        out.push(b'\n');
    }
    (out, valid, junk)
}

/// Decode `log` and return (messages decoded, line numbers reported as errors).
fn decode(log: &[u8], extra: &[&str]) -> (usize, Vec<usize>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.log");
    std::fs::write(&path, log).unwrap();
    let out = Command::cargo_bin("posresp")
        .unwrap()
        .args(["--spec", "iso87ascii", "--output", "jsonl", "decode"])
        .args(extra)
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let (mut ok, mut bad) = (0, Vec::new());
    for l in stdout.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        if v.get("error").is_some() {
            bad.push(v["line"].as_u64().expect("error record without a line") as usize);
        } else {
            ok += 1;
        }
    }
    (ok, bad)
}

fn check(name: &str, lines: &[Line]) {
    let (log, valid, junk) = build(lines);
    for extra in [&[][..], &["--input-format", "lines"][..]] {
        let (ok, bad) = decode(&log, extra);
        assert_eq!(
            ok, valid,
            "{name} {extra:?}: {ok} of {valid} valid lines decoded"
        );
        assert_eq!(bad, junk, "{name} {extra:?}: lines reported");
    }
}

fn msg(i: usize) -> Vec<u8> {
    let m = messages();
    m[i % m.len()].clone().into_bytes()
}

fn ts(i: usize) -> Vec<u8> {
    let dir = if i.is_multiple_of(2) { "req" } else { "resp" };
    let mut v = format!("2026-11-26T10:00:{:02}.000Z {dir} ", i % 60).into_bytes();
    v.extend(msg(i));
    v
}

fn json(i: usize) -> Vec<u8> {
    format!(
        "{{\"ts\":\"2026-11-26T10:00:00.000Z\",\"dir\":\"req\",\"hex\":\"{}\"}}",
        String::from_utf8(msg(i)).unwrap()
    )
    .into_bytes()
}

#[test]
fn a_json_note_first_does_not_reject_a_hex_log() {
    let mut lines = vec![Line::Junk(
        b"{\"note\": \"captured at shop 12, terminal 3\"}".to_vec(),
    )];
    lines.extend((0..100).map(|i| Line::Msg(msg(i))));
    check("note + bare hex", &lines);
    let mut lines = vec![Line::Junk(b"{\"note\": \"timestamped\"}".to_vec())];
    lines.extend((0..100).map(|i| Line::Msg(ts(i))));
    check("note + timestamped", &lines);
}

#[test]
fn a_control_byte_does_not_turn_a_log_into_one_raw_message() {
    for at in [0, 1, 2, 50] {
        let mut lines: Vec<Line> = (0..100).map(|i| Line::Msg(ts(i))).collect();
        lines.insert(at, Line::Junk(b"\x01\x02garbage\x07".to_vec()));
        check(&format!("control byte at line {}", at + 1), &lines);
    }
    // A small log: two messages and one line of binary junk.
    check(
        "small",
        &[
            Line::Msg(msg(0)),
            Line::Junk(b"\x00\x1b[31mred\x1b[0m".to_vec()),
            Line::Msg(msg(1)),
        ],
    );
}

#[test]
fn mixed_forms_and_junk_lose_nothing() {
    let mut crlf = ts(3);
    crlf.push(b'\r');
    let lines = vec![
        Line::Msg(json(0)),
        Line::Msg(ts(1)),
        Line::Msg(msg(2)),
        Line::Quiet(b"".to_vec()),
        Line::Msg(crlf),
        Line::Quiet(b"\r".to_vec()),
        Line::Junk(b"\xff\xfe not text \xc3\x28".to_vec()),
        Line::Msg(json(4)),
        Line::Junk(b"the terminal said hello".to_vec()),
        Line::Junk(b"{\"ts\": 4929837165432100}".to_vec()),
        Line::Quiet(b"# a comment".to_vec()),
        Line::Junk(b"\x02\x03".to_vec()),
        Line::Msg(msg(5)),
        Line::Msg(ts(6)),
        Line::Junk(b"{not json".to_vec()),
        Line::Msg(json(0)),
    ];
    check("mixed", &lines);
    // The same with invalid UTF-8 first.
    let mut first = vec![Line::Junk(b"\xff\xff\xff".to_vec())];
    first.extend(
        (0..20usize).map(|i| Line::Msg(if i.is_multiple_of(2) { json(i) } else { msg(i) })),
    );
    check("invalid UTF-8 first", &first);
}
