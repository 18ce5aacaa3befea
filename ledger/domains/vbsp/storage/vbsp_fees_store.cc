// The VbspFeeStore on either engine (sql_query.h). All SQL of VBSP fees lives here; it runs on
// the journal's connection, so it joins the Ledger's transactions.
#include <fmt/format.h>

#include "sql_query.h"
#include "vbsp_fees_store.h"

namespace soquy {
namespace {

using sql::to_date;

VbspContractRow contract_from(sql::Query& q) {
  VbspContractRow c;
  c.id = q.getColumn(0).getInt64();
  c.code = q.getColumn(1).getString();
  c.unit_id = q.getColumn(2).getInt64();
  c.unit_code = q.getColumn(3).getString();
  c.signed_on = to_date(q.getColumn(4).getString());
  return c;
}

constexpr const char* kContractSelect =
    "SELECT c.id, c.code, c.unit_id, u.code, c.signed_on FROM vbsp_contracts c JOIN units u ON u.id = c.unit_id";

}  // namespace

std::optional<VbspContractRow> VbspFeeStore::find_contract(const std::string& code) {
  sql::Query q(store_, fmt::format("{} WHERE c.code = ?", kContractSelect));
  q.bind(1, code);
  if (!q.executeStep()) return std::nullopt;
  return contract_from(q);
}

std::vector<VbspContractRow> VbspFeeStore::contracts() {
  sql::Query q(store_, fmt::format("{} ORDER BY c.code", kContractSelect));
  std::vector<VbspContractRow> out;
  while (q.executeStep()) out.push_back(contract_from(q));
  return out;
}

std::optional<std::int64_t> VbspFeeStore::unit_id(const std::string& unit_code) {
  sql::Query q(store_, "SELECT id FROM units WHERE code = ?");
  q.bind(1, unit_code);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getInt64();
}

void VbspFeeStore::insert_contract(const VbspContractRow& c, const std::string& recorded_at, std::int64_t user_id) {
  sql::Query q(store_,
                      "INSERT INTO vbsp_contracts (code, unit_id, signed_on, recorded_at, user_id) VALUES (?,?,?,?,?)");
  q.bind(1, c.code);
  q.bind(2, c.unit_id);
  q.bind(3, c.signed_on.to_iso());
  q.bind(4, recorded_at);
  q.bind(5, user_id);
  q.exec();
}

std::vector<VbspFeeRateRow> VbspFeeStore::rates() {
  sql::Query q(store_,
                      "SELECT r.contract_id, c.code, r.effective_from, r.fee_percent, r.commission_percent "
                      "FROM vbsp_fee_rates r JOIN vbsp_contracts c ON c.id = r.contract_id "
                      "ORDER BY c.code, r.effective_from");
  std::vector<VbspFeeRateRow> out;
  while (q.executeStep()) {
    VbspFeeRateRow r;
    r.contract_id = q.getColumn(0).getInt64();
    r.contract_code = q.getColumn(1).getString();
    r.effective_from = to_date(q.getColumn(2).getString());
    r.fee_percent = q.getColumn(3).getString();
    r.commission_percent = q.getColumn(4).getString();
    out.push_back(std::move(r));
  }
  return out;
}

void VbspFeeStore::insert_rate(const VbspFeeRateRow& r, const std::string& recorded_at, std::int64_t user_id) {
  sql::Query q(store_,
                      "INSERT INTO vbsp_fee_rates (contract_id, effective_from, fee_percent, commission_percent, "
                      "recorded_at, user_id) VALUES (?,?,?,?,?,?)");
  q.bind(1, r.contract_id);
  q.bind(2, r.effective_from.to_iso());
  q.bind(3, r.fee_percent);
  q.bind(4, r.commission_percent);
  q.bind(5, recorded_at);
  q.bind(6, user_id);
  q.exec();
}

std::optional<Date> VbspFeeStore::latest_statement_date(Date from, Date to) {
  sql::Query q(store_,
                      "SELECT MAX(as_of) FROM vbsp_statements WHERE as_of >= ? AND as_of <= ?");
  q.bind(1, from.to_iso());
  q.bind(2, to.to_iso());
  if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
  return to_date(q.getColumn(0).getString());
}

}  // namespace soquy
