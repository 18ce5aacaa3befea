#!/usr/bin/env bash
# `soquy` in a golden case run on PostgreSQL (run_golden.sh --pg; see tests/pg/golden_pg.sh).
# On a server the acting user is the database login and --user/SOQUY_USER are refused, so the
# case's identity becomes the login: `--user NAME` (before the command's name) or
# SOQUY_USER=NAME connects as login NAME; without them (or with SOQUY_USER empty) as the case's
# admin (init's --admin, else "admin", the name init gives the first user on SQLite). The case's
# database (`soquy.db`, from --db or SOQUY_DB) becomes the case's server database as that login;
# any other --db is passed on untouched.
#
# Set by golden_pg.sh: SOQUY_GOLDEN_PG_BIN (the binary under test), SOQUY_GOLDEN_PG_ADMIN,
# SOQUY_GOLDEN_PG_URI_AT (the case database's URI with "@LOGIN@" where the login goes).
set -u
login=${SOQUY_USER:-}
unset SOQUY_USER
db=${SOQUY_DB:-soquy.db}
args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --user) login=${2:-}; shift 2 || shift ;;
    --user=*) login=${1#--user=}; shift ;;
    --db) db=${2:-}; shift 2 || shift ;;
    --db=*) db=${1#--db=}; shift ;;
    --lang) args+=("$1" "${2:-}"); shift 2 || shift ;;
    -*) args+=("$1"); shift ;;
    *) break ;;  # the command's name: the rest is the command's own
  esac
done
[[ -n $login ]] || login=$SOQUY_GOLDEN_PG_ADMIN
if [[ $db == soquy.db || $db == ./soquy.db ]]; then db=${SOQUY_GOLDEN_PG_URI_AT//@LOGIN@/$login}; fi
export SOQUY_DB=$db
exec "$SOQUY_GOLDEN_PG_BIN" "${args[@]}" "$@"
