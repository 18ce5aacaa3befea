#include "soquy/reports/rosca_reports.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "soquy/rate.h"

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;

std::string money(Money m) { return m.to_plain_string(); }

ordered_json rate_json(const std::optional<Rational>& r) {
  return r ? ordered_json(format_decimal(*r, 4)) : ordered_json(nullptr);
}

// An implied yearly rate as people read it: "7.675,83 %/năm", and "(đến nay — so far)" while
// rounds remain (the later rounds will change it). JSON keeps the ratio (rate_json).
std::string rate_text(const std::optional<Rational>& r, bool whole_cycle) {
  if (!r) return "";
  return format_percent_vi(*r, 2) + "/năm" + (whole_cycle ? "" : " (đến nay — so far)");
}

std::string_view kind_vi(RoscaKind k) {
  switch (k) {
    case RoscaKind::kFixed: return "thứ tự cố định (fixed order)";
    case RoscaKind::kLottery: return "bốc thăm (lottery)";
    case RoscaKind::kBid: return "bỏ thăm có lãi (bidding)";
  }
  return "?";
}

std::string_view event_vi(std::string_view kind) {
  if (kind == "payment") return "thu (payment in)";
  if (kind == "advance") return "chủ họ ứng (holder's advance)";
  if (kind == "payout") return "chi hốt họ (payout)";
  return kind;
}

std::string method_text(const RoscaRound& r) {
  std::string out = r.method;
  if (r.seed) {
    std::string among;
    for (int c : r.candidates) among += fmt::format("{}#{}", among.empty() ? "" : ",", c);
    out += fmt::format(" seed={} among {}", *r.seed, among);
  }
  if (!r.bids.empty()) {
    std::string b;
    for (const auto& [share, bid] : r.bids) b += fmt::format("{}#{}={}", b.empty() ? "" : ",", share, bid.to_plain_string());
    out += " bids " + b;
  }
  return out;
}

ordered_json round_json(const RoscaRound& r) {
  ordered_json due = ordered_json::array();
  for (const auto& d : r.due)
    due.push_back(ordered_json{{"member", d.member}, {"amount", money(d.amount)}, {"paid", money(d.paid)}});
  return ordered_json{{"round", r.round},   {"date", r.date.to_iso()}, {"winner", r.winner},
                      {"bid", money(r.bid)}, {"payout", money(r.payout)}, {"due", due}};
}

ordered_json agreement_json(const RoscaAgreement& a) {
  ordered_json shares = ordered_json::array();
  for (const auto& s : a.shares) shares.push_back(ordered_json{{"share", s.share}, {"member", s.member}, {"name", s.name}});
  return ordered_json{{"group", a.group},
                      {"name", a.name},
                      {"book", a.book},
                      {"holder", a.holder},
                      {"holder_name", a.holder_name},
                      {"kind", std::string(to_string(a.kind))},
                      {"period", std::string(to_string(a.period))},
                      {"start", a.start.to_iso()},
                      {"contribution", money(a.contribution)},
                      {"fee", money(a.fee)},
                      {"holder_takes_first", a.holder_takes_first},
                      {"late_rate", a.late_rate.to_string()},
                      {"rate_cap", format_decimal(a.rate_cap, 4)},
                      {"terms", a.terms},
                      {"shares", shares}};
}

