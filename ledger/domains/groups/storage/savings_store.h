// Rows of the savings-group and pool tables and their storage under soquy::Savings (not public
// API). Savings owns the rules; this class only keeps and finds rows. All SQL is in
// savings_store.cc, on the journal's connection, so its writes join the Ledger's transactions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "soquy/civil_date.h"

namespace soquy {

class Store;

struct SavingsRulesRow {
  std::optional<std::int64_t> share_price;
  std::string method, leftover;
};

struct SavingsMeetingRow {
  std::int64_t id = 0;
  int cycle = 1;
  int meeting_no = 0;
  Date held_on;
  std::int64_t entry_id = 0;
  int revision = 1;                         // 2, 3, …: the date's sheet recorded again after a reversal
  std::optional<std::int64_t> reversed_by;  // the journal entry that reversed it (read only)
};

struct SavingsMeetingLineRow {
  std::int64_t meeting_id = 0;
  int line_no = 0;
  std::int64_t member_id = 0;
  std::string member_code;  // joined
  std::int64_t shares = 0, deposit = 0, savings = 0, social = 0, fine = 0, repayment = 0;
  std::optional<std::int64_t> loan_id;
};

struct SavingsLoanRow {
  std::int64_t id = 0;
  std::string code;
  std::int64_t member_id = 0;
  std::string member_code;  // joined
  int cycle = 1;
  std::int64_t principal = 0;
  std::string rate;
  int installments = 1;
  std::string frequency, method;
  int grace = 0;
  std::optional<std::string> penalty_rate;
  Date disbursed_on;
  std::int64_t entry_id = 0;
  std::optional<std::int64_t> reversed_by;
};

struct SavingsLoanPaymentRow {
  std::int64_t id = 0;
  std::int64_t loan_id = 0;
  Date paid_on;
  std::int64_t amount = 0, principal = 0, interest = 0, penalty = 0;
  std::optional<std::int64_t> meeting_id;
  std::int64_t entry_id = 0;
  std::optional<std::int64_t> reversed_by;
};

struct SavingsMovementRow {
  std::int64_t id = 0;
  int cycle = 1;
  std::int64_t member_id = 0;
  std::string member_code;  // joined
  std::string kind;         // withdraw | contribution | charge
  Date moved_on;
  std::int64_t amount = 0;
  std::int64_t entry_id = 0;
  std::optional<std::int64_t> reversed_by;
};

struct SavingsShareoutLineRow {
  std::int64_t member_id = 0;
  std::int64_t savings = 0;
  std::string weight;
  std::int64_t profit = 0, payout = 0;
};

struct SavingsShareoutRow {
  int cycle = 1;
  Date held_on;
  std::string method, leftover_rule;
  std::int64_t loan_fund_cash = 0, savings = 0, profit = 0, leftover = 0;
  std::int64_t entry_id = 0;
  int revision = 1;
  std::optional<std::int64_t> reversed_by;
  std::vector<SavingsShareoutLineRow> lines;
};

// Every row that points at an entry says which entry reversed it (reversed_by): the journal's
// reversal is the mark of a reversed record (schemas/0015_group_corrections.sql). Rows are read
// reversed or not; Savings decides what counts.
class SavingsStore {
 public:
  explicit SavingsStore(Store& store) : store_(store) {}

  std::optional<SavingsRulesRow> rules(std::int64_t group_id);
  void insert_rules(std::int64_t group_id, const SavingsRulesRow& r, const std::string& recorded_at,
                    std::int64_t user_id);

  std::vector<SavingsMeetingRow> meetings(std::int64_t group_id);  // by date, revision
  std::int64_t insert_meeting(std::int64_t group_id, const SavingsMeetingRow& m, const std::string& recorded_at,
                              std::int64_t user_id);
  std::vector<SavingsMeetingLineRow> meeting_lines(std::int64_t group_id);  // by meeting, line
  void insert_meeting_line(const SavingsMeetingLineRow& l);

  std::vector<SavingsLoanRow> loans(std::int64_t group_id);  // by code
  std::int64_t insert_loan(std::int64_t group_id, const SavingsLoanRow& l, const std::string& recorded_at,
                           std::int64_t user_id);
  std::vector<SavingsLoanPaymentRow> loan_payments(std::int64_t group_id);  // by id
  void insert_loan_payment(const SavingsLoanPaymentRow& p, const std::string& recorded_at, std::int64_t user_id);

  std::vector<SavingsMovementRow> movements(std::int64_t group_id);  // by id
  void insert_movement(std::int64_t group_id, const SavingsMovementRow& m, const std::string& recorded_at,
                       std::int64_t user_id);

  std::vector<SavingsShareoutRow> shareouts(std::int64_t group_id);  // by cycle, with lines
  void insert_shareout(std::int64_t group_id, const SavingsShareoutRow& s, const std::string& recorded_at,
                       std::int64_t user_id);

 private:
  Store& store_;
};

}  // namespace soquy
