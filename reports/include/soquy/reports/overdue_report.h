// soquy — the overdue report (báo cáo nợ quá hạn) of the Women's Development Fund: totals, PAR,
// aging buckets, loan classes with provisions, rows by unit/group/product/ethnicity, and the
// list of overdue loans, at one date and optionally compared with an earlier one.
//
// What is counted (docs/reports-overdue.md):
// - The portfolio is the loans that are open (LoanSnapshot::open(): something still owed) and
//   active on the date. Frozen loans (khoanh nợ) and written-off loans (xóa nợ) are counted
//   apart ("frozen", "written_off": loans and outstanding principal) and are in no other figure.
// - Figures are those of loan_status.h (PortfolioAccumulator, as summarize()): overdue principal/interest, DPD, buckets,
//   classes, provisions rounded per loan, PARx = outstanding principal of loans with DPD > x ÷
//   all outstanding principal.
// - Rows by unit: the member's registered unit rolled into the unit that holds it on the
//   report's date (Registry::successor), the unit itself (a branch stays a branch; no roll-up to
//   the commune). With --compare-to, both dates are rolled into the units of the report's date,
//   so a unit merged in between is compared as one row.
// - "loans": every portfolio loan with DPD > 0, by DPD descending, then loan code.
// - Memory: one pass over the loans (LoanBook::for_each_snapshot); kept are the sums per
//   bucket, class and row, and the overdue loans only.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/loan_status.h"
#include "soquy/loans.h"
#include "soquy/money.h"
#include "soquy/registry.h"
#include "soquy/reports/render.h"

namespace soquy::reports {

enum class OverdueBy { kNone, kUnit, kGroup, kProduct, kEthnicity };
// "unit", "group", "product", "ethnicity" ("" → kNone). kUsage otherwise.
Result<OverdueBy> parse_overdue_by(std::string_view text);
std::string_view to_string(OverdueBy by);  // "" for kNone

// Sums over a set of portfolio loans (the totals, or one row): the library's figures.
using OverdueFigures = PortfolioFigures;

struct OverdueLoan {
  std::string loan, member, group;
  std::int64_t days_past_due = 0;
  std::string loan_class;  // code of its class in the table used
  Money outstanding_principal, overdue_principal, overdue_interest;
};

// Everything the report shows at one date.
struct OverdueData {
  Date as_of;
  LoanClassTable class_table;  // the table the classes were computed with
  OverdueFigures totals;
  std::vector<BucketTotals> buckets;  // the seven of kAgingBuckets, empty ones included
  std::vector<ClassTotals> classes;   // one per class of the table
  std::map<std::string, OverdueFigures> rows;  // by key ("" = loans without a group)
  std::vector<OverdueLoan> loans;              // DPD > 0, sorted by DPD desc, then code
  std::int64_t frozen_loans = 0;
  Money frozen_outstanding_principal;
  std::int64_t written_off_loans = 0;
  Money written_off_outstanding_principal;
};

// Adds snapshots one at a time; memory holds the sums and the overdue loans only. The
// portfolio's figures are counted by the library (PortfolioAccumulator); this adds the rows
// and the list of overdue loans.
class OverdueAccumulator {
 public:
  explicit OverdueAccumulator(Date as_of, LoanClassTable table = {});
  // `key`: the row the loan counts in (ignored when the loan is not in the portfolio).
  void add(const LoanSnapshot& snapshot, const std::string& key = "");
  // Adds what `other` holds (same date and table); `other` is left empty.
  void merge(OverdueAccumulator&& other);
  // Moves every row to the row `key_of(key)`, summing rows that land on the same key.
  void rekey_rows(const std::function<const std::string&(const std::string&)>& key_of);
  // Sorts the overdue loans and hands the data over (the accumulator is spent).
  OverdueData finish();

