//! The spec-file loader on any text: a spec is accepted or rejected with an error, never a panic,
//! and an accepted spec can decode a message without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posresp::codec::{decode, FramingChoice};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // posresp JSON, and the moov-io JSON and jPOS packager XML importers.
    if let Ok(spec) = posresp::specs::from_text(text, "fuzz.json") {
        let _ = decode(&spec, b"0200F23A400108E18000", &FramingChoice::Auto);
        let _ = decode(&spec, &[0x02, 0x00, 0x70, 0x20], &FramingChoice::Auto);
    }
});
