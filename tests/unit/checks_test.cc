// Tests of `soquy check`'s named checks (ledger/checks, soquy/loan_checks.h, group_checks.h):
// a consistent ledger passes every check; a disagreement made directly in SQL (a reversal in the
// journal alone, bypassing the entry's owner, or an edited record)
// (the triggers dropped, as tests/cli/tamper_test.sh does) fails the right check, naming the
// loan or group, the date and both amounts. Figures worked by hand from schedule A of
// ../shared/vectors/loans.md: 10,000,000 đồng at 1 %/month flat over 12 months, instalments of
// 833,333 principal + 100,000 interest.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <memory>
#include <string>
#include <vector>

#include "soquy/checks.h"
#include "soquy/group_checks.h"
#include "soquy/ledger.h"
#include "soquy/loan_checks.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "soquy/savings.h"
#include "store.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;

Money vnd(std::int64_t v) { return Money(v); }

class ChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    reg_ = std::make_unique<Registry>(*ledger_);
    book_ = std::make_unique<LoanBook>(*ledger_);
    const Date d = day(2020, 1, 1);
    ASSERT_TRUE(reg_->add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
    ASSERT_TRUE(reg_->add_unit({"C1", "An Trường", UnitKind::kCommune, "P", d}));
    ASSERT_TRUE(reg_->add_group({"S1", "Tổ tiết kiệm 1", GroupKind::kSavings, "C1", "", d}));
    for (auto [id, nid] : {std::pair{"M1", "084185000001"}, {"M2", "084185000002"}}) {
      MemberSpec s;
      s.id = id;
      s.name = std::string("Nguyễn Thị ") + id;
      s.national_id = nid;
      s.unit = "C1";
      s.group = "S1";
      s.joined = d;
      ASSERT_TRUE(reg_->add_member(s));
    }
    ASSERT_TRUE(book_->deposit(vnd(200'000'000), day(2025, 12, 1), "Vốn tỉnh cấp", "cap-1"));
    LoanProduct a;
    a.code = "A";
    a.method = RepaymentMethod::kFlat;
    a.rate = *Rate::parse("1%/month");
    a.installments = 12;
    ASSERT_TRUE(book_->add_product(a));
    DisburseRequest r;
    r.loan = "L1";
    r.member = "M1";
    r.product = "A";
    r.amount = vnd(10'000'000);
    r.date = day(2026, 1, 15);
    auto disbursed = book_->disburse(r);
    ASSERT_TRUE(disbursed) << disbursed.error().message();
    // R1 pays instalment 1 whole; R2 instalment 2's interest and 400,000 of its principal.
    ASSERT_TRUE(book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1"));
    ASSERT_TRUE(book_->repay("L1", vnd(500'000), vnd(50'000), day(2026, 3, 20), "R2"));
  }

  NamedCheck only(const std::string& name) {
    auto r = run_checks(*ledger_, name);
    EXPECT_TRUE(r) << r.error().message();
    if (!r || r->checks.size() != 1) return NamedCheck{};
    return r->checks.front();
  }
  // A reversal made in the journal alone, bypassing the entry's owner — what `soquy reverse` did
  // before schema 13, and what an SQL shell can still do: the owner row removed, the triggers
  // dropped, then the journal's reversal.
  Result<PostResult> reverse_in_journal_only(const std::string& ref, Date d) {
    auto e = ledger_->entry(ref);
    if (!e) return fail(e.error());
    db_.tamper(*ledger_, "entry_owners", "entry_owners_no_delete",
               "DELETE FROM entry_owners WHERE entry_id = " + std::to_string(e->id));
    return ledger_->reverse(ref, d);
  }

  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Registry> reg_;
  std::unique_ptr<LoanBook> book_;
};

::testing::AssertionResult is(const CheckDifference& d, const std::string& book, const std::string& account,
                              const std::string& record, std::int64_t expected, std::int64_t actual,
                              std::optional<Date> date) {
  if (d.book == book && d.account == account && d.record == record && d.expected == vnd(expected) &&
      d.actual == vnd(actual) && d.date == date)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << d.book << " " << d.account << " " << d.record << " "
                                       << d.expected.minor_units() << " " << d.actual.minor_units() << " "
                                       << (d.date ? d.date->to_iso() : "no date");
}

