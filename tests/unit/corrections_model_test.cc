// Issue 12, item 10: a seeded, randomized model test of corrections. Sequences of domain
// operations with corrections mixed in — disburse, repay, a late (back-dated) repayment, reverse
// a repayment, write off, recover, a savings meeting and its reversal, a dues payment and its
// reversal, a hụi round paid out, a hụi payment, and the reversal of either — and after every step every named check of `soquy check` holds. The test keeps its
// own model of what survives: at the end every loan is replayed, in date order and with only its
// surviving receipts, into a fresh database that never saw a correction, and its position as of
// several dates (and the fund's 2111/7021/7022 balances) must equal the corrected database's.
// Refused operations (kBadInput: a late receipt across a write-off, a reversal whose later
// events forbid it) must leave the journal unchanged.
//
// Seeds: 1..kSeeds, or SOQUY_MODEL_SEED=N for one (a failure prints its seed and step).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "soquy/checks.h"
#include "soquy/corrections.h"
#include "soquy/dues.h"
#include "soquy/ledger.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "soquy/rosca.h"
#include "soquy/savings.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;

constexpr int kSeeds = 6;
constexpr int kSteps = 70;
const char* const kMembers[] = {"M1", "M2", "M3", "M4"};

struct Receipt {
  Date on;
  Money amount;
  int seq = 0;          // recording order, for same-date receipts
  std::string client;   // the entry's client id
  bool reversed = false;
};

struct ModelLoan {
  std::string code, member;
  Date disbursed;
  Money amount;
  std::vector<Receipt> receipts;
  std::optional<Date> written_off;
  std::vector<std::pair<Date, Money>> recoveries;
};

