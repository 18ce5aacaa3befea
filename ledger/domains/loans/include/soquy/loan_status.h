// soquy — what a Women's Development Fund loan owes at a date: allocation of repayments,
// overdue position, days past due (DPD), aging buckets, loan classes, provisions and portfolio
// at risk (PAR). Pure functions of a schedule (loan_schedule.h) and a list of repayments: no
// storage, no clock. The store and the CLI feed them and print what they return.
//
// Units: every amount is Money in minor units of the schedule's currency (VND: 1 = 1 đồng).
// Ratios (PAR, provision rates) are exact Rationals, fractions not percentages (5 % = 1/20).
// Rounding: half-up to 1 đồng, once per figure — a loan's provision, a penalty. Nothing else
// here is rounded: allocation only moves whole đồng around.
//
// Rules (issue 4 defaults; docs/loans.md has the worked examples):
// - Allocation: repayments in date order; each goes to instalments in due-date order, the
//   oldest first — including instalments not yet due when paying early — and inside an
//   instalment in the order of `AllocationOptions::order` (default penalty → interest →
//   principal). Money beyond the whole schedule is an overpayment: returned, never lost.
// - Position at T: repayments dated ≤ T count ("payments dated T count at T"), later ones are
//   ignored. An instalment is overdue at T when its due date is before T and something of it is
//   unpaid: due date == T is not overdue yet, so paying on the due date is on time.
//   DPD = T − due date of the oldest overdue instalment, 0 if none.
// - Penalty (optional; none unless the product has a penalty rate): on an overdue instalment,
//   round half-up(unpaid principal of that instalment × penalty rate per month × days overdue
//   ÷ 30). When the instalment's principal is paid in parts, the exact (unrounded) amounts of
//   each stretch of days are added up before the one rounding, so with no partial payment it is
//   exactly the formula above. Interest and earlier penalty bear no penalty.
// Cost: allocation and position are linear in instalments + repayments (no loop over days), so
// a portfolio report over 1,000,000 loans is one pass.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/loan_schedule.h"
#include "soquy/money.h"
#include "soquy/rate.h"

