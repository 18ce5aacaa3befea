// soquy product …, soquy fund deposit, soquy provision run: the Women's Development Fund's loan
// products, capital and loan-loss provision. The rules are in soquy::LoanBook (loans.h); this
// file parses and prints.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "context.h"
#include "soquy/loans.h"
#include "soquy/reports/ledger_reports.h"
#include "soquy/reports/loan_reports.h"

namespace soquy::cli {
namespace {

struct ProductArgs {
  std::string code, method, rate, frequency = "monthly", savings, max_amount, penalty_rate,
      allocation_order = "penalty,interest,principal";
  int term = 0;
  int grace = 0;
};

// The product of `product add` from its options; the option's name is in every error.
Result<LoanProduct> loan_product(const ProductArgs& a) {
  LoanProduct p;
  p.code = a.code;
  auto method = parse_repayment_method(a.method);
  if (!method) return fail(method.error().with_context("--method: "));
  p.method = *method;
  auto rate = Rate::parse(a.rate);
  if (!rate) return fail(rate.error().with_context("--rate: "));
  p.rate = *rate;
  p.installments = a.term;
  auto frequency = parse_frequency(a.frequency);
  if (!frequency) return fail(frequency.error().with_context("--frequency: "));
  p.frequency = *frequency;
  p.grace = a.grace;
  if (!a.savings.empty()) {
    auto s = Rate::parse(a.savings);
    if (!s) return fail(s.error().with_context("--savings: "));
    p.savings_rate = *s;
  }
  if (!a.max_amount.empty()) {
    auto m = money_option(a.max_amount, "--max-amount");
    if (!m) return fail(m.error());
    p.max_amount = *m;
  }
  if (!a.penalty_rate.empty()) {
    auto s = Rate::parse(a.penalty_rate);
    if (!s) return fail(s.error().with_context("--penalty-rate: "));
    p.penalty_rate = *s;
  }
  auto order = parse_allocation_order(a.allocation_order);
  if (!order) return fail(order.error().with_context("--allocation-order: "));
  p.allocation_order = *order;
  return p;
}

void add_product_add(CLI::App& product, Context& ctx) {
  auto a = std::make_shared<ProductArgs>();
  auto* add = product.add_subcommand(
      "add",
      tr("Add a loan product. Products are never changed: new terms take a new code. Without --savings and "
      "--penalty-rate there is no compulsory saving and no penalty.\n"
      "Example: soquy product add FLAT12 --method flat --rate 1%/month --term 12 --frequency monthly"));
  add->add_option("CODE", a->code, tr("Product code (letters, digits, - _ . /)"))->required();
  add->add_option("--method", a->method, "flat|equal-principal|equal-total")->required();
  add->add_option("--rate", a->rate, tr("Interest rate, e.g. 0.65%/month or 12%/year"))->required();
  add->add_option("--term", a->term, tr("Number of instalments"))->required();
  add->add_option("--frequency", a->frequency, "monthly|weekly|fortnightly|four-weekly")->capture_default_str();
  add->add_option("--grace", a->grace, tr("Instalments of interest only at the start"))->capture_default_str();
  add->add_option("--savings", a->savings, tr("Compulsory savings per period as a rate of the principal, e.g. 1%/month"));
  add->add_option("--max-amount", a->max_amount, tr("Largest loan of this product, whole đồng"));
  add->add_option("--penalty-rate", a->penalty_rate, tr("Penalty on overdue principal, e.g. 1%/month"));
  add->add_option("--allocation-order", a->allocation_order,
                  tr("Order a repayment pays an instalment's parts"))->capture_default_str();
  add->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto p = loan_product(*a);
      if (!p) return fail(p.error());
      return with_engine<LoanBook>(ctx, Ledger::Access::kWrite, [&](LoanBook& book) -> Result<int> {
        auto added = book.add_product(*p);
        if (!added) return fail(added.error());
        std::cout << (added->grace > 0
                          ? fmt::format(fmt::runtime(tr("Product {} added: {} {}, {} {} instalments, {} of grace.")),
                                        added->code, to_string(added->method), added->rate.to_string(),
                                        added->installments, to_string(added->frequency), added->grace)
                          : fmt::format(fmt::runtime(tr("Product {} added: {} {}, {} {} instalments.")), added->code,
                                        to_string(added->method), added->rate.to_string(), added->installments,
                                        to_string(added->frequency)))
                  << "\n";
        return 0;
      });
    };
  });
}

