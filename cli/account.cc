// soquy account add|close|list
#include <iostream>

#include <fmt/format.h>

#include "context.h"
#include "soquy/clock.h"
#include "soquy/reports/ledger_reports.h"

namespace soquy::cli {
namespace {

void add_account_add(CLI::App& account, Context& ctx) {
  struct AddArgs {
    std::string code, name, name_en, type, book = "fund", parent;
  };
  auto a = std::make_shared<AddArgs>();
  auto* add = account.add_subcommand("add", tr("Add an account to a book's chart"));
  add->add_option("CODE", a->code, tr("Account code, unique in the book (e.g. 1012)"))->required();
  add->add_option("--name", a->name, tr("Name as printed on reports (Vietnamese)"))->required();
  add->add_option("--name-en", a->name_en, tr("English name"));
  add->add_option("--type", a->type, "asset|liability|equity|income|expense|memo")->required();
  add->add_option("--book", a->book, tr("Book: fund, entrust or group:CODE"))->capture_default_str();
  add->add_option("--parent", a->parent, tr("Parent account code in the same book"));
  add->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto type = parse_account_type(a->type);
      if (!type) return fail(type.error().with_context("--type: "));
      auto ledger = ctx.open_ledger();
      if (!ledger) return fail(ledger.error());
      Account spec;
      spec.book = a->book;
      spec.code = a->code;
      spec.name = a->name;
      spec.name_en = a->name_en;
      spec.type = *type;
      spec.parent = a->parent;
      auto added = (*ledger)->add_account(spec);
      if (!added) return fail(added.error());
      std::cout << fmt::format(fmt::runtime(tr("Added account {} '{}' ({}) to book {}.")), added->code, added->name,
                               to_string(added->type), added->book)
                << "\n";
      return 0;
    };
  });
}

void add_account_close(CLI::App& account, Context& ctx) {
  struct CloseArgs {
    std::string code, book = "fund", date;
  };
  auto c = std::make_shared<CloseArgs>();
  auto* close = account.add_subcommand("close", tr("Close an account whose balance is zero; it takes no new postings"));
  close->add_option("CODE", c->code, tr("Account code"))->required();
  close->add_option("--book", c->book, tr("Book of the account"))->capture_default_str();
  close->add_option("--date", c->date, tr("Closing date (default today)"));
  close->callback([&ctx, c] {
    ctx.action = [&ctx, c]() -> Result<int> {
      Date on = today();
      if (!c->date.empty()) {
        auto d = parse_date_option(c->date, "--date");
        if (!d) return fail(d.error());
        on = *d;
      }
      auto ledger = ctx.open_ledger();
      if (!ledger) return fail(ledger.error());
      if (auto r = (*ledger)->close_account(c->book, c->code, on); !r) return fail(r.error());
      std::cout << fmt::format(fmt::runtime(tr("Closed account {} in book {} on {}.")), c->code, c->book, on) << "\n";
      return 0;
    };
  });
}

void add_account_list(CLI::App& account, Context& ctx) {
  auto book = std::make_shared<std::string>("fund");
  auto out = std::make_shared<OutputOptions>();
  auto* list = account.add_subcommand("list", tr("List a book's accounts"));
  list->add_option("--book", *book, tr("Book"))->capture_default_str();
  out->add_to(*list);
  list->callback([&ctx, book, out] {
    ctx.action = [&ctx, book, out]() -> Result<int> {
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      auto accounts = (*ledger)->accounts(*book);
      if (!accounts) return fail(accounts.error());
      if (auto r = out->emit(reports::account_list(*book, *accounts)); !r) return fail(r.error());
      return 0;
    };
  });
}

}  // namespace

void add_account_commands(CLI::App& app, Context& ctx) {
  auto* account = app.add_subcommand("account", tr("The chart of accounts of a book"));
  account->require_subcommand(1);
  add_account_add(*account, ctx);
  add_account_close(*account, ctx);
  add_account_list(*account, ctx);
}

}  // namespace soquy::cli
