#!/usr/bin/env python3
"""Write the built-in spec files under specs/ (run once; the JSON is committed).

Field names and classes come from shared/reference/iso8583-1987-fields.csv; layouts follow
pyiso8583 4.0.1 (`default_ascii`, `default`) and jPOS ISO87BPackager / ISO93APackager, as
each spec's description says. Not run by CI.
"""
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.environ.get("POSRESP_REFERENCE", os.path.join(HERE, "..", "..", "shared", "reference"))
OUT = os.path.join(HERE, "..", "specs")

SENSITIVE = {"2": "pan", "34": "pan", "35": "track", "36": "track", "45": "track", "52": "pin", "23": "secret"}
BINARY_87 = {"52", "64", "65", "96", "128"}


def ref_rows():
    with open(os.path.join(REF, "iso8583-1987-fields.csv"), newline="") as f:
        return {r["field"]: r for r in csv.DictReader(f) if r["field"].isdigit()}


def klass(t):
    t = t.strip()
    return {"a or n": "an"}.get(t, t)


def var_of(kind):
    return {"LLVAR": "LL", "LLLVAR": "LLL"}.get(kind)


def put(fields, fid, **kw):
    if fid in SENSITIVE:
        kw["sensitive"] = SENSITIVE[fid]
    fields[fid] = kw


def iso87ascii(binary_bitmap):
    # Lengths as pyiso8583 4.0.1 default_ascii / default, which posresp must decode identically.
    from iso8583.specs import default, default_ascii  # noqa: imported only when regenerating

    py = default if binary_bitmap else default_ascii
    rows = ref_rows()
    fields = {}
    for fid in range(2, 129):
        f = str(fid)
        r, p = rows[f], py[f]
        cls = klass(r["type"])
        kw = {"name": r["name"], "type": cls}
        if p["data_enc"] == "b":
            kw["type"] = "b"
            kw["enc"] = "binary"
        elif f in BINARY_87:
            kw["type"] = "b"
            kw["enc"] = "hex"
        else:
            kw["enc"] = "ascii"
            if cls == "b":
                kw["type"] = "ans"
        unit_len = p["max_len"] // 2 if kw["enc"] == "hex" else p["max_len"]
        if p["len_type"] == 0:
            kw["len"] = unit_len
        else:
            kw["var"] = "L" * p["len_type"]
            kw["prefix"] = "ascii"
            kw["max"] = unit_len
            if kw["enc"] == "hex":
                kw["counts"] = "bytes"
        put(fields, f, **kw)
    name = "iso87ascii-binary-bitmap" if binary_bitmap else "iso87ascii"
    desc = (
        "ISO 8583:1987, ASCII MTI and fields, binary bitmaps and raw binary b fields (pyiso8583 'default')"
        if binary_bitmap
        else "ISO 8583:1987, ASCII MTI, hex-character bitmap, ASCII fields, b fields as hex characters (pyiso8583 'default_ascii', jPOS ISO87APackager)"
    )
    return {
        "name": name,
        "description": desc,
        "dialect": "iso87",
        "mti": {"enc": "ascii"},
        "bitmap": {"enc": "binary" if binary_bitmap else "hex"},
        "fields": fields,
    }


# jPOS ISO87BPackager layout per field: (kind, length). Kinds: N numeric BCD right-aligned,
# LLNUM BCD left-aligned with BCD LL, C fixed ASCII, LLC / LLLC ASCII with BCD prefix,
# B binary, AMT sign + BCD.
ISO87B = {
    2: ("LLNUM", 19), 3: ("N", 6), 4: ("N", 12), 5: ("N", 12), 6: ("N", 12), 7: ("N", 10), 8: ("N", 8),
    9: ("N", 8), 10: ("N", 8), 11: ("N", 6), 12: ("N", 6), 13: ("N", 4), 14: ("N", 4), 15: ("N", 4),
    16: ("N", 4), 17: ("N", 4), 18: ("N", 4), 19: ("N", 3), 20: ("N", 3), 21: ("N", 3), 22: ("N", 3),
    23: ("N", 3), 24: ("N", 3), 25: ("N", 2), 26: ("N", 2), 27: ("N", 1), 28: ("AMT", 9), 29: ("AMT", 9),
    30: ("AMT", 9), 31: ("AMT", 9), 32: ("LLNUM", 11), 33: ("LLNUM", 11), 34: ("LLC", 28), 35: ("LLNUM", 37),
    36: ("LLLC", 104), 37: ("C", 12), 38: ("C", 6), 39: ("C", 2), 40: ("C", 3), 41: ("C", 8), 42: ("C", 15),
    43: ("C", 40), 44: ("LLC", 25), 45: ("LLC", 76), 46: ("LLLC", 999), 47: ("LLLC", 999), 48: ("LLLC", 999),
    49: ("C", 3), 50: ("C", 3), 51: ("C", 3), 52: ("B", 8), 53: ("N", 16), 54: ("LLLC", 120),
    64: ("B", 8), 65: ("B", 1), 66: ("N", 1), 67: ("N", 2), 68: ("N", 3), 69: ("N", 3), 70: ("N", 3),
    71: ("N", 4), 72: ("N", 4), 73: ("N", 6), 90: ("N", 42), 91: ("C", 1), 92: ("C", 2), 93: ("C", 6),
    94: ("C", 7), 95: ("C", 42), 96: ("B", 16), 97: ("AMT", 17), 98: ("C", 25), 99: ("LLNUM", 11),
    100: ("LLNUM", 11), 101: ("LLC", 17), 102: ("LLC", 28), 103: ("LLC", 28), 104: ("LLLC", 100), 128: ("B", 8),
}
for _f in range(55, 64):
    ISO87B[_f] = ("LLLC", 999)
