//! `posresp stats`: the shape of a traffic log — counts by MTI, response code and category,
//! approval rate, latency percentiles, unanswered requests — in one streaming pass.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use posresp::codec::Spec;
use posresp::glossary;

use crate::global::{GlobalArgs, OutputFormat};
use posresp::input::{at_line, input_name};
use posresp::specs::{framing_choice, load_spec};

/// Breakdowns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// Per terminal (field 41).
    Terminal,
    /// Per merchant (field 42).
    Merchant,
    /// Per response code (field 39).
    Code,
    /// Per hour of the request timestamp.
    Hour,
}

/// Summarise traffic logs.
///
/// Reads any form decode reads (JSON Lines logs with timestamps and latency_ms, line logs,
/// hex). Requests and responses are paired by MTI class, trace number (11) and terminal (41):
/// latency comes from latency_ms when the log has it, else from the two timestamps; requests
/// left unpaired are reported as timeouts.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  posresp stats traffic.jsonl
  posresp stats --by code --output json traffic.jsonl
  posresp --spec cup generate --count 10000 | posresp stats --by terminal")]
pub struct StatsArgs {
    /// Logs: files or '-' (default: standard input).
    #[arg(value_name = "LOG")]
    pub inputs: Vec<String>,
    /// Also break the numbers down by terminal, merchant, response code or hour.
    #[arg(long, value_enum)]
    pub by: Option<By>,
    /// A response later than this after its request counts as a timeout (the terminal has
    /// given up on it), e.g. 30s or 800ms; requests still unanswered when the log ends, less
    /// than this after they were sent, are counted as pending instead.
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// In a capture without the connections' SYN, the port(s) of the side that listens (the
    /// host), so that requests and responses are told apart by direction.
    #[arg(long, value_name = "PORT", value_delimiter = ',')]
    pub host_port: Vec<u16>,
    /// A response slower than this is slow (counted, listed with --list slow), e.g. 1s.
    #[arg(long, value_name = "DURATION")]
    pub slow: Option<String>,
    /// List the transactions that timed out, or the slowest ones, with their keys and times.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub list: Vec<ListWhat>,
    /// Most transactions listed per --list (the slowest first; timeouts in log order).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
    /// Print a line on stderr and exit 1 when a threshold is crossed: 'p99>800ms',
    /// 'max>5s', 'timeouts>1%', 'slow>10', 'approval<95%', 'undecodable>0'. Repeatable.
    #[arg(long, value_name = "THRESHOLD")]
    pub alert: Vec<String>,
    /// Count only messages that hold this condition (as decode --where: '41=T0000009',
    /// 'mti~^02', '39!=00'). Requests and responses are paired among the messages kept, so
    /// filter on what both carry (41, 42, 11) to keep latencies.
    #[arg(long = "where", value_name = "CONDITION")]
    pub filter: Vec<String>,
    /// How the log's timestamps are written, when posresp does not read them by itself:
    /// %Y %y %m %d %b %H %M %S %f %s, e.g. '%d%m%Y %H%M%S.%f'.
    #[arg(long, value_name = "PATTERN")]
    pub ts_format: Option<String>,
    /// Only messages at or after this time (a timestamp in any form stats reads).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Only messages before this time.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// Watch a growing log (one file; rotation and truncation survived): every --interval, the
    /// figures of the last --window, redrawn in place on a terminal, one JSON line each in a
    /// pipe. Alerts print when they start and stop; the exit status is 1 if any fired.
    #[arg(long, conflicts_with_all = ["list", "by", "from", "to"])]
    pub follow: bool,
    /// With --follow: the rolling window, e.g. 10s, 1m, 1h.
    #[arg(
        long,
        default_value = "1m",
        value_name = "DURATION",
        requires = "follow"
    )]
    pub window: String,
    /// With --follow: how often the figures are shown.
    #[arg(
        long,
        default_value = "1s",
        value_name = "DURATION",
        requires = "follow"
    )]
    pub interval: String,
    /// With --follow: stop after this long (default: until Ctrl-C).
    #[arg(long, value_name = "DURATION", requires = "follow")]
    pub duration: Option<String>,
    /// With --follow: read what the log already holds too, not only what is appended.
    #[arg(long, requires = "follow")]
    pub from_start: bool,
    /// With --follow: also serve the figures in the Prometheus text format at
    /// http://ADDR/metrics (e.g. 127.0.0.1:9464).
    #[arg(long, value_name = "ADDR", requires = "follow")]
    pub metrics: Option<String>,
}

