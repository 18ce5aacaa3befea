// soquy loan … (Women's Development Fund loans): `loan preview` computes a schedule from terms,
// nothing stored; the others work on the loan book (soquy::LoanBook): disburse, repay, payoff,
// writeoff, recover, extend, reschedule, freeze, unfreeze, and the reading commands schedule,
// show, history, list. The rules are in ledger/include/soquy/loans.h; this file parses and
// prints (reports/src/loan_reports.cc shapes what is printed).
#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "context.h"
#include "soquy/loan_schedule.h"
#include "soquy/loans.h"
#include "soquy/reports/loan_reports.h"

namespace soquy::cli {
namespace {

// The loan book's receipt number is given as --id (repay, payoff, recover).
const FieldWording kReceiptIsId{{{"receipt", "--id"}}};

// Opens the ledger and runs `fn` with a LoanBook on it.
void add_preview(CLI::App& loan, Context& ctx) {
  struct PreviewArgs {
    std::string amount, rate, method = "flat", frequency = "monthly", date;
    int term = 12;
    int grace = 0;
    OutputOptions out;
  };
  auto a = std::make_shared<PreviewArgs>();
  auto* preview = loan.add_subcommand(
      "preview",
      tr("Compute a repayment schedule from loan terms, without storing anything: what an officer shows a borrower "
      "before disbursing. Flat loans also show the equivalent declining-balance rate.\n"
      "Example: soquy loan preview --amount 10000000 --rate 1%/month --term 12 --method flat --date 2026-01-15"));
  preview->add_option("--amount", a->amount, tr("Principal in whole đồng"))->required();
  preview->add_option("--rate", a->rate, tr("Interest rate, e.g. 0.65%/month or 12%/year"))->required();
  preview->add_option("--term", a->term, tr("Number of instalments"))->capture_default_str();
  preview->add_option("--method", a->method, "flat|equal-principal|equal-total")->capture_default_str();
  preview->add_option("--frequency", a->frequency, "monthly|weekly|fortnightly|four-weekly")->capture_default_str();
  preview->add_option("--grace", a->grace, tr("Instalments of interest only at the start"))->capture_default_str();
  preview->add_option("--date", a->date, tr("Disbursement date YYYY-MM-DD or DD/MM/YYYY"))->required();
  a->out.add_to(*preview);
  preview->callback([&ctx, a] {
    ctx.action = [a]() -> Result<int> {
      LoanTerms t;
      auto amount = money_option(a->amount, "--amount");
      if (!amount) return fail(amount.error());
      t.principal = *amount;
      auto rate = Rate::parse(a->rate);
      if (!rate) return fail(rate.error().with_context("--rate: "));
      t.rate = *rate;
      auto method = parse_repayment_method(a->method);
      if (!method) return fail(method.error().with_context("--method: "));
      t.method = *method;
      auto frequency = parse_frequency(a->frequency);
      if (!frequency) return fail(frequency.error().with_context("--frequency: "));
      t.frequency = *frequency;
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      t.disbursed_on = *date;
      t.installments = a->term;
      t.grace = a->grace;
      auto schedule = build_schedule(t);
      if (!schedule) return fail(schedule.error());
      if (auto r = a->out.emit(reports::loan_schedule("", t, *schedule)); !r) return fail(r.error());
      return 0;
    };
  });
}

void add_disburse(CLI::App& loan, Context& ctx) {
  struct Args {
    std::string loan, member, product, amount, date, group, memo;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = loan.add_subcommand(
      "disburse",
      tr("Disburse a loan from the fund (Dr 2111 loans, Cr 1011 cash) and store its schedule. Refused beyond the "
      "member limit (50,000,000 by default) or the fund's cash.\n"
      "Example: soquy loan disburse L0001 --member HV001 --product FLAT12 --amount 10000000 --date 2026-01-15"));
  cmd->add_option("LOAN", a->loan, tr("The loan's code (unique; letters, digits, - _ . /)"))->required();
  cmd->add_option("--member", a->member, tr("Member id"))->required();
  cmd->add_option("--product", a->product, tr("Loan product code (soquy product list)"))->required();
  cmd->add_option("--amount", a->amount, tr("Principal in whole đồng"))->required();
  cmd->add_option("--date", a->date, tr("Disbursement date YYYY-MM-DD or DD/MM/YYYY"))->required();
  cmd->add_option("--group", a->group, tr("Credit group the loan goes through (the member must be in it)"));
  cmd->add_option("--memo", a->memo, tr("Memo of the entry (default: Giải ngân khoản vay LOAN cho NAME (ID))"));
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      DisburseRequest req;
      req.loan = a->loan;
      req.member = a->member;
      req.product = a->product;
      req.group = a->group;
      req.memo = a->memo;
      auto amount = money_option(a->amount, "--amount");
      if (!amount) return fail(amount.error());
      req.amount = *amount;
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      req.date = *date;
      return with_engine<LoanBook>(ctx, Ledger::Access::kWrite, [&](LoanBook& book) -> Result<int> {
        auto l = book.disburse(req);
        if (!l) return fail(l.error());
        return emit_report(a->out, reports::loan_disbursed(*l));
      });
    };
  });
}

