#!/usr/bin/env python3
"""Concurrent writers and readers on one SQLite file (issue 17, items 3, 5 and 7).

    concurrency_test.py SOQUY_BINARY [--writers N] [--posts M] [--bulk K]

N writer processes each post M entries (client ids w<k>-<i>) while one bulk `import entries` of
K entries runs, and two readers loop over `trial-balance`, `balance` and `check` until the
writers are done. Every entry moves 1,000 đồng from 6011 to 1011, so the state after any commit
is "1011 = n × 1,000 and 6011 = −n × 1,000" for some n. Afterwards:
- no writer failed (a writer waits for a busy database instead of failing);
- the entry count is exactly what was posted, and posting everything again adds nothing;
- every trial balance read said balanced, with 1011 equal to 6011's credit (no torn read);
- every balance read equals the state of some commit (a multiple of 1,000, the same n for both
  accounts, within 0..total);
- `check` passed every time.
Exit 0 when all holds, 1 otherwise. Bounded: the readers stop when the writers stop.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading

UNIT = 1000


def run(soquy, db, *args):
    return subprocess.run([soquy, "--db", db, *args], capture_output=True, text=True)


def writer(soquy, db, k, posts, failures):
    for i in range(posts):
        r = run(soquy, db, "post", "--book", "fund", "--date", "2026-01-15", "--memo", f"Thu {k}-{i}",
                "--id", f"w{k}-{i}", f"1011={UNIT}", f"6011=-{UNIT}")
        if r.returncode != 0:
            failures.append(f"writer {k} post {i}: exit {r.returncode}: {r.stderr.strip()}")


def bulk(soquy, db, path, failures):
    r = run(soquy, db, "import", "entries", path)
    if r.returncode != 0:
        failures.append(f"bulk import: exit {r.returncode}: {r.stderr.strip()}")


def amounts(report):
    """{account: signed balance} from a trial balance's fund book."""
    book = next(b for b in report["books"] if b["book"] == "fund")
    return book, {a["code"]: int(a["debit"]) - int(a["credit"]) for a in book["accounts"]}


def read_once(soquy, db, total, problems):
    r = run(soquy, db, "trial-balance", "--book", "fund", "--as-of", "2026-12-31", "--format", "json")
    if r.returncode != 0:
        problems.append(f"trial-balance: exit {r.returncode}: {r.stderr.strip()}")
    else:
        book, bal = amounts(json.loads(r.stdout))
        if not book["balanced"] or bal.get("1011", 0) != -bal.get("6011", 0):
            problems.append(f"torn trial balance: {book['balanced']} {bal}")
    r = run(soquy, db, "balance", "--book", "fund", "--as-of", "2026-12-31", "--format", "json")
    if r.returncode != 0:
        problems.append(f"balance: exit {r.returncode}: {r.stderr.strip()}")
    else:
        bal = {a["code"]: int(a["balance"]) for a in json.loads(r.stdout)["accounts"]}
        cash, capital = bal.get("1011", 0), bal.get("6011", 0)
        if cash % UNIT or cash != -capital or not 0 <= cash <= total * UNIT:
            problems.append(f"balance is no commit's state: 1011={cash} 6011={capital}")
    r = run(soquy, db, "check")
    if r.returncode != 0:
        problems.append(f"check: exit {r.returncode}: {r.stdout.strip()} {r.stderr.strip()}")


def reader(soquy, db, total, done, problems, reads):
    while not done.is_set():
        read_once(soquy, db, total, problems)
        reads.append(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("soquy")
    ap.add_argument("--writers", type=int, default=int(os.environ.get("SOQUY_CONC_WRITERS", 4)))
    ap.add_argument("--posts", type=int, default=int(os.environ.get("SOQUY_CONC_POSTS", 40)))
    ap.add_argument("--bulk", type=int, default=2000)
    a = ap.parse_args()
    soquy = os.path.realpath(a.soquy)
    os.environ.update({"TZ": "UTC", "LC_ALL": "C.UTF-8"})
    os.environ.pop("SOQUY_DB", None)
    os.environ.pop("SOQUY_USER", None)
    with tempfile.TemporaryDirectory(prefix="soquy-conc.") as work:
        db = os.path.join(work, "c.db")
        if run(soquy, db, "init").returncode != 0:
            sys.exit("init failed")
        csv_path = os.path.join(work, "bulk.csv")
        with open(csv_path, "w", encoding="utf-8") as f:
            f.write("entry_id,date,book,account,amount,memo\n")
            for i in range(a.bulk):
                f.write(f"b-{i},2026-01-20,fund,1011,{UNIT},Nhập lô {i}\nb-{i},2026-01-20,fund,6011,-{UNIT},Nhập lô {i}\n")
        total = a.writers * a.posts + a.bulk
        failures, problems, reads = [], [], []
        done = threading.Event()
        writers = [threading.Thread(target=writer, args=(soquy, db, k, a.posts, failures)) for k in range(a.writers)]
        writers.append(threading.Thread(target=bulk, args=(soquy, db, csv_path, failures)))
        readers = [threading.Thread(target=reader, args=(soquy, db, total, done, problems, reads)) for _ in range(2)]
        for t in writers + readers:
            t.start()
        for t in writers:
            t.join()
        done.set()
        for t in readers:
            t.join()
        read_once(soquy, db, total, problems)
        r = run(soquy, db, "check", "--format", "json")
        entries = json.loads(r.stdout)["entries"] if r.returncode == 0 else None
        if entries != total:
            problems.append(f"{entries} entries after the run, expected {total}")
        # Posting everything again (same client ids) adds nothing.
        writer(soquy, db, 0, a.posts, failures)
        bulk(soquy, db, csv_path, failures)
        r = run(soquy, db, "check", "--format", "json")
        again = json.loads(r.stdout)["entries"] if r.returncode == 0 else None
        if again != total:
            problems.append(f"{again} entries after posting again, expected {total} (idempotency)")
        for p in failures + problems:
            print("FAIL:", p)
        print(f"concurrency: {a.writers} writers x {a.posts} posts + 1 import of {a.bulk}, {len(reads)} reader rounds; "
              f"{len(failures)} writer failures, {len(problems)} problems")
        return 1 if failures or problems else 0


if __name__ == "__main__":
    sys.exit(main())
