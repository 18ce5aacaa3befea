// The one query shape of the sub-ledger checks (`soquy check`, soquy/named_check.h): a domain's
// records against the journal, record by record, as of every date. Used by each domain's
// storage (loans, groups, vbsp, dues), which supplies the two sides as SELECTs of its own tables.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <functional>
#include <string>

#include <fmt/format.h>

#include "soquy/civil_date.h"
#include "sqlite_rows.h"

namespace soquy::sqlite_checks {

// The common table `name(k, e)`: the entries `base` links to each record k (a SELECT of
// (key, entry id)), plus every reversal of one of them, and reversals of those, to any depth —
// a reversal posted with `soquy reverse` moves the record's share of the account without
// touching the record, which is what the checks are there to see.
inline std::string linked_entries(const std::string& name, const std::string& base) {
  return fmt::format("{0}(k, e) AS ({1} UNION ALL SELECT {0}.k, r.id FROM {0} JOIN entries r ON r.reverses = {0}.e)",
                     name, base);
}

// The postings of the entries linked in `links` (linked_entries) to account `account` of book
// `book`, as (k, d, a) rows, signed as stored (debit > 0) times `sign` (1 or -1).
inline std::string linked_postings(const std::string& links, std::string_view book, std::string_view account,
                                   int sign = 1) {
  return fmt::format(
      "SELECT lk.k, le.date, {3} * lp.amount FROM {0} lk JOIN entries le ON le.id = lk.e "
      "JOIN postings lp ON lp.entry_id = lk.e JOIN accounts la ON la.id = lp.account_id "
      "WHERE la.code = '{2}' AND la.book_id = (SELECT id FROM books WHERE code = '{1}')",
      links, book, account, sign);
}

// For each record k whose running sum of `records` differs from the running sum of `journal`
// on some date: fn(k, the first such date, the records' sum as of it, the journal's sum as of
// it), by k. `records` and `journal` are SELECTs of (k TEXT, d TEXT YYYY-MM-DD, a INTEGER);
// `with` holds common tables they use (without the WITH keyword; "" for none). One query: the
// two sides are summed per (k, d), then run through a window per k.
inline void for_each_first_difference(
    SQLite::Database& db, const std::string& with, const std::string& records, const std::string& journal,
    const std::function<void(const std::string& k, Date d, std::int64_t records, std::int64_t journal)>& fn) {
  const std::string sql = fmt::format(
      "WITH RECURSIVE {0}r(k, d, a) AS ({1}), j(k, d, a) AS ({2}), "
      "m AS (SELECT k, d, sum(ra) AS ra, sum(ja) AS ja FROM (SELECT k, d, a AS ra, 0 AS ja FROM r "
      "  UNION ALL SELECT k, d, 0, a FROM j) GROUP BY k, d), "
      "c AS (SELECT k, d, sum(ra) OVER w AS cr, sum(ja) OVER w AS cj FROM m "
      "  WINDOW w AS (PARTITION BY k ORDER BY d ROWS UNBOUNDED PRECEDING)), "
      "f AS (SELECT k, d, cr, cj, row_number() OVER (PARTITION BY k ORDER BY d) AS n FROM c WHERE cr <> cj) "
      "SELECT k, d, cr, cj FROM f WHERE n = 1 ORDER BY k",
      with.empty() ? std::string() : with + ", ", records, journal);
  SQLite::Statement q(db, sql);
  while (q.executeStep())
    fn(q.getColumn(0).getString(), sqlite_rows::to_date(q.getColumn(1).getString()), q.getColumn(2).getInt64(),
       q.getColumn(3).getInt64());
}

// The one integer a query returns (a count).
inline std::int64_t count(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

}  // namespace soquy::sqlite_checks
