#include "soquy/i18n.h"
#include "soquy/loan_status.h"

#include "soquy/overdue_growth.h"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include <fmt/format.h>

namespace soquy {
namespace {

Result<void> check_order(const std::vector<Component>& order) {
  std::array<int, 3> seen{};
  for (auto c : order) ++seen[static_cast<std::size_t>(c)];
  if (order.size() != 3 || seen != std::array<int, 3>{1, 1, 1})
    return fail(Error::bad_input(tr("allocation order must name penalty, interest and principal once each")));
  return {};
}

Result<void> check_inputs(const LoanSchedule& schedule, const std::vector<Payment>& payments,
                          const AllocationOptions& options) {
  if (schedule.installments.empty()) return fail(Error::bad_input(tr("the loan has no instalments")));
  for (std::size_t i = 1; i < schedule.installments.size(); ++i)
    if (schedule.installments[i].due_on < schedule.installments[i - 1].due_on)
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("instalment {} is due before instalment {}")),
                                               schedule.installments[i].n, schedule.installments[i - 1].n)));
  if (auto ok = check_order(options.order); !ok) return ok;
  if (options.penalty_rate && options.penalty_rate->per_month() < 0)
    return fail(Error::bad_input(tr("a penalty rate cannot be negative")));
  const Currency currency = schedule.installments.front().principal.currency();
  std::int64_t paid = 0;
  for (std::size_t i = 0; i < payments.size(); ++i) {
    const auto& p = payments[i];
    if (p.amount.currency() != currency)
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("repayment {} of {} is in {}, the loan in {}")), i + 1, p.paid_on,
                                               p.amount.currency().code, currency.code)));
    if (p.amount.minor_units() <= 0)
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("repayment {} of {}: amount {} must be positive")), i + 1, p.paid_on,
                                               p.amount)));
    if (i > 0 && p.paid_on < payments[i - 1].paid_on)
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("repayment {} of {} is listed after one of {}: repayments must be "
                                               "in date order")), i + 1, p.paid_on, payments[i - 1].paid_on)));
    // Every part the allocation sums (principal, interest, penalty, overpayment) is at most the
    // amounts paid, so when their total fits, no sum of the allocation can overflow.
    if (__builtin_add_overflow(paid, p.amount.minor_units(), &paid))
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("with repayment {} of {} ({} đồng) the loan's repayments come to more "
                                               "than {} đồng, the largest amount the books hold")),
                                               i + 1, p.paid_on, p.amount.minor_units(),
                                               std::numeric_limits<std::int64_t>::max()))
                      .in_field("amount"));
  }
  return {};
}

// Sums of amounts of one loan. They are bounded by the schedule and the repayments, so an
// overflow is a bug (or absurd input) and is reported, never wrapped.
std::int64_t add(std::int64_t a, std::int64_t b) {
  std::int64_t out;
  if (__builtin_add_overflow(a, b, &out)) throw SoquyException(Error::internal("loan amount out of range"));
  return out;
}

// The allocation state of one loan, in plain minor units and day numbers: a portfolio report
// runs this for every loan, and checked Money arithmetic here would cost more than the rules.
// Penalty accrues lazily: an instalment's unpaid principal only changes when a repayment
// reaches it, so accruing up to each such date (and to as_of) gives the exact
// stretch-by-stretch sum without walking days or untouched instalments.
class Allocator {
 public:
  struct Row {
    int n = 0;
    Date due_on;
    std::int64_t due_day = 0;
    std::int64_t principal_due = 0, interest_due = 0;  // still unpaid
    std::int64_t principal_paid = 0, interest_paid = 0, penalty_paid = 0;
    BigInt accrued_num;            // exact penalty accrued up to accrued_to, × penalty_den_
    std::int64_t accrued_to = 0;   // a day number
    std::int64_t charged = 0;      // accrued_num / penalty_den_ rounded half-up
    std::optional<Date> paid_in_full_on;
  };

