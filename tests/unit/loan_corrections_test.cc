// Corrections in the loan book (issue 12): reversing a loan's entries through the loan, late
// receipts and the re-allocation of later repayments, receipt revisions, collection sheets
// reversed and recorded again. Each case compares the corrected book with a fresh one in which
// only what survives was recorded, in date order: positions and the balances of 2111, 7021, 7022
// and 4591 as of each date must be equal, and every named check of `soquy check` must pass.
// Figures are worked by hand in each case's comment.
//
// Products: A — 1 %/month flat, 12 monthly instalments: a 10,000,000 loan pays 833,333 principal
// + 100,000 interest a month (the 12th 833,337). V — 0.65 %/month flat, 12: 20,000,000 pays
// round(20,000,000 / 12) = 1,666,667 principal + 20,000,000 × 0.65 % = 130,000 interest =
// 1,796,667 a month. B — A's terms with a 3 %/month penalty.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "soquy/charts.h"
#include "soquy/checks.h"
#include "soquy/ledger.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;
namespace fund = charts::fund;

Money vnd(std::int64_t v) { return Money(v); }

// One database with the registry, capital and the three products.
struct Book {
  test_support::TestDb db;
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<Registry> reg;
  std::unique_ptr<LoanBook> loans;

  explicit Book(const std::string& file) : db(file) {
    auto l = db.create();
    EXPECT_TRUE(l) << l.error().message();
    ledger = std::move(*l);
    reg = std::make_unique<Registry>(*ledger);
    loans = std::make_unique<LoanBook>(*ledger);
    const Date d = day(2020, 1, 1);
    EXPECT_TRUE(reg->add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
    EXPECT_TRUE(reg->add_unit({"C1", "An Trường", UnitKind::kCommune, "P", d}));
    EXPECT_TRUE(reg->add_group({"G1", "Tổ 1", GroupKind::kCredit, "C1", "", d}));
    for (const char* m : {"M1", "M2"}) {
      MemberSpec s;
      s.id = m;
      s.name = std::string("Nguyễn Thị ") + m;
      s.national_id = std::string("0841850000") + (m[1] == '1' ? "01" : "02");
      s.unit = "C1";
      s.group = "G1";
      s.joined = d;
      EXPECT_TRUE(reg->add_member(s));
    }
    EXPECT_TRUE(loans->deposit(vnd(200'000'000), day(2025, 12, 1), "Vốn", "cap-1"));
    product("A", "1%/month", std::nullopt);
    product("V", "0.65%/month", std::nullopt);
    product("B", "1%/month", "3%/month");
  }
  void product(const std::string& code, const std::string& rate, std::optional<std::string> penalty) {
    LoanProduct p;
    p.code = code;
    p.rate = *Rate::parse(rate);
    p.installments = 12;
    if (penalty) p.penalty_rate = *Rate::parse(*penalty);
    auto r = loans->add_product(p);
    EXPECT_TRUE(r) << r.error().message();
  }
  void disburse(const std::string& code, const std::string& member, std::int64_t amount, const std::string& product) {
    auto r = loans->disburse({code, member, product, "G1", vnd(amount), day(2026, 1, 15), ""});
    ASSERT_TRUE(r) << r.error().message();
  }
  RepaymentResult repay(const std::string& loan, std::int64_t amount, Date on, const std::string& receipt) {
    auto r = loans->repay(loan, vnd(amount), vnd(0), on, receipt);
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : RepaymentResult{};
  }
  Entry entry(std::int64_t id) { return *ledger->entry("#" + std::to_string(id)); }
  Result<CorrectionResult> reverse(std::int64_t id, const std::string& reason, const std::string& client_id = "") {
    const Entry e = entry(id);
    return loans->reverse_entry(e, ReversalRequest{e.date, reason, client_id});
  }
  Money balance(std::string_view account, Date on) {
    auto b = ledger->balance("fund", std::string(account), on);
    EXPECT_TRUE(b) << b.error().message();
    return b ? *b : Money(0);
  }
  std::int64_t entries() {
    std::int64_t n = 0;
    EXPECT_TRUE(ledger->for_each_entry([&](const Entry&) { ++n; }));
    return n;
  }
  // Every named check of `soquy check` passes (the failures are printed).
  ::testing::AssertionResult checks_pass() {
    auto r = run_checks(*ledger);
    if (!r) return ::testing::AssertionFailure() << r.error().message();
    std::string why;
    for (const auto& c : r->checks) {
      for (const auto& d : c.differences)
        why += c.name + ": " + d.record + " records " + d.expected.to_plain_string() + " journal " +
               d.actual.to_plain_string() + "\n";
      for (const auto& p : c.problems) why += c.name + ": " + p + "\n";
    }
    if (r->ok()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << why;
  }
};

class LoanCorrectionsTest : public ::testing::Test {
 protected:
  Book book_{"soquy.db"};
  Book fresh_{"fresh.db"};  // only what survives, recorded in date order

  // Positions and the fund's loan accounts equal in both books on each date.
  void expect_same_as_fresh(const std::vector<std::string>& loans, const std::vector<Date>& dates) {
    for (Date d : dates) {
      for (const auto& loan : loans) {
        auto a = book_.loans->snapshot(loan, d);
        auto b = fresh_.loans->snapshot(loan, d);
        ASSERT_TRUE(a && b) << loan << " " << d;
        const auto& p = a->position;
        const auto& q = b->position;
        EXPECT_EQ(p.outstanding_principal, q.outstanding_principal) << loan << " " << d;
        EXPECT_EQ(p.overdue_principal, q.overdue_principal) << loan << " " << d;
        EXPECT_EQ(p.overdue_interest, q.overdue_interest) << loan << " " << d;
        EXPECT_EQ(p.overdue_penalty, q.overdue_penalty) << loan << " " << d;
        EXPECT_EQ(p.days_past_due, q.days_past_due) << loan << " " << d;
        EXPECT_EQ(p.principal_paid, q.principal_paid) << loan << " " << d;
        EXPECT_EQ(p.interest_paid, q.interest_paid) << loan << " " << d;
        EXPECT_EQ(p.penalty_paid, q.penalty_paid) << loan << " " << d;
        EXPECT_EQ(p.overpayment, q.overpayment) << loan << " " << d;
      }
      for (auto account : {fund::kCash, fund::kLoans, fund::kInterestIncome, fund::kPenaltyIncome,
                           fund::kOverpayments, fund::kCompulsorySavings})
        EXPECT_EQ(book_.balance(account, d), fresh_.balance(account, d)) << account << " " << d;
    }
  }
};

// (a) The story of issue 12. L1: 20,000,000 of product V; L2: 5,000,000 of product A (416,667
// principal + 50,000 interest). The meeting of 15/02 should collect 1,796,667 from L1 and 466,667
// from L2; the officer types 17,966,670 for L1 = exactly 10 instalments of 1,796,667: principal
// 10 × 1,666,667 = 16,666,670, interest 10 × 130,000 = 1,300,000. Entries: #1 capital, #2 L1, #3
// L2, #4 L1's row, #5 L2's row.
TEST_F(LoanCorrectionsTest, WrongSheetRowReversedAndTheCorrectedSheetRecorded) {
  book_.disburse("L1", "M1", 20'000'000, "V");
  book_.disburse("L2", "M2", 5'000'000, "A");
  const Date meeting = day(2026, 2, 15);
  auto wrong = book_.loans->record_collection("G1", meeting, {{"L1", vnd(17'966'670), vnd(0), "", "", true},  // the prepay mark ticked by mistake too
                                                             {"L2", vnd(466'667), vnd(0), "", ""}});
  ASSERT_TRUE(wrong) << wrong.error().message();
  EXPECT_EQ((*wrong)[0].event.principal, vnd(16'666'670));
  EXPECT_EQ((*wrong)[0].event.interest, vnd(1'300'000));
  const std::vector<CollectionReceipt> right = {{"L1", vnd(1'796'667), vnd(0), "", ""},
                                                {"L2", vnd(466'667), vnd(0), "", ""}};
  // The corrected sheet is refused while the wrong row stands, saying to reverse it first.
  auto refused = book_.loans->record_collection("G1", meeting, right);
  ASSERT_TRUE(failed_with(refused, ErrorKind::kBadInput));
  EXPECT_NE(refused.error().message().find("reverse it first (soquy reverse 4 --reason"), std::string::npos)
      << refused.error().message();
  // The wrong row alone, through the loan: #6 its reversal, dated at the meeting.
  auto rev = book_.reverse(4, "nhập nhầm 17.966.670 thay vì 1.796.667");
  ASSERT_TRUE(rev) << rev.error().message();
  ASSERT_EQ(rev->entries.size(), 1u);
  EXPECT_EQ(rev->entries[0].id, 6);
  EXPECT_EQ(rev->entries[0].reverses.value_or(0), 4);
  EXPECT_EQ(rev->entries[0].date, meeting);
  EXPECT_TRUE(book_.checks_pass());
  // Recorded again: L1's row is revision 2 of its receipt (#7), L2's row stands unchanged (#5).
  auto again = book_.loans->record_collection("G1", meeting, right);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_TRUE((*again)[0].created);
  EXPECT_EQ((*again)[0].event.client_id, "sheet:G1:2026-02-15:L1~2");
  EXPECT_EQ((*again)[0].entry.id, 7);
  EXPECT_EQ((*again)[0].entry.client_id, "loan:L1:sheet:G1:2026-02-15:L1~2");
  EXPECT_EQ((*again)[0].event.principal, vnd(1'666'667));
  EXPECT_EQ((*again)[0].event.interest, vnd(130'000));
  EXPECT_FALSE((*again)[1].created);
  EXPECT_EQ((*again)[1].entry.id, 5);
  // (e) The same corrected sheet a second time writes nothing.
  const auto n = book_.entries();
  auto third = book_.loans->record_collection("G1", meeting, right);
  ASSERT_TRUE(third) << third.error().message();
  EXPECT_FALSE((*third)[0].created);
  EXPECT_EQ((*third)[0].entry.id, 7);
  EXPECT_EQ(book_.entries(), n);
  EXPECT_TRUE(book_.checks_pass());
  // As if only the corrected sheet had been recorded. By hand on 15/02: 2111 = 25,000,000 −
  // 1,666,667 − 416,667 = 22,916,666; 7021 = −(130,000 + 50,000); cash 200,000,000 − 25,000,000
  // + 1,796,667 + 466,667 = 177,263,334.
  fresh_.disburse("L1", "M1", 20'000'000, "V");
  fresh_.disburse("L2", "M2", 5'000'000, "A");
  ASSERT_TRUE(fresh_.loans->record_collection("G1", meeting, right));
  expect_same_as_fresh({"L1", "L2"}, {meeting, day(2026, 3, 31), day(2026, 12, 31)});
  EXPECT_EQ(book_.balance(fund::kLoans, meeting), vnd(22'916'666));
  EXPECT_EQ(book_.balance(fund::kInterestIncome, meeting), vnd(-180'000));
  EXPECT_EQ(book_.balance(fund::kCash, meeting), vnd(177'263'334));
  // History shows the reversed row with its reason, then the new one.
  auto h = book_.loans->history("L1");
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0].reversed_by.value_or(0), 6);
  EXPECT_EQ((*h)[0].reversal_reason, "nhập nhầm 17.966.670 thay vì 1.796.667");
  EXPECT_FALSE((*h)[1].reversed_by);
  EXPECT_EQ(book_.loans->events("L1")->size(), 1u);
}

// (a) The whole sheet reversed in one transaction (#6 L2's row, #7 L1's: the last recorded
// first), then recorded again (#8, #9); (e) the reversal again with the same id writes nothing.
TEST_F(LoanCorrectionsTest, WholeSheetReversedThenRecordedAgain) {
  book_.disburse("L1", "M1", 20'000'000, "V");
  book_.disburse("L2", "M2", 5'000'000, "A");
  const Date meeting = day(2026, 2, 15);
  ASSERT_TRUE(book_.loans->record_collection("G1", meeting, {{"L1", vnd(17'966'670), vnd(0), "", "", true},  // the prepay mark ticked by mistake too
                                                            {"L2", vnd(466'667), vnd(0), "BL-2", ""}}));
  auto rev = book_.loans->reverse_collection("G1", meeting, "nhập nhầm số tiền", "SUA-1");
  ASSERT_TRUE(rev) << rev.error().message();
  ASSERT_EQ(rev->rows.size(), 2u);
  EXPECT_EQ(rev->rows[0].original.id, 5);
  EXPECT_EQ(rev->rows[0].entries[0].id, 6);
  EXPECT_EQ(rev->rows[0].entries[0].client_id, "SUA-1:BL-2");
  EXPECT_EQ(rev->rows[1].original.id, 4);
  EXPECT_EQ(rev->rows[1].entries[0].id, 7);
  EXPECT_TRUE(book_.checks_pass());
  const auto n = book_.entries();
  auto twice = book_.loans->reverse_collection("G1", meeting, "nhập nhầm số tiền", "SUA-1");
  ASSERT_TRUE(twice) << twice.error().message();
  EXPECT_FALSE(twice->created);
  EXPECT_EQ(twice->rows.size(), 2u);
  EXPECT_EQ(book_.entries(), n);
  const std::vector<CollectionReceipt> right = {{"L1", vnd(1'796'667), vnd(0), "", ""},
                                                {"L2", vnd(466'667), vnd(0), "BL-2", ""}};
  auto again = book_.loans->record_collection("G1", meeting, right);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ((*again)[1].event.client_id, "BL-2~2");
  EXPECT_EQ((*again)[1].entry.id, 9);
  // The sheet reversed again (no id) reverses the corrected rows: the sheet knows its revisions.
  // Not done here; without rows left, a reversal is refused.
  fresh_.disburse("L1", "M1", 20'000'000, "V");
  fresh_.disburse("L2", "M2", 5'000'000, "A");
  ASSERT_TRUE(fresh_.loans->record_collection("G1", meeting, right));
  expect_same_as_fresh({"L1", "L2"}, {meeting, day(2026, 12, 31)});
  EXPECT_TRUE(book_.checks_pass());
  auto none = book_.loans->reverse_collection("G1", day(2026, 2, 16), "x");
  ASSERT_TRUE(failed_with(none, ErrorKind::kBadInput));
  EXPECT_EQ(none.error().message(), "no collection sheet of group 'G1' was recorded on 2026-02-16");
}

// (b) A late receipt between two receipts changes the later one's split. L1 of product A: R1
// 933,333 on 15/02 pays instalment 1 (100,000 + 833,333). R3 1,000,000 on 15/04 then pays
// instalment 2 (100,000 + 833,333) and 66,667 of instalment 3's interest: principal 833,333,
// interest 166,667. R2 500,000 dated 15/03 is found late: it pays instalment 2's 100,000 interest
// and 400,000 principal, so R3 pays instalment 2's other 433,333, then instalment 3's 100,000
// interest and 466,667 principal: principal 900,000, interest 100,000. Entries: #3 R1, #4 R3,
// #5 R2, #6 the re-allocation of R3, dated 15/04: Dr 7021 66,667, Cr 2111 66,667.
TEST_F(LoanCorrectionsTest, LateReceiptReallocatesTheLaterOne) {
  book_.disburse("L1", "M1", 10'000'000, "A");
  book_.repay("L1", 933'333, day(2026, 2, 15), "R1");
  auto r3 = book_.repay("L1", 1'000'000, day(2026, 4, 15), "R3");
  EXPECT_EQ(r3.event.principal, vnd(833'333));
  EXPECT_EQ(r3.event.interest, vnd(166'667));
  auto late = book_.loans->repay("L1", vnd(500'000), vnd(0), day(2026, 3, 15), "R2");
  ASSERT_TRUE(late) << late.error().message();
  EXPECT_EQ(late->entry.id, 5);
  EXPECT_EQ(late->event.principal, vnd(400'000));
  EXPECT_EQ(late->event.interest, vnd(100'000));
  ASSERT_EQ(late->reallocations.size(), 1u);
  const Entry& moved = late->reallocations[0];
  EXPECT_EQ(moved.id, 6);
  EXPECT_EQ(moved.date, day(2026, 4, 15));
  EXPECT_EQ(moved.memo,
            "Phân bổ lại (re-allocation) lần trả #4 ngày 15/04/2026 khoản vay L1 do phiếu thu muộn #5 ngày "
            "15/03/2026 (late receipt)");
  EXPECT_EQ(moved.postings, (std::vector<Posting>{{std::string(fund::kLoans), vnd(-66'667)},
                                                  {std::string(fund::kInterestIncome), vnd(66'667)}}));
  auto events = book_.loans->events("L1");
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[2].principal, vnd(900'000));
  EXPECT_EQ((*events)[2].interest, vnd(100'000));
  EXPECT_TRUE(book_.checks_pass());
  fresh_.disburse("L1", "M1", 10'000'000, "A");
  fresh_.repay("L1", 933'333, day(2026, 2, 15), "R1");
  fresh_.repay("L1", 500'000, day(2026, 3, 15), "R2");
  EXPECT_EQ(fresh_.repay("L1", 1'000'000, day(2026, 4, 15), "R3").event.principal, vnd(900'000));
  expect_same_as_fresh({"L1"}, {day(2026, 2, 15), day(2026, 3, 14), day(2026, 3, 15), day(2026, 4, 14),
                                day(2026, 4, 15), day(2026, 6, 30)});
  // By hand on 31/03: 2111 = 10,000,000 − 833,333 − 400,000 = 8,766,667, 7021 −200,000; on 15/04:
  // 2111 = 8,766,667 − 900,000 = 7,866,667, 7021 −300,000.
  EXPECT_EQ(book_.balance(fund::kLoans, day(2026, 3, 31)), vnd(8'766'667));
  EXPECT_EQ(book_.balance(fund::kInterestIncome, day(2026, 3, 31)), vnd(-200'000));
  EXPECT_EQ(book_.balance(fund::kLoans, day(2026, 4, 15)), vnd(7'866'667));
  EXPECT_EQ(book_.balance(fund::kInterestIncome, day(2026, 4, 15)), vnd(-300'000));
  // (e) the late receipt again: written once.
  const auto n = book_.entries();
  auto twice = book_.loans->repay("L1", vnd(500'000), vnd(0), day(2026, 3, 15), "R2");
  ASSERT_TRUE(twice);
  EXPECT_FALSE(twice->created);
  EXPECT_EQ(book_.entries(), n);
}

// (c) Reversing the first of three repayments, with a 3 %/month penalty (product B). R1, R2, R3
// of 933,333 on 15/02, 15/03, 15/04, each on its due date: no penalty, 100,000 + 833,333 each.
// R1 reversed (#6): on 15/03 instalment 1 is 28 days late: 833,333 × 3 % × 28/30 = 23,333.32 →
// 23,333 penalty, so R2 = 23,333 penalty + 100,000 interest + 810,000 principal (23,333 of
// instalment 1's principal still unpaid). On 15/04 instalment 1 owes 833,333 × 3 % × 28/30 +
// 23,333 × 3 % × 31/30 = 24,056.65 → 24,057 of penalty, 23,333 paid: 724, then its 23,333
// principal; instalment 2 is 31 days late: 833,333 × 3 % × 31/30 = 25,833.32 → 25,833 penalty,
// then 100,000 interest and 933,333 − 724 − 23,333 − 25,833 − 100,000 = 783,443 principal. R3 =
// penalty 26,557, interest 100,000, principal 806,776. Re-allocations: #7 (15/03) Dr 2111 23,333
// / Cr 7022 23,333; #8 (15/04) Dr 2111 26,557 / Cr 7022 26,557.
TEST_F(LoanCorrectionsTest, FirstOfThreeRepaymentsReversed) {
  book_.disburse("L1", "M1", 10'000'000, "B");
  for (int m : {2, 3, 4}) book_.repay("L1", 933'333, day(2026, m, 15), "R" + std::to_string(m - 1));
  auto rev = book_.reverse(3, "phiếu R1 không có thật");
  ASSERT_TRUE(rev) << rev.error().message();
  ASSERT_EQ(rev->entries.size(), 3u);
  EXPECT_EQ(rev->entries[0].id, 6);
  EXPECT_EQ(rev->entries[0].reverses.value_or(0), 3);
  EXPECT_EQ(rev->entries[1].id, 7);
  EXPECT_EQ(rev->entries[1].date, day(2026, 3, 15));
  EXPECT_EQ(rev->entries[1].postings, (std::vector<Posting>{{std::string(fund::kLoans), vnd(23'333)},
                                                                  {std::string(fund::kPenaltyIncome), vnd(-23'333)}}));
  EXPECT_EQ(rev->entries[2].date, day(2026, 4, 15));
  EXPECT_EQ(rev->entries[2].postings, (std::vector<Posting>{{std::string(fund::kLoans), vnd(26'557)},
                                                                  {std::string(fund::kPenaltyIncome), vnd(-26'557)}}));
  auto events = book_.loans->events("L1");
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].penalty, vnd(23'333));
  EXPECT_EQ((*events)[0].principal, vnd(810'000));
  EXPECT_EQ((*events)[1].penalty, vnd(26'557));
  EXPECT_EQ((*events)[1].principal, vnd(806'776));
  EXPECT_TRUE(book_.checks_pass());
  fresh_.disburse("L1", "M1", 10'000'000, "B");
  fresh_.repay("L1", 933'333, day(2026, 3, 15), "R2");
  fresh_.repay("L1", 933'333, day(2026, 4, 15), "R3");
  expect_same_as_fresh({"L1"}, {day(2026, 2, 15), day(2026, 3, 15), day(2026, 4, 15), day(2026, 5, 20)});
  // By hand on 30/04: 2111 = 10,000,000 − 810,000 − 806,776 = 8,383,224; 7022 −(23,333 + 26,557).
  EXPECT_EQ(book_.balance(fund::kLoans, day(2026, 4, 30)), vnd(8'383'224));
  EXPECT_EQ(book_.balance(fund::kPenaltyIncome, day(2026, 4, 30)), vnd(-49'890));
  // R1 recorded again after its reversal: revision "R1~2", and R2, R3 re-allocated back.
  auto back = book_.loans->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1");
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->event.client_id, "R1~2");
  EXPECT_EQ(back->reallocations.size(), 2u);
  EXPECT_EQ(book_.balance(fund::kLoans, day(2026, 4, 30)), vnd(10'000'000 - 3 * 833'333));
  EXPECT_EQ(book_.balance(fund::kPenaltyIncome, day(2026, 4, 30)), vnd(0));
  EXPECT_TRUE(book_.checks_pass());
}

// (d) Refusals, each writing nothing. L1 (product A): #3 R1 933,333 on 15/02, #4 its payoff on
// 20/03 (9,166,667 principal + 100,000 interest of instalment 2 due 15/03 = 9,266,667).
TEST_F(LoanCorrectionsTest, RefusalsNameWhatToReverseFirst) {
  book_.disburse("L1", "M1", 10'000'000, "A");
  book_.repay("L1", 933'333, day(2026, 2, 15), "R1");
  auto off = book_.loans->payoff("L1", day(2026, 3, 20), std::nullopt, "");
  ASSERT_TRUE(off) << off.error().message();
  EXPECT_EQ(off->entry.id, 4);
  EXPECT_EQ(off->event.amount, vnd(9'266'667));
  const auto n = book_.entries();
  auto disb = book_.reverse(2, "x");
  ASSERT_TRUE(failed_with(disb, ErrorKind::kBadInput));
  EXPECT_EQ(disb.error().message(),
            "loan 'L1' has 2 event(s) after its disbursement #2: reverse #4, #3 first (the latest first)");
  auto r1 = book_.reverse(3, "x");
  ASSERT_TRUE(failed_with(r1, ErrorKind::kBadInput));
  EXPECT_EQ(r1.error().message(),
            "loan 'L1': the repay #3 on 2026-02-15 comes before its payoff on 2026-03-20 (entry #4): reverse that "
            "first (soquy reverse 4 --reason …)");
  auto late = book_.loans->repay("L1", vnd(100'000), vnd(0), day(2026, 3, 1), "");
  ASSERT_TRUE(failed_with(late, ErrorKind::kBadInput));
  EXPECT_EQ(late.error().field(), "date");
  EXPECT_EQ(late.error().message(),
            "loan 'L1': a receipt dated 2026-03-01 comes before its payoff on 2026-03-20 (entry #4): reverse that "
            "first (soquy reverse 4 --reason …)");
  auto dated = book_.loans->reverse_entry(book_.entry(4), ReversalRequest{day(2026, 3, 21), "x", ""});
  ASSERT_TRUE(failed_with(dated, ErrorKind::kBadInput));
  EXPECT_EQ(dated.error().field(), "date");
  EXPECT_TRUE(failed_with(book_.reverse(4, ""), ErrorKind::kBadInput));
  EXPECT_EQ(book_.entries(), n);
  // The payoff reversed (#5): the loan is open again; then R1 (#6), then the disbursement (#7).
  ASSERT_TRUE(book_.reverse(4, "tất toán nhầm ngày"));
  auto open = book_.loans->snapshot("L1", day(2026, 3, 31));
  ASSERT_TRUE(open);
  EXPECT_EQ(open->status, LoanStatus::kActive);
  EXPECT_EQ(open->position.outstanding_principal, vnd(9'166'667));
  ASSERT_TRUE(book_.reverse(3, "phiếu nhầm"));
  auto cancel = book_.reverse(2, "giải ngân nhầm hội viên");
  ASSERT_TRUE(cancel) << cancel.error().message();
  EXPECT_EQ(cancel->entries[0].id, 7);
  auto gone = book_.loans->snapshot("L1", day(2026, 3, 31));
  ASSERT_TRUE(failed_with(gone, ErrorKind::kBadInput));
  EXPECT_EQ(gone.error().message(),
            "loan 'L1' was cancelled: its disbursement was reversed by #7 (giải ngân nhầm hội viên)");
  int listed = 0;
  ASSERT_TRUE(book_.loans->for_each_snapshot(day(2026, 12, 31), [&](const LoanSnapshot&) { ++listed; }));
  EXPECT_EQ(listed, 0);
  EXPECT_EQ(book_.balance(fund::kLoans, day(2026, 1, 15)), vnd(0));
  EXPECT_TRUE(book_.checks_pass());
  EXPECT_TRUE(failed_with(book_.loans->repay("L1", vnd(1), vnd(0), day(2026, 4, 1), ""), ErrorKind::kBadInput));
}

// (d) A write-off (#4, 10,000,000 − 833,333 = 9,166,667) followed by a recovery (#5): the write-off
// is reversed only after the recovery. A re-allocation entry and a reversal are never reversed
// alone: reversing the late receipt re-allocates the later repayment back. An extension is not
// crossed by a late receipt.
TEST_F(LoanCorrectionsTest, WriteoffRecoveryExtensionAndReallocationEntries) {
  book_.disburse("L1", "M1", 10'000'000, "A");
  book_.repay("L1", 933'333, day(2026, 2, 15), "R1");
  ASSERT_TRUE(book_.loans->writeoff("L1", day(2026, 6, 30), "mất khả năng trả"));
  ASSERT_TRUE(book_.loans->recover("L1", vnd(1'000'000), day(2026, 9, 1), "THN-1"));
  auto w = book_.reverse(4, "x");
  ASSERT_TRUE(failed_with(w, ErrorKind::kBadInput));
  EXPECT_EQ(w.error().message(),
            "loan 'L1': the writeoff #4 on 2026-06-30 is followed by its recover on 2026-09-01 (entry #5): reverse "
            "that first");
  ASSERT_TRUE(book_.reverse(5, "thu nhầm"));
  ASSERT_TRUE(book_.reverse(4, "chưa đủ điều kiện xóa nợ"));
  EXPECT_EQ(book_.balance(fund::kLoans, day(2026, 12, 31)), vnd(9'166'667));
  // Written off again: a new entry, not the reversed one (its client id takes a revision).
  auto again = book_.loans->writeoff("L1", day(2026, 10, 1), "");
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(book_.entry(*again->entry_id).client_id, "loan:L1:writeoff~2");
  EXPECT_TRUE(book_.checks_pass());

  book_.disburse("L2", "M2", 10'000'000, "A");
  book_.repay("L2", 933'333, day(2026, 2, 15), "");
  const auto r3 = book_.repay("L2", 1'000'000, day(2026, 4, 15), "");
  auto late = book_.loans->repay("L2", vnd(500'000), vnd(0), day(2026, 3, 15), "");
  ASSERT_TRUE(late);
  ASSERT_EQ(late->reallocations.size(), 1u);
  const std::int64_t moved = late->reallocations[0].id;
  auto alone = book_.reverse(moved, "x");
  ASSERT_TRUE(failed_with(alone, ErrorKind::kBadInput));
  EXPECT_NE(alone.error().message().find(fmt::format("re-allocates the repayment #{}", r3.entry.id)), std::string::npos)
      << alone.error().message();
  // Reversing the late receipt takes the re-allocation back (its reversal is posted too).
  auto undo = book_.reverse(late->entry.id, "phiếu trùng");
  ASSERT_TRUE(undo) << undo.error().message();
  // Its reversal, and a new re-allocation of the 15/04 repayment back to its first split (the
  // earlier re-allocation belongs to that repayment and stays).
  EXPECT_EQ(undo->entries.size(), 2u);
  auto events = book_.loans->events("L2");
  EXPECT_EQ(events->back().principal, vnd(833'333));
  EXPECT_EQ(events->back().interest, vnd(166'667));
  EXPECT_TRUE(failed_with(book_.reverse(undo->entries[0].id, "x"), ErrorKind::kBadInput));
  ASSERT_TRUE(book_.loans->extend("L2", 2, day(2026, 5, 1), ""));
  auto crossing = book_.loans->repay("L2", vnd(100'000), vnd(0), day(2026, 4, 20), "");
  ASSERT_TRUE(failed_with(crossing, ErrorKind::kBadInput));
  EXPECT_EQ(crossing.error().message(),
            "loan 'L2': a receipt dated 2026-04-20 comes before its extension on 2026-05-01, whose new schedule was "
            "built from what had been paid by then; it posts no entry and is not reversed, so a receipt dated "
            "2026-04-20 can't be placed before it");
  EXPECT_TRUE(book_.checks_pass());
}

// (e) Reversing twice with the same client id writes once; with another id it is refused.
TEST_F(LoanCorrectionsTest, ReversingTwiceWithTheSameIdWritesOnce) {
  book_.disburse("L1", "M1", 10'000'000, "A");
  book_.repay("L1", 933'333, day(2026, 2, 15), "R1");
  auto first = book_.reverse(3, "nhầm", "DAO-1");
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_TRUE(first->created);
  const auto n = book_.entries();
  auto second = book_.reverse(3, "nhầm", "DAO-1");
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->entries[0].id, first->entries[0].id);
  EXPECT_EQ(book_.entries(), n);
  auto other = book_.reverse(3, "nhầm", "DAO-2");
  ASSERT_TRUE(failed_with(other, ErrorKind::kBadInput));
  EXPECT_EQ(other.error().message(), "entry #3 was already reversed by #4 (nhầm)");
  EXPECT_TRUE(book_.checks_pass());
}

}  // namespace
}  // namespace soquy
