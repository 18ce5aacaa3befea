// VBSP entrustment: register, transactions and statement imports, reconciliation and the
// year-on-year overdue figure (vbsp.h). All SQL is in sqlite_vbsp.cc.
#include "soquy/vbsp.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "soquy/charts.h"
#include "soquy/clock.h"
#include "soquy/csv_reader.h"
#include "soquy/names.h"
#include "soquy/registry.h"
#include "soquy/sha256.h"
#include "soquy/xlsx_reader.h"
#include "store.h"
#include "vbsp_store.h"

namespace soquy {
namespace {

constexpr std::size_t kMaxReported = 20;
constexpr std::size_t kHeaderSearchRows = 15;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "1234.0", "1234.00" → "1234"; anything else unchanged.
std::string_view drop_zero_fraction(std::string_view s) {
  auto dot = s.find('.');
  if (dot == std::string_view::npos || dot == 0) return s;
  auto frac = s.substr(dot + 1);
  if (frac.empty() || !std::all_of(frac.begin(), frac.end(), [](char c) { return c == '0'; })) return s;
  return s.substr(0, dot);
}

// The key a header name is matched by: no case, no diacritics, '_' and '-' as spaces.
std::string header_key(std::string_view name) {
  std::string s(trim(name));
  for (auto& c : s)
    if (c == '_' || c == '-') c = ' ';
  auto k = name_match_key(s);
  return k ? *k : std::string();
}

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

// --- header mapping --------------------------------------------------------------------------

struct ColumnSpec {
  std::string name;  // canonical
  bool required;
  std::vector<std::string> aliases;
};

const std::vector<ColumnSpec>& register_columns() {
  static const std::vector<ColumnSpec> k = {
      {"loan_no", true, {"Số khế ước", "Mã món vay", "Số KU"}},
      {"group_code", true, {"Mã tổ"}},
      {"member_id", true, {"Mã hội viên", "Hội viên"}},
      {"customer_code", true, {"Mã KH", "Mã khách hàng"}},
      {"national_id", false, {"CCCD", "Số CCCD", "Căn cước"}},
      {"borrower_name", true, {"Tên KH", "Tên khách hàng", "Họ tên", "Họ và tên"}},
      {"programme", true, {"Mã chương trình", "Chương trình", "Mã CT"}},
      {"disbursed_on", true, {"Ngày vay", "Ngày giải ngân"}},
      {"amount", true, {"Số tiền vay", "Số tiền", "Tổng giải ngân"}},
      {"maturity_on", true, {"Ngày đến hạn", "Ngày ĐH theo hợp đồng", "Hạn trả"}},
  };
  return k;
}

const std::vector<ColumnSpec>& transaction_columns() {
  static const std::vector<ColumnSpec> k = {
      {"date", true, {"Ngày", "Ngày thu", "Ngày nộp"}},
      {"loan_no", true, {"Số khế ước", "Mã món vay"}},
      {"kind", true, {"Loại", "Loại thu"}},
      {"amount", true, {"Số tiền"}},
      {"receipt_no", true, {"Số biên lai", "Biên lai", "Số phiếu thu"}},
  };
  return k;
}

const std::vector<ColumnSpec>& statement_columns() {
  static const std::vector<ColumnSpec> k = {
      {"loan_no", true, {"Số khế ước", "Mã món vay"}},
      {"group_code", true, {"Mã tổ"}},
      {"customer_code", true, {"Mã KH", "Mã khách hàng"}},
      {"borrower_name", true, {"Tên KH", "Tên khách hàng"}},
      {"programme", false, {"Mã chương trình"}},
      {"disbursed_on", false, {"Ngày vay"}},
      {"principal_outstanding", true, {"Tổng dư nợ"}},
      {"principal_overdue", true, {"Dư nợ quá hạn"}},
      {"principal_frozen", false, {"Dư nợ khoanh"}},
      {"interest_collected", true, {"Lãi TT trong tháng"}},
      {"interest_unpaid", false, {}},
      {"interest_unpaid_current", false, {"Lãi tồn TH"}},
      {"interest_unpaid_overdue", false, {"Lãi tồn QH"}},
      {"savings_balance", true, {"Số dư tiền gửi 105", "Số dư 105"}},
      {"status", true, {"Tình trạng món vay"}},
      {"commune_code", false, {"Mã xã"}},
      {"office_code", false, {"Mã PGD"}},
  };
  return k;
}

// Keys of the names of each column (canonical and aliases), computed once per spec.
using KeyTable = std::vector<std::pair<std::string, std::string>>;  // key → canonical
KeyTable key_table(const std::vector<ColumnSpec>& spec) {
  KeyTable out;
  for (const auto& c : spec) {
    out.emplace_back(header_key(c.name), c.name);
    for (const auto& a : c.aliases) out.emplace_back(header_key(a), c.name);
  }
  return out;
}

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

std::string expected_columns(const std::vector<ColumnSpec>& spec) {
  std::string out;
  for (const auto& c : spec) {
    if (c.name.starts_with("interest_unpaid_")) continue;
    out += (out.empty() ? "" : ",") + c.name;
  }
  return out;
}

// Maps a header record; `ignore_unknown` for the bank's exports (they have many more columns).
Result<Columns> map_header(const CsvRecord& rec, const std::vector<ColumnSpec>& spec, const KeyTable& keys,
                           bool ignore_unknown, const std::string& path) {
  Columns out;
  out.width = rec.fields.size();
  std::map<std::string, std::string> written;  // canonical → as written
  for (std::size_t i = 0; i < rec.fields.size(); ++i) {
    auto key = header_key(rec.fields[i]);
    const std::string* canonical = nullptr;
    for (const auto& [k, c] : keys)
      if (!key.empty() && k == key) canonical = &c;
    if (!canonical) {
      if (ignore_unknown || trim(rec.fields[i]).empty()) continue;
      return fail(Error::bad_input(fmt::format("{}:{}: header: unknown column '{}' (expected the columns {})", path,
                                               rec.line, std::string(trim(rec.fields[i])), expected_columns(spec))));
    }
    if (auto it = written.find(*canonical); it != written.end())
      return fail(Error::bad_input(fmt::format("{}:{}: header: column '{}' appears twice (as '{}' and '{}')", path,
                                               rec.line, *canonical, it->second, std::string(trim(rec.fields[i])))));
    written[*canonical] = std::string(trim(rec.fields[i]));
    out.cols_.emplace_back(*canonical, static_cast<int>(i));
  }
  for (const auto& c : spec) {
    if (c.required && out.index(c.name) < 0) {
      std::string also;
      if (!c.aliases.empty()) also = fmt::format(" (or '{}')", c.aliases.front());
      return fail(Error::bad_input(
          fmt::format("{}:{}: header: there is no column '{}'{}", path, rec.line, c.name, also)));
    }
  }
  return out;
}

// --- field parsing ----------------------------------------------------------------------------

std::optional<Date> date_field(std::string_view text, std::string_view column, std::size_t line, Problems& p) {
  if (text.empty()) {
    p.add(line, column, "empty");
    return std::nullopt;
  }
  auto d = Date::parse_any(text);
  if (!d) {
    p.add(line, column, d.error().message());
    return std::nullopt;
  }
  return *d;
}

// An amount; `positive`: > 0, else ≥ 0; empty is `empty_value` when given.
std::optional<Money> amount_field(std::string_view text, std::string_view column, bool positive, std::size_t line,
                                  Problems& p, std::optional<Money> empty_value = std::nullopt) {
  if (text.empty()) {
    if (empty_value) return empty_value;
    p.add(line, column, "empty");
    return std::nullopt;
  }
  auto m = parse_bank_amount(text);
  if (!m) {
    p.add(line, column, m.error().message());
    return std::nullopt;
  }
  if (positive && m->minor_units() <= 0) {
    p.add(line, column, fmt::format("{} must be positive", m->minor_units()));
    return std::nullopt;
  }
  if (m->is_negative()) {
    p.add(line, column, fmt::format("{} cannot be negative", m->minor_units()));
    return std::nullopt;
  }
  return *m;
}

std::optional<std::string> text_field(std::string_view text, std::string_view column, std::size_t line, Problems& p) {
  if (text.empty()) {
    p.add(line, column, "empty");
    return std::nullopt;
  }
  return std::string(text);
}

std::optional<std::string> code_field(std::string_view text, std::string_view column, std::size_t width,
                                      std::size_t line, Problems& p) {
  auto c = restore_code(text, width);
  if (!c) {
    p.add(line, column, c.error().message());
    return std::nullopt;
  }
  return *c;
}

std::optional<std::string> loan_field(std::string_view text, std::size_t length, std::size_t line, Problems& p) {
  auto c = check_loan_no(text, length);
  if (!c) {
    p.add(line, "loan_no", c.error().message());
    return std::nullopt;
  }
  return *c;
}

std::optional<std::string> name_field(std::string_view text, std::size_t line, Problems& p) {
  if (text.empty()) {
    p.add(line, "borrower_name", "empty");
    return std::nullopt;
  }
  auto n = normalize_name(text);
  if (!n) {
    p.add(line, "borrower_name", n.error().message());
    return std::nullopt;
  }
  return *n;
}

bool blank_record(const CsvRecord& rec) {
  return std::all_of(rec.fields.begin(), rec.fields.end(), [](const auto& f) { return trim(f).empty(); });
}

// The records of an import file: CSV, or the sheet of an .xlsx workbook (by its extension, in any
// case, or a zip under another name) — `BCQUERY` if it has one, else the first sheet. A sheet's
// rows keep their sheet row numbers as `line` (errors say FILE:ROW) and are padded to the sheet's
// width; date-styled cells arrive as YYYY-MM-DD (xlsx_reader.h).
Result<void> read_records(const std::string& path, const std::function<Result<void>(CsvRecord&)>& on_record) {
  if (!is_xlsx_path(path) && !looks_like_zip(path)) return read_csv_file(path, on_record);
  auto sheet = read_xlsx_sheet(path);
  if (!sheet) return fail(sheet.error());
  for (auto& row : sheet->rows) {
    CsvRecord rec{row.row, std::move(row.cells)};
    rec.fields.resize(sheet->width);
    if (auto r = on_record(rec); !r) return r;
  }
  return {};
}

// Reads a canonical file (header on the first record), handing each data record to `on_row`.
Result<Columns> read_rows(const std::string& path, const std::vector<ColumnSpec>& spec, Problems& problems,
                          std::int64_t& rows, const std::function<void(const Columns&, const CsvRecord&)>& on_row) {
  static std::map<const void*, KeyTable> tables;
  auto& keys = tables.try_emplace(&spec, key_table(spec)).first->second;
  std::optional<Columns> header;
  auto read = read_records(path, [&](CsvRecord& rec) -> Result<void> {
    if (!header) {
      auto h = map_header(rec, spec, keys, false, path);
      if (!h) return fail(h.error());
      header = std::move(*h);
      return {};
    }
    if (blank_record(rec)) return {};
    ++rows;
    if (rec.fields.size() != header->width) {
      problems.add(rec.line, "row",
                   fmt::format("has {} fields but the header has {} columns", rec.fields.size(), header->width));
      return {};
    }
    on_row(*header, rec);
    return {};
  });
  if (!read) return fail(read.error());
  if (!header)
    return fail(Error::bad_input(
        fmt::format("{}: the file is empty (expected the header {})", path, expected_columns(spec))));
  return *header;
}

const std::map<std::string, std::string> kRegistryColumns = {
    {"id", "member_id"}, {"name", "borrower_name"}, {"national_id", "national_id"}, {"unit", "unit"},
    {"code", "group_code"}, {"group", "group_code"},
};

std::string statement_hash(Date from, const std::vector<VbspBankRow>& rows) {
  std::vector<const VbspBankRow*> sorted;
  for (const auto& r : rows) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->loan_no < b->loan_no; });
  Sha256 h;
  h.update(from.to_iso());
  h.update("\n");
  for (const auto* r : sorted) {
    h.update(fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\n",
                         r->loan_no, r->group_code, r->commune_code, r->office_code, r->customer_code,
                         r->borrower_name, r->programme, r->disbursed_on ? r->disbursed_on->to_iso() : "",
                         r->principal_outstanding, r->principal_overdue, r->principal_frozen, r->interest_collected,
                         r->interest_unpaid, r->savings_balance, r->closed ? "CLOSE" : "OPEN", ""));
  }
  return h.finish_hex();
}

