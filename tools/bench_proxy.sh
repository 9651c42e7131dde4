#!/usr/bin/env bash
# Whole-process measurement of `posresp proxy` (issue 18's bar): send --replay → serve
# directly, then through the proxy (plain, with --log, and TLS on both links), all three
# processes on this machine. Prints answers per second and latency percentiles of each run;
# the added latency is the proxy's p50 minus the direct p50 at the same concurrency.
# Usage: tools/bench_proxy.sh [COUNT]   (release build first: cargo build --release)
set -euo pipefail
P=${POSRESP:-target/release/posresp}
N=${1:-100000}
W=$(mktemp -d)
trap 'pkill -INT -f "posresp .*--listen 127.0.0.1:1871" || true; sleep 0.5; rm -rf "$W"' EXIT
$P --spec iso87ascii generate --count "$N" --seed 1 --out "$W/g.jsonl"
cd "$W"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
  -days 30 -subj "/CN=bench CA" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout host.key -out host.csr \
  -subj "/CN=localhost" 2>/dev/null
openssl x509 -req -in host.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out host.pem -days 30 \
  -extfile <(printf "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth") 2>/dev/null
cd - >/dev/null
S="--spec iso87ascii"
$P $S serve --framing len2 --listen 127.0.0.1:18711 2>/dev/null &
$P $S proxy --framing len2 --listen 127.0.0.1:18712 --to 127.0.0.1:18711 2>/dev/null &
$P $S proxy --framing len2 --listen 127.0.0.1:18713 --to 127.0.0.1:18711 --log "$W/p.jsonl" 2>/dev/null &
$P $S serve --framing len2 --listen 127.0.0.1:18714 --tls-cert "$W/host.pem" --tls-key "$W/host.key" 2>/dev/null &
$P $S proxy --framing len2 --listen 127.0.0.1:18715 --to 127.0.0.1:18714 --tls --ca "$W/ca.pem" \
  --tls-cert "$W/host.pem" --tls-key "$W/host.key" 2>/dev/null &
sleep 1
run() {
  local name=$1; shift
  $P $S --output json send --framing len2 --replay "$W/g.jsonl" "$@" |
    python3 -c "import json,sys; v=json.load(sys.stdin); l=v['latency_ms']; print(f\"$name: {v['per_second']:.0f}/s answers {v['answers']} p50 {l['p50']} ms p99 {l['p99']} ms\")"
}
for c in "--concurrency 64 --connections 4" "--concurrency 1 --connections 1"; do
  echo "# $c"
  run "direct         " --to 127.0.0.1:18711 $c
  run "proxy          " --to 127.0.0.1:18712 $c
  run "proxy --log    " --to 127.0.0.1:18713 $c
  run "tls direct     " --to 127.0.0.1:18714 --tls --ca "$W/ca.pem" $c
  run "tls proxy (2x) " --to 127.0.0.1:18715 --tls --ca "$W/ca.pem" $c
done
