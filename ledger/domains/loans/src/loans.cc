// The loan book: products, disbursements and the dated events of a loan, each with its entry.
// Rules of schedules and positions are in loan_schedule.cc and loan_status.cc; this file stores
// loans, replays their events and posts their money. SQL is in storage/loan_store.cc.
#include "soquy/i18n.h"
#include "soquy/loans.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <cctype>
#include <tuple>
#include <limits>

#include <fmt/format.h>

#include "loan_book_internal.h"
#include "loan_schedule_codec.h"
#include "loan_store.h"
#include "soquy/registry.h"
#include "soquy/charts.h"
#include "soquy/clock.h"
#include "store.h"

namespace soquy {
namespace {

namespace fund = charts::fund;

Error bad(std::string message) { return Error::bad_input(std::move(message)); }

// a + b, failing on overflow like Money's sum (stored amounts are đồng of one currency).
std::int64_t plus(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r))
    throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("stored loan amounts overflow: {} + {}")), a, b)));
  return r;
}

// ---- stored text → types (the store only holds what these wrote) -----------------------------

template <class T>
T stored(Result<T> r, std::string_view what) {
  if (!r) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("stored {} is malformed: {}")), what, r.error().message())));
  return std::move(*r);
}

std::optional<Rate> opt_rate(const std::optional<std::string>& text, std::string_view what) {
  if (!text) return std::nullopt;
  return stored(Rate::parse(*text), what);
}

std::string order_text(const std::vector<Component>& order) {
  std::string out;
  for (auto c : order) {
    if (!out.empty()) out += ',';
    out += to_string(c);
  }
  return out;
}

LoanProduct product_of(const ProductRow& r) {
  LoanProduct p;
  p.code = r.code;
  p.method = stored(parse_repayment_method(r.method), "method");
  p.rate = stored(Rate::parse(r.rate), "rate");
  p.installments = r.installments;
  p.frequency = stored(parse_frequency(r.frequency), "frequency");
  p.grace = r.grace;
  p.savings_rate = opt_rate(r.savings_rate, "savings rate");
  if (r.max_amount) p.max_amount = Money(*r.max_amount);
  p.penalty_rate = opt_rate(r.penalty_rate, "penalty rate");
  p.allocation_order = stored(parse_allocation_order(r.allocation_order), "allocation order");
  p.created_at = r.created_at;
  return p;
}

LoanTerms terms_of(const LoanRow& r) {
  LoanTerms t;
  t.principal = Money(r.principal);
  t.rate = stored(Rate::parse(r.rate), "rate");
  t.installments = r.installments;
  t.grace = r.grace;
  t.method = stored(parse_repayment_method(r.method), "method");
  t.frequency = stored(parse_frequency(r.frequency), "frequency");
  t.disbursed_on = r.disbursed_on;
  return t;
}

// The loan of a stored row. `built`: the schedule disburse() has just built from the same terms,
// whose equivalent rate is then reused instead of built again.
Loan loan_of(const LoanRow& r, const LoanSchedule* built = nullptr) {
  Loan l;
  l.id = r.id;
  l.code = r.code;
  l.member = r.member_code;
  l.member_name = r.member_name;
  l.group = r.group_code;
  l.product = r.product_code;
  l.terms = terms_of(r);
  l.savings_rate = opt_rate(r.savings_rate, "savings rate");
  l.penalty_rate = opt_rate(r.penalty_rate, "penalty rate");
  l.allocation_order = stored(parse_allocation_order(r.allocation_order), "allocation order");
  l.schedule = decode_schedule(r.schedule);
  if (l.terms.method == RepaymentMethod::kFlat) {
    // The schedule is rebuilt from the terms only for the equivalent rate shown to the borrower.
    if (built) l.schedule.equivalent_monthly_rate = built->equivalent_monthly_rate;
    else if (auto rebuilt = build_schedule(l.terms)) l.schedule.equivalent_monthly_rate = rebuilt->equivalent_monthly_rate;
  }
  l.entry_id = r.entry_id;
  l.reversed_by = r.reversed_by;
  l.reversal_reason = r.reversal_reason;
  return l;
}

LoanEvent event_of(const EventRow& r) {
  LoanEvent e;
  e.id = r.id;
  e.kind = stored(parse_loan_event_kind(r.kind), "event kind");
  e.on = r.on;
  e.amount = Money(r.amount);
  e.principal = Money(r.principal);
  e.interest = Money(r.interest);
  e.penalty = Money(r.penalty);
  e.overpayment = Money(r.overpayment);
  e.savings = Money(r.savings);
  if (r.schedule) e.schedule = decode_schedule(*r.schedule);
  e.detail = r.detail;
  e.client_id = r.client_id.value_or("");
  e.entry_id = r.entry_id;
  e.reversed_by = r.reversed_by;
  e.reversal_reason = r.reversal_reason;
  return e;
}

AllocationOptions allocation_options(const LoanRow& r) {
  AllocationOptions o;
  o.order = stored(parse_allocation_order(r.allocation_order), "allocation order");
  o.penalty_rate = opt_rate(r.penalty_rate, "penalty rate");
  return o;
}

// ---- replay: a loan's events up to a date -------------------------------------------------

// The state of a loan after its events: the schedule in force (the last extension or
// rescheduling), the repayments made against it, and what was paid before it.
struct Replay {
  LoanSchedule schedule;
  std::vector<Payment> payments;  // repayments against `schedule`
  Money paid_principal, paid_interest, paid_penalty, paid_overpayment;  // before `schedule`
  Money segment_principal, segment_interest, segment_penalty, segment_overpayment;  // as recorded
  bool frozen = false;
  std::optional<Date> written_off_on;
  std::optional<Date> closed_on;
  std::optional<Date> last_event;
  bool restructured = false;  // `schedule` comes from an extension or a rescheduling
};

// Into `r`, reusing its vectors.
void replay_into(Replay& r, const LoanRow& row, const std::vector<EventRow>& events, std::optional<Date> until) {
  decode_schedule_into(row.schedule, r.schedule);
  r.payments.clear();
  r.frozen = false;
  r.written_off_on.reset();
  r.closed_on.reset();
  r.last_event.reset();
  r.restructured = false;
  // Sums in đồng with overflow checks (as Money's), written back once at the end.
  std::int64_t seg_p = 0, seg_i = 0, seg_pen = 0, seg_over = 0;
  std::int64_t paid_p = 0, paid_i = 0, paid_pen = 0, paid_over = 0;
  const std::int64_t until_day = until ? until->days_since_epoch() : 0;
  for (const auto& e : events) {
    if (until && e.on.days_since_epoch() > until_day) break;
    r.last_event = e.on;
    if (e.kind == "repay") {
      if (e.amount > 0) r.payments.push_back(Payment{e.on, Money(e.amount)});
      seg_p = plus(seg_p, e.principal);
      seg_i = plus(seg_i, e.interest);
      seg_pen = plus(seg_pen, e.penalty);
      seg_over = plus(seg_over, e.overpayment);
    } else if (e.kind == "payoff") {
      seg_p = plus(seg_p, e.principal);
      seg_i = plus(seg_i, e.interest);
      seg_pen = plus(seg_pen, e.penalty);
      r.closed_on = e.on;
    } else if (e.kind == "writeoff") {
      r.written_off_on = e.on;
    } else if (e.kind == "extend" || e.kind == "reschedule") {
      paid_p = plus(paid_p, seg_p);
      paid_i = plus(paid_i, seg_i);
      paid_pen = plus(paid_pen, seg_pen);
      paid_over = plus(paid_over, seg_over);
      seg_p = seg_i = seg_pen = seg_over = 0;
      r.payments.clear();
      if (!e.schedule) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("event {} of loan {} has no schedule")), e.id, row.code)));
      decode_schedule_into(*e.schedule, r.schedule);
      r.restructured = true;
    } else if (e.kind == "freeze") {
      r.frozen = true;
    } else if (e.kind == "unfreeze") {
      r.frozen = false;
    }
  }
  r.paid_principal = Money(paid_p);
  r.paid_interest = Money(paid_i);
  r.paid_penalty = Money(paid_pen);
  r.paid_overpayment = Money(paid_over);
  r.segment_principal = Money(seg_p);
  r.segment_interest = Money(seg_i);
  r.segment_penalty = Money(seg_pen);
  r.segment_overpayment = Money(seg_over);
}

