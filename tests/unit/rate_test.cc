// Rates, parse_decimal and the decimal formatters. All expected rationals are worked out by hand:
// 0.65 %/month = 65/10000 per month = 780/10000 = 78/1000 per year.
#include <string>

#include <gtest/gtest.h>

#include "soquy/rate.h"
#include "soquy/i18n.h"

namespace soquy {
namespace {

template <class T>
void expect_bad_input(const Result<T>& r, const std::string& needle) {
  ASSERT_FALSE(r.has_value()) << "expected an error mentioning '" << needle << "'";
  EXPECT_EQ(r.error().kind(), ErrorKind::kBadInput) << r.error().message();
  EXPECT_NE(r.error().message().find(needle), std::string::npos)
      << "message '" << r.error().message() << "' does not mention '" << needle << "'";
}

// ---------------------------------------------------------------------------------------------
// Rate::parse

TEST(Rate, MonthlyPercent) {
  auto r = Rate::parse("0.65%/month");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->period(), RatePeriod::kMonth);
  EXPECT_EQ(r->percent(), Rational(65, 100));
  EXPECT_EQ(r->per_month(), Rational(65, 10000));
  EXPECT_EQ(r->per_year(), Rational(78, 1000));
}

TEST(Rate, YearlyPercentIsExactPerMonth) {
  auto r = Rate::parse("12%/year");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->period(), RatePeriod::kYear);
  EXPECT_EQ(r->per_year(), Rational(12, 100));
  EXPECT_EQ(r->per_month(), Rational(1, 100));
  // 10 %/year is 1/120 per month, not a rounded 0.00833.
  auto ten = Rate::parse("10%/year");
  ASSERT_TRUE(ten.has_value());
  EXPECT_EQ(ten->per_month(), Rational(1, 120));
}

TEST(Rate, VietnamesePeriodsAndSpaces) {
  auto thang = Rate::parse("1%/tháng");
  ASSERT_TRUE(thang.has_value()) << thang.error().message();
  EXPECT_EQ(thang->period(), RatePeriod::kMonth);
  EXPECT_EQ(thang->per_month(), Rational(1, 100));

  auto nam = Rate::parse("12%/năm");
  ASSERT_TRUE(nam.has_value()) << nam.error().message();
  EXPECT_EQ(nam->period(), RatePeriod::kYear);
  EXPECT_EQ(nam->per_month(), Rational(1, 100));

  // Without diacritics, as typed on a keyboard without a Vietnamese layout.
  auto ascii = Rate::parse("1.5%/thang");
  ASSERT_TRUE(ascii.has_value());
  EXPECT_EQ(ascii->per_month(), Rational(15, 1000));

  auto spaced = Rate::parse(" 0.65 % / month ");
  ASSERT_TRUE(spaced.has_value()) << spaced.error().message();
  EXPECT_EQ(spaced->per_month(), Rational(65, 10000));
}

TEST(Rate, ZeroIsAllowed) {
  auto r = Rate::parse("0%/month");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->per_year(), 0);
}

TEST(Rate, Rejects) {
  expect_bad_input(Rate::parse("0.65%"), "per what");  // monthly or yearly must not be guessed
  expect_bad_input(Rate::parse("0.65"), "missing '%'");
  expect_bad_input(Rate::parse("abc"), "missing '%'");
  expect_bad_input(Rate::parse(""), "missing '%'");
  expect_bad_input(Rate::parse("1e-2%/month"), "exponent");
  expect_bad_input(Rate::parse("0,65%/month"), "'.'");
  expect_bad_input(Rate::parse("-1%/month"), "negative");
  expect_bad_input(Rate::parse("1%/week"), "unknown period 'week'");
  expect_bad_input(Rate::parse("1%month"), "'/month'");
  expect_bad_input(Rate::parse("%/month"), "empty");
  expect_bad_input(Rate::parse("x%/month"), "unexpected character 'x'");
}

TEST(Rate, ToStringRoundTrips) {
  for (const char* text : {"0.65%/month", "12%/year", "0%/month", "1.125%/year", "100%/month"}) {
    auto r = Rate::parse(text);
    ASSERT_TRUE(r.has_value()) << text;
    EXPECT_EQ(r->to_string(), text);
    auto back = Rate::parse(r->to_string());
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(back->percent(), r->percent());
    EXPECT_EQ(back->period(), r->period());
  }
  // Canonical form: trailing zeros and the Vietnamese period name are normalised.
  EXPECT_EQ(Rate::parse("1.50%/tháng")->to_string(), "1.5%/month");
  EXPECT_EQ(Rate::parse("12%/năm")->to_string(), "12%/year");
  EXPECT_EQ(Rate(Rational(1, 8), RatePeriod::kYear).to_string(), "0.125%/year");
}

TEST(Rate, EqualityComparesTheMonthlyFraction) {
  EXPECT_EQ(*Rate::parse("12%/year"), *Rate::parse("1%/month"));
  EXPECT_FALSE(*Rate::parse("12%/month") == *Rate::parse("12%/year"));
}

