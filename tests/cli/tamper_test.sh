#!/usr/bin/env bash
# Tamper evidence, end to end: someone with the sqlite3 shell edits the database file.
#
#   tamper_test.sh SOQUY_BINARY [PYTHON3]
#
# 1. The append-only triggers refuse UPDATE and DELETE of posted rows (and the file is unchanged).
# 2. With a trigger dropped, each kind of edit is caught by `soquy check` (exit 1), which names
#    the entry: an amount changed (entry no longer balances), amounts changed in a balanced way
#    (only the hash notices), a memo changed, a memo changed *and* its hash recomputed by someone
#    who knows the algorithm (the next entry's link breaks), and an entry deleted.
# Expected problem sentences are written out here by hand from the contract in
# ledger/journal/include/soquy/journal.h and the entries posted below.
set -u
SOQUY=$(realpath "$1")
PYTHON=${2:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soquy-tamper.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_NOW=2026-11-28T09:00:00Z
unset SOQUY_DB SOQUY_USER

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
must() {
  "$@" >"$WORK/out" 2>&1 || { echo "setup failed: $*"; cat "$WORK/out"; exit 1; }
}

# --- a small journal: 3 entries in the fund ---------------------------------------------------
must "$SOQUY" --db base.db init
must "$SOQUY" --db base.db post --book fund --date 2026-01-15 --memo "Nhận vốn" --id cap-001 1011=5000000 6011=-5000000
must "$SOQUY" --db base.db post --book fund --date 2026-02-01 --memo "Giải ngân HV0001" --id disb-001 2111=1500000 1011=-1500000
must "$SOQUY" --db base.db post --book fund --date 2026-03-01 --memo "Thu nợ HV0001" --id rep-001 1011=510000 2111=-500000 7021=-10000

"$SOQUY" --db base.db check >"$WORK/out" 2>&1
rc=$?
[[ $rc -eq 0 ]] || { fail "check on an untouched journal exits $rc, expected 0"; cat "$WORK/out"; }

# --- 1. the triggers refuse edits ---------------------------------------------------------------
before=$(sha256sum <base.db)
refused() {  # SQL, the trigger's message
  local out
  if out=$(sqlite3 base.db "$1" 2>&1); then
    fail "sqlite3 accepted: $1"
  elif [[ $out != *"$2"* ]]; then
    fail "sqlite3 refused '$1' but not with '$2': $out"
  fi
}
refused "UPDATE postings SET amount = amount + 1 WHERE entry_id = 2 AND line = 1;" \
  "soquy: postings cannot be changed; post a reversal"
refused "DELETE FROM postings WHERE entry_id = 2;" "soquy: postings cannot be deleted; post a reversal"
refused "UPDATE entries SET memo = 'Giải ngân HV0002' WHERE id = 2;" \
  "soquy: posted entries cannot be changed; post a reversal"
refused "DELETE FROM entries WHERE id = 3;" "soquy: posted entries cannot be deleted; post a reversal"
[[ $(sha256sum <base.db) == "$before" ]] || fail "a refused edit changed the database file"

# --- 2. edits behind the triggers' back ---------------------------------------------------------
# Runs `soquy check --format json` on a tampered copy and compares its problems, in order, with
# the expected sentences (one per argument), those of every named check in order. Exit code 1 is
# required.
expect_problems() {  # DB, expected problem...
  local db=$1
  shift
  "$SOQUY" --db "$db" check --format json >"$WORK/check.json" 2>"$WORK/check.err"
  local rc=$?
  [[ $rc -eq 1 ]] || fail "$db: check exits $rc, expected 1"
  [[ -s $WORK/check.err ]] && fail "$db: check wrote to stderr: $(cat "$WORK/check.err")"
  "$PYTHON" - "$WORK/check.json" "$db" "$@" <<'PY' || failures=$((failures + 1))
import json, sys
report = json.load(open(sys.argv[1]))
db, expected = sys.argv[2], sys.argv[3:]
ok = True
if report["ok"] is not False:
    print(f"FAIL: {db}: check reports ok = {report['ok']!r}")
    ok = False
problems = [p for c in report["checks"] for p in c["problems"]]
if problems != expected:
    print(f"FAIL: {db}: problems differ")
    print("  expected:", *expected, sep="\n    ")
    print("  actual:", *problems, sep="\n    ")
    ok = False
sys.exit(0 if ok else 1)
PY
}
copy() { cp base.db "$1"; }

# 2a. One posting of entry #2 raised by 1 đồng: its hash, its balance and the stored balances of
#     2111 from 01/02 on (1.500.000 → 1.500.001; 1.000.000 → 1.000.001) all disagree.
copy amount.db
sqlite3 amount.db "DROP TRIGGER postings_no_update; UPDATE postings SET amount = amount + 1 WHERE entry_id = 2 AND line = 1;"
expect_problems amount.db \
  "the append-only trigger postings_no_update is missing: someone could edit posted rows" \
  "entry #2 (2026-02-01, fund): its hash does not match its content and the previous entry's hash: it was changed after posting, or the entry before it was removed or rewritten" \
  "entry #2 (2026-02-01) does not balance: its postings sum to 1" \
  "account fund 2111 on 2026-02-01: stored balance 1500000 but the postings give 1500001" \
  "account fund 2111 on 2026-03-01: stored balance 1000000 but the postings give 1000001"

# 2b. Entry #2 moved 100.000 from the loan to cash on both sides, so it still balances; and the
#     trigger is put back. Only the hash and the stored balances show it.
copy balanced.db
sqlite3 balanced.db "DROP TRIGGER postings_no_update;
  UPDATE postings SET amount = 1400000 WHERE entry_id = 2 AND line = 1;
  UPDATE postings SET amount = -1400000 WHERE entry_id = 2 AND line = 2;
  CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
  BEGIN SELECT RAISE(ABORT, 'soquy: postings cannot be changed; post a reversal'); END;"
expect_problems balanced.db \
  "entry #2 (2026-02-01, fund): its hash does not match its content and the previous entry's hash: it was changed after posting, or the entry before it was removed or rewritten" \
  "account fund 1011 on 2026-02-01: stored balance 3500000 but the postings give 3600000" \
  "account fund 1011 on 2026-03-01: stored balance 4010000 but the postings give 4110000" \
  "account fund 2111 on 2026-02-01: stored balance 1500000 but the postings give 1400000" \
  "account fund 2111 on 2026-03-01: stored balance 1000000 but the postings give 900000"

# 2c. The memo of entry #2 rewritten.
copy memo.db
sqlite3 memo.db "DROP TRIGGER entries_no_update; UPDATE entries SET memo = 'Giải ngân HV0002' WHERE id = 2;"
expect_problems memo.db \
  "the append-only trigger entries_no_update is missing: someone could edit posted rows" \
  "entry #2 (2026-02-01, fund): its hash does not match its content and the previous entry's hash: it was changed after posting, or the entry before it was removed or rewritten"

# 2d. The memo of entry #2 rewritten and its hash recomputed the way soquy computes it (the
#     canonical bytes of journal.h): entry #2 now looks whole, but entry #3's hash was made from
#     #2's old hash, so the chain breaks there.
copy rehash.db
"$PYTHON" - rehash.db <<'PY' || fail "could not forge the hash"
import hashlib, json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DROP TRIGGER entries_no_update")
e = db.execute("SELECT e.id, b.code, e.date, coalesce(e.client_id, ''), e.reverses, u.name, e.recorded_at, "
               "(SELECT h.hash FROM entries h WHERE h.id = e.id - 1) "
               "FROM entries e JOIN books b ON b.id = e.book_id JOIN users u ON u.id = e.user_id "
               "WHERE e.id = 2").fetchone()
postings = db.execute("SELECT a.code, p.amount FROM postings p JOIN accounts a ON a.id = p.account_id "
                      "WHERE p.entry_id = 2 ORDER BY p.line").fetchall()
memo = "Giải ngân HV0002"
doc = ["soquy-entry/1", e[0], e[1], e[2], e[3], memo, e[4], e[5], e[6], [[a, n] for a, n in postings]]
# Hashes are stored as their 32 raw bytes; the hashed text begins with the previous entry's in hex.
forged = hashlib.sha256((e[7].hex() + "\n" + json.dumps(doc, ensure_ascii=False, separators=(",", ":"))).encode()).digest()
db.execute("UPDATE entries SET memo = ?, hash = ? WHERE id = 2", (memo, forged))
db.execute("CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries "
           "BEGIN SELECT RAISE(ABORT, 'soquy: posted entries cannot be changed; post a reversal'); END")
db.commit()
PY
expect_problems rehash.db \
  "entry #3 (2026-03-01, fund): its hash does not match its content and the previous entry's hash: it was changed after posting, or the entry before it was removed or rewritten"

# 2e. Entry #2 and its postings deleted: a gap in the numbers, a broken link at #3, and stored
#     balances that no postings explain any more.
copy delete.db
sqlite3 delete.db "DROP TRIGGER postings_no_delete; DROP TRIGGER entries_no_delete;
  DELETE FROM postings WHERE entry_id = 2; DELETE FROM entries WHERE id = 2;"
expect_problems delete.db \
  "the append-only trigger entries_no_delete is missing: someone could edit posted rows" \
  "the append-only trigger postings_no_delete is missing: someone could edit posted rows" \
  "entries are missing: after #1 comes #3" \
  "entry #3 (2026-03-01, fund): its hash does not match its content and the previous entry's hash: it was changed after posting, or the entry before it was removed or rewritten" \
  "account fund 1011 on 2026-02-01: stored balance 3500000 but no postings fall on that day" \
  "account fund 1011 on 2026-03-01: stored balance 4010000 but the postings give 5510000" \
  "account fund 2111 on 2026-02-01: stored balance 1500000 but no postings fall on that day" \
  "account fund 2111 on 2026-03-01: stored balance 1000000 but the postings give -500000"

# The untouched original still verifies.
"$SOQUY" --db base.db check >/dev/null 2>&1 || fail "the untouched database no longer verifies"

if [[ $failures -ne 0 ]]; then
  echo "tamper test: $failures failure(s)"
  exit 1
fi
echo "tamper test: ok"
