#include "soquy/demo_vbsp.h"

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "soquy/demo_registry.h"
#include "soquy/i18n.h"
#include "soquy/names.h"
#include "soquy/registry.h"
#include "soquy/vbsp.h"

namespace soquy {
namespace {

// Uniform integer in [lo, hi], independent of the standard library's distributions (as in the
// other demos), so the commune is the same with every compiler.
std::int64_t pick(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
}
bool chance(std::mt19937_64& rng, std::int64_t percent) { return pick(rng, 0, 99) < percent; }
Date ymd(int y, unsigned m, unsigned d) { return *Date::from_ymd(y, m, d); }
// The session day (the 20th) of the month `index` months after January of year 0.
Date session_of(std::int64_t index) {
  return ymd(static_cast<int>(index / 12), static_cast<unsigned>(index % 12) + 1, 20);
}
std::int64_t month_index(Date d) { return static_cast<std::int64_t>(d.year()) * 12 + d.month() - 1; }

// Hamlets (ấp) of Kim Sơn and of Ngọc Biên, merged into it in 2025.
constexpr std::array<std::string_view, 8> kHamlets{"Sóc Chà A", "Sóc Chà B", "Ba Cụm",  "Trà Sất",
                                                   "Chà Dư",    "Xoài Xiêm", "Sóc Tre", "Trà Tro"};

struct Programme {
  std::string_view code;
  std::int64_t rate;  // per 10,000 a month
  std::int64_t min_millions, max_millions, step_millions;
  std::array<int, 3> terms;  // months
};
// 6.6 %/year = 55 per 10,000 a month; 7.92 % = 66; 9 % = 75 (VBSP's rates).
constexpr Programme kPoor{"01", 55, 30, 100, 5, {36, 48, 60}};
constexpr Programme kNearPoor{"19", 66, 30, 100, 5, {36, 48, 60}};
constexpr Programme kOutOfPoverty{"09", 66, 30, 100, 5, {36, 48, 60}};
constexpr Programme kJobs{"03", 55, 50, 100, 5, {36, 36, 36}};
constexpr Programme kWater{"06", 75, 10, 20, 1, {60, 60, 60}};

enum class Standing { kRegular, kStops, kFrozen };

struct Borrower {
  std::string id, name, national_id, customer_code, ethnicity;
  Date born;
  std::size_t group = 0;
  Date joined;
  std::int64_t monthly = 0;  // savings a session
  Standing standing = Standing::kRegular;
  Date stop;  // kStops: pays nothing from this session on; kFrozen: frozen from this day
  std::vector<std::size_t> loans;
  std::vector<std::pair<Date, std::int64_t>> savings;  // signed movements
  std::int64_t savings_on(Date d) const {
    std::int64_t s = 0;
    for (const auto& [on, amount] : savings)
      if (on <= d) s += amount;
    return s;
  }
  bool pays_on(Date d) const { return standing == Standing::kRegular || d < stop; }
};

struct Loan {
  std::string no;
  std::size_t borrower = 0;
  const Programme* programme = nullptr;
  Date disbursed, maturity;
  std::int64_t amount = 0;
  std::vector<std::pair<Date, std::int64_t>> due;       // instalments
  std::vector<std::pair<Date, std::int64_t>> paid;      // principal receipts
  std::vector<std::pair<Date, std::int64_t>> interest;  // interest receipts
  std::string register_customer_code;                   // the borrower's, unless mistyped
  bool at_bank = true;                                  // false: the bank put the disbursement off
  std::int64_t outstanding_on(Date d) const {
    std::int64_t o = d >= disbursed ? amount : 0;
    for (const auto& [on, a] : paid)
      if (on <= d) o -= a;
    return o;
  }
};

struct Tx {
  Date date;
  std::string loan_no;
  std::string_view kind;
  std::int64_t amount;
  std::string receipt;
};

struct BankRow {
  std::string loan_no, group_code, customer_code, name, programme;
  Date disbursed;
  std::int64_t outstanding = 0, overdue = 0, frozen = 0, collected = 0, unpaid = 0, savings = 0, rate = 0;
  bool closed = false;
};

class TempFiles {
 public:
  TempFiles() {
    std::error_code ec;
    auto tmp = std::filesystem::temp_directory_path(ec);
    if (ec) tmp = "/tmp";
    std::string pattern = (tmp / "soquy-vbsp-demo-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempFiles() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempFiles(const TempFiles&) = delete;
  TempFiles& operator=(const TempFiles&) = delete;
  Result<std::string> write(const std::string& name, const std::string& text) const {
    if (path_.empty()) return fail(Error::cant_create(tr("cannot create a temporary directory for the VBSP demo")));
    auto p = (path_ / name).string();
    std::ofstream out(p, std::ios::binary);
    out << text;
    out.close();
    if (!out) return fail(Error::cant_create(fmt::format(fmt::runtime(tr("cannot write {}")), p)));
    return p;
  }

 private:
  std::filesystem::path path_;
};

std::string upper_without_diacritics(const std::string& name) {
  auto key = name_match_key(name);
  std::string s = key ? *key : name;
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The commune the demo makes up: its groups, borrowers, loans and receipts. Every draw comes
// from `rng` in a fixed order; drawing in another order makes another commune (and breaks the
// goldens that show it).
struct Commune {
  explicit Commune(std::uint64_t seed) : rng(seed) {}

  std::mt19937_64 rng;
  const Date cutoff = ymd(2025, 11, 30);  // the union's register starts: the opening position
  const Date planted_session = ymd(2026, 10, 20);
  const Date flood_freeze = ymd(2025, 11, 20);
  std::vector<std::string> group_codes, group_names;
  std::vector<std::size_t> group_first;  // first borrower (the leader) of each group
  std::vector<Date> group_from;
  std::vector<Borrower> borrowers;
  std::vector<Loan> loans;
  std::vector<Tx> txs;
  std::int64_t serial = 1000;
  std::int64_t next_member = 2001;

  std::string loan_no(Date disbursed) { return fmt::format("8407{:02}{:010}", disbursed.year() % 100, serial++); }

  Loan& add_loan(std::size_t b, const Programme& p, Date disbursed) {
    Loan l;
    l.borrower = b;
    l.programme = &p;
    l.disbursed = disbursed;
    l.no = loan_no(disbursed);
    l.amount = pick(rng, p.min_millions / p.step_millions, p.max_millions / p.step_millions) * p.step_millions * 1'000'000;
    const int term = p.terms[static_cast<std::size_t>(pick(rng, 0, 2))];
    const std::int64_t roll = pick(rng, 0, 99);
    const int period = roll < 20 ? 3 : roll < 80 ? 6 : 12;
    const int n = term / period;
    const std::int64_t each = l.amount / n / 100'000 * 100'000;
    for (int i = 1; i <= n; ++i)
      l.due.emplace_back(disbursed.add_months(period * i), i < n ? each : l.amount - each * (n - 1));
    l.maturity = disbursed.add_months(term);
    l.register_customer_code = borrowers[b].customer_code;
    borrowers[b].loans.push_back(loans.size());
    loans.push_back(std::move(l));
    return loans.back();
  }
};

// --- the groups, their borrowers and their loans --------------------------------------------

// Borrower `k` of group `g` (formed on `from`), with her first loan and maybe a water loan.
void add_borrower(Commune& c, int g, std::int64_t k, Date from, const VbspDemoSummary& s) {
  auto& rng = c.rng;
  Borrower b;
  const std::int64_t n = c.next_member++;
  b.id = fmt::format("HV{:04}", n);
  const std::int64_t roll = pick(rng, 0, 99);  // Trà Cú: mostly Khmer
  const std::string_view ethnicity = roll < 60 ? "Khmer" : roll < 62 ? "Hoa" : "Kinh";
  b.ethnicity = std::string(ethnicity);
  b.name = demo_woman_name(rng, ethnicity);
  const int born = static_cast<int>(pick(rng, 1962, 2000));
  const auto day = static_cast<unsigned>(pick(rng, 1, 28));  // drawn before the month: one order for every compiler
  b.born = ymd(born, static_cast<unsigned>(pick(rng, 1, 12)), day);
  if (chance(rng, 92)) b.national_id = fmt::format("084{}{:02}{:06}", born < 2000 ? 1 : 3, born % 100, n);
  b.customer_code = fmt::format("8407{:06}", n);
  b.group = static_cast<std::size_t>(g);
  b.joined = k == 0 ? from.add_days(-pick(rng, 30, 400)) : from.add_days(pick(rng, 0, 300));
  b.monthly = pick(rng, 1, 5) * 10'000;
  const std::int64_t p = pick(rng, 0, 99);
  const Programme& programme = p < 40 ? kPoor : p < 65 ? kNearPoor : p < 82 ? kOutOfPoverty : kJobs;
  const std::size_t bi = c.borrowers.size();
  c.borrowers.push_back(std::move(b));
  // The first loan at a session after she joined, 2022–2024.
  const std::int64_t first = std::max(month_index(c.borrowers[bi].joined.add_days(20)), month_index(ymd(2022, 1, 1)));
  const std::int64_t last = month_index(ymd(2024, 12, 1));
  c.add_loan(bi, programme, session_of(pick(rng, first, last)));
  if (chance(rng, 20)) {  // a clean-water loan later
    const std::int64_t w = month_index(c.loans.back().disbursed) + 3;
    if (w <= last) c.add_loan(bi, kWater, session_of(pick(rng, w, last)));
  }
  if (chance(rng, 4)) {  // stops paying at some session (before or during the demo year)
    c.borrowers[bi].standing = Standing::kStops;
    c.borrowers[bi].stop = std::max(s.first_session.add_months(static_cast<int>(pick(rng, -10, 9))),
                                    c.loans[c.borrowers[bi].loans[0]].disbursed.add_months(6));
  }
}

void add_groups(Commune& c, int groups, const VbspDemoSummary& s) {
  for (int g = 0; g < groups; ++g) {
    c.group_codes.push_back(fmt::format("0841{:03}", 101 + g));
    c.group_names.push_back(fmt::format("Tổ TK&VV ấp {} {}", kHamlets[static_cast<std::size_t>(g) % kHamlets.size()],
                                        g / static_cast<int>(kHamlets.size()) + 1));
    const Date from = ymd(2021, 6, 1).add_days(pick(c.rng, 0, 180));
    const std::int64_t size = pick(c.rng, 15, 40);
    c.group_first.push_back(c.borrowers.size());
    c.group_from.push_back(from);
    for (std::int64_t k = 0; k < size; ++k) add_borrower(c, g, k, from, s);
  }
}

// The October 2025 flood: three borrowers of group 0841106 have their loans frozen (khoanh nợ).
void freeze_flooded_loans(Commune& c) {
  const std::size_t g = 5 % c.group_codes.size();
  int frozen = 0;
  for (std::size_t b = c.group_first[g] + 1; b < c.borrowers.size() && c.borrowers[b].group == g && frozen < 3; ++b) {
    const auto& l = c.loans[c.borrowers[b].loans[0]];
    if (l.outstanding_on(c.cutoff) > 0 && l.due.back().first > ymd(2026, 12, 31)) {
      c.borrowers[b].standing = Standing::kFrozen;
      c.borrowers[b].stop = c.flood_freeze;
      ++frozen;
    }
  }
}

// New loans in 2026 for a few regular borrowers.
void add_loans_of_2026(Commune& c) {
  for (std::size_t b = 0; b < c.borrowers.size(); ++b) {
    if (c.borrowers[b].standing != Standing::kRegular || !chance(c.rng, 4)) continue;
    bool water = false;
    for (auto li : c.borrowers[b].loans) water = water || c.loans[li].programme == &kWater;
    c.add_loan(b, water ? kJobs : kWater, ymd(2026, static_cast<unsigned>(pick(c.rng, 1, 9)), 20));
  }
}

// Planted: a register loan whose disbursement the bank put off (group 0841104).
void plant_loan_put_off_by_the_bank(Commune& c, VbspDemoSummary& s) {
  const std::size_t g = 3 % c.group_codes.size();
  for (std::size_t b = c.group_first[g]; b < c.borrowers.size() && c.borrowers[b].group == g; ++b) {
    if (c.borrowers[b].standing != Standing::kRegular) continue;
    bool water = false, open = false;
    for (auto li : c.borrowers[b].loans) {
      water = water || c.loans[li].programme == &kWater;
      open = open || (c.loans[li].disbursed < c.planted_session && c.loans[li].maturity > s.last_session);
    }
    if (water || !open) continue;
    auto& l = c.add_loan(b, kWater, c.planted_session);
    l.amount = 20'000'000;
    l.due = {{c.planted_session.add_months(60), l.amount}};
    l.maturity = c.planted_session.add_months(60);
    l.at_bank = false;
    s.missing_in_bank_loan = l.no;
    break;
  }
}

// --- the opening position and the sessions ----------------------------------------------------

// What was repaid and saved before the register starts, as one receipt each at the cutoff.
void record_opening_position(Commune& c) {
  for (auto& l : c.loans) {
    if (l.disbursed > c.cutoff) continue;
    const auto& b = c.borrowers[l.borrower];
    std::int64_t paid = 0;
    for (const auto& [on, a] : l.due)
      if (on <= c.cutoff && b.pays_on(on)) paid += a;
    if (paid == 0) continue;
    l.paid.emplace_back(c.cutoff, paid);
    c.txs.push_back({c.cutoff, l.no, "principal", paid, "DK-" + l.no});
  }
  for (auto& b : c.borrowers) {
    const auto& first = c.loans[b.loans[0]];
    if (first.disbursed > c.cutoff) continue;
    bool open = false;
    for (auto li : b.loans) open = open || c.loans[li].outstanding_on(c.cutoff) > 0;
    if (!open) continue;
    const Date until = b.pays_on(c.cutoff) ? c.cutoff : b.stop;
    const std::int64_t months = std::max<std::int64_t>(month_index(until) - month_index(first.disbursed), 0);
    const std::int64_t amount = b.monthly * months * pick(c.rng, 60, 100) / 100 / 10'000 * 10'000;
    if (amount == 0) continue;
    b.savings.emplace_back(c.cutoff, amount);
    c.txs.push_back({c.cutoff, first.no, "savings-in", amount, "DK-TK-" + b.id});
  }
}

// The session on `d`: interest, instalments due and savings of every borrower who pays.
void hold_session(Commune& c, Date d) {
  std::vector<int> counter(c.group_codes.size(), 0);
  auto receipt = [&](const Borrower& b) {
    return fmt::format("{:02}{:02}-{}-{:04}", d.year() % 100, d.month(), c.group_codes[b.group].substr(4),
                       ++counter[b.group]);
  };
  for (auto& b : c.borrowers) {
    if (!b.pays_on(d)) continue;
    bool had_open = false;
    for (auto li : b.loans) {
      auto& l = c.loans[li];
      if (!l.at_bank || l.disbursed >= d) continue;
      const std::int64_t owed = l.outstanding_on(d);
      if (owed == 0) continue;
      had_open = true;
      const std::int64_t interest = owed * l.programme->rate / 10'000;  // rounded down to the đồng
      l.interest.emplace_back(d, interest);
      c.txs.push_back({d, l.no, "interest", interest, receipt(b)});
      for (const auto& [on, a] : l.due)
        if (on == d) {
          l.paid.emplace_back(d, a);
          c.txs.push_back({d, l.no, "principal", a, receipt(b)});
        }
    }
    if (!had_open) continue;
    const auto& first = c.loans[b.loans[0]];
    b.savings.emplace_back(d, b.monthly);
    c.txs.push_back({d, first.no, "savings-in", b.monthly, receipt(b)});
    bool still_open = false;
    for (auto li : b.loans) still_open = still_open || c.loans[li].outstanding_on(d) > 0 || c.loans[li].disbursed > d;
    const std::int64_t balance = b.savings_on(d);
    std::int64_t out = 0;
    if (!still_open)
      out = balance;  // her last loan repaid: she takes her savings
    else if (chance(c.rng, 2) && balance >= 200'000)
      out = balance / 2 / 100'000 * 100'000;
    if (out > 0) {
      b.savings.emplace_back(d, -out);
      c.txs.push_back({d, first.no, "savings-out", out, receipt(b)});
    }
  }
}

// --- the bank's statements ----------------------------------------------------------------

void sort_by_group(std::vector<BankRow>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const BankRow& a, const BankRow& b) {
    return std::tie(a.group_code, a.loan_no) < std::tie(b.group_code, b.loan_no);
  });
}

// The bank's statement of the period `from`..`as_of`, as the commune's loans stand.
std::vector<BankRow> bank_rows(const Commune& c, Date from, Date as_of) {
  std::vector<BankRow> rows;
  for (const auto& l : c.loans) {
    if (!l.at_bank || l.disbursed > as_of) continue;
    const auto& b = c.borrowers[l.borrower];
    BankRow r;
    r.loan_no = l.no;
    r.group_code = c.group_codes[b.group];
    r.customer_code = b.customer_code;
    r.name = b.name;
    r.programme = std::string(l.programme->code);
    r.disbursed = l.disbursed;
    r.rate = l.programme->rate;
    r.outstanding = l.outstanding_on(as_of);
    if (r.outstanding == 0) {
      if (l.paid.empty() || l.paid.back().first < ymd(2025, 12, 1)) continue;  // closed before the year
      r.closed = true;
    } else if (b.standing == Standing::kFrozen && b.stop <= as_of) {
      r.frozen = r.outstanding;
    } else if (b.standing == Standing::kStops && b.stop <= as_of) {
      for (const auto& [on, a] : l.due)
        if (on >= b.stop && on <= as_of) r.overdue += a;
      std::int64_t months = 0;
      for (Date m = std::max(b.stop, l.disbursed.add_months(1)); m <= as_of; m = m.add_months(1)) ++months;
      r.unpaid = months * (r.outstanding * l.programme->rate / 10'000);
    }
    for (const auto& [on, a] : l.interest)
      if (on >= from && on <= as_of) r.collected += a;
    r.savings = b.savings_on(as_of);
    rows.push_back(std::move(r));
  }
  sort_by_group(rows);
  return rows;
}

BankRow* find_row(std::vector<BankRow>& rows, const std::string& no) {
  for (auto& r : rows)
    if (r.loan_no == no) return &r;
  return nullptr;
}

std::ptrdiff_t rows_of(const std::vector<BankRow>& rows, const std::string& customer) {
  return std::count_if(rows.begin(), rows.end(), [&](const BankRow& r) { return r.customer_code == customer; });
}

// The three statements the demo imports; the differences are planted in `as_of`.
struct Statements {
  std::vector<BankRow> year_end, mid_year, as_of;
};

// Chooses the loans the differences are planted on, each a different regular loan open at the
// bank on the last statement.
class Planter {
 public:
  Planter(const Commune& c, std::vector<BankRow>& rows) : c_(c), rows_(rows) {}

  // Scans the groups from `g0` for the first loan that `fits`.
  template <class Fits>
  const Loan* choose(std::size_t g0, Fits fits) {
    for (std::size_t i = 0; i < c_.group_codes.size(); ++i) {
      const std::size_t g = (g0 + i) % c_.group_codes.size();
      for (std::size_t b = c_.group_first[g]; b < c_.borrowers.size() && c_.borrowers[b].group == g; ++b)
        for (auto li : c_.borrowers[b].loans) {
          const auto& l = c_.loans[li];
          const auto* row = find_row(rows_, l.no);
          if (c_.borrowers[b].standing == Standing::kRegular && row && !row->closed && !is_planted(l.no) &&
              fits(l, *row)) {
            planted_.push_back(l.no);
            return &l;
          }
        }
    }
    return nullptr;
  }

 private:
  bool is_planted(const std::string& no) const {
    return std::find(planted_.begin(), planted_.end(), no) != planted_.end();
  }
  const Commune& c_;
  std::vector<BankRow>& rows_;
  std::vector<std::string> planted_;
};

// 1. Group 0841103's leader wrote receipts for an instalment and its interest on 2026-10-20 and did
//    not pay them in: the bank still has the instalment outstanding (and overdue), and no interest.
void plant_unpaid_receipt(const Commune& c, Planter& planter, Statements& st, VbspDemoSummary& s) {
  const auto* l = planter.choose(2, [&](const Loan& l, const BankRow&) {
    return std::any_of(l.due.begin(), l.due.end() - 1, [&](const auto& d) { return d.first == c.planted_session; });
  });
  if (!l) return;
  auto* r = find_row(st.as_of, l->no);
  std::int64_t principal = 0, interest = 0;
  for (const auto& [on, a] : l->paid)
    if (on == c.planted_session) principal += a;
  for (const auto& [on, a] : l->interest)
    if (on == c.planted_session) interest += a;
  r->outstanding += principal;
  r->overdue += principal;
  r->collected -= interest;
  r->unpaid += interest;
  s.unpaid_receipt_loan = l->no;
  s.unpaid_receipt_group = c.group_codes[c.borrowers[l->borrower].group];
}

// 2. A member of group 0841107 withdrew savings at the bank's session; the union has no receipt.
void plant_withdrawal_not_entered(Planter& planter, Statements& st, VbspDemoSummary& s) {
  const auto* l = planter.choose(6, [&](const Loan& l, const BankRow& r) {
    return rows_of(st.as_of, r.customer_code) == 1 && r.savings >= 200'000 && l.at_bank;
  });
  if (!l) return;
  auto* r = find_row(st.as_of, l->no);
  r->savings -= r->savings / 2 / 100'000 * 100'000;
  s.withdrawal_not_entered_loan = l->no;
}

// 3. The bank writes a name of group 0841112 without diacritics, in every statement: the same name.
void plant_unaccented_name(const Commune& c, Planter& planter, Statements& st, VbspDemoSummary& s) {
  const auto* l = planter.choose(11, [&](const Loan&, const BankRow& r) {
    return upper_without_diacritics(r.name) != r.name && rows_of(st.as_of, r.customer_code) == 1;
  });
  if (!l) return;
  const auto bank_name = upper_without_diacritics(c.borrowers[l->borrower].name);
  for (auto* rows : {&st.year_end, &st.mid_year, &st.as_of})
    if (auto* r = find_row(*rows, l->no)) r->name = bank_name;
  s.unaccented_name_loan = l->no;
  s.unaccented_name_bank = bank_name;
  s.unaccented_name_union = c.borrowers[l->borrower].name;
}

// 4. Group 0841115's register has a customer code with two digits swapped (an old loan: every
//    statement shows it).
void plant_wrong_customer_code(Commune& c, Planter& planter, VbspDemoSummary& s) {
  const auto* l = planter.choose(14, [&](const Loan& l, const BankRow& r) {
    const auto& code = r.customer_code;
    return l.disbursed <= c.cutoff && code[code.size() - 1] != code[code.size() - 2];
  });
  if (!l) return;
  auto& code = c.loans[static_cast<std::size_t>(l - c.loans.data())].register_customer_code;
  std::swap(code[code.size() - 1], code[code.size() - 2]);
  s.wrong_customer_code_loan = l->no;
}

// 5. A loan disbursed to a new borrower of group 0841118 at the October session: the bank has it, the
//    union's register not yet.
void plant_loan_missing_in_the_register(Commune& c, Statements& st, VbspDemoSummary& s) {
  const std::size_t g = 17 % c.group_codes.size();
  BankRow r;
  r.loan_no = c.loan_no(c.planted_session);
  r.group_code = c.group_codes[g];
  r.customer_code = fmt::format("8407{:06}", c.next_member);
  r.name = demo_woman_name(c.rng, "Khmer");
  r.programme = std::string(kJobs.code);
  r.disbursed = c.planted_session;
  r.outstanding = 50'000'000;
  r.rate = kJobs.rate;
  st.as_of.push_back(r);
  sort_by_group(st.as_of);
  s.missing_in_ledger_loan = r.loan_no;
}

void plant_differences(Commune& c, Statements& st, VbspDemoSummary& s) {
  Planter planter(c, st.as_of);
  plant_unpaid_receipt(c, planter, st, s);
  plant_withdrawal_not_entered(planter, st, s);
  plant_unaccented_name(c, planter, st, s);
  plant_wrong_customer_code(c, planter, s);
  plant_loan_missing_in_the_register(c, st, s);
  for (const auto& r : st.as_of) {
    if (r.closed) continue;
    if (r.overdue > 0) ++s.overdue_loans;
    if (r.frozen > 0) ++s.frozen_loans;
  }
}

// --- the files ------------------------------------------------------------------------------

std::string register_csv(const Commune& c) {
  std::string reg = "loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,disbursed_on,amount,"
                    "maturity_on\n";
  for (const auto& l : c.loans) {
    const auto& b = c.borrowers[l.borrower];
    reg += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", l.no, c.group_codes[b.group], b.id, l.register_customer_code,
                       b.national_id, b.name, l.programme->code, l.disbursed, l.amount, l.maturity);
  }
  return reg;
}

// The receipts in date order (the order of one day kept).
std::string transactions_csv(std::vector<Tx> txs) {
  std::stable_sort(txs.begin(), txs.end(), [](const Tx& a, const Tx& b) { return a.date < b.date; });
  std::string tx = "date,loan_no,kind,amount,receipt_no\n";
  for (const auto& t : txs) tx += fmt::format("{},{},{},{},{}\n", t.date, t.loan_no, t.kind, t.amount, t.receipt);
  return tx;
}

std::string canonical_statement(const std::vector<BankRow>& rows) {
  std::string out = "loan_no,group_code,customer_code,borrower_name,programme,disbursed_on,principal_outstanding,"
                    "principal_overdue,principal_frozen,interest_collected,interest_unpaid,savings_balance,status\n";
  for (const auto& r : rows)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", r.loan_no, r.group_code, r.customer_code, r.name,
                       r.programme, r.disbursed, r.outstanding, r.overdue, r.frozen, r.collected, r.unpaid, r.savings,
                       r.closed ? "CLOSE" : "OPEN");
  return out;
}

// The bank's HSTD export as Excel leaves it: group, commune and office codes as numbers.
std::string hstd_statement(const Commune& c, const std::vector<BankRow>& rows) {
  std::string out = "\xEF\xBB\xBF" "BÁO CÁO CHI TIẾT HỒ SƠ TÍN DỤNG,,,,,,,,,,,,,,,,\n"
                    "PGD NHCSXH huyện Trà Cú - xã Kim Sơn - đến ngày 31/10/2026,,,,,,,,,,,,,,,,\n"
                    "Mã PGD,Mã xã,Mã tổ,Mã KH,Tên KH,Số khế ước,Mã chương trình,Ngày vay,Tổng dư nợ,Dư nợ quá hạn,"
                    "Dư nợ khoanh,Lãi TT trong tháng,Lãi tồn TH,Lãi tồn QH,Số dư tiền gửi 105,Tình trạng món vay,"
                    "Lãi suất\n";
  std::string group;
  std::array<std::int64_t, 7> total{};
  for (const auto& r : rows) {
    if (r.group_code != group) {
      group = r.group_code;
      const auto it = std::find(c.group_codes.begin(), c.group_codes.end(), group);
      out += fmt::format(",,,,Tổ {} - {},,,,,,,,,,,,\n", group,
                         it == c.group_codes.end() ? ""
                                                   : c.group_names[static_cast<std::size_t>(it - c.group_codes.begin())]);
    }
    const std::int64_t current = r.overdue > 0 ? 0 : r.unpaid, late = r.overdue > 0 ? r.unpaid : 0;
    // The yearly rate, from the monthly one: 55 → 6.6, 66 → 7.92, 75 → 9.
    const std::int64_t yearly = r.rate * 12;  // hundredths of a percent
    out += fmt::format("8407.0,84127.0,{}.0,{},{},{},{},{},{},{},{},{},{},{},{},{},{}.{:02}\n",
                       std::stoll(r.group_code), r.customer_code, r.name, r.loan_no, std::stoi(r.programme),
                       r.disbursed.to_vietnamese(), r.outstanding, r.overdue, r.frozen, r.collected, current, late,
                       r.savings, r.closed ? "CLOSE" : "OPEN", yearly / 100, yearly % 100);
    const std::array<std::int64_t, 7> amounts{r.outstanding, r.overdue, r.frozen, r.collected, current, late, r.savings};
    for (std::size_t i = 0; i < amounts.size(); ++i) total[i] += amounts[i];
  }
  out += fmt::format(",,,,Tổng cộng,,,,{},{},{},{},{},{},{},,\n", total[0], total[1], total[2], total[3], total[4],
                     total[5], total[6]);
  return out;
}

// --- into the ledger ------------------------------------------------------------------------

// The registry: borrowers (the leader first), then the group, then the others joining it.
Result<void> add_to_registry(const Commune& c, Registry& registry, const std::string& unit, VbspDemoSummary& s) {
  for (std::size_t g = 0; g < c.group_codes.size(); ++g) {
    const std::size_t first = c.group_first[g];
    const std::size_t end = g + 1 < c.group_codes.size() ? c.group_first[g + 1] : c.borrowers.size();
    for (std::size_t b = first; b < end; ++b) {
      const auto& x = c.borrowers[b];
      MemberSpec m;
      m.id = x.id;
      m.name = x.name;
      m.national_id = x.national_id;
      m.unit = unit;
      m.ethnicity = x.ethnicity;
      m.born = x.born;
      const auto* p = c.loans[x.loans[0]].programme;
      m.poverty = p == &kPoor ? Poverty::kPoor : p == &kNearPoor ? Poverty::kNearPoor : Poverty::kNone;
      m.joined = x.joined;
      if (b != first) m.group = c.group_codes[g];
      if (auto r = registry.add_member(m); !r) return fail(r.error());
      ++s.members;
      if (b == first) {
        GroupSpec spec;
        spec.code = c.group_codes[g];
        spec.name = c.group_names[g];
        spec.kind = GroupKind::kVbsp;
        spec.unit = unit;
        spec.leader = x.id;
        spec.from = c.group_from[g];  // the leader joined the union before; the others join it later
        if (auto r = registry.add_group(spec); !r) return fail(r.error());
        ++s.groups;
      }
    }
  }
  return {};
}

// The register, the receipts and the three statements, written as files and imported.
Result<void> import_files(const Commune& c, const Statements& st, Vbsp& vbsp, const std::string& unit,
                          VbspDemoSummary& s) {
  TempFiles files;
  auto reg_path = files.write("dang_ky_vay.csv", register_csv(c));
  if (!reg_path) return fail(reg_path.error());
  VbspImportOptions options;
  options.unit = unit;
  auto r = vbsp.import_register(*reg_path, options);
  if (!r) return fail(r.error());
  s.loans = r->created;
  auto tx_path = files.write("bien_lai.csv", transactions_csv(c.txs));
  if (!tx_path) return fail(tx_path.error());
  auto t = vbsp.import_transactions(*tx_path);
  if (!t) return fail(t.error());
  s.receipts = t->created;
  const std::array<std::tuple<const char*, std::string, Date, Date>, 3> statements{{
      {"hstd_20251231.csv", canonical_statement(st.year_end), ymd(2025, 12, 1), s.compare_to},
      {"hstd_20260630.csv", canonical_statement(st.mid_year), ymd(2026, 6, 1), s.mid_year},
      {"hstd_20261031.csv", hstd_statement(c, st.as_of), ymd(2026, 10, 1), s.as_of},
  }};
  for (const auto& [name, text, from, as_of] : statements) {
    auto path = files.write(name, text);
    if (!path) return fail(path.error());
    auto imported = vbsp.import_statement(*path, from, as_of);
    if (!imported) return fail(imported.error());
    ++s.statements;
    s.statement_total_rows += imported->total_rows;
    s.statement_notes += static_cast<std::int64_t>(imported->notes.size());
  }
  return {};
}

}  // namespace

Result<VbspDemoSummary> build_vbsp_demo(Ledger& ledger, const VbspDemoOptions& o) {
  Commune c(o.seed);
  VbspDemoSummary s;
  s.unit = o.unit;
  s.first_session = ymd(2025, 12, 20);
  s.last_session = s.first_session.add_months(11);
  s.compare_to = ymd(2025, 12, 31);
  s.mid_year = ymd(2026, 6, 30);
  s.as_of = ymd(2026, 10, 31);

  add_groups(c, o.groups, s);
  freeze_flooded_loans(c);
  add_loans_of_2026(c);
  plant_loan_put_off_by_the_bank(c, s);
  record_opening_position(c);
  for (int k = 0; k < 12; ++k) hold_session(c, s.first_session.add_months(k));

  Statements st{bank_rows(c, ymd(2025, 12, 1), s.compare_to), bank_rows(c, ymd(2026, 6, 1), s.mid_year),
                bank_rows(c, ymd(2026, 10, 1), s.as_of)};
  plant_differences(c, st, s);
  for (const auto& l : c.loans) s.disbursed += Money(l.amount);

  Vbsp vbsp(ledger);
  Registry registry(ledger);
  auto work = [&]() -> Result<void> {
    if (auto r = add_to_registry(c, registry, o.unit, s); !r) return r;
    return import_files(c, st, vbsp, o.unit, s);
  };
  if (auto r = ledger.in_transaction(work); !r) return fail(r.error());
  s.entries = s.loans + static_cast<std::int64_t>(std::count_if(c.txs.begin(), c.txs.end(), [](const Tx& t) {
                return t.kind != "interest";
              }));
  s.first = c.loans.front().disbursed;
  for (const auto& l : c.loans) s.first = std::min(s.first, l.disbursed);
  return s;
}

}  // namespace soquy
