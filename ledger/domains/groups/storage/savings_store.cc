// The SavingsStore on either engine (sql_query.h). All SQL of savings groups and pools lives
// here; it runs on the journal's connection, so its writes join the Ledger's transactions.
#include <fmt/format.h>

#include "savings_store.h"
#include "sql_query.h"

namespace soquy {
namespace {

using sql::bind_opt;
using sql::opt_int;
using sql::to_date;

// The entry that reversed the row's entry_id, as a column (NULL: not reversed).
std::string reversed_by(const char* alias) {
  return fmt::format("(SELECT r.id FROM entries r JOIN entry_owners ro ON ro.entry_id = r.id WHERE r.reverses = {}.entry_id)", alias);
}

}  // namespace

std::optional<SavingsRulesRow> SavingsStore::rules(std::int64_t group_id) {
  sql::Query q(store_,
                      "SELECT share_price, method, leftover FROM savings_rules WHERE group_id = ?");
  q.bind(1, group_id);
  if (!q.executeStep()) return std::nullopt;
  return SavingsRulesRow{opt_int(q.getColumn(0)), q.getColumn(1).getString(), q.getColumn(2).getString()};
}

void SavingsStore::insert_rules(std::int64_t group_id, const SavingsRulesRow& r, const std::string& recorded_at,
                                std::int64_t user_id) {
  sql::Query q(store_,
                      "INSERT INTO savings_rules (group_id, share_price, method, leftover, recorded_at, user_id) "
                      "VALUES (?,?,?,?,?,?)");
  q.bind(1, group_id);
  bind_opt(q, 2, r.share_price);
  q.bind(3, r.method);
  q.bind(4, r.leftover);
  q.bind(5, recorded_at);
  q.bind(6, user_id);
  q.exec();
}

std::vector<SavingsMeetingRow> SavingsStore::meetings(std::int64_t group_id) {
  sql::Query q(store_,
                      fmt::format("SELECT s.id, s.cycle, s.meeting_no, s.held_on, s.entry_id, s.revision, {} "
                                  "FROM savings_meetings s WHERE s.group_id = ? ORDER BY s.held_on, s.revision",
                                  reversed_by("s")));
  q.bind(1, group_id);
  std::vector<SavingsMeetingRow> out;
  while (q.executeStep())
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt(), q.getColumn(2).getInt(),
                   to_date(q.getColumn(3).getString()), q.getColumn(4).getInt64(), q.getColumn(5).getInt(),
                   opt_int(q.getColumn(6))});
  return out;
}