VbspBankRow from_store(const VbspStatementRow& s) {
  VbspBankRow r;
  r.loan_no = s.loan_no;
  r.line = static_cast<std::size_t>(s.line);
  r.group_code = s.group_code;
  r.commune_code = s.commune_code;
  r.office_code = s.office_code;
  r.customer_code = s.customer_code;
  r.borrower_name = s.borrower_name;
  r.programme = s.programme;
  r.disbursed_on = s.disbursed_on;
  r.principal_outstanding = Money(s.principal_outstanding);
  r.principal_overdue = Money(s.principal_overdue);
  r.principal_frozen = Money(s.principal_frozen);
  r.interest_collected = Money(s.interest_collected);
  r.interest_unpaid = Money(s.interest_unpaid);
  r.savings_balance = Money(s.savings_balance);
  r.closed = s.status == "CLOSE";
  return r;
}

VbspStatementRow to_store(const VbspBankRow& r) {
  VbspStatementRow s;
  s.loan_no = r.loan_no;
  s.line = static_cast<std::int64_t>(r.line);
  s.group_code = r.group_code;
  s.commune_code = r.commune_code;
  s.office_code = r.office_code;
  s.customer_code = r.customer_code;
  s.borrower_name = r.borrower_name;
  s.programme = r.programme;
  s.disbursed_on = r.disbursed_on;
  s.principal_outstanding = r.principal_outstanding.minor_units();
  s.principal_overdue = r.principal_overdue.minor_units();
  s.principal_frozen = r.principal_frozen.minor_units();
  s.interest_collected = r.interest_collected.minor_units();
  s.interest_unpaid = r.interest_unpaid.minor_units();
  s.savings_balance = r.savings_balance.minor_units();
  s.status = r.closed ? "CLOSE" : "OPEN";
  return s;
}

}  // namespace

// --- pure helpers -----------------------------------------------------------------------------

Result<std::string> restore_code(std::string_view text, std::size_t width) {
  auto s = trim(text);
  if (!s.empty() && s.front() == '\'') s = trim(s.substr(1));
  if (s.empty()) return fail(Error::bad_input("empty"));
  auto digits = drop_zero_fraction(s);
  if (!all_digits(digits)) return std::string(s);
  if (width == 0 || digits.size() == width) return std::string(digits);
  if (digits.size() > width)
    return fail(Error::bad_input(fmt::format("'{}' has {} digits; this code has {}", std::string(s), digits.size(), width)));
  return std::string(width - digits.size(), '0') + std::string(digits);
}

Result<std::string> check_loan_no(std::string_view text, std::size_t length) {
  auto s = trim(text);
  if (!s.empty() && s.front() == '\'') s = trim(s.substr(1));
  if (s.empty()) return fail(Error::bad_input("empty"));
  if (s.find_first_of("eE") != std::string_view::npos && s.find_first_not_of("0123456789.,eE+-") == std::string_view::npos)
    return fail(Error::bad_input(fmt::format("'{}' was written as a number by a spreadsheet and lost its digits; "
                                             "export the loan number as text",
                                             std::string(s))));
  if (!all_digits(s))
    return fail(Error::bad_input(fmt::format("'{}' is not a loan number: it must be {} digits", std::string(s), length)));
  if (s.size() != length)
    return fail(Error::bad_input(
        fmt::format("'{}' has {} digits; a loan number has {}", std::string(s), s.size(), length)));
  return std::string(s);
}

Result<Money> parse_bank_amount(std::string_view text) { return parse_money(drop_zero_fraction(trim(text))); }

Result<VbspTxKind> parse_vbsp_tx_kind(std::string_view s) {
  if (s == "principal") return VbspTxKind::kPrincipal;
  if (s == "interest") return VbspTxKind::kInterest;
  if (s == "savings-in") return VbspTxKind::kSavingsIn;
  if (s == "savings-out") return VbspTxKind::kSavingsOut;
  return fail(Error::bad_input(
      fmt::format("'{}' is not a kind (expected principal, interest, savings-in or savings-out)", std::string(s))));
}

std::string_view to_string(VbspTxKind k) {
  switch (k) {
    case VbspTxKind::kPrincipal: return "principal";
    case VbspTxKind::kInterest: return "interest";
    case VbspTxKind::kSavingsIn: return "savings-in";
    case VbspTxKind::kSavingsOut: return "savings-out";
  }
  return "?";
}

std::string_view to_string(VbspIssue i) {
  switch (i) {
    case VbspIssue::kMissingInLedger: return "missing_in_ledger";
    case VbspIssue::kMissingInBank: return "missing_in_bank";
    case VbspIssue::kPrincipal: return "principal_mismatch";
    case VbspIssue::kInterest: return "interest_mismatch";
    case VbspIssue::kSavings: return "savings_mismatch";
    case VbspIssue::kIdentity: return "identity_mismatch";
  }
  return "?";
}

