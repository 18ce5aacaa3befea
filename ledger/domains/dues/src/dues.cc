// Membership dues (hội phí): dated settings, billing, payments and arrears. Rows are kept by
// DuesStore (dues_store.cc); members and units come from the Registry; money moves only
// through Ledger::post inside Ledger::in_transaction. The design is in docs/registry.md (Dues).
#include "soquy/dues.h"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "dues_store.h"
#include "ledger_internal.h"
#include "soquy/charts.h"
#include "soquy/clock.h"
#include "soquy/i18n.h"
#include "store.h"

namespace soquy {

// --- periods and parsing -----------------------------------------------------------------------

Result<Period> Period::parse(std::string_view text) {
  auto bad = [&] {
    return fail(Error::bad_input(
        fmt::format(fmt::runtime(tr("'{}' is not a period: expected YYYY-MM, a month from 01 to 12 (e.g. 2026-01)")), text)));
  };
  if (text.size() != 7 || text[4] != '-') return bad();
  int year = 0;
  unsigned month = 0;
  for (std::size_t i = 0; i < 7; ++i) {
    if (i == 4) continue;
    if (text[i] < '0' || text[i] > '9') return bad();
    if (i < 4) year = year * 10 + (text[i] - '0');
    else month = month * 10 + static_cast<unsigned>(text[i] - '0');
  }
  if (month < 1 || month > 12 || year < 1900 || year > 2999) return bad();  // Date's range: 1900–2999
  return Period{year, month};
}

std::string Period::to_string() const { return fmt::format("{:04}-{:02}", year, month); }
Date Period::first_day() const { return *Date::from_ymd(year, month, 1); }
Date Period::last_day() const { return first_day().end_of_month(); }
Period Period::next() const { return month == 12 ? Period{year + 1, 1} : Period{year, month + 1}; }

namespace {

constexpr std::array<UnitKind, 4> kLevels = {UnitKind::kBranch, UnitKind::kCommune, UnitKind::kDistrict,
                                             UnitKind::kProvince};
std::size_t level_index(UnitKind k) {
  for (std::size_t i = 0; i < kLevels.size(); ++i)
    if (kLevels[i] == k) return i;
  return 0;
}

std::string percent(std::int64_t bp) { return fmt::format("{}.{:02} %", bp / 100, bp % 100); }

// "MM/YYYY", the way a period is written on a Vietnamese receipt.
std::string period_vi(Period p) { return fmt::format("{:02}/{:04}", p.month, p.year); }

Period must_period(const std::string& text) {
  auto p = Period::parse(text);
  if (!p) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("the dues tables hold a malformed period '{}'")), text)));
  return *p;
}

std::optional<Money> rate_for(const std::vector<DuesRateRow>& rates, Period p) {
  std::optional<Money> out;
  for (const auto& r : rates)
    if (must_period(r.valid_from) <= p) out = Money(r.amount);
  return out;
}

// The split in force for `p` (by from), or 100 % to the branch when none is set.
std::pair<std::string, std::vector<DuesShare>> split_for(const std::vector<DuesSplitRow>& rows, Period p) {
  std::string from;
  for (const auto& r : rows)
    if (must_period(r.valid_from) <= p) from = r.valid_from;
  std::vector<DuesShare> shares;
  if (from.empty()) return {"", {DuesShare{UnitKind::kBranch, 10000}}};
  for (const auto& r : rows)
    if (r.valid_from == from) shares.push_back(DuesShare{*parse_unit_kind(r.level), r.basis_points});
  std::sort(shares.begin(), shares.end(),
            [](const DuesShare& a, const DuesShare& b) { return level_index(a.level) < level_index(b.level); });
  return {from, shares};
}

bool covers(const DuesExemptionRow& e, Period p) {
  return must_period(e.from_period) <= p && (!e.to_period || p <= must_period(*e.to_period));
}

