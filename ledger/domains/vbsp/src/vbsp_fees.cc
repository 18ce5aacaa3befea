// VBSP entrustment fees, commissions and the monthly group grade (vbsp_fees.h). All SQL is in
// vbsp_fees_store.cc; the session and the union's loan figures come from soquy::Vbsp.
#include "soquy/i18n.h"
#include "soquy/vbsp_fees.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "soquy/charts.h"
#include "soquy/clock.h"
#include "soquy/rate.h"
#include "soquy/registry.h"
#include "soquy/vbsp.h"
#include "store.h"
#include "vbsp_fees_store.h"

namespace soquy {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Rational stored_percent(const std::string& text) {
  auto r = parse_decimal(text);
  if (!r) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("the VBSP fee tables hold a malformed rate '{}'")), text)));
  return *r;
}

// max × value, rounded once to 2 decimals half-up.
Rational points_of(int max, const Rational& value) {
  return Rational(round_rational(Rational(max) * value * 100, Rounding::kHalfUp)) / 100;
}

VbspGroupMonth::Bank bank_on(Date d) {
  VbspGroupMonth::Bank b;
  b.as_of = d;
  return b;
}

std::string month_name(Date d) { return fmt::format("{:04}-{:02}", d.year(), d.month()); }

}  // namespace

// --- rates -----------------------------------------------------------------------------------

Result<Rational> parse_interest_percent(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return fail(Error::bad_input(
        fmt::format(fmt::runtime(tr("'{}' is not a percentage of interest: {} (e.g. 8% or 7.5%)")), text, why)));
  };
  auto t = trim(text);
  if (t.empty()) return bad(tr("it is empty"));
  if (t.back() != '%') return bad(tr("write it with '%', so 0.08 and 8 cannot be confused"));
  auto number = trim(t.substr(0, t.size() - 1));
  if (number.empty()) return bad(tr("no number before '%'"));
  auto r = parse_decimal(number);
  if (!r) return bad(r.error().message());
  if (*r < 0 || *r > 100) return bad(tr("it must be from 0% to 100%"));
  return *r;
}

std::string format_percent(const Rational& percent) { return format_decimal_exact(percent) + "%"; }

Money percent_of(Money interest, const Rational& percent) {
  auto m = round_to_money(interest.to_rational() * percent / 100, Rounding::kHalfUp);
  if (!m) throw SoquyException(m.error());
  return *m;
}

std::optional<VbspFeeRate> vbsp_rate_in_force(const std::vector<VbspContract>& contracts,
                                              const std::vector<VbspFeeRate>& rates, const std::string& unit,
                                              Date on, std::string* contract) {
  const VbspContract* found = nullptr;
  for (const auto& c : contracts)
    if (c.unit == unit && c.signed_on <= on && (!found || c.signed_on > found->signed_on ||
                                                 (c.signed_on == found->signed_on && c.code > found->code)))
      found = &c;
  if (contract) *contract = found ? found->code : std::string();
  if (!found) return std::nullopt;
  std::optional<VbspFeeRate> out;
  for (const auto& r : rates)
    if (r.contract == found->code && r.effective_from <= on && (!out || r.effective_from > out->effective_from))
      out = r;
  return out;
}

// --- grades ----------------------------------------------------------------------------------

Result<VbspGradeThresholds> parse_vbsp_grade_thresholds(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("'{}' is not three grade thresholds: {} (e.g. 50,70,85: below 50 Yếu, below 70 Trung bình, below 85 Khá, "
        "else Tốt)")),
        text, why)));
  };
  std::vector<Rational> v;
  std::size_t start = 0;
  while (true) {
    auto comma = text.find(',', start);
    auto part = trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    auto r = parse_decimal(part);
    if (!r) return bad(fmt::format(fmt::runtime(tr("'{}' is not a number")), part));
    if (*r < 0 || *r > 100) return bad(fmt::format(fmt::runtime(tr("{} is not from 0 to 100")), part));
    v.push_back(*r);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (v.size() != 3) return bad(fmt::format(fmt::runtime(tr("{} number(s) given")), v.size()));
  if (!(v[0] < v[1] && v[1] < v[2])) return bad(tr("they must go up strictly"));
  return VbspGradeThresholds{v[0], v[1], v[2]};
}

std::string_view to_string(VbspGrade g) {
  switch (g) {
    case VbspGrade::kWeak: return "weak";
    case VbspGrade::kAverage: return "average";
    case VbspGrade::kFair: return "fair";
    case VbspGrade::kGood: return "good";
  }
  return "?";
}

