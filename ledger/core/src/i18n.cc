#include "soquy/i18n.h"

#include <libintl.h>

#include <atomic>
#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>

namespace soquy {

namespace {

constexpr const char* kDomain = "soquy";

std::atomic<Language> current{Language::kVi};
std::once_flag bound;
std::mutex dir_mutex;
std::string chosen_dir;  // guarded by dir_mutex

bool holds_catalog(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::exists(dir / "vi" / "LC_MESSAGES" / "soquy.mo", ec);
}

// $SOQUY_LOCALEDIR, else beside the running program (build tree), else its prefix's share/locale.
std::string find_catalog_dir() {
  if (const char* env = std::getenv("SOQUY_LOCALEDIR"); env && *env) return env;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  for (const auto& dir : {exe.parent_path() / "locale", exe.parent_path().parent_path() / "share" / "locale"})
    if (holds_catalog(dir)) return dir.string();
  return "";
}

// glibc's gettext ignores LANGUAGE when LC_MESSAGES is the "C" locale, but not under C.UTF-8,
// which glibc always has (built in since 2.35; Debian ships it before that). The user's own
// locale is never consulted: the catalog is chosen by LANGUAGE alone.
void select_vietnamese_catalog() {
  if (!std::setlocale(LC_MESSAGES, "C.UTF-8")) std::setlocale(LC_MESSAGES, "C.utf8");
  ::setenv("LANGUAGE", "vi", 1);
}

void bind(const std::string& dir) {
  select_vietnamese_catalog();
  if (!dir.empty()) ::bindtextdomain(kDomain, dir.c_str());
  ::bind_textdomain_codeset(kDomain, "UTF-8");
  // The system's own messages (strerror: "Lỗi vào/ra") come in Vietnamese too once LANGUAGE is
  // vi; without this glibc would convert them to the "C" locale's ASCII ("L?i v?o/ra").
  ::bind_textdomain_codeset("libc", "UTF-8");
}

void bind_once() {
  std::call_once(bound, [] {
    std::lock_guard lock(dir_mutex);
    if (chosen_dir.empty()) chosen_dir = find_catalog_dir();
    bind(chosen_dir);
  });
}

}  // namespace

std::optional<Language> parse_language(std::string_view code) {
  if (code == "vi") return Language::kVi;
  if (code == "en") return Language::kEn;
  return std::nullopt;
}

const char* language_code(Language language) { return language == Language::kEn ? "en" : "vi"; }

void set_language(Language language) { current = language; }

Language language() { return current; }

void set_catalog_dir(std::string dir) {
  bind_once();
  std::lock_guard lock(dir_mutex);
  chosen_dir = std::move(dir);
  bind(chosen_dir);
}

std::string catalog_dir() {
  bind_once();
  std::lock_guard lock(dir_mutex);
  return chosen_dir;
}

// English is the language of the source: its messages are the msgids themselves.
const char* tr(const char* msgid) {
  if (current == Language::kEn) return msgid;
  bind_once();
  return ::dgettext(kDomain, msgid);
}

const char* trc(const char* context, const char* msgid) {
  if (current == Language::kEn) return msgid;
  bind_once();
  const std::string key = std::string(context) + '\004' + msgid;  // how msgfmt stores a msgctxt
  const char* found = ::dgettext(kDomain, key.c_str());
  return found == key.c_str() ? msgid : found;
}

const char* trn(const char* singular, const char* plural, unsigned long n) {
  if (current == Language::kEn) return n == 1 ? singular : plural;
  bind_once();
  return ::dngettext(kDomain, singular, plural, n);
}

}  // namespace soquy
