//! Thresholds on traffic figures (`--alert 'p99>800ms'`, `'timeouts>1%'`, `'approval<95%'`)
//! and the figures they are checked against, for batch `stats` and live views alike.

use std::fmt;

/// The figures of some traffic (a whole log, or a window of it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// Requests seen.
    pub requests: u64,
    /// Responses seen.
    pub responses: u64,
    /// Requests unanswered (or answered after the timeout).
    pub timeouts: u64,
    /// Responses whose code's category is `approved`.
    pub approved: u64,
    /// Responses with a response code.
    pub coded: u64,
    /// Responses slower than the `--slow` threshold.
    pub slow: u64,
    /// Records that did not decode.
    pub undecodable: u64,
    /// Latency percentiles and maximum, in ms, when any latency was seen.
    pub p50: Option<u64>,
    pub p90: Option<u64>,
    pub p99: Option<u64>,
    pub max: Option<u64>,
}

/// What an alert watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Metric {
    P50,
    P90,
    P99,
    Max,
    Timeouts,
    Approval,
    Slow,
    Undecodable,
}

/// How a threshold is given.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Amount {
    /// Milliseconds (latencies).
    Ms(f64),
    /// A share, 0–100 % (of requests for timeouts, of responses for slow, of coded responses
    /// for approval, of all records for undecodable).
    Percent(f64),
    /// A count.
    Count(f64),
}

/// One `--alert` threshold.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    text: String,
    metric: Metric,
    above: bool,
    amount: Amount,
}

impl fmt::Display for Alert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

const METRICS: &str = "p50, p90, p99, max (latency: 800ms, 2s), timeouts, slow, undecodable \
                       (a count or a share: 5, 1%), approval (a share: 95%)";

impl Alert {
    /// Parse `METRIC>VALUE` or `METRIC<VALUE`.
    pub fn parse(text: &str) -> Result<Alert, String> {
        let t = text.trim();
        let bad = |why: &str| {
            format!("--alert {t:?}: {why}; write e.g. 'p99>800ms', 'timeouts>1%' or 'approval<95%'")
        };
        let (i, above) = match (t.find('>'), t.find('<')) {
            (Some(i), None) => (i, true),
            (None, Some(i)) => (i, false),
            _ => return Err(bad("give one metric, > or <, and a threshold")),
        };
        let (name, value) = (t[..i].trim(), t[i + 1..].trim());
        let metric = match name {
            "p50" => Metric::P50,
            "p90" => Metric::P90,
            "p99" => Metric::P99,
            "max" => Metric::Max,
            "timeouts" => Metric::Timeouts,
            "approval" => Metric::Approval,
            "slow" => Metric::Slow,
            "undecodable" => Metric::Undecodable,
            _ => return Err(bad(&format!("{name:?} is not one of {METRICS}"))),
        };
        let latency = matches!(
            metric,
            Metric::P50 | Metric::P90 | Metric::P99 | Metric::Max
        );
        let num = |s: &str| -> Result<f64, String> {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| bad(&format!("{value:?} is not a threshold")))
        };
        let amount = if latency {
            if let Some(v) = value.strip_suffix("ms") {
                Amount::Ms(num(v)?)
            } else if let Some(v) = value.strip_suffix('s') {
                Amount::Ms(num(v)? * 1000.0)
            } else {
                return Err(bad("a latency needs a unit, ms or s"));
            }
        } else if let Some(v) = value.strip_suffix('%') {
            let v = num(v)?;
            if v > 100.0 {
                return Err(bad("a share is at most 100%"));
            }
            Amount::Percent(v)
        } else if metric == Metric::Approval {
            return Err(bad("approval is a share: give it in %"));
        } else {
            Amount::Count(num(value)?)
        };
        Ok(Alert {
            text: t.to_string(),
            metric,
            above,
            amount,
        })
    }

    /// The watched figure as the threshold states it (ms, % or a count), when there is one.
    fn observed(&self, f: &Figures) -> Option<f64> {
        let share = |n: u64, of: u64| (of > 0).then(|| n as f64 * 100.0 / of as f64);
        let count_or_share = |n: u64, of: u64| match self.amount {
            Amount::Percent(_) => share(n, of),
            _ => Some(n as f64),
        };
        match self.metric {
            Metric::P50 => f.p50.map(|v| v as f64),
            Metric::P90 => f.p90.map(|v| v as f64),
            Metric::P99 => f.p99.map(|v| v as f64),
            Metric::Max => f.max.map(|v| v as f64),
            Metric::Timeouts => count_or_share(f.timeouts, f.requests),
            Metric::Slow => count_or_share(f.slow, f.responses),
            Metric::Undecodable => {
                count_or_share(f.undecodable, f.requests + f.responses + f.undecodable)
            }
            Metric::Approval => share(f.approved, f.coded),
        }
    }

    /// A line saying the threshold is crossed, or `None` (also when the figure is not known:
    /// no latency, no requests).
    pub fn check(&self, f: &Figures) -> Option<String> {
        let v = self.observed(f)?;
        let limit = match self.amount {
            Amount::Ms(x) | Amount::Percent(x) | Amount::Count(x) => x,
        };
        let crossed = if self.above { v > limit } else { v < limit };
        if !crossed {
            return None;
        }
        let shown = match self.amount {
            Amount::Ms(_) => format!("{v} ms"),
            Amount::Percent(_) => format!("{v:.2}%"),
            Amount::Count(_) => format!("{v}"),
        };
        Some(format!("alert {}: {} is {shown}", self.text, self.name()))
    }

    fn name(&self) -> &'static str {
        match self.metric {
            Metric::P50 => "p50 latency",
            Metric::P90 => "p90 latency",
            Metric::P99 => "p99 latency",
            Metric::Max => "max latency",
            Metric::Timeouts => "timeouts",
            Metric::Approval => "approval rate",
            Metric::Slow => "slow responses",
            Metric::Undecodable => "undecodable records",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        let f = Figures {
            requests: 200,
            responses: 190,
            timeouts: 10,
            approved: 171,
            coded: 190,
            slow: 2,
            p99: Some(912),
            ..Figures::default()
        };
        let fired = |a: &str| Alert::parse(a).unwrap().check(&f);
        assert_eq!(
            fired("p99>800ms").unwrap(),
            "alert p99>800ms: p99 latency is 912 ms"
        );
        assert!(fired("p99>1s").is_none());
        assert!(fired("timeouts>4%").unwrap().contains("5.00%"));
        assert!(fired("timeouts>10").is_none());
        assert!(fired("approval<95%").unwrap().contains("90.00%"));
        assert!(fired("approval<90%").is_none());
        assert!(fired("slow>1").is_some());
        // No latency known: nothing to say.
        assert!(fired("p50>1ms").is_none());
    }

    #[test]
    fn bad_alerts() {
        for (a, why) in [
            ("p99>800", "unit"),
            ("approval<95", "share"),
            ("speed>3", "not one of"),
            ("p99=3ms", "one metric"),
            ("timeouts>150%", "at most"),
        ] {
            let e = Alert::parse(a).unwrap_err();
            assert!(e.contains(why), "{a}: {e}");
        }
    }
}

