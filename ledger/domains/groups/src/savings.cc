// The rules of savings groups and pools (savings.h). Rows are kept by SavingsStore
// (savings_store.cc); loans are scheduled and allocated by the fund-loan engine
// (loan_schedule.h, loan_status.h), never by code of their own.
#include "soquy/i18n.h"
#include "soquy/savings.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "group_access.h"
#include "savings_store.h"
#include "soquy/charts.h"
#include "soquy/clock.h"
#include "soquy/csv_reader.h"
#include "store.h"

namespace soquy {
namespace {

Error bad(std::string m) { return Error::bad_input(std::move(m)); }
std::string acct(std::string_view code) { return std::string(code); }

}  // namespace

Result<ShareoutMethod> parse_shareout_method(std::string_view s) {
  if (s == "shares") return ShareoutMethod::kShares;
  if (s == "time-weighted") return ShareoutMethod::kTimeWeighted;
  return fail(bad(fmt::format(fmt::runtime(tr("'{}' is not a share-out method (shares, time-weighted)")), s)));
}
std::string_view to_string(ShareoutMethod m) { return m == ShareoutMethod::kShares ? "shares" : "time-weighted"; }

Result<LeftoverRule> parse_leftover_rule(std::string_view s) {
  if (s == "social-fund") return LeftoverRule::kSocialFund;
  if (s == "members") return LeftoverRule::kMembers;
  return fail(bad(fmt::format(fmt::runtime(tr("'{}' is not a leftover rule (social-fund, members)")), s)));
}
std::string_view to_string(LeftoverRule r) { return r == LeftoverRule::kSocialFund ? "social-fund" : "members"; }

Result<ShareoutSplit> split_profit(Money total, const std::vector<Rational>& weights, LeftoverRule rule) {
  Rational sum = 0;
  for (const auto& w : weights) {
    if (w < 0) return fail(bad(tr("share-out weights must not be negative")));
    sum += w;
  }
  if (sum == 0) return fail(bad(tr("share-out weights are all zero: nobody held savings to share by")));
  const bool negative = total.is_negative();
  // |total| in a big integer (negating the int64 itself would overflow for its minimum).
  BigInt whole(total.minor_units());
  if (negative) whole = -whole;
  Rational whole_rational(total.minor_units());  // the same |total| as a rational
  if (negative) whole_rational = -whole_rational;
  std::vector<BigInt> floors;
  std::vector<Rational> rems;
  BigInt given = 0;
  for (const auto& w : weights) {
    Rational exact = whole_rational * w / sum;
    BigInt f = numerator(exact) / denominator(exact);  // exact ≥ 0: floor
    floors.push_back(f);
    rems.push_back(exact - Rational(f));
    given += f;
  }
  BigInt left = whole - given;  // < number of weights
  // Indices by remainder, largest first; equal remainders by index (member-code order).
  std::vector<std::size_t> order(weights.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rems[a] > rems[b]; });
  std::size_t k = 0;
  while (left > 0 && k < order.size()) {
    // The group of equal remainders starting at k.
    std::size_t end = k;
    while (end < order.size() && rems[order[end]] == rems[order[k]]) ++end;
    if (rems[order[k]] == 0) break;
    const BigInt group_size = BigInt(end - k);
    if (group_size <= left || rule == LeftoverRule::kMembers) {
      for (std::size_t j = k; j < end && left > 0; ++j) {
        floors[order[j]] += 1;
        left -= 1;
      }
      k = end;
    } else {
      break;  // a tie the đồng left cannot settle: they go to the social fund
    }
  }
  ShareoutSplit out;
  for (const auto& f : floors) {
    auto v = f.convert_to<std::int64_t>();
    out.parts.push_back(Money(negative ? -v : v));
  }
  auto lv = left.convert_to<std::int64_t>();
  out.leftover = Money(negative ? -lv : lv);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The meeting sheet.

Result<std::vector<MeetingLine>> read_meeting_sheet(const std::string& path, const CsvReadOptions& read_options) {
  std::optional<CsvHeader> header;
  std::optional<IdentifierCheck> ids;
  std::vector<MeetingLine> out;
  const std::vector<std::string> optional = {"shares", "deposit", "social", "fine", "repay", "loan"};
  const std::vector<std::pair<std::string, std::string>> aliases = {
      {"mã hội viên", "member"}, {"hội viên", "member"},   {"thành viên", "member"}, {"cổ phần", "shares"},
      {"số cổ phần", "shares"},  {"tiền gửi", "deposit"},  {"gửi tiết kiệm", "deposit"},
      {"quỹ xã hội", "social"},  {"tiền phạt", "fine"},    {"phạt", "fine"},         {"trả nợ", "repay"},
      {"khoản vay", "loan"},     {"mã khoản vay", "loan"},
  };
  auto read = read_csv_file(path, read_options, [&](CsvRecord& rec) -> Result<void> {
    if (!header) {
      auto h = CsvHeader::from_record(rec, {"member"}, optional, aliases);
      if (!h) return fail(h.error().with_context(path + ":"));
      bool any = false;
      for (const auto& c : {"shares", "deposit", "social", "fine", "repay"}) any = any || h->index(c) >= 0;
      if (!any)
        return fail(bad(fmt::format(fmt::runtime(tr("{}:{}: header: no amount column (shares, deposit, social, fine, repay)")), path,
                                    rec.line)));
      header = std::move(*h);
      ids.emplace(header->positions({"member", "loan"}));
      return {};
    }
    bool blank = true;
    for (const auto& f : rec.fields) blank = blank && f.empty();
    if (blank) return {};
    auto where = [&](std::string_view col) { return fmt::format("{}:{}: {}: ", path, rec.line, col); };
    ids->add(rec);
    MeetingLine l;
    l.line = rec.line;
    l.member = std::string(header->get(rec, "member"));
    if (l.member.empty()) return fail(bad(where("member") + tr("the member is missing")));
    auto shares = header->get(rec, "shares");
    if (!shares.empty()) {
      std::int64_t n = 0;
      for (char c : shares) {
        if (c < '0' || c > '9' || n > 1'000'000'000)
          return fail(bad(where("shares") + fmt::format(fmt::runtime(tr("'{}' is not a whole number of shares")), shares)));
        n = n * 10 + (c - '0');
      }
      l.shares = n;
    }
    struct Col {
      const char* name;
      Money* into;
    };
    for (Col c : {Col{"deposit", &l.deposit}, Col{"social", &l.social}, Col{"fine", &l.fine},
                  Col{"repay", &l.repayment}}) {
      auto text = header->get(rec, c.name);
      if (text.empty()) continue;
      auto m = parse_money(text);
      if (!m) return fail(m.error().with_context(where(c.name)));
      if (m->is_negative()) return fail(bad(where(c.name) + fmt::format(fmt::runtime(tr("{} must not be negative")), text)));
      *c.into = *m;
    }
    l.loan = std::string(header->get(rec, "loan"));
    if (!l.loan.empty() && l.repayment.is_zero())
      return fail(bad(where("loan") + tr("a loan is named but nothing is repaid on this line")));
    out.push_back(std::move(l));
    return {};
  });
  if (!read) return fail(read.error());
  if (!header) return fail(bad(fmt::format(fmt::runtime(tr("{}: the sheet is empty (no header)")), path)));
  if (auto rounded = ids->problems(); !rounded.empty())
    return fail(bad(fmt::format("{}:{}: {}: {}", path, rounded.front().line, rounded.front().column,
                                rounded.front().message)));
  if (out.empty()) return fail(bad(fmt::format(fmt::runtime(tr("{}: the sheet has no member lines")), path)));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Loading a group.

struct Savings::Loaded {
  Group group;
  SavingsRules rules;
  bool has_rules = false;
  std::vector<SavingsMeetingRow> meetings;
  std::vector<SavingsMeetingLineRow> lines;
  std::vector<SavingsLoanRow> loans;
  std::vector<SavingsLoanPaymentRow> payments;
  std::vector<SavingsMovementRow> movements;
  std::vector<SavingsShareoutRow> shareouts;
  // What was reversed (the rows above hold only what counts): kept to show, never to compute.
  std::vector<SavingsMeetingRow> reversed_meetings;
  std::vector<SavingsShareoutRow> reversed_shareouts;
  std::vector<SavingsLoanPaymentRow> reversed_payments;
  std::vector<SavingsMovementRow> reversed_movements;
  std::vector<SavingsLoanRow> reversed_loans;

  int cycle() const { return static_cast<int>(shareouts.size()) + 1; }
  std::optional<Date> last_date() const {
    std::optional<Date> d;
    auto see = [&](Date x) {
      if (!d || x > *d) d = x;
    };
    for (const auto& m : meetings) see(m.held_on);
    for (const auto& l : loans) see(l.disbursed_on);
    for (const auto& p : payments) see(p.paid_on);
    for (const auto& m : movements) see(m.moved_on);
    for (const auto& s : shareouts) see(s.held_on);
    return d;
  }
  const SavingsMeetingRow& meeting(std::int64_t id) const {
    for (const auto& m : meetings)
      if (m.id == id) return m;
    throw SoquyException(Error::internal("a meeting line points at an unknown meeting"));
  }
  const SavingsLoanRow* loan(const std::string& code) const {
    for (const auto& l : loans)
      if (l.code == code) return &l;
    return nullptr;
  }
  std::vector<Payment> loan_payments(std::int64_t loan_id, std::optional<Date> upto = {}) const {
    std::vector<Payment> out;
    for (const auto& p : payments)
      if (p.loan_id == loan_id && (!upto || p.paid_on <= *upto)) out.push_back({p.paid_on, Money(p.amount)});
    return out;
  }
  // Savings of `member_id` in `cyc` dated ≤ as_of: meeting lines − withdrawals.
  Money member_savings(std::int64_t member_id, int cyc, Date as_of) const {
    Money s;
    for (const auto& l : lines) {
      const auto& m = meeting(l.meeting_id);
      if (l.member_id == member_id && m.cycle == cyc && m.held_on <= as_of) s += Money(l.savings);
    }
    for (const auto& v : movements)
      if (v.member_id == member_id && v.cycle == cyc && v.moved_on <= as_of && v.kind == "withdraw")
        s -= Money(v.amount);
    return s;
  }
  Money pool_balance(std::int64_t member_id, Date as_of) const {
    Money s;
    for (const auto& v : movements) {
      if (v.member_id != member_id || v.moved_on > as_of) continue;
      if (v.kind == "contribution") s += Money(v.amount);
      if (v.kind == "charge") s -= Money(v.amount);
    }
    return s;
  }
};

namespace {

Result<LoanTerms> terms_of(const SavingsLoanRow& r) {
  LoanTerms t;
  t.principal = Money(r.principal);
  auto rate = Rate::parse(r.rate);
  if (!rate) return fail(rate.error());
  t.rate = *rate;
  t.installments = r.installments;
  t.grace = r.grace;
  auto m = parse_repayment_method(r.method);
  if (!m) return fail(m.error());
  t.method = *m;
  auto f = parse_frequency(r.frequency);
  if (!f) return fail(f.error());
  t.frequency = *f;
  t.disbursed_on = r.disbursed_on;
  return t;
}

AllocationOptions allocation_of(const SavingsLoanRow& r) {
  AllocationOptions o;
  if (r.penalty_rate) o.penalty_rate = *Rate::parse(*r.penalty_rate);
  return o;
}

}  // namespace

Savings::Savings(Ledger& ledger)
    : ledger_(ledger), registry_(ledger), store_(std::make_unique<SavingsStore>(ledger.store())) {}
Savings::~Savings() = default;

Result<Savings::Loaded> Savings::load(const std::string& code, std::optional<GroupKind> kind) {
  auto g = registry_.group(code);
  if (!g) return fail(bad(fmt::format(fmt::runtime(tr("unknown group '{}'")), code)));
  const bool ok_kind = kind ? g->kind == *kind : (g->kind == GroupKind::kSavings || g->kind == GroupKind::kPool);
  if (!ok_kind) {
    std::string_view want = kind ? (*kind == GroupKind::kPool ? tr("a pool") : tr("a savings group")) : tr("a savings group or pool");
    return fail(bad(fmt::format(fmt::runtime(tr("group '{}' is a {} group, not {}")), code, to_string(g->kind), want)));
  }
  if (auto ok = require_group_rows(ledger_, g->book); !ok) return fail(ok.error());
  Loaded l;
  l.group = *g;
  if (auto r = store_->rules(g->id)) {
    l.has_rules = true;
    if (r->share_price) l.rules.share_price = Money(*r->share_price);
    l.rules.method = *parse_shareout_method(r->method);
    l.rules.leftover = *parse_leftover_rule(r->leftover);
  }
  // A reversed record no longer counts (a meeting takes its lines and loan payments with it).
  auto keep = [](auto rows, auto& reversed) {
    decltype(rows) kept;
    for (auto& r : rows) (r.reversed_by ? reversed : kept).push_back(std::move(r));
    return kept;
  };
  l.meetings = keep(store_->meetings(g->id), l.reversed_meetings);
  std::set<std::int64_t> gone;
  for (const auto& m : l.reversed_meetings) gone.insert(m.id);
  for (auto& x : store_->meeting_lines(g->id))
    if (!gone.count(x.meeting_id)) l.lines.push_back(std::move(x));
  l.loans = keep(store_->loans(g->id), l.reversed_loans);
  l.payments = keep(store_->loan_payments(g->id), l.reversed_payments);
  l.movements = keep(store_->movements(g->id), l.reversed_movements);
  l.shareouts = keep(store_->shareouts(g->id), l.reversed_shareouts);
  return l;
}

namespace {

Result<void> not_before(const std::optional<Date>& last, Date date, const std::string& group) {
  if (last && date < *last)
    return fail(bad(fmt::format(fmt::runtime(tr("{} is before the group's latest operation ({}); group '{}' records go in "
                                "date order")),
                                date.to_iso(), last->to_iso(), group)).in_field("date"));
  return {};
}

}  // namespace

// A member of the group on `date`: her registry row id.
static Result<Member> group_member(Registry& reg, const std::string& group, const std::string& id, Date date) {
  auto m = reg.member(id, date);
  if (!m) return fail(bad(fmt::format(fmt::runtime(tr("unknown member '{}'")), id)));
  if (std::find(m->groups.begin(), m->groups.end(), group) == m->groups.end())
    return fail(bad(fmt::format(fmt::runtime(tr("member '{}' is not in group '{}' on {}")), id, group, date.to_iso())));
  return m;
}

Result<SavingsRules> Savings::set_rules(const std::string& group, const SavingsRules& rules) {
  auto l = load(group, GroupKind::kSavings);
  if (!l) return fail(l.error());
  if (auto ok = ledger_.require_write(l->group.book); !ok) return fail(ok.error());
  if (l->has_rules) return fail(bad(fmt::format(fmt::runtime(tr("group '{}' already has its rules; they are fixed once set")), group)));
  if (rules.share_price && *rules.share_price <= Money(0))
    return fail(bad(tr("must be more than 0 đồng")).in_field("share_price"));
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    SavingsRulesRow row;
    if (rules.share_price) row.share_price = rules.share_price->minor_units();
    row.method = std::string(to_string(rules.method));
    row.leftover = std::string(to_string(rules.leftover));
    store_->insert_rules(l->group.id, row, now_timestamp(), ledger_.actor().id);
    return {};
  });
  if (!r) return fail(r.error());
  return rules;
}

Result<SavingsRules> Savings::rules(const std::string& group) {
  auto l = load(group, GroupKind::kSavings);
  if (!l) return fail(l.error());
  return l->rules;
}

// ---------------------------------------------------------------------------------------------
// Meetings.

namespace {

// A meeting line's repayment: the loan it pays and how the fund-loan engine allocates it.
struct MeetingRepay {
  const SavingsLoanRow* loan;
  PaymentAllocation alloc;
};

// Where an error in a meeting line is: the sheet's line and column when it came from a sheet.
std::string sheet_where(const std::string& source, const MeetingLine& ml, std::string_view col) {
  if (ml.line == 0) return fmt::format("{}: ", col);
  return fmt::format("{}:{}: {}: ", source.empty() ? "sheet" : source, ml.line, col);
}

// Checks every line of the sheet first, building the rows to write; adds the savings, social
// fund and fines to res.
Result<std::vector<SavingsMeetingLineRow>> meeting_rows(Registry& registry, const std::string& group, Date date,
                                                         const std::vector<MeetingLine>& in, const std::string& source,
                                                         const SavingsRules& rules, MeetingResult& res) {
  auto where = [&](const MeetingLine& ml, std::string_view col) { return sheet_where(source, ml, col); };
  std::vector<SavingsMeetingLineRow> rows;
  std::set<std::int64_t> seen;
  for (const auto& ml : in) {
    auto m = group_member(registry, group, ml.member, date);
    if (!m) return fail(m.error().with_context(where(ml, "member")));
    if (!seen.insert(m->row_id).second)
      return fail(bad(where(ml, "member") + fmt::format(fmt::runtime(tr("member '{}' has two lines in the sheet")), m->id)));
    if (ml.shares < 0) return fail(bad(where(ml, "shares") + tr("must not be negative")));
    for (auto [name, v] : {std::pair{"deposit", ml.deposit}, std::pair{"social", ml.social},
                           std::pair{"fine", ml.fine}, std::pair{"repay", ml.repayment}})
      if (v.is_negative()) return fail(bad(where(ml, name) + tr("must not be negative")));
    SavingsMeetingLineRow row;
    row.line_no = static_cast<int>(rows.size()) + 1;
    row.member_id = m->row_id;
    row.member_code = m->id;
    row.shares = ml.shares;
    row.deposit = ml.deposit.minor_units();
    Money savings = ml.deposit;
    if (ml.shares > 0) {
      if (!rules.share_price)
        return fail(bad(where(ml, "shares") +
                        fmt::format(fmt::runtime(tr("group '{}' has no share price (soquy savings rules {} --share-price P)")), group, group)));
      auto v = rules.share_price->times(ml.shares).and_then([&](Money x) { return x.plus(ml.deposit); });
      if (!v) return fail(v.error().with_context(where(ml, "shares")));
      savings = *v;
    }
    row.savings = savings.minor_units();
    row.social = ml.social.minor_units();
    row.fine = ml.fine.minor_units();
    row.repayment = ml.repayment.minor_units();
    for (auto [sum, add, col] : {std::tuple{&res.savings, savings, "shares"}, std::tuple{&res.social, ml.social, "social"},
                                 std::tuple{&res.fines, ml.fine, "fine"}}) {
      auto v = sum->plus(add);
      if (!v) return fail(bad(where(ml, col) + tr("the meeting's total is beyond the range of amounts")));
      *sum = *v;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// A meeting may be dated before the group's latest operation (entered late): every report is a
// replay in date order, which a meeting (money in only) keeps whole — unless a share-out dated
// after it already closed its cycle. Repayments in it are checked by line_repayment. `l` is the
// group as Savings loaded it (auto: Savings::Loaded is private).
Result<void> meeting_fits(const auto& l, const std::string& group, Date date) {
  for (const auto& s : l.shareouts)
    if (s.held_on > date)
      return fail(bad(fmt::format(fmt::runtime(tr("group '{}' shared out cycle {} on {} (entry #{}): a meeting dated {} would "
                                  "belong to that cycle; reverse the share-out first")),
                                  group, s.cycle, s.held_on.to_iso(), s.entry_id, date.to_iso()))
                      .in_field("date"));
  return {};
}

// The same date again: the same sheet changes nothing (the result is the meeting recorded
// then), another is refused; nullopt when the group has no meeting on the date. `l` is the
// group as Savings loaded it (auto: Savings::Loaded is private).
Result<std::optional<MeetingResult>> same_day_meeting(const auto& l, const std::string& group, Date date,
                                                      const std::vector<SavingsMeetingLineRow>& rows, MeetingResult res) {
  for (const auto& mt : l.meetings) {
    if (mt.held_on != date) continue;
    std::vector<SavingsMeetingLineRow> had;
    for (const auto& x : l.lines)
      if (x.meeting_id == mt.id) had.push_back(x);
    bool same = had.size() == rows.size();
    for (std::size_t i = 0; same && i < rows.size(); ++i) {
      const auto &a = had[i], &b = rows[i];
      same = a.member_id == b.member_id && a.shares == b.shares && a.deposit == b.deposit && a.savings == b.savings &&
             a.social == b.social && a.fine == b.fine && a.repayment == b.repayment;
    }
    if (!same)
      return fail(bad(fmt::format(fmt::runtime(tr("group '{}' already has a meeting on {} with another sheet; correct it with a "
                                  "reversal, not a second sheet")),
                                  group, date.to_iso())));
    res.created = false;
    res.cycle = mt.cycle;
    res.meeting_no = mt.meeting_no;
    res.entry = mt.entry_id;
    for (const auto& p : l.payments) {
      if (p.meeting_id != mt.id) continue;
      res.principal += Money(p.principal);
      res.interest += Money(p.interest);
      res.penalty += Money(p.penalty);
    }
    res.total = res.savings + res.social + res.fines + res.principal + res.interest + res.penalty;
    return std::optional<MeetingResult>(res);
  }
  return std::optional<MeetingResult>();
}

// The loan a line's repayment pays: the one named in its loan column, else the member's only
// open loan (open after the loan's earlier payments and this sheet's).
Result<const SavingsLoanRow*> repaid_loan(const auto& l, const std::string& group, Date date, const MeetingLine& ml,
                                          const SavingsMeetingLineRow& row, const std::string& source,
                                          std::map<std::int64_t, std::vector<Payment>>& loan_pays) {
  auto where = [&](const MeetingLine& x, std::string_view col) { return sheet_where(source, x, col); };
  const std::string& member_code = row.member_code;
  if (!ml.loan.empty()) {
    const SavingsLoanRow* loan = l.loan(ml.loan);
    if (!loan) return fail(bad(where(ml, "loan") + fmt::format(fmt::runtime(tr("group '{}' has no loan '{}'")), group, ml.loan)));
    if (loan->member_id != row.member_id)
      return fail(bad(where(ml, "loan") + fmt::format(fmt::runtime(tr("loan '{}' is {}'s, not {}'s")), ml.loan, loan->member_code, member_code)));
    return loan;
  }
  std::vector<const SavingsLoanRow*> open;
  for (const auto& ln : l.loans) {
    if (ln.member_id != row.member_id) continue;
    auto t = terms_of(ln);
    if (!t) return fail(t.error());
    auto s = build_schedule(*t);
    if (!s) return fail(s.error());
    auto pays = loan_pays.count(ln.id) ? loan_pays[ln.id] : l.loan_payments(ln.id);
    auto pos = loan_position(*s, pays, date, {allocation_of(ln), LoanState::kActive});
    if (!pos) return fail(pos.error());
    if (!pos->outstanding_principal.is_zero()) open.push_back(&ln);
  }
  if (open.size() != 1)
    return fail(bad(where(ml, "repay") +
                    (open.empty() ? fmt::format(fmt::runtime(tr("member '{}' has no open loan in group '{}'")), member_code, group)
                                  : fmt::format(fmt::runtime(tr("member '{}' has {} open loans: name one in the loan column")),
                                                member_code, open.size()))));
  return open.front();
}

// A line's repayment, allocated by the fund-loan engine after its loan's earlier ones (which
// loan_pays keeps, with this sheet's); nullopt when the line repays nothing. Sets row.loan_id.
Result<std::optional<MeetingRepay>> line_repayment(const auto& l, const std::string& group, Date date,
                                                   const MeetingLine& ml, SavingsMeetingLineRow& row,
                                                   const std::string& source,
                                                   std::map<std::int64_t, std::vector<Payment>>& loan_pays) {
  if (ml.repayment.is_zero()) return std::optional<MeetingRepay>();
  auto where = [&](const MeetingLine& x, std::string_view col) { return sheet_where(source, x, col); };
  auto found = repaid_loan(l, group, date, ml, row, source, loan_pays);
  if (!found) return fail(found.error());
  const SavingsLoanRow* loan = *found;
  if (loan->disbursed_on > date)
    return fail(bad(where(ml, "repay") + fmt::format(fmt::runtime(tr("loan '{}' was lent on {}")), loan->code, loan->disbursed_on.to_iso())));
  auto t = terms_of(*loan);
  if (!t) return fail(t.error());
  auto s = build_schedule(*t);
  if (!s) return fail(s.error());
  for (const auto& p : l.payments)
    if (p.loan_id == loan->id && p.paid_on > date)
      return fail(bad(where(ml, "repay") + fmt::format(fmt::runtime(tr("loan '{}' was repaid later, on {} (entry #{}): a repayment "
                                                       "dated {} would change how that one was allocated; reverse "
                                                       "it first")),
                                                       loan->code, p.paid_on.to_iso(), p.entry_id, date.to_iso())));
  if (!loan_pays.count(loan->id)) loan_pays[loan->id] = l.loan_payments(loan->id);
  auto& pays = loan_pays[loan->id];
  pays.push_back({date, ml.repayment});
  auto a = allocate(*s, pays, allocation_of(*loan));
  if (!a) return fail(a.error().with_context(where(ml, "repay")));
  const auto& last = a->payments.back();
  if (!last.overpayment.is_zero())
    return fail(bad(where(ml, "repay") + fmt::format(fmt::runtime(tr("{} đồng is more than loan '{}' owes ({} đồng)")),
                                                     ml.repayment.to_plain_string(), loan->code,
                                                     (ml.repayment - last.overpayment).to_plain_string())));
  row.loan_id = loan->id;
  return std::optional<MeetingRepay>(MeetingRepay{loan, last});
}

// Posts the meeting's entry and writes the meeting, its lines and their loan payments; the
// caller holds the transaction.
Result<void> write_meeting(Ledger& ledger, SavingsStore& store, const auto& l, const std::string& group, Date date,
                           std::vector<SavingsMeetingLineRow>& rows, const std::vector<std::optional<MeetingRepay>>& repays,
                           MeetingResult& res) {
  // A date whose meeting was reversed takes the sheet again as its next revision ("~2", "~3", …).
  int revision = 1;
  for (const auto& mt : l.reversed_meetings)
    if (mt.held_on == date) revision = std::max(revision, mt.revision + 1);
  EntryDraft d;
  d.book = l.group.book;
  d.date = date;
  d.client_id = fmt::format("savings/{}/meeting/{}", group, date.to_iso());
  if (revision > 1) d.client_id += fmt::format("~{}", revision);
  d.owner = EntryOwner{"savings", group};
  d.memo = fmt::format("Họp tổ {} kỳ {} (chu kỳ {}): {} thành viên", group, res.meeting_no, res.cycle, rows.size());
  namespace g = charts::group;
  d.postings.push_back({acct(g::kCash), res.total});
  auto credit = [&](std::string_view code, Money m) {
    if (!m.is_zero()) d.postings.push_back({acct(code), -m});
  };
  credit(g::kMemberShares, res.savings);
  credit(g::kSocialFund, res.social);
  credit(g::kLoansToMembers, res.principal);
  credit(g::kServiceCharges, res.interest);
  credit(g::kFines, res.fines + res.penalty);
  auto posted = ledger.post(d);
  if (!posted) return fail(posted.error());
  res.entry = posted->entry.id;
  SavingsMeetingRow mt{0, res.cycle, res.meeting_no, date, res.entry, revision, std::nullopt};
  const auto now = now_timestamp();
  auto mid = store.insert_meeting(l.group.id, mt, now, ledger.actor().id);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].meeting_id = mid;
    store.insert_meeting_line(rows[i]);
    if (repays[i]) {
      const auto& a = repays[i]->alloc;
      SavingsLoanPaymentRow p{0,
                              repays[i]->loan->id,
                              date,
                              a.amount.minor_units(),
                              a.principal.minor_units(),
                              a.interest.minor_units(),
                              a.penalty.minor_units(),
                                mid,
                              res.entry,
                              std::nullopt};
      store.insert_loan_payment(p, now, ledger.actor().id);
    }
  }
  return {};
}

}  // namespace

Result<MeetingResult> Savings::record_meeting(const std::string& group, Date date, const std::vector<MeetingLine>& in,
                                              const std::string& source) {
  auto loaded = load(group, GroupKind::kSavings);
  if (!loaded) return fail(loaded.error());
  const Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  if (in.empty()) return fail(bad(tr("the meeting sheet has no lines")));

  MeetingResult res;
  res.group = group;
  res.date = date;
  auto built = meeting_rows(registry_, group, date, in, source, l.rules, res);
  if (!built) return fail(built.error());
  std::vector<SavingsMeetingLineRow>& rows = *built;

  auto again = same_day_meeting(l, group, date, rows, res);
  if (!again) return fail(again.error());
  if (*again) return **again;
  if (auto ok = meeting_fits(l, group, date); !ok) return fail(ok.error());

  // Repayments: each to its loan, allocated by the fund-loan engine after the loan's earlier ones.
  std::vector<std::optional<MeetingRepay>> repays;
  std::map<std::int64_t, std::vector<Payment>> loan_pays;  // earlier payments + this sheet's
  for (std::size_t i = 0; i < in.size(); ++i) {
    auto rp = line_repayment(l, group, date, in[i], rows[i], source, loan_pays);
    if (!rp) return fail(rp.error());
    if (*rp) {
      res.principal += (*rp)->alloc.principal;  // each ≤ what a loan owes: no overflow
      res.interest += (*rp)->alloc.interest;
      res.penalty += (*rp)->alloc.penalty;
    }
    repays.push_back(*rp);
  }
  {
    auto total = res.savings.plus(res.social)
                     .and_then([&](Money x) { return x.plus(res.fines); })
                     .and_then([&](Money x) { return x.plus(res.principal); })
                     .and_then([&](Money x) { return x.plus(res.interest); })
                     .and_then([&](Money x) { return x.plus(res.penalty); });
    if (!total) return fail(bad(tr("the meeting's total is beyond the range of amounts")));
    res.total = *total;
  }

  if (res.total.is_zero()) return fail(bad(tr("the meeting sheet moves no money: nothing to record")));

  res.cycle = l.cycle();
  res.meeting_no = 1;
  for (const auto& mt : l.meetings)
    if (mt.cycle == res.cycle && mt.held_on < date) ++res.meeting_no;

  auto r = ledger_.in_transaction(
      [&]() -> Result<void> { return write_meeting(ledger_, *store_, l, group, date, rows, repays, res); });
  if (!r) return fail(r.error());
  return res;
}

// ---------------------------------------------------------------------------------------------
// Loans, repayments, withdrawals.

namespace {

Result<Money> loan_fund_cash(Ledger& ledger, const std::string& book, Date as_of) {
  auto cash = ledger.balance(book, acct(charts::group::kCash), as_of);
  if (!cash) return fail(cash.error());
  auto social = ledger.balance(book, acct(charts::group::kSocialFund), as_of);
  if (!social) return fail(social.error());
  return *cash + *social;  // the social fund's balance is a credit (negative)
}

// The row that records a loan the group lends `m` in cycle `cycle`.
SavingsLoanRow loan_row(const GroupLoanSpec& spec, const Member& m, int cycle) {
  SavingsLoanRow row;
  row.code = spec.loan;
  row.member_id = m.row_id;
  row.member_code = m.id;
  row.cycle = cycle;
  row.principal = spec.amount.minor_units();
  row.rate = spec.rate.to_string();
  row.installments = spec.installments;
  row.frequency = std::string(to_string(spec.frequency));
  row.method = std::string(to_string(spec.method));
  row.grace = spec.grace;
  if (spec.penalty_rate) row.penalty_rate = spec.penalty_rate->to_string();
  row.disbursed_on = spec.date;
  return row;
}

}  // namespace

Result<GroupLoanStatus> Savings::lend(const std::string& group, const GroupLoanSpec& spec) {
  auto loaded = load(group, GroupKind::kSavings);
  if (!loaded) return fail(loaded.error());
  const Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  if (spec.loan.empty()) return fail(bad(tr("a loan code is needed")).in_field("loan"));
  if (l.loan(spec.loan))
    return fail(bad(fmt::format(fmt::runtime(tr("group '{}' already has a loan '{}'")), group, spec.loan)).in_field("loan"));
  auto m = group_member(registry_, group, spec.member, spec.date);
  if (!m) return fail(m.error().in_field("member"));
  if (spec.amount <= Money(0)) return fail(bad(tr("must be more than 0 đồng")).in_field("amount"));
  if (auto ok = not_before(l.last_date(), spec.date, group); !ok) return fail(ok.error());
  LoanTerms t;
  t.principal = spec.amount;
  t.rate = spec.rate;
  t.installments = spec.installments;
  t.grace = spec.grace;
  t.method = spec.method;
  t.frequency = spec.frequency;
  t.disbursed_on = spec.date;
  auto sched = build_schedule(t);
  if (!sched) return fail(sched.error());
  auto fund = loan_fund_cash(ledger_, l.group.book, spec.date);
  if (!fund) return fail(fund.error());
  if (spec.amount > *fund)
    return fail(bad(fmt::format(fmt::runtime(tr("{} đồng is more than the loan fund's cash on {} ({} đồng; the social fund "
                                "is not lent)")),
                                spec.amount.to_plain_string(), spec.date.to_iso(), fund->to_plain_string()))
                                    .in_field("amount"));
  SavingsLoanRow row = loan_row(spec, *m, l.cycle());
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    EntryDraft d;
    d.book = l.group.book;
    d.date = spec.date;
    d.client_id = fmt::format("savings/{}/lend/{}", group, spec.loan);
    d.owner = EntryOwner{"savings", group};
    d.memo = fmt::format("Tổ {} cho {} vay ({}): {} đồng, {}", group, m->id, spec.loan, spec.amount.to_plain_string(),
                         spec.rate.to_string());
    d.postings = {{acct(charts::group::kLoansToMembers), spec.amount}, {acct(charts::group::kCash), -spec.amount}};
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    row.entry_id = posted->entry.id;
    store_->insert_loan(l.group.id, row, now_timestamp(), ledger_.actor().id);
    return {};
  });
  if (!r) return fail(r.error());
  GroupLoanStatus out;
  out.loan = spec.loan;
  out.member = m->id;
  out.principal = spec.amount;
  out.rate = spec.rate;
  out.installments = spec.installments;
  out.frequency = spec.frequency;
  out.method = spec.method;
  out.disbursed_on = spec.date;
  out.schedule = *sched;
  auto pos = loan_position(*sched, {}, spec.date, {allocation_of(row), LoanState::kActive});
  if (!pos) return fail(pos.error());
  out.position = *pos;
  return out;
}

