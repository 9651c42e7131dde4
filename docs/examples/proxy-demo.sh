#!/bin/sh
# docs/proxy.md: a host (serve), the proxy in front of it with docs/examples/faults.json, and a
# terminal (send), on loopback ports the system picks. Prints what the terminal got and what
# the proxy logged.
set -eu
d=$(mktemp -d)
host_pid=; proxy_pid=
trap 'kill $host_pid $proxy_pid 2>/dev/null || true; rm -rf "$d"' EXIT
# The address a server printed on its "listening on ADDR" line.
addr() {
  i=0
  until grep -q 'listening on' "$1" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 200 ] || { cat "$1" >&2; exit 1; }; sleep 0.05
  done
  sed -n 's/.*listening on \([0-9.:]*\).*/\1/p' "$1"
}
S="--spec iso87ascii"
posresp $S serve --framing len2 --listen 127.0.0.1:0 2>"$d/host.err" &
host_pid=$!
host=$(addr "$d/host.err")
posresp $S proxy --framing len2 --listen 127.0.0.1:0 --to "$host" \
  --rules docs/examples/faults.json --log "$d/proxy.jsonl" 2>"$d/proxy.err" &
proxy_pid=$!
proxy=$(addr "$d/proxy.err")
for m in approve ends51 drop; do
  posresp $S send --framing len2 --to "$proxy" --timeout 1s testdata/serve/$m.hex 2>&1 |
    grep -E "^Response|no answer" | sed "s/^/$m.hex: /; s/ from [0-9.:]* / from the proxy /"
done
# Stopping the proxy flushes its log.
kill -INT $proxy_pid; wait $proxy_pid || true
echo "proxy log:"
grep -o '"dir":"[a-z]*"\|"rule":"[^"]*","action":"[a-z]*"' "$d/proxy.jsonl" | LC_ALL=C sort | uniq -c |
  sed 's/^ *//'
