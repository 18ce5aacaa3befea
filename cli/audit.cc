// soquy audit log, soquy export audit-pack (docs/audit.md). The log comes from soquy/audit.h,
// the report and the pack from reports/src/audit_reports.cc; this file parses and prints.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "context.h"
#include "soquy/audit.h"
#include "soquy/reports/audit_reports.h"

namespace soquy::cli {
namespace {

void add_audit_log(CLI::App& audit, Context& ctx) {
  struct LogArgs {
    std::string from, to, user;
    OutputOptions out;
  };
  auto a = std::make_shared<LogArgs>();
  auto* log = audit.add_subcommand(
      "log",
      tr("Who recorded what and when: one line per journal entry in chain order, with the user, the record time "
      "(UTC), the book, date, memo, client id, the entry it reverses and its SHA-256 hash. --from/--to select "
      "days of record (not effective dates).\n"
      "Example: soquy audit log --from 2026-11-01 --to 2026-11-30 --user lan --format csv"));
  log->add_option("--from", a->from, tr("First day of record YYYY-MM-DD or DD/MM/YYYY (inclusive)"));
  log->add_option("--to", a->to, tr("Last day of record YYYY-MM-DD or DD/MM/YYYY (inclusive)"));
  log->add_option("--user", a->user, tr("Only the entries this user recorded"));
  a->out.add_to(*log);
  log->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      AuditLogFilter filter;
      if (!a->from.empty()) {
        auto d = parse_date_option(a->from, "--from");
        if (!d) return fail(d.error());
        filter.from = *d;
      }
      if (!a->to.empty()) {
        auto d = parse_date_option(a->to, "--to");
        if (!d) return fail(d.error());
        filter.to = *d;
      }
      filter.user = a->user;
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      // Written as the log is read: json and csv hold no more than one entry in memory.
      auto r = a->out.emit_with([&](reports::Format f, std::ostream& os, const reports::RenderOptions& options) {
        return reports::write_audit_log(**ledger, filter, f, os, options);
      });
      if (!r) return fail(r.error());
      return 0;
    };
  });
}

void add_audit_changes(CLI::App& audit, Context& ctx) {
  struct ChangesArgs {
    std::string from, to, user, table;
    OutputOptions out;
  };
  auto a = std::make_shared<ChangesArgs>();
  auto* changes = audit.add_subcommand(
      "changes",
      tr("Who changed which record and when, outside the journal: members, units, groups, users and roles, "
      "settings, products and rate tables, loans and their events, hụi and savings-group records, the VBSP "
      "register and statements. One line per insert, update or delete in chain order, with the record's content "
      "after the change (JSON) and the SHA-256 chain; `soquy check` proves that every record equals its last "
      "change.\n"
      "Example: soquy audit changes --table users --from 2026-11-01 --format csv --out thay-doi.csv"));
  changes->add_option("--from", a->from, tr("First day of record YYYY-MM-DD or DD/MM/YYYY (inclusive)"));
  changes->add_option("--to", a->to, tr("Last day of record YYYY-MM-DD or DD/MM/YYYY (inclusive)"));
  changes->add_option("--user", a->user, tr("Only the changes this user made"));
  changes->add_option("--table", a->table, tr("Only the changes of this table (e.g. loans, members, users, settings)"));
  a->out.add_to(*changes);
  changes->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      ChangeLogFilter filter;
      auto from = optional_date_option(a->from, "--from");
      if (!from) return fail(from.error());
      auto to = optional_date_option(a->to, "--to");
      if (!to) return fail(to.error());
      filter.from = *from;
      filter.to = *to;
      filter.user = a->user;
      filter.table = a->table;
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      auto rows = change_log(**ledger, filter);
      if (!rows) return fail(rows.error());
      if (auto r = a->out.emit(reports::change_log_report(filter, *rows)); !r) return fail(r.error());
      return 0;
    };
  });
}

}  // namespace

void add_audit_commands(CLI::App& app, Context& ctx) {
  auto* audit = app.add_subcommand("audit", tr("The audit trail: who recorded which entry or changed which record, when, and its hash"));
  audit->require_subcommand(1);
  add_audit_log(*audit, ctx);
  add_audit_changes(*audit, ctx);

  // `export` is the group of cli/export.cc: join it (registered before this file).
  CLI::App* exp = nullptr;
  for (auto* sub : app.get_subcommands([](CLI::App* s) { return s->get_name() == "export"; })) exp = sub;
  if (!exp) {
    exp = app.add_subcommand("export", tr("Export data for other programs"));
    exp->require_subcommand(1);
  }
  struct PackArgs {
    std::string as_of, out;
  };
  auto p = std::make_shared<PackArgs>();
  auto* pack = exp->add_subcommand(
      "audit-pack",
      tr("Write the auditor's pack into a new directory: the overdue report (xlsx, html), the trial balance (xlsx, "
      "csv), PAR (json), the audit log (csv), the result of `soquy check` (json, txt) and MANIFEST.sha256 "
      "(check it with `sha256sum -c MANIFEST.sha256`). The directory must not exist or be empty; it is built "
      "as DIR.part and renamed. Exit 1 when the check found a break (the pack is written and records it).\n"
      "Example: soquy export audit-pack --as-of 2026-12-31 --out kiem-toan-2026"));
  pack->add_option("--as-of", p->as_of, tr("Date of the reports YYYY-MM-DD or DD/MM/YYYY (default today)"));
  pack->add_option("--out", p->out, tr("The directory to create"))->required();
  pack->callback([&ctx, p] {
    ctx.action = [&ctx, p]() -> Result<int> {
      auto as_of = as_of_or_today(p->as_of);
      if (!as_of) return fail(as_of.error());
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      auto written = reports::write_audit_pack(**ledger, *as_of, p->out);
      if (!written) return fail(written.error());
      std::string dir = p->out;
      while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
      for (const auto& f : written->files) std::cout << dir << "/" << f << "\n";
      if (!written->check.ok()) {
        const auto failed = static_cast<unsigned long>(written->check.failed());
        std::cerr << "soquy: "
                  << fmt::format(fmt::runtime(trn("{} check found differences or problems; see {}/check.txt",
                                                  "{} checks found differences or problems; see {}/check.txt", failed)),
                                 failed, p->out)
                  << "\n";
        return 1;
      }
      return 0;
    };
  });
}

}  // namespace soquy::cli
