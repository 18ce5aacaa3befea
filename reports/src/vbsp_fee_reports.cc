#include "soquy/reports/vbsp_fee_reports.h"

#include <map>
#include <string>

#include <fmt/format.h>

#include "soquy/i18n.h"
#include "soquy/rate.h"
#include "human_date.h"

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;

std::string money(Money m) { return m.to_plain_string(); }
std::string month_of(Date d) { return fmt::format("{:04}-{:02}", d.year(), d.month()); }
std::string percent(const Rational& r) { return format_decimal_exact(r); }
std::string points(const Rational& r) { return format_decimal(r, 2); }
ordered_json date_or_null(const std::optional<Date>& d) { return d ? ordered_json(d->to_iso()) : ordered_json(nullptr); }

// Why a session has no fee: in English for JSON (the same in every language), `worded` in the
// language of the messages for the table.
std::string no_rate_note(const VbspSessionFee& s, bool worded = false) {
  auto in = [worded](const char* english) { return worded ? tr(english) : english; };
  if (s.contract.empty())
    return fmt::format(fmt::runtime(in(N_("no entrustment contract of commune {} signed on or before {}"))), s.commune,
                       s.date.to_iso());
  return fmt::format(fmt::runtime(in(N_("contract {} has no rate in force on {}"))), s.contract, s.date.to_iso());
}

// A grade and a criterion as people read them, in the language of the messages (JSON keeps the
// codes and the Vietnamese labels of vbsp_fees.h).
std::string grade_text(VbspGrade g) {
  switch (g) {
    case VbspGrade::kWeak: return tr("Weak");
    case VbspGrade::kAverage: return tr("Average");
    case VbspGrade::kFair: return tr("Fair");
    case VbspGrade::kGood: return tr("Good");
  }
  return "?";
}

std::string criterion_text(VbspCriterion c) {
  switch (c) {
    case VbspCriterion::kTransacting: return tr("Transacting at the commune transaction point");
    case VbspCriterion::kPrincipalCollected: return tr("Principal due collected");
    case VbspCriterion::kInterestCollection: return tr("Interest collection ratio");
    case VbspCriterion::kMembersSaving: return tr("Members saving");
    case VbspCriterion::kSavingsGrowth: return tr("Savings growth");
    case VbspCriterion::kOverdueRatio: return tr("Ratio of overdue loans");
  }
  return "?";
}

// One group's grade: its row of the summary, a row of the detail per criterion, and its JSON.
ordered_json grade_group(const VbspGroupScore& s, Table& summary, Table& detail) {
  ordered_json criteria = ordered_json::array();
  std::vector<std::string> row = {s.group, s.group_name, s.commune};
  for (const auto& c : s.criteria) {
    criteria.push_back({{"criterion", std::string(to_string(c.criterion))},
                        {"label", std::string(vietnamese(c.criterion))},
                        {"max_points", max_points(c.criterion)},
                        {"value", c.value ? ordered_json(format_decimal(*c.value, 4)) : ordered_json(nullptr)},
                        {"points", c.points ? ordered_json(points(*c.points)) : ordered_json(nullptr)},
                        {"missing", c.missing},
                        {"detail", c.detail}});
    row.push_back(c.points ? points(*c.points) : std::string(tr("missing")));
    detail.rows.push_back({s.group, criterion_text(c.criterion), std::to_string(max_points(c.criterion)),
                           c.value ? format_decimal(*c.value, 4) : std::string(),
                           c.points ? points(*c.points) : std::string(), c.detail});
  }
  row.push_back(s.total ? points(*s.total) : std::string());
  row.push_back(s.grade ? grade_text(*s.grade) : std::string(tr("not graded")));
  summary.rows.push_back(std::move(row));
  ordered_json j;
  j["group"] = s.group;
  j["group_name"] = s.group_name;
  j["commune"] = s.commune;
  j["criteria"] = std::move(criteria);
  j["total"] = s.total ? ordered_json(points(*s.total)) : ordered_json(nullptr);
  j["grade"] = s.grade ? ordered_json(std::string(to_string(*s.grade))) : ordered_json(nullptr);
  j["grade_label"] = s.grade ? ordered_json(std::string(vietnamese(*s.grade))) : ordered_json(nullptr);
  return j;
}

}  // namespace

