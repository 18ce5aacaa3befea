#include "soquy/reports/rosca_reports.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "soquy/i18n.h"
#include "soquy/rate.h"
#include "human_date.h"

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
  return fmt::format(fmt::runtime(whole_cycle ? tr("{}/year") : tr("{}/year (so far)")), format_ratio_percent(*r, 2));
}

std::string_view kind_vi(RoscaKind k) {
  switch (k) {
    case RoscaKind::kFixed: return tr("fixed order");
    case RoscaKind::kLottery: return tr("lottery");
    case RoscaKind::kBid: return tr("bidding");
  }
  return "?";
}

std::string_view event_vi(std::string_view kind) {
  if (kind == "payment") return tr("payment in");
  if (kind == "advance") return tr("holder's advance");
  if (kind == "payout") return tr("payout");
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
  out.push_back(fmt::format(fmt::runtime(tr("Rotating group {} — {}; book {}")), a.group, a.name, a.book));
  out.push_back(fmt::format(fmt::runtime(tr("Holder: {} {}")), a.holder, a.holder_name));
  out.push_back(fmt::format(fmt::runtime(tr("Kind: {}; period: {}; start: {}")), kind_vi(a.kind),
                            to_string(a.period), human_date(a.start)));
  out.push_back(fmt::format(
      fmt::runtime(a.holder_takes_first
                       ? tr("Shares: {}; contribution per share per round: {} VND; holder's fee per round: {} VND; "
                            "the holder takes the first pot")
                       : tr("Shares: {}; contribution per share per round: {} VND; holder's fee per round: {} VND")),
      a.shares.size(), a.contribution.to_grouped_string(), a.fee.to_grouped_string()));
  out.push_back(fmt::format(fmt::runtime(tr("Late interest: {}; rate cap: {}/year")), a.late_rate.to_string(),
                            format_decimal(a.rate_cap, 4)));
  if (!a.terms.empty()) out.push_back(fmt::format(fmt::runtime(tr("Terms: {}")), a.terms));
  return out;
}

