#include "soquy/reports/overdue_report.h"
#include "soquy/reports/row_stream.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "soquy/i18n.h"
#include "soquy/overdue_growth.h"
#include "human_date.h"

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;

std::string amount(const Money& m) { return std::to_string(m.minor_units()); }

ordered_json totals_json(const OverdueFigures& f) {
  return ordered_json{{"loans", f.loans},
                      {"loans_overdue", f.loans_overdue},
                      {"outstanding_principal", amount(f.outstanding_principal)},
                      {"overdue_principal", amount(f.overdue_principal)},
                      {"overdue_interest", amount(f.overdue_interest)},
                      {"par1", format_ratio(f.par(f.at_risk_1))},
                      {"par30", format_ratio(f.par(f.at_risk_30))},
                      {"par90", format_ratio(f.par(f.at_risk_90))}};
}

ordered_json row_figures_json(const OverdueFigures& f) {
  return ordered_json{{"loans", f.loans},
                      {"loans_overdue", f.loans_overdue},
                      {"outstanding_principal", amount(f.outstanding_principal)},
                      {"overdue_principal", amount(f.overdue_principal)},
                      {"overdue_interest", amount(f.overdue_interest)},
                      {"overdue_ratio", format_ratio(f.overdue_ratio())},
                      {"par30", format_ratio(f.par(f.at_risk_30))}};
}

ordered_json apart_json(std::int64_t loans, const Money& outstanding) {
  return ordered_json{{"loans", loans}, {"outstanding_principal", amount(outstanding)}};
}

std::string_view by_label(OverdueBy by) {
  switch (by) {
    case OverdueBy::kUnit: return tr("Unit");
    case OverdueBy::kGroup: return tr("Group");
    case OverdueBy::kProduct: return tr("Product");
    case OverdueBy::kEthnicity: return tr("Ethnicity");
    case OverdueBy::kNone: break;
  }
  return "";
}

std::string_view by_title(OverdueBy by) {
  switch (by) {
    case OverdueBy::kUnit: return tr("by unit");
    case OverdueBy::kGroup: return tr("by group");
    case OverdueBy::kProduct: return tr("by product");
    case OverdueBy::kEthnicity: return tr("by ethnicity");
    case OverdueBy::kNone: break;
  }
  return "";
}

std::string bucket_label(std::string_view bucket) {
  return bucket == "current" ? std::string(tr("current")) : fmt::format(fmt::runtime(tr("{} days")), bucket);
}

std::string display_key(const std::string& key) { return key.empty() ? tr("(no group)") : key; }

// "Dư nợ 8.766.667, nợ quá hạn 1.266.666 (tỷ lệ 0.1445), …" lines under the first table.
std::vector<std::string> notes_of(const OverdueReportInput& in) {
  const bool en = language() == Language::kEn;
  auto ratio = [en](const Rational& q) { return percent_text(format_ratio(q), en); };
  const auto& a = in.at;
  const auto& t = a.totals;
  std::vector<std::string> n;
  n.push_back(fmt::format(fmt::runtime(tr("Loan portfolio (active loans): {} loans, {} overdue; outstanding principal "
                                          "{}; overdue: principal {}, interest {}; overdue ratio {}.")),
                          t.loans, t.loans_overdue, group_thousands(amount(t.outstanding_principal)),
                          group_thousands(amount(t.overdue_principal)), group_thousands(amount(t.overdue_interest)),
                          ratio(t.overdue_ratio())));
  n.push_back(fmt::format(fmt::runtime(tr("PAR1 = {}; PAR30 = {}; PAR90 = {} (outstanding principal of the loans more "
                                          "than 1, 30, 90 days overdue ÷ total outstanding principal).")),
                          ratio(t.par(t.at_risk_1)), ratio(t.par(t.at_risk_30)), ratio(t.par(t.at_risk_90))));
  n.push_back(fmt::format(fmt::runtime(tr("Frozen: {} loans, outstanding principal {}; written off: {} loans, outstanding principal {} (not in the portfolio).")),
                          a.frozen_loans, group_thousands(amount(a.frozen_outstanding_principal)),
                          a.written_off_loans, group_thousands(amount(a.written_off_outstanding_principal))));
  if (in.compare_to) {
    const auto& b = in.compare_to->totals;
    n.push_back(fmt::format(fmt::runtime(tr("Against {}: overdue principal {} → {}, ratio {} → {}: {}.")),
                            human_date(in.compare_to->as_of), group_thousands(amount(b.overdue_principal)),
                            group_thousands(amount(t.overdue_principal)), ratio(b.overdue_ratio()),
                            ratio(t.overdue_ratio()),
                            overdue_grew(b, t) ? tr("GREW (target missed)") : tr("did not grow")));
  }
  return n;
}

