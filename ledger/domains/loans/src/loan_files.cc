// Collection files: a filled-in meeting sheet read from CSV and recorded in one transaction.
#include "soquy/i18n.h"
#include "soquy/loan_files.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "soquy/csv_reader.h"
#include "soquy/import_problems.h"
#include "soquy/xlsx_reader.h"

namespace soquy {
namespace {

const std::vector<std::string> kRequired = {"loan", "amount"};
// savings and receipt are read; the rest are the sheet's own columns, accepted and ignored.
const std::vector<std::string> kOptional = {"savings",     "receipt",         "prepay",      "member",
                                            "member_name", "installment",     "arrears",     "savings_due",
                                            "savings_arrears", "total",       "days_past_due", "outstanding_principal"};
// Other names, compared case-folded by CsvHeader: the labels the printed sheet carries in each
// language (reports/src/collection_report.cc: a sheet saved from Excel comes back with them) and
// the Vietnamese names clerks write. On the sheet "Tiết kiệm bắt buộc" is the savings DUE; the
// savings received are "TK thực thu".
const std::vector<std::pair<std::string, std::string>> kAliases = {
    {"khoản vay", "loan"},        {"mã khoản vay", "loan"},   {"số khế ước", "loan"},
    {"số tiền", "amount"},        {"thực thu", "amount"},     {"tiền trả", "amount"},
    {"received", "amount"},       {"tiết kiệm", "savings"},   {"thu tk", "savings"},
    {"tk thực thu", "savings"},   {"savings received", "savings"},
    {"biên lai", "receipt"},      {"số biên lai", "receipt"}, {"phiếu thu", "receipt"},
    {"mã hv", "member"},          {"hội viên", "member"},     {"member id", "member"},
    {"họ tên", "member_name"},    {"full name", "member_name"},
    {"trả trước", "prepay"},      {"trả nợ trước hạn", "prepay"}, {"prepaid", "prepay"},
    {"kỳ này", "installment"},    {"this instalment", "installment"},
    {"nợ quá hạn", "arrears"},    {"overdue", "arrears"},
    {"tiết kiệm bắt buộc", "savings_due"}, {"compulsory savings", "savings_due"},
    {"tk còn thiếu", "savings_arrears"},   {"savings owed", "savings_arrears"},
    {"tổng phải thu", "total"},   {"total due", "total"},
    {"số ngày qh", "days_past_due"},       {"days overdue", "days_past_due"},
};

// A line before the header holding at most one cell: the title row of the printed sheet (kept
// when Excel saves it as CSV, or read from the .xlsx itself).
bool title_line(const CsvRecord& rec) {
  return std::count_if(rec.fields.begin(), rec.fields.end(), [](const std::string& f) { return !f.empty(); }) <= 1;
}

// The totals row of the printed sheet ("Tổng cộng (42 khoản vay)", "Total of 42 loans"): no loan,
// and its first filled cell starts with the totals label. It ends the table: the notes and the
// signature block below it are not read.
bool totals_row(const CsvRecord& rec, const CsvHeader& header) {
  if (!header.get(rec, "loan").empty()) return false;
  for (const auto& f : rec.fields) {
    if (f.empty()) continue;
    const std::string folded = fold_for_matching(f);
    return folded.rfind("tổng cộng", 0) == 0 || folded.rfind("total", 0) == 0;
  }
  return false;
}

// The header of a collection file. A file with the savings due but no savings received would
// record no savings without a word: refused, naming the column to add.
Result<CsvHeader> collection_header(const CsvRecord& rec, const std::string& path) {
  auto h = CsvHeader::from_record(rec, kRequired, kOptional, kAliases);
  if (!h) return fail(h.error().with_context(path + ":"));
  if (h->index("savings_due") >= 0 && h->index("savings") < 0) {
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{}:{}: the header has the savings due (Tiết kiệm bắt "
                                                             "buộc) but no column of savings received: add a "
                                                             "column 'TK thực thu' (savings), even if empty")),
                                             path, rec.line))
                    .in_field("savings"));
  }
  return h;
}