namespace soquy {

// The parts of an instalment a repayment can pay.
enum class Component { kPenalty, kInterest, kPrincipal };
std::string_view to_string(Component c);  // penalty|interest|principal

// Parses a product setting such as "penalty,interest,principal" (spaces around ',' allowed).
// kBadInput unless it names each of the three components exactly once.
Result<std::vector<Component>> parse_allocation_order(std::string_view text);

// One repayment received from the member.
struct Payment {
  Date paid_on;
  Money amount;  // > 0
};

struct AllocationOptions {
  // Order inside one instalment; must hold each Component exactly once.
  std::vector<Component> order = {Component::kPenalty, Component::kInterest, Component::kPrincipal};
  // Penalty rate on overdue principal, per month or per year as Rate reads it ("1.5%/month";
  // a yearly rate counts as ÷ 12 per month). nullopt: the product has no penalty, penalty is 0.
  std::optional<Rate> penalty_rate;
};

// What one instalment received.
struct InstallmentAllocation {
  int n = 0;  // as in the schedule
  Date due_on;
  Money principal_paid;
  Money interest_paid;
  Money penalty_paid;
  // Date of the repayment that left nothing of it unpaid (principal, interest and the penalty
  // accrued to that date). An instalment that never owed anything (a schedule with a 0 row)
  // counts as paid on its own due date. nullopt while something is unpaid.
  std::optional<Date> paid_in_full_on;
};

// How one repayment was split; principal + interest + penalty + overpayment == amount.
struct PaymentAllocation {
  Date paid_on;
  Money amount;
  Money principal;
  Money interest;
  Money penalty;
  Money overpayment;  // what was left after the whole schedule was paid
};

struct Allocation {
  std::vector<InstallmentAllocation> installments;  // one per schedule row, same order
  std::vector<PaymentAllocation> payments;          // one per repayment, same order
  Money overpayment;  // sum of the payments' overpayment: held for the member, a liability
};

// Allocates every repayment in `payments` (no cut-off date: see loan_position for that).
// Not errors: an empty list, early repayments, overpayment, repayments after the last due date.
// kBadInput: an empty schedule or instalments out of due-date order; a repayment that is not
// positive, is in another currency, or is dated before the one listed before it; an `order`
// that does not name each component exactly once; a negative penalty rate.
Result<Allocation> allocate(const LoanSchedule& schedule, const std::vector<Payment>& payments,
                            const AllocationOptions& options = {});

// Whether the loan is in the portfolio at T. The store derives it from the loan's dated events
// (freeze/unfreeze, writeoff) and passes it in; this engine does not know when it changed.
enum class LoanState {
  kActive,
  kFrozen,      // khoanh nợ: not overdue while frozen (DPD 0, overdue amounts 0), reported apart
  kWrittenOff,  // xóa nợ: leaves the portfolio (not in totals, buckets, classes or PAR)
};
std::string_view to_string(LoanState s);  // active|frozen|written-off

struct PositionOptions {
  AllocationOptions allocation;
  LoanState state = LoanState::kActive;
};

// What a loan owes at the end of day `as_of`.
struct LoanPosition {
  Date as_of;
  LoanState state = LoanState::kActive;
  Money principal;              // the schedule's whole principal
  Money principal_paid;         // by repayments dated ≤ as_of
  Money interest_paid;
  Money penalty_paid;
  Money outstanding_principal;  // principal − principal_paid; includes instalments not yet due
  // Unpaid parts of the instalments due before as_of. 0 for a frozen loan.
  Money overdue_principal;
  Money overdue_interest;
  Money overdue_penalty;        // accrued to as_of; 0 without a penalty rate
  int installments_overdue = 0;
  std::int64_t days_past_due = 0;           // 0 if nothing is overdue or the loan is frozen
  std::optional<Date> oldest_overdue_due_on;  // the due date DPD counts from
  Money overpayment;            // repayments beyond the whole schedule, held for the member
};

// The position at `as_of`: allocates the repayments dated ≤ as_of (they must be in date order;
// the later ones are ignored but still checked) and reads off what is unpaid. An as_of before
// the first due date is not an error (nothing is overdue yet). Errors: as allocate().
Result<LoanPosition> loan_position(const LoanSchedule& schedule, const std::vector<Payment>& payments,
                                   Date as_of, const PositionOptions& options = {});

// What a member owes on `date` (the most a repayment that day may be without being a
// prepayment): the unpaid principal and interest of every instalment due on or before `date`,
// plus the penalty accrued to it, after the repayments dated ≤ date (later ones are ignored).
// This is a collection sheet's instalment + arrears (CollectionLine). Instalments due after
// `date` are not due; nor is a frozen loan's arrears waived here (it owes them when it pays).
// Errors: as allocate().
Result<Money> amount_due(const LoanSchedule& schedule, const std::vector<Payment>& payments, Date date,
                         const AllocationOptions& options = {});

// Compulsory savings of one loan at a meeting. Each instalment of the schedule calls for
// `per_installment`; the savings received (`received`, everything dated ≤ the meeting) go to
// the oldest instalments first. Those due before the meeting's period and not covered are the
// savings arrears; this period's due is what the period's instalments call for less what the
// received money left over after the earlier ones covers. So savings paid late for an earlier
// period pay that period and do not reduce this one's; savings received ahead count for the
// instalments that follow. Never negative.
struct SavingsDue {
  Money this_period;  // savings of the instalments due in the period, not yet received
  Money arrears;      // savings of the instalments due before the period, not received
};
// kBadInput: a negative count, amount or received; an overflow of per_installment × count.
Result<SavingsDue> savings_due(Money per_installment, std::int64_t installments_before, std::int64_t installments_now,
                               Money received);

// ---- Classification -------------------------------------------------------------------------

// Aging buckets with their labels exactly as reports print them.
inline constexpr std::string_view kAgingBuckets[] = {"current", "1-30", "31-60", "61-90",
                                                     "91-180", "181-360", ">360"};
// Index into kAgingBuckets: 0 for DPD 0 ("current"), … 6 for DPD > 360. DPD < 0 counts as 0.
std::size_t aging_bucket_index(std::int64_t days_past_due);
std::string_view aging_bucket(std::int64_t days_past_due);

struct LoanClass {
  std::string code;                 // "G1"
  std::int64_t min_days_past_due;   // the class holds DPD ≥ this, up to the next class's minimum
  Rational provision_rate;          // fraction of outstanding principal, in [0, 1]
};

// Loan classes (Circular 14/2024/TT-NHNN for microfinance institutions), a product/fund
// setting. Default: G1 DPD < 10 at 0 %, G2 10–29 at 5 %, G3 30–89 at 20 %, G4 90–179 at 50 %,
// G5 ≥ 180 at 100 %.
struct LoanClassTable {
  std::vector<LoanClass> classes = {
      {"G1", 0, Rational(0)},       {"G2", 10, Rational(5, 100)},  {"G3", 30, Rational(20, 100)},
      {"G4", 90, Rational(50, 100)}, {"G5", 180, Rational(1)},
  };
};

// kBadInput unless: at least one class, the first starts at DPD 0, minimums strictly increase,
// codes are non-empty and distinct, rates are in [0, 1].
Result<void> validate(const LoanClassTable& table);

// The text form of a class table, as stored in the setting `loan.classes`: classes separated by
// ',', each CODE:MIN_DPD:PROVISION_PERCENT, e.g. the default
// "G1:0:0,G2:10:5,G3:30:20,G4:90:50,G5:180:100". Percentages are exact decimals ("2.5").
// parse_loan_classes validates the table (kBadInput with what is wrong).
Result<LoanClassTable> parse_loan_classes(std::string_view text);
std::string format_loan_classes(const LoanClassTable& table);

// Index of the class of a loan with this DPD (the last class whose minimum is ≤ DPD). The table
// must have passed validate(); a table that did not is a bug of the caller (SoquyException).
std::size_t loan_class_index(std::int64_t days_past_due, const LoanClassTable& table = {});
const LoanClass& loan_class(std::int64_t days_past_due, const LoanClassTable& table = {});

// round half-up(outstanding principal × the rate of the loan's class).
Money loan_provision(const LoanPosition& position, const LoanClassTable& table = {});

// ---- Portfolio ------------------------------------------------------------------------------

struct BucketTotals {
  std::string_view bucket;  // a label of kAgingBuckets
  std::int64_t loans = 0;
  Money outstanding_principal;
  Money overdue_principal;
};

struct ClassTotals {
  std::string code;
  Rational provision_rate;
  std::int64_t loans = 0;
  Money outstanding_principal;
  Money provision;  // sum of the loans' rounded provisions
};

// Sums over a set of active loans: a portfolio's totals, or one row of a report by unit, group…
struct PortfolioFigures {
  std::int64_t loans = 0;
  std::int64_t loans_overdue = 0;  // DPD > 0
  Money outstanding_principal;
  Money overdue_principal;
  Money overdue_interest;
  Money overdue_penalty;
  Money at_risk_1, at_risk_30, at_risk_90;  // outstanding principal of loans with DPD > 1, 30, 90