std::string_view vietnamese(VbspGrade g) {
  switch (g) {
    case VbspGrade::kWeak: return "Yếu";
    case VbspGrade::kAverage: return "Trung bình";
    case VbspGrade::kFair: return "Khá";
    case VbspGrade::kGood: return "Tốt";
  }
  return "?";
}

VbspGrade vbsp_grade(const Rational& total, const VbspGradeThresholds& t) {
  if (total < t.weak_below) return VbspGrade::kWeak;
  if (total < t.average_below) return VbspGrade::kAverage;
  if (total < t.fair_below) return VbspGrade::kFair;
  return VbspGrade::kGood;
}

std::string_view to_string(VbspCriterion c) {
  switch (c) {
    case VbspCriterion::kTransacting: return "transacting";
    case VbspCriterion::kPrincipalCollected: return "principal_collected";
    case VbspCriterion::kInterestCollection: return "interest_collection";
    case VbspCriterion::kMembersSaving: return "members_saving";
    case VbspCriterion::kSavingsGrowth: return "savings_growth";
    case VbspCriterion::kOverdueRatio: return "overdue_ratio";
  }
  return "?";
}

std::string_view vietnamese(VbspCriterion c) {
  switch (c) {
    case VbspCriterion::kTransacting: return "Giao dịch tại điểm giao dịch xã";
    case VbspCriterion::kPrincipalCollected: return "Thu nợ gốc đến hạn";
    case VbspCriterion::kInterestCollection: return "Tỷ lệ thu lãi";
    case VbspCriterion::kMembersSaving: return "Tổ viên gửi tiết kiệm";
    case VbspCriterion::kSavingsGrowth: return "Tăng trưởng tiết kiệm";
    case VbspCriterion::kOverdueRatio: return "Tỷ lệ nợ quá hạn";
  }
  return "?";
}

int max_points(VbspCriterion c) {
  switch (c) {
    case VbspCriterion::kTransacting: return 20;
    case VbspCriterion::kPrincipalCollected: return 15;
    case VbspCriterion::kInterestCollection: return 20;
    case VbspCriterion::kMembersSaving: return 5;
    case VbspCriterion::kSavingsGrowth: return 10;
    case VbspCriterion::kOverdueRatio: return 30;
  }
  return 0;
}

namespace {

// Sets the criteria of a group's score: each with its points, or missing with the reason.
class CriteriaSetter {
 public:
  explicit CriteriaSetter(VbspGroupScore& out) : out_(out) {}
  void set(VbspCriterion c, Rational value, std::string detail) {
    auto& s = out_.criteria[static_cast<std::size_t>(c)];
    s.criterion = c;
    s.points = points_of(max_points(c), value);
    s.value = std::move(value);
    s.detail = std::move(detail);
  }
  void missing(VbspCriterion c, std::string why) {
    auto& s = out_.criteria[static_cast<std::size_t>(c)];
    s.criterion = c;
    s.missing = true;
    s.detail = std::move(why);
  }

