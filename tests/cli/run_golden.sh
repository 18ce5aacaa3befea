#!/usr/bin/env bash
# Runs one golden case file (fixtures/golden/NAME.test) against the soquy binary.
#
#   run_golden.sh [--pg] SOQUY_BINARY CASE.test
#
# --pg runs the case against a PostgreSQL server instead of a SQLite file (tests/pg/golden_pg.sh:
# needs SOQUY_TEST_PG_URI, exit 77 without it, and for a case that says `# pg: skip REASON`).
#
# The case format is documented in tests/cli/README.md. In short:
#
#   # comment                  ignored (say what the case proves)
#   # pg: skip REASON          a comment for SQLite; --pg skips the case (SQLite-file specific)
#   @file NAME                 the lines up to "@end" are written to NAME in the work dir
#   $ COMMAND                  run by `bash -o pipefail -c` in the work dir; every one but the last
#                              must exit 0 (setup), the last one is the command under test
#   >>> stdout [head=N] [crlf] exact expected stdout of the last command (head=N: only its first
#                              N lines are compared; crlf: each expected line ends in CR LF)
#   >>> stderr                 exact expected stderr of the last command
#   >>> exit N                 expected exit code (default 0)
#   >>> db unchanged           the database file is byte-for-byte the same before and after
#
# A missing stdout or stderr section means "must be empty". Expected text is compared exactly
# (every line ends with a newline). Nothing is ever rewritten from the program's output: expected
# results are written by hand.
set -u

RUNNER_DIR=$(dirname "$(realpath "$0")")
pg=0
if [[ ${1:-} == --pg ]]; then
  pg=1
  shift
