// `soquy check`'s replay of the change log (change_log.h): the chain, the triggers, and every
// record against its last logged content.
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

class Verifier {
 public:
  Verifier(SQLite::Database& db, std::size_t limit) : db_(db), limit_(limit) {}

  Verification run() {
    check_guards();
    replay_chain();
    const auto tables = logged_tables(db_);
    for (const auto& t : tables) compare_table(t);
    report_vanished();
    return std::move(out_);
  }

 private:
  void problem(std::string p) {
    if (out_.problems.size() < limit_) out_.problems.push_back(std::move(p));
  }

  void check_guards() {
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
    SQLite::Statement q(db_,
                        "SELECT seq, recorded_at, user, tbl, record, action, content, hash FROM change_log ORDER BY seq");
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
    SQLite::Statement q(db_, select_records_sql(db_, table));
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
    for (const auto& [key, state] : logged_)
      if (!state.deleted && !state.seen) vanished.emplace_back(state.seq, &key);
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

  SQLite::Database& db_;
  std::size_t limit_;
  Verification out_;
  std::unordered_map<std::string, LoggedState> logged_;
};

}  // namespace

Verification verify(SQLite::Database& db, std::size_t limit) { return Verifier(db, limit).run(); }

}  // namespace soquy::change_log
