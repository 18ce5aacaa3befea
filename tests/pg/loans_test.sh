#!/usr/bin/env bash
# The loans on a PostgreSQL server, through the CLI (issue 14): products (flat and declining),
# disbursements, repayments, a late receipt, a collection sheet recorded from CSV, reversed and
# recorded again, repayments reversed with `soquy reverse` (by client id and by receipt), loans
# and repayments imported from CSV (twice), and every loan report (show,
# history, schedule, list, collection sheet, overdue in text, json and csv as of two dates and
# compared) give the same output on SQLite and on the server, and the loans' checks pass there.
#
#   loans_test.sh SOQUY_BINARY        (needs SOQUY_TEST_PG_URI; exit 77 without it)
set -u
SOQUY=$(realpath "$1")
source "$(dirname "$0")/pg_common.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soquy-pg-loans.XXXXXX")
trap '[[ -n "${KEEP:-}" ]] || drop_pg_db; rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_NOW=2026-11-28T09:00:00Z SOQUY_LANG=vi
unset SOQUY_USER SOQUY_DB
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
LOGIN=$(psql -Atq "$PG_URI" -c "SELECT session_user")

cat >wrong.csv <<'EOF'
loan,amount,prepay
L1,17966670,x
L2,466667,
EOF
cat >right.csv <<'EOF'
loan,amount,savings
L1,1796667,
L2,466667,
EOF

cat >loans.csv <<'EOF'
loan,member,product,amount,date,group
L6,M2,V,6000000,2026-03-05,G1
L7,M3,GIAM,9000000,05/03/2026,G2
EOF
cat >repayments.csv <<'EOF'
loan,amount,date,receipt
L6,539000,05/04/2026,BL-61
L7,90000,2026-04-05,BL-71
L7,1590000,2026-05-05,
EOF

LOANS="L1 L2 L3 L4 L6 L7"
CHECKS="loans.principal loans.interest loans.penalty loans.savings loans.overpayment loans.schedule"

# session DB: the writing half; each command's output and exit code (they must agree).
session() {
  local db=$1
  run() {
    echo "\$ $*"
    "$SOQUY" --db "$db" "$@"
    echo "exit $?"
  }
  run unit add P --name "Trà Vinh" --kind province --from 2020-01-01
  run unit add C1 --name "An Trường" --kind commune --parent P --from 2020-01-01
  run unit add C2 --name "Hòa Thuận" --kind commune --parent P --from 2020-01-01
  run group add G1 --name "Tổ tín dụng Ấp Sóc" --kind credit --unit C1 --from 2020-01-01
  run group add G2 --name "Tổ Phụ nữ Hòa Thuận" --kind credit --unit C2 --from 2020-01-01
  run member add M1 --name "Nguyễn Thị Hoa" --national-id 084185000001 --unit C1 --group G1 --joined 2020-01-01
  run member add M2 --name "Thạch Thị Sa Rênh" --national-id 084185000002 --unit C1 --group G1 --ethnicity Khmer \
    --joined 2020-01-01
  run member add M3 --name "Trần Thị Lan" --national-id 084185000003 --unit C2 --group G2 --joined 2020-03-01
  run fund deposit --amount 100000000 --date 2025-12-01 --id cap-1
  run product add V --method flat --rate 0.65%/month --term 12
  run product add A --method flat --rate 1%/month --term 12 --savings 0.5%/month --penalty-rate 1%/month
  run product add GIAM --method equal-principal --rate 12%/year --term 6 --grace 1
  run product add DEU --method equal-total --rate 0.9%/month --term 24 --frequency monthly --max-amount 30000000
  run product list --format json
  run loan disburse L1 --member M1 --product V --amount 20000000 --date 2026-01-15 --group G1
  run loan disburse L2 --member M2 --product A --amount 5000000 --date 2026-01-15 --group G1
  run loan disburse L3 --member M3 --product GIAM --amount 12000000 --date 2026-02-01 --group G2
  run loan disburse L4 --member M3 --product DEU --amount 24000000 --date 2026-02-10
  # Refused: beyond the product's largest loan.
  run loan disburse L5 --member M1 --product DEU --amount 40000000 --date 2026-02-10
  run collection-sheet record --group G1 --date 2026-02-15 wrong.csv
  run collection-sheet reverse --group G1 --date 2026-02-15 --reason "nhập nhầm 17.966.670 thay vì 1.796.667"
  run collection-sheet record --group G1 --date 2026-02-15 right.csv
  run collection-sheet record --group G1 --date 2026-02-15 right.csv --format json
  run loan repay L3 --amount 120000 --date 2026-03-01 --id PT-01
  run loan repay L3 --amount 2120000 --date 2026-04-01 --id PT-02
  run loan repay L4 --amount 1100000 --date 2026-03-10 --id BL000012
  run loan repay L4 --amount 1100000 --date 2026-03-10 --id BL000012
  # A repayment reversed by its receipt, as `loan history` shows it, then recorded again.
  run reverse BL000012 --reason "ghi nhầm khoản vay"
  run loan repay L4 --amount 1100000 --date 2026-03-10 --id BL000012~2
  run loan repay L1 --amount 1796667 --date 2026-04-20 --id PT-04
  # The late receipt: dated before the one just recorded.
  run loan repay L1 --amount 1796667 --date 2026-03-15 --id PT-03
  run loan repay L2 --amount 300000 --date 2026-04-15 --id PT-05
  run reverse loan:L2:PT-05 --reason "nhập sai số tiền" --format json
  run loan repay L2 --amount 466667 --date 2026-04-15 --id PT-05b
  # The bulk imports (statements kept per store), each twice: the second run writes nothing.
  run import loans loans.csv
  run import loans loans.csv
  run import repayments repayments.csv
  run import repayments repayments.csv
  run loan freeze L4 --date 2026-06-01 --reason "thiên tai"
  run loan extend L3 --months 2 --date 2026-05-01 --reason "lũ lụt"
  run loan writeoff L2 --date 2026-10-01 --reason "hộ nghèo mất khả năng trả nợ"
  run loan payoff L1 --date 2026-06-20 --quote
}

