#!/usr/bin/env bash
# Every row of the role table in docs/security.md, through the CLI: each action tried as each
# role, expecting success (0) or refusal (77, or 73 for demo --force), and a refused command
# leaving the database byte-for-byte unchanged.
#
#   roles_test.sh SOQUY_BINARY
set -u
SOQUY=$(realpath "$1")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soquy-roles.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
export TZ=UTC LC_ALL=C.UTF-8 SOQUY_NOW=2026-11-28T09:00:00Z SOQUY_DB=r.db
unset SOQUY_USER
export SOQUY_USER=admin  # several users: a writer says who it is (--user below wins)
failures=0
checked=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
must() { "$@" >out 2>&1 || { echo "setup failed: $*"; cat out; exit 1; }; }
digest() { cat r.db r.db-wal 2>/dev/null | sha256sum; }
# expect CODE USER ARGS…: runs `soquy --user USER ARGS…` and checks its exit code; a refusal
# must leave the database unchanged.
expect() {
  local want=$1 user=$2
  shift 2
  local before
  before=$(digest)
  "$SOQUY" --user "$user" "$@" >out 2>&1
  local rc=$?
  checked=$((checked + 1))
  [[ $rc -eq $want ]] || fail "$user: soquy $* exited $rc, expected $want: $(head -c 400 out)"
  if [[ $want -ne 0 && $(digest) != "$before" ]]; then fail "$user: refused soquy $* changed the database"; fi
}

must "$SOQUY" init
must "$SOQUY" user add cuc --role officer
must "$SOQUY" user add lan --role treasurer
must "$SOQUY" user add mai --role treasurer
must "$SOQUY" user add kiemtra --role auditor
must "$SOQUY" unit add TV --name "Trà Vinh" --kind province --from 2020-01-01
must "$SOQUY" unit add AT --name "An Trường" --kind commune --parent TV --from 2020-01-01
for i in 1 2 3 4 5; do
  must "$SOQUY" member add HV00$i --name "Hội viên $i" --national-id 08417900000$i --unit AT --born 1975-03-02 --joined 2020-06-15
done
for g in H1 H2; do
  must "$SOQUY" rosca create $g --unit AT --name "Hụi $g" --holder HV005 --contribution 500000 --period monthly \
    --start 2026-01-05 --kind fixed --shares HV001,HV002,HV003,HV004
done
must "$SOQUY" --user cuc group update H1 --treasurer lan

# read: every role
for u in admin cuc lan kiemtra; do
  expect 0 "$u" balance --book fund --as-of 2026-12-31
  expect 0 "$u" check
done
# write the fund book
expect 0 admin post --book fund --date 2026-01-15 --memo "Nhận vốn" 1011=5000000 6011=-5000000
expect 0 cuc post --book fund --date 2026-01-16 --memo "Nhận vốn" 1011=1000 6011=-1000
expect 77 lan post --book fund --date 2026-01-16 --memo "x" 1011=1 6011=-1
expect 77 kiemtra post --book fund --date 2026-01-16 --memo "x" 1011=1 6011=-1
# write the entrust book
expect 0 cuc post --book entrust --date 2026-05-15 --memo "NHCSXH giải ngân" 9121=30000000 9999=-30000000
expect 77 lan post --book entrust --date 2026-05-15 --memo "x" 9121=1 9999=-1
expect 77 kiemtra post --book entrust --date 2026-05-15 --memo "x" 9121=1 9999=-1
# write the union book (dues)
expect 0 cuc dues rate --amount 2000 --from 2026-01
expect 77 lan dues rate --amount 3000 --from 2026-02
expect 77 kiemtra dues rate --amount 3000 --from 2026-02
# a group's book: its named treasurer, admins and officers; no other treasurer, no auditor
expect 0 lan rosca open H1 --round 1 --date 2026-01-05
expect 0 lan post --book group:H1 --date 2026-01-05 --memo "Thu hụi" 1011=1000 4111=-1000
expect 77 mai rosca pay H1 --member HV002 --amount 500000 --date 2026-01-05 --receipt PT-01
expect 77 mai post --book group:H1 --date 2026-01-05 --memo "x" 1011=1 4111=-1
expect 77 lan rosca open H2 --round 1 --date 2026-01-05
expect 77 lan post --book group:H2 --date 2026-01-05 --memo "x" 1011=1 4111=-1
expect 77 kiemtra rosca pay H1 --member HV002 --amount 500000 --date 2026-01-05 --receipt PT-01
expect 0 cuc rosca open H2 --round 1 --date 2026-01-05
expect 0 admin rosca pay H2 --member HV002 --amount 500000 --date 2026-01-05 --receipt PT-02
# the registry
expect 0 cuc member add HV009 --name "Lâm Thị Bé" --national-id 084179000009 --unit AT --born 1980-01-01 --joined 2021-01-01
expect 77 lan member add HV010 --name "X" --national-id 084179000010 --unit AT --born 1980-01-01 --joined 2021-01-01
expect 77 kiemtra member add HV010 --name "X" --national-id 084179000010 --unit AT --born 1980-01-01 --joined 2021-01-01
# naming a group's treasurer
expect 77 lan group update H2 --treasurer lan
expect 77 kiemtra group update H2 --treasurer lan
expect 0 admin group update H2 --treasurer mai
expect 0 mai post --book group:H2 --date 2026-01-06 --memo "Thu hụi" 1011=1000 4111=-1000
# users and settings: admin only
expect 77 cuc user add tam --role officer
expect 77 lan user add tam --role officer
expect 0 admin user add tam --role officer
expect 77 cuc setting set loan.member_limit 30000000
expect 77 kiemtra setting set loan.member_limit 30000000
expect 0 admin setting set loan.member_limit 30000000
# demo --force never replaces real books, whoever asks
expect 73 admin demo --force
expect 73 kiemtra demo --force
must "$SOQUY" check

if [[ $failures -eq 0 ]]; then echo "roles: $checked commands as the expected role, all as docs/security.md says"; exit 0; fi
echo "$failures of $checked failed"; exit 1