// --- statement reading ------------------------------------------------------------------------

Result<std::vector<std::pair<std::string, std::string>>> read_vbsp_map(const std::string& path) {
  std::vector<std::pair<std::string, std::string>> out;
  std::optional<Columns> header;
  static const std::vector<ColumnSpec> kMapColumns = {{"column", true, {}}, {"header", true, {}}};
  static const KeyTable kMapKeys = key_table(kMapColumns);
  Problems problems(path);
  auto read = read_csv_file(path, [&](CsvRecord& rec) -> Result<void> {
    if (!header) {
      auto h = map_header(rec, kMapColumns, kMapKeys, false, path);
      if (!h) return fail(h.error());
      header = std::move(*h);
      return {};
    }
    if (blank_record(rec)) return {};
    std::string column(header->get(rec, "column")), name(header->get(rec, "header"));
    const auto& spec = statement_columns();
    if (std::none_of(spec.begin(), spec.end(), [&](const ColumnSpec& c) { return c.name == column; })) {
      problems.add(rec.line, "column",
                   fmt::format("'{}' is not a statement column (expected one of {},interest_unpaid_current,"
                               "interest_unpaid_overdue)",
                               column, expected_columns(spec)));
      return {};
    }
    if (header_key(name).empty()) {
      problems.add(rec.line, "header", "empty");
      return {};
    }
    out.emplace_back(name, column);
    return {};
  });
  if (!read) return fail(read.error());
  if (!header) return fail(Error::bad_input(fmt::format("{}: the file is empty (expected the header column,header)", path)));
  if (!problems.empty()) return fail(problems.error());
  return out;
}

Result<VbspStatementFile> read_vbsp_statement(const std::string& path, std::size_t loan_no_length,
                                              const std::vector<std::pair<std::string, std::string>>& extra) {
  KeyTable keys = key_table(statement_columns());
  for (const auto& [name, column] : extra) keys.emplace_back(header_key(name), column);
  std::set<std::string> loan_keys;  // every name of the loan number
  for (const auto& [k, c] : keys)
    if (c == "loan_no") loan_keys.insert(k);
  static const std::string total_key = header_key("Tổng cộng");
  Problems problems(path);
  VbspStatementFile out;
  std::optional<Columns> header;
  std::size_t seen = 0;
  std::map<std::string, std::size_t> lines;  // loan_no → line
  const char* kAmountCols[] = {"principal_outstanding", "principal_overdue", "principal_frozen",
                               "interest_collected",    "interest_unpaid",   "savings_balance"};
  std::array<Money, 6> running{};  // sums since the previous total row
  bool bad_since_total = false;    // a bad row since then: its amounts cannot be summed
  auto amount_of = [](const VbspBankRow& r, int i) -> Money {
    switch (i) {
      case 0: return r.principal_outstanding;
      case 1: return r.principal_overdue;
      case 2: return r.principal_frozen;
      case 3: return r.interest_collected;
      case 4: return r.interest_unpaid;
      default: return r.savings_balance;
    }
  };
  auto is_total_row = [&](const CsvRecord& rec) {
    for (const auto& f : rec.fields) {
      auto t = trim(f);
      if (t.empty() || t.size() > 40 || all_digits(t)) continue;
      if (header_key(t).starts_with(total_key)) return true;
    }
    return false;
  };
  auto read = read_records(path, [&](CsvRecord& rec) -> Result<void> {
    if (!header) {
      ++seen;
      bool names_loan = std::any_of(rec.fields.begin(), rec.fields.end(), [&](const std::string& f) {
        auto k = header_key(f);
        return loan_keys.contains(k);
      });
      if (names_loan) {
        auto h = map_header(rec, statement_columns(), keys, true, path);
        if (!h) return fail(h.error());
        if (h->index("interest_unpaid") < 0 && h->index("interest_unpaid_current") < 0 &&
            h->index("interest_unpaid_overdue") < 0)
          return fail(Error::bad_input(fmt::format(
              "{}:{}: header: there is no column 'interest_unpaid' (or 'Lãi tồn TH' and 'Lãi tồn QH')", path, rec.line)));
        header = std::move(*h);
        return {};
      }
      if (seen >= kHeaderSearchRows)
        return fail(Error::bad_input(fmt::format(
            "{}: no header naming the loan number (loan_no, Số khế ước or Mã món vay) in the first {} rows", path,
            kHeaderSearchRows)));
      return {};
    }
    if (blank_record(rec)) return {};
    const auto& h = *header;
    auto loan_text = h.get(rec, "loan_no");
    // A repeated header (page break).
    if (!loan_text.empty() && !all_digits(loan_text) && loan_keys.contains(header_key(loan_text))) return {};
    if (!all_digits(loan_text) && !(loan_text.starts_with("'")) && is_total_row(rec)) {
      ++out.total_rows;
      std::array<std::optional<Money>, 6> total{};
      bool any = false, bad = false;
      for (int i = 0; i < 6; ++i) {
        std::string_view text;
        if (i == 4) {
          // interest_unpaid: its own column, or the two parts summed
          if (h.index("interest_unpaid") >= 0) {
            text = h.get(rec, "interest_unpaid");
          } else {
            auto a = amount_field(h.get(rec, "interest_unpaid_current"), "interest_unpaid", false, rec.line, problems,
                                  Money(0));
            auto b = amount_field(h.get(rec, "interest_unpaid_overdue"), "interest_unpaid", false, rec.line, problems,
                                  Money(0));
            if (!a || !b) {
              bad = true;
              continue;
            }
            total[4] = *a + *b;
            any = any || !total[4]->is_zero();
            continue;
          }
        } else {
          if (h.index(kAmountCols[i]) < 0) continue;
          text = h.get(rec, kAmountCols[i]);
        }
        if (text.empty()) continue;
        auto m = amount_field(text, kAmountCols[i], false, rec.line, problems);
        if (!m) {
          bad = true;
          continue;
        }
        total[static_cast<std::size_t>(i)] = *m;
        any = any || !m->is_zero();
      }
      if (bad_since_total) {
        // the rows above have problems of their own (reported): the sums would mislead
      } else if (!bad && !any) {
        out.notes.push_back(fmt::format("{}:{}: the total row holds no figures (formulas saved without values): not "
                                        "checked",
                                        path, rec.line));
      } else if (!bad) {
        for (int i = 0; i < 6; ++i) {
          const auto& t = total[static_cast<std::size_t>(i)];
          if (t && *t != running[static_cast<std::size_t>(i)])
            problems.add(rec.line, kAmountCols[i],
                         fmt::format("the total row says {} but the rows above sum to {}", *t,
                                     running[static_cast<std::size_t>(i)]));
        }
      }
      running = {};
      bad_since_total = false;
      return {};
    }
    if (loan_text.empty() && h.get(rec, "customer_code").empty()) {
      // a subtitle (a group's name above its loans): no loan, no customer
      out.notes.push_back(fmt::format("{}:{}: a row without loan number or customer code was skipped", path, rec.line));
      return {};
    }
    VbspBankRow row;
    row.line = rec.line;
    auto loan = loan_field(loan_text, loan_no_length, rec.line, problems);
    auto group = code_field(h.get(rec, "group_code"), "group_code", kVbspGroupCodeWidth, rec.line, problems);
    auto customer = code_field(h.get(rec, "customer_code"), "customer_code", 0, rec.line, problems);
    auto name = name_field(h.get(rec, "borrower_name"), rec.line, problems);
    bool ok = loan && group && customer && name;
    if (h.index("programme") >= 0 && !h.get(rec, "programme").empty()) {
      auto p = code_field(h.get(rec, "programme"), "programme", 2, rec.line, problems);
      ok = ok && p;
      if (p) row.programme = *p;
    }
    if (h.index("commune_code") >= 0 && !h.get(rec, "commune_code").empty()) {
      auto c = code_field(h.get(rec, "commune_code"), "commune_code", kVbspCommuneCodeWidth, rec.line, problems);
      ok = ok && c;
      if (c) row.commune_code = *c;
    }
    if (h.index("office_code") >= 0 && !h.get(rec, "office_code").empty()) {
      auto c = code_field(h.get(rec, "office_code"), "office_code", kVbspOfficeCodeWidth, rec.line, problems);
      ok = ok && c;
      if (c) row.office_code = *c;
    }
    if (h.index("disbursed_on") >= 0 && !h.get(rec, "disbursed_on").empty()) {
      auto d = date_field(h.get(rec, "disbursed_on"), "disbursed_on", rec.line, problems);
      ok = ok && d;
      row.disbursed_on = d;
    }
    std::array<std::optional<Money>, 6> amounts{};
    for (int i = 0; i < 6; ++i) {
      if (i == 4 && h.index("interest_unpaid") < 0) {
        auto a = amount_field(h.get(rec, "interest_unpaid_current"), "interest_unpaid", false, rec.line, problems,
                              Money(0));
        auto b = amount_field(h.get(rec, "interest_unpaid_overdue"), "interest_unpaid", false, rec.line, problems,
                              Money(0));
        if (a && b) amounts[4] = *a + *b;
      } else {
        amounts[static_cast<std::size_t>(i)] =
            amount_field(h.get(rec, kAmountCols[i]), kAmountCols[i], false, rec.line, problems, Money(0));
      }
      ok = ok && amounts[static_cast<std::size_t>(i)];
    }
    auto status = h.get(rec, "status");
    std::string st(status);
    for (auto& c : st) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (st == "OPEN" || st == "CLOSE") {
      row.closed = st == "CLOSE";
    } else {
      problems.add(rec.line, "status",
                   st.empty() ? std::string("empty") : fmt::format("'{}' is not OPEN or CLOSE", std::string(status)));
      ok = false;
    }
    if (loan) {
      if (auto [it, fresh] = lines.emplace(*loan, rec.line); !fresh) {
        problems.add(rec.line, "loan_no", fmt::format("'{}' is also on line {}", *loan, it->second));
        ok = false;
      }
    }
    if (!ok) {
      bad_since_total = true;
      return {};
    }
    row.loan_no = *loan;
    row.group_code = *group;
    row.customer_code = *customer;
    row.borrower_name = *name;
    row.principal_outstanding = *amounts[0];
    row.principal_overdue = *amounts[1];
    row.principal_frozen = *amounts[2];
    row.interest_collected = *amounts[3];
    row.interest_unpaid = *amounts[4];
    row.savings_balance = *amounts[5];
    for (int i = 0; i < 6; ++i) running[static_cast<std::size_t>(i)] += amount_of(row, i);
    out.rows.push_back(std::move(row));
    return {};
  });
  if (!read) return fail(read.error());
  if (!header)
    return fail(Error::bad_input(
        fmt::format("{}: no header naming the loan number (loan_no, Số khế ước or Mã món vay) in the first {} rows",
                    path, kHeaderSearchRows)));
  if (!problems.empty()) return fail(problems.error());
  return out;
}

