//! `posresp verify`: every vector of the reference, flipped bits fail, keys stay secret.

use assert_cmd::Command;
use posresp::check::{Key, mac_cup_ecb};
use posresp::codec::encoding::{from_hex, to_hex};
use predicates::prelude::*;
use serde_json::Value;

fn posresp() -> Command {
    let mut c = Command::cargo_bin("posresp").unwrap();
    c.env_remove("NO_COLOR");
    c
}

/// A key file in a temporary place of its own, removed when dropped (the `TempPath`).
struct KeyFile(#[allow(dead_code)] tempfile::TempPath, String);

impl std::ops::Deref for KeyFile {
    type Target = str;
    fn deref(&self) -> &str {
        &self.1
    }
}

fn key_file(name: &str, hex: &str) -> KeyFile {
    let path = tempfile::Builder::new()
        .prefix(&format!("posresp-{name}-"))
        .suffix(".key")
        .tempfile()
        .unwrap()
        .into_temp_path();
    std::fs::write(&path, format!("{hex}\n")).unwrap();
    let s = path.to_string_lossy().into_owned();
    KeyFile(path, s)
}

fn rows(args: &[&str]) -> (Vec<Value>, i32) {
    let out = posresp()
        .args(args)
        .args(["--output", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        // Check rows; the last record is the summary.
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter(|r| r.get("summary").is_none())
                    .cloned()
                    .collect()
            })
            .unwrap_or_default(),
        out.status.code().unwrap(),
    )
}

#[test]
fn luhn_vectors() {
    posresp()
        .args([
            "verify",
            "luhn",
            "79927398713",
            "4111111111111111",
            "6217973910000725090",
            "6212345678901232",
        ])
        .assert()
        .code(0);
    let (r, code) = rows(&["verify", "luhn", "5544332211009966"]);
    assert_eq!(code, 1);
    assert_eq!(r[0]["result"], "fail");
    assert!(r[0]["detail"].as_str().unwrap().contains("should be 3"));
    assert!(
        !r[0]["detail"]
            .as_str()
            .unwrap()
            .contains("5544332211009966"),
        "PAN masked"
    );
}

