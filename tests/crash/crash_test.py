#!/usr/bin/env python3
"""Crash consistency: SIGKILL `soquy` at random moments while it writes.

usage: crash_test.py SOQUY_BINARY [SCENARIO...]

For each writing command (scenarios below) a base database is made once, the command is run to
the end on a copy to learn the "after" state and how long it takes, then, on a fresh copy each
time, the command is started and killed with SIGKILL after a random delay (seeded: SOQUY_CRASH_SEED,
default 17) between 0 and that duration (half of them in its last 30 %, where the commit is).
After each kill:

  1. `soquy check` passes (exit 0) on the file as the kill left it (with its -wal/-shm);
  2. the state is exactly the "before" or the "after" one: check's `entries` and `last_hash`,
     the schema version and every row of every table but the audit log's (which is the domains'
     own listings and more);
  3. re-running the command succeeds and leaves exactly the "after" state.

About 50 kills in all by default, shared among the scenarios; SOQUY_CRASH_KILLS=N for more.
Prints one line per scenario; exits 1 listing every failure.
"""

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

SOQUY = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else sys.exit(__doc__)
ONLY = sys.argv[2:]
KILLS = int(os.environ.get("SOQUY_CRASH_KILLS", "50"))
SEED = int(os.environ.get("SOQUY_CRASH_SEED", "17"))
ENV = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8", SOQUY_DB="soquy.db", SOQUY_NOW="2026-11-28T09:00:00Z")
ENV["SOQUY_USER"] = "admin"
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures")

failures = []


