// The renderer layer: CSV field quoting and formula-injection guard, thousands grouping, UTF-8
// display widths, and render() in CSV, JSON, table, HTML and xlsx form. Expected outputs are
// written out by hand, byte for byte. The xlsx golden file fixtures/exports/render_sample.xlsx
// is the workbook of export_report() below; its cells are checked independently (by
// tests/cli/xlsx_read.py, a reader that knows nothing of this code) in tests/cli/exports_test.py.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

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

// Issue 13 item 2: a ratio is read as a percentage, exactly (the point moves; no arithmetic).
TEST(PercentText, MovesThePointTwoPlaces) {
  EXPECT_EQ(percent_text("0.0325"), "3,25 %");
  EXPECT_EQ(percent_text("0.0325", true), "3.25%");
  EXPECT_EQ(percent_text("0.0300"), "3,00 %");
  EXPECT_EQ(percent_text("0.1"), "10 %");
  EXPECT_EQ(percent_text("0"), "0 %");
  EXPECT_EQ(percent_text("1.0000"), "100,00 %");
  EXPECT_EQ(percent_text("12.5"), "1250 %");
  EXPECT_EQ(percent_text("-0.0050"), "-0,50 %");
  EXPECT_EQ(percent_text("0.00005"), "0,005 %");
  EXPECT_EQ(percent_text(""), "");         // not a decimal: as it is
  EXPECT_EQ(percent_text("n/a"), "n/a");
}

TEST(VietnameseDate, DayMonthYear) {
  EXPECT_EQ(vietnamese_date("2026-03-31"), "31/03/2026");
  EXPECT_EQ(vietnamese_date("2026-3-31"), "2026-3-31");  // not an ISO date: as it is
  EXPECT_EQ(vietnamese_date(""), "");
}

// A table shows dates and ratios as people write them in its language; CSV and JSON keep the
// machine form whatever the language.
TEST(RenderTable, DatesAndRatiosInTheReadersLanguage) {
  Report r;
  r.json = {{"ratio", "0.0341"}};
  Table t("T", {{"date", "Ngày", CellKind::kDate},
                {"ratio", "Tỷ lệ", CellKind::kRatio},
                {"rate", "Lãi suất", CellKind::kDecimal}});
  t.rows.push_back({"2026-03-31", "0.0341", "0.0065"});
  r.tables.push_back(t);
  auto text = [&](Format f, const std::string& lang) {
    RenderOptions o;
    o.lang = lang;
    std::ostringstream out;
    EXPECT_TRUE(render(r, f, out, o));
    return out.str();
  };
  EXPECT_EQ(text(Format::kTable, "vi"),
            "T\nNgày         Tỷ lệ  Lãi suất\n----------------------------\n31/03/2026  3,41 %    0,0065\n");
  EXPECT_EQ(text(Format::kTable, "en"),
            "T\nNgày        Tỷ lệ  Lãi suất\n---------------------------\n2026-03-31  3.41%    0.0065\n");
  EXPECT_EQ(text(Format::kCsv, "vi"), "date,ratio,rate\r\n2026-03-31,0.0341,0.0065\r\n");
  EXPECT_EQ(text(Format::kJson, "vi"), "{\n  \"ratio\": \"0.0341\"\n}\n");
  const std::string html = text(Format::kHtml, "vi");
  EXPECT_NE(html.find(">3,41 %<"), std::string::npos);
  EXPECT_NE(html.find(">31/03/2026<"), std::string::npos);
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

// A name stored with a terminal escape sequence (ESC [ 31 m, the C1 CSI, a NUL, a stray byte)
// is shown as visible \xNN text in a table and cannot drive the reader's terminal; Vietnamese
// text is untouched. JSON and CSV keep the stored text whole (their readers are programs).
TEST(Render, TableEscapesWhatATerminalWouldInterpret) {
  Report r;
  Table t;
  t.columns = {{"member", "Member", CellKind::kText}};
  t.rows = {{std::string("L\xC3\xAA \x1b[31mRED\x1b[0m")}, {std::string("a\xC2\x9b" "2J\x7f", 6)},
            {std::string("x\0y", 3)}, {std::string("bad\xff")}};
  r.tables.push_back(t);
  std::ostringstream out;
  ASSERT_TRUE(render(r, Format::kTable, out).has_value());
  const std::string text = out.str();
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find("\xC2\x9b"), std::string::npos) << text;
  EXPECT_NE(text.find("L\xC3\xAA \\x1b[31mRED\\x1b[0m"), std::string::npos) << text;
  EXPECT_NE(text.find("a\\xc2\\x9b2J\\x7f"), std::string::npos) << text;
  EXPECT_NE(text.find("x\\x00y"), std::string::npos) << text;
  EXPECT_NE(text.find("bad\\xff"), std::string::npos) << text;
}

