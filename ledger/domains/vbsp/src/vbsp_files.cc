// VBSP import files: the column specs and header matching, the field parsers, and the readers of
// the register, transactions, statement and column-map files (vbsp.h, vbsp_internal.h).
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include <fmt/format.h>

#include "soquy/csv_reader.h"
#include "soquy/i18n.h"
#include "soquy/names.h"
#include "soquy/xlsx_reader.h"
#include "vbsp_internal.h"

namespace soquy {
namespace vbsp_detail {
namespace {

constexpr std::size_t kHeaderSearchRows = 15;

// "1234.0", "1234.00" → "1234"; anything else unchanged.
std::string_view drop_zero_fraction(std::string_view s) {
  auto dot = s.find('.');
  if (dot == std::string_view::npos || dot == 0) return s;
  auto frac = s.substr(dot + 1);
  if (frac.empty() || !std::all_of(frac.begin(), frac.end(), [](char c) { return c == '0'; })) return s;
  return s.substr(0, dot);
}

}  // namespace

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

std::string header_key(std::string_view name) {
  std::string s(trim(name));
  for (auto& c : s)
    if (c == '_' || c == '-') c = ' ';
  auto k = name_match_key(s);
  return k ? *k : std::string();
}

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

namespace {

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

// Every column with its Vietnamese names: "loan_no (Số khế ước, Mã món vay); …".
std::string expected_columns(const std::vector<ColumnSpec>& spec) {
  std::string out;
  for (const auto& c : spec) {
    if (c.name.starts_with("interest_unpaid_")) continue;
    std::string names;
    for (const auto& a : c.aliases) names += (names.empty() ? "" : ", ") + a;
    out += (out.empty() ? "" : "; ") + (names.empty() ? c.name : fmt::format("{} ({})", c.name, names));
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
      if (ignore_unknown || trim(rec.fields[i]).empty() || is_ignored_column(rec.fields[i])) continue;
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{}:{}: header: unknown column '{}'; accepted columns: {}")),
                                               path, rec.line, std::string(trim(rec.fields[i])),
                                               expected_columns(spec))));
    }
    if (auto it = written.find(*canonical); it != written.end())
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{}:{}: header: column '{}' appears twice (as '{}' and '{}')")),
                                               path, rec.line, *canonical, it->second,
                                               std::string(trim(rec.fields[i])))));
    written[*canonical] = std::string(trim(rec.fields[i]));
    out.cols_.emplace_back(*canonical, static_cast<int>(i));
  }
  for (const auto& c : spec) {
    if (c.required && out.index(c.name) < 0) {
      std::string also;
      if (!c.aliases.empty()) also = fmt::format(fmt::runtime(tr(" (or '{}')")), c.aliases.front());
      return fail(Error::bad_input(
          fmt::format(fmt::runtime(tr("{}:{}: header: there is no column '{}'{}; accepted columns: {}")), path,
                      rec.line, c.name, also, expected_columns(spec))));
    }
  }
  return out;
}

}  // namespace

// --- field parsing ----------------------------------------------------------------------------