Replay replay(const LoanRow& row, const std::vector<EventRow>& events, std::optional<Date> until = std::nullopt) {
  Replay r;
  replay_into(r, row, events, until);
  return r;
}

LoanStatus status_of(const Replay& r) {
  if (r.closed_on) return LoanStatus::kClosed;
  if (r.written_off_on) return LoanStatus::kWrittenOff;
  if (r.frozen) return LoanStatus::kFrozen;
  return LoanStatus::kActive;
}

// The snapshot of one loan into `s` (its strings reused), with the replay in `r` and the loan's
// allocation options `options` (allocation_options(row), which the caller may cache).
void snapshot_into(LoanSnapshot& s, Replay& r, const LoanRow& row, const std::vector<EventRow>& events, Date as_of,
                   const AllocationOptions& options) {
  replay_into(r, row, events, as_of);
  s.loan.assign(row.code);
  s.member.assign(row.member_code);
  s.member_name.assign(row.member_name);
  s.group.assign(row.group_code);
  s.product.assign(row.product_code);
  s.unit.assign(row.unit_code);
  s.ethnicity.assign(row.ethnicity);
  s.status = status_of(r);
  LoanPosition& p = s.position;
  if (s.status == LoanStatus::kClosed) {
    p = LoanPosition{};
    p.as_of = as_of;
    p.state = LoanState::kActive;
  } else {
    PositionOptions o;
    o.allocation = options;
    o.state = s.status == LoanStatus::kWrittenOff ? LoanState::kWrittenOff
              : s.status == LoanStatus::kFrozen   ? LoanState::kFrozen
                                                  : LoanState::kActive;
    p = stored(loan_position(r.schedule, r.payments, as_of, o), "loan history");
    p.principal_paid += r.paid_principal;
    p.interest_paid += r.paid_interest;
    p.penalty_paid += r.paid_penalty;
    p.overpayment += r.paid_overpayment;
  }
  p.principal = Money(row.principal);
  if (s.status == LoanStatus::kClosed) {
    p.principal_paid = r.paid_principal + r.segment_principal;
    p.interest_paid = r.paid_interest + r.segment_interest;
    p.penalty_paid = r.paid_penalty + r.segment_penalty;
    p.overpayment = r.paid_overpayment + r.segment_overpayment;
  }
}

LoanSnapshot snapshot_of(const LoanRow& row, const std::vector<EventRow>& events, Date as_of) {
  LoanSnapshot s;
  Replay r;
  snapshot_into(s, r, row, events, as_of, allocation_options(row));
  return s;
}

// Snapshots of many loans, one after the other: the replay's vectors, the snapshot's strings
// and the allocation options (parsed once per allocation order and penalty rate) are reused.
class SnapshotMaker {
 public:
  const LoanSnapshot& make(const LoanRow& row, const std::vector<EventRow>& events, Date as_of) {
    snapshot_into(snapshot_, replay_, row, events, as_of, options(row));
    return snapshot_;
  }

 private:
  const AllocationOptions& options(const LoanRow& row) {
    for (const auto& c : cache_)
      if (c.order == row.allocation_order && c.penalty == row.penalty_rate) return c.options;
    if (cache_.size() >= 64) cache_.clear();  // products are few; bounded anyway
    cache_.push_back(Cached{row.allocation_order, row.penalty_rate, allocation_options(row)});
    return cache_.back().options;
  }
  struct Cached {
    std::string order;
    std::optional<std::string> penalty;
    AllocationOptions options;
  };
  std::vector<Cached> cache_;
  Replay replay_;
  LoanSnapshot snapshot_;
};

// Unpaid interest of the instalments due on or before `date`.
Money interest_due(const LoanSchedule& schedule, const Allocation& a, Date date) {
  Money out;
  for (std::size_t i = 0; i < schedule.installments.size(); ++i) {
    const auto& inst = schedule.installments[i];
    if (inst.due_on > date) break;
    out += inst.interest - a.installments[i].interest_paid;
  }
  return out;
}

Result<void> check_code(std::string_view code, std::string_view what) {
  if (code.empty()) return fail(bad(fmt::format(fmt::runtime(tr("{} is empty")), what)));
  if (code.size() > 64) return fail(bad(fmt::format(fmt::runtime(tr("{} '{}' is longer than 64 characters")), what, code)));
  for (unsigned char c : code)
    if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/'))
      return fail(bad(fmt::format(fmt::runtime(tr("{} '{}' may hold only letters A-Z, digits and - _ . /")), what, code)));
  return {};
}

void add_posting(std::vector<Posting>& postings, std::string_view account, Money amount) {
  if (!amount.is_zero()) postings.push_back(Posting{std::string(account), amount});
}

Frequency frequency_of(const LoanRow& row) { return stored(parse_frequency(row.frequency), "frequency"); }

// The meeting period ending at `date`: one period of the loan's frequency before it.
Date period_start(Date date, Frequency f) {
  switch (f) {
    case Frequency::kMonthly: return date.add_months(-1);
    case Frequency::kWeekly: return date.add_days(-7);
    case Frequency::kFortnightly: return date.add_days(-14);
    case Frequency::kFourWeekly: return date.add_days(-28);
  }
  return date;
}

// Compulsory savings of a loan at `date` (CollectionLine::savings and savings_arrears): the
// instalments of the schedule in force due on or before `start` are the earlier periods, those
// due in (start, date] this one; the savings received since that schedule came into force (the
// disbursement, or the last extension or rescheduling) and dated ≤ date pay them, oldest first.
Result<SavingsDue> savings_due_of(const LoanRow& row, const std::vector<EventRow>& events,
                                  const LoanSchedule& schedule, Date start, Date date) {
  if (!row.savings_rate) return SavingsDue{};
  const auto rate = stored(Rate::parse(*row.savings_rate), "savings rate");
  auto per = round_to_money(Money(row.principal).to_rational() * period_rate(rate, frequency_of(row)));
  if (!per) return fail(per.error());
  std::int64_t before = 0, now = 0;
  for (const auto& inst : schedule.installments) {
    if (inst.due_on > date) break;
    ++(inst.due_on > start ? now : before);
  }
  Money received;
  for (const auto& e : events) {
    if (e.on > date) continue;
    if (e.kind == "extend" || e.kind == "reschedule") received = Money(0);
    else received += Money(e.savings);
  }
  return savings_due(*per, before, now, received);
}

// A repayment above what is due is refused unless the officer says it is a prepayment.
Result<void> check_within_due(const LoanRow& row, const Replay& state, Money amount, Date date) {
  auto due = amount_due(state.schedule, state.payments, date, allocation_options(row));
  if (!due) return fail(due.error());
  if (amount <= *due) return {};
  return fail(bad(fmt::format(fmt::runtime(tr("{} is more than loan '{}' owes on {}: {} (instalments due by then and penalty); if "
                              "it is a prepayment say so (loan repay --prepay; column prepay in a file)")),
                              amount.minor_units(), row.code, date, due->minor_units()))
                  .in_field("amount"));
}

}  // namespace

