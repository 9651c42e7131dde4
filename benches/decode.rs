//! Library decode speed on the standard 137-byte iso87ascii 0210
//! (`shared/reference/iso87ascii-0210-sample.hex`, copied to testdata/).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use posresp::codec::encoding::from_hex;
use posresp::codec::spec::builtin;
use posresp::codec::{Decoded, FramingChoice, FramingSpec, decode_into, encode};

fn bench(c: &mut Criterion) {
    let hex = std::fs::read_to_string("testdata/iso87ascii-0210.hex").expect("sample");
    let bytes = from_hex(hex.trim()).expect("hex");
    let spec = builtin("iso87ascii").unwrap().unwrap();
    let none = FramingChoice::Given(FramingSpec::default());
    let mut g = c.benchmark_group("iso87ascii-0210");
    g.throughput(Throughput::Elements(1));
    let mut dec = Decoded::default();
    g.bench_function("decode (framing none)", |b| {
        b.iter(|| {
            decode_into(&spec, black_box(&bytes), &none, &mut dec).unwrap();
            black_box(dec.fields.len())
        })
    });
    g.bench_function("decode (framing auto)", |b| {
        b.iter(|| {
            decode_into(&spec, black_box(&bytes), &FramingChoice::Auto, &mut dec).unwrap();
            black_box(dec.fields.len())
        })
    });
    decode_into(&spec, &bytes, &none, &mut dec).unwrap();
    let msg = dec.to_message();
    g.bench_function("encode", |b| {
        b.iter(|| black_box(encode(&spec, black_box(&msg)).unwrap()))
    });
    g.finish();

    // Per byte, to compare layouts: iso87ascii 0210 (137 bytes) against the CUP worked 0210
    // (166 bytes: length, TPDU, header, BCD fields, TLV field 55).
    let cup_hex = std::fs::read_to_string("testdata/cup/cup-0210-worked.hex").expect("sample");
    let cup_bytes = from_hex(cup_hex.trim()).expect("hex");
    let cup = builtin("cup").unwrap().unwrap();
    let mut g = c.benchmark_group("per-byte");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("iso87ascii 0210", |b| {
        b.iter(|| {
            decode_into(&spec, black_box(&bytes), &FramingChoice::Auto, &mut dec).unwrap();
            black_box(dec.fields.len())
        })
    });
    g.throughput(Throughput::Bytes(cup_bytes.len() as u64));
    g.bench_function("cup 0210 (framing auto)", |b| {
        b.iter(|| {
            decode_into(&cup, black_box(&cup_bytes), &FramingChoice::Auto, &mut dec).unwrap();
            black_box(dec.fields.len())
        })
    });
    g.finish();

    // The whole decode pipeline as commands call it: --spec auto (sticky and ordered
    // candidates, framing detection) on a frame read from a log.
    let auto = posresp::specs::load_spec("auto").expect("auto specs");
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Elements(1));
    for (name, b_) in [
        ("iso87ascii 0210, --spec auto", &bytes),
        ("cup 0210, --spec auto", &cup_bytes),
    ] {
        let frame = posresp::input::Frame {
            bytes: b_.clone(),
            ..Default::default()
        };
        let mut decoder = posresp::specs::Decoder::new(&auto, FramingChoice::Auto);
        g.bench_function(name, |b| {
            b.iter(|| {
                let (spec, err) = decoder.decode(black_box(&frame));
                assert!(spec.is_some() && err.is_none());
                black_box(decoder.dec.fields.len())
            })
        });
    }
    g.finish();

    // Captures: a pcap read, TCP put back together and cut into messages (22 of them, two
    // connections, the sample under testdata/capture), without decoding the messages.
    let pcap = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/capture/cup-terminal.pcap"
    ))
    .expect("the sample capture");
    let mut g = c.benchmark_group("capture");
    g.throughput(Throughput::Elements(22));
    g.bench_function("pcap to messages (22)", |b| {
        b.iter(|| {
            let (frames, _) = posresp::input::FrameReader::new(
                black_box(&pcap[..]),
                posresp::input::InputFormat::Auto,
            )
            .unwrap();
            let n = frames.filter(|f| f.is_ok()).count();
            assert_eq!(n, 22);
            black_box(n)
        })
    });
    g.finish();

    // MAC verification: X9.19 and the CUP ECB MAC over the worked CUP 0210's MAC block (145 bytes).
    let mab = &cup_bytes[13..cup_bytes.len() - 8];
    let k2 = posresp::check::Key::from_hex("7CA110454A1A6E570131D9619DC1376E").unwrap();
    let k1 = posresp::check::Key::from_hex("0123456789ABCDEF").unwrap();
    let mut g = c.benchmark_group("mac");
    g.throughput(Throughput::Elements(1));
    g.bench_function("x9.19 over 145 bytes", |b| {
        b.iter(|| {
            black_box(
                posresp::check::mac_alg3(&k2, black_box(mab), posresp::check::Padding::Method1)
                    .unwrap(),
            )
        })
    });
    g.bench_function("cup-ecb over 145 bytes", |b| {
        b.iter(|| black_box(posresp::check::mac_cup_ecb(&k1, black_box(mab))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
