// The VbspStore on either engine (sql_query.h). All SQL of VBSP entrustment lives here; it runs
// on the journal's connection, so it joins the Ledger's transactions. The reconciliation's large
// scans step a raw sqlite3 statement on SQLite (no copy per column) and a sql::Query on
// PostgreSQL: the same SQL and the same row-reading code (templates over the cursor).
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "sqlite_raw.h"
#include "soquy/i18n.h"
#include "sql_query.h"
#include "store.h"
#include "vbsp_store.h"

namespace soquy {
namespace {

using sql::bind_opt;
using sql::bind_text_or_null;
using sql::text_or_empty;
using sql::to_date;

constexpr const char* kLoanCols =
    "l.id, l.loan_no, l.group_id, g.code, l.member_id, m.code, l.customer_code, l.national_id, l.borrower_name, "
    "l.programme, l.disbursed_on, l.amount, l.maturity_on, l.entry_id, "
    "(SELECT rv.id FROM entries rv JOIN entry_owners ro ON ro.entry_id = rv.id WHERE rv.reverses = l.entry_id)";
// The rows that stand: their entry was not reversed.
constexpr const char* kLoanStands = "NOT EXISTS (SELECT 1 FROM entries rv JOIN entry_owners ro ON ro.entry_id = rv.id WHERE rv.reverses = l.entry_id)";
constexpr const char* kTxStands = "NOT EXISTS (SELECT 1 FROM entries rv JOIN entry_owners ro ON ro.entry_id = rv.id WHERE rv.reverses = t.entry_id)";
constexpr const char* kLoanFrom =
    "FROM vbsp_loans l JOIN groups g ON g.id = l.group_id JOIN members m ON m.id = l.member_id";

VbspLoanRow loan_from(sql::Query& q) {
  VbspLoanRow r;
  r.id = q.getColumn(0).getInt64();
  r.loan_no = q.getColumn(1).getString();
  r.group_id = q.getColumn(2).getInt64();
  r.group_code = q.getColumn(3).getString();
  r.member_id = q.getColumn(4).getInt64();
  r.member_code = q.getColumn(5).getString();
  r.customer_code = q.getColumn(6).getString();
  r.national_id = text_or_empty(q.getColumn(7));
  r.borrower_name = q.getColumn(8).getString();
  r.programme = q.getColumn(9).getString();
  r.disbursed_on = to_date(q.getColumn(10).getString());
  r.amount = q.getColumn(11).getInt64();
  r.maturity_on = to_date(q.getColumn(12).getString());
  r.entry_id = q.getColumn(13).getInt64();
  if (!q.getColumn(14).isNull()) r.reversed_by = q.getColumn(14).getInt64();
  return r;
}

constexpr const char* kTxCols =
    "t.id, t.receipt_no, t.loan_id, l.loan_no, t.paid_on, t.kind, t.amount, t.entry_id, "
    "(SELECT rv.id FROM entries rv JOIN entry_owners ro ON ro.entry_id = rv.id WHERE rv.reverses = t.entry_id)";

VbspTransactionRow tx_from(sql::Query& q) {
  VbspTransactionRow r;
  r.id = q.getColumn(0).getInt64();
  r.receipt_no = q.getColumn(1).getString();
  r.loan_id = q.getColumn(2).getInt64();
  r.loan_no = q.getColumn(3).getString();
  r.paid_on = to_date(q.getColumn(4).getString());
  r.kind = q.getColumn(5).getString();
  r.amount = q.getColumn(6).getInt64();
  if (!q.getColumn(7).isNull()) r.entry_id = q.getColumn(7).getInt64();
  if (!q.getColumn(8).isNull()) r.reversed_by = q.getColumn(8).getInt64();
  return r;
}

constexpr const char* kStatementCols =
    "id, as_of, period_from, version, source, content_hash, row_count, recorded_at";

VbspStatementHead head_from(sql::Query& q) {
  VbspStatementHead h;
  h.id = q.getColumn(0).getInt64();
  h.as_of = to_date(q.getColumn(1).getString());
  h.period_from = to_date(q.getColumn(2).getString());
  h.version = q.getColumn(3).getInt();
  h.source = q.getColumn(4).getString();
  h.content_hash = q.getColumn(5).getString();
  h.row_count = q.getColumn(6).getInt64();
  h.recorded_at = q.getColumn(7).getString();
  return h;
}

// --- the reconciliation's scans: one statement stepped row by row ----------------------------
// A cursor runs one statement and reads the current row's columns: RawCursor on SQLite (a raw
// prepared statement, text without a copy), QueryCursor on PostgreSQL (sql::Query). The readers
// below are templates over the cursor, so both engines run the same SQL and the same row code.

// One raw sqlite3 prepared statement, finalized with the object.
class RawCursor {
 public:
  RawCursor(Store& store, const char* sql) : db_(sqlite_database(store).getHandle()) {
    if (sqlite3_prepare_v2(db_, sql, -1, &q_, nullptr) != SQLITE_OK) sqlite_raw::fail(db_, "preparing a VBSP query");
  }
  ~RawCursor() { sqlite3_finalize(q_); }
  RawCursor(const RawCursor&) = delete;
  RawCursor& operator=(const RawCursor&) = delete;
  void bind(int i, const std::string& text) {
    if (sqlite3_bind_text(q_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) != SQLITE_OK)
      sqlite_raw::fail(db_, "binding a VBSP query");
  }
  void bind(int i, std::int64_t v) {
    if (sqlite3_bind_int64(q_, i, v) != SQLITE_OK) sqlite_raw::fail(db_, "binding a VBSP query");
  }
  bool step() {
    const int rc = sqlite3_step(q_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite_raw::fail(db_, "reading the VBSP tables");
  }
  std::int64_t i64(int i) const { return sqlite3_column_int64(q_, i); }
  std::string_view text(int i) const { return sqlite_raw::text_of(q_, i); }  // "" for NULL
  bool null(int i) const { return sqlite3_column_type(q_, i) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* q_ = nullptr;
};

// The same on either engine, through sql::Query (PostgreSQL).
class QueryCursor {
 public:
  QueryCursor(Store& store, const char* sql) : q_(store, sql) {}
  void bind(int i, const std::string& text) { q_.bind(i, text); }
  void bind(int i, std::int64_t v) { q_.bind(i, v); }
  bool step() { return q_.executeStep(); }
  std::int64_t i64(int i) const { return q_.getColumn(i).getInt64(); }
  std::string text(int i) const { return q_.getColumn(i).getString(); }  // "" for NULL
  bool null(int i) const { return q_.getColumn(i).isNull(); }

 private:
  sql::Query q_;
};

bool on_sqlite(Store& store) { return sql::engine_of(store) == sql::Engine::kSqlite; }

// The loans by loan number without joins: a join costs a B-tree seek per loan, and a million of
// them dominate the reconciliation. The groups' codes (a few thousand) are read once; the
// members' codes are left to VbspStore::member_code, for the few loans that need one.
template <class Cursor>
class LoanReader final : public VbspReader<VbspLoanRow> {
 public:
  LoanReader(Store& store, Date as_of)
      : q_(store,
           "SELECT l.id, l.loan_no, l.group_id, l.member_id, l.customer_code, l.borrower_name, l.programme, "
           "l.disbursed_on, l.amount, l.maturity_on FROM vbsp_loans l WHERE l.disbursed_on <= ?1 "
           "AND NOT EXISTS (SELECT 1 FROM entries rv JOIN entry_owners ro ON ro.entry_id = rv.id WHERE rv.reverses = l.entry_id) ORDER BY l.loan_no") {
    q_.bind(1, as_of.to_iso());
    Cursor g(store, "SELECT id, code FROM groups");
    while (g.step()) groups_.emplace(g.i64(0), std::string(g.text(1)));
  }
  bool next(VbspLoanRow& r) override {
    if (!q_.step()) return false;
    r.id = q_.i64(0);
    r.loan_no.assign(q_.text(1));
    r.group_id = q_.i64(2);
    auto g = groups_.find(r.group_id);
    if (g == groups_.end()) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("VBSP loan {} has no group")), r.loan_no)));
    r.group_code.assign(g->second);
    r.member_id = q_.i64(3);
    r.member_code.clear();
    r.customer_code.assign(q_.text(4));
    r.national_id.clear();
    r.borrower_name.assign(q_.text(5));
    r.programme.assign(q_.text(6));
    r.disbursed_on = to_date(q_.text(7));
    r.amount = q_.i64(8);
    r.maturity_on = to_date(q_.text(9));
    r.entry_id = 0;
    return true;
  }

