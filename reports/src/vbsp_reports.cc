#include "soquy/reports/vbsp_reports.h"

#include <string>

#include <fmt/format.h>

#include "soquy/i18n.h"
#include "soquy/loan_status.h"
#include "soquy/reports/row_stream.h"
#include "human_date.h"

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;

std::string money(Money m) { return m.to_plain_string(); }

std::string place_date(const std::string& place, Date d) {
  return form_place_date(place, d.year(), static_cast<int>(d.month()), static_cast<int>(d.day()));
}

// "xã NAME", unless the unit's name already says what it is ("xã Tân Phú", "phường 1", "thị
// trấn Càng Long"): a commune named "xã Tân Phú" must not print as "xã xã Tân Phú".
std::string commune_words(const std::string& name) {
  static constexpr std::string_view kWords[] = {"xã ",     "Xã ",     "XÃ ",       "phường ",   "Phường ",
                                                "PHƯỜNG ", "thị trấn ", "Thị trấn ", "Thị Trấn ", "THỊ TRẤN "};
  for (auto w : kWords)
    if (name.rfind(w, 0) == 0) return name;
  return fmt::format(fmt::runtime(tr("commune {}")), name);
}

// The header block of a VBSP group's form: the bank, the commune's union, the group.
Form vbsp_group_form(const std::string& group, const std::string& group_name, const std::string& commune,
                     const std::string& commune_name, const std::string& leader) {
  Form f;
  // Group names usually begin "Tổ TK&VV …" already: the prefix is not written twice.
  const std::string shown = group_name.empty() ? group : group_name;
  f.organisation = {tr("VIETNAM BANK FOR SOCIAL POLICIES"),
                    fmt::format(fmt::runtime(tr("Women's Union, {}")),
                                commune_words(commune_name.empty() ? commune : commune_name)),
                    shown.rfind("Tổ ", 0) == 0 ? shown : fmt::format(fmt::runtime(tr("Savings and loan group {}")), shown)};
  f.fields = {{tr("Commune"), commune_name.empty() ? commune : fmt::format("{} ({})", commune_name, commune)},
              {tr("Savings and loan group"), group_name.empty() ? group : fmt::format("{} ({})", group_name, group)},
              {tr("Group leader"), leader.empty() ? "—" : leader}};
  return f;
}

ordered_json figures(const VbspOverdueFigures& f) {
  return {{"loans", f.loans},
          {"outstanding", money(f.outstanding)},
          {"overdue", money(f.overdue)},
          {"frozen", money(f.frozen)},
          {"overdue_ratio", format_ratio(f.overdue_ratio())}};
}

// The bank's principal outstanding of a reconciled loan: none once the bank closed it.
Money bank_outstanding(const VbspReconItem& it) {
  return it.bank ? (it.bank->closed ? Money(0) : it.bank->principal_outstanding) : Money(0);
}

// One reconciled loan in JSON: its issues and causes, both sides, and their differences.
ordered_json reconciliation_item_json(const VbspReconItem& it) {
  ordered_json j;
  j["loan_no"] = it.loan_no;
  j["group_code"] = it.group_code;
  j["issues"] = ordered_json::array();
  for (auto i : it.issues) j["issues"].push_back(std::string(to_string(i)));
  j["causes"] = it.causes;
  if (it.bank) {
    const auto& b = *it.bank;
    j["bank"] = {{"customer_code", b.customer_code},
                 {"borrower_name", b.borrower_name},
                 {"status", b.closed ? "CLOSE" : "OPEN"},
                 {"principal_outstanding", money(b.principal_outstanding)},
                 {"principal_overdue", money(b.principal_overdue)},
                 {"principal_frozen", money(b.principal_frozen)},
                 {"interest_collected", money(b.interest_collected)},
                 {"interest_unpaid", money(b.interest_unpaid)},
                 {"savings_balance", money(b.savings_balance)}};
  } else {
    j["bank"] = nullptr;
  }
  if (it.ledger) {
    const auto& l = *it.ledger;
    j["ledger"] = {{"member", l.member},
                   {"customer_code", l.customer_code},
                   {"borrower_name", l.borrower_name},
                   {"principal_outstanding", money(l.principal_outstanding)},
                   {"interest_collected", money(l.interest_collected)},
                   {"savings_balance", money(l.savings_balance)}};
  } else {
    j["ledger"] = nullptr;
  }
  if (it.bank && it.ledger) {
    j["difference"] = {{"principal_outstanding", money(bank_outstanding(it) - it.ledger->principal_outstanding)},
                       {"interest_collected", money(it.bank->interest_collected - it.ledger->interest_collected)},
                       {"savings_balance", money(it.bank->savings_balance - it.ledger->savings_balance)}};
  } else {
    j["difference"] = nullptr;
  }
  return j;
}