std::optional<Date> date_field(std::string_view text, std::string_view column, std::size_t line,
                               ImportProblems& p) {
  if (text.empty()) {
    p.add(line, column, tr("empty"));
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
                                  ImportProblems& p, std::optional<Money> empty_value) {
  if (text.empty()) {
    if (empty_value) return empty_value;
    p.add(line, column, tr("empty"));
    return std::nullopt;
  }
  auto m = parse_bank_amount(text);
  if (!m) {
    p.add(line, column, m.error().message());
    return std::nullopt;
  }
  if (positive && m->minor_units() <= 0) {
    p.add(line, column, fmt::format(fmt::runtime(tr("{} must be positive")), m->minor_units()));
    return std::nullopt;
  }
  if (m->is_negative()) {
    p.add(line, column, fmt::format(fmt::runtime(tr("{} cannot be negative")), m->minor_units()));
    return std::nullopt;
  }
  return *m;
}

std::optional<std::string> text_field(std::string_view text, std::string_view column, std::size_t line,
                                      ImportProblems& p) {
  if (text.empty()) {
    p.add(line, column, tr("empty"));
    return std::nullopt;
  }
  return std::string(text);
}

std::optional<std::string> code_field(std::string_view text, std::string_view column, std::size_t width,
                                      std::size_t line, ImportProblems& p) {
  auto c = restore_code(text, width);
  if (!c) {
    p.add(line, column, c.error().message());
    return std::nullopt;
  }
  return *c;
}

std::optional<std::string> loan_field(std::string_view text, std::size_t length, std::size_t line,
                                      ImportProblems& p) {
  auto c = check_loan_no(text, length);
  if (!c) {
    p.add(line, "loan_no", c.error().message());
    return std::nullopt;
  }
  return *c;
}

std::optional<std::string> name_field(std::string_view text, std::size_t line, ImportProblems& p) {
  if (text.empty()) {
    p.add(line, "borrower_name", tr("empty"));
    return std::nullopt;
  }
  auto n = normalize_name(text);
  if (!n) {
    p.add(line, "borrower_name", n.error().message());
    return std::nullopt;
  }
  return *n;
}

// The identifier columns of every VBSP file (loan numbers, customer codes, national ids), for
// an IdentifierCheck over the whole file.
IdentifierCheck identifier_check(const Columns& h) {
  std::vector<std::pair<std::string, int>> columns;
  for (const char* column : {"loan_no", "customer_code", "national_id"})
    if (h.index(column) >= 0) columns.emplace_back(column, h.index(column));
  return IdentifierCheck(std::move(columns));
}

// A value Excel certainly rounded (check_identifier) is a problem of its row, which is then not
// read; the others go to `ids`, which judges the long codes that end in 0 once the file is read.
bool identifiers_ok(const Columns& h, const CsvRecord& rec, ImportProblems& problems, IdentifierCheck& ids) {
  for (const char* column : {"loan_no", "customer_code", "national_id"}) {
    const int i = h.index(column);
    if (i < 0 || static_cast<std::size_t>(i) >= rec.fields.size()) continue;
    const auto at = static_cast<std::size_t>(i);
    auto ok = check_identifier(trim(rec.fields[at]), at < rec.numeric.size() && rec.numeric[at]);
    if (!ok) {
      problems.add(rec.line, column, ok.error().message());
      return false;
    }
  }
  ids.add(rec);
  return true;
}

void add_rounded(const IdentifierCheck& ids, ImportProblems& problems) {
  for (const auto& p : ids.problems()) problems.add(p.line, p.column, p.message);
}

namespace {

bool blank_record(const CsvRecord& rec) {
  return std::all_of(rec.fields.begin(), rec.fields.end(), [](const auto& f) { return trim(f).empty(); });
}

}  // namespace

// Reads a canonical file (header on the first record), handing each data record to `on_row`.
Result<Columns> read_rows(const std::string& path, const CsvReadOptions& read_options,
                          const std::vector<ColumnSpec>& spec, ImportProblems& problems, std::int64_t& rows,
                          const std::function<void(const Columns&, const CsvRecord&)>& on_row) {
  static std::map<const void*, KeyTable> tables;
  auto& keys = tables.try_emplace(&spec, key_table(spec)).first->second;
  std::optional<Columns> header;
  std::optional<IdentifierCheck> ids;
  auto read = read_table_file(path, read_options, [&](CsvRecord& rec) -> Result<void> {
    if (!header) {
      auto h = map_header(rec, spec, keys, false, path);
      if (!h) return fail(h.error());
      header = std::move(*h);
      ids.emplace(identifier_check(*header));
      return {};
    }
    if (blank_record(rec)) return {};
    ++rows;
    if (rec.fields.size() != header->width) {
      problems.add(rec.line, "row",
                   fmt::format(fmt::runtime(tr("has {} fields but the header has {} columns")), rec.fields.size(), header->width));
      return {};
    }
    if (!identifiers_ok(*header, rec, problems, *ids)) return {};
    on_row(*header, rec);
    return {};
  });
  if (!read) return fail(read.error());
  if (ids) add_rounded(*ids, problems);
  if (!header)
    return fail(Error::bad_input(
        fmt::format(fmt::runtime(tr("{}: the file is empty (expected the header {})")), path, expected_columns(spec))));
  return *header;
}

}  // namespace vbsp_detail

