#!/usr/bin/env bash
# The VBSP entrustment commands on a PostgreSQL server (issue 14): the same session on SQLite and
# on the server gives the same output — a register, transactions and statements imported (the
# files of the VBSP goldens), the reconciliation in text, json and csv, the overdue report, fees
# and commissions, a collection reversed, the vbsp.memo check — and `soquy check` passes on the
# server afterwards.
#
#   vbsp_test.sh SOQUY_BINARY        (needs SOQUY_TEST_PG_URI; exit 77 without it)
set -u
SOQUY=$(realpath "$1")
GOLDEN=$(realpath "$(dirname "$0")/../../fixtures/golden")
source "$(dirname "$0")/pg_common.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soquy-pg-vbsp.XXXXXX")
trap '[[ -n "${KEEP:-}" ]] || drop_pg_db; rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_NOW=2026-11-28T09:00:00Z SOQUY_LANG=vi
unset SOQUY_USER SOQUY_DB
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
LOGIN=$(psql -Atq "$PG_URI" -c "SELECT session_user")

# fixture TEST NAME: the @file NAME block of fixtures/golden/TEST.test
fixture() {
  awk -v name="$2" '$0 == "@file " name { on = 1; next } on && $0 == "@end" { exit } on { print }' \
    "$GOLDEN/$1.test"
}
fixture vbsp_reconcile_json register.csv >register.csv
fixture vbsp_reconcile_json tx.csv >tx.csv
fixture vbsp_reconcile_json hstd.csv >hstd.csv
fixture vbsp_overdue_json hstd.csv >hstd2.csv
fixture vbsp_overdue_json old.csv >old.csv
for f in register tx hstd hstd2 old; do
  [[ $(wc -l <$f.csv) -ge 2 ]] || fail "test set-up: no rows in $f.csv from the goldens"
done
# A second commune's register, so that the fees have a group without a contract.
{
  head -1 register.csv
  echo "6001000000000006,0841013,HV6,KH006,,Võ Thị Thủy,01,2026-03-01,5000000,2027-03-01"
} >register2.csv
{
  echo "date,loan_no,kind,amount,receipt_no"
  echo "2026-11-12,6001000000000006,interest,50000,R11"
  echo "2026-11-12,6001000000000006,principal,500000,R12"
} >tx2.csv