  Allocator(const LoanSchedule& schedule, const AllocationOptions& options)
      : options_(options), currency_(schedule.installments.front().principal.currency()) {
    if (options.penalty_rate) {
      // Rate per month a/b, so per day of a 30-day month a/(30b). Accrued penalty is kept as an
      // integer numerator over that fixed denominator: exact, and far cheaper than rationals.
      const Rational monthly = options.penalty_rate->per_month();
      penalty_num_ = boost::multiprecision::numerator(monthly);
      penalty_den_ = boost::multiprecision::denominator(monthly) * 30;
      has_penalty_ = true;
    }
    rows_.reserve(schedule.installments.size());
    for (const auto& in : schedule.installments) {
      Row r;
      r.n = in.n;
      r.due_on = in.due_on;
      r.due_day = r.accrued_to = in.due_on.days_since_epoch();
      r.principal_due = in.principal.minor_units();
      r.interest_due = in.interest.minor_units();
      if (r.principal_due == 0 && r.interest_due == 0) r.paid_in_full_on = in.due_on;
      rows_.push_back(std::move(r));
    }
  }

  PaymentAllocation pay(const Payment& p) {
    const std::int64_t day = p.paid_on.days_since_epoch();
    std::int64_t left = p.amount.minor_units(), principal = 0, interest = 0, penalty = 0;
    while (left > 0 && cursor_ < rows_.size()) {
      Row& r = rows_[cursor_];
      if (r.paid_in_full_on) {
        ++cursor_;
        continue;
      }
      accrue(r, day);  // before any principal is paid: the stretch up to today had all of it
      for (auto c : options_.order) {
        const std::int64_t owed = c == Component::kPenalty    ? penalty_owed(r)
                                  : c == Component::kInterest ? r.interest_due
                                                              : r.principal_due;
        const std::int64_t x = std::min(owed, left);
        if (x == 0) continue;
        left -= x;
        switch (c) {
          case Component::kPenalty: r.penalty_paid += x; penalty += x; break;
          case Component::kInterest: r.interest_due -= x; r.interest_paid += x; interest += x; break;
          case Component::kPrincipal: r.principal_due -= x; r.principal_paid += x; principal += x; break;
        }
      }
      if (!owes_anything(r)) {
        r.paid_in_full_on = p.paid_on;
        ++cursor_;
      }
    }
    return {p.paid_on, p.amount, money(principal), money(interest), money(penalty), money(left)};
  }

  // Brings the row's penalty up to the end of day number `day`.
  void accrue(Row& r, std::int64_t day) {
    if (!has_penalty_ || day <= r.accrued_to) return;
    if (r.principal_due != 0) {
      r.accrued_num += BigInt(r.principal_due) * (day - r.accrued_to) * penalty_num_;
      // Rounding the running exact sum (not each stretch) keeps the total charged equal to the
      // documented one-rounding formula. Half-up for a non-negative n/D: floor((2n + D) / 2D).
      BigInt rounded = (2 * r.accrued_num + penalty_den_) / (2 * penalty_den_);
      if (rounded > std::numeric_limits<std::int64_t>::max())
        throw SoquyException(Error::internal("penalty out of range"));
      r.charged = static_cast<std::int64_t>(rounded);
    }
    r.accrued_to = day;
  }
  // Penalty accrued (up to the row's accrued_to) and not yet paid.
  static std::int64_t penalty_owed(const Row& r) { return r.charged - r.penalty_paid; }
  static bool owes_anything(const Row& r) {
    return r.principal_due != 0 || r.interest_due != 0 || penalty_owed(r) != 0;
  }

  Money money(std::int64_t v) const { return Money(v, currency_); }
  std::vector<Row>& rows() { return rows_; }
  InstallmentAllocation result(const Row& r) const {
    return {r.n, r.due_on, money(r.principal_paid), money(r.interest_paid), money(r.penalty_paid), r.paid_in_full_on};
  }

 private:
  const AllocationOptions& options_;
  Currency currency_;
  bool has_penalty_ = false;
  BigInt penalty_num_, penalty_den_ = 1;
  std::vector<Row> rows_;
  std::size_t cursor_ = 0;  // the oldest instalment that may still owe something
};

}  // namespace

std::string_view to_string(Component c) {
  switch (c) {
    case Component::kPenalty: return "penalty";
    case Component::kInterest: return "interest";
    case Component::kPrincipal: return "principal";
  }
  return "?";
}

