#!/usr/bin/env python3
"""The peer side of the whole-process benchmark: decode a one-hex-message-per-line log with
pyiso8583 (default_ascii) and write one JSON object per message, as posresp --output jsonl does."""
import json
import sys

import iso8583
from iso8583.specs import default_ascii


def main():
    out = sys.stdout
    with open(sys.argv[1]) as f:
        for i, line in enumerate(f):
            line = line.strip()
            if not line:
                continue
            try:
                doc, _ = iso8583.decode(bytes.fromhex(line), default_ascii)
                out.write(json.dumps({"index": i, "mti": doc.get("t"), "fields": doc}) + "\n")
            except iso8583.DecodeError as e:
                out.write(json.dumps({"index": i, "error": str(e)}) + "\n")


if __name__ == "__main__":
    main()
