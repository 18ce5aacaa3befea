#!/usr/bin/env python3
"""Every importer fed the files clerks really have (issue 13 item 3).

    import_variants_test.py SOQUY_BINARY GOLDEN_DIR

Each case is a golden case (fixtures/golden) whose commands import a CSV file, and a command that
shows what the import left (the golden's last command, or `state`). The case is run once as the
golden has it, then again with the same rows written as Excel writes them, and the state must be
byte-for-byte the same:

  semicolon   UTF-8 with a BOM, ';' between fields, CRLF (Excel's "CSV UTF-8" under Vietnamese
              regional settings)
  utf16le     "Unicode text": UTF-16 LE with its BOM, TAB between fields, CRLF
  utf16be     UTF-16 BE with its BOM, TAB between fields
  cp1258      Windows-1258 (tone marks as combining characters, made by iconv), read with
              --encoding windows-1258
  stt         an ordinal column STT first (ignored)

and, for the cases that name their identifier column, `rounded`: the first row's identifier as
Excel leaves a long number (8.40725E+15) must be refused with exit 65, the line, and a message
that names Excel. The registry imports (units, members, groups) also prove `rejects`: a row
made bad (an impossible date) is written to FILE.rejects.csv by --skip-invalid, the clerk
corrects the date in it, imports it again (its `error` column ignored), and the state is the
same as the clean import's.
"""
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile

SOQUY = os.path.realpath(sys.argv[1])
GOLDEN = sys.argv[2]

# golden case, file varied, command showing the state (None: the golden's last command),
# identifier column (for `rounded`), date column (for `rejects`), header on the first line
CASES = [
    dict(case="cmd_import_entries", file="entries.csv"),  # entry ids are the file's own text
    dict(case="import_loans", file="loans.csv", id="loan"),
    dict(case="import_loans_repayments", file="repayments.csv", id="loan"),
    dict(case="reg_import_units_twice", file="units.csv", state="soquy unit list --format json",
         date="từ ngày", skip_invalid="soquy import units --skip-invalid {f}"),
    dict(case="reg_import_members_merger", file="members.csv", id="cccd", date="ngày vào hội",
         skip_invalid="soquy import members --skip-invalid {f}",
         state="soquy member list --as-of 2025-08-01 --format json"),
    dict(case="reg_import_groups_treasurer", file="groups.csv",
         state="soquy --user admin group list --format json", date="từ ngày",
         skip_invalid="soquy --user admin import groups --skip-invalid {f}"),
    dict(case="audit_pack_vbsp", file="register.csv", id="loan_no",
         state="soquy vbsp reconcile --as-of 2026-11-30 --format json"),
    dict(case="audit_pack_vbsp", file="tx.csv", id="loan_no",
         state="soquy vbsp reconcile --as-of 2026-11-30 --format json"),
    dict(case="audit_pack_vbsp", file="hstd.csv", id="Số khế ước", header_line=False,
         state="soquy vbsp reconcile --as-of 2026-11-30 --format json"),
    dict(case="collection_record_twice", file="meeting.csv", id="Khoản vay"),
    dict(case="savings_reverse_meeting", file="m2.csv", id="member",
         state="soquy savings status TK1 --format json"),
]

failures = []


def parse_case(path):
    """(files {name: text}, commands) of a golden case."""
    files, cmds, cur = {}, [], None
    for line in open(path, encoding="utf-8").read().split("\n"):
        if cur is not None:
            if line == "@end":
                cur = None
            else:
                files[cur].append(line)
            continue
        if line.startswith(">>> "):
            break
        if line.startswith("@file "):
            cur = line[6:]
            files[cur] = []
        elif line.startswith("$ "):
            cmds.append(line[2:])
    return {n: "".join(x + "\n" for x in body) for n, body in files.items()}, cmds


def rows_of(text):
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def write_rows(rows, delimiter, crlf=True):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    return out.getvalue()


def cp1258(text):
    r = subprocess.run(["iconv", "-f", "UTF-8", "-t", "WINDOWS-1258"], input=text.encode(), capture_output=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.decode())
    return r.stdout


