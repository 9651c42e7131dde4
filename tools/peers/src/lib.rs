//! The same 0210 message in the two layouts the peers read: ISO 8583:1987 with ASCII fields
//! and a hex-character bitmap (posresp `iso87ascii`, iso8583-codec-rs `fields.json`), and with
//! a binary bitmap (posresp `iso87ascii-binary-bitmap`, iso8583-core).

use posresp::codec::spec::builtin;
use posresp::codec::{FramingChoice, Spec, decode, encode};

/// testdata/iso87ascii-0210.hex as bytes.
pub fn hex_bitmap_message() -> Vec<u8> {
    let hex = include_str!("../../../testdata/iso87ascii-0210.hex");
    posresp::input::parse_hex_text(hex.trim()).expect("sample is hex")
}

/// The same message with a binary bitmap, re-encoded by posresp.
pub fn binary_bitmap_message() -> Vec<u8> {
    let ascii = spec("iso87ascii");
    let d = decode(&ascii, &hex_bitmap_message(), &FramingChoice::Auto).expect("decodes");
    encode(&spec("iso87ascii-binary-bitmap"), &d.to_message()).expect("re-encodes")
}

/// A built-in spec.
pub fn spec(name: &str) -> Spec {
    builtin(name).expect("built-in").expect("valid")
}

/// The bundled generic spec of iso8583-codec-rs, read from its package (path from
/// `PEER_SPEC`, which tools/bench_vs_rust_peers.sh sets from `cargo metadata`).
pub fn codec_rs_spec() -> iso8583_codec_rs::LoadedSpec {
    let path = std::env::var("PEER_SPEC").expect("PEER_SPEC: path to iso8583-codec-rs specifications/fields.json");
    let text = std::fs::read_to_string(&path).expect("read PEER_SPEC");
    iso8583_codec_rs::load_spec(&text).expect("load fields.json")
}
