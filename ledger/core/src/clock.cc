#include "soquy/clock.h"

#include <chrono>
#include <cstdlib>
#include <regex>

namespace soquy {

std::string now_timestamp() {
  // SOQUY_NOW is read and checked once per process.
  static const std::string pinned = [] {
    const char* env = std::getenv("SOQUY_NOW");
    static const std::regex kForm(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
    if (env && std::regex_match(env, kForm) && Date::parse_iso(std::string(env).substr(0, 10))) return std::string(env);
    return std::string();
  }();
  if (!pinned.empty()) return pinned;
  // Formatted once per second and thread: the change log stamps every row it writes, and a bulk
  // import writes hundreds of thousands in a few seconds.
  thread_local std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds> last{};
  thread_local std::string text;
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (text.empty() || now != last) {
    last = now;
    text = date::format("%Y-%m-%dT%H:%M:%SZ", now);
  }
  return text;
}

Date today() { return *Date::parse_iso(now_timestamp().substr(0, 10)); }

}  // namespace soquy
