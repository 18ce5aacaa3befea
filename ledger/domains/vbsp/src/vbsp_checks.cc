// The VBSP named check: the memo book against the register and the collections.
#include "soquy/vbsp_checks.h"

#include <fmt/format.h>

#include "soquy/charts.h"
#include "vbsp_check_store.h"

namespace soquy {

NamedCheck check_vbsp_memo(Ledger& ledger) {
  namespace e = charts::entrust;
  NamedCheck c;
  c.name = "vbsp.memo";
  c.items = vbsp_checks::count_loans(ledger.store());
  auto add = [&](std::string_view account) {
    return [&c, &ledger, account](const std::string& loan_no, Date d, std::int64_t records, std::int64_t journal) {
      c.add(CheckDifference{std::string(e::kBook), std::string(account),
                            fmt::format("VBSP loan {} (member {})", loan_no, vbsp_checks::member_of(ledger.store(), loan_no)),
                            Money(records), Money(journal), d});
    };
  };
  vbsp_checks::principal_differences(ledger.store(), add(e::kVbspLoans));
  vbsp_checks::savings_differences(ledger.store(), add(e::kMemberSavings));
  return c;
}

}  // namespace soquy