// One row of the table per issue of a reconciled loan, with the two sides' figures in question.
void add_issue_rows(const VbspReconItem& it, Table& t) {
  const Money bank_principal = bank_outstanding(it);
  for (std::size_t k = 0; k < it.issues.size(); ++k) {
    std::string bank, ledger, diff;
    switch (it.issues[k]) {
      case VbspIssue::kMissingInLedger: bank = money(it.bank->principal_outstanding); break;
      case VbspIssue::kMissingInBank: ledger = money(it.ledger->principal_outstanding); break;
      case VbspIssue::kPrincipal:
        bank = money(bank_principal);
        ledger = money(it.ledger->principal_outstanding);
        diff = money(bank_principal - it.ledger->principal_outstanding);
        break;
      case VbspIssue::kInterest:
        bank = money(it.bank->interest_collected);
        ledger = money(it.ledger->interest_collected);
        diff = money(it.bank->interest_collected - it.ledger->interest_collected);
        break;
      case VbspIssue::kSavings:
        bank = money(it.bank->savings_balance);
        ledger = money(it.ledger->savings_balance);
        diff = money(it.bank->savings_balance - it.ledger->savings_balance);
        break;
      case VbspIssue::kIdentity: break;
    }
    t.rows.push_back({it.loan_no, it.group_code, std::string(to_string(it.issues[k])), bank, ledger, diff,
                      it.worded_causes[k]});
  }
}

// This year against the year before, commune by commune (HTML only).
Chart commune_chart(const VbspOverdue& o) {
  const std::string now = human_date(o.as_of), before = human_date(o.compare_to);
  bool named = true;  // communes the registry does not know have no name: label by code then
  for (const auto& row : o.rows) named = named && !row.name.empty();
  Chart c{named ? "name" : "key", "overdue",
          fmt::format(fmt::runtime(tr("Overdue by commune, {} against {}")), now, before,
                      now, before)};
  c.kind = ChartKind::kGroupedBars;
  c.second_column = "overdue_before";
  c.value_legend = fmt::format(fmt::runtime(tr("On {}")), now, now);
  c.second_legend = fmt::format(fmt::runtime(tr("On {}")), before, before);
  return c;
}

// The goal report (overdue must not grow year on year) is a printable form.
Form goal_form(const VbspOverdue& o) {
  Form form;
  form.organisation = {tr("WOMEN'S UNION"), tr("VBSP ENTRUSTED LENDING")};
  form.title = tr("OVERDUE REPORT OF VBSP ENTRUSTED LOANS");
  form.subtitle = fmt::format(fmt::runtime(tr("As of {}, against {}")), human_date(o.as_of), human_date(o.compare_to));
  const bool en = language() == Language::kEn;  // "3,30 %" on a Vietnamese form, "3.30%" in English
  form.fields = {{tr("Outstanding principal"),
                  fmt::format(fmt::runtime(tr("{} VND")), o.total_now.outstanding.to_grouped_string())},
                 {trc("vbsp", "Overdue principal"),
                  fmt::format(fmt::runtime(tr("{} VND (ratio {})")), o.total_now.overdue.to_grouped_string(),
                              percent_text(format_ratio(o.total_now.overdue_ratio()), en))},
                 {fmt::format(fmt::runtime(tr("Overdue principal on {}")), human_date(o.compare_to)),
                  fmt::format(fmt::runtime(tr("{} VND (ratio {})")), o.total_before.overdue.to_grouped_string(),
                              percent_text(format_ratio(o.total_before.overdue_ratio()), en))},
                 {tr("Comparison"), o.total_grew ? tr("overdue principal GREW") : tr("overdue principal did not grow")}};
  form.place_date = place_date("", o.as_of);
  form.signatures = {{tr("Prepared by"), ""}, {tr("Union chair"), ""}};
  return form;
}

}  // namespace

