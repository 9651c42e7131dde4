//! Masking audit: card data (PAN, tracks 1 and 2, PIN block) never appears in any command's
//! output or errors, in any output format, unless `--unmask` is given.

mod common;

use assert_cmd::Command;

const MSG: &str = "testdata/sensitive-0200.hex";
const PAN: &str = "4761739001010119";
/// Track 2 discretionary data, track 1 name, PIN block, and the PAN as ASCII hex.
const SECRETS: [&str; 5] = [
    PAN,
    "25122011143800000",
    "CARDHOLDER",
    "8F3A2B1C0D9E7F66",
    "34373631373339303031303130313139",
];

fn run(args: &[&str], stdin: Option<&str>) -> (String, String) {
    let mut cmd = Command::cargo_bin("posresp").unwrap();
    cmd.args(args);
    if let Some(s) = stdin {
        cmd.write_stdin(s.to_string());
    }
    let out = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_clean(args: &[&str], stdin: Option<&str>) {
    let (out, err) = run(args, stdin);
    assert!(
        !out.is_empty() || !err.is_empty(),
        "{args:?} printed nothing"
    );
    for s in SECRETS {
        assert!(!out.contains(s), "{args:?} shows {s} on stdout:\n{out}");
        assert!(!err.contains(s), "{args:?} shows {s} on stderr:\n{err}");
    }
}

fn hex() -> String {
    std::fs::read_to_string(MSG).unwrap().trim().to_string()
}

fn log_with(hex: &str) -> String {
    format!("{{\"ts\":\"2026-11-26T10:00:00.000Z\",\"dir\":\"req\",\"hex\":\"{hex}\"}}\n")
}

#[test]
fn decode_explain_and_verify_mask_in_every_format() {
    for fmt in ["table", "json", "jsonl", "csv"] {
        assert_clean(&["--output", fmt, "decode", MSG], None);
        assert_clean(&["--output", fmt, "decode", "--brief", MSG], None);
        assert_clean(&["--output", fmt, "verify", MSG], None);
        assert_clean(&["--output", fmt, "explain", "--message", MSG], None);
    }
    assert_clean(&["--output", "json", "decode", "--raw", MSG], None);
    assert_clean(&["verify", "luhn", PAN], None);
}

#[test]
fn logs_stats_and_diff_mask() {
    let dir = tempfile::tempdir().unwrap();
    let left = dir.path().join("l.jsonl");
    let right = dir.path().join("r.jsonl");
    std::fs::write(&left, log_with(&hex())).unwrap();
    // The same message with another PAN (one digit changed: 4761739001010119 → …0127).
    let other = hex().replace(
        "34373631373339303031303130313139",
        "34373631373339303031303130313237",
    );
    std::fs::write(&right, log_with(&other)).unwrap();
    let (l, r) = (left.to_str().unwrap(), right.to_str().unwrap());
    for fmt in ["table", "json", "jsonl", "csv"] {
        assert_clean(&["--output", fmt, "decode", l], None);
        assert_clean(&["--output", fmt, "diff", l, r], None);
        assert_clean(&["--output", fmt, "stats", "--by", "terminal", l], None);
    }
    assert_clean(&["decode", "-"], Some(&log_with(&hex())));
}

#[test]
fn errors_mask() {
    let h = hex();
    // Cut inside track 1 (field 45): the error must not quote what came before.
    let cut = &h[..h.find("5E43").unwrap() + 20];
    assert_clean(&["decode", cut], None);
    assert_clean(&["--output", "jsonl", "decode", cut], None);
    assert_clean(&["verify", cut], None);
    // A letter inside the PAN (4761739001X10119): still masked, in decode and in verify's
    // type failure.
    let bad = h.replacen("3930303130313031", "3930303158313031", 1);
    assert_ne!(bad, h);
    for args in [
        vec!["decode", &bad],
        vec!["verify", &bad],
        vec!["--output", "json", "verify", &bad],
    ] {
        let (out, err) = run(&args, None);
        assert!(
            !out.contains("4761739001X10119") && !err.contains("4761739001X10119"),
            "{args:?}: {out}{err}"
        );
        assert!(out.contains("476173******0119"), "{args:?}: {out}");
    }
}

#[test]
fn unmask_reveals() {
    let (out, _) = run(&["--unmask", "decode", MSG], None);
    assert!(out.contains(PAN) && out.contains("CARDHOLDER") && out.contains("8F3A2B1C0D9E7F66"));
}

fn hex_of(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02X}")).collect()
}