def run(cwd, *args, ok=(0,)):
    p = subprocess.run([SOQUY, *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=600)
    if p.returncode not in ok:
        raise RuntimeError(f"soquy {' '.join(args)} exited {p.returncode}: {p.stderr.strip()[:500]}")
    return p


def write(cwd, name, text):
    with open(os.path.join(cwd, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)


def db_files(d):
    return [f for f in ("soquy.db", "soquy.db-wal", "soquy.db-shm") if os.path.exists(os.path.join(d, f))]


def copy_dir(src, dst):
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)


def state(cwd):
    """check's entries and last_hash, the schema version, and every table's rows but the audit
    log's. Fails (RuntimeError) when `soquy check` does not pass. A file still at schema 9 (the
    migration scenario before its upgrade) is refused by check with exit 74, as it should be:
    its rows are compared alone."""
    p = run(cwd, "check", "--format", "json", ok=(0, 1, 74))
    if p.returncode == 74 and "has schema 9" in p.stderr:
        check = {}
    elif p.returncode != 0:
        raise RuntimeError(f"soquy check fails after the kill: {p.stdout.strip()[:500]} {p.stderr.strip()[:300]}")
    else:
        check = json.loads(p.stdout)
    db = sqlite3.connect(f"file:{os.path.join(cwd, 'soquy.db')}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        rows = {}
        for t in tables:
            if "audit" in t:
                continue
            cols = [r[1] for r in db.execute(f'PRAGMA table_info("{t}")')]
            rows[t] = (cols, sorted(repr(r) for r in db.execute(f'SELECT * FROM "{t}"')))
        version = db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()
    return {"entries": check.get("entries"), "last_hash": check.get("last_hash"), "version": version, "rows": rows}


def describe(a, b):
    """The first difference between two states, for messages."""
    for k in ("entries", "last_hash", "version"):
        if a[k] != b[k]:
            return f"{k} {a[k]!r} vs {b[k]!r}"
    for t in sorted(set(a["rows"]) | set(b["rows"])):
        if a["rows"].get(t) != b["rows"].get(t):
            na, nb = (len(x["rows"].get(t, ((), ()))[1]) for x in (a, b))
            return f"table {t}: {na} rows vs {nb}"
    return "same"


# --- the scenarios: (setup(dir), command args, extra states allowed) ----------------------------

def units_and_members(d, n):
    """Trà Vinh's units (fixtures/registry) and n members M1..Mn in commune CL-AT-1."""
    shutil.copy(os.path.join(FIXTURES, "registry", "tra_vinh_2020.csv"), d)
    run(d, "init")
    run(d, "import", "units", "tra_vinh_2020.csv")
    lines = ["id,name,national_id,unit,joined"]
    for i in range(1, n + 1):
        lines.append(f"M{i},Nguyễn Thị Số {i},0841800{i:05d},CL-AT-1,2020-03-01")
    write(d, "members.csv", "\r\n".join(lines) + "\r\n")


def setup_entries(d):
    run(d, "init")
    run(d, "post", "--book", "fund", "--date", "2026-01-15", "--memo", "Nhận vốn", "--id", "cap-001",
        "1011=500000000", "6011=-500000000")
    lines = ["\ufeffentry_id,date,book,account,amount,memo"]
    for i in range(1, 1501):
        day = f"{(i % 28) + 1:02d}/03/2026" if i % 2 else "2026-03-10"
        lines.append(f"imp-{i:05d},{day},fund,2111,{1000 + i},\"Giải ngân HV{i:04d}, kỳ 1\"")
        lines.append(f"imp-{i:05d},{day},fund,1011,-{1000 + i},")
    write(d, "entries.csv", "\r\n".join(lines) + "\r\n")


def setup_members(d):
    units_and_members(d, 1500)


def setup_loans(d):
    units_and_members(d, 150)
    run(d, "import", "members", "members.csv")
    run(d, "group", "add", "G1", "--name", "Tổ 1", "--kind", "credit", "--unit", "CL-AT-1", "--from", "2020-01-01")
    run(d, "fund", "deposit", "--amount", "100000000000", "--date", "2025-12-01", "--id", "cap-1")
    run(d, "product", "add", "A", "--method", "flat", "--rate", "1%/month", "--term", "12")
    lines = ["loan,member,product,amount,date,group,memo"]
    for i in range(1, 151):
        lines.append(f"L{i},M{i},A,{1000000 + 1000 * i},{(i % 28) + 1}/01/2026,,\"Vay chăn nuôi, lần {i}\"")
    write(d, "loans.csv", "\n".join(lines) + "\n")


def setup_collection(d):
    run(d, "init")
    run(d, "unit", "add", "P", "--name", "Trà Vinh", "--kind", "province", "--from", "2020-01-01")
    run(d, "unit", "add", "C1", "--name", "An Trường", "--kind", "commune", "--parent", "P", "--from", "2020-01-01")
    run(d, "group", "add", "G1", "--name", "Tổ 1", "--kind", "credit", "--unit", "C1", "--from", "2020-01-01")
    run(d, "fund", "deposit", "--amount", "1000000000", "--date", "2025-12-01", "--id", "cap-1")
    run(d, "product", "add", "A", "--method", "flat", "--rate", "1%/month", "--term", "12")
    sheet = ["\ufeffKhoản vay,Thực thu,Tiết kiệm,Biên lai"]
    for i in range(1, 41):
        run(d, "member", "add", f"M{i}", "--name", f"Trần Thị {i}", "--national-id", f"0841850{i:05d}",
            "--unit", "C1", "--group", "G1", "--joined", "2020-01-01")
        run(d, "loan", "disburse", f"L{i}", "--member", f"M{i}", "--product", "A", "--amount", "10000000",
            "--date", "2026-01-15", "--group", "G1")
        sheet.append(f"L{i},933333,{10000 * (i % 3)},BL-0215-{i}")
    write(d, "meeting.csv", "\r\n".join(sheet) + "\r\n")


def setup_vbsp(d):
    run(d, "init")
    run(d, "unit", "add", "P", "--name", "Trà Vinh", "--kind", "province", "--from", "2020-01-01")
    run(d, "unit", "add", "C1", "--name", "Long Đức", "--kind", "commune", "--parent", "P", "--from", "2020-01-01")
    lines = ["loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,disbursed_on,amount,maturity_on"]
    for i in range(1, 301):
        lines.append(f"60010000000{i:05d},08410{12 + i % 8},HV{i},KH{i:04d},,Nguyễn Thị {i},01,15/01/2026,"
                     f"{10000000 + 1000 * i},2029-01-15")
    write(d, "register.csv", "\n".join(lines) + "\n")


def setup_savings(d):
    run(d, "init")
    run(d, "unit", "add", "TV", "--name", "Trà Vinh", "--kind", "province", "--from", "2020-01-01")
    run(d, "group", "add", "TK1", "--name", "Tổ tiết kiệm ấp 1", "--kind", "savings", "--unit", "TV", "--from", "2025-01-01")
    rows = ["member,shares,social"]
    for i in range(1, 26):
        run(d, "member", "add", f"S{i}", "--name", f"Lê Thị {i}", "--national-id", f"0841850{i:05d}",
            "--unit", "TV", "--group", "TK1", "--joined", "2025-01-01")
        rows.append(f"S{i},{1 + i % 5},2000")
    run(d, "savings", "rules", "TK1", "--share-price", "10000")
    write(d, "m1.csv", "\n".join(rows) + "\n")


def setup_post(d):
    run(d, "init")
    run(d, "post", "--book", "fund", "--date", "2026-01-15", "--memo", "Nhận vốn", "--id", "cap-001",
        "1011=5000000", "6011=-5000000")
    run(d, "post", "--book", "fund", "--date", "2026-02-01", "--memo", "Gửi ngân hàng", "--id", "bank-001",
        "1121=2000000", "1011=-2000000")


def setup_migration(d):
    setup_entries(d)
    run(d, "import", "entries", "entries.csv")
    db = sqlite3.connect(os.path.join(d, "soquy.db"))
    # As tests/unit/migration_test.cc's make_schema_9: entries.prev_hash stored, user_version 9,
    # and what later migrations added (schema 11's book_treasurers, schema 12's change log and
    # its triggers, schema 13's entry owners, schema 14's loan corrections) removed: the upgrade killed
    # here runs migrations 10 to 14.
    for (name,) in db.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'log\\_%' ESCAPE '\\'").fetchall():
        db.execute(f'DROP TRIGGER "{name}"')
    db.executescript("""
        DROP TABLE loan_reallocations;
        DROP TABLE loan_collection_rows;
        DROP TRIGGER IF EXISTS log_loans_insert; DROP TRIGGER IF EXISTS log_loans_update;
        DROP TRIGGER IF EXISTS log_loans_rekey; DROP TRIGGER IF EXISTS log_loans_delete;
        DROP TRIGGER IF EXISTS log_loan_events_insert; DROP TRIGGER IF EXISTS log_loan_events_update;
        DROP TRIGGER IF EXISTS log_loan_events_rekey; DROP TRIGGER IF EXISTS log_loan_events_delete;
        DROP TRIGGER loans_no_update;
        DROP TRIGGER loan_events_no_update;
        ALTER TABLE loans DROP COLUMN reversal_reason;
        ALTER TABLE loans DROP COLUMN reversed_by;
        ALTER TABLE loan_events DROP COLUMN reversal_reason;
        ALTER TABLE loan_events DROP COLUMN reversed_by;
        CREATE TRIGGER loans_no_update BEFORE UPDATE ON loans
        BEGIN SELECT RAISE(ABORT, 'loans are append-only: record an event instead'); END;
        CREATE TRIGGER loan_events_no_update BEFORE UPDATE ON loan_events
        BEGIN SELECT RAISE(ABORT, 'loan events are append-only: record a correcting event instead'); END;
        DROP TABLE change_log;
        DROP TABLE entry_owners;
        DROP TABLE book_treasurers;
        ALTER TABLE entries ADD COLUMN prev_hash BLOB CHECK (length(prev_hash) = 32);
        DROP TRIGGER entries_no_update;
        UPDATE entries SET prev_hash = coalesce((SELECT p.hash FROM entries p WHERE p.id = entries.id - 1), zeroblob(32));
        CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
          BEGIN SELECT RAISE(ABORT, 'soquy: posted entries cannot be changed; post a reversal'); END;
        PRAGMA user_version = 9;
    """)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


POST = ["post", "--book", "fund", "--date", "2026-03-01", "--memo", "Chi phí họp", "--id", "exp-001",
        "2111=150000", "1011=-150000"]

SCENARIOS = {
    "import_entries": (setup_entries, ["import", "entries", "entries.csv"]),
    "import_members": (setup_members, ["import", "members", "members.csv"]),
    "import_loans": (setup_loans, ["import", "loans", "loans.csv"]),
    "vbsp_import_register": (setup_vbsp, ["vbsp", "import-register", "register.csv", "--unit", "C1"]),
    "collection_record": (setup_collection, ["collection-sheet", "record", "--group", "G1", "--date", "2026-02-15", "meeting.csv"]),
    "savings_meeting": (setup_savings, ["savings", "meeting", "TK1", "--date", "2026-01-10", "m1.csv"]),
    "post": (setup_post, POST),
    # With its client id a reversal run again returns the first one (without, it is refused: exit 65).
    "reverse": (setup_post, ["reverse", "2", "--date", "2026-02-03", "--id", "rev-002", "--reason", "nhập nhầm"]),
    # Opening for writing upgrades schema 9 to the last (after a backup copy), then posts: two commits.
    "migration": (setup_migration, POST),
}


def scenario(name, setup, command, kills, rng, work):
    base = os.path.join(work, name, "base")
    os.makedirs(base)
    setup(base)
    before = state(base)
    # A first run to the end: the "after" state and the time the command takes.
    full = os.path.join(work, name, "full")
    copy_dir(base, full)
    t0 = time.monotonic()
    run(full, *command)
    duration = time.monotonic() - t0
    after = state(full)
    if after == before:
        failures.append(f"{name}: the command changes nothing (a broken scenario)")
        return
    allowed = [("before", before), ("after", after)]
    if name == "migration":
        # The upgrade commits before the post: upgraded without the entry is a third whole state.
        mid = os.path.join(work, name, "mid")
        copy_dir(base, mid)
        run(mid, "post", "--book", "fund", "--date", "2026-03-01", "--memo", "x", "--id", "exp-001", "2111=1", "1011=-2", ok=(65,))
        allowed.append(("upgraded", state(mid)))
    seen = {}
    trial = os.path.join(work, name, "trial")
    for k in range(kills):
        copy_dir(base, trial)
        # Half the kills anywhere in the run, half in its last 30 % (where the commit is).
        delay = duration * (rng.uniform(0.7, 1.0) if k % 2 else rng.random())
        p = subprocess.Popen([SOQUY, *command], cwd=trial, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delay)
        killed = p.poll() is None
        if killed:
            p.send_signal(signal.SIGKILL)
        p.wait()
        if not killed and p.returncode != 0:
            failures.append(f"{name}: kill {k}: the command ended on its own with {p.returncode}: "
                            f"{p.stderr.read().decode(errors='replace')[:300]}")
        p.stderr.close()
        where = f"{name}: kill {k} at {delay:.3f} s of {duration:.3f} s"
        try:
            got = state(trial)
        except Exception as e:  # noqa: BLE001 — reported as a failure with its message
            failures.append(f"{where}: {e}")
            continue
        label = next((n for n, s in allowed if s == got), None)
        if label is None:
            failures.append(f"{where}: neither before nor after: vs before {describe(got, before)}; "
                            f"vs after {describe(got, after)}")
            continue
        seen[label + ("" if killed else " (ended)")] = seen.get(label + ("" if killed else " (ended)"), 0) + 1
        try:
            run(trial, *command)
            again = state(trial)
        except Exception as e:  # noqa: BLE001
            failures.append(f"{where}: re-running after the kill: {e}")
            continue
        if again != after:
            failures.append(f"{where}: re-run leaves another state than after: {describe(again, after)}")
    print(f"crash: {name}: {kills} kills over {duration:.2f} s runs; states {dict(sorted(seen.items()))}", flush=True)


def main():
    names = ONLY or list(SCENARIOS)
    rng = random.Random(SEED)
    per = max(1, -(-KILLS // len(names)))
    work = tempfile.mkdtemp(prefix="soquy-crash-")
    try:
        for name in names:
            setup, command = SCENARIOS[name]
            try:
                scenario(name, setup, command, per, rng, work)
            except Exception as e:  # noqa: BLE001
                failures.append(f"{name}: {e}")
                print(f"crash: {name}: FAILED: {e}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL", f)
    print(f"crash: {len(names)} scenarios, {per * len(names)} kills (seed {SEED}): "
          f"{'ok' if not failures else f'{len(failures)} failure(s)'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
