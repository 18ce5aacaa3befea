// The SQL of the loans' checks (soquy/loan_checks.h): set-based, one query per figure.
#include <SQLiteCpp/SQLiteCpp.h>

#include <fmt/format.h>

#include "loan_store.h"
#include "soquy/charts.h"
#include "sqlite_checks.h"
#include "store.h"

namespace soquy {

void LoanStore::for_each_figure_difference(std::string_view column, std::string_view account, int sign,
                                           const DifferenceFn& fn) {
  const bool principal = column == "principal";
  const std::string links = sqlite_checks::linked_entries(
      "links",
      "SELECT code, entry_id FROM loans UNION ALL SELECT l.code, ev.entry_id FROM loan_events ev "
      "JOIN loans l ON l.id = ev.loan_id WHERE ev.entry_id IS NOT NULL");
  // A repayment, a payoff and a write-off lower the outstanding principal; the other events
  // carry no principal.
  std::string records = fmt::format(
      "SELECT l.code, ev.on_date, {0}ev.{1} FROM loan_events ev JOIN loans l ON l.id = ev.loan_id "
      "WHERE ev.{1} <> 0 AND ev.kind IN ('repay', 'payoff', 'writeoff')",
      principal ? "-" : "", column);
  if (principal) records = "SELECT code, disbursed_on, principal FROM loans UNION ALL " + records;
  sqlite_checks::for_each_first_difference(
      sqlite_database(store_), links, records,
      sqlite_checks::linked_postings("links", charts::fund::kBook, account, sign), fn);
}

std::int64_t LoanStore::loan_count() { return sqlite_checks::count(sqlite_database(store_), "SELECT count(*) FROM loans"); }

void LoanStore::for_each_schedule(
    const std::function<void(const std::string&, std::int64_t, const std::string&)>& fn) {
  SQLite::Statement q(sqlite_database(store_), "SELECT code, principal, schedule FROM loans ORDER BY code");
  while (q.executeStep()) fn(q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getString());
}

}  // namespace soquy
