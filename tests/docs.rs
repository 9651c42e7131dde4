//! The docs hold what the program does: every JSON example of the rules page (and
//! docs/examples/rules.json) is a valid rules file, and every key `decode` writes is
//! described in the JSON output page.

use std::collections::BTreeSet;

use assert_cmd::Command;
use posresp::codec::spec::builtin;
use posresp::host::rules::RuleSet;
use serde_json::Value;

fn json_blocks(page: &str) -> Vec<String> {
    let text = std::fs::read_to_string(page).unwrap();
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in text.lines() {
        match (&mut cur, line.trim_end()) {
            (None, "```json") => cur = Some(String::new()),
            (Some(_), "```") => out.push(cur.take().unwrap()),
            (Some(b), l) => {
                b.push_str(l);
                b.push('\n');
            }
            _ => {}
        }
    }
    out
}

#[test]
fn rules_examples_compile() {
    let mut files = json_blocks("docs/rules.md");
    assert!(!files.is_empty());
    files.extend(json_blocks("docs/proxy.md"));
    files.push(std::fs::read_to_string("docs/examples/rules.json").unwrap());
    files.push(std::fs::read_to_string("docs/examples/faults.json").unwrap());
    files.push(std::fs::read_to_string("testdata/serve/rules.json").unwrap());
    for spec in ["cup", "iso87ascii", "iso87binary"] {
        let spec = builtin(spec).unwrap().unwrap();
        for f in &files {
            let rules =
                RuleSet::parse(f, "example", &spec).unwrap_or_else(|e| panic!("{e} in\n{f}"));
            assert!(!rules.rules.is_empty());
        }
    }
}

/// Keys of every object in `v`, as `key` for top level and `parent.key` below (arrays of
/// fields as `fields[].key`).
fn keys(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.insert(path.clone());
                keys(child, &path, out);
            }
        }
        Value::Array(a) => {
            for child in a {
                keys(child, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_decode_key_is_documented() {
    let page = std::fs::read_to_string("docs/output.md").unwrap();
    let mut seen = BTreeSet::new();
    for (args, input) in [
        (vec!["--raw"], "testdata/cup/cup-0210-worked.hex"),
        (vec![], "testdata/cup/cup-real.jsonl"),
        (vec![], "testdata/iso87ascii-traffic.jsonl"),
        (vec![], "testdata/iso87ascii-with-bad-message.log"),
        (vec![], "testdata/jpos-xml-log.xml"),
        (vec![], "testdata/hostile/mixed-forms.log"),
        (vec![], "testdata/capture/cup-terminal.pcap"),
    ] {
        let out = Command::cargo_bin("posresp")
            .unwrap()
            .args(["--output", "jsonl", "decode"])
            .args(&args)
            .arg(input)
            .output()
            .unwrap();
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            keys(&serde_json::from_str(line).unwrap(), "", &mut seen);
        }
    }
    assert!(seen.len() > 20, "{seen:?}");
    for key in &seen {
        // Documented as the full path (`fields[].meaning`) or, below framing, response,
        // error and sub-elements, by its own name in the row of its parent.
        let last = key.rsplit(['.', ']']).next().unwrap_or(key);
        let documented = page.contains(&format!("`{key}`")) || page.contains(&format!("`{last}`"));
        assert!(
            documented,
            "decode writes `{key}` but docs/output.md does not describe it"
        );
    }
}
