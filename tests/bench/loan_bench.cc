// soquy — the fund-loan benchmark of issue 4 (item 10). Run by hand, never in CI: the network
// database takes minutes to generate and about 2 GB of disk. CMake builds it so it keeps compiling.
//
//   soquy_loan_bench [--loans 100000,1000000] [--workdir DIR] [--keep] [--runs R] [--soquy PATH]
//                    [--seed S]
//   soquy_loan_bench --help
//
// For each size N it:
//  1. generates a database (a child process: `generate`): a province tree, N/2 members in credit
//     groups of 40, 26 products (flat 0.65 %/month and declining 0.7 %/month with a 1.5 %/month
//     penalty, 12 to 24 monthly instalments), N loans disbursed over the two years before
//     2026-11-28 with their repayments up to that day: 80 % paid on the due date, 10 % late by
//     1 to 40 days, 6 % paying 60 % of each instalment, 4 % stopping after some instalments.
//     Products, units and one capital deposit and one disbursement entry go through the
//     library (Registry, LoanBook, Ledger::post); members, groups, loans and loan_events are
//     written with SQL in one transaction, because 1,000,000 loans and ~12,000,000 repayments
//     through LoanBook::disburse/repay (one journal entry each) would take hours. The report
//     reads only loans and loan_events (and the registry's codes), so it sees what it would
//     see after the real commands; every loan's entry_id is the one disbursement entry and
//     repayments carry no entry. Schedules are built with build_schedule (the amounts once per
//     method, principal and term, the due dates with due_date) and stored in the loans' own
//     encoding (encode_schedule, loan_schedule_codec.h); repayment splits come from
//     allocate(), as LoanBook::repay records them.
//  2. verifies a sample of 100 loans through LoanBook: the stored schedule is build_schedule's,
//     and LoanBook::snapshot on both dates equals loan_position() recomputed from the
//     generator's own terms and payments.
//  3. times (a child process: `measure`, so its max RSS is its own) "report overdue" in process:
//     LoanBook::for_each_snapshot + a summarize-style accumulation (totals, buckets, classes
//     with provisions, PAR1/30/90) as of 2026-11-28 and as of 2025-11-28, best and median of R
//     runs; and LoanBook::collection_sheet of one group on 2026-11-20.
//  4. if the soquy binary has `report overdue` (and `collection-sheet`), times the whole process
//     `soquy --db DB report overdue --as-of D --format json >/dev/null` on both dates and
//     `soquy --db DB collection-sheet --group G --date 2026-11-20 >/dev/null`, R runs each, with
//     their max RSS (wait4, the figure /usr/bin/time -v prints).
// At the end it prints the targets of the issue (MET/MISSED, on the processes' medians) and the
// linearity: the time ratio between the largest and the smallest size against the loans ratio.
// Figures are integers: times in ms (from ns, integer division), ratios in hundredths.
#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "change_log.h"
#include "loan_schedule_codec.h"  // the loans' own storage encoding (ledger/domains/loans/storage)
#include "soquy/civil_date.h"
#include "soquy/ledger.h"
#include "soquy/loan_schedule.h"
#include "soquy/loan_status.h"
#include "soquy/loans.h"
#include "soquy/registry.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::int64_t;
using namespace soquy;

const Date kToday = *Date::from_ymd(2026, 11, 28);
const Date kYearBack = *Date::from_ymd(2025, 11, 28);
const Date kSheetDate = *Date::from_ymd(2026, 11, 20);
constexpr int64_t kGroupSize = 40;
constexpr int64_t kSample = 100;

[[noreturn]] void die(const std::string& what) {
  std::cerr << "loan_bench: " << what << "\n";
  std::exit(2);
}

template <class T>
T must(Result<T> r, std::string_view what) {
  if (!r) die(fmt::format("{}: {}", what, r.error().message()));
  return std::move(*r);
}
void must(Result<void> r, std::string_view what) {
  if (!r) die(fmt::format("{}: {}", what, r.error().message()));
}

// splitmix64: the same data on every machine.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int64_t pick(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
};