TEST_F(ChecksTest, AConsistentLedgerPassesEveryCheckInOrder) {
  auto r = run_checks(*ledger_);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->ok());
  ASSERT_EQ(r->checks.size(), check_list().size());
  for (std::size_t i = 0; i < r->checks.size(); ++i) {
    EXPECT_EQ(r->checks[i].name, check_list()[i].name);
    EXPECT_TRUE(r->checks[i].ok()) << r->checks[i].name;
  }
  EXPECT_EQ(r->checks[0].name, "journal.guards");
  EXPECT_EQ(r->checks[1].items, 4);  // journal.chain: capital, disbursement, R1, R2
  EXPECT_EQ(r->last_entry, 4);
  EXPECT_EQ(only("loans.principal").items, 1);
  EXPECT_EQ(only("savings.members").items, 1);
}

TEST_F(ChecksTest, OnlyRunsOneCheckAndAnUnknownNameIsAUsageError) {
  auto r = run_checks(*ledger_, std::string("loans.interest"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->checks.size(), 1u);
  EXPECT_EQ(r->checks[0].name, "loans.interest");
  EXPECT_FALSE(r->last_entry);  // the chain was not walked
  auto bad = run_checks(*ledger_, std::string("loans"));
  ASSERT_TRUE(failed_with(bad, ErrorKind::kUsage));
  EXPECT_NE(bad.error().message().find("loans.principal, loans.interest"), std::string::npos) << bad.error().message();
}

TEST_F(ChecksTest, AReversedRepaymentMakesTheLoanAndItsShareOf2111Disagree) {
  ASSERT_TRUE(reverse_in_journal_only("loan:L1:R2", day(2026, 4, 30)));
  // Records: 10,000,000 − 833,333 − 400,000; journal: the 400,000 is back in 2111.
  auto p = only("loans.principal");
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_TRUE(is(p.differences[0], "fund", "2111", "loan L1 (member M1)", 8'766'667, 9'166'667, day(2026, 4, 30)));
  auto i = only("loans.interest");
  ASSERT_EQ(i.differences.size(), 1u);
  EXPECT_TRUE(is(i.differences[0], "fund", "7021", "loan L1 (member M1)", 200'000, 100'000, day(2026, 4, 30)));
  auto s = only("loans.savings");
  ASSERT_EQ(s.differences.size(), 1u);
  EXPECT_TRUE(is(s.differences[0], "fund", "4231", "loan L1 (member M1)", 50'000, 0, day(2026, 4, 30)));
  EXPECT_TRUE(only("loans.penalty").ok());
  EXPECT_TRUE(only("journal.balances").ok());
  // Reversing the reversal puts the share back (the closure follows reversals of reversals).
  // Dated 02/05, the books still disagreed on 30/04 and 01/05, as of which the check compares;
  // dated 30/04 like the reversal, they never did.
  ASSERT_TRUE(ledger_->reverse("#5", day(2026, 5, 2)));
  auto later = only("loans.principal");
  ASSERT_EQ(later.differences.size(), 1u);
  EXPECT_TRUE(is(later.differences[0], "fund", "2111", "loan L1 (member M1)", 8'766'667, 9'166'667, day(2026, 4, 30)));
  db_.tamper(*ledger_, "entries", "entries_no_update", "UPDATE entries SET date = '2026-04-30' WHERE id = 6");
  EXPECT_TRUE(only("loans.principal").ok());
  EXPECT_TRUE(only("loans.interest").ok());
}

TEST_F(ChecksTest, AnEventMovedInTimeDiffersAsOfTheDaysBetweenThoughTheTotalsAgree) {
  // R1's event dated 01/03 instead of 15/02: every total still agrees, but from 15/02 to 28/02
  // the journal has 833,333 less outstanding than the records.
  db_.tamper(*ledger_, "loan_events", "loan_events_no_update",
             "UPDATE loan_events SET on_date = '2026-03-01' WHERE client_id = 'R1'");
  auto p = only("loans.principal");
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_TRUE(is(p.differences[0], "fund", "2111", "loan L1 (member M1)", 10'000'000, 9'166'667, day(2026, 2, 15)));
}

TEST_F(ChecksTest, PostingsByHandBelongToNoLoan) {
  EntryDraft d;
  d.book = "fund";
  d.date = day(2026, 4, 1);
  d.memo = "Cho vay ngoài sổ chi tiết";
  d.postings = {{"2111", vnd(1'000'000)}, {"1011", vnd(-1'000'000)}};
  ASSERT_TRUE(ledger_->post(d));
  EXPECT_TRUE(only("loans.principal").ok());
}

TEST_F(ChecksTest, ASchedulePrincipalEditedInSqlFailsTheScheduleCheck) {
  // Instalment 1 principal 833,333 → 733,333: the schedule repays 9,900,000 of the 10,000,000.
  db_.tamper(*ledger_, "loans", "loans_no_update",
             "UPDATE loans SET schedule = replace(schedule, '2026-02-15 833333 ', '2026-02-15 733333 ') "
             "WHERE code = 'L1'");
  auto s = only("loans.schedule");
  ASSERT_EQ(s.differences.size(), 1u);
  EXPECT_TRUE(is(s.differences[0], "fund", "schedule", "loan L1 (member M1)", 10'000'000, 9'900'000, std::nullopt));
  db_.tamper(*ledger_, "loans", "loans_no_update", "UPDATE loans SET schedule = 'garbage' WHERE code = 'L1'");
  auto g = only("loans.schedule");
  ASSERT_EQ(g.problems.size(), 1u);
  EXPECT_NE(g.problems[0].find("loan L1 (member M1): its stored schedule cannot be read"), std::string::npos);
}

TEST_F(ChecksTest, ManyDifferencesAreCappedAndCounted) {
  // 60 loans of 100,000 whose disbursement entries are reversed: 60 differences, 50 kept.
  for (int k = 0; k < 60; ++k) {
    DisburseRequest r;
    r.loan = "B" + std::to_string(100 + k);
    r.member = "M2";
    r.product = "A";
    r.amount = vnd(100'000);
    r.date = day(2026, 1, 20);
    ASSERT_TRUE(book_->disburse(r)) << k;
    ASSERT_TRUE(reverse_in_journal_only("loan:" + r.loan + ":disburse", day(2026, 1, 21)));
  }
  auto r = run_checks(*ledger_, std::string("loans.principal"));
  ASSERT_TRUE(r);
  const auto& p = r->checks[0];
  EXPECT_EQ(p.items, 61);
  EXPECT_EQ(p.differences.size(), NamedCheck::kMaxDifferences);
  EXPECT_EQ(p.not_shown, 10);
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_EQ(p.problems[0], "10 more difference(s) not shown (the first 50 are)");
  EXPECT_TRUE(is(p.differences[0], "fund", "2111", "loan B100 (member M2)", 100'000, 0, day(2026, 1, 21)));
}

TEST_F(ChecksTest, AReversedSavingsMeetingMakesTheMembersAndTheGroupBookDisagree) {
  Savings sv(*ledger_);
  SavingsRules rules;
  rules.share_price = vnd(10'000);
  ASSERT_TRUE(sv.set_rules("S1", rules));
  MeetingLine a, b;
  a.member = "M1";
  a.shares = 2;
  b.member = "M2";
  b.shares = 3;
  auto m = sv.record_meeting("S1", day(2026, 1, 10), {a, b});
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_TRUE(check_savings_members(*ledger_).ok());
  ASSERT_TRUE(reverse_in_journal_only("savings/S1/meeting/2026-01-10", day(2026, 1, 12)));
  // The members hold 5 × 10,000 = 50,000; from 12/01 the book's 4111 holds 0.
  auto c = check_savings_members(*ledger_);
  ASSERT_EQ(c.differences.size(), 1u);
  EXPECT_TRUE(is(c.differences[0], "group:S1", "4111", "group S1 (members' savings)", 50'000, 0, day(2026, 1, 12)));
}

TEST_F(ChecksTest, JournalChecksKeepTheirSentences) {
  SOQUY_SQLITE_ONLY("drops a trigger of the file (on the server: PgStore.TheChainVerifiesAndFindsAnEditMadeWithTriggersDisabled)");
  sqlite_database(ledger_->store())
      .exec("DROP TRIGGER postings_no_update; UPDATE postings SET amount = amount + 1 WHERE entry_id = 2 AND line = 1");
  EXPECT_EQ(ledger_->check_guards().problems,
            std::vector<std::string>{"the append-only trigger postings_no_update is missing: someone could edit posted rows"});
  auto walk = ledger_->check_entries();
  EXPECT_EQ(walk.chain.items, 4);
  ASSERT_EQ(walk.balanced.problems.size(), 1u);
  EXPECT_EQ(walk.balanced.problems[0], "entry #2 (2026-01-15) does not balance: its postings sum to 1");
  ASSERT_EQ(walk.chain.problems.size(), 1u);
  EXPECT_FALSE(ledger_->check_balances().ok());
  // The loans see the edited posting too: 2111 holds 10,000,001 from 15/01.
  auto p = only("loans.principal");
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_TRUE(is(p.differences[0], "fund", "2111", "loan L1 (member M1)", 10'000'000, 10'000'001, day(2026, 1, 15)));
}

}  // namespace
}  // namespace soquy
