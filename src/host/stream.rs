//! Where frames end on a byte stream (TCP): by the length prefix, or by STX … ETX LRC.

use crate::codec::framing::{FramingSpec, LengthPrefix};

/// Largest frame accepted on a stream; a length prefix claiming more is an error.
pub const MAX_FRAME: usize = 65_535 + 4;

/// Why a framing cannot delimit messages on a stream, if it cannot.
pub fn streamable(f: &FramingSpec) -> Result<(), String> {
    if f.length == LengthPrefix::None && !f.stx {
        return Err(format!(
            "framing {} has no length prefix, so messages cannot be told apart on a TCP \
             stream; give --framing len2, len2bcd, len4ascii or stx (cup uses len2)",
            f.kind()
        ));
    }
    Ok(())
}

/// A frame that cannot be delimited: what is wrong, at which byte of the frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamError {
    /// Offset within the frame.
    pub offset: usize,
    /// What is wrong.
    pub problem: String,
}

/// The length of the first complete frame in `buf`: `Ok(None)` when more bytes are needed,
/// an error when the bytes cannot start a frame of this framing (the stream is then lost).
pub fn frame_len(f: &FramingSpec, buf: &[u8]) -> Result<Option<usize>, StreamError> {
    if f.stx {
        return stx_len(f, buf);
    }
    let prefix = f.length.wire_len_pub();
    if buf.len() < prefix {
        return Ok(None);
    }
    // The codec reads the prefix; a stream only needs to know where the frame ends.
    let n = f.length.read(&buf[..prefix]).ok_or_else(|| StreamError {
        offset: 0,
        problem: format!(
            "{} {} is not a length",
            f.length.describe(),
            crate::codec::encoding::to_hex(&buf[..prefix])
        ),
    })?;
    if n == 0 {
        return Err(StreamError {
            offset: 0,
            problem: "length prefix is 0".into(),
        });
    }
    let total = prefix + n;
    Ok((buf.len() >= total).then_some(total))
}

/// `STX [BCD length] … ETX LRC`: with a BCD length after STX, by the length; else up to the
/// first ETX, whose next byte is the LRC.
fn stx_len(f: &FramingSpec, buf: &[u8]) -> Result<Option<usize>, StreamError> {
    let Some(&first) = buf.first() else {
        return Ok(None);
    };
    if first != 0x02 {
        return Err(StreamError {
            offset: 0,
            problem: format!("frame starts with {first:02X}, not STX (02)"),
        });
    }
    if f.length == LengthPrefix::None {
        // A 2-byte BCD length right after STX when the framing has one; else scan to ETX.
        return Ok(buf[1..]
            .iter()
            .position(|&b| b == 0x03)
            .map(|i| i + 3)
            .filter(|&n| n <= buf.len()));
    }
    match frame_len(
        &FramingSpec {
            stx: false,
            ..f.clone()
        },
        &buf[1..],
    ) {
        Ok(Some(n)) => {
            let total = 1 + n + 2;
            if buf.len() < total {
                return Ok(None);
            }
            if buf[1 + n] != 0x03 {
                return Err(StreamError {
                    offset: 1 + n,
                    problem: format!(
                        "expected ETX (03) after {n} bytes, found {:02X}",
                        buf[1 + n]
                    ),
                });
            }
            Ok(Some(total))
        }
        Ok(None) => Ok(None),
        Err(e) => Err(StreamError {
            offset: e.offset + 1,
            problem: e.problem,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str) -> FramingSpec {
        FramingSpec::named(name).unwrap()
    }

    #[test]
    fn lengths() {
        assert_eq!(frame_len(&f("len2"), &[0]), Ok(None));
        assert_eq!(frame_len(&f("len2"), &[0, 3, 1, 2]), Ok(None));
        assert_eq!(frame_len(&f("len2"), &[0, 3, 1, 2, 3, 9]), Ok(Some(5)));
        assert_eq!(frame_len(&f("cup"), &[0, 1, 7]), Ok(Some(3)));
        assert_eq!(frame_len(&f("len2bcd"), &[0x00, 0x12]), Ok(None));
        assert_eq!(frame_len(&f("len2bcd"), &[0x00, 0x02, 1, 2]), Ok(Some(4)));
        assert!(frame_len(&f("len2bcd"), &[0x0A, 0x02]).is_err());
        assert_eq!(frame_len(&f("len4ascii"), b"0002AB"), Ok(Some(6)));
        assert!(frame_len(&f("len4ascii"), b"00x2AB").is_err());
        assert!(frame_len(&f("len2"), &[0, 0]).is_err());
        assert!(streamable(&f("none")).is_err());
        assert!(streamable(&f("tpdu")).is_err());
        assert!(streamable(&f("stx")).is_ok());
    }

    #[test]
    fn stx() {
        assert_eq!(frame_len(&f("stx"), &[2, 0x30, 0x31, 3]), Ok(None));
        assert_eq!(
            frame_len(&f("stx"), &[2, 0x30, 0x31, 3, 0x32, 9]),
            Ok(Some(5))
        );
        assert!(frame_len(&f("stx"), &[9, 1]).is_err());
        assert_eq!(
            frame_len(&f("stx+len2"), &[2, 0, 2, 7, 7, 3, 1]),
            Ok(Some(7))
        );
        assert!(frame_len(&f("stx+len2"), &[2, 0, 2, 7, 7, 4, 1]).is_err());
    }
}
