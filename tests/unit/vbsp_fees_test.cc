// VBSP fees, commissions and grades (vbsp_fees.h): percentages, rounding worked by hand, rate
// versions by contract and effective date, the six criteria of a hand-built group, threshold
// boundaries, the setting's validation, and the engine on a small database.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "soquy/ledger.h"
#include "soquy/registry.h"
#include "soquy/settings.h"
#include "soquy/vbsp.h"
#include "soquy/vbsp_fees.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;
using test_support::TempDir;
using test_support::write_file;

Rational dec(int num, int den = 1) { return Rational(num) / den; }

// --- percentages and rounding --------------------------------------------------------------

TEST(VbspFeePercent, ParsesPercentagesOnly) {
  EXPECT_EQ(*parse_interest_percent("8%"), dec(8));
  EXPECT_EQ(*parse_interest_percent(" 7.5 %"), dec(15, 2));
  EXPECT_EQ(*parse_interest_percent("0%"), dec(0));
  EXPECT_EQ(*parse_interest_percent("100%"), dec(100));
  auto bare = parse_interest_percent("0.08");
  ASSERT_TRUE(failed_with(bare, ErrorKind::kBadInput));
  EXPECT_EQ(bare.error().message(),
            "'0.08' is not a percentage of interest: write it with '%', so 0.08 and 8 cannot be confused (e.g. 8% "
            "or 7.5%)");
  auto big = parse_interest_percent("101%");
  ASSERT_TRUE(failed_with(big, ErrorKind::kBadInput));
  EXPECT_NE(big.error().message().find("from 0% to 100%"), std::string::npos);
  EXPECT_TRUE(failed_with(parse_interest_percent("-1%"), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(parse_interest_percent("%"), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(parse_interest_percent(""), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(parse_interest_percent("1,5%"), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(parse_interest_percent("1e1%"), ErrorKind::kBadInput));
  EXPECT_EQ(format_percent(dec(15, 2)), "7.5%");
  EXPECT_EQ(format_percent(dec(8)), "8%");
}

TEST(VbspFeePercent, RoundsOnceHalfUp) {
  // 301 150 × 8.5 % = 25 597.75 → 25 598.
  EXPECT_EQ(percent_of(Money(301150), dec(17, 2)), Money(25598));
  // 301 150 × 7 % = 21 080.5: a tie, half-up → 21 081 (half-even would give 21 080).
  EXPECT_EQ(percent_of(Money(301150), dec(7)), Money(21081));
  // 100 000 × 7.5 % = 7 500 exactly.
  EXPECT_EQ(percent_of(Money(100000), dec(15, 2)), Money(7500));
  // 1 × 50 % = 0.5 → 1; 1 × 49.9 % = 0.499 → 0.
  EXPECT_EQ(percent_of(Money(1), dec(50)), Money(1));
  EXPECT_EQ(percent_of(Money(1), dec(499, 10)), Money(0));
  EXPECT_EQ(percent_of(Money(0), dec(8)), Money(0));
}

// --- rate versions -------------------------------------------------------------------------

TEST(VbspFeeRates, TheVersionInForceByContractAndDate) {
  const std::vector<VbspContract> contracts = {
      {"HD1", "C1", day(2026, 1, 2)}, {"HD2", "C1", day(2026, 7, 1)}, {"HD3", "C2", day(2026, 1, 1)}};
  const std::vector<VbspFeeRate> rates = {{"HD1", day(2026, 6, 1), dec(17, 2), dec(7)},
                                          {"HD1", day(2026, 1, 2), dec(8), dec(15, 2)},
                                          {"HD2", day(2026, 7, 15), dec(9), dec(8)}};
  std::string contract = "x";
  // Before the first contract is signed: no contract, no rate.
  EXPECT_FALSE(vbsp_rate_in_force(contracts, rates, "C1", day(2026, 1, 1), &contract));
  EXPECT_EQ(contract, "");
  // The day it takes effect, and the day before the next version.
  auto r = vbsp_rate_in_force(contracts, rates, "C1", day(2026, 1, 2), &contract);
  ASSERT_TRUE(r);
  EXPECT_EQ(contract, "HD1");
  EXPECT_EQ(r->effective_from, day(2026, 1, 2));
  EXPECT_EQ(r->fee_percent, dec(8));
  r = vbsp_rate_in_force(contracts, rates, "C1", day(2026, 5, 31));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->effective_from, day(2026, 1, 2));
  // The second version from its first day (versions are not in date order in the input).
  r = vbsp_rate_in_force(contracts, rates, "C1", day(2026, 6, 1));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->effective_from, day(2026, 6, 1));
  EXPECT_EQ(r->fee_percent, dec(17, 2));
  EXPECT_EQ(r->commission_percent, dec(7));
  // A newer contract of the commune replaces the old one from its signing, even before it has
  // a rate: HD1's rates do not carry over into HD2.
  EXPECT_FALSE(vbsp_rate_in_force(contracts, rates, "C1", day(2026, 7, 14), &contract));
  EXPECT_EQ(contract, "HD2");
  r = vbsp_rate_in_force(contracts, rates, "C1", day(2026, 7, 15));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->contract, "HD2");
  // A contract without any rate, and a commune without a contract.
  EXPECT_FALSE(vbsp_rate_in_force(contracts, rates, "C2", day(2026, 3, 1), &contract));
  EXPECT_EQ(contract, "HD3");
  EXPECT_FALSE(vbsp_rate_in_force(contracts, rates, "C9", day(2026, 3, 1), &contract));
  EXPECT_EQ(contract, "");
}

// --- thresholds and grades -----------------------------------------------------------------

TEST(VbspGrades, ThresholdsParseAndValidate) {
  auto t = parse_vbsp_grade_thresholds("50,70,85");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->weak_below, dec(50));
  EXPECT_EQ(t->average_below, dec(70));
  EXPECT_EQ(t->fair_below, dec(85));
  auto spaced = parse_vbsp_grade_thresholds(" 40 , 62.5 ,80 ");
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->average_below, dec(125, 2));
  auto two = parse_vbsp_grade_thresholds("50,70");
  ASSERT_TRUE(failed_with(two, ErrorKind::kBadInput));
  EXPECT_EQ(two.error().message(),
            "'50,70' is not three grade thresholds: 2 number(s) given (e.g. 50,70,85: below 50 Yếu, below 70 "
            "Trung bình, below 85 Khá, else Tốt)");
  auto down = parse_vbsp_grade_thresholds("70,50,85");
  ASSERT_TRUE(failed_with(down, ErrorKind::kBadInput));
  EXPECT_NE(down.error().message().find("they must go up strictly"), std::string::npos);
  EXPECT_TRUE(failed_with(parse_vbsp_grade_thresholds("50,50,85"), ErrorKind::kBadInput));
  auto over = parse_vbsp_grade_thresholds("50,70,101");
  ASSERT_TRUE(failed_with(over, ErrorKind::kBadInput));
  EXPECT_NE(over.error().message().find("101 is not from 0 to 100"), std::string::npos);
  EXPECT_TRUE(failed_with(parse_vbsp_grade_thresholds("a,b,c"), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(parse_vbsp_grade_thresholds(""), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(parse_vbsp_grade_thresholds("50,70,85,90"), ErrorKind::kBadInput));
}

TEST(VbspGrades, BoundariesBelongToTheHigherGrade) {
  const VbspGradeThresholds t;  // 50, 70, 85
  EXPECT_EQ(vbsp_grade(dec(0), t), VbspGrade::kWeak);
  EXPECT_EQ(vbsp_grade(dec(49), t), VbspGrade::kWeak);
  EXPECT_EQ(vbsp_grade(dec(4999, 100), t), VbspGrade::kWeak);
  EXPECT_EQ(vbsp_grade(dec(50), t), VbspGrade::kAverage);
  EXPECT_EQ(vbsp_grade(dec(69), t), VbspGrade::kAverage);
  EXPECT_EQ(vbsp_grade(dec(6999, 100), t), VbspGrade::kAverage);
  EXPECT_EQ(vbsp_grade(dec(70), t), VbspGrade::kFair);
  EXPECT_EQ(vbsp_grade(dec(84), t), VbspGrade::kFair);
  EXPECT_EQ(vbsp_grade(dec(8499, 100), t), VbspGrade::kFair);
  EXPECT_EQ(vbsp_grade(dec(85), t), VbspGrade::kGood);
  EXPECT_EQ(vbsp_grade(dec(100), t), VbspGrade::kGood);
  EXPECT_EQ(vietnamese(VbspGrade::kWeak), "Yếu");
  EXPECT_EQ(vietnamese(VbspGrade::kAverage), "Trung bình");
  EXPECT_EQ(vietnamese(VbspGrade::kFair), "Khá");
  EXPECT_EQ(vietnamese(VbspGrade::kGood), "Tốt");
  int sum = 0;
  for (auto c : kVbspCriteria) sum += max_points(c);
  EXPECT_EQ(sum, 100);
}

// A group's month, every criterion worked by hand:
//  1. transacting: receipts 601 150 and principal 19 000 000 in the month → 1 → 20 points.
//  2. principal due 27 000 000 (20 000 000 + 7 000 000), collected 19 000 000:
//     19/27 = 0.703703…; 15 × 19/27 = 10.5555… → 10.56.
//  3. interest: collected 301 150, unpaid 80 000 → 301 150 / 381 150 = 0.79010…;
//     20 × that = 15.8021… → 15.80.
//  4. members saving: 2 of 3 borrowers → 5 × 2/3 = 3.333… → 3.33.
//  5. savings growth: 350 000 against 50 000 → grew → 10.
//  6. overdue 8 000 000 of 33 000 000 → 1 − 8/33 = 25/33 = 0.7575…; 30 × 25/33 = 22.7272… → 22.73.
//  Total 20 + 10.56 + 15.80 + 3.33 + 10 + 22.73 = 82.42 → Khá (70 ≤ 82.42 < 85).
VbspGroupMonth hand_built() {
  VbspGroupMonth m;
  m.group = "0841012";
  m.receipts = Money(601150);
  m.principal_paid = Money(19000000);
  m.principal_due = Money(27000000);
  m.principal_due_paid = Money(19000000);
  VbspGroupMonth::Bank b;
  b.as_of = day(2026, 11, 30);
  b.interest_collected = Money(301150);
  b.interest_unpaid = Money(80000);
  b.borrowers = 3;
  b.saving = 2;
  b.savings = Money(350000);
  b.outstanding = Money(33000000);
  b.overdue = Money(8000000);
  m.now = b;
  m.before_as_of = day(2026, 10, 31);
  m.savings_before = Money(50000);
  return m;
}

TEST(VbspGrades, SixCriteriaWorkedByHand) {
  auto s = score_vbsp_group(hand_built(), VbspGradeThresholds{});
  const Rational expected_points[] = {dec(20), dec(1056, 100), dec(1580, 100), dec(333, 100), dec(10), dec(2273, 100)};
  const Rational expected_values[] = {dec(1), dec(19, 27), Rational(301150) / 381150, dec(2, 3), dec(1), dec(25, 33)};
  for (std::size_t i = 0; i < 6; ++i) {
    SCOPED_TRACE(std::string(to_string(kVbspCriteria[i])));
    EXPECT_EQ(s.criteria[i].criterion, kVbspCriteria[i]);
    ASSERT_TRUE(s.criteria[i].points);
    EXPECT_EQ(*s.criteria[i].points, expected_points[i]);
    EXPECT_EQ(*s.criteria[i].value, expected_values[i]);
    EXPECT_FALSE(s.criteria[i].missing);
  }
  EXPECT_EQ(s.criteria[1].detail, "collected 19000000 of 27000000 due");
  ASSERT_TRUE(s.total);
  EXPECT_EQ(*s.total, dec(8242, 100));
  EXPECT_EQ(*s.grade, VbspGrade::kFair);
  // The same total with the last threshold at 82.42 is Tốt (the boundary belongs above).
  VbspGradeThresholds t{dec(50), dec(70), dec(8242, 100)};
  EXPECT_EQ(*score_vbsp_group(hand_built(), t).grade, VbspGrade::kGood);
}

TEST(VbspGrades, NothingDueIsFullPointsAndNothingDoneIsZero) {
  VbspGroupMonth m;
  m.group = "G";
  VbspGroupMonth::Bank b;  // no open loan, no interest owed
  m.now = b;
  m.savings_before = Money(0);
  auto s = score_vbsp_group(m, VbspGradeThresholds{});
  EXPECT_EQ(*s.criteria[0].points, dec(0));  // no receipt, no principal: did not transact
  EXPECT_EQ(s.criteria[0].detail, "no receipt and no principal paid in the month");
  EXPECT_EQ(*s.criteria[1].points, dec(15));
  EXPECT_EQ(s.criteria[1].detail, "no principal due");
  EXPECT_EQ(*s.criteria[2].points, dec(20));
  EXPECT_EQ(*s.criteria[3].points, dec(5));
  EXPECT_EQ(*s.criteria[4].points, dec(0));  // 0 is not growth
  EXPECT_EQ(*s.criteria[5].points, dec(30));
  EXPECT_EQ(*s.total, dec(70));
  EXPECT_EQ(*s.grade, VbspGrade::kFair);
}

TEST(VbspGrades, MissingStatementsAreShownAndNotGraded) {
  auto m = hand_built();
  m.savings_before.reset();
  m.before_as_of.reset();
  auto s = score_vbsp_group(m, VbspGradeThresholds{});
  EXPECT_TRUE(s.criteria[4].missing);
  EXPECT_FALSE(s.criteria[4].points);
  EXPECT_EQ(s.criteria[4].detail, "missing: no VBSP statement dated in the month before");
  EXPECT_FALSE(s.criteria[5].missing);
  EXPECT_FALSE(s.total);
  EXPECT_FALSE(s.grade);

  m.now.reset();
  s = score_vbsp_group(m, VbspGradeThresholds{});
  for (std::size_t i : {2u, 3u, 4u, 5u}) {
    EXPECT_TRUE(s.criteria[i].missing) << i;
    EXPECT_EQ(s.criteria[i].detail, "missing: no VBSP statement dated in the month") << i;
  }
  EXPECT_EQ(*s.criteria[0].points, dec(20));  // the union's own data is still scored
  EXPECT_EQ(*s.criteria[1].points, dec(1056, 100));
  EXPECT_FALSE(s.total);
}

// --- the engine on a database --------------------------------------------------------------

constexpr const char* kRegister =
    "loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,disbursed_on,amount,maturity_on\n"
    "6001000000000001,0841012,HV1,KH001,,Nguyễn Thị Hòa,01,2026-01-15,30000000,2029-01-15\n"
    "6001000000000002,0841012,HV2,KH002,,Đặng Thị Huệ,19,2026-02-01,20000000,2026-11-20\n";

constexpr const char* kTransactions =
    "date,loan_no,kind,amount,receipt_no\n"
    "2026-10-10,6001000000000001,interest,100000,R1\n"
    "2026-11-10,6001000000000001,interest,181150,R2\n"
    "2026-11-10,6001000000000001,savings-in,200000,R3\n"
    "2026-11-10,6001000000000002,interest,120000,R4\n"
    "2026-11-10,6001000000000002,principal,15000000,R5\n";

class VbspFeesBook : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    Registry reg(*ledger_);
    ASSERT_TRUE(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", day(2020, 1, 1)}));
    ASSERT_TRUE(reg.add_unit({"C1", "Long Đức", UnitKind::kCommune, "P", day(2020, 1, 1)}));
    write_file(dir_.file("register.csv"), kRegister);
    write_file(dir_.file("tx.csv"), kTransactions);
    Vbsp v(*ledger_);
    VbspImportOptions o;
    o.unit = "C1";
    ASSERT_TRUE(v.import_register(dir_.file("register.csv"), o));
    ASSERT_TRUE(v.import_transactions(dir_.file("tx.csv")));
    fees_ = std::make_unique<VbspFees>(*ledger_);
  }
  TempDir dir_;
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<VbspFees> fees_;
};

