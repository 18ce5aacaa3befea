# Shared by the PostgreSQL test scripts (sourced): a database of their own on the server of
# SOQUY_TEST_PG_URI (a superuser's URI, scripts/pg-cluster.sh), dropped at exit; exit 77 (CTest:
# skipped) without the variable.
if [[ -z "${SOQUY_TEST_PG_URI:-}" ]]; then
  echo "SKIP: SOQUY_TEST_PG_URI is not set (scripts/pg-cluster.sh start DIR gives one)"
  exit 77
fi
command -v psql >/dev/null || { echo "SKIP: psql not installed"; exit 77; }
# uri_for DB [USER]: the test URI with another database (and login).
uri_for() {
  local uri=$SOQUY_TEST_PG_URI db=$1 user=${2:-}
  local base=${uri%%\?*} query=""
  [[ "$uri" == *\?* ]] && query="?${uri#*\?}"
  base="${base%/*}/$db"
  if [[ -n "$user" ]]; then base=$(sed -E "s#^(postgres(ql)?://)[^@/]*@#\1${user}@#" <<<"$base"); fi
  echo "$base$query"
}
PG_DB="soquy_test_$(date +%s)_$$_$RANDOM"
psql -q -v ON_ERROR_STOP=1 "$SOQUY_TEST_PG_URI" -c "CREATE DATABASE $PG_DB" >/dev/null || exit 1
drop_pg_db() {
  psql -q "$SOQUY_TEST_PG_URI" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1
}
PG_URI=$(uri_for "$PG_DB")
