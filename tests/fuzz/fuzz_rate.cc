// Fuzzes Rate::parse: a rate parses or is refused, never a crash (big numerators included).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "soquy/rate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rate = soquy::Rate::parse(text);
  if (rate) {
    (void)rate->per_month();
    (void)rate->per_year();
  }
  return 0;
}