Result<GroupRepayment> Savings::repay(const std::string& group, const std::string& loan_code, Money amount, Date date) {
  auto loaded = load(group, GroupKind::kSavings);
  if (!loaded) return fail(loaded.error());
  const Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  const auto* loan = l.loan(loan_code);
  if (!loan) return fail(bad(fmt::format(fmt::runtime(tr("group '{}' has no loan '{}'")), group, loan_code)).in_field("loan"));
  if (amount <= Money(0)) return fail(bad(tr("must be more than 0 đồng")).in_field("amount"));
  if (auto ok = not_before(l.last_date(), date, group); !ok) return fail(ok.error());
  auto t = terms_of(*loan);
  if (!t) return fail(t.error());
  auto s = build_schedule(*t);
  if (!s) return fail(s.error());
  auto pays = l.loan_payments(loan->id);
  pays.push_back({date, amount});
  auto a = allocate(*s, pays, allocation_of(*loan));
  if (!a) return fail(a.error());
  const auto alloc = a->payments.back();
  if (!alloc.overpayment.is_zero())
    return fail(bad(fmt::format(fmt::runtime(tr("{} đồng is more than loan '{}' owes ({} đồng)")), amount.to_plain_string(),
                                loan_code, (amount - alloc.overpayment).to_plain_string())).in_field("amount"));
  GroupRepayment out;
  out.loan = loan_code;
  out.date = date;
  out.amount = amount;
  out.principal = alloc.principal;
  out.interest = alloc.interest;
  out.penalty = alloc.penalty;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    EntryDraft d;
    d.book = l.group.book;
    d.date = date;
    d.client_id = fmt::format("savings/{}/repay/{}/{}", group, loan_code, pays.size());
    d.owner = EntryOwner{"savings", group};
    d.memo = fmt::format("Tổ {}: {} trả nợ {} — gốc {}, phí {}", group, loan->member_code, loan_code,
                         alloc.principal.to_plain_string(), (alloc.interest + alloc.penalty).to_plain_string());
    namespace g = charts::group;
    d.postings.push_back({acct(g::kCash), amount});
    if (!alloc.principal.is_zero()) d.postings.push_back({acct(g::kLoansToMembers), -alloc.principal});
    if (!alloc.interest.is_zero()) d.postings.push_back({acct(g::kServiceCharges), -alloc.interest});
    if (!alloc.penalty.is_zero()) d.postings.push_back({acct(g::kFines), -alloc.penalty});
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    out.entry = posted->entry.id;
    SavingsLoanPaymentRow p{0,
                            loan->id,
                            date,
                            amount.minor_units(),
                            alloc.principal.minor_units(),
                            alloc.interest.minor_units(),
                            alloc.penalty.minor_units(),
                            std::nullopt,
                            out.entry,
                            std::nullopt};
    store_->insert_loan_payment(p, now_timestamp(), ledger_.actor().id);
    return {};
  });
  if (!r) return fail(r.error());
  Money paid;
  for (const auto& ia : a->installments) paid += ia.principal_paid;
  out.outstanding_principal = s->total_principal - paid;
  return out;
}