Result<std::vector<Component>> parse_allocation_order(std::string_view text) {
  std::vector<Component> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto part = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    bool found = false;
    for (auto c : {Component::kPenalty, Component::kInterest, Component::kPrincipal})
      if (to_string(c) == part) {
        out.push_back(c);
        found = true;
      }
    if (!found)
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("allocation order '{}': unknown part '{}' (expected e.g. "
                                               "penalty,interest,principal)")), text, part)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (auto ok = check_order(out); !ok)
    return fail(ok.error().with_context(fmt::format(fmt::runtime(tr("allocation order '{}': ")), text)));
  return out;
}

Result<Allocation> allocate(const LoanSchedule& schedule, const std::vector<Payment>& payments,
                            const AllocationOptions& options) {
  if (auto ok = check_inputs(schedule, payments, options); !ok) return fail(ok.error());
  Allocator a(schedule, options);
  Allocation out;
  out.payments.reserve(payments.size());
  std::int64_t overpayment = 0;
  for (const auto& p : payments) {
    out.payments.push_back(a.pay(p));
    overpayment = add(overpayment, out.payments.back().overpayment.minor_units());
  }
  out.overpayment = a.money(overpayment);
  out.installments.reserve(a.rows().size());
  for (const auto& r : a.rows()) out.installments.push_back(a.result(r));
  return out;
}

std::string_view to_string(LoanState s) {
  switch (s) {
    case LoanState::kActive: return "active";
    case LoanState::kFrozen: return "frozen";
    case LoanState::kWrittenOff: return "written-off";
  }
  return "?";
}

Result<LoanPosition> loan_position(const LoanSchedule& schedule, const std::vector<Payment>& payments, Date as_of,
                                   const PositionOptions& options) {
  if (auto ok = check_inputs(schedule, payments, options.allocation); !ok) return fail(ok.error());
  Allocator a(schedule, options.allocation);
  const std::int64_t as_of_day = as_of.days_since_epoch();
  std::int64_t overpayment = 0;
  for (const auto& p : payments) {
    if (p.paid_on > as_of) break;  // in date order: every later one is after as_of too
    overpayment = add(overpayment, a.pay(p).overpayment.minor_units());
  }
  std::int64_t principal = 0, principal_paid = 0, interest_paid = 0, penalty_paid = 0;
  std::int64_t overdue_principal = 0, overdue_interest = 0, overdue_penalty = 0;
  LoanPosition pos;
  pos.as_of = as_of;
  pos.state = options.state;
  for (auto& r : a.rows()) {
    principal = add(principal, add(r.principal_paid, r.principal_due));
    principal_paid = add(principal_paid, r.principal_paid);
    interest_paid = add(interest_paid, r.interest_paid);
    penalty_paid = add(penalty_paid, r.penalty_paid);
    if (r.due_day >= as_of_day) continue;  // due today or later: not overdue yet
    a.accrue(r, as_of_day);
    if (!Allocator::owes_anything(r)) continue;
    overdue_principal = add(overdue_principal, r.principal_due);
    overdue_interest = add(overdue_interest, r.interest_due);
    overdue_penalty = add(overdue_penalty, Allocator::penalty_owed(r));
    ++pos.installments_overdue;
    if (!pos.oldest_overdue_due_on) {
      pos.oldest_overdue_due_on = r.due_on;
      pos.days_past_due = as_of_day - r.due_day;
    }
  }
  pos.principal = a.money(principal);
  pos.principal_paid = a.money(principal_paid);
  pos.interest_paid = a.money(interest_paid);
  pos.penalty_paid = a.money(penalty_paid);
  pos.outstanding_principal = a.money(principal - principal_paid);
  pos.overdue_principal = a.money(overdue_principal);
  pos.overdue_interest = a.money(overdue_interest);
  pos.overdue_penalty = a.money(overdue_penalty);
  pos.overpayment = a.money(overpayment);
  if (options.state == LoanState::kFrozen) {
    // Not overdue while frozen: the arrears wait, the loan is reported apart.
    pos.overdue_principal = pos.overdue_interest = pos.overdue_penalty = a.money(0);
    pos.installments_overdue = 0;
    pos.days_past_due = 0;
    pos.oldest_overdue_due_on.reset();
  }
  return pos;
}