/// serve and send: the answers send prints, both processes' errors, and both traffic logs
/// (where card data would appear as hex) are clean.
#[test]
fn serve_and_send_mask() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::Server::start("iso87ascii", &["--framing", "len2"]);
    let addr = server.addr.clone();
    let h = hex();
    // A request that does not decode (cut inside track 1) as well as the whole one.
    let cut = format!(
        "{:04X}{}",
        (h.find("5E43").unwrap() + 20) / 2,
        &h[..h.find("5E43").unwrap() + 20]
    );
    let whole = format!("{:04X}{h}", h.len() / 2);
    for fmt in ["table", "json", "jsonl", "csv"] {
        let send_log = dir.path().join(format!("send-{fmt}.jsonl"));
        let args = [
            "--spec",
            "iso87ascii",
            "--output",
            fmt,
            "send",
            "--to",
            &addr,
            "--framing",
            "len2",
            "--timeout",
            "2s",
            "--log",
            send_log.to_str().unwrap(),
            &whole,
        ];
        assert_clean(&args, None);
        let logged = std::fs::read_to_string(&send_log).unwrap();
        assert!(logged.contains("\"redacted\":true"), "{logged}");
        for s in SECRETS {
            assert!(
                !logged.contains(&hex_of(s)) && !logged.contains(s),
                "send --log has {s}"
            );
        }
    }
    let (_, err) = run(
        &[
            "--spec",
            "iso87ascii",
            "send",
            "--to",
            &addr,
            "--framing",
            "len2",
            "--timeout",
            "1s",
            &cut,
        ],
        None,
    );
    for s in SECRETS {
        assert!(!err.contains(s), "send error shows {s}: {err}");
    }
    let (_, errs, lines) = server.stop();
    let logged: String = lines.iter().map(|l| format!("{l}\n")).collect();
    assert!(lines.len() >= 8, "{logged}");
    for s in SECRETS {
        assert!(
            !logged.contains(&hex_of(s)) && !logged.contains(s),
            "serve --log has {s}"
        );
        assert!(
            !errs.contains(s) && !errs.contains(&hex_of(s)),
            "serve stderr has {s}: {errs}"
        );
    }
    // The zeroed PAN keeps its BIN and last four, and the records say they were zeroed
    // (verify then reports the checks over zeroed values as not checkable).
    assert!(logged.contains(&hex_of("4761730000000119")));
    assert!(
        lines
            .iter()
            .filter(|l| l["hex"]
                .as_str()
                .is_some_and(|h| h.contains(&hex_of("4761730000000119"))))
            .all(|l| l["redacted"] == true),
        "{logged}"
    );
}

