#!/usr/bin/env python3
"""The overdue report's HTML printed to PDF by headless Chromium (issue 7, item 4).

    print_pdf_test.py SOQUY_BINARY

Only where Chromium is installed (`chromium`, `chromium-browser` or `google-chrome` on PATH, or
$SOQUY_CHROMIUM); otherwise it prints why and exits 77, which CTest reports as skipped. CI does not
install it (scripts/bootstrap leaves it out on purpose: a browser is 300 MB).

1. The overdue vector (fixtures/golden/overdue_json.test: two loans, one overdue). An A4 page has
   267 mm inside its 15 mm margins. The report: title 8 mm; the loans table (two-line header, one
   row, totals) 25 mm; four notes 16 mm; the buckets (heading, header, 7 rows, totals) 67 mm and
   their chart (196 px = 52 mm, caption) 57 mm; the classes (heading, header, 5 rows, totals)
   48 mm: about 220 mm, exactly 1 page. With `--trend 4` the trend table (heading, header, 4 rows,
   note) adds about 45 mm and its chart (250 px = 66 mm, caption) 72 mm: about 337 mm, 2 pages.
2. The demo database (`soquy demo`), `report overdue --as-of 2026-11-28`: the overdue loans table
   has R rows (counted in the HTML). A row is at least one line (10 pt type ≈ 4.1 mm, plus 2 mm of
   padding: 6 mm) and at most three (the narrow code columns wrap at hyphens: 3 × 4.1 + 2 ≈ 15 mm);
   the other tables, notes and the chart take 100 to 200 mm. So the page count lies between
   ceil((6·R + 100) / 267) and ceil((15·R + 200) / 267), and is more than one.
3. Every page of both is A4 portrait: MediaBox 595 × 842 points (210 × 297 mm), from the print
   CSS `@page { size: A4 }`.

Pages are counted in the PDF itself: the page objects (`/Type /Page`, not the `/Pages` tree), and
the count must equal the page tree's `/Count`.
"""
from decimal import Decimal
import os
import re
import shutil
import subprocess
import sys
import tempfile

SOQUY = os.path.realpath(sys.argv[1])
ENV = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8", SOQUY_NOW="2026-11-28T09:00:00Z", SOQUY_DB="soquy.db")
ENV["SOQUY_USER"] = "admin"

chromium = os.environ.get("SOQUY_CHROMIUM") or next(
    (p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
if not chromium:
    print("SKIP: Chromium is not installed (apt-get install chromium to run this test); nothing printed")
    sys.exit(77)

failures = []
passed = 0


def check(ok, msg):
    global passed
    print(("ok: " if ok else "FAIL: ") + msg)
    if ok:
        passed += 1
    else:
        failures.append(msg)


def run(*args, out=None):
    p = subprocess.run([SOQUY, *args], env=ENV, capture_output=True)
    if p.returncode != 0:
        print("setup failed: soquy %s\n%s%s" % (" ".join(args), p.stdout.decode(), p.stderr.decode()))
        sys.exit(1)
    if out:
        with open(out, "wb") as f:
            f.write(p.stdout)
    return p.stdout.decode()


def print_pdf(html, pdf, profile):
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
           "--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + html]
    p = subprocess.run(cmd, capture_output=True, timeout=180)
    if not os.path.exists(pdf) or os.path.getsize(pdf) == 0:
        print("chromium wrote no PDF (exit %d)\n%s" % (p.returncode, p.stderr.decode(errors="replace")[-2000:]))
        sys.exit(1)


def pdf_pages(pdf):
    data = open(pdf, "rb").read()
    pages = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))
    counts = [int(c) for c in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)] + \
             [int(c) for c in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    boxes = [tuple(round(Decimal(x.decode())) for x in m.split()) for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)]
    return pages, counts, boxes


def check_a4(name, pages, boxes):
    check(len(boxes) >= 1 and all(b == (0, 0, 595, 842) for b in boxes),
          "%s: every MediaBox is A4 portrait 595 x 842 pt (got %s)" % (name, sorted(set(boxes))))