namespace {

// The reconciliation without its items (the skeleton of a streamed report) or with them.
Report reconciliation_report(const VbspReconciliation& r, bool with_items) {
  Report out;
  const auto& s = r.summary;
  ordered_json items = ordered_json::array();
  Table t{fmt::format(fmt::runtime(tr("VBSP reconciliation of principal, interest and savings as of {} (statement "
                                      "{} – {}, version {})")),
                      human_date(r.as_of), r.period_from.to_iso(), r.as_of.to_iso(), r.statement_version),
          {{"loan_no", tr("Loan agreement"), CellKind::kText},
           {"group_code", tr("Group code"), CellKind::kText},
           {"issue", tr("Issue"), CellKind::kText},
           {"bank", tr("Bank"), CellKind::kMoney},
           {"ledger", tr("Union"), CellKind::kMoney},
           {"difference", tr("Difference bank − union"), CellKind::kMoney},
           {"cause", tr("Cause"), CellKind::kText}}};
  if (with_items)
    for (const auto& it : r.items) {
      items.push_back(reconciliation_item_json(it));
      add_issue_rows(it, t);
    }
  out.json["as_of"] = r.as_of.to_iso();
  out.json["period_from"] = r.period_from.to_iso();
  out.json["statement_version"] = r.statement_version;
  out.json["group"] = r.group.empty() ? ordered_json(nullptr) : ordered_json(r.group);
  out.json["summary"] = {{"loans", s.loans},
                         {"matched", s.matched},
                         {"missing_in_ledger", s.missing_in_ledger},
                         {"missing_in_bank", s.missing_in_bank},
                         {"principal_mismatch", s.principal_mismatch},
                         {"interest_mismatch", s.interest_mismatch},
                         {"savings_mismatch", s.savings_mismatch},
                         {"identity_mismatch", s.identity_mismatch}};
  out.json["items"] = std::move(items);
  t.notes.push_back(fmt::format(
      fmt::runtime(tr("{} loans: {} matched; missing in the ledger {}, missing at the bank {}, principal differs {}, "
                      "interest differs {}, savings differ {}, identity differs {}")),
      s.loans, s.matched, s.missing_in_ledger, s.missing_in_bank, s.principal_mismatch, s.interest_mismatch,
      s.savings_mismatch, s.identity_mismatch));
  out.tables.push_back(std::move(t));
  return out;
}

Result<void> write_item(RowSink& sink, const VbspReconItem& it) {
  Table scratch;
  add_issue_rows(it, scratch);
  return sink.row_lines(reconciliation_item_json(it), std::move(scratch.rows));
}

}  // namespace

Report vbsp_reconciliation(const VbspReconciliation& r) { return reconciliation_report(r, true); }

Result<void> write_vbsp_reconciliation(const VbspReconciliation& r, Format format, std::ostream& out,
                                       const RenderOptions& options) {
  if (!streams(format)) {
    std::size_t lines = 0;
    for (const auto& it : r.items) lines += it.issues.size();
    if ((format == Format::kXlsx || format == Format::kHtml) && lines > document_row_limit())
      return fail(too_many_rows(format, document_row_limit()));
    return render(vbsp_reconciliation(r), format, out, options);
  }
  auto sink = RowSink::open(reconciliation_report(r, false), "/items", format, out, options);
  if (!sink) return fail(sink.error());
  for (const auto& it : r.items)
    if (auto ok = write_item(*sink, it); !ok) return ok;
  return sink->finish();
}

Result<VbspReconSummary> write_vbsp_reconciliation(Vbsp& vbsp, Date as_of, const std::string& group, Format format,
                                                   std::ostream& out, const RenderOptions& options,
                                                   const std::function<void(std::int64_t, std::int64_t)>& on_progress) {
  const auto discard = [](const VbspReconItem&) {};
  if (!streams(format)) {
    auto r = vbsp.reconcile(as_of, group, on_progress);
    if (!r) return fail(r.error());
    if (auto ok = write_vbsp_reconciliation(*r, format, out, options); !ok) return fail(ok.error());
    return r->summary;
  }
  // The summary comes before the items in the JSON: a first pass counts, the second writes.
  auto head = vbsp.reconcile(as_of, group, on_progress, discard);
  if (!head) return fail(head.error());
  auto sink = RowSink::open(reconciliation_report(*head, false), "/items", format, out, options);
  if (!sink) return fail(sink.error());
  Result<void> written;
  auto again = vbsp.reconcile(as_of, group, {}, [&](const VbspReconItem& it) {
    if (written) written = write_item(*sink, it);
  });
  if (!again) return fail(again.error());
  if (!written) return fail(written.error());
  if (auto ok = sink->finish(); !ok) return fail(ok.error());
  return head->summary;
}