using namespace vbsp_detail;

// --- pure helpers -----------------------------------------------------------------------------

Result<std::string> restore_code(std::string_view text, std::size_t width) {
  auto s = trim(text);
  if (!s.empty() && s.front() == '\'') s = trim(s.substr(1));
  if (s.empty()) return fail(Error::bad_input(tr("empty")));
  auto digits = drop_zero_fraction(s);
  if (!all_digits(digits)) return std::string(s);
  if (width == 0 || digits.size() == width) return std::string(digits);
  if (digits.size() > width)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' has {} digits; this code has {}")), std::string(s), digits.size(), width)));
  return std::string(width - digits.size(), '0') + std::string(digits);
}

Result<std::string> check_loan_no(std::string_view text, std::size_t length) {
  auto s = trim(text);
  if (!s.empty() && s.front() == '\'') s = trim(s.substr(1));
  if (s.empty()) return fail(Error::bad_input(tr("empty")));
  if (s.find_first_of("eE") != std::string_view::npos && s.find_first_not_of("0123456789.,eE+-") == std::string_view::npos)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' was written as a number by a spreadsheet and lost its digits; "
                                             "export the loan number as text")),
                                             std::string(s))));
  if (!all_digits(s))
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' is not a loan number: it must be {} digits")), std::string(s), length)));
  if (s.size() != length)
    return fail(Error::bad_input(
        fmt::format(fmt::runtime(tr("'{}' has {} digits; a loan number has {}")), std::string(s), s.size(), length)));
  return std::string(s);
}

Result<Money> parse_bank_amount(std::string_view text) { return parse_money(drop_zero_fraction(trim(text))); }

// English as the CLI writes it, or Vietnamese as the receipts do (any letter case).
Result<VbspTxKind> parse_vbsp_tx_kind(std::string_view text) {
  static const std::vector<std::pair<std::string, VbspTxKind>> kNames = {
      {"principal", VbspTxKind::kPrincipal},   {"gốc", VbspTxKind::kPrincipal},
      {"trả gốc", VbspTxKind::kPrincipal},     {"thu gốc", VbspTxKind::kPrincipal},
      {"interest", VbspTxKind::kInterest},     {"lãi", VbspTxKind::kInterest},
      {"trả lãi", VbspTxKind::kInterest},      {"thu lãi", VbspTxKind::kInterest},
      {"savings-in", VbspTxKind::kSavingsIn},  {"tiết kiệm", VbspTxKind::kSavingsIn},
      {"gửi tiết kiệm", VbspTxKind::kSavingsIn}, {"savings-out", VbspTxKind::kSavingsOut},
      {"rút tiết kiệm", VbspTxKind::kSavingsOut},
  };
  const std::string s = fold_for_matching(text);
  for (const auto& [name, kind] : kNames)
    if (s == name) return kind;
  return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' is not a kind of collection: principal (gốc), "
                                                          "interest (lãi), savings-in (tiết kiệm, gửi tiết kiệm) or "
                                                          "savings-out (rút tiết kiệm)")),
                                           std::string(text))));
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

// --- statement reading ------------------------------------------------------------------------

Result<std::vector<std::pair<std::string, std::string>>> read_vbsp_map(const std::string& path,
                                                                      const CsvReadOptions& read_options) {
  std::vector<std::pair<std::string, std::string>> out;
  std::optional<Columns> header;
  static const std::vector<ColumnSpec> kMapColumns = {{"column", true, {}}, {"header", true, {}}};
  static const KeyTable kMapKeys = key_table(kMapColumns);
  ImportProblems problems(path);
  auto read = read_csv_file(path, read_options, [&](CsvRecord& rec) -> Result<void> {
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
                   fmt::format(fmt::runtime(tr("'{}' is not a statement column (expected one of {},interest_unpaid_current,"
                               "interest_unpaid_overdue)")),
                               column, expected_columns(spec)));
      return {};
    }
    if (header_key(name).empty()) {
      problems.add(rec.line, "header", tr("empty"));
      return {};
    }
    out.emplace_back(name, column);
    return {};
  });
  if (!read) return fail(read.error());
  if (!header) return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{}: the file is empty (expected the header column,header)")), path)));
  if (!problems.empty()) return fail(problems.error());
  return out;
}