void add_repay(CLI::App& loan, Context& ctx) {
  struct Args {
    std::string loan, amount, savings = "0", date, id;
    bool prepay = false;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = loan.add_subcommand(
      "repay",
      tr("Record a repayment: allocated to the oldest instalment first (penalty, interest, principal by default); "
      "money beyond the whole schedule is held for the member (4591). Prints the split and the loan after it. "
      "More than the loan owes on the date (instalments due by then and penalty) is refused unless --prepay.\n"
      "Example: soquy loan repay L0001 --amount 933333 --date 2026-02-15 --id PT-0001"));
  cmd->add_option("LOAN", a->loan, tr("Loan code"))->required();
  cmd->add_option("--amount", a->amount, tr("Repayment in whole đồng (0 with --savings: savings only)"))->required();
  cmd->add_option("--date", a->date, tr("Date received YYYY-MM-DD or DD/MM/YYYY (not before the loan's latest event)"))->required();
  cmd->add_option("--savings", a->savings, tr("Compulsory savings received with it (Cr 4231), not part of --amount"));
  cmd->add_option("--id", a->id,
                  tr("Receipt number (idempotency key): the same receipt with the same content is not recorded twice"));
  cmd->add_flag("--prepay", a->prepay,
                tr("The amount is a prepayment (trả trước): it may be more than the loan owes on the date, the rest "
                "paying the next instalments"));
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a] {
    ctx.fields = kReceiptIsId;
    ctx.action = [&ctx, a]() -> Result<int> {
      auto amount = money_option(a->amount, "--amount");
      if (!amount) return fail(amount.error());
      auto savings = money_option(a->savings, "--savings");
      if (!savings) return fail(savings.error());
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      return with_engine<LoanBook>(ctx, Ledger::Access::kWrite, [&](LoanBook& book) -> Result<int> {
        auto r = book.repay(a->loan, *amount, *savings, *date, a->id, a->prepay);
        if (!r) return fail(r.error());
        return emit_report(a->out, reports::loan_repayment(a->loan, *r));
      });
    };
  });
}

