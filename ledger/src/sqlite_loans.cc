// SQLite implementation of the LoanStore. All SQL of loans lives here; it runs on the journal's
// connection (sqlite_database), so it joins the Ledger's transactions.
#include <SQLiteCpp/SQLiteCpp.h>

#include <fmt/format.h>

#include "loan_store.h"
#include "store.h"

namespace soquy {
namespace {

Date to_date(const std::string& iso) {
  auto d = Date::parse_iso(iso);
  if (!d) throw SoquyException(Error::io(fmt::format("loan tables hold a malformed date '{}'", iso)));
  return *d;
}

std::optional<std::string> opt_text(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

std::optional<std::int64_t> opt_int(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

void bind_opt(SQLite::Statement& q, int i, const std::optional<std::string>& v) {
  if (v) q.bind(i, *v);
  else q.bind(i);
}

void bind_opt(SQLite::Statement& q, int i, const std::optional<std::int64_t>& v) {
  if (v) q.bind(i, *v);
  else q.bind(i);
}

constexpr const char* kProductCols =
    "id, code, method, rate, installments, frequency, grace, savings_rate, max_amount, penalty_rate, "
    "allocation_order, created_at";
ProductRow read_product(SQLite::Statement& q) {
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
    "l.schedule, l.entry_id "
    "FROM loans l JOIN members m ON m.id = l.member_id JOIN units u ON u.id = m.unit_id "
    "JOIN loan_products p ON p.id = l.product_id LEFT JOIN groups g ON g.id = l.group_id ";
LoanRow read_loan(SQLite::Statement& q) {
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
  return l;
}

constexpr const char* kEventCols =
    "id, loan_id, kind, on_date, amount, principal, interest, penalty, overpayment, savings, schedule, detail, "
    "client_id, entry_id";
EventRow read_event(SQLite::Statement& q) {
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
  return e;
}

}  // namespace

std::optional<ProductRow> LoanStore::find_product(const std::string& code) {
  SQLite::Statement q(sqlite_database(store_), fmt::format("SELECT {} FROM loan_products WHERE code = ?", kProductCols));
  q.bind(1, code);
  if (!q.executeStep()) return std::nullopt;
  return read_product(q);
}

std::vector<ProductRow> LoanStore::all_products() {
  SQLite::Statement q(sqlite_database(store_), fmt::format("SELECT {} FROM loan_products ORDER BY code", kProductCols));
  std::vector<ProductRow> out;
  while (q.executeStep()) out.push_back(read_product(q));
  return out;
}

std::int64_t LoanStore::insert_product(const ProductRow& p) {
  SQLite::Statement q(sqlite_database(store_),
                      "INSERT INTO loan_products (code, method, rate, installments, frequency, grace, savings_rate, "
                      "max_amount, penalty_rate, allocation_order, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
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
  q.exec();
  return sqlite_database(store_).getLastInsertRowid();
}

std::optional<LoanRow> LoanStore::find_loan(const std::string& code) {
  SQLite::Statement q(sqlite_database(store_), std::string(kLoanSelect) + "WHERE l.code = ?");
  q.bind(1, code);
  if (!q.executeStep()) return std::nullopt;
  return read_loan(q);
}

std::vector<LoanRow> LoanStore::loans_of_member(std::int64_t member_id) {
  SQLite::Statement q(sqlite_database(store_), std::string(kLoanSelect) + "WHERE l.member_id = ? ORDER BY l.id");
  q.bind(1, member_id);
  std::vector<LoanRow> out;
  while (q.executeStep()) out.push_back(read_loan(q));
  return out;
}

std::vector<LoanRow> LoanStore::loans_of_group(std::int64_t group_id) {
  SQLite::Statement q(sqlite_database(store_), std::string(kLoanSelect) + "WHERE l.group_id = ? ORDER BY l.id");
  q.bind(1, group_id);
  std::vector<LoanRow> out;
  while (q.executeStep()) out.push_back(read_loan(q));
  return out;
}

std::int64_t LoanStore::insert_loan(const LoanRow& l) {
  SQLite::Statement q(sqlite_database(store_),
                      "INSERT INTO loans (code, member_id, group_id, product_id, principal, method, rate, installments, "
                      "frequency, grace, savings_rate, penalty_rate, allocation_order, disbursed_on, schedule, entry_id) "
                      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
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
  q.exec();
  return sqlite_database(store_).getLastInsertRowid();
}

std::vector<EventRow> LoanStore::events_of(std::int64_t loan_id) {
  SQLite::Statement q(sqlite_database(store_),
                      fmt::format("SELECT {} FROM loan_events WHERE loan_id = ? ORDER BY on_date, id", kEventCols));
  q.bind(1, loan_id);
  std::vector<EventRow> out;
  while (q.executeStep()) out.push_back(read_event(q));
  return out;
}

std::optional<EventRow> LoanStore::find_event_by_client_id(std::int64_t loan_id, const std::string& client_id) {
  SQLite::Statement q(sqlite_database(store_),
                      fmt::format("SELECT {} FROM loan_events WHERE loan_id = ? AND client_id = ?", kEventCols));
  q.bind(1, loan_id);
  q.bind(2, client_id);
  if (!q.executeStep()) return std::nullopt;
  return read_event(q);
}

std::int64_t LoanStore::insert_event(const EventRow& e) {
  SQLite::Statement q(sqlite_database(store_),
                      "INSERT INTO loan_events (loan_id, kind, on_date, amount, principal, interest, penalty, "
                      "overpayment, savings, schedule, detail, client_id, entry_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
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
  q.exec();
  return sqlite_database(store_).getLastInsertRowid();
}

void LoanStore::for_each_loan(Date as_of,
                              const std::function<void(const LoanRow&, const std::vector<EventRow>&)>& fn) {
  auto& db = sqlite_database(store_);
  const std::string iso = as_of.to_iso();
  SQLite::Statement loans(db, std::string(kLoanSelect) + "WHERE l.disbursed_on <= ? ORDER BY l.id");
  loans.bind(1, iso);
  SQLite::Statement events(
      db, fmt::format("SELECT {} FROM loan_events WHERE on_date <= ? ORDER BY loan_id, on_date, id", kEventCols));
  events.bind(1, iso);
  bool have_event = events.executeStep();
  std::vector<EventRow> batch;
  while (loans.executeStep()) {
    LoanRow loan = read_loan(loans);
    batch.clear();
    // Events of loans disbursed after as_of cannot be dated on or before it; skip any such.
    while (have_event && events.getColumn(1).getInt64() < loan.id) have_event = events.executeStep();
    while (have_event && events.getColumn(1).getInt64() == loan.id) {
      batch.push_back(read_event(events));
      have_event = events.executeStep();
    }
    fn(loan, batch);
  }
}

}  // namespace soquy
