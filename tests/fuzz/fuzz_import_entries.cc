// Fuzzes `import entries` (Ledger::import_entries) through the public API: the input written to
// a temporary CSV and imported into a database made once per process. Whatever the rows, the
// import applies or refuses them whole: a refused file leaves the journal's and the change log's
// chain tips exactly as they were.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "fuzz_common.h"
#include "soquy/ledger.h"

namespace {

const std::string& db_path() {
  static const std::string path = (soquy_fuzz::temp_dir() / "fuzz.db").string();
  return path;
}

soquy::Ledger& ledger() {
  static std::unique_ptr<soquy::Ledger> made = [] {
    auto l = soquy::Ledger::create(db_path(), "admin");
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
  // A refused file leaves the books logically identical (fuzz_common.h).
  soquy_fuzz::refused_changes_nothing(db_path(), [&] { return static_cast<bool>(books.import_entries(path)); });
  return 0;
}
