// `soquy import entries FILE.csv`: bulk posting in one transaction.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "soquy/csv_reader.h"
#include "soquy/i18n.h"
#include "batching_store.h"
#include "soquy/ledger.h"
#include "store.h"

namespace soquy {
namespace {

constexpr std::size_t kMaxReported = 20;
// Entries posted together on a BatchingStore: their client ids looked up in one query, their
// rows sent in one statement (batching_store.h).
constexpr std::size_t kBatchEntries = 1000;

struct PendingEntry {
  std::size_t first_line = 0;
  EntryDraft draft;
  std::vector<std::size_t> lines;  // the line of each posting
};

// One row's fields (views into the record) and whether they all read.
struct RowFields {
  std::string_view id, book, account, memo;
  std::optional<Date> date;
  std::optional<Money> amount;
  bool ok = true;
};

// What an import keeps while it reads: the problems found so far, the header's columns and the
// entry being gathered. What needs the Ledger (books, checks, appends) stays in import_entries.
struct EntryImport {
  explicit EntryImport(const std::string& file) : path(file) {}

  void report(std::size_t line, std::string_view column, const std::string& what);
  Result<void> read_header(CsvRecord& rec);
  bool row_fits(const CsvRecord& rec);
  RowFields read_row(const CsvRecord& rec);
  void gather(const CsvRecord& rec, const RowFields& row);
  bool accounts_known(const PostingContext& ctx);
  void count(bool created, const ImportOptions& options);
  Error failure();
  Error empty_file() const;
  // Starts reading the file anew; `each_entry`: balances are applied after every entry;
  // `batching`: entries are queued and posted kBatchEntries at a time (nullptr: one at a time).
  void restart(bool each_entry, BatchingStore* batching);
  // Moves the gathered entry to the queue; true when the queue is full.
  bool enqueue();
  // Names the queued entries' client ids to the store, then posts each (`post` posts `p`).
  Result<void> post_queued(const std::function<Result<void>()>& post);
  // Posts (or queues) the entry gathered so far, if any.
  Result<void> flush(const std::function<Result<void>()>& post);
  // One pass over the file: every entry posted (or checked, once there are problems).
  Result<void> read(const CsvReadOptions& options, const std::function<Result<void>(CsvRecord&)>& on_record,
                    const std::function<Result<void>()>& post);
  // A balance overflowed after entry `p`: reported at its posting of the largest amount, and
  // balances are not applied again (the import fails).
  void report_overflow(const Error& e);

