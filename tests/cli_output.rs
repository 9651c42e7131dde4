//! `--output` is honoured or refused, never ignored: every command, in every output form,
//! either writes that form (JSON that parses, JSON Lines whose every line parses, CSV that
//! parses) or exits 2 with one line saying which forms it has.

use assert_cmd::Command;

/// One invocation per command (and spec subcommand), with what it needs to run offline.
const COMMANDS: &[&[&str]] = &[
    &["decode", "testdata/iso87ascii-0210.hex"],
    &["encode", "-"],
    &["explain", "51"],
    &["verify", "luhn", "4111111111111111"],
    &["generate", "--count", "2"],
    &["serve", "--listen", "127.0.0.1:0"],
    &["spec", "list"],
    &["spec", "show", "cup"],
    &["spec", "export", "cup"],
    &["stats", "testdata/capture/cup-terminal.pcap"],
    &[
        "diff",
        "testdata/capture/cup-terminal.pcap",
        "testdata/capture/cup-terminal.tcpdump.txt",
    ],
    &["completions", "bash"],
    &["man"],
];

#[test]
fn every_command_honours_or_refuses_each_output_form() {
    for cmd in COMMANDS {
        for form in ["json", "jsonl", "csv"] {
            let out = Command::cargo_bin("posresp")
                .unwrap()
                .args(["--output", form])
                .args(*cmd)
                // encode reads a JSON message from standard input; serve must not start.
                .write_stdin(r#"{"mti":"0800","fields":{"11":"000001","70":"301"}}"#)
                .timeout(std::time::Duration::from_secs(20))
                .output()
                .unwrap();
            let what = format!("posresp --output {form} {}", cmd.join(" "));
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            match out.status.code() {
                // 1 is a result too (diff found differences).
                Some(0 | 1) => match form {
                    "json" => {
                        // One document (diff writes its JSON as one object too).
                        serde_json::from_str::<serde_json::Value>(&stdout).unwrap_or_else(|e| {
                            panic!("{what}: not one JSON document ({e}):\n{stdout}")
                        });
                    }
                    "jsonl" => {
                        assert!(!stdout.trim().is_empty(), "{what}: nothing written");
                        for l in stdout.lines() {
                            serde_json::from_str::<serde_json::Value>(l).unwrap_or_else(|e| {
                                panic!("{what}: a line is not JSON ({e}): {l}")
                            });
                        }
                    }
                    _ => {
                        let mut r = csv::ReaderBuilder::new()
                            .flexible(false)
                            .from_reader(stdout.as_bytes());
                        let mut n = 0;
                        for rec in r.records() {
                            rec.unwrap_or_else(|e| panic!("{what}: {e}"));
                            n += 1;
                        }
                        assert!(n > 0, "{what}: no CSV rows:\n{stdout}");
                    }
                },
                Some(2) => {
                    assert!(stdout.is_empty(), "{what}: refused but wrote {stdout}");
                    assert_eq!(stderr.lines().count(), 1, "{what}: {stderr}");
                    assert!(
                        stderr.contains(&format!("does not take --output {form} (only ")),
                        "{what}: {stderr}"
                    );
                }
                other => panic!("{what}: exit {other:?}\n{stderr}"),
            }
        }
    }
}
