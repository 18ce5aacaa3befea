#!/usr/bin/env bash
# Faults on a PostgreSQL server (issue 14, item 7): each exits 74 with a clear message (checked in
# Vietnamese, the default language) and leaves the database as it was.
#
# 1. unreachable: a port nothing listens on; the message names the server.
# 2. authentication refused: a login with a password over TCP (the test cluster uses
#    scram-sha-256 on TCP, trust on its socket), a wrong password; the password is never echoed.
#    A missing password has its own message; the right one connects.
# 3. the connection killed mid-transaction: `import entries` (60,000 entries) and `import members`
#    (4,000 rows, one statement each) terminated from psql with pg_terminate_backend while they
#    run; and a client killed (SIGKILL to soquy) mid-import. The database stays as it was: counts
#    of entries, postings, members, change_log and a digest of the balance rows are equal, and
#    `check` prints the same before and after. Running the import again then succeeds.
# 4. disk full on the server, SIMULATED: a second throwaway cluster (1 MiB WAL segments) whose
#    postgres runs under `ulimit -f 4096` (RLIMIT_FSIZE 4 MiB per file, SIGXFSZ ignored), so that
#    a data file that grows past 4 MiB fails to extend (EFBIG, "could not extend file … File too
#    large", hint "Check free disk space."), as it would on a full disk (ENOSPC, SQLSTATE 53100).
#    No mount is needed. Skipped, with the reason, if that cluster cannot be started.
#
#   faults_test.sh SOQUY_BINARY        (needs SOQUY_TEST_PG_URI; exit 77 without it)
set -u
SOQUY=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/pg_common.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soquy-pgfaults.XXXXXX")
FULL=""   # the disk-full cluster's directory, once started
SUF=$RANDOM$$
PWLOGIN=matkhau$SUF
cleanup() {
  [[ -n "$FULL" ]] && "$ROOT/scripts/pg-cluster.sh" stop "$FULL" >/dev/null 2>&1
  psql -q "$SOQUY_TEST_PG_URI" -c "DROP ROLE IF EXISTS $PWLOGIN" >/dev/null 2>&1
  [[ -n "${KEEP:-}" ]] || drop_pg_db
  rm -rf "$WORK"
}
trap cleanup EXIT
chmod 755 "$WORK"
cd "$WORK" || exit 2
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_NOW=2026-11-28T09:00:00Z
unset SOQUY_USER SOQUY_DB SOQUY_LANG LANGUAGE PGPASSWORD
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
must() { "$@" >out 2>&1 || { echo "setup failed: $*"; cat out; exit 1; }; }
# expect CODE ARGS…: exit code of `soquy ARGS…`; output in out
expect() {
  local want=$1
  shift
  "$SOQUY" "$@" >out 2>&1
  local rc=$?
  [[ $rc -eq $want ]] || fail "soquy $* exited $rc, expected $want: $(head -c 600 out)"
}
has() {  # has TEXT WHAT: out contains TEXT
  grep -qF -- "$1" out || fail "$2: '$1' not in: $(head -c 600 out)"
}
# The database's content, as far as a half-written command could change it.
state() {  # state URI
  psql -Atq -v ON_ERROR_STOP=1 "$1" -c "SELECT (SELECT count(*) FROM entries), (SELECT count(*) FROM postings),
    (SELECT count(*) FROM members), (SELECT count(*) FROM change_log),
    (SELECT md5(coalesce(string_agg(account_id || ':' || date || ':' || balance, ',' ORDER BY account_id, date), ''))
       FROM account_balances)"
}
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
# wait_for_writer DB: polls (up to 30 s) until a backend on DB is inside a transaction that has
# written (its query text shows an INSERT into TABLE); 0 when seen.
wait_for_writer() {
  local db=$1 table=$2 i
  for i in $(seq 1 300); do
    n=$(psql -Atq "$SOQUY_TEST_PG_URI" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db'
          AND xact_start IS NOT NULL AND query LIKE '%INSERT INTO $table%'")
    [[ "$n" -ge 1 ]] && return 0
    sleep 0.1
  done
  return 1
}
terminate_backends() {  # terminate_backends DB
  psql -Atq "$SOQUY_TEST_PG_URI" -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE datname = '$1' AND pid <> pg_backend_pid()"
}
wait_no_backends() {  # until the server has ended every session on DB (the killed client's too)
  local i
  for i in $(seq 1 100); do
    [[ $(psql -Atq "$SOQUY_TEST_PG_URI" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$1'") == 0 ]] &&
      return 0
    sleep 0.1
  done
  return 1
}

# --- 1. unreachable ---------------------------------------------------------------------------
port=$(free_port)
expect 74 --db "postgresql://postgres@127.0.0.1:$port/soquy" balance --book fund
has "không kết nối được máy chủ PostgreSQL" "unreachable server"
has "\"127.0.0.1\", port $port" "the message names the server"
has "hãy kiểm tra máy chủ đang chạy" "the message says what to do"

# --- 2. authentication refused ------------------------------------------------------------------
must "$SOQUY" --db "$PG_URI" init
LOGIN=$(psql -Atq "$PG_URI" -c "SELECT session_user")
must psql -q -v ON_ERROR_STOP=1 "$PG_URI" -c "CREATE ROLE $PWLOGIN LOGIN PASSWORD 'dung-mat-khau-7'"
pg_port=$(psql -Atq "$PG_URI" -c "SHOW port")
listen=$(psql -Atq "$PG_URI" -c "SHOW listen_addresses")
if [[ "$listen" != *127.0.0.1* && "$listen" != "*" && "$listen" != *localhost* ]]; then
  echo "SKIP (sub-case 2): the server does not listen on 127.0.0.1 ($listen)"
elif psql -Atq "postgresql://$PWLOGIN:sai-mat-khau-9@127.0.0.1:$pg_port/$PG_DB" -c "SELECT 1" >/dev/null 2>&1; then
  echo "SKIP (sub-case 2): the server accepts a wrong password over TCP (pg_hba.conf trusts it)"
else
  expect 74 --db "postgresql://$PWLOGIN:sai-mat-khau-9@127.0.0.1:$pg_port/$PG_DB" balance --book fund
  has "máy chủ PostgreSQL từ chối đăng nhập" "wrong password"
  has "password authentication failed for user \"$PWLOGIN\"" "the server's reason"
  has "hãy kiểm tra tên đăng nhập và mật khẩu" "what to do"
  if grep -q "sai-mat-khau-9" out; then fail "the password was echoed: $(cat out)"; fi
  expect 74 --db "postgresql://$PWLOGIN@127.0.0.1:$pg_port/$PG_DB" balance --book fund
  has "yêu cầu mật khẩu cho tên đăng nhập này" "no password given"
  # The right password is accepted: the login is then refused as no user of this database (77,
  # no CONNECT since schema 17), which proves the password got it past authentication.
  PGPASSWORD=dung-mat-khau-7 "$SOQUY" --db "postgresql://$PWLOGIN@127.0.0.1:$pg_port/$PG_DB" balance --book fund \
    >out 2>&1
  rc=$?
  [[ $rc -eq 77 ]] || fail "the right password: exit $rc, expected 77 (not a user of this database): $(cat out)"
fi

# --- 3. the connection killed mid-transaction ----------------------------------------------------
entries_csv() {  # entries_csv PREFIX N
  echo "entry_id,date,book,account,amount,memo"
  for i in $(seq 1 "$2"); do
    echo "$1-$i,2026-0$((i % 9 + 1))-15,fund,1011,$((5000 + i)),Nhận vốn đợt $i"
    echo "$1-$i,2026-0$((i % 9 + 1))-15,fund,6011,-$((5000 + i)),Nhận vốn đợt $i"
  done
}
entries_csv a 2000 >base.csv
entries_csv b 60000 >big.csv
must "$SOQUY" --db "$PG_URI" import entries base.csv
must "$SOQUY" --db "$PG_URI" unit add TV --name "Trà Vinh" --kind province --from 2020-01-01
must "$SOQUY" --db "$PG_URI" unit add CL --name "Càng Long" --kind district --parent TV --from 2020-01-01
must "$SOQUY" --db "$PG_URI" unit add AT --name "An Trường" --kind commune --parent CL --from 2020-01-01
must "$SOQUY" --db "$PG_URI" member add HV001 --name "Thạch Thị Sa Rênh" --national-id 084179000004 --born 1979-09-09 --unit AT --poverty poor --joined 2020-06-15
{
  echo "id,name,national_id,unit,group,born,ethnicity,poverty,joined"
  for i in $(seq 1 4000); do echo "M$i,Hội viên $i,0841800$(printf %05d "$i"),AT,,1980-03-04,Kinh,poor,2021-01-15"; done
} >members.csv
before=$(state "$PG_URI")
"$SOQUY" --db "$PG_URI" check >check.before 2>&1
check_rc=$?
same_as_before() {  # same_as_before WHAT: the database is exactly as before the fault
  local now
  now=$(state "$PG_URI")
  [[ "$now" == "$before" ]] || fail "$1 left the database changed: $before → $now"
  "$SOQUY" --db "$PG_URI" check >check.after 2>&1
  local rc=$?
  [[ $rc -eq $check_rc ]] && diff -q check.before check.after >/dev/null ||
    fail "$1: check differs (exit $check_rc → $rc): $(diff check.before check.after | head -20)"
  for c in journal.guards journal.chain journal.balanced journal.balances; do
    "$SOQUY" --db "$PG_URI" check --only $c >/dev/null 2>&1 || fail "$1: check --only $c fails"
  done
}
# killed_import WHAT KIND FILE TABLE: runs `import KIND FILE`, terminates its backend once it has
# started writing to TABLE; the import must exit 74 with the lost-connection message.
killed_import() {
  local what=$1 kind=$2 file=$3 table=$4
  "$SOQUY" --db "$PG_URI" import "$kind" "$file" >out 2>&1 &
  local pid=$!
  wait_for_writer "$PG_DB" "$table" || fail "$what: never saw the import writing"
  [[ $(terminate_backends "$PG_DB") -ge 1 ]] || fail "$what: no backend to terminate"
  wait "$pid"
  local rc=$?
  [[ $rc -eq 74 ]] || fail "$what: exit $rc, expected 74 (0 means it finished before the kill): $(head -c 600 out)"
  has "mất kết nối tới máy chủ PostgreSQL" "$what"
  has "lệnh này không ghi gì: hãy chạy lại lệnh" "$what says what to do"
  wait_no_backends "$PG_DB"
  same_as_before "$what"
}
killed_import "import entries killed by pg_terminate_backend" entries big.csv entries
killed_import "import members killed by pg_terminate_backend" members members.csv members
# The client killed (SIGKILL) mid-import: the server sees the socket close and rolls back.
"$SOQUY" --db "$PG_URI" import entries big.csv >out 2>&1 &
pid=$!
wait_for_writer "$PG_DB" entries || fail "SIGKILL: never saw the import writing"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
rc=$?
[[ $rc -eq 137 ]] || fail "SIGKILL: soquy exited $rc before the kill (expected 137)"
wait_no_backends "$PG_DB" || fail "SIGKILL: the server kept the killed client's session"
same_as_before "import entries killed by SIGKILL"
# Run again, the import completes: nothing of the interrupted ones was left to collide with.
expect 0 --db "$PG_URI" import entries big.csv
has "60000 bút toán được ghi, 0 đã có sẵn" "the import run again writes every entry"

# --- 4. disk full on the server (simulated: RLIMIT_FSIZE on a throwaway cluster) -----------------
full_start() {  # starts the limited cluster in $FULL; prints its superuser URI
  local bin=/usr/lib/postgresql/15/bin who=postgres port
  [[ -x $bin/initdb ]] || { echo "no /usr/lib/postgresql/15/bin/initdb" >&2; return 1; }
  mkdir -p "$FULL"
  if [[ $(id -u) -eq 0 ]]; then
    getent passwd postgres >/dev/null || who=nobody
    chown "$who" "$FULL"
    runas() { runuser -u "$who" -- "$@"; }
  else
    runas() { "$@"; }
  fi
  runas "$bin/initdb" -D "$FULL/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 \
    --locale=C.UTF-8 --wal-segsize=1 >"$FULL/initdb.log" 2>&1 || { tail -3 "$FULL/initdb.log" >&2; return 1; }
  port=$(free_port)
  # SIGXFSZ ignored (inherited by postgres): a write past the limit fails with EFBIG, as on a full disk.
  ( trap '' XFSZ; ulimit -f 4096
    runas "$bin/pg_ctl" -D "$FULL/data" -l "$FULL/server.log" -w -t 60 -o "-p $port -k $FULL \
      -c listen_addresses='' -c fsync=off -c min_wal_size=2MB -c max_wal_size=32MB" start >/dev/null 2>&1 ) ||
    { tail -3 "$FULL/server.log" >&2; return 1; }
  echo "postgresql://postgres@/soquy_full?host=$FULL&port=$port"
}
FULL=$WORK/fullcluster
if ! FULL_URI=$(full_start 2>full.err); then
  echo "SKIP (sub-case 4): cannot start a cluster under ulimit -f: $(cat full.err)"
else
  must psql -q -v ON_ERROR_STOP=1 "${FULL_URI/soquy_full/postgres}" -c "CREATE DATABASE soquy_full"
  must "$SOQUY" --db "$FULL_URI" init
  must "$SOQUY" --db "$FULL_URI" import entries base.csv
  full_before=$(state "$FULL_URI")
  expect 74 --db "$FULL_URI" import entries big.csv
  has "máy chủ PostgreSQL hết tài nguyên" "disk full"
  has "could not extend file" "the server's reason"
  has "giải phóng dung lượng đĩa" "disk full says what to do"
  grep -q "could not extend file" "$FULL/server.log" || fail "the server did not report a file that cannot grow"
  [[ $(state "$FULL_URI") == "$full_before" ]] || fail "disk full left the database changed: $(state "$FULL_URI")"
  for c in journal.guards journal.chain journal.balanced journal.balances; do
    "$SOQUY" --db "$FULL_URI" check --only $c >/dev/null 2>&1 || fail "disk full: check --only $c fails"
  done
  # The rows of the failed transaction keep the file at its limit until VACUUM reclaims them (as an
  # administrator would free space): then the same server writes again.
  expect 74 --db "$FULL_URI" post --book fund --date 2026-03-01 --memo "Vẫn đầy đĩa" 1011=1 6011=-1
  has "máy chủ PostgreSQL hết tài nguyên" "a post on a full disk"
  [[ $(state "$FULL_URI") == "$full_before" ]] || fail "a post on a full disk left the database changed"
  must psql -q -v ON_ERROR_STOP=1 "$FULL_URI" -c "VACUUM"
  expect 0 --db "$FULL_URI" post --book fund --date 2026-03-01 --memo "Sau khi đầy đĩa" 1011=1 6011=-1
fi

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "pg.faults: all passed"