Report vbsp_fee_rates(const std::vector<VbspContract>& contracts, const std::vector<VbspFeeRate>& rates) {
  Report out;
  Table t{tr("VBSP entrustment contracts and rates (percent of interest collected)"),
          {{"contract", tr("Contract"), CellKind::kText},
           {"unit", tr("Commune"), CellKind::kText},
           {"signed_on", tr("Signed on"), CellKind::kDate},
           {"effective_from", tr("In force from"), CellKind::kDate},
           {"fee_percent", tr("Entrustment fee %"), CellKind::kDecimal},
           {"commission_percent", tr("Commission %"), CellKind::kDecimal}}};
  out.json = ordered_json::array();
  for (const auto& c : contracts) {
    ordered_json versions = ordered_json::array();
    for (const auto& r : rates) {
      if (r.contract != c.code) continue;
      versions.push_back({{"effective_from", r.effective_from.to_iso()},
                          {"fee_percent", percent(r.fee_percent)},
                          {"commission_percent", percent(r.commission_percent)}});
      t.rows.push_back({c.code, c.unit, c.signed_on.to_iso(), r.effective_from.to_iso(), percent(r.fee_percent),
                        percent(r.commission_percent)});
    }
    if (versions.empty()) t.rows.push_back({c.code, c.unit, c.signed_on.to_iso(), "", "", ""});
    out.json.push_back(
        {{"contract", c.code}, {"unit", c.unit}, {"signed_on", c.signed_on.to_iso()}, {"rates", std::move(versions)}});
  }
  if (contracts.empty()) t.notes.push_back(tr("No contract recorded: soquy vbsp contract add"));
  out.tables.push_back(std::move(t));
  return out;
}

Report vbsp_fees(const VbspFeeReport& r) {
  Report out;
  Table t{fmt::format(fmt::runtime(tr("VBSP entrustment fees and commissions for {}, receipts {} – {}")),
                      month_of(r.from), human_date(r.from), human_date(r.to)),
          {{"group", tr("Group code"), CellKind::kText},
           {"group_name", tr("Group name"), CellKind::kText},
           {"commune", tr("Commune"), CellKind::kText},
           {"contract", tr("Contract"), CellKind::kText},
           {"rate_from", tr("Rate from"), CellKind::kDate},
           {"fee_percent", tr("Fee %"), CellKind::kDecimal},
           {"commission_percent", tr("Commission %"), CellKind::kDecimal},
           {"interest", tr("Interest collected"), CellKind::kMoney},
           {"fee", tr("Entrustment fee"), CellKind::kMoney},
           {"commission", tr("Commission"), CellKind::kMoney}}};
  ordered_json sessions = ordered_json::array();
  for (const auto& s : r.sessions) {
    ordered_json j;
    j["group"] = s.group;
    j["group_name"] = s.group_name;
    j["commune"] = s.commune;
    j["from"] = s.from.to_iso();
    j["date"] = s.date.to_iso();
    j["interest"] = money(s.interest);
    j["contract"] = s.contract.empty() ? ordered_json(nullptr) : ordered_json(s.contract);
    if (s.rate) {
      j["rate_from"] = s.rate->effective_from.to_iso();
      j["fee_percent"] = percent(s.rate->fee_percent);
      j["commission_percent"] = percent(s.rate->commission_percent);
      j["fee"] = money(*s.fee);
      j["commission"] = money(*s.commission);
      j["note"] = nullptr;
      t.rows.push_back({s.group, s.group_name, s.commune, s.contract, s.rate->effective_from.to_iso(),
                        percent(s.rate->fee_percent), percent(s.rate->commission_percent), money(s.interest),
                        money(*s.fee), money(*s.commission)});
    } else {
      for (const char* k : {"rate_from", "fee_percent", "commission_percent", "fee", "commission"}) j[k] = nullptr;
      j["note"] = no_rate_note(s);
      t.rows.push_back({s.group, s.group_name, s.commune, s.contract, "", "", "", money(s.interest), "", ""});
      t.notes.push_back(fmt::format(fmt::runtime(tr("Group {}: no rate: {}")), s.group, no_rate_note(s, true)));
    }
    sessions.push_back(std::move(j));
  }
  t.totals.push_back({tr("In total"), "", "", "", "", "", "", money(r.interest), money(r.fee), money(r.commission)});
  t.notes.push_back(tr("Informational: computed, not posted to any book."));
  out.json["month"] = month_of(r.from);
  out.json["from"] = r.from.to_iso();
  out.json["to"] = r.to.to_iso();
  out.json["group"] = r.group.empty() ? ordered_json(nullptr) : ordered_json(r.group);
  out.json["posted"] = false;
  out.json["sessions"] = std::move(sessions);
  out.json["totals"] = {{"sessions", static_cast<std::int64_t>(r.sessions.size())},
                        {"without_rate", r.without_rate},
                        {"interest", money(r.interest)},
                        {"fee", money(r.fee)},
                        {"commission", money(r.commission)}};
  out.tables.push_back(std::move(t));
  return out;
}

