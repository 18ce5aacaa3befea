#!/usr/bin/env python3
"""Nothing a person reads is left out of the catalog (issue 13 item 1, docs/i18n.md).

    untranslated.py --root SOURCE_DIR

Fails on a text written as a bare string literal where a person will read it:
  - cli/: the description of a command or an option (add_subcommand, add_option, add_flag,
    description, footer, group) that is a literal instead of tr("…");
  - ledger/, reports/, demo/, cli/: the message of an Error (bad_input, usage, no_input,
    cant_create, io, permission, check_failed; internal errors are bugs and stay English) that
    is a literal or a fmt::format of a literal instead of fmt::format(fmt::runtime(tr("…")), …).
A literal without a word in it ("{}", ": ", "--x") is not text, nor is a list of the codes an
option accepts ("flat|equal-principal") or a metavariable ("ACCOUNT=AMOUNT …"). ALLOWED lists the exceptions,
each with its reason; the list may only shrink.
"""
import argparse
import pathlib
import re
import sys

ALLOWED = {
}

CLI_CALLS = {"add_subcommand": 1, "add_option": 2, "add_flag": 1, "description": 0, "footer": 0, "group": 0}
ERROR_CALLS = ("bad_input", "usage", "no_input", "cant_create", "io", "permission", "check_failed")
WORD = re.compile(r"[A-Za-zÀ-ỹ]{3,}")
CODES = re.compile(r"^[a-z0-9-]+(\|[a-z0-9-]+)*$|^[A-Z_=…. ]+$")


def strip_comments(text):
    """The text with comments blanked (string literals kept), line breaks kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"' or (c == "'" and not text[i - 1:i].isalnum()):
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def call_args(text, start):
    """Top-level arguments of the call whose '(' is at `start`, and where it ends."""
    depth, i, args, cur = 0, start, [], []
    while i < len(text):
        c = text[i]
        if c == '"':
            j = i + 1
            while j < len(text) and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c in "([{":
            depth += 1
            if depth == 1:
                i += 1
                continue
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append("".join(cur).strip())
                return args, i
        elif c == "," and depth == 1:
            args.append("".join(cur).strip())
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    return args, i


def literal_text(arg):
    """The words of `arg` when it is a bare literal (or literals joined by +), else ''."""
    if not arg.startswith('"'):
        return ""
    return " ".join(re.findall(r'"((?:[^"\\]|\\.)*)"', arg))


def formatted_literal(arg):
    """The format string of fmt::format("…", …) written without tr()."""
    m = re.match(r'fmt::format\(\s*"', arg)
    if not m:
        return ""
    args, _ = call_args(arg, arg.index("("))
    return literal_text(args[0]) if args else ""


def findings(root):
    out = []
    for path in sorted(root.glob("**/*")):
        rel = path.relative_to(root).as_posix()
        if path.suffix not in (".cc", ".cpp", ".h") or not re.match(r"(cli|ledger|reports|demo)/", rel):
            continue
        text = strip_comments(path.read_text(encoding="utf-8"))
        if rel.startswith("cli/"):
            for m in re.finditer(r"(?:\.|->)(" + "|".join(CLI_CALLS) + r")\(", text):
                args, _ = call_args(text, m.end() - 1)
                for a in args[CLI_CALLS[m.group(1)]:]:
                    words = literal_text(a)
                    if WORD.search(words) and not CODES.match(words):
                        out.append((rel, text.count("\n", 0, m.start()) + 1, words[:70]))
        for m in re.finditer(r"Error::(" + "|".join(ERROR_CALLS) + r")\(", text):
            args, _ = call_args(text, m.end() - 1)
            if not args:
                continue
            words = literal_text(args[0]) or formatted_literal(args[0])
            if WORD.search(words):
                out.append((rel, text.count("\n", 0, m.start()) + 1, words[:70]))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    root = pathlib.Path(p.parse_args().root)
    bad = [f for f in findings(root) if f"{f[0]}: {f[2]}" not in ALLOWED]
    for rel, line, words in bad:
        print(f"{rel}:{line}: not translated: \"{words}\" (wrap it in tr(), docs/i18n.md)")
    print(f"untranslated: {len(bad)} text(s) outside the catalog")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