int64_t ns_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
}
std::string ms(int64_t ns) { return fmt::format("{}.{:03}", ns / 1'000'000, (ns / 1'000) % 1'000); }
// a / b in hundredths ("9.87").
std::string ratio(int64_t a, int64_t b) {
  if (b == 0) return "-";
  const int64_t h = (a * 100 + b / 2) / b;
  return fmt::format("{}.{:02}", h / 100, h % 100);
}

// ---- the generator's loans -----------------------------------------------------------------

struct Product {
  std::string code;
  RepaymentMethod method;
  Rate rate;
  int n;
  std::optional<Rate> penalty;
};

std::vector<Product> products() {
  std::vector<Product> out;
  for (int n = 12; n <= 24; ++n) {
    out.push_back({fmt::format("BF{}", n), RepaymentMethod::kFlat, *Rate::parse("0.65%/month"), n, std::nullopt});
    out.push_back({fmt::format("BD{}", n), RepaymentMethod::kEqualPrincipal, *Rate::parse("0.7%/month"), n,
                   *Rate::parse("1.5%/month")});
  }
  return out;
}

struct GenLoan {
  int64_t index = 0;
  std::size_t product = 0;
  int64_t principal = 0;
  Date disbursed_on;
  std::vector<Payment> payments;
};

// Draws loan `i` (its terms and repayments up to kToday) from the generator.
GenLoan draw_loan(Rng& rng, int64_t i,
                  const std::function<const LoanSchedule&(std::size_t, int64_t, Date)>& schedule_of) {
  GenLoan g;
  g.index = i;
  const int64_t n = rng.pick(12, 24);
  const bool declining = rng.pick(0, 99) < 40;
  g.product = static_cast<std::size_t>((n - 12) * 2 + (declining ? 1 : 0));
  g.principal = rng.pick(5, 30) * 1'000'000;
  g.disbursed_on = kToday.add_days(-rng.pick(1, 730));
  const LoanSchedule& s = schedule_of(g.product, g.principal, g.disbursed_on);
  const int64_t behaviour = rng.pick(0, 99);
  const int64_t stop_at = rng.pick(1, n - 1);
  for (std::size_t k = 0; k < s.installments.size(); ++k) {
    const auto& inst = s.installments[k];
    Date on = inst.due_on;
    Money amount = inst.total;
    if (behaviour < 80) {
    } else if (behaviour < 90) {
      on = on.add_days(rng.pick(1, 40));
    } else if (behaviour < 96) {
      amount = Money(inst.total.minor_units() * 6 / 10 / 1000 * 1000);
    } else if (static_cast<int64_t>(k) >= stop_at) {
      break;
    }
    if (on > kToday) break;
    g.payments.push_back(Payment{on, amount});
  }
  std::stable_sort(g.payments.begin(), g.payments.end(),
                   [](const Payment& a, const Payment& b) { return a.paid_on < b.paid_on; });
  return g;
}

LoanTerms terms_of(const Product& p, int64_t principal, Date on) {
  LoanTerms t;
  t.principal = Money(principal);
  t.rate = p.rate;
  t.installments = p.n;
  t.method = p.method;
  t.frequency = Frequency::kMonthly;
  t.disbursed_on = on;
  return t;
}

// Schedules by (product, principal): amounts do not depend on the date, due dates do.
class Schedules {
 public:
  explicit Schedules(const std::vector<Product>& ps) : ps_(ps) {}
  const LoanSchedule& of(std::size_t product, int64_t principal, Date on) {
    auto key = std::make_pair(product, principal);
    auto it = cache_.find(key);
    if (it == cache_.end())
      it = cache_.emplace(key, must(build_schedule(terms_of(ps_[product], principal, kToday)), "build_schedule")).first;
    current_ = it->second;
    for (auto& inst : current_.installments) inst.due_on = due_date(on, Frequency::kMonthly, inst.n);
    return current_;
  }

 private:
  const std::vector<Product>& ps_;
  std::map<std::pair<std::size_t, int64_t>, LoanSchedule> cache_;
  LoanSchedule current_;
};

struct Db {
  sqlite3* db = nullptr;
  explicit Db(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) die("cannot open " + path);
  }
  ~Db() { sqlite3_close(db); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) die(fmt::format("{}: {}", sql, err));
  }
  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) die(fmt::format("{}: {}", sql, sqlite3_errmsg(db)));
    return s;
  }
  void step(sqlite3_stmt* s) {
    if (sqlite3_step(s) != SQLITE_DONE) die(fmt::format("insert: {}", sqlite3_errmsg(db)));
    sqlite3_reset(s);
  }
  int64_t single(const std::string& sql) {
    auto* s = prepare(sql);
    int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return v;
  }
};

