#include "soquy/reports/dues_reports.h"
#include "human_date.h"
#include "soquy/i18n.h"

#include <string>

#include <fmt/format.h>

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;

std::string ratio(std::int64_t basis_points) {
  return fmt::format("{}.{:04}", basis_points / 10000, basis_points % 10000);
}
std::string percent(std::int64_t basis_points) {
  return fmt::format("{}.{:02}", basis_points / 100, basis_points % 100);
}
// A level as people read it, in the current language.
std::string level_name(UnitKind k) {
  switch (k) {
    case UnitKind::kProvince: return tr("province");
    case UnitKind::kDistrict: return tr("district");
    case UnitKind::kCommune: return tr("commune");
    case UnitKind::kBranch: return tr("branch");
  }
  return "?";
}

ordered_json opt_period(const std::optional<Period>& p) {
  return p ? ordered_json(p->to_string()) : ordered_json(nullptr);
}

ordered_json row_json(const ArrearsRow& r, bool with_keys) {
  ordered_json j;
  if (with_keys) {
    j["key"] = r.key;
    j["name"] = r.name;
    j["unit"] = r.unit;
  }
  j["members"] = r.members;
  j["members_in_arrears"] = r.members_in_arrears;
  j["periods_owed"] = r.periods_owed;
  j["oldest_owed"] = opt_period(r.oldest_owed);
  j["billed"] = r.billed.to_plain_string();
  j["paid"] = r.paid.to_plain_string();
  j["arrears"] = r.arrears.to_plain_string();
  return j;
}

}  // namespace

Report dues_settings(const DuesSettings& s) {
  Report r;
  ordered_json rates = ordered_json::array(), splits = ordered_json::array(), exemptions = ordered_json::array();
  Table rt{tr("Dues rates, per member per month"),
           {{"from", tr("From period")}, {"amount", tr("Amount per month"), CellKind::kMoney}}};
  for (const auto& x : s.rates) {
    rates.push_back(ordered_json{{"from", x.from.to_string()}, {"amount", x.amount.to_plain_string()}});
    rt.rows.push_back({x.from.to_string(), x.amount.to_plain_string()});
  }
  Table st{tr("Dues split between levels"),
           {{"from", tr("From period")}, {"level", tr("Level")}, {"percent", tr("Percent"), CellKind::kDecimal}}};
  for (const auto& x : s.splits) {
    ordered_json shares = ordered_json::array();
    for (const auto& sh : x.shares) {
      shares.push_back(ordered_json{{"level", std::string(to_string(sh.level))}, {"ratio", ratio(sh.basis_points)}});
      st.rows.push_back({x.from.to_string(), fmt::format("{} ({})", level_name(sh.level), to_string(sh.level)),
                         percent(sh.basis_points)});
    }
    splits.push_back(ordered_json{{"from", x.from.to_string()}, {"shares", shares}});
  }
  if (s.splits.empty()) st.notes.push_back(tr("No split set: the branch keeps all."));
  Table et{tr("Exemptions"),
           {{"member", tr("Member ID")},
            {"name", tr("Full name")},
            {"from", tr("From period")},
            {"to", tr("To period")},
            {"reason", tr("Reason")}}};
  for (const auto& x : s.exemptions) {
    exemptions.push_back(ordered_json{{"member", x.member},
                                      {"name", x.name},
                                      {"from", x.from.to_string()},
                                      {"to", opt_period(x.to)},
                                      {"reason", x.reason}});
    et.rows.push_back({x.member, x.name, x.from.to_string(), x.to ? x.to->to_string() : "", x.reason});
  }
  r.json = ordered_json{{"rates", rates}, {"splits", splits}, {"exemptions", exemptions}};
  r.tables.push_back(std::move(rt));
  r.tables.push_back(std::move(st));
  r.tables.push_back(std::move(et));
  return r;
}

Report dues_arrears(const ArrearsReport& a) {
  const bool by_unit = a.by == ArrearsBy::kUnit;
  Report r;
  std::vector<Column> cols;
  if (by_unit) {
    cols = {{"unit", tr("Unit")},
            {"name", tr("Unit name")},
            {"members", tr("Billed members"), CellKind::kInteger},
            {"members_in_arrears", tr("In arrears"), CellKind::kInteger}};
  } else {
    cols = {{"member", tr("Member ID")},
            {"name", tr("Full name")},
            {"unit", tr("Unit")},
            {"periods_owed", tr("Periods owed"), CellKind::kInteger},
            {"oldest_owed", tr("Oldest")}};
  }
  cols.push_back({"billed", tr("Billed"), CellKind::kMoney});
  cols.push_back({"paid", tr("Paid"), CellKind::kMoney});
  cols.push_back({"arrears", tr("Arrears"), CellKind::kMoney});
  Table t{fmt::format(fmt::runtime(by_unit ? tr("Dues arrears by unit as of {}") : tr("Dues arrears by member as of {}")),
                      human_date(a.as_of)),
          cols};
  ordered_json rows = ordered_json::array();
  for (const auto& x : a.rows) {
    rows.push_back(row_json(x, true));
    if (by_unit)
      t.rows.push_back({x.key, x.name, std::to_string(x.members), std::to_string(x.members_in_arrears),
                        x.billed.to_plain_string(), x.paid.to_plain_string(), x.arrears.to_plain_string()});
    else
      t.rows.push_back({x.key, x.name, x.unit, std::to_string(x.periods_owed),
                        x.oldest_owed ? x.oldest_owed->to_string() : "", x.billed.to_plain_string(),
                        x.paid.to_plain_string(), x.arrears.to_plain_string()});
  }
  const auto& tot = a.total;
  if (by_unit)
    t.totals.push_back({"", tr("Grand total"), std::to_string(tot.members), std::to_string(tot.members_in_arrears),
                        tot.billed.to_plain_string(), tot.paid.to_plain_string(), tot.arrears.to_plain_string()});
  else
    t.totals.push_back({"", tr("Grand total"), "", std::to_string(tot.periods_owed), "", tot.billed.to_plain_string(),
                        tot.paid.to_plain_string(), tot.arrears.to_plain_string()});
  r.json = ordered_json{{"as_of", a.as_of.to_iso()},
                        {"by", by_unit ? "unit" : "member"},
                        {"rows", rows},
                        {"total", row_json(tot, false)}};
  r.tables.push_back(std::move(t));
  return r;
}

}  // namespace soquy::reports
