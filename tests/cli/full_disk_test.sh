#!/usr/bin/env bash
# A full disk never leaves anything half-written (issue 17, item 6).
#
#   full_disk_test.sh SOQUY_BINARY
#
# The disk is made "full" for one command with the file-size limit (ulimit -f, SIGXFSZ ignored so
# that a write past it fails with EFBIG, as on a full disk):
# 1. a schema upgrade whose backup copy cannot be written exits 74, says so, leaves no partial
#    backup and the database byte-for-byte as it was;
# 2. a report written with --out that cannot be written exits 74 and leaves neither a partial file
#    nor a temporary one; an existing file at the target keeps its content;
# 3. a post with no room for SQLite's WAL index (-shm) exits 74 and one with no room for the
#    checkpoint at close commits and exits 0: neither dies of SIGBUS (defect 6).
set -u
SOQUY=$(realpath "$1")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soquy-fulldisk.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_NOW=2026-11-28T09:00:00Z
unset SOQUY_DB
export SOQUY_USER=admin  # a writer says who it is
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
must() { "$@" >out 2>&1 || { echo "setup failed: $*"; cat out; exit 1; }; }
# Runs a command with at most $1 KiB per file written.
limited() { local kib=$1; shift; ( trap '' XFSZ; ulimit -f "$kib"; "$@" ); }

must "$SOQUY" --db a.db init
{
  echo "entry_id,date,book,account,amount,memo"
  for i in $(seq 1 2000); do
    echo "v-$i,2026-01-15,fund,1011,5000000,Nhận vốn đợt $i"
    echo "v-$i,2026-01-15,fund,6011,-5000000,Nhận vốn đợt $i"
  done
} >entries.csv
must "$SOQUY" --db a.db import entries entries.csv
must "$SOQUY" --db a.db check

# --- 1. the schema upgrade's backup copy --------------------------------------------------------
# Pretend the file is one schema behind, so that the next writing command upgrades it after a
# backup copy (the migration itself never runs: the copy fails first).
version=$(sqlite3 a.db "PRAGMA user_version")
must sqlite3 a.db "PRAGMA user_version = $((version - 1))"
before=$(sha256sum a.db | cut -d' ' -f1)
size_kib=$(( $(stat -c %s a.db) / 1024 ))
limited $((size_kib / 2)) "$SOQUY" --db a.db post --book fund --date 2026-02-01 --memo "x" 1011=1 6011=-1 >out 2>&1
rc=$?
[[ $rc -eq 74 ]] || fail "backup on a full disk exits $rc, expected 74: $(cat out)"
grep -q "cannot write the backup copy a.db.before-schema-$version" out || fail "message does not name the backup: $(cat out)"
ls a.db.before-schema-* >/dev/null 2>&1 && fail "a partial backup was left: $(ls a.db.before-schema-*)"
[[ $(sha256sum a.db | cut -d' ' -f1) == "$before" ]] || fail "the database changed after a failed backup"
must sqlite3 a.db "PRAGMA user_version = $version"

# --- 2. a report written with --out --------------------------------------------------------------
echo "báo cáo cũ" >r.csv
# 64 KiB per file: enough for the database's -shm (32 KiB) and the message, not for the export.
limited 64 "$SOQUY" --db a.db export journal --out r.csv >out 2>&1
rc=$?
[[ $rc -eq 74 ]] || fail "--out on a full disk exits $rc, expected 74: $(cat out)"
grep -q "is the disk full" out || fail "--out message does not say the disk may be full: $(cat out)"
[[ $(cat r.csv) == "báo cáo cũ" ]] || fail "the existing r.csv was changed"
[[ -z $(ls -A | grep part) ]] || fail "a temporary file was left: $(ls -A | grep part)"
must "$SOQUY" --db a.db check

# --- 3. the WAL index (-shm) and the checkpoint (defect 6: "post committed, then SIGBUS") --------
# soquy maps no file but SQLite's -shm (PRAGMA mmap_size = 0; docs/architecture.md, "No mmap"), and
# SQLite writes every -shm page before mapping it, so a full disk is an I/O error, never a signal.
# (a) The -shm cannot be created (16 KiB per file, it needs 32): exit 74, nothing written.
must "$SOQUY" --db b.db init
rm -f b.db-shm   # no connection is open: SQLite makes it again
before=$(sha256sum b.db | cut -d' ' -f1)
limited 16 "$SOQUY" --db b.db post --book fund --date 2026-02-01 --memo "x" 1011=7 6011=-7 >out 2>&1
rc=$?
[[ $rc -lt 128 ]] || fail "post with no room for the -shm died of signal $((rc - 128)): $(cat out)"
[[ $rc -eq 74 ]] || fail "post with no room for the -shm exits $rc, expected 74: $(cat out)"
[[ $(sha256sum b.db | cut -d' ' -f1) == "$before" ]] || fail "the database changed after a failed post"
must "$SOQUY" --db b.db check
# (b) Room for the -shm and the commit, not for the checkpoint at close (36 KiB per file; the
# checkpoint writes the database's pages far past that): the post is committed in the WAL and
# exits 0, no signal; the next command, with room, sees it and checkpoints.
limited 36 "$SOQUY" --db b.db post --book fund --date 2026-02-01 --memo "x" --id full-1 1011=7 6011=-7 >out 2>&1
rc=$?
[[ $rc -lt 128 ]] || fail "post with no room for the checkpoint died of signal $((rc - 128)): $(cat out)"
[[ $rc -eq 0 ]] || fail "post with no room for the checkpoint exits $rc, expected 0: $(cat out)"
must "$SOQUY" --db b.db check
"$SOQUY" --db b.db trial-balance --format json >out 2>&1 || fail "trial balance after (b): $(cat out)"
grep -q '"7"' out || fail "the entry committed in (b) is not in the trial balance: $(cat out)"

if [[ $failures -eq 0 ]]; then echo "full disk: 3 scenarios passed"; exit 0; fi
echo "$failures failure(s)"; exit 1