void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

constexpr int64_t kCommunes = 100;

int generate(const std::string& path, int64_t loans, std::uint64_t seed) {
  const auto t0 = Clock::now();
  const auto ps = products();
  const int64_t members = std::max<int64_t>(loans / 2, kGroupSize);
  {
    auto ledger = must(Ledger::create(path, "admin"), "create");
    Registry reg(*ledger);
    LoanBook book(*ledger);
    const Date from = *Date::from_ymd(2020, 1, 1);
    must(reg.add_unit({"BT", "Tỉnh Bến Tre (bench)", UnitKind::kProvince, "", from}), "unit");
    for (int64_t c = 0; c < kCommunes; ++c)
      must(reg.add_unit({fmt::format("X{:03}", c), fmt::format("Xã {}", c), UnitKind::kCommune, "BT", from}), "unit");
    for (const auto& p : ps) {
      LoanProduct lp;
      lp.code = p.code;
      lp.method = p.method;
      lp.rate = p.rate;
      lp.installments = p.n;
      lp.penalty_rate = p.penalty;
      must(book.add_product(lp), "product");
    }
    must(book.deposit(Money(int64_t{40'000'000'000'000}), *Date::from_ymd(2024, 11, 1), "Vốn (bench)", "bench-capital"),
         "deposit");
    EntryDraft d{"fund", *Date::from_ymd(2024, 11, 2), "Giải ngân (bench: every loan)", "bench-disburse",
                 {Posting{"2111", Money(int64_t{20'000'000'000'000})}, Posting{"1011", Money(int64_t{-20'000'000'000'000})}}, std::nullopt};
    must(ledger->post(d), "post");
  }
  Db db(path);
  // The loan tables are logged by the change log's triggers (schema 12), which call soquy's SQL
  // functions: this raw connection registers them, so what it writes is logged as soquy would.
  static const std::string actor = "bench";
  change_log::register_functions(db.db, &actor);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = OFF");
  db.exec("BEGIN");
  const int64_t entry_id = db.single("SELECT id FROM entries WHERE client_id = 'bench-disburse'");
  std::vector<int64_t> unit_ids;
  {
    auto* q = db.prepare("SELECT id FROM units WHERE kind = 'commune' ORDER BY code");
    while (sqlite3_step(q) == SQLITE_ROW) unit_ids.push_back(sqlite3_column_int64(q, 0));
    sqlite3_finalize(q);
  }
  std::vector<int64_t> product_ids;
  for (const auto& p : ps) product_ids.push_back(db.single(fmt::format("SELECT id FROM loan_products WHERE code = '{}'", p.code)));
  auto* ins_member = db.prepare(
      "INSERT INTO members (id, code, name, unit_id, ethnicity, joined) VALUES (?, ?, ?, ?, ?, '2020-01-01')");
  auto* ins_group = db.prepare(
      "INSERT INTO groups (id, code, name, kind, unit_id, leader_id, created_on) VALUES (?, ?, ?, 'credit', ?, ?, "
      "'2020-01-01')");
  auto* ins_gm = db.prepare("INSERT INTO group_members (group_id, member_id, joined_on) VALUES (?, ?, '2020-01-01')");
  const char* ethnicities[] = {"Kinh", "Kinh", "Kinh", "Khmer", "Hoa"};
  for (int64_t m = 1; m <= members; ++m) {
    const int64_t group = (m - 1) / kGroupSize + 1;
    const int64_t unit = unit_ids[static_cast<std::size_t>(group % kCommunes)];
    if ((m - 1) % kGroupSize == 0) {
      // The group first (its leader is this member, inserted right after: FKs are off here).
      sqlite3_bind_int64(ins_group, 1, group);
      bind_text(ins_group, 2, fmt::format("G{:06}", group));
      bind_text(ins_group, 3, fmt::format("Tổ vay vốn {}", group));
      sqlite3_bind_int64(ins_group, 4, unit);
      sqlite3_bind_int64(ins_group, 5, m);
      db.step(ins_group);
    }
    sqlite3_bind_int64(ins_member, 1, m);
    bind_text(ins_member, 2, fmt::format("M{:07}", m));
    bind_text(ins_member, 3, fmt::format("Hội viên {}", m));
    sqlite3_bind_int64(ins_member, 4, unit);
    bind_text(ins_member, 5, ethnicities[m % 5]);
    db.step(ins_member);
    sqlite3_bind_int64(ins_gm, 1, group);
    sqlite3_bind_int64(ins_gm, 2, m);
    db.step(ins_gm);
  }
  auto* ins_loan = db.prepare(
      "INSERT INTO loans (id, code, member_id, group_id, product_id, principal, method, rate, installments, frequency, "
      "grace, savings_rate, penalty_rate, allocation_order, disbursed_on, schedule, entry_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'monthly', 0, NULL, ?, 'penalty,interest,principal', ?, ?, ?)");
  auto* ins_event = db.prepare(
      "INSERT INTO loan_events (loan_id, kind, on_date, amount, principal, interest, penalty, overpayment) "
      "VALUES (?, 'repay', ?, ?, ?, ?, ?, ?)");
  Rng rng{seed};
  Schedules schedules(ps);
  int64_t events = 0;
  for (int64_t i = 1; i <= loans; ++i) {
    GenLoan g = draw_loan(rng, i, [&](std::size_t p, int64_t a, Date on) -> const LoanSchedule& {
      return schedules.of(p, a, on);
    });
    const Product& p = ps[g.product];
    const LoanSchedule& s = schedules.of(g.product, g.principal, g.disbursed_on);
    const int64_t member = (i - 1) % members + 1;
    sqlite3_bind_int64(ins_loan, 1, i);
    bind_text(ins_loan, 2, fmt::format("L{:07}", i));
    sqlite3_bind_int64(ins_loan, 3, member);
    sqlite3_bind_int64(ins_loan, 4, (member - 1) / kGroupSize + 1);
    sqlite3_bind_int64(ins_loan, 5, product_ids[g.product]);
    sqlite3_bind_int64(ins_loan, 6, g.principal);
    bind_text(ins_loan, 7, std::string(to_string(p.method)));
    bind_text(ins_loan, 8, p.rate.to_string());
    sqlite3_bind_int(ins_loan, 9, p.n);
    if (p.penalty) bind_text(ins_loan, 10, p.penalty->to_string());
    else sqlite3_bind_null(ins_loan, 10);
    bind_text(ins_loan, 11, g.disbursed_on.to_iso());
    bind_text(ins_loan, 12, encode_schedule(s));
    sqlite3_bind_int64(ins_loan, 13, entry_id);
    db.step(ins_loan);
    if (g.payments.empty()) continue;
    AllocationOptions o;
    o.penalty_rate = p.penalty;
    auto a = must(allocate(s, g.payments, o), "allocate");
    for (const auto& split : a.payments) {
      sqlite3_bind_int64(ins_event, 1, i);
      bind_text(ins_event, 2, split.paid_on.to_iso());
      sqlite3_bind_int64(ins_event, 3, split.amount.minor_units());
      sqlite3_bind_int64(ins_event, 4, split.principal.minor_units());
      sqlite3_bind_int64(ins_event, 5, split.interest.minor_units());
      sqlite3_bind_int64(ins_event, 6, split.penalty.minor_units());
      sqlite3_bind_int64(ins_event, 7, split.overpayment.minor_units());
      db.step(ins_event);
      ++events;
    }
  }
  for (auto* s : {ins_member, ins_group, ins_gm, ins_loan, ins_event}) sqlite3_finalize(s);
  db.exec("COMMIT");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.exec("ANALYZE");
  std::cout << fmt::format("generated {} loans, {} repayments, {} members, {} groups in {} s ({} MB)\n", loans, events,
                           members, (members + kGroupSize - 1) / kGroupSize, ns_since(t0) / 1'000'000'000,
                           fs::file_size(path) / 1'000'000);
  return 0;
}

