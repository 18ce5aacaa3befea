// The DuesStore, on either engine (sql_query.h). All SQL of the dues lives here; it runs on the
// journal's connection, so it joins the Ledger's transactions.
#include <fmt/format.h>

#include "dues_store.h"
#include "sql_query.h"

namespace soquy {
namespace {

using sql::to_date;

std::vector<DuesBillRow> read_bills(sql::Query& q) {
  std::vector<DuesBillRow> out;
  while (q.executeStep())
    out.push_back(DuesBillRow{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt64(),
                              to_date(q.getColumn(3).getString())});
  return out;
}

std::vector<DuesAllocationRow> read_allocations(sql::Query& q) {
  std::vector<DuesAllocationRow> out;
  while (q.executeStep())
    out.push_back(DuesAllocationRow{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt64(),
                                    to_date(q.getColumn(3).getString())});
  return out;
}

// Bills and allocations count only while their billing or payment entry stands (not reversed
// through the domain: an owned reversal entry is the mark). Callers append " AND …" conditions.
constexpr const char* kBillSelect =
    "SELECT b.member_id, b.period, b.amount, p.billed_on FROM dues_bills b JOIN dues_periods p ON p.period = b.period "
    "WHERE NOT EXISTS (SELECT 1 FROM entries rv JOIN entry_owners ro ON ro.entry_id = rv.id WHERE rv.reverses = p.entry_id)";
constexpr const char* kAllocationSelect =
    "SELECT p.member_id, a.period, a.amount, p.paid_on FROM dues_allocations a "
    "JOIN dues_payments p ON p.id = a.payment_id "
    "WHERE NOT EXISTS (SELECT 1 FROM entries rv JOIN entry_owners ro ON ro.entry_id = rv.id WHERE rv.reverses = p.entry_id)";
// The owned entry that reversed the row of `table` (NULL: none), as a column.
std::string reversed_by(const char* table) {
  return fmt::format("(SELECT rv.id FROM entries rv JOIN entry_owners ro ON ro.entry_id = rv.id "
                     "WHERE rv.reverses = {}.entry_id)",
                     table);
}

DuesPaymentRow read_payment(sql::Query& q) {
  DuesPaymentRow r{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), to_date(q.getColumn(2).getString()),
                   q.getColumn(3).getInt64(), q.getColumn(4).getString(), q.getColumn(5).getInt64(),
                   std::nullopt};
  if (!q.getColumn(6).isNull()) r.reversed_by = q.getColumn(6).getInt64();
  return r;
}

}  // namespace

std::vector<DuesRateRow> DuesStore::rates() {
  sql::Query q(store_, "SELECT valid_from, amount FROM dues_rates ORDER BY valid_from");
  std::vector<DuesRateRow> out;
  while (q.executeStep()) out.push_back(DuesRateRow{q.getColumn(0).getString(), q.getColumn(1).getInt64()});
  return out;
}

void DuesStore::insert_rate(const DuesRateRow& r, const std::string& recorded_at, std::int64_t user_id) {
  sql::Query q(store_,
               "INSERT INTO dues_rates (valid_from, amount, recorded_at, user_id) VALUES (?, ?, ?, ?)");
  q.bind(1, r.valid_from);
  q.bind(2, r.amount);
  q.bind(3, recorded_at);
  q.bind(4, user_id);
  q.exec();
}

std::vector<DuesSplitRow> DuesStore::splits() {
  sql::Query q(store_,
               "SELECT valid_from, level, basis_points FROM dues_splits ORDER BY valid_from, level");
  std::vector<DuesSplitRow> out;
  while (q.executeStep())
    out.push_back(DuesSplitRow{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64()});
  return out;
}

void DuesStore::insert_split(const DuesSplitRow& r, const std::string& recorded_at, std::int64_t user_id) {
  sql::Query q(store_,
               "INSERT INTO dues_splits (valid_from, level, basis_points, recorded_at, user_id) "
                      "VALUES (?, ?, ?, ?, ?)");
  q.bind(1, r.valid_from);
  q.bind(2, r.level);
  q.bind(3, r.basis_points);
  q.bind(4, recorded_at);
  q.bind(5, user_id);
  q.exec();
}

