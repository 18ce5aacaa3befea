// Tests of the LoanBook: products, capital, disbursement rules (member limit, fund cash,
// group), repayments and their postings, payoff, write-off and recovery, extension,
// rescheduling, freezing, collection sheets, provisions, and positions as of past dates.
// Expected figures are worked out by hand from ../shared/vectors/loans.md (schedule A:
// 10,000,000 đồng at 1 %/month flat over 12 months, 833,333 principal + 100,000 interest per
// instalment, the last 833,337 principal) and from the rules in the issue.
#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "soquy/charts.h"
#include "soquy/ledger.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "store.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;

Money vnd(std::int64_t v) { return Money(v); }

class LoanBookTest : public ::testing::Test {
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

  test_support::TestDb db_;
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


// Product B: schedule A's terms with compulsory savings of 1 %/month and a penalty of 3 %/month.
class LoanBookPenaltyTest : public LoanBookTest {
 protected:
  void SetUp() override {
    LoanBookTest::SetUp();
    LoanProduct b;
    b.code = "B";
    b.rate = *Rate::parse("1%/month");
    b.installments = 12;
    b.savings_rate = *Rate::parse("1%/month");
    b.penalty_rate = *Rate::parse("3%/month");
    ASSERT_TRUE(book_->add_product(b));
  }
};

TEST_F(LoanBookPenaltyTest, RepaymentPaysPenaltyInterestPrincipalAndPostsSavings) {
  ASSERT_TRUE(disburse("L2", "M2", 10'000'000, day(2026, 1, 15), "B"));
  // Nothing paid on 2026-02-15; on 2026-03-01 instalment 1 is 14 days late: penalty
  // round(833,333 × 3 % × 14/30) = round(11,666.662) = 11,667. 1,000,000 pays it, instalment 1
  // (100,000 + 833,333) and 55,000 of instalment 2's interest (paid early: a prepayment, since
  // 945,000 is what is due on 03-01).
  auto r = book_->repay("L2", vnd(1'000'000), vnd(100'000), day(2026, 3, 1), "R1", /*prepay=*/true);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->event.penalty, vnd(11'667));
  EXPECT_EQ(r->event.interest, vnd(155'000));
  EXPECT_EQ(r->event.principal, vnd(833'333));
  EXPECT_EQ(r->event.overpayment, vnd(0));
  EXPECT_EQ(balance(fund::kPenaltyIncome), vnd(-11'667));
  EXPECT_EQ(balance(fund::kInterestIncome), vnd(-155'000));
  EXPECT_EQ(balance(fund::kCompulsorySavings), vnd(-100'000));
  EXPECT_EQ(balance(fund::kLoans), vnd(10'000'000 - 833'333));
  EXPECT_EQ(balance(fund::kCash), vnd(200'000'000 - 10'000'000 + 1'100'000));
  EXPECT_EQ(r->after.position.days_past_due, 0);
}

TEST_F(LoanBookPenaltyTest, CollectionSheetSplitsThisPeriodArrearsAndSavings) {
  ASSERT_TRUE(disburse("L1", "M1", 10'000'000, day(2026, 1, 15)));
  ASSERT_TRUE(disburse("L2", "M2", 10'000'000, day(2026, 1, 15), "B"));
  ASSERT_TRUE(disburse("L3", "M3", 10'000'000, day(2026, 1, 15), "A", "G2"));
  ASSERT_TRUE(book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1"));
  auto sheet = book_->collection_sheet("G1", day(2026, 3, 15));
  ASSERT_TRUE(sheet) << sheet.error().message();
  ASSERT_EQ(sheet->lines.size(), 2u);  // L3 is in group G2
  const auto& l1 = sheet->lines[0];
  EXPECT_EQ(l1.loan, "L1");
  EXPECT_EQ(l1.installment, vnd(933'333));  // instalment 2, due on the meeting day
  EXPECT_EQ(l1.arrears, vnd(0));
  EXPECT_EQ(l1.savings, vnd(0));             // product A has no compulsory savings
  const auto& l2 = sheet->lines[1];
  EXPECT_EQ(l2.loan, "L2");
  EXPECT_EQ(l2.installment, vnd(933'333));
  // Instalment 1 (due 2026-02-15, a period before) is arrears, with 28 days of penalty:
  // round(833,333 × 3 % × 28/30) = 23,333.
  EXPECT_EQ(l2.arrears, vnd(933'333 + 23'333));
  EXPECT_EQ(l2.savings, vnd(100'000));
  EXPECT_EQ(l2.savings_arrears, vnd(100'000));  // instalment 1's savings were not paid either
  EXPECT_EQ(l2.days_past_due, 28);
  EXPECT_EQ(l2.total(), vnd(933'333 + 956'666 + 100'000 + 100'000));

  // Recording the meeting: a row of another group's loan refuses the whole meeting.
  std::vector<CollectionReceipt> rows = {{"L1", vnd(933'333), vnd(0), "", "sheet.csv:2"},
                                         {"L3", vnd(933'333), vnd(0), "", "sheet.csv:3"}};
  auto bad_meeting = book_->record_collection("G1", day(2026, 3, 15), rows);
  ASSERT_TRUE(failed_with(bad_meeting, ErrorKind::kBadInput));
  EXPECT_EQ(bad_meeting.error().message(), "sheet.csv:3: loan: loan 'L3' is not a loan of group 'G1' (it is in group 'G2')");
  EXPECT_EQ(balance(fund::kLoans), vnd(30'000'000 - 833'333));  // nothing of row 2 was written

  rows = {{"L1", vnd(933'333), vnd(0), "", "sheet.csv:2"}, {"L2", vnd(1'889'999), vnd(100'000), "", "sheet.csv:3"}};
  auto meeting = book_->record_collection("G1", day(2026, 3, 15), rows);
  ASSERT_TRUE(meeting) << meeting.error().message();
  auto again = book_->record_collection("G1", day(2026, 3, 15), rows);  // idempotent
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_FALSE((*again)[0].created);
  EXPECT_EQ(balance(fund::kLoans), vnd(30'000'000 - 833'333 * 4));
  auto after = book_->collection_sheet("G1", day(2026, 3, 15));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->lines[0].total(), vnd(0));
  // L2's 100,000 of savings paid instalment 1's (the oldest): instalment 2's are still due.
  EXPECT_EQ(after->lines[1].savings_arrears, vnd(0));
  EXPECT_EQ(after->lines[1].total(), vnd(100'000));
  EXPECT_EQ(after->lines[1].days_past_due, 0);
}

// Issue 12: a fund officer typed 17,966,670 for 1,796,667. More than is due on the date is
// refused unless she says it is a prepayment; what is due is accepted as before.
TEST_F(LoanBookTest, RepaymentAboveWhatIsDueIsRefusedUnlessPrepaid) {
  ASSERT_TRUE(disburse("L1", "M1", 10'000'000, day(2026, 1, 15)));
  const Money cash = balance(fund::kCash);
  // On 2026-02-15 instalment 1 is due: 833,333 + 100,000 = 933,333.
  EXPECT_EQ(*book_->amount_due("L1", day(2026, 2, 15)), vnd(933'333));
  auto slip = book_->repay("L1", vnd(9'333'330), vnd(0), day(2026, 2, 15), "R1");
  ASSERT_TRUE(failed_with(slip, ErrorKind::kBadInput));
  EXPECT_EQ(slip.error().field(), "amount");
  EXPECT_EQ(slip.error().message(),
            "9333330 is more than loan 'L1' owes on 2026-02-15: 933333 (instalments due by then and penalty); if it "
            "is a prepayment say so (loan repay --prepay; column prepay in a file)");
  EXPECT_EQ(balance(fund::kCash), cash);  // nothing written
  EXPECT_EQ(book_->events("L1")->size(), 0u);
  // One đồng more than due is refused too; exactly what is due is accepted.
  EXPECT_TRUE(failed_with(book_->repay("L1", vnd(933'334), vnd(0), day(2026, 2, 15), "R1"), ErrorKind::kBadInput));
  auto due = book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1");
  ASSERT_TRUE(due) << due.error().message();
  // Before instalment 2 falls due (2026-03-15) nothing is due: paying early is a prepayment.
  EXPECT_TRUE(failed_with(book_->repay("L1", vnd(933'333), vnd(0), day(2026, 3, 1), "R2"), ErrorKind::kBadInput));
  auto early = book_->repay("L1", vnd(933'333), vnd(0), day(2026, 3, 1), "R2", /*prepay=*/true);
  ASSERT_TRUE(early) << early.error().message();
  EXPECT_EQ(early->event.principal, vnd(833'333));  // instalment 2, paid ahead
  // Savings alone are not limited (amount 0).
  EXPECT_TRUE(book_->repay("L1", vnd(0), vnd(5'000'000), day(2026, 3, 1), "S1"));
  // The same receipt again is recognised before the guard (idempotent, not refused).
  auto again = book_->repay("L1", vnd(933'333), vnd(0), day(2026, 3, 1), "R2");
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_FALSE(again->created);
  // A payoff is what the quote says, as before: no prepay needed (10,000,000 − 1,666,666
  // principal and no interest due on 03-01).
  auto off = book_->payoff("L1", day(2026, 3, 1), std::nullopt, "P1");
  ASSERT_TRUE(off) << off.error().message();
  EXPECT_EQ(off->event.amount, vnd(8'333'334));
}

// Issue 12 item 7, with figures by hand: product S has savings of 1 %/month of 10,000,000 =
// 100,000 an instalment. Month 1 (02-15) she pays the instalment without savings; at month 2's
// meeting (03-15) she owes 100,000 + 100,000 of arrears; she brings 200,000; at month 3's
// (04-15) she owes 100,000 with no arrears.
TEST_F(LoanBookTest, CollectionSheetCarriesSavingsArrears) {
  LoanProduct s;
  s.code = "S";
  s.rate = *Rate::parse("1%/month");
  s.installments = 12;
  s.savings_rate = *Rate::parse("1%/month");
  ASSERT_TRUE(book_->add_product(s));
  ASSERT_TRUE(disburse("L1", "M1", 10'000'000, day(2026, 1, 15), "S"));
  ASSERT_TRUE(book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1"));
  auto line = [&](Date d) {
    auto sheet = book_->collection_sheet("G1", d);
    EXPECT_TRUE(sheet) << sheet.error().message();
    return sheet && !sheet->lines.empty() ? sheet->lines[0] : CollectionLine{};
  };
  auto m2 = line(day(2026, 3, 15));
  EXPECT_EQ(m2.installment, vnd(933'333));
  EXPECT_EQ(m2.savings, vnd(100'000));
  EXPECT_EQ(m2.savings_arrears, vnd(100'000));
  EXPECT_EQ(m2.total(), vnd(933'333 + 200'000));
  // loan show the day after month 1: 100,000 of savings in arrears; on 02-15 itself, none yet.
  EXPECT_EQ(book_->savings_due("L1", day(2026, 2, 16))->arrears, vnd(100'000));
  EXPECT_EQ(book_->savings_due("L1", day(2026, 2, 15))->arrears, vnd(0));
  EXPECT_EQ(book_->savings_due("L1", day(2026, 2, 15))->this_period, vnd(100'000));
  ASSERT_TRUE(book_->record_collection("G1", day(2026, 3, 15), {{"L1", vnd(933'333), vnd(200'000), "", "m.csv:2"}}));
  auto after = line(day(2026, 3, 15));
  EXPECT_EQ(after.savings, vnd(0));
  EXPECT_EQ(after.savings_arrears, vnd(0));
  EXPECT_EQ(after.total(), vnd(0));
  auto m3 = line(day(2026, 4, 15));
  EXPECT_EQ(m3.savings, vnd(100'000));
  EXPECT_EQ(m3.savings_arrears, vnd(0));
  EXPECT_EQ(book_->savings_due("L1", day(2026, 4, 16))->arrears, vnd(100'000));  // month 3 not paid
  // Month 3's savings paid late, on 04-20 (with nothing of the loan): month 4's meeting (05-15)
  // asks month 4's 100,000, not 0 (the old sheet took the late 100,000 off this month's due).
  ASSERT_TRUE(book_->repay("L1", vnd(0), vnd(100'000), day(2026, 4, 20), "S3"));
  auto m4 = line(day(2026, 5, 15));
  EXPECT_EQ(m4.savings, vnd(100'000));
  EXPECT_EQ(m4.savings_arrears, vnd(0));
}

// Found by fuzz_import_loans on main (2026-12-06): a loan already overpaid (8,800,000 of 20,000,000
// over its 11,200,000 flat total) and then paid INT64_MAX − 1,000,000 made the allocation's sum of
// overpayments overflow, which threw "loan amount out of range" (exit 70 from the CLI). The
// repayments' total is now checked first: bad input naming the amount, nothing written.
TEST_F(LoanBookTest, RepaymentsBeyondTheLargestAmountAreRefusedNotABug) {
  ASSERT_TRUE(disburse("L1", "M1", 10'000'000, day(2026, 1, 15)));
  auto first = book_->repay("L1", vnd(20'000'000), vnd(0), day(2026, 2, 15), "R1", /*prepay=*/true);
  ASSERT_TRUE(first) << first.error().message();
  ASSERT_EQ(first->event.overpayment, vnd(8'800'000));
  const Money overpaid = balance(fund::kOverpayments);
  const std::int64_t huge = std::numeric_limits<std::int64_t>::max() - 1'000'000;
  auto r = book_->repay("L1", vnd(huge), vnd(0), day(2026, 3, 15), "R2", /*prepay=*/true);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_EQ(r.error().field(), "amount");
  EXPECT_EQ(balance(fund::kOverpayments), overpaid);
  EXPECT_TRUE(ledger_->check().ok());
}

TEST_F(LoanBookTest, MemberLimitCountsWhatSheOwesOnTheDate) {
  ASSERT_TRUE(disburse("L1", "M1", 45'000'000, day(2026, 1, 15)));
  auto over = disburse("L2", "M1", 5'000'001, day(2026, 1, 20));
  ASSERT_TRUE(failed_with(over, ErrorKind::kBadInput));
  EXPECT_EQ(over.error().field(), "amount");
  EXPECT_EQ(over.error().message(),
            "member 'M1' owes 45000000 đồng on 2026-01-20; with this loan 50000001 đồng, above the limit "
            "of 50000000 per member (setting loan.member_limit)");
  EXPECT_TRUE(disburse("L2", "M1", 5'000'000, day(2026, 1, 20)));  // exactly the limit
  // After one instalment of L1 (3,750,000 principal) she owes less and may borrow that much.
  ASSERT_TRUE(book_->repay("L1", vnd(3'750'000 + 450'000), vnd(0), day(2026, 2, 15), "R1"));
  EXPECT_TRUE(disburse("L3", "M1", 3'750'000, day(2026, 2, 16)));
  ledger_->store().put_setting(std::string(kSettingMemberLimit), "60000000");
  EXPECT_TRUE(disburse("L4", "M1", 10'000'000, day(2026, 2, 16)));
}

TEST_F(LoanBookTest, DisbursementChecksTheFundsCashGroupAndCode) {
  auto early = disburse("L0", "M1", 1'000'000, day(2025, 11, 1));  // before the capital came
  ASSERT_TRUE(failed_with(early, ErrorKind::kBadInput));
  EXPECT_EQ(early.error().field(), "amount");
  EXPECT_EQ(early.error().message(),
            "the fund has 0 đồng of cash on 2025-11-01; disbursing 1000000 would take it below zero "
            "(record capital with soquy fund deposit, or set fund.allow_negative_cash = true)");
  EXPECT_TRUE(failed_with(disburse("L0", "M3", 1'000'000, day(2026, 1, 15)), ErrorKind::kBadInput));  // M3 not in G1
  EXPECT_TRUE(failed_with(disburse("L 0", "M1", 1'000'000, day(2026, 1, 15)), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(disburse("L0", "NOBODY", 1'000'000, day(2026, 1, 15)), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(disburse("L0", "M1", 1'000'000, day(2026, 1, 15), "NOPRODUCT"), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(disburse("L0", "M1", 0, day(2026, 1, 15)), ErrorKind::kBadInput));
  EXPECT_EQ(ledger_->check().entries, 1);  // only the deposit: nothing of the refused loans
  ledger_->store().put_setting(std::string(kSettingAllowNegativeCash), "true");
  EXPECT_TRUE(disburse("L0", "M1", 1'000'000, day(2025, 11, 1)));
  // The same disbursement again returns the loan; another with the same code is refused.
  auto same = disburse("L0", "M1", 1'000'000, day(2025, 11, 1));
  ASSERT_TRUE(same);
  EXPECT_EQ(ledger_->check().entries, 2);
  EXPECT_TRUE(failed_with(disburse("L0", "M2", 1'000'000, day(2025, 11, 1)), ErrorKind::kBadInput));
}

TEST_F(LoanBookTest, EventsGoInDateOrderAndReceiptsAreIdempotent) {
  ASSERT_TRUE(disburse("L1", "M1", 10'000'000, day(2026, 1, 15)));
  ASSERT_TRUE(book_->repay("L1", vnd(500'000), vnd(0), day(2026, 3, 20), "R2"));
  // A late receipt is accepted (loan_corrections_test.cc has the re-allocations): R1 pays
  // instalment 1, so R2 pays instalment 2's 100,000 interest and 400,000 principal — the same
  // split as before (the instalments are equal), so nothing is re-allocated.
  auto back = book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1");
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->event.principal, vnd(833'333));
  EXPECT_TRUE(back->reallocations.empty());
  auto again = book_->repay("L1", vnd(500'000), vnd(0), day(2026, 3, 20), "R2");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_TRUE(failed_with(book_->repay("L1", vnd(600'000), vnd(0), day(2026, 3, 20), "R2"), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(book_->repay("L1", vnd(100), vnd(0), day(2026, 1, 1), ""), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(book_->repay("L1", vnd(0), vnd(0), day(2026, 4, 1), ""), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(book_->repay("NOLOAN", vnd(1), vnd(0), day(2026, 4, 1), ""), ErrorKind::kBadInput));
  EXPECT_EQ(balance(fund::kLoans), vnd(10'000'000 - 833'333 - 400'000));
}

TEST_F(LoanBookTest, PastDatesReplayOnlyWhatHadHappened) {
  ASSERT_TRUE(disburse("L1", "M1", 10'000'000, day(2026, 1, 15)));
  ASSERT_TRUE(book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1"));
  ASSERT_TRUE(book_->repay("L1", vnd(500'000), vnd(0), day(2026, 3, 20), "R2"));
  auto feb = book_->snapshot("L1", day(2026, 2, 20));
  ASSERT_TRUE(feb);
  EXPECT_EQ(feb->position.days_past_due, 0);
  EXPECT_EQ(feb->position.outstanding_principal, vnd(10'000'000 - 833'333));
  auto mar = book_->snapshot("L1", day(2026, 3, 16));  // instalment 2 one day late; R2 not yet paid
  ASSERT_TRUE(mar);
  EXPECT_EQ(mar->position.days_past_due, 1);
  EXPECT_EQ(mar->position.overdue_principal, vnd(833'333));
  EXPECT_TRUE(failed_with(book_->snapshot("L1", day(2026, 1, 14)), ErrorKind::kBadInput));
}

TEST_F(LoanBookTest, PayoffSettlesPrincipalAndInterestDueOnly) {
  ASSERT_TRUE(disburse("L1", "M1", 10'000'000, day(2026, 1, 15)));
  ASSERT_TRUE(book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1"));
  // On 2026-03-20: principal 9,166,667 outstanding, instalment 2's interest (due 03-15) unpaid;
  // the interest of instalments 3–12 is not owed.
  auto q = book_->payoff_quote("L1", day(2026, 3, 20));
  ASSERT_TRUE(q) << q.error().message();
  EXPECT_EQ(q->principal, vnd(9'166'667));
  EXPECT_EQ(q->interest, vnd(100'000));
  EXPECT_EQ(q->penalty, vnd(0));
  auto wrong = book_->payoff("L1", day(2026, 3, 20), vnd(9'266'666), "P1");
  ASSERT_TRUE(failed_with(wrong, ErrorKind::kBadInput));
  auto paid = book_->payoff("L1", day(2026, 3, 20), vnd(9'266'667), "P1");
  ASSERT_TRUE(paid) << paid.error().message();
  EXPECT_EQ(paid->after.status, LoanStatus::kClosed);
  EXPECT_FALSE(paid->after.open());
  EXPECT_EQ(balance(fund::kLoans), vnd(0));
  EXPECT_EQ(balance(fund::kInterestIncome), vnd(-200'000));
  auto later = book_->snapshot("L1", day(2027, 6, 1));  // nothing overdue after the payoff
  ASSERT_TRUE(later);
  EXPECT_EQ(later->position.days_past_due, 0);
  EXPECT_EQ(later->position.principal_paid, vnd(10'000'000));
  EXPECT_TRUE(failed_with(book_->repay("L1", vnd(1), vnd(0), day(2026, 4, 1), ""), ErrorKind::kBadInput));
}

TEST_F(LoanBookTest, WriteOffUsesTheProvisionAndRecoveriesAreIncome) {
  ASSERT_TRUE(disburse("L1", "M1", 10'000'000, day(2026, 1, 15)));
  EXPECT_TRUE(failed_with(book_->recover("L1", vnd(1), day(2026, 2, 1), ""), ErrorKind::kBadInput));
  ASSERT_TRUE(book_->writeoff("L1", day(2026, 12, 1), "Hộ đã chuyển đi"));
  EXPECT_EQ(balance(fund::kLoans), vnd(0));
  EXPECT_EQ(balance(fund::kLoanProvision), vnd(10'000'000));
  auto s = book_->snapshot("L1", day(2026, 12, 2));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->status, LoanStatus::kWrittenOff);
  auto repay = book_->repay("L1", vnd(100), vnd(0), day(2026, 12, 5), "");
  ASSERT_TRUE(failed_with(repay, ErrorKind::kBadInput));
  EXPECT_EQ(repay.error().message(),
            "loan 'L1' was written off on 2026-12-01: money received is recorded with soquy loan recover");
  ASSERT_TRUE(book_->recover("L1", vnd(300'000), day(2026, 12, 10), "T1"));
  EXPECT_EQ(balance(fund::kRecoveries), vnd(-300'000));
  // Before the write-off the loan was in the portfolio, overdue since 2026-02-15.
  auto before = book_->snapshot("L1", day(2026, 11, 30));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, LoanStatus::kActive);
  EXPECT_EQ(before->position.days_past_due, 288);
}

TEST_F(LoanBookTest, ExtensionMovesWhatIsUnpaid) {
  ASSERT_TRUE(disburse("L1", "M1", 10'000'000, day(2026, 1, 15)));
  ASSERT_TRUE(book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1"));
  ASSERT_TRUE(book_->repay("L1", vnd(500'000), vnd(0), day(2026, 3, 20), "R2"));
  auto short_ext = book_->extend("L1", 1, day(2026, 4, 30), "");
  ASSERT_TRUE(failed_with(short_ext, ErrorKind::kBadInput));
  ASSERT_TRUE(book_->extend("L1", 3, day(2026, 4, 30), "Hạn hán"));
  auto s = book_->snapshot("L1", day(2026, 5, 1));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->position.days_past_due, 0);
  EXPECT_EQ(s->position.outstanding_principal, vnd(8'766'667));
  EXPECT_EQ(s->position.principal_paid, vnd(1'233'333));
  auto sched = book_->schedule("L1", day(2026, 5, 1));
  ASSERT_TRUE(sched);
  ASSERT_EQ(sched->installments.size(), 11u);  // instalment 2's rest and instalments 3–12
  EXPECT_EQ(sched->installments[0].due_on, day(2026, 6, 15));
  EXPECT_EQ(sched->installments[0].principal, vnd(433'333));
  EXPECT_EQ(sched->installments[0].interest, vnd(0));
  EXPECT_EQ(sched->installments[10].due_on, day(2027, 4, 15));
  auto late = book_->snapshot("L1", day(2026, 6, 16));
  ASSERT_TRUE(late);
  EXPECT_EQ(late->position.days_past_due, 1);
  EXPECT_EQ(late->position.overdue_principal, vnd(433'333));
}

TEST_F(LoanBookTest, RescheduleSpreadsOutstandingPrincipalAndCarriesInterestDue) {
  ASSERT_TRUE(disburse("L1", "M1", 10'000'000, day(2026, 1, 15)));
  ASSERT_TRUE(book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1"));
  ASSERT_TRUE(book_->repay("L1", vnd(500'000), vnd(0), day(2026, 3, 20), "R2"));
  RescheduleTerms t;
  t.installments = 6;
  t.method = RepaymentMethod::kEqualPrincipal;
  auto ev = book_->reschedule("L1", t, day(2026, 4, 30), "Điều chỉnh kỳ hạn");
  ASSERT_TRUE(ev) << ev.error().message();
  // 8,766,667 over 6: 1,461,111 × 5 and 1,461,112; first interest round(87,666.67) = 87,667
  // plus instalment 3's 100,000 due on 2026-04-15.
  ASSERT_TRUE(ev->schedule);
  const auto& rows = ev->schedule->installments;
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0].due_on, day(2026, 5, 30));
  EXPECT_EQ(rows[0].principal, vnd(1'461'111));
  EXPECT_EQ(rows[0].interest, vnd(187'667));
  EXPECT_EQ(rows[5].principal, vnd(1'461'112));
  auto s = book_->snapshot("L1", day(2026, 5, 1));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->position.days_past_due, 0);
  EXPECT_EQ(s->position.outstanding_principal, vnd(8'766'667));
  auto paid = book_->repay("L1", vnd(1'648'778), vnd(0), day(2026, 5, 30), "R3");
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->event.interest, vnd(187'667));
  EXPECT_EQ(paid->event.principal, vnd(1'461'111));
  EXPECT_EQ(paid->after.position.principal_paid, vnd(1'233'333 + 1'461'111));
}

TEST_F(LoanBookTest, FrozenLoansAreNotOverdueUntilUnfrozen) {
  ASSERT_TRUE(disburse("L1", "M1", 10'000'000, day(2026, 1, 15)));
  ASSERT_TRUE(book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1"));
  ASSERT_TRUE(book_->freeze("L1", day(2026, 4, 30), "Lũ lụt"));
  EXPECT_TRUE(failed_with(book_->freeze("L1", day(2026, 5, 1), ""), ErrorKind::kBadInput));
  auto frozen = book_->snapshot("L1", day(2026, 5, 10));
  ASSERT_TRUE(frozen);
  EXPECT_EQ(frozen->status, LoanStatus::kFrozen);
  EXPECT_EQ(frozen->position.days_past_due, 0);
  EXPECT_EQ(frozen->position.overdue_principal, vnd(0));
  ASSERT_TRUE(book_->unfreeze("L1", day(2026, 6, 1), ""));
  auto back = book_->snapshot("L1", day(2026, 6, 1));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, LoanStatus::kActive);
  EXPECT_EQ(back->position.days_past_due, 78);  // 2026-06-01 − 2026-03-15
}

TEST_F(LoanBookTest, ProvisionRunPostsTheChangeOnce) {
  ASSERT_TRUE(disburse("L1", "M1", 10'000'000, day(2026, 1, 15)));
  ASSERT_TRUE(book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1"));
  ASSERT_TRUE(book_->repay("L1", vnd(500'000), vnd(0), day(2026, 3, 20), "R2"));
  // 2026-04-30: DPD 46, G3 at 20 % of 8,766,667 = 1,753,333.4 → 1,753,333.
  auto run = book_->run_provision(day(2026, 4, 30));
  ASSERT_TRUE(run) << run.error().message();
  EXPECT_EQ(run->required, vnd(1'753'333));
  EXPECT_EQ(run->change, vnd(1'753'333));
  ASSERT_TRUE(run->entry);
  auto again = book_->run_provision(day(2026, 4, 30));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->change, vnd(0));
  EXPECT_FALSE(again->entry);
  // 2026-06-30: DPD 107, G4 at 50 % = 4,383,333.5 → 4,383,334 (half-up).
  auto june = book_->run_provision(day(2026, 6, 30));
  ASSERT_TRUE(june);
  EXPECT_EQ(june->required, vnd(4'383'334));
  EXPECT_EQ(june->held_before, vnd(1'753'333));
  EXPECT_EQ(june->change, vnd(2'630'001));
  EXPECT_EQ(balance(fund::kLoanProvision), vnd(-4'383'334));
  EXPECT_EQ(balance(fund::kProvisionExpense), vnd(4'383'334));
  EXPECT_TRUE(ledger_->check().ok());
}

TEST_F(LoanBookTest, ProductsAreValidatedAndNeverChanged) {
  LoanProduct p;
  p.code = "W";
  p.rate = *Rate::parse("0.8%/month");
  p.installments = 10;
  p.frequency = Frequency::kWeekly;
  p.grace = 10;
  EXPECT_TRUE(failed_with(book_->add_product(p), ErrorKind::kBadInput));
  p.grace = 2;
  ASSERT_TRUE(book_->add_product(p));
  ASSERT_TRUE(book_->add_product(p));  // the same terms again: nothing changes
  p.rate = *Rate::parse("0.9%/month");
  EXPECT_TRUE(failed_with(book_->add_product(p), ErrorKind::kBadInput));
  EXPECT_EQ(book_->products().size(), 2u);
  EXPECT_EQ(book_->product("W")->rate.to_string(), "0.8%/month");
}

TEST_F(LoanBookTest, AuditorsMayNotWrite) {
  ASSERT_TRUE(ledger_->add_user("kiemtoan", Role::kAuditor));
  ASSERT_TRUE(db_.act_as(ledger_, "kiemtoan"));
  book_ = std::make_unique<LoanBook>(*ledger_);
  EXPECT_TRUE(failed_with(disburse("L1", "M1", 1'000'000, day(2026, 1, 15)), ErrorKind::kPermission));
  EXPECT_TRUE(failed_with(book_->deposit(vnd(1), day(2026, 1, 1), "", ""), ErrorKind::kPermission));
  EXPECT_TRUE(failed_with(book_->run_provision(day(2026, 1, 1)), ErrorKind::kPermission));
}

}  // namespace
}  // namespace soquy
