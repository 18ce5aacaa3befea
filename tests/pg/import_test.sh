#!/usr/bin/env bash
# `soquy import entries` on a PostgreSQL server, which posts a file's entries 1,000 at a time
# (one query for their client ids, one INSERT of the entries and one of their postings per
# batch; ledger/journal/internal/batching_store.h), against SQLite's one-at-a-time path: the same
# file (3,400 entries over three batches, two books, 1 to 3 postings a side, dates out of order,
# memos with quotes, backslashes and commas, client ids repeated in the file and already in the
# database) gives the same summary, the same journal (every column, hashes included), the same
# balances on several dates, and the journal checks pass. A file with problems is refused with
# the same list of problems (found in the file's order) and nothing written; a treasurer, whose
# reads do not see the other books' client ids, keeps the one-entry path.
#
#   import_test.sh SOQUY_BINARY        (needs SOQUY_TEST_PG_URI; exit 77 without it)
set -u
SOQUY=$(realpath "$1")
source "$(dirname "$0")/pg_common.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soquy-pg-import.XXXXXX")
trap '[[ -n "${KEEP:-}" ]] || drop_pg_db; rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_NOW=2026-11-28T09:00:00Z SOQUY_LANG=en
unset SOQUY_USER SOQUY_DB
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
LOGIN=$(psql -Atq "$PG_URI" -c "SELECT session_user")
TREAS=lan$RANDOM$$

# The file. Entry k (1..3300) posts to fund (or, every 7th, to entrust) on a date that jumps
# around two years; every 5th has three postings. Then 100 entries repeat earlier ones with the
# same content (some within the same batch of 1,000, some across batches): already there. So
# 3,405 entries, 3,300 client ids.
entry() {  # entry K: the rows of entry K
  local k=$1 d m
  d=$(printf '20%02d-%02d-%02d' $((25 + k % 2)) $((1 + (k * 7) % 12)) $((1 + (k * 13) % 28)))
  m="Nhập \"$k\", quỹ\\$((k % 3))"
  if ((k % 7 == 0)); then
    printf 'e-%d,%s,entrust,9121,%d,"%s"\n' "$k" "$d" $((k * 100)) "${m//\"/\"\"}"
    printf 'e-%d,%s,entrust,9999,-%d,\n' "$k" "$d" $((k * 100))
  elif ((k % 5 == 0)); then
    printf 'e-%d,%s,fund,1011,%d,"%s"\n' "$k" "$d" $((k + 500)) "${m//\"/\"\"}"
    printf 'e-%d,%s,fund,1121,%d,\n' "$k" "$d" $((2 * k))
    printf 'e-%d,%s,fund,6011,-%d,\n' "$k" "$d" $((3 * k + 500))
  else
    printf 'e-%d,%s,fund,1011,%d,"%s"\n' "$k" "$d" $((k + 1000)) "${m//\"/\"\"}"
    printf 'e-%d,%s,fund,6011,-%d,\n' "$k" "$d" $((k + 1000))
  fi
}
{
  echo "entry_id,date,book,account,amount,memo"
  for k in $(seq 1 3300); do
    entry "$k"
    ((k % 33 == 0)) && entry $((k - 16))   # an entry already in this file (mostly this batch)
  done
  for k in 5 999 1000 1001 2500; do entry "$k"; done  # across batches, at the end
} >entries.csv

