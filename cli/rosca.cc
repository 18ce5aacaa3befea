// soquy rosca create|open|pay|payout|status|book|statement|close: rotating groups (hụi / họ,
// Decree 19/2019). The rules are in soquy::Rosca (ledger/include/soquy/rosca.h, docs/rosca.md);
// this file parses and prints.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "context.h"
#include "soquy/rate.h"
#include "soquy/reports/rosca_reports.h"
#include "soquy/rosca.h"

namespace soquy::cli {
namespace {

// "M1,M2,M2" → {"M1","M2","M2"}; empty items are refused.
Result<std::vector<std::string>> list_option(const std::string& text, std::string_view option) {
  std::vector<std::string> out;
  std::size_t from = 0;
  for (;;) {
    auto comma = text.find(',', from);
    std::string item = text.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    if (item.empty()) return fail(Error::usage(fmt::format(fmt::runtime(tr("{}: '{}' has an empty item")), option, text)));
    out.push_back(item);
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  return out;
}

struct CreateArgs {
  std::string group, holder, contribution, period = "monthly", start, kind, shares, fee = "0", unit, name, late_rate,
      terms;
  bool holder_first = false;
};

// The agreement of `rosca create` from its options; the option's name is in every error.
Result<RoscaSpec> rosca_spec(const CreateArgs& a) {
  RoscaSpec s;
  s.group = a.group;
  s.unit = a.unit;
  s.name = a.name;
  s.holder = a.holder;
  auto contribution = money_option(a.contribution, "--contribution");
  if (!contribution) return fail(contribution.error());
  s.contribution = *contribution;
  auto fee = money_option(a.fee, "--fee");
  if (!fee) return fail(fee.error());
  s.fee = *fee;
  auto period = parse_rosca_period(a.period);
  if (!period) return fail(period.error());
  s.period = *period;
  auto kind = parse_rosca_kind(a.kind);
  if (!kind) return fail(kind.error());
  s.kind = *kind;
  auto start = parse_date_option(a.start, "--start");
  if (!start) return fail(start.error());
  s.start = *start;
  auto shares = list_option(a.shares, "--shares");
  if (!shares) return fail(shares.error());
  s.shares = *shares;
  s.holder_takes_first = a.holder_first;
  if (!a.late_rate.empty()) {
    auto r = Rate::parse(a.late_rate);
    if (!r) return fail(r.error().with_context("--late-rate: "));
    s.late_rate = *r;
  }
  s.terms = a.terms;
  return s;
}

void add_create(CLI::App& rosca, Context& ctx) {
  auto a = std::make_shared<CreateArgs>();
  auto* cmd = rosca.add_subcommand(
      "create", tr("Record a group's written agreement: holder, shares (a member listed twice holds two), contribution "
                   "per share per round, period, kind and fee. Members and holder must be 18 or older.\nExample: soquy "
                   "rosca create H1 --unit AT --holder HV001 --contribution 500000 --period monthly --start 2026-01-05 "
                   "--kind fixed --shares HV001,HV002,HV003,HV004 --fee 50000"));
  cmd->add_option("GROUP", a->group, tr("Group code (a registry group of kind rosca, or a new one with --unit)"))->required();
  cmd->add_option("--holder", a->holder, tr("The holder (chủ họ), member id"))->required();
  cmd->add_option("--contribution", a->contribution, tr("A: whole đồng per share per round"))->required();
  cmd->add_option("--period", a->period, tr("monthly (default) or weekly"))->check(CLI::IsMember({"monthly", "weekly"}));
  cmd->add_option("--start", a->start, tr("Date of the agreement (YYYY-MM-DD or DD/MM/YYYY); no round opens before it"))->required();
  cmd->add_option("--kind", a->kind, tr("fixed (agreed order), lottery (drawn) or bid (highest bid wins)"))
      ->required()
      ->check(CLI::IsMember({"fixed", "lottery", "bid"}));
  cmd->add_option("--shares", a->shares, tr("Member ids in the agreed order, comma separated: M1,M2,…"))->required();
  cmd->add_option("--fee", a->fee, tr("The holder's fee per round, whole đồng (default 0)"));
  cmd->add_flag("--holder-takes-first", a->holder_first, tr("The holder's share takes round 1 without a bid"));
  cmd->add_option("--unit", a->unit, tr("Create the registry group (kind rosca) in this unit"));
  cmd->add_option("--name", a->name, tr("Its name (with --unit; default the code)"));
  cmd->add_option("--late-rate", a->late_rate, tr("Agreed late-payment interest, e.g. 12%/year (default 10%/year)"));
  cmd->add_option("--terms", a->terms, tr("The written agreement's own words (printed in the book)"));
  cmd->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto s = rosca_spec(*a);
      if (!s) return fail(s.error());
      return with_engine<Rosca>(ctx, Ledger::Access::kWrite, [&](Rosca& r) -> Result<int> {
        auto made = r.create(*s);
        if (!made) return fail(made.error());
        std::cout << fmt::format(
            fmt::runtime(tr("Created rotating group {}: {} shares, {} đồng/share/round ({}), {}, holder {}, fee {} "
                            "đồng/round — book {}")),
            made->group, made->shares.size(), made->contribution.to_grouped_string(), to_string(made->period),
            to_string(made->kind), made->holder, made->fee.to_grouped_string(), made->book)
                  << "\n";
        return 0;
      });
    };
  });
}

