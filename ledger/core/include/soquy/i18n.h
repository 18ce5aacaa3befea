// soquy — the language of everything a person reads (docs/i18n.md).
//
// Messages are written in English in the source and translated through GNU gettext catalogs
// (po/vi.po, built into soquy.mo of the text domain "soquy"). Vietnamese is the default: a
// program that never calls set_language() speaks Vietnamese. The system locale is never
// consulted (servers run in C.UTF-8 and officers' machines are often English): the CLI picks the
// language from --lang, else $SOQUY_LANG, else Vietnamese, and says so with set_language().
//
// What is translated: human text only — error messages, help, warnings, table and HTML labels.
// JSON keys and enumeration codes never go through tr(): they are the same in every language.
//
// Marking: tr("…") translates now; trc("context", "…") translates a label whose Vietnamese
// depends on the report it is in; N_("…") only marks a literal for extraction (a table of
// messages translated later with tr(variable)); trn(singular, plural, n) picks a plural form.
// A message used as a fmt format string goes through fmt::runtime(tr("… {} …")).
//
// When no catalog is found the messages are English (gettext returns the msgid): never an error.
#pragma once

#include <optional>
#include <string>
#include <string_view>

// Marks a literal for xgettext without translating it (the keyword list is in po/CMakeLists.txt).
#define N_(text) text

namespace soquy {

enum class Language { kVi, kEn };

// "vi" → kVi, "en" → kEn, anything else → nothing.
std::optional<Language> parse_language(std::string_view code);
// "vi" or "en".
const char* language_code(Language language);

// The language of every later tr(); kVi until set. Not thread-safe against concurrent tr():
// call it once, before the work starts (the CLI does so before it declares its options).
void set_language(Language language);
Language language();

// Where the catalogs are (a directory holding vi/LC_MESSAGES/soquy.mo). When never set, the
// first of: $SOQUY_LOCALEDIR, <directory of the running program>/locale (the build tree),
// <that directory>/../share/locale (an installed prefix). Call before the first tr().
void set_catalog_dir(std::string dir);
// The directory in use ("" when none of the above holds a catalog).
std::string catalog_dir();

// `msgid` in the current language. The pointer is into the catalog or is `msgid` itself, valid
// for the life of the program when `msgid` is a literal.
const char* tr(const char* msgid);
// `msgid` as it reads in `context` (gettext's msgctxt): the same English label is translated
// differently where it means something else ("Received" is "Thực thu" on a collection sheet,
// "Đã hốt" in a hụi book). Falls back to `msgid` like tr().
const char* trc(const char* context, const char* msgid);
// The plural form for `n` of (singular, plural) in the current language.
const char* trn(const char* singular, const char* plural, unsigned long n);

}  // namespace soquy
