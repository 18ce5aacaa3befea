// Tests of the demo's loan portfolio (demo_loans.h), read back with plain SQL rather than through
// LoanBook, so the figures are checked independently of the code that computes positions:
// - account 2111 (postings summed in SQL) equals what the loan rows say is owed: principal
//   disbursed − principal repaid, paid off and written off (loan_events);
// - the fund's cash is never below zero on any day (account_balances);
// - every loan's events are in date order, and every money event has its entry;
// - the portfolio has what the header promises: about 2,300 loans of four products, arrears of
//   every kind, write-offs, recoveries, two loans frozen, one extended, one rescheduled, penalty
//   income, a provision run at each month end;
// - the provision held at the last month end is what the classes require (a second run the
//   same day posts nothing), and `soquy check` passes.
#include <gtest/gtest.h>


#include <memory>
#include <string>

#include "soquy/demo_loans.h"
#include "soquy/demo_registry.h"
#include "soquy/ledger.h"
#include "soquy/loans.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;

class DemoLoansTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (test_support::on_server()) return;  // SetUp says why
    db_ = new test_support::TestDb("demo.db");
    auto l = db_->create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = l->release();
    ASSERT_TRUE(build_registry_demo(*ledger_));
    auto s = build_loans_demo(*ledger_);
    ASSERT_TRUE(s) << s.error().message();
    summary_ = new LoanDemoSummary(*s);
  }
  void SetUp() override {
    SOQUY_SQLITE_ONLY("building the loans demo takes over 5 minutes on the loaded server; pg.copy builds it on "
                      "SQLite, copies it to the server and compares every report");
  }
  static void TearDownTestSuite() {
    delete summary_;
    delete ledger_;
    delete db_;
  }
  static std::int64_t sql(const std::string& query) {
    return db_->scalar(query);
  }

  static test_support::TestDb* db_;
  static Ledger* ledger_;
  static LoanDemoSummary* summary_;
};

test_support::TestDb* DemoLoansTest::db_ = nullptr;
Ledger* DemoLoansTest::ledger_ = nullptr;
LoanDemoSummary* DemoLoansTest::summary_ = nullptr;

constexpr const char* kAccountSum =
    "SELECT coalesce(sum(p.amount), 0) FROM postings p JOIN accounts a ON a.id = p.account_id "
    "JOIN books b ON b.id = a.book_id WHERE b.code = 'fund' AND a.code = ";

TEST_F(DemoLoansTest, LoansAccountEqualsWhatTheLoansOwe) {
  const std::int64_t disbursed = sql("SELECT sum(principal) FROM loans");
  const std::int64_t repaid =
      sql("SELECT coalesce(sum(principal), 0) FROM loan_events WHERE kind IN ('repay', 'payoff', 'writeoff')");
  EXPECT_EQ(sql(std::string(kAccountSum) + "'2111'"), disbursed - repaid);
  EXPECT_EQ(disbursed, summary_->disbursed.minor_units());
  EXPECT_EQ(sql("SELECT count(*) FROM loans"), summary_->loans);
  // Repayments split exactly: principal + interest + penalty + overpayment = amount.
  EXPECT_EQ(sql("SELECT count(*) FROM loan_events WHERE kind IN ('repay', 'payoff') AND "
                "principal + interest + penalty + overpayment != amount"),
            0);
  // Income and savings accounts equal the events' columns.
  EXPECT_EQ(-sql(std::string(kAccountSum) + "'7021'"),
            sql("SELECT sum(interest) FROM loan_events WHERE kind IN ('repay', 'payoff')"));
  EXPECT_EQ(-sql(std::string(kAccountSum) + "'7022'"),
            sql("SELECT sum(penalty) FROM loan_events WHERE kind IN ('repay', 'payoff')"));
  EXPECT_EQ(-sql(std::string(kAccountSum) + "'4231'"), sql("SELECT sum(savings) FROM loan_events"));
  EXPECT_EQ(-sql(std::string(kAccountSum) + "'7900'"),
            sql("SELECT coalesce(sum(amount), 0) FROM loan_events WHERE kind = 'recover'"));
  EXPECT_EQ(-sql(std::string(kAccountSum) + "'6011'"), summary_->capital.minor_units());
}