/// What `--list` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListWhat {
    /// Requests never answered (or answered after --timeout).
    Timeouts,
    /// The slowest answered transactions.
    Slow,
}

/// One transaction in a list.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Listed {
    #[serde(skip_serializing_if = "Option::is_none")]
    latency_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ts: Option<String>,
    mti: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    terminal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    merchant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

#[derive(Default, Serialize, Clone)]
struct Group {
    requests: u64,
    responses: u64,
    approved: u64,
    declined: u64,
    timeouts: u64,
    /// The group's latency (log-linear buckets: within 1.6%), when any was measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    latency_ms: Option<GroupLatency>,
    #[serde(skip)]
    lat: posresp::traffic::Latencies,
}

#[derive(Serialize, Clone, Default)]
struct GroupLatency {
    count: u64,
    p50: u64,
    p90: u64,
    p99: u64,
    max: u64,
}

/// Everything `stats` reports.
#[derive(Serialize)]
struct Report {
    messages: u64,
    requests: u64,
    responses: u64,
    undecodable: u64,
    approved: u64,
    approval_rate: Option<f64>,
    timeouts: u64,
    /// Responses that came after --timeout (counted in timeouts too).
    #[serde(skip_serializing_if = "Option::is_none")]
    late_responses: Option<u64>,
    /// Requests unanswered at the end of the log, sent less than --timeout before it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pending: Option<u64>,
    /// The run was interrupted (Ctrl-C): the figures cover what was read until then.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    interrupted: bool,
    /// Records whose timestamp could not be read (their latency is not measured).
    #[serde(skip_serializing_if = "Option::is_none")]
    unread_timestamps: Option<u64>,
    responses_without_request: u64,
    by_mti: BTreeMap<String, MtiCount>,
    by_code: BTreeMap<String, CodeCount>,
    by_category: BTreeMap<String, u64>,
    latency_ms: Option<LatencyReport>,
    /// Responses slower than --slow.
    #[serde(skip_serializing_if = "Option::is_none")]
    slow: Option<SlowReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    breakdown: Option<BTreeMap<String, Group>>,
    /// --list timeouts.
    #[serde(skip_serializing_if = "Option::is_none")]
    timed_out: Option<Vec<Listed>>,
    /// --list slow.
    #[serde(skip_serializing_if = "Option::is_none")]
    slowest: Option<Vec<Listed>>,
    /// Thresholds crossed (--alert).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alerts: Vec<String>,
}

#[derive(Serialize)]
struct SlowReport {
    threshold_ms: f64,
    count: u64,
}

#[derive(Serialize)]
struct MtiCount {
    meaning: String,
    count: u64,
}

#[derive(Serialize)]
struct CodeCount {
    meaning: String,
    category: String,
    count: u64,
}

#[derive(Serialize)]
struct LatencyReport {
    count: u64,
    p50: u64,
    p90: u64,
    p99: u64,
    max: u64,
    mean: f64,
}

/// A request waiting for its response.
struct Pending {
    ts: Option<u64>,
    group: String,
    /// What --list shows of it.
    listed: Option<Listed>,
    /// Its place among the requests.
    order: u64,
}

