#include "soquy/i18n.h"
#include "soquy/loan_schedule.h"

#include <limits>

#include <fmt/format.h>

namespace soquy {
namespace {

// round() to Money; schedule figures are bounded by the principal, so overflow is a bug.
Money to_money(const Rational& v, Rounding rule) {
  auto m = round_to_money(v, rule);
  if (!m) throw SoquyException(Error::internal("schedule figure out of range: " + m.error().message()));
  return *m;
}

Rational power(const Rational& base, int exponent) {
  Rational out = 1;
  for (int i = 0; i < exponent; ++i) out *= base;
  return out;
}

}  // namespace

Result<RepaymentMethod> parse_repayment_method(std::string_view text) {
  for (auto m : {RepaymentMethod::kFlat, RepaymentMethod::kEqualPrincipal, RepaymentMethod::kEqualTotal})
    if (to_string(m) == text) return m;
  return fail(Error::bad_input(fmt::format(fmt::runtime(tr("unknown method '{}': expected flat, equal-principal or equal-total")), text)));
}

std::string_view to_string(RepaymentMethod m) {
  switch (m) {
    case RepaymentMethod::kFlat: return "flat";
    case RepaymentMethod::kEqualPrincipal: return "equal-principal";
    case RepaymentMethod::kEqualTotal: return "equal-total";
  }
  return "?";
}

Result<Frequency> parse_frequency(std::string_view text) {
  for (auto f : {Frequency::kMonthly, Frequency::kWeekly, Frequency::kFortnightly, Frequency::kFourWeekly})
    if (to_string(f) == text) return f;
  return fail(Error::bad_input(
      fmt::format(fmt::runtime(tr("unknown frequency '{}': expected monthly, weekly, fortnightly or four-weekly")), text)));
}

std::string_view to_string(Frequency f) {
  switch (f) {
    case Frequency::kMonthly: return "monthly";
    case Frequency::kWeekly: return "weekly";
    case Frequency::kFortnightly: return "fortnightly";
    case Frequency::kFourWeekly: return "four-weekly";
  }
  return "?";
}

Rational period_rate(const Rate& rate, Frequency frequency) {
  Rational monthly = rate.per_month();
  switch (frequency) {
    case Frequency::kMonthly: return monthly;
    case Frequency::kWeekly: return monthly * 12 / 52;
    case Frequency::kFortnightly: return monthly * 12 / 26;
    case Frequency::kFourWeekly: return monthly * 12 / 13;
  }
  return monthly;
}

Date due_date(Date disbursed_on, Frequency frequency, int k) {
  switch (frequency) {
    case Frequency::kMonthly: return disbursed_on.add_months(k);
    case Frequency::kWeekly: return disbursed_on.add_days(7LL * k);
    case Frequency::kFortnightly: return disbursed_on.add_days(14LL * k);
    case Frequency::kFourWeekly: return disbursed_on.add_days(28LL * k);
  }
  return disbursed_on;
}

namespace {

// Refuses terms whose schedule cannot be built, before any figure is computed: the term, the
// grace, and a loan whose repayments would not fit in a 64-bit count of đồng (an amount near
// the limit, or a rate of thousands of per cent a month).
Result<void> check_terms(const LoanTerms& t) {
  if (t.principal.minor_units() <= 0)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("the loan amount must be positive, not {}")), t.principal.to_plain_string())));
  if (t.installments < 1 || t.installments > 1000)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("the term must be 1 to 1000 instalments, not {}")), t.installments)));
  if (t.grace < 0 || t.grace >= t.installments)
    return fail(Error::bad_input(
        fmt::format(fmt::runtime(tr("grace must be at least 0 and less than the term ({} instalments), not {}")), t.installments, t.grace)));
  const Rational r = period_rate(t.rate, t.frequency);
  if (r < 0) return fail(Error::bad_input(tr("a rate cannot be negative")).in_field("rate"));
  // Every figure of a schedule (an instalment, a total, the annuity) is at most the principal
  // plus every period's interest on the whole principal, plus one đồng of rounding a period.
  const Rational bound = t.principal.to_rational() * (1 + r * t.installments) + t.installments;
  if (bound > Rational(std::numeric_limits<std::int64_t>::max())) {
    const std::string what = fmt::format(fmt::runtime(tr("{} đồng at {} over {} instalments comes to more than {} "
                                                          "đồng, the largest amount the books hold")),
                                         t.principal.to_plain_string(), t.rate.to_string(), t.installments,
                                         std::numeric_limits<std::int64_t>::max());
    // A rate above 100 % a period is the odd input; otherwise the amount is.
    return fail(Error::bad_input(what).in_field(r > 1 ? "rate" : "amount"));
  }
  return {};
}

}  // namespace

