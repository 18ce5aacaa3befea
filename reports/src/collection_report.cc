#include "soquy/reports/collection_report.h"

#include <string>

#include <fmt/format.h>

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;

std::string amount(const Money& m) { return std::to_string(m.minor_units()); }

}  // namespace

Report collection_sheet(const CollectionSheet& sheet) {
  Report r;
  auto& j = r.json;
  j["group"] = sheet.group;
  j["group_name"] = sheet.group_name;
  j["date"] = sheet.date.to_iso();
  j["currency"] = std::string(kVnd.code);
  j["lines"] = ordered_json::array();
  Money installment, arrears, savings, savings_arrears, total;
  Table t(fmt::format("Phiếu thu nợ tổ {} — {}, buổi họp ngày {}", sheet.group, sheet.group_name,
                      sheet.date.to_vietnamese()),
          {{"member", "Mã HV"},
           {"member_name", "Họ tên"},
           {"loan", "Khoản vay"},
           {"installment", "Kỳ này", CellKind::kMoney},
           {"arrears", "Nợ quá hạn", CellKind::kMoney},
           {"savings_due", "Tiết kiệm bắt buộc", CellKind::kMoney},
           {"savings_arrears", "TK còn thiếu", CellKind::kMoney},
           {"total", "Tổng phải thu", CellKind::kMoney},
           {"days_past_due", "Số ngày QH", CellKind::kInteger},
           {"amount", "Thực thu", CellKind::kMoney},
           {"savings", "TK thực thu", CellKind::kMoney},
           {"prepay", "Trả trước"}});
  for (const auto& l : sheet.lines) {
    j["lines"].push_back(ordered_json{{"member", l.member},
                                      {"member_name", l.member_name},
                                      {"loan", l.loan},
                                      {"installment", amount(l.installment)},
                                      {"arrears", amount(l.arrears)},
                                      {"savings", amount(l.savings)},
                                      {"savings_arrears", amount(l.savings_arrears)},
                                      {"total", amount(l.total())},
                                      {"days_past_due", l.days_past_due},
                                      {"outstanding_principal", amount(l.outstanding_principal)}});
    t.rows.push_back({l.member, l.member_name, l.loan, amount(l.installment), amount(l.arrears), amount(l.savings),
                      amount(l.savings_arrears), amount(l.total()), std::to_string(l.days_past_due), "", "", ""});
    installment += l.installment;
    arrears += l.arrears;
    savings += l.savings;
    savings_arrears += l.savings_arrears;
    total += l.total();
  }
  j["totals"] = ordered_json{{"installment", amount(installment)},
                             {"arrears", amount(arrears)},
                             {"savings", amount(savings)},
                             {"savings_arrears", amount(savings_arrears)},
                             {"total", amount(total)}};
  t.totals.push_back({fmt::format("Tổng cộng ({} khoản vay)", sheet.lines.size()), "", "", amount(installment),
                      amount(arrears), amount(savings), amount(savings_arrears), amount(total), "", "", "", ""});
  t.notes = {
      "Kỳ này: gốc và lãi các kỳ đến hạn trong kỳ họp này chưa trả; Nợ quá hạn: các kỳ trước chưa trả và tiền phạt.",
      "TK còn thiếu: tiết kiệm bắt buộc các kỳ trước chưa nộp. Trả trước: ghi x nếu số thực thu lớn hơn số phải trả "
      "(trả nợ trước hạn).",
  };
  r.tables.push_back(std::move(t));
  // The printable form: what the treasurer takes to the meeting and signs with the leader.
  Form f;
  f.organisation = {"HỘI LIÊN HIỆP PHỤ NỮ", "QUỸ HỖ TRỢ PHỤ NỮ PHÁT TRIỂN"};
  f.title = "PHIẾU THU NỢ";
  f.subtitle = fmt::format("Buổi họp tổ ngày {}", sheet.date.to_vietnamese());
  f.fields = {{"Tổ", fmt::format("{} — {}", sheet.group, sheet.group_name)},
              {"Ngày họp", sheet.date.to_vietnamese()},
              {"Số khoản vay", std::to_string(sheet.lines.size())},
              {"Tổng phải thu", total.to_grouped_string() + " đồng"}};
  f.place_date = form_place_date("", sheet.date.year(), static_cast<int>(sheet.date.month()),
                                 static_cast<int>(sheet.date.day()));
  f.signatures = {{"Thủ quỹ", ""}, {"Tổ trưởng", ""}};
  r.form = std::move(f);
  return r;
}