Result<MemberSavings> Savings::withdraw(const std::string& group, const std::string& member, Money amount, Date date) {
  auto loaded = load(group, GroupKind::kSavings);
  if (!loaded) return fail(loaded.error());
  const Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  auto m = group_member(registry_, group, member, date);
  if (!m) return fail(m.error().in_field("member"));
  if (amount <= Money(0)) return fail(bad(tr("must be more than 0 đồng")).in_field("amount"));
  if (auto ok = not_before(l.last_date(), date, group); !ok) return fail(ok.error());
  const int cyc = l.cycle();
  Money have = l.member_savings(m->row_id, cyc, date);
  if (amount > have)
    return fail(bad(fmt::format(fmt::runtime(tr("{} đồng is more than {}'s savings in group '{}' ({} đồng); savings never "
                                "go negative")),
                                amount.to_plain_string(), member, group, have.to_plain_string())).in_field("amount"));
  auto fund = loan_fund_cash(ledger_, l.group.book, date);
  if (!fund) return fail(fund.error());
  if (amount > *fund)
    return fail(bad(fmt::format(fmt::runtime(tr("the loan fund has {} đồng in cash on {} (the rest is lent out)")),
                                fund->to_plain_string(), date.to_iso())).in_field("amount"));
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    EntryDraft d;
    d.book = l.group.book;
    d.date = date;
    d.client_id = fmt::format("savings/{}/withdraw/{}", group, l.movements.size() + 1);
    d.owner = EntryOwner{"savings", group};
    d.memo = fmt::format("Tổ {}: {} rút tiết kiệm {} đồng", group, member, amount.to_plain_string());
    d.postings = {{acct(charts::group::kMemberShares), amount}, {acct(charts::group::kCash), -amount}};
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    SavingsMovementRow v{0, cyc, m->row_id, m->id, "withdraw", date, amount.minor_units(), posted->entry.id, std::nullopt};
    store_->insert_movement(l.group.id, v, now_timestamp(), ledger_.actor().id);
    return {};
  });
  if (!r) return fail(r.error());
  auto st = status(group, date);
  if (!st) return fail(st.error());
  for (const auto& ms : st->members)
    if (ms.member == member) return ms;
  return fail(Error::internal("the member who withdrew is missing from the status"));
}

