#!/usr/bin/env bash
# PostgreSQL against SQLite in the same run (issue 14, item 8). Not a CTest test: it runs for
# minutes and writes GBs. docs/performance.md, "PostgreSQL server", has the figures.
#
#   tests/bench/pg_bench.sh [--build DIR] [--entries N] [--loans L] [--vbsp-loans V]
#                           [--runs R] [--workdir DIR] [--keep] [--only import,balance,overdue,vbsp]
#
# It starts its own throwaway cluster (scripts/pg-cluster.sh, fsync off) and stops it at exit.
# The data come from the existing benchmarks, which also print the SQLite figures:
#  1. import: soquy_import_bench --entries N writes entries.csv, imports it into SQLite and loads
#     it raw into SQLite (its own ratio). Here: `soquy import entries` of the same CSV into an
#     empty server database, against a raw COPY of the same CSV into a staging table split into
#     entry/posting tables (the raw SQLite load's tables and index) in one transaction.
#  2. balance: `soquy balance --book fund --as-of D` as a whole process, median of R (default 20)
#     on both 1M-entry databases, against a raw baseline: soquy_raw_balance_pq / _sqlite (raw_
#     balance.cc), the same read through the engine's C library alone, also a whole process.
#  3. overdue: soquy_loan_bench --loans L writes loans-L.db; `soquy copy` takes it to the server;
#     `soquy report overdue --as-of 2026-11-28 --format json` on both (wall, max RSS, same JSON).
#  4. vbsp: soquy_vbsp_bench --loans V writes vbsp.db; `soquy copy` to the server; `soquy vbsp
#     reconcile --as-of 2026-11-30 --format json` on both (wall, max RSS, same JSON).
# Times are wall clock of whole processes (date +%s%N), /usr/bin/time's user+sys and max RSS, and
# the server's CPU meanwhile (the cluster's processes, ended backends included); balance also
# prints the median CPU (getrusage) of its runs. Only the benches of the parts asked are needed.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=$here/build entries=1000000 loans=100000 vbsp_loans=100000 runs=20 workdir="" keep=0
only=import,balance,overdue,vbsp
while [[ $# -gt 0 ]]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --entries) entries=$2; shift 2 ;;
    --loans) loans=$2; shift 2 ;;
    --vbsp-loans) vbsp_loans=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --only) only=$2; shift 2 ;;
    -h|--help) sed -n 2,20p "$0"; exit 0 ;;
    *) echo "pg_bench: unknown option $1" >&2; exit 2 ;;
  esac
done
soquy=$build/cli/soquy bench=$build/tests/bench
wants() { [[ ",$only," == *",$1,"* ]]; }
needed=("$soquy")   # only the benches of the parts asked for
{ wants import || wants balance; } && needed+=("$bench/soquy_import_bench")
wants balance && needed+=("$bench/soquy_raw_balance_pq" "$bench/soquy_raw_balance_sqlite")
wants overdue && needed+=("$bench/soquy_loan_bench")
wants vbsp && needed+=("$bench/soquy_vbsp_bench")
for f in "${needed[@]}"; do
  [[ -x $f ]] || { echo "pg_bench: $f missing: cmake --build $build --target soquy soquy_import_bench soquy_loan_bench soquy_vbsp_bench soquy_raw_balance_pq soquy_raw_balance_sqlite" >&2; exit 2; }
done
[[ -n $workdir ]] || workdir=$(mktemp -d /tmp/soquy-pg-bench.XXXXXX)
mkdir -p "$workdir"; workdir=$(cd "$workdir" && pwd)
cluster=$workdir/pg
cleanup() {
  "$here/scripts/pg-cluster.sh" stop "$cluster" || true
  [[ $keep == 1 ]] || rm -rf "$workdir"
}
trap cleanup EXIT
chmod 755 "$workdir"   # the server runs as another user (as root) and reaches its socket here
"$here/scripts/pg-cluster.sh" start "$cluster" >/dev/null
root_uri=$(cat "$cluster/uri")
# uri_for DB [LOGIN]: the cluster's URI with another database (and login).
uri_for() {
  local base=${root_uri%%\?*}
  [[ -z ${2:-} ]] || base=${base/postgres@/$2@}
  echo "${base%/*}/$1?${root_uri#*\?}"
}
new_db() { psql -qX -v ON_ERROR_STOP=1 "$root_uri" -c "CREATE DATABASE $1" >/dev/null; uri_for "$1"; }
# SOQUY_LANG=en: the benches read soquy's English summaries (e.g. "N entries posted").
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_LANG=en
unset SOQUY_USER   # on a server one acts as the database login