std::string_view payable_account(UnitKind level) {
  namespace u = charts::union_book;
  switch (level) {
    case UnitKind::kBranch: return u::kDuesIncome;
    case UnitKind::kCommune: return u::kPayableCommune;
    case UnitKind::kDistrict: return u::kPayableDistrict;
    case UnitKind::kProvince: return u::kPayableProvince;
  }
  return u::kDuesIncome;
}

// `from` is the input "from" of a change of settings.
Error not_after_billed(Period from, Period last) {
  return Error::bad_input(fmt::format(
                              fmt::runtime(tr("period {} is already billed (the last billed period is {}); a change can take effect "
                              "from {} on")),
                              from.to_string(), last.to_string(), last.next().to_string()))
      .in_field("from");
}

// Splits each period's allocation with the split in force for it; sums per level.
Result<std::vector<DuesLevelAmount>> level_shares(const std::vector<DuesSplitRow>& splits,
                                                  const std::vector<DuesAllocation>& allocations) {
  std::map<std::string, std::pair<std::vector<DuesShare>, Money>> by_split;
  for (const auto& a : allocations) {
    auto [from, shares] = split_for(splits, a.period);
    auto& slot = by_split[from];
    slot.first = shares;
    auto sum = slot.second.plus(a.amount);
    if (!sum) return fail(sum.error());
    slot.second = *sum;
  }
  std::array<Money, 4> per_level{};
  for (const auto& [_, slot] : by_split) {
    std::vector<Rational> weights;
    for (const auto& s : slot.first) weights.emplace_back(s.basis_points);
    auto parts = split_largest_remainder(slot.second, weights);
    if (!parts) return fail(parts.error());
    for (std::size_t i = 0; i < parts->size(); ++i) {
      auto& acc = per_level[level_index(slot.first[i].level)];
      auto sum = acc.plus((*parts)[i]);
      if (!sum) return fail(sum.error());
      acc = *sum;
    }
  }
  std::vector<DuesLevelAmount> out;
  for (std::size_t i = 0; i < kLevels.size(); ++i)
    if (!per_level[i].is_zero()) out.push_back(DuesLevelAmount{kLevels[i], per_level[i]});
  return out;
}

}  // namespace

Result<DuesShare> parse_dues_share(std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}': expected LEVEL=PERCENT, e.g. branch=50%")), text)));
  auto level = parse_unit_kind(text.substr(0, eq));
  if (!level) return fail(level.error().with_context(fmt::format("'{}': ", text)));
  std::string_view p = text.substr(eq + 1);
  if (!p.empty() && p.back() == '%') p.remove_suffix(1);
  auto bad = [&] {
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("'{}': the share must be a percentage with at most two decimals, more than 0 and at most 100 (e.g. 33.5%)")),
        text)));
  };
  auto dot = p.find('.');
  std::string_view whole = p.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : p.substr(dot + 1);
  if (whole.empty() || whole.size() > 3 || (dot != std::string_view::npos && (frac.empty() || frac.size() > 2)))
    return bad();
  std::int64_t bp = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return bad();
    bp = bp * 10 + (c - '0');
  }
  bp *= 100;
  std::int64_t f = 0;
  for (char c : frac) {
    if (c < '0' || c > '9') return bad();
    f = f * 10 + (c - '0');
  }
  if (frac.size() == 1) f *= 10;
  bp += f;
  if (bp <= 0 || bp > 10000) return bad();
  return DuesShare{*level, bp};
}

Result<Money> dues_monthly_amount(Money amount, std::string_view per) {
  if (per == "month" || per == "tháng") return amount;
  if (per == "year" || per == "năm") {
    if (amount.minor_units() % 12 != 0)
      return fail(Error::bad_input(fmt::format(
                                       fmt::runtime(tr("{} đồng a year is not a whole number of đồng a month (it must divide by 12)")),
                                       amount.to_plain_string()))
                      .in_field("amount"));
    return Money(amount.minor_units() / 12);
  }
  return fail(Error::usage(fmt::format(fmt::runtime(tr("'{}' is not one of month, year")), per)).in_field("per"));
}

