// A fresh database for a unit test on either engine (issue 14): the SQLite file of a TempDir, or,
// when the binary runs in server mode (SOQUY_UNIT_ENGINE=postgresql and SOQUY_TEST_PG_URI, a
// superuser's URI on a throwaway cluster, scripts/pg-cluster.sh), a database of its own on that
// server, dropped when the TestDb goes. On the server the test's admin is the login "admin" (made
// if missing), so that the user names the assertions expect are the same on both engines; a test
// acting as another user connects as the login of that name (act_as), as tests/pg/golden_pg.sh
// does. docs/testing.md, "The unit tests on both engines".
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "soquy/ledger.h"
#include "pg_migrations.h"
#include "store.h"
#include "pg_server.h"
#include "test_support.h"

namespace soquy::test_support {

// True when the unit tests run against the PostgreSQL server (ctest's pg.unit.* tests).
inline bool on_server() {
  const char* engine = std::getenv("SOQUY_UNIT_ENGINE");
  return engine && std::string(engine) == "postgresql";
}

// A test about the SQLite file itself (its bytes, its permissions, an old file's migration,
// sqlite3 directly): skipped on the server, saying why.
#define SOQUY_SQLITE_ONLY(reason)                   \
  if (::soquy::test_support::on_server()) GTEST_SKIP() << "SQLite only: " << (reason)

class TestDb {
 public:
  // `file` names the SQLite file in the TempDir; on the server it only prefixes the database name.
  explicit TestDb(const std::string& file = "soquy.db") : server_(on_server()) {
    if (!server_) {
      path_ = dir_.file(file);
      return;
    }
    su_uri_ = server::superuser_uri();
    std::mt19937_64 rng(std::random_device{}());
    name_ = "soquy_unit_" + std::to_string(rng() % 1'000'000'000'000ULL);
    // One transaction, under the lock the golden runner takes too (roles are cluster-wide).
    std::string sql = "SELECT pg_advisory_xact_lock(" + std::to_string(server::kRoleSetupLock) + ");";
    for (const char* r : {"soquy_admin", "soquy_officer", "soquy_treasurer", "soquy_auditor"})
      sql += server::role_sql(r, "NOLOGIN");
    // It may have been made by another test's `user add admin` (schema 17's soquy_add_login gives
    // no CREATEROLE); init here needs it (the admin owns each database and adds the users).
    sql += server::owner_login_sql(kAdmin);
    // The other users the tests add: made beforehand, so that two tests adding the same name at
    // once do not race to create its login (Ledger::add_user then only grants the role).
    for (const char* u : kOtherLogins) sql += server::role_sql(u, "LOGIN");
    server::rows(su_uri_, sql);
    path_ = server::uri_for(su_uri_, name_, kAdmin);
  }
  ~TestDb() {
    pool_.clear();
    if (server_) {
      try {
        server::rows(su_uri_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      } catch (const std::exception&) {
      }
    }
  }
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;

  bool server() const { return server_; }
  // What --db would name: the SQLite file, or the database's URI as the admin's login.
  const std::string& path() const { return path_; }
  // The URI of the database as `login` (server only).
  std::string uri_as(const std::string& login) const { return server::uri_for(su_uri_, name_, login); }

  // A new database with its admin "admin" (Ledger::create). On the server the books of a test
  // (purpose kBooks) are a copy of a template database made once per cluster and schema
  // (make_template): CREATE DATABASE … TEMPLATE, then Ledger::open, is much faster than creating the
  // schema in every test. SOQUY_UNIT_PG_TEMPLATE=0 makes every database with Ledger::create.
  Result<std::unique_ptr<Ledger>> create(std::string_view purpose = Ledger::kBooks) {
    if (!server_) return Ledger::create(path_, kAdmin, purpose);
    const char* use = std::getenv("SOQUY_UNIT_PG_TEMPLATE");
    const bool cloned = purpose == Ledger::kBooks && !(use && std::string(use) == "0");
    make_database(cloned ? template_name() : "template0");
    return cloned ? Ledger::open(path_) : Ledger::create(path_, kAdmin, purpose);
  }
  Result<std::unique_ptr<Ledger>> open(Ledger::Access access = Ledger::Access::kWrite) const {
    return Ledger::open(path_, access);
  }

  // `ledger` acting as `user` ("" = the admin): on SQLite Ledger::act_as; on the server, where
  // the acting user is the login, `ledger` becomes a Ledger connected as the login `user` (the
  // one it held is kept, to be given back when the test acts as its login again). Domain objects
  // made over the old `*ledger` keep acting as its user: a test makes them again.
  Result<void> act_as(std::unique_ptr<Ledger>& ledger, const std::string& user) {
    if (!server_) return ledger->act_as(user);
    const std::string target = user.empty() ? kAdmin : user;
    const std::string current = ledger->actor().name;
    if (target == current) return {};
    auto held = pool_.find(target);
    if (held == pool_.end()) {
      auto opened = Ledger::open(uri_as(target));
      if (!opened) return fail(opened.error());
      held = pool_.emplace(target, std::move(*opened)).first;
    }
    std::unique_ptr<Ledger> next = std::move(held->second);
    pool_.erase(held);
    pool_[current] = std::move(ledger);
    ledger = std::move(next);
    return {};
  }

  // Runs `sql` behind the back of `trigger` (a guard of `table`), as only a shell can — how a
  // check's test makes the records and the journal disagree. On SQLite on the ledger's own
  // connection (the change log's triggers call soquy's SQL functions there), the trigger dropped;
  // on the server as the superuser, the trigger disabled for the statement and enabled again.
  void tamper(Ledger& ledger, const std::string& table, const std::string& trigger, const std::string& sql) const {
    if (!server_) {
      sqlite_database(ledger.store()).exec("DROP TRIGGER IF EXISTS " + trigger + "; " + sql);
      return;
    }
    server::rows(server::uri_for(su_uri_, name_), "ALTER TABLE " + table + " DISABLE TRIGGER " + trigger + "; " +
                                                      sql + "; ALTER TABLE " + table + " ENABLE TRIGGER " + trigger);
  }

  // The rows of `sql` read on a connection of their own (the superuser's on the server), each
  // row's columns joined by '|': equal before and after a refused call means it wrote nothing.
  std::vector<std::string> rows(const std::string& sql) const {
    if (server_) return server::rows(server::uri_for(su_uri_, name_), sql);
    SQLite::Database db(path_, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, sql);
    std::vector<std::string> out;
    while (q.executeStep()) {
      std::string row;
      for (int i = 0; i < q.getColumnCount(); ++i)
        row += (i ? "|" : "") + (q.getColumn(i).isNull() ? std::string("NULL") : q.getColumn(i).getString());
      out.push_back(row);
    }
    return out;
  }
  // Every table's rows, each table's in order (the superuser's on the server): what a failed
  // call must leave as it was.
  std::string state() const {
    const auto tables = rows(server_ ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                                     : "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY 1");
    std::string out;
    for (const auto& t : tables) {
      out += t + ":\n";
      for (const auto& row : rows(server_ ? "SELECT t::text FROM public.\"" + t + "\" t ORDER BY 1"
                                          : "SELECT * FROM \"" + t + "\" ORDER BY rowid"))
        out += row + "\n";
    }
    return out;
  }
  // The first column of the first row of `sql` as an integer (a count).
  std::int64_t scalar(const std::string& sql) const {
    const auto r = rows(sql);
    if (r.empty()) throw std::runtime_error(sql + ": no row");
    return std::stoll(r.front().substr(0, r.front().find('|')));
  }

  static constexpr const char* kAdmin = "admin";

 private:
  void make_database(const std::string& from) {
    if (from != "template0") make_template(from);
    server::rows(su_uri_, "CREATE DATABASE " + name_ + " OWNER " + kAdmin + " TEMPLATE " + from +
                              " ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
  }
  // The template's name: a digest of the PostgreSQL migrations soquy embeds, so that a changed
  // schema gets a template of its own on a cluster kept between builds.
  static std::string template_name() {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
    for (const auto& m : pg_migrations())
      for (const char c : m.sql) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return fmt::format("soquy_unit_template_{:016x}", h);
  }
  // Makes the template unless it is there, under an advisory lock (the first test makes it, the
  // others wait): built under another name and renamed, so that a half-made one is never copied.
  void make_template(const std::string& name) const {
    const auto exists = [&] {
      return !server::rows(su_uri_, "SELECT 1 FROM pg_database WHERE datname = '" + name + "'").empty();
    };
    if (exists()) return;
    PGconn* lock = PQconnectdb(su_uri_.c_str());
    PQclear(PQexec(lock, "SELECT pg_advisory_lock(7314)"));
    if (!exists()) {
      const std::string part = name + "_part";
      server::rows(su_uri_, "DROP DATABASE IF EXISTS " + part + " WITH (FORCE)");
      server::rows(su_uri_, "CREATE DATABASE " + part + " OWNER " + kAdmin +
                                " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
      auto made = Ledger::create(server::uri_for(su_uri_, part, kAdmin), kAdmin);
      if (!made) {
        PQfinish(lock);
        throw std::runtime_error("making the template database " + part + ": " + made.error().message());
      }
      made->reset();  // closes the connection before the rename
      // A test database keeps a fixed clock when the test pins one (SOQUY_NOW), as a database
      // whose init ran with SOQUY_NOW does (schema 17): the template may have been made by a
      // process without it, so every copy of it honours the pinned time.
      server::rows(server::uri_for(su_uri_, part, kAdmin),
                   "CREATE OR REPLACE FUNCTION soquy_fixed_clock() RETURNS boolean LANGUAGE sql STABLE AS "
                   "$f$ SELECT true $f$");
      server::rows(su_uri_, "ALTER DATABASE " + part + " RENAME TO " + name);
    }
    PQfinish(lock);  // releases the lock
  }

 public:
  // The other users the tests act as. Logins are cluster-wide, and the golden cases that name
  // logins revoke their soquy_* memberships first (tests/pg/golden_pg.sh; CTest runs those cases
  // one at a time): these are names no golden case uses, so the two never meet. "khongai" (no one)
  // is never added: a login that is no soquy user.
  static constexpr const char* kOtherLogins[] = {"lien",         "hoa",      "cuc",     "ngoc",     "kiemtoan",
                                                 "kiemsoat", "kt",       "tuyet",   "phuong",   "thuquyxa",
                                                 "canboxa",  "officer1", "treasurer1", "auditor1", "khongai"};

 private:
  bool server_;
  TempDir dir_{"soquy-db"};
  std::string path_, su_uri_, name_;
  std::map<std::string, std::unique_ptr<Ledger>> pool_;  // the logins' ledgers not in use
};

}  // namespace soquy::test_support
