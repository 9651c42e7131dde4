#!/usr/bin/env python3
"""Write testdata/specs/jpos-*.xml: jPOS GenericPackager files (the documented <isopackager> /
<isofield id length name class pad> form) equivalent to posresp's built-in iso87ascii and
iso87binary specs, so that tests can check that importing them decodes like the built-ins."""
import json
from xml.sax.saxutils import quoteattr

def cls(f):
    t, enc, var, prefix = f["type"], f["enc"], f.get("var"), f.get("prefix")
    if t == "x+n":
        return "IFB_AMOUNT" if enc == "sign+bcd" else "IFA_AMOUNT"
    if enc == "hex":
        assert not var
        return "IFA_BINARY"
    if enc == "binary":
        return {None: "IFB_BINARY", "LL": "IFB_LLBINARY", "LLL": "IFB_LLLBINARY"}[var]
    if enc == "bcd":
        return {None: "IFB_NUMERIC", "LL": "IFB_LLNUM", "LLL": "IFB_LLLNUM"}[var]
    if enc == "ascii" and prefix == "bcd":
        return {"LL": "IFB_LLCHAR", "LLL": "IFB_LLLCHAR"}[var]
    if enc == "ascii":
        num = t == "n"
        return {None: "IFA_NUMERIC" if num else "IF_CHAR",
                "LL": "IFA_LLNUM" if num else "IFA_LLCHAR",
                "LLL": "IFA_LLLNUM" if num else "IFA_LLLCHAR"}[var]
    raise SystemExit(f"no jPOS class for {f}")

for name in ("iso87ascii", "iso87binary"):
    spec = json.load(open(f"specs/{name}.json"))
    binary = name == "iso87binary"
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
             '<!DOCTYPE isopackager SYSTEM "genericpackager.dtd">',
             f'<!-- Written by tools/gen_jpos_packager_fixture.py from specs/{name}.json -->',
             "<isopackager>",
             f'  <isofield id="0" length="4" name="MESSAGE TYPE INDICATOR" class="org.jpos.iso.{"IFB_NUMERIC" if binary else "IFA_NUMERIC"}"/>',
             f'  <isofield id="1" length="16" name="BIT MAP" class="org.jpos.iso.{"IFB_BITMAP" if binary else "IFA_BITMAP"}"/>']
    for fid in sorted(spec["fields"], key=int):
        f = spec["fields"][fid]
        if fid == "65":
            continue
        length = f.get("len", f.get("max"))
        pad = ""
        if f["enc"] == "bcd":
            pad = ' pad="true"' if f.get("align", "right") == "right" else ' pad="false"'
        lines.append(f'  <isofield id="{fid}" length="{length}" name={quoteattr(f["name"].upper())} class="org.jpos.iso.{cls(f)}"{pad}/>')
    lines.append("</isopackager>")
    open(f"testdata/specs/jpos-{name}.xml", "w").write("\n".join(lines) + "\n")
    print(f"wrote testdata/specs/jpos-{name}.xml")
