#!/usr/bin/env bash
# The identities a PostgreSQL server enforces (issue 14, schema 17), through soquy and from psql:
#   1. a login added to fund A cannot open fund B on the same cluster (soquy: exit 77 and a
#      Vietnamese sentence; psql: refused by the server);
#   2. an admin added by `user add --role admin` has no CREATEROLE: she adds an officer through
#      soquy (schema 17's soquy_add_login), but cannot create roles nor grant herself the
#      server's built-in roles from psql; an officer cannot call soquy_add_login;
#   3. an officer records entries only in her own name, postings only in the entry's book;
#   4. soquy.now sets the change log's time only where init ran with SOQUY_NOW;
#   5. init is one transaction: a failure after the schema leaves the database empty, and a
#      second init works;
#   6. a database at schema 16 upgrades through 19 (CONNECT for its existing users only; an
#      admin added then loses the CREATEROLE she was given; the owner, and another fund's owner
#      who is an admin here too, keep theirs; an owner without CREATEROLE is refused the
#      upgrade, which leaves the database at 16).
# The databases are owned by logins made as docs/server.md says (LOGIN CREATEROLE, createdb
# --owner), not by the superuser: what a real fund has.
#
#   security_test.sh SOQUY_BINARY        (needs SOQUY_TEST_PG_URI; exit 77 without it)
set -u
SOQUY=$(realpath "$1")
source "$(dirname "$0")/pg_common.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soquy-pgsec.XXXXXX")
SUF=$RANDOM$$
DB_B=${PG_DB}_b DB_C=${PG_DB}_c DB_D=${PG_DB}_d DB_E=${PG_DB}_e
OWN_A=quanly_a$SUF OWN_B=quanly_b$SUF OWN_E=quanly_e$SUF BAD="bad login$SUF"
OFFICER=cuc$SUF ADMIN2=hanh$SUF OFFICER2=hoa$SUF OLD=cu$SUF OLD_ADMIN=lan$SUF
cleanup() {
  [[ -n "${KEEP:-}" ]] && return
  drop_pg_db
  for d in $DB_B $DB_C $DB_D $DB_E; do
    psql -q "$SOQUY_TEST_PG_URI" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1
  done
  for r in "$OWN_A" "$OWN_B" "$OWN_E" "$BAD" "$OFFICER" "$ADMIN2" "$OFFICER2" "$OLD" "$OLD_ADMIN" "x$SUF"; do
    psql -q "$SOQUY_TEST_PG_URI" -c "DROP ROLE IF EXISTS \"$r\"" >/dev/null 2>&1
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK" || exit 2
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_NOW=2026-11-28T09:00:00Z SOQUY_LANG=vi
unset SOQUY_USER SOQUY_DB
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
su() { psql -Atq -v ON_ERROR_STOP=1 "$SOQUY_TEST_PG_URI" "$@"; }
sudb() { local db=$1; shift; psql -Atq -v ON_ERROR_STOP=1 "$(uri_for "$db")" "$@"; }  # the superuser in DB
expect() {  # expect CODE DB ARGS…: exit code of `soquy --db DB ARGS…`; output in out
  local want=$1 db=$2
  shift 2
  "$SOQUY" --db "$db" "$@" >out 2>&1
  local rc=$?
  [[ $rc -eq $want ]] || fail "soquy --db ${db%%\?*} $* exited $rc, expected $want: $(head -c 400 out)"
}
psql_as() {  # psql_as DB LOGIN SQL: exit code of the SQL run by LOGIN's own connection
  psql -Atq -v ON_ERROR_STOP=1 "$(uri_for "$1" "$2")" -c "$3" >psql.out 2>&1
}

# Two funds on one cluster, each created by its own login as docs/server.md sets one up.
for o in "$OWN_A" "$OWN_B" "$OWN_E"; do su -c "CREATE ROLE $o LOGIN CREATEROLE" >/dev/null || exit 1; done
su -c "ALTER DATABASE $PG_DB OWNER TO $OWN_A" -c "CREATE DATABASE $DB_B OWNER $OWN_B" >/dev/null || exit 1
A=$(uri_for "$PG_DB" "$OWN_A") B=$(uri_for "$DB_B" "$OWN_B")
expect 0 "$A" init
expect 0 "$B" init
[[ $(sudb "$PG_DB" -c "SELECT rolcreaterole FROM pg_roles WHERE rolname = '$OWN_A'") == t ]] || fail "set-up: the owner has CREATEROLE"

# --- 1. CONNECT only for the database's own logins -----------------------------------------------
expect 0 "$A" user add "$OFFICER" --role officer
expect 0 "$(uri_for "$PG_DB" "$OFFICER")" balance --book fund
expect 77 "$(uri_for "$DB_B" "$OFFICER")" balance --book fund
grep -q "không được mở cơ sở dữ liệu này" out || fail "fund B refuses A's officer in Vietnamese: $(cat out)"
grep -q "soquy user add" out || fail "the refusal says who gives access: $(cat out)"
psql_as "$DB_B" "$OFFICER" "SELECT 1" && fail "psql: A's officer connected to fund B"
grep -q "permission denied for database" psql.out || fail "psql: refused by the server: $(cat psql.out)"
expect 77 "$(uri_for "$PG_DB" "$OWN_B")" balance --book fund  # B's own admin is nobody in A
psql_as "$PG_DB" "$OWN_B" "SELECT 1" && fail "psql: B's owner connected to fund A"
[[ $(su -c "SELECT has_database_privilege('public', '$DB_B', 'CONNECT')") == f ]] || fail "PUBLIC may still connect to B"

# --- 2. admins without CREATEROLE; adding users through soquy_add_login ----------------------------
expect 0 "$A" user add "$ADMIN2" --role admin
[[ $(su -c "SELECT rolcreaterole FROM pg_roles WHERE rolname = '$ADMIN2'") == f ]] || fail "an added admin has CREATEROLE"
A2=$(uri_for "$PG_DB" "$ADMIN2")
expect 0 "$A2" user add "$OFFICER2" --role officer
expect 0 "$(uri_for "$PG_DB" "$OFFICER2")" post --book fund --date 2026-03-01 --memo "hoa" 1011=7 6011=-7
[[ $(su -c "SELECT pg_has_role('$OFFICER2', 'soquy_officer', 'MEMBER')") == t ]] || fail "the admin's officer is in soquy_officer"
psql_as "$PG_DB" "$ADMIN2" "GRANT pg_execute_server_program TO $ADMIN2" && fail "the admin granted herself pg_execute_server_program"
grep -q "permission denied\|must have admin option" psql.out || fail "GRANT pg_execute_server_program: $(cat psql.out)"
psql_as "$PG_DB" "$ADMIN2" "CREATE ROLE x$SUF" && fail "the admin created a role from psql"
grep -q "permission denied" psql.out || fail "CREATE ROLE: $(cat psql.out)"
psql_as "$PG_DB" "$ADMIN2" "SELECT soquy_add_login('pg_read_server_files', 'admin')" && fail "soquy_add_login took a group role"
psql_as "$PG_DB" "$OFFICER" "SELECT soquy_add_login('x$SUF', 'officer')" && fail "an officer called soquy_add_login"
grep -q "permission denied for function soquy_add_login" psql.out || fail "officer, soquy_add_login: $(cat psql.out)"
expect 77 "$(uri_for "$PG_DB" "$OFFICER")" user add "x$SUF" --role officer
# A login of fund B added to fund A gains A's membership and CONNECT, keeps B's.
expect 0 "$(uri_for "$DB_B" "$OWN_B")" user add "$OFFICER2" --role officer
expect 0 "$(uri_for "$DB_B" "$OFFICER2")" balance --book fund

# --- 3. entries in their author's name, postings in the entry's book ---------------------------
OFF=$(uri_for "$PG_DB" "$OFFICER")
expect 0 "$OFF" post --book fund --date 2026-03-02 --memo "cuc" 1011=9 6011=-9
printf 'entry_id,date,book,account,amount,memo\n' >e.csv
for i in 1 2 3; do printf 'c-%s,2026-03-0%s,fund,1011,%s,Nhập\nc-%s,2026-03-0%s,fund,6011,-%s,Nhập\n' $i $i $i $i $i $i >>e.csv; done
expect 0 "$OFF" import entries e.csv
forge() {  # forge USER_SQL ACCOUNT_SQL: an entry and one posting, as the officer writes them from psql
  echo "WITH e AS (INSERT INTO entries (id, book_id, date, memo, user_id, recorded_at, hash)
          SELECT (SELECT max(id) + 1 FROM entries), b.id, '2026-03-09', 'forged', ($1), 'x', decode(repeat('ab', 32), 'hex')
          FROM books b WHERE b.code = 'fund' RETURNING id)
        INSERT INTO postings SELECT e.id, 1, ($2), 5 FROM e"
}
own="SELECT id FROM users WHERE name = '$OFFICER'"
fund_cash="SELECT a.id FROM accounts a JOIN books b ON b.id = a.book_id WHERE b.code = 'fund' AND a.code = '1011'"
entrust_acc="SELECT a.id FROM accounts a JOIN books b ON b.id = a.book_id WHERE b.code = 'entrust' LIMIT 1"
psql_as "$PG_DB" "$OFFICER" "$(forge "SELECT id FROM users WHERE name = '$OWN_A'" "$fund_cash")" &&
  fail "the officer recorded an entry in the admin's name"