// A table cell of more than 60 code points is cut to 59 and "…" (the column is then 60 wide);
// one of exactly 60 stays whole; CSV and JSON keep every cell whole.
TEST(Render, TableCutsLongCellsWithAnEllipsis) {
  std::string sixty;
  for (int i = 0; i < 12; ++i) sixty += "\xE1\xBB\x85" "abcd";  // "ễabcd": 5 code points, 7 bytes
  const std::string long_memo = sixty + "X";                  // 61 code points
  Report r;
  Table t;
  t.columns = {{"n", "N", CellKind::kText}, {"memo", "Memo", CellKind::kText}};
  t.rows = {{"1", sixty}, {"2", long_memo}};
  r.tables.push_back(t);
  std::ostringstream table;
  ASSERT_TRUE(render(r, Format::kTable, table).has_value());
  const std::string cut = sixty.substr(0, sixty.size() - 1) + "\xE2\x80\xA6";  // 59 code points + "…"
  EXPECT_EQ(table.str(), "N  Memo\n" + std::string(63, '-') + "\n1  " + sixty + "\n2  " + cut + "\n");
  std::ostringstream csv;
  ASSERT_TRUE(render(r, Format::kCsv, csv).has_value());
  EXPECT_NE(csv.str().find(long_memo), std::string::npos);
  // A table of one column (notes, problems: a list of sentences) keeps every cell whole.
  Report notes;
  Table one;
  one.columns = {{"memo", "Memo", CellKind::kText}};
  one.rows = {{long_memo}};
  notes.tables.push_back(one);
  std::ostringstream whole;
  ASSERT_TRUE(render(notes, Format::kTable, whole).has_value());
  EXPECT_EQ(whole.str(), "Memo\n" + std::string(61, '-') + "\n" + long_memo + "\n");
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

// ---------------------------------------------------------------------------------------------
// The guard on typed cells, BOM

TEST(IsCellOfKind, MachineForms) {
  EXPECT_TRUE(is_cell_of_kind("-1500000", CellKind::kMoney));
  EXPECT_TRUE(is_cell_of_kind("0", CellKind::kMoney));
  EXPECT_FALSE(is_cell_of_kind("-", CellKind::kMoney));
  EXPECT_FALSE(is_cell_of_kind("", CellKind::kMoney));
  EXPECT_FALSE(is_cell_of_kind("+5", CellKind::kMoney));
  EXPECT_FALSE(is_cell_of_kind("1.500.000", CellKind::kMoney));
  EXPECT_FALSE(is_cell_of_kind("-1+2", CellKind::kInteger));
  EXPECT_TRUE(is_cell_of_kind("-0.3333", CellKind::kDecimal));
  EXPECT_TRUE(is_cell_of_kind("12", CellKind::kDecimal));
  EXPECT_FALSE(is_cell_of_kind("1.", CellKind::kDecimal));
  EXPECT_FALSE(is_cell_of_kind(".5", CellKind::kDecimal));
  EXPECT_FALSE(is_cell_of_kind("nan", CellKind::kDecimal));  // std::from_chars would take these
  EXPECT_FALSE(is_cell_of_kind("inf", CellKind::kDecimal));
  EXPECT_FALSE(is_cell_of_kind("1e5", CellKind::kDecimal));
  EXPECT_TRUE(is_cell_of_kind("2026-01-05", CellKind::kDate));
  EXPECT_FALSE(is_cell_of_kind("05/01/2026", CellKind::kDate));
  EXPECT_FALSE(is_cell_of_kind("2026-1-5", CellKind::kDate));
  EXPECT_TRUE(is_cell_of_kind("=anything", CellKind::kText));
}

TEST(CsvField, GuardsTypedCellsThatHoldSomethingElse) {
  // A formula smuggled into a money, count, decimal or date column is guarded like text...
  EXPECT_EQ(csv_field("=1+1", CellKind::kMoney), "'=1+1");
  EXPECT_EQ(csv_field("-1+1", CellKind::kInteger), "'-1+1");
  EXPECT_EQ(csv_field("+5", CellKind::kMoney), "'+5");
  EXPECT_EQ(csv_field("@x", CellKind::kDecimal), "'@x");
  EXPECT_EQ(csv_field("-2026-01-05", CellKind::kDate), "'-2026-01-05");
  EXPECT_EQ(csv_field("=A1,B1", CellKind::kMoney), "\"'=A1,B1\"");
  // ...while its well-formed values, negative ones included, are untouched.
  EXPECT_EQ(csv_field("-9007199254740993", CellKind::kMoney), "-9007199254740993");
  EXPECT_EQ(csv_field("-0.5", CellKind::kDecimal), "-0.5");
}

// A report with one of each kind of cell, the injection cases, markup and a chart. Its xlsx form
// is the golden file fixtures/exports/render_sample.xlsx.
Report export_report() {
  Report r;
  r.json["report"] = "sample";
  Table t("S\xE1\xBB\x95 qu\xE1\xBB\xB9 (Cash book)",  // "Sổ quỹ (Cash book)"
          {{"date", "Ng\xC3\xA0y (Date)", CellKind::kDate},
           {"entry", "S\xE1\xBB\x91 CT (Entry)", CellKind::kInteger},
           {"memo", "Di\xE1\xBB\x85n gi\xE1\xBA\xA3i (Memo)", CellKind::kText},
           {"amount", "S\xE1\xBB\x91 ti\xE1\xBB\x81n (Amount)", CellKind::kMoney},
           {"rate", "L\xC3\xA3i su\xE1\xBA\xA5t (Rate)", CellKind::kDecimal}});
  t.rows = {{"2026-01-05", "1", "=HYPERLINK(\"x.invalid\",\"x\")", "-1500000", "0.0100"},
            {"2026-01-06", "2", "<b>L\xC3\xAA & Th\xE1\xBB\x8B</b>", "1234567", "0.0125"},
            {"2026-02-28", "3", "-gi\xE1\xBA\xA3m", "0", ""},
            {"2026-12-31", "4", "@SUM(A1)", "-20", "-0.5"},
            {"2026-03-01", "5", "+84 912", "", "n/a"}};
  // -1.500.000 + 1.234.567 + 0 - 20 = -265.453
  t.totals = {{"", "", "T\xE1\xBB\x95ng c\xE1\xBB\x99ng (total)", "-265453", ""}};
  t.notes = {"Ghi ch\xC3\xBA (note)"};
  r.tables.push_back(t);
  Table aging("Tu\xE1\xBB\x95i n\xE1\xBB\xA3 (Aging)", {{"bucket", "Tu\xE1\xBB\x95i n\xE1\xBB\xA3 (Bucket)"},
                                                        {"loans", "S\xE1\xBB\x91 kho\xE1\xBA\xA3n (Loans)", CellKind::kInteger},
                                                        {"amount", "D\xC6\xB0 n\xE1\xBB\xA3 (Outstanding)", CellKind::kMoney}});
  aging.rows = {{"current", "3", "500"}, {"1-30", "1", "250"}, {"31-60", "0", "0"}, {">360", "1", "-5"}};
  aging.totals = {{"C\xE1\xBB\x99ng (total)", "5", "745"}};
  aging.chart = Chart{"bucket", "amount", "D\xC6\xB0 n\xE1\xBB\xA3 theo tu\xE1\xBB\x95i (Outstanding by age)"};
  r.tables.push_back(aging);
  return r;
}

TEST(Render, CsvBomOnlyWhenAsked) {
  const std::string bom = "\xEF\xBB\xBF";
  const std::string body =
      "date,entry,memo,amount,rate\r\n"
      "2026-01-05,1,\"'=HYPERLINK(\"\"x.invalid\"\",\"\"x\"\")\",-1500000,0.0100\r\n"
      "2026-01-06,2,<b>L\xC3\xAA & Th\xE1\xBB\x8B</b>,1234567,0.0125\r\n"
      "2026-02-28,3,'-gi\xE1\xBA\xA3m,0,\r\n"
      "2026-12-31,4,'@SUM(A1),-20,-0.5\r\n"
      "2026-03-01,5,'+84 912,,n/a\r\n";
  std::ostringstream plain;
  ASSERT_TRUE(render(export_report(), Format::kCsv, plain).has_value());
  EXPECT_EQ(plain.str(), body);

  RenderOptions with_bom;
  with_bom.bom = true;
  std::ostringstream marked;
  ASSERT_TRUE(render(export_report(), Format::kCsv, marked, with_bom).has_value());
  EXPECT_EQ(marked.str(), bom + body);

  // The BOM is for CSV only: JSON and HTML never begin with one.
  for (Format f : {Format::kJson, Format::kHtml, Format::kTable}) {
    std::ostringstream out;
    ASSERT_TRUE(render(export_report(), f, out, with_bom).has_value());
    EXPECT_NE(out.str().substr(0, 3), bom) << static_cast<int>(f);
  }
}

// ---------------------------------------------------------------------------------------------
// HTML

// "" when `page` is well-formed in the subset of XML the renderer writes (a doctype, elements,
// quoted attributes, the five predefined entities and numeric character references), else what is
// wrong and where. tests/cli/exports_test.py also parses real pages with python3's XML parser.
std::string xml_problem(const std::string& page) {
  std::vector<std::string> open;
  bool root_closed = false;
  std::size_t i = 0;
  auto at = [&](std::size_t pos) { return " at byte " + std::to_string(pos); };
  while (i < page.size()) {
    char c = page[i];
    if (c == '<') {
      if (page.compare(i, 9, "<!DOCTYPE") == 0) {
        if (!open.empty() || root_closed) return "doctype inside the document" + at(i);
        i = page.find('>', i);
        if (i == std::string::npos) return "unterminated doctype";
        ++i;
        continue;
      }
      auto end = page.find('>', i);
      if (end == std::string::npos) return "unterminated tag" + at(i);
      std::string tag = page.substr(i + 1, end - i - 1);
      if (tag.find('<') != std::string::npos) return "'<' inside a tag" + at(i);
      std::size_t quotes = 0;
      for (char q : tag) quotes += q == '"';
      if (quotes % 2) return "unbalanced quotes in <" + tag + ">" + at(i);
      if (!tag.empty() && tag.front() == '/') {
        std::string name = tag.substr(1);
        if (open.empty() || open.back() != name) return "</" + name + "> closes " + (open.empty() ? "nothing" : open.back()) + at(i);
        open.pop_back();
        if (open.empty()) root_closed = true;
      } else {
        if (root_closed) return "a second root element" + at(i);
        bool self_closing = !tag.empty() && tag.back() == '/';
        std::string name = tag.substr(0, tag.find_first_of(" /\n"));
        if (name.empty()) return "empty tag" + at(i);
        if (!self_closing) open.push_back(name);
      }
      i = end + 1;
    } else if (c == '&') {
      auto semi = page.find(';', i);
      if (semi == std::string::npos) return "'&' without ';'" + at(i);
      std::string ent = page.substr(i, semi - i + 1);
      bool numeric = ent.size() > 3 && ent[1] == '#' &&
                     std::all_of(ent.begin() + 2, ent.end() - 1, [](char d) { return d >= '0' && d <= '9'; });
      if (!numeric && ent != "&amp;" && ent != "&lt;" && ent != "&gt;" && ent != "&quot;" && ent != "&apos;")
        return "unknown entity " + ent + at(i);
      i = semi + 1;
    } else {
      if (root_closed && c != '\n' && c != ' ') return "text after the root element" + at(i);
      ++i;
    }
  }
  if (!open.empty()) return "<" + open.back() + "> never closed";
  if (!root_closed) return "no root element";
  return "";
}

TEST(XmlProblem, CatchesWhatItShould) {  // the checker itself, so its silence means something
  EXPECT_EQ(xml_problem("<!DOCTYPE html>\n<html><p a=\"1\">x &amp; y<br/></p></html>\n"), "");
  EXPECT_NE(xml_problem("<html><p></html>"), "");
  EXPECT_NE(xml_problem("<html><p>a & b</p></html>"), "");
  EXPECT_NE(xml_problem("<html><p>a &nbsp; b</p></html>"), "");
  EXPECT_NE(xml_problem("<html><p a=\"1>x</p></html>"), "");
  EXPECT_NE(xml_problem("<html></html><html></html>"), "");
  EXPECT_NE(xml_problem("<html>"), "");
}

std::string html_of(const Report& r, const std::string& lang = "vi") {
  RenderOptions o;
  o.lang = lang;
  std::ostringstream out;
  auto ok = render(r, Format::kHtml, out, o);
  EXPECT_TRUE(ok.has_value()) << ok.error().message();
  return out.str();
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

TEST(Html, IsWellFormedAndSelfContained) {
  for (const char* lang : {"vi", "en"}) {
    const std::string page = html_of(export_report(), lang);
    EXPECT_EQ(xml_problem(page), "") << lang << "\n" << page;
    EXPECT_EQ(page.rfind("<!DOCTYPE html>\n<html lang=\"", 0), 0u) << lang;
    EXPECT_TRUE(contains(page, "<meta charset=\"utf-8\"/>"));
    // Nothing fetched from elsewhere: no scripts, links, images, imports or url(); the only
    // address is the SVG namespace name, which is an identifier, not fetched.
    for (const char* bad : {"<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import"})
      EXPECT_FALSE(contains(page, bad)) << lang << ": " << bad;
    std::string rest = page;
    for (auto pos = rest.find("xmlns=\"http://www.w3.org/2000/svg\""); pos != std::string::npos;
         pos = rest.find("xmlns=\"http://www.w3.org/2000/svg\""))
      rest.erase(pos, 35);
    EXPECT_FALSE(contains(rest, "http")) << lang;
    // Printable on A4.
    EXPECT_TRUE(contains(page, "@page { size: A4;"));
    EXPECT_TRUE(contains(page, "thead { display: table-header-group; }"));
  }
}

TEST(Html, VietnameseNumbersDatesAndLabels) {
  const std::string page = html_of(export_report());
  EXPECT_TRUE(contains(page, "<html lang=\"vi\">"));
  EXPECT_TRUE(contains(page, "<title>S\xE1\xBB\x95 qu\xE1\xBB\xB9 (Cash book)</title>"));
  EXPECT_TRUE(contains(page, "<th>Ng\xC3\xA0y (Date)</th><th>S\xE1\xBB\x91 CT (Entry)</th>"));
  // One whole row: date dd/mm/yyyy, count as is, text escaped, money 1.234.567, decimal comma.
  EXPECT_TRUE(contains(page,
                       "<tr><td class=\"date\">06/01/2026</td><td class=\"num\">2</td>"
                       "<td class=\"text\">&lt;b&gt;L\xC3\xAA &amp; Th\xE1\xBB\x8B&lt;/b&gt;</td>"
                       "<td class=\"num\">1.234.567</td><td class=\"num\">0,0125</td></tr>"))
      << page;
  EXPECT_TRUE(contains(page, "<td class=\"num\">-1.500.000</td>"));
  EXPECT_TRUE(contains(page, "<td class=\"date\">31/12/2026</td>"));
  EXPECT_TRUE(contains(page, "<td class=\"num\">-0,5</td>"));
  // HTML is not a spreadsheet: text is shown exactly, no guard quote; quotes are escaped.
  EXPECT_TRUE(contains(page, "<td class=\"text\">=HYPERLINK(&quot;x.invalid&quot;,&quot;x&quot;)</td>"));
  EXPECT_TRUE(contains(page, "<td class=\"text\">-gi\xE1\xBA\xA3m</td>"));
  // A cell that is not of its column's kind is shown as it is, never reformatted.
  EXPECT_TRUE(contains(page, "<td class=\"num\">n/a</td>"));
  // Totals in the table foot, as given.
  EXPECT_TRUE(contains(page,
                       "<tfoot>\n<tr><td class=\"date\"></td><td class=\"num\"></td>"
                       "<td class=\"text\">T\xE1\xBB\x95ng c\xE1\xBB\x99ng (total)</td>"
                       "<td class=\"num\">-265.453</td><td class=\"num\"></td></tr>\n</tfoot>"))
      << page;
  EXPECT_TRUE(contains(page, "<p class=\"note\">Ghi ch\xC3\xBA (note)</p>"));
  // The first table's title is the page heading; the second gets its own.
  EXPECT_TRUE(contains(page, "<h1>S\xE1\xBB\x95 qu\xE1\xBB\xB9 (Cash book)</h1>"));
  EXPECT_TRUE(contains(page, "<h2>Tu\xE1\xBB\x95i n\xE1\xBB\xA3 (Aging)</h2>"));
}

// Labels arrive in the language of the messages (the report builders translate them, po/vi.po):
// the renderer shows them as given in either language, "(…)" included, and words numbers the
// English way.
TEST(Html, EnglishNumbersLabelsAsGiven) {
  const std::string page = html_of(export_report(), "en");
  EXPECT_TRUE(contains(page, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(page, "<title>S\xE1\xBB\x95 qu\xE1\xBB\xB9 (Cash book)</title>"));
  EXPECT_TRUE(contains(page, "<h1>S\xE1\xBB\x95 qu\xE1\xBB\xB9 (Cash book)</h1>"));
  EXPECT_TRUE(contains(page, "<h2>Tu\xE1\xBB\x95i n\xE1\xBB\xA3 (Aging)</h2>"));
  EXPECT_TRUE(contains(page, "<th>Ng\xC3\xA0y (Date)</th><th>S\xE1\xBB\x91 CT (Entry)</th>"));
  // English number forms; dates stay dd/mm/yyyy.
  EXPECT_TRUE(contains(page,
                       "<tr><td class=\"date\">06/01/2026</td><td class=\"num\">2</td>"
                       "<td class=\"text\">&lt;b&gt;L\xC3\xAA &amp; Th\xE1\xBB\x8B&lt;/b&gt;</td>"
                       "<td class=\"num\">1,234,567</td><td class=\"num\">0.0125</td></tr>"))
      << page;
  EXPECT_TRUE(contains(page, "<td class=\"text\">T\xE1\xBB\x95ng c\xE1\xBB\x99ng (total)</td><td class=\"num\">-265,453</td>"));
  // Data and notes are never translated.
  EXPECT_TRUE(contains(page, "<p class=\"note\">Ghi ch\xC3\xBA (note)</p>"));
  EXPECT_FALSE(contains(page, "1.234.567"));
}

TEST(Html, ChartBarsAreProportional) {
  const std::string page = html_of(export_report());
  // Largest value 500 → 330 px; 250 → 165; 0 and the negative -5 → no bar. Rows are 22 px
  // apart from y = 4; bars start 3 px lower and are 16 px high; the value follows 6 px after.
  EXPECT_TRUE(contains(page, "<figcaption>D\xC6\xB0 n\xE1\xBB\xA3 theo tu\xE1\xBB\x95i (Outstanding by age)</figcaption>"));
  EXPECT_TRUE(contains(page, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"660\" height=\"96\" viewBox=\"0 0 660 96\""));
  EXPECT_TRUE(contains(page,
                       "<text x=\"194\" y=\"19\" text-anchor=\"end\">current</text>"
                       "<rect class=\"bar\" x=\"200\" y=\"7\" width=\"330\" height=\"16\"/>"
                       "<text x=\"536\" y=\"19\">500</text>"))
      << page;
  EXPECT_TRUE(contains(page, "<rect class=\"bar\" x=\"200\" y=\"29\" width=\"165\" height=\"16\"/><text x=\"371\" y=\"41\">250</text>"));
  EXPECT_TRUE(contains(page, "<text x=\"194\" y=\"63\" text-anchor=\"end\">31-60</text><text x=\"206\" y=\"63\">0</text>"));
  EXPECT_TRUE(contains(page, "<text x=\"194\" y=\"85\" text-anchor=\"end\">&gt;360</text><text x=\"206\" y=\"85\">-5</text>"));
  std::size_t bars = 0;
  for (auto pos = page.find("<rect"); pos != std::string::npos; pos = page.find("<rect", pos + 1)) ++bars;
  EXPECT_EQ(bars, 2u);
  EXPECT_TRUE(contains(html_of(export_report(), "en"), "(Outstanding by age)</figcaption>"));
}

TEST(Html, InvalidUtf8AndControlCharactersBecomeReplacementCharacters) {
  Report r;
  Table t("T", {{"name", "Name"}});
  t.rows = {{std::string("Nguy\xEA\xF5n\x01")}};
  r.tables.push_back(t);
  const std::string page = html_of(r);
  EXPECT_EQ(xml_problem(page), "");
  EXPECT_TRUE(contains(page, "<td class=\"text\">Nguy\xEF\xBF\xBD\xEF\xBF\xBDn\xEF\xBF\xBD</td>")) << page;
}

// A 64-digit entry hash may break anywhere (it would run off the A4 page); words and short codes
// keep the ordinary class.
TEST(Html, LongTokensMayBreakAnywhere) {
  Report r;
  Table t("T", {{"hash", "Hash"}, {"memo", "Memo"}});
  const std::string hash(64, 'a');
  const std::string spaced = "Thu n\xE1\xBB\xA3 kho\xE1\xBA\xA3n vay VV26-0142 (T\xC4\x83ng Kim Ph\xE1\xBB\xA5ng)";
  t.rows = {{hash, spaced}, {"VV26-0142", std::string(32, 'b')}};
  r.tables.push_back(t);
  const std::string page = html_of(r);
  EXPECT_TRUE(contains(page, "<td class=\"text long\">" + hash + "</td><td class=\"text\">")) << page;
  EXPECT_TRUE(contains(page, "<td class=\"text\">VV26-0142</td><td class=\"text\">" + std::string(32, 'b') + "</td>"));
  EXPECT_TRUE(contains(page, "td.long { overflow-wrap: anywhere;"));
}

// A PAR trend of four month ends; the third value is not a number and is left out.
Report trend_report() {
  Report r;
  Table t("Trend", {{"as_of", "Ng\xC3\xA0y (Date)", CellKind::kDate}, {"par30", "PAR30", CellKind::kDecimal}});
  t.rows = {{"2026-01-31", "0.1000"}, {"2026-02-28", "0.2500"}, {"2026-03-31", "n/a"}, {"2026-04-30", "0.0500"}};
  t.chart = Chart{"as_of", "par30", "Xu h\xC6\xB0\xE1\xBB\x9Bng PAR30 (PAR30 trend)", ChartKind::kLine};
  r.tables.push_back(t);
  return r;
}

std::size_t count_of(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) ++n;
  return n;
}

TEST(Html, LineChartGeometryByHand) {
  const std::string page = html_of(trend_report());
  EXPECT_EQ(xml_problem(page), "") << page;
  // Values in 10^-4: 1000, 2500, —, 500; max 2500. Round step: the smallest 1/2/5·10^k ≥
  // ceil(2500 / 4) = 625 is 1000, top 3000, ticks 0, 0.1, 0.2, 0.3 shown with the one decimal
  // the step needs. y = 16 + 170 − v·170/3000 (rounded down): 1000 → 130, 2500 → 45, 500 → 158;
  // ticks 186, 130, 73, 16. x = 92 + ⌊i·526/3⌋: 92, 92 + 175 = 267, (92 + 350 = 442), 92 + 526 = 618.
  EXPECT_TRUE(contains(page, "width=\"660\" height=\"250\" viewBox=\"0 0 660 250\"")) << page;
  EXPECT_TRUE(contains(page, "<polyline class=\"line\" points=\"92,130 267,45 618,158\"/>")) << page;
  EXPECT_TRUE(contains(page, "<line class=\"grid\" x1=\"80\" y1=\"73\" x2=\"630\" y2=\"73\"/>"
                             "<text x=\"74\" y=\"77\" text-anchor=\"end\">0,2</text>"))
      << page;
  EXPECT_TRUE(contains(page, "<text x=\"74\" y=\"20\" text-anchor=\"end\">0,3</text>"));
  EXPECT_TRUE(contains(page, "<text x=\"74\" y=\"190\" text-anchor=\"end\">0,0</text>"));
  EXPECT_TRUE(contains(page, "<circle class=\"dot\" cx=\"267\" cy=\"45\" r=\"3\"><title>28/02/2026: 0,2500</title></circle>"))
      << page;
  EXPECT_TRUE(contains(page, "<text class=\"small\" x=\"267\" y=\"38\" text-anchor=\"middle\">0,2500</text>"));
  // Four labels under the axis (y = 16 + 170 + 14), not slanted for ≤ 6 points; 3 points drawn.
  EXPECT_TRUE(contains(page, "<text x=\"442\" y=\"200\" text-anchor=\"middle\">31/03/2026</text>")) << page;
  EXPECT_EQ(count_of(page, "<circle"), 3u);
  EXPECT_EQ(count_of(page, "transform="), 0u);
  EXPECT_TRUE(contains(page, "<figcaption>Xu h\xC6\xB0\xE1\xBB\x9Bng PAR30 (PAR30 trend)</figcaption>"));
  // English: the caption as given, points in English numbers.
  const std::string en = html_of(trend_report(), "en");
  EXPECT_TRUE(contains(en, "<figcaption>Xu h\xC6\xB0\xE1\xBB\x9Bng PAR30 (PAR30 trend)</figcaption>"));
  EXPECT_TRUE(contains(en, "<text x=\"74\" y=\"77\" text-anchor=\"end\">0.2</text>")) << en;
  EXPECT_TRUE(contains(en, "<title>28/02/2026: 0.2500</title>"));
}

TEST(Html, LineChartSlantsManyLabelsAndDrawsAllZero) {
  Report r;
  Table t("T", {{"month", "Month"}, {"n", "N", CellKind::kMoney}});
  for (int i = 1; i <= 7; ++i) t.rows.push_back({"m" + std::to_string(i), "0"});
  t.chart = Chart{"month", "n", "", ChartKind::kLine};
  r.tables.push_back(t);
  const std::string page = html_of(r);
  EXPECT_EQ(xml_problem(page), "");
  // All zero: the axis is 0 … 1 (one đồng), every point on the base line y = 186.
  EXPECT_EQ(count_of(page, "cy=\"186\""), 7u) << page;
  EXPECT_EQ(count_of(page, "transform=\"rotate(-40 "), 7u);
  EXPECT_TRUE(contains(page, "<figcaption>T</figcaption>"));
}

Report compare_report() {
  Report r;
  Table t("By commune", {{"name", "X\xC3\xA3 (Commune)"},
                         {"now", "N\xE1\xBB\xA3 QH (Overdue)", CellKind::kMoney},
                         {"before", "K\xE1\xBB\xB3 tr\xC6\xB0\xE1\xBB\x9B\x63 (Before)", CellKind::kMoney}});
  t.rows = {{"An Tr\xC6\xB0\xE1\xBB\x9Dng", "1500000", "1000000"}, {"X B", "0", "2500000"}, {"X C", "-5", ""}};
  Chart c{"name", "now", "Theo x\xC3\xA3 (By commune)", ChartKind::kGroupedBars};
  c.second_column = "before";
  c.value_legend = "Ng\xC3\xA0y 30/04/2026 (On 30/04/2026)";
  t.chart = c;
  r.tables.push_back(t);
  return r;
}

TEST(Html, GroupedBarsGeometryByHand) {
  const std::string page = html_of(compare_report());
  EXPECT_EQ(xml_problem(page), "") << page;
  // Max 2.500.000; step: smallest 1/2/5·10^k ≥ ceil(2.500.000 / 3) = 833.334 → 1.000.000, top
  // 3.000.000; x = 200 + v·330/3.000.000. Two legend lines, then rows 34 px apart from y = 42;
  // bars 13 px high at y + 3 and y + 17; the axis at 42 + 3·34 = 144, the picture 144 + 24 = 168
  // high.
  EXPECT_TRUE(contains(page, "width=\"660\" height=\"168\" viewBox=\"0 0 660 168\"")) << page;
  // Legends: the one given, and the second column's label when none is given.
  EXPECT_TRUE(contains(page, "<text x=\"218\" y=\"16\">Ng\xC3\xA0y 30/04/2026 (On 30/04/2026)</text>")) << page;
  EXPECT_TRUE(contains(page, "<rect class=\"bar2\" x=\"200\" y=\"22\" width=\"12\" height=\"12\"/><text x=\"218\" y=\"32\">"
                             "K\xE1\xBB\xB3 tr\xC6\xB0\xE1\xBB\x9B\x63 (Before)</text>"));
  // Ticks at 200, 310, 420, 530 in Vietnamese grouping.
  EXPECT_TRUE(contains(page, "<line class=\"grid\" x1=\"310\" y1=\"42\" x2=\"310\" y2=\"144\"/>"
                             "<text class=\"small\" x=\"310\" y=\"158\" text-anchor=\"middle\">1.000.000</text>"))
      << page;
  EXPECT_TRUE(contains(page, "<text class=\"small\" x=\"530\" y=\"158\" text-anchor=\"middle\">3.000.000</text>"));
  // Row 1: 1.500.000 → 165 px, 1.000.000 → 110 px.
  EXPECT_TRUE(contains(page, "<text x=\"194\" y=\"62\" text-anchor=\"end\">An Tr\xC6\xB0\xE1\xBB\x9Dng</text>"
                             "<rect class=\"bar\" x=\"200\" y=\"45\" width=\"165\" height=\"13\"/>"
                             "<text class=\"small\" x=\"369\" y=\"55\">1.500.000</text>"
                             "<rect class=\"bar2\" x=\"200\" y=\"59\" width=\"110\" height=\"13\"/>"
                             "<text class=\"small\" x=\"314\" y=\"69\">1.000.000</text>"))
      << page;
  // Row 2: 0 draws no bar; 2.500.000 → 275 px.
  EXPECT_TRUE(contains(page, "<text class=\"small\" x=\"204\" y=\"89\">0</text>"
                             "<rect class=\"bar2\" x=\"200\" y=\"93\" width=\"275\" height=\"13\"/>"));
  // Row 3: a negative value and an empty cell draw nothing.
  EXPECT_TRUE(contains(page, "<text class=\"small\" x=\"204\" y=\"123\">-5</text><text class=\"small\" x=\"204\" y=\"137\"></text>"))
      << page;
  EXPECT_EQ(count_of(page, "<rect"), 5u);  // 2 legend keys + 3 bars
  const std::string en = html_of(compare_report(), "en");
  EXPECT_TRUE(contains(en, "<figcaption>Theo x\xC3\xA3 (By commune)</figcaption>"));
  EXPECT_TRUE(contains(en, "(On 30/04/2026)</text>"));
  EXPECT_TRUE(contains(en, "(Before)</text>"));
  EXPECT_TRUE(contains(en, "text-anchor=\"middle\">3,000,000</text>"));
}

TEST(Html, ChartsNeedTheirColumns) {
  Report r = compare_report();
  r.tables[0].chart->second_column = "nope";
  EXPECT_FALSE(contains(html_of(r), "<svg"));
  r = trend_report();
  r.tables[0].chart->value_column = "nope";
  EXPECT_FALSE(contains(html_of(r), "<svg"));
}

// ---------------------------------------------------------------------------------------------
// xlsx

std::string xlsx_of(const Report& r, const RenderOptions& o = {}) {
  std::ostringstream out;
  auto ok = render(r, Format::kXlsx, out, o);
  EXPECT_TRUE(ok.has_value()) << ok.error().message();
  return out.str();
}

std::string read_binary(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(Xlsx, SameDataSameBytes) {
  const std::string a = xlsx_of(export_report());
  ASSERT_GT(a.size(), 1000u);
  EXPECT_EQ(a.substr(0, 4), std::string("PK\x03\x04", 4));  // a zip archive
  EXPECT_EQ(xlsx_of(export_report()), a);
  // The default creation time is the fixed one...
  RenderOptions fixed;
  fixed.created = kFixedCreated;
  EXPECT_EQ(xlsx_of(export_report(), fixed), a);
  // ...and it is really used: another one gives other bytes.
  RenderOptions later;
  later.created = kFixedCreated + 86400;
  EXPECT_NE(xlsx_of(export_report(), later), a);
  // The golden file was written on another day, by another process: the bytes must not depend
  // on the clock. Its cells are checked by tests/cli/exports_test.py with an independent reader.
  const std::filesystem::path golden = std::filesystem::path(SOQUY_TEST_FIXTURES) / "exports" / "render_sample.xlsx";
  const std::string expected = read_binary(golden);
  if (expected != a) {
    auto actual = std::filesystem::temp_directory_path() / "render_sample.actual.xlsx";
    std::ofstream(actual, std::ios::binary) << a;
    ADD_FAILURE() << golden << " differs from the renderer's output, written to " << actual
                  << " (read both with tests/cli/xlsx_read.py)";
  }
}

TEST(Xlsx, AmountsBeyondTwoToThe53AreRefused) {
  auto report_with = [](const std::string& amount) {
    Report r;
    Table t("Big", {{"code", "Code"}, {"amount", "Amount", CellKind::kMoney}});
    t.rows = {{"a", amount}};
    r.tables.push_back(t);
    return r;
  };
  for (const char* ok : {"9007199254740992", "-9007199254740992"}) {
    std::ostringstream out;
    auto r = render(report_with(ok), Format::kXlsx, out);
    EXPECT_TRUE(r.has_value()) << ok << ": " << r.error().message();
  }
  for (const char* bad : {"9007199254740993", "-9007199254740993", "9223372036854775807"}) {
    std::ostringstream out;
    auto r = render(report_with(bad), Format::kXlsx, out);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().kind(), ErrorKind::kBadInput);
    EXPECT_EQ(r.error().message(),
              std::string("xlsx: table 'Big', row 3, column 'amount': ") + bad +
                  " is beyond \xC2\xB1" "2^53 (9007199254740992), the largest whole number a spreadsheet holds exactly; "
                  "use --format csv or json for this report");
    EXPECT_EQ(out.str(), "");  // nothing half-written
  }
}

TEST(Xlsx, TextLongerThanACellHoldsIsRefused) {
  Report r;
  Table t("Long", {{"memo", "Memo"}});
  t.rows = {{std::string(32767, 'x')}};
  r.tables.push_back(t);
  std::ostringstream fits;
  EXPECT_TRUE(render(r, Format::kXlsx, fits).has_value());
  r.tables[0].rows = {{std::string(32768, 'x')}};
  std::ostringstream out;
  auto bad = render(r, Format::kXlsx, out);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind(), ErrorKind::kBadInput);
  EXPECT_EQ(bad.error().message(),
            "xlsx: table 'Long', row 3, column 'memo': text longer than 32767 characters, the most a spreadsheet cell holds");
}

TEST(Xlsx, AReportWithoutTablesIsStillAWorkbook) {
  const std::string bytes = xlsx_of(Report{});
  EXPECT_EQ(bytes.substr(0, 4), std::string("PK\x03\x04", 4));
}

TEST(Xlsx, WriteFailureIsAnIoError) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  auto r = render(export_report(), Format::kXlsx, out);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind(), ErrorKind::kIo);
}

TEST(Formats, DocumentFormats) {
  EXPECT_EQ(parse_format("xlsx").value(), Format::kXlsx);
  EXPECT_EQ(parse_format("html").value(), Format::kHtml);
  EXPECT_FALSE(parse_format("XLSX").has_value());  // option values are lower case
  EXPECT_EQ(format_from_path("bao-cao.xlsx").value(), Format::kXlsx);
  EXPECT_EQ(format_from_path("BAO-CAO.XLSX").value(), Format::kXlsx);
  EXPECT_EQ(format_from_path("in/bao-cao.html").value(), Format::kHtml);
  EXPECT_EQ(format_from_path("bao-cao.htm").value(), Format::kHtml);
  EXPECT_EQ(format_from_path("Report.Csv").value(), Format::kCsv);
  EXPECT_FALSE(format_from_path("bao-cao.xls").has_value());
  EXPECT_FALSE(format_from_path("bao-cao.pdf").has_value());
}

}  // namespace
}  // namespace soquy::reports
