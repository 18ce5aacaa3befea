// soquy post; soquy reverse
#include <iostream>

#include <fmt/format.h>

#include "context.h"
#include "soquy/corrections.h"
#include "soquy/reports/ledger_reports.h"

namespace soquy::cli {
namespace {

// "ACCOUNT=AMOUNT" → Posting; the account code may itself not contain '='.
Result<Posting> parse_posting_arg(const std::string& arg) {
  auto eq = arg.rfind('=');
  if (eq == std::string::npos || eq == 0) {
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}': expected ACCOUNT=AMOUNT, e.g. 1011=500000 or 6011=-500000")), arg)));
  }
  auto amount = parse_money(std::string_view(arg).substr(eq + 1));
  if (!amount) return fail(amount.error().with_context(fmt::format(fmt::runtime(tr("posting '{}': ")), arg)));
  return Posting{arg.substr(0, eq), *amount};
}

template <typename Args>
Result<int> run_reverse(Context& ctx, const Args& r) {
  ReversalAsk ask{r.entry, std::nullopt, r.reason, r.id};
  if (!r.date.empty()) {
    auto date = parse_date_option(r.date, "--date");
    if (!date) return fail(date.error());
    ask.date = *date;
  }
  auto ledger = ctx.open_ledger();
  if (!ledger) return fail(ledger.error());
  ctx.fields.spelt = {{"entry", "ENTRY"}};
  auto res = reverse_entry(**ledger, ask);
  if (!res) return fail(res.error());
  if (auto e = r.out.emit(reports::correction(*res, r.reason)); !e) return fail(e.error());
  return 0;
}

}  // namespace

void add_post_commands(CLI::App& app, Context& ctx) {
  struct PostArgs {
    std::string book, date, memo, id;
    std::vector<std::string> postings;
    OutputOptions out;
  };
  auto a = std::make_shared<PostArgs>();
  auto* post = app.add_subcommand(
      "post",
      tr("Post one balanced entry: ACCOUNT=AMOUNT pairs in whole đồng, debits positive, credits negative, "
      "summing to 0.\nExample: soquy post --book fund --date 2026-01-15 --memo \"Nhận vốn\" --id cap-001 "
      "1011=50000000 6011=-50000000"));
  post->add_option("--book", a->book, tr("Book: fund, entrust or group:CODE"))->required();
  post->add_option("--date", a->date, tr("Effective date YYYY-MM-DD or DD/MM/YYYY"))->required();
  post->add_option("--memo", a->memo, tr("What the entry is (diễn giải)"))->required();
  post->add_option("--id", a->id,
                   tr("Client id (idempotency key): posting the same id and content again returns the original entry; "
                   "the same id with other content is refused"));
  post->add_option("POSTINGS", a->postings, "ACCOUNT=AMOUNT …")->required();
  a->out.add_to(*post, false);
  post->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      EntryDraft d;
      d.book = a->book;
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      d.date = *date;
      d.memo = a->memo;
      d.client_id = a->id;
      for (const auto& p : a->postings) {
        auto posting = parse_posting_arg(p);
        if (!posting) return fail(posting.error());
        d.postings.push_back(*posting);
      }
      auto ledger = ctx.open_ledger();
      if (!ledger) return fail(ledger.error());
      auto r = (*ledger)->post(d);
      if (!r) return fail(r.error());
      if (auto e = a->out.emit(reports::posted_entry(*r)); !e) return fail(e.error());
      return 0;
    };
  });

  struct ReverseArgs {
    std::string entry, date, id, reason;
    OutputOptions out;
  };
  auto r = std::make_shared<ReverseArgs>();
  auto* reverse = app.add_subcommand(
      "reverse",
      tr("Correct an entry by posting its reversal (đảo bút toán); posted entries are never edited or deleted.\n"
      "An entry of a loan, savings group, hụi, VBSP loan or dues is reversed through its owner, which keeps its "
      "records with the journal (a loan's later receipts are re-allocated) or refuses, naming what to reverse "
      "first; such a correction is dated the original's date. Other entries are reversed on --date.\n"
      "Example: soquy reverse 42 --reason \"gõ nhầm số tiền, phiếu thu 0012\" --id sua-0012\n"
      "docs/corrections.md says what to do for each kind of mistake."));
  reverse->add_option("ENTRY", r->entry, tr("Entry number (42 or #42), client id, or a loan receipt as loan history shows it"))->required();
  reverse->add_option("--reason", r->reason, tr("Why (lý do): kept in the reversal's memo, shown in histories"))
      ->required();
  reverse->add_option("--date", r->date,
                      tr("Date of the reversal YYYY-MM-DD or DD/MM/YYYY, not before the original; default and only choice for an "
                      "entry of a domain: the original's date"));
  reverse->add_option("--id", r->id, tr("Client id of the reversal (idempotency key)"));
  r->out.add_to(*reverse, false);
  reverse->callback([&ctx, r] { ctx.action = [&ctx, r]() { return run_reverse(ctx, *r); }; });
}

}  // namespace soquy::cli
