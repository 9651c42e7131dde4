//! `posresp encode`: the inverse of decode, for every fixture in testdata/.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn posresp() -> Command {
    Command::cargo_bin("posresp").unwrap()
}

/// decode --unmask --output jsonl, then encode: the hex of every message comes back.
fn round_trip(path: &str, expected_hex: Vec<String>, spec: &[&str]) {
    let decoded = posresp()
        .args(spec)
        .args(["--unmask", "--output", "jsonl", "decode", path])
        .output()
        .unwrap();
    assert!(
        decoded.status.success(),
        "{path}: {}",
        String::from_utf8_lossy(&decoded.stderr)
    );
    let encoded = posresp()
        .args(spec)
        .arg("encode")
        .write_stdin(decoded.stdout)
        .output()
        .unwrap();
    assert!(
        encoded.status.success(),
        "{path}: {}",
        String::from_utf8_lossy(&encoded.stderr)
    );
    let got: Vec<String> = String::from_utf8(encoded.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(got, expected_hex, "{path}");
}

fn hex_of_file(path: &str) -> Vec<String> {
    vec![std::fs::read_to_string(path).unwrap().trim().to_uppercase()]
}

fn hex_of_jsonl(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["hex"]
                .as_str()
                .unwrap()
                .to_uppercase()
        })
        .collect()
}

#[test]
fn every_hex_fixture_round_trips() {
    for f in [
        "testdata/iso87ascii-0210.hex",
        "testdata/cup/cup-0210-worked.hex",
        "testdata/cup/cup-0210-a0-scandemo.hex",
        "testdata/cup/cup-0200-cnblogs.hex",
        "testdata/cup/cup-0800-signon-request.hex",
        "testdata/cup/cup-0810-signon-reply.hex",
    ] {
        round_trip(f, hex_of_file(f), &[]);
    }
}

#[test]
fn logs_and_generated_fixtures_round_trip() {
    round_trip(
        "testdata/iso87ascii-traffic.jsonl",
        hex_of_jsonl("testdata/iso87ascii-traffic.jsonl"),
        &[],
    );
    round_trip(
        "testdata/cup/cup-real.jsonl",
        hex_of_jsonl("testdata/cup/cup-real.jsonl"),
        &["--spec", "cup"],
    );
    round_trip(
        "testdata/pyiso8583/default_ascii.jsonl",
        hex_of_jsonl("testdata/pyiso8583/default_ascii.jsonl"),
        &["--spec", "iso87ascii"],
    );
    round_trip(
        "testdata/pyiso8583/default.jsonl",
        hex_of_jsonl("testdata/pyiso8583/default.jsonl"),
        &["--spec", "iso87ascii-binary-bitmap"],
    );
    round_trip(
        "testdata/cup/pyiso8583-cup.jsonl",
        hex_of_jsonl("testdata/cup/pyiso8583-cup.jsonl"),
        &["--spec", "cup"],
    );
}

