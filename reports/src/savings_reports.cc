#include "soquy/reports/savings_reports.h"

#include <string>

#include <fmt/format.h>

#include "soquy/i18n.h"
#include "soquy/rate.h"
#include "human_date.h"

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;

std::string money(Money m) { return m.to_plain_string(); }

std::string rational_text(const Rational& r) {
  std::string s = numerator(r).str();
  if (denominator(r) != 1) s += "/" + denominator(r).str();
  return s;
}

std::string_view method_vi(ShareoutMethod m) {
  return m == ShareoutMethod::kShares ? tr("by shares") : tr("time-weighted");
}

// The members' table of the status; `members` gets the same figures in JSON.
Table status_members_table(const SavingsStatus& s, ordered_json& members) {
  const bool pool = s.kind == GroupKind::kPool;
  Table mt{fmt::format(fmt::runtime(pool ? tr("Pool {} — {} on {}, cycle {}, {} meetings")
                                          : tr("Group {} — {} on {}, cycle {}, {} meetings")),
                       s.group, s.name, human_date(s.as_of), s.cycle, s.meetings),
           {{"member", trc("savings", "Member"), CellKind::kText},
            {"name", tr("Full name"), CellKind::kText},
            {"shares", tr("Shares"), CellKind::kInteger},
            {"savings", tr("Savings"), CellKind::kMoney},
            {"social", tr("Social fund"), CellKind::kMoney},
            {"fines", tr("Fines"), CellKind::kMoney},
            {"grants", tr("Grants"), CellKind::kMoney},
            {"loans_outstanding", tr("Loans outstanding"), CellKind::kMoney},
            {"balance", tr("Pool balance"), CellKind::kMoney}}};
  for (const auto& m : s.members) {
    members.push_back({{"member", m.member},
                       {"name", m.name},
                       {"shares", m.shares},
                       {"savings", money(m.savings)},
                       {"social", money(m.social)},
                       {"fines", money(m.fines)},
                       {"grants", money(m.grants)},
                       {"loans_outstanding", money(m.loans_outstanding)},
                       {"balance", money(m.balance)}});
    mt.rows.push_back({m.member, m.name, std::to_string(m.shares), money(m.savings), money(m.social), money(m.fines),
                       money(m.grants), money(m.loans_outstanding), money(m.balance)});
  }
  return mt;
}

// The group's loans to its members as a table; `loans` gets them in JSON.
Table status_loans_table(const SavingsStatus& s, ordered_json& loans) {
  Table lt{tr("Loans of the group"),
           {{"loan", tr("Loan"), CellKind::kText},
            {"member", trc("savings", "Member"), CellKind::kText},
            {"disbursed_on", tr("Lent on"), CellKind::kDate},
            {"principal", tr("Amount lent"), CellKind::kMoney},
            {"rate", tr("Rate"), CellKind::kText},
            {"outstanding_principal", trc("savings", "Outstanding"), CellKind::kMoney},
            {"overdue_principal", tr("Principal overdue"), CellKind::kMoney},
            {"days_past_due", trc("savings", "Days overdue"), CellKind::kInteger}}};
  for (const auto& l : s.loans) {
    loans.push_back({{"loan", l.loan},
                     {"member", l.member},
                     {"principal", money(l.principal)},
                     {"rate", l.rate.to_string()},
                     {"installments", l.installments},
                     {"frequency", std::string(to_string(l.frequency))},
                     {"method", std::string(to_string(l.method))},
                     {"disbursed_on", l.disbursed_on.to_iso()},
                     {"outstanding_principal", money(l.position.outstanding_principal)},
                     {"overdue_principal", money(l.position.overdue_principal)},
                     {"overdue_interest", money(l.position.overdue_interest)},
                     {"days_past_due", l.position.days_past_due}});
    lt.rows.push_back({l.loan, l.member, l.disbursed_on.to_iso(), money(l.principal), l.rate.to_string(),
                       money(l.position.outstanding_principal), money(l.position.overdue_principal),
                       std::to_string(l.position.days_past_due)});
  }
  return lt;
}

}  // namespace

Report savings_meeting(const MeetingResult& m) {
  Report r;
  r.json = {{"group", m.group},          {"date", m.date.to_iso()},     {"cycle", m.cycle},
            {"meeting", m.meeting_no},    {"created", m.created},        {"entry", m.entry},
            {"savings", money(m.savings)}, {"social", money(m.social)},  {"fines", money(m.fines)},
            {"principal", money(m.principal)}, {"interest", money(m.interest)}, {"penalty", money(m.penalty)},
            {"total", money(m.total)}};
  Table t{fmt::format(fmt::runtime(tr("Meeting of group {} on {} — meeting {} of cycle {}, entry #{}")), m.group, human_date(m.date),
                      m.meeting_no, m.cycle, m.entry),
          {{"savings", tr("Savings"), CellKind::kMoney},
           {"social", tr("Social fund"), CellKind::kMoney},
           {"fines", tr("Fines"), CellKind::kMoney},
           {"principal", tr("Principal"), CellKind::kMoney},
           {"interest", tr("Loan fee"), CellKind::kMoney},
           {"penalty", tr("Late penalty"), CellKind::kMoney},
           {"total", tr("Total received"), CellKind::kMoney}}};
  t.rows.push_back({money(m.savings), money(m.social), money(m.fines), money(m.principal), money(m.interest),
                    money(m.penalty), money(m.total)});
  if (!m.created) t.notes.push_back(tr("This meeting was recorded before: nothing changed."));
  r.tables.push_back(std::move(t));
  return r;
}

