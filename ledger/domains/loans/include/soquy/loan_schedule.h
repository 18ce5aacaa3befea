// soquy — loan repayment schedules of the Women's Development Fund (and of savings groups'
// loans, which reuse this engine).
//
// Rules (issue "Women's Development Fund loans"; every figure exact, rounded once per step by
// the terms' Rounding rule, half-up to 1 đồng by default):
// - period rate r = monthly rate × 1 (monthly), × 12/52 (weekly), × 12/26 (fortnightly),
//   × 12/13 (four-weekly); a yearly rate is first divided by 12.
// - n instalments, the first g of them principal grace (interest only).
// - due date k = disbursement + k months (clamped to month end, each computed from the
//   disbursement date, so 31 Jan → 28 Feb → 31 Mar) or + 7k / 14k / 28k days.
// - flat: total interest T = round(P·r·n); instalment interest round(T/n), the last
//   T − (n−1)·round(T/n); principal round(P/(n−g)) per non-grace instalment, the last takes
//   the remainder.
// - equal-principal: principal as flat; interest of instalment k = round(O(k−1)·r).
// - equal-total (annuity): A = round(P·r / (1 − (1+r)^−(n−g))) computed exactly; interest
//   round(O·r), principal A − interest; the last instalment's principal is all of O.
// The principal column always sums to P exactly.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/money.h"
#include "soquy/rate.h"

namespace soquy {

enum class RepaymentMethod { kFlat, kEqualPrincipal, kEqualTotal };
Result<RepaymentMethod> parse_repayment_method(std::string_view text);  // flat|equal-principal|equal-total
std::string_view to_string(RepaymentMethod m);

enum class Frequency { kMonthly, kWeekly, kFortnightly, kFourWeekly };
Result<Frequency> parse_frequency(std::string_view text);  // monthly|weekly|fortnightly|four-weekly
std::string_view to_string(Frequency f);

struct LoanTerms {
  Money principal;
  Rate rate;                // e.g. 0.65%/month
  int installments = 12;    // n, the number of instalments
  int grace = 0;            // g, interest-only instalments at the start
  RepaymentMethod method = RepaymentMethod::kFlat;
  Frequency frequency = Frequency::kMonthly;
  Date disbursed_on;
  Rounding rounding = Rounding::kHalfUp;
};

struct Installment {
  int n = 0;  // 1-based
  Date due_on;
  Money principal;
  Money interest;
  Money total;
};

struct LoanSchedule {
  std::vector<Installment> installments;
  Money total_principal;
  Money total_interest;
  // For flat loans: the monthly declining-balance rate with the same cash flows (what the
  // borrower really pays), as a fraction per month, to 10 significant decimals.
  std::optional<Rational> equivalent_monthly_rate;
};

// The interest rate of one period of `frequency`, exactly.
Rational period_rate(const Rate& rate, Frequency frequency);
// Due date of instalment k (1-based).
Date due_date(Date disbursed_on, Frequency frequency, int k);

// Builds the schedule. kBadInput for a non-positive principal, n < 1, g < 0 or g ≥ n.
Result<LoanSchedule> build_schedule(const LoanTerms& terms);

// The per-period rate at which the present value of `payments` (one per period, the first one
// period after the start) equals `principal`, by bisection on exact rationals to within
// 1e-12; nullopt if the payments do not cover the principal.
std::optional<Rational> internal_rate(Money principal, const std::vector<Money>& payments);

}  // namespace soquy
