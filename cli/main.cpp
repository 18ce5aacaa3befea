// soquy — the command line. The one error boundary: parse errors exit 2, library errors exit
// with their documented code (docs/exit-codes.md), anything unexpected 70.
#include <SQLiteCpp/Exception.h>

#include <cstdlib>
#include <iostream>
#include <string_view>

#include <fmt/format.h>

#include "context.h"
#include "suggest.h"

namespace {

// --db and --user with their defaults from the environment, --version, and the exit codes in
// the footer of --help.
void add_global_options(CLI::App& app, soquy::cli::Context& ctx) {
  app.set_version_flag("--version", std::string("soquy ") + SOQUY_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  const char* env_db = std::getenv("SOQUY_DB");
  const char* env_user = std::getenv("SOQUY_USER");
  ctx.db_path = env_db && *env_db ? env_db : "soquy.db";
  ctx.user = env_user ? env_user : "";
  app.add_option("--db", ctx.db_path, "Database file (default $SOQUY_DB, then ./soquy.db)");
  app.add_option("--user", ctx.user,
                 "Who acts (default $SOQUY_USER, then the soquy user named like your login; a writing command on "
                 "a file with several users refuses to guess, exit 77)");
  app.footer("Exit codes: 0 ok, 1 check found a difference, 2 usage, 65 bad input data, 66 input file missing,\n"
             "73 cannot create output, 74 I/O or database error, 77 permission denied, 70 internal error.\n"
             "Docs: docs/cli.md. Example: soquy post --book fund --date 2026-01-15 --memo \"Góp vốn\" 1011=5000000 "
             "6011=-5000000");
}

// CLI11 answers an unknown command with "A subcommand is required": name it instead. True when
// the first command word is not a command (the message is written).
bool names_unknown_command(CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--db" || arg == "--user") {
      ++i;
      continue;
    }
    if (arg.empty() || arg.front() == '-') continue;
    auto known = app.get_subcommands([&](CLI::App* sub) { return sub->get_name() == arg; });
    if (known.empty()) {
      std::cerr << "soquy: unknown command '" << arg << "' (run soquy --help for the list)\n";
      return true;
    }
    break;
  }
  return false;
}

// Runs the chosen command's action: its errors and any exception become the exit code.
int run_action(const soquy::cli::Context& ctx) {
  using namespace soquy;
  try {
    auto result = ctx.action();
    if (!result) {
      std::cerr << "soquy: " << ctx.describe(result.error()) << "\n";
      return result.error().exit_code();
    }
    return *result;
  } catch (const SoquyException& e) {
    std::cerr << "soquy: " << ctx.describe(e.error()) << "\n";
    return e.error().exit_code();
  } catch (const SQLite::Exception& e) {
    std::cerr << "soquy: database error: " << e.what() << "\n";
    return 74;
  } catch (const std::exception& e) {
    std::cerr << "soquy: internal error: " << e.what() << "\n";
    return 70;
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace soquy;
  cli::Context ctx;
  CLI::App app{
      "soquy — sổ quỹ: the fund book of the Women's Union, where every entry balances debits with credits\n"
      "(Women's Development Fund loans, hụi/họ and savings groups, VBSP entrustment).\n"
      "Amounts are whole đồng (1500000, no separators); debits positive, credits negative.",
      "soquy"};
  add_global_options(app, ctx);
  cli::add_quiet_option(app, ctx);

  cli::add_init_commands(app, ctx);
  cli::add_account_commands(app, ctx);
  cli::add_post_commands(app, ctx);
  cli::add_import_commands(app, ctx);
  cli::add_report_commands(app, ctx);
  cli::add_check_commands(app, ctx);
  cli::add_export_commands(app, ctx);
  cli::add_demo_commands(app, ctx);
  cli::add_registry_commands(app, ctx);
  // The one `report` group, where it has always been listed (after the registry's commands).
  CLI::App* report = app.add_subcommand(
      "report", "Reports: members, overdue loans, dues arrears, VBSP overdue and group grades");
  report->require_subcommand(1);
  cli::add_registry_reports(*report, ctx);
  cli::add_overdue_commands(*report, ctx);
  cli::add_collection_commands(app, ctx);  // collection-sheet, collection-sheet record
  cli::add_loan_commands(app, ctx);
  cli::add_dues_commands(app, *report, ctx);
  cli::add_fund_commands(app, ctx);
  cli::add_product_setting_commands(app, ctx);
  cli::add_savings_commands(app, ctx);
  cli::add_rosca_commands(app, ctx);
  cli::add_vbsp_commands(app, *report, ctx);
  cli::add_vbsp_fee_commands(app, *report, ctx);  // vbsp contract|fee-rate|fees, report vbsp-grades (after add_vbsp_commands)
  cli::add_audit_commands(app, ctx);  // audit log; export audit-pack (after add_export_commands)

  // A mistyped command or option at any level, named with the nearest one (cli/suggest.h).
  if (cli::names_unknown_words(app, argc, argv, std::cerr)) return 2;
  if (names_unknown_command(app, argc, argv)) return 2;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "soquy: " << e.what() << "\n(run with --help for usage)\n";
    return 2;
  }
  if (!ctx.action) {
    std::cerr << "soquy: nothing to do (run with --help)\n";
    return 2;
  }
  return run_action(ctx);
}
