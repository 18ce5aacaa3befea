// libpq under pg::Connection (pg_connection.h).
#include "pg_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>

#include "soquy/error.h"
#include "soquy/i18n.h"
#include "store_failure.h"

namespace soquy::pg {
namespace {

std::string first_line(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// The first line of libpq's text, without its "ERROR:  " / "FATAL:  " prefix.
std::string headline(const std::string& text) {
  std::string s = text.substr(0, text.find('\n'));
  for (std::string_view prefix : {"ERROR:  ", "FATAL:  "})
    if (s.rfind(prefix, 0) == 0) s.erase(0, prefix.size());
  return s;
}

// A fault of the server or of the network (issue 14 item 7), worded for the person at the
// keyboard: what happened and what to do; nullopt for any other error. The connection is lost
// when libpq says so (no SQLSTATE then), on class 08 (connection exception) and on 57P0x (the
// server was shut down or the backend terminated, e.g. pg_terminate_backend). Class 53 is the
// server's resources (53100 disk full, 53200 out of memory, 53300 too many connections); a data
// file that cannot grow for another reason (EFBIG: a file-size limit, as tests/pg/faults_test.sh
// simulates a full disk) is XX000 with the hint "Check free disk space.", treated the same.
std::optional<Error> fault_error(pg_conn* conn, const char* state, const std::string& message, bool disk_hint) {
  const std::string_view s = state ? state : "";
  const bool lost = (conn && PQstatus(conn) == CONNECTION_BAD) || s.substr(0, 2) == "08" || s.substr(0, 3) == "57P";
  if (lost)
    return Error::io(fmt::format(
        fmt::runtime(tr("the connection to the PostgreSQL server was lost ({}); the server rolls back the "
                        "unfinished transaction, so this command wrote nothing: run it again once the server "
                        "is reachable")),
        headline(message)));
  if (s.substr(0, 2) == "53" || disk_hint)
    return Error::io(fmt::format(
        fmt::runtime(tr("the PostgreSQL server is out of resources ({}); this command wrote nothing: ask the "
                        "server's administrator to free disk space (or memory, or connections), then run it again")),
        headline(message)));
  if (s.substr(0, 2) == "28")
    return Error::io(fmt::format(
        fmt::runtime(tr("the PostgreSQL server refused the login ({}): check the user name and the password")),
        headline(message)));
  return std::nullopt;
}

// Why the connection failed: libpq gives no SQLSTATE there. A refused password, a missing one
// and a login without CONNECT on the database (exit 77) get their own sentences; anything else
// (no server at that address, a database that does not exist) keeps libpq's first line, which
// names the server.
Error connect_error(pg_conn* conn) {
  const std::string why = conn ? headline(PQerrorMessage(conn)) : "out of memory";
  const bool needs_password = conn && PQconnectionNeedsPassword(conn);
  const bool refused = conn && PQconnectionUsedPassword(conn) && why.find("authentication") != std::string::npos;
  if (needs_password)
    return Error::io(fmt::format(
        fmt::runtime(tr("the PostgreSQL server asks a password for this login and none was given ({}): set it "
                        "in ~/.pgpass or PGPASSWORD")),
        why));
  if (refused)
    return Error::io(fmt::format(
        fmt::runtime(tr("the PostgreSQL server refused the login ({}): check the user name and the password")), why));
  // CONNECT withheld (schema 17 gives it only to the database's own logins): the login is
  // another fund's, or no soquy user at all. A permission, not a fault of the server.
  if (why.find("permission denied for database") != std::string::npos)
    return Error::permission(fmt::format(
        fmt::runtime(tr("this login may not open this database ({}): only its own users may; an admin of the "
                        "database gives access with `soquy user add`")),
        why));
  return Error::io(fmt::format(
      fmt::runtime(tr("cannot connect to the PostgreSQL server: {} (check that the server is running and that "
                      "the URI names the right host, port and database)")),
      why));
}

// The error of a failed result, as the CLI maps it to an exit code.
Error result_error(pg_conn* conn, const PGresult* res) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = first_line(res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  if (message.empty()) message = first_line(PQerrorMessage(conn));
  const char* hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : nullptr;
  const bool disk_hint = hint && std::string_view(hint) == "Check free disk space.";
  if (auto fault = fault_error(conn, state, message, disk_hint)) return *fault;
  if (state && std::string_view(state) == "42501")
    return Error::permission(
        fmt::format(fmt::runtime(tr("the PostgreSQL server refused: {} (the login's soquy role does not allow it)")),
                    message));
  return Error::io(fmt::format(fmt::runtime(tr("PostgreSQL: {}")), message));
}

// 40001 (serialization failure) and 40P01 (deadlock) may be retried (store_failure.h).
[[noreturn]] void throw_result_error(pg_conn* conn, const PGresult* res) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  if (state && (std::string_view(state) == "40001" || std::string_view(state) == "40P01"))
    throw RetryableStoreFailure(result_error(conn, res));
  throw SoquyException(result_error(conn, res));
}

// Pointers into `params` for libpq (NULL for SQL NULL); valid while `params` lives.
std::vector<const char*> values_of(const Params& params) {
  std::vector<const char*> out;
  out.reserve(params.size());
  for (const auto& p : params) out.push_back(p ? p->c_str() : nullptr);
  return out;
}

// The server's notices (e.g. "role … is already a member") are not for soquy's user.
void ignore_notice(void*, const char*) {
}

bool ok_status(ExecStatusType s) {
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_SINGLE_TUPLE;
}

}  // namespace

Rows::Rows(pg_result* result) : result_(result) {
}
Rows::~Rows() {
  if (result_) PQclear(result_);
}
Rows::Rows(Rows&& other) noexcept : result_(other.result_) {
  other.result_ = nullptr;
}
int Rows::size() const {
  return result_ ? PQntuples(result_) : 0;
}
bool Rows::null(int row, int col) const {
  return PQgetisnull(result_, row, col) != 0;
}
std::string Rows::text(int row, int col) const {
  return std::string(PQgetvalue(result_, row, col), static_cast<std::size_t>(PQgetlength(result_, row, col)));
}
std::int64_t Rows::int64(int row, int col) const {
  const char* v = PQgetvalue(result_, row, col);
  const char* end = v + PQgetlength(result_, row, col);
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v, end, out);
  if (ec != std::errc() || p != end)
    throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("PostgreSQL: not a whole number: '{}'")), v)));
  return out;
}
std::string Rows::hex(int row, int col) const {
  std::string t = text(row, col);
  if (t.rfind("\\x", 0) == 0) t.erase(0, 2);
  return t;
}

