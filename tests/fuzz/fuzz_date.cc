// Fuzzes Date::parse_iso and Date::parse_any (YYYY-MM-DD and the Vietnamese DD/MM/YYYY): a
// parsed ISO date prints back to the same text; any date prints and reads back to itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "soquy/civil_date.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto iso = soquy::Date::parse_iso(text);
  if (iso) {
    auto again = soquy::Date::parse_iso(iso->to_iso());
    if (!again || !(*again == *iso)) __builtin_trap();
  }
  auto any = soquy::Date::parse_any(text);
  if (any) {
    (void)any->to_vietnamese();
    auto again = soquy::Date::parse_any(any->to_iso());
    if (!again || !(*again == *any)) __builtin_trap();
  }
  return 0;
}
