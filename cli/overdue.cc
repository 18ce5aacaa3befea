// soquy report overdue: the overdue report of the Women's Development Fund (issue 4, item 6).
// The figures come from soquy::LoanBook and loan_status.h; reports/src/overdue_report.cc shapes
// them. This file parses and prints.
#include <algorithm>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "context.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "soquy/reports/overdue_report.h"

namespace soquy::cli {
namespace {

// The figures of the report: at `as_of`, at `before` (--compare-to), the PAR30 trend of
// `trend_points` points (none when 0), and the names of the rows.
Result<reports::OverdueReportInput> collect_overdue_input(Ledger& ledger, Date as_of, reports::OverdueBy by,
                                                          std::optional<Date> before, int trend_points) {
  LoanBook book(ledger);
  Registry registry(ledger);
  reports::OverdueReportInput in;
  in.by = by;
  // The replay of the loans is split over the cores (the figures do not depend on it).
  const int threads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 4);
  auto at = reports::collect_overdue(book, registry, as_of, by, as_of, book.class_table(), threads);
  if (!at) return fail(at.error());
  in.at = std::move(*at);
  if (before) {
    auto then = reports::collect_overdue(book, registry, *before, by, as_of, book.class_table(), threads);
    if (!then) return fail(then.error());
    in.compare_to = std::move(*then);
  }
  if (trend_points > 0) {
    auto trend = reports::collect_trend(book, registry, as_of, trend_points, book.class_table(), threads, &in.at);
    if (!trend) return fail(trend.error());
    in.trend = std::move(*trend);
  }
  auto names = reports::overdue_row_names(registry, by, as_of, in.at, in.compare_to);
  if (!names) return fail(names.error());
  in.names = std::move(*names);
  return in;
}

}  // namespace

void add_overdue_commands(CLI::App& report, Context& ctx) {
  struct Args {
    std::string as_of, by, compare_to;
    int trend = 0;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* overdue = report.add_subcommand(
      "overdue",
      tr("Overdue loans of the Women's Development Fund on a date (báo cáo nợ quá hạn): totals, PAR1/30/90, aging "
      "buckets, loan classes and provisions, rows by unit, group, product or ethnicity, and every overdue loan. "
      "Any past date works (loans are replayed as of the date). --compare-to adds an earlier date and flags the "
      "rows whose overdue principal or overdue ratio grew.\n"
      "Example: soquy report overdue --as-of 2026-12-31 --by unit --compare-to 2025-12-31"));
  overdue->add_option("--as-of", a->as_of, tr("Date YYYY-MM-DD or DD/MM/YYYY (default today)"));
  overdue->add_option("--by", a->by, tr("Rows by unit (rolled up through merges), group, product or ethnicity"))
      ->check(CLI::IsMember({"unit", "group", "product", "ethnicity"}));
  overdue->add_option("--compare-to", a->compare_to, tr("An earlier date YYYY-MM-DD or DD/MM/YYYY to compare with"));
  overdue->add_option("--trend", a->trend,
                      tr("Add the PAR30 trend: N points, the N-1 month ends before --as-of and --as-of itself (2 to 60; "
                      "each point replays the loans once more, so 12 points take about 12 times as long)"));
  a->out.add_to(*overdue);
  overdue->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto as_of = as_of_or_today(a->as_of);
      if (!as_of) return fail(as_of.error());
      auto by = reports::parse_overdue_by(a->by);
      if (!by) return fail(by.error());
      std::optional<Date> before;
      if (!a->compare_to.empty()) {
        auto d = parse_date_option(a->compare_to, "--compare-to");
        if (!d) return fail(d.error());
        if (!(*d < *as_of))
          return fail(Error::usage(fmt::format(fmt::runtime(tr("--compare-to: {} is not before --as-of {}")), *d, *as_of)));
        before = *d;
      }
      if (a->trend != 0 && (a->trend < 2 || a->trend > 60))
        return fail(Error::usage(fmt::format(fmt::runtime(tr("--trend: {} is not a number of points from 2 to 60")), a->trend)));
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      auto in = collect_overdue_input(**ledger, *as_of, *by, before, a->trend);
      if (!in) return fail(in.error());
      // json and csv write the overdue loans one by one (docs/performance.md, "Memory of streamed output").
      auto ok = a->out.emit_with([&in](reports::Format f, std::ostream& os, const reports::RenderOptions& options) {
        return reports::write_overdue_report(*in, f, os, options);
      });
      if (!ok) return fail(ok.error());
      return 0;
    };
  });
}

}  // namespace soquy::cli
