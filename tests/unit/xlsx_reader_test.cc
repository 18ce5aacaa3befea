// The .xlsx reader (xlsx_reader.h) and the VBSP statement read from a workbook (vbsp.h).
// Workbooks are written here, in each test's scratch directory, by an independent writer:
// libxlsxwriter (what Excel-compatible exports use) for real workbooks; libzip with XML written
// by hand for the odd ones (prefixed namespaces, the 1904 system, damaged parts). Every expected
// value is worked out by hand in the comments; Excel serials were checked with python3:
// date(1899,12,30) + timedelta(days=serial) for serials from 61 on, date(1899,12,31) + serial
// below 60 (Excel's fictitious 29/02/1900 is serial 60).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <xlsxwriter.h>
#include <zip.h>

#include "soquy/charts.h"
#include "soquy/ledger.h"
#include "soquy/registry.h"
#include "soquy/vbsp.h"
#include "soquy/xlsx_reader.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;
using test_support::TempDir;
using test_support::write_file;

// A spreadsheet number is an IEEE double in libxlsxwriter's API; these integers (< 2^53) convert
// exactly and no arithmetic is done on them.
void put_number(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, std::int64_t n, lxw_format* f = nullptr) {
  ASSERT_EQ(worksheet_write_number(ws, row, col, static_cast<double>(n), f), LXW_NO_ERROR);
}
void put_text(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const char* s, lxw_format* f = nullptr) {
  ASSERT_EQ(worksheet_write_string(ws, row, col, s, f), LXW_NO_ERROR);
}
void put_datetime(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, int y, int m, int d, int hour, lxw_format* f) {
  lxw_datetime dt{};
  dt.year = y;
  dt.month = m;
  dt.day = d;
  dt.hour = hour;
  ASSERT_EQ(worksheet_write_datetime(ws, row, col, &dt, f), LXW_NO_ERROR);
}

// A zip of the given parts (name, bytes), for workbooks written by hand.
void make_zip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& parts) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  ASSERT_NE(z, nullptr);
  for (const auto& [name, bytes] : parts) {
    zip_source_t* src = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
    ASSERT_NE(src, nullptr);
    ASSERT_GE(zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8), 0);
  }
  ASSERT_EQ(zip_close(z), 0);
}

const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>)";
const char* kRootRels =
    R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";
const char* kWorkbookRels =
    R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>)";

// --- serials and formats ------------------------------------------------------------------------

TEST(XlsxSerial, Excel1900System) {
  EXPECT_EQ(excel_serial_date(1), day(1900, 1, 1));
  EXPECT_EQ(excel_serial_date(59), day(1900, 2, 28));
  EXPECT_EQ(excel_serial_date(60), std::nullopt);  // 29/02/1900 never was
  EXPECT_EQ(excel_serial_date(61), day(1900, 3, 1));
  EXPECT_EQ(excel_serial_date(25569), day(1970, 1, 1));
  EXPECT_EQ(excel_serial_date(45292), day(2024, 1, 1));
  EXPECT_EQ(excel_serial_date(46022), day(2025, 12, 31));
  EXPECT_EQ(excel_serial_date(46037), day(2026, 1, 15));
  // beyond the years soquy accepts in files (1900–2999), but a day all the same
  EXPECT_EQ(excel_serial_date(2958465), Date(date::year{9999} / 12 / 31));
  EXPECT_EQ(excel_serial_date(2958466), std::nullopt);
  EXPECT_EQ(excel_serial_date(0), std::nullopt);
  EXPECT_EQ(excel_serial_date(-1), std::nullopt);
}

TEST(XlsxSerial, Excel1904System) {
  EXPECT_EQ(excel_serial_date(0, true), day(1904, 1, 1));
  EXPECT_EQ(excel_serial_date(43830, true), day(2024, 1, 1));  // 45292 − 1462
}

TEST(XlsxSerial, FromTextWithoutFloatingPoint) {
  EXPECT_EQ(excel_serial_text_date("45292"), day(2024, 1, 1));
  EXPECT_EQ(excel_serial_text_date("45292.5"), day(2024, 1, 1));               // noon: the day stays
  EXPECT_EQ(excel_serial_text_date("45292.999999999"), day(2024, 1, 1));       // never rounded up
  EXPECT_EQ(excel_serial_text_date("46022.99999999999"), day(2025, 12, 31));
  EXPECT_EQ(excel_serial_text_date("4.5292E4"), std::nullopt);
  EXPECT_EQ(excel_serial_text_date("-1"), std::nullopt);
  EXPECT_EQ(excel_serial_text_date("45292."), std::nullopt);
  EXPECT_EQ(excel_serial_text_date(".5"), std::nullopt);
  EXPECT_EQ(excel_serial_text_date("45,292"), std::nullopt);
  EXPECT_EQ(excel_serial_text_date(""), std::nullopt);
  EXPECT_EQ(excel_serial_text_date("60"), std::nullopt);
}

