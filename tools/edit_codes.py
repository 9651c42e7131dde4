#!/usr/bin/env python3
"""Copy a posresp JSON Lines log, changing field 39 of every Nth response (for diff benchmarks).

usage: edit_codes.py LOG OUT EVERY [SPEC]
Field offsets come from `posresp decode --output jsonl` run on the chosen lines only; the
code changes 00 -> 05, anything else -> 00. Prints how many responses were edited.
"""
import json
import subprocess
import sys
import tempfile

log, out, every = sys.argv[1], sys.argv[2], int(sys.argv[3])
spec = sys.argv[4] if len(sys.argv) > 4 else "auto"
posresp = "target/release/posresp"

lines = open(log).read().splitlines()
chosen, seen = [], 0
for i, line in enumerate(lines):
    if '"dir":"resp"' in line:
        if seen % every == 0:
            chosen.append(i)
        seen += 1
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as t:
    for i in chosen:
        t.write(lines[i] + "\n")
decoded = subprocess.run(
    [posresp, "--spec", spec, "--output", "jsonl", "decode", t.name],
    capture_output=True, text=True, check=True,
).stdout.splitlines()
assert len(decoded) == len(chosen)
for i, d in zip(chosen, decoded):
    f39 = next(f for f in json.loads(d)["fields"] if f["id"] == "39")
    rec = json.loads(lines[i])
    b = bytearray.fromhex(rec["hex"])
    at = f39["offset"]
    b[at:at + 2] = b"05" if f39["value"] == "00" else b"00"
    rec["hex"] = b.hex().upper()
    lines[i] = json.dumps(rec, separators=(",", ":"))
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
print(len(chosen))
