#include "soquy/reports/vbsp_fee_reports.h"

#include <map>
#include <string>

#include <fmt/format.h>

#include "soquy/rate.h"

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;

std::string money(Money m) { return m.to_plain_string(); }
std::string month_of(Date d) { return fmt::format("{:04}-{:02}", d.year(), d.month()); }
std::string percent(const Rational& r) { return format_decimal_exact(r); }
std::string points(const Rational& r) { return format_decimal(r, 2); }
ordered_json date_or_null(const std::optional<Date>& d) { return d ? ordered_json(d->to_iso()) : ordered_json(nullptr); }

std::string no_rate_note(const VbspSessionFee& s) {
  if (s.contract.empty())
    return fmt::format("no entrustment contract of commune {} signed on or before {}", s.commune, s.date.to_iso());
  return fmt::format("contract {} has no rate in force on {}", s.contract, s.date.to_iso());
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
    row.push_back(c.points ? points(*c.points) : std::string("thiếu (missing)"));
    detail.rows.push_back({s.group, std::string(vietnamese(c.criterion)), std::to_string(max_points(c.criterion)),
                           c.value ? format_decimal(*c.value, 4) : std::string(),
                           c.points ? points(*c.points) : std::string(), c.detail});
  }
  row.push_back(s.total ? points(*s.total) : std::string());
  row.push_back(s.grade ? std::string(vietnamese(*s.grade)) : std::string("chưa xếp loại (not graded)"));
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
  Table t{"Hợp đồng ủy thác và mức phí, hoa hồng (VBSP entrustment contracts and rates, % of interest collected)",
          {{"contract", "Hợp đồng (contract)", CellKind::kText},
           {"unit", "Xã (commune)", CellKind::kText},
           {"signed_on", "Ngày ký (signed)", CellKind::kDate},
           {"effective_from", "Áp dụng từ (from)", CellKind::kDate},
           {"fee_percent", "Phí ủy thác % (fee)", CellKind::kDecimal},
           {"commission_percent", "Hoa hồng % (commission)", CellKind::kDecimal}}};
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
  if (contracts.empty()) t.notes.push_back("Chưa có hợp đồng (no contract recorded): soquy vbsp contract add");
  out.tables.push_back(std::move(t));
  return out;
}

Report vbsp_fees(const VbspFeeReport& r) {
  Report out;
  Table t{fmt::format("Phí ủy thác và hoa hồng tháng {} (VBSP entrustment fees and commissions, receipts {} – {})",
                      month_of(r.from), r.from.to_vietnamese(), r.to.to_vietnamese()),
          {{"group", "Mã tổ (group)", CellKind::kText},
           {"group_name", "Tên tổ (name)", CellKind::kText},
           {"commune", "Xã (commune)", CellKind::kText},
           {"contract", "Hợp đồng (contract)", CellKind::kText},
           {"rate_from", "Mức từ (rate from)", CellKind::kDate},
           {"fee_percent", "Phí % (fee)", CellKind::kDecimal},
           {"commission_percent", "Hoa hồng % (commission)", CellKind::kDecimal},
           {"interest", "Lãi thu (interest)", CellKind::kMoney},
           {"fee", "Phí ủy thác (fee)", CellKind::kMoney},
           {"commission", "Hoa hồng (commission)", CellKind::kMoney}}};
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
      t.notes.push_back(fmt::format("Tổ {}: chưa có mức phí (no rate): {}", s.group, no_rate_note(s)));
    }
    sessions.push_back(std::move(j));
  }
  t.totals.push_back({"Tổng (total)", "", "", "", "", "", "", money(r.interest), money(r.fee), money(r.commission)});
  t.notes.push_back("Số liệu để đối chiếu, không hạch toán vào sổ (informational: computed, not posted to any book)");
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
  std::vector<Column> cols = {{"group", "Mã tổ (group)", CellKind::kText},
                              {"group_name", "Tên tổ (name)", CellKind::kText},
                              {"commune", "Xã (commune)", CellKind::kText}};
  for (auto c : kVbspCriteria)
    cols.push_back({std::string(to_string(c)), fmt::format("{} ({})", vietnamese(c), max_points(c)),
                    CellKind::kDecimal});
  cols.push_back({"total", "Tổng điểm (total)", CellKind::kDecimal});
  cols.push_back({"grade", "Xếp loại (grade)", CellKind::kText});
  Table summary{fmt::format("Chấm điểm, xếp loại Tổ TK&VV tháng {} (VBSP group grades; statements {}, {})", month,
                            g.statement ? g.statement->to_iso() : std::string("none"),
                            g.statement_before ? g.statement_before->to_iso() : std::string("none")),
                std::move(cols)};
  Table detail{fmt::format("Chi tiết tiêu chí tháng {} (criteria)", month),
               {{"group", "Mã tổ (group)", CellKind::kText},
                {"criterion", "Tiêu chí (criterion)", CellKind::kText},
                {"max_points", "Tối đa (max)", CellKind::kInteger},
                {"value", "Tỷ lệ (value)", CellKind::kRatio},
                {"points", "Điểm (points)", CellKind::kDecimal},
                {"detail", "Số liệu (figures)", CellKind::kText}}};
  ordered_json groups = ordered_json::array();
  for (const auto& s : g.groups) groups.push_back(grade_group(s, summary, detail));
  const auto& t = g.thresholds;
  summary.notes.push_back(fmt::format("Ngưỡng (thresholds): dưới {} Yếu, dưới {} Trung bình, dưới {} Khá, còn lại Tốt",
                                      format_decimal_exact(t.weak_below), format_decimal_exact(t.average_below),
                                      format_decimal_exact(t.fair_below)));
  summary.notes.push_back(fmt::format("Tốt {}, Khá {}, Trung bình {}, Yếu {}, chưa xếp loại (not graded) {}",
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
