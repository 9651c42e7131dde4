//! Packets out of `tcpdump -X` / `-XX` text: a header line per packet that starts with its
//! time, then `0x0000:  4500 0034 …  E..4` lines holding the packet's bytes.

use std::io::BufRead;

use super::event::{Problem, Stamp};
use super::packets::{Link, Next, Packet};
use crate::host::clock::days_from_civil;

/// True when `sample` looks like `tcpdump -X` text: a packet line that starts with a time,
/// followed by an offset line `0x0000:`.
pub fn is_tcpdump_text(sample: &[u8]) -> bool {
    let text = String::from_utf8_lossy(sample);
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    header_stamp(first).is_some()
        && lines
            .next()
            .is_some_and(|l| l.trim_start().starts_with("0x0000:"))
}

/// The time a packet line starts with: `10:00:00.123456` (tcpdump's default), `2026-11-26
/// 10:00:00.123456` (`-tttt`) or `1764151200.123456` (`-tt`).
fn header_stamp(line: &str) -> Option<Stamp> {
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    let mut words = line.split_ascii_whitespace();
    let w0 = words.next()?;
    let frac_us = |f: &str| -> Option<i64> {
        if f.is_empty() || f.len() > 9 || !f.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let p: String = format!("{f:0<6}").chars().take(6).collect();
        p.parse().ok()
    };
    let time_of_day = |t: &str| -> Option<i64> {
        let (hms, frac) = t.split_once('.')?;
        let mut p = hms.split(':');
        let (h, m, s): (i64, i64, i64) = (
            p.next()?.parse().ok()?,
            p.next()?.parse().ok()?,
            p.next()?.parse().ok()?,
        );
        if p.next().is_some() || h > 23 || m > 59 || s > 60 {
            return None;
        }
        Some((h * 3600 + m * 60 + s) * 1_000_000 + frac_us(frac)?)
    };
    if w0.len() == 10 && w0.as_bytes()[4] == b'-' && w0.as_bytes()[7] == b'-' {
        let y: i64 = w0[..4].parse().ok()?;
        let mo: u32 = w0[5..7].parse().ok()?;
        let d: u32 = w0[8..].parse().ok()?;
        let tod = time_of_day(words.next()?)?;
        let days = days_from_civil(y, mo, d);
        return Some(Stamp {
            us: days * 86_400_000_000 + tod,
            dated: true,
        });
    }
    if w0.contains(':') {
        return Some(Stamp {
            us: time_of_day(w0)?,
            dated: false,
        });
    }
    let (s, f) = w0.split_once('.')?;
    if s.len() < 9 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(Stamp {
        us: s.parse::<i64>().ok()? * 1_000_000 + frac_us(f)?,
        dated: true,
    })
}

/// The bytes of one `0x0010:  4500 0034 …  gutter` line, and its offset.
fn hex_line(line: &str) -> Option<Result<(usize, Vec<u8>), String>> {
    let t = line.trim_start();
    let rest = t.strip_prefix("0x")?;
    let (off, rest) = rest.split_once(':')?;
    let off = usize::from_str_radix(off, 16).ok()?;
    let rest = rest.trim_start();
    // The hex groups end where two spaces start the ASCII gutter.
    let hex = rest.split("  ").next().unwrap_or("");
    let mut out = Vec::with_capacity(16);
    for g in hex.split(' ').filter(|g| !g.is_empty()) {
        if g.len() % 2 != 0 || g.len() > 4 || !g.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Some(Err(format!("`{g}` is not a group of hex digits")));
        }
        for i in (0..g.len()).step_by(2) {
            out.push(u8::from_str_radix(&g[i..i + 2], 16).unwrap_or(0));
        }
    }
    Some(Ok((off, out)))
}

