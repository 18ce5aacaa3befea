#!/usr/bin/env python3
"""Concurrent writers and readers on one SQLite file (issue 17, items 3, 5 and 7).

    concurrency_test.py SOQUY_BINARY [--posters N] [--posts M] [--repayers R] [--repays Q] [--bulk K]

On the demo database (`soquy demo`), 8 writer processes at once by default:
- 4 posters, each posting M entries with client ids (`post --id c<k>-<i>`) that move
  1,000,000 đồng from 6011 (capital) to 1121 (bank);
- 3 repayers, each recording Q repayments of 50,000 đồng (`loan repay --id`) on its own three
  loans of the demo (Dr 1011 cash 50,000, Cr principal / interest / penalty as the loan allocates);
- 1 bulk `import entries` of K entries of 1 đồng each from 6011 to 1121 (one transaction);
and 3 readers until the writers are done: one loops `balance`, `trial-balance` (every book),
`report overdue` and `check`; two loop `balance` and `trial-balance` only, so they read often.

Because the amounts are apart in scale, any state after a prefix of commits is decoded from
the fund's balances: 1121 − its base = p × 1,000,000 + b with b ∈ {0, K} (the bulk is all or
nothing) and 0 ≤ p ≤ posts; 6011's base − 6011 = the same amount; 1011 − its base = r × 50,000
with 0 ≤ r ≤ repays. Afterwards:
- no writer failed (a writer waits for a busy database instead of failing);
- nothing lost or doubled: the entry count is the demo's plus every post, repayment and bulk
  entry, the final balances decode to exactly (posts, K, repays), and doing every write again
  (same client ids, same file) adds nothing;
- every trial balance read was balanced, book by book, by its own totals and by the recomputed
  debits and credits;
- every balance read (balance and trial balance) is the state after some prefix of commits:
  it decodes as above, with 1121 and 6011 telling the same amount (a report that read its
  accounts at different moments would see a post in one and not the other), and for each reader
  the decoded (p, b, r) never goes back (a later command starts after an earlier one ended, so
  its snapshot holds at least the same commits);
- `report overdue`'s outstanding principal never rises for a reader and ends between the last
  value and the first, and `check` passed every time.
Exit 0 when all holds, 1 otherwise. Bounded: the readers stop when the writers stop.
SOQUY_CONCURRENCY_SCALE=F multiplies M, Q and K (default 1; e.g. 4 for a longer run).
"""
import argparse
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

POST = 1_000_000  # each post: 6011 → 1121
REPAY = 50_000    # each repayment: cash 1011 in
BULK = 1          # each bulk entry: 6011 → 1121
DATE = "2026-11-28"
AS_OF = "2026-12-31"


def run(soquy, db, *args):
    return subprocess.run([soquy, "--db", db, *args], capture_output=True, text=True)


def poster(soquy, db, k, posts, failures):
    for i in range(posts):
        r = run(soquy, db, "post", "--book", "fund", "--date", DATE, "--memo", f"Gửi ngân hàng {k}-{i}",
                "--id", f"c{k}-{i}", f"1121={POST}", f"6011=-{POST}")
        if r.returncode != 0:
            failures.append(f"poster {k} post {i}: exit {r.returncode}: {r.stderr.strip()}")


def repayer(soquy, db, k, loans, repays, failures):
    for i in range(repays):
        loan = loans[i % len(loans)]
        # --prepay: Q repayments of one loan on one day soon pay more than is due (issue 12's guard).
        r = run(soquy, db, "loan", "repay", loan, "--amount", str(REPAY), "--date", DATE, "--id", f"r{k}-{i}",
                "--prepay")
        if r.returncode != 0:
            failures.append(f"repayer {k} repay {i} on {loan}: exit {r.returncode}: {r.stderr.strip()}")


def bulk(soquy, db, path, failures):
    r = run(soquy, db, "import", "entries", path)
    if r.returncode != 0:
        failures.append(f"bulk import: exit {r.returncode}: {r.stderr.strip()}")


