#!/usr/bin/env bash
# Set-up + the main job: installs what is missing, builds, and runs `soquy demo`,
# which creates demo.db and prints a short tour of what is in it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap
./scripts/build.sh
# demo.db is this script's own file, made anew each run (`soquy demo --force` itself replaces only
# a database that `soquy demo` made; a demo.db from an older soquy carries no such mark).
rm -f demo.db demo.db-wal demo.db-shm
./build/cli/soquy --db demo.db demo
# The VBSP commune's reconciliation minutes for one group (exit 1: it lists the differences
# planted in the bank's statement, see docs/vbsp.md "The demo commune").
rc=0
./build/cli/soquy --db demo.db vbsp minutes --group 0841103 --as-of 2026-10-31 || rc=$?
[ "$rc" -le 1 ]