void add_product_list(CLI::App& product, Context& ctx) {
  auto out = std::make_shared<OutputOptions>();
  auto* list = product.add_subcommand("list", tr("Loan products with their terms"));
  out->add_to(*list);
  list->callback([&ctx, out] {
    ctx.action = [&ctx, out]() -> Result<int> {
      return with_engine<LoanBook>(ctx, Ledger::Access::kReadOnly,
                        [&](LoanBook& book) -> Result<int> { return emit_report(*out, reports::product_list(book.products())); });
    };
  });
}

void add_product_commands(CLI::App& app, Context& ctx) {
  auto* product = app.add_subcommand("product", tr("Loan products of the Women's Development Fund (stored terms)"));
  product->require_subcommand(1);
  add_product_add(*product, ctx);
  add_product_list(*product, ctx);
}

void add_fund_group(CLI::App& app, Context& ctx) {
  auto* fund = app.add_subcommand("fund", tr("The Women's Development Fund's capital"));
  fund->require_subcommand(1);
  struct Args {
    std::string amount, date, memo, id;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* deposit = fund->add_subcommand(
      "deposit",
      tr("Record capital received by the fund (Dr 1011 cash, Cr 6011 fund capital).\n"
      "Example: soquy fund deposit --amount 200000000 --date 2026-01-05 --memo \"Vốn tỉnh cấp\" --id VON-2026-01"));
  deposit->add_option("--amount", a->amount, tr("Amount in whole đồng"))->required();
  deposit->add_option("--date", a->date, tr("Date received YYYY-MM-DD or DD/MM/YYYY"))->required();
  deposit->add_option("--memo", a->memo, tr("Memo (default: Nhận vốn quỹ)"));
  deposit->add_option("--id", a->id, tr("Client id (idempotency key)"));
  a->out.add_to(*deposit, false);
  deposit->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto amount = money_option(a->amount, "--amount");
      if (!amount) return fail(amount.error());
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      return with_engine<LoanBook>(ctx, Ledger::Access::kWrite, [&](LoanBook& book) -> Result<int> {
        auto r = book.deposit(*amount, *date, a->memo, a->id);
        if (!r) return fail(r.error());
        return emit_report(a->out, reports::posted_entry(*r));
      });
    };
  });
}

void add_provision_group(CLI::App& app, Context& ctx) {
  auto* provision = app.add_subcommand("provision", tr("The loan-loss provision of the fund"));
  provision->require_subcommand(1);
  struct Args {
    std::string as_of;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* run = provision->add_subcommand(
      "run",
      tr("Post the change of the loan-loss provision to what the loans' classes require on a date (Dr 8821, Cr 2191, "
      "or the reverse when it falls). Running it again for the same date posts nothing.\n"
      "Example: soquy provision run --as-of 2026-06-30"));
  run->add_option("--as-of", a->as_of, tr("Date of the provision"))->required();
  a->out.add_to(*run);
  run->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto as_of = parse_date_option(a->as_of, "--as-of");
      if (!as_of) return fail(as_of.error());
      return with_engine<LoanBook>(ctx, Ledger::Access::kWrite, [&](LoanBook& book) -> Result<int> {
        auto r = book.run_provision(*as_of);
        if (!r) return fail(r.error());
        return emit_report(a->out, reports::provision_run(*r));
      });
    };
  });
}

}  // namespace

void add_fund_commands(CLI::App& app, Context& ctx) {
  add_product_commands(app, ctx);
  add_fund_group(app, ctx);
  add_provision_group(app, ctx);
}

}  // namespace soquy::cli