 private:
  Cursor q_;
  std::unordered_map<std::int64_t, std::string> groups_;
};

template <class Cursor>
class StatementReader final : public VbspReader<VbspStatementRow> {
 public:
  StatementReader(Store& store, std::int64_t statement_id)
      : q_(store,
           "SELECT loan_no, line, group_code, commune_code, office_code, customer_code, borrower_name, programme, "
           "disbursed_on, principal_outstanding, principal_overdue, principal_frozen, interest_collected, "
           "interest_unpaid, savings_balance, status FROM vbsp_statement_rows WHERE statement_id = ?1 "
           "ORDER BY loan_no") {
    q_.bind(1, statement_id);
  }
  bool next(VbspStatementRow& r) override {
    if (!q_.step()) return false;
    r.loan_no.assign(q_.text(0));
    r.line = q_.i64(1);
    r.group_code.assign(q_.text(2));
    r.commune_code.assign(q_.text(3));  // NULL reads as ""
    r.office_code.assign(q_.text(4));
    r.customer_code.assign(q_.text(5));
    r.borrower_name.assign(q_.text(6));
    r.programme.assign(q_.text(7));
    if (q_.null(8))
      r.disbursed_on.reset();
    else
      r.disbursed_on = to_date(q_.text(8));
    r.principal_outstanding = q_.i64(9);
    r.principal_overdue = q_.i64(10);
    r.principal_frozen = q_.i64(11);
    r.interest_collected = q_.i64(12);
    r.interest_unpaid = q_.i64(13);
    r.savings_balance = q_.i64(14);
    r.status.assign(q_.text(15));
    return true;
  }

