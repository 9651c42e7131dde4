//! China UnionPay POS: the worked and real frames of the reference decode to their documented
//! values, round-trip byte for byte, reject every strict prefix; a pyiso8583-encoded fixture
//! decodes identically; framings (TPDU, header, STX) are found and reported.

use std::collections::BTreeMap;

use assert_cmd::Command;
use posresp::codec::encoding::{from_hex, to_hex};
use posresp::codec::spec::builtin;
use posresp::codec::subfield::expand;
use posresp::codec::{Decoded, FramingChoice, FramingSpec, Spec, decode, encode};
use serde_json::Value;

fn cup() -> Spec {
    builtin("cup").unwrap().unwrap()
}

fn frame(path: &str) -> Vec<u8> {
    from_hex(std::fs::read_to_string(path).unwrap().trim()).unwrap()
}

fn sub(spec: &Spec, d: &Decoded, bytes: &[u8], id: u16) -> BTreeMap<String, String> {
    let f = d.fields.iter().find(|f| f.id == id).unwrap();
    let def = spec.field(id as usize).unwrap();
    let data_at = f.offset as usize + def.prefix_len();
    let data = &bytes[data_at..(f.offset + f.len) as usize];
    let (subs, err) = expand(def, d.value(f), data, data_at);
    assert!(err.is_none(), "{err:?}");
    subs.into_iter()
        .map(|s| (s.path.into_owned(), s.value.into_owned()))
        .collect()
}

