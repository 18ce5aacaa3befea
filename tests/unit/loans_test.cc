// Tests of the LoanBook: products, capital, disbursement rules (member limit, fund cash,
// group), repayments and their postings, payoff, write-off and recovery, extension,
// rescheduling, freezing, collection sheets, provisions, and positions as of past dates.
// Expected figures are worked out by hand from ../shared/vectors/loans.md (schedule A:
// 10,000,000 đồng at 1 %/month flat over 12 months, 833,333 principal + 100,000 interest per
// instalment, the last 833,337 principal) and from the rules in the issue.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "soquy/charts.h"
#include "soquy/ledger.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;
using test_support::TempDir;

Money vnd(std::int64_t v) { return Money(v); }

class LoanBookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = Ledger::create(dir_.file("soquy.db"), "admin");
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    reg_ = std::make_unique<Registry>(*ledger_);
    book_ = std::make_unique<LoanBook>(*ledger_);
    const Date d = day(2020, 1, 1);
    ASSERT_TRUE(reg_->add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
    ASSERT_TRUE(reg_->add_unit({"C1", "An Trường", UnitKind::kCommune, "P", d}));
    ASSERT_TRUE(reg_->add_group({"G1", "Tổ 1", GroupKind::kCredit, "C1", "", d}));
    ASSERT_TRUE(reg_->add_group({"G2", "Tổ 2", GroupKind::kCredit, "C1", "", d}));
    add_member("M1", "084185000001", "G1");
    add_member("M2", "084185000002", "G1");
    add_member("M3", "084185000003", "G2");
    ASSERT_TRUE(book_->deposit(vnd(200'000'000), day(2025, 12, 1), "Vốn tỉnh cấp", "cap-1"));
    LoanProduct a;
    a.code = "A";
    a.method = RepaymentMethod::kFlat;
    a.rate = *Rate::parse("1%/month");
    a.installments = 12;
    auto added = book_->add_product(a);
    ASSERT_TRUE(added) << added.error().message();
  }
  void add_member(const std::string& id, const std::string& nid, const std::string& group) {
    MemberSpec s;
    s.id = id;
    s.name = "Nguyễn Thị " + id;
    s.national_id = nid;
    s.unit = "C1";
    s.group = group;
    s.joined = day(2020, 1, 1);
    auto m = reg_->add_member(s);
    ASSERT_TRUE(m) << m.error().message();
  }
  Result<Loan> disburse(const std::string& code, const std::string& member, std::int64_t amount, Date on,
                        const std::string& product = "A", const std::string& group = "G1") {
    return book_->disburse({code, member, product, group, vnd(amount), on, ""});
  }
  Money balance(std::string_view account, Date on = day(2030, 1, 1)) {
    auto b = ledger_->balance("fund", std::string(account), on);
    EXPECT_TRUE(b) << b.error().message();
    return b ? *b : Money(0);
  }

  TempDir dir_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Registry> reg_;
  std::unique_ptr<LoanBook> book_;
};

namespace fund = charts::fund;

TEST_F(LoanBookTest, OverdueVectorThroughTheBook) {
  auto loan = disburse("L1", "M1", 10'000'000, day(2026, 1, 15));
  ASSERT_TRUE(loan) << loan.error().message();
  ASSERT_EQ(loan->schedule.installments.size(), 12u);
  EXPECT_EQ(loan->schedule.installments[11].principal, vnd(833'337));
  ASSERT_TRUE(book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1"));
  auto second = book_->repay("L1", vnd(500'000), vnd(0), day(2026, 3, 20), "R2");
  ASSERT_TRUE(second) << second.error().message();
  // The 500,000 pays instalment 2's interest first, then 400,000 of its principal.
  EXPECT_EQ(second->event.interest, vnd(100'000));
  EXPECT_EQ(second->event.principal, vnd(400'000));
  auto s = book_->snapshot("L1", day(2026, 4, 30));
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->position.overdue_principal, vnd(1'266'666));
  EXPECT_EQ(s->position.overdue_interest, vnd(100'000));
  EXPECT_EQ(s->position.days_past_due, 46);
  EXPECT_EQ(s->position.outstanding_principal, vnd(8'766'667));
  EXPECT_EQ(aging_bucket(s->position.days_past_due), "31-60");
  EXPECT_EQ(loan_class(s->position.days_past_due).code, "G3");
  // Postings: cash 200M − 10M + 933,333 + 500,000; loans 10M − 833,333 − 400,000.
  EXPECT_EQ(balance(fund::kCash), vnd(200'000'000 - 10'000'000 + 933'333 + 500'000));
  EXPECT_EQ(balance(fund::kLoans), vnd(8'766'667));
  EXPECT_EQ(balance(fund::kInterestIncome), vnd(-200'000));
  EXPECT_TRUE(ledger_->check().ok());
}

}  // namespace
}  // namespace soquy
