#!/usr/bin/env bash
# The journal commands on a PostgreSQL server, through the CLI (issue 14): the same commands on
# SQLite and on the server give the same output (except where named below); the roles and the
# append-only rules hold from psql too (an auditor writes nothing, nobody changes an entry, a
# treasurer sees only her books' entries).
#
#   cli_test.sh SOQUY_BINARY        (needs SOQUY_TEST_PG_URI; exit 77 without it)
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
# The cluster's roles are shared by every test database: logins named per run.
SUF=$RANDOM$$
OFFICER=cuc$SUF AUDITOR=kiemtra$SUF TREAS=lan$SUF
LOGIN=$(psql -Atq "$PG_URI" -c "SELECT session_user")

# expect CODE DB ARGS…: exit code of `soquy --db DB ARGS…`; output in out
expect() {
  local want=$1 db=$2
  shift 2
  "$SOQUY" --db "$db" "$@" >out 2>&1
  local rc=$?
  [[ $rc -eq $want ]] || fail "soquy --db ${db%%\?*} $* exited $rc, expected $want: $(head -c 400 out)"
}
psql_as() {  # psql_as LOGIN SQL: exit code of the SQL run as LOGIN
  psql -Atq -v ON_ERROR_STOP=1 "$(uri_for "$PG_DB" "$1")" -c "$2" >psql.out 2>&1
}

# --- the same journal session on SQLite and on the server ------------------------------------
session() {  # session DB: prints the outputs that must agree
  local db=$1
  "$SOQUY" --db "$db" post --book fund --date 2026-01-15 --memo "Nhận vốn" --id v1 1011=5000000 6011=-5000000
  "$SOQUY" --db "$db" post --book fund --date 2026-02-01 --memo "Gửi ngân hàng" --id v2 1121=2000000 1011=-2000000
  "$SOQUY" --db "$db" post --book fund --date 2026-01-20 --memo "Back-dated" 1011=100 6011=-100
  "$SOQUY" --db "$db" post --book fund --date 2026-01-15 --memo "Nhận vốn" --id v1 1011=5000000 6011=-5000000
  "$SOQUY" --db "$db" reverse v2 --date 2026-02-02 --reason "Sai" --id r2
  "$SOQUY" --db "$db" import entries entries.csv
  "$SOQUY" --db "$db" import entries entries.csv
  "$SOQUY" --db "$db" balance --book fund --as-of 2026-01-31
  "$SOQUY" --db "$db" balance --book fund --as-of 2026-12-31 --format csv
  "$SOQUY" --db "$db" register --book fund --account 1011 --as-of 2026-12-31
  "$SOQUY" --db "$db" trial-balance --as-of 2026-12-31 --format json
  "$SOQUY" --db "$db" book list
  "$SOQUY" --db "$db" account list --book entrust --format csv
  # The journal's checks one by one: a full `check` counts a different number of change-log rows
  # (the server logs its schema versions 12-16 too), so it is run on the server alone below.
  for c in journal.guards journal.chain journal.balanced journal.balances; do
    "$SOQUY" --db "$db" check --only $c --format json
  done
  "$SOQUY" --db "$db" export journal --format csv
  "$SOQUY" --db "$db" audit log --format csv
}
"$SOQUY" --db s.db init --admin "$LOGIN" >/dev/null || fail "init on SQLite"
# init through a URI that carries a password (the test cluster trusts its socket, so it is not
# checked): the message names the database without it.
PW_URI=$(sed -E 's#^(postgres(ql)?://)([^@/:]*)@#\1\3:s3cret-pw@#' <<<"$PG_URI")
[[ "$PW_URI" == *s3cret-pw@* ]] || fail "test set-up: no password put in $PG_URI"
expect 0 "$PW_URI" init
grep -q "admin user '$LOGIN'" out || fail "init on the server: the admin is the login: $(cat out)"
if grep -q "s3cret-pw" out; then fail "init printed the password: $(cat out)"; fi
{
  echo "entry_id,date,book,account,amount,memo"
  for i in $(seq 1 300); do
    echo "i-$i,2026-01-1$((i % 10)),fund,1011,$((1000 + i)),Nhập $i"
    echo "i-$i,2026-01-1$((i % 10)),fund,6011,-$((1000 + i)),Nhập $i"
  done
} >entries.csv
session s.db >sqlite.out 2>&1
session "$PG_URI" >server.out 2>&1
# Same record time (SOQUY_NOW) and same user name: even the hashes agree.
diff sqlite.out server.out >diff.out || fail "SQLite and PostgreSQL differ: $(head -40 diff.out)"
grep -q "5000000\|5.000.000\|5,000,000" server.out || fail "the session printed no balance: $(head -20 server.out)"