# session DB: posts two of the file's entries first (their client ids are then in the database
# when the file comes), imports the file twice, and prints what must agree between the engines.
session() {
  local db=$1
  "$SOQUY" --db "$db" post --book fund --date 2026-08-14 --memo 'Nhập "1", quỹ\1' --id e-1 1011=1001 6011=-1001
  "$SOQUY" --db "$db" post --book fund --date 2025-09-09 --memo 'Nhập "1700", quỹ\2' --id e-1700 \
    1011=2200 1121=3400 6011=-5600
  "$SOQUY" --db "$db" import entries entries.csv
  "$SOQUY" --db "$db" import entries entries.csv
  for d in 2025-06-30 2025-12-31 2026-03-31 2026-12-31; do
    "$SOQUY" --db "$db" balance --book fund --as-of $d --format csv
    "$SOQUY" --db "$db" balance --book entrust --as-of $d --format csv
  done
  for c in journal.guards journal.chain journal.balanced journal.balances; do
    "$SOQUY" --db "$db" check --only $c --format json
  done
  "$SOQUY" --db "$db" export journal
}
# Every column of every entry and posting, hashes included, the same text from both engines.
ROWS_SQL="SELECT e.id, b.code, e.date, e.memo, coalesce(e.client_id, '-'), coalesce(e.reverses, 0), u.name,
  e.recorded_at, HASH, p.line, a.code, p.amount FROM entries e JOIN books b ON b.id = e.book_id
  JOIN users u ON u.id = e.user_id JOIN postings p ON p.entry_id = e.id JOIN accounts a ON a.id = p.account_id
  ORDER BY e.id, p.line"
BAL_SQL="SELECT a.code, s.date, s.balance FROM account_balances s JOIN accounts a ON a.id = s.account_id
  ORDER BY a.book_id, a.code, s.date"
"$SOQUY" --db s.db init --admin "$LOGIN" >/dev/null || fail "init on SQLite"
"$SOQUY" --db "$PG_URI" init >/dev/null || fail "init on the server"
session s.db >sqlite.out 2>&1
session "$PG_URI" >server.out 2>&1
diff sqlite.out server.out >diff.out || fail "SQLite and PostgreSQL differ: $(head -40 diff.out)"
grep -q "3298 entries posted, 107 already there" server.out ||
  fail "the first import posts 3,298 entries, finds 107 there: $(grep -m3 entries server.out)"
grep -q "0 entries posted, 3405 already there" server.out ||
  fail "the second import finds all 3,405 there: $(grep -m5 entries server.out)"
sqlite3 -separator '|' s.db "${ROWS_SQL/HASH/lower(hex(e.hash))}" >rows-sqlite.txt
hex="encode(e.hash, 'hex')"
psql -XAtq "$PG_URI" -c "${ROWS_SQL/HASH/$hex}" >rows-server.txt
[[ $(wc -l <rows-server.txt) -eq 7166 ]] || fail "3,300 entries have 7,166 postings: $(wc -l <rows-server.txt)"
cmp -s rows-sqlite.txt rows-server.txt || fail "the stored rows differ: $(diff rows-sqlite.txt rows-server.txt | head -10)"
sqlite3 -separator '|' s.db "$BAL_SQL" >bal-sqlite.txt
psql -XAtq "$PG_URI" -c "$BAL_SQL" >bal-server.txt
cmp -s bal-sqlite.txt bal-server.txt || fail "the stored day balances differ: $(diff bal-sqlite.txt bal-server.txt | head -10)"
[[ $(psql -Atq "$PG_URI" -c "SELECT count(*), max(id) FROM entries") == "3300|3300" ]] ||
  fail "3,300 entries, numbered without gaps: $(psql -Atq "$PG_URI" -c "SELECT count(*), max(id) FROM entries")"
"$SOQUY" --db "$PG_URI" check >check.out 2>&1 || fail "check on the server after the imports: $(head -20 check.out)"