/// A transaction as --list shows it, from one of its messages.
fn listed(
    frame: &posresp::input::Frame,
    dec: &posresp::codec::Decoded,
    latency: Option<u64>,
) -> Listed {
    let get = |n| dec.get(n).map(|v| v.trim().to_string());
    Listed {
        latency_ms: latency,
        ts: frame.ts.clone(),
        mti: dec.mti().to_string(),
        terminal: get(41),
        trace: get(11),
        merchant: get(42),
        code: None,
        flow: frame.flow.map(|(a, b)| format!("{a} → {b}")),
        line: frame.line,
    }
}

mod follow;

/// Run `stats`.
pub fn run(global: &GlobalArgs, args: &StatsArgs) -> Result<u8> {
    if args.follow {
        return follow::run(global, args);
    }
    let specs = load_spec(&global.spec)?;
    let framing = framing_choice("auto")?;
    let inputs = posresp::input::inputs_or_stdin(
        &args.inputs,
        "stats",
        "traffic logs (files), or '-' for standard input",
    )?;
    let mut r = Report {
        messages: 0,
        requests: 0,
        responses: 0,
        undecodable: 0,
        approved: 0,
        approval_rate: None,
        timeouts: 0,
        late_responses: None,
        pending: None,
        unread_timestamps: None,
        interrupted: false,
        responses_without_request: 0,
        by_mti: BTreeMap::new(),
        by_code: BTreeMap::new(),
        by_category: BTreeMap::new(),
        latency_ms: None,
        slow: None,
        breakdown: args.by.map(|_| BTreeMap::new()),
        timed_out: args.list.contains(&ListWhat::Timeouts).then(Vec::new),
        slowest: args.list.contains(&ListWhat::Slow).then(Vec::new),
        alerts: Vec::new(),
    };
    let alerts = args
        .alert
        .iter()
        .map(|a| posresp::monitor::Alert::parse(a).map_err(|e| anyhow::anyhow!(e)))
        .collect::<Result<Vec<_>>>()?;
    if args
        .alert
        .iter()
        .any(|a| a.trim_start().starts_with("slow"))
        && args.slow.is_none()
    {
        bail!("--alert on slow responses needs --slow DURATION (what counts as slow)");
    }
    let filter = posresp::filter::Filter::all(&args.filter).map_err(|e| anyhow::anyhow!(e))?;
    let slow_us = match &args.slow {
        Some(t) => {
            let ms = posresp::host::delay::option_ms("slow", t).map_err(|e| anyhow::anyhow!(e))?;
            r.slow = Some(SlowReport {
                threshold_ms: ms as f64,
                count: 0,
            });
            Some(ms * 1000)
        }
        None => None,
    };
    let listing = !args.list.is_empty();
    let ts_format = match &args.ts_format {
        Some(p) => Some(posresp::timestamp::Format::new(p).map_err(|e| anyhow::anyhow!(e))?),
        None => None,
    };
    let read_ts = |t: &str| match &ts_format {
        Some(f) => f.parse(t),
        None => posresp::timestamp::parse(t),
    };
    let bound = |what: &str, v: &Option<String>| -> Result<Option<u64>> {
        v.as_deref()
            .map(|t| {
                read_ts(t).ok_or_else(|| {
                    anyhow::anyhow!(
                        "--{what} {t:?}: not a time stats reads (e.g. 2026-11-26T10:00:00Z)"
                    )
                })
            })
            .transpose()
    };
    let (from_us, to_us) = (bound("from", &args.from)?, bound("to", &args.to)?);
    // Timestamps that could not be read: how many, and the first.
    let mut unread_ts: (u64, Option<(String, String)>) = (0, None);
    // The slowest transactions so far, fastest on top (kept to --limit).
    let mut slowest: std::collections::BinaryHeap<std::cmp::Reverse<(u64, u64, Listed)>> =
        Default::default();
    let mut seen = 0u64;
    // The first timed-out transactions (by request order), kept to --limit.
    let mut timed: std::collections::BinaryHeap<(u64, Listed)> = Default::default();
    let mut hist = posresp::traffic::MsHistogram::new();
    let timeout_us = match &args.timeout {
        Some(t) => {
            let ms =
                posresp::host::delay::option_ms("timeout", t).map_err(|e| anyhow::anyhow!(e))?;
            r.late_responses = Some(0);
            r.pending = Some(0);
            Some(ms * 1000)
        }
        None => None,
    };
    let mut last_ts: Option<u64> = None;
    // Outstanding requests, per connection when the log is a capture.
    let mut pending: HashMap<posresp::traffic::TxKey, Pending> = HashMap::new();
    let mut decoder = posresp::specs::Decoder::new(&specs, framing.clone());
    let mut stderr = io::stderr();
    let mut read_failed = false;
    let stop = crate::interrupt::on_signal();
    let mut interrupted = false;
    'inputs: for input in &inputs {
        let (frames, taken) = match posresp::input::open_frames_counted(input) {
            Ok((f, t)) => (f.host_ports(&args.host_port), t),
            Err(e) => {
                writeln!(stderr, "posresp: {e:#}")?;
                read_failed = true;
                continue;
            }
        };
        let name = input_name(input);
        // A bar on a terminal for a big file (none in a pipe).
        let bar = crate::progress::Progress::start(crate::progress::file_size(input), vec![taken]);
        for (n, item) in frames.enumerate() {
            if crate::interrupt::stopped(&stop) {
                interrupted = true;
                break 'inputs;
            }
            // Every record read counts (but those --where leaves out), whether its line or its
            // message fails: messages = requests + responses + undecodable.
            let frame = match item {
                Ok(f) => f,
                Err(e) => {
                    r.messages += 1;
                    r.undecodable += 1;
                    writeln!(stderr, "posresp: {name}: message {} ({e})", n + 1)?;
                    continue;
                }
            };
            let (spec, err) = decoder.decode(&frame);
            let dec = &decoder.dec;
            let Some(spec): Option<&Spec> = spec.filter(|_| err.is_none()) else {
                r.messages += 1;
                r.undecodable += 1;
                let line = at_line(&frame);
                let what = err.map_or_else(|| "no spec decodes it".into(), |e| e.to_string());
                writeln!(stderr, "posresp: {name}: message {}{line}: {what}", n + 1)?;
                continue;
            };
            if !filter.is_empty()
                && !filter.matches(|s| posresp::filter::value_of(s, &frame, Some(spec), dec))
            {
                continue;
            }
            let ts = frame.ts.as_deref().and_then(|t| {
                let v = read_ts(t);
                if v.is_none() {
                    unread_ts.0 += 1;
                    unread_ts.1.get_or_insert_with(|| {
                        (t.to_string(), format!("{name}{}", at_line(&frame)))
                    });
                }
                v
            });
            if from_us.is_some() || to_us.is_some() {
                let inside = ts
                    .is_some_and(|t| from_us.is_none_or(|f| t >= f) && to_us.is_none_or(|e| t < e));
                if !inside {
                    continue;
                }
            }
            r.messages += 1;
            let mti = dec.mti().to_string();
            let entry = r.by_mti.entry(mti.clone()).or_insert_with(|| MtiCount {
                meaning: glossary::mti_meaning(&mti).unwrap_or("").to_string(),
                count: 0,
            });
            entry.count += 1;
            if let Some(t) = ts {
                last_ts = Some(last_ts.map_or(t, |l| l.max(t)));
            }
            let key = posresp::traffic::tx_key(dec, frame.flow);
            let response = posresp::traffic::is_response(frame.dir.as_deref(), &mti);
            let group_of = |by: By| -> String {
                match by {
                    By::Terminal => dec.get(41).unwrap_or("(none)").trim().to_string(),
                    By::Merchant => dec.get(42).unwrap_or("(none)").trim().to_string(),
                    By::Code => dec.get(39).unwrap_or("(request)").to_string(),
                    By::Hour => {
                        frame
                            .ts
                            .as_deref()
                            .and_then(|t| t.get(..13))
                            .unwrap_or("(no time)")
                            .replace('T', " ")
                            + "h"
                    }
                }
            };
            if !response {
                r.requests += 1;
                let g = args.by.map(group_of).unwrap_or_default();
                if let Some(b) = &mut r.breakdown {
                    b.entry(g.clone()).or_default().requests += 1;
                }
                let listed = listing.then(|| listed(&frame, dec, None));
                pending.insert(
                    key,
                    Pending {
                        ts,
                        group: g,
                        listed,
                        order: r.requests,
                    },
                );
                continue;
            }
            r.responses += 1;
            let req = pending.remove(&key);
            if req.is_none() {
                r.responses_without_request += 1;
            }
            let latency_us =
                posresp::traffic::latency_us(frame.latency_ms, ts, req.as_ref().and_then(|p| p.ts));
            if let Some(l) = latency_us {
                hist.add((l + 500) / 1000);
                if let (Some(sl), Some(rep)) = (slow_us, &mut r.slow)
                    && l > sl
                {
                    rep.count += 1;
                }
                if r.slowest.is_some() {
                    // The request's time and keys, the response's code.
                    let mut item = req
                        .as_ref()
                        .and_then(|p| p.listed.clone())
                        .unwrap_or_else(|| listed(&frame, dec, None));
                    item.latency_ms = Some((l + 500) / 1000);
                    item.code = dec.get(39).map(str::to_string);
                    seen += 1;
                    slowest.push(std::cmp::Reverse((l, u64::MAX - seen, item)));
                    if slowest.len() > args.limit {
                        slowest.pop();
                    }
                }
            }
            let late = matches!((latency_us, timeout_us), (Some(l), Some(t)) if l > t);
            if late {
                r.timeouts += 1;
                if let Some(n) = &mut r.late_responses {
                    *n += 1;
                }
                if let (Some(b), Some(p)) = (&mut r.breakdown, &req) {
                    b.entry(p.group.clone()).or_default().timeouts += 1;
                }
                if let Some(p) = &req
                    && let Some(item) = &p.listed
                    && r.timed_out.is_some()
                {
                    let mut item = item.clone();
                    item.latency_ms = latency_us.map(|l| (l + 500) / 1000);
                    item.code = dec.get(39).map(str::to_string);
                    timed.push((p.order, item));
                    if timed.len() > args.limit {
                        timed.pop();
                    }
                }
            }
            let code = dec.get(39).map(str::to_string);
            let category = code
                .as_deref()
                .and_then(|c| glossary::response_code(spec.dialect, c))
                .map_or("unknown", |rc| rc.category.as_str())
                .to_string();
            if let Some(c) = &code {
                let meaning = glossary::response_code(spec.dialect, c)
                    .map_or("unknown code", |rc| rc.meaning.as_str());
                let e = r.by_code.entry(c.clone()).or_insert_with(|| CodeCount {
                    meaning: meaning.to_string(),
                    category: category.clone(),
                    count: 0,
                });
                e.count += 1;
                *r.by_category.entry(category.clone()).or_default() += 1;
            }
            if category == "approved" {
                r.approved += 1;
            }
            if let (Some(b), Some(by)) = (&mut r.breakdown, args.by) {
                // Requests are counted under the request's group; for codes, the response's.
                let g = match (by, &req) {
                    (By::Code, _) | (_, None) => group_of(by),
                    (_, Some(p)) => p.group.clone(),
                };
                let e = b.entry(g).or_default();
                e.responses += 1;
                if let Some(l) = latency_us {
                    e.lat.add(l);
                }
                if category == "approved" {
                    e.approved += 1;
                } else if category == "decline" || category == "pickup" {
                    e.declined += 1;
                }
            }
        }
        drop(bar);
    }
    if interrupted {
        r.interrupted = true;
        r.pending.get_or_insert(0);
    }
    for (_, p) in pending {
        // Sent less than the timeout before the log ends: it may still be answered. When the
        // run was interrupted, the rest of the log may hold the answer.
        let still_open = interrupted
            || matches!((p.ts, last_ts, timeout_us), (Some(s), Some(l), Some(t)) if l.saturating_sub(s) <= t);
        if still_open {
            if let Some(n) = &mut r.pending {
                *n += 1;
            }
            continue;
        }
        r.timeouts += 1;
        if let Some(b) = &mut r.breakdown {
            b.entry(p.group).or_default().timeouts += 1;
        }
        if let Some(item) = p.listed {
            timed.push((p.order, item));
            if timed.len() > args.limit {
                timed.pop();
            }
        }
    }
    if let Some(b) = &mut r.breakdown {
        let ms = |v: Option<u64>| v.map_or(0, |us| (us + 500) / 1000);
        for g in b.values_mut() {
            if g.lat.count() > 0 {
                g.latency_ms = Some(GroupLatency {
                    count: g.lat.count(),
                    p50: ms(g.lat.percentile(0.5)),
                    p90: ms(g.lat.percentile(0.9)),
                    p99: ms(g.lat.percentile(0.99)),
                    max: ms(g.lat.max()),
                });
            }
        }
    }
    if let Some(list) = &mut r.timed_out {
        *list = timed
            .into_sorted_vec()
            .into_iter()
            .map(|(_, l)| l)
            .collect();
    }
    if let Some(list) = &mut r.slowest {
        // Slowest first.
        *list = slowest
            .into_sorted_vec()
            .into_iter()
            .map(|std::cmp::Reverse((_, _, l))| l)
            .collect();
    }
    let coded: u64 = r.by_code.values().map(|c| c.count).sum();
    r.approval_rate = (coded > 0).then(|| r.approved as f64 / coded as f64);
    if hist.count() > 0 {
        r.latency_ms = Some(LatencyReport {
            count: hist.count(),
            p50: hist.percentile(0.50).unwrap_or(0),
            p90: hist.percentile(0.90).unwrap_or(0),
            p99: hist.percentile(0.99).unwrap_or(0),
            max: hist.max(),
            mean: hist.mean(),
        });
    }
    if unread_ts.0 > 0 {
        r.unread_timestamps = Some(unread_ts.0);
        if let Some((t, at)) = &unread_ts.1 {
            writeln!(
                stderr,
                "posresp: {} timestamps not understood (the first, {:?}, in {at}): their latency \
                 is not measured; give --ts-format (e.g. '%d%m%Y %H%M%S')",
                unread_ts.0,
                crate::render::sanitize(t)
            )?;
        }
    }
    if r.messages == 0 && read_failed {
        bail!("nothing could be read");
    }
    let figures = posresp::monitor::Figures {
        requests: r.requests,
        responses: r.responses,
        timeouts: r.timeouts,
        approved: r.approved,
        coded,
        slow: r.slow.as_ref().map_or(0, |s| s.count),
        undecodable: r.undecodable,
        p50: r.latency_ms.as_ref().map(|l| l.p50),
        p90: r.latency_ms.as_ref().map(|l| l.p90),
        p99: r.latency_ms.as_ref().map(|l| l.p99),
        max: r.latency_ms.as_ref().map(|l| l.max),
    };
    r.alerts = alerts.iter().filter_map(|a| a.check(&figures)).collect();
    render(global.output, &r)?;
    for a in &r.alerts {
        writeln!(stderr, "posresp: {a}")?;
    }
    if interrupted {
        writeln!(
            stderr,
            "posresp: interrupted: the figures cover the {} messages read until then",
            r.messages
        )?;
        return Ok(130);
    }
    Ok(if read_failed || r.undecodable > 0 {
        2
    } else if !r.alerts.is_empty() {
        1
    } else {
        0
    })
}

