//! The rules loader on any text: a rules file is accepted or rejected with an error naming a
//! line, never a panic; accepted rules decide on real requests without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posresp::codec::spec::builtin;
use posresp::codec::{Decoded, Spec};
use posresp::host::rules::RuleSet;
use std::sync::OnceLock;

fn spec() -> &'static Spec {
    static S: OnceLock<Spec> = OnceLock::new();
    S.get_or_init(|| builtin("iso87ascii").unwrap().unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match RuleSet::parse(text, "fuzz.json", spec()) {
        Ok(rules) => {
            for (mti, fields) in [
                ("0200", vec![(2, "4761739001010119"), (3, "000000"), (4, "000000001051"), (41, "T1")]),
                ("0400", vec![(4, "x"), (22, "051"), (35, "4761739001010119=2512")]),
                ("0800", vec![(70, "301")]),
            ] {
                let d = Decoded::from_values(mti, fields);
                let _ = rules.decide(&d);
            }
        }
        Err(e) => assert!(e.starts_with("fuzz.json: line "), "{e}"),
    }
});
