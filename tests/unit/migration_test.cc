// Schema upgrades of files made by an earlier soquy: migration 10 drops entries.prev_hash.
#include <gtest/gtest.h>

#include <filesystem>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "migrations.h"
#include "soquy/ledger.h"
#include "soquy/registry.h"
#include "store.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::TempDir;

EntryDraft transfer(const std::string& id, Date date, const std::string& debit, const std::string& credit,
                    std::int64_t amount) {
  return EntryDraft{"fund", date, "chuyển " + id, id, {Posting{debit, Money(amount)}, Posting{credit, Money(-amount)}}, std::nullopt};
}

bool has_column(const std::string& path, const std::string& table, const std::string& column) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT count(*) FROM pragma_table_info(?) WHERE name = ?");
  q.bind(1, table);
  q.bind(2, column);
  q.executeStep();
  return q.getColumn(0).getInt() == 1;
}

// Puts `path` back in the shape schema 11 left it in: no change log and none of its triggers.
void make_schema_11(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec(test_support::kUndoSchema14);
  std::vector<std::string> triggers;
  SQLite::Statement q(db, "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'log\\_%' ESCAPE '\\'");
  while (q.executeStep()) triggers.push_back(q.getColumn(0).getString());
  for (const auto& t : triggers) db.exec("DROP TRIGGER " + t);
  db.exec("DROP TABLE change_log");
  db.exec("DROP TABLE entry_owners");
  db.exec("PRAGMA user_version = 11");
}

// Puts `path` back in the shape schema 9 left it in: entries.prev_hash holding the previous
// entry's hash (32 zero bytes for entry 1), user_version 9. The append-only trigger is lifted
// for the fill and put back, as the file of an earlier soquy had it. What later migrations added
// (schema 11's book_treasurers) is removed.
void make_schema_9(const std::string& path) {
  make_schema_11(path);
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("DROP TABLE book_treasurers");
  // A column CHECK like schema 1's (NULL passes it until the fill below).
  db.exec("ALTER TABLE entries ADD COLUMN prev_hash BLOB CHECK (length(prev_hash) = 32)");
  db.exec("DROP TRIGGER entries_no_update");
  db.exec("UPDATE entries SET prev_hash = coalesce((SELECT p.hash FROM entries p WHERE p.id = entries.id - 1), "
          "zeroblob(32))");
  db.exec("CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries "
          "BEGIN SELECT RAISE(ABORT, 'soquy: posted entries cannot be changed; post a reversal'); END");
  db.exec("PRAGMA user_version = 9");
}

TEST(MigrationTest, MigrationTenDropsTheStoredPreviousHash) {
  SOQUY_SQLITE_ONLY("the SQLite migrations embedded in soquy");
  ASSERT_GE(migrations().size(), 10u);
  EXPECT_NE(migrations()[9].sql.find("DROP COLUMN prev_hash"), std::string_view::npos);
  ASSERT_GE(migrations().size(), 13u);  // 11: book_treasurers, 12: change_log, 13: entry_owners
  EXPECT_NE(migrations()[10].sql.find("CREATE TABLE book_treasurers"), std::string_view::npos);
  EXPECT_NE(migrations()[11].sql.find("CREATE TABLE change_log"), std::string_view::npos);
  EXPECT_NE(migrations()[12].sql.find("CREATE TABLE entry_owners"), std::string_view::npos);
  ASSERT_GE(migrations().size(), 14u);  // 14: loan corrections
  EXPECT_NE(migrations()[13].sql.find("CREATE TABLE loan_reallocations"), std::string_view::npos);
}

// A file of schema 11 (records but no change log) upgrades to 12: every record it holds gets one
// `baseline` row, so the check proves them from then on, and later changes are logged by name.
TEST(MigrationTest, SchemaTwelveLogsEveryExistingRecordAsItsBaseline) {
  SOQUY_SQLITE_ONLY("the upgrade of an old SQLite file");
  TempDir dir;
  const std::string path = dir.file("old.db");
  {
    auto ledger = Ledger::create(path, "admin");
    ASSERT_TRUE(ledger) << ledger.error().message();
    ASSERT_TRUE((*ledger)->add_user("lan", Role::kAuditor));
  }
  make_schema_11(path);
  std::int64_t records = 0;
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    for (const char* t : {"users", "books", "accounts", "settings"})
      records += db.execAndGet(std::string("SELECT count(*) FROM ") + t).getInt64();
  }
  auto ledger = Ledger::open(path);
  ASSERT_TRUE(ledger) << ledger.error().message();
  auto check = (*ledger)->check();
  EXPECT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems.front());
  EXPECT_EQ(check.records, records);
  EXPECT_EQ(check.changes, records);  // one baseline row each, nothing else yet
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM change_log WHERE action = 'baseline' AND user = 'schema-upgrade'")
                  .getInt64(),
              records);
  }
  // The next change is logged with its user.
  ASSERT_TRUE((*ledger)->act_as("admin"));
  ASSERT_TRUE((*ledger)->add_user("hoa", Role::kOfficer));
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT user, tbl, action, json_extract(content, '$.name') FROM change_log ORDER BY seq DESC "
                          "LIMIT 1");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getString(), "admin");
  EXPECT_EQ(q.getColumn(1).getString(), "users");
  EXPECT_EQ(q.getColumn(2).getString(), "insert");
  EXPECT_EQ(q.getColumn(3).getString(), "hoa");
}

