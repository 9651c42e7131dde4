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
        rows = {r["field"]: r for r in csv.DictReader(f) if r["field"].isdigit()}
    # The table's own note: track 1 carries '^' separators and names, "decode as ans".
    rows["45"]["type"] = "ans"
    return rows


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


# Sub-elements shared by the ISO specs.
PROCESSING_CODE_PARTS = [
    {"id": "1", "name": "Transaction type", "len": 2, "values": {
        "00": "Purchase (goods and services)", "01": "Cash withdrawal", "02": "Debit adjustment",
        "09": "Purchase with cashback", "20": "Refund / return", "21": "Deposit", "22": "Credit adjustment",
        "30": "Available funds inquiry", "31": "Balance inquiry", "40": "Transfer"}},
    {"id": "2", "name": "From account type", "len": 2, "values": {
        "00": "Default / unspecified", "10": "Savings", "20": "Checking", "30": "Credit", "40": "Universal"}},
    {"id": "3", "name": "To account type", "len": 2, "values": {
        "00": "Default / unspecified", "10": "Savings", "20": "Checking", "30": "Credit", "40": "Universal"}},
]
ENTRY_MODE_PARTS = [
    {"id": "1", "name": "PAN entry mode", "len": 2, "values": {
        "00": "Unknown", "01": "Manual (key entry)", "02": "Magnetic stripe", "03": "Bar code", "04": "OCR",
        "05": "Integrated circuit card (contact chip)", "07": "Contactless chip", "79": "Chip fallback to manual",
        "80": "Chip fallback to magnetic stripe", "90": "Magnetic stripe, full track read", "91": "Contactless magnetic stripe",
        "95": "Chip, CVV unreliable"}},
    {"id": "2", "name": "PIN entry capability", "len": 1, "values": {
        "0": "Unspecified", "1": "PIN entry capability", "2": "No PIN entry capability", "6": "PIN pad inoperative",
        "8": "PIN verified by terminal"}},
]
ORIGINAL_DATA_PARTS = [
    {"id": "1", "name": "Original MTI", "len": 4},
    {"id": "2", "name": "Original STAN", "len": 6},
    {"id": "3", "name": "Original transmission date and time", "len": 10},
    {"id": "4", "name": "Original acquiring institution id", "len": 11},
    {"id": "5", "name": "Original forwarding institution id", "len": 11},
]


def with_iso_subfields(spec, tlv55):
    f = spec["fields"]
    f["3"]["subfields"] = {"kind": "positional", "parts": PROCESSING_CODE_PARTS}
    if spec["dialect"] == "iso87":
        f["22"]["subfields"] = {"kind": "positional", "parts": ENTRY_MODE_PARTS}
        f["90"]["subfields"] = {"kind": "positional", "parts": ORIGINAL_DATA_PARTS}
    if tlv55:
        f["55"]["subfields"] = {"kind": "tlv"}
    return spec


# China UnionPay POS (cup-pos-8583.md §6): (kind, length, name, extra)
CUP = {
    2: ("LLNUM", 19, "Primary account number (主账号)"),
    3: ("N", 6, "Processing code (交易处理码)"),
    4: ("N", 12, "Amount, transaction (交易金额)"),
    11: ("N", 6, "POS trace number (受卡方系统跟踪号)"),
    12: ("N", 6, "Local time hhmmss (受卡方所在地时间)"),
    13: ("N", 4, "Local date MMDD (受卡方所在地日期)"),
    14: ("N", 4, "Expiry date YYMM (卡有效期)"),
    15: ("N", 4, "Settlement date MMDD (清算日期)"),
    22: ("NLEFT", 3, "POS entry mode (服务点输入方式码)"),
    23: ("N", 3, "Card sequence number (卡序列号)"),
    25: ("N", 2, "POS condition code (服务点条件码)"),
    26: ("N", 2, "POS PIN capture code (服务点PIN获取码)"),
    32: ("LLNUM", 11, "Acquiring institution id (受理方标识码)"),
    35: ("LLZ", 37, "Track 2 data (2磁道数据)"),
    36: ("LLLZ", 104, "Track 3 data (3磁道数据)"),
    37: ("C", 12, "Retrieval reference number (检索参考号)"),
    38: ("C", 6, "Authorisation code (授权标识应答码)"),
    39: ("C", 2, "Response code (应答码)"),
    41: ("C", 8, "Terminal id (受卡机终端标识码)"),
    42: ("C", 15, "Merchant id (受卡方标识码)"),
    44: ("LLC", 25, "Additional response data (附加响应数据)"),
    48: ("LLLNUM", 322, "Additional data, private (附加数据-私有)"),
    49: ("C", 3, "Currency code, transaction (交易货币代码)"),
    52: ("B", 8, "PIN data (个人标识码数据)"),
    53: ("N", 16, "Security related control information (安全控制信息)"),
    54: ("LLLC", 40, "Additional amounts (附加金额)"),
    55: ("LLLB", 255, "ICC data (IC卡数据域)"),
    58: ("LLLC", 100, "PBOC e-purse data (PBOC电子钱包标准的交易信息)"),
    59: ("LLLC", 999, "Custom field 59 / terminal info (自定义域)"),
    # n...17 in the CUP table; real terminals send 19 digits (cnblogs q/128930), so allow more.
    60: ("LLLNUM", 32, "Custom field 60 (自定义域)"),
    61: ("LLLNUM", 29, "Original transaction data (原始信息域)"),
    62: ("LLLB", 512, "Custom field 62: keys, terminal info (自定义域)"),
    63: ("LLLC", 163, "Custom field 63 (自定义域)"),
    64: ("B", 8, "Message authentication code (报文鉴别码)"),
}

