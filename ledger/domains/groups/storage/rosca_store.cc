// The RoscaStore on either engine (sql_query.h). All SQL of rotating groups lives here; it runs on
// the journal's connection, so it joins the Ledger's transactions.
#include <fmt/format.h>

#include "rosca_store.h"
#include "sql_query.h"

namespace soquy {
namespace {

using sql::opt_text;
using sql::to_date;

}  // namespace

std::optional<RoscaAgreementRow> RoscaStore::find_agreement(std::int64_t group_id) {
  sql::Query q(store_,
                      "SELECT a.group_id, a.holder_id, m.code, m.name, a.contribution, a.period, a.kind, a.late_rate, "
                      "a.terms, a.start_on, a.fee, a.holder_takes_first FROM rosca_agreements a "
                      "JOIN members m ON m.id = a.holder_id WHERE a.group_id = ?");
  q.bind(1, group_id);
  if (!q.executeStep()) return std::nullopt;
  RoscaAgreementRow a;
  a.group_id = q.getColumn(0).getInt64();
  a.holder_id = q.getColumn(1).getInt64();
  a.holder_code = q.getColumn(2).getString();
  a.holder_name = q.getColumn(3).getString();
  a.contribution = q.getColumn(4).getInt64();
  a.period = q.getColumn(5).getString();
  a.kind = q.getColumn(6).getString();
  a.late_rate = q.getColumn(7).getString();
  a.terms = q.getColumn(8).getString();
  a.start_on = to_date(q.getColumn(9).getString());
  a.fee = q.getColumn(10).getInt64();
  a.holder_takes_first = q.getColumn(11).getInt() != 0;
  return a;
}

std::vector<std::int64_t> RoscaStore::groups_held_by(std::int64_t member_id) {
  sql::Query q(store_,
                      "SELECT group_id FROM rosca_agreements WHERE holder_id = ? ORDER BY group_id");
  q.bind(1, member_id);
  std::vector<std::int64_t> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
  return out;
}

void RoscaStore::insert_agreement(const RoscaAgreementRow& a, const std::string& recorded_at, std::int64_t user_id) {
  sql::Query q(store_,
                      "INSERT INTO rosca_agreements (group_id, holder_id, contribution, period, start_on, kind, fee, "
                      "holder_takes_first, late_rate, terms, recorded_at, user_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  q.bind(1, a.group_id);
  q.bind(2, a.holder_id);
  q.bind(3, a.contribution);
  q.bind(4, a.period);
  q.bind(5, a.start_on.to_iso());
  q.bind(6, a.kind);
  q.bind(7, a.fee);
  q.bind(8, a.holder_takes_first ? 1 : 0);
  q.bind(9, a.late_rate);
  q.bind(10, a.terms);
  q.bind(11, recorded_at);
  q.bind(12, user_id);
  q.exec();
}

std::vector<RoscaShareRow> RoscaStore::shares(std::int64_t group_id) {
  sql::Query q(store_,
                      "SELECT s.share_no, s.member_id, m.code, m.name FROM rosca_shares s "
                      "JOIN members m ON m.id = s.member_id WHERE s.group_id = ? ORDER BY s.share_no");
  q.bind(1, group_id);
  std::vector<RoscaShareRow> out;
  while (q.executeStep())
    out.push_back(RoscaShareRow{q.getColumn(0).getInt(), q.getColumn(1).getInt64(), q.getColumn(2).getString(),
                                q.getColumn(3).getString()});
  return out;
}

void RoscaStore::insert_share(std::int64_t group_id, int share_no, std::int64_t member_id) {
  sql::Query q(store_,
                      "INSERT INTO rosca_shares (group_id, share_no, member_id) VALUES (?, ?, ?)");
  q.bind(1, group_id);
  q.bind(2, share_no);
  q.bind(3, member_id);
  q.exec();
}

std::vector<RoscaRoundRow> RoscaStore::rounds(std::int64_t group_id) {
  sql::Query q(store_,
                      "SELECT round_no, opened_on, method, winner_share, bid, seed, candidates, dead, living, payout, "
                      "fee, entry_id FROM rosca_rounds WHERE group_id = ? ORDER BY round_no");
  q.bind(1, group_id);
  std::vector<RoscaRoundRow> out;
  while (q.executeStep()) {
    RoscaRoundRow r;
    r.round_no = q.getColumn(0).getInt();
    r.opened_on = to_date(q.getColumn(1).getString());
    r.method = q.getColumn(2).getString();
    r.winner_share = q.getColumn(3).getInt();
    r.bid = q.getColumn(4).getInt64();
    r.seed = opt_text(q.getColumn(5));
    r.candidates = q.getColumn(6).getString();
    r.dead = q.getColumn(7).getInt();
    r.living = q.getColumn(8).getInt();
    r.payout = q.getColumn(9).getInt64();
    r.fee = q.getColumn(10).getInt64();
    r.entry_id = q.getColumn(11).getInt64();
    out.push_back(std::move(r));
  }
  return out;
}

void RoscaStore::insert_round(std::int64_t group_id, const RoscaRoundRow& r, const std::string& recorded_at,
                              std::int64_t user_id) {
  sql::Query q(store_,
                      "INSERT INTO rosca_rounds (group_id, round_no, opened_on, method, winner_share, bid, seed, "
                      "candidates, dead, living, payout, fee, entry_id, recorded_at, user_id) "
                      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  q.bind(1, group_id);
  q.bind(2, r.round_no);
  q.bind(3, r.opened_on.to_iso());
  q.bind(4, r.method);
  q.bind(5, r.winner_share);
  q.bind(6, r.bid);
  if (r.seed) q.bind(7, *r.seed);
  else q.bind(7);
  q.bind(8, r.candidates);
  q.bind(9, r.dead);
  q.bind(10, r.living);
  q.bind(11, r.payout);
  q.bind(12, r.fee);
  q.bind(13, r.entry_id);
  q.bind(14, recorded_at);
  q.bind(15, user_id);
  q.exec();
}

std::vector<RoscaBidRow> RoscaStore::bids(std::int64_t group_id) {
  sql::Query q(store_,
                      "SELECT round_no, share_no, bid FROM rosca_bids WHERE group_id = ? ORDER BY round_no, share_no");
  q.bind(1, group_id);
  std::vector<RoscaBidRow> out;
  while (q.executeStep())
    out.push_back(RoscaBidRow{q.getColumn(0).getInt(), q.getColumn(1).getInt(), q.getColumn(2).getInt64()});
  return out;
}

void RoscaStore::insert_bid(std::int64_t group_id, const RoscaBidRow& b) {
  sql::Query q(store_,
                      "INSERT INTO rosca_bids (group_id, round_no, share_no, bid) VALUES (?, ?, ?, ?)");
  q.bind(1, group_id);
  q.bind(2, b.round_no);
  q.bind(3, b.share_no);
  q.bind(4, b.bid);
  q.exec();
}

std::vector<RoscaDueRow> RoscaStore::dues(std::int64_t group_id) {
  sql::Query q(store_,
                      "SELECT round_no, share_no, member_id, amount FROM rosca_dues WHERE group_id = ? "
                      "ORDER BY round_no, share_no");
  q.bind(1, group_id);
  std::vector<RoscaDueRow> out;
  while (q.executeStep())
    out.push_back(RoscaDueRow{q.getColumn(0).getInt(), q.getColumn(1).getInt(), q.getColumn(2).getInt64(),
                              q.getColumn(3).getInt64()});
  return out;
}

void RoscaStore::insert_due(std::int64_t group_id, const RoscaDueRow& d) {
  sql::Query q(store_,
                      "INSERT INTO rosca_dues (group_id, round_no, share_no, member_id, amount) VALUES (?, ?, ?, ?, ?)");
  q.bind(1, group_id);
  q.bind(2, d.round_no);
  q.bind(3, d.share_no);
  q.bind(4, d.member_id);
  q.bind(5, d.amount);
  q.exec();
}

std::vector<RoscaMovementRow> RoscaStore::movements(std::int64_t group_id) {
  sql::Query q(store_,
                      "SELECT v.id, v.kind, v.member_id, m.code, v.round_no, v.moved_on, v.amount, v.receipt, v.entry_id, "
                      "(SELECT r.id FROM entries r JOIN entry_owners ro ON ro.entry_id = r.id WHERE r.reverses = v.entry_id) FROM rosca_movements v JOIN members m ON m.id = v.member_id WHERE v.group_id = ? ORDER BY v.id");
  q.bind(1, group_id);
  std::vector<RoscaMovementRow> out;
  while (q.executeStep()) {
    RoscaMovementRow r;
    r.id = q.getColumn(0).getInt64();
    r.kind = q.getColumn(1).getString();
    r.member_id = q.getColumn(2).getInt64();
    r.member_code = q.getColumn(3).getString();
    if (!q.getColumn(4).isNull()) r.round_no = q.getColumn(4).getInt();
    r.moved_on = to_date(q.getColumn(5).getString());
    r.amount = q.getColumn(6).getInt64();
    r.receipt = q.getColumn(7).getString();
    r.entry_id = q.getColumn(8).getInt64();
    if (!q.getColumn(9).isNull()) r.reversed_by = q.getColumn(9).getInt64();
    out.push_back(std::move(r));
  }
  return out;
}

std::int64_t RoscaStore::insert_movement(std::int64_t group_id, const RoscaMovementRow& m,
                                         const std::string& recorded_at, std::int64_t user_id) {
    sql::Query q(store_,
                      "INSERT INTO rosca_movements (group_id, kind, member_id, round_no, moved_on, amount, receipt, "
                      "entry_id, recorded_at, user_id) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id");
  q.bind(1, group_id);
  q.bind(2, m.kind);
  q.bind(3, m.member_id);
  if (m.round_no) q.bind(4, *m.round_no);
  else q.bind(4);
  q.bind(5, m.moved_on.to_iso());
  q.bind(6, m.amount);
  q.bind(7, m.receipt);
  q.bind(8, m.entry_id);
  q.bind(9, recorded_at);
  q.bind(10, user_id);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

std::optional<RoscaClosingRow> RoscaStore::closing(std::int64_t group_id) {
    sql::Query q(store_, "SELECT closed_on, entry_id FROM rosca_closings WHERE group_id = ?");
  q.bind(1, group_id);
  if (!q.executeStep()) return std::nullopt;
  RoscaClosingRow c;
  c.closed_on = to_date(q.getColumn(0).getString());
  if (!q.getColumn(1).isNull()) c.entry_id = q.getColumn(1).getInt64();
  sql::Query s(store_, "SELECT member_id, amount FROM rosca_settlements WHERE group_id = ? ORDER BY member_id");
  s.bind(1, group_id);
  while (s.executeStep()) c.settlements.emplace_back(s.getColumn(0).getInt64(), s.getColumn(1).getInt64());
  return c;
}

void RoscaStore::insert_closing(std::int64_t group_id, const RoscaClosingRow& c, const std::string& recorded_at,
                                std::int64_t user_id) {
    sql::Query q(store_, "INSERT INTO rosca_closings (group_id, closed_on, entry_id, recorded_at, user_id) "
                          "VALUES (?, ?, ?, ?, ?)");
  q.bind(1, group_id);
  q.bind(2, c.closed_on.to_iso());
  if (c.entry_id) q.bind(3, *c.entry_id);
  else q.bind(3);
  q.bind(4, recorded_at);
  q.bind(5, user_id);
  q.exec();
  sql::Query s(store_, "INSERT INTO rosca_settlements (group_id, member_id, amount) VALUES (?, ?, ?)");
  for (const auto& [member, amount] : c.settlements) {
    s.bind(1, group_id);
    s.bind(2, member);
    s.bind(3, amount);
    s.exec();
    s.tryReset();
  }
}

}  // namespace soquy
