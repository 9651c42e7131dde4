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
}

criterion_group!(benches, bench);
criterion_main!(benches);
