//! Library-level proof of the codec: differential fixtures against pyiso8583, byte-exact
//! round trips, every strict prefix rejected, and property tests for every built-in spec.

use std::collections::BTreeMap;

use posresp::codec::encoding::{Encoding, from_hex};
use posresp::codec::spec::{BUILTIN, LengthDef, builtin};
use posresp::codec::{FieldValue, FramingChoice, FramingSpec, Message, Spec, decode, encode};
use proptest::prelude::*;
use serde_json::Value;

fn spec(name: &str) -> Spec {
    builtin(name).expect("built-in").expect("valid")
}

fn none() -> FramingChoice {
    FramingChoice::Given(FramingSpec::default())
}

fn fixture_lines(path: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .map(|l| serde_json::from_str(l).expect("fixture line is JSON"))
        .collect()
}

/// Decode every pyiso8583-encoded message and compare with what pyiso8583 decoded.
fn differential(fixture: &str, spec_name: &str) {
    let spec = spec(spec_name);
    let lines = fixture_lines(fixture);
    assert!(
        lines.len() >= 200,
        "{fixture} should hold at least 200 messages"
    );
    for (i, line) in lines.iter().enumerate() {
        let bytes = from_hex(line["hex"].as_str().unwrap()).unwrap();
        let d = decode(&spec, &bytes, &none())
            .unwrap_or_else(|e| panic!("{fixture} line {}: {e}", i + 1));
        let mut got: BTreeMap<String, String> = d
            .fields
            .iter()
            .map(|f| (f.id.to_string(), d.value(f).to_string()))
            .collect();
        got.insert("t".into(), d.mti().to_string());
        let want: BTreeMap<String, String> = line["decoded"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        assert_eq!(got, want, "{fixture} line {}", i + 1);
        assert_eq!(
            encode(&spec, &d.to_message()).unwrap(),
            bytes,
            "{fixture} line {} re-encodes",
            i + 1
        );
    }
}

#[test]
fn pyiso8583_default_ascii_fixture_decodes_identically() {
    differential("testdata/pyiso8583/default_ascii.jsonl", "iso87ascii");
}

#[test]
fn pyiso8583_default_fixture_decodes_identically() {
    differential(
        "testdata/pyiso8583/default.jsonl",
        "iso87ascii-binary-bitmap",
    );
}

#[test]
fn moov_samples_decode_to_their_documented_values() {
    let spec = spec("iso87ascii");
    let mut checked = 0;
    for line in fixture_lines("testdata/moov/moov.jsonl") {
        let bytes = from_hex(line["hex"].as_str().unwrap()).unwrap();
        let case = line["case"].as_str().unwrap();
        match line["spec"].as_str() {
            Some("iso87ascii") => {
                let d = decode(&spec, &bytes, &FramingChoice::Auto)
                    .unwrap_or_else(|e| panic!("{case}: {e}"));
                for (k, v) in line["expected"].as_object().unwrap() {
                    let got = if k == "t" {
                        Some(d.mti())
                    } else {
                        d.get(k.parse().unwrap())
                    };
                    assert_eq!(got, v.as_str(), "{case} field {k}");
                }
                assert_eq!(
                    encode(&spec, &d.to_message()).unwrap(),
                    bytes,
                    "{case} round trip"
                );
                checked += 1;
            }
            _ => {
                // Not decodable as iso87ascii: must be a clean error naming a field or offset.
                if let Err(e) = decode(&spec, &bytes, &FramingChoice::Auto) {
                    assert!(!e.to_string().is_empty());
                }
            }
        }
    }
    assert_eq!(checked, 12);
}

#[test]
fn moov_error_message_is_truncated_in_field_55() {
    let bytes = std::fs::read("testdata/moov/error_message.dat").unwrap();
    let e = decode(&spec("iso87ascii"), &bytes, &none()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("55"));
    assert!(e.to_string().starts_with("field 55 at byte"), "{e}");
}

#[test]
fn benchmark_sample_decodes_like_pyiso8583() {
    let hex = std::fs::read_to_string("testdata/iso87ascii-0210.hex").unwrap();
    let bytes = from_hex(hex.trim()).unwrap();
    assert_eq!(bytes.len(), 137);
    let d = decode(&spec("iso87ascii"), &bytes, &FramingChoice::Auto).unwrap();
    assert_eq!(d.mti(), "0210");
    assert_eq!(d.bitmap_hex(), "723C04800EC08000");
    assert_eq!(d.get(39), Some("00"));
    assert_eq!(d.get(4), Some("000000001000"));
    assert_eq!(d.get(41), Some("TERM0001"));
    assert_eq!(d.get(42), Some("MERCHANT0000001"));
    assert_eq!(d.get(49), Some("840"));
    assert_eq!(d.get(2), Some("4761739001010119"));
}

fn valid_messages() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (fixture, spec) in [
        ("testdata/pyiso8583/default_ascii.jsonl", "iso87ascii"),
        (
            "testdata/pyiso8583/default.jsonl",
            "iso87ascii-binary-bitmap",
        ),
    ] {
        for line in fixture_lines(fixture).into_iter().take(40) {
            out.push((
                spec.to_string(),
                from_hex(line["hex"].as_str().unwrap()).unwrap(),
            ));
        }
    }
    out
}