 private:
  VbspGroupScore& out_;
};

// Criteria 1 and 2, from the union's register and receipts.
void score_union_criteria(const VbspGroupMonth& m, CriteriaSetter& score) {
  // 1. Transacting at the commune point: any receipt or principal in the month.
  {
    const bool did = !m.receipts.is_zero() || !m.principal_paid.is_zero();
    score.set(VbspCriterion::kTransacting, did ? 1 : 0,
              did ? fmt::format("receipts {} and principal {} in the month", m.receipts.minor_units(),
                                m.principal_paid.minor_units())
                  : std::string("no receipt and no principal paid in the month"));
  }
  // 2. Principal due collected.
  if (m.principal_due.is_zero())
    score.set(VbspCriterion::kPrincipalCollected, 1, "no principal due");
  else
    score.set(VbspCriterion::kPrincipalCollected, m.principal_due_paid.to_rational() / m.principal_due.to_rational(),
              fmt::format("collected {} of {} due", m.principal_due_paid.minor_units(), m.principal_due.minor_units()));
}

// Criteria 3 to 6, from the bank's statement of the month (missing without one).
void score_bank_criteria(const VbspGroupMonth& m, CriteriaSetter& score) {
  if (!m.now) {
    const std::string no_statement = "missing: no VBSP statement dated in the month";
    score.missing(VbspCriterion::kInterestCollection, no_statement);
    score.missing(VbspCriterion::kMembersSaving, no_statement);
    score.missing(VbspCriterion::kSavingsGrowth, no_statement);
    score.missing(VbspCriterion::kOverdueRatio, no_statement);
    return;
  }
  const auto& b = *m.now;
  // 3. Interest collection rate: collected ÷ (collected + still unpaid).
  const Money owed = b.interest_collected + b.interest_unpaid;
  if (owed.is_zero())
    score.set(VbspCriterion::kInterestCollection, 1, "no interest owed");
  else
    score.set(VbspCriterion::kInterestCollection, b.interest_collected.to_rational() / owed.to_rational(),
              fmt::format("collected {} of {} (collected + unpaid)", b.interest_collected.minor_units(),
                          owed.minor_units()));
  // 4. Members saving: borrowers with savings ÷ borrowers.
  if (b.borrowers == 0)
    score.set(VbspCriterion::kMembersSaving, 1, "no open loan at the bank");
  else
    score.set(VbspCriterion::kMembersSaving, Rational(b.saving) / b.borrowers,
              fmt::format("{} of {} borrowers have savings", b.saving, b.borrowers));
  // 5. Savings growth: higher than at the end of the month before.
  if (!m.savings_before)
    score.missing(VbspCriterion::kSavingsGrowth, "missing: no VBSP statement dated in the month before");
  else {
    const bool grew = b.savings > *m.savings_before;
    score.set(VbspCriterion::kSavingsGrowth, grew ? 1 : 0,
              fmt::format("savings {} against {} the month before", b.savings.minor_units(),
                          m.savings_before->minor_units()));
  }
  // 6. Overdue ratio: the share of outstanding principal that is not overdue.
  if (b.outstanding.is_zero())
    score.set(VbspCriterion::kOverdueRatio, 1, "no open loan at the bank");
  else
    score.set(VbspCriterion::kOverdueRatio, 1 - b.overdue.to_rational() / b.outstanding.to_rational(),
              fmt::format("overdue {} of {} outstanding", b.overdue.minor_units(), b.outstanding.minor_units()));
}

}  // namespace

VbspGroupScore score_vbsp_group(const VbspGroupMonth& m, const VbspGradeThresholds& t) {
  VbspGroupScore out;
  out.group = m.group;
  CriteriaSetter score(out);
  score_union_criteria(m, score);
  score_bank_criteria(m, score);
  Rational total = 0;
  bool complete = true;
  for (const auto& s : out.criteria) {
    if (s.missing) complete = false;
    else total += *s.points;
  }
  if (complete) {
    out.total = total;
    out.grade = vbsp_grade(total, t);
  }
  return out;
}

// --- the engine ------------------------------------------------------------------------------

VbspFees::VbspFees(Ledger& ledger) : ledger_(ledger), store_(std::make_unique<VbspFeeStore>(ledger.store())) {}
VbspFees::~VbspFees() = default;

Result<bool> VbspFees::add_contract(const VbspContract& c) {
  if (auto ok = ledger_.require_write(std::string(charts::entrust::kBook)); !ok) return fail(ok.error());
  if (trim(c.code).empty() || trim(c.code) != c.code)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' is not a contract code: empty or with spaces around it")), c.code)));
  Registry registry(ledger_);
  auto u = registry.unit(c.unit, c.signed_on);
  if (!u) return fail(u.error().in_field("unit"));
  if (u->kind != UnitKind::kCommune)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' is a {}, not a commune: an entrustment contract is the "
                                             "commune union's")),
                                             c.unit, to_string(u->kind))).in_field("unit"));
  if (auto old = store_->find_contract(c.code)) {
    if (old->unit_code == c.unit && old->signed_on == c.signed_on) return false;
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("contract '{}' is already recorded for {} signed on {}: contracts are never changed")), c.code,
        old->unit_code, old->signed_on)));
  }
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    VbspContractRow row;
    row.code = c.code;
    row.unit_id = *store_->unit_id(c.unit);
    row.signed_on = c.signed_on;
    store_->insert_contract(row, now_timestamp(), ledger_.actor().id);
    return {};
  });
  if (!r) return fail(r.error());
  return true;
}

std::vector<VbspContract> VbspFees::contracts() {
  std::vector<VbspContract> out;
  for (const auto& c : store_->contracts()) out.push_back({c.code, c.unit_code, c.signed_on});
  return out;
}

