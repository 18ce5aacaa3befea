// Settings declared by their domains (setting_key.h): the typed read with the declared default
// and rule, the catalogue built from the declarations, and a bad stored VBSP loan number length
// refused with the setting's name instead of silently read as 16.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "soquy/ledger.h"
#include "soquy/loan_status.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "soquy/rosca.h"
#include "soquy/settings.h"
#include "soquy/vbsp.h"
#include "store.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::failed_with;

class SettingKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
  }
  Store& store() { return ledger_->store(); }
  test_support::TempDir dir_{"soquy-setting-key"};
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(SettingKeyTest, NothingStoredReadsTheDeclaredDefault) {
  EXPECT_EQ(*setting_value<Money>(store(), kMemberLimitSetting), Money(50'000'000));
  EXPECT_EQ(*setting_value<bool>(store(), kAllowNegativeCashSetting), false);
  EXPECT_EQ(*setting_value<Rational>(store(), kRoscaRateCapSetting), Rational(1, 5));
  EXPECT_EQ(*setting_value<std::int64_t>(store(), kVbspLoanNoLength), 16);
  EXPECT_EQ(*setting_value<std::optional<std::int64_t>>(store(), group_size_setting_key(GroupKind::kVbsp, true)), 60);
  EXPECT_EQ(*setting_value<std::optional<std::int64_t>>(store(), group_size_setting_key(GroupKind::kVbsp, false)), 5);
  EXPECT_EQ(*setting_value<std::optional<std::int64_t>>(store(), group_size_setting_key(GroupKind::kCredit, true)),
            std::nullopt);
}

TEST_F(SettingKeyTest, StoredValuesAreReadAndBadOnesNameTheSetting) {
  store().put_setting("rosca.rate_cap", "0.25");
  EXPECT_EQ(*setting_value<Rational>(store(), kRoscaRateCapSetting), Rational(1, 4));
  store().put_setting("fund.allow_negative_cash", "true");
  EXPECT_TRUE(*setting_value<bool>(store(), kAllowNegativeCashSetting));
  store().put_setting("group.vbsp.max_members", "");  // empty counts as not set: the default
  EXPECT_EQ(*setting_value<std::optional<std::int64_t>>(store(), group_size_setting_key(GroupKind::kVbsp, true)), 60);
  store().put_setting("rosca.rate_cap", "1.5");
  auto cap = setting_value<Rational>(store(), kRoscaRateCapSetting);
  ASSERT_TRUE(failed_with(cap, ErrorKind::kBadInput));
  EXPECT_EQ(cap.error().message().rfind("setting rosca.rate_cap: ", 0), 0u) << cap.error().message();
}

TEST_F(SettingKeyTest, TheCatalogueIsTheDomainsDeclarations) {
  for (const SettingKey& k : {kMemberLimitSetting, kAllowNegativeCashSetting, kLoanClassesSetting,
                              kRoscaRateCapSetting, kVbspLoanNoLength, group_size_setting_key(GroupKind::kPool, false)}) {
    const SettingSpec* spec = find_setting_spec(k.key);
    ASSERT_NE(spec, nullptr) << k.key;
    EXPECT_EQ(spec->default_value, k.default_value);
    EXPECT_TRUE(k.validate(k.default_value)) << k.key;
  }
  EXPECT_EQ(kLoanClassesSetting.default_value, format_loan_classes(LoanClassTable{}));
  EXPECT_EQ(kDefaultMemberLimit, 50'000'000);
  EXPECT_EQ(kVbspDefaultLoanNoLength, 16u);
}

TEST_F(SettingKeyTest, ABadStoredLoanNumberLengthIsBadInputNamingTheSetting) {
  Registry reg(*ledger_);
  ASSERT_TRUE(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", test_support::day(2020, 1, 1)}));
  ASSERT_TRUE(reg.add_unit({"C1", "Long Đức", UnitKind::kCommune, "P", test_support::day(2020, 1, 1)}));
  const std::string path = dir_.file("register.csv");
  test_support::write_file(path,
                           "loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,"
                           "disbursed_on,amount,maturity_on\n"
                           "6001000000000001,0841012,HV1,KH001,,Nguyễn Thị Hòa,01,2026-01-15,30000000,2029-01-15\n");
  store().put_setting("vbsp.loan_no_length", "abc");
  Vbsp vbsp(*ledger_);
  VbspImportOptions options;
  options.unit = "C1";
  try {
    (void)vbsp.import_register(path, options);
    ADD_FAILURE() << "imported with a bad stored loan number length";
  } catch (const SoquyException& e) {
    EXPECT_EQ(e.error().kind(), ErrorKind::kBadInput);
    EXPECT_EQ(e.error().exit_code(), 65);
    EXPECT_NE(e.error().message().find("vbsp.loan_no_length"), std::string::npos) << e.error().message();
  }
  // --loan-no-length wins over the setting, good or bad.
  options.loan_no_length = 16;
  auto r = vbsp.import_register(path, options);
  EXPECT_TRUE(r) << r.error().message();
}

}  // namespace
}  // namespace soquy