// ---- verification of a sample through LoanBook ---------------------------------------------

bool same(const LoanPosition& a, const LoanPosition& b) {
  return a.outstanding_principal == b.outstanding_principal && a.overdue_principal == b.overdue_principal &&
         a.overdue_interest == b.overdue_interest && a.overdue_penalty == b.overdue_penalty &&
         a.days_past_due == b.days_past_due && a.principal_paid == b.principal_paid &&
         a.interest_paid == b.interest_paid && a.penalty_paid == b.penalty_paid && a.overpayment == b.overpayment;
}

int verify(const std::string& path, int64_t loans, std::uint64_t seed) {
  auto ledger = must(Ledger::open(path, Ledger::Access::kReadOnly), "open");
  LoanBook book(*ledger);
  const auto ps = products();
  Rng rng{seed};
  Schedules schedules(ps);
  const int64_t step = std::max<int64_t>(loans / kSample, 1);
  int64_t checked = 0, bad = 0;
  for (int64_t i = 1; i <= loans; ++i) {
    GenLoan g = draw_loan(rng, i, [&](std::size_t p, int64_t a, Date on) -> const LoanSchedule& {
      return schedules.of(p, a, on);
    });
    if ((i - 1) % step != 0) continue;
    const Product& p = ps[g.product];
    const std::string code = fmt::format("L{:07}", i);
    // Independently of the generator's cache: build_schedule from the terms.
    const LoanSchedule expect = must(build_schedule(terms_of(p, g.principal, g.disbursed_on)), "build_schedule");
    const Loan stored = must(book.loan(code), "loan");
    bool ok = stored.schedule.installments.size() == expect.installments.size();
    for (std::size_t k = 0; ok && k < expect.installments.size(); ++k) {
      const auto &x = stored.schedule.installments[k], &y = expect.installments[k];
      ok = x.due_on == y.due_on && x.principal == y.principal && x.interest == y.interest;
    }
    for (Date as_of : {kToday, kYearBack}) {
      if (as_of < g.disbursed_on) continue;
      PositionOptions o;
      o.allocation.penalty_rate = p.penalty;
      const LoanPosition want = must(loan_position(expect, g.payments, as_of, o), "loan_position");
      const LoanSnapshot got = must(book.snapshot(code, as_of), "snapshot");
      if (!same(got.position, want)) ok = false;
    }
    ++checked;
    if (!ok) {
      ++bad;
      std::cout << fmt::format("MISMATCH loan {}\n", code);
    }
  }
  std::cout << fmt::format("verified {} sample loans through LoanBook (schedule, snapshot on {} and {}): {}\n", checked,
                           kToday, kYearBack, bad == 0 ? "all equal" : fmt::format("{} DIFFER", bad));
  return bad == 0 ? 0 : 1;
}

