//! The masking matrix: for every built-in spec, messages carrying a known PAN, tracks 1, 2 and
//! 3, a PIN block, chip data (5A, 57, 5F20, 9F6B) well-formed and broken at every byte, and (for
//! CUP) sign-on keys in field 62 go through every command in every output format. No secret
//! may appear in any output, error or log, as digits or as ASCII hex, unless `--unmask` is given.

mod common;

use assert_cmd::Command;

const PAN: &str = "4761739001010119";
const PAN2: &str = "4761739001010127";
const DISC: &str = "25122011143800000";
const NAME: &str = "WANG/XIAOMING";
const PIN: &str = "8F3A2B1C0D9E7F66";
const KEY: &str =
    "E01B3E860949EE4C0BDDD573168ED6BA097575553945990F875BA4EB0000000000000000EDE09D04";
const SPECS: [&str; 5] = [
    "cup",
    "iso87ascii",
    "iso87binary",
    "iso93ascii",
    "iso87ascii-binary-bitmap",
];

fn hex_of(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02X}")).collect()
}

/// Every secret as it could leak: itself and its ASCII hex, upper case (outputs are compared
/// upper-cased, so lower-case hex counts too).
fn secrets(spec: &str) -> Vec<String> {
    let mut base = vec![
        PAN.to_string(),
        PAN2.to_string(),
        DISC.to_string(),
        NAME.to_string(),
        hex_of(NAME),
        PIN.to_string(),
    ];
    if spec == "cup" {
        base.push(KEY[..32].to_string());
        base.push(KEY[32..64].to_string());
    }
    let mut all: Vec<String> = base.iter().map(|s| hex_of(s)).collect();
    all.extend(base);
    all
}

/// Field 55: PAN (5A), track 2 equivalent (57), cardholder name (5F20), track 2 of a
/// contactless card (9F6B), and two plain tags (amount, cryptogram).
fn chip(pan: &str) -> String {
    let t2 = format!("{pan}D{DISC}");
    format!(
        "5A08{pan}5711{t2}5F20{:02X}{}9F6B11{t2}9F0206000000001000\
         9F26081122334455667788",
        NAME.len(),
        hex_of(NAME)
    )
}

/// The chip data well-formed, then with each byte in turn replaced by FF (a long or
/// overrunning length, an odd tag), then cut short at every element boundary.
fn chip_variants(pan: &str) -> Vec<String> {
    let good = chip(pan);
    let mut out = vec![good.clone()];
    for i in (0..good.len()).step_by(2) {
        let mut v = good.clone();
        v.replace_range(i..i + 2, "FF");
        out.push(v);
    }
    for cut in [2, 4, 20, 24, 58, 64, 90, 96, 130, 140] {
        out.push(good[..cut].to_string());
    }
    out
}

fn record(spec: &str, pan: &str, f55: &str, stan: usize) -> String {
    let mut fields = serde_json::json!({
        "2": pan,
        "3": "000000",
        "4": "000000001000",
        "11": format!("{:06}", stan % 1_000_000),
        "35": format!("{pan}={DISC}"),
        "36": format!("99{pan}=1561560500050000000000000013000000=000000000000={DISC}0"),
        "41": "TERM0001",
        "45": format!("B{pan}^{NAME}^{DISC}"),
        "52": PIN,
        "55": f55,
    });
    if spec == "cup" {
        fields["62"] = serde_json::json!(KEY);
    }
    let mut rec = serde_json::json!({"mti": "0200", "fields": fields});
    if spec == "cup" {
        rec["framing"] = serde_json::json!({"tpdu": "6000030000", "header": "603100311812"});
    }
    rec.to_string()
}

