// soquy — the command line. The one error boundary: parse errors exit 2, library errors exit
// with their documented code (docs/exit-codes.md), anything unexpected 70.
#include <SQLiteCpp/Exception.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "context.h"
#include "soquy/i18n.h"
#include "suggest.h"

namespace {

// The language is chosen before any option is declared, since their help is translated:
// --lang CODE (or --lang=CODE) anywhere on the line, else $SOQUY_LANG, else Vietnamese. The
// system locale is not used (docs/i18n.md). A bad --lang value is left to the parser (exit 2);
// a bad $SOQUY_LANG gives nothing.
std::optional<soquy::Language> chosen_language(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    std::optional<std::string_view> value;
    if (arg == "--lang" && i + 1 < argc) value = argv[i + 1];
    if (arg.rfind("--lang=", 0) == 0) value = arg.substr(7);
    if (auto lang = value ? soquy::parse_language(*value) : std::nullopt) return lang;
  }
  const char* env = std::getenv("SOQUY_LANG");
  if (!env || !*env) return soquy::Language::kVi;
  return soquy::parse_language(env);
}

// CLI11 pads the left column of the help by bytes: after a translated placeholder with accents
// ("CHỮ", "BẮT BUỘC") the description begins with a space for each byte beyond the first of
// each character, so that the descriptions stay in one column.
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_desc(const CLI::Option* opt) const override {
    std::size_t continuation_bytes = 0;
    for (unsigned char c : make_option_opts(opt)) continuation_bytes += (c & 0xC0) == 0x80;
    return std::string(continuation_bytes, ' ') + CLI::Formatter::make_option_desc(opt);
  }
};

// Help in the chosen language: CLI11's own labels and group names (its defaults are English).
void translate_help_labels(CLI::App& app) {
  using soquy::tr;
  auto formatter = std::make_shared<HelpFormatter>();
  for (const char* label : {N_("Usage"), N_("OPTIONS"), N_("SUBCOMMAND"), N_("SUBCOMMANDS"), N_("Positionals"),
                            N_("REQUIRED"), N_("TEXT"), N_("INT"), N_("UINT"), N_("FLOAT"), N_("Env"), N_("Needs"),
                            N_("Excludes")})
    formatter->label(label, tr(label));
  app.formatter(formatter);
  app.option_defaults()->group(tr("Options"));
  app.set_help_flag("-h,--help", tr("Print this help message and exit"));
}

// Subcommands are grouped under "Subcommands" unless a command names its group, and each
// command's --help under "Options" (CLI11 makes it before it copies the default group).
void translate_subcommand_groups(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_group() == "Subcommands") sub->group(soquy::tr("Subcommands"));
    for (CLI::Option* opt : sub->get_options({}))
      if (opt->get_group() == "Options") opt->group(soquy::tr("Options"));
    translate_subcommand_groups(*sub);
  }
}

// --db, --user and --lang with their defaults from the environment, --version, and the exit
// codes in the footer of --help.
void add_global_options(CLI::App& app, soquy::cli::Context& ctx) {
  using soquy::tr;
  app.set_version_flag("--version", std::string("soquy ") + SOQUY_VERSION,
                       tr("Display program version information and exit"));
  app.require_subcommand(1);
  app.fallthrough();
  const char* env_db = std::getenv("SOQUY_DB");
  const char* env_user = std::getenv("SOQUY_USER");
  ctx.db_path = env_db && *env_db ? env_db : "soquy.db";
  ctx.user = env_user ? env_user : "";
  ctx.lang = soquy::language_code(soquy::language());
  app.add_option("--db", ctx.db_path, tr("Database file (default $SOQUY_DB, then ./soquy.db)"));
  app.add_option("--user", ctx.user,
                 tr("Who acts (default $SOQUY_USER, then the soquy user named like your login; a writing command on "
                    "a file with several users refuses to guess, exit 77)"));
  app.add_option("--lang", ctx.lang,
                 tr("Language of messages, help and reports: vi (Vietnamese, the default) or en (English); default "
                    "$SOQUY_LANG, then vi"))
      ->check(CLI::IsMember({"vi", "en"}));
  app.footer(tr("Exit codes: 0 ok, 1 check found a difference, 2 usage, 65 bad input data, 66 input file missing,\n"
                "73 cannot create output, 74 I/O or database error, 77 permission denied, 70 internal error.\n"
                "Docs: docs/cli.md. Example: soquy post --book fund --date 2026-01-15 --memo \"Góp vốn\" "
                "1011=5000000 6011=-5000000"));
}

// The text after `prefix` in `what`, or nothing when `what` does not begin with it.
std::optional<std::string> after(const std::string& what, std::string_view prefix) {
  if (what.rfind(prefix, 0) != 0) return std::nullopt;
  return what.substr(prefix.size());
}

// "NAME: detail" → {NAME, detail}, as CLI11 words a value's error; nothing without ": ".
std::optional<std::pair<std::string, std::string>> name_and_detail(const std::string& what) {
  auto colon = what.find(": ");
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  return std::make_pair(what.substr(0, colon), what.substr(colon + 2));
}

