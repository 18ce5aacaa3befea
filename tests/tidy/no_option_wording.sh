#!/usr/bin/env bash
# The library never writes a command-line option's spelling (soquy/error.h, conventions item 15):
# an error names its input in Error::field and the edge words it. This fails when a string
# literal in ledger/, demo/ or reports/ begins with an option ("--amount…"), other than the
# lines listed in ALLOWED — a list that may only shrink (conventions item 14).
# Usage: no_option_wording.sh SOURCE_DIR
set -u
cd "$1" || exit 2
ALLOWED=(
  # Usage errors about how options combine, worded for the command line (rosca open; through tr()).
  'ledger/domains/groups/src/rosca.cc:                                           "--winner, --bid or --bids")),'
  'ledger/domains/groups/src/rosca.cc:    if (spec.winner.empty() || !spec.bid) return fail(Error::usage(tr("--winner and --bid go together")));'
)
# Comments may show how an edge words an error.
found=$(grep -rnE '"--[a-z]' ledger demo reports --include='*.cc' --include='*.h' | grep -vE '^[^:]+:[0-9]+:\s*//' |
        sed -E 's/:[0-9]+:/:/')
status=0
while IFS= read -r hit; do
  [ -z "$hit" ] && continue
  ok=0
  for a in "${ALLOWED[@]}"; do [ "$hit" = "$a" ] && ok=1; done
  if [ $ok = 0 ]; then
    echo "option wording in the library: $hit"
    status=1
  fi
done <<< "$found"
exit $status