std::vector<std::string> agreement_lines(const RoscaAgreement& a) {
  std::vector<std::string> out;
  out.push_back(fmt::format("Dây họ (group) {} — {}; sổ (book) {}", a.group, a.name, a.book));
  out.push_back(fmt::format("Chủ họ (holder): {} {}", a.holder, a.holder_name));
  out.push_back(fmt::format("Hình thức (kind): {}; kỳ (period): {}; bắt đầu (start): {}", kind_vi(a.kind),
                            to_string(a.period), a.start.to_vietnamese()));
  out.push_back(fmt::format("Số phần (shares): {}; mỗi phần mỗi kỳ (contribution): {} đồng; phí chủ họ mỗi kỳ (fee): {} đồng{}",
                            a.shares.size(), a.contribution.to_grouped_string(), a.fee.to_grouped_string(),
                            a.holder_takes_first ? "; chủ họ hốt kỳ đầu (holder takes the first pot)" : ""));
  out.push_back(fmt::format("Lãi chậm trả (late interest): {}; trần lãi (rate cap): {}/năm", a.late_rate.to_string(),
                            format_decimal(a.rate_cap, 4)));
  if (!a.terms.empty()) out.push_back(fmt::format("Thỏa thuận (terms): {}", a.terms));
  return out;
}

Table members_table(const RoscaStatus& s) {
  Table t{"Thành viên (members)",
          {{"member", "Mã HV (Member)"},
           {"name", "Họ tên (Name)"},
           {"shares", "Số phần (Shares)", CellKind::kInteger},
           {"paid", "Đã góp (Paid)", CellKind::kMoney},
           {"received", "Đã hốt (Received)", CellKind::kMoney},
           {"net", "Chênh lệch (Net)", CellKind::kMoney},
           {"arrears", "Còn nợ (Arrears)", CellKind::kMoney},
           {"advanced", "Chủ họ ứng (Advanced)", CellKind::kMoney},
           {"implied_annual_rate", "Lãi suất/năm (Implied rate)"},
           {"over_cap", "Vượt trần (Over cap)"}}};
  for (const auto& m : s.members)
    t.rows.push_back({m.member, m.name, std::to_string(m.shares), money(m.paid), money(m.received), money(m.net),
                      money(m.arrears), money(m.advanced),
                      rate_text(m.implied_annual_rate, s.whole_cycle),
                      m.over_cap ? "true" : "false"});
  return t;
}

// One line of the group book; sorted by date, then kind (agreement 0, shares 1, opening 2,
// movements 3), then record order.
struct BookEvent {
  Date date;
  int order;
  std::size_t seq;
  std::vector<std::string> cells;
};

// "đã đảo (reversed) #N: reason" — a reversed movement is shown, never counted.
std::string reversed_text(const RoscaReversed& r) {
  return fmt::format("đã đảo (reversed) #{}: {}", r.reversal, r.reason);
}

ordered_json reversed_json(const RoscaReversed& r) {
  const auto& m = r.movement;
  return ordered_json{{"date", m.date.to_iso()},
                      {"kind", m.kind},
                      {"member", m.member},
                      {"round", m.round ? ordered_json(*m.round) : ordered_json(nullptr)},
                      {"amount", money(m.amount)},
                      {"receipt", m.receipt},
                      {"entry", m.entry},
                      {"reversed_by", r.reversal},
                      {"reason", r.reason}};
}

