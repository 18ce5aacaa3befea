#!/usr/bin/env python3
"""Exports, end to end: real reports written with --out as xlsx, html and csv, opened by readers
that know nothing of soquy's code and compared with the JSON of the same report.

    exports_test.py SOQUY_BINARY [XLSX2CSV]

- xlsx: read by tests/cli/xlsx_read.py (python3 zipfile + xml, from ECMA-376) and, when given or
  on PATH, by Debian's xlsx2csv. Amounts must be numbers with a number format (so SUM works),
  counts numbers, dates dates, text strings (never formulas), totals values; frozen header,
  autofilter, title and author, the fixed creation date; the overdue workbook byte for byte equal
  to fixtures/exports/overdue.xlsx, and fixtures/exports/render_sample.xlsx (the unit tests' golden
  workbook) holding exactly the cells written out by hand below.
- csv: RFC 4180 with CRLF, read back by python3's csv module; the BOM only with --bom; memo text
  starting with = + - @ guarded by a leading ', negative amounts untouched.
- html: parsed by python3's XML parser (well-formed) and html.parser; nothing fetched from
  elsewhere; the cells in Vietnamese form (1.234.567, dd/mm/yyyy) and with --lang en in English
  form, formatted here independently of soquy.
- error paths: an unknown extension, --lang fr, an amount beyond 2^53 in xlsx: each exits with its
  code and leaves no file behind.

Figures worked out by hand are in the comments next to the commands. Exits 0 when every check
passes, 1 otherwise (printing each failure).
"""
import csv
import datetime
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import xlsx_read  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(HERE)), "fixtures")
SOQUY = os.path.realpath(sys.argv[1])
XLSX2CSV = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else shutil.which("xlsx2csv")

failures = []
checks = 0


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def expect(cond, msg):
    global checks
    checks += 1
    if not cond:
        fail(msg)


def eq(actual, expected, what):
    global checks
    checks += 1
    if actual != expected:
        fail("%s: got %r, expected %r" % (what, actual, expected))


ENV = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8", SOQUY_NOW="2026-11-28T09:00:00Z", SOQUY_DB="soquy.db")
ENV["SOQUY_USER"] = "admin"  # the demo file has several users: say who acts
ENV.pop("SOQUY_LANG", None)  # messages in Vietnamese, the default


def run(*args, ok=True):
    p = subprocess.run([SOQUY, *args], env=ENV, capture_output=True)
    if ok and p.returncode != 0:
        print("setup failed: soquy %s\n%s%s" % (" ".join(args), p.stdout.decode(), p.stderr.decode()))
        sys.exit(1)
    return p


def vi_money(minor):  # 1234567 -> "1.234.567", written here independently of soquy
    return "{:,}".format(int(minor)).replace(",", ".")


def en_money(minor):
    return "{:,}".format(int(minor))


def vi_date(iso):
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y")


def guarded(text):  # the CSV formula-injection guard, as the issue states it
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- readers ------------------------------------------------------------------------------------

def cell(sheet, ref):
    return sheet["cells"].get(ref)


def check_number(sheet, ref, value, fmt, what, bold=False):
    c = cell(sheet, ref)
    if c is None:
        fail("%s: %s is missing, expected the number %s" % (what, ref, value))
        return
    eq((c["type"], c["value"], c["format"], c["bold"]), ("number", value, fmt, bold), "%s %s" % (what, ref))


def check_string(sheet, ref, value, what, bold=None):
    c = cell(sheet, ref)
    if c is None:
        fail("%s: %s is missing, expected the text %r" % (what, ref, value))
        return
    eq((c["type"], c["value"]), ("string", value), "%s %s" % (what, ref))
    if bold is not None:
        eq(c["bold"], bold, "%s %s bold" % (what, ref))


def check_date(sheet, ref, iso, what, bold=False):
    c = cell(sheet, ref)
    if c is None:
        fail("%s: %s is missing, expected the date %s" % (what, ref, iso))
        return
    eq((c["type"], c["value"], c["format"], c["bold"]), ("date", iso, "dd/mm/yyyy", bold), "%s %s" % (what, ref))


def check_absent(sheet, ref, what):
    c = cell(sheet, ref)
    expect(c is None or c["type"] == "blank", "%s: %s should be empty, is %r" % (what, ref, c))


def no_formulas(book, what):
    for s in book["sheets"]:
        for ref, c in s["cells"].items():
            expect("formula" not in c, "%s: %s!%s is a formula %r" % (what, s["name"], ref, c.get("formula")))