Result<ArrearsBy> parse_arrears_by(std::string_view s) {
  if (s == "unit") return ArrearsBy::kUnit;
  if (s == "member") return ArrearsBy::kMember;
  return fail(Error::usage(fmt::format(fmt::runtime(tr("'{}' is not one of unit, member")), s)).in_field("by"));
}

// --- settings ----------------------------------------------------------------------------------

Dues::Dues(Ledger& ledger)
    : ledger_(ledger), registry_(ledger), store_(std::make_unique<DuesStore>(ledger.store())) {}
Dues::~Dues() = default;

std::optional<Period> Dues::last_billed() {
  auto p = store_->last_period();
  if (!p) return std::nullopt;
  return must_period(*p);
}

Result<bool> Dues::set_rate(Money amount, Period from) {
  if (auto ok = ledger_.require_write(std::string(charts::union_book::kBook)); !ok) return fail(ok.error());
  if (amount.minor_units() <= 0)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("the rate must be more than 0 đồng (got {})")), amount.to_plain_string()))
                    .in_field("amount"));
  const std::string key = from.to_string();
  for (const auto& r : store_->rates()) {
    if (r.valid_from != key) continue;
    if (r.amount == amount.minor_units()) return false;
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("a rate from {} is already set ({} đồng per member per month); rates are history: set a new rate from a "
        "later period")),
        key, r.amount)));
  }
  if (auto last = last_billed(); last && from <= *last) return fail(not_after_billed(from, *last));
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    store_->insert_rate(DuesRateRow{key, amount.minor_units()}, now_timestamp(), ledger_.actor().id);
    return {};
  });
  if (!r) return fail(r.error());
  return true;
}

Result<bool> Dues::set_split(Period from, const std::vector<DuesShare>& shares_in) {
  if (auto ok = ledger_.require_write(std::string(charts::union_book::kBook)); !ok) return fail(ok.error());
  if (shares_in.empty()) return fail(Error::bad_input(tr("a split needs at least one LEVEL=PERCENT share")));
  auto shares = shares_in;
  std::sort(shares.begin(), shares.end(),
            [](const DuesShare& a, const DuesShare& b) { return level_index(a.level) < level_index(b.level); });
  std::int64_t total = 0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    if (i > 0 && shares[i].level == shares[i - 1].level)
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("level {} is given twice")), to_string(shares[i].level))));
    if (shares[i].basis_points <= 0 || shares[i].basis_points > 10000)
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("the share of {} must be more than 0 and at most 100 %")),
                                               to_string(shares[i].level))));
    total += shares[i].basis_points;
  }
  if (total != 10000)
    return fail(Error::bad_input(
        fmt::format(fmt::runtime(tr("the shares total {}, not 100 %: every đồng collected must go to some level")), percent(total))));
  const std::string key = from.to_string();
  std::vector<DuesShare> existing;
  for (const auto& r : store_->splits())
    if (r.valid_from == key) existing.push_back(DuesShare{*parse_unit_kind(r.level), r.basis_points});
  if (!existing.empty()) {
    std::sort(existing.begin(), existing.end(),
              [](const DuesShare& a, const DuesShare& b) { return level_index(a.level) < level_index(b.level); });
    if (existing == shares) return false;
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("a split from {} is already set; splits are history: set a new split from a later period")), key)));
  }
  if (auto last = last_billed(); last && from <= *last) return fail(not_after_billed(from, *last));
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto now = now_timestamp();
    for (const auto& s : shares)
      store_->insert_split(DuesSplitRow{key, std::string(to_string(s.level)), s.basis_points}, now, ledger_.actor().id);
    return {};
  });
  if (!r) return fail(r.error());
  return true;
}

