// Files as Excel writes them (csv_reader.h): encodings (UTF-8 with or without BOM, UTF-16 LE/BE
// by BOM, any ICU encoding when named), delimiters (detected or given), ignored columns (STT,
// error), identifiers a spreadsheet rounded, and the 64 KiB field bound.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "soquy/csv_reader.h"

namespace soquy {
namespace {

using Fields = std::vector<std::string>;

std::vector<CsvRecord> read_all(std::string_view bytes, const CsvReadOptions& options = {}) {
  std::vector<CsvRecord> out;
  auto r = read_csv_text(bytes, "t.csv", options, [&](CsvRecord& rec) -> Result<void> {
    out.push_back(rec);
    return {};
  });
  EXPECT_TRUE(r.has_value()) << r.error().message();
  return out;
}

Error read_error(std::string_view bytes, const CsvReadOptions& options = {}) {
  auto r = read_csv_text(bytes, "t.csv", options, [](CsvRecord&) -> Result<void> { return {}; });
  EXPECT_FALSE(r.has_value());
  return r ? Error::internal("no error") : r.error();
}

std::vector<CsvRecord> read_fixture(const std::string& name, const CsvReadOptions& options = {}) {
  std::vector<CsvRecord> out;
  auto r = read_csv_file(std::string(SOQUY_TEST_FIXTURES) + "/files/" + name, options, [&](CsvRecord& rec) -> Result<void> {
    out.push_back(rec);
    return {};
  });
  EXPECT_TRUE(r.has_value()) << r.error().message();
  return out;
}

// The two members every fixture holds, as UTF-8 (NFC) fields.
const Fields kHeader = {"STT", "Mã hội viên", "Họ và tên", "Số CCCD", "Đơn vị"};
const Fields kFirst = {"1", "HV001", "Nguyễn Thị Hồng", "079180000001", "CH1"};

TEST(CsvDelimiter, DetectsSemicolonCommaAndTabFromTheHeader) {
  auto semi = read_all("a;b;c\n1;2,5;3\n");
  ASSERT_EQ(semi.size(), 2u);
  EXPECT_EQ(semi[1].fields, (Fields{"1", "2,5", "3"}));  // the comma is data
  auto tab = read_all("a\tb\n1 \t x y\n");
  ASSERT_EQ(tab.size(), 2u);
  EXPECT_EQ(tab[1].fields, (Fields{"1", "x y"}));  // spaces around a field are trimmed, TAB splits
  auto comma = read_all("a,b\n\"1;2\",3\n");
  EXPECT_EQ(comma[1].fields, (Fields{"1;2", "3"}));
}

TEST(CsvDelimiter, CountsOnlyOutsideQuotesAndTiesGoToComma) {
  // Three ';' inside quotes, two ',' outside: ','.
  auto r = read_all("\"x;y;z;w\",b,c\n1,2,3\n");
  EXPECT_EQ(r[0].fields, (Fields{"x;y;z;w", "b", "c"}));
  // One of each: ',' first.
  EXPECT_EQ(read_all("a,b;c\n")[0].fields, (Fields{"a", "b;c"}));
  // None: one column.
  EXPECT_EQ(read_all("member\nHV1\n")[1].fields, (Fields{"HV1"}));
  // Detected on the first non-blank line, even after blank lines.
  EXPECT_EQ(read_all("\n\na;b\n")[0].fields, (Fields{"a", "b"}));
}

TEST(CsvDelimiter, TheGivenOneWins) {
  CsvReadOptions o;
  o.delimiter = ",";
  EXPECT_EQ(read_all("a;b,c\n", o)[0].fields, (Fields{"a;b", "c"}));
  o.delimiter = "tab";
  EXPECT_EQ(read_all("a,b\tc\n", o)[0].fields, (Fields{"a,b", "c"}));
  o.delimiter = "|";
  auto e = read_error("a|b\n", o);
  EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
  EXPECT_EQ(e.field(), "delimiter");
}

TEST(CsvEncoding, Utf8WithAndWithoutBom) {
  EXPECT_EQ(read_all("\xEF\xBB\xBFt\xC3\xAAn\n")[0].fields, (Fields{"tên"}));
  EXPECT_EQ(read_all("t\xC3\xAAn\n")[0].fields, (Fields{"tên"}));
}

TEST(CsvEncoding, Utf16LittleAndBigEndianByTheirBom) {
  // "mã;x\r\n1;2\r\n" in UTF-16 LE and BE, each after its BOM.
  const std::string le("\xFF\xFEm\0\xE3\0;\0x\0\r\0\n\0001\0;\0002\0\r\0\n\0", 24);
  const std::string be("\xFE\xFF\0m\0\xE3\0;\0x\0\r\0\n\0001\0;\0002\0\r\0\n", 24);
  for (const auto& bytes : {le, be}) {
    auto r = read_all(bytes);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].fields, (Fields{"mã", "x"}));
    EXPECT_EQ(r[1].fields, (Fields{"1", "2"}));
    EXPECT_EQ(r[1].line, 2u);
  }
}