std::string problems_message(const std::string& path, const std::vector<std::string>& problems) {
  std::string msg = fmt::format(fmt::runtime(tr("{}: nothing was recorded; {} problem(s):")), path, problems.size());
  for (std::size_t i = 0; i < problems.size() && i < ImportProblems::kMaxReported; ++i) msg += "\n  " + problems[i];
  if (problems.size() > ImportProblems::kMaxReported) msg += fmt::format(fmt::runtime(tr("\n  … and {} more")), problems.size() - ImportProblems::kMaxReported);
  return msg;
}

Result<Money> money_cell(std::string_view text) {
  if (text.empty()) return Money(0);
  auto m = parse_money(text);
  if (!m) return fail(m.error());
  if (m->minor_units() < 0) return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{} is negative")), text)));
  return m;
}

// A row that pays more than its loan owes on the meeting's date without being marked as a
// prepayment is a problem of its line. `paid` holds the amounts of the loan's earlier rows
// (rows of one loan count together, in file order). A row whose receipt is recorded already
// (the same file again) is left to record_collection, which recognises it or names the clash.
std::optional<std::string> amount_problem(LoanBook& book, const std::string& group, Date date,
                                          const CollectionReceipt& r, const std::vector<LoanEvent>& events,
                                          std::map<std::string, Money>& paid) {
  const std::string receipt = r.receipt.empty() ? default_collection_receipt(group, date, r.loan) : r.receipt;
  // The receipt standing already, itself or a revision of it ("R~2" after a reversal).
  auto standing = [&](const LoanEvent& e) {
    return !e.reversed_by && (e.client_id == receipt || e.client_id.rfind(receipt + "~", 0) == 0);
  };
  if (std::any_of(events.begin(), events.end(), standing)) return std::nullopt;
  auto due = book.amount_due(r.loan, date);
  if (!due) return due.error().message();
  Money& sum = paid.emplace(r.loan, Money(0)).first->second;
  const Money before = sum;
  auto total = sum.plus(r.amount);
  if (!total) return std::nullopt;  // too large for the books: record_collection names it
  sum = *total;
  if (r.prepay || sum <= *due) return std::nullopt;
  const Money owed = before < *due ? *due - before : Money(0);
  return fmt::format(fmt::runtime(before.is_zero()
                                      ? tr("{} is more than loan '{}' owes on {}: {} (instalments due by then and "
                                           "penalty); if it is a prepayment, say so in column prepay")
                                      : tr("{} is more than loan '{}' owes on {}: {} after the rows above (instalments "
                                           "due by then and penalty); if it is a prepayment, say so in column prepay")),
                     r.amount.minor_units(), r.loan, date, owed.minor_units());
}

}  // namespace

Result<bool> parse_prepay_cell(std::string_view text) {
  static const std::vector<std::string_view> yes = {"1", "x", "X", "yes", "Yes", "YES", "y", "Y",
                                                    "có", "Có", "CÓ", "co", "Co", "C", "c"};
  static const std::vector<std::string_view> no = {"", "0", "no", "No", "NO", "n", "N",
                                                   "không", "Không", "KHÔNG", "khong", "Khong", "k", "K"};
  if (std::find(yes.begin(), yes.end(), text) != yes.end()) return true;
  if (std::find(no.begin(), no.end(), text) != no.end()) return false;
  return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}': expected 1, x, yes or có (a prepayment), or 0, no, không or empty")),
                                           text)));
}

// A row of a loan (and receipt) that an earlier line of the sheet already has.
std::string listed_again(const CollectionReceipt& r, std::size_t earlier_line) {
  if (!r.receipt.empty())
    return fmt::format(fmt::runtime(tr("receipt '{}' of loan '{}' is listed again (line {})")), r.receipt, r.loan, earlier_line);
  return fmt::format(fmt::runtime(tr("loan '{}' is listed again (line {}): put both payments on one row, or give "
                                    "each row its own receipt number")),
                     r.loan, earlier_line);
}

