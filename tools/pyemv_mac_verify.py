#!/usr/bin/env python3
"""Peer side of the MAC benchmark: verify the X9.19 MAC (last 8 bytes) of every message in a
one-hex-message-per-line log with pyemv's mac_iso9797_3, writing one JSON line per message."""
import json
import sys

from pyemv import mac

key = bytes.fromhex(open(sys.argv[1]).read().strip())
kl, kr = key[:8], key[8:]
out = sys.stdout
with open(sys.argv[2]) as f:
    for i, line in enumerate(f):
        msg = bytes.fromhex(line.strip())
        m = mac.mac_iso9797_3(kl + kl, kr + kr, msg[:-8], 1)
        out.write(json.dumps({"message": i, "check": "mac", "result": "pass" if m == msg[-8:] else "fail"}) + "\n")