Table members_table(const RoscaStatus& s) {
  Table t{trc("rosca", "Members"),
          {{"member", tr("Member ID")},
           {"name", tr("Full name")},
           {"shares", tr("Shares held"), CellKind::kInteger},
           {"paid", trc("rosca", "Paid"), CellKind::kMoney},
           {"received", trc("rosca", "Received"), CellKind::kMoney},
           {"net", tr("Net"), CellKind::kMoney},
           {"arrears", trc("rosca", "Arrears"), CellKind::kMoney},
           {"advanced", tr("Advanced by the holder"), CellKind::kMoney},
           {"implied_annual_rate", tr("Implied rate")},
           {"over_cap", tr("Over cap")}}};
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
  return fmt::format(fmt::runtime(tr("reversed by #{}: {}")), r.reversal, r.reason);
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
                    {a.start.to_iso(), tr("agreement"), "", "", a.holder, money(a.contribution), money(a.fee),
                     "", "",
                     fmt::format("kind={} period={} shares={} late_rate={} terms={}", to_string(a.kind),
                                 to_string(a.period), a.shares.size(), a.late_rate.to_string(), a.terms)}});
  for (const auto& sh : a.shares)
    events.push_back({a.start, 1, seq++,
                      {a.start.to_iso(), tr("share"), "", std::to_string(sh.share), sh.member, "", "", "", "",
                       sh.name}});
  for (const auto& x : s.rounds) {
    std::string dues;
    for (const auto& d : x.due) dues += fmt::format("{}{}#{}={}", dues.empty() ? "" : " ", d.member, d.share, money(d.amount));
    events.push_back({x.date, 2, seq++,
                      {x.date.to_iso(), tr("opening"), std::to_string(x.round), std::to_string(x.winner_share),
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
  Table t{fmt::format(fmt::runtime(tr("Book of rotating group {} (Decree 19/2019)")), a.group),
          {{"date", tr("Date"), CellKind::kDate},
           {"event", trc("rosca", "Event")},
           {"round", tr("Round")},
           {"share", tr("Share")},
           {"member", trc("rosca", "Member")},
           {"amount", tr("Amount"), CellKind::kMoney},
           {"fee", tr("Fee"), CellKind::kMoney},
           {"bid", tr("Bid"), CellKind::kMoney},
           {"receipt", trc("rosca", "Receipt")},
           {"detail", trc("rosca", "Detail")}}};
  for (auto& e : book_events(s)) t.rows.push_back(std::move(e.cells));
  auto lines = agreement_lines(a);
  t.notes.insert(t.notes.end(), lines.begin(), lines.end());
  if (s.closed_on) t.notes.push_back(fmt::format(fmt::runtime(tr("Wound down on {}")), human_date(*s.closed_on)));
  for (const auto& w : s.warnings) t.notes.push_back(fmt::format(fmt::runtime(tr("Warning: {}")), w));
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
  f.organisation = {fmt::format(fmt::runtime(tr("Rotating group {}")), a.name.empty() ? a.group : a.name),
                    fmt::format(fmt::runtime(tr("Holder: {}")), a.holder_name.empty() ? a.holder : a.holder_name)};
  f.title = tr("ROTATING GROUP BOOK");
  f.subtitle = tr("Under Decree 19/2019/NĐ-CP on rotating savings groups (họ, hụi, biêu, phường)");
  f.fields = {{tr("Rotating group"), fmt::format("{} ({})", a.name, a.group)},
              {tr("Holder"), fmt::format("{} ({})", a.holder_name, a.holder)},
              {trc("rosca", "Kind"), std::string(kind_vi(a.kind))},
              {tr("Number of shares"), std::to_string(a.shares.size())},
              {tr("Contribution per share per round"), fmt::format(fmt::runtime(tr("{} VND")), a.contribution.to_grouped_string())},
              {tr("Holder's fee per round"), fmt::format(fmt::runtime(tr("{} VND")), a.fee.to_grouped_string())},
              {tr("Start date"), human_date(a.start)},
              {tr("Book as of"), human_date(s.as_of)}};
  f.place_date = form_place_date("", s.as_of.year(), static_cast<int>(s.as_of.month()), static_cast<int>(s.as_of.day()));
  f.signatures = {{tr("Holder"), a.holder_name}};
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
    if (m.round)
      t.notes.push_back(fmt::format(fmt::runtime(tr("{} {} {} VND (round {}) — receipt {}")), human_date(m.date),
                                    event_vi(m.kind), m.amount.to_grouped_string(), *m.round, m.receipt));
    else
      t.notes.push_back(fmt::format(fmt::runtime(tr("{} {} {} VND — receipt {}")), human_date(m.date),
                                    event_vi(m.kind), m.amount.to_grouped_string(), m.receipt));
  }
  return moves;
}

// The member's reversed movements: a note each, and the statement's "reversed" array.
ordered_json statement_reversed(const RoscaStatus& s, const std::string& member, Table& t) {
  ordered_json out = ordered_json::array();
  for (const auto& r : s.reversed) {
    if (r.movement.member != member) continue;
    out.push_back(reversed_json(r));
    t.notes.push_back(fmt::format(fmt::runtime(tr("{} {} {} VND — receipt {} — {}")), human_date(r.movement.date),
                                  event_vi(r.movement.kind), r.movement.amount.to_grouped_string(), r.movement.receipt,
                                  reversed_text(r)));
  }
  return out;
}

// The totals row and the notes that sum the member up: net, arrears, implied rate, wind-down.
void statement_summary(const RoscaMemberStatus& ms, bool whole_cycle, Table& t) {
  t.totals.push_back({"", tr("In total"), "", money(ms.due), money(ms.paid), money(ms.advanced), money(ms.received)});
  t.notes.push_back(fmt::format(fmt::runtime(tr("Paid {}, received {}, net {}, arrears {}, of which advanced by the "
                                                "holder {}, late interest {}")),
                                ms.paid.to_grouped_string(), ms.received.to_grouped_string(),
                                ms.net.to_grouped_string(), ms.arrears.to_grouped_string(),
                                ms.advanced.to_grouped_string(), ms.late_interest.to_grouped_string()));
  t.notes.push_back(fmt::format(fmt::runtime(tr("Implied annual rate: {}{}")),
                                ms.implied_annual_rate ? rate_text(ms.implied_annual_rate, whole_cycle)
                                                       : tr("none"),
                                ms.over_cap ? tr(" — OVER THE CAP") : ""));
  if (ms.settlement)
    t.notes.push_back(fmt::format(fmt::runtime(ms.settlement->is_negative() ? tr("Wind-down: is owed {} VND")
                                                                            : tr("Wind-down: owes {} VND")),
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
  Table rt{fmt::format(fmt::runtime(tr("Rotating group {} — rounds")), a.group),
           {{"round", tr("Round"), CellKind::kInteger},
            {"date", tr("Date"), CellKind::kDate},
            {"winner", tr("Winner")},
            {"bid", tr("Bid"), CellKind::kMoney},
            {"payout", tr("Pot"), CellKind::kMoney},
            {"fee", tr("Fee"), CellKind::kMoney},
            {"due", trc("rosca", "Due"), CellKind::kMoney},
            {"paid", trc("rosca", "Paid"), CellKind::kMoney},
            {"paid_out", tr("Paid out"), CellKind::kDate}}};
  for (const auto& x : s.rounds) {
    Money due, paid;
    for (const auto& d : x.due) {
      due += d.amount;
      paid += d.paid;
    }
    rt.rows.push_back({std::to_string(x.round), x.date.to_iso(), x.winner, money(x.bid), money(x.payout), money(x.fee),
                       money(due), money(paid), x.paid_out_on ? x.paid_out_on->to_iso() : ""});
  }
  for (const auto& w : s.warnings) rt.notes.push_back(fmt::format(fmt::runtime(tr("Warning: {}")), w));
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
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("no receipt '{}' in group '{}'")), receipt, a.group)).in_field("receipt"));
  std::string name;
  for (const auto& ms : s.members)
    if (ms.member == m->member) name = ms.name;
  const std::string round = m->round ? std::to_string(*m->round) : "";
  std::string what;
  if (m->kind == "payment")
    what = m->round ? fmt::format(fmt::runtime(tr("Contribution for round {}")), round) : std::string(tr("Contribution"));
  else if (m->kind == "advance") what = fmt::format(fmt::runtime(tr("The holder advances the contribution for round {} for the member")), round);
  else what = fmt::format(fmt::runtime(tr("Payout of round {}")), round);
  Report r;
  r.json = ordered_json{{"group", a.group},   {"name", a.name},        {"holder", a.holder},
                        {"holder_name", a.holder_name},              {"receipt", m->receipt},
                        {"date", m->date.to_iso()},                  {"kind", m->kind},
                        {"round", m->round ? ordered_json(*m->round) : ordered_json(nullptr)},
                        {"member", m->member}, {"member_name", name}, {"amount", money(m->amount)},
                        {"fee", money(m->fee)}, {"entry", m->entry}};
  Table t{fmt::format(fmt::runtime(tr("Receipt {} — rotating group {}")), m->receipt, a.group),
          {{"receipt", tr("Receipt number")},
           {"date", tr("Date"), CellKind::kDate},
           {"event", trc("rosca", "Event")},
           {"round", tr("Round"), CellKind::kInteger},
           {"member", tr("Member ID")},
           {"name", tr("Full name")},
           {"amount", tr("Amount"), CellKind::kMoney},
           {"fee", tr("Holder's fee"), CellKind::kMoney}}};
  t.rows.push_back({m->receipt, m->date.to_iso(), std::string(event_vi(m->kind)), round, m->member, name,
                    money(m->amount), m->kind == "payout" ? money(m->fee) : ""});
  r.tables.push_back(std::move(t));
  Form f;
  f.organisation = {fmt::format(fmt::runtime(tr("Rotating group {}")), a.name.empty() ? a.group : a.name),
                    fmt::format(fmt::runtime(tr("Holder: {}")), a.holder_name.empty() ? a.holder : a.holder_name)};
  f.title = tr("RECEIPT");
  f.subtitle = fmt::format(fmt::runtime(tr("No. {}")), m->receipt);
  f.fields = {{tr("Rotating group"), fmt::format("{} ({})", a.name, a.group)},
              {m->kind == "payout" ? tr("Payee") : trc("rosca", "Member"), fmt::format("{} ({})", name, m->member)},
              {tr("Description"), what},
              {tr("Amount"), fmt::format(fmt::runtime(tr("{} VND")), m->amount.to_grouped_string())}};
  if (m->kind == "payout" && !m->fee.is_zero())
    f.fields.push_back({tr("Holder's fee"), fmt::format(fmt::runtime(tr("{} VND")), m->fee.to_grouped_string())});
  f.fields.push_back({tr("Date"), human_date(m->date)});
  f.place_date = form_place_date("", m->date.year(), static_cast<int>(m->date.month()), static_cast<int>(m->date.day()));
  if (m->kind == "payment") f.signatures = {{tr("Payer"), name}, {tr("Holder"), a.holder_name}};
  else if (m->kind == "payout") f.signatures = {{tr("Payee"), name}, {tr("Holder"), a.holder_name}};
  else f.signatures = {{tr("Holder"), a.holder_name}};
  r.form = std::move(f);
  return r;
}

