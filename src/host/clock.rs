//! Calendar arithmetic for timestamps without a date-time dependency.

use std::time::{SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of [`civil`]).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Milliseconds since the epoch → the parts every message and log line needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// `2026-11-26T10:00:00.123Z`.
    pub rfc3339: String,
    /// `MMDD` (fields 13, 15).
    pub mmdd: String,
    /// `hhmmss` (field 12 in 1987 and CUP).
    pub hhmmss: String,
    /// `YYMMDD`.
    pub yymmdd: String,
}

/// The parts of `ms` (milliseconds since the epoch, UTC).
pub fn stamp(ms: u64) -> Stamp {
    let secs = ms / 1000;
    let (y, mo, d) = civil((secs / 86_400) as i64);
    let (h, mi, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
    Stamp {
        rfc3339: format!(
            "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}Z",
            ms % 1000
        ),
        mmdd: format!("{mo:02}{d:02}"),
        hhmmss: format!("{h:02}{mi:02}{s:02}"),
        yymmdd: format!("{:02}{mo:02}{d:02}", y % 100),
    }
}

/// Milliseconds since the epoch, now.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A per-connection clock: the stamp parts are rebuilt once per second.
pub struct Clock {
    sec: u64,
    stamp: Stamp,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::new()
    }
}

impl Clock {
    pub fn new() -> Clock {
        Clock {
            sec: u64::MAX,
            stamp: stamp(0),
        }
    }

    /// The stamp for now, with the RFC 3339 form to the millisecond.
    pub fn now(&mut self) -> &Stamp {
        let ms = now_ms();
        if ms / 1000 != self.sec {
            self.sec = ms / 1000;
            self.stamp = stamp(ms);
        } else {
            let r = &mut self.stamp.rfc3339;
            let n = r.len();
            let millis = format!("{:03}", ms % 1000);
            r.replace_range(n - 4..n - 1, &millis);
        }
        &self.stamp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(civil(0), (1970, 1, 1));
        let s = stamp(1_795_651_200_123);
        assert_eq!(s.rfc3339, "2026-11-26T00:00:00.123Z");
        assert_eq!((s.mmdd.as_str(), s.yymmdd.as_str()), ("1126", "261126"));
        assert_eq!(stamp(951_782_400_000).mmdd, "0229"); // 2000-02-29
    }
}