fn encode(spec: &str, pan: &str) -> String {
    let input: String = chip_variants(pan)
        .iter()
        .enumerate()
        .map(|(i, v)| record(spec, pan, v, i + 1) + "\n")
        .collect();
    let out = Command::cargo_bin("posresp")
        .unwrap()
        .args(["--spec", spec, "encode", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{spec}: encode failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hex = String::from_utf8(out.stdout).unwrap();
    assert_eq!(hex.lines().count(), chip_variants(pan).len(), "{spec}");
    hex
}

fn run(args: &[&str]) -> (String, String) {
    let out = Command::cargo_bin("posresp")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_no_secret(spec: &str, what: &str, text: &str) {
    let up = text.to_uppercase();
    for s in secrets(spec) {
        assert!(
            !up.contains(&s),
            "{spec}: {what} shows {s}:\n{}",
            &text[..text.len().min(4000)]
        );
    }
}

fn assert_clean(spec: &str, args: &[&str]) {
    let (out, err) = run(args);
    assert!(
        !out.is_empty() || !err.is_empty(),
        "{spec}: {args:?} printed nothing"
    );
    assert_no_secret(spec, &format!("{args:?} stdout"), &out);
    assert_no_secret(spec, &format!("{args:?} stderr"), &err);
}

struct Logs {
    _dir: tempfile::TempDir,
    left: String,
    right: String,
    jsonl: String,
}

fn logs(spec: &str) -> Logs {
    let dir = tempfile::tempdir().unwrap();
    let left = dir.path().join("left.log");
    let right = dir.path().join("right.log");
    let jsonl = dir.path().join("left.jsonl");
    let l = encode(spec, PAN);
    std::fs::write(&left, &l).unwrap();
    std::fs::write(&right, encode(spec, PAN2)).unwrap();
    let recs: String = l
        .lines()
        .enumerate()
        .map(|(i, h)| {
            format!(
                "{{\"ts\":\"2026-11-26T10:00:{:02}.000Z\",\"dir\":\"req\",\"hex\":\"{h}\"}}\n",
                i % 60
            )
        })
        .collect();
    std::fs::write(&jsonl, recs).unwrap();
    let p = |p: std::path::PathBuf| p.to_str().unwrap().to_string();
    Logs {
        left: p(left),
        right: p(right),
        jsonl: p(jsonl),
        _dir: dir,
    }
}

/// The data really carries the secrets: without this the rest could pass on empty output.
#[test]
fn matrix_data_carries_the_secrets_and_unmask_shows_them() {
    for spec in SPECS {
        let l = logs(spec);
        let (out, err) = run(&[
            "--spec", spec, "--unmask", "--output", "json", "decode", &l.left,
        ]);
        let up = out.to_uppercase();
        for s in [PAN, DISC, PIN, &hex_of(NAME)] {
            assert!(up.contains(s), "{spec}: --unmask does not show {s}: {err}");
        }
        let (out, _) = run(&["--spec", spec, "--output", "json", "decode", &l.left]);
        assert!(out.contains("476173******0119"), "{spec}: {out}");
    }
}

#[test]
fn decode_masks_every_format_every_spec_broken_chip_data_included() {
    for spec in SPECS {
        let l = logs(spec);
        for fmt in ["table", "json", "jsonl", "csv"] {
            for input in [&l.left, &l.jsonl] {
                assert_clean(spec, &["--spec", spec, "--output", fmt, "decode", input]);
                assert_clean(
                    spec,
                    &["--spec", spec, "--output", fmt, "decode", "--brief", input],
                );
            }
            assert_clean(
                spec,
                &["--spec", spec, "--output", fmt, "decode", "--raw", &l.left],
            );
        }
    }
}

#[test]
fn explain_verify_stats_and_diff_mask_every_format_every_spec() {
    for spec in SPECS {
        let l = logs(spec);
        for fmt in ["table", "json", "jsonl", "csv"] {
            let o = ["--spec", spec, "--output", fmt];
            let with = |rest: &[&str]| -> Vec<String> {
                o.iter().chain(rest).map(|s| s.to_string()).collect()
            };
            for args in [
                with(&["explain", "--message", &l.left]),
                with(&["verify", &l.left]),
                with(&["verify", &l.jsonl]),
                with(&["stats", &l.jsonl]),
                with(&["stats", "--by", "terminal", &l.jsonl]),
                with(&["diff", &l.left, &l.right]),
                with(&["diff", &l.jsonl, &l.right]),
            ] {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                assert_clean(spec, &args);
            }
        }
    }
}

/// encode's errors name the field and what is wrong, never the value.
#[test]
fn encode_errors_mask() {
    for spec in SPECS {
        for (field, value) in [
            ("2", format!("{PAN}{PAN}")),
            ("35", format!("{PAN}={DISC}{DISC}{DISC}")),
            ("45", format!("B{PAN}^{NAME}^{DISC}{DISC}{DISC}{DISC}")),
            ("52", format!("{PIN}00")),
            ("52", format!("{PIN}ZZ")),
        ] {
            let rec = serde_json::json!({"mti": "0200", "framing": {"tpdu": "6000030000", "header": "603100311812"},
                "fields": {"3": "000000", field: value}});
            // encode writes hex only (--output json is refused before any input is read).
            let out = Command::cargo_bin("posresp")
                .unwrap()
                .args(["--spec", spec, "--output", "table", "encode", "-"])
                .write_stdin(rec.to_string())
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{spec} {field}={value}: {err}");
            assert!(err.contains(field), "{spec}: error names no field: {err}");
            assert_no_secret(spec, &format!("encode {field} error"), &err);
            assert_no_secret(spec, "encode stdout", &String::from_utf8_lossy(&out.stdout));
        }
    }
}

/// serve and send over loopback: the answers send prints, both stderrs and both logs.
#[test]
fn serve_and_send_mask_every_spec() {
    for spec in SPECS {
        let l = logs(spec);
        let dir = tempfile::tempdir().unwrap();
        let framing = if spec == "cup" { "cup" } else { "len2" };
        let server = common::Server::start(spec, &["--framing", framing]);
        let addr = server.addr.clone();
        // send takes unframed messages for a framing it adds; cup's hex is already framed,
        // so strip the 2-byte length for the others after encoding them unframed.
        let msgs: Vec<String> = std::fs::read_to_string(&l.left)
            .unwrap()
            .lines()
            .map(|h| {
                if spec == "cup" {
                    h[4..].to_string()
                } else {
                    h.to_string()
                }
            })
            .take(12)
            .collect();
        let input = dir.path().join("in.log");
        std::fs::write(&input, msgs.join("\n") + "\n").unwrap();
        for fmt in ["table", "json", "jsonl", "csv"] {
            let send_log = dir.path().join(format!("send-{fmt}.jsonl"));
            let args = [
                "--spec",
                spec,
                "--output",
                fmt,
                "send",
                "--to",
                &addr,
                "--framing",
                framing,
                "--timeout",
                "2s",
                "--log",
                send_log.to_str().unwrap(),
                input.to_str().unwrap(),
            ];
            assert_clean(spec, &args);
            let logged = std::fs::read_to_string(&send_log).unwrap();
            assert!(logged.lines().count() >= 2, "{spec}: send log {logged}");
            assert_no_secret(spec, "send --log", &logged);
        }
        let (_, errs, lines) = server.stop();
        let logged: String = lines.iter().map(|l| format!("{l}\n")).collect();
        assert!(lines.len() >= 8, "{spec}: {logged}");
        assert_no_secret(spec, "serve --log", &logged);
        assert_no_secret(spec, "serve stderr", &errs);
    }
}