#[test]
fn simple_field_maps_and_sub_elements() {
    let out = posresp()
        .args(["--spec", "iso87ascii", "encode"])
        .write_stdin(r#"{"mti":"0800","fields":{"7":"0420090613","11":"900001","70":"001"}}"#)
        .output()
        .unwrap();
    assert!(out.status.success());
    let hex = String::from_utf8(out.stdout).unwrap();
    let back = posresp()
        .args([
            "--spec",
            "iso87ascii",
            "--output",
            "jsonl",
            "decode",
            hex.trim(),
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&back.stdout).unwrap();
    assert_eq!(v["mti"], "0800");
    assert_eq!(
        v["bitmap"].as_str().unwrap().len(),
        32,
        "field 70 needs the secondary bitmap"
    );
    // CUP 60 from its parts, 55 from its tags, TPDU and header given on the command line.
    let doc = r#"{"mti":"0210","fields":{"39":"00","60.1":"22","60.2":"000001","60.3":"000","60.4":"5","60.5":"0","55.91":"11223344556677883030"}}"#;
    let out = posresp()
        .args([
            "--spec",
            "cup",
            "encode",
            "--tpdu",
            "6000000003",
            "--header",
            "603100310100",
        ])
        .write_stdin(doc)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hex = String::from_utf8(out.stdout).unwrap();
    assert!(
        hex.contains("0012910A1122334455667788303000132200000100050"),
        "{hex}"
    );
    assert!(hex.starts_with("00"), "2-byte length first");
}

#[test]
fn values_that_do_not_fit_name_the_field_and_the_rule() {
    posresp()
        .args(["--spec", "iso87ascii", "encode"])
        .write_stdin(r#"{"mti":"0200","fields":{"4":"12345"}}"#)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "field 4: value has 5 characters, the field is fixed at 12 characters",
        ));
    posresp()
        .args([
            "--spec",
            "cup",
            "encode",
            "--tpdu",
            "6000000003",
            "--header",
            "603100310100",
        ])
        .write_stdin(r#"{"mti":"0200","fields":{"4":"00000000123X"}}"#)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "field 4: character 12 is not valid",
        ));
    posresp()
        .args(["--spec", "iso87ascii-binary-bitmap", "encode"])
        .write_stdin(r#"{"mti":"0200","fields":{"52":"ABC"}}"#)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("field 52"));
    // Masked card data cannot be encoded back.
    let masked = posresp()
        .args([
            "--output",
            "jsonl",
            "decode",
            "testdata/iso87ascii-0210.hex",
        ])
        .output()
        .unwrap();
    posresp()
        .arg("encode")
        .write_stdin(masked.stdout)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("field 2: the value is masked"))
        .stderr(predicate::str::contains("--unmask"));
    posresp()
        .args(["encode"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no JSON messages"));
}

#[test]
fn raw_output_is_the_bytes() {
    let decoded = posresp()
        .args([
            "--unmask",
            "--output",
            "json",
            "decode",
            "testdata/iso87ascii-0210.hex",
        ])
        .output()
        .unwrap();
    let out = posresp()
        .args(["encode", "--raw"])
        .write_stdin(decoded.stdout)
        .output()
        .unwrap();
    assert_eq!(
        out.stdout,
        std::fs::read("testdata/iso87ascii-0210.bin").unwrap()
    );
}

/// Item 13: encode refuses an MTI that decode could not find.
#[test]
fn encode_refuses_an_mti_decode_cannot_find() {
    for mti in ["9999", "0099", "0206", "02x0", "020"] {
        let doc = format!(
            "{{\"mti\":\"{mti}\",\"framing\":{{\"tpdu\":\"6000030000\",\"header\":\"603100311812\"}},\"fields\":{{\"3\":\"000000\",\"11\":\"000001\"}}}}"
        );
        let out = Command::cargo_bin("posresp")
            .unwrap()
            .args(["--spec", "cup", "encode", "-"])
            .write_stdin(doc)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{mti}");
        assert!(out.stdout.is_empty(), "{mti}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("is not a message type"), "{mti}: {err}");
    }
}

/// Item 14: a hex bitmap in lower case comes back as it was; an STX frame's wrong LRC is
/// corrected and the correction is said on stderr.
#[test]
fn round_trip_keeps_a_lowercase_bitmap_and_says_when_the_lrc_changes() {
    let hex = std::fs::read_to_string("testdata/iso87ascii-0210.hex").unwrap();
    let mut bytes = posresp::input::parse_hex_text(hex.trim()).unwrap();
    bytes[4..20].make_ascii_lowercase();
    let lower: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    let back = |input: &str| {
        let json = Command::cargo_bin("posresp")
            .unwrap()
            .args(["--unmask", "--output", "json", "decode", input])
            .output()
            .unwrap();
        assert!(json.status.success());
        Command::cargo_bin("posresp")
            .unwrap()
            .args(["encode", "-"])
            .write_stdin(json.stdout)
            .output()
            .unwrap()
    };
    let out = back(&lower);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), lower);
    assert!(out.stderr.is_empty());
    // STX, the message, ETX, a wrong LRC.
    let mut frame = vec![0x02];
    frame.extend(posresp::input::parse_hex_text(hex.trim()).unwrap());
    frame.push(0x03);
    let lrc = frame[1..].iter().fold(0u8, |a, b| a ^ b);
    frame.push(lrc ^ 0x55);
    let wrong: String = frame.iter().map(|b| format!("{b:02X}")).collect();
    let out = back(&wrong);
    assert_eq!(out.status.code(), Some(0));
    let written = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(&written[..written.len() - 2], &wrong[..wrong.len() - 2]);
    assert_eq!(&written[written.len() - 2..], format!("{lrc:02X}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("LRC was wrong"), "{err}");
}
