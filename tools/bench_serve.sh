#!/usr/bin/env bash
# Round trips per second on loopback: `posresp send --replay` against `posresp serve` (with its
# traffic log on), the same client against iso8583sim's host, and iso8583sim's own load
# client against both hosts; then 1 000 connections held at once, with and without a flood of
# malformed frames on 50 other connections. All in one run on this machine. Not run by CI.
# Needs: python3; iso8583sim (pip install iso8583sim==1.6.0) in $SIM_VENV for the comparison
# (skipped when absent).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200000}
RUNS=${RUNS:-3}
SIM_VENV=${SIM_VENV:-/tmp/simvenv}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
cargo build --release --locked -q
bin=target/release/posresp
spec=iso87ascii-binary-bitmap # iso8583sim's default wire format (ascii-binary, 2-byte length)
"$bin" --spec $spec generate --count "$N" --seed 4 --kinds purchase=1 --out "$work/req.jsonl"

port_of() { grep -o 'listening on [0-9.:]*' "$1" | head -1 | awk -F: '{print $NF}'; }

"$bin" --spec $spec serve --listen 127.0.0.1:0 --framing len2 --log "$work/serve.jsonl" \
  --max-connections 5000 2>"$work/serve.err" &
pids+=($!)
sleep 0.5
port=$(port_of "$work/serve.err")

replay() { # host-port concurrency connections
  "$bin" --spec $spec --output json send --to "127.0.0.1:$1" --framing len2 --timeout 10s \
    --replay "$work/req.jsonl" --concurrency "$2" --connections "$3"
}
summary() {
  python3 -c '
import json, sys
r = json.load(sys.stdin); l = r["latency_ms"]
print("%9.0f/s  answers %d/%d  p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  timeouts %d  malformed %d" % (
    r["per_second"], r["answers"], r["requests"], l["p50"], l["p99"], l["p999"], r["timeouts"],
    r["malformed_answers"]))'
}

echo "== posresp send --replay → posresp serve ($N requests, 64 in flight over 4 connections, log on)"
for i in $(seq "$RUNS"); do replay "$port" 64 4 | summary; done
echo "== 1000 connections, 1 request in flight on each"
replay "$port" 1000 1000 | summary
echo "== 1000 connections, 2 in flight on each"
replay "$port" 2000 1000 | summary

echo "== the same 1000 connections while 50 others send malformed frames non-stop"
python3 - "$port" > "$work/flood.out" <<'PY' &
import socket, sys, time, threading
port = int(sys.argv[1]); stop = time.time() + 30; sent = [0]
def flood():
    while time.time() < stop:
        try:
            s = socket.create_connection(("127.0.0.1", port))
            for _ in range(50):
                s.sendall(b"\x00\x10" + b"\xff" * 16)  # framed, no readable MTI
            s.close(); sent[0] += 50
        except OSError:
            time.sleep(0.01)
ts = [threading.Thread(target=flood) for _ in range(50)]
[t.start() for t in ts]; [t.join() for t in ts]
print(sent[0])
PY
flood=$!
pids+=($flood)
sleep 1
replay "$port" 1000 1000 | summary
kill "$flood" 2>/dev/null || true
echo "   ($(grep -c 'frame' "$work/serve.err" || true) malformed frames reported by serve so far)"

if [ -x "$SIM_VENV/bin/iso8583sim" ]; then
  simport=$((20000 + RANDOM % 20000))
  "$SIM_VENV/bin/iso8583sim" serve --port $simport >"$work/sim.out" 2>&1 &
  pids+=($!)
  sleep 3
  echo "== posresp send --replay → iso8583sim serve (same requests, 64 in flight over 4 connections)"
  replay "$simport" 64 4 | summary
  echo "== iso8583sim load → iso8583sim serve (20 000 requests, 64 in flight over 4 connections)"
  "$SIM_VENV/bin/iso8583sim" load --port $simport --count 20000 --concurrency 64 --connections 4 \
    | grep -E 'Throughput|p99'
  echo "== iso8583sim load → posresp serve"
  "$SIM_VENV/bin/iso8583sim" load --port "$port" --count 20000 --concurrency 64 --connections 4 \
    | grep -E 'Throughput|p99'
else
  echo "(iso8583sim not found in $SIM_VENV: comparison skipped)"
fi
kill -INT "${pids[0]}"
wait "${pids[0]}" || true
tail -1 "$work/serve.err"
echo "serve's log: $(wc -l < "$work/serve.jsonl") lines"
