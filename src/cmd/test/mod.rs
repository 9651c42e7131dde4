//! `posresp test`: run suites (docs/suites.md) against a host and report per case, as a
//! table, JSON or JUnit XML. Exit 0 when every case passes, 1 when one fails, 2 when a suite
//! is broken or the host cannot be reached.

mod run;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context as _, Result, anyhow, bail};
use clap::{Args, ValueEnum};
use serde::Serialize;

use posresp::check::Key;
use posresp::host::respond::default_mac_alg;
use posresp::suite::{KeySource, Suite};

use crate::global::GlobalArgs;
use run::{CaseResult, Run, run_case};

/// How the results are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Report {
    /// A line per case, and each failure with its step, field, expected and actual value.
    Table,
    /// One JSON document: the cases with their failures, and a summary.
    Json,
    /// JUnit XML, as CI systems read it.
    Junit,
}

/// Run test suites against a host: each case's steps sent in turn, each answer checked.
///
/// A suite (TOML, docs/suites.md) names a target (host, spec, framing, keys by file or
/// environment variable), variables, message templates and cases; a step sends a message
/// built from a template with expressions ({stan}, {rrn}, {now:MMddhhmmss}, {random:n6},
/// {STEP.response.N} …) and checks the answer: fields equal, matching or one of, the
/// response category, echoed fields, the MAC, the TPDU swapped, latency, or no answer; on a
/// timeout a step can send the reversal and check its answer. Cases run in parallel over
/// --jobs connections.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  posresp test suites/iso87-acquirer.toml --against-serve suites/iso87-acquirer.rules.json
  posresp test suites/iso87-acquirer.toml --to 10.0.0.5:8583 --report junit --out results.xml
  posresp test my-suite.toml --filter decline --jobs 8")]
pub struct TestArgs {
    /// Suite files.
    #[arg(value_name = "SUITE", required = true)]
    pub suites: Vec<String>,
    /// Only the cases whose name contains this.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Cases run at once, each on its own connection.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub jobs: usize,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Report::Table)]
    pub report: Report,
    /// Write the report to this file (default: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<String>,
    /// The host to test (instead of the suite's [target] to).
    #[arg(long, value_name = "HOST:PORT")]
    pub to: Option<String>,
    /// Start a local `posresp serve` with these rules on a free loopback port for the run, and
    /// test it (proves a suite without a real host).
    #[arg(long, value_name = "RULES", conflicts_with = "to")]
    pub against_serve: Option<String>,
}

#[derive(Serialize)]
struct JsonFailure<'a> {
    step: &'a str,
    line: usize,
    what: &'a str,
    expected: &'a str,
    actual: &'a str,
    request_hex: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    answer_hex: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonCase<'a> {
    suite: &'a str,
    case: &'a str,
    line: usize,
    result: &'static str,
    steps: usize,
    seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    failures: Vec<JsonFailure<'a>>,
}

/// A suite's results.
struct SuiteRun {
    suite: Suite,
    results: Vec<CaseResult>,
    seconds: f64,
}

/// A `serve` started for the run, stopped when dropped.
struct LocalServe(Child);

