#include "context.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

#include "soquy/clock.h"
#include "soquy/i18n.h"
#include "soquy/output_file.h"

namespace soquy::cli {

namespace {
// The files of the database this command opened: --out may never name them.
std::vector<std::string>& open_database_files() {
  static std::vector<std::string> files;
  return files;
}
}  // namespace

std::string os_login() {
  if (const passwd* pw = ::getpwuid(::geteuid())) return pw->pw_name;
  return "";
}

std::string FieldWording::operator()(std::string_view field) const {
  if (auto it = spelt.find(field); it != spelt.end()) return it->second;
  // How a file is read is always an option, also where fields are a file's columns.
  if (by_name && field != "delimiter" && field != "encoding") return std::string(field);
  std::string option = "--" + std::string(field);
  std::replace(option.begin(), option.end(), '_', '-');
  return option;
}

void add_quiet_option(CLI::App& app, Context& ctx) {
  app.add_flag("--quiet,-q", ctx.quiet,
               tr("No progress line on stderr (shown only on a terminal, for work of more than about a second)"));
}

std::string Context::describe(const Error& e) const { return e.words(fields); }

Result<std::unique_ptr<Ledger>> Context::open_ledger(Ledger::Access access) const {
  auto ledger = Ledger::open(db_path, access);
  if (!ledger) return ledger;
  // On a server the acting user is the database login (Ledger::act_as refuses any other name).
  if (!(*ledger)->server_login()) open_database_files() = {db_path, db_path + "-wal", db_path + "-shm"};
  auto acting = access == Ledger::Access::kWrite ? (*ledger)->act_as_writer(user, os_login())
                                                 : (*ledger)->act_as(user);
  if (!acting) return fail(acting.error());
  return ledger;
}

void OutputOptions::add_to(CLI::App& cmd, bool with_out) {
  cmd.add_option("--format", format,
                 tr("Output format: table (for people), json or csv (for programs), xlsx (Excel) or html (printable "
                    "page)"))
      ->check(CLI::IsMember({"table", "json", "csv", "xlsx", "html"}))
      ->option_text(std::string(tr("TEXT")) + ":{table,json,csv,xlsx,html}");
  if (with_out)
    cmd.add_option("--out", out,
                   tr("Write to FILE instead of stdout; the format follows the extension (.json .csv .txt .xlsx "
                      ".html)"));
  cmd.add_flag("--bom", bom, tr("CSV: begin with a UTF-8 byte order mark, so that Excel reads Vietnamese text"));
}

Result<void> OutputOptions::emit(const reports::Report& report) const {
  return emit_with([&report](reports::Format f, std::ostream& os, const reports::RenderOptions& options) {
    return reports::render(report, f, os, options);
  });
}

Result<void> OutputOptions::emit_with(const Writer& writer) const {
  reports::Format f = reports::Format::kTable;
  if (!format.empty()) {
    auto parsed = reports::parse_format(format);
    if (!parsed) return fail(parsed.error());
    f = *parsed;  // --format wins over --out's extension (docs/cli.md, rule 3)
  } else if (!out.empty()) {
    auto parsed = reports::format_from_path(out);
    if (!parsed) return fail(parsed.error());
    f = *parsed;
  }
  if (f == reports::Format::kXlsx && out.empty() && ::isatty(STDOUT_FILENO))
    return fail(Error::usage(tr("an xlsx workbook is binary: write it with --out FILE.xlsx (or redirect stdout)")));
  reports::RenderOptions options;
  options.bom = bom;
  options.lang = language_code(language());  // the global --lang (main.cpp)
  return write_output(out, [&](std::ostream& os) { return writer(f, os, options); });
}

Result<void> write_output(const std::string& path, const std::function<Result<void>(std::ostream&)>& writer) {
  if (path.empty()) return writer(std::cout);
  return write_file_atomically(path, writer, open_database_files());
}

void add_read_options(CLI::App& cmd, CsvReadOptions& read) {
  cmd.add_option("--delimiter", read.delimiter,
                 tr("CSV: the delimiter, ',' ';' or tab (default: the most frequent of them in the header line)"));
  cmd.add_option("--encoding", read.encoding,
                 tr("CSV: the file's encoding, e.g. windows-1258 (default: UTF-8 with or without BOM, or UTF-16 "
                    "with its BOM)"));
}

Result<Date> parse_date_option(const std::string& text, std::string_view option) {
  auto d = Date::parse_any(text);
  if (!d) return fail(d.error().with_context(fmt::format("{}: ", option)));
  return d;
}

Result<std::optional<Date>> optional_date_option(const std::string& text, std::string_view option) {
  if (text.empty()) return std::optional<Date>();
  auto d = parse_date_option(text, option);
  if (!d) return fail(d.error());
  return std::optional<Date>(*d);
}

Result<Date> as_of_or_today(const std::string& text) {
  if (text.empty()) return today();
  return parse_date_option(text, "--as-of");
}

Result<Money> money_option(const std::string& text, std::string_view option) {
  auto m = parse_money(text);
  if (!m) return fail(m.error().with_context(fmt::format("{}: ", option)));
  return m;
}

Result<int> emit_report(const OutputOptions& out, const reports::Report& report) {
  if (auto ok = out.emit(report); !ok) return fail(ok.error());
  return 0;
}

}  // namespace soquy::cli
