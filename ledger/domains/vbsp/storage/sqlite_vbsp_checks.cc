// The SQL of the VBSP check: set-based, one query per memo account.
#include <SQLiteCpp/SQLiteCpp.h>

#include <fmt/format.h>

#include "soquy/charts.h"
#include "sqlite_checks.h"
#include "store.h"
#include "vbsp_check_store.h"

namespace soquy::vbsp_checks {
namespace {

namespace e = charts::entrust;

const std::string& links() {
  static const std::string kLinks = sqlite_checks::linked_entries(
      "links",
      "SELECT loan_no, entry_id FROM vbsp_loans UNION ALL SELECT l.loan_no, t.entry_id FROM vbsp_transactions t "
      "JOIN vbsp_loans l ON l.id = t.loan_id WHERE t.entry_id IS NOT NULL");
  return kLinks;
}

}  // namespace

std::int64_t count_loans(Store& store) {
  return sqlite_checks::count(sqlite_database(store), "SELECT count(*) FROM vbsp_loans");
}

void principal_differences(Store& store, const DifferenceFn& fn) {
  sqlite_checks::for_each_first_difference(
      sqlite_database(store), links(),
      "SELECT loan_no, disbursed_on, amount FROM vbsp_loans UNION ALL SELECT l.loan_no, t.paid_on, -t.amount "
      "FROM vbsp_transactions t JOIN vbsp_loans l ON l.id = t.loan_id WHERE t.kind = 'principal'",
      sqlite_checks::linked_postings("links", e::kBook, e::kVbspLoans), fn);
}

void savings_differences(Store& store, const DifferenceFn& fn) {
  sqlite_checks::for_each_first_difference(
      sqlite_database(store), links(),
      "SELECT l.loan_no, t.paid_on, CASE t.kind WHEN 'savings-in' THEN t.amount ELSE -t.amount END "
      "FROM vbsp_transactions t JOIN vbsp_loans l ON l.id = t.loan_id WHERE t.kind IN ('savings-in', 'savings-out')",
      sqlite_checks::linked_postings("links", e::kBook, e::kMemberSavings), fn);
}

std::string member_of(Store& store, const std::string& loan_no) {
  SQLite::Statement q(sqlite_database(store),
                      "SELECT m.code FROM vbsp_loans l JOIN members m ON m.id = l.member_id WHERE l.loan_no = ?");
  q.bind(1, loan_no);
  return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

}  // namespace soquy::vbsp_checks