std::vector<BookEvent> book_events(const RoscaStatus& s) {
  const auto& a = s.agreement;
  std::vector<BookEvent> events;
  std::size_t seq = 0;
  events.push_back({a.start, 0, seq++,
                    {a.start.to_iso(), "thỏa thuận (agreement)", "", "", a.holder, money(a.contribution), money(a.fee),
                     "", "",
                     fmt::format("kind={} period={} shares={} late_rate={} terms={}", to_string(a.kind),
                                 to_string(a.period), a.shares.size(), a.late_rate.to_string(), a.terms)}});
  for (const auto& sh : a.shares)
    events.push_back({a.start, 1, seq++,
                      {a.start.to_iso(), "phần họ (share)", "", std::to_string(sh.share), sh.member, "", "", "", "",
                       sh.name}});
  for (const auto& x : s.rounds) {
    std::string dues;
    for (const auto& d : x.due) dues += fmt::format("{}{}#{}={}", dues.empty() ? "" : " ", d.member, d.share, money(d.amount));
    events.push_back({x.date, 2, seq++,
                      {x.date.to_iso(), "mở họ (opening)", std::to_string(x.round), std::to_string(x.winner_share),
                       x.winner, money(x.payout), money(x.fee), money(x.bid), "",
                       fmt::format("{}; D={} L={}; dues {}", method_text(x), x.dead, x.living, dues)}});
  }
  for (const auto& m : s.movements)
    events.push_back({m.date, 3, seq++,
                      {m.date.to_iso(), std::string(event_vi(m.kind)), m.round ? std::to_string(*m.round) : "", "",
                       m.member, money(m.amount), m.kind == "payout" ? money(m.fee) : "", "", m.receipt, ""}});
  for (const auto& r : s.reversed) {
    const auto& m = r.movement;
    events.push_back({m.date, 3, seq++,
                      {m.date.to_iso(), std::string(event_vi(m.kind)), m.round ? std::to_string(*m.round) : "", "",
                       m.member, money(m.amount), "", "", m.receipt, reversed_text(r)}});
  }
  std::stable_sort(events.begin(), events.end(), [](const BookEvent& x, const BookEvent& y) {
    if (x.date != y.date) return x.date < y.date;
    if (x.order != y.order) return x.order < y.order;
    return x.seq < y.seq;
  });
  return events;
}

// The register: one row per event, the agreement's terms and the warnings in the notes.
Table book_table(const RoscaStatus& s) {
  const auto& a = s.agreement;
  Table t{fmt::format("Sổ theo dõi dây họ {} (group book, Decree 19/2019)", a.group),
          {{"date", "Ngày (Date)", CellKind::kDate},
           {"event", "Nội dung (Event)"},
           {"round", "Kỳ (Round)"},
           {"share", "Phần (Share)"},
           {"member", "Thành viên (Member)"},
           {"amount", "Số tiền (Amount)", CellKind::kMoney},
           {"fee", "Phí (Fee)", CellKind::kMoney},
           {"bid", "Bỏ thăm (Bid)", CellKind::kMoney},
           {"receipt", "Biên nhận (Receipt)"},
           {"detail", "Chi tiết (Detail)"}}};
  for (auto& e : book_events(s)) t.rows.push_back(std::move(e.cells));
  auto lines = agreement_lines(a);
  t.notes.insert(t.notes.end(), lines.begin(), lines.end());
  if (s.closed_on) t.notes.push_back(fmt::format("Đã giải thể (closed) ngày {}", s.closed_on->to_vietnamese()));
  for (const auto& w : s.warnings) t.notes.push_back("Cảnh báo (warning): " + w);
  return t;
}

// A round in the book's JSON: round_json with how the winner was chosen and the payout.
ordered_json book_round_json(const RoscaRound& x) {
  ordered_json j = round_json(x);
  j["method"] = x.method;
  j["winner_share"] = x.winner_share;
  j["seed"] = x.seed ? ordered_json(std::to_string(*x.seed)) : ordered_json(nullptr);
  j["candidates"] = x.candidates;
  ordered_json bids = ordered_json::array();
  for (const auto& [share, bid] : x.bids) bids.push_back(ordered_json{{"share", share}, {"bid", money(bid)}});
  j["bids"] = bids;
  j["dead"] = x.dead;
  j["living"] = x.living;
  j["fee"] = money(x.fee);
  j["paid_out_on"] = x.paid_out_on ? ordered_json(x.paid_out_on->to_iso()) : ordered_json(nullptr);
  j["payout_receipt"] = x.payout_receipt;
  return j;
}