TEST(MigrationTest, AFileWithStoredPreviousHashesUpgradesAndKeepsItsChain) {
  SOQUY_SQLITE_ONLY("the upgrade of an old SQLite file");
  TempDir dir;
  const std::string path = dir.file("old.db");
  std::string hash_2;
  {
    auto ledger = Ledger::create(path, "admin");
    ASSERT_TRUE(ledger) << ledger.error().message();
    ASSERT_TRUE((*ledger)->post(transfer("a1", day(2026, 1, 15), "1011", "6011", 5'000'000)));
    auto second = (*ledger)->post(transfer("a2", day(2026, 2, 1), "2111", "1011", 1'500'000));
    ASSERT_TRUE(second);
    hash_2 = second->entry.hash;
  }
  EXPECT_FALSE(has_column(path, "entries", "prev_hash"));
  make_schema_9(path);
  ASSERT_TRUE(has_column(path, "entries", "prev_hash"));

  // Opening for writing upgrades it, after a backup copy of the schema-9 file.
  auto ledger = Ledger::open(path);
  ASSERT_TRUE(ledger) << ledger.error().message();
  EXPECT_FALSE(has_column(path, "entries", "prev_hash"));
  EXPECT_TRUE(std::filesystem::exists(path + ".before-schema-10"));
  EXPECT_TRUE(has_column(path + ".before-schema-10", "entries", "prev_hash"));

  // The recorded hashes are untouched, the chain still verifies, and the next entry links to it.
  auto check = (*ledger)->check();
  EXPECT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems.front());
  EXPECT_EQ(check.entries, 2);
  EXPECT_EQ(check.last_hash, hash_2);
  auto third = (*ledger)->post(transfer("a3", day(2026, 3, 1), "1011", "2111", 500'000));
  ASSERT_TRUE(third) << third.error().message();
  EXPECT_EQ(third->entry.prev_hash, hash_2);
  EXPECT_EQ(third->entry.hash, entry_hash(hash_2, third->entry));
  EXPECT_TRUE((*ledger)->check().ok());

  // The triggers survived the table rewrite: posted rows still cannot be changed.
  SQLite::Database raw(path, SQLite::OPEN_READWRITE);
  EXPECT_THROW(raw.exec("UPDATE entries SET memo = 'x' WHERE id = 1"), SQLite::Exception);
}


// Defect 6 of issue 17 ("post committed and then died of SIGBUS on a nearly full ext4"): soquy
// never maps the database file, whatever default the SQLite it runs on was built with. The child
// process (a death test, so the changed global default stays there) makes SQLite's default map
// 1 MiB, as a build with SQLITE_DEFAULT_MMAP_SIZE would, and opens a database for writing and for
// reading: both connections must say mmap_size 0. Exit 0 means both did.
// `PRAGMA mmap_size` of a connection soquy opens on `path`; -1 if it does not open.
std::int64_t mmap_size_of(const std::string& path, Ledger::Access access) {
  auto l = Ledger::open(path, access);
  if (!l) return -1;
  SQLite::Statement q(sqlite_database((*l)->store()), "PRAGMA mmap_size");
  q.executeStep();
  return q.getColumn(0).getInt64();
}

// In the death test's child: a SQLite default of 1 MiB mapped, then both kinds of connection.
[[noreturn]] void open_with_mapping_default(const std::string& path) {
  sqlite3_shutdown();
  sqlite3_config(SQLITE_CONFIG_MMAP_SIZE, sqlite3_int64{1} << 20, sqlite3_int64{1} << 30);
  sqlite3_initialize();
  const auto write = mmap_size_of(path, Ledger::Access::kWrite);
  const auto read = mmap_size_of(path, Ledger::Access::kReadOnly);
  std::fprintf(stderr, "mmap_size: write %lld, read-only %lld\n", static_cast<long long>(write),
               static_cast<long long>(read));
  std::exit(write == 0 && read == 0 ? 0 : 1);
}

// Schema 16 (issue 13 item 4): members.ethnicity loses NOT NULL DEFAULT 'Kinh', in place. A file
// put back in schema 15's shape (the definition schema 2 wrote) upgrades: the member recorded
// before keeps her ethnicity, a new one without it is recorded as unknown (NULL), and the file
// checks clean (the change log replays the records as they are).
TEST(MigrationTest, SchemaSixteenLetsEthnicityBeUnknown) {
  SOQUY_SQLITE_ONLY("the upgrade of an old SQLite file");
  TempDir dir;
  const std::string path = dir.file("old.db");
  {
    auto ledger = Ledger::create(path, "admin");
    ASSERT_TRUE(ledger) << ledger.error().message();
    Registry reg(**ledger);
    ASSERT_TRUE(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", day(2020, 1, 1)}));
    MemberSpec m;
    m.id = "M1";
    m.name = "Thạch Thị Sa Ra";
    m.unit = "P";
    m.ethnicity = "Khmer";
    m.joined = day(2021, 1, 1);
    ASSERT_TRUE(reg.add_member(m));
  }
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA writable_schema = ON");
    db.exec("UPDATE sqlite_schema SET sql = replace(sql, 'ethnicity   TEXT,', 'ethnicity   TEXT NOT NULL DEFAULT ''Kinh'',') "
            "WHERE type = 'table' AND name = 'members'");
    db.exec("PRAGMA writable_schema = RESET");
    db.exec("PRAGMA user_version = 15");
    ASSERT_NE(db.execAndGet("SELECT sql FROM sqlite_schema WHERE name = 'members'").getString().find("NOT NULL DEFAULT 'Kinh'"),
              std::string::npos);
  }
  auto ledger = Ledger::open(path);
  ASSERT_TRUE(ledger) << ledger.error().message();
  Registry reg(**ledger);
  MemberSpec m;
  m.id = "M2";
  m.name = "Lê Thị Mai";
  m.unit = "P";
  m.joined = day(2022, 1, 1);
  auto added = reg.add_member(m);
  ASSERT_TRUE(added) << added.error().message();
  EXPECT_EQ(reg.member("M1", day(2022, 1, 1))->ethnicity, "Khmer");
  EXPECT_EQ(reg.member("M2", day(2022, 1, 1))->ethnicity, "");
  auto report = (*ledger)->check();
  EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_TRUE(db.execAndGet("SELECT ethnicity FROM members WHERE code = 'M2'").isNull());
  EXPECT_EQ(db.execAndGet("SELECT sql FROM sqlite_schema WHERE name = 'members'").getString().find("NOT NULL DEFAULT"),
            std::string::npos);
}

// Schemas 17 to 19 are the PostgreSQL server's (schemas/postgresql/0017_server_identities.sql,
// 0018_journal_checks_per_statement.sql, 0019_admins_without_createrole.sql); SQLite's files are
// comments only. A file at schema 16 upgrades through 19 with its schema text unchanged (no
// table, index or trigger added or altered), keeps its rows and checks clean.
TEST(MigrationTest, SchemasSeventeenToNineteenAreTheServersAndChangeNoFile) {
  ASSERT_GE(migrations().size(), 19u);
  EXPECT_EQ(migrations()[16].name, "0017_server_identities");
  EXPECT_EQ(migrations()[17].name, "0018_journal_checks_per_statement");
  EXPECT_EQ(migrations()[18].name, "0019_admins_without_createrole");
  TempDir dir;
  const std::string path = dir.file("old.db");
  {
    auto ledger = Ledger::create(path, "admin");
    ASSERT_TRUE(ledger) << ledger.error().message();
    ASSERT_TRUE((*ledger)->post(transfer("a", day(2026, 1, 2), "1011", "6011", 5'000)));
  }
  auto schema_of = [](const std::string& file) {
    SQLite::Database db(file, SQLite::OPEN_READONLY);
    std::string out;
    SQLite::Statement q(db, "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY name");
    while (q.executeStep()) out += q.getColumn(0).getString() + "\n";
    return out;
  };
  const std::string before = schema_of(path);
  SQLite::Database(path, SQLite::OPEN_READWRITE).exec("PRAGMA user_version = 16");
  {
    auto ledger = Ledger::open(path);  // a writing open: upgrades
    ASSERT_TRUE(ledger) << ledger.error().message();
    ASSERT_TRUE((*ledger)->post(transfer("b", day(2026, 1, 3), "1011", "6011", 7'000)));
    auto report = (*ledger)->check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
  }
  EXPECT_TRUE(std::filesystem::exists(path + ".before-schema-17"));
  EXPECT_EQ(schema_of(path), before);
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 19);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM entries").getInt(), 2);
}

TEST(StoreOpenTest, NeverMapsTheDatabaseFile) {
  SOQUY_SQLITE_ONLY("SQLite's memory map of the file");
  TempDir dir;
  const std::string path = dir.file("soquy.db");
  ASSERT_TRUE(Ledger::create(path, "admin"));
  EXPECT_EXIT(open_with_mapping_default(path), ::testing::ExitedWithCode(0), "mmap_size: write 0, read-only 0");
}

}  // namespace
}  // namespace soquy