// --- reconciliation ----------------------------------------------------------------------------

namespace {

// same_name() with each spelling's matching key computed once: the key goes through ICU's
// transliterator, too slow to run twice per loan on a million loans, and names repeat a lot.
class NameMatcher {
 public:
  bool same(const std::string& a, const std::string& b) {
    // Make room before the lookups: clearing between them would free the key `ka` points to.
    if (keys_.size() + 2 > kMaxCached) keys_.clear();
    if (a == b) {  // the usual case: one key to look up
      const auto* k = key(a);
      return k && !k->empty();
    }
    const auto* ka = key(a);
    const auto* kb = key(b);
    return ka && kb && !ka->empty() && *ka == *kb;
  }

 private:
  static constexpr std::size_t kMaxCached = 200'000;  // about 40 MB at most
  const std::string* key(const std::string& name) {
    if (auto it = keys_.find(name); it != keys_.end()) return it->second ? &*it->second : nullptr;
    auto k = name_match_key(name);
    auto& slot = keys_[name];
    if (k) slot = std::move(*k);
    return slot ? &*slot : nullptr;
  }
  std::unordered_map<std::string, std::optional<std::string>> keys_;  // nullopt: not valid UTF-8
};

// The rules of reconcile_vbsp for one loan number, on one side or both (`l`, `b`; not both
// null): counts it in out.summary and appends an item when it has an issue. Shared by
// reconcile_vbsp and the streaming Vbsp::reconcile, so both give the same result.
void reconcile_loan(const VbspLedgerLoan* l, const VbspBankRow* b, VbspReconciliation& out, NameMatcher& names) {
  const std::string& group = out.group;
  const Date period_from = out.period_from, as_of = out.as_of;
  auto& s = out.summary;
  {
    if (!group.empty() && !(l && l->group_code == group) && !(b && b->group_code == group)) return;
    if (l && l->principal_outstanding.is_zero() && (!b || b->closed)) return;
    if (!l && b->closed) return;
    ++s.loans;
    VbspReconItem item;
    auto add = [&](VbspIssue i, std::string cause) {
      item.issues.push_back(i);
      item.causes.push_back(std::move(cause));
    };
    if (!b) {
      add(VbspIssue::kMissingInBank,
          fmt::format("not in the bank's statement; the union's register has {} outstanding",
                      l->principal_outstanding.to_grouped_string()));
    } else if (!l) {
      add(VbspIssue::kMissingInLedger,
          fmt::format("not in the union's register; the bank has {} outstanding",
                      b->principal_outstanding.to_grouped_string()));
    } else {
      const Money bank_principal = b->closed ? Money(0) : b->principal_outstanding;
      if (bank_principal != l->principal_outstanding) {
        if (b->closed)
          add(VbspIssue::kPrincipal, fmt::format("status differs: CLOSE at the bank, the union's register has {} outstanding",
                                                 l->principal_outstanding.to_grouped_string()));
        else if (l->principal_outstanding.is_zero())
          add(VbspIssue::kPrincipal, fmt::format("repaid in full in the union's register, the bank has {} outstanding",
                                                 bank_principal.to_grouped_string()));
        else
          add(VbspIssue::kPrincipal,
              fmt::format("principal outstanding differs: bank {}, union {} (bank − union = {})",
                          bank_principal.to_grouped_string(), l->principal_outstanding.to_grouped_string(),
                          (bank_principal - l->principal_outstanding).to_grouped_string()));
      }
      if (b->interest_collected != l->interest_collected)
        add(VbspIssue::kInterest,
            fmt::format("interest collected from {} to {} differs: bank {}, union {} (bank − union = {})",
                        period_from, as_of, b->interest_collected.to_grouped_string(),
                        l->interest_collected.to_grouped_string(),
                        (b->interest_collected - l->interest_collected).to_grouped_string()));
      if (b->savings_balance != l->savings_balance)
        add(VbspIssue::kSavings,
            fmt::format("savings differ: bank {}, union {} (bank − union = {})", b->savings_balance.to_grouped_string(),
                        l->savings_balance.to_grouped_string(),
                        (b->savings_balance - l->savings_balance).to_grouped_string()));
      std::vector<std::string> who;
      if (b->customer_code != l->customer_code)
        who.push_back(fmt::format("customer code: bank {}, union {}", b->customer_code, l->customer_code));
      if (b->group_code != l->group_code)
        who.push_back(fmt::format("group: bank {}, union {}", b->group_code, l->group_code));
      if (!names.same(b->borrower_name, l->borrower_name))
        who.push_back(fmt::format("name: bank '{}', union '{}'", b->borrower_name, l->borrower_name));
      if (!who.empty()) {
        std::string cause;
        for (const auto& w : who) cause += (cause.empty() ? "" : "; ") + w;
        add(VbspIssue::kIdentity, cause);
      }
    }
    if (item.issues.empty()) {
      ++s.matched;
      return;
    }
    for (auto i : item.issues) {
      switch (i) {
        case VbspIssue::kMissingInLedger: ++s.missing_in_ledger; break;
        case VbspIssue::kMissingInBank: ++s.missing_in_bank; break;
        case VbspIssue::kPrincipal: ++s.principal_mismatch; break;
        case VbspIssue::kInterest: ++s.interest_mismatch; break;
        case VbspIssue::kSavings: ++s.savings_mismatch; break;
        case VbspIssue::kIdentity: ++s.identity_mismatch; break;
      }
    }
    // Only loans with an issue are kept, with both sides' figures.
    item.loan_no = l ? l->loan_no : b->loan_no;
    item.group_code = l ? l->group_code : b->group_code;
    if (l) item.ledger = *l;
    if (b) item.bank = *b;
    out.items.push_back(std::move(item));
  }
}

}  // namespace

VbspReconciliation reconcile_vbsp(const std::vector<VbspLedgerLoan>& ledger, const std::vector<VbspBankRow>& bank,
                                  Date period_from, Date as_of, const std::string& group) {
  VbspReconciliation out;
  out.as_of = as_of;
  out.period_from = period_from;
  out.group = group;
  std::map<std::string, std::pair<const VbspLedgerLoan*, const VbspBankRow*>> all;
  for (const auto& l : ledger) all[l.loan_no].first = &l;
  for (const auto& b : bank) all[b.loan_no].second = &b;
  NameMatcher names;
  for (const auto& [no, pair] : all) reconcile_loan(pair.first, pair.second, out, names);
  return out;
}

