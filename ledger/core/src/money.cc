#include "soquy/money.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <ostream>

#include "soquy/i18n.h"

namespace soquy {
namespace {

// `op` is marked with N_ ("addition") and translated here.
Error overflow_error(const char* op) {
  return Error::bad_input(
      fmt::format(fmt::runtime(tr("amount out of range: {} would overflow a 64-bit count of đồng")), tr(op)));
}

Result<void> same_currency(const Money& a, const Money& b) {
  if (a.currency() == b.currency()) return {};
  return fail(Error::bad_input(fmt::format(
      fmt::runtime(tr("cannot combine {} with {}")), a.currency().code, b.currency().code)));
}

Money unwrap(Result<Money> r) {
  if (!r) throw SoquyException(Error::internal(r.error().message()));
  return *r;
}

}  // namespace

Result<Currency> currency_from_code(std::string_view code) {
  if (code == kVnd.code) return kVnd;
  return fail(Error::bad_input(fmt::format(fmt::runtime(tr("unknown currency '{}': expected VND")), code)));
}

Result<Money> Money::plus(Money other) const {
  if (auto ok = same_currency(*this, other); !ok) return fail(ok.error());
  std::int64_t out;
  if (__builtin_add_overflow(minor_, other.minor_, &out)) return fail(overflow_error(N_("addition")));
  return Money(out, currency_);
}

Result<Money> Money::minus(Money other) const {
  if (auto ok = same_currency(*this, other); !ok) return fail(ok.error());
  std::int64_t out;
  if (__builtin_sub_overflow(minor_, other.minor_, &out)) return fail(overflow_error(N_("subtraction")));
  return Money(out, currency_);
}

Result<Money> Money::negated() const {
  if (minor_ == std::numeric_limits<std::int64_t>::min()) return fail(overflow_error(N_("negation")));
  return Money(-minor_, currency_);
}

Result<Money> Money::times(std::int64_t count) const {
  std::int64_t out;
  if (__builtin_mul_overflow(minor_, count, &out)) return fail(overflow_error(N_("multiplication")));
  return Money(out, currency_);
}

Money operator+(Money a, Money b) { return unwrap(a.plus(b)); }
Money operator-(Money a, Money b) { return unwrap(a.minus(b)); }
Money operator-(Money a) { return unwrap(a.negated()); }

std::string Money::to_plain_string() const { return std::to_string(minor_); }

std::string Money::to_grouped_string(char separator) const {
  std::string digits = std::to_string(minor_);
  bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.erase(0, 1);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3 + 1);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out.push_back(separator);
    out.push_back(digits[i]);
  }
  return negative ? "-" + out : out;
}

Result<Money> parse_money(std::string_view text, Currency currency) {
  auto bad = [&](std::string_view why) {
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' is not an amount: {}")), text, why)));
  };
  if (text.empty()) return bad(tr("it is empty (expected whole đồng, e.g. 1500000)"));
  std::size_t i = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    i = 1;
  }
  std::string_view body = text.substr(i);
  if (body.empty()) return bad(tr("a sign without digits"));
  std::string_view whole = body, fraction;
  if (auto dot = body.find('.'); dot != std::string_view::npos) {
    whole = body.substr(0, dot);
    fraction = body.substr(dot + 1);
    if (currency.exponent == 0) {
      // "1.000" or "1.500.000": groups of three digits after each dot.
      bool looks_grouped = !fraction.empty();
      for (std::string_view rest = fraction; looks_grouped && !rest.empty();) {
        auto dot = rest.find('.');
        auto group = rest.substr(0, dot);
        looks_grouped = group.size() == 3 && group.find_first_not_of("0123456789") == std::string_view::npos;
        rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
        if (dot != std::string_view::npos && rest.empty()) looks_grouped = false;
      }
      if (looks_grouped) {
        return bad(fmt::format(fmt::runtime(tr("write whole {} without separators, e.g. 1000 — '.' and ',' are not "
                                               "accepted because '1.000' means one thousand in Vietnamese and one in English")),
                               currency.code == "VND" ? "đồng" : currency.code));
      }
      return bad(fmt::format(fmt::runtime(tr("{} has no fractions: amounts are whole {} (e.g. 1500000)")), currency.code,
                             currency.code == "VND" ? "đồng" : "units"));
    }
    if (fraction.size() != static_cast<std::size_t>(currency.exponent)) {
      return bad(fmt::format(fmt::runtime(tr("{} takes exactly {} decimals")), currency.code, currency.exponent));
    }
  }
  for (std::string_view part : {whole, fraction}) {
    for (std::size_t k = 0; k < part.size(); ++k) {
      char c = part[k];
      if (c >= '0' && c <= '9') continue;
      if (c == ',' || c == '.') return bad(tr("no thousands separators; write e.g. 1500000"));
      if (c == 'e' || c == 'E') return bad(tr("no exponents; write every digit, e.g. 1000000"));
      if (c == ' ' || c == '\t') return bad(tr("spaces are not allowed"));
      // Quote the whole UTF-8 character ("đ" of "1500000đ"), not one byte of it.
      std::size_t len = 1;
      while (k + len < part.size() && (static_cast<unsigned char>(part[k + len]) & 0xC0) == 0x80) ++len;
      return bad(fmt::format(fmt::runtime(tr("unexpected character '{}' (expected digits only, no currency sign)")), part.substr(k, len)));
    }
  }
  if (whole.empty()) return bad(tr("no digits before the decimal point"));
  // Accumulate in the negative range so that INT64_MIN parses.
  std::int64_t value = 0;
  auto push_digit = [&](char c) {
    return !__builtin_mul_overflow(value, 10, &value) && !__builtin_sub_overflow(value, c - '0', &value);
  };
  for (char c : whole)
    if (!push_digit(c)) return bad(tr("too large (beyond ±9223372036854775807 minor units)"));
  for (char c : fraction)
    if (!push_digit(c)) return bad(tr("too large (beyond ±9223372036854775807 minor units)"));
  // "12" in a currency with cents means 12.00: scale whole units to minor units.
  if (fraction.empty())
    for (int k = 0; k < currency.exponent; ++k)
      if (!push_digit('0')) return bad(tr("too large (beyond ±9223372036854775807 minor units)"));
  if (!negative) {
    if (value == std::numeric_limits<std::int64_t>::min()) return bad(tr("too large (beyond 9223372036854775807)"));
    value = -value;
  }
  return Money(value, currency);
}