#[test]
fn lrc_vectors() {
    posresp()
        .args(["verify", "lrc", "02 30 32 30 30 03 01"])
        .assert()
        .code(0);
    posresp()
        .args([
            "verify",
            "lrc",
            "--variant",
            "ecr17",
            "02 30 32 30 30 03 7E",
        ])
        .assert()
        .code(0);
    // NEC example: XOR of all 16 bytes including STX (the frame is data 30 41 … then 02 … 03).
    posresp()
        .args(["verify", "lrc", "02303230300302"])
        .assert()
        .code(1);
    posresp()
        .args(["verify", "lrc", "303030"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an STX frame"));
}

#[test]
fn mac_vectors_over_data() {
    let k1 = key_file("fips", "0123456789ABCDEF");
    let data = "37363534333231204E6F77206973207468652074696D6520666F7220"; // "7654321 Now is the time for "
    posresp()
        .args([
            "verify",
            "mac",
            "--data",
            "--algorithm",
            "x99",
            "--key-file",
            &k1,
            "--expect",
            "F1D30F6849312CA4",
            data,
        ])
        .assert()
        .code(0);
    posresp()
        .args([
            "verify",
            "mac",
            "--data",
            "--algorithm",
            "x99",
            "--padding",
            "2",
            "--key-file",
            &k1,
            "--expect",
            "D0163999B2406DED",
            data,
        ])
        .assert()
        .code(0);
    let k3 = key_file("bc", "7CA110454A1A6E570131D9619DC1376E");
    let hello = "48656C6C6F20576F726C642021212121";
    posresp()
        .args([
            "verify",
            "mac",
            "--data",
            "--algorithm",
            "x919",
            "--key-file",
            &k3,
            "--expect",
            "F09B856213BAB83B",
            hello,
        ])
        .assert()
        .code(0);
    posresp()
        .args([
            "verify",
            "mac",
            "--data",
            "--algorithm",
            "x919",
            "--padding",
            "2",
            "--key-file",
            &k3,
            "--expect",
            "9C349B19B80451F5",
            hello,
        ])
        .assert()
        .code(0);
    let kp = key_file("pboc", "5775204D69616F6A756E404726444311");
    let pboc = "4348454E48414F2D50437C424645424642464630303033303643337E39425030504432434E3730313633363649303034337C32303234303131317C32303235303130317C383139317C30";
    posresp()
        .args([
            "verify",
            "mac",
            "--data",
            "--algorithm",
            "x919",
            "--padding",
            "2",
            "--key-file",
            &kp,
            "--expect",
            "4089819D3D991CC7",
            pboc,
        ])
        .assert()
        .code(0);
    posresp()
        .args([
            "verify",
            "mac",
            "--data",
            "--algorithm",
            "x99",
            "--key-file",
            &k1,
            "--expect",
            "0000000000000000",
            data,
        ])
        .assert()
        .code(1);
}

#[test]
fn cup_messages_with_real_host_mac_and_worked_mac() {
    let tak = key_file("tak", "0723C80DB5F4CD3D0723C80DB5F4CD3D");
    let (r, code) = rows(&[
        "verify",
        "mac",
        "--key-file",
        &tak,
        "testdata/cup/cup-0200-cnblogs.hex",
    ]);
    assert_eq!(code, 0, "{r:?}");
    assert!(
        r[0]["detail"]
            .as_str()
            .unwrap()
            .contains("computed B3A092AE, message has B3A092AE")
    );
    let (r, code) = rows(&[
        "verify",
        "testdata/cup/cup-0210-worked.hex",
        "--key-env",
        "POSRESP_TEST_MAK",
    ]);
    assert_eq!(code, 2, "key variable not set: could not run {r:?}");
    let out = posresp()
        .env("POSRESP_TEST_MAK", "0123456789ABCDEF")
        .args([
            "verify",
            "--output",
            "json",
            "testdata/cup/cup-0210-worked.hex",
            "--key-env",
            "POSRESP_TEST_MAK",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mac = r
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "mac")
        .unwrap();
    assert_eq!(mac["result"], "pass");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("0123456789ABCDEF"),
        "key never printed"
    );
}

#[test]
fn one_flipped_bit_anywhere_in_the_mac_block_fails() {
    let worked = from_hex(
        std::fs::read_to_string("testdata/cup/cup-0210-worked.hex")
            .unwrap()
            .trim(),
    )
    .unwrap();
    let key = Key::from_hex("0123456789ABCDEF").unwrap();
    let mab = &worked[13..worked.len() - 8];
    assert_eq!(&mac_cup_ecb(&key, mab), b"697638A6");
    for i in 0..mab.len() {
        for bit in 0..8 {
            let mut m = mab.to_vec();
            m[i] ^= 1 << bit;
            assert_ne!(&mac_cup_ecb(&key, &m), b"697638A6", "byte {i} bit {bit}");
        }
    }
    // And through the CLI: the amount changed by one bit (…12345 → …12344) fails with exit 1.
    let mut bad = worked.clone();
    bad[40] ^= 0x01;
    let (r, code) = {
        let out = posresp()
            .env("POSRESP_TEST_MAK2", "0123456789ABCDEF")
            .args([
                "verify",
                "--output",
                "json",
                "--key-env",
                "POSRESP_TEST_MAK2",
                &to_hex(&bad),
            ])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        (v, out.status.code().unwrap())
    };
    assert_eq!(code, 1);
    let failed: Vec<&str> = r
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["result"] == "fail")
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["mac"]);
}