# reports DB: the reading half.
reports() {
  local db=$1 l d c
  run() {
    echo "\$ $*"
    "$SOQUY" --db "$db" "$@"
    echo "exit $?"
  }
  for l in $LOANS; do
    run loan show "$l" --as-of 2026-05-31
    run loan show "$l" --as-of 2026-11-30 --format json
    run loan history "$l"
    run loan history "$l" --format json
    run loan schedule "$l" --as-of 2026-11-30 --format csv
  done
  run loan list --as-of 2026-11-30
  run loan list --as-of 2026-03-31 --format json
  run loan list --member M3 --as-of 2026-11-30 --format csv
  run collection-sheet --group G1 --date 2026-03-15
  run collection-sheet --group G1 --date 2026-04-15 --format csv
  for d in 2026-04-30 2026-11-30; do
    run report overdue --as-of $d
    run report overdue --as-of $d --format json
    run report overdue --as-of $d --format csv --by unit
    run report overdue --as-of $d --format json --by ethnicity
  done
  run report overdue --as-of 2026-11-30 --compare-to 2026-04-30 --by product --format json
  run register 2111 --book fund --as-of 2026-12-31
  run register 2111 --member M1 --as-of 2026-12-31
  run trial-balance --as-of 2026-12-31 --format json
  for c in $CHECKS; do run check --only "$c" --format json; done
}

"$SOQUY" --db s.db init --admin "$LOGIN" >/dev/null || fail "init on SQLite"
"$SOQUY" --db "$PG_URI" init >/dev/null || fail "init on the server"
session s.db >sqlite.out 2>&1
session "$PG_URI" >server.out 2>&1
diff sqlite.out server.out >diff.out || fail "the loans' commands differ on SQLite and PostgreSQL: $(head -40 diff.out)"
reports s.db >sqlite-reports.out 2>&1
reports "$PG_URI" >server-reports.out 2>&1
diff sqlite-reports.out server-reports.out >diff.out ||
  fail "the loans' reports differ on SQLite and PostgreSQL: $(head -40 diff.out)"

# The session did what it says (on the server): so the comparison above compares something.
for want in "exit 65" "L3" "BL000012~2" "ghi nhầm khoản vay" "Thạch Thị Sa Rênh" "thiên tai"; do
  grep -q "$want" server.out || fail "the server's session printed no '$want': $(head -30 server.out)"
done
[[ $(grep -c "^exit 0" server.out) -ge 30 ]] || fail "the server's session failed: $(grep -B3 '^exit [^0]' server.out | head -30)"
[[ $(grep -c "^exit [^0]" server-reports.out) -eq 0 ]] ||
  fail "a report failed on the server: $(grep -B5 '^exit [^0]' server-reports.out | head -30)"
grep -q '"par30"\|"par_30"\|PAR' server-reports.out || fail "no overdue report on the server"
grep -q "BL-61" server-reports.out && grep -q "BL-71" server-reports.out ||
  fail "the imported repayments are not in the server's histories"
grep -q '"days_past_due"' server-reports.out || fail "no overdue loan in the reports: $(head -30 server-reports.out)"
# Rows in the server's tables, written through the store (not only read back by soquy).
[[ $(psql -Atq "$PG_URI" -c "SELECT count(*) FROM loans") == 6 ]] || fail "6 loans on the server"
[[ $(psql -Atq "$PG_URI" -c "SELECT count(*) FROM loan_collection_rows") == 4 ]] ||
  fail "4 collection rows on the server (2 reversed, 2 standing)"
[[ $(psql -Atq "$PG_URI" -c "SELECT count(*) FROM loan_events WHERE reversed_by IS NOT NULL") == 4 ]] ||
  fail "4 reversed events on the server"

# Every check passes on the server, the loans' ones included, and they see a difference there.
"$SOQUY" --db "$PG_URI" check >check.out 2>&1 || fail "soquy check on the server: $(cat check.out)"
for c in $CHECKS; do
  "$SOQUY" --db "$PG_URI" check --only "$c" >check.out 2>&1 || fail "check --only $c on the server: $(cat check.out)"
done
psql -q "$PG_URI" -c "ALTER TABLE loan_events DISABLE TRIGGER USER" \
  -c "UPDATE loan_events SET interest = interest + 1 WHERE client_id = 'PT-03'" \
  -c "ALTER TABLE loan_events ENABLE TRIGGER USER" >/dev/null 2>&1 || fail "psql: changing an event"
"$SOQUY" --db "$PG_URI" check --only loans.interest >check.out 2>&1
rc=$?
[[ $rc -eq 1 ]] || fail "loans.interest on a changed event exits 1, not $rc: $(cat check.out)"
grep -q "L1" check.out || fail "loans.interest names loan L1: $(cat check.out)"

if [[ $failures -gt 0 ]]; then
  echo "$failures failure(s); outputs in $WORK (KEEP=1 keeps the database $PG_DB)"
  trap - EXIT
  [[ -n "${KEEP:-}" ]] || drop_pg_db
  exit 1
fi
echo "OK: the loans on SQLite and PostgreSQL agree ($(wc -l <sqlite.out) + $(wc -l <sqlite-reports.out) lines)"