TEST(CsvEncoding, Windows1258IsConvertedToNfc) {
  // "Mã" in Windows-1258: 'M' 'a' then the combining tilde 0xDE; the result is the one code point ã.
  CsvReadOptions o;
  o.encoding = "windows-1258";
  auto r = read_all("M\x61\xDE;x\n", o);
  EXPECT_EQ(r[0].fields, (Fields{"Mã", "x"}));
  EXPECT_EQ(r[0].fields[0], "M\xC3\xA3");  // NFC: U+00E3, not a + U+0303
}

TEST(CsvEncoding, BytesNotValidInTheEncodingGiveOneMessageWithTheLine) {
  // Windows-1258 read as UTF-8 (the default): line 2 has a lone 0xDE.
  auto e = read_error("a,b\nMa\xDE,1\n");
  EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
  EXPECT_NE(e.message().find("t.csv:2: the file is not valid UTF-8 text"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("CSV UTF-8"), std::string::npos);
  // A UTF-16 file cut in the middle of a character (odd length).
  const std::string cut("\xFF\xFE" "a\0\n\0b", 7);
  auto e16 = read_error(cut);
  EXPECT_NE(e16.message().find("t.csv:2: the file is not valid UTF-16 text"), std::string::npos) << e16.message();
  CsvReadOptions o;
  o.encoding = "no-such-encoding";
  auto unknown = read_error("a\n", o);
  EXPECT_EQ(unknown.field(), "encoding");
}

TEST(CsvEncoding, TheFixturesReadTheSame) {
  auto utf8 = read_fixture("members_semicolon_utf8.csv");
  CsvReadOptions cp;
  cp.encoding = "windows-1258";
  auto win = read_fixture("members_windows1258.csv", cp);
  auto u16 = read_fixture("members_utf16le_tab.csv");
  for (const auto* file : {&utf8, &win, &u16}) {
    ASSERT_EQ(file->size(), 3u);
    EXPECT_EQ((*file)[0].fields, kHeader);
    EXPECT_EQ((*file)[1].fields, kFirst);
    EXPECT_EQ((*file)[2].line, 3u);
  }
  EXPECT_EQ(utf8[2].fields[2], "Trần Thị Ánh; Mai");
  EXPECT_EQ(u16[2].fields[2], "Trần Thị Ánh, Mai");
  // Windows-1258 read as UTF-8: refused at its first line, not read as mojibake.
  std::string message;
  auto r = read_csv_file(std::string(SOQUY_TEST_FIXTURES) + "/files/members_windows1258.csv",
                         [](CsvRecord&) -> Result<void> { return {}; });
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("members_windows1258.csv:1: the file is not valid UTF-8"), std::string::npos);
}

TEST(CsvHeaderColumns, OrdinalAndErrorColumnsAreIgnored) {
  CsvRecord h{1, {"STT", "Mã hội viên", "name", "error"}, {}};
  auto header = CsvHeader::from_record(h, {"id", "name"}, {}, {{"mã hội viên", "id"}});
  ASSERT_TRUE(header.has_value()) << header.error().message();
  EXPECT_EQ(header->index("id"), 1);
  EXPECT_EQ(header->index("name"), 2);
  EXPECT_EQ(header->size(), 4u);  // a row still has four fields
  for (const char* n : {"stt", "No.", "TT", "#", "Lỗi", " ERROR "}) EXPECT_TRUE(is_ignored_column(n)) << n;
  EXPECT_FALSE(is_ignored_column("note"));
}

TEST(CsvHeaderColumns, VietnameseCapitalsMatchAndErrorsListBothLanguages) {
  CsvRecord h{1, {"SỐ TIỀN", "khoản vay"}, {}};
  const std::vector<std::pair<std::string, std::string>> aliases = {{"số tiền", "amount"}, {"khoản vay", "loan"}};
  auto ok = CsvHeader::from_record(h, {"loan", "amount"}, {}, aliases);
  ASSERT_TRUE(ok.has_value()) << ok.error().message();
  EXPECT_EQ(ok->index("amount"), 0);
  CsvRecord bad{1, {"loan", "tiền"}, {}};
  auto e = CsvHeader::from_record(bad, {"loan", "amount"}, {"memo"}, aliases);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message(),
            "1: header: unknown column 'tiền'; accepted columns: loan (khoản vay); amount (số tiền); optional: memo");
  CsvRecord missing{1, {"loan"}, {}};
  auto m = CsvHeader::from_record(missing, {"loan", "amount"}, {}, aliases);
  ASSERT_FALSE(m.has_value());
  EXPECT_NE(m.error().message().find("there is no column amount (số tiền);"), std::string::npos)
      << m.error().message();
}