std::vector<DuesExemptionRow> DuesStore::exemptions() {
  sql::Query q(store_,
               "SELECT member_id, from_period, to_period, reason FROM dues_exemptions "
                      "ORDER BY member_id, from_period");
  std::vector<DuesExemptionRow> out;
  while (q.executeStep()) {
    DuesExemptionRow r{q.getColumn(0).getInt64(), q.getColumn(1).getString(), std::nullopt, q.getColumn(3).getString()};
    if (!q.getColumn(2).isNull()) r.to_period = q.getColumn(2).getString();
    out.push_back(std::move(r));
  }
  return out;
}

void DuesStore::insert_exemption(const DuesExemptionRow& r, const std::string& recorded_at, std::int64_t user_id) {
  sql::Query q(store_,
               "INSERT INTO dues_exemptions (member_id, from_period, to_period, reason, recorded_at, user_id) "
                      "VALUES (?, ?, ?, ?, ?, ?)");
  q.bind(1, r.member_id);
  q.bind(2, r.from_period);
  sql::bind_opt(q, 3, r.to_period);
  q.bind(4, r.reason);
  q.bind(5, recorded_at);
  q.bind(6, user_id);
  q.exec();
}

std::optional<DuesPeriodRow> DuesStore::find_period(const std::string& period) {
  sql::Query q(store_,
               fmt::format("SELECT period, billed_on, entry_id, members, exempt, amount, {} FROM dues_periods "
                                  "WHERE period = ?",
                                  reversed_by("dues_periods")));
  q.bind(1, period);
  if (!q.executeStep()) return std::nullopt;
  DuesPeriodRow r{q.getColumn(0).getString(), to_date(q.getColumn(1).getString()), std::nullopt,
                  q.getColumn(3).getInt64(),  q.getColumn(4).getInt64(),            q.getColumn(5).getInt64(),
                  std::nullopt};
  if (!q.getColumn(2).isNull()) r.entry_id = q.getColumn(2).getInt64();
  if (!q.getColumn(6).isNull()) r.reversed_by = q.getColumn(6).getInt64();
  return r;
}

std::optional<DuesPeriodRow> DuesStore::find_period_by_entry(std::int64_t entry_id) {
  sql::Query q(store_, "SELECT period FROM dues_periods WHERE entry_id = ?");
  q.bind(1, entry_id);
  if (!q.executeStep()) return std::nullopt;
  return find_period(q.getColumn(0).getString());
}

std::optional<std::string> DuesStore::last_period() {
  sql::Query q(store_,
               "SELECT max(period) FROM dues_periods WHERE NOT EXISTS (SELECT 1 FROM entries rv "
                      "JOIN entry_owners ro ON ro.entry_id = rv.id WHERE rv.reverses = dues_periods.entry_id)");
  if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
  return q.getColumn(0).getString();
}

void DuesStore::insert_period(const DuesPeriodRow& r) {
  sql::Query q(store_,
               "INSERT INTO dues_periods (period, billed_on, entry_id, members, exempt, amount) "
                      "VALUES (?, ?, ?, ?, ?, ?)");
  q.bind(1, r.period);
  q.bind(2, r.billed_on.to_iso());
  sql::bind_opt(q, 3, r.entry_id);
  q.bind(4, r.members);
  q.bind(5, r.exempt);
  q.bind(6, r.amount);
  q.exec();
}

void DuesStore::insert_bills(const std::vector<DuesBillRow>& rows) {
  sql::Query q(store_, "INSERT INTO dues_bills (period, member_id, amount) VALUES (?, ?, ?)");
  for (const auto& r : rows) {
    q.bind(1, r.period);
    q.bind(2, r.member_id);
    q.bind(3, r.amount);
    q.exec();
    q.tryReset();
  }
}

std::vector<DuesBillRow> DuesStore::bills_of(std::int64_t member_id) {
  sql::Query q(store_,
               fmt::format("{} AND b.member_id = ? ORDER BY b.period", kBillSelect));
  q.bind(1, member_id);
  return read_bills(q);
}

