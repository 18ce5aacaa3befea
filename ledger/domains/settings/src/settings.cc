#include "soquy/settings.h"

#include <algorithm>

#include <fmt/format.h>

#include "soquy/clock.h"
#include "soquy/i18n.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "soquy/rosca.h"
#include "soquy/vbsp.h"
#include "soquy/vbsp_fees.h"
#include "settings_store.h"
#include "store.h"

namespace soquy {
namespace {

// The settings every domain declares in its public header, one catalogue.
std::vector<SettingSpec> build_catalogue() {
  std::vector<SettingKey> keys = {kAllowNegativeCashSetting, kMemberLimitSetting, kLoanClassesSetting,
                                  kVbspGradeThresholds,      kVbspLoanNoLength,   kRoscaRateCapSetting};
  const auto& group_sizes = group_size_settings();
  keys.insert(keys.end(), group_sizes.begin(), group_sizes.end());
  std::vector<SettingSpec> c;
  for (const auto& k : keys)
    c.push_back({std::string(k.key), std::string(k.default_value), std::string(k.description), k.validate});
  std::sort(c.begin(), c.end(), [](const SettingSpec& a, const SettingSpec& b) { return a.key < b.key; });
  return c;
}

}  // namespace

const std::vector<SettingSpec>& setting_catalogue() {
  static const std::vector<SettingSpec> catalogue = build_catalogue();
  return catalogue;
}

const SettingSpec* find_setting_spec(std::string_view key) {
  for (const auto& s : setting_catalogue())
    if (s.key == key) return &s;
  return nullptr;
}

namespace {

SettingValue value_of(Store& store, const SettingSpec& spec) {
  SettingValue v{spec.key, spec.default_value, spec.default_value, spec.description, true};
  if (auto stored = store.setting(spec.key)) {
    v.value = *stored;
    v.is_default = false;
  }
  return v;
}

Error unknown_key(std::string_view key) {
  std::string known;
  for (const auto& s : setting_catalogue()) known += (known.empty() ? "" : ", ") + s.key;
  return Error::usage(fmt::format(fmt::runtime(tr("'{}' is not a setting; the settings are: {}")), key, known));
}

}  // namespace

std::vector<SettingValue> Settings::list() {
  std::vector<SettingValue> out;
  for (const auto& spec : setting_catalogue()) out.push_back(value_of(ledger_.store(), spec));
  return out;
}

Result<SettingValue> Settings::get(std::string_view key) {
  const SettingSpec* spec = find_setting_spec(key);
  if (!spec) return fail(unknown_key(key));
  return value_of(ledger_.store(), *spec);
}

Result<bool> Settings::set(std::string_view key, std::string_view value) {
  const SettingSpec* spec = find_setting_spec(key);
  if (!spec) return fail(unknown_key(key));
  const User& actor = ledger_.actor();
  if (actor.role != Role::kAdmin)
    return fail(Error::permission(
        fmt::format(
            fmt::runtime(tr("only an admin may change a setting ('{}' is {})")), actor.name, to_string(actor.role))));
  if (auto ok = spec->validate(value); !ok) return fail(ok.error().with_context(fmt::format("{}: ", key)));
  const auto old = ledger_.store().setting(spec->key);
  if (old && *old == value) return false;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    ledger_.store().put_setting(spec->key, std::string(value));
    SettingStore(ledger_.store()).log_change(spec->key, old, std::string(value), actor.id, now_timestamp());
    return {};
  });
  if (!r) return fail(r.error());
  return true;
}

std::vector<SettingChange> Settings::history() { return SettingStore(ledger_.store()).changes(); }

}  // namespace soquy
