#!/usr/bin/env bash
# Set-up + every test: installs what is missing, builds, and runs the whole suite through CTest.
#
#   ./scripts/test.sh            everything (what CI runs): the sanitized half — one clang
#                                configuration, build-san/, with ASan+UBSan: unit tests, CLI
#                                goldens, and a 20 s smoke run of each libFuzzer target — then
#                                the normal build/ (gcc) and its whole CTest suite
#   ./scripts/test.sh --quick    the normal build and suite only (for developers)
#   ./scripts/test.sh --no-fuzz  everything but the fuzz targets and their smoke runs
#   other arguments are passed to the last ctest (e.g. -R cli.golden, -L crash)
# Before the normal suite a throwaway PostgreSQL 15 cluster is started (scripts/pg-cluster.sh,
# stopped and deleted on exit even when tests fail) and SOQUY_TEST_PG_URI set, so that the tests
# labelled pg run against it. A cluster that cannot start fails the run (SOQUY_SKIP_PG=1 skips the
# PostgreSQL half on purpose, e.g. on a developer machine without the server).
# The last lines printed are ctest's own summary of the normal suite (CI reads them).
# Times of each half: docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
fuzz=1
if [ "${1:-}" = "--quick" ]; then
  quick=1
  shift
elif [ "${1:-}" = "--no-fuzz" ]; then
  fuzz=0
  shift
fi
./scripts/bootstrap
export TZ=UTC LC_ALL=C.UTF-8
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
jobs="$(nproc)"

if [ "$quick" -eq 0 ]; then
  # --- the sanitized half: one clang configuration (build-san/) for ASan+UBSan and libFuzzer ----
  # The libraries are compiled once for the unit tests, the goldens and the fuzz targets
  # (coverage instrumentation everywhere, libFuzzer's main linked into the fuzz targets only).
  half_start=$SECONDS
  targets=(soquy soquy_unit_tests)
  if [ "$fuzz" -eq 1 ]; then targets+=(fuzz_all); fi
  echo "test.sh: building build-san/ (clang, ASan+UBSan, libFuzzer targets)"
  CXX=clang++ cmake -S . -B build-san -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOQUY_SANITIZE=ON -DSOQUY_FUZZ=ON \
    -DSOQUY_BUILD_BENCH=OFF >/dev/null
  cmake --build build-san -j"$jobs" --target "${targets[@]}"
  echo "test.sh: sanitized build took $((SECONDS - half_start)) s"
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  # One process per core, each a googletest shard of the suite (about 7 minutes in one process).
  echo "test.sh: unit tests under ASan+UBSan, $jobs shards at once"
  unit_start=$SECONDS
  shard_pids=()
  for ((shard = 0; shard < jobs; shard++)); do
    GTEST_TOTAL_SHARDS=$jobs GTEST_SHARD_INDEX=$shard build-san/tests/unit/soquy_unit_tests --gtest_brief=1 \
      >"build-san/unit-shard-$shard.log" 2>&1 &
    shard_pids+=($!)
  done
  shards_failed=0
  for ((shard = 0; shard < jobs; shard++)); do
    wait "${shard_pids[$shard]}" || shards_failed=1
    echo "test.sh: shard $shard of $jobs:"
    grep -vE "^(Running main|.*Skipped$|SOQUY_TEST_PG_URI is not set$)" "build-san/unit-shard-$shard.log" || true
  done
  [ "$shards_failed" -eq 0 ] || { echo "test.sh: a unit test failed under ASan+UBSan (build-san/unit-shard-*.log)" >&2; exit 1; }
  echo "test.sh: unit tests under ASan+UBSan took $((SECONDS - unit_start)) s"
  echo "test.sh: CLI goldens under ASan+UBSan"
  ctest --test-dir build-san -L '^golden$' -j"$jobs" --output-on-failure  # SQLite's (not pggolden)
  if [ "$fuzz" -eq 1 ]; then
    ./scripts/fuzz.sh "${SOQUY_FUZZ_SECONDS:-20}"
  fi
  echo "test.sh: sanitized half (build, tests, fuzz smoke) took $((SECONDS - half_start)) s"
fi
unset ASAN_OPTIONS UBSAN_OPTIONS

# --- the normal half (last: its ctest summary closes the output) ----------------------------
normal_start=$SECONDS
./scripts/build.sh
echo "test.sh: normal build took $((SECONDS - normal_start)) s"
pg_dir="$(mktemp -u "${TMPDIR:-/tmp}/soquy-pg-cluster.XXXXXX")"
trap './scripts/pg-cluster.sh stop "$pg_dir" || true' EXIT
if [ "${SOQUY_SKIP_PG:-0}" = "1" ]; then
  echo "test.sh: SOQUY_SKIP_PG=1: the tests labelled pg are skipped"
elif SOQUY_TEST_PG_URI="$(./scripts/pg-cluster.sh start "$pg_dir")"; then
  export SOQUY_TEST_PG_URI
  echo "test.sh: PostgreSQL cluster at $SOQUY_TEST_PG_URI"
else
  echo "test.sh: the throwaway PostgreSQL cluster did not start (set SOQUY_SKIP_PG=1 to run without it)" >&2
  exit 1
fi
ctest --test-dir build --output-on-failure -j"$jobs" "$@"