// --- overdue -------------------------------------------------------------------------------------

Result<VbspOverdueBy> parse_vbsp_overdue_by(std::string_view s) {
  if (s == "group") return VbspOverdueBy::kGroup;
  if (s == "commune") return VbspOverdueBy::kCommune;
  if (s == "programme") return VbspOverdueBy::kProgramme;
  return fail(Error::usage(fmt::format("--by: '{}' is not one of group, commune, programme", std::string(s))));
}

std::string_view to_string(VbspOverdueBy b) {
  switch (b) {
    case VbspOverdueBy::kGroup: return "group";
    case VbspOverdueBy::kCommune: return "commune";
    case VbspOverdueBy::kProgramme: return "programme";
  }
  return "?";
}

std::string_view vbsp_programme_name(std::string_view code) {
  static const std::map<std::string_view, std::string_view> k = {
      {"01", "Hộ nghèo"},
      {"02", "Học sinh, sinh viên"},
      {"03", "Giải quyết việc làm"},
      {"04", "Xuất khẩu lao động"},
      {"06", "Nước sạch và vệ sinh môi trường"},
      {"07", "Nhà ở hộ nghèo"},
      {"09", "Hộ mới thoát nghèo"},
      {"10", "Doanh nghiệp vùng khó khăn"},
      {"12", "Nhà ở xã hội"},
      {"15", "Thương nhân vùng khó khăn"},
      {"17", "Đồng bào dân tộc thiểu số (QĐ 755)"},
      {"19", "Hộ cận nghèo"},
      {"21", "Đồng bào dân tộc thiểu số (QĐ 2085)"},
      {"25", "Vùng đồng bào DTTS và miền núi"},
      {"26", "Người chấp hành xong án phạt tù"},
      {"99", "Khác"},
  };
  auto it = k.find(code);
  return it == k.end() ? std::string_view() : it->second;
}

Rational VbspOverdueFigures::overdue_ratio() const {
  if (outstanding.is_zero()) return Rational(0);
  return overdue.to_rational() / outstanding.to_rational();
}

VbspOverdue compare_vbsp_overdue(const std::vector<VbspBankRow>& now, const std::vector<VbspBankRow>& before,
                                 Date as_of, Date compare_to, VbspOverdueBy by) {
  auto key_of = [by](const VbspBankRow& r) -> std::string {
    switch (by) {
      case VbspOverdueBy::kGroup: return r.group_code;
      case VbspOverdueBy::kCommune: return r.commune_code.empty() ? "?" : r.commune_code;
      case VbspOverdueBy::kProgramme: return r.programme.empty() ? "?" : r.programme;
    }
    return "?";
  };
  auto add = [](VbspOverdueFigures& f, const VbspBankRow& r) {
    ++f.loans;
    f.outstanding += r.principal_outstanding;
    f.overdue += r.principal_overdue;
    f.frozen += r.principal_frozen;
  };
  std::map<std::string, VbspOverdueFigures> a, b;
  VbspOverdue out;
  out.as_of = as_of;
  out.compare_to = compare_to;
  out.by = by;
  for (const auto& r : now)
    if (!r.closed) {
      add(a[key_of(r)], r);
      add(out.total_now, r);
    }
  for (const auto& r : before)
    if (!r.closed) {
      add(b[key_of(r)], r);
      add(out.total_before, r);
    }
  auto grew = [](const VbspOverdueFigures& n, const std::optional<VbspOverdueFigures>& p) {
    if (!p) return !n.overdue.is_zero();
    return n.overdue > p->overdue || n.overdue_ratio() > p->overdue_ratio();
  };
  std::set<std::string> keys;
  for (const auto& [k, v] : a) keys.insert(k);
  for (const auto& [k, v] : b) keys.insert(k);
  for (const auto& k : keys) {
    VbspOverdueRow row;
    row.key = k;
    if (by == VbspOverdueBy::kProgramme) row.name = std::string(vbsp_programme_name(k));
    if (auto it = a.find(k); it != a.end()) row.now = it->second;
    if (auto it = b.find(k); it != b.end()) row.before = it->second;
    row.grew = grew(row.now, row.before);
    out.rows.push_back(std::move(row));
  }
  out.total_grew = grew(out.total_now, out.total_before);
  return out;
}

// --- the engine ----------------------------------------------------------------------------------

Vbsp::Vbsp(Ledger& ledger) : ledger_(ledger), store_(std::make_unique<VbspStore>(ledger.store())) {}
Vbsp::~Vbsp() = default;

std::size_t Vbsp::loan_no_length(const VbspImportOptions& options) {
  if (options.loan_no_length > 0) return options.loan_no_length;
  // A stored length the setting's rule refuses is bad input naming the setting, not a silent 16.
  auto length = setting_value<std::int64_t>(ledger_.store(), kVbspLoanNoLength);
  if (!length) throw SoquyException(length.error());
  return static_cast<std::size_t>(*length);
}

