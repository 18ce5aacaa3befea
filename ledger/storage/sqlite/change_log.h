// The change log of schema 12 (schemas/0012_change_log.sql): every insert, update and delete of a
// record outside the journal, written by SQLite triggers that this file generates from each
// table's columns, and hash-chained through the SQL function soquy_change_hash.
//
// Contracts:
//  - register_change_log_functions() must run on every connection before it writes: the
//    triggers call soquy_now(), soquy_actor() and soquy_change_hash(). A connection without them
//    (the sqlite3 shell) cannot write a logged table while the triggers are in place.
//  - install_change_log() runs inside the schema upgrade's transaction. It (re)creates the
//    triggers of every logged table; a table whose triggers were absent or different (a new
//    table, or new columns) gets a `baseline` row per record, so the log always describes the
//    records as they are.
//  - verify_change_log() replays the log: the chain, each record equal to its last logged
//    content, no record missing from the log or from its table, every trigger in place.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <SQLiteCpp/Database.h>

namespace soquy {
class Store;
}

namespace soquy::change_log {

// The tables whose records are logged: every table but the journal's own (entries and postings,
// which have their hash chain), the derived account_balances, and change_log itself.
std::vector<std::string> logged_tables(SQLite::Database& db);

// `actor` is read at each change (the acting user's name); it must outlive the connection.
void register_functions(sqlite3* db, const std::string* actor);

// `baseline` false: no baseline rows even where triggers were (re)made — for `soquy copy`, which
// drops the triggers for its own transaction and copies the source's log whole.
void install(SQLite::Database& db, bool baseline = true);

struct Verification {
  std::int64_t changes = 0;  // rows of the change log
  std::int64_t records = 0;  // records compared with their last logged content
  std::vector<std::string> problems;
};
// On either engine (a PostgreSQL database's log is written by 0012's triggers, same rule).
Verification verify(Store& store, std::size_t limit);

// The triggers `table` must have, as (name, CREATE TRIGGER text), and the SELECT of its records as
// (key, content) in the form the triggers log them.
std::vector<std::pair<std::string, std::string>> expected_triggers(SQLite::Database& db, const std::string& table);
std::string select_records_sql(SQLite::Database& db, const std::string& table);

// The chain link: SHA-256 (hex) of the previous link and the fields of one change, each
// length-prefixed so no two different rows hash alike.
std::string link(std::string_view prev, std::string_view recorded_at, std::string_view user, std::string_view table,
                 std::string_view record, std::string_view action, const std::string* content);

}  // namespace soquy::change_log