std::string_view to_string(LoanEventKind k) {
  switch (k) {
    case LoanEventKind::kRepay: return "repay";
    case LoanEventKind::kPayoff: return "payoff";
    case LoanEventKind::kWriteoff: return "writeoff";
    case LoanEventKind::kRecover: return "recover";
    case LoanEventKind::kExtend: return "extend";
    case LoanEventKind::kReschedule: return "reschedule";
    case LoanEventKind::kFreeze: return "freeze";
    case LoanEventKind::kUnfreeze: return "unfreeze";
  }
  return "?";
}

Result<LoanEventKind> parse_loan_event_kind(std::string_view text) {
  for (auto k : {LoanEventKind::kRepay, LoanEventKind::kPayoff, LoanEventKind::kWriteoff, LoanEventKind::kRecover,
                 LoanEventKind::kExtend, LoanEventKind::kReschedule, LoanEventKind::kFreeze, LoanEventKind::kUnfreeze})
    if (to_string(k) == text) return k;
  return fail(bad(fmt::format(fmt::runtime(tr("'{}' is not a loan event (repay|payoff|writeoff|recover|extend|reschedule|freeze|"
                              "unfreeze)")), text)));
}

std::string_view to_string(LoanStatus s) {
  switch (s) {
    case LoanStatus::kActive: return "active";
    case LoanStatus::kFrozen: return "frozen";
    case LoanStatus::kWrittenOff: return "written-off";
    case LoanStatus::kClosed: return "closed";
  }
  return "?";
}

bool LoanSnapshot::open() const {
  if (status == LoanStatus::kClosed) return false;
  return !position.outstanding_principal.is_zero() || !position.overdue_interest.is_zero() || !position.overdue_penalty.is_zero();
}

Money PayoffQuote::total() const { return principal + interest + penalty; }
std::string default_collection_receipt(std::string_view group, Date date, std::string_view loan) {
  return fmt::format("sheet:{}:{}:{}", group, date, loan);
}

Money CollectionLine::total() const { return installment + arrears + savings + savings_arrears; }

LoanBook::LoanBook(Ledger& ledger) : ledger_(ledger), store_(std::make_unique<LoanStore>(ledger.store())) {}
LoanBook::~LoanBook() = default;

Registry& LoanBook::registry() {
  if (!registry_) registry_ = std::make_unique<Registry>(ledger_);
  return *registry_;
}

Money LoanBook::member_limit() {
  auto limit = setting_value<Money>(ledger_.store(), kMemberLimitSetting);
  if (!limit) throw SoquyException(limit.error());  // a stored value the setting's rule refuses
  return *limit;
}

// ---- products --------------------------------------------------------------------------------

Result<LoanProduct> LoanBook::add_product(const LoanProduct& p) {
  if (auto ok = ledger_.require_write(std::string(fund::kBook)); !ok) return fail(ok.error());
  if (auto ok = check_code(p.code, tr("product code")); !ok) return fail(ok.error());
  if (p.installments < 1 || p.installments > 600)
    return fail(bad(fmt::format(fmt::runtime(tr("{} instalments; expected 1 to 600")), p.installments)).in_field("term"));
  if (p.grace < 0 || p.grace >= p.installments)
    return fail(bad(fmt::format(fmt::runtime(tr("{} instalments of grace on a term of {}; expected 0 to {}")), p.grace,
                                p.installments, p.installments - 1)).in_field("grace"));
  if (p.rate.per_month() < 0) return fail(bad(tr("a rate cannot be negative")).in_field("rate"));
  if (p.savings_rate && p.savings_rate->per_month() <= 0)
    return fail(bad(tr("the rate must be positive")).in_field("savings"));
  if (p.penalty_rate && p.penalty_rate->per_month() <= 0)
    return fail(bad(tr("the rate must be positive")).in_field("penalty_rate"));
  if (p.max_amount && p.max_amount->minor_units() <= 0) return fail(bad(tr("must be positive")).in_field("max_amount"));
  if (auto ok = parse_allocation_order(order_text(p.allocation_order)); !ok) return fail(ok.error());
  ProductRow row;
  row.code = p.code;
  row.method = std::string(to_string(p.method));
  row.rate = p.rate.to_string();
  row.installments = p.installments;
  row.frequency = std::string(to_string(p.frequency));
  row.grace = p.grace;
  if (p.savings_rate) row.savings_rate = p.savings_rate->to_string();
  if (p.max_amount) row.max_amount = p.max_amount->minor_units();
  if (p.penalty_rate) row.penalty_rate = p.penalty_rate->to_string();
  row.allocation_order = order_text(p.allocation_order);
  row.created_at = now_timestamp();
  std::optional<LoanProduct> out;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    if (auto existing = store_->find_product(p.code)) {
      ProductRow same = row;
      same.id = existing->id;
      same.created_at = existing->created_at;
      if (existing->method == same.method && existing->rate == same.rate &&
          existing->installments == same.installments && existing->frequency == same.frequency &&
          existing->grace == same.grace && existing->savings_rate == same.savings_rate &&
          existing->max_amount == same.max_amount && existing->penalty_rate == same.penalty_rate &&
          existing->allocation_order == same.allocation_order) {
        out = product_of(*existing);
        return {};
      }
      return fail(bad(fmt::format(fmt::runtime(tr("product '{}' already exists with other terms; products are never changed: "
                                  "add a new code")), p.code)));
    }
    store_->insert_product(row);
    out = product_of(*store_->find_product(p.code));
    return {};
  });
  if (!r) return fail(r.error());
  return *out;
}

Result<LoanProduct> LoanBook::product(const std::string& code) {
  auto row = store_->find_product(code);
  if (!row) return fail(bad(fmt::format(fmt::runtime(tr("no loan product '{}' (see soquy product list)")), code)).in_field("product"));
  return product_of(*row);
}

std::vector<LoanProduct> LoanBook::products() {
  std::vector<LoanProduct> out;
  for (const auto& r : store_->all_products()) out.push_back(product_of(r));
  return out;
}

// ---- capital ---------------------------------------------------------------------------------

Result<PostResult> LoanBook::deposit(Money amount, Date date, const std::string& memo, const std::string& client_id) {
  if (amount.minor_units() <= 0)
    return fail(bad(fmt::format(fmt::runtime(tr("{} must be positive")), amount.minor_units())).in_field("amount"));
  EntryDraft d;
  d.book = std::string(fund::kBook);
  d.date = date;
  d.memo = memo.empty() ? "Nhận vốn quỹ" : memo;
  d.client_id = client_id;
  d.postings = {Posting{std::string(fund::kCash), amount}, Posting{std::string(fund::kCapital), -amount}};
  return ledger_.post(d);
}

// ---- loans -----------------------------------------------------------------------------------

Result<AccountRegister> LoanBook::member_register(const std::string& member, const std::string& book,
                                                  const std::string& account, std::optional<Date> from, Date as_of) {
  Registry registry(ledger_);
  auto m = registry.find_member(member);
  if (!m) return fail(bad(fmt::format(fmt::runtime(tr("no member '{}' in the registry")), member)).in_field("member"));
  const auto ids = store_->member_entry_ids(m->row_id);  // sorted
  auto all = ledger_.account_register(book, account, std::nullopt, as_of);
  if (!all) return fail(all.error());
  AccountRegister reg;
  reg.account = all->account;
  reg.from = from;
  reg.as_of = as_of;
  Money running;
  for (const auto& line : all->lines) {
    if (!std::binary_search(ids.begin(), ids.end(), line.entry_id)) continue;
    auto next = running.plus(line.amount);
    if (!next) return fail(next.error());
    running = *next;
    if (from && line.date < *from) {
      reg.opening = running;  // her balance before --from
      continue;
    }
    reg.lines.push_back(line);
    reg.lines.back().balance = running;
  }
  reg.closing = running;
  return reg;
}