TEST_F(VbspFeesBook, ContractsAndRatesAreVersionsNeverChanged) {
  auto unknown = fees_->add_rate({"HD1", day(2026, 1, 2), dec(8), dec(7)});
  ASSERT_TRUE(failed_with(unknown, ErrorKind::kBadInput));
  EXPECT_EQ(unknown.error().field(), "contract");
  EXPECT_EQ(unknown.error().message(),
            "unknown contract 'HD1' (recorded: none); add it with soquy vbsp contract add");
  EXPECT_TRUE(failed_with(fees_->add_contract({"HD1", "P", day(2026, 1, 2)}), ErrorKind::kBadInput));  // a province
  ASSERT_TRUE(*fees_->add_contract({"HD1", "C1", day(2026, 1, 2)}));
  EXPECT_FALSE(*fees_->add_contract({"HD1", "C1", day(2026, 1, 2)}));  // the same: already there
  EXPECT_TRUE(failed_with(fees_->add_contract({"HD1", "C1", day(2026, 1, 3)}), ErrorKind::kBadInput));
  auto early = fees_->add_rate({"HD1", day(2026, 1, 1), dec(8), dec(7)});
  ASSERT_TRUE(failed_with(early, ErrorKind::kBadInput));
  EXPECT_EQ(early.error().field(), "from");
  EXPECT_EQ(early.error().message(), "2026-01-01 is before contract 'HD1' was signed on 2026-01-02");
  ASSERT_TRUE(*fees_->add_rate({"HD1", day(2026, 1, 2), dec(8), dec(15, 2)}));
  EXPECT_FALSE(*fees_->add_rate({"HD1", day(2026, 1, 2), dec(8), dec(15, 2)}));
  auto other = fees_->add_rate({"HD1", day(2026, 1, 2), dec(9), dec(15, 2)});
  ASSERT_TRUE(failed_with(other, ErrorKind::kBadInput));
  EXPECT_NE(other.error().message().find("already has rates from 2026-01-02 (fee 8%, commission 7.5%)"),
            std::string::npos);
  ASSERT_TRUE(*fees_->add_rate({"HD1", day(2026, 11, 30), dec(17, 2), dec(7)}));
  auto rates = fees_->rates();
  ASSERT_EQ(rates.size(), 2u);
  EXPECT_EQ(rates[0].commission_percent, dec(15, 2));  // 7.5 stored exactly, read back exactly
  EXPECT_EQ(rates[1].fee_percent, dec(17, 2));
}

