// Fuzzes the VBSP imports (Vbsp::import_register, import_transactions, import_statement) through
// the public API: the input's first byte chooses the importer, the rest is written to a
// temporary CSV and imported into a database made once per process (a province, a commune, and a
// register of two loans so that collections and statements have loans to meet). A file it refuses
// leaves the books logically identical (fuzz_common.h).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "fuzz_common.h"
#include "soquy/ledger.h"
#include "soquy/registry.h"
#include "soquy/vbsp.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

soquy::Date day(int y, unsigned m, unsigned d) { return *soquy::Date::from_ymd(y, m, d); }

const std::string& db_path() {
  static const std::string path = (soquy_fuzz::temp_dir() / "vbsp.db").string();
  return path;
}

constexpr const char* kRegister =
    "loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,disbursed_on,amount,"
    "maturity_on\n"
    "6001000000000001,0841012,HV1,KH001,,Nguyễn Thị Hòa,01,2026-01-15,30000000,2029-01-15\n"
    "6001000000000002,0841012,HV2,KH002,,Đặng Thị Huệ,19,2026-02-01,20000000,2026-11-20\n";

soquy::Ledger& ledger() {
  static std::unique_ptr<soquy::Ledger> made = [] {
    using namespace soquy;
    auto l = Ledger::create(db_path(), "admin");
    require(static_cast<bool>(l));
    std::unique_ptr<Ledger> books = std::move(*l);
    Registry reg(*books);
    require(static_cast<bool>(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", day(2020, 1, 1)})));
    require(static_cast<bool>(reg.add_unit({"C1", "An Trường", UnitKind::kCommune, "P", day(2020, 1, 1)})));
    const auto seed = soquy_fuzz::write_input("register-seed.csv", reinterpret_cast<const std::uint8_t*>(kRegister),
                                              std::char_traits<char>::length(kRegister));
    VbspImportOptions options;
    options.unit = "C1";
    require(static_cast<bool>(Vbsp(*books).import_register(seed, options)));
    return books;
  }();
  return *made;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 256 * 1024) return 0;
  soquy::Ledger& books = ledger();
  auto path = soquy_fuzz::write_input("rows.csv", data + 1, size - 1);
  soquy_fuzz::refused_changes_nothing(db_path(), [&] {
    soquy::Vbsp vbsp(books);
    soquy::VbspImportOptions options;
    options.unit = "C1";
    switch (data[0] % 3) {
      case 0: return static_cast<bool>(vbsp.import_register(path, options));
      case 1: return static_cast<bool>(vbsp.import_transactions(path, options));
      default: return static_cast<bool>(vbsp.import_statement(path, day(2026, 1, 1), day(2026, 11, 30), options));
    }
  });
  return 0;
}