 private:
  Cursor q_;
};

// VbspStore::transaction_sums. SUM() of integers is exact on both engines (SQLite fails on
// overflow rather than wrapping; PostgreSQL's sum of BIGINT is NUMERIC, read as a whole number).
// A loan has one member: max(l.member_id) is it, and keeps the GROUP BY to t.loan_id, which SQLite
// walks in its index order (grouping by member_id too, as PostgreSQL would otherwise want, costs
// SQLite two temporary B-trees).
template <class Cursor>
std::vector<VbspLoanSums> sums_of(Store& store, Date from, Date as_of) {
  Cursor q(store,
           "SELECT t.loan_id, max(l.member_id), "
           "coalesce(sum(CASE WHEN t.kind = 'principal' THEN t.amount END), 0), "
           "coalesce(sum(CASE WHEN t.kind = 'interest' AND t.paid_on >= ?1 THEN t.amount END), 0), "
           "coalesce(sum(CASE t.kind WHEN 'savings-in' THEN t.amount WHEN 'savings-out' THEN -t.amount END), 0) "
           "FROM vbsp_transactions t JOIN vbsp_loans l ON l.id = t.loan_id "
           "WHERE t.paid_on <= ?2 AND l.disbursed_on <= ?2 "
           "AND NOT EXISTS (SELECT 1 FROM entries rv JOIN entry_owners ro ON ro.entry_id = rv.id WHERE rv.reverses = t.entry_id) "
           "GROUP BY t.loan_id ORDER BY t.loan_id");
  q.bind(1, from.to_iso());
  q.bind(2, as_of.to_iso());
  std::vector<VbspLoanSums> out;
  while (q.step()) out.push_back({q.i64(0), q.i64(1), q.i64(2), q.i64(3), q.i64(4)});
  return out;
}

}  // namespace

VbspStore::VbspStore(Store& store) : store_(store) {}
VbspStore::~VbspStore() = default;

sql::StatementCache& VbspStore::cache() {
  if (!cache_) cache_ = std::make_unique<sql::StatementCache>(store_);
  return *cache_;
}

