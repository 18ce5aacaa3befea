// SQLite implementation of the AuditStore: the audit log's one query, on the journal's connection.
#include <SQLiteCpp/SQLiteCpp.h>

#include <fmt/format.h>

#include "audit_store.h"
#include "pg_store.h"
#include "soquy/sha256.h"
#include "sqlite_rows.h"
#include "store.h"

namespace soquy {

std::vector<AuditLogEntry> AuditStore::entries(const std::optional<Date>& from, const std::optional<Date>& to,
                                               const std::string& user) {
  std::vector<AuditLogEntry> out;
  for_each_entry(from, to, user, [&out](AuditLogEntry&& e) {
    out.push_back(std::move(e));
    return true;
  });
  return out;
}

void AuditStore::for_each_entry(const std::optional<Date>& from, const std::optional<Date>& to,
                                const std::string& user, const std::function<bool(AuditLogEntry&&)>& fn) {
  if (auto* server = pg_connection(store_)) {  // not streamed on the server yet (docs/server.md)
    for (auto& e : server_audit_entries(*server, from, to, user))
      if (!fn(std::move(e))) return;
    return;
  }
  auto& db = sqlite_database(store_);
  // The day of record is compared as text (ISO dates sort as text). Each debit sum is bounded
  // by the ledger's checked arithmetic when the entry was posted.
  SQLite::Statement q(db,
                      "SELECT e.id, e.recorded_at, u.name, b.code, e.date, e.memo, coalesce(e.client_id, ''), "
                      "e.reverses, (SELECT count(*) FROM postings p WHERE p.entry_id = e.id), "
                      "(SELECT coalesce(sum(p.amount), 0) FROM postings p WHERE p.entry_id = e.id AND p.amount > 0), "
                      "e.hash "
                      "FROM entries e JOIN users u ON u.id = e.user_id JOIN books b ON b.id = e.book_id "
                      "WHERE (?1 IS NULL OR substr(e.recorded_at, 1, 10) >= ?1) "
                      "AND (?2 IS NULL OR substr(e.recorded_at, 1, 10) <= ?2) "
                      "AND (?3 IS NULL OR u.name = ?3) "
                      "ORDER BY e.id");
  if (from) q.bind(1, from->to_iso()); else q.bind(1);
  if (to) q.bind(2, to->to_iso()); else q.bind(2);
  if (!user.empty()) q.bind(3, user); else q.bind(3);
  while (q.executeStep()) {
    AuditLogEntry e;
    e.entry = q.getColumn(0).getInt64();
    e.recorded_at = q.getColumn(1).getString();
    e.user = q.getColumn(2).getString();
    e.book = q.getColumn(3).getString();
    auto d = Date::parse_iso(q.getColumn(4).getString());
    if (!d) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("entry {} holds a malformed date")), e.entry)));
    e.date = *d;
    e.memo = q.getColumn(5).getString();
    e.client_id = q.getColumn(6).getString();
    e.reverses = sqlite_rows::opt_int(q.getColumn(7));
    e.postings = q.getColumn(8).getInt64();
    e.debits = Money(q.getColumn(9).getInt64());
    const auto& h = q.getColumn(10);
    e.hash = to_hex(static_cast<const unsigned char*>(h.getBlob()), static_cast<std::size_t>(h.getBytes()));
    if (!fn(std::move(e))) return;
  }
}

std::vector<ChangeLogRow> AuditStore::changes(const ChangeLogFilter& filter) {
  auto& db = sqlite_database(store_);
  SQLite::Statement q(db,
                      "SELECT seq, recorded_at, user, tbl, record, action, coalesce(content, ''), hash FROM change_log "
                      "WHERE (?1 IS NULL OR substr(recorded_at, 1, 10) >= ?1) "
                      "AND (?2 IS NULL OR substr(recorded_at, 1, 10) <= ?2) "
                      "AND (?3 IS NULL OR user = ?3) AND (?4 IS NULL OR tbl = ?4) ORDER BY seq");
  if (filter.from) q.bind(1, filter.from->to_iso()); else q.bind(1);
  if (filter.to) q.bind(2, filter.to->to_iso()); else q.bind(2);
  if (!filter.user.empty()) q.bind(3, filter.user); else q.bind(3);
  if (!filter.table.empty()) q.bind(4, filter.table); else q.bind(4);
  std::vector<ChangeLogRow> out;
  while (q.executeStep()) {
    ChangeLogRow c;
    c.seq = q.getColumn(0).getInt64();
    c.recorded_at = q.getColumn(1).getString();
    c.user = q.getColumn(2).getString();
    c.table = q.getColumn(3).getString();
    c.record = q.getColumn(4).getString();
    c.action = q.getColumn(5).getString();
    c.content = q.getColumn(6).getString();
    c.hash = q.getColumn(7).getString();
    out.push_back(std::move(c));
  }
  return out;
}

bool AuditStore::logs_table(const std::string& table) {
  SQLite::Statement q(sqlite_database(store_),
                      "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = 'log_' || ? || '_insert'");
  q.bind(1, table);
  return q.executeStep();
}

}  // namespace soquy
