// The demo's hụi and savings groups (ledger/include/soquy/demo_groups.h), built on the demo
// province and checked against the engines' invariants and, independently, the database (SQL):
// every round's money in = payout + fee; each group book balances; the members' nets sum to
// minus the fees; no savings balance is negative; each share-out pays out exactly what it split;
// the bid group's 300,000 bid is the one warned above the cap; `check` passes; same seed, same
// book.
#include <gtest/gtest.h>


#include <memory>
#include <string>

#include "soquy/demo_groups.h"
#include "soquy/demo_registry.h"
#include "soquy/ledger.h"
#include "soquy/rosca.h"
#include "soquy/savings.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;

const char* const kHuis[] = {"HUI-CL-AT", "HUI-TC-KS", "HUI-CN-KH"};
const char* const kSavings[] = {"TK-CL-AT", "TK-TC-KS"};

class DemoGroupsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new test_support::TestDb("demo.db");
    auto l = db_->create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = l->release();
    ASSERT_TRUE(build_registry_demo(*ledger_));
    auto s = build_groups_demo(*ledger_);
    ASSERT_TRUE(s) << s.error().message();
    summary_ = new GroupsDemoSummary(*s);
  }
  static void TearDownTestSuite() {
    delete summary_;
    delete ledger_;
    delete db_;
  }
  static std::int64_t sql(const std::string& query) {
    return db_->scalar(query);
  }
  static std::string book_ids() {
    return "(SELECT id FROM books WHERE code IN ('group:HUI-CL-AT', 'group:HUI-TC-KS', 'group:HUI-CN-KH', "
           "'group:TK-CL-AT', 'group:TK-TC-KS'))";
  }

  static test_support::TestDb* db_;
  static Ledger* ledger_;
  static GroupsDemoSummary* summary_;
};

test_support::TestDb* DemoGroupsTest::db_ = nullptr;
Ledger* DemoGroupsTest::ledger_ = nullptr;
GroupsDemoSummary* DemoGroupsTest::summary_ = nullptr;

TEST_F(DemoGroupsTest, SummaryMatchesTheDatabase) {
  const auto& s = *summary_;
  EXPECT_EQ(s.roscas, 3);
  EXPECT_EQ(s.rounds, 12 + 10 + 12);
  EXPECT_EQ(s.payouts, s.rounds);
  EXPECT_EQ(s.advances, 1);
  EXPECT_EQ(s.closed, 2);
  EXPECT_EQ(s.savings_groups, 2);
  EXPECT_EQ(s.meetings, 24);
  EXPECT_EQ(s.group_loans, 5);
  EXPECT_EQ(s.shareouts, 2);
  // The only entries in these books are this demo's (the registry posts none there).
  EXPECT_EQ(s.entries, sql("SELECT count(*) FROM entries WHERE book_id IN " + book_ids()));
  EXPECT_EQ(s.first.to_iso(), "2025-02-10");
  EXPECT_EQ(s.last.to_iso(), "2026-11-20");
  EXPECT_EQ(sql("SELECT count(*) FROM entries WHERE book_id IN " + book_ids() + " AND (date < '2025-02-10' OR date > '2026-11-20')"), 0);
  // Every group book balances, entry by entry.
  EXPECT_EQ(sql("SELECT count(*) FROM (SELECT e.id FROM entries e JOIN postings p ON p.entry_id = e.id WHERE e.book_id IN " +
                book_ids() + " GROUP BY e.id HAVING sum(p.amount) <> 0) AS unbalanced"),
            0);
  EXPECT_TRUE(ledger_->check().ok());
}

TEST_F(DemoGroupsTest, EveryRoundTakesInItsPayoutAndFee) {
  Rosca rosca(*ledger_);
  for (const char* g : kHuis) {
    auto st = rosca.status(g, day(2026, 11, 27));
    ASSERT_TRUE(st) << st.error().message();
    Money fees, nets;
    for (const auto& r : st->rounds) {
      Money in;
      for (const auto& d : r.due) {
        in += d.amount;
        EXPECT_EQ(d.paid + d.advanced, d.amount) << g << " round " << r.round << " " << d.member;
      }
      EXPECT_EQ(in, r.payout + r.fee) << g << " round " << r.round;
      EXPECT_TRUE(r.paid_out_on) << g << " round " << r.round;
      fees += r.fee;
    }
    for (const auto& m : st->members) {
      EXPECT_TRUE(m.arrears.is_zero()) << g << " " << m.member;
      nets += m.net;
    }
    // What left the members went to the holder as fees, and nothing else.
    EXPECT_EQ(nets, Money(0) - fees) << g;
    EXPECT_TRUE(st->cash.is_zero()) << g;
  }
}

