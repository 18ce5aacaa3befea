// `soquy copy` (soquy/copy.h): every table of one database into another, across engines. The
// tables, their columns, keys and foreign keys are read from each engine's catalog; rows travel
// as text (integers and dates are text on the way, hashes as bytes), in primary-key order, parents
// before children.
#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "soquy/copy.h"
#include "soquy/i18n.h"
#include "soquy/journal.h"
#include "sql_query.h"
#include "store.h"

namespace soquy {
namespace {

using sql::Engine;
using sql::Query;
using Value = std::optional<std::string>;
using Row = std::vector<Value>;

struct TableShape {
  std::string name;
  std::vector<std::string> columns;
  std::vector<bool> blob;          // parallel to columns: SQLite BLOB / PostgreSQL bytea
  std::vector<std::string> key;    // primary key columns, in key order
  std::set<std::string> parents;   // tables its foreign keys name (not itself)
  std::vector<std::string> self;   // columns referring to its own table (units.merged_into)
};

std::string ident(const std::string& name) { return "\"" + name + "\""; }

// The foreign keys of `table` from rows (referenced table, column): parents, or its own.
void add_references(TableShape& table, Query& f) {
  while (f.executeStep()) {
    if (f.getColumn(0).getString() == table.name)
      table.self.push_back(f.getColumn(1).getString());
    else
      table.parents.insert(f.getColumn(0).getString());
  }
}

// The tables soquy keeps rows in, with their shapes (engine-specific catalogs).
std::vector<TableShape> sqlite_tables(Store& s) {
  std::vector<TableShape> out;
  Query t(s, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  while (t.executeStep()) out.push_back({t.getColumn(0).getString(), {}, {}, {}, {}, {}});
  for (auto& table : out) {
    Query c(s, "SELECT name, upper(type), pk FROM pragma_table_info(?) ORDER BY cid");
    c.bind(1, table.name);
    std::map<int, std::string> key;
    while (c.executeStep()) {
      table.columns.push_back(c.getColumn(0).getString());
      table.blob.push_back(c.getColumn(1).getString() == "BLOB");
      if (c.getColumn(2).getInt() > 0) key[c.getColumn(2).getInt()] = c.getColumn(0).getString();
    }
    for (auto& [pos, name] : key) table.key.push_back(name);
    Query f(s, "SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?)");
    f.bind(1, table.name);
    add_references(table, f);
  }
  return out;
}

std::vector<TableShape> pg_tables(Store& s) {
  std::vector<TableShape> out;
  Query t(s, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
             "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_version' ORDER BY c.relname");
  while (t.executeStep()) out.push_back({t.getColumn(0).getString(), {}, {}, {}, {}, {}});
  for (auto& table : out) {
    const std::string rel = "public." + ident(table.name);
    Query c(s, "SELECT a.attname, a.atttypid = 'bytea'::regtype, coalesce(array_position(i.indkey::int2[], a.attnum), 0) "
               "FROM pg_attribute a LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary "
               "WHERE a.attrelid = CAST(? AS regclass) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum");
    c.bind(1, rel);
    std::map<int, std::string> key;
    while (c.executeStep()) {
      table.columns.push_back(c.getColumn(0).getString());
      table.blob.push_back(c.getColumn(1).getInt64() != 0);
      if (c.getColumn(2).getInt() > 0) key[c.getColumn(2).getInt()] = c.getColumn(0).getString();
    }
    for (auto& [pos, name] : key) table.key.push_back(name);
    Query f(s, "SELECT r.relname, a.attname FROM pg_constraint k JOIN pg_class r ON r.oid = k.confrelid "
               "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
               "WHERE k.conrelid = CAST(? AS regclass) AND k.contype = 'f'");
    f.bind(1, rel);
    add_references(table, f);
  }
  return out;
}

// The shapes in an order where every table comes after the tables it refers to (names break ties).
std::vector<TableShape> parents_first(std::vector<TableShape> tables) {
  std::vector<TableShape> out;
  std::set<std::string> placed;
  while (!tables.empty()) {
    auto ready = std::find_if(tables.begin(), tables.end(), [&](const TableShape& t) {
      return std::all_of(t.parents.begin(), t.parents.end(), [&](const std::string& p) { return placed.count(p) > 0; });
    });
    if (ready == tables.end())
      throw SoquyException(Error::internal(fmt::format("copy: the foreign keys of {} form a cycle", tables[0].name)));
    placed.insert(ready->name);
    out.push_back(std::move(*ready));
    tables.erase(ready);
  }
  return out;
}

std::vector<TableShape> tables_of(Store& s) {
  auto tables = sql::engine_of(s) == Engine::kSqlite ? sqlite_tables(s) : pg_tables(s);
  // schema_version is each engine's own; change_log is each database's own history (the copy's
  // rows are logged on the destination as they are written).
  std::erase_if(tables, [](const TableShape& t) { return t.name == "schema_version" || t.name == "change_log"; });
  return parents_first(std::move(tables));
}

std::string hex_to_bytes(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

// SELECT of a table's rows in key order; bytes read as lowercase hex.
std::string select_sql(const TableShape& t, Engine engine) {
  std::string cols, key;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const std::string c = ident(t.columns[i]);
    cols += (i ? ", " : "") + (!t.blob[i] ? c : engine == Engine::kSqlite ? "lower(hex(" + c + "))" : "encode(" + c + ", 'hex')");
  }
  for (const auto& k : t.key) key += (key.empty() ? "" : ", ") + ident(k);
  return fmt::format("SELECT {} FROM {} ORDER BY {}", cols, ident(t.name), key.empty() ? cols : key);
}

Row read_row(Query& q, std::size_t n) {
  Row r(n);
  for (std::size_t i = 0; i < n; ++i)
    if (!q.getColumn(static_cast<int>(i)).isNull()) r[i] = q.getColumn(static_cast<int>(i)).getString();
  return r;
}

std::string key_of(const TableShape& t, const Row& r) {
  std::string k;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (!t.key.empty() && std::find(t.key.begin(), t.key.end(), t.columns[i]) == t.key.end()) continue;
    k += r[i].value_or("\x1e") + '\x1f';
  }
  return k;
}

std::string shown_key(const TableShape& t, const Row& r) {
  std::string k = key_of(t, r);
  std::replace(k.begin(), k.end(), '\x1f', '/');
  if (!k.empty()) k.pop_back();
  return k;
}

// A table's new rows, written many to a statement (INSERT … VALUES (…), (…), …): on a server
// the journal's checks run once per statement (schema 18), and each statement is a round trip.
// Up to 500 rows, and fewer for a wide table, under SQLite's 32,766 parameters. Rows are written
// in the order added; a statement's rows see each other's foreign keys as one statement does.
class RowBatch {
 public:
  RowBatch(Store& to, const TableShape& t)
      : to_(to), t_(t), per_statement_(std::clamp<std::size_t>(30'000 / std::max<std::size_t>(t.columns.size(), 1), 1, 500)) {}

  void add(Row r) {
    rows_.push_back(std::move(r));
    if (rows_.size() == per_statement_) flush();
  }

  // Writes the rows added since the last flush.
  void flush() {
    if (rows_.empty()) return;
    if (rows_.size() == per_statement_) {
      if (!full_) full_.emplace(to_, insert_sql(rows_.size()));
      write(*full_);
    } else {
      Query part(to_, insert_sql(rows_.size()));
      write(part);
    }
    rows_.clear();
  }

 private:
  std::string insert_sql(std::size_t rows) const {
    std::string cols;
    for (std::size_t i = 0; i < t_.columns.size(); ++i) cols += (i ? ", " : "") + ident(t_.columns[i]);
    return fmt::format("INSERT INTO {} ({}) VALUES {}", ident(t_.name), cols, sql::values_rows(rows, t_.columns.size()));
  }

  void write(Query& ins) {
    ins.tryReset();
    ins.clearBindings();  // every parameter NULL until bound
    int at = 0;
    for (const Row& r : rows_)
      for (std::size_t i = 0; i < r.size(); ++i) {
        ++at;
        if (!r[i]) continue;
        if (t_.blob[i]) ins.bind_blob(at, hex_to_bytes(*r[i]));
        else ins.bind(at, *r[i]);
      }
    ins.exec();
  }

  Store& to_;
  const TableShape& t_;
  std::size_t per_statement_;
  std::vector<Row> rows_;
  std::optional<Query> full_;  // the statement of a whole batch, prepared once
};

// One copy: the source read in one snapshot, the destination written in one transaction.
class Copier {
 public:
  Copier(Store& from, Store& to) : from_(from), to_(to), from_engine_(sql::engine_of(from)), to_engine_(sql::engine_of(to)) {}

  CopyReport run() {
    const auto tables = tables_of(from_);
    check_shapes(tables);
    auto tx = to_.begin_bulk_write();
    CopyReport report;
    for (const auto& t : tables) report.tables.push_back(copy_table(t));
    if (to_engine_ == Engine::kPostgresql) advance_identities();
    if (auto ok = tx->commit(); !ok) throw SoquyException(ok.error());
    return report;
  }

 private:
  // The destination must have the source's tables and columns (both are opened by this program,
  // so both are at its schema version; a difference means a database soquy did not make).
  void check_shapes(const std::vector<TableShape>& tables) {
    std::map<std::string, std::vector<std::string>> there;
    for (auto& t : tables_of(to_)) there[t.name] = t.columns;
    for (const auto& t : tables) {
      auto it = there.find(t.name);
      if (it == there.end() || it->second != t.columns)
        throw SoquyException(Error::io(fmt::format(
            fmt::runtime(tr("copy: table {} is not the same in the two databases (not a database soquy made?)")),
            t.name)));
    }
  }

  std::unordered_map<std::string, Row> rows_there(const TableShape& t) {
    std::unordered_map<std::string, Row> there;
    Query d(to_, select_sql(t, to_engine_));
    while (d.executeStep()) {
      Row r = read_row(d, t.columns.size());
      there.emplace(key_of(t, r), std::move(r));
    }
    return there;
  }

  CopiedTable copy_table(const TableShape& t) {
    CopiedTable out{t.name, 0, 0};
    auto there = rows_there(t);
    RowBatch batch(to_, t);
    Query src(from_, select_sql(t, from_engine_));
    std::vector<std::pair<std::string, std::pair<std::size_t, std::string>>> later;  // (id, (column, value))
    while (src.executeStep()) {
      Row r = read_row(src, t.columns.size());
      if (auto it = there.find(key_of(t, r)); it != there.end()) {
        if (it->second != r && t.name != "account_balances")
          throw differs(t, r, tr("the destination holds a different row"));
        if (it->second != r) {  // derived from the postings: it follows them (a day's later posts)
          update(t, r);
          ++out.copied;
        } else {
          ++out.present;
        }
        there.erase(it);
        continue;
      }
      ++out.copied;
      if (t.name != "users") {
        batch.add(without_forward_references(t, std::move(r), later));
        continue;
      }
      batch.add(without_forward_references(t, r, later));
      batch.flush();  // a user's row, then her login, as one at a time
      add_login(t, r);
    }
    batch.flush();
    if (!there.empty()) throw differs(t, there.begin()->second, tr("the destination holds a row the source has not"));
    for (const auto& [id, col] : later) {
      Query u(to_, fmt::format("UPDATE {} SET {} = ? WHERE id = ?", ident(t.name), ident(t.columns[col.first])));
      u.bind(1, col.second);
      u.bind(2, id);
      u.exec();
    }
    return out;
  }

  // A value that refers to a later row of the same table (a unit merged into a newer one) waits
  // for that row on a server, whose foreign keys are checked at once; SQLite's are off here. The
  // row is written with NULL there, and the value set once the table is in (`later`).
  Row without_forward_references(const TableShape& t, Row r,
                                 std::vector<std::pair<std::string, std::pair<std::size_t, std::string>>>& later) {
    if (to_engine_ != Engine::kPostgresql || t.self.empty() || t.key != std::vector<std::string>{"id"}) return r;
    const auto id_at = static_cast<std::size_t>(std::find(t.columns.begin(), t.columns.end(), "id") - t.columns.begin());
    if (id_at >= r.size() || !r[id_at]) return r;
    for (std::size_t i = 0; i < r.size(); ++i) {
      const bool self = std::find(t.self.begin(), t.self.end(), t.columns[i]) != t.self.end();
      if (!self || !r[i] || std::stoll(*r[i]) < std::stoll(*r[id_at])) continue;
      later.push_back({*r[id_at], {i, *r[i]}});
      r[i].reset();
    }
    return r;
  }

  // Sets the row of `r`'s key to `r`.
  void update(const TableShape& t, const Row& r) {
    std::string set, where;
    std::vector<std::size_t> order;
    for (int pass = 0; pass < 2; ++pass)
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const bool key = std::find(t.key.begin(), t.key.end(), t.columns[i]) != t.key.end();
        if (key != (pass == 1)) continue;
        std::string& part = key ? where : set;
        part += (part.empty() ? "" : key ? " AND " : ", ") + ident(t.columns[i]) + " = ?";
        order.push_back(i);
      }
    Query u(to_, fmt::format("UPDATE {} SET {} WHERE {}", ident(t.name), set, where));
    for (std::size_t k = 0; k < order.size(); ++k) {
      const auto& v = r[order[k]];
      if (!v) u.bind(static_cast<int>(k + 1));
      else if (t.blob[order[k]]) u.bind_blob(static_cast<int>(k + 1), hex_to_bytes(*v));
      else u.bind(static_cast<int>(k + 1), *v);
    }
    u.exec();
  }

  // On a server each user is a login of its soquy role.
  void add_login(const TableShape& t, const Row& r) {
    std::string name, role;
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      if (t.columns[i] == "name") name = r[i].value_or("");
      if (t.columns[i] == "role") role = r[i].value_or("");
    }
    auto parsed = parse_role(role);
    if (!parsed) throw SoquyException(parsed.error());
    to_.add_login(name, *parsed);
  }

