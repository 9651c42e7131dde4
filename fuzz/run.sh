#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 60), seeded from testdata/. Not run by CI.
# Needs cargo-fuzz (cargo install cargo-fuzz); on a stable toolchain RUSTC_BOOTSTRAP=1 lets it
# use the sanitizer flags.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-60}
export RUSTC_BOOTSTRAP=${RUSTC_BOOTSTRAP:-1}
mkdir -p corpus
seed() { # target, files...
  local t=$1; shift
  mkdir -p "corpus/$t"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "corpus/$t/$(basename "$f")"
  done
  return 0
}
# Binary seeds: every hex fixture as bytes.
mkdir -p corpus/decode corpus/framing corpus/tlv
for f in ../testdata/*.hex ../testdata/cup/*.hex; do
  xxd -r -p "$f" "corpus/decode/$(basename "$f").bin"
  cp "corpus/decode/$(basename "$f").bin" corpus/framing/
done
printf '\x91\x0a\x11\x22\x33\x44\x55\x66\x77\x88\x30\x30\x72\x0f\x9f\x18\x04\x00\x00\x00\x01\x86\x06\x84\xda\x9f\x58\x03\x00' > corpus/tlv/script.bin
seed input_forms ../testdata/*.txt ../testdata/*.log ../testdata/*.jsonl ../testdata/*.xml
seed spec_loader ../specs/*.json ../testdata/specs/*.json
seed rules_loader ../testdata/serve/rules.json ../docs/examples/rules.json
mkdir -p corpus/serve_path
for f in ../testdata/serve/*.hex ../testdata/cup/*.hex; do
  xxd -r -p "$f" "corpus/serve_path/$(basename "$f").bin"
done
TARGETS=${TARGETS:-decode framing tlv input_forms spec_loader rules_loader serve_path}
for t in $TARGETS; do
  echo "== $t for ${SECONDS_EACH}s"
  cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$SECONDS_EACH" -max_len=4096 2>&1 | grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs|ERROR|panicked|SUMMARY" || true
done
