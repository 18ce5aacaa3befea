// The demo's fund-loan portfolio (demo_loans.h): a day-by-day simulation over the demo province,
// every event recorded through LoanBook in date order (so the journal's daily balances are
// appended, never rewritten, and each loan's events are in the order LoanBook requires).
#include "soquy/demo_loans.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "soquy/loans.h"
#include "soquy/i18n.h"
#include "soquy/registry.h"

namespace soquy {
namespace {

// splitmix64 (Steele, Lea, Flood 2014): the same sequence with every compiler and library.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [lo, hi] (the modulo bias is below 2^-40 for these ranges).
  std::int64_t pick(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(std::int64_t percent) { return pick(0, 99) < percent; }

 private:
  std::uint64_t state_;
};

Date ymd(int y, unsigned m, unsigned d) { return *Date::from_ymd(y, m, d); }

struct ProductPlan {
  const char* code;
  RepaymentMethod method;
  const char* rate;
  int installments;
  Frequency frequency;
  int grace;
  const char* savings;  // nullptr: none
  const char* penalty;  // nullptr: none
  std::int64_t min_million, max_million;
  std::int64_t share;   // percent of new loans
};

constexpr std::array<ProductPlan, 4> kProducts{{
    {"TD-12T", RepaymentMethod::kFlat, "0.65%/month", 12, Frequency::kMonthly, 0, nullptr, nullptr, 5, 30, 45},
    {"TD-26W", RepaymentMethod::kEqualPrincipal, "0.8%/month", 26, Frequency::kWeekly, 0, nullptr, nullptr, 3, 10, 10},
    {"TD-13B", RepaymentMethod::kEqualPrincipal, "0.7%/month", 13, Frequency::kFourWeekly, 2, nullptr, nullptr, 10, 30,
     20},
    {"TD-TK12", RepaymentMethod::kEqualTotal, "0.75%/month", 12, Frequency::kMonthly, 0, "1%/month", "1.5%/month", 10,
     40, 25},
}};

// Capital tranches: the province's budget, the central Union, and a top-up for the second year.
struct Tranche {
  Date on;
  std::int64_t amount;
  const char* memo;
};

enum class Behaviour { kGood, kLate, kPartial, kStop, kPayoff };

struct Borrower {
  std::string id;
  std::string group;  // the member's credit group, "" if none (she borrows on her own)
};

struct DemoLoan {
  std::string code;
  std::size_t borrower = 0;
  std::size_t product = 0;
  Behaviour behaviour = Behaviour::kGood;
  int stop_at = 0;  // kStop: instalments paid before she stops; kPayoff: the instalment she settles at
  Date disbursed_on;
  Money principal;
  Money savings;    // compulsory savings per instalment (0 without)
  LoanSchedule schedule;  // in force
  int epoch = 0;    // bumped when the schedule changes: older planned actions are dropped
  bool done = false, frozen = false, written_off = false, stopped = false;
  std::optional<Date> first_unpaid_due;  // kStop: the due date of the first instalment not paid
};

enum class Act { kDisburse, kPay, kFinal, kPayoff, kRecover };
struct Action {
  Act kind;
  std::size_t who;  // borrower (kDisburse) or loan index
  int k = 0;        // instalment index (0-based) in the schedule of `epoch`
  int epoch = 0;
  Money amount;     // kRecover
};

class Simulation {
 public:
  Simulation(Ledger& ledger, const LoanDemoOptions& o)
      : ledger_(ledger), book_(ledger), o_(o), rng_(o.seed),
        days_(static_cast<std::size_t>(o.end.days_since(o.start) + 1)) {}

  Result<LoanDemoSummary> run();

 private:
  void at(Date d, Action a) {
    if (d > o_.end) return;
    if (d < today_) d = today_;
    days_[static_cast<std::size_t>(d.days_since(o_.start))].push_back(a);
  }
  std::string receipt() { return fmt::format("BL{:06}", ++receipts_); }
  Result<void> products();
  void choose_borrowers(const std::vector<Member>& members);
  Result<void> deposit_capital(const std::array<Tranche, 4>& tranches, Date d);
  Result<void> act(const Action& a, Date d);
  Result<void> dated_events(Date d);
  Result<void> disburse(std::size_t borrower, Date d);
  void plan(std::size_t loan, Date after);
  Result<void> pay(const Action& a, Date d);
  Result<void> repay(std::size_t loan, Money amount, Date d);
  Result<Money> arrears(std::size_t loan, Date d);
  Result<void> flood(Date d);
  Result<void> after_flood(Date d);
  Result<void> restructure_one(Date d);
  Result<void> month_end(Date d);
  void closed(std::size_t loan, Date d);