def header_index(rows):
    """The line of the header: the first whose cells are mostly filled (a statement has titles)."""
    for i, r in enumerate(rows):
        if sum(1 for c in r if c.strip()) >= max(3, len(r) // 2):
            return i
    return 0


def variants(spec, text):
    rows = rows_of(text)
    out = {
        "semicolon": ("\ufeff" + write_rows(rows, ";")).encode(),
        "utf16le": b"\xff\xfe" + write_rows(rows, "\t").encode("utf-16-le"),
        "utf16be": b"\xfe\xff" + write_rows(rows, "\t", crlf=False).encode("utf-16-be"),
        "cp1258": cp1258(write_rows(rows, ",")),
    }
    if spec.get("header_line", True):
        stt = [["STT"] + rows[0]] + [[str(i)] + r for i, r in enumerate(rows[1:], 1)]
        out["stt"] = write_rows(stt, ",").encode()
    return out


def with_encoding(cmd, name):
    """The command with --encoding windows-1258 after each soquy argument that is the file."""
    pattern = r"(\bsoquy\b[^&|;]*?\s)" + re.escape(name) + r"(?=\s|$)"
    return re.sub(pattern, lambda m: m.group(0) + " --encoding windows-1258", cmd)


def run_case(spec, files, cmds, content=None, encoding=False):
    """(steps run, exit, stdout, stderr) of the state command, or of the first command that failed."""
    work = tempfile.mkdtemp()
    try:
        os.mkdir(work + "/bin")
        os.mkdir(work + "/run")
        os.symlink(SOQUY, work + "/bin/soquy")
        for n, body in files.items():
            open(f"{work}/run/{n}", "w", encoding="utf-8").write(body)
        if content is not None:
            open(f"{work}/run/{spec['file']}", "wb").write(content)
        env = dict(os.environ, SOQUY_DB="soquy.db", TZ="UTC", LC_ALL="C.UTF-8", SOQUY_NOW="2026-11-28T09:00:00Z",
                   PATH=work + "/bin:" + os.environ["PATH"])
        for k in ("SOQUY_USER", "SOQUY_LANG", "SOQUY_LOCALEDIR"):
            env.pop(k, None)
        steps = [with_encoding(c, spec["file"]) if encoding else c for c in cmds]
        if spec.get("state"):
            steps.append(spec["state"])
        for i, c in enumerate(steps):
            r = subprocess.run(["bash", "-o", "pipefail", "-c", c], cwd=work + "/run", env=env,
                               capture_output=True, timeout=120)
            last = i == len(steps) - 1
            if (r.returncode != 0 and not last) or last:
                return i + 1, r.returncode, r.stdout.decode(), r.stderr.decode()
    finally:
        shutil.rmtree(work)


def expect(what, ok, detail=""):
    if not ok:
        failures.append(f"{what}\n    {detail[:1500]}")


def check_rounded(spec, files, cmds):
    rows = rows_of(files[spec["file"]])
    h = header_index(rows)
    col = rows[h].index(spec["id"])
    rows[h + 1][col] = "8.40725E+15"
    _, code, out, err = run_case(spec, files, cmds, write_rows(rows, ",").encode())
    name = f"{spec['case']} / {spec['file']} / rounded"
    expect(f"{name}: refused with exit 65", code == 65, f"exit {code}: {out}\n{err}")
    expect(f"{name}: the message names Excel and the line", "Excel" in err and f":{h + 2}:" in err, err)


def check_rejects(spec, files, cmds, want):
    """A bad date → FILE.rejects.csv → corrected → imported again: the clean import's state."""
    rows = rows_of(files[spec["file"]])
    col = rows[0].index(spec["date"])
    good = rows[-1][col]
    rows[-1][col] = "31/02/2024"
    f = spec["file"]
    fix = (f"{spec['skip_invalid'].format(f=f)} > /dev/null; test -s {f}.rejects.csv && "
           f"head -c3 {f}.rejects.csv | od -An -tx1 | grep -q 'ef bb bf' && "
           f"sed -i 's#31/02/2024#{good}#' {f}.rejects.csv && {spec['skip_invalid'].format(f=f + '.rejects.csv')}")
    # the case's own import commands are replaced by: skip the bad row, correct it, import again
    first = next(i for i, c in enumerate(cmds) if re.search(re.escape(f) + r"(\s|$)", c))
    steps = cmds[:first] + [fix]
    got = run_case(dict(spec, state=spec["state"]), files, steps, write_rows(rows, ",").encode())
    name = f"{spec['case']} / {f} / rejects"
    expect(f"{name}: re-imported rejects give the clean state", got == want, f"{got}\n    want {want}")


def main():
    for spec in CASES:
        files, cmds = parse_case(os.path.join(GOLDEN, spec["case"] + ".test"))
        base = run_case(spec, files, cmds)
        name = f"{spec['case']} / {spec['file']}"
        steps = len(cmds) + (1 if spec.get("state") else 0)
        expect(f"{name}: the case runs as the golden has it", base[0] == steps and base[1] in (0, 1), str(base))
        for vname, content in variants(spec, files[spec["file"]]).items():
            got = run_case(spec, files, cmds, content, encoding=(vname == "cp1258"))
            expect(f"{name} / {vname}: the same state as the golden's file", got == base,
                   f"step {got[0]} exit {got[1]}\n    got  {got[2][:600]!r}\n    err  {got[3][:600]!r}\n    want {base[2][:600]!r}")
        if spec.get("id"):
            check_rounded(spec, files, cmds)
        if spec.get("skip_invalid"):
            clean = run_case(dict(spec), files, cmds[:next(i for i, c in enumerate(cmds) if spec["file"] in c) + 1])
            check_rejects(spec, files, cmds, clean)
    if failures:
        print(f"{len(failures)} failure(s):")
        for f in failures:
            print(" -", f)
        return 1
    print(f"ok: {len(CASES)} imports × their variants")
    return 0


if __name__ == "__main__":
    sys.exit(main())
