#!/usr/bin/env bash
# Brings po/vi.po up to date with the messages marked in the source (docs/i18n.md): xgettext
# over ledger/ reports/ demo/ cli/ with soquy's keywords (tr, trc, trn, N_), then msgmerge. New
# messages arrive untranslated, changed ones fuzzy; tidy.i18n_catalog fails until they are done.
# Usage: scripts/update_po.sh   (from anywhere in the repository)
set -euo pipefail
cd "$(dirname "$0")/.."
pot=$(mktemp "${TMPDIR:-/tmp}/soquy.XXXXXX.pot")
trap 'rm -f "$pot"' EXIT
find ledger reports demo cli -name '*.cc' -o -name '*.cpp' -o -name '*.h' | LC_ALL=C sort |
  xgettext --language=C++ --from-code=UTF-8 --keyword=tr --keyword=trc:1c,2 --keyword=trn:1,2 --keyword=N_ --package-name=soquy \
    --add-location=file --files-from=- -o "$pot" 2>/dev/null
msgmerge --quiet --update --backup=none --previous --add-location=file po/vi.po "$pot"
msgfmt --check --statistics -o /dev/null po/vi.po
