#include "soquy/clock.h"

#include <chrono>
#include <cstdlib>
#include <regex>

namespace soquy {

std::string now_timestamp() {
  if (const char* pinned = std::getenv("SOQUY_NOW")) {
    static const std::regex kForm(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
    if (std::regex_match(pinned, kForm) && Date::parse_iso(std::string(pinned).substr(0, 10))) return pinned;
  }
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return date::format("%Y-%m-%dT%H:%M:%SZ", now);
}

Date today() { return *Date::parse_iso(now_timestamp().substr(0, 10)); }

}  // namespace soquy
