// The SQL of the groups' checks (soquy/group_checks.h), private to the groups' storage.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "soquy/civil_date.h"

namespace soquy {

class Store;

namespace group_checks {

using DifferenceFn = std::function<void(const std::string& key, Date d, std::int64_t records, std::int64_t journal)>;

// Groups of a kind ("savings", "pool", "rosca") that keep their own book.
std::int64_t count_groups(Store& store, const std::string& kinds_sql);
// Savings groups and pools: each group whose members' savings (meeting lines, contributions, less
// withdrawals, purchases and share-outs) differ as of some date from its book's 4111 (credit).
void savings_differences(Store& store, const DifferenceFn& fn);
// Savings groups: each group whose loans' outstanding principal (lent less the principal repaid)
// differs as of some date from its book's 2111.
void savings_loan_differences(Store& store, const DifferenceFn& fn);
// Each share-out (key "GROUP cycle N"): its loan fund cash against its payouts plus leftover
// (fund_fn), and its payouts against the cash its entry and reversals paid out (cash_fn).
struct ShareoutFigures {
  std::string group;
  std::int64_t cycle = 0;
  Date held_on;
  std::int64_t loan_fund_cash = 0, payouts = 0, leftover = 0, savings = 0, line_savings = 0, cash_paid = 0;
};
void for_each_shareout(Store& store, const std::function<void(const ShareoutFigures&)>& fn);
std::int64_t count_shareouts(Store& store);

// Hụi: the receivable 1311 of each group's book against dues billed less payments (plus what the
// wind-down left owing); keys are group codes.
void rosca_receivable_differences(Store& store, const DifferenceFn& fn);
// Hụi: advances (kind "advance") and payouts (kind "payout": payout + fee) recorded against the
// 3311 postings of their own entries and reversals.
void rosca_movement_differences(Store& store, const std::string& kind, const DifferenceFn& fn);
// Each round whose dues do not add up to its payout plus the holder's fee: fn(group, round,
// opened on, payout + fee, dues).
void for_each_unbalanced_round(Store& store, const std::function<void(const std::string& group, std::int64_t round,
                                                                      Date opened_on, std::int64_t payout_and_fee,
                                                                      std::int64_t dues)>& fn);
std::int64_t count_rounds(Store& store);

}  // namespace group_checks
}  // namespace soquy
