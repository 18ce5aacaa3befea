// Text checks shared by the library's targets (declared in ledger_internal.h).
#include <optional>

#include <fmt/format.h>

#include "ledger_internal.h"
#include "soquy/i18n.h"

namespace soquy {
namespace detail {

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += n;
  }
  return true;
}

namespace {

// What is wrong with a code, as the rest of a sentence whose subject is the code's name.
std::optional<std::string> code_problem(std::string_view value, bool allow_spaces) {
  if (value.empty()) return tr("is empty");
  if (!is_valid_utf8(value)) return tr("is not valid UTF-8");
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return fmt::format(fmt::runtime(tr("'{}' contains a control character")), value);
    if (c == ' ' && !allow_spaces) return fmt::format(fmt::runtime(tr("'{}' must not contain spaces")), value);
  }
  if (value.front() == ' ' || value.back() == ' ')
    return fmt::format(fmt::runtime(tr("'{}' has leading or trailing spaces")), value);
  return std::nullopt;
}

// `what` in the current language: callers mark it with N_("user name").
std::string translated(std::string_view what) { return tr(std::string(what).c_str()); }

}  // namespace

Result<void> check_code(std::string_view value, std::string_view what, bool allow_spaces) {
  if (auto p = code_problem(value, allow_spaces)) return fail(Error::bad_input(fmt::format("{} {}", translated(what), *p)));
  return {};
}

Result<void> check_code_field(std::string_view value, std::string field, bool allow_spaces) {
  if (auto p = code_problem(value, allow_spaces)) return fail(Error::bad_input(*p).of_field(std::move(field)));
  return {};
}

long first_control(std::string_view s, std::string_view allowed) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 || c == 0x7f) && allowed.find(static_cast<char>(c)) == std::string_view::npos) return c;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0)
      return static_cast<unsigned char>(s[i + 1]);  // U+0080–U+009F
  }
  return -1;
}

Result<void> check_free_text(std::string_view value, std::string_view what) {
  if (!is_valid_utf8(value)) return fail(Error::bad_input(fmt::format(
      fmt::runtime(tr("{} is not valid UTF-8")), translated(what))));
  if (const long c = first_control(value, "\t"); c >= 0)
    return fail(Error::bad_input(
        fmt::format(
            fmt::runtime(tr("{} contains a control character (U+{:04X}); write it as plain text")), translated(what), c)));
  return {};
}

}  // namespace detail

}  // namespace soquy
