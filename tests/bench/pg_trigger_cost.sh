#!/usr/bin/env bash
# The cost of schema 17's two journal triggers (entries_author, postings_same_book) on `soquy
# import entries` into a PostgreSQL server: the same CSV of N entries (two postings each) is
# imported by an officer's login into fresh databases, alternately with the two triggers disabled
# and enabled (ALTER TABLE … DISABLE TRIGGER, as the superuser), ROUNDS times each; wall times of
# the whole process. A script, not a CTest test (docs/performance.md, "PostgreSQL server").
#
#   tests/bench/pg_trigger_cost.sh SOQUY_BINARY SUPERUSER_URI [N=100000] [ROUNDS=2]
set -euo pipefail
soquy=$(realpath "$1")
su_uri=$2
n=${3:-100000}
rounds=${4:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/soquy-trigcost.XXXXXX")
officer=bench_officer_$$
dbs=()
cleanup() {
  for d in "${dbs[@]}"; do psql -q "$su_uri" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true; done
  psql -q "$su_uri" -c "DROP ROLE IF EXISTS $officer" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
uri_for() {  # uri_for DB [LOGIN]
  local base=${su_uri%%\?*} query=""
  [[ $su_uri == *\?* ]] && query="?${su_uri#*\?}"
  base="${base%/*}/$1"
  [[ -n ${2:-} ]] && base=$(sed -E "s#^(postgres(ql)?://)[^@/]*@#\1$2@#" <<<"$base")
  echo "$base$query"
}
awk -v n="$n" 'BEGIN {
  print "entry_id,date,book,account,amount,memo"
  for (i = 1; i <= n; i++) {
    d = sprintf("2026-%02d-%02d", 1 + i % 12, 1 + i % 28); a = 1000 + i % 997
    printf "b-%d,%s,fund,1011,%d,Thu %d\nb-%d,%s,fund,6011,-%d,Thu %d\n", i, d, a, i, i, d, a, i
  }
}' >"$work/entries.csv"
export SOQUY_LANG=en
unset SOQUY_NOW SOQUY_USER SOQUY_DB
echo "pg_trigger_cost: $n entries, $rounds round(s); $(psql -Atq "$su_uri" -c 'SHOW server_version'); load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  for mode in off on; do
    db=soquy_trigcost_${$}_${r}_$mode
    dbs+=("$db")
    psql -q "$su_uri" -c "CREATE DATABASE $db TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'" >/dev/null
    "$soquy" --db "$(uri_for "$db")" init >/dev/null
    "$soquy" --db "$(uri_for "$db")" user add "$officer" --role officer >/dev/null
    if [[ $mode == off ]]; then
      psql -q "$(uri_for "$db")" -c "ALTER TABLE entries DISABLE TRIGGER entries_author" \
        -c "ALTER TABLE postings DISABLE TRIGGER postings_same_book" >/dev/null
    fi
    start=$(date +%s.%N)
    "$soquy" --db "$(uri_for "$db" "$officer")" import entries "$work/entries.csv" >/dev/null
    end=$(date +%s.%N)
    got=$(psql -Atq "$(uri_for "$db")" -c "SELECT count(*) FROM entries")
    [[ $got == "$n" ]] || { echo "round $r, triggers $mode: $got entries, not $n"; exit 1; }
    printf 'round %d, triggers %-3s: %.1f s wall (load %s)\n' "$r" "$mode" "$(echo "$end - $start" | bc)" \
      "$(cut -d' ' -f1 /proc/loadavg)"
    psql -q "$su_uri" -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
  done
done
