// The storage interface under soquy::audit_log (not public API). The SQL is in audit_store.cc,
// on the journal's connection (SQLite or PostgreSQL).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "soquy/audit.h"

namespace soquy {

class Store;

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