#[test]
fn keys_are_never_on_the_command_line_and_bad_keys_say_why() {
    let short = key_file("short", "0123");
    posresp()
        .args([
            "verify",
            "mac",
            "--key-file",
            &short,
            "testdata/cup/cup-0210-worked.hex",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("8, 16 or 24 bytes"))
        .stderr(predicate::str::contains("0123").not());
    let nonhex = key_file("nonhex", "0123456789ABCDEZ");
    posresp()
        .args([
            "verify",
            "mac",
            "--key-file",
            &nonhex,
            "testdata/cup/cup-0210-worked.hex",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("character 16 is not a hex digit"))
        .stderr(predicate::str::contains("0123456789").not());
    posresp()
        .args(["verify", "mac", "--key", "0123456789ABCDEF", "x"])
        .assert()
        .code(2);
}

#[test]
fn structure_checks_and_pairing() {
    let (r, code) = rows(&["verify", "testdata/iso87ascii-0210.hex"]);
    assert_eq!(code, 0);
    let checks: Vec<&str> = r.iter().map(|c| c["check"].as_str().unwrap()).collect();
    for c in ["pan_luhn", "expiry", "types", "bitmap"] {
        assert!(checks.contains(&c), "{c} in {checks:?}");
    }
    // Letters in a numeric field fail the type check, naming the field.
    let hex = std::fs::read_to_string("testdata/iso87ascii-0210.hex").unwrap();
    let bytes = from_hex(hex.trim()).unwrap();
    let mut bad = bytes.clone();
    bad[50] = b'X'; // inside field 4 (offset 44, 12 digits)
    let (r, code) = rows(&["verify", &to_hex(&bad)]);
    assert_eq!(code, 1);
    let fail = r.iter().find(|c| c["result"] == "fail").unwrap();
    assert_eq!(
        (fail["check"].as_str(), fail["field"].as_str()),
        (Some("type"), Some("4"))
    );
    // Request/response pairing (real CUP sign-on pair).
    let (r, code) = rows(&[
        "verify",
        "--request",
        "testdata/cup/cup-0800-signon-request.hex",
        "testdata/cup/cup-0810-signon-reply.hex",
    ]);
    assert_eq!(code, 0, "{r:?}");
    let tpdu = r.iter().find(|c| c["check"] == "tpdu").unwrap();
    assert_eq!(tpdu["detail"], "destination and source swapped");
    // The wrong request fails the MTI and echo checks.
    let (r, code) = rows(&[
        "verify",
        "--request",
        "testdata/cup/cup-0800-signon-request.hex",
        "testdata/cup/cup-0210-worked.hex",
    ]);
    assert_eq!(code, 1);
    assert!(
        r.iter()
            .any(|c| c["check"] == "mti" && c["result"] == "fail")
    );
}

#[test]
fn stx_frame_lrc_is_checked_in_messages() {
    let inner = from_hex(
        std::fs::read_to_string("testdata/cup/cup-0210-worked.hex")
            .unwrap()
            .trim(),
    )
    .unwrap();
    let mut frame = vec![0x02];
    frame.extend(&inner);
    frame.push(0x03);
    let lrc = frame[1..].iter().fold(0u8, |a, b| a ^ b);
    frame.push(lrc);
    posresp()
        .args(["verify", &to_hex(&frame)])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("lrc"));
    *frame.last_mut().unwrap() ^= 0x55;
    let (r, code) = rows(&["verify", &to_hex(&frame)]);
    assert_eq!(code, 1);
    assert!(
        r.iter()
            .any(|c| c["check"] == "lrc" && c["result"] == "fail")
    );
}

fn rows_with_summary(args: &[&str], stdin: Option<&str>) -> (Vec<Value>, Value, i32) {
    let mut c = posresp();
    c.args(args).args(["--output", "jsonl"]);
    if let Some(s) = stdin {
        c.write_stdin(s.to_string());
    }
    let out = c.output().unwrap();
    let mut rows: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary = rows.pop().expect("a summary record");
    assert!(summary.get("summary").is_some(), "{summary}");
    (rows, summary["summary"].clone(), out.status.code().unwrap())
}

fn failed<'a>(rows: &'a [Value], check: &str) -> Vec<&'a Value> {
    rows.iter()
        .filter(|r| r["check"] == check && r["result"] == "fail")
        .collect()
}

/// A generated CUP log with MACs: (log text, key file holding its MAC key).
fn cup_log_with_macs(dir: &std::path::Path, count: &str) -> (String, String) {
    let kf = dir.join("mak.hex");
    std::fs::write(&kf, "0123456789ABCDEF\n").unwrap();
    let out = posresp()
        .args([
            "--spec",
            "cup",
            "generate",
            "--count",
            count,
            "--mac-key-file",
        ])
        .arg(&kf)
        .output()
        .unwrap();
    assert!(out.status.success());
    (
        String::from_utf8(out.stdout).unwrap(),
        kf.to_str().unwrap().to_string(),
    )
}