TEST(XlsxSerial, DateFormats) {
  for (int id : {14, 15, 16, 17, 22}) EXPECT_TRUE(is_date_number_format(id)) << id;
  // 18–21 h:mm (AM/PM), h:mm:ss; 45–47 mm:ss, [h]:mm:ss, mm:ss.0: times, not days.
  for (int id : {0, 1, 3, 4, 9, 10, 13, 18, 19, 20, 21, 23, 44, 45, 46, 47, 48, 49})
    EXPECT_FALSE(is_date_number_format(id)) << id;
  EXPECT_FALSE(is_date_number_format(174, "hh:mm"));     // minutes after an hour
  EXPECT_FALSE(is_date_number_format(175, "mm:ss"));     // minutes before seconds
  EXPECT_FALSE(is_date_number_format(176, "h:mm AM/PM"));
  EXPECT_TRUE(is_date_number_format(177, "mmm-yy"));     // a month
  EXPECT_TRUE(is_date_number_format(178, "mm/yyyy"));
  EXPECT_TRUE(is_date_number_format(164, "dd/mm/yyyy"));
  EXPECT_TRUE(is_date_number_format(165, "[$-42A]d mmmm yyyy;@"));  // a Vietnamese locale tag
  EXPECT_TRUE(is_date_number_format(166, "yyyy-mm-dd hh:mm"));
  EXPECT_FALSE(is_date_number_format(167, "#,##0"));
  EXPECT_FALSE(is_date_number_format(168, "#,##0 \"đồng\""));  // quoted text: not a day
  EXPECT_FALSE(is_date_number_format(169, "_-* #,##0_-;-* #,##0_-;_-* \"-\"_-;_-@_-"));
  EXPECT_FALSE(is_date_number_format(170, "[h]:mm:ss"));  // elapsed time
  EXPECT_FALSE(is_date_number_format(171, "0.00"));
  EXPECT_FALSE(is_date_number_format(172, "[Red]0;\\d"));  // red; the escaped d is in section 2 anyway
  EXPECT_FALSE(is_date_number_format(173, "General"));
}

TEST(XlsxPath, ExtensionInAnyCase) {
  EXPECT_TRUE(is_xlsx_path("HSTD_112026.XLSX"));
  EXPECT_TRUE(is_xlsx_path("dir.d/hstd.xlsx"));
  EXPECT_TRUE(is_xlsx_path("a.Xlsx"));
  EXPECT_FALSE(is_xlsx_path("hstd.csv"));
  EXPECT_FALSE(is_xlsx_path("hstd.xls"));
  EXPECT_FALSE(is_xlsx_path("xlsx"));
}

// --- the bank's workbook, written with libxlsxwriter --------------------------------------------