namespace {

// One data row of a collection file: its receipt, or nullopt when the row has nothing received or
// a problem (added to `problems`, each "FILE:LINE: column: what").
std::optional<CollectionReceipt> collection_row(const CsvRecord& rec, const CsvHeader& header, const std::string& where,
                                                std::vector<std::string>& problems) {
  auto problem = [&](std::string_view column, const std::string& what) {
    problems.push_back(fmt::format("{}: {}: {}", where, column, what));
  };
  if (rec.fields.size() > header.size()) {
    problem("row", fmt::format(fmt::runtime(tr("has {} fields but the header has {} columns")), rec.fields.size(), header.size()));
    return std::nullopt;
  }
  CollectionReceipt r;
  r.where = where;
  r.loan = std::string(header.get(rec, "loan"));
  r.receipt = std::string(header.get(rec, "receipt"));
  bool ok = true;
  if (r.loan.empty()) {
    problem("loan", tr("empty"));
    ok = false;
  }
  auto amount = money_cell(header.get(rec, "amount"));
  if (!amount) {
    problem("amount", amount.error().message());
    ok = false;
  }
  auto savings = money_cell(header.get(rec, "savings"));
  if (!savings) {
    problem("savings", savings.error().message());
    ok = false;
  }
  if (!ok) return std::nullopt;
  auto prepay = parse_prepay_cell(header.get(rec, "prepay"));
  if (!prepay) {
    problem("prepay", prepay.error().message());
    return std::nullopt;
  }
  r.amount = *amount;
  r.savings = *savings;
  r.prepay = *prepay;
  if (r.amount.is_zero() && r.savings.is_zero()) return std::nullopt;  // nothing received at this meeting
  return r;
}

}  // namespace

Result<std::vector<CollectionReceipt>> read_collection_receipts(const std::string& path, const CsvReadOptions& read) {
  std::optional<CsvHeader> header;
  std::optional<IdentifierCheck> ids;
  std::vector<CollectionReceipt> out;
  std::vector<std::string> problems;
  std::map<std::pair<std::string, std::string>, std::size_t> seen;  // (loan, receipt) → line
  bool past_totals = false;
  auto file = read_table_file(path, read, [&](CsvRecord& rec) -> Result<void> {
    if (past_totals) return {};
    if (!header) {
      if (title_line(rec)) return {};
      auto h = collection_header(rec, path);
      if (!h) return fail(h.error());
      header = *h;
      ids.emplace(header->positions({"loan", "member"}));
      return {};
    }
    if (std::all_of(rec.fields.begin(), rec.fields.end(), [](const std::string& f) { return f.empty(); })) return {};
    if (totals_row(rec, *header)) {
      past_totals = true;
      return {};
    }
    const std::string where = fmt::format("{}:{}", path, rec.line);
    if (rec.fields.size() <= header->size()) ids->add(rec);
    auto r = collection_row(rec, *header, where, problems);
    if (!r) return {};
    auto [it, inserted] = seen.emplace(std::make_pair(r->loan, r->receipt), rec.line);
    if (!inserted) {
      problems.push_back(fmt::format("{}: {}: {}", where, r->receipt.empty() ? "loan" : "receipt", listed_again(*r, it->second)));
      return {};
    }
    out.push_back(std::move(*r));
    return {};
  });
  if (!file) return fail(file.error());
  if (!header) return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{}: the file is empty (no header)")), path)));
  for (const auto& p : ids->problems()) problems.push_back(fmt::format("{}:{}: {}: {}", path, p.line, p.column, p.message));
  if (!problems.empty()) return fail(Error::bad_input(problems_message(path, problems)));
  return out;
}

