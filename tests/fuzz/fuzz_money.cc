// Fuzzes parse_money: an amount parses or is refused; a parsed amount prints back to itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "soquy/money.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto money = soquy::parse_money(text);
  if (money) {
    auto again = soquy::parse_money(money->to_plain_string());
    if (!again || *again != *money) __builtin_trap();  // the plain form reads back the same
    (void)money->to_grouped_string();
  }
  return 0;
}