namespace {

// The member limit counts what she owes on the disbursement date, frozen loans included.
Result<void> check_member_limit(LoanStore& store, const DisburseRequest& req, std::int64_t member_row_id,
                                const Money& limit) {
  Money owed;
  for (const auto& other : store.loans_of_member(member_row_id)) {
    if (other.disbursed_on > req.date) continue;
    auto s = snapshot_of(other, store.events_of(other.id), req.date);
    if (s.status == LoanStatus::kActive || s.status == LoanStatus::kFrozen) owed += s.position.outstanding_principal;
  }
  if (owed + req.amount > limit)
    return fail(bad(fmt::format(fmt::runtime(tr("member '{}' owes {} đồng on {}; with this loan {} đồng, above the limit "
                                "of {} per member (setting {})")),
                                req.member, owed.minor_units(), req.date, (owed + req.amount).minor_units(),
                                limit.minor_units(), kSettingMemberLimit)).in_field("amount"));
  return {};
}

// Unless the setting allows it, the fund's cash may not go below zero on the day or after.
Result<void> check_cash_for(Ledger& ledger, const DisburseRequest& req) {
  auto allow_negative_cash = setting_value<bool>(ledger.store(), kAllowNegativeCashSetting);
  if (!allow_negative_cash) return fail(allow_negative_cash.error());
  if (*allow_negative_cash) return {};
  for (Date d : {req.date, Date::from_ymd(2999, 12, 31).value()}) {
    auto cash = ledger.balance(std::string(fund::kBook), std::string(fund::kCash), d);
    if (!cash) return fail(cash.error());
    if (*cash < req.amount)
      return fail(bad(fmt::format(fmt::runtime(tr("the fund has {} đồng of cash {}; disbursing {} would take it below "
                                  "zero (record capital with soquy fund deposit, or set {} = true)")),
                                  cash->minor_units(),
                                  d == req.date ? fmt::format(fmt::runtime(tr("on {}")), req.date.to_iso()) : std::string(tr("after later entries")),
                                  req.amount.minor_units(), kSettingAllowNegativeCash)).in_field("amount"));
  }
  return {};
}

LoanTerms terms_of(const LoanProduct& product, const DisburseRequest& req) {
  LoanTerms terms;
  terms.principal = req.amount;
  terms.rate = product.rate;
  terms.installments = product.installments;
  terms.grace = product.grace;
  terms.method = product.method;
  terms.frequency = product.frequency;
  terms.disbursed_on = req.date;
  return terms;
}

// The loan's row as disbursed: the product's terms copied, so later product changes leave it.
LoanRow loan_row_of(const DisburseRequest& req, const ProductRow& product, std::int64_t member_row_id) {
  LoanRow row;
  row.code = req.loan;
  row.member_id = member_row_id;
  row.product_id = product.id;
  row.principal = req.amount.minor_units();
  row.method = product.method;
  row.rate = product.rate;
  row.installments = product.installments;
  row.frequency = product.frequency;
  row.grace = product.grace;
  row.savings_rate = product.savings_rate;
  row.penalty_rate = product.penalty_rate;
  row.allocation_order = product.allocation_order;
  row.disbursed_on = req.date;
  return row;
}

}  // namespace

namespace {
// The fund book's entry of a disbursement: Dr 2111 loans, Cr 1011 cash, owned by the loan.
EntryDraft disbursement_draft(const DisburseRequest& req, const std::string& member_name,
                              const std::string& member_id) {
  EntryDraft d;
  d.book = std::string(fund::kBook);
  d.date = req.date;
  d.memo = req.memo.empty() ? fmt::format("Giải ngân khoản vay {} cho {} ({})", req.loan, member_name, member_id)
                            : req.memo;
  d.client_id = "loan:" + req.loan + ":disburse";
  d.owner = loan_internal::owner_of(req.loan);
  d.postings = {Posting{std::string(fund::kLoans), req.amount}, Posting{std::string(fund::kCash), -req.amount}};
  return d;
}
}  // namespace

Result<Loan> LoanBook::disburse(const DisburseRequest& req) {
  if (auto ok = ledger_.require_write(std::string(fund::kBook)); !ok) return fail(ok.error());
  if (auto ok = check_code(req.loan, tr("loan code")); !ok) return fail(ok.error());
  if (req.amount.minor_units() <= 0)
    return fail(bad(fmt::format(fmt::runtime(tr("{} must be positive")), req.amount.minor_units())).in_field("amount"));
  std::optional<Loan> out;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    Registry& registry = this->registry();
    auto member = registry.find_member(req.member);
    if (!member) return fail(bad(fmt::format(fmt::runtime(tr("no member '{}' in the registry")), req.member)).in_field("member"));
    auto product_row = store_->find_product(req.product);
    if (!product_row)
      return fail(bad(fmt::format(fmt::runtime(tr("no loan product '{}' (see soquy product list)")), req.product)).in_field("product"));
    const LoanProduct product = product_of(*product_row);
    std::optional<GroupRef> group;
    if (!req.group.empty()) {
      group = registry.find_group(req.group);
      if (!group) return fail(bad(fmt::format(fmt::runtime(tr("no group '{}'")), req.group)).in_field("group"));
    }
    if (auto existing = store_->find_loan(req.loan)) {
      if (existing->reversed_by)
        return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' was cancelled (its disbursement reversed by #{}); a code is never reused: "
                                    "choose another code")),
                                    req.loan, *existing->reversed_by)));
      if (existing->member_id == member->row_id && existing->product_id == product_row->id &&
          existing->principal == req.amount.minor_units() && existing->disbursed_on == req.date &&
          existing->group_id == (group ? std::optional<std::int64_t>(group->id) : std::nullopt)) {
        out = loan_of(*existing);
        return {};
      }
      return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' already exists (member {}, {} đồng on {}): choose another code")),
                                  req.loan, existing->member_code, existing->principal, existing->disbursed_on)));
    }
    if (member->joined > req.date || (member->left && *member->left <= req.date))
      return fail(bad(fmt::format(fmt::runtime(tr("'{}' is not a member on {} (joined {}{})")), req.member, req.date,
                                  member->joined, member->left ? fmt::format(fmt::runtime(tr(", left {}")), member->left->to_iso()) : ""))
                      .in_field("member"));
    if (group) {
      if (!registry.member_in_group(member->row_id, group->id, req.date))
        return fail(bad(fmt::format(fmt::runtime(tr("member '{}' is not in group '{}' on {}")), req.member, req.group, req.date))
                        .in_field("group"));
    }
    if (product.max_amount && req.amount > *product.max_amount)
      return fail(bad(fmt::format(fmt::runtime(tr("{} is above the largest loan of product '{}' ({})")),
                                  req.amount.minor_units(), product.code, product.max_amount->minor_units()))
                      .in_field("amount"));
    if (auto ok = check_member_limit(*store_, req, member->row_id, member_limit()); !ok) return fail(ok.error());
    if (auto ok = check_cash_for(ledger_, req); !ok) return fail(ok.error());
    auto schedule = build_schedule(terms_of(product, req));
    if (!schedule) return fail(schedule.error());
    auto posted = ledger_.post(disbursement_draft(req, member->name, member->id));
    if (!posted) return fail(posted.error());
    LoanRow row = loan_row_of(req, *product_row, member->row_id);
    if (group) row.group_id = group->id;
    row.schedule = encode_schedule(*schedule);
    row.entry_id = posted->entry.id;
    store_->insert_loan(row);
    out = loan_of(*store_->find_loan(req.loan), &*schedule);
    return {};
  });
  if (!r) return fail(r.error());
  return *out;
}

namespace {

// What every event of an existing loan checks first.
struct LoanContext {
  LoanRow row;
  std::vector<EventRow> events;
  Replay state;
};

}  // namespace

