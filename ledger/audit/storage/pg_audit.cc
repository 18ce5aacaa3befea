// PostgreSQL implementation of the audit log's query (AuditStore::entries), on the journal's
// connection. The user is the login that recorded the entry (users.name = its session_user).
#include <fmt/format.h>

#include "audit_store.h"
#include "pg_connection.h"
#include "soquy/i18n.h"

namespace soquy {

std::vector<AuditLogEntry> server_audit_entries(pg::Connection& db, const std::optional<Date>& from,
                                                const std::optional<Date>& to, const std::string& user) {
  auto r = db.exec("SELECT e.id, e.recorded_at, u.name, b.code, e.date, e.memo, coalesce(e.client_id, ''), "
                   "e.reverses, (SELECT count(*) FROM postings p WHERE p.entry_id = e.id), "
                   "(SELECT coalesce(sum(p.amount), 0) FROM postings p WHERE p.entry_id = e.id AND p.amount > 0), "
                   "e.hash "
                   "FROM entries e JOIN users u ON u.id = e.user_id JOIN books b ON b.id = e.book_id "
                   "WHERE ($1::text IS NULL OR substr(e.recorded_at, 1, 10) >= $1) "
                   "AND ($2::text IS NULL OR substr(e.recorded_at, 1, 10) <= $2) "
                   "AND ($3::text IS NULL OR u.name = $3) "
                   "ORDER BY e.id",
                   {from ? pg::Param(from->to_iso()) : pg::Param(), to ? pg::Param(to->to_iso()) : pg::Param(),
                    user.empty() ? pg::Param() : pg::Param(user)});
  std::vector<AuditLogEntry> out;
  for (int i = 0; i < r.size(); ++i) {
    AuditLogEntry e;
    e.entry = r.int64(i, 0);
    e.recorded_at = r.text(i, 1);
    e.user = r.text(i, 2);
    e.book = r.text(i, 3);
    auto d = Date::parse_iso(r.text(i, 4));
    if (!d) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("entry {} holds a malformed date")), e.entry)));
    e.date = *d;
    e.memo = r.text(i, 5);
    e.client_id = r.text(i, 6);
    if (!r.null(i, 7)) e.reverses = r.int64(i, 7);
    e.postings = r.int64(i, 8);
    e.debits = Money(r.int64(i, 9));
    e.hash = r.hex(i, 10);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace soquy