std::int64_t SavingsStore::insert_meeting(std::int64_t group_id, const SavingsMeetingRow& m,
                                          const std::string& recorded_at, std::int64_t user_id) {
    sql::Query q(store_,
                      "INSERT INTO savings_meetings (group_id, cycle, meeting_no, held_on, entry_id, recorded_at, "
                      "user_id, revision) VALUES (?,?,?,?,?,?,?,?) RETURNING id");
  q.bind(1, group_id);
  q.bind(2, m.cycle);
  q.bind(3, m.meeting_no);
  q.bind(4, m.held_on.to_iso());
  q.bind(5, m.entry_id);
  q.bind(6, recorded_at);
  q.bind(7, user_id);
  q.bind(8, m.revision);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

std::vector<SavingsMeetingLineRow> SavingsStore::meeting_lines(std::int64_t group_id) {
  sql::Query q(store_,
                      "SELECT l.meeting_id, l.line_no, l.member_id, m.code, l.shares, l.deposit, l.savings, l.social, "
                      "l.fine, l.repayment, l.loan_id FROM savings_meeting_lines l "
                      "JOIN savings_meetings s ON s.id = l.meeting_id JOIN members m ON m.id = l.member_id "
                      "WHERE s.group_id = ? ORDER BY s.held_on, s.revision, l.line_no");
  q.bind(1, group_id);
  std::vector<SavingsMeetingLineRow> out;
  while (q.executeStep()) {
    SavingsMeetingLineRow r;
    r.meeting_id = q.getColumn(0).getInt64();
    r.line_no = q.getColumn(1).getInt();
    r.member_id = q.getColumn(2).getInt64();
    r.member_code = q.getColumn(3).getString();
    r.shares = q.getColumn(4).getInt64();
    r.deposit = q.getColumn(5).getInt64();
    r.savings = q.getColumn(6).getInt64();
    r.social = q.getColumn(7).getInt64();
    r.fine = q.getColumn(8).getInt64();
    r.repayment = q.getColumn(9).getInt64();
    r.loan_id = opt_int(q.getColumn(10));
    out.push_back(std::move(r));
  }
  return out;
}

void SavingsStore::insert_meeting_line(const SavingsMeetingLineRow& l) {
  sql::Query q(store_,
                      "INSERT INTO savings_meeting_lines (meeting_id, line_no, member_id, shares, deposit, savings, "
                      "social, fine, repayment, loan_id) VALUES (?,?,?,?,?,?,?,?,?,?)");
  q.bind(1, l.meeting_id);
  q.bind(2, l.line_no);
  q.bind(3, l.member_id);
  q.bind(4, l.shares);
  q.bind(5, l.deposit);
  q.bind(6, l.savings);
  q.bind(7, l.social);
  q.bind(8, l.fine);
  q.bind(9, l.repayment);
  bind_opt(q, 10, l.loan_id);
  q.exec();
}

std::vector<SavingsLoanRow> SavingsStore::loans(std::int64_t group_id) {
  sql::Query q(store_,
                      fmt::format("SELECT l.id, l.code, l.member_id, m.code, l.cycle, l.principal, l.rate, "
                                  "l.installments, l.frequency, l.method, l.grace, l.penalty_rate, l.disbursed_on, l.entry_id, {} "
                                  "FROM savings_loans l JOIN members m ON m.id = l.member_id WHERE l.group_id = ? "
                                  "ORDER BY l.code",
                                  reversed_by("l")));
  q.bind(1, group_id);
  std::vector<SavingsLoanRow> out;
  while (q.executeStep()) {
    SavingsLoanRow r;
    r.id = q.getColumn(0).getInt64();
    r.code = q.getColumn(1).getString();
    r.member_id = q.getColumn(2).getInt64();
    r.member_code = q.getColumn(3).getString();
    r.cycle = q.getColumn(4).getInt();
    r.principal = q.getColumn(5).getInt64();
    r.rate = q.getColumn(6).getString();
    r.installments = q.getColumn(7).getInt();
    r.frequency = q.getColumn(8).getString();
    r.method = q.getColumn(9).getString();
    r.grace = q.getColumn(10).getInt();
    if (!q.getColumn(11).isNull()) r.penalty_rate = q.getColumn(11).getString();
    r.disbursed_on = to_date(q.getColumn(12).getString());
    r.entry_id = q.getColumn(13).getInt64();
    r.reversed_by = opt_int(q.getColumn(14));
    out.push_back(std::move(r));
  }
  return out;
}

std::int64_t SavingsStore::insert_loan(std::int64_t group_id, const SavingsLoanRow& l, const std::string& recorded_at,
                                       std::int64_t user_id) {
    sql::Query q(store_,
                      "INSERT INTO savings_loans (group_id, code, member_id, cycle, principal, rate, installments, "
                      "frequency, method, grace, penalty_rate, disbursed_on, entry_id, recorded_at, user_id) "
                      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
  q.bind(1, group_id);
  q.bind(2, l.code);
  q.bind(3, l.member_id);
  q.bind(4, l.cycle);
  q.bind(5, l.principal);
  q.bind(6, l.rate);
  q.bind(7, l.installments);
  q.bind(8, l.frequency);
  q.bind(9, l.method);
  q.bind(10, l.grace);
  bind_opt(q, 11, l.penalty_rate);
  q.bind(12, l.disbursed_on.to_iso());
  q.bind(13, l.entry_id);
  q.bind(14, recorded_at);
  q.bind(15, user_id);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

std::vector<SavingsLoanPaymentRow> SavingsStore::loan_payments(std::int64_t group_id) {
  sql::Query q(store_,
                      fmt::format("SELECT p.id, p.loan_id, p.paid_on, p.amount, p.principal, p.interest, p.penalty, "
                                  "p.meeting_id, p.entry_id, {} FROM savings_loan_payments p JOIN savings_loans l "
                                  "ON l.id = p.loan_id WHERE l.group_id = ? ORDER BY p.id",
                                  reversed_by("p")));
  q.bind(1, group_id);
  std::vector<SavingsLoanPaymentRow> out;
  while (q.executeStep())
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), to_date(q.getColumn(2).getString()),
                   q.getColumn(3).getInt64(), q.getColumn(4).getInt64(), q.getColumn(5).getInt64(),
                   q.getColumn(6).getInt64(), opt_int(q.getColumn(7)), q.getColumn(8).getInt64(),
                   opt_int(q.getColumn(9))});
  return out;
}

void SavingsStore::insert_loan_payment(const SavingsLoanPaymentRow& p, const std::string& recorded_at,
                                       std::int64_t user_id) {
  sql::Query q(store_,
                      "INSERT INTO savings_loan_payments (loan_id, paid_on, amount, principal, interest, penalty, "
                      "meeting_id, entry_id, recorded_at, user_id) VALUES (?,?,?,?,?,?,?,?,?,?)");
  q.bind(1, p.loan_id);
  q.bind(2, p.paid_on.to_iso());
  q.bind(3, p.amount);
  q.bind(4, p.principal);
  q.bind(5, p.interest);
  q.bind(6, p.penalty);
  bind_opt(q, 7, p.meeting_id);
  q.bind(8, p.entry_id);
  q.bind(9, recorded_at);
  q.bind(10, user_id);
  q.exec();
}