// ---------------------------------------------------------------------------------------------
// parse_decimal

TEST(ParseDecimal, Accepts) {
  const std::pair<const char*, Rational> cases[] = {
      {"0.65", Rational(13, 20)}, {"12", Rational(12)},       {"-3.5", Rational(-7, 2)},
      {"+2", Rational(2)},        {"0", Rational(0)},         {"0.0065", Rational(13, 2000)},
      {"-0.001", Rational(-1, 1000)}, {"100.000", Rational(100)},  // '.' is always the decimal point
  };
  for (const auto& [text, expected] : cases) {
    auto r = parse_decimal(text);
    ASSERT_TRUE(r.has_value()) << text << ": " << r.error().message();
    EXPECT_EQ(*r, expected) << text;
  }
}

TEST(ParseDecimal, Rejects) {
  expect_bad_input(parse_decimal(""), "empty");
  expect_bad_input(parse_decimal("-"), "no digits");
  expect_bad_input(parse_decimal("."), "no digits");
  expect_bad_input(parse_decimal("1."), "nothing after the decimal point");
  expect_bad_input(parse_decimal("1,5"), "'.'");
  expect_bad_input(parse_decimal("1e3"), "exponent");
  expect_bad_input(parse_decimal("1.2.3"), "unexpected character '.'");
  expect_bad_input(parse_decimal(" 1"), "unexpected character ' '");
  expect_bad_input(parse_decimal("abc"), "unexpected character 'a'");
}

// ---------------------------------------------------------------------------------------------
// format_decimal / format_decimal_exact

TEST(FormatDecimal, FixedPlaces) {
  EXPECT_EQ(format_decimal(Rational(3, 100), 4), "0.0300");
  EXPECT_EQ(format_decimal(Rational(-1, 3), 4), "-0.3333");
  EXPECT_EQ(format_decimal(Rational(2, 3), 0), "1");
  EXPECT_EQ(format_decimal(Rational(-2, 3), 0), "-1");
  EXPECT_EQ(format_decimal(Rational(2, 3), 4), "0.6667");
  EXPECT_EQ(format_decimal(Rational(0), 2), "0.00");
  EXPECT_EQ(format_decimal(Rational(12345, 100), 1), "123.5");  // 123.45 → half-up
  EXPECT_EQ(format_decimal(Rational(1, 200), 2), "0.01");       // 0.005 → half-up
  EXPECT_EQ(format_decimal(Rational(-1, 200), 2), "-0.01");
  EXPECT_EQ(format_decimal(Rational(1234567, 1), 2), "1234567.00");
  EXPECT_EQ(format_decimal(Rational(-15, 1), 0), "-15");
  // A negative value that rounds to zero prints without a sign.
  EXPECT_EQ(format_decimal(Rational(-1, 3000), 2), "0.00");
}

TEST(FormatDecimal, RoundingRule) {
  EXPECT_EQ(format_decimal(Rational(5, 2), 0), "3");
  EXPECT_EQ(format_decimal(Rational(5, 2), 0, Rounding::kHalfEven), "2");
  EXPECT_EQ(format_decimal(Rational(1, 3), 2, Rounding::kUp), "0.34");
  EXPECT_EQ(format_decimal(Rational(-1, 3), 2, Rounding::kFloor), "-0.34");
  EXPECT_EQ(format_decimal(Rational(-1, 3), 2, Rounding::kCeiling), "-0.33");
}

TEST(FormatDecimal, Exact) {
  EXPECT_EQ(format_decimal_exact(Rational(1, 8)), "0.125");
  EXPECT_EQ(format_decimal_exact(Rational(12)), "12");
  EXPECT_EQ(format_decimal_exact(Rational(-13, 20)), "-0.65");
  EXPECT_EQ(format_decimal_exact(Rational(0)), "0");
  EXPECT_EQ(format_decimal_exact(Rational(1, 3)), "0.333333333333");  // 12 places by default
  EXPECT_EQ(format_decimal_exact(Rational(2, 3), 4), "0.6667");
  EXPECT_EQ(format_decimal_exact(Rational(1, 1024), 4), "0.0010");  // needs 10 places: rounded
}

// A ratio in a sentence people read: Vietnamese separators and " %" in Vietnamese, a point and
// "%" in English; the figure rounded once (22.8/year implied by a hụi bid is 2,280 %).
TEST(Rate, PercentInTheReadersLanguage) {
  const Rational implied(228, 10);
  const Rational cap(1, 5);
  EXPECT_EQ(format_ratio_percent(implied, 2), "2280.00%");  // the unit tests run in English
  EXPECT_EQ(format_ratio_percent(cap, 2), "20.00%");
  EXPECT_EQ(format_ratio_percent(Rational(-767583, 1000000), 2), "-76.76%");
  set_language(Language::kVi);
  EXPECT_EQ(format_ratio_percent(implied, 2), "2.280,00 %");
  EXPECT_EQ(format_ratio_percent(cap, 2), "20,00 %");
  set_language(Language::kEn);
}

}  // namespace
}  // namespace soquy
