// `soquy check`'s replay of the change log (change_log.h): the chain, the triggers, and every
// record against its last logged content — on SQLite, and on PostgreSQL, whose log the triggers
// of schemas/postgresql/0012 write by the same rule (change_log::link).
#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <unordered_map>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "change_log.h"
#include "soquy/i18n.h"
#include "soquy/sha256.h"
#include "sql_query.h"
#include "store.h"

namespace soquy::change_log {
namespace {

// What the log says a record is now: the digest of its last content, or deleted.
struct LoggedState {
  std::array<unsigned char, 16> digest{};
  bool deleted = false;
  bool seen = false;  // found in its table by the replay
  std::int64_t seq = 0;
};

std::array<unsigned char, 16> digest_of(std::string_view content) {
  const auto full = sha256_digest(content);
  std::array<unsigned char, 16> out{};
  std::memcpy(out.data(), full.data(), out.size());
  return out;
}

std::string map_key(std::string_view table, std::string_view record) {
  std::string k(table);
  k += '\x1f';
  k += record;
  return k;
}

using sql::Query;

// The tables of a PostgreSQL database whose records the log must describe: those 0012 logs but
// schema_version (its first versions predate the log; SQLite keeps its version in user_version).
std::vector<std::string> pg_logged_tables(Store& store) {
  Query q(store, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                 "WHERE n.nspname = 'public' AND c.relkind = 'r' "
                 "AND c.relname NOT IN ('entries', 'postings', 'account_balances', 'change_log', 'schema_version') "
                 "ORDER BY c.relname");
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

// Its records as (key, content) the way 0012's trigger logs them.
std::string pg_select_records_sql(Store& store, const std::string& table) {
  Query q(store, "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                 "AND a.attnum = ANY (i.indkey) WHERE i.indrelid = CAST(? AS regclass) AND i.indisprimary "
                 "ORDER BY array_position(i.indkey::int2[], a.attnum)");
  q.bind(1, "public.\"" + table + "\"");
  std::string cols;
  while (q.executeStep()) cols += (cols.empty() ? "'" : ", '") + q.getColumn(0).getString() + "'";
  return fmt::format("SELECT soquy_record_key(to_jsonb(t), ARRAY[{}]::text[]), row_to_json(t)::text FROM public.\"{}\" t",
                     cols, table);
}

class Verifier {
 public:
  Verifier(Store& store, std::size_t limit)
      : store_(store), pg_(sql::engine_of(store) == sql::Engine::kPostgresql), limit_(limit) {}

  Verification run() {
    pg_ ? check_pg_guards() : check_guards();
    replay_chain();
    const auto tables = pg_ ? pg_logged_tables(store_) : logged_tables(sqlite_database(store_));
    for (const auto& t : tables) compare_table(t);
    report_vanished();
    return std::move(out_);
  }

 private:
  void problem(std::string p) {
    if (out_.problems.size() < limit_) out_.problems.push_back(std::move(p));
  }

  // A trigger missing, or (on PostgreSQL) disabled with ALTER TABLE … DISABLE TRIGGER.
  void check_pg_guards() {
    auto state = [&](const std::string& table, const std::string& name) -> std::optional<std::string> {
      Query q(store_, "SELECT tgenabled FROM pg_trigger WHERE tgrelid = CAST(? AS regclass) AND tgname = ?");
      q.bind(1, "public.\"" + table + "\"");
      q.bind(2, name);
      if (!q.executeStep()) return std::nullopt;
      return q.getColumn(0).getString();
    };
    for (const char* name : {"change_log_no_update", "change_log_no_delete", "change_log_no_truncate"})
      if (auto s = state("change_log", name); !s || *s == "D")
        problem(fmt::format(
            fmt::runtime(tr("the append-only trigger {} is missing: someone could edit the change log")), name));
    for (const auto& t : pg_logged_tables(store_)) {
      const std::string name = "log_" + t;
      auto s = state(t, name);
      if (!s)
        problem(fmt::format(
            fmt::runtime(tr("the change-log trigger {} is missing: changes to {} would not be logged")), name, t));
      else if (*s == "D")
        problem(fmt::format(
            fmt::runtime(tr("the change-log trigger {} was altered: changes to {} may not be logged")), name, t));
    }
  }

  void check_guards() {
    auto& db_ = sqlite_database(store_);
    for (const char* name : {"change_log_no_update", "change_log_no_delete"}) {
      SQLite::Statement q(db_, "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = ?");
      q.bind(1, name);
      if (!q.executeStep())
        problem(fmt::format(
            fmt::runtime(tr("the append-only trigger {} is missing: someone could edit the change log")), name));
    }
    for (const auto& t : logged_tables(db_)) {
      for (const auto& [name, sql] : expected_triggers(db_, t)) {
        SQLite::Statement q(db_, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?");
        q.bind(1, name);
        if (!q.executeStep())
          problem(fmt::format(
              fmt::runtime(tr("the change-log trigger {} is missing: changes to {} would not be logged")), name, t));
        else if (q.getColumn(0).getString() != sql)
          problem(fmt::format(
              fmt::runtime(tr("the change-log trigger {} was altered: changes to {} may not be logged")), name, t));
      }
    }
  }

  void replay_chain() {
    Query q(store_, "SELECT seq, recorded_at, \"user\", tbl, record, action, content, hash FROM change_log ORDER BY seq");
    std::string prev;
    std::int64_t expected_seq = 1;
    while (q.executeStep()) {
      const std::int64_t seq = q.getColumn(0).getInt64();
      const std::string table = q.getColumn(3).getString(), record = q.getColumn(4).getString();
      const std::string action = q.getColumn(5).getString();
      const bool has_content = !q.getColumn(6).isNull();
      const std::string content = q.getColumn(6).getString();
      const std::string hash = q.getColumn(7).getString();
      ++out_.changes;
      if (seq != expected_seq)
        problem(fmt::format(
            fmt::runtime(tr("change-log rows are missing: after change #{} comes #{}")), expected_seq - 1, seq));
      expected_seq = seq + 1;
      const std::string computed = link(prev, q.getColumn(1).getString(), q.getColumn(2).getString(), table, record,
                                        action, has_content ? &content : nullptr);
      if (computed != hash)
        problem(fmt::format(
            fmt::runtime(tr("change #{} ({} {}): its hash does not match its content and the previous change's "
                            "hash: the change log was edited")),
                            seq, table, record));
      prev = hash;
      auto& state = logged_[map_key(table, record)];
      state.deleted = !has_content;
      state.seq = seq;
      if (has_content) state.digest = digest_of(content);
    }
  }

  void compare_table(const std::string& table) {
    Query q(store_, pg_ ? pg_select_records_sql(store_, table) : select_records_sql(sqlite_database(store_), table));
    while (q.executeStep()) {
      ++out_.records;
      const std::string record = q.getColumn(0).getString();
      const std::string content = q.getColumn(1).getString();
      auto it = logged_.find(map_key(table, record));
      if (it == logged_.end() || it->second.deleted) {
        problem(fmt::format(
            fmt::runtime(tr("{} {}: not in the change log: the record was added outside soquy")), table, record));
        continue;
      }
      it->second.seen = true;
      if (it->second.digest != digest_of(content))
        problem(fmt::format(
            fmt::runtime(tr("{} {}: differs from its last logged change (#{}): the record was changed outside soquy "
                            "(now {})")),
                            table, record, it->second.seq, content));
    }
  }

  void report_vanished() {
    std::vector<std::pair<std::int64_t, const std::string*>> vanished;  // in log order, for a stable report
    // A server made before 0012 left schema_version out of the log has its versions 12-16 logged;
    // the table itself is not compared (pg_logged_tables): neither are they.
    const std::string versions = map_key("schema_version", "");
    for (const auto& [key, state] : logged_)
      if (!state.deleted && !state.seen && !(pg_ && key.rfind(versions, 0) == 0))
        vanished.emplace_back(state.seq, &key);
    std::sort(vanished.begin(), vanished.end());
    for (const auto& [seq, key_ptr] : vanished) {
      const std::string& key = *key_ptr;
      const auto sep = key.find('\x1f');
      problem(fmt::format(
          fmt::runtime(tr("{} {}: in the change log (#{}) but no longer in its table: the record was removed outside "
                          "soquy")),
                          key.substr(0, sep), key.substr(sep + 1), seq));
    }
  }

  Store& store_;
  bool pg_;
  std::size_t limit_;
  Verification out_;
  std::unordered_map<std::string, LoggedState> logged_;
};

}  // namespace

Verification verify(Store& store, std::size_t limit) { return Verifier(store, limit).run(); }

}  // namespace soquy::change_log
