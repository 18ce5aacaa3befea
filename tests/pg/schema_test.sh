#!/usr/bin/env bash
# The PostgreSQL schema (schemas/postgresql/*.sql) against the SQLite one (schemas/*.sql), issue 14.
#
#   SOQUY_TEST_PG_URI=postgresql://postgres@…/postgres tests/pg/schema_test.sh
#
# SOQUY_TEST_PG_URI: a superuser's URI on a throwaway cluster (scripts/pg-cluster.sh start DIR).
# Without it the test is skipped (exit 77). It creates a fresh database, applies every file of
# schemas/postgresql/ in order, and checks:
#   1. the same tables, columns (name, position, type, NOT NULL, default), keys, UNIQUE constraints,
#      foreign keys, named indexes, CHECK counts and guard triggers as a SQLite database built
#      from schemas/*.sql with the sqlite3 shell (a diff: any missing or extra thing fails);
#   2. every append-only guard refuses an UPDATE or a DELETE with SQLite's very message, even
#      for the superuser (one probe per guard, on a fixture row: tests/pg/schema_fixture.sql);
#   3. an auditor's login can INSERT, UPDATE, DELETE and TRUNCATE no table, and reads every one;
#   4. a treasurer's login sees and writes only her groups' rows in the tables under row-level
#      security; officers and treasurers cannot write what is not theirs;
#   5. the change log: every logged table's insert writes its row; the hash chain follows
#      change_log::link (ledger/storage/sqlite/change_log.cc), recomputed here in Python; the
#      content is byte for byte what SQLite's json_object() writes; a key change logs 'delete'
#      then 'update'; the user is the real login; nobody may write the log directly; soquy.now
#      is honoured only where the clock was fixed (schema 17);
#   6. schema 17's identities: an officer or a treasurer records entries only in her own name and
#      postings only to accounts of the entry's book (an admin may name anyone: `soquy copy`);
#      only admins call soquy_add_login(), which refuses what is not a soquy role or user name;
#      an admin cannot create roles nor grant herself the server's built-in roles.
# The database and the test's roles are dropped at the end, whatever happened.
set -euo pipefail

if [ -z "${SOQUY_TEST_PG_URI:-}" ]; then
  echo "SKIP: SOQUY_TEST_PG_URI is not set (scripts/pg-cluster.sh start DIR prints one)"
  exit 77
fi
for p in psql sqlite3 python3; do
  command -v "$p" >/dev/null || { echo "SKIP: $p not found"; exit 77; }
done

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tag="$$_${RANDOM}"
db="soquy_schema_test_$tag"
auditor="soquy_test_auditor_$tag"
treasurer="soquy_test_treasurer_$tag"
officer="soquy_test_officer_$tag"
admin="soquy_test_admin_$tag"
work=$(mktemp -d)