// The context of an event on `date` for the loan `row` with its `events` (as the store holds
// them), already read by the caller.
static Result<LoanContext> context_for_event(LoanRow row, std::vector<EventRow> events, Date date) {
  if (row.reversed_by)
    return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' was cancelled: its disbursement was reversed by #{} ({})")), row.code,
                                *row.reversed_by, row.reversal_reason)));
  LoanContext c{std::move(row), std::move(events), {}};
  c.state = replay(c.row, c.events);
  if (date < c.row.disbursed_on)
    return fail(bad(fmt::format(fmt::runtime(tr("{} is before the loan was disbursed ({})")), date, c.row.disbursed_on))
                    .in_field("date"));
  if (c.state.last_event && date < *c.state.last_event)
    return fail(bad(fmt::format(fmt::runtime(tr("{} is before the loan's latest event ({}); events of a loan go in date "
                                "order")),
                                date, *c.state.last_event)).in_field("date"));
  return c;
}

static Result<LoanContext> load_for_event(LoanStore& store, const std::string& code, Date date) {
  auto row = store.find_loan(code);
  if (!row) return fail(bad(fmt::format(fmt::runtime(tr("no loan '{}'")), code)));
  auto events = store.events_of(row->id);
  return context_for_event(std::move(*row), std::move(events), date);
}

// `action` is a marked literal (N_), translated here.
static Result<void> require_open(const LoanContext& c, const char* action) {
  if (c.state.closed_on)
    return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' was paid off on {}: nothing to {}")), c.row.code,
                                *c.state.closed_on, tr(action))));
  if (c.state.written_off_on)
    return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' was written off on {}: money received is recorded with soquy loan recover")),
                                c.row.code, *c.state.written_off_on)));
  return {};
}

// What a repayment receives: an amount and savings, neither negative, not both 0, and together
// within what the books hold (the cash line is their sum).
static Result<void> check_received(Money amount, Money savings) {
  if (amount.minor_units() < 0)
    return fail(bad(fmt::format(fmt::runtime(tr("{} cannot be negative")), amount.minor_units())).in_field("amount"));
  if (savings.minor_units() < 0)
    return fail(bad(fmt::format(fmt::runtime(tr("{} cannot be negative")), savings.minor_units())).in_field("savings"));
  if (amount.is_zero() && savings.is_zero())
    return fail(bad(tr("nothing received (amount and savings are 0)")).in_field("amount"));
  if (!amount.plus(savings))
    return fail(bad(fmt::format(fmt::runtime(tr("{} đồng with the amount's {} đồng comes to more than {} đồng, the largest amount the "
                                "books hold")),
                                savings.minor_units(), amount.minor_units(), std::numeric_limits<std::int64_t>::max()))
                    .in_field("savings"));
  return {};
}

Result<RepaymentResult> LoanBook::repay(const std::string& code, Money amount, Money savings, Date date,
                                        const std::string& client_id, bool prepay) {
  if (auto ok = ledger_.require_write(std::string(fund::kBook)); !ok) return fail(ok.error());
  if (auto ok = check_received(amount, savings); !ok) return fail(ok.error());
  std::optional<RepaymentResult> out;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto row = store_->find_loan(code);
    if (!row) return fail(bad(fmt::format(fmt::runtime(tr("no loan '{}'")), code)));
    // The receipt's revision that stands, else the next one ("R", after a reversal "R~2" …).
    std::string receipt = client_id;
    if (!client_id.empty()) {
      auto rev = loan_internal::find_receipt(*store_, row->id, client_id);
      if (auto& seen = rev.standing) {
        if (seen->kind == "repay" && seen->on == date && seen->amount == amount.minor_units() &&
            seen->savings == savings.minor_units() && seen->entry_id) {
          auto entry = ledger_.entry("#" + std::to_string(*seen->entry_id));
          if (!entry) return fail(entry.error());
          out = RepaymentResult{event_of(*seen), *entry, false, snapshot_of(*row, store_->events_of(row->id), date), {}};
          return {};
        }
        return fail(loan_internal::receipt_taken(code, client_id, *seen));
      }
      receipt = rev.next;
    }
    auto events = store_->events_of(row->id);
    if (!row->reversed_by && loan_internal::is_late(events, date)) {
      auto late = loan_internal::repay_late(ledger_, *store_, *row, amount, savings, date, receipt);
      if (!late) return fail(late.error());
      out = std::move(*late);
      return {};
    }
    auto c = context_for_event(std::move(*row), std::move(events), date);
    if (!c) return fail(c.error());
    if (auto ok = require_open(*c, N_("repay")); !ok) return ok;
    if (!prepay)
      if (auto ok = check_within_due(c->row, c->state, amount, date); !ok) return ok;
    EventRow ev;
    ev.loan_id = c->row.id;
    ev.kind = "repay";
    ev.on = date;
    ev.amount = amount.minor_units();
    ev.savings = savings.minor_units();
    if (!receipt.empty()) ev.client_id = receipt;
    if (amount.minor_units() > 0) {
      auto payments = c->state.payments;
      payments.push_back(Payment{date, amount});
      auto a = allocate(c->state.schedule, payments, allocation_options(c->row));
      if (!a) return fail(a.error());
      const auto& split = a->payments.back();
      ev.principal = split.principal.minor_units();
      ev.interest = split.interest.minor_units();
      ev.penalty = split.penalty.minor_units();
      ev.overpayment = split.overpayment.minor_units();
    }
    auto d = loan_internal::repayment_draft(c->row, ev, fmt::format("Thu nợ khoản vay {} ({})", code, c->row.member_name),
                                            receipt.empty() ? "" : fmt::format("loan:{}:{}", code, receipt));
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    ev.entry_id = posted->entry.id;
    ev.id = store_->insert_event(ev);
    c->events.push_back(ev);
    out = RepaymentResult{event_of(ev), posted->entry, true, snapshot_of(c->row, c->events, date), {}};
    return {};
  });
  if (!r) return fail(r.error());
  return *out;
}

Result<Money> LoanBook::amount_due(const std::string& code, Date date) {
  auto row = store_->find_loan(code);
  if (!row) return fail(bad(fmt::format(fmt::runtime(tr("no loan '{}'")), code)));
  const Replay r = replay(*row, store_->events_of(row->id), date);
  return soquy::amount_due(r.schedule, r.payments, date, allocation_options(*row));
}

Result<SavingsDue> LoanBook::savings_due(const std::string& code, Date as_of) {
  auto row = store_->find_loan(code);
  if (!row) return fail(bad(fmt::format(fmt::runtime(tr("no loan '{}'")), code)));
  const auto events = store_->events_of(row->id);
  const Replay r = replay(*row, events, as_of);
  return savings_due_of(*row, events, r.schedule, as_of.add_days(-1), as_of);
}

Result<PayoffQuote> LoanBook::payoff_quote(const std::string& code, Date date) {
  auto c = load_for_event(*store_, code, date);
  if (!c) return fail(c.error());
  if (auto ok = require_open(*c, N_("pay off")); !ok) return fail(ok.error());
  PositionOptions o;
  o.allocation = allocation_options(c->row);
  auto pos = loan_position(c->state.schedule, c->state.payments, date, o);
  if (!pos) return fail(pos.error());
  auto a = allocate(c->state.schedule, c->state.payments, o.allocation);
  if (!a) return fail(a.error());
  PayoffQuote q;
  q.on = date;
  q.principal = pos->outstanding_principal;
  q.interest = interest_due(c->state.schedule, *a, date);
  q.penalty = pos->overdue_penalty;
  return q;
}

