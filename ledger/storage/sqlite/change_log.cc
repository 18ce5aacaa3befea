// The change log's triggers, its chain function and its replay (change_log.h).
#include "change_log.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string_view>
#include <unordered_map>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "soquy/clock.h"
#include "soquy/sha256.h"
#include "sqlite_raw.h"

namespace soquy::change_log {
namespace {

struct Column {
  std::string name;
  int pk = 0;  // position in the primary key, 0 if not part of it
};

// Tables that are not logged: the journal keeps its own chain, account_balances is derived
// from the postings (check recomputes it), and the log does not log itself.
constexpr std::string_view kNotLogged[] = {"entries", "postings", "account_balances", "change_log"};

std::string sql_name(std::string_view name) { return fmt::format("\"{}\"", name); }

std::vector<Column> columns_of(SQLite::Database& db, const std::string& table) {
  std::vector<Column> out;
  SQLite::Statement q(db, fmt::format("PRAGMA table_info({})", sql_name(table)));
  while (q.executeStep()) out.push_back({q.getColumn(1).getString(), q.getColumn(5).getInt()});
  return out;
}

// The record's key as text: its primary key (parts joined by '/'), else its rowid. `row` is
// "NEW.", "OLD." or "" (the table itself).
std::string key_expr(const std::vector<Column>& cols, std::string_view row) {
  std::vector<const Column*> pk;
  for (const auto& c : cols)
    if (c.pk > 0) pk.push_back(&c);
  std::sort(pk.begin(), pk.end(), [](const Column* a, const Column* b) { return a->pk < b->pk; });
  if (pk.empty()) return fmt::format("CAST({}rowid AS TEXT)", row);
  std::string out;
  for (const auto* c : pk) {
    if (!out.empty()) out += " || '/' || ";
    out += fmt::format("CAST({}{} AS TEXT)", row, sql_name(c->name));
  }
  return out;
}

std::string content_expr(const std::vector<Column>& cols, std::string_view row) {
  std::string out = "json_object(";
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (i) out += ", ";
    out += fmt::format("'{}', {}{}", cols[i].name, row, sql_name(cols[i].name));
  }
  return out + ")";
}

// One change row, chained to the newest row of the log.
std::string log_statement(const std::string& table, std::string_view action, const std::string& key,
                          const std::string& content) {
  return fmt::format(
      "  INSERT INTO change_log (recorded_at, user, tbl, record, action, content, hash)\n"
      "  SELECT n, u, '{0}', k, '{1}', c, soquy_change_hash(p, n, u, '{0}', k, '{1}', c) FROM (\n"
      "    SELECT soquy_now() AS n, soquy_actor() AS u, {2} AS k, {3} AS c,\n"
      "           (SELECT hash FROM change_log ORDER BY seq DESC LIMIT 1) AS p);\n",
      table, action, key, content);
}

enum class Kind { kInsert, kUpdate, kRekey, kDelete };
constexpr Kind kKinds[] = {Kind::kInsert, Kind::kUpdate, Kind::kRekey, Kind::kDelete};

std::string trigger_name(const std::string& table, Kind kind) {
  static constexpr std::string_view kSuffix[] = {"insert", "update", "rekey", "delete"};
  return fmt::format("log_{}_{}", table, kSuffix[static_cast<int>(kind)]);
}

// The CREATE TRIGGER text of one trigger (also what `check` expects to find in sqlite_schema).
std::string trigger_sql(const std::string& table, const std::vector<Column>& cols, Kind kind) {
  const std::string name = trigger_name(table, kind);
  switch (kind) {
    case Kind::kInsert:
      return fmt::format("CREATE TRIGGER {} AFTER INSERT ON {}\nBEGIN\n{}END", name, sql_name(table),
                         log_statement(table, "insert", key_expr(cols, "NEW."), content_expr(cols, "NEW.")));
    case Kind::kUpdate:
      return fmt::format("CREATE TRIGGER {} AFTER UPDATE ON {}\nBEGIN\n{}END", name, sql_name(table),
                         log_statement(table, "update", key_expr(cols, "NEW."), content_expr(cols, "NEW.")));
    case Kind::kRekey:  // an update that changed the key also ends the record under its old key
      return fmt::format("CREATE TRIGGER {} AFTER UPDATE ON {} WHEN {} IS NOT {}\nBEGIN\n{}END", name, sql_name(table),
                         key_expr(cols, "OLD."), key_expr(cols, "NEW."),
                         log_statement(table, "delete", key_expr(cols, "OLD."), "NULL"));
    case Kind::kDelete:
      return fmt::format("CREATE TRIGGER {} AFTER DELETE ON {}\nBEGIN\n{}END", name, sql_name(table),
                         log_statement(table, "delete", key_expr(cols, "OLD."), "NULL"));
  }
  return {};
}

std::optional<std::string> stored_trigger(SQLite::Database& db, const std::string& name) {
  SQLite::Statement q(db, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?");
  q.bind(1, name);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

std::string text_arg(sqlite3_value* v) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_value_bytes(v))) : std::string();
}

