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
#include "soquy/vbsp.h"
#include "vbsp_store.h"

namespace soquy::vbsp_detail {

std::string_view trim(std::string_view s);
bool all_digits(std::string_view s);
// The key a header name is matched by: no case, no diacritics, '_' and '-' as spaces.
std::string header_key(std::string_view name);

constexpr std::size_t kMaxReported = 20;

// Every problem of a file, reported together in line order.
class Problems {
 public:
  explicit Problems(std::string path) : path_(std::move(path)) {}
  void add(std::size_t line, std::string_view column, std::string_view what) {
    list_.emplace_back(line, fmt::format("{}:{}: {}: {}", path_, line, column, what));
  }
  // A registry or ledger message "field: what": the field is mapped to the file's column.
  void add_field_error(std::size_t line, const std::string& message, std::string_view default_column,
                       const std::map<std::string, std::string>& columns) {
    auto colon = message.find(": ");
    if (colon != std::string::npos) {
      auto it = columns.find(message.substr(0, colon));
      if (it != columns.end()) {
        add(line, it->second, std::string_view(message).substr(colon + 2));
        return;
      }
    }
    add(line, default_column, message);
  }
  bool empty() const { return list_.empty(); }
  Error error() const {
    auto sorted = list_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string message = fmt::format("{}: nothing was imported; {} problem(s):", path_, sorted.size());
    for (std::size_t i = 0; i < sorted.size() && i < kMaxReported; ++i) message += "\n  " + sorted[i].second;
    if (sorted.size() > kMaxReported) message += fmt::format("\n  … and {} more", sorted.size() - kMaxReported);
    return Error::bad_input(message);
  }

 private:
  std::string path_;
  std::vector<std::pair<std::size_t, std::string>> list_;
};

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
std::optional<Date> date_field(std::string_view text, std::string_view column, std::size_t line, Problems& p);
// An amount; `positive`: > 0, else ≥ 0; empty is `empty_value` when given.
std::optional<Money> amount_field(std::string_view text, std::string_view column, bool positive, std::size_t line,
                                  Problems& p, std::optional<Money> empty_value = std::nullopt);
std::optional<std::string> text_field(std::string_view text, std::string_view column, std::size_t line, Problems& p);
std::optional<std::string> code_field(std::string_view text, std::string_view column, std::size_t width,
                                      std::size_t line, Problems& p);
std::optional<std::string> loan_field(std::string_view text, std::size_t length, std::size_t line, Problems& p);
std::optional<std::string> name_field(std::string_view text, std::size_t line, Problems& p);

// Reads a canonical file (header on the first record), handing each data record to `on_row`.
Result<Columns> read_rows(const std::string& path, const std::vector<ColumnSpec>& spec, Problems& problems,
                          std::int64_t& rows, const std::function<void(const Columns&, const CsvRecord&)>& on_row);

// A statement row as stored, as the reconciliation reads it.
VbspBankRow from_store(const VbspStatementRow& s);

}  // namespace soquy::vbsp_detail
