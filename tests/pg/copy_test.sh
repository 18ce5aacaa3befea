#!/usr/bin/env bash
# `soquy copy` (issue 14): the demo database (loans, savings groups, hụi, VBSP, dues: every
# pillar) copied to a PostgreSQL server and back to a file.
#  - the server passes every check, and its reports are those of the file;
#  - the file copied back holds every table's rows exactly as the original (change log aside,
#    which is each database's own) and passes every check;
#  - a second copy writes nothing; rows the source gained since are added (and a day's balance
#    rows follow the source's);
#  - a destination holding a row the source lacks is refused (65), nothing written (a unit the
#    source gained, copied before the refusal, is not left behind);
#  - usage errors: the same database twice (2), a missing source (66, no file made).
#
#   copy_test.sh SOQUY_BINARY        (needs SOQUY_TEST_PG_URI; exit 77 without it)
set -u
SOQUY=$(realpath "$1")
source "$(dirname "$0")/pg_common.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soquy-pg-copy.XXXXXX")
trap 'drop_pg_db; rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_NOW=2026-11-28T09:00:00Z SOQUY_LANG=vi
unset SOQUY_USER SOQUY_DB
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ADMIN_URI=$(uri_for "$PG_DB" admin)  # the demo's admin; the copy makes her login
q() { psql -Atq "$PG_URI" -c "$1"; }
# Every table's rows of two SQLite files, change_log aside: equal or the first difference.
same_tables() {
  python3 - "$1" "$2" <<'EOF'
import sqlite3, sys
a, b = (sqlite3.connect(p) for p in sys.argv[1:3])
names = [r[0] for r in a.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
for t in names:
    if t == 'change_log':
        continue
    ra = a.execute(f'SELECT * FROM "{t}" ORDER BY 1, 2').fetchall()
    rb = b.execute(f'SELECT * FROM "{t}" ORDER BY 1, 2').fetchall()
    if ra != rb:
        print(f"{t}: {len(ra)} rows against {len(rb)}; first difference {next((x, y) for x, y in zip(ra + [None], rb + [None]) if x != y)}")
        sys.exit(1)
print(len(names), "tables")
EOF
}

"$SOQUY" --db src.db demo >demo.out 2>&1 || fail "demo: $(tail -5 demo.out)"

# --- to the server ---------------------------------------------------------------------------------
"$SOQUY" copy --from src.db --to "$PG_URI" >out 2>&1 || fail "copy to the server: $(cat out)"
grep -q "^Đã chép [0-9]* dòng của 50 bảng từ src.db" out || fail "copy's summary: $(cat out)"
[[ $(q "SELECT count(*) FROM entries") == $(python3 -c "import sqlite3; print(sqlite3.connect('src.db').execute('SELECT count(*) FROM entries').fetchone()[0])") ]] ||
  fail "the server holds every entry"
"$SOQUY" --db "$ADMIN_URI" check >check.out 2>&1 || fail "check on the server: $(cat check.out)"
for c in records.changes loans.principal savings.members rosca.book vbsp.memo; do
  grep -q "^$c  *OK" check.out || fail "check on the server ran $c: $(cat check.out)"
done
# The same reports from the file and from the server.
reports() {
  local db=$1
  "$SOQUY" --db "$db" trial-balance --as-of 2026-11-28 --format json
  "$SOQUY" --db "$db" balance --book entrust --as-of 2026-11-28
  "$SOQUY" --db "$db" report overdue --as-of 2026-11-28 --format json
  "$SOQUY" --db "$db" member list --format csv
  "$SOQUY" --db "$db" loan list --format csv
  "$SOQUY" --db "$db" audit log --format csv
}
SOQUY_USER=admin reports src.db >file.reports 2>&1
reports "$ADMIN_URI" >server.reports 2>&1
diff file.reports server.reports >diff.out || fail "reports differ between the file and the server: $(head -20 diff.out)"
[[ $(wc -l <server.reports) -gt 1000 ]] || fail "the reports printed little: $(head -5 server.reports)"

# --- again: nothing new ------------------------------------------------------------------------------
log_rows=$(q "SELECT count(*) FROM change_log")
"$SOQUY" copy --from src.db --to "$PG_URI" >out 2>&1 || fail "second copy: $(cat out)"
grep -q "^Không có gì mới để chép" out || fail "second copy writes nothing: $(cat out)"
[[ $(q "SELECT count(*) FROM change_log") == "$log_rows" ]] || fail "second copy logged changes"

# --- back to a file ----------------------------------------------------------------------------------
"$SOQUY" copy --from "$PG_URI" --to back.db >out 2>&1 || fail "copy back: $(cat out)"
same_tables src.db back.db >same.out || fail "the file copied back differs: $(cat same.out)"
SOQUY_USER=admin "$SOQUY" --db back.db check >out 2>&1 || fail "check of the file copied back: $(cat out)"

# --- the source gains rows: only they are copied -------------------------------------------------------
# Dated on the demo's last day: that day's balance rows change (derived, they follow the source).
SOQUY_USER=admin "$SOQUY" --db src.db post --book fund --date 2026-11-27 \
  --memo "Nhận vốn bổ sung" --id copy-1 1011=150000 6011=-150000 >out 2>&1 || fail "post: $(cat out)"
"$SOQUY" copy --from src.db --to "$PG_URI" >out 2>&1 || fail "copy of what was gained: $(cat out)"
grep -q "^Đã chép [1-9][0-9]* dòng .* ([1-9][0-9]* dòng đã có sẵn)" out || fail "only the new rows: $(cat out)"
[[ $(q "SELECT count(*) FROM entries WHERE client_id = 'copy-1'") == 1 ]] || fail "the new entry is on the server"
"$SOQUY" --db "$ADMIN_URI" check --only journal.balances >out 2>&1 || fail "balances after the second copy: $(cat out)"

# --- a destination that holds a row the source lacks: refused, nothing written ------------------------
"$SOQUY" --db "$ADMIN_URI" post --book fund --date 2026-11-28 --memo "Chỉ trên máy chủ" 1011=1000 6011=-1000 \
  >out 2>&1 || fail "post on the server: $(cat out)"
SOQUY_USER=admin "$SOQUY" --db src.db unit add XM --name "Xã Mới" --kind commune --parent TV --from 2026-12-01 \
  >out 2>&1 || SOQUY_USER=admin "$SOQUY" --db src.db unit add XM --name "Xã Mới" --kind province --from 2026-12-01 \
  >out 2>&1 || fail "unit add: $(cat out)"
before=$(q "SELECT (SELECT count(*) FROM units) || '/' || (SELECT count(*) FROM entries) || '/' || (SELECT count(*) FROM change_log)")
"$SOQUY" copy --from src.db --to "$PG_URI" >out 2>&1
rc=$?
[[ $rc -eq 65 ]] || fail "copy onto a diverged server exits 65, not $rc: $(cat out)"
grep -q "^soquy: --to: bảng [a-z_]*, dòng " out || fail "the refusal names --to, the table and the row: $(cat out)"
[[ $(q "SELECT (SELECT count(*) FROM units) || '/' || (SELECT count(*) FROM entries) || '/' || (SELECT count(*) FROM change_log)") == "$before" ]] ||
  fail "a refused copy wrote something"

# --- usage ---------------------------------------------------------------------------------------------
"$SOQUY" copy --from src.db --to src.db >out 2>&1
[[ $? -eq 2 ]] || fail "the same database twice exits 2: $(cat out)"
"$SOQUY" copy --from missing.db --to new.db >out 2>&1
rc=$?
[[ $rc -eq 66 ]] || fail "a missing source exits 66, not $rc: $(cat out)"
[[ ! -e new.db ]] || fail "a failed copy left new.db"

if [[ $failures -gt 0 ]]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "OK"