std::unique_ptr<VbspReader<VbspLoanRow>> VbspStore::read_loans(Date as_of) {
  if (on_sqlite(store_)) return std::make_unique<LoanReader<RawCursor>>(store_, as_of);
  return std::make_unique<LoanReader<QueryCursor>>(store_, as_of);
}

std::string VbspStore::member_code(std::int64_t member_id) {
  auto use = cache().use("SELECT code FROM members WHERE id = ?");
  sql::Query& q = *use;
  q.bind(1, member_id);
  if (!q.executeStep()) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("there is no member with row id {}")), member_id)));
  return q.getColumn(0).getString();
}

std::unique_ptr<VbspReader<VbspStatementRow>> VbspStore::read_statement_rows(std::int64_t statement_id) {
  if (on_sqlite(store_)) return std::make_unique<StatementReader<RawCursor>>(store_, statement_id);
  return std::make_unique<StatementReader<QueryCursor>>(store_, statement_id);
}

std::vector<VbspLoanSums> VbspStore::transaction_sums(Date from, Date as_of) {
  return on_sqlite(store_) ? sums_of<RawCursor>(store_, from, as_of) : sums_of<QueryCursor>(store_, from, as_of);
}

std::optional<VbspLoanRow> VbspStore::find_loan(const std::string& loan_no) {
  auto use = cache().use(fmt::format("SELECT {} {} WHERE l.loan_no = ?", kLoanCols, kLoanFrom));
  sql::Query& q = *use;
  q.bind(1, loan_no);
  if (!q.executeStep()) return std::nullopt;
  return loan_from(q);
}

std::vector<VbspLoanRow> VbspStore::loans() {
  auto use = cache().use(fmt::format("SELECT {} {} WHERE {} ORDER BY l.loan_no", kLoanCols, kLoanFrom, kLoanStands));
  sql::Query& q = *use;
  std::vector<VbspLoanRow> out;
  while (q.executeStep()) out.push_back(loan_from(q));
  return out;
}

std::vector<std::pair<std::int64_t, std::int64_t>> VbspStore::loan_members() {
  auto use = cache().use(fmt::format("SELECT l.member_id, l.id FROM vbsp_loans l WHERE {}",
                                                             kLoanStands));
  sql::Query& q = *use;
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  while (q.executeStep()) out.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
  return out;
}

