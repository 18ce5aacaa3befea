// The SQL of the groups' checks: set-based, a few queries for every group at once, on either
// engine (sql_query.h).
#include <fmt/format.h>

#include "group_check_store.h"
#include "soquy/charts.h"
#include "sql_checks.h"
#include "store.h"

namespace soquy::group_checks {
namespace {

namespace g = charts::group;

// The postings to `account` of each group's own book, as (group code, date, amount × sign); the
// join order is fixed (CROSS JOIN) so that only those accounts' postings are read.
std::string book_postings(const std::string& kinds_sql, std::string_view account, int sign) {
  return fmt::format(
      "SELECT gg.code, ge.date, {2} * gp.amount FROM groups gg CROSS JOIN accounts ga ON ga.book_id = gg.book_id "
      "AND ga.code = '{1}' CROSS JOIN postings gp ON gp.account_id = ga.id CROSS JOIN entries ge ON ge.id = gp.entry_id "
      "WHERE gg.kind IN ({0})",
      kinds_sql, account, sign);
}

// The record aliased `alias` (with an entry_id) stands: its entry was not reversed through its
// domain (an owned reversal, Ledger::reverse_owned). Such a reversal is dated at its original's
// date, so a reversed record and its entry leave every running sum together; a reversal made in
// the journal alone leaves the record standing, and the check names the difference.
std::string standing(const char* alias) {
  return fmt::format("NOT EXISTS (SELECT 1 FROM entries rv JOIN entry_owners ro ON ro.entry_id = rv.id "
                     "WHERE rv.reverses = {}.entry_id)",
                     alias);
}

}  // namespace

std::int64_t count_groups(Store& store, const std::string& kinds_sql) {
  return sql_checks::count(store,
                              fmt::format("SELECT count(*) FROM groups WHERE book_id IS NOT NULL AND kind IN ({})",
                                          kinds_sql));
}

void savings_differences(Store& store, const DifferenceFn& fn) {
  const std::string records =
      "SELECT g.code, m.held_on, l.savings FROM savings_meeting_lines l JOIN savings_meetings m ON m.id = l.meeting_id "
      "JOIN groups g ON g.id = m.group_id WHERE l.savings <> 0 AND " + standing("m") +
      " UNION ALL SELECT g.code, v.moved_on, CASE v.kind WHEN 'contribution' THEN v.amount ELSE -v.amount END "
      "FROM savings_movements v JOIN groups g ON g.id = v.group_id WHERE v.kind IN ('contribution', 'withdraw', "
      "'charge') AND " + standing("v") +
      " UNION ALL SELECT g.code, s.held_on, -sl.savings FROM savings_shareout_lines sl JOIN savings_shareouts s "
      "ON s.group_id = sl.group_id AND s.cycle = sl.cycle AND s.revision = sl.revision JOIN groups g "
      "ON g.id = sl.group_id WHERE sl.savings <> 0 AND " + standing("s");
  sql_checks::for_each_first_difference(store, "", records,
                                           book_postings("'savings', 'pool'", g::kMemberShares, -1), fn);
}

void savings_loan_differences(Store& store, const DifferenceFn& fn) {
  const std::string records =
      "SELECT g.code, l.disbursed_on, l.principal FROM savings_loans l JOIN groups g ON g.id = l.group_id WHERE " +
      standing("l") +
      " UNION ALL SELECT g.code, p.paid_on, -p.principal FROM savings_loan_payments p JOIN savings_loans l "
      "ON l.id = p.loan_id JOIN groups g ON g.id = l.group_id WHERE p.principal <> 0 AND " + standing("p");
  sql_checks::for_each_first_difference(store, "", records,
                                           book_postings("'savings', 'pool'", g::kLoansToMembers, 1), fn);
}

void for_each_shareout(Store& store, const std::function<void(const ShareoutFigures&)>& fn) {
  const std::string links = sql_checks::linked_entries(
      "links", "SELECT s.group_id || '/' || s.cycle, s.entry_id FROM savings_shareouts s WHERE " + standing("s"));
  sql::Query q(
      store,
      fmt::format("WITH RECURSIVE {0}, "
                  "paid AS (SELECT k.k, -sum(p.amount) AS cash FROM links k CROSS JOIN postings p ON p.entry_id = k.e "
                  "  CROSS JOIN accounts a ON a.id = p.account_id WHERE a.code = '{1}' GROUP BY k.k), "
                  "lines AS (SELECT group_id, cycle, revision, sum(payout) AS payouts, sum(savings) AS savings "
                  "  FROM savings_shareout_lines GROUP BY group_id, cycle, revision) "
                  "SELECT g.code, s.cycle, s.held_on, s.loan_fund_cash, s.leftover, s.savings, "
                  "coalesce(ln.payouts, 0), coalesce(ln.savings, 0), coalesce(pd.cash, 0) "
                  "FROM savings_shareouts s JOIN groups g ON g.id = s.group_id "
                  "LEFT JOIN lines ln ON ln.group_id = s.group_id AND ln.cycle = s.cycle AND ln.revision = s.revision "
                  "LEFT JOIN paid pd ON pd.k = s.group_id || '/' || s.cycle WHERE {2} ORDER BY g.code, s.cycle",
                  links, g::kCash, standing("s")));
  while (q.executeStep()) {
    ShareoutFigures f;
    f.group = q.getColumn(0).getString();
    f.cycle = q.getColumn(1).getInt64();
    f.held_on = sql::to_date(q.getColumn(2).getString());
    f.loan_fund_cash = q.getColumn(3).getInt64();
    f.leftover = q.getColumn(4).getInt64();
    f.savings = q.getColumn(5).getInt64();
    f.payouts = q.getColumn(6).getInt64();
    f.line_savings = q.getColumn(7).getInt64();
    f.cash_paid = q.getColumn(8).getInt64();
    fn(f);
  }
}

std::int64_t count_shareouts(Store& store) {
  return sql_checks::count(store, "SELECT count(*) FROM savings_shareouts s WHERE " + standing("s"));
}

void rosca_receivable_differences(Store& store, const DifferenceFn& fn) {
  const std::string records =
      "SELECT g.code, r.opened_on, d.amount FROM rosca_dues d JOIN rosca_rounds r ON r.group_id = d.group_id "
      "AND r.round_no = d.round_no JOIN groups g ON g.id = d.group_id "
      "UNION ALL SELECT g.code, v.moved_on, -v.amount FROM rosca_movements v JOIN groups g ON g.id = v.group_id "
      "WHERE v.kind = 'payment' AND " + standing("v") + " "
      "UNION ALL SELECT g.code, c.closed_on, s.amount FROM rosca_settlements s JOIN rosca_closings c "
      "ON c.group_id = s.group_id JOIN groups g ON g.id = s.group_id WHERE s.amount > 0";
  sql_checks::for_each_first_difference(store, "", records,
                                           book_postings("'rosca'", g::kMemberReceivables, 1), fn);
}

void rosca_movement_differences(Store& store, const std::string& kind, const DifferenceFn& fn) {
  const bool payout = kind == "payout";
  const std::string links = sql_checks::linked_entries(
      "links", fmt::format("SELECT g.code, v.entry_id FROM rosca_movements v JOIN groups g ON g.id = v.group_id "
                           "WHERE v.kind = '{}'",
                           kind));
  const std::string records =
      (payout ? "SELECT g.code, v.moved_on, v.amount + r.fee FROM rosca_movements v JOIN groups g ON g.id = v.group_id "
                "JOIN rosca_rounds r ON r.group_id = v.group_id AND r.round_no = v.round_no WHERE v.kind = 'payout'"
              : "SELECT g.code, v.moved_on, v.amount FROM rosca_movements v JOIN groups g ON g.id = v.group_id "
                "WHERE v.kind = 'advance'") +
      std::string(" AND ") + standing("v");
  // A payout debits 3311 by payout + fee; an advance credits it.
  sql_checks::for_each_first_difference(
      store, links, records,
      fmt::format("SELECT lk.k, le.date, {0} * lp.amount FROM links lk CROSS JOIN entries le ON le.id = lk.e "
                  "CROSS JOIN postings lp ON lp.entry_id = lk.e CROSS JOIN accounts la ON la.id = lp.account_id "
                  "WHERE la.code = '{1}'",
                  payout ? 1 : -1, g::kPayableToMembers),
      fn);
}

void for_each_unbalanced_round(
    Store& store,
    const std::function<void(const std::string&, std::int64_t, Date, std::int64_t, std::int64_t)>& fn) {
  // The sums are named in a subquery: PostgreSQL's WHERE cannot name an output column.
  sql::Query q(store,
               "SELECT code, round_no, opened_on, paid, dues FROM (SELECT g.code, r.round_no, r.opened_on, "
               "r.payout + r.fee AS paid, (SELECT coalesce(sum(d.amount), 0) FROM rosca_dues d "
               "WHERE d.group_id = r.group_id AND d.round_no = r.round_no) AS dues "
               "FROM rosca_rounds r JOIN groups g ON g.id = r.group_id) x "
               "WHERE dues <> paid ORDER BY code, round_no");
  while (q.executeStep())
    fn(q.getColumn(0).getString(), q.getColumn(1).getInt64(), sql::to_date(q.getColumn(2).getString()),
       q.getColumn(3).getInt64(), q.getColumn(4).getInt64());
}

std::int64_t count_rounds(Store& store) {
  return sql_checks::count(store, "SELECT count(*) FROM rosca_rounds");
}

}  // namespace soquy::group_checks
