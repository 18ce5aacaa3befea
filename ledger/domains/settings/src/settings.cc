#include "soquy/settings.h"

#include <algorithm>

#include <fmt/format.h>

#include "soquy/clock.h"
#include "soquy/loan_status.h"
#include "soquy/loans.h"
#include "soquy/money.h"
#include "soquy/rate.h"
#include "soquy/registry.h"
#include "soquy/vbsp_fees.h"
#include "settings_store.h"
#include "store.h"

namespace soquy {
namespace {

Result<void> boolean(std::string_view v) {
  if (v == "true" || v == "false") return {};
  return fail(Error::bad_input(fmt::format("'{}' is not true or false", v)));
}

Result<void> amount(std::string_view v) {
  auto m = parse_money(v);
  if (!m) return fail(m.error());
  if (m->is_negative()) return fail(Error::bad_input(fmt::format("{} is negative", v)));
  return {};
}

Result<void> loan_classes(std::string_view v) {
  auto t = parse_loan_classes(v);
  if (!t) return fail(t.error());
  return {};
}

// "" (no limit) or a whole number of members from 1 to 10000.
Result<void> member_count(std::string_view v) {
  if (v.empty()) return {};
  if (v.size() > 5 || v.find_first_not_of("0123456789") != std::string_view::npos || v.front() == '0' ||
      std::stoll(std::string(v)) > 10000)
    return fail(Error::bad_input(fmt::format("'{}' is not a number of members (1 to 10000, or empty for no limit)", v)));
  return {};
}

// A VBSP loan number length: 6 to 30 digits.
Result<void> loan_no_length(std::string_view v) {
  if (v.empty() || v.size() > 2 || v.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoi(std::string(v)) < 6 || std::stoi(std::string(v)) > 30)
    return fail(Error::bad_input(fmt::format("'{}' is not a number of digits from 6 to 30", v)));
  return {};
}

// A yearly rate as a fraction in [0, 1] ("0.20" is 20 %/year).
Result<void> yearly_fraction(std::string_view v) {
  auto r = parse_decimal(v);
  if (!r) return fail(r.error());
  if (*r < 0 || *r > 1) return fail(Error::bad_input(fmt::format("{} is not a fraction between 0 and 1 (0.20 is 20 %/year)", v)));
  return {};
}

// Three ascending grade thresholds from 0 to 100 ("50,70,85").
Result<void> vbsp_grade_thresholds(std::string_view v) {
  auto t = parse_vbsp_grade_thresholds(v);
  if (!t) return fail(t.error());
  return {};
}

std::vector<SettingSpec> build_catalogue() {
  std::vector<SettingSpec> c = {
      {std::string(kSettingAllowNegativeCash), "false",
       "true lets a disbursement take the fund's cash below zero (loan disburse)", boolean},
      {std::string(kSettingMemberLimit), std::to_string(kDefaultMemberLimit),
       "the most one member may owe the fund in principal, in đồng (loan disburse)", amount},
      {"loan.classes", format_loan_classes(LoanClassTable{}),
       "loan classes CODE:MIN_DAYS_PAST_DUE:PROVISION_PERCENT (report overdue, loan show, provision run)",
       loan_classes},
      {kVbspGradeThresholdsSetting, kVbspDefaultGradeThresholds,
       "VBSP group grades: below the 1st Yếu, below the 2nd Trung bình, below the 3rd Khá, else Tốt (report "
       "vbsp-grades)",
       vbsp_grade_thresholds},
      {"vbsp.loan_no_length", "16", "the number of digits of a VBSP loan number (vbsp imports; --loan-no-length overrides)",
       loan_no_length},
      {"rosca.rate_cap", "0.20",
       "implied yearly rate above which a hụi member's rate is flagged over the cap (rosca status)",
       yearly_fraction},
  };
  for (auto kind : {GroupKind::kCredit, GroupKind::kSavings, GroupKind::kRosca, GroupKind::kVbsp, GroupKind::kPool}) {
    const bool vbsp = kind == GroupKind::kVbsp;
    c.push_back({group_size_setting(kind, true), vbsp ? "60" : "",
                 fmt::format("the most members a {} group may have (empty: no limit)", to_string(kind)), member_count});
    c.push_back({group_size_setting(kind, false), vbsp ? "5" : "",
                 fmt::format("fewer members than this in a {} group gives a warning (empty: none)", to_string(kind)),
                 member_count});
  }
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
  return Error::usage(fmt::format("'{}' is not a setting; the settings are: {}", key, known));
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
        fmt::format("only an admin may change a setting ('{}' is {})", actor.name, to_string(actor.role))));
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