// A small book: one commune, four members in a credit group and a savings group, capital, two
// loan products (one with a penalty), dues of 2,000 a month billed Jan–Jun 2026.
void set_up_books(Ledger& ledger, bool with_groups) {
  Registry reg(ledger);
  const Date d = day(2020, 1, 1);
  ASSERT_TRUE(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
  ASSERT_TRUE(reg.add_unit({"C1", "An Trường", UnitKind::kCommune, "P", d}));
  ASSERT_TRUE(reg.add_group({"G1", "Tổ vay vốn 1", GroupKind::kCredit, "C1", "", d}));
  int n = 0;
  for (const char* id : kMembers) {
    MemberSpec s;
    s.id = id;
    s.name = std::string("Nguyễn Thị ") + id;
    s.national_id = fmt::format("08418500000{}", ++n);
    s.unit = "C1";
    s.group = "G1";
    s.born = day(1980, 3, 1);  // a hụi's members must be of age (Decree 19/2019)
    s.joined = d;
    ASSERT_TRUE(reg.add_member(s));
  }
  LoanBook book(ledger);
  ASSERT_TRUE(book.deposit(Money(500'000'000), day(2025, 12, 1), "Vốn tỉnh cấp", "cap-1"));
  LoanProduct a;
  a.code = "A";
  a.rate = *Rate::parse("1%/month");
  a.installments = 6;
  ASSERT_TRUE(book.add_product(a));
  LoanProduct b = a;
  b.code = "B";
  b.method = RepaymentMethod::kEqualPrincipal;
  b.penalty_rate = *Rate::parse("3%/month");
  ASSERT_TRUE(book.add_product(b));
  if (!with_groups) return;
  ASSERT_TRUE(reg.add_group({"S1", "Tổ tiết kiệm 1", GroupKind::kSavings, "C1", "", d}));
  for (const char* id : kMembers) ASSERT_TRUE(reg.join_group("S1", id, d));
  Savings sv(ledger);
  SavingsRules rules;
  rules.share_price = Money(10'000);
  ASSERT_TRUE(sv.set_rules("S1", rules));
  MemberSpec holder;
  holder.id = "H0";
  holder.name = "Lê Thị Chủ Hụi";
  holder.national_id = "084185000099";
  holder.unit = "C1";
  holder.born = day(1975, 6, 1);
  holder.joined = d;
  ASSERT_TRUE(reg.add_member(holder));
  RoscaSpec hui;
  hui.group = "H1";
  hui.unit = "C1";
  hui.holder = "H0";
  hui.contribution = Money(100'000);
  hui.start = day(2026, 1, 5);
  hui.kind = RoscaKind::kFixed;
  hui.shares = {"M1", "M2", "M3", "M4"};
  auto created = Rosca(ledger).create(hui);
  ASSERT_TRUE(created) << created.error().message();
  Dues dues(ledger);
  ASSERT_TRUE(dues.set_rate(Money(2'000), *Period::parse("2026-01")));
  for (int m = 1; m <= 6; ++m) ASSERT_TRUE(dues.bill(*Period::parse(fmt::format("2026-{:02}", m))));
}

class Model {
 public:
  Model(Ledger& ledger, std::uint64_t seed) : ledger_(ledger), rng_(seed) {}

  void step(int i) {
    step_ = i;
    const auto before = entry_count();
    const int op = pick(100);
    bool done = false;
    if (op < 14) done = disburse();
    else if (op < 38) done = repay(false);
    else if (op < 50) done = repay(true);
    else if (op < 64) done = reverse_receipt();
    else if (op < 68) done = write_off();
    else if (op < 72) done = recover();
    else if (op < 82) done = meeting();
    else if (op < 87) done = reverse_meeting();
    else if (op < 91) done = pay_dues();
    else if (op < 93) done = reverse_dues();
    else if (op < 95) done = open_and_pay_out_hui();
    else if (op < 98) done = pay_hui();
    else done = reverse_hui();
    if (!done) {
      EXPECT_EQ(entry_count(), before) << where() << ": a refused operation wrote entries";
    }
    if (done) ++done_[last_op_];
    auto checks = run_checks(ledger_, std::nullopt);
    ASSERT_TRUE(checks) << where() << checks.error().message();
    for (const auto& c : checks->checks) {
      EXPECT_TRUE(c.ok()) << where() << ": check " << c.name << " fails after " << last_op_
                          << (c.differences.empty() ? "" : ": " + c.differences[0].record)
                          << (c.problems.empty() ? "" : ": " + c.problems[0]);
    }
  }

  const std::map<std::string, ModelLoan>& loans() const { return loans_; }
  const std::map<std::string, int>& done() const { return done_; }

 private:
  std::string where() const { return fmt::format("step {}", step_); }
  int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
  Date some_day_after(Date d, int max_days) { return d.add_days(1 + pick(max_days)); }
  std::int64_t entry_count() {
    std::int64_t n = 0;
    EXPECT_TRUE(ledger_.for_each_entry([&](const Entry&) { ++n; }));
    return n;
  }
  ModelLoan* random_loan(bool open_only) {
    std::vector<ModelLoan*> c;
    for (auto& [k, l] : loans_)
      if (!open_only || !l.written_off) c.push_back(&l);
    return c.empty() ? nullptr : c[static_cast<std::size_t>(pick(static_cast<int>(c.size())))];
  }
  Date latest_event(const ModelLoan& l) const {
    Date d = l.disbursed;
    for (const auto& r : l.receipts)
      if (!r.reversed) d = std::max(d, r.on);
    if (l.written_off) d = std::max(d, *l.written_off);
    for (const auto& [on, a] : l.recoveries) d = std::max(d, on);
    return d;
  }

  bool disburse() {
    last_op_ = "disburse";
    ModelLoan l;
    l.code = fmt::format("L{}", ++loan_no_);
    l.member = kMembers[pick(4)];
    l.disbursed = day(2026, 1, 1).add_days(pick(60));
    l.amount = Money(1'000'000 * (1 + pick(8)));
    DisburseRequest r{l.code, l.member, pick(2) ? "A" : "B", "G1", l.amount, l.disbursed, ""};
    auto d = LoanBook(ledger_).disburse(r);
    if (!d) {
      EXPECT_EQ(d.error().kind(), ErrorKind::kBadInput) << where() << d.error().message();
      return false;
    }
    loans_[l.code] = l;
    return true;
  }

  bool repay(bool late) {
    last_op_ = late ? "late repay" : "repay";
    ModelLoan* l = random_loan(true);
    if (!l) return false;
    const Date last = latest_event(*l);
    Date on = late && last > l->disbursed ? l->disbursed.add_days(1 + pick(static_cast<int>(last.days_since(l->disbursed))))
                                          : some_day_after(last, 40);
    Money amount(100'000 * (1 + pick(12)));
    const std::string client = fmt::format("R{}", ++receipt_no_);
    auto r = LoanBook(ledger_).repay(l->code, amount, Money(0), on, client, /*prepay=*/true);
    if (!r) {
      EXPECT_EQ(r.error().kind(), ErrorKind::kBadInput) << where() << " " << last_op_ << ": " << r.error().message();
      return false;
    }
    l->receipts.push_back(Receipt{on, amount, receipt_no_, r->entry.client_id});
    return true;
  }

  bool reverse_receipt() {
    last_op_ = "reverse a repayment";
    ModelLoan* l = random_loan(false);
    if (!l) return false;
    std::vector<Receipt*> live;
    for (auto& r : l->receipts)
      if (!r.reversed) live.push_back(&r);
    if (live.empty()) return false;
    Receipt* r = live[static_cast<std::size_t>(pick(static_cast<int>(live.size())))];
    auto c = reverse_entry(ledger_, ReversalAsk{r->client, std::nullopt, "nhập nhầm (model)", ""});
    if (!c) {
      EXPECT_EQ(c.error().kind(), ErrorKind::kBadInput) << where() << ": " << c.error().message();
      return false;
    }
    r->reversed = true;
    return true;
  }

  bool write_off() {
    last_op_ = "write off";
    ModelLoan* l = random_loan(true);
    if (!l) return false;
    const Date on = some_day_after(latest_event(*l), 90);
    auto w = LoanBook(ledger_).writeoff(l->code, on, "không có khả năng trả");
    if (!w) return false;
    l->written_off = on;
    return true;
  }

  bool recover() {
    last_op_ = "recover";
    std::vector<ModelLoan*> c;
    for (auto& [k, l] : loans_)
      if (l.written_off) c.push_back(&l);
    if (c.empty()) return false;
    ModelLoan* l = c[static_cast<std::size_t>(pick(static_cast<int>(c.size())))];
    const Date on = some_day_after(latest_event(*l), 30);
    const Money amount(50'000 * (1 + pick(10)));
    auto r = LoanBook(ledger_).recover(l->code, amount, on, fmt::format("T{}", ++receipt_no_));
    if (!r) return false;
    l->recoveries.emplace_back(on, amount);
    return true;
  }

  bool meeting() {
    last_op_ = "savings meeting";
    const Date on = meetings_.empty() ? day(2026, 1, 5) : some_day_after(meetings_.back().first, 30);
    std::vector<MeetingLine> lines;
    for (const char* m : kMembers) {
      MeetingLine line;
      line.member = m;
      line.shares = pick(4);
      lines.push_back(line);
    }
    auto r = Savings(ledger_).record_meeting("S1", on, lines);
    if (!r) return false;
    meetings_.emplace_back(on, fmt::format("savings/S1/meeting/{}", on.to_iso()));
    return true;
  }

  bool reverse_meeting() {
    last_op_ = "reverse a savings meeting";
    if (meetings_.empty()) return false;
    const auto i = static_cast<std::size_t>(pick(static_cast<int>(meetings_.size())));
    auto e = ledger_.entry(meetings_[i].second);
    if (!e) return false;
    auto c = reverse_entry(ledger_, ReversalAsk{fmt::format("#{}", e->id), std::nullopt, "ghi sai buổi họp", ""});
    if (!c) {
      EXPECT_EQ(c.error().kind(), ErrorKind::kBadInput) << where() << ": " << c.error().message();
      return false;
    }
    meetings_.erase(meetings_.begin() + static_cast<std::ptrdiff_t>(i));
    return true;
  }

  bool pay_dues() {
    last_op_ = "pay dues";
    const std::string receipt = fmt::format("HP{}", ++receipt_no_);
    auto p = Dues(ledger_).pay(kMembers[pick(4)], Money(2'000 * (1 + pick(3))), day(2026, 6, 1).add_days(pick(20)),
                               receipt);
    if (!p) return false;
    dues_.push_back("dues:pay:" + receipt);
    return true;
  }

  bool reverse_dues() {
    last_op_ = "reverse a dues payment";
    if (dues_.empty()) return false;
    const auto i = static_cast<std::size_t>(pick(static_cast<int>(dues_.size())));
    auto c = reverse_entry(ledger_, ReversalAsk{dues_[i], std::nullopt, "thu nhầm hội phí", ""});
    if (!c) {
      EXPECT_EQ(c.error().kind(), ErrorKind::kBadInput) << where() << ": " << c.error().message();
      return false;
    }
    dues_.erase(dues_.begin() + static_cast<std::ptrdiff_t>(i));
    return true;
  }

  bool open_and_pay_out_hui() {
    last_op_ = "hụi round";
    const Date on = some_day_after(hui_last_, 20);
    RoscaOpenSpec o;
    o.round = ++hui_round_;
    o.date = on;
    Rosca rosca(ledger_);
    if (!rosca.open("H1", o)) {
      --hui_round_;
      return false;
    }
    hui_last_ = on;
    const std::string receipt = fmt::format("PC{}", ++receipt_no_);
    auto p = rosca.payout("H1", o.round, on, receipt, /*advance=*/true);
    EXPECT_TRUE(p) << where() << ": " << (p ? "" : p.error().message());
    if (p) hui_.push_back("rosca/H1/" + receipt);
    return true;
  }

  bool pay_hui() {
    last_op_ = "hụi payment";
    if (hui_round_ == 0) return false;
    const Date on = some_day_after(hui_last_, 5);
    const std::string receipt = fmt::format("PT{}", ++receipt_no_);
    auto p = Rosca(ledger_).pay("H1", kMembers[pick(4)], Money(100'000), on, receipt);
    if (!p) return false;
    hui_last_ = on;
    hui_.push_back("rosca/H1/" + receipt);
    return true;
  }

  bool reverse_hui() {
    last_op_ = "reverse a hụi payment or payout";
    if (hui_.empty()) return false;
    const auto i = static_cast<std::size_t>(pick(static_cast<int>(hui_.size())));
    auto c = reverse_entry(ledger_, ReversalAsk{hui_[i], std::nullopt, "ghi nhầm tiền hụi", ""});
    if (!c) {
      EXPECT_EQ(c.error().kind(), ErrorKind::kBadInput) << where() << ": " << c.error().message();
      return false;
    }
    hui_.erase(hui_.begin() + static_cast<std::ptrdiff_t>(i));
    return true;
  }

  Ledger& ledger_;
  std::mt19937_64 rng_;
  std::vector<std::string> hui_;  // client ids of the hụi's payments and payouts that stand
  Date hui_last_ = day(2026, 1, 5);
  int hui_round_ = 0;
  std::map<std::string, ModelLoan> loans_;
  std::vector<std::pair<Date, std::string>> meetings_;
  std::vector<std::string> dues_;
  std::map<std::string, int> done_;  // operations that went through, by name
  int loan_no_ = 0, receipt_no_ = 0, step_ = 0;
  std::string last_op_;
};

// The loans of the model written into `fresh` as if nothing had ever been corrected: each loan's
// surviving events in date order (recording order within a day).
void replay(Ledger& fresh, const Model& model) {
  LoanBook book(fresh);
  struct Event {
    Date on;
    int order;
    std::function<void()> run;
  };
  for (const auto& [code, l] : model.loans()) {
    std::vector<Event> events;
    const auto* lp = &l;
    for (const auto& r : l.receipts) {
      if (r.reversed) continue;
      events.push_back({r.on, r.seq, [&book, lp, r] {
                          auto p = book.repay(lp->code, r.amount, Money(0), r.on, r.client + "-replay", /*prepay=*/true);
                          ASSERT_TRUE(p) << lp->code << " " << r.on << ": " << p.error().message();
                        }});
    }
    if (l.written_off)
      events.push_back({*l.written_off, 1 << 30, [&book, lp] { ASSERT_TRUE(book.writeoff(lp->code, *lp->written_off, "")); }});
    int k = 1 << 29;
    for (const auto& [on, amount] : l.recoveries)
      events.push_back({on, ++k, [&book, lp, on = on, amount = amount] {
                          ASSERT_TRUE(book.recover(lp->code, amount, on, ""));
                        }});
    std::stable_sort(events.begin(), events.end(),
                     [](const Event& a, const Event& b) { return a.on != b.on ? a.on < b.on : a.order < b.order; });
    for (auto& e : events) e.run();
  }
}

std::uint64_t seed_from_env() {
  const char* s = std::getenv("SOQUY_MODEL_SEED");
  return s ? std::strtoull(s, nullptr, 10) : 0;
}

TEST(CorrectionsModel, EveryCheckHoldsAfterEveryStepAndCorrectionsEqualACleanReplay) {
  const std::uint64_t only = seed_from_env();
  std::map<std::string, int> done;
  for (std::uint64_t seed = only ? only : 1; seed <= (only ? only : kSeeds); ++seed) {
    SCOPED_TRACE(fmt::format("seed {} (SOQUY_MODEL_SEED={} reruns it)", seed, seed));
    test_support::TestDb model_db("model.db"), fresh_db("fresh.db");
    auto l = model_db.create();
    ASSERT_TRUE(l);
    set_up_books(**l, true);
    Model model(**l, seed);
    for (int i = 1; i <= kSteps && !::testing::Test::HasFailure(); ++i) model.step(i);
    if (::testing::Test::HasFailure()) return;
    for (const auto& [op, n] : model.done()) done[op] += n;
    // The clean replay: only loans, whose positions are what the issue asks to compare.
    auto f = fresh_db.create();
    ASSERT_TRUE(f);
    set_up_books(**f, false);
    // The fresh book disburses the same loans with the same products.
    LoanBook corrected(**l), clean(**f);
    for (const auto& [code, ml] : model.loans()) {
      auto loan = corrected.loan(code);
      ASSERT_TRUE(loan);
      DisburseRequest r{code, ml.member, loan->product, "G1", ml.amount, ml.disbursed, ""};
      ASSERT_TRUE(clean.disburse(r)) << code;
    }
    replay(**f, model);
    for (const Date as_of : {day(2026, 2, 1), day(2026, 3, 15), day(2026, 5, 1), day(2026, 8, 1), day(2027, 1, 1)}) {
      for (const auto& [code, ml] : model.loans()) {
        if (as_of < ml.disbursed) continue;
        auto a = corrected.snapshot(code, as_of);
        auto b = clean.snapshot(code, as_of);
        ASSERT_TRUE(a) << code << " as of " << as_of << ": " << a.error().message();
        ASSERT_TRUE(b) << code << " as of " << as_of << ": " << b.error().message();
        const auto &pa = a->position, &pb = b->position;
        EXPECT_EQ(pa.principal_paid, pb.principal_paid) << code << " as of " << as_of;
        EXPECT_EQ(pa.interest_paid, pb.interest_paid) << code << " as of " << as_of;
        EXPECT_EQ(pa.penalty_paid, pb.penalty_paid) << code << " as of " << as_of;
        EXPECT_EQ(pa.overpayment, pb.overpayment) << code << " as of " << as_of;
        EXPECT_EQ(pa.days_past_due, pb.days_past_due) << code << " as of " << as_of;
        EXPECT_EQ(a->status, b->status) << code << " as of " << as_of;
      }
      for (const char* account : {"2111", "7021", "7022", "4591", "2191", "7900"}) {
        auto x = (*l)->balance("fund", account, as_of);
        auto y = (*f)->balance("fund", account, as_of);
        ASSERT_TRUE(x && y);
        EXPECT_EQ(*x, *y) << account << " as of " << as_of;
      }
    }
  }
  // The runs did correct things: every kind of correction went through at least once.
  if (only) return;
  for (const char* op : {"late repay", "reverse a repayment", "reverse a savings meeting", "reverse a dues payment",
                         "write off", "recover", "hụi round", "hụi payment", "reverse a hụi payment or payout"})
    EXPECT_GT(done[op], 0) << op << " never went through in " << kSeeds << " seeds";
}

}  // namespace
}  // namespace soquy
