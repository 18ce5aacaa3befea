// soquy savings …, soquy pool …: accumulating savings groups and pools. The rules are in
// soquy::Savings (savings.h); this file parses and prints (docs/savings.md).
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "context.h"
#include "soquy/reports/savings_reports.h"
#include "soquy/savings.h"

namespace soquy::cli {
namespace {

Result<int> emit(const OutputOptions& out, const Result<reports::Report>& report) {
  if (!report) return fail(report.error());
  if (auto ok = out.emit(*report); !ok) return fail(ok.error());
  return 0;
}

void add_rules(CLI::App& sv, Context& ctx) {
  struct Args {
    std::string group, share_price, method = "shares", leftover = "social-fund";
  };
  auto a = std::make_shared<Args>();
  auto* c = sv.add_subcommand(
      "rules",
      tr("Set a savings group's rules (fixed once set): the share price, the share-out method and where the leftover "
         "đồng go.\nExample: soquy savings rules TK01 --share-price 10000 --method time-weighted"));
  c->add_option("GROUP", a->group, tr("Group code (kind savings)"))->required();
  c->add_option("--share-price", a->share_price, tr("Price of one share, whole đồng (needed for a shares column)"));
  c->add_option("--method", a->method, tr("Share-out method: shares|time-weighted"))->capture_default_str();
  c->add_option("--leftover", a->leftover, tr("Leftover đồng of a share-out: social-fund|members"))->capture_default_str();
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      SavingsRules r;
      if (!a->share_price.empty()) {
        auto p = money_option(a->share_price, "--share-price");
        if (!p) return fail(p.error());
        r.share_price = *p;
      }
      auto m = parse_shareout_method(a->method);
      if (!m) return fail(m.error().with_context("--method: "));
      r.method = *m;
      auto l = parse_leftover_rule(a->leftover);
      if (!l) return fail(l.error().with_context("--leftover: "));
      r.leftover = *l;
      return with_engine<Savings>(ctx, Ledger::Access::kWrite, [&](Savings& s) -> Result<int> {
        auto set = s.set_rules(a->group, r);
        if (!set) return fail(set.error());
        fmt::print(fmt::runtime(tr("group {} rules: share price {}, share-out by {}, leftover to {}")), a->group,
                   set->share_price ? set->share_price->to_plain_string() : std::string(tr("none")),
                   to_string(set->method), to_string(set->leftover));
        fmt::print("\n");
        return 0;
      });
    };
  });
}

void add_meeting(CLI::App& sv, Context& ctx) {
  struct Args {
    std::string group, date, file;
    OutputOptions out;
    CsvReadOptions read;
  };
  auto a = std::make_shared<Args>();
  auto* c = sv.add_subcommand(
      "meeting",
      tr("Record a meeting from its sheet (CSV: member,shares,deposit,social,fine,repay,loan) in one transaction; a bad "
         "line writes nothing. Recording the same sheet again changes nothing.\n"
         "Example: soquy savings meeting TK01 --date 2026-01-10 hop-2026-01.csv"));
  c->add_option("GROUP", a->group, tr("Group code (kind savings)"))->required();
  c->add_option("FILE", a->file, tr("Meeting sheet (CSV)"))->required();
  add_read_options(*c, a->read);
  c->add_option("--date", a->date, tr("Date of the meeting YYYY-MM-DD or DD/MM/YYYY"))->required();
  a->out.add_to(*c, false);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      auto lines = read_meeting_sheet(a->file, a->read);
      if (!lines) return fail(lines.error());
      return with_engine<Savings>(ctx, Ledger::Access::kWrite, [&](Savings& s) -> Result<int> {
        auto m = s.record_meeting(a->group, *date, *lines, a->file);
        if (!m) return fail(m.error());
        return emit(a->out, reports::savings_meeting(*m));
      });
    };
  });
}

