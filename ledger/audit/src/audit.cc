#include "soquy/audit.h"

#include <fmt/format.h>

#include "audit_store.h"
#include "soquy/i18n.h"
#include "soquy/ledger.h"

namespace soquy {

Result<std::vector<AuditLogEntry>> audit_log(Ledger& ledger, const AuditLogFilter& filter) {
  if (filter.from && filter.to && *filter.to < *filter.from)
    return fail(Error::out_of_order(ErrorKind::kUsage, "from", fmt::format("{}", *filter.from), tr("is after"), "to",
                                    fmt::format("{}", *filter.to)));
  if (!filter.user.empty()) {
    bool known = false;
    for (const auto& u : ledger.users()) known = known || u.name == filter.user;
    if (!known) return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("no user named '{}'")), filter.user)).in_field("user"));
  }
  try {
    return AuditStore(ledger.store()).entries(filter.from, filter.to, filter.user);
  } catch (const SoquyException& e) {
    return fail(e.error());
  }
}

Result<std::vector<ChangeLogRow>> change_log(Ledger& ledger, const ChangeLogFilter& filter) {
  if (filter.from && filter.to && *filter.to < *filter.from)
    return fail(Error::out_of_order(ErrorKind::kUsage, "from", fmt::format("{}", *filter.from), tr("is after"), "to",
                                    fmt::format("{}", *filter.to)));
  try {
    AuditStore store(ledger.store());
    if (!filter.table.empty() && !store.logs_table(filter.table))
      return fail(Error::bad_input(fmt::format(
          fmt::runtime(tr("'{}' is not a table whose changes are logged (e.g. loans, "
                                                               "members, users, settings)")),
                                               filter.table))
                      .in_field("table"));
    return store.changes(filter);
  } catch (const SoquyException& e) {
    return fail(e.error());
  }
}

}  // namespace soquy
