// Tests of savings groups and pools (savings.h): the share-out vectors G3 and G4 of
// ../shared/vectors/groups.md, invariants of the group book after every operation (including a
// seeded random run), and the error paths (nothing is written by a refused command).
//
// Expected figures are worked out by hand in the comments and, for the share-outs, recomputed in
// the test by an independent integer largest-remainder (reference_split below), never read back
// from the code under test.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "soquy/charts.h"
#include "soquy/group_checks.h"
#include "soquy/ledger.h"
#include "soquy/registry.h"
#include "soquy/savings.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;
using test_support::TempDir;
using test_support::write_file;

Money vnd(std::int64_t v) { return Money(v); }

// Independent largest remainder on plain integers: floor(total·w/W), then one đồng each to the
// largest remainders total·w mod W; ties: by index when `tie_to_index`, else left over.
struct RefSplit {
  std::vector<std::int64_t> parts;
  std::int64_t leftover = 0;
};
RefSplit reference_split(std::int64_t total, const std::vector<std::int64_t>& w, bool tie_to_index) {
  const std::int64_t W = std::accumulate(w.begin(), w.end(), std::int64_t{0});
  RefSplit out;
  std::vector<std::int64_t> rem;
  std::int64_t given = 0;
  for (auto x : w) {
    out.parts.push_back(total * x / W);  // total, x ≥ 0 here: division truncates = floor
    rem.push_back(total * x % W);
    given += out.parts.back();
  }
  std::int64_t left = total - given;
  std::vector<std::size_t> idx(w.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](auto a, auto b) { return rem[a] > rem[b]; });
  for (std::size_t k = 0; k < idx.size() && left > 0;) {
    std::size_t e = k;
    while (e < idx.size() && rem[idx[e]] == rem[idx[k]]) ++e;
    if (rem[idx[k]] == 0) break;
    if (static_cast<std::int64_t>(e - k) > left && !tie_to_index) break;
    for (std::size_t j = k; j < e && left > 0; ++j, --left) ++out.parts[idx[j]];
    k = e;
  }
  out.leftover = left;
  return out;
}

TEST(SplitProfit, G4EqualHoldersLeaveOneDongToTheSocialFund) {
  // 10,000 / 3 = 3,333.33… each: floors 9,999, one đồng left, tied three ways.
  auto s = split_profit(vnd(10'000), {Rational(1), Rational(1), Rational(1)}, LeftoverRule::kSocialFund);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->parts, (std::vector<Money>{vnd(3'333), vnd(3'333), vnd(3'333)}));
  EXPECT_EQ(s->leftover, vnd(1));
  auto m = split_profit(vnd(10'000), {Rational(1), Rational(1), Rational(1)}, LeftoverRule::kMembers);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->parts, (std::vector<Money>{vnd(3'334), vnd(3'333), vnd(3'333)}));
  EXPECT_EQ(m->leftover, vnd(0));
}

TEST(SplitProfit, G3TimeWeightedLargestRemainder) {
  // 11,000 × 11/26 = 4,653.85, × 9/26 = 3,807.69, × 6/26 = 2,538.46 → floors 10,998; the two
  // largest remainders (A .85, B .69) get one đồng: 4,654 + 3,808 + 2,538 = 11,000.
  auto s = split_profit(vnd(11'000), {Rational(11), Rational(9), Rational(6)}, LeftoverRule::kSocialFund);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->parts, (std::vector<Money>{vnd(4'654), vnd(3'808), vnd(2'538)}));
  EXPECT_EQ(s->leftover, vnd(0));
}

TEST(SplitProfit, PartialTieSettledWhenEnoughDong) {
  // 5 over weights 1,1,1,1 → 1 each, 1 left tied four ways → social fund; over 2,1,1 → 2.5, 1.25,
  // 1.25: floors 2,1,1, one left → the largest remainder .5 (index 0).
  auto a = split_profit(vnd(5), {Rational(1), Rational(1), Rational(1), Rational(1)}, LeftoverRule::kSocialFund);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->leftover, vnd(1));
  auto b = split_profit(vnd(5), {Rational(2), Rational(1), Rational(1)}, LeftoverRule::kSocialFund);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->parts, (std::vector<Money>{vnd(3), vnd(1), vnd(1)}));
  // 7 over 1,1,1 → 2 each, 1 left (3-way tie) stays; 8 over 1,1,1 → 2 left, still a 3-way tie.
  auto c = split_profit(vnd(8), {Rational(1), Rational(1), Rational(1)}, LeftoverRule::kSocialFund);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->leftover, vnd(2));
}

TEST(SplitProfit, LossAndBadWeights) {
  // A loss of 10,000 over three: −3,333 each, −1 left for the social fund to bear.
  auto s = split_profit(vnd(-10'000), {Rational(1), Rational(1), Rational(1)}, LeftoverRule::kSocialFund);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->parts, (std::vector<Money>{vnd(-3'333), vnd(-3'333), vnd(-3'333)}));
  EXPECT_EQ(s->leftover, vnd(-1));
  EXPECT_TRUE(failed_with(split_profit(vnd(1), {Rational(0), Rational(0)}, LeftoverRule::kSocialFund), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(split_profit(vnd(1), {Rational(-1), Rational(2)}, LeftoverRule::kSocialFund), ErrorKind::kBadInput));
}

