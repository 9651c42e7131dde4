#!/usr/bin/env bash
# Library-level decode: posresp vs the Rust crates iso8583-core 0.1.0 and iso8583-codec-rs
# 0.1.0 on the same 0210 (criterion, tools/peers/benches/peers.rs). Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/peers"
dir=$(cargo metadata --format-version 1 --locked 2>/dev/null | python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == "iso8583-codec-rs":
        print(p["manifest_path"].rsplit("/", 1)[0])')
export PEER_SPEC="$dir/specifications/fields.json"
cargo bench --locked --bench peers -- --warm-up-time 1 --measurement-time 3 "$@"
