// The unit tests' database helper (test_db.h): the server's URIs it builds, and, in server mode
// (SOQUY_UNIT_ENGINE=postgresql) without SOQUY_TEST_PG_URI, every test skipped rather than failed,
// as the other PostgreSQL tests are (CTest: pg.unit.*, label pg).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "test_db.h"

namespace soquy {
namespace {

using test_support::TestDb;
using test_support::server::uri_for;

class ServerEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    const char* uri = std::getenv("SOQUY_TEST_PG_URI");
    if (!test_support::on_server() || (uri && *uri)) return;
    // GoogleTest 1.12 reports the tests of a skipped environment as passed: this line is what
    // CTest's SKIP_REGULAR_EXPRESSION (gtest_discover_tests) sees.
    std::printf("[  SKIPPED ] SOQUY_TEST_PG_URI is not set\n");
    GTEST_SKIP() << "SOQUY_UNIT_ENGINE=postgresql but SOQUY_TEST_PG_URI is not set (scripts/pg-cluster.sh start DIR gives one)";
  }
};
[[maybe_unused]] ::testing::Environment* const kServerEnvironment =
    ::testing::AddGlobalTestEnvironment(new ServerEnvironment);

TEST(TestDbUri, TheDatabaseAndTheLoginAreReplacedAndTheQueryKept) {
  const std::string su = "postgresql://postgres@127.0.0.1:5432/postgres?host=/tmp/pg";
  EXPECT_EQ(uri_for(su, "soquy_unit_1"), "postgresql://postgres@127.0.0.1:5432/soquy_unit_1?host=/tmp/pg");
  EXPECT_EQ(uri_for(su, "soquy_unit_1", "admin"), "postgresql://admin@127.0.0.1:5432/soquy_unit_1?host=/tmp/pg");
  EXPECT_EQ(uri_for("postgres://postgres:secret@h/db", "x", "lien"), "postgres://lien@h/x");
  EXPECT_EQ(uri_for("postgresql://h:5432/db", "x", "ngoc"), "postgresql://ngoc@h:5432/x");
}

// On either engine: a fresh database whose admin is "admin"; another user acts on the same data
// (on the server through her own login), and the admin's ledger is given back.
TEST(TestDb, ActingAsAnotherUserSeesTheSameDatabase) {
  TestDb db;
  auto created = db.create();
  ASSERT_TRUE(created) << created.error().message();
  std::unique_ptr<Ledger> ledger = std::move(*created);
  EXPECT_EQ(ledger->actor().name, "admin");
  EXPECT_EQ(ledger->server_login().has_value(), db.server());
  ASSERT_TRUE(ledger->add_user("ngoc", Role::kAuditor));
  Ledger* admins = ledger.get();
  ASSERT_TRUE(db.act_as(ledger, "ngoc"));
  EXPECT_EQ(ledger->actor().name, "ngoc");
  EXPECT_EQ(ledger->users().size(), 2u);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM users"), 2);
  ASSERT_TRUE(db.act_as(ledger, ""));
  EXPECT_EQ(ledger->actor().name, "admin");
  if (db.server()) {
    EXPECT_EQ(ledger.get(), admins);  // the same connection again
  }
}

}  // namespace
}  // namespace soquy
