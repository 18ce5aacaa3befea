// soquy — the one renderer layer every report goes through.
//
// A report builder produces a `Report`: the machine form (ordered JSON with stable key order,
// amounts as strings of minor units) and the human form (tables with typed columns). The
// renderers here turn it into table text, CSV or JSON; xlsx and html renderers join them here.
// Builders never format output themselves, and renderers never compute figures.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "soquy/error.h"

namespace soquy::reports {

enum class Format { kTable, kJson, kCsv };
// "table", "json" or "csv".
Result<Format> parse_format(std::string_view name);
// From an output file's extension: .json, .csv, .txt (table). Unknown → kUsage error.
Result<Format> format_from_path(std::string_view path);

enum class CellKind {
  kText,     // left-aligned; in CSV guarded against formula injection
  kMoney,    // plain minor units in the cell ("-1500000"); grouped "1.500.000" in tables
  kInteger,  // counts, day numbers
  kDate,     // YYYY-MM-DD
  kDecimal,  // ratios and rates as decimal strings ("0.0300")
};

struct Column {
  std::string key;    // CSV header (English, stable)
  std::string label;  // table header (Vietnamese / English, for people)
  CellKind kind = CellKind::kText;
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
  std::vector<std::string> notes;              // lines printed under the table (tables only)
};

struct Report {
  nlohmann::ordered_json json;
  std::vector<Table> tables;  // CSV writes the first table only
};

// Writes `report` in `format`. Errors only on I/O failure.
Result<void> render(const Report& report, Format format, std::ostream& out);

// Text helpers shared by renderers.
std::size_t display_width(std::string_view utf8);  // code points, for column alignment
std::string group_thousands(std::string_view minor_units, char separator = '.');
// One CSV field per RFC 4180; text cells starting with = + - @ TAB or CR get a leading '
// so a spreadsheet shows them as text instead of running them as formulas.
std::string csv_field(std::string_view value, CellKind kind);

}  // namespace soquy::reports