ordered_json book_json(const RoscaStatus& s) {
  ordered_json rounds = ordered_json::array(), moves = ordered_json::array(), warnings = ordered_json::array();
  for (const auto& x : s.rounds) rounds.push_back(book_round_json(x));
  for (const auto& m : s.movements)
    moves.push_back(ordered_json{{"date", m.date.to_iso()},
                                 {"kind", m.kind},
                                 {"member", m.member},
                                 {"round", m.round ? ordered_json(*m.round) : ordered_json(nullptr)},
                                 {"amount", money(m.amount)},
                                 {"fee", money(m.fee)},
                                 {"receipt", m.receipt},
                                 {"entry", m.entry}});
  for (const auto& w : s.warnings) warnings.push_back(w);
  ordered_json reversed = ordered_json::array();
  for (const auto& r : s.reversed) reversed.push_back(reversed_json(r));
  return ordered_json{{"agreement", agreement_json(s.agreement)},
                      {"rounds", rounds},
                      {"movements", moves},
                      {"reversed", reversed},
                      {"cash", money(s.cash)},
                      {"closed_on", s.closed_on ? ordered_json(s.closed_on->to_iso()) : ordered_json(nullptr)},
                      {"warnings", warnings}};
}

// The printable book: the agreement's terms as fields, the holder's signature.
Form book_form(const RoscaStatus& s) {
  const auto& a = s.agreement;
  Form f;
  f.organisation = {fmt::format("Dây họ {}", a.name.empty() ? a.group : a.name),
                    fmt::format("Chủ họ: {}", a.holder_name.empty() ? a.holder : a.holder_name)};
  f.title = "SỔ THEO DÕI DÂY HỌ";
  f.subtitle = "Theo Nghị định 19/2019/NĐ-CP về họ, hụi, biêu, phường";
  f.fields = {{"Dây họ", fmt::format("{} ({})", a.name, a.group)},
              {"Chủ họ", fmt::format("{} ({})", a.holder_name, a.holder)},
              {"Hình thức", std::string(kind_vi(a.kind))},
              {"Số phần họ", std::to_string(a.shares.size())},
              {"Góp mỗi phần mỗi kỳ", a.contribution.to_grouped_string() + " đồng"},
              {"Phí chủ họ mỗi kỳ", a.fee.to_grouped_string() + " đồng"},
              {"Ngày bắt đầu", a.start.to_vietnamese()},
              {"Sổ đến ngày", s.as_of.to_vietnamese()}};
  f.place_date = form_place_date("", s.as_of.year(), static_cast<int>(s.as_of.month()), static_cast<int>(s.as_of.day()));
  f.signatures = {{"Chủ họ", a.holder_name}};
  return f;
}

// The member's dues of each round and the payouts she won: rows of `t`, and their JSON.
ordered_json statement_rounds(const RoscaStatus& s, const std::string& member, Table& t) {
  ordered_json rounds = ordered_json::array();
  for (const auto& x : s.rounds) {
    for (const auto& d : x.due) {
      if (d.member != member) continue;
      t.rows.push_back({std::to_string(x.round), x.date.to_iso(), std::to_string(d.share), money(d.amount),
                        money(d.paid), money(d.advanced), ""});
      rounds.push_back(ordered_json{{"round", x.round},
                                    {"date", x.date.to_iso()},
                                    {"share", d.share},
                                    {"due", money(d.amount)},
                                    {"paid", money(d.paid)},
                                    {"advanced", money(d.advanced)},
                                    {"payout", "0"}});
    }
    if (x.winner == member) {
      t.rows.push_back({std::to_string(x.round), x.date.to_iso(), std::to_string(x.winner_share), "0", "0", "0",
                        money(x.payout)});
      rounds.push_back(ordered_json{{"round", x.round},
                                    {"date", x.date.to_iso()},
                                    {"share", x.winner_share},
                                    {"due", "0"},
                                    {"paid", "0"},
                                    {"advanced", "0"},
                                    {"payout", money(x.payout)}});
    }
  }
  return rounds;
}