Result<RepaymentResult> LoanBook::payoff(const std::string& code, Date date, std::optional<Money> amount,
                                         const std::string& client_id) {
  if (auto ok = ledger_.require_write(std::string(fund::kBook)); !ok) return fail(ok.error());
  std::optional<RepaymentResult> out;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto q = payoff_quote(code, date);
    if (!q) return fail(q.error());
    if (amount && *amount != q->total())
      return fail(bad(fmt::format(fmt::runtime(tr("{} does not settle loan '{}' on {}: it takes {} (principal {}, interest "
                                  "{}, penalty {}); record a smaller payment with soquy loan repay")),
                                  amount->minor_units(), code, date, q->total().minor_units(),
                                  q->principal.minor_units(), q->interest.minor_units(), q->penalty.minor_units()))
                      .in_field("amount"));
    if (q->total().is_zero()) return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' owes nothing on {}")), code, date)));
    auto c = load_for_event(*store_, code, date);
    if (!c) return fail(c.error());
    EventRow ev;
    ev.loan_id = c->row.id;
    ev.kind = "payoff";
    ev.on = date;
    ev.amount = q->total().minor_units();
    ev.principal = q->principal.minor_units();
    ev.interest = q->interest.minor_units();
    ev.penalty = q->penalty.minor_units();
    if (!client_id.empty()) {
      auto rev = loan_internal::find_receipt(*store_, c->row.id, client_id);
      if (rev.standing) return fail(loan_internal::receipt_taken(code, client_id, *rev.standing));
      ev.client_id = rev.next;
    }
    // A payoff reversed keeps its entry's client id: a new one takes the next revision.
    auto d = loan_internal::repayment_draft(
        c->row, ev, fmt::format("Tất toán khoản vay {} ({})", code, c->row.member_name),
        loan_internal::free_entry_client_id(ledger_, ev.client_id ? fmt::format("loan:{}:{}", code, *ev.client_id)
                                                                  : fmt::format("loan:{}:payoff", code)));
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    ev.entry_id = posted->entry.id;
    ev.id = store_->insert_event(ev);
    c->events.push_back(ev);
    out = RepaymentResult{event_of(ev), posted->entry, true, snapshot_of(c->row, c->events, date), {}};
    return {};
  });
  if (!r) return fail(r.error());
  return *out;
}

Result<LoanEvent> LoanBook::writeoff(const std::string& code, Date date, const std::string& reason) {
  if (auto ok = ledger_.require_write(std::string(fund::kBook)); !ok) return fail(ok.error());
  std::optional<LoanEvent> out;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto c = load_for_event(*store_, code, date);
    if (!c) return fail(c.error());
    if (auto ok = require_open(*c, N_("write off")); !ok) return ok;
    auto s = snapshot_of(c->row, c->events, date);
    const Money outstanding = s.position.outstanding_principal;
    if (outstanding.minor_units() <= 0) return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' has no principal outstanding on {}")), code, date)));
    EntryDraft d;
    d.book = std::string(fund::kBook);
    d.date = date;
    d.memo = fmt::format("Xóa nợ khoản vay {} ({}){}", code, c->row.member_name, reason.empty() ? "" : ": " + reason);
    d.client_id = loan_internal::free_entry_client_id(ledger_, fmt::format("loan:{}:writeoff", code));
    d.owner = loan_internal::owner_of(code);
    d.postings = {Posting{std::string(fund::kLoanProvision), outstanding},
                  Posting{std::string(fund::kLoans), -outstanding}};
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    EventRow ev;
    ev.loan_id = c->row.id;
    ev.kind = "writeoff";
    ev.on = date;
    ev.principal = outstanding.minor_units();
    ev.detail = reason;
    ev.entry_id = posted->entry.id;
    ev.id = store_->insert_event(ev);
    out = event_of(ev);
    return {};
  });
  if (!r) return fail(r.error());
  return *out;
}

Result<LoanEvent> LoanBook::recover(const std::string& code, Money amount, Date date, const std::string& client_id) {
  if (auto ok = ledger_.require_write(std::string(fund::kBook)); !ok) return fail(ok.error());
  if (amount.minor_units() <= 0)
    return fail(bad(fmt::format(fmt::runtime(tr("{} must be positive")), amount.minor_units())).in_field("amount"));
  std::optional<LoanEvent> out;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto row = store_->find_loan(code);
    if (!row) return fail(bad(fmt::format(fmt::runtime(tr("no loan '{}'")), code)));
    std::string receipt = client_id;
    if (!client_id.empty()) {
      auto rev = loan_internal::find_receipt(*store_, row->id, client_id);
      if (auto& seen = rev.standing) {
        if (seen->kind == "recover" && seen->on == date && seen->amount == amount.minor_units()) {
          out = event_of(*seen);
          return {};
        }
        return fail(bad(fmt::format(fmt::runtime(tr("receipt '{}' of loan '{}' was already recorded with other content")),
                                    client_id, code)).in_field("receipt"));
      }
      receipt = rev.next;
    }
    auto c = load_for_event(*store_, code, date);
    if (!c) return fail(c.error());
    if (!c->state.written_off_on)
      return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' is not written off: record its repayments with soquy loan repay")), code)));
    EntryDraft d;
    d.book = std::string(fund::kBook);
    d.date = date;
    d.memo = fmt::format("Thu hồi nợ đã xóa, khoản vay {} ({})", code, c->row.member_name);
    d.client_id = receipt.empty() ? "" : fmt::format("loan:{}:{}", code, receipt);
    d.owner = loan_internal::owner_of(code);
    d.postings = {Posting{std::string(fund::kCash), amount}, Posting{std::string(fund::kRecoveries), -amount}};
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    EventRow ev;
    ev.loan_id = c->row.id;
    ev.kind = "recover";
    ev.on = date;
    ev.amount = amount.minor_units();
    if (!receipt.empty()) ev.client_id = receipt;
    ev.entry_id = posted->entry.id;
    ev.id = store_->insert_event(ev);
    out = event_of(ev);
    return {};
  });
  if (!r) return fail(r.error());
  return *out;
}

namespace {

Result<LoanEvent> add_restructure(LoanStore& store, const LoanContext& c, std::string_view kind, Date date,
                                  const LoanSchedule& schedule, const std::string& reason) {
  EventRow ev;
  ev.loan_id = c.row.id;
  ev.kind = std::string(kind);
  ev.on = date;
  ev.principal = schedule.total_principal.minor_units();
  ev.interest = schedule.total_interest.minor_units();
  ev.schedule = encode_schedule(schedule);
  ev.detail = reason;
  ev.id = store.insert_event(ev);
  return event_of(ev);
}

}  // namespace

Result<LoanEvent> LoanBook::extend(const std::string& code, int months, Date date, const std::string& reason) {
  if (auto ok = ledger_.require_write(std::string(fund::kBook)); !ok) return fail(ok.error());
  if (months < 1 || months > 120) return fail(bad(fmt::format(fmt::runtime(tr("{}; expected 1 to 120")), months)).in_field("months"));
  std::optional<LoanEvent> out;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto c = load_for_event(*store_, code, date);
    if (!c) return fail(c.error());
    if (auto ok = require_open(*c, N_("extend")); !ok) return ok;
    auto a = allocate(c->state.schedule, c->state.payments, allocation_options(c->row));
    if (!a) return fail(a.error());
    LoanSchedule next;
    for (std::size_t i = 0; i < c->state.schedule.installments.size(); ++i) {
      const auto& inst = c->state.schedule.installments[i];
      const auto& paid = a->installments[i];
      Installment n;
      n.principal = inst.principal - paid.principal_paid;
      n.interest = inst.interest - paid.interest_paid;
      if (n.principal.is_zero() && n.interest.is_zero()) continue;
      n.n = static_cast<int>(next.installments.size()) + 1;
      n.due_on = inst.due_on.add_months(months);
      if (n.due_on <= date)
        return fail(bad(fmt::format(fmt::runtime(tr("instalment {} (due {}) would still be due on {}, not after {}: extend "
                                    "by more months or reschedule the loan")),
                                    inst.n, inst.due_on, n.due_on, date)).in_field("months"));
      n.total = n.principal + n.interest;
      next.total_principal += n.principal;
      next.total_interest += n.interest;
      next.installments.push_back(n);
    }
    if (next.installments.empty()) return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' owes nothing to extend")), code)));
    auto ev = add_restructure(*store_, *c, "extend", date, next,
                              reason.empty() ? fmt::format("{} months", months) : reason);
    if (!ev) return fail(ev.error());
    out = *ev;
    return {};
  });
  if (!r) return fail(r.error());
  return *out;
}