Result<MemberSavings> Savings::grant(const std::string& group, const std::string& member, Money amount, Date date,
                                     const std::string& memo) {
  auto loaded = load(group, GroupKind::kSavings);
  if (!loaded) return fail(loaded.error());
  const Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  auto m = group_member(registry_, group, member, date);
  if (!m) return fail(m.error().in_field("member"));
  if (amount <= Money(0)) return fail(bad(tr("must be more than 0 đồng")).in_field("amount"));
  if (auto ok = not_before(l.last_date(), date, group); !ok) return fail(ok.error());
  auto social = ledger_.balance(l.group.book, acct(charts::group::kSocialFund), date);
  if (!social) return fail(social.error());
  auto cash = ledger_.balance(l.group.book, acct(charts::group::kCash), date);
  if (!cash) return fail(cash.error());
  if (amount > -*social || amount > *cash)
    return fail(bad(fmt::format(fmt::runtime(tr("{} đồng is more than the social fund of group '{}' holds ({} đồng)")),
                                amount.to_plain_string(), group, std::min(-*social, *cash).to_plain_string()))
                                    .in_field("amount"));
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    EntryDraft d;
    d.book = l.group.book;
    d.date = date;
    d.client_id = fmt::format("savings/{}/grant/{}", group, l.movements.size() + 1);
    d.owner = EntryOwner{"savings", group};
    d.memo = memo.empty() ? fmt::format("Tổ {}: quỹ xã hội hỗ trợ {} {} đồng", group, member, amount.to_plain_string())
                          : memo;
    d.postings = {{acct(charts::group::kSocialFund), amount}, {acct(charts::group::kCash), -amount}};
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    SavingsMovementRow v{0, l.cycle(), m->row_id, m->id, "grant", date, amount.minor_units(), posted->entry.id, std::nullopt};
    store_->insert_movement(l.group.id, v, now_timestamp(), ledger_.actor().id);
    return {};
  });
  if (!r) return fail(r.error());
  auto st = status(group, date);
  if (!st) return fail(st.error());
  for (const auto& ms : st->members)
    if (ms.member == member) return ms;
  return fail(Error::internal("the member of the grant is missing from the status"));
}

