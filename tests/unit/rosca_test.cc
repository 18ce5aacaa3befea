// Tests of rotating groups (hụi / họ, ledger/include/soquy/rosca.h) against the worked vectors of
// ../shared/vectors/groups.md: G1 (fixed order with a holder's fee), G2 (bidding, the holder takes
// the first pot), a lottery draw replayed from its seed, a bid tie drawn by lot, the holder's
// advance as a receivable, late interest, the implied annual rate and the warnings; then the
// error paths. Expected figures are worked by hand in the comments; the implied rates were
// computed independently (python3, exact fractions, bisection of the NPV) and are checked here
// again by the sign of the exact NPV on both sides of the reported rate.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "soquy/group_checks.h"
#include "soquy/ledger.h"
#include "soquy/rate.h"
#include "soquy/registry.h"
#include "soquy/rosca.h"
#include "store.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;

// Σ flows[k] / (1 + r)^k, exactly.
Rational npv(const std::vector<std::int64_t>& flows, const Rational& r) {
  Rational sum = 0, disc = 1;
  for (auto f : flows) {
    sum += Rational(f) * disc;
    disc /= (1 + r);
  }
  return sum;
}

class RoscaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    reg_ = std::make_unique<Registry>(*ledger_);
    rosca_ = std::make_unique<Rosca>(*ledger_);
    const Date d = day(2020, 1, 1);
    ASSERT_TRUE(reg_->add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
    ASSERT_TRUE(reg_->add_unit({"C", "An Trường", UnitKind::kCommune, "P", d}));
    int n = 0;
    for (const char* id : {"H", "M1", "M2", "M3", "M4", "M5"}) add_member(id, day(1980, 5, 1), ++n);
    add_member("Y", day(2008, 6, 2), ++n);  // 18 on 2026-06-02, not before
    add_member("NB", std::nullopt, ++n);   // no birth date
  }
  void add_member(const std::string& id, std::optional<Date> born, int n) {
    MemberSpec s;
    s.id = id;
    s.name = "Nguyễn Thị " + id;
    s.national_id = "0841790000" + std::string(n < 10 ? "0" : "") + std::to_string(n);
    s.unit = "C";
    s.born = born;
    s.joined = day(2020, 1, 1);
    auto m = reg_->add_member(s);
    ASSERT_TRUE(m) << m.error().message();
  }
  RoscaSpec spec(const std::string& group, RoscaKind kind, std::int64_t a, std::vector<std::string> shares,
                 std::int64_t fee = 0) {
    RoscaSpec s;
    s.group = group;
    s.unit = "C";
    s.holder = "H";
    s.contribution = Money(a);
    s.start = day(2026, 1, 5);
    s.kind = kind;
    s.shares = std::move(shares);
    s.fee = Money(fee);
    return s;
  }
  RoscaOpenSpec opening(int round, Date date) {
    RoscaOpenSpec o;
    o.round = round;
    o.date = date;
    return o;
  }
  RoscaOpenSpec bid(int round, Date date, const std::string& winner, std::int64_t b) {
    RoscaOpenSpec o = opening(round, date);
    o.winner = winner;
    o.bid = Money(b);
    return o;
  }
  // Pays every missing due of round k (as the dues say) on `date`.
  void pay_round(const std::string& group, int k, Date date) {
    auto st = rosca_->status(group, date);
    ASSERT_TRUE(st) << st.error().message();
    for (const auto& d : st->rounds.at(static_cast<std::size_t>(k - 1)).due) {
      Money missing = d.amount - d.paid - d.advanced;
      if (missing > Money(0)) {
        auto p = rosca_->pay(group, d.member, missing, date);
        ASSERT_TRUE(p) << p.error().message();
      }
    }
  }
  const RoscaMemberStatus& member(const RoscaStatus& s, const std::string& id) {
    for (const auto& m : s.members)
      if (m.member == id) return m;
    throw std::runtime_error("no member " + id);
  }
  std::optional<std::string> rate(const RoscaStatus& s, const std::string& id) {
    const auto& m = member(s, id);
    if (!m.implied_annual_rate) return std::nullopt;
    return format_decimal(*m.implied_annual_rate, 4);
  }
  // The reported yearly rate R (monthly r = R/12) is within 1e-12 below a root of the NPV: the
  // NPV changes sign (or is zero) between r and r + 1e-9 (checked exactly).
  void expect_root(const RoscaStatus& s, const std::string& id, const std::vector<std::int64_t>& flows) {
    const auto& m = member(s, id);
    ASSERT_TRUE(m.implied_annual_rate) << id;
    Rational r = *m.implied_annual_rate / 12;
    Rational a = npv(flows, r), b = npv(flows, r + Rational(1, 1000000000));
    EXPECT_TRUE(a == 0 || b == 0 || (a > 0) != (b > 0)) << id;
  }

  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Registry> reg_;
  std::unique_ptr<Rosca> rosca_;
};

// --- the draw ---------------------------------------------------------------------------------

