// Fuzzes `import loans`, `import repayments` (loan_import.h), `collection-sheet record`
// (loan_files.h) and the savings meeting sheet's reader (savings.h) through the public API: the
// input's first byte chooses which, the rest is written to a temporary CSV and imported
// into a database made once per process (a province, a commune, a credit group, two members,
// capital and product A at 1 %/month over 12 months, as tests/unit/loan_import_test.cc). A file
// it refuses leaves the books logically identical.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "fuzz_common.h"
#include "soquy/ledger.h"
#include "soquy/loan_files.h"
#include "soquy/loan_import.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "soquy/savings.h"

namespace {

soquy::Date day(int y, unsigned m, unsigned d) { return *soquy::Date::from_ymd(y, m, d); }

void require(bool ok) {
  if (!ok) std::abort();
}

const std::string& db_path() {
  static const std::string path = (soquy_fuzz::temp_dir() / "loans.db").string();
  return path;
}

soquy::Ledger& ledger() {
  static std::unique_ptr<soquy::Ledger> made = [] {
    using namespace soquy;
    auto l = Ledger::create(db_path(), "admin");
    require(static_cast<bool>(l));
    std::unique_ptr<Ledger> books = std::move(*l);
    Registry reg(*books);
    const Date d = day(2020, 1, 1);
    require(static_cast<bool>(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d})));
    require(static_cast<bool>(reg.add_unit({"C1", "An Trường", UnitKind::kCommune, "P", d})));
    require(static_cast<bool>(reg.add_group({"G1", "Tổ 1", GroupKind::kCredit, "C1", "", d})));
    for (const auto& [id, nid] : {std::pair{"M1", "084185000001"}, std::pair{"M2", "084185000002"}}) {
      MemberSpec s;
      s.id = id;
      s.name = std::string("Nguyễn Thị ") + id;
      s.national_id = nid;
      s.unit = "C1";
      s.group = "G1";
      s.joined = d;
      require(static_cast<bool>(reg.add_member(s)));
    }
    LoanBook loans(*books);
    require(static_cast<bool>(loans.deposit(Money(1'000'000'000), day(2025, 12, 1), "Vốn", "cap-1")));
    LoanProduct a;
    a.code = "A";
    a.rate = *Rate::parse("1%/month");
    a.installments = 12;
    require(static_cast<bool>(loans.add_product(a)));
    return books;
  }();
  return *made;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 256 * 1024) return 0;
  soquy::Ledger& books = ledger();
  auto path = soquy_fuzz::write_input("rows.csv", data + 1, size - 1);
  // A refused file leaves the books (journal, loans, events) logically identical (fuzz_common.h).
  soquy_fuzz::refused_changes_nothing(db_path(), [&] {
    switch (data[0] % 4) {
      case 0: return static_cast<bool>(soquy::import_loans(books, path));
      case 1: return static_cast<bool>(soquy::import_repayments(books, path));
      case 2: {  // a meeting's collection sheet of group G1
        soquy::LoanBook loans(books);
        return static_cast<bool>(soquy::record_collection_file(loans, "G1", day(2026, 3, 15), path));
      }
      default:  // a savings group's meeting sheet (the reader: it writes nothing)
        return static_cast<bool>(soquy::read_meeting_sheet(path)) && false;
    }
  });
  return 0;
}
