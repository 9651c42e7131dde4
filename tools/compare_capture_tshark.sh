#!/usr/bin/env bash
# Captures against Wireshark: posresp and tshark's ISO 8583 dissector decode the same
# generated capture (iso87ascii behind a 2-byte length, the dissector's form); every field
# tshark reports must agree with posresp's, and the whole-process times of both are printed.
#
#   N=100000 bash tools/compare_capture_tshark.sh
#
# Needs tshark (Debian: apt-get install tshark) and a release build (cargo build --release).
set -euo pipefail
N=${N:-100000}
BIN=${BIN:-target/release/posresp}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
"$BIN" --spec iso87ascii generate --count "$N" --timeouts 1% --format pcap --out "$DIR/cap.pcap"
ls -l "$DIR/cap.pcap" | awk '{print "capture: " $5 " bytes"}'
fields=(-e frame.number -e iso8583.mti)
for i in $(seq 2 128); do fields+=(-e "iso8583.bit$i"); done
t0=$(date +%s.%N)
tshark -r "$DIR/cap.pcap" -d tcp.port==5000,iso8583 -o 'iso8583.len_endian:Big endian' \
  -Y iso8583 -T fields -E separator=/t "${fields[@]}" > "$DIR/tshark.tsv" 2>/dev/null
t1=$(date +%s.%N)
"$BIN" --spec iso87ascii --unmask --output jsonl decode --brief "$DIR/cap.pcap" > "$DIR/posresp.jsonl"
t2=$(date +%s.%N)
python3 - "$DIR/tshark.tsv" "$DIR/posresp.jsonl" <<'PY'
import json, sys
ts = {}
for line in open(sys.argv[1]):
    cols = line.rstrip("\n").split("\t")
    # A frame may carry several messages; tshark then joins values with commas.
    ts.setdefault(int(cols[0]), []).append(cols[1:])
msgs, fields, missing, bad = 0, 0, 0, []
by_packet = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    by_packet.setdefault(r["packet"], []).append(r)
for pkt, rows in ts.items():
    got = by_packet.get(pkt, [])
    for k, cols in enumerate(rows):
        if k >= len(got):
            missing += 1
            continue
        r = got[k]
        msgs += 1
        if cols[0] != r["mti"]:
            bad.append((pkt, "mti", cols[0], r["mti"]))
        for i, v in enumerate(cols[1:], start=2):
            if v == "":
                continue
            fields += 1
            pv = r["fields"].get(str(i))
            if pv != v:
                bad.append((pkt, i, v, pv))
posresp_msgs = sum(len(v) for v in by_packet.values())
print(f"tshark decoded {msgs + missing} messages, posresp {posresp_msgs}; compared {msgs} messages, {fields} fields")
print(f"agreement: {100.0 * (fields - len(bad)) / max(fields, 1):.3f}% of fields; {len(bad)} differ; {missing} tshark messages not found in posresp's output")
for b in bad[:10]:
    print("  differs:", b)
sys.exit(1 if bad or missing else 0)
PY
ratio() { python3 -c "import sys; a, b, c, d = map(float, sys.argv[2:]); print(f'{sys.argv[1]}: tshark {b - a:.2f}s, posresp {d - c:.2f}s: posresp {((b - a) / (d - c)):.1f}x faster')" "$@"; }
ratio "fields (tshark -T fields, posresp decode --brief)" "$t0" "$t1" "$t1" "$t2"
# Full decodes as JSON: every field with its name, both sides.
t3=$(date +%s.%N)
tshark -r "$DIR/cap.pcap" -d tcp.port==5000,iso8583 -o 'iso8583.len_endian:Big endian' \
  -T json > /dev/null 2>&1
t4=$(date +%s.%N)
"$BIN" --spec iso87ascii --output jsonl decode "$DIR/cap.pcap" > /dev/null
t5=$(date +%s.%N)
ratio "full JSON (tshark -T json, posresp --output jsonl decode)" "$t3" "$t4" "$t4" "$t5"