# The same URI with another database: postgresql://[userinfo@][hosts][/dbname][?params].
if [[ "$SOQUY_TEST_PG_URI" =~ ^(postgres(ql)?://[^/?]*)(/[^?]*)?(\?.*)?$ ]]; then
  db_uri="${BASH_REMATCH[1]}/$db${BASH_REMATCH[4]}"
else
  echo "FAIL: SOQUY_TEST_PG_URI is not a postgresql:// URI"
  exit 1
fi

server() { psql "$SOQUY_TEST_PG_URI" -X -q -v ON_ERROR_STOP=1 "$@"; }
pg() { psql "$db_uri" -X -q -v ON_ERROR_STOP=1 "$@"; }
pg_rows() { pg -A -t "$@"; }
lite() { sqlite3 -batch "$work/sqlite.db" "$@"; }

cleanup() {
  server -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
         -c "DROP ROLE IF EXISTS $auditor" -c "DROP ROLE IF EXISTS $treasurer" -c "DROP ROLE IF EXISTS $officer" \
         -c "DROP ROLE IF EXISTS $admin" -c "DROP ROLE IF EXISTS soquy_test_added_$tag" \
    >/dev/null 2>&1 || echo "warning: could not drop database $db or the test roles"
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# same NAME FILE_EXPECTED FILE_GOT: the two listings (sorted) must be equal.
same() {
  LC_ALL=C sort "$2" >"$2.sorted"
  LC_ALL=C sort "$3" >"$3.sorted"
  if diff -u --label "sqlite/expected: $1" --label "postgresql: $1" "$2.sorted" "$3.sorted" >"$work/diff"; then
    echo "ok: $1 ($(wc -l <"$2.sorted") lines)"
  else
    cat "$work/diff"
    fail "$1 differ"
  fi
}

# ---- the two databases ---------------------------------------------------------------------------
server -c "CREATE DATABASE $db" >/dev/null
pg_files=("$root"/schemas/postgresql/[0-9]*.sql)
for f in "${pg_files[@]}"; do
  pg -f "$f" >/dev/null || { fail "$(basename "$f") does not apply"; exit 1; }
done
echo "ok: ${#pg_files[@]} files of schemas/postgresql applied"
# The test's logins, members of the soquy roles that schema 1 creates.
server -c "CREATE ROLE $auditor LOGIN IN ROLE soquy_auditor" -c "CREATE ROLE $treasurer LOGIN IN ROLE soquy_treasurer" \
  -c "CREATE ROLE $officer LOGIN IN ROLE soquy_officer" -c "CREATE ROLE $admin LOGIN IN ROLE soquy_admin" >/dev/null
# Schema 17 took CONNECT from PUBLIC: the test's logins get it as `soquy user add` gives it.
connect_acl=$(pg_rows -c "SELECT datacl FROM pg_database WHERE datname = current_database()")
[[ "$connect_acl" != *"=Tc/"* && "$connect_acl" != *"=c/"* ]] && echo "ok: PUBLIC may not connect ($connect_acl)" ||
  fail "PUBLIC still has CONNECT: $connect_acl"
pg -c "GRANT CONNECT ON DATABASE $db TO $auditor, $treasurer, $officer, $admin" >/dev/null

for f in "$root"/schemas/[0-9]*.sql; do
  lite <"$f" || { fail "sqlite3 cannot apply $(basename "$f")"; exit 1; }
done

# ---- 1. the same schema --------------------------------------------------------------------------
schema_filter="n.nspname = current_schema()"
lite "SELECT m.name || '|' || p.cid || '|' || p.name || '|' ||
        CASE lower(p.type) WHEN 'integer' THEN 'bigint' WHEN 'blob' THEN 'bytea' ELSE lower(p.type) END || '|' ||
        (p.\"notnull\" OR p.pk > 0) || '|' || coalesce(p.dflt_value, '')
      FROM sqlite_schema m, pragma_table_info(m.name) p
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'" >"$work/cols.sqlite"
pg_rows -c "SELECT c.relname || '|' || (row_number() OVER (PARTITION BY c.relname ORDER BY a.attnum) - 1) || '|' ||
              a.attname || '|' || format_type(a.atttypid, NULL) || '|' || a.attnotnull::int || '|' ||
              coalesce(regexp_replace(pg_get_expr(d.adbin, d.adrelid), '::[a-z ]+$', ''), '')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
            WHERE c.relkind = 'r' AND $schema_filter" >"$work/cols.pg"
same "tables and columns (table|position|column|type|not null|default)" "$work/cols.sqlite" "$work/cols.pg"

# Primary keys (in key order), UNIQUE constraints, foreign keys.
lite "SELECT m.name || '|pk|' || (SELECT group_concat(name, ',') FROM
        (SELECT name FROM pragma_table_info(m.name) WHERE pk > 0 ORDER BY pk))
      FROM sqlite_schema m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
      UNION ALL
      SELECT m.name || '|unique|' || (SELECT group_concat(name, ',') FROM
        (SELECT name FROM pragma_index_info(il.name) ORDER BY seqno))
      FROM sqlite_schema m, pragma_index_list(m.name) il WHERE m.type = 'table' AND il.origin = 'u'
      UNION ALL
      SELECT m.name || '|fk|' || group_concat(f.\"from\", ',') || '|' || f.\"table\" || '|' || group_concat(f.\"to\", ',')
      FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'
      GROUP BY m.name, f.id" >"$work/keys.sqlite"
pg_rows -c "SELECT c.relname || '|' || CASE k.contype WHEN 'p' THEN 'pk' WHEN 'u' THEN 'unique' ELSE 'fk' END || '|' ||
              (SELECT string_agg(a.attname, ',' ORDER BY x.n) FROM unnest(k.conkey) WITH ORDINALITY AS x(attnum, n)
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = x.attnum) ||
              CASE WHEN k.contype = 'f' THEN '|' || r.relname || '|' ||
                (SELECT string_agg(a.attname, ',' ORDER BY x.n) FROM unnest(k.confkey) WITH ORDINALITY AS x(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum = x.attnum) ELSE '' END
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_class r ON r.oid = k.confrelid
            WHERE k.contype IN ('p', 'u', 'f') AND $schema_filter
            UNION ALL  -- schema 18: four of the journal's foreign keys are checked per statement by the
                       -- two triggers (part 6 tries each); counted as keys where both triggers are there
            SELECT unnest(ARRAY['entries|fk|book_id|books|id', 'entries|fk|user_id|users|id',
                                'postings|fk|entry_id|entries|id', 'postings|fk|account_id|accounts|id'])
             WHERE (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                     JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE $schema_filter AND t.tgname IN ('entries_author', 'postings_same_book')
                       AND t.tgtype & 1 = 0) = 2  -- statement triggers (TRIGGER_TYPE_ROW unset)" >"$work/keys.pg"
same "primary keys, UNIQUE constraints, foreign keys" "$work/keys.sqlite" "$work/keys.pg"

# Named indexes (CREATE INDEX): table, unique, partial, columns. CHECK constraints: how many per table.
lite "SELECT il.name || '|' || m.name || '|' || il.\"unique\" || '|' || il.partial || '|' ||
        (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(il.name) ORDER BY seqno))
      FROM sqlite_schema m, pragma_index_list(m.name) il WHERE m.type = 'table' AND il.origin = 'c'
      UNION ALL
      SELECT m.name || '|checks|' || ((length(m.sql) - length(replace(m.sql, 'CHECK (', ''))) / 7)
      FROM sqlite_schema m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'" >"$work/indexes.sqlite"
pg_rows -c "SELECT i.relname || '|' || c.relname || '|' || x.indisunique::int || '|' || (x.indpred IS NOT NULL)::int || '|' ||
              (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE $schema_filter AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid
                                                   AND k.conrelid = c.oid AND k.contype IN ('p', 'u', 'x'))
            UNION ALL
            SELECT c.relname || '|checks|' || (SELECT count(*) FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'c')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND $schema_filter" \
  >"$work/indexes.pg"
same "named indexes and CHECK counts" "$work/indexes.sqlite" "$work/indexes.pg"

# The guard triggers, with the message each one raises in SQLite.
# PostgreSQL adds a BEFORE TRUNCATE guard (TRUNCATE skips row triggers) to every table that SQLite
# keeps fully append-only (both guards), with the DELETE guard's message.
append_only="SELECT d.tbl_name AS tbl, d.name AS del, replace(d.name, '_no_delete', '_no_truncate') AS trunc, d.sql
             FROM sqlite_schema d JOIN sqlite_schema u ON u.tbl_name = d.tbl_name AND u.type = 'trigger'
             AND u.name = replace(d.name, '_no_delete', '_no_update') WHERE d.type = 'trigger' AND d.name LIKE '%_no_delete'"
lite "SELECT tbl_name || '|' || name FROM sqlite_schema WHERE type = 'trigger'
      UNION ALL SELECT tbl || '|' || trunc FROM ($append_only)" >"$work/triggers.sqlite"
pg_rows -c "SELECT c.relname || '|' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND t.tgname NOT LIKE 'log\_%' AND $schema_filter
              AND t.tgname NOT IN ('entries_author', 'postings_same_book')  -- the server's own (schema 17, part 6)
           " >"$work/triggers.pg"
same "append-only triggers (table|trigger)" "$work/triggers.sqlite" "$work/triggers.pg"

# ---- 2. the guards refuse, with SQLite's messages --------------------------------------------------
# The fixture sets soquy.now: honoured because this database's clock is fixed, as `soquy init`
# with SOQUY_NOW fixes it (part 5 tries the other mode).
pg -c 'CREATE OR REPLACE FUNCTION soquy_fixed_clock() RETURNS boolean LANGUAGE sql STABLE AS $f$ SELECT true $f$' >/dev/null
pg -v treasurer="$treasurer" -f "$here/schema_fixture.sql" >/dev/null || { fail "the fixture does not load"; exit 1; }
lite "SELECT name || '|' || replace(substr(s, 1, instr(s, ''')') - 1), '''''', '''')
      FROM (SELECT name, substr(sql, instr(sql, 'RAISE(ABORT, ''') + 14) AS s FROM sqlite_schema WHERE type = 'trigger'
            UNION ALL SELECT trunc, substr(sql, instr(sql, 'RAISE(ABORT, ''') + 14) FROM ($append_only))" \
  >"$work/guards.sqlite"
pg_rows >"$work/guards.pg" <<'SQL'
SET client_min_messages = warning;  -- not TRUNCATE's "truncate cascades to table" notices
CREATE TEMP TABLE probe (trg TEXT, msg TEXT);
DO $$
DECLARE
  t RECORD;
  got TEXT;
  probe_sql TEXT;
BEGIN
  FOR t IN SELECT c.relname AS tbl, g.tgname AS trg,
                  (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = 1) AS col
             FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
            WHERE NOT g.tgisinternal AND g.tgname ~ '_no_(update|delete|truncate)$'
              AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
  LOOP
    IF t.trg LIKE '%\_no\_truncate' THEN
      probe_sql := format('TRUNCATE %I CASCADE', t.tbl);
    ELSIF t.trg LIKE '%\_no\_delete' THEN
      probe_sql := format('DELETE FROM %I', t.tbl);
    ELSIF t.tbl = 'loan_events' THEN  -- its guard lets a repayment's split change: change its amount
      probe_sql := 'UPDATE loan_events SET amount = amount + 1';
    ELSE
      probe_sql := format('UPDATE %I SET %I = %I', t.tbl, t.col, t.col);
    END IF;
    BEGIN
      EXECUTE probe_sql;
      RAISE EXCEPTION 'no error: % changed % rows', probe_sql, 0;
    EXCEPTION WHEN OTHERS THEN
      got := SQLERRM;
    END;
    INSERT INTO probe VALUES (t.trg, got);
  END LOOP;
END $$;
SELECT trg || '|' || msg FROM probe;
SQL
same "each guard refuses its probe with SQLite's message (trigger|message)" "$work/guards.sqlite" "$work/guards.pg"
rows=$(pg_rows -c "SELECT count(*) FROM members")
[ "$rows" = 2 ] || fail "the probes changed the fixture (members: $rows rows)"

# ---- 3. an auditor writes nothing, reads everything ------------------------------------------------
if pg -c "SET SESSION AUTHORIZATION $auditor" -f - >"$work/auditor.out" 2>&1 <<'SQL'
DO $$
DECLARE
  t RECORD;
  op TEXT;
  bad INT := 0;
  tables INT := 0;
BEGIN
  FOR t IN SELECT c.relname AS tbl,
                  (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = 1) AS col
             FROM pg_class c WHERE c.relkind = 'r'
              AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
  LOOP
    tables := tables + 1;
    EXECUTE format('SELECT count(*) FROM %I', t.tbl);  -- reading is allowed
    FOREACH op IN ARRAY ARRAY[format('INSERT INTO %I DEFAULT VALUES', t.tbl),
                              format('UPDATE %I SET %I = %I', t.tbl, t.col, t.col),
                              format('DELETE FROM %I', t.tbl), format('TRUNCATE %I', t.tbl)]
    LOOP
      BEGIN
        EXECUTE op;
        RAISE NOTICE 'auditor could run: %', op; bad := bad + 1;
      EXCEPTION WHEN insufficient_privilege THEN NULL;
      WHEN OTHERS THEN RAISE NOTICE 'auditor got % (%), not permission denied: %', SQLSTATE, SQLERRM, op; bad := bad + 1;
      END;
    END LOOP;
  END LOOP;
  IF bad > 0 OR tables < 40 THEN RAISE EXCEPTION '% writes not refused over % tables', bad, tables; END IF;
  RAISE NOTICE 'auditor refused on all % tables', tables;
END $$;
SQL
then
  echo "ok: $(grep -o 'auditor refused on all [0-9]* tables' "$work/auditor.out")"
else
  cat "$work/auditor.out"
  fail "an auditor could write"
fi

# The checks run as the logins through SET SESSION AUTHORIZATION (session_user and current_user
# as a real login's). Where the server lets the login in without a password (a pg-cluster.sh
# socket), one real connection too.
if [[ "$db_uri" =~ ^(postgres(ql)?://)([^@/?]*@)?(.*)$ ]]; then
  login_uri="${BASH_REMATCH[1]}$auditor@${BASH_REMATCH[4]}"
  if psql "$login_uri" -X -q -A -t -c "SELECT session_user" >/dev/null 2>&1 </dev/null; then
    if out=$(psql "$login_uri" -X -q -c "INSERT INTO settings (key, value) VALUES ('x', 'y')" 2>&1 </dev/null); then
      fail "the auditor's own connection could insert into settings"
    elif grep -q 'permission denied' <<<"$out"; then
      echo "ok: the auditor's own connection is refused too"
    else
      fail "the auditor's own connection: $out"
    fi
  else
    echo "note: the auditor cannot connect without a password here; SET SESSION AUTHORIZATION only"
  fi
fi

# ---- 4. row-level security: a treasurer's groups only ----------------------------------------------
# Her groups are R1 (group 2) and S1 (group 4); the fixture's row ids of S1's meeting and loan are 4.
mine="CASE t WHEN 'savings_meeting_lines' THEN 'meeting_id = 4' WHEN 'savings_loan_payments' THEN 'loan_id = 4'
          ELSE 'group_id IN (2, 4)' END"
rls_tables="SELECT c.relname AS t FROM pg_class c WHERE c.relkind = 'r' AND (c.relname LIKE 'rosca\_%' OR c.relname LIKE 'savings\_%')
              AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
pg_rows -c "SELECT t || '|rls' FROM ($rls_tables) x" >"$work/rls.expected"
pg_rows -c "SELECT c.relname || '|rls' FROM pg_class c WHERE c.relrowsecurity AND (c.relname LIKE 'rosca\_%' OR c.relname LIKE 'savings\_%')" \
  >"$work/rls.got"
same "rosca and savings tables under row-level security" "$work/rls.expected" "$work/rls.got"
count_sql() {  # one "table|rows" line per RLS table, rows counted with $1 as the filter
  echo "DO \$\$ DECLARE r RECORD; n BIGINT; BEGIN
        FOR r IN $rls_tables LOOP EXECUTE format('SELECT count(*) FROM %I WHERE %s', r.t, $1) INTO n;
        INSERT INTO seen VALUES (r.t || '|' || n); END LOOP; END \$\$; SELECT line FROM seen;"
}
pg_rows -c "CREATE TEMP TABLE seen (line TEXT)" -c "$(count_sql "(SELECT $mine FROM (SELECT r.t AS t) y)")" \
  >"$work/treasurer.expected"
# The temp table is created by the superuser before switching, so that the treasurer can fill it.
pg_rows -c "CREATE TEMP TABLE seen (line TEXT); GRANT ALL ON seen TO $treasurer" -c "SET SESSION AUTHORIZATION $treasurer" \
  -c "$(count_sql "'true'")" >"$work/treasurer.got"
same "what the treasurer sees (table|rows of her groups)" "$work/treasurer.expected" "$work/treasurer.got"
others=$(pg_rows -c "SELECT count(*) FROM rosca_movements WHERE group_id NOT IN (2, 4)")
[ "$others" -gt 0 ] || fail "the fixture has no other group's rows: the treasurer test proves nothing"

# expect_refused WHO SQL [PATTERN]: the statement must fail with permission denied or a
# row-level security violation (42501), or with an error matching PATTERN.
expect_refused() {
  local who=$1 sql=$2 pattern=${3:-permission denied|violates row-level security} out
  if out=$(pg -c "SET SESSION AUTHORIZATION $who" -c "BEGIN" -c "$sql" -c "ROLLBACK" 2>&1); then
    fail "$who could run: $sql"
  elif grep -q -E "$pattern" <<<"$out"; then
    echo "ok: refused to ${who%%_[0-9]*}: $sql"
  else
    fail "$who: $sql: expected permission denied, got: $out"
  fi
}
expect_allowed() {
  local who=$1 sql=$2 out
  if out=$(pg -c "SET SESSION AUTHORIZATION $who" -c "BEGIN" -c "$sql" -c "ROLLBACK" 2>&1); then
    echo "ok: allowed to ${who%%_[0-9]*}: $sql"
  else
    fail "$who could not run: $sql: $out"
  fi
}
expect_refused "$treasurer" "INSERT INTO rosca_settlements (group_id, member_id, amount) VALUES (3, 2, 0)"
expect_allowed "$treasurer" "INSERT INTO rosca_settlements (group_id, member_id, amount) VALUES (2, 2, 0)"
expect_refused "$treasurer" "INSERT INTO savings_meeting_lines VALUES (5, 2, 2, 0, 0, 0, 0, 0, 0, NULL)"
expect_allowed "$treasurer" "INSERT INTO savings_meeting_lines VALUES (4, 2, 2, 0, 0, 0, 0, 0, 0, NULL)"
# Her own temporary tables cannot stand in for users and book_treasurers in the policies.
got=$(pg_rows -c "SET SESSION AUTHORIZATION $treasurer" \
  -c "CREATE TEMP TABLE users AS SELECT * FROM public.users" \
  -c "CREATE TEMP TABLE book_treasurers AS SELECT book_id, 2::bigint AS user_id, named_by, named_at FROM public.book_treasurers" \
  -c "SELECT count(*) FROM rosca_movements WHERE group_id = 3")
[ "$got" = 0 ] && echo "ok: temporary tables do not widen the treasurer's rows" || fail "temporary tables let the treasurer see $got rows of R2"
expect_refused "$treasurer" "INSERT INTO loan_events (loan_id, kind, on_date) VALUES (1, 'freeze', '2026-03-01')"
expect_refused "$officer" "INSERT INTO setting_changes (key, new_value, user_id, recorded_at) VALUES ('k', 'v', 1, 'x')"
expect_refused "$officer" "INSERT INTO loan_products (code, method, rate, installments, frequency, created_at)
                           VALUES ('P2', 'flat', '1%/month', 1, 'monthly', 'x')"
expect_refused "$officer" "UPDATE loans SET principal = 1"
expect_allowed "$officer" "UPDATE loans SET reversed_by = 4, reversal_reason = 'typo'"
# Schema 14's narrowed guards: a loan is marked reversed once; an event's split changes only
# to another split of the same amount.
expect_refused "$officer" "UPDATE loans SET reversed_by = 4, reversal_reason = 'a'; UPDATE loans SET reversal_reason = 'b'" \
  "a disbursement is only marked reversed, once"
expect_allowed "$officer" "UPDATE loan_events SET principal = 60, interest = 40"
expect_refused "$officer" "UPDATE loan_events SET principal = 60" "a repayment's split changes only by re-allocation"
expect_allowed "$officer" "UPDATE loan_events SET reversed_by = 4, reversal_reason = 'typo'"
expect_allowed "$officer" "INSERT INTO rosca_settlements (group_id, member_id, amount) VALUES (3, 2, 0)"
expect_refused "$officer" "INSERT INTO change_log (recorded_at, \"user\", tbl, record, action, hash)
                           VALUES ('x', 'x', 'x', 'x', 'insert', repeat('0', 64))"
expect_refused "$officer" "SELECT soquy_log_one('members', '1', 'delete', NULL)"

# ---- 5. the change log ------------------------------------------------------------------------------
# Every table but the four not logged got its fixture rows logged.
pg_rows -c "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r'
              AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
              AND c.relname NOT IN ('entries', 'postings', 'account_balances', 'change_log', 'schema_version')" >"$work/logged.expected"
pg_rows -c "SELECT DISTINCT tbl FROM change_log" >"$work/logged.got"
same "tables whose inserts the change log recorded" "$work/logged.expected" "$work/logged.got"

# An officer's change is logged under her login; a key change logs 'delete' of the old key first.
pg -c "SET SESSION AUTHORIZATION $officer" -c "UPDATE members SET name = 'Trần Thị Mai Anh' WHERE id = 2" \
   -c "UPDATE group_members SET joined_on = '2020-02-01' WHERE group_id = 1 AND member_id = 1" >/dev/null \
  || fail "an officer cannot update members and group_members"
got=$(pg_rows -F ' ' -c "SELECT \"user\", tbl, record, action FROM change_log ORDER BY seq DESC LIMIT 3" | tac | tr '\n' ';')
want="$officer members 2 update;$officer group_members 1/1/2020-01-01 delete;$officer group_members 1/1/2020-02-01 update;"
[ "$got" = "$want" ] && echo "ok: update, re-keyed update logged as the officer" || fail "change log tail: $got (want $want)"

# A temporary table named change_log does not take the log's rows.
pg -c "SET SESSION AUTHORIZATION $officer" -c "CREATE TEMP TABLE change_log (LIKE public.change_log INCLUDING ALL)" \
   -c "INSERT INTO member_poverty (member_id, valid_from, status) VALUES (2, '2022-01-01', 'poor')" >/dev/null \
  || fail "an officer's insert fails beside a temporary change_log"
rows=$(pg_rows -c "SELECT count(*) FROM change_log WHERE tbl = 'member_poverty' AND record = '2/2022-01-01'")
[ "$rows" = 1 ] && echo "ok: a temporary change_log does not hide a change" || fail "a change under a temporary change_log: $rows log rows"

# Concurrent writers: 4 sessions, 25 transactions each, append to one chain (no fork, no error).
for w in 1 2 3 4; do
  (for i in $(seq 1 25); do
     echo "BEGIN; INSERT INTO member_poverty (member_id, valid_from, status) VALUES (1, '2021-$w-$i', 'none');"
     echo "SELECT pg_sleep(0.005); COMMIT;"  # a window in which an unserialized writer would fork the chain
   done | pg -f - >/dev/null 2>"$work/writer.$w") &
done
wait
cat "$work"/writer.* | grep -i error && fail "a concurrent writer failed"
rows=$(pg_rows -c "SELECT count(*) FROM change_log WHERE tbl = 'member_poverty' AND record LIKE '1/2021-%'")
[ "$rows" = 100 ] && echo "ok: 4 concurrent writers logged 100 changes" || fail "concurrent writers logged $rows changes, not 100"

# The hash chain, recomputed from the rows by change_log::link's rules.
pg -c "\\copy (SELECT seq, recorded_at, \"user\", tbl, record, action, content, hash FROM change_log ORDER BY seq) TO '$work/log.csv' CSV" \
  || fail "cannot read the change log"
if python3 - "$work/log.csv" <<'PY'
import csv, hashlib, sys
def link(prev, recorded_at, user, tbl, record, action, content):
    b = b"".join(b"%d:%s;" % (len(f.encode()), f.encode()) for f in (prev, recorded_at, user, tbl, record, action))
    b += b"null;" if content is None else b"%d:%s;" % (len(content.encode()), content.encode())
    return hashlib.sha256(b).hexdigest()
prev, n = "", 0
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for seq, at, user, tbl, record, action, content, h in csv.reader(f):
        # psql's CSV writes NULL as an empty unquoted field; content is never an empty string.
        want = link(prev, at, user, tbl, record, action, content if content != "" else None)
        if h != want:
            sys.exit(f"row {seq} ({tbl} {record} {action}): hash {h}, expected {want}")
        prev, n = h, n + 1
print(f"ok: change log chain of {n} rows verifies")
PY
then :; else fail "the change log's chain does not follow change_log::link"; fi

# The content of the fixture's members equals SQLite's json_object() of the same rows.
lite "INSERT INTO members (id, code, name, national_id, unit_id, born, ethnicity, joined) VALUES
        (1, 'M1', 'Nguyễn \"Thị\" \\ Lan' || char(10) || char(9) || '/x', '012345678901', 2, NULL, 'Kinh', '2020-01-01'),
        (2, 'M2', 'Trần Thị Mai', NULL, 2, '1980-05-06', NULL, '2020-01-01')"
json_sql=$(lite "SELECT 'SELECT json_object(' || group_concat('''' || name || ''', ' || name, ', ') || ') FROM members ORDER BY id'
                 FROM (SELECT name FROM pragma_table_info('members') ORDER BY cid)")
lite "$json_sql" >"$work/json.sqlite"
pg_rows -c "SELECT content FROM change_log WHERE tbl = 'members' AND action = 'insert' ORDER BY record" >"$work/json.pg"
if cmp -s "$work/json.sqlite" "$work/json.pg"; then
  echo "ok: change log content equals SQLite's json_object() byte for byte"
else
  diff "$work/json.sqlite" "$work/json.pg" || true
  fail "change log content differs from SQLite's json_object()"
fi
at=$(pg_rows -c "SELECT DISTINCT recorded_at FROM change_log WHERE tbl = 'units'")
[ "$at" = "2026-01-02T03:04:05Z" ] || fail "recorded_at does not follow soquy.now: $at"
# A production database (init without SOQUY_NOW: soquy_fixed_clock() is false): soquy.now is
# ignored, the server's clock is used; a malformed one is not even looked at.
pg -c 'CREATE OR REPLACE FUNCTION soquy_fixed_clock() RETURNS boolean LANGUAGE sql STABLE AS $f$ SELECT false $f$' >/dev/null
before=$(pg_rows -c "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
pg -c "SET SESSION AUTHORIZATION $officer" -c "BEGIN" -c "SELECT set_config('soquy.now', '2001-01-01T00:00:00Z', true)" \
   -c "INSERT INTO member_poverty (member_id, valid_from, status) VALUES (2, '2023-01-01', 'poor')" -c "COMMIT" \
   -c "BEGIN" -c "SELECT set_config('soquy.now', 'not a time', true)" \
   -c "INSERT INTO member_poverty (member_id, valid_from, status) VALUES (2, '2024-01-01', 'poor')" -c "COMMIT" >/dev/null \
  || fail "an officer's insert with soquy.now set fails on a production database"
at=$(pg_rows -c "SELECT string_agg(recorded_at, ',' ORDER BY seq) FROM change_log WHERE tbl = 'member_poverty' AND record IN ('2/2023-01-01', '2/2024-01-01')")
if [[ "$at" == *2001-01-01* || "$at" != 20??-??-??T??:??:??Z,20??-??-??T??:??:??Z || "${at%%,*}" < "$before" ]]; then
  fail "a production database took the session's soquy.now: $at (server clock at the start: $before)"
else
  echo "ok: a production database ignores soquy.now (logged at $at, not 2001-01-01)"
fi
expect_refused "$officer" "CREATE OR REPLACE FUNCTION soquy_fixed_clock() RETURNS boolean LANGUAGE sql AS 'SELECT true'" \
  "must be owner|permission denied"

# ---- 6. schema 17: entries in their author's name, postings in the entry's book, adding logins -------
# The officer's and the admin's users rows; an account of group:R1 (the treasurer's book, id 2).
pg -c "INSERT INTO users (id, name, role, created_at) VALUES (4, '$officer', 'officer', 'x'), (5, '$admin', 'admin', 'x')" \
   -c "INSERT INTO accounts (id, book_id, code, name, type) VALUES (3, 2, '1011', 'Cash R1', 'asset')" >/dev/null
entry() {  # entry ID BOOK USER: an INSERT of one entry
  echo "INSERT INTO entries (id, book_id, date, memo, user_id, recorded_at, hash)
        VALUES ($1, $2, '2026-02-01', 'probe', $3, 'x', decode(repeat('ab', 32), 'hex'))"
}
expect_refused "$officer" "$(entry 100 1 1)" "entry 100 names user #1 as its author, but the login is $officer"
expect_allowed "$officer" "$(entry 100 1 4)"
expect_refused "$treasurer" "$(entry 100 2 3)" "in its author's own name"
expect_allowed "$treasurer" "$(entry 100 2 2); INSERT INTO postings VALUES (100, 1, 3, 5), (100, 2, 3, -5)"
expect_allowed "$admin" "$(entry 100 1 2)"  # an admin writes others' entries (soquy copy does)
expect_refused "$officer" "$(entry 100 1 4); INSERT INTO postings VALUES (100, 1, 1, 5), (100, 2, 3, -5)" \
  "posting 2 of entry 100: account #3 is not in the entry's book"
expect_refused "$admin" "$(entry 100 1 5); INSERT INTO postings VALUES (100, 1, 3, 5)" "is not in the entry's book"
expect_allowed "$officer" "$(entry 100 1 4); INSERT INTO postings VALUES (100, 1, 1, 5), (100, 2, 2, -5)"
# Schema 18: the foreign keys the two triggers check for the whole statement.
expect_refused "$admin" "$(entry 100 9 5)" "entry 100 names book #9, which does not exist"
expect_refused "$admin" "$(entry 100 1 99)" "entry 100 names user #99, who does not exist"
expect_refused "$admin" "INSERT INTO postings VALUES (100, 1, 1, 5)" "posting 1 names entry #100, which does not exist"
expect_refused "$admin" "$(entry 100 1 5); INSERT INTO postings VALUES (100, 1, 1, 5), (100, 2, 77, -5)" \
  "posting 2 of entry 100 names account #77, which does not exist"
# Many rows in one statement: the first wrong one (lowest id) is named, and nothing is written.
expect_refused "$officer" "INSERT INTO entries (id, book_id, date, memo, user_id, recorded_at, hash)
  SELECT i, 1, '2026-02-01', 'probe', CASE WHEN i IN (157, 190) THEN 1 ELSE 4 END, 'x', decode(repeat('ab', 32), 'hex')
    FROM generate_series(101, 200) AS i" "entry 157 names user #1 as its author"
# The statement soquy sends (pg_store.cc append_entry): the entry and its postings in one.
expect_allowed "$officer" "WITH e AS ($(entry 100 1 4) RETURNING id)
  INSERT INTO postings SELECT e.id, t.l, t.a, t.m FROM e, unnest('{1,2}'::bigint[], '{1,2}'::bigint[], '{5,-5}'::bigint[]) AS t(l, a, m)"
expect_refused "$officer" "WITH e AS ($(entry 100 1 4) RETURNING id)
  INSERT INTO postings SELECT e.id, t.l, t.a, t.m FROM e, unnest('{1,2}'::bigint[], '{1,3}'::bigint[], '{5,-5}'::bigint[]) AS t(l, a, m)" \
  "not in the entry's book"
added="soquy_test_added_$tag"
expect_allowed "$admin" "SELECT soquy_add_login('$added', 'officer')"
expect_refused "$officer" "SELECT soquy_add_login('$added', 'officer')"
expect_refused "$treasurer" "SELECT soquy_add_login('$treasurer', 'admin')"
expect_refused "$admin" "SELECT soquy_add_login('$added', 'superuser')" "unknown role superuser"
expect_refused "$admin" "SELECT soquy_add_login('two words', 'officer')" "is not a user name"
expect_refused "$admin" "SELECT soquy_add_login('soquy_officer', 'admin')" "is a group role of the server"
expect_refused "$admin" "SELECT soquy_add_login('pg_execute_server_program', 'admin')" "is a group role of the server"
expect_refused "$admin" "CREATE ROLE $added LOGIN" "permission denied"
expect_refused "$admin" "GRANT pg_execute_server_program TO $admin" "permission denied|must have admin option"
expect_refused "$admin" "ALTER ROLE $admin CREATEROLE" "permission denied"
pg -c "BEGIN" -c "SET LOCAL SESSION AUTHORIZATION $admin" -c "SELECT soquy_add_login('$added', 'auditor')" -c "COMMIT" >/dev/null ||
  fail "the admin cannot add a login"
got=$(pg_rows -c "SELECT r.rolcanlogin, r.rolcreaterole, pg_has_role('$added', 'soquy_auditor', 'MEMBER'),
                         has_database_privilege('$added', current_database(), 'CONNECT') FROM pg_roles r WHERE r.rolname = '$added'")
[ "$got" = "t|f|t|t" ] && echo "ok: soquy_add_login made a login, member of soquy_auditor, with CONNECT, without CREATEROLE" ||
  fail "soquy_add_login made: $got (want t|f|t|t)"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all PostgreSQL schema checks passed"