fi
if [[ $# -ne 2 ]]; then
  echo "usage: $0 [--pg] SOQUY_BINARY CASE.test" >&2
  exit 2
fi
SOQUY_BIN=$(realpath "$1")
CASE=$(realpath "$2")
[[ -x $SOQUY_BIN ]] || { echo "run_golden: $SOQUY_BIN is not executable" >&2; exit 2; }
[[ -f $CASE ]] || { echo "run_golden: $CASE: no such case file" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/soquy-golden.XXXXXX")
pg_case_cleanup() { :; }  # golden_pg.sh defines it: drops the case's server database
trap 'pg_case_cleanup; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/bin" "$WORK/run" "$WORK/expect"
# `soquy` in a case means the binary under test, whatever PATH holds.
ln -s "$SOQUY_BIN" "$WORK/bin/soquy"

commands=()
expect_exit=0
db_unchanged=0
stdout_head=""
stdout_crlf=0
pg_skip=""
: >"$WORK/expect/stdout"
: >"$WORK/expect/stderr"

# --- parse -----------------------------------------------------------------------------------
section=""      # "", stdout, stderr, file
file_name=""
lineno=0
parse_error() {
  echo "run_golden: $CASE:$lineno: $*" >&2
  exit 2
}
while IFS= read -r line || [[ -n $line ]]; do
  lineno=$((lineno + 1))
  if [[ $section == file ]]; then
    if [[ $line == "@end" ]]; then
      section=""
    else
      printf '%s\n' "$line" >>"$WORK/run/$file_name"
    fi
    continue
  fi
  if [[ $line == ">>> "* ]]; then
    header=${line#>>> }
    case $header in
      stdout | "stdout "*)
        section=stdout
        for word in ${header#stdout}; do
          case $word in
            head=*) stdout_head=${word#head=}
                    [[ $stdout_head =~ ^[0-9]+$ ]] || parse_error "bad head count '$stdout_head'" ;;
            crlf) stdout_crlf=1 ;;
            *) parse_error "unknown stdout option '$word'" ;;
          esac
        done
        ;;
      stderr) section=stderr ;;
      "exit "*)
        section=none
        expect_exit=${header#exit }
        [[ $expect_exit =~ ^[0-9]+$ ]] || parse_error "bad exit code '$expect_exit'"
        ;;
      "db unchanged") section=none; db_unchanged=1 ;;
      *) parse_error "unknown section '>>> $header'" ;;
    esac
    continue
  fi
  case $section in
    stdout)
      if [[ $stdout_crlf -eq 1 ]]; then
        printf '%s\r\n' "$line" >>"$WORK/expect/stdout"
      else
        printf '%s\n' "$line" >>"$WORK/expect/stdout"
      fi
      ;;
    stderr) printf '%s\n' "$line" >>"$WORK/expect/stderr" ;;
    none) [[ -z $line ]] || parse_error "text after a one-line section: '$line'" ;;
    "")
      if [[ $line == "@file "* ]]; then
        file_name=${line#@file }
        [[ $file_name != */* && -n $file_name ]] || parse_error "@file takes a plain file name"
        : >"$WORK/run/$file_name"
        section="file"
      elif [[ $line == "\$ "* ]]; then
        commands+=("${line#\$ }")
      elif [[ $line == "# pg: skip"* ]]; then
        pg_skip=${line#"# pg: skip"}
        pg_skip=${pg_skip# }
        [[ -n $pg_skip ]] || parse_error "'# pg: skip' needs its reason"
      elif [[ -z $line || $line == "#"* ]]; then
        :
      else
        parse_error "unexpected line (commands start with '\$ ', sections with '>>> ')"
      fi
      ;;
  esac
done <"$CASE"
[[ $section != file ]] || parse_error "@file $file_name has no @end"
[[ ${#commands[@]} -gt 0 ]] || parse_error "no command"

# --- run -------------------------------------------------------------------------------------
cd "$WORK/run" || exit 2
export PATH="$WORK/bin:$PATH"
export SOQUY_DB=soquy.db
export TZ=UTC
export LC_ALL=C.UTF-8
export SOQUY_NOW=2026-11-28T09:00:00Z
unset SOQUY_USER SOQUY_LANG SOQUY_LOCALEDIR  # the defaults: no acting user named, Vietnamese
if [[ $pg -eq 1 ]]; then
  source "$RUNNER_DIR/../pg/golden_pg.sh"
fi

last=$((${#commands[@]} - 1))
for ((i = 0; i < last; ++i)); do
  if ! bash -o pipefail -c "${commands[$i]}" >"$WORK/setup.out" 2>&1; then
    echo "FAIL $CASE: setup command failed: \$ ${commands[$i]}" >&2
    [[ $pg -eq 0 ]] || pg_normalize "$WORK/setup.out"
    cat "$WORK/setup.out" >&2
    exit 1
  fi
done

db_state() {
  # The database file and its WAL, if any: a command that changed nothing leaves both alone.
  # On a server: a digest of every table's rows.
  if [[ $pg -eq 1 ]]; then pg_db_state; return; fi
  local f
  for f in "$SOQUY_DB" "$SOQUY_DB-wal"; do
    if [[ -e $f ]]; then sha256sum "$f"; else echo "absent $f"; fi
  done
}
before=""
[[ $db_unchanged -eq 0 ]] || before=$(db_state)
bash -o pipefail -c "${commands[$last]}" >"$WORK/actual.stdout" 2>"$WORK/actual.stderr"
actual_exit=$?
after=""
[[ $db_unchanged -eq 0 ]] || after=$(db_state)
[[ $pg -eq 0 ]] || pg_normalize "$WORK/actual.stdout" "$WORK/actual.stderr"

# --- compare ---------------------------------------------------------------------------------
failed=0
if [[ -n $stdout_head ]]; then
  head -n "$stdout_head" "$WORK/actual.stdout" >"$WORK/actual.stdout.head"
  mv "$WORK/actual.stdout.head" "$WORK/actual.stdout"
fi
if ! diff -u --label "expected stdout" --label "actual stdout" "$WORK/expect/stdout" "$WORK/actual.stdout"; then
  failed=1
fi
if ! diff -u --label "expected stderr" --label "actual stderr" "$WORK/expect/stderr" "$WORK/actual.stderr"; then
  failed=1
fi
if [[ $actual_exit -ne $expect_exit ]]; then
  echo "exit code: expected $expect_exit, got $actual_exit"
  failed=1
fi
if [[ $db_unchanged -eq 1 && $before != "$after" ]]; then
  echo "the database changed although the command must not write:"
  echo "before: $before"
  echo "after:  $after"
  failed=1
fi
if [[ $failed -ne 0 ]]; then
  echo "FAIL $(basename "$CASE"): \$ ${commands[$last]}"
  exit 1
fi
echo "ok $(basename "$CASE")"
