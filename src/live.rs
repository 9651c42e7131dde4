//! The live view of traffic (`stats --follow`, and later `serve` and `proxy`): every interval,
//! the figures of a rolling window, redrawn in place on a terminal or one JSON line in a pipe;
//! alerts printed on stderr when they start and when they stop; optionally the same figures
//! in the Prometheus text format over HTTP.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, anyhow};

use posresp::monitor::{Alert, Sample, Window, WindowReport};

/// Counts since the start, for the metrics' counters.
#[derive(Default, Clone, Copy)]
struct Totals {
    requests: u64,
    responses: u64,
    timeouts: u64,
    undecodable: u64,
}

/// A live view.
pub struct Live {
    window: Window,
    alerts: Vec<Alert>,
    firing: Vec<bool>,
    /// Some alert fired during the run.
    pub any_fired: bool,
    tty: bool,
    title: String,
    totals: Totals,
    metrics: Option<Arc<Mutex<String>>>,
}

impl Live {
    /// A view titled `title` over a window of `window_s` seconds.
    pub fn new(title: String, window_s: u64, slow_us: Option<u64>, alerts: Vec<Alert>) -> Live {
        use std::io::IsTerminal;
        Live {
            window: Window::new(window_s, slow_us),
            firing: vec![false; alerts.len()],
            alerts,
            any_fired: false,
            tty: io::stdout().is_terminal(),
            title,
            totals: Totals::default(),
            metrics: None,
        }
    }

    /// Serve the figures at http://ADDR/metrics from a thread of its own.
    pub fn serve_metrics(&mut self, addr: &str) -> Result<String> {
        let server = tiny_http::Server::http(addr)
            .map_err(|e| anyhow!("--metrics {addr}: cannot listen there ({e})"))?;
        let bound = server
            .server_addr()
            .to_ip()
            .map_or_else(|| addr.to_string(), |a| a.to_string());
        let text = Arc::new(Mutex::new(String::new()));
        self.metrics = Some(text.clone());
        std::thread::Builder::new()
            .name("metrics".into())
            .spawn(move || {
                for req in server.incoming_requests() {
                    let resp = if req.url() == "/metrics" || req.url().starts_with("/metrics?") {
                        let body = text.lock().map(|t| t.clone()).unwrap_or_default();
                        let ct = tiny_http::Header::from_bytes(
                            &b"Content-Type"[..],
                            &b"text/plain; version=0.0.4"[..],
                        )
                        .expect("a valid header");
                        tiny_http::Response::from_string(body).with_header(ct)
                    } else {
                        tiny_http::Response::from_string("posresp serves /metrics only\n")
                            .with_status_code(404)
                    };
                    let _ = req.respond(resp);
                }
            })
            .context("cannot start the metrics thread")?;
        Ok(bound)
    }

    /// Count one sample at `now_ms` (a steady clock).
    pub fn add(&mut self, now_ms: u64, s: Sample<'_>) {
        match s {
            Sample::Request => self.totals.requests += 1,
            Sample::Response { .. } => self.totals.responses += 1,
            Sample::Timeout => self.totals.timeouts += 1,
            Sample::Undecodable => self.totals.undecodable += 1,
        }
        self.window.add(now_ms, s);
    }