class Page(HTMLParser):
    """Tags nest properly (HTML void elements aside); collects the rows of every table."""
    VOID = {"meta", "br", "rect", "img", "link", "input", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.tables, self.attrs = [], [], [], []
        self.section = None
        self.cell = None
        self.row = None
        self.headers = []

    def handle_starttag(self, tag, attrs):
        self.attrs.extend(attrs)
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if tag == "table":
            self.tables.append({"thead": [], "tbody": [], "tfoot": []})
        elif tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_startendtag(self, tag, attrs):
        self.attrs.extend(attrs)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append("</%s> closes %s" % (tag, self.stack[-1] if self.stack else "nothing"))
            return
        self.stack.pop()
        if tag in ("td", "th"):
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr":
            self.tables[-1][self.section].append(self.row)

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def read_html(path, what):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")  # raises on invalid UTF-8
    try:
        root = ET.fromstring(raw)  # the XML parser: well-formed or an exception
    except ET.ParseError as e:
        fail("%s: not well-formed XML: %s" % (what, e))
        root = None
    page = Page()
    page.feed(text)
    page.close()
    expect(not page.problems and not page.stack, "%s: tags do not nest: %s %s" % (what, page.problems, page.stack))
    # Self-contained: nothing that a browser would fetch.
    for name, value in page.attrs:
        expect(name not in ("src", "href", "srcset", "data"), "%s: %s=%r fetches something" % (what, name, value))
    for bad in ("<script", "<link", "<img", "<iframe", "url(", "@import"):
        expect(bad not in text, "%s: contains %s" % (what, bad))
    expect("@page { size: A4;" in text, "%s: no A4 print style" % what)
    return root, page, text


# ===== printable forms (docs/exports.md, "Printable forms") ===================================
def elem_text(e):
    return "".join(e.itertext()) if e is not None else None


def check_form(path, what, title, fields, roles, names, place_date, code=None):
    """The page is well-formed and self-contained (read_html), and carries the form's parts:
    the header block with the national motto (and the form's code), the title as the page heading,
    the fields (label -> value; a value None is only required to be there), the place-and-date
    line, one signature block per role with the hint and the name soquy knows ("" = blank)."""
    root, page, raw = read_html(path, what)
    if root is None:
        return None, page, raw
    head = root.find(".//header[@class='form-head']")
    expect(head is not None, what + ": no form header block")
    eq(elem_text(root.find(".//p[@class='form-motto']")), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", what + " motto")
    eq(elem_text(root.find(".//p[@class='form-motto-line']")), "Độc lập - Tự do - Hạnh phúc", what + " motto line")
    eq(elem_text(root.find(".//p[@class='form-code']")), code, what + " form code")
    eq(elem_text(root.find(".//h1[@class='form-title']")), title, what + " title")
    eq(elem_text(root.find(".//head/title")), title, what + " page title")
    got = {}
    for p_ in root.findall(".//div[@class='form-fields']/p"):
        label = elem_text(p_.find("span"))
        got[label[:-1] if label and label.endswith(":") else label] = elem_text(p_)[len(label) + 1:]
    for label, value in fields.items():
        expect(label in got, "%s: field %r missing (fields %r)" % (what, label, list(got)))
        if value is not None and label in got:
            eq(got[label], value, what + " field " + label)
    eq(elem_text(root.find(".//p[@class='form-date']")), place_date, what + " place and date")
    eq([elem_text(e) for e in root.findall(".//p[@class='form-role']")], roles, what + " signature roles")
    eq([elem_text(e) for e in root.findall(".//p[@class='form-hint']")], ["(Ký, ghi rõ họ tên)"] * len(roles),
       what + " signature hints")
    eq([elem_text(e) or "" for e in root.findall(".//p[@class='form-name']")], names, what + " signature names")
    # The header comes before the first table, the signatures after the last one.
    expect(raw.find("<header class=\"form-head\">") < raw.find("<table>") < raw.rfind("</table>")
           < raw.find("<div class=\"form-signatures\">"), what + ": header, tables, signatures out of order")
    return root, page, raw


def golden_setup(name, skip=("soquy init",)):
    """Runs the setup commands (and writes the @file inputs) of fixtures/golden/NAME.test."""
    lines = open(os.path.join(FIXTURES, "golden", name + ".test"), encoding="utf-8").read().split("\n")
    cmds, i = [], 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("@file "):
            body = []
            i += 1
            while lines[i] != "@end":
                body.append(lines[i] + "\n")
                i += 1
            with open(line[6:], "w", encoding="utf-8") as f:
                f.write("".join(body))
        elif line.startswith("$ "):
            cmds.append(line[2:])
        i += 1
    for c in cmds[:-1]:  # the last command is the case's own
        if c not in skip:
            args = shlex.split(c)
            run(*args[1:])


def xlsx2csv(path, sheet):
    """The sheet's rows as Debian's xlsx2csv reads them (dates asked for as ISO)."""
    p = subprocess.run([XLSX2CSV, "-s", str(sheet), "-f", "%Y-%m-%d", path],
                       capture_output=True)
    if p.returncode != 0:
        fail("xlsx2csv %s failed: %s" % (path, p.stderr.decode()))
        return []
    return list(csv.reader(io.StringIO(p.stdout.decode("utf-8"))))


# --- the ledger ---------------------------------------------------------------------------------

work = tempfile.mkdtemp(prefix="soquy-exports.")
os.chdir(work)
try:
    # The shared setup of the report golden cases (cmd_trial_balance.test), then three cash
    # movements whose memos look like formulas (the formula-injection cases) and one with a "-".
    run("init")
    run("post", "--book", "fund", "--date", "2026-01-15", "--memo", "Nhận vốn", "--id", "cap-001", "1011=5000000", "6011=-5000000")
    run("post", "--book", "fund", "--date", "2026-02-01", "--memo", "Gửi ngân hàng", "--id", "bank-001", "1121=2000000", "1011=-2000000")
    run("post", "--book", "fund", "--date", "2026-03-10", "--memo", "Giải ngân HV0001", "--id", "disb-001", "2111=1500000", "1011=-1500000")
    run("post", "--book", "fund", "--date", "2026-04-10", "--memo", "Thu nợ HV0001", "--id", "rep-001", "1011=530000", "2111=-500000", "7021=-10000", "4231=-20000")
    run("post", "--book", "entrust", "--date", "2026-05-15", "--memo", "NHCSXH giải ngân qua tổ TK&VV", "--id", "vbsp-001", "9121=30000000", "9999=-30000000")
    INJECTIONS = ['=HYPERLINK("x.invalid","bấm")', "+84 912 345 678", "@SUM(A1:A9)", "-giảm trừ, chi phí"]
    run("post", "--book", "fund", "--date", "2026-05-20", "--memo=" + INJECTIONS[0], "--id", "inj-1", "1121=100000", "1011=-100000")
    run("post", "--book", "fund", "--date", "2026-06-01", "--memo=" + INJECTIONS[1], "--id", "inj-2", "1011=250000", "1121=-250000")
    run("post", "--book", "fund", "--date", "2026-07-01", "--memo=" + INJECTIONS[2], "--id", "inj-3", "1121=1000", "1011=-1000")
    run("post", "--book", "fund", "--date", "2026-07-02", "--memo=" + INJECTIONS[3], "--id", "inj-4", "1121=2000", "1011=-2000")

    # ===== the register of cash 1011 from 01/02 ==================================================
    # By hand: opening 5.000.000; -2.000.000, -1.500.000, +530.000 (→ 2.030.000), then -100.000,
    # +250.000, -1.000, -2.000: closing 2.030.000 - 100.000 + 250.000 - 3.000 = 2.177.000.
    REG = ("register", "1011", "--from", "2026-02-01")
    reg = json.loads(run(*REG, "--format", "json").stdout)
    eq((reg["opening"], reg["closing"], len(reg["lines"])), ("5000000", "2177000", 7), "register JSON (by hand)")
    eq([l["memo"] for l in reg["lines"]][3:], INJECTIONS, "register JSON memos")
    title = "Sổ chi tiết TK 1011 Tiền mặt tại quỹ — sổ fund"
    labels = ["Ngày", "Số CT", "Mã", "Diễn giải", "Phát sinh", "Số dư"]

    # --- xlsx ---
    run(*REG, "--out", "reg.xlsx")
    book = xlsx_read.read("reg.xlsx")
    W = "register xlsx"
    eq(book["properties"], {"title": title, "creator": "soquy", "created": "2000-01-01T00:00:00Z"}, W + " properties")
    eq(len(book["sheets"]), 1, W + " sheets")
    s = book["sheets"][0]
    eq(s["name"], title[:31], W + " sheet name (Excel's 31 characters)")
    check_string(s, "A1", title, W, bold=True)
    for i, label in enumerate(labels):
        check_string(s, "ABCDEF"[i] + "2", label, W, bold=True)
    eq(s["freeze"], "A3", W + " frozen header")
    eq(sorted(s["widths"]), list("ABCDEF"), W + " every column has a width")
    # The memo column is sized to its longest memo (Excel's limit of 60 aside), wider than the id's.
    expect(int(s["widths"]["D"].split(".")[0]) > int(s["widths"]["C"].split(".")[0]), W + " memo wider than id")
    n = 1 + len(reg["lines"])  # the opening row, then one row per line
    eq(s["autofilter"], "A2:F%d" % (2 + n), W + " autofilter over header and data")
    # Row 3: the opening balance, no amount.
    check_date(s, "A3", reg["from"], W)
    check_string(s, "D3", "Số dư đầu kỳ", W)
    check_absent(s, "E3", W)
    check_number(s, "F3", int(reg["opening"]), "#,##0", W)
    for k, line in enumerate(reg["lines"]):
        r = 4 + k
        check_date(s, "A%d" % r, line["date"], W)
        check_number(s, "B%d" % r, line["entry"], "0", W)
        check_string(s, "C%d" % r, line["client_id"], W)
        check_string(s, "D%d" % r, line["memo"], W)  # exactly: a string cell is never a formula
        check_number(s, "E%d" % r, int(line["amount"]), "#,##0", W)
        check_number(s, "F%d" % r, int(line["balance"]), "#,##0", W)
    # Amounts are numbers, so SUM works: opening + the sum of E = the closing balance.
    amounts = [s["cells"]["E%d" % r]["value"] for r in range(4, 4 + len(reg["lines"]))
               if isinstance(s["cells"].get("E%d" % r, {}).get("value"), int)]
    eq(int(reg["opening"]) + sum(amounts), 2177000, W + " opening + SUM(amounts)")
    t = 3 + n  # the totals row: a value, bold
    check_date(s, "A%d" % t, reg["as_of"], W, bold=True)
    check_string(s, "D%d" % t, "Số dư cuối kỳ", W, bold=True)
    check_number(s, "F%d" % t, 2177000, "#,##0", W, bold=True)
    check_string(s, "A%d" % (t + 2), "Số dư dương là dư Nợ, âm là dư Có; bên thường của TK này: Nợ.", W)
    no_formulas(book, W)

    # The same cells through Debian's xlsx2csv.
    if XLSX2CSV:
        rows = xlsx2csv("reg.xlsx", 1)
        X = "register via xlsx2csv"
        eq(rows[0][0] if rows else None, title, X + " title")
        eq(rows[1] if len(rows) > 1 else None, labels, X + " labels")
        expect(len(rows) >= 3 + n, X + ": only %d rows" % len(rows))
        if len(rows) >= 3 + n:
            eq(rows[2], [reg["from"], "", "", "Số dư đầu kỳ", "", reg["opening"]], X + " opening row")
            for k, line in enumerate(reg["lines"]):
                eq(rows[3 + k], [line["date"], str(line["entry"]), line["client_id"], line["memo"], line["amount"],
                                 line["balance"]], X + " line %d" % line["entry"])
            eq(rows[2 + n], [reg["as_of"], "", "", "Số dư cuối kỳ", "", reg["closing"]], X + " totals row")
    else:
        print("SKIP: xlsx2csv not found (Debian package xlsx2csv): the second xlsx reader is not run")

    # xlsx to a pipe (not a terminal) is allowed and gives the same bytes.
    piped = run(*REG, "--format", "xlsx").stdout
    eq(piped == open("reg.xlsx", "rb").read(), True, "register xlsx on stdout equals --out reg.xlsx")

    # --- csv ---
    run(*REG, "--out", "reg.csv")
    run(*REG, "--out", "reg-bom.csv", "--bom")
    plain, marked = open("reg.csv", "rb").read(), open("reg-bom.csv", "rb").read()
    eq(plain[:3] == b"\xef\xbb\xbf", False, "reg.csv starts with a BOM without --bom")
    eq(marked, b"\xef\xbb\xbf" + plain, "reg-bom.csv is the BOM and then reg.csv")
    text = plain.decode("utf-8")
    eq(text.count("\r\n"), text.count("\n"), "reg.csv: every line ends in CRLF")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    eq(rows[0], ["date", "entry", "client_id", "memo", "amount", "balance"], "reg.csv header (column keys)")
    eq(rows[1], [reg["from"], "", "", "Số dư đầu kỳ", "", reg["opening"]], "reg.csv opening row")
    for k, line in enumerate(reg["lines"]):
        eq(rows[2 + k], [line["date"], str(line["entry"]), line["client_id"], guarded(line["memo"]), line["amount"],
                         line["balance"]], "reg.csv line %d" % line["entry"])
    eq(len(rows), 1 + n, "reg.csv rows (no totals or notes in CSV)")
    # By hand: the four injection memos, guarded; the negative amounts beside them are not.
    expect("2026-05-20,6,inj-1,\"'=HYPERLINK(\"\"x.invalid\"\",\"\"bấm\"\")\",-100000,1930000\r\n" in text,
           "reg.csv: the =HYPERLINK memo row, by hand")
    expect("2026-06-01,7,inj-2,'+84 912 345 678,250000,2180000\r\n" in text, "reg.csv: the + memo row, by hand")
    expect("2026-07-01,8,inj-3,'@SUM(A1:A9),-1000,2179000\r\n" in text, "reg.csv: the @ memo row, by hand")
    expect("2026-07-02,9,inj-4,\"'-giảm trừ, chi phí\",-2000,2177000\r\n" in text, "reg.csv: the - memo row, by hand")

    # --- html ---
    run(*REG, "--out", "reg.html")
    run(*REG, "--out", "reg-en.html", "--lang", "en")
    for path, lang in (("reg.html", "vi"), ("reg-en.html", "en")):
        H = "register " + path
        root, page, raw = read_html(path, H)
        if root is not None:
            eq(root.get("lang"), lang, H + " <html lang>")
        eq(len(page.tables), 1, H + " tables")
        tab = page.tables[0]
        money = vi_money if lang == "vi" else en_money
        eq(tab["thead"], [labels if lang == "vi" else ["Date", "Entry no.", "Id", "Memo", "Movement", "Balance"]], H + " header")
        body = tab["tbody"]
        opening_label = "Số dư đầu kỳ" if lang == "vi" else "Opening balance"
        eq(body[0] if body else None, [vi_date(reg["from"]), "", "", opening_label, "", money(reg["opening"])],
           H + " opening row")
        for k, line in enumerate(reg["lines"]):
            eq(body[1 + k] if len(body) > 1 + k else None,
               [vi_date(line["date"]), str(line["entry"]), line["client_id"], line["memo"], money(line["amount"]),
                money(line["balance"])], H + " line %d" % line["entry"])
        closing_label = "Số dư cuối kỳ" if lang == "vi" else "Closing balance"
        eq(tab["tfoot"], [[vi_date(reg["as_of"]), "", "", closing_label, "", money(reg["closing"])]], H + " totals")
        # By hand: 2.177.000 / 2,177,000; 28/11/2026.
        expect((">2.177.000<" if lang == "vi" else ">2,177,000<") in raw, H + ": the closing balance by hand")
        expect(">28/11/2026<" in raw, H + ": the as-of date by hand")

    # ===== the overdue report (the vector of ../shared/vectors/loans.md, as overdue_json.test) ====
    os.remove("soquy.db")
    run("init")
    run("unit", "add", "P", "--name", "Trà Vinh", "--kind", "province", "--from", "2020-01-01")
    run("unit", "add", "C1", "--name", "An Trường", "--kind", "commune", "--parent", "P", "--from", "2020-01-01")
    run("group", "add", "G1", "--name", "Tổ 1", "--kind", "credit", "--unit", "C1", "--from", "2020-01-01")
    run("member", "add", "M1", "--name", "Nguyễn Thị Hoa", "--national-id", "084185000001", "--unit", "C1", "--group", "G1", "--joined", "2020-01-01")
    run("member", "add", "M2", "--name", "Trần Thị Lan", "--national-id", "084185000002", "--unit", "C1", "--group", "G1", "--ethnicity", "Khmer", "--joined", "2020-01-01")
    run("fund", "deposit", "--amount", "100000000", "--date", "2025-12-01", "--id", "cap-1")
    run("product", "add", "A", "--method", "flat", "--rate", "1%/month", "--term", "12")
    run("loan", "disburse", "L1", "--member", "M1", "--product", "A", "--amount", "10000000", "--date", "2026-01-15", "--group", "G1")
    run("loan", "repay", "L1", "--amount", "933333", "--date", "2026-02-15", "--id", "R1")
    run("loan", "repay", "L1", "--amount", "500000", "--date", "2026-03-20", "--id", "R2")
    run("loan", "disburse", "L2", "--member", "M2", "--product", "A", "--amount", "5000000", "--date", "2026-01-15", "--group", "G1")
    for rid, d in (("R3", "2026-02-15"), ("R4", "2026-03-15"), ("R5", "2026-04-15")):
        run("loan", "repay", "L2", "--amount", "466667", "--date", d, "--id", rid)
    OD = ("report", "overdue", "--as-of", "2026-04-30")
    od = json.loads(run(*OD, "--format", "json").stdout)
    # By hand (overdue_json.test): L1 outstanding 8.766.667, overdue 1.266.666 + interest 100.000,
    # 46 days (31-60, G3, provision 1.753.333); total outstanding 12.516.666.
    eq([(l["loan"], l["days_past_due"], l["outstanding_principal"], l["overdue_principal"], l["overdue_interest"])
        for l in od["loans"]], [("L1", 46, "8766667", "1266666", "100000")], "overdue JSON loans (by hand)")
    eq(od["totals"]["outstanding_principal"], "12516666", "overdue JSON total (by hand)")

    run(*OD, "--out", "overdue.xlsx")
    book = xlsx_read.read("overdue.xlsx")
    W = "overdue xlsx"
    eq(len(book["sheets"]), 3, W + " sheets (loans, aging, classes)")
    eq(book["properties"]["created"], "2000-01-01T00:00:00Z", W + " created")
    no_formulas(book, W)
    loans, buckets, classes = book["sheets"]
    for s in book["sheets"]:
        eq(s["freeze"], "A3", W + " " + s["name"] + " frozen header")
    for k, l in enumerate(od["loans"]):
        r = 3 + k
        check_string(loans, "A%d" % r, l["loan"], W)
        check_string(loans, "B%d" % r, l["member"], W)
        check_number(loans, "D%d" % r, l["days_past_due"], "0", W)
        check_string(loans, "E%d" % r, l["bucket"], W)
        check_string(loans, "F%d" % r, l["class"], W)
        for col, key in (("G", "outstanding_principal"), ("H", "overdue_principal"), ("I", "overdue_interest")):
            check_number(loans, "%s%d" % (col, r), int(l[key]), "#,##0", W)
    t = 3 + len(od["loans"])
    check_string(loans, "A%d" % t, "Tổng cộng (1 khoản vay)", W, bold=True)
    check_number(loans, "G%d" % t, 8766667, "#,##0", W, bold=True)  # totals as values, by hand
    check_number(loans, "H%d" % t, 1266666, "#,##0", W, bold=True)
    check_number(loans, "I%d" % t, 100000, "#,##0", W, bold=True)
    eq(loans["autofilter"], "A2:I3", W + " loans autofilter")
    for k, b in enumerate(od["buckets"]):
        check_number(buckets, "B%d" % (3 + k), b["loans"], "0", W)
        check_number(buckets, "C%d" % (3 + k), int(b["outstanding_principal"]), "#,##0", W)
        check_number(buckets, "D%d" % (3 + k), int(b["overdue_principal"]), "#,##0", W)
    t = 3 + len(od["buckets"])
    check_number(buckets, "B%d" % t, od["totals"]["loans"], "0", W, bold=True)
    check_number(buckets, "C%d" % t, 12516666, "#,##0", W, bold=True)
    check_number(buckets, "D%d" % t, 1266666, "#,##0", W, bold=True)
    for k, c in enumerate(od["classes"]):
        check_string(classes, "A%d" % (3 + k), c["class"], W)
        check_number(classes, "D%d" % (3 + k), c["loans"], "0", W)
        check_number(classes, "E%d" % (3 + k), int(c["outstanding_principal"]), "#,##0", W)
        check_number(classes, "F%d" % (3 + k), int(c["provision"]), "#,##0", W)
        rate = cell(classes, "C%d" % (3 + k))
        expect(rate is not None and rate["type"] == "number" and rate["format"] == "0.00%",
               W + " provision rate C%d is a number shown as a percentage: %r" % (3 + k, rate))
    g3 = [k for k, c in enumerate(od["classes"]) if c["class"] == "G3"]
    if g3:
        check_number(classes, "F%d" % (3 + g3[0]), 1753333, "#,##0", W)  # round(8.766.667 × 0.2), by hand
        eq(cell(classes, "C%d" % (3 + g3[0]))["value"], "0.2", W + " G3 provision rate")
    else:
        fail(W + ": no G3 class")

    golden = os.path.join(FIXTURES, "exports", "overdue.xlsx")
    golden_bytes = open(golden, "rb").read() if os.path.exists(golden) else b""
    if open("overdue.xlsx", "rb").read() != golden_bytes:
        kept = os.path.join(tempfile.gettempdir(), "overdue.actual.xlsx")
        shutil.copyfile("overdue.xlsx", kept)
        fail("overdue.xlsx differs from %s byte for byte (kept as %s)" % (golden, kept))

    run(*OD, "--out", "overdue.html")
    run(*OD, "--out", "overdue-en.html", "--lang", "en")
    for path, money in (("overdue.html", vi_money), ("overdue-en.html", en_money)):
        root, page, raw = read_html(path, "overdue " + path)
        eq(len(page.tables), 3, path + " tables")
        if len(page.tables) == 3:
            eq([row[0] for row in page.tables[0]["tbody"]], [l["loan"] for l in od["loans"]], path + " loans")
            eq(page.tables[0]["tbody"][0][6:], [money(8766667), money(1266666), money(100000)], path + " L1 amounts")
            eq(page.tables[1]["tfoot"][0][1:], [str(od["totals"]["loans"]), money(12516666), money(1266666)],
               path + " aging totals")

    # ===== printable forms on the fund's data ====================================================
    # The overdue report year on year (overdue_compare_json.test by hand: on 10/04 overdue 433.333
    # of 12.933.333, ratio 3,35 %; on 30/04 1.266.666 of 12.516.666, ratio 10,12 %: it grew).
    run("report", "overdue", "--as-of", "2026-04-30", "--by", "group", "--compare-to", "2026-04-10",
        "--out", "overdue-yoy.html")
    check_form("overdue-yoy.html", "overdue --compare-to html", "BÁO CÁO NỢ QUÁ HẠN",
               {"Dư nợ": "12.516.666 đồng", "Nợ quá hạn": "1.266.666 đồng (tỷ lệ 10,12 %)",
                "Nợ quá hạn ngày 10/04/2026": "433.333 đồng (tỷ lệ 3,35 %)", "So sánh": "nợ quá hạn TĂNG"},
               ["Người lập biểu", "Kế toán", "Chủ tịch Hội"], ["", "", ""], "…………, ngày 30 tháng 04 năm 2026")
    # Without --compare-to the overdue report stays a plain report (the golden workbook above).
    expect("form-head" not in open("overdue.html", encoding="utf-8").read(), "overdue.html: no form without --compare-to")
    # The xlsx of the form: the table keeps rows 1-2, the form's lines come under the notes.
    run("report", "overdue", "--as-of", "2026-04-30", "--by", "group", "--compare-to", "2026-04-10",
        "--out", "overdue-yoy.xlsx")
    s0 = xlsx_read.read("overdue-yoy.xlsx")["sheets"][-1]
    texts = [c["value"] for ref, c in s0["cells"].items() if ref.startswith("A") and isinstance(c["value"], str)]
    for line in ("BÁO CÁO NỢ QUÁ HẠN", "So sánh: nợ quá hạn TĂNG", "…………, ngày 30 tháng 04 năm 2026",
                 "Chủ tịch Hội (Ký, ghi rõ họ tên): ……………………"):
        expect(line in texts, "overdue-yoy.xlsx: form line %r under the last table" % line)
    # The collection sheet of 15/04: L1 owes 933.333 this period + 433.333 in arrears = 1.366.666
    # (collection_sheet_table.test); the form's total is the JSON's.
    cs = json.loads(run("collection-sheet", "--group", "G1", "--date", "2026-04-15", "--format", "json").stdout)
    run("collection-sheet", "--group", "G1", "--date", "2026-04-15", "--out", "phieu-thu.html")
    root, page, raw = check_form(
        "phieu-thu.html", "collection-sheet html", "PHIẾU THU NỢ",
        {"Tổ": "G1 — Tổ 1", "Ngày họp": "15/04/2026", "Số khoản vay": str(len(cs["lines"])),
         "Tổng phải thu": vi_money(cs["totals"]["total"]) + " đồng"},
        ["Thủ quỹ", "Tổ trưởng"], ["", ""], "…………, ngày 15 tháng 04 năm 2026")
    if page.tables:
        l1 = [r for r in page.tables[0]["tbody"] if r[2] == "L1"]
        # Kỳ này, Nợ quá hạn, Tiết kiệm bắt buộc, TK còn thiếu (no savings product), Tổng phải thu.
        eq(l1[0][3:8] if l1 else None, ["933.333", "433.333", "0", "0", "1.366.666"],
           "collection-sheet html L1 (by hand)")
    # M1's passbook statement: register --member (her name, her group), the same figures as the
    # register's JSON; without --member no form.
    pb = json.loads(run("register", "2111", "--member", "M1", "--as-of", "2026-04-30", "--format", "json").stdout)
    run("register", "2111", "--member", "M1", "--as-of", "2026-04-30", "--out", "so-hv.html")
    check_form("so-hv.html", "register --member html", "SAO KÊ SỔ TÀI KHOẢN HỘI VIÊN",
               {"Hội viên": "Nguyễn Thị Hoa (M1)", "Tổ": "G1 — Tổ 1", "Tài khoản": None,
                "Số dư cuối kỳ": vi_money(pb["closing"]) + " đồng"},
               ["Hội viên", "Người lập biểu", "Kế toán"], ["Nguyễn Thị Hoa", "", ""],
               "…………, ngày 30 tháng 04 năm 2026")
    expect("form-head" not in open("reg.html", encoding="utf-8").read() if os.path.exists("reg.html") else True,
           "register without --member: no form")

    # ===== the unit tests' golden workbook, cell by cell (render_test.cc, export_report()) ========
    book = xlsx_read.read(os.path.join(FIXTURES, "exports", "render_sample.xlsx"))
    W = "render_sample.xlsx"
    eq(book["properties"], {"title": "Sổ quỹ (Cash book)", "creator": "soquy", "created": "2000-01-01T00:00:00Z"},
       W + " properties")
    eq([s["name"] for s in book["sheets"]], ["Sổ quỹ (Cash book)", "Tuổi nợ (Aging)"], W + " sheet names")
    no_formulas(book, W)
    s, a = book["sheets"]
    eq((s["freeze"], s["autofilter"], a["freeze"], a["autofilter"]), ("A3", "A2:E7", "A3", "A2:C6"), W + " header")
    check_string(s, "A1", "Sổ quỹ (Cash book)", W, bold=True)
    for ref, label in zip(("A2", "B2", "C2", "D2", "E2"), ("Ngày (Date)", "Số CT (Entry)", "Diễn giải (Memo)",
                                                         "Số tiền (Amount)", "Lãi suất (Rate)")):
        check_string(s, ref, label, W, bold=True)
    expected_rows = [  # the rate: the number the file holds, and its format (the places given)
        ("2026-01-05", 1, '=HYPERLINK("x.invalid","x")', -1500000, ("0.01", "0.0000")),
        ("2026-01-06", 2, "<b>Lê & Thị</b>", 1234567, ("0.0125", "0.0000")),
        ("2026-02-28", 3, "-giảm", 0, None),
        ("2026-12-31", 4, "@SUM(A1)", -20, ("-0.5", "0.0")),
    ]
    for k, (d, e, memo, amount, rate) in enumerate(expected_rows):
        r = 3 + k
        check_date(s, "A%d" % r, d, W)
        check_number(s, "B%d" % r, e, "0", W)
        check_string(s, "C%d" % r, memo, W)
        check_number(s, "D%d" % r, amount, "#,##0", W)
        if rate is None:
            check_absent(s, "E%d" % r, W)
        else:
            check_number(s, "E%d" % r, rate[0], rate[1], W)
    check_date(s, "A7", "2026-03-01", W)
    check_string(s, "C7", "+84 912", W)
    check_absent(s, "D7", W)
    check_string(s, "E7", "n/a", W)  # not a decimal: kept as text, not lost
    for ref in ("A8", "B8", "E8"):
        eq(cell(s, ref), {"type": "blank", "value": None, "format": "General", "bold": True}, W + " " + ref)
    check_string(s, "C8", "Tổng cộng (total)", W, bold=True)
    check_number(s, "D8", -265453, "#,##0", W, bold=True)  # -1.500.000 + 1.234.567 + 0 - 20
    check_absent(s, "A9", W)
    check_string(s, "A10", "Ghi chú (note)", W)
    eq(sorted(s["cells"]), sorted(["A1", "A2", "B2", "C2", "D2", "E2"] +
                                  ["%s%d" % (c, r) for r in range(3, 7) for c in "ABCD"] + ["E3", "E4", "E6"] +
                                  ["A7", "B7", "C7", "E7", "A8", "B8", "C8", "D8", "E8", "A10"]), W + " cells present")
    for k, (bucket, n_loans, amount) in enumerate((("current", 3, 500), ("1-30", 1, 250), ("31-60", 0, 0), (">360", 1, -5))):
        check_string(a, "A%d" % (3 + k), bucket, W)
        check_number(a, "B%d" % (3 + k), n_loans, "0", W)
        check_number(a, "C%d" % (3 + k), amount, "#,##0", W)
    check_string(a, "A7", "Cộng (total)", W, bold=True)
    check_number(a, "B7", 5, "0", W, bold=True)
    check_number(a, "C7", 745, "#,##0", W, bold=True)

    # A table without rows: the autofilter covers the header alone, not the totals row under it.
    run("register", "6011", "--as-of", "2025-01-01", "--out", "empty.xlsx")
    s = xlsx_read.read("empty.xlsx")["sheets"][0]
    eq((s["freeze"], s["autofilter"]), ("A3", "A2:F2"), "empty register xlsx header")
    check_date(s, "A3", "2025-01-01", "empty register xlsx", bold=True)
    check_number(s, "F3", 0, "#,##0", "empty register xlsx", bold=True)

    # ===== error paths: the code, the message, and no file left behind ==========================
    def refused(args, code, message, files):
        p = run(*args, ok=False)
        eq(p.returncode, code, "soquy %s: exit code" % " ".join(args))
        expect(message in p.stderr.decode(), "soquy %s: stderr %r lacks %r" % (" ".join(args), p.stderr.decode(), message))
        for f in files:
            expect(not os.path.exists(f), "soquy %s left %s behind" % (" ".join(args), f))

    refused(OD + ("--out", "overdue.pdf"), 2,
            "soquy: không biết định dạng của 'overdue.pdf' theo phần mở rộng: dùng .json, .csv, .txt, .xlsx hoặc .html",
            ["overdue.pdf", "overdue.pdf.part"])
    refused(OD + ("--out", "fr.html", "--lang", "fr"), 2, "--lang", ["fr.html", "fr.html.part"])
    # --format wins over the extension, known or not (docs/cli.md, rule 3).
    run(*OD, "--format", "csv", "--out", "overdue.log")
    eq(open("overdue.log", "rb").read(), run(*OD, "--format", "csv").stdout, "--format csv --out overdue.log")
    run(*OD, "--format", "html", "--out", "page.xlsx")
    eq(open("page.xlsx", "rb").read(), open("overdue.html", "rb").read(), "--format html --out page.xlsx")
    # 2^53 + 1 đồng cannot be a spreadsheet number: xlsx refuses (65), CSV writes it exactly.
    run("post", "--book", "fund", "--date", "2026-04-20", "--memo", "2^53 + 1", "--id", "big-1", "1011=9007199254740993",
        "6011=-9007199254740993")
    refused(("trial-balance", "--out", "tb.xlsx"), 65, "vượt quá ±2^53 (9007199254740992)", ["tb.xlsx", "tb.xlsx.part"])
    run("trial-balance", "--out", "tb.csv")
    tb = json.loads(run("trial-balance", "--format", "json").stdout)
    big = [a[side] for b in tb["books"] for a in b["accounts"] for side in ("debit", "credit")
           if int(a[side]) > 2 ** 53]
    expect(len(big) >= 2, "trial-balance JSON: amounts beyond 2^53 expected, got %r" % big)
    tb_rows = list(csv.reader(open("tb.csv", encoding="utf-8", newline="")))
    for v in big:
        expect(any(v in row for row in tb_rows), "tb.csv: %s written exactly" % v)
    # ===== printable forms: VBSP (13/TD, 15/TD, minutes) and the rotating group's book and receipt
    os.mkdir(os.path.join(work, "vbsp"))
    os.chdir(os.path.join(work, "vbsp"))
    run("init")
    golden_setup("vbsp_form_13td_json")
    # By hand (vbsp_form_13td_json.test): total collected 380.000 + 220.000 + 50.000 = 650.000.
    run("vbsp", "form-13td", "--group", "0841012", "--date", "2026-11-20", "--out", "13TD.html")
    vbsp_fields = {"Xã": "Long Đức (C1)", "Tổ TK&VV": "Tổ 1 Long Đức (0841012)", "Tổ trưởng": "Nguyễn Thị Hòa"}
    root, page, raw = check_form(
        "13TD.html", "vbsp form-13td html", "BẢNG KÊ THU LÃI, THU TIỀN GỬI TIẾT KIỆM",
        dict(vbsp_fields, **{"Ngày giao dịch": "20/11/2026", "Tổng số tiền thu": "650.000 đồng"}),
        ["Tổ trưởng", "Cán bộ NHCSXH", "Đại diện Hội LHPN xã"], ["Nguyễn Thị Hòa", "", ""],
        "Long Đức, ngày 20 tháng 11 năm 2026", code="Mẫu số 13/TD")
    if page.tables:
        eq(page.tables[0]["tfoot"], [["Tổng cộng", "", "", "300.000", "350.000", "90.000", "650.000", ""]],
           "13/TD html totals (by hand)")
    run("vbsp", "form-13td", "--group", "0841012", "--date", "2026-11-20", "--out", "13TD-en.html", "--lang", "en")
    root, page, raw = read_html("13TD-en.html", "vbsp form-13td html en")
    expect("(signature, full name)" in raw and "Độc lập - Tự do - Hạnh phúc" in raw, "13/TD en: hint in English, motto kept")
    # 15/TD and the minutes against a statement of 30/11 (the hstd.csv of vbsp_reconcile_json).
    golden_setup("vbsp_reconcile_json", skip=("soquy init", "soquy vbsp import-register register.csv --unit C1",
                                              "soquy vbsp import-transactions tx.csv",
                                              'soquy unit add P --name "Trà Vinh" --kind province --from 2020-01-01',
                                              'soquy unit add C1 --name "Long Đức" --kind commune --parent P --from 2020-01-01'))
    run("vbsp", "form-15td", "--group", "0841012", "--as-of", "2026-11-30", "--out", "15TD.html")
    f15 = json.loads(run("vbsp", "form-15td", "--group", "0841012", "--as-of", "2026-11-30", "--format", "json").stdout)
    root, page, raw = check_form(
        "15TD.html", "vbsp form-15td html", "BẢNG KÊ ĐỐI CHIẾU TIỀN VAY, TIỀN GỬI",
        dict(vbsp_fields, **{"Số món vay có chênh lệch": str(f15["loans_with_difference"])}),
        ["Tổ trưởng", "Cán bộ NHCSXH", "Đại diện Hội LHPN xã"], ["Nguyễn Thị Hòa", "", ""],
        "Long Đức, ngày 30 tháng 11 năm 2026", code="Mẫu số 15/TD")
    if page.tables:
        eq(page.tables[0]["tfoot"][0][2], vi_money(f15["totals"]["bank_principal"]), "15/TD html bank principal = JSON")
    p_ = run("vbsp", "minutes", "--group", "0841012", "--as-of", "2026-11-30", "--out", "bien-ban.html", ok=False)
    expect(p_.returncode in (0, 1), "vbsp minutes --out: exit %d" % p_.returncode)
    check_form("bien-ban.html", "vbsp minutes html", "BIÊN BẢN ĐỐI CHIẾU", vbsp_fields,
               ["Đại diện NHCSXH", "Đại diện Hội LHPN", "Tổ trưởng"], ["", "", "Nguyễn Thị Hòa"],
               "Long Đức, ngày 30 tháng 11 năm 2026")

    # The VBSP goal report year on year (vbsp_overdue_json.test by hand: 2.000.000 of 53.000.000,
    # ratio 3,77 %, against 3.000.000 of 30.000.000 on 31/12/2025, ratio 10,00 %: it did not grow).
    os.mkdir(os.path.join(work, "vbsp-overdue"))
    os.chdir(os.path.join(work, "vbsp-overdue"))
    run("init")
    golden_setup("vbsp_overdue_json")
    run("report", "vbsp-overdue", "--as-of", "2026-11-30", "--by", "programme", "--out", "nqh-nhcsxh.html")
    check_form("nqh-nhcsxh.html", "report vbsp-overdue html", "BÁO CÁO NỢ QUÁ HẠN VỐN ỦY THÁC",
               {"Dư nợ": "53.000.000 đồng", "Nợ quá hạn": "2.000.000 đồng (tỷ lệ 3,77 %)",
                "Nợ quá hạn ngày 31/12/2025": "3.000.000 đồng (tỷ lệ 10,00 %)", "So sánh": "nợ quá hạn không tăng"},
               ["Người lập biểu", "Chủ tịch Hội"], ["", ""], "…………, ngày 30 tháng 11 năm 2026")

    os.mkdir(os.path.join(work, "rosca"))
    os.chdir(os.path.join(work, "rosca"))
    run("init")
    golden_setup("rosca_receipt_json")
    # By hand (rosca_receipt_json.test): the payout PC-01 of round 1, 3 × 500.000 to HV004.
    run("rosca", "book", "L1", "--as-of", "2026-01-31", "--out", "so-day-ho.html")
    check_form("so-day-ho.html", "rosca book html", "SỔ THEO DÕI DÂY HỌ",
               {"Dây họ": "L1 (L1)", "Chủ họ": "Kim Thị Sóc (HV005)", "Số phần họ": "4",
                "Góp mỗi phần mỗi kỳ": "500.000 đồng", "Ngày bắt đầu": "05/01/2026"},
               ["Chủ họ"], ["Kim Thị Sóc"], "…………, ngày 31 tháng 01 năm 2026")
    for receipt, role, name, content, amount in (
            ("PT-01", "Người nộp tiền", "Nguyễn Thị Lan", "Nộp tiền góp họ", "500.000 đồng"),
            ("PC-01", "Người nhận tiền", "Trần Thị Mai", "Nhận tiền hốt họ kỳ 1", "1.500.000 đồng")):
        run("rosca", "receipt", "L1", "--receipt", receipt, "--out", receipt + ".html")
        root, page, raw = check_form(receipt + ".html", "rosca receipt " + receipt, "GIẤY BIÊN NHẬN",
                                     {"Nội dung": content, "Số tiền": amount}, [role, "Chủ họ"], [name, "Kim Thị Sóc"],
                                     "…………, ngày %s tháng 01 năm 2026" % ("06" if receipt == "PT-01" else "07"))
        if root is not None:
            eq(elem_text(root.find(".//p[@class='form-subtitle']")), "Số: " + receipt, receipt + " number")
    run("rosca", "receipt", "L1", "--receipt", "PC-01-A1", "--out", "A1.html")
    check_form("A1.html", "rosca receipt of an advance", "GIẤY BIÊN NHẬN",
               {"Thành viên": "Lê Thị Hoa (HV003)", "Số tiền": "500.000 đồng"}, ["Chủ họ"], ["Kim Thị Sóc"],
               "…………, ngày 07 tháng 01 năm 2026")
    # An unknown receipt: exit 65 and no file, not even FILE.part.
    p_ = run("rosca", "receipt", "L1", "--receipt", "PT-99", "--out", "x.html", ok=False)
    eq(p_.returncode, 65, "rosca receipt PT-99 exit")
    expect(not os.path.exists("x.html") and not os.path.exists("x.html.part"), "rosca receipt PT-99: no file left")
finally:
    os.chdir("/")
    shutil.rmtree(work, ignore_errors=True)

print("exports: %d checks, %d failed" % (checks, len(failures)))
sys.exit(1 if failures else 0)