namespace {

// The amount columns of a statement row, in the order VbspBankRow holds them.
constexpr const char* kAmountCols[] = {"principal_outstanding", "principal_overdue", "principal_frozen",
                                       "interest_collected",    "interest_unpaid",   "savings_balance"};

Money amount_of(const VbspBankRow& r, int i) {
  switch (i) {
    case 0: return r.principal_outstanding;
    case 1: return r.principal_overdue;
    case 2: return r.principal_frozen;
    case 3: return r.interest_collected;
    case 4: return r.interest_unpaid;
    default: return r.savings_balance;
  }
}

// Reads a bank statement (read_vbsp_statement): finds the header among the first rows, skips
// repeated headers and subtitles, checks each "Tổng cộng" row against the rows above it.
class StatementReader {
 public:
  StatementReader(const std::string& path, std::size_t loan_no_length,
                  const std::vector<std::pair<std::string, std::string>>& extra, const CsvReadOptions& read_options)
      : path_(path),
        loan_no_length_(loan_no_length),
        read_options_(read_options),
        keys_(key_table(statement_columns())),
        problems_(path) {
    for (const auto& [name, column] : extra) keys_.emplace_back(header_key(name), column);
    for (const auto& [k, c] : keys_)
      if (c == "loan_no") loan_keys_.insert(k);
  }

  Result<VbspStatementFile> read() {
    auto read = read_table_file(path_, read_options_, [&](CsvRecord& rec) { return on_record(rec); });
    if (!read) return fail(read.error());
    if (ids_) add_rounded(*ids_, problems_);
    if (!header_)
      return fail(Error::bad_input(
          fmt::format(fmt::runtime(tr("{}: no header naming the loan number (loan_no, Số khế ước or Mã món vay) in the first {} rows")),
                      path_, kHeaderSearchRows)));
    if (!problems_.empty()) return fail(problems_.error());
    return std::move(out_);
  }

 private:
  Result<void> on_record(const CsvRecord& rec) {
    if (!header_) return find_header(rec);
    if (blank_record(rec)) return {};
    const auto& h = *header_;
    auto loan_text = h.get(rec, "loan_no");
    // A repeated header (page break).
    if (!loan_text.empty() && !all_digits(loan_text) && loan_keys_.contains(header_key(loan_text))) return {};
    if (!all_digits(loan_text) && !(loan_text.starts_with("'")) && is_total_row(rec)) {
      check_total_row(rec);
      return {};
    }
    if (loan_text.empty() && h.get(rec, "customer_code").empty()) {
      // a subtitle (a group's name above its loans): no loan, no customer
      out_.notes.push_back(
          fmt::format(fmt::runtime(tr("{}:{}: a row without loan number or customer code was skipped")), path_, rec.line));
      return {};
    }
    read_loan_row(rec, loan_text);
    return {};
  }

  // The header is the first row naming the loan number, within kHeaderSearchRows rows.
  Result<void> find_header(const CsvRecord& rec) {
    ++seen_;
    bool names_loan = std::any_of(rec.fields.begin(), rec.fields.end(), [&](const std::string& f) {
      auto k = header_key(f);
      return loan_keys_.contains(k);
    });
    if (names_loan) {
      auto h = map_header(rec, statement_columns(), keys_, true, path_);
      if (!h) return fail(h.error());
      if (h->index("interest_unpaid") < 0 && h->index("interest_unpaid_current") < 0 &&
          h->index("interest_unpaid_overdue") < 0)
        return fail(Error::bad_input(fmt::format(
            fmt::runtime(tr("{}:{}: header: there is no column 'interest_unpaid' (or 'Lãi tồn TH' and 'Lãi tồn QH')")),
            path_, rec.line)));
      header_ = std::move(*h);
      ids_.emplace(identifier_check(*header_));
      return {};
    }
    if (seen_ >= kHeaderSearchRows)
      return fail(Error::bad_input(fmt::format(
          fmt::runtime(tr("{}: no header naming the loan number (loan_no, Số khế ước or Mã món vay) in the first {} rows")), path_,
          kHeaderSearchRows)));
    return {};
  }