Report savings_shareout(const ShareoutResult& s) {
  Report r;
  ordered_json members = ordered_json::array();
  Table t{fmt::format(fmt::runtime(tr("Share-out of group {} on {} — cycle {}, {}")), s.group, human_date(s.date), s.cycle,
                      method_vi(s.method)),
          {{"member", trc("savings", "Member"), CellKind::kText},
           {"name", tr("Full name"), CellKind::kText},
           {"savings", tr("Savings"), CellKind::kMoney},
           {"weight", tr("Weight"), CellKind::kText},
           {"profit", tr("Profit share"), CellKind::kMoney},
           {"payout", tr("Payout"), CellKind::kMoney}}};
  for (const auto& l : s.lines) {
    members.push_back({{"member", l.member},
                       {"name", l.name},
                       {"savings", money(l.savings)},
                       {"weight", rational_text(l.weight)},
                       {"profit", money(l.profit)},
                       {"payout", money(l.payout)}});
    t.rows.push_back({l.member, l.name, money(l.savings), rational_text(l.weight), money(l.profit), money(l.payout)});
  }
  r.json = {{"group", s.group},
            {"date", s.date.to_iso()},
            {"cycle", s.cycle},
            {"method", std::string(to_string(s.method))},
            {"leftover_rule", std::string(to_string(s.leftover_rule))},
            {"meetings", s.meetings},
            {"loan_fund_cash", money(s.loan_fund_cash)},
            {"savings", money(s.savings)},
            {"profit", money(s.profit)},
            {"distributed", money(s.distributed)},
            {"leftover", money(s.leftover)},
            {"paid_out", money(s.paid_out)},
            {"social_fund", money(s.social_fund)},
            {"entry", s.entry == 0 ? ordered_json(nullptr) : ordered_json(s.entry)},
            {"members", members}};
  t.totals.push_back({"", tr("In total"), money(s.savings), "", money(s.distributed), money(s.paid_out)});
  t.notes.push_back(fmt::format(fmt::runtime(tr("Loan-fund cash at the end of the cycle {} − savings {} = profit {}")),
                                s.loan_fund_cash.to_grouped_string(), s.savings.to_grouped_string(),
                                s.profit.to_grouped_string()));
  t.notes.push_back(fmt::format(fmt::runtime(tr("Leftover to the social fund: {}; social fund after the share-out: {}")),
                                s.leftover.to_grouped_string(), s.social_fund.to_grouped_string()));
  if (s.entry == 0) t.notes.push_back(tr("Preview: nothing written."));
  r.tables.push_back(std::move(t));
  return r;
}

Report savings_status(const SavingsStatus& s) {
  Report r;
  ordered_json members = ordered_json::array(), loans = ordered_json::array();
  Table mt = status_members_table(s, members);
  Table lt = status_loans_table(s, loans);
  r.json = {{"group", s.group},
            {"name", s.name},
            {"kind", std::string(to_string(s.kind))},
            {"as_of", s.as_of.to_iso()},
            {"cycle", s.cycle},
            {"meetings", s.meetings},
            {"rules",
             {{"share_price", s.rules.share_price ? ordered_json(money(*s.rules.share_price)) : ordered_json(nullptr)},
              {"method", std::string(to_string(s.rules.method))},
              {"leftover", std::string(to_string(s.rules.leftover))}}},
            {"cash", money(s.cash)},
            {"social_fund", money(s.social_fund)},
            {"loan_fund_cash", money(s.loan_fund_cash)},
            {"savings", money(s.savings)},
            {"loans_outstanding", money(s.loans_outstanding)},
            {"income", money(s.income)},
            {"members", members},
            {"loans", loans}};
  mt.notes.push_back(fmt::format(fmt::runtime(tr("Cash {}; social fund {}; loan-fund cash {}; loans outstanding {}; "
                                                 "income from fees and fines {}")),
                                 s.cash.to_grouped_string(), s.social_fund.to_grouped_string(),
                                 s.loan_fund_cash.to_grouped_string(), s.loans_outstanding.to_grouped_string(),
                                 s.income.to_grouped_string()));
  r.tables.push_back(std::move(mt));
  if (!s.loans.empty()) r.tables.push_back(std::move(lt));
  return r;
}