void add_payoff(CLI::App& loan, Context& ctx) {
  struct Args {
    std::string loan, amount, date, id;
    bool quote = false;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = loan.add_subcommand(
      "payoff",
      tr("Settle a loan on a date: all unpaid principal, the interest of instalments due by then and penalty. "
      "--quote only prints what it takes, writing nothing.\n"
      "Example: soquy loan payoff L0001 --date 2026-06-20 --quote"));
  cmd->add_option("LOAN", a->loan, tr("Loan code"))->required();
  cmd->add_option("--date", a->date, tr("Date of the payoff YYYY-MM-DD or DD/MM/YYYY"))->required();
  cmd->add_option("--amount", a->amount, tr("Cash received: must equal the quote (default: the quote)"));
  cmd->add_option("--id", a->id, tr("Receipt number (idempotency key)"));
  cmd->add_flag("--quote", a->quote, tr("Only print the payoff amount; record nothing"));
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a] {
    ctx.fields = kReceiptIsId;
    ctx.action = [&ctx, a]() -> Result<int> {
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      std::optional<Money> amount;
      if (!a->amount.empty()) {
        auto m = money_option(a->amount, "--amount");
        if (!m) return fail(m.error());
        amount = *m;
      }
      if (a->quote) {
        return with_engine<LoanBook>(ctx, Ledger::Access::kReadOnly, [&](LoanBook& book) -> Result<int> {
          auto q = book.payoff_quote(a->loan, *date);
          if (!q) return fail(q.error());
          return emit_report(a->out, reports::payoff_quote(a->loan, *q));
        });
      }
      return with_engine<LoanBook>(ctx, Ledger::Access::kWrite, [&](LoanBook& book) -> Result<int> {
        auto r = book.payoff(a->loan, *date, amount, a->id);
        if (!r) return fail(r.error());
        return emit_report(a->out, reports::loan_repayment(a->loan, *r));
      });
    };
  });
}

// writeoff, freeze, unfreeze: LOAN --date D [--reason R].
void add_dated_event(CLI::App& loan, Context& ctx, const std::string& name, const std::string& help,
                     Result<LoanEvent> (LoanBook::*call)(const std::string&, Date, const std::string&)) {
  struct Args {
    std::string loan, date, reason;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = loan.add_subcommand(name, help);
  cmd->add_option("LOAN", a->loan, tr("Loan code"))->required();
  cmd->add_option("--date", a->date, tr("Date of the event YYYY-MM-DD or DD/MM/YYYY (not before the loan's latest event)"))->required();
  cmd->add_option("--reason", a->reason, tr("Why (kept with the event)"));
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a, call] {
    ctx.action = [&ctx, a, call]() -> Result<int> {
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      return with_engine<LoanBook>(ctx, Ledger::Access::kWrite, [&](LoanBook& book) -> Result<int> {
        auto e = (book.*call)(a->loan, *date, a->reason);
        if (!e) return fail(e.error());
        return emit_report(a->out, reports::loan_event(a->loan, *e));
      });
    };
  });
}

void add_recover(CLI::App& loan, Context& ctx) {
  struct Args {
    std::string loan, amount, date, id;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = loan.add_subcommand(
      "recover", tr("Record money received on a written-off loan: income (Dr 1011 cash, Cr 7900 recoveries)"));
  cmd->add_option("LOAN", a->loan, tr("Loan code (written off)"))->required();
  cmd->add_option("--amount", a->amount, tr("Amount in whole đồng"))->required();
  cmd->add_option("--date", a->date, tr("Date received YYYY-MM-DD or DD/MM/YYYY"))->required();
  cmd->add_option("--id", a->id, tr("Receipt number (idempotency key)"));
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a] {
    ctx.fields = kReceiptIsId;
    ctx.action = [&ctx, a]() -> Result<int> {
      auto amount = money_option(a->amount, "--amount");
      if (!amount) return fail(amount.error());
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      return with_engine<LoanBook>(ctx, Ledger::Access::kWrite, [&](LoanBook& book) -> Result<int> {
        auto e = book.recover(a->loan, *amount, *date, a->id);
        if (!e) return fail(e.error());
        return emit_report(a->out, reports::loan_event(a->loan, *e));
      });
    };
  });
}