Result<bool> VbspFees::add_rate(const VbspFeeRate& r) {
  if (auto ok = ledger_.require_write(std::string(charts::entrust::kBook)); !ok) return fail(ok.error());
  auto c = store_->find_contract(r.contract);
  if (!c) {
    std::string known;
    for (const auto& k : store_->contracts()) known += (known.empty() ? "" : ", ") + k.code;
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("unknown contract '{}' (recorded: {}); add it with soquy "
                                             "vbsp contract add")),
                                             r.contract, known.empty() ? std::string("none") : known))
                    .in_field("contract"));
  }
  for (const auto* p : {&r.fee_percent, &r.commission_percent})
    if (*p < 0 || *p > 100)
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{} is not a percentage from 0% to 100%")), format_percent(*p))));
  if (r.effective_from < c->signed_on)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{} is before contract '{}' was signed on {}")), r.effective_from,
                                             r.contract, c->signed_on)).in_field("from"));
  for (const auto& old : store_->rates()) {
    if (old.contract_id != c->id || old.effective_from != r.effective_from) continue;
    if (stored_percent(old.fee_percent) == r.fee_percent &&
        stored_percent(old.commission_percent) == r.commission_percent)
      return false;
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("contract '{}' already has rates from {} (fee {}, commission {}): a version is never changed; add a new "
        "version with a later --from")),
        r.contract, r.effective_from, format_percent(stored_percent(old.fee_percent)),
        format_percent(stored_percent(old.commission_percent)))));
  }
  auto done = ledger_.in_transaction([&]() -> Result<void> {
    VbspFeeRateRow row;
    row.contract_id = c->id;
    row.effective_from = r.effective_from;
    row.fee_percent = format_decimal_exact(r.fee_percent);
    row.commission_percent = format_decimal_exact(r.commission_percent);
    store_->insert_rate(row, now_timestamp(), ledger_.actor().id);
    return {};
  });
  if (!done) return fail(done.error());
  return true;
}

std::vector<VbspFeeRate> VbspFees::rates() {
  std::vector<VbspFeeRate> out;
  for (const auto& r : store_->rates())
    out.push_back({r.contract_code, r.effective_from, stored_percent(r.fee_percent),
                   stored_percent(r.commission_percent)});
  return out;
}

Result<VbspSessionFee> VbspFees::session_fee(const std::string& group, Date date, std::optional<Date> from) {
  Vbsp vbsp(ledger_);
  auto s = vbsp.session_check(group, date, Money(0), from);
  if (!s) return fail(s.error());
  Registry registry(ledger_);
  auto g = registry.group(group);
  if (!g) return fail(g.error());
  VbspSessionFee out;
  out.group = group;
  out.group_name = g->name;
  out.commune = g->unit;
  out.from = s->from;
  out.date = date;
  out.interest = s->interest;
  out.rate = vbsp_rate_in_force(contracts(), rates(), g->unit, date, &out.contract);
  if (out.rate) {
    out.fee = percent_of(out.interest, out.rate->fee_percent);
    out.commission = percent_of(out.interest, out.rate->commission_percent);
  }
  return out;
}

Result<VbspFeeReport> VbspFees::month_fees(Date from, Date to, const std::string& group) {
  VbspFeeReport out;
  out.from = from;
  out.to = to;
  out.group = group;
  std::set<std::string> groups;
  if (!group.empty()) {
    groups.insert(group);
  } else {
    Vbsp vbsp(ledger_);
    auto loans = vbsp.ledger_loans(from, to);
    if (!loans) return fail(loans.error());
    for (const auto& l : *loans)
      if (!l.interest_collected.is_zero()) groups.insert(l.group_code);
  }
  for (const auto& g : groups) {
    auto f = session_fee(g, to, from);
    if (!f) return fail(f.error());
    out.interest += f->interest;
    if (f->rate) {
      out.fee += *f->fee;
      out.commission += *f->commission;
    } else {
      ++out.without_rate;
    }
    out.sessions.push_back(std::move(*f));
  }
  return out;
}

