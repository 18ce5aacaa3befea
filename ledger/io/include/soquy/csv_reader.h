// soquy — reading CSV files (libcsv underneath, hidden).
//
// RFC 4180 with the habits of files saved by Excel and LibreOffice in Vietnam: UTF-8 with or
// without a BOM, CRLF or LF, quoted fields with commas, quotes ("") and line breaks. Each
// record knows the physical line it starts on, so errors can say `FILE:LINE: column: …`.
// Malformed quoting is an error naming the line; nothing is guessed.
//
// Files as Excel writes them (CsvReadOptions says what the user chose; the rest is detected):
// - Encoding: a UTF-16 byte-order mark (FF FE little-endian, FE FF big-endian) makes the file
//   UTF-16; otherwise it is UTF-8, with or without its BOM (EF BB BF). Any other encoding ICU
//   knows (windows-1258, the "CSV (Comma delimited)" of a Vietnamese Windows) is read when named;
//   converted text is put in Unicode NFC (windows-1258 writes tone marks as combining marks).
//   Bytes that are not valid in the encoding stop the read with one message, naming the line,
//   that says how to save the file as "CSV UTF-8" (kBadInput); nothing is ever guessed into
//   mojibake.
// - Delimiter: given (',' ';' or TAB), or detected from the first non-blank line (the header):
//   the most frequent of ',' ';' and TAB outside double quotes; on a tie the first of that list,
//   and ',' when the line holds none of them (a file of one column). Excel saves ';' where the
//   system's list separator is ';' and TAB for "Unicode text".
//
// Lines end in LF, CRLF or a lone CR (old Mac files): each counts as one line. Bounds, so that a
// broken or hostile file costs little memory: a physical line longer than kCsvMaxLineBytes, or a
// field longer than kCsvMaxFieldBytes, is refused with its line (kBadInput).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "soquy/error.h"
#include "soquy/read_options.h"  // CsvReadOptions: how the user asked for the file to be read

namespace soquy {

inline constexpr std::size_t kCsvMaxFieldBytes = 64 * 1024;
inline constexpr std::size_t kCsvMaxLineBytes = 1024 * 1024;

struct CsvRecord {
  std::size_t line = 0;  // 1-based physical line where the record starts
  std::vector<std::string> fields;
  // Only for rows of an .xlsx sheet: numeric[i] is true when cell i was a number cell (not text,
  // not a date). Empty for CSV, whose fields are all text.
  std::vector<bool> numeric;
};

// The delimiter `text` names: ',' ';' or '\t' ("tab", "TAB", "\t" or a TAB character);
// 0 for "" (detect). Error in field "delimiter" otherwise.
Result<char> parse_csv_delimiter(std::string_view text);

// Text as header names and coded values are compared: trimmed, case-folded ("SỐ TIỀN" and
// "Số tiền" are "số tiền") and in NFC. Not valid UTF-8: trimmed only.
std::string fold_for_matching(std::string_view text);

// Columns whose name a header ignores, whatever the import: an ordinal column (STT, TT, No.,
// "#"), and the `error` (lỗi) column that a rejects file adds, so that it can be imported again.
bool is_ignored_column(std::string_view header_name);

// A header row mapped to column positions, with aliases (English and Vietnamese names).
class CsvHeader {
 public:
  // `columns`: canonical names in order of preference; `aliases` maps other names to them
  // (Vietnamese names). Ignored columns (is_ignored_column) are skipped. An unknown, missing or
  // repeated column is an error listing every accepted name, canonical and aliases.
  static Result<CsvHeader> from_record(const CsvRecord& header, const std::vector<std::string>& required,
                                       const std::vector<std::string>& optional = {},
                                       const std::vector<std::pair<std::string, std::string>>& aliases = {});
  // Number of columns in the header, ignored ones included (the fields a row should have).
  std::size_t size() const { return width_; }
  // Position of a canonical column, or -1 if the (optional) column is absent.
  int index(std::string_view name) const;
  // The field of `name` in `record` ("" if the column is absent or the record is short).
  std::string_view get(const CsvRecord& record, std::string_view name) const;

  // The (name, position) of each of `names` that the header has.
  std::vector<std::pair<std::string, int>> positions(const std::vector<std::string>& names) const;

 private:
  std::vector<std::pair<std::string, int>> columns_;
  std::size_t width_ = 0;
};

// Refuses the text of an identifier that Excel has certainly rounded (kBadInput, saying so):
// written in scientific notation ("8.40725E+15"), or, with `number_cell` (an .xlsx number cell,
// which holds at most 15 digits exactly), more than 15 significant digits. Other text passes.
Result<void> check_identifier(std::string_view text, bool number_cell = false);

// Digits only, more than 15 significant ones, and every digit after the 15th a 0
// ("8407250000123460"): what Excel writes for a 16-digit number it rounded — or a real code that
// happens to end so.
bool looks_rounded_by_excel(std::string_view text);

// The identifier columns of one file (loan numbers, member ids, customer codes, national ids),
// each importer declaring its own: the values Excel rounded, found over the whole file.
// check_identifier's cases are problems of their row. A value that looks_rounded_by_excel is one
// only when no value of its column has more than 15 digits that do not look so: Excel rounds
// every number of a column, so one exact long code shows that the column was kept as text.
class IdentifierCheck {
 public:
  struct Problem {
    std::size_t line;
    std::string column;
    std::string message;
  };
  // `columns`: (name, position in the record); see CsvHeader::positions.
  explicit IdentifierCheck(std::vector<std::pair<std::string, int>> columns);
  void add(const CsvRecord& record);
  // Every problem found, in the order of the lines added (the rounded-looking ones last).
  std::vector<Problem> problems() const;

 private:
  struct Column {
    std::string name;
    int position = -1;
    bool exact_long = false;                                    // a long code not padded with 0
    std::vector<std::pair<std::size_t, std::string>> padded;  // (line, text) that look rounded
  };
  std::vector<Column> columns_;
  std::vector<Problem> certain_;
};

using CsvSink = std::function<Result<void>(CsvRecord&)>;

// Streams the records of `path` to `on_record`; the callback may return an Error to stop.
// Errors: kNoInput if the file cannot be opened, kBadInput for malformed CSV or text not valid in
// its encoding (with the line), or an unknown delimiter or encoding (in field "delimiter" or
// "encoding").
Result<void> read_csv_file(const std::string& path, const CsvReadOptions& options, const CsvSink& on_record);
Result<void> read_csv_file(const std::string& path, const CsvSink& on_record);
// Same, from bytes in memory (for tests); `name` is used in messages.
Result<void> read_csv_text(std::string_view text, const std::string& name, const CsvReadOptions& options,
                           const CsvSink& on_record);
Result<void> read_csv_text(std::string_view text, const std::string& name, const CsvSink& on_record);

}  // namespace soquy