Result<Money> amount_due(const LoanSchedule& schedule, const std::vector<Payment>& payments, Date date,
                         const AllocationOptions& options) {
  PositionOptions o;
  o.allocation = options;  // active whatever the loan's state: what is unpaid is owed
  auto pos = loan_position(schedule, payments, date, o);  // checks the inputs, penalty accrued to `date`
  if (!pos) return fail(pos.error());
  std::vector<Payment> by_date;
  for (const auto& p : payments)
    if (p.paid_on <= date) by_date.push_back(p);
  auto a = allocate(schedule, by_date, options);
  if (!a) return fail(a.error());
  Money due = pos->overdue_penalty;
  for (std::size_t i = 0; i < schedule.installments.size(); ++i) {
    const auto& inst = schedule.installments[i];
    if (inst.due_on > date) break;
    due += inst.principal + inst.interest - a->installments[i].principal_paid - a->installments[i].interest_paid;
  }
  return due;
}

Result<SavingsDue> savings_due(Money per_installment, std::int64_t installments_before, std::int64_t installments_now,
                               Money received) {
  if (per_installment.is_negative() || received.is_negative() || installments_before < 0 || installments_now < 0)
    return fail(Error::bad_input(tr("compulsory savings: negative amount or count")));
  auto before = per_installment.times(installments_before);
  if (!before) return fail(before.error());
  auto now = per_installment.times(installments_now);
  if (!now) return fail(now.error());
  SavingsDue d{Money(0, per_installment.currency()), Money(0, per_installment.currency())};
  if (received < *before) {
    d.arrears = *before - received;
    d.this_period = *now;
  } else if (const Money ahead = received - *before; ahead < *now) {
    d.this_period = *now - ahead;
  }
  return d;
}

std::size_t aging_bucket_index(std::int64_t dpd) {
  if (dpd <= 0) return 0;
  if (dpd <= 30) return 1;
  if (dpd <= 60) return 2;
  if (dpd <= 90) return 3;
  if (dpd <= 180) return 4;
  if (dpd <= 360) return 5;
  return 6;
}

std::string_view aging_bucket(std::int64_t dpd) { return kAgingBuckets[aging_bucket_index(dpd)]; }

Result<void> validate(const LoanClassTable& table) {
  const auto& cs = table.classes;
  if (cs.empty()) return fail(Error::bad_input(tr("the loan class table is empty")));
  if (cs.front().min_days_past_due != 0)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("the first loan class ({}) must start at 0 days past due, not {}")),
                                             cs.front().code, cs.front().min_days_past_due)));
  for (std::size_t i = 0; i < cs.size(); ++i) {
    if (cs[i].code.empty()) return fail(Error::bad_input(fmt::format(fmt::runtime(tr("loan class {} has no code")), i + 1)));
    if (cs[i].provision_rate < 0 || cs[i].provision_rate > 1)
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("loan class {}: provision rate {} is not between 0 and 1")), cs[i].code,
                                               format_decimal_exact(cs[i].provision_rate))));
    for (std::size_t j = 0; j < i; ++j)
      if (cs[j].code == cs[i].code)
        return fail(Error::bad_input(fmt::format(fmt::runtime(tr("loan class {} is listed twice")), cs[i].code)));
    if (i > 0 && cs[i].min_days_past_due <= cs[i - 1].min_days_past_due)
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("loan class {} must start after class {} (days past due {} ≤ {})")),
                                               cs[i].code, cs[i - 1].code, cs[i].min_days_past_due,
                                               cs[i - 1].min_days_past_due)));
  }
  return {};
}

