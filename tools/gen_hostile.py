#!/usr/bin/env python3
"""Write testdata/hostile/: inputs meant to break a decoder (tests/hostile.rs says what each
must give). The 100 MB single line is made by the test itself, not committed."""
import json, os

D = "testdata/hostile"
os.makedirs(D, exist_ok=True)
sample = open("testdata/iso87ascii-0210.hex").read().strip()

def w(name, data, mode="w"):
    with open(f"{D}/{name}", mode) as f:
        f.write(data)

w("empty.txt", "")
w("whitespace.txt", "  \n\t \n   \n")
w("odd-hex.txt", sample[:41] + "\n")
w("non-hex.txt", sample[:20] + "ZZ" + sample[22:] + "\n")
# A 4-digit ASCII length claiming 9999 bytes in front of a 20-byte body.
body = b"0800" + bytes.fromhex("8220000000000000") + b"04000000"
assert len(body) == 20
w("length-9999.hex", (b"9999" + body).hex().upper() + "\n")
# A spec with three fields, and a message whose bitmap also sets field 5.
spec = {
    "name": "three-fields", "description": "hostile: only fields 2, 3 and 4", "dialect": "iso87",
    "mti": {"enc": "ascii"}, "bitmap": {"enc": "hex"},
    "fields": {
        "2": {"name": "PAN", "type": "n", "enc": "ascii", "var": "LL", "prefix": "ascii", "max": 19, "sensitive": "pan"},
        "3": {"name": "Processing code", "type": "n", "enc": "ascii", "len": 6},
        "4": {"name": "Amount", "type": "n", "enc": "ascii", "len": 12},
    },
}
w("spec-three-fields.json", json.dumps(spec, indent=1) + "\n")
w("undefined-field.hex", (b"0200" + b"3800000000000000" + b"000000" + b"000000001000" + b"000000001000").hex().upper() + "\n")
# Field 55 holding constructed tags nested 1000 deep (BF01 with long-form lengths).
inner = b"\x9f\x02\x06\x00\x00\x00\x00\x01\x00"
for _ in range(1000):
    n = len(inner)
    inner = b"\xbf\x01" + (bytes([0x82, n >> 8, n & 0xFF]) if n > 255 else bytes([0x81, n]) if n > 127 else bytes([n])) + inner
tlv_spec = {
    "name": "tlv-llll", "description": "hostile: field 55 with a 4-digit length", "dialect": "iso87",
    "mti": {"enc": "ascii"}, "bitmap": {"enc": "hex"},
    "fields": {"55": {"name": "ICC data", "type": "b", "enc": "binary", "var": "LLLL", "prefix": "ascii", "max": 9999, "subfields": {"kind": "tlv"}}},
}
w("spec-tlv-llll.json", json.dumps(tlv_spec, indent=1) + "\n")
w("tlv-1000-deep.hex", (b"0200" + b"0000000000000200" + b"%04d" % len(inner) + inner).hex().upper() + "\n")
# A log whose second line is not UTF-8.
w("invalid-utf8.log", (sample + "\n").encode() + b"30\xff\xfe\x80 garbage\n" + (sample + "\n").encode(), "wb")
# A log mixing forms: bare hex, timestamp + direction + hex, a JSON record, a dump line, prose.
w("mixed-forms.log", "\n".join([
    sample,
    "2026-11-26 10:00:00.123 resp " + sample,
    json.dumps({"ts": "2026-11-26T10:00:00.200Z", "dir": "resp", "hex": sample}),
    "00000000  30 32 31 30                                       |0210|",
    "the terminal said hello",
]) + "\n")
# ASCII fields holding NUL, ESC (a colour sequence), BEL and DEL: field 43 of a 0210.
f43 = b"\x00\x1b[31mRED\x1b[0m\x07\x7fSHOP".ljust(40, b" ")
msg = b"0210" + b"0000000000200000" + f43
w("control-chars.hex", msg.hex().upper() + "\n")
# A log record whose timestamp carries bidi overrides.
w("bidi.jsonl", json.dumps({"ts": "2026-11-26T10:00:00Z\u202eevil\u202c", "dir": "resp", "hex": sample}, ensure_ascii=False) + "\n")
print("wrote", D)