# server_cpu_ms: CPU time (user + sys, ms) the cluster has used so far: the postmaster's own and
# its ended children's (backends, reaped), plus its live children's (checkpointer, writers...).
tick=$(getconf CLK_TCK)
server_cpu_ms() {
  local pm pids
  pm=$(head -1 "$cluster/data/postmaster.pid")
  pids=$(ps -o pid= --ppid "$pm" | tr -d ' ' | tr '\n' ' ')
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat"
    for p in $pids; do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null; done
  } | awk -v t="$tick" '{ s += $1 } END { printf "%d", s * 1000 / t }'
}

# timed LABEL CMD...: runs CMD once (stdout to $workdir/out), prints wall, CPU, max RSS and the
# server's CPU meanwhile (server_cpu_ms), and leaves the wall milliseconds in $wall_ms. Exit 0
# only, or also 1 with ok_exit=1 (reconcile).
ok_exit=0
timed() {
  local label=$1; shift
  local t0 t1 cpu rss rc=0 s0 s1
  s0=$(server_cpu_ms)
  t0=$(date +%s%N)
  /usr/bin/time -q -f "%U %S %M" -o "$workdir/time" "$@" >"$workdir/out" 2>"$workdir/err" || rc=$?
  if [[ $rc -ne 0 && $rc -gt $ok_exit ]]; then
    echo "pg_bench: $label failed (exit $rc):" >&2; cat "$workdir/err" >&2; exit 1
  fi
  t1=$(date +%s%N)
  s1=$(server_cpu_ms)
  wall_ms=$(((t1 - t0) / 1000000))
  read -r u s rss <"$workdir/time"
  cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%d", (u + s) * 1000 }')
  printf '  %-58s %9d ms wall %9d ms CPU  max RSS %5d MB  server CPU %7d ms\n' "$label" "$wall_ms" "$cpu" \
    $((rss / 1024)) $((s1 - s0))
}