grep -q "but the login is $OFFICER" psql.out || fail "the author trigger's message: $(cat psql.out)"
psql_as "$PG_DB" "$OFFICER" "$(forge "$own" "$entrust_acc")" && fail "the officer posted to another book's account"
grep -q "is not in the entry's book" psql.out || fail "the book trigger's message: $(cat psql.out)"
psql_as "$PG_DB" "$OFFICER" "BEGIN; $(forge "$own" "$fund_cash"); ROLLBACK" || fail "her own entry in her name: $(cat psql.out)"
[[ $(sudb "$PG_DB" -c "SELECT count(*) FROM entries WHERE memo = 'forged'") == 0 ]] || fail "a forged entry stayed"
expect 0 "$A" check
# A superuser who disables or drops the identity triggers is seen by check's journal.guards.
sudb "$PG_DB" -c "ALTER TABLE entries DISABLE TRIGGER entries_author" >/dev/null
expect 1 "$A" check --only journal.guards
grep -q "entries_author (đã bị tắt)" out || fail "check does not name the disabled author trigger: $(cat out)"
sudb "$PG_DB" -c "ALTER TABLE entries ENABLE TRIGGER entries_author" -c "DROP TRIGGER postings_same_book ON postings" >/dev/null
expect 1 "$A" check --only journal.guards
grep -q "postings_same_book" out || fail "check does not name the dropped book trigger: $(cat out)"
grep -q "entries_author" out && fail "the author trigger enabled again is still reported: $(cat out)"
sudb "$PG_DB" -c "CREATE TRIGGER postings_same_book AFTER INSERT ON postings REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION soquy_postings_checked()" >/dev/null
expect 0 "$A" check --only journal.guards

