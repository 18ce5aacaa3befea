// soquy balance; soquy register; soquy trial-balance
#include <fmt/format.h>

#include "context.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "soquy/reports/ledger_reports.h"

namespace soquy::cli {

void add_report_commands(CLI::App& app, Context& ctx) {
  struct Args {
    std::string book, as_of, account, from, member;
    OutputOptions out;
  };

  auto b = std::make_shared<Args>();
  auto* balance = app.add_subcommand("balance", tr("Account balances of one book as of a date, as an account tree"));
  balance->add_option("--book", b->book, tr("Book: fund, entrust or group:CODE"))->required();
  balance->add_option("--as-of", b->as_of, tr("Date YYYY-MM-DD or DD/MM/YYYY (default today); entries dated later are not counted"));
  b->out.add_to(*balance);
  balance->callback([&ctx, b] {
    ctx.action = [&ctx, b]() -> Result<int> {
      auto as_of = as_of_or_today(b->as_of);
      if (!as_of) return fail(as_of.error());
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      auto sheet = (*ledger)->balances(b->book, *as_of);
      if (!sheet) return fail(sheet.error());
      if (auto r = b->out.emit(reports::balance_sheet(*sheet)); !r) return fail(r.error());
      return 0;
    };
  });

  auto g = std::make_shared<Args>();
  g->book = "fund";
  auto* reg = app.add_subcommand("register", tr("Statement of one account with a running balance (a passbook view)"));
  reg->add_option("ACCOUNT", g->account, tr("Account code"))->required();
  reg->add_option("--book", g->book, tr("Book of the account"))->capture_default_str();
  reg->add_option("--from", g->from, tr("First date YYYY-MM-DD or DD/MM/YYYY (an opening balance line comes first)"));
  reg->add_option("--as-of", g->as_of, tr("Last date YYYY-MM-DD or DD/MM/YYYY (default today)"));
  reg->add_option("--member", g->member,
                  tr("This member's passbook statement: only the entries of her own loans (disbursements, repayments, "
                  "savings collected with them, write-offs), her opening and running balance, as a form with her "
                  "name, group and signature"));
  g->out.add_to(*reg);
  reg->callback([&ctx, g] {
    ctx.action = [&ctx, g]() -> Result<int> {
      auto as_of = as_of_or_today(g->as_of);
      if (!as_of) return fail(as_of.error());
      std::optional<Date> from;
      if (!g->from.empty()) {
        auto d = parse_date_option(g->from, "--from");
        if (!d) return fail(d.error());
        from = *d;
      }
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      auto r = g->member.empty() ? (*ledger)->account_register(g->book, g->account, from, *as_of)
                                 : LoanBook(**ledger).member_register(g->member, g->book, g->account, from, *as_of);
      if (!r) return fail(r.error());
      std::optional<reports::PassbookHolder> holder;
      if (!g->member.empty()) {
        Registry registry(**ledger);
        auto m = registry.member(g->member, *as_of);
        if (!m && m.error().kind() == ErrorKind::kBadInput)
          return fail(Error::bad_input(fmt::format(fmt::runtime(tr("--member: unknown member '{}'")), g->member)));
        if (!m) return fail(m.error());
        holder = reports::PassbookHolder{m->id, m->name, ""};
        for (const auto& code : m->groups) {
          auto grp = registry.group(code);
          std::string shown = grp ? fmt::format("{} — {}", code, grp->name) : code;
          holder->group += (holder->group.empty() ? "" : "; ") + shown;
        }
      }
      if (auto e = g->out.emit(reports::account_register(*r, holder)); !e) return fail(e.error());
      return 0;
    };
  });

  auto t = std::make_shared<Args>();
  auto* tb = app.add_subcommand("trial-balance", tr("Trial balance (bảng cân đối thử): the debit or credit closing "
                                                 "balances of every account, per book"));
  tb->add_option("--book", t->book, tr("One book (default: every book)"));
  tb->add_option("--as-of", t->as_of, tr("Date YYYY-MM-DD or DD/MM/YYYY (default today)"));
  t->out.add_to(*tb);
  tb->callback([&ctx, t] {
    ctx.action = [&ctx, t]() -> Result<int> {
      auto as_of = as_of_or_today(t->as_of);
      if (!as_of) return fail(as_of.error());
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      auto r = (*ledger)->trial_balance(t->book, *as_of);
      if (!r) return fail(r.error());
      if (auto e = t->out.emit(reports::trial_balance(*r)); !e) return fail(e.error());
      return 0;
    };
  });
}

}  // namespace soquy::cli
