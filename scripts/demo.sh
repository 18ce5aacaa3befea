#!/usr/bin/env bash
# Set-up + the main job: installs what is missing, builds, and runs `soquy demo`,
# which creates demo.db and prints a short tour of what is in it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap
./scripts/build.sh
./build/cli/soquy --db demo.db demo --force
# The VBSP commune's reconciliation minutes for one group (exit 1: it lists the differences
# planted in the bank's statement, see docs/vbsp.md "The demo commune").
rc=0
./build/cli/soquy --db demo.db vbsp minutes --group 0841103 --as-of 2026-10-31 || rc=$?
[ "$rc" -le 1 ]
