#include "soquy/reports/loan_reports.h"

#include <fmt/format.h>

#include "soquy/rate.h"

namespace soquy::reports {

using nlohmann::ordered_json;

Report loan_schedule(const std::string& loan, const LoanTerms& t, const LoanSchedule& s) {
  Report r;
  ordered_json rows = ordered_json::array();
  Table table(fmt::format("Lịch trả nợ{} — {} đồng, {} {}, {} kỳ ({}){}, giải ngân {} (repayment schedule)",
                          loan.empty() ? " (xem trước)" : " khoản vay " + loan, t.principal.to_grouped_string(),
                          to_string(t.method), t.rate.to_string(), t.installments, to_string(t.frequency),
                          t.grace > 0 ? fmt::format(", ân hạn gốc {} kỳ", t.grace) : "", t.disbursed_on.to_vietnamese()),
              {{"n", "Kỳ (No.)", CellKind::kInteger},
               {"due_on", "Ngày đến hạn (Due)", CellKind::kDate},
               {"principal", "Gốc (Principal)", CellKind::kMoney},
               {"interest", "Lãi (Interest)", CellKind::kMoney},
               {"total", "Tổng (Total)", CellKind::kMoney}});
  for (const auto& i : s.installments) {
    rows.push_back(ordered_json{{"n", i.n},
                                {"due_on", i.due_on.to_iso()},
                                {"principal", i.principal.to_plain_string()},
                                {"interest", i.interest.to_plain_string()},
                                {"total", i.total.to_plain_string()}});
    table.rows.push_back({std::to_string(i.n), i.due_on.to_iso(), i.principal.to_plain_string(),
                          i.interest.to_plain_string(), i.total.to_plain_string()});
  }
  table.totals.push_back({"", "Cộng (total)", s.total_principal.to_plain_string(), s.total_interest.to_plain_string(),
                          (s.total_principal + s.total_interest).to_plain_string()});
  if (s.equivalent_monthly_rate) {
    // Vietnamese writes the decimal comma ("1,79"), English the point ("1.79").
    std::string percent = format_decimal(*s.equivalent_monthly_rate * 100, 2);
    std::string percent_vi = percent;
    for (auto& c : percent_vi)
      if (c == '.') c = ',';
    table.notes.push_back(fmt::format("Lãi phẳng {} tương đương lãi dư nợ giảm dần {}%/tháng (flat rate equivalent to "
                                      "a declining-balance rate of {}%/month).",
                                      t.rate.to_string(), percent_vi, percent));
  }
  r.json = ordered_json{{"loan", loan.empty() ? ordered_json(nullptr) : ordered_json(loan)},
                        {"currency", std::string(t.principal.currency().code)},
                        {"principal", t.principal.to_plain_string()},
                        {"method", std::string(to_string(t.method))},
                        {"rate", t.rate.to_string()},
                        {"frequency", std::string(to_string(t.frequency))},
                        {"grace", t.grace},
                        {"disbursed_on", t.disbursed_on.to_iso()},
                        {"installments", rows},
                        {"total_principal", s.total_principal.to_plain_string()},
                        {"total_interest", s.total_interest.to_plain_string()},
                        {"equivalent_monthly_rate", s.equivalent_monthly_rate
                                                        ? ordered_json(format_decimal(*s.equivalent_monthly_rate, 4))
                                                        : ordered_json(nullptr)}};
  r.tables.push_back(std::move(table));
  return r;
}

}  // namespace soquy::reports
