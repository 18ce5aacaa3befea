#!/usr/bin/env bash
# Regenerates the screenshots of docs/reports/*.md (docs/img/*.png): the HTML page of each main
# report on the demo database, photographed by headless Chromium.
#
#   scripts/docs-screenshots.sh [SOQUY_BINARY]     (default: build/cli/soquy, then soquy on PATH)
#
# Needs Chromium (Debian: apt-get install chromium; not installed by scripts/bootstrap, CI does
# not need it) and python3. Without Chromium it says so and exits 0 having changed nothing.
# Builds the demo database in a temporary directory (a minute in a debug build). The window size
# crops each picture; each PNG should stay under 150 KB (the script warns when one does not).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
soquy="${1:-}"
if [[ -z "$soquy" ]]; then
  if [[ -x "$here/build/cli/soquy" ]]; then soquy="$here/build/cli/soquy"; else soquy="$(command -v soquy || true)"; fi
fi
[[ -n "$soquy" && -x "$soquy" ]] || { echo "docs-screenshots: no soquy binary (give its path)" >&2; exit 2; }
soquy="$(cd "$(dirname "$soquy")" && pwd)/$(basename "$soquy")"

chromium="${SOQUY_CHROMIUM:-}"
for name in chromium chromium-browser google-chrome; do
  [[ -n "$chromium" ]] && break
  chromium="$(command -v "$name" || true)"
done
if [[ -z "$chromium" ]]; then
  echo "docs-screenshots: Chromium is not installed (apt-get install chromium); the screenshots in docs/img are left as they are"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
img="$here/docs/img"
mkdir -p "$img"
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_NOW=2026-11-28T09:00:00Z
unset SOQUY_USER
cd "$work"
echo "building the demo database…"
"$soquy" --db demo.db demo > demo.log

sq() { "$soquy" --db "$work/demo.db" "$@"; }

# shot NAME WIDTH HEIGHT: docs/img/NAME.png of $work/NAME.html, cropped to the window.
shot() {
  local name="$1" width="$2" height="$3"
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
    --force-device-scale-factor=1 --window-size="$width,$height" --screenshot="$img/$name.png" \
    "file://$work/$name.html" > "$work/chromium.log" 2>&1 || { cat "$work/chromium.log" >&2; exit 1; }
  local size
  size=$(stat -c %s "$img/$name.png")
  echo "docs/img/$name.png: ${width}x${height}, $size bytes"
  if (( size > 150000 )); then echo "  warning: over 150 KB: make the window smaller" >&2; fi
}

# The charts of a page on a page of their own (the picture of a long report would not reach them).
charts_only() {
  python3 - "$1" "$2" <<'EOF'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
head = page[:page.index("<body>") + len("<body>")]
figures, i = [], 0
while page.find("<figure>", i) >= 0:
    a = page.find("<figure>", i)
    b = page.index("</figure>", a) + len("</figure>")
    figures.append(page[a:b])
    i = b
open(sys.argv[2], "w", encoding="utf-8").write(head + "\n".join(figures) + "\n</body>\n</html>\n")
EOF
}

sq report overdue --as-of 2026-11-28 --by unit --compare-to 2025-11-28 --trend 12 --out overdue.html
shot overdue 820 1000
charts_only overdue.html overdue-charts.html
shot overdue-charts 820 1000
sq trial-balance --as-of 2026-11-28 --out trial-balance.html
shot trial-balance 820 1000
sq collection-sheet --group TD-CT-SL --date 2026-11-20 --out collection-sheet.html
shot collection-sheet 1000 900
sq vbsp form-15td --group 0841103 --as-of 2026-10-31 --out vbsp-15td.html
shot vbsp-15td 1000 900
sq report vbsp-overdue --as-of 2026-10-31 --by commune --out vbsp-overdue.html
shot vbsp-overdue 820 600
# The demo has no dues: on this throwaway copy, a rate from 09/2026, three periods billed and a
# few members paid up.
sq dues rate --amount 2000 --from 2026-09 > /dev/null
sq dues split --from 2026-09 branch=50% commune=30% province=20% > /dev/null
for period in 2026-09 2026-10 2026-11; do sq dues bill --period "$period" > /dev/null; done
for n in $(seq 1 7 400); do
  sq dues pay "$(printf 'HV%04d' "$n")" --amount 6000 --date 2026-11-20 --id "dues-$n" > /dev/null 2>&1 || true
done
sq report dues-arrears --as-of 2026-11-28 --out dues-arrears.html
shot dues-arrears 820 900
# The other reports and printable forms (docs/reports/*.md). The VBSP minutes and reconciliation
# exit 1 on the demo (its statement of 2026-10-31 has planted differences): that is their answer.
sq_diff() { sq "$@" || [[ $? -eq 1 ]]; }
sq balance --book fund --as-of 2026-11-27 --out balance.html
shot balance 820 640
sq register 4231 --member HV1304 --from 2026-01-01 --as-of 2026-11-27 --out passbook.html
shot passbook 1000 700
sq vbsp form-13td --group 0841103 --date 2026-10-20 --out vbsp-13td.html
shot vbsp-13td 1000 900
sq_diff vbsp minutes --group 0841103 --as-of 2026-10-31 --out vbsp-minutes.html
shot vbsp-minutes 1000 760
sq_diff vbsp reconcile --as-of 2026-10-31 --out vbsp-reconcile.html
shot vbsp-reconcile 1100 520
sq report vbsp-grades --month 2026-10 --out vbsp-grades.html
shot vbsp-grades 1100 760
sq report members --by unit --as-of 2026-11-28 --out members.html
shot members 700 900
sq rosca book HUI-CN-KH --as-of 2026-11-28 --out rosca-book.html
shot rosca-book 1100 900
sq rosca receipt HUI-CN-KH --receipt PT-HUI-CN-KH-0001 --out rosca-receipt.html
shot rosca-receipt 900 620
sq rosca statement HUI-CN-KH --member HV1331 --as-of 2026-11-28 --out rosca-statement.html
shot rosca-statement 1000 800
sq savings status TK-CL-AT --as-of 2026-06-05 --out savings-status.html
shot savings-status 1000 800
# The demo has no entrustment contract: on this throwaway copy, one for Kim Sơn with a rate.
sq vbsp contract add HD-KS-2025 --unit TC-KS --signed 2025-11-01 > /dev/null
sq vbsp fee-rate add --contract HD-KS-2025 --from 2025-11-01 --fee 8% --commission 7.5% > /dev/null
sq vbsp fees --month 2026-10 --out vbsp-fees.html
shot vbsp-fees 1100 800
# The demo records everything at one instant: a correction recorded two days later, for the log.
SOQUY_NOW=2026-11-30T08:15:00Z sq post --book fund --date 2026-11-30 --memo "Chi mua sổ sách" --id docs-1 8511=350000 1011=-350000 > /dev/null
SOQUY_NOW=2026-11-30T08:40:00Z sq reverse docs-1 --date 2026-11-30 --id docs-1-rev > /dev/null
SOQUY_NOW=2026-11-30T08:41:00Z sq post --book fund --date 2026-11-30 --memo "Chi mua sổ sách (sửa)" --id docs-2 8511=530000 1011=-530000 > /dev/null
sq audit log --from 2026-11-30 --to 2026-11-30 --out audit-log.html
shot audit-log 1100 360
echo "done: docs/img/*.png"
