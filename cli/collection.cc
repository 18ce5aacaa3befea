// soquy collection-sheet: what each member of a credit group owes at a meeting,
// `collection-sheet record`: a whole meeting's receipts from a CSV file in one transaction
// (issue 4, item 5), and `collection-sheet reverse`: a recorded meeting reversed (issue 12).
// Rules in soquy::LoanBook (loans.h) and loan_files.h; this file parses and prints
// (reports/src/collection_report.cc shapes what is printed).
#include <memory>

#include "context.h"
#include "soquy/loan_files.h"
#include "soquy/loans.h"
#include "soquy/reports/collection_report.h"

namespace soquy::cli {

namespace {

// `collection-sheet reverse`: every standing row of a recorded meeting reversed, in one transaction.
CLI::App* add_collection_reverse(CLI::App& sheet, Context& ctx) {
  struct Args {
    std::string group, date, reason, id;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = sheet.add_subcommand(
      "reverse",
      tr("Reverse a recorded meeting: every repayment the collection sheet of the group recorded on that date (each "
      "reversal dated at the meeting, with the reason in its memo; later repayments of those loans re-allocated), in "
      "one transaction. The corrected sheet can then be recorded again.\n"
      "Example: soquy collection-sheet reverse --group TO-01 --date 2026-04-15 --reason \"nhập nhầm số tiền\""));
  cmd->add_option("--group", a->group, tr("Credit group code"))->required();
  cmd->add_option("--date", a->date, tr("Meeting date YYYY-MM-DD"))->required();
  cmd->add_option("--reason", a->reason, tr("Why the sheet is reversed (kept in each reversal's memo)"))->required();
  cmd->add_option("--id", a->id, tr("Request id: the same request again writes nothing"));
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      auto ledger = ctx.open_ledger(Ledger::Access::kWrite);
      if (!ledger) return fail(ledger.error());
      LoanBook book(**ledger);
      auto done = book.reverse_collection(a->group, *date, a->reason, a->id);
      if (!done) return fail(done.error());
      if (auto ok = a->out.emit(reports::collection_reversed(*done)); !ok) return fail(ok.error());
      return 0;
    };
  });
  return cmd;
}

}  // namespace

void add_collection_commands(CLI::App& app, Context& ctx) {
  struct Args {
    std::string group, date, file;
    OutputOptions out;
    CsvReadOptions read;
  };
  auto s = std::make_shared<Args>();
  auto* sheet = app.add_subcommand(
      "collection-sheet",
      tr("The collection sheet (phiếu thu nợ) of a credit group's meeting: for each loan, this period's instalment, "
      "arrears, compulsory savings and savings arrears and the total to collect, with days past due; blank "
      "columns to fill in.\n"
      "Example: soquy collection-sheet --group TO-01 --date 2026-04-15\n"
      "         soquy collection-sheet record --group TO-01 --date 2026-04-15 meeting.csv"));
  sheet->add_option("--group", s->group, tr("Credit group code"));
  sheet->add_option("--date", s->date, tr("Meeting date YYYY-MM-DD or DD/MM/YYYY"));
  s->out.add_to(*sheet);

  auto r = std::make_shared<Args>();
  auto* record = sheet->add_subcommand(
      "record",
      tr("Record a meeting's receipts from a CSV file or an .xlsx workbook (columns loan,amount[,savings][,receipt]"
      "[,prepay]; the sheet printed to .xlsx or with --format csv, filled in, will do, and so will the CSV Excel "
      "saves from it) in one transaction: every row or none. A row paying more "
      "than its loan owes on the date is refused unless its prepay cell is 1, x, yes or có. Recording the same "
      "file twice changes nothing."));
  record->add_option("--group", r->group, tr("Credit group code"))->required();
  record->add_option("--date", r->date, tr("Meeting date YYYY-MM-DD or DD/MM/YYYY"))->required();
  record->add_option("FILE", r->file, tr("CSV file or .xlsx workbook of the receipts"))->required();
  add_read_options(*record, r->read);
  r->out.add_to(*record);
  record->callback([&ctx, r] {
    ctx.action = [&ctx, r]() -> Result<int> {
      auto date = parse_date_option(r->date, "--date");
      if (!date) return fail(date.error());
      auto ledger = ctx.open_ledger(Ledger::Access::kWrite);
      if (!ledger) return fail(ledger.error());
      LoanBook book(**ledger);
      auto done = record_collection_file(book, r->group, *date, r->file, r->read);
      if (!done) return fail(done.error());
      if (auto ok = r->out.emit(reports::collection_recorded(r->group, *date, *done)); !ok) return fail(ok.error());
      return 0;
    };
  });

  auto* reverse = add_collection_reverse(*sheet, ctx);

  // The parent's callback runs after its subcommand's: it only acts when no subcommand was given.
  sheet->callback([&ctx, s, record, reverse] {
    if (record->parsed() || reverse->parsed()) return;
    ctx.action = [&ctx, s]() -> Result<int> {
      if (s->group.empty()) return fail(Error::usage(tr("collection-sheet: --group is required")));
      if (s->date.empty()) return fail(Error::usage(tr("collection-sheet: --date is required")));
      auto date = parse_date_option(s->date, "--date");
      if (!date) return fail(date.error());
      auto ledger = ctx.open_ledger(Ledger::Access::kReadOnly);
      if (!ledger) return fail(ledger.error());
      LoanBook book(**ledger);
      auto cs = book.collection_sheet(s->group, *date);
      if (!cs) return fail(cs.error());
      if (auto ok = s->out.emit(reports::collection_sheet(*cs)); !ok) return fail(ok.error());
      return 0;
    };
  });
}

}  // namespace soquy::cli
