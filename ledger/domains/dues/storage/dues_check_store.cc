// The SQL of the dues check: one query, on either engine (sql_checks.h).
#include <fmt/format.h>

#include "dues_check_store.h"
#include "soquy/charts.h"
#include "sql_checks.h"
#include "store.h"

namespace soquy::dues_checks {

std::int64_t count_members_billed(Store& store) {
  return sql_checks::count(store, "SELECT count(DISTINCT member_id) FROM dues_bills");
}

void receivable_differences(
    Store& store, const std::function<void(const std::string&, Date, std::int64_t, std::int64_t)>& fn) {
  namespace u = charts::union_book;
  sql_checks::for_each_first_difference(
      store, "",
      "SELECT 'union', p.billed_on, b.amount FROM dues_bills b JOIN dues_periods p ON p.period = b.period "
      "WHERE NOT EXISTS (SELECT 1 FROM entries rv JOIN entry_owners ro ON ro.entry_id = rv.id WHERE rv.reverses = p.entry_id) "
      "UNION ALL SELECT 'union', y.paid_on, -y.amount FROM dues_payments y "
      "WHERE NOT EXISTS (SELECT 1 FROM entries rv JOIN entry_owners ro ON ro.entry_id = rv.id WHERE rv.reverses = y.entry_id)",
      fmt::format("SELECT 'union', e.date, p.amount FROM accounts a CROSS JOIN postings p ON p.account_id = a.id "
                  "CROSS JOIN entries e ON e.id = p.entry_id WHERE a.code = '{1}' "
                  "AND a.book_id = (SELECT id FROM books WHERE code = '{0}')",
                  u::kBook, u::kDuesReceivable),
      fn);
}

}  // namespace soquy::dues_checks
