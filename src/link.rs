//! A terminal's blocking link to a host, as `posresp send` and `posresp test` use it: connect
//! (TCP, then TLS when configured) within a time limit, and read one framed answer from the
//! stream before a deadline. Errors are one sentence naming the host and what to check.

use std::io::Read;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use crate::codec::framing::FramingSpec;
use crate::host::stream::{MAX_FRAME, frame_len};
use crate::tls::BlockingConn;

/// Connect to `to` (`host:port`) within `timeout`, with a TLS handshake when `tls` is given.
pub fn connect(
    to: &str,
    timeout: Duration,
    tls: Option<&crate::tls::Client>,
) -> Result<BlockingConn, String> {
    let addrs: Vec<_> = to
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {to}: {e}"))?
        .collect();
    let mut last = None;
    for a in addrs {
        match TcpStream::connect_timeout(&a, timeout) {
            Ok(s) => {
                let _ = s.set_nodelay(true);
                return match tls {
                    None => Ok(BlockingConn::Plain(s)),
                    Some(c) => crate::tls::handshake_blocking(c, s, timeout)
                        .map(|t| BlockingConn::Tls(Box::new(t)))
                        .map_err(|why| format!("TLS handshake with {to} failed: {why}")),
                };
            }
            Err(e) => last = Some(e),
        }
    }
    Err(format!(
        "cannot connect to {to}: {}; is the host listening?",
        last.map_or_else(|| "no address".into(), |e| e.to_string())
    ))
}

/// What one read of an answer gave.
#[derive(Debug)]
pub enum Got {
    /// A whole frame (framing included).
    Frame(Vec<u8>),
    /// Nothing whole before the deadline.
    Timeout,
    /// The host closed the connection, with this many bytes of a frame unread.
    Closed(usize),
}

/// Read until `buf` (bytes already read, kept between calls) holds a whole frame of `wire`,
/// the deadline passes or the host closes. `hint` ends the error of an answer that cannot be
/// framed (e.g. "check --framing").
pub fn read_frame(
    conn: &mut BlockingConn,
    buf: &mut Vec<u8>,
    wire: &FramingSpec,
    deadline: Instant,
    hint: &str,
) -> Result<Got, String> {
    loop {
        match frame_len(wire, buf) {
            Ok(Some(n)) => return Ok(Got::Frame(buf.drain(..n).collect())),
            Ok(None) if buf.len() > MAX_FRAME => return Err("answer longer than 65 KiB".into()),
            Ok(None) => {}
            Err(e) => {
                return Err(format!(
                    "the answer cannot be framed as {} (byte {}: {}); {hint}",
                    wire.kind(),
                    e.offset,
                    e.problem
                ));
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(Got::Timeout);
        }
        conn.set_read_timeout(Some(left))
            .map_err(|e| format!("cannot wait for the answer: {e}"))?;
        let mut chunk = [0u8; 8192];
        match conn.read(&mut chunk) {
            Ok(0) => return Ok(Got::Closed(buf.len())),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(Got::Timeout);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::BrokenPipe
                ) =>
            {
                return Ok(Got::Closed(buf.len()));
            }
            Err(e) if crate::tls::is_tls(&e) => {
                return Err(format!(
                    "TLS: {}",
                    crate::tls::explain(&e, crate::tls::Side::Client)
                ));
            }
            Err(e) => return Err(format!("reading the answer: {e}")),
        }
    }
}
