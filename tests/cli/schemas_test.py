#!/usr/bin/env python3
"""JSON outputs validated against the JSON Schemas of schemas/json/ (issue 7, item 1).

    schemas_test.py SOQUY_BINARY

Builds a small database (the overdue vector of ../shared/vectors/loans.md: two loans, one 46
days past due, a second user, a reversal), runs each command with --format json and validates
its output with python3-jsonschema (Debian package; scripts/bootstrap installs it):

    balance, trial-balance, check, report overdue (plain, --by unit, --compare-to, --trend), loan show
    (active and overdue), loan schedule, loan preview, audit log (all, --user, --from/--to), audit changes (all, --table --user),
    par.json / check.json of `export audit-pack`, vbsp fees and report vbsp-grades, group show and
    group list (all, --unit).

Each schema is first checked to be a valid Draft 2020-12 schema, and then shown to be strict: the
real output with a required key removed, an unknown key added, or an amount turned into a
number must fail validation (a schema that accepts anything would prove nothing).

Exits 0 when every check passes, 1 otherwise, 77 (CTest: skipped) without the jsonschema module.
"""
import copy
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    print("SKIP: python3-jsonschema is not installed (scripts/bootstrap installs it)")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.join(os.path.dirname(os.path.dirname(HERE)), "schemas", "json")
SOQUY = os.path.realpath(sys.argv[1])
ENV = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8", SOQUY_NOW="2026-11-28T09:00:00Z", SOQUY_DB="soquy.db")
ENV["SOQUY_USER"] = "admin"  # several users: say who acts (run(user=…) overrides)

failures = []
checks = 0


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(*args, now=None, user=None):
    env = dict(ENV)
    if now:
        env["SOQUY_NOW"] = now
    if user:
        env["SOQUY_USER"] = user
    p = subprocess.run([SOQUY, *args], env=env, capture_output=True)
    if p.returncode != 0:
        print("setup failed: soquy %s\n%s%s" % (" ".join(args), p.stdout.decode(), p.stderr.decode()))
        sys.exit(1)
    return p.stdout.decode()


