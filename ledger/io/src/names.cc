#include "soquy/names.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "ledger_internal.h"
#include "soquy/i18n.h"

namespace soquy {
namespace {

std::string collapse_spaces(const std::string& s) {
  std::string out;
  bool pending_space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// Decompose, drop combining marks, transliterate what is left to ASCII (đ → d), lower case.
const icu::Transliterator& folding() {
  static std::unique_ptr<icu::Transliterator> instance;
  static std::once_flag once;
  std::call_once(once, [] {
    UErrorCode status = U_ZERO_ERROR;
    instance.reset(icu::Transliterator::createInstance("NFD; [:Nonspacing Mark:] Remove; NFC; Latin-ASCII; Lower",
                                                       UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !instance) {
      throw SoquyException(Error::internal(fmt::format("ICU transliterator unavailable: {}", u_errorName(status))));
    }
  });
  return *instance;
}

Result<icu::UnicodeString> to_unicode(std::string_view utf8) {
  if (!detail::is_valid_utf8(utf8)) return fail(Error::bad_input(tr("the name is not valid UTF-8")));
  return icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
}

}  // namespace

Result<std::string> normalize_name(std::string_view utf8) {
  auto u = to_unicode(utf8);
  if (!u) return fail(u.error());
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw SoquyException(Error::internal("ICU NFC normaliser unavailable"));
  icu::UnicodeString normalized = nfc->normalize(*u, status);
  std::string out;
  normalized.toUTF8String(out);
  out = collapse_spaces(out);
  if (out.empty()) return fail(Error::bad_input(tr("the name is empty")));
  if (const long c = detail::first_control(out); c >= 0)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("the name contains a control character (U+{:04X})")), c)));
  return out;
}

Result<std::string> name_match_key(std::string_view utf8) {
  auto u = to_unicode(utf8);
  if (!u) return fail(u.error());
  icu::UnicodeString folded = *u;
  folding().transliterate(folded);
  std::string out;
  folded.toUTF8String(out);
  return collapse_spaces(out);
}

bool same_name(std::string_view a, std::string_view b) {
  auto ka = name_match_key(a), kb = name_match_key(b);
  return ka && kb && !ka->empty() && *ka == *kb;
}

}  // namespace soquy
