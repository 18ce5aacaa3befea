// The SQL migrations of schemas/, embedded at build time. Migration i (0-based) brings the
// database from PRAGMA user_version i to i + 1.
#pragma once

#include <string_view>
#include <vector>

namespace soquy {

struct Migration {
  std::string_view name;
  std::string_view sql;
};

const std::vector<Migration>& migrations();

}  // namespace soquy