Report collection_recorded(const std::string& group, Date date, const CollectionRecord& record) {
  Report r;
  auto& j = r.json;
  j["group"] = group;
  j["date"] = date.to_iso();
  j["created"] = record.created;
  j["unchanged"] = record.unchanged;
  j["receipts"] = ordered_json::array();
  Table t(fmt::format("Đã ghi buổi thu nợ tổ {} ngày {}: {} phiếu mới, {} đã có", group, date.to_vietnamese(),
                      record.created, record.unchanged),
          {{"loan", "Khoản vay"},
           {"receipt", "Biên lai"},
           {"amount", "Số tiền", CellKind::kMoney},
           {"savings", "Tiết kiệm", CellKind::kMoney},
           {"principal", "Gốc", CellKind::kMoney},
           {"interest", "Lãi", CellKind::kMoney},
           {"penalty", "Phạt", CellKind::kMoney},
           {"overpayment", "Trả thừa", CellKind::kMoney},
           {"entry", "Bút toán", CellKind::kInteger},
           {"created", "Mới"}});
  Money amount_total, savings_total;
  for (const auto& res : record.results) {
    const auto& e = res.event;
    j["receipts"].push_back(ordered_json{{"loan", res.after.loan},
                                         {"receipt", e.client_id},
                                         {"amount", amount(e.amount)},
                                         {"savings", amount(e.savings)},
                                         {"principal", amount(e.principal)},
                                         {"interest", amount(e.interest)},
                                         {"penalty", amount(e.penalty)},
                                         {"overpayment", amount(e.overpayment)},
                                         {"entry", res.entry.id},
                                         {"created", res.created}});
    t.rows.push_back({res.after.loan, e.client_id, amount(e.amount), amount(e.savings), amount(e.principal),
                      amount(e.interest), amount(e.penalty), amount(e.overpayment), std::to_string(res.entry.id),
                      res.created ? "có" : "đã có"});
    amount_total += e.amount;
    savings_total += e.savings;
  }
  j["totals"] = ordered_json{{"amount", amount(amount_total)}, {"savings", amount(savings_total)}};
  t.totals.push_back({"Tổng cộng", "", amount(amount_total), amount(savings_total), "", "", "", "", "", ""});
  r.tables.push_back(std::move(t));
  return r;
}

Report collection_reversed(const CollectionReversal& rev) {
  Report r;
  auto& j = r.json;
  j["group"] = rev.group;
  j["date"] = rev.date.to_iso();
  j["created"] = rev.created;
  j["rows"] = ordered_json::array();
  Table t(fmt::format("Đảo phiếu thu nợ tổ {} ngày {} (collection sheet reversed): {} dòng (rows){}", rev.group,
                      rev.date.to_vietnamese(), rev.rows.size(),
                      rev.created ? "" : " — đã đảo trước đó (already reversed)"),
          {{"original", "Bút toán gốc (Original)", CellKind::kInteger},
           {"entry", "Bút toán (Entry)", CellKind::kInteger},
           {"date", "Ngày (Date)", CellKind::kDate},
           {"memo", "Diễn giải (Memo)"}});
  for (const auto& c : rev.rows) {
    ordered_json entries = ordered_json::array();
    for (const auto& e : c.entries) {
      entries.push_back(ordered_json{{"entry", e.id},
                                     {"date", e.date.to_iso()},
                                     {"reverses", e.reverses ? ordered_json(*e.reverses) : ordered_json(nullptr)},
                                     {"memo", e.memo},
                                     {"created", c.created}});
      t.rows.push_back({std::to_string(c.original.id), std::to_string(e.id), e.date.to_iso(), e.memo});
    }
    j["rows"].push_back(ordered_json{{"loan", c.original.owner ? c.original.owner->record : std::string()},
                                     {"original", c.original.id},
                                     {"entries", entries},
                                     {"notes", c.notes}});
    for (const auto& n : c.notes) t.notes.push_back(n);
  }
  r.tables.push_back(std::move(t));
  return r;
}

}  // namespace soquy::reports
