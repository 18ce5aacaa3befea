// soquy — product settings: the rules a union may tune without a code change (the member limit
// of a loan, the loan classes and their provision rates, group sizes, …), stored as data in the
// database (schemas/0001_journal.sql `settings`; every change logged in schemas/0005_settings.sql
// `setting_changes`). docs/settings.md lists them.
//
// The catalogue is built from the settings each domain declares in its public header
// (setting_key.h): a key not in it is refused, and every value is
// checked by its key's rule before it is stored, so a bad value can never reach a computation.
// Only an admin may change a setting; the change and its log row are one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "soquy/error.h"
#include "soquy/ledger.h"

namespace soquy {

struct SettingSpec {
  std::string key;            // "loan.member_limit"
  std::string default_value;  // what applies while the setting is not stored ("" = no limit)
  std::string description;    // one line, for `soquy setting list`
  // kBadInput (message says what is expected) unless `value` is valid for this key.
  Result<void> (*validate)(std::string_view value);
};

// Every known setting, sorted by key.
const std::vector<SettingSpec>& setting_catalogue();
// nullptr when `key` is not a known setting.
const SettingSpec* find_setting_spec(std::string_view key);

struct SettingValue {
  std::string key;
  std::string value;          // the stored value, or the default when not stored
  std::string default_value;
  std::string description;
  bool is_default = true;     // not stored: the default applies
};

struct SettingChange {
  std::int64_t id = 0;
  std::string key;
  std::optional<std::string> old_value;  // nullopt: it had its default
  std::string new_value;
  std::string user;
  std::string recorded_at;
};

class Settings {
 public:
  explicit Settings(Ledger& ledger) : ledger_(ledger) {}

  // Every setting of the catalogue with its value in force.
  std::vector<SettingValue> list();
  // kUsage for a key not in the catalogue.
  Result<SettingValue> get(std::string_view key);
  // Stores `value` for `key` and logs the change, in one transaction. kPermission unless the
  // acting user is an admin; kUsage for an unknown key; kBadInput for a value the key's rule
  // refuses. Setting the value already in force changes nothing (no log row) and returns false.
  Result<bool> set(std::string_view key, std::string_view value);
  // The logged changes, oldest first.
  std::vector<SettingChange> history();

 private:
  Ledger& ledger_;
};

}  // namespace soquy
