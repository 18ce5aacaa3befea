// A libpq connection as the PostgreSQL store and the domains' PostgreSQL code use it: text
// parameters and text results (PQexecParams), prepared statements for the hot path, and a
// row-at-a-time walk for the journal's long reads. libpq's own types stay in pg_connection.cc.
//
// Every failure the server reports becomes SoquyException: kPermission (exit 77) for SQLSTATE
// 42501 (insufficient privilege: the login's soquy role may not do that), kIo (exit 74) for the
// rest. try_exec() instead returns the SQLSTATE, for the callers that expect one.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace soquy::pg {

using Param = std::optional<std::string>;  // nullopt = SQL NULL
using Params = std::vector<Param>;

// The rows of one result (or one row of a walk). Columns are read as text.
class Rows {
 public:
  explicit Rows(pg_result* result);
  ~Rows();
  Rows(Rows&& other) noexcept;
  Rows& operator=(Rows&&) = delete;
  Rows(const Rows&) = delete;
  int size() const;
  bool empty() const { return size() == 0; }
  bool null(int row, int col) const;
  std::string text(int row, int col) const;
  std::int64_t int64(int row, int col) const;
  // A bytea column (hex output) as lowercase hex without the "\x" prefix.
  std::string hex(int row, int col) const;
  // Rows an INSERT, UPDATE or DELETE touched; the command tag ("COMMIT", or "ROLLBACK" when a
  // COMMIT found the transaction failed).
  std::int64_t affected() const;
  std::string command() const;

 private:
  pg_result* result_;
};

class Connection {
 public:
  // Connects to `uri` (postgresql://…). Throws SoquyException(kIo) when the server cannot be
  // reached or refuses the login.
  explicit Connection(const std::string& uri);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Rows exec(std::string_view sql, const Params& params = {});
  // Runs several statements without parameters (a migration file) in one round trip; the rows
  // of the last one.
  Rows exec_script(std::string_view sql);
  // The SQLSTATE of the failure ("" on success), for failures that are expected outcomes.
  std::string try_exec(std::string_view sql, const Params& params = {});
  std::string try_exec_prepared(const std::string& name, const Params& params);
  void prepare(const std::string& name, std::string_view sql);
  Rows exec_prepared(const std::string& name, const Params& params);
  // Calls `row` for each row, one at a time (libpq's single-row mode: the whole result is never
  // held in memory).
  void walk(std::string_view sql, const Params& params, const std::function<void(const Rows&)>& row);
  // The same for a statement made by prepare().
  void walk_prepared(const std::string& name, const Params& params, const std::function<void(const Rows&)>& row);
  // Quotes a name (a role) for the SQL text.
  std::string quote_identifier(std::string_view name);

  // True once the connection to the server is gone (libpq's CONNECTION_BAD).
  bool lost() const;
  // True inside a transaction block that has not failed (BEGIN run, no COMMIT or ROLLBACK yet).
  bool in_transaction() const;

 private:
  std::string state_of(pg_result* res);  // "" on success; takes the result
  void read_rows(const std::function<void(const Rows&)>& row);  // walk's results, one row at a time
  pg_conn* conn_;
};

// A parameter from an integer.
inline Param num(std::int64_t v) { return std::to_string(v); }
// A bytea parameter from lowercase hex.
inline Param bytea_hex(std::string_view hex) { return "\\x" + std::string(hex); }

}  // namespace soquy::pg
