// soquy — how a domain declares a product setting, and the one typed way to read it back.
//
// Each domain declares its settings in its own public header: the key, the default that applies
// while nothing is stored, a one-line description and the rule a value must pass. settings.h
// builds its catalogue (soquy setting list/set/history) from these declarations, so a key and its
// default are written once; the domain reads its setting through setting_value<T>, which applies
// the declared default and the same rule, so a value the catalogue would refuse never reaches a
// computation (a hand-edited database gets an error naming the setting, not a silent default).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "soquy/error.h"

namespace soquy {

class Store;

struct SettingKey {
  std::string_view key;            // "loan.member_limit"
  std::string_view default_value;  // in force while nothing is stored ("" = none, no limit)
  std::string_view description;    // one line, for `soquy setting list`
  // kBadInput (the message says what is expected) unless `value` is valid for this key.
  Result<void> (*validate)(std::string_view value);
};

// Rules shared by the settings of several domains.
Result<void> setting_is_bool(std::string_view value);             // true | false
Result<void> setting_is_amount(std::string_view value);           // whole đồng, ≥ 0
Result<void> setting_is_yearly_fraction(std::string_view value);  // a decimal in [0, 1]: 0.20 = 20 %/year

// The default of a setting whose default is a whole number ("16"), at compile time, so a
// domain's numeric constant can be derived from the declaration instead of repeating it.
constexpr std::int64_t setting_default_int(const SettingKey& key) {
  std::int64_t n = 0;
  for (char c : key.default_value) n = n * 10 + (c - '0');
  return n;
}

// The value in force: what is stored, or the declared default when nothing is. T is one of
//   std::string                  the text;
//   bool                         "true" → true, "false" → false;
//   std::int64_t                 a whole number;
//   std::optional<std::int64_t>  a whole number, or nullopt for "" (no limit); a stored ""
//                                counts as not set, so the declared default applies;
//   Rational                     an exact decimal ("0.20");
//   Money                        whole đồng.
// kBadInput "setting KEY: …" when the text does not pass the key's rule. Store errors throw as
// the Store's do (SoquyException kIo).
template <class T>
Result<T> setting_value(Store& store, const SettingKey& key);

}  // namespace soquy
