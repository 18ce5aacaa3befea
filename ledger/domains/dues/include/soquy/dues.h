// soquy — membership dues (hội phí) of the union.
//
// Settings are dated data, kept as history: the amount per member per month from a period on
// (rates), how collected dues are shared between the levels of the tree from a period on
// (splits, in basis points totalling 100 %), and exemptions of members for a range of periods.
//
// Billing a period (a calendar month) bills every member who is a member on the period's first
// day and not exempt for it, at the rate in force for the period, in one entry of the union's
// book ("union", created on first use with charts::union_chart()):
//     Dr 1318 dues receivable / Cr 3387 dues billed, not yet collected.
// A payment is allocated to the member's billed periods, oldest first, and is one entry:
//     Dr 1011 cash / Cr 1318 receivable, and Dr 3387 / Cr 7111 (the branch's share, its income)
//     and Cr 33881/33882/33883 (the commune's, district's, province's shares, payable up),
// the shares computed with the split in force for each paid period (largest remainder, so they
// add up exactly). A payment above what is owed is refused. docs/registry.md (Dues) has the whole design.
//
// Every writing call is one transaction of the Ledger (all or nothing; it joins a caller's
// transaction) and needs the right to write in the union book (an auditor or a treasurer gets
// kPermission). Billing a period again, or paying again with the same receipt, changes nothing.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/ledger.h"
#include "soquy/money.h"
#include "soquy/registry.h"

namespace soquy {

// A dues period: one calendar month.
struct Period {
  int year = 1970;
  unsigned month = 1;

  // "YYYY-MM" only (month 01–12, year 1900–2999 like Date); kBadInput otherwise.
  static Result<Period> parse(std::string_view text);
  static Period of(Date d) { return Period{d.year(), d.month()}; }
  std::string to_string() const;  // "2026-01"
  Date first_day() const;
  Date last_day() const;
  Period next() const;
  friend auto operator<=>(const Period&, const Period&) = default;
};

struct DuesRate {
  Period from;
  Money amount;  // per member per month
};

// A level's share of collected dues, in basis points (1/100 %; 10000 = 100 %).
struct DuesShare {
  UnitKind level = UnitKind::kBranch;
  std::int64_t basis_points = 0;
  friend bool operator==(const DuesShare&, const DuesShare&) = default;
};

struct DuesSplit {
  Period from;
  std::vector<DuesShare> shares;  // branch, commune, district, province order; only levels with a share
};

struct DuesExemption {
  std::string member;
  std::string name;
  Period from;
  std::optional<Period> to;  // inclusive; none = open
  std::string reason;
};

struct DuesSettings {
  std::vector<DuesRate> rates;            // by period
  std::vector<DuesSplit> splits;          // by period
  std::vector<DuesExemption> exemptions;  // by member, then period
};

// "LEVEL=P%" (P: up to two decimals, the % optional; LEVEL: branch, commune, district, province
// or their Vietnamese names) → a share.
Result<DuesShare> parse_dues_share(std::string_view text);
// The amount per month from an amount `per` "month" or "year" (a yearly amount must divide by 12).
Result<Money> dues_monthly_amount(Money amount, std::string_view per);

struct BillSummary {
  Period period;
  Date billed_on;
  std::optional<std::int64_t> entry;  // none when nobody was billed
  std::int64_t members = 0;           // billed
  std::int64_t exempt = 0;            // members on the first day who were exempt
  Money rate;
  Money amount;                       // members × rate
  bool created = true;                // false: the period was already billed, nothing changed
};

struct DuesAllocation {
  Period period;
  Money amount;
};

struct DuesLevelAmount {
  UnitKind level = UnitKind::kBranch;
  Money amount;
};

struct PaymentResult {
  std::string member;
  Date paid_on;
  Money amount;
  std::string receipt;
  std::int64_t entry = 0;
  std::vector<DuesAllocation> allocations;  // oldest period first
  std::vector<DuesLevelAmount> shares;      // branch, commune, district, province (non-zero only)
  Money still_owed;                         // billed on or before the date, not yet paid
  bool created = true;                      // false: this receipt was already recorded
};

enum class ArrearsBy { kUnit, kMember };
Result<ArrearsBy> parse_arrears_by(std::string_view s);  // unit | member (kUsage otherwise)

struct ArrearsRow {
  std::string key;   // unit code (rolled into the units existing on the date) or member id
  std::string name;  // unit name on the date, or member name
  std::string unit;  // by member: her unit on the date; by unit: same as key
  std::int64_t members = 0;             // members billed (by member: 1)
  std::int64_t members_in_arrears = 0;  // of them, with something still owed
  std::int64_t periods_owed = 0;        // periods not fully paid
  std::optional<Period> oldest_owed;
  Money billed;  // billed on or before the date
  Money paid;    // paid on or before the date
  Money arrears; // billed − paid
};

struct ArrearsReport {
  Date as_of;
  ArrearsBy by = ArrearsBy::kUnit;
  std::vector<ArrearsRow> rows;  // by key; by member only members with arrears
  ArrearsRow total;              // every member billed (by member too): the same for both groupings
};

class DuesStore;

class Dues {
 public:
  explicit Dues(Ledger& ledger);
  ~Dues();
  Dues(const Dues&) = delete;
  Dues& operator=(const Dues&) = delete;


  // A rate from `from` on. Setting the same rate from the same period again changes nothing
  // (returns false); another amount from a period already set, or a period not after the last
  // billed one, is refused.
  Result<bool> set_rate(Money amount, Period from);
  // A split from `from` on: the shares total exactly 10000 basis points, one per level at most.
  // Same rules of history as rates.
  Result<bool> set_split(Period from, const std::vector<DuesShare>& shares);
  // Exempts a member for from..to (inclusive; open without `to`). The range must start after the
  // last billed period and not overlap another exemption of hers. `reason` is required.
  Result<void> exempt(const std::string& member, Period from, std::optional<Period> to, const std::string& reason);
  Result<DuesSettings> settings();

  // Bills `period` on `on` (default: the period's first day; not before it).
  Result<BillSummary> bill(Period period, std::optional<Date> on = std::nullopt);
  // Records a payment of `amount` by `member` on `on`, allocated oldest period first to what she
  // was billed on or before `on`. `receipt` (optional) makes it idempotent.
  Result<PaymentResult> pay(const std::string& member, Money amount, Date on, const std::string& receipt = "");

  Result<ArrearsReport> arrears(Date as_of, ArrearsBy by = ArrearsBy::kUnit);
  // Corrections (issue 12; docs/registry.md "Sửa sai"). Reverses `original`, a dues payment or a
  // period's billing (owner {"dues", …}), in one transaction dated at the original's date: a
  // payment's allocations drop with it, so the member owes those periods again; a billing's bills
  // drop. kBadInput naming what to reverse first: a later payment of the same member (allocated
  // after it), or, for a billing, payments allocated to the period. A payment's receipt stays
  // used; a reversed period is not billed again.
  Result<CorrectionResult> reverse_entry(const Entry& original, const ReversalRequest& request);

 private:
  std::optional<Period> last_billed();
  Ledger& ledger_;
  Registry registry_;
  std::unique_ptr<DuesStore> store_;
};

}  // namespace soquy
