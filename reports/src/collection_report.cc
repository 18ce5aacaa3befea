#include "soquy/reports/collection_report.h"
#include "human_date.h"
#include "soquy/i18n.h"

#include <string>

#include <fmt/format.h>

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;

std::string amount(const Money& m) { return std::to_string(m.minor_units()); }

// The printable form: what the treasurer takes to the meeting and signs with the leader.
Form sheet_form(const CollectionSheet& sheet, Money total) {
  Form f;
  f.organisation = {tr("WOMEN'S UNION"), tr("WOMEN'S DEVELOPMENT SUPPORT FUND")};
  f.title = tr("LOAN COLLECTION SHEET");
  f.subtitle = fmt::format(fmt::runtime(tr("Group meeting of {}")), human_date(sheet.date));
  f.fields = {{tr("Group"), fmt::format("{} — {}", sheet.group, sheet.group_name)},
              {tr("Meeting date"), human_date(sheet.date)},
              {tr("Number of loans"), std::to_string(sheet.lines.size())},
              {tr("Total due"), fmt::format(fmt::runtime(tr("{} dong")), total.to_grouped_string())}};
  f.place_date = form_place_date("", sheet.date.year(), static_cast<int>(sheet.date.month()),
                                 static_cast<int>(sheet.date.day()));
  f.signatures = {{tr("Treasurer"), ""}, {tr("Group leader"), ""}};
  return f;
}

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
  Table t(fmt::format(fmt::runtime(tr("Collection sheet for group {} — {}, meeting of {}")), sheet.group,
                      sheet.group_name, human_date(sheet.date)),
          {{"member", tr("Member ID")},
           {"member_name", tr("Full name")},
           {"loan", tr("Loan")},
           {"installment", tr("This instalment"), CellKind::kMoney},
           {"arrears", tr("Overdue"), CellKind::kMoney},
           {"savings_due", tr("Compulsory savings"), CellKind::kMoney},
           {"savings_arrears", tr("Savings owed"), CellKind::kMoney},
           {"total", tr("Total due"), CellKind::kMoney},
           {"days_past_due", tr("Days overdue"), CellKind::kInteger},
           {"amount", tr("Received"), CellKind::kMoney},
           {"savings", tr("Savings received"), CellKind::kMoney},
           {"prepay", tr("Prepaid")}});
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
  t.totals.push_back({fmt::format(fmt::runtime(trn("Total of {} loan", "Total of {} loans", sheet.lines.size())),
                                  sheet.lines.size()), "", "", amount(installment),
                      amount(arrears), amount(savings), amount(savings_arrears), amount(total), "", "", "", ""});
  t.notes = {
      tr("This instalment: the principal and interest falling due at this meeting and not yet paid; Overdue: the "
         "earlier instalments not paid, and the penalties."),
      tr("Savings owed: the compulsory savings of earlier periods not yet paid in. Prepaid: mark x when the amount "
         "received is more than the amount due (early repayment)."),
  };
  r.tables.push_back(std::move(t));
  r.form = sheet_form(sheet, total);
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
  Table t(fmt::format(fmt::runtime(tr("Collection of group {} on {} recorded: {} new receipts, {} already there")),
                      group, human_date(date), record.created, record.unchanged),
          {{"loan", tr("Loan")},
           {"receipt", tr("Receipt slip")},
           {"amount", tr("Amount"), CellKind::kMoney},
           {"savings", tr("Savings"), CellKind::kMoney},
           {"principal", tr("Principal"), CellKind::kMoney},
           {"interest", tr("Interest"), CellKind::kMoney},
           {"penalty", tr("Penalty"), CellKind::kMoney},
           {"overpayment", tr("Overpaid"), CellKind::kMoney},
           {"entry", tr("Entry"), CellKind::kInteger},
           {"created", tr("New")}});
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
                      res.created ? tr("yes") : tr("already there")});
    amount_total += e.amount;
    savings_total += e.savings;
  }
  j["totals"] = ordered_json{{"amount", amount(amount_total)}, {"savings", amount(savings_total)}};
  t.totals.push_back({tr("Grand total"), "", amount(amount_total), amount(savings_total), "", "", "", "", "", ""});
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
  Table t(fmt::format(fmt::runtime(rev.created ? tr("Collection sheet of group {} on {} reversed: {} rows")
                                              : tr("Collection sheet of group {} on {} reversed: {} rows — already reversed")),
                      rev.group, human_date(rev.date), rev.rows.size()),
          {{"original", tr("Original entry"), CellKind::kInteger},
           {"entry", tr("Entry"), CellKind::kInteger},
           {"date", tr("Date"), CellKind::kDate},
           {"memo", tr("Memo")}});
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
