// The SQL of the VBSP check: set-based, one query per memo account, on either engine.

#include <fmt/format.h>

#include "soquy/charts.h"
#include "sql_checks.h"
#include "sql_query.h"
#include "store.h"
#include "vbsp_check_store.h"

namespace soquy::vbsp_checks {
namespace {

namespace e = charts::entrust;

const std::string& links() {
  static const std::string kLinks = sql_checks::linked_entries(
      "links",
      "SELECT loan_no, entry_id FROM vbsp_loans UNION ALL SELECT l.loan_no, t.entry_id FROM vbsp_transactions t "
      "JOIN vbsp_loans l ON l.id = t.loan_id WHERE t.entry_id IS NOT NULL");
  return kLinks;
}

// The record aliased `alias` stands: its entry was not reversed through its domain (an owned
// reversal, dated at its original's date, so both leave the running sums together).
std::string stands(const char* alias) {
  return fmt::format("NOT EXISTS (SELECT 1 FROM entries rv JOIN entry_owners ro ON ro.entry_id = rv.id "
                     "WHERE rv.reverses = {}.entry_id)",
                     alias);
}

}  // namespace

std::int64_t count_loans(Store& store) {
  return sql_checks::count(store, "SELECT count(*) FROM vbsp_loans");
}

void for_each_differing_day(Store& store, const DifferenceFn& fn) {
  sql_checks::for_each_differing_day(
      store, links(),
      "SELECT l.loan_no, l.disbursed_on, l.amount, 0 FROM vbsp_loans l WHERE " + stands("l") +
          " UNION ALL SELECT l.loan_no, t.paid_on, "
          "CASE t.kind WHEN 'principal' THEN -t.amount ELSE 0 END, "
          "CASE t.kind WHEN 'savings-in' THEN t.amount WHEN 'savings-out' THEN -t.amount ELSE 0 END "
          "FROM vbsp_transactions t JOIN vbsp_loans l ON l.id = t.loan_id WHERE t.kind <> 'interest' AND " +
          stands("t"),
      fmt::format("SELECT lk.k, le.date, CASE la.code WHEN '{1}' THEN lp.amount ELSE 0 END, "
                  "CASE la.code WHEN '{2}' THEN lp.amount ELSE 0 END FROM links lk CROSS JOIN entries le "
                  "ON le.id = lk.e CROSS JOIN postings lp ON lp.entry_id = lk.e CROSS JOIN accounts la "
                  "ON la.id = lp.account_id WHERE la.code IN ('{1}', '{2}') "
                  "AND la.book_id = (SELECT id FROM books WHERE code = '{0}')",
                  e::kBook, e::kVbspLoans, e::kMemberSavings),
      2, fn);
}

std::string member_of(Store& store, const std::string& loan_no) {
  sql::Query q(store,
                      "SELECT m.code FROM vbsp_loans l JOIN members m ON m.id = l.member_id WHERE l.loan_no = ?");
  q.bind(1, loan_no);
  return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

}  // namespace soquy::vbsp_checks