  const std::string& path;
  ImportSummary summary;
  std::vector<std::pair<std::size_t, std::string>> errors;  // (line, message), the first kMaxReported
  std::size_t error_count = 0;
  std::set<std::string> ids_with_bad_rows;  // their entries are incomplete: not checked further
  std::optional<CsvHeader> header;
  // Column positions, looked up once from the header (-1: the optional memo column is absent).
  int col_id = -1, col_date = -1, col_book = -1, col_account = -1, col_amount = -1, col_memo = -1;
  // The entry being gathered. One object, reused for every entry so that its strings and
  // vectors keep their capacity (an import allocates as little as possible per entry).
  PendingEntry p;
  bool pending = false;
  bool flush_each_entry = false;
  // Batched posting: the entries gathered and not posted yet (queue[0, queued); the vector keeps
  // its entries, and their capacity, from one batch to the next) and their client ids.
  BatchingStore* batching = nullptr;
  std::vector<PendingEntry> queue;
  std::size_t queued = 0;
  std::vector<std::string> queue_ids;
};

void EntryImport::restart(bool each_entry, BatchingStore* batching_store) {
  summary = {};
  errors.clear();
  error_count = 0;
  ids_with_bad_rows.clear();
  header.reset();
  pending = false;
  flush_each_entry = each_entry;
  batching = batching_store;
  queued = 0;
}

bool EntryImport::enqueue() {
  if (queued == queue.size()) queue.emplace_back();
  std::swap(p, queue[queued++]);  // p's old content is overwritten by the next gather()
  return queued == kBatchEntries;
}

Result<void> EntryImport::flush(const std::function<Result<void>()>& post) {
  if (!pending) return {};
  pending = false;
  if (!batching) return post();
  return enqueue() ? post_queued(post) : Result<void>();
}

Result<void> EntryImport::read(const CsvReadOptions& options, const std::function<Result<void>(CsvRecord&)>& on_record,
                               const std::function<Result<void>()>& post) {
  if (auto r = read_csv_file(path, options, on_record); !r) return r;
  if (auto r = flush(post); !r) return r;
  if (batching)
    if (auto r = post_queued(post); !r) return r;
  if (!header) return fail(empty_file());
  return {};
}

Result<void> EntryImport::post_queued(const std::function<Result<void>()>& post) {
  queue_ids.clear();
  for (std::size_t i = 0; i < queued; ++i) queue_ids.push_back(queue[i].draft.client_id);
  if (queued > 0) batching->expect_client_ids(queue_ids);
  const std::size_t n = queued;
  queued = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::swap(p, queue[i]);
    auto r = post();
    std::swap(p, queue[i]);
    if (!r) return r;
  }
  return {};
}

void EntryImport::report_overflow(const Error& e) {
  const auto size = [&](std::size_t k) {  // |amount|, also of the smallest int64
    const std::int64_t v = p.draft.postings[k].amount.minor_units();
    return v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  };
  std::size_t at = 0;
  for (std::size_t i = 1; i < p.draft.postings.size(); ++i)
    if (size(i) > size(at)) at = i;
  report(p.lines.at(at), "amount", e.message());
  flush_each_entry = false;
}

Error EntryImport::empty_file() const {
  return Error::bad_input(fmt::format(
      fmt::runtime(tr("{}: the file is empty (expected the header entry_id,date,book,account,amount,memo)")),
                                      path));
}

void EntryImport::report(std::size_t line, std::string_view column, const std::string& what) {
  ++error_count;
  if (errors.size() < kMaxReported) errors.emplace_back(line, fmt::format("{}:{}: {}: {}", path, line, column, what));
}

Result<void> EntryImport::read_header(CsvRecord& rec) {
  static const std::vector<std::pair<std::string, std::string>> kAliases = {
      {"mã bút toán", "entry_id"}, {"số chứng từ", "entry_id"}, {"ngày", "date"},      {"ngày chứng từ", "date"},
      {"sổ", "book"},              {"tài khoản", "account"},    {"số tiền", "amount"}, {"diễn giải", "memo"},
      {"ghi chú", "memo"}};
  auto h = CsvHeader::from_record(rec, {"entry_id", "date", "book", "account", "amount"}, {"memo"}, kAliases);
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

// Whether the row has as many fields as the header has columns (reported when not).
bool EntryImport::row_fits(const CsvRecord& rec) {
  if (rec.fields.size() == header->size()) return true;
  report(rec.line, "row", fmt::format(
      fmt::runtime(tr("has {} fields but the header has {} columns")), rec.fields.size(), header->size()));
  return false;
}

// Reads a row that has header->size() fields, reporting each field that is wrong.
RowFields EntryImport::read_row(const CsvRecord& rec) {
  auto field = [&](int col) -> std::string_view {
    return col < 0 ? std::string_view() : std::string_view(rec.fields[static_cast<std::size_t>(col)]);
  };
  RowFields row;
  row.id = field(col_id);
  row.book = field(col_book);
  row.account = field(col_account);
  row.memo = field(col_memo);
  if (row.id.empty()) {
    report(rec.line, "entry_id", tr("empty (every row names the entry it belongs to)"));
    row.ok = false;
  }
  if (auto date = Date::parse_any(field(col_date))) {
    row.date = *date;
  } else {
    report(rec.line, "date", date.error().message());
    row.ok = false;
  }
  if (auto amount = parse_money(field(col_amount))) {
    row.amount = *amount;
  } else {
    report(rec.line, "amount", amount.error().message());
    row.ok = false;
  }
  if (row.account.empty()) {
    report(rec.line, "account", tr("empty"));
    row.ok = false;
  }
  if (row.book.empty()) {
    report(rec.line, "book", tr("empty"));
    row.ok = false;
  }
  return row;
}

// Adds a good row to the entry being gathered (starting one when none is).
void EntryImport::gather(const CsvRecord& rec, const RowFields& row) {
  if (!pending) {
    pending = true;
    p.first_line = rec.line;
    p.draft.book.assign(row.book);
    p.draft.date = *row.date;
    p.draft.memo.assign(row.memo);
    p.draft.client_id.assign(row.id);
    p.draft.postings.clear();
    p.lines.clear();
  } else {
    const auto& d = p.draft;
    if (d.book != row.book) report(rec.line, "book", fmt::format(
        fmt::runtime(tr("'{}' differs from '{}' on line {} of the same entry")), row.book, d.book, p.first_line));
    if (d.date != *row.date) report(rec.line, "date", fmt::format(
        fmt::runtime(tr("{} differs from {} on line {} of the same entry")), *row.date, d.date, p.first_line));
    if (!row.memo.empty() && d.memo != row.memo) report(rec.line, "memo", fmt::format(
        fmt::runtime(tr("differs from the memo on line {} of the same entry")), p.first_line));
  }
  p.draft.postings.push_back(Posting{std::string(row.account), *row.amount});
  p.lines.push_back(rec.line);
}

// Whether the book has every account the gathered entry posts to (each unknown one reported).
bool EntryImport::accounts_known(const PostingContext& ctx) {
  bool accounts_ok = true;
  for (std::size_t i = 0; i < p.draft.postings.size(); ++i) {
    if (!ctx.accounts.count(p.draft.postings[i].account)) {
      report(p.lines[i], "account", fmt::format(
          fmt::runtime(tr("unknown account {} in book {}")), p.draft.postings[i].account, p.draft.book));
      accounts_ok = false;
    }
  }
  return accounts_ok;
}

void EntryImport::count(bool created, const ImportOptions& options) {
  ++(created ? summary.entries_created : summary.entries_existing);
  std::int64_t done = summary.entries_created + summary.entries_existing;
  if (options.on_progress && done % options.progress_every == 0) options.on_progress(done, 0);
}

// The error of a file with problems: nothing is imported, the problems listed by line.
Error EntryImport::failure() {
  std::string message = fmt::format(fmt::runtime(tr("{}: nothing was imported; {} problem(s):")), path, error_count);
  std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& e : errors) message += "\n  " + e.second;
  if (error_count > errors.size())
    message += "\n  " + fmt::format(fmt::runtime(tr("… and {} more")), error_count - errors.size());
  return Error::bad_input(message);
}

// A problem of a whole entry, reported on its first line: "entry 'E1': the entry does not balance…".
std::string entry_problem(const std::string& client_id, const Error& e) {
  return fmt::format(fmt::runtime(tr("entry '{}': {}")), client_id, e.message());
}

}  // namespace

