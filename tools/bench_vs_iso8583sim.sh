#!/usr/bin/env bash
# Whole-process decode: posresp vs iso8583sim 1.6.0's parser over the same log of generated
# iso87ascii messages, both writing each message's fields as JSON Lines, timed to /dev/null in
# one run on this machine (a second, untimed run checks the field values agree). Not run by CI.
# Needs: iso8583sim in $SIM_VENV (python3 -m venv $SIM_VENV; $SIM_VENV/bin/pip install iso8583sim==1.6.0).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50000} # transactions: 2N messages
RUNS=${RUNS:-5}
SIM_VENV=${SIM_VENV:-/tmp/simvenv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --locked -q
bin=target/release/posresp
"$bin" --spec iso87ascii generate --count "$N" --seed 3 --format hex --out "$work/log.hex"
msgs=$(wc -l < "$work/log.hex")

# Agreement: same MTI and field values (posresp with --unmask, as iso8583sim does not mask).
"$bin" --unmask --spec iso87ascii --output jsonl decode --brief "$work/log.hex" > "$work/posresp.jsonl"
"$SIM_VENV/bin/python" tools/iso8583sim_decode_jsonl.py "$work/log.hex" > "$work/sim.jsonl"
python3 - "$work/posresp.jsonl" "$work/sim.jsonl" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b), (len(a), len(b))
diff = sum(1 for x, y in zip(a, b) if x["mti"] != y["mti"] or {k: v.rstrip() for k, v in x["fields"].items()} != {k: v.rstrip() for k, v in y["fields"].items()})
print(f"{len(a)} messages decoded by both; {diff} differ in MTI or field values")
PY

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
t() { /usr/bin/time -f %e "$@" > /dev/null 2> "$work/time" || true; tail -1 "$work/time"; }
p=$(for i in $(seq "$RUNS"); do t "$bin" --spec iso87ascii --output jsonl decode --brief "$work/log.hex"; done | median)
s=$(for i in $(seq 3); do t "$SIM_VENV/bin/python" tools/iso8583sim_decode_jsonl.py "$work/log.hex"; done | median)
echo "$msgs messages: posresp ${p}s (median of $RUNS), iso8583sim ${s}s (median of 3): $(python3 -c "print(f'{$s/$p:.1f}')")x"
