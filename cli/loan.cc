// soquy loan … (fund loans). Today: `loan preview`, a schedule computed from terms, nothing
// stored; disbursement, repayment and the stored loan commands join this file.
#include "context.h"
#include "soquy/loan_schedule.h"
#include "soquy/reports/loan_reports.h"

namespace soquy::cli {

void add_loan_commands(CLI::App& app, Context& ctx) {
  auto* loan = app.add_subcommand("loan", "Women's Development Fund loans");
  loan->require_subcommand(1);
  struct PreviewArgs {
    std::string amount, rate, method = "flat", frequency = "monthly", date;
    int term = 12;
    int grace = 0;
    OutputOptions out;
  };
  auto a = std::make_shared<PreviewArgs>();
  auto* preview = loan->add_subcommand(
      "preview",
      "Compute a repayment schedule from loan terms, without storing anything: what an officer shows a borrower "
      "before disbursing. Flat loans also show the equivalent declining-balance rate.\n"
      "Example: soquy loan preview --amount 10000000 --rate 1%/month --term 12 --method flat --date 2026-01-15");
  preview->add_option("--amount", a->amount, "Principal in whole đồng")->required();
  preview->add_option("--rate", a->rate, "Interest rate, e.g. 0.65%/month or 12%/year")->required();
  preview->add_option("--term", a->term, "Number of instalments")->capture_default_str();
  preview->add_option("--method", a->method, "flat|equal-principal|equal-total")->capture_default_str();
  preview->add_option("--frequency", a->frequency, "monthly|weekly|fortnightly|four-weekly")->capture_default_str();
  preview->add_option("--grace", a->grace, "Instalments of interest only at the start")->capture_default_str();
  preview->add_option("--date", a->date, "Disbursement date YYYY-MM-DD")->required();
  a->out.add_to(*preview);
  preview->callback([&ctx, a] {
    ctx.action = [a]() -> Result<int> {
      LoanTerms t;
      auto amount = parse_money(a->amount);
      if (!amount) return fail(amount.error().with_context("--amount: "));
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

}  // namespace soquy::cli