#[test]
fn a_key_means_a_mac_is_required() {
    let dir = tempfile::tempdir().unwrap();
    let kf = dir.path().join("k.hex");
    std::fs::write(&kf, "0123456789ABCDEFFEDCBA9876543210").unwrap();
    let k = kf.to_str().unwrap();
    // iso87ascii-0210.hex carries no field 64.
    let (r, s, code) = rows_with_summary(
        &["verify", "--key-file", k, "testdata/iso87ascii-0210.hex"],
        None,
    );
    assert_eq!(code, 1, "{r:?}");
    let f = failed(&r, "mac");
    assert_eq!(f.len(), 1, "{r:?}");
    assert!(
        f[0]["detail"]
            .as_str()
            .unwrap()
            .contains("a MAC is required")
    );
    assert_eq!(s["failed"], 1);
    let (r, _, code) = rows_with_summary(
        &["verify", "--require-mac", "testdata/iso87ascii-0210.hex"],
        None,
    );
    assert_eq!(code, 1, "{r:?}");
    assert!(
        failed(&r, "mac")[0]["detail"]
            .as_str()
            .unwrap()
            .contains("--require-mac")
    );
    let (_, _, code) = rows_with_summary(&["verify", "testdata/iso87ascii-0210.hex"], None);
    assert_eq!(code, 0);
    // A CUP sign-on (network management) carries no MAC and is not failed for it.
    let (r, _, _) = rows_with_summary(
        &[
            "verify",
            "--key-file",
            k,
            "testdata/cup/cup-0800-signon-request.hex",
        ],
        None,
    );
    assert!(failed(&r, "mac").is_empty(), "{r:?}");
}

#[test]
fn requests_without_a_response_fail_in_a_log_and_with_request() {
    let dir = tempfile::tempdir().unwrap();
    let (log, k) = cup_log_with_macs(dir.path(), "5");
    let (r, s, code) = rows_with_summary(&["verify", "--key-file", &k, "-"], Some(&log));
    assert_eq!(code, 0, "{r:?}");
    assert_eq!(s["messages"], 10);
    assert_eq!(
        r.iter().filter(|r| r["check"] == "mti").count(),
        5,
        "paired in the log"
    );
    // Drop the third response.
    let lines: Vec<&str> = log.lines().collect();
    let dropped: String = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 5)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let (r, _, code) = rows_with_summary(&["verify", "--key-file", &k, "-"], Some(&dropped));
    assert_eq!(code, 1);
    let f = failed(&r, "answered");
    assert_eq!(f.len(), 1, "{r:?}");
    let d = f[0]["detail"].as_str().unwrap();
    assert!(
        d.contains("no response") && d.contains("trace") && d.contains("terminal"),
        "{d}"
    );
    assert_eq!(
        f[0]["message"], 5,
        "the request's own message number (1-based)"
    );
    // The same with --request: five requests, four responses.
    let reqs = dir.path().join("req.jsonl");
    let resps = dir.path().join("resp.jsonl");
    std::fs::write(
        &reqs,
        lines
            .iter()
            .filter(|l| l.contains("\"req\""))
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    )
    .unwrap();
    std::fs::write(
        &resps,
        dropped
            .lines()
            .filter(|l| l.contains("\"resp\""))
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    )
    .unwrap();
    let (r, _, code) = rows_with_summary(
        &[
            "verify",
            "--request",
            reqs.to_str().unwrap(),
            resps.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 1);
    assert_eq!(failed(&r, "answered").len(), 1, "{r:?}");
    assert!(failed(&r, "mti").is_empty(), "{r:?}");
    // The same log twice: every response pairs, no false MTI failures.
    let path = dir.path().join("log.jsonl");
    std::fs::write(&path, &log).unwrap();
    let p = path.to_str().unwrap();
    let (r, _, code) = rows_with_summary(&["verify", p, p], None);
    assert_eq!(
        code,
        0,
        "{:?}",
        r.iter()
            .filter(|r| r["result"] == "fail")
            .collect::<Vec<_>>()
    );
}

#[test]
fn redacted_log_records_are_not_checkable_not_failed() {
    let hex = std::fs::read_to_string("testdata/sensitive-0200.hex").unwrap();
    // The PAN 4761739001010119 as serve --log zeroes it: 4761730000000119 (ASCII hex).
    let zeroed = hex.trim().replace(
        "34373631373339303031303130313139",
        "34373631373330303030303030313139",
    );
    assert_ne!(zeroed, hex.trim());
    let plain = format!("{{\"dir\":\"req\",\"hex\":\"{zeroed}\"}}\n");
    let marked = format!("{{\"dir\":\"req\",\"hex\":\"{zeroed}\",\"redacted\":true}}\n");
    let (r, _, code) = rows_with_summary(&["verify", "-"], Some(&plain));
    assert_eq!(code, 1);
    assert!(!failed(&r, "pan_luhn").is_empty(), "{r:?}");
    let (r, _, code) = rows_with_summary(&["verify", "-"], Some(&marked));
    assert_eq!(code, 0, "{r:?}");
    let luhn = r.iter().find(|r| r["check"] == "pan_luhn").unwrap();
    assert_eq!(luhn["result"], "skip");
    assert!(luhn["detail"].as_str().unwrap().contains("zeroed"));
}