Result<Rounding> parse_rounding(std::string_view name) {
  for (auto r : {Rounding::kHalfUp, Rounding::kHalfEven, Rounding::kDown, Rounding::kUp, Rounding::kFloor,
                 Rounding::kCeiling}) {
    if (to_string(r) == name) return r;
  }
  return fail(Error::bad_input(
      fmt::format(
          fmt::runtime(tr("unknown rounding '{}': expected half-up, half-even, down, up, floor or ceiling")), name)));
}

std::string_view to_string(Rounding r) {
  switch (r) {
    case Rounding::kHalfUp: return "half-up";
    case Rounding::kHalfEven: return "half-even";
    case Rounding::kDown: return "down";
    case Rounding::kUp: return "up";
    case Rounding::kFloor: return "floor";
    case Rounding::kCeiling: return "ceiling";
  }
  return "?";
}

BigInt round_rational(const Rational& value, Rounding rule) {
  const BigInt num = boost::multiprecision::numerator(value);
  const BigInt den = boost::multiprecision::denominator(value);  // always > 0
  // cpp_int division truncates toward zero; build every rule from that.
  BigInt q = num / den;
  BigInt r = num % den;  // same sign as num
  if (r == 0) return q;
  const int sign = num < 0 ? -1 : 1;
  BigInt twice = boost::multiprecision::abs(r) * 2;
  switch (rule) {
    case Rounding::kDown: return q;
    case Rounding::kUp: return q + sign;
    case Rounding::kFloor: return sign < 0 ? q - 1 : q;
    case Rounding::kCeiling: return sign > 0 ? q + 1 : q;
    case Rounding::kHalfUp: return twice >= den ? q + sign : q;
    case Rounding::kHalfEven:
      if (twice > den) return q + sign;
      if (twice < den) return q;
      return (q % 2 == 0) ? q : q + sign;
  }
  return q;
}

Result<Money> round_to_money(const Rational& minor_units, Rounding rule, Currency currency) {
  BigInt v = round_rational(minor_units, rule);
  if (v > std::numeric_limits<std::int64_t>::max() || v < std::numeric_limits<std::int64_t>::min()) {
    return fail(overflow_error(N_("rounding")));
  }
  return Money(static_cast<std::int64_t>(v), currency);
}

Result<std::vector<Money>> split_largest_remainder(Money total, const std::vector<Rational>& weights) {
  if (weights.empty()) return fail(Error::bad_input(tr("cannot split an amount into zero parts")));
  Rational sum = 0;
  for (const auto& w : weights) {
    if (w < 0) return fail(Error::bad_input(tr("split weights must not be negative")));
    sum += w;
  }
  if (sum == 0) return fail(Error::bad_input(tr("split weights must not all be zero")));
  // Work on |total| and restore the sign at the end, so a negative total splits symmetrically.
  const bool negative = total.is_negative();
  const BigInt whole = boost::multiprecision::abs(BigInt(total.minor_units()));
  std::vector<BigInt> parts(weights.size());
  std::vector<Rational> remainders(weights.size());
  BigInt allocated = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    Rational exact = Rational(whole) * weights[i] / sum;
    parts[i] = round_rational(exact, Rounding::kDown);
    remainders[i] = exact - Rational(parts[i]);
    allocated += parts[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  BigInt left = whole - allocated;  // < number of parts
  for (std::size_t k = 0; left > 0; ++k, --left) parts[order[k]] += 1;
  std::vector<Money> out;
  out.reserve(parts.size());
  for (const auto& p : parts) {
    // Restore the sign before narrowing: |INT64_MIN| itself does not fit in 64 bits.
    BigInt signed_part = negative ? BigInt(-p) : p;
    out.emplace_back(static_cast<std::int64_t>(signed_part), total.currency());
  }
  return out;
}

std::ostream& operator<<(std::ostream& os, const Money& m) {
  return os << m.to_plain_string() << ' ' << m.currency().code;
}

}  // namespace soquy