ordered_json loan_json(const OverdueLoan& l) {
  return ordered_json{{"loan", l.loan},
                      {"member", l.member},
                      {"group", l.group.empty() ? ordered_json(nullptr) : ordered_json(l.group)},
                      {"days_past_due", l.days_past_due},
                      {"bucket", std::string(aging_bucket(l.days_past_due))},
                      {"class", l.loan_class},
                      {"outstanding_principal", amount(l.outstanding_principal)},
                      {"overdue_principal", amount(l.overdue_principal)},
                      {"overdue_interest", amount(l.overdue_interest)}};
}

std::vector<std::string> loan_cells(const OverdueLoan& l) {
  return {l.loan, l.member, l.group, std::to_string(l.days_past_due), std::string(aging_bucket(l.days_past_due)),
          l.loan_class, amount(l.outstanding_principal), amount(l.overdue_principal), amount(l.overdue_interest)};
}

// The list of overdue loans; without its rows when `with_loans` is false (the skeleton of a
// streamed report, whose rows are written one by one).
Table loans_table(std::string title, const OverdueData& a, bool with_loans = true) {
  Table t(std::move(title), {{"loan", tr("Loan")},
                             {"member", tr("Union member")},
                             {"group", tr("Group")},
                             {"days_past_due", tr("Days past due"), CellKind::kInteger},
                             {"bucket", tr("Age")},
                             {"class", tr("Class")},
                             {"outstanding_principal", tr("Outstanding principal"), CellKind::kMoney},
                             {"overdue_principal", trc("overdue", "Overdue principal"), CellKind::kMoney},
                             {"overdue_interest", tr("Overdue interest"), CellKind::kMoney}});
  Money outstanding, principal, interest;
  for (const auto& l : a.loans) {
    if (with_loans) t.rows.push_back(loan_cells(l));
    outstanding += l.outstanding_principal;
    principal += l.overdue_principal;
    interest += l.overdue_interest;
  }
  t.totals.push_back({fmt::format(fmt::runtime(trn("Total of {} loan", "Total of {} loans", a.loans.size())), a.loans.size()), "", "", "", "", "", amount(outstanding),
                      amount(principal), amount(interest)});
  return t;
}

