// Prepared statements kept for a domain store's lifetime, by their SQL text (issue 16, bulk
// imports). A bulk import runs the same few statements for every row; preparing one again for
// each row cost most of `vbsp import-register`'s CPU, because preparing an INSERT or UPDATE also
// compiles the change-log triggers of its table. A statement is handed out reset and with no
// bindings, and reset again when its Use ends, so it never holds a read open between calls.
//
// Only for statements that are not used re-entrantly: a function that takes a statement from
// the cache must finish with it (its Use ends) before it calls another that may take the same
// SQL. The cache must be destroyed before its connection is closed (a domain store is: it
// lives inside its engine, which lives inside the command's Ledger).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>
#include <unordered_map>

namespace soquy::sqlite_rows {

class StatementCache {
 public:
  // A statement of the cache while it is used: reset (bindings kept until the next use clears
  // them) when the Use ends.
  class Use {
   public:
    explicit Use(SQLite::Statement& q) : q_(q) {}
    ~Use() { q_.tryReset(); }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    SQLite::Statement& operator*() { return q_; }
    SQLite::Statement* operator->() { return &q_; }

   private:
    SQLite::Statement& q_;
  };

  explicit StatementCache(SQLite::Database& db) : db_(db) {}

  // The statement of `sql`, prepared on first use.
  Use use(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) it = statements_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
    it->second->tryReset();
    it->second->clearBindings();
    return Use(*it->second);
  }

 private:
  SQLite::Database& db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

}  // namespace soquy::sqlite_rows
