#!/usr/bin/env bash
# Configures and builds soquy into build/ (Release with debug info). Used by demo.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache (installed by bootstrap, used by CMakeLists.txt when present): paths relative to the
# clone, so a fresh clone elsewhere (CI) reuses what an earlier build compiled.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
