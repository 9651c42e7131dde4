#!/usr/bin/env bash
# Whole-process decode comparison: posresp vs pyiso8583 over the same 100 000-message log,
# both writing JSON Lines, in one run on this machine. Not run by CI.
# Needs: pip install pyiso8583==4.0.1; GNU time (/usr/bin/time) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log="$work/iso87ascii-$N.log"

# The log: the pyiso8583 fixture messages (random field sets) and the benchmark 0210, repeated.
python3 - "$N" "$log" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
msgs = [json.loads(l)["hex"] for l in open("testdata/pyiso8583/default_ascii.jsonl")]
msgs.append(open("testdata/iso87ascii-0210.hex").read().strip())
with open(path, "w") as f:
    for i in range(n):
        f.write(msgs[i % len(msgs)] + "\n")
PY
cargo build --release --locked -q
bin=target/release/posresp
echo "log: $N messages, $(du -h "$log" | cut -f1)"

timeit() { # label, command...
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o "$work/mem" "$@" > "$work/out"
  else
    "$@" > "$work/out"; echo "?" > "$work/mem"
  fi
  t1=$(date +%s.%N)
  local secs; secs=$(echo "$t1 - $t0" | bc -l)
  printf '%-34s %8.3f s  %8.0f msg/s  peak RSS %s KiB  (%s lines)\n' "$label" "$secs" "$(echo "$N / $secs" | bc -l)" "$(cat "$work/mem")" "$(wc -l < "$work/out")"
  echo "$secs" > "$work/t-$label"
}

timeit posresp-spec "$bin" --spec iso87ascii decode --output jsonl "$log"
timeit posresp-auto "$bin" decode --output jsonl "$log"
timeit pyiso8583 python3 tools/pyiso8583_decode_jsonl.py "$log"
printf 'ratio pyiso8583 / posresp (--spec iso87ascii): %.1fx\n' "$(echo "$(cat "$work/t-pyiso8583") / $(cat "$work/t-posresp-spec")" | bc -l)"
printf 'ratio pyiso8583 / posresp (--spec auto):       %.1fx\n' "$(echo "$(cat "$work/t-pyiso8583") / $(cat "$work/t-posresp-auto")" | bc -l)"
