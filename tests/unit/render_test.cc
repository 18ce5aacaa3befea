// The renderer layer: CSV field quoting and formula-injection guard, thousands grouping, UTF-8
// display widths, and render() in CSV, JSON and table form. Expected outputs are written out by
// hand, byte for byte.
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "soquy/reports/render.h"

namespace soquy::reports {
namespace {

// "Nguyễn" with the precomposed ễ (U+1EC5, UTF-8 E1 BB 85), independent of the source encoding.
const std::string kNguyen = "Nguy\xE1\xBB\x85n";

// ---------------------------------------------------------------------------------------------
// csv_field

TEST(CsvField, GuardsFormulaStartsInText) {
  EXPECT_EQ(csv_field("=SUM(A1:A9)", CellKind::kText), "'=SUM(A1:A9)");
  EXPECT_EQ(csv_field("+84 912", CellKind::kText), "'+84 912");
  EXPECT_EQ(csv_field("-x", CellKind::kText), "'-x");
  EXPECT_EQ(csv_field("@cmd", CellKind::kText), "'@cmd");
  EXPECT_EQ(csv_field("\tx", CellKind::kText), "'\tx");
  // CR both triggers the guard and forces quoting.
  EXPECT_EQ(csv_field("\rx", CellKind::kText), "\"'\rx\"");
  // Guard and quoting together: the quote mark goes inside the quotes.
  EXPECT_EQ(csv_field("=1,2", CellKind::kText), "\"'=1,2\"");
  EXPECT_EQ(csv_field("=\"x\"", CellKind::kText), "\"'=\"\"x\"\"\"");
}

TEST(CsvField, LeavesOtherTextAlone) {
  EXPECT_EQ(csv_field("plain", CellKind::kText), "plain");
  EXPECT_EQ(csv_field("", CellKind::kText), "");
  EXPECT_EQ(csv_field("a=b", CellKind::kText), "a=b");  // only the first character matters
  EXPECT_EQ(csv_field(kNguyen, CellKind::kText), kNguyen);
  EXPECT_EQ(csv_field("'quoted", CellKind::kText), "'quoted");
}

TEST(CsvField, DoesNotTouchTypedCells) {
  // A negative amount must stay a number a spreadsheet can sum.
  EXPECT_EQ(csv_field("-1500", CellKind::kMoney), "-1500");
  EXPECT_EQ(csv_field("-1500000", CellKind::kMoney), "-1500000");
  EXPECT_EQ(csv_field("-3", CellKind::kInteger), "-3");
  EXPECT_EQ(csv_field("-0.3333", CellKind::kDecimal), "-0.3333");
  EXPECT_EQ(csv_field("2026-01-05", CellKind::kDate), "2026-01-05");
}

TEST(CsvField, QuotesPerRfc4180) {
  EXPECT_EQ(csv_field("a,b", CellKind::kText), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\"", CellKind::kText), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("\"", CellKind::kText), "\"\"\"\"");
  EXPECT_EQ(csv_field("line 1\nline 2", CellKind::kText), "\"line 1\nline 2\"");
  EXPECT_EQ(csv_field("x\r\ny", CellKind::kText), "\"x\r\ny\"");
}

// ---------------------------------------------------------------------------------------------
// Text helpers

TEST(GroupThousands, VietnameseGrouping) {
  EXPECT_EQ(group_thousands("1234567"), "1.234.567");
  EXPECT_EQ(group_thousands("-1000"), "-1.000");
  EXPECT_EQ(group_thousands("0"), "0");
  EXPECT_EQ(group_thousands("999"), "999");
  EXPECT_EQ(group_thousands("-999"), "-999");
  EXPECT_EQ(group_thousands("1000"), "1.000");
  EXPECT_EQ(group_thousands("100000"), "100.000");
  EXPECT_EQ(group_thousands("1234567", ','), "1,234,567");
  EXPECT_EQ(group_thousands(""), "");
}

TEST(DisplayWidth, CountsCodePoints) {
  EXPECT_EQ(display_width(kNguyen), 6u);
  EXPECT_EQ(kNguyen.size(), 8u);  // the bytes really are more than the width
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("\xC4\x90\xE1\xBB\x93ng"), 4u);  // "Đồng": Đ U+0110, ồ U+1ED3
  EXPECT_EQ(display_width("1.500.000"), 9u);
}

TEST(Formats, ParseAndFromPath) {
  EXPECT_EQ(parse_format("table").value(), Format::kTable);
  EXPECT_EQ(parse_format("json").value(), Format::kJson);
  EXPECT_EQ(parse_format("csv").value(), Format::kCsv);
  auto bad = parse_format("xlsx2");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind(), ErrorKind::kUsage);
  EXPECT_NE(bad.error().message().find("'xlsx2'"), std::string::npos);

  EXPECT_EQ(format_from_path("out/report.json").value(), Format::kJson);
  EXPECT_EQ(format_from_path("bao-cao.csv").value(), Format::kCsv);
  EXPECT_EQ(format_from_path("report.txt").value(), Format::kTable);
  for (const char* path : {"report", "report.csv.bak", "report.JSON.x", ""}) {
    auto r = format_from_path(path);
    ASSERT_FALSE(r.has_value()) << path;
    EXPECT_EQ(r.error().kind(), ErrorKind::kUsage) << path;
  }
}

// ---------------------------------------------------------------------------------------------
// render()