Table rows_table(const OverdueReportInput& in, std::string title) {
  const bool named = in.by == OverdueBy::kUnit || in.by == OverdueBy::kGroup;
  const bool compare = in.compare_to.has_value();
  std::vector<Column> cols = {{"key", std::string(by_label(in.by))}};
  if (named) cols.push_back({"name", tr("Name")});
  cols.push_back({"loans", trc("overdue", "Loans"), CellKind::kInteger});
  cols.push_back({"loans_overdue", tr("Overdue loans"), CellKind::kInteger});
  cols.push_back({"outstanding_principal", tr("Outstanding principal"), CellKind::kMoney});
  cols.push_back({"overdue_principal", trc("overdue", "Overdue principal"), CellKind::kMoney});
  if (!compare) {
    cols.push_back({"overdue_interest", tr("Overdue interest"), CellKind::kMoney});
    cols.push_back({"overdue_ratio", tr("Overdue ratio"), CellKind::kRatio});
    cols.push_back({"par30", "PAR30", CellKind::kRatio});
  } else {
    cols.push_back({"overdue_ratio", tr("Overdue ratio"), CellKind::kRatio});
    cols.push_back({"compare_overdue_principal", tr("Overdue principal before"), CellKind::kMoney});
    cols.push_back({"compare_overdue_ratio", tr("Ratio before"), CellKind::kRatio});
    cols.push_back({"grew", tr("Grew")});
  }
  Table t(std::move(title), std::move(cols));
  auto cells = [&](std::string key, std::string name, const OverdueFigures& f, const OverdueFigures* before) {
    std::vector<std::string> r = {std::move(key)};
    if (named) r.push_back(std::move(name));
    r.push_back(std::to_string(f.loans));
    r.push_back(std::to_string(f.loans_overdue));
    r.push_back(amount(f.outstanding_principal));
    r.push_back(amount(f.overdue_principal));
    if (!compare) {
      r.push_back(amount(f.overdue_interest));
      r.push_back(format_ratio(f.overdue_ratio()));
      r.push_back(format_ratio(f.par(f.at_risk_30)));
    } else {
      r.push_back(format_ratio(f.overdue_ratio()));
      r.push_back(amount(before->overdue_principal));
      r.push_back(format_ratio(before->overdue_ratio()));
      r.push_back(overdue_grew(*before, f) ? tr("grew") : "");
    }
    return r;
  };
  const OverdueFigures zero;
  auto keys = std::vector<std::string>();
  for (const auto& [k, f] : in.at.rows) keys.push_back(k);
  if (compare)
    for (const auto& [k, f] : in.compare_to->rows)
      if (!in.at.rows.count(k)) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  for (const auto& k : keys) {
    auto it = in.at.rows.find(k);
    const OverdueFigures& f = it == in.at.rows.end() ? zero : it->second;
    const OverdueFigures* before = nullptr;
    if (compare) {
      auto b = in.compare_to->rows.find(k);
      before = b == in.compare_to->rows.end() ? &zero : &b->second;
    }
    auto name = in.names.find(k);
    t.rows.push_back(cells(display_key(k), name == in.names.end() ? "" : name->second, f, before));
  }
  t.totals.push_back(cells(trc("overdue", "Total"), "", in.at.totals, compare ? &in.compare_to->totals : nullptr));
  if (compare && !t.rows.empty() && t.rows.size() <= kOverdueCompareChartRows) {
    const std::string now = human_date(in.at.as_of), before = human_date(in.compare_to->as_of);
    Chart c{named ? "name" : "key", "overdue_principal",
            fmt::format(fmt::runtime(tr("Overdue principal {}, on {} against {}")), by_title(in.by), now, before)};
    c.kind = ChartKind::kGroupedBars;
    c.second_column = "compare_overdue_principal";
    c.value_legend = fmt::format(fmt::runtime(tr("On {}")), now);
    c.second_legend = fmt::format(fmt::runtime(tr("On {}")), before);
    t.chart = std::move(c);
  }
  return t;
}

Table buckets_table(const OverdueData& a) {
  Table t(fmt::format(fmt::runtime(tr("Overdue by age as of {}")), human_date(a.as_of)),
          {{"bucket", tr("Age")},
           {"loans", trc("overdue", "Loans"), CellKind::kInteger},
           {"outstanding_principal", tr("Outstanding principal"), CellKind::kMoney},
           {"overdue_principal", trc("overdue", "Overdue principal"), CellKind::kMoney}});
  for (const auto& b : a.buckets)
    t.rows.push_back({bucket_label(b.bucket), std::to_string(b.loans), amount(b.outstanding_principal),
                      amount(b.overdue_principal)});
  t.totals.push_back({trc("overdue", "Total"), std::to_string(a.totals.loans), amount(a.totals.outstanding_principal),
                      amount(a.totals.overdue_principal)});
  t.chart = Chart{"bucket", "outstanding_principal", tr("Outstanding principal by age")};
  return t;
}