impl Drop for LocalServe {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_serve(suite: &Suite, rules: &str) -> Result<(LocalServe, String)> {
    let t = &suite.target;
    let exe = std::env::current_exe().context("cannot find the posresp binary")?;
    let mut cmd = Command::new(exe);
    cmd.args(["--spec", &t.spec_name, "serve", "--listen", "127.0.0.1:0"])
        .args(["--framing", &t.framing_name, "--rules", rules]);
    match &t.mac_key {
        Some(KeySource::File(f)) => {
            cmd.args(["--mac-key-file", f]);
        }
        Some(KeySource::Env(v)) => bail!(
            "--against-serve: the suite's MAC key is in ${v}; serve takes keys from files \
             (mac_key_file)"
        ),
        None => {}
    }
    match &t.tmk {
        Some(KeySource::File(f)) => {
            cmd.args(["--tmk-file", f]);
        }
        Some(KeySource::Env(v)) => bail!(
            "--against-serve: the suite's TMK is in ${v}; serve takes keys from files (tmk_file)"
        ),
        None => {}
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot start posresp serve")?;
    let stderr = child.stderr.take().context("serve's stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        match lines.next() {
            Some(Ok(l)) => {
                if let Some(rest) = l.split("listening on ").nth(1) {
                    break rest.split_whitespace().next().unwrap_or("").to_string();
                }
                if l.starts_with("posresp:") {
                    let _ = child.wait();
                    bail!(
                        "--against-serve: serve did not start: {}",
                        l.trim_start_matches("posresp: ")
                    );
                }
            }
            _ => {
                let _ = child.wait();
                bail!("--against-serve: serve ended before listening");
            }
        }
    };
    // Keep reading serve's stderr so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    Ok((LocalServe(child), addr))
}

fn load_key(suite: &Suite, source: Option<&KeySource>, what: &str) -> Result<Option<Key>> {
    let (file, env) = match source {
        None => return Ok(None),
        Some(KeySource::File(f)) => (Some(f.as_str()), None),
        Some(KeySource::Env(v)) => (None, Some(v.as_str())),
    };
    crate::global::read_key(file, env, what).map_err(|e| anyhow!("{}: {e:#}", suite.path))
}

fn run_suite(suite: Suite, args: &TestArgs) -> Result<SuiteRun> {
    let (_serve, to) = match (&args.against_serve, &args.to, &suite.target.to) {
        (Some(rules), _, _) => {
            let (s, a) = start_serve(&suite, rules)?;
            (Some(s), a)
        }
        (None, Some(to), _) | (None, None, Some(to)) => (None, to.clone()),
        (None, None, None) => bail!(
            "{}: no host to test: give [target] to = \"HOST:PORT\", --to, or --against-serve RULES",
            suite.path
        ),
    };
    crate::global::check_host_port("the target", &to)?;
    let key = load_key(&suite, suite.target.mac_key.as_ref(), "MAC key")?;
    let tmk = load_key(&suite, suite.target.tmk.as_ref(), "terminal master key")?;
    let mac = key.map(|k| {
        let alg = default_mac_alg(suite.target.spec.dialect, &k);
        (k, alg)
    });
    let tls = match &suite.target.tls {
        Some(o) => {
            Some(posresp::tls::client(o, &to).map_err(|e| anyhow!("{}: tls: {e}", suite.path))?)
        }
        None => None,
    };
    let cases: Vec<&posresp::suite::Case> = suite
        .cases
        .iter()
        .filter(|c| {
            args.filter
                .as_ref()
                .is_none_or(|f| c.name.contains(f.as_str()))
        })
        .collect();
    // Trace numbers start from the time of day, so that runs a while apart do not repeat
    // them to a host that checks for duplicates.
    let stan_start = ((posresp::host::clock::now_ms() / 1000) % 86_400 * 10 % 900_000) as u32 + 1;
    let run = Run {
        suite: &suite,
        to,
        mac,
        tmk,
        tls,
        counters: posresp::suite::Counters::new(stan_start),
    };
    let started = Instant::now();
    let mut results: Vec<Option<CaseResult>> = vec![None; cases.len()];
    // Settlements run once every other case is done, with the totals those cases made.
    for last in [false, true] {
        let phase: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].last == last)
            .collect();
        for (i, r) in run_phase(&run, &cases, &phase, args.jobs) {
            results[i] = Some(r);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    drop(run);
    Ok(SuiteRun {
        suite,
        results: results.into_iter().flatten().collect(),
        seconds,
    })
}

/// Run the cases `phase` (indices into `cases`) over `jobs` threads; (index, result) pairs.
fn run_phase(
    run: &Run<'_>,
    cases: &[&posresp::suite::Case],
    phase: &[usize],
    jobs: usize,
) -> Vec<(usize, CaseResult)> {
    let next = AtomicUsize::new(0);
    let jobs = jobs.clamp(1, 256).min(phase.len().max(1));
    let mut out = Vec::with_capacity(phase.len());
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..jobs)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&i) = phase.get(n) else { break };
                        mine.push((i, run_case(run, cases[i])));
                    }
                    mine
                })
            })
            .collect();
        for h in handles {
            if let Ok(mine) = h.join() {
                out.extend(mine);
            }
        }
    });
    out
}

/// Run `test`.
pub fn run(global: &GlobalArgs, args: &TestArgs) -> Result<u8> {
    crate::global::output_one_of(
        global,
        "test",
        &[crate::global::OutputFormat::Table],
        "its report format is chosen with --report table|json|junit",
    )?;
    let mut runs = Vec::new();
    for path in &args.suites {
        let suite = Suite::load(path).map_err(|e| anyhow!(e))?;
        runs.push(run_suite(suite, args)?);
    }
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot write {p}"))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match args.report {
        Report::Table => table(&mut out, &runs)?,
        Report::Json => json(&mut out, &runs)?,
        Report::Junit => junit(&mut out, &runs)?,
    }
    out.flush()?;
    let all = runs.iter().flat_map(|r| &r.results);
    let errors = all.clone().filter(|r| r.error.is_some()).count();
    let failed = all.clone().filter(|r| !r.passed()).count();
    if args.report != Report::Table || args.out.is_some() {
        let n = all.count();
        eprintln!(
            "posresp test: {n} cases: {} passed, {failed} failed{}",
            n - failed,
            if errors > 0 {
                format!(" ({errors} could not run)")
            } else {
                String::new()
            }
        );
    }
    for r in runs.iter().flat_map(|r| &r.results) {
        if let Some(e) = &r.error
            && ["cannot connect", "cannot resolve", "TLS handshake"]
                .iter()
                .any(|p| e.starts_with(p))
        {
            eprintln!("posresp: {e}");
            return Ok(2);
        }
    }
    Ok(if failed > 0 { 1 } else { 0 })
}

