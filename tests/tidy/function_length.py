#!/usr/bin/env python3
"""A ratchet on function length, in the spirit of TigerBeetle's tidy.zig.

A function of the product code (ledger/, reports/, cli/, demo/) may be at most 70 lines long,
from the line that opens its body to the line that closes it. The older functions that are
longer are listed in tests/tidy/long_functions.txt with the length they had when listed: each
may shrink, never grow, and an entry must be removed once its function is 70 lines or less (or
gone), so the list only gets shorter. MAX_LISTED caps the list; lower it as the list shrinks.

The code is clang-formatted with namespaces unindented, so a function definition starts at
column 0 and its body ends at the first line that is exactly "}". Lambdas and local classes
count toward the function that holds them. Member functions defined inside a class body are not
measured (the house style defines them in the .cc).

Usage: function_length.py [--root DIR] [--list]   (--list prints every function over 70 lines)
Exit 0 when the rule holds, 1 with one line per offence otherwise.
"""
import argparse
import os
import re
import sys

LIMIT = 70
MAX_LISTED = 4
FOLDERS = ("ledger", "reports", "cli", "demo")
SUFFIXES = (".cc", ".cpp")
ALLOW = os.path.join("tests", "tidy", "long_functions.txt")

NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_:~<>]*(?:operator\S+)?)\s*\($")


def function_name(signature):
    """The qualified name before the parameter list of a definition's signature."""
    head = signature.split("(", 1)[0].rstrip() + "("
    m = NAME.search(head)
    return m.group(1) if m else head.strip()


def functions(path):
    """(name, first line, length) of each top-level function definition in one file."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        starts = line and not line[0].isspace() and line[0] not in "#/}{" and "(" in line
        if not starts or line.startswith(("namespace", "using ", "static_assert", "extern ")):
            i += 1
            continue
        # The signature runs until a line ending in "{" (the body) or ";" (a declaration).
        j = i
        while j < len(lines) and not lines[j].rstrip().endswith(("{", ";")):
            j += 1
        if j >= len(lines) or lines[j].rstrip().endswith(";") or "= {" in lines[j] or " = " in line:
            i = j + 1
            continue
        k = j + 1
        while k < len(lines) and lines[k] != "}" and not lines[k].startswith("};"):
            k += 1
        signature = " ".join(l.strip() for l in lines[i:j + 1])
        out.append((function_name(signature), i + 1, k - j + 1))
        i = k + 1
    return out


def measure(root):
    """{(relative path, name): (line, length)} for every function, keeping the longest of a name."""
    found = {}
    for folder in FOLDERS:
        for base, _, files in os.walk(os.path.join(root, folder)):
            for name in sorted(files):
                if not name.endswith(SUFFIXES):
                    continue
                path = os.path.join(base, name)
                rel = os.path.relpath(path, root)
                for fn, line, length in functions(path):
                    key = (rel, fn)
                    if key not in found or found[key][1] < length:
                        found[key] = (line, length)
    return found


def read_allowlist(root):
    allowed = {}
    with open(os.path.join(root, ALLOW), encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            text = raw.split("#", 1)[0].strip()
            if not text:
                continue
            parts = text.split()
            if len(parts) != 3 or not parts[2].isdigit():
                sys.exit(f"{ALLOW}:{n}: expected 'PATH FUNCTION LINES', got {raw.strip()!r}")
            allowed[(parts[0], parts[1])] = int(parts[2])
    return allowed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    ap.add_argument("--list", action="store_true", help="print every function over the limit")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    found = measure(root)
    if args.list:
        for (rel, fn), (line, length) in sorted(found.items(), key=lambda kv: -kv[1][1]):
            if length > LIMIT:
                print(f"{rel} {fn} {length}    # line {line}")
        return 0
    allowed = read_allowlist(root)
    problems = []
    for (rel, fn), (line, length) in sorted(found.items()):
        if length <= LIMIT:
            continue
        cap = allowed.get((rel, fn))
        if cap is None:
            problems.append(f"{rel}:{line}: {fn} is {length} lines; the limit is {LIMIT}: split it")
        elif length > cap:
            problems.append(f"{rel}:{line}: {fn} grew from {cap} to {length} lines; it may only shrink")
    for (rel, fn), cap in sorted(allowed.items()):
        now = found.get((rel, fn))
        if now is None or now[1] <= LIMIT:
            problems.append(f"{ALLOW}: {rel} {fn} is now {'gone' if now is None else f'{now[1]} lines'}: "
                            "remove its entry (the list only shrinks)")
        elif now[1] < cap:
            problems.append(f"{ALLOW}: {rel} {fn} shrank from {cap} to {now[1]} lines: lower its entry")
    if len(allowed) > MAX_LISTED:
        problems.append(f"{ALLOW} lists {len(allowed)} functions; at most {MAX_LISTED} may stay listed")
    for p in problems:
        print(p)
    if not problems:
        print(f"function length: every function is at most {LIMIT} lines, or listed and not longer "
              f"({len(allowed)} listed, {len(found)} measured)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