Report vbsp_overdue(const VbspOverdue& o) {
  Report out;
  ordered_json rows = ordered_json::array();
  Table t{fmt::format(fmt::runtime(tr("VBSP overdue on {} against {}")),
                      human_date(o.as_of), human_date(o.compare_to), to_string(o.by)),
          {{"key", tr("Code"), CellKind::kText},
           {"name", tr("Name"), CellKind::kText},
           {"loans", trc("vbsp", "Number of loans"), CellKind::kInteger},
           {"outstanding", trc("vbsp", "Outstanding"), CellKind::kMoney},
           {"overdue", trc("vbsp", "Overdue"), CellKind::kMoney},
           {"frozen", tr("Frozen"), CellKind::kMoney},
           {"overdue_ratio", tr("Overdue ratio"), CellKind::kRatio},
           {"overdue_before", tr("Overdue before"), CellKind::kMoney},
           {"ratio_before", tr("Ratio before"), CellKind::kRatio},
           {"grew", tr("Grew"), CellKind::kText}}};
  for (const auto& r : o.rows) {
    ordered_json j = {{"key", r.key}, {"name", r.name}};
    const ordered_json now = figures(r.now);  // kept alive while iterated
    for (const auto& [k, v] : now.items()) j[k] = v;
    j["before"] = r.before ? figures(*r.before) : ordered_json(nullptr);
    j["grew"] = r.grew;
    rows.push_back(std::move(j));
    t.rows.push_back({r.key, r.name, std::to_string(r.now.loans), money(r.now.outstanding), money(r.now.overdue),
                      money(r.now.frozen), format_ratio(r.now.overdue_ratio()),
                      r.before ? money(r.before->overdue) : "", r.before ? format_ratio(r.before->overdue_ratio()) : "",
                      r.grew ? tr("GREW") : ""});
  }
  out.json = {{"as_of", o.as_of.to_iso()}, {"compare_to", o.compare_to.to_iso()}, {"by", std::string(to_string(o.by))}};
  out.json["rows"] = std::move(rows);
  ordered_json total = figures(o.total_now);
  total["before"] = figures(o.total_before);
  total["grew"] = o.total_grew;
  out.json["total"] = std::move(total);
  t.totals.push_back({tr("In total"), "", std::to_string(o.total_now.loans), money(o.total_now.outstanding),
                      money(o.total_now.overdue), money(o.total_now.frozen), format_ratio(o.total_now.overdue_ratio()),
                      money(o.total_before.overdue), format_ratio(o.total_before.overdue_ratio()),
                      o.total_grew ? tr("GREW") : ""});
  if (o.by == VbspOverdueBy::kCommune && !t.rows.empty()) t.chart = commune_chart(o);
  out.tables.push_back(std::move(t));
  out.form = goal_form(o);
  return out;
}