Table trend_table(const std::vector<OverdueTrendPoint>& trend) {
  Table t(fmt::format(fmt::runtime(tr("PAR30 at each month end, {} – {}")), human_date(trend.front().as_of),
                      human_date(trend.back().as_of)),
          {{"as_of", tr("Date"), CellKind::kDate},
           {"loans", trc("overdue", "Loans"), CellKind::kInteger},
           {"outstanding_principal", tr("Outstanding principal"), CellKind::kMoney},
           {"at_risk_30", tr("At risk > 30 days"), CellKind::kMoney},
           {"par30", "PAR30", CellKind::kRatio}});
  for (const auto& p : trend)
    t.rows.push_back({p.as_of.to_iso(), std::to_string(p.totals.loans), amount(p.totals.outstanding_principal),
                      amount(p.totals.at_risk_30), format_ratio(p.totals.par(p.totals.at_risk_30))});
  t.notes.push_back(tr("PAR30 = outstanding principal of the loans more than 30 days overdue ÷ total outstanding "
                       "principal, at each month end and on the report date."));
  Chart c{"as_of", "par30", tr("PAR30 trend")};
  c.kind = ChartKind::kLine;
  t.chart = std::move(c);
  return t;
}

Table classes_table(const OverdueData& a, const LoanClassTable& table) {
  Table t(fmt::format(fmt::runtime(tr("Loan classes and provisions as of {}")), human_date(a.as_of)),
          {{"class", tr("Class")},
           {"days", tr("Days past due")},
           {"provision_rate", tr("Provision rate"), CellKind::kRatio},
           {"loans", trc("overdue", "Loans"), CellKind::kInteger},
           {"outstanding_principal", tr("Outstanding principal"), CellKind::kMoney},
           {"provision", tr("Provision"), CellKind::kMoney}});
  Money provision;
  for (std::size_t i = 0; i < a.classes.size(); ++i) {
    const auto& c = a.classes[i];
    std::string days = i + 1 < table.classes.size()
                           ? fmt::format("{}–{}", table.classes[i].min_days_past_due,
                                         table.classes[i + 1].min_days_past_due - 1)
                           : fmt::format("≥ {}", table.classes[i].min_days_past_due);
    t.rows.push_back({c.code, days, format_ratio(c.provision_rate), std::to_string(c.loans),
                      amount(c.outstanding_principal), amount(c.provision)});
    provision += c.provision;
  }
  t.totals.push_back({trc("overdue", "Total"), "", "", std::to_string(a.totals.loans), amount(a.totals.outstanding_principal),
                      amount(provision)});
  return t;
}

}  // namespace

Result<OverdueBy> parse_overdue_by(std::string_view text) {
  for (auto by : {OverdueBy::kNone, OverdueBy::kUnit, OverdueBy::kGroup, OverdueBy::kProduct, OverdueBy::kEthnicity})
    if (to_string(by) == text) return by;
  return fail(
      Error::usage(fmt::format(fmt::runtime(tr("'{}' is not one of unit, group, product, ethnicity")), text)).in_field("by"));
}

std::string_view to_string(OverdueBy by) {
  switch (by) {
    case OverdueBy::kNone: return "";
    case OverdueBy::kUnit: return "unit";
    case OverdueBy::kGroup: return "group";
    case OverdueBy::kProduct: return "product";
    case OverdueBy::kEthnicity: return "ethnicity";
  }
  return "";
}

bool overdue_grew(const OverdueFigures& before, const OverdueFigures& after) {
  return soquy::overdue_grew({.overdue = before.overdue_principal, .outstanding = before.outstanding_principal},
                             {.overdue = after.overdue_principal, .outstanding = after.outstanding_principal});
}

OverdueAccumulator::OverdueAccumulator(Date as_of, LoanClassTable table)
    : as_of_(as_of), portfolio_(std::move(table)) {}

