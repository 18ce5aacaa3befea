// Fuzzes the registry's imports (Registry::import_csv) through the public API: the input's first
// byte chooses units, members or groups, the rest is written to a temporary CSV and imported into
// a database made once per process (a province, a commune with two branches, two members, a
// treasurer user). A file it refuses leaves the books logically identical (fuzz_common.h).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "fuzz_common.h"
#include "soquy/ledger.h"
#include "soquy/registry.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

const std::string& db_path() {
  static const std::string path = (soquy_fuzz::temp_dir() / "registry.db").string();
  return path;
}

soquy::Ledger& ledger() {
  static std::unique_ptr<soquy::Ledger> made = [] {
    using namespace soquy;
    auto l = Ledger::create(db_path(), "admin");
    require(static_cast<bool>(l));
    std::unique_ptr<Ledger> books = std::move(*l);
    require(static_cast<bool>(books->add_user("thuquy", Role::kTreasurer)));
    Registry reg(*books);
    const Date d = *Date::from_ymd(2020, 1, 1);
    require(static_cast<bool>(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d})));
    require(static_cast<bool>(reg.add_unit({"C1", "An Trường", UnitKind::kCommune, "P", d})));
    require(static_cast<bool>(reg.add_unit({"B1", "Chi hội ấp 1", UnitKind::kBranch, "C1", d})));
    require(static_cast<bool>(reg.add_unit({"B2", "Chi hội ấp 2", UnitKind::kBranch, "C1", d})));
    for (const auto& [id, nid] : {std::pair{"M1", "084185000001"}, std::pair{"M2", "084185000002"}}) {
      MemberSpec s;
      s.id = id;
      s.name = std::string("Nguyễn Thị ") + id;
      s.national_id = nid;
      s.unit = "B1";
      s.joined = d;
      require(static_cast<bool>(reg.add_member(s)));
    }
    return books;
  }();
  return *made;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 256 * 1024) return 0;
  soquy::Ledger& books = ledger();
  auto path = soquy_fuzz::write_input("rows.csv", data + 1, size - 1);
  static constexpr soquy::RegistryImportKind kKinds[] = {
      soquy::RegistryImportKind::kUnits, soquy::RegistryImportKind::kMembers, soquy::RegistryImportKind::kGroups};
  const auto kind = kKinds[data[0] % 3];
  soquy_fuzz::refused_changes_nothing(db_path(), [&] {
    soquy::Registry reg(books);
    return static_cast<bool>(reg.import_csv(kind, path));
  });
  return 0;
}