Report vbsp_grades(const VbspGrades& g) {
  Report out;
  const std::string month = month_of(g.from);
  std::vector<Column> cols = {{"group", tr("Group code"), CellKind::kText},
                              {"group_name", tr("Group name"), CellKind::kText},
                              {"commune", tr("Commune"), CellKind::kText}};
  for (auto c : kVbspCriteria)
    cols.push_back({std::string(to_string(c)), fmt::format("{} ({})", criterion_text(c), max_points(c)),
                    CellKind::kDecimal});
  cols.push_back({"total", tr("Total points"), CellKind::kDecimal});
  cols.push_back({"grade", tr("Grade"), CellKind::kText});
  Table summary{fmt::format(fmt::runtime(tr("VBSP group grades for {} (statements {}, {})")), month,
                            g.statement ? g.statement->to_iso() : std::string("none"),
                            g.statement_before ? g.statement_before->to_iso() : std::string("none")),
                std::move(cols)};
  Table detail{fmt::format(fmt::runtime(tr("Criteria for {}")), month),
               {{"group", tr("Group code"), CellKind::kText},
                {"criterion", tr("Criterion"), CellKind::kText},
                {"max_points", tr("Maximum"), CellKind::kInteger},
                {"value", trc("vbsp", "Value"), CellKind::kRatio},
                {"points", tr("Points"), CellKind::kDecimal},
                {"detail", tr("Figures"), CellKind::kText}}};
  ordered_json groups = ordered_json::array();
  for (const auto& s : g.groups) groups.push_back(grade_group(s, summary, detail));
  const auto& t = g.thresholds;
  summary.notes.push_back(fmt::format(fmt::runtime(tr("Thresholds: below {} Weak, below {} Average, below {} Fair, "
                                                      "otherwise Good")),
                                      format_decimal_exact(t.weak_below), format_decimal_exact(t.average_below),
                                      format_decimal_exact(t.fair_below)));
  summary.notes.push_back(fmt::format(fmt::runtime(tr("Good {}, Fair {}, Average {}, Weak {}, not graded {}")),
                                      g.counts[3], g.counts[2], g.counts[1], g.counts[0], g.not_graded));
  out.json["month"] = month;
  out.json["from"] = g.from.to_iso();
  out.json["to"] = g.to.to_iso();
  out.json["group"] = g.group.empty() ? ordered_json(nullptr) : ordered_json(g.group);
  out.json["statement"] = date_or_null(g.statement);
  out.json["statement_before"] = date_or_null(g.statement_before);
  out.json["thresholds"] = {{"weak_below", format_decimal_exact(t.weak_below)},
                            {"average_below", format_decimal_exact(t.average_below)},
                            {"fair_below", format_decimal_exact(t.fair_below)}};
  out.json["groups"] = std::move(groups);
  out.json["summary"] = {{"good", g.counts[3]},
                         {"fair", g.counts[2]},
                         {"average", g.counts[1]},
                         {"weak", g.counts[0]},
                         {"not_graded", g.not_graded}};
  out.tables.push_back(std::move(summary));
  out.tables.push_back(std::move(detail));
  return out;
}

}  // namespace soquy::reports