Result<Report> rosca_statement(const RoscaStatus& s, const std::string& member) {
  const RoscaMemberStatus* ms = nullptr;
  for (const auto& m : s.members)
    if (m.member == member) ms = &m;
  if (!ms)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' holds no share of group '{}'")), member, s.agreement.group))
                    .in_field("member"));
  Report r;
  Table t{fmt::format(fmt::runtime(tr("Statement of member {} — {} — rotating group {} as of {}")), ms->member, ms->name,
                      s.agreement.group, human_date(s.as_of)),
          {{"round", tr("Round"), CellKind::kInteger},
           {"date", tr("Date"), CellKind::kDate},
           {"share", tr("Share"), CellKind::kInteger},
           {"due", trc("rosca", "Due"), CellKind::kMoney},
           {"paid", trc("rosca", "Paid"), CellKind::kMoney},
           {"advanced", tr("Advanced by the holder"), CellKind::kMoney},
           {"payout", tr("Pot"), CellKind::kMoney}}};
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
  Table t{fmt::format(fmt::runtime(tr("Round {} of group {} — {} — {} takes the pot (share #{}), bid {}, payout {}, fee {}")), x.round,
                      s.agreement.group, human_date(x.date), x.winner, x.winner_share, x.bid.to_grouped_string(),
                      x.payout.to_grouped_string(), x.fee.to_grouped_string()),
          {{"share", tr("Share"), CellKind::kInteger},
           {"member", trc("rosca", "Member")},
           {"amount", trc("rosca", "Due"), CellKind::kMoney}}};
  for (const auto& d : x.due) t.rows.push_back({std::to_string(d.share), d.member, money(d.amount)});
  t.notes.push_back(fmt::format(fmt::runtime(tr("Method: {}; D={} L={}")), method_text(x), x.dead, x.living));
  r.tables.push_back(std::move(t));
  return r;
}