// Sheet 1 "Ghi chú": a decoy with its own loan header and a bad loan; sheet 2 "BCQUERY" as IMS
// exports it: title on row 2 (rich text), column A empty, header on row 5 (Số khế ước in two rich
// runs), data from row 6, a blank row 8, a total on row 10.
//
// Row | B Mã tổ  | C Mã KH | D Tên KH       | E Số khế ước        | F CT | G Ngày vay         | H Tổng dư nợ | I quá hạn | J khoanh | K Lãi TT | L Lãi tồn TH | M Lãi tồn QH | N TG 105 | O Tình trạng
//  6  | 841012 n | KH001   | NGUYỄN THỊ HOA | "6001000000000001"  | 1 n  | 46037 dd/mm/yyyy   | 25000000     | 0         | 0        | 180000   | 10000        | 0            | 200000   | OPEN
//  7  | "0841012"| KH002   | Đặng Thị Huệ   | "'6001000000000002" | 19 n | 2026-02-01 12:00 (id 14) | 20000000 | 2000000  | 0        | 100000   | 50000        | 20000        | 100000   | OPEN
//  9  | 841013 n | KH004   | Trần Thị Lan   | "6001000000000004"  | 1 n  | (empty)            | 5000000      | 0         | 0        | 0        | 0            | 0            | 0        | CLOSE
// 10  |          |         | Tổng cộng      |                     |      |                    | 50000000     | 2000000   | 0        | 280000   | 60000        | 20000        | 300000   |
// Totals by hand: 25000000+20000000+5000000 = 50000000; 180000+100000 = 280000; unpaid
// (10000+0)+(50000+20000)+0 = 80000 = 60000+20000; savings 200000+100000 = 300000.
// `bad_date_row`: row 9's date written as the plain number 46082 (no date format).
void write_bank_workbook(const std::string& path, bool with_bcquery = true, bool bad_date_row = false) {
  lxw_workbook* wb = workbook_new(path.c_str());
  ASSERT_NE(wb, nullptr);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* vn_date = workbook_add_format(wb);
  format_set_num_format(vn_date, "dd/mm/yyyy");  // a custom format (id 164 and up)
  lxw_format* builtin_date = workbook_add_format(wb);
  format_set_num_format_index(builtin_date, 14);  // Excel's built-in short date
  lxw_format* grouped = workbook_add_format(wb);
  format_set_num_format(grouped, "#,##0");  // a number format that is not a date

  lxw_worksheet* notes = workbook_add_worksheet(wb, "Ghi chú");
  put_text(notes, 0, 0, "Số khế ước");
  put_text(notes, 0, 1, "Mã tổ");
  put_text(notes, 1, 0, "123");

  lxw_worksheet* ws = workbook_add_worksheet(wb, with_bcquery ? "BCQUERY" : "Sheet2");
  lxw_rich_string_tuple t1{bold, const_cast<char*>("BÁO CÁO CHI TIẾT ")};
  lxw_rich_string_tuple t2{nullptr, const_cast<char*>("HỒ SƠ TÍN DỤNG tháng 11/2026")};
  lxw_rich_string_tuple* title[] = {&t1, &t2, nullptr};
  ASSERT_EQ(worksheet_write_rich_string(ws, 1, 1, title, nullptr), LXW_NO_ERROR);
  lxw_rich_string_tuple h1{nullptr, const_cast<char*>("Số khế ")};
  lxw_rich_string_tuple h2{bold, const_cast<char*>("ước")};
  lxw_rich_string_tuple* loan_header[] = {&h1, &h2, nullptr};
  const char* headers[] = {"Mã tổ",        "Mã KH",       "Tên KH",       nullptr,
                           "Mã chương trình", "Ngày vay", "Tổng dư nợ", "Dư nợ quá hạn",
                           "Dư nợ khoanh", "Lãi TT trong tháng", "Lãi tồn TH", "Lãi tồn QH",
                           "Số dư tiền gửi 105", "Tình trạng món vay"};
  for (lxw_col_t c = 0; c < 14; ++c) {
    if (headers[c]) {
      put_text(ws, 4, static_cast<lxw_col_t>(c + 1), headers[c], bold);
    } else {
      ASSERT_EQ(worksheet_write_rich_string(ws, 4, static_cast<lxw_col_t>(c + 1), loan_header, nullptr), LXW_NO_ERROR);
    }
  }
  struct Row {
    lxw_row_t row;
    bool group_as_number;
    const char* group;
    std::int64_t group_n;
    const char *customer, *name, *loan;
    std::int64_t programme;
    std::int64_t amounts[7];
    const char* status;
  };
  const Row rows[] = {
      {5, true, nullptr, 841012, "KH001", "NGUYỄN THỊ HOA", "6001000000000001", 1,
       {25000000, 0, 0, 180000, 10000, 0, 200000}, "OPEN"},
      {6, false, "0841012", 0, "KH002", "Đặng Thị Huệ", "'6001000000000002", 19,
       {20000000, 2000000, 0, 100000, 50000, 20000, 100000}, "OPEN"},
      {8, true, nullptr, 841013, "KH004", "Trần Thị Lan", "6001000000000004", 1, {5000000, 0, 0, 0, 0, 0, 0}, "CLOSE"},
  };
  for (const auto& r : rows) {
    if (r.group_as_number) {
      put_number(ws, r.row, 1, r.group_n);
    } else {
      put_text(ws, r.row, 1, r.group);
    }
    put_text(ws, r.row, 2, r.customer);
    put_text(ws, r.row, 3, r.name);
    put_text(ws, r.row, 4, r.loan);
    put_number(ws, r.row, 5, r.programme);
    for (lxw_col_t i = 0; i < 7; ++i) put_number(ws, r.row, static_cast<lxw_col_t>(7 + i), r.amounts[i], grouped);
    put_text(ws, r.row, 14, r.status);
  }
  put_number(ws, 5, 6, 46037, vn_date);                  // 2026-01-15
  put_datetime(ws, 6, 6, 2026, 2, 1, 12, builtin_date);  // 46054.5: 2026-02-01 at noon
  if (bad_date_row) put_number(ws, 8, 6, 46082);         // 2026-03-01, but not date-styled
  put_text(ws, 9, 3, "Tổng cộng", bold);
  const std::int64_t totals[] = {50000000, 2000000, 0, 280000, 60000, 20000, 300000};
  for (lxw_col_t i = 0; i < 7; ++i) put_number(ws, 9, static_cast<lxw_col_t>(7 + i), totals[i], grouped);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
}

