//! The timestamps real logs carry, as microseconds: RFC 3339 and its relatives (`T` or a space,
//! any fraction, `Z` or an offset, which is applied), `dd/mm/yyyy` and `yyyy/mm/dd` dates, a
//! time of day alone (tcpdump), syslog's `Nov 26 00:00:00`, epoch seconds and epoch
//! milliseconds; and a `--ts-format` pattern for the rest.

use crate::host::clock::days_from_civil;

/// Microseconds since the epoch, or since midnight for a time of day alone; syslog stamps,
/// which carry no year, count from 1 January 2000 of their month and day.
pub fn parse(ts: &str) -> Option<u64> {
    let t = ts.trim().trim_matches(|c| c == '[' || c == ']');
    let b = t.as_bytes();
    if b.is_empty() {
        return None;
    }
    // Epoch seconds (10 digits, optional fraction) or milliseconds (13 digits).
    if b[0].is_ascii_digit() {
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        if int.bytes().all(|c| c.is_ascii_digit()) && frac.bytes().all(|c| c.is_ascii_digit()) {
            return match int.len() {
                10 => Some(int.parse::<u64>().ok()? * 1_000_000 + frac_us(frac)?),
                13 if frac.is_empty() => Some(int.parse::<u64>().ok()? * 1000),
                16 if frac.is_empty() => int.parse().ok(),
                _ => None,
            };
        }
    }
    if let Some(v) = syslog(t) {
        return Some(v);
    }
    if b.len() >= 8 && b[2] == b':' && b[5] == b':' {
        return time_of_day(t).map(|(v, _)| v);
    }
    if b.len() < 19 {
        return None;
    }
    let (y, mo, d) = if b[4] == b'-' || b[4] == b'/' {
        (num(t, 0..4)?, num(t, 5..7)?, num(t, 8..10)?)
    } else if b[2] == b'/' || b[2] == b'.' || b[2] == b'-' {
        // dd/mm/yyyy, as European and Chinese logs write it.
        (num(t, 6..10)?, num(t, 3..5)?, num(t, 0..2)?)
    } else {
        return None;
    };
    if !matches!(b[10], b'T' | b' ' | b'-' | b':')
        || !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
    {
        return None;
    }
    let (tod, rest) = time_of_day(&t[11..])?;
    let days = days_from_civil(y as i64, mo as u32, d as u32);
    let local = (days * 86_400_000_000) + tod as i64;
    let offset = zone(rest)?;
    u64::try_from(local - offset).ok()
}

fn num(t: &str, r: std::ops::Range<usize>) -> Option<u64> {
    let s = t.get(r)?;
    s.bytes()
        .all(|c| c.is_ascii_digit())
        .then(|| s.parse().ok())?
}

fn frac_us(f: &str) -> Option<u64> {
    if f.is_empty() {
        return Some(0);
    }
    if !f.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    format!("{f:0<6}").get(..6)?.parse().ok()
}

/// `HH:MM:SS[.fff…]` (a `,` for the fraction too, as log4j writes): microseconds since
/// midnight and what follows.
fn time_of_day(t: &str) -> Option<(u64, &str)> {
    let b = t.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, mi, s) = (num(t, 0..2)?, num(t, 3..5)?, num(t, 6..8)?);
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut us = (h * 3600 + mi * 60 + s) * 1_000_000;
    let mut rest = &t[8..];
    if let Some(f) = rest.strip_prefix(['.', ',']) {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        us += frac_us(&f[..n])?;
        rest = &f[n..];
    }
    Some((us, rest))
}

