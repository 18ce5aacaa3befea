#!/usr/bin/env bash
# Cross-checks soquy's balances against two independent double-entry programs.
#
#   peer_crosscheck.sh SOQUY LEDGER HLEDGER PYTHON3
#
# Builds the demo database (three books: fund with parent/child accounts, entrust, and the hụi
# group book group:HUI-LH01; 680 entries including a reversal), exports it with
# `soquy export journal --format ledger`, and asks ledger-cli 3.3 and hledger 1.25 for every
# account's own balance. For every book and every account, soquy's balance (which includes its
# sub-accounts) must equal the sum of the peer's balances of that account and its descendants,
# as of today and as of two past dates (ledger --end and hledger -e are exclusive, so they get
# the day after). Amounts are compared as Python integers, never floats. Both peers read the
# export exactly as soquy wrote it.
set -u
SOQUY=$(realpath "$1")
LEDGER=$2
HLEDGER=$3
PYTHON=$4
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soquy-peers.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_NOW=2026-11-28T09:00:00Z SOQUY_DB="$WORK/demo.db"
unset SOQUY_USER

"$SOQUY" demo --force >demo.out 2>&1 || { echo "soquy demo failed"; cat demo.out; exit 1; }
"$SOQUY" export journal --format ledger --out all.journal || exit 1
"$SOQUY" book list --format json >books.json || exit 1

failures=0
# as-of dates: today (after every entry), the end of the first quarter, and the day of the
# demo's mistaken receipt (2025-04-02) to catch an off-by-one at a day boundary.
for as_of in 2026-11-28 2025-03-31 2025-04-02; do
  end=$("$PYTHON" -c 'import datetime,sys; print(datetime.date.fromisoformat(sys.argv[1]) + datetime.timedelta(days=1))' "$as_of")
  "$LEDGER" -f all.journal bal --flat --no-total --empty --end "$end" \
    --balance-format '%(account)\t%(quantity(scrub(display_amount)))\n' >ledger.$as_of.tsv ||
    { echo "ledger failed on the export"; failures=$((failures + 1)); }
  "$HLEDGER" -f all.journal bal --flat --no-total --empty -e "$end" -O csv >hledger.$as_of.csv ||
    { echo "hledger failed on the export"; failures=$((failures + 1)); }
  for book in $("$PYTHON" -c 'import json,sys; print(" ".join(b["code"] for b in json.load(open(sys.argv[1]))))' books.json); do
    "$SOQUY" balance --book "$book" --as-of "$as_of" --format json >"balance.$book.$as_of.json" || exit 1
    "$SOQUY" account list --book "$book" --format json >"accounts.$book.json" || exit 1
    "$PYTHON" - "$book" "$as_of" "balance.$book.$as_of.json" "accounts.$book.json" \
      "ledger.$as_of.tsv" "hledger.$as_of.csv" <<'PY' || failures=$((failures + 1))
import csv, json, re, sys

book, as_of, balance_file, accounts_file, ledger_file, hledger_file = sys.argv[1:]
soquy = json.load(open(balance_file))
accounts = json.load(open(accounts_file))
assert soquy["book"] == book and soquy["as_of"] == as_of

# Full ledger names, derived here from the account list (not from the export): the book code
# with ':' made '-', then the chain of parents, then the code.
parent = {a["code"]: a["parent"] for a in accounts}
def full_name(code):
    path = [code]
    while parent[path[0]] is not None:
        path.insert(0, parent[path[0]])
    return ":".join([book.replace(":", "-")] + path)

def amount(text):
    text = text.strip()
    m = re.fullmatch(r"(-?\d+)(?: VND)?", text)
    if not m:
        raise SystemExit(f"cannot read the amount {text!r}")
    return int(m.group(1))

def own_balances(rows):
    out = {}
    for name, value in rows:
        if name.split(":")[0] == book.replace(":", "-"):
            out[name] = out.get(name, 0) + amount(value)
    return out

ledger = own_balances(line.rstrip("\n").split("\t") for line in open(ledger_file) if line.strip())
with open(hledger_file, newline="") as f:
    rows = list(csv.reader(f))
assert rows[0] == ["account", "balance"], rows[0]
hledger = own_balances(rows[1:])

ok = True
names = {full_name(a["code"]) for a in accounts}
for peer, own in (("ledger", ledger), ("hledger", hledger)):
    unknown = set(own) - names - {book.replace(":", "-")}
    if unknown:
        print(f"FAIL {book} {as_of}: {peer} has accounts soquy does not: {sorted(unknown)}")
        ok = False
    for a in soquy["accounts"]:
        name = full_name(a["code"])
        expected = sum(v for n, v in own.items() if n == name or n.startswith(name + ":"))
        if int(a["balance"]) != expected:
            print(f"FAIL {book} {as_of}: {a['code']} ({name}): soquy {a['balance']}, {peer} {expected}")
            ok = False
# Every book balances to zero in each peer's eyes too.
for peer, own in (("ledger", ledger), ("hledger", hledger)):
    if sum(own.values()) != 0:
        print(f"FAIL {book} {as_of}: the book's postings sum to {sum(own.values())} in {peer}")
        ok = False
nonzero = sum(1 for a in soquy["accounts"] if a["balance"] != "0")
# Guard against a vacuous pass (everything zero everywhere): the demo's fund and entrust books
# carry balances on every date checked. (The hụi book nets to zero each day by design.)
if book in ("fund", "entrust") and nonzero < 2:
    print(f"FAIL {book} {as_of}: only {nonzero} non-zero balances; the demo should have more")
    ok = False
print(f"{'ok' if ok else 'FAIL'} {book} as of {as_of}: {len(soquy['accounts'])} accounts, {nonzero} non-zero")
sys.exit(0 if ok else 1)
PY
  done
done

if [[ $failures -ne 0 ]]; then
  echo "peer cross-check: $failures failure(s)"
  exit 1
fi
echo "peer cross-check: ok"
