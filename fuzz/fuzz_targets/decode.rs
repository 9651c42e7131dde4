//! Any bytes, every built-in spec, detected and spec framing: decode never panics, errors
//! point inside the input, and whatever decodes re-encodes to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posresp::codec::spec::{builtin, BUILTIN};
use posresp::codec::{decode, encode, FramingChoice, Spec};
use std::sync::OnceLock;

fn specs() -> &'static Vec<Spec> {
    static S: OnceLock<Vec<Spec>> = OnceLock::new();
    S.get_or_init(|| BUILTIN.iter().map(|(n, _)| builtin(n).unwrap().unwrap()).collect())
}

fuzz_target!(|data: &[u8]| {
    for spec in specs() {
        for choice in [FramingChoice::Auto, FramingChoice::Spec] {
            match decode(spec, data, &choice) {
                // A serial frame with a wrong LRC decodes (and says so) but is not valid:
                // encoding writes the right LRC.
                Ok(d) if d.framing.as_ref().and_then(|f| f.lrc.as_ref()).is_some_and(|l| !l.ok) => {}
                Ok(d) => {
                    // Decoded messages re-encode byte for byte (framing included).
                    let again = encode(spec, &d.to_message()).expect("a decoded message encodes");
                    assert_eq!(again, data, "round trip with spec {}", spec.name);
                }
                Err(e) => assert!(e.offset <= data.len(), "error offset past the input"),
            }
        }
    }
});