/// A zone after the time: nothing, `Z`, `+08:00`, `+0800`, `+08`: its offset in µs.
fn zone(rest: &str) -> Option<i64> {
    let z = rest.trim();
    if z.is_empty() || z == "Z" || z == "z" || z.eq_ignore_ascii_case("UTC") {
        return Some(0);
    }
    let sign = match z.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = z[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|c| c.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let h: i64 = digits[..2].parse().ok()?;
    let m: i64 = digits.get(2..).map_or(Some(0), |m| m.parse().ok())?;
    Some(sign * (h * 60 + m) * 60_000_000)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Nov 26 00:00:00` (syslog: no year; counted in 2000).
fn syslog(t: &str) -> Option<u64> {
    let mo = MONTHS.iter().position(|m| t.get(..3) == Some(m))? as u32 + 1;
    let rest = t.get(3..)?.trim_start();
    let (day, rest) = rest.split_once(' ')?;
    let d: u32 = day.parse().ok()?;
    let (tod, after) = time_of_day(rest.trim_start())?;
    if !after.trim().is_empty() || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(2000, mo, d);
    Some(days as u64 * 86_400_000_000 + tod)
}

/// How long the timestamp at the start of a syslog line is (`Nov 26 00:00:00` or
/// `Nov  6 00:00:00.123`), if it starts with one.
pub fn syslog_prefix(line: &str) -> Option<usize> {
    MONTHS.iter().position(|m| line.get(..3) == Some(m))?;
    let b = line.as_bytes();
    let mut i = 3;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    let day_end = i + b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if day_end == i || day_end - i > 2 || b.get(day_end) != Some(&b' ') {
        return None;
    }
    let t = &line[day_end + 1..];
    let (_, rest) = time_of_day(t)?;
    let end = day_end + 1 + (t.len() - rest.len());
    syslog(&line[..end]).map(|_| end)
}

/// A `--ts-format` pattern: `%Y %m %d %H %M %S` (numbers), `%y` (two-digit year, 20yy), `%b`
/// (Jan…Dec), `%f` (fraction, any digits), `%s` (epoch seconds), `%%`; other characters match
/// themselves.
#[derive(Clone, Debug)]
pub struct Format {
    pattern: String,
}

impl Format {
    /// Check a pattern.
    pub fn new(pattern: &str) -> Result<Format, String> {
        let mut chars = pattern.chars();
        let mut has_time = false;
        while let Some(c) = chars.next() {
            if c == '%' {
                match chars.next() {
                    Some('Y' | 'y' | 'm' | 'd' | 'b' | 'f' | '%') => {}
                    Some('H' | 'M' | 'S' | 's') => has_time = true,
                    Some(o) => {
                        return Err(format!(
                            "--ts-format {pattern:?}: %{o} is not known; use %Y %y %m %d %b %H %M %S %f %s"
                        ));
                    }
                    None => return Err(format!("--ts-format {pattern:?}: ends with %")),
                }
            }
        }
        if !has_time {
            return Err(format!(
                "--ts-format {pattern:?}: no time in it (%H:%M:%S or %s)"
            ));
        }
        Ok(Format {
            pattern: pattern.to_string(),
        })
    }

    /// Microseconds of `ts` read with the pattern.
    pub fn parse(&self, ts: &str) -> Option<u64> {
        let s = ts.trim();
        let (mut y, mut mo, mut d, mut h, mut mi, mut sec, mut us) =
            (1970i64, 1u32, 1u32, 0, 0, 0, 0);
        let mut epoch: Option<u64> = None;
        let mut pos = 0;
        let mut pat = self.pattern.chars();
        let digits = |pos: &mut usize, max: usize| -> Option<u64> {
            let n = s[*pos..]
                .bytes()
                .take(max)
                .take_while(u8::is_ascii_digit)
                .count();
            if n == 0 {
                return None;
            }
            let v = s[*pos..*pos + n].parse().ok();
            *pos += n;
            v
        };
        while let Some(c) = pat.next() {
            if c != '%' {
                if !s[pos..].starts_with(c) {
                    return None;
                }
                pos += c.len_utf8();
                continue;
            }
            match pat.next()? {
                'Y' => y = digits(&mut pos, 4)? as i64,
                'y' => y = 2000 + digits(&mut pos, 2)? as i64,
                'm' => mo = digits(&mut pos, 2)? as u32,
                'd' => d = digits(&mut pos, 2)? as u32,
                'H' => h = digits(&mut pos, 2)?,
                'M' => mi = digits(&mut pos, 2)?,
                'S' => sec = digits(&mut pos, 2)?,
                's' => epoch = Some(digits(&mut pos, 12)?),
                'f' => {
                    let n = s[pos..].bytes().take_while(u8::is_ascii_digit).count();
                    us = frac_us(&s[pos..pos + n])?;
                    pos += n;
                }
                'b' => {
                    mo = MONTHS.iter().position(|m| s[pos..].starts_with(m))? as u32 + 1;
                    pos += 3;
                }
                '%' => {
                    if !s[pos..].starts_with('%') {
                        return None;
                    }
                    pos += 1;
                }
                _ => return None,
            }
        }
        if let Some(e) = epoch {
            return Some(e * 1_000_000 + us);
        }
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        let days = days_from_civil(y, mo, d);
        Some((days as u64 * 86_400 + h * 3600 + mi * 60 + sec) * 1_000_000 + us)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOV26: u64 = 1_795_651_200_000_000;

    #[test]
    fn forms_real_logs_carry() {
        for (t, us) in [
            ("2026-11-26T00:00:00.000Z", NOV26),
            ("2026-11-26T00:00:00.000250Z", NOV26 + 250),
            ("2026-11-26 00:00:01", NOV26 + 1_000_000),
            ("2026-11-26 08:00:00+08:00", NOV26),
            ("2026-11-26T08:00:00.5+0800", NOV26 + 500_000),
            ("2026/11/26 00:00:00,250", NOV26 + 250_000),
            ("26/11/2026 00:00:02.1", NOV26 + 2_100_000),
            ("26.11.2026 00:00:00", NOV26),
            ("1795651200", NOV26),
            ("1795651200.000001", NOV26 + 1),
            ("1795651200123", NOV26 + 123_000),
            ("10:00:00.000001", 36_000_000_001),
            ("[2026-11-26 00:00:00]", NOV26),
        ] {
            assert_eq!(parse(t), Some(us), "{t}");
        }
        for bad in [
            "",
            "hello",
            "2026-13-01 00:00:00",
            "26/11/2026",
            "12345",
            "25:00:00",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        let a = parse("Nov 26 00:00:00").unwrap();
        assert_eq!(parse("Nov 26 00:00:01.5").unwrap() - a, 1_500_000);
        assert_eq!(
            syslog_prefix("Nov  6 10:00:00 pos1 host[42]: 0200…"),
            Some(15)
        );
        assert_eq!(syslog_prefix("Nov 26 10:00:00.123 x"), Some(19));
        assert_eq!(syslog_prefix("Novel idea"), None);
    }

    #[test]
    fn patterns() {
        let f = Format::new("%d%m%Y|%H%M%S.%f").unwrap();
        assert_eq!(f.parse("26112026|000001.5"), Some(NOV26 + 1_500_000));
        assert_eq!(f.parse("26112026 000001"), None);
        let f = Format::new("%b %d %y %H:%M:%S").unwrap();
        assert_eq!(f.parse("Nov 26 26 00:00:00"), Some(NOV26));
        assert_eq!(
            Format::new("@%s.%f").unwrap().parse("@1795651200.25"),
            Some(NOV26 + 250_000)
        );
        assert!(Format::new("%Y-%m-%d").unwrap_err().contains("no time"));
        assert!(Format::new("%Q").unwrap_err().contains("not known"));
    }
}
