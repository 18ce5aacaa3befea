// The SQL of the loans' checks (soquy/loan_checks.h): set-based, one query per figure, on either
// engine (sql_query.h).
#include <fmt/format.h>

#include "loan_store.h"
#include "soquy/charts.h"
#include "sql_checks.h"
#include "sql_query.h"
#include "store.h"

namespace soquy {

void LoanStore::for_each_figure_difference(const std::vector<Figure>& figures, const DifferenceFn& fn) {
  const std::string links = sql_checks::linked_entries(
      "links",
      "SELECT id, entry_id FROM loans UNION ALL SELECT loan_id, entry_id FROM loan_events WHERE entry_id IS NOT NULL "
      "UNION ALL SELECT ev.loan_id, ra.entry_id FROM loan_reallocations ra JOIN loan_events ev ON ev.id = ra.event_id");
  // A repayment, a payoff and a write-off move the figures; the other events carry none. The
  // disbursement is the principal's first movement. A reversed event (or disbursement) counts
  // for nothing, and its entries with their reversals (dated the same day) add up to nothing; a
  // repayment's figures are its split as it now stands, its entry and re-allocation entries'.
  std::string disbursed, moved, posted, accounts;
  for (const auto& f : figures) {
    const bool principal = f.column == "principal";
    disbursed += principal ? ", CASE WHEN reversed_by IS NULL THEN principal ELSE 0 END" : ", 0";
    moved += fmt::format(", {}ev.{}", principal ? "-" : "", f.column);
    posted += fmt::format(", CASE la.code WHEN '{}' THEN {} * lp.amount ELSE 0 END", f.account, f.sign);
    accounts += fmt::format("{}'{}'", accounts.empty() ? "" : ", ", f.account);
  }
  const std::string records = fmt::format(
      "SELECT id, disbursed_on{} FROM loans UNION ALL SELECT ev.loan_id, ev.on_date{} FROM loan_events ev "
      "WHERE ev.kind IN ('repay', 'payoff', 'writeoff') AND ev.reversed_by IS NULL",
      disbursed, moved);
  const std::string journal = fmt::format(
      "SELECT lk.k, le.date{} FROM links lk CROSS JOIN entries le ON le.id = lk.e "
      "CROSS JOIN postings lp ON lp.entry_id = lk.e CROSS JOIN accounts la ON la.id = lp.account_id "
      "WHERE la.code IN ({}) AND la.book_id = (SELECT id FROM books WHERE code = '{}')",
      posted, accounts, charts::fund::kBook);
  sql_checks::for_each_differing_day(store_, links, records, journal,
                                        static_cast<int>(figures.size()), fn);
}

std::string LoanStore::loan_label(std::int64_t id) {
  sql::Query q(store_,
               "SELECT l.code, coalesce(m.code, '?') FROM loans l LEFT JOIN members m ON m.id = l.member_id "
               "WHERE l.id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return fmt::format("loan #{}", id);
  return fmt::format("loan {} (member {})", q.getColumn(0).getString(), q.getColumn(1).getString());
}

std::int64_t LoanStore::loan_count() { return sql_checks::count(store_, "SELECT count(*) FROM loans"); }

void LoanStore::for_each_schedule(
    const std::function<void(const std::string&, std::int64_t, const std::string&)>& fn) {
  sql::Query q(store_, "SELECT code, principal, schedule FROM loans ORDER BY code");
  while (q.executeStep()) fn(q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getString());
}

}  // namespace soquy
