// `soquy import entries FILE.csv`: bulk posting in one transaction.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "soquy/csv_reader.h"
#include "soquy/ledger.h"
#include "store.h"

namespace soquy {
namespace {

constexpr std::size_t kMaxReported = 20;

struct PendingEntry {
  std::size_t first_line = 0;
  EntryDraft draft;
  std::vector<std::size_t> lines;  // the line of each posting
};

}  // namespace

Result<ImportSummary> Ledger::import_entries(const std::string& path, const ImportOptions& options) {
  ImportSummary summary;
  std::vector<std::pair<std::size_t, std::string>> errors;  // (line, message), the first kMaxReported
  std::size_t error_count = 0;
  auto report = [&](std::size_t line, std::string_view column, const std::string& what) {
    ++error_count;
    if (errors.size() < kMaxReported) errors.emplace_back(line, fmt::format("{}:{}: {}: {}", path, line, column, what));
  };

  std::map<std::string, PostingContext> contexts;  // by book code
  std::set<std::string> ids_with_bad_rows;          // their entries are incomplete: not checked further
  std::optional<CsvHeader> header;
  // Column positions, looked up once from the header (-1: the optional memo column is absent).
  int col_id = -1, col_date = -1, col_book = -1, col_account = -1, col_amount = -1, col_memo = -1;
  // The entry being gathered. One object, reused for every entry so that its strings and
  // vectors keep their capacity (an import allocates as little as possible per entry).
  PendingEntry p;
  bool pending = false;
  std::unique_ptr<StoreTransaction> tx;
  ChainTip tip;

  // Posts the entry gathered so far (all its rows are read).
  auto flush_entry = [&]() -> Result<void> {
    if (!pending) return {};
    pending = false;
    auto ctx = contexts.find(p.draft.book);
    if (ctx == contexts.end()) {
      auto loaded = posting_context(p.draft.book);
      if (!loaded) {
        report(p.first_line, "book", loaded.error().message());
        return {};
      }
      if (auto ok = require_write(p.draft.book); !ok) return fail(ok.error());
      ctx = contexts.emplace(p.draft.book, std::move(*loaded)).first;
    }
    bool accounts_ok = true;
    for (std::size_t i = 0; i < p.draft.postings.size(); ++i) {
      if (!ctx->second.accounts.count(p.draft.postings[i].account)) {
        report(p.lines[i], "account", fmt::format("unknown account {} in book {}", p.draft.postings[i].account, p.draft.book));
        accounts_ok = false;
      }
    }
    if (!accounts_ok || (!ids_with_bad_rows.empty() && ids_with_bad_rows.count(p.draft.client_id))) return {};
    if (error_count > 0) {
      // Something is already wrong, so nothing will be written: keep checking the rest of the
      // file against the rules so that every problem is listed at once.
      if (auto v = validate(p.draft, ctx->second); !v)
        report(p.first_line, "entry_id", fmt::format("entry '{}': {}", p.draft.client_id, v.error().message()));
      return {};
    }
    auto r = append(p.draft, std::nullopt, ctx->second, tip);
    if (!r) {
      report(p.first_line, "entry_id", fmt::format("entry '{}': {}", p.draft.client_id, r.error().message()));
      return {};
    }
    ++(r->created ? summary.entries_created : summary.entries_existing);
    std::int64_t done = summary.entries_created + summary.entries_existing;
    if (options.on_progress && done % options.progress_every == 0) options.on_progress(done);
    return {};
  };

  auto on_record = [&](CsvRecord& rec) -> Result<void> {
    if (!header) {
      auto h = CsvHeader::from_record(rec, {"entry_id", "date", "book", "account", "amount"}, {"memo"});
      if (!h) return fail(h.error().with_context(path + ":"));  // "FILE:1: header: …"
      header = std::move(*h);
      col_id = header->index("entry_id");
      col_date = header->index("date");
      col_book = header->index("book");
      col_account = header->index("account");
      col_amount = header->index("amount");
      col_memo = header->index("memo");
      return {};
    }
    ++summary.rows;
    if (rec.fields.size() != header->size()) {
      report(rec.line, "row", fmt::format("has {} fields but the header has {} columns", rec.fields.size(), header->size()));
      if (pending) {
        if (auto r = flush_entry(); !r) return r;
      }
      return {};
    }
    // Every row has header->size() fields (checked above).
    auto field = [&](int col) -> std::string_view {
      return col < 0 ? std::string_view() : std::string_view(rec.fields[static_cast<std::size_t>(col)]);
    };
    std::string_view id = field(col_id);
    std::string_view book = field(col_book);
    std::string_view account = field(col_account);
    std::string_view memo = field(col_memo);
    bool row_ok = true;
    if (id.empty()) {
      report(rec.line, "entry_id", "empty (every row names the entry it belongs to)");
      row_ok = false;
    }
    auto date = Date::parse_any(field(col_date));
    if (!date) {
      report(rec.line, "date", date.error().message());
      row_ok = false;
    }
    auto amount = parse_money(field(col_amount));
    if (!amount) {
      report(rec.line, "amount", amount.error().message());
      row_ok = false;
    }
    if (account.empty()) {
      report(rec.line, "account", "empty");
      row_ok = false;
    }
    if (book.empty()) {
      report(rec.line, "book", "empty");
      row_ok = false;
    }
    if (pending && p.draft.client_id != id) {
      if (auto r = flush_entry(); !r) return r;
    }
    if (!row_ok) {
      ids_with_bad_rows.insert(std::string(id));
      return {};
    }
    if (!pending) {
      pending = true;
      p.first_line = rec.line;
      p.draft.book.assign(book);
      p.draft.date = *date;
      p.draft.memo.assign(memo);
      p.draft.client_id.assign(id);
      p.draft.postings.clear();
      p.lines.clear();
    } else {
      const auto& d = p.draft;
      if (d.book != book) report(rec.line, "book", fmt::format("'{}' differs from '{}' on line {} of the same entry", book, d.book, p.first_line));
      if (d.date != *date) report(rec.line, "date", fmt::format("{} differs from {} on line {} of the same entry", *date, d.date, p.first_line));
      if (!memo.empty() && d.memo != memo) report(rec.line, "memo", fmt::format("differs from the memo on line {} of the same entry", p.first_line));
    }
    p.draft.postings.push_back(Posting{std::string(account), *amount});
    p.lines.push_back(rec.line);
    return {};
  };

  // Foreign-key checks are off for this transaction (Store::begin_bulk_write): every id an entry
  // refers to comes from a lookup in this same transaction (its book and accounts through
  // posting_context, the acting user, the entry just appended), users and accounts cannot be
  // deleted (triggers), and `soquy check` re-reads every reference. Other writers keep them on.
  tx = store_->begin_bulk_write();
  tip = store_->chain_tip();
  if (auto r = read_csv_file(path, on_record); !r) return fail(r.error());
  if (auto r = flush_entry(); !r) return fail(r.error());
  if (!header) return fail(Error::bad_input(fmt::format("{}: the file is empty (expected the header "
                                                        "entry_id,date,book,account,amount,memo)", path)));
  if (error_count == 0) {
    if (auto f = store_->flush_balances(); !f) {
      report(0, "amount", f.error().message());
    }
  }
  if (error_count > 0) {
    std::string message = fmt::format("{}: nothing was imported; {} problem(s):", path, error_count);
    std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& e : errors) message += "\n  " + e.second;
    if (error_count > errors.size()) message += fmt::format("\n  … and {} more", error_count - errors.size());
    return fail(Error::bad_input(message));
  }
  if (auto c = tx->commit(); !c) return fail(c.error());
  return summary;
}

}  // namespace soquy
