#!/usr/bin/env python3
"""Concurrent writers on one journal, on SQLite and on a PostgreSQL server (issue 14, item 5).

    concurrency_test.py SOQUY_BINARY [--writers N] [--posts M] [--backend sqlite|postgresql|both]

N writer processes (default 8) each post M entries (default 500) with client ids
(`post --id w<k>-<i>`), moving k + 1 đồng from 6011 to 1121 of the fund, while two readers
loop `balance` and `check`. Afterwards, on each backend:
- no post failed (a writer waits for the others instead of failing), and no reader failed;
- the entry count is exactly N × M;
- 1121's balance is the sum posted (M × (1 + … + N)) and 6011's its opposite;
- `check` passes (the chain verifies: no two writers shared an entry id or a previous hash);
- posting everything again (same client ids) adds nothing.
Prints the throughput (entries per second) of each backend. PostgreSQL needs SOQUY_TEST_PG_URI
(a superuser's URI); without it that backend is skipped (exit 77 when it is the only one).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

DATE = "2026-11-28"


def run(soquy, db, *args):
    return subprocess.run([soquy, "--db", db, *args], capture_output=True, text=True)


def writer(soquy, db, k, posts, failures):
    for i in range(posts):
        r = run(soquy, db, "post", "--book", "fund", "--date", DATE, "--memo", f"w{k}-{i}", "--id", f"w{k}-{i}",
                f"1121={k + 1}", f"6011=-{k + 1}")
        if r.returncode != 0:
            failures.append(f"writer {k} post {i}: exit {r.returncode}: {r.stderr.strip()}")


def reader(soquy, db, stop, failures):
    while not stop.is_set():
        for args in (["balance", "--book", "fund", "--as-of", "2026-12-31", "--format", "json"], ["check"]):
            r = run(soquy, db, *args)
            if r.returncode != 0:
                failures.append(f"reader {args[0]}: exit {r.returncode}: {r.stdout[-300:]} {r.stderr.strip()}")


def balance_of(soquy, db, code):
    r = run(soquy, db, "balance", "--book", "fund", "--as-of", "2026-12-31", "--format", "json")
    for a in json.loads(r.stdout)["accounts"]:
        if a["code"] == code:
            return int(a["balance"])
    return 0


def entry_count(soquy, db):
    r = run(soquy, db, "check", "--format", "json")
    return json.loads(r.stdout).get("last_entry", 0), r.returncode


def all_writers(soquy, db, writers, posts, failures):
    threads = [threading.Thread(target=writer, args=(soquy, db, k, posts, failures)) for k in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def exercise(soquy, db, writers, posts):
    problems = []
    r = run(soquy, db, "init")
    if r.returncode != 0:
        return [f"init: {r.stderr}"], 0.0
    failures, read_failures = [], []
    stop = threading.Event()
    readers = [threading.Thread(target=reader, args=(soquy, db, stop, read_failures)) for _ in range(2)]
    for t in readers:
        t.start()
    start = time.monotonic()
    all_writers(soquy, db, writers, posts, failures)
    elapsed = time.monotonic() - start
    stop.set()
    for t in readers:
        t.join()
    problems += failures[:10] + read_failures[:10]
    expected = posts * sum(k + 1 for k in range(writers))
    count, rc = entry_count(soquy, db)
    if count != writers * posts:
        problems.append(f"{count} entries, expected {writers * posts}")
    if rc != 0:
        problems.append("check failed after the writers")
    if balance_of(soquy, db, "1121") != expected or balance_of(soquy, db, "6011") != -expected:
        problems.append(f"balances {balance_of(soquy, db, '1121')} / {balance_of(soquy, db, '6011')}, expected ±{expected}")
    again = []
    all_writers(soquy, db, writers, min(posts, 20), again)
    problems += again[:5]
    if entry_count(soquy, db)[0] != writers * posts:
        problems.append("posting again with the same client ids added entries")
    return problems, writers * posts / elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("soquy")
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--posts", type=int, default=500)
    ap.add_argument("--backend", default="both", choices=["sqlite", "postgresql", "both"])
    args = ap.parse_args()
    soquy = os.path.abspath(args.soquy)
    os.environ.update(TZ="UTC", LC_ALL="C.UTF-8", SOQUY_LANG="en")
    os.environ.pop("SOQUY_USER", None)
    os.environ.pop("SOQUY_DB", None)
    uri = os.environ.get("SOQUY_TEST_PG_URI", "")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if "postgresql" in backends and not uri:
        print("SKIP postgresql: SOQUY_TEST_PG_URI is not set")
        backends.remove("postgresql")
        if not backends:
            return 77
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            if backend == "sqlite":
                db, cleanup = os.path.join(tmp, "c.db"), None
            else:
                name = f"soquy_conc_{os.getpid()}_{int(time.time())}"
                subprocess.run(["psql", "-q", uri, "-c", f"CREATE DATABASE {name}"], check=True)
                base, _, query = uri.partition("?")
                db = re.sub(r"/[^/]*$", "/" + name, base) + ("?" + query if query else "")
                cleanup = ["psql", "-q", uri, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"]
            try:
                problems, rate = exercise(soquy, db, args.writers, args.posts)
            finally:
                if cleanup:
                    subprocess.run(cleanup, capture_output=True)
            print(f"{backend}: {args.writers} writers x {args.posts} posts: {rate:.0f} entries/s")
            for p in problems:
                print(f"FAIL {backend}: {p}")
            bad += len(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