TEST(XlsxReader, ReadsTheBcquerySheetCellByCell) {
  TempDir dir;
  auto path = dir.file("HSTD_112026.XLSX");
  ASSERT_NO_FATAL_FAILURE(write_bank_workbook(path));
  auto names = xlsx_sheet_names(path);
  ASSERT_TRUE(names) << names.error().message();
  EXPECT_EQ(*names, (std::vector<std::string>{"Ghi chú", "BCQUERY"}));

  auto s = read_xlsx_sheet(path);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->name, "BCQUERY");
  EXPECT_EQ(s->width, 15u);  // A..O
  ASSERT_EQ(s->rows.size(), 6u);  // rows 2, 5, 6, 7, 9, 10
  std::vector<std::size_t> numbers;
  for (const auto& r : s->rows) numbers.push_back(r.row);
  EXPECT_EQ(numbers, (std::vector<std::size_t>{2, 5, 6, 7, 9, 10}));

  EXPECT_EQ(s->rows[0].cells, (std::vector<std::string>{"", "BÁO CÁO CHI TIẾT HỒ SƠ TÍN DỤNG tháng 11/2026"}));
  EXPECT_EQ(s->rows[1].cells[0], "");
  EXPECT_EQ(s->rows[1].cells[1], "Mã tổ");
  EXPECT_EQ(s->rows[1].cells[4], "Số khế ước");  // two rich runs joined
  EXPECT_EQ(s->rows[1].cells[14], "Tình trạng món vay");
  EXPECT_EQ(s->rows[2].cells,
            (std::vector<std::string>{"", "841012", "KH001", "NGUYỄN THỊ HOA", "6001000000000001", "1", "2026-01-15",
                                      "25000000", "0", "0", "180000", "10000", "0", "200000", "OPEN"}));
  EXPECT_EQ(s->rows[3].cells[1], "0841012");
  EXPECT_EQ(s->rows[3].cells[4], "'6001000000000002");
  EXPECT_EQ(s->rows[3].cells[6], "2026-02-01");  // 46054.5 with format 14: the time is dropped
  EXPECT_EQ(s->rows[4].cells[6], "");            // no date written
  EXPECT_EQ(s->rows[4].cells[14], "CLOSE");
  EXPECT_EQ(s->rows[5].cells.size(), 14u);  // up to N, the last figure
  EXPECT_EQ(s->rows[5].cells[3], "Tổng cộng");
  EXPECT_EQ(s->rows[5].cells[7], "50000000");

  // The other sheet by name, in any case.
  auto notes = read_xlsx_sheet(path, "ghi chú");  // ASCII case only: "G" → "g"
  ASSERT_TRUE(notes) << notes.error().message();
  EXPECT_EQ(notes->name, "Ghi chú");
  ASSERT_EQ(notes->rows.size(), 2u);
  EXPECT_EQ(notes->rows[1].cells, (std::vector<std::string>{"123"}));
}

TEST(XlsxReader, FirstSheetWithoutBcqueryAndUnknownSheetNamed) {
  TempDir dir;
  auto path = dir.file("hstd.xlsx");
  ASSERT_NO_FATAL_FAILURE(write_bank_workbook(path, false));
  auto s = read_xlsx_sheet(path);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->name, "Ghi chú");
  auto missing = read_xlsx_sheet(path, "BCQUERY");
  ASSERT_TRUE(failed_with(missing, ErrorKind::kBadInput));
  EXPECT_EQ(missing.error().message(), path + ": no sheet named 'BCQUERY' (the sheets are: Ghi chú, Sheet2)");
}

TEST(XlsxReader, InlineStringsBooleansFormulaResults) {
  TempDir dir;
  auto path = dir.file("inline.xlsx");
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;  // libxlsxwriter then writes inline strings, not shared ones
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  ASSERT_NE(wb, nullptr);
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  put_text(ws, 0, 0, "Tên KH");
  ASSERT_EQ(worksheet_write_boolean(ws, 0, 1, 1, nullptr), LXW_NO_ERROR);
  ASSERT_EQ(worksheet_write_boolean(ws, 0, 2, 0, nullptr), LXW_NO_ERROR);
  ASSERT_EQ(worksheet_write_formula_str(ws, 0, 3, "=\"08\"&\"41\"", nullptr, "0841"), LXW_NO_ERROR);
  put_text(ws, 2, 27, "AB3");  // column AB = 28
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto s = read_xlsx_sheet(path);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->name, "Sheet1");
  ASSERT_EQ(s->rows.size(), 2u);
  EXPECT_EQ(s->rows[0].row, 1u);
  EXPECT_EQ(s->rows[0].cells, (std::vector<std::string>{"Tên KH", "TRUE", "FALSE", "0841"}));
  EXPECT_EQ(s->rows[1].row, 3u);
  ASSERT_EQ(s->rows[1].cells.size(), 28u);
  EXPECT_EQ(s->rows[1].cells[27], "AB3");
  EXPECT_EQ(s->width, 28u);
}