/// The rows of a --list table.
fn list_rows(items: &[Listed]) -> Vec<[String; 6]> {
    items
        .iter()
        .map(|l| {
            [
                l.latency_ms.map_or("-".into(), |v| format!("{v} ms")),
                l.ts.clone()
                    .unwrap_or_else(|| l.line.map_or("-".into(), |n| format!("line {n}"))),
                l.mti.clone(),
                format!(
                    "{} / {}",
                    l.terminal.as_deref().unwrap_or("-"),
                    l.trace.as_deref().unwrap_or("-")
                ),
                l.code.clone().unwrap_or_else(|| "-".into()),
                l.flow
                    .clone()
                    .unwrap_or_else(|| l.merchant.clone().unwrap_or_default()),
            ]
        })
        .collect()
}

fn render(format: OutputFormat, r: &Report) -> Result<()> {
    let mut out = io::stdout().lock();
    match format {
        OutputFormat::Json | OutputFormat::Jsonl => {
            if format == OutputFormat::Json {
                serde_json::to_writer_pretty(&mut out, r)?;
            } else {
                serde_json::to_writer(&mut out, r)?;
            }
            writeln!(out)?;
        }
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["section", "key", "meaning", "count"])?;
            for (k, v) in [
                ("messages", r.messages),
                ("requests", r.requests),
                ("responses", r.responses),
                ("approved", r.approved),
                ("timeouts", r.timeouts),
                ("responses_without_request", r.responses_without_request),
                ("undecodable", r.undecodable),
            ] {
                w.write_record(["total", k, "", &v.to_string()])?;
            }
            if let Some(sl) = &r.slow {
                w.write_record([
                    "total",
                    "slow",
                    &format!("> {} ms", sl.threshold_ms),
                    &sl.count.to_string(),
                ])?;
            }
            for (section, list) in [("timed_out", &r.timed_out), ("slowest", &r.slowest)] {
                for l in list.iter().flatten() {
                    let key = format!(
                        "{} {} {}",
                        l.mti,
                        l.terminal.as_deref().unwrap_or("-"),
                        l.trace.as_deref().unwrap_or("-")
                    );
                    let when = l.ts.clone().unwrap_or_default();
                    let ms = l.latency_ms.map(|v| v.to_string()).unwrap_or_default();
                    w.write_record([section, &key, &when, &ms])?;
                }
            }
            for (k, v) in [("late_responses", r.late_responses), ("pending", r.pending)] {
                if let Some(v) = v {
                    w.write_record(["total", k, "", &v.to_string()])?;
                }
            }
            for (k, v) in &r.by_mti {
                w.write_record(["mti", k, &v.meaning, &v.count.to_string()])?;
            }
            for (k, v) in &r.by_code {
                w.write_record(["code", k, &v.meaning, &v.count.to_string()])?;
            }
            if let Some(l) = &r.latency_ms {
                for (k, v) in [
                    ("p50", l.p50),
                    ("p90", l.p90),
                    ("p99", l.p99),
                    ("max", l.max),
                ] {
                    w.write_record(["latency_ms", k, "", &v.to_string()])?;
                }
            }
            if let Some(b) = &r.breakdown {
                for (k, g) in b {
                    w.write_record(["breakdown", k, "requests", &g.requests.to_string()])?;
                    w.write_record(["breakdown", k, "responses", &g.responses.to_string()])?;
                    w.write_record(["breakdown", k, "approved", &g.approved.to_string()])?;
                    w.write_record(["breakdown", k, "timeouts", &g.timeouts.to_string()])?;
                    if let Some(l) = &g.latency_ms {
                        for (q, v) in [
                            ("p50_ms", l.p50),
                            ("p90_ms", l.p90),
                            ("p99_ms", l.p99),
                            ("max_ms", l.max),
                        ] {
                            w.write_record(["breakdown", k, q, &v.to_string()])?;
                        }
                    }
                }
            }
            w.flush()?;
        }
        OutputFormat::Table => {
            let rate = r
                .approval_rate
                .map_or("-".to_string(), |a| format!("{:.2}%", a * 100.0));
            writeln!(
                out,
                "{} messages: {} requests, {} responses · approval rate {rate} · {} timeouts · {} responses without request · {} undecodable",
                r.messages,
                r.requests,
                r.responses,
                r.timeouts,
                r.responses_without_request,
                r.undecodable
            )?;
            if let (Some(late), Some(p)) = (r.late_responses, r.pending) {
                writeln!(
                    out,
                    "of the timeouts, {late} answered after the timeout · {p} requests pending at the end of the log"
                )?;
            }
            if let Some(l) = &r.latency_ms {
                writeln!(
                    out,
                    "latency (ms, {} responses): p50 {} · p90 {} · p99 {} · max {} · mean {:.1}",
                    l.count, l.p50, l.p90, l.p99, l.max, l.mean
                )?;
            }
            if let Some(sl) = &r.slow {
                writeln!(out, "slow (over {} ms): {}", sl.threshold_ms, sl.count)?;
            }
            let table = |header: [&str; 4], rows: Vec<[String; 4]>| {
                let mut t = Table::new();
                t.load_style(UTF8_FULL_CONDENSED)
                    .set_content_arrangement(ContentArrangement::Dynamic);
                t.set_header(header);
                // Group names are field values: escape what could drive the terminal.
                for row in rows {
                    t.add_row(row.iter().map(|c| crate::render::sanitize(c).into_owned()));
                }
                t
            };
            let messages: u64 = r.by_mti.values().map(|m| m.count).sum::<u64>().max(1);
            let mti_rows = r
                .by_mti
                .iter()
                .map(|(k, v)| {
                    [
                        k.clone(),
                        v.meaning.clone(),
                        v.count.to_string(),
                        format!("{:.2}%", v.count as f64 * 100.0 / messages as f64),
                    ]
                })
                .collect();
            writeln!(
                out,
                "{}",
                table(["MTI", "Meaning", "Count", "Share"], mti_rows)
            )?;
            let total: u64 = r.by_code.values().map(|c| c.count).sum::<u64>().max(1);
            let code_rows = r
                .by_code
                .iter()
                .map(|(k, v)| {
                    [
                        k.clone(),
                        format!("{} ({})", v.meaning, v.category),
                        v.count.to_string(),
                        format!("{:.2}%", v.count as f64 * 100.0 / total as f64),
                    ]
                })
                .collect();
            writeln!(
                out,
                "{}",
                table(["Code", "Meaning", "Count", "Share"], code_rows)
            )?;
            if let Some(b) = &r.breakdown {
                let rows = b
                    .iter()
                    .map(|(k, g)| {
                        let rate = if g.responses > 0 {
                            format!("{:.1}%", g.approved as f64 * 100.0 / g.responses as f64)
                        } else {
                            "-".into()
                        };
                        [
                            k.clone(),
                            format!("{} req / {} resp", g.requests, g.responses),
                            format!("{} approved, {} declined", g.approved, g.declined),
                            match &g.latency_ms {
                                Some(l) => format!(
                                    "{} timeouts · {rate} · p50 {} p99 {} ms",
                                    g.timeouts, l.p50, l.p99
                                ),
                                None => format!("{} timeouts · {rate}", g.timeouts),
                            },
                        ]
                    })
                    .collect();
                writeln!(
                    out,
                    "{}",
                    table(
                        [
                            "Group",
                            "Traffic",
                            "Outcome",
                            "Timeouts · approval · latency"
                        ],
                        rows
                    )
                )?;
            }
            for (title, list) in [("Timed out", &r.timed_out), ("Slowest", &r.slowest)] {
                let Some(list) = list else { continue };
                writeln!(out, "{title} ({} listed):", list.len())?;
                if list.is_empty() {
                    continue;
                }
                let mut t = Table::new();
                t.load_style(UTF8_FULL_CONDENSED)
                    .set_content_arrangement(ContentArrangement::Dynamic);
                t.set_header([
                    "Latency",
                    "Request time",
                    "MTI",
                    "Terminal / trace",
                    "Code",
                    "Flow / merchant",
                ]);
                for row in list_rows(list) {
                    t.add_row(row.iter().map(|c| crate::render::sanitize(c).into_owned()));
                }
                writeln!(out, "{t}")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
