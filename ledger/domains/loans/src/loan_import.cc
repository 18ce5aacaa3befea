// `soquy import loans|repayments FILE.csv`: rows → LoanBook::disburse / LoanBook::repay, in one
// transaction (loan_import.h).
#include "soquy/i18n.h"
#include "soquy/loan_import.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "soquy/charts.h"
#include "soquy/csv_reader.h"
#include "soquy/import_problems.h"
#include "soquy/loan_files.h"
#include "soquy/loans.h"
#include "store.h"

namespace soquy {
namespace {

// English names are the long flags of `loan disburse` / `loan repay`; the Vietnamese ones are
// what the union's forms write (CsvHeader compares them case-folded).
const std::vector<std::pair<std::string, std::string>> kLoanAliases = {
    {"mã khoản vay", "loan"},   {"khoản vay", "loan"},      {"số khế ước", "loan"},   {"mã hội viên", "member"},
    {"hội viên", "member"},     {"sản phẩm", "product"},    {"mã sản phẩm", "product"}, {"số tiền", "amount"},
    {"số tiền vay", "amount"},  {"ngày", "date"},           {"ngày giải ngân", "date"}, {"tổ", "group"},
    {"mã tổ", "group"},         {"tổ vay vốn", "group"},    {"ghi chú", "memo"},      {"diễn giải", "memo"},
};
const std::vector<std::pair<std::string, std::string>> kRepaymentAliases = {
    {"mã khoản vay", "loan"},    {"khoản vay", "loan"},  {"số khế ước", "loan"},        {"số tiền", "amount"},
    {"số tiền trả", "amount"},   {"ngày", "date"},       {"ngày trả", "date"},          {"ngày thu", "date"},
    {"tiết kiệm", "savings"},    {"tiết kiệm bắt buộc", "savings"}, {"biên lai", "receipt"},
    {"số biên lai", "receipt"},  {"số phiếu thu", "receipt"}, {"trả trước", "prepay"},
    {"trả nợ trước hạn", "prepay"},
};

// A LoanBook error names its input (Error::field), and the files' columns carry the same names
// (amount, member, receipt, …): the field is the column. One about no single input goes to
// `default_column`.
void add_book_error(ImportProblems& problems, std::size_t line, const Error& e, std::string_view default_column) {
  if (e.field().empty()) {
    problems.add(line, default_column, e.message());
    return;
  }
  problems.add(line, e.field(), e.message());
}

// The header and the non-blank records of a file; rows whose field count differs from the
// header's, or with an identifier a spreadsheet rounded, are reported and dropped.
struct CsvFile {
  CsvHeader header;
  std::vector<CsvRecord> records;
};

// The columns of a file: required, optional, their Vietnamese names, and those that hold codes
// a spreadsheet may round (CsvHeader::check_identifiers).
struct FileColumns {
  std::vector<std::string> required, optional;
  const std::vector<std::pair<std::string, std::string>>& aliases;
  std::vector<std::string> identifiers;
};

Result<CsvFile> read_file(const std::string& path, const FileColumns& cols, const CsvReadOptions& read_options,
                          ImportProblems& problems, std::int64_t& rows) {
  std::optional<CsvHeader> header;
  std::optional<IdentifierCheck> ids;
  std::vector<CsvRecord> records;
  auto read = read_csv_file(path, read_options, [&](CsvRecord& rec) -> Result<void> {
    if (!header) {
      auto h = CsvHeader::from_record(rec, cols.required, cols.optional, cols.aliases);
      if (!h) return fail(h.error().with_context(path + ":"));
      header = std::move(*h);
      ids.emplace(header->positions(cols.identifiers));
      return {};
    }
    if (std::all_of(rec.fields.begin(), rec.fields.end(), [](const auto& f) { return f.empty(); })) return {};
    ++rows;
    if (rec.fields.size() != header->size()) {
      problems.add(rec.line, "row",
                   fmt::format(fmt::runtime(tr("has {} fields but the header has {} columns")), rec.fields.size(), header->size()));
      return {};
    }
    ids->add(rec);
    records.push_back(std::move(rec));
    return {};
  });
  if (!read) return fail(read.error());
  if (ids) {  // rows with an identifier Excel rounded are reported and dropped
    std::set<std::size_t> rounded;
    for (const auto& p : ids->problems()) {
      problems.add(p.line, p.column, p.message);
      rounded.insert(p.line);
    }
    std::erase_if(records, [&](const CsvRecord& r) { return rounded.contains(r.line); });
  }
  if (!header) {
    std::string expected;
    for (const auto& c : cols.required) expected += (expected.empty() ? "" : ",") + c;
    for (const auto& c : cols.optional) expected += "," + c;
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{}: the file is empty (expected the header {})")), path, expected)));
  }
  return CsvFile{std::move(*header), std::move(records)};
}

std::optional<Date> date_field(std::string_view text, std::size_t line, ImportProblems& problems) {
  if (text.empty()) {
    problems.add(line, "date", tr("empty"));
    return std::nullopt;
  }
  auto d = Date::parse_any(text);
  if (!d) {
    problems.add(line, "date", d.error().message());
    return std::nullopt;
  }
  return *d;
}

// An amount in whole đồng; `positive`: > 0, else ≥ 0. Empty: `empty_value` if given.
std::optional<Money> amount_field(std::string_view text, std::string_view column, bool positive, std::size_t line,
                                  ImportProblems& problems, std::optional<Money> empty_value = std::nullopt) {
  if (text.empty()) {
    if (empty_value) return empty_value;
    problems.add(line, column, tr("empty"));
    return std::nullopt;
  }
  auto m = parse_money(text);
  if (!m) {
    problems.add(line, column, m.error().message());
    return std::nullopt;
  }
  if (positive && m->minor_units() <= 0) {
    problems.add(line, column, fmt::format(fmt::runtime(tr("{} must be positive")), m->minor_units()));
    return std::nullopt;
  }
  if (!positive && m->minor_units() < 0) {
    problems.add(line, column, fmt::format(fmt::runtime(tr("{} cannot be negative")), m->minor_units()));
    return std::nullopt;
  }
  return *m;
}

bool required_text(std::string_view text, std::string_view column, std::size_t line, ImportProblems& problems) {
  if (!text.empty()) return true;
  problems.add(line, column, tr("empty"));
  return false;
}

template <class Row>
void by_date_then_line(std::vector<Row>& rows) {
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return std::tie(a.date, a.line) < std::tie(b.date, b.line); });
}