TEST_F(DemoLoansTest, CashNeverNegativeAndEventsInDateOrder) {
  EXPECT_GE(sql("SELECT min(ab.balance) FROM account_balances ab JOIN accounts a ON a.id = ab.account_id "
                "JOIN books b ON b.id = a.book_id WHERE b.code = 'fund' AND a.code = '1011'"),
            0);
  EXPECT_EQ(sql("SELECT count(*) FROM loan_events e JOIN loan_events f ON f.loan_id = e.loan_id AND f.id > e.id "
                "AND f.on_date < e.on_date"),
            0);
  EXPECT_EQ(sql("SELECT count(*) FROM loan_events l JOIN loans n ON n.id = l.loan_id WHERE l.on_date < n.disbursed_on"),
            0);
  EXPECT_EQ(sql("SELECT count(*) FROM loan_events WHERE kind IN ('repay', 'payoff', 'writeoff', 'recover') AND "
                "entry_id IS NULL"),
            0);
  EXPECT_EQ(sql("SELECT count(*) FROM loan_events WHERE on_date > '2026-11-27' OR on_date < '2025-01-03'"), 0);
}

TEST_F(DemoLoansTest, ThePortfolioHasWhatTheHeaderPromises) {
  EXPECT_GE(summary_->loans, 2000);
  EXPECT_LE(summary_->loans, 3000);
  EXPECT_EQ(summary_->products, 4);
  EXPECT_EQ(sql("SELECT count(DISTINCT product_id) FROM loans"), 4);
  EXPECT_EQ(sql("SELECT count(*) FROM loan_events WHERE kind = 'repay'"), summary_->repayments);
  EXPECT_EQ(sql("SELECT count(*) FROM loan_events WHERE kind = 'payoff'"), summary_->payoffs);
  EXPECT_EQ(sql("SELECT count(*) FROM loan_events WHERE kind = 'writeoff'"), summary_->writeoffs);
  EXPECT_EQ(sql("SELECT count(*) FROM loan_events WHERE kind = 'recover'"), summary_->recoveries);
  EXPECT_GT(summary_->payoffs, 10);
  EXPECT_GT(summary_->writeoffs, 10);
  EXPECT_GT(summary_->recoveries, 0);
  EXPECT_EQ(sql("SELECT count(*) FROM loan_events WHERE kind = 'freeze'"), 3);
  EXPECT_EQ(sql("SELECT count(*) FROM loan_events WHERE kind = 'unfreeze'"), 1);
  EXPECT_EQ(summary_->frozen, 2);
  EXPECT_EQ(sql("SELECT count(*) FROM loan_events WHERE kind = 'extend'"), 1);
  EXPECT_EQ(sql("SELECT count(*) FROM loan_events WHERE kind = 'reschedule'"), 1);
  EXPECT_GT(sql("SELECT count(*) FROM loan_events WHERE penalty > 0"), 10);
  EXPECT_GT(sql("SELECT count(*) FROM loans WHERE group_id IS NULL"), 100);  // members outside credit groups
  EXPECT_GT(sql("SELECT count(*) FROM loans WHERE group_id IS NOT NULL"), 1000);
  // A provision entry at most month ends (Jan 2025 … Oct 2026: 22), none elsewhere.
  EXPECT_EQ(sql("SELECT count(*) FROM entries WHERE client_id LIKE 'provision:%'"), summary_->provision_runs);
  EXPECT_GE(summary_->provision_runs, 18);
  EXPECT_EQ(sql("SELECT count(*) FROM entries WHERE client_id LIKE 'provision:%' AND "
                "date != date(date, 'start of month', '+1 month', '-1 day')"),
            0);
  EXPECT_EQ(sql("SELECT count(*) FROM entries"), summary_->entries);
}

TEST_F(DemoLoansTest, ProvisionIsWhatTheClassesRequireAndTheBookChecks) {
  LoanBook book(*ledger_);
  auto again = book.run_provision(day(2026, 10, 31));
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_TRUE(again->change.is_zero()) << again->change.minor_units();
  EXPECT_FALSE(again->entry);
  EXPECT_TRUE(ledger_->check().ok());
}

}  // namespace
}  // namespace soquy
