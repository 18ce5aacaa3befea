#include "soquy/reports/loan_reports.h"
#include "human_date.h"
#include "soquy/i18n.h"

#include <fmt/format.h>

#include "soquy/loan_status.h"
#include "soquy/rate.h"

namespace soquy::reports {

using nlohmann::ordered_json;

namespace {

// "Repayment schedule of loan L1 — 10.000.000 dong, flat 1.5%/month, 12 instalments (monthly), disbursed …".
std::string schedule_title(const std::string& loan, const LoanTerms& t) {
  const std::string head = loan.empty() ? std::string(tr("Repayment schedule (preview)"))
                                        : fmt::format(fmt::runtime(tr("Repayment schedule of loan {}")), loan);
  const std::string grace =
      t.grace > 0 ? fmt::format(fmt::runtime(trn(", principal grace of {} instalment", ", principal grace of {} instalments",
                                                 static_cast<unsigned long>(t.grace))),
                                t.grace)
                  : "";
  return fmt::format(fmt::runtime(trn("{} — {} dong, {} {}, {} instalment ({}){}, disbursed {}",
                                      "{} — {} dong, {} {}, {} instalments ({}){}, disbursed {}",
                                      static_cast<unsigned long>(t.installments))),
                     head, t.principal.to_grouped_string(), to_string(t.method), t.rate.to_string(), t.installments,
                     to_string(t.frequency), grace, human_date(t.disbursed_on));
}

}  // namespace

Report loan_schedule(const std::string& loan, const LoanTerms& t, const LoanSchedule& s) {
  Report r;
  ordered_json rows = ordered_json::array();
  Table table(schedule_title(loan, t),
              {{"n", tr("Instalment"), CellKind::kInteger},
               {"due_on", tr("Due"), CellKind::kDate},
               {"principal", tr("Principal"), CellKind::kMoney},
               {"interest", tr("Interest"), CellKind::kMoney},
               {"total", tr("Instalment total"), CellKind::kMoney}});
  for (const auto& i : s.installments) {
    rows.push_back(ordered_json{{"n", i.n},
                                {"due_on", i.due_on.to_iso()},
                                {"principal", i.principal.to_plain_string()},
                                {"interest", i.interest.to_plain_string()},
                                {"total", i.total.to_plain_string()}});
    table.rows.push_back({std::to_string(i.n), i.due_on.to_iso(), i.principal.to_plain_string(),
                          i.interest.to_plain_string(), i.total.to_plain_string()});
  }
  table.totals.push_back({"", tr("Total"), s.total_principal.to_plain_string(), s.total_interest.to_plain_string(),
                          (s.total_principal + s.total_interest).to_plain_string()});
  if (s.equivalent_monthly_rate) {
    // Vietnamese writes the decimal comma ("1,79"), English the point ("1.79").
    std::string percent = format_decimal(*s.equivalent_monthly_rate * 100, 2);
    if (language() == Language::kVi)
      for (auto& c : percent)
        if (c == '.') c = ',';
    table.notes.push_back(
        fmt::format(fmt::runtime(tr("Flat rate {} is equivalent to a declining-balance rate of {}%/month.")),
                    t.rate.to_string(), percent));
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

namespace {

ordered_json money_json(Money m) { return m.to_plain_string(); }
ordered_json opt_text(const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }

// The last extension or rescheduling on or before `as_of`, if any.
const LoanEvent* restructuring(const std::vector<LoanEvent>& events, Date as_of) {
  const LoanEvent* last = nullptr;
  for (const auto& e : events) {
    if (e.on > as_of) break;
    if (e.kind == LoanEventKind::kExtend || e.kind == LoanEventKind::kReschedule) last = &e;
  }
  return last;
}

bool in_portfolio(LoanStatus s) { return s == LoanStatus::kActive || s == LoanStatus::kFrozen; }

// The columns of one loan's position (loan list, loan show, the loan after a repayment).
std::vector<Column> position_columns() {
  return {{"loan", tr("Loan")},
          {"member", tr("Member")},
          {"group", tr("Group")},
          {"product", tr("Product")},
          {"status", tr("Status")},
          {"outstanding_principal", tr("Outstanding"), CellKind::kMoney},
          {"overdue_principal", tr("Overdue principal"), CellKind::kMoney},
          {"overdue_interest", tr("Overdue interest"), CellKind::kMoney},
          {"days_past_due", tr("DPD"), CellKind::kInteger},
          {"bucket", tr("Bucket")},
          {"class", tr("Class")}};
}

std::vector<std::string> position_row(const LoanSnapshot& s, const LoanClassTable& classes) {
  const auto& p = s.position;
  const bool portfolio = in_portfolio(s.status);
  return {s.loan,
          s.member,
          s.group,
          s.product,
          std::string(to_string(s.status)),
          p.outstanding_principal.to_plain_string(),
          p.overdue_principal.to_plain_string(),
          p.overdue_interest.to_plain_string(),
          std::to_string(p.days_past_due),
          portfolio ? std::string(aging_bucket(p.days_past_due)) : "",
          portfolio ? loan_class(p.days_past_due, classes).code : ""};
}

ordered_json detail_json(const LoanSnapshot& s, const LoanClassTable& classes) {
  const auto& p = s.position;
  const bool portfolio = in_portfolio(s.status);
  return ordered_json{
      {"loan", s.loan},
      {"member", s.member},
      {"status", std::string(to_string(s.status))},
      {"outstanding_principal", money_json(p.outstanding_principal)},
      {"overdue_principal", money_json(p.overdue_principal)},
      {"overdue_interest", money_json(p.overdue_interest)},
      {"days_past_due", p.days_past_due},
      {"bucket", portfolio ? ordered_json(std::string(aging_bucket(p.days_past_due))) : ordered_json(nullptr)},
      {"class", portfolio ? ordered_json(loan_class(p.days_past_due, classes).code) : ordered_json(nullptr)},
      {"overdue_penalty", money_json(p.overdue_penalty)},
      {"member_name", s.member_name},
      {"group", opt_text(s.group)},
      {"product", s.product},
      {"as_of", p.as_of.to_iso()},
      {"principal", money_json(p.principal)},
      {"principal_paid", money_json(p.principal_paid)},
      {"interest_paid", money_json(p.interest_paid)},
      {"penalty_paid", money_json(p.penalty_paid)},
      {"overpayment", money_json(p.overpayment)},
      {"installments_overdue", p.installments_overdue},
      {"oldest_overdue_due_on",
       p.oldest_overdue_due_on ? ordered_json(p.oldest_overdue_due_on->to_iso()) : ordered_json(nullptr)},
      {"provision", s.status == LoanStatus::kActive ? money_json(loan_provision(p, classes)) : ordered_json(nullptr)}};
}

// Columns of the events table (loan history, one event).
std::vector<Column> event_columns() {
  return {{"date", tr("Date"), CellKind::kDate},
          {"event", tr("Event")},
          {"amount", tr("Amount"), CellKind::kMoney},
          {"principal", tr("Principal"), CellKind::kMoney},
          {"interest", tr("Interest"), CellKind::kMoney},
          {"penalty", tr("Penalty"), CellKind::kMoney},
          {"overpayment", tr("Overpaid"), CellKind::kMoney},
          {"savings", tr("Savings"), CellKind::kMoney},
          {"receipt", tr("Receipt")},
          {"entry", tr("Entry"), CellKind::kInteger},
          {"detail", tr("Detail")}};
}

std::vector<std::string> event_row(const LoanEvent& e) {
  return {e.on.to_iso(),
          std::string(to_string(e.kind)),
          e.amount.to_plain_string(),
          e.principal.to_plain_string(),
          e.interest.to_plain_string(),
          e.penalty.to_plain_string(),
          e.overpayment.to_plain_string(),
          e.savings.to_plain_string(),
          e.client_id,
          e.entry_id ? std::to_string(*e.entry_id) : "",
          e.detail};
}

ordered_json event_json(const LoanEvent& e) {
  return ordered_json{{"date", e.on.to_iso()},
                      {"event", std::string(to_string(e.kind))},
                      {"amount", money_json(e.amount)},
                      {"principal", money_json(e.principal)},
                      {"interest", money_json(e.interest)},
                      {"penalty", money_json(e.penalty)},
                      {"overpayment", money_json(e.overpayment)},
                      {"savings", money_json(e.savings)},
                      {"receipt", opt_text(e.client_id)},
                      {"entry", e.entry_id ? ordered_json(*e.entry_id) : ordered_json(nullptr)},
                      {"detail", e.detail}};
}

// An event as people read it, in the current language (the code, to_string, stays in JSON).
std::string event_name(LoanEventKind k) {
  switch (k) {
    case LoanEventKind::kRepay: return tr("Repayment");
    case LoanEventKind::kPayoff: return tr("Payoff");
    case LoanEventKind::kWriteoff: return tr("Write-off");
    case LoanEventKind::kRecover: return tr("Recovery of a written-off loan");
    case LoanEventKind::kExtend: return tr("Extension");
    case LoanEventKind::kReschedule: return tr("Rescheduling");
    case LoanEventKind::kFreeze: return tr("Freeze");
    case LoanEventKind::kUnfreeze: return tr("End of freeze");
  }
  return "?";
}

// "Repayment (repay) of loan L1 — 31/01/2026": the title of one event.
std::string event_title(const std::string& loan, const LoanEvent& e) {
  return fmt::format(fmt::runtime(tr("{} ({}) of loan {} — {}")), event_name(e.kind), to_string(e.kind), loan,
                     human_date(e.on));
}

ordered_json installments_json(const LoanSchedule& s) {
  ordered_json rows = ordered_json::array();
  for (const auto& i : s.installments)
    rows.push_back(ordered_json{{"n", i.n},
                                {"due_on", i.due_on.to_iso()},
                                {"principal", i.principal.to_plain_string()},
                                {"interest", i.interest.to_plain_string()},
                                {"total", i.total.to_plain_string()}});
  return rows;
}

Table schedule_table(std::string title, const LoanSchedule& s) {
  Table t(std::move(title), {{"n", tr("Instalment"), CellKind::kInteger},
                             {"due_on", tr("Due"), CellKind::kDate},
                             {"principal", tr("Principal"), CellKind::kMoney},
                             {"interest", tr("Interest"), CellKind::kMoney},
                             {"total", tr("Instalment total"), CellKind::kMoney}});
  for (const auto& i : s.installments)
    t.rows.push_back({std::to_string(i.n), i.due_on.to_iso(), i.principal.to_plain_string(),
                      i.interest.to_plain_string(), i.total.to_plain_string()});
  t.totals.push_back({"", tr("Total"), s.total_principal.to_plain_string(), s.total_interest.to_plain_string(),
                      (s.total_principal + s.total_interest).to_plain_string()});
  return t;
}

Table amounts_table(std::string title) {
  return Table(std::move(title), {{"item", tr("Item")}, {"amount", tr("Amount"), CellKind::kMoney}});
}

}  // namespace

Report stored_loan_schedule(const Loan& loan, const LoanSchedule& schedule, const std::vector<LoanEvent>& events,
                            Date as_of) {
  Report r = loan_schedule(loan.code, loan.terms, schedule);
  const LoanEvent* re = restructuring(events, as_of);
  if (re) {
    auto& title = r.tables.front().title;
    title = fmt::format(fmt::runtime(re->kind == LoanEventKind::kExtend ? tr("{} — schedule after the extension of {}")
                                                                        : tr("{} — schedule after the rescheduling of {}")),
                        title, human_date(re->on));
  }
  r.json["as_of"] = as_of.to_iso();
  r.json["restructured_by"] = re ? ordered_json(std::string(to_string(re->kind))) : ordered_json(nullptr);
  r.json["restructured_on"] = re ? ordered_json(re->on.to_iso()) : ordered_json(nullptr);
  return r;
}

Report loan_disbursed(const Loan& loan) {
  Report r = loan_schedule(loan.code, loan.terms, loan.schedule);
  auto& t = r.tables.front();
  const std::string head =
      loan.group.empty()
          ? fmt::format(fmt::runtime(tr("Loan {} disbursed to {} {} — product {} — entry #{}")), loan.code, loan.member,
                        loan.member_name, loan.product, loan.entry_id)
          : fmt::format(fmt::runtime(tr("Loan {} disbursed to {} {}, group {} — product {} — entry #{}")), loan.code,
                        loan.member, loan.member_name, loan.group, loan.product, loan.entry_id);
  t.title = head + "\n" + t.title;
  r.json["member"] = loan.member;
  r.json["member_name"] = loan.member_name;
  r.json["group"] = opt_text(loan.group);
  r.json["product"] = loan.product;
  r.json["entry"] = loan.entry_id;
  return r;
}

Report product_list(const std::vector<LoanProduct>& products) {
  Report r;
  r.json = ordered_json::array();
  Table t(tr("Loan products"), {{"code", tr("Code")},
                                               {"method", tr("Method")},
                                               {"rate", tr("Rate")},
                                               {"term", tr("Term"), CellKind::kInteger},
                                               {"frequency", tr("Frequency")},
                                               {"grace", tr("Grace"), CellKind::kInteger},
                                               {"savings_rate", tr("Savings")},
                                               {"max_amount", tr("Max amount"), CellKind::kMoney},
                                               {"penalty_rate", tr("Penalty rate")},
                                               {"allocation_order", tr("Allocation")}});
  for (const auto& p : products) {
    std::string order;
    for (auto c : p.allocation_order) {
      if (!order.empty()) order += ',';
      order += to_string(c);
    }
    const std::string savings = p.savings_rate ? p.savings_rate->to_string() : "";
    const std::string max = p.max_amount ? p.max_amount->to_plain_string() : "";
    const std::string penalty = p.penalty_rate ? p.penalty_rate->to_string() : "";
    r.json.push_back(ordered_json{{"code", p.code},
                                  {"method", std::string(to_string(p.method))},
                                  {"rate", p.rate.to_string()},
                                  {"term", p.installments},
                                  {"frequency", std::string(to_string(p.frequency))},
                                  {"grace", p.grace},
                                  {"savings_rate", opt_text(savings)},
                                  {"max_amount", opt_text(max)},
                                  {"penalty_rate", opt_text(penalty)},
                                  {"allocation_order", order}});
    t.rows.push_back({p.code, std::string(to_string(p.method)), p.rate.to_string(), std::to_string(p.installments),
                      std::string(to_string(p.frequency)), std::to_string(p.grace), savings, max, penalty, order});
  }
  r.tables.push_back(std::move(t));
  return r;
}

Report loan_detail(const LoanSnapshot& s, const LoanClassTable& classes, Money savings_arrears) {
  Report r;
  r.json = detail_json(s, classes);
  r.json["savings_arrears"] = money_json(savings_arrears);
  const auto& p = s.position;
  Table t(fmt::format(fmt::runtime(tr("Loan {} — {} — as of {}")), s.loan, s.member_name, human_date(p.as_of)),
          position_columns());
  t.rows.push_back(position_row(s, classes));
  r.tables.push_back(std::move(t));
  Table a = amounts_table(tr("Details"));
  a.rows.push_back({tr("Principal disbursed"), p.principal.to_plain_string()});
  a.rows.push_back({tr("Principal paid"), p.principal_paid.to_plain_string()});
  a.rows.push_back({tr("Interest paid"), p.interest_paid.to_plain_string()});
  a.rows.push_back({tr("Penalty paid"), p.penalty_paid.to_plain_string()});
  a.rows.push_back({tr("Overdue penalty"), p.overdue_penalty.to_plain_string()});
  a.rows.push_back({tr("Overpayment held"), p.overpayment.to_plain_string()});
  a.rows.push_back({tr("Savings arrears"), savings_arrears.to_plain_string()});
  if (s.status == LoanStatus::kActive) {
    const auto& c = loan_class(p.days_past_due, classes);
    a.rows.push_back({fmt::format(fmt::runtime(tr("Provision {} {}%")), c.code, format_decimal_exact(c.provision_rate * 100)),
                      loan_provision(p, classes).to_plain_string()});
  }
  if (p.oldest_overdue_due_on)
    a.notes.push_back(fmt::format(
        fmt::runtime(trn("{} instalment overdue, the oldest due {}.", "{} instalments overdue, the oldest due {}.",
                         static_cast<unsigned long>(p.installments_overdue))),
        p.installments_overdue, human_date(*p.oldest_overdue_due_on)));
  r.tables.push_back(std::move(a));
  return r;
}

Report loan_list(const std::vector<LoanSnapshot>& snapshots, Date as_of, const LoanClassTable& classes) {
  Report r;
  ordered_json loans = ordered_json::array();
  Table t(fmt::format(fmt::runtime(tr("Loans as of {}")), human_date(as_of)), position_columns());
  Money outstanding, overdue_p, overdue_i;
  for (const auto& s : snapshots) {
    const auto& p = s.position;
    const bool portfolio = in_portfolio(s.status);
    loans.push_back(ordered_json{
        {"loan", s.loan},
        {"member", s.member},
        {"member_name", s.member_name},
        {"group", opt_text(s.group)},
        {"product", s.product},
        {"status", std::string(to_string(s.status))},
        {"outstanding_principal", money_json(p.outstanding_principal)},
        {"overdue_principal", money_json(p.overdue_principal)},
        {"overdue_interest", money_json(p.overdue_interest)},
        {"days_past_due", p.days_past_due},
        {"bucket", portfolio ? ordered_json(std::string(aging_bucket(p.days_past_due))) : ordered_json(nullptr)},
        {"class", portfolio ? ordered_json(loan_class(p.days_past_due, classes).code) : ordered_json(nullptr)}});
    t.rows.push_back(position_row(s, classes));
    outstanding += p.outstanding_principal;
    overdue_p += p.overdue_principal;
    overdue_i += p.overdue_interest;
  }
  t.totals.push_back({fmt::format(fmt::runtime(trn("Total, {} loan", "Total, {} loans", snapshots.size())), snapshots.size()), "", "", "", "", outstanding.to_plain_string(),
                      overdue_p.to_plain_string(), overdue_i.to_plain_string()});
  r.json = ordered_json{{"as_of", as_of.to_iso()},
                        {"loans", loans},
                        {"total_outstanding_principal", money_json(outstanding)},
                        {"total_overdue_principal", money_json(overdue_p)},
                        {"total_overdue_interest", money_json(overdue_i)}};
  r.tables.push_back(std::move(t));
  return r;
}

Report loan_repayment(const std::string& loan, const RepaymentResult& res) {
  const LoanEvent& e = res.event;
  Report r;
  std::string title = event_title(loan, e);
  if (!e.client_id.empty()) title = fmt::format(fmt::runtime(tr("{}, receipt {}")), title, e.client_id);
  title = fmt::format(fmt::runtime(tr("{} — entry #{}")), title, res.entry.id);
  if (!res.created) title = fmt::format(fmt::runtime(tr("{} — already recorded")), title);
  Table t = amounts_table(std::move(title));
  t.rows.push_back({tr("Penalty"), e.penalty.to_plain_string()});
  t.rows.push_back({tr("Interest"), e.interest.to_plain_string()});
  t.rows.push_back({tr("Principal"), e.principal.to_plain_string()});
  t.rows.push_back({tr("Overpayment held for the member"), e.overpayment.to_plain_string()});
  t.rows.push_back({tr("Compulsory savings"), e.savings.to_plain_string()});
  t.totals.push_back({tr("Cash received"), (e.amount + e.savings).to_plain_string()});
  ordered_json moved = ordered_json::array();
  for (const auto& m : res.reallocations) {
    t.notes.push_back(fmt::format(fmt::runtime(tr("Entry #{} of {}: {}")), m.id, human_date(m.date), m.memo));
    moved.push_back(m.id);
  }
  r.tables.push_back(std::move(t));
  Table after(fmt::format(fmt::runtime(tr("The loan after the repayment — {}")), human_date(e.on)), position_columns());
  after.rows.push_back(position_row(res.after, {}));
  r.tables.push_back(std::move(after));
  r.json = ordered_json{{"loan", loan},
                        {"event", std::string(to_string(e.kind))},
                        {"date", e.on.to_iso()},
                        {"receipt", opt_text(e.client_id)},
                        {"amount", money_json(e.amount)},
                        {"principal", money_json(e.principal)},
                        {"interest", money_json(e.interest)},
                        {"penalty", money_json(e.penalty)},
                        {"overpayment", money_json(e.overpayment)},
                        {"savings", money_json(e.savings)},
                        {"created", res.created},
                        {"entry", res.entry.id},
                        {"reallocations", moved},
                        {"after", detail_json(res.after, {})}};
  return r;
}

Report payoff_quote(const std::string& loan, const PayoffQuote& q) {
  Report r;
  Table t = amounts_table(
      fmt::format(fmt::runtime(tr("Payoff quote for loan {} on {}: nothing recorded")), loan, human_date(q.on)));
  t.rows.push_back({tr("Principal outstanding"), q.principal.to_plain_string()});
  t.rows.push_back({tr("Interest due"), q.interest.to_plain_string()});
  t.rows.push_back({tr("Penalty"), q.penalty.to_plain_string()});
  t.totals.push_back({tr("Total"), q.total().to_plain_string()});
  r.tables.push_back(std::move(t));
  r.json = ordered_json{{"loan", loan},
                        {"date", q.on.to_iso()},
                        {"principal", money_json(q.principal)},
                        {"interest", money_json(q.interest)},
                        {"penalty", money_json(q.penalty)},
                        {"total", money_json(q.total())}};
  return r;
}

Report loan_event(const std::string& loan, const LoanEvent& e) {
  Report r;
  Table t(event_title(loan, e), event_columns());
  t.rows.push_back(event_row(e));
  r.tables.push_back(std::move(t));
  if (e.schedule)
    r.tables.push_back(schedule_table(fmt::format(fmt::runtime(tr("New repayment schedule from {}")), human_date(e.on)), *e.schedule));
  r.json = ordered_json{{"loan", loan},
                        {"event", std::string(to_string(e.kind))},
                        {"date", e.on.to_iso()},
                        {"amount", money_json(e.amount)},
                        {"principal", money_json(e.principal)},
                        {"interest", money_json(e.interest)},
                        {"detail", e.detail},
                        {"receipt", opt_text(e.client_id)},
                        {"entry", e.entry_id ? ordered_json(*e.entry_id) : ordered_json(nullptr)},
                        {"installments", e.schedule ? installments_json(*e.schedule) : ordered_json(nullptr)}};
  return r;
}

namespace {

// What `loan history` adds to an event's detail: its reversal (with the reason) and the
// re-allocation entries that changed its split.
std::string history_detail(std::string detail, std::optional<std::int64_t> reversed_by, const std::string& reason,
                           const std::vector<std::int64_t>& reallocations) {
  auto add = [&](const std::string& more) { detail += (detail.empty() ? "" : "; ") + more; };
  if (!reallocations.empty()) {
    std::string ids;
    for (auto id : reallocations) ids += fmt::format("{}#{}", ids.empty() ? "" : ", ", id);
    add(fmt::format(fmt::runtime(tr("re-allocated {}")), ids));
  }
  if (reversed_by) add(fmt::format(fmt::runtime(tr("reversed by #{}: {}")), *reversed_by, reason));
  return detail;
}

}  // namespace

Report loan_history(const Loan& loan, const std::vector<LoanEvent>& events) {
  Report r;
  ordered_json rows = ordered_json::array();
  Table t(fmt::format(fmt::runtime(tr("History of loan {} — {} {}")), loan.code, loan.member, loan.member_name),
          event_columns());
  const Money p = loan.terms.principal;
  rows.push_back(ordered_json{{"date", loan.terms.disbursed_on.to_iso()},
                              {"event", "disburse"},
                              {"amount", money_json(p)},
                              {"principal", money_json(p)},
                              {"interest", "0"},
                              {"penalty", "0"},
                              {"overpayment", "0"},
                              {"savings", "0"},
                              {"receipt", nullptr},
                              {"entry", loan.entry_id},
                              {"detail", history_detail("", loan.reversed_by, loan.reversal_reason, {})},
                              {"reversed_by", loan.reversed_by ? ordered_json(*loan.reversed_by) : ordered_json(nullptr)},
                              {"reallocations", ordered_json::array()}});
  t.rows.push_back({loan.terms.disbursed_on.to_iso(), "disburse", p.to_plain_string(), p.to_plain_string(), "0", "0",
                    "0", "0", "", std::to_string(loan.entry_id),
                    history_detail("", loan.reversed_by, loan.reversal_reason, {})});
  for (const auto& e : events) {
    const std::string detail = history_detail(e.detail, e.reversed_by, e.reversal_reason, e.reallocations);
    auto j = event_json(e);
    j["detail"] = detail;
    j["reversed_by"] = e.reversed_by ? ordered_json(*e.reversed_by) : ordered_json(nullptr);
    j["reallocations"] = e.reallocations;
    rows.push_back(std::move(j));
    auto row = event_row(e);
    row.back() = detail;
    t.rows.push_back(std::move(row));
  }
  r.tables.push_back(std::move(t));
  r.json = ordered_json{{"loan", loan.code}, {"member", loan.member}, {"events", rows}};
  return r;
}

Report provision_run(const ProvisionRun& run) {
  Report r;
  Table t = amounts_table(
      run.entry ? fmt::format(fmt::runtime(tr("Loan-loss provision as of {} — entry #{}")), human_date(run.as_of),
                              run.entry->id)
                : fmt::format(fmt::runtime(tr("Loan-loss provision as of {} — nothing to post")), human_date(run.as_of)));
  t.rows.push_back({tr("Required"), run.required.to_plain_string()});
  t.rows.push_back({tr("Held before"), run.held_before.to_plain_string()});
  t.totals.push_back({tr("Change posted"), run.change.to_plain_string()});
  r.tables.push_back(std::move(t));
  r.json = ordered_json{{"as_of", run.as_of.to_iso()},
                        {"required", money_json(run.required)},
                        {"held_before", money_json(run.held_before)},
                        {"change", money_json(run.change)},
                        {"entry", run.entry ? ordered_json(run.entry->id) : ordered_json(nullptr)}};
  return r;
}

}  // namespace soquy::reports