// Records every row in one transaction: record(row) returns whether it created something (else it
// was there already), and its kBadInput errors are problems of the row's line (under `column`
// when they name no field). Balances are applied once, at the end; when one would overflow, the
// rows are recorded again in a second transaction that applies them after each row, so the
// problem is reported at the row that causes it.
template <class Row, class Record>
Result<void> record_rows(Ledger& ledger, const std::vector<Row>& rows, std::string_view column,
                         const LoanImportOptions& options, ImportProblems& problems, LoanImportSummary& summary,
                         const Record& record) {
  for (bool each_row : {false, true}) {
    summary.created = summary.existing = 0;
    auto r = ledger.in_transaction([&]() -> Result<void> {
      std::int64_t done = 0;
      for (const auto& row : rows) {
        Result<bool> created = record(row);
        if (!created) {
          if (created.error().kind() != ErrorKind::kBadInput) return fail(created.error());
          add_book_error(problems, row.line, created.error(), column);
        } else {
          ++(*created ? summary.created : summary.existing);
          if (each_row)
            if (auto f = ledger.store().flush_balances(); !f) {
              add_book_error(problems, row.line, f.error(), "amount");
              return fail(problems.error());
            }
        }
        if (options.on_progress && ++done % options.progress_every == 0) options.on_progress(done, static_cast<std::int64_t>(rows.size()));
      }
      if (!problems.empty()) return fail(problems.error());
      return {};
    });
    // Only a failure of the final flush leaves no problem listed.
    if (r || !problems.empty() || r.error().kind() != ErrorKind::kBadInput) return r;
  }
  return fail(Error::internal("a balance overflowed at the end of an import and after no row"));
}

}  // namespace

std::string import_receipt(Date date, std::int64_t amount, std::int64_t savings, std::int64_t n) {
  return fmt::format("import:{}:{}:{}:{}", date, amount, savings, n);
}