// ---- the measurement -----------------------------------------------------------------------

struct Portfolio {
  int64_t loans = 0, active = 0, overdue = 0, frozen = 0, written_off = 0;
  Money outstanding, overdue_principal, overdue_interest, at_risk_1, at_risk_30, at_risk_90, provision;
  int64_t bucket_loans[7] = {};
  Money bucket_outstanding[7];
  int64_t class_loans[5] = {};
  Money class_outstanding[5];
};

Portfolio overdue_report(LoanBook& book, Date as_of) {
  Portfolio p;
  const LoanClassTable table;
  must(book.for_each_snapshot(as_of,
                              [&](const LoanSnapshot& s) {
                                ++p.loans;
                                if (s.status == LoanStatus::kFrozen) ++p.frozen;
                                if (s.status == LoanStatus::kWrittenOff) ++p.written_off;
                                if (s.status != LoanStatus::kActive || !s.open()) return;
                                const LoanPosition& pos = s.position;
                                ++p.active;
                                p.outstanding += pos.outstanding_principal;
                                p.overdue_principal += pos.overdue_principal;
                                p.overdue_interest += pos.overdue_interest;
                                const int64_t dpd = pos.days_past_due;
                                if (dpd > 0) ++p.overdue;
                                if (dpd > 1) p.at_risk_1 += pos.outstanding_principal;
                                if (dpd > 30) p.at_risk_30 += pos.outstanding_principal;
                                if (dpd > 90) p.at_risk_90 += pos.outstanding_principal;
                                const auto b = aging_bucket_index(dpd);
                                ++p.bucket_loans[b];
                                p.bucket_outstanding[b] += pos.outstanding_principal;
                                const auto c = loan_class_index(dpd, table);
                                ++p.class_loans[c];
                                p.class_outstanding[c] += pos.outstanding_principal;
                                p.provision += loan_provision(pos, table);
                              }),
       "for_each_snapshot");
  return p;
}