Result<void> Dues::exempt(const std::string& member, Period from, std::optional<Period> to, const std::string& reason) {
  if (auto ok = ledger_.require_write(std::string(charts::union_book::kBook)); !ok) return fail(ok.error());
  auto m = registry_.member(member, from.first_day());
  if (!m) return fail(Error::bad_input(fmt::format(fmt::runtime(tr("unknown member '{}'")), member)));
  if (auto ok = detail::check_code_field(reason, "reason", true); !ok) return fail(ok.error());
  if (to && *to < from)
    return fail(Error::out_of_order(ErrorKind::kBadInput, "to", to->to_string(), tr("is before"), "from", from.to_string()));
  if (auto last = last_billed(); last && from <= *last) return fail(not_after_billed(from, *last));
  for (const auto& e : store_->exemptions()) {
    if (e.member_id != m->row_id) continue;
    Period a = must_period(e.from_period);
    std::optional<Period> b;
    if (e.to_period) b = must_period(*e.to_period);
    bool overlap = (!b || from <= *b) && (!to || a <= *to);
    if (overlap)
      return fail(Error::bad_input(fmt::format(
          fmt::runtime(e.to_period
                           ? tr("member {} is already exempt from {} to {}: the exemptions of a member must not overlap")
                           : tr("member {} is already exempt from {} on: the exemptions of a member must not overlap")),
          member, e.from_period, e.to_period.value_or(""))));
  }
  return ledger_.in_transaction([&]() -> Result<void> {
    store_->insert_exemption(
        DuesExemptionRow{m->row_id, from.to_string(), to ? std::optional(to->to_string()) : std::nullopt, reason},
        now_timestamp(), ledger_.actor().id);
    return {};
  });
}

Result<DuesSettings> Dues::settings() {
  DuesSettings out;
  for (const auto& r : store_->rates()) out.rates.push_back(DuesRate{must_period(r.valid_from), Money(r.amount)});
  std::map<std::string, std::vector<DuesShare>> splits;
  for (const auto& r : store_->splits()) splits[r.valid_from].push_back(DuesShare{*parse_unit_kind(r.level), r.basis_points});
  for (auto& [from, shares] : splits) {
    std::sort(shares.begin(), shares.end(),
              [](const DuesShare& a, const DuesShare& b) { return level_index(a.level) < level_index(b.level); });
    out.splits.push_back(DuesSplit{must_period(from), shares});
  }
  auto exemptions = store_->exemptions();
  if (!exemptions.empty()) {
    // Every member ever registered: the last day Date supports (a year past 2999 is no Date).
    auto members = registry_.members(*Date::from_ymd(2999, 12, 31));
    if (!members) return fail(members.error());
    std::map<std::int64_t, const Member*> by_id;
    for (const auto& m : *members) by_id[m.row_id] = &m;
    for (const auto& e : exemptions) {
      auto found = by_id.find(e.member_id);
      if (found == by_id.end())
        return fail(Error::internal(fmt::format("a dues exemption names member row {}, who is not registered", e.member_id)));
      const Member* m = found->second;
      DuesExemption x{m->id, m->name, must_period(e.from_period), std::nullopt, e.reason};
      if (e.to_period) x.to = must_period(*e.to_period);
      out.exemptions.push_back(std::move(x));
    }
    std::sort(out.exemptions.begin(), out.exemptions.end(), [](const DuesExemption& a, const DuesExemption& b) {
      return std::tie(a.member, a.from) < std::tie(b.member, b.from);
    });
  }
  return out;
}

// --- billing -----------------------------------------------------------------------------------

namespace {

// A period billed before: what was billed then (nothing changes); another date, or a period whose
// billing was reversed, is refused.
Result<BillSummary> billed_before(const DuesPeriodRow& done, Period period, std::optional<Date> on,
                                  const std::vector<DuesRateRow>& rates) {
  const std::string key = period.to_string();
  if (done.reversed_by)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("period {}'s billing was reversed (entry #{}); billing a reversed "
                                             "period again is not supported")),
                                             key, *done.reversed_by)));
  if (on && *on != done.billed_on)
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("period {} was already billed on {}; billing it again changes nothing and cannot change its date")), key,
        done.billed_on)));
  return BillSummary{period, done.billed_on, done.entry_id, done.members, done.exempt,
                     rate_for(rates, period).value_or(Money()), Money(done.amount), false};
}

}  // namespace