Report savings_loan(const std::string& group, const GroupLoanStatus& l) {
  Report r;
  ordered_json rows = ordered_json::array();
  Table t{fmt::format(fmt::runtime(tr("Group {} lends to {}: loan {} on {}, {} VND, {}")), group, l.member, l.loan,
                      human_date(l.disbursed_on), l.principal.to_grouped_string(), l.rate.to_string()),
          {{"n", tr("Installment"), CellKind::kInteger},
           {"due_on", tr("Due on"), CellKind::kDate},
           {"principal", tr("Principal"), CellKind::kMoney},
           {"interest", tr("Fee"), CellKind::kMoney},
           {"total", tr("Installment total"), CellKind::kMoney}}};
  for (const auto& i : l.schedule.installments) {
    rows.push_back({{"n", i.n},
                    {"due_on", i.due_on.to_iso()},
                    {"principal", money(i.principal)},
                    {"interest", money(i.interest)},
                    {"total", money(i.total)}});
    t.rows.push_back({std::to_string(i.n), i.due_on.to_iso(), money(i.principal), money(i.interest), money(i.total)});
  }
  t.totals.push_back({"", "", money(l.schedule.total_principal), money(l.schedule.total_interest),
                      money(l.schedule.total_principal + l.schedule.total_interest)});
  r.json = {{"group", group},
            {"loan", l.loan},
            {"member", l.member},
            {"principal", money(l.principal)},
            {"rate", l.rate.to_string()},
            {"installments", l.installments},
            {"frequency", std::string(to_string(l.frequency))},
            {"method", std::string(to_string(l.method))},
            {"disbursed_on", l.disbursed_on.to_iso()},
            {"total_interest", money(l.schedule.total_interest)},
            {"schedule", rows}};
  r.tables.push_back(std::move(t));
  return r;
}

Report savings_repayment(const std::string& group, const GroupRepayment& x) {
  Report r;
  r.json = {{"group", group},
            {"loan", x.loan},
            {"date", x.date.to_iso()},
            {"entry", x.entry},
            {"amount", money(x.amount)},
            {"principal", money(x.principal)},
            {"interest", money(x.interest)},
            {"penalty", money(x.penalty)},
            {"outstanding_principal", money(x.outstanding_principal)}};
  Table t{fmt::format(fmt::runtime(tr("Group {}: repayment of {} on {}, entry #{}")), group, x.loan, human_date(x.date), x.entry),
          {{"amount", tr("Amount"), CellKind::kMoney},
           {"principal", tr("Principal"), CellKind::kMoney},
           {"interest", tr("Fee"), CellKind::kMoney},
           {"penalty", tr("Penalty"), CellKind::kMoney},
           {"outstanding_principal", tr("Outstanding after"), CellKind::kMoney}}};
  t.rows.push_back({money(x.amount), money(x.principal), money(x.interest), money(x.penalty),
                    money(x.outstanding_principal)});
  r.tables.push_back(std::move(t));
  return r;
}

Report savings_member(const std::string& group, Date date, const MemberSavings& m, bool pool) {
  Report r;
  const std::string key = pool ? "balance" : "savings";
  const Money v = pool ? m.balance : m.savings;
  r.json = {{"group", group}, {"date", date.to_iso()}, {"member", m.member}, {"name", m.name}, {key, money(v)}};
  Table t{fmt::format(fmt::runtime(pool ? tr("Pool {} on {}") : tr("Group {} on {}")), group, human_date(date)),
          {{"member", trc("savings", "Member"), CellKind::kText},
           {"name", tr("Full name"), CellKind::kText},
           {key, pool ? trc("savings", "Balance") : tr("Savings balance"), CellKind::kMoney}}};
  t.rows.push_back({m.member, m.name, money(v)});
  r.tables.push_back(std::move(t));
  return r;
}

Report pool_purchase(const PoolPurchaseResult& p) {
  Report r;
  ordered_json charges = ordered_json::array();
  Table t{fmt::format(fmt::runtime(tr("Pool {}: purchase of {} VND on {}, entry #{}")), p.group, p.amount.to_grouped_string(),
                      human_date(p.date), p.entry),
          {{"member", trc("savings", "Member"), CellKind::kText}, {"amount", tr("Charged"), CellKind::kMoney}}};
  for (const auto& [m, a] : p.charges) {
    charges.push_back({{"member", m}, {"amount", money(a)}});
    t.rows.push_back({m, money(a)});
  }
  t.totals.push_back({tr("In total"), money(p.amount)});
  r.json = {{"group", p.group}, {"date", p.date.to_iso()}, {"amount", money(p.amount)}, {"entry", p.entry},
            {"charges", charges}};
  r.tables.push_back(std::move(t));
  return r;
}

}  // namespace soquy::reports