 private:
  Date as_of_;
  PortfolioAccumulator portfolio_;
  std::map<std::string, OverdueFigures> rows_;
  std::vector<OverdueLoan> loans_;
};

// One pass over the book at `as_of`, the rows keyed by `by`. Units roll up into the units that
// hold them on `rollup_date` (the report's date), once per unit. The pass is split over up to
// `threads` threads (LoanBook::for_each_snapshot_parallel); the result does not depend on it.
Result<OverdueData> collect_overdue(LoanBook& book, Registry& registry, Date as_of, OverdueBy by, Date rollup_date,
                                    const LoanClassTable& table = {}, int threads = 1);

// One point of the PAR trend: the portfolio totals at one date.
struct OverdueTrendPoint {
  Date as_of;
  OverdueFigures totals;
};

// The dates of a trend of `points` points ending at `as_of`: the `points` − 1 month ends before
// `as_of` (the last days of the months before its month), oldest first, then `as_of` itself.
// 2026-11-28, 3 → 2026-09-30, 2026-10-31, 2026-11-28; 2026-11-30, 2 → 2026-10-31, 2026-11-30.
// Empty for points < 1.
std::vector<Date> trend_dates(Date as_of, int points);

// The totals at each of trend_dates(as_of, points): one pass over the loans per date (like
// collect_overdue without rows), except the last date when `at` (the report's own data at
// `as_of`) is given. Cost: points − 1 replays of the book (docs/performance.md).
Result<std::vector<OverdueTrendPoint>> collect_trend(LoanBook& book, Registry& registry, Date as_of, int points,
                                                     const LoanClassTable& table = {}, int threads = 1,
                                                     const OverdueData* at = nullptr);

struct OverdueReportInput {
  OverdueBy by = OverdueBy::kNone;
  OverdueData at;
  std::optional<OverdueData> compare_to;  // an earlier date
  std::map<std::string, std::string> names;  // row key → name shown (unit or group name)
  std::vector<OverdueTrendPoint> trend;      // PAR trend (report overdue --trend N); empty = none
};

// The row keys' names: unit names on `as_of`, group names, and the key itself for products
// and ethnicities.
Result<std::map<std::string, std::string>> overdue_row_names(Registry& registry, OverdueBy by, Date as_of,
                                                             const OverdueData& at,
                                                             const std::optional<OverdueData>& compare_to);

// Whether overdue grew from `before` to `after`: the overdue principal, or the overdue ratio
// (overdue principal ÷ outstanding principal, exactly), is larger (soquy/overdue_growth.h).
bool overdue_grew(const OverdueFigures& before, const OverdueFigures& after);

// JSON (ratios as 4-decimal strings, amounts as strings of đồng, counts as numbers):
// {"as_of","currency",
//  "totals":{"loans","loans_overdue","outstanding_principal","overdue_principal","overdue_interest",
//            "par1","par30","par90"},
//  "buckets":[{"bucket","loans","outstanding_principal","overdue_principal"}],
//  "classes":[{"class","loans","outstanding_principal","provision"}],
//  "rows":[{"key","name","loans","loans_overdue","outstanding_principal","overdue_principal",
//           "overdue_interest","overdue_ratio","par30"[,"compare_to":{the same figures at D0},"grew"]}],
//  "loans":[{"loan","member","group","days_past_due","bucket","class","outstanding_principal",
//            "overdue_principal","overdue_interest"}],
//  "frozen":{"loans","outstanding_principal"},"written_off":{"loans","outstanding_principal"},
//  "by": "unit"|"group"|"product"|"ethnicity"|null
//  [,"compare_to":{"as_of","totals":{…},"frozen","written_off","grew"}]
//  [,"trend":[{"as_of","loans","outstanding_principal","at_risk_30","par30"}]]}
// "rows" is [] without --by; a group key "" (loans without a group) is null. "trend" only when
// input.trend is not empty (oldest first; at_risk_30 = outstanding principal of DPD > 30).
// Tables: the first (and the CSV) is the rows with --by, else the overdue loans; both end with
// a totals line and notes (PAR, frozen, written off). Then buckets (with a bar chart of the
// outstanding principal by age), the PAR trend when given (with a line chart), classes (and,
// with --by, the overdue loans). With --by and --compare-to, the rows table carries a chart of
// the overdue principal at both dates, row by row (grouped bars), when it has at most
// kOverdueCompareChartRows rows. Charts are drawn in HTML only.
Report overdue_report(const OverdueReportInput& input);
// The same report written in `format` (row_stream.h): json and csv write the overdue loans one by
// one from input.at.loans, the same bytes as render(overdue_report(input)) without building its
// JSON and tables of every loan; table, xlsx and html render overdue_report(input), xlsx and
// html only with at most document_row_limit() overdue loans (kUsage past it, nothing written).
Result<void> write_overdue_report(const OverdueReportInput& input, Format format, std::ostream& out,
                                  const RenderOptions& options);
inline constexpr std::size_t kOverdueCompareChartRows = 40;

}  // namespace soquy::reports
