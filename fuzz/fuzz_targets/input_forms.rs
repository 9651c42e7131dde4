//! Input-form detection and parsing (hex, dumps, log lines, JSON Lines, jPOS XML, pcap,
//! pcapng and tcpdump text) on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posresp::input::{detect, FrameReader, InputFormat};

fuzz_target!(|data: &[u8]| {
    let _ = detect(data);
    for format in [
        InputFormat::Auto,
        InputFormat::Hex,
        InputFormat::Lines,
        InputFormat::Jsonl,
        InputFormat::Dump,
        InputFormat::JposXml,
        InputFormat::Pcap,
        InputFormat::Tcpdump,
    ] {
        if let Ok((frames, _)) = FrameReader::new(data, format) {
            for f in frames.take(1000) {
                let _ = f;
            }
        }
    }
});
