// The row helpers of the SQLite fast paths (the journal's store, and the raw sqlite3 scans of
// loan_store.cc): stored dates. The domains' other rows are read through sql::Query and its
// helpers (sql_query.h), which this reuses. The tables hold only what soquy wrote, so a malformed
// stored value is an I/O error (a damaged database), never bad input.
#pragma once

#include <sqlite3.h>

#include "soquy/civil_date.h"
#include "sql_query.h"
#include "sqlite_raw.h"

namespace soquy::sqlite_rows {

// A stored YYYY-MM-DD.
using sql::to_date;

// Column `i` of a raw statement's current row as a stored date.
inline Date date_of(sqlite3_stmt* q, int i) { return to_date(sqlite_raw::text_of(q, i)); }

}  // namespace soquy::sqlite_rows
