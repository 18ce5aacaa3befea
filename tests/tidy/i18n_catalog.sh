#!/usr/bin/env bash
# Every marked message has a Vietnamese translation (docs/i18n.md). Extracts the messages marked
# with tr(), trn() and N_() from ledger/, reports/, demo/ and cli/ (xgettext), merges them into
# a copy of po/vi.po (msgmerge) and fails when an entry is untranslated, fuzzy (a message changed
# in the source since it was translated) or obsolete (its message is gone from the source), or
# when msgfmt --check finds the catalog wrong (a placeholder or plural form missing).
# Usage: i18n_catalog.sh SOURCE_DIR
set -u
cd "$1" || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/soquy-i18n.XXXXXX")
trap 'rm -rf "$work"' EXIT

find ledger reports demo cli -name '*.cc' -o -name '*.cpp' -o -name '*.h' | LC_ALL=C sort >"$work/files"
# xgettext warns of every msgid that is not ASCII (Vietnamese words in English messages): its
# messages are shown only when it fails.
if ! xgettext --language=C++ --from-code=UTF-8 --keyword=tr --keyword=trc:1c,2 --keyword=trn:1,2 --keyword=N_ --package-name=soquy \
     --add-location=file --files-from="$work/files" -o "$work/soquy.pot" 2>"$work/xgettext.log"; then
  cat "$work/xgettext.log"
  exit 2
fi
msgmerge --quiet --previous -o "$work/vi.po" po/vi.po "$work/soquy.pot" || exit 2

status=0
report() {  # report WHAT FLAG: the entries msgattrib selects with FLAG, if any
  local found
  found=$(msgattrib $2 --no-wrap "$work/vi.po" 2>/dev/null | grep -E '^(#~ )?msgid ' | grep -v '^msgid ""$')
  if [ -n "$found" ]; then
    echo "po/vi.po: $1:"
    echo "$found"
    status=1
  fi
}
report "untranslated (add a msgstr)" --untranslated
report "fuzzy (the source changed: check the translation, then drop the fuzzy flag)" --only-fuzzy
report "obsolete (no longer in the source: remove it)" --only-obsolete
msgfmt --check --statistics -o /dev/null po/vi.po || status=1
exit $status
