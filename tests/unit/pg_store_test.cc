// The journal's Store contract on a PostgreSQL server (issue 14): post, balances as of dates,
// idempotent client ids, reversal, the chain, and `check` finding an edit made by a superuser
// with the triggers disabled. Each test makes its own database on the server of
// SOQUY_TEST_PG_URI (a superuser's URI, scripts/pg-cluster.sh) and drops it; without the
// variable the tests are skipped. Label: pg.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>

#include "soquy/journal.h"
#include "soquy/ledger.h"
#include "pg_server.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;

std::string server_uri() {
  const char* uri = std::getenv("SOQUY_TEST_PG_URI");
  return uri ? uri : "";
}

std::string with_database(const std::string& uri, const std::string& db) {
  return test_support::server::uri_for(uri, db);
}

// Runs SQL as the superuser on `uri`; the server's error, or "" when it worked.
std::string run_sql(const std::string& uri, const std::string& sql) {
  try {
    test_support::server::rows(uri, sql);
    return "";
  } catch (const std::runtime_error& e) {
    return e.what();
  }
}

EntryDraft two_line(Date date, const std::string& debit, const std::string& credit, std::int64_t amount,
                    const std::string& client_id = "") {
  return EntryDraft{"fund", date, "test", client_id, {Posting{debit, Money(amount)}, Posting{credit, Money(-amount)}},
                    std::nullopt};
}

class PgStore : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_uri_ = server_uri();
    if (admin_uri_.empty()) GTEST_SKIP() << "SOQUY_TEST_PG_URI is not set";
    std::mt19937_64 rng(std::random_device{}());
    db_ = "soquy_unit_" + std::to_string(rng() % 1'000'000'000'000ULL);
    ASSERT_EQ(run_sql(admin_uri_, "CREATE DATABASE " + db_), "");
    uri_ = with_database(admin_uri_, db_);
    auto created = Ledger::create(uri_, "ignored");
    ASSERT_TRUE(created) << created.error().message();
    ledger_ = std::move(*created);
  }
  void TearDown() override {
    ledger_.reset();
    if (!db_.empty()) run_sql(admin_uri_, "DROP DATABASE IF EXISTS " + db_ + " WITH (FORCE)");
  }
  Money balance(const std::string& code, Date as_of) {
    auto b = ledger_->balance("fund", code, as_of);
    EXPECT_TRUE(b) << b.error().message();
    return b ? *b : Money(-424242);
  }

  std::string admin_uri_, db_, uri_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(PgStore, TheAdminIsTheLoginAndTheSchemaIsThere) {
  EXPECT_EQ(ledger_->actor().name, "postgres");
  EXPECT_EQ(ledger_->server_login().value_or(""), "postgres");
  EXPECT_EQ(ledger_->books().size(), 2u);
  EXPECT_TRUE(failed_with(Ledger::create(uri_, "x"), ErrorKind::kCantCreate));
}

TEST_F(PgStore, BalancesAsOfDatesFollowBackDatedEntries) {
  ASSERT_TRUE(ledger_->post(two_line(day(2026, 1, 15), "1011", "6011", 5'000'000)));
  ASSERT_TRUE(ledger_->post(two_line(day(2026, 3, 1), "1121", "1011", 2'000'000)));
  ASSERT_TRUE(ledger_->post(two_line(day(2026, 2, 1), "1011", "6011", 300)));  // back-dated
  EXPECT_EQ(balance("1011", day(2026, 1, 14)), Money(0));
  EXPECT_EQ(balance("1011", day(2026, 1, 15)), Money(5'000'000));
  EXPECT_EQ(balance("1011", day(2026, 2, 15)), Money(5'000'300));
  EXPECT_EQ(balance("1011", day(2026, 12, 31)), Money(3'000'300));
  EXPECT_EQ(balance("6011", day(2026, 12, 31)), Money(-5'000'300));
  auto reopened = Ledger::open(uri_, Ledger::Access::kReadOnly);
  ASSERT_TRUE(reopened) << reopened.error().message();
  auto b = (*reopened)->balance("fund", "1121", day(2026, 3, 1));
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, Money(2'000'000));
}

