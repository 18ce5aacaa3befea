#!/usr/bin/env bash
# The registry, the dues and the audit log on a PostgreSQL server, through the CLI (issue 14): a
# session of units (a merger), members with Vietnamese names and their poverty over time, groups,
# a members' import, dues billed and paid, and the audit log gives the same output on SQLite and
# on the server; `soquy check` passes on the server afterwards.
#
#   registry_test.sh SOQUY_BINARY        (needs SOQUY_TEST_PG_URI; exit 77 without it)
set -u
SOQUY=$(realpath "$1")
source "$(dirname "$0")/pg_common.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soquy-pg.XXXXXX")
trap '[[ -n "${KEEP:-}" ]] || drop_pg_db; rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_NOW=2026-11-28T09:00:00Z SOQUY_LANG=en
unset SOQUY_USER SOQUY_DB
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
LOGIN=$(psql -Atq "$PG_URI" -c "SELECT session_user")

cat >members.csv <<'CSV'
id,name,national_id,unit,group,born,ethnicity,poverty,joined
HV101,Nguyễn Thị Hoa,084180000101,AT-1,TD1,1980-03-04,Kinh,poor,15/01/2021
HV102,Thạch Thị Sa Rênh,084179000102,AT-1,,1979-09-09,Khmer,near-poor,2021-02-01
HV103,"Lâm Thị Ánh, Tuyết",084185000103,TA,,,Hoa,none,2021-03-01
CSV
cat >units.csv <<'CSV'
code,name,kind,parent,from,merged_into,merged_on
DX,Đông Xuân,commune,TV,2020-01-01,,
DX-1,Ấp Đông,branch,DX,2020-01-01,,
DX-2,Ấp Tây,branch,DX,2021-01-01,DX-1,2024-07-01
CSV
cat >groups.csv <<'CSV'
code,name,kind,unit,leader,from
TK1,Tổ tiết kiệm Đông Xuân,savings,DX-1,,2022-01-01
TD2,Tổ tín dụng Ấp Tây,credit,DX-2,,2021-06-01
CSV

registry() {  # registry DB: units, a merger, members, poverty over time, groups, an import
  local db=$1
  "$SOQUY" --db "$db" unit add TV --name "Trà Vinh" --kind province --from 2020-01-01
  "$SOQUY" --db "$db" unit add CL --name "Càng Long" --kind district --parent TV --from 2020-01-01
  "$SOQUY" --db "$db" unit add AT --name "An Trường" --kind commune --parent CL --from 2020-01-01
  "$SOQUY" --db "$db" unit add AT-1 --name "Ấp An Chánh" --kind branch --parent AT --from 2020-01-01
  "$SOQUY" --db "$db" unit add TA --name "Tân An" --kind commune --parent CL --from 2020-01-01
  "$SOQUY" --db "$db" unit add VL --name "Vĩnh Long" --kind province --from 2025-07-01
  "$SOQUY" --db "$db" unit update TA --from 2019-06-01
  "$SOQUY" --db "$db" unit rename AT --name "Xã An Trường" --on 2023-01-01
  "$SOQUY" --db "$db" unit rename AT --name "Xã An Trường A" --on 2023-01-01
  "$SOQUY" --db "$db" unit move AT-1 --parent TA --on 2024-01-01
  "$SOQUY" --db "$db" unit merge TV VL --on 2025-07-01
  "$SOQUY" --db "$db" unit merge CL VL --on 2025-07-01
  "$SOQUY" --db "$db" unit tree --as-of 2025-06-30
  "$SOQUY" --db "$db" unit tree --as-of 2025-07-01
  "$SOQUY" --db "$db" unit list --format json
  "$SOQUY" --db "$db" group add TD1 --name "Tổ tín dụng 1" --kind credit --unit AT --from 2020-01-01
  "$SOQUY" --db "$db" group add HUI1 --name "Hụi ấp 1" --kind rosca --unit AT-1 --from 2022-01-01
  "$SOQUY" --db "$db" member add HV001 --name "Thạch  Thị Sa Rênh" --national-id 084179000004 --unit AT-1 \
    --group TD1 --born 1979-09-09 --ethnicity Khmer --poverty near-poor --joined 2020-06-15
  "$SOQUY" --db "$db" member add HV002 --name "Đặng Văn Ưng" --national-id 084182000002 --unit TA --poverty poor \
    --joined 2021-05-10
  "$SOQUY" --db "$db" member update HV001 --poverty none --on 2024-01-01
  "$SOQUY" --db "$db" member update HV002 --poverty near-poor --on 2023-06-01
  "$SOQUY" --db "$db" member update HV002 --poverty none --on 2023-06-01
  "$SOQUY" --db "$db" group join HUI1 HV001 --on 2022-02-01
  "$SOQUY" --db "$db" group update TD1 --from 2021-01-01 --name "Tổ tín dụng số 1" --leader HV002
  "$SOQUY" --db "$db" group update HUI1 --from 2022-03-01
  "$SOQUY" --db "$db" unit update AT-1 --from 2020-07-01
  "$SOQUY" --db "$db" group update TD1 --from 2020-03-01 --leader HV002
  "$SOQUY" --db "$db" unit update VL --from 2025-06-01
  "$SOQUY" --db "$db" member leave HV002 --on 2026-06-30
  "$SOQUY" --db "$db" import members members.csv
  "$SOQUY" --db "$db" import members members.csv
  "$SOQUY" --db "$db" import units units.csv
  "$SOQUY" --db "$db" import groups groups.csv
  "$SOQUY" --db "$db" import units units.csv
  "$SOQUY" --db "$db" import groups groups.csv
  "$SOQUY" --db "$db" unit tree --as-of 2024-07-01
  "$SOQUY" --db "$db" member show HV001 --as-of 2023-12-31 --format json
  "$SOQUY" --db "$db" member show HV002 --as-of 2026-01-01
  "$SOQUY" --db "$db" member list --format csv
  "$SOQUY" --db "$db" member list --unit AT --as-of 2024-01-01
  "$SOQUY" --db "$db" group list --format json
  "$SOQUY" --db "$db" group show TD1 --format json
  "$SOQUY" --db "$db" report members --by ethnicity --as-of 2025-07-01
  "$SOQUY" --db "$db" report members --by poverty --as-of 2023-07-01 --format json
  "$SOQUY" --db "$db" unit list --as-of 2024-06-01 --format csv
}