std::string par(Money at_risk, Money outstanding) {
  if (outstanding.is_zero()) return "0.0000";
  return format_ratio(Rational(at_risk.minor_units(), outstanding.minor_units()));
}

int measure(const std::string& path, int runs) {
  auto ledger = must(Ledger::open(path, Ledger::Access::kReadOnly), "open");
  LoanBook book(*ledger);
  for (Date as_of : {kToday, kYearBack}) {
    std::vector<int64_t> times;
    Portfolio p;
    for (int r = 0; r < runs; ++r) {
      const auto t0 = Clock::now();
      p = overdue_report(book, as_of);
      times.push_back(ns_since(t0));
    }
    std::sort(times.begin(), times.end());
    std::cout << fmt::format(
        "overdue as of {}: {} loans read, {} active ({} overdue), outstanding {} đồng, overdue principal {}, "
        "interest {}, PAR1 {} PAR30 {} PAR90 {}, provision {}\n",
        as_of, p.loans, p.active, p.overdue, p.outstanding.minor_units(), p.overdue_principal.minor_units(),
        p.overdue_interest.minor_units(), par(p.at_risk_1, p.outstanding), par(p.at_risk_30, p.outstanding),
        par(p.at_risk_90, p.outstanding), p.provision.minor_units());
    std::cout << fmt::format("TIME overdue {} best {} ms median {} ms per-loan {} ns\n", as_of, ms(times.front()),
                             ms(times[times.size() / 2]), times.front() / std::max<int64_t>(p.loans, 1));
  }
  // A group in the middle of the database.
  const int64_t groups = [&] {
    Db db(path);
    return db.single("SELECT count(*) FROM groups");
  }();
  const std::string group = fmt::format("G{:06}", groups / 2 + 1);
  std::vector<int64_t> times;
  std::size_t lines = 0;
  for (int r = 0; r < std::max(runs, 5); ++r) {
    const auto t0 = Clock::now();
    auto sheet = must(book.collection_sheet(group, kSheetDate), "collection_sheet");
    times.push_back(ns_since(t0));
    lines = sheet.lines.size();
  }
  std::sort(times.begin(), times.end());
  std::cout << fmt::format("TIME collection-sheet {} on {}: {} lines, best {} ms median {} ms\n", group, kSheetDate,
                           lines, ms(times.front()), ms(times[times.size() / 2]));
  return 0;
}

// ---- processes -----------------------------------------------------------------------------

struct Child {
  int status = -1;
  int64_t wall_ns = 0;
  int64_t max_rss_kb = 0;
};

Child run(const std::vector<std::string>& args, const std::string& stdout_path = "") {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (!stdout_path.empty()) posix_spawn_file_actions_addopen(&fa, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const auto t0 = Clock::now();
  if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) die("cannot run " + args[0]);
  posix_spawn_file_actions_destroy(&fa);
  Child c;
  struct rusage ru{};
  if (wait4(pid, &c.status, 0, &ru) < 0) die("wait4");
  c.wall_ns = ns_since(t0);
  c.max_rss_kb = ru.ru_maxrss;
  return c;
}

bool has_command(const std::string& soquy, const std::vector<std::string>& words) {
  std::vector<std::string> args{soquy};
  args.insert(args.end(), words.begin(), words.end());
  args.push_back("--help");
  return fs::exists(soquy) && run(args, "/dev/null").status == 0;
}

