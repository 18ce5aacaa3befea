// soquy — exact decimal rates and ratios.
//
// A Rate is an exact decimal percentage per period, parsed from what a fund officer writes:
// "0.65%/month", "12%/year" (Vietnamese "%/tháng", "%/năm" also accepted). A bare "0.65%" is
// rejected: whether it is monthly or yearly is exactly what must not be guessed. Rates are
// never held in float or double; `per_month()` and `per_year()` give exact rationals
// (12%/year = 1%/month exactly).
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

#include "soquy/error.h"
#include "soquy/money.h"

namespace soquy {

// Parses a plain decimal number ("0.65", "12", "-3.5"): digits, an optional '.' and an
// optional leading '-'. No exponents, no ',' (rejected with a message, never guessed).
Result<Rational> parse_decimal(std::string_view text);

// Formats an exact rational with exactly `places` decimals, rounded once by `rule`:
// format_decimal(3/100, 4) == "0.0300". Used for ratios and rates in JSON.
std::string format_decimal(const Rational& value, int places, Rounding rule = Rounding::kHalfUp);
// A ratio as a percentage the Vietnamese way, for what people read (JSON keeps format_decimal):
// format_percent_vi(76.7583, 2) == "7.675,83 %" (thousands '.', decimal comma, rounded once).
std::string format_percent_vi(const Rational& ratio, int places = 2, Rounding rule = Rounding::kHalfUp);
// The same in the current language (soquy/i18n.h): format_percent_vi in Vietnamese, "7675.83%"
// in English. For a ratio inside a sentence people read.
std::string format_ratio_percent(const Rational& ratio, int places = 2, Rounding rule = Rounding::kHalfUp);

// Formats a rational exactly if it is a terminating decimal (1/8 → "0.125"), otherwise with
// `max_places` decimals rounded half-up. Used to print rates back as they were written.
std::string format_decimal_exact(const Rational& value, int max_places = 12);

enum class RatePeriod { kMonth, kYear };

class Rate {
 public:
  Rate() = default;
  // `percent` is the percentage per `period` (0.65 for 0.65 %/month).
  Rate(Rational percent, RatePeriod period) : percent_(std::move(percent)), period_(period) {}
  template <class F>
    requires std::is_floating_point_v<F>
  Rate(F, RatePeriod) = delete;  // rates are exact decimals, never binary floating point

  // "0.65%/month", "12%/year", "1%/tháng", "12%/năm"; spaces around '%' and '/' allowed.
  static Result<Rate> parse(std::string_view text);

  const Rational& percent() const { return percent_; }
  RatePeriod period() const { return period_; }
  // The rate as a fraction (not a percentage) per month / per year, exactly.
  Rational per_month() const;
  Rational per_year() const;
  // Canonical text: "0.65%/month".
  std::string to_string() const;

  friend bool operator==(const Rate& a, const Rate& b) { return a.per_month() == b.per_month(); }

 private:
  Rational percent_ = 0;
  RatePeriod period_ = RatePeriod::kMonth;
};

}  // namespace soquy
