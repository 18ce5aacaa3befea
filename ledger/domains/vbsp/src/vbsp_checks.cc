// The VBSP named check: the memo book against the register and the collections.
#include "soquy/vbsp_checks.h"

#include <vector>

#include <fmt/format.h>

#include "soquy/charts.h"
#include "vbsp_check_store.h"

namespace soquy {

NamedCheck check_vbsp_memo(Ledger& ledger) {
  namespace e = charts::entrust;
  NamedCheck c;
  c.name = "vbsp.memo";
  c.items = vbsp_checks::count_loans(ledger.store());
  // Rows come by loan, then day: each figure's first differing day is kept per loan.
  const std::string_view accounts[] = {e::kVbspLoans, e::kMemberSavings};
  std::vector<CheckDifference> found[2];  // 9121's, then 9131's, each by loan
  std::int64_t more = 0;
  std::string loan_seen;
  bool reported[2] = {false, false};
  vbsp_checks::for_each_differing_day(ledger.store(), [&](const std::string& loan_no, Date d,
                                                          const std::vector<std::int64_t>& records,
                                                          const std::vector<std::int64_t>& journal) {
    if (loan_no != loan_seen) {
      loan_seen = loan_no;
      reported[0] = reported[1] = false;
    }
    for (std::size_t i = 0; i < 2; ++i) {
      if (reported[i] || records[i] == journal[i]) continue;
      reported[i] = true;
      if (found[0].size() + found[1].size() >= NamedCheck::kMaxDifferences) {
        ++more;
        continue;
      }
      found[i].push_back(CheckDifference{std::string(e::kBook), std::string(accounts[i]),
                                      fmt::format("VBSP loan {} (member {})", loan_no,
                                                  vbsp_checks::member_of(ledger.store(), loan_no)),
                                      Money(records[i]), Money(journal[i]), d});
    }
  });
  for (auto& list : found)
    for (auto& f : list) c.add(std::move(f));
  c.not_shown += more;
  return c;
}

}  // namespace soquy
