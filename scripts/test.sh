#!/usr/bin/env bash
# Set-up + every test: installs what is missing, builds, and runs the whole suite through CTest.
#
#   ./scripts/test.sh            everything (what CI runs): the sanitized half — unit tests and
#                                CLI goldens built with ASan+UBSan in build-asan/, a 20 s smoke
#                                run of each libFuzzer target built in build-fuzz/ — then the
#                                normal build/ and its whole CTest suite
#   ./scripts/test.sh --quick    the normal build and suite only (for developers)
#   ./scripts/test.sh --no-fuzz  everything but the fuzz build and smoke runs
#   other arguments are passed to the last ctest (e.g. -R cli.golden, -L crash)
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
  # --- the sanitized half -------------------------------------------------------------------
  half_start=$SECONDS
  echo "test.sh: building build-asan/ (ASan+UBSan)"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOQUY_SANITIZE=ON -DSOQUY_BUILD_BENCH=OFF >/dev/null
  cmake --build build-asan -j"$jobs" --target soquy soquy_unit_tests
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  echo "test.sh: unit tests under ASan+UBSan"
  build-asan/tests/unit/soquy_unit_tests --gtest_brief=1
  echo "test.sh: CLI goldens under ASan+UBSan"
  ctest --test-dir build-asan -L golden -j"$jobs" --output-on-failure
  echo "test.sh: sanitized build and tests took $((SECONDS - half_start)) s"
fi
if [ "$quick" -eq 0 ] && [ "$fuzz" -eq 1 ]; then
  fuzz_start=$SECONDS
  echo "test.sh: building build-fuzz/ (clang, libFuzzer)"
  CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOQUY_FUZZ=ON \
    -DSOQUY_BUILD_TESTS=OFF -DSOQUY_BUILD_BENCH=OFF >/dev/null
  cmake --build build-fuzz -j"$jobs" --target fuzz_all
  ./scripts/fuzz.sh "${SOQUY_FUZZ_SECONDS:-20}"
  echo "test.sh: fuzz build and smoke run took $((SECONDS - fuzz_start)) s"
fi
unset ASAN_OPTIONS UBSAN_OPTIONS

# --- the normal half (last: its ctest summary closes the output) ----------------------------
normal_start=$SECONDS
./scripts/build.sh
echo "test.sh: normal build took $((SECONDS - normal_start)) s"
ctest --test-dir build --output-on-failure -j"$jobs" "$@"
