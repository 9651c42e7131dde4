//! `posresp diff`: self-diffs are empty, known edits are reported exactly, counts are
//! conserved, order does not matter, spilling to disk gives the same answer.

use std::collections::BTreeSet;

use assert_cmd::Command;
use posresp::codec::spec::builtin;
use posresp::codec::{Decoded, FramingChoice, decode_into, encode};
use serde_json::Value;

fn posresp() -> Command {
    Command::cargo_bin("posresp").unwrap()
}

fn generated(count: u32, seed: u32) -> Vec<String> {
    let out = posresp()
        .args([
            "generate",
            "--count",
            &count.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Set `field` of the message on log line `line` to what `change` makes of its value.
fn edit(lines: &mut [String], line: usize, field: u16, change: impl Fn(&str) -> String) -> String {
    let spec = builtin("iso87ascii").unwrap().unwrap();
    let mut rec: Value = serde_json::from_str(&lines[line]).unwrap();
    let mut d = Decoded::default();
    decode_into(
        &spec,
        &unhex(rec["hex"].as_str().unwrap()),
        &FramingChoice::Auto,
        &mut d,
    )
    .unwrap();
    let mut msg = d.to_message();
    let old = msg.fields[&field].value.clone();
    msg.fields.get_mut(&field).unwrap().value = change(&old);
    rec["hex"] = Value::String(hex(&encode(&spec, &msg).unwrap()));
    lines[line] = rec.to_string();
    old
}

fn write(dir: &tempfile::TempDir, name: &str, lines: &[String]) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    p.to_string_lossy().into_owned()
}

fn bump_last_digit(v: &str) -> String {
    let mut s: Vec<u8> = v.bytes().collect();
    let last = s.last_mut().unwrap();
    *last = if *last == b'9' { b'0' } else { *last + 1 };
    String::from_utf8(s).unwrap()
}

/// Run diff with JSON Lines output: (pair records, summary, exit code).
fn diff(args: &[&str]) -> (Vec<Value>, Value, i32) {
    let out = posresp()
        .args(["--output", "jsonl", "diff"])
        .args(args)
        .output()
        .unwrap();
    let mut recs: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary = recs.pop().expect("a summary record");
    assert_eq!(summary["kind"], "summary");
    (recs, summary, out.status.code().unwrap())
}

fn n(v: &Value, k: &str) -> u64 {
    v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"))
}

fn assert_conserved(s: &Value) {
    assert_eq!(
        n(s, "left_messages"),
        n(s, "pairs_compared") + n(s, "only_in_left") + n(s, "duplicate_keys_left"),
        "{s}"
    );
    assert_eq!(
        n(s, "right_messages"),
        n(s, "pairs_compared") + n(s, "only_in_right") + n(s, "duplicate_keys_right"),
        "{s}"
    );
    assert_eq!(n(s, "pairs_compared"), n(s, "identical") + n(s, "changed"));
}

#[test]
fn a_log_diffed_with_itself_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(&dir, "a.jsonl", &generated(500, 3));
    let (recs, s, code) = diff(&[&a, &a]);
    assert_eq!(code, 0);
    assert!(recs.is_empty());
    assert_eq!(n(&s, "left_messages"), 1000);
    assert_eq!(n(&s, "identical"), 1000);
    assert_conserved(&s);
    posresp()
        .args(["diff", &a, &a])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("1000 identical, 0 changed"));
}

