// soquy — the demo's hụi and savings groups (demo_groups.h).
#include "soquy/demo_groups.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "soquy/i18n.h"
#include "soquy/registry.h"
#include "soquy/rosca.h"
#include "soquy/savings.h"

namespace soquy {
namespace {

// Draws of the demo (not the lottery's: those use the engine's draw_index on a recorded seed).
class Draw {
 public:
  explicit Draw(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() { return splitmix64_next(state_); }
  std::int64_t pick(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }

 private:
  std::uint64_t state_;
};

Date ymd(int y, unsigned m, unsigned d) { return *Date::from_ymd(y, m, d); }

// The bid group's winning bids, rounds 1–11 (round 12 is the last share's, bid 0). Round 1's
// 300,000 costs its winner 11 × 300,000 + the fee on a pot of about 30,000,000 taken first: an
// implied rate of about 22 %/year, above the 20 % cap. The later bids rise so that no winner
// gains more from the earlier bids than she gives up with her own (her net stays near or below
// 0 while she still owes later rounds): no other member's implied rate is above the cap
// (worked with a python3 NPV scan before it was written here; demo_groups_test checks it).
constexpr std::int64_t kBids[] = {300'000, 30'000, 35'000, 45'000, 60'000, 80'000,
                                  100'000, 130'000, 150'000, 30'000, 20'000};

// The group's members on `on`, 18 or older then, by member code (the leader first when asked).
Result<std::vector<std::string>> members_of(Registry& reg, const std::string& code, Date on) {
  auto all = reg.members(on);
  if (!all) return fail(all.error());
  std::vector<std::string> out;
  for (const auto& m : *all) {
    if (m.left && *m.left <= on) continue;
    if (!m.born || m.born->add_months(18 * 12) > on) continue;
    if (std::find(m.groups.begin(), m.groups.end(), code) != m.groups.end()) out.push_back(m.id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct HuiPlan {
  const char* code;
  RoscaKind kind;
  std::int64_t contribution, fee;
  std::size_t shares;
  Date start;
  std::optional<Date> close_on;
};

struct PlannedLoan {
  int meeting;
  std::size_t who;
  std::int64_t amount;
  int installments;
};

using OpenLoans = std::map<std::string, std::pair<std::string, GroupLoanStatus>>;  // loan code → member, status

struct SavingsPlan {
  const char* code;
  ShareoutMethod method;
  Date first_meeting;
  Date shareout_on;
  bool by_shares;  // shares of 50,000 (else deposits)
};

class Builder {
 public:
  Builder(Ledger& l, std::uint64_t seed) : ledger_(l), reg_(l), rosca_(l), savings_(l), draw_(seed) {}

  Result<void> run() {
    const HuiPlan huis[] = {
        {"HUI-CL-AT", RoscaKind::kFixed, 2'000'000, 100'000, 12, ymd(2025, 2, 10), ymd(2026, 1, 15)},
        {"HUI-TC-KS", RoscaKind::kLottery, 1'000'000, 50'000, 10, ymd(2025, 9, 15), ymd(2026, 6, 20)},
        {"HUI-CN-KH", RoscaKind::kBid, 3'000'000, 30'000, 12, ymd(2025, 12, 20), std::nullopt},
    };
    for (const auto& h : huis)
      if (auto r = hui(h); !r) return r;
    const SavingsPlan groups[] = {
        {"TK-CL-AT", ShareoutMethod::kShares, ymd(2025, 7, 5), ymd(2026, 6, 20), true},
        {"TK-TC-KS", ShareoutMethod::kTimeWeighted, ymd(2025, 8, 10), ymd(2026, 7, 25), false},
    };
    for (const auto& g : groups)
      if (auto r = savings_group(g); !r) return r;
    s_.entries = static_cast<std::int64_t>(entries_.size()) + unnumbered_;
    return {};
  }

  GroupsDemoSummary summary() const { return s_; }

 private:
  void entry(std::int64_t id, Date d) {
    if (id > 0) entries_.insert(id);
    if (!dated_ || d < s_.first) s_.first = d;
    dated_ = true;
    s_.last = std::max(s_.last, d);
  }

  // The agreement of a planned group: its leader holds it.
  Result<RoscaSpec> hui_spec(const HuiPlan& p) {
    auto group = reg_.group(p.code);
    if (!group) return fail(group.error());
    auto people = members_of(reg_, p.code, p.start);
    if (!people) return fail(people.error());
    if (people->size() < 2) return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("demo: group {} has too few members")), p.code)));
    RoscaSpec spec;
    spec.group = p.code;
    spec.holder = group->leader;
    spec.contribution = Money(p.contribution);
    spec.start = p.start;
    spec.kind = p.kind;
    spec.fee = Money(p.fee);
    // Shares in member-code order; a small group's members hold two.
    for (std::size_t i = 0; i < p.shares; ++i) spec.shares.push_back((*people)[i % people->size()]);
    spec.terms = fmt::format("Góp {} đồng mỗi tháng, {} phần, chủ hụi hưởng {} đồng mỗi kỳ.",
                             Money(p.contribution).to_grouped_string(), p.shares, Money(p.fee).to_grouped_string());
    return spec;
  }

  // Two members still to receive bid; the higher bid is the schedule's (kBids), the other
  // 10,000 or 20,000 below it.
  void add_bids(RoscaOpenSpec& o, const std::map<std::string, int>& unreceived, int k) {
    std::vector<std::string> can;
    for (const auto& [m, c] : unreceived)
      if (c > 0) can.push_back(m);
    const std::int64_t top = kBids[static_cast<std::size_t>(k - 1)];
    for (std::int64_t b = 0; b < 2 && !can.empty(); ++b) {
      const auto at = static_cast<std::size_t>(draw_.pick(0, static_cast<std::int64_t>(can.size()) - 1));
      const std::int64_t amount = b == 0 ? top : std::max<std::int64_t>(top - draw_.pick(1, 2) * 10'000, 0);
      o.bids.push_back({can[at], Money(amount)});
      can.erase(can.begin() + static_cast<std::ptrdiff_t>(at));
    }
    o.seed = draw_.next();  // for a tie
  }

  Result<void> hui(const HuiPlan& p) {
    auto made_spec = hui_spec(p);
    if (!made_spec) return fail(made_spec.error());
    const RoscaSpec& spec = *made_spec;
    auto made = rosca_.create(spec);
    if (!made) return fail(made.error());
    ++s_.roscas;

    std::map<std::string, int> unreceived;  // member → shares not yet received
    for (const auto& m : spec.shares) ++unreceived[m];
    const int n = static_cast<int>(p.shares);
    for (int k = 1; k <= n; ++k) {
      const Date d = p.start.add_months(k - 1);
      RoscaOpenSpec o;
      o.round = k;
      o.date = d;
      if (p.kind == RoscaKind::kLottery && k < n) o.seed = draw_.next();
      if (p.kind == RoscaKind::kBid && k < n) add_bids(o, unreceived, k);
      auto r = rosca_.open(p.code, o);
      if (!r) return fail(r.error().with_context(fmt::format("demo {} round {}: ", p.code, k)));
      ++s_.rounds;
      entry(r->entry, d);
      --unreceived[r->winner];
      if (auto paid = pay_round(p, spec, k, d, *r); !paid) return paid;
    }
    if (p.close_on) {
      auto c = rosca_.close(p.code, *p.close_on);
      if (!c) return fail(c.error().with_context(fmt::format("demo {} close: ", p.code)));
      ++s_.closed;
      if (c->entry) entry(*c->entry, *p.close_on);
    }
    return {};
  }

  // Round k's dues paid and its pot paid out. Everyone pays on the day, except (fixed group,
  // round 5) the first living share's member, who pays 12 days late: the holder advances her due
  // at the payout.
  Result<void> pay_round(const HuiPlan& p, const RoscaSpec& spec, int k, Date d, const RoscaRound& round) {
    std::string late;
    Money late_amount;
    for (const auto& du : round.due) {
      if (du.amount.is_zero()) continue;
      if (p.kind == RoscaKind::kFixed && k == 5 && late.empty() && du.member != round.winner &&
          du.member != spec.holder && std::count(spec.shares.begin(), spec.shares.end(), du.member) == 1) {
        late = du.member;
        late_amount = du.amount;
        continue;
      }
      auto paid = rosca_.pay(p.code, du.member, du.amount, d);
      if (!paid) return fail(paid.error().with_context(fmt::format("demo {} round {}: ", p.code, k)));
      entry(paid->entry, d);
    }
    auto out = rosca_.payout(p.code, k, d, "", !late.empty());
    if (!out) return fail(out.error().with_context(fmt::format("demo {} round {}: ", p.code, k)));
    ++s_.payouts;
    entry(out->payout.entry, d);
    for (const auto& a : out->advances) {
      ++s_.advances;
      entry(a.entry, d);
    }
    if (!late.empty()) {
      auto paid = rosca_.pay(p.code, late, late_amount, d.add_days(12));
      if (!paid) return fail(paid.error().with_context(fmt::format("demo {} late payment: ", p.code)));
      entry(paid->entry, d.add_days(12));
    }
    return {};
  }

  // The sheet of a meeting on `d`: savings drawn at random, the social fund, a fine for the
  // few late, and the instalments of the open loans due that day.
  std::vector<MeetingLine> meeting_lines(const SavingsPlan& p, const std::vector<std::string>& people,
                                         const OpenLoans& open_loans, Date d) {
    std::vector<MeetingLine> lines;
    for (const auto& m : people) {
      MeetingLine ml;
      ml.member = m;
      if (p.by_shares)
        ml.shares = draw_.pick(1, 4);
      else
        ml.deposit = Money(draw_.pick(10, 30) * 10'000);
      ml.social = Money(5'000);
      if (draw_.pick(0, 99) < 4) ml.fine = Money(10'000);  // late to the meeting
      for (const auto& [code, loan] : open_loans) {
        if (loan.first != m) continue;
        for (const auto& in : loan.second.schedule.installments)
          if (in.due_on == d) {
            ml.repayment += in.total;
            ml.loan = code;
          }
      }
      lines.push_back(ml);
    }
    return lines;
  }

  // The loans planned for meeting k, lent on its day.
  Result<void> lend_planned(const SavingsPlan& p, const std::vector<std::string>& people,
                            const std::vector<PlannedLoan>& plan, int k, Date d, int& loan_no, OpenLoans& open_loans) {
    for (const auto& pl : plan) {
      if (pl.meeting != k) continue;
      GroupLoanSpec spec;
      spec.loan = fmt::format("V{}", ++loan_no);
      spec.member = people[pl.who];
      spec.amount = Money(pl.amount);
      spec.rate = Rate(Rational(2), RatePeriod::kMonth);
      spec.installments = pl.installments;
      spec.date = d;
      auto lent = savings_.lend(p.code, spec);
      if (!lent) return fail(lent.error().with_context(fmt::format("demo {} loan {}: ", p.code, spec.loan)));
      ++s_.group_loans;
      ++unnumbered_;
      entry(0, d);
      open_loans[spec.loan] = {spec.member, *lent};
    }
    return {};
  }

  // The third member (in status order) takes out half her savings, in tens of thousands, on `w`.
  Result<void> withdraw_half(const SavingsPlan& p, Date w) {
    auto st = savings_.status(p.code, w);
    if (!st) return fail(st.error());
    const auto& who = st->members.at(2);
    auto r = savings_.withdraw(p.code, who.member, Money(who.savings.minor_units() / 2 / 10'000 * 10'000), w);
    if (!r) return fail(r.error().with_context(fmt::format("demo {} withdrawal: ", p.code)));
    ++unnumbered_;
    entry(0, w);
    return {};
  }

  Result<void> savings_group(const SavingsPlan& p) {
    SavingsRules rules;
    if (p.by_shares) rules.share_price = Money(50'000);
    rules.method = p.method;
    if (auto r = savings_.set_rules(p.code, rules); !r) return fail(r.error());
    ++s_.savings_groups;
    auto all = members_of(reg_, p.code, p.first_meeting);
    if (!all) return fail(all.error());
    std::vector<std::string> people(all->begin(), all->begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(all->size(), 15)));
    if (people.size() < 4) return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("demo: group {} has too few members")), p.code)));

    // Loans: meeting index → (member, amount, instalments).
    std::vector<PlannedLoan> plan =
        p.by_shares ? std::vector<PlannedLoan>{{3, 1, 2'000'000, 4}, {3, 4, 1'500'000, 3}, {6, 2, 3'000'000, 5}}
                    : std::vector<PlannedLoan>{{4, 0, 2'500'000, 5}, {7, 3, 2'000'000, 4}};
    OpenLoans open_loans;
    int loan_no = 0;
    for (int k = 1; k <= 12; ++k) {
      const Date d = p.first_meeting.add_months(k - 1);
      const std::vector<MeetingLine> lines = meeting_lines(p, people, open_loans, d);
      auto met = savings_.record_meeting(p.code, d, lines, fmt::format("{}-{}.csv", p.code, d.to_iso()));
      if (!met) return fail(met.error().with_context(fmt::format("demo {} meeting {}: ", p.code, k)));
      ++s_.meetings;
      entry(met->entry, d);
      if (auto lent = lend_planned(p, people, plan, k, d, loan_no, open_loans); !lent) return lent;
      // Between meetings 8 and 9 of the deposit group, a member takes out part of her savings.
      if (!p.by_shares && k == 8)
        if (auto r = withdraw_half(p, d.add_days(10)); !r) return r;
    }
    auto out = savings_.shareout(p.code, p.shareout_on);
    if (!out) return fail(out.error().with_context(fmt::format("demo {} share-out: ", p.code)));
    ++s_.shareouts;
    entry(out->entry, p.shareout_on);
    return {};
  }

  Ledger& ledger_;
  Registry reg_;
  Rosca rosca_;
  Savings savings_;
  Draw draw_;
  GroupsDemoSummary s_;
  std::set<std::int64_t> entries_;
  bool dated_ = false;
  std::int64_t unnumbered_ = 0;  // entries whose id the engine does not return (lend, withdraw)
};

}  // namespace

Result<GroupsDemoSummary> build_groups_demo(Ledger& ledger, std::uint64_t seed) {
  Builder b(ledger, seed);
  if (auto r = ledger.in_transaction([&] { return b.run(); }); !r) return fail(r.error());
  return b.summary();
}

}  // namespace soquy