// --- hand-written XML: what other writers do -------------------------------------------------------

// Rows are kept densely, so a value far to the right (a stray note in column XFD) would cost every
// row thousands of cells: refused with its row and column instead; an empty formatted cell out
// there is ignored.
TEST(XlsxReader, AValueBeyondColumn1024IsRefusedWithItsRow) {
  TempDir dir;
  auto path = dir.file("wide.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  ASSERT_NE(wb, nullptr);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "BCQUERY");
  put_text(ws, 0, 0, "Số khế ước");
  put_text(ws, 1, 1023, "AMJ2");                                           // column 1024: read
  ASSERT_EQ(worksheet_write_blank(ws, 2, 16383, workbook_add_format(wb)), LXW_NO_ERROR);  // XFD3, empty
  put_text(ws, 3, 1024, "AMK4");                                           // column 1025: refused
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto s = read_xlsx_sheet(path);
  ASSERT_TRUE(failed_with(s, ErrorKind::kBadInput));
  EXPECT_NE(s.error().message().find(path + ":4: column 1025: a value beyond column 1024"), std::string::npos)
      << s.error().message();
}

TEST(XlsxReader, PrefixedNamespacesRelativeTargetsAnd1904) {
  TempDir dir;
  auto path = dir.file("odd.xlsx");
  const std::string workbook =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      R"(<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
      R"(<x:workbookPr date1904="1"/><x:sheets><x:sheet name="Data" sheetId="7" rel:id="rId1"/></x:sheets></x:workbook>)";
  const std::string strings =
      R"(<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
      R"(<si><t>Mã tổ</t></si>)"
      R"(<si><r><rPr><b/></rPr><t xml:space="preserve">Lãi </t></r><r><t>tồn TH</t></r><rPh><t>PHONETIC</t></rPh></si>)"
      R"(<si><t>dòng 1_x000D_dòng 2 &amp; 3 a_x005F_b</t></si></sst>)";
  const std::string styles =
      R"(<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
      R"(<numFmts count="1"><numFmt numFmtId="170" formatCode="d/m/yyyy"/></numFmts>)"
      R"(<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="170"/><xf numFmtId="3"/></cellXfs></styleSheet>)";
  // Cells without references follow the previous one; a row without a number follows the last.
  const std::string sheet =
      R"(<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>)"
      R"(<x:row r="3"><x:c r="B3" t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>)"
      R"(<x:row><x:c r="A4" s="1"><x:v>43830</x:v></x:c><x:c r="$C$4" s="2"><x:v>1500000</x:v></x:c>)"
      R"(<x:c r="D4" s="1"><x:v>-5</x:v></x:c><x:c r="E4" t="e"><x:v>#N/A</x:v></x:c><x:c r="F4" s="1"/></x:row>)"
      R"(<x:row r="9"><x:c r="A9" t="inlineStr"><x:is><x:t>chữ</x:t></x:is></x:c></x:row>)"
      R"(</x:sheetData></x:worksheet>)";
  const std::string rels =
      R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
      R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="sheets/../worksheets/data.xml"/>)"
      R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="/xl/strings.xml"/>)"
      R"(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
      R"(</Relationships>)";
  ASSERT_NO_FATAL_FAILURE(make_zip(path, {{"[Content_Types].xml", kContentTypes},
                                          {"_rels/.rels", kRootRels},
                                          {"xl/workbook.xml", workbook},
                                          {"xl/_rels/workbook.xml.rels", rels},
                                          {"xl/strings.xml", strings},
                                          {"xl/styles.xml", styles},
                                          {"xl/worksheets/data.xml", sheet}}));
  auto s = read_xlsx_sheet(path);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->name, "Data");
  ASSERT_EQ(s->rows.size(), 3u);
  EXPECT_EQ(s->rows[0].row, 3u);
  EXPECT_EQ(s->rows[0].cells, (std::vector<std::string>{"", "Mã tổ", "Lãi tồn TH", "dòng 1\rdòng 2 & 3 a_b"}));
  EXPECT_EQ(s->rows[1].row, 4u);
  // 1904 system: 43830 → 1904-01-01 + 43830 days = 2024-01-01; "#,##0" keeps the number; a
  // negative serial is no day and stays as written; an empty date cell is empty.
  EXPECT_EQ(s->rows[1].cells, (std::vector<std::string>{"2024-01-01", "", "1500000", "-5", "#N/A"}));
  EXPECT_EQ(s->rows[2].row, 9u);
  EXPECT_EQ(s->rows[2].cells, (std::vector<std::string>{"chữ"}));
}

