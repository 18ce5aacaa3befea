// soquy — reading CSV files (libcsv underneath, hidden).
//
// RFC 4180 with the habits of files saved by Excel and LibreOffice in Vietnam: UTF-8 with or
// without a BOM, CRLF or LF, quoted fields with commas, quotes ("") and line breaks. Each
// record knows the physical line it starts on, so errors can say `FILE:LINE: column: …`.
// Malformed quoting is an error naming the line; nothing is guessed.
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

namespace soquy {

inline constexpr std::size_t kCsvMaxFieldBytes = 64 * 1024;
inline constexpr std::size_t kCsvMaxLineBytes = 1024 * 1024;

struct CsvRecord {
  std::size_t line = 0;  // 1-based physical line where the record starts
  std::vector<std::string> fields;
};

// A header row mapped to column positions, with aliases (English and Vietnamese names).
class CsvHeader {
 public:
  // `columns`: canonical names in order of preference; `aliases` maps other names to them.
  static Result<CsvHeader> from_record(const CsvRecord& header, const std::vector<std::string>& required,
                                       const std::vector<std::string>& optional = {},
                                       const std::vector<std::pair<std::string, std::string>>& aliases = {});
  // Number of columns in the header.
  std::size_t size() const { return columns_.size(); }
  // Position of a canonical column, or -1 if the (optional) column is absent.
  int index(std::string_view name) const;
  // The field of `name` in `record` ("" if the column is absent or the record is short).
  std::string_view get(const CsvRecord& record, std::string_view name) const;

 private:
  std::vector<std::pair<std::string, int>> columns_;
};

// Streams the records of `path` to `on_record`; the callback may return an Error to stop.
// Errors: kNoInput if the file cannot be opened, kBadInput for malformed CSV (with the line).
Result<void> read_csv_file(const std::string& path, const std::function<Result<void>(CsvRecord&)>& on_record);
// Same, from text in memory (for tests); `name` is used in messages.
Result<void> read_csv_text(std::string_view text, const std::string& name,
                           const std::function<Result<void>(CsvRecord&)>& on_record);

}  // namespace soquy