Result<BillSummary> Dues::bill(Period period, std::optional<Date> on) {
  const std::string book(charts::union_book::kBook);
  if (auto ok = ledger_.require_write(book); !ok) return fail(ok.error());
  const std::string key = period.to_string();
  auto rates = store_->rates();
  if (auto done = store_->find_period(key)) return billed_before(*done, period, on, rates);
  const Date first = period.first_day();
  const Date date = on.value_or(first);
  if (date < first)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{} is before period {} begins: a period is billed on or after its "
                                             "first day ({})")),
                                             date, key, first))
                    .of_field("date"));
  auto rate = rate_for(rates, period);
  if (!rate)
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("no dues rate is in force for {}: set one with `soquy dues rate --amount AMOUNT --from {}`")), key, key)));
  auto members = registry_.members(first);
  if (!members) return fail(members.error());
  std::map<std::int64_t, std::vector<DuesExemptionRow>> exemptions;
  for (auto& e : store_->exemptions()) exemptions[e.member_id].push_back(std::move(e));
  BillSummary s;
  s.period = period;
  s.billed_on = date;
  s.rate = *rate;
  std::vector<DuesBillRow> bills;
  for (const auto& m : *members) {
    if (m.left && *m.left <= first) continue;  // a member on the period's first day
    const auto& ex = exemptions[m.row_id];
    if (std::any_of(ex.begin(), ex.end(), [&](const DuesExemptionRow& e) { return covers(e, period); })) {
      ++s.exempt;
      continue;
    }
    bills.push_back(DuesBillRow{m.row_id, key, rate->minor_units(), date});
  }
  s.members = static_cast<std::int64_t>(bills.size());
  auto total = rate->times(s.members);
  if (!total) return fail(total.error());
  s.amount = *total;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    if (!bills.empty()) {
      auto b = ledger_.ensure_book(book, std::string(charts::union_book::kBookName), charts::union_chart());
      if (!b) return fail(b.error());
      EntryDraft d;
      d.book = book;
      d.date = date;
      d.memo = fmt::format("Lập bộ hội phí tháng {}: {} hội viên × {} đồng", period_vi(period), s.members,
                           rate->to_grouped_string());
      d.client_id = "dues:bill:" + key;
      d.owner = EntryOwner{"dues", key};
      d.postings = {Posting{std::string(charts::union_book::kDuesReceivable), s.amount},
                    Posting{std::string(charts::union_book::kDuesUncollected), -s.amount}};
      auto posted = ledger_.post(d);
      if (!posted) return fail(posted.error());
      s.entry = posted->entry.id;
    }
    store_->insert_period(DuesPeriodRow{key, date, s.entry, s.members, s.exempt, s.amount.minor_units(), std::nullopt});
    store_->insert_bills(bills);
    return {};
  });
  if (!r) return fail(r.error());
  return s;
}

// --- payments ----------------------------------------------------------------------------------

namespace {

// What a member owes on `on`: billed on or before it, less everything allocated so far.
Result<std::vector<DuesAllocation>> owed_periods(DuesStore& store, std::int64_t member_row, Date on) {
  std::map<std::string, Money> open;
  for (const auto& b : store.bills_of(member_row))
    if (b.billed_on <= on) open[b.period] = Money(b.amount);
  for (const auto& a : store.allocations_of(member_row)) {
    auto it = open.find(a.period);
    if (it == open.end()) continue;
    auto left = it->second.minus(Money(a.amount));
    if (!left) return fail(left.error());
    it->second = *left;
  }
  std::vector<DuesAllocation> out;
  for (const auto& [p, left] : open)
    if (left.minor_units() > 0) out.push_back(DuesAllocation{must_period(p), left});
  return out;
}

Money sum_of(const std::vector<DuesAllocation>& xs) {
  Money t;
  for (const auto& x : xs) t = t + x.amount;  // bounded by billed amounts that fit
  return t;
}

// The same payment again under its receipt: the payment recorded then (nullopt when the receipt
// is new); a receipt used for another payment is refused.
Result<std::optional<PaymentResult>> repeated_payment(DuesStore& store, const std::vector<DuesSplitRow>& splits,
                                                      const Member& m, const std::string& member, Money amount, Date on,
                                                      const std::string& receipt) {
  auto prior = store.find_payment_by_receipt(receipt);
  if (!prior) return std::optional<PaymentResult>();
  if (prior->reversed_by)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("receipt '{}' was given for a payment that was reversed (entry #{}); a "
                                             "new payment takes a new receipt number")),
                                             receipt, *prior->reversed_by)));
  if (prior->member_id != m.row_id || prior->amount != amount.minor_units() || prior->paid_on != on)
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("receipt '{}' was already used for another payment (entry #{}); use a new receipt number")), receipt,
        prior->entry_id)));
  PaymentResult out{member, on, amount, receipt, prior->entry_id, {}, {}, Money(), false};
  for (const auto& a : store.allocations_of_payment(prior->id))
    out.allocations.push_back(DuesAllocation{must_period(a.period), Money(a.amount)});
  auto shares = level_shares(splits, out.allocations);
  if (!shares) return fail(shares.error());
  out.shares = *shares;
  auto still = owed_periods(store, m.row_id, on);
  if (!still) return fail(still.error());
  out.still_owed = sum_of(*still);
  return std::optional<PaymentResult>(std::move(out));
}

