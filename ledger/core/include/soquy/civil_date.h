// soquy — civil dates (no time of day, no time zone).
//
// A Date is a proleptic Gregorian calendar day (Howard Hinnant's date::year_month_day).
// Month arithmetic clamps to the month's end: 31 Jan + 1 month = 28 Feb (29 in a leap year).
// Parsing is strict: "2026-02-31" is rejected, never rolled over into March.
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include <date/date.h>
#include <fmt/format.h>

#include "soquy/error.h"

namespace soquy {

class Date {
 public:
  Date() = default;  // 1970-01-01
  explicit Date(date::year_month_day ymd) : ymd_(ymd) {}
  static Result<Date> from_ymd(int y, unsigned m, unsigned d);
  static Date from_days(std::int64_t days_since_1970);

  // YYYY-MM-DD only (the form of the command line and of JSON).
  static Result<Date> parse_iso(std::string_view text);
  // YYYY-MM-DD or DD/MM/YYYY (the Vietnamese habit in imported files). D/M with one digit
  // are accepted in the slash form (5/1/2026), the ISO form wants two.
  static Result<Date> parse_any(std::string_view text);

  std::string to_iso() const;       // 2026-01-31
  // The same ten characters written into `out` without allocating (for the journal's hot
  // paths); years outside 0000–9999 fall back to to_iso(). Returns the number written (≤ 16).
  std::size_t write_iso(char (&out)[16]) const;
  std::string to_vietnamese() const;  // 31/01/2026

  int year() const { return static_cast<int>(ymd_.year()); }
  unsigned month() const { return static_cast<unsigned>(ymd_.month()); }
  unsigned day() const { return static_cast<unsigned>(ymd_.day()); }
  std::int64_t days_since_epoch() const;
  const date::year_month_day& ymd() const { return ymd_; }

  Date add_days(std::int64_t days) const;
  // Adds (or subtracts) whole months, clamping the day to the last day of the target month.
  Date add_months(int months) const;
  // Days from `earlier` to this date (negative if `earlier` is later).
  std::int64_t days_since(const Date& earlier) const { return days_since_epoch() - earlier.days_since_epoch(); }
  Date end_of_month() const;

  friend bool operator==(const Date& a, const Date& b) { return a.ymd_ == b.ymd_; }
  friend std::strong_ordering operator<=>(const Date& a, const Date& b) {
    return a.days_since_epoch() <=> b.days_since_epoch();
  }

 private:
  date::year_month_day ymd_{date::year{1970}, date::month{1}, date::day{1}};
};

// Prints YYYY-MM-DD (for test diagnostics and streams).
std::ostream& operator<<(std::ostream& os, const Date& d);

}  // namespace soquy

template <>
struct fmt::formatter<soquy::Date> : fmt::formatter<std::string_view> {
  template <class Ctx>
  auto format(const soquy::Date& d, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format(d.to_iso(), ctx);
  }
};
