// The storage interface under soquy::audit_log (not public API). The SQL is in sqlite_audit.cc
// and pg_audit.cc, on the journal's connection.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "soquy/audit.h"

namespace soquy {

class Store;
namespace pg {
class Connection;
}

// The audit log's query on a PostgreSQL server (pg_audit.cc); AuditStore::entries calls it there.
std::vector<AuditLogEntry> server_audit_entries(pg::Connection& db, const std::optional<Date>& from,
                                                const std::optional<Date>& to, const std::string& user);

class AuditStore {
 public:
  explicit AuditStore(Store& store) : store_(store) {}
  // Entries whose record day (first 10 characters of recorded_at) is within [from, to] and, when
  // `user` is not empty, recorded by that user; in chain order.
  std::vector<AuditLogEntry> entries(const std::optional<Date>& from, const std::optional<Date>& to,
                                     const std::string& user);
  // The same entries one at a time, as the statement steps; stops when `fn` returns false.
  void for_each_entry(const std::optional<Date>& from, const std::optional<Date>& to, const std::string& user,
                      const std::function<bool(AuditLogEntry&&)>& fn);
  // Rows of the change log matching `filter` (already validated), in chain order.
  std::vector<ChangeLogRow> changes(const ChangeLogFilter& filter);
  // Whether any change of `table` is on record.
  bool logs_table(const std::string& table);

 private:
  Store& store_;
};

}  // namespace soquy