TEST(CsvIdentifiers, ScientificNotationAndLongNumberCellsAreRoundedForCertain) {
  // The VBSP loan number 8407250000123456 as Excel saves it from a General cell.
  for (const char* rounded : {"8.40725E+15", "8,40725E+15", "8.40725e+15", "8E+15"}) {
    auto r = check_identifier(rounded);
    ASSERT_FALSE(r.has_value()) << rounded;
    EXPECT_NE(r.error().message().find("Excel"), std::string::npos);
  }
  for (const char* fine : {"8407250000123456", "8407250000123460", "079180000001", "HV-0001", "E15", ""})
    EXPECT_TRUE(check_identifier(fine).has_value()) << fine;
  // An .xlsx number cell holds at most 15 digits exactly: 16 are refused whatever they are.
  auto cell = check_identifier("8407250000123456", true);
  ASSERT_FALSE(cell.has_value());
  EXPECT_NE(cell.error().message().find("has 16 digits"), std::string::npos) << cell.error().message();
  EXPECT_TRUE(check_identifier("840725000012345", true).has_value());
}

TEST(CsvIdentifiers, LongCodesEndingInZerosLookRounded) {
  EXPECT_TRUE(looks_rounded_by_excel("8407250000123460"));
  EXPECT_TRUE(looks_rounded_by_excel("84072500001234500"));
  EXPECT_FALSE(looks_rounded_by_excel("8407250000123456"));
  EXPECT_FALSE(looks_rounded_by_excel("840725000012340"));   // 15 digits: exact
  EXPECT_FALSE(looks_rounded_by_excel("0840725000012340"));  // 15 significant digits
  EXPECT_FALSE(looks_rounded_by_excel("VV8407250000123460"));
}

// A column where every long code ends in 0 was rounded; one exact long code shows it was text.
TEST(CsvIdentifiers, TheCheckJudgesTheWholeColumn) {
  CsvRecord h{1, {"loan", "amount"}, {}};
  auto header = CsvHeader::from_record(h, {"loan", "amount"});
  ASSERT_TRUE(header.has_value());
  IdentifierCheck rounded(header->positions({"loan", "member"}));  // no member column: skipped
  rounded.add(CsvRecord{2, {"8407250000123460", "8.40725E+15"}, {}});  // amount is not an identifier
  rounded.add(CsvRecord{3, {"8.40725E+15", "1"}, {}});
  rounded.add(CsvRecord{4, {"VV1", "1"}, {}});
  auto problems = rounded.problems();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].line, 3u);  // certain first, then the column's padded ones
  EXPECT_EQ(problems[0].column, "loan");
  EXPECT_EQ(problems[1].line, 2u);
  EXPECT_NE(problems[1].message.find("'8407250000123460' has 16 digits"), std::string::npos);

  IdentifierCheck text(header->positions({"loan"}));
  text.add(CsvRecord{2, {"8407250000123460", "1"}, {}});
  text.add(CsvRecord{3, {"8407250000123457", "1"}, {}});  // exact: the column was kept as text
  EXPECT_TRUE(text.problems().empty());

  IdentifierCheck cells(header->positions({"loan"}));
  cells.add(CsvRecord{5, {"840725000012345678", "1"}, {true, false}});  // an .xlsx number cell
  ASSERT_EQ(cells.problems().size(), 1u);
}

TEST(CsvLimits, AFieldOver64KiBIsRefusedWithItsLine) {
  const std::string big(kCsvMaxFieldBytes + 1, 'x');
  auto e = read_error("a;b\n1;2\n3;" + big + "\n");
  EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
  EXPECT_NE(e.message().find("t.csv:3: a field of 65537 bytes"), std::string::npos) << e.message();
  // Exactly 64 KiB is accepted.
  auto r = read_all("a\n" + std::string(kCsvMaxFieldBytes, 'y') + "\n");
  EXPECT_EQ(r[1].fields[0].size(), kCsvMaxFieldBytes);
}

}  // namespace
}  // namespace soquy