// --- error paths ------------------------------------------------------------------------------

TEST(XlsxReader, MissingFileIsNoInput) {
  TempDir dir;
  auto path = dir.file("nowhere.xlsx");
  auto s = read_xlsx_sheet(path);
  ASSERT_TRUE(failed_with(s, ErrorKind::kNoInput));
  EXPECT_EQ(s.error().message(), path + ": cannot open the file (does it exist?)");
}

TEST(XlsxReader, TextRenamedXlsxIsNotAWorkbook) {
  TempDir dir;
  auto path = dir.file("hstd.xlsx");
  write_file(path, "loan_no,group_code\n6001000000000001,0841012\n");
  auto s = read_xlsx_sheet(path);
  ASSERT_TRUE(failed_with(s, ErrorKind::kBadInput));
  EXPECT_EQ(s.error().message(), path + ": not an .xlsx workbook (not a zip archive)");
}

TEST(XlsxReader, ZipWithoutWorkbookIsNotAWorkbook) {
  TempDir dir;
  auto path = dir.file("notes.xlsx");
  ASSERT_NO_FATAL_FAILURE(make_zip(path, {{"readme.txt", "hello"}}));
  auto s = read_xlsx_sheet(path);
  ASSERT_TRUE(failed_with(s, ErrorKind::kBadInput));
  EXPECT_EQ(s.error().message(), path + ": not an .xlsx workbook (no workbook part xl/workbook.xml)");
}

TEST(XlsxReader, DamagedXmlNamesFileAndPart) {
  TempDir dir;
  auto path = dir.file("broken.xlsx");
  const std::string workbook =
      R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
      R"(<sheets><sheet name="BCQUERY" sheetId="1" r:id="rId1"/></sheets></workbook>)";
  ASSERT_NO_FATAL_FAILURE(make_zip(path, {{"_rels/.rels", kRootRels},
                                          {"xl/workbook.xml", workbook},
                                          {"xl/_rels/workbook.xml.rels", kWorkbookRels},
                                          {"xl/worksheets/data.xml", "<worksheet><sheetData><row r=\"1\">"}}));
  auto s = read_xlsx_sheet(path);
  ASSERT_TRUE(failed_with(s, ErrorKind::kBadInput));
  EXPECT_TRUE(s.error().message().starts_with(path + ": the workbook is damaged: xl/worksheets/data.xml at byte "))
      << s.error().message();

  // A shared string index beyond the table, and a cell reference that is no reference.
  for (const std::string& bad : {std::string(R"(<c r="A1" t="s"><v>3</v></c>)"), std::string(R"(<c r="1A"><v>3</v></c>)")}) {
    auto p2 = dir.file("bad-cell.xlsx");
    ASSERT_NO_FATAL_FAILURE(make_zip(
        p2, {{"_rels/.rels", kRootRels},
             {"xl/workbook.xml", workbook},
             {"xl/_rels/workbook.xml.rels", kWorkbookRels},
             {"xl/strings.xml", R"(<sst><si><t>only</t></si></sst>)"},
             {"xl/worksheets/data.xml", "<worksheet><sheetData><row r=\"1\">" + bad + "</row></sheetData></worksheet>"}}));
    auto s2 = read_xlsx_sheet(p2);
    ASSERT_TRUE(failed_with(s2, ErrorKind::kBadInput)) << bad;
    EXPECT_TRUE(s2.error().message().starts_with(p2 + ": sheet 'BCQUERY': the workbook is damaged: "))
        << s2.error().message();
  }
}

// A part that decompresses far beyond what its compressed size allows a real sheet (a zip bomb:
// 40 MiB of spaces deflate to some 40 KB) is refused before it is held in memory, naming the part.
TEST(XlsxReader, ZipBombPartIsRefused) {
  TempDir dir;
  auto path = dir.file("bomb.xlsx");
  const std::string workbook =
      R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
      R"(<sheets><sheet name="BCQUERY" sheetId="1" r:id="rId1"/></sheets></workbook>)";
  const std::string sheet = "<worksheet><sheetData>" + std::string(40u << 20, ' ') + "</sheetData></worksheet>";
  ASSERT_NO_FATAL_FAILURE(make_zip(path, {{"_rels/.rels", kRootRels},
                                          {"xl/workbook.xml", workbook},
                                          {"xl/_rels/workbook.xml.rels", kWorkbookRels},
                                          {"xl/worksheets/data.xml", sheet}}));
  ASSERT_LT(std::filesystem::file_size(path), 1u << 20);
  auto s = read_xlsx_sheet(path);
  ASSERT_TRUE(failed_with(s, ErrorKind::kBadInput));
  EXPECT_NE(s.error().message().find("the part xl/worksheets/data.xml decompresses to more than 32 MiB"),
            std::string::npos)
      << s.error().message();
}

