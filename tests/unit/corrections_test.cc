// Tests of the corrections router (soquy/corrections.h) and of entry owners (schema 13): an entry
// a domain wrote is reversed only through its owner; the journal refuses it alone; a reason is
// required; a domain's correction is dated the original's date; files written before schema 13
// get their owners from the domain tables.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <memory>
#include <string>

#include "soquy/checks.h"
#include "soquy/corrections.h"
#include "soquy/ledger.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;
using test_support::TempDir;

class CorrectionsTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  void open() {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    Registry reg(*ledger_);
    const Date d = day(2020, 1, 1);
    ASSERT_TRUE(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
    ASSERT_TRUE(reg.add_unit({"C1", "An Trường", UnitKind::kCommune, "P", d}));
    MemberSpec s;
    s.id = "M1";
    s.name = "Nguyễn Thị Lan";
    s.national_id = "084185000001";
    s.unit = "C1";
    s.joined = d;
    ASSERT_TRUE(reg.add_member(s));
    LoanBook book(*ledger_);
    ASSERT_TRUE(book.deposit(Money(50'000'000), day(2025, 12, 1), "Vốn tỉnh cấp", "cap-1"));
    LoanProduct a;
    a.code = "A";
    a.rate = *Rate::parse("1%/month");
    a.installments = 12;
    ASSERT_TRUE(book.add_product(a));
    DisburseRequest r{"L1", "M1", "A", "", Money(10'000'000), day(2026, 1, 15), ""};
    ASSERT_TRUE(book.disburse(r));
    ASSERT_TRUE(book.repay("L1", Money(933'333), Money(0), day(2026, 2, 15), "R1"));
  }

  bool all_checks_pass() {
    auto r = run_checks(*ledger_, std::nullopt);
    return r && r->ok();
  }

  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(CorrectionsTest, DomainEntriesCarryTheirOwnerAndOthersNone) {
  auto disb = ledger_->entry("loan:L1:disburse");
  ASSERT_TRUE(disb);
  ASSERT_TRUE(disb->owner);
  EXPECT_EQ(*disb->owner, (EntryOwner{"loans", "L1"}));
  auto repay = ledger_->entry("loan:L1:R1");
  ASSERT_TRUE(repay && repay->owner);
  EXPECT_EQ(*repay->owner, (EntryOwner{"loans", "L1"}));
  auto deposit = ledger_->entry("cap-1");  // capital belongs to the fund, not to a loan
  ASSERT_TRUE(deposit);
  EXPECT_FALSE(deposit->owner);
}

TEST_F(CorrectionsTest, TheJournalAloneRefusesAnEntryWithAnOwner) {
  auto r = ledger_->reverse("loan:L1:R1", day(2026, 2, 15), "", "gõ nhầm");
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_NE(r.error().message().find("belongs to loans record L1"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("soquy reverse"), std::string::npos);
  EXPECT_TRUE(all_checks_pass());
}

TEST_F(CorrectionsTest, AReasonIsRequired) {
  auto r = reverse_entry(*ledger_, ReversalAsk{"cap-1", std::nullopt, "  ", ""});
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_EQ(r.error().field(), "reason");
}

TEST_F(CorrectionsTest, AnEntryWithoutOwnerIsReversedInTheJournalWithItsReason) {
  auto r = reverse_entry(*ledger_, ReversalAsk{"cap-1", day(2025, 12, 5), "nhập nhầm vốn", "sua-1"});
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->entries.size(), 1u);
  const Entry& rev = r->entries[0];
  EXPECT_EQ(rev.reverses, r->original.id);
  EXPECT_EQ(rev.date, day(2025, 12, 5));
  EXPECT_EQ(rev.memo, "Đảo bút toán #1 (reversal): Vốn tỉnh cấp — lý do (reason): nhập nhầm vốn");
  EXPECT_FALSE(rev.owner);
  // The same correction again, same id: nothing new.
  auto again = reverse_entry(*ledger_, ReversalAsk{"cap-1", day(2025, 12, 5), "nhập nhầm vốn", "sua-1"});
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->entries[0].id, rev.id);
  // Without --date, the reversal takes the original's date.
  EntryDraft d{"fund", day(2026, 1, 5), "Chi phí in sổ", "chi-1", {{"8511", Money(150'000)}, {"1011", Money(-150'000)}}, std::nullopt};
  auto posted = ledger_->post(d);
  ASSERT_TRUE(posted) << posted.error().message();
  auto undated = reverse_entry(*ledger_, ReversalAsk{"chi-1", std::nullopt, "trùng phiếu chi", ""});
  ASSERT_TRUE(undated) << undated.error().message();
  EXPECT_EQ(undated->entries[0].date, day(2026, 1, 5));
  EXPECT_TRUE(all_checks_pass());
}

TEST_F(CorrectionsTest, ADomainCorrectionIsDatedTheOriginalsDate) {
  auto r = reverse_entry(*ledger_, ReversalAsk{"loan:L1:R1", day(2026, 3, 1), "gõ nhầm", ""});
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_EQ(r.error().field(), "date");
  EXPECT_NE(r.error().message().find("2026-02-15"), std::string::npos) << r.error().message();
}

// Puts `path` back in the shape schema 12 left it in: no entry_owners table (and none of its
// triggers, its change-log ones included), nor what schema 14 added.
void make_schema_12(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec(test_support::kUndoSchema14);
  std::vector<std::string> triggers;
  SQLite::Statement q(db, "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'entry_owners'");
  while (q.executeStep()) triggers.push_back(q.getColumn(0).getString());
  for (const auto& t : triggers) db.exec("DROP TRIGGER " + t);
  db.exec("DROP TABLE entry_owners");
  db.exec("PRAGMA user_version = 12");
}

TEST(EntryOwnersMigration, AFileFromSchema12GetsItsOwnersFromTheDomainTables) {
  SOQUY_SQLITE_ONLY("rebuilds a schema-12 SQLite file to watch its migration");
  TempDir dir;
  const std::string path = dir.file("old.db");
  std::int64_t disb_id = 0, repay_id = 0;
  {
    auto l = Ledger::create(path, "admin");
    ASSERT_TRUE(l);
    Registry reg(**l);
    const Date d = day(2020, 1, 1);
    ASSERT_TRUE(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
    ASSERT_TRUE(reg.add_unit({"C1", "An Trường", UnitKind::kCommune, "P", d}));
    MemberSpec s;
    s.id = "M9";
    s.name = "Trần Thị Hoa";
    s.national_id = "084185000009";
    s.unit = "C1";
    s.joined = d;
    ASSERT_TRUE(reg.add_member(s));
    LoanBook book(**l);
    ASSERT_TRUE(book.deposit(Money(20'000'000), day(2025, 12, 1), "Vốn", "cap-1"));
    LoanProduct a;
    a.code = "A";
    a.rate = *Rate::parse("1%/month");
    a.installments = 6;
    ASSERT_TRUE(book.add_product(a));
    auto loan = book.disburse(DisburseRequest{"K7", "M9", "A", "", Money(6'000'000), day(2026, 1, 10), ""});
    ASSERT_TRUE(loan);
    disb_id = loan->entry_id;
    auto paid = book.repay("K7", Money(1'060'000), Money(0), day(2026, 2, 10), "P1");
    ASSERT_TRUE(paid);
    repay_id = paid->entry.id;
  }
  make_schema_12(path);
  auto l = Ledger::open(path);
  ASSERT_TRUE(l) << l.error().message();
  for (auto id : {disb_id, repay_id}) {
    auto e = (*l)->entry("#" + std::to_string(id));
    ASSERT_TRUE(e && e->owner) << id;
    EXPECT_EQ(*e->owner, (EntryOwner{"loans", "K7"}));
  }
  auto cap = (*l)->entry("cap-1");
  ASSERT_TRUE(cap);
  EXPECT_FALSE(cap->owner);
  auto checks = run_checks(**l, std::nullopt);
  ASSERT_TRUE(checks);
  EXPECT_TRUE(checks->ok());
}

}  // namespace
}  // namespace soquy
