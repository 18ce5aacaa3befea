#!/usr/bin/env python3
"""An independent reader of .xlsx files, for tests: python3's zipfile and xml.etree only.

    python3 xlsx_read.py FILE.xlsx   →  JSON on stdout:
    {"properties": {"title", "creator", "created"},
     "sheets": [{"name", "freeze": "A3" | null, "autofilter": "A2:D9" | null,
                 "widths": {"A": "12.7109375", ...},
                 "cells": {"A1": {"type": "string" | "number" | "date" | "blank",
                                  "value": str | int | "0.0125" | "YYYY-MM-DD" | null,
                                  "format": "#,##0" | ..., "bold": bool}}}]}

Numbers are never turned into binary floating point: a whole number is a JSON integer, any other
number the decimal text (Decimal-normalised) of what the file holds. Also usable as a module:
read(path) returns the same dictionary.

It knows nothing of soquy's code: it reads the Office Open XML parts as ECMA-376 describes them
(workbook.xml → sheets and their relationships, sharedStrings.xml, styles.xml cellXfs/numFmts,
docProps/core.xml). Dates are numbers whose format shows days, months or years; they are turned
into ISO dates counting from 1899-12-30 (Excel's 1900 system, valid from 1900-03-01).
"""
import datetime
import decimal
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
BUILTIN_FORMATS = {0: "General", 1: "0", 3: "#,##0", 14: "mm-dd-yy"}


def text_of(si):
    return "".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))


def is_date_format(code):
    code = re.sub(r'"[^"]*"|\[[^\]]*\]', "", code)
    return any(ch in code.lower() for ch in "dy") or ("m" in code.lower() and "0" not in code)


def read(path):
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        shared = [text_of(si) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)]
    styles = ET.fromstring(z.read("xl/styles.xml"))
    numfmts = dict(BUILTIN_FORMATS)
    for nf in styles.findall("m:numFmts/m:numFmt", NS):
        numfmts[int(nf.get("numFmtId"))] = nf.get("formatCode")
    fonts = [f.find("m:b", NS) is not None for f in styles.findall("m:fonts/m:font", NS)]
    xfs = []
    for xf in styles.findall("m:cellXfs/m:xf", NS):
        xfs.append((numfmts.get(int(xf.get("numFmtId", "0")), "?"), fonts[int(xf.get("fontId", "0"))]))

    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).findall("rel:Relationship", NS)}
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    sheets = []
    for s in wb.findall("m:sheets/m:sheet", NS):
        target = rels[s.get("{%s}id" % NS["r"])]
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        ws = ET.fromstring(z.read(part))
        pane = ws.find("m:sheetViews/m:sheetView/m:pane", NS)
        af = ws.find("m:autoFilter", NS)
        widths = {}
        for col in ws.findall("m:cols/m:col", NS):
            for i in range(int(col.get("min")), int(col.get("max")) + 1):
                widths[column_name(i)] = col.get("width")  # the text, e.g. "12.7109375"
        cells = {}
        for c in ws.iter("{%s}c" % NS["m"]):
            fmt, bold = xfs[int(c.get("s", "0"))]
            t = c.get("t", "n")
            v = c.find("m:v", NS)
            if t == "s":
                cell = {"type": "string", "value": shared[int(v.text)]}
            elif t == "inlineStr":
                cell = {"type": "string", "value": text_of(c.find("m:is", NS))}
            elif t == "str":
                cell = {"type": "formula-string", "value": v.text if v is not None else None}
            elif v is None:
                cell = {"type": "blank", "value": None}
            else:
                num = decimal.Decimal(v.text)
                if is_date_format(fmt):
                    if num != num.to_integral_value():
                        raise ValueError("%s: a date with a time of day: %s" % (c.get("r"), v.text))
                    d = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(num))
                    cell = {"type": "date", "value": d.isoformat()}
                elif num == num.to_integral_value() and re.fullmatch(r"-?[0-9]+", v.text):
                    cell = {"type": "number", "value": int(v.text), "text": v.text}
                else:
                    cell = {"type": "number", "value": str(num), "text": v.text}
            if c.find("m:f", NS) is not None:
                cell["formula"] = c.find("m:f", NS).text
            cell["format"] = fmt
            cell["bold"] = bold
            cells[c.get("r")] = cell
        sheets.append({
            "name": s.get("name"),
            "freeze": pane.get("topLeftCell") if pane is not None and pane.get("state") == "frozen" else None,
            "autofilter": af.get("ref") if af is not None else None,
            "widths": widths,
            "cells": cells,
        })
    core = ET.fromstring(z.read("docProps/core.xml"))
    props = {
        "title": (core.findtext("dc:title", None, NS)),
        "creator": (core.findtext("dc:creator", None, NS)),
        "created": (core.findtext("dcterms:created", None, NS)),
    }
    return {"properties": props, "sheets": sheets}


def main(path):
    json.dump(read(path), sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


def column_name(i):
    name = ""
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


if __name__ == "__main__":
    main(sys.argv[1])
