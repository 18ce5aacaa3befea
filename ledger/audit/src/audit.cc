#include "soquy/audit.h"

#include <fmt/format.h>

#include "audit_store.h"
#include "soquy/i18n.h"
#include "soquy/ledger.h"

namespace soquy {

namespace {

// What audit_log and for_each_audit_log_entry refuse before reading.
Result<void> check_audit_filter(Ledger& ledger, const AuditLogFilter& filter) {
  if (filter.from && filter.to && *filter.to < *filter.from)
    return fail(Error::out_of_order(ErrorKind::kUsage, "from", fmt::format("{}", *filter.from), tr("is after"), "to",
                                    fmt::format("{}", *filter.to)));
  if (!filter.user.empty()) {
    bool known = false;
    for (const auto& u : ledger.users()) known = known || u.name == filter.user;
    if (!known) return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("no user named '{}'")), filter.user)).in_field("user"));
  }
  return {};
}

}  // namespace

Result<std::vector<AuditLogEntry>> audit_log(Ledger& ledger, const AuditLogFilter& filter) {
  if (auto ok = check_audit_filter(ledger, filter); !ok) return fail(ok.error());
  try {
    return AuditStore(ledger.store()).entries(filter.from, filter.to, filter.user);
  } catch (const SoquyException& e) {
    return fail(e.error());
  }
}

Result<void> for_each_audit_log_entry(Ledger& ledger, const AuditLogFilter& filter,
                                      const std::function<Result<void>(const AuditLogEntry&)>& fn) {
  if (auto ok = check_audit_filter(ledger, filter); !ok) return fail(ok.error());
  Result<void> stopped;
  try {
    AuditStore(ledger.store()).for_each_entry(filter.from, filter.to, filter.user, [&](AuditLogEntry&& e) {
      stopped = fn(e);
      return static_cast<bool>(stopped);
    });
  } catch (const SoquyException& e) {
    return fail(e.error());
  }
  return stopped;
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