  void add(const LoanPosition& p);  // counts it, whatever its state (the caller chose it)
  void add(const PortfolioFigures& other);  // sums both
  // Exact ratios; 0 when nothing is outstanding.
  Rational overdue_ratio() const;  // overdue principal ÷ outstanding principal
  Rational par(const Money& at_risk) const;
};

// The portfolio = the active loans. Frozen and written-off loans are counted apart and are in
// none of the other figures (not in totals, buckets, classes, provision or PAR).
struct PortfolioSummary {
  std::int64_t loans = 0;
  std::int64_t loans_overdue = 0;  // DPD > 0
  Money outstanding_principal;
  Money overdue_principal;
  Money overdue_interest;
  Money overdue_penalty;
  // Outstanding principal (the whole of it, not just the overdue part) of loans with DPD > x,
  // and PARx = that ÷ outstanding_principal, exactly; 0 when nothing is outstanding.
  Money at_risk_1, at_risk_30, at_risk_90;
  Rational par1, par30, par90;
  std::vector<BucketTotals> buckets;  // all seven, in kAgingBuckets order, empty ones included
  std::vector<ClassTotals> classes;   // one per class of the table, in order
  Money provision;                    // sum over classes
  std::int64_t frozen_loans = 0;
  Money frozen_outstanding_principal;
  std::int64_t written_off_loans = 0;
  Money written_off_outstanding_principal;
};

// The one aggregation of a portfolio, one loan at a time, so memory holds sums only:
// summarize() and the overdue report (reports/overdue_report.h) both count through it.
// Counting is sums of integers, so accumulators merged in any order give what one pass gives.
class PortfolioAccumulator {
 public:
  // The table must have passed validate(); every position added must be in `currency`.
  explicit PortfolioAccumulator(LoanClassTable table = {}, Currency currency = kVnd);

  // Counts one loan: an active one in the figures, buckets and classes, a frozen or written-off
  // one apart. Returns the index of its class in the table when it is active, else nullopt.
  std::optional<std::size_t> add(const LoanPosition& position);
  // Adds what `other` holds (same table and currency).
  void merge(const PortfolioAccumulator& other);

  const LoanClassTable& table() const { return table_; }
  const PortfolioFigures& totals() const { return totals_; }  // of the active loans
  const std::vector<BucketTotals>& buckets() const { return buckets_; }
  const std::vector<ClassTotals>& classes() const { return classes_; }
  std::int64_t frozen_loans() const { return frozen_loans_; }
  const Money& frozen_outstanding_principal() const { return frozen_outstanding_; }
  std::int64_t written_off_loans() const { return written_off_loans_; }
  const Money& written_off_outstanding_principal() const { return written_off_outstanding_; }
  // Everything, with the provision total and the PARs.
  PortfolioSummary summary() const;

 private:
  LoanClassTable table_;
  PortfolioFigures totals_;
  std::vector<BucketTotals> buckets_;
  std::vector<ClassTotals> classes_;
  std::int64_t frozen_loans_ = 0;
  Money frozen_outstanding_;
  std::int64_t written_off_loans_ = 0;
  Money written_off_outstanding_;
};

// One pass over the positions. All positions must be in one currency (a mixed list is a bug of
// the caller: SoquyException), and the table must have passed validate().
PortfolioSummary summarize(const std::vector<LoanPosition>& positions, const LoanClassTable& table = {});

// PARx of the active loans in `positions`, as in PortfolioSummary, for any x ≥ 0.
Rational portfolio_at_risk(const std::vector<LoanPosition>& positions, std::int64_t days);

// A ratio as JSON prints it: 4 decimals, half-up ("0.0300"); 0 → "0.0000".
std::string format_ratio(const Rational& ratio);

}  // namespace soquy