constexpr const char* kUsage =
    "usage: soquy_loan_bench [--loans N[,N...]] [--workdir DIR] [--keep] [--runs R] [--soquy PATH] [--seed S]\n"
    "\n"
    "The fund-loan benchmark of issue 4: for each size N (default 100000,1000000) generate a database of N\n"
    "loans with their repayments up to 2026-11-28 (about 2 GB for 1,000,000), check a sample of 100 loans\n"
    "through LoanBook, then time\n"
    "  - report overdue in process (LoanBook::for_each_snapshot + summary) as of 2026-11-28 and 2025-11-28,\n"
    "  - LoanBook::collection_sheet of one group (the middle one) on 2026-11-20,\n"
    "  - the processes `soquy --db DB report overdue --as-of D --format json` (both dates) and\n"
    "    `soquy --db DB collection-sheet --group G --date 2026-11-20`, with their max RSS,\n"
    "best and median of R runs (default 3), and print the targets MET/MISSED and the linearity\n"
    "(time ratio against loans ratio) between the smallest and the largest size.\n"
    "\n"
    "  --loans N[,N...]  sizes (loans), comma-separated\n"
    "  --workdir DIR     where the databases go (default /tmp/soquy-loan-bench)\n"
    "  --keep            keep the databases (default: delete each after its measurement)\n"
    "  --runs R          timed runs of each measurement (default 3)\n"
    "  --soquy PATH      the soquy binary to time (default: the one built with this benchmark)\n"
    "  --seed S          generator seed (default 20261128)\n";