# median_ms CMD...: median wall time of $runs runs of the whole process, in 0.1 ms.
median_ms() {
  local i t0 t1 times=()
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
    times+=($(((t1 - t0) / 100000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { m = a[int((NR + 1) / 2)]; printf "%d.%d", m / 10, m % 10 }'
}
# median_cpu_ms CMD...: median CPU time (user + sys, getrusage of each child) of $runs runs, in ms.
median_cpu_ms() {
  python3 - "$runs" "$@" <<'PY'
import resource, statistics, subprocess, sys
runs, cmd, cpu = int(sys.argv[1]), sys.argv[2:], []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
print("%.1f" % statistics.median(cpu))
PY
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * b / a }'; }   # b/a in %, for print only
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }         # a/b, for print only
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%d", n * 1000 / (ms > 0 ? ms : 1) }'; }

echo "PostgreSQL $(psql -XAtc 'SHOW server_version' "$root_uri") in $cluster (fsync off), soquy $soquy"
echo "workdir $workdir; load average $(cut -d' ' -f1-3 /proc/loadavg)"

imp=$workdir/import
if wants import || wants balance; then
  echo; echo "== 1. import entries: $entries entries (SQLite side: soquy_import_bench) =="
  "$bench/soquy_import_bench" --entries "$entries" --journal-entries 1000 --keep --workdir "$imp" \
    --soquy "$soquy" --balance-runs 1 --cli-runs 1 --compare-runs 1 >"$workdir/import_bench.log" 2>&1 \
    || { cat "$workdir/import_bench.log" >&2; exit 1; }
  grep -E "soquy import entries \(process\), wall|raw SQLite load \(same CSV reader\), wall|soquy / raw, wall" \
    "$workdir/import_bench.log" | sed 's/^ */  SQLite: /'
  chmod 644 "$imp/entries.csv"; chmod 755 "$imp"
  uri=$(new_db soquy_import)
  "$soquy" --db "$uri" init >/dev/null
  timed "PostgreSQL: soquy import entries (process)" "$soquy" --db "$uri" import entries "$imp/entries.csv"
  soquy_ms=$wall_ms
  echo "    $(rate "$entries" "$soquy_ms") entries/s"
  raw_uri=$(new_db raw_import)
  cat >"$workdir/raw.sql" <<SQL
BEGIN;
CREATE TABLE account (id bigint PRIMARY KEY, code text NOT NULL UNIQUE);
INSERT INTO account VALUES (1, '1011'), (2, '1121'), (3, '2111'), (4, '4231'), (5, '6011'), (6, '7021'), (7, '8511');
CREATE TABLE entry (id bigint PRIMARY KEY, client_id text NOT NULL, date date NOT NULL, memo text NOT NULL);
CREATE TABLE posting (entry_id bigint NOT NULL, account_id bigint NOT NULL, amount bigint NOT NULL);
CREATE TEMP TABLE stage (entry_id text, date date, book text, account text, amount bigint, memo text);
\copy stage FROM '$imp/entries.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO entry SELECT substr(entry_id, 2)::bigint, entry_id, min(date), max(coalesce(memo, ''))
  FROM stage GROUP BY entry_id;
INSERT INTO posting SELECT substr(s.entry_id, 2)::bigint, a.id, s.amount FROM stage s JOIN account a ON a.code = s.account;
CREATE INDEX posting_by_account ON posting (account_id);
COMMIT;
SQL
  timed "PostgreSQL: raw COPY of the same CSV into entry/posting" psql -qX -v ON_ERROR_STOP=1 "$raw_uri" -f "$workdir/raw.sql"
  raw_ms=$wall_ms
  echo "    $(rate "$entries" "$raw_ms") entries/s"
  n_pg=$(psql -XAtc "SELECT count(*) FROM entries" "$uri") n_raw=$(psql -XAtc "SELECT count(*) FROM entry" "$raw_uri")
  [[ $n_pg == "$entries" && $n_raw == "$entries" ]] || { echo "pg_bench: entries soquy $n_pg raw $n_raw, expected $entries" >&2; exit 1; }
  echo "  PostgreSQL: soquy / raw COPY, entries/s:  $(pct "$soquy_ms" "$raw_ms") %  (target >= 30 %)"
fi

if wants balance; then
  echo; echo "== 2. soquy balance --book fund --as-of D, whole process, median of $runs (ms wall) =="
  for d in 2023-06-30 2024-12-31 2025-12-31; do
    a=$("$soquy" --db "$imp/bench.db" balance --book fund --as-of $d --format json)
    b=$("$soquy" --db "$uri" balance --book fund --as-of $d --format json)
    [[ $a == "$b" ]] || { echo "pg_bench: balance as of $d differs between the engines" >&2; exit 1; }
    raw_a=$("$bench/soquy_raw_balance_sqlite" "$imp/bench.db" fund $d | sort)
    raw_b=$("$bench/soquy_raw_balance_pq" "$uri" fund $d | sort)
    [[ $raw_a == "$raw_b" ]] || { echo "pg_bench: the raw balances as of $d differ between the engines" >&2; exit 1; }
    s_ms=$(median_ms "$soquy" --db "$imp/bench.db" balance --book fund --as-of $d)
    p_ms=$(median_ms "$soquy" --db "$uri" balance --book fund --as-of $d)
    rs_ms=$(median_ms "$bench/soquy_raw_balance_sqlite" "$imp/bench.db" fund $d)
    rp_ms=$(median_ms "$bench/soquy_raw_balance_pq" "$uri" fund $d)
    printf '  as of %s   SQLite %6s ms   PostgreSQL %6s ms   (target < 20 ms)\n' $d "$s_ms" "$p_ms"
    printf '       raw baseline   SQLite %6s ms   PostgreSQL %6s ms   (raw_balance.cc: the C library alone)\n' \
      "$rs_ms" "$rp_ms"
    printf '       soquy / raw    SQLite %6s x    PostgreSQL %6s x\n' \
      "$(ratio "$s_ms" "$rs_ms")" "$(ratio "$p_ms" "$rp_ms")"
    printf '       CPU (median)   SQLite %6s ms   PostgreSQL %6s ms   (client process only)\n' \
      "$(median_cpu_ms "$soquy" --db "$imp/bench.db" balance --book fund --as-of $d)" \
      "$(median_cpu_ms "$soquy" --db "$uri" balance --book fund --as-of $d)"
  done
  printf '  soquy --version (process start-up alone)            %6s ms\n' "$(median_ms "$soquy" --version)"
fi

# copy_in NAME FILE: a new server database NAME filled from the SQLite FILE with `soquy copy`;
# in $copied its URI as the file's admin (the copy makes each soquy user a login).
copy_in() {
  local admin
  admin=$(sqlite3 "$2" "SELECT name FROM users WHERE role = 'admin' ORDER BY id LIMIT 1")
  copied=$(new_db "$1")
  timed "soquy copy --from $(basename "$2") --to PostgreSQL (not a target)" "$soquy" copy --from "$2" --to "$copied"
  copied=$(uri_for "$1" "$admin")
}

if wants overdue; then
  echo; echo "== 3. report overdue at $loans loans (soquy_loan_bench) =="
  "$bench/soquy_loan_bench" --loans "$loans" --runs 1 --keep --workdir "$workdir/loans" --soquy "$soquy" \
    >"$workdir/loan_bench.log" 2>&1 || { cat "$workdir/loan_bench.log" >&2; exit 1; }
  grep -E "^generated" "$workdir/loan_bench.log" | sed 's/^/  /'
  ldb=$workdir/loans/loans-$loans.db
  copy_in soquy_loans "$ldb"; luri=$copied
  for d in 2026-11-28 2025-11-28; do
    timed "SQLite: report overdue --as-of $d --format json" "$soquy" --db "$ldb" report overdue --as-of $d --format json
    cp "$workdir/out" "$workdir/overdue-sqlite.json"
    timed "PostgreSQL: report overdue --as-of $d --format json" "$soquy" --db "$luri" report overdue --as-of $d --format json
    cmp -s "$workdir/out" "$workdir/overdue-sqlite.json" || { echo "pg_bench: overdue JSON differs ($d)" >&2; exit 1; }
  done
  echo "  the same JSON from both engines; target: PostgreSQL < 2000 ms at 100,000 loans"
fi

if wants vbsp; then
  echo; echo "== 4. vbsp reconcile at $vbsp_loans loans (soquy_vbsp_bench) =="
  "$bench/soquy_vbsp_bench" --loans "$vbsp_loans" --keep --workdir "$workdir/vbsp" --soquy "$soquy" \
    >"$workdir/vbsp_bench.log" 2>&1 || { cat "$workdir/vbsp_bench.log" >&2; exit 1; }
  grep -E "statement|import-" "$workdir/vbsp_bench.log" | head -5 | sed 's/^/  SQLite bench: /'
  vdb=$workdir/vbsp/vbsp.db
  copy_in soquy_vbsp "$vdb"; vuri=$copied
  rows=$(sqlite3 "$vdb" "SELECT count(*) FROM vbsp_statement_rows" 2>/dev/null || echo "?")
  echo "  statement rows: $rows"
  ok_exit=1   # exit 1: differences found (the bench plants them)
  timed "SQLite: vbsp reconcile --as-of 2026-11-30 --format json" "$soquy" --db "$vdb" vbsp reconcile --as-of 2026-11-30 --format json
  cp "$workdir/out" "$workdir/vbsp-sqlite.json"
  timed "PostgreSQL: vbsp reconcile --as-of 2026-11-30 --format json" "$soquy" --db "$vuri" vbsp reconcile --as-of 2026-11-30 --format json
  ok_exit=0
  cmp -s "$workdir/out" "$workdir/vbsp-sqlite.json" || { echo "pg_bench: reconcile JSON differs" >&2; exit 1; }
  echo "  the same JSON from both engines"
fi
echo; echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
