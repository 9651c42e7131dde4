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

// jPOS GenericPackager XML (testdata/specs/jpos-*.xml, written by
// tools/gen_jpos_packager_fixture.py in jPOS's documented <isopackager> form).

#[test]
fn a_jpos_packager_decodes_like_the_builtin() {
    let ascii = "testdata/specs/jpos-iso87ascii.xml";
    for input in [
        "testdata/iso87ascii-0210.hex",
        "testdata/iso87ascii-traffic.log",
        "testdata/pyiso8583/default_ascii.jsonl",
    ] {
        let a = brief(ascii, input);
        assert!(!a.is_empty());
        assert_eq!(a, brief("iso87ascii", input), "{input}");
    }
    // IFB_ classes (BCD numerics, BCD prefixes, sign+BCD amounts) against iso87binary.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("bin.jsonl");
    let out = Command::cargo_bin("posresp")
        .unwrap()
        .args([
            "--spec",
            "iso87binary",
            "generate",
            "--count",
            "300",
            "--out",
        ])
        .arg(&log)
        .output()
        .unwrap();
    assert!(out.status.success());
    let log = log.to_str().unwrap();
    let a = brief("testdata/specs/jpos-iso87binary.xml", log);
    assert_eq!(a.len(), brief("iso87binary", log).len());
    assert_eq!(a, brief("iso87binary", log));
    Command::cargo_bin("posresp")
        .unwrap()
        .args(["spec", "show", ascii])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "imported from the jPOS GenericPackager file",
        ))
        .stdout(predicates::str::contains("masked: pan"));
}

#[test]
fn jpos_constructs_that_cannot_be_mapped_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            r#"<isopackager>
  <isofield id="0" length="4" name="MTI" class="org.jpos.iso.IFA_NUMERIC"/>
  <isofield id="1" length="16" name="BITMAP" class="org.jpos.iso.IFA_BITMAP"/>
  <isofieldpackager id="127" length="999" name="PRIVATE" class="org.jpos.iso.IFA_LLLCHAR" packager="org.jpos.iso.packager.GenericSubFieldPackager">
    <isofield id="1" length="2" name="SUB" class="org.jpos.iso.IF_CHAR"/>
  </isofieldpackager>
</isopackager>"#,
            "field 127",
            "isofieldpackager",
        ),
        (
            r#"<isopackager>
  <isofield id="0" length="4" name="MTI" class="org.jpos.iso.IFA_NUMERIC"/>
  <isofield id="1" length="16" name="BITMAP" class="org.jpos.iso.IFA_BITMAP"/>
  <isofield id="48" length="999" name="ADDITIONAL" class="org.jpos.iso.IFEPE_LLLCHAR"/>
</isopackager>"#,
            "field 48",
            "IFEPE_LLLCHAR",
        ),
        (
            r#"<isopackager>
  <isofield id="1" length="16" name="BITMAP" class="org.jpos.iso.IFA_BITMAP"/>
  <isofield id="2" length="19" name="PAN" class="org.jpos.iso.IFA_LLNUM"/>
</isopackager>"#,
            "field 0",
            "no field 0",
        ),
    ];
    for (i, (xml, field, construct)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("p{i}.xml"));
        std::fs::write(&path, xml).unwrap();
        let out = Command::cargo_bin("posresp")
            .unwrap()
            .args([
                "--spec",
                path.to_str().unwrap(),
                "decode",
                "testdata/iso87ascii-0210.hex",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(field) && err.contains(construct), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}
