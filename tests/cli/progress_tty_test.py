#!/usr/bin/env python3
"""The progress line of an import, seen on a terminal (a pseudo-terminal on stderr).

    progress_tty_test.py SOQUY_BINARY

SOQUY_PROGRESS_AFTER_MS=0 (the test hook of cli/progress.cc) lowers the one-second delay to
nothing, so small files draw the line. For `import entries` (no total known: entries and rate),
`import units` (rows of a known total: done / total, rate, time left) and `vbsp
import-statement` (rows stored, every 1,000) it proves:
  - on a terminal, stderr carries the line, rewritten with '\\r', and wiped at the end (the last
    thing written is '\\r' after spaces); stdout (a pipe) has only the command's summary;
  - with --quiet, stderr is empty;
  - without a terminal (stderr a pipe), stderr is empty (the goldens prove it as well).
"""
import os
import pty
import subprocess
import sys
import tempfile

SOQUY = os.path.realpath(sys.argv[1])
failures = []


def run(args, cwd, tty=True):
    """(exit code, stdout, stderr) of soquy, stderr on a pseudo-terminal when tty."""
    env = dict(os.environ, SOQUY_DB="soquy.db", SOQUY_PROGRESS_AFTER_MS="0", TZ="UTC", LC_ALL="C.UTF-8")
    env.pop("SOQUY_USER", None)
    if not tty:
        r = subprocess.run([SOQUY] + args, cwd=cwd, env=env, capture_output=True)
        return r.returncode, r.stdout.decode(), r.stderr.decode()
    master, slave = pty.openpty()
    p = subprocess.Popen([SOQUY] + args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=slave)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        err += chunk
    out = p.stdout.read()
    p.wait()
    os.close(master)
    return p.returncode, out.decode(), err.decode()


def expect(what, condition, detail=""):
    if not condition:
        failures.append(f"{what}\n    {detail!r}"[:2000])


def check_import(name, args, cwd, summary, shows):
    code, out, err = run(args, cwd)
    expect(f"{name}: exit 0 on a terminal", code == 0, err)
    expect(f"{name}: stdout is the summary only", out.startswith(summary) and "\r" not in out, out)
    expect(f"{name}: the progress line is drawn on stderr", "\r" in err and shows in err, err)
    expect(f"{name}: the line is wiped at the end", err.endswith(" \r"), err[-80:])
    code, out, err = run(args + ["--quiet"], cwd)
    expect(f"{name} --quiet: exit 0", code == 0, err)
    expect(f"{name} --quiet: nothing on stderr", err == "", err)
    code, out, err = run(["--quiet"] + args, cwd)
    expect(f"--quiet {name} (before the command): nothing on stderr", code == 0 and err == "", err)
    code, out, err = run(args, cwd, tty=False)
    expect(f"{name} off a terminal: nothing on stderr", code == 0 and err == "", err)


def main():
    with tempfile.TemporaryDirectory(prefix="soquy-progress.") as work:
        code, _, err = run(["init"], work, tty=False)
        if code != 0:
            print(f"progress_tty_test: soquy init failed: {err}")
            return 1
        with open(os.path.join(work, "entries.csv"), "w", encoding="utf-8") as f:
            f.write("entry_id,date,book,account,amount,memo\n")
            for i in range(1, 2001):
                f.write(f"e{i},2026-03-10,fund,1011,1000,Góp vốn {i}\n")
                f.write(f"e{i},2026-03-10,fund,6011,-1000,\n")
        # Run twice: the second run finds every entry there (still counted, still drawn).
        check_import("import entries", ["import", "entries", "entries.csv"], work, "entries.csv: 4000 dòng;",
                     "bút toán/giây")
        with open(os.path.join(work, "units.csv"), "w", encoding="utf-8") as f:
            f.write("code,name,kind,parent,from\nP,Tỉnh,province,,2020-01-01\n")
            for i in range(1, 301):
                f.write(f"D{i},Huyện {i},district,P,2020-01-01\n")
        check_import("import units", ["import", "units", "units.csv"], work, "units.csv: 301 dòng;",
                     "/ 301 dòng")
        # A bank statement: its rows are counted as they are stored (every 1,000 and the last).
        with open(os.path.join(work, "hstd.csv"), "w", encoding="utf-8") as f:
            f.write("Mã tổ,Mã KH,Tên KH,Số khế ước,Mã chương trình,Ngày vay,Tổng dư nợ,Dư nợ quá hạn,"
                    "Lãi TT trong tháng,Lãi tồn TH,Số dư tiền gửi 105,Tình trạng món vay\n")
            for i in range(1, 2501):
                f.write(f"0841012,KH{i:05},Khách {i},{6001000000000000 + i},1,15/01/2026,1000000,0,0,0,0,OPEN\n")
        check_import("vbsp import-statement", ["vbsp", "import-statement", "hstd.csv", "--from", "2026-11-01",
                                               "--as-of", "2026-11-30"], work, "", "/ 2.500 dòng")
    for f in failures:
        print("FAIL:", f)
    print(f"progress_tty_test: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