// ---------------------------------------------------------------------------------------------
// Share-out.

namespace {

// Every loan of the group is repaid by `date`: the share-out comes after them. `l` is the group
// as Savings loaded it (auto: Savings::Loaded is private).
Result<void> every_loan_repaid(const auto& l, Date date) {
  for (const auto& ln : l.loans) {
    auto t = terms_of(ln);
    if (!t) return fail(t.error());
    auto s = build_schedule(*t);
    if (!s) return fail(s.error());
    auto pos = loan_position(*s, l.loan_payments(ln.id, date), date, {allocation_of(ln), LoanState::kActive});
    if (!pos) return fail(pos.error());
    if (!pos->outstanding_principal.is_zero())
      return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' of {} still owes {} đồng of principal: every loan is repaid before the "
                                  "share-out")),
                                  ln.code, ln.member_code, pos->outstanding_principal.to_plain_string())));
  }
  return {};
}

// The cycle's members in code order, each with her savings and weight, into out.lines (and their
// savings into out.savings); returns the weights.
std::vector<Rational> shareout_lines(const auto& l, Registry& registry, Date date, const std::vector<Date>& meeting_dates,
                                     ShareoutResult& out) {
  std::map<std::string, std::int64_t> members;  // code → row id
  for (const auto& x : l.lines)
    if (l.meeting(x.meeting_id).cycle == out.cycle) members[x.member_code] = x.member_id;
  for (const auto& v : l.movements)
    if (v.cycle == out.cycle) members[v.member_code] = v.member_id;
  auto periods_after = [&](Date d) {
    return static_cast<std::int64_t>(
        std::count_if(meeting_dates.begin(), meeting_dates.end(), [&](Date m) { return m > d; }));
  };
  std::vector<Rational> weights;
  for (const auto& [code, id] : members) {
    ShareoutLine line;
    line.member = code;
    if (auto m = registry.member(code, date)) line.name = m->name;
    line.savings = l.member_savings(id, out.cycle, date);
    if (out.method == ShareoutMethod::kShares) {
      line.weight = line.savings.to_rational();
    } else {
      Rational w = 0;
      for (const auto& x : l.lines) {
        const auto& mt = l.meeting(x.meeting_id);
        if (x.member_id == id && mt.cycle == out.cycle) w += Rational(x.savings) * periods_after(mt.held_on);
      }
      for (const auto& v : l.movements)
        if (v.member_id == id && v.cycle == out.cycle && v.kind == "withdraw")
          w -= Rational(v.amount) * periods_after(v.moved_on);
      line.weight = w < 0 ? Rational(0) : w;
    }
    out.savings += line.savings;
    weights.push_back(line.weight);
    out.lines.push_back(std::move(line));
  }
  return weights;
}

}  // namespace