// The member's payments, advances and payouts: one note of `t` each, and their JSON.
ordered_json statement_movements(const RoscaStatus& s, const std::string& member, Table& t) {
  ordered_json moves = ordered_json::array();
  for (const auto& m : s.movements) {
    if (m.member != member) continue;
    moves.push_back(ordered_json{{"date", m.date.to_iso()},
                                 {"kind", m.kind},
                                 {"round", m.round ? ordered_json(*m.round) : ordered_json(nullptr)},
                                 {"amount", money(m.amount)},
                                 {"receipt", m.receipt}});
    t.notes.push_back(fmt::format("{} {} {} đồng{} — biên nhận (receipt) {}", m.date.to_vietnamese(), event_vi(m.kind),
                                  m.amount.to_grouped_string(), m.round ? fmt::format(" (kỳ {})", *m.round) : "",
                                  m.receipt));
  }
  return moves;
}

// The member's reversed movements: a note each, and the statement's "reversed" array.
ordered_json statement_reversed(const RoscaStatus& s, const std::string& member, Table& t) {
  ordered_json out = ordered_json::array();
  for (const auto& r : s.reversed) {
    if (r.movement.member != member) continue;
    out.push_back(reversed_json(r));
    t.notes.push_back(fmt::format("{} {} {} đồng — biên nhận (receipt) {} — {}", r.movement.date.to_vietnamese(),
                                  event_vi(r.movement.kind), r.movement.amount.to_grouped_string(), r.movement.receipt,
                                  reversed_text(r)));
  }
  return out;
}

// The totals row and the notes that sum the member up: net, arrears, implied rate, wind-down.
void statement_summary(const RoscaMemberStatus& ms, bool whole_cycle, Table& t) {
  t.totals.push_back({"", "Tổng (Total)", "", money(ms.due), money(ms.paid), money(ms.advanced), money(ms.received)});
  t.notes.push_back(fmt::format("Đã góp (paid) {}, đã hốt (received) {}, chênh lệch (net) {}, còn nợ (arrears) {}, "
                                "trong đó chủ họ ứng (advanced by the holder) {}, lãi chậm trả (late interest) {}",
                                ms.paid.to_grouped_string(), ms.received.to_grouped_string(),
                                ms.net.to_grouped_string(), ms.arrears.to_grouped_string(),
                                ms.advanced.to_grouped_string(), ms.late_interest.to_grouped_string()));
  t.notes.push_back(fmt::format("Lãi suất ngầm định (implied annual rate): {}{}",
                                ms.implied_annual_rate ? rate_text(ms.implied_annual_rate, whole_cycle)
                                                       : "không có (none)",
                                ms.over_cap ? " — VƯỢT TRẦN (over the cap)" : ""));
  if (ms.settlement)
    t.notes.push_back(fmt::format("Giải thể (wind-down): {} {} đồng", ms.settlement->is_negative() ? "được nhận (owed)" : "còn phải trả (owes)",
                                  (ms.settlement->is_negative() ? -*ms.settlement : *ms.settlement).to_grouped_string()));
}

}  // namespace

