// Allocation, overdue position, DPD, buckets, classes, provisions and PAR (issue 4). Every
// expected figure is worked out by hand in the comment beside it, from schedules A, D and E of
// shared/vectors/loans.md (A: 11 × 833333 principal + 100000 interest due on the 15th from
// 2026-02-15, the 12th 833337 + 100000 on 2027-01-15; total 11200000).
#include <gtest/gtest.h>

#include <limits>

#include "soquy/loan_status.h"

namespace soquy {
namespace {

Date d(const char* iso) { return *Date::parse_iso(iso); }
Money m(std::int64_t v) { return Money(v); }

LoanSchedule schedule_a() {
  LoanTerms t;
  t.principal = m(10'000'000);
  t.rate = *Rate::parse("1%/month");
  t.installments = 12;
  t.method = RepaymentMethod::kFlat;
  t.disbursed_on = d("2026-01-15");
  return *build_schedule(t);
}

LoanSchedule schedule_d() {  // disbursed 31 Jan: due 28 Feb, 31 Mar, 30 Apr …
  LoanTerms t;
  t.principal = m(7'500'000);
  t.rate = *Rate::parse("0.65%/month");
  t.installments = 6;
  t.method = RepaymentMethod::kEqualTotal;
  t.disbursed_on = d("2026-01-31");
  return *build_schedule(t);
}

LoanPosition position(const LoanSchedule& s, const std::vector<Payment>& p, const char* as_of,
                      const PositionOptions& o = {}) {
  auto r = loan_position(s, p, d(as_of), o);
  if (!r) ADD_FAILURE() << r.error().message();
  return r ? *r : LoanPosition{};
}

// ---- The worked example of shared/vectors/loans.md ----------------------------------------

const std::vector<Payment> kOverduePayments = {{d("2026-02-15"), m(933'333)}, {d("2026-03-20"), m(500'000)}};

TEST(LoanStatus, OverdueWorkedExample) {
  auto p = position(schedule_a(), kOverduePayments, "2026-04-30");
  // Instalment 2: 500000 paid 100000 interest then 400000 principal → 433333 unpaid; instalment 3
  // (due 04-15) unpaid: 433333 + 833333.
  EXPECT_EQ(p.overdue_principal, m(1'266'666));
  EXPECT_EQ(p.overdue_interest, m(100'000));
  EXPECT_EQ(p.overdue_penalty, m(0));  // no penalty rate → no penalty
  EXPECT_EQ(p.installments_overdue, 2);
  EXPECT_EQ(p.days_past_due, 46);  // 2026-04-30 − 2026-03-15
  EXPECT_EQ(p.oldest_overdue_due_on, d("2026-03-15"));
  EXPECT_EQ(aging_bucket(p.days_past_due), "31-60");
  EXPECT_EQ(loan_class(p.days_past_due).code, "G3");
  EXPECT_EQ(p.outstanding_principal, m(8'766'667));  // 10000000 − 833333 − 400000
  EXPECT_EQ(p.principal, m(10'000'000));
  EXPECT_EQ(p.principal_paid, m(1'233'333));
  EXPECT_EQ(p.interest_paid, m(200'000));
  EXPECT_EQ(p.overpayment, m(0));
  // G3 at 20 %: 8766667 / 5 = 1753333.4 → 1753333.
  EXPECT_EQ(loan_provision(p), m(1'753'333));
}

TEST(LoanStatus, OverdueWorkedExampleAllocation) {
  auto a = allocate(schedule_a(), kOverduePayments);
  ASSERT_TRUE(a) << a.error().message();
  ASSERT_EQ(a->installments.size(), 12u);
  EXPECT_EQ(a->installments[0].principal_paid, m(833'333));
  EXPECT_EQ(a->installments[0].interest_paid, m(100'000));
  EXPECT_EQ(a->installments[0].paid_in_full_on, d("2026-02-15"));
  EXPECT_EQ(a->installments[1].interest_paid, m(100'000));
  EXPECT_EQ(a->installments[1].principal_paid, m(400'000));
  EXPECT_FALSE(a->installments[1].paid_in_full_on.has_value());
  EXPECT_EQ(a->installments[2].principal_paid, m(0));
  ASSERT_EQ(a->payments.size(), 2u);
  EXPECT_EQ(a->payments[1].interest, m(100'000));
  EXPECT_EQ(a->payments[1].principal, m(400'000));
  EXPECT_EQ(a->payments[1].penalty, m(0));
  EXPECT_EQ(a->overpayment, m(0));
}

TEST(LoanStatus, PaymentsAfterAsOfAreIgnored) {
  // As of 03-19 the 03-20 payment has not happened: instalment 2 (due 03-15) wholly unpaid.
  auto before = position(schedule_a(), kOverduePayments, "2026-03-19");
  EXPECT_EQ(before.days_past_due, 4);
  EXPECT_EQ(before.overdue_principal, m(833'333));
  EXPECT_EQ(before.overdue_interest, m(100'000));
  EXPECT_EQ(before.outstanding_principal, m(9'166'667));
  // On 03-20 it counts (payments dated T count at T); 433333 principal still overdue.
  auto on = position(schedule_a(), kOverduePayments, "2026-03-20");
  EXPECT_EQ(on.days_past_due, 5);
  EXPECT_EQ(on.overdue_principal, m(433'333));
  EXPECT_EQ(on.overdue_interest, m(0));
}

// ---- Due dates and timing ---------------------------------------------------------------------

TEST(LoanStatus, DueTodayIsNotOverdue) {
  auto p = position(schedule_a(), {}, "2026-02-15");
  EXPECT_EQ(p.days_past_due, 0);
  EXPECT_EQ(p.overdue_principal, m(0));
  EXPECT_EQ(p.overdue_interest, m(0));
  EXPECT_EQ(p.installments_overdue, 0);
  EXPECT_EQ(aging_bucket(p.days_past_due), "current");
  auto next = position(schedule_a(), {}, "2026-02-16");
  EXPECT_EQ(next.days_past_due, 1);
  EXPECT_EQ(next.overdue_principal, m(833'333));
  EXPECT_EQ(next.overdue_interest, m(100'000));
  EXPECT_EQ(aging_bucket(next.days_past_due), "1-30");
}

TEST(LoanStatus, BeforeFirstDueDateNothingIsOverdue) {
  auto p = position(schedule_a(), {}, "2026-01-20");
  EXPECT_EQ(p.days_past_due, 0);
  EXPECT_EQ(p.outstanding_principal, m(10'000'000));
  EXPECT_EQ(p.overdue_principal, m(0));
}

TEST(LoanStatus, PaidOnTheDueDateIsOnTime) {
  std::vector<Payment> pay = {{d("2026-02-15"), m(933'333)}};
  auto p = position(schedule_a(), pay, "2026-03-15");  // the day instalment 2 falls due
  EXPECT_EQ(p.days_past_due, 0);
  EXPECT_EQ(p.overdue_principal, m(0));
  auto a = allocate(schedule_a(), pay);
  EXPECT_EQ(a->installments[0].paid_in_full_on, a->installments[0].due_on);
  // Next day, instalment 2 is one day late; instalment 1 still fine.
  auto q = position(schedule_a(), pay, "2026-03-16");
  EXPECT_EQ(q.days_past_due, 1);
  EXPECT_EQ(q.oldest_overdue_due_on, d("2026-03-15"));
}

TEST(LoanStatus, PaidADayLate) {
  std::vector<Payment> pay = {{d("2026-02-16"), m(933'333)}};
  // On the payment day it counts: nothing overdue.
  EXPECT_EQ(position(schedule_a(), pay, "2026-02-16").days_past_due, 0);
  // Without the payment the same day would be DPD 1 (see DueTodayIsNotOverdue); the allocation
  // records the late date.
  auto a = allocate(schedule_a(), pay);
  EXPECT_EQ(a->installments[0].paid_in_full_on, d("2026-02-16"));
  EXPECT_EQ(position(schedule_a(), pay, "2026-03-01").days_past_due, 0);
}

TEST(LoanStatus, PartialPayment) {
  std::vector<Payment> pay = {{d("2026-02-15"), m(500'000)}};
  // interest 100000 first, then 400000 of the 833333 principal.
  auto p = position(schedule_a(), pay, "2026-02-20");
  EXPECT_EQ(p.overdue_principal, m(433'333));
  EXPECT_EQ(p.overdue_interest, m(0));
  EXPECT_EQ(p.days_past_due, 5);
  EXPECT_EQ(p.outstanding_principal, m(9'600'000));
  auto a = allocate(schedule_a(), pay);
  EXPECT_FALSE(a->installments[0].paid_in_full_on.has_value());
  // A partial payment smaller than the interest pays interest only.
  auto small = position(schedule_a(), {{d("2026-02-15"), m(60'000)}}, "2026-02-16");
  EXPECT_EQ(small.overdue_interest, m(40'000));
  EXPECT_EQ(small.overdue_principal, m(833'333));
  EXPECT_EQ(small.outstanding_principal, m(10'000'000));
}

TEST(LoanStatus, EarlyPaymentCoversNextInstalments) {
  // 2000000 on 02-01, before anything is due: instalments 1 and 2 (933333 each, 1866666), then
  // 133334 to instalment 3: interest 100000, principal 33334.
  std::vector<Payment> pay = {{d("2026-02-01"), m(2'000'000)}};
  auto a = allocate(schedule_a(), pay);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->installments[0].paid_in_full_on, d("2026-02-01"));
  EXPECT_EQ(a->installments[1].paid_in_full_on, d("2026-02-01"));
  EXPECT_EQ(a->installments[2].interest_paid, m(100'000));
  EXPECT_EQ(a->installments[2].principal_paid, m(33'334));
  EXPECT_FALSE(a->installments[2].paid_in_full_on.has_value());
  EXPECT_EQ(a->payments[0].principal, m(1'700'000));  // 833333 × 2 + 33334
  EXPECT_EQ(a->payments[0].interest, m(300'000));
  EXPECT_EQ(position(schedule_a(), pay, "2026-04-15").days_past_due, 0);  // instalment 3 due today
  auto p = position(schedule_a(), pay, "2026-04-16");
  EXPECT_EQ(p.days_past_due, 1);
  EXPECT_EQ(p.overdue_principal, m(799'999));  // 833333 − 33334
  EXPECT_EQ(p.overdue_interest, m(0));
  EXPECT_EQ(p.outstanding_principal, m(8'300'000));  // 10000000 − 1700000
}

TEST(LoanStatus, OverpaymentBeyondTheScheduleIsReturned) {
  // The whole schedule is 10000000 + 1200000 = 11200000; 11250000 leaves 50000; a later
  // payment of 70000 is all overpayment.
  std::vector<Payment> pay = {{d("2026-03-01"), m(11'250'000)}, {d("2026-04-01"), m(70'000)}};
  auto a = allocate(schedule_a(), pay);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->payments[0].principal, m(10'000'000));
  EXPECT_EQ(a->payments[0].interest, m(1'200'000));
  EXPECT_EQ(a->payments[0].overpayment, m(50'000));
  EXPECT_EQ(a->payments[1].overpayment, m(70'000));
  EXPECT_EQ(a->payments[1].principal, m(0));
  EXPECT_EQ(a->overpayment, m(120'000));
  for (const auto& in : a->installments) EXPECT_EQ(in.paid_in_full_on, d("2026-03-01"));
  auto p = position(schedule_a(), pay, "2027-06-01");
  EXPECT_EQ(p.outstanding_principal, m(0));
  EXPECT_EQ(p.days_past_due, 0);
  EXPECT_EQ(p.overpayment, m(120'000));
  // Only what is dated ≤ as_of counts toward the overpayment too.
  EXPECT_EQ(position(schedule_a(), pay, "2026-03-15").overpayment, m(50'000));
}

TEST(LoanStatus, EveryInstalmentPaidOnItsDueDate) {
  auto s = schedule_a();
  std::vector<Payment> pay;
  for (const auto& in : s.installments) pay.push_back({in.due_on, in.total});
  auto p = position(s, pay, "2027-03-01");
  EXPECT_EQ(p.outstanding_principal, m(0));
  EXPECT_EQ(p.interest_paid, m(1'200'000));
  EXPECT_EQ(p.days_past_due, 0);
  EXPECT_EQ(p.overpayment, m(0));
  // Stop paying after the 11th: the 12th (833337 + 100000, due 2027-01-15) is overdue.
  pay.pop_back();
  auto q = position(s, pay, "2027-03-01");
  EXPECT_EQ(q.outstanding_principal, m(833'337));
  EXPECT_EQ(q.overdue_principal, m(833'337));
  EXPECT_EQ(q.days_past_due, 45);  // 2027-01-15 → 2027-03-01: 16 + 28 + 1
}

TEST(LoanStatus, MonthEndDueDates) {
  // Schedule D: instalment 1 due 2026-02-28 (1229841 + 48750), 2 due 2026-03-31 (1237835 + 40756).
  auto s = schedule_d();
  EXPECT_EQ(position(s, {}, "2026-02-28").days_past_due, 0);
  EXPECT_EQ(position(s, {}, "2026-03-01").days_past_due, 1);
  auto p = position(s, {}, "2026-03-31");  // 31 days after 28 Feb; instalment 2 due today
  EXPECT_EQ(p.days_past_due, 31);
  EXPECT_EQ(p.overdue_principal, m(1'229'841));
  EXPECT_EQ(p.overdue_interest, m(48'750));
  EXPECT_EQ(aging_bucket(p.days_past_due), "31-60");
  EXPECT_EQ(loan_class(p.days_past_due).code, "G3");
  auto q = position(s, {}, "2026-04-01");
  EXPECT_EQ(q.days_past_due, 32);
  EXPECT_EQ(q.overdue_principal, m(2'467'676));  // 1229841 + 1237835
  EXPECT_EQ(q.overdue_interest, m(89'506));      // 48750 + 40756
  // Instalment 1 paid on 28 Feb: on time; 31 Mar is instalment 2's due date, also not late.
  std::vector<Payment> pay = {{d("2026-02-28"), m(1'278'591)}};
  EXPECT_EQ(position(s, pay, "2026-03-31").days_past_due, 0);
  EXPECT_EQ(position(s, pay, "2026-04-30").days_past_due, 30);  // 31 Mar → 30 Apr
}

TEST(LoanStatus, GraceInstalmentOwesInterestOnly) {
  // Schedule E (weekly, grace 2): instalment 1 due 2026-03-09 is 0 principal + 9231 interest.
  LoanTerms t;
  t.principal = m(5'000'000);
  t.rate = *Rate::parse("0.8%/month");
  t.installments = 10;
  t.grace = 2;
  t.frequency = Frequency::kWeekly;
  t.disbursed_on = d("2026-03-02");
  auto s = *build_schedule(t);
  auto p = position(s, {}, "2026-03-10");
  EXPECT_EQ(p.overdue_principal, m(0));
  EXPECT_EQ(p.overdue_interest, m(9'231));
  EXPECT_EQ(p.days_past_due, 1);
  EXPECT_EQ(p.outstanding_principal, m(5'000'000));
}

TEST(LoanStatus, InstalmentOwingNothingIsNeverOverdue) {
  LoanSchedule s;
  s.installments = {{1, d("2026-02-01"), m(0), m(0), m(0)}, {2, d("2026-03-01"), m(1'000), m(10), m(1'010)}};
  auto p = position(s, {}, "2026-03-05");
  EXPECT_EQ(p.days_past_due, 4);  // from instalment 2, not 32 from instalment 1
  EXPECT_EQ(p.installments_overdue, 1);
  auto a = allocate(s, {});
  EXPECT_EQ(a->installments[0].paid_in_full_on, d("2026-02-01"));
}

// ---- Allocation order and penalty -------------------------------------------------------------

TEST(LoanStatus, AllocationOrderIsData) {
  PositionOptions o;
  o.allocation.order = {Component::kPrincipal, Component::kInterest, Component::kPenalty};
  std::vector<Payment> pay = {{d("2026-02-15"), m(900'000)}};
  // Principal first: 833333, then 66667 of the interest; 33333 interest left.
  auto p = position(schedule_a(), pay, "2026-02-16", o);
  EXPECT_EQ(p.overdue_principal, m(0));
  EXPECT_EQ(p.overdue_interest, m(33'333));
  EXPECT_EQ(p.days_past_due, 1);  // interest unpaid is "anything unpaid"
  // The default order would leave 33333 principal instead.
  auto q = position(schedule_a(), pay, "2026-02-16");
  EXPECT_EQ(q.overdue_principal, m(33'333));
  EXPECT_EQ(q.overdue_interest, m(0));
}

TEST(LoanStatus, ParseAllocationOrder) {
  auto o = parse_allocation_order("interest, principal ,penalty");
  ASSERT_TRUE(o) << o.error().message();
  EXPECT_EQ(*o, (std::vector<Component>{Component::kInterest, Component::kPrincipal, Component::kPenalty}));
  for (const char* bad : {"", "interest,principal", "interest,interest,principal", "fees,interest,principal",
                          "penalty,interest,principal,penalty", "penalty,,interest,principal"}) {
    auto r = parse_allocation_order(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind(), ErrorKind::kBadInput);
  }
}

TEST(LoanStatus, NoPenaltyRateMeansNoPenalty) {
  auto p = position(schedule_a(), {}, "2027-06-01");
  EXPECT_EQ(p.overdue_penalty, m(0));
  EXPECT_EQ(p.overdue_principal, m(10'000'000));
  EXPECT_EQ(p.overdue_interest, m(1'200'000));
  EXPECT_EQ(p.days_past_due, 471);  // 2026-02-15 → 2027-06-01: 365 + 106 (Feb 15 → Jun 1)
}

TEST(LoanStatus, PenaltyOnOverduePrincipal) {
  PositionOptions o;
  o.allocation.penalty_rate = *Rate::parse("3%/month");
  // As of 03-17: instalment 1 is 30 days late: 833333 × 3 % × 30/30 = 24999.99 → 25000;
  // instalment 2 is 2 days late: 833333 × 3 % × 2/30 = 1666.666 → 1667.
  auto p = position(schedule_a(), {}, "2026-03-17", o);
  EXPECT_EQ(p.overdue_penalty, m(26'667));
  EXPECT_EQ(p.days_past_due, 30);
  // 36 %/year is 3 %/month: the same.
  o.allocation.penalty_rate = *Rate::parse("36%/year");
  EXPECT_EQ(position(schedule_a(), {}, "2026-03-17", o).overdue_penalty, m(26'667));
  // Penalty is paid first: 30000 on 03-17 → 25000 penalty of instalment 1, 5000 of its interest.
  auto a = allocate(schedule_a(), {{d("2026-03-17"), m(30'000)}}, o.allocation);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->payments[0].penalty, m(25'000));
  EXPECT_EQ(a->payments[0].interest, m(5'000));
  EXPECT_EQ(a->payments[0].principal, m(0));
  // Paying on the due date costs no penalty.
  auto on_time = allocate(schedule_a(), {{d("2026-02-15"), m(933'333)}}, o.allocation);
  EXPECT_EQ(on_time->payments[0].penalty, m(0));
  EXPECT_EQ(on_time->installments[0].paid_in_full_on, d("2026-02-15"));
}

TEST(LoanStatus, PenaltyAccruesOnWhatIsLeftAfterAPartialPayment) {
  PositionOptions o;
  o.allocation.penalty_rate = *Rate::parse("3%/month");
  // One day late: 833333 × 3 % / 30 = 833.333 → 833. The 933333 paid on 02-16 goes 833 penalty,
  // 100000 interest, 832500 principal: 833 principal stays unpaid.
  std::vector<Payment> pay = {{d("2026-02-16"), m(933'333)}};
  auto a = allocate(schedule_a(), pay, o.allocation);
  EXPECT_EQ(a->payments[0].penalty, m(833));
  EXPECT_EQ(a->payments[0].principal, m(832'500));
  EXPECT_FALSE(a->installments[0].paid_in_full_on.has_value());
  // Next day: exact accrued 833.333 + 833 × 3 % / 30 (= 0.833) = 834.166 → 834, 833 paid: 1 owed.
  auto p = position(schedule_a(), pay, "2026-02-17", o);
  EXPECT_EQ(p.overdue_principal, m(833));
  EXPECT_EQ(p.overdue_penalty, m(1));
  EXPECT_EQ(p.days_past_due, 2);
  EXPECT_EQ(p.penalty_paid, m(833));
}

// ---- States -------------------------------------------------------------------------------

TEST(LoanStatus, FrozenLoanIsNotOverdue) {
  PositionOptions o;
  o.state = LoanState::kFrozen;
  auto p = position(schedule_a(), kOverduePayments, "2026-04-30", o);
  EXPECT_EQ(p.state, LoanState::kFrozen);
  EXPECT_EQ(p.days_past_due, 0);
  EXPECT_EQ(p.overdue_principal, m(0));
  EXPECT_EQ(p.overdue_interest, m(0));
  EXPECT_EQ(p.installments_overdue, 0);
  EXPECT_EQ(p.outstanding_principal, m(8'766'667));  // still owed
  EXPECT_EQ(aging_bucket(p.days_past_due), "current");
}

// ---- Classification ---------------------------------------------------------------------------

TEST(LoanStatus, BucketBoundaries) {
  struct Case { std::int64_t dpd; const char* bucket; };
  for (auto c : {Case{0, "current"}, Case{1, "1-30"}, Case{30, "1-30"}, Case{31, "31-60"}, Case{60, "31-60"},
                 Case{61, "61-90"}, Case{90, "61-90"}, Case{91, "91-180"}, Case{180, "91-180"},
                 Case{181, "181-360"}, Case{360, "181-360"}, Case{361, ">360"}, Case{5000, ">360"}})
    EXPECT_EQ(aging_bucket(c.dpd), c.bucket) << c.dpd;
}

TEST(LoanStatus, ClassBoundaries) {
  struct Case { std::int64_t dpd; const char* cls; };
  for (auto c : {Case{0, "G1"}, Case{9, "G1"}, Case{10, "G2"}, Case{29, "G2"}, Case{30, "G3"}, Case{89, "G3"},
                 Case{90, "G4"}, Case{179, "G4"}, Case{180, "G5"}, Case{2000, "G5"}})
    EXPECT_EQ(loan_class(c.dpd).code, c.cls) << c.dpd;
}

TEST(LoanStatus, BoundariesThroughLoanPosition) {
  // Schedule A, nothing paid: DPD counts from 2026-02-15.
  struct Case { const char* as_of; std::int64_t dpd; const char* bucket; const char* cls; };
  for (auto c : {Case{"2026-02-24", 9, "1-30", "G1"}, Case{"2026-02-25", 10, "1-30", "G2"},
                 Case{"2026-03-16", 29, "1-30", "G2"}, Case{"2026-03-17", 30, "1-30", "G3"},
                 Case{"2026-03-18", 31, "31-60", "G3"}, Case{"2026-04-16", 60, "31-60", "G3"},
                 Case{"2026-04-17", 61, "61-90", "G3"}, Case{"2026-05-15", 89, "61-90", "G3"},
                 Case{"2026-05-16", 90, "61-90", "G4"}, Case{"2026-05-17", 91, "91-180", "G4"},
                 Case{"2026-08-13", 179, "91-180", "G4"}, Case{"2026-08-14", 180, "91-180", "G5"},
                 Case{"2026-08-15", 181, "181-360", "G5"}, Case{"2027-02-10", 360, "181-360", "G5"},
                 Case{"2027-02-11", 361, ">360", "G5"}}) {
    auto p = position(schedule_a(), {}, c.as_of);
    EXPECT_EQ(p.days_past_due, c.dpd) << c.as_of;
    EXPECT_EQ(aging_bucket(p.days_past_due), c.bucket) << c.as_of;
    EXPECT_EQ(loan_class(p.days_past_due).code, c.cls) << c.as_of;
  }
}

TEST(LoanStatus, ProvisionRoundsHalfUpPerLoan) {
  LoanPosition p;
  p.outstanding_principal = m(10);
  p.days_past_due = 10;  // G2, 5 %: 0.5 → 1 (half-even or truncation would give 0)
  EXPECT_EQ(loan_provision(p), m(1));
  p.outstanding_principal = m(833'333);  // 41666.65 → 41667
  EXPECT_EQ(loan_provision(p), m(41'667));
  p.days_past_due = 9;  // G1, 0 %
  EXPECT_EQ(loan_provision(p), m(0));
  p.days_past_due = 180;  // G5, 100 %
  EXPECT_EQ(loan_provision(p), m(833'333));
}

TEST(LoanStatus, CustomClassTable) {
  LoanClassTable t;
  t.classes = {{"A", 0, Rational(0)}, {"B", 1, Rational(1, 10)}, {"C", 31, Rational(1, 3)}};
  ASSERT_TRUE(validate(t));
  EXPECT_EQ(loan_class(0, t).code, "A");
  EXPECT_EQ(loan_class(1, t).code, "B");
  EXPECT_EQ(loan_class(31, t).code, "C");
  LoanPosition p;
  p.outstanding_principal = m(1'000'000);
  p.days_past_due = 40;  // 1000000 / 3 = 333333.33 → 333333
  EXPECT_EQ(loan_provision(p, t), m(333'333));
  p.outstanding_principal = m(2);  // 2/3 = 0.67 → 1
  EXPECT_EQ(loan_provision(p, t), m(1));
}

TEST(LoanStatus, ClassTableValidation) {
  EXPECT_TRUE(validate(LoanClassTable{}));
  auto bad = [](std::vector<LoanClass> cs) {
    LoanClassTable t;
    t.classes = std::move(cs);
    auto r = validate(t);
    return !r && r.error().kind() == ErrorKind::kBadInput;
  };
  EXPECT_TRUE(bad({}));
  EXPECT_TRUE(bad({{"G1", 1, Rational(0)}}));                                 // does not start at 0
  EXPECT_TRUE(bad({{"G1", 0, Rational(0)}, {"G2", 0, Rational(1, 2)}}));      // not increasing
  EXPECT_TRUE(bad({{"G1", 0, Rational(0)}, {"G1", 10, Rational(1, 2)}}));     // duplicate code
  EXPECT_TRUE(bad({{"", 0, Rational(0)}}));                                   // no code
  EXPECT_TRUE(bad({{"G1", 0, Rational(-1, 100)}}));                           // negative rate
  EXPECT_TRUE(bad({{"G1", 0, Rational(0)}, {"G2", 10, Rational(101, 100)}})); // above 100 %
  LoanClassTable empty;
  empty.classes.clear();
  EXPECT_THROW(loan_class_index(5, empty), SoquyException);
}

// ---- Portfolio ------------------------------------------------------------------------------

LoanPosition pos(std::int64_t outstanding, std::int64_t overdue_p, std::int64_t overdue_i, std::int64_t dpd,
                 LoanState state = LoanState::kActive) {
  LoanPosition p;
  p.state = state;
  p.outstanding_principal = m(outstanding);
  p.overdue_principal = m(overdue_p);
  p.overdue_interest = m(overdue_i);
  p.days_past_due = dpd;
  return p;
}

std::vector<LoanPosition> sample_portfolio() {
  return {
      pos(10'000'000, 0, 0, 0),                 // L1 current, G1
      pos(8'766'667, 1'266'666, 100'000, 46),   // L2 the worked example: 31-60, G3
      pos(2'000'000, 500'000, 0, 5),            // L3 1-30, G1
      pos(1'000'000, 1'000'000, 50'000, 200),   // L4 181-360, G5
      pos(3'000'000, 3'000'000, 0, 400, LoanState::kWrittenOff),
      pos(4'000'000, 0, 0, 0, LoanState::kFrozen),
  };
}

TEST(LoanStatus, PortfolioSummaryTotals) {
  auto s = summarize(sample_portfolio());
  EXPECT_EQ(s.loans, 4);
  EXPECT_EQ(s.loans_overdue, 3);
  EXPECT_EQ(s.outstanding_principal, m(21'766'667));  // 10000000 + 8766667 + 2000000 + 1000000
  EXPECT_EQ(s.overdue_principal, m(2'766'666));       // 1266666 + 500000 + 1000000
  EXPECT_EQ(s.overdue_interest, m(150'000));
  EXPECT_EQ(s.frozen_loans, 1);
  EXPECT_EQ(s.frozen_outstanding_principal, m(4'000'000));
  EXPECT_EQ(s.written_off_loans, 1);
  EXPECT_EQ(s.written_off_outstanding_principal, m(3'000'000));
}

TEST(LoanStatus, PortfolioAtRiskIsWholeOutstandingOfLateLoans) {
  auto s = summarize(sample_portfolio());
  // DPD > 1: L2 + L3 + L4 = 8766667 + 2000000 + 1000000 = 11766667 (0.54058…).
  EXPECT_EQ(s.at_risk_1, m(11'766'667));
  EXPECT_EQ(s.par1, Rational(11'766'667, 21'766'667));
  EXPECT_EQ(format_ratio(s.par1), "0.5406");
  // DPD > 30: L2 + L4 = 9766667 (0.44869…).
  EXPECT_EQ(s.at_risk_30, m(9'766'667));
  EXPECT_EQ(format_ratio(s.par30), "0.4487");
  // DPD > 90: L4 only (the written-off loan at 400 days is out of the portfolio) — 0.04594…
  EXPECT_EQ(s.at_risk_90, m(1'000'000));
  EXPECT_EQ(s.par90, Rational(1'000'000, 21'766'667));
  EXPECT_EQ(format_ratio(s.par90), "0.0459");
  // The common mistake, overdue ÷ outstanding = 2766666 / 21766667 = 0.1271, is far below PAR30.
  EXPECT_NE(s.par30, Rational(s.overdue_principal.minor_units(), s.outstanding_principal.minor_units()));
  EXPECT_NE(format_ratio(s.par30), "0.1271");
  // The free function agrees.
  EXPECT_EQ(portfolio_at_risk(sample_portfolio(), 30), s.par30);
  EXPECT_EQ(portfolio_at_risk(sample_portfolio(), 0), Rational(11'766'667, 21'766'667));
}

TEST(LoanStatus, ParCountsStrictlyMoreThanXDays) {
  // 1 day late is not in PAR1; 30 days late is not in PAR30; 91 is in PAR90.
  std::vector<LoanPosition> ps = {pos(100, 10, 0, 1), pos(200, 10, 0, 30), pos(300, 10, 0, 91), pos(400, 0, 0, 0)};
  auto s = summarize(ps);
  EXPECT_EQ(s.par1, Rational(500, 1000));  // 200 + 300
  EXPECT_EQ(s.par30, Rational(300, 1000));
  EXPECT_EQ(s.par90, Rational(300, 1000));
  EXPECT_EQ(format_ratio(Rational(3, 100)), "0.0300");
}

TEST(LoanStatus, WrittenOffAndFrozenLoansAreOutsidePar) {
  std::vector<LoanPosition> ps = {pos(1'000'000, 0, 0, 0), pos(1'000'000, 1'000'000, 0, 400, LoanState::kWrittenOff),
                                  pos(1'000'000, 0, 0, 0, LoanState::kFrozen)};
  auto s = summarize(ps);
  EXPECT_EQ(s.loans, 1);
  EXPECT_EQ(s.outstanding_principal, m(1'000'000));
  EXPECT_EQ(s.par1, Rational(0));  // with the written-off loan inside it would be 1/2 (or 1/3)
  EXPECT_EQ(s.overdue_principal, m(0));
  EXPECT_EQ(s.provision, m(0));
}

TEST(LoanStatus, ParWithZeroPortfolio) {
  auto empty = summarize({});
  EXPECT_EQ(empty.loans, 0);
  EXPECT_EQ(empty.par1, Rational(0));
  EXPECT_EQ(format_ratio(empty.par30), "0.0000");
  EXPECT_EQ(portfolio_at_risk({}, 90), Rational(0));
  // Loans all repaid: nothing outstanding, still no division by zero.
  auto repaid = summarize({pos(0, 0, 0, 0), pos(0, 0, 0, 0)});
  EXPECT_EQ(repaid.loans, 2);
  EXPECT_EQ(format_ratio(repaid.par90), "0.0000");
  // Only written-off loans left: nothing in the portfolio.
  EXPECT_EQ(format_ratio(summarize({pos(5, 5, 0, 500, LoanState::kWrittenOff)}).par1), "0.0000");
}

TEST(LoanStatus, PortfolioBucketsAndClasses) {
  auto s = summarize(sample_portfolio());
  ASSERT_EQ(s.buckets.size(), 7u);
  struct B { const char* label; std::int64_t loans, outstanding, overdue; };
  const B want[] = {{"current", 1, 10'000'000, 0}, {"1-30", 1, 2'000'000, 500'000}, {"31-60", 1, 8'766'667, 1'266'666},
                    {"61-90", 0, 0, 0},            {"91-180", 0, 0, 0},          {"181-360", 1, 1'000'000, 1'000'000},
                    {">360", 0, 0, 0}};
  for (std::size_t i = 0; i < 7; ++i) {
    SCOPED_TRACE(want[i].label);
    EXPECT_EQ(s.buckets[i].bucket, want[i].label);
    EXPECT_EQ(s.buckets[i].loans, want[i].loans);
    EXPECT_EQ(s.buckets[i].outstanding_principal, m(want[i].outstanding));
    EXPECT_EQ(s.buckets[i].overdue_principal, m(want[i].overdue));
  }
  ASSERT_EQ(s.classes.size(), 5u);
  struct C { const char* code; std::int64_t loans, outstanding, provision; };
  // G3: 8766667 × 20 % = 1753333.4 → 1753333; G5: 1000000 × 100 %.
  const C cw[] = {{"G1", 2, 12'000'000, 0}, {"G2", 0, 0, 0}, {"G3", 1, 8'766'667, 1'753'333}, {"G4", 0, 0, 0},
                  {"G5", 1, 1'000'000, 1'000'000}};
  for (std::size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE(cw[i].code);
    EXPECT_EQ(s.classes[i].code, cw[i].code);
    EXPECT_EQ(s.classes[i].loans, cw[i].loans);
    EXPECT_EQ(s.classes[i].outstanding_principal, m(cw[i].outstanding));
    EXPECT_EQ(s.classes[i].provision, m(cw[i].provision));
  }
  EXPECT_EQ(s.classes[2].provision_rate, Rational(1, 5));
  EXPECT_EQ(s.provision, m(2'753'333));
}

TEST(LoanStatus, PortfolioProvisionIsTheSumOfRoundedLoanProvisions) {
  // Three G2 loans of 10: each 0.5 → 1, sum 3 (rounding the class total 1.5 would give 2).
  auto s = summarize({pos(10, 10, 0, 15), pos(10, 10, 0, 15), pos(10, 10, 0, 15)});
  EXPECT_EQ(s.classes[1].provision, m(3));
  EXPECT_EQ(s.provision, m(3));
}

TEST(LoanStatus, PositionsFeedTheSummary) {
  // The worked example plus a loan paid on time, through loan_position then summarize.
  std::vector<LoanPosition> ps = {position(schedule_a(), kOverduePayments, "2026-04-30"),
                                  position(schedule_a(), {{d("2026-04-15"), m(2'799'999)}}, "2026-04-30")};
  // Loan 2: 2799999 = 3 × 933333 pays instalments 1–3 exactly: outstanding 10000000 − 2499999.
  EXPECT_EQ(ps[1].outstanding_principal, m(7'500'001));
  EXPECT_EQ(ps[1].days_past_due, 0);
  auto s = summarize(ps);
  EXPECT_EQ(s.outstanding_principal, m(16'266'668));  // 8766667 + 7500001
  EXPECT_EQ(s.par30, Rational(8'766'667, 16'266'668));
  EXPECT_EQ(s.loans_overdue, 1);
}

// ---- Errors -------------------------------------------------------------------------------------

void expect_bad_input(const Result<Allocation>& r, const char* needle) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), ErrorKind::kBadInput);
  EXPECT_NE(r.error().message().find(needle), std::string::npos) << r.error().message();
}

TEST(LoanStatus, Errors) {
  auto s = schedule_a();
  expect_bad_input(allocate(s, {{d("2026-03-01"), m(10)}, {d("2026-02-01"), m(10)}}), "date order");
  expect_bad_input(allocate(s, {{d("2026-03-01"), m(0)}}), "positive");
  expect_bad_input(allocate(s, {{d("2026-03-01"), m(-5)}}), "positive");
  expect_bad_input(allocate(s, {{d("2026-03-01"), Money(5, Currency{"USD", 2})}}), "USD");
  expect_bad_input(allocate(LoanSchedule{}, {}), "no instalments");
  AllocationOptions dup;
  dup.order = {Component::kInterest, Component::kInterest, Component::kPrincipal};
  expect_bad_input(allocate(s, {}, dup), "once each");
  AllocationOptions negative;
  negative.penalty_rate = Rate(Rational(-1), RatePeriod::kMonth);
  expect_bad_input(allocate(s, {}, negative), "negative");
  auto swapped = s;
  std::swap(swapped.installments[0], swapped.installments[1]);
  expect_bad_input(allocate(swapped, {}), "due before");
  // loan_position checks the payments after as_of too: a list out of order is wrong data
  // whatever the date asked.
  auto r = loan_position(s, {{d("2026-02-15"), m(10)}, {d("2026-06-01"), m(10)}, {d("2026-05-01"), m(10)}},
                         d("2026-03-01"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), ErrorKind::kBadInput);
}

TEST(LoanStatus, StateAndComponentNames) {
  EXPECT_EQ(to_string(LoanState::kActive), "active");
  EXPECT_EQ(to_string(LoanState::kFrozen), "frozen");
  EXPECT_EQ(to_string(LoanState::kWrittenOff), "written-off");
  EXPECT_EQ(to_string(Component::kPenalty), "penalty");
}

// ---- What is due on a date: the most a repayment may be without being a prepayment (issue 12) --

TEST(AmountDue, InstalmentsDueByTheDateAndPenalty) {
  const auto a = schedule_a();
  // Before the first due date nothing is due; on it, instalment 1 (833,333 + 100,000).
  EXPECT_EQ(*amount_due(a, {}, d("2026-02-14")), m(0));
  EXPECT_EQ(*amount_due(a, {}, d("2026-02-15")), m(933'333));
  // The worked example on 2026-04-15: instalment 2's 433,333 unpaid and instalment 3 due that day
  // (933,333): 1,366,666, what the collection sheet asks (its instalment + arrears).
  EXPECT_EQ(*amount_due(a, kOverduePayments, d("2026-04-15")), m(1'366'666));
  // A repayment dated after the date does not count: on 03-19 instalment 2 (933,333) is due.
  EXPECT_EQ(*amount_due(a, kOverduePayments, d("2026-03-19")), m(933'333));
  // With a penalty of 3 %/month and nothing paid, on 2026-03-01 instalment 1 is 14 days late:
  // round(833,333 × 3 % × 14/30) = round(11,666.662) = 11,667, so 933,333 + 11,667 = 945,000.
  AllocationOptions o;
  o.penalty_rate = *Rate::parse("3%/month");
  EXPECT_EQ(*amount_due(a, {}, d("2026-03-01"), o), m(945'000));
  // Paid ahead (two instalments on 02-15): nothing is due on 03-15.
  EXPECT_EQ(*amount_due(a, {{d("2026-02-15"), m(1'866'666)}}, d("2026-03-15")), m(0));
}

// Savings of 100,000 an instalment. The example: month 1 paid nothing, month 2 the
// member brings 200,000 (catching up month 1), month 3 she owes only month 3's.
TEST(SavingsDue, ArrearsAreCarriedAndLatePaymentsPayTheOldestFirst) {
  const Money per = m(100'000);
  // Month 2's meeting, before she pays: this month 100,000 and 100,000 in arrears, 200,000.
  auto before = savings_due(per, 1, 1, m(0));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->this_period, m(100'000));
  EXPECT_EQ(before->arrears, m(100'000));
  // After her 200,000: nothing due, nothing in arrears.
  auto after = savings_due(per, 1, 1, m(200'000));
  EXPECT_EQ(after->this_period, m(0));
  EXPECT_EQ(after->arrears, m(0));
  // Month 3: 200,000 required before (months 1, 2), 200,000 received: 100,000 due, 0 arrears.
  auto month3 = savings_due(per, 2, 1, m(200'000));
  EXPECT_EQ(month3->this_period, m(100'000));
  EXPECT_EQ(month3->arrears, m(0));
  // Month 1's savings paid late (100,000 during month 2's period) pay month 1: month 2's
  // 100,000 is still due (the old rule subtracted them and asked 0).
  auto late = savings_due(per, 1, 1, m(100'000));
  EXPECT_EQ(late->this_period, m(100'000));
  EXPECT_EQ(late->arrears, m(0));
  // Part of month 1 paid: 40,000 left of it in arrears.
  auto part = savings_due(per, 1, 1, m(60'000));
  EXPECT_EQ(part->this_period, m(100'000));
  EXPECT_EQ(part->arrears, m(40'000));
  // Paid ahead: 250,000 by month 2 covers months 1, 2 and half of 3.
  auto ahead = savings_due(per, 2, 1, m(250'000));
  EXPECT_EQ(ahead->this_period, m(50'000));
  EXPECT_EQ(ahead->arrears, m(0));
  // No instalment in the period: arrears only.
  auto none = savings_due(per, 3, 0, m(100'000));
  EXPECT_EQ(none->this_period, m(0));
  EXPECT_EQ(none->arrears, m(200'000));
  EXPECT_FALSE(savings_due(m(-1), 1, 1, m(0)));
  EXPECT_FALSE(savings_due(m(std::numeric_limits<std::int64_t>::max()), 2, 0, m(0)));  // overflows
}

}  // namespace
}  // namespace soquy