Result<ShareoutResult> Savings::compute_shareout(const Loaded& l, Date date, std::optional<ShareoutMethod> method_in,
                                                 std::optional<LeftoverRule> rule_in) {
  const std::string& group = l.group.code;
  if (auto ok = not_before(l.last_date(), date, group); !ok) return fail(ok.error());
  ShareoutResult out;
  out.group = group;
  out.date = date;
  out.cycle = l.cycle();
  out.method = method_in.value_or(l.rules.method);
  out.leftover_rule = rule_in.value_or(l.rules.leftover);
  std::vector<Date> meeting_dates;
  for (const auto& m : l.meetings)
    if (m.cycle == out.cycle) meeting_dates.push_back(m.held_on);
  out.meetings = static_cast<int>(meeting_dates.size());
  if (meeting_dates.empty()) return fail(bad(fmt::format(fmt::runtime(tr("group '{}' has held no meeting in cycle {}")), group, out.cycle)));
  if (auto ok = every_loan_repaid(l, date); !ok) return fail(ok.error());
  const std::string& book = l.group.book;
  namespace g = charts::group;
  auto fund = loan_fund_cash(ledger_, book, date);
  if (!fund) return fail(fund.error());
  out.loan_fund_cash = *fund;

  std::vector<Rational> weights = shareout_lines(l, registry_, date, meeting_dates, out);
  auto shares_bal = ledger_.balance(book, acct(g::kMemberShares), date);
  if (!shares_bal) return fail(shares_bal.error());
  if (-*shares_bal != out.savings)
    return fail(bad(fmt::format(fmt::runtime(tr("group '{}': the book's savings account {} holds {} đồng but the members' savings add "
                                "up to {} đồng; post no savings by hand")),
                                group, g::kMemberShares, (-*shares_bal).to_plain_string(),
                                out.savings.to_plain_string())));
  out.profit = out.loan_fund_cash - out.savings;
  if (out.lines.empty()) return fail(bad(fmt::format(fmt::runtime(tr("group '{}' has no member savings to share out")), group)));
  auto split = split_profit(out.profit, weights, out.leftover_rule);
  if (!split) {
    if (out.method == ShareoutMethod::kTimeWeighted)
      return fail(bad(tr("no savings were held for a whole period between meetings: use --method shares")));
    return fail(split.error());
  }
  for (std::size_t i = 0; i < out.lines.size(); ++i) {
    out.lines[i].profit = split->parts[i];
    out.lines[i].payout = out.lines[i].savings + split->parts[i];
    if (out.lines[i].payout.is_negative())
      return fail(bad(fmt::format(fmt::runtime(tr("member '{}' would be paid {} đồng: the loss is larger than her savings")),
                                  out.lines[i].member, out.lines[i].payout.to_plain_string())));
    out.distributed += split->parts[i];
    out.paid_out += out.lines[i].payout;
  }
  out.leftover = split->leftover;
  auto social = ledger_.balance(book, acct(g::kSocialFund), date);
  if (!social) return fail(social.error());
  out.social_fund = -*social + out.leftover;
  return out;
}

Result<ShareoutResult> Savings::preview_shareout(const std::string& group, Date date, std::optional<ShareoutMethod> method,
                                                 std::optional<LeftoverRule> rule) {
  auto l = load(group, GroupKind::kSavings);
  if (!l) return fail(l.error());
  return compute_shareout(*l, date, method, rule);
}

Result<ShareoutResult> Savings::shareout(const std::string& group, Date date, std::optional<ShareoutMethod> method,
                                         std::optional<LeftoverRule> rule) {
  auto loaded = load(group, GroupKind::kSavings);
  if (!loaded) return fail(loaded.error());
  const Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  auto res = compute_shareout(l, date, method, rule);
  if (!res) return fail(res.error());
  auto& out = *res;
  namespace g = charts::group;
  const std::string& book = l.group.book;
  // Close the cycle's income and expense accounts: together they must be the profit.
  std::vector<Posting> closing;
  Money closed;
  for (auto code : {g::kServiceCharges, g::kFines, g::kHolderFees}) {
    auto b = ledger_.balance(book, acct(code), date);
    if (!b) return fail(b.error());
    if (!b->is_zero()) closing.push_back({acct(code), -*b});
    closed -= *b;
  }
  if (closed != out.profit)
    return fail(bad(fmt::format(fmt::runtime(tr("group '{}': income less expenses of the book ({} đồng) differ from the profit "
                                "({} đồng); the book holds balances the share-out cannot settle")),
                                group, closed.to_plain_string(), out.profit.to_plain_string())));
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    EntryDraft d;
    d.book = book;
    d.date = date;
    int revision = 1;  // a cycle whose share-out was reversed is shared out again as its next revision
    for (const auto& s : l.reversed_shareouts)
      if (s.cycle == out.cycle) revision = std::max(revision, s.revision + 1);
    d.client_id = fmt::format("savings/{}/shareout/{}", group, out.cycle);
    if (revision > 1) d.client_id += fmt::format("~{}", revision);
    d.owner = EntryOwner{"savings", group};
    d.memo = fmt::format("Chia quỹ tổ {} chu kỳ {} ({}): lãi {} đồng", group, out.cycle, to_string(out.method),
                         out.profit.to_plain_string());
    if (!out.savings.is_zero()) d.postings.push_back({acct(g::kMemberShares), out.savings});
    for (const auto& p : closing) d.postings.push_back(p);
    if (!out.paid_out.is_zero()) d.postings.push_back({acct(g::kCash), -out.paid_out});
    if (!out.leftover.is_zero()) d.postings.push_back({acct(g::kSocialFund), -out.leftover});
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    out.entry = posted->entry.id;
    SavingsShareoutRow row;
    row.cycle = out.cycle;
    row.held_on = date;
    row.method = std::string(to_string(out.method));
    row.leftover_rule = std::string(to_string(out.leftover_rule));
    row.loan_fund_cash = out.loan_fund_cash.minor_units();
    row.savings = out.savings.minor_units();
    row.profit = out.profit.minor_units();
    row.leftover = out.leftover.minor_units();
    row.entry_id = out.entry;
    row.revision = revision;
    for (const auto& ln : out.lines) {
      auto m = registry_.member(ln.member, date);
      if (!m) return fail(m.error());
      std::string w = numerator(ln.weight).str();
      if (denominator(ln.weight) != 1) w += "/" + denominator(ln.weight).str();
      row.lines.push_back({m->row_id, ln.savings.minor_units(), w, ln.profit.minor_units(), ln.payout.minor_units()});
    }
    store_->insert_shareout(l.group.id, row, now_timestamp(), ledger_.actor().id);
    return {};
  });
  if (!r) return fail(r.error());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Status.

namespace {

// The loans lent by `as_of`, each with its position then, into st.loans; their outstanding
// principal is added to their members'. `l` is the group as Savings loaded it (auto:
// Savings::Loaded is private).
Result<void> status_loans(const auto& l, Date as_of, std::map<std::string, MemberSavings>& members, SavingsStatus& st) {
  for (const auto& ln : l.loans) {
    if (ln.disbursed_on > as_of) continue;
    auto t = terms_of(ln);
    if (!t) return fail(t.error());
    auto s = build_schedule(*t);
    if (!s) return fail(s.error());
    auto pos = loan_position(*s, l.loan_payments(ln.id, as_of), as_of, {allocation_of(ln), LoanState::kActive});
    if (!pos) return fail(pos.error());
    GroupLoanStatus gl;
    gl.loan = ln.code;
    gl.member = ln.member_code;
    gl.principal = Money(ln.principal);
    gl.rate = t->rate;
    gl.installments = t->installments;
    gl.frequency = t->frequency;
    gl.method = t->method;
    gl.disbursed_on = ln.disbursed_on;
    gl.schedule = *s;
    gl.position = *pos;
    members[ln.member_code].loans_outstanding += pos->outstanding_principal;
    if (members[ln.member_code].member.empty()) members[ln.member_code].member = ln.member_code;
    st.loans.push_back(std::move(gl));
  }
  return {};
}

}  // namespace