Report rosca_status(const RoscaStatus& s) {
  Report r;
  const auto& a = s.agreement;
  ordered_json rounds = ordered_json::array(), members = ordered_json::array(), warnings = ordered_json::array();
  for (const auto& x : s.rounds) rounds.push_back(round_json(x));
  for (const auto& m : s.members)
    members.push_back(ordered_json{{"member", m.member},
                                   {"shares", m.shares},
                                   {"paid", money(m.paid)},
                                   {"received", money(m.received)},
                                   {"net", money(m.net)},
                                   {"implied_annual_rate", rate_json(m.implied_annual_rate)},
                                   {"over_cap", m.over_cap}});
  for (const auto& w : s.warnings) warnings.push_back(w);
  r.json = ordered_json{{"group", a.group},
                        {"kind", std::string(to_string(a.kind))},
                        {"contribution", money(a.contribution)},
                        {"shares", static_cast<std::int64_t>(a.shares.size())},
                        {"as_of", s.as_of.to_iso()},
                        {"whole_cycle", s.whole_cycle},
                        {"rounds", rounds},
                        {"members", members},
                        {"warnings", warnings}};
  Table rt{fmt::format("Dây họ {} — các kỳ mở họ (rounds)", a.group),
           {{"round", "Kỳ (Round)", CellKind::kInteger},
            {"date", "Ngày (Date)", CellKind::kDate},
            {"winner", "Người hốt (Winner)"},
            {"bid", "Bỏ thăm (Bid)", CellKind::kMoney},
            {"payout", "Tiền hốt (Payout)", CellKind::kMoney},
            {"fee", "Phí (Fee)", CellKind::kMoney},
            {"due", "Phải góp (Due)", CellKind::kMoney},
            {"paid", "Đã góp (Paid)", CellKind::kMoney},
            {"paid_out", "Đã chi (Paid out)", CellKind::kDate}}};
  for (const auto& x : s.rounds) {
    Money due, paid;
    for (const auto& d : x.due) {
      due += d.amount;
      paid += d.paid;
    }
    rt.rows.push_back({std::to_string(x.round), x.date.to_iso(), x.winner, money(x.bid), money(x.payout), money(x.fee),
                       money(due), money(paid), x.paid_out_on ? x.paid_out_on->to_iso() : ""});
  }
  for (const auto& w : s.warnings) rt.notes.push_back("Cảnh báo (warning): " + w);
  r.tables.push_back(std::move(rt));
  r.tables.push_back(members_table(s));
  return r;
}

Report rosca_book(const RoscaStatus& s) {
  Report r;
  r.json = book_json(s);
  r.tables.push_back(book_table(s));
  r.tables.push_back(members_table(s));
  r.form = book_form(s);
  return r;
}

Result<Report> rosca_receipt(const RoscaStatus& s, const std::string& receipt) {
  const auto& a = s.agreement;
  const RoscaMovement* m = nullptr;
  for (const auto& x : s.movements)
    if (x.receipt == receipt) {
      m = &x;
      break;
    }
  if (!m)
    return fail(Error::bad_input(fmt::format("no receipt '{}' in group '{}'", receipt, a.group)).in_field("receipt"));
  std::string name;
  for (const auto& ms : s.members)
    if (ms.member == m->member) name = ms.name;
  const std::string round = m->round ? std::to_string(*m->round) : "";
  std::string what;
  if (m->kind == "payment") what = m->round ? fmt::format("Nộp tiền góp họ kỳ {}", round) : "Nộp tiền góp họ";
  else if (m->kind == "advance") what = fmt::format("Chủ họ ứng tiền góp kỳ {} thay cho thành viên", round);
  else what = fmt::format("Nhận tiền hốt họ kỳ {}", round);
  Report r;
  r.json = ordered_json{{"group", a.group},   {"name", a.name},        {"holder", a.holder},
                        {"holder_name", a.holder_name},              {"receipt", m->receipt},
                        {"date", m->date.to_iso()},                  {"kind", m->kind},
                        {"round", m->round ? ordered_json(*m->round) : ordered_json(nullptr)},
                        {"member", m->member}, {"member_name", name}, {"amount", money(m->amount)},
                        {"fee", money(m->fee)}, {"entry", m->entry}};
  Table t{fmt::format("Giấy biên nhận {} — dây họ {} (receipt)", m->receipt, a.group),
          {{"receipt", "Số biên nhận (Receipt)"},
           {"date", "Ngày (Date)", CellKind::kDate},
           {"event", "Nội dung (Event)"},
           {"round", "Kỳ (Round)", CellKind::kInteger},
           {"member", "Mã HV (Member)"},
           {"name", "Họ tên (Name)"},
           {"amount", "Số tiền (Amount)", CellKind::kMoney},
           {"fee", "Phí chủ họ (Fee)", CellKind::kMoney}}};
  t.rows.push_back({m->receipt, m->date.to_iso(), std::string(event_vi(m->kind)), round, m->member, name,
                    money(m->amount), m->kind == "payout" ? money(m->fee) : ""});
  r.tables.push_back(std::move(t));
  Form f;
  f.organisation = {fmt::format("Dây họ {}", a.name.empty() ? a.group : a.name),
                    fmt::format("Chủ họ: {}", a.holder_name.empty() ? a.holder : a.holder_name)};
  f.title = "GIẤY BIÊN NHẬN";
  f.subtitle = fmt::format("Số: {}", m->receipt);
  f.fields = {{"Dây họ", fmt::format("{} ({})", a.name, a.group)},
              {m->kind == "payout" ? "Người nhận tiền" : "Thành viên", fmt::format("{} ({})", name, m->member)},
              {"Nội dung", what},
              {"Số tiền", m->amount.to_grouped_string() + " đồng"}};
  if (m->kind == "payout" && !m->fee.is_zero()) f.fields.push_back({"Phí chủ họ", m->fee.to_grouped_string() + " đồng"});
  f.fields.push_back({"Ngày", m->date.to_vietnamese()});
  f.place_date = form_place_date("", m->date.year(), static_cast<int>(m->date.month()), static_cast<int>(m->date.day()));
  if (m->kind == "payment") f.signatures = {{"Người nộp tiền", name}, {"Chủ họ", a.holder_name}};
  else if (m->kind == "payout") f.signatures = {{"Người nhận tiền", name}, {"Chủ họ", a.holder_name}};
  else f.signatures = {{"Chủ họ", a.holder_name}};
  r.form = std::move(f);
  return r;
}