void OverdueAccumulator::add(const LoanSnapshot& s, const std::string& key) {
  if (s.status == LoanStatus::kClosed || !s.open()) return;
  const LoanPosition& p = s.position;
  const auto k = portfolio_.add(p);
  if (!k) return;  // frozen or written off: counted apart, in no row
  rows_[key].add(p);
  if (p.days_past_due > 0)
    loans_.push_back(OverdueLoan{s.loan, s.member, s.group, p.days_past_due, portfolio_.table().classes[*k].code,
                                 p.outstanding_principal, p.overdue_principal, p.overdue_interest});
}

OverdueData OverdueAccumulator::finish() {
  std::sort(loans_.begin(), loans_.end(), [](const OverdueLoan& x, const OverdueLoan& y) {
    return std::tie(y.days_past_due, x.loan) < std::tie(x.days_past_due, y.loan);
  });
  OverdueData d;
  d.as_of = as_of_;
  d.class_table = portfolio_.table();
  d.totals = portfolio_.totals();
  d.buckets = portfolio_.buckets();
  d.classes = portfolio_.classes();
  d.rows = std::move(rows_);
  d.loans = std::move(loans_);
  d.frozen_loans = portfolio_.frozen_loans();
  d.frozen_outstanding_principal = portfolio_.frozen_outstanding_principal();
  d.written_off_loans = portfolio_.written_off_loans();
  d.written_off_outstanding_principal = portfolio_.written_off_outstanding_principal();
  return d;
}

void OverdueAccumulator::merge(OverdueAccumulator&& other) {
  portfolio_.merge(other.portfolio_);
  for (auto& [k, f] : other.rows_) rows_[k].add(f);
  loans_.insert(loans_.end(), std::make_move_iterator(other.loans_.begin()),
                std::make_move_iterator(other.loans_.end()));
  other = OverdueAccumulator(other.as_of_, portfolio_.table());
}

void OverdueAccumulator::rekey_rows(const std::function<const std::string&(const std::string&)>& key_of) {
  std::map<std::string, OverdueFigures> rows;
  for (const auto& [k, f] : rows_) rows[key_of(k)].add(f);
  rows_ = std::move(rows);
}

Result<OverdueData> collect_overdue(LoanBook& book, Registry& registry, Date as_of, OverdueBy by, Date rollup_date,
                                    const LoanClassTable& table, int threads) {
  if (auto ok = validate(table); !ok) return fail(ok.error());
  if (threads < 1) threads = 1;
  // One accumulator per worker, merged at the end: every figure is a sum of integers (or a
  // list sorted at the end), so the merge gives what one pass in loan order gives.
  // By unit, the workers key rows by the registered unit, and each remembers the first loan
  // (lowest id) of every unit; the units are rolled up afterwards on this thread (the registry
  // reads this connection), and a unit that cannot be rolled up fails with its first loan, as
  // one pass in loan order would.
  struct FirstLoan {
    std::int64_t id;
    std::string code;
  };
  struct Worker {
    explicit Worker(Date d, const LoanClassTable& t) : acc(d, t) {}
    OverdueAccumulator acc;
    std::unordered_map<std::string, FirstLoan> first;  // by unit (kUnit only)
  };
  std::vector<Worker> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  for (int w = 0; w < threads; ++w) workers.emplace_back(as_of, table);
  const std::string none;
  book.for_each_snapshot_parallel(as_of, threads, [&](int w, std::int64_t id, const LoanSnapshot& s) {
    Worker& me = workers[static_cast<std::size_t>(w)];
    switch (by) {
      case OverdueBy::kNone: me.acc.add(s, none); return;
      case OverdueBy::kGroup: me.acc.add(s, s.group); return;
      case OverdueBy::kProduct: me.acc.add(s, s.product); return;
      case OverdueBy::kEthnicity: me.acc.add(s, s.ethnicity); return;
      case OverdueBy::kUnit: {
        auto it = me.first.find(s.unit);
        if (it == me.first.end()) me.first.emplace(s.unit, FirstLoan{id, s.loan});
        else if (id < it->second.id) it->second = FirstLoan{id, s.loan};
        me.acc.add(s, s.unit);
        return;
      }
    }
  });
  std::unordered_map<std::string, std::string> rolled;  // registered unit → unit on rollup_date
  if (by == OverdueBy::kUnit) {
    std::map<std::string, FirstLoan> first;  // the first loan of each unit over all workers
    for (auto& w : workers)
      for (auto& [unit, f] : w.first) {
        auto it = first.find(unit);
        if (it == first.end()) first.emplace(unit, f);
        else if (f.id < it->second.id) it->second = f;
      }
    std::optional<std::int64_t> failed_at;
    std::optional<Error> error;
    for (const auto& [unit, f] : first) {
      auto succ = registry.successor(unit, rollup_date);
      if (!succ) {
        if (!failed_at || f.id < *failed_at) {
          failed_at = f.id;
          error = succ.error().with_context(fmt::format(fmt::runtime(tr("loan {}: unit '{}': ")), f.code, unit));
        }
        continue;
      }
      rolled.emplace(unit, *succ);
    }
    if (error) return fail(*error);
  }
  OverdueAccumulator& acc = workers.front().acc;
  for (std::size_t w = 1; w < workers.size(); ++w) acc.merge(std::move(workers[w].acc));
  if (by == OverdueBy::kUnit) acc.rekey_rows([&](const std::string& unit) -> const std::string& { return rolled.at(unit); });
  return acc.finish();
}

