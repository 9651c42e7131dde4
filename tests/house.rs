//! The house keeps its shape (DESIGN.md "The house, next step"): the codec imports nothing
//! else of the crate, no command imports another command, and no two files import each other,
//! directly or round a circle. Imports are read from the source: `use` lines and paths written
//! in full (`crate::a::b`, `posresp::a::b`, `super::x`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every .rs file under src/, as a module path relative to its crate root: the library
/// (`lib.rs` and what it declares) and the binary (`main.rs`, cli, cmd, …) are two crates.
fn files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut v = Vec::new();
    walk(Path::new("src"), &mut v);
    v.sort();
    v
}

/// `src/cmd/send/mod.rs` → ["cmd", "send"]; `src/codec/tlv.rs` → ["codec", "tlv"].
fn module_of(p: &Path) -> Vec<String> {
    let rel = p.strip_prefix("src").unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts
        .last()
        .is_some_and(|l| l == "mod" || l == "lib" || l == "main")
    {
        parts.pop();
    }
    parts
}

/// Modules of the binary crate (declared by main.rs), by their first segment.
fn binary_roots() -> BTreeSet<String> {
    let main = std::fs::read_to_string("src/main.rs").unwrap();
    main.lines()
        .filter_map(|l| l.trim().strip_prefix("mod "))
        .map(|m| m.trim_end_matches(';').to_string())
        .collect()
}

/// The source without comments and string literals (so that doc text naming a path does
/// not count as an import).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut kept = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if !in_str && c == '/' && chars.peek() == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            } else if !in_str {
                kept.push(c);
            }
            prev = c;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// The module paths a file refers to: `crate::x::y…` (its own crate), `posresp::x::y…` (the
/// library, from the binary) and `super::x` (a sibling), each with the crate it lives in.
fn references(file_mod: &[String], is_dir_mod: bool, text: &str) -> Vec<(bool, Vec<String>)> {
    let code = code_only(text);
    // Expand `use a::{b, c::d}` one level: enough for how this code base writes imports.
    let mut paths: Vec<String> = Vec::new();
    let flat = code.replace('\n', " ");
    for stmt in flat.split(';') {
        let s = stmt.trim();
        let Some(rest) = s
            .strip_prefix("use ")
            .or_else(|| s.strip_prefix("pub use "))
            .or_else(|| s.strip_prefix("pub(crate) use "))
        else {
            continue;
        };
        let rest = rest.replace(' ', "");
        match rest.split_once('{') {
            Some((head, tail)) => {
                for item in tail.trim_end_matches('}').split(',') {
                    let item = item.split('{').next().unwrap_or("");
                    paths.push(format!("{head}{item}"));
                }
            }
            None => paths.push(rest),
        }
    }
    for word in flat.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
        if word.starts_with("crate::")
            || word.starts_with("posresp::")
            || word.starts_with("super::")
        {
            paths.push(word.to_string());
        }
    }
    let mut out = Vec::new();
    for p in paths {
        let segs: Vec<String> = p
            .split("::")
            .filter(|s| !s.is_empty() && *s != "self" && *s != "*")
            .map(str::to_string)
            .collect();
        let Some(first) = segs.first() else { continue };
        match first.as_str() {
            "crate" => out.push((false, segs[1..].to_vec())),
            "posresp" => out.push((true, segs[1..].to_vec())),
            "super" => {
                // `super` of a/x.rs and of a/x/mod.rs (module a::x) is a.
                let _ = is_dir_mod;
                let mut v = file_mod.to_vec();
                v.pop();
                v.extend(segs[1..].iter().cloned());
                out.push((false, v));
            }
            _ => {}
        }
    }
    out
}

struct House {
    /// (is library, module path) → file.
    modules: BTreeMap<(bool, Vec<String>), PathBuf>,
    edges: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
}

fn house() -> House {
    let bin = binary_roots();
    let mut modules = BTreeMap::new();
    for f in files() {
        let m = module_of(&f);
        let lib = f != Path::new("src/main.rs") && !m.first().is_some_and(|r| bin.contains(r));
        modules.insert((lib, m), f);
    }
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for ((lib, m), f) in &modules {
        let text = std::fs::read_to_string(f).unwrap();
        let is_dir_mod = f.file_name().is_some_and(|n| n == "mod.rs");
        for (to_lib, path) in references(m, is_dir_mod, &text) {
            let target_lib = to_lib || *lib;
            // The longest module prefix of the path that is a file.
            let mut target = None;
            for k in (0..=path.len()).rev() {
                if let Some(t) = modules.get(&(target_lib, path[..k].to_vec())) {
                    target = Some(t.clone());
                    break;
                }
            }
            if let Some(t) = target
                && &t != f
            {
                edges.entry(f.clone()).or_default().insert(t);
            }
        }
    }
    House { modules, edges }
}

#[test]
fn the_codec_imports_nothing_else_of_the_crate() {
    let h = house();
    let mut bad = Vec::new();
    for (f, to) in &h.edges {
        if f.starts_with("src/codec") {
            for t in to {
                if !t.starts_with("src/codec") {
                    bad.push(format!("{} imports {}", f.display(), t.display()));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn no_command_imports_another_command() {
    let h = house();
    let command = |p: &Path| -> Option<String> {
        let rel = p.strip_prefix("src/cmd").ok()?;
        let first = rel
            .iter()
            .next()?
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        (first != "mod").then_some(first)
    };
    let mut bad = Vec::new();
    for (f, to) in &h.edges {
        let Some(a) = command(f) else { continue };
        for t in to {
            if let Some(b) = command(t)
                && a != b
            {
                bad.push(format!("{} imports {}", f.display(), t.display()));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn no_file_circles() {
    let h = house();
    // Depth-first search for a cycle; report it as a path.
    fn visit(
        n: &PathBuf,
        edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        state: &mut BTreeMap<PathBuf, u8>,
        stack: &mut Vec<PathBuf>,
        found: &mut Vec<String>,
    ) {
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        for t in edges.get(n).into_iter().flatten() {
            match state.get(t).copied().unwrap_or(0) {
                0 => visit(t, edges, state, stack, found),
                1 => {
                    let i = stack.iter().position(|s| s == t).unwrap();
                    let cycle: Vec<String> = stack[i..]
                        .iter()
                        .chain(std::iter::once(t))
                        .map(|p| p.display().to_string())
                        .collect();
                    found.push(cycle.join(" -> "));
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
    }
    let mut state = BTreeMap::new();
    let mut found = Vec::new();
    for f in h.modules.values() {
        if state.get(f).copied().unwrap_or(0) == 0 {
            visit(f, &h.edges, &mut state, &mut Vec::new(), &mut found);
        }
    }
    assert!(found.is_empty(), "file circles:\n{}", found.join("\n"));
}

/// The test itself sees imports: a few known edges are found.
#[test]
fn the_house_test_sees_imports() {
    let h = house();
    let has = |a: &str, b: &str| {
        h.edges
            .get(Path::new(a))
            .is_some_and(|s| s.contains(Path::new(b)))
    };
    assert!(has("src/cmd/decode.rs", "src/specs/mod.rs"));
    assert!(has("src/cli.rs", "src/cmd/decode.rs"));
    assert!(has("src/cmd/send/replay.rs", "src/cmd/send/mod.rs"));
    assert!(
        has("src/specs/mod.rs", "src/codec/mod.rs") || has("src/specs/mod.rs", "src/codec/spec.rs")
    );
}