CUP_60_1 = {
    "00": "Management (sign-on, downloads)", "01": "Balance inquiry", "10": "Pre-authorisation",
    "11": "Pre-authorisation void", "20": "Pre-authorisation completion", "21": "Pre-authorisation completion void",
    "22": "Purchase", "23": "Purchase void", "25": "Refund", "27": "Offline refund",
    "36": "Offline purchase (electronic cash)",
}
CUP_60_3 = {
    "000": "Financial transaction", "001": "Sign-on, single-length keys", "003": "Sign-on, double-length keys",
    "004": "Sign-on, double-length keys with track key", "951": "Script result advice",
    "360": "Parameter download", "370": "CA public key download", "371": "CA public key download end",
    "380": "IC parameter download", "381": "IC parameter download end", "390": "Blacklist download",
    "391": "Blacklist download end",
}


def cup():
    base = iso87binary()["fields"]
    fields = {}
    for fid in range(2, 129):
        f = str(fid)
        if fid not in CUP:
            # Outside the CUP POS table: jPOS ISO87BPackager layout, so stray bits still decode.
            fields[f] = dict(base[f])
            continue
        kind, n, name = CUP[fid]
        kw = {"name": name}
        if kind == "N":
            kw.update(type="n", enc="bcd", len=n)
        elif kind == "NLEFT":
            kw.update(type="n", enc="bcd", len=n, align="left")
        elif kind == "LLNUM":
            kw.update(type="n", enc="bcd", var="LL", prefix="bcd", max=n, align="left")
        elif kind == "LLLNUM":
            kw.update(type="n", enc="bcd", var="LLL", prefix="bcd", max=n, align="left")
        elif kind == "LLZ":
            kw.update(type="z", enc="bcd", var="LL", prefix="bcd", max=n, align="left")
        elif kind == "LLLZ":
            kw.update(type="z", enc="bcd", var="LLL", prefix="bcd", max=n, align="left")
        elif kind == "C":
            kw.update(type="ans" if fid in (41, 42) else "an", enc="ascii", len=n)
        elif kind == "LLC":
            kw.update(type="ans", enc="ascii", var="LL", prefix="bcd", max=n)
        elif kind == "LLLC":
            kw.update(type="ans", enc="ascii", var="LLL", prefix="bcd", max=n)
        elif kind == "B":
            kw.update(type="b", enc="binary", len=n)
        elif kind == "LLLB":
            kw.update(type="b", enc="binary", var="LLL", prefix="bcd", max=n)
        fields[f] = kw
    for f, k in (("2", "pan"), ("35", "track"), ("36", "track"), ("52", "pin"), ("23", "secret"), ("62", "key")):
        fields[f]["sensitive"] = k
    fields["3"]["subfields"] = {"kind": "positional", "parts": PROCESSING_CODE_PARTS}
    fields["22"]["subfields"] = {"kind": "positional", "parts": [
        {"id": "1", "name": "PAN entry mode", "len": 2, "values": {
            "01": "Manual (key entry)", "02": "Magnetic stripe", "05": "Contact chip", "07": "Contactless chip (qPBOC)",
            "91": "Contactless magnetic stripe", "95": "Chip, CVV unreliable", "96": "Fallback", "98": "Contactless"}},
        {"id": "2", "name": "PIN entry", "len": 1, "values": {
            "0": "Unspecified", "1": "PIN captured", "2": "No PIN"}},
    ]}
    fields["25"]["values"] = {"00": "Normal presentment", "06": "Pre-authorisation related"}
    fields["53"]["subfields"] = {"kind": "positional", "parts": [
        {"id": "1", "name": "PIN format", "len": 1, "values": {"1": "ANSI X9.8 without PAN", "2": "ANSI X9.8 with PAN"}},
        {"id": "2", "name": "Encryption method", "len": 1, "values": {"0": "Single DES", "6": "Double-length 3DES"}},
        {"id": "3", "name": "Track data encryption", "len": 1, "values": {"0": "Not encrypted", "1": "Encrypted with TDK"}},
        {"id": "4", "name": "Reserved", "len": 13},
    ]}
    fields["44"]["subfields"] = {"kind": "positional", "parts": [
        {"id": "1", "name": "Issuing institution id (发卡行标识码)", "len": 11},
        {"id": "2", "name": "Acquiring institution id (收单机构标识码)", "len": 11},
    ]}
    fields["55"]["subfields"] = {"kind": "tlv"}
    fields["60"]["subfields"] = {"kind": "positional", "parts": [
        {"id": "1", "name": "Transaction type code (交易类型码)", "len": 2, "values": CUP_60_1},
        {"id": "2", "name": "Batch number (批次号)", "len": 6},
        {"id": "3", "name": "Network management code (网络管理信息码)", "len": 3, "values": CUP_60_3},
        {"id": "4", "name": "Terminal read capability (终端读取能力)", "len": 1, "values": {
            "0": "Unspecified", "2": "Magnetic stripe", "5": "Contact IC", "6": "Contact and contactless IC"}},
        {"id": "5", "name": "IC condition code (IC卡条件代码)", "len": 1, "values": {
            "0": "Not applicable / follow-on", "1": "Good IC read", "2": "Fallback after a failed IC read"}},
        {"id": "6", "name": "Partial approval / balance flag (部分扣款标志)", "len": 1},
        {"id": "7", "name": "Account type (账户类型)", "len": 3},
        {"id": "8", "name": "Further data (profile-specific)"},
    ]}
    fields["61"]["subfields"] = {"kind": "positional", "parts": [
        {"id": "1", "name": "Original batch number (原批次号)", "len": 6},
        {"id": "2", "name": "Original POS trace number (原流水号)", "len": 6},
        {"id": "3", "name": "Original date MMDD (原交易日期)", "len": 4},
        {"id": "4", "name": "Original authorisation method (原授权方式)", "len": 2},
        {"id": "5", "name": "Original authorising institution (原授权机构)", "len": 11},
    ]}
    fields["63"]["subfields"] = {"kind": "positional", "parts": [
        {"id": "1", "name": "Card organisation / operator id (国际信用卡公司代码)", "len": 3, "values": {
            "CUP": "China UnionPay", "VIS": "Visa", "MCC": "Mastercard", "MAE": "Maestro", "AMX": "American Express",
            "JCB": "JCB", "DCC": "Diners Club"}},
        {"id": "2", "name": "Custom data (自定义域)"},
    ]}
    return {
        "name": "cup",
        "description": "China UnionPay POS 8583: 2-byte length, TPDU, 6-byte header, BCD MTI, binary bitmap, CUP field rules (cup-pos-8583.md)",
        "dialect": "cup",
        "framing": {
            "length": "len2",
            "tpdu": True,
            "header": 6,
            "header_parts": [
                {"name": "Application category (应用类别)", "nibbles": 2, "values": {
                    "60": "Magnetic stripe financial payment", "61": "IC card financial payment",
                    "62": "Magnetic stripe value-added", "63": "IC card value-added"}},
                {"name": "Software version (软件总版本号)", "nibbles": 2, "values": {
                    "31": "UnionPay unified POS specification", "22": "Older direct-connect POS specification",
                    "32": "Older direct-connect POS specification"}},
                {"name": "Terminal status (终端状态)", "nibbles": 1, "values": {"0": "Normal", "1": "Test"}},
                {"name": "Processing requirement (处理要求)", "nibbles": 1, "values": {
                    "0": "None", "1": "Download terminal magstripe parameters", "2": "Upload terminal status",
                    "3": "Re-sign-on", "4": "Update CA public keys", "5": "Download IC parameters",
                    "6": "TMS parameter download", "7": "Card BIN blacklist download", "8": "Currency or fee rate download"}},
                {"name": "Software sub-version (软件分版本号)", "nibbles": 6},
            ],
        },
        "mti": {"enc": "bcd"},
        "bitmap": {"enc": "binary"},
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
    write(with_iso_subfields(iso87ascii(False), tlv55=False))
    write(with_iso_subfields(iso87ascii(True), tlv55=True))
    write(with_iso_subfields(iso87binary(), tlv55=False))
    write(with_iso_subfields(iso93ascii(), tlv55=True))
    write(cup())