Result<VbspImportSummary> Vbsp::import_register(const std::string& path, const VbspImportOptions& options) {
  if (auto ok = ledger_.require_write(std::string(charts::entrust::kBook)); !ok) return fail(ok.error());
  const std::size_t length = loan_no_length(options);
  VbspImportSummary summary;
  Problems problems(path);
  struct Row {
    std::size_t line;
    VbspLoanRow loan;
  };
  std::vector<Row> rows;
  std::map<std::string, std::size_t> seen;
  auto header = read_rows(path, register_columns(), problems, summary.rows, [&](const Columns& h, const CsvRecord& rec) {
    const auto line = rec.line;
    auto loan = loan_field(h.get(rec, "loan_no"), length, line, problems);
    auto group = code_field(h.get(rec, "group_code"), "group_code", kVbspGroupCodeWidth, line, problems);
    auto member = text_field(h.get(rec, "member_id"), "member_id", line, problems);
    auto customer = code_field(h.get(rec, "customer_code"), "customer_code", 0, line, problems);
    std::optional<std::string> nid = std::string();
    if (!h.get(rec, "national_id").empty()) nid = code_field(h.get(rec, "national_id"), "national_id", 12, line, problems);
    auto name = name_field(h.get(rec, "borrower_name"), line, problems);
    auto programme = code_field(h.get(rec, "programme"), "programme", 2, line, problems);
    auto disbursed = date_field(h.get(rec, "disbursed_on"), "disbursed_on", line, problems);
    auto amount = amount_field(h.get(rec, "amount"), "amount", true, line, problems);
    auto maturity = date_field(h.get(rec, "maturity_on"), "maturity_on", line, problems);
    bool ok = loan && group && member && customer && nid && name && programme && disbursed && amount && maturity;
    if (disbursed && maturity && *maturity <= *disbursed) {
      problems.add(line, "maturity_on", fmt::format("{} is not after the disbursement on {}", *maturity, *disbursed));
      ok = false;
    }
    if (loan) {
      if (auto [it, fresh] = seen.emplace(*loan, line); !fresh) {
        problems.add(line, "loan_no", fmt::format("'{}' is also on line {}", *loan, it->second));
        ok = false;
      }
    }
    if (!ok) return;
    VbspLoanRow l;
    l.loan_no = *loan;
    l.group_code = *group;
    l.member_code = *member;
    l.customer_code = *customer;
    l.national_id = *nid;
    l.borrower_name = *name;
    l.programme = *programme;
    l.disbursed_on = *disbursed;
    l.amount = amount->minor_units();
    l.maturity_on = *maturity;
    rows.push_back({line, std::move(l)});
  });
  if (!header) return fail(header.error());
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.loan.disbursed_on, a.line) < std::tie(b.loan.disbursed_on, b.line);
  });

  Registry registry(ledger_);
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    // Groups: existing ones must be VBSP groups; unknown ones are created in `unit`.
    std::map<std::string, std::pair<std::int64_t, std::string>> groups;  // code → (id, unit)
    std::map<std::string, std::int64_t> members;                         // code → row id
    for (const auto& row : rows) {
      const auto& code = row.loan.group_code;
      if (groups.contains(code)) continue;
      auto g = registry.group(code);
      if (g) {
        if (g->kind != GroupKind::kVbsp) {
          problems.add(row.line, "group_code",
                       fmt::format("group '{}' is a {} group, not a VBSP group", code, to_string(g->kind)));
          groups[code] = {0, ""};
          continue;
        }
        groups[code] = {g->id, g->unit};
        continue;
      }
      if (options.unit.empty()) {
        problems.add(row.line, "group_code",
                     fmt::format("unknown group '{}': give --unit COMMUNE to create it as a VBSP group", code));
        groups[code] = {0, ""};
        continue;
      }
      GroupSpec spec;
      spec.code = code;
      spec.name = "Tổ TK&VV " + code;
      spec.kind = GroupKind::kVbsp;
      spec.unit = options.unit;
      spec.from = row.loan.disbursed_on;  // rows are by date: the group's first disbursement
      auto made = registry.add_group(spec);
      if (!made) {
        if (made.error().kind() != ErrorKind::kBadInput) return fail(made.error());
        problems.add_field_error(row.line, made.error().message(), "group_code", kRegistryColumns);
        groups[code] = {0, ""};
        continue;
      }
      ++summary.groups_created;
      groups[code] = {made->id, made->unit};
    }
    for (const auto& row : rows) {
      const auto& code = row.loan.member_code;
      if (members.contains(code)) continue;
      auto m = registry.member(code, row.loan.disbursed_on);
      if (m) {
        members[code] = m->row_id;
        continue;
      }
      const auto& g = groups[row.loan.group_code];
      if (g.first == 0) {
        members[code] = 0;
        continue;
      }
      MemberSpec spec;
      spec.id = code;
      spec.name = row.loan.borrower_name;
      spec.national_id = row.loan.national_id;
      spec.unit = g.second;
      spec.group = row.loan.group_code;
      spec.joined = row.loan.disbursed_on;
      auto made = registry.add_member(spec);
      if (!made) {
        if (made.error().kind() != ErrorKind::kBadInput) return fail(made.error());
        problems.add_field_error(row.line, made.error().message(), "member_id", kRegistryColumns);
        members[code] = 0;
        continue;
      }
      ++summary.members_created;
      members[code] = made->row_id;
    }
    const auto now = now_timestamp();
    for (const auto& row : rows) {
      auto l = row.loan;
      l.group_id = groups[l.group_code].first;
      l.member_id = members[l.member_code];
      if (auto old = store_->find_loan(l.loan_no)) {
        std::vector<std::string> diffs;
        if (old->group_code != l.group_code) diffs.push_back(fmt::format("group_code {}", old->group_code));
        if (old->member_code != l.member_code) diffs.push_back(fmt::format("member_id {}", old->member_code));
        if (old->customer_code != l.customer_code) diffs.push_back(fmt::format("customer_code {}", old->customer_code));
        if (old->national_id != l.national_id)
          diffs.push_back(fmt::format("national_id '{}'", old->national_id));
        if (old->borrower_name != l.borrower_name) diffs.push_back(fmt::format("borrower_name '{}'", old->borrower_name));
        if (old->programme != l.programme) diffs.push_back(fmt::format("programme {}", old->programme));
        if (old->disbursed_on != l.disbursed_on) diffs.push_back(fmt::format("disbursed_on {}", old->disbursed_on));
        if (old->amount != l.amount) diffs.push_back(fmt::format("amount {}", old->amount));
        if (old->maturity_on != l.maturity_on) diffs.push_back(fmt::format("maturity_on {}", old->maturity_on));
        if (diffs.empty()) {
          ++summary.existing;
        } else {
          std::string d;
          for (const auto& x : diffs) d += (d.empty() ? "" : ", ") + x;
          problems.add(row.line, "loan_no",
                       fmt::format("loan {} is already in the register with other content ({})", l.loan_no, d));
        }
        continue;
      }
      if (l.group_id == 0 || l.member_id == 0) continue;  // already reported
      EntryDraft e;
      e.book = std::string(charts::entrust::kBook);
      e.date = l.disbursed_on;
      e.memo = fmt::format("VBSP loan {} disbursed (group {}, member {})", l.loan_no, l.group_code, l.member_code);
      e.client_id = "vbsp:loan:" + l.loan_no;
      e.postings = {{std::string(charts::entrust::kVbspLoans), Money(l.amount)},
                    {std::string(charts::entrust::kContra), Money(-l.amount)}};
      auto posted = ledger_.post(e);
      if (!posted) {
        if (posted.error().kind() != ErrorKind::kBadInput) return fail(posted.error());
        problems.add(row.line, "loan_no", posted.error().message());
        continue;
      }
      l.entry_id = posted->entry.id;
      store_->insert_loan(l, now, ledger_.actor().id);
      ++summary.created;
    }
    if (!problems.empty()) return fail(problems.error());
    return {};
  });
  if (!r) return fail(r.error());
  return summary;
}

Result<VbspImportSummary> Vbsp::import_transactions(const std::string& path, const VbspImportOptions& options) {
  if (auto ok = ledger_.require_write(std::string(charts::entrust::kBook)); !ok) return fail(ok.error());
  const std::size_t length = loan_no_length(options);
  VbspImportSummary summary;
  Problems problems(path);
  struct Row {
    std::size_t line;
    Date date;
    std::string loan_no;
    VbspTxKind kind;
    Money amount;
    std::string receipt;
  };
  std::vector<Row> rows;
  std::map<std::string, std::size_t> seen;
  auto header =
      read_rows(path, transaction_columns(), problems, summary.rows, [&](const Columns& h, const CsvRecord& rec) {
        const auto line = rec.line;
        auto date = date_field(h.get(rec, "date"), "date", line, problems);
        auto loan = loan_field(h.get(rec, "loan_no"), length, line, problems);
        std::optional<VbspTxKind> kind;
        if (auto k = parse_vbsp_tx_kind(h.get(rec, "kind")); k)
          kind = *k;
        else
          problems.add(line, "kind", h.get(rec, "kind").empty() ? "empty" : k.error().message());
        auto amount = amount_field(h.get(rec, "amount"), "amount", true, line, problems);
        auto receipt = text_field(h.get(rec, "receipt_no"), "receipt_no", line, problems);
        if (receipt) {
          for (unsigned char c : *receipt)
            if (c < 0x20 || c == 0x7f) {
              problems.add(line, "receipt_no", "must not contain control characters");
              receipt.reset();
              break;
            }
        }
        if (receipt) {
          if (auto [it, fresh] = seen.emplace(*receipt, line); !fresh) {
            problems.add(line, "receipt_no", fmt::format("'{}' is also on line {}", *receipt, it->second));
            receipt.reset();
          }
        }
        if (!date || !loan || !kind || !amount || !receipt) return;
        rows.push_back({line, *date, *loan, *kind, *amount, *receipt});
      });
  if (!header) return fail(header.error());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return std::tie(a.date, a.line) < std::tie(b.date, b.line); });

  auto r = ledger_.in_transaction([&]() -> Result<void> {
    std::map<std::string, std::optional<VbspLoanRow>> loans;
    std::map<std::int64_t, Money> principal_paid;  // loan id → recorded + this file's so far
    // Savings movements of each member: (date, order, signed amount, line or 0 for recorded).
    struct Move {
      Date date;
      int order;  // ins before outs on one day
      Money amount;
      std::size_t line;
    };
    std::map<std::int64_t, std::vector<Move>> savings;
    std::set<std::int64_t> members_loaded;
    std::optional<std::multimap<std::int64_t, std::int64_t>> loans_of;  // member id → loan ids, loaded once
    auto load_member = [&](std::int64_t member_id) {
      if (!members_loaded.insert(member_id).second) return;
      if (!loans_of) {
        loans_of.emplace();
        for (const auto& [member, loan] : store_->loan_members()) loans_of->emplace(member, loan);
      }
      for (auto [it, end] = loans_of->equal_range(member_id); it != end; ++it)
        for (const auto& t : store_->transactions(it->second)) {
          if (t.kind == "savings-in") savings[member_id].push_back({t.paid_on, 0, Money(t.amount), 0});
          if (t.kind == "savings-out") savings[member_id].push_back({t.paid_on, 1, Money(-t.amount), 0});
        }
    };
    const auto now = now_timestamp();
    for (const auto& row : rows) {
      auto it = loans.find(row.loan_no);
      if (it == loans.end()) {
        it = loans.emplace(row.loan_no, store_->find_loan(row.loan_no)).first;
        if (it->second) {
          Money paid(0);
          for (const auto& t : store_->transactions(it->second->id))
            if (t.kind == "principal") paid += Money(t.amount);
          principal_paid[it->second->id] = paid;
        }
      }
      if (!it->second) {
        problems.add(row.line, "loan_no", fmt::format("loan {} is not in the register", row.loan_no));
        continue;
      }
      const auto& loan = *it->second;
      const std::string kind(to_string(row.kind));
      if (auto old = store_->find_transaction(row.receipt)) {
        if (old->loan_no == row.loan_no && old->paid_on == row.date && old->kind == kind &&
            old->amount == row.amount.minor_units())
          ++summary.existing;
        else
          problems.add(row.line, "receipt_no",
                       fmt::format("receipt '{}' is already recorded with other content (loan {}, {}, {} {})",
                                   row.receipt, old->loan_no, old->paid_on, old->kind, old->amount));
        continue;
      }
      if (row.date < loan.disbursed_on) {
        problems.add(row.line, "date",
                     fmt::format("{} is before loan {} was disbursed on {}", row.date, loan.loan_no, loan.disbursed_on));
        continue;
      }
      if (row.kind == VbspTxKind::kPrincipal) {
        auto& paid = principal_paid[loan.id];
        if (paid + row.amount > Money(loan.amount)) {
          problems.add(row.line, "amount",
                       fmt::format("principal paid on loan {} would reach {}, more than the loan's {}", loan.loan_no,
                                   paid + row.amount, loan.amount));
          continue;
        }
        paid += row.amount;
      }
      if (row.kind == VbspTxKind::kSavingsIn || row.kind == VbspTxKind::kSavingsOut) {
        load_member(loan.member_id);
        const bool out = row.kind == VbspTxKind::kSavingsOut;
        savings[loan.member_id].push_back({row.date, out ? 1 : 0, out ? -row.amount : row.amount, row.line});
      }
      std::optional<std::int64_t> entry_id;
      if (row.kind != VbspTxKind::kInterest) {
        EntryDraft e;
        e.book = std::string(charts::entrust::kBook);
        e.date = row.date;
        e.client_id = "vbsp:receipt:" + row.receipt;
        e.memo = fmt::format("VBSP loan {} {} (receipt {})", loan.loan_no, kind, row.receipt);
        const std::string loans_acc(charts::entrust::kVbspLoans), savings_acc(charts::entrust::kMemberSavings),
            contra(charts::entrust::kContra);
        switch (row.kind) {
          case VbspTxKind::kPrincipal: e.postings = {{contra, row.amount}, {loans_acc, -row.amount}}; break;
          case VbspTxKind::kSavingsIn: e.postings = {{savings_acc, row.amount}, {contra, -row.amount}}; break;
          default: e.postings = {{contra, row.amount}, {savings_acc, -row.amount}}; break;
        }
        auto posted = ledger_.post(e);
        if (!posted) {
          if (posted.error().kind() != ErrorKind::kBadInput) return fail(posted.error());
          problems.add(row.line, "receipt_no", posted.error().message());
          continue;
        }
        entry_id = posted->entry.id;
      }
      VbspTransactionRow t;
      t.receipt_no = row.receipt;
      t.loan_id = loan.id;
      t.paid_on = row.date;
      t.kind = kind;
      t.amount = row.amount.minor_units();
      t.entry_id = entry_id;
      store_->insert_transaction(t, now, ledger_.actor().id);
      ++summary.created;
    }
    // A member's savings never go below zero, in date order (ins before outs on one day).
    for (auto& [member, moves] : savings) {
      std::stable_sort(moves.begin(), moves.end(),
                       [](const Move& a, const Move& b) { return std::tie(a.date, a.order) < std::tie(b.date, b.order); });
      Money balance(0);
      for (const auto& m : moves) {
        balance += m.amount;
        if (balance.is_negative() && m.line != 0) {
          problems.add(m.line, "amount",
                       fmt::format("the member's savings would fall to {} on {}", balance, m.date));
          break;
        }
      }
    }
    if (!problems.empty()) return fail(problems.error());
    return {};
  });
  if (!r) return fail(r.error());
  return summary;
}

