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
use posresp::host::respond::{self, default_mac_alg, is_request, Outcome};
use posresp::host::rules::Action;
use posresp::host::session;
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
            // What serve does with a request: check its MAC, then answer it with every
            // action, the log copy zeroed (serve's own code: posresp::host::session).
            let _ = session::mac_ok(frame, &dec, &key, default_mac_alg(spec.dialect, &key));
            let outcome = Outcome { code: respond::approved_code(spec.dialect), set: &[], remove: &[] };
            for action in [Action::Respond, Action::Malformed, Action::Truncate, Action::Duplicate] {
                let setup = session::AnswerSetup {
                    spec,
                    choice: &choice,
                    mac: Some((&key, default_mac_alg(spec.dialect, &key))),
                    log: true,
                    unmask: false,
                    emv: None,
                };
                if let Ok(Some(a)) = session::answer(&setup, &dec, &outcome, action, &now, 7, 123_456) {
                    assert!(a.logged.is_some());
                    if action == Action::Respond {
                        let mut back = Decoded::default();
                        decode_into(spec, &a.wire, &choice, &mut back).expect("our own answer decodes");
                    }
                }
            }
        }
    }
});
