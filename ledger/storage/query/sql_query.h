// One statement of a domain store, on whichever engine holds the journal (issue 14). The domain
// stores (ledger/domains/*/storage/, ledger/audit/storage/) write their SQL once, in the dialect
// SQLite 3.40 and PostgreSQL 15 share, and run it through sql::Query on the journal's own
// connection, so domain rows join the Ledger's transactions on both engines.
//
// The API is SQLiteCpp's Statement, narrowed to what the stores use: bind, executeStep, exec,
// getColumn. On SQLite it is a SQLite::Statement; on PostgreSQL the same text with `?`/`?N`
// turned into `$N`, run with text parameters through pg::Connection.
//
// What the shared dialect asks of the SQL (schemas/postgresql/README.md, "Porting map"):
//   - a new row's id from `INSERT … RETURNING id` (executeStep, getColumn(0)), never a rowid;
//   - `ON CONFLICT … DO NOTHING` / `DO UPDATE SET x = excluded.x`, never INSERT OR IGNORE/REPLACE;
//   - a parameter whose type PostgreSQL cannot infer is cast: `CAST(? AS TEXT) IS NULL`,
//     `length(CAST(? AS TEXT))`;
//   - every selected column that is not aggregated is in GROUP BY; ORDER BY names NULLS FIRST or
//     LAST where NULLs can be sorted (the engines differ); text sorts bytewise (the database's
//     collation must be C, docs/server.md).
// A boolean column reads as 1 or 0 on both engines; sum() of integers reads as a whole number.
#pragma once

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>

#include "soquy/civil_date.h"

namespace SQLite {
class Statement;
}
namespace soquy::pg {
class Rows;
}

namespace soquy {
class Store;
}

namespace soquy::sql {

enum class Engine { kSqlite, kPostgresql };

// The engine under `store`.
Engine engine_of(Store& store);

// For a read split over threads on a server: a store on a new connection, as the same login,
// whose read-only transaction sees exactly what `store`'s open read-only transaction sees (its
// snapshot, exported with pg_export_snapshot). nullptr when `store` is not a server's or holds
// no read-only transaction (a writer's uncommitted rows cannot be shared). Each store is used by
// one thread at a time; SQLite's readers open the file instead.
std::unique_ptr<Store> open_snapshot_reader(Store& store);

class Query;

// Column `i` of the query's current row (valid until the next step).
class Column {
 public:
  bool isNull() const;
  std::int64_t getInt64() const;
  int getInt() const;
  std::string getString() const;  // "" for NULL

 private:
  friend class Query;
  Column(const Query& q, int i) : q_(q), i_(i) {}
  const Query& q_;
  int i_;
};

class Query {
 public:
  // Prepares `sql` on the store's connection. On PostgreSQL nothing is sent before the first step.
  Query(Store& store, std::string_view sql);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  void bind(int i);  // NULL
  void bind(int i, const std::string& v);
  void bind(int i, std::string_view v) { bind(i, std::string(v)); }
  void bind(int i, const char* v) { bind(i, std::string(v)); }
  template <std::integral T>
  void bind(int i, T v) {
    bind_int(i, static_cast<std::int64_t>(v));
  }

  // Raw bytes: a SQLite BLOB, a PostgreSQL bytea (write `?` as it is; the value goes as \x hex).
  void bind_blob(int i, const std::string& bytes);

  // The next row: false when there is none (the statement has run to its end).
  bool executeStep();
  // Runs a statement that returns no rows; the number of rows it changed.
  int exec();
  Column getColumn(int i) const { return Column(*this, i); }
  // Ready to run again, bindings kept.
  void tryReset();
  void clearBindings();

  Engine engine() const { return engine_; }

 private:
  friend class Column;
  void bind_int(int i, std::int64_t v);
  void run_pg();

  Engine engine_;
  std::unique_ptr<SQLite::Statement> lite_;
  // PostgreSQL: the rewritten text, its parameters, and the result being walked.
  struct Pg;
  std::unique_ptr<Pg> pg_;
};

// Statements kept for a domain store's lifetime, by their SQL text (issue 16, bulk imports): on
// SQLite a prepared statement is reused (preparing an INSERT also compiles its table's change-log
// triggers); on PostgreSQL the Query is reused. A statement is handed out reset with no bindings,
// and reset again when its Use ends. Not re-entrant: finish with a statement before calling code
// that may take the same SQL. Destroy the cache before the store's connection closes.
class StatementCache {
 public:
  class Use {
   public:
    explicit Use(Query& q) : q_(q) {}
    ~Use() { q_.tryReset(); }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    Query& operator*() { return q_; }
    Query* operator->() { return &q_; }

   private:
    Query& q_;
  };

  explicit StatementCache(Store& store) : store_(store) {}
  Use use(const std::string& sql);

 private:
  Store& store_;
  std::unordered_map<std::string, std::unique_ptr<Query>> statements_;
};

// --- row helpers (the stored values are only what soquy wrote: a malformed one is an I/O error)

// A stored YYYY-MM-DD.
Date to_date(std::string_view iso);
std::optional<Date> opt_date(const Column& c);
std::optional<std::string> opt_text(const Column& c);
std::optional<std::int64_t> opt_int(const Column& c);
// "" for NULL: columns where "none" and "" mean the same (a national id not given).
inline std::string text_or_empty(const Column& c) { return c.getString(); }

// Binds the value, or NULL for nullopt; a Date as YYYY-MM-DD, a whole number as a 64-bit integer.
template <class T>
void bind_opt(Query& q, int i, const std::optional<T>& v) {
  if (!v) {
    q.bind(i);
  } else if constexpr (std::is_same_v<T, Date>) {
    q.bind(i, v->to_iso());
  } else if constexpr (std::is_integral_v<T>) {
    q.bind(i, static_cast<std::int64_t>(*v));
  } else {
    q.bind(i, *v);
  }
}

// NULL for "", the other side of text_or_empty.
inline void bind_text_or_null(Query& q, int i, const std::string& v) {
  if (v.empty())
    q.bind(i);
  else
    q.bind(i, v);
}

// The VALUES of a multi-row INSERT: `rows` groups of `columns` parameters, "(?, ?), (?, ?)".
std::string values_rows(std::size_t rows, std::size_t columns);

// `sql` as PostgreSQL takes it: SQLite's `?` and `?N` parameters as `$N`, and `CROSS JOIN t ON …`
// (SQLite's inner join whose order the planner keeps) as `JOIN t ON …`; quotes and comments are
// left as they are. Every CROSS JOIN of the stores has an ON clause.
std::string to_postgresql(std::string_view sql);

}  // namespace soquy::sql
