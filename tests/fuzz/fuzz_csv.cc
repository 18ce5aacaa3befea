// Fuzzes read_csv_text: any bytes either give records or an Error, never a crash, a hang or a leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "soquy/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t fields = 0;
  auto result = soquy::read_csv_text(text, "fuzz.csv", [&](soquy::CsvRecord& record) -> soquy::Result<void> {
    fields += record.fields.size();
    if (record.line == 0) __builtin_trap();  // lines are 1-based
    return {};
  });
  (void)result;
  return 0;
}
