// Fuzzes the .xlsx reader: the input written to a temporary file, its sheets listed and read.
// A workbook that is no zip, or whose XML does not parse, is an Error, never a crash.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.h"
#include "soquy/xlsx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto path = soquy_fuzz::write_input("input.xlsx", data, size);
  (void)soquy::looks_like_zip(path);
  if (auto names = soquy::xlsx_sheet_names(path)) {
    for (const auto& name : *names) (void)soquy::read_xlsx_sheet(path, name);
  }
  if (auto sheet = soquy::read_xlsx_sheet(path)) {
    for (const auto& row : sheet->rows) (void)row;
  }
  return 0;
}