void add_extend(CLI::App& loan, Context& ctx) {
  struct Args {
    std::string loan, date, reason;
    int months = 0;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = loan.add_subcommand(
      "extend",
      tr("Extend a loan (gia hạn nợ): what is unpaid of every instalment falls due M months later; unpaid penalty is "
      "waived. No money moves.\nExample: soquy loan extend L0001 --months 3 --date 2026-05-01 --reason \"lũ lụt\""));
  cmd->add_option("LOAN", a->loan, tr("Loan code"))->required();
  cmd->add_option("--months", a->months, tr("Months to move every unpaid instalment"))->required();
  cmd->add_option("--date", a->date, tr("Date of the decision YYYY-MM-DD or DD/MM/YYYY"))->required();
  cmd->add_option("--reason", a->reason, tr("Why (default: M months)"));
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      return with_engine<LoanBook>(ctx, Ledger::Access::kWrite, [&](LoanBook& book) -> Result<int> {
        auto e = book.extend(a->loan, a->months, *date, a->reason);
        if (!e) return fail(e.error());
        return emit_report(a->out, reports::loan_event(a->loan, *e));
      });
    };
  });
}

void add_reschedule(CLI::App& loan, Context& ctx) {
  struct Args {
    std::string loan, date, reason, frequency, method;
    int term = 0;
    int grace = 0;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = loan.add_subcommand(
      "reschedule",
      tr("Reschedule a loan (cơ cấu lại thời hạn trả nợ): the outstanding principal is spread over a new schedule "
      "from the date; interest due and unpaid goes into the first new instalment; unpaid penalty is waived.\n"
      "Example: soquy loan reschedule L0001 --date 2026-05-01 --term 12"));
  cmd->add_option("LOAN", a->loan, tr("Loan code"))->required();
  cmd->add_option("--date", a->date, tr("Date of the decision, the new schedule's start YYYY-MM-DD or DD/MM/YYYY"))->required();
  cmd->add_option("--term", a->term, tr("Number of new instalments"))->required();
  cmd->add_option("--frequency", a->frequency, tr("monthly|weekly|fortnightly|four-weekly (default: the loan's)"));
  cmd->add_option("--method", a->method, tr("flat|equal-principal|equal-total (default: the loan's)"));
  cmd->add_option("--grace", a->grace, tr("Instalments of interest only at the start"))->capture_default_str();
  cmd->add_option("--reason", a->reason, tr("Why (kept with the event)"));
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      RescheduleTerms t;
      t.installments = a->term;
      t.grace = a->grace;
      if (!a->frequency.empty()) {
        auto f = parse_frequency(a->frequency);
        if (!f) return fail(f.error().with_context("--frequency: "));
        t.frequency = *f;
      }
      if (!a->method.empty()) {
        auto m = parse_repayment_method(a->method);
        if (!m) return fail(m.error().with_context("--method: "));
        t.method = *m;
      }
      return with_engine<LoanBook>(ctx, Ledger::Access::kWrite, [&](LoanBook& book) -> Result<int> {
        auto e = book.reschedule(a->loan, t, *date, a->reason);
        if (!e) return fail(e.error());
        return emit_report(a->out, reports::loan_event(a->loan, *e));
      });
    };
  });
}

void add_schedule(CLI::App& loan, Context& ctx) {
  struct Args {
    std::string loan, as_of;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = loan.add_subcommand(
      "schedule", tr("The repayment schedule of a stored loan in force on a date (after any extension or rescheduling)"));
  cmd->add_option("LOAN", a->loan, tr("Loan code"))->required();
  cmd->add_option("--as-of", a->as_of, tr("Date (default today)"));
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto as_of = as_of_or_today(a->as_of);
      if (!as_of) return fail(as_of.error());
      return with_engine<LoanBook>(ctx, Ledger::Access::kReadOnly, [&](LoanBook& book) -> Result<int> {
        auto l = book.loan(a->loan);
        if (!l) return fail(l.error());
        auto s = book.schedule(a->loan, *as_of);
        if (!s) return fail(s.error());
        auto events = book.events(a->loan);
        if (!events) return fail(events.error());
        return emit_report(a->out, reports::stored_loan_schedule(*l, *s, *events, *as_of));
      });
    };
  });
}

