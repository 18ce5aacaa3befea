#!/usr/bin/env python3
"""The collection sheet soquy prints comes back as the treasurer has it.

    sheet_roundtrip_test.py SOQUY_BINARY

A fund officer prints the sheet to .xlsx (in Vietnamese or English), the treasurer types what
was received into "Thực thu" / "TK thực thu" ("Received" / "Savings received") at the meeting,
and the officer records the workbook as it is, or the CSV Excel saves from it (title line, every
printed column, the totals row, the notes and the signature block below the table; ';' with a
BOM and CRLF under Vietnamese regional settings). Each way must record the same receipt with the
same split, worked by hand: loan L0001, 10,000,000 at 1%/month flat over 12 months, instalment
933,333 = 833,333 principal + 100,000 interest.

Also: the unfilled workbook records nothing (exit 0, no receipt); a header with "Tiết kiệm bắt
buộc" (the savings DUE) but no savings-received column is refused (65), naming the column to add
— that column was once read as the savings received.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

SOQUY = os.path.realpath(sys.argv[1])
SETUP = [
    "init",
    "unit add TV --name 'Trà Vinh' --kind province --from 2020-01-01",
    "unit add AT --name 'An Trường' --kind commune --parent TV --from 2020-01-01",
    "group add TD1 --name 'Tổ tín dụng 1' --kind credit --unit AT --from 2020-01-01",
    "member add HV001 --name 'Thạch Thị Sa Rênh' --national-id 084179000004 --unit AT --group TD1 "
    "--joined 2020-06-15",
    "product add FLAT12 --method flat --rate 1%/month --term 12 --frequency monthly",
    "fund deposit --amount 100000000 --date 2026-01-05 --id VON-01",
    "loan disburse L0001 --member HV001 --product FLAT12 --amount 10000000 --date 2026-01-15 --group TD1",
]
failures = []


def soquy(db, args, lang="vi", expect=0):
    import shlex
    env = dict(os.environ, TZ="UTC", SOQUY_LANG=lang)
    env.pop("SOQUY_USER", None)
    p = subprocess.run([SOQUY, "--db", db] + (shlex.split(args) if isinstance(args, str) else args),
                       capture_output=True, text=True, env=env)
    if p.returncode != expect:
        failures.append(f"{args}: exit {p.returncode}, expected {expect}\n{p.stderr}")
    return p


def fill_xlsx(src, dst, amount):
    """Types `amount` into the Received column (J) of the first data row (3), as Excel would."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode("utf-8")
                row = re.search(r'<row r="3"[^>]*>.*?</row>', xml).group(0)
                filled = row.replace("</row>", f'<c r="J3"><v>{amount}</v></c><c r="K3"><v>0</v></c></row>')
                data = xml.replace(row, filled).encode("utf-8")
            zout.writestr(item, data)


def excel_csv(xlsx, path, amount):
    """The workbook saved by Excel as "CSV UTF-8" with ';': every row, the Received cell typed."""
    out = subprocess.run(["xlsx2csv", "-d", ";", xlsx], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    cells = lines[2].split(";")
    cells[9] = str(amount)
    lines[2] = ";".join(cells)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")


def receipts(p):
    try:
        return [(r["loan"], r["amount"], r["principal"], r["interest"]) for r in json.loads(p.stdout)["receipts"]]
    except (ValueError, KeyError) as e:
        failures.append(f"unreadable output ({e}): {p.stdout[:300]}")
        return None


def main():
    work = tempfile.mkdtemp(prefix="soquy-sheet-")
    try:
        base = os.path.join(work, "base.db")
        for cmd in SETUP:
            soquy(base, cmd)
        want = [("L0001", "933333", "833333", "100000")]
        record = "collection-sheet record --group TD1 --date 2026-02-15 --format json"
        for lang in ("vi", "en"):
            sheet = os.path.join(work, f"sheet-{lang}.xlsx")
            soquy(base, f"collection-sheet --group TD1 --date 2026-02-15 --out {sheet}", lang)
            db = os.path.join(work, f"blank-{lang}.db")
            shutil.copy(base, db)
            got = receipts(soquy(db, f"{record} {sheet}"))
            if got != []:
                failures.append(f"{lang}: the unfilled workbook recorded {got}")
            filled = os.path.join(work, f"filled-{lang}.xlsx")
            fill_xlsx(sheet, filled, 933333)
            csv = os.path.join(work, f"filled-{lang}.csv")
            excel_csv(sheet, csv, 933333)
            for name, path in (("xlsx", filled), ("csv", csv)):
                db = os.path.join(work, f"{name}-{lang}.db")
                shutil.copy(base, db)
                got = receipts(soquy(db, f"{record} {path}"))
                if got != want:
                    failures.append(f"{lang} {name}: recorded {got}, expected {want}")
                soquy(db, "check")
        bad = os.path.join(work, "due-only.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("Khoản vay,Thực thu,Tiết kiệm bắt buộc\nL0001,933333,50000\n")
        db = os.path.join(work, "bad.db")
        shutil.copy(base, db)
        p = soquy(db, f"{record} {bad}", expect=65)
        if "TK thực thu" not in p.stderr:
            failures.append(f"due-only header: the message does not name 'TK thực thu': {p.stderr}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    print(f"sheet_roundtrip: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