dues() {  # dues DB: rates, a split, an exemption, bills, payments (one reversed), the reports
  local db=$1
  "$SOQUY" --db "$db" dues split --from 2026-01 branch=50% commune=30% province=20%
  "$SOQUY" --db "$db" dues rate --amount 3333 --from 2026-01
  "$SOQUY" --db "$db" dues rate --amount 36000 --per year --from 2026-03
  "$SOQUY" --db "$db" dues exempt HV102 --from 2026-01 --to 2026-02 --reason "Hội viên cao tuổi"
  "$SOQUY" --db "$db" dues exempt HV103 --from 2026-04 --reason "Hộ nghèo"
  "$SOQUY" --db "$db" dues bill --period 2026-01
  "$SOQUY" --db "$db" dues bill --period 2026-02
  "$SOQUY" --db "$db" dues bill --period 2026-02
  "$SOQUY" --db "$db" dues bill --period 2026-03 --date 2026-03-05
  "$SOQUY" --db "$db" dues pay HV001 --amount 3333 --date 2026-02-10 --id BL-001
  "$SOQUY" --db "$db" dues pay HV001 --amount 3333 --date 2026-02-10 --id BL-001
  "$SOQUY" --db "$db" dues pay HV101 --amount 5000 --date 2026-02-11 --id BL-002
  "$SOQUY" --db "$db" dues pay HV103 --amount 999999 --date 2026-02-12 --id BL-003
  "$SOQUY" --db "$db" dues pay HV103 --amount 2000 --date 2026-03-12
  "$SOQUY" --db "$db" reverse dues:pay:BL-002 --reason "Thu nhầm hội viên" --id SUA-BL-002
  "$SOQUY" --db "$db" dues pay HV102 --amount 3000 --date 2026-03-20 --id BL-004
  "$SOQUY" --db "$db" dues settings --format json
  "$SOQUY" --db "$db" dues settings
  "$SOQUY" --db "$db" report dues-arrears --as-of 2026-04-01 --format json
  "$SOQUY" --db "$db" report dues-arrears --by member --as-of 2026-04-30
  "$SOQUY" --db "$db" report dues-arrears --by member --as-of 2026-04-30 --format csv
  "$SOQUY" --db "$db" trial-balance --book union --as-of 2026-12-31
  "$SOQUY" --db "$db" check --only dues.receivable --format json
}

officer() {  # officer DB: a second user (on the server, a login of her own) changes a record
  local db=$1
  "$SOQUY" --db "$db" user add "$OFFICER" --role officer
  if [[ $db == s.db ]]; then
    SOQUY_USER=$OFFICER "$SOQUY" --db "$db" member update HV001 --poverty poor --on 2026-01-01
  else
    "$SOQUY" --db "$(uri_for "$PG_DB" "$OFFICER")" member update HV001 --poverty poor --on 2026-01-01
  fi
}

