// soquy — the one renderer layer every report goes through.
//
// A report builder produces a `Report`: the machine form (ordered JSON with stable key order,
// amounts as strings of minor units) and the human form (tables with typed columns). The
// renderers here turn it into table text, CSV, JSON, an Excel workbook (render_xlsx.cc, with
// libxlsxwriter) or a printable HTML page (render_html.cc). Builders never format output
// themselves, and renderers never compute figures. docs/exports.md describes the outputs.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "soquy/error.h"

namespace soquy::reports {

enum class Format { kTable, kJson, kCsv, kXlsx, kHtml };
// "table", "json", "csv", "xlsx" or "html".
Result<Format> parse_format(std::string_view name);
// From an output file's extension, in any case: .json, .csv, .txt (table), .xlsx, .html/.htm.
// Unknown → kUsage error.
Result<Format> format_from_path(std::string_view path);

enum class CellKind {
  kText,     // left-aligned; in CSV guarded against formula injection
  kMoney,    // plain minor units in the cell ("-1500000"); grouped "1.500.000" in tables
  kInteger,  // counts, day numbers
  kDate,     // YYYY-MM-DD
  kDecimal,  // rates, points and other decimals ("0.0300"): a decimal comma in Vietnamese tables/HTML
  kRatio,    // a fraction ("0.0325", overdue ratio, PAR, provision rate): JSON and CSV keep the
             // decimal; tables, HTML and xlsx show a percentage ("3,25 %" in vi, "3.25%" in en)
};

struct Column {
  std::string key;    // CSV header (English, stable)
  std::string label;  // table header (Vietnamese / English, for people)
  CellKind kind = CellKind::kText;
};

// An optional picture of a table in the HTML output (inline SVG; ignored by the other formats).
// Values are the cells of kMoney, kInteger or kDecimal columns, scaled to pixels with integer
// arithmetic; negative values draw as 0, cells that are not numbers are left out.
enum class ChartKind {
  kBars,         // one horizontal bar per row, labelled by label_column, as long as value_column,
                 // the value after it (short tables such as aging buckets)
  kLine,         // a line through the rows in order (a trend): x = label_column, y = value_column,
                 // a y axis with round ticks in the page's number format
  kGroupedBars,  // two horizontal bars per row, value_column and second_column (this year and the
                 // year before), a legend and an x axis with round ticks
};
struct Chart {
  Chart() = default;
  Chart(std::string label, std::string value, std::string caption = "", ChartKind k = ChartKind::kBars)
      : label_column(std::move(label)), value_column(std::move(value)), title(std::move(caption)), kind(k) {}

  std::string label_column;  // Column::key of the bar labels
  std::string value_column;  // Column::key of the bar lengths
  std::string title;         // caption above the chart ("" = the table's title)
  ChartKind kind = ChartKind::kBars;
  std::string second_column;  // kGroupedBars: Column::key of the second series
  std::string value_legend;   // kGroupedBars: legend of each series ("" = its column's label);
  std::string second_legend;  // translated by the report builder
};

struct Table {
  Table() = default;
  Table(std::string t, std::vector<Column> c) : title(std::move(t)), columns(std::move(c)) {}