/// Keys never appear: verify, generate and serve print check values at most.
#[test]
fn keys_are_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let key_hex = "0123456789ABCDEFFEDCBA9876543210";
    let key = dir.path().join("k.hex");
    std::fs::write(&key, key_hex).unwrap();
    let k = key.to_str().unwrap();
    let log = dir.path().join("g.jsonl");
    let (out, err) = run(
        &[
            "--spec",
            "cup",
            "generate",
            "--count",
            "5",
            "--mac-key-file",
            k,
            "--out",
            log.to_str().unwrap(),
        ],
        None,
    );
    let l = log.to_str().unwrap();
    let mut seen = out + &err + &std::fs::read_to_string(&log).unwrap();
    for fmt in ["table", "json", "jsonl", "csv"] {
        let (o, e) = run(
            &[
                "--spec",
                "cup",
                "--output",
                fmt,
                "verify",
                "--key-file",
                k,
                l,
            ],
            None,
        );
        assert!(o.contains("KCV") || o.contains("kcv"), "{fmt}: {o}");
        seen += &(o + &e);
        let (o, e) = run(
            &[
                "--output",
                fmt,
                "verify",
                "mac",
                "--algorithm",
                "cup-ecb",
                "--key-file",
                k,
                l,
            ],
            None,
        );
        seen += &(o + &e);
    }
    // A wrong-length key in an error message is not echoed either.
    let short = dir.path().join("short.hex");
    std::fs::write(&short, &key_hex[..30]).unwrap();
    let (o, e) = run(
        &[
            "--spec",
            "cup",
            "verify",
            "--key-file",
            short.to_str().unwrap(),
            l,
        ],
        None,
    );
    seen += &(o + &e);
    for needle in [key_hex, &key_hex[..16], &key_hex[16..], &key_hex[..30]] {
        assert!(
            !seen.contains(needle),
            "key material {needle} printed:\n{seen}"
        );
    }
}

/// Item 4: serde's messages quote the offending value; a card number in a malformed JSON
/// Lines record must not come back in an error, on stderr or in a JSON error record.
#[test]
fn malformed_json_records_do_not_quote_card_numbers() {
    let pan = "4929837165432100";
    let log = format!(
        "{{\"hex\": {pan}}}\n{{\"ts\": {pan}, \"hex\": \"00\"}}\n{{\"latency_ms\": \"{pan}\", \"hex\": \"00\"}}\n"
    );
    for fmt in ["table", "json", "jsonl", "csv"] {
        for cmd in [
            vec!["decode", "-"],
            vec!["stats", "-"],
            vec!["verify", "-"],
            vec!["explain", "--message", "-"],
            vec!["diff", "-", "testdata/iso87ascii-traffic.jsonl"],
        ] {
            let mut args = vec!["--output", fmt];
            args.extend(cmd);
            let (out, err) = run(&args, Some(&log));
            assert!(
                err.contains("not a JSON record") || out.contains("not a JSON record"),
                "{args:?}: {out}{err}"
            );
            assert!(
                !out.contains(pan) && !err.contains(pan),
                "{args:?}: {out}{err}"
            );
        }
    }
    let rec = format!("{{\"mti\":\"0200\",\"fields\":[{{\"id\":\"2\",\"value\":{pan}}}]}}");
    let (out, err) = run(&["--spec", "iso87ascii", "encode", "-"], Some(&rec));
    assert!(err.contains("\"fields\""), "{err}");
    assert!(!out.contains(pan) && !err.contains(pan), "{err}");
}

/// Item 5: a key typed where a path or a variable name belongs is not echoed back.
#[test]
fn key_given_as_path_or_variable_is_not_echoed() {
    let key = "7C4A91E2D3B5F60818293A4B5C6D7E8F";
    let dir = tempfile::tempdir().unwrap();
    let mak_path = dir.path().join("mak.hex");
    std::fs::write(&mak_path, "0123456789ABCDEFFEDCBA9876543210").unwrap();
    let mak = mak_path.to_str().unwrap();
    let runs: [Vec<&str>; 6] = [
        vec!["verify", "--key-file", key, "testdata/cup/cup-real.jsonl"],
        vec!["verify", "--key-env", key, "testdata/cup/cup-real.jsonl"],
        vec![
            "verify",
            "mac",
            "--algorithm",
            "cup-ecb",
            "--key-file",
            key,
            "00",
        ],
        vec!["--spec", "cup", "serve", "--mac-key-file", key],
        vec![
            "--spec",
            "cup",
            "serve",
            "--tmk-file",
            key,
            "--mac-key-file",
            mak,
        ],
        vec!["--spec", "cup", "generate", "--mac-key-file", key],
    ];
    for args in runs {
        let out = Command::cargo_bin("posresp")
            .unwrap()
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("looks like a key"), "{args:?}: {err}");
        assert!(
            !err.contains(&key[..16]) && !err.contains(&key[16..]),
            "{args:?}: {err}"
        );
    }
}