void add_lend(CLI::App& sv, Context& ctx) {
  struct Args {
    std::string group, loan, member, amount, rate, date, frequency = "monthly", method = "flat", penalty_rate;
    int term = 1, grace = 0;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = sv.add_subcommand(
      "lend",
      tr("Lend from the group's loan fund (its cash less the social fund); the schedule is the fund loans' engine.\n"
         "Example: soquy savings lend TK01 --loan V1 --member HV001 --amount 50000 --rate 10%/month --term 2 --date "
         "2026-02-10"));
  c->add_option("GROUP", a->group, tr("Group code (kind savings)"))->required();
  c->add_option("--loan", a->loan, tr("Loan code, unique in the group"))->required();
  c->add_option("--member", a->member, tr("Borrowing member"))->required();
  c->add_option("--amount", a->amount, tr("Principal, whole đồng"))->required();
  c->add_option("--rate", a->rate, tr("Service charge rate, e.g. 10%/month or 12%/year"))->required();
  c->add_option("--term", a->term, tr("Number of instalments"))->capture_default_str();
  c->add_option("--frequency", a->frequency, "monthly|weekly|fortnightly|four-weekly")->capture_default_str();
  c->add_option("--method", a->method, "flat|equal-principal|equal-total")->capture_default_str();
  c->add_option("--grace", a->grace, tr("Interest-only instalments at the start"))->capture_default_str();
  c->add_option("--penalty-rate", a->penalty_rate, tr("Penalty on overdue principal, e.g. 1%/month (none without)"));
  c->add_option("--date", a->date, tr("Date lent YYYY-MM-DD or DD/MM/YYYY"))->required();
  a->out.add_to(*c, false);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      GroupLoanSpec spec;
      spec.loan = a->loan;
      spec.member = a->member;
      auto amount = money_option(a->amount, "--amount");
      if (!amount) return fail(amount.error());
      spec.amount = *amount;
      auto rate = Rate::parse(a->rate);
      if (!rate) return fail(rate.error().with_context("--rate: "));
      spec.rate = *rate;
      spec.installments = a->term;
      spec.grace = a->grace;
      auto f = parse_frequency(a->frequency);
      if (!f) return fail(f.error().with_context("--frequency: "));
      spec.frequency = *f;
      auto m = parse_repayment_method(a->method);
      if (!m) return fail(m.error().with_context("--method: "));
      spec.method = *m;
      if (!a->penalty_rate.empty()) {
        auto p = Rate::parse(a->penalty_rate);
        if (!p) return fail(p.error().with_context("--penalty-rate: "));
        spec.penalty_rate = *p;
      }
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      spec.date = *date;
      return with_engine<Savings>(ctx, Ledger::Access::kWrite, [&](Savings& s) -> Result<int> {
        auto l = s.lend(a->group, spec);
        if (!l) return fail(l.error());
        return emit(a->out, reports::savings_loan(a->group, *l));
      });
    };
  });
}

void add_repay(CLI::App& sv, Context& ctx) {
  struct Args {
    std::string group, loan, amount, date;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = sv.add_subcommand("repay",
                              tr("Record a repayment of a group loan outside a meeting (penalty, then service charge, "
                                 "then principal, oldest instalment first; more than owed is refused).\n"
                                 "Example: soquy savings repay TK01 --loan V1 --amount 30000 --date 2026-03-10"));
  c->add_option("GROUP", a->group, tr("Group code (kind savings)"))->required();
  c->add_option("--loan", a->loan, tr("Loan code"))->required();
  c->add_option("--amount", a->amount, tr("Amount, whole đồng"))->required();
  c->add_option("--date", a->date, tr("Date paid YYYY-MM-DD or DD/MM/YYYY"))->required();
  a->out.add_to(*c, false);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto amount = money_option(a->amount, "--amount");
      if (!amount) return fail(amount.error());
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      return with_engine<Savings>(ctx, Ledger::Access::kWrite, [&](Savings& s) -> Result<int> {
        auto r = s.repay(a->group, a->loan, *amount, *date);
        if (!r) return fail(r.error());
        return emit(a->out, reports::savings_repayment(a->group, *r));
      });
    };
  });
}

void add_withdraw(CLI::App& sv, Context& ctx) {
  struct Args {
    std::string group, member, amount, date;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = sv.add_subcommand("withdraw",
                              tr("Pay a member part of her savings (never more than she has, nor than the loan fund's "
                                 "cash).\nExample: soquy savings withdraw TK01 --member HV001 --amount 20000 --date "
                                 "2026-03-15"));
  c->add_option("GROUP", a->group, tr("Group code (kind savings)"))->required();
  c->add_option("--member", a->member, tr("Member"))->required();
  c->add_option("--amount", a->amount, tr("Amount, whole đồng"))->required();
  c->add_option("--date", a->date, tr("Date paid YYYY-MM-DD or DD/MM/YYYY"))->required();
  a->out.add_to(*c, false);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto amount = money_option(a->amount, "--amount");
      if (!amount) return fail(amount.error());
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      return with_engine<Savings>(ctx, Ledger::Access::kWrite, [&](Savings& s) -> Result<int> {
        auto r = s.withdraw(a->group, a->member, *amount, *date);
        if (!r) return fail(r.error());
        return emit(a->out, reports::savings_member(a->group, *date, *r, false));
      });
    };
  });
}