Result<std::map<std::string, std::string>> overdue_row_names(Registry& registry, OverdueBy by, Date as_of,
                                                             const OverdueData& at,
                                                             const std::optional<OverdueData>& compare_to) {
  std::map<std::string, std::string> names;
  auto name_of = [&](const std::string& key) -> Result<void> {
    if (names.count(key)) return {};
    if (by == OverdueBy::kUnit) {
      auto u = registry.unit(key, as_of);
      if (!u) return fail(u.error());
      names[key] = u->name;
    } else if (by == OverdueBy::kGroup) {
      if (key.empty()) {
        names[key] = tr("Loans not through a group");
        return {};
      }
      auto g = registry.group(key);
      if (!g) return fail(g.error());
      names[key] = g->name;
    } else {
      // An unknown ethnicity (no default: docs/formats.md) is its own row, named as such.
      names[key] = key.empty() && by == OverdueBy::kEthnicity ? tr("unknown") : key;
    }
    return {};
  };
  for (const auto& [k, f] : at.rows)
    if (auto ok = name_of(k); !ok) return fail(ok.error());
  if (compare_to)
    for (const auto& [k, f] : compare_to->rows)
      if (auto ok = name_of(k); !ok) return fail(ok.error());
  return names;
}

std::vector<Date> trend_dates(Date as_of, int points) {
  std::vector<Date> dates;
  if (points < 1) return dates;
  const Date first = as_of.add_days(1 - static_cast<std::int64_t>(as_of.day()));  // 1st of its month
  for (int k = points - 2; k >= 0; --k) dates.push_back(first.add_months(-k).add_days(-1));
  dates.push_back(as_of);
  return dates;
}

Result<std::vector<OverdueTrendPoint>> collect_trend(LoanBook& book, Registry& registry, Date as_of, int points,
                                                     const LoanClassTable& table, int threads, const OverdueData* at) {
  std::vector<OverdueTrendPoint> trend;
  for (Date d : trend_dates(as_of, points)) {
    if (at && d == as_of) {
      trend.push_back({d, at->totals});
      continue;
    }
    auto data = collect_overdue(book, registry, d, OverdueBy::kNone, as_of, table, threads);
    if (!data) return fail(data.error().with_context(fmt::format(fmt::runtime(tr("PAR trend at {}: ")), d.to_iso())));
    trend.push_back({d, data->totals});
  }
  return trend;
}

