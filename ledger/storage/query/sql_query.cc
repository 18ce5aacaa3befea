// sql::Query on SQLite (SQLiteCpp) and on PostgreSQL (pg::Connection); see sql_query.h.
#include "sql_query.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "pg_connection.h"
#include "pg_store.h"
#include "soquy/error.h"
#include "soquy/i18n.h"
#include "store.h"

namespace soquy::sql {

struct Query::Pg {
  pg::Connection* conn = nullptr;
  std::string text;
  pg::Params params;
  std::optional<pg::Rows> rows;
  int row = -1;
};

namespace {

// The largest parameter number `sql` refers to (its `$N` form).
int parameter_count(std::string_view pg_sql) {
  int most = 0;
  for (std::size_t i = 0; i < pg_sql.size(); ++i) {
    if (pg_sql[i] != '$') continue;
    int n = 0;
    std::size_t j = i + 1;
    while (j < pg_sql.size() && pg_sql[j] >= '0' && pg_sql[j] <= '9') n = n * 10 + (pg_sql[j++] - '0');
    most = std::max(most, n);
  }
  return most;
}

// Copies a quoted run ('…' or "…", a doubled quote inside) from `sql` at `i` into `out`.
std::size_t copy_quoted(std::string_view sql, std::size_t i, std::string& out) {
  const char quote = sql[i];
  out += sql[i++];
  while (i < sql.size()) {
    out += sql[i];
    if (sql[i++] == quote) {
      if (i < sql.size() && sql[i] == quote) {
        out += sql[i++];
        continue;
      }
      break;
    }
  }
  return i;
}

}  // namespace

std::string values_rows(std::size_t rows, std::size_t columns) {
  std::string one = "(";
  for (std::size_t i = 0; i < columns; ++i) one += i ? ", ?" : "?";
  one += ")";
  std::string out;
  out.reserve(rows * (one.size() + 2));
  for (std::size_t k = 0; k < rows; ++k) out += (k ? ", " : "") + one;
  return out;
}

std::string to_postgresql(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int highest = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      i = copy_quoted(sql, i, out);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t end = std::min(sql.find('\n', i), sql.size());
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (sql.compare(i, 11, "CROSS JOIN ") == 0 && (i == 0 || sql[i - 1] == ' ' || sql[i - 1] == '\n')) {
      out += "JOIN ";  // SQLite's join-order hint; PostgreSQL's CROSS JOIN takes no ON
      i += 11;
    } else if (c == '?') {
      std::size_t j = i + 1;
      int n = 0;
      while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') n = n * 10 + (sql[j++] - '0');
      if (j == i + 1) n = highest + 1;  // a bare ? is one more than the largest before it
      highest = std::max(highest, n);
      out += fmt::format("${}", n);
      i = j;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

Engine engine_of(Store& store) { return pg_connection(store) ? Engine::kPostgresql : Engine::kSqlite; }

std::unique_ptr<Store> open_snapshot_reader(Store& store) { return pg_snapshot_reader(store); }

Query::Query(Store& store, std::string_view sql) {
  if (auto* conn = pg_connection(store)) {
    engine_ = Engine::kPostgresql;
    pg_ = std::make_unique<Pg>();
    pg_->conn = conn;
    pg_->text = to_postgresql(sql);
    pg_->params.resize(static_cast<std::size_t>(parameter_count(pg_->text)));
  } else {
    engine_ = Engine::kSqlite;
    lite_ = std::make_unique<SQLite::Statement>(sqlite_database(store), std::string(sql));
  }
}

Query::~Query() = default;

void Query::bind(int i) {
  if (lite_) return lite_->bind(i);
  if (i >= 1 && static_cast<std::size_t>(i) <= pg_->params.size()) pg_->params[static_cast<std::size_t>(i - 1)].reset();
}

void Query::bind(int i, const std::string& v) {
  if (lite_) return lite_->bind(i, v);
  if (i < 1 || static_cast<std::size_t>(i) > pg_->params.size())
    throw SoquyException(Error::internal(fmt::format("parameter {} out of range in: {}", i, pg_->text)));
  pg_->params[static_cast<std::size_t>(i - 1)] = v;
}

void Query::bind_blob(int i, const std::string& bytes) {
  if (lite_) return lite_->bind(i, bytes.data(), static_cast<int>(bytes.size()));
  std::string hex = "\\x";
  hex.reserve(2 + 2 * bytes.size());
  for (unsigned char b : bytes) hex += fmt::format("{:02x}", b);
  bind(i, hex);
}

void Query::bind_int(int i, std::int64_t v) {
  if (lite_) return lite_->bind(i, static_cast<int64_t>(v));
  bind(i, std::to_string(v));
}

void Query::run_pg() {
  pg_->rows.emplace(pg_->conn->exec(pg_->text, pg_->params));
  pg_->row = -1;
}

bool Query::executeStep() {
  if (lite_) return lite_->executeStep();
  if (!pg_->rows) run_pg();
  ++pg_->row;
  return pg_->row < pg_->rows->size();
}

int Query::exec() {
  if (lite_) return lite_->exec();
  run_pg();
  return static_cast<int>(pg_->rows->affected());
}

void Query::tryReset() {
  if (lite_) {
    lite_->tryReset();
    return;
  }
  pg_->rows.reset();
  pg_->row = -1;
}

void Query::clearBindings() {
  if (lite_) return lite_->clearBindings();
  std::fill(pg_->params.begin(), pg_->params.end(), pg::Param());
}

bool Column::isNull() const {
  if (q_.lite_) return q_.lite_->getColumn(i_).isNull();
  return q_.pg_->rows->null(q_.pg_->row, i_);
}

std::int64_t Column::getInt64() const {
  if (q_.lite_) return q_.lite_->getColumn(i_).getInt64();
  const auto& rows = *q_.pg_->rows;
  if (rows.null(q_.pg_->row, i_)) return 0;
  const std::string v = rows.text(q_.pg_->row, i_);
  if (v == "t") return 1;  // a boolean expression, as SQLite reads it
  if (v == "f") return 0;
  return rows.int64(q_.pg_->row, i_);
}

int Column::getInt() const {
  const std::int64_t v = getInt64();
  if (v < INT32_MIN || v > INT32_MAX)
    throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("database holds a number out of range: {}")), v)));
  return static_cast<int>(v);
}

std::string Column::getString() const {
  if (q_.lite_) return q_.lite_->getColumn(i_).getString();
  const auto& rows = *q_.pg_->rows;
  return rows.null(q_.pg_->row, i_) ? std::string() : rows.text(q_.pg_->row, i_);
}

StatementCache::Use StatementCache::use(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) it = statements_.emplace(sql, std::make_unique<Query>(store_, sql)).first;
  it->second->tryReset();
  it->second->clearBindings();
  return Use(*it->second);
}

Date to_date(std::string_view iso) {
  auto d = Date::parse_iso(iso);
  if (!d) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("database holds a malformed date '{}'")), iso)));
  return *d;
}

std::optional<Date> opt_date(const Column& c) {
  if (c.isNull()) return std::nullopt;
  return to_date(c.getString());
}

std::optional<std::string> opt_text(const Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

std::optional<std::int64_t> opt_int(const Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

}  // namespace soquy::sql