# --- refusals ----------------------------------------------------------------------------------
expect 2 "$PG_URI" --user someone balance --book fund
grep -q "PostgreSQL" out || fail "--user on a server: the message says why: $(cat out)"
SOQUY_USER=someone expect 2 "$PG_URI" post --book fund --date 2026-01-15 --memo x 1011=1 6011=-1
# Every check runs on the server, records.changes too (the server's change log replayed).
expect 0 "$PG_URI" check
grep -q "records.changes" out || fail "check on the server runs records.changes: $(cat out)"
expect 73 "$PG_URI" init
expect 74 "$(uri_for no_such_database_$SUF)" balance --book fund

# --- users: login roles with membership ----------------------------------------------------------
expect 0 "$PG_URI" user add "$OFFICER" --role officer
expect 0 "$PG_URI" user add "$AUDITOR" --role auditor
expect 0 "$PG_URI" user add "$TREAS" --role treasurer
[[ $(psql -Atq "$PG_URI" -c "SELECT pg_has_role('$OFFICER', 'soquy_officer', 'MEMBER')") == t ]] ||
  fail "user add makes a member of soquy_officer"
[[ $(psql -Atq "$PG_URI" -c "SELECT rolcanlogin FROM pg_roles WHERE rolname = '$AUDITOR'") == t ]] ||
  fail "user add makes a login role"
OFF_URI=$(uri_for "$PG_DB" "$OFFICER")
AUD_URI=$(uri_for "$PG_DB" "$AUDITOR")
expect 0 "$OFF_URI" post --book fund --date 2026-03-01 --memo "by the officer" 1011=7 6011=-7
expect 0 "$PG_URI" audit log --user "$OFFICER" --format csv
grep -q "$OFFICER" out || fail "the audit log shows the officer's login: $(cat out)"
expect 77 "$AUD_URI" post --book fund --date 2026-03-01 --memo x 1011=1 6011=-1
expect 0 "$AUD_URI" check
expect 77 "$OFF_URI" user add x$SUF --role officer

# --- from psql: grants, triggers, row-level security ----------------------------------------------
for sql in "INSERT INTO settings VALUES ('x', 'y')" "UPDATE settings SET value = 'x'" "DELETE FROM settings" \
  "INSERT INTO books (code, name) VALUES ('x', 'x')" "UPDATE accounts SET name = 'x'" \
  "INSERT INTO entries (id, book_id, date, memo, user_id, recorded_at, hash) SELECT 999, 1, 'x', 'x', 1, 'x', hash FROM entries LIMIT 1" \
  "INSERT INTO postings VALUES (1, 99, 1, 1)" "UPDATE account_balances SET balance = 0" "DELETE FROM users"; do
  psql_as "$AUDITOR" "$sql" && fail "the auditor's login could run: $sql"
  grep -q "permission denied" psql.out || fail "auditor, $sql: $(cat psql.out)"
done
for who in "$OFFICER" "$LOGIN"; do
  for sql in "UPDATE entries SET memo = 'x' WHERE id = 1" "DELETE FROM entries WHERE id = 1" \
    "UPDATE postings SET amount = 1 WHERE entry_id = 1" "DELETE FROM postings" "TRUNCATE entries CASCADE"; do
    psql_as "$who" "$sql" && fail "$who could run: $sql"
  done