Result<LoanEvent> LoanBook::reschedule(const std::string& code, const RescheduleTerms& terms, Date date,
                                       const std::string& reason) {
  if (auto ok = ledger_.require_write(std::string(fund::kBook)); !ok) return fail(ok.error());
  std::optional<LoanEvent> out;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto c = load_for_event(*store_, code, date);
    if (!c) return fail(c.error());
    if (auto ok = require_open(*c, N_("reschedule")); !ok) return ok;
    auto quote = payoff_quote(code, date);
    if (!quote) return fail(quote.error());
    if (quote->principal.minor_units() <= 0)
      return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' has no principal outstanding on {} to reschedule")), code, date)));
    LoanTerms t = terms_of(c->row);
    t.principal = quote->principal;
    t.installments = terms.installments;
    t.grace = terms.grace;
    if (terms.frequency) t.frequency = *terms.frequency;
    if (terms.method) t.method = *terms.method;
    t.disbursed_on = date;
    auto next = build_schedule(t);
    if (!next) return fail(next.error().in_field("term"));
    // Interest already due and unpaid is owed with the first new instalment.
    auto& first = next->installments.front();
    first.interest += quote->interest;
    first.total += quote->interest;
    next->total_interest += quote->interest;
    next->equivalent_monthly_rate.reset();
    auto ev = add_restructure(*store_, *c, "reschedule", date, *next, reason);
    if (!ev) return fail(ev.error());
    out = *ev;
    return {};
  });
  if (!r) return fail(r.error());
  return *out;
}

namespace {

Result<LoanEvent> add_state_event(Ledger& ledger, LoanStore& store, const std::string& code, Date date, bool freeze,
                                  const std::string& reason) {
  if (auto ok = ledger.require_write(std::string(fund::kBook)); !ok) return fail(ok.error());
  std::optional<LoanEvent> out;
  auto r = ledger.in_transaction([&]() -> Result<void> {
    auto c = load_for_event(store, code, date);
    if (!c) return fail(c.error());
    if (auto ok = require_open(*c, freeze ? N_("freeze") : N_("unfreeze")); !ok) return ok;
    if (freeze && c->state.frozen) return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' is already frozen")), code)));
    if (!freeze && !c->state.frozen) return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' is not frozen")), code)));
    EventRow ev;
    ev.loan_id = c->row.id;
    ev.kind = freeze ? "freeze" : "unfreeze";
    ev.on = date;
    ev.detail = reason;
    ev.id = store.insert_event(ev);
    out = event_of(ev);
    return {};
  });
  if (!r) return fail(r.error());
  return *out;
}

}  // namespace

Result<LoanEvent> LoanBook::freeze(const std::string& code, Date date, const std::string& reason) {
  return add_state_event(ledger_, *store_, code, date, true, reason);
}

Result<LoanEvent> LoanBook::unfreeze(const std::string& code, Date date, const std::string& reason) {
  return add_state_event(ledger_, *store_, code, date, false, reason);
}

// ---- reading ---------------------------------------------------------------------------------

bool LoanBook::has_loan(const std::string& code) { return store_->find_loan(code).has_value(); }

Result<Loan> LoanBook::loan(const std::string& code) {
  auto row = store_->find_loan(code);
  if (!row) return fail(bad(fmt::format(fmt::runtime(tr("no loan '{}'")), code)));
  return loan_of(*row);
}

Result<std::vector<LoanEvent>> LoanBook::events(const std::string& code) {
  auto row = store_->find_loan(code);
  if (!row) return fail(bad(fmt::format(fmt::runtime(tr("no loan '{}'")), code)));
  std::vector<LoanEvent> out;
  for (const auto& e : store_->events_of(row->id)) out.push_back(event_of(e));
  return out;
}

Result<LoanSchedule> LoanBook::schedule(const std::string& code, Date as_of) {
  auto row = store_->find_loan(code);
  if (!row) return fail(bad(fmt::format(fmt::runtime(tr("no loan '{}'")), code)));
  Replay r = replay(*row, store_->events_of(row->id), as_of);
  if (!r.restructured) return loan_of(*row).schedule;  // with the equivalent rate of a flat loan
  return r.schedule;
}

Result<LoanSnapshot> LoanBook::snapshot(const std::string& code, Date as_of) {
  auto row = store_->find_loan(code);
  if (!row) return fail(bad(fmt::format(fmt::runtime(tr("no loan '{}'")), code)));
  if (row->reversed_by)
    return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' was cancelled: its disbursement was reversed by #{} ({})")), code,
                                *row->reversed_by, row->reversal_reason)));
  if (as_of < row->disbursed_on)
    return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' was disbursed on {}, after {}")), code, row->disbursed_on, as_of))
                    .in_field("as_of"));
  return snapshot_of(*row, store_->events_of(row->id), as_of);
}

Result<void> LoanBook::for_each_snapshot(Date as_of, const std::function<void(const LoanSnapshot&)>& fn) {
  SnapshotMaker maker;
  store_->for_each_loan(as_of, [&](const LoanRow& row, const std::vector<EventRow>& events) {
    fn(maker.make(row, events, as_of));
  });
  return {};
}

int LoanBook::for_each_snapshot_parallel(Date as_of, int threads,
                                         const std::function<void(int, std::int64_t, const LoanSnapshot&)>& fn) {
  const auto [first, last] = store_->loan_id_range();
  if (last < first) return 1;
  // The other threads' scans, opened here (on a server they export this connection's snapshot).
  auto readers = store_->reader_scans(threads - 1);
  threads = 1 + static_cast<int>(readers.size());
  // Chunks of the id range taken in turn by the workers (ids can be sparse and the loans
  // disbursed by `as_of` sit at the low ids: fixed halves would not balance a past date).
  const std::int64_t span = last - first + 1;
  const std::int64_t chunks = std::clamp<std::int64_t>(span / 2048, threads, 256);
  const std::int64_t per = (span + chunks - 1) / chunks;
  std::atomic<std::int64_t> next{0};
  std::atomic<bool> stop{false};
  auto work = [&, first = first, last = last](LoanScan& scan, int worker) {
    SnapshotMaker maker;
    for (std::int64_t c = next++; c < chunks && !stop; c = next++) {
      const std::int64_t lo = first + c * per;
      if (lo > last) break;
      const std::int64_t hi = std::min(last, lo + per - 1);
      scan.for_each_loan(as_of, lo, hi, [&](const LoanRow& row, const std::vector<EventRow>& events) {
        fn(worker, row.id, maker.make(row, events, as_of));
      });
    }
  };
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(threads));
  std::vector<std::thread> pool;
  for (int w = 1; w < threads; ++w)
    pool.emplace_back([&, w] {
      try {
        work(*readers[static_cast<std::size_t>(w - 1)], w);
      } catch (...) {
        errors[static_cast<std::size_t>(w)] = std::current_exception();
        stop = true;
      }
    });
  try {
    LoanScan scan(*store_);
    work(scan, 0);
  } catch (...) {
    errors[0] = std::current_exception();
    stop = true;
  }
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return threads;
}

