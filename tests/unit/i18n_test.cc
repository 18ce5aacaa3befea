// The language of messages (soquy/i18n.h): Vietnamese from po/vi.po by default, English (the
// source language) under Language::kEn. The other unit tests read English messages: this file
// sets English for the whole binary, and its own tests switch to Vietnamese and back.
#include "soquy/i18n.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "soquy/csv_reader.h"
#include "soquy/vbsp.h"

namespace soquy {
namespace {

// Every unit test starts in English, with the catalogs of the build tree (po/CMakeLists.txt).
class EnglishMessages : public ::testing::Environment {
 public:
  void SetUp() override {
    set_catalog_dir(SOQUY_TEST_LOCALEDIR);
    set_language(Language::kEn);
  }
};
const auto* const kEnglish = ::testing::AddGlobalTestEnvironment(new EnglishMessages);

class InLanguage {
 public:
  explicit InLanguage(Language l) { set_language(l); }
  ~InLanguage() { set_language(Language::kEn); }
};

TEST(I18n, VietnameseByDefaultFromTheCatalog) {
  InLanguage vi(Language::kVi);
  EXPECT_STREQ(tr("database error: "), "lỗi cơ sở dữ liệu: ");
  EXPECT_EQ(fmt::format(fmt::runtime(tr("unknown command '{0}'; did you mean '{1}'?")), "lai", "soquy loan"),
            "không có lệnh 'lai' — có phải ý bạn là 'soquy loan'?");
}

TEST(I18n, EnglishIsTheSourceText) {
  InLanguage en(Language::kEn);
  EXPECT_STREQ(tr("database error: "), "database error: ");
}

TEST(I18n, PluralFormsFollowTheLanguage) {
  {
    InLanguage en(Language::kEn);
    EXPECT_STREQ(trn("{} entry posted", "{} entries posted", 1), "{} entry posted");
    EXPECT_STREQ(trn("{} entry posted", "{} entries posted", 2), "{} entries posted");
  }
  InLanguage vi(Language::kVi);  // Vietnamese has one form
  EXPECT_STREQ(trn("{} entry posted", "{} entries posted", 1), "{} bút toán được ghi");
  EXPECT_STREQ(trn("{} entry posted", "{} entries posted", 2), "{} bút toán được ghi");
}

TEST(I18n, AMessageWithoutATranslationStaysEnglish) {
  InLanguage vi(Language::kVi);
  EXPECT_STREQ(tr("no such message in the catalog"), "no such message in the catalog");
}

TEST(I18n, LanguageCodes) {
  EXPECT_EQ(parse_language("vi"), Language::kVi);
  EXPECT_EQ(parse_language("en"), Language::kEn);
  EXPECT_EQ(parse_language("fr"), std::nullopt);
  EXPECT_STREQ(language_code(Language::kVi), "vi");
}

TEST(I18n, LibraryErrorsAreWordedInTheChosenLanguage) {
  CsvRecord header{1, {"date", "colour"}, {}};
  {
    InLanguage vi(Language::kVi);
    auto h = CsvHeader::from_record(header, {"date"}, {}, {});
    ASSERT_FALSE(h);
    EXPECT_EQ(h.error().message(), "1: dòng tiêu đề: không có cột 'colour'; các cột được nhận: date");
  }
  auto h = CsvHeader::from_record(header, {"date"}, {}, {});
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().message(), "1: header: unknown column 'colour'; accepted columns: date");
}

// A translation may reorder its placeholders and use one the English leaves out (the month's
// number): the date errors of ledger/core.
TEST(I18n, DateErrorsReorderTheirPlaceholders) {
  {
    InLanguage vi(Language::kVi);
    auto d = Date::parse_iso("2026-02-30");
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().message(), "'2026-02-30' không phải ngày hợp lệ: tháng 2/2026 có 28 ngày, không phải 30");
  }
  auto d = Date::parse_iso("2026-02-30");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().message(), "'2026-02-30' is not a valid date: February 2026 has 28 days, not 30");
}

// A reconciliation's causes: worded in the language for people, in English for JSON.
TEST(I18n, ReconciliationCausesAreWordedAndKeptInEnglish) {
  VbspLedgerLoan loan;
  loan.loan_no = "L1";
  loan.principal_outstanding = Money(4'000'000);
  const Date from = *Date::parse_iso("2026-11-01"), to = *Date::parse_iso("2026-11-30");
  InLanguage vi(Language::kVi);
  auto r = reconcile_vbsp({loan}, {}, from, to);
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].causes, std::vector<std::string>{"not in the bank's statement; the union's register has "
                                                        "4.000.000 outstanding"});
  EXPECT_EQ(r.items[0].worded_causes, std::vector<std::string>{"không có trong sao kê của ngân hàng; sổ theo dõi "
                                                               "của Hội còn dư nợ 4.000.000"});
}

}  // namespace
}  // namespace soquy