TEST_F(VbspFeesBook, SessionFeesFromTheSessionsInterest) {
  ASSERT_TRUE(fees_->add_contract({"HD1", "C1", day(2026, 1, 2)}));
  ASSERT_TRUE(fees_->add_rate({"HD1", day(2026, 1, 2), dec(8), dec(15, 2)}));
  ASSERT_TRUE(fees_->add_rate({"HD1", day(2026, 11, 30), dec(17, 2), dec(7)}));
  // October: interest 100 000 (R1) × 8 % = 8 000, × 7.5 % = 7 500 (the first version).
  auto oct = fees_->month_fees(day(2026, 10, 1), day(2026, 10, 31));
  ASSERT_TRUE(oct) << oct.error().message();
  ASSERT_EQ(oct->sessions.size(), 1u);
  EXPECT_EQ(oct->sessions[0].interest, Money(100000));
  EXPECT_EQ(*oct->sessions[0].fee, Money(8000));
  EXPECT_EQ(*oct->sessions[0].commission, Money(7500));
  // November: interest 181 150 + 120 000 = 301 150 (savings and principal not counted); the
  // version from 2026-11-30 is in force on the session date 2026-11-30:
  // fee 8.5 % = 25 597.75 → 25 598; commission 7 % = 21 080.5 → 21 081.
  auto nov = fees_->month_fees(day(2026, 11, 1), day(2026, 11, 30));
  ASSERT_TRUE(nov) << nov.error().message();
  ASSERT_EQ(nov->sessions.size(), 1u);
  const auto& s = nov->sessions[0];
  EXPECT_EQ(s.interest, Money(301150));
  EXPECT_EQ(s.contract, "HD1");
  EXPECT_EQ(s.rate->effective_from, day(2026, 11, 30));
  EXPECT_EQ(*s.fee, Money(25598));
  EXPECT_EQ(*s.commission, Money(21081));
  EXPECT_EQ(nov->fee, Money(25598));
  // One session on 2026-11-29 still takes the first version: 301 150 × 8 % = 24 092.
  auto before = fees_->session_fee("0841012", day(2026, 11, 29));
  ASSERT_TRUE(before);
  EXPECT_EQ(*before->fee, Money(24092));
  EXPECT_EQ(*before->commission, Money(22586));  // 301 150 × 7.5 % = 22 586.25 → 22 586
  EXPECT_TRUE(failed_with(fees_->session_fee("0000000", day(2026, 11, 29)), ErrorKind::kBadInput));
}

