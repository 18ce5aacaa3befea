#!/usr/bin/env bash
# Set-up + every test: installs what is missing, builds, and runs the whole suite through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap
./scripts/build.sh
export TZ=UTC LC_ALL=C.UTF-8
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
