// Name matching for reconciliation (issue: registry, item 4). The spellings below are how the
// same names arrive from the bank (upper-case ASCII), from Excel (NFD) and from people.
#include <gtest/gtest.h>

#include "soquy/names.h"

namespace soquy {
namespace {

TEST(Names, SameNameAcrossSpellings) {
  // "Hòa" in NFC with the new tone placement, "Hoà" with the old one, and in NFD.
  const char* hoa_nfc = "Nguy\xE1\xBB\x85n Th\xE1\xBB\x8B H\xC3\xB2" "a";   // Nguyễn Thị Hòa
  const char* hoa_old = "Nguy\xE1\xBB\x85n  Th\xE1\xBB\x8B Ho\xC3\xA0";     // Nguyễn  Thị Hoà (two spaces)
  const char* hoa_nfd = "Nguye\xCC\x82\xCC\x83n Thi\xCC\xA3 Ho\xCC\x80" "a";  // decomposed marks
  EXPECT_TRUE(same_name("NGUYEN THI HOA", hoa_nfc));
  EXPECT_TRUE(same_name(hoa_nfc, hoa_old));
  EXPECT_TRUE(same_name(hoa_old, hoa_nfd));
  EXPECT_TRUE(same_name("DANG THI HUE", "\xC4\x90\xE1\xBA\xB7ng Th\xE1\xBB\x8B Hu\xE1\xBB\x87"));  // Đặng Thị Huệ
  EXPECT_TRUE(same_name("  dang   thi hue ", "DANG THI HUE"));
}

TEST(Names, DifferentNamesDoNotMatch) {
  EXPECT_FALSE(same_name("NGUYEN THI HOA", "NGUYEN THI HOAI"));
  EXPECT_FALSE(same_name("NGUYEN THI HOA", "NGUYEN HOA"));
  EXPECT_FALSE(same_name("", ""));
  EXPECT_FALSE(same_name("\xFF\xFE", "\xFF\xFE"));  // invalid UTF-8 never matches
}

TEST(Names, MatchKeyFoldsDStroke) {
  EXPECT_EQ(*name_match_key("\xC4\x90\xE1\xBA\xB7ng Th\xE1\xBB\x8B Hu\xE1\xBB\x87"), "dang thi hue");
  EXPECT_EQ(*name_match_key("\xC4\x91\xC3\xA0o"), "dao");  // đào
}

TEST(Names, NormalizeStoresNfcWithSingleSpaces) {
  // NFD input comes back composed (NFC), spaces collapsed.
  auto n = normalize_name("  Ho\xCC\x80" "a   Nguye\xCC\x82\xCC\x83n ");
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, "H\xC3\xB2" "a Nguy\xE1\xBB\x85n");
  EXPECT_EQ(normalize_name("   ").error().kind(), ErrorKind::kBadInput);
  EXPECT_EQ(normalize_name("\xC3").error().kind(), ErrorKind::kBadInput);
  // A name carrying a terminal escape sequence, a NUL, DEL or a C1 control is refused; tabs and
  // line breaks are spaces.
  auto esc = normalize_name("Lan\x1b[31m");
  ASSERT_FALSE(esc);
  EXPECT_EQ(esc.error().message(), "the name contains a control character (U+001B)");
  EXPECT_FALSE(normalize_name(std::string("Lan\0Hoa", 7)));
  EXPECT_FALSE(normalize_name("Lan\x7f"));
  EXPECT_FALSE(normalize_name("Lan\xC2\x9b" "2J"));
  EXPECT_EQ(*normalize_name("Th\xE1\xBB\x8B\tLan\r\n"), "Th\xE1\xBB\x8B Lan");
}

}  // namespace
}  // namespace soquy