  // A server's identity columns go on after the copied ids.
  void advance_identities() {
    Query q(to_, "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                 "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND a.attidentity <> ''");
    std::vector<std::pair<std::string, std::string>> cols;
    while (q.executeStep()) cols.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString());
    for (const auto& [table, col] : cols) {
      Query s(to_, fmt::format("SELECT setval(pg_get_serial_sequence(?, ?), m) FROM (SELECT max({}) AS m FROM {}) x "
                               "WHERE m IS NOT NULL",
                               ident(col), ident(table)));
      s.bind(1, "public." + ident(table));
      s.bind(2, col);
      while (s.executeStep()) {
      }
    }
  }

  static SoquyException differs(const TableShape& t, const Row& r, const std::string& what) {
    return SoquyException(
        Error::bad_input(fmt::format(fmt::runtime(tr("table {}, row {}: {}; nothing was copied (copy into an empty "
                                                     "database, or into an earlier copy of the same source)")),
                                     t.name, shown_key(t, r), what))
            .in_field("to"));
  }

  Store& from_;
  Store& to_;
  Engine from_engine_, to_engine_;
};

Result<std::unique_ptr<Store>> open_destination(const std::string& to, bool& created) {
  namespace fs = std::filesystem;
  created = false;
  if (is_server_uri(to)) {
    auto made = open_pg_store(to, StoreMode::kCreate);
    if (made || made.error().kind() != ErrorKind::kCantCreate) return made;
    return open_pg_store(to, StoreMode::kWrite);
  }
  std::error_code ec;
  if (fs::exists(to, ec) && fs::file_size(to, ec) > 0) return open_sqlite_store(to, StoreMode::kWrite);
  created = true;
  return open_sqlite_store(to, StoreMode::kCreate);
}

void remove_file(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
}

}  // namespace

std::string shown_database(std::string db) {
  if (!is_server_uri(db)) return db;
  const auto start = db.find("://") + 3;
  const auto at = db.find('@', start);
  const auto slash = db.find('/', start);
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
    const auto colon = db.find(':', start);
    if (colon != std::string::npos && colon < at) db.erase(colon, at - colon);
  }
  for (auto p = db.find("password="); p != std::string::npos; p = db.find("password=", p + 1)) {
    const auto end = db.find('&', p);
    db.replace(p, (end == std::string::npos ? db.size() : end) - p, "password=…");
  }
  return db;
}