Result<Report> rosca_statement(const RoscaStatus& s, const std::string& member) {
  const RoscaMemberStatus* ms = nullptr;
  for (const auto& m : s.members)
    if (m.member == member) ms = &m;
  if (!ms)
    return fail(Error::bad_input(fmt::format("'{}' holds no share of group '{}'", member, s.agreement.group))
                    .in_field("member"));
  Report r;
  Table t{fmt::format("Sao kê thành viên {} — {} — dây họ {} (member statement as of {})", ms->member, ms->name,
                      s.agreement.group, s.as_of.to_vietnamese()),
          {{"round", "Kỳ (Round)", CellKind::kInteger},
           {"date", "Ngày (Date)", CellKind::kDate},
           {"share", "Phần (Share)", CellKind::kInteger},
           {"due", "Phải góp (Due)", CellKind::kMoney},
           {"paid", "Đã góp (Paid)", CellKind::kMoney},
           {"advanced", "Chủ họ ứng (Advanced)", CellKind::kMoney},
           {"payout", "Tiền hốt (Payout)", CellKind::kMoney}}};
  ordered_json rounds = statement_rounds(s, member, t);
  ordered_json moves = statement_movements(s, member, t);
  ordered_json reversed = statement_reversed(s, member, t);
  statement_summary(*ms, s.whole_cycle, t);
  r.json = ordered_json{{"group", s.agreement.group},
                        {"member", ms->member},
                        {"name", ms->name},
                        {"as_of", s.as_of.to_iso()},
                        {"whole_cycle", s.whole_cycle},
                        {"shares", ms->shares},
                        {"rounds", rounds},
                        {"movements", moves},
                        {"reversed", reversed},
                        {"due", money(ms->due)},
                        {"paid", money(ms->paid)},
                        {"received", money(ms->received)},
                        {"net", money(ms->net)},
                        {"arrears", money(ms->arrears)},
                        {"advanced", money(ms->advanced)},
                        {"late_interest", money(ms->late_interest)},
                        {"implied_annual_rate", rate_json(ms->implied_annual_rate)},
                        {"over_cap", ms->over_cap},
                        {"settlement", ms->settlement ? ordered_json(money(*ms->settlement)) : ordered_json(nullptr)}};
  r.tables.push_back(std::move(t));
  return r;
}

