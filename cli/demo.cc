// soquy demo: creates a demo database and prints a short tour of what is in it.
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "context.h"
#include "soquy/charts.h"
#include "soquy/clock.h"
#include "soquy/demo.h"
#include "soquy/demo_groups.h"
#include "soquy/demo_loans.h"
#include "soquy/loans.h"
#include "soquy/demo_registry.h"
#include "soquy/demo_vbsp.h"
#include "soquy/registry.h"
#include "soquy/vbsp.h"
#include "soquy/reports/ledger_reports.h"
#include "soquy/reports/registry_reports.h"

namespace soquy::cli {
namespace {

// What the demo builders made: the tour prints from it.
struct DemoParts {
  DemoSummary summary;
  RegistryDemoSummary province;
  LoanDemoSummary loans;
  GroupsDemoSummary groups;
  VbspDemoSummary vbsp;
};

// An existing database is replaced only with --force (its WAL files with it).
Result<DemoParts> build_demo_parts(Ledger& l) {
  // The journal demo without its own stand-in loans (members = 0): the fund's loans are the
  // loan book's, grown on the province below, so account 2111 is what the loans owe.
  DemoOptions journal;
  journal.members = 0;
  auto summary = build_demo(l, journal);
  if (!summary) return fail(summary.error());
  auto province = build_registry_demo(l);
  if (!province) return fail(province.error());
  auto loans = build_loans_demo(l);
  if (!loans) return fail(loans.error());
  auto groups = build_groups_demo(l);
  if (!groups) return fail(groups.error());
  auto vbsp = build_vbsp_demo(l);  // on the province's Kim Sơn (TC-KS)
  if (!vbsp) return fail(vbsp.error());
  if (auto u = l.add_user("kiemtra", Role::kAuditor); !u) return fail(u.error());
  return DemoParts{*summary, *province, *loans, *groups, *vbsp};
}

// The opening paragraphs: what was created, the loan book on its last day, groups, VBSP.
Result<void> print_demo_overview(std::ostream& out, Ledger& l, const std::string& db_path, const DemoParts& p) {
  const auto& summary = p.summary;
  const auto& loans = p.loans;
  const auto& groups = p.groups;
  const auto& vbsp = p.vbsp;
  // What the loan book holds on the last day: loans with principal still owed, and that
  // principal (written-off loans owe none: it left the portfolio).
  LoanBook book(l);
  std::int64_t open = 0;
  Money outstanding;
  if (auto r = book.for_each_snapshot(loans.last, [&](const LoanSnapshot& s) {
        if (s.status == LoanStatus::kWrittenOff || s.position.outstanding_principal.is_zero()) return;
        ++open;
        outstanding += s.position.outstanding_principal;
      });
      !r)
    return fail(r.error());
  out << fmt::format(fmt::runtime(tr("soquy demo — {} created: {} entries from {} to {} ({} reversal).\n")), db_path,
                     summary.entries + loans.entries + groups.entries + vbsp.entries,
                     std::min(summary.first, vbsp.first), std::max(summary.last, loans.last), summary.reversals);
  out << fmt::format(fmt::runtime(tr("Fund loans: {} loans of {} products, {} đồng disbursed; on {} {} loans owe {} "
                                        "đồng of principal; {} written off, {} frozen, {} rescheduled or extended.\n")),
                     loans.loans, loans.products, loans.disbursed.minor_units(), loans.last, open,
                     outstanding.minor_units(), loans.writeoffs, loans.frozen, loans.reschedules + loans.extensions);
  out << fmt::format(fmt::runtime(tr("Groups: {} hụi ({} rounds opened and paid out, {} due advanced by its holder), {} "
                                        "savings groups ({} meetings, {} group loans, {} share-outs).\n")),
                     groups.roscas, groups.rounds, groups.advances, groups.savings_groups, groups.meetings,
                     groups.group_loans, groups.shareouts);
  out << fmt::format(fmt::runtime(tr("VBSP entrustment: commune Kim Sơn ({}), {} groups, {} borrowers, {} loans ({} "
                                        "đồng disbursed), {} receipts from the opening on 2025-11-30 and monthly "
                                        "sessions {} … {}; the bank's statements as of {}, {} and {}, the last with "
                                        "planted differences.\n\n")),
                     vbsp.unit, vbsp.groups, vbsp.members, vbsp.loans, vbsp.disbursed.minor_units(), vbsp.receipts,
                     vbsp.first_session, vbsp.last_session, vbsp.compare_to, vbsp.mid_year, vbsp.as_of);
  return {};
}

void print_demo_books(std::ostream& out, Ledger& l) {
  out << tr("1. Books (soquy book list):\n");
  // The province's savings, hụi and pool groups each have a book: count them, list the rest.
  std::int64_t province_books = 0;
  for (const auto& b : l.books()) {
    if (b.code.starts_with("group:") && b.code != "group:HUI-LH01") {
      ++province_books;
      continue;
    }
    out << fmt::format("   {:<16} {}\n", b.code, b.name);
  }
  out << fmt::format(fmt::runtime(tr("   … and {} books of the province's savings, hụi and pool groups (group:TK-…, "
                                        "group:HUI-…, group:GV-…)\n")),
                     province_books);
}

// Sections 2–4: the fund's balances, the trial balance of every book, a reversal in a register.
Result<void> print_demo_journal(std::ostream& out, Ledger& l, Date as_of) {
  out << fmt::format(fmt::runtime(tr("\n2. The fund's balances as of {0} (soquy balance --book fund --as-of {0}):\n\n")),
                     as_of);
  auto sheet = l.balances(std::string(charts::fund::kBook), as_of);
  if (!sheet) return fail(sheet.error());
  if (auto r = reports::render(reports::balance_sheet(*sheet), reports::Format::kTable, out); !r) return fail(r.error());
  out << fmt::format(
      fmt::runtime(tr("\n3. Trial balance of every book (soquy trial-balance --as-of {}): debits equal credits\n\n")),
      as_of);
  auto tb = l.trial_balance("", as_of);
  if (!tb) return fail(tb.error());
  auto tb_report = reports::trial_balance(*tb);
  if (auto r = reports::render(tb_report, reports::Format::kTable, out); !r) return fail(r.error());
  out << tr("\n4. A correction is a reversal, never an edit (soquy register 1011 --from 2025-04-01 --as-of "
            "2025-04-05):\n\n");
  auto reg = l.account_register("fund", std::string(charts::fund::kCash), *Date::from_ymd(2025, 4, 1),
                                *Date::from_ymd(2025, 4, 5));
  if (!reg) return fail(reg.error());
  if (auto r = reports::render(reports::account_register(*reg), reports::Format::kTable, out); !r) return fail(r.error());
  return {};
}

// Section 5; true when the member totals before and after the merge agree.
Result<bool> print_demo_province(std::ostream& out, Ledger& l, const DemoParts& p) {
  const auto& province = p.province;
  const auto& vbsp = p.vbsp;
  // The province: the same members counted in the 2020 tree and, after the 1 July 2025
  // merge, in the communes of Vĩnh Long; the totals must agree.
  Registry registry(l);
  Date before = *Date::from_ymd(2024, 12, 31), now = today();
  out << fmt::format(fmt::runtime(tr("\n5. The province: {} units, {} members ({} Khmer, {} Hoa) and {} VBSP borrowers of "
                                        "Kim Sơn, {} groups of every kind; on {} Trà Vinh and its districts merged into "
                                        "Vĩnh Long.\n   Members by unit before and after (soquy report members --by "
                                        "unit --as-of {} / --as-of {}):\n\n")),
                     province.units, province.members, province.khmer, province.hoa, vbsp.members,
                     province.groups + vbsp.groups, province.merge_on, before, now);
  auto counts_before = registry.count_members(MemberReportBy::kUnit, before);
  if (!counts_before) return fail(counts_before.error());
  auto counts_now = registry.count_members(MemberReportBy::kUnit, now);
  if (!counts_now) return fail(counts_now.error());
  if (auto r = reports::render(reports::member_counts(*counts_before), reports::Format::kTable, out); !r)
    return fail(r.error());
  out << "\n";
  if (auto r = reports::render(reports::member_counts(*counts_now), reports::Format::kTable, out); !r)
    return fail(r.error());
  out << fmt::format(fmt::runtime(counts_before->total == counts_now->total
                                       ? tr("\n   Totals: {} before, {} after — equal.\n")
                                       : tr("\n   Totals: {} before, {} after — DIFFERENT.\n")),
                     counts_before->total, counts_now->total);
  return counts_before->total == counts_now->total;
}

// Section 6: the VBSP commune, the union's register and receipts against the bank's statement.
Result<void> print_demo_vbsp(std::ostream& out, Ledger& l, const VbspDemoSummary& vbsp) {
  Vbsp entrusted(l);
  auto recon = entrusted.reconcile(vbsp.as_of);
  if (!recon) return fail(recon.error());
  const auto& rs = recon->summary;
  out << fmt::format(fmt::runtime(tr("\n6. VBSP reconciliation of Kim Sơn against the bank's statement of {0} (soquy vbsp "
                                        "reconcile --as-of {0}): {1} loans, {2} matched; {3} missing in the union's "
                                        "register, {4} missing at the bank, {5} principal, {6} interest, {7} savings "
                                        "and {8} identity differences (the name the bank writes without diacritics, "
                                        "{9}, is matched).\n")),
                     vbsp.as_of, rs.loans, rs.matched, rs.missing_in_ledger, rs.missing_in_bank,
                     rs.principal_mismatch, rs.interest_mismatch, rs.savings_mismatch, rs.identity_mismatch,
                     vbsp.unaccented_name_bank);
  return {};
}

// Section 7 and the commands to try next; true when the check verifies.
bool print_demo_check(std::ostream& out, Ledger& l, const std::string& db_path, const VbspDemoSummary& vbsp) {
  auto check = l.check();
  auto named = run_checks(l);
  const bool verified = check.ok() && named && named->ok();
  out << fmt::format(fmt::runtime(verified ? tr("\n7. soquy check: {} entries, {} postings, {} checks: hash chain, "
                                                 "balances and sub-ledgers verified.\n")
                                            : tr("\n7. soquy check: {} entries, {} postings, {} checks: hash chain, "
                                                 "balances and sub-ledgers BROKEN.\n")),
                     check.entries, check.postings, check_list().size());
  out << fmt::format(
      fmt::runtime(tr(
      "\nTry: soquy --db {0} balance --book entrust --format json\n"
      "     soquy --db {0} register 2111 --format csv\n"
      "     soquy --db {0} --user kiemtra post --book fund --date 2026-11-01 --memo x 1011=1 6011=-1   (auditor: exit 77)\n"
      "     soquy --db {0} export journal --format ledger | ledger -f - balance\n"
      "     soquy --db {0} unit tree --as-of 2025-06-30\n"
      "     soquy --db {0} report members --by ethnicity --as-of 2025-07-01\n"
      "     soquy --db {0} report overdue --as-of 2026-11-27 --by product\n"
      "     soquy --db {0} collection-sheet --group TD-TC-KS --date 2026-11-20\n"
      "     soquy --db {0} rosca status HUI-CN-KH   (a bid above the 20 %/year cap: warned)\n"
      "     soquy --db {0} savings status TK-CL-AT --as-of 2026-06-05\n"
      "     soquy --db {0} vbsp reconcile --as-of {1} --group {2}   (a receipt written and not paid in: exit 1)\n"
      "     soquy --db {0} vbsp form-15td --group {2} --as-of {1}\n"
      "     soquy --db {0} report vbsp-overdue --as-of {1} --by group   (against {3})\n")),
      db_path, vbsp.as_of, vbsp.unpaid_receipt_group, vbsp.compare_to);
  return verified;
}

// Creates the demo database and prints the tour; 1 when the check or the province totals fail.
Result<int> run_demo(const std::string& db_path, bool force) {
  auto ledger = create_demo_ledger(db_path, force);
  if (!ledger) return fail(ledger.error());
  Ledger& l = **ledger;
  auto parts = build_demo_parts(l);
  if (!parts) return fail(parts.error());
  auto& out = std::cout;
  if (auto r = print_demo_overview(out, l, db_path, *parts); !r) return fail(r.error());
  print_demo_books(out, l);
  Date as_of = std::max(parts->summary.last, parts->loans.last);
  if (auto r = print_demo_journal(out, l, as_of); !r) return fail(r.error());
  auto totals_agree = print_demo_province(out, l, *parts);
  if (!totals_agree) return fail(totals_agree.error());
  if (auto r = print_demo_vbsp(out, l, parts->vbsp); !r) return fail(r.error());
  bool verified = print_demo_check(out, l, db_path, parts->vbsp);
  return verified && *totals_agree ? 0 : 1;
}

}  // namespace

void add_demo_commands(CLI::App& app, Context& ctx) {
  auto force = std::make_shared<bool>(false);
  auto* demo = app.add_subcommand("demo", tr("Create a demo database (--db, default soquy.db) with two years of fund "
                                          "and hụi activity, a province of 2,000 members and about "
                                          "2,300 fund loans, three hụi and two savings groups run through 2025–2026, a VBSP "
                                          "commune of 20 entrusted groups with a year of sessions and the bank's statements, "
                                          "and print a short tour of it"));
  demo->add_flag("--force", *force, tr("Replace the file at --db if it is an earlier demo database (never a real ledger)"));
  demo->callback([&ctx, force] {
    ctx.action = [&ctx, force]() -> Result<int> { return run_demo(ctx.db_path, *force); };
  });
}

}  // namespace soquy::cli