TEST_F(DemoGroupsTest, KindsSeedsAndTheLateMember) {
  Rosca rosca(*ledger_);
  auto fixed = rosca.status("HUI-CL-AT", day(2026, 11, 27));
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->agreement.kind, RoscaKind::kFixed);
  EXPECT_TRUE(fixed->closed_on);
  for (const auto& r : fixed->rounds) EXPECT_EQ(r.winner_share, r.round);  // the agreed order
  int advances = 0;
  for (const auto& m : fixed->movements) advances += m.kind == "advance";
  EXPECT_EQ(advances, 1);
  auto lottery = rosca.status("HUI-TC-KS", day(2026, 11, 27));
  ASSERT_TRUE(lottery);
  for (const auto& r : lottery->rounds) {
    if (r.method == "last") continue;
    EXPECT_EQ(r.method, "lottery");
    ASSERT_TRUE(r.seed) << r.round;
    // Anyone replays the draw from the recorded seed.
    EXPECT_EQ(r.candidates.at(draw_index(*r.seed, r.candidates.size())), r.winner_share) << r.round;
  }
}

TEST_F(DemoGroupsTest, OnlyTheOverCapBidIsWarned) {
  Rosca rosca(*ledger_);
  auto st = rosca.status("HUI-CN-KH", day(2026, 11, 27));
  ASSERT_TRUE(st);
  ASSERT_EQ(st->rounds.size(), 12u);
  EXPECT_EQ(st->rounds[0].bid, Money(300000));
  const std::string bidder = st->rounds[0].winner;
  int over = 0;
  for (const auto& m : st->members) {
    if (!m.over_cap) continue;
    ++over;
    EXPECT_EQ(m.member, bidder);
  }
  EXPECT_EQ(over, 1);
  ASSERT_EQ(st->warnings.size(), 1u);
  EXPECT_NE(st->warnings[0].find(bidder + ": implied rate"), std::string::npos) << st->warnings[0];
  for (const char* g : {"HUI-CL-AT", "HUI-TC-KS"}) {
    auto other = rosca.status(g, day(2026, 11, 27));
    ASSERT_TRUE(other);
    EXPECT_TRUE(other->warnings.empty()) << g;
  }
}

TEST_F(DemoGroupsTest, SavingsAndShareOuts) {
  Savings sv(*ledger_);
  // Never a negative savings balance at any meeting date of the cycle.
  for (const char* g : kSavings) {
    for (int m = 0; m < 14; ++m) {
      auto st = sv.status(g, day(2025, 7, 28).add_months(m));
      ASSERT_TRUE(st) << st.error().message();
      for (const auto& ms : st->members) EXPECT_FALSE(ms.savings.is_negative()) << g << " " << ms.member;
      EXPECT_FALSE(st->social_fund.is_negative());
    }
    auto st = sv.status(g, day(2026, 11, 27));
    ASSERT_TRUE(st);
    EXPECT_EQ(st->loans.size(), std::string(g) == "TK-CL-AT" ? 3u : 2u);
    EXPECT_TRUE(st->loans_outstanding.is_zero()) << g;
    EXPECT_EQ(st->cycle, 2) << g;  // the share-out ended cycle 1
  }
  // The share-outs from the book: Dr 4111 (savings) and the income closed, Cr 1011 payouts and
  // Cr 4311 the leftover; after it the group's cash is only its social fund.
  for (const char* g : kSavings) {
    const std::string book = std::string("(SELECT id FROM books WHERE code = 'group:") + g + "')";
    const std::string acct = "(SELECT id FROM accounts WHERE book_id = " + book + " AND code = ";
    EXPECT_EQ(sql("SELECT coalesce(sum(p.amount), 0) FROM postings p WHERE p.account_id = " + acct + "'1011')"),
              -sql("SELECT coalesce(sum(p.amount), 0) FROM postings p WHERE p.account_id = " + acct + "'4311')"))
        << g;
    EXPECT_EQ(sql("SELECT coalesce(sum(p.amount), 0) FROM postings p WHERE p.account_id = " + acct + "'4111')"), 0)
        << g;
  }
  auto by_shares = sv.status("TK-CL-AT", day(2026, 11, 27));
  auto timed = sv.status("TK-TC-KS", day(2026, 11, 27));
  ASSERT_TRUE(by_shares && timed);
  EXPECT_EQ(by_shares->rules.method, ShareoutMethod::kShares);
  EXPECT_EQ(timed->rules.method, ShareoutMethod::kTimeWeighted);
}

TEST_F(DemoGroupsTest, SameSeedSameBook) {
  test_support::TestDb again("demo.db");
  auto l = again.create();
  ASSERT_TRUE(l);
  ASSERT_TRUE(build_registry_demo(**l));
  auto s = build_groups_demo(**l);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->entries, summary_->entries);
  Rosca a(*ledger_), b(**l);
  auto x = a.status("HUI-TC-KS", day(2026, 11, 27));
  auto y = b.status("HUI-TC-KS", day(2026, 11, 27));
  ASSERT_TRUE(x && y);
  for (std::size_t i = 0; i < x->rounds.size(); ++i) EXPECT_EQ(x->rounds[i].winner, y->rounds[i].winner);
  // Building it twice is refused (the agreements exist), and writes nothing.
  const auto before = (*l)->check().entries;
  EXPECT_FALSE(build_groups_demo(**l));
  EXPECT_EQ((*l)->check().entries, before);
}

}  // namespace
}  // namespace soquy
