// soquy vbsp …, soquy report vbsp-overdue: VBSP entrustment. The rules are in soquy::Vbsp
// (vbsp.h); this file parses and prints (docs/vbsp.md).
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "context.h"
#include "progress.h"
#include "soquy/reports/vbsp_reports.h"
#include "soquy/vbsp.h"

namespace soquy::cli {
namespace {

// The registry's "unknown group" is worded as the registry words it ("group: …"), not as --group.
const FieldWording kGroupByName{{{"group", "group"}}};

struct ImportArgs {
  std::string file, unit, from, as_of, map;
  CsvReadOptions read;
  std::size_t loan_no_length = 0;
};

VbspImportOptions options(const ImportArgs& a) {
  VbspImportOptions o;
  o.unit = a.unit;
  o.loan_no_length = a.loan_no_length;
  o.map_path = a.map;
  o.read = a.read;
  return o;
}

void add_length_option(CLI::App* c, ImportArgs& a) {
  c->add_option("--loan-no-length", a.loan_no_length,
                tr("Digits of a loan number (default: setting vbsp.loan_no_length, else 16)"));
  add_read_options(*c, a.read);
}

// `said`: "register {}: …" or "transactions {}: …", the file, then the counts.
void print_summary(const char* said, const std::string& file, const VbspImportSummary& s) {
  fmt::print(fmt::runtime(said), file, s.rows, s.created, s.existing);
  if (s.groups_created || s.members_created)
    fmt::print(fmt::runtime(tr("; {} group(s) and {} member(s) created in the registry")), s.groups_created,
               s.members_created);
  fmt::print("\n");
}

// vbsp import-register FILE [--unit U]: the union's register of entrusted loans.
void add_import_register(CLI::App& vb, Context& ctx) {
  auto a = std::make_shared<ImportArgs>();
  auto* c = vb.add_subcommand(
      "import-register",
      tr("Import the union's register of entrusted loans: loan_no,group_code,member_id,customer_code,national_id,"
         "borrower_name,programme,disbursed_on,amount,maturity_on. Unknown groups are created as VBSP groups of "
         "--unit; unknown members from the row.\nExample: soquy vbsp import-register register.csv --unit X_LONGDUC"));
  c->add_option("FILE", a->file, tr("CSV or .xlsx file"))->required();
  c->add_option("--unit", a->unit, tr("Commune of the groups created for unknown group codes"));
  add_length_option(c, *a);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto ledger = ctx.open_ledger();
      if (!ledger) return fail(ledger.error());
      Vbsp v(**ledger);
      ProgressLine progress(std::cerr, ProgressLine::for_stderr(ctx.quiet));
      auto o = options(*a);
      o.on_progress = progress.callback();
      auto s = v.import_register(a->file, o);
      progress.finish();
      if (!s) return fail(s.error());
      print_summary(tr("register {}: {} row(s); {} recorded, {} already there"), a->file, *s);
      return 0;
    };
  });
}

// vbsp import-transactions FILE: collections by receipt.
void add_import_transactions(CLI::App& vb, Context& ctx) {
  auto a = std::make_shared<ImportArgs>();
  auto* c = vb.add_subcommand(
      "import-transactions",
      tr("Import what members paid through their group (receipts, sheet 13/TD): date,loan_no,kind,amount,receipt_no; "
         "kind principal|interest|savings-in|savings-out (or gốc, lãi, tiết kiệm, rút tiết kiệm). The receipt number is unique: importing twice changes "
         "nothing.\nExample: soquy vbsp import-transactions thu_2026_11.csv"));
  c->add_option("FILE", a->file, tr("CSV or .xlsx file"))->required();
  add_length_option(c, *a);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto ledger = ctx.open_ledger();
      if (!ledger) return fail(ledger.error());
      Vbsp v(**ledger);
      ProgressLine progress(std::cerr, ProgressLine::for_stderr(ctx.quiet));
      auto o = options(*a);
      o.on_progress = progress.callback();
      auto s = v.import_transactions(a->file, o);
      progress.finish();
      if (!s) return fail(s.error());
      print_summary(tr("transactions {}: {} row(s); {} recorded, {} already there"), a->file, *s);
      return 0;
    };
  });
}