session() {  # session DB: prints every output that must agree, each with its exit code
  local db=$1
  run() { echo "## $*"; "$SOQUY" --db "$db" "$@" 2>&1; echo "## exit $?"; }
  run unit add P --name "Trà Vinh" --kind province --from 2020-01-01
  run unit add C1 --name "Long Đức" --kind commune --parent P --from 2020-01-01
  run unit add C2 --name "Hòa Thuận" --kind commune --parent P --from 2020-01-01
  run vbsp import-register register.csv --unit C1
  run vbsp import-register register.csv --unit C1
  run vbsp import-register register2.csv --unit C2
  run vbsp import-transactions tx.csv
  run vbsp import-transactions tx2.csv
  run vbsp import-statement hstd.csv --from 2026-11-01 --as-of 2026-11-30
  run vbsp reconcile --as-of 2026-11-30
  run vbsp reconcile --as-of 2026-11-30 --format json
  run vbsp reconcile --as-of 2026-11-30 --format csv
  run vbsp reconcile --as-of 2026-11-30 --group 0841012 --format json
  run vbsp contract add HD1 --unit C1 --signed 2026-01-02
  run vbsp fee-rate add --contract HD1 --from 2026-01-02 --fee 8% --commission 7.5%
  run vbsp fee-rate add --contract HD1 --from 2026-11-30 --fee 8.5% --commission 7%
  run vbsp fee-rate list --format json
  run vbsp fees --month 2026-11 --format json
  run vbsp fees --month 2026-11
  run reverse vbsp:receipt:R12 --reason "biên lai R12 nhập nhầm"
  run vbsp reconcile --as-of 2026-11-30 --format csv
  run vbsp session --group 0841012 --date 2026-11-20 --cash-paid-in 550000 --format json
  run vbsp import-statement old.csv --from 2025-12-01 --as-of 2025-12-31
  run vbsp import-statement hstd2.csv --from 2026-11-01 --as-of 2026-11-30
  run report vbsp-overdue --as-of 2026-11-30 --by programme --format json
  run report vbsp-overdue --as-of 2026-11-30
  run vbsp reconcile --as-of 2026-11-30 --format json
  run balance --book entrust --as-of 2026-11-30
  run check --only vbsp.memo --format json
  for c in journal.guards journal.chain journal.balanced journal.balances; do
    run check --only $c --format json
  done
}
"$SOQUY" --db s.db init --admin "$LOGIN" >/dev/null 2>&1 || fail "init on SQLite"
"$SOQUY" --db "$PG_URI" init >/dev/null 2>&1 || fail "init on the server"
session s.db >sqlite.out
session "$PG_URI" >server.out
# Same record time (SOQUY_NOW) and same user name: even the entries' hashes agree.
diff sqlite.out server.out >diff.out || fail "SQLite and PostgreSQL differ: $(head -60 diff.out)"
# The session did what it should (so that two equal failures do not pass).
grep -q '"missing_in_bank": 2' server.out || fail "no reconciliation: $(head -60 server.out)"
grep -q "Võ Thị Thủy\|VO THI THUY\|6001000000000006" server.out || fail "the second register is missing"
# HD1 (C1) from 2026-11-30: fee 8.5 %, commission 7 % of C1's November interest, 180,000 + 120,000
# = 300,000: fee 25,500, commission 21,000; C2 (R11, 50,000 of interest) has no contract.
grep -q '"fee": "25500"' server.out || fail "no fee of 25,500: $(grep -n fee server.out | head)"
grep -q '"commission": "21000"' server.out || fail "no commission of 21,000: $(grep -n commission server.out | head)"
grep -q '"vbsp_overdue\|"by": "programme"\|programme' server.out || fail "no overdue report"
[[ $(grep -c '^## exit 0$' server.out) -ge 25 ]] || fail "too few commands succeeded: $(grep -B3 '^## exit [^0]' server.out | head -40)"
# The reversal: R12 no longer counts, and reversing it again is refused on both engines.
grep -A12 "^## reverse vbsp:receipt:R12" server.out | grep -q "^## exit 0$" || fail "the reversal failed: $(grep -A5 '^## reverse' server.out)"
expect_rc() {  # expect_rc CODE ARGS…
  local want=$1
  shift
  "$SOQUY" --db "$PG_URI" "$@" >out 2>&1
  local rc=$?
  [[ $rc -eq $want ]] || fail "soquy $* on the server exited $rc, expected $want: $(head -c 400 out)"
}
expect_rc 65 reverse vbsp:receipt:R12 --reason "lần nữa"
# The rows on the server are the rows on SQLite (loans, transactions, statements).
for t in "loan_no, group_id, member_id, borrower_name, amount, disbursed_on FROM vbsp_loans ORDER BY loan_no" \
  "receipt_no, kind, amount, paid_on, entry_id FROM vbsp_transactions ORDER BY receipt_no" \
  "as_of, version, row_count, content_hash FROM vbsp_statements ORDER BY as_of, version" \
  "count(*) FROM vbsp_statement_rows"; do
  a=$(sqlite3 -separator '|' s.db "SELECT $t" 2>&1)
  b=$(psql -Atq "$PG_URI" -c "SELECT $t" 2>&1)
  [[ "$a" == "$b" ]] || fail "rows differ for SELECT $t: SQLite [$a] server [$b]"
done
# The whole check on the server passes afterwards.
expect_rc 0 check
if ((failures)); then
  echo "$failures failure(s); outputs in $WORK (KEEP=1 keeps the database $PG_DB)"
  trap - EXIT
  [[ -n "${KEEP:-}" ]] || drop_pg_db
  exit 1
fi
echo "OK"