  bool is_total_row(const CsvRecord& rec) const {
    static const std::string total_key = header_key("Tổng cộng");
    for (const auto& f : rec.fields) {
      auto t = trim(f);
      if (t.empty() || t.size() > 40 || all_digits(t)) continue;
      if (header_key(t).starts_with(total_key)) return true;
    }
    return false;
  }

  // interest_unpaid from its two parts (Lãi tồn TH + Lãi tồn QH), each empty as 0.
  std::optional<Money> interest_unpaid_parts(const CsvRecord& rec) {
    const auto& h = *header_;
    auto a = amount_field(h.get(rec, "interest_unpaid_current"), "interest_unpaid", false, rec.line, problems_,
                          Money(0));
    auto b = amount_field(h.get(rec, "interest_unpaid_overdue"), "interest_unpaid", false, rec.line, problems_,
                          Money(0));
    if (!a || !b) return std::nullopt;
    return *a + *b;
  }

  // The figures of a total row: empty cells and absent columns are not checked. `bad`: one
  // could not be read (reported); `any`: one is not zero.
  std::array<std::optional<Money>, 6> total_figures(const CsvRecord& rec, bool& any, bool& bad) {
    const auto& h = *header_;
    std::array<std::optional<Money>, 6> total{};
    for (int i = 0; i < 6; ++i) {
      std::string_view text;
      if (i == 4) {
        // interest_unpaid: its own column, or the two parts summed
        if (h.index("interest_unpaid") >= 0) {
          text = h.get(rec, "interest_unpaid");
        } else {
          total[4] = interest_unpaid_parts(rec);
          if (!total[4]) {
            bad = true;
            continue;
          }
          any = any || !total[4]->is_zero();
          continue;
        }
      } else {
        if (h.index(kAmountCols[i]) < 0) continue;
        text = h.get(rec, kAmountCols[i]);
      }
      if (text.empty()) continue;
      auto m = amount_field(text, kAmountCols[i], false, rec.line, problems_);
      if (!m) {
        bad = true;
        continue;
      }
      total[static_cast<std::size_t>(i)] = *m;
      any = any || !m->is_zero();
    }
    return total;
  }

  // A "Tổng cộng" row: its figures must be the sums of the loan rows since the previous one.
  void check_total_row(const CsvRecord& rec) {
    ++out_.total_rows;
    bool any = false, bad = false;
    const auto total = total_figures(rec, any, bad);
    if (bad_since_total_) {
      // the rows above have problems of their own (reported): the sums would mislead
    } else if (!bad && !any) {
      out_.notes.push_back(fmt::format(fmt::runtime(tr("{}:{}: the total row holds no figures (formulas saved without "
                                                       "values): not checked")),
                                       path_, rec.line));
    } else if (!bad) {
      for (int i = 0; i < 6; ++i) {
        const auto& t = total[static_cast<std::size_t>(i)];
        if (t && *t != running_[static_cast<std::size_t>(i)])
          problems_.add(rec.line, kAmountCols[i],
                        fmt::format(fmt::runtime(tr("the total row says {} but the rows above sum to {}")), *t,
                                    running_[static_cast<std::size_t>(i)]));
      }
    }
    running_ = {};
    bad_since_total_ = false;
  }