// A payment of `amount` spread over the open periods, oldest first.
std::vector<DuesAllocation> oldest_first(const std::vector<DuesAllocation>& open, Money amount) {
  std::vector<DuesAllocation> out;
  Money left = amount;
  for (const auto& o : open) {
    if (left.is_zero()) break;
    Money take = std::min(left, o.amount);
    out.push_back(DuesAllocation{o.period, take});
    left = left - take;
  }
  return out;
}

// The union book's entry for a dues payment: cash in, the receivable and the levels' shares out.
EntryDraft payment_draft(const std::string& book, const std::string& name, const PaymentResult& out) {
  namespace u = charts::union_book;
  const Money amount = out.amount;
  EntryDraft d;
  d.book = book;
  d.date = out.paid_on;
  std::string periods;
  for (const auto& a : out.allocations) periods += (periods.empty() ? "" : ", ") + period_vi(a.period);
  d.memo = fmt::format("Thu hội phí hội viên {} ({}): tháng {}", out.member, name, periods);
  d.client_id = out.receipt.empty() ? "" : "dues:pay:" + out.receipt;
  d.owner = EntryOwner{"dues", out.member};
  d.postings = {Posting{std::string(u::kCash), amount}, Posting{std::string(u::kDuesReceivable), -amount},
                Posting{std::string(u::kDuesUncollected), amount}};
  for (const auto& s : out.shares) d.postings.push_back(Posting{std::string(payable_account(s.level)), -s.amount});
  return d;
}

}  // namespace

Result<PaymentResult> Dues::pay(const std::string& member, Money amount, Date on, const std::string& receipt) {
  const std::string book(charts::union_book::kBook);
  if (auto ok = ledger_.require_write(book); !ok) return fail(ok.error());
  auto m = registry_.member(member, on);
  if (!m) return fail(Error::bad_input(fmt::format(fmt::runtime(tr("unknown member '{}'")), member)));
  if (amount.minor_units() <= 0)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("a payment must be more than 0 đồng (got {})")), amount.to_plain_string()))
                    .in_field("amount"));
  if (!receipt.empty())
    if (auto ok = detail::check_code_field(receipt, "receipt"); !ok) return fail(ok.error());
  auto splits = store_->splits();

  if (!receipt.empty()) {
    auto again = repeated_payment(*store_, splits, *m, member, amount, on, receipt);
    if (!again) return fail(again.error());
    if (*again) return **again;
  }

  auto open = owed_periods(*store_, m->row_id, on);
  if (!open) return fail(open.error());
  const Money owed = sum_of(*open);
  if (owed.is_zero())
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("member {} owes no dues on {}: nothing billed on or before that date is "
                                             "unpaid")),
                                             member, on)));
  if (amount > owed) {
    const Period a = open->front().period, b = open->back().period;
    const std::string periods = a == b ? a.to_string() : fmt::format("{}..{}", a.to_string(), b.to_string());
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("a payment of {} is more than member {} owes on {} ({} for {}); overpayments are not held: bill the later "
        "periods first (soquy dues bill --period YYYY-MM) or take at most {}")),
        amount.to_plain_string(), member, on, owed.to_plain_string(), periods, owed.to_plain_string())));
  }

  PaymentResult out;
  out.member = member;
  out.paid_on = on;
  out.amount = amount;
  out.receipt = receipt;
  out.allocations = oldest_first(*open, amount);
  out.still_owed = owed - amount;
  auto shares = level_shares(splits, out.allocations);
  if (!shares) return fail(shares.error());
  out.shares = *shares;

  namespace u = charts::union_book;
  const EntryDraft d = payment_draft(book, m->name, out);

  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto b = ledger_.ensure_book(book, std::string(u::kBookName), charts::union_chart());
    if (!b) return fail(b.error());
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    out.entry = posted->entry.id;
    auto id = store_->insert_payment(
        DuesPaymentRow{0, m->row_id, on, amount.minor_units(), receipt, posted->entry.id, std::nullopt});
    for (const auto& a : out.allocations) store_->insert_allocation(id, a.period.to_string(), a.amount.minor_units());
    return {};
  });
  if (!r) return fail(r.error());
  return out;
}