namespace {

using GroupMonths = std::map<std::string, VbspGroupMonth>;  // group code → its month

// The setting vbsp.grade_thresholds, or the default.
Result<VbspGradeThresholds> grade_thresholds(Ledger& ledger) {
  auto text = setting_value<std::string>(ledger.store(), kVbspGradeThresholds);
  if (!text) return fail(text.error());
  auto t = parse_vbsp_grade_thresholds(*text);
  if (!t) return fail(t.error().with_context(fmt::format("setting {}: ", kVbspGradeThresholdsSetting)));
  return *t;
}

// The union's side: principal paid and due in the month, per group of the register;
// `in_register` gets the groups with a loan there.
Result<GroupMonths> union_months(Vbsp& vbsp, Date from, Date to, std::set<std::string>& in_register) {
  auto end = vbsp.ledger_loans(from, to);
  if (!end) return fail(end.error());
  auto start = vbsp.ledger_loans(from, from.add_days(-1));
  if (!start) return fail(start.error());
  std::map<std::string, Money> start_outstanding;
  for (const auto& l : *start) start_outstanding[l.loan_no] = l.principal_outstanding;

  GroupMonths months;
  for (const auto& l : *end) {
    auto it = start_outstanding.find(l.loan_no);
    const Money at_start = it == start_outstanding.end() ? l.amount : it->second;
    const Money paid = at_start - l.principal_outstanding;
    if (l.principal_outstanding.is_zero() && paid.is_zero()) continue;  // repaid before the month
    auto& m = months[l.group_code];
    m.group = l.group_code;
    in_register.insert(l.group_code);
    m.principal_paid += paid;
    if (it != start_outstanding.end() && l.maturity_on <= to && !at_start.is_zero()) {
      m.principal_due += at_start;
      m.principal_due_paid += paid;
    }
  }
  return months;
}

// The bank's side of the month: the statement dated `d`, per group (also groups only there).
Result<void> add_bank_month(Vbsp& vbsp, Date d, GroupMonths& months) {
  auto st = vbsp.statement(d);
  if (!st) return fail(st.error());
  std::map<std::string, std::set<std::string>> borrowers, saving, counted;
  for (const auto& r : st->second) {
    auto& m = months[r.group_code];
    m.group = r.group_code;
    if (!m.now) m.now = bank_on(d);
    m.now->interest_collected += r.interest_collected;
    m.now->interest_unpaid += r.interest_unpaid;
    if (counted[r.group_code].insert(r.customer_code).second) m.now->savings += r.savings_balance;
    if (r.closed) continue;
    m.now->outstanding += r.principal_outstanding;
    m.now->overdue += r.principal_overdue;
    borrowers[r.group_code].insert(r.customer_code);
    if (r.savings_balance > Money(0)) saving[r.group_code].insert(r.customer_code);
  }
  for (auto& [code, m] : months) {
    if (!m.now) m.now = bank_on(d);  // in the register, not at the bank
    m.now->borrowers = static_cast<std::int64_t>(borrowers[code].size());
    m.now->saving = static_cast<std::int64_t>(saving[code].size());
  }
  return {};
}

// The savings of each group on the statement dated `d` of the month before.
Result<void> add_bank_month_before(Vbsp& vbsp, Date d, GroupMonths& months) {
  auto st = vbsp.statement(d);
  if (!st) return fail(st.error());
  std::map<std::string, Money> savings;
  std::map<std::string, std::set<std::string>> counted;
  for (const auto& r : st->second)
    if (counted[r.group_code].insert(r.customer_code).second) savings[r.group_code] += r.savings_balance;
  for (auto& [code, m] : months) {
    m.before_as_of = d;
    m.savings_before = savings[code];
  }
  return {};
}

}  // namespace

Result<VbspGrades> VbspFees::grades(Date from, Date to, const std::string& group) {
  VbspGrades out;
  out.from = from;
  out.to = to;
  out.group = group;
  auto thresholds = grade_thresholds(ledger_);
  if (!thresholds) return fail(thresholds.error());
  out.thresholds = *thresholds;
  Vbsp vbsp(ledger_);
  std::set<std::string> in_register;
  auto months = union_months(vbsp, from, to, in_register);
  if (!months) return fail(months.error());

  // The bank's side: the statements dated last in the month and in the month before.
  if (auto d = store_->latest_statement_date(from, to)) {
    if (auto r = add_bank_month(vbsp, *d, *months); !r) return fail(r.error());
    out.statement = *d;
  }
  const Date before_from = from.add_months(-1);
  if (auto d = store_->latest_statement_date(before_from, from.add_days(-1))) {
    if (auto r = add_bank_month_before(vbsp, *d, *months); !r) return fail(r.error());
    out.statement_before = *d;
  }

  if (!group.empty()) {
    if (!months->contains(group))
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' has no VBSP loan in the register or the bank's "
                                               "statement in {}")),
                                               group, month_name(from))).in_field("group"));
    auto keep = months->extract(group);
    months->clear();
    months->insert(std::move(keep));
  }

  Registry registry(ledger_);
  for (auto& [code, m] : *months) {
    if (in_register.contains(code)) {
      auto s = vbsp.session_check(code, to, Money(0), from);
      if (!s) return fail(s.error());
      m.receipts = s->receipts;
    }
    auto score = score_vbsp_group(m, out.thresholds);
    if (auto g = registry.group(code)) {
      score.group_name = g->name;
      score.commune = g->unit;
    }
    if (score.grade)
      ++out.counts[static_cast<std::size_t>(*score.grade)];
    else
      ++out.not_graded;
    out.groups.push_back(std::move(score));
  }
  return out;
}

}  // namespace soquy
