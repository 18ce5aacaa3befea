#include "soquy/setting_key.h"

#include <type_traits>

#include <fmt/format.h>

#include "soquy/i18n.h"
#include "soquy/money.h"
#include "soquy/rate.h"
#include "store.h"

namespace soquy {

Result<void> setting_is_bool(std::string_view v) {
  if (v == "true" || v == "false") return {};
  return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' is not true or false")), v)));
}

Result<void> setting_is_amount(std::string_view v) {
  auto m = parse_money(v);
  if (!m) return fail(m.error());
  if (m->is_negative()) return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{} is negative")), v)));
  return {};
}

Result<void> setting_is_yearly_fraction(std::string_view v) {
  auto r = parse_decimal(v);
  if (!r) return fail(r.error());
  if (*r < 0 || *r > 1)
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("{} is not a fraction between 0 and 1 (0.20 is 20 %/year)")), v)));
  return {};
}

namespace {

Result<std::int64_t> whole_number(std::string_view text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string_view::npos)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' is not a whole number")), text)));
  std::int64_t n = 0;
  for (char c : text) n = n * 10 + (c - '0');
  return n;
}

}  // namespace

template <class T>
Result<T> setting_value(Store& store, const SettingKey& key) {
  auto stored = store.setting(std::string(key.key));
  std::string text = stored ? *stored : std::string(key.default_value);
  if constexpr (std::is_same_v<T, std::optional<std::int64_t>>)
    if (text.empty()) text = std::string(key.default_value);
  auto in_context = [&](const Error& e) { return e.with_context(fmt::format(
      fmt::runtime(tr("setting {}: ")), key.key)); };
  if (auto ok = key.validate(text); !ok) return fail(in_context(ok.error()));
  if constexpr (std::is_same_v<T, std::string>) {
    return text;
  } else if constexpr (std::is_same_v<T, bool>) {
    return text == "true";
  } else if constexpr (std::is_same_v<T, std::optional<std::int64_t>>) {
    if (text.empty()) return std::optional<std::int64_t>();
    auto n = whole_number(text);
    if (!n) return fail(in_context(n.error()));
    return std::optional<std::int64_t>(*n);
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    auto n = whole_number(text);
    if (!n) return fail(in_context(n.error()));
    return *n;
  } else if constexpr (std::is_same_v<T, Rational>) {
    auto r = parse_decimal(text);
    if (!r) return fail(in_context(r.error()));
    return *r;
  } else {
    static_assert(std::is_same_v<T, Money>, "setting_value: no reading for this type");
    auto m = parse_money(text);
    if (!m) return fail(in_context(m.error()));
    return *m;
  }
}

template Result<std::string> setting_value<std::string>(Store&, const SettingKey&);
template Result<bool> setting_value<bool>(Store&, const SettingKey&);
template Result<std::int64_t> setting_value<std::int64_t>(Store&, const SettingKey&);
template Result<std::optional<std::int64_t>> setting_value<std::optional<std::int64_t>>(Store&, const SettingKey&);
template Result<Rational> setting_value<Rational>(Store&, const SettingKey&);
template Result<Money> setting_value<Money>(Store&, const SettingKey&);

}  // namespace soquy