  Ledger& ledger_;
  LoanBook book_;
  LoanDemoOptions o_;
  SplitMix64 rng_;
  std::vector<std::vector<Action>> days_;
  Date today_;
  std::vector<Borrower> borrowers_;
  std::vector<DemoLoan> loans_;
  std::vector<std::size_t> flooded_;
  std::int64_t receipts_ = 0;
  std::int64_t serial_[2] = {0, 0};  // loan numbers per year (2025, 2026)
  LoanDemoSummary s_;
};

Result<void> Simulation::products() {
  for (const auto& p : kProducts) {
    LoanProduct lp;
    lp.code = p.code;
    lp.method = p.method;
    lp.rate = *Rate::parse(p.rate);
    lp.installments = p.installments;
    lp.frequency = p.frequency;
    lp.grace = p.grace;
    if (p.savings) lp.savings_rate = *Rate::parse(p.savings);
    if (p.penalty) lp.penalty_rate = *Rate::parse(p.penalty);
    lp.max_amount = Money(p.max_million * 1'000'000);
    if (auto r = book_.add_product(lp); !r) return fail(r.error());
    ++s_.products;
  }
  return {};
}

Result<void> Simulation::disburse(std::size_t b, Date d) {
  std::int64_t roll = rng_.pick(0, 99), acc = 0;
  std::size_t product = 0;
  for (std::size_t i = 0; i < kProducts.size(); ++i) {
    acc += kProducts[i].share;
    if (roll < acc) {
      product = i;
      break;
    }
  }
  const auto& p = kProducts[product];
  DemoLoan l;
  const int year = d.year() == 2025 ? 0 : 1;
  l.code = fmt::format("VV{:02}-{:04}", d.year() % 100, ++serial_[year]);
  l.borrower = b;
  l.product = product;
  l.principal = Money(rng_.pick(p.min_million, p.max_million) * 1'000'000);
  l.savings = p.savings ? Money(l.principal.minor_units() / 100) : Money(0);  // 1 %/month, monthly
  l.disbursed_on = d;
  const std::int64_t b_roll = rng_.pick(0, 99);
  l.behaviour = b_roll < 72   ? Behaviour::kGood
                : b_roll < 84 ? Behaviour::kLate
                : b_roll < 94 ? Behaviour::kPartial
                : b_roll < 98 ? Behaviour::kStop
                              : Behaviour::kPayoff;
  if (l.behaviour == Behaviour::kStop) l.stop_at = static_cast<int>(rng_.pick(1, p.installments / 2));
  if (l.behaviour == Behaviour::kPayoff) l.stop_at = static_cast<int>(rng_.pick(3, p.installments - 2));
  // A fund officer lends only the cash the fund has: when it is short, the borrower waits two
  // weeks for repayments or new capital to come in.
  // The journal demo has already posted the fund's running costs up to its last day, so the
  // cash must last to then too (as LoanBook::disburse checks).
  auto cash = ledger_.balance("fund", "1011", d);
  if (!cash) return fail(cash.error());
  auto cash_at_end = ledger_.balance("fund", "1011", Date::from_ymd(2999, 12, 31).value());
  if (!cash_at_end) return fail(cash_at_end.error());
  if (*cash < l.principal || *cash_at_end < l.principal) {
    --serial_[year];
    at(d.add_days(14), Action{Act::kDisburse, b, 0, 0, Money(0)});
    ++s_.postponed;
    return {};
  }
  DisburseRequest req;
  req.loan = l.code;
  req.member = borrowers_[b].id;
  req.product = p.code;
  req.group = borrowers_[b].group;
  req.amount = l.principal;
  req.date = d;
  auto loan = book_.disburse(req);
  if (!loan) return fail(loan.error().with_context(fmt::format("demo loan {}: ", l.code)));
  l.schedule = loan->schedule;
  loans_.push_back(std::move(l));
  ++s_.loans;
  ++s_.entries;
  s_.disbursed += loans_.back().principal;
  plan(loans_.size() - 1, d);
  return {};
}

// Plans the payments of the instalments due after `after` according to the loan's behaviour.
void Simulation::plan(std::size_t i, Date after) {
  DemoLoan& l = loans_[i];
  const auto& inst = l.schedule.installments;
  const bool weekly = kProducts[l.product].frequency == Frequency::kWeekly;
  for (std::size_t k = 0; k < inst.size(); ++k) {
    const Date due = inst[k].due_on;
    if (due <= after) continue;
    Action a{Act::kPay, i, static_cast<int>(k), l.epoch, Money(0)};
    Date on = due;
    switch (l.behaviour) {
      case Behaviour::kGood:
        if (!weekly && rng_.chance(30)) on = due.add_days(-rng_.pick(1, 3));
        break;
      case Behaviour::kLate:
        if (rng_.chance(45)) on = due.add_days(rng_.pick(1, weekly ? 5 : 25));
        break;
      case Behaviour::kPartial:
        break;
      case Behaviour::kStop:
        break;
      case Behaviour::kPayoff:
        if (static_cast<int>(k) == l.stop_at) a.kind = Act::kPayoff;
        break;
    }
    if (on <= after) on = after.add_days(1);
    at(on, a);
    if (a.kind == Act::kPayoff) return;
  }
  if (l.behaviour == Behaviour::kPartial && !inst.empty())
    at(inst.back().due_on.add_days(rng_.pick(5, 120)), Action{Act::kFinal, i, 0, l.epoch, Money(0)});
}

// Overdue principal, interest and penalty on `d` (instalments due before it).
Result<Money> Simulation::arrears(std::size_t i, Date d) {
  auto s = book_.snapshot(loans_[i].code, d);
  if (!s) return fail(s.error());
  return s->position.overdue_principal + s->position.overdue_interest + s->position.overdue_penalty;
}

void Simulation::closed(std::size_t i, Date d) {
  DemoLoan& l = loans_[i];
  l.done = true;
  if (rng_.chance(80)) at(d.add_days(rng_.pick(7, 45)), Action{Act::kDisburse, l.borrower, 0, 0, Money(0)});
}

Result<void> Simulation::repay(std::size_t i, Money amount, Date d) {
  DemoLoan& l = loans_[i];
  // A member who brings an instalment before its due date (or more than she owes) prepays: the
  // officer marks it so (loan repay --prepay), as the book requires.
  auto due = book_.amount_due(l.code, d);
  if (!due) return fail(due.error());
  const bool prepay = amount > *due;
  auto r = book_.repay(l.code, amount, l.savings, d, receipt(), prepay);
  if (!r) return fail(r.error().with_context(fmt::format("demo loan {} on {}: ", l.code, d)));
  ++s_.repayments;
  ++s_.entries;
  if (!r->after.open()) closed(i, d);
  return {};
}

Result<void> Simulation::pay(const Action& a, Date d) {
  DemoLoan& l = loans_[a.who];
  if (l.done || l.frozen || l.written_off || l.stopped || a.epoch != l.epoch) return {};
  const auto& inst = l.schedule.installments[static_cast<std::size_t>(a.k)];
  if (a.kind == Act::kPayoff) {
    auto r = book_.payoff(l.code, d, std::nullopt, receipt());
    if (!r) return fail(r.error().with_context(fmt::format("demo loan {} on {}: ", l.code, d)));
    ++s_.payoffs;
    ++s_.entries;
    closed(a.who, d);
    return {};
  }
  if (a.kind == Act::kFinal) {
    auto owed = arrears(a.who, d);
    if (!owed) return fail(owed.error());
    if (owed->is_zero()) return {};
    return repay(a.who, *owed, d);
  }
  switch (l.behaviour) {
    case Behaviour::kGood: return repay(a.who, inst.total, d);
    case Behaviour::kLate: {
      if (d == inst.due_on) return repay(a.who, inst.total, d);
      auto owed = arrears(a.who, d);  // late: she brings what is overdue, penalty included
      if (!owed) return fail(owed.error());
      if (owed->is_zero()) return {};
      return repay(a.who, *owed, d);
    }
    case Behaviour::kPartial: {
      const std::int64_t roll = rng_.pick(0, 99);
      if (roll < 60) {
        const std::int64_t part = inst.total.minor_units() * rng_.pick(5, 9) / 10 / 1000 * 1000;
        return repay(a.who, Money(std::max<std::int64_t>(part, 1000)), d);
      }
      if (roll < 85) return repay(a.who, inst.total, d);
      auto owed = arrears(a.who, d);  // catching up: the arrears and this instalment
      if (!owed) return fail(owed.error());
      return repay(a.who, *owed + inst.total, d);
    }
    case Behaviour::kStop:
      if (a.k >= l.stop_at) {
        l.stopped = true;
        l.first_unpaid_due = inst.due_on;
        return {};
      }
      return repay(a.who, inst.total, d);
    case Behaviour::kPayoff: return repay(a.who, inst.total, d);
  }
  return {};
}

// The October 2025 flood: three loans of the Trà Cú credit group (current, with instalments
// left after February 2026) are frozen.
Result<void> Simulation::flood(Date d) {
  for (const char* group : {"TD-TC-KS", "TD-TC-DA", ""}) {
    for (std::size_t i = 0; i < loans_.size() && flooded_.size() < 3; ++i) {
      const DemoLoan& l = loans_[i];
      if (l.done || l.stopped || l.behaviour != Behaviour::kGood) continue;
      if (*group && borrowers_[l.borrower].group != group) continue;
      if (l.disbursed_on > d.add_days(-40) || l.schedule.installments.back().due_on < ymd(2026, 3, 1)) continue;
      if (std::find(flooded_.begin(), flooded_.end(), i) != flooded_.end()) continue;
      auto s = book_.snapshot(l.code, d);
      if (!s) return fail(s.error());
      if (s->days_past_due() != 0) continue;
      auto r = book_.freeze(l.code, d, "Lũ tháng 10/2025 làm mất trắng vụ lúa: khoanh nợ chờ xử lý");
      if (!r) return fail(r.error());
      loans_[i].frozen = true;
      flooded_.push_back(i);
    }
  }
  return {};
}

// January 2026: the first flooded loan is unfrozen and extended by four months; she pays on time
// from then on. The other two stay frozen.
Result<void> Simulation::after_flood(Date d) {
  if (flooded_.empty()) return {};
  DemoLoan& l = loans_[flooded_.front()];
  if (auto r = book_.unfreeze(l.code, d, "Hộ đã khôi phục sản xuất"); !r) return fail(r.error());
  if (auto r = book_.extend(l.code, 4, d, "Gia hạn 4 tháng sau lũ"); !r) return fail(r.error());
  auto s = book_.schedule(l.code, d);
  if (!s) return fail(s.error());
  l.frozen = false;
  l.schedule = *s;
  ++l.epoch;
  ++s_.extensions;
  plan(flooded_.front(), d);
  return {};
}

// March 2026: the first partly-paying monthly loan 30 or more days past due is rescheduled over
// 12 months and paid on time afterwards.
Result<void> Simulation::restructure_one(Date d) {
  for (std::size_t i = 0; i < loans_.size(); ++i) {
    DemoLoan& l = loans_[i];
    if (l.done || l.frozen || l.stopped || l.behaviour != Behaviour::kPartial) continue;
    if (kProducts[l.product].frequency != Frequency::kMonthly) continue;
    auto snap = book_.snapshot(l.code, d);
    if (!snap) return fail(snap.error());
    if (snap->days_past_due() < 30 || snap->position.outstanding_principal.minor_units() < 5'000'000) continue;
    RescheduleTerms t;
    t.installments = 12;
    if (auto r = book_.reschedule(l.code, t, d, "Điều chỉnh kỳ hạn: đàn heo của hộ bị dịch tả châu Phi"); !r)
      return fail(r.error());
    auto s = book_.schedule(l.code, d);
    if (!s) return fail(s.error());
    l.schedule = *s;
    l.behaviour = Behaviour::kGood;
    ++l.epoch;
    ++s_.reschedules;
    plan(i, d);
    return {};
  }
  return {};
}

// Loans 180 or more days past due of members who stopped paying are written off (a third of
// them recover something months later), then the provision is brought to what the classes need.
Result<void> Simulation::month_end(Date d) {
  for (std::size_t i = 0; i < loans_.size(); ++i) {
    DemoLoan& l = loans_[i];
    if (!l.stopped || l.written_off || !l.first_unpaid_due || d.days_since(*l.first_unpaid_due) < 180) continue;
    auto snap = book_.snapshot(l.code, d);
    if (!snap) return fail(snap.error());
    if (snap->days_past_due() < 180) continue;
    const Money outstanding = snap->position.outstanding_principal;
    if (auto r = book_.writeoff(l.code, d, "Hội viên mất khả năng trả nợ, hội đồng xử lý rủi ro duyệt xóa"); !r)
      return fail(r.error());
    l.written_off = true;
    ++s_.writeoffs;
    ++s_.entries;
    if (rng_.chance(33)) {
      const std::int64_t part = outstanding.minor_units() * rng_.pick(2, 5) / 10 / 10'000 * 10'000;
      if (part > 0) at(d.add_days(rng_.pick(30, 150)), Action{Act::kRecover, i, 0, 0, Money(part)});
    }
  }
  auto run = book_.run_provision(d);
  if (!run) return fail(run.error());
  if (run->entry) {
    ++s_.provision_runs;
    ++s_.entries;
  }
  return {};
}

// Borrowers: nine in ten members of a credit group and about half of the others; their first
// loans are spread over the first year.
void Simulation::choose_borrowers(const std::vector<Member>& members) {
  const Date first_loans = o_.start.add_days(4);
  for (const auto& m : members) {
    std::string group;
    for (const auto& g : m.groups)
      if (g.starts_with("TD-")) group = g;
    if (!rng_.chance(group.empty() ? 55 : 90)) continue;
    borrowers_.push_back({m.id, group});
    at(first_loans.add_days(rng_.pick(0, 359)), Action{Act::kDisburse, borrowers_.size() - 1, 0, 0, Money(0)});
  }
}

Result<void> Simulation::deposit_capital(const std::array<Tranche, 4>& tranches, Date d) {
  for (const auto& t : tranches) {
    if (t.on != d) continue;
    auto r = book_.deposit(Money(t.amount), d, t.memo, fmt::format("demo-fund-capital-{}", d));
    if (!r) return fail(r.error());
    ++s_.deposits;
    ++s_.entries;
    s_.capital += Money(t.amount);
  }
  return {};
}

Result<void> Simulation::act(const Action& a, Date d) {
  Result<void> r;
  switch (a.kind) {
    case Act::kDisburse: r = disburse(a.who, d); break;
    case Act::kPay:
    case Act::kFinal:
    case Act::kPayoff: r = pay(a, d); break;
    case Act::kRecover: {
      auto rec = book_.recover(loans_[a.who].code, a.amount, d, receipt());
      if (!rec) r = fail(rec.error());
      ++s_.recoveries;
      ++s_.entries;
      break;
    }
  }
  return r;
}

// The flood, the end of the freeze, the rescheduling and the month's end, on their days.
Result<void> Simulation::dated_events(Date d) {
  const Date flood_on = ymd(2025, 10, 20), unfreeze_on = ymd(2026, 1, 20), reschedule_on = ymd(2026, 3, 16);
  if (d == flood_on) {
    if (auto r = flood(d); !r) return fail(r.error());
  }
  if (d == unfreeze_on) {
    if (auto r = after_flood(d); !r) return fail(r.error());
  }
  if (d == reschedule_on) {
    if (auto r = restructure_one(d); !r) return fail(r.error());
  }
  if (d == d.end_of_month()) {
    if (auto r = month_end(d); !r) return fail(r.error());
  }
  return {};
}

Result<LoanDemoSummary> Simulation::run() {
  Registry registry(ledger_);
  auto members = registry.members(o_.start);
  if (!members) return fail(members.error());
  if (members->empty()) return fail(Error::bad_input(tr("the loan demo needs the demo province (build_registry_demo)")));
  if (auto r = products(); !r) return fail(r.error());

  const std::array<Tranche, 4> tranches{{
      {o_.start, 10'000'000'000, "Nhận vốn ngân sách tỉnh cấp cho Quỹ hỗ trợ phụ nữ phát triển"},
      {ymd(2025, 4, 1), 6'000'000'000, "Nhận vốn Trung ương Hội LHPN Việt Nam hỗ trợ"},
      {ymd(2025, 7, 1), 3'000'000'000, "Nhận vốn ngân sách tỉnh cấp bổ sung"},
      {ymd(2026, 1, 5), 2'000'000'000, "Nhận vốn tài trợ của doanh nghiệp trên địa bàn"},
  }};
  choose_borrowers(*members);

  for (std::size_t day = 0; day < days_.size(); ++day) {
    today_ = o_.start.add_days(static_cast<std::int64_t>(day));
    const Date d = today_;
    if (auto r = deposit_capital(tranches, d); !r) return fail(r.error());
    // Actions planned for today may plan more for today (a clamp): index, not iterators, and
    // each action copied before it runs.
    for (std::size_t n = 0; n < days_[day].size(); ++n) {
      const Action a = days_[day][n];
      if (auto r = act(a, d); !r) return fail(r.error());
    }
    days_[day].clear();
    days_[day].shrink_to_fit();
    if (auto r = dated_events(d); !r) return fail(r.error());
  }
  for (const auto& l : loans_)
    if (l.frozen) ++s_.frozen;
  s_.first = o_.start;
  s_.last = o_.end;
  return s_;
}

}  // namespace

Result<LoanDemoSummary> build_loans_demo(Ledger& ledger, const LoanDemoOptions& options) {
  Simulation sim(ledger, options);
  Result<LoanDemoSummary> out = fail(Error::internal("loan demo did not run"));
  auto r = ledger.in_transaction([&]() -> Result<void> {
    auto s = sim.run();
    if (!s) return fail(s.error());
    out = *s;
    return {};
  });
  if (!r) return fail(r.error());
  return out;
}

}  // namespace soquy
