// Issue 13 item 4 (c): a VBSP register whose rows fall on both sides of a commune merger imports
// in one go. Long Đức (C1) merged on 2025-07-01 into xã Tân Phú (NEW), a commune that begins with
// the merger. Rows dated before it go to C1, rows after it to NEW; --unit may name either; the
// session check names the commune as of its date. Worked by hand from the rows below.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "soquy/i18n.h"
#include "soquy/ledger.h"
#include "soquy/registry.h"
#include "soquy/reports/vbsp_reports.h"
#include "soquy/vbsp.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::TempDir;
using test_support::write_file;

const std::string kAcrossTheMerger =
    "loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,disbursed_on,amount,maturity_on\n"
    "6001000000000001,0841012,HV1,KH001,,Nguyễn Thị Hòa,01,2025-03-01,30000000,2028-03-01\n"
    "6001000000000002,0841012,HV2,KH002,,Đặng Thị Huệ,19,2025-09-01,20000000,2028-09-01\n";

class VbspMergerTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    reg_ = std::make_unique<Registry>(*ledger_);
    ASSERT_TRUE(reg_->add_unit({"P", "Vĩnh Long", UnitKind::kProvince, "", day(2020, 1, 1)}));
    ASSERT_TRUE(reg_->add_unit({"C1", "Long Đức", UnitKind::kCommune, "P", day(2020, 1, 1)}));
    ASSERT_TRUE(reg_->add_unit({"NEW", "xã Tân Phú", UnitKind::kCommune, "P", day(2025, 7, 1)}));
    ASSERT_TRUE(reg_->merge_unit("C1", "NEW", day(2025, 7, 1)));
  }
  TempDir dir_;
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Registry> reg_;
};

TEST_P(VbspMergerTest, RegisterRowsGoToTheUnitOfTheirDate) {
  const std::string path = dir_.file("register.csv");
  write_file(path, kAcrossTheMerger);
  Vbsp vbsp(*ledger_);
  VbspImportOptions options;
  options.unit = GetParam();  // the old commune or its successor: the same outcome
  auto r = vbsp.import_register(path, options);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->created, 2);
  EXPECT_EQ(r->groups_created, 1);
  EXPECT_EQ(r->members_created, 2);
  // The group began (first disbursement) before the merger: in C1, held by NEW from 2025-07-01.
  EXPECT_EQ(reg_->group("0841012")->unit, "C1");
  EXPECT_EQ(reg_->group("0841012", day(2025, 6, 30))->unit_as_of, "C1");
  EXPECT_EQ(reg_->group("0841012", day(2025, 7, 1))->unit_as_of, "NEW");
  // HV1 joined before the merger (C1); HV2 after it (NEW).
  EXPECT_EQ(reg_->member("HV1", day(2025, 3, 1))->unit, "C1");
  EXPECT_EQ(reg_->member("HV2", day(2025, 9, 1))->unit, "NEW");
  EXPECT_EQ(reg_->member("HV1", day(2025, 3, 1))->ethnicity, "");  // the register says none
  // Forms name the commune as of their date.
  auto before = vbsp.session_check("0841012", day(2025, 6, 20), Money(0));
  ASSERT_TRUE(before) << before.error().message();
  EXPECT_EQ(before->commune, "C1");
  EXPECT_EQ(before->commune_name, "Long Đức");
  auto after = vbsp.session_check("0841012", day(2025, 9, 20), Money(0));
  ASSERT_TRUE(after) << after.error().message();
  EXPECT_EQ(after->commune, "NEW");
  EXPECT_EQ(after->commune_name, "xã Tân Phú");
  // Form 13/TD's header: "Hội LHPN xã Tân Phú", never "xã xã Tân Phú"; before, "xã Long Đức".
  set_language(Language::kVi);  // the form's Vietnamese (the unit tests run in English)
  auto form_after = reports::vbsp_form_13td(*after);
  auto form_before = reports::vbsp_form_13td(*before);
  set_language(Language::kEn);
  ASSERT_TRUE(form_after.form);
  EXPECT_EQ(form_after.form->organisation.at(1), "Hội LHPN xã Tân Phú");
  EXPECT_EQ(form_before.form->organisation.at(1), "Hội LHPN xã Long Đức");
  // A second import changes nothing.
  auto again = vbsp.import_register(path, options);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->existing, 2);
  EXPECT_TRUE(ledger_->check().ok());
}

INSTANTIATE_TEST_SUITE_P(EitherUnit, VbspMergerTest, ::testing::Values("C1", "NEW"));

}  // namespace
}  // namespace soquy