#[test]
fn every_strict_prefix_is_an_error_never_a_panic() {
    for (name, bytes) in valid_messages() {
        let spec = spec(&name);
        for cut in 0..bytes.len() {
            let r = decode(&spec, &bytes[..cut], &none());
            assert!(
                r.is_err(),
                "{name}: prefix of {cut}/{} bytes decoded",
                bytes.len()
            );
            // Auto framing may read a prefix differently, but must not panic.
            let _ = decode(&spec, &bytes[..cut], &FramingChoice::Auto);
        }
    }
}

/// A tiny deterministic generator, so proptest only has to supply a seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick(&mut self, chars: &[u8]) -> char {
        chars[self.below(chars.len())] as char
    }
}

fn random_value(g: &mut Gen, spec: &Spec, id: usize) -> String {
    let def = spec.field(id).unwrap();
    let units = match def.length {
        LengthDef::Fixed(n) => n,
        LengthDef::Var { max, .. } => g.below(max.min(40) + 1),
    };
    const DIGITS: &[u8] = b"0123456789";
    const HEX: &[u8] = b"0123456789ABCDEF";
    const TEXT: &[u8] = b"ABCXYZabcxyz0123456789 -./*#";
    match def.enc {
        Encoding::Bcd if def.class == "z" => (0..units).map(|_| g.pick(b"0123456789=")).collect(),
        Encoding::Bcd => (0..units).map(|_| g.pick(DIGITS)).collect(),
        Encoding::SignBcd => {
            let mut s = String::from(g.pick(b"CD"));
            s.extend((1..units).map(|_| g.pick(DIGITS)));
            s
        }
        Encoding::Binary | Encoding::Hex => (0..units * 2).map(|_| g.pick(HEX)).collect(),
        Encoding::Ascii | Encoding::Ebcdic if def.class == "n" => {
            (0..units).map(|_| g.pick(DIGITS)).collect()
        }
        Encoding::Ascii | Encoding::Ebcdic => (0..units).map(|_| g.pick(TEXT)).collect(),
    }
}

fn random_message(spec: &Spec, seed: u64) -> Message {
    let mut g = Gen(seed | 1);
    let ids: Vec<usize> = spec.fields().map(|f| f.id as usize).collect();
    let mut fields = BTreeMap::new();
    for _ in 0..1 + g.below(30) {
        let id = ids[g.below(ids.len())];
        fields.insert(
            id as u16,
            FieldValue::from(random_value(&mut g, spec, id).as_str()),
        );
    }
    let mti = [
        "0100", "0110", "0200", "0210", "0400", "0410", "0800", "0810", "1200",
    ][g.below(9)];
    Message {
        mti: mti.into(),
        fields,
        secondary: g.below(4) == 0,
        ..Message::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn decode_of_encode_is_identity_for_every_builtin_spec(seed in any::<u64>()) {
        for (name, _) in BUILTIN {
            let spec = spec(name);
            let msg = random_message(&spec, seed);
            let bytes = encode(&spec, &msg).unwrap();
            let d = decode(&spec, &bytes, &none()).unwrap();
            let mut back = d.to_message();
            back.framing = None;
            let mut want = msg.clone();
            want.secondary = want.secondary || want.fields.keys().any(|&k| k > 64);
            prop_assert_eq!(&back, &want, "spec {}", name);
            prop_assert_eq!(encode(&spec, &back).unwrap(), bytes);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        for (name, _) in BUILTIN {
            let spec = spec(name);
            let _ = decode(&spec, &bytes, &FramingChoice::Auto);
            let _ = decode(&spec, &bytes, &none());
        }
    }

    #[test]
    fn mutated_valid_messages_never_panic(pos in any::<usize>(), byte in any::<u8>()) {
        for (name, mut bytes) in valid_messages().into_iter().take(10) {
            let spec = spec(&name);
            let i = pos % bytes.len();
            bytes[i] = byte;
            if let Err(e) = decode(&spec, &bytes, &FramingChoice::Auto) {
                prop_assert!(e.offset <= bytes.len());
            }
        }
    }
}