// --- the statement read from the workbook --------------------------------------------------------

TEST(VbspStatementXlsx, SameRowsAsTheCsvWouldGive) {
  TempDir dir;
  auto path = dir.file("HSTD_112026.XLSX");
  ASSERT_NO_FATAL_FAILURE(write_bank_workbook(path));
  auto f = read_vbsp_statement(path, 16);
  ASSERT_TRUE(f) << f.error().message();
  EXPECT_EQ(f->total_rows, 1);  // row 10, checked: its figures equal the sums (see the table above)
  EXPECT_TRUE(f->notes.empty());
  ASSERT_EQ(f->rows.size(), 3u);
  const auto& r1 = f->rows[0];
  EXPECT_EQ(r1.line, 6u);
  EXPECT_EQ(r1.loan_no, "6001000000000001");
  EXPECT_EQ(r1.group_code, "0841012");  // written as the number 841012
  EXPECT_EQ(r1.customer_code, "KH001");
  EXPECT_EQ(r1.borrower_name, "NGUYỄN THỊ HOA");
  EXPECT_EQ(r1.programme, "01");  // the number 1, back to two digits
  EXPECT_EQ(r1.disbursed_on, day(2026, 1, 15));  // serial 46037, styled dd/mm/yyyy
  EXPECT_EQ(r1.principal_outstanding, Money(25000000));
  EXPECT_EQ(r1.interest_collected, Money(180000));
  EXPECT_EQ(r1.interest_unpaid, Money(10000));  // 10000 + 0
  EXPECT_EQ(r1.savings_balance, Money(200000));
  EXPECT_FALSE(r1.closed);
  const auto& r2 = f->rows[1];
  EXPECT_EQ(r2.line, 7u);
  EXPECT_EQ(r2.loan_no, "6001000000000002");  // the apostrophe Excel users type is dropped
  EXPECT_EQ(r2.group_code, "0841012");
  EXPECT_EQ(r2.programme, "19");
  EXPECT_EQ(r2.disbursed_on, day(2026, 2, 1));  // 46054.5: noon dropped
  EXPECT_EQ(r2.principal_overdue, Money(2000000));
  EXPECT_EQ(r2.interest_unpaid, Money(70000));  // Lãi tồn TH 50000 + Lãi tồn QH 20000
  const auto& r3 = f->rows[2];
  EXPECT_EQ(r3.line, 9u);
  EXPECT_EQ(r3.group_code, "0841013");
  EXPECT_EQ(r3.disbursed_on, std::nullopt);
  EXPECT_TRUE(r3.closed);
}

TEST(VbspStatementXlsx, PlainNumberInTheDateColumnNamesFileRowColumn) {
  TempDir dir;
  auto path = dir.file("hstd.xlsx");
  ASSERT_NO_FATAL_FAILURE(write_bank_workbook(path, true, true));
  auto f = read_vbsp_statement(path, 16);
  ASSERT_TRUE(failed_with(f, ErrorKind::kBadInput));
  EXPECT_EQ(f.error().message(), path + ": nothing was imported; 1 problem(s):\n  " + path +
                                     ":9: disbursed_on: '46082' is not a date: expected YYYY-MM-DD");
}

TEST(VbspStatementXlsx, WorkbookWithoutBcqueryReadsItsFirstSheet) {
  TempDir dir;
  auto path = dir.file("hstd.xlsx");
  // The first sheet ("Ghi chú") has a loan header but none of the bank's other columns.
  ASSERT_NO_FATAL_FAILURE(write_bank_workbook(path, false));
  auto f = read_vbsp_statement(path, 16);
  ASSERT_TRUE(failed_with(f, ErrorKind::kBadInput));
  const std::string m = f.error().message();
  EXPECT_EQ(m.substr(0, m.find(';')),
            path + ":1: header: there is no column 'customer_code' (or 'Mã KH')");
  EXPECT_NE(m.find("customer_code (Mã KH, Mã khách hàng)"), std::string::npos) << m;
}