// vbsp import-statement FILE --from --as-of [--map]: the bank's statement.
void add_import_statement(CLI::App& vb, Context& ctx) {
  auto a = std::make_shared<ImportArgs>();
  auto* c = vb.add_subcommand(
      "import-statement",
      tr("Import the bank's statement for the period FROM..AS-OF (canonical CSV or the bank's HSTD export with its "
         "Vietnamese headers, as CSV or as its .xlsx workbook: sheet BCQUERY, else the first). Statements are dated "
         "snapshots: a corrected one for the same date is kept beside the old one and the newest is used.\nExample: soquy vbsp import-statement HSTD_112026.csv --from 2026-11-01 "
         "--as-of 2026-11-30"));
  c->add_option("FILE", a->file, tr("CSV or .xlsx file"))->required();
  c->add_option("--from", a->from, tr("First day of the statement period, YYYY-MM-DD or DD/MM/YYYY"))->required();
  c->add_option("--as-of", a->as_of, tr("Date of the statement, YYYY-MM-DD or DD/MM/YYYY"))->required();
  c->add_option("--map", a->map, tr("CSV column,header: more header names for this bank file (docs/vbsp.md)"));
  add_length_option(c, *a);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto from = parse_date_option(a->from, "--from");
      if (!from) return fail(from.error());
      auto as_of = parse_date_option(a->as_of, "--as-of");
      if (!as_of) return fail(as_of.error());
      auto ledger = ctx.open_ledger();
      if (!ledger) return fail(ledger.error());
      Vbsp v(**ledger);
      ProgressLine progress(std::cerr, ProgressLine::for_stderr(ctx.quiet));
      auto o = options(*a);
      o.on_progress = progress.callback();
      auto s = v.import_statement(a->file, *from, *as_of, o);
      progress.finish();
      if (!s) return fail(s.error());
      const char* said = s->created ? tr("statement {} as of {} (period from {}): {} loan row(s), {} closed; version {}")
                                    : tr("statement {} as of {} (period from {}): {} loan row(s), {} closed; version {} "
                                         "already there, nothing changed");
      fmt::print(fmt::runtime(said), a->file, s->as_of, s->period_from, s->rows, s->closed, s->version);
      fmt::print("\n");
      for (const auto& n : s->notes) fmt::print("{}\n", fmt::format(fmt::runtime(tr("note: {}")), n));
      return 0;
    };
  });
}

// vbsp reconcile --as-of [--group]: exit 1 when anything differs.
void add_reconcile(CLI::App& vb, Context& ctx) {
  struct Args {
    std::string as_of, group;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = vb.add_subcommand(
      "reconcile",
      tr("Compare the union's register and collections with the bank's statement as of a date, per loan: principal "
         "outstanding, interest collected in the period, savings, customer code and name. Exit 1 when anything "
         "differs.\nExample: soquy vbsp reconcile --as-of 2026-11-30 --format json"));
  c->add_option("--as-of", a->as_of, tr("Date of an imported statement, YYYY-MM-DD or DD/MM/YYYY"))->required();
  c->add_option("--group", a->group, tr("Only this group's loans"));
  a->out.add_to(*c);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto as_of = parse_date_option(a->as_of, "--as-of");
      if (!as_of) return fail(as_of.error());
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      Vbsp v(**ledger);
      ProgressLine progress(std::cerr, ProgressLine::for_stderr(ctx.quiet));
      // json and csv write the differences as they are found (docs/performance.md, "Memory of
      // streamed output").
      VbspReconSummary summary;
      auto ok = a->out.emit_with([&](reports::Format f, std::ostream& os, const reports::RenderOptions& options) -> Result<void> {
        auto s = reports::write_vbsp_reconciliation(v, *as_of, a->group, f, os, options, progress.callback());
        progress.finish();
        if (!s) return fail(s.error());
        summary = *s;
        return {};
      });
      if (!ok) return fail(ok.error());
      return summary.matched == summary.loans ? 0 : 1;
    };
  });
}

