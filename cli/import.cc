// soquy import entries FILE.csv (registry, loan and VBSP imports join this group)
#include <unistd.h>

#include <iostream>

#include <fmt/format.h>

#include "context.h"

namespace soquy::cli {

void add_import_commands(CLI::App& app, Context& ctx) {
  auto* import = app.add_subcommand("import", "Import CSV files (UTF-8, with or without BOM)");
  import->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  auto* entries = import->add_subcommand(
      "entries",
      "Post many entries from a CSV, one row per posting, header entry_id,date,book,account,amount,memo.\n"
      "Consecutive rows with the same entry_id form one entry; entry_id is its idempotency key, so importing "
      "the same file twice changes nothing. Dates YYYY-MM-DD or DD/MM/YYYY; amounts whole đồng. The whole file is "
      "one transaction: one bad row and nothing is written (every problem is listed as FILE:LINE: column: what).");
  entries->add_option("FILE", *file, "CSV file")->required();
  entries->callback([&ctx, file] {
    ctx.action = [&ctx, file]() -> Result<int> {
      auto ledger = ctx.open_ledger();
      if (!ledger) return fail(ledger.error());
      ImportOptions options;
      bool tty = isatty(STDERR_FILENO);
      if (tty) options.on_progress = [](std::int64_t n) { std::cerr << fmt::format("\r{} entries…", n) << std::flush; };
      auto r = (*ledger)->import_entries(*file, options);
      if (tty) std::cerr << "\r";
      if (!r) return fail(r.error());
      std::cout << fmt::format("{}: {} rows; {} entries posted, {} already there (unchanged).\n", *file, r->rows,
                               r->entries_created, r->entries_existing);
      return 0;
    };
  });
}

}  // namespace soquy::cli
