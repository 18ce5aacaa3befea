#!/usr/bin/env python3
"""Concurrent writers on one journal, on SQLite and on a PostgreSQL server (issue 14, item 5).

    concurrency_test.py SOQUY_BINARY [--writers N] [--posts M] [--backend sqlite|postgresql|both]

N writer processes (default 8) each post M entries (default 500) with client ids
(`post --id w<k>-<i>`), moving k + 1 đồng from 6011 to 1121 of the fund, and record R = 5
repayments of 100,000 đồng on a loan of their own (`loan repay L<k> --id w<k>-r<i>`), while two
readers loop `balance`, `report overdue` and `check`. Afterwards, on each backend:
- no post or repayment failed (a writer waits for the others instead of failing), and no reader
  failed;
- the entry count is exactly 1 + N (the deposit, the disbursements) + N × M + N × R;
- 1121's balance is the sum posted (M × (1 + … + N)) and 6011's its opposite, less the deposit;
- 1011's (cash) is the deposit, less the loans, plus every repayment: worked by hand;
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
REPAYMENTS = 5          # per writer, on its own loan
REPAID = 100_000        # đồng each
DEPOSIT = 100_000_000
LOAN = 10_000_000


def run(soquy, db, *args):
    return subprocess.run([soquy, "--db", db, *args], capture_output=True, text=True)


def writer(soquy, db, k, posts, failures):
    for i in range(posts):
        r = run(soquy, db, "post", "--book", "fund", "--date", DATE, "--memo", f"w{k}-{i}", "--id", f"w{k}-{i}",
                f"1121={k + 1}", f"6011=-{k + 1}")
        if r.returncode != 0:
            failures.append(f"writer {k} post {i}: exit {r.returncode}: {r.stderr.strip()}")
        if i % max(1, posts // REPAYMENTS) == 0 and i // max(1, posts // REPAYMENTS) < REPAYMENTS:
            n = i // max(1, posts // REPAYMENTS)
            r = run(soquy, db, "loan", "repay", f"L{k}", "--amount", str(REPAID), "--date", f"2026-0{2 + n}-15",
                    "--id", f"w{k}-r{n}")
            if r.returncode != 0:
                failures.append(f"writer {k} repayment {n}: exit {r.returncode}: {r.stderr.strip()}")


def setup_loans(soquy, db, writers):
    """A commune, a group, one member and one loan per writer, and the fund's deposit."""
    steps = [["unit", "add", "TV", "--name", "Trà Vinh", "--kind", "province", "--from", "2020-01-01"],
             ["unit", "add", "AT", "--name", "An Trường", "--kind", "commune", "--parent", "TV", "--from", "2020-01-01"],
             ["group", "add", "TD1", "--name", "Tổ tín dụng 1", "--kind", "credit", "--unit", "AT", "--from", "2020-01-01"],
             ["product", "add", "FLAT12", "--method", "flat", "--rate", "1%/month", "--term", "12", "--frequency",
              "monthly"],
             ["fund", "deposit", "--amount", str(DEPOSIT), "--date", "2026-01-05", "--id", "VON-01"]]
    for k in range(writers):
        steps.append(["member", "add", f"HV{k}", "--name", f"Thạch Thị Sa Rênh {k}", "--national-id", f"08417900{k:04d}",
                      "--unit", "AT", "--group", "TD1",
                      "--joined", "2020-06-15"])
        steps.append(["loan", "disburse", f"L{k}", "--member", f"HV{k}", "--product", "FLAT12", "--amount", str(LOAN),
                      "--date", "2026-01-15", "--group", "TD1"])
    for args in steps:
        r = run(soquy, db, *args)
        if r.returncode != 0:
            return [f"{' '.join(args[:2])}: exit {r.returncode}: {r.stderr.strip()}"]
    return []


def reader(soquy, db, stop, failures):
    while not stop.is_set():
        for args in (["balance", "--book", "fund", "--as-of", "2026-12-31", "--format", "json"],
                     ["report", "overdue", "--as-of", DATE, "--format", "json"], ["check"]):
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
    problems = setup_loans(soquy, db, writers)
    if problems:
        return problems, 0.0
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
    entries = 1 + writers + writers * posts + writers * REPAYMENTS
    count, rc = entry_count(soquy, db)
    if count != entries:
        problems.append(f"{count} entries, expected {entries}")
    if rc != 0:
        problems.append("check failed after the writers (every sub-ledger check included)")
    if balance_of(soquy, db, "1121") != expected or balance_of(soquy, db, "6011") != -expected - DEPOSIT:
        problems.append(f"balances {balance_of(soquy, db, '1121')} / {balance_of(soquy, db, '6011')}, "
                        f"expected {expected} / {-expected - DEPOSIT}")
    cash = DEPOSIT - writers * LOAN + writers * REPAYMENTS * REPAID
    if balance_of(soquy, db, "1011") != cash:
        problems.append(f"cash 1011 is {balance_of(soquy, db, '1011')}, expected {cash}")
    again = []
    all_writers(soquy, db, writers, min(posts, 20), again)
    problems += again[:5]
    if entry_count(soquy, db)[0] != entries:
        problems.append("posting again with the same client ids added entries")
    return problems, writers * (posts + REPAYMENTS) / elapsed


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
