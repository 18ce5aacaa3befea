// soquy copy --from SRC --to DEST
#include <iostream>

#include <fmt/format.h>

#include "context.h"
#include "soquy/copy.h"

namespace soquy::cli {
namespace {

void add_copy(CLI::App& app, Context& ctx) {
  auto* copy = app.add_subcommand(
      "copy", tr("Copy a whole database, journal and records, from a SQLite file to a PostgreSQL server or back "
                 "(docs/server.md). The destination is a new file, an empty PostgreSQL database, or an earlier copy "
                 "of the same source, which gets only what the source gained since; anything else is refused and "
                 "nothing is written.\nExample: soquy copy --from xa-an-truong.db --to "
                 "postgresql://admin@soquy.tinh.vn/soquy"));
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  copy->add_option("--from", *from, tr("The database to copy: a SQLite file or a postgresql:// URI (only read)"))
      ->required();
  copy->add_option("--to", *to, tr("Where to copy it: a SQLite file or a postgresql:// URI"))->required();
  copy->callback([&ctx, from, to] {
    ctx.action = [&ctx, from, to]() -> Result<int> {
      // Who the change log of a SQLite destination says copied: --user, else the OS login.
      const std::string actor = !ctx.user.empty() ? ctx.user : !os_login().empty() ? os_login() : "soquy-copy";
      auto report = copy_database(*from, *to, actor);
      if (!report) return fail(report.error());
      if (report->copied() == 0)
        std::cout << fmt::format(fmt::runtime(tr("Nothing new to copy: {} already holds all {} rows of {}.")),
                                 shown_database(*to), report->present(), shown_database(*from))
                  << "\n";
      else
        std::cout << fmt::format(fmt::runtime(tr("Copied {} rows of {} tables from {} to {} ({} rows were there "
                                                 "already).")),
                                 report->copied(), report->tables.size(), shown_database(*from),
                                 shown_database(*to), report->present())
                  << "\n";
      return 0;
    };
  });
}

}  // namespace

void add_copy_commands(CLI::App& app, Context& ctx) { add_copy(app, ctx); }

}  // namespace soquy::cli
