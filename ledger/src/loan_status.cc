#include "soquy/loan_status.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace soquy {
namespace {

Money to_money(const Rational& v) {
  auto m = round_to_money(v, Rounding::kHalfUp);
  if (!m) throw SoquyException(Error::internal("loan figure out of range: " + m.error().message()));
  return *m;
}

Result<void> check_order(const std::vector<Component>& order) {
  std::array<int, 3> seen{};
  for (auto c : order) ++seen[static_cast<std::size_t>(c)];
  if (order.size() != 3 || seen != std::array<int, 3>{1, 1, 1})
    return fail(Error::bad_input("allocation order must name penalty, interest and principal once each"));
  return {};
}

Result<void> check_inputs(const LoanSchedule& schedule, const std::vector<Payment>& payments,
                          const AllocationOptions& options) {
  if (schedule.installments.empty()) return fail(Error::bad_input("the loan has no instalments"));
  for (std::size_t i = 1; i < schedule.installments.size(); ++i)
    if (schedule.installments[i].due_on < schedule.installments[i - 1].due_on)
      return fail(Error::bad_input(fmt::format("instalment {} is due before instalment {}",
                                               schedule.installments[i].n, schedule.installments[i - 1].n)));
  if (auto ok = check_order(options.order); !ok) return ok;
  if (options.penalty_rate && options.penalty_rate->per_month() < 0)
    return fail(Error::bad_input("a penalty rate cannot be negative"));
  const Currency currency = schedule.installments.front().principal.currency();
  for (std::size_t i = 0; i < payments.size(); ++i) {
    const auto& p = payments[i];
    if (p.amount.currency() != currency)
      return fail(Error::bad_input(fmt::format("repayment {} of {} is in {}, the loan in {}", i + 1, p.paid_on,
                                               p.amount.currency().code, currency.code)));
    if (p.amount.minor_units() <= 0)
      return fail(Error::bad_input(fmt::format("repayment {} of {}: amount {} must be positive", i + 1, p.paid_on,
                                               p.amount)));
    if (i > 0 && p.paid_on < payments[i - 1].paid_on)
      return fail(Error::bad_input(fmt::format("repayment {} of {} is listed after one of {}: repayments must be "
                                               "in date order", i + 1, p.paid_on, payments[i - 1].paid_on)));
  }
  return {};
}

// The allocation state of one loan. Penalty accrues lazily: an instalment's unpaid principal
// only changes when a repayment reaches it, so accruing up to each such date (and to as_of)
// gives the exact stretch-by-stretch sum without walking days or untouched instalments.
class Allocator {
 public:
  Allocator(const LoanSchedule& schedule, const AllocationOptions& options)
      : options_(options), currency_(schedule.installments.front().principal.currency()) {
    if (options.penalty_rate) monthly_penalty_ = options.penalty_rate->per_month();
    rows_.reserve(schedule.installments.size());
    for (const auto& in : schedule.installments) {
      Row r;
      r.out.n = in.n;
      r.out.due_on = in.due_on;
      r.out.principal_paid = r.out.interest_paid = r.out.penalty_paid = Money(0, currency_);
      r.principal_due = in.principal;
      r.interest_due = in.interest;
      r.accrued_to = in.due_on;
      if (in.principal.is_zero() && in.interest.is_zero()) r.out.paid_in_full_on = in.due_on;
      rows_.push_back(std::move(r));
    }
  }

  PaymentAllocation pay(const Payment& p) {
    PaymentAllocation out{p.paid_on, p.amount, zero(), zero(), zero(), zero()};
    Money left = p.amount;
    while (left.minor_units() > 0 && cursor_ < rows_.size()) {
      Row& r = rows_[cursor_];
      if (r.out.paid_in_full_on) {
        ++cursor_;
        continue;
      }
      accrue(r, p.paid_on);  // before any principal is paid: the stretch up to today had it all
      for (auto c : options_.order) {
        Money owed = c == Component::kPenalty    ? penalty_owed(r)
                     : c == Component::kInterest ? r.interest_due
                                                 : r.principal_due;
        Money x = std::min(owed, left);
        if (x.is_zero()) continue;
        left -= x;
        switch (c) {
          case Component::kPenalty: r.out.penalty_paid += x; out.penalty += x; break;
          case Component::kInterest: r.interest_due -= x; r.out.interest_paid += x; out.interest += x; break;
          case Component::kPrincipal: r.principal_due -= x; r.out.principal_paid += x; out.principal += x; break;
        }
      }
      if (!owes_anything(r)) {
        r.out.paid_in_full_on = p.paid_on;
        ++cursor_;
      }
    }
    out.overpayment = left;
    return out;
  }