for _f in range(74, 82):
    ISO87B[_f] = ("N", 10)
for _f in range(82, 86):
    ISO87B[_f] = ("N", 12)
for _f in range(86, 90):
    ISO87B[_f] = ("N", 16)
for _f in range(105, 128):
    ISO87B[_f] = ("LLLC", 999)


def iso87binary():
    rows = ref_rows()
    fields = {}
    for fid in range(2, 129):
        f = str(fid)
        kind, n = ISO87B[fid]
        r = rows[f]
        cls = klass(r["type"])
        kw = {"name": r["name"]}
        if kind == "N":
            kw.update(type="n", enc="bcd", len=n)
        elif kind == "LLNUM":
            kw.update(type="z" if fid == 35 else "n", enc="bcd", var="LL", prefix="bcd", max=n, align="left")
        elif kind == "C":
            kw.update(type=cls if cls not in ("b", "n", "x+n") else "ans", enc="ascii", len=n)
        elif kind in ("LLC", "LLLC"):
            kw.update(type=cls if cls not in ("b", "n", "z") else "ans", enc="ascii",
                      var="LL" if kind == "LLC" else "LLL", prefix="bcd", max=n)
        elif kind == "B":
            kw.update(type="b", enc="binary", len=n)
        elif kind == "AMT":
            kw.update(type="x+n", enc="sign+bcd", len=n)
        put(fields, f, **kw)
    return {
        "name": "iso87binary",
        "description": "ISO 8583:1987 binary: BCD MTI, binary bitmaps, packed-BCD numerics and BCD length prefixes (jPOS ISO87BPackager)",
        "dialect": "iso87",
        "mti": {"enc": "bcd"},
        "bitmap": {"enc": "binary"},
        "fields": fields,
    }