class Expect:
    """The base balances and the most each writer can add."""

    def __init__(self, base, posts, bulk_entries, repays):
        self.base, self.posts, self.bulk, self.repays = base, posts, bulk_entries, repays

    def decode(self, bal):
        """(p, b, r) of a state after some prefix of commits, or a string saying why it is none."""
        d_bank = bal.get("1121", 0) - self.base["1121"]
        d_capital = self.base["6011"] - bal.get("6011", 0)
        d_cash = bal.get("1011", 0) - self.base["1011"]
        if d_bank != d_capital:
            return f"1121 says {d_bank} moved, 6011 says {d_capital} (a torn read)"
        p, b = divmod(d_bank, POST)
        if b not in (0, self.bulk * BULK) or not 0 <= p <= self.posts:
            return f"1121 moved by {d_bank}: not posts × {POST} + 0 or {self.bulk}"
        r, rest = divmod(d_cash, REPAY)
        if rest or not 0 <= r <= self.repays:
            return f"1011 moved by {d_cash}: not repayments × {REPAY}"
        return (p, b, r)


def fund_of_trial_balance(report):
    """Problems of a whole trial balance (every book), and the fund's signed balances."""
    problems, fund = [], {}
    for book in report["books"]:
        debit = sum(int(a["debit"]) for a in book["accounts"])
        credit = sum(int(a["credit"]) for a in book["accounts"])
        if not book["balanced"] or debit != credit:
            problems.append(f"trial balance of {book['book']} not balanced: debit {debit}, credit {credit}")
        if book["book"] == "fund":
            fund = {a["code"]: int(a["debit"]) - int(a["credit"]) for a in book["accounts"]}
    return problems, fund


class Reader:
    """`full`: every round also runs report overdue and check (slower); otherwise balance and
    trial balance only, so that the fast readers read often while the writers commit."""

    def __init__(self, soquy, db, expect, problems, full):
        self.soquy, self.db, self.expect, self.problems, self.full = soquy, db, expect, problems, full
        self.seen = (0, 0, 0)
        self.outstanding = None
        self.rounds = 0

    def observe(self, what, bal):
        state = self.expect.decode(bal)
        if isinstance(state, str):
            self.problems.append(f"{what} is no commit's state: {state}")
            return
        # b is 0 or K: comparing it as a number says "the bulk, once seen, stays".
        if any(now < before for now, before in zip(state, self.seen)):
            self.problems.append(f"{what} went back: (posts, bulk, repays) {self.seen} then {state}")
        self.seen = tuple(max(a, b) for a, b in zip(state, self.seen))

    def cmd(self, *args):
        r = run(self.soquy, self.db, *args)
        if r.returncode != 0:
            self.problems.append(f"{args[0]}: exit {r.returncode}: {r.stdout.strip()[:200]} {r.stderr.strip()}")
            return None
        return r.stdout

    def once(self):
        out = self.cmd("balance", "--book", "fund", "--as-of", AS_OF, "--format", "json")
        if out:
            self.observe("balance", {a["code"]: int(a["balance"]) for a in json.loads(out)["accounts"]})
        out = self.cmd("trial-balance", "--as-of", AS_OF, "--format", "json")
        if out:
            problems, fund = fund_of_trial_balance(json.loads(out))
            self.problems.extend(problems)
            self.observe("trial balance", fund)
        self.rounds += 1
        if not self.full:
            return
        out = self.cmd("report", "overdue", "--as-of", DATE, "--format", "json")
        if out:
            now = int(json.loads(out)["totals"]["outstanding_principal"])
            if self.outstanding is not None and now > self.outstanding:
                self.problems.append(f"report overdue: outstanding principal rose from {self.outstanding} to {now}")
            self.outstanding = now
        self.cmd("check")

    def loop(self, done):
        while not done.is_set():
            self.once()