// --- corrections -------------------------------------------------------------------------------

Result<CorrectionResult> Dues::reverse_entry(const Entry& original, const ReversalRequest& request) {
  const std::string book(charts::union_book::kBook);
  if (auto ok = ledger_.require_write(book); !ok) return fail(ok.error());
  if (!original.owner || original.owner->domain != "dues")
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("entry #{} is not a dues entry")), original.id)));
  if (request.date != original.date)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("a dues entry is reversed on its own date ({})")), original.date))
                    .in_field("date"));
  std::string note;
  if (auto p = store_->find_payment_by_entry(original.id); p && p->reversed_by) {
    // Reversed already: the journal answers (the same client id again changes nothing).
  } else if (auto period = store_->find_period_by_entry(original.id); period && period->reversed_by) {
  } else if (p) {
    // A later payment of hers was allocated after this one (oldest period first).
    for (const auto& later : store_->payments_of(p->member_id))
      if (later.id > p->id && !later.reversed_by)
        return fail(Error::bad_input(fmt::format(fmt::runtime(tr("a later dues payment of the same member (entry #{}, {}) was "
                                                 "allocated after this one: reverse it first")),
                                                 later.entry_id, later.paid_on)));
    note = fmt::format(fmt::runtime(tr("dues: the payment of {} no longer counts; the member owes those periods again")),
                       p->paid_on);
  } else if (period) {
    if (auto paid = store_->first_payment_allocated_to(period->period))
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("payments are allocated to period {} (the first: entry #{}, {}): "
                                               "reverse them first")),
                                               period->period, paid->entry_id, paid->paid_on)));
    note = fmt::format(fmt::runtime(tr("dues: the billing of period {} no longer counts")), period->period);
  } else {
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("entry #{} is not a dues payment or billing that soquy knows")), original.id)));
  }
  auto corrected = ledger_.correct_owned(original, request);
  if (!corrected) return fail(corrected.error());
  CorrectionResult out = std::move(*corrected);
  if (!note.empty()) out.notes.push_back(note);
  return out;
}

// --- arrears -----------------------------------------------------------------------------------