// The first event after `date` that a late receipt is never placed before (loans.h): a payoff,
// write-off, recovery, extension or rescheduling; repayments, freezes and unfreezes are replayed.
const LoanEvent* blocking_event(const std::vector<LoanEvent>& events, Date date) {
  for (const auto& e : events)
    if (e.on > date && e.kind != LoanEventKind::kRepay && e.kind != LoanEventKind::kFreeze &&
        e.kind != LoanEventKind::kUnfreeze)
      return &e;
  return nullptr;
}

Result<CollectionRecord> record_collection_file(LoanBook& book, const std::string& group, Date date,
                                                const std::string& path, const CsvReadOptions& read) {
  // The right to write and the group first (an empty meeting writes nothing).
  if (auto ok = book.record_collection(group, date, {}); !ok) return fail(ok.error());
  auto rows = read_collection_receipts(path, read);
  if (!rows) return fail(rows.error());
  // Every row is checked first so that one run lists every problem; record_collection checks
  // again inside its transaction (and refuses what these checks cannot see).
  std::vector<std::string> problems;
  std::map<std::string, Money> paid;  // loan → amounts of its rows so far (amount_problem)
  for (const auto& r : *rows) {
    auto problem = [&](const std::string& what) { problems.push_back(fmt::format("{}: loan: {}", r.where, what)); };
    auto loan = book.loan(r.loan);
    if (!loan) {
      problem(fmt::format(fmt::runtime(tr("no loan '{}'")), r.loan));
      continue;
    }
    if (loan->group != group) {
      problem(fmt::format(fmt::runtime(tr("loan '{}' is not a loan of group '{}'{}")), r.loan, group,
                          loan->group.empty() ? "" : fmt::format(fmt::runtime(tr(" (it is in group '{}')")), loan->group)));
      continue;
    }
    if (loan->terms.disbursed_on > date) {
      problem(fmt::format(fmt::runtime(tr("loan '{}' was disbursed on {}, after the meeting ({})")), r.loan, loan->terms.disbursed_on, date));
      continue;
    }
    auto s = book.snapshot(r.loan, date);
    if (!s) {
      problem(s.error().message());
      continue;
    }
    if (s->status == LoanStatus::kClosed || s->status == LoanStatus::kWrittenOff) {
      problem(fmt::format(fmt::runtime(s->status == LoanStatus::kClosed ? tr("loan '{}' is closed on {}")
                                                                        : tr("loan '{}' is written off on {}")),
                          r.loan, date));
      continue;
    }
    auto events = book.events(r.loan);
    if (!events) {
      problem(events.error().message());
      continue;
    }
    if (const LoanEvent* later = blocking_event(*events, date)) {
      problem(fmt::format(fmt::runtime(tr("loan '{}' has an event dated {} ({}), after the meeting ({}); a late "
                                          "receipt is never placed before a payoff, write-off, recovery, extension "
                                          "or rescheduling{}")),
                          r.loan, later->on, to_string(later->kind), date,
                          later->entry_id ? fmt::format(fmt::runtime(tr(" (reverse entry #{} first)")), *later->entry_id) : ""));
      continue;
    }
    if (auto slip = amount_problem(book, group, date, r, *events, paid))
      problems.push_back(fmt::format("{}: amount: {}", r.where, *slip));
  }
  if (!problems.empty()) return fail(Error::bad_input(problems_message(path, problems)));
  auto recorded = book.record_collection(group, date, *rows);
  if (!recorded) {
    // The row is named by the library (FILE:LINE: …); say that nothing was written.
    if (recorded.error().kind() != ErrorKind::kBadInput) return fail(recorded.error());
    return fail(Error::bad_input(problems_message(path, {recorded.error().message()})));
  }
  CollectionRecord out;
  for (auto& r : *recorded) {
    if (r.created) ++out.created;
    else ++out.unchanged;
    out.results.push_back(std::move(r));
  }
  return out;
}

}  // namespace soquy
