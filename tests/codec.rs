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

/// A jPOS ISO87BPackager-style message built by hand (not by posresp): BCD MTI, binary bitmap,
/// LLNUM PAN with a BCD length and left-aligned odd digits, right-aligned n3, IFB_AMOUNT,
/// track 2 with D separator, ASCII, binary PIN block and MAC.
#[test]
fn iso87binary_hand_built_message() {
    let hex = "02007020041020801001196217973910000725090000000000000000100000012300514300001234\
               334761739001010119D251220111438044805445524D303030310123456789ABCDEF1122334455667788";
    let bytes = from_hex(hex).unwrap();
    let spec = spec("iso87binary");
    let d = decode(&spec, &bytes, &FramingChoice::Auto).unwrap();
    assert_eq!(d.mti(), "0200");
    assert_eq!(d.get(2), Some("6217973910000725090"));
    assert_eq!(d.get(4), Some("000000001000"));
    assert_eq!(d.get(22), Some("051"));
    assert_eq!(d.get(28), Some("C00001234"));
    assert_eq!(d.get(35), Some("4761739001010119=2512201114380448"));
    assert_eq!(d.get(41), Some("TERM0001"));
    assert_eq!(d.get(52), Some("0123456789ABCDEF"));
    assert_eq!(d.get(64), Some("1122334455667788"));
    let f2 = &d.fields[0];
    assert_eq!(
        (f2.offset, f2.len),
        (10, 11),
        "1 length byte + 10 BCD bytes"
    );
    assert_eq!(encode(&spec, &d.to_message()).unwrap(), bytes);
}

#[test]
fn iso93ascii_action_code_and_1993_fields() {
    let hex = "31323130333033303035303030323830383030303030303030303030303030303031323334353030\
               303737373236313132363134333031353531303130313531333334343230303131365445524D39333031393738";
    let bytes = from_hex(hex).unwrap();
    let spec = spec("iso93ascii");
    let d = decode(&spec, &bytes, &FramingChoice::Auto).unwrap();
    assert_eq!(d.mti(), "1210");
    assert_eq!(d.get(12), Some("261126143015"), "1993 field 12 is n12");
    assert_eq!(d.get(22), Some("510101513344"), "1993 field 22 is an12");
    assert_eq!(d.get(24), Some("200"));
    assert_eq!(d.get(39), Some("116"), "1993 action code is three digits");
    assert_eq!(encode(&spec, &d.to_message()).unwrap(), bytes);
    // The 1987 spec reads the same bytes differently and runs out of data: no silent mis-decode.
    assert!(decode(&self::spec("iso87ascii"), &bytes, &FramingChoice::Auto).is_err());
}

#[test]
fn tertiary_bitmap_carries_fields_129_to_192() {
    let json = r#"{"name":"t3","dialect":"iso93","mti":{"enc":"ascii"},"bitmap":{"enc":"hex","tertiary":true},
        "fields":{"2":{"name":"PAN","type":"n","enc":"ascii","var":"LL","prefix":"ascii","max":19},
                  "70":{"name":"x","type":"n","enc":"ascii","len":3},
                  "130":{"name":"y","type":"ans","enc":"ascii","var":"LLL","prefix":"ascii","max":999},
                  "192":{"name":"MAC","type":"b","enc":"hex","len":8}}}"#;
    let spec = Spec::from_json(json, "t3.json").unwrap();
    let mut fields = BTreeMap::new();
    fields.insert(2, FieldValue::from("4761739001010119"));
    fields.insert(130, FieldValue::from("tertiary data"));
    fields.insert(192, FieldValue::from("0102030405060708"));
    let msg = Message {
        mti: "1200".into(),
        fields,
        ..Message::default()
    };
    let bytes = encode(&spec, &msg).unwrap();
    let d = decode(&spec, &bytes, &none()).unwrap();
    assert_eq!(d.bitmap_count, 3);
    assert_eq!(d.bitmap_hex().len(), 48);
    assert_eq!(d.get(130), Some("tertiary data"));
    assert_eq!(d.get(192), Some("0102030405060708"));
    // Bit 65 is the tertiary-bitmap flag here, not data.
    assert!(d.get(65).is_none());
    assert_eq!(encode(&spec, &d.to_message()).unwrap(), bytes);
    // A bitmap bit for a field the spec does not define is an error naming that field.
    let mut odd = msg.clone();
    odd.fields.clear();
    odd.fields.insert(70, FieldValue::from("001"));
    let mut b = encode(&spec, &odd).unwrap();
    b[4 + 16 + 15] = b'3'; // secondary bitmap bit 127/128 set: fields the spec lacks
    let e = decode(&spec, &b, &none()).unwrap_err();
    assert!(
        e.field.as_deref() == Some("127") || e.field.as_deref() == Some("128"),
        "{e}"
    );
    assert!(e.to_string().contains("spec does not define it"), "{e}");
}