void sql_now(sqlite3_context* ctx, int, sqlite3_value**) {
  const std::string now = now_timestamp();
  sqlite3_result_text(ctx, now.c_str(), static_cast<int>(now.size()), SQLITE_TRANSIENT);
}

void sql_actor(sqlite3_context* ctx, int, sqlite3_value**) {
  const auto* actor = static_cast<const std::string*>(sqlite3_user_data(ctx));
  sqlite3_result_text(ctx, actor->c_str(), static_cast<int>(actor->size()), SQLITE_TRANSIENT);
}

void sql_change_hash(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 7) return sqlite3_result_error(ctx, "soquy_change_hash takes 7 arguments", -1);
  std::string content;
  const bool has_content = sqlite3_value_type(argv[6]) != SQLITE_NULL;
  if (has_content) content = text_arg(argv[6]);
  const std::string h = link(text_arg(argv[0]), text_arg(argv[1]), text_arg(argv[2]), text_arg(argv[3]),
                             text_arg(argv[4]), text_arg(argv[5]), has_content ? &content : nullptr);
  sqlite3_result_text(ctx, h.c_str(), static_cast<int>(h.size()), SQLITE_TRANSIENT);
}

// One `baseline` row per record of `table`, chained in the record order of the table.
void write_baseline(SQLite::Database& db, const std::string& table, const std::vector<Column>& cols) {
  std::string prev;
  {
    SQLite::Statement tip(db, "SELECT hash FROM change_log ORDER BY seq DESC LIMIT 1");
    if (tip.executeStep()) prev = tip.getColumn(0).getString();
  }
  SQLite::Statement rows(db, fmt::format("SELECT {}, {} FROM {}", key_expr(cols, ""), content_expr(cols, ""),
                                         sql_name(table)));
  SQLite::Statement ins(db,
                        "INSERT INTO change_log (recorded_at, user, tbl, record, action, content, hash) "
                        "VALUES (?, 'schema-upgrade', ?, ?, 'baseline', ?, ?)");
  const std::string now = now_timestamp();
  while (rows.executeStep()) {
    const std::string key = rows.getColumn(0).getString();
    const std::string content = rows.getColumn(1).getString();
    prev = link(prev, now, "schema-upgrade", table, key, "baseline", &content);
    ins.reset();
    ins.bind(1, now);
    ins.bind(2, table);
    ins.bind(3, key);
    ins.bind(4, content);
    ins.bind(5, prev);
    ins.exec();
  }
}

}  // namespace

std::vector<std::string> logged_tables(SQLite::Database& db) {
  std::vector<std::string> out;
  SQLite::Statement q(db,
                      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  while (q.executeStep()) {
    std::string name = q.getColumn(0).getString();
    if (std::find(std::begin(kNotLogged), std::end(kNotLogged), name) == std::end(kNotLogged))
      out.push_back(std::move(name));
  }
  return out;
}

std::string link(std::string_view prev, std::string_view recorded_at, std::string_view user, std::string_view table,
                 std::string_view record, std::string_view action, const std::string* content) {
  std::string bytes;
  for (std::string_view f : {prev, recorded_at, user, table, record, action}) bytes += fmt::format("{}:{};", f.size(), f);
  bytes += content ? fmt::format("{}:{};", content->size(), *content) : std::string("null;");
  return sha256_hex(bytes);
}

std::vector<std::pair<std::string, std::string>> expected_triggers(SQLite::Database& db, const std::string& table) {
  const auto cols = columns_of(db, table);
  std::vector<std::pair<std::string, std::string>> out;
  for (Kind kind : kKinds) out.emplace_back(trigger_name(table, kind), trigger_sql(table, cols, kind));
  return out;
}

std::string select_records_sql(SQLite::Database& db, const std::string& table) {
  const auto cols = columns_of(db, table);
  return fmt::format("SELECT {}, {} FROM {}", key_expr(cols, ""), content_expr(cols, ""), sql_name(table));
}

void register_functions(sqlite3* db, const std::string* actor) {
  const int flags = SQLITE_UTF8;
  int rc = sqlite3_create_function_v2(db, "soquy_now", 0, flags, nullptr, sql_now, nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2(db, "soquy_actor", 0, flags, const_cast<std::string*>(actor), sql_actor, nullptr,
                                    nullptr, nullptr);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2(db, "soquy_change_hash", 7, flags | SQLITE_DETERMINISTIC, nullptr,
                                    sql_change_hash, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) sqlite_raw::fail(db, "cannot register the change log's SQL functions");
}

void install(SQLite::Database& db, bool baseline) {
  for (const auto& table : logged_tables(db)) {
    const auto cols = columns_of(db, table);
    bool changed = false;
    for (Kind kind : kKinds) {
      const std::string name = trigger_name(table, kind);
      const std::string sql = trigger_sql(table, cols, kind);
      if (stored_trigger(db, name) == sql) continue;
      changed = true;
      db.exec(fmt::format("DROP TRIGGER IF EXISTS {}", name));
      db.exec(sql);
    }
    if (changed && baseline) write_baseline(db, table, cols);
  }
}

}  // namespace soquy::change_log