Result<SavingsStatus> Savings::status(const std::string& group, Date as_of) {
  auto loaded = load(group, std::nullopt);
  if (!loaded) return fail(loaded.error());
  const Loaded& l = *loaded;
  SavingsStatus st;
  st.group = group;
  st.name = l.group.name;
  st.kind = l.group.kind;
  st.rules = l.rules;
  st.as_of = as_of;
  st.cycle = 1;
  for (const auto& s : l.shareouts)
    if (s.held_on <= as_of) ++st.cycle;
  for (const auto& m : l.meetings)
    if (m.cycle == st.cycle && m.held_on <= as_of) ++st.meetings;
  namespace g = charts::group;
  const std::string& book = l.group.book;
  auto bal = [&](std::string_view code) { return ledger_.balance(book, acct(code), as_of); };
  auto cash = bal(g::kCash);
  if (!cash) return fail(cash.error());
  auto social = bal(g::kSocialFund);
  if (!social) return fail(social.error());
  auto shares = bal(g::kMemberShares);
  if (!shares) return fail(shares.error());
  auto loans = bal(g::kLoansToMembers);
  if (!loans) return fail(loans.error());
  st.cash = *cash;
  st.social_fund = -*social;
  st.loan_fund_cash = *cash + *social;
  st.savings = -*shares;
  st.loans_outstanding = *loans;
  for (auto code : {g::kServiceCharges, g::kFines, g::kHolderFees}) {
    auto b = bal(code);
    if (!b) return fail(b.error());
    st.income -= *b;
  }

  std::map<std::string, MemberSavings> members;
  auto reg = registry_.members(as_of);
  if (!reg) return fail(reg.error());
  for (const auto& m : *reg)
    if (!m.left && std::find(m.groups.begin(), m.groups.end(), group) != m.groups.end())
      members[m.id] = MemberSavings{m.id, m.name, 0, {}, {}, {}, {}, {}, {}};
  std::map<std::string, std::int64_t> ids;
  for (const auto& x : l.lines) ids[x.member_code] = x.member_id;
  for (const auto& v : l.movements) ids[v.member_code] = v.member_id;
  for (const auto& [code, id] : ids) {
    auto& ms = members[code];
    ms.member = code;
    if (ms.name.empty())
      if (auto m = registry_.member(code, as_of)) ms.name = m->name;
    ms.savings = l.member_savings(id, st.cycle, as_of);
    ms.balance = l.pool_balance(id, as_of);
  }
  for (const auto& x : l.lines) {
    const auto& mt = l.meeting(x.meeting_id);
    if (mt.cycle != st.cycle || mt.held_on > as_of) continue;
    auto& ms = members[x.member_code];
    ms.shares += x.shares;
    ms.social += Money(x.social);
    ms.fines += Money(x.fine);
  }
  for (const auto& v : l.movements)
    if (v.kind == "grant" && v.cycle == st.cycle && v.moved_on <= as_of) members[v.member_code].grants += Money(v.amount);
  if (auto ok = status_loans(l, as_of, members, st); !ok) return fail(ok.error());
  for (auto& [code, ms] : members) st.members.push_back(ms);
  return st;
}

// ---------------------------------------------------------------------------------------------
// Corrections.

namespace {

// What an entry of a savings group recorded, as found among the group's records.
struct Reversed {
  std::string what;  // for people: "họp ngày 2026-02-10", "trả nợ V1 ngày …"
  Date date;
  int cycle = 0;                      // the cycle it belongs to (0: none, a repayment outside a meeting)
  std::optional<std::int64_t> loan;   // a repayment's loan, a loan itself
  Money cash_in, social_in;           // what it brought into the cash and the social fund (< 0: paid out)
  std::map<std::int64_t, Money> savings_in;  // member row id → savings it added
  bool shareout = false, lend = false;
};

std::string entry_ref(std::int64_t id) { return fmt::format("#{}", id); }

// Finds what `entry` recorded in the group `l` (auto: Savings::Loaded is private).
Result<Reversed> find_reversed(const auto& l, const Entry& entry) {
  namespace g = charts::group;
  Reversed r;
  r.date = entry.date;
  for (const auto& p : entry.postings) {
    if (p.account == g::kCash) r.cash_in += p.amount;
    if (p.account == g::kSocialFund) r.social_in -= p.amount;
  }
  for (const auto& m : l.meetings)
    if (m.entry_id == entry.id) {
      r.what = fmt::format(fmt::runtime(tr("the meeting of {}")), m.held_on.to_iso());
      r.cycle = m.cycle;
      for (const auto& x : l.lines)
        if (x.meeting_id == m.id) r.savings_in[x.member_id] += Money(x.savings);
      return r;
    }
  for (const auto& p : l.payments)
    if (p.entry_id == entry.id) {
      r.what = fmt::format(fmt::runtime(tr("the repayment of {}")), p.paid_on.to_iso());
      r.loan = p.loan_id;
      return r;
    }
  for (const auto& ln : l.loans)
    if (ln.entry_id == entry.id) {
      r.what = fmt::format(fmt::runtime(tr("loan {}")), ln.code);
      r.cycle = ln.cycle;
      r.loan = ln.id;
      r.lend = true;
      return r;
    }
  for (const auto& s : l.shareouts)
    if (s.entry_id == entry.id) {
      r.what = fmt::format(fmt::runtime(tr("the share-out of cycle {}")), s.cycle);
      r.cycle = s.cycle;
      r.shareout = true;
      return r;
    }
  for (const auto& v : l.movements)
    if (v.entry_id == entry.id) {
      r.what = fmt::format(fmt::runtime(tr("{} of {}")), v.kind, v.moved_on.to_iso());
      r.cycle = v.cycle;
      if (v.kind == "withdraw") r.savings_in[v.member_id] -= Money(v.amount);
      if (v.kind == "contribution") r.savings_in[v.member_id] += Money(v.amount);
    }
  if (!r.what.empty()) return r;
  return fail(bad(fmt::format(fmt::runtime(tr("entry {} is not a record of group '{}' that stands (already reversed?)")),
                              entry_ref(entry.id), l.group.code)));
}

// A share-out of the record's cycle or later stands on it.
Result<void> no_later_shareout(const auto& l, const Reversed& r) {
  for (const auto& s : l.shareouts)
    if ((r.cycle > 0 && s.cycle >= r.cycle) || (r.cycle == 0 && s.held_on >= r.date))
      return fail(bad(fmt::format(fmt::runtime(tr("group '{}' shared out cycle {} on {} (entry {}) after it: reverse the share-out "
                                  "first")),
                                  l.group.code, s.cycle, s.held_on.to_iso(), entry_ref(s.entry_id))));
  return {};
}

// A loan's later repayments were allocated after this one; a loan's repayments rest on the loan.
Result<void> no_later_repayment(const auto& l, const Reversed& r, const Entry& entry) {
  if (!r.loan) return {};
  for (const auto& p : l.payments) {
    if (p.loan_id != *r.loan || p.entry_id == entry.id) continue;
    if (r.lend || p.paid_on > r.date || (p.paid_on == r.date && p.entry_id > entry.id))
      return fail(bad(fmt::format(fmt::runtime(tr("loan {} was repaid on {} (entry {}) after it: reverse that repayment first")),
                                  [&] {
                                    for (const auto& ln : l.loans)
                                      if (ln.id == p.loan_id) return ln.code;
                                    return std::string("?");
                                  }(),
                                  p.paid_on.to_iso(), entry_ref(p.entry_id))));
  }
  return {};
}

// The share-out is the group's latest record: nothing of a later cycle or date stands.
Result<void> shareout_is_latest(const auto& l, const Reversed& r) {
  auto later = [&](Date d, int cycle, std::int64_t entry, std::string_view what) -> Result<void> {
    if (cycle > r.cycle || d > r.date)
      return fail(bad(fmt::format(fmt::runtime(tr("the share-out of cycle {} is not group '{}''s latest record: {} on {} (entry {}) "
                                  "came after it; reverse that first")),
                                  r.cycle, l.group.code, what, d.to_iso(), entry_ref(entry))));
    return {};
  };
  for (const auto& m : l.meetings)
    if (auto ok = later(m.held_on, m.cycle, m.entry_id, tr("a meeting")); !ok) return ok;
  for (const auto& ln : l.loans)
    if (auto ok = later(ln.disbursed_on, ln.cycle, ln.entry_id, fmt::format(fmt::runtime(tr("loan {}")), ln.code)); !ok) return ok;
  for (const auto& p : l.payments)
    if (auto ok = later(p.paid_on, 0, p.entry_id, tr("a repayment")); !ok) return ok;
  for (const auto& v : l.movements)
    if (auto ok = later(v.moved_on, v.cycle, v.entry_id, v.kind); !ok) return ok;
  for (const auto& s : l.shareouts)
    if (auto ok = later(s.held_on, s.cycle, s.entry_id, tr("a share-out")); !ok) return ok;
  return {};
}

// Money the record brought in paid for later records: without it, the cash, the loan fund, the
// social fund and each member's savings must stay whole on every later date something was paid out.
Result<void> still_covered(Ledger& ledger, const auto& l, const Reversed& r) {
  if (r.cash_in <= Money(0) && r.social_in <= Money(0) && r.savings_in.empty()) return {};
  namespace g = charts::group;
  const std::string& book = l.group.book;
  auto covered = [&](Date d, std::int64_t entry, std::string_view what) -> Result<void> {
    auto cash = ledger.balance(book, acct(g::kCash), d);
    if (!cash) return fail(cash.error());
    auto social = ledger.balance(book, acct(g::kSocialFund), d);
    if (!social) return fail(social.error());
    const Money c = *cash - r.cash_in, sf = -*social - r.social_in;
    if (c.is_negative() || sf.is_negative() || (c - sf).is_negative())
      return fail(bad(fmt::format(fmt::runtime(tr("{} on {} (entry {}) was paid from the money it brought in: reverse that first")),
                                  what, d.to_iso(), entry_ref(entry))));
    return {};
  };
  for (const auto& ln : l.loans)
    if (ln.disbursed_on >= r.date)
      if (auto ok = covered(ln.disbursed_on, ln.entry_id, fmt::format(fmt::runtime(tr("loan {}")), ln.code)); !ok) return ok;
  for (const auto& v : l.movements) {
    if (v.moved_on < r.date || v.kind == "contribution") continue;
    if (auto ok = covered(v.moved_on, v.entry_id, v.kind); !ok) return ok;
    auto in = r.savings_in.find(v.member_id);
    if (v.kind != "withdraw" && v.kind != "charge") continue;
    if (in == r.savings_in.end() || in->second <= Money(0)) continue;
    const Money left = v.kind == "charge" ? l.pool_balance(v.member_id, v.moved_on)
                                          : l.member_savings(v.member_id, v.cycle, v.moved_on);
    if ((left - in->second).is_negative())
      return fail(bad(fmt::format(fmt::runtime(tr("{}'s {} on {} (entry {}) used the savings it added: reverse that first")),
                                  v.member_code, v.kind, v.moved_on.to_iso(), entry_ref(v.entry_id))));
  }
  return {};
}

}  // namespace