done
psql_as "$LOGIN" "UPDATE entries SET memo = 'x' WHERE id = 1"
grep -q "posted entries cannot be changed; post a reversal" psql.out || fail "the trigger's message: $(cat psql.out)"
# A group book with one entry, its treasurer named: she sees only that book's rows.
psql -Atq -v ON_ERROR_STOP=1 "$PG_URI" >/dev/null <<SQL || fail "setting up a group book"
INSERT INTO books (code, name) VALUES ('group:H1', 'Hụi H1');
INSERT INTO accounts (book_id, code, name, type) SELECT id, '1011', 'Tiền mặt', 'asset' FROM books WHERE code = 'group:H1';
INSERT INTO accounts (book_id, code, name, type) SELECT id, '4111', 'Tiết kiệm', 'liability' FROM books WHERE code = 'group:H1';
INSERT INTO book_treasurers SELECT b.id, u.id, 1, 'x' FROM books b, users u WHERE b.code = 'group:H1' AND u.name = '$TREAS';
SQL
TRE_URI=$(uri_for "$PG_DB" "$TREAS")
expect 0 "$TRE_URI" post --book group:H1 --date 2026-03-02 --memo "góp" 1011=500 4111=-500
expect 77 "$TRE_URI" post --book fund --date 2026-03-02 --memo "x" 1011=1 6011=-1
psql_as "$TREAS" "SELECT count(*), min(b.code), max(b.code) FROM entries e JOIN books b ON b.id = e.book_id"
[[ $(cat psql.out) == "1|group:H1|group:H1" ]] || fail "the treasurer sees only her book's entries: $(cat psql.out)"
psql_as "$TREAS" "SELECT count(*) FROM postings" && [[ $(cat psql.out) == 2 ]] || fail "her postings only: $(cat psql.out)"
psql_as "$TREAS" "SELECT count(*) FROM accounts" && [[ $(cat psql.out) == 2 ]] || fail "her accounts only: $(cat psql.out)"
# Her writes outside her books are refused by the policies (WITH CHECK), and users are admins' only.
# (In her own name: an entry in another's is refused before, by schema 17's author trigger.)
psql_as "$TREAS" "INSERT INTO entries (id, book_id, date, memo, user_id, recorded_at, hash) SELECT 9999, b.id, '2026-01-01', 'x', u.id, 'x', decode(repeat('00', 32), 'hex') FROM books b, users u WHERE b.code = 'fund' AND u.name = '$TREAS'" &&
  fail "the treasurer inserted an entry in the fund book"
grep -q "row-level security" psql.out || fail "refused by row-level security: $(cat psql.out)"
psql_as "$TREAS" "INSERT INTO account_balances SELECT a.id, '2026-01-01', 1 FROM accounts a JOIN books b ON b.id = a.book_id WHERE b.code = 'fund' LIMIT 1"
[[ $(psql -Atq "$PG_URI" -c "SELECT count(*) FROM account_balances WHERE date = '2026-01-01'") == 0 ]] ||
  fail "the treasurer wrote a balance of the fund book"
# She may open an account in her own book (schema 17's grant), not in another (the policy's WITH CHECK).
psql_as "$TREAS" "INSERT INTO accounts (book_id, code, name, type) SELECT id, '1012', 'Tiền gửi', 'asset' FROM books WHERE code = 'group:H1'" ||
  fail "the treasurer could not open an account in her book: $(cat psql.out)"
psql_as "$TREAS" "INSERT INTO accounts (book_id, code, name, type) SELECT id, '1099', 'x', 'asset' FROM books WHERE code = 'fund'" &&
  fail "the treasurer opened an account in the fund book"
grep -q "row-level security" psql.out || fail "refused by row-level security: $(cat psql.out)"
psql_as "$OFFICER" "INSERT INTO users (name, role, created_at) VALUES ('x', 'admin', 'x')" && fail "an officer added a user"
psql_as "$OFFICER" "INSERT INTO settings VALUES ('x', 'y')" && fail "an officer wrote a setting"
n=$(psql -Atq "$PG_URI" -c "SELECT count(*) FROM entries")
[[ $n -eq 306 ]] || fail "the owner sees every entry: $n"
expect 0 "$PG_URI" check
# An edit made as superuser with the triggers disabled: check finds it (exit 1).
psql -q "$PG_URI" -c "ALTER TABLE postings DISABLE TRIGGER postings_no_update; UPDATE postings SET amount = amount + 1 WHERE entry_id = 1 AND line = 1; ALTER TABLE postings ENABLE TRIGGER postings_no_update" >/dev/null
expect 1 "$PG_URI" check --lang en
grep -q "entry #1" out || fail "check names the edited entry: $(head -20 out)"

[[ -n "${KEEP:-}" ]] && echo "kept $PG_DB"
if [[ $failures -gt 0 ]]; then echo "$failures failure(s)"; exit 1; fi
echo "ok"