Result<LoanClassTable> parse_loan_classes(std::string_view text) {
  LoanClassTable table;
  table.classes.clear();
  std::size_t n = 0;
  while (true) {
    ++n;
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    const std::size_t c1 = item.find(':');
    const std::size_t c2 = c1 == std::string_view::npos ? c1 : item.find(':', c1 + 1);
    if (c2 == std::string_view::npos || item.find(':', c2 + 1) != std::string_view::npos)
      return fail(Error::bad_input(fmt::format(
          fmt::runtime(tr("class {} ('{}') is not CODE:MIN_DAYS_PAST_DUE:PROVISION_PERCENT, e.g. G2:10:5")), n, item)));
    LoanClass c;
    c.code = std::string(item.substr(0, c1));
    const std::string_view days = item.substr(c1 + 1, c2 - c1 - 1);
    if (days.empty() || days.size() > 6 || days.find_first_not_of("0123456789") != std::string_view::npos)
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("class {}: '{}' is not a whole number of days")), c.code, days)));
    c.min_days_past_due = std::stoll(std::string(days));
    auto percent = parse_decimal(item.substr(c2 + 1));
    if (!percent) return fail(percent.error().with_context(fmt::format(fmt::runtime(tr("class {}: provision percent: ")), c.code)));
    c.provision_rate = *percent / 100;
    table.classes.push_back(std::move(c));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (auto ok = validate(table); !ok) return fail(ok.error());
  return table;
}

std::string format_loan_classes(const LoanClassTable& table) {
  std::string out;
  for (const auto& c : table.classes) {
    if (!out.empty()) out += ',';
    out += fmt::format("{}:{}:{}", c.code, c.min_days_past_due, format_decimal_exact(c.provision_rate * 100));
  }
  return out;
}

std::size_t loan_class_index(std::int64_t dpd, const LoanClassTable& table) {
  const auto& cs = table.classes;
  if (cs.empty() || cs.front().min_days_past_due != 0)
    throw SoquyException(Error::internal("loan class table used without validate()"));
  std::size_t i = 0;
  while (i + 1 < cs.size() && cs[i + 1].min_days_past_due <= dpd) ++i;
  return i;
}

const LoanClass& loan_class(std::int64_t dpd, const LoanClassTable& table) {
  return table.classes[loan_class_index(dpd, table)];
}

Money loan_provision(const LoanPosition& position, const LoanClassTable& table) {
  const auto& rate = loan_class(position.days_past_due, table).provision_rate;
  auto m = round_to_money(position.outstanding_principal.to_rational() * rate, Rounding::kHalfUp,
                          position.outstanding_principal.currency());
  if (!m) throw SoquyException(Error::internal("provision out of range: " + m.error().message()));
  return *m;
}

namespace {

Rational ratio_of(const Money& part, const Money& whole) {
  return whole.is_zero() ? Rational(0) : Rational(part.minor_units(), whole.minor_units());
}

}  // namespace

// Money's operator+ throws on a currency mismatch or overflow: both are caller bugs here.
void PortfolioFigures::add(const LoanPosition& p) {
  ++loans;
  const auto dpd = p.days_past_due;
  if (dpd > 0) ++loans_overdue;
  outstanding_principal += p.outstanding_principal;
  overdue_principal += p.overdue_principal;
  overdue_interest += p.overdue_interest;
  overdue_penalty += p.overdue_penalty;
  if (dpd > 1) at_risk_1 += p.outstanding_principal;
  if (dpd > 30) at_risk_30 += p.outstanding_principal;
  if (dpd > 90) at_risk_90 += p.outstanding_principal;
}

void PortfolioFigures::add(const PortfolioFigures& o) {
  loans += o.loans;
  loans_overdue += o.loans_overdue;
  outstanding_principal += o.outstanding_principal;
  overdue_principal += o.overdue_principal;
  overdue_interest += o.overdue_interest;
  overdue_penalty += o.overdue_penalty;
  at_risk_1 += o.at_risk_1;
  at_risk_30 += o.at_risk_30;
  at_risk_90 += o.at_risk_90;
}

Rational PortfolioFigures::overdue_ratio() const {
  return soquy::overdue_ratio({.overdue = overdue_principal, .outstanding = outstanding_principal});
}
Rational PortfolioFigures::par(const Money& at_risk) const { return ratio_of(at_risk, outstanding_principal); }

PortfolioAccumulator::PortfolioAccumulator(LoanClassTable table, Currency currency)
    : table_(std::move(table)), frozen_outstanding_(0, currency), written_off_outstanding_(0, currency) {
  const Money zero(0, currency);
  totals_.outstanding_principal = totals_.overdue_principal = totals_.overdue_interest = zero;
  totals_.overdue_penalty = totals_.at_risk_1 = totals_.at_risk_30 = totals_.at_risk_90 = zero;
  for (auto label : kAgingBuckets) buckets_.push_back({label, 0, zero, zero});
  for (const auto& c : table_.classes) classes_.push_back({c.code, c.provision_rate, 0, zero, zero});
}

