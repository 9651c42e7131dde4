//! `posresp explain`: the bars of the glossary issue, a JSON snapshot, private tables.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn posresp() -> Command {
    let mut c = Command::cargo_bin("posresp").unwrap();
    c.env_remove("NO_COLOR");
    c
}

fn json(args: &[&str]) -> Value {
    let out = posresp().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn explain_51_is_insufficient_funds_decline_not_retryable() {
    let v = json(&["explain", "51", "--output", "json"]);
    let c = &v[0];
    assert_eq!(c["kind"], "response_code");
    assert_eq!(c["dialect"], "iso87");
    assert!(
        c["meaning"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("sufficient funds")
    );
    assert_eq!(c["category"], "decline");
    assert_eq!(c["retryable"], false);
    posresp()
        .args(["explain", "51"])
        .assert()
        .success()
        .stdout(predicate::str::contains("decline"));
}

#[test]
fn cup_a0_in_chinese_is_the_mac_error() {
    let v = json(&[
        "explain", "--scheme", "cup", "A0", "--lang", "zh", "--output", "json",
    ]);
    assert!(v[0]["meaning"].as_str().unwrap().contains("MAC"), "{v}");
    assert!(
        v[0]["meaning"].as_str().unwrap().contains('校'),
        "Chinese text: {v}"
    );
    assert_eq!(v[0]["cup_class"], "B");
    posresp()
        .args(["explain", "--scheme", "cup", "A0", "--lang", "zh"])
        .assert()
        .success()
        .stdout(predicate::str::contains("MAC校验错"));
}

#[test]
fn iso93_action_codes() {
    let v = json(&["explain", "--scheme", "iso93", "116", "--output", "json"]);
    assert_eq!(v[0]["dialect"], "iso93");
    assert_eq!(v[0]["category"], "decline");
    // The dialect follows --spec when no --scheme is given.
    let v = json(&["--spec", "iso93ascii", "explain", "116", "--output", "json"]);
    assert_eq!(v[0]["dialect"], "iso93");
}

#[test]
fn unknown_codes_exit_2_and_say_where_they_are_defined() {
    posresp()
        .args(["explain", "ZZ"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty().or(predicate::str::contains("ZZ").not()))
        .stderr(predicate::str::starts_with(
            "posresp: \"ZZ\" is not an ISO 8583:1987 response code",
        ))
        .stderr(predicate::str::contains("--codes FILE.csv"));
    posresp()
        .args(["explain", "A0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "as a China UnionPay code it means \"MAC verification failed\"",
        ));
}

#[test]
fn every_code_of_the_reference_tables_is_listed_with_a_meaning() {
    for (scheme, file) in [
        ("iso87", "data/response-codes-iso8583-1987.csv"),
        ("iso93", "data/response-codes-iso8583-1993.csv"),
        ("cup", "data/response-codes-cup.csv"),
    ] {
        let v = json(&["explain", "--list", "--scheme", scheme, "--output", "json"]);
        let listed: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        assert!(
            v.as_array()
                .unwrap()
                .iter()
                .all(|c| !c["meaning"].as_str().unwrap().is_empty())
        );
        let mut rdr = csv::Reader::from_path(file).unwrap();
        let mut n = 0;
        for rec in rdr.records() {
            let code = rec.unwrap()[0].to_string();
            assert!(
                listed.contains(&code.as_str()),
                "{scheme} {code} not listed"
            );
            n += 1;
        }
        assert_eq!(listed.len(), n, "{scheme}: the list is the table");
    }
}

#[test]
fn field_values_by_number() {
    let v = json(&[
        "explain", "39=51", "22=051", "3=200000", "49=156", "--output", "json",
    ]);
    assert_eq!(v[0]["kind"], "response_code");
    assert_eq!(v[1]["field"], "22");
    assert_eq!(
        v[1]["parts"][0]["meaning"],
        "Integrated circuit card (contact chip)"
    );
    assert_eq!(v[2]["parts"][0]["meaning"], "Refund / return");
    assert_eq!(v[3]["meaning"], "CNY (Yuan Renminbi)");
    let v = json(&[
        "explain",
        "--scheme",
        "cup",
        "--field",
        "60",
        "2200000100050",
        "--output",
        "json",
    ]);
    assert_eq!(v[0]["parts"][0]["meaning"], "Purchase");
    assert_eq!(v[0]["parts"][2]["id"], "60.3");
}

/// The JSON shape is a contract (docs/explain.md): any change shows up here.
#[test]
fn explain_json_snapshot() {
    let out = posresp()
        .args(["explain", "--output", "json", "00", "51", "91", "22=051"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let got = String::from_utf8(out.stdout).unwrap();
    let path = "tests/golden/explain.json";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &got).unwrap();
    }
    let want =
        std::fs::read_to_string(path).expect("golden file; run with UPDATE_GOLDEN=1 to create it");
    assert_eq!(
        got, want,
        "explain --output json changed; if intended, rerun with UPDATE_GOLDEN=1 and update docs/explain.md"
    );
}

#[test]
fn private_code_tables_extend_and_override() {
    let v = json(&[
        "--codes",
        "testdata/private-codes.csv",
        "explain",
        "--scheme",
        "cup",
        "A1",
        "--output",
        "json",
    ]);
    assert_eq!(v[0]["private"], true);
    assert_eq!(v[0]["category"], "error");
    // Overrides ISO's 01 (refer to issuer) for this terminal's table.
    let v = json(&[
        "--codes",
        "testdata/private-codes.csv",
        "explain",
        "01",
        "--output",
        "json",
    ]);
    assert_eq!(v[0]["category"], "decline");
    assert!(
        v[0]["meaning"]
            .as_str()
            .unwrap()
            .contains("Insufficient balance")
    );
    // decode uses the same table for field 39 and the response object.
    let msg = std::fs::read_to_string("testdata/cup/cup-0210-worked.hex").unwrap();
    let a1 = msg
        .trim()
        .replace("30303132333435363738", "41313132333435363738");
    let out = posresp()
        .args([
            "--codes",
            "testdata/private-codes.csv",
            "--output",
            "json",
            "decode",
            &a1,
        ])
        .output()
        .unwrap();
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["response"]["code"], "A1", "{d}");
    assert_eq!(d["response"]["category"], "error");
    // A broken table is refused with the row and the problem.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("bad-codes.csv");
    std::fs::write(&dir, "code,meaning,category\nX1,Something,maybe\n").unwrap();
    posresp()
        .args(["--codes", dir.to_str().unwrap(), "explain", "00"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("row 2: category \"maybe\""));
}

#[test]
fn message_summaries_for_tickets() {
    posresp()
        .args(["explain", "--message", "testdata/cup/cup-0210-worked.hex"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "purchase of 123.45 CNY with card 621234******1232",
        ))
        .stdout(predicate::str::contains(
            "at terminal 12345678 of merchant 123456789012345",
        ))
        .stdout(predicate::str::contains(
            "Outcome: 00 Approved / transaction successful (approved, authorisation code 123456)",
        ))
        .stdout(predicate::str::contains("6212345678901232").not());
    posresp()
        .args([
            "explain",
            "--message",
            "testdata/cup/cup-0210-a0-scandemo.hex",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Outcome: A0 MAC verification failed (error)",
        ))
        .stdout(predicate::str::contains("Re-sign-on"));
}