std::vector<int64_t> parse_sizes(const std::string& text) {
  std::vector<int64_t> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(std::stoll(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string sizes = "100000,1000000", workdir = "/tmp/soquy-loan-bench", soquy;
#ifdef SOQUY_BENCH_SOQUY_BIN
  soquy = SOQUY_BENCH_SOQUY_BIN;
#endif
  bool keep = false;
  int runs = 3;
  std::uint64_t seed = 20261128;
  // Internal modes (run as child processes).
  if (args.size() >= 4 && args[0] == "generate") return generate(args[1], std::stoll(args[2]), std::stoull(args[3]));
  if (args.size() >= 4 && args[0] == "verify") return verify(args[1], std::stoll(args[2]), std::stoull(args[3]));
  if (args.size() >= 3 && args[0] == "measure") return measure(args[1], std::stoi(args[2]));
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) die(args[i] + " needs a value");
      return args[++i];
    };
    if (args[i] == "--help" || args[i] == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (args[i] == "--loans") sizes = value();
    else if (args[i] == "--workdir") workdir = value();
    else if (args[i] == "--soquy") soquy = value();
    else if (args[i] == "--runs") runs = std::stoi(value());
    else if (args[i] == "--seed") seed = std::stoull(value());
    else if (args[i] == "--keep") keep = true;
    else die("unknown option " + args[i] + " (see --help)");
  }
  fs::create_directories(workdir);
  const std::string self = fs::canonical("/proc/self/exe").string();
  const bool cli_overdue = has_command(soquy, {"report", "overdue"});
  const bool cli_sheet = has_command(soquy, {"collection-sheet"});
  std::cout << fmt::format("soquy binary: {} (report overdue: {}, collection-sheet: {})\n", soquy,
                           cli_overdue ? "yes" : "no", cli_sheet ? "yes" : "no");
  struct Figures {
    int64_t today_ns = -1, year_back_ns = -1, overdue_rss_kb = 0, sheet_ns = -1, sheet_rss_kb = 0, measure_rss_kb = 0;
  };
  std::map<int64_t, Figures> figures;  // size → the CLI's medians
  // Runs a command `runs` times: best and median wall time, the largest max RSS, the last exit status.
  struct Timed {
    int status = 0;
    int64_t best_ns = 0, median_ns = 0, max_rss_kb = 0;
  };
  auto timed = [&](const std::vector<std::string>& cmd) {
    Timed t;
    std::vector<int64_t> times;
    for (int r = 0; r < std::max(runs, 1); ++r) {
      auto c = run(cmd, "/dev/null");
      if (c.status != 0) t.status = c.status;
      times.push_back(c.wall_ns);
      t.max_rss_kb = std::max(t.max_rss_kb, c.max_rss_kb);
    }
    std::sort(times.begin(), times.end());
    t.best_ns = times.front();
    t.median_ns = times[times.size() / 2];
    return t;
  };
  for (int64_t n : parse_sizes(sizes)) {
    const std::string db = fmt::format("{}/loans-{}.db", workdir, n);
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
    std::cout << fmt::format("\n== {} loans ==\n", n) << std::flush;
    if (run({self, "generate", db, std::to_string(n), std::to_string(seed)}).status != 0) die("generate failed");
    if (run({self, "verify", db, std::to_string(n), std::to_string(seed)}).status != 0) die("verification failed");
    std::cout << std::flush;
    auto m = run({self, "measure", db, std::to_string(runs)});
    if (m.status != 0) die("measure failed");
    std::cout << fmt::format("measure process: max RSS {} MB (all runs, both dates and the sheet)\n", m.max_rss_kb / 1024);
    Figures& f = figures[n];
    f.measure_rss_kb = m.max_rss_kb;
    if (cli_overdue) {
      for (Date as_of : {kToday, kYearBack}) {
        auto c = timed({soquy, "--db", db, "report", "overdue", "--as-of", as_of.to_iso(), "--format", "json"});
        std::cout << fmt::format(
            "TIME cli report overdue --as-of {} --format json: exit {}, best {} ms, median {} ms wall, max RSS {} MB\n",
            as_of, WEXITSTATUS(c.status), ms(c.best_ns), ms(c.median_ns), c.max_rss_kb / 1024);
        if (c.status != 0) die("soquy report overdue failed");
        (as_of == kToday ? f.today_ns : f.year_back_ns) = c.median_ns;
        f.overdue_rss_kb = std::max(f.overdue_rss_kb, c.max_rss_kb);
      }
    }
    if (cli_sheet) {
      Db handle(db);
      const std::string group = fmt::format("G{:06}", handle.single("SELECT count(*) FROM groups") / 2 + 1);
      auto c = timed({soquy, "--db", db, "collection-sheet", "--group", group, "--date", kSheetDate.to_iso()});
      std::cout << fmt::format("TIME cli collection-sheet --group {} --date {}: exit {}, best {} ms, median {} ms wall, "
                               "max RSS {} MB\n",
                               group, kSheetDate, WEXITSTATUS(c.status), ms(c.best_ns), ms(c.median_ns),
                               c.max_rss_kb / 1024);
      if (c.status != 0) die("soquy collection-sheet failed");
      f.sheet_ns = c.median_ns;
      f.sheet_rss_kb = c.max_rss_kb;
    }
    std::cout << "database: " << fs::file_size(db) / 1'000'000 << " MB\n" << std::flush;
    if (!keep)
      for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
  }
  // The targets of issue 4, item 10, on the CLI's medians (the slower of the two dates).
  std::cout << "\n== targets (medians of the whole soquy process) ==\n";
  auto verdict = [](bool ok) { return ok ? "MET" : "MISSED"; };
  for (const auto& [n, f] : figures) {
    if (f.today_ns < 0) continue;
    const int64_t worst = std::max(f.today_ns, f.year_back_ns);
    if (n == 100'000)
      std::cout << fmt::format("province (100,000 loans) report overdue < 1 s: {} ms: {}\n", ms(worst),
                               verdict(worst < 1'000'000'000));
    if (n == 1'000'000) {
      std::cout << fmt::format("network (1,000,000 loans) report overdue < 10 s: {} ms: {}\n", ms(worst),
                               verdict(worst < 10'000'000'000));
      if (f.sheet_ns >= 0)
        std::cout << fmt::format("network collection-sheet of one group < 50 ms: {} ms: {}\n", ms(f.sheet_ns),
                                 verdict(f.sheet_ns < 50'000'000));
    }
    const int64_t rss = std::max({f.overdue_rss_kb, f.sheet_rss_kb, f.measure_rss_kb});
    std::cout << fmt::format("{} loans: max RSS {} MB (report {} MB, sheet {} MB, in-process {} MB) < 1 GiB: {}\n", n,
                             rss / 1024, f.overdue_rss_kb / 1024, f.sheet_rss_kb / 1024, f.measure_rss_kb / 1024,
                             verdict(rss < 1024 * 1024));
  }
  if (figures.size() >= 2 && figures.begin()->second.today_ns > 0) {
    const auto& [n0, f0] = *figures.begin();
    const auto& [n1, f1] = *std::prev(figures.end());
    std::cout << fmt::format("linearity: {}x the loans took {}x the time as of {} and {}x as of {}", ratio(n1, n0),
                             ratio(f1.today_ns, f0.today_ns), kToday, ratio(f1.year_back_ns, f0.year_back_ns),
                             kYearBack);
    if (f0.sheet_ns > 0 && f1.sheet_ns > 0)
      std::cout << fmt::format("; collection-sheet {}x", ratio(f1.sheet_ns, f0.sheet_ns));
    std::cout << "\n";
  }
  return 0;
}