# jPOS ISO93APackager: (id, kind, length, name). Kinds: N ASCII numeric, C fixed chars, LLN/LLC/LLLC
# ASCII-prefixed, B hex characters (bytes), LLB/LLLB ASCII-prefixed hex (prefix counts bytes), AMT.
ISO93 = """
2 LLN 19 Primary account number
3 N 6 Processing code
4 N 12 Amount, transaction
5 N 12 Amount, reconciliation
6 N 12 Amount, cardholder billing
7 N 10 Date and time, transmission
8 N 8 Amount, cardholder billing fee
9 N 8 Conversion rate, reconciliation
10 N 8 Conversion rate, cardholder billing
11 N 6 Systems trace audit number
12 N 12 Date and time, local transaction
13 N 4 Date, effective
14 N 4 Date, expiration
15 N 6 Date, settlement
16 N 4 Date, conversion
17 N 4 Date, capture
18 N 4 Merchant type
19 N 3 Country code, acquiring institution
20 N 3 Country code, primary account number
21 N 3 Country code, forwarding institution
22 C 12 Point of service data code
23 N 3 Card sequence number
24 N 3 Function code
25 N 4 Message reason code
26 N 4 Card acceptor business code
27 N 1 Approval code length
28 N 6 Date, reconciliation
29 N 3 Reconciliation indicator
30 N 24 Amounts, original
31 LLC 99 Acquirer reference data
32 LLN 11 Acquiring institution identification code
33 LLN 11 Forwarding institution identification code
34 LLC 28 Primary account number, extended
35 LLC 37 Track 2 data
36 LLLC 104 Track 3 data
37 C 12 Retrieval reference number
38 C 6 Approval code
39 N 3 Action code
40 N 3 Service code
41 C 8 Card acceptor terminal identification
42 C 15 Card acceptor identification code
43 LLC 99 Card acceptor name/location
44 LLC 99 Additional response data
45 LLC 76 Track 1 data
46 LLLC 204 Amounts, fees
47 LLLC 999 Additional data - national
48 LLLC 999 Additional data - private
49 C 3 Currency code, transaction
50 C 3 Currency code, reconciliation
51 C 3 Currency code, cardholder billing
52 B 8 Personal identification number (PIN) data
53 LLB 48 Security related control information
54 LLLC 120 Amounts, additional
55 LLLB 255 IC card system related data
56 LLN 35 Original data elements
57 N 3 Authorization life cycle code
58 LLN 11 Authorizing agent institution identification code
59 LLLC 999 Transport data
60 LLLC 999 Reserved for national use
61 LLLC 999 Reserved for national use
62 LLLC 999 Reserved for private use
63 LLLC 999 Reserved for private use
64 B 8 Message authentication code (MAC)
65 B 8 Reserved for ISO use (tertiary bitmap in some networks)
66 LLLC 204 Amounts, original fees
67 N 2 Extended payment data
68 N 3 Country code, receiving institution
69 N 3 Country code, settlement institution
70 N 3 Country code, authorizing agent institution
71 N 8 Message number
72 LLLC 999 Data record
73 N 6 Date, action
74 N 10 Credits, number
75 N 10 Credits, reversal number
76 N 10 Debits, number
77 N 10 Debits, reversal number
78 N 10 Transfer, number
79 N 10 Transfer, reversal number
80 N 10 Inquiries, number
81 N 10 Authorizations, number
82 N 10 Inquiries, reversal number
83 N 10 Payments, number
84 N 10 Payments, reversal number
85 N 10 Fee collections, number
86 N 16 Credits, amount
87 N 16 Credits, reversal amount
88 N 16 Debits, amount
89 N 16 Debits, reversal amount
90 N 10 Authorizations, reversal number
91 N 3 Country code, transaction destination institution
92 N 3 Country code, transaction originator institution
93 LLN 11 Transaction destination institution identification code
94 LLN 11 Transaction originator institution identification code
95 LLC 99 Card issuer reference data
96 LLLB 999 Key management data
97 AMT 17 Amount, net reconciliation
98 C 25 Payee
99 LLC 11 Settlement institution identification code
100 LLN 11 Receiving institution identification code
101 LLC 17 File name
102 LLC 28 Account identification 1
103 LLC 28 Account identification 2
104 LLLC 100 Transaction description
105 N 16 Credits, chargeback amount
106 N 16 Debits, chargeback amount
107 N 10 Credits, chargeback number
108 N 10 Debits, chargeback number
109 LLC 84 Credits, fee amounts
110 LLC 84 Debits, fee amounts
128 B 8 Message authentication code (MAC)
"""


def iso93ascii():
    table = {}
    for line in ISO93.strip().splitlines():
        fid, kind, n, name = line.split(" ", 3)
        table[int(fid)] = (kind, int(n), name)
    for fid in range(111, 128):
        use = "ISO" if fid <= 115 else ("national" if fid <= 122 else "private")
        table[fid] = ("LLLC", 999, f"Reserved for {use} use")
    fields = {}
    for fid in range(2, 129):
        kind, n, name = table[fid]
        f = str(fid)
        kw = {"name": name}
        if kind == "N":
            kw.update(type="n", enc="ascii", len=n)
        elif kind == "C":
            kw.update(type="an" if fid == 22 else "ans", enc="ascii", len=n)
        elif kind == "LLN":
            kw.update(type="n", enc="ascii", var="LL", prefix="ascii", max=n)
        elif kind in ("LLC", "LLLC"):
            kw.update(type="z" if fid in (35, 36) else "ans", enc="ascii", var=kind[:-1], prefix="ascii", max=n)
        elif kind == "B":
            kw.update(type="b", enc="hex", len=n)
        elif kind in ("LLB", "LLLB"):
            kw.update(type="b", enc="hex", var=kind[:-1], prefix="ascii", max=n)
        elif kind == "AMT":
            kw.update(type="x+n", enc="ascii", len=n)
        put(fields, f, **kw)
    return {
        "name": "iso93ascii",
        "description": "ISO 8583:1993 in ASCII: 3-digit action code in field 39, 1993 field table (jPOS ISO93APackager)",
        "dialect": "iso93",
        "mti": {"enc": "ascii"},
        "bitmap": {"enc": "hex"},
        "fields": fields,
    }


def write(spec):
    path = os.path.join(OUT, spec["name"] + ".json")
    with open(path, "w") as f:
        f.write("{\n")
        head = [k for k in spec if k != "fields"]
        for k in head:
            f.write(f"  {json.dumps(k)}: {json.dumps(spec[k], ensure_ascii=False)},\n")
        f.write('  "fields": {\n')
        items = list(spec["fields"].items())
        for i, (fid, fs) in enumerate(items):
            comma = "," if i < len(items) - 1 else ""
            f.write(f"    {json.dumps(fid)}: {json.dumps(fs, ensure_ascii=False)}{comma}\n")
        f.write("  }\n}\n")
    print("wrote", path, file=sys.stderr)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write(iso87ascii(False))
    write(iso87ascii(True))
    write(iso87binary())
    write(iso93ascii())