TEST_F(VbspFeesBook, NoRateIsShownNotZero) {
  auto nov = fees_->month_fees(day(2026, 11, 1), day(2026, 11, 30));
  ASSERT_TRUE(nov);
  ASSERT_EQ(nov->sessions.size(), 1u);
  EXPECT_FALSE(nov->sessions[0].rate);
  EXPECT_FALSE(nov->sessions[0].fee);
  EXPECT_EQ(nov->sessions[0].contract, "");
  EXPECT_EQ(nov->without_rate, 1);
  EXPECT_EQ(nov->interest, Money(301150));
}

TEST_F(VbspFeesBook, GradeThresholdsSettingIsValidatedAndUsed) {
  Settings settings(*ledger_);
  auto bad = settings.set(kVbspGradeThresholdsSetting, "70,50,85");
  ASSERT_TRUE(failed_with(bad, ErrorKind::kBadInput));
  EXPECT_EQ(bad.error().message().rfind("vbsp.grade_thresholds: '70,50,85' is not three grade thresholds", 0), 0u);
  EXPECT_EQ(settings.get(kVbspGradeThresholdsSetting)->value, "50,70,85");
  ASSERT_TRUE(settings.set(kVbspGradeThresholdsSetting, "40,60,80"));
  // No statement: the grades say which criteria are missing and grade nobody.
  auto g = fees_->grades(day(2026, 11, 1), day(2026, 11, 30));
  ASSERT_TRUE(g) << g.error().message();
  EXPECT_EQ(g->thresholds.fair_below, dec(80));
  ASSERT_EQ(g->groups.size(), 1u);
  EXPECT_FALSE(g->groups[0].grade);
  EXPECT_EQ(g->not_graded, 1);
  // From the union's data alone: transacting 20; principal due of loan 2 (matures 2026-11-20):
  // 20 000 000 at the start, 15 000 000 paid → 15 × 3/4 = 11.25.
  EXPECT_EQ(*g->groups[0].criteria[0].points, dec(20));
  EXPECT_EQ(*g->groups[0].criteria[1].points, dec(1125, 100));
  EXPECT_TRUE(g->groups[0].criteria[2].missing);
  EXPECT_TRUE(failed_with(fees_->grades(day(2026, 11, 1), day(2026, 11, 30), "0841099"), ErrorKind::kBadInput));
}

}  // namespace
}  // namespace soquy
