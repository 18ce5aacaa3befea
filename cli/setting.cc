// soquy setting list|show|set|history: the product settings (settings.h). The rules and the
// catalogue of keys are in soquy::Settings; this file parses and prints.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "context.h"
#include "soquy/reports/settings_reports.h"
#include "soquy/settings.h"

namespace soquy::cli {

void add_product_setting_commands(CLI::App& app, Context& ctx) {
  auto* setting = app.add_subcommand(
      "setting",
      tr("Product settings stored in the database: the member limit, the loan classes and their provision rates, "
      "group sizes, … (docs/settings.md)"));
  setting->require_subcommand(1);

  auto list_out = std::make_shared<OutputOptions>();
  auto* list = setting->add_subcommand("list", tr("Every setting with the value in force and its default"));
  list_out->add_to(*list);
  list->callback([&ctx, list_out] {
    ctx.action = [&ctx, list_out]() -> Result<int> {
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      if (auto ok = list_out->emit(reports::setting_list(Settings(**ledger).list())); !ok) return fail(ok.error());
      return 0;
    };
  });

  struct SetArgs {
    std::string key, value;
  };
  auto s = std::make_shared<SetArgs>();
  auto* set = setting->add_subcommand(
      "set",
      tr("Change a setting (admin only). The value is checked against the setting's rule first; the change is "
      "logged with who made it and when.\n"
      "Example: soquy setting set loan.classes G1:0:0,G2:10:5,G3:30:20,G4:90:50,G5:180:100"));
  set->add_option("KEY", s->key, tr("Setting key (soquy setting list shows them)"))->required();
  set->add_option("VALUE", s->value, tr("New value"))->required();
  set->callback([&ctx, s] {
    ctx.action = [&ctx, s]() -> Result<int> {
      auto ledger = ctx.open_ledger(Ledger::Access::kWrite);
      if (!ledger) return fail(ledger.error());
      auto changed = Settings(**ledger).set(s->key, s->value);
      if (!changed) return fail(changed.error());
      std::cout << (*changed ? fmt::format("{} = {}\n", s->key, s->value)
                             : fmt::format(fmt::runtime(tr("{} is already {}: nothing changed")), s->key, s->value) + "\n");
      return 0;
    };
  });

  auto history_out = std::make_shared<OutputOptions>();
  auto* history = setting->add_subcommand("history", tr("Every change of a setting: when, by whom, from what to what"));
  history_out->add_to(*history);
  history->callback([&ctx, history_out] {
    ctx.action = [&ctx, history_out]() -> Result<int> {
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      if (auto ok = history_out->emit(reports::setting_history(Settings(**ledger).history())); !ok)
        return fail(ok.error());
      return 0;
    };
  });
}

}  // namespace soquy::cli
