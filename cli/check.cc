// soquy check
#include "context.h"
#include "soquy/reports/ledger_reports.h"

namespace soquy::cli {

void add_check_commands(CLI::App& app, Context& ctx) {
  auto out = std::make_shared<OutputOptions>();
  auto* check = app.add_subcommand(
      "check", "Re-verify the journal: the hash chain, that every entry balances in one book, that stored balances "
               "equal the postings, and that the append-only triggers are in place. Exit 1 on any break");
  out->add_to(*check);
  check->callback([&ctx, out] {
    ctx.action = [&ctx, out]() -> Result<int> {
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      auto report = (*ledger)->check();
      if (auto r = out->emit(reports::check_result(report)); !r) return fail(r.error());
      return report.ok() ? 0 : 1;
    };
  });
}

}  // namespace soquy::cli