// Balances are applied once, at the end (Store::flush_balances). When one would overflow, the file
// is read again in another transaction that applies them after every entry, so the problem is
// reported at the line that causes it.
//
// On a BatchingStore (PostgreSQL) the first pass posts entries kBatchEntries at a time. Posting
// an entry is delayed until the batch is full, so its checks see the problems of rows read after
// it; the problems of a file are therefore reported by a second pass that posts one entry at a
// time (in another transaction, the first rolled back), exactly as on SQLite. A file without
// problems is written by the first pass: the same entries, in the same order, as one at a time.
// So pass 0: batched (a BatchingStore only); 1: one entry at a time; 2: balances after each entry.
//
// Foreign-key checks are off for the transaction (Store::begin_bulk_write): every id an entry
// refers to comes from a lookup in this same transaction (its book and accounts through
// posting_context, the acting user, the entry just appended), users and accounts cannot be
// deleted (triggers), and `soquy check` re-reads every reference. Other writers keep them on.
Result<ImportSummary> Ledger::import_entries(const std::string& path, const ImportOptions& options) {
  EntryImport im(path);
  PendingEntry& p = im.p;
  std::map<std::string, PostingContext> contexts;  // by book code
  std::unique_ptr<StoreTransaction> tx;
  ChainTip tip;

  // Posts the entry in `p` (all its rows are read).
  auto post_entry = [&]() -> Result<void> {
    auto ctx = contexts.find(p.draft.book);
    if (ctx == contexts.end()) {
      auto loaded = posting_context(p.draft.book);
      if (!loaded) {
        im.report(p.first_line, "book", loaded.error().message());
        return {};
      }
      if (auto ok = require_write(p.draft.book); !ok) return fail(ok.error());
      ctx = contexts.emplace(p.draft.book, std::move(*loaded)).first;
    }
    if (!im.accounts_known(ctx->second) || (!im.ids_with_bad_rows.empty() && im.ids_with_bad_rows.count(p.draft.client_id))) return {};
    if (im.error_count > 0) {
      // Something is already wrong, so nothing will be written: keep checking the rest of the
      // file against the rules so that every problem is listed at once.
      if (auto v = validate(p.draft, ctx->second); !v)
        im.report(p.first_line, "entry_id", entry_problem(p.draft.client_id, v.error()));
      return {};
    }
    auto r = append(p.draft, std::nullopt, ctx->second, tip);
    if (!r) {
      im.report(p.first_line, "entry_id", entry_problem(p.draft.client_id, r.error()));
      return {};
    }
    if (im.flush_each_entry)
      if (auto f = store_->flush_balances(); !f) im.report_overflow(f.error());
    im.count(r->created, options);
    return {};
  };

  auto on_record = [&](CsvRecord& rec) -> Result<void> {
    if (!im.header) return im.read_header(rec);
    ++im.summary.rows;
    if (!im.row_fits(rec)) return im.flush(post_entry);  // flushes only an entry being gathered
    const RowFields row = im.read_row(rec);
    if (im.pending && p.draft.client_id != row.id)
      if (auto r = im.flush(post_entry); !r) return r;
    if (!row.ok) {
      im.ids_with_bad_rows.insert(std::string(row.id));
      return {};
    }
    im.gather(rec, row);
    return {};
  };
  auto* batching = dynamic_cast<BatchingStore*>(store_.get());
  for (int pass = batching ? 0 : 1; pass < 3; ++pass) {
    im.restart(pass == 2, pass == 0 ? batching : nullptr);  // (`contexts` are read, not written: they stay)
    tx.reset();                                             // rolls back the previous pass
    tx = store_->begin_bulk_write();
    tip = store_->chain_tip();
    if (auto r = im.read(options.read, on_record, post_entry); !r) return fail(r.error());
    if (im.error_count > 0 && pass == 0) continue;  // reported by pass 1, in the file's order
    if (im.error_count == 0 && !store_->flush_balances()) {
      pass = std::max(pass, 1);  // pass 1 would overflow alike: on to pass 2
      continue;
    }
    if (im.error_count > 0) return fail(im.failure());
    if (auto c = tx->commit(); !c) return fail(c.error());
    return im.summary;
  }
  return fail(Error::internal("a balance overflowed at the end of an import and after no entry"));
}

}  // namespace soquy
