//! The simulated host's parts that are not networking: rules (what to answer), responses
//! (how to build them from a request), stream framing (where a frame ends on a TCP stream),
//! delays, clocks and log redaction. `posresp serve` and `posresp send` are the glue.

pub mod batch;
pub mod clock;
pub mod delay;
pub mod redact;
pub mod respond;
pub mod rules;
pub mod session;
pub mod stream;
