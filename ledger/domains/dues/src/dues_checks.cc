// The dues named check: billed less paid against the receivable of the union book.
#include "soquy/dues_checks.h"

#include "dues_check_store.h"
#include "soquy/charts.h"

namespace soquy {

NamedCheck check_dues_receivable(Ledger& ledger) {
  namespace u = charts::union_book;
  NamedCheck c;
  c.name = "dues.receivable";
  c.items = dues_checks::count_members_billed(ledger.store());
  dues_checks::receivable_differences(ledger.store(), [&](const std::string&, Date d, std::int64_t records,
                                                          std::int64_t journal) {
    c.add(CheckDifference{std::string(u::kBook), std::string(u::kDuesReceivable), "members' dues billed less paid",
                          Money(records), Money(journal), d});
  });
  return c;
}

}  // namespace soquy
