//! The real binary on the files in testdata/: stdout, stderr and exit status, as a user sees them.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn posresp() -> Command {
    let mut c = Command::cargo_bin("posresp").expect("binary builds");
    c.env_remove("NO_COLOR").env("COLUMNS", "200");
    c
}

fn jsonl(args: &[&str]) -> (Vec<Value>, String, i32) {
    let out = posresp().args(args).output().expect("runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 stdout");
    let docs = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    (
        docs,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn field<'a>(doc: &'a Value, id: &str) -> Option<&'a str> {
    doc["fields"].as_array()?.iter().find(|f| f["id"] == id)?["value"].as_str()
}

/// The benchmark 0210 in every single-message input form decodes to the same fields.
#[test]
fn every_single_message_input_form_decodes_the_same() {
    let forms = [
        "testdata/iso87ascii-0210.hex",
        "testdata/iso87ascii-0210-wrapped.txt",
        "testdata/iso87ascii-0210-spaced.txt",
        "testdata/iso87ascii-0210.bin",
        "testdata/iso87ascii-0210.xxd.txt",
        "testdata/iso87ascii-0210.hexdump.txt",
        "testdata/iso87ascii-0210.od.txt",
        "testdata/iso87ascii-0210.jpos-dump.txt",
    ];
    for form in forms {
        let (docs, stderr, code) = jsonl(&["decode", "--output", "jsonl", form]);
        assert_eq!(code, 0, "{form}: {stderr}");
        assert_eq!(stderr, "", "{form}");
        assert_eq!(docs.len(), 1, "{form}");
        let d = &docs[0];
        assert_eq!(d["spec"], "iso87ascii", "{form}");
        assert_eq!(d["mti"], "0210", "{form}");
        assert_eq!(d["bitmap"], "723C04800EC08000", "{form}");
        assert_eq!(field(d, "39"), Some("00"), "{form}");
        assert_eq!(field(d, "4"), Some("000000001000"), "{form}");
        assert_eq!(field(d, "41"), Some("TERM0001"), "{form}");
        assert_eq!(
            field(d, "2"),
            Some("476173******0119"),
            "{form}: PAN masked"
        );
        assert_eq!(d["response"]["category"], "approved", "{form}");
    }
}

