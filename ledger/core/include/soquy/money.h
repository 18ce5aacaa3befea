// soquy — exact money.
//
// Money is a signed 64-bit count of minor units of one currency (VND has no minor unit:
// 1 = 1 đồng). Arithmetic is checked: an overflow is an error, never a wrap. There is no way
// to build Money from a floating-point number and no Money × Money; fractional maths
// (interest, shares, pro-rata) is done in exact rationals (`Rational`) and turned back into
// Money by `round_to_money` with a named `Rounding` rule, exactly once per figure.
// Splits (`split_largest_remainder`) always return parts that add up to the whole.
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>
#include <fmt/format.h>

#include "soquy/error.h"

namespace soquy {

using Rational = boost::multiprecision::cpp_rational;
using BigInt = boost::multiprecision::cpp_int;

// A currency: ISO code and number of minor-unit digits. Only VND (exponent 0) is configured
// today; the type exists so no code assumes it.
struct Currency {
  std::string_view code;
  int exponent;
  friend bool operator==(const Currency&, const Currency&) = default;
};
inline constexpr Currency kVnd{"VND", 0};

// Returns the currency for an ISO code, or a bad-input error naming the code.
Result<Currency> currency_from_code(std::string_view code);

class Money {
 public:
  constexpr Money() = default;
  // From a count of minor units. Only integral types: Money(1.5) does not compile.
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && (std::is_signed_v<I> || sizeof(I) < 8))
  constexpr explicit Money(I minor, Currency c = kVnd) : minor_(static_cast<std::int64_t>(minor)), currency_(c) {
    static_assert(sizeof(I) <= sizeof(std::int64_t));  // 64-bit unsigned is refused above: it may not fit
  }
  template <class F>
    requires std::is_floating_point_v<F>
  Money(F, Currency = kVnd) = delete;  // never from binary floating point

  constexpr std::int64_t minor_units() const { return minor_; }
  constexpr const Currency& currency() const { return currency_; }
  constexpr bool is_zero() const { return minor_ == 0; }
  constexpr bool is_negative() const { return minor_ < 0; }

  // Checked arithmetic. These return an error on overflow or on a currency mismatch.
  Result<Money> plus(Money other) const;
  Result<Money> minus(Money other) const;
  Result<Money> negated() const;
  // Multiplies by a whole count (instalments, shares). Checked.
  Result<Money> times(std::int64_t count) const;

  // Operators for code whose bounds are known: they throw SoquyException (kInternal) on
  // overflow, which is a bug at that call site, not an input error.
  friend Money operator+(Money a, Money b);
  friend Money operator-(Money a, Money b);
  friend Money operator-(Money a);
  Money& operator+=(Money b) { return *this = *this + b; }
  Money& operator-=(Money b) { return *this = *this - b; }

  friend constexpr bool operator==(const Money& a, const Money& b) = default;
  friend constexpr std::strong_ordering operator<=>(const Money& a, const Money& b) {
    return a.minor_ <=> b.minor_;
  }

  // The exact value as a rational number of minor units.
  Rational to_rational() const { return Rational(minor_); }

  // "1234567" (minor units, optional '-'): the form used in JSON and CSV.
  std::string to_plain_string() const;
  // "1.234.567" — Vietnamese grouping for tables and print; never for machine output.
  std::string to_grouped_string(char separator = '.') const;

 private:
  std::int64_t minor_ = 0;
  Currency currency_ = kVnd;
};

// Parses an amount typed by a person or read from a file. Accepted: an optional sign and
// digits ("-1500000"); for a currency with minor units, a '.' followed by exactly that many
// digits. Rejected with a message that says why: empty text, spaces, thousands separators
// ("1.000", "1,000" — ambiguous between 1 and 1000 in Vietnamese habit), exponents ("1e6"),
// fractions of a đồng, and values beyond the 64-bit range.
Result<Money> parse_money(std::string_view text, Currency currency = kVnd);

// How a rational is brought to a whole number of minor units.
enum class Rounding {
  kHalfUp,      // to nearest; ties away from zero (commercial rounding; the default)
  kHalfEven,    // to nearest; ties to the even neighbour (banker's rounding)
  kDown,        // toward zero (truncate)
  kUp,          // away from zero
  kFloor,       // toward −∞
  kCeiling,     // toward +∞
};
Result<Rounding> parse_rounding(std::string_view name);  // "half-up", "half-even", "down", …
std::string_view to_string(Rounding r);

// Rounds an exact rational to a whole integer by `rule`.
BigInt round_rational(const Rational& value, Rounding rule = Rounding::kHalfUp);
// Rounds a rational count of minor units to Money; an error if it does not fit in 64 bits.
Result<Money> round_to_money(const Rational& minor_units, Rounding rule = Rounding::kHalfUp,
                             Currency currency = kVnd);
// A double would bring its binary approximation into exact maths: refused at compile time.
template <class F>
  requires std::is_floating_point_v<F>
Result<Money> round_to_money(F, Rounding = Rounding::kHalfUp, Currency = kVnd) = delete;

// Splits `total` into parts proportional to `weights` (non-negative, not all zero) by the
// largest-remainder method: each part gets the floor of its exact share (toward zero for a
// negative total), and the units left over go one by one to the largest remainders, ties to
// the earlier index. The parts always add up to `total` exactly.
Result<std::vector<Money>> split_largest_remainder(Money total, const std::vector<Rational>& weights);

// Prints plain minor units and the currency ("1500000 VND"), for test diagnostics.
std::ostream& operator<<(std::ostream& os, const Money& m);

}  // namespace soquy

template <>
struct fmt::formatter<soquy::Money> {
  // "{}" prints plain minor units ("1234567"); "{:g}" groups thousands Vietnamese-style
  // ("1.234.567") for tables.
  bool grouped = false;
  constexpr auto parse(fmt::format_parse_context& ctx) {
    auto it = ctx.begin();
    if (it != ctx.end() && *it == 'g') {
      grouped = true;
      ++it;
    }
    return it;
  }
  template <class Ctx>
  auto format(const soquy::Money& m, Ctx& ctx) const {
    auto s = grouped ? m.to_grouped_string() : m.to_plain_string();
    return fmt::format_to(ctx.out(), "{}", s);
  }
};