TEST(VbspStatementXlsx, NotAWorkbookAndMissingFile) {
  TempDir dir;
  auto renamed = dir.file("hstd.XLSX");
  write_file(renamed, "Số khế ước,Mã tổ\n");
  auto f = read_vbsp_statement(renamed, 16);
  ASSERT_TRUE(failed_with(f, ErrorKind::kBadInput));
  EXPECT_EQ(f.error().message(), renamed + ": not an .xlsx workbook (not a zip archive)");
  auto missing = read_vbsp_statement(dir.file("none.xlsx"), 16);
  EXPECT_TRUE(failed_with(missing, ErrorKind::kNoInput));
}

TEST(VbspStatementXlsx, WorkbookSavedAsCsvIsReadAsAWorkbook) {
  TempDir dir;
  auto path = dir.file("hstd.csv");  // a ".csv" that is really a workbook
  ASSERT_NO_FATAL_FAILURE(write_bank_workbook(path));
  auto f = read_vbsp_statement(path, 16);
  ASSERT_TRUE(f) << f.error().message();
  EXPECT_EQ(f->rows.size(), 3u);
}

// The register read from a workbook (header on row 1, canonical names) records the same loans
// as the CSV below: importing the CSV afterwards finds both already there, same content.
// Serials: 46037 = 2026-01-15, 46054 = 2026-02-01, 47133 = 2029-01-15, 47150 = 2029-02-01.
TEST(VbspRegisterXlsx, SameLoansAsTheCsv) {
  TempDir dir;
  test_support::TestDb db;
  auto l = db.create();
  ASSERT_TRUE(l) << l.error().message();
  Registry reg(**l);
  ASSERT_TRUE(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", day(2020, 1, 1)}));
  ASSERT_TRUE(reg.add_unit({"C1", "Long Đức", UnitKind::kCommune, "P", day(2020, 1, 1)}));
  Vbsp v(**l);

  auto path = dir.file("register.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  ASSERT_NE(wb, nullptr);
  lxw_format* date_format = workbook_add_format(wb);
  format_set_num_format(date_format, "dd/mm/yyyy");
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Sổ ủy thác");
  const char* header[] = {"loan_no", "group_code", "member_id", "customer_code", "national_id",
                          "borrower_name", "programme", "disbursed_on", "amount", "maturity_on"};
  for (lxw_col_t c = 0; c < 10; ++c) put_text(ws, 0, c, header[c]);
  put_text(ws, 1, 0, "6001000000000001");
  put_number(ws, 1, 1, 841012);
  put_text(ws, 1, 2, "HV1");
  put_text(ws, 1, 3, "KH001");
  put_text(ws, 1, 4, "084180000001");
  put_text(ws, 1, 5, "Nguyễn Thị Hòa");
  put_number(ws, 1, 6, 1);
  put_number(ws, 1, 7, 46037, date_format);
  put_number(ws, 1, 8, 30000000);
  put_number(ws, 1, 9, 47133, date_format);
  put_text(ws, 2, 0, "6001000000000002");
  put_text(ws, 2, 1, "0841012");
  put_text(ws, 2, 2, "HV2");
  put_text(ws, 2, 3, "KH002");
  put_text(ws, 2, 5, "Đặng Thị Huệ");  // no national id: column E empty
  put_number(ws, 2, 6, 19);
  put_number(ws, 2, 7, 46054, date_format);
  put_number(ws, 2, 8, 20000000);
  put_number(ws, 2, 9, 47150, date_format);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto r = v.import_register(path, [] {
    VbspImportOptions o;
    o.unit = "C1";
    return o;
  }());
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->rows, 2);
  EXPECT_EQ(r->created, 2);
  EXPECT_EQ(r->groups_created, 1);
  EXPECT_EQ(r->members_created, 2);
  EXPECT_EQ(*(*l)->balance("entrust", std::string(charts::entrust::kVbspLoans), day(2026, 12, 31)),
            Money(50000000));  // 30 000 000 + 20 000 000
  EXPECT_EQ(*(*l)->balance("entrust", std::string(charts::entrust::kVbspLoans), day(2026, 1, 31)),
            Money(30000000));  // only the first was disbursed by then (2026-01-15)

  auto csv = dir.file("register.csv");
  write_file(csv,
             "loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,disbursed_on,amount,"
             "maturity_on\n"
             "6001000000000001,0841012,HV1,KH001,084180000001,Nguyễn Thị Hòa,01,2026-01-15,30000000,2029-01-15\n"
             "6001000000000002,0841012,HV2,KH002,,Đặng Thị Huệ,19,2026-02-01,20000000,2029-02-01\n");
  auto again = v.import_register(csv, {});
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->existing, 2);
}

}  // namespace
}  // namespace soquy