namespace {

// "rows": one per key at either date, sorted, with --by; [] without.
ordered_json rows_json(const OverdueReportInput& in) {
  const OverdueData& a = in.at;
  ordered_json out = ordered_json::array();
  if (in.by != OverdueBy::kNone) {
    std::vector<std::string> keys;
    for (const auto& [k, f] : a.rows) keys.push_back(k);
    if (in.compare_to)
      for (const auto& [k, f] : in.compare_to->rows)
        if (!a.rows.count(k)) keys.push_back(k);
    std::sort(keys.begin(), keys.end());
    const OverdueFigures zero;
    for (const auto& k : keys) {
      auto it = a.rows.find(k);
      const OverdueFigures& f = it == a.rows.end() ? zero : it->second;
      auto name = in.names.find(k);
      ordered_json row{{"key", k.empty() ? ordered_json(nullptr) : ordered_json(k)},
                       {"name", name == in.names.end() ? ordered_json(nullptr) : ordered_json(name->second)}};
      row.update(row_figures_json(f));
      if (in.compare_to) {
        auto b = in.compare_to->rows.find(k);
        const OverdueFigures& before = b == in.compare_to->rows.end() ? zero : b->second;
        row["compare_to"] = row_figures_json(before);
        row["grew"] = overdue_grew(before, f);
      }
      out.push_back(std::move(row));
    }
  }
  return out;
}

ordered_json overdue_json(const OverdueReportInput& in, bool with_loans) {
  const OverdueData& a = in.at;
  ordered_json j;
  j["as_of"] = a.as_of.to_iso();
  j["currency"] = std::string(kVnd.code);
  j["totals"] = totals_json(a.totals);
  j["buckets"] = ordered_json::array();
  for (const auto& b : a.buckets)
    j["buckets"].push_back(ordered_json{{"bucket", std::string(b.bucket)},
                                        {"loans", b.loans},
                                        {"outstanding_principal", amount(b.outstanding_principal)},
                                        {"overdue_principal", amount(b.overdue_principal)}});
  j["classes"] = ordered_json::array();
  for (const auto& c : a.classes)
    j["classes"].push_back(ordered_json{{"class", c.code},
                                        {"loans", c.loans},
                                        {"outstanding_principal", amount(c.outstanding_principal)},
                                        {"provision", amount(c.provision)}});
  j["rows"] = rows_json(in);
  j["loans"] = ordered_json::array();
  if (with_loans)
    for (const auto& l : a.loans) j["loans"].push_back(loan_json(l));
  j["frozen"] = apart_json(a.frozen_loans, a.frozen_outstanding_principal);
  j["written_off"] = apart_json(a.written_off_loans, a.written_off_outstanding_principal);
  j["by"] = in.by == OverdueBy::kNone ? ordered_json(nullptr) : ordered_json(std::string(to_string(in.by)));
  if (in.compare_to) {
  const auto& b = *in.compare_to;
    j["compare_to"] = ordered_json{{"as_of", b.as_of.to_iso()},
                                   {"totals", totals_json(b.totals)},
                                   {"frozen", apart_json(b.frozen_loans, b.frozen_outstanding_principal)},
                                   {"written_off", apart_json(b.written_off_loans, b.written_off_outstanding_principal)},
                                   {"grew", overdue_grew(b.totals, a.totals)}};
  }
  if (!in.trend.empty()) {
    j["trend"] = ordered_json::array();
    for (const auto& p : in.trend)
      j["trend"].push_back(ordered_json{{"as_of", p.as_of.to_iso()},
                                        {"loans", p.totals.loans},
                                        {"outstanding_principal", amount(p.totals.outstanding_principal)},
                                        {"at_risk_30", amount(p.totals.at_risk_30)},
                                        {"par30", format_ratio(p.totals.par(p.totals.at_risk_30))}});
  }
  return j;
}

std::vector<Table> overdue_tables(const OverdueReportInput& in, bool with_loans) {
  const OverdueData& a = in.at;
  std::vector<Table> tables;
  const std::string title = fmt::format(fmt::runtime(tr("Overdue report as of {}")), human_date(a.as_of));
  const std::string compare =
      in.compare_to ? fmt::format(fmt::runtime(tr(", against {}")), human_date(in.compare_to->as_of)) : std::string();
  if (in.by != OverdueBy::kNone) {
    tables.push_back(rows_table(in, fmt::format("{} {}{}", title, by_title(in.by), compare)));
  } else {
    tables.push_back(loans_table(fmt::format(fmt::runtime(tr("{}{} — overdue loans")), title, compare), a, with_loans));
  }
  tables.front().notes = notes_of(in);
  tables.push_back(buckets_table(a));
  if (!in.trend.empty()) tables.push_back(trend_table(in.trend));
  tables.push_back(classes_table(a, a.class_table));
  if (in.by != OverdueBy::kNone)
    tables.push_back(
        loans_table(fmt::format(fmt::runtime(tr("Overdue loans as of {}")), human_date(a.as_of)), a, with_loans));
  return tables;
}

// The year-on-year report (--compare-to) is a printable form (docs/exports.md, "Printable forms").
Form overdue_form(const OverdueReportInput& in) {
  const OverdueData& a = in.at;
  const auto& b = *in.compare_to;
  const bool en = language() == Language::kEn;  // "10,12 %" on a Vietnamese paper, "10.12%" in English
  Form f;
  f.organisation = {tr("WOMEN'S UNION"), tr("WOMEN'S DEVELOPMENT SUPPORT FUND")};
  f.title = tr("OVERDUE REPORT");
  f.subtitle = fmt::format(fmt::runtime(tr("As of {}, against {}{}{}")), human_date(a.as_of), human_date(b.as_of),
                           in.by == OverdueBy::kNone ? "" : ", ", by_title(in.by));
  f.fields = {{tr("Outstanding principal"), fmt::format(fmt::runtime(tr("{} VND")), a.totals.outstanding_principal.to_grouped_string())},
              {trc("overdue", "Overdue principal"), fmt::format(fmt::runtime(tr("{} VND (ratio {})")), a.totals.overdue_principal.to_grouped_string(),
                                         percent_text(format_ratio(a.totals.overdue_ratio()), en))},
              {fmt::format(fmt::runtime(tr("Overdue principal on {}")), human_date(b.as_of)),
               fmt::format(fmt::runtime(tr("{} VND (ratio {})")), b.totals.overdue_principal.to_grouped_string(),
                           percent_text(format_ratio(b.totals.overdue_ratio()), en))},
              {tr("Comparison"), overdue_grew(b.totals, a.totals) ? tr("overdue principal GREW") : tr("overdue principal did not grow")}};
  f.place_date = form_place_date("", a.as_of.year(), static_cast<int>(a.as_of.month()), static_cast<int>(a.as_of.day()));
  f.signatures = {{tr("Prepared by"), ""}, {tr("Accountant"), ""}, {tr("Union chair"), ""}};
  return f;
}

Report build_overdue_report(const OverdueReportInput& in, bool with_loans) {
  Report r;
  r.json = overdue_json(in, with_loans);
  r.tables = overdue_tables(in, with_loans);
  if (in.compare_to) r.form = overdue_form(in);
  return r;
}

}  // namespace

Report overdue_report(const OverdueReportInput& in) { return build_overdue_report(in, true); }

Result<void> write_overdue_report(const OverdueReportInput& in, Format format, std::ostream& out,
                                  const RenderOptions& options) {
  if (!streams(format)) {
    if ((format == Format::kXlsx || format == Format::kHtml) && in.at.loans.size() > document_row_limit())
      return fail(too_many_rows(format, document_row_limit()));
    return render(overdue_report(in), format, out, options);
  }
  Report skeleton = build_overdue_report(in, false);
  // With --by the CSV is the rows table, short; the JSON's list of loans is streamed either way.
  if (format == Format::kCsv && in.by != OverdueBy::kNone) return render(skeleton, format, out, options);
  auto sink = RowSink::open(std::move(skeleton), "/loans", format, out, options);
  if (!sink) return fail(sink.error());
  for (const auto& l : in.at.loans)
    if (auto ok = sink->row(loan_json(l), loan_cells(l)); !ok) return ok;
  return sink->finish();
}

}  // namespace soquy::reports