std::int64_t Rows::affected() const {
  const char* n = result_ ? PQcmdTuples(result_) : "";
  return *n ? std::strtoll(n, nullptr, 10) : 0;
}
std::string Rows::command() const {
  return result_ ? PQcmdStatus(result_) : "";
}

namespace {
// The URI's own `options` (server settings in the startup packet), or "" (also when libpq cannot
// parse the URI: PQconnectdbParams then reports why).
std::string uri_options(const std::string& uri) {
  std::string out;
  PQconninfoOption* parsed = PQconninfoParse(uri.c_str(), nullptr);
  if (!parsed) return out;
  for (PQconninfoOption* o = parsed; o->keyword; ++o)
    if (std::string_view(o->keyword) == "options" && o->val) out = o->val;
  PQconninfoFree(parsed);
  return out;
}

// Every session speaks UTF-8 and reads and writes the public schema, whatever the server's
// defaults: both set in the startup packet (no round trip), after the URI's own options.
pg_conn* connect(const std::string& uri) {
  std::string options = uri_options(uri);
  options += options.empty() ? "-c search_path=public" : " -c search_path=public";
  const char* keys[] = {"dbname", "client_encoding", "options", nullptr};
  const char* values[] = {uri.c_str(), "UTF8", options.c_str(), nullptr};
  return PQconnectdbParams(keys, values, 1);
}
}  // namespace

Connection::Connection(const std::string& uri) : conn_(connect(uri)) {
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    Error why = connect_error(conn_);
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
    throw SoquyException(why);
  }
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