std::vector<SavingsMovementRow> SavingsStore::movements(std::int64_t group_id) {
  sql::Query q(store_,
                      fmt::format("SELECT v.id, v.cycle, v.member_id, m.code, v.kind, v.moved_on, v.amount, v.entry_id, {} "
                                  "FROM savings_movements v JOIN members m ON m.id = v.member_id WHERE v.group_id = ? "
                                  "ORDER BY v.id",
                                  reversed_by("v")));
  q.bind(1, group_id);
  std::vector<SavingsMovementRow> out;
  while (q.executeStep())
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt(), q.getColumn(2).getInt64(),
                   q.getColumn(3).getString(), q.getColumn(4).getString(), to_date(q.getColumn(5).getString()),
                   q.getColumn(6).getInt64(), q.getColumn(7).getInt64(), opt_int(q.getColumn(8))});
  return out;
}

void SavingsStore::insert_movement(std::int64_t group_id, const SavingsMovementRow& m, const std::string& recorded_at,
                                   std::int64_t user_id) {
  sql::Query q(store_,
                      "INSERT INTO savings_movements (group_id, cycle, member_id, kind, moved_on, amount, entry_id, "
                      "recorded_at, user_id) VALUES (?,?,?,?,?,?,?,?,?)");
  q.bind(1, group_id);
  q.bind(2, m.cycle);
  q.bind(3, m.member_id);
  q.bind(4, m.kind);
  q.bind(5, m.moved_on.to_iso());
  q.bind(6, m.amount);
  q.bind(7, m.entry_id);
  q.bind(8, recorded_at);
  q.bind(9, user_id);
  q.exec();
}

std::vector<SavingsShareoutRow> SavingsStore::shareouts(std::int64_t group_id) {
    sql::Query q(store_,
                      fmt::format("SELECT s.cycle, s.held_on, s.method, s.leftover_rule, s.loan_fund_cash, s.savings, "
                                  "s.profit, s.leftover, s.entry_id, s.revision, {} FROM savings_shareouts s "
                                  "WHERE s.group_id = ? ORDER BY s.cycle, s.revision",
                                  reversed_by("s")));
  q.bind(1, group_id);
  std::vector<SavingsShareoutRow> out;
  while (q.executeStep()) {
    SavingsShareoutRow s;
    s.cycle = q.getColumn(0).getInt();
    s.held_on = to_date(q.getColumn(1).getString());
    s.method = q.getColumn(2).getString();
    s.leftover_rule = q.getColumn(3).getString();
    s.loan_fund_cash = q.getColumn(4).getInt64();
    s.savings = q.getColumn(5).getInt64();
    s.profit = q.getColumn(6).getInt64();
    s.leftover = q.getColumn(7).getInt64();
    s.entry_id = q.getColumn(8).getInt64();
    s.revision = q.getColumn(9).getInt();
    s.reversed_by = opt_int(q.getColumn(10));
    out.push_back(std::move(s));
  }
  for (auto& s : out) {
    sql::Query l(store_,
                        "SELECT member_id, savings, weight, profit, payout FROM savings_shareout_lines "
                        "WHERE group_id = ? AND cycle = ? AND revision = ? ORDER BY member_id");
    l.bind(1, group_id);
    l.bind(2, s.cycle);
    l.bind(3, s.revision);
    while (l.executeStep())
      s.lines.push_back({l.getColumn(0).getInt64(), l.getColumn(1).getInt64(), l.getColumn(2).getString(),
                         l.getColumn(3).getInt64(), l.getColumn(4).getInt64()});
  }
  return out;
}

void SavingsStore::insert_shareout(std::int64_t group_id, const SavingsShareoutRow& s, const std::string& recorded_at,
                                   std::int64_t user_id) {
    sql::Query q(store_,
                      "INSERT INTO savings_shareouts (group_id, cycle, held_on, method, leftover_rule, loan_fund_cash, "
                      "savings, profit, leftover, entry_id, recorded_at, user_id, revision) "
                      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
  q.bind(1, group_id);
  q.bind(2, s.cycle);
  q.bind(3, s.held_on.to_iso());
  q.bind(4, s.method);
  q.bind(5, s.leftover_rule);
  q.bind(6, s.loan_fund_cash);
  q.bind(7, s.savings);
  q.bind(8, s.profit);
  q.bind(9, s.leftover);
  q.bind(10, s.entry_id);
  q.bind(11, recorded_at);
  q.bind(12, user_id);
  q.bind(13, s.revision);
  q.exec();
  for (const auto& l : s.lines) {
    sql::Query i(store_,
                        "INSERT INTO savings_shareout_lines (group_id, cycle, member_id, savings, weight, profit, "
                        "payout, revision) VALUES (?,?,?,?,?,?,?,?)");
    i.bind(1, group_id);
    i.bind(2, s.cycle);
    i.bind(3, l.member_id);
    i.bind(4, l.savings);
    i.bind(5, l.weight);
    i.bind(6, l.profit);
    i.bind(7, l.payout);
    i.bind(8, s.revision);
    i.exec();
  }
}

}  // namespace soquy
