//! Decode the same 0210 (16 fields) with posresp and with each peer crate; before timing,
//! check that every library reads the same values, so that the work compared is the same.

use criterion::{Criterion, criterion_group, criterion_main};
use posresp::codec::{Decoded, FramingChoice, decode_into};
use posresp_peers::{binary_bitmap_message, codec_rs_spec, hex_bitmap_message, spec};
use std::hint::black_box;

fn same_values() {
    let hex_msg = hex_bitmap_message();
    let bin_msg = binary_bitmap_message();
    let mut d = Decoded::default();
    decode_into(&spec("iso87ascii"), &hex_msg, &FramingChoice::Spec, &mut d).unwrap();
    // iso8583-codec-rs: JSON out, fields named de002_…
    let v = iso8583_codec_rs::iso8583::parse_bytes(&hex_msg, &codec_rs_spec()).expect("codec-rs parses");
    let fields = v["fields"].as_object().expect("fields");
    assert_eq!(fields.len(), d.fields.len(), "codec-rs field count: {v}");
    for f in &d.fields {
        let key = fields
            .keys()
            .find(|k| k.starts_with(&format!("de{:03}_", f.id)))
            .unwrap_or_else(|| panic!("codec-rs has no field {}", f.id));
        let ours = d.value(f).trim_end();
        match &fields[key] {
            // Composite fields (22) come as their parts: each must be in our value.
            serde_json::Value::Object(parts) => {
                for p in parts.values() {
                    assert!(ours.contains(p.as_str().unwrap_or("?")), "field {}: {p}", f.id);
                }
            }
            v => assert_eq!(v.as_str().map(str::trim_end), Some(ours), "field {}: {v}", f.id),
        }
    }
    // iso8583-core: binary bitmap.
    let m = iso8583_core::ISO8583Message::from_bytes(&bin_msg).expect("iso8583-core parses");
    assert_eq!(m.get_field_numbers().len(), d.fields.len(), "iso8583-core field count");
    let mut b = Decoded::default();
    decode_into(&spec("iso87ascii-binary-bitmap"), &bin_msg, &FramingChoice::Spec, &mut b).unwrap();
    assert_eq!(b.fields.len(), d.fields.len());
    for f in &b.fields {
        let field = iso8583_core::Field::from_number(f.id as u8).expect("field number");
        let theirs = m.get_field(field).and_then(|v| v.as_string()).map(str::trim_end);
        assert_eq!(theirs, Some(b.value(f).trim_end()), "iso8583-core field {}", f.id);
    }
}

fn bench(c: &mut Criterion) {
    same_values();
    let hex_msg = hex_bitmap_message();
    let bin_msg = binary_bitmap_message();
    let ascii = spec("iso87ascii");
    let binbm = spec("iso87ascii-binary-bitmap");
    let cspec = codec_rs_spec();
    let mut g = c.benchmark_group("decode-0210");
    let mut d = Decoded::default();
    g.bench_function("posresp iso87ascii", |b| {
        b.iter(|| decode_into(&ascii, black_box(&hex_msg), &FramingChoice::Spec, &mut d).unwrap())
    });
    g.bench_function("iso8583-codec-rs fields.json", |b| {
        b.iter(|| iso8583_codec_rs::iso8583::parse_bytes(black_box(&hex_msg), &cspec).unwrap())
    });
    g.bench_function("posresp iso87ascii-binary-bitmap", |b| {
        b.iter(|| decode_into(&binbm, black_box(&bin_msg), &FramingChoice::Spec, &mut d).unwrap())
    });
    g.bench_function("iso8583-core", |b| {
        b.iter(|| iso8583_core::ISO8583Message::from_bytes(black_box(&bin_msg)).unwrap())
    });
    // Fresh output each time, as the peers allocate theirs.
    g.bench_function("posresp iso87ascii, new Decoded per message", |b| {
        b.iter(|| {
            let mut fresh = Decoded::default();
            decode_into(&ascii, black_box(&hex_msg), &FramingChoice::Spec, &mut fresh).unwrap();
            fresh
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
