// soquy dues rate|split|exempt|settings|bill|pay; soquy report dues-arrears. The rules are in
// soquy::Dues (ledger/include/soquy/dues.h, docs/registry.md); this file parses and prints.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "context.h"
#include "soquy/dues.h"
#include "soquy/reports/dues_reports.h"

namespace soquy::cli {
namespace {

Result<Period> period_option(const std::string& text, std::string_view option) {
  auto p = Period::parse(text);
  if (!p) return fail(p.error().with_context(fmt::format("{}: ", option)));
  return p;
}

std::string shares_text(const std::vector<DuesShare>& shares) {
  std::string out;
  for (const auto& s : shares)
    out += fmt::format("{}{} {}.{:02} %", out.empty() ? "" : ", ", to_string(s.level), s.basis_points / 100,
                       s.basis_points % 100);
  return out;
}

void add_dues_rate(CLI::App& dues, Context& ctx) {
  struct RateArgs { std::string amount, from, per = "month"; };
  auto r = std::make_shared<RateArgs>();
  auto* rate = dues.add_subcommand("rate", tr("Set the dues per member per month from a period on (rates are history: "
                                              "a period uses the rate in force then)"));
  rate->add_option("--amount", r->amount, tr("Whole đồng per member (per --per)"))->required();
  rate->add_option("--from", r->from, tr("First period YYYY-MM"))->required();
  rate->add_option("--per", r->per, tr("month (default) or year (divided by 12)"))->check(CLI::IsMember({"month", "year"}));
  rate->callback([&ctx, r] {
    ctx.action = [&ctx, r]() -> Result<int> {
      auto amount = money_option(r->amount, "--amount");
      if (!amount) return fail(amount.error());
      auto monthly = dues_monthly_amount(*amount, r->per);
      if (!monthly) return fail(monthly.error());
      auto from = period_option(r->from, "--from");
      if (!from) return fail(from.error());
      return with_engine<Dues>(ctx, Ledger::Access::kWrite, [&](Dues& d) -> Result<int> {
        auto created = d.set_rate(*monthly, *from);
        if (!created) return fail(created.error());
        const char* said = *created ? tr("dues rate from {}: {} đồng per member per month")
                                    : tr("dues rate from {}: {} đồng per member per month (already set; nothing "
                                         "changed)");
        std::cout << fmt::format(fmt::runtime(said), from->to_string(), monthly->to_plain_string()) << "\n";
        return 0;
      });
    };
  });
}

void add_dues_split(CLI::App& dues, Context& ctx) {
  struct SplitArgs { std::string from; std::vector<std::string> shares; };
  auto s = std::make_shared<SplitArgs>();
  auto* split = dues.add_subcommand(
      "split", tr("Set how collected dues are shared between levels from a period on: LEVEL=PERCENT … totalling "
                  "exactly 100 % (levels: branch, commune, district, province).\nExample: soquy dues split --from "
                  "2026-01 branch=50% commune=30% province=20%"));
  split->add_option("--from", s->from, tr("First period YYYY-MM"))->required();
  split->add_option("SHARES", s->shares, tr("LEVEL=PERCENT …"))->required();
  split->callback([&ctx, s] {
    ctx.action = [&ctx, s]() -> Result<int> {
      auto from = period_option(s->from, "--from");
      if (!from) return fail(from.error());
      std::vector<DuesShare> shares;
      for (const auto& text : s->shares) {
        auto share = parse_dues_share(text);
        if (!share) return fail(share.error());
        shares.push_back(*share);
      }
      return with_engine<Dues>(ctx, Ledger::Access::kWrite, [&](Dues& d) -> Result<int> {
        auto created = d.set_split(*from, shares);
        if (!created) return fail(created.error());
        auto settings = d.settings();
        if (!settings) return fail(settings.error());
        for (const auto& sp : settings->splits)
          if (sp.from == *from)
            std::cout << fmt::format(fmt::runtime(*created ? tr("dues split from {}: {}")
                                                           : tr("dues split from {}: {} (already set; nothing changed)")),
                                     from->to_string(), shares_text(sp.shares))
                      << "\n";
        return 0;
      });
    };
  });
}

void add_dues_exempt(CLI::App& dues, Context& ctx) {
  struct ExemptArgs { std::string member, from, to, reason; };
  auto e = std::make_shared<ExemptArgs>();
  auto* exempt = dues.add_subcommand("exempt", tr("Exempt a member from dues for a range of periods (elderly members, "
                                                  "poor households…)"));
  exempt->add_option("MEMBER", e->member, tr("Member id"))->required();
  exempt->add_option("--from", e->from, tr("First exempt period YYYY-MM"))->required();
  exempt->add_option("--to", e->to, tr("Last exempt period YYYY-MM (default: open)"));
  exempt->add_option("--reason", e->reason, tr("Why (printed on the settings list)"))->required();
  exempt->callback([&ctx, e] {
    ctx.action = [&ctx, e]() -> Result<int> {
      auto from = period_option(e->from, "--from");
      if (!from) return fail(from.error());
      std::optional<Period> to;
      if (!e->to.empty()) {
        auto p = period_option(e->to, "--to");
        if (!p) return fail(p.error());
        to = *p;
      }
      return with_engine<Dues>(ctx, Ledger::Access::kWrite, [&](Dues& d) -> Result<int> {
        if (auto ok = d.exempt(e->member, *from, to, e->reason); !ok) return fail(ok.error());
        if (to)
          std::cout << fmt::format(fmt::runtime(tr("member {} exempt from dues from {} to {}: {}")), e->member,
                                   from->to_string(), to->to_string(), e->reason);
        else
          std::cout << fmt::format(fmt::runtime(tr("member {} exempt from dues from {} on: {}")), e->member,
                                   from->to_string(), e->reason);
        std::cout << "\n";
        return 0;
      });
    };
  });
}

void add_dues_settings(CLI::App& dues, Context& ctx) {
  auto o = std::make_shared<OutputOptions>();
  auto* settings = dues.add_subcommand("settings", tr("List the dues rates, splits and exemptions"));
  o->add_to(*settings);
  settings->callback([&ctx, o] {
    ctx.action = [&ctx, o]() -> Result<int> {
      return with_engine<Dues>(ctx, Ledger::Access::kReadOnly, [&](Dues& d) -> Result<int> {
        auto s = d.settings();
        if (!s) return fail(s.error());
        if (auto ok = o->emit(reports::dues_settings(*s)); !ok) return fail(ok.error());
        return 0;
      });
    };
  });
}

void add_setting_commands(CLI::App& dues, Context& ctx) {
  add_dues_rate(dues, ctx);
  add_dues_split(dues, ctx);
  add_dues_exempt(dues, ctx);
  add_dues_settings(dues, ctx);
}

void add_dues_bill(CLI::App& dues, Context& ctx) {
  struct BillArgs { std::string period, date; };
  auto b = std::make_shared<BillArgs>();
  auto* bill = dues.add_subcommand(
      "bill", tr("Bill a period: every member on its first day who is not exempt, at the rate in force, in one entry "
                 "of the union book (Dr 1318 / Cr 3387). Billing a period again changes nothing."));
  bill->add_option("--period", b->period, tr("Period YYYY-MM"))->required();
  bill->add_option("--date", b->date, tr("Date of the entry (default: the period's first day)"));
  bill->callback([&ctx, b] {
    ctx.action = [&ctx, b]() -> Result<int> {
      auto period = period_option(b->period, "--period");
      if (!period) return fail(period.error());
      std::optional<Date> on;
      if (!b->date.empty()) {
        auto d = parse_date_option(b->date, "--date");
        if (!d) return fail(d.error());
        on = *d;
      }
      return with_engine<Dues>(ctx, Ledger::Access::kWrite, [&](Dues& d) -> Result<int> {
        auto s = d.bill(*period, on);
        if (!s) return fail(s.error());
        std::string entry = s->entry ? fmt::format(fmt::runtime(tr("entry #{}")), *s->entry) : std::string(tr("no entry"));
        if (s->created)
          std::cout << fmt::format(fmt::runtime(tr("dues for {} billed on {} ({}): {} members × {} = {} đồng; {} exempt")),
                                   s->period.to_string(), s->billed_on, entry, s->members, s->rate.to_plain_string(),
                                   s->amount.to_plain_string(), s->exempt);
        else
          std::cout << fmt::format(fmt::runtime(tr("dues for {} were already billed on {} ({}): {} members, {} đồng; "
                                                   "{} exempt; nothing changed")),
                                   s->period.to_string(), s->billed_on, entry, s->members, s->amount.to_plain_string(),
                                   s->exempt);
        std::cout << "\n";
        return 0;
      });
    };
  });
}

void add_dues_pay(CLI::App& dues, Context& ctx) {
  struct PayArgs { std::string member, amount, date, id; };
  auto p = std::make_shared<PayArgs>();
  auto* pay = dues.add_subcommand(
      "pay", tr("Record a member's payment of dues: allocated to her billed periods oldest first, shared between "
                "levels by the split in force for each period. A payment above what she owes is refused."));
  pay->add_option("MEMBER", p->member, tr("Member id"))->required();
  pay->add_option("--amount", p->amount, tr("Whole đồng"))->required();
  pay->add_option("--date", p->date, tr("Date paid YYYY-MM-DD or DD/MM/YYYY"))->required();
  pay->add_option("--id", p->id, tr("Receipt number: recording the same receipt again changes nothing"));
  pay->callback([&ctx, p] {
    ctx.fields.spelt = {{"receipt", "--id"}};
    ctx.action = [&ctx, p]() -> Result<int> {
      auto amount = money_option(p->amount, "--amount");
      if (!amount) return fail(amount.error());
      auto on = parse_date_option(p->date, "--date");
      if (!on) return fail(on.error());
      return with_engine<Dues>(ctx, Ledger::Access::kWrite, [&](Dues& d) -> Result<int> {
        auto r = d.pay(p->member, *amount, *on, p->id);
        if (!r) return fail(r.error());
        std::string periods, shares;
        for (const auto& a : r->allocations)
          periods += fmt::format("{}{} {}", periods.empty() ? "" : ", ", a.period.to_string(), a.amount.to_plain_string());
        for (const auto& s : r->shares)
          shares += fmt::format("{}{} {}", shares.empty() ? "" : ", ", to_string(s.level), s.amount.to_plain_string());
        if (r->created)
          std::cout << fmt::format(
              fmt::runtime(tr("payment of {} đồng by {} on {} (entry #{}): {}; shares: {}; still owed {}")),
              r->amount.to_plain_string(), r->member, r->paid_on, r->entry, periods, shares,
              r->still_owed.to_plain_string());
        else
          std::cout << fmt::format(fmt::runtime(tr("receipt {} was already recorded, nothing changed: payment of {} "
                                                   "đồng by {} on {} (entry #{}): {}; shares: {}; still owed {}")),
                                   r->receipt, r->amount.to_plain_string(), r->member, r->paid_on, r->entry, periods,
                                   shares, r->still_owed.to_plain_string());
        std::cout << "\n";
        return 0;
      });
    };
  });
}

void add_money_commands(CLI::App& dues, Context& ctx) {
  add_dues_bill(dues, ctx);
  add_dues_pay(dues, ctx);
}

void add_arrears_report(CLI::App& report, Context& ctx) {
  struct Args { std::string by = "unit", as_of; OutputOptions out; };
  auto a = std::make_shared<Args>();
  auto* cmd = report.add_subcommand("dues-arrears", tr("Dues billed, paid and owed (nợ hội phí) on a date, by unit "
                                                     "(rolled up through merges) or by member"));
  cmd->add_option("--by", a->by, tr("unit (default) or member"))->check(CLI::IsMember({"unit", "member"}));
  cmd->add_option("--as-of", a->as_of, tr("Date (default today)"));
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto by = parse_arrears_by(a->by);
      if (!by) return fail(by.error());
      auto as_of = as_of_or_today(a->as_of);
      if (!as_of) return fail(as_of.error());
      return with_engine<Dues>(ctx, Ledger::Access::kReadOnly, [&](Dues& d) -> Result<int> {
        auto r = d.arrears(*as_of, *by);
        if (!r) return fail(r.error());
        if (auto ok = a->out.emit(reports::dues_arrears(*r)); !ok) return fail(ok.error());
        return 0;
      });
    };
  });
}

}  // namespace

void add_dues_commands(CLI::App& app, CLI::App& report, Context& ctx) {
  auto* dues = app.add_subcommand("dues", tr("Membership dues (hội phí): rates, splits between levels, exemptions, "
                                             "billing and payments in the union book"));
  dues->require_subcommand(1);
  add_setting_commands(*dues, ctx);
  add_money_commands(*dues, ctx);
  add_arrears_report(report, ctx);
}

}  // namespace soquy::cli
