// soquy vbsp contract add, vbsp fee-rate add|list, vbsp fees, report vbsp-grades: VBSP
// entrustment fees, leaders' commissions and monthly group grades. The rules are in
// soquy::VbspFees (vbsp_fees.h); this file parses and prints (docs/vbsp.md).
#include <memory>

#include <fmt/format.h>

#include "context.h"
#include "soquy/dues.h"
#include "soquy/reports/vbsp_fee_reports.h"
#include "soquy/vbsp_fees.h"

namespace soquy::cli {
namespace {

Result<Period> month_option(const std::string& text) {
  auto p = Period::parse(text);
  if (!p) return fail(p.error().with_context("--month: "));
  return *p;
}

// vbsp contract add CODE --unit --signed.
void add_contract(CLI::App& vb, Context& ctx) {
  auto* contract = vb.add_subcommand("contract", tr("The commune union's entrustment contracts with VBSP"));
  contract->require_subcommand(1);
  struct Args {
    std::string code, unit, signed_on;
  };
  auto a = std::make_shared<Args>();
  auto* c = contract->add_subcommand(
      "add",
      tr("Record an entrustment contract (hợp đồng ủy thác) of a commune: its groups' fees and commissions follow "
         "its rate versions (vbsp fee-rate add).\nExample: soquy vbsp contract add HD-2026-01 --unit X_LONGDUC "
         "--signed 2026-01-02"));
  c->add_option("CODE", a->code, tr("Contract number"))->required();
  c->add_option("--unit", a->unit, tr("The commune unit the contract covers"))->required();
  c->add_option("--signed", a->signed_on, tr("Date signed, YYYY-MM-DD or DD/MM/YYYY"))->required();
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto signed_on = parse_date_option(a->signed_on, "--signed");
      if (!signed_on) return fail(signed_on.error());
      return with_engine<VbspFees>(ctx, Ledger::Access::kWrite, [&](VbspFees& f) -> Result<int> {
        auto made = f.add_contract({a->code, a->unit, *signed_on});
        if (!made) return fail(made.error());
        fmt::print(fmt::runtime(*made ? tr("contract {} (commune {}, signed {}) recorded")
                                      : tr("contract {} (commune {}, signed {}) already there, nothing changed")),
                   a->code, a->unit, *signed_on);
        fmt::print("\n");
        return 0;
      });
    };
  });
}

// vbsp fee-rate add --contract --from --fee --commission.
void add_fee_rate(CLI::App& rate, Context& ctx) {
  struct Args {
    std::string contract, from, fee, commission;
  };
  auto a = std::make_shared<Args>();
  auto* c = rate.add_subcommand(
      "add",
      tr("Record a rate version of a contract, in force from --from until the next version: the union's entrustment "
         "fee and the group leader's commission, each a percentage of the interest the group collected in the "
         "session. soquy has no default rate: take them from the contract.\nExample: soquy vbsp fee-rate add "
         "--contract HD-2026-01 --from 2026-01-01 --fee 8% --commission 7.5%"));
  c->add_option("--contract", a->contract, tr("Contract number (vbsp contract add)"))->required();
  c->add_option("--from", a->from, tr("First day in force, YYYY-MM-DD or DD/MM/YYYY"))->required();
  c->add_option("--fee", a->fee, tr("Entrustment fee, % of interest collected (e.g. 8%)"))->required();
  c->add_option("--commission", a->commission, tr("Leader's commission, % of interest collected (e.g. 7.5%)"))
      ->required();
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto from = parse_date_option(a->from, "--from");
      if (!from) return fail(from.error());
      auto fee = parse_interest_percent(a->fee);
      if (!fee) return fail(fee.error().with_context("--fee: "));
      auto commission = parse_interest_percent(a->commission);
      if (!commission) return fail(commission.error().with_context("--commission: "));
      return with_engine<VbspFees>(ctx, Ledger::Access::kWrite, [&](VbspFees& f) -> Result<int> {
        auto made = f.add_rate({a->contract, *from, *fee, *commission});
        if (!made) return fail(made.error());
        fmt::print(fmt::runtime(*made ? tr("rates of contract {} from {}: fee {}, commission {} recorded")
                                      : tr("rates of contract {} from {}: fee {}, commission {} already there, "
                                           "nothing changed")),
                   a->contract, *from, format_percent(*fee), format_percent(*commission));
        fmt::print("\n");
        return 0;
      });
    };
  });
}

// vbsp fee-rate list.
void add_fee_rate_list(CLI::App& rate, Context& ctx) {
  auto out = std::make_shared<OutputOptions>();
  auto* c = rate.add_subcommand("list", tr("Contracts and their rate versions"));
  out->add_to(*c);
  c->callback([&ctx, out] {
    ctx.action = [&ctx, out]() -> Result<int> {
      return with_engine<VbspFees>(ctx, Ledger::Access::kReadOnly, [&](VbspFees& f) -> Result<int> {
        return emit_report(*out, reports::vbsp_fee_rates(f.contracts(), f.rates()));
      });
    };
  });
}

