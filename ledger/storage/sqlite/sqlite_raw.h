// Small helpers for the raw sqlite3 prepared reads of the SQLite fast paths (loan_store.cc,
// vbsp_store.cc): a failure as soquy's I/O error, a text column without a copy, and the mark of
// the committed state a connection reads.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "soquy/error.h"

namespace soquy::sqlite_raw {

// Throws the I/O error of `db` (exceptions stop at the Ledger's transaction edge).
[[noreturn]] inline void fail(sqlite3* db, std::string_view what) {
  throw SoquyException(Error::io(fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : "out of memory")));
}

// Column `i` of the current row as text, valid until the statement steps again ("" for NULL).
inline std::string_view text_of(sqlite3_stmt* q, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(q, i));
  if (!p) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(q, i))};
}

// Which committed state a connection reads: the last change-log row and the last journal entry.
// Every commit of soquy adds one or the other (every table but the journal's and the change
// log's own is logged by its triggers, and both are append-only), so two connections whose
// marks are equal read the same state. Debian's SQLite has no sqlite3_snapshot_open (it is built
// without SQLITE_ENABLE_SNAPSHOT): this is how a second connection proves it reads the snapshot of
// the first (LoanStore::reader_scans). A database whose triggers were dropped in a shell could
// defeat it; `soquy check` reports that database.
struct StateMark {
  std::int64_t change_seq = 0;
  std::int64_t entry_id = 0;
  bool operator==(const StateMark&) const = default;
};

// The mark of what `db` reads now: inside a read transaction, that transaction's snapshot.
inline StateMark state_mark(sqlite3* db) {
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT (SELECT max(seq) FROM change_log), (SELECT max(id) FROM entries)", -1, &q,
                         nullptr) != SQLITE_OK)
    fail(db, "reading the last change");
  const int rc = sqlite3_step(q);
  StateMark mark;
  if (rc == SQLITE_ROW) {
    mark.change_seq = sqlite3_column_int64(q, 0);
    mark.entry_id = sqlite3_column_int64(q, 1);
  }
  sqlite3_finalize(q);
  if (rc != SQLITE_ROW) fail(db, "reading the last change");
  return mark;
}

}  // namespace soquy::sqlite_raw