Result<VbspStatementSummary> Vbsp::import_statement(const std::string& path, Date from, Date as_of,
                                                    const VbspImportOptions& options) {
  if (auto ok = ledger_.require_write(std::string(charts::entrust::kBook)); !ok) return fail(ok.error());
  if (from > as_of)
    return fail(Error::bad_input(fmt::format("--from {} is after --as-of {}", from, as_of)));
  std::vector<std::pair<std::string, std::string>> extra;
  if (!options.map_path.empty()) {
    auto m = read_vbsp_map(options.map_path);
    if (!m) return fail(m.error());
    extra = std::move(*m);
  }
  auto file = read_vbsp_statement(path, loan_no_length(options), extra);
  if (!file) return fail(file.error());
  VbspStatementSummary s;
  s.period_from = from;
  s.as_of = as_of;
  s.rows = static_cast<std::int64_t>(file->rows.size());
  s.closed = std::count_if(file->rows.begin(), file->rows.end(), [](const auto& r) { return r.closed; });
  s.total_rows = file->total_rows;
  s.notes = file->notes;
  const auto hash = statement_hash(from, file->rows);
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto newest = store_->newest_statement(as_of);
    if (newest && newest->content_hash == hash) {
      s.version = newest->version;
      s.created = false;
      return {};
    }
    VbspStatementHead h;
    h.as_of = as_of;
    h.period_from = from;
    h.version = newest ? newest->version + 1 : 1;
    h.source = path;
    h.content_hash = hash;
    h.row_count = s.rows;
    h.recorded_at = now_timestamp();
    std::vector<VbspStatementRow> rows;
    rows.reserve(file->rows.size());
    for (const auto& row : file->rows) rows.push_back(to_store(row));
    store_->insert_statement(h, rows, ledger_.actor().id);
    s.version = h.version;
    s.created = true;
    return {};
  });
  if (!r) return fail(r.error());
  return s;
}

Result<std::vector<VbspLedgerLoan>> Vbsp::ledger_loans(Date period_from, Date as_of) {
  std::vector<VbspLedgerLoan> out;
  std::map<std::int64_t, std::size_t> by_id;
  std::map<std::int64_t, Money> member_savings;
  std::vector<std::int64_t> member_of;
  for (const auto& l : store_->loans()) {
    if (l.disbursed_on > as_of) continue;
    VbspLedgerLoan v;
    v.loan_no = l.loan_no;
    v.group_code = l.group_code;
    v.member = l.member_code;
    v.customer_code = l.customer_code;
    v.borrower_name = l.borrower_name;
    v.programme = l.programme;
    v.disbursed_on = l.disbursed_on;
    v.maturity_on = l.maturity_on;
    v.amount = Money(l.amount);
    v.principal_outstanding = Money(l.amount);
    by_id[l.id] = out.size();
    member_of.push_back(l.member_id);
    out.push_back(std::move(v));
  }
  // Savings belong to the member: sum over every loan of hers (also loans not yet disbursed
  // by as_of cannot have transactions before as_of, so only listed loans count).
  std::map<std::int64_t, std::int64_t> loan_member;
  for (const auto& [id, i] : by_id) loan_member[id] = member_of[i];
  for (const auto& t : store_->all_transactions(as_of)) {
    auto it = by_id.find(t.loan_id);
    if (it == by_id.end()) continue;
    auto& v = out[it->second];
    const Money amount(t.amount);
    if (t.kind == "principal") v.principal_outstanding -= amount;
    if (t.kind == "interest" && t.paid_on >= period_from) v.interest_collected += amount;
    if (t.kind == "savings-in") member_savings[loan_member[t.loan_id]] += amount;
    if (t.kind == "savings-out") member_savings[loan_member[t.loan_id]] -= amount;
  }
  for (std::size_t i = 0; i < out.size(); ++i) out[i].savings_balance = member_savings[member_of[i]];
  return out;
}

Result<std::pair<VbspStatementSummary, std::vector<VbspBankRow>>> Vbsp::statement(Date as_of) {
  auto head = store_->newest_statement(as_of);
  if (!head) {
    std::string dates;
    std::set<Date> seen;
    for (const auto& h : store_->statements())
      if (seen.insert(h.as_of).second) dates += (dates.empty() ? "" : ", ") + h.as_of.to_iso();
    return fail(Error::bad_input(fmt::format("there is no VBSP statement as of {} (imported: {})", as_of,
                                             dates.empty() ? std::string("none") : dates)));
  }
  VbspStatementSummary s;
  s.period_from = head->period_from;
  s.as_of = head->as_of;
  s.version = head->version;
  s.rows = head->row_count;
  std::vector<VbspBankRow> rows;
  for (const auto& r : store_->statement_rows(head->id)) {
    rows.push_back(from_store(r));
    if (rows.back().closed) ++s.closed;
  }
  return std::pair{s, std::move(rows)};
}

Result<std::vector<Date>> Vbsp::statement_dates() {
  std::vector<Date> dates;
  for (const auto& h : store_->statements())
    if (dates.empty() || dates.back() != h.as_of) dates.push_back(h.as_of);  // ordered by as_of
  return dates;
}