    /// Show the figures now: `wall_ms` is the time of day to print (ms since the epoch).
    pub fn tick(&mut self, now_ms: u64, wall_ms: u64) -> Result<()> {
        let r = self.window.report(now_ms);
        let mut err = io::stderr();
        for (i, a) in self.alerts.iter().enumerate() {
            match (a.check(&r.figures), self.firing[i]) {
                (Some(line), false) => {
                    writeln!(err, "posresp: {line}")?;
                    self.firing[i] = true;
                    self.any_fired = true;
                }
                (None, true) => {
                    writeln!(err, "posresp: alert {a} cleared")?;
                    self.firing[i] = false;
                }
                _ => {}
            }
        }
        let ts = posresp::host::clock::stamp(wall_ms).rfc3339;
        if let Some(m) = &self.metrics
            && let Ok(mut t) = m.lock()
        {
            *t = prometheus(&r, self.totals);
        }
        let mut out = io::stdout().lock();
        if self.tty {
            // Home, clear, and the block.
            write!(out, "\x1b[H\x1b[2J{}", self.block(&r, &ts))?;
        } else {
            let mut v = serde_json::to_value(&r)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("ts".into(), ts.into());
                let firing: Vec<String> = self
                    .alerts
                    .iter()
                    .zip(&self.firing)
                    .filter(|(_, f)| **f)
                    .map(|(a, _)| a.to_string())
                    .collect();
                o.insert("alerts".into(), firing.into());
            }
            serde_json::to_writer(&mut out, &v)?;
            writeln!(out)?;
        }
        out.flush()?;
        Ok(())
    }

    /// The terminal view: short lines (under 80 columns).
    fn block(&self, r: &WindowReport, ts: &str) -> String {
        let ms = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
        let mut s = format!("{} · window {}s · {}\n", self.title, r.window_s, &ts[..19]);
        s.push_str(&format!(
            "{:.1} msg/s · {} requests · {} responses · {} timeouts · {} bad\n",
            r.per_second, r.requests, r.responses, r.timeouts, r.undecodable
        ));
        let approval = r
            .approval_rate
            .map_or("-".to_string(), |a| format!("{:.2}%", a * 100.0));
        s.push_str(&format!(
            "approval {approval} · latency ms p50 {} · p90 {} · p99 {} · max {}\n",
            ms(r.p50_ms),
            ms(r.p90_ms),
            ms(r.p99_ms),
            ms(r.max_ms)
        ));
        if let Some(n) = r.slow {
            s.push_str(&format!("slow responses: {n}\n"));
        }
        let list = |v: &[(String, u64)]| {
            v.iter()
                .take(8)
                .map(|(k, n)| format!("{} {n}", crate::render::sanitize(k)))
                .collect::<Vec<_>>()
                .join(" · ")
        };
        s.push_str(&format!("codes: {}\n", list(&r.codes)));
        if !r.top_declines.is_empty() {
            s.push_str(&format!("most declines: {}\n", list(&r.top_declines)));
        }
        let firing: Vec<String> = self
            .alerts
            .iter()
            .zip(&self.firing)
            .filter(|(_, f)| **f)
            .map(|(a, _)| a.to_string())
            .collect();
        if !firing.is_empty() {
            s.push_str(&format!("ALERTS: {}\n", firing.join(" · ")));
        }
        s
    }
}

/// The figures in the Prometheus text exposition format.
fn prometheus(r: &WindowReport, t: Totals) -> String {
    let mut s = String::new();
    let mut gauge = |name: &str, help: &str, v: Option<f64>| {
        if let Some(v) = v {
            s.push_str(&format!(
                "# HELP posresp_{name} {help}\n# TYPE posresp_{name} gauge\nposresp_{name} {v}\n"
            ));
        }
    };
    gauge(
        "window_messages_per_second",
        "Messages per second over the window.",
        Some(r.per_second),
    );
    gauge(
        "window_approval_ratio",
        "Approved share of coded responses over the window.",
        r.approval_rate,
    );
    gauge(
        "window_timeouts",
        "Requests given up on within the window.",
        Some(r.timeouts as f64),
    );
    gauge(
        "window_latency_max_ms",
        "Slowest response in the window, ms.",
        r.max_ms.map(|v| v as f64),
    );
    if let Some(n) = r.slow {
        gauge(
            "window_slow_responses",
            "Responses over the slow threshold in the window.",
            Some(n as f64),
        );
    }
    s.push_str("# HELP posresp_window_latency_ms Response latency over the window, ms.\n");
    s.push_str("# TYPE posresp_window_latency_ms summary\n");
    for (q, v) in [("0.5", r.p50_ms), ("0.9", r.p90_ms), ("0.99", r.p99_ms)] {
        if let Some(v) = v {
            s.push_str(&format!(
                "posresp_window_latency_ms{{quantile=\"{q}\"}} {v}\n"
            ));
        }
    }
    s.push_str(&format!(
        "posresp_window_latency_ms_count {}\n",
        r.responses
    ));
    s.push_str("# HELP posresp_window_responses Responses in the window by response code.\n");
    s.push_str("# TYPE posresp_window_responses gauge\n");
    for (code, n) in &r.codes {
        // Label values are escaped as the format asks.
        let code = code
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n");
        s.push_str(&format!(
            "posresp_window_responses{{code=\"{code}\"}} {n}\n"
        ));
    }
    for (name, help, v) in [
        (
            "requests_total",
            "Requests seen since the start.",
            t.requests,
        ),
        (
            "responses_total",
            "Responses seen since the start.",
            t.responses,
        ),
        (
            "timeouts_total",
            "Requests given up on since the start.",
            t.timeouts,
        ),
        (
            "undecodable_total",
            "Records that did not decode since the start.",
            t.undecodable,
        ),
    ] {
        s.push_str(&format!(
            "# HELP posresp_{name} {help}\n# TYPE posresp_{name} counter\nposresp_{name} {v}\n"
        ));
    }
    s
}

/// One thing seen by a running host or proxy, sent to the view's thread.
#[derive(Clone, Debug)]
pub enum LiveEvent {
    /// A request came.
    Request,
    /// An answer went out.
    Response {
        code: Option<String>,
        category: String,
        terminal: Option<String>,
        latency_us: Option<u64>,
    },
    /// A request that will not be answered (dropped, connection closed).
    Timeout,
    /// A frame that did not decode.
    Undecodable,
    /// The end: show the figures a last time and stop.
    Stop,
}