/// One thing seen in live traffic, for a [`Window`].
#[derive(Clone, Copy, Debug)]
pub enum Sample<'a> {
    /// A request.
    Request,
    /// A response, with what is known of it.
    Response {
        /// Field 39.
        code: Option<&'a str>,
        /// The code's category (`approved`, `decline` …).
        category: &'a str,
        /// Field 41 (trimmed).
        terminal: Option<&'a str>,
        /// Request to response, when known.
        latency_us: Option<u64>,
    },
    /// A request given up on (no answer within the timeout).
    Timeout,
    /// A record that did not decode.
    Undecodable,
}

#[derive(Clone, Debug, Default)]
struct Bucket {
    sec: u64,
    requests: u64,
    responses: u64,
    approved: u64,
    coded: u64,
    timeouts: u64,
    slow: u64,
    undecodable: u64,
    codes: std::collections::BTreeMap<String, u64>,
    declines: std::collections::BTreeMap<String, u64>,
    latency: crate::traffic::Latencies,
}

/// The figures of a rolling window of live traffic: one bucket per second, the oldest
/// dropped as time goes on, so memory stays the same however long it runs.
#[derive(Clone, Debug)]
pub struct Window {
    span_s: u64,
    slow_us: Option<u64>,
    buckets: std::collections::VecDeque<Bucket>,
}

/// What a [`Window`] reports.
#[derive(Clone, Debug, serde::Serialize)]
pub struct WindowReport {
    /// Window length, seconds.
    pub window_s: u64,
    /// Messages per second over the window.
    pub per_second: f64,
    pub requests: u64,
    pub responses: u64,
    pub timeouts: u64,
    pub undecodable: u64,
    /// Approved share of coded responses.
    pub approval_rate: Option<f64>,
    /// Latency percentiles and maximum, ms.
    pub p50_ms: Option<u64>,
    pub p90_ms: Option<u64>,
    pub p99_ms: Option<u64>,
    pub max_ms: Option<u64>,
    /// Responses slower than the slow threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slow: Option<u64>,
    /// Response codes and their counts, most frequent first.
    pub codes: Vec<(String, u64)>,
    /// Terminals with the most declines, most first (at most five).
    pub top_declines: Vec<(String, u64)>,
    /// The same figures, for alerts.
    #[serde(skip)]
    pub figures: Figures,
}

impl Window {
    /// A window of `span_s` seconds; `slow_us` counts responses slower than it.
    pub fn new(span_s: u64, slow_us: Option<u64>) -> Self {
        Window {
            span_s: span_s.max(1),
            slow_us,
            buckets: Default::default(),
        }
    }

