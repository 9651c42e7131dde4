//! Specs written for moov-io/iso8583 (JSON) are accepted by --spec, detected by content.
//! The fixtures in testdata/specs/moov-*.json are written here from moov's documented format.

use assert_cmd::Command;

fn brief(spec: &str, input: &str) -> Vec<serde_json::Value> {
    let out = Command::cargo_bin("posresp")
        .unwrap()
        .args([
            "--spec", spec, "--output", "jsonl", "decode", "--brief", input,
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            v.as_object_mut().unwrap().remove("spec");
            v
        })
        .collect()
}

#[test]
fn a_moov_spec_decodes_like_the_builtin() {
    let moov = "testdata/specs/moov-87ascii.json";
    for input in [
        "testdata/iso87ascii-0210.hex",
        "testdata/iso87ascii-traffic.log",
    ] {
        let a = brief(moov, input);
        assert!(!a.is_empty());
        assert_eq!(a, brief("iso87ascii", input), "{input}");
    }
    Command::cargo_bin("posresp")
        .unwrap()
        .args(["spec", "show", moov])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "imported from the moov-io/iso8583 spec",
        ))
        .stdout(predicates::str::contains("masked: pan"));
}

#[test]
fn unmappable_constructs_name_field_and_construct() {
    let out = Command::cargo_bin("posresp")
        .unwrap()
        .args(["--spec", "testdata/specs/moov-composite.json", "decode"])
        .arg("testdata/iso87ascii-0210.hex")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("field 3") && err.contains("Composite"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("odd.json");
    std::fs::write(
        &p,
        r#"{"name":"x","fields":{"0":{"type":"String","length":4,"enc":"asciiEncoder","prefix":"ASCII.fixed"},
            "2":{"type":"String","length":19,"enc":"asciiEncoder","prefix":"ASCII.LL"},
            "4":{"type":"Numeric","length":12,"enc":"lbcdEncoder","prefix":"BCD.fixed"}}}"#,
    )
    .unwrap();
    let out = Command::cargo_bin("posresp")
        .unwrap()
        .args(["--spec", p.to_str().unwrap(), "spec", "show"])
        .arg(p.to_str().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("field 4") && err.contains("lbcdEncoder"),
        "{err}"
    );
}
