// Errors name the input they are about (Error::field(), the library's own name of it) and never
// an option's spelling: the CLI and the importers word the field themselves (soquy/error.h).
// These tests pin the mechanism and a few representative library errors of each domain.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "soquy/audit.h"
#include "soquy/dues.h"
#include "soquy/error.h"
#include "soquy/ledger.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "soquy/rosca.h"
#include "soquy/vbsp.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;

// How the CLI spells a field in these tests: its long option.
std::string option(std::string_view field) { return "--" + std::string(field); }

// The message is bare: no option spelling in front of it, nor the field repeated.
::testing::AssertionResult is_bare(const Error& e) {
  if (e.message().starts_with("--") || e.message().starts_with(e.field() + ":"))
    return ::testing::AssertionFailure() << "message repeats its field: " << e.message();
  return ::testing::AssertionSuccess();
}

TEST(ErrorField, InFieldLabelsTheMessage) {
  Error e = Error::bad_input("-5 must be positive").in_field("amount");
  EXPECT_EQ(e.field(), "amount");
  EXPECT_EQ(e.message(), "-5 must be positive");
  EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
  EXPECT_EQ(e.words(option), "--amount: -5 must be positive");
  EXPECT_EQ(e.words(Error::as_named), "amount: -5 must be positive");
}

TEST(ErrorField, OfFieldMakesTheFieldTheSubject) {
  Error e = Error::bad_input("is empty").of_field("reason");
  EXPECT_EQ(e.field(), "reason");
  EXPECT_EQ(e.words(option), "--reason is empty");
}

TEST(ErrorField, OutOfOrderNamesBothInputs) {
  Error e = Error::out_of_order(ErrorKind::kUsage, "from", "2026-05-01", "is after", "to", "2026-04-01");
  EXPECT_EQ(e.field(), "from");
  EXPECT_EQ(e.other_field(), "to");
  EXPECT_EQ(e.exit_code(), 2);
  EXPECT_EQ(e.words(option), "--from 2026-05-01 is after --to 2026-04-01");
}

TEST(ErrorField, AnInnerFieldStaysInTheMessage) {
  // A lookup by member id made for the input "member": the id stays as detail.
  Error e = Error::bad_input("unknown member 'X'").in_field("id").in_field("member");
  EXPECT_EQ(e.field(), "member");
  EXPECT_EQ(e.words(option), "--member: id: unknown member 'X'");
}

TEST(ErrorField, ContextWritesTheFieldByItsName) {
  Error e = Error::bad_input("must be positive").in_field("amount").with_context("loans.csv:3: ");
  EXPECT_EQ(e.field(), "");
  EXPECT_EQ(e.message(), "loans.csv:3: amount: must be positive");
  EXPECT_EQ(e.words(option), "loans.csv:3: amount: must be positive");
}

TEST(ErrorField, AnErrorWithoutFieldIsItsMessage) {
  Error e = Error::io("disk full");
  EXPECT_EQ(e.field(), "");
  EXPECT_EQ(e.words(option), "disk full");
}

TEST(ErrorField, ParsersNameTheirInput) {
  auto by = parse_arrears_by("street");
  ASSERT_FALSE(by);
  EXPECT_EQ(by.error().field(), "by");
  EXPECT_EQ(by.error().message(), "'street' is not one of unit, member");
  EXPECT_EQ(by.error().kind(), ErrorKind::kUsage);
  auto kind = parse_rosca_kind("auction");
  ASSERT_FALSE(kind);
  EXPECT_EQ(kind.error().field(), "kind");
  EXPECT_TRUE(is_bare(kind.error()));
  auto by_vbsp = parse_vbsp_overdue_by("street");
  ASSERT_FALSE(by_vbsp);
  EXPECT_EQ(by_vbsp.error().field(), "by");
  EXPECT_TRUE(is_bare(by_vbsp.error()));
  auto seed = parse_seed("x1");
  ASSERT_FALSE(seed);
  EXPECT_EQ(seed.error().field(), "draw_seed");
  EXPECT_TRUE(is_bare(seed.error()));
}

class ErrorFieldLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    Registry reg(*ledger_);
    ASSERT_TRUE(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", day(2020, 1, 1)}));
  }
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(ErrorFieldLedgerTest, DuesErrorsNameTheirInput) {
  Dues dues(*ledger_);
  auto rate = dues.set_rate(Money(0), *Period::parse("2026-01"));
  ASSERT_FALSE(rate);
  EXPECT_EQ(rate.error().field(), "amount");
  EXPECT_EQ(rate.error().message(), "the rate must be more than 0 đồng (got 0)");
}

TEST_F(ErrorFieldLedgerTest, RegistryErrorsNameTheSpecsField) {
  Registry reg(*ledger_);
  auto merged = reg.merge_unit("P", "P", day(2025, 7, 1));
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().field(), "merged_into");
  EXPECT_EQ(merged.error().message(), "unit 'P' cannot be merged into itself");
  auto unknown = reg.unit("NOPE", day(2025, 7, 1));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field(), "unit");
  EXPECT_TRUE(is_bare(unknown.error()));
}

TEST_F(ErrorFieldLedgerTest, LoanBookErrorsNameTheirInput) {
  LoanBook book(*ledger_);
  auto deposit = book.deposit(Money(0), day(2026, 1, 5), "", "");
  ASSERT_FALSE(deposit);
  EXPECT_EQ(deposit.error().field(), "amount");
  EXPECT_EQ(deposit.error().message(), "0 must be positive");
  auto product = book.product("NOPE");
  ASSERT_FALSE(product);
  EXPECT_EQ(product.error().field(), "product");
  EXPECT_TRUE(is_bare(product.error()));
}

TEST_F(ErrorFieldLedgerTest, AuditLogNamesTheUserAndTheOrderOfDates) {
  auto user = audit_log(*ledger_, AuditLogFilter{std::nullopt, std::nullopt, "nobody"});
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().field(), "user");
  EXPECT_EQ(user.error().message(), "no user named 'nobody'");
  auto order = audit_log(*ledger_, AuditLogFilter{day(2026, 5, 1), day(2026, 4, 1), ""});
  ASSERT_FALSE(order);
  EXPECT_EQ(order.error().field(), "from");
  EXPECT_EQ(order.error().other_field(), "to");
  EXPECT_TRUE(is_bare(order.error()));
}

}  // namespace
}  // namespace soquy