#[test]
fn known_edits_are_reported_exactly_and_order_does_not_matter() {
    let dir = tempfile::tempdir().unwrap();
    let left = generated(5000, 5);
    let mut right = left.clone();
    // Every 200th response gets another response code.
    let mut expected = BTreeSet::new();
    let mut transitions = std::collections::BTreeMap::<String, u64>::new();
    let responses: Vec<usize> = (0..right.len())
        .filter(|&i| right[i].contains("\"dir\":\"resp\""))
        .collect();
    for &i in responses.iter().step_by(200) {
        let new = |old: &str| if old == "00" { "05" } else { "00" }.to_string();
        let old = edit(&mut right, i, 39, new);
        *transitions
            .entry(format!("{old} → {}", new(&old)))
            .or_default() += 1;
        expected.insert(i as u64 + 1);
    }
    // One key field (11) changes too: that message is then only in one log each side.
    let r11 = responses[13];
    edit(&mut right, r11, 11, |v| {
        format!("{:06}", (v.parse::<u32>().unwrap() + 500_000) % 1_000_000)
    });
    let l = write(&dir, "left.jsonl", &left);
    let r = write(&dir, "right.jsonl", &right);

    let (all, s, code) = diff(&[&l, &r]);
    assert_eq!(code, 1);
    // The message whose key changed is listed on each side, with its number and line.
    let sided = |kind: &str| -> Vec<&Value> { all.iter().filter(|d| d["kind"] == kind).collect() };
    let (ol, or) = (sided("only_in_left"), sided("only_in_right"));
    assert_eq!((ol.len(), or.len()), (1, 1), "{ol:?} {or:?}");
    for o in [ol[0], or[0]] {
        assert_eq!(n(o, "message"), r11 as u64 + 1, "{o}");
        assert_eq!(n(o, "line"), r11 as u64 + 1, "{o}");
        assert!(o["key"].as_str().unwrap().contains("11="), "{o}");
    }
    let recs: Vec<Value> = all
        .iter()
        .filter(|d| d["kind"] == "pair")
        .cloned()
        .collect();
    let got: BTreeSet<u64> = recs.iter().map(|d| n(d, "right_message")).collect();
    assert_eq!(got, expected);
    for d in &recs {
        assert_eq!(d["changed"].as_array().unwrap().len(), 1, "{d}");
        assert_eq!(d["changed"][0]["field"], 39);
        assert!(d["added"].as_array().unwrap().is_empty());
        assert!(d["removed"].as_array().unwrap().is_empty());
        assert_eq!(n(d, "left_message"), n(d, "right_message"));
    }
    assert_eq!(n(&s, "changed"), expected.len() as u64);
    assert_eq!((n(&s, "only_in_left"), n(&s, "only_in_right")), (1, 1));
    assert_conserved(&s);
    let got_t: std::collections::BTreeMap<String, u64> =
        serde_json::from_value(s["response_code_transitions"].clone()).unwrap();
    assert_eq!(got_t, transitions);
    assert_eq!(s["fields_changed_most"][0]["field"], 39);

    // Shuffled logs: same summary, same pairs (by key).
    let mut shuffled = right.clone();
    let len = shuffled.len();
    for i in 0..len {
        shuffled.swap(i, (i * 7919 + 13) % len);
    }
    let mut left_rev = left.clone();
    left_rev.reverse();
    let r2 = write(&dir, "right-shuffled.jsonl", &shuffled);
    let l2 = write(&dir, "left-reversed.jsonl", &left_rev);
    let (recs2, s2, code2) = diff(&[&l2, &r2]);
    let recs2: Vec<Value> = recs2.into_iter().filter(|d| d["kind"] == "pair").collect();
    assert_eq!(code2, 1);
    assert_eq!(s2, s);
    let keys = |v: &[Value]| -> BTreeSet<String> {
        v.iter()
            .map(|d| format!("{} {}", d["key"], d["changed"]))
            .collect()
    };
    assert_eq!(keys(&recs2), keys(&recs));

    // A small memory budget spills to disk partitions and gives the same answer.
    let (recs3, mut s3, _) = diff(&["--memory", "1M", &l2, &r2]);
    assert!(n(&s3, "partitions") > 1, "{s3}");
    s3["partitions"] = s["partitions"].clone();
    assert_eq!(s3, s);
    let recs3: Vec<Value> = recs3.into_iter().filter(|d| d["kind"] == "pair").collect();
    assert_eq!(keys(&recs3), keys(&recs));

    // The table shows the transition matrix and the differences.
    posresp()
        .args(["diff", &l, &r, "--limit", "2"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("response codes (left → right):"))
        .stdout(predicates::str::contains("  ~ 39: "))
        .stdout(predicates::str::contains("more (raise --limit"));

    // Standard input works for one side.
    posresp()
        .args(["--output", "jsonl", "diff", &l, "-"])
        .write_stdin(std::fs::read(&r).unwrap())
        .assert()
        .code(1)
        .stdout(predicates::str::contains(format!(
            "\"changed\":{}",
            expected.len()
        )));
}

#[test]
fn ignore_none_and_key_choice() {
    let dir = tempfile::tempdir().unwrap();
    let left = generated(200, 9);
    let mut right = left.clone();
    let resp = (0..right.len())
        .find(|&i| right[i].contains("\"dir\":\"resp\""))
        .unwrap();
    edit(&mut right, resp, 37, bump_last_digit);
    let l = write(&dir, "l.jsonl", &left);
    let r = write(&dir, "r.jsonl", &right);
    // 37 is in the default key and ignore lists; keyed on 11,41 only, the logs still agree.
    let (_, s, code) = diff(&["--key", "11,41", &l, &r]);
    assert_eq!((code, n(&s, "changed")), (0, 0), "{s}");
    // With --ignore none the change shows.
    let (recs, s, code) = diff(&["--key", "11,41", "--ignore", "none", &l, &r]);
    assert_eq!((code, n(&s, "changed")), (1, 1), "{s}");
    assert_eq!(recs[0]["changed"][0]["field"], 37);
    assert_eq!(s["ignored_fields"], serde_json::json!([]));
}

#[test]
fn card_numbers_are_masked_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let left = generated(50, 21);
    let mut right = left.clone();
    let resp = (0..right.len())
        .find(|&i| right[i].contains("\"dir\":\"resp\""))
        .unwrap();
    let old = edit(&mut right, resp, 2, |v| {
        let mut s: Vec<u8> = v.bytes().collect();
        s[8] = if s[8] == b'9' { b'1' } else { s[8] + 1 };
        String::from_utf8(s).unwrap()
    });
    let l = write(&dir, "l.jsonl", &left);
    let r = write(&dir, "r.jsonl", &right);
    let out = posresp().args(["diff", &l, &r]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("~ 2: "), "{text}");
    assert!(!text.contains(&old), "{text}");
    assert!(text.contains(&old[..6]));
    let out = posresp()
        .args(["--unmask", "--output", "csv", "diff", &l, &r])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("left_message,right_message,key,mti,change,field,left,right\n"));
    assert!(text.contains(&old), "{text}");
}