TEST(SplitProfit, MatchesIndependentIntegerSplitOnRandomInputs) {
  std::mt19937_64 rng(20261203);
  for (int round = 0; round < 2000; ++round) {
    const std::size_t n = 1 + rng() % 6;
    std::vector<std::int64_t> w(n);
    std::vector<Rational> rw;
    for (auto& x : w) {
      x = static_cast<std::int64_t>(rng() % 5) * 10'000;  // often equal, sometimes zero
    }
    if (std::accumulate(w.begin(), w.end(), std::int64_t{0}) == 0) w[0] = 10'000;
    for (auto x : w) rw.emplace_back(x);
    const std::int64_t total = static_cast<std::int64_t>(rng() % 100'000);
    for (bool members : {false, true}) {
      auto got = split_profit(vnd(total), rw, members ? LeftoverRule::kMembers : LeftoverRule::kSocialFund);
      ASSERT_TRUE(got);
      auto ref = reference_split(total, w, members);
      std::int64_t sum = got->leftover.minor_units();
      for (std::size_t i = 0; i < n; ++i) {
        EXPECT_EQ(got->parts[i].minor_units(), ref.parts[i]) << "round " << round << " i " << i;
        sum += got->parts[i].minor_units();
      }
      EXPECT_EQ(got->leftover.minor_units(), ref.leftover);
      EXPECT_EQ(sum, total);  // never created nor dropped
      if (members) {
        EXPECT_EQ(got->leftover, vnd(0));
      }
    }
  }
}

class SavingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    reg_ = std::make_unique<Registry>(*ledger_);
    sv_ = std::make_unique<Savings>(*ledger_);
    const Date d = day(2020, 1, 1);
    ASSERT_TRUE(reg_->add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
    ASSERT_TRUE(reg_->add_unit({"C1", "An Trường", UnitKind::kCommune, "P", d}));
    ASSERT_TRUE(reg_->add_group({"S1", "Tổ tiết kiệm 1", GroupKind::kSavings, "C1", "", d}));
    ASSERT_TRUE(reg_->add_group({"S2", "Tổ tiết kiệm 2", GroupKind::kSavings, "C1", "", d}));
    ASSERT_TRUE(reg_->add_group({"BH", "Nhóm BHYT", GroupKind::kPool, "C1", "", d}));
    ASSERT_TRUE(reg_->add_group({"CR", "Tổ tín dụng", GroupKind::kCredit, "C1", "", d}));
    add_member("A", "084185000001", "S1");
    add_member("B", "084185000002", "S1");
    add_member("C", "084185000003", "S1");
    add_member("X", "084185000004", "S2");
    for (auto m : {"A", "B", "C"}) ASSERT_TRUE(reg_->join_group("BH", m, d));
  }
  void add_member(const std::string& id, const std::string& nid, const std::string& group) {
    MemberSpec s;
    s.id = id;
    s.name = "Nguyễn Thị " + id;
    s.national_id = nid;
    s.unit = "C1";
    s.group = group;
    s.joined = day(2020, 1, 1);
    auto m = reg_->add_member(s);
    ASSERT_TRUE(m) << m.error().message();
  }
  static MeetingLine line(const std::string& m, std::int64_t shares, std::int64_t social, std::int64_t fine = 0,
                          std::int64_t repay = 0) {
    MeetingLine l;
    l.member = m;
    l.shares = shares;
    l.social = vnd(social);
    l.fine = vnd(fine);
    l.repayment = vnd(repay);
    return l;
  }
  Money bal(const std::string& book, std::string_view code, Date on = day(2030, 1, 1)) {
    auto b = ledger_->balance(book, std::string(code), on);
    EXPECT_TRUE(b) << b.error().message();
    return b ? *b : Money(0);
  }
  std::int64_t entries() {
    std::int64_t n = 0;
    EXPECT_TRUE(ledger_->for_each_entry([&](const Entry&) { ++n; }));
    return n;
  }
  // The group book balances (every account's balance adds to zero), the savings account equals
  // the members' savings, and no member's savings is negative.
  void check_invariants(const std::string& group, Date on) {
    auto sheet = ledger_->balances("group:" + group, on);
    ASSERT_TRUE(sheet) << sheet.error().message();
    Money sum;
    for (const auto& a : sheet->accounts) sum += a.own;
    EXPECT_EQ(sum, vnd(0)) << "group book out of balance on " << on.to_iso();
    auto st = sv_->status(group, on);
    ASSERT_TRUE(st) << st.error().message();
    Money members;
    for (const auto& m : st->members) {
      EXPECT_FALSE(m.savings.is_negative()) << m.member;
      members += m.savings;
    }
    EXPECT_EQ(members, st->savings);
    EXPECT_EQ(st->loan_fund_cash, st->cash - st->social_fund);
    // The same, as `soquy check` proves it for every group and date (savings.members).
    auto named = check_savings_members(*ledger_);
    EXPECT_TRUE(named.ok()) << (named.differences.empty() ? "" : named.differences[0].record);
    auto loans = check_savings_loans(*ledger_);
    EXPECT_TRUE(loans.ok()) << (loans.differences.empty() ? "" : loans.differences[0].record);
  }
  // The G3 cycle of vectors/groups.md up to (not including) the share-out.
  void g3_cycle() {
    SavingsRules r;
    r.share_price = vnd(10'000);
    ASSERT_TRUE(sv_->set_rules("S1", r));
    auto m1 = sv_->record_meeting("S1", day(2026, 1, 10), {line("A", 2, 2'000), line("B", 1, 2'000), line("C", 1, 2'000)});
    ASSERT_TRUE(m1) << m1.error().message();
    check_invariants("S1", day(2026, 1, 10));
    auto m2 = sv_->record_meeting("S1", day(2026, 2, 10), {line("A", 2, 2'000), line("B", 2, 2'000), line("C", 1, 2'000)});
    ASSERT_TRUE(m2) << m2.error().message();
    GroupLoanSpec loan;
    loan.loan = "V1";
    loan.member = "B";
    loan.amount = vnd(50'000);
    loan.rate = *Rate::parse("10%/month");
    loan.installments = 2;
    loan.date = day(2026, 2, 10);
    auto lent = sv_->lend("S1", loan);
    ASSERT_TRUE(lent) << lent.error().message();
    // Flat: T = 50,000 × 10 % × 2 = 10,000; two instalments of 25,000 + 5,000 (engine of fund loans).
    EXPECT_EQ(lent->schedule.total_interest, vnd(10'000));
    ASSERT_EQ(lent->schedule.installments.size(), 2u);
    EXPECT_EQ(lent->schedule.installments[0].due_on, day(2026, 3, 10));
    check_invariants("S1", day(2026, 2, 10));
    auto m3 = sv_->record_meeting("S1", day(2026, 3, 10),
                                  {line("A", 1, 2'000), line("B", 2, 2'000), line("C", 1, 2'000, 1'000)});
    ASSERT_TRUE(m3) << m3.error().message();
    check_invariants("S1", day(2026, 3, 10));
    auto m4 = sv_->record_meeting("S1", day(2026, 4, 10),
                                  {line("A", 1, 2'000), line("B", 1, 2'000, 0, 60'000), line("C", 1, 2'000)});
    ASSERT_TRUE(m4) << m4.error().message();
    EXPECT_EQ(m4->principal, vnd(50'000));
    EXPECT_EQ(m4->interest, vnd(10'000));
    EXPECT_EQ(m4->total, vnd(30'000 + 6'000 + 60'000));
    EXPECT_EQ(m4->meeting_no, 4);
    check_invariants("S1", day(2026, 4, 10));
  }

  TempDir dir_;
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Registry> reg_;
  std::unique_ptr<Savings> sv_;
};

TEST_F(SavingsTest, G3BookFiguresAtCycleEnd) {
  g3_cycle();
  namespace g = charts::group;
  // Cash: 160,000 shares + 24,000 social + 1,000 fine − 50,000 lent + 60,000 repaid = 195,000.
  EXPECT_EQ(bal("group:S1", g::kCash), vnd(195'000));
  EXPECT_EQ(bal("group:S1", g::kSocialFund), vnd(-24'000));
  EXPECT_EQ(bal("group:S1", g::kMemberShares), vnd(-160'000));
  EXPECT_EQ(bal("group:S1", g::kLoansToMembers), vnd(0));
  EXPECT_EQ(bal("group:S1", g::kServiceCharges), vnd(-10'000));
  EXPECT_EQ(bal("group:S1", g::kFines), vnd(-1'000));
  auto st = sv_->status("S1", day(2026, 4, 10));
  ASSERT_TRUE(st);
  EXPECT_EQ(st->loan_fund_cash, vnd(171'000));
  EXPECT_EQ(st->meetings, 4);
  ASSERT_EQ(st->members.size(), 3u);
  EXPECT_EQ(st->members[0].shares, 6);
  EXPECT_EQ(st->members[1].savings, vnd(60'000));
  EXPECT_EQ(st->members[2].fines, vnd(1'000));
  EXPECT_EQ(st->members[2].social, vnd(8'000));
  // The loan's position at meeting 3 (its first due date): due today is not overdue yet.
  auto mid = sv_->status("S1", day(2026, 3, 11));
  ASSERT_TRUE(mid);
  ASSERT_EQ(mid->loans.size(), 1u);
  EXPECT_EQ(mid->loans[0].position.days_past_due, 1);
  EXPECT_EQ(mid->loans[0].position.overdue_principal, vnd(25'000));
}

TEST_F(SavingsTest, G3ShareoutByShares) {
  g3_cycle();
  const std::int64_t before = entries();
  auto s = sv_->shareout("S1", day(2026, 4, 10), ShareoutMethod::kShares);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(entries(), before + 1);
  EXPECT_EQ(s->loan_fund_cash, vnd(171'000));
  EXPECT_EQ(s->savings, vnd(160'000));
  EXPECT_EQ(s->profit, vnd(11'000));
  // 171,000 / 16 shares = 10,687.5 per share: A 6 → 64,125, B 6 → 64,125, C 4 → 42,750.
  ASSERT_EQ(s->lines.size(), 3u);
  EXPECT_EQ(s->lines[0].payout, vnd(64'125));
  EXPECT_EQ(s->lines[1].payout, vnd(64'125));
  EXPECT_EQ(s->lines[2].payout, vnd(42'750));
  auto ref = reference_split(11'000, {60'000, 60'000, 40'000}, false);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(s->lines[i].profit.minor_units(), ref.parts[i]);
  EXPECT_EQ(s->leftover, vnd(0));
  EXPECT_EQ(s->paid_out, vnd(171'000));
  // After: only the social fund remains, in cash; the cycle's accounts are closed.
  namespace g = charts::group;
  EXPECT_EQ(bal("group:S1", g::kCash), vnd(24'000));
  EXPECT_EQ(bal("group:S1", g::kSocialFund), vnd(-24'000));
  EXPECT_EQ(bal("group:S1", g::kMemberShares), vnd(0));
  EXPECT_EQ(bal("group:S1", g::kServiceCharges), vnd(0));
  EXPECT_EQ(bal("group:S1", g::kFines), vnd(0));
  check_invariants("S1", day(2026, 4, 10));
  auto st = sv_->status("S1", day(2026, 4, 10));
  ASSERT_TRUE(st);
  EXPECT_EQ(st->cycle, 2);
  // A second share-out of the same cycle has nothing left to share.
  EXPECT_TRUE(failed_with(sv_->shareout("S1", day(2026, 4, 10)), ErrorKind::kBadInput));
  EXPECT_EQ(entries(), before + 1);
}

TEST_F(SavingsTest, G3ShareoutTimeWeighted) {
  g3_cycle();
  auto s = sv_->shareout("S1", day(2026, 4, 10), ShareoutMethod::kTimeWeighted);
  ASSERT_TRUE(s) << s.error().message();
  // Weights (đồng × meetings held after): A 20,000·3 + 20,000·2 + 10,000·1 = 110,000,
  // B 10,000·3 + 20,000·2 + 20,000·1 = 90,000, C 10,000·(3+2+1) = 60,000 (ratio 11 : 9 : 6).
  ASSERT_EQ(s->lines.size(), 3u);
  EXPECT_EQ(s->lines[0].weight, Rational(110'000));
  EXPECT_EQ(s->lines[1].weight, Rational(90'000));
  EXPECT_EQ(s->lines[2].weight, Rational(60'000));
  auto ref = reference_split(11'000, {110'000, 90'000, 60'000}, false);
  EXPECT_EQ(ref.parts, (std::vector<std::int64_t>{4'654, 3'808, 2'538}));  // the vector's figures
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(s->lines[i].profit.minor_units(), ref.parts[i]);
  EXPECT_EQ(s->lines[0].payout, vnd(64'654));
  EXPECT_EQ(s->lines[1].payout, vnd(63'808));
  EXPECT_EQ(s->lines[2].payout, vnd(42'538));
  EXPECT_EQ(s->distributed + s->leftover, s->profit);
  EXPECT_EQ(s->paid_out, vnd(171'000));
  check_invariants("S1", day(2026, 4, 10));
}

TEST_F(SavingsTest, G4LeftoverDongGoesToTheSocialFund) {
  // Share price 100,000; A, B, C buy one share each (300,000). A borrows 100,000 at 10 %/month
  // flat for one month (interest 10,000) and repays 110,000 at meeting 2: profit 10,000 over
  // three equal holders = 3,333 each, 1 đồng to the social fund.
  SavingsRules r;
  r.share_price = vnd(100'000);
  ASSERT_TRUE(sv_->set_rules("S1", r));
  ASSERT_TRUE(sv_->record_meeting("S1", day(2026, 1, 5), {line("A", 1, 0), line("B", 1, 0), line("C", 1, 0)}));
  GroupLoanSpec loan{"V1", "A", vnd(100'000), *Rate::parse("10%/month"), 1, Frequency::kMonthly,
                     RepaymentMethod::kFlat, 0, std::nullopt, day(2026, 1, 5)};
  ASSERT_TRUE(sv_->lend("S1", loan));
  auto paid = sv_->repay("S1", "V1", vnd(110'000), day(2026, 2, 5));
  ASSERT_TRUE(paid) << paid.error().message();
  EXPECT_EQ(paid->interest, vnd(10'000));
  EXPECT_EQ(paid->outstanding_principal, vnd(0));
  ASSERT_TRUE(sv_->record_meeting("S1", day(2026, 2, 5), {line("A", 0, 1'000), line("B", 0, 1'000), line("C", 0, 1'000)}));
  for (auto method : {ShareoutMethod::kShares, ShareoutMethod::kTimeWeighted}) {
    auto p = sv_->preview_shareout("S1", day(2026, 2, 5), method);
    ASSERT_TRUE(p) << p.error().message();
    EXPECT_EQ(p->profit, vnd(10'000));
    for (const auto& l : p->lines) EXPECT_EQ(l.profit, vnd(3'333));
    EXPECT_EQ(p->leftover, vnd(1));
    EXPECT_EQ(p->social_fund, vnd(3'001));
  }
  auto members = sv_->preview_shareout("S1", day(2026, 2, 5), ShareoutMethod::kShares, LeftoverRule::kMembers);
  ASSERT_TRUE(members);
  EXPECT_EQ(members->lines[0].profit, vnd(3'334));  // A: first in member-code order
  EXPECT_EQ(members->leftover, vnd(0));
  auto s = sv_->shareout("S1", day(2026, 2, 5));
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(bal("group:S1", charts::group::kSocialFund), vnd(-3'001));
  EXPECT_EQ(bal("group:S1", charts::group::kCash), vnd(3'001));
  check_invariants("S1", day(2026, 2, 5));
}

TEST_F(SavingsTest, WithdrawNeverMakesSavingsNegative) {
  g3_cycle();
  const std::int64_t before = entries();
  // C has 40,000 of savings.
  auto too_much = sv_->withdraw("S1", "C", vnd(40'001), day(2026, 4, 10));
  ASSERT_TRUE(failed_with(too_much, ErrorKind::kBadInput));
  EXPECT_EQ(too_much.error().field(), "amount");
  EXPECT_EQ(too_much.error().message(),
            "40001 đồng is more than C's savings in group 'S1' (40000 đồng); savings never go negative");
  EXPECT_EQ(entries(), before);
  auto ok = sv_->withdraw("S1", "C", vnd(40'000), day(2026, 4, 10));
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->savings, vnd(0));
  EXPECT_TRUE(failed_with(sv_->withdraw("S1", "C", vnd(1), day(2026, 4, 10)), ErrorKind::kBadInput));
  check_invariants("S1", day(2026, 4, 10));
  // Time-weighted after the withdrawal on the last meeting's date: it was held 0 periods after,
  // so C's weight stays 60,000 − 40,000·0; her savings are 0 and she is paid her profit only.
  auto s = sv_->preview_shareout("S1", day(2026, 4, 10), ShareoutMethod::kTimeWeighted);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->lines[2].savings, vnd(0));
  EXPECT_EQ(s->lines[2].payout, vnd(2'538));
}

TEST_F(SavingsTest, SocialFundGrantsLeaveTheShareoutUnchanged) {
  g3_cycle();
  const auto before = entries();
  // The social fund holds 24,000: a grant of 24,001 is refused, 5,000 is paid.
  auto big = sv_->grant("S1", "C", vnd(24'001), day(2026, 4, 10), "");
  ASSERT_TRUE(failed_with(big, ErrorKind::kBadInput));
  EXPECT_EQ(big.error().field(), "amount");
  EXPECT_EQ(big.error().message(), "24001 đồng is more than the social fund of group 'S1' holds (24000 đồng)");
  EXPECT_EQ(entries(), before);
  auto g = sv_->grant("S1", "C", vnd(5'000), day(2026, 4, 10), "Thăm bệnh");
  ASSERT_TRUE(g) << g.error().message();
  EXPECT_EQ(g->grants, vnd(5'000));
  EXPECT_EQ(g->savings, vnd(40'000));  // her savings are untouched
  EXPECT_EQ(bal("group:S1", charts::group::kSocialFund), vnd(-19'000));
  check_invariants("S1", day(2026, 4, 10));
  // Cash 190,000 − social fund 19,000 = the same loan fund of 171,000 and profit of 11,000.
  auto s = sv_->preview_shareout("S1", day(2026, 4, 10), ShareoutMethod::kShares);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->loan_fund_cash, vnd(171'000));
  EXPECT_EQ(s->profit, vnd(11'000));
  EXPECT_EQ(s->social_fund, vnd(19'000));
}

TEST_F(SavingsTest, LoansAreLimitedToTheLoanFundAndRepaymentsToWhatIsOwed) {
  SavingsRules r;
  r.share_price = vnd(10'000);
  ASSERT_TRUE(sv_->set_rules("S1", r));
  ASSERT_TRUE(sv_->record_meeting("S1", day(2026, 1, 10), {line("A", 2, 5'000), line("B", 1, 5'000)}));
  // Loan fund: 30,000 (the 10,000 of social fund is not lent).
  GroupLoanSpec loan{"V1", "A", vnd(30'001), *Rate::parse("2%/month"), 3, Frequency::kMonthly,
                     RepaymentMethod::kEqualPrincipal, 0, std::nullopt, day(2026, 1, 10)};
  const auto before = entries();
  auto big = sv_->lend("S1", loan);
  ASSERT_TRUE(failed_with(big, ErrorKind::kBadInput));
  EXPECT_NE(big.error().message().find("30000 đồng"), std::string::npos) << big.error().message();
  EXPECT_EQ(entries(), before);
  loan.amount = vnd(30'000);
  auto lent = sv_->lend("S1", loan);
  ASSERT_TRUE(lent) << lent.error().message();
  // Equal principal 10,000 a month; interest 600, 400, 200 on 30,000, 20,000, 10,000: owed 31,200.
  EXPECT_EQ(lent->schedule.total_interest, vnd(1'200));
  EXPECT_TRUE(failed_with(sv_->lend("S1", loan), ErrorKind::kBadInput));  // code used
  auto over = sv_->repay("S1", "V1", vnd(31'201), day(2026, 2, 10));
  ASSERT_TRUE(failed_with(over, ErrorKind::kBadInput));
  EXPECT_EQ(over.error().field(), "amount");
  EXPECT_EQ(over.error().message(), "31201 đồng is more than loan 'V1' owes (31200 đồng)");
  EXPECT_TRUE(failed_with(sv_->repay("S1", "NOPE", vnd(1), day(2026, 2, 10)), ErrorKind::kBadInput));
  // Share-out refused while the loan is out.
  auto early = sv_->shareout("S1", day(2026, 2, 10));
  ASSERT_TRUE(failed_with(early, ErrorKind::kBadInput));
  EXPECT_EQ(early.error().message(),
            "loan 'V1' of A still owes 30000 đồng of principal: every loan is repaid before the share-out");
  EXPECT_EQ(entries(), before + 1);
  auto part = sv_->repay("S1", "V1", vnd(10'600), day(2026, 2, 10));
  ASSERT_TRUE(part);
  EXPECT_EQ(part->principal, vnd(10'000));
  EXPECT_EQ(part->interest, vnd(600));
  check_invariants("S1", day(2026, 2, 10));
}

TEST_F(SavingsTest, MeetingErrorsWriteNothing) {
  SavingsRules r;
  r.share_price = vnd(10'000);
  ASSERT_TRUE(sv_->set_rules("S1", r));
  const auto before = entries();
  // X is not in S1.
  auto m = sv_->record_meeting("S1", day(2026, 1, 10), {line("A", 1, 0), line("X", 1, 0)});
  ASSERT_TRUE(failed_with(m, ErrorKind::kBadInput));
  EXPECT_EQ(m.error().message(), "member: member 'X' is not in group 'S1' on 2026-01-10");
  // A repayment without a loan.
  auto n = sv_->record_meeting("S1", day(2026, 1, 10), {line("A", 1, 0, 0, 5'000)});
  ASSERT_TRUE(failed_with(n, ErrorKind::kBadInput));
  EXPECT_EQ(n.error().message(), "repay: member 'A' has no open loan in group 'S1'");
  EXPECT_TRUE(failed_with(sv_->record_meeting("CR", day(2026, 1, 10), {line("A", 1, 0)}), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(sv_->record_meeting("BH", day(2026, 1, 10), {line("A", 1, 0)}), ErrorKind::kBadInput));
  EXPECT_EQ(entries(), before);
  // The same sheet twice: recorded once; another sheet for that date: refused.
  auto first = sv_->record_meeting("S1", day(2026, 1, 10), {line("A", 1, 0), line("B", 2, 0)});
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->created);
  auto again = sv_->record_meeting("S1", day(2026, 1, 10), {line("A", 1, 0), line("B", 2, 0)});
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->entry, first->entry);
  EXPECT_TRUE(failed_with(sv_->record_meeting("S1", day(2026, 1, 10), {line("A", 2, 0)}), ErrorKind::kBadInput));
  EXPECT_EQ(entries(), before + 1);
}

TEST_F(SavingsTest, SheetFileErrorsNameFileLineColumn) {
  const std::string path = dir_.file("m1.csv");
  write_file(path, "member,shares,social,fine\nA,2,2000,\nB,1,2.000,\n");
  auto r = read_meeting_sheet(path);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_EQ(r.error().message().rfind(path + ":3: social: ", 0), 0u) << r.error().message();
  write_file(path, "member,shares,social\nA,x,2000\n");
  r = read_meeting_sheet(path);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_EQ(r.error().message(), path + ":2: shares: 'x' is not a whole number of shares");
  write_file(path, "member,social\nA,-5\n");
  r = read_meeting_sheet(path);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_EQ(r.error().message(), path + ":2: social: -5 must not be negative");
  write_file(path, "member,colour\nA,red\n");
  EXPECT_TRUE(failed_with(read_meeting_sheet(path), ErrorKind::kBadInput));
  write_file(path, "hội viên,cổ phần,quỹ xã hội\nA,2,2000\n\nC,1,2000\n");
  r = read_meeting_sheet(path);
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].member, "C");
  EXPECT_EQ((*r)[1].line, 4u);
  EXPECT_EQ((*r)[0].social, vnd(2'000));
  // A valid file with a member of another group: the message names the file and line.
  auto ok = sv_->set_rules("S1", SavingsRules{vnd(10'000), ShareoutMethod::kShares, LeftoverRule::kSocialFund});
  ASSERT_TRUE(ok);
  write_file(path, "member,shares\nA,1\nX,1\n");
  auto lines = read_meeting_sheet(path);
  ASSERT_TRUE(lines);
  const auto before = entries();
  auto m = sv_->record_meeting("S1", day(2026, 1, 10), *lines, path);
  ASSERT_TRUE(failed_with(m, ErrorKind::kBadInput));
  EXPECT_EQ(m.error().message(), path + ":3: member: member 'X' is not in group 'S1' on 2026-01-10");
  EXPECT_EQ(entries(), before);
}

TEST_F(SavingsTest, PoolContributionsPurchaseAndBalances) {
  ASSERT_TRUE(sv_->contribute("BH", "A", vnd(300'000), day(2026, 1, 5)));
  ASSERT_TRUE(sv_->contribute("BH", "B", vnd(300'000), day(2026, 1, 5)));
  ASSERT_TRUE(sv_->contribute("BH", "C", vnd(200'000), day(2026, 1, 6)));
  EXPECT_TRUE(failed_with(sv_->contribute("S1", "A", vnd(1), day(2026, 1, 6)), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(sv_->contribute("BH", "X", vnd(1), day(2026, 1, 6)), ErrorKind::kBadInput));
  const auto before = entries();
  // 700,000 over A, B, C: 233,333.33 each → 233,334 (A, ties to the order given), 233,333, 233,333;
  // C has only 200,000: refused.
  auto short_c = sv_->purchase("BH", vnd(700'000), day(2026, 2, 1), {}, "Mua thẻ BHYT");
  ASSERT_TRUE(failed_with(short_c, ErrorKind::kBadInput));
  EXPECT_EQ(entries(), before);
  // 500,000 for A and B: 250,000 each.
  auto p = sv_->purchase("BH", vnd(500'000), day(2026, 2, 1), {"A", "B"}, "Mua thẻ BHYT cho A, B");
  ASSERT_TRUE(p) << p.error().message();
  ASSERT_EQ(p->charges.size(), 2u);
  EXPECT_EQ(p->charges[0].second, vnd(250'000));
  auto q = sv_->purchase("BH", vnd(100'001), day(2026, 2, 2), {}, "");
  ASSERT_TRUE(q) << q.error().message();
  // 100,001 / 3 = 33,333.67: floors 99,999, two đồng to A and B (equal remainders, order given).
  EXPECT_EQ(q->charges[0].second, vnd(33'334));
  EXPECT_EQ(q->charges[1].second, vnd(33'334));
  EXPECT_EQ(q->charges[2].second, vnd(33'333));
  auto st = sv_->status("BH", day(2026, 2, 2));
  ASSERT_TRUE(st) << st.error().message();
  ASSERT_EQ(st->members.size(), 3u);
  EXPECT_EQ(st->members[0].balance, vnd(300'000 - 250'000 - 33'334));
  EXPECT_EQ(st->members[1].balance, vnd(300'000 - 250'000 - 33'334));
  EXPECT_EQ(st->members[2].balance, vnd(200'000 - 33'333));
  // Cash = 800,000 − 500,000 − 100,001 = 199,999 = Σ balances.
  EXPECT_EQ(bal("group:BH", charts::group::kCash), vnd(199'999));
  EXPECT_EQ(-bal("group:BH", charts::group::kMemberShares), vnd(199'999));
}

TEST_F(SavingsTest, AuditorMayNotWrite) {
  ASSERT_TRUE(ledger_->add_user("kiemsoat", Role::kAuditor));
  ASSERT_TRUE(db_.act_as(ledger_, "kiemsoat"));
  sv_ = std::make_unique<Savings>(*ledger_);
  EXPECT_TRUE(failed_with(sv_->record_meeting("S1", day(2026, 1, 10), {line("A", 0, 1'000)}), ErrorKind::kPermission));
  EXPECT_TRUE(failed_with(sv_->contribute("BH", "A", vnd(1), day(2026, 1, 6)), ErrorKind::kPermission));
}

// A seeded random run of meetings, loans, repayments and withdrawals (refused ones included):
// after every operation the invariants hold; at the end, once every loan is repaid, the
// share-out pays out exactly the loan fund less the leftover, by both methods.
TEST_F(SavingsTest, RandomRunKeepsInvariants) {
  SavingsRules r;
  r.share_price = vnd(5'000);
  ASSERT_TRUE(sv_->set_rules("S1", r));
  std::mt19937_64 rng(5);
  const std::vector<std::string> ms = {"A", "B", "C"};
  Date d = day(2026, 1, 3);
  int loans = 0;
  std::map<std::string, Money> owed;  // loan → what the test expects is left to pay
  for (int meeting = 0; meeting < 10; ++meeting, d = d.add_months(1)) {
    std::vector<MeetingLine> sheet;
    for (const auto& m : ms) sheet.push_back(line(m, static_cast<std::int64_t>(rng() % 4), 1'000, rng() % 5 == 0 ? 500 : 0));
    auto rec = sv_->record_meeting("S1", d, sheet);
    ASSERT_TRUE(rec) << rec.error().message();
    check_invariants("S1", d);
    const auto& who = ms[rng() % 3];
    if (rng() % 2 == 0) {
      GroupLoanSpec l{"L" + std::to_string(++loans), who, vnd(static_cast<std::int64_t>(1 + rng() % 20) * 1'000),
                      *Rate::parse("3%/month"), 2, Frequency::kMonthly, RepaymentMethod::kFlat, 0, std::nullopt, d};
      auto lent = sv_->lend("S1", l);
      if (lent) owed[l.loan] = lent->schedule.total_principal + lent->schedule.total_interest;
      check_invariants("S1", d);
    }
    auto w = sv_->withdraw("S1", ms[rng() % 3], vnd(static_cast<std::int64_t>(rng() % 30) * 1'000), d);
    (void)w;  // may be refused (more than her savings, or 0): the invariants must hold either way
    check_invariants("S1", d);
  }
  for (auto& [code, left] : owed) {
    auto p = sv_->repay("S1", code, left, d);
    ASSERT_TRUE(p) << code << ": " << p.error().message();
    EXPECT_EQ(p->outstanding_principal, vnd(0));
    check_invariants("S1", d);
  }
  for (auto method : {ShareoutMethod::kShares, ShareoutMethod::kTimeWeighted}) {
    auto s = sv_->preview_shareout("S1", d, method);
    ASSERT_TRUE(s) << s.error().message();
    EXPECT_EQ(s->profit, s->loan_fund_cash - s->savings);
    EXPECT_EQ(s->distributed + s->leftover, s->profit);
    EXPECT_EQ(s->paid_out + s->leftover, s->loan_fund_cash);
    std::vector<std::int64_t> w;
    for (const auto& l : s->lines) {
      ASSERT_EQ(denominator(l.weight), 1);
      w.push_back(numerator(l.weight).convert_to<std::int64_t>());
    }
    auto ref = reference_split(s->profit.minor_units(), w, false);
    for (std::size_t i = 0; i < w.size(); ++i) EXPECT_EQ(s->lines[i].profit.minor_units(), ref.parts[i]);
  }
  auto done = sv_->shareout("S1", d);
  ASSERT_TRUE(done) << done.error().message();
  check_invariants("S1", d);
  EXPECT_EQ(bal("group:S1", charts::group::kMemberShares), vnd(0));
}

// --- Corrections (issue 12) ------------------------------------------------------------------

class SavingsCorrectionTest : public SavingsTest {
 protected:
  static MeetingLine dep(const std::string& m, std::int64_t deposit, std::int64_t fine = 0) {
    MeetingLine l;
    l.member = m;
    l.deposit = vnd(deposit);
    l.fine = vnd(fine);
    return l;
  }
  // Reverses entry `id` through the savings domain, as `soquy reverse` does, on its own date.
  Result<CorrectionResult> reverse(std::int64_t id, const std::string& client_id = "") {
    auto e = ledger_->entry("#" + std::to_string(id));
    EXPECT_TRUE(e) << e.error().message();
    if (!e) return fail(e.error());
    return sv_->reverse_entry(*e, ReversalRequest{e->date, "sai số liệu (wrong figures)", client_id});
  }
  void all_checks_pass() {
    for (auto named : {check_savings_members(*ledger_), check_savings_loans(*ledger_),
                       check_savings_shareouts(*ledger_)})
      EXPECT_TRUE(named.ok()) << named.name << ": "
                              << (named.differences.empty() ? "" : named.differences[0].record);
  }
  Money member_savings(const std::string& member, Date on) {
    auto st = sv_->status("S1", on);
    EXPECT_TRUE(st) << st.error().message();
    for (const auto& m : st->members)
      if (m.member == member) return m.savings;
    return Money(0);
  }
};

// The story of issue 12: a meeting recorded wrong is reversed, the corrected sheet recorded, and
// the share-out pays exactly the fund.
TEST_F(SavingsCorrectionTest, WrongMeetingReversedCorrectedThenShareoutPaysTheFund) {
  // Meeting 1: 300,000 each → 4111 = 900,000.
  ASSERT_TRUE(sv_->record_meeting("S1", day(2026, 1, 10), {dep("A", 300'000), dep("B", 300'000), dep("C", 300'000)}));
  // Meeting 2, recorded wrong: B and C 60,000 instead of 50,000 (220,000 instead of 200,000).
  auto wrong = sv_->record_meeting("S1", day(2026, 2, 10),
                                   {dep("A", 100'000, 11'000), dep("B", 60'000, 11'000), dep("C", 60'000, 11'000)});
  ASSERT_TRUE(wrong) << wrong.error().message();
  EXPECT_EQ(-bal("group:S1", "4111"), vnd(1'120'000));
  const auto before = entries();
  auto rev = reverse(wrong->entry);
  ASSERT_TRUE(rev) << rev.error().message();
  ASSERT_EQ(rev->entries.size(), 1u);
  EXPECT_EQ(rev->entries[0].reverses, wrong->entry);
  EXPECT_EQ(rev->entries[0].date, day(2026, 2, 10));
  EXPECT_EQ(entries(), before + 1);
  // The members' savings and 4111 dropped together: 900,000 as of the meeting's date and after.
  EXPECT_EQ(-bal("group:S1", "4111", day(2026, 2, 10)), vnd(900'000));
  EXPECT_EQ(member_savings("B", day(2026, 2, 10)), vnd(300'000));
  all_checks_pass();
  check_invariants("S1", day(2026, 2, 10));
  // The corrected sheet of the same date: recorded as revision 2, without editing any id.
  const std::vector<MeetingLine> right = {dep("A", 100'000, 11'000), dep("B", 50'000, 11'000),
                                          dep("C", 50'000, 11'000)};
  auto fixed = sv_->record_meeting("S1", day(2026, 2, 10), right);
  ASSERT_TRUE(fixed) << fixed.error().message();
  EXPECT_TRUE(fixed->created);
  EXPECT_EQ(fixed->meeting_no, 2);
  auto fixed_entry = ledger_->entry("#" + std::to_string(fixed->entry));
  ASSERT_TRUE(fixed_entry);
  EXPECT_EQ(fixed_entry->client_id, "savings/S1/meeting/2026-02-10~2");
  // The same corrected sheet again writes nothing.
  const auto after_fix = entries();
  auto again = sv_->record_meeting("S1", day(2026, 2, 10), right);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->entry, fixed->entry);
  EXPECT_EQ(entries(), after_fix);
  all_checks_pass();
  // Share-out: savings 1,100,000 (A 400,000, B 350,000, C 350,000); fines 33,000 = the profit.
  // Loan-fund cash 1,133,000. By shares: 33,000 × 400/1,100 = 12,000; × 350/1,100 = 10,500 each.
  auto so = sv_->shareout("S1", day(2026, 3, 10));
  ASSERT_TRUE(so) << so.error().message();
  EXPECT_EQ(so->savings, vnd(1'100'000));
  EXPECT_EQ(so->loan_fund_cash, vnd(1'133'000));
  EXPECT_EQ(so->profit, vnd(33'000));
  ASSERT_EQ(so->lines.size(), 3u);
  EXPECT_EQ(so->lines[0].payout, vnd(412'000));
  EXPECT_EQ(so->lines[1].payout, vnd(360'500));
  EXPECT_EQ(so->lines[2].payout, vnd(360'500));
  EXPECT_EQ(so->paid_out + so->leftover, so->loan_fund_cash);
  EXPECT_EQ(bal("group:S1", "1011"), vnd(0));
  all_checks_pass();
}

TEST_F(SavingsCorrectionTest, MeetingBeforeAShareoutIsRefusedNamingIt) {
  auto m1 = sv_->record_meeting("S1", day(2026, 1, 10), {dep("A", 100'000), dep("B", 100'000)});
  ASSERT_TRUE(m1);
  auto so = sv_->shareout("S1", day(2026, 2, 10));
  ASSERT_TRUE(so) << so.error().message();
  const auto before = entries();
  auto r = reverse(m1->entry);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_NE(r.error().message().find(fmt::format("entry #{}", so->entry)), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("reverse the share-out first"), std::string::npos);
  // A meeting dated inside the shared-out cycle is refused too, naming the share-out.
  auto late = sv_->record_meeting("S1", day(2026, 1, 20), {dep("A", 5'000)});
  ASSERT_TRUE(failed_with(late, ErrorKind::kBadInput));
  EXPECT_NE(late.error().message().find("shared out cycle 1 on 2026-02-10"), std::string::npos);
  EXPECT_EQ(entries(), before);
  // The share-out is the group's latest record: it may be reversed; the cycle is open again and
  // is shared out again as revision 2 (client id ~2), paying the same.
  auto back = reverse(so->entry);
  ASSERT_TRUE(back) << back.error().message();
  all_checks_pass();
  auto st = sv_->status("S1", day(2026, 2, 10));
  ASSERT_TRUE(st);
  EXPECT_EQ(st->cycle, 1);
  EXPECT_EQ(st->savings, vnd(200'000));
  auto so2 = sv_->shareout("S1", day(2026, 2, 10));
  ASSERT_TRUE(so2) << so2.error().message();
  EXPECT_EQ(so2->paid_out, vnd(200'000));
  EXPECT_EQ(ledger_->entry("#" + std::to_string(so2->entry))->client_id, "savings/S1/shareout/1~2");
  all_checks_pass();
  // A share-out followed by a meeting of the next cycle is not the latest: refused, naming it.
  auto m3 = sv_->record_meeting("S1", day(2026, 3, 10), {dep("A", 1'000)});
  ASSERT_TRUE(m3);
  auto r2 = reverse(so2->entry);
  ASSERT_TRUE(failed_with(r2, ErrorKind::kBadInput));
  EXPECT_NE(r2.error().message().find(fmt::format("a meeting on 2026-03-10 (entry #{})", m3->entry)),
            std::string::npos)
      << r2.error().message();
}

TEST_F(SavingsCorrectionTest, RepaymentReversalAndLaterRepaymentRefusal) {
  ASSERT_TRUE(sv_->record_meeting("S1", day(2026, 1, 10), {dep("A", 100'000), dep("B", 100'000)}));
  GroupLoanSpec loan;
  loan.loan = "V1";
  loan.member = "B";
  loan.amount = vnd(100'000);
  loan.rate = *Rate::parse("1%/month");
  loan.installments = 2;
  loan.date = day(2026, 1, 10);
  auto lent = sv_->lend("S1", loan);
  ASSERT_TRUE(lent) << lent.error().message();
  // Flat: interest 1,000 a month; instalments 50,000 + 1,000.
  auto p1 = sv_->repay("S1", "V1", vnd(51'000), day(2026, 2, 10));
  ASSERT_TRUE(p1) << p1.error().message();
  auto p2 = sv_->repay("S1", "V1", vnd(51'000), day(2026, 3, 10));
  ASSERT_TRUE(p2) << p2.error().message();
  // The loan itself, and the first repayment, have a later repayment resting on them.
  auto r_loan = reverse(ledger_->entry("savings/S1/lend/V1")->id);
  ASSERT_TRUE(failed_with(r_loan, ErrorKind::kBadInput));
  auto r1 = reverse(p1->entry);
  ASSERT_TRUE(failed_with(r1, ErrorKind::kBadInput));
  EXPECT_NE(r1.error().message().find(fmt::format("loan V1 was repaid on 2026-03-10 (entry #{})", p2->entry)),
            std::string::npos)
      << r1.error().message();
  // The latest repayment: reversed; V1 owes 50,000 of principal again as of 2026-03-10.
  auto r2 = reverse(p2->entry);
  ASSERT_TRUE(r2) << r2.error().message();
  EXPECT_EQ(bal("group:S1", "2111", day(2026, 3, 10)), vnd(50'000));
  auto st = sv_->status("S1", day(2026, 3, 10));
  ASSERT_TRUE(st);
  ASSERT_EQ(st->loans.size(), 1u);
  EXPECT_EQ(st->loans[0].position.outstanding_principal, vnd(50'000));
  all_checks_pass();
  // Reversing it again: refused (already reversed).
  EXPECT_TRUE(failed_with(reverse(p2->entry), ErrorKind::kBadInput));
}

TEST_F(SavingsCorrectionTest, MeetingWhoseSavingsWereWithdrawnIsRefused) {
  ASSERT_TRUE(sv_->record_meeting("S1", day(2026, 1, 10), {dep("A", 100'000)}));
  auto m2 = sv_->record_meeting("S1", day(2026, 2, 10), {dep("A", 50'000)});
  ASSERT_TRUE(m2);
  ASSERT_TRUE(sv_->withdraw("S1", "A", vnd(120'000), day(2026, 3, 10)));
  // Without meeting 2, A's savings on 2026-03-10 would be 100,000 − 120,000 < 0.
  auto r = reverse(m2->entry);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_NE(r.error().message().find("on 2026-03-10"), std::string::npos) << r.error().message();
}

// Item 3: a meeting entered late (dated before the group's latest) is accepted; every report as
// of every date is the replay of the meetings in date order.
TEST_F(SavingsCorrectionTest, MeetingEnteredOutOfOrderReplaysInDateOrder) {
  ASSERT_TRUE(sv_->record_meeting("S1", day(2026, 1, 10), {dep("A", 100'000), dep("B", 10'000)}));
  auto m3 = sv_->record_meeting("S1", day(2026, 3, 10), {dep("A", 30'000), dep("B", 30'000)});
  ASSERT_TRUE(m3);
  EXPECT_EQ(m3->meeting_no, 2);
  auto m2 = sv_->record_meeting("S1", day(2026, 2, 10), {dep("A", 20'000), dep("B", 20'000)});
  ASSERT_TRUE(m2) << m2.error().message();
  EXPECT_EQ(m2->meeting_no, 2);  // the second by date
  // A: 100,000 → 120,000 (Feb) → 150,000 (Mar); B: 10,000 → 30,000 → 60,000.
  EXPECT_EQ(member_savings("A", day(2026, 1, 31)), vnd(100'000));
  EXPECT_EQ(member_savings("A", day(2026, 2, 28)), vnd(120'000));
  EXPECT_EQ(member_savings("B", day(2026, 2, 28)), vnd(30'000));
  EXPECT_EQ(member_savings("A", day(2026, 3, 31)), vnd(150'000));
  EXPECT_EQ(-bal("group:S1", "4111", day(2026, 2, 28)), vnd(150'000));
  auto st = sv_->status("S1", day(2026, 2, 28));
  ASSERT_TRUE(st);
  EXPECT_EQ(st->meetings, 2);
  for (Date d : {day(2026, 1, 10), day(2026, 2, 10), day(2026, 3, 10)}) check_invariants("S1", d);
  all_checks_pass();
  // Time-weighted, periods counted by date (held for the meetings dated after it, as if entered
  // in order): January's savings 2 periods, February's 1, March's 0 — A 100,000×2 + 20,000×1 =
  // 220,000; B 10,000×2 + 20,000×1 = 40,000.
  auto pv = sv_->preview_shareout("S1", day(2026, 4, 10), ShareoutMethod::kTimeWeighted);
  ASSERT_TRUE(pv) << pv.error().message();
  ASSERT_EQ(pv->lines.size(), 2u);
  EXPECT_EQ(pv->lines[0].weight, Rational(220'000));
  EXPECT_EQ(pv->lines[1].weight, Rational(40'000));
}

TEST_F(SavingsCorrectionTest, LateMeetingRepayingALoanRepaidLaterIsRefused) {
  ASSERT_TRUE(sv_->record_meeting("S1", day(2026, 1, 10), {dep("A", 100'000), dep("B", 100'000)}));
  GroupLoanSpec loan;
  loan.loan = "V1";
  loan.member = "B";
  loan.amount = vnd(100'000);
  loan.rate = *Rate::parse("1%/month");
  loan.installments = 2;
  loan.date = day(2026, 1, 10);
  ASSERT_TRUE(sv_->lend("S1", loan));
  auto p = sv_->repay("S1", "V1", vnd(51'000), day(2026, 3, 10));
  ASSERT_TRUE(p);
  MeetingLine l = dep("B", 0);
  l.repayment = vnd(10'000);
  auto late = sv_->record_meeting("S1", day(2026, 2, 10), {l});
  ASSERT_TRUE(failed_with(late, ErrorKind::kBadInput));
  EXPECT_NE(late.error().message().find(fmt::format("loan 'V1' was repaid later, on 2026-03-10 (entry #{})", p->entry)),
            std::string::npos)
      << late.error().message();
}

}  // namespace
}  // namespace soquy