  struct Row {
    InstallmentAllocation out;
    Money principal_due, interest_due;  // still unpaid
    Rational accrued;                   // exact penalty accrued up to accrued_to
    Date accrued_to;
  };

  // Brings the row's penalty up to the end of day `d`.
  void accrue(Row& r, Date d) {
    if (!monthly_penalty_ || d <= r.accrued_to) return;
    if (!r.principal_due.is_zero())
      r.accrued += r.principal_due.to_rational() * *monthly_penalty_ * d.days_since(r.accrued_to) / 30;
    r.accrued_to = d;
  }
  // Penalty accrued and not yet paid, as of the row's accrued_to. Rounding the running exact
  // sum once keeps the total charged equal to the documented one-rounding formula.
  Money penalty_owed(const Row& r) const {
    if (!monthly_penalty_) return zero();
    return to_money(r.accrued) - r.out.penalty_paid;
  }
  bool owes_anything(const Row& r) const {
    return !r.principal_due.is_zero() || !r.interest_due.is_zero() || !penalty_owed(r).is_zero();
  }

  Money zero() const { return Money(0, currency_); }
  std::vector<Row>& rows() { return rows_; }

 private:
  const AllocationOptions& options_;
  Currency currency_;
  std::optional<Rational> monthly_penalty_;
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
      return fail(Error::bad_input(fmt::format("allocation order '{}': unknown part '{}' (expected e.g. "
                                               "penalty,interest,principal)", text, part)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (auto ok = check_order(out); !ok)
    return fail(ok.error().with_context(fmt::format("allocation order '{}': ", text)));
  return out;
}

Result<Allocation> allocate(const LoanSchedule& schedule, const std::vector<Payment>& payments,
                            const AllocationOptions& options) {
  if (auto ok = check_inputs(schedule, payments, options); !ok) return fail(ok.error());
  Allocator a(schedule, options);
  Allocation out;
  out.overpayment = a.zero();
  out.payments.reserve(payments.size());
  for (const auto& p : payments) {
    out.payments.push_back(a.pay(p));
    out.overpayment += out.payments.back().overpayment;
  }
  out.installments.reserve(a.rows().size());
  for (auto& r : a.rows()) out.installments.push_back(std::move(r.out));
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
  LoanPosition pos;
  pos.as_of = as_of;
  pos.state = options.state;
  const Money zero = a.zero();
  pos.principal = pos.principal_paid = pos.interest_paid = pos.penalty_paid = zero;
  pos.overdue_principal = pos.overdue_interest = pos.overdue_penalty = pos.overpayment = zero;
  for (const auto& p : payments) {
    if (p.paid_on >= as_of) break;  // in date order: every later one is after as_of too
    pos.overpayment += a.pay(p).overpayment;
  }
  for (auto& r : a.rows()) {
    pos.principal += r.out.principal_paid + r.principal_due;
    pos.principal_paid += r.out.principal_paid;
    pos.interest_paid += r.out.interest_paid;
    pos.penalty_paid += r.out.penalty_paid;
    if (!(r.out.due_on < as_of)) continue;  // due today or later: not overdue yet
    a.accrue(r, as_of);
    if (!a.owes_anything(r)) continue;
    pos.overdue_principal += r.principal_due;
    pos.overdue_interest += r.interest_due;
    pos.overdue_penalty += a.penalty_owed(r);
    ++pos.installments_overdue;
    if (!pos.oldest_overdue_due_on) pos.oldest_overdue_due_on = r.out.due_on;
  }
  pos.outstanding_principal = pos.principal - pos.principal_paid;
  if (pos.oldest_overdue_due_on) pos.days_past_due = as_of.days_since(*pos.oldest_overdue_due_on);
  if (options.state == LoanState::kFrozen) {
    // Not overdue while frozen: the arrears wait, the loan is reported apart.
    pos.overdue_principal = pos.overdue_interest = pos.overdue_penalty = zero;
    pos.installments_overdue = 0;
    pos.days_past_due = 0;
    pos.oldest_overdue_due_on.reset();
  }
  return pos;
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
  if (cs.empty()) return fail(Error::bad_input("the loan class table is empty"));
  if (cs.front().min_days_past_due != 0)
    return fail(Error::bad_input(fmt::format("the first loan class ({}) must start at 0 days past due, not {}",
                                             cs.front().code, cs.front().min_days_past_due)));
  for (std::size_t i = 0; i < cs.size(); ++i) {
    if (cs[i].code.empty()) return fail(Error::bad_input(fmt::format("loan class {} has no code", i + 1)));
    if (cs[i].provision_rate < 0 || cs[i].provision_rate > 1)
      return fail(Error::bad_input(fmt::format("loan class {}: provision rate {} is not between 0 and 1", cs[i].code,
                                               format_decimal_exact(cs[i].provision_rate))));
    for (std::size_t j = 0; j < i; ++j)
      if (cs[j].code == cs[i].code)
        return fail(Error::bad_input(fmt::format("loan class {} is listed twice", cs[i].code)));
    if (i > 0 && cs[i].min_days_past_due <= cs[i - 1].min_days_past_due)
      return fail(Error::bad_input(fmt::format("loan class {} must start after class {} (days past due {} ≤ {})",
                                               cs[i].code, cs[i - 1].code, cs[i].min_days_past_due,
                                               cs[i - 1].min_days_past_due)));
  }
  return {};
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

PortfolioSummary summarize(const std::vector<LoanPosition>& positions, const LoanClassTable& table) {
  const Currency currency = positions.empty() ? kVnd : positions.front().outstanding_principal.currency();
  const Money zero(0, currency);
  PortfolioSummary s;
  s.outstanding_principal = s.overdue_principal = s.overdue_interest = s.overdue_penalty = zero;
  s.at_risk_1 = s.at_risk_30 = s.at_risk_90 = s.provision = zero;
  s.frozen_outstanding_principal = s.written_off_outstanding_principal = zero;
  for (auto label : kAgingBuckets) s.buckets.push_back({label, 0, zero, zero});
  for (const auto& c : table.classes) s.classes.push_back({c.code, c.provision_rate, 0, zero, zero});
  for (const auto& p : positions) {
    // Money's operator+ throws on a currency mismatch or overflow: both are caller bugs here.
    if (p.state == LoanState::kFrozen) {
      ++s.frozen_loans;
      s.frozen_outstanding_principal += p.outstanding_principal;
      continue;
    }
    if (p.state == LoanState::kWrittenOff) {
      ++s.written_off_loans;
      s.written_off_outstanding_principal += p.outstanding_principal;
      continue;
    }
    ++s.loans;
    const auto dpd = p.days_past_due;
    if (dpd > 0) ++s.loans_overdue;
    s.outstanding_principal += p.outstanding_principal;
    s.overdue_principal += p.overdue_principal;
    s.overdue_interest += p.overdue_interest;
    s.overdue_penalty += p.overdue_penalty;
    if (dpd > 1) s.at_risk_1 += p.outstanding_principal;
    if (dpd > 30) s.at_risk_30 += p.outstanding_principal;
    if (dpd > 90) s.at_risk_90 += p.outstanding_principal;
    auto& b = s.buckets[aging_bucket_index(dpd)];
    ++b.loans;
    b.outstanding_principal += p.outstanding_principal;
    b.overdue_principal += p.overdue_principal;
    auto& c = s.classes[loan_class_index(dpd, table)];
    ++c.loans;
    c.outstanding_principal += p.outstanding_principal;
    c.provision += loan_provision(p, table);
  }
  for (const auto& c : s.classes) s.provision += c.provision;
  auto ratio = [&](Money part) {
    return s.outstanding_principal.is_zero() ? Rational(0)
                                             : Rational(part.minor_units(), s.outstanding_principal.minor_units());
  };
  s.par1 = ratio(s.at_risk_1);
  s.par30 = ratio(s.at_risk_30);
  s.par90 = ratio(s.at_risk_90);
  return s;
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