/// Run `live` on a thread of its own, fed by the sender returned, showing the figures every
/// `interval_ms`; the thread ends (with whether an alert fired) on [`LiveEvent::Stop`] or
/// when every sender is gone.
pub fn spawn(
    mut live: Live,
    interval_ms: u64,
) -> Result<(
    std::sync::mpsc::Sender<LiveEvent>,
    std::thread::JoinHandle<bool>,
)> {
    use std::sync::mpsc::RecvTimeoutError;
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
    let (tx, rx) = std::sync::mpsc::channel::<LiveEvent>();
    let h = std::thread::Builder::new()
        .name("monitor".into())
        .spawn(move || {
            let start = Instant::now();
            let now = || start.elapsed().as_millis() as u64;
            let wall = || {
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis() as u64)
            };
            let mut next = interval_ms;
            loop {
                let wait = next.saturating_sub(now());
                match rx.recv_timeout(Duration::from_millis(wait)) {
                    Ok(e) => {
                        let t = now();
                        match &e {
                            LiveEvent::Request => live.add(t, Sample::Request),
                            LiveEvent::Timeout => live.add(t, Sample::Timeout),
                            LiveEvent::Undecodable => live.add(t, Sample::Undecodable),
                            LiveEvent::Stop => {
                                let _ = live.tick(t, wall());
                                return live.any_fired;
                            }
                            LiveEvent::Response {
                                code,
                                category,
                                terminal,
                                latency_us,
                            } => live.add(
                                t,
                                Sample::Response {
                                    code: code.as_deref(),
                                    category,
                                    terminal: terminal.as_deref(),
                                    latency_us: *latency_us,
                                },
                            ),
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => {
                        let _ = live.tick(now(), wall());
                        return live.any_fired;
                    }
                }
                let t = now();
                if t >= next {
                    let _ = live.tick(t, wall());
                    next += interval_ms * ((t - next) / interval_ms + 1);
                }
            }
        })
        .context("cannot start the monitor thread")?;
    Ok((tx, h))
}
/// The options of the live view on the commands that carry traffic (serve, proxy).
#[derive(Debug, clap::Args, Clone, Default)]
pub struct MonitorArgs {
    /// Show the live view of the traffic on standard output (as stats --follow does: rolling
    /// window, latency, codes, alerts), redrawn on a terminal, JSON lines in a pipe.
    #[arg(long)]
    pub monitor: bool,
    /// With --monitor: the rolling window, e.g. 10s, 1m.
    #[arg(
        long,
        default_value = "1m",
        value_name = "DURATION",
        requires = "monitor"
    )]
    pub window: String,
    /// With --monitor: how often the figures are shown.
    #[arg(
        long,
        default_value = "1s",
        value_name = "DURATION",
        requires = "monitor"
    )]
    pub interval: String,
    /// With --monitor: a response slower than this counts as slow.
    #[arg(long, value_name = "DURATION", requires = "monitor")]
    pub slow: Option<String>,
    /// With --monitor: print a line on stderr when a threshold is crossed ('p99>800ms',
    /// 'timeouts>1%', 'approval<95%'); the exit status is then 1.
    #[arg(long, value_name = "THRESHOLD", requires = "monitor")]
    pub alert: Vec<String>,
    /// With --monitor: also serve the figures in the Prometheus text format at
    /// http://ADDR/metrics.
    #[arg(long, value_name = "ADDR", requires = "monitor")]
    pub metrics: Option<String>,
}

/// A running live view: where to send its events, and its thread (which says whether an
/// alert fired).
pub type Running = (
    std::sync::mpsc::Sender<LiveEvent>,
    std::thread::JoinHandle<bool>,
);

impl MonitorArgs {
    /// Start the view titled `title` when --monitor is given; `command` names the command in
    /// the metrics line on stderr.
    pub fn start(&self, title: String, command: &str) -> Result<Option<Running>> {
        if !self.monitor {
            return Ok(None);
        }
        let ms = |what: &str, v: &str| -> Result<u64> {
            posresp::host::delay::option_ms(what, v).map_err(|e| anyhow!(e))
        };
        let alerts = self
            .alert
            .iter()
            .map(|a| Alert::parse(a).map_err(|e| anyhow!(e)))
            .collect::<Result<Vec<_>>>()?;
        let slow_us = self
            .slow
            .as_deref()
            .map(|v| ms("slow", v).map(|m| m * 1000))
            .transpose()?;
        let mut live = Live::new(
            title,
            ms("window", &self.window)?.div_ceil(1000),
            slow_us,
            alerts,
        );
        if let Some(addr) = &self.metrics {
            let bound = live.serve_metrics(addr)?;
            eprintln!("posresp {command}: metrics at http://{bound}/metrics");
        }
        spawn(live, ms("interval", &self.interval)?).map(Some)
    }
}