def load_schema(name):
    with open(os.path.join(SCHEMAS, name + ".schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(validator, doc):
    return sorted(e.message for e in validator.iter_errors(doc))


def validate(name, doc, what):
    global checks
    checks += 1
    errs = errors(load_schema(name), doc)
    if errs:
        fail("%s against %s.schema.json: %s" % (what, name, "; ".join(errs[:5])))


def first_object_with_string(doc):
    """The first object (depth-first) holding a key whose value is a digit string: an amount."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            if isinstance(v, str) and v.isdigit():
                return doc, k
        for v in doc.values():
            r = first_object_with_string(v)
            if r:
                return r
    elif isinstance(doc, list):
        for v in doc:
            r = first_object_with_string(v)
            if r:
                return r
    return None


def strict(name, doc, what):
    """The schema must reject broken variants of a real document."""
    global checks
    v = load_schema(name)
    root = doc[0] if isinstance(doc, list) else doc
    key = next(iter(root))
    broken = copy.deepcopy(root)
    del broken[key]
    checks += 1
    if not errors(v, broken):
        fail("%s: %s.schema.json accepts the output without its required key %r" % (what, name, key))
    broken = copy.deepcopy(root)
    broken["no_such_key"] = 1
    checks += 1
    if not errors(v, broken):
        fail("%s: %s.schema.json accepts an unknown key" % (what, name))
    broken = copy.deepcopy(root)
    found = first_object_with_string(broken)
    if found:
        obj, k = found
        obj[k] = int(obj[k])
        checks += 1
        if not errors(v, broken):
            fail("%s: %s.schema.json accepts %r as a number" % (what, name, k))


def case(name, args, what=None, **kw):
    what = what or "soquy " + " ".join(args)
    doc = json.loads(run(*args, "--format", "json", **kw))
    validate(name, doc, what)
    return doc


VBSP_FILES = {
    "vbsp_register.csv": "loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,"
    "disbursed_on,amount,maturity_on\n"
    "6001000000000001,0841012,HV1,KH001,,Nguyễn Thị Hòa,01,2026-01-15,30000000,2029-01-15\n"
    "6001000000000002,0841012,HV2,KH002,,Đặng Thị Huệ,19,2026-02-01,20000000,2026-11-20\n",
    "vbsp_tx.csv": "date,loan_no,kind,amount,receipt_no\n"
    "2026-11-10,6001000000000001,interest,181150,V1\n"
    "2026-11-10,6001000000000001,savings-in,200000,V2\n"
    "2026-11-10,6001000000000002,principal,15000000,V3\n",
    "vbsp_st.csv": "loan_no,group_code,customer_code,borrower_name,programme,disbursed_on,principal_outstanding,"
    "principal_overdue,principal_frozen,interest_collected,interest_unpaid,savings_balance,status\n"
    "6001000000000001,0841012,KH001,Nguyễn Thị Hòa,01,2026-01-15,30000000,0,0,181150,0,200000,OPEN\n"
    "6001000000000002,0841012,KH002,Đặng Thị Huệ,19,2026-02-01,5000000,5000000,0,0,30000,0,OPEN\n",
}


def vbsp_cases():
    """VBSP fees and grades (docs/vbsp.md): with and without a rate, graded and not graded."""
    for name, text in VBSP_FILES.items():
        with open(name, "w", encoding="utf-8") as f:
            f.write(text)
    run("vbsp", "import-register", "vbsp_register.csv", "--unit", "C1")
    run("vbsp", "import-transactions", "vbsp_tx.csv")
    # October has no statement (November's grades miss savings growth); November's is imported.
    run("vbsp", "import-statement", "vbsp_st.csv", "--from", "2026-11-01", "--as-of", "2026-11-30")
    doc = case("vbsp-fees", ["vbsp", "fees", "--month", "2026-11"])
    if doc["sessions"][0]["fee"] is not None:
        fail("vbsp fees: a fee without any rate recorded")
    run("vbsp", "contract", "add", "HD1", "--unit", "C1", "--signed", "2026-01-02")
    run("vbsp", "fee-rate", "add", "--contract", "HD1", "--from", "2026-01-02", "--fee", "8.5%", "--commission", "7%")
    doc = case("vbsp-fees", ["vbsp", "fees", "--month", "2026-11"])
    strict("vbsp-fees", doc, "vbsp fees")
    if doc["sessions"][0]["fee"] != "15398":  # 181,150 × 8.5 % = 15,397.75 → 15,398
        fail("vbsp fees: fee %r, expected 15398" % doc["sessions"][0]["fee"])
    doc = case("vbsp-grades", ["report", "vbsp-grades", "--month", "2026-11"])
    strict("vbsp-grades", doc, "report vbsp-grades")
    if doc["groups"][0]["grade"] is not None or not doc["groups"][0]["criteria"][4]["missing"]:
        fail("report vbsp-grades: savings growth without a statement the month before must be missing")
    run("vbsp", "import-statement", "vbsp_st.csv", "--from", "2026-10-01", "--as-of", "2026-10-31")
    doc = case("vbsp-grades", ["report", "vbsp-grades", "--month", "2026-11"])
    if doc["groups"][0]["grade"] is None:
        fail("report vbsp-grades: the group is not graded with both statements")


def check_failure_case():
    """check --format json with differences: repayment R2 of L1 (500,000 on 2026-03-20: 100,000
    interest of instalment 2, 400,000 principal; instalment 1 was paid whole by R1, 833,333 +
    100,000) reversed in the journal alone: its owner row removed in SQL with the triggers dropped
    (`soquy reverse` itself would go through the loan), then reversed. The loan's records still
    count it; its share of 2111 does not: 10,000,000 - 833,333 - 400,000 = 8,766,667 against
    9,166,667 from 2026-04-30 on."""
    global checks
    db = sqlite3.connect("soquy.db")
    for (name,) in db.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'entry_owners'"):
        db.execute(f'DROP TRIGGER "{name}"')
    db.execute("DELETE FROM entry_owners WHERE entry_id = (SELECT id FROM entries WHERE client_id = 'loan:L1:R2')")
    db.commit()
    db.close()
    run("reverse", "loan:L1:R2", "--date", "2026-04-30", "--reason", "thử kiểm tra (test)")
    p = subprocess.run([SOQUY, "check", "--format", "json"], env=ENV, capture_output=True)
    checks += 1
    if p.returncode != 1:
        fail("check after a reversed repayment exits %d, expected 1" % p.returncode)
    doc = json.loads(p.stdout)
    validate("check", doc, "soquy check (differences)")
    strict("check", doc, "soquy check (differences)")
    by_name = {c["name"]: c for c in doc["checks"]}
    want = {"loans.principal": ("2111", "8766667", "9166667"), "loans.interest": ("7021", "200000", "100000")}
    for name, (account, expected, actual) in want.items():
        checks += 1
        got = by_name[name]["differences"]
        if got != [{"book": "fund", "account": account, "record": "loan L1 (member M1)", "date": "2026-04-30",
                    "expected": expected, "actual": actual}]:
            fail("check: %s differences %r" % (name, got))
    p = subprocess.run([SOQUY, "check", "--only", "loans.principal", "--format", "json"], env=ENV, capture_output=True)
    doc = json.loads(p.stdout)
    validate("check", doc, "soquy check --only loans.principal")
    checks += 1
    if [c["name"] for c in doc["checks"]] != ["loans.principal"] or doc["last_entry"] is not None:
        fail("check --only loans.principal: %r" % doc)


def main():
    work = tempfile.mkdtemp(prefix="soquy-schemas-")
    os.chdir(work)
    # Setup, as in fixtures/golden/overdue_json.test, recorded on two days by two users.
    day1, day2 = "2026-11-01T08:00:00Z", "2026-11-02T08:00:00Z"
    for cmd in (
        ["init"],
        ["user", "add", "lan", "--role", "officer"],
        ["unit", "add", "P", "--name", "Trà Vinh", "--kind", "province", "--from", "2020-01-01"],
        ["unit", "add", "C1", "--name", "An Trường", "--kind", "commune", "--parent", "P", "--from", "2020-01-01"],
        ["group", "add", "G1", "--name", "Tổ 1", "--kind", "credit", "--unit", "C1", "--from", "2020-01-01"],
        ["member", "add", "M1", "--name", "Nguyễn Thị Hoa", "--national-id", "084185000001", "--unit", "C1",
         "--group", "G1", "--joined", "2020-01-01"],
        ["member", "add", "M2", "--name", "Trần Thị Lan", "--national-id", "084185000002", "--unit", "C1",
         "--group", "G1", "--ethnicity", "Khmer", "--joined", "2020-01-01"],
        ["fund", "deposit", "--amount", "100000000", "--date", "2025-12-01", "--id", "cap-1"],
        ["product", "add", "A", "--method", "flat", "--rate", "1%/month", "--term", "12"],
        ["loan", "disburse", "L1", "--member", "M1", "--product", "A", "--amount", "10000000", "--date",
         "2026-01-15", "--group", "G1"],
    ):
        run(*cmd, now=day1)
    for cmd in (
        ["loan", "repay", "L1", "--amount", "933333", "--date", "2026-02-15", "--id", "R1"],
        ["loan", "repay", "L1", "--amount", "500000", "--date", "2026-03-20", "--id", "R2"],
        ["loan", "disburse", "L2", "--member", "M2", "--product", "A", "--amount", "5000000", "--date",
         "2026-01-15", "--group", "G1"],
        ["loan", "repay", "L2", "--amount", "466667", "--date", "2026-02-15", "--id", "R3"],
        ["post", "--book", "fund", "--date", "2026-04-01", "--memo", "=Thu khác", "--id", "X1", "1011=1000",
         "6011=-1000"],
    ):
        run(*cmd, now=day2, user="lan")
    run("reverse", "X1", "--date", "2026-04-02", "--reason", "nhập nhầm", now=day2, user="lan")

    doc = case("balance", ["balance", "--book", "fund", "--as-of", "2026-04-30"])
    strict("balance", doc, "balance")
    doc = case("trial-balance", ["trial-balance", "--as-of", "2026-04-30"])
    strict("trial-balance", doc, "trial-balance")
    doc = case("check", ["check"])
    strict("check", doc, "check")
    doc = case("overdue", ["report", "overdue", "--as-of", "2026-04-30"])
    strict("overdue", doc, "report overdue")
    doc = case("overdue", ["report", "overdue", "--as-of", "2026-04-30", "--trend", "3"])
    if [p["as_of"] for p in doc.get("trend", [])] != ["2026-02-28", "2026-03-31", "2026-04-30"]:
        fail("report overdue --trend 3: not the two month ends before 2026-04-30 and the date itself")
    case("overdue", ["report", "overdue", "--as-of", "2026-04-30", "--by", "unit"])
    doc = case("overdue", ["report", "overdue", "--as-of", "2026-04-30", "--by", "group", "--compare-to", "2026-03-31"])
    if not doc.get("compare_to") or not doc["rows"] or "compare_to" not in doc["rows"][0]:
        fail("report overdue --compare-to: the case does not exercise compare_to")
    doc = case("loan-show", ["loan", "show", "L1", "--as-of", "2026-04-30"])
    strict("loan-show", doc, "loan show")
    if doc["days_past_due"] != 46:  # the vector: 46 days past due on 2026-04-30
        fail("loan show L1: days_past_due %r, expected 46" % doc["days_past_due"])
    case("loan-show", ["loan", "show", "L2", "--as-of", "2026-01-20"])
    doc = case("loan-schedule", ["loan", "schedule", "L1", "--as-of", "2026-04-30"])
    strict("loan-schedule", doc, "loan schedule")
    case("loan-schedule", ["loan", "preview", "--amount", "10000000", "--rate", "1%/month", "--term", "12",
                           "--date", "2026-01-15"])
    doc = case("audit-log", ["audit", "log"])
    strict("audit-log", doc, "audit log")
    if len(doc["entries"]) < 8:
        fail("audit log: %d entries, expected every entry of the setup" % len(doc["entries"]))
    doc = case("audit-log", ["audit", "log", "--user", "lan", "--from", "2026-11-02", "--to", "2026-11-02"])
    if not doc["entries"] or any(e["user"] != "lan" for e in doc["entries"]):
        fail("audit log --user lan: %r" % doc["entries"])

    doc = case("audit-changes", ["audit", "changes"])
    strict("audit-changes", doc, "audit changes")
    if not any(c["table"] == "loans" and c["action"] == "insert" for c in doc["changes"]):
        fail("audit changes: the loans disbursed in the setup are not in the change log")
    # The chain recomputed independently from the contract in ledger/storage/sqlite/change_log.h:
    # SHA-256 of the previous hash and each field as "<byte length>:<bytes>;" ("null;" for no content).
    prev = ""
    for c in doc["changes"]:
        fields = [prev, c["recorded_at"], c["user"], c["table"], c["record"], c["action"]]
        data = "".join("%d:%s;" % (len(f.encode()), f) for f in fields)
        if c["content"] is None:
            data += "null;"
        else:
            content = json.dumps(c["content"], ensure_ascii=False, separators=(",", ":"))
            data += "%d:%s;" % (len(content.encode()), content)
        prev = hashlib.sha256(data.encode()).hexdigest()
        if prev != c["hash"]:
            fail("audit changes: change #%d's hash is not the chain's" % c["seq"])
            break
    doc = case("audit-changes", ["audit", "changes", "--table", "users", "--user", "admin"])
    if not doc["changes"] or any(c["table"] != "users" or c["user"] != "admin" for c in doc["changes"]):
        fail("audit changes --table users --user admin: %r" % doc["changes"])

    run("export", "audit-pack", "--as-of", "2026-04-30", "--out", "pack")
    for name, schema in (("par.json", "par"), ("check.json", "check")):
        with open(os.path.join("pack", name), encoding="utf-8") as f:
            validate(schema, json.load(f), "audit-pack " + name)

    doc = case("group-show", ["group", "show", "G1", "--as-of", "2026-04-30"])
    strict("group-show", doc, "group show")
    if doc["members"] != ["M1", "M2"] or doc["unit"] != "C1":
        fail("group show G1: members %r, unit %r" % (doc["members"], doc["unit"]))
    doc = case("group-list", ["group", "list", "--as-of", "2026-04-30"])
    strict("group-list", doc, "group list")
    case("group-list", ["group", "list", "--unit", "P", "--as-of", "2019-12-31"])

    vbsp_cases()
    check_failure_case()

    print("%d checks, %d failures" % (checks, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
