// Small helpers for the raw sqlite3 prepared reads of the SQLite fast paths (loan_store.cc,
// vbsp_store.cc): a failure as soquy's I/O error, and a text column without a copy.
#pragma once

#include <sqlite3.h>

#include <cstddef>
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

}  // namespace soquy::sqlite_raw
