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
        let micros = self.us.rem_euclid(1_000_000);
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (h, mi, s) = (sod / 3600, sod / 60 % 60, sod % 60);
        if !self.dated {
            return format!("{h:02}:{mi:02}:{s:02}.{micros:06}");
        }
        let (y, mo, d) = civil_from_days(days);
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{micros:06}Z")
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