Report vbsp_session(const VbspSessionCheck& s) {
  Report out;
  const char* status = s.gap.is_zero()       ? N_("ok")
                       : s.gap.is_negative() ? N_("cash without receipts")
                                             : N_("possible misappropriation");
  ordered_json lines = ordered_json::array();
  Table t{fmt::format(fmt::runtime(tr("Session check of group {} on {}, receipts {} – {}")), s.group,
                      human_date(s.date), s.from.to_iso(), s.date.to_iso()),
          {{"loan_no", tr("Loan agreement"), CellKind::kText},
           {"member", tr("Member code"), CellKind::kText},
           {"borrower_name", tr("Full name"), CellKind::kText},
           {"interest", tr("Interest"), CellKind::kMoney},
           {"savings", tr("Savings"), CellKind::kMoney}}};
  for (const auto& l : s.lines) {
    if (l.interest.is_zero() && l.savings.is_zero()) continue;  // a withdrawal only: not a receipt
    lines.push_back({{"loan_no", l.loan_no},
                     {"member", l.member},
                     {"borrower_name", l.borrower_name},
                     {"interest", money(l.interest)},
                     {"savings", money(l.savings)}});
    t.rows.push_back({l.loan_no, l.member, l.borrower_name, money(l.interest), money(l.savings)});
  }
  t.totals.push_back({tr("Total receipts"), "", "", money(s.interest), money(s.savings)});
  t.notes.push_back(fmt::format(fmt::runtime(tr("Receipts {}; cash paid in {}; gap {}: {}")),
                                s.receipts.to_grouped_string(), s.cash_paid_in.to_grouped_string(),
                                s.gap.to_grouped_string(), tr(status)));
  out.json = {{"group", s.group},
              {"from", s.from.to_iso()},
              {"date", s.date.to_iso()},
              {"interest", money(s.interest)},
              {"savings", money(s.savings)},
              {"receipts", money(s.receipts)},
              {"cash_paid_in", money(s.cash_paid_in)},
              {"gap", money(s.gap)},
              {"status", status}};
  out.json["lines"] = std::move(lines);
  out.tables.push_back(std::move(t));
  return out;
}

Report vbsp_form_15td(const VbspForm15& f) {
  Report out;
  auto opt = [](const std::optional<Money>& m) { return m ? money(*m) : std::string(); };
  ordered_json lines = ordered_json::array();
  Table t{fmt::format(fmt::runtime(tr("Form 15/TD — statement reconciling loans and savings — {} ({}), group {} ({}), "
                                      "leader {}, as of {}")),
                      commune_words(f.commune_name), f.commune, f.group_name, f.group, f.leader.empty() ? "—" : f.leader,
                      human_date(f.as_of)),
          {{"loan_no", tr("Loan agreement"), CellKind::kText},
           {"borrower_name", tr("Full name"), CellKind::kText},
           {"bank_principal", tr("Bank: principal"), CellKind::kMoney},
           {"bank_interest_unpaid", tr("Bank: interest owed"), CellKind::kMoney},
           {"bank_savings", tr("Bank: savings"), CellKind::kMoney},
           {"union_principal", tr("Member: principal"), CellKind::kMoney},
           {"union_interest_unpaid", tr("Member: interest owed"), CellKind::kMoney},
           {"union_savings", tr("Member: savings"), CellKind::kMoney},
           {"principal_difference", tr("Principal difference"), CellKind::kMoney},
           {"savings_difference", tr("Savings difference"), CellKind::kMoney},
           {"cause", tr("Cause"), CellKind::kText},
           {"signature", tr("Signature"), CellKind::kText}}};
  for (const auto& l : f.lines) {
    ordered_json j = {{"loan_no", l.loan_no}, {"member", l.member}, {"borrower_name", l.borrower_name},
                      {"programme", l.programme}};
    j["bank"] = l.bank_principal ? ordered_json{{"principal", money(*l.bank_principal)},
                                                {"interest_unpaid", opt(l.bank_interest_unpaid)},
                                                {"savings", opt(l.bank_savings)}}
                                 : ordered_json(nullptr);
    j["union"] = l.union_principal
                     ? ordered_json{{"principal", money(*l.union_principal)}, {"savings", opt(l.union_savings)}}
                     : ordered_json(nullptr);
    j["difference"] = {{"principal", money(l.principal_difference)}, {"savings", money(l.savings_difference)}};
    j["cause"] = "";
    j["signature"] = "";
    lines.push_back(std::move(j));
    t.rows.push_back({l.loan_no, l.borrower_name, opt(l.bank_principal), opt(l.bank_interest_unpaid),
                      opt(l.bank_savings), opt(l.union_principal), "", opt(l.union_savings),
                      money(l.principal_difference), money(l.savings_difference), "", ""});
  }
  t.totals.push_back({trc("vbsp", "Total"), "", money(f.bank_principal), money(f.bank_interest_unpaid), money(f.bank_savings),
                      money(f.union_principal), "", money(f.union_savings), money(f.principal_difference),
                      money(f.savings_difference), "", ""});
  out.json = {{"form", "15/TD"},          {"group", f.group},   {"group_name", f.group_name},
              {"commune", f.commune},     {"commune_name", f.commune_name}, {"leader", f.leader},
              {"as_of", f.as_of.to_iso()}};
  out.json["lines"] = std::move(lines);
  out.json["totals"] = {{"bank_principal", money(f.bank_principal)},
                        {"bank_interest_unpaid", money(f.bank_interest_unpaid)},
                        {"bank_savings", money(f.bank_savings)},
                        {"union_principal", money(f.union_principal)},
                        {"union_savings", money(f.union_savings)},
                        {"principal_difference", money(f.principal_difference)},
                        {"savings_difference", money(f.savings_difference)}};
  out.json["loans_with_difference"] = f.loans_with_difference;
  out.tables.push_back(std::move(t));
  Form form = vbsp_group_form(f.group, f.group_name, f.commune, f.commune_name, f.leader);
  form.code = tr("Form 15/TD");
  form.title = tr("STATEMENT RECONCILING LOANS AND SAVINGS");
  form.subtitle = fmt::format(fmt::runtime(tr("As of {}")), human_date(f.as_of));
  form.fields.push_back({tr("Loans with a difference"), std::to_string(f.loans_with_difference)});
  form.place_date = place_date(f.commune_name, f.as_of);
  form.signatures = {{tr("Group leader"), f.leader}, {tr("VBSP officer"), ""}, {tr("For the commune Women's Union"), ""}};
  out.form = std::move(form);
  return out;
}

