// Rows of the rotating-group tables and the storage under soquy::Rosca (not public API). Rosca
// owns the rules; this class only keeps and finds rows. All SQL is in rosca_store.cc, on the
// journal's connection, so its writes join the Ledger's transactions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "soquy/civil_date.h"

namespace soquy {

class Store;

struct RoscaAgreementRow {
  std::int64_t group_id = 0;
  std::int64_t holder_id = 0;
  std::string holder_code, holder_name;  // joined from members
  std::int64_t contribution = 0;
  std::string period, kind, late_rate, terms;
  Date start_on;
  std::int64_t fee = 0;
  bool holder_takes_first = false;
};

struct RoscaShareRow {
  int share_no = 0;
  std::int64_t member_id = 0;
  std::string member_code, member_name;  // joined
};

struct RoscaRoundRow {
  int round_no = 0;
  Date opened_on;
  std::string method;
  int winner_share = 0;
  std::int64_t bid = 0;
  std::optional<std::string> seed;
  std::string candidates;
  int dead = 0, living = 0;
  std::int64_t payout = 0, fee = 0;
  std::int64_t entry_id = 0;
};

struct RoscaBidRow {
  int round_no = 0, share_no = 0;
  std::int64_t bid = 0;
};

struct RoscaDueRow {
  int round_no = 0, share_no = 0;
  std::int64_t member_id = 0;
  std::int64_t amount = 0;
};

struct RoscaMovementRow {
  std::int64_t id = 0;
  std::string kind;  // payment | advance | payout
  std::int64_t member_id = 0;
  std::string member_code;  // joined
  std::optional<int> round_no;
  Date moved_on;
  std::int64_t amount = 0;
  std::string receipt;
  std::int64_t entry_id = 0;
  std::optional<std::int64_t> reversed_by;  // the journal entry that reversed it (read only)
};

struct RoscaClosingRow {
  Date closed_on;
  std::optional<std::int64_t> entry_id;
  std::vector<std::pair<std::int64_t, std::int64_t>> settlements;  // member_id, amount
};

class RoscaStore {
 public:
  explicit RoscaStore(Store& store) : store_(store) {}

  std::optional<RoscaAgreementRow> find_agreement(std::int64_t group_id);
  // Agreements whose holder is `member_id` (group ids).
  std::vector<std::int64_t> groups_held_by(std::int64_t member_id);
  void insert_agreement(const RoscaAgreementRow& a, const std::string& recorded_at, std::int64_t user_id);
  std::vector<RoscaShareRow> shares(std::int64_t group_id);  // by share_no
  void insert_share(std::int64_t group_id, int share_no, std::int64_t member_id);

  std::vector<RoscaRoundRow> rounds(std::int64_t group_id);  // by round_no
  void insert_round(std::int64_t group_id, const RoscaRoundRow& r, const std::string& recorded_at,
                    std::int64_t user_id);
  std::vector<RoscaBidRow> bids(std::int64_t group_id);  // by round, share
  void insert_bid(std::int64_t group_id, const RoscaBidRow& b);
  std::vector<RoscaDueRow> dues(std::int64_t group_id);  // by round, share
  void insert_due(std::int64_t group_id, const RoscaDueRow& d);

  std::vector<RoscaMovementRow> movements(std::int64_t group_id);  // by id (record order)
  std::int64_t insert_movement(std::int64_t group_id, const RoscaMovementRow& m, const std::string& recorded_at,
                               std::int64_t user_id);

  std::optional<RoscaClosingRow> closing(std::int64_t group_id);
  void insert_closing(std::int64_t group_id, const RoscaClosingRow& c, const std::string& recorded_at,
                      std::int64_t user_id);

 private:
  Store& store_;
};

}  // namespace soquy