std::int64_t VbspStore::insert_loan(const VbspLoanRow& l, const std::string& recorded_at, std::int64_t user_id) {
  auto use = cache().use("INSERT INTO vbsp_loans (loan_no, group_id, member_id, customer_code, national_id, borrower_name, "
                         "programme, disbursed_on, amount, maturity_on, entry_id, recorded_at, user_id) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
  sql::Query& q = *use;
  q.bind(1, l.loan_no);
  q.bind(2, l.group_id);
  q.bind(3, l.member_id);
  q.bind(4, l.customer_code);
  bind_text_or_null(q, 5, l.national_id);
  q.bind(6, l.borrower_name);
  q.bind(7, l.programme);
  q.bind(8, l.disbursed_on.to_iso());
  q.bind(9, l.amount);
  q.bind(10, l.maturity_on.to_iso());
  q.bind(11, l.entry_id);
  q.bind(12, recorded_at);
  q.bind(13, user_id);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

std::optional<VbspTransactionRow> VbspStore::find_transaction(const std::string& receipt_no) {
  auto use = cache().use(fmt::format("SELECT {} FROM vbsp_transactions t JOIN vbsp_loans l ON l.id = t.loan_id "
                                     "WHERE t.receipt_no = ?",
                                     kTxCols));
  sql::Query& q = *use;
  q.bind(1, receipt_no);
  if (!q.executeStep()) return std::nullopt;
  return tx_from(q);
}

std::optional<VbspTransactionRow> VbspStore::find_transaction_by_entry(std::int64_t entry_id) {
  auto use = cache().use(fmt::format("SELECT {} FROM vbsp_transactions t JOIN vbsp_loans l ON l.id = t.loan_id "
                                     "WHERE t.entry_id = ?",
                                     kTxCols));
  sql::Query& q = *use;
  q.bind(1, entry_id);
  if (!q.executeStep()) return std::nullopt;
  return tx_from(q);
}

std::vector<VbspTransactionRow> VbspStore::transactions(std::int64_t loan_id) {
  auto use = cache().use(fmt::format("SELECT {} FROM vbsp_transactions t JOIN vbsp_loans l ON l.id = t.loan_id "
                                     "WHERE t.loan_id = ? AND {} ORDER BY t.paid_on, t.id",
                                     kTxCols, kTxStands));
  sql::Query& q = *use;
  q.bind(1, loan_id);
  std::vector<VbspTransactionRow> out;
  while (q.executeStep()) out.push_back(tx_from(q));
  return out;
}

std::vector<VbspTransactionRow> VbspStore::all_transactions(Date as_of) {
  auto use = cache().use(fmt::format("SELECT {} FROM vbsp_transactions t JOIN vbsp_loans l ON l.id = t.loan_id "
                                     "WHERE t.paid_on <= ? AND {} ORDER BY l.loan_no, t.paid_on, t.id",
                                     kTxCols, kTxStands));
  sql::Query& q = *use;
  q.bind(1, as_of.to_iso());
  std::vector<VbspTransactionRow> out;
  while (q.executeStep()) out.push_back(tx_from(q));
  return out;
}

void VbspStore::insert_transaction(const VbspTransactionRow& t, const std::string& recorded_at, std::int64_t user_id) {
  auto use = cache().use("INSERT INTO vbsp_transactions (receipt_no, loan_id, paid_on, kind, amount, entry_id, "
                         "recorded_at, user_id) VALUES (?,?,?,?,?,?,?,?)");
  sql::Query& q = *use;
  q.bind(1, t.receipt_no);
  q.bind(2, t.loan_id);
  q.bind(3, t.paid_on.to_iso());
  q.bind(4, t.kind);
  q.bind(5, t.amount);
  if (t.entry_id)
    q.bind(6, *t.entry_id);
  else
    q.bind(6);
  q.bind(7, recorded_at);
  q.bind(8, user_id);
  q.exec();
}

std::optional<VbspStatementHead> VbspStore::newest_statement(Date as_of) {
  auto use = cache().use(fmt::format("SELECT {} FROM vbsp_statements WHERE as_of = ? ORDER BY version DESC LIMIT 1",
                                     kStatementCols));
  sql::Query& q = *use;
  q.bind(1, as_of.to_iso());
  if (!q.executeStep()) return std::nullopt;
  return head_from(q);
}

std::vector<VbspStatementHead> VbspStore::statements() {
  auto use = cache().use(fmt::format("SELECT {} FROM vbsp_statements ORDER BY as_of, version", kStatementCols));
  sql::Query& q = *use;
  std::vector<VbspStatementHead> out;
  while (q.executeStep()) out.push_back(head_from(q));
  return out;
}

std::vector<VbspStatementRow> VbspStore::statement_rows(std::int64_t statement_id) {
  auto use = cache().use("SELECT loan_no, line, group_code, commune_code, office_code, customer_code, borrower_name, "
                         "programme, disbursed_on, principal_outstanding, principal_overdue, principal_frozen, "
                         "interest_collected, interest_unpaid, savings_balance, status FROM vbsp_statement_rows "
                         "WHERE statement_id = ? ORDER BY loan_no");
  sql::Query& q = *use;
  q.bind(1, statement_id);
  std::vector<VbspStatementRow> out;
  while (q.executeStep()) {
    VbspStatementRow r;
    r.loan_no = q.getColumn(0).getString();
    r.line = q.getColumn(1).getInt64();
    r.group_code = q.getColumn(2).getString();
    r.commune_code = text_or_empty(q.getColumn(3));
    r.office_code = text_or_empty(q.getColumn(4));
    r.customer_code = q.getColumn(5).getString();
    r.borrower_name = q.getColumn(6).getString();
    r.programme = q.getColumn(7).getString();
    if (!q.getColumn(8).isNull()) r.disbursed_on = to_date(q.getColumn(8).getString());
    r.principal_outstanding = q.getColumn(9).getInt64();
    r.principal_overdue = q.getColumn(10).getInt64();
    r.principal_frozen = q.getColumn(11).getInt64();
    r.interest_collected = q.getColumn(12).getInt64();
    r.interest_unpaid = q.getColumn(13).getInt64();
    r.savings_balance = q.getColumn(14).getInt64();
    r.status = q.getColumn(15).getString();
    out.push_back(std::move(r));
  }
  return out;
}

namespace {

// The parameters of one row of vbsp_statement_rows (bind_statement_row).
constexpr int kStatementColumns = 17;

// Binds `row` of statement `statement_id` to the kStatementColumns parameters after `base` of an
// INSERT into vbsp_statement_rows: each of them, NULL included.
void bind_statement_row(sql::Query& r, int base, std::int64_t statement_id, const VbspStatementRow& row) {
  r.bind(base + 1, statement_id);
  r.bind(base + 2, row.loan_no);
  r.bind(base + 3, row.line);
  r.bind(base + 4, row.group_code);
  bind_text_or_null(r, base + 5, row.commune_code);
  bind_text_or_null(r, base + 6, row.office_code);
  r.bind(base + 7, row.customer_code);
  r.bind(base + 8, row.borrower_name);
  r.bind(base + 9, row.programme);
  bind_opt(r, base + 10, row.disbursed_on);
  r.bind(base + 11, row.principal_outstanding);
  r.bind(base + 12, row.principal_overdue);
  r.bind(base + 13, row.principal_frozen);
  r.bind(base + 14, row.interest_collected);
  r.bind(base + 15, row.interest_unpaid);
  r.bind(base + 16, row.savings_balance);
  r.bind(base + 17, row.status);
}

}  // namespace

std::int64_t VbspStore::insert_statement(const VbspStatementHead& h, std::int64_t count,
                                         const std::function<void(std::int64_t, VbspStatementRow&)>& fill_row,
                                         std::int64_t user_id, const std::function<void(std::int64_t)>& on_rows) {
  sql::Query q(store_,
              "INSERT INTO vbsp_statements (as_of, period_from, version, source, content_hash, row_count, "
              "recorded_at, user_id) VALUES (?,?,?,?,?,?,?,?) RETURNING id");
  q.bind(1, h.as_of.to_iso());
  q.bind(2, h.period_from.to_iso());
  q.bind(3, h.version);
  q.bind(4, h.source);
  q.bind(5, h.content_hash);
  q.bind(6, h.row_count);
  q.bind(7, h.recorded_at);
  q.bind(8, user_id);
  q.executeStep();
  const std::int64_t id = q.getColumn(0).getInt64();
  // The rows go kStatementBatch to a statement (INSERT … VALUES (…), (…), …): on a server each
  // statement is a round trip. 500 × 17 parameters, well under SQLite's 32,766.
  constexpr std::int64_t kStatementBatch = 500;
  auto insert_sql = [](std::int64_t rows) {
    return "INSERT INTO vbsp_statement_rows (statement_id, loan_no, line, group_code, commune_code, office_code, "
           "customer_code, borrower_name, programme, disbursed_on, principal_outstanding, principal_overdue, "
           "principal_frozen, interest_collected, interest_unpaid, savings_balance, status) VALUES " +
           sql::values_rows(static_cast<std::size_t>(rows), kStatementColumns);
  };
  std::optional<sql::Query> full;  // a whole batch's statement, prepared once
  VbspStatementRow row;            // reused: its strings keep their buffers from one row to the next
  for (std::int64_t stored = 0; stored < count;) {
    const std::int64_t n = std::min(kStatementBatch, count - stored);
    std::optional<sql::Query> part;
    if (n == kStatementBatch && !full) full.emplace(store_, insert_sql(n));
    if (n < kStatementBatch) part.emplace(store_, insert_sql(n));
    sql::Query& r = n == kStatementBatch ? *full : *part;
    r.tryReset();  // every parameter is bound again below
    for (std::int64_t k = 0; k < n; ++k) {
      fill_row(stored + k, row);
      bind_statement_row(r, static_cast<int>(k) * kStatementColumns, id, row);
    }
    r.exec();
    const std::int64_t before = stored;
    stored += n;
    if (on_rows && (stored / 1000 != before / 1000 || stored == count)) on_rows(stored);
  }
  return id;
}

}  // namespace soquy
