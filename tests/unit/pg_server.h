// The throwaway test server seen from a unit test (SOQUY_TEST_PG_URI, a superuser's URI on a
// cluster of scripts/pg-cluster.sh): its URI, another database's or login's URI on it, and SQL
// run as the superuser. Shared by test_db.h (the unit tests on both engines) and
// pg_store_test.cc (the store's own tests on the server).
#pragma once

#include <libpq-fe.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace soquy::test_support {

namespace server {

inline std::string superuser_uri() {
  const char* uri = std::getenv("SOQUY_TEST_PG_URI");
  if (!uri || !*uri) throw std::runtime_error("SOQUY_UNIT_ENGINE=postgresql needs SOQUY_TEST_PG_URI");
  return uri;
}

// `uri` with its database replaced by `db` and, unless empty, its login by `login` (the query
// string, e.g. ?host=, is kept).
inline std::string uri_for(const std::string& uri, const std::string& db, const std::string& login = "") {
  const auto query = uri.find('?');
  std::string base = uri.substr(0, query);
  base = base.substr(0, base.rfind('/') + 1) + db;
  if (!login.empty()) {
    const auto scheme = base.find("://") + 3;
    const auto at = base.find('@', scheme);
    base = base.substr(0, scheme) + login + (at == std::string::npos ? "@" + base.substr(scheme) : base.substr(at));
  }
  return query == std::string::npos ? base : base + uri.substr(query);
}

// Rows of `sql` run as the superuser on `uri` (row-level security does not apply), each row's
// columns joined by '|' (NULL as "NULL"). Throws with the server's message on an error.
inline std::vector<std::string> rows(const std::string& uri, const std::string& sql) {
  PGconn* c = PQconnectdb(uri.c_str());
  std::string error;
  std::vector<std::string> out;
  if (PQstatus(c) != CONNECTION_OK) {
    error = PQerrorMessage(c);
  } else {
    PGresult* r = PQexec(c, sql.c_str());
    const auto s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) error = PQresultErrorMessage(r);
    for (int i = 0; error.empty() && i < PQntuples(r); ++i) {
      std::string row;
      for (int j = 0; j < PQnfields(r); ++j)
        row += (j ? "|" : "") + std::string(PQgetisnull(r, i, j) ? "NULL" : PQgetvalue(r, i, j));
      out.push_back(row);
    }
    PQclear(r);
  }
  PQfinish(c);
  if (!error.empty()) throw std::runtime_error(sql + ": " + error);
  return out;
}

// CREATE ROLE unless it is there (logins are cluster-wide: parallel tests race to make them).
inline std::string role_sql(const std::string& name, const std::string& options) {
  return "DO $$ BEGIN CREATE ROLE \"" + name + "\" " + options +
         "; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;";
}

// Roles are cluster-wide, and two sessions that ALTER the same role at once fail ("tuple
// concurrently updated"). The unit tests and the golden runner (tests/pg/golden_pg.sh) make and
// alter the logins they share under this advisory lock, and alter a role only when it needs it.
inline constexpr int kRoleSetupLock = 7315;

// `name` a login with CREATEROLE: made so, or altered only when it lacks either.
inline std::string owner_login_sql(const std::string& name) {
  return role_sql(name, "LOGIN CREATEROLE") +
         "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + name +
         "' AND rolcanlogin AND rolcreaterole) THEN ALTER ROLE \"" + name +
         "\" LOGIN CREATEROLE; END IF; END $$;";
}

}  // namespace server

}  // namespace soquy::test_support