void add_open(CLI::App& rosca, Context& ctx) {
  struct Args {
    std::string group, date, winner, bid, seed, bids;
    int round = 0;
  };
  auto a = std::make_shared<Args>();
  auto o = std::make_shared<OutputOptions>();
  auto* cmd = rosca.add_subcommand(
      "open", tr("Open a round (mở họ): fixed order takes the next share; lottery draws with --draw-seed; bid: the winner "
                 "and her bid (--winner --bid), or every bid (--bids M=B,…; a tie is drawn with --draw-seed). Prints "
                 "what every share owes (dead shares A, living shares A − B) and the payout A·D + (A − B)·L − fee."));
  cmd->add_option("GROUP", a->group, tr("Group code"))->required();
  cmd->add_option("--round", a->round, tr("Round number K (the next one)"))->required();
  cmd->add_option("--date", a->date, tr("Date of the opening"))->required();
  cmd->add_option("--winner", a->winner, tr("Bid groups: the member whose bid won"));
  cmd->add_option("--bid", a->bid, tr("Bid groups: her winning bid B, whole đồng (0 is valid)"));
  cmd->add_option("--bids", a->bids, tr("Bid groups: every bid made, M1=B1,M2=B2,… (highest wins, a tie is drawn)"));
  cmd->add_option("--draw-seed", a->seed, tr("Seed of a draw (a whole number announced at the meeting; replayable)"));
  o->add_to(*cmd);
  cmd->callback([&ctx, a, o] {
    ctx.action = [&ctx, a, o]() -> Result<int> {
      RoscaOpenSpec s;
      s.round = a->round;
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      s.date = *date;
      s.winner = a->winner;
      if (!a->bid.empty()) {
        auto b = money_option(a->bid, "--bid");
        if (!b) return fail(b.error());
        s.bid = *b;
      }
      if (!a->bids.empty()) {
        auto items = list_option(a->bids, "--bids");
        if (!items) return fail(items.error());
        for (const auto& item : *items) {
          auto eq = item.find('=');
          if (eq == std::string::npos || eq == 0)
            return fail(Error::usage(fmt::format(fmt::runtime(tr("--bids: '{}' is not MEMBER=BID")), item)));
          auto b = money_option(item.substr(eq + 1), "--bids");
          if (!b) return fail(b.error());
          s.bids.push_back(RoscaBid{item.substr(0, eq), *b});
        }
      }
      if (!a->seed.empty()) {
        auto seed = parse_seed(a->seed);
        if (!seed) return fail(seed.error());
        s.seed = *seed;
      }
      return with_engine<Rosca>(ctx, Ledger::Access::kWrite, [&](Rosca& r) -> Result<int> {
        auto opened = r.open(a->group, s);
        if (!opened) return fail(opened.error());
        auto st = r.status(a->group, s.date);
        if (!st) return fail(st.error());
        if (auto ok = o->emit(reports::rosca_opened(*st, *opened)); !ok) return fail(ok.error());
        return 0;
      });
    };
  });
}

void add_pay(CLI::App& rosca, Context& ctx) {
  struct PayArgs { std::string group, member, amount, date, receipt; };
  auto p = std::make_shared<PayArgs>();
  auto po = std::make_shared<OutputOptions>();
  auto* pay = rosca.add_subcommand(
      "pay", tr("Record a member's payment in (settles her oldest dues first); every payment has a receipt number "
                "(PT-GROUP-NNNN when none is given)"));
  pay->add_option("GROUP", p->group, tr("Group code"))->required();
  pay->add_option("--member", p->member, tr("Member id"))->required();
  pay->add_option("--amount", p->amount, tr("Whole đồng, at most what she owes for the rounds opened"))->required();
  pay->add_option("--date", p->date, tr("Date paid"))->required();
  pay->add_option("--receipt", p->receipt, tr("Receipt number (the same receipt again changes nothing)"));
  po->add_to(*pay);
  pay->callback([&ctx, p, po] {
    ctx.action = [&ctx, p, po]() -> Result<int> {
      auto amount = money_option(p->amount, "--amount");
      if (!amount) return fail(amount.error());
      auto date = parse_date_option(p->date, "--date");
      if (!date) return fail(date.error());
      return with_engine<Rosca>(ctx, Ledger::Access::kWrite, [&](Rosca& r) -> Result<int> {
        auto m = r.pay(p->group, p->member, *amount, *date, p->receipt);
        if (!m) return fail(m.error());
        if (auto ok = po->emit(reports::rosca_movements(p->group, {*m})); !ok) return fail(ok.error());
        return 0;
      });
    };
  });
}

