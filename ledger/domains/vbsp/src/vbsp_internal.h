// Declarations shared by the files of the VBSP domain (vbsp.cc, vbsp_files.cc, vbsp_reconcile.cc,
// vbsp_overdue.cc): the import-file reading and the statement rows as stored. Private to
// soquy_vbsp; not part of the public API (vbsp.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "soquy/csv_reader.h"
#include "soquy/import_problems.h"
#include "soquy/vbsp.h"
#include "vbsp_store.h"

namespace soquy::vbsp_detail {

std::string_view trim(std::string_view s);
bool all_digits(std::string_view s);
// The key a header name is matched by: no case, no diacritics, '_' and '-' as spaces.
std::string header_key(std::string_view name);

struct ColumnSpec {
  std::string name;  // canonical
  bool required;
  std::vector<std::string> aliases;
};

class Columns {
 public:
  int index(std::string_view name) const {
    for (const auto& [n, i] : cols_)
      if (n == name) return i;
    return -1;
  }
  std::string_view get(const CsvRecord& rec, std::string_view name) const {
    int i = index(name);
    if (i < 0 || static_cast<std::size_t>(i) >= rec.fields.size()) return {};
    return trim(rec.fields[static_cast<std::size_t>(i)]);
  }
  std::size_t width = 0;
  std::vector<std::pair<std::string, int>> cols_;
};

// The columns of the register and transactions files (canonical name, required, aliases).
const std::vector<ColumnSpec>& register_columns();
const std::vector<ColumnSpec>& transaction_columns();

// Field parsers: the value, or nullopt after adding the problem to `p`.
std::optional<Date> date_field(std::string_view text, std::string_view column, std::size_t line,
                               ImportProblems& p);
// An amount; `positive`: > 0, else ≥ 0; empty is `empty_value` when given.
std::optional<Money> amount_field(std::string_view text, std::string_view column, bool positive, std::size_t line,
                                  ImportProblems& p, std::optional<Money> empty_value = std::nullopt);
std::optional<std::string> text_field(std::string_view text, std::string_view column, std::size_t line,
                                      ImportProblems& p);
std::optional<std::string> code_field(std::string_view text, std::string_view column, std::size_t width,
                                      std::size_t line, ImportProblems& p);
std::optional<std::string> loan_field(std::string_view text, std::size_t length, std::size_t line,
                                      ImportProblems& p);
std::optional<std::string> name_field(std::string_view text, std::size_t line, ImportProblems& p);

// Reads a canonical file (header on the first record), handing each data record to `on_row`.
Result<Columns> read_rows(const std::string& path, const CsvReadOptions& read_options,
                          const std::vector<ColumnSpec>& spec, ImportProblems& problems,
                          std::int64_t& rows, const std::function<void(const Columns&, const CsvRecord&)>& on_row);

// A statement row as stored, as the reconciliation reads it.
VbspBankRow from_store(const VbspStatementRow& s);

}  // namespace soquy::vbsp_detail
