#include "loan_schedule_codec.h"
#include "soquy/i18n.h"

#include <charconv>
#include <cstdint>
#include <optional>

#include <fmt/format.h>

namespace soquy {
namespace {

std::int64_t read_int(std::string_view text, std::string_view what) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size())
    throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("stored schedule holds a malformed {} '{}'")), what, text)));
  return v;
}

// a + b, failing on overflow like Money's sum (stored amounts are đồng of one currency).
std::int64_t plus(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r))
    throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("stored loan amounts overflow: {} + {}")), a, b)));
  return r;
}

bool digits(const char* p, int n, int& out) {
  int v = 0;
  for (int k = 0; k < n; ++k) {
    const char c = p[k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

// A stored YYYY-MM-DD without building an error on the way (Date::parse_iso for the rest).
std::optional<Date> stored_date(std::string_view t) {
  int y = 0, m = 0, d = 0;
  if (t.size() == 10 && t[4] == '-' && t[7] == '-' && digits(t.data(), 4, y) && digits(t.data() + 5, 2, m) &&
      digits(t.data() + 8, 2, d) && y >= 1900 && y <= 2999 && m >= 1 && m <= 12) {
    const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                                   date::day{static_cast<unsigned>(d)}};
    if (ymd.ok()) return Date(ymd);
  }
  auto parsed = Date::parse_iso(t);
  if (!parsed) return std::nullopt;
  return *parsed;
}

}  // namespace

std::string encode_schedule(const LoanSchedule& s) {
  std::string out;
  out.reserve(s.installments.size() * 32);
  for (const auto& i : s.installments) {
    if (!out.empty()) out += ';';
    out += fmt::format("{} {} {}", i.due_on.to_iso(), i.principal.minor_units(), i.interest.minor_units());
  }
  return out;
}

void decode_schedule_into(std::string_view text, LoanSchedule& s) {
  s.installments.clear();
  s.equivalent_monthly_rate.reset();
  std::int64_t total_p = 0, total_i = 0;
  int n = 0;
  while (!text.empty()) {
    auto end = text.find(';');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    auto s1 = line.find(' ');
    auto s2 = line.find(' ', s1 == std::string_view::npos ? s1 : s1 + 1);
    if (s1 == std::string_view::npos || s2 == std::string_view::npos)
      throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("stored schedule line '{}' is malformed")), line)));
    auto due = stored_date(line.substr(0, s1));
    if (!due) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("stored schedule line '{}' has a bad date")), line)));
    Installment& i = s.installments.emplace_back();
    i.n = ++n;
    i.due_on = *due;
    const std::int64_t p = read_int(line.substr(s1 + 1, s2 - s1 - 1), "principal");
    const std::int64_t in = read_int(line.substr(s2 + 1), "interest");
    i.principal = Money(p);
    i.interest = Money(in);
    i.total = Money(plus(p, in));
    total_p = plus(total_p, p);
    total_i = plus(total_i, in);
  }
  s.total_principal = Money(total_p);
  s.total_interest = Money(total_i);
}

LoanSchedule decode_schedule(std::string_view text) {
  LoanSchedule s;
  decode_schedule_into(text, s);
  return s;
}

}  // namespace soquy