namespace {

struct PerPeriod {
  Money billed, paid;
};
using BilledAndPaid = std::map<std::int64_t, std::map<std::string, PerPeriod>>;  // member row → period →

// Per member: billed and paid per period, as of the date.
Result<BilledAndPaid> billed_and_paid(DuesStore& store, Date as_of) {
  BilledAndPaid book;
  for (const auto& b : store.all_bills())
    if (b.billed_on <= as_of) book[b.member_id][b.period].billed = Money(b.amount);
  for (const auto& a : store.all_allocations())
    if (a.paid_on <= as_of) {
      auto& pp = book[a.member_id][a.period];
      auto sum = pp.paid.plus(Money(a.amount));
      if (!sum) return fail(sum.error());
      pp.paid = *sum;
    }
  return book;
}

// Adds one member's (or unit's) row into a unit's row or the total.
Result<void> add_arrears(ArrearsRow& into, const ArrearsRow& m) {
  auto b = into.billed.plus(m.billed);
  auto p = into.paid.plus(m.paid);
  auto a = into.arrears.plus(m.arrears);
  if (!b || !p || !a) return fail(Error::bad_input(tr("dues totals leave the 64-bit range")));
  into.billed = *b;
  into.paid = *p;
  into.arrears = *a;
  into.members += m.members;
  into.members_in_arrears += m.members_in_arrears;
  into.periods_owed += m.periods_owed;
  if (m.oldest_owed && (!into.oldest_owed || *m.oldest_owed < *into.oldest_owed)) into.oldest_owed = m.oldest_owed;
  return {};
}

// One member's row: billed, paid and owed over her periods.
Result<ArrearsRow> member_arrears(const std::map<std::string, PerPeriod>& periods) {
  ArrearsRow row;
  row.members = 1;
  for (const auto& [p, pp] : periods) {
    auto b = row.billed.plus(pp.billed);
    auto paid = row.paid.plus(pp.paid);
    if (!b || !paid) return fail(Error::bad_input(tr("dues totals leave the 64-bit range")));
    row.billed = *b;
    row.paid = *paid;
    if (pp.paid < pp.billed) {
      ++row.periods_owed;
      if (!row.oldest_owed) row.oldest_owed = must_period(p);
    }
  }
  auto arrears = row.billed.minus(row.paid);
  if (!arrears) return fail(arrears.error());
  row.arrears = *arrears;
  return row;
}

}  // namespace

Result<ArrearsReport> Dues::arrears(Date as_of, ArrearsBy by) {
  auto members = registry_.members(as_of);
  if (!members) return fail(members.error());
  auto units = registry_.units(as_of);
  if (!units) return fail(units.error());
  std::map<std::int64_t, const Member*> member_by_id;
  for (const auto& m : *members) member_by_id[m.row_id] = &m;
  std::map<std::string, std::string> unit_names;
  for (const auto& u : *units) unit_names[u.code] = u.name;
  auto unit_name = [&](const std::string& code) -> std::string {
    if (auto it = unit_names.find(code); it != unit_names.end()) return it->second;
    auto u = registry_.unit(code, as_of);
    return u ? u->name : code;
  };

  auto book = billed_and_paid(*store_, as_of);
  if (!book) return fail(book.error());

  ArrearsReport out;
  out.as_of = as_of;
  out.by = by;
  std::map<std::string, ArrearsRow> rows;
  for (const auto& [member_id, periods] : *book) {
    auto it = member_by_id.find(member_id);
    if (it == member_by_id.end())
      return fail(Error::internal(fmt::format("dues billed to member row {} who is not a member on {}", member_id, as_of)));
    const Member& m = *it->second;
    auto one = member_arrears(periods);
    if (!one) return fail(one.error());
    ArrearsRow row = *one;
    if (row.billed.is_zero() && row.paid.is_zero()) continue;  // only later bills exist
    row.members_in_arrears = row.arrears.minor_units() > 0 ? 1 : 0;
    // The total covers every member billed, whichever rows are listed: by unit and by member agree.
    if (auto ok = add_arrears(out.total, row); !ok) return fail(ok.error());
    if (by == ArrearsBy::kMember) {
      if (row.arrears.is_zero()) continue;
      row.key = m.id;
      row.name = m.name;
      row.unit = m.unit_as_of;
      rows[row.key] = row;
    } else {
      auto& u = rows[m.unit_as_of];
      u.key = u.unit = m.unit_as_of;
      u.name = unit_name(m.unit_as_of);
      if (auto ok = add_arrears(u, row); !ok) return fail(ok.error());
    }
  }
  for (auto& [_, r] : rows) out.rows.push_back(std::move(r));
  return out;
}

}  // namespace soquy
