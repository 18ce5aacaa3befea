// The LoanStore, on either engine (sql_query.h). All SQL of loans lives here; it runs on the
// journal's connection, so it joins the Ledger's transactions. The overdue report's scan
// (LoanScan) keeps a raw sqlite3 fast path on SQLite; PostgreSQL reads the same SQL through
// sql::Query.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <string_view>

#include <fmt/format.h>

#include "loan_store.h"
#include "soquy/i18n.h"
#include "sql_query.h"
#include "sqlite_raw.h"
#include "sqlite_rows.h"
#include "store.h"

namespace soquy {
namespace {

using sql::bind_opt;
using sql::opt_int;
using sql::opt_text;
using sql::to_date;

constexpr const char* kProductCols =
    "id, code, method, rate, installments, frequency, grace, savings_rate, max_amount, penalty_rate, "
    "allocation_order, created_at";
ProductRow read_product(sql::Query& q) {
  ProductRow p;
  p.id = q.getColumn(0).getInt64();
  p.code = q.getColumn(1).getString();
  p.method = q.getColumn(2).getString();
  p.rate = q.getColumn(3).getString();
  p.installments = q.getColumn(4).getInt();
  p.frequency = q.getColumn(5).getString();
  p.grace = q.getColumn(6).getInt();
  p.savings_rate = opt_text(q.getColumn(7));
  p.max_amount = opt_int(q.getColumn(8));
  p.penalty_rate = opt_text(q.getColumn(9));
  p.allocation_order = q.getColumn(10).getString();
  p.created_at = q.getColumn(11).getString();
  return p;
}

// Loans with the registry's codes joined in.
constexpr const char* kLoanSelect =
    "SELECT l.id, l.code, l.member_id, m.code, m.name, u.code, m.ethnicity, l.group_id, "
    "COALESCE(g.code, ''), l.product_id, p.code, l.principal, l.method, l.rate, l.frequency, "
    "l.allocation_order, l.installments, l.grace, l.savings_rate, l.penalty_rate, l.disbursed_on, "
    "l.schedule, l.entry_id, l.reversed_by, COALESCE(l.reversal_reason, '') "
    "FROM loans l JOIN members m ON m.id = l.member_id JOIN units u ON u.id = m.unit_id "
    "JOIN loan_products p ON p.id = l.product_id LEFT JOIN groups g ON g.id = l.group_id ";
LoanRow read_loan(sql::Query& q) {
  LoanRow l;
  l.id = q.getColumn(0).getInt64();
  l.code = q.getColumn(1).getString();
  l.member_id = q.getColumn(2).getInt64();
  l.member_code = q.getColumn(3).getString();
  l.member_name = q.getColumn(4).getString();
  l.unit_code = q.getColumn(5).getString();
  l.ethnicity = q.getColumn(6).getString();
  l.group_id = opt_int(q.getColumn(7));
  l.group_code = q.getColumn(8).getString();
  l.product_id = q.getColumn(9).getInt64();
  l.product_code = q.getColumn(10).getString();
  l.principal = q.getColumn(11).getInt64();
  l.method = q.getColumn(12).getString();
  l.rate = q.getColumn(13).getString();
  l.frequency = q.getColumn(14).getString();
  l.allocation_order = q.getColumn(15).getString();
  l.installments = q.getColumn(16).getInt();
  l.grace = q.getColumn(17).getInt();
  l.savings_rate = opt_text(q.getColumn(18));
  l.penalty_rate = opt_text(q.getColumn(19));
  l.disbursed_on = to_date(q.getColumn(20).getString());
  l.schedule = q.getColumn(21).getString();
  l.entry_id = q.getColumn(22).getInt64();
  l.reversed_by = opt_int(q.getColumn(23));
  l.reversal_reason = q.getColumn(24).getString();
  return l;
}

constexpr const char* kEventCols =
    "id, loan_id, kind, on_date, amount, principal, interest, penalty, overpayment, savings, schedule, detail, "
    "client_id, entry_id, reversed_by, COALESCE(reversal_reason, '')";
EventRow read_event(sql::Query& q) {
  EventRow e;
  e.id = q.getColumn(0).getInt64();
  e.loan_id = q.getColumn(1).getInt64();
  e.kind = q.getColumn(2).getString();
  e.on = to_date(q.getColumn(3).getString());
  e.amount = q.getColumn(4).getInt64();
  e.principal = q.getColumn(5).getInt64();
  e.interest = q.getColumn(6).getInt64();
  e.penalty = q.getColumn(7).getInt64();
  e.overpayment = q.getColumn(8).getInt64();
  e.savings = q.getColumn(9).getInt64();
  e.schedule = opt_text(q.getColumn(10));
  e.detail = q.getColumn(11).getString();
  e.client_id = opt_text(q.getColumn(12));
  e.entry_id = opt_int(q.getColumn(13));
  e.reversed_by = opt_int(q.getColumn(14));
  e.reversal_reason = q.getColumn(15).getString();
  return e;
}

}  // namespace

LoanStore::LoanStore(Store& store) : store_(store) {}
LoanStore::~LoanStore() = default;

sql::StatementCache& LoanStore::cache() {
  if (!cache_) cache_ = std::make_unique<sql::StatementCache>(store_);
  return *cache_;
}

std::optional<ProductRow> LoanStore::find_product(const std::string& code) {
  auto use = cache().use(fmt::format("SELECT {} FROM loan_products WHERE code = ?", kProductCols));
  sql::Query& q = *use;
  q.bind(1, code);
  if (!q.executeStep()) return std::nullopt;
  return read_product(q);
}

std::vector<ProductRow> LoanStore::all_products() {
  auto use = cache().use(fmt::format("SELECT {} FROM loan_products ORDER BY code", kProductCols));
  sql::Query& q = *use;
  std::vector<ProductRow> out;
  while (q.executeStep()) out.push_back(read_product(q));
  return out;
}

std::int64_t LoanStore::insert_product(const ProductRow& p) {
  auto use = cache().use("INSERT INTO loan_products (code, method, rate, installments, frequency, grace, savings_rate, "
                      "max_amount, penalty_rate, allocation_order, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
  sql::Query& q = *use;
  q.bind(1, p.code);
  q.bind(2, p.method);
  q.bind(3, p.rate);
  q.bind(4, p.installments);
  q.bind(5, p.frequency);
  q.bind(6, p.grace);
  bind_opt(q, 7, p.savings_rate);
  bind_opt(q, 8, p.max_amount);
  bind_opt(q, 9, p.penalty_rate);
  q.bind(10, p.allocation_order);
  q.bind(11, p.created_at);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

std::optional<LoanRow> LoanStore::find_loan(const std::string& code) {
  auto use = cache().use(std::string(kLoanSelect) + "WHERE l.code = ?");
  sql::Query& q = *use;
  q.bind(1, code);
  if (!q.executeStep()) return std::nullopt;
  return read_loan(q);
}

std::vector<LoanRow> LoanStore::loans_of_member(std::int64_t member_id) {
  auto use = cache().use(std::string(kLoanSelect) + "WHERE l.member_id = ? AND l.reversed_by IS NULL ORDER BY l.id");
  sql::Query& q = *use;
  q.bind(1, member_id);
  std::vector<LoanRow> out;
  while (q.executeStep()) out.push_back(read_loan(q));
  return out;
}

std::vector<std::int64_t> LoanStore::member_entry_ids(std::int64_t member_id) {
  auto use = cache().use("SELECT entry_id FROM loans WHERE member_id = ?1 "
                      "UNION SELECT reversed_by FROM loans WHERE member_id = ?1 AND reversed_by IS NOT NULL "
                      "UNION SELECT e.entry_id FROM loan_events e JOIN loans l ON l.id = e.loan_id "
                      "WHERE l.member_id = ?1 AND e.entry_id IS NOT NULL "
                      "UNION SELECT e.reversed_by FROM loan_events e JOIN loans l ON l.id = e.loan_id "
                      "WHERE l.member_id = ?1 AND e.reversed_by IS NOT NULL "
                      "UNION SELECT ra.entry_id FROM loan_reallocations ra JOIN loan_events e ON e.id = ra.event_id "
                      "JOIN loans l ON l.id = e.loan_id WHERE l.member_id = ?1 "
                      "UNION SELECT r.id FROM entries r JOIN loan_reallocations ra ON r.reverses = ra.entry_id "
                      "JOIN loan_events e ON e.id = ra.event_id JOIN loans l ON l.id = e.loan_id "
                      "WHERE l.member_id = ?1 ORDER BY 1");
  sql::Query& q = *use;
  q.bind(1, member_id);
  std::vector<std::int64_t> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
  return out;
}

std::vector<LoanRow> LoanStore::loans_of_group(std::int64_t group_id) {
  auto use = cache().use(std::string(kLoanSelect) + "WHERE l.group_id = ? AND l.reversed_by IS NULL ORDER BY l.id");
  sql::Query& q = *use;
  q.bind(1, group_id);
  std::vector<LoanRow> out;
  while (q.executeStep()) out.push_back(read_loan(q));
  return out;
}

std::int64_t LoanStore::insert_loan(const LoanRow& l) {
  auto use = cache().use("INSERT INTO loans (code, member_id, group_id, product_id, principal, method, rate, installments, "
                      "frequency, grace, savings_rate, penalty_rate, allocation_order, disbursed_on, schedule, entry_id) "
                      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
  sql::Query& q = *use;
  q.bind(1, l.code);
  q.bind(2, l.member_id);
  bind_opt(q, 3, l.group_id);
  q.bind(4, l.product_id);
  q.bind(5, l.principal);
  q.bind(6, l.method);
  q.bind(7, l.rate);
  q.bind(8, l.installments);
  q.bind(9, l.frequency);
  q.bind(10, l.grace);
  bind_opt(q, 11, l.savings_rate);
  bind_opt(q, 12, l.penalty_rate);
  q.bind(13, l.allocation_order);
  q.bind(14, l.disbursed_on.to_iso());
  q.bind(15, l.schedule);
  q.bind(16, l.entry_id);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

std::vector<EventRow> LoanStore::events_of(std::int64_t loan_id) {
  auto use = cache().use(fmt::format("SELECT {} FROM loan_events WHERE loan_id = ? AND reversed_by IS NULL "
                                  "ORDER BY on_date, id",
                                  kEventCols));
  sql::Query& q = *use;
  q.bind(1, loan_id);
  std::vector<EventRow> out;
  while (q.executeStep()) out.push_back(read_event(q));
  return out;
}

std::vector<EventRow> LoanStore::all_events_of(std::int64_t loan_id) {
  auto use = cache().use(fmt::format("SELECT {} FROM loan_events WHERE loan_id = ? ORDER BY on_date, id", kEventCols));
  sql::Query& q = *use;
  q.bind(1, loan_id);
  std::vector<EventRow> out;
  while (q.executeStep()) out.push_back(read_event(q));
  return out;
}

std::optional<EventRow> LoanStore::find_event_by_client_id(std::int64_t loan_id, const std::string& client_id) {
  auto use = cache().use(fmt::format("SELECT {} FROM loan_events WHERE loan_id = ? AND client_id = ?", kEventCols));
  sql::Query& q = *use;
  q.bind(1, loan_id);
  q.bind(2, client_id);
  if (!q.executeStep()) return std::nullopt;
  return read_event(q);
}

std::int64_t LoanStore::insert_event(const EventRow& e) {
  auto use = cache().use("INSERT INTO loan_events (loan_id, kind, on_date, amount, principal, interest, penalty, "
                      "overpayment, savings, schedule, detail, client_id, entry_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                      "RETURNING id");
  sql::Query& q = *use;
  q.bind(1, e.loan_id);
  q.bind(2, e.kind);
  q.bind(3, e.on.to_iso());
  q.bind(4, e.amount);
  q.bind(5, e.principal);
  q.bind(6, e.interest);
  q.bind(7, e.penalty);
  q.bind(8, e.overpayment);
  q.bind(9, e.savings);
  bind_opt(q, 10, e.schedule);
  q.bind(11, e.detail);
  bind_opt(q, 12, e.client_id);
  bind_opt(q, 13, e.entry_id);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

// ---- corrections ------------------------------------------------------------------------------

std::optional<LoanRow> LoanStore::find_loan_by_entry(std::int64_t entry_id) {
  auto use = cache().use(std::string(kLoanSelect) + "WHERE l.entry_id = ?");
  sql::Query& q = *use;
  q.bind(1, entry_id);
  if (!q.executeStep()) return std::nullopt;
  return read_loan(q);
}

std::optional<LoanRow> LoanStore::find_loan_by_id(std::int64_t id) {
  auto use = cache().use(std::string(kLoanSelect) + "WHERE l.id = ?");
  sql::Query& q = *use;
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return read_loan(q);
}

std::optional<EventRow> LoanStore::find_event_by_entry(std::int64_t entry_id) {
  auto use = cache().use(fmt::format("SELECT {} FROM loan_events WHERE entry_id = ?", kEventCols));
  sql::Query& q = *use;
  q.bind(1, entry_id);
  if (!q.executeStep()) return std::nullopt;
  return read_event(q);
}

std::vector<std::pair<std::string, std::int64_t>> LoanStore::entries_of_receipt(const std::string& receipt) {
  auto use = cache().use("SELECT l.code, e.entry_id FROM loan_events e JOIN loans l ON l.id = e.loan_id "
                      "WHERE e.client_id = ? AND e.entry_id IS NOT NULL AND e.reversed_by IS NULL ORDER BY l.code, e.id");
  sql::Query& q = *use;
  q.bind(1, receipt);
  std::vector<std::pair<std::string, std::int64_t>> out;
  while (q.executeStep()) out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt64());
  return out;
}

std::optional<EventRow> LoanStore::find_reallocated_event(std::int64_t entry_id) {
  auto use = cache().use(fmt::format("SELECT {} FROM loan_events WHERE id = (SELECT event_id FROM loan_reallocations "
                                  "WHERE entry_id = ?)",
                                  kEventCols));
  sql::Query& q = *use;
  q.bind(1, entry_id);
  if (!q.executeStep()) return std::nullopt;
  return read_event(q);
}

std::vector<std::int64_t> LoanStore::reallocation_entries(std::int64_t event_id) {
  auto use = cache().use("SELECT entry_id FROM loan_reallocations WHERE event_id = ? ORDER BY entry_id");
  sql::Query& q = *use;
  q.bind(1, event_id);
  std::vector<std::int64_t> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
  return out;
}

void LoanStore::insert_reallocation(std::int64_t event_id, std::int64_t entry_id) {
  auto use = cache().use("INSERT INTO loan_reallocations (entry_id, event_id) VALUES (?, ?)");
  sql::Query& q = *use;
  q.bind(1, entry_id);
  q.bind(2, event_id);
  q.exec();
}

void LoanStore::mark_loan_reversed(std::int64_t loan_id, std::int64_t reversal_entry, const std::string& reason) {
  auto use = cache().use("UPDATE loans SET reversed_by = ?, reversal_reason = ? WHERE id = ?");
  sql::Query& q = *use;
  q.bind(1, reversal_entry);
  q.bind(2, reason);
  q.bind(3, loan_id);
  q.exec();
}

void LoanStore::mark_event_reversed(std::int64_t event_id, std::int64_t reversal_entry, const std::string& reason) {
  auto use = cache().use("UPDATE loan_events SET reversed_by = ?, reversal_reason = ? WHERE id = ?");
  sql::Query& q = *use;
  q.bind(1, reversal_entry);
  q.bind(2, reason);
  q.bind(3, event_id);
  q.exec();
}

void LoanStore::update_split(const EventRow& e) {
  auto use = cache().use("UPDATE loan_events SET principal = ?, interest = ?, penalty = ?, overpayment = ? WHERE id = ?");
  sql::Query& q = *use;
  q.bind(1, e.principal);
  q.bind(2, e.interest);
  q.bind(3, e.penalty);
  q.bind(4, e.overpayment);
  q.bind(5, e.id);
  q.exec();
}

void LoanStore::insert_collection_row(std::int64_t event_id, std::int64_t group_id, Date meeting) {
  auto use = cache().use("INSERT INTO loan_collection_rows (event_id, group_id, meeting_date) VALUES (?, ?, ?) "
                         "ON CONFLICT (event_id) DO NOTHING");
  sql::Query& q = *use;
  q.bind(1, event_id);
  q.bind(2, group_id);
  q.bind(3, meeting.to_iso());
  q.exec();
}

std::vector<EventRow> LoanStore::collection_events(std::int64_t group_id, const std::string& group_code, Date meeting) {
  // A default receipt is "sheet:GROUP:DATE:LOAN", its revisions "…~2", "…~3": compared by prefix.
  const std::string prefix = fmt::format("sheet:{}:{}:", group_code, meeting);
  sql::Query q(
      store_,
      fmt::format("SELECT {} FROM loan_events WHERE id IN (SELECT event_id FROM loan_collection_rows WHERE group_id = ?1 "
                  "AND meeting_date = ?2) OR (on_date = ?2 AND kind = 'repay' AND substr(client_id, 1, length(CAST(?3 AS TEXT))) = ?3 "
                  "AND loan_id IN (SELECT id FROM loans WHERE group_id = ?1)) ORDER BY on_date, id",
                  kEventCols));
  q.bind(1, group_id);
  q.bind(2, meeting.to_iso());
  q.bind(3, prefix);
  std::vector<EventRow> out;
  while (q.executeStep()) out.push_back(read_event(q));
  return out;
}

void LoanStore::for_each_loan(Date as_of,
                              const std::function<void(const LoanRow&, const std::vector<EventRow>&)>& fn) {
  const auto [first, last] = loan_id_range();
  LoanScan scan(*this);
  scan.for_each_loan(as_of, first, last, fn);
}

std::vector<std::unique_ptr<LoanScan>> LoanStore::reader_scans(int n) {
  std::vector<std::unique_ptr<LoanScan>> out;
  if (sql::engine_of(store_) == sql::Engine::kPostgresql) {
    for (int i = 0; i < n; ++i) {
      auto reader = sql::open_snapshot_reader(store_);
      if (!reader) break;
      out.push_back(std::make_unique<LoanScan>(std::move(reader)));
    }
    return out;
  }
  // On SQLite each reader opens the file and reads in a transaction of its own. A reading
  // command reads one snapshot (sqlite_store.cc, begin_snapshot): a reader is used only if it
  // reads the same state as this connection, and none is if a writer has committed since.
  sqlite3* h = sqlite_database(store_).getHandle();
  if (sqlite3_txn_state(h, "main") == SQLITE_TXN_WRITE) return out;  // another connection would not see it
  const char* file = sqlite3_db_filename(h, "main");
  if (!file || !*file) return out;  // an in-memory or temporary database
  for (int i = 0; i < n; ++i) {
    auto scan = std::make_unique<LoanScan>(std::string(file));
    if (!scan->reads_state_of(h)) break;
    out.push_back(std::move(scan));
  }
  return out;
}

std::pair<std::int64_t, std::int64_t> LoanStore::loan_id_range() {
  auto use = cache().use("SELECT min(id), max(id) FROM loans");
  sql::Query& q = *use;
  if (!q.executeStep() || q.getColumn(0).isNull()) return {0, -1};
  return {q.getColumn(0).getInt64(), q.getColumn(1).getInt64()};
}

// ---- LoanScan ----------------------------------------------------------------------------------
// On SQLite two raw statements prepared once (the report's hot path, and the other threads' own
// read-only connections); on PostgreSQL the same SQL through sql::Query. Both feed one merge of
// the loans' cursor with their events' (merge_scan): only the reading of a row differs.

namespace {

using sqlite_raw::text_of;

void opt_text_into(std::optional<std::string>& out, sqlite3_stmt* q, int i) {
  if (sqlite3_column_type(q, i) == SQLITE_NULL) {
    out.reset();
    return;
  }
  const auto t = text_of(q, i);
  if (out) out->assign(t);
  else out.emplace(t);
}

using sqlite_rows::date_of;

// Columns of kLoanSelect, into a row whose strings are reused.
void read_loan_into(sqlite3_stmt* q, LoanRow& l) {
  l.id = sqlite3_column_int64(q, 0);
  l.code.assign(text_of(q, 1));
  l.member_id = sqlite3_column_int64(q, 2);
  l.member_code.assign(text_of(q, 3));
  l.member_name.assign(text_of(q, 4));
  l.unit_code.assign(text_of(q, 5));
  l.ethnicity.assign(text_of(q, 6));
  if (sqlite3_column_type(q, 7) == SQLITE_NULL) l.group_id.reset();
  else l.group_id = sqlite3_column_int64(q, 7);
  l.group_code.assign(text_of(q, 8));
  l.product_id = sqlite3_column_int64(q, 9);
  l.product_code.assign(text_of(q, 10));
  l.principal = sqlite3_column_int64(q, 11);
  l.method.assign(text_of(q, 12));
  l.rate.assign(text_of(q, 13));
  l.frequency.assign(text_of(q, 14));
  l.allocation_order.assign(text_of(q, 15));
  l.installments = sqlite3_column_int(q, 16);
  l.grace = sqlite3_column_int(q, 17);
  opt_text_into(l.savings_rate, q, 18);
  opt_text_into(l.penalty_rate, q, 19);
  l.disbursed_on = date_of(q, 20);
  l.schedule.assign(text_of(q, 21));
  l.entry_id = sqlite3_column_int64(q, 22);
  if (sqlite3_column_type(q, 23) == SQLITE_NULL) l.reversed_by.reset();
  else l.reversed_by = sqlite3_column_int64(q, 23);
  l.reversal_reason.assign(text_of(q, 24));
}

// The loans of a scan: kLoanSelect for ids ?2..?3 disbursed on or before ?1, standing, by id.
std::string scan_loan_select() {
  return std::string(kLoanSelect) +
         "WHERE l.id BETWEEN ?2 AND ?3 AND l.disbursed_on <= ?1 AND l.reversed_by IS NULL ORDER BY l.id";
}

// The columns the replay needs; detail, client id and entry id are left empty.
constexpr const char* kScanEventSelect =
    "SELECT id, loan_id, kind, on_date, amount, principal, interest, penalty, overpayment, savings, schedule "
    "FROM loan_events WHERE loan_id BETWEEN ?2 AND ?3 AND on_date <= ?1 AND reversed_by IS NULL "
    "ORDER BY loan_id, on_date, id";

// The fields of kScanEventSelect that the replay leaves out.
void clear_unread(EventRow& e) {
  e.detail.clear();
  e.client_id.reset();
  e.entry_id.reset();
  e.reversed_by.reset();
}

void read_event_into(sqlite3_stmt* q, EventRow& e) {
  e.id = sqlite3_column_int64(q, 0);
  e.loan_id = sqlite3_column_int64(q, 1);
  e.kind.assign(text_of(q, 2));
  e.on = date_of(q, 3);
  e.amount = sqlite3_column_int64(q, 4);
  e.principal = sqlite3_column_int64(q, 5);
  e.interest = sqlite3_column_int64(q, 6);
  e.penalty = sqlite3_column_int64(q, 7);
  e.overpayment = sqlite3_column_int64(q, 8);
  e.savings = sqlite3_column_int64(q, 9);
  opt_text_into(e.schedule, q, 10);
  clear_unread(e);
}

void read_event_into(sql::Query& q, EventRow& e) {
  e.id = q.getColumn(0).getInt64();
  e.loan_id = q.getColumn(1).getInt64();
  e.kind = q.getColumn(2).getString();
  e.on = to_date(q.getColumn(3).getString());
  e.amount = q.getColumn(4).getInt64();
  e.principal = q.getColumn(5).getInt64();
  e.interest = q.getColumn(6).getInt64();
  e.penalty = q.getColumn(7).getInt64();
  e.overpayment = q.getColumn(8).getInt64();
  e.savings = q.getColumn(9).getInt64();
  e.schedule = opt_text(q.getColumn(10));
  clear_unread(e);
}

bool step_raw(sqlite3* db, sqlite3_stmt* q) {
  const int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite_raw::fail(db, "reading the loans");
}

// A scan's cursor on a raw sqlite3 statement.
struct RawCursor {
  sqlite3* db;
  sqlite3_stmt* q;
  bool step() { return step_raw(db, q); }
  std::int64_t loan_id() const { return sqlite3_column_int64(q, 1); }  // of an event row
  void read(LoanRow& l) const { read_loan_into(q, l); }
  void read(EventRow& e) const { read_event_into(q, e); }
};

// A scan's cursor on a sql::Query (PostgreSQL).
struct QueryCursor {
  sql::Query& q;
  bool step() { return q.executeStep(); }
  std::int64_t loan_id() const { return q.getColumn(1).getInt64(); }
  void read(LoanRow& l) const { l = read_loan(q); }
  void read(EventRow& e) const { read_event_into(q, e); }
};

// Walks the loans' cursor and hands each loan its events from the events' cursor (both in loan
// id order): fn(loan, events) with `row` and `buf` reused from one loan to the next.
template <class Cursor>
void merge_scan(Cursor loans, Cursor events, LoanRow& row, std::vector<EventRow>& buf, const LoanScan::Fn& fn) {
  bool have_event = events.step();
  while (loans.step()) {
    loans.read(row);
    buf.clear();  // keeps the capacity; an event's strings are short (no allocation)
    // Events of loans disbursed after as_of cannot be dated on or before it; skip any such.
    while (have_event && events.loan_id() < row.id) have_event = events.step();
    while (have_event && events.loan_id() == row.id) {
      events.read(buf.emplace_back());
      have_event = events.step();
    }
    fn(row, buf);
  }
}

}  // namespace

LoanScan::LoanScan(LoanStore& store) : owned_(false) {
  if (sql::engine_of(store.store_) != sql::Engine::kSqlite) {
    server_ = &store.store_;
    return;
  }
  db_ = sqlite_database(store.store_).getHandle();
  prepare();
}

LoanScan::LoanScan(std::unique_ptr<Store> server) : server_(server.get()), own_server_(std::move(server)) {}

LoanScan::LoanScan(const std::string& file) : owned_(true) {
  const int rc = sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("{}: cannot open for reading: {}")), file, message)));
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    if (sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
      sqlite_raw::fail(db_, "beginning a read transaction");
    sqlite_raw::state_mark(db_);  // the first read fixes the snapshot
    prepare();
  } catch (...) {
    sqlite3_finalize(loans_);
    sqlite3_finalize(events_);
    sqlite3_close(db_);
    throw;
  }
}

void LoanScan::prepare() {
  const std::string loans = scan_loan_select();
  if (sqlite3_prepare_v3(db_, loans.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &loans_, nullptr) != SQLITE_OK)
    sqlite_raw::fail(db_, "preparing the loans query");
  if (sqlite3_prepare_v3(db_, kScanEventSelect, -1, SQLITE_PREPARE_PERSISTENT, &events_, nullptr) != SQLITE_OK)
    sqlite_raw::fail(db_, "preparing the loan events query");
}

// Within the read transaction held since the constructor, db_'s mark is its snapshot's.
bool LoanScan::reads_state_of(sqlite3* other) const {
  return owned_ && sqlite_raw::state_mark(db_) == sqlite_raw::state_mark(other);
}

LoanScan::~LoanScan() {
  sqlite3_finalize(loans_);
  sqlite3_finalize(events_);
  if (owned_) sqlite3_close(db_);
}

void LoanScan::for_each_loan(Date as_of, std::int64_t first_id, std::int64_t last_id, const Fn& fn) {
  if (server_) {
    // A server's result comes whole to the client: ranges of kServerChunk loan ids keep the
    // memory bounded (the loans' ids are dense: one chunk is about that many loans' events).
    constexpr std::int64_t kServerChunk = 4096;
    sql::Query loans(*server_, scan_loan_select());
    sql::Query events(*server_, kScanEventSelect);
    for (std::int64_t lo = first_id; lo <= last_id;) {
      const std::int64_t hi = last_id - lo < kServerChunk ? last_id : lo + kServerChunk - 1;
      for (auto* q : {&loans, &events}) {
        q->tryReset();
        q->bind(1, as_of.to_iso());
        q->bind(2, lo);
        q->bind(3, hi);
      }
      merge_scan(QueryCursor{loans}, QueryCursor{events}, row_, events_buf_, fn);
      if (hi == last_id) break;
      lo = hi + 1;
    }
    return;
  }
  char iso[16];
  const auto n = as_of.write_iso(iso);
  struct Reset {
    sqlite3_stmt* a;
    sqlite3_stmt* b;
    ~Reset() {
      sqlite3_reset(a);
      sqlite3_reset(b);
      sqlite3_clear_bindings(a);
      sqlite3_clear_bindings(b);
    }
  } reset{loans_, events_};
  for (auto* q : {loans_, events_}) {
    sqlite3_bind_text(q, 1, iso, static_cast<int>(n), SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, first_id);
    sqlite3_bind_int64(q, 3, last_id);
  }
  merge_scan(RawCursor{db_, loans_}, RawCursor{db_, events_}, row_, events_buf_, fn);
}

}  // namespace soquy