#[test]
fn input_format_can_be_forced() {
    let (docs, _, code) = jsonl(&[
        "decode",
        "--output",
        "jsonl",
        "--input-format",
        "dump",
        "testdata/iso87ascii-0210.xxd.txt",
    ]);
    assert_eq!(code, 0);
    assert_eq!(docs[0]["mti"], "0210");
    // Forcing the wrong form is an error that says what is wrong, not a panic.
    posresp()
        .args([
            "decode",
            "--input-format",
            "hex",
            "testdata/iso87ascii-0210.bin",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a hex digit"));
}

#[test]
fn literal_hex_argument_and_stdin() {
    let hex = std::fs::read_to_string("testdata/iso87ascii-0210.hex").unwrap();
    let (docs, _, code) = jsonl(&["decode", "--output", "jsonl", hex.trim()]);
    assert_eq!(code, 0);
    assert_eq!(field(&docs[0], "42"), Some("MERCHANT0000001"));
    posresp()
        .args(["decode", "--output", "jsonl", "-"])
        .write_stdin(std::fs::read("testdata/iso87ascii-0210.bin").unwrap())
        .assert()
        .success()
        .stdout(predicate::str::contains("\"mti\":\"0210\""));
}

#[test]
fn line_log_with_timestamps_and_directions() {
    let (docs, stderr, code) = jsonl(&[
        "decode",
        "--output",
        "jsonl",
        "testdata/iso87ascii-traffic.log",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(docs.len(), 7);
    assert_eq!(docs[0]["dir"], "req");
    assert_eq!(docs[0]["ts"], "2026-11-26T10:00:00.000Z");
    assert_eq!(docs[1]["mti"], "0210");
    assert_eq!(docs[5]["mti"], "0810");
    assert_eq!(field(&docs[5], "70"), Some("001"));
    assert_eq!(docs[6]["line"], 7);
}

#[test]
fn json_lines_log() {
    let (docs, _, code) = jsonl(&[
        "decode",
        "--output",
        "jsonl",
        "testdata/iso87ascii-traffic.jsonl",
    ]);
    assert_eq!(code, 0);
    assert_eq!(docs.len(), 7);
    assert_eq!(docs[3]["mti"], "0410");
    assert_eq!(field(&docs[3], "39"), Some("00"));
}

#[test]
fn a_bad_message_is_reported_and_the_rest_decoded() {
    let (docs, stderr, code) = jsonl(&[
        "decode",
        "--output",
        "jsonl",
        "testdata/iso87ascii-with-bad-message.log",
    ]);
    assert_eq!(code, 2);
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0]["mti"], "0200");
    assert_eq!(docs[1]["error"]["field"], "4");
    assert_eq!(docs[1]["error"]["offset"], 26);
    assert!(
        docs[1]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "3"),
        "fields before the failure kept"
    );
    assert_eq!(docs[2]["mti"], "0210");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("posresp: testdata/iso87ascii-with-bad-message.log: message 2 (line 2)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("field 4 at byte 26: needs 12 bytes but only 4 remain"),
        "{stderr}"
    );
}

#[test]
fn json_output_is_one_document_for_one_message_and_an_array_for_several() {
    let out = posresp()
        .args([
            "--output",
            "json",
            "decode",
            "--raw",
            "testdata/iso87ascii-0210.hex",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.is_object());
    assert_eq!(v["index"], 0);
    assert_eq!(v["mti_meaning"], "Financial response");
    assert_eq!(v["framing"]["kind"], "none");
    let f2 = &v["fields"][0];
    assert_eq!(
        (
            f2["id"].as_str(),
            f2["offset"].as_u64(),
            f2["length"].as_u64()
        ),
        (Some("2"), Some(20), Some(18))
    );
    assert!(
        f2.get("raw").is_none(),
        "raw bytes of a masked field are withheld"
    );
    assert_eq!(v["fields"][1]["raw"], "303030303030");
    let out = posresp()
        .args([
            "--output",
            "json",
            "decode",
            "testdata/iso87ascii-traffic.log",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(7));
}

#[test]
fn csv_output_has_one_row_per_field() {
    let out = posresp()
        .args(["--output", "csv", "decode", "testdata/iso87ascii-0210.hex"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>()[..4],
        ["index", "spec", "mti", "id"]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    // 16 fields, plus the sub-elements of 3 (3.1-3.3) and 22 (22.1-22.2).
    assert_eq!(rows.len(), 21);
    assert_eq!(&rows[0][5], "476173******0119");
    let row = |id: &str| rows.iter().find(|r| &r[3] == id).unwrap().clone();
    assert_eq!(&row("39")[6], "Approved or completed successfully");
    assert_eq!(&row("22.1")[5], "05");
    assert_eq!(&row("22.1")[6], "Integrated circuit card (contact chip)");
}

#[test]
fn table_output_for_people() {
    posresp()
        .args(["decode", "testdata/iso87ascii-0210.hex"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "MTI 0210 (Financial response) · bitmap 723C04800EC08000",
        ))
        .stdout(predicate::str::contains("476173******0119"))
        .stdout(predicate::str::contains("MERCHANT0000001"))
        .stdout(predicate::str::contains(
            "Response 00: Approved or completed successfully (approved)",
        ))
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn unmask_reveals_card_data_and_masking_is_default_everywhere() {
    for fmt in ["table", "json", "jsonl", "csv"] {
        posresp()
            .args(["--output", fmt, "decode", "testdata/iso87ascii-0210.hex"])
            .assert()
            .success()
            .stdout(predicate::str::contains("4761739001010119").not())
            .stdout(predicate::str::contains("34373631373339303031303130313139").not());
        posresp()
            .args([
                "--output",
                fmt,
                "--unmask",
                "decode",
                "testdata/iso87ascii-0210.hex",
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains("4761739001010119"));
    }
}

#[test]
fn explicit_spec_and_spec_files() {
    let (docs, _, code) = jsonl(&[
        "--spec",
        "iso87ascii",
        "decode",
        "--output",
        "jsonl",
        "testdata/iso87ascii-0210.hex",
    ]);
    assert_eq!(code, 0);
    assert_eq!(docs[0]["spec"], "iso87ascii");
    let (docs, _, code) = jsonl(&[
        "--spec",
        "specs/iso87ascii.json",
        "decode",
        "--output",
        "jsonl",
        "testdata/iso87ascii-0210.hex",
    ]);
    assert_eq!(code, 0);
    assert_eq!(field(&docs[0], "39"), Some("00"));
    // The wrong spec: a clear error naming the field and offset.
    posresp()
        .args([
            "--spec",
            "iso87binary",
            "decode",
            "testdata/iso87ascii-0210.hex",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::starts_with("posresp: hex argument")
                .or(predicate::str::starts_with("posresp: testdata")),
        )
        .stderr(predicate::str::contains("byte"));
}

#[test]
fn invalid_spec_file_is_rejected_naming_file_field_and_problem() {
    posresp()
        .args([
            "--spec",
            "testdata/specs/invalid-max-zero.json",
            "decode",
            "00",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::diff(
            "posresp: spec testdata/specs/invalid-max-zero.json: field 2: max length of 0\n",
        ));
    posresp()
        .args(["--spec", "nosuchspec", "decode", "00"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown spec \"nosuchspec\""));
}

#[test]
fn a_user_spec_file_with_ebcdic_fields_decodes_the_moov_ebcdic_sample() {
    let (docs, stderr, code) = jsonl(&[
        "--spec",
        "testdata/specs/iso87ascii-ebcdic42.json",
        "decode",
        "--output",
        "jsonl",
        "testdata/moov/message_with_character_ebcdic_encoding.dat",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(field(&docs[0], "42"), Some("ABCDEFGHIJKLMNO"));
    assert_eq!(field(&docs[0], "7"), Some("0420090613"));
}

#[test]
fn bad_input_never_panics_and_says_what_to_do() {
    for (input, want) in [
        ("0210ABC", "odd number of hex digits"),
        ("no-such-file.hex", "no such file, and not hex either"),
        (
            "30323130",
            "bitmap at byte 4: needs 8 bytes but only 0 remain",
        ),
    ] {
        posresp()
            .args(["decode", input])
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with("posresp: "))
            .stderr(predicate::str::contains(want))
            .stderr(predicate::str::contains("panicked").not());
    }
}

#[test]
fn framing_is_detected_and_reported() {
    // A 2-byte binary length in front of the benchmark 0210.
    let hex = std::fs::read_to_string("testdata/iso87ascii-0210.hex").unwrap();
    let framed = format!("0089{}", hex.trim());
    let (docs, _, code) = jsonl(&["decode", "--output", "jsonl", &framed]);
    assert_eq!(code, 0);
    assert_eq!(docs[0]["framing"]["kind"], "len2");
    assert_eq!(docs[0]["framing"]["length"], 137);
    assert_eq!(
        docs[0]["fields"][0]["offset"], 22,
        "offsets count the framing"
    );
    // A length that disagrees with the data names both numbers.
    let bad = format!("0090{}", hex.trim());
    posresp()
        .args(["decode", "--framing", "len2", &bad])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "says 144 bytes follow but 137 bytes do",
        ));
}

#[test]
fn broken_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    let bin = assert_cmd::cargo::cargo_bin("posresp");
    let line = format!(
        "{}\n",
        std::fs::read_to_string("testdata/iso87ascii-0210.hex")
            .unwrap()
            .trim()
    );
    let big: String = std::iter::repeat_n(line, 20000).collect();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("broken-pipe.log");
    std::fs::write(&path, big).unwrap();
    let mut child = Std::new(bin)
        .args(["--output", "jsonl", "decode"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn raw_bytes_only_on_request() {
    let (docs, _, _) = jsonl(&[
        "decode",
        "--output",
        "jsonl",
        "testdata/iso87ascii-0210.hex",
    ]);
    assert!(
        docs[0]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f.get("raw").is_none())
    );
    let (docs, _, _) = jsonl(&[
        "decode",
        "--output",
        "jsonl",
        "--raw",
        "testdata/iso87ascii-0210.hex",
    ]);
    assert_eq!(docs[0]["fields"][1]["raw"], "303030303030");
}

/// JSON Lines uses a hand-written writer (the hot path); it must say exactly what the serde
/// form (`--output json`) says, message for message, including error records.
#[test]
fn jsonl_writer_matches_serde_json_output() {
    for log in [
        "testdata/iso87ascii-traffic.log",
        "testdata/iso87ascii-with-bad-message.log",
        "testdata/pyiso8583/default_ascii.jsonl",
    ] {
        for extra in [&[][..], &["--raw"][..], &["--unmask"][..]] {
            let mut a = vec!["--output", "jsonl", "decode", log];
            a.extend_from_slice(extra);
            let (lines, _, _) = jsonl(&a);
            let mut b = vec!["--output", "json", "decode", log];
            b.extend_from_slice(extra);
            let out = posresp().args(&b).output().unwrap();
            let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
            let array = doc.as_array().cloned().unwrap_or_else(|| vec![doc.clone()]);
            assert_eq!(lines, array, "{log} {extra:?}");
        }
    }
}

#[test]
fn jpos_xml_log_is_read_as_logged_values() {
    let (docs, stderr, code) = jsonl(&["decode", "--output", "jsonl", "testdata/jpos-xml-log.xml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(docs.len(), 2);
    let (req, resp) = (&docs[0], &docs[1]);
    assert_eq!(req["spec"], "cup", "a TPDU + 6-byte header means CUP");
    assert_eq!(req["dir"], "req");
    assert_eq!(req["ts"], "2024-06-12T14:30:16.019");
    assert_eq!(req["mti"], "0200");
    assert!(req["note"].as_str().unwrap().contains("no message bytes"));
    assert_eq!(req["fields"][0]["offset"], Value::Null);
    assert_eq!(
        field(req, "2"),
        Some("621234****1232"),
        "jPOS-protected PAN stays masked"
    );
    assert_eq!(
        field(req, "55.9F27"),
        Some("80"),
        "nested isomsg values become TLV sub-elements"
    );
    assert_eq!(field(req, "60.1"), Some("22"));
    assert_eq!(resp["dir"], "resp");
    assert_eq!(resp["response"]["code"], "00");
    assert_eq!(field(resp, "63"), Some("CUP"), "CDATA values are read");
    assert_eq!(resp["framing"]["tpdu"], "6000000003");
    assert_eq!(resp["framing"]["header"], "603100310100");
    assert_eq!(resp["framing"]["header_parts"][1]["value"], "31");
}

/// completions/ and man/ are generated from the clap definition; regenerate them with
/// tools/gen_manual.sh when the CLI changes.
#[test]
fn generated_files_are_current() {
    for (shell, file) in [
        ("bash", "completions/posresp.bash"),
        ("zsh", "completions/_posresp"),
        ("fish", "completions/posresp.fish"),
        ("powershell", "completions/_posresp.ps1"),
        ("elvish", "completions/posresp.elv"),
    ] {
        let out = posresp().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let committed = std::fs::read(file).unwrap_or_default();
        assert!(
            committed == out.stdout,
            "{file} is stale: run tools/gen_manual.sh"
        );
    }
    let out = posresp().arg("man").output().unwrap();
    let committed = std::fs::read("man/posresp.1").unwrap_or_default();
    assert!(
        committed == out.stdout,
        "man/posresp.1 is stale: run tools/gen_manual.sh"
    );
    let page = String::from_utf8(out.stdout).unwrap();
    for section in [
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        ".SH EXAMPLES",
        ".SH \"DECODE\"",
        ".SH \"EXPLAIN\"",
    ] {
        assert!(page.contains(section), "man page lacks {section}");
    }
}

#[test]
fn brief_json_is_field_values_only_and_still_masked() {
    let (docs, _, code) = jsonl(&[
        "decode",
        "--output",
        "jsonl",
        "--brief",
        "testdata/iso87ascii-traffic.log",
    ]);
    assert_eq!(code, 0);
    assert_eq!(docs.len(), 7);
    let last = &docs[6];
    assert_eq!(last["mti"], "0210");
    assert_eq!(last["fields"]["2"], "476173******0119");
    assert_eq!(last["fields"]["41"], "TERM0001");
    assert!(last["fields"].get("3.1").is_none(), "no sub-elements");
    assert_eq!(last["response"]["category"], "approved");
    // --output json --brief: the same records as an array.
    let out = posresp()
        .args([
            "--output",
            "json",
            "decode",
            "--brief",
            "testdata/iso87ascii-traffic.log",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap(), &docs);
    // Chip data in field 55 is masked in brief output too.
    let out = posresp()
        .args([
            "--output",
            "jsonl",
            "decode",
            "--brief",
            "testdata/cup/cup-0210-worked.hex",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["fields"]["2"], "621234******1232");
    assert_eq!(v["fields"]["55"], "910A11223344556677883030");
}

#[test]
fn empty_input_says_so() {
    posresp()
        .args(["decode", "-"])
        .write_stdin("\n  \n")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("the input is empty"));
}

/// `spec export` writes a spec file that loads back and decodes exactly like the built-in.
#[test]
fn spec_export_round_trips_and_show_lists_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (name, sample) in [
        ("iso87ascii", "testdata/iso87ascii-0210.hex"),
        ("cup", "testdata/cup/cup-0210-worked.hex"),
    ] {
        let out = posresp().args(["spec", "export", name]).output().unwrap();
        assert!(out.status.success());
        let path = dir.join(format!("posresp-export-{name}.json"));
        std::fs::write(&path, &out.stdout).unwrap();
        let a = posresp()
            .args(["--spec", name, "--output", "jsonl", "decode", sample])
            .output()
            .unwrap();
        let b = posresp()
            .args([
                "--spec",
                path.to_str().unwrap(),
                "--output",
                "jsonl",
                "decode",
                sample,
            ])
            .output()
            .unwrap();
        let strip = |o: &[u8]| {
            let mut v: Value = serde_json::from_slice(o).unwrap();
            v["spec"] = Value::Null;
            v["framing"]["rule"] = Value::Null;
            v
        };
        assert_eq!(strip(&a.stdout), strip(&b.stdout), "{name}");
    }
    posresp()
        .args(["spec", "show", "cup"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "dialect cup · framing len2+tpdu+header6",
        ))
        .stdout(predicate::str::contains("BER-TLV"));
    posresp()
        .args(["spec", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("iso93ascii"));
    posresp()
        .args(["spec", "show", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown spec"));
}

/// Item 16: `--output json --brief` follows docs/output.md like the full JSON: one object for
/// one message, an array for several.
#[test]
fn brief_json_is_one_object_for_one_message() {
    let one = posresp()
        .args([
            "--output",
            "json",
            "decode",
            "--brief",
            "testdata/iso87ascii-0210.hex",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&one.stdout).unwrap();
    assert!(v.is_object(), "{v}");
    assert_eq!(v["mti"], "0210");
    let many = posresp()
        .args([
            "--output",
            "json",
            "decode",
            "--brief",
            "testdata/iso87ascii-traffic.log",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&many.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(7), "{v}");
}

/// Issue 15, bug 2: every framing name decode prints is accepted by --framing.
#[test]
fn every_printed_framing_kind_is_accepted_by_framing() {
    for (file, spec) in [
        ("testdata/cup/cup-0200-cnblogs.hex", "cup"),
        ("testdata/iso87ascii-0210.hex", "iso87ascii"),
    ] {
        let out = posresp()
            .args(["--spec", spec, "--output", "json", "decode", file])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let kind = v["framing"]["kind"].as_str().unwrap().to_string();
        let again = posresp()
            .args([
                "--spec",
                spec,
                "--output",
                "json",
                "decode",
                "--framing",
                &kind,
                file,
            ])
            .output()
            .unwrap();
        assert!(
            again.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&again.stderr)
        );
        let w: Value = serde_json::from_slice(&again.stdout).unwrap();
        assert_eq!(w["framing"]["kind"], kind);
        assert_eq!(w["fields"], v["fields"]);
    }
    // And the same vocabulary everywhere: a bad name gets one message from every command.
    for args in [
        vec!["decode", "--framing", "len2+len3", "00"],
        vec![
            "--spec",
            "cup",
            "send",
            "--to",
            "127.0.0.1:9",
            "--framing",
            "len2+len3",
            "00",
        ],
        vec!["--spec", "cup", "serve", "--framing", "len2+len3"],
        vec!["--spec", "cup", "encode", "--framing", "len2+len3", "-"],
    ] {
        let out = posresp().args(&args).write_stdin("{}").output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("unknown framing \"len2+len3\"; use "),
            "{args:?}: {err}"
        );
        assert!(err.contains("parts joined with +"), "{args:?}: {err}");
    }
}

/// `send --to` without a port (or with a bad one) says what is missing before connecting.
#[test]
fn send_to_without_a_port_says_so() {
    for (to, want) in [
        ("localhost", "no port"),
        ("localhost:http", "is not a port number"),
        (":8583", "no host"),
        ("::1", "no port"),
    ] {
        let out = posresp()
            .args([
                "--spec",
                "cup",
                "send",
                "--to",
                to,
                "testdata/cup/cup-0200-cnblogs.hex",
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{to}: {err}");
        assert!(
            err.contains(want) && err.contains("HOST:PORT"),
            "{to}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{to}: {err}");
    }
}

/// Shell completion offers the built-in spec names for --spec and the framing names for
/// --framing (the options still take a spec file or a composed framing).
#[test]
fn completion_offers_spec_and_framing_names() {
    for shell in ["bash", "zsh", "fish"] {
        let out = Command::cargo_bin("posresp")
            .unwrap()
            .args(["completions", shell])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        for name in [
            "iso87ascii-binary-bitmap",
            "iso93ascii",
            "len2bcd",
            "tpdu+header6",
        ] {
            assert!(text.contains(name), "{shell}: {name} not offered");
        }
    }
}
