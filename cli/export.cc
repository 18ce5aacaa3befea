// soquy export journal --format ledger
#include "context.h"
#include "soquy/reports/ledger_reports.h"

namespace soquy::cli {

void add_export_commands(CLI::App& app, Context& ctx) {
  auto* exp = app.add_subcommand("export", tr("Export data for other programs"));
  exp->require_subcommand(1);
  struct Args {
    std::string format = "ledger", book, out;
  };
  auto a = std::make_shared<Args>();
  auto* journal = exp->add_subcommand(
      "journal", tr("Write the journal in ledger-cli's format (hledger reads it too), to cross-check balances"));
  journal->add_option("--format", a->format, "ledger")->check(CLI::IsMember({"ledger"}))->capture_default_str();
  journal->add_option("--book", a->book, tr("One book (default: every book)"));
  journal->add_option("--out", a->out, tr("Output file (default stdout)"));
  journal->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      auto r = write_output(a->out, [&](std::ostream& os) { return reports::write_ledger_journal(**ledger, a->book, os); });
      if (!r) return fail(r.error());
      return 0;
    };
  });
}

}  // namespace soquy::cli
