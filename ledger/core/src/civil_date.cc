#include "soquy/civil_date.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "soquy/i18n.h"

#include <ostream>

namespace soquy {
namespace {

constexpr std::string_view kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                            "July",    "August",   "September", "October", "November", "December"};

// Parses exactly `width` digits (or 1..width when `exact` is false).
bool read_number(std::string_view s, int& out) {
  if (s.empty()) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

Result<Date> Date::from_ymd(int y, unsigned m, unsigned d) {
  if (y < 1900 || y > 2999) return fail(Error::bad_input(fmt::format(
      fmt::runtime(tr("year {} is out of range (1900–2999)")), y)));
  if (m < 1 || m > 12) return fail(Error::bad_input(fmt::format(
      fmt::runtime(tr("month {} does not exist (1–12)")), m)));
  date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok()) {
    auto last = date::year_month_day_last{date::year{y}, date::month_day_last{date::month{m}}}.day();
    // {4} is the month's number, for languages that number the months ("tháng 2/2026").
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{0} {1} has {2} days, not {3}")), kMonthNames[m - 1], y,
                                             static_cast<unsigned>(last), d, m)));
  }
  return Date(ymd);
}

Date Date::from_days(std::int64_t days) {
  return Date(date::year_month_day{date::sys_days{date::days{days}}});
}

std::int64_t Date::days_since_epoch() const { return date::sys_days{ymd_}.time_since_epoch().count(); }

Result<Date> Date::parse_iso(std::string_view text) {
  int y, m, d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !read_number(text.substr(0, 4), y) ||
      !read_number(text.substr(5, 2), m) || !read_number(text.substr(8, 2), d)) {
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' is not a date: expected YYYY-MM-DD")), text)));
  }
  auto r = from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  if (!r) return fail(r.error().with_context(fmt::format(fmt::runtime(tr("'{}' is not a valid date: ")), text)));
  return r;
}

Result<Date> Date::parse_any(std::string_view text) {
  if (text.find('/') == std::string_view::npos) return parse_iso(text);
  auto s1 = text.find('/');
  auto s2 = text.find('/', s1 + 1);
  int d, m, y;
  if (s2 == std::string_view::npos || s1 == 0 || s1 > 2 || s2 - s1 - 1 == 0 || s2 - s1 - 1 > 2 ||
      text.size() - s2 - 1 != 4 || !read_number(text.substr(0, s1), d) ||
      !read_number(text.substr(s1 + 1, s2 - s1 - 1), m) || !read_number(text.substr(s2 + 1), y)) {
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("'{}' is not a date: expected YYYY-MM-DD or DD/MM/YYYY")), text)));
  }
  auto r = from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  if (!r) return fail(r.error().with_context(fmt::format(
      fmt::runtime(tr("'{}' is not a valid date (DD/MM/YYYY): ")), text)));
  return r;
}

std::string Date::to_iso() const { return fmt::format("{:04}-{:02}-{:02}", year(), month(), day()); }

std::size_t Date::write_iso(char (&out)[16]) const {
  const int y = year();
  if (y < 0 || y > 9999) {
    const std::string iso = to_iso();
    const std::size_t n = std::min(iso.size(), sizeof out);
    std::memcpy(out, iso.data(), n);
    return n;
  }
  const unsigned m = month(), d = day();
  const char text[10] = {static_cast<char>('0' + y / 1000), static_cast<char>('0' + y / 100 % 10),
                         static_cast<char>('0' + y / 10 % 10), static_cast<char>('0' + y % 10), '-',
                         static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10), '-',
                         static_cast<char>('0' + d / 10), static_cast<char>('0' + d % 10)};
  std::memcpy(out, text, sizeof text);
  return sizeof text;
}

std::string Date::to_vietnamese() const { return fmt::format("{:02}/{:02}/{:04}", day(), month(), year()); }

Date Date::add_days(std::int64_t days) const { return from_days(days_since_epoch() + days); }

Date Date::add_months(int months) const {
  date::year_month ym = date::year_month{ymd_.year(), ymd_.month()} + date::months{months};
  auto last = date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}}.day();
  auto d = ymd_.day() > last ? last : ymd_.day();
  return Date(date::year_month_day{ym.year(), ym.month(), d});
}

Date Date::end_of_month() const {
  return Date(date::year_month_day{date::year_month_day_last{ymd_.year(), date::month_day_last{ymd_.month()}}});
}

std::ostream& operator<<(std::ostream& os, const Date& d) { return os << d.to_iso(); }

}  // namespace soquy