Result<CollectionSheet> LoanBook::collection_sheet(const std::string& group_code, Date date) {
  Registry registry(ledger_);
  auto group = registry.find_group(group_code);
  if (!group) return fail(bad(fmt::format(fmt::runtime(tr("no group '{}'")), group_code)).in_field("group"));
  CollectionSheet sheet;
  sheet.group = group->code;
  sheet.group_name = group->name;
  sheet.date = date;
  for (const auto& row : store_->loans_of_group(group->id)) {
    if (row.disbursed_on > date) continue;
    const auto events = store_->events_of(row.id);
    Replay r = replay(row, events, date);
    if (r.closed_on || r.written_off_on) continue;
    const auto options = allocation_options(row);
    auto a = allocate(r.schedule, r.payments, options);
    if (!a) return fail(a.error());
    PositionOptions po;
    po.allocation = options;
    auto pos = loan_position(r.schedule, r.payments, date, po);
    if (!pos) return fail(pos.error());
    if (pos->outstanding_principal.is_zero() && pos->overdue_interest.is_zero() && pos->overdue_penalty.is_zero())
      continue;
    const Frequency f = frequency_of(row);
    const Date start = period_start(date, f);
    CollectionLine line;
    line.member = row.member_code;
    line.member_name = row.member_name;
    line.loan = row.code;
    for (std::size_t i = 0; i < r.schedule.installments.size(); ++i) {
      const auto& inst = r.schedule.installments[i];
      if (inst.due_on > date) break;
      const Money unpaid = inst.total - a->installments[i].principal_paid - a->installments[i].interest_paid;
      if (inst.due_on > start) {
        line.installment += unpaid;
      } else {
        line.arrears += unpaid;
      }
    }
    line.arrears += pos->overdue_penalty;
    auto saving = savings_due_of(row, events, r.schedule, start, date);
    if (!saving) return fail(saving.error());
    line.savings = saving->this_period;
    line.savings_arrears = saving->arrears;
    line.days_past_due = pos->days_past_due;
    line.outstanding_principal = pos->outstanding_principal;
    sheet.lines.push_back(line);
  }
  std::stable_sort(sheet.lines.begin(), sheet.lines.end(), [](const CollectionLine& x, const CollectionLine& y) {
    return std::tie(x.member, x.loan) < std::tie(y.member, y.loan);
  });
  return sheet;
}

Result<std::vector<RepaymentResult>> LoanBook::record_collection(const std::string& group_code, Date date,
                                                                 const std::vector<CollectionReceipt>& rows) {
  if (auto ok = ledger_.require_write(std::string(fund::kBook)); !ok) return fail(ok.error());
  Registry registry(ledger_);
  auto group = registry.find_group(group_code);
  if (!group) return fail(bad(fmt::format(fmt::runtime(tr("no group '{}'")), group_code)).in_field("group"));
  std::vector<RepaymentResult> out;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    for (const auto& row : rows) {
      auto where = [&](const Error& e) { return e.with_context(row.where.empty() ? "" : row.where + ": "); };
      auto l = store_->find_loan(row.loan);
      if (!l) return fail(where(bad(fmt::format(fmt::runtime(tr("loan: no loan '{}'")), row.loan))));
      if (l->group_id != group->id)
        return fail(where(bad(fmt::format(fmt::runtime(tr("loan: loan '{}' is not a loan of group '{}'{}")), row.loan, group_code,
                                          l->group_code.empty() ? "" : fmt::format(fmt::runtime(tr(" (it is in group '{}')")), l->group_code)))));
      const std::string receipt = row.receipt.empty() ? default_collection_receipt(group_code, date, row.loan)
                                                      : row.receipt;
      auto paid = repay(row.loan, row.amount, row.savings, date, receipt, row.prepay);
      if (!paid) return fail(where(paid.error()));
      store_->insert_collection_row(paid->event.id, group->id, date);
      // Balances now rather than at the end (a meeting has a few dozen rows): a balance that
      // would overflow is the fault of this row's amount.
      if (auto f = ledger_.store().flush_balances(); !f) return fail(where(f.error().in_field("amount")));
      out.push_back(std::move(*paid));
    }
    return {};
  });
  if (!r) return fail(r.error());
  return out;
}

Result<ProvisionRun> LoanBook::run_provision(Date as_of) { return run_provision(as_of, class_table()); }

Result<void> validate_loan_classes_setting(std::string_view text) {
  auto t = parse_loan_classes(text);
  if (!t) return fail(t.error());
  return {};
}

LoanClassTable LoanBook::class_table() {
  // The setting's rule is parse_loan_classes, so a text that passed it parses.
  auto text = setting_value<std::string>(ledger_.store(), kLoanClassesSetting);
  if (!text) throw SoquyException(text.error());
  return stored(parse_loan_classes(*text), "setting loan.classes");
}

Result<ProvisionRun> LoanBook::run_provision(Date as_of, const LoanClassTable& table) {
  if (auto ok = ledger_.require_write(std::string(fund::kBook)); !ok) return fail(ok.error());
  if (auto ok = validate(table); !ok) return fail(ok.error());
  ProvisionRun run;
  run.as_of = as_of;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    Money required;
    auto each = for_each_snapshot(as_of, [&](const LoanSnapshot& s) {
      if (s.status == LoanStatus::kActive && s.open()) required += loan_provision(s.position, table);
    });
    if (!each) return each;
    auto held = ledger_.balance(std::string(fund::kBook), std::string(fund::kLoanProvision), as_of);
    if (!held) return fail(held.error());
    run.required = required;
    run.held_before = -*held;  // a contra-asset: its credit balance is what is held
    run.change = run.required - run.held_before;
    if (run.change.is_zero()) return {};
    EntryDraft d;
    d.book = std::string(fund::kBook);
    d.date = as_of;
    d.memo = fmt::format("Trích lập dự phòng rủi ro cho vay đến {}", as_of.to_vietnamese());
    d.client_id = fmt::format("provision:{}:{}", as_of, run.required.minor_units());
    d.postings = {Posting{std::string(fund::kProvisionExpense), run.change},
                  Posting{std::string(fund::kLoanProvision), -run.change}};
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    run.entry = posted->entry;
    return {};
  });
  if (!r) return fail(r.error());
  return run;
}

// ---- shared with loan_corrections.cc (loan_book_internal.h) -------------------------------------

namespace loan_internal {

LoanEvent event_of(const EventRow& row) { return soquy::event_of(row); }
AllocationOptions allocation_options(const LoanRow& row) { return soquy::allocation_options(row); }
LoanSnapshot snapshot_of(const LoanRow& row, const std::vector<EventRow>& events, Date as_of) {
  return soquy::snapshot_of(row, events, as_of);
}

EntryDraft repayment_draft(const LoanRow& row, const EventRow& ev, std::string_view memo, const std::string& client_id) {
  EntryDraft d;
  d.book = std::string(fund::kBook);
  d.date = ev.on;
  d.memo = std::string(memo);
  d.client_id = client_id;
  d.owner = owner_of(row.code);
  add_posting(d.postings, fund::kCash, Money(ev.amount) + Money(ev.savings));
  add_posting(d.postings, fund::kLoans, -Money(ev.principal));
  add_posting(d.postings, fund::kInterestIncome, -Money(ev.interest));
  add_posting(d.postings, fund::kPenaltyIncome, -Money(ev.penalty));
  add_posting(d.postings, fund::kOverpayments, -Money(ev.overpayment));
  add_posting(d.postings, fund::kCompulsorySavings, -Money(ev.savings));
  return d;
}

}  // namespace loan_internal

}  // namespace soquy