void add_grant(CLI::App& sv, Context& ctx) {
  struct Args {
    std::string group, member, amount, date, memo;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = sv.add_subcommand("grant",
                              tr("Pay a member a grant from the social fund (never more than it holds).\n"
                                 "Example: soquy savings grant TK01 --member HV001 --amount 200000 --date 2026-03-15 "
                                 "--memo \"Thăm bệnh\""));
  c->add_option("GROUP", a->group, tr("Group code (kind savings)"))->required();
  c->add_option("--member", a->member, tr("Member"))->required();
  c->add_option("--amount", a->amount, tr("Amount, whole đồng"))->required();
  c->add_option("--date", a->date, tr("Date paid YYYY-MM-DD or DD/MM/YYYY"))->required();
  c->add_option("--memo", a->memo, tr("Why"));
  a->out.add_to(*c, false);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto amount = money_option(a->amount, "--amount");
      if (!amount) return fail(amount.error());
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      return with_engine<Savings>(ctx, Ledger::Access::kWrite, [&](Savings& s) -> Result<int> {
        auto r = s.grant(a->group, a->member, *amount, *date, a->memo);
        if (!r) return fail(r.error());
        return emit(a->out, reports::savings_member(a->group, *date, *r, false));
      });
    };
  });
}

void add_shareout(CLI::App& sv, Context& ctx) {
  struct Args {
    std::string group, date, method, leftover;
    bool preview = false;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = sv.add_subcommand(
      "shareout",
      tr("Share out the loan fund at cycle end (every loan repaid): each member gets her savings and her part of the "
         "profit (loan-fund cash − savings), by shares or time-weighted, largest remainder; the cycle closes.\n"
         "Example: soquy savings shareout TK01 --date 2026-12-20 --method time-weighted --format json"));
  c->add_option("GROUP", a->group, tr("Group code (kind savings)"))->required();
  c->add_option("--date", a->date, tr("Date of the share-out YYYY-MM-DD or DD/MM/YYYY"))->required();
  c->add_option("--method", a->method, tr("shares|time-weighted (default: the group's rule)"));
  c->add_option("--leftover", a->leftover, tr("social-fund|members (default: the group's rule)"));
  c->add_flag("--preview", a->preview, tr("Compute and print only; write nothing"));
  a->out.add_to(*c);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      std::optional<ShareoutMethod> method;
      if (!a->method.empty()) {
        auto m = parse_shareout_method(a->method);
        if (!m) return fail(m.error().with_context("--method: "));
        method = *m;
      }
      std::optional<LeftoverRule> rule;
      if (!a->leftover.empty()) {
        auto l = parse_leftover_rule(a->leftover);
        if (!l) return fail(l.error().with_context("--leftover: "));
        rule = *l;
      }
      return with_engine<Savings>(ctx, a->preview ? Ledger::Access::kReadOnly : Ledger::Access::kWrite,
                          [&](Savings& s) -> Result<int> {
                            auto r = a->preview ? s.preview_shareout(a->group, *date, method, rule)
                                                : s.shareout(a->group, *date, method, rule);
                            if (!r) return fail(r.error());
                            return emit(a->out, reports::savings_shareout(*r));
                          });
    };
  });
}

void add_savings_group(CLI::App& app, Context& ctx) {
  auto* sv = app.add_subcommand("savings", tr("Accumulating savings groups (tổ tiết kiệm): meetings, loans, share-out"));
  sv->require_subcommand(1);

  add_rules(*sv, ctx);
  add_meeting(*sv, ctx);
  add_lend(*sv, ctx);
  add_repay(*sv, ctx);
  add_withdraw(*sv, ctx);
  add_grant(*sv, ctx);
  add_shareout(*sv, ctx);
}

