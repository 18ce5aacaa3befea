// The one query shape of the sub-ledger checks, on either engine (sql_query.h), (`soquy check`, soquy/named_check.h): a domain's
// records against the journal, record by record, as of every date. Used by each domain's
// storage (loans, groups, vbsp, dues), which supplies the two sides as SELECTs of its own tables.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "soquy/civil_date.h"
#include "sql_query.h"

namespace soquy::sql_checks {

// The common table `name(k, e)`: the entries `base` links to each record k (a SELECT of
// (key, entry id)), plus every reversal of one of them, and reversals of those, to any depth —
// a reversal posted with `soquy reverse` moves the record's share of the account without
// touching the record, which is what the checks are there to see.
inline std::string linked_entries(const std::string& name, const std::string& base) {
  return fmt::format("{0}(k, e) AS ({1} UNION ALL SELECT {0}.k, r.id FROM {0} JOIN entries r ON r.reverses = {0}.e)",
                     name, base);
}

// The postings of the entries linked in `links` (linked_entries) to account `account` of book
// `book`, as (k, d, a) rows, signed as stored (debit > 0) times `sign` (1 or -1). CROSS JOIN
// fixes the join order (SQLite's hint): from the links, each entry's postings by primary key —
// never a scan of every posting, whatever the planner guesses without statistics.
inline std::string linked_postings(const std::string& links, std::string_view book, std::string_view account,
                                   int sign = 1) {
  return fmt::format(
      "SELECT lk.k, le.date, {3} * lp.amount FROM {0} lk CROSS JOIN entries le ON le.id = lk.e "
      "CROSS JOIN postings lp ON lp.entry_id = lk.e CROSS JOIN accounts la ON la.id = lp.account_id "
      "WHERE la.code = '{2}' AND la.book_id = (SELECT id FROM books WHERE code = '{1}')",
      links, book, account, sign);
}

// The running sums of `n` figures per record k, compared day by day: `records` and `journal` are
// SELECTs of (k TEXT, d TEXT YYYY-MM-DD, a1 INTEGER, …, an INTEGER) — the domain's records'
// movements and the journal's, each keyed by the record they belong to; `with` holds common
// tables they use (without the WITH keyword; "" for none). fn(k, d, records' sums, journal's
// sums) is called for every (k, d) on which at least one figure's running sums differ, by k then
// d. One query: both sides summed per (k, d), then run through a window per k.
inline void for_each_differing_day(
    Store& store, const std::string& with, const std::string& records, const std::string& journal, int n,
    const std::function<void(const std::string& k, Date d, const std::vector<std::int64_t>& records,
                             const std::vector<std::int64_t>& journal)>& fn) {
  std::string cols, zeros, r_as, j_zeros, sums, running, differs;
  for (int i = 1; i <= n; ++i) {
    const char* sep = i == 1 ? "" : ", ";
    cols += fmt::format("{}a{}", sep, i);
    zeros += fmt::format("{}0", sep);
    r_as += fmt::format("{}a{} AS r{}", sep, i, i);
    sums += fmt::format(", sum(r{0}) AS r{0}", i);
    running += fmt::format(", sum(r{0}) OVER w AS cr{0}", i);
    differs += fmt::format("{}cr{} <> cj{}", i == 1 ? "" : " OR ", i, i);
  }
  for (int i = 1; i <= n; ++i) {
    sums += fmt::format(", sum(j{0}) AS j{0}", i);
    running += fmt::format(", sum(j{0}) OVER w AS cj{0}", i);
    j_zeros += fmt::format(", 0 AS j{}", i);
  }
  const std::string sql = fmt::format(
      "WITH RECURSIVE {0}r(k, d, {1}) AS ({2}), j(k, d, {1}) AS ({3}), "
      "m AS (SELECT k, d{4} FROM (SELECT k, d, {5}{7} FROM r UNION ALL SELECT k, d, {6}, {1} FROM j) AS u GROUP BY k, d), "
      "c AS (SELECT k, d{8} FROM m WINDOW w AS (PARTITION BY k ORDER BY d ROWS UNBOUNDED PRECEDING)) "
      "SELECT * FROM c WHERE {9} ORDER BY k, d",
      with.empty() ? std::string() : with + ", ", cols, records, journal, sums, r_as, zeros, j_zeros, running, differs);
  sql::Query q(store, sql);
  std::vector<std::int64_t> rs(static_cast<std::size_t>(n)), js(static_cast<std::size_t>(n));
  while (q.executeStep()) {
    for (int i = 0; i < n; ++i) {
      rs[static_cast<std::size_t>(i)] = q.getColumn(2 + i).getInt64();
      js[static_cast<std::size_t>(i)] = q.getColumn(2 + n + i).getInt64();
    }
    fn(q.getColumn(0).getString(), sql::to_date(q.getColumn(1).getString()), rs, js);
  }
}

// For one figure: for each record k whose running sums differ on some date, fn(k, the first such
// date, the records' sum as of it, the journal's sum as of it), by k.
inline void for_each_first_difference(
    Store& store, const std::string& with, const std::string& records, const std::string& journal,
    const std::function<void(const std::string& k, Date d, std::int64_t records, std::int64_t journal)>& fn) {
  std::string last;
  bool any = false;
  for_each_differing_day(store, with, records, journal, 1,
                         [&](const std::string& k, Date d, const std::vector<std::int64_t>& r,
                             const std::vector<std::int64_t>& j) {
                           if (any && k == last) return;
                           any = true;
                           last = k;
                           fn(k, d, r[0], j[0]);
                         });
}

// The one integer a query returns (a count).
inline std::int64_t count(Store& store, const std::string& sql) {
  sql::Query q(store, sql);
  return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

}  // namespace soquy::sql_checks
