//! `posresp test`: the starter suites against `serve`, planted faults failing exactly the
//! cases they should, the reports (table, JSON, JUnit XML), and suite-file errors.

mod common;

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use common::Server;
use serde_json::Value;

fn posresp() -> Command {
    Command::cargo_bin("posresp").unwrap()
}

const SUITE: &str = "suites/iso87-acquirer.toml";
const RULES: &str = "suites/iso87-acquirer.rules.json";

fn test(args: &[&str]) -> (i32, String, String) {
    let out = posresp()
        .arg("test")
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The starter rules with one change: `edit` applied to the rule named `name`.
fn planted(dir: &Path, name: &str, edit: impl Fn(&mut Value)) -> String {
    let mut rules: Value = serde_json::from_str(&std::fs::read_to_string(RULES).unwrap()).unwrap();
    let r = rules["rules"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["name"] == name)
        .unwrap();
    edit(r);
    let p = dir.join("planted.json");
    std::fs::write(&p, rules.to_string()).unwrap();
    p.display().to_string()
}

fn cases_in(csv: &str) -> usize {
    std::fs::read_to_string(csv)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .count()
        - 1
}

#[test]
fn the_iso87_starter_suite_passes_against_serve() {
    let (code, out, err) = test(&[SUITE, "--against-serve", RULES]);
    assert_eq!(code, 0, "{out}\n{err}");
    let n = 12 + cases_in("suites/iso87-declines.csv");
    assert!(n >= 50);
    assert!(
        out.contains(&format!("{n} cases: {n} passed, 0 failed")),
        "{out}"
    );
    assert!(out.contains("pass  decline 51 (decline)"), "{out}");
    assert!(
        out.contains("pass  timeout, then the reversal is approved"),
        "{out}"
    );
}

#[test]
fn a_changed_code_fails_exactly_its_case_naming_step_field_expected_and_actual() {
    let dir = tempfile::tempdir().unwrap();
    let rules = planted(dir.path(), "amounts ending 51", |r| r["code"] = "05".into());
    let (code, out, _) = test(&[SUITE, "--against-serve", &rules]);
    assert_eq!(code, 1, "{out}");
    let fails: Vec<&str> = out.lines().filter(|l| l.contains("FAIL")).collect();
    assert_eq!(fails.len(), 1, "{out}");
    assert!(fails[0].contains("decline 51 (decline)"), "{out}");
    assert!(
        out.contains("step \"step 1\" (line 88): field 39: expected 51, got 05"),
        "{out}"
    );
    // Both messages are shown, card data zeroed (the PAN 4761739001010119 in ASCII hex).
    assert!(out.contains("          request 00"), "{out}");
    assert!(out.contains("          answer  00"), "{out}");
    assert!(!out.contains("34373631373339303031303130313139"), "{out}");
}

#[test]
fn a_dropped_answer_fails_its_case_and_the_junit_report_carries_every_case() {
    let dir = tempfile::tempdir().unwrap();
    let rules = planted(dir.path(), "amounts ending 14", |r| {
        r["action"] = "drop".into();
        r.as_object_mut().unwrap().remove("code");
    });
    let xml = dir.path().join("r.xml");
    let (code, _, err) = test(&[
        SUITE,
        "--against-serve",
        &rules,
        "--report",
        "junit",
        "--out",
        xml.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let text = std::fs::read_to_string(&xml).unwrap();
    // It parses as XML, with every case and one failure.
    let mut reader = quick_xml::Reader::from_str(&text);
    let (mut cases, mut failures, mut failed_case) = (0, 0, String::new());
    let mut current = String::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    "testcase" => {
                        cases += 1;
                        current = e
                            .try_get_attribute("name")
                            .unwrap()
                            .unwrap()
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned();
                    }
                    "failure" => {
                        failures += 1;
                        failed_case = current.clone();
                        let msg = e.try_get_attribute("message").unwrap().unwrap();
                        let msg = msg
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap();
                        assert!(
                            msg.contains("answer: expected an answer within 3s, got none"),
                            "{msg}"
                        );
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert_eq!(cases, 12 + cases_in("suites/iso87-declines.csv"));
    assert_eq!(failures, 1, "{text}");
    assert_eq!(failed_case, "decline 14 (decline)");
    assert!(err.contains("1 failed"), "{err}");
}

#[test]
fn a_wrong_mac_key_fails_the_maced_cases_and_not_the_echo() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("other.hex");
    std::fs::write(&key, "FEDCBA98765432100123456789ABCDEF\n").unwrap();
    let server = Server::start(
        "iso87ascii",
        &[
            "--framing",
            "len2",
            "--rules",
            RULES,
            "--mac-key-file",
            key.to_str().unwrap(),
        ],
    );
    let (code, out, _) = test(&[
        SUITE,
        "--to",
        &server.addr,
        "--filter",
        "approved",
        "--report",
        "json",
    ]);
    assert_eq!(code, 1, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 4, "{v}");
    for c in cases {
        assert_eq!(c["result"], "fail", "{c}");
        // The host says 63 (security violation) to a MAC it cannot verify.
        let f = &c["failures"].as_array().unwrap();
        assert!(
            f.iter().any(|f| f["what"] == "mac" || f["actual"] == "63"),
            "{c}"
        );
    }
    let (code, out, _) = test(&[SUITE, "--to", &server.addr, "--filter", "echo test"]);
    assert_eq!(code, 0, "network management carries no MAC: {out}");
}

#[test]
fn suite_errors_give_file_line_and_step() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(SUITE).unwrap().replace(
        "send = \"refund\"\nexpect = { category = \"approved\", echo",
        "send = \"refnd\"\nexpect = { category = \"approved\", echo",
    );
    let p = dir.path().join("bad.toml");
    std::fs::write(&p, &text).unwrap();
    let (code, _, err) = test(&[p.to_str().unwrap(), "--to", "127.0.0.1:9"]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("bad.toml: line 57: case \"refund approved\" step \"step 1\": send = \"refnd\": no such message"),
        "{err}"
    );
    std::fs::write(
        &p,
        "[target]\nspec = \"iso87ascii\"\nframing = \"len2\"\n[[case]]\nname = 1\n",
    )
    .unwrap();
    let (code, _, err) = test(&[p.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("line 5"), "{err}");
}

#[test]
fn an_unreachable_host_is_exit_2() {
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().to_string()
    };
    let (code, _, err) = test(&[SUITE, "--to", &addr, "--filter", "echo"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot connect to"), "{err}");
}

#[test]
fn an_approval_the_terminal_never_saw_puts_the_settlement_out_of_balance() {
    // The host approves amounts ending 14 but the answer is cut short: it counts the sale,
    // the terminal does not, and the settlement says so.
    let dir = tempfile::tempdir().unwrap();
    let rules = planted(dir.path(), "amounts ending 14", |r| {
        r["action"] = "truncate".into();
        r["code"] = "00".into();
    });
    let (code, out, _) = test(&[SUITE, "--against-serve", &rules]);
    assert_eq!(code, 1, "{out}");
    let fails: Vec<&str> = out.lines().filter(|l| l.contains("FAIL")).collect();
    assert_eq!(
        fails,
        [
            "  FAIL  decline 14 (decline)",
            "  FAIL  settlement of the day's approvals is in balance"
        ],
        "{out}"
    );
    assert!(out.contains("field 39: expected 00, got 95"), "{out}");
    assert!(out.contains("field 66: expected 1, got 2"), "{out}");
    assert!(
        out.contains("settlement: expected in balance, got out of balance (field 66 2)"),
        "{out}"
    );
}

#[test]
fn the_cup_settlement_carries_the_runs_totals_and_the_host_checks_them() {
    // A purchase whose answer is lost after the host approved it: the terminal's 48 lacks it.
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("r.json");
    let text = std::fs::read_to_string("suites/cup-pos.rules.json")
        .unwrap()
        .replace(
            "\"rules\": [",
            "\"rules\": [{\"name\": \"lost\", \"when\": {\"amount\": {\"ends_with\": \"1054\"}}, \"code\": \"00\", \"action\": \"truncate\"},",
        );
    std::fs::write(&rules, text).unwrap();
    let (code, out, _) = test(&[
        "suites/cup-pos.toml",
        "--against-serve",
        rules.to_str().unwrap(),
        "--report",
        "json",
    ]);
    assert_eq!(code, 1, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let failed: Vec<&str> = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["result"] != "pass")
        .map(|c| c["case"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["expired card", "settlement"], "{out}");
    let settle = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case"] == "settlement")
        .unwrap();
    let actual = settle["failures"][0]["actual"].as_str().unwrap();
    // The terminal's totals came back with the host's verdict: domestic part out of
    // balance (2), foreign part (nothing in it) in balance (1).
    assert!(actual.starts_with("out of balance (field 48 "), "{actual}");
    let f48 = &actual["out of balance (field 48 ".len()..actual.len() - 1];
    assert_eq!(f48.len(), 62, "{actual}");
    assert_eq!((&f48[30..31], &f48[61..62]), ("2", "1"), "{actual}");
}

#[test]
fn the_cup_starter_suite_passes_against_serve_and_a_planted_fault_fails_its_case() {
    let (code, out, err) = test(&[
        "suites/cup-pos.toml",
        "--against-serve",
        "suites/cup-pos.rules.json",
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("10 cases: 10 passed, 0 failed"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("r.json");
    let text = std::fs::read_to_string("suites/cup-pos.rules.json")
        .unwrap()
        .replace("\"code\": \"51\"", "\"code\": \"05\"");
    std::fs::write(&rules, text).unwrap();
    let (code, out, _) = test(&[
        "suites/cup-pos.toml",
        "--against-serve",
        rules.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{out}");
    let fails: Vec<&str> = out.lines().filter(|l| l.contains("FAIL")).collect();
    assert_eq!(fails, ["  FAIL  insufficient funds"], "{out}");
    assert!(out.contains("field 39: expected 51, got 05"), "{out}");
}

#[test]
fn working_keys_under_a_wrong_tmk_fail_the_sign_on() {
    let dir = tempfile::tempdir().unwrap();
    // The suite, with another TMK than the host's.
    for f in ["cup-pos.toml", "cup-pos.rules.json"] {
        std::fs::copy(Path::new("suites").join(f), dir.path().join(f)).unwrap();
    }
    std::fs::create_dir(dir.path().join("keys")).unwrap();
    std::fs::copy(
        "suites/keys/cup-test-mak.hex",
        dir.path().join("keys/cup-test-mak.hex"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("keys/cup-test-tmk.hex"),
        "0123456789ABCDEF0123456789ABCDEF\n",
    )
    .unwrap();
    let host_tmk = std::fs::canonicalize("suites/keys/cup-test-tmk.hex").unwrap();
    let server = Server::start(
        "cup",
        &[
            "--rules",
            "suites/cup-pos.rules.json",
            "--mac-key-file",
            "suites/keys/cup-test-mak.hex",
            "--tmk-file",
            host_tmk.to_str().unwrap(),
        ],
    );
    let suite = dir.path().join("cup-pos.toml");
    let (code, out, _) = test(&[
        suite.to_str().unwrap(),
        "--to",
        &server.addr,
        "--filter",
        "sign-on with",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("working keys (field 62)") && out.contains("is the TMK right?"),
        "{out}"
    );
}

#[test]
fn a_host_that_takes_a_wrong_mac_or_a_cut_message_fails_those_cases() {
    // A host with no MAC key and no format checks beyond decoding: it approves a spoiled MAC.
    let server = Server::start("iso87ascii", &["--framing", "len2"]);
    let (code, out, _) = test(&[SUITE, "--to", &server.addr, "--filter", "a wrong MAC"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("field 39: expected 63, got 00"), "{out}");
    // The cut message is still a format error there.
    let (code, out, _) = test(&[SUITE, "--to", &server.addr, "--filter", "cut short"]);
    assert_eq!(code, 0, "{out}");
}