void add_show(CLI::App& loan, Context& ctx) {
  struct Args {
    std::string loan, as_of;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = loan.add_subcommand(
      "show", tr("What a loan owes at the end of a date: outstanding and overdue amounts, days past due, bucket, class"));
  cmd->add_option("LOAN", a->loan, tr("Loan code"))->required();
  cmd->add_option("--as-of", a->as_of, tr("Date (default today); repayments dated that day count"));
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto as_of = as_of_or_today(a->as_of);
      if (!as_of) return fail(as_of.error());
      return with_engine<LoanBook>(ctx, Ledger::Access::kReadOnly, [&](LoanBook& book) -> Result<int> {
        auto s = book.snapshot(a->loan, *as_of);
        if (!s) return fail(s.error());
        auto saving = book.savings_due(a->loan, *as_of);
        if (!saving) return fail(saving.error());
        return emit_report(a->out, reports::loan_detail(*s, book.class_table(), saving->arrears));
      });
    };
  });
}

void add_history(CLI::App& loan, Context& ctx) {
  struct Args {
    std::string loan;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = loan.add_subcommand("history", tr("Every dated event of a loan, from its disbursement, with its entry"));
  cmd->add_option("LOAN", a->loan, tr("Loan code"))->required();
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      return with_engine<LoanBook>(ctx, Ledger::Access::kReadOnly, [&](LoanBook& book) -> Result<int> {
        auto l = book.loan(a->loan);
        if (!l) return fail(l.error());
        auto events = book.history(a->loan);
        if (!events) return fail(events.error());
        return emit_report(a->out, reports::loan_history(*l, *events));
      });
    };
  });
}

void add_list(CLI::App& loan, Context& ctx) {
  struct Args {
    std::string member, group, as_of;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = loan.add_subcommand("list", tr("Loans disbursed by a date, with what each owes then (one member's, one group's)"));
  cmd->add_option("--member", a->member, tr("Only this member's loans"));
  cmd->add_option("--group", a->group, tr("Only the loans made through this group"));
  cmd->add_option("--as-of", a->as_of, tr("Date (default today)"));
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto as_of = as_of_or_today(a->as_of);
      if (!as_of) return fail(as_of.error());
      return with_engine<LoanBook>(ctx, Ledger::Access::kReadOnly, [&](LoanBook& book) -> Result<int> {
        std::vector<LoanSnapshot> rows;
        auto each = book.for_each_snapshot(*as_of, [&](const LoanSnapshot& s) {
          if (!a->member.empty() && s.member != a->member) return;
          if (!a->group.empty() && s.group != a->group) return;
          rows.push_back(s);
        });
        if (!each) return fail(each.error());
        return emit_report(a->out, reports::loan_list(rows, *as_of, book.class_table()));
      });
    };
  });
}

}  // namespace

void add_loan_commands(CLI::App& app, Context& ctx) {
  auto* loan = app.add_subcommand("loan", tr("Women's Development Fund loans"));
  loan->require_subcommand(1);
  add_preview(*loan, ctx);
  add_disburse(*loan, ctx);
  add_repay(*loan, ctx);
  add_payoff(*loan, ctx);
  add_dated_event(*loan, ctx, "writeoff",
                  tr("Write a loan off (xóa nợ): its outstanding principal leaves the portfolio against the "
                     "provision (Dr 2191, Cr 2111); later money is recorded with soquy loan recover"),
                  &LoanBook::writeoff);
  add_recover(*loan, ctx);
  add_extend(*loan, ctx);
  add_reschedule(*loan, ctx);
  add_dated_event(*loan, ctx, "freeze", tr("Freeze a loan (khoanh nợ): not overdue while frozen and reported apart; no entry"),
                  &LoanBook::freeze);
  add_dated_event(*loan, ctx, "unfreeze",
                  tr("End a freeze: what was overdue is overdue again (extend it to give new dates); no entry"),
                  &LoanBook::unfreeze);
  add_schedule(*loan, ctx);
  add_show(*loan, ctx);
  add_history(*loan, ctx);
  add_list(*loan, ctx);
}

}  // namespace soquy::cli