# --- 4. soquy.now: honoured where init fixed the clock only ------------------------------------------
[[ $(sudb "$PG_DB" -c "SELECT soquy_fixed_clock()") == t ]] || fail "init with SOQUY_NOW fixes the clock"
[[ $(sudb "$PG_DB" -c "SELECT DISTINCT recorded_at FROM change_log WHERE tbl = 'users'") == 2026-11-28T09:00:00Z ]] ||
  fail "fund A's log is not at SOQUY_NOW: $(sudb "$PG_DB" -c "SELECT DISTINCT recorded_at FROM change_log")"
su -c "CREATE DATABASE $DB_C OWNER $OWN_A" >/dev/null
C=$(uri_for "$DB_C" "$OWN_A")
start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
env -u SOQUY_NOW "$SOQUY" --db "$C" init >out 2>&1 || fail "init without SOQUY_NOW: $(cat out)"
[[ $(sudb "$DB_C" -c "SELECT soquy_fixed_clock()") == f ]] || fail "init without SOQUY_NOW leaves the clock free"
SOQUY_NOW=2001-01-01T00:00:00Z expect 0 "$C" user add "$OFFICER" --role officer
at=$(sudb "$DB_C" -c "SELECT recorded_at FROM change_log WHERE tbl = 'users' ORDER BY seq DESC LIMIT 1")
[[ "$at" != 2001-* && ! "$at" < "$start" ]] || fail "a production database took SOQUY_NOW for its log: $at (started $start)"
psql_as "$DB_C" "$OWN_A" "BEGIN; SELECT set_config('soquy.now', '2001-01-01T00:00:00Z', true);
  INSERT INTO settings VALUES ('x', 'y'); COMMIT" || fail "the admin's psql insert: $(cat psql.out)"