Result<LoanImportSummary> import_loans(Ledger& ledger, const std::string& path, const LoanImportOptions& options) {
  if (auto ok = ledger.require_write(std::string(charts::fund::kBook)); !ok) return fail(ok.error());
  LoanImportSummary summary;
  ImportProblems problems(path);
  auto file = read_file(
      path, {{"loan", "member", "product", "amount", "date"}, {"group", "memo"}, kLoanAliases, {"loan", "member"}},
      options.read, problems, summary.rows);
  if (!file) return fail(file.error());
  struct Row {
    std::size_t line;
    Date date;
    DisburseRequest request;
  };
  std::vector<Row> rows;
  for (const auto& rec : file->records) {
    auto get = [&](std::string_view col) { return std::string(file->header.get(rec, col)); };
    Row row{rec.line, Date(), {}};
    auto& q = row.request;
    q.loan = get("loan");
    q.member = get("member");
    q.product = get("product");
    q.group = get("group");
    q.memo = get("memo");
    bool ok = required_text(q.loan, "loan", rec.line, problems);
    ok = required_text(q.member, "member", rec.line, problems) && ok;
    ok = required_text(q.product, "product", rec.line, problems) && ok;
    auto amount = amount_field(get("amount"), "amount", true, rec.line, problems);
    auto date = date_field(get("date"), rec.line, problems);
    if (!ok || !amount || !date) continue;
    q.amount = *amount;
    q.date = row.date = *date;
    rows.push_back(std::move(row));
  }
  by_date_then_line(rows);

  LoanBook book(ledger);
  auto r = record_rows(ledger, rows, "loan", options, problems, summary, [&](const Row& row) -> Result<bool> {
    const bool existed = book.has_loan(row.request.loan);
    auto loan = book.disburse(row.request);
    if (!loan) return fail(loan.error());
    return !existed;
  });
  if (!r) return fail(r.error());
  return summary;
}

Result<LoanImportSummary> import_repayments(Ledger& ledger, const std::string& path,
                                            const LoanImportOptions& options) {
  if (auto ok = ledger.require_write(std::string(charts::fund::kBook)); !ok) return fail(ok.error());
  LoanImportSummary summary;
  ImportProblems problems(path);
  auto file = read_file(path, {{"loan", "amount", "date"}, {"savings", "receipt", "prepay"}, kRepaymentAliases, {"loan"}},
                        options.read, problems, summary.rows);
  if (!file) return fail(file.error());
  struct Row {
    std::size_t line;
    Date date;
    std::string loan;
    Money amount, savings;
    std::string receipt;
    bool prepay = false;
  };
  std::vector<Row> rows;
  // Receipt-less rows of one loan with the same date, amount and savings, counted in file order.
  std::map<std::tuple<std::string, std::int64_t, std::int64_t, std::int64_t>, std::int64_t> occurrences;
  for (const auto& rec : file->records) {
    auto get = [&](std::string_view col) { return std::string(file->header.get(rec, col)); };
    Row row{rec.line, Date(), get("loan"), Money(0), Money(0), get("receipt")};
    bool ok = required_text(row.loan, "loan", rec.line, problems);
    auto amount = amount_field(get("amount"), "amount", false, rec.line, problems);
    auto savings = amount_field(get("savings"), "savings", false, rec.line, problems, Money(0));
    auto date = date_field(get("date"), rec.line, problems);
    for (unsigned char c : row.receipt) {
      if (c < 0x20 || c == 0x7f || c == ' ') {
        problems.add(rec.line, "receipt", fmt::format(fmt::runtime(tr("'{}' must not contain spaces or control characters")), row.receipt));
        ok = false;
        break;
      }
    }
    if (row.receipt.size() > 100) {
      problems.add(rec.line, "receipt", tr("longer than 100 characters"));
      ok = false;
    }
    auto prepay = parse_prepay_cell(get("prepay"));
    if (!prepay) problems.add(rec.line, "prepay", prepay.error().message());
    if (!ok || !amount || !savings || !date || !prepay) continue;
    row.amount = *amount;
    row.savings = *savings;
    row.date = *date;
    row.prepay = *prepay;
    if (row.receipt.empty()) {
      const auto n = ++occurrences[{row.loan, row.date.days_since_epoch(), row.amount.minor_units(),
                                    row.savings.minor_units()}];
      row.receipt = import_receipt(row.date, row.amount.minor_units(), row.savings.minor_units(), n);
    }
    rows.push_back(std::move(row));
  }
  by_date_then_line(rows);

  LoanBook book(ledger);
  auto r = record_rows(ledger, rows, "loan", options, problems, summary, [&](const Row& row) -> Result<bool> {
    auto paid = book.repay(row.loan, row.amount, row.savings, row.date, row.receipt, row.prepay);
    if (!paid) return fail(paid.error());
    return paid->created;
  });
  if (!r) return fail(r.error());
  return summary;
}

}  // namespace soquy
