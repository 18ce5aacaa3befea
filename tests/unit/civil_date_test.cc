// Civil dates: strict parsing, month arithmetic that clamps, day counts. Expected dates are
// worked out by hand from the calendar (2024 is a leap year, 2026 and 2027 are not).
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "soquy/civil_date.h"

namespace soquy {
namespace {

template <class T>
void expect_bad_input(const Result<T>& r, const std::string& needle) {
  ASSERT_FALSE(r.has_value()) << "expected an error mentioning '" << needle << "'";
  EXPECT_EQ(r.error().kind(), ErrorKind::kBadInput) << r.error().message();
  EXPECT_NE(r.error().message().find(needle), std::string::npos)
      << "message '" << r.error().message() << "' does not mention '" << needle << "'";
}

// Builds a date known to be valid; the test fails loudly if it is not.
Date ymd(int y, unsigned m, unsigned d) {
  auto r = Date::from_ymd(y, m, d);
  EXPECT_TRUE(r.has_value()) << y << "-" << m << "-" << d;
  return r.value_or(Date());
}

void expect_date(const Date& got, int y, unsigned m, unsigned d) {
  EXPECT_EQ(got.year(), y) << got.to_iso();
  EXPECT_EQ(got.month(), m) << got.to_iso();
  EXPECT_EQ(got.day(), d) << got.to_iso();
}

// ---------------------------------------------------------------------------------------------
// Parsing

TEST(DateParse, IsoAccepts) {
  auto a = Date::parse_iso("2026-01-31");
  ASSERT_TRUE(a.has_value()) << a.error().message();
  expect_date(*a, 2026, 1, 31);
  auto leap = Date::parse_iso("2024-02-29");
  ASSERT_TRUE(leap.has_value()) << leap.error().message();
  expect_date(*leap, 2024, 2, 29);
  auto century = Date::parse_iso("2000-02-29");  // divisible by 400: leap
  ASSERT_TRUE(century.has_value());
  expect_date(*century, 2000, 2, 29);
}

TEST(DateParse, IsoRejectsImpossibleDaysWithoutRollingOver) {
  expect_bad_input(Date::parse_iso("2026-02-31"), "28 days");
  expect_bad_input(Date::parse_iso("2026-02-29"), "28 days");
  expect_bad_input(Date::parse_iso("2024-02-30"), "29 days");
  expect_bad_input(Date::parse_iso("2100-02-29"), "28 days");  // divisible by 100, not 400
  expect_bad_input(Date::parse_iso("2026-04-31"), "30 days");
  expect_bad_input(Date::parse_iso("2026-01-00"), "31 days");
  expect_bad_input(Date::parse_iso("2026-13-01"), "month 13");
  expect_bad_input(Date::parse_iso("2026-00-10"), "month 0");
  expect_bad_input(Date::parse_iso("1899-12-31"), "year 1899");
  // The message names the input too.
  expect_bad_input(Date::parse_iso("2026-02-31"), "'2026-02-31'");
}

TEST(DateParse, IsoRejectsOtherShapes) {
  for (const char* text : {"2026-2-3", "26-02-03", "2026/02/03", "03/02/2026", "", "2026-02-03 ", " 2026-02-03",
                           "2026-02-3x", "2026-0a-03", "+026-02-03", "2026-02-03T00:00", "20260203"}) {
    SCOPED_TRACE(std::string("input '") + text + "'");
    expect_bad_input(Date::parse_iso(text), "YYYY-MM-DD");
  }
}

TEST(DateParse, AnyAcceptsVietnameseOrder) {
  auto a = Date::parse_any("31/01/2026");
  ASSERT_TRUE(a.has_value()) << a.error().message();
  expect_date(*a, 2026, 1, 31);
  auto b = Date::parse_any("5/1/2026");  // day first: 5 January, not May 1
  ASSERT_TRUE(b.has_value()) << b.error().message();
  expect_date(*b, 2026, 1, 5);
  auto c = Date::parse_any("05/01/2026");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(*c, *b);
  auto iso = Date::parse_any("2026-01-05");
  ASSERT_TRUE(iso.has_value());
  EXPECT_EQ(*iso, *b);
  auto leap = Date::parse_any("29/2/2024");
  ASSERT_TRUE(leap.has_value());
  expect_date(*leap, 2024, 2, 29);
}

TEST(DateParse, AnyRejects) {
  expect_bad_input(Date::parse_any("31/02/2026"), "28 days");
  expect_bad_input(Date::parse_any("2026-13-01"), "month 13");
  expect_bad_input(Date::parse_any("1/13/2026"), "month 13");  // month-first is not guessed
  for (const char* text : {"5/1/26", "/1/2026", "123/1/2026", "5//2026", "5/1/2026/", "5/001/2026", "5-1-2026",
                           "a/1/2026", "5/1/20266", "5/1"}) {
    SCOPED_TRACE(std::string("input '") + text + "'");
    expect_bad_input(Date::parse_any(text), "is not a date");
  }
}

TEST(DateParse, FromYmd) {
  expect_date(ymd(2026, 12, 31), 2026, 12, 31);
  expect_bad_input(Date::from_ymd(2026, 2, 29), "February 2026 has 28 days, not 29");
  expect_bad_input(Date::from_ymd(3000, 1, 1), "out of range");
}

// ---------------------------------------------------------------------------------------------
// Text forms

TEST(DateText, IsoAndVietnamese) {
  const Date d = ymd(2026, 1, 5);
  EXPECT_EQ(d.to_iso(), "2026-01-05");
  EXPECT_EQ(d.to_vietnamese(), "05/01/2026");
  EXPECT_EQ(fmt::format("{}", d), "2026-01-05");
  EXPECT_EQ(ymd(2026, 12, 31).to_vietnamese(), "31/12/2026");
  EXPECT_EQ(Date().to_iso(), "1970-01-01");
  // Each form parses back to the same day.
  EXPECT_EQ(*Date::parse_iso(d.to_iso()), d);
  EXPECT_EQ(*Date::parse_any(d.to_vietnamese()), d);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

TEST(DateArithmetic, AddMonthsClampsToTheMonthEnd) {
  expect_date(ymd(2026, 1, 31).add_months(1), 2026, 2, 28);
  expect_date(ymd(2024, 1, 31).add_months(1), 2024, 2, 29);
  expect_date(ymd(2026, 3, 31).add_months(-1), 2026, 2, 28);
  expect_date(ymd(2026, 1, 31).add_months(13), 2027, 2, 28);
  expect_date(ymd(2026, 1, 31).add_months(3), 2026, 4, 30);
  expect_date(ymd(2026, 12, 31).add_months(2), 2027, 2, 28);
  expect_date(ymd(2026, 1, 15).add_months(-1), 2025, 12, 15);
  expect_date(ymd(2026, 1, 15).add_months(-13), 2024, 12, 15);
  expect_date(ymd(2026, 5, 15).add_months(0), 2026, 5, 15);
  expect_date(ymd(2024, 2, 29).add_months(12), 2025, 2, 28);
  expect_date(ymd(2024, 2, 29).add_months(48), 2028, 2, 29);
  // Clamping is per call, not remembered: 31 Jan → 28 Feb → 28 Mar.
  expect_date(ymd(2026, 1, 31).add_months(1).add_months(1), 2026, 3, 28);
  expect_date(ymd(2026, 1, 31).add_months(2), 2026, 3, 31);
}

TEST(DateArithmetic, AddDays) {
  expect_date(ymd(2025, 12, 31).add_days(1), 2026, 1, 1);
  expect_date(ymd(2025, 12, 25).add_days(10), 2026, 1, 4);
  expect_date(ymd(2026, 1, 1).add_days(-1), 2025, 12, 31);
  expect_date(ymd(2024, 2, 28).add_days(1), 2024, 2, 29);
  expect_date(ymd(2026, 2, 28).add_days(1), 2026, 3, 1);
  expect_date(ymd(2024, 12, 31).add_days(365), 2025, 12, 31);
  expect_date(ymd(2024, 12, 31).add_days(366), 2026, 1, 1);
  expect_date(ymd(2026, 3, 10).add_days(0), 2026, 3, 10);
}

TEST(DateArithmetic, DaysSince) {
  EXPECT_EQ(ymd(2026, 1, 1).days_since(ymd(2025, 1, 1)), 365);
  EXPECT_EQ(ymd(2025, 1, 1).days_since(ymd(2024, 1, 1)), 366);
  EXPECT_EQ(ymd(2024, 1, 1).days_since(ymd(2025, 1, 1)), -366);
  EXPECT_EQ(ymd(2026, 3, 1).days_since(ymd(2026, 2, 1)), 28);
  EXPECT_EQ(ymd(2026, 1, 5).days_since(ymd(2026, 1, 5)), 0);
  EXPECT_EQ(ymd(2026, 1, 5).days_since(ymd(2025, 12, 31)), 5);
}

TEST(DateArithmetic, EpochDays) {
  // 1970–1999: 30 years × 365 days + 7 leap days (1972, 76, 80, 84, 88, 92, 96).
  EXPECT_EQ(ymd(2000, 1, 1).days_since_epoch(), 10957);
  EXPECT_EQ(Date().days_since_epoch(), 0);
  expect_date(Date::from_days(10957), 2000, 1, 1);
  expect_date(Date::from_days(-1), 1969, 12, 31);
  const Date d = ymd(2026, 11, 28);
  EXPECT_EQ(Date::from_days(d.days_since_epoch()), d);
}

TEST(DateArithmetic, EndOfMonth) {
  expect_date(ymd(2026, 2, 10).end_of_month(), 2026, 2, 28);
  expect_date(ymd(2024, 2, 1).end_of_month(), 2024, 2, 29);
  expect_date(ymd(2026, 4, 1).end_of_month(), 2026, 4, 30);
  expect_date(ymd(2026, 12, 31).end_of_month(), 2026, 12, 31);
}

TEST(DateArithmetic, Ordering) {
  EXPECT_LT(ymd(2025, 12, 31), ymd(2026, 1, 1));
  EXPECT_GT(ymd(2026, 2, 1), ymd(2026, 1, 31));
  EXPECT_EQ(ymd(2026, 1, 5), *Date::parse_any("5/1/2026"));
  EXPECT_NE(ymd(2026, 1, 5), ymd(2026, 5, 1));
}

// write_iso (the journal's allocation-free form) writes what the literal says, zero-padded.
TEST(DateFormat, WriteIsoPadsEveryField) {
  const std::pair<Date, std::string_view> cases[] = {
      {ymd(2026, 1, 5), "2026-01-05"}, {ymd(1900, 3, 1), "1900-03-01"}, {ymd(2024, 2, 29), "2024-02-29"}};
  for (const auto& [d, want] : cases) {
    char out[16];
    const std::size_t n = d.write_iso(out);
    EXPECT_EQ(std::string_view(out, n), want);
    EXPECT_EQ(d.to_iso(), want);
  }
}

}  // namespace
}  // namespace soquy
