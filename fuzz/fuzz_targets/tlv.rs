//! The BER-TLV parser on any bytes: objects it returns lie inside the data.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posresp::codec::tlv::{parse, Tlv};

fn check(t: &Tlv, len: usize) {
    assert!(t.offset + t.len <= len);
    assert!(t.value_offset + t.value_len <= len);
    for c in &t.children {
        check(c, len);
    }
}

fuzz_target!(|data: &[u8]| {
    let (tlvs, err) = parse(data);
    for t in &tlvs {
        check(t, data.len());
    }
    if let Some(e) = err {
        assert!(e.offset <= data.len());
    }
});