#[test]
fn bad_messages_are_reported_and_the_rest_compared() {
    let dir = tempfile::tempdir().unwrap();
    let left = generated(100, 2);
    let mut right = left.clone();
    right.insert(
        10,
        r#"{"ts":"2026-11-26T00:00:00Z","dir":"resp","hex":"30323130FFFF"}"#.into(),
    );
    let l = write(&dir, "l.jsonl", &left);
    let r = write(&dir, "r.jsonl", &right);
    let (recs, s, code) = diff(&[&l, &r]);
    assert_eq!(code, 2);
    assert!(recs.is_empty());
    assert_eq!(n(&s, "undecodable_right"), 1);
    assert_eq!(n(&s, "identical"), 200);
    posresp()
        .args(["diff", &l, &r])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("right"))
        .stderr(predicates::str::contains("message 11 (line 11)"));
}

#[test]
fn bad_options_are_one_line_errors() {
    for (args, what) in [
        (vec!["--memory", "lots"], "--memory"),
        (vec!["--key", "11,x"], "not a field number"),
    ] {
        let out = posresp()
            .arg("diff")
            .args(&args)
            .args([
                "testdata/iso87ascii-0210.hex",
                "testdata/iso87ascii-0210.hex",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(what), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
    posresp()
        .args([
            "diff",
            "testdata/no-such.log",
            "testdata/iso87ascii-0210.hex",
        ])
        .assert()
        .code(2);
}

#[test]
fn jpos_xml_logs_are_compared_as_logged_values() {
    let x = "testdata/jpos-xml-log.xml";
    let (recs, s, code) = diff(&[x, x]);
    assert_eq!(code, 0, "{s}");
    assert!(recs.is_empty());
    assert_eq!((n(&s, "left_messages"), n(&s, "identical")), (2, 2));
    assert_eq!(n(&s, "undecodable_left"), 0);
}

/// `diff --where`: only the messages that hold the condition are paired and compared.
#[test]
fn where_narrows_both_sides() {
    let summary = |extra: &[&str]| -> Value {
        let out = posresp()
            .args(["--output", "json", "diff"])
            .args(extra)
            .args([
                "testdata/capture/cup-terminal.pcap",
                "testdata/capture/cup-terminal.tcpdump.txt",
            ])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["summary"].clone()
    };
    let all = summary(&[]);
    assert_eq!(
        (
            all["left_messages"].as_u64(),
            all["right_messages"].as_u64()
        ),
        (Some(22), Some(5))
    );
    let one = summary(&["--where", "41=T0000002"]);
    assert_eq!(
        (
            one["left_messages"].as_u64(),
            one["right_messages"].as_u64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(one["identical"], 2);
    assert_eq!(one["only_in_left"], 0);
}

/// Ctrl-C during a diff that spilled to disk: exit 130 and no temporary files left.
#[test]
fn interrupted_diff_leaves_no_temporary_files() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("left.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let chunk = posresp()
        .args(["--spec", "cup", "generate", "--count", "2000"])
        .output()
        .unwrap()
        .stdout;
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("posresp"))
        .args(["diff", "--memory", "1M"])
        .arg(&fifo)
        .arg("testdata/capture/cup-terminal.pcap")
        .env("TMPDIR", dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let f = fifo.clone();
    std::thread::spawn(move || {
        let mut w = std::fs::OpenOptions::new().write(true).open(f).unwrap();
        let mut n = 0;
        while w.write_all(&chunk).is_ok() {
            n += 1;
            let _ = tx.send(n);
        }
    });
    // Enough fingerprints to pass the memory budget: the spill folder exists.
    let spill = dir.path().join(format!("posresp-diff-{}", child.id()));
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !spill.exists() {
        let _ = rx.recv_timeout(std::time::Duration::from_millis(100));
        assert!(std::time::Instant::now() < until, "no spill folder");
    }
    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("diff interrupted"), "{stderr}");
    assert!(!spill.exists(), "spill folder left behind");
}
