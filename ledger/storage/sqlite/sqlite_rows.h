// The row helpers of every SQLite file of the library (the journal's store and each domain's
// storage/sqlite_*.cc): stored dates, columns that may be NULL, optional bindings. The tables
// hold only what these wrote, so a malformed stored value is an I/O error (a damaged database),
// never bad input.
#pragma once

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/i18n.h"
#include "sqlite_raw.h"

namespace soquy::sqlite_rows {

// A stored YYYY-MM-DD.
inline Date to_date(std::string_view iso) {
  auto d = Date::parse_iso(iso);
  if (!d) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("database holds a malformed date '{}'")), iso)));
  return *d;
}

inline std::optional<Date> opt_date(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return to_date(c.getString());
}

inline std::optional<std::string> opt_text(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

inline std::optional<std::int64_t> opt_int(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

// "" for NULL: columns where "none" and "" mean the same (a national id not given).
inline std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }

// Binds the value, or NULL for nullopt; a Date as YYYY-MM-DD, a whole number as a 64-bit integer.
template <class T>
void bind_opt(SQLite::Statement& q, int i, const std::optional<T>& v) {
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
inline void bind_text_or_null(SQLite::Statement& q, int i, const std::string& v) {
  if (v.empty())
    q.bind(i);
  else
    q.bind(i, v);
}

// Column `i` of a raw statement's current row as a stored date.
inline Date date_of(sqlite3_stmt* q, int i) { return to_date(sqlite_raw::text_of(q, i)); }

}  // namespace soquy::sqlite_rows
