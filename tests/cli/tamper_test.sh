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
# 3. Records outside the journal (loans, members, users, settings, hụi, savings, VBSP, ...): one
#    row of every logged table edited or deleted, a user added and the change log edited, each
#    with its triggers dropped, are caught by `soquy check` naming the table and the record.
# Expected problem sentences are written out here by hand from the contract in
# ledger/journal/include/soquy/journal.h and the entries posted below.
set -u
SOQUY=$(realpath "$1")
PYTHON=${2:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soquy-tamper.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_NOW=2026-11-28T09:00:00Z
unset SOQUY_DB
export SOQUY_USER=admin  # the demo file has several users: a writer says who it is

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

# --- 3. records outside the journal (the change log, schema 12) --------------------------------
# The demo database holds every kind of record: units, members, groups, users, settings, products,
# loans and their events, dues, hụi, savings groups, the VBSP register and statements. With the
# triggers in place the sqlite3 shell cannot write a logged table at all (the log's functions live
# in soquy); with a table's triggers dropped, one edited, inserted or deleted row of *each* logged
# table is caught by `soquy check` (exit 1), naming the table and the record.
must "$SOQUY" --db demo.db demo
# What the demo leaves empty: dues, a setting change, a treasurer, a VBSP contract and fee rate.
must "$SOQUY" --db demo.db dues rate --amount 2000 --from 2026-01
must "$SOQUY" --db demo.db dues split --from 2026-01 branch=50% commune=30% province=20%
must "$SOQUY" --db demo.db dues exempt HV0001 --from 2026-01 --reason "Cao tuổi"
must "$SOQUY" --db demo.db dues bill --period 2026-01
must "$SOQUY" --db demo.db dues pay HV0002 --amount 2000 --date 2026-01-20
must "$SOQUY" --db demo.db setting set loan.member_limit 30000000
must "$SOQUY" --db demo.db user add thuquy --role treasurer
must "$SOQUY" --db demo.db group update GV-CK-PT --treasurer thuquy
must "$SOQUY" --db demo.db vbsp contract add HD-01 --unit CK-HA --signed 2025-01-10
must "$SOQUY" --db demo.db vbsp fee-rate add --contract HD-01 --from 2025-02-01 --fee 0.5% --commission 0.1%
# And a collection sheet recorded late (schema 14): 1 đồng for VV25-0001 on 05/01/2026, before its
# repayment of 06/01, fills loan_collection_rows and re-allocates that repayment (loan_reallocations).
printf 'loan,amount,prepay\nVV25-0001,1,x\n' >late-sheet.csv
must "$SOQUY" --db demo.db collection-sheet record --group TD-TP-P7 --date 2026-01-05 late-sheet.csv
"$SOQUY" --db demo.db check >"$WORK/out" 2>&1 || { fail "check on the demo database fails"; cat "$WORK/out"; }
before=$(sha256sum <demo.db)
if out=$(sqlite3 demo.db "UPDATE loans SET principal = principal * 10 WHERE rowid = 1;" 2>&1); then
  fail "sqlite3 changed a loan with the change-log triggers in place"
elif [[ $out != *"no such function: soquy_"* ]]; then
  fail "sqlite3 refused the loan edit, but not for want of the change log's functions: $out"
fi
[[ $(sha256sum <demo.db) == "$before" ]] || fail "a refused loan edit changed the database file"

"$PYTHON" - "$SOQUY" demo.db <<'PY' || failures=$((failures + 1))
import json, os, shutil, sqlite3, subprocess, sys
os.environ.pop("SOQUY_USER", None)  # checks read; a tampered users table may lack the writer's name

soquy, base = sys.argv[1], sys.argv[2]
db = sqlite3.connect(base)
tables = [r[0] for r in db.execute(
    "SELECT DISTINCT tbl_name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'log_%_insert' ORDER BY 1")]
# Every table of the schema but the journal's own, the derived balances and the log itself.
expected = {r[0] for r in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
expected -= {"entries", "postings", "account_balances", "change_log"}
bad = 0
if set(tables) != expected:
    print(f"FAIL: logged tables {sorted(tables)} are not every record table {sorted(expected)}")
    bad += 1

def first_row(con, table, last=False):
    """The first (or last) row of `table` as (where-clause, params, key text), by its primary
    key (or rowid), or None when the table is empty."""
    cols = [(r[1], r[5]) for r in con.execute(f'PRAGMA table_info("{table}")')]
    pk = [c for c, p in sorted((c for c in cols if c[1] > 0), key=lambda c: c[1])] or ["rowid"]
    names = ", ".join(c if c == "rowid" else f'"{c}"' for c in pk)
    order = ", ".join(f"{n} DESC" if last else n for n in names.split(", "))
    row = con.execute(f'SELECT {names} FROM "{table}" ORDER BY {order} LIMIT 1').fetchone()
    if row is None:
        return None
    where = " AND ".join(f'{c if c == "rowid" else chr(34) + c + chr(34)} = ?' for c in pk)
    return where, row, "/".join(str(v) for v in row)

def tamper(table, how):
    """Copies the demo database, drops `table`'s log triggers (and its append-only guards) and
    edits or deletes its first row; returns the copy and the record's key (None: empty table)."""
    path = f"t-{table}-{how}.db"
    shutil.copy(base, path)
    con = sqlite3.connect(path)
    first = first_row(con, table, last=(how == "delete"))  # the last user, not the admin check opens as
    if first is None:
        return path, None
    where, params, key = first
    for t in ("insert", "update", "rekey", "delete"):
        con.execute(f'DROP TRIGGER IF EXISTS "log_{table}_{t}"')
    for t in (f"{table}_no_update", f"{table}_no_delete"):
        con.execute(f'DROP TRIGGER IF EXISTS "{t}"')
    if how == "delete":
        con.execute(f'DELETE FROM "{table}" WHERE {where}', params)
    else:
        info = list(con.execute(f'PRAGMA table_info("{table}")'))
        cols = [r[1] for r in info if r[5] == 0] + [r[1] for r in info if r[5] > 0]  # a key column last
        done = False
        for c in cols:  # the first column an edit can change within the table's CHECK constraints
            for expr in (f'"{c}" + 1', f'"{c}" || \'x\'', "1", "'x'"):
                try:
                    n = con.execute(f'UPDATE "{table}" SET "{c}" = {expr} WHERE {where} AND "{c}" IS NOT {expr}',
                                    params).rowcount
                except sqlite3.Error:
                    continue
                if n == 1:
                    done = True
                    break
            if done:
                break
        if not done:
            return path, "unchangeable"
    con.commit()
    con.close()
    return path, key

edited = 0
for table in tables:
    for how in ("update", "delete") if table in ("users", "loans", "vbsp_statement_rows", "rosca_dues") else ("update",):
        path, key = tamper(table, how)
        if key is None:
            print(f"FAIL: {table} is empty in the test's database: its tamper evidence is not tested")
            bad += 1
            continue
        if key == "unchangeable":
            print(f"FAIL: no column of {table} could be edited by the test")
            bad += 1
            continue
        r = subprocess.run([soquy, "--db", path, "check", "--only", "records.changes", "--format", "json"], capture_output=True, text=True)
        want = f"{table} {key}: " + ("in the change log" if how == "delete" else "differs from its last logged change")
        text = r.stdout + r.stderr
        if how == "update" and want not in text:  # an edit of a key column: the record left its key
            want = f"{table} {key}: in the change log"
        if r.returncode != 1 or want not in text:
            print(f"FAIL: {how} of {table} {key}: check exited {r.returncode}, expected 1 naming '{want}'")
            print(text[:2000])
            bad += 1
        edited += 1
# The probe's two cases, as it made them: a loan's principal multiplied by 10, an auditor made admin.
for table, sql, key_sql in (
        ("loans", 'UPDATE loans SET principal = principal * 10 WHERE id = (SELECT min(id) FROM loans)',
         "SELECT min(id) FROM loans"),
        ("users", "UPDATE users SET role = 'admin' WHERE name = 'kiemtra'", "SELECT id FROM users WHERE name = 'kiemtra'")):
    path = f"t-{table}-probe.db"
    shutil.copy(base, path)
    con = sqlite3.connect(path)
    for t in ("insert", "update", "rekey", "delete"):  # SQLite compiles them all for any write
        con.execute(f'DROP TRIGGER "log_{table}_{t}"')
    con.execute(f'DROP TRIGGER IF EXISTS "{table}_no_update"')  # and the append-only guard, if any
    key = con.execute(key_sql).fetchone()[0]
    con.execute(sql)
    con.commit()
    con.close()
    r = subprocess.run([soquy, "--db", path, "check", "--only", "records.changes"], capture_output=True, text=True)
    want = f"{table} {key}: differs from its last logged change"
    if r.returncode != 1 or want not in r.stdout + r.stderr:
        print(f"FAIL: {sql}: check exited {r.returncode}, expected 1 naming '{want}'\n{r.stdout}{r.stderr}")
        bad += 1
# A record added behind the log's back.
path = "t-users-add.db"
shutil.copy(base, path)
con = sqlite3.connect(path)
con.execute('DROP TRIGGER "log_users_insert"')
con.execute("INSERT INTO users (name, role, created_at) VALUES ('ke_gian', 'admin', '2026-11-28T09:00:00Z')")
new_id = con.execute("SELECT id FROM users WHERE name = 'ke_gian'").fetchone()[0]
con.commit()
con.close()
r = subprocess.run([soquy, "--db", path, "check", "--only", "records.changes"], capture_output=True, text=True)
if r.returncode != 1 or f"users {new_id}: not in the change log" not in r.stdout + r.stderr:
    print(f"FAIL: an admin added with sqlite3 is not caught: exit {r.returncode}\n{r.stdout}{r.stderr}")
    bad += 1
# The log itself edited: its chain breaks.
path = "t-log.db"
shutil.copy(base, path)
con = sqlite3.connect(path)
con.execute('DROP TRIGGER "change_log_no_update"')
con.execute("UPDATE change_log SET content = replace(content, 'auditor', 'admin') WHERE seq = (SELECT max(seq) FROM change_log WHERE tbl = 'users' AND content LIKE '%auditor%')")
con.commit()
con.close()
r = subprocess.run([soquy, "--db", path, "check", "--only", "records.changes"], capture_output=True, text=True)
if r.returncode != 1 or "the change log was edited" not in r.stdout + r.stderr:
    print(f"FAIL: an edited change-log row is not caught: exit {r.returncode}\n{r.stdout}{r.stderr}")
    bad += 1
print(f"records: {edited} tampered copies over {len(tables)} logged tables checked")
sys.exit(1 if bad else 0)
PY

# The untouched original still verifies.
"$SOQUY" --db base.db check >/dev/null 2>&1 || fail "the untouched database no longer verifies"

if [[ $failures -ne 0 ]]; then
  echo "tamper test: $failures failure(s)"
  exit 1
fi
echo "tamper test: ok"
