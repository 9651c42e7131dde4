#!/usr/bin/env bash
# Whole-process decode comparison: posresp vs pyiso8583 over the same 100 000-message logs,
# both writing JSON Lines (timed to /dev/null; a second, untimed run counts the lines), in one
# run on this machine. Not run by CI.
# Needs: pip install pyiso8583==4.0.1; GNU time (/usr/bin/time) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log="$work/iso87ascii-$N.log"

# Two logs: "traffic" = the 13 real iso87ascii messages in testdata (moov-io samples and the
# benchmark 0210) repeated; "random" = the 250 pyiso8583 fixture messages (1-25 random fields
# with values up to 60 characters) repeated.
python3 - "$N" "$work" <<'PY'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
sample = open("testdata/iso87ascii-0210.hex").read().strip()
traffic = [m["hex"] for m in map(json.loads, open("testdata/moov/moov.jsonl")) if m.get("spec") == "iso87ascii"] + [sample]
random_ = [json.loads(l)["hex"] for l in open("testdata/pyiso8583/default_ascii.jsonl")] + [sample]
for name, msgs in (("traffic", traffic), ("random", random_)):
    with open(f"{work}/{name}.log", "w") as f:
        for i in range(n):
            f.write(msgs[i % len(msgs)] + "\n")
PY
cargo build --release --locked -q
bin=target/release/posresp
RUNS=${RUNS:-7}      # posresp runs per case (median reported)
PY_RUNS=${PY_RUNS:-3} # pyiso8583 runs per case (median reported)

timeit() { # label, runs, command...
  local label=$1 runs=$2; shift 2
  local times=() t0 t1
  for _ in $(seq "$runs"); do
    t0=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/mem" "$@" > /dev/null
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  local secs best; secs=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  best=$(printf '%s\n' "${times[@]}" | sort -g | head -1)
  "$@" | wc -l > "$work/out"
  printf '  %-18s median %6.3f s (min %6.3f s, %s runs) %9.0f msg/s  peak RSS %6s KiB  %s lines out\n' "$label" "$secs" "$best" "$runs" "$(echo "$N / $secs" | bc -l)" "$(cat "$work/mem")" "$(cat "$work/out")"
  echo "$secs" > "$work/t-$label"
  echo "$best" > "$work/b-$label"
}

echo "machine: $(nproc) cores; posresp $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(python3 -c 'import iso8583; print("pyiso8583", iso8583.__version__)')"
for name in traffic random; do
  log="$work/$name.log"
  echo "log '$name': $N messages, $(du -h "$log" | cut -f1)"
  timeit posresp-spec "$RUNS" "$bin" --spec iso87ascii decode --output jsonl "$log"
  timeit posresp-auto "$RUNS" "$bin" decode --output jsonl "$log"
  timeit posresp-brief "$RUNS" "$bin" --spec iso87ascii decode --output jsonl --brief "$log"
  timeit posresp-1-thread "$RUNS" taskset -c 0 "$bin" --spec iso87ascii decode --output jsonl "$log"
  timeit pyiso8583 "$PY_RUNS" python3 tools/pyiso8583_decode_jsonl.py "$log"
  for v in posresp-spec posresp-auto posresp-brief posresp-1-thread; do
    printf '  pyiso8583 / %-18s %5.1fx by medians, %5.1fx by minimums\n' "$v" "$(echo "$(cat "$work/t-pyiso8583") / $(cat "$work/t-$v")" | bc -l)" "$(echo "$(cat "$work/b-pyiso8583") / $(cat "$work/b-$v")" | bc -l)"
  done
done
