//! What `serve` does with bytes from a socket, for every built-in spec and a length-prefixed
//! stream: cut frames with the stream framing, decode each, and for requests build, seal and
//! redact the answer. Never a panic, whatever the bytes; frame lengths never exceed the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posresp::check::Key;
use posresp::codec::framing::FramingSpec;
use posresp::codec::spec::{builtin, BUILTIN};
use posresp::codec::{decode_into, Decoded, FramingChoice, Spec};
use posresp::host::clock::stamp;
use posresp::host::redact::redact;
use posresp::host::respond::{self, default_mac_alg, is_request, Outcome};
use posresp::host::stream::frame_len;
use std::sync::OnceLock;

fn specs() -> &'static Vec<(Spec, FramingSpec)> {
    static S: OnceLock<Vec<(Spec, FramingSpec)>> = OnceLock::new();
    S.get_or_init(|| {
        BUILTIN
            .iter()
            .map(|(n, _)| {
                let s = builtin(n).unwrap().unwrap();
                let f = if s.framing.length == Default::default() && !s.framing.stx {
                    FramingSpec::named("len2").unwrap()
                } else {
                    s.framing.clone()
                };
                (s, f)
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let key = Key::from_hex("0123456789ABCDEFFEDCBA9876543210").unwrap();
    let now = stamp(1_795_651_200_000);
    for (spec, framing) in specs() {
        let choice = FramingChoice::Given(framing.clone());
        let mut dec = Decoded::default();
        let mut rest = data;
        while let Ok(Some(n)) = frame_len(framing, rest) {
            assert!(n <= rest.len());
            let frame = &rest[..n];
            rest = &rest[n..];
            if decode_into(spec, frame, &choice, &mut dec).is_err() || !is_request(dec.mti()) {
                continue;
            }
            let _ = redact(spec, &dec);
            let outcome = Outcome { code: respond::approved_code(spec.dialect), set: &[], remove: &[] };
            if let Some(mut m) = respond::build(spec, &dec, &outcome, &now, 7, 123_456) {
                let alg = default_mac_alg(spec.dialect, &key);
                if let Ok(bytes) = respond::seal(spec, &mut m, Some((&key, alg))) {
                    let mut back = Decoded::default();
                    decode_into(spec, &bytes, &choice, &mut back).expect("our own answer decodes");
                }
            }
        }
    }
});
