// soquy check
#include "context.h"
#include "soquy/checks.h"
#include "soquy/reports/ledger_reports.h"

namespace soquy::cli {

void add_check_commands(CLI::App& app, Context& ctx) {
  auto out = std::make_shared<OutputOptions>();
  auto only = std::make_shared<std::string>();
  std::string names;
  for (const auto& c : check_list()) names += fmt::format("\n  {:<18} {}", c.name, c.what);
  auto* check = app.add_subcommand(
      "check", tr("Run the named checks: the journal's (append-only triggers, hash chain, balanced entries, stored "
                  "balances), then each sub-ledger against its control account and each domain invariant. Exit 1 "
                  "on any difference. The checks, in order:") +
                   names);
  check->add_option("--only", *only, tr("Run only the check NAME (one of the list above)"))->option_text("NAME");
  out->add_to(*check);
  check->callback([&ctx, out, only] {
    ctx.action = [&ctx, out, only]() -> Result<int> {
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      auto result = run_checks(**ledger, only->empty() ? std::nullopt : std::optional<std::string>(*only));
      if (!result) return fail(result.error());
      if (auto r = out->emit(reports::check_result(*result)); !r) return fail(r.error());
      return result->ok() ? 0 : 1;
    };
  });
}

}  // namespace soquy::cli
