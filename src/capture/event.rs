//! What a capture yields: messages with their time, flow and direction, and problems with the
//! packet they were found at.

use std::net::SocketAddr;

use crate::host::clock::civil;

/// A capture timestamp in microseconds: since the epoch, or since midnight when the capture
/// gave only the time of day (tcpdump's default text output).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp {
    /// Microseconds.
    pub us: i64,
    /// The stamp holds a date (else it is a time of day).
    pub dated: bool,
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
            let (y, mo, d) = civil(days);
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
    use crate::host::clock::days_from_civil;

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
            assert_eq!(civil(days_from_civil(y, m, d)), (y, m, d));
        }
    }
}