Result<CorrectionResult> Savings::reverse_entry(const Entry& original, const ReversalRequest& request) {
  if (!original.owner || original.owner->domain != "savings")
    return fail(bad(fmt::format(fmt::runtime(tr("entry {} is not a savings-group entry")), entry_ref(original.id))));
  auto loaded = load(original.owner->record, std::nullopt);
  if (!loaded) return fail(loaded.error());
  const Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  if (request.date != original.date)
    return fail(bad(fmt::format(fmt::runtime(tr("a savings-group entry is reversed on its own date ({})")), original.date.to_iso()))
                    .in_field("date"));
  // Reversed already: the journal answers (the same client id again changes nothing).
  bool reversed = false;
  for (const auto& x : l.reversed_meetings) reversed = reversed || x.entry_id == original.id;
  for (const auto& x : l.reversed_payments) reversed = reversed || x.entry_id == original.id;
  for (const auto& x : l.reversed_loans) reversed = reversed || x.entry_id == original.id;
  for (const auto& x : l.reversed_movements) reversed = reversed || x.entry_id == original.id;
  for (const auto& x : l.reversed_shareouts) reversed = reversed || x.entry_id == original.id;
  auto r = reversed ? Result<Reversed>(Reversed{}) : find_reversed(l, original);
  if (!r) return fail(r.error());
  if (reversed) {
  } else if (r->shareout) {
    if (auto ok = shareout_is_latest(l, *r); !ok) return fail(ok.error());
  } else {
    if (auto ok = no_later_shareout(l, *r); !ok) return fail(ok.error());
    if (auto ok = no_later_repayment(l, *r, original); !ok) return fail(ok.error());
    if (auto ok = still_covered(ledger_, l, *r); !ok) return fail(ok.error());
  }
  auto corrected = ledger_.correct_owned(original, request);
  if (!corrected) return fail(corrected.error());
  CorrectionResult out = std::move(*corrected);
  if (!reversed)
    out.notes.push_back(fmt::format(fmt::runtime(r->shareout ? tr("group {}: {} no longer counts; the cycle is open again")
                                                             : tr("group {}: {} no longer counts")),
                                    l.group.code, r->what));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pools.

Result<MemberSavings> Savings::contribute(const std::string& group, const std::string& member, Money amount, Date date) {
  auto loaded = load(group, GroupKind::kPool);
  if (!loaded) return fail(loaded.error());
  const Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  auto m = group_member(registry_, group, member, date);
  if (!m) return fail(m.error().in_field("member"));
  if (amount <= Money(0)) return fail(bad(tr("must be more than 0 đồng")).in_field("amount"));
  if (auto ok = not_before(l.last_date(), date, group); !ok) return fail(ok.error());
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    EntryDraft d;
    d.book = l.group.book;
    d.date = date;
    d.client_id = fmt::format("pool/{}/{}", group, l.movements.size() + 1);
    d.owner = EntryOwner{"savings", group};
    d.memo = fmt::format("Nhóm {}: {} góp {} đồng", group, member, amount.to_plain_string());
    d.postings = {{acct(charts::group::kCash), amount}, {acct(charts::group::kMemberShares), -amount}};
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    SavingsMovementRow v{0, 1, m->row_id, m->id, "contribution", date, amount.minor_units(), posted->entry.id, std::nullopt};
    store_->insert_movement(l.group.id, v, now_timestamp(), ledger_.actor().id);
    return {};
  });
  if (!r) return fail(r.error());
  MemberSavings out;
  out.member = m->id;
  out.name = m->name;
  out.balance = l.pool_balance(m->row_id, date) + amount;
  return out;
}

Result<PoolPurchaseResult> Savings::purchase(const std::string& group, Money amount, Date date,
                                             const std::vector<std::string>& for_members, const std::string& memo) {
  auto loaded = load(group, GroupKind::kPool);
  if (!loaded) return fail(loaded.error());
  const Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  if (amount <= Money(0)) return fail(bad(tr("must be more than 0 đồng")).in_field("amount"));
  if (auto ok = not_before(l.last_date(), date, group); !ok) return fail(ok.error());
  std::vector<std::pair<std::string, std::int64_t>> who;  // code, row id
  if (for_members.empty()) {
    std::set<std::string> seen;
    for (const auto& v : l.movements)
      if (v.kind == "contribution" && seen.insert(v.member_code).second) who.emplace_back(v.member_code, v.member_id);
    std::sort(who.begin(), who.end());
    if (who.empty()) return fail(bad(fmt::format(fmt::runtime(tr("pool '{}' has no contributions yet")), group)));
  } else {
    std::set<std::string> seen;
    for (const auto& code : for_members) {
      if (!seen.insert(code).second) return fail(bad(fmt::format(fmt::runtime(tr("member '{}' is listed twice")), code)).in_field("for"));
      auto m = group_member(registry_, group, code, date);
      if (!m) return fail(m.error().in_field("for"));
      who.emplace_back(m->id, m->row_id);
    }
  }
  auto split = split_largest_remainder(amount, std::vector<Rational>(who.size(), Rational(1)));
  if (!split) return fail(split.error());
  for (std::size_t i = 0; i < who.size(); ++i) {
    Money have = l.pool_balance(who[i].second, date);
    if ((*split)[i] > have)
      return fail(bad(fmt::format(fmt::runtime(tr("{}'s part is {} đồng but her balance in pool '{}' is {} đồng")), who[i].first,
                                  (*split)[i].to_plain_string(), group, have.to_plain_string())).in_field("amount"));
  }
  auto cash = ledger_.balance(l.group.book, acct(charts::group::kCash), date);
  if (!cash) return fail(cash.error());
  if (amount > *cash)
    return fail(bad(fmt::format(fmt::runtime(tr("pool '{}' has {} đồng in cash")), group, cash->to_plain_string())).in_field("amount"));
  PoolPurchaseResult out;
  out.group = group;
  out.date = date;
  out.amount = amount;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    EntryDraft d;
    d.book = l.group.book;
    d.date = date;
    d.client_id = fmt::format("pool/{}/{}", group, l.movements.size() + 1);
    d.owner = EntryOwner{"savings", group};
    d.memo = memo.empty() ? fmt::format("Nhóm {}: chi mua {} đồng", group, amount.to_plain_string()) : memo;
    d.postings = {{acct(charts::group::kMemberShares), amount}, {acct(charts::group::kCash), -amount}};
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    out.entry = posted->entry.id;
    const auto now = now_timestamp();
    for (std::size_t i = 0; i < who.size(); ++i) {
      out.charges.emplace_back(who[i].first, (*split)[i]);
      if ((*split)[i].is_zero()) continue;
      SavingsMovementRow v{0, 1, who[i].second, who[i].first, "charge", date, (*split)[i].minor_units(), out.entry, std::nullopt};
      store_->insert_movement(l.group.id, v, now, ledger_.actor().id);
    }
    return {};
  });
  if (!r) return fail(r.error());
  return out;
}

}  // namespace soquy