    fn bucket(&mut self, now_ms: u64) -> &mut Bucket {
        let sec = now_ms / 1000;
        self.expire(sec);
        if self.buckets.back().is_none_or(|b| b.sec != sec) {
            self.buckets.push_back(Bucket {
                sec,
                ..Bucket::default()
            });
        }
        self.buckets.back_mut().expect("just pushed")
    }

    fn expire(&mut self, sec: u64) {
        while self
            .buckets
            .front()
            .is_some_and(|b| b.sec + self.span_s <= sec)
        {
            self.buckets.pop_front();
        }
    }

    /// Count one sample seen at `now_ms` (milliseconds on any steady clock).
    pub fn add(&mut self, now_ms: u64, s: Sample<'_>) {
        let slow_us = self.slow_us;
        let b = self.bucket(now_ms);
        match s {
            Sample::Request => b.requests += 1,
            Sample::Timeout => b.timeouts += 1,
            Sample::Undecodable => b.undecodable += 1,
            Sample::Response {
                code,
                category,
                terminal,
                latency_us,
            } => {
                b.responses += 1;
                if let Some(c) = code {
                    b.coded += 1;
                    *b.codes.entry(c.to_string()).or_default() += 1;
                }
                if category == "approved" {
                    b.approved += 1;
                } else if matches!(category, "decline" | "pickup") {
                    *b.declines
                        .entry(terminal.unwrap_or("(none)").to_string())
                        .or_default() += 1;
                }
                if let Some(l) = latency_us {
                    b.latency.add(l);
                    if slow_us.is_some_and(|s| l > s) {
                        b.slow += 1;
                    }
                }
            }
        }
    }

    /// The figures of the last `span` seconds up to `now_ms`.
    pub fn report(&mut self, now_ms: u64) -> WindowReport {
        self.expire(now_ms / 1000);
        let mut t = Bucket::default();
        for b in &self.buckets {
            t.requests += b.requests;
            t.responses += b.responses;
            t.approved += b.approved;
            t.coded += b.coded;
            t.timeouts += b.timeouts;
            t.slow += b.slow;
            t.undecodable += b.undecodable;
            for (k, v) in &b.codes {
                *t.codes.entry(k.clone()).or_default() += v;
            }
            for (k, v) in &b.declines {
                *t.declines.entry(k.clone()).or_default() += v;
            }
            t.latency.merge(&b.latency);
        }
        let ms = |v: Option<u64>| v.map(|us| (us + 500) / 1000);
        let sorted = |m: std::collections::BTreeMap<String, u64>, n: usize| {
            let mut v: Vec<(String, u64)> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(n);
            v
        };
        let figures = Figures {
            requests: t.requests,
            responses: t.responses,
            timeouts: t.timeouts,
            approved: t.approved,
            coded: t.coded,
            slow: t.slow,
            undecodable: t.undecodable,
            p50: ms(t.latency.percentile(0.5)),
            p90: ms(t.latency.percentile(0.9)),
            p99: ms(t.latency.percentile(0.99)),
            max: ms(t.latency.max()),
        };
        WindowReport {
            window_s: self.span_s,
            per_second: (t.requests + t.responses + t.undecodable) as f64 / self.span_s as f64,
            requests: t.requests,
            responses: t.responses,
            timeouts: t.timeouts,
            undecodable: t.undecodable,
            approval_rate: (t.coded > 0).then(|| t.approved as f64 / t.coded as f64),
            p50_ms: figures.p50,
            p90_ms: figures.p90,
            p99_ms: figures.p99,
            max_ms: figures.max,
            slow: self.slow_us.map(|_| t.slow),
            codes: sorted(t.codes, usize::MAX),
            top_declines: sorted(t.declines, 5),
            figures,
        }
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;

    #[test]
    fn the_window_rolls() {
        let mut w = Window::new(10, Some(1_000_000));
        let resp = |code, cat, l| Sample::Response {
            code: Some(code),
            category: cat,
            terminal: Some("T1"),
            latency_us: Some(l),
        };
        w.add(0, Sample::Request);
        w.add(100, resp("00", "approved", 200_000));
        w.add(5_000, Sample::Request);
        w.add(5_500, resp("51", "decline", 2_000_000));
        let r = w.report(6_000);
        assert_eq!((r.requests, r.responses), (2, 2));
        assert_eq!(r.approval_rate, Some(0.5));
        assert_eq!(r.slow, Some(1));
        assert_eq!(r.top_declines, vec![("T1".to_string(), 1)]);
        assert_eq!(r.max_ms, Some(2000));
        // Ten seconds on, the first second has left the window.
        let r = w.report(10_000);
        assert_eq!((r.requests, r.responses), (1, 1));
        assert_eq!(r.approval_rate, Some(0.0));
        let r = w.report(16_000);
        assert_eq!(r.requests + r.responses, 0);
        assert_eq!(r.p99_ms, None);
    }
}