at=$(sudb "$DB_C" -c "SELECT recorded_at FROM change_log WHERE tbl = 'settings' AND record = 'x'")
[[ "$at" != 2001-* && -n "$at" ]] || fail "soquy.now set from psql chose the log's time: $at"
psql_as "$DB_C" "$OFFICER" "CREATE OR REPLACE FUNCTION soquy_fixed_clock() RETURNS boolean LANGUAGE sql AS 'SELECT true'" &&
  fail "an officer fixed the clock"

# --- 5. init is all or nothing --------------------------------------------------------------------
# A login whose name is no soquy user name (a space): the schema is made, then the admin's row is
# refused. Nothing stays: no table, no function, CONNECT as it was.
su -c "CREATE ROLE \"$BAD\" LOGIN CREATEROLE" -c "CREATE DATABASE $DB_D OWNER \"$BAD\"" >/dev/null
acl_before=$(su -c "SELECT coalesce(datacl::text, 'default') FROM pg_database WHERE datname = '$DB_D'")
bad_uri=$(uri_for "$DB_D" "bad%20login$SUF")
expect 65 "$bad_uri" init
grep -q "bad login$SUF" out || fail "init names the login it refused: $(cat out)"
[[ $(sudb "$DB_D" -c "SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace") == 0 ]] ||
  fail "a failed init left relations: $(sudb "$DB_D" -c "SELECT string_agg(relname, ' ') FROM pg_class WHERE relnamespace = 'public'::regnamespace")"
[[ $(sudb "$DB_D" -c "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace") == 0 ]] ||
  fail "a failed init left functions"
[[ $(su -c "SELECT coalesce(datacl::text, 'default') FROM pg_database WHERE datname = '$DB_D'") == "$acl_before" ]] ||
  fail "a failed init changed who may connect"
[[ $(su -c "SELECT pg_has_role('$BAD', 'soquy_admin', 'MEMBER')") == f ]] || fail "a failed init left a membership"
expect 0 "$(uri_for "$DB_D")" init  # the superuser's init, on the same database: a clean start
expect 0 "$(uri_for "$DB_D")" check

# --- 6. schema 16 upgrades through 19 -----------------------------------------------------------------
# A database made by the soquy of schema 16: its files (0001–0016), schema_version, the owner as
# admin, an officer and a second admin, their logins made as that soquy made them: LOGIN, member
# of soquy_officer or soquy_admin, CONNECT by PUBLIC, and the admin with CREATEROLE.
su -c "CREATE DATABASE $DB_E OWNER $OWN_E" -c "CREATE ROLE $OLD LOGIN IN ROLE soquy_officer" \
   -c "CREATE ROLE $OLD_ADMIN LOGIN CREATEROLE IN ROLE soquy_admin" >/dev/null
