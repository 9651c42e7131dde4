//! Hostile input (testdata/hostile/, written by tools/gen_hostile.py): each gives a clear
//! error or a correct decode, the exit status of SPEC §6, and no hang (every run has a
//! deadline); nothing panics.

use std::time::Duration;

use assert_cmd::Command;

/// (exit status, stdout, stderr) of `posresp ARGS`, which must finish within 60 s.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("posresp")
        .unwrap()
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let code = out
        .status
        .code()
        .expect("posresp was killed: a hang or a crash");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    (code, String::from_utf8_lossy(&out.stdout).into_owned(), err)
}

fn h(name: &str) -> String {
    format!("testdata/hostile/{name}")
}

/// One error line on stderr, containing every `what`.
fn fails_with(args: &[&str], what: &[&str]) {
    let (code, _, err) = run(args);
    assert_eq!(code, 2, "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    for w in what {
        assert!(err.contains(w), "{args:?}: {err}");
    }
}

#[test]
fn empty_and_blank_inputs() {
    fails_with(&["decode", &h("empty.txt")], &["the input is empty"]);
    fails_with(&["decode", &h("whitespace.txt")], &["the input is empty"]);
    fails_with(&["verify", &h("empty.txt")], &["empty"]);
    fails_with(&["stats", &h("whitespace.txt")], &["empty"]);
}

#[test]
fn broken_hex() {
    fails_with(
        &["decode", &h("odd-hex.txt")],
        &["odd number of hex digits (41)"],
    );
    fails_with(
        &["decode", &h("non-hex.txt")],
        &["character 'Z' at position 21 is not a hex digit"],
    );
    fails_with(
        &["--output", "json", "decode", &h("odd-hex.txt")],
        &["odd number"],
    );
}

#[test]
fn a_length_prefix_claiming_more_than_there_is() {
    fails_with(
        &["decode", "--framing", "len4ascii", &h("length-9999.hex")],
        &["says 9999 bytes follow but 20 bytes do", "at byte 0"],
    );
    // Without --framing it is not taken as a length at all, and the error says where.
    let (code, _, err) = run(&["decode", &h("length-9999.hex")]);
    assert_eq!(code, 2);
    assert!(err.contains("at byte"), "{err}");
}

#[test]
fn bitmap_bits_for_fields_the_spec_does_not_define() {
    fails_with(
        &[
            "--spec",
            &h("spec-three-fields.json"),
            "decode",
            &h("undefined-field.hex"),
        ],
        &["field 5 at byte 38", "does not define it"],
    );
}

#[test]
fn tlv_nested_1000_deep_is_cut_at_the_depth_limit() {
    let (code, out, err) = run(&[
        "--spec",
        &h("spec-tlv-llll.json"),
        "--output",
        "json",
        "decode",
        &h("tlv-1000-deep.hex"),
    ]);
    // The message itself is well formed; its field 55 is not valid chip data, and says so.
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("constructed tags nested deeper than 16"),
        "{out}"
    );
}

#[test]
fn a_log_with_invalid_utf8_reports_the_line_and_decodes_the_rest() {
    let (code, out, err) = run(&["--output", "jsonl", "decode", &h("invalid-utf8.log")]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("message 2 (line 2: line is not valid UTF-8"),
        "{err}"
    );
    let records: Vec<&str> = out.lines().collect();
    assert_eq!(records.len(), 3);
    assert!(records[0].contains("\"mti\":\"0210\"") && records[2].contains("\"mti\":\"0210\""));
}

#[test]
fn a_log_mixing_forms_reads_each_line_by_its_form() {
    let (code, out, err) = run(&["--output", "jsonl", "decode", &h("mixed-forms.log")]);
    assert_eq!(code, 2);
    let records: Vec<&str> = out.lines().collect();
    assert_eq!(records.len(), 5, "nothing is lost: {out}");
    // Bare hex, timestamp + direction + hex, and a JSON record all decode.
    for r in &records[..3] {
        assert!(
            r.contains("\"mti\":\"0210\"") && !r.contains("\"error\""),
            "{r}"
        );
    }
    assert!(
        records[1].contains("\"dir\":\"resp\"")
            && records[2].contains("\"ts\":\"2026-11-26T10:00:00.200Z\"")
    );
    // The dump line and the prose are reported, each once.
    assert!(
        err.contains("message 4 (line 4)") && err.contains("message 5 (line 5"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "{err}");
    // What stood where the MTI should be is escaped in the table.
    let (_, out, _) = run(&["decode", &h("mixed-forms.log")]);
    assert!(out.contains(r"MTI \x{00}\x{00}\x{00}\x{00}"), "{out}");
}

#[test]
fn control_and_bidi_characters_are_escaped_in_tables() {
    let (code, out, _) = run(&["--color", "always", "decode", &h("control-chars.hex")]);
    assert_eq!(code, 0);
    assert!(
        out.contains(r"\x{00}\x{1B}[31mRED\x{1B}[0m\x{07}\x{7F}SHOP"),
        "{out}"
    );
    // The only escape sequences are posresp's own colours, never the field's.
    assert!(!out.contains('\0') && !out.contains('\u{7}') && !out.contains("\u{1b}[31mRED"));
    let (_, out, _) = run(&["decode", &h("bidi.jsonl")]);
    assert!(out.contains(r"\x{202E}evil\x{202C}"), "{out}");
    assert!(!out.contains('\u{202E}'));
    // JSON keeps the value exact, escaped by JSON's rules.
    let (_, out, _) = run(&["--output", "json", "decode", &h("control-chars.hex")]);
    assert!(out.contains(r"\u0000\u001b[31mRED"), "{out}");
}

#[test]
fn a_100_mb_line_is_refused_without_holding_it() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string("testdata/iso87ascii-0210.hex").unwrap();
    let huge = "30".repeat(50_000_000);
    // In a log: the line is reported and skipped, the messages around it decode.
    let log = dir.path().join("huge.log");
    std::fs::write(
        &log,
        format!("{}\n{huge}\n{}\n", sample.trim(), sample.trim()),
    )
    .unwrap();
    for fmt in ["table", "jsonl"] {
        let (code, out, err) = run(&["--output", fmt, "decode", "--brief", log.to_str().unwrap()]);
        assert_eq!(code, 2);
        assert!(err.contains("line 2: line is longer than 16 MiB"), "{err}");
        assert_eq!(err.lines().count(), 1);
        assert_eq!(out.matches("0210").count(), 2, "{fmt}");
    }
    // As a whole input (one 100 MB "message"): refused at once.
    let one = dir.path().join("one.txt");
    std::fs::write(&one, format!("{huge}{huge}")).unwrap();
    fails_with(
        &["decode", one.to_str().unwrap()],
        &["more than 64 MiB in one message"],
    );
    let (code, _, err) = run(&["stats", log.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("longer than 16 MiB"), "{err}");
}