Rows Connection::exec(std::string_view sql, const Params& params) {
  const std::string text(sql);
  auto values = values_of(params);
  PGresult* res = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr, values.data(), nullptr,
                               nullptr, 0);
  if (!res || !ok_status(PQresultStatus(res))) {
    Rows guard(res);
    throw_result_error(conn_, res);
  }
  return Rows(res);
}

Rows Connection::exec_script(std::string_view sql) {
  const std::string text(sql);
  PGresult* res = PQexec(conn_, text.c_str());
  Rows guard(res);
  // A file of comments only (a version PostgreSQL does not need) is an empty query.
  if (!res || (!ok_status(PQresultStatus(res)) && PQresultStatus(res) != PGRES_EMPTY_QUERY))
    throw_result_error(conn_, res);
  return guard;
}

std::string Connection::try_exec(std::string_view sql, const Params& params) {
  const std::string text(sql);
  auto values = values_of(params);
  return state_of(PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr, values.data(), nullptr,
                               nullptr, 0));
}

std::string Connection::try_exec_prepared(const std::string& name, const Params& params) {
  auto values = values_of(params);
  return state_of(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(), nullptr,
                                 nullptr, 0));
}

std::string Connection::state_of(pg_result* res) {
  Rows guard(res);
  if (res && ok_status(PQresultStatus(res))) return "";
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  if (!state) throw_result_error(conn_, res);  // no SQLSTATE: the connection itself failed
  if (fault_error(conn_, state, "", false)) throw_result_error(conn_, res);  // not the caller's to handle
  return state;
}

void Connection::prepare(const std::string& name, std::string_view sql) {
  const std::string text(sql);
  PGresult* res = PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr);
  Rows guard(res);
  if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) throw_result_error(conn_, res);
}

Rows Connection::exec_prepared(const std::string& name, const Params& params) {
  auto values = values_of(params);
  PGresult* res = PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(), nullptr,
                                 nullptr, 0);
  if (!res || !ok_status(PQresultStatus(res))) {
    Rows guard(res);
    throw_result_error(conn_, res);
  }
  return Rows(res);
}

void Connection::walk(std::string_view sql, const Params& params, const std::function<void(const Rows&)>& row) {
  const std::string text(sql);
  auto values = values_of(params);
  if (!PQsendQueryParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr, values.data(), nullptr,
                         nullptr, 0))
    throw_result_error(conn_, nullptr);
  read_rows(row);
}

void Connection::walk_prepared(const std::string& name, const Params& params,
                               const std::function<void(const Rows&)>& row) {
  auto values = values_of(params);
  if (!PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(), nullptr, nullptr, 0))
    throw_result_error(conn_, nullptr);
  read_rows(row);
}

void Connection::read_rows(const std::function<void(const Rows&)>& row) {
  PQsetSingleRowMode(conn_);
  // Every result is read to the end, even after a failure or an exception from `row`, so that
  // the connection is ready for the next statement.
  std::optional<Error> failed;
  std::exception_ptr thrown;
  while (PGresult* res = PQgetResult(conn_)) {
    Rows r(res);
    const ExecStatusType s = PQresultStatus(res);
    if (!ok_status(s)) {
      if (!failed) failed = result_error(conn_, res);
      continue;
    }
    if (s != PGRES_SINGLE_TUPLE || thrown || failed) continue;
    try {
      row(r);
    } catch (...) {
      thrown = std::current_exception();
    }
  }
  if (thrown) std::rethrow_exception(thrown);
  if (failed) throw SoquyException(*failed);
}

bool Connection::lost() const {
  return !conn_ || PQstatus(conn_) == CONNECTION_BAD;
}

bool Connection::in_transaction() const { return PQtransactionStatus(conn_) == PQTRANS_INTRANS; }

std::string Connection::quote_identifier(std::string_view name) {
  char* q = PQescapeIdentifier(conn_, name.data(), name.size());
  if (!q) throw_result_error(conn_, nullptr);
  std::string out(q);
  PQfreemem(q);
  return out;
}

}  // namespace soquy::pg
