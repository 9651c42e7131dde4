//! posresp: inspect and simulate POS host responses (ISO 8583 and China UnionPay POS).
//!
//! The library holds the one codec and the domain glossary; the `posresp` binary is glue.
//! Nothing here prints or parses command lines.

pub mod annotate;
pub mod capture;
pub mod check;
pub mod codec;
pub mod filter;
pub mod glossary;
pub mod host;
pub mod input;
pub mod jposxml;
pub mod link;
pub mod mask;
pub mod monitor;
pub mod specs;
pub mod suite;
pub mod timestamp;
pub mod tls;
pub mod traffic;
