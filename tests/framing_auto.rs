//! `--framing auto`: a spec's own framing reports its failure first, a length prefix that
//! explains every byte wins over reading its digits as an MTI, and a stream of length-prefixed
//! messages (`generate --format bin`) reads back message by message.

use assert_cmd::Command;

fn posresp(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("posresp")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn truncated_cup_frame_reports_the_framing() {
    let hex = std::fs::read_to_string("testdata/cup/cup-0200-cnblogs.hex").unwrap();
    let hex = hex.trim();
    // Every cut from the length prefix to one byte short.
    for cut in (6..hex.len() - 2).step_by(2) {
        let out = posresp(&["--spec", "cup", "decode", &hex[..cut]]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "cut at {cut}: {err}");
        assert!(err.contains("framing at byte 0"), "cut at {cut}: {err}");
        let got = cut / 2 - 2;
        assert!(
            err.contains(&format!("says 127 bytes follow but {got} bytes do"))
                || err.contains("needs 13 bytes"),
            "cut at {cut}: {err}"
        );
    }
}

#[test]
fn len4ascii_framed_messages_decode_under_auto() {
    let out = posresp(&[
        "--spec",
        "iso87ascii",
        "generate",
        "--count",
        "100",
        "--format",
        "hex",
    ]);
    let framed: String = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|h| {
            let len = format!("{:04}", h.len() / 2);
            let prefix: String = len.bytes().map(|b| format!("{b:02X}")).collect();
            format!("{prefix}{h}\n")
        })
        .collect();
    let n = framed.lines().count();
    assert_eq!(n, 200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("len4.log");
    std::fs::write(&path, framed).unwrap();
    for spec in ["iso87ascii", "auto"] {
        let out = posresp(&[
            "--spec",
            spec,
            "--output",
            "jsonl",
            "decode",
            path.to_str().unwrap(),
        ]);
        let stdout = String::from_utf8(out.stdout).unwrap();
        let ok = stdout
            .lines()
            .filter(|l| l.contains("\"kind\":\"len4ascii\"") && !l.contains("\"error\""))
            .count();
        assert_eq!(ok, n, "{spec}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn generate_bin_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    for spec in ["iso87ascii", "iso87binary", "cup", "iso93ascii"] {
        let bin = dir.path().join(format!("{spec}.bin"));
        let b = bin.to_str().unwrap();
        let out = posresp(&[
            "--spec", spec, "generate", "--count", "25", "--format", "bin", "--out", b,
        ]);
        assert!(out.status.success());
        let out = posresp(&["--spec", spec, "--output", "jsonl", "decode", b]);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(stdout.lines().count(), 50, "{spec}");
        assert!(!stdout.contains("\"error\""), "{spec}: {stdout}");
        assert!(out.status.success(), "{spec}");
    }
}