/// Packets of tcpdump text, read line by line.
#[derive(Default)]
pub struct Text {
    line_no: usize,
    number: u64,
    /// The packet being read: its time, first line and bytes so far.
    current: Option<(Stamp, usize, Vec<u8>)>,
    done: bool,
    /// A problem found while reading the packet that the next line ended.
    queued: Option<Problem>,
}

impl Text {
    fn finish(&mut self) -> Option<Packet> {
        let (ts, _, data) = self.current.take()?;
        self.number += 1;
        Some(Packet {
            number: self.number,
            ts,
            link: Link::Guess,
            wire_len: data.len() as u32,
            data,
        })
    }

    /// The next packet, problem or the end.
    pub fn next<R: BufRead>(&mut self, r: &mut R) -> Next {
        loop {
            if let Some(p) = self.queued.take() {
                return Next::Problem(p);
            }
            if self.done {
                return self.finish().map_or(Next::End, Next::Packet);
            }
            let mut raw = Vec::new();
            // A line of tcpdump text is short; a longer one is cut (and then fails as hex).
            match std::io::Read::take(&mut *r, 1 << 20).read_until(b'\n', &mut raw) {
                Ok(0) => {
                    self.done = true;
                    continue;
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Next::Problem(Problem {
                        packet: None,
                        message: format!("cannot read: {e}"),
                    });
                }
            }
            self.line_no += 1;
            let line = String::from_utf8_lossy(&raw);
            let line = line.trim_end();
            if line.trim().is_empty() {
                continue;
            }
            if let Some(ts) = header_stamp(line) {
                let done = self.finish();
                self.current = Some((ts, self.line_no, Vec::new()));
                if let Some(p) = done {
                    return Next::Packet(p);
                }
                continue;
            }
            match hex_line(line) {
                Some(Ok((off, bytes))) => match &mut self.current {
                    Some((_, _, data)) if data.len() == off => data.extend_from_slice(&bytes),
                    Some((_, first, data)) => {
                        let (first, have) = (*first, data.len());
                        self.current = None;
                        return Next::Problem(Problem {
                            packet: Some(self.number + 1),
                            message: format!(
                                "line {}: offset 0x{off:04x} where 0x{have:04x} was expected: \
                                 lines of the packet at line {first} are missing; skipped the packet",
                                self.line_no
                            ),
                        });
                    }
                    None => {
                        return Next::Problem(Problem {
                            packet: None,
                            message: format!(
                                "line {}: hex line without a packet line (time, addresses) before it; skipped it",
                                self.line_no
                            ),
                        });
                    }
                },
                Some(Err(e)) => {
                    self.current = None;
                    return Next::Problem(Problem {
                        packet: Some(self.number + 1),
                        message: format!("line {}: {e}; skipped the packet", self.line_no),
                    });
                }
                // Other lines (tcpdump's decoded protocol text with -v) carry no bytes.
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_and_hex_lines() {
        assert_eq!(
            header_stamp("10:00:00.000250 IP 10.0.0.1.40000 > 10.0.0.2.5000: Flags [P.]"),
            Some(Stamp {
                us: 36_000_000_250,
                dated: false
            })
        );
        let d = header_stamp("2026-11-26 10:00:00.5 IP x > y").unwrap();
        assert!(d.dated);
        assert_eq!(d.text(), "2026-11-26T10:00:00.500000Z");
        assert_eq!(
            header_stamp("1764151200.000001 IP a > b").unwrap().text(),
            "2025-11-26T10:00:00.000001Z"
        );
        assert_eq!(header_stamp("\t0x0000:  4500"), None);
        assert_eq!(
            hex_line("\t0x0010:  0a00 0001 ab  ....").unwrap().unwrap(),
            (16, vec![0x0a, 0x00, 0x00, 0x01, 0xab])
        );
        // A gutter that looks like hex is not read as bytes.
        assert_eq!(
            hex_line("\t0x0000:  3032 3030                      0200")
                .unwrap()
                .unwrap()
                .1,
            vec![0x30, 0x32, 0x30, 0x30]
        );
    }
}
