// Rows of the VBSP fee tables (schemas/0009_vbsp_fees.sql) and their storage under
// soquy::VbspFees (not public API). VbspFees owns the rules; this class only keeps and finds rows.
// All SQL is in vbsp_fees_store.cc, on the journal's connection (SQLite or PostgreSQL), so its
// writes join the Ledger's transactions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "soquy/civil_date.h"

namespace soquy {

class Store;

struct VbspContractRow {
  std::int64_t id = 0;
  std::string code;
  std::int64_t unit_id = 0;
  std::string unit_code;  // joined
  Date signed_on;
};

struct VbspFeeRateRow {
  std::int64_t contract_id = 0;
  std::string contract_code;  // joined
  Date effective_from;
  std::string fee_percent, commission_percent;  // exact decimals as stored ("8", "7.5")
};

class VbspFeeStore {
 public:
  explicit VbspFeeStore(Store& store) : store_(store) {}

  std::optional<VbspContractRow> find_contract(const std::string& code);
  std::vector<VbspContractRow> contracts();  // by code
  std::optional<std::int64_t> unit_id(const std::string& unit_code);
  void insert_contract(const VbspContractRow& c, const std::string& recorded_at, std::int64_t user_id);

  std::vector<VbspFeeRateRow> rates();  // by contract code, effective_from
  void insert_rate(const VbspFeeRateRow& r, const std::string& recorded_at, std::int64_t user_id);

  // The latest date in [from, to] that has an imported VBSP statement (any version).
  std::optional<Date> latest_statement_date(Date from, Date to);

 private:
  Store& store_;
};

}  // namespace soquy
