//! The README's examples are run and their output checked: every `$ command` line in a
//! ```text block runs in a scratch directory (with `testdata/` linked in and posresp on PATH)
//! and must print the lines that follow it. A line holding only `…` stands for any lines.
//! `UPDATE_README=1 cargo test --test readme` rewrites the shown output after a change.

use std::path::Path;
use std::process::Command;

struct Example {
    line: usize,
    command: String,
    expected: Vec<String>,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_text = false;
    for (i, line) in readme.lines().enumerate() {
        if line.starts_with("```") {
            in_text = !in_text && line == "```text";
            continue;
        }
        if !in_text {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            out.push(Example {
                line: i + 1,
                command: cmd.to_string(),
                expected: Vec::new(),
            });
        } else if let Some(last) = out.last_mut() {
            last.expected.push(line.trim_end().to_string());
        }
    }
    out
}

/// Whether `actual` matches `expected`, where a `…` line matches any run of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e == "…" => (0..=actual.len()).any(|k| matches(rest, &actual[k..])),
        Some((e, rest)) => {
            actual.first().is_some_and(|a| a.trim_end() == e) && matches(rest, &actual[1..])
        }
    }
}

#[test]
fn readme_examples_print_what_the_readme_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let all = check_examples(root, "README.md");
    assert!(all >= 8, "README examples not found");
}

/// The docs pages' examples, the same way.
#[test]
fn docs_examples_print_what_the_docs_say() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for page in std::fs::read_dir(root.join("docs")).unwrap() {
        let page = page.unwrap().path();
        if page.extension().is_some_and(|e| e == "md") {
            let rel = page
                .strip_prefix(root)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            n += check_examples(root, &rel);
        }
    }
    assert!(n >= 3, "docs examples not found");
}

/// Run the examples of one page (relative to the crate root); how many there were.
fn check_examples(root: &Path, page: &str) -> usize {
    let readme = std::fs::read_to_string(root.join(page)).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_posresp")).parent().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root.join("testdata"), dir.path().join("testdata")).unwrap();
    std::os::unix::fs::symlink(root.join("docs"), dir.path().join("docs")).unwrap();
    std::os::unix::fs::symlink(root.join("suites"), dir.path().join("suites")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let all = examples(&readme);
    let count = all.len();
    let update = std::env::var_os("UPDATE_README").is_some();
    let mut lines: Vec<String> = readme.lines().map(String::from).collect();
    // Rewrites go bottom-up so that earlier line numbers stay valid. Blocks with several
    // elisions are checked, not rewritten: edit those by hand.
    let mut rewrites: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for ex in all {
        let out = Command::new("sh")
            .arg("-c")
            .arg(&ex.command)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("POSRESP_KEY")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let mut expected = ex.expected.clone();
        while expected.last().is_some_and(String::is_empty) {
            expected.pop();
        }
        let actual: Vec<&str> = stdout.trim_end_matches('\n').lines().collect();
        let actual = if stdout.is_empty() {
            Vec::new()
        } else {
            actual
        };
        if update && expected.iter().filter(|l| *l == "…").count() <= 1 {
            // Keep an elision where the README has one: as many lines before and after it.
            let new: Vec<String> = match expected.iter().position(|l| l == "…") {
                Some(k) if actual.len() >= expected.len() - 1 => {
                    let after = expected.len() - k - 1;
                    let mut v: Vec<String> = actual[..k].iter().map(|s| s.to_string()).collect();
                    v.push("…".into());
                    v.extend(actual[actual.len() - after..].iter().map(|s| s.to_string()));
                    v
                }
                _ => actual.iter().map(|s| s.to_string()).collect(),
            };
            rewrites.push((ex.line, expected.len(), new));
            continue;
        }
        assert!(
            matches(&expected, &actual),
            "{page} line {}: `{}` printed\n{}\nbut the page shows\n{}",
            ex.line,
            ex.command,
            stdout,
            expected.join("\n")
        );
    }
    if update {
        for (line, n, new) in rewrites.into_iter().rev() {
            lines.splice(line..line + n, new);
        }
        std::fs::write(root.join(page), lines.join("\n") + "\n").unwrap();
    }
    count
}

#[test]
fn the_matcher_handles_ellipsis() {
    let e = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(matches(&e(&["a", "…", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&e(&["a", "…", "d"]), &["a", "d"]));
    assert!(!matches(&e(&["a", "…", "d"]), &["a", "b"]));
    assert!(!matches(&e(&["a", "b"]), &["a", "c"]));
}