void add_payout(CLI::App& rosca, Context& ctx) {
  struct PayoutArgs {
    std::string group, date, receipt;
    int round = 0;
    bool advance = false;
  };
  auto q = std::make_shared<PayoutArgs>();
  auto qo = std::make_shared<OutputOptions>();
  auto* payout = rosca.add_subcommand(
      "payout", tr("Pay a round's winner once every due of the round is in (refused while one is missing, unless "
                   "--advance records the holder advancing it: a receivable from that member); the fee goes to the "
                   "holder in the same entry"));
  payout->add_option("GROUP", q->group, tr("Group code"))->required();
  payout->add_option("--round", q->round, tr("Round number"))->required();
  payout->add_option("--date", q->date, tr("Date paid out"))->required();
  payout->add_option("--receipt", q->receipt, tr("Receipt number (default PC-GROUP-KK; advances RECEIPT-A1, -A2, …)"));
  payout->add_flag("--advance", q->advance, tr("The holder advances every missing due of the round first"));
  qo->add_to(*payout);
  payout->callback([&ctx, q, qo] {
    ctx.action = [&ctx, q, qo]() -> Result<int> {
      auto date = parse_date_option(q->date, "--date");
      if (!date) return fail(date.error());
      return with_engine<Rosca>(ctx, Ledger::Access::kWrite, [&](Rosca& r) -> Result<int> {
        auto res = r.payout(q->group, q->round, *date, q->receipt, q->advance);
        if (!res) return fail(res.error());
        std::vector<RoscaMovement> moves = res->advances;
        moves.push_back(res->payout);
        if (auto ok = qo->emit(reports::rosca_movements(q->group, moves)); !ok) return fail(ok.error());
        return 0;
      });
    };
  });
}

void add_close(CLI::App& rosca, Context& ctx) {
  struct CloseArgs { std::string group, date; };
  auto c = std::make_shared<CloseArgs>();
  auto co = std::make_shared<OutputOptions>();
  auto* close = rosca.add_subcommand(
      "close", tr("Wind the group down: every opened round must be paid out; what dead shares still owe and what living "
                  "shares are owed become explicit receivables and payables"));
  close->add_option("GROUP", c->group, tr("Group code"))->required();
  close->add_option("--date", c->date, tr("Date of the wind-down"))->required();
  co->add_to(*close);
  close->callback([&ctx, c, co] {
    ctx.action = [&ctx, c, co]() -> Result<int> {
      auto date = parse_date_option(c->date, "--date");
      if (!date) return fail(date.error());
      return with_engine<Rosca>(ctx, Ledger::Access::kWrite, [&](Rosca& r) -> Result<int> {
        auto res = r.close(c->group, *date);
        if (!res) return fail(res.error());
        if (auto ok = co->emit(reports::rosca_closed(c->group, *res)); !ok) return fail(ok.error());
        return 0;
      });
    };
  });
}

// GROUP, --as-of and (statement) --member of the reading commands.
struct ReportArgs { std::string group, as_of, member; };

void add_status(CLI::App& rosca, Context& ctx) {
  auto s = std::make_shared<ReportArgs>();
  auto so = std::make_shared<OutputOptions>();
  auto* status = rosca.add_subcommand(
      "status", tr("Rounds (winner, bid, payout, dues paid), members (paid, received, net, implied annual rate, over the "
                   "cap) and warnings"));
  status->add_option("GROUP", s->group, tr("Group code"))->required();
  status->add_option("--as-of", s->as_of, tr("Date (default today): late interest runs to it"));
  so->add_to(*status);
  status->callback([&ctx, s, so] {
    ctx.action = [&ctx, s, so]() -> Result<int> {
      auto as_of = as_of_or_today(s->as_of);
      if (!as_of) return fail(as_of.error());
      return with_engine<Rosca>(ctx, Ledger::Access::kReadOnly, [&](Rosca& r) -> Result<int> {
        auto st = r.status(s->group, *as_of);
        if (!st) return fail(st.error());
        if (auto ok = so->emit(reports::rosca_status(*st)); !ok) return fail(ok.error());
        return 0;
      });
    };
  });
}

