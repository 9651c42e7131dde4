#!/usr/bin/env bash
# MAC verification of 100 000 messages: posresp verify mac (decode + X9.19 per message) against
# pyemv's mac_iso9797_3 over the same messages, in one run on this machine. Not run by CI.
# Needs: pip install pyemv pyiso8583.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo 7CA110454A1A6E570131D9619DC1376E > "$work/key.hex"
python3 - "$N" "$work" <<'PY'
import sys, iso8583
from iso8583.specs import default
from pyemv import mac
n, work = int(sys.argv[1]), sys.argv[2]
key = bytes.fromhex(open(f"{work}/key.hex").read().strip())
kl, kr = key[:8], key[8:]
base = {"t": "0210", "2": "4761739001010119", "3": "000000", "4": "000000001000", "7": "0825143015",
        "12": "143015", "13": "0825", "14": "2512", "22": "051", "25": "00", "37": "523714123456",
        "38": "A1B2C3", "39": "00", "41": "TERM0001", "42": "MERCHANT0000001", "49": "840"}
with open(f"{work}/macs.log", "w") as f:
    for i in range(n):
        doc = dict(base, **{"11": f"{i % 1000000:06d}", "64": "0000000000000000"})
        raw, _ = iso8583.encode(doc, default)
        raw = bytes(raw)
        m = mac.mac_iso9797_3(kl + kl, kr + kr, raw[:-8], 1)
        f.write((raw[:-8] + m).hex().upper() + "\n")
PY
cargo build --release --locked -q
bin=target/release/posresp
echo "log: $N messages with X9.19 MACs ($(du -h "$work/macs.log" | cut -f1))"
t() { local t0 t1; t0=$(date +%s.%N); "$@" > "$work/out"; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
best() { local b=999; for _ in 1 2 3; do local x; x=$(t "$@"); b=$(echo "if ($x < $b) $x else $b" | bc -l); done; echo "$b"; }
p=$(best "$bin" --spec iso87ascii-binary-bitmap --output jsonl verify mac --algorithm x919 --key-file "$work/key.hex" "$work/macs.log")
grep -c '"pass"' "$work/out" | xargs printf '  posresp: %s MACs pass\n'
y=$(best python3 tools/pyemv_mac_verify.py "$work/key.hex" "$work/macs.log")
grep -c '"pass"' "$work/out" | xargs printf '  pyemv:   %s MACs pass\n'
printf '  posresp verify mac   %.3f s (%.0f msg/s)\n  pyemv mac_iso9797_3  %.3f s (%.0f msg/s)\n  ratio %.1fx\n' "$p" "$(echo "$N/$p" | bc -l)" "$y" "$(echo "$N/$y" | bc -l)" "$(echo "$y/$p" | bc -l)"
