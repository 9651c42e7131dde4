#!/usr/bin/env python3
"""Decode a log of iso87ascii messages (one hex message per line) with iso8583sim's parser and
write each message's fields as a JSON line: the peer side of tools/bench_vs_iso8583sim.sh."""
import json, sys
from iso8583sim.core.parser import ISO8583Parser

parser = ISO8583Parser()
out = sys.stdout
bad = 0
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    try:
        m = parser.parse(bytes.fromhex(line).decode("ascii"))
    except Exception:
        bad += 1
        continue
    out.write(json.dumps({"mti": m.mti, "fields": {str(k): v for k, v in m.fields.items() if k}}) + "\n")
if bad:
    print(f"{bad} messages failed", file=sys.stderr)