std::optional<std::size_t> PortfolioAccumulator::add(const LoanPosition& p) {
  if (p.state == LoanState::kFrozen) {
    ++frozen_loans_;
    frozen_outstanding_ += p.outstanding_principal;
    return std::nullopt;
  }
  if (p.state == LoanState::kWrittenOff) {
    ++written_off_loans_;
    written_off_outstanding_ += p.outstanding_principal;
    return std::nullopt;
  }
  totals_.add(p);
  const auto dpd = p.days_past_due;
  auto& b = buckets_[aging_bucket_index(dpd)];
  ++b.loans;
  b.outstanding_principal += p.outstanding_principal;
  b.overdue_principal += p.overdue_principal;
  const std::size_t k = loan_class_index(dpd, table_);
  auto& c = classes_[k];
  ++c.loans;
  c.outstanding_principal += p.outstanding_principal;
  c.provision += loan_provision(p, table_);
  return k;
}

void PortfolioAccumulator::merge(const PortfolioAccumulator& o) {
  totals_.add(o.totals_);
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    buckets_[i].loans += o.buckets_[i].loans;
    buckets_[i].outstanding_principal += o.buckets_[i].outstanding_principal;
    buckets_[i].overdue_principal += o.buckets_[i].overdue_principal;
  }
  for (std::size_t i = 0; i < classes_.size(); ++i) {
    classes_[i].loans += o.classes_[i].loans;
    classes_[i].outstanding_principal += o.classes_[i].outstanding_principal;
    classes_[i].provision += o.classes_[i].provision;
  }
  frozen_loans_ += o.frozen_loans_;
  frozen_outstanding_ += o.frozen_outstanding_;
  written_off_loans_ += o.written_off_loans_;
  written_off_outstanding_ += o.written_off_outstanding_;
}

PortfolioSummary PortfolioAccumulator::summary() const {
  PortfolioSummary s;
  s.loans = totals_.loans;
  s.loans_overdue = totals_.loans_overdue;
  s.outstanding_principal = totals_.outstanding_principal;
  s.overdue_principal = totals_.overdue_principal;
  s.overdue_interest = totals_.overdue_interest;
  s.overdue_penalty = totals_.overdue_penalty;
  s.at_risk_1 = totals_.at_risk_1;
  s.at_risk_30 = totals_.at_risk_30;
  s.at_risk_90 = totals_.at_risk_90;
  s.par1 = totals_.par(s.at_risk_1);
  s.par30 = totals_.par(s.at_risk_30);
  s.par90 = totals_.par(s.at_risk_90);
  s.buckets = buckets_;
  s.classes = classes_;
  s.provision = Money(0, frozen_outstanding_.currency());
  for (const auto& c : s.classes) s.provision += c.provision;
  s.frozen_loans = frozen_loans_;
  s.frozen_outstanding_principal = frozen_outstanding_;
  s.written_off_loans = written_off_loans_;
  s.written_off_outstanding_principal = written_off_outstanding_;
  return s;
}

PortfolioSummary summarize(const std::vector<LoanPosition>& positions, const LoanClassTable& table) {
  PortfolioAccumulator acc(table, positions.empty() ? kVnd : positions.front().outstanding_principal.currency());
  for (const auto& p : positions) acc.add(p);
  return acc.summary();
}

Rational portfolio_at_risk(const std::vector<LoanPosition>& positions, std::int64_t days) {
  BigInt at_risk = 0, outstanding = 0;  // BigInt: a sum over any portfolio cannot overflow
  for (const auto& p : positions) {
    if (p.state != LoanState::kActive) continue;
    outstanding += p.outstanding_principal.minor_units();
    if (p.days_past_due > days) at_risk += p.outstanding_principal.minor_units();
  }
  return outstanding == 0 ? Rational(0) : Rational(at_risk, outstanding);
}

std::string format_ratio(const Rational& ratio) { return format_decimal(ratio, 4, Rounding::kHalfUp); }

}  // namespace soquy
