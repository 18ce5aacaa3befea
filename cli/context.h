// What every command file shares: global options, opening the ledger as the acting user, and
// writing a report to stdout or to --out. No business rule lives in cli/.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "soquy/civil_date.h"
#include "soquy/i18n.h"
#include "soquy/ledger.h"
#include "soquy/read_options.h"
#include "soquy/reports/render.h"

namespace soquy::cli {

// How the chosen command words an error's field (Error::field(), the library's name of an
// input) in front of its message. By default the field is the command's long option: "amount"
// → "--amount", "as_of" → "--as-of". A command lists the fields it spells otherwise: another
// option ({"receipt", "--id"}) or the field's own name ({"group", "group"}). The registry
// commands word every field by its name, as their import files name their columns.
struct FieldWording {
  std::map<std::string, std::string, std::less<>> spelt;
  bool by_name = false;
  std::string operator()(std::string_view field) const;
};

struct Context {
  std::string db_path;  // --db, $SOQUY_DB, ./soquy.db
  std::string user;     // --user, $SOQUY_USER; "" = the OS login's user (Ledger::act_as_writer)
  // --lang, $SOQUY_LANG: vi or en. main chooses the language (soquy/i18n.h) before the options
  // are declared, from the same sources; this only receives the parsed value.
  std::string lang;
  bool quiet = false;   // --quiet: no progress line on stderr (cli/progress.h)
  // The chosen subcommand's action; returns the exit code (0, or 1 when a check finds a break).
  std::function<Result<int>()> action;
  // Set by the chosen subcommand's callback when it spells a field otherwise than "--field".
  FieldWording fields;

  // The error as the user reads it: "--amount: -5 must be positive".
  std::string describe(const Error& e) const;

  // Opens the database and selects the acting user. Reading commands open it read-only.
  Result<std::unique_ptr<Ledger>> open_ledger(Ledger::Access access = Ledger::Access::kWrite) const;
};

// --format / --out handling shared by every report (docs/exports.md).
struct OutputOptions {
  std::string format;  // "" = from --out's extension, else table; when given, wins over the extension
  std::string out;     // "" = stdout
  bool bom = false;    // --bom: CSV begins with a UTF-8 byte order mark (for Excel)
  void add_to(CLI::App& cmd, bool with_out = true);
  // Writes the report, atomically when --out is given (a temporary file renamed into place).
  Result<void> emit(const reports::Report& report) const;
  // The same choices for a report that writes itself (row_stream.h: json and csv row by row):
  // `writer` gets the format, the stream (stdout or the temporary file) and the render options.
  using Writer = std::function<Result<void>(reports::Format, std::ostream&, const reports::RenderOptions&)>;
  Result<void> emit_with(const Writer& writer) const;
};

// --delimiter and --encoding of every command that reads a CSV file: given to the library as
// written (CsvReadOptions), which detects what is not given and refuses what it cannot read.
void add_read_options(CLI::App& cmd, CsvReadOptions& read);

// Parses a command-line date (YYYY-MM-DD or DD/MM/YYYY, as in files); `option` names it in the
// message.
Result<Date> parse_date_option(const std::string& text, std::string_view option);
// An optional date option: nothing when `text` is empty, else parse_date_option.
Result<std::optional<Date>> optional_date_option(const std::string& text, std::string_view option);
// --as-of: the given date, or today.
Result<Date> as_of_or_today(const std::string& text);
// A whole-đồng amount given to `option`, the error prefixed with the option's name: the one
// parser of every money option of the CLI.
Result<Money> money_option(const std::string& text, std::string_view option);

// Writes `report` as `out` says; 0 on success (what a command's action returns).
Result<int> emit_report(const OutputOptions& out, const reports::Report& report);

// Opens the database with `access`, makes the domain engine E over it (E(Ledger&): LoanBook,
// Dues, Rosca, Savings, Registry, …) and returns fn(engine).
template <class E, class Fn>
Result<int> with_engine(Context& ctx, Ledger::Access access, Fn&& fn) {
  auto ledger = ctx.open_ledger(access);
  if (!ledger) return fail(ledger.error());
  E engine(**ledger);
  return fn(engine);
}

// Writes to `path` atomically (write_file_atomically: a new temporary file beside it, then rename;
// never the open database), or to stdout when path is "".
Result<void> write_output(const std::string& path, const std::function<Result<void>(std::ostream&)>& writer);

// --quiet, a global option (the progress line of long work, cli/progress.h).
void add_quiet_option(CLI::App& app, Context& ctx);

// Registration of each command group (one file each).
void add_init_commands(CLI::App& app, Context& ctx);
void add_copy_commands(CLI::App& app, Context& ctx);  // copy --from --to
// The operating-system login of this process ("" when it has none, e.g. in a container).
std::string os_login();
void add_account_commands(CLI::App& app, Context& ctx);
void add_post_commands(CLI::App& app, Context& ctx);
void add_import_commands(CLI::App& app, Context& ctx);
void add_report_commands(CLI::App& app, Context& ctx);
void add_check_commands(CLI::App& app, Context& ctx);
void add_export_commands(CLI::App& app, Context& ctx);
void add_demo_commands(CLI::App& app, Context& ctx);
void add_registry_commands(CLI::App& app, Context& ctx);  // unit, member, group
// `report` is one command group that several files add to: main creates it, once, and hands it
// to each of them.
void add_registry_reports(CLI::App& report, Context& ctx);  // report members
void add_overdue_commands(CLI::App& report, Context& ctx);  // report overdue
void add_collection_commands(CLI::App& app, Context& ctx);  // collection-sheet [record]
void add_loan_commands(CLI::App& app, Context& ctx);
void add_dues_commands(CLI::App& app, CLI::App& report, Context& ctx);  // dues …, report dues-arrears
void add_fund_commands(CLI::App& app, Context& ctx);  // product, fund, provision
void add_product_setting_commands(CLI::App& app, Context& ctx);  // setting list|set|history
void add_savings_commands(CLI::App& app, Context& ctx);  // savings …, pool …
void add_rosca_commands(CLI::App& app, Context& ctx);  // rosca (hụi / họ)
void add_vbsp_commands(CLI::App& app, CLI::App& report, Context& ctx);  // vbsp …, report vbsp-overdue
// vbsp contract|fee-rate|fees, report vbsp-grades
void add_vbsp_fee_commands(CLI::App& app, CLI::App& report, Context& ctx);
void add_audit_commands(CLI::App& app, Context& ctx);  // audit log, export audit-pack (after export)

}  // namespace soquy::cli
