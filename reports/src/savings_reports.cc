#include "soquy/reports/savings_reports.h"

#include <string>

#include <fmt/format.h>

#include "soquy/rate.h"

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
  return m == ShareoutMethod::kShares ? "theo cổ phần (shares)" : "theo thời gian góp (time-weighted)";
}

// The members' table of the status; `members` gets the same figures in JSON.
Table status_members_table(const SavingsStatus& s, ordered_json& members) {
  const bool pool = s.kind == GroupKind::kPool;
  Table mt{fmt::format("{} {} — {} ngày {} (status), chu kỳ {}, {} buổi họp", pool ? "Nhóm" : "Tổ", s.group, s.name,
                       s.as_of.to_vietnamese(), s.cycle, s.meetings),
           {{"member", "Thành viên (member)", CellKind::kText},
            {"name", "Họ tên (name)", CellKind::kText},
            {"shares", "Cổ phần (shares)", CellKind::kInteger},
            {"savings", "Tiết kiệm (savings)", CellKind::kMoney},
            {"social", "Quỹ xã hội (social)", CellKind::kMoney},
            {"fines", "Phạt (fines)", CellKind::kMoney},
            {"grants", "Hỗ trợ (grants)", CellKind::kMoney},
            {"loans_outstanding", "Dư nợ (loans)", CellKind::kMoney},
            {"balance", "Số dư góp (pool balance)", CellKind::kMoney}}};
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
  Table lt{"Khoản vay (loans)",
           {{"loan", "Khoản vay (loan)", CellKind::kText},
            {"member", "Thành viên (member)", CellKind::kText},
            {"disbursed_on", "Ngày vay (lent on)", CellKind::kDate},
            {"principal", "Số vay (principal)", CellKind::kMoney},
            {"rate", "Lãi suất (rate)", CellKind::kText},
            {"outstanding_principal", "Dư nợ (outstanding)", CellKind::kMoney},
            {"overdue_principal", "Gốc quá hạn (overdue)", CellKind::kMoney},
            {"days_past_due", "Số ngày quá hạn (DPD)", CellKind::kInteger}}};
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
  Table t{fmt::format("Họp tổ {} ngày {} — kỳ {} chu kỳ {} (meeting), bút toán #{}", m.group, m.date.to_vietnamese(),
                      m.meeting_no, m.cycle, m.entry),
          {{"savings", "Tiết kiệm (savings)", CellKind::kMoney},
           {"social", "Quỹ xã hội (social)", CellKind::kMoney},
           {"fines", "Phạt (fines)", CellKind::kMoney},
           {"principal", "Gốc (principal)", CellKind::kMoney},
           {"interest", "Phí vay (interest)", CellKind::kMoney},
           {"penalty", "Phạt quá hạn (penalty)", CellKind::kMoney},
           {"total", "Tổng thu (total)", CellKind::kMoney}}};
  t.rows.push_back({money(m.savings), money(m.social), money(m.fines), money(m.principal), money(m.interest),
                    money(m.penalty), money(m.total)});
  if (!m.created) t.notes.push_back("Buổi họp này đã ghi trước đó: không thay đổi (already recorded; nothing changed)");
  r.tables.push_back(std::move(t));
  return r;
}

Report savings_shareout(const ShareoutResult& s) {
  Report r;
  ordered_json members = ordered_json::array();
  Table t{fmt::format("Chia quỹ tổ {} ngày {} — chu kỳ {}, {} (share-out)", s.group, s.date.to_vietnamese(), s.cycle,
                      method_vi(s.method)),
          {{"member", "Thành viên (member)", CellKind::kText},
           {"name", "Họ tên (name)", CellKind::kText},
           {"savings", "Tiết kiệm (savings)", CellKind::kMoney},
           {"weight", "Trọng số (weight)", CellKind::kText},
           {"profit", "Lãi chia (profit)", CellKind::kMoney},
           {"payout", "Nhận về (payout)", CellKind::kMoney}}};
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
  t.totals.push_back({"", "Tổng (Total)", money(s.savings), "", money(s.distributed), money(s.paid_out)});
  t.notes.push_back(fmt::format("Quỹ cho vay cuối chu kỳ (loan-fund cash) {} − tiết kiệm (savings) {} = lãi (profit) {}",
                                s.loan_fund_cash.to_grouped_string(), s.savings.to_grouped_string(),
                                s.profit.to_grouped_string()));
  t.notes.push_back(fmt::format("Số lẻ vào quỹ xã hội (leftover to the social fund): {}; quỹ xã hội sau chia: {}",
                                s.leftover.to_grouped_string(), s.social_fund.to_grouped_string()));
  if (s.entry == 0) t.notes.push_back("Xem trước: chưa ghi sổ (preview; nothing written)");
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
  mt.notes.push_back(fmt::format("Tiền mặt (cash) {}; quỹ xã hội (social fund) {}; quỹ cho vay (loan-fund cash) {}; "
                                 "dư nợ (loans) {}; thu phí và phạt (income) {}",
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
  Table t{fmt::format("Tổ {} cho {} vay {} ngày {}: {} đồng, {} (schedule)", group, l.member, l.loan,
                      l.disbursed_on.to_vietnamese(), l.principal.to_grouped_string(), l.rate.to_string()),
          {{"n", "Kỳ (n)", CellKind::kInteger},
           {"due_on", "Ngày đến hạn (due)", CellKind::kDate},
           {"principal", "Gốc (principal)", CellKind::kMoney},
           {"interest", "Phí (interest)", CellKind::kMoney},
           {"total", "Tổng (total)", CellKind::kMoney}}};
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
  Table t{fmt::format("Tổ {}: trả nợ {} ngày {} (repayment), bút toán #{}", group, x.loan, x.date.to_vietnamese(), x.entry),
          {{"amount", "Số tiền (amount)", CellKind::kMoney},
           {"principal", "Gốc (principal)", CellKind::kMoney},
           {"interest", "Phí (interest)", CellKind::kMoney},
           {"penalty", "Phạt (penalty)", CellKind::kMoney},
           {"outstanding_principal", "Dư nợ còn (outstanding)", CellKind::kMoney}}};
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
  Table t{fmt::format("{} {} ngày {}", pool ? "Nhóm" : "Tổ", group, date.to_vietnamese()),
          {{"member", "Thành viên (member)", CellKind::kText},
           {"name", "Họ tên (name)", CellKind::kText},
           {key, pool ? "Số dư góp (balance)" : "Tiết kiệm còn (savings)", CellKind::kMoney}}};
  t.rows.push_back({m.member, m.name, money(v)});
  r.tables.push_back(std::move(t));
  return r;
}

Report pool_purchase(const PoolPurchaseResult& p) {
  Report r;
  ordered_json charges = ordered_json::array();
  Table t{fmt::format("Nhóm {}: chi mua {} đồng ngày {} (purchase), bút toán #{}", p.group, p.amount.to_grouped_string(),
                      p.date.to_vietnamese(), p.entry),
          {{"member", "Thành viên (member)", CellKind::kText}, {"amount", "Phần chịu (charged)", CellKind::kMoney}}};
  for (const auto& [m, a] : p.charges) {
    charges.push_back({{"member", m}, {"amount", money(a)}});
    t.rows.push_back({m, money(a)});
  }
  t.totals.push_back({"Tổng (Total)", money(p.amount)});
  r.json = {{"group", p.group}, {"date", p.date.to_iso()}, {"amount", money(p.amount)}, {"entry", p.entry},
            {"charges", charges}};
  r.tables.push_back(std::move(t));
  return r;
}

}  // namespace soquy::reports