#[test]
fn length_prefix_readings_are_told_apart_by_consistency() {
    let hex = std::fs::read_to_string("testdata/iso87ascii-0210.hex").unwrap();
    let body = from_hex(hex.trim()).unwrap();
    let spec = spec("iso87ascii");
    // 137 bytes: 01 37 is 137 as BCD but 311 as binary; 00 89 is 137 as binary; "0137" ASCII.
    for (prefix, kind) in [
        (vec![0x01, 0x37], "len2bcd"),
        (vec![0x00, 0x89], "len2"),
        (b"0137".to_vec(), "len4ascii"),
    ] {
        let mut framed = prefix.clone();
        framed.extend(&body);
        let d = decode(&spec, &framed, &FramingChoice::Auto).unwrap();
        let f = d.framing.as_ref().unwrap();
        assert_eq!(f.kind, kind);
        assert_eq!(f.length, Some(137));
        assert!(
            f.rule.contains("137 matches the bytes that follow"),
            "{}",
            f.rule
        );
        assert_eq!(d.fields[0].offset as usize, 20 + prefix.len());
        assert_eq!(
            encode(&spec, &d.to_message()).unwrap(),
            framed,
            "{kind} round trip"
        );
    }
}

/// Found by the decode fuzz target: a serial frame with a wrong LRC decodes, says the LRC is
/// wrong, and re-encodes with the right one (it is not a valid message to round-trip).
#[test]
fn regression_stx_frame_with_wrong_lrc() {
    let bytes =
        from_hex("020026200000210024430000000000000034353631343330FFFFFFB213031313030343").unwrap();
    for name in ["iso87binary", "cup"] {
        let spec = spec(name);
        if let Ok(d) = decode(&spec, &bytes, &FramingChoice::Auto) {
            let lrc = d.framing.as_ref().and_then(|f| f.lrc.clone());
            if let Some(l) = lrc {
                assert!(!l.ok, "{name}");
                let again = encode(&spec, &d.to_message()).unwrap();
                assert_eq!(again[..again.len() - 1], bytes[..bytes.len() - 1]);
                assert_eq!(
                    *again.last().unwrap(),
                    u8::from_str_radix(&l.computed, 16).unwrap()
                );
            }
        }
    }
    // Guessing a TPDU needs its 0x60 id: these bytes are no longer read as STX + TPDU.
    let d = decode(&spec("cup"), &bytes, &FramingChoice::Auto);
    assert!(d.map_or(true, |d| !d.framing.unwrap().kind.contains("tpdu")));
}

/// Found by generate + verify: a BCD 0200 message whose MAC happens to put 0x03 second to
/// last looks like an STX frame; the plain reading decodes, so it wins.
#[test]
fn regression_bcd_0200_is_not_an_stx_frame() {
    let bytes = from_hex("0200723C048000C0800116622126786643119500000000000001422811260000080000090000081126300200710054303030303031344D303030303030303030303030303438323671E101F539FD03B4").unwrap();
    let d = decode(&spec("iso87binary"), &bytes, &FramingChoice::Auto).unwrap();
    assert_eq!(d.mti(), "0200");
    assert_eq!(d.framing.as_ref().unwrap().kind, "none");
    assert_eq!(d.get(41), Some("T0000014"));
}
