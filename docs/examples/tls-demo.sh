#!/bin/sh
# docs/proxy.md: certificates made with openssl (a CA, the host's, a terminal's), a host that
# requires client certificates, a proxy speaking TLS on both sides, and a terminal; then the
# handshake failures a wrong setup gives. Loopback ports the system picks.
set -eu
d=$(mktemp -d)
host_pid=; proxy_pid=
trap 'kill $host_pid $proxy_pid 2>/dev/null || true; rm -rf "$d"' EXIT
addr() {
  i=0
  until grep -q 'listening on' "$1" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 200 ] || { cat "$1" >&2; exit 1; }; sleep 0.05
  done
  sed -n 's/.*listening on \([0-9.:]*\).*/\1/p' "$1"
}
# A CA, and two certificates signed by it (X.509 v3: the -extfile lines make them so).
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key "$d/ca.key"
openssl req -x509 -key "$d/ca.key" -out "$d/ca.pem" -days 365 -subj "/CN=Test CA" 2>/dev/null
sign() { # NAME CN EXTENSIONS
  key "$d/$1.key"
  openssl req -new -key "$d/$1.key" -subj "/CN=$2" -out "$d/$1.csr" 2>/dev/null
  printf '%b' "$3" >"$d/$1.ext"
  openssl x509 -req -in "$d/$1.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
    -days 365 -extfile "$d/$1.ext" -out "$d/$1.pem" 2>/dev/null
}
sign host localhost 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth'
sign terminal 'T0000001' 'extendedKeyUsage=clientAuth'
S="--spec iso87ascii"
posresp $S serve --framing len2 --listen 127.0.0.1:0 \
  --tls-cert "$d/host.pem" --tls-key "$d/host.key" --client-ca "$d/ca.pem" 2>"$d/host.err" &
host_pid=$!
host=$(addr "$d/host.err")
# The proxy: its own certificate towards the terminals (and theirs required), and the host's
# CA and a client certificate (here the same host.pem, which allows clientAuth) towards the host.
posresp $S proxy --framing len2 --listen 127.0.0.1:0 --to "$host" \
  --tls-cert "$d/host.pem" --tls-key "$d/host.key" --client-ca "$d/ca.pem" \
  --tls --ca "$d/ca.pem" --cert "$d/host.pem" --key "$d/host.key" 2>"$d/proxy.err" &
proxy_pid=$!
proxy=$(addr "$d/proxy.err")
terminal="--tls --ca $d/ca.pem --cert $d/terminal.pem --key $d/terminal.key"
echo "terminal → proxy → host, mutual TLS on both links:"
posresp $S send --framing len2 --to "$proxy" $terminal testdata/serve/approve.hex | grep '^Response'
echo "without a client certificate:"
posresp $S send --framing len2 --to "$proxy" --tls --ca "$d/ca.pem" testdata/serve/approve.hex 2>&1 |
  sed "s|$d/||g; s|$proxy|PROXY|; s|^posresp: [^ ]*: message 1: |posresp: |" || true
echo "trusting another CA:"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/o.key" \
  -out "$d/other.pem" -days 1 -subj "/CN=Other" 2>/dev/null
posresp $S send --framing len2 --to "$proxy" --tls --ca "$d/other.pem" testdata/serve/approve.hex 2>&1 |
  sed "s|$proxy|PROXY|" || true
echo "the proxy said:"
grep 'TLS handshake' "$d/proxy.err" | sed 's/conn [0-9]* ([0-9.:]*)/conn N/'