#[test]
fn worked_0210_decodes_to_the_documented_values() {
    let bytes = frame("testdata/cup/cup-0210-worked.hex");
    let spec = cup();
    let d = decode(&spec, &bytes, &FramingChoice::Auto).unwrap();
    let fr = d.framing.as_ref().unwrap();
    assert_eq!(fr.kind, "len2+tpdu+header6");
    assert_eq!(fr.length, Some(164));
    let tpdu = fr.tpdu_parts().unwrap();
    assert_eq!(
        (
            tpdu.id.as_str(),
            tpdu.destination.as_str(),
            tpdu.source.as_str()
        ),
        ("60", "0000", "0003")
    );
    let header_parts = fr.header_parts(&spec);
    let parts: Vec<(&str, &str)> = header_parts
        .iter()
        .map(|p| (p.name.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(parts[1], ("Software version (软件总版本号)", "31"));
    assert_eq!(parts[4].1, "310100");
    assert_eq!(d.mti(), "0210");
    assert_eq!(d.bitmap_hex(), "703E02810ED08213");
    let want = [
        (2, "6212345678901232", 23, 9),
        (3, "000000", 32, 3),
        (4, "000000012345", 35, 6),
        (11, "000123", 41, 3),
        (12, "143015", 44, 3),
        (13, "0612", 47, 2),
        (14, "2812", 49, 2),
        (15, "0612", 51, 2),
        (23, "001", 53, 2),
        (25, "00", 55, 1),
        (32, "48021000", 56, 5),
        (37, "143015000123", 61, 12),
        (38, "123456", 73, 6),
        (39, "00", 79, 2),
        (41, "12345678", 81, 8),
        (42, "123456789012345", 89, 15),
        (44, "01030000   48021000   ", 104, 23),
        (49, "156", 127, 3),
        (55, "910A11223344556677883030", 130, 14),
        (60, "2200000100050", 144, 9),
        (63, "CUP", 153, 5),
        (64, "3639373633384136", 158, 8),
    ];
    assert_eq!(d.fields.len(), want.len());
    for (f, (id, value, offset, len)) in d.fields.iter().zip(want) {
        assert_eq!(
            (f.id, d.value(f), f.offset, f.len),
            (id, value, offset, len)
        );
    }
    let s60 = sub(&spec, &d, &bytes, 60);
    assert_eq!(s60["60.1"], "22");
    assert_eq!(s60["60.2"], "000001");
    assert_eq!(s60["60.3"], "000");
    assert_eq!(s60["60.4"], "5");
    assert_eq!(s60["60.5"], "0");
    let s55 = sub(&spec, &d, &bytes, 55);
    assert_eq!(s55["55.91"], "11223344556677883030");
    assert_eq!(sub(&spec, &d, &bytes, 63)["63.1"], "CUP");
    assert_eq!(encode(&spec, &d.to_message()).unwrap(), bytes);
}

#[test]
fn real_a0_response_decodes_as_published() {
    let bytes = frame("testdata/cup/cup-0210-a0-scandemo.hex");
    assert_eq!(bytes.len(), 270);
    let spec = cup();
    let d = decode(&spec, &bytes, &FramingChoice::Auto).unwrap();
    let fr = d.framing.as_ref().unwrap();
    assert_eq!(
        fr.tpdu.as_deref(),
        Some("6000030000"),
        "published TPDU is not swapped"
    );
    assert_eq!(fr.header.as_deref(), Some("60310031FFF1"));
    let want = [
        (2, "6217973910000725090", 23, 11),
        (3, "000000", 34, 3),
        (4, "000000005588", 37, 6),
        (11, "000023", 43, 3),
        (12, "165419", 46, 3),
        (13, "1115", 49, 2),
        (14, "2312", 51, 2),
        (23, "001", 53, 2),
        (25, "00", 55, 1),
        (39, "A0", 56, 2),
        (41, "29800013", 58, 8),
        (42, "848290441116000", 66, 15),
        (49, "156", 81, 3),
        (53, "2600000000000000", 84, 8),
        (59, "000001000178", 239, 14),
        (60, "2200000000060", 253, 9),
        (64, "4244454432463843", 262, 8),
    ];
    for (id, value, offset, len) in want {
        let f = d
            .fields
            .iter()
            .find(|f| f.id == id)
            .unwrap_or_else(|| panic!("field {id}"));
        assert_eq!(
            (d.value(f), f.offset, f.len),
            (value, offset, len),
            "field {id}"
        );
    }
    let f55 = d.fields.iter().find(|f| f.id == 55).unwrap();
    assert_eq!((f55.offset, f55.len), (92, 147));
    let tags: Vec<String> = sub(&spec, &d, &bytes, 55).into_keys().collect();
    for t in [
        "9F26", "9F27", "9F10", "9F37", "9F36", "95", "9A", "9C", "9F02", "5F2A", "82", "9F1A",
        "9F03", "9F33", "9F34", "9F35", "9F1E", "84", "9F09", "9F41",
    ] {
        assert!(tags.contains(&format!("55.{t}")), "tag {t} in {tags:?}");
    }
    assert_eq!(encode(&spec, &d.to_message()).unwrap(), bytes);
}

#[test]
fn real_0200_with_host_mac_decodes() {
    let bytes = frame("testdata/cup/cup-0200-cnblogs.hex");
    let spec = cup();
    let d = decode(&spec, &bytes, &FramingChoice::Auto).unwrap();
    let ids: Vec<u16> = d.fields.iter().map(|f| f.id).collect();
    assert_eq!(ids, [3, 4, 11, 22, 25, 41, 42, 49, 60, 62, 64]);
    assert_eq!(d.get(22), Some("030"), "field 22 is left-aligned BCD");
    assert_eq!(d.get(60), Some("2600000100060000000"));
    assert_eq!(d.get(64), Some("4233413039324145"), "ASCII B3A092AE");
    assert_eq!(
        d.framing.as_ref().unwrap().header.as_deref(),
        Some("603210320072")
    );
    assert_eq!(encode(&spec, &d.to_message()).unwrap(), bytes);
}

#[test]
fn published_real_frames_decode_to_their_expected_values() {
    let spec = cup();
    let text = std::fs::read_to_string("testdata/cup/cup-real.jsonl").unwrap();
    let mut n = 0;
    for line in text.lines() {
        let rec: Value = serde_json::from_str(line).unwrap();
        let case = rec["case"].as_str().unwrap();
        let bytes = from_hex(rec["hex"].as_str().unwrap()).unwrap();
        let d =
            decode(&spec, &bytes, &FramingChoice::Auto).unwrap_or_else(|e| panic!("{case}: {e}"));
        for (k, v) in rec["expected"].as_object().unwrap() {
            let got = if k == "t" {
                Some(d.mti())
            } else {
                d.get(k.parse().unwrap())
            };
            assert_eq!(got, v.as_str(), "{case} field {k}");
        }
        if let Some(s60) = rec["sub60"].as_object() {
            let subs = sub(&spec, &d, &bytes, 60);
            for (k, v) in s60 {
                assert_eq!(subs.get(k).map(String::as_str), v.as_str(), "{case} {k}");
            }
        }
        if let Some(tlvs) = rec["tlv55"].as_array() {
            let subs = sub(&spec, &d, &bytes, 55);
            for t in tlvs {
                let key = format!("55.{}", t["tag"].as_str().unwrap());
                assert_eq!(
                    subs.get(&key).map(String::as_str),
                    t["value"].as_str(),
                    "{case} {key}"
                );
            }
        }
        assert_eq!(
            encode(&spec, &d.to_message()).unwrap(),
            bytes,
            "{case} round trip"
        );
        n += 1;
    }
    assert_eq!(n, 10);
}

#[test]
fn pyiso8583_cup_fixture_decodes_identically() {
    let spec = cup();
    let text = std::fs::read_to_string("testdata/cup/pyiso8583-cup.jsonl").unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 200);
    for (i, line) in lines.iter().enumerate() {
        let rec: Value = serde_json::from_str(line).unwrap();
        let bytes = from_hex(rec["hex"].as_str().unwrap()).unwrap();
        let d = decode(&spec, &bytes, &FramingChoice::Auto)
            .unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
        let mut got: BTreeMap<String, String> = d
            .fields
            .iter()
            .map(|f| (f.id.to_string(), d.value(f).to_string()))
            .collect();
        got.insert("t".into(), d.mti().into());
        let want: BTreeMap<String, String> = rec["decoded"]
            .as_object()
            .unwrap()
            .iter()
            // pyiso8583 shows the track separator nibble as D; posresp as '='.
            .map(|(k, v)| {
                let v = v.as_str().unwrap();
                (
                    k.clone(),
                    if k == "35" || k == "36" {
                        v.replace('D', "=")
                    } else {
                        v.to_string()
                    },
                )
            })
            .collect();
        assert_eq!(got, want, "line {}", i + 1);
        assert_eq!(
            encode(&spec, &d.to_message()).unwrap(),
            bytes,
            "line {} round trip",
            i + 1
        );
    }
}

#[test]
fn every_strict_prefix_of_a_cup_frame_is_an_error() {
    let spec = cup();
    let mut frames = vec![
        frame("testdata/cup/cup-0210-worked.hex"),
        frame("testdata/cup/cup-0210-a0-scandemo.hex"),
        frame("testdata/cup/cup-0200-cnblogs.hex"),
    ];
    let text = std::fs::read_to_string("testdata/cup/cup-real.jsonl").unwrap();
    for line in text.lines() {
        let rec: Value = serde_json::from_str(line).unwrap();
        if rec["framing"] == "len+tpdu+header" {
            frames.push(from_hex(rec["hex"].as_str().unwrap()).unwrap());
        }
    }
    for bytes in frames {
        for cut in 0..bytes.len() {
            assert!(
                decode(&spec, &bytes[..cut], &FramingChoice::Spec).is_err(),
                "prefix {cut}/{}",
                bytes.len()
            );
            let _ = decode(&spec, &bytes[..cut], &FramingChoice::Auto);
        }
        // The body alone (no length prefix) must fail with the spec's framing, too.
        assert!(decode(&spec, &bytes[2..], &FramingChoice::Spec).is_err());
    }
}

#[test]
fn stx_frames_are_unwrapped_and_their_lrc_checked() {
    let spec = cup();
    let inner = frame("testdata/cup/cup-0210-worked.hex");
    let mut stx = vec![0x02];
    stx.extend(&inner);
    stx.push(0x03);
    let lrc = stx[1..].iter().fold(0u8, |a, b| a ^ b);
    stx.push(lrc);
    let d = decode(&spec, &stx, &FramingChoice::Auto).unwrap();
    let fr = d.framing.as_ref().unwrap();
    assert_eq!(fr.kind, "stx+len2+tpdu+header6");
    assert!(fr.lrc.as_ref().unwrap().ok);
    assert_eq!(d.get(39), Some("00"));
    assert_eq!(d.fields[0].offset, 24, "offsets count the STX byte");
    assert_eq!(
        encode(&spec, &d.to_message()).unwrap(),
        stx,
        "re-encoding rebuilds ETX and LRC"
    );
    // A wrong LRC is reported, not hidden.
    let mut bad = stx.clone();
    *bad.last_mut().unwrap() ^= 0xFF;
    let d = decode(&spec, &bad, &FramingChoice::Auto).unwrap();
    let check = d.framing.as_ref().unwrap().lrc.clone().unwrap();
    assert!(!check.ok);
    assert_eq!(check.value, to_hex(&[lrc ^ 0xFF]));
    // STX with a BCD length, forced by name.
    let mut with_len = vec![0x02];
    let body = &inner[2..];
    with_len.push((((body.len() / 1000) << 4) | ((body.len() / 100) % 10)) as u8);
    with_len.push((((body.len() / 10 % 10) << 4) | (body.len() % 10)) as u8);
    with_len.extend(body);
    with_len.push(0x03);
    let l = with_len[1..].iter().fold(0u8, |a, b| a ^ b);
    with_len.push(l);
    let named = FramingSpec::named("stx+tpdu+header6").unwrap();
    let d = decode(&spec, &with_len, &FramingChoice::Given(named)).unwrap();
    assert_eq!(d.framing.as_ref().unwrap().length, Some(body.len()));
    assert_eq!(d.get(4), Some("000000012345"));
}

#[test]
fn cli_decodes_the_worked_frame_with_auto_spec_and_framing() {
    let out = Command::cargo_bin("posresp")
        .unwrap()
        .args([
            "--output",
            "json",
            "decode",
            "testdata/cup/cup-0210-worked.hex",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["spec"], "cup");
    assert_eq!(v["framing"]["tpdu_parts"]["destination"], "0000");
    assert_eq!(v["framing"]["tpdu_parts"]["source"], "0003");
    assert_eq!(v["framing"]["header_parts"][1]["value"], "31");
    assert_eq!(v["response"]["code"], "00");
    assert_eq!(v["response"]["category"], "approved");
    let field = |id: &str| {
        v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .cloned()
    };
    assert_eq!(field("4").unwrap()["value"], "000000012345");
    assert_eq!(field("60.1").unwrap()["value"], "22");
    assert_eq!(field("60.1").unwrap()["meaning"], "Purchase");
    let f91 = field("55.91").unwrap();
    assert_eq!(f91["name"], "Issuer Authentication Data");
    assert_eq!(f91["offset"], 132);
    assert_eq!(field("2").unwrap()["value"], "621234******1232");
    assert_eq!(field("64").unwrap()["meaning"], "as ASCII: \"697638A6\"");
}

#[test]
fn chip_data_holding_a_pan_is_masked_in_the_field_and_the_tag() {
    // Field 55 with 5A (PAN) and 57 (track 2 equivalent), built into the worked frame.
    let spec = cup();
    let bytes = frame("testdata/cup/cup-0210-worked.hex");
    let mut m = decode(&spec, &bytes, &FramingChoice::Auto)
        .unwrap()
        .to_message();
    let pan_tlv = "5A086212345678901232";
    let track_tlv = "57116212345678901232D28122011234567890";
    m.fields.insert(
        55,
        format!("{pan_tlv}{track_tlv}910A11223344556677883030")
            .as_str()
            .into(),
    );
    let framed = encode(&spec, &m).unwrap();
    // The length prefix no longer matches the TPDU's old length: encode rebuilt it.
    let hex = to_hex(&framed);
    let out = Command::cargo_bin("posresp")
        .unwrap()
        .args(["--output", "jsonl", "decode", &hex])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("6212345678901232"), "{text}");
    assert!(!text.contains("2812201"), "{text}");
    let v: Value = serde_json::from_str(text.trim()).unwrap();
    let field = |id: &str| {
        v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(field("55.5A")["value"], "621234******1232");
    assert_eq!(
        field("55.91")["value"],
        "11223344556677883030",
        "other tags stay visible"
    );
    let out = Command::cargo_bin("posresp")
        .unwrap()
        .args(["--unmask", "--output", "jsonl", "decode", &hex])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("6212345678901232")
    );
}

/// check-values.md §5: track 2 of the constructed example in CUP field 35 (BCD, D separator).
#[test]
fn track2_example_in_field_35() {
    let spec = cup();
    let def = spec.field(35).unwrap();
    let wire = from_hex("346212345678901232D28122200000000000").unwrap();
    let mut c = posresp::codec::cursor::Cursor::new(&wire, 0);
    let mut v = String::new();
    posresp::codec::field::unpack(def, &mut c, &mut v).unwrap();
    assert_eq!(v, "6212345678901232=28122200000000000");
    assert_eq!(c.remaining(), 0);
}
