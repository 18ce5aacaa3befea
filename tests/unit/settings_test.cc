// Product settings (settings.h): the catalogue, the rules each value must pass, who may change a
// setting, the change log, and that the loan book reads what is stored (loan.classes,
// loan.member_limit).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "soquy/ledger.h"
#include "soquy/loan_status.h"
#include "soquy/loans.h"
#include "soquy/settings.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::failed_with;

class SettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
  }
  const SettingValue value(const std::string& key) {
    auto v = Settings(*ledger_).get(key);
    EXPECT_TRUE(v) << key;
    return v ? *v : SettingValue{};
  }
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
};

TEST(LoanClassText, DefaultRoundTripsAndPercentsAreExact) {
  EXPECT_EQ(format_loan_classes(LoanClassTable{}), "G1:0:0,G2:10:5,G3:30:20,G4:90:50,G5:180:100");
  auto t = parse_loan_classes("A:0:0,B:15:2.5,C:60:100");
  ASSERT_TRUE(t) << t.error().message();
  ASSERT_EQ(t->classes.size(), 3u);
  EXPECT_EQ(t->classes[1].code, "B");
  EXPECT_EQ(t->classes[1].min_days_past_due, 15);
  EXPECT_EQ(t->classes[1].provision_rate, Rational(1, 40));  // 2.5 % exactly
  EXPECT_EQ(t->classes[2].provision_rate, Rational(1));
  EXPECT_EQ(format_loan_classes(*t), "A:0:0,B:15:2.5,C:60:100");
  EXPECT_EQ(loan_class(14, *t).code, "A");
  EXPECT_EQ(loan_class(15, *t).code, "B");
}

TEST(LoanClassText, EveryMalformedTableIsRefused) {
  for (const char* bad : {"", "G1:0", "G1:0:0:1", "G1:1:0,G2:10:5", "G1:0:0,G2:10:5,G3:10:20", "G1:0:0,G2:x:5",
                          "G1:0:0,G2:10:101", "G1:0:0,G2:10:-1", "G1:0:0,G1:10:5", ":0:0", "G1:0:1e1",
                          "G1:0:0,,G2:10:5"})
    EXPECT_TRUE(failed_with(parse_loan_classes(bad), ErrorKind::kBadInput)) << "'" << bad << "'";
}

TEST_F(SettingsTest, CatalogueListsDefaultsSortedByKey) {
  auto all = Settings(*ledger_).list();
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].key, all[i].key);
  const auto classes = value("loan.classes");
  EXPECT_TRUE(classes.is_default);
  EXPECT_EQ(classes.value, "G1:0:0,G2:10:5,G3:30:20,G4:90:50,G5:180:100");
  EXPECT_EQ(value("loan.member_limit").value, "50000000");
  EXPECT_EQ(value("group.vbsp.max_members").value, "60");
  EXPECT_EQ(value("group.vbsp.min_members").value, "5");
  EXPECT_EQ(value("group.credit.max_members").value, "");
  EXPECT_EQ(value("fund.allow_negative_cash").value, "false");
}

TEST_F(SettingsTest, AnAdminChangeIsStoredLoggedAndReadByTheLoanBook) {
  Settings s(*ledger_);
  auto changed = s.set("loan.classes", "G1:0:0,G2:10:10,G3:30:25,G4:90:50,G5:180:100");
  ASSERT_TRUE(changed) << changed.error().message();
  EXPECT_TRUE(*changed);
  ASSERT_TRUE(s.set("loan.member_limit", "30000000"));
  // The same value again: nothing changes, nothing is logged.
  auto again = s.set("loan.member_limit", "30000000");
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  ASSERT_TRUE(s.set("loan.member_limit", "40000000"));

  const auto log = s.history();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].key, "loan.classes");
  EXPECT_FALSE(log[0].old_value);  // it had its default
  EXPECT_EQ(log[1].key, "loan.member_limit");
  EXPECT_FALSE(log[1].old_value);
  EXPECT_EQ(log[1].new_value, "30000000");
  ASSERT_TRUE(log[2].old_value);
  EXPECT_EQ(*log[2].old_value, "30000000");
  EXPECT_EQ(log[2].new_value, "40000000");
  EXPECT_EQ(log[2].user, "admin");
  EXPECT_FALSE(value("loan.member_limit").is_default);

  LoanBook book(*ledger_);
  EXPECT_EQ(book.member_limit(), Money(40'000'000));
  const LoanClassTable t = book.class_table();
  EXPECT_EQ(loan_class(15, t).code, "G2");
  EXPECT_EQ(loan_class(15, t).provision_rate, Rational(1, 10));
  EXPECT_EQ(loan_class(45, t).provision_rate, Rational(1, 4));
}

TEST_F(SettingsTest, BadKeysValuesAndUsersChangeNothing) {
  Settings s(*ledger_);
  EXPECT_TRUE(failed_with(s.set("loan.colour", "red"), ErrorKind::kUsage));
  EXPECT_TRUE(failed_with(s.get("loan.colour"), ErrorKind::kUsage));
  for (const auto& [key, bad] : std::vector<std::pair<std::string, std::string>>{
           {"loan.member_limit", "1.000"},
           {"loan.member_limit", "-5"},
           {"fund.allow_negative_cash", "yes"},
           {"loan.classes", "G1:5:0"},
           {"group.vbsp.max_members", "0"},
           {"group.vbsp.max_members", "12x"},
           {"rosca.rate_cap", "1.5"}}) {
    auto r = s.set(key, bad);
    ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput)) << key << " = " << bad;
    EXPECT_EQ(r.error().message().rfind(key + ": ", 0), 0u) << r.error().message();
  }
  ASSERT_TRUE(ledger_->add_user("canboxa", Role::kOfficer));
  ASSERT_TRUE(db_.act_as(ledger_, "canboxa"));
  Settings as_officer(*ledger_);
  EXPECT_TRUE(failed_with(as_officer.set("loan.member_limit", "1000"), ErrorKind::kPermission));
  EXPECT_TRUE(s.history().empty());
  EXPECT_TRUE(value("loan.member_limit").is_default);
  // Reading is open to everyone.
  EXPECT_FALSE(s.list().empty());
}

}  // namespace
}  // namespace soquy