# --- a file with problems: the same list on both engines, nothing written ----------------------
# e-3301 and e-3304 are new; e-12 comes back with other content (found when it is appended, one
# at a time: before the bad row below is read); e-3302 has a bad amount on a later row of the
# same batch; e-3303 does not balance.
{
  echo "entry_id,date,book,account,amount,memo"
  echo "e-3301,2026-06-01,fund,1011,5,new"
  echo "e-3301,2026-06-01,fund,6011,-5,"
  echo "e-12,2026-06-01,fund,1011,77,other content"
  echo "e-12,2026-06-01,fund,6011,-77,"
  echo "e-3304,2026-06-02,fund,1011,6,new"
  echo "e-3304,2026-06-02,fund,6011,-6,"
  echo "e-3302,2026-06-01,fund,1011,abc,bad"
  echo "e-3302,2026-06-01,fund,6011,-5,"
  echo "e-3303,2026-06-01,fund,1011,5,unbalanced"
  echo "e-3303,2026-06-01,fund,6011,-4,"
} >bad.csv
"$SOQUY" --db s.db import entries bad.csv >bad-sqlite.out 2>&1
rc_s=$?
"$SOQUY" --db "$PG_URI" import entries bad.csv >bad-server.out 2>&1
rc_p=$?
[[ $rc_s -eq 65 && $rc_p -eq 65 ]] || fail "a file with problems exits 65: SQLite $rc_s, server $rc_p"
diff bad-sqlite.out bad-server.out >diff.out || fail "the problems differ: $(cat diff.out)"
grep -q "e-12" bad-server.out || fail "the reused client id is reported: $(cat bad-server.out)"
grep -q "3 problem" bad-server.out || fail "three problems: $(cat bad-server.out)"
[[ $(psql -Atq "$PG_URI" -c "SELECT count(*) FROM entries") == 3300 ]] || fail "the refused file wrote entries"

# --- a treasurer: her reads see only her books, so her imports take the one-entry path ----------
"$SOQUY" --db "$PG_URI" user add "$TREAS" --role treasurer >/dev/null || fail "user add $TREAS"
psql -Atq -v ON_ERROR_STOP=1 "$PG_URI" >/dev/null <<SQL || fail "setting up a group book"
INSERT INTO books (code, name) VALUES ('group:H1', 'Hụi H1');
INSERT INTO accounts (book_id, code, name, type) SELECT id, '1011', 'Tiền mặt', 'asset' FROM books WHERE code = 'group:H1';
INSERT INTO accounts (book_id, code, name, type) SELECT id, '4111', 'Tiết kiệm', 'liability' FROM books WHERE code = 'group:H1';
INSERT INTO book_treasurers SELECT b.id, u.id, 1, 'x' FROM books b, users u WHERE b.code = 'group:H1' AND u.name = '$TREAS';
SQL
TRE_URI=$(uri_for "$PG_DB" "$TREAS")
{
  echo "entry_id,date,book,account,amount,memo"
  for k in 1 2 3; do echo "h-$k,2026-07-0$k,group:H1,1011,$k,góp"; echo "h-$k,2026-07-0$k,group:H1,4111,-$k,"; done
} >group.csv
"$SOQUY" --db "$TRE_URI" import entries group.csv >out 2>&1 || fail "the treasurer's import: $(cat out)"
grep -q "3 entries posted" out || fail "the treasurer's import posts 3 entries: $(cat out)"
# A client id of the fund book, which she cannot see: refused as on SQLite (65), not as an error
# of the server (74), and nothing written.
sed 's/h-3/e-2/' group.csv >clash.csv
"$SOQUY" --db "$TRE_URI" import entries clash.csv >out 2>&1
rc=$?
[[ $rc -eq 65 ]] || fail "a clash with a client id she cannot see exits 65, not $rc: $(cat out)"
grep -q "e-2" out || fail "the clash names the client id: $(cat out)"
[[ $(psql -Atq "$PG_URI" -c "SELECT count(*) FROM entries") == 3303 ]] || fail "the clashing file wrote entries"
"$SOQUY" --db "$PG_URI" check >check.out 2>&1 || fail "check at the end: $(head -20 check.out)"

[[ -n "${KEEP:-}" ]] && echo "kept $PG_DB"
if [[ $failures -gt 0 ]]; then echo "$failures failure(s)"; exit 1; fi
echo "ok"
