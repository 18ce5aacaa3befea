// The raw baseline of `soquy balance --book B --as-of D` as a whole process (tests/bench/
// pg_bench.sh, part 2): a program that does only the read, through the engine's own C library and
// nothing else. It opens the database, reads each account of book B with its balance as of D
// (the latest account_balances row on or before D, else 0) in one statement, prints them and
// exits. What it costs is the floor any client of that engine pays on this machine: its start-up
// (the libraries it loads), the connection and one statement. Built twice: with SOQUY_RAW_PQ
// (libpq only: the server) and without (SQLite's C API only: a file).
//
//   soquy_raw_balance_pq URI BOOK DATE        soquy_raw_balance_sqlite FILE BOOK DATE
#include <cstdio>

#ifdef SOQUY_RAW_PQ
#include <libpq-fe.h>
#else
#include <sqlite3.h>
#endif

namespace {

constexpr const char* kBalances =
    "SELECT a.code, coalesce((SELECT b.balance FROM account_balances b WHERE b.account_id = a.id "
    "AND b.date <= $2 ORDER BY b.date DESC LIMIT 1), 0) FROM accounts a JOIN books k ON k.id = a.book_id "
    "WHERE k.code = $1 ORDER BY a.code";

#ifdef SOQUY_RAW_PQ
int run(const char* uri, const char* book, const char* date) {
  PGconn* conn = PQconnectdb(uri);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::fprintf(stderr, "raw_balance: %s", PQerrorMessage(conn));
    return 74;
  }
  const char* params[] = {book, date};
  PGresult* r = PQexecParams(conn, kBalances, 2, nullptr, params, nullptr, nullptr, 0);
  const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
  if (!ok) std::fprintf(stderr, "raw_balance: %s", PQerrorMessage(conn));
  for (int i = 0; ok && i < PQntuples(r); ++i) std::printf("%s %s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
  PQclear(r);
  PQfinish(conn);
  return ok ? 0 : 74;
}
#else
int run(const char* file, const char* book, const char* date) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "raw_balance: %s\n", sqlite3_errmsg(db));
    return 74;
  }
  sqlite3_stmt* q = nullptr;
  int rc = sqlite3_prepare_v2(db, kBalances, -1, &q, nullptr);
  if (rc == SQLITE_OK) {
    // $2 comes first in the text: SQLite numbers named parameters in the order they appear.
    sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, "$1"), book, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, "$2"), date, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
      std::printf("%s %lld\n", reinterpret_cast<const char*>(sqlite3_column_text(q, 0)),
                  static_cast<long long>(sqlite3_column_int64(q, 1)));
  }
  const bool ok = rc == SQLITE_DONE;
  if (!ok) std::fprintf(stderr, "raw_balance: %s\n", sqlite3_errmsg(db));
  sqlite3_finalize(q);
  sqlite3_close(db);
  return ok ? 0 : 74;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DB BOOK DATE\n", argv[0]);
    return 2;
  }
  return run(argv[1], argv[2], argv[3]);
}
