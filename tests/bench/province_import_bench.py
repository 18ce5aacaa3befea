#!/usr/bin/env python3
"""A province's history through the domain imports (issue 16, item 1). Not a CTest test.

    tests/bench/province_import_bench.py [--soquy BUILD/cli/soquy] [--loans N[,N...]]
                                         [--workdir DIR] [--keep]

For each size it writes the files a province would bring (units, credit groups of 40, one member
and one loan per borrower, ten monthly repayments of each loan, every one on its due date with a
receipt number) and runs, on a fresh SQLite database, the real `soquy` binary:
    init; import units; import groups; import members; fund deposit; product add;
    import loans; import repayments
timing each import as a whole process (wall from spawn to exit, CPU and max RSS of the child
from getrusage). In the same run it loads the same rows raw into SQLite (Python's sqlite3: one
STRICT table per file with its primary key, a prepared INSERT, one transaction, WAL,
synchronous = FULL, as soquy opens its files) and prints soquy's CPU as a multiple of the raw
load's. The products: flat 1 %/month over 12 months, 12,000,000 đồng: each instalment is
1,000,000 principal + 120,000 interest, so every repayment is exactly one instalment.

docs/performance.md, "Domain imports: a province's history", has the figures.
"""
import argparse
import csv
import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

COMMUNES = 20
GROUP_SIZE = 40
REPAYMENTS = 10


def write_files(n, out):
    """The province's CSV files for n loans; returns {name: (path, header, row count)}."""
    groups = max(1, n // GROUP_SIZE)
    files = {}

    def write(name, header, rows):
        path = os.path.join(out, name + ".csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)
        files[name] = (path, header, len(rows))

    write("units", ["code", "name", "kind", "parent", "from"],
          [["P", "Tỉnh Trà Vinh", "province", "", "2020-01-01"]] +
          [[f"C{c:03d}", f"Xã {c}", "commune", "P", "2020-01-01"] for c in range(COMMUNES)])
    write("groups", ["code", "name", "kind", "unit", "from"],
          [[f"G{g:05d}", f"Tổ tín dụng {g}", "credit", f"C{g % COMMUNES:03d}", "2020-01-01"] for g in range(groups)])
    members, loans, repayments = [], [], []
    for i in range(n):
        g = i // GROUP_SIZE % groups
        members.append([f"M{i:07d}", f"Nguyễn Thị {i}", f"{84185000000 + i:012d}", f"C{g % COMMUNES:03d}",
                        f"G{g:05d}", "2020-01-01"])
        d = datetime.date(2024, 1 + i % 10, 1 + i % 28)
        loans.append([f"L{i:07d}", f"M{i:07d}", "A", "12000000", d.isoformat(), f"G{g:05d}"])
        for k in range(1, REPAYMENTS + 1):
            m = d.month - 1 + k
            due = datetime.date(d.year + m // 12, m % 12 + 1, d.day)
            repayments.append([f"L{i:07d}", "1120000", due.isoformat(), f"BL-{i}-{k}"])
    write("members", ["id", "name", "national_id", "unit", "group", "joined"], members)
    write("loans", ["loan", "member", "product", "amount", "date", "group"], loans)
    write("repayments", ["loan", "amount", "date", "receipt"], repayments)
    return files


def timed(cmd, env):
    """(wall s, CPU s, max RSS MB, stdout) of one soquy process, which must exit 0."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.stdout.read(), proc.stderr.read()  # small: summaries only
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {proc.returncode}:\n{out.decode()}{err.decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.decode().strip()


def raw_load(files, db):
    """CPU and wall seconds to load every file's rows into SQLite alone."""
    start_cpu, start = time.process_time(), time.monotonic()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    con.execute("BEGIN")
    for name, (path, header, _) in files.items():
        cols = ", ".join(f'"{c}" TEXT' + (" PRIMARY KEY" if i == 0 and name != "repayments" else "")
                         for i, c in enumerate(header))
        con.execute(f'CREATE TABLE "{name}" ({cols}) STRICT')
        with open(path, encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            next(rows)
            con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(header))})', rows)
    con.execute("COMMIT")
    con.close()
    return time.monotonic() - start, time.process_time() - start_cpu


def run_size(soquy, n, work):
    os.makedirs(work, exist_ok=True)
    # Written by a child process: a soquy forked from a Python process that had held the rows
    # would count that process's pages in its max RSS.
    subprocess.run([sys.executable, os.path.abspath(__file__), "--generate", str(n), work], check=True)
    files = {name: (os.path.join(work, name + ".csv"), header, count)
             for name, header, count in (line.split("\t") for line in open(os.path.join(work, "files.tsv"), encoding="utf-8"))}
    files = {name: (path, header.split(","), int(count)) for name, (path, header, count) in files.items()}
    db = os.path.join(work, f"province-{n}.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    env = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8", SOQUY_LANG="vi", SOQUY_NOW="2026-11-28T09:00:00Z")
    env.pop("SOQUY_DB", None)
    env.pop("SOQUY_USER", None)
    base = [soquy, "--db", db]
    timed(base + ["init"], env)
    print(f"== {n} loans, {n * REPAYMENTS} repayments ==")
    print(f"{'step':<20}{'rows':>10}{'wall s':>10}{'CPU s':>10}{'RSS MB':>9}{'CPU/row µs':>12}")
    total_cpu = 0.0
    for step in ("units", "groups", "members", "loans", "repayments"):
        if step == "loans":
            timed(base + ["fund", "deposit", "--amount", "900000000000000", "--date", "2023-12-01", "--id", "cap"], env)
            timed(base + ["product", "add", "A", "--method", "flat", "--rate", "1%/month", "--term", "12"], env)
        wall, cpu, rss, _ = timed(base + ["import", step, files[step][0]], env)
        rows = files[step][2]
        total_cpu += cpu
        print(f"{'import ' + step:<20}{rows:>10}{wall:>10.2f}{cpu:>10.2f}{rss:>9.0f}{cpu / rows * 1e6:>12.0f}")
    raw_db = os.path.join(work, f"raw-{n}.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(raw_db + suffix):
            os.remove(raw_db + suffix)
    raw_wall, raw_cpu = raw_load(files, raw_db)
    print(f"{'soquy, all imports':<20}{'':>10}{'':>10}{total_cpu:>10.2f}")
    print(f"{'raw SQLite load':<20}{'':>10}{raw_wall:>10.2f}{raw_cpu:>10.2f}")
    print(f"soquy / raw (CPU): {total_cpu / raw_cpu:.1f}x")
    wall, cpu, _, out = timed(base + ["check"], env)
    print(f"soquy check: {wall:.2f} s wall, {cpu:.2f} s CPU")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--soquy", default=os.path.join(here, "..", "..", "build", "cli", "soquy"))
    p.add_argument("--loans", default="2000,10000")
    p.add_argument("--workdir")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--generate", nargs=2, metavar=("N", "DIR"), help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.generate:
        files = write_files(int(a.generate[0]), a.generate[1])
        with open(os.path.join(a.generate[1], "files.tsv"), "w", encoding="utf-8") as f:
            for name, (_, header, count) in files.items():
                f.write(f"{name}\t{','.join(header)}\t{count}\n")
        return
    work = a.workdir or tempfile.mkdtemp(prefix="soquy-province-")
    try:
        for n in (int(x) for x in a.loans.split(",")):
            run_size(os.path.abspath(a.soquy), n, os.path.join(work, str(n)))
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