Report vbsp_minutes(const VbspForm15& f, const VbspReconciliation& r) {
  Report out;
  auto three = [](Money bank, Money mine) {
    return ordered_json{{"bank", money(bank)}, {"union", money(mine)}, {"difference", money(bank - mine)}};
  };
  const auto& s = r.summary;
  out.json = {{"minutes", "biên bản đối chiếu"}, {"group", f.group},   {"group_name", f.group_name},
              {"commune", f.commune},            {"commune_name", f.commune_name}, {"leader", f.leader},
              {"as_of", f.as_of.to_iso()},       {"period_from", r.period_from.to_iso()}};
  out.json["summary"] = {{"loans", s.loans},
                         {"matched", s.matched},
                         {"missing_in_ledger", s.missing_in_ledger},
                         {"missing_in_bank", s.missing_in_bank},
                         {"principal_mismatch", s.principal_mismatch},
                         {"interest_mismatch", s.interest_mismatch},
                         {"savings_mismatch", s.savings_mismatch},
                         {"identity_mismatch", s.identity_mismatch}};
  out.json["totals"] = {{"principal", three(f.bank_principal, f.union_principal)},
                        {"interest_collected", three(f.bank_interest_collected, f.union_interest_collected)},
                        {"savings", three(f.bank_savings, f.union_savings)},
                        {"interest_unpaid", {{"bank", money(f.bank_interest_unpaid)}}}};
  ordered_json diffs = ordered_json::array();
  for (const auto& it : r.items) {
    ordered_json issues = ordered_json::array();
    for (auto i : it.issues) issues.push_back(std::string(to_string(i)));
    diffs.push_back({{"loan_no", it.loan_no}, {"issues", std::move(issues)}, {"causes", it.causes}});
  }
  out.json["differences"] = std::move(diffs);
  Table t{fmt::format(fmt::runtime(tr("Reconciliation minutes — group {} ({}), {} ({}), leader {}, as of {}")),
                      f.group_name, f.group, commune_words(f.commune_name), f.commune, f.leader.empty() ? "—" : f.leader,
                      human_date(f.as_of)),
          {{"item", trc("vbsp", "Item"), CellKind::kText},
           {"bank", tr("Bank"), CellKind::kMoney},
           {"union", tr("Group/union"), CellKind::kMoney},
           {"difference", tr("Difference"), CellKind::kMoney}}};
  t.rows.push_back({trc("vbsp", "Principal outstanding"), money(f.bank_principal), money(f.union_principal),
                    money(f.bank_principal - f.union_principal)});
  t.rows.push_back({fmt::format(fmt::runtime(tr("Interest collected {} – {}")), human_date(r.period_from),
                                human_date(f.as_of)),
                    money(f.bank_interest_collected), money(f.union_interest_collected),
                    money(f.bank_interest_collected - f.union_interest_collected)});
  t.rows.push_back({tr("Savings"), money(f.bank_savings), money(f.union_savings),
                    money(f.bank_savings - f.union_savings)});
  t.rows.push_back({tr("Interest owed"), money(f.bank_interest_unpaid), "", ""});
  t.notes.push_back(fmt::format(fmt::runtime(tr("{} loans, {} matched, {} with differences")), s.loans,
                                s.matched, s.loans - s.matched));
  for (const auto& it : r.items)
    for (const auto& c : it.worded_causes) t.notes.push_back(fmt::format("{}: {}", it.loan_no, c));
  out.tables.push_back(std::move(t));
  Form form = vbsp_group_form(f.group, f.group_name, f.commune, f.commune_name, f.leader);
  form.title = tr("RECONCILIATION MINUTES");
  form.subtitle = fmt::format(fmt::runtime(tr("Principal, interest and savings with the VBSP as of {} (statement period from {})")),
                              human_date(f.as_of), human_date(r.period_from));
  form.place_date = place_date(f.commune_name, f.as_of);
  form.signatures = {{tr("For the VBSP"), ""}, {tr("For the Women's Union"), ""}, {tr("Group leader"), f.leader}};
  out.form = std::move(form);
  return out;
}