Result<LoanSchedule> build_schedule(const LoanTerms& t) {
  if (auto ok = check_terms(t); !ok) return fail(ok.error());
  const int n = t.installments, g = t.grace, m = n - g;
  const Rational r = period_rate(t.rate, t.frequency);
  const Rational P = t.principal.to_rational();
  const Rounding rule = t.rounding;

  LoanSchedule s;
  Money outstanding = t.principal;
  Money level_principal = to_money(P / m, rule);
  Money total_interest_flat, level_interest_flat;
  if (t.method == RepaymentMethod::kFlat) {
    total_interest_flat = to_money(P * r * n, rule);
    level_interest_flat = to_money(total_interest_flat.to_rational() / n, rule);
  }
  Money annuity;
  if (t.method == RepaymentMethod::kEqualTotal) {
    if (r == 0) {
      annuity = to_money(P / m, rule);
    } else {
      Rational grow = power(1 + r, m);  // (1+r)^m; A = P·r / (1 − (1+r)^−m) = P·r·grow / (grow − 1)
      annuity = to_money(P * r * grow / (grow - 1), rule);
    }
  }
  for (int k = 1; k <= n; ++k) {
    Installment inst;
    inst.n = k;
    inst.due_on = due_date(t.disbursed_on, t.frequency, k);
    const bool last = k == n;
    const bool grace = k <= g;
    switch (t.method) {
      case RepaymentMethod::kFlat:
        inst.interest = last ? total_interest_flat - level_interest_flat.times(n - 1).value() : level_interest_flat;
        inst.principal = grace ? Money() : (last ? outstanding : level_principal);
        break;
      case RepaymentMethod::kEqualPrincipal:
        inst.interest = to_money(outstanding.to_rational() * r, rule);
        inst.principal = grace ? Money() : (last ? outstanding : level_principal);
        break;
      case RepaymentMethod::kEqualTotal:
        inst.interest = to_money(outstanding.to_rational() * r, rule);
        inst.principal = grace ? Money() : (last ? outstanding : annuity - inst.interest);
        break;
    }
    if (inst.principal > outstanding) inst.principal = outstanding;  // tiny loans: never repay more than owed
    if (inst.principal.is_negative()) inst.principal = Money();
    outstanding -= inst.principal;
    inst.total = inst.principal + inst.interest;
    s.total_principal += inst.principal;
    s.total_interest += inst.interest;
    s.installments.push_back(inst);
  }
  if (t.method == RepaymentMethod::kFlat) {
    std::vector<Money> payments;
    for (const auto& i : s.installments) payments.push_back(i.total);
    if (auto per_period = internal_rate(t.principal, payments)) {
      // Express per month: the same scaling as period_rate, inverted.
      Rational monthly = *per_period;
      switch (t.frequency) {
        case Frequency::kMonthly: break;
        case Frequency::kWeekly: monthly = monthly * 52 / 12; break;
        case Frequency::kFortnightly: monthly = monthly * 26 / 12; break;
        case Frequency::kFourWeekly: monthly = monthly * 13 / 12; break;
      }
      s.equivalent_monthly_rate = monthly;
    }
  }
  return s;
}

std::optional<Rational> internal_rate(Money principal, const std::vector<Money>& payments) {
  // NPV(rate) = Σ payment_k / (1+rate)^k − principal, decreasing in rate, on a grid of 1e-12:
  // rate = q / S with S = 10^12. Only its sign is needed, and with x = S + q,
  //   NPV · x^n = Σ payment_k · S^k · x^(n−k) − principal · x^n
  // has the same sign and is an integer, summed by Horner's rule: exact as before, without the
  // rationals' reductions (a 1000-instalment loan took minutes with them, now milliseconds).
  const BigInt scale("1000000000000");
  auto npv_sign = [&](const BigInt& q) -> int {
    const BigInt x = scale + q;
    BigInt sum = 0, s_pow = 1, x_pow = 1;
    for (const auto& p : payments) {
      s_pow *= scale;
      x_pow *= x;
      sum = sum * x + p.minor_units() * s_pow;
    }
    const BigInt npv = sum - principal.minor_units() * x_pow;
    return npv < 0 ? -1 : (npv > 0 ? 1 : 0);
  };
  if (npv_sign(0) < 0) return std::nullopt;
  BigInt lo = 0, hi = scale;  // 100 % per period is far beyond any real loan
  if (npv_sign(hi) > 0) return std::nullopt;
  while (hi - lo > 1) {
    BigInt mid = (lo + hi) / 2;
    if (npv_sign(mid) >= 0) lo = mid;
    else hi = mid;
  }
  return Rational(lo, scale);
}

}  // namespace soquy
