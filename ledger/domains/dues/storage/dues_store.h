// Rows of the dues tables and the storage interface under soquy::Dues (not public API). Dues
// owns the rules; the store keeps and finds rows. All SQL is in dues_store.cc, on the
// journal's connection, so dues writes join the Ledger's transactions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "soquy/civil_date.h"

namespace soquy {

class Store;

struct DuesRateRow {
  std::string valid_from;  // YYYY-MM
  std::int64_t amount = 0;
};

struct DuesSplitRow {
  std::string valid_from;
  std::string level;
  std::int64_t basis_points = 0;
};

struct DuesExemptionRow {
  std::int64_t member_id = 0;
  std::string from_period;
  std::optional<std::string> to_period;
  std::string reason;
};

struct DuesPeriodRow {
  std::string period;
  Date billed_on;
  std::optional<std::int64_t> entry_id;
  std::int64_t members = 0;
  std::int64_t exempt = 0;
  std::int64_t amount = 0;
  std::optional<std::int64_t> reversed_by;  // the entry that reversed its billing (read only)
};

struct DuesBillRow {
  std::int64_t member_id = 0;
  std::string period;
  std::int64_t amount = 0;
  Date billed_on;  // of the period's run
};

struct DuesPaymentRow {
  std::int64_t id = 0;
  std::int64_t member_id = 0;
  Date paid_on;
  std::int64_t amount = 0;
  std::string receipt;  // "" for none
  std::int64_t entry_id = 0;
  std::optional<std::int64_t> reversed_by;  // the entry that reversed it (read only)
};

struct DuesAllocationRow {
  std::int64_t member_id = 0;
  std::string period;
  std::int64_t amount = 0;
  Date paid_on;  // of the payment
};

class DuesStore {
 public:
  explicit DuesStore(Store& store) : store_(store) {}

  std::vector<DuesRateRow> rates();  // by valid_from
  void insert_rate(const DuesRateRow& r, const std::string& recorded_at, std::int64_t user_id);
  std::vector<DuesSplitRow> splits();  // by valid_from, level
  void insert_split(const DuesSplitRow& r, const std::string& recorded_at, std::int64_t user_id);
  std::vector<DuesExemptionRow> exemptions();  // by member, from_period
  void insert_exemption(const DuesExemptionRow& r, const std::string& recorded_at, std::int64_t user_id);

  std::optional<DuesPeriodRow> find_period(const std::string& period);
  std::optional<std::string> last_period();
  void insert_period(const DuesPeriodRow& r);
  // Inserts the bills of one period (one prepared statement for all).
  void insert_bills(const std::vector<DuesBillRow>& rows);
  std::vector<DuesBillRow> bills_of(std::int64_t member_id);  // by period
  std::vector<DuesBillRow> all_bills();                       // by member, period

  // Reversed rows are found too (reversed_by set); every other query reads only what stands.
  std::optional<DuesPaymentRow> find_payment_by_receipt(const std::string& receipt);
  std::optional<DuesPaymentRow> find_payment_by_entry(std::int64_t entry_id);
  std::vector<DuesPaymentRow> payments_of(std::int64_t member_id);  // by id
  std::optional<DuesPaymentRow> first_payment_allocated_to(const std::string& period);  // standing only
  std::optional<DuesPeriodRow> find_period_by_entry(std::int64_t entry_id);
  std::int64_t insert_payment(const DuesPaymentRow& r);
  void insert_allocation(std::int64_t payment_id, const std::string& period, std::int64_t amount);
  std::vector<DuesAllocationRow> allocations_of(std::int64_t member_id);
  std::vector<DuesAllocationRow> allocations_of_payment(std::int64_t payment_id);
  std::vector<DuesAllocationRow> all_allocations();  // by member, period

 private:
  Store& store_;
};

}  // namespace soquy