Report vbsp_form_13td(const VbspSessionCheck& s) {
  Report out;
  ordered_json lines = ordered_json::array();
  Table t{fmt::format(fmt::runtime(tr("Form 13/TD — interest and savings collected — group {} ({}), from {} to {}")),
                      s.group_name, s.group, human_date(s.from), human_date(s.date)),
          {{"loan_no", tr("Loan agreement"), CellKind::kText},
           {"member", tr("Member code"), CellKind::kText},
           {"borrower_name", tr("Full name"), CellKind::kText},
           {"interest", tr("Interest collected"), CellKind::kMoney},
           {"savings_in", tr("Savings in"), CellKind::kMoney},
           {"savings_out", tr("Savings out"), CellKind::kMoney},
           {"total", tr("Total collected"), CellKind::kMoney},
           {"signature", tr("Signature of receipt"), CellKind::kText}}};
  for (const auto& l : s.lines) {
    const Money total = l.interest + l.savings;
    lines.push_back({{"loan_no", l.loan_no},
                     {"member", l.member},
                     {"borrower_name", l.borrower_name},
                     {"interest", money(l.interest)},
                     {"savings_in", money(l.savings)},
                     {"savings_out", money(l.savings_out)},
                     {"total", money(total)}});
    t.rows.push_back({l.loan_no, l.member, l.borrower_name, money(l.interest), money(l.savings), money(l.savings_out),
                      money(total), ""});
  }
  t.totals.push_back({trc("vbsp", "Total"), "", "", money(s.interest), money(s.savings), money(s.savings_out),
                      money(s.receipts), ""});
  t.notes.push_back(
      tr("Total collected = interest + savings in: the money the group leader collects and pays in at the "
         "transaction point; savings withdrawals are not deducted from it."));
  out.json = {{"form", "13/TD"},       {"group", s.group},   {"group_name", s.group_name}, {"commune", s.commune},
              {"commune_name", s.commune_name}, {"leader", s.leader}, {"from", s.from.to_iso()},
              {"date", s.date.to_iso()}};
  out.json["lines"] = std::move(lines);
  out.json["totals"] = {{"interest", money(s.interest)},
                        {"savings_in", money(s.savings)},
                        {"savings_out", money(s.savings_out)},
                        {"total", money(s.receipts)}};
  out.tables.push_back(std::move(t));
  Form form = vbsp_group_form(s.group, s.group_name, s.commune, s.commune_name, s.leader);
  form.code = tr("Form 13/TD");
  form.title = tr("STATEMENT OF INTEREST AND SAVINGS COLLECTED");
  form.subtitle = fmt::format(fmt::runtime(tr("From {} to {}")), human_date(s.from), human_date(s.date));
  form.fields.push_back({tr("Transaction date"), human_date(s.date)});
  form.fields.push_back({tr("Total money collected"), fmt::format(fmt::runtime(tr("{} VND")), s.receipts.to_grouped_string())});
  form.place_date = place_date(s.commune_name, s.date);
  form.signatures = {{tr("Group leader"), s.leader}, {tr("VBSP officer"), ""}, {tr("For the commune Women's Union"), ""}};
  out.form = std::move(form);
  return out;
}

}  // namespace soquy::reports
