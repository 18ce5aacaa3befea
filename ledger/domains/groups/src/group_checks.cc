// The groups' named checks: savings groups, pools and hụi against their own books.
#include "soquy/group_checks.h"

#include <fmt/format.h>

#include "group_check_store.h"
#include "soquy/charts.h"

namespace soquy {
namespace {

namespace g = charts::group;

std::string book_of(const std::string& group) { return "group:" + group; }

// Adds each difference of a query keyed by group code, on `account`, with `what` after the name.
group_checks::DifferenceFn add_to(NamedCheck& c, std::string_view account, std::string_view what) {
  return [&c, account, what](const std::string& group, Date d, std::int64_t records, std::int64_t journal) {
    c.add(CheckDifference{book_of(group), std::string(account), fmt::format("group {} ({})", group, what),
                          Money(records), Money(journal), d});
  };
}

}  // namespace

NamedCheck check_savings_members(Ledger& ledger) {
  NamedCheck c;
  c.name = "savings.members";
  c.items = group_checks::count_groups(ledger.store(), "'savings', 'pool'");
  group_checks::savings_differences(ledger.store(), add_to(c, g::kMemberShares, "members' savings"));
  return c;
}

NamedCheck check_savings_loans(Ledger& ledger) {
  NamedCheck c;
  c.name = "savings.loans";
  c.items = group_checks::count_groups(ledger.store(), "'savings', 'pool'");
  group_checks::savings_loan_differences(ledger.store(), add_to(c, g::kLoansToMembers, "group loans outstanding"));
  return c;
}

NamedCheck check_savings_shareouts(Ledger& ledger) {
  NamedCheck c;
  c.name = "savings.share_out";
  c.items = group_checks::count_shareouts(ledger.store());
  group_checks::for_each_shareout(ledger.store(), [&](const group_checks::ShareoutFigures& f) {
    const std::string record = fmt::format("group {} share-out of cycle {}", f.group, f.cycle);
    if (f.loan_fund_cash != f.payouts + f.leftover)
      c.add(CheckDifference{book_of(f.group), "payouts + leftover", record, Money(f.loan_fund_cash),
                            Money(f.payouts + f.leftover), f.held_on});
    if (f.savings != f.line_savings)
      c.add(CheckDifference{book_of(f.group), "members' savings", record, Money(f.savings), Money(f.line_savings),
                            f.held_on});
    if (f.payouts != f.cash_paid)
      c.add(CheckDifference{book_of(f.group), std::string(g::kCash), record, Money(f.payouts), Money(f.cash_paid),
                            f.held_on});
  });
  return c;
}

NamedCheck check_rosca_book(Ledger& ledger) {
  NamedCheck c;
  c.name = "rosca.book";
  c.items = group_checks::count_groups(ledger.store(), "'rosca'");
  group_checks::rosca_receivable_differences(ledger.store(), add_to(c, g::kMemberReceivables, "dues owed"));
  group_checks::rosca_movement_differences(ledger.store(), "advance", add_to(c, g::kPayableToMembers, "advances"));
  group_checks::rosca_movement_differences(ledger.store(), "payout",
                                           add_to(c, g::kPayableToMembers, "payouts with the holder's fee"));
  return c;
}

NamedCheck check_rosca_rounds(Ledger& ledger) {
  NamedCheck c;
  c.name = "rosca.rounds";
  c.items = group_checks::count_rounds(ledger.store());
  group_checks::for_each_unbalanced_round(
      ledger.store(), [&](const std::string& group, std::int64_t round, Date opened_on, std::int64_t payout_and_fee,
                          std::int64_t dues) {
        c.add(CheckDifference{book_of(group), "dues", fmt::format("group {} round {}", group, round),
                              Money(payout_and_fee), Money(dues), opened_on});
      });
  return c;
}

}  // namespace soquy
