#include "soquy/rate.h"

#include <cctype>

#include "soquy/i18n.h"

namespace soquy {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<Rational> parse_decimal(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' is not a decimal number: {}")), text, why)));
  };
  if (text.empty()) return bad(tr("it is empty"));
  std::size_t i = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    i = 1;
  }
  BigInt digits = 0;
  BigInt scale = 1;
  bool seen_dot = false, seen_digit = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = digits * 10 + (c - '0');
      if (seen_dot) scale *= 10;
      seen_digit = true;
    } else if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else if (c == ',') {
      return bad(tr("use '.' as the decimal point and no thousands separators (e.g. 0.65)"));
    } else if (c == 'e' || c == 'E') {
      return bad(tr("no exponents; write the digits (e.g. 0.0065)"));
    } else {
      return bad(fmt::format(fmt::runtime(tr("unexpected character '{}'")), c));
    }
  }
  if (!seen_digit) return bad(tr("no digits"));
  if (text.back() == '.') return bad(tr("nothing after the decimal point"));
  Rational r(digits, scale);
  return negative ? Rational(-r) : r;
}

std::string format_decimal(const Rational& value, int places, Rounding rule) {
  BigInt scale = 1;
  for (int i = 0; i < places; ++i) scale *= 10;
  BigInt scaled = round_rational(value * scale, rule);
  bool negative = scaled < 0;
  std::string digits = BigInt(boost::multiprecision::abs(scaled)).str();
  if (static_cast<int>(digits.size()) <= places) digits.insert(0, places + 1 - digits.size(), '0');
  std::string out = negative ? "-" : "";
  out += digits.substr(0, digits.size() - places);
  if (places > 0) out += "." + digits.substr(digits.size() - places);
  return out;
}

std::string format_percent_vi(const Rational& ratio, int places, Rounding rule) {
  const std::string plain = format_decimal(ratio * 100, places, rule);  // "-7675.83"
  const bool negative = !plain.empty() && plain[0] == '-';
  const std::string body = negative ? plain.substr(1) : plain;
  const auto point = body.find('.');
  const std::string whole = body.substr(0, point);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += '.';
    out += whole[i];
  }
  if (point != std::string::npos) out += "," + body.substr(point + 1);
  return (negative ? "-" : "") + out + " %";
}

std::string format_decimal_exact(const Rational& value, int max_places) {
  for (int places = 0; places <= max_places; ++places) {
    BigInt scale = 1;
    for (int i = 0; i < places; ++i) scale *= 10;
    Rational scaled = value * scale;
    if (boost::multiprecision::denominator(scaled) == 1) return format_decimal(value, places);
  }
  return format_decimal(value, max_places);
}

Result<Rate> Rate::parse(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("'{}' is not a rate: {} (e.g. 0.65%/month or 12%/year)")), text, why)));
  };
  auto pct = text.find('%');
  if (pct == std::string_view::npos) return bad(tr("missing '%'"));
  auto number = trim(text.substr(0, pct));
  auto rest = trim(text.substr(pct + 1));
  if (rest.empty()) return bad(tr("say per what: /month or /year"));
  if (rest.front() != '/') return bad(tr("expected '/month' or '/year' after '%'"));
  auto unit = trim(rest.substr(1));
  RatePeriod period;
  if (unit == "month" || unit == "tháng" || unit == "thang") {
    period = RatePeriod::kMonth;
  } else if (unit == "year" || unit == "năm" || unit == "nam") {
    period = RatePeriod::kYear;
  } else {
    return bad(fmt::format(fmt::runtime(tr("unknown period '{}'")), unit));
  }
  auto value = parse_decimal(number);
  if (!value) return fail(value.error());
  if (*value < 0) return bad(tr("a rate cannot be negative"));
  return Rate(*value, period);
}

Rational Rate::per_month() const {
  Rational fraction = percent_ / 100;
  return period_ == RatePeriod::kMonth ? fraction : Rational(fraction / 12);
}

Rational Rate::per_year() const {
  Rational fraction = percent_ / 100;
  return period_ == RatePeriod::kYear ? fraction : Rational(fraction * 12);
}

std::string Rate::to_string() const {
  return format_decimal_exact(percent_) + (period_ == RatePeriod::kMonth ? "%/month" : "%/year");
}

std::string format_ratio_percent(const Rational& ratio, int places, Rounding rule) {
  if (language() == Language::kEn) return format_decimal(ratio * 100, places, rule) + "%";
  return format_percent_vi(ratio, places, rule);
}

}  // namespace soquy