old_files=("$ROOT"/schemas/postgresql/00{0[0-9],1[0-6]}_*.sql)
[[ ${#old_files[@]} == 16 ]] || fail "set-up: schema 16 is 16 files, found ${#old_files[@]}"
E=$(uri_for "$DB_E" "$OWN_E")
{
  for f in "${old_files[@]}"; do cat "$f"; echo; done
  echo "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);"
  for f in "${old_files[@]}"; do
    n=$(basename "$f" .sql)
    echo "INSERT INTO schema_version VALUES (${n:0:4}, '$n', 'x');"
  done
  echo "GRANT SELECT ON schema_version TO soquy_admin, soquy_officer, soquy_treasurer, soquy_auditor;"
  echo "GRANT soquy_admin TO $OWN_E;"
  echo "INSERT INTO users (name, role, created_at) VALUES ('$OWN_E', 'admin', 'x'), ('$OLD', 'officer', 'x'), ('$OLD_ADMIN', 'admin', 'x'), ('$OWN_A', 'admin', 'x');"
} >old.sql
psql -q -X -v ON_ERROR_STOP=1 "$E" -f old.sql >/dev/null 2>psql.out || fail "making a schema-16 database: $(head -5 psql.out)"
[[ $(sudb "$DB_E" -c "SELECT max(version) FROM schema_version") == 16 ]] || fail "set-up: schema 16"
expect 74 "$(uri_for "$DB_E" "$OLD")" balance --book fund  # reading: asks for the upgrade
# An owner without CREATEROLE cannot take it from the old admin: the whole upgrade is refused.
su -c "ALTER ROLE $OWN_E NOCREATEROLE" >/dev/null
expect 77 "$E" user add "$OFFICER" --role officer
grep -q "schema 19 takes CREATEROLE from the admin $OLD_ADMIN" out || fail "the refused upgrade does not name the admin: $(cat out)"
[[ $(sudb "$DB_E" -c "SELECT max(version) FROM schema_version") == 16 ]] || fail "a refused upgrade left the database past 16"
su -c "ALTER ROLE $OWN_E CREATEROLE" >/dev/null
expect 0 "$E" user add "$OFFICER" --role officer            # writing: upgrades, as the owner
[[ $(sudb "$DB_E" -c "SELECT string_agg(version::text, ' ' ORDER BY version) FROM schema_version WHERE version > 16") == "17 18 19" ]] ||
  fail "the upgrade did not record schemas 17 to 19: $(sudb "$DB_E" -c "SELECT string_agg(version::text, ' ') FROM schema_version")"
# Fund A's owner, an admin here too, keeps hers: A's soquy_add_login runs with it.
[[ $(su -c "SELECT string_agg(rolname || '=' || rolcreaterole, ' ' ORDER BY rolname <> '$OLD_ADMIN', rolname = '$OWN_E') FROM pg_roles WHERE rolname IN ('$OLD_ADMIN', '$OWN_A', '$OWN_E')") == "$OLD_ADMIN=false $OWN_A=true $OWN_E=true" ]] ||
  fail "after the upgrade: the old admin keeps CREATEROLE, or an owner lost hers: $(su -c "SELECT rolname, rolcreaterole FROM pg_roles WHERE rolname IN ('$OLD_ADMIN', '$OWN_A', '$OWN_E')")"
psql_as "$DB_E" "$OLD_ADMIN" "CREATE ROLE x$SUF" && fail "the old admin still creates roles from psql after the upgrade"
[[ $(su -c "SELECT has_database_privilege('$OLD', '$DB_E', 'CONNECT') AND NOT has_database_privilege('public', '$DB_E', 'CONNECT')") == t ]] ||
  fail "after the upgrade: the old officer may connect, PUBLIC may not"
psql_as "$DB_E" "$OLD" "SELECT 1" || fail "the old officer's own connection after the upgrade: $(cat psql.out)"
psql_as "$DB_E" "$OWN_B" "SELECT 1" && fail "another fund's owner connects to the upgraded database"
[[ $(sudb "$DB_E" -c "SELECT soquy_fixed_clock()") == f ]] || fail "an upgraded database has a fixed clock"

[[ -n "${KEEP:-}" ]] && echo "kept $PG_DB"
if [[ $failures -gt 0 ]]; then echo "$failures failure(s)"; exit 1; fi
echo "ok"