void add_book(CLI::App& rosca, Context& ctx) {
  auto b = std::make_shared<ReportArgs>();
  auto bo = std::make_shared<OutputOptions>();
  auto* book = rosca.add_subcommand(
      "book", tr("The group book of Decree 19/2019 (sổ theo dõi dây họ): agreement terms, shares, every opening with its "
                 "draw or bids, every payment in and payout with date, amount and receipt — a copy for any member"));
  book->add_option("GROUP", b->group, tr("Group code"))->required();
  book->add_option("--as-of", b->as_of, tr("Date (default today)"));
  bo->add_to(*book);
  book->callback([&ctx, b, bo] {
    ctx.action = [&ctx, b, bo]() -> Result<int> {
      auto as_of = as_of_or_today(b->as_of);
      if (!as_of) return fail(as_of.error());
      return with_engine<Rosca>(ctx, Ledger::Access::kReadOnly, [&](Rosca& r) -> Result<int> {
        auto st = r.status(b->group, *as_of);
        if (!st) return fail(st.error());
        if (auto ok = bo->emit(reports::rosca_book(*st)); !ok) return fail(ok.error());
        return 0;
      });
    };
  });
}

void add_receipt(CLI::App& rosca, Context& ctx) {
  struct ReceiptArgs { std::string group, receipt; };
  auto rc = std::make_shared<ReceiptArgs>();
  auto rco = std::make_shared<OutputOptions>();
  auto* receipt = rosca.add_subcommand(
      "receipt", tr("The receipt (giấy biên nhận) of one payment in, holder's advance or payout, by its number: a "
                    "printable form for the member and the holder to sign (--format html)\n"
                    "Example: soquy rosca receipt HUI1 --receipt PT-HUI1-0001 --out bien-nhan.html"));
  receipt->add_option("GROUP", rc->group, tr("Group code"))->required();
  receipt->add_option("--receipt", rc->receipt, tr("Receipt number (rosca book lists them)"))->required();
  rco->add_to(*receipt);
  receipt->callback([&ctx, rc, rco] {
    ctx.action = [&ctx, rc, rco]() -> Result<int> {
      return with_engine<Rosca>(ctx, Ledger::Access::kReadOnly, [&](Rosca& r) -> Result<int> {
        auto st = r.status(rc->group);
        if (!st) return fail(st.error());
        auto rep = reports::rosca_receipt(*st, rc->receipt);
        if (!rep) return fail(rep.error());
        return emit_report(*rco, *rep);
      });
    };
  });
}

void add_statement(CLI::App& rosca, Context& ctx) {
  auto m = std::make_shared<ReportArgs>();
  auto mo = std::make_shared<OutputOptions>();
  auto* statement = rosca.add_subcommand(
      "statement", tr("One member's statement: her dues per round, payments, payouts with receipts, arrears, the "
                      "holder's advances, late interest and implied rate"));
  statement->add_option("GROUP", m->group, tr("Group code"))->required();
  statement->add_option("--member", m->member, tr("Member id"))->required();
  statement->add_option("--as-of", m->as_of, tr("Date (default today): late interest runs to it"));
  mo->add_to(*statement);
  statement->callback([&ctx, m, mo] {
    ctx.action = [&ctx, m, mo]() -> Result<int> {
      auto as_of = as_of_or_today(m->as_of);
      if (!as_of) return fail(as_of.error());
      return with_engine<Rosca>(ctx, Ledger::Access::kReadOnly, [&](Rosca& r) -> Result<int> {
        auto st = r.status(m->group, *as_of);
        if (!st) return fail(st.error());
        auto rep = reports::rosca_statement(*st, m->member);
        if (!rep) return fail(rep.error());
        if (auto ok = mo->emit(*rep); !ok) return fail(ok.error());
        return 0;
      });
    };
  });
}

}  // namespace

void add_rosca_commands(CLI::App& app, Context& ctx) {
  auto* rosca = app.add_subcommand("rosca", tr("Rotating groups (hụi / họ, Decree 19/2019): agreement, openings, "
                                               "payments in, payouts, status, the group book, member statements"));
  rosca->require_subcommand(1);
  add_create(*rosca, ctx);
  add_open(*rosca, ctx);
  add_pay(*rosca, ctx);
  add_payout(*rosca, ctx);
  add_close(*rosca, ctx);
  add_status(*rosca, ctx);
  add_book(*rosca, ctx);
  add_receipt(*rosca, ctx);
  add_statement(*rosca, ctx);
}

}  // namespace soquy::cli
