//! The framing detector (length prefixes, TPDU, header, STX/LRC) on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posresp::codec::framing::{FramingChoice, FramingSpec, FRAMING_NAMES};
use posresp::codec::unframe::unframe;
use posresp::codec::spec::builtin;
use posresp::codec::Spec;
use std::sync::OnceLock;

fn cup() -> &'static Spec {
    static S: OnceLock<Spec> = OnceLock::new();
    S.get_or_init(|| builtin("cup").unwrap().unwrap())
}

fuzz_target!(|data: &[u8]| {
    let spec = cup();
    if let Ok(u) = unframe(data, spec, &FramingChoice::Auto) {
        assert!(u.body_offset + u.body.len() <= data.len());
    }
    for name in FRAMING_NAMES {
        let f = FramingSpec::named(name).unwrap();
        if let Ok(u) = unframe(data, spec, &FramingChoice::Given(f)) {
            assert!(u.body_offset <= data.len());
        }
    }
});
