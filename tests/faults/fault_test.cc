// Fault injection (issue 17 item 8): the fault VFS of fault_vfs.h fails the Nth write, fsync or
// read, for N = 1, 2, 3… until the operation runs without reaching the fault, over a post, an
// import and a schema migration, once with a transient error and once with a persistent one.
// Every failure must be an I/O error (exit 74), and the file, reopened without faults, must hold
// exactly what it held before, or (only when the operation said it succeeded) what it holds
// after; it must pass check(), and running the operation again must succeed.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "../unit/schema_undo.h"
#include "fault_vfs.h"
#include "soquy/ledger.h"

namespace soquy {
namespace {

namespace fs = std::filesystem;
using faults::Fault;

constexpr int kMaxN = 600;  // a walk that has not run clean by then is a failure of the test

Date day(int y, unsigned m, unsigned d) { return Date::from_ymd(y, m, d).value(); }

EntryDraft transfer(const std::string& id, Date date, std::int64_t amount) {
  return EntryDraft{"fund", date, "chuyển " + id, id, {Posting{"1011", Money(amount)}, Posting{"6011", Money(-amount)}}, std::nullopt};
}

// How an operation ended, as cli/main.cpp's run_action maps it to an exit code: a returned Error
// or a SoquyException by its kind, an SQLite::Exception (the store's infrastructure failure) 74,
// anything else 70.
struct Outcome {
  int exit_code = 0;
  std::string message;
  std::string how = "ok";  // "ok", "Error", "SoquyException", "SQLite::Exception", "exception"
};

Outcome run(const std::function<Result<void>()>& op) {
  try {
    auto r = op();
    if (r) return {};
    return {r.error().exit_code(), r.error().message(), "Error"};
  } catch (const SoquyException& e) {
    return {e.error().exit_code(), e.what(), "SoquyException"};
  } catch (const SQLite::Exception& e) {
    return {74, std::string("SQLite::Exception: ") + e.what(), "SQLite::Exception"};
  } catch (const std::exception& e) {
    return {70, std::string("exception: ") + e.what(), "exception"};
  }
}

// Every row of every table, the schema and user_version, as one text: the logical content of
// the file (read through SQLite, so a WAL left behind is recovered first).
std::string contents(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  std::string out = fmt::format("user_version {}\n", db.execAndGet("PRAGMA user_version").getInt());
  std::vector<std::string> tables;
  SQLite::Statement schema(db, "SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name");
  while (schema.executeStep()) {
    out += fmt::format("{} {}: {}\n", schema.getColumn(0).getString(), schema.getColumn(1).getString(),
                       schema.getColumn(2).getString());
    if (schema.getColumn(0).getString() == "table" && schema.getColumn(1).getString().rfind("sqlite_", 0) != 0)
      tables.push_back(schema.getColumn(1).getString());
  }
  for (const auto& t : tables) {
    SQLite::Statement q(db, fmt::format("SELECT * FROM \"{}\"", t));
    std::vector<std::string> rows;
    while (q.executeStep()) {
      std::string row;
      for (int i = 0; i < q.getColumnCount(); ++i) row += q.getColumn(i).getString() + "|";
      rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end());
    out += fmt::format("table {} ({} rows)\n", t, rows.size());
    for (const auto& r : rows) out += r + "\n";
  }
  return out;
}

void remove_db(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix);
}

// A fresh copy of the template database (closed cleanly: one file, no WAL).
void copy_db(const std::string& from, const std::string& to) {
  remove_db(to);
  fs::copy_file(from, to);
}

constexpr int kSchema = 12;  // the newest schema (schemas/0012_change_log.sql)

// The template closed and checked: a file with a few entries on two dates.
void make_ledger(const std::string& path) {
  auto ledger = Ledger::create(path, "admin");
  ASSERT_TRUE(ledger) << ledger.error().message();
  for (int i = 1; i <= 3; ++i)
    ASSERT_TRUE((*ledger)->post(transfer(fmt::format("seed-{}", i), day(2026, 1, i), 1'000'000 * i)));
}

// The file passes check() (opened read-only, so a file at an older schema is upgraded on a
// copy first: an upgrade that failed must leave a file that still upgrades).
void expect_checks(const std::string& path, const std::string& where) {
  std::string target = path;
  if (SQLite::Database(path).execAndGet("PRAGMA user_version").getInt() != kSchema) {
    target = path + ".upgraded";
    copy_db(path, target);
    ASSERT_TRUE(Ledger::open(target)) << where;
  }
  auto ledger = Ledger::open(target, Ledger::Access::kReadOnly);
  ASSERT_TRUE(ledger) << where << ": " << ledger.error().message();
  auto report = (*ledger)->check();
  EXPECT_TRUE(report.ok()) << where << ": " << (report.problems.empty() ? "" : report.problems.front());
}

struct Scenario {
  std::string template_path;  // the file before the operation
  std::function<Result<void>(const std::string&)> operation;
  std::string backup_suffix;  // a file the operation may leave beside the database, whole or not at all
  // Opening a file upgrades it (one committed transaction, after the backup copy) and then reads
  // it (the acting user, the prepared statements): a read that fails after the upgrade committed
  // fails the open with 74 and leaves the file upgraded, and that is right (the command's own
  // writes never began). The test then allows the state after, but only with the backup whole.
  bool failure_may_leave_after = false;
};

// How the runs of a walk ended, by Outcome::how.
using Tally = std::map<std::string, int>;

// Walks N over one fault kind; returns the N at which the operation first ran clean.
int walk(const Scenario& s, const std::string& work, Fault fault, bool persistent, const std::string& before,
         const std::string& after, Tally& tally) {
  for (int n = 1; n <= kMaxN; ++n) {
    const std::string where = fmt::format("{} fault {} at {}", persistent ? "persistent" : "transient", faults::name(fault), n);
    copy_db(s.template_path, work);
    if (!s.backup_suffix.empty()) fs::remove(work + s.backup_suffix);
    faults::arm(fault, n, persistent);
    const Outcome outcome = run([&] { return s.operation(work); });
    const bool fired = faults::fired();
    faults::disarm();
    ++tally[outcome.how];

    EXPECT_TRUE(outcome.exit_code == 0 || outcome.exit_code == 74) << where << ": exit " << outcome.exit_code << ": " << outcome.message;
    const std::string now = contents(work);
    if (outcome.exit_code == 0) {
      EXPECT_TRUE(now == after || now == before) << where << ": succeeded, and the file is neither before nor after";
      EXPECT_EQ(now, after) << where << ": succeeded, yet the file holds the state before";
    } else if (s.failure_may_leave_after && now == after) {
      EXPECT_TRUE(fs::exists(work + s.backup_suffix)) << where << ": upgraded with no backup copy";
    } else {
      EXPECT_EQ(now, before) << where << ": failed (" << outcome.message << "), yet the file changed";
    }
    EXPECT_FALSE(fs::exists(work + s.backup_suffix + ".part")) << where;
    if (!s.backup_suffix.empty() && fs::exists(work + s.backup_suffix)) {
      EXPECT_EQ(contents(work + s.backup_suffix), before) << where << ": the backup copy is not whole";
    }
    expect_checks(work, where);
    // The command can be run again and reaches the state after.
    const Outcome again = run([&] { return s.operation(work); });
    EXPECT_EQ(again.exit_code, 0) << where << ": run again: " << again.message;
    EXPECT_EQ(contents(work), after) << where << ": run again";
    if (::testing::Test::HasFailure()) return n;
    if (!fired) return n;
  }
  ADD_FAILURE() << "the operation still reached the fault after " << kMaxN << " operations";
  return kMaxN;
}

// One walk per test: the fault kind and whether it persists are the test's parameters, so that
// the eighteen walks run as separate CTest tests (in parallel, each with its own timeout).
using WalkParam = std::tuple<Fault, bool>;

class FaultInjection : public ::testing::TestWithParam<WalkParam> {
 protected:
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  // Runs this test's walk of scenario `s` and prints how far it went.
  void walk_all(const Scenario& s) {
    const std::string work = file("work.db");
    const std::string before = contents(s.template_path);
    copy_db(s.template_path, work);
    ASSERT_TRUE(s.operation(work)) << "the operation fails without a fault";
    const std::string after = contents(work);
    ASSERT_NE(before, after);
    const Fault f = std::get<0>(GetParam());
    const bool persistent = std::get<1>(GetParam());
    Tally tally;
    const int clean_at = walk(s, work, f, persistent, before, after, tally);
    std::string how;
    for (const auto& [k, v] : tally) how += fmt::format(" {} {}", v, k);
    std::cout << fmt::format("  {} {}: ran clean at N = {}; outcomes:{}\n", persistent ? "persistent" : "transient",
                             faults::name(f), clean_at, how);
  }

  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / fmt::format("soquy-faults-{}", ::getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_P(FaultInjection, Post) {
  const std::string tpl = file("template.db");
  make_ledger(tpl);
  walk_all({tpl, [](const std::string& path) -> Result<void> {
              auto ledger = Ledger::open(path);
              if (!ledger) return fail(ledger.error());
              auto posted = (*ledger)->post(transfer("fault-1", day(2026, 2, 1), 2'500'000));
              if (!posted) return fail(posted.error());
              return {};
            }, ""});
}

TEST_P(FaultInjection, ImportEntries) {
  const std::string tpl = file("template.db");
  make_ledger(tpl);
  // Enough entries to fill several pages: the import writes them in one transaction.
  const std::string csv = file("entries.csv");
  {
    std::ofstream out(csv);
    out << "entry_id,date,book,account,amount,memo\n";
    for (int i = 1; i <= 300; ++i) {
      out << fmt::format("imp-{0},2026-03-{1:02},fund,1011,{2},Góp vốn số {0}\n", i, 1 + i % 28, 1000 * i);
      out << fmt::format("imp-{0},2026-03-{1:02},fund,6011,-{2},Góp vốn số {0}\n", i, 1 + i % 28, 1000 * i);
    }
  }
  walk_all({tpl, [csv](const std::string& path) -> Result<void> {
              auto ledger = Ledger::open(path);
              if (!ledger) return fail(ledger.error());
              auto imported = (*ledger)->import_entries(csv);
              if (!imported) return fail(imported.error());
              return {};
            }, ""});
}

// Puts `path` back in the shape schema 9 left it in (as tests/unit/migration_test.cc does), so
// that opening it for writing runs migrations 10 (a table rewrite), 11 and 12 (the change log,
// whose triggers and baseline rows are written in the same transaction).
void make_schema_9(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  std::vector<std::string> triggers;
  {
    SQLite::Statement q(db, "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'log\\_%' ESCAPE '\\'");
    while (q.executeStep()) triggers.push_back(q.getColumn(0).getString());
  }
  for (const auto& t : triggers) db.exec("DROP TRIGGER " + t);
  db.exec(test_support::kUndoSchema14);
  db.exec("DROP TABLE change_log");
  db.exec("DROP TABLE entry_owners");
  db.exec("DROP TABLE book_treasurers");
  db.exec("ALTER TABLE entries ADD COLUMN prev_hash BLOB CHECK (length(prev_hash) = 32)");
  db.exec("DROP TRIGGER entries_no_update");
  db.exec("UPDATE entries SET prev_hash = coalesce((SELECT p.hash FROM entries p WHERE p.id = entries.id - 1), "
          "zeroblob(32))");
  db.exec("CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries "
          "BEGIN SELECT RAISE(ABORT, 'soquy: posted entries cannot be changed; post a reversal'); END");
  db.exec("PRAGMA user_version = 9");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

TEST_P(FaultInjection, Migration) {
  const std::string tpl = file("template.db");
  make_ledger(tpl);
  make_schema_9(tpl);
  walk_all({tpl, [](const std::string& path) -> Result<void> {
              auto ledger = Ledger::open(path);
              if (!ledger) return fail(ledger.error());
              return {};
            }, ".before-schema-10", true});
}

INSTANTIATE_TEST_SUITE_P(Walks, FaultInjection,
                         ::testing::Combine(::testing::Values(Fault::kWrite, Fault::kSync, Fault::kRead),
                                            ::testing::Bool()),
                         [](const ::testing::TestParamInfo<WalkParam>& info) {
                           return fmt::format("{}_{}", faults::name(std::get<0>(info.param)),
                                              std::get<1>(info.param) ? "persistent" : "transient");
                         });

}  // namespace
}  // namespace soquy

int main(int argc, char** argv) {
  // Entries record when they were written: a fixed clock makes the state after an operation the
  // same in every run.
  setenv("SOQUY_NOW", "2026-11-28T09:00:00Z", 1);
  setenv("TZ", "UTC", 1);
  soquy::faults::install();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
