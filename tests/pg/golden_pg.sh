# The PostgreSQL mode of the golden runner (sourced by tests/cli/run_golden.sh --pg, after it has
# parsed the case; the format and the `# pg: skip REASON` directive are in tests/cli/README.md).
#
# Against the server of SOQUY_TEST_PG_URI (a superuser's URI on a throwaway cluster,
# scripts/pg-cluster.sh; exit 77 without it) each case gets:
#   - a database of its own, C collation, owned by the case's admin login, dropped at exit even
#     when the case fails (run_golden.sh's EXIT trap calls pg_case_cleanup);
#   - `soquy` on PATH = tests/pg/golden_soquy.sh, which turns the case's --user/SOQUY_USER into
#     the login it connects as, and `soquy.db` into the case's database;
#   - the logins it names (--user, SOQUY_USER, `user add`): the admin (init's --admin, else
#     "admin") is made LOGIN CREATEROLE by the runner (the database's owner, as docs/server.md
#     sets one up); the others are made LOGIN beforehand, with CONNECT on the case's database,
#     and gain their soquy role by the case's own `user add`. Logins and their soquy_* memberships are cluster-wide, so a case that names
#     logins other than "admin" first has their soquy_* memberships revoked; CTest runs those
#     cases one at a time (RESOURCE_LOCK pg_golden_logins, tests/pg/CMakeLists.txt).
#   - outputs normalized by pg_normalize (the one place that does it): the server URI, whichever
#     login it names, and the database's bare name, read as `soquy.db`, the file name the case
#     shows on SQLite;
#   - `>>> db unchanged` compared on pg_db_state: a digest of every table's rows, ordered by
#     primary key, read as superuser (row-level security does not apply).
# Inputs from run_golden.sh: WORK, SOQUY_BIN, CASE, commands[], pg_skip (the directive's reason).

if [[ -n ${pg_skip:-} ]]; then
  echo "SKIP $(basename "$CASE") on PostgreSQL: $pg_skip"
  exit 77
fi
if [[ -z ${SOQUY_TEST_PG_URI:-} ]]; then
  echo "SKIP: SOQUY_TEST_PG_URI is not set (scripts/pg-cluster.sh start DIR gives one)"
  exit 77
fi
command -v psql >/dev/null || { echo "SKIP: psql not installed"; exit 77; }

pg_su() { psql -X -q -At -v ON_ERROR_STOP=1 "$SOQUY_TEST_PG_URI" "$@"; }
# pg_uri_for DB LOGIN: the superuser URI with another database and login.
pg_uri_for() {
  local uri=$SOQUY_TEST_PG_URI base query=""
  base=${uri%%\?*}
  [[ $uri == *\?* ]] && query="?${uri#*\?}"
  base="${base%/*}/$1"
  base=$(sed -E "s#^(postgres(ql)?://)[^@/]*@#\1$2@#" <<<"$base")
  echo "$base$query"
}

# The logins of the case: its admin, and every name it acts as or adds.
pg_admin=admin
pg_logins=()
for c in "${commands[@]}"; do
  [[ $c =~ init[^\;\&\|]*--admin[=\ ]([A-Za-z0-9_.-]+) ]] && pg_admin=${BASH_REMATCH[1]}
  rest=$c
  while [[ $rest =~ (--user[=\ ]|SOQUY_USER=|user add )([A-Za-z0-9_.-]+)(.*) ]]; do
    pg_logins+=("${BASH_REMATCH[2]}")
    rest=${BASH_REMATCH[3]}
  done
done