Report sample_report() {
  Report r;
  Table t;
  t.title = "Qu\xE1\xBB\xB9";  // "Quỹ"
  t.columns = {{"date", "Ng\xC3\xA0y", CellKind::kDate},
               {"member", "Th\xC3\xA0nh vi\xC3\xAAn", CellKind::kText},
               {"amount", "S\xE1\xBB\x91 ti\xE1\xBB\x81n", CellKind::kMoney}};
  t.rows = {{"2026-01-05", "=HYPERLINK(\"x\")", "-1500000"},
            {"2026-01-06", "L\xC3\xAA, Th\xE1\xBB\x8B", "250000"},
            {"2026-01-07", kNguyen}};  // short row: the missing cell is empty
  t.totals = {{"", "T\xE1\xBB\x95ng", "-1250000"}};
  t.notes = {"note"};
  r.tables.push_back(t);
  Table second;
  second.columns = {{"k", "K", CellKind::kText}};
  second.rows = {{"only in tables"}};
  r.tables.push_back(second);
  return r;
}

TEST(Render, CsvUsesCrLfKeysAndGuards) {
  std::ostringstream out;
  auto r = render(sample_report(), Format::kCsv, out);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  // Header of column keys, not labels; first table only; no totals or notes; CRLF line ends.
  const std::string expected =
      "date,member,amount\r\n"
      "2026-01-05,\"'=HYPERLINK(\"\"x\"\")\",-1500000\r\n"
      "2026-01-06,\"L\xC3\xAA, Th\xE1\xBB\x8B\",250000\r\n"
      "2026-01-07," + kNguyen + ",\r\n";
  EXPECT_EQ(out.str(), expected);
}

TEST(Render, CsvOfAReportWithoutTablesIsEmpty) {
  std::ostringstream out;
  Report empty;
  ASSERT_TRUE(render(empty, Format::kCsv, out).has_value());
  EXPECT_EQ(out.str(), "");
}

TEST(Render, JsonParsesBackWithKeyOrder) {
  Report r;
  r.json["report"] = "balance";
  r.json["as_of"] = "2026-11-28";
  r.json["total"] = "-1500000";  // amounts are strings of minor units
  r.json["member"] = kNguyen;
  r.json["lines"] = nlohmann::ordered_json::array({{{"account", "1111"}, {"amount", "250000"}}});
  std::ostringstream out;
  ASSERT_TRUE(render(r, Format::kJson, out).has_value());
  const std::string text = out.str();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');

  const auto back = nlohmann::ordered_json::parse(text);
  EXPECT_EQ(back, r.json);
  EXPECT_EQ(back["total"].get<std::string>(), "-1500000");
  EXPECT_EQ(back["member"].get<std::string>(), kNguyen);  // UTF-8 survives, not mangled
  EXPECT_EQ(back["lines"][0]["amount"].get<std::string>(), "250000");
  // Stable key order: insertion order, not alphabetical.
  EXPECT_LT(text.find("\"report\""), text.find("\"as_of\""));
  EXPECT_LT(text.find("\"as_of\""), text.find("\"total\""));
}

TEST(Render, TableAlignsByCodePointsAndGroupsMoney) {
  Report r;
  Table t;
  t.title = "Qu\xE1\xBB\xB9";
  t.columns = {{"name", "T\xC3\xAAn", CellKind::kText},                   // "Tên": 3 wide
               {"amount", "S\xE1\xBB\x91 ti\xE1\xBB\x81n", CellKind::kMoney}};  // "Số tiền": 7 wide
  t.rows = {{kNguyen, "1500000"}, {"An", "-20"}};
  t.totals = {{"T\xE1\xBB\x95ng", "1499980"}};  // "Tổng"
  t.notes = {"ghi ch\xC3\xBA"};
  r.tables.push_back(t);
  std::ostringstream out;
  ASSERT_TRUE(render(r, Format::kTable, out).has_value());
  // Widths: name = max(3, 6, 2, 4) = 6; amount = max(7, 9 "1.500.000", 3, 9) = 9.
  // Rule = 6 + 2 + 9 = 17 dashes. Text left-aligned, money right-aligned, trailing spaces cut.
  const std::string expected =
      "Qu\xE1\xBB\xB9\n"
      "T\xC3\xAAn" "       " "S\xE1\xBB\x91 ti\xE1\xBB\x81n\n"  // 3 pad + 2 gap + 2 pad
      "-----------------\n" +
      kNguyen + "  1.500.000\n"
      "An" "            " "-20\n"  // 4 pad + 2 gap + 6 pad
      "-----------------\n"
      "T\xE1\xBB\x95ng" "    " "1.499.980\n"  // 2 pad + 2 gap
      "ghi ch\xC3\xBA\n";
  EXPECT_EQ(out.str(), expected);
}

TEST(Render, TablesAreSeparatedByABlankLine) {
  std::ostringstream out;
  ASSERT_TRUE(render(sample_report(), Format::kTable, out).has_value());
  const std::string text = out.str();
  EXPECT_NE(text.find("note\n\nK\n--------------\nonly in tables\n"), std::string::npos) << text;
  // The table form shows grouped money, never the raw minor units.
  EXPECT_NE(text.find("-1.500.000"), std::string::npos) << text;
  EXPECT_EQ(text.find("-1500000"), std::string::npos) << text;
}

TEST(Render, WriteFailureIsAnIoError) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  auto r = render(sample_report(), Format::kCsv, out);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind(), ErrorKind::kIo);
}

// Regression test for a fixed bug: render() promises "errors only on I/O failure", but nlohmann's dump()
// throws type_error 316 on a string that is not valid UTF-8 — e.g. a member name imported from a
// Windows-1258 CSV, which the CSV reader does not validate.
TEST(Render, JsonWithInvalidUtf8DoesNotThrow) {
  Report r;
  r.json["member"] = std::string("Nguy\xEA\xF5n");  // Windows-1258 bytes, not UTF-8
  std::ostringstream out;
  EXPECT_NO_THROW((void)render(r, Format::kJson, out));
}

}  // namespace
}  // namespace soquy::reports
