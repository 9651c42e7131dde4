//! What a capture yields: messages with their time, flow and direction, and problems with the
//! packet they were found at.

use std::net::SocketAddr;

/// A capture timestamp in microseconds: since the epoch, or since midnight when the capture
/// gave only the time of day (tcpdump's default text output).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp {
    /// Microseconds.
    pub us: i64,
    /// The stamp holds a date (else it is a time of day).
    pub dated: bool,
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Stamp {
    /// `2026-11-26T10:00:00.123456Z`, or `10:00:00.123456` for a time of day.
    pub fn text(self) -> String {
        let secs = self.us.div_euclid(1_000_000);
        let micros = self.us.rem_euclid(1_000_000) as u32;
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400) as u32;
        // Written digit by digit: one of these per message of a capture.
        let mut out = String::with_capacity(27);
        fn digits(out: &mut String, v: u32, n: u32) {
            let mut p = 10u32.pow(n - 1);
            for _ in 0..n {
                out.push(char::from(b'0' + (v / p % 10) as u8));
                p /= 10;
            }
        }
        if self.dated {
            let (y, mo, d) = civil_from_days(days);
            if !(0..=9999).contains(&y) {
                return format!(
                    "{y}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z",
                    sod / 3600,
                    sod / 60 % 60,
                    sod % 60
                );
            }
            digits(&mut out, y as u32, 4);
            out.push('-');
            digits(&mut out, mo, 2);
            out.push('-');
            digits(&mut out, d, 2);
            out.push('T');
        }
        digits(&mut out, sod / 3600, 2);
        out.push(':');
        digits(&mut out, sod / 60 % 60, 2);
        out.push(':');
        digits(&mut out, sod % 60, 2);
        out.push('.');
        digits(&mut out, micros, 6);
        if self.dated {
            out.push('Z');
        }
        out
    }
}

/// One message cut from a TCP stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The message bytes, framing included.
    pub bytes: Vec<u8>,
    /// Time of the packet that completed the message.
    pub ts: Stamp,
    /// Sender.
    pub src: SocketAddr,
    /// Receiver.
    pub dst: SocketAddr,
    /// Sent by the side that connected (a request) or by the side that listens (a response);
    /// `None` when the capture does not show which side listens.
    pub from_client: Option<bool>,
    /// Number (1-based) of the packet that completed the message.
    pub packet: u64,
}

/// Something in a capture that is not a whole message: where and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Packet (1-based) it was found at, when it belongs to one.
    pub packet: Option<u64>,
    /// What is wrong and what it means.
    pub message: String,
}

/// What a capture yields, in capture order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A whole message.
    Message(Message),
    /// Bytes or packets that could not be read as messages.
    Problem(Problem),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_as_text() {
        let us = (days_from_civil(2026, 11, 26) * 86_400 + 36_000) * 1_000_000 + 123_456;
        assert_eq!(
            Stamp { us, dated: true }.text(),
            "2026-11-26T10:00:00.123456Z"
        );
        assert_eq!(
            Stamp {
                us: 36_000_000_001,
                dated: false
            }
            .text(),
            "10:00:00.000001"
        );
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2024, 12, 31), (2026, 3, 1)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
    }
}
