//! Delays and latencies: a fixed time, a uniform range or a log-normal distribution given by
//! its median and 99th percentile (`fixed:50ms`, `uniform:10ms..200ms`,
//! `lognormal:median=180ms,p99=2s`; a bare `50ms` is fixed).

use rand::{Rng, RngExt};

/// A delay in milliseconds, drawn per use.
#[derive(Clone, Debug, PartialEq)]
pub enum Delay {
    /// Always the same.
    Fixed(f64),
    /// Uniform between two bounds.
    Uniform(f64, f64),
    /// Log-normal with these parameters of the underlying normal.
    LogNormal {
        /// Mean of ln(ms).
        mu: f64,
        /// Standard deviation of ln(ms).
        sigma: f64,
    },
}

/// `50ms`, `2s`, `1.5s` or a bare number of milliseconds.
pub fn millis(s: &str) -> Result<f64, String> {
    let s = s.trim();
    let (num, scale) = if let Some(v) = s.strip_suffix("ms") {
        (v, 1.0)
    } else if let Some(v) = s.strip_suffix('s') {
        (v, 1000.0)
    } else if let Some(v) = s.strip_suffix('m') {
        (v, 60_000.0)
    } else if let Some(v) = s.strip_suffix('h') {
        (v, 3_600_000.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a duration (50ms, 2s, 1m, 1h)"))?;
    if !(v >= 0.0 && v.is_finite()) {
        return Err(format!("{s:?} must be zero or more"));
    }
    Ok(v * scale)
}

/// The value of a duration option (`--timeout`, `--window` …) in whole milliseconds, at least
/// one; the error names the option.
pub fn option_ms(what: &str, v: &str) -> Result<u64, String> {
    let ms = millis(v).map_err(|e| format!("--{what}: {e}"))?;
    if ms < 1.0 {
        return Err(format!("--{what} {v}: must be at least 1ms"));
    }
    Ok(ms as u64)
}

impl Delay {
    /// Parse the forms above.
    pub fn parse(s: &str) -> Result<Delay, String> {
        let s = s.trim();
        if let Some(v) = s.strip_prefix("fixed:") {
            return Ok(Delay::Fixed(millis(v)?));
        }
        if let Some(v) = s.strip_prefix("uniform:") {
            let (a, b) = v
                .split_once("..")
                .ok_or_else(|| format!("{s:?}: write uniform:10ms..200ms"))?;
            let (a, b) = (millis(a)?, millis(b)?);
            if b < a {
                return Err(format!("{s:?}: the upper bound is below the lower"));
            }
            return Ok(Delay::Uniform(a, b));
        }
        if let Some(v) = s.strip_prefix("lognormal:") {
            let (mut median, mut p99) = (None, None);
            for kv in v.split(',') {
                match kv.split_once('=') {
                    Some(("median", x)) => median = Some(millis(x)?),
                    Some(("p99", x)) => p99 = Some(millis(x)?),
                    _ => return Err(format!("{kv:?}: use median=… and p99=…")),
                }
            }
            let (median, p99) = (
                median.ok_or("lognormal: median missing")?,
                p99.ok_or("lognormal: p99 missing")?,
            );
            if median <= 0.0 || p99 <= median {
                return Err("lognormal: the median must be positive and p99 above it".into());
            }
            // z(0.99) = 2.3263
            return Ok(Delay::LogNormal {
                mu: median.ln(),
                sigma: (p99.ln() - median.ln()) / 2.326_347_874,
            });
        }
        if s.starts_with(|c: char| c.is_ascii_digit()) {
            return Ok(Delay::Fixed(millis(s)?));
        }
        Err(format!(
            "{s:?}: use 50ms, fixed:50ms, uniform:10ms..200ms or lognormal:median=180ms,p99=2s"
        ))
    }

    /// One draw, in whole milliseconds (at least 1 for log-normal, capped at 10 minutes).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        match *self {
            Delay::Fixed(ms) => ms as u64,
            Delay::Uniform(a, b) => {
                if b > a {
                    (a + rng.random::<f64>() * (b - a)).round() as u64
                } else {
                    a as u64
                }
            }
            Delay::LogNormal { mu, sigma } => {
                // Box-Muller for one standard normal draw.
                let (u1, u2): (f64, f64) = (rng.random::<f64>().max(1e-12), rng.random());
                let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                (mu + sigma * z).exp().round().clamp(1.0, 600_000.0) as u64
            }
        }
    }

    /// The largest value a draw can take, in milliseconds.
    pub fn max_ms(&self) -> u64 {
        match *self {
            Delay::Fixed(ms) => ms as u64,
            Delay::Uniform(_, b) => b.round() as u64,
            Delay::LogNormal { .. } => 600_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn forms() {
        assert_eq!(Delay::parse("50ms"), Ok(Delay::Fixed(50.0)));
        assert_eq!(Delay::parse("fixed:2s"), Ok(Delay::Fixed(2000.0)));
        assert_eq!(
            Delay::parse("uniform:10ms..20ms"),
            Ok(Delay::Uniform(10.0, 20.0))
        );
        assert!(Delay::parse("uniform:20ms..10ms").is_err());
        assert!(Delay::parse("lognormal:median=2s,p99=1s").is_err());
        assert!(Delay::parse("soon").is_err());
        let d = Delay::parse("uniform:10ms..20ms").unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        for _ in 0..100 {
            assert!((10..=20).contains(&d.sample(&mut rng)));
        }
        let l = Delay::parse("lognormal:median=100ms,p99=1s").unwrap();
        let mut v: Vec<u64> = (0..2001).map(|_| l.sample(&mut rng)).collect();
        v.sort_unstable();
        assert!((80..125).contains(&v[1000]), "median {}", v[1000]);
    }
}
