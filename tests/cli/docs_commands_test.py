#!/usr/bin/env python3
"""Docs follow the commands: every `soquy` command shown in the docs parses.

    docs_commands_test.py SOQUY_BINARY REPO_ROOT

Extracts every command line of a fenced code block of README.md and docs/**/*.md — except the
blocks whose fence names a language that is not a shell (```text for a program's printed output,
```json, ```sql, ```csv) — a line that,
after the fence's own indentation, begins with `soquy ` or `$ soquy ` (a line ending in `\\` is
joined with the next) — and runs it against a copy of the demo database, in a temporary
directory that is its working directory (so `--out FILE` writes there). The demo is built once
with `soquy --db demo.db demo`; each command runs with SOQUY_DB=demo.db and SOQUY_USER=admin (the
demo file has several users). The test fails when any command exits 2 (a usage error: an unknown
command or option, a missing required option, a value the parser refuses), listing FILE:LINE and
the command. A line whose comment says `# exit 2` shows a usage error on purpose (a typo and its
suggestion): it must exit 2, and fails otherwise. Any other exit code passes: 65 for a code the
demo does not hold, 66 for an input file that is not there, 77 for a user without the role are
all the command understood.

Skip rule — a line is a synopsis, not a command, and is not run, when it holds:
  - `[` (an optional part), `…` or `...` (more of the same), or `<`word`>`;
  - a word with `|` inside it (alternatives: `--format table|json`);
  - a placeholder word (PLACEHOLDERS below: FILE, CODE, D, G, YYYY-MM …), alone or as one side of
    `=`, before `.csv`, or between commas.
What follows the command on its line is cut off before running it: a comment (`  # …`), a
redirection or pipe (`>`, `|`, `&&`, `;`) and a second prompt (`$ soquy …` shown beside it).
`soquy demo` itself is run as `soquy demo --help` (rebuilding the demo takes minutes).
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Words the docs use to stand for a value the reader supplies.
PLACEHOLDERS = re.compile(
    r"^([A-Z][0-9]?|FILE|CODE|NAME|LOAN|DIR|COMMUNE|MEMBER|TEXT|ENTRY|ACCOUNT|AMOUNT|RECEIPT|ID|DATE|USER|"
    r"GROUP|TYPE|BOOK|CLIENT_ID|CORRECTION_ID|CCCD|LEVEL|COMMAND|SUBCOMMAND|OPTIONS|ARGUMENTS|FROM|INTO|MAP|"
    r"YYYY-MM|YYYY-MM-DD|P%)$")
# The fences searched: none named, or a shell.
SHELL_FENCES = {"", "sh", "bash", "shell", "console"}
OPERATORS = {"|", "||", "&&", ";", ">", ">>", "<", "2>", "&"}


def commands(path):
    """(line number, command text) of each soquy command in the fenced blocks of `path`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    fence = None  # the open fence's indentation, or None outside a block (or in a skipped one)
    skip_block = False  # inside a block of output or another language
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith("```"):
            if fence is not None or skip_block:
                fence, skip_block = None, False
            elif stripped[3:].strip() in SHELL_FENCES:
                fence = line[: len(line) - len(stripped)]
            else:
                skip_block = True
        elif fence is not None and line.startswith(fence):
            text = line[len(fence):]
            if text.startswith("$ "):
                text = text[2:]
            if text.startswith("soquy "):
                start = i
                while text.endswith("\\") and i + 1 < len(lines):
                    i += 1
                    text = text[:-1] + " " + lines[i].strip()
                yield start + 1, text
        i += 1


def is_synopsis(text):
    if "[" in text or "…" in text or "..." in text or re.search(r"<[^>\s]+>", text):
        return True
    for word in text.split():
        if "|" in word and word != "|" and word != "||":
            return True
        for part in re.split(r"[=,]|\.csv$", word):
            if PLACEHOLDERS.match(part):
                return True
    return False


def argv_of(text):
    """The command's arguments, without what follows it (comment, pipe, redirection, 2nd prompt)."""
    lex = shlex.shlex(text, posix=True, punctuation_chars=True)
    lex.whitespace_split = True
    words = []
    for token in lex:  # shlex drops a `#` comment
        if token in OPERATORS or (token == "$" and words):
            break
        words.append(token)
    return words[1:]  # without "soquy"


def main():
    soquy = os.path.realpath(sys.argv[1])
    root = Path(sys.argv[2])
    docs = [root / "README.md"] + sorted((root / "docs").rglob("*.md"))
    work = Path(tempfile.mkdtemp(prefix="soquy-docs."))
    env = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8", SOQUY_DB="demo.db", SOQUY_USER="admin")
    try:
        built = subprocess.run([soquy, "--db", "demo.db", "demo"], cwd=work, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        if built.returncode != 0:
            print(f"docs_commands_test: soquy demo failed ({built.returncode}): {built.stderr}")
            return 1
        ran = skipped = 0
        failures = []
        for doc in docs:
            for lineno, text in commands(doc):
                if is_synopsis(text):
                    skipped += 1
                    continue
                args = argv_of(text)
                if "demo" in args and "--help" not in args:
                    args = args + ["--help"]
                try:
                    r = subprocess.run([soquy] + args, cwd=work, env=env, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=120)
                except subprocess.TimeoutExpired:
                    print(f"note: {doc.relative_to(root)}:{lineno}: ran over 120 s: {text}")
                    continue
                ran += 1
                first = r.stderr.strip().split("\n")[0] if r.stderr.strip() else ""
                meant = re.search(r"#.*\bexit 2\b", text) is not None
                if (r.returncode == 2) != meant:
                    failures.append(f"{doc.relative_to(root)}:{lineno}: {text}\n    -> exit {r.returncode}: {first}")
        print(f"docs_commands_test: {ran} commands run, {skipped} synopsis lines skipped, {len(failures)} usage errors")
        for f in failures:
            print(f)
        return 1 if failures or ran == 0 else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
