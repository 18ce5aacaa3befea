// The AuditStore, on either engine (sql_query.h): the audit log's query and the change log's, on
// the journal's connection. Only the expressions of the two engines' own types differ (the entry
// hash is a BLOB in SQLite, bytea in PostgreSQL; the catalogue of triggers).
#include <fmt/format.h>

#include "audit_store.h"
#include "soquy/i18n.h"
#include "sql_query.h"

namespace soquy {
namespace {

// The entry's hash as lowercase hex.
const char* hash_hex(sql::Engine engine) {
  return engine == sql::Engine::kSqlite ? "lower(hex(e.hash))" : "encode(e.hash, 'hex')";
}

// Binds ?1 (from), ?2 (to) and ?3 (user, none when empty) of the date and user filters.
void bind_filter(sql::Query& q, const std::optional<Date>& from, const std::optional<Date>& to,
                 const std::string& user) {
  sql::bind_opt(q, 1, from);
  sql::bind_opt(q, 2, to);
  sql::bind_text_or_null(q, 3, user);
}

AuditLogEntry read_entry(sql::Query& q) {
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
  e.reverses = sql::opt_int(q.getColumn(7));
  e.postings = q.getColumn(8).getInt64();
  e.debits = Money(q.getColumn(9).getInt64());
  e.hash = q.getColumn(10).getString();
  return e;
}

}  // namespace

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
  // The day of record is compared as text (ISO dates sort as text). Each debit sum is bounded
  // by the ledger's checked arithmetic when the entry was posted.
  sql::Query q(store_,
               fmt::format("SELECT e.id, e.recorded_at, u.name, b.code, e.date, e.memo, coalesce(e.client_id, ''), "
                           "e.reverses, (SELECT count(*) FROM postings p WHERE p.entry_id = e.id), "
                           "(SELECT coalesce(sum(p.amount), 0) FROM postings p WHERE p.entry_id = e.id "
                           "AND p.amount > 0), {} "
                           "FROM entries e JOIN users u ON u.id = e.user_id JOIN books b ON b.id = e.book_id "
                           "WHERE (CAST(?1 AS TEXT) IS NULL OR substr(e.recorded_at, 1, 10) >= ?1) "
                           "AND (CAST(?2 AS TEXT) IS NULL OR substr(e.recorded_at, 1, 10) <= ?2) "
                           "AND (CAST(?3 AS TEXT) IS NULL OR u.name = ?3) "
                           "ORDER BY e.id",
                           hash_hex(sql::engine_of(store_))));
  bind_filter(q, from, to, user);
  while (q.executeStep())
    if (!fn(read_entry(q))) return;
}

std::vector<ChangeLogRow> AuditStore::changes(const ChangeLogFilter& filter) {
  // "user" quoted: bare, PostgreSQL reads it as CURRENT_USER and would compare the login.
  sql::Query q(store_,
               "SELECT seq, recorded_at, \"user\", tbl, record, action, coalesce(content, ''), hash FROM change_log "
               "WHERE (CAST(?1 AS TEXT) IS NULL OR substr(recorded_at, 1, 10) >= ?1) "
               "AND (CAST(?2 AS TEXT) IS NULL OR substr(recorded_at, 1, 10) <= ?2) "
               "AND (CAST(?3 AS TEXT) IS NULL OR \"user\" = ?3) AND (CAST(?4 AS TEXT) IS NULL OR tbl = ?4) "
               "ORDER BY seq");
  bind_filter(q, filter.from, filter.to, filter.user);
  sql::bind_text_or_null(q, 4, filter.table);
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
  // The log trigger of the table: log_T_insert (one per table and kind, change_log.cc) in SQLite,
  // log_T on PostgreSQL (soquy_install_change_log, schemas/postgresql/0012).
  sql::Query q(store_, sql::engine_of(store_) == sql::Engine::kSqlite
                           ? "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = 'log_' || ? || '_insert'"
                           : "SELECT 1 FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
                             "WHERE c.relname = ?1 AND g.tgname = 'log_' || ?1 AND c.relnamespace = "
                             "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())");
  q.bind(1, table);
  return q.executeStep();
}

}  // namespace soquy