std::vector<DuesBillRow> DuesStore::all_bills() {
  sql::Query q(store_, fmt::format("{} ORDER BY b.member_id, b.period", kBillSelect));
  return read_bills(q);
}

std::optional<DuesPaymentRow> DuesStore::find_payment_by_receipt(const std::string& receipt) {
  sql::Query q(store_,
               fmt::format("SELECT id, member_id, paid_on, amount, coalesce(receipt, ''), entry_id, {} "
                                  "FROM dues_payments WHERE receipt = ?",
                                  reversed_by("dues_payments")));
  q.bind(1, receipt);
  if (!q.executeStep()) return std::nullopt;
  return read_payment(q);
}

std::optional<DuesPaymentRow> DuesStore::find_payment_by_entry(std::int64_t entry_id) {
  sql::Query q(store_,
               fmt::format("SELECT id, member_id, paid_on, amount, coalesce(receipt, ''), entry_id, {} "
                                  "FROM dues_payments WHERE entry_id = ?",
                                  reversed_by("dues_payments")));
  q.bind(1, entry_id);
  if (!q.executeStep()) return std::nullopt;
  return read_payment(q);
}

std::vector<DuesPaymentRow> DuesStore::payments_of(std::int64_t member_id) {
  sql::Query q(store_,
               fmt::format("SELECT id, member_id, paid_on, amount, coalesce(receipt, ''), entry_id, {} "
                                  "FROM dues_payments WHERE member_id = ? ORDER BY dues_payments.id",
                                  reversed_by("dues_payments")));
  q.bind(1, member_id);
  std::vector<DuesPaymentRow> out;
  while (q.executeStep()) out.push_back(read_payment(q));
  return out;
}

std::optional<DuesPaymentRow> DuesStore::first_payment_allocated_to(const std::string& period) {
  sql::Query q(store_,
               fmt::format("SELECT p.id, p.member_id, p.paid_on, p.amount, coalesce(p.receipt, ''), p.entry_id, "
                                  "NULL FROM dues_allocations a JOIN dues_payments p ON p.id = a.payment_id "
                                  "WHERE a.period = ? AND NOT EXISTS (SELECT 1 FROM entries rv JOIN entry_owners ro "
                                  "ON ro.entry_id = rv.id WHERE rv.reverses = p.entry_id) ORDER BY p.id LIMIT 1"));
  q.bind(1, period);
  if (!q.executeStep()) return std::nullopt;
  return read_payment(q);
}

std::int64_t DuesStore::insert_payment(const DuesPaymentRow& r) {
  sql::Query q(store_,
               "INSERT INTO dues_payments (member_id, paid_on, amount, receipt, entry_id) VALUES (?, ?, ?, ?, ?) "
              "RETURNING id");
  q.bind(1, r.member_id);
  q.bind(2, r.paid_on.to_iso());
  q.bind(3, r.amount);
  sql::bind_text_or_null(q, 4, r.receipt);
  q.bind(5, r.entry_id);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

void DuesStore::insert_allocation(std::int64_t payment_id, const std::string& period, std::int64_t amount) {
  sql::Query q(store_,
               "INSERT INTO dues_allocations (payment_id, period, amount) VALUES (?, ?, ?)");
  q.bind(1, payment_id);
  q.bind(2, period);
  q.bind(3, amount);
  q.exec();
}

std::vector<DuesAllocationRow> DuesStore::allocations_of(std::int64_t member_id) {
  sql::Query q(store_,
               fmt::format("{} AND p.member_id = ? ORDER BY a.period, p.id", kAllocationSelect));
  q.bind(1, member_id);
  return read_allocations(q);
}

std::vector<DuesAllocationRow> DuesStore::allocations_of_payment(std::int64_t payment_id) {
  sql::Query q(store_,
               fmt::format("{} AND p.id = ? ORDER BY a.period", kAllocationSelect));
  q.bind(1, payment_id);
  return read_allocations(q);
}

std::vector<DuesAllocationRow> DuesStore::all_allocations() {
  sql::Query q(store_,
               fmt::format("{} ORDER BY p.member_id, a.period, p.id", kAllocationSelect));
  return read_allocations(q);
}

}  // namespace soquy
