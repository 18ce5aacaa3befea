// soquy — reading one sheet of an .xlsx workbook (libzip and pugixml underneath, hidden).
//
// Generic: it knows nothing of VBSP. It opens the workbook (Office Open XML, a zip), finds the
// sheet by name through xl/workbook.xml and its relationships, reads the shared strings and the
// cell styles, and returns the sheet's rows as text, the way a CSV reader would:
// - rows in sheet order, each with its 1-based row number as Excel shows it; rows the sheet does
//   not hold, and rows whose cells are all empty, are left out;
// - cells placed by their reference ("C7" is the third cell of row 7), missing cells empty;
// - shared strings (rich-text runs <r><t> joined, phonetic runs left out), inline strings,
//   formula results (`t="str"`, the cached value), errors as written ("#N/A"), booleans as
//   TRUE/FALSE, and numbers exactly as written in <v> ("841012", "1500000", "45292", "1.5"):
//   a number is never converted through floating point;
// - dates: a number in a date-styled cell (styles.xml cellXfs numFmtId 14–17 or 22, or a
//   custom format whose code shows a day, month or year and is not an elapsed time such as [h])
//   becomes YYYY-MM-DD, computed in integers from the serial (1900 system, or 1904 when the
//   workbook says so). A time of day (a fraction after an integer serial, "45292.5") is dropped.
//   A serial that is not a day Excel can show — below 1, 60 (Excel's fictitious 29/02/1900),
//   beyond 9999-12-31, or not written as plain digits — keeps its text as written, so a caller
//   refuses it like any other number in a date column.
// Formulas are not evaluated: the value saved with the workbook is what is read.
// A value beyond column 1024 is refused (kBadInput, FILE:ROW: column N): rows are kept densely,
// so one stray value far to the right would cost every row that many cells.
#pragma once

#include <functional>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/csv_reader.h"
#include "soquy/error.h"

namespace soquy {

struct XlsxRow {
  std::size_t row = 0;             // 1-based row number in the sheet
  std::vector<std::string> cells;  // cells[0] is column A; up to the row's last non-empty cell
  // numeric[i]: cell i was a number cell (not text, not a date-styled serial); up to the row's
  // last number cell. An identifier in a number cell may have been rounded (check_identifier).
  std::vector<bool> numeric;
};

struct XlsxSheet {
  std::string name;             // the sheet's name as the workbook writes it
  std::vector<XlsxRow> rows;    // in sheet order
  std::size_t width = 0;        // the widest row's cell count
};

// True when `path` ends in ".xlsx" or ".xlsm" in any case ("HSTD.XLSX").
bool is_xlsx_path(std::string_view path);
// True when the file starts like a zip archive (a workbook saved under another extension, e.g. a
// ".csv" that is really an .xlsx). False when it cannot be read.
bool looks_like_zip(const std::string& path);

// The sheets' names in workbook order.
Result<std::vector<std::string>> xlsx_sheet_names(const std::string& path);

// Reads one sheet. `sheet` empty: `BCQUERY` (the VBSP report sheet, any case) if the workbook has
// it, else the first sheet; otherwise the sheet of that name (exact, then ignoring case).
// Errors, each naming the file: kNoInput when the file does not exist or cannot be read;
// kBadInput when it is not a workbook (not a zip, no workbook part), has no sheet of that name,
// or holds XML that does not parse or a cell reference that makes no sense.
Result<XlsxSheet> read_xlsx_sheet(const std::string& path, const std::string& sheet = "");

// The records of an import file: CSV (csv_reader.h), or a sheet of an .xlsx workbook — chosen by
// the extension (.xlsx/.xlsm in any case) or, under another name, by the zip signature. The sheet
// is read_xlsx_sheet(path): `BCQUERY` if it has one, else the first. A sheet's rows keep their
// sheet row numbers as `line` (errors say FILE:ROW) and are padded to the sheet's width; number
// cells are marked in CsvRecord::numeric; date-styled cells arrive as YYYY-MM-DD.
Result<void> read_table_file(const std::string& path, const CsvReadOptions& read_options,
                             const std::function<Result<void>(CsvRecord&)>& on_record);

// The day of an Excel serial (1900 system: 1 = 1900-01-01, 59 = 1900-02-28, 61 = 1900-03-01;
// 60, Excel's 29/02/1900, is not a day). With `date1904`, 0 = 1904-01-01. nullopt when the serial
// is no day (below 1 — below 0 for 1904 — 60, or beyond 9999-12-31).
std::optional<Date> excel_serial_date(std::int64_t serial, bool date1904 = false);
// The same from a cell's text: plain digits with an optional fraction ("45292", "45292.5"; the
// fraction, a time of day, is dropped). nullopt for anything else ("-1", "4.5E4", "", "1,5").
std::optional<Date> excel_serial_text_date(std::string_view text, bool date1904 = false);

// Whether a number format shows a date: built-in ids 14–22 and 45–47, or a custom `code` with a
// day, month or year (quoted text, escapes and [colour]/[$-locale] parts ignored; [h]/[m]/[s]
// elapsed times are not dates). Exposed for tests.
bool is_date_number_format(int num_fmt_id, std::string_view code = "");

}  // namespace soquy