TEST(RoscaDraw, SplitMix64MatchesTheReferenceOutputs) {
  // Reference outputs of SplitMix64 from seed 0 (Vigna's splitmix64.c).
  std::uint64_t s = 0;
  EXPECT_EQ(splitmix64_next(s), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(splitmix64_next(s), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(splitmix64_next(s), 0x06C45D188009454FULL);
}

TEST(RoscaDraw, DrawIndexIsTheFirstOutputModN) {
  // python3: splitmix64(20261203) = 11563629835449879579; mod 4 = 3, mod 2 = 1, mod 5 = 4.
  EXPECT_EQ(draw_index(20261203, 4), 3u);
  EXPECT_EQ(draw_index(20261203, 2), 1u);
  EXPECT_EQ(draw_index(20261203, 5), 4u);
  EXPECT_EQ(draw_index(2, 2), 0u);  // splitmix64(2) is even
  EXPECT_EQ(draw_index(99, 1), 0u);
}

TEST(RoscaDraw, ParseSeed) {
  EXPECT_EQ(*parse_seed("18446744073709551615"), 18446744073709551615ULL);
  EXPECT_EQ(*parse_seed("0"), 0u);
  EXPECT_TRUE(failed_with(parse_seed("18446744073709551616"), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(parse_seed("-1"), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(parse_seed(""), ErrorKind::kBadInput));
}

// --- the implied rate ---------------------------------------------------------------------------

TEST(RoscaRate, SmallestNonNegativeRate) {
  auto m = [](std::vector<std::int64_t> v) {
    std::vector<Money> out;
    for (auto x : v) out.emplace_back(x);
    return out;
  };
  // −100 now, +110 one period later: exactly 10 % (within 1e-12 below).
  auto r = smallest_nonnegative_rate(m({-100, 110}));
  ASSERT_TRUE(r);
  EXPECT_LE(*r, Rational(1, 10));
  EXPECT_GT(*r, Rational(1, 10) - Rational(1, 1000000000000LL));
  // Flows summing to 0: rate 0 exactly.
  EXPECT_EQ(*smallest_nonnegative_rate(m({4000000, -1000000, -1000000, -1000000, -1000000})), Rational(0));
  // No root at all: one flow, all zero, all negative.
  EXPECT_FALSE(smallest_nonnegative_rate(m({-5})));
  EXPECT_FALSE(smallest_nonnegative_rate(m({0, 0, 0})));
  EXPECT_FALSE(smallest_nonnegative_rate(m({-1, -2, -3})));
  // Two roots, 10 % and 20 %: (x − 1.1)(x − 1.2) = x² − 2.3x + 1.32 → flows 100, −230, 132; the
  // smallest is 10 %.
  auto two = smallest_nonnegative_rate(m({100, -230, 132}));
  ASSERT_TRUE(two);
  EXPECT_LE(*two, Rational(1, 10));
  EXPECT_GT(*two, Rational(1, 10) - Rational(1, 1000000000000LL));
}

// --- G1: fixed order, a fee of 50,000 ---------------------------------------------------------

TEST_F(RoscaTest, G1FixedOrderWithFee) {
  auto a = rosca_->create(spec("G1", RoscaKind::kFixed, 500000, {"M1", "M2", "M3", "M4"}, 50000));
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_EQ(a->book, "group:G1");
  EXPECT_EQ(a->shares.size(), 4u);
  EXPECT_EQ(a->late_rate.per_year(), Rational(1, 10));  // 10 %/year by default
  const Date dates[] = {day(2026, 1, 5), day(2026, 2, 5), day(2026, 3, 5), day(2026, 4, 5)};
  for (int k = 1; k <= 4; ++k) {
    auto r = rosca_->open("G1", opening(k, dates[k - 1]));
    ASSERT_TRUE(r) << r.error().message();
    // The agreed order: share k takes round k (the last by "last").
    EXPECT_EQ(r->winner_share, k);
    EXPECT_EQ(r->winner, "M" + std::to_string(k));
    EXPECT_EQ(r->method, k == 4 ? "last" : "fixed");
    // A·(N−1) − F = 1,500,000 − 50,000.
    EXPECT_EQ(r->payout, Money(1450000));
    EXPECT_EQ(r->fee, Money(50000));
    EXPECT_EQ(r->dead, k - 1);
    EXPECT_EQ(r->living, 4 - k);
    ASSERT_EQ(r->due.size(), 3u);
    for (const auto& d : r->due) EXPECT_EQ(d.amount, Money(500000));
    pay_round("G1", k, dates[k - 1]);
    auto p = rosca_->payout("G1", k, dates[k - 1], "PC-" + std::to_string(k));
    ASSERT_TRUE(p) << p.error().message();
    EXPECT_EQ(p->payout.amount, Money(1450000));
    EXPECT_EQ(p->payout.fee, Money(50000));
    EXPECT_TRUE(p->advances.empty());
  }
  auto st = rosca_->status("G1", day(2026, 4, 5));
  ASSERT_TRUE(st) << st.error().message();
  // Each member pays 3 × 500,000 and receives 1,450,000: net −50,000; the holder's 4 fees leave
  // the cash at 0.
  for (const auto& m : st->members) {
    EXPECT_EQ(m.paid, Money(1500000)) << m.member;
    EXPECT_EQ(m.received, Money(1450000)) << m.member;
    EXPECT_EQ(m.net, Money(-50000)) << m.member;
    EXPECT_EQ(m.arrears, Money(0)) << m.member;
    EXPECT_EQ(m.late_interest, Money(0)) << m.member;
  }
  EXPECT_EQ(st->cash, Money(0));
  // Implied rates (python3 exact bisection): M1 flows +1,450,000, −500,000 ×3 → 0.017144…/month
  // = 0.205731/year; M2 −500,000, +1,450,000, −500,000 ×2 → 0.669904/year; M3 and M4 have no
  // non-negative rate (the NPV stays negative).
  EXPECT_EQ(rate(*st, "M1"), "0.2057");
  EXPECT_EQ(rate(*st, "M2"), "0.6699");
  EXPECT_EQ(rate(*st, "M3"), std::nullopt);
  EXPECT_EQ(rate(*st, "M4"), std::nullopt);
  expect_root(*st, "M1", {1450000, -500000, -500000, -500000});
  expect_root(*st, "M2", {-500000, 1450000, -500000, -500000});
  EXPECT_TRUE(member(*st, "M1").over_cap);   // 0.2057 > 0.20
  EXPECT_TRUE(member(*st, "M2").over_cap);
  EXPECT_FALSE(member(*st, "M3").over_cap);
  ASSERT_EQ(st->warnings.size(), 2u);
  EXPECT_NE(st->warnings[0].find("M1"), std::string::npos);
  EXPECT_NE(st->warnings[1].find("M2"), std::string::npos);
  // All 4 rounds opened: a fifth is refused.
  EXPECT_TRUE(failed_with(rosca_->open("G1", opening(5, day(2026, 5, 5))), ErrorKind::kBadInput));
}

TEST_F(RoscaTest, G1WithoutFeeEveryNetIsZero) {
  ASSERT_TRUE(rosca_->create(spec("G0", RoscaKind::kFixed, 500000, {"M1", "M2", "M3", "M4"})));
  for (int k = 1; k <= 4; ++k) {
    const Date d = day(2026, k, 5);
    auto r = rosca_->open("G0", opening(k, d));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->payout, Money(1500000));
    pay_round("G0", k, d);
    ASSERT_TRUE(rosca_->payout("G0", k, d));
  }
  auto st = rosca_->status("G0", day(2026, 4, 5));
  ASSERT_TRUE(st);
  for (const auto& m : st->members) {
    EXPECT_EQ(m.net, Money(0)) << m.member;
    EXPECT_EQ(rate(*st, m.member), "0.0000") << m.member;  // flows sum to 0
    EXPECT_FALSE(m.over_cap);
  }
  EXPECT_TRUE(st->warnings.empty());
}

// --- G2: bidding, the holder takes the first pot -------------------------------------------------

TEST_F(RoscaTest, G2BiddingVector) {
  auto s = spec("G2", RoscaKind::kBid, 1000000, {"M1", "M2", "M3", "M4", "M5"});
  s.holder = "M1";
  s.holder_takes_first = true;
  ASSERT_TRUE(rosca_->create(s));
  struct Row { const char* winner; std::int64_t bid; int dead, living; std::int64_t living_due, payout; const char* method; };
  // The table of groups.md: living pay A − B, dead pay A, winner A·D + (A − B)·L.
  const Row rows[] = {{"M1", 0, 0, 4, 1000000, 4000000, "holder"},
                      {"M2", 200000, 1, 3, 800000, 3400000, "bid"},
                      {"M3", 150000, 2, 2, 850000, 3700000, "bid"},
                      {"M4", 100000, 3, 1, 900000, 3900000, "bid"},
                      {"M5", 0, 4, 0, 0, 4000000, "last"}};
  for (int k = 1; k <= 5; ++k) {
    const Row& w = rows[k - 1];
    const Date d = day(2026, k, 10);
    auto r = (k == 1 || k == 5) ? rosca_->open("G2", opening(k, d)) : rosca_->open("G2", bid(k, d, w.winner, w.bid));
    ASSERT_TRUE(r) << k << ": " << r.error().message();
    EXPECT_EQ(r->winner, w.winner);
    EXPECT_EQ(r->method, w.method);
    EXPECT_EQ(r->bid, Money(w.bid));
    EXPECT_EQ(r->dead, w.dead);
    EXPECT_EQ(r->living, w.living);
    EXPECT_EQ(r->payout, Money(w.payout));
    Money sum;
    for (const auto& du : r->due) {
      const int share = du.share;
      const bool dead = share < k;  // shares 1..k−1 received in rounds 1..k−1
      EXPECT_EQ(du.amount, dead ? Money(1000000) : Money(w.living_due)) << "round " << k << " share " << share;
      sum += du.amount;
    }
    EXPECT_EQ(sum, Money(w.payout));  // money in = payout + fee (0)
    pay_round("G2", k, d);
    ASSERT_TRUE(rosca_->payout("G2", k, d));
  }
  auto st = rosca_->status("G2", day(2026, 5, 10));
  ASSERT_TRUE(st);
  // Nets: M1 0, M2 −600,000, M3 −100,000, M4 +250,000, M5 +450,000 (sum 0).
  EXPECT_EQ(member(*st, "M1").net, Money(0));
  EXPECT_EQ(member(*st, "M2").net, Money(-600000));
  EXPECT_EQ(member(*st, "M3").net, Money(-100000));
  EXPECT_EQ(member(*st, "M4").net, Money(250000));
  EXPECT_EQ(member(*st, "M5").net, Money(450000));
  EXPECT_EQ(member(*st, "M2").paid, Money(4000000));
  EXPECT_EQ(member(*st, "M2").received, Money(3400000));
  // Rates of groups.md (python3: M2 1.946470, M4 0.637595, M5 0.571344 per year).
  EXPECT_EQ(rate(*st, "M1"), "0.0000");
  EXPECT_EQ(rate(*st, "M2"), "1.9465");
  EXPECT_EQ(rate(*st, "M3"), std::nullopt);
  EXPECT_EQ(rate(*st, "M4"), "0.6376");
  EXPECT_EQ(rate(*st, "M5"), "0.5713");
  expect_root(*st, "M2", {-1000000, 3400000, -1000000, -1000000, -1000000});
  expect_root(*st, "M4", {-1000000, -800000, -850000, 3900000, -1000000});
  expect_root(*st, "M5", {-1000000, -800000, -850000, -900000, 4000000});
  EXPECT_FALSE(member(*st, "M1").over_cap);
  EXPECT_TRUE(member(*st, "M2").over_cap);
  EXPECT_FALSE(member(*st, "M3").over_cap);
  EXPECT_TRUE(member(*st, "M4").over_cap);
  EXPECT_TRUE(member(*st, "M5").over_cap);
  ASSERT_EQ(st->warnings.size(), 3u);
  EXPECT_EQ(st->cash, Money(0));
}

TEST_F(RoscaTest, BidRules) {
  ASSERT_TRUE(rosca_->create(spec("GB", RoscaKind::kBid, 1000000, {"M1", "M2", "M3", "M4"})));
  // Round 1 by bids: a tie at 200,000 between shares 2 and 3 is drawn with seed 20261203:
  // splitmix64(20261203) mod 2 = 1 → the second of [2, 3] = share 3 (M3).
  RoscaOpenSpec o = opening(1, day(2026, 1, 10));
  o.bids = {{"M2", Money(200000)}, {"M3", Money(200000)}, {"M4", Money(100000)}};
  // Without a seed the tie cannot be drawn.
  EXPECT_TRUE(failed_with(rosca_->open("GB", o), ErrorKind::kUsage));
  o.seed = 20261203;
  auto r = rosca_->open("GB", o);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->method, "bid-tie");
  EXPECT_EQ(r->winner, "M3");
  EXPECT_EQ(r->winner_share, 3);
  EXPECT_EQ(r->bid, Money(200000));
  EXPECT_EQ(r->candidates, (std::vector<int>{2, 3}));
  EXPECT_EQ(r->seed, std::optional<std::uint64_t>(20261203));
  ASSERT_EQ(r->bids.size(), 3u);
  // D = 0, L = 3: payout 3 × 800,000.
  EXPECT_EQ(r->payout, Money(2400000));
  // Round 2: M3 already received and cannot bid.
  EXPECT_TRUE(failed_with(rosca_->open("GB", bid(2, day(2026, 2, 10), "M3", 100000)), ErrorKind::kBadInput));
  RoscaOpenSpec o2 = opening(2, day(2026, 2, 10));
  o2.bids = {{"M3", Money(100000)}};
  EXPECT_TRUE(failed_with(rosca_->open("GB", o2), ErrorKind::kBadInput));
  // A bid as large as the contribution is refused.
  EXPECT_TRUE(failed_with(rosca_->open("GB", bid(2, day(2026, 2, 10), "M2", 1000000)), ErrorKind::kBadInput));
  // A bid of 0 is valid: D = 1 (share 3), L = 2: 1,000,000 + 2 × 1,000,000.
  auto r2 = rosca_->open("GB", bid(2, day(2026, 2, 10), "M2", 0));
  ASSERT_TRUE(r2) << r2.error().message();
  EXPECT_EQ(r2->payout, Money(3000000));
  // Round 3: nobody bids → drawn among the unreceived shares [1, 4] at bid 0; seed 2:
  // splitmix64(2) mod 2 = 0 → share 1.
  RoscaOpenSpec o3 = opening(3, day(2026, 3, 10));
  EXPECT_TRUE(failed_with(rosca_->open("GB", o3), ErrorKind::kUsage));
  o3.seed = 2;
  auto r3 = rosca_->open("GB", o3);
  ASSERT_TRUE(r3) << r3.error().message();
  EXPECT_EQ(r3->winner_share, 1);
  EXPECT_EQ(r3->candidates, (std::vector<int>{1, 4}));
  EXPECT_EQ(r3->bid, Money(0));
}

// --- lottery: the recorded seed replays ---------------------------------------------------------

TEST_F(RoscaTest, LotteryDrawReplaysFromItsSeed) {
  ASSERT_TRUE(rosca_->create(spec("GL", RoscaKind::kLottery, 200000, {"M1", "M2", "M3", "M4"})));
  RoscaOpenSpec o = opening(1, day(2026, 1, 5));
  EXPECT_TRUE(failed_with(rosca_->open("GL", o), ErrorKind::kUsage));  // a draw needs a seed
  o.seed = 20261203;
  auto r = rosca_->open("GL", o);
  ASSERT_TRUE(r) << r.error().message();
  // Among [1, 2, 3, 4]: splitmix64(20261203) mod 4 = 3 → share 4.
  EXPECT_EQ(r->method, "lottery");
  EXPECT_EQ(r->candidates, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(r->winner_share, 4);
  EXPECT_EQ(r->winner, "M4");
  // Anyone replays it from the book: the stored seed and candidates give the same share.
  auto st = rosca_->status("GL", day(2026, 1, 5));
  ASSERT_TRUE(st);
  const auto& stored = st->rounds.at(0);
  ASSERT_TRUE(stored.seed);
  EXPECT_EQ(stored.candidates.at(draw_index(*stored.seed, stored.candidates.size())), stored.winner_share);
  // Round 2 among [1, 2, 3] with seed 6: splitmix64(6) mod 3 = 2 → share 3.
  RoscaOpenSpec o2 = opening(2, day(2026, 2, 5));
  o2.seed = 6;
  auto r2 = rosca_->open("GL", o2);
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->candidates, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(r2->winner_share, 3);
  // A lottery round takes no --winner.
  RoscaOpenSpec o3 = bid(3, day(2026, 3, 5), "M1", 0);
  EXPECT_TRUE(failed_with(rosca_->open("GL", o3), ErrorKind::kUsage));
}

// --- arrears, the holder's advance, late interest ----------------------------------------------------

TEST_F(RoscaTest, PayoutRefusedWhileDuesMissingThenHolderAdvances) {
  ASSERT_TRUE(rosca_->create(spec("GA", RoscaKind::kFixed, 500000, {"M1", "M2", "M3"})));
  ASSERT_TRUE(rosca_->open("GA", opening(1, day(2026, 1, 5))));
  ASSERT_TRUE(rosca_->pay("GA", "M2", Money(500000), day(2026, 1, 5), "PT-1"));
  ASSERT_TRUE(rosca_->pay("GA", "M3", Money(200000), day(2026, 1, 5), "PT-2"));
  // M3 misses 300,000: refused, nothing written.
  auto refused = rosca_->payout("GA", 1, day(2026, 1, 6));
  ASSERT_TRUE(failed_with(refused, ErrorKind::kBadInput));
  EXPECT_NE(refused.error().message().find("M3 300000"), std::string::npos) << refused.error().message();
  auto before = rosca_->status("GA", day(2026, 1, 6));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->movements.size(), 2u);
  EXPECT_FALSE(before->rounds[0].paid_out_on);
  // Paying more than owed is refused too.
  EXPECT_TRUE(failed_with(rosca_->pay("GA", "M3", Money(300001), day(2026, 1, 6)), ErrorKind::kBadInput));
  // --advance: the holder advances 300,000 (receipt PC-9-A1), then the payout.
  auto p = rosca_->payout("GA", 1, day(2026, 1, 6), "PC-9", true);
  ASSERT_TRUE(p) << p.error().message();
  ASSERT_EQ(p->advances.size(), 1u);
  EXPECT_EQ(p->advances[0].member, "M3");
  EXPECT_EQ(p->advances[0].amount, Money(300000));
  EXPECT_EQ(p->advances[0].receipt, "PC-9-A1");
  EXPECT_EQ(p->payout.amount, Money(1000000));
  // Status on 2026-04-15 (100 days after the opening on 2026-01-05): M3 owes 300,000, all of it
  // the holder's receivable; late interest 300,000 × 10 % × 100 / 365 = 8,219.18 → 8,219.
  auto st = rosca_->status("GA", day(2026, 4, 15));
  ASSERT_TRUE(st);
  const auto& m3 = member(*st, "M3");
  EXPECT_EQ(m3.paid, Money(200000));
  EXPECT_EQ(m3.due, Money(500000));
  EXPECT_EQ(m3.arrears, Money(300000));
  EXPECT_EQ(m3.advanced, Money(300000));
  EXPECT_EQ(m3.late_interest, Money(8219));
  EXPECT_EQ(member(*st, "M2").late_interest, Money(0));
  // Cash: 700,000 in + 300,000 advanced − 1,000,000 paid out = 0.
  EXPECT_EQ(st->cash, Money(0));
  // M3 repays 100,000: it goes on to the holder; 200,000 still advanced.
  ASSERT_TRUE(rosca_->pay("GA", "M3", Money(100000), day(2026, 4, 15), "PT-3"));
  auto st2 = rosca_->status("GA", day(2026, 4, 15));
  ASSERT_TRUE(st2);
  EXPECT_EQ(member(*st2, "M3").arrears, Money(200000));
  EXPECT_EQ(member(*st2, "M3").advanced, Money(200000));
  EXPECT_EQ(st2->cash, Money(0));
  // The same receipt with the same content changes nothing; with other content it is refused.
  auto again = rosca_->pay("GA", "M3", Money(100000), day(2026, 4, 15), "PT-3");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_TRUE(failed_with(rosca_->pay("GA", "M3", Money(50000), day(2026, 4, 15), "PT-3"), ErrorKind::kBadInput));
  // Paying out round 1 again is refused; the same payout again (same receipt or none, same
  // date) changes nothing.
  EXPECT_TRUE(failed_with(rosca_->payout("GA", 1, day(2026, 4, 16), "PC-10"), ErrorKind::kBadInput));
  for (const std::string receipt : {"PC-9", ""}) {
    auto same = rosca_->payout("GA", 1, day(2026, 1, 6), receipt);
    ASSERT_TRUE(same) << same.error().message();
    EXPECT_FALSE(same->created);
    EXPECT_EQ(same->payout.receipt, "PC-9");
  }
  auto after = rosca_->status("GA", day(2026, 4, 15));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->movements.size(), 5u);  // PT-1, PT-2, PC-9-A1, PC-9, PT-3
}

TEST_F(RoscaTest, LateInterestAtTheAgreedRate) {
  auto s = spec("GR", RoscaKind::kFixed, 1000000, {"M1", "M2"});
  s.late_rate = *Rate::parse("1%/month");  // 12 %/year
  ASSERT_TRUE(rosca_->create(s));
  ASSERT_TRUE(rosca_->open("GR", opening(1, day(2026, 1, 5))));
  // M2 owes 1,000,000 from 2026-01-05; on 2027-01-05 (365 days): 1,000,000 × 12 % = 120,000.
  auto st = rosca_->status("GR", day(2027, 1, 5));
  ASSERT_TRUE(st);
  EXPECT_EQ(member(*st, "M2").late_interest, Money(120000));
  EXPECT_EQ(member(*st, "M2").arrears, Money(1000000));
  // On the opening day itself nothing is late.
  auto same = rosca_->status("GR", day(2026, 1, 5));
  EXPECT_EQ(member(*same, "M2").late_interest, Money(0));
}

// --- warnings ---------------------------------------------------------------------------------------

TEST_F(RoscaTest, WarnsOfTheCommuneNoticeAndAHolderOfTwoGroups) {
  // 25,000,000 × 4 shares = 100,000,000 at one opening: the commune must be notified.
  ASSERT_TRUE(rosca_->create(spec("GBIG", RoscaKind::kFixed, 25000000, {"M1", "M2", "M3", "M4"})));
  auto st = rosca_->status("GBIG", day(2026, 1, 5));
  ASSERT_TRUE(st);
  ASSERT_EQ(st->warnings.size(), 1u);
  EXPECT_NE(st->warnings[0].find("100.000.000"), std::string::npos) << st->warnings[0];
  // Just below: 24,999,999 × 4 = 99,999,996: no warning.
  ASSERT_TRUE(rosca_->create(spec("GSMALL", RoscaKind::kFixed, 24999999, {"M1", "M2", "M3", "M4"})));
  // Now H holds two groups: both warn of it.
  auto small = rosca_->status("GSMALL", day(2026, 1, 5));
  ASSERT_TRUE(small);
  ASSERT_EQ(small->warnings.size(), 1u);
  EXPECT_NE(small->warnings[0].find("holds 2 rotating groups"), std::string::npos) << small->warnings[0];
}

// --- wind-down ---------------------------------------------------------------------------------

TEST_F(RoscaTest, CloseSettlesDeadAgainstLivingShares) {
  ASSERT_TRUE(rosca_->create(spec("GC", RoscaKind::kBid, 1000000, {"M1", "M2", "M3", "M4"})));
  // Round 1: M1 bids 200,000; D = 0, L = 3 → M2, M3, M4 owe 800,000; gross pot 2,400,000.
  ASSERT_TRUE(rosca_->open("GC", bid(1, day(2026, 1, 10), "M1", 200000)));
  pay_round("GC", 1, day(2026, 1, 10));
  ASSERT_TRUE(rosca_->payout("GC", 1, day(2026, 1, 10)));
  // Round 2: M2 bids 100,000; D = 1 → M1 owes 1,000,000; L = 2 → M3, M4 owe 900,000; gross 2,800,000.
  ASSERT_TRUE(rosca_->open("GC", bid(2, day(2026, 2, 10), "M2", 100000)));
  pay_round("GC", 2, day(2026, 2, 10));
  EXPECT_TRUE(failed_with(rosca_->close("GC", day(2026, 2, 20)), ErrorKind::kBadInput));  // round 2 not paid out
  ASSERT_TRUE(rosca_->payout("GC", 2, day(2026, 2, 10)));
  // Positions = gross pots taken − dues: M1 2,400,000 − 1,000,000 = +1,400,000 (owes);
  // M2 2,800,000 − 800,000 = +2,000,000; M3 and M4 −(800,000 + 900,000) = −1,700,000 (owed).
  // Sum 0.
  auto c = rosca_->close("GC", day(2026, 2, 20));
  ASSERT_TRUE(c) << c.error().message();
  ASSERT_TRUE(c->entry);
  ASSERT_EQ(c->settlements.size(), 4u);
  EXPECT_EQ(c->settlements[0], (std::pair<std::string, Money>{"M1", Money(1400000)}));
  EXPECT_EQ(c->settlements[1], (std::pair<std::string, Money>{"M2", Money(2000000)}));
  EXPECT_EQ(c->settlements[2], (std::pair<std::string, Money>{"M3", Money(-1700000)}));
  EXPECT_EQ(c->settlements[3], (std::pair<std::string, Money>{"M4", Money(-1700000)}));
  auto st = rosca_->status("GC", day(2026, 2, 20));
  ASSERT_TRUE(st);
  ASSERT_TRUE(st->closed_on);
  EXPECT_EQ(member(*st, "M3").settlement, std::optional<Money>(Money(-1700000)));
  // A closed group opens no more rounds and is not closed twice.
  EXPECT_TRUE(failed_with(rosca_->open("GC", bid(3, day(2026, 3, 10), "M3", 0)), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(rosca_->close("GC", day(2026, 3, 20)), ErrorKind::kBadInput));
}

// --- invariants over a seeded random run ----------------------------------------------------------

TEST_F(RoscaTest, InvariantsOfSeededRandomGroups) {
  // Groups of random size, contribution, fee, kind and bids; every round's dues paid in two
  // parts, some by the holder's advance first. After every round: money in = payout + fee; after
  // the cycle: the sum of members' nets = −(fees), cash 0, no arrears, no advance left.
  std::uint64_t rng = 20261203;
  auto next = [&](std::uint64_t n) { return static_cast<std::int64_t>(splitmix64_next(rng) % n); };
  const std::vector<std::string> people{"M1", "M2", "M3", "M4", "M5"};
  std::set<std::string> methods;
  int advances = 0;
  for (int g = 0; g < 6; ++g) {
    const std::string code = "R" + std::to_string(g);
    const int n = 2 + static_cast<int>(next(6));
    const std::int64_t a = 1000 * (1 + next(2000));
    const std::int64_t fee = next(a / 10 + 1);
    const RoscaKind kind = g % 3 == 0 ? RoscaKind::kFixed : (g % 3 == 1 ? RoscaKind::kLottery : RoscaKind::kBid);
    std::vector<std::string> shares;
    for (int i = 0; i < n; ++i) shares.push_back(people[static_cast<std::size_t>(next(5))]);
    auto s = spec(code, kind, a, shares, fee);
    s.holder = shares[0];
    s.holder_takes_first = next(2) == 1;
    auto made = rosca_->create(s);
    ASSERT_TRUE(made) << code << ": " << made.error().message();
    std::vector<bool> received(static_cast<std::size_t>(n), false);
    Money fees;
    for (int k = 1; k <= n; ++k) {
      const Date d = day(2026, 1, 5).add_days(7 * (k - 1));
      RoscaOpenSpec o = opening(k, d);
      o.seed = splitmix64_next(rng);
      if (kind == RoscaKind::kFixed || (k == 1 && s.holder_takes_first) || k == n) o.seed.reset();
      if (kind == RoscaKind::kBid && o.seed) {
        for (int i = 0; i < n; ++i)
          if (!received[static_cast<std::size_t>(i)] && next(2) == 1) {
            const auto& m = shares[static_cast<std::size_t>(i)];
            bool dup = false;
            for (const auto& b : o.bids) dup = dup || b.member == m;
            if (!dup) o.bids.push_back(RoscaBid{m, Money(next(a / 2 + 1))});
          }
      }
      auto r = rosca_->open(code, o);
      ASSERT_TRUE(r) << code << " round " << k << ": " << r.error().message();
      methods.insert(r->method);
      ASSERT_FALSE(received[static_cast<std::size_t>(r->winner_share - 1)]);
      received[static_cast<std::size_t>(r->winner_share - 1)] = true;
      Money in;
      for (const auto& du : r->due) {
        const bool dead = received[static_cast<std::size_t>(du.share - 1)];
        EXPECT_EQ(du.amount, dead ? Money(a) : Money(a) - r->bid) << code << " round " << k;
        in += du.amount;
      }
      EXPECT_EQ(in, r->payout + r->fee) << code << " round " << k;
      EXPECT_EQ(r->payout, *Money(a).times(r->dead) + *(Money(a) - r->bid).times(r->living) - Money(fee));
      fees += r->fee;
      // Pay part of each due now; the rest either now or (every other round) by the holder's
      // advance, repaid by the member afterwards.
      const bool advance = k % 2 == 0;
      for (const auto& du : r->due) {
        const Money part(du.amount.minor_units() / 2);
        if (!part.is_zero()) {
          ASSERT_TRUE(rosca_->pay(code, du.member, part, d));
        }
        if (!advance) {
          ASSERT_TRUE(rosca_->pay(code, du.member, du.amount - part, d));
        }
      }
      auto p = rosca_->payout(code, k, d, "", advance);
      ASSERT_TRUE(p) << code << " round " << k << ": " << p.error().message();
      advances += static_cast<int>(p->advances.size());
      if (advance) {
        for (const auto& du : r->due) {
          ASSERT_TRUE(rosca_->pay(code, du.member, du.amount - Money(du.amount.minor_units() / 2), d));
        }
      }
    }
    auto st = rosca_->status(code, day(2026, 1, 5).add_days(7 * n));
    ASSERT_TRUE(st);
    Money nets;
    for (const auto& m : st->members) {
      nets += m.net;
      EXPECT_EQ(m.arrears, Money(0)) << code << " " << m.member;
      EXPECT_EQ(m.advanced, Money(0)) << code << " " << m.member;
    }
    EXPECT_EQ(nets, -fees) << code;
    EXPECT_EQ(st->cash, Money(0)) << code;
  }
  // The run went through every way of opening a round, and the holder advanced dues.
  for (const char* m : {"holder", "fixed", "lottery", "bid", "last"}) EXPECT_TRUE(methods.count(m)) << m;
  EXPECT_GT(advances, 5);
  // `soquy check` agrees: every group's book equals its records, every round's dues its payout
  // plus fee, as of every date.
  auto book = check_rosca_book(*ledger_);
  EXPECT_TRUE(book.ok()) << (book.differences.empty() ? "" : book.differences[0].record);
  EXPECT_EQ(book.items, 6);
  auto rounds = check_rosca_rounds(*ledger_);
  EXPECT_TRUE(rounds.ok()) << (rounds.differences.empty() ? "" : rounds.differences[0].record);
  // One advance recorded 1 đồng higher behind the triggers' back: its group's advances differ from
  // 3311 by exactly that đồng, from the advance's date on.
  db_.tamper(*ledger_, "rosca_movements", "rosca_movements_no_update",
             "UPDATE rosca_movements SET amount = amount + 1 WHERE id = "
             "(SELECT min(id) FROM rosca_movements WHERE kind = 'advance')");
  const auto moved = db_.rows("SELECT g.code, v.moved_on FROM rosca_movements v JOIN groups g ON g.id = v.group_id "
                              "WHERE v.id = (SELECT min(id) FROM rosca_movements WHERE kind = 'advance')");
  ASSERT_EQ(moved.size(), 1u);
  const std::string group = moved[0].substr(0, moved[0].find('|'));
  book = check_rosca_book(*ledger_);
  ASSERT_EQ(book.differences.size(), 1u);
  const auto& d = book.differences[0];
  EXPECT_EQ(d.book, "group:" + group);
  EXPECT_EQ(d.account, "3311");
  EXPECT_EQ(d.record, "group " + group + " (advances)");
  EXPECT_EQ(d.expected - d.actual, Money(1));
  EXPECT_EQ(d.date, std::optional<Date>(*Date::parse_iso(moved[0].substr(moved[0].find('|') + 1))));
  // And a due raised by 5 đồng breaks its round: dues = payout + fee + 5.
  db_.tamper(*ledger_, "rosca_dues", "rosca_dues_no_update",
             "UPDATE rosca_dues SET amount = amount + 5 WHERE (group_id, round_no, share_no) = "
             "(SELECT group_id, round_no, share_no FROM rosca_dues ORDER BY 1, 2, 3 LIMIT 1)");
  rounds = check_rosca_rounds(*ledger_);
  ASSERT_EQ(rounds.differences.size(), 1u);
  EXPECT_EQ(rounds.differences[0].actual - rounds.differences[0].expected, Money(5));
}

// --- error paths ------------------------------------------------------------------------------------

TEST_F(RoscaTest, CreateRefusesMinorsUnknownMembersAndBadTerms) {
  // Y turns 18 on 2026-06-02: under 18 on 2026-01-05.
  auto minor = rosca_->create(spec("GX", RoscaKind::kFixed, 500000, {"M1", "Y"}));
  ASSERT_TRUE(failed_with(minor, ErrorKind::kBadInput));
  EXPECT_NE(minor.error().message().find("under 18"), std::string::npos) << minor.error().message();
  // The holder too.
  auto s = spec("GX", RoscaKind::kFixed, 500000, {"M1", "M2"});
  s.holder = "Y";
  EXPECT_TRUE(failed_with(rosca_->create(s), ErrorKind::kBadInput));
  // On her birthday she may join.
  auto adult = spec("GY", RoscaKind::kFixed, 500000, {"M1", "Y"});
  adult.start = day(2026, 6, 2);
  EXPECT_TRUE(rosca_->create(adult));
  // Without a birth date nobody can tell.
  EXPECT_TRUE(failed_with(rosca_->create(spec("GX", RoscaKind::kFixed, 500000, {"M1", "NB"})), ErrorKind::kBadInput));
  auto unknown = rosca_->create(spec("GX", RoscaKind::kFixed, 500000, {"M1", "ZZ"}));
  ASSERT_TRUE(failed_with(unknown, ErrorKind::kBadInput));
  EXPECT_NE(unknown.error().message().find("unknown member 'ZZ'"), std::string::npos);
  EXPECT_TRUE(failed_with(rosca_->create(spec("GX", RoscaKind::kFixed, 500000, {"M1"})), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(rosca_->create(spec("GX", RoscaKind::kFixed, 0, {"M1", "M2"})), ErrorKind::kBadInput));
  // A fee taking the whole pot A·(N−1) = 500,000.
  EXPECT_TRUE(
      failed_with(rosca_->create(spec("GX", RoscaKind::kFixed, 500000, {"M1", "M2"}, 500000)), ErrorKind::kBadInput));
  // The holder takes first but holds no share.
  auto htf = spec("GX", RoscaKind::kFixed, 500000, {"M1", "M2"});
  htf.holder_takes_first = true;
  EXPECT_TRUE(failed_with(rosca_->create(htf), ErrorKind::kBadInput));
  // None of the refusals made group GX.
  EXPECT_FALSE(reg_->group("GX"));
  // A second agreement for the same group is refused.
  ASSERT_TRUE(rosca_->create(spec("GZ", RoscaKind::kFixed, 500000, {"M1", "M2"})));
  auto twice = spec("GZ", RoscaKind::kFixed, 500000, {"M1", "M2"});
  twice.unit = "";
  EXPECT_TRUE(failed_with(rosca_->create(twice), ErrorKind::kBadInput));
}

TEST_F(RoscaTest, RoundsOpenInOrderAndMembersMustHoldAShare) {
  auto s = spec("GO", RoscaKind::kFixed, 500000, {"M1", "M2", "M2"});  // M2 holds two shares
  ASSERT_TRUE(rosca_->create(s));
  EXPECT_TRUE(failed_with(rosca_->open("GO", opening(2, day(2026, 1, 5))), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(rosca_->open("GO", opening(1, day(2025, 12, 31))), ErrorKind::kBadInput));  // before start
  ASSERT_TRUE(rosca_->open("GO", opening(1, day(2026, 2, 5))));
  EXPECT_TRUE(failed_with(rosca_->open("GO", opening(1, day(2026, 2, 5))), ErrorKind::kBadInput));  // twice
  EXPECT_TRUE(failed_with(rosca_->open("GO", opening(2, day(2026, 2, 4))), ErrorKind::kBadInput));  // earlier
  EXPECT_TRUE(failed_with(rosca_->open("NOPE", opening(2, day(2026, 3, 5))), ErrorKind::kBadInput));
  // M2's two shares owe 500,000 each in round 1 (winner share 1): she owes 1,000,000.
  auto st = rosca_->status("GO", day(2026, 2, 5));
  ASSERT_TRUE(st);
  EXPECT_EQ(member(*st, "M2").shares, 2);
  EXPECT_EQ(member(*st, "M2").due, Money(1000000));
  EXPECT_TRUE(failed_with(rosca_->pay("GO", "M3", Money(1000), day(2026, 2, 5)), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(rosca_->pay("GO", "M2", Money(0), day(2026, 2, 5)), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(rosca_->payout("GO", 2, day(2026, 2, 5)), ErrorKind::kBadInput));  // not open
  // A fixed group takes no seed or bid.
  RoscaOpenSpec o = opening(2, day(2026, 3, 5));
  o.seed = 1;
  EXPECT_TRUE(failed_with(rosca_->open("GO", o), ErrorKind::kUsage));
}

// --- Corrections (issue 12) ---------------------------------------------------------------------

class RoscaCorrectionTest : public RoscaTest {
 protected:
  void SetUp() override {
    RoscaTest::SetUp();
    // Fixed order, A = 500,000, fee 50,000: round k's winner is Mk; the others owe 500,000 each.
    ASSERT_TRUE(rosca_->create(spec("G1", RoscaKind::kFixed, 500000, {"M1", "M2", "M3", "M4"}, 50000)));
    ASSERT_TRUE(rosca_->open("G1", opening(1, day(2026, 1, 5))));
  }
  Result<CorrectionResult> reverse(std::int64_t id) {
    auto e = ledger_->entry("#" + std::to_string(id));
    EXPECT_TRUE(e) << e.error().message();
    if (!e) return fail(e.error());
    return rosca_->reverse_entry(*e, ReversalRequest{e->date, "nhập nhầm (entered by mistake)", ""});
  }
  void checks_pass() {
    for (auto named : {check_rosca_book(*ledger_), check_rosca_rounds(*ledger_)})
      EXPECT_TRUE(named.ok()) << named.name << ": " << (named.differences.empty() ? "" : named.differences[0].record);
  }
};

TEST_F(RoscaCorrectionTest, PaymentReversedTheMemberOwesItAgain) {
  auto p = rosca_->pay("G1", "M2", Money(500000), day(2026, 1, 5), "PT-M2");
  ASSERT_TRUE(p) << p.error().message();
  auto before = rosca_->status("G1", day(2026, 1, 5));
  ASSERT_TRUE(before);
  EXPECT_EQ(member(*before, "M2").arrears, Money(0));
  auto r = reverse(p->entry);
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->entries.size(), 1u);
  EXPECT_EQ(r->entries[0].reverses, p->entry);
  auto st = rosca_->status("G1", day(2026, 1, 5));
  ASSERT_TRUE(st);
  EXPECT_EQ(member(*st, "M2").arrears, Money(500000));
  EXPECT_EQ(st->cash, Money(0));
  // Shown as reversed (the group book and statement list it), never counted.
  ASSERT_EQ(st->reversed.size(), 1u);
  EXPECT_EQ(st->reversed[0].movement.receipt, "PT-M2");
  EXPECT_EQ(st->reversed[0].reversal, r->entries[0].id);
  EXPECT_EQ(st->reversed[0].reason, "nhập nhầm (entered by mistake)");
  checks_pass();
  // The reversed receipt stays used: the same payment again under it is refused, a new one is not.
  EXPECT_TRUE(failed_with(rosca_->pay("G1", "M2", Money(500000), day(2026, 1, 5), "PT-M2"), ErrorKind::kBadInput));
  ASSERT_TRUE(rosca_->pay("G1", "M2", Money(500000), day(2026, 1, 5), "PT-M2b"));
  checks_pass();
}

TEST_F(RoscaCorrectionTest, PayoutAfterALaterRoundOpenedIsRefusedTheLatestReopensItsRound) {
  pay_round("G1", 1, day(2026, 1, 5));
  auto p1 = rosca_->payout("G1", 1, day(2026, 1, 5));
  ASSERT_TRUE(p1) << p1.error().message();
  // A payment the payout was made with: refused, naming the payout.
  auto paid = rosca_->status("G1", day(2026, 1, 5));
  ASSERT_TRUE(paid);
  std::int64_t m2_payment = 0;
  for (const auto& m : paid->movements)
    if (m.kind == "payment" && m.member == "M2") m2_payment = m.entry;
  auto rp = reverse(m2_payment);
  ASSERT_TRUE(failed_with(rp, ErrorKind::kBadInput));
  EXPECT_NE(rp.error().message().find(fmt::format("entry #{}", p1->payout.entry)), std::string::npos)
      << rp.error().message();
  auto round2 = rosca_->open("G1", opening(2, day(2026, 2, 5)));
  ASSERT_TRUE(round2);
  auto r1 = reverse(p1->payout.entry);
  ASSERT_TRUE(failed_with(r1, ErrorKind::kBadInput));
  EXPECT_NE(r1.error().message().find(fmt::format("round 2 of group 'G1' was opened on 2026-02-05 (entry #{})",
                                                  round2->entry)),
            std::string::npos)
      << r1.error().message();
  // Round 2's payout is the latest: reversed, the round is open again and paid out again.
  pay_round("G1", 2, day(2026, 2, 5));
  auto p2 = rosca_->payout("G1", 2, day(2026, 2, 5));
  ASSERT_TRUE(p2) << p2.error().message();
  auto r2 = reverse(p2->payout.entry);
  ASSERT_TRUE(r2) << r2.error().message();
  auto st = rosca_->status("G1", day(2026, 2, 5));
  ASSERT_TRUE(st);
  EXPECT_FALSE(st->rounds.at(1).paid_out_on.has_value());
  // Dues of round 2 paid (3 × 500,000), the payout reversed: the cash holds 1,500,000.
  EXPECT_EQ(st->cash, Money(1500000));
  EXPECT_EQ(member(*st, "M2").received, Money(0));
  checks_pass();
  auto again = rosca_->payout("G1", 2, day(2026, 2, 5));
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->payout.receipt, "PC-G1-02-2");
  EXPECT_EQ(again->payout.amount, Money(1450000));
  checks_pass();
}

}  // namespace
}  // namespace soquy