Report rosca_opened(const RoscaStatus& s, const RoscaRound& x) {
  Report r;
  r.json = round_json(x);
  r.json["method"] = x.method;
  r.json["seed"] = x.seed ? ordered_json(std::to_string(*x.seed)) : ordered_json(nullptr);
  r.json["fee"] = money(x.fee);
  r.json["entry"] = x.entry;
  Table t{fmt::format("Mở họ kỳ {} dây {} — {} — {} hốt (phần #{}), bỏ thăm {}, tiền hốt {}, phí {}", x.round,
                      s.agreement.group, x.date.to_vietnamese(), x.winner, x.winner_share, x.bid.to_grouped_string(),
                      x.payout.to_grouped_string(), x.fee.to_grouped_string()),
          {{"share", "Phần (Share)", CellKind::kInteger},
           {"member", "Thành viên (Member)"},
           {"amount", "Phải góp (Due)", CellKind::kMoney}}};
  for (const auto& d : x.due) t.rows.push_back({std::to_string(d.share), d.member, money(d.amount)});
  t.notes.push_back(fmt::format("Cách chọn (method): {}; D={} L={}", method_text(x), x.dead, x.living));
  r.tables.push_back(std::move(t));
  return r;
}

Report rosca_movements(const std::string& group, const std::vector<RoscaMovement>& moves) {
  Report r;
  ordered_json arr = ordered_json::array();
  Table t{fmt::format("Dây họ {} — thu chi (movements)", group),
          {{"date", "Ngày (Date)", CellKind::kDate},
           {"event", "Nội dung (Event)"},
           {"member", "Thành viên (Member)"},
           {"round", "Kỳ (Round)"},
           {"amount", "Số tiền (Amount)", CellKind::kMoney},
           {"fee", "Phí (Fee)", CellKind::kMoney},
           {"receipt", "Biên nhận (Receipt)"},
           {"entry", "Bút toán (Entry)", CellKind::kInteger}}};
  for (const auto& m : moves) {
    arr.push_back(ordered_json{{"date", m.date.to_iso()},
                               {"kind", m.kind},
                               {"member", m.member},
                               {"round", m.round ? ordered_json(*m.round) : ordered_json(nullptr)},
                               {"amount", money(m.amount)},
                               {"fee", money(m.fee)},
                               {"receipt", m.receipt},
                               {"entry", m.entry},
                               {"created", m.created}});
    t.rows.push_back({m.date.to_iso(), std::string(event_vi(m.kind)), m.member, m.round ? std::to_string(*m.round) : "",
                      money(m.amount), money(m.fee), m.receipt, std::to_string(m.entry)});
    if (!m.created) t.notes.push_back(fmt::format("Biên nhận {} đã ghi trước đó: không thay đổi (already recorded; nothing changed)", m.receipt));
  }
  r.json = ordered_json{{"group", group}, {"movements", arr}};
  r.tables.push_back(std::move(t));
  return r;
}

Report rosca_closed(const std::string& group, const RoscaCloseResult& c) {
  Report r;
  ordered_json arr = ordered_json::array();
  Table t{fmt::format("Giải thể dây họ {} ngày {} (wind-down)", group, c.date.to_vietnamese()),
          {{"member", "Thành viên (Member)"}, {"settlement", "Phải trả (+) / được nhận (−) (Settlement)", CellKind::kMoney}}};
  for (const auto& [m, amount] : c.settlements) {
    arr.push_back(ordered_json{{"member", m}, {"settlement", money(amount)}});
    t.rows.push_back({m, money(amount)});
  }
  r.json = ordered_json{{"group", group},
                        {"date", c.date.to_iso()},
                        {"entry", c.entry ? ordered_json(*c.entry) : ordered_json(nullptr)},
                        {"settlements", arr}};
  r.tables.push_back(std::move(t));
  return r;
}

}  // namespace soquy::reports