work = tempfile.mkdtemp(prefix="soquy-pdf-")
profile = os.path.join(work, "profile")
try:
    os.chdir(work)
    # ---- 1. the overdue vector: one page ------------------------------------------------------
    for args in (["init"],
                 ["unit", "add", "P", "--name", "Trà Vinh", "--kind", "province", "--from", "2020-01-01"],
                 ["unit", "add", "C1", "--name", "An Trường", "--kind", "commune", "--parent", "P", "--from", "2020-01-01"],
                 ["group", "add", "G1", "--name", "Tổ 1", "--kind", "credit", "--unit", "C1", "--from", "2020-01-01"],
                 ["member", "add", "M1", "--name", "Nguyễn Thị Hoa", "--national-id", "084185000001", "--unit", "C1",
                  "--group", "G1", "--joined", "2020-01-01"],
                 ["member", "add", "M2", "--name", "Trần Thị Lan", "--national-id", "084185000002", "--unit", "C1",
                  "--group", "G1", "--joined", "2020-01-01"],
                 ["fund", "deposit", "--amount", "100000000", "--date", "2025-12-01", "--id", "cap-1"],
                 ["product", "add", "A", "--method", "flat", "--rate", "1%/month", "--term", "12"],
                 ["loan", "disburse", "L1", "--member", "M1", "--product", "A", "--amount", "10000000", "--date",
                  "2026-01-15", "--group", "G1"],
                 ["loan", "repay", "L1", "--amount", "933333", "--date", "2026-02-15", "--id", "R1"],
                 ["loan", "repay", "L1", "--amount", "500000", "--date", "2026-03-20", "--id", "R2"],
                 ["loan", "disburse", "L2", "--member", "M2", "--product", "A", "--amount", "5000000", "--date",
                  "2026-01-15", "--group", "G1"],
                 ["loan", "repay", "L2", "--amount", "466667", "--date", "2026-02-15", "--id", "R3"]):
        run(*args)
    for trend, want, charts in (([], 1, 1), (["--trend", "4"], 2, 2)):
        name = "small" + (" --trend 4" if trend else "")
        small = os.path.join(work, "small.html")
        run("report", "overdue", "--as-of", "2026-04-30", *trend, "--format", "html", out=small)
        html = open(small, encoding="utf-8").read()
        check(html.count("<svg") == charts, "%s: %d chart(s) in the page" % (name, charts))
        print_pdf(small, os.path.join(work, "small.pdf"), profile)
        pages, counts, boxes = pdf_pages(os.path.join(work, "small.pdf"))
        check(pages == want, "%s: the overdue vector prints on exactly %d page(s) (got %d)" % (name, want, pages))
        check(counts == [pages], "%s: the page tree's /Count equals the page objects (%s)" % (name, counts))
        check_a4(name, pages, boxes)
        os.remove(os.path.join(work, "small.pdf"))

    # ---- 2. the demo database: a page count from the row count --------------------------------
    os.remove("soquy.db")
    subprocess.run([SOQUY, "--db", "demo.db", "demo"], env=ENV, capture_output=True, check=True)
    demo = os.path.join(work, "demo.html")
    run("--db", "demo.db", "report", "overdue", "--as-of", "2026-11-28", "--format", "html", out=demo)
    html = open(demo, encoding="utf-8").read()
    first = html[html.index("<tbody>"):html.index("</tbody>")]
    rows = first.count("<tr>")
    low = -(-(6 * rows + 100) // 267)  # ceiling division in integers
    high = -(-(15 * rows + 200) // 267)
    print("demo: %d overdue loans in the first table: between %d and %d pages expected" % (rows, low, high))
    check(rows > 50, "demo: the overdue list is long enough to need several pages (%d rows)" % rows)
    print_pdf(demo, os.path.join(work, "demo.pdf"), profile)
    pages, counts, boxes = pdf_pages(os.path.join(work, "demo.pdf"))
    check(low <= pages <= high and pages > 1, "demo: %d pages, within [%d, %d]" % (pages, low, high))
    check(counts == [pages], "demo: the page tree's /Count equals the page objects (%s)" % counts)
    check(len(boxes) == pages, "demo: one MediaBox per page (%d for %d pages)" % (len(boxes), pages))
    check_a4("demo", pages, boxes)
finally:
    shutil.rmtree(work, ignore_errors=True)

print("%d passed, %d failed" % (passed, len(failures)))
sys.exit(1 if failures else 0)