audit() {  # audit DB: the journal's audit log and the change log, whole and filtered
  local db=$1
  "$SOQUY" --db "$db" audit log
  "$SOQUY" --db "$db" audit log --format json --from 2026-11-28 --to 2026-11-28 --user "$LOGIN"
  "$SOQUY" --db "$db" audit log --format csv --user nobody-$SUF
  "$SOQUY" --db "$db" audit log --format csv --from 2026-11-29
  # The change log row by row without its seq and hash: the server logs its migrations too
  # (schema_version rows), so its chain and numbering differ from SQLite's.
  "$SOQUY" --db "$db" audit changes --format csv | grep -v ',schema_version,' | cut -d, -f2- | tr -d '\r' | sed 's/,[0-9a-f]\{64\}$//'
  "$SOQUY" --db "$db" audit changes --table unit_history --user "$LOGIN" --format json | grep -c '"action"'
  # Each user's changes only: "user" unquoted would be CURRENT_USER on the server, the same login
  # for every row.
  "$SOQUY" --db "$db" audit changes --table member_poverty --user "$OFFICER" --format csv | cut -d, -f2-6
  "$SOQUY" --db "$db" audit changes --table member_poverty --user "$LOGIN" --format csv | wc -l
  "$SOQUY" --db "$db" audit changes --table dues_payments --from 2026-11-28 --to 2026-11-28 --format csv | wc -l
  "$SOQUY" --db "$db" audit changes --table no_such_table
  echo "exit $?"
}

SUF=$RANDOM$$
OFFICER=thu$SUF  # the cluster's logins are shared by every test database: named per run
"$SOQUY" --db s.db init --admin "$LOGIN" >/dev/null || fail "init on SQLite"
"$SOQUY" --db "$PG_URI" init >/dev/null || fail "init on the server"
for part in registry dues officer audit; do
  $part s.db >sqlite-$part.out 2>&1
  $part "$PG_URI" >server-$part.out 2>&1
  diff sqlite-$part.out server-$part.out >diff.out || fail "$part: SQLite and PostgreSQL differ: $(head -40 diff.out)"
done
# The sessions did what they say (a wrong session would agree with itself on both engines).
grep -q "HV001 added: Thạch Thị Sa Rênh" server-registry.out || fail "no member added: $(head -20 server-registry.out)"
grep -q "3 added, 0 merged" server-registry.out || fail "the import added nothing: $(grep members.csv server-registry.out)"
grep -q "3 already there" server-registry.out || fail "the import is not idempotent: $(grep members.csv server-registry.out)"
grep -q "^units.csv: 3 rows; 3 added" server-registry.out || fail "the units' import: $(grep units.csv server-registry.out)"
grep -q "^groups.csv: 2 rows; 2 added" server-registry.out || fail "the groups' import: $(grep groups.csv server-registry.out)"
grep -q "^VL Vĩnh Long (province)" server-registry.out || fail "no merged tree: $(grep -n VL server-registry.out)"
grep -q '"unit_name": "Xã An Trường A"' server-registry.out || fail "the second rename of a day did not replace the first"
grep -q "cannot move the start of group 'HUI1'" server-registry.out || fail "a group's start moved over a membership"
grep -q "^HV002,Đặng Văn Ưng,.*,none,2021-05-10,2026-06-30" server-registry.out || fail "HV002's poverty or leaving"
grep -q "the payment of 2026-02-11 no longer counts" server-dues.out || fail "BL-002 not reversed: $(head -20 server-dues.out)"
grep -q '"ok": true' server-dues.out || fail "dues.receivable fails on the server: $(tail -20 server-dues.out)"
grep -q "^2026-11-28T09:00:00Z,$LOGIN,member_poverty,.*,update" server-audit.out ||
  fail "the change log has no update of member_poverty by $LOGIN: $(head -20 server-audit.out)"
grep -q "^2026-11-28T09:00:00Z,$OFFICER,member_poverty,1/2026-01-01,insert$" server-audit.out ||
  fail "audit changes --user $OFFICER: $(grep -n "$OFFICER" server-audit.out)"
grep -qx 9 server-audit.out || fail "audit changes --user $LOGIN: not her 8 rows of member_poverty"
grep -q "dues:pay:BL-002\|SUA-BL-002" server-audit.out || fail "the audit log misses the reversal: $(head server-audit.out)"
grep -q "^exit 65" server-audit.out || fail "audit changes of an unknown table: $(tail -3 server-audit.out)"
[[ $(grep -c . server-audit.out) -gt 20 ]] || fail "the audit log is short: $(cat server-audit.out)"

# --- the checks on the server (today journal.*; the domain checks when the lead turns them on) --
"$SOQUY" --db "$PG_URI" check >check.out 2>&1 || fail "check on the server: $(cat check.out)"

[[ $failures -eq 0 ]] || exit 1
echo "OK: registry, dues and audit log agree on SQLite and PostgreSQL"