  std::string title;
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // one string per column, machine form
  std::vector<int> indent;                     // per row: tree depth, shown as indentation of the first
                                               // column in tables only (CSV and JSON keep plain codes)
  std::vector<std::vector<std::string>> totals;  // rows printed after a rule (tables only)
  std::vector<std::string> notes;              // lines printed under the table (tables, xlsx, html)
  std::optional<Chart> chart;                  // HTML only
};

// The paper parts of a printable form (biểu mẫu) that a treasurer or auditor prints and signs:
// the header block (organisation lines at the left, the national motto at the right, the form's
// code top right), the title, the fields (commune, group, leader, date…), and under the tables a
// place-and-date line and the signature blocks. HTML draws all of it around the tables; the table
// renderer prints the signature blocks under the last table; xlsx writes the fields, the
// place-and-date line and the signatures as text rows under the last table's notes; CSV and JSON
// ignore it (the figures are the same in every format). docs/exports.md, "Printable forms".
struct FormField {
  std::string label;  // "Xã", "Tổ", "Tổ trưởng" (translated by the report builder)
  std::string value;  // shown as given
};
struct FormSignature {
  std::string role;  // "Tổ trưởng", "Người lập biểu", "Cán bộ NHCSXH", "Đại diện Hội"
  std::string name;  // printed under the space left for the signature; "" = written by hand
};
struct Form {
  std::vector<std::string> organisation;  // top-left lines, e.g. {"HỘI LHPN XÃ LONG ĐỨC", "TỔ TK&VV 0841012"}
  bool national_motto = true;  // "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / "Độc lập - Tự do - Hạnh phúc"
  std::string code;            // top right, e.g. "Mẫu số 13/TD" ("" = none)
  std::string title;           // the form's title, the page heading ("BẢNG KÊ THU LÃI, THU TIẾT KIỆM")
  std::string subtitle;        // one line under the title ("" = none)
  std::vector<FormField> fields;
  std::string place_date;      // form_place_date(…); "" = blanks to fill in by hand
  std::vector<FormSignature> signatures;  // left to right
};
// "Long Đức, ngày 20 tháng 11 năm 2026" (day and month with two digits, as on paper); an empty
// place gives "…………, ngày 20 tháng 11 năm 2026".
std::string form_place_date(std::string_view place, int year, int month, int day);
// The text lines of a form's fields, place-and-date line and signatures ("Tổ trưởng: Nguyễn Thị
// Hòa (Ký, ghi rõ họ tên)"), for the renderers that only write lines of text.
std::vector<std::string> form_header_lines(const Form& form);
std::vector<std::string> form_footer_lines(const Form& form);

struct Report {
  nlohmann::ordered_json json;
  std::vector<Table> tables;  // CSV writes the first table only
  std::optional<Form> form;   // a printable form's header and signatures (see Form)
};

// Choices that only some formats use.
struct RenderOptions {
  bool bom = false;        // CSV: begin with a UTF-8 byte order mark (Excel then reads UTF-8)
  std::string lang = "vi";  // numbers, dates and ratios as Vietnamese or English readers write them
                            // (labels come translated from the report builders)
  std::string title;        // xlsx document title / HTML page title; "" = the first table's title
  // xlsx document creation time (seconds since 1970, UTC). Fixed so that the same data gives a
  // byte-identical file; 0 = this default, 2000-01-01T00:00:00Z.
  std::int64_t created = 0;
};
inline constexpr std::int64_t kFixedCreated = 946684800;  // 2000-01-01T00:00:00Z

// Writes `report` in `format`. Errors on I/O failure and, for xlsx, on an amount a spreadsheet
// cannot hold exactly (beyond ±2^53 minor units) or text it cannot store (over 32,767 characters).
Result<void> render(const Report& report, Format format, std::ostream& out);
Result<void> render(const Report& report, Format format, std::ostream& out, const RenderOptions& options);

// The two document renderers (also reached through render()).
Result<void> render_xlsx(const Report& report, std::ostream& out, const RenderOptions& options);
Result<void> render_html(const Report& report, std::ostream& out, const RenderOptions& options);

// Text helpers shared by renderers.
std::size_t display_width(std::string_view utf8);  // code points, for column alignment
std::string group_thousands(std::string_view minor_units, char separator = '.');
// A fraction written as a decimal, as a percentage, exactly (the point moves two places):
// "0.0325" → "3,25 %" (Vietnamese: decimal comma, a space before %) or "3.25%" (english);
// "0.1" → "10 %", "-0.0050" → "-0,50 %". Text that is not a decimal is returned as it is.
std::string percent_text(std::string_view decimal, bool english = false);
// "2026-03-31" → "31/03/2026"; anything else as it is.
std::string vietnamese_date(std::string_view iso);
// One CSV field per RFC 4180 (quoted when it holds a comma, quote, CR or LF; quotes doubled).
// Text cells starting with = + - @ TAB or CR get a leading ' so a spreadsheet shows them as
// text instead of running them as formulas. Typed cells holding a value of their kind (see
// is_cell_of_kind: "-1500000" in a money column) are not touched; a typed cell holding
// anything else is guarded like text.
std::string csv_field(std::string_view value, CellKind kind);
// Whether `value` is a well-formed machine value of `kind`: money and integers -?[0-9]+,
// decimals -?[0-9]+(.[0-9]+)?, dates [0-9]{4}-[0-9]{2}-[0-9]{2}; any text is text.
bool is_cell_of_kind(std::string_view value, CellKind kind);
// `utf8` with every invalid byte sequence, and every control character XML 1.0 forbids (all
// below U+0020 but TAB, LF, CR), replaced by U+FFFD. Used for xlsx and HTML, which are XML.
std::string valid_xml_text(std::string_view utf8);
// The largest amount of minor units a spreadsheet number (an IEEE double) holds exactly: 2^53.
inline constexpr std::int64_t kMaxExactSpreadsheetInteger = std::int64_t{1} << 53;

}  // namespace soquy::reports
