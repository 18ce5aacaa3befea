// The bulk path of `vbsp import-register` (issue 16): one import of a few thousand generated
// loans writes exactly what importing them one row at a time writes — the same rows in every
// table (loans, members, groups, memberships, journal entries with their hashes, balances; the
// change log's changes, in their own order) — and `soquy check` passes on both.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "soquy/checks.h"
#include "soquy/civil_date.h"
#include "soquy/clock.h"
#include "soquy/ledger.h"
#include "soquy/registry.h"
#include "soquy/vbsp.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::TempDir;
using test_support::write_file;

constexpr const char* kNow = "2026-12-01T08:00:00Z";
constexpr const char* kHeader =
    "loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,disbursed_on,amount,maturity_on\n";

struct RegisterLine {
  Date disbursed;
  std::size_t line;
  std::string text;
};

// n loans in groups of 25, every 25th a member's second loan, a national id on every 4th,
// disbursed over 400 days out of file order (so the import's order by date matters).
std::vector<RegisterLine> register_lines(int n) {
  std::vector<RegisterLine> out;
  const std::vector<std::string> names = {"Nguyễn Thị Hòa", "Trần Thị Lan", "Lê Ngọc Mai", "Phạm Kim Huệ"};
  for (int i = 0; i < n; ++i) {
    const int m = i % 25 == 11 ? i - 1 : i;
    const Date disbursed = day(2024, 1, 1).add_days((i * 37) % 400);
    const Date second = day(2024, 1, 1).add_days(((i - 1) * 37) % 400);
    // A member's second loan comes after her first.
    const Date on = i % 25 == 11 && disbursed <= second ? second.add_days(1) : disbursed;
    out.push_back({on, static_cast<std::size_t>(i + 2),
                   fmt::format("6001{:011}7,08{:05},HV{:07},KH{:08},{},{},{},{},{},{}\n", i, i / 25, m, m,
                               m % 4 == 0 ? fmt::format("0841{:08}", m) : "", names[static_cast<std::size_t>(m % 4)],
                               i % 3 == 0 ? "19" : "01", on.to_iso(), (20 + (i * 13) % 81) * 1'000'000,
                               on.add_days(1095).to_iso())});
  }
  return out;
}

std::unique_ptr<Ledger> new_book(test_support::TestDb& db) {
  auto l = db.create();
  EXPECT_TRUE(l) << l.error().message();
  Registry reg(**l);
  EXPECT_TRUE(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", day(2020, 1, 1)}));
  EXPECT_TRUE(reg.add_unit({"C1", "Long Đức", UnitKind::kCommune, "P", day(2020, 1, 1)}));
  return std::move(*l);
}

// Every row of every table, in stored order (on the server, which has no stored order, in the
// order of its columns), one line each. The server's schema_version holds when each database was
// made, not what is in it.
std::string dump(const test_support::TestDb& db) {
  const auto tables = db.rows(db.server() ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND "
                                            "tablename <> 'schema_version' ORDER BY 1"
                                          : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  std::string out;
  for (const auto& table : tables) {
    // The change log holds the same changes, but in another order: the bulk import writes the
    // file's groups, then its members, then its loans; one row at a time writes a loan's group,
    // member and loan together. So its rows are compared per table and record, without their
    // sequence numbers and chain hashes (`check` verifies each database's chain).
    const std::string sql = table == "change_log"
                                ? std::string("SELECT recorded_at, \"user\", tbl, record, action, content FROM change_log "
                                              "ORDER BY tbl, record, seq")
                                : fmt::format("SELECT * FROM \"{}\"{}", table, db.server() ? " t ORDER BY t::text" : "");
    for (const auto& row : db.rows(sql)) out += table + "|" + row + "\n";
  }
  return out;
}

TEST(VbspBulk, RegisterImportEqualsOneRowAtATime) {
  // One record time for both databases: every entry's hash and every change-log row depend on it.
  setenv("SOQUY_NOW", kNow, 1);
  if (now_timestamp() != kNow) GTEST_SKIP() << "the clock was read before this test: run it alone (as ctest does)";
  constexpr int kLoans = 3000;
  TempDir dir;
  auto lines = register_lines(kLoans);
  std::string whole = kHeader;
  for (const auto& l : lines) whole += l.text;
  const auto whole_path = dir.file("register.csv");
  write_file(whole_path, whole);
  VbspImportOptions options;
  options.unit = "C1";

  test_support::TestDb bulk_db("bulk.db"), rows_db("rows.db");
  {
    auto ledger = new_book(bulk_db);
    Vbsp vbsp(*ledger);
    auto r = vbsp.import_register(whole_path, options);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->created, kLoans);
    EXPECT_EQ(r->groups_created, (kLoans + 24) / 25);
    EXPECT_EQ(r->members_created, kLoans - kLoans / 25);
    auto check = run_checks(*ledger);
    ASSERT_TRUE(check) << check.error().message();
    for (const auto& c : check->checks) EXPECT_TRUE(c.ok()) << c.name;
    EXPECT_TRUE(check->ok());
  }
  {
    // The rows in the order the import takes them (by date, then line), one file each.
    std::stable_sort(lines.begin(), lines.end(), [](const RegisterLine& a, const RegisterLine& b) {
      return a.disbursed < b.disbursed || (a.disbursed == b.disbursed && a.line < b.line);
    });
    auto ledger = new_book(rows_db);
    Vbsp vbsp(*ledger);
    const auto one = dir.file("one.csv");
    for (const auto& l : lines) {
      write_file(one, kHeader + l.text);
      auto r = vbsp.import_register(one, options);
      ASSERT_TRUE(r) << r.error().message();
      ASSERT_EQ(r->created, 1);
    }
    auto check = run_checks(*ledger);
    ASSERT_TRUE(check) << check.error().message();
    EXPECT_TRUE(check->ok());
    // Importing the whole file again changes nothing: every loan is already there, the same.
    auto again = vbsp.import_register(whole_path, options);
    ASSERT_TRUE(again) << again.error().message();
    EXPECT_EQ(again->existing, kLoans);
    EXPECT_EQ(again->created, 0);
  }
  const auto a = dump(bulk_db), b = dump(rows_db);
  EXPECT_GT(a.size(), 1'000'000u);
  EXPECT_TRUE(a == b) << "the databases differ";
  if (a != b) {
    std::size_t at = 0;
    while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
    const auto from = a.rfind('\n', at) == std::string::npos ? 0 : a.rfind('\n', at) + 1;
    ADD_FAILURE() << "first difference:\n bulk: " << a.substr(from, a.find('\n', at) - from)
                  << "\n rows: " << b.substr(from, b.find('\n', at) - from);
  }
}

}  // namespace
}  // namespace soquy
