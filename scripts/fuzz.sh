#!/usr/bin/env bash
# Runs each libFuzzer target of build-san/ (tests/fuzz; another build directory configured with
# -DSOQUY_FUZZ=ON: SOQUY_FUZZ_BUILD=DIR) for SECONDS seconds (default 20) from
# its seed corpus fixtures/fuzz/<target>/ plus the saved crashes of fixtures/fuzz/regressions/
# (files named <target>-*). Fails on the first crash, leak, timeout or out-of-memory; the input
# that failed is left in $SOQUY_FUZZ_BUILD/findings/<target>/. New inputs found go to
# $SOQUY_FUZZ_BUILD/corpus/<target>/ (kept between runs), never into the seed corpus. Targets
# run side by side, one per core.
#   scripts/fuzz.sh [SECONDS] [TARGET...]       e.g. scripts/fuzz.sh 3600 fuzz_csv
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_csv fuzz_xlsx fuzz_money fuzz_rate fuzz_date fuzz_import_entries fuzz_import_loans fuzz_import_registry
           fuzz_import_vbsp)
fi
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TZ=UTC LC_ALL=C.UTF-8
dir="${SOQUY_FUZZ_BUILD:-build-san}"
# One target: its saved regressions, then SECONDS of fuzzing. Prints one summary line (and the
# first lines of a failure); exit 1 on any failure.
fuzz_one() {
  local t=$1 status=0 r start runs
  local bin="$dir/tests/fuzz/$t" seeds="fixtures/fuzz/${t#fuzz_}" corpus="$dir/corpus/$t" findings="$dir/findings/$t"
  mkdir -p "$corpus" "$findings"
  # Saved regressions first: each must run clean.
  for r in fixtures/fuzz/regressions/"$t"-*; do
    [ -e "$r" ] || continue
    if ! "$bin" -rss_limit_mb=2048 -timeout=10 "$r" >"$findings/regression.log" 2>&1; then
      echo "fuzz: $t fails on the saved regression $r (see $findings/regression.log)"
      status=1
    fi
  done
  start=$SECONDS
  if "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
       -artifact_prefix="$findings/" "$corpus" "$seeds" >"$findings/fuzz.log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$findings/fuzz.log" | grep -o '[0-9]*$' || echo "?")
    echo "fuzz: $t ok ($runs runs in $((SECONDS - start)) s)"
  else
    echo "fuzz: $t FAILED after $((SECONDS - start)) s; input(s): $(ls "$findings" | grep -v '\.log$' | tr '\n' ' ')"
    grep -m5 -E 'ERROR|SUMMARY|runtime error' "$findings/fuzz.log" || tail -20 "$findings/fuzz.log"
    status=1
  fi
  return $status
}
# As many targets at once as there are cores (each libFuzzer run is one thread); each prints its
# own lines when it ends.
status=0
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$(nproc)" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
  fuzz_one "$t" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