fn table(out: &mut dyn Write, runs: &[SuiteRun]) -> Result<()> {
    for r in runs {
        writeln!(out, "{} ({})", r.suite.name, r.suite.path)?;
        for c in &r.results {
            let mark = if c.passed() { "pass" } else { "FAIL" };
            writeln!(out, "  {mark}  {}", c.name)?;
            if let Some(e) = &c.error {
                writeln!(out, "        error: {e}")?;
            }
            for f in &c.failures {
                writeln!(
                    out,
                    "        step {:?} (line {}): {}: expected {}, got {}",
                    f.step, f.line, f.failure.what, f.failure.expected, f.failure.actual
                )?;
                writeln!(out, "          request {}", f.request_hex)?;
                if let Some(a) = &f.answer_hex {
                    writeln!(out, "          answer  {a}")?;
                }
            }
        }
        let failed = r.results.iter().filter(|c| !c.passed()).count();
        writeln!(
            out,
            "{} cases: {} passed, {failed} failed in {:.2} s",
            r.results.len(),
            r.results.len() - failed,
            r.seconds
        )?;
    }
    Ok(())
}

fn json(out: &mut dyn Write, runs: &[SuiteRun]) -> Result<()> {
    let mut cases = Vec::new();
    let (mut total, mut failed) = (0, 0);
    for r in runs {
        for c in &r.results {
            total += 1;
            if !c.passed() {
                failed += 1;
            }
            cases.push(JsonCase {
                suite: &r.suite.name,
                case: &c.name,
                line: c.line,
                result: if c.passed() { "pass" } else { "fail" },
                steps: c.steps,
                seconds: c.seconds,
                error: c.error.as_deref(),
                failures: c
                    .failures
                    .iter()
                    .map(|f| JsonFailure {
                        step: &f.step,
                        line: f.line,
                        what: &f.failure.what,
                        expected: &f.failure.expected,
                        actual: &f.failure.actual,
                        request_hex: &f.request_hex,
                        answer_hex: f.answer_hex.as_deref(),
                    })
                    .collect(),
            });
        }
    }
    let doc = serde_json::json!({
        "cases": cases,
        "summary": {"cases": total, "passed": total - failed, "failed": failed,
                    "seconds": runs.iter().map(|r| r.seconds).sum::<f64>()},
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}

fn xml(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

fn junit(out: &mut dyn Write, runs: &[SuiteRun]) -> Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    let total: usize = runs.iter().map(|r| r.results.len()).sum();
    let failed: usize = runs
        .iter()
        .flat_map(|r| &r.results)
        .filter(|c| !c.failures.is_empty() && c.error.is_none())
        .count();
    let errors: usize = runs
        .iter()
        .flat_map(|r| &r.results)
        .filter(|c| c.error.is_some())
        .count();
    writeln!(
        out,
        r#"<testsuites name="posresp" tests="{total}" failures="{failed}" errors="{errors}">"#
    )?;
    for r in runs {
        let f = r
            .results
            .iter()
            .filter(|c| !c.failures.is_empty() && c.error.is_none())
            .count();
        let e = r.results.iter().filter(|c| c.error.is_some()).count();
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{f}" errors="{e}" time="{:.3}" file="{}">"#,
            xml(&r.suite.name),
            r.results.len(),
            r.seconds,
            xml(&r.suite.path)
        )?;
        for c in &r.results {
            write!(
                out,
                r#"    <testcase classname="{}" name="{}" time="{:.3}" file="{}" line="{}""#,
                xml(&r.suite.name),
                xml(&c.name),
                c.seconds,
                xml(&r.suite.path),
                c.line
            )?;
            if c.passed() {
                writeln!(out, "/>")?;
                continue;
            }
            writeln!(out, ">")?;
            if let Some(e) = &c.error {
                writeln!(out, r#"      <error message="{}"/>"#, xml(e))?;
            }
            if let Some(first) = c.failures.first() {
                let mut text = String::new();
                for f in &c.failures {
                    text.push_str(&format!(
                        "step {:?} (line {}): {}: expected {}, got {}\nrequest {}\n",
                        f.step,
                        f.line,
                        f.failure.what,
                        f.failure.expected,
                        f.failure.actual,
                        f.request_hex
                    ));
                    if let Some(a) = &f.answer_hex {
                        text.push_str(&format!("answer  {a}\n"));
                    }
                }
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    xml(&format!(
                        "step {:?}: {}: expected {}, got {}",
                        first.step,
                        first.failure.what,
                        first.failure.expected,
                        first.failure.actual
                    )),
                    xml(&first.failure.what),
                    xml(&text)
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")?;
    Ok(())
}