// `help`: the command's description, which names the kind of group.
void add_status_command(CLI::App& parent, Context& ctx, const char* help) {
  struct Args {
    std::string group, as_of;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = parent.add_subcommand("status", help);
  c->add_option("GROUP", a->group, tr("Group code"))->required();
  c->add_option("--as-of", a->as_of, tr("Date (default today)"));
  a->out.add_to(*c);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto as_of = as_of_or_today(a->as_of);
      if (!as_of) return fail(as_of.error());
      return with_engine<Savings>(ctx, Ledger::Access::kReadOnly, [&](Savings& s) -> Result<int> {
        auto st = s.status(a->group, *as_of);
        if (!st) return fail(st.error());
        return emit(a->out, reports::savings_status(*st));
      });
    };
  });
}

void add_pool_contribute(CLI::App& pool, Context& ctx) {
  struct Args {
    std::string group, member, amount, date;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = pool.add_subcommand("contribute",
                                tr("Record a member's contribution (Dr 1011, Cr 4111).\n"
                                   "Example: soquy pool contribute BHYT01 --member HV001 --amount 100000 --date 2026-01-05"));
  c->add_option("GROUP", a->group, tr("Group code (kind pool)"))->required();
  c->add_option("--member", a->member, tr("Member"))->required();
  c->add_option("--amount", a->amount, tr("Amount, whole đồng"))->required();
  c->add_option("--date", a->date, tr("Date YYYY-MM-DD or DD/MM/YYYY"))->required();
  a->out.add_to(*c, false);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto amount = money_option(a->amount, "--amount");
      if (!amount) return fail(amount.error());
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      return with_engine<Savings>(ctx, Ledger::Access::kWrite, [&](Savings& s) -> Result<int> {
        auto r = s.contribute(a->group, a->member, *amount, *date);
        if (!r) return fail(r.error());
        return emit(a->out, reports::savings_member(a->group, *date, *r, true));
      });
    };
  });
}

void add_pool_purchase(CLI::App& pool, Context& ctx) {
  struct Args {
    std::string group, amount, date, memo;
    std::vector<std::string> for_members;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = pool.add_subcommand(
      "purchase",
      tr("Pay a purchase out of the pool, charged equally (largest remainder, ties in the order given) to the members "
         "it is for; no member's balance may go negative.\n"
         "Example: soquy pool purchase BHYT01 --amount 1263600 --date 2026-02-01 --for HV001,HV002 --memo \"Thẻ BHYT\""));
  c->add_option("GROUP", a->group, tr("Group code (kind pool)"))->required();
  c->add_option("--amount", a->amount, tr("Amount, whole đồng"))->required();
  c->add_option("--date", a->date, tr("Date YYYY-MM-DD or DD/MM/YYYY"))->required();
  c->add_option("--for", a->for_members, tr("Members charged, comma separated (default: every contributor)"))
      ->delimiter(',');
  c->add_option("--memo", a->memo, tr("What was bought"));
  a->out.add_to(*c, false);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto amount = money_option(a->amount, "--amount");
      if (!amount) return fail(amount.error());
      auto date = parse_date_option(a->date, "--date");
      if (!date) return fail(date.error());
      return with_engine<Savings>(ctx, Ledger::Access::kWrite, [&](Savings& s) -> Result<int> {
        auto r = s.purchase(a->group, *amount, *date, a->for_members, a->memo);
        if (!r) return fail(r.error());
        return emit(a->out, reports::pool_purchase(*r));
      });
    };
  });
}

void add_pool_group(CLI::App& app, Context& ctx) {
  auto* pool = app.add_subcommand("pool", tr("Pools (health-insurance pooling, piggy-bank groups): contributions, purchases"));
  pool->require_subcommand(1);
  add_pool_contribute(*pool, ctx);
  add_pool_purchase(*pool, ctx);
  add_status_command(*pool, ctx,
                     tr("A pool's members, cash, social fund and loans as of a date.\nExample: soquy pool status G "
                        "--as-of 2026-06-30 --format json"));
}

}  // namespace

void add_savings_commands(CLI::App& app, Context& ctx) {
  add_savings_group(app, ctx);
  auto* sv = app.get_subcommand("savings");
  add_status_command(*sv, ctx,
                     tr("A savings group's members, cash, social fund and loans as of a date.\nExample: soquy "
                        "savings status G --as-of 2026-06-30 --format json"));
  add_pool_group(app, ctx);
}

}  // namespace soquy::cli