// The same result as reconcile_vbsp(ledger_loans(…), statement(…).second, …), without holding
// the register or the statement in memory: both are read by loan number and merged, one loan
// at a time; only the transactions' sums per loan and the loans with an issue are kept.
Result<VbspReconciliation> Vbsp::reconcile(Date as_of, const std::string& group) {
  auto head = store_->newest_statement(as_of);
  if (!head) return fail(statement(as_of).error());  // the message naming the dates imported
  VbspReconciliation out;
  out.as_of = as_of;
  out.period_from = head->period_from;
  out.group = group;
  out.statement_version = head->version;
  // Sums per loan, and savings per member over all her loans (as ledger_loans computes them).
  std::unordered_map<std::int64_t, VbspLoanSums> sums;
  std::unordered_map<std::int64_t, Money> member_savings;
  for (const auto& t : store_->transaction_sums(head->period_from, as_of)) {
    member_savings[t.member_id] += Money(t.savings);
    sums.emplace(t.loan_id, t);
  }
  auto loans = store_->read_loans(as_of);
  auto rows = store_->read_statement_rows(head->id);
  VbspLoanRow lrow;
  VbspStatementRow srow;
  VbspLedgerLoan l;
  VbspBankRow b;
  NameMatcher names;
  std::vector<std::pair<std::size_t, std::int64_t>> item_members;  // item with a ledger side → member row id
  bool has_l = loans->next(lrow), has_b = rows->next(srow);
  while (has_l || has_b) {
    const int order = !has_l ? 1 : !has_b ? -1 : lrow.loan_no.compare(srow.loan_no);
    if (order <= 0) {
      l.loan_no = lrow.loan_no;
      l.group_code = lrow.group_code;
      l.member.clear();  // filled below for the loans listed
      l.customer_code = lrow.customer_code;
      l.borrower_name = lrow.borrower_name;
      l.programme = lrow.programme;
      l.disbursed_on = lrow.disbursed_on;
      l.maturity_on = lrow.maturity_on;
      l.amount = Money(lrow.amount);
      l.principal_outstanding = l.amount;
      l.interest_collected = Money(0);
      if (auto it = sums.find(lrow.id); it != sums.end()) {
        l.principal_outstanding -= Money(it->second.principal);
        l.interest_collected = Money(it->second.interest);
      }
      auto m = member_savings.find(lrow.member_id);
      l.savings_balance = m == member_savings.end() ? Money(0) : m->second;
    }
    if (order >= 0) b = from_store(srow);
    const auto kept = out.items.size();
    reconcile_loan(order <= 0 ? &l : nullptr, order >= 0 ? &b : nullptr, out, names);
    if (out.items.size() > kept && order <= 0) item_members.emplace_back(kept, lrow.member_id);
    if (order <= 0) has_l = loans->next(lrow);
    if (order >= 0) has_b = rows->next(srow);
  }
  // The member's code, read only for the loans listed (a join would cost a seek per loan).
  for (const auto& [item, member] : item_members) out.items[item].ledger->member = store_->member_code(member);
  return out;
}

Result<VbspOverdue> Vbsp::overdue(Date as_of, Date compare_to, VbspOverdueBy by) {
  if (compare_to >= as_of)
    return fail(Error::usage(fmt::format("--compare-to {} must be before --as-of {}", compare_to, as_of)));
  auto now = statement(as_of);
  if (!now) return fail(now.error());
  auto before = statement(compare_to);
  if (!before) return fail(before.error());
  return compare_vbsp_overdue(now->second, before->second, as_of, compare_to, by);
}

Result<VbspSessionCheck> Vbsp::session_check(const std::string& group, Date date, Money cash_paid_in,
                                             std::optional<Date> from) {
  if (cash_paid_in.is_negative())
    return fail(Error::bad_input(fmt::format("--cash-paid-in: {} cannot be negative", cash_paid_in)));
  Registry registry(ledger_);
  auto g = registry.group(group);
  if (!g) return fail(g.error());
  VbspSessionCheck out;
  out.group = group;
  out.group_name = g->name;
  out.commune = g->unit;
  if (auto u = registry.unit(g->unit, date)) out.commune_name = u->name;
  if (!g->leader.empty())
    if (auto m = registry.member(g->leader, date)) out.leader = m->name;
  out.date = date;
  out.from = from ? *from : *Date::from_ymd(date.year(), date.month(), 1);
  if (out.from > date)
    return fail(Error::bad_input(fmt::format("--from {} is after --date {}", out.from, date)));
  out.cash_paid_in = cash_paid_in;
  std::map<std::int64_t, VbspLoanRow> loans;
  for (auto& l : store_->loans())
    if (l.group_code == group) loans.emplace(l.id, std::move(l));
  std::map<std::string, VbspSessionLine> lines;
  for (const auto& t : store_->all_transactions(date)) {
    auto it = loans.find(t.loan_id);
    if (it == loans.end() || t.paid_on < out.from) continue;
    if (t.kind != "interest" && t.kind != "savings-in" && t.kind != "savings-out") continue;
    auto& line = lines[t.loan_no];
    line.loan_no = t.loan_no;
    line.member = it->second.member_code;
    line.borrower_name = it->second.borrower_name;
    if (t.kind == "savings-out") {
      line.savings_out += Money(t.amount);
      out.savings_out += Money(t.amount);
      continue;
    }
    (t.kind == "interest" ? line.interest : line.savings) += Money(t.amount);
    (t.kind == "interest" ? out.interest : out.savings) += Money(t.amount);
  }
  for (auto& [no, l] : lines) out.lines.push_back(std::move(l));
  out.receipts = out.interest + out.savings;
  out.gap = out.receipts - out.cash_paid_in;
  return out;
}

Result<VbspForm15> Vbsp::form_15td(const std::string& group, Date as_of) {
  Registry registry(ledger_);
  auto g = registry.group(group);
  if (!g) return fail(g.error());
  auto st = statement(as_of);
  if (!st) return fail(st.error());
  auto mine = ledger_loans(st->first.period_from, as_of);
  if (!mine) return fail(mine.error());
  VbspForm15 out;
  out.group = group;
  out.group_name = g->name;
  out.commune = g->unit;
  if (auto u = registry.unit(g->unit, as_of)) out.commune_name = u->name;
  if (!g->leader.empty())
    if (auto m = registry.member(g->leader, as_of)) out.leader = m->name;
  out.as_of = as_of;
  std::map<std::string, VbspFormLine> lines;
  std::set<std::string> closed;  // CLOSE at the bank
  for (const auto& l : *mine) {
    if (l.group_code != group) continue;
    auto& f = lines[l.loan_no];
    f.loan_no = l.loan_no;
    f.member = l.member;
    f.borrower_name = l.borrower_name;
    f.programme = l.programme;
    f.union_principal = l.principal_outstanding;
    f.union_savings = l.savings_balance;
    f.union_interest_collected = l.interest_collected;
  }
  for (const auto& b : st->second) {
    if (b.group_code != group) continue;
    auto& f = lines[b.loan_no];
    f.loan_no = b.loan_no;
    if (f.borrower_name.empty()) f.borrower_name = b.borrower_name;
    if (f.programme.empty()) f.programme = b.programme;
    f.bank_principal = b.closed ? Money(0) : b.principal_outstanding;
    f.bank_interest_unpaid = b.interest_unpaid;
    f.bank_savings = b.savings_balance;
    f.bank_interest_collected = b.interest_collected;
    if (b.closed) closed.insert(b.loan_no);
  }
  for (auto& [no, f] : lines) {
    // The reconciliation's rule: repaid and absent or CLOSE there, or CLOSE and unknown here → left out.
    const bool repaid_here = f.union_principal && f.union_principal->is_zero();
    const bool closed_row = closed.contains(no);
    if ((repaid_here && (!f.bank_principal || closed_row)) || (!f.union_principal && closed_row)) continue;
    const Money bp = f.bank_principal.value_or(Money(0)), up = f.union_principal.value_or(Money(0));
    const Money bs = f.bank_savings.value_or(Money(0)), us = f.union_savings.value_or(Money(0));
    f.principal_difference = bp - up;
    f.savings_difference = bs - us;
    out.bank_principal += bp;
    out.union_principal += up;
    out.bank_savings += bs;
    out.union_savings += us;
    out.bank_interest_unpaid += f.bank_interest_unpaid.value_or(Money(0));
    out.principal_difference += f.principal_difference;
    out.savings_difference += f.savings_difference;
    out.bank_interest_collected += f.bank_interest_collected;
    out.union_interest_collected += f.union_interest_collected;
    if (!f.principal_difference.is_zero() || !f.savings_difference.is_zero() || !f.bank_principal ||
        !f.union_principal)
      ++out.loans_with_difference;
    out.lines.push_back(std::move(f));
  }
  return out;
}

}  // namespace soquy
