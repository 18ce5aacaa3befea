#!/usr/bin/env bash
# Set-up + the main job: installs what is missing, builds, and runs `soquy demo`,
# which creates demo.db and prints a short tour of what is in it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap
./scripts/build.sh
./build/cli/soquy --db demo.db demo --force
