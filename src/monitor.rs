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