Report rosca_movements(const std::string& group, const std::vector<RoscaMovement>& moves) {
  Report r;
  ordered_json arr = ordered_json::array();
  Table t{fmt::format(fmt::runtime(tr("Rotating group {} — movements")), group),
          {{"date", tr("Date"), CellKind::kDate},
           {"event", trc("rosca", "Event")},
           {"member", trc("rosca", "Member")},
           {"round", tr("Round")},
           {"amount", tr("Amount"), CellKind::kMoney},
           {"fee", tr("Fee"), CellKind::kMoney},
           {"receipt", trc("rosca", "Receipt")},
           {"entry", tr("Entry"), CellKind::kInteger}}};
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
    if (!m.created)
      t.notes.push_back(fmt::format(fmt::runtime(tr("Receipt {} was recorded before: nothing changed.")), m.receipt));
  }
  r.json = ordered_json{{"group", group}, {"movements", arr}};
  r.tables.push_back(std::move(t));
  return r;
}

Report rosca_closed(const std::string& group, const RoscaCloseResult& c) {
  Report r;
  ordered_json arr = ordered_json::array();
  Table t{fmt::format(fmt::runtime(tr("Wind-down of rotating group {} on {}")), group, human_date(c.date)),
          {{"member", trc("rosca", "Member")}, {"settlement", tr("Settlement: owes (+) / is owed (−)"), CellKind::kMoney}}};
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