// vbsp session --group --date --cash-paid-in: exit 1 when there is a gap.
void add_session(CLI::App& vb, Context& ctx) {
  struct Args {
    std::string group, date, cash, from;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = vb.add_subcommand(
      "session",
      tr("Session check: the interest and savings receipts of a group's loans (from the first of the month, or "
         "--from, to --date) against the cash the leader paid in at the commune point. A positive gap is possible "
         "misappropriation. Exit 1 when there is a gap.\n"
         "Example: soquy vbsp session --group 0841012 --date 2026-11-20 --cash-paid-in 3200000"));
  c->add_option("--group", a->group, tr("Group code"))->required();
  c->add_option("--date", a->date, tr("Session date, YYYY-MM-DD or DD/MM/YYYY"))->required();
  c->add_option("--cash-paid-in", a->cash, tr("Cash the leader paid in, whole đồng"))->required();
  c->add_option("--from", a->from, tr("First receipt date counted (default: the first of the month)"));
  a->out.add_to(*c);
  c->callback([&ctx, a] {
    ctx.fields = kGroupByName;
    ctx.action = [&ctx, a]() -> Result<int> {
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      auto from = optional_date_option(a->from, "--from");
      if (!from) return fail(from.error());
      auto cash = money_option(a->cash, "--cash-paid-in");
      if (!cash) return fail(cash.error());
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      Vbsp v(**ledger);
      auto s = v.session_check(a->group, *date, *cash, *from);
      if (!s) return fail(s.error());
      if (auto ok = a->out.emit(reports::vbsp_session(*s)); !ok) return fail(ok.error());
      return s->ok() ? 0 : 1;
    };
  });
}

// vbsp form-13td --group --date: receipts of a session, no cash.
void add_form_13td(CLI::App& vb, Context& ctx) {
  struct Args {
    std::string group, date, from;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = vb.add_subcommand(
      "form-13td",
      tr("Sheet 13/TD (bảng kê thu lãi, thu tiền gửi tiết kiệm) of a session: per loan the interest and savings the "
         "leader collected (receipts from the first of the month, or --from, to --date), the savings withdrawn, the "
         "total, an empty signature column; a printable form (--format html).\n"
         "Example: soquy vbsp form-13td --group 0841012 --date 2026-11-20 --out 13TD.html"));
  c->add_option("--group", a->group, tr("Group code"))->required();
  c->add_option("--date", a->date, tr("Session date, YYYY-MM-DD or DD/MM/YYYY"))->required();
  c->add_option("--from", a->from, tr("First receipt date counted (default: the first of the month)"));
  a->out.add_to(*c);
  c->callback([&ctx, a] {
    ctx.fields = kGroupByName;
    ctx.action = [&ctx, a]() -> Result<int> {
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      auto from = optional_date_option(a->from, "--from");
      if (!from) return fail(from.error());
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      Vbsp v(**ledger);
      auto s = v.session_check(a->group, *date, Money(0), *from);  // the sheet: receipts only, no cash
      if (!s) return fail(s.error());
      return emit_report(a->out, reports::vbsp_form_13td(*s));
    };
  });
}

// vbsp form-15td --group --as-of.
void add_form_15td(CLI::App& vb, Context& ctx) {
  struct Args {
    std::string group, as_of;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = vb.add_subcommand(
      "form-15td",
      tr("Form 15/TD (bảng kê đối chiếu tiền vay, tiền gửi) of one group against the bank's statement: per loan the "
         "bank's and the member's principal, interest owed and savings, the difference, and empty cause and "
         "signature columns, with totals.\nExample: soquy vbsp form-15td --group 0841012 --as-of 2026-11-30"));
  c->add_option("--group", a->group, tr("Group code"))->required();
  c->add_option("--as-of", a->as_of, tr("Date of an imported statement, YYYY-MM-DD or DD/MM/YYYY"))->required();
  a->out.add_to(*c);
  c->callback([&ctx, a] {
    ctx.fields = kGroupByName;
    ctx.action = [&ctx, a]() -> Result<int> {
      auto as_of = parse_date_option(a->as_of, "--as-of");
      if (!as_of) return fail(as_of.error());
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      Vbsp v(**ledger);
      auto f = v.form_15td(a->group, *as_of);
      if (!f) return fail(f.error());
      if (auto ok = a->out.emit(reports::vbsp_form_15td(*f)); !ok) return fail(ok.error());
      return 0;
    };
  });
}

// vbsp minutes --group --as-of: exit 1 when anything differs.
void add_minutes(CLI::App& vb, Context& ctx) {
  struct Args {
    std::string group, as_of;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = vb.add_subcommand(
      "minutes",
      tr("The reconciliation minutes (biên bản đối chiếu) of one group against the bank's statement: principal, "
         "interest collected, savings (bank, union, difference), interest owed, and every difference with its cause. "
         "Exit 1 when anything differs.\nExample: soquy vbsp minutes --group 0841012 --as-of 2026-11-30"));
  c->add_option("--group", a->group, tr("Group code"))->required();
  c->add_option("--as-of", a->as_of, tr("Date of an imported statement, YYYY-MM-DD or DD/MM/YYYY"))->required();
  a->out.add_to(*c);
  c->callback([&ctx, a] {
    ctx.fields = kGroupByName;
    ctx.action = [&ctx, a]() -> Result<int> {
      auto as_of = parse_date_option(a->as_of, "--as-of");
      if (!as_of) return fail(as_of.error());
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      Vbsp v(**ledger);
      auto f = v.form_15td(a->group, *as_of);
      if (!f) return fail(f.error());
      auto r = v.reconcile(*as_of, a->group);
      if (!r) return fail(r.error());
      if (auto ok = a->out.emit(reports::vbsp_minutes(*f, *r)); !ok) return fail(ok.error());
      return r->all_match() ? 0 : 1;
    };
  });
}

// report vbsp-overdue --as-of [--compare-to] [--by].
void add_overdue_report(CLI::App& report, Context& ctx) {
  struct Args {
    std::string as_of, compare_to, by = "group";
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = report.add_subcommand(
      "vbsp-overdue",
      tr("Overdue and frozen VBSP principal from the bank's statements, against an earlier statement (31/12 of the "
         "previous year by default): the target is that overdue does not grow year on year. Rows that grew are "
         "flagged.\nExample: soquy report vbsp-overdue --as-of 2026-11-30 --by programme"));
  c->add_option("--as-of", a->as_of, tr("Date of an imported statement, YYYY-MM-DD or DD/MM/YYYY"))->required();
  c->add_option("--compare-to", a->compare_to, tr("Date of the earlier statement (default 31/12 of the year before)"));
  c->add_option("--by", a->by, tr("Rows by group, commune or programme"))->capture_default_str();
  a->out.add_to(*c);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto as_of = parse_date_option(a->as_of, "--as-of");
      if (!as_of) return fail(as_of.error());
      Date before = *Date::from_ymd(as_of->year() - 1, 12, 31);
      if (!a->compare_to.empty()) {
        auto d = parse_date_option(a->compare_to, "--compare-to");
        if (!d) return fail(d.error());
        before = *d;
      }
      auto by = parse_vbsp_overdue_by(a->by);
      if (!by) return fail(by.error());
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      Vbsp v(**ledger);
      auto o = v.overdue(*as_of, before, *by);
      if (!o) return fail(o.error());
      if (auto ok = a->out.emit(reports::vbsp_overdue(*o)); !ok) return fail(ok.error());
      return 0;
    };
  });
}

}  // namespace

void add_vbsp_commands(CLI::App& app, CLI::App& report_group, Context& ctx) {
  auto* vb = app.add_subcommand("vbsp", tr("VBSP entrustment (ủy thác NHCSXH): register, collections, bank "
                                           "statements and reconciliation (docs/vbsp.md)"));
  vb->require_subcommand(1);

  add_import_register(*vb, ctx);
  add_import_transactions(*vb, ctx);
  add_import_statement(*vb, ctx);
  add_reconcile(*vb, ctx);
  add_session(*vb, ctx);
  add_form_13td(*vb, ctx);
  add_form_15td(*vb, ctx);
  add_minutes(*vb, ctx);

  add_overdue_report(report_group, ctx);  // report vbsp-overdue
}

}  // namespace soquy::cli