def balances(soquy, db):
    r = run(soquy, db, "balance", "--book", "fund", "--as-of", AS_OF, "--format", "json")
    return {a["code"]: int(a["balance"]) for a in json.loads(r.stdout)["accounts"]}


def entry_count(soquy, db):
    r = run(soquy, db, "check", "--only", "journal.chain", "--format", "json")
    if r.returncode != 0:
        return None
    return next(c["items"] for c in json.loads(r.stdout)["checks"] if c["name"] == "journal.chain")


def outstanding(soquy, db):
    r = run(soquy, db, "report", "overdue", "--as-of", DATE, "--format", "json")
    return int(json.loads(r.stdout)["totals"]["outstanding_principal"])


def repay_loans(soquy, db, repayers):
    """Three active loans with principal left for each repayer, none shared."""
    r = run(soquy, db, "loan", "list", "--as-of", DATE, "--format", "json")
    loans = [l["loan"] for l in json.loads(r.stdout)["loans"]
             if l["status"] == "active" and int(l["outstanding_principal"]) > 5_000_000]
    if len(loans) < 3 * repayers:
        sys.exit(f"the demo has {len(loans)} loans to repay, {3 * repayers} needed")
    return [loans[3 * k:3 * k + 3] for k in range(repayers)]


def add_change_log_functions(con, actor):
    def link(prev, at, user, table, record, action, content):
        data = "".join("%d:%s;" % (len(f.encode()), f) for f in (prev or "", at, user, table, record, action))
        data += "null;" if content is None else "%d:%s;" % (len(content.encode()), content)
        return hashlib.sha256(data.encode()).hexdigest()
    con.create_function("soquy_now", 0, lambda: os.environ.get("SOQUY_NOW") or
                        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    con.create_function("soquy_actor", 0, lambda: actor)
    con.create_function("soquy_change_hash", 7, link, deterministic=True)


def widen_chart(db, n):
    """Adds n empty asset accounts to the fund's chart, with codes between 1121 and 6011.

    A report reads the balance of each account by its own query, so these stretch the time
    between its reads of 1121 and 6011 to several milliseconds: a commit landing there is seen by
    a report that does not read one snapshot as a torn state (1121 and 6011 disagreeing, an
    unbalanced trial balance) within a few dozen reads. Written with SQLite directly before any
    soquy writer starts; there is no bulk way to add accounts through the CLI, and a process per
    account would take minutes. The change log's triggers (schema 12) call soquy's SQL functions,
    so this connection provides them, re-implemented from the contract in
    ledger/storage/sqlite/change_log.h: the log stays chained and `check` stays clean.
    """
    con = sqlite3.connect(db)
    add_change_log_functions(con, "concurrency-test")
    with con:
        book = con.execute("SELECT id FROM books WHERE code = 'fund'").fetchone()[0]
        con.executemany("INSERT OR IGNORE INTO accounts (book_id, code, name, type) VALUES (?, ?, ?, 'asset')",
                        [(book, f"5{i:04d}", f"Tài khoản thử {i}") for i in range(n)])
    con.close()


def write_bulk(path, n):
    with open(path, "w", encoding="utf-8") as f:
        f.write("entry_id,date,book,account,amount,memo\n")
        for i in range(n):
            f.write(f"b-{i},{DATE},fund,1121,{BULK},Nhập lô {i}\nb-{i},{DATE},fund,6011,-{BULK},Nhập lô {i}\n")


def write_all(soquy, db, a, loans, csv_path, failures):
    """Every writer at once (threads, each running its soquy processes one after another)."""
    threads = [threading.Thread(target=poster, args=(soquy, db, k, a.posts, failures)) for k in range(a.posters)]
    threads += [threading.Thread(target=repayer, args=(soquy, db, k, loans[k], a.repays, failures))
                for k in range(a.repayers)]
    threads.append(threading.Thread(target=bulk, args=(soquy, db, csv_path, failures)))
    return threads


def main():
    scale = float(os.environ.get("SOQUY_CONCURRENCY_SCALE", "1"))
    ap = argparse.ArgumentParser()
    ap.add_argument("soquy")
    ap.add_argument("--posters", type=int, default=4)
    ap.add_argument("--posts", type=int, default=max(1, int(25 * scale)))
    ap.add_argument("--repayers", type=int, default=3)
    ap.add_argument("--repays", type=int, default=max(1, int(15 * scale)))
    ap.add_argument("--bulk", type=int, default=max(1, int(3000 * scale)))
    ap.add_argument("--readers", type=int, default=3)
    ap.add_argument("--chart", type=int, default=3000, help="empty fund accounts added between 1121 and 6011")
    ap.add_argument("--full-readers", type=int, default=1, help="readers that also run report overdue and check")
    a = ap.parse_args()
    if a.bulk * BULK >= POST:
        sys.exit("--bulk must stay below 1,000,000 for the balances to decode")
    soquy = os.path.realpath(a.soquy)
    os.environ.update({"TZ": "UTC", "LC_ALL": "C.UTF-8", "SOQUY_NOW": f"{DATE}T09:00:00Z"})
    os.environ.pop("SOQUY_DB", None)
    os.environ["SOQUY_USER"] = "admin"  # several users: a writer says who it is
    with tempfile.TemporaryDirectory(prefix="soquy-conc.") as work:
        db = os.path.join(work, "c.db")
        if run(soquy, db, "demo").returncode != 0:
            sys.exit("soquy demo failed")
        widen_chart(db, a.chart)
        loans = repay_loans(soquy, db, a.repayers)
        csv_path = os.path.join(work, "bulk.csv")
        write_bulk(csv_path, a.bulk)
        posts, repays = a.posters * a.posts, a.repayers * a.repays
        expect = Expect(balances(soquy, db), posts, a.bulk, repays)
        base_entries, base_outstanding = entry_count(soquy, db), outstanding(soquy, db)
        failures, problems = [], []
        done = threading.Event()
        writers = write_all(soquy, db, a, loans, csv_path, failures)
        readers = [Reader(soquy, db, expect, problems, full=k < a.full_readers) for k in range(a.readers)]
        threads = [threading.Thread(target=r.loop, args=(done,)) for r in readers]
        for t in writers + threads:
            t.start()
        for t in writers:
            t.join()
        done.set()
        for t in threads:
            t.join()
        final = expect.decode(balances(soquy, db))
        if final != (posts, a.bulk * BULK, repays):
            problems.append(f"after the run the balances say {final}, expected {(posts, a.bulk, repays)}")
        want = base_entries + posts + repays + a.bulk
        if entry_count(soquy, db) != want:
            problems.append(f"{entry_count(soquy, db)} entries after the run, expected {want}")
        end_outstanding = outstanding(soquy, db)
        if not end_outstanding < base_outstanding:
            problems.append(f"outstanding principal {base_outstanding} → {end_outstanding}: repayments lost")
        for r in readers:
            if r.outstanding is not None and not end_outstanding <= r.outstanding <= base_outstanding:
                problems.append(f"a reader's last outstanding {r.outstanding} is outside {end_outstanding}..{base_outstanding}")
        # Every write again (same client ids, same file): nothing is added.
        for t in write_all(soquy, db, a, loans, csv_path, failures):
            t.start()
            t.join()
        if entry_count(soquy, db) != want or expect.decode(balances(soquy, db)) != final:
            problems.append(f"{entry_count(soquy, db)} entries after writing again, expected {want} (idempotency)")
        for p in failures + problems:
            print("FAIL:", p)
        rounds = sum(r.rounds for r in readers)
        print(f"concurrency: {a.posters} posters x {a.posts} + {a.repayers} repayers x {a.repays} + 1 import of "
              f"{a.bulk}; {a.readers} readers ({a.full_readers} also overdue and check), {rounds} rounds; "
              f"{len(failures)} writer failures, {len(problems)} problems")
        return 1 if failures or problems else 0


if __name__ == "__main__":
    sys.exit(main())