// A value CLI11 refused (ConversionError, ValidationError), worded with the option's name.
std::optional<std::string> worded_bad_value(const std::string& what) {
  using soquy::tr;
  auto format = [](const char* msgid, const auto&... args) {
    return fmt::format(fmt::runtime(tr(msgid)), args...);
  };
  if (auto rest = after(what, "Could not convert: ")) {  // "--term = abc"
    auto eq = rest->find(" = ");
    if (eq != std::string::npos)
      return format(N_("{}: '{}' is not a valid value"), rest->substr(0, eq), rest->substr(eq + 3));
  }
  auto nd = name_and_detail(what);
  if (!nd) return std::nullopt;
  const auto& [name, detail] = *nd;
  if (detail == "too many inputs for a flag") return format(N_("{}: takes no value"), name);
  if (detail == "Should be true/false or a number") return format(N_("{}: the value must be true/false or a number"), name);
  if (auto in = detail.find(" not in {"); in != std::string::npos && detail.back() == '}')  // IsMember
    return format(N_("{}: '{}' is not one of {}"), name, detail.substr(0, in), detail.substr(in + 8));
  return format(N_("{}: the value is not valid ({})"), name, detail);
}

// The wrong number of values for an option (ArgumentMismatch), worded with the option's name.
std::string worded_mismatch(const std::string& what) {
  using soquy::tr;
  std::string name;
  if (auto rest = after(what, "Expected ")) {  // "Expected exactly 1 arguments to --x, got 0"
    auto to = rest->find(" arguments to "), got = rest->rfind(", got ");
    if (to != std::string::npos && got != std::string::npos && got > to) name = rest->substr(to + 14, got - to - 14);
  } else if (auto nd = name_and_detail(what)) {  // "--x: 1 required TEXT missing", "--x: At least 1 …"
    if (nd->second.ends_with(" missing")) return fmt::format(fmt::runtime(tr("{}: the value is missing")), nd->first);
    name = nd->first;
  } else if (auto by = what.find(" was given a disallowed flag override"); by != std::string::npos) {
    name = what.substr(0, by);
  }
  if (name.empty()) return what;
  return fmt::format(fmt::runtime(tr("{}: wrong number of values")), name);
}

// CLI11's parse error in the language (docs/i18n.md): by its type, naming the option or the
// argument from CLI11's message (CLI11 2.1 keeps no name apart). What is not recognised keeps
// CLI11's English words.
std::string worded_parse_error(const CLI::ParseError& e) {
  using soquy::tr;
  const std::string what = e.what();
  auto format = [](const char* msgid, const auto&... args) {
    return fmt::format(fmt::runtime(tr(msgid)), args...);
  };
  if (dynamic_cast<const CLI::RequiredError*>(&e)) {
    if (what == "A subcommand is required") return tr("a command is required");
    constexpr std::string_view kIsRequired = " is required";  // "--book is required", "NAME is required"
    if (what.size() > kIsRequired.size() && what.ends_with(kIsRequired)) {
      const std::string name = what.substr(0, what.size() - kIsRequired.size());
      return name.starts_with("-") ? format(N_("the required option {} is missing"), name)
                                   : format(N_("the required argument {} is missing"), name);
    }
  } else if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    if (auto colon = what.find("expected: "); colon != std::string::npos) {
      std::string args = what.substr(colon + 10);
      const auto n = static_cast<unsigned long>(std::count(args.begin(), args.end(), ' ') + 1);
      return fmt::format(fmt::runtime(soquy::trn("unexpected argument: {}", "unexpected arguments: {}", n)), args);
    }
  } else if (dynamic_cast<const CLI::ConversionError*>(&e) || dynamic_cast<const CLI::ValidationError*>(&e)) {
    if (auto worded = worded_bad_value(what)) return *worded;
  } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    return worded_mismatch(what);
  } else if (dynamic_cast<const CLI::RequiresError*>(&e)) {
    if (auto by = what.find(" requires "); by != std::string::npos)
      return format(N_("{} requires {}"), what.substr(0, by), what.substr(by + 10));
  } else if (dynamic_cast<const CLI::ExcludesError*>(&e)) {
    if (auto by = what.find(" excludes "); by != std::string::npos)
      return format(N_("{} cannot be used with {}"), what.substr(0, by), what.substr(by + 10));
  }
  return what;
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
    std::cerr << "soquy: " << tr("database error: ") << e.what() << "\n";
    return 74;
  } catch (const std::exception& e) {
    std::cerr << "soquy: " << tr("internal error: ") << e.what() << "\n";
    return 70;
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace soquy;
  auto lang = chosen_language(argc, argv);
  if (!lang) {
    std::cerr << "soquy: " << tr("SOQUY_LANG must be vi (Vietnamese) or en (English)") << "\n";
    return 2;
  }
  set_language(*lang);
  cli::Context ctx;
  CLI::App app{tr("soquy — sổ quỹ: the fund book of the Women's Union, where every entry balances debits with "
                  "credits\n(Women's Development Fund loans, hụi/họ and savings groups, VBSP entrustment).\n"
                  "Amounts are whole đồng (1500000, no separators); debits positive, credits negative."),
               "soquy"};
  translate_help_labels(app);
  add_global_options(app, ctx);
  cli::add_quiet_option(app, ctx);

  cli::add_init_commands(app, ctx);
  cli::add_copy_commands(app, ctx);
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
      "report", tr("Reports: members, overdue loans, dues arrears, VBSP overdue and group grades"));
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

  translate_subcommand_groups(app);
  // A mistyped command or option at any level, named with the nearest one (cli/suggest.h).
  if (cli::names_unknown_words(app, argc, argv, std::cerr)) return 2;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "soquy: " << worded_parse_error(e) << "\n" << tr("(run with --help for usage)") << "\n";
    return 2;
  }
  if (!ctx.action) {
    std::cerr << "soquy: " << tr("nothing to do (run with --help)") << "\n";
    return 2;
  }
  return run_action(ctx);
}