// vbsp fees --month | --group --date [--from]: informational, nothing is posted.
void add_fees(CLI::App& vb, Context& ctx) {
  struct Args {
    std::string month, group, date, from;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = vb.add_subcommand(
      "fees",
      tr("Entrustment fee and leader's commission of each group's session in a month: the interest receipts of the "
         "month times the rates in force on its last day for the group's commune contract, rounded half-up to whole "
         "đồng. With --group and --date instead of --month: one session on that date (receipts from the first of "
         "its month, or --from). Informational: nothing is posted.\nExample: soquy vbsp fees --month 2026-11 "
         "--format json"));
  auto* month = c->add_option("--month", a->month, tr("Month, YYYY-MM"));
  auto* date = c->add_option("--date", a->date, tr("One session's date, YYYY-MM-DD or DD/MM/YYYY (needs --group)"));
  month->excludes(date);
  c->add_option("--from", a->from, tr("With --date: first receipt date counted (default: the first of the month)"))
      ->needs(date);
  c->add_option("--group", a->group, tr("Only this group"));
  a->out.add_to(*c);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      if (a->month.empty() && a->date.empty()) return fail(Error::usage(tr("give --month YYYY-MM, or --group and --date")));
      if (!a->date.empty()) {
        if (a->group.empty()) return fail(Error::usage(tr("--date is one group's session: give --group too")));
        auto d = parse_date_option(a->date, "--date");
        if (!d) return fail(d.error());
        auto from = optional_date_option(a->from, "--from");
        if (!from) return fail(from.error());
        // The registry's "unknown group" is worded as the registry words it ("group: …").
        ctx.fields.spelt = {{"group", "group"}};
        return with_engine<VbspFees>(ctx, Ledger::Access::kReadOnly, [&](VbspFees& f) -> Result<int> {
          auto s = f.session_fee(a->group, *d, *from);
          if (!s) return fail(s.error());
          VbspFeeReport r;
          r.from = s->from;
          r.to = s->date;
          r.group = a->group;
          r.interest = s->interest;
          if (s->rate) {
            r.fee = *s->fee;
            r.commission = *s->commission;
          } else {
            r.without_rate = 1;
          }
          r.sessions.push_back(std::move(*s));
          return emit_report(a->out, reports::vbsp_fees(r));
        });
      }
      auto m = month_option(a->month);
      if (!m) return fail(m.error());
      return with_engine<VbspFees>(ctx, Ledger::Access::kReadOnly, [&](VbspFees& f) -> Result<int> {
        auto r = f.month_fees(m->first_day(), m->last_day(), a->group);
        if (!r) return fail(r.error());
        return emit_report(a->out, reports::vbsp_fees(*r));
      });
    };
  });
}

// report vbsp-grades --month [--group].
void add_grades_report(CLI::App& report, Context& ctx) {
  struct Args {
    std::string month, group;
    OutputOptions out;
  };
  auto a = std::make_shared<Args>();
  auto* c = report.add_subcommand(
      "vbsp-grades",
      tr("Monthly score of each VBSP group on six criteria (100 points: transacting at the commune point 20, "
         "principal due collected 15, interest collection 20, members saving 5, savings growth 10, overdue ratio 30) "
         "and its grade Tốt/Khá/Trung bình/Yếu by the setting vbsp.grade_thresholds. Needs the bank's statements "
         "dated in the month and the month before; a criterion without data is shown missing and the group is not "
         "graded.\nExample: soquy report vbsp-grades --month 2026-11"));
  c->add_option("--month", a->month, tr("Month, YYYY-MM"))->required();
  c->add_option("--group", a->group, tr("Only this group"));
  a->out.add_to(*c);
  c->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto month = month_option(a->month);
      if (!month) return fail(month.error());
      return with_engine<VbspFees>(ctx, Ledger::Access::kReadOnly, [&](VbspFees& f) -> Result<int> {
        auto g = f.grades(month->first_day(), month->last_day(), a->group);
        if (!g) return fail(g.error());
        return emit_report(a->out, reports::vbsp_grades(*g));
      });
    };
  });
}

}  // namespace

void add_vbsp_fee_commands(CLI::App& app, CLI::App& report_group, Context& ctx) {
  CLI::App* vb = app.get_subcommand("vbsp");

  add_contract(*vb, ctx);
  auto* rate = vb->add_subcommand("fee-rate", tr("Versioned entrustment fee and commission rates of a contract"));
  rate->require_subcommand(1);
  add_fee_rate(*rate, ctx);
  add_fee_rate_list(*rate, ctx);
  add_fees(*vb, ctx);
  add_grades_report(report_group, ctx);  // report vbsp-grades
}

}  // namespace soquy::cli
