// soquy import entries FILE.csv (registry, loan and VBSP imports join this group)
#include <iostream>

#include <fmt/format.h>

#include "context.h"
#include "progress.h"
#include "soquy/loan_import.h"

namespace soquy::cli {
namespace {

// "entries.csv: 8 rows; 3 entries posted, 0 already there (unchanged)."
std::string import_summary(const std::string& file, const ImportSummary& r) {
  const auto rows = static_cast<unsigned long>(r.rows), created = static_cast<unsigned long>(r.entries_created);
  return fmt::format(fmt::runtime(tr("{}: {}; {}, {} already there (unchanged).")), file,
                     fmt::format(fmt::runtime(trn("{} row", "{} rows", rows)), rows),
                     fmt::format(fmt::runtime(trn("{} entry posted", "{} entries posted", created)), created),
                     r.entries_existing);
}

void add_import_entries(CLI::App& import, Context& ctx) {
  auto file = std::make_shared<std::string>();
  auto read = std::make_shared<CsvReadOptions>();
  auto* entries = import.add_subcommand(
      "entries",
      tr("Post many entries from a CSV, one row per posting, header entry_id,date,book,account,amount,memo.\n"
      "Consecutive rows with the same entry_id form one entry; entry_id is its idempotency key, so importing "
      "the same file twice changes nothing. Dates YYYY-MM-DD or DD/MM/YYYY; amounts whole đồng. The whole file is "
      "one transaction: one bad row and nothing is written (every problem is listed as FILE:LINE: column: what)."));
  entries->add_option("FILE", *file, tr("CSV file"))->required();
  add_read_options(*entries, *read);
  entries->callback([&ctx, file, read] {
    ctx.action = [&ctx, file, read]() -> Result<int> {
      auto ledger = ctx.open_ledger();
      if (!ledger) return fail(ledger.error());
      ImportOptions options;
      options.read = *read;
      ProgressLine progress(std::cerr, ProgressLine::for_stderr(ctx.quiet, N_("entries")));
      options.on_progress = progress.callback();
      options.progress_every = 100;
      auto r = (*ledger)->import_entries(*file, options);
      progress.finish();
      if (!r) return fail(r.error());
      std::cout << import_summary(*file, *r) << "\n";
      return 0;
    };
  });
}

// Fund loans: each row is one `loan disburse` / `loan repay` (soquy/loan_import.h).
void add_loan_imports(CLI::App& import, Context& ctx) {
  struct LoanFileKind {
    const char* name;
    const char* help;
    const char* done;
    Result<LoanImportSummary> (*run)(Ledger&, const std::string&, const LoanImportOptions&);
  };
  const LoanFileKind kinds[] = {
      {"loans",
       N_("Disburse fund loans from a CSV: loan,member,product,amount,date[,group,memo] (the flags of loan "
          "disburse). A loan code already recorded with the same content is skipped."),
       N_("{0}: {1} rows; {2} loans disbursed, {3} already there (unchanged)."), &import_loans},
      {"repayments",
       N_("Record fund-loan repayments from a CSV: loan,amount,date[,savings,receipt,prepay] (the flags of loan "
          "repay). The receipt is the idempotency key; a row without one is keyed by its content "
          "(import:DATE:AMOUNT:SAVINGS:N, N counting identical rows of that loan in the file). Rows are applied by "
          "date, then line. A row paying more than its loan owes on its date is refused unless prepay is 1, x, yes "
          "or có."),
       N_("{0}: {1} rows; {2} repayments recorded, {3} already there (unchanged)."), &import_repayments},
  };
  for (const auto& k : kinds) {
    auto path = std::make_shared<std::string>();
    auto read = std::make_shared<CsvReadOptions>();
    auto* cmd = import.add_subcommand(
        k.name, std::string(tr(k.help)) + "\n" +
                    tr("Vietnamese column names are accepted too; dates YYYY-MM-DD or DD/MM/YYYY; amounts whole đồng. "
                    "The whole file is one transaction: one bad row and nothing is written (every problem is listed "
                    "as FILE:LINE: column: what). Importing the same file twice changes nothing."));
    cmd->add_option("FILE", *path, tr("CSV file"))->required();
    add_read_options(*cmd, *read);
    cmd->callback([&ctx, path, k, read] {
      ctx.action = [&ctx, path, k, read]() -> Result<int> {
        auto ledger = ctx.open_ledger();
        if (!ledger) return fail(ledger.error());
        LoanImportOptions options;
        options.read = *read;
        ProgressLine progress(std::cerr, ProgressLine::for_stderr(ctx.quiet));
        options.on_progress = progress.callback();
        options.progress_every = 10;
        auto r = k.run(**ledger, *path, options);
        progress.finish();
        if (!r) return fail(r.error());
        std::cout << fmt::format(fmt::runtime(tr(k.done)), *path, r->rows, r->created, r->existing) << "\n";
        return 0;
      };
    });
  }
}

}  // namespace

void add_import_commands(CLI::App& app, Context& ctx) {
  auto* import = app.add_subcommand(
      "import", tr("Import CSV files (UTF-8 with or without BOM, UTF-16, or --encoding; delimiter , ; or tab)"));
  import->require_subcommand(1);
  add_import_entries(*import, ctx);
  add_loan_imports(*import, ctx);
}

}  // namespace soquy::cli