std::int64_t CopyReport::copied() const {
  std::int64_t n = 0;
  for (const auto& t : tables) n += t.copied;
  return n;
}

std::int64_t CopyReport::present() const {
  std::int64_t n = 0;
  for (const auto& t : tables) n += t.present;
  return n;
}

Result<CopyReport> copy_database(const std::string& from, const std::string& to, const std::string& actor) {
  if (from == to) return fail(Error::usage(tr("is the database to copy from")).of_field("to"));
  // A read-only store reads one snapshot (SQLite and PostgreSQL alike).
  auto source = is_server_uri(from) ? open_pg_store(from, StoreMode::kReadOnly)
                                    : open_sqlite_store(from, StoreMode::kReadOnly);
  if (!source) return fail(source.error().in_field("from"));
  bool created = false;
  auto dest = open_destination(to, created);
  if (!dest) return fail(dest.error().in_field("to"));
  try {
    if (!is_server_uri(to)) (*dest)->set_actor(actor);  // a server logs its login
    CopyReport report = Copier(**source, **dest).run();
    return report;
  } catch (const SoquyException& e) {
    dest->reset();
    if (created) remove_file(to);
    return fail(e.error());
  } catch (...) {
    dest->reset();
    if (created) remove_file(to);
    throw;
  }
}

}  // namespace soquy