#[test]
fn failures_only_and_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (log, k) = cup_log_with_macs(dir.path(), "3");
    let mut lines: Vec<String> = log.lines().map(str::to_string).collect();
    // Flip one hex digit of the second response's MAC (the last 16 hex digits of the frame).
    let l = &mut lines[3];
    let start = l.find("\"hex\":\"").unwrap() + 7;
    let i = start + l[start..].find('"').unwrap() - 1;
    let c = if &l[i..i + 1] == "0" { "1" } else { "0" };
    l.replace_range(i..i + 1, c);
    let bad: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let (all, s_all, code) = rows_with_summary(&["verify", "--key-file", &k, "-"], Some(&bad));
    assert_eq!(code, 1);
    let (only, s_only, code2) = rows_with_summary(
        &["verify", "--failures-only", "--key-file", &k, "-"],
        Some(&bad),
    );
    assert_eq!(code2, 1);
    assert!(
        !only.is_empty() && only.iter().all(|r| r["result"] == "fail"),
        "{only:?}"
    );
    assert_eq!(
        only.len(),
        all.iter().filter(|r| r["result"] == "fail").count()
    );
    assert_eq!(s_all, s_only, "the summary counts every check either way");
    assert_eq!(s_all["messages"], 6);
    let out = posresp()
        .args(["verify", "--failures-only", "--key-file", &k, "-"])
        .write_stdin(bad)
        .output()
        .unwrap();
    let t = String::from_utf8(out.stdout).unwrap();
    assert!(
        t.contains("6 messages, checks:") && t.contains("(only failures shown)"),
        "{t}"
    );
    assert!(!t.contains("pass "), "{t}");
}

#[test]
fn chip_data_that_is_not_ber_tlv_fails() {
    let hex = std::fs::read_to_string("testdata/cup/cup-0210-worked.hex").unwrap();
    let (r, _, code) = rows_with_summary(&["verify", hex.trim()], None);
    assert_eq!(code, 0, "{r:?}");
    assert!(
        r.iter()
            .any(|r| r["check"] == "chip_tlv" && r["result"] == "pass")
    );
    // Field 55 of the worked example is 12 bytes: 91 0A …; make the length overrun.
    let broken = hex.trim().replacen("910A", "910B", 1);
    assert_ne!(broken, hex.trim());
    let (r, _, code) = rows_with_summary(&["verify", &broken], None);
    assert_eq!(code, 1, "{r:?}");
    assert!(
        failed(&r, "chip_tlv")[0]["detail"]
            .as_str()
            .unwrap()
            .contains("BER-TLV")
    );
}

/// One wording for a wrong check digit, in message checks and in `verify luhn`.
#[test]
fn a_wrong_check_digit_says_which_it_should_be() {
    let hex = std::fs::read_to_string("testdata/sensitive-0200.hex").unwrap();
    // PAN 4761739001010119 → …0118 (ASCII hex 39 → 38 at the end of field 2).
    let bad = hex.trim().replacen(
        "34373631373339303031303130313139",
        "34373631373339303031303130313138",
        1,
    );
    let (r, _, code) = rows_with_summary(&["verify", &bad], None);
    assert_eq!(code, 1);
    let f = failed(&r, "pan_luhn");
    assert!(
        f[0]["detail"]
            .as_str()
            .unwrap()
            .ends_with("check digit should be 9"),
        "{f:?}"
    );
    let (r, _, _) = rows_with_summary(&["verify", "luhn", "4761739001010118"], None);
    assert!(
        r[0]["detail"]
            .as_str()
            .unwrap()
            .ends_with("check digit should be 9")
    );
}

/// A failed check is red in verify's table when colour is on, as declines and errors are in
/// every command; plain without colour.
#[test]
fn failed_checks_are_coloured_like_every_failure() {
    let run = |color: &str| {
        let out = Command::cargo_bin("posresp")
            .unwrap()
            .args(["--color", color, "verify", "luhn", "4111111111111112"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let coloured = run("always");
    let fail_line = coloured.lines().find(|l| l.contains("fail")).unwrap();
    assert!(fail_line.contains("\u{1b}[38;5;9m"), "{fail_line:?}");
    assert!(!run("never").contains('\u{1b}'));
}