PG_CASE_DB="golden_$(basename "$CASE" .test | tr -c 'A-Za-z0-9_\n' _ | cut -c1-40)_$$_$RANDOM"
PG_CASE_DB=${PG_CASE_DB,,}
pg_case_cleanup() {
  pg_su -c "DROP DATABASE IF EXISTS \"$PG_CASE_DB\" WITH (FORCE)" >/dev/null 2>&1
}
# One session (each statement its own transaction): the group roles (init would make them, but
# parallel cases could race for them), the admin login, the case's other logins made and their
# soquy_* memberships revoked, the database.
pg_role_sql() {  # pg_role_sql NAME OPTIONS: CREATE ROLE unless it exists (parallel cases race)
  echo "DO \$\$ BEGIN CREATE ROLE \"$1\" $2; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END \$\$;"
}
{
  # Roles are cluster-wide, and two sessions altering the same one at once fail ("tuple
  # concurrently updated"): the roles are set up under the advisory lock the unit tests take too
  # (kRoleSetupLock, tests/unit/pg_server.h), and the admin altered only when it needs it.
  echo "SELECT pg_advisory_lock(7315);"
  for r in soquy_admin soquy_officer soquy_treasurer soquy_auditor; do pg_role_sql "$r" NOLOGIN; done
  pg_role_sql "$pg_admin" "LOGIN CREATEROLE"
  # A login made earlier by another test's `user add` or `copy` has no CREATEROLE (schema 17):
  # the case's owner needs it to make the group roles' members.
  echo "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$pg_admin' AND rolcanlogin AND rolcreaterole)
        THEN ALTER ROLE \"$pg_admin\" LOGIN CREATEROLE; END IF; END \$\$;"
  for l in "${pg_logins[@]}"; do
    [[ $l == admin ]] && continue
    # Made beforehand, so that acting as a name the case never adds is refused by soquy (exit
    # 77, as an unknown user on SQLite) rather than by the server (no such login).
    pg_role_sql "$l" LOGIN
    echo "SELECT format('REVOKE %I FROM %I', g.rolname, m.rolname) FROM pg_auth_members a
            JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
           WHERE m.rolname = '$l' AND g.rolname LIKE 'soquy\\_%' \\gexec"
  done
  echo "SELECT pg_advisory_unlock(7315);"
  echo "CREATE DATABASE \"$PG_CASE_DB\" OWNER \"$pg_admin\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8';"
  # init takes CONNECT from PUBLIC (schema 17); the case's logins keep it, so that one the case
  # never adds is refused by soquy as an unknown user (77, SQLite's message), not by the server.
  for l in "${pg_logins[@]}"; do
    [[ $l == admin ]] || echo "GRANT CONNECT ON DATABASE \"$PG_CASE_DB\" TO \"$l\";"
  done
} | pg_su >/dev/null || exit 1
PG_CASE_SU_URI=$(pg_uri_for "$PG_CASE_DB" postgres)

export SOQUY_GOLDEN_PG_BIN=$SOQUY_BIN SOQUY_GOLDEN_PG_ADMIN=$pg_admin
export SOQUY_GOLDEN_PG_URI_AT
SOQUY_GOLDEN_PG_URI_AT=$(pg_uri_for "$PG_CASE_DB" @LOGIN@)
rm -f "$WORK/bin/soquy"
printf '#!/usr/bin/env bash\nexec bash %q "$@"\n' "$(dirname "${BASH_SOURCE[0]}")/golden_soquy.sh" >"$WORK/bin/soquy"
chmod +x "$WORK/bin/soquy"

# A digest of every table's rows (public schema), each ordered by its primary key (by the whole
# row where there is none).
pg_db_state() {
  psql -X -q -At -v ON_ERROR_STOP=1 "$PG_CASE_SU_URI" <<'SQL'
SELECT format('SELECT %L || '' '' || md5(coalesce(string_agg(t::text, E''\n'' ORDER BY %s), '''')) FROM public.%I t',
              c.relname,
              coalesce((SELECT string_agg(format('t.%I', a.attname), ', ' ORDER BY k.ord)
                          FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                         WHERE i.indrelid = c.oid AND i.indisprimary), 't::text'),
              c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
 ORDER BY c.relname \gexec
SQL
}

# The server's URI (any login, any query) and the database's bare name read as `soquy.db`.
pg_normalize() {
  sed -E -i -e "s#postgres(ql)?://[^[:space:]/@]*@[^[:space:]/]*/$PG_CASE_DB(\\?[^[:space:]:'\"]*)?#soquy.db#g" \
    -e "s#$PG_CASE_DB#soquy.db#g" "$@"
}