TEST_F(PgStore, AClientIdPostsOnce) {
  auto first = ledger_->post(two_line(day(2026, 1, 15), "1011", "6011", 1000, "k1"));
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->created);
  auto again = ledger_->post(two_line(day(2026, 1, 15), "1011", "6011", 1000, "k1"));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->entry.id, first->entry.id);
  EXPECT_TRUE(failed_with(ledger_->post(two_line(day(2026, 1, 15), "1011", "6011", 999, "k1")), ErrorKind::kBadInput));
  EXPECT_EQ(balance("1011", day(2026, 12, 31)), Money(1000));
}

TEST_F(PgStore, AReversalCancelsAndIsRefusedTwice) {
  auto posted = ledger_->post(two_line(day(2026, 1, 15), "1011", "6011", 7000, "r1"));
  ASSERT_TRUE(posted);
  auto rev = ledger_->reverse("r1", day(2026, 1, 20));
  ASSERT_TRUE(rev) << rev.error().message();
  EXPECT_EQ(rev->entry.reverses.value_or(0), posted->entry.id);
  EXPECT_EQ(balance("1011", day(2026, 1, 19)), Money(7000));
  EXPECT_EQ(balance("1011", day(2026, 1, 20)), Money(0));
  EXPECT_FALSE(ledger_->reverse("r1", day(2026, 1, 21)));
}

TEST_F(PgStore, TheChainVerifiesAndFindsAnEditMadeWithTriggersDisabled) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(ledger_->post(two_line(day(2026, 1, 10 + i), "1011", "6011", 100 + i)));
  auto clean = ledger_->check();
  EXPECT_TRUE(clean.problems.empty()) << clean.problems.front();
  EXPECT_EQ(clean.entries, 5);
  EXPECT_EQ(clean.last_entry, 5);
  // Without the triggers, a superuser can change a posting: check names the entry and the balance.
  ASSERT_EQ(run_sql(uri_, "ALTER TABLE postings DISABLE TRIGGER postings_no_update; "
                          "UPDATE postings SET amount = 999 WHERE entry_id = 3 AND line = 1; "
                          "ALTER TABLE postings ENABLE TRIGGER postings_no_update"),
            "");
  auto reopened = Ledger::open(uri_, Ledger::Access::kReadOnly);
  ASSERT_TRUE(reopened);
  auto report = (*reopened)->check();
  ASSERT_FALSE(report.problems.empty());
  std::string all;
  for (const auto& p : report.problems) all += p + "\n";
  EXPECT_NE(all.find("entry #3"), std::string::npos) << all;
  // A trigger left disabled is reported too.
  ASSERT_EQ(run_sql(uri_, "ALTER TABLE entries DISABLE TRIGGER entries_no_delete"), "");
  auto guards = (*Ledger::open(uri_, Ledger::Access::kReadOnly))->check_guards();
  ASSERT_EQ(guards.problems.size(), 1u);
  EXPECT_NE(guards.problems[0].find("entries_no_delete"), std::string::npos);
}

TEST_F(PgStore, TheServerRefusesEditsEvenToTheOwner) {
  ASSERT_TRUE(ledger_->post(two_line(day(2026, 1, 10), "1011", "6011", 100)));
  EXPECT_NE(run_sql(uri_, "UPDATE entries SET memo = 'x'").find("posted entries cannot be changed"), std::string::npos);
  EXPECT_NE(run_sql(uri_, "DELETE FROM postings").find("postings cannot be deleted"), std::string::npos);
  EXPECT_NE(run_sql(uri_, "DELETE FROM users").find("users are never deleted"), std::string::npos);
}

TEST_F(PgStore, AnUnreachableServerIsAnIoError) {
  EXPECT_TRUE(failed_with(Ledger::open(with_database(admin_uri_, db_ + "_missing")), ErrorKind::kIo));
  EXPECT_TRUE(failed_with(Ledger::open("postgresql://nobody@127.0.0.1:1/x"), ErrorKind::kIo));
}

}  // namespace
}  // namespace soquy