  // The optional columns of a loan row that are there and not empty; false if one is wrong.
  bool read_optional_fields(const CsvRecord& rec, VbspBankRow& row) {
    const auto& h = *header_;
    bool ok = true;
    if (h.index("programme") >= 0 && !h.get(rec, "programme").empty()) {
      auto p = code_field(h.get(rec, "programme"), "programme", 2, rec.line, problems_);
      ok = ok && p;
      if (p) row.programme = *p;
    }
    if (h.index("commune_code") >= 0 && !h.get(rec, "commune_code").empty()) {
      auto c = code_field(h.get(rec, "commune_code"), "commune_code", kVbspCommuneCodeWidth, rec.line, problems_);
      ok = ok && c;
      if (c) row.commune_code = *c;
    }
    if (h.index("office_code") >= 0 && !h.get(rec, "office_code").empty()) {
      auto c = code_field(h.get(rec, "office_code"), "office_code", kVbspOfficeCodeWidth, rec.line, problems_);
      ok = ok && c;
      if (c) row.office_code = *c;
    }
    if (h.index("disbursed_on") >= 0 && !h.get(rec, "disbursed_on").empty()) {
      auto d = date_field(h.get(rec, "disbursed_on"), "disbursed_on", rec.line, problems_);
      ok = ok && d;
      row.disbursed_on = d;
    }
    return ok;
  }

  // OPEN or CLOSE, in any case; false (reported) otherwise.
  bool read_status(const CsvRecord& rec, VbspBankRow& row) {
    auto status = header_->get(rec, "status");
    std::string st(status);
    for (auto& c : st) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (st == "OPEN" || st == "CLOSE") {
      row.closed = st == "CLOSE";
      return true;
    }
    problems_.add(rec.line, "status",
                  st.empty() ? std::string(tr("empty")) : fmt::format(fmt::runtime(tr("'{}' is not OPEN or CLOSE")), std::string(status)));
    return false;
  }

  void read_loan_row(const CsvRecord& rec, std::string_view loan_text) {
    const auto& h = *header_;
    if (!identifiers_ok(h, rec, problems_, *ids_)) return;
    VbspBankRow row;
    row.line = rec.line;
    auto loan = loan_field(loan_text, loan_no_length_, rec.line, problems_);
    auto group = code_field(h.get(rec, "group_code"), "group_code", kVbspGroupCodeWidth, rec.line, problems_);
    auto customer = code_field(h.get(rec, "customer_code"), "customer_code", 0, rec.line, problems_);
    auto name = name_field(h.get(rec, "borrower_name"), rec.line, problems_);
    bool ok = loan && group && customer && name;
    if (!read_optional_fields(rec, row)) ok = false;
    std::array<std::optional<Money>, 6> amounts{};
    for (int i = 0; i < 6; ++i) {
      if (i == 4 && h.index("interest_unpaid") < 0)
        amounts[4] = interest_unpaid_parts(rec);
      else
        amounts[static_cast<std::size_t>(i)] =
            amount_field(h.get(rec, kAmountCols[i]), kAmountCols[i], false, rec.line, problems_, Money(0));
      ok = ok && amounts[static_cast<std::size_t>(i)];
    }
    if (!read_status(rec, row)) ok = false;
    if (loan) {
      if (auto [it, fresh] = lines_.emplace(*loan, rec.line); !fresh) {
        problems_.add(rec.line, "loan_no", fmt::format(fmt::runtime(tr("'{}' is also on line {}")), *loan, it->second));
        ok = false;
      }
    }
    if (!ok) {
      bad_since_total_ = true;
      return;
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
    for (int i = 0; i < 6; ++i) running_[static_cast<std::size_t>(i)] += amount_of(row, i);
    out_.rows.push_back(std::move(row));
  }

  const std::string& path_;
  const std::size_t loan_no_length_;
  const CsvReadOptions read_options_;
  KeyTable keys_;
  std::set<std::string> loan_keys_;  // every name of the loan number
  ImportProblems problems_;
  VbspStatementFile out_;
  std::optional<Columns> header_;
  std::optional<IdentifierCheck> ids_;
  std::size_t seen_ = 0;                      // records read looking for the header
  std::map<std::string, std::size_t> lines_;  // loan_no → line
  std::array<Money, 6> running_{};            // sums since the previous total row
  bool bad_since_total_ = false;              // a bad row since then: its amounts cannot be summed
};

}  // namespace

Result<VbspStatementFile> read_vbsp_statement(const std::string& path, std::size_t loan_no_length,
                                              const std::vector<std::pair<std::string, std::string>>& extra,
                                              const CsvReadOptions& read) {
  return StatementReader(path, loan_no_length, extra, read).read();
}

}  // namespace soquy
