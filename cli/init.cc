// soquy init; soquy user add|list; soquy book list
#include <iostream>

#include <fmt/format.h>

#include "context.h"
#include "soquy/copy.h"
#include "soquy/reports/render.h"

namespace soquy::cli {
namespace {

void add_init(CLI::App& app, Context& ctx) {
  auto* init = app.add_subcommand("init", tr("Create a new database with the books fund and entrust, their default "
                                             "charts of accounts and the first admin user"));
  auto admin = std::make_shared<std::string>("admin");
  init->add_option("--admin", *admin, tr("Name of the first admin user"))->capture_default_str();
  init->callback([&ctx, admin] {
    ctx.action = [&ctx, admin]() -> Result<int> {
      auto ledger = Ledger::create(ctx.db_path, *admin);
      if (!ledger) return fail(ledger.error());
      std::string books;
      for (const auto& b : (*ledger)->books()) books += (books.empty() ? "" : ", ") + b.code;
      // On a PostgreSQL server the admin is the connecting login, whatever --admin says.
      std::cout << fmt::format(fmt::runtime(tr("Created {}: books {}; admin user '{}'.")), shown_database(ctx.db_path), books,
                               (*ledger)->actor().name)
                << "\n";
      return 0;
    };
  });
}

void add_user_add(CLI::App& user, Context& ctx) {
  auto* add = user.add_subcommand("add", tr("Add a user (admins only). Roles: admin writes everything and adds users; "
                                            "officer writes in every book; treasurer writes in group books only; "
                                            "auditor reads everything and writes nothing"));
  auto name = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>();
  add->add_option("NAME", *name, tr("User name (no spaces)"))->required();
  add->add_option("--role", *role, "admin|officer|treasurer|auditor")->required();
  add->callback([&ctx, name, role] {
    ctx.action = [&ctx, name, role]() -> Result<int> {
      auto r = parse_role(*role);
      if (!r) return fail(r.error());
      auto ledger = ctx.open_ledger();
      if (!ledger) return fail(ledger.error());
      auto u = (*ledger)->add_user(*name, *r);
      if (!u) return fail(u.error());
      std::cout << fmt::format(fmt::runtime(tr("Added user '{}' ({}).")), u->name, to_string(u->role)) << "\n";
      return 0;
    };
  });
}

void add_user_list(CLI::App& user, Context& ctx) {
  auto* list = user.add_subcommand("list", tr("List users and roles"));
  auto out = std::make_shared<OutputOptions>();
  out->add_to(*list);
  list->callback([&ctx, out] {
    ctx.action = [&ctx, out]() -> Result<int> {
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      reports::Report rep;
      rep.json = nlohmann::ordered_json::array();
      reports::Table t{"Người dùng (users)", {{"name", "Tên (Name)"}, {"role", "Vai trò (Role)"}, {"created_at", "Tạo lúc (Created)"}}};
      for (const auto& u : (*ledger)->users()) {
        rep.json.push_back({{"name", u.name}, {"role", to_string(u.role)}, {"created_at", u.created_at}});
        t.rows.push_back({u.name, std::string(to_string(u.role)), u.created_at});
      }
      rep.tables.push_back(std::move(t));
      if (auto r = out->emit(rep); !r) return fail(r.error());
      return 0;
    };
  });
}

void add_book_list(CLI::App& book, Context& ctx) {
  auto* blist = book.add_subcommand("list", tr("List the books"));
  auto bout = std::make_shared<OutputOptions>();
  bout->add_to(*blist);
  blist->callback([&ctx, bout] {
    ctx.action = [&ctx, bout]() -> Result<int> {
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      reports::Report rep;
      rep.json = nlohmann::ordered_json::array();
      reports::Table t{"Sổ (books)", {{"code", "Mã sổ (Book)"}, {"name", "Tên (Name)"}, {"currency", "Tiền tệ (Currency)"}}};
      for (const auto& b : (*ledger)->books()) {
        rep.json.push_back({{"code", b.code}, {"name", b.name}, {"currency", b.currency}});
        t.rows.push_back({b.code, b.name, b.currency});
      }
      rep.tables.push_back(std::move(t));
      if (auto r = bout->emit(rep); !r) return fail(r.error());
      return 0;
    };
  });
}

}  // namespace

void add_init_commands(CLI::App& app, Context& ctx) {
  add_init(app, ctx);

  auto* user = app.add_subcommand("user", tr("Users and their roles (admin, officer, treasurer, auditor)"));
  user->require_subcommand(1);
  add_user_add(*user, ctx);
  add_user_list(*user, ctx);

  auto* book = app.add_subcommand("book", tr("Books: fund, entrust, and one group:CODE per group"));
  book->require_subcommand(1);
  add_book_list(*book, ctx);
}

}  // namespace soquy::cli
