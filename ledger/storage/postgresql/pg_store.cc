// PostgreSQL implementation of Store (issue 14): the journal's SQL for a server, through libpq.
// The schema is schemas/postgresql/ (pg_migrations.*), applied on init and on every writing open.
//
// Concurrency: every write transaction first takes one transaction-level advisory lock
// (kChainLock), then reads the chain's tip; so appends are serialized and two writers never share
// an entry id or a previous hash. A writer that finds the lock taken waits for it (no timeout:
// the holder is one command's transaction). Under that lock, at READ COMMITTED, no serialization
// failure or deadlock should arise between soquy's writers; should the server report one anyway
// (SQLSTATE 40001/40P01, e.g. against a schema upgrade), Ledger::in_transaction runs the
// transaction again (store_failure.h).
// Identity: the acting user is the database login (session_user), mapped to the users row of
// that name; `soquy user add` creates the login role (add_login).
#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "batching_store.h"
#include "change_log.h"
#include "pg_migrations.h"
#include "pg_store.h"
#include "soquy/clock.h"
#include "soquy/i18n.h"
#include "soquy/sha256.h"
#include "store.h"
#include "store_failure.h"

namespace soquy {
namespace {

using pg::num;
using pg::Params;
using pg::Rows;

constexpr std::int64_t kChainLock = 0x736f717579;      // "soquy": every write transaction
constexpr std::int64_t kMigrationLock = 0x736f717576;  // schema upgrades
constexpr const char* kGuards[] = {"entries_no_update", "entries_no_delete", "postings_no_update",
                                   "postings_no_delete"};

Date to_date(const std::string& iso) {
  auto d = Date::parse_iso(iso);
  if (!d) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("database holds a malformed date '{}'")), iso)));
  return *d;
}

int version_of(const Migration& m) {
  return std::stoi(std::string(m.name.substr(0, 4)));
}

pg::Param text_or_null(const std::string& s) {
  return s.empty() ? pg::Param() : pg::Param(s);
}

// A PostgreSQL array literal of whole numbers: {1,2,3}.
std::string int_array(const std::vector<std::int64_t>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
  return out + "}";
}

// Appends `text` to a PostgreSQL array literal under construction as one quoted element (any
// text: quotes and backslashes escaped).
void add_text(std::string& array, std::string_view text) {
  array += array.size() > 1 ? ",\"" : "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') array += '\\';
    array += c;
  }
  array += '"';
}
void add_num(std::string& array, std::int64_t v) {
  if (array.size() > 1) array += ',';
  array += std::to_string(v);
}
void add_null(std::string& array) {
  array += array.size() > 1 ? ",NULL" : "NULL";
}

// The entries (and their postings) a bulk import appended whose rows are not sent yet
// (batching_store.h): each column as a PostgreSQL array literal, sent as one INSERT of entries
// and one of postings, whatever the number of entries.
class EntryBatch {
 public:
  EntryBatch() { clear(); }
  bool empty() const { return count_ == 0; }
  void add(const Entry& e, std::int64_t book_id, std::int64_t user_id, const std::vector<std::int64_t>& account_ids,
           const std::string& hash_hex) {
    add_num(columns_[0], e.id);
    add_num(columns_[1], book_id);
    add_text(columns_[2], e.date.to_iso());
    add_text(columns_[3], e.memo);
    if (e.client_id.empty()) add_null(columns_[4]);
    else add_text(columns_[4], e.client_id);
    if (e.reverses) add_num(columns_[5], *e.reverses);
    else add_null(columns_[5]);
    add_num(columns_[6], user_id);
    add_text(columns_[7], e.recorded_at);
    add_text(columns_[8], hash_hex);
    for (std::size_t i = 0; i < e.postings.size(); ++i) {
      add_num(columns_[9], e.id);
      add_num(columns_[10], static_cast<std::int64_t>(i + 1));
      add_num(columns_[11], account_ids[i]);
      add_num(columns_[12], e.postings[i].amount.minor_units());
    }
    ++count_;
  }
  // Sends the rows (statements prepared by PgStore::expect_client_ids) and empties the batch.
  // A client id already in the table fails the INSERT (the transaction with it): never written.
  void send(pg::Connection& db) {
    if (empty()) return;
    pg::Params entries, postings;
    for (std::size_t i = 0; i < columns_.size(); ++i) (i < 9 ? entries : postings).push_back(columns_[i] + "}");
    const std::size_t sent = count_;
    clear();
    if (static_cast<std::size_t>(db.exec_prepared("append_entries", entries).affected()) != sent)
      throw SoquyException(Error::internal("a batch of entries was not written whole"));
    db.exec_prepared("append_postings", postings);
  }
  void clear() {
    for (auto& c : columns_) c.assign("{");
    count_ = 0;
  }

 private:
  std::array<std::string, 13> columns_;  // entries: 9 columns; postings: 4
  std::size_t count_ = 0;
};

// Queued balance changes by (account id, day number), as the SQLite store keeps them.
struct PendingDelta {
  std::int64_t sum = 0;
  bool overflowed = false;
};
using PendingDeltas = std::map<std::pair<std::int64_t, std::int32_t>, PendingDelta>;

// What a write transaction keeps on the client until it is sent: balance changes, a bulk
// import's batch, and the client ids named to the store (expect_client_ids) and found unused or
// used (the journal is append-only, and the chain lock keeps other writers out: a used id stays
// used until the commit).
struct WriteState {
  PendingDeltas pending;
  EntryBatch batch;
  std::unordered_set<std::string> unused_ids;
  std::unordered_set<std::string> used_ids;
  bool open = false;  // a write transaction (under the chain lock) is open
  void reset() {
    pending.clear();
    batch.clear();
    unused_ids.clear();
    used_ids.clear();
    open = false;
  }
};

// `begun`: the transaction is already open on the connection (init's, which made the schema and
// goes on with the first rows: one transaction for the whole of init); this object ends it.
class PgTransaction : public StoreTransaction {
 public:
  PgTransaction(pg::Connection& db, WriteState& state, bool begun = false) : db_(db), state_(state) {
    state_.reset();
    if (!begun) db_.exec("BEGIN");
    try {
      db_.exec("SELECT pg_advisory_xact_lock($1)", {num(kChainLock)});
      // The change log's record time (schemas/postgresql/0012): the clock, or SOQUY_NOW, which
      // the server honours only where init fixed the clock (0017: soquy_fixed_clock()).
      db_.exec("SELECT set_config('soquy.now', $1, true)", {now_timestamp()});
      state_.open = true;
    } catch (...) {  // the destructor will not run: end the transaction here
      try {
        db_.exec("ROLLBACK");
      } catch (const SoquyException&) {  // the connection is gone: so is the transaction
      }
      throw;
    }
  }
  ~PgTransaction() override {
    state_.reset();
    if (done_) return;
    try {
      db_.exec("ROLLBACK");
    } catch (const SoquyException&) {  // the connection is gone: so is the transaction
    }
  }
  Result<void> commit() override {
    if (!state_.pending.empty()) return fail(Error::internal("commit with balance changes not flushed"));
    try {  // a bulk import's last rows; on failure the destructor rolls back
      state_.batch.send(db_);
    } catch (const RetryableStoreFailure&) {
      throw;
    } catch (const SoquyException& e) {
      return fail(e.error());
    }
    state_.reset();
    try {
      auto r = db_.exec("COMMIT");
      done_ = true;
      if (r.command() != "COMMIT") return fail(Error::io(tr("cannot commit: the server rolled the transaction back")));
    } catch (const RetryableStoreFailure&) {
      done_ = true;
      throw;  // Ledger::in_transaction runs it again
    } catch (const SoquyException& e) {
      done_ = true;
      // The COMMIT may have reached the server before the connection went: nobody can say.
      if (db_.lost())
        return fail(Error::io(tr("the connection to the PostgreSQL server was lost during the commit: whether this "
                                 "command was written cannot be known here; look with `soquy audit log` before "
                                 "running it again")));
      return fail(Error::io(fmt::format(fmt::runtime(tr("cannot commit: {}")), e.error().message())));
    }
    return {};
  }

 private:
  pg::Connection& db_;
  WriteState& state_;
  bool done_ = false;
};

// A transaction already open on the connection: joined, never committed here.
class JoinedTransaction : public StoreTransaction {
 public:
  Result<void> commit() override { return {}; }
};

constexpr const char* kEntryColumns =
    "SELECT e.id, b.code, e.date, e.memo, coalesce(e.client_id, ''), e.reverses, u.name, e.recorded_at, "
    "(SELECT h.hash FROM entries h WHERE h.id = e.id - 1), e.hash, a.code, p.amount, a.book_id, e.book_id "
    "FROM entries e JOIN books b ON b.id = e.book_id JOIN users u ON u.id = e.user_id "
    "JOIN postings p ON p.entry_id = e.id JOIN accounts a ON a.id = p.account_id ";

constexpr const char* kAccountColumns =
    "SELECT a.id, b.code, a.code, a.name, a.name_en, a.type, coalesce(p.code, ''), a.closed_on "
    "FROM accounts a JOIN books b ON b.id = a.book_id LEFT JOIN accounts p ON p.id = a.parent_id ";

// Walks rows of kEntryColumns (one row per posting) and calls `fn` once per entry.
class EntryWalker {
 public:
  using Fn = std::function<void(const Entry&, std::int64_t, const std::vector<CheckedPosting>&)>;
  explicit EntryWalker(const Fn& fn) : fn_(fn) {}
  void row(const Rows& r) {
    const std::int64_t id = r.int64(0, 0);
    if (!have_ || id != current_.id) {
      finish();
      have_ = true;
      current_.id = id;
      current_.book = r.text(0, 1);
      current_.date = to_date(r.text(0, 2));
      current_.memo = r.text(0, 3);
      current_.client_id = r.text(0, 4);
      if (!r.null(0, 5)) current_.reverses = r.int64(0, 5);
      current_.user = r.text(0, 6);
      current_.recorded_at = r.text(0, 7);
      current_.prev_hash = r.null(0, 8) ? std::string(kGenesisHash) : r.hex(0, 8);
      current_.hash = r.hex(0, 9);
      book_ = r.int64(0, 13);
    }
    if (r.null(0, 11)) return;  // an entry without postings (the checked walk's LEFT JOIN)
    const Money amount(r.int64(0, 11));
    current_.postings.push_back(Posting{r.text(0, 10), amount});
    checked_.push_back(CheckedPosting{r.text(0, 10), r.int64(0, 12), amount});
  }
  void finish() {
    if (have_) fn_(current_, book_, checked_);
    have_ = false;
    current_ = Entry{};
    checked_.clear();
  }

 private:
  const Fn& fn_;
  Entry current_;
  std::vector<CheckedPosting> checked_;
  std::int64_t book_ = 0;
  bool have_ = false;
};

User read_user(const Rows& r, int i) {
  auto role = parse_role(r.text(i, 2));
  if (!role) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("database holds an unknown role '{}'")), r.text(i, 2))));
  return User{r.int64(i, 0), r.text(i, 1), *role, r.text(i, 3)};
}

Account read_account(const Rows& r, int i) {
  Account a;
  a.id = r.int64(i, 0);
  a.book = r.text(i, 1);
  a.code = r.text(i, 2);
  a.name = r.text(i, 3);
  a.name_en = r.text(i, 4);
  auto type = parse_account_type(r.text(i, 5));
  if (!type) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("database holds an unknown account type '{}'")), r.text(i, 5))));
  a.type = *type;
  a.parent = r.text(i, 6);
  if (!r.null(i, 7)) a.closed_on = to_date(r.text(i, 7));
  return a;
}

Book read_book(const Rows& r, int i) {
  return Book{r.int64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3)};
}

}  // namespace

class PgStore : public Store, public BatchingStore {
 public:
  explicit PgStore(const std::string& uri) : uri_(uri), db_(uri) {}
  ~PgStore() override {
    if (!creating_) return;
    try {  // init did not reach its commit: the database is left as it was, empty
      db_.exec("ROLLBACK");
    } catch (const SoquyException&) {  // the connection is gone: so is the transaction
    }
  }
  // For the domains' own SQL: a bulk import's rows are sent first, so that they see them.
  pg::Connection& connection() {
    send_batch();
    return db_;
  }
  const std::string& uri() const { return uri_; }

  // The first round trip of an open: who the login is, whether the schema is there, and whether
  // the login may read it (a login that holds none of the soquy roles may read no soquy table:
  // it is no soquy user, whatever the server lets it connect to). A read-only open starts its
  // snapshot in the same round trip, so that all it reads, the schema versions too, is of one moment.
  struct Identity {
    bool schema = false;
    bool member = false;
  };
  Identity identify(bool read_only) {
    const std::string query =
        "SELECT session_user, to_regclass('public.schema_version') IS NOT NULL, "
        "to_regclass('public.schema_version') IS NULL OR has_table_privilege('public.schema_version', 'SELECT')";
    auto r = db_.exec_script(read_only ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; " + query : query);
    login_ = r.text(0, 0);
    read_only_ = read_only;
    return Identity{r.text(0, 1) == "t", r.text(0, 2) == "t"};
  }

  // The versions recorded in schema_version (the table is there).
  std::set<int> recorded_versions() {
    std::set<int> out;
    auto r = db_.exec("SELECT version FROM schema_version");
    for (int i = 0; i < r.size(); ++i) out.insert(static_cast<int>(r.int64(i, 0)));
    return out;
  }

  // The versions recorded in schema_version; empty when the table is not there.
  std::set<int> applied_versions() {
    auto there = db_.exec("SELECT to_regclass('public.schema_version') IS NOT NULL");
    return there.text(0, 0) == "t" ? recorded_versions() : std::set<int>{};
  }

  // Applies every embedded migration not yet recorded, in file order, in one transaction (under
  // its own advisory lock, so two commands never upgrade at once). The schema version is the
  // highest recorded; a version with no PostgreSQL file is simply absent. `create` (init): the
  // transaction is left open, and the first write transaction (init's first rows, or a copy's
  // rows) goes on in it and commits it: init is all or nothing.
  void migrate(bool create) {
    db_.exec("BEGIN");
    try {
      db_.exec("SELECT pg_advisory_xact_lock($1)", {num(kMigrationLock)});
      if (create) {
        db_.exec("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)");
      }
      const auto applied = applied_versions();
      for (const auto& m : pg_migrations()) {
        if (applied.count(version_of(m))) continue;
        db_.exec_script(m.sql);
        db_.exec("INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                 {num(version_of(m)), std::string(m.name), now_timestamp()});
      }
      db_.exec("GRANT SELECT ON schema_version TO soquy_admin, soquy_officer, soquy_treasurer, soquy_auditor");
      if (create) {
        db_.exec("GRANT soquy_admin TO " + db_.quote_identifier(session_login()));
        if (clock_is_pinned()) fix_clock();
        creating_ = true;
        return;
      }
      auto r = db_.exec("COMMIT");
      if (r.command() != "COMMIT") throw SoquyException(Error::io(tr("cannot commit: the server rolled the transaction back")));
    } catch (...) {
      try {
        db_.exec("ROLLBACK");
      } catch (const SoquyException&) {
      }
      throw;
    }
  }

  // The login (session_user), read at open: it cannot change during a session.
  const std::string& session_login() const { return login_; }

  // SOQUY_NOW set (and taken) for this process: tests and demos.
  static bool clock_is_pinned() {
    const char* env = std::getenv("SOQUY_NOW");
    return env && now_timestamp() == env;
  }
  // The change log honours soquy.now only in a database whose clock init fixed (schema 17):
  // soquy_fixed_clock() answers true from now on. Only the schema's owner may replace it.
  void fix_clock() {
    db_.exec("CREATE OR REPLACE FUNCTION soquy_fixed_clock() RETURNS boolean LANGUAGE sql STABLE AS $f$ SELECT true $f$");
  }

  // The name of the statement `name`, prepared at its first use (a read-only command needs none
  // of the write path's; a `post` needs three of them).
  const std::string& prepared(const std::string& name) {
    static const std::map<std::string, std::string> kStatements = {
        // One round trip per entry: the entry and its postings (unnest of parallel arrays); no
        // row at all when the client id is already used.
        {"append_entry",
         "WITH e AS (INSERT INTO entries (id, book_id, date, memo, client_id, reverses, user_id, recorded_at, hash) "
         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (client_id) WHERE client_id IS NOT NULL "
         "DO NOTHING RETURNING id) "
         "INSERT INTO postings (entry_id, line, account_id, amount) "
         "SELECT e.id, t.line, t.account, t.amount FROM e, "
         "unnest($10::bigint[], $11::bigint[], $12::bigint[]) AS t(line, account, amount)"},
        // A bulk import's batch (EntryBatch): many entries, then their postings, per statement.
        {"append_entries",
         "INSERT INTO entries (id, book_id, date, memo, client_id, reverses, user_id, recorded_at, hash) "
         "SELECT i, b, d, m, c, r, u, t, decode(h, 'hex') FROM unnest($1::bigint[], $2::bigint[], $3::text[], "
         "$4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::text[]) AS x(i, b, d, m, c, r, u, t, h)"},
        {"append_postings",
         "INSERT INTO postings (entry_id, line, account_id, amount) "
         "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[])"},
        {"balance_day_row",
         "INSERT INTO account_balances (account_id, date, balance) SELECT $1, $2, coalesce((SELECT balance "
         "FROM account_balances WHERE account_id = $1 AND date < $2 ORDER BY date DESC LIMIT 1), 0) "
         "ON CONFLICT (account_id, date) DO NOTHING"},
        {"balance_shift", "UPDATE account_balances SET balance = balance + $3 WHERE account_id = $1 AND date >= $2"},
        // An entry read back by its id or client id (a reversal's original; an import's or a
        // post's client id already used, compared with what is posted again): planned once.
        {"entry_by_id", std::string(kEntryColumns) + "WHERE e.id = $1 ORDER BY p.line"},
        {"entry_by_client_id", std::string(kEntryColumns) + "WHERE e.client_id = $1 ORDER BY p.line"},
    };
    if (!prepared_.count(name)) {
      db_.prepare(name, kStatements.at(name));
      prepared_.insert(name);
    }
    return name;
  }

  std::unique_ptr<StoreTransaction> begin_write() override {
    const bool begun = creating_;
    creating_ = false;  // init's open transaction is the new object's to commit or roll back
    return std::make_unique<PgTransaction>(db_, state_, begun);
  }
  // Foreign keys stay checked on PostgreSQL (no per-connection switch); the same transaction.
  std::unique_ptr<StoreTransaction> begin_bulk_write() override { return begin_write(); }

  std::optional<std::string> setting(const std::string& key) override {
    auto r = db_.exec("SELECT value FROM settings WHERE key = $1", {key});
    if (r.empty()) return std::nullopt;
    return r.text(0, 0);
  }
  void put_setting(const std::string& key, const std::string& value) override {
    db_.exec("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
             {key, value});
  }

  std::optional<User> find_user(const std::string& name) override {
    if (read_only_)
      if (auto seen = users_seen_.find(name); seen != users_seen_.end()) return seen->second;
    auto r = db_.exec("SELECT id, name, role, created_at FROM users WHERE name = $1", {name});
    std::optional<User> out;
    if (!r.empty()) out = read_user(r, 0);
    if (read_only_) users_seen_[name] = out;
    return out;
  }
  std::optional<User> first_admin() override {
    auto r = db_.exec("SELECT id, name, role, created_at FROM users WHERE role = 'admin' ORDER BY id LIMIT 1");
    if (r.empty()) return std::nullopt;
    return read_user(r, 0);
  }
  User insert_user(const std::string& name, Role role, const std::string& created_at) override {
    auto r = db_.exec("INSERT INTO users (name, role, created_at) VALUES ($1, $2, $3) RETURNING id",
                      {name, std::string(to_string(role)), created_at});
    return User{r.int64(0, 0), name, role, created_at};
  }
  std::vector<User> list_users() override {
    auto r = db_.exec("SELECT id, name, role, created_at FROM users ORDER BY id");
    std::vector<User> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(read_user(r, i));
    return out;
  }

  std::optional<Book> find_book(const std::string& code) override {
    auto r = db_.exec("SELECT id, code, name, currency FROM books WHERE code = $1", {code});
    if (r.empty()) return std::nullopt;
    return read_book(r, 0);
  }
  bool is_book_treasurer(std::int64_t book_id, std::int64_t user_id) override {
    return !db_.exec("SELECT 1 FROM book_treasurers WHERE book_id = $1 AND user_id = $2", {num(book_id), num(user_id)})
                .empty();
  }
  void insert_book_treasurer(std::int64_t book_id, std::int64_t user_id, std::int64_t named_by,
                             const std::string& named_at) override {
    db_.exec("INSERT INTO book_treasurers (book_id, user_id, named_by, named_at) VALUES ($1, $2, $3, $4) "
             "ON CONFLICT (book_id, user_id) DO NOTHING",
             {num(book_id), num(user_id), num(named_by), named_at});
  }
  std::vector<std::string> book_treasurers(std::int64_t book_id) override {
    auto r = db_.exec("SELECT u.name FROM book_treasurers t JOIN users u ON u.id = t.user_id WHERE t.book_id = $1 "
                      "ORDER BY u.name COLLATE \"C\"",
                      {num(book_id)});
    std::vector<std::string> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(r.text(i, 0));
    return out;
  }
  std::vector<Book> list_books() override {
    auto r = db_.exec("SELECT id, code, name, currency FROM books ORDER BY id");
    std::vector<Book> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(read_book(r, i));
    return out;
  }
  Book insert_book(const std::string& code, const std::string& name, const std::string& currency) override {
    auto r = db_.exec("INSERT INTO books (code, name, currency) VALUES ($1, $2, $3) RETURNING id", {code, name, currency});
    return Book{r.int64(0, 0), code, name, currency};
  }

  std::vector<Account> list_accounts(std::int64_t book_id) override {
    auto r = db_.exec(std::string(kAccountColumns) + "WHERE a.book_id = $1 ORDER BY a.code COLLATE \"C\"", {num(book_id)});
    std::vector<Account> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(read_account(r, i));
    return out;
  }
  std::optional<Account> find_account(std::int64_t book_id, const std::string& code) override {
    auto r = db_.exec(std::string(kAccountColumns) + "WHERE a.book_id = $1 AND a.code = $2", {num(book_id), code});
    if (r.empty()) return std::nullopt;
    return read_account(r, 0);
  }
  Account insert_account(std::int64_t book_id, const Account& spec, std::optional<std::int64_t> parent_id) override {
    auto r = db_.exec("INSERT INTO accounts (book_id, code, name, name_en, type, parent_id) "
                      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                      {num(book_id), spec.code, spec.name, spec.name_en, std::string(to_string(spec.type)),
                       parent_id ? num(*parent_id) : pg::Param()});
    Account out = spec;
    out.id = r.int64(0, 0);
    return out;
  }
  void close_account(std::int64_t account_id, Date on) override {
    db_.exec("UPDATE accounts SET closed_on = $1 WHERE id = $2", {on.to_iso(), num(account_id)});
  }

  ChainTip chain_tip() override {
    send_batch();
    auto r = db_.exec("SELECT id, hash FROM soquy_chain_tip()");
    if (r.empty() || r.null(0, 0)) return ChainTip{0, kGenesisHash, now_timestamp()};
    return ChainTip{r.int64(0, 0), r.hex(0, 1), now_timestamp()};
  }

  std::optional<Entry> find_entry(std::int64_t id) override {
    send_batch();
    std::optional<Entry> out;
    EntryWalker::Fn keep = [&](const Entry& e, std::int64_t, const std::vector<CheckedPosting>&) { out = e; };
    walk_prepared(prepared("entry_by_id"), {num(id)}, keep);
    return out;
  }
  std::optional<Entry> find_entry_by_client_id(const std::string& client_id) override {
    send_batch();
    std::optional<Entry> out;
    EntryWalker::Fn keep = [&](const Entry& e, std::int64_t, const std::vector<CheckedPosting>&) { out = e; };
    walk_prepared(prepared("entry_by_client_id"), {client_id}, keep);
    return out;
  }
  std::optional<std::int64_t> reversal_of(std::int64_t entry_id) override {
    send_batch();
    auto r = db_.exec("SELECT id FROM entries WHERE reverses = $1", {num(entry_id)});
    if (r.empty()) return std::nullopt;
    return r.int64(0, 0);
  }
  std::optional<EntryOwner> entry_owner(std::int64_t entry_id) override {
    send_batch();
    auto r = db_.exec("SELECT domain, record FROM entry_owners WHERE entry_id = $1", {num(entry_id)});
    if (r.empty()) return std::nullopt;
    return EntryOwner{r.text(0, 0), r.text(0, 1)};
  }
  void insert_entry_owner(std::int64_t entry_id, const EntryOwner& owner) override {
    send_batch();
    db_.exec("INSERT INTO entry_owners (entry_id, domain, record) VALUES ($1, $2, $3)",
             {num(entry_id), owner.domain, owner.record});
  }

  // One entry: kept in the batch when its client id was named and found unused in this
  // transaction (batching_store.h), else one statement (no row when the client id is used).
  bool append_entry(const Entry& e, std::int64_t book_id, std::int64_t user_id,
                    const std::vector<std::int64_t>& account_ids) override {
    const Sha256Digest digest = stored_hash(e.hash);
    const std::string hash_hex = to_hex(digest.data(), digest.size());
    if (!e.client_id.empty() && state_.used_ids.count(e.client_id)) return false;  // found used: nothing to send
    if (!e.client_id.empty() && state_.unused_ids.erase(e.client_id)) {  // a second use takes the one-row path
      state_.batch.add(e, book_id, user_id, account_ids, hash_hex);
    } else {
      send_batch();
      std::vector<std::int64_t> lines, amounts;
      for (std::size_t i = 0; i < e.postings.size(); ++i) {
        lines.push_back(static_cast<std::int64_t>(i + 1));
        amounts.push_back(e.postings[i].amount.minor_units());
      }
      auto r = db_.exec_prepared(
          prepared("append_entry"), {num(e.id), num(book_id), e.date.to_iso(), e.memo, text_or_null(e.client_id),
                           e.reverses ? num(*e.reverses) : pg::Param(), num(user_id), e.recorded_at,
                           pg::bytea_hex(hash_hex), int_array(lines), int_array(account_ids), int_array(amounts)});
      if (r.affected() == 0) return false;  // client id already used
    }
    const auto day = static_cast<std::int32_t>(e.date.days_since_epoch());
    for (std::size_t i = 0; i < e.postings.size(); ++i) {
      auto& d = state_.pending[{account_ids[i], day}];
      d.overflowed |= __builtin_add_overflow(d.sum, e.postings[i].amount.minor_units(), &d.sum);
    }
    return true;
  }

  // batching_store.h. Only inside a write transaction (its chain lock keeps other soquy writers
  // out until the commit), and only for a login whose reads see every entry: a treasurer's
  // (row-level security, schemas/postgresql/0011) would not see another book's client id.
  void expect_client_ids(const std::vector<std::string>& client_ids) override {
    send_batch();
    state_.unused_ids.clear();
    state_.used_ids.clear();
    if (!state_.open || client_ids.empty()) return;
    if (!sees_all_entries_)
      sees_all_entries_ = db_.exec("SELECT pg_has_role('soquy_admin', 'MEMBER') OR pg_has_role('soquy_officer', "
                                   "'MEMBER') OR pg_has_role('soquy_auditor', 'MEMBER') OR rolsuper OR rolbypassrls "
                                   "FROM pg_roles WHERE rolname = current_user")
                              .text(0, 0) == "t";
    if (!*sees_all_entries_) return;
    prepared("append_entries");  // for EntryBatch::send
    prepared("append_postings");
    std::string ids = "{";
    for (const auto& id : client_ids) add_text(ids, id);
    // One index probe per id (LATERAL … LIMIT 1): with `client_id = ANY($1)` the planner, which
    // has no statistics for rows this import wrote, went from the index to reading the journal.
    auto used = db_.exec("SELECT x.client_id FROM unnest($1::text[]) AS u(c), LATERAL (SELECT e.client_id "
                         "FROM entries e WHERE e.client_id = u.c LIMIT 1) x", {ids + "}"});
    for (int i = 0; i < used.size(); ++i) state_.used_ids.insert(used.text(i, 0));
    for (const auto& id : client_ids)
      if (!id.empty() && !state_.used_ids.count(id)) state_.unused_ids.insert(id);
  }

  Result<void> flush_balances() override;

  Money balance_as_of(std::int64_t account_id, Date as_of) override {
    flush_or_throw();
    if (read_only_) return Money(book_balance_as_of(account_id, as_of));
    auto r = db_.exec("SELECT balance FROM account_balances WHERE account_id = $1 AND date <= $2 "
                      "ORDER BY date DESC LIMIT 1",
                      {num(account_id), as_of.to_iso()});
    return Money(r.empty() ? 0 : r.int64(0, 0));
  }

  std::vector<RegisterLine> register_lines(std::int64_t account_id, std::optional<Date> from, Date as_of) override {
    send_batch();
    auto r = db_.exec("SELECT e.id, e.date, coalesce(e.client_id, ''), e.memo, p.amount FROM postings p "
                      "JOIN entries e ON e.id = p.entry_id WHERE p.account_id = $1 AND e.date >= $2 AND e.date <= $3 "
                      "ORDER BY e.date, e.id, p.line",
                      {num(account_id), from ? from->to_iso() : std::string("0000-00-00"), as_of.to_iso()});
    std::vector<RegisterLine> out;
    for (int i = 0; i < r.size(); ++i) {
      RegisterLine l;
      l.entry_id = r.int64(i, 0);
      l.date = to_date(r.text(i, 1));
      l.client_id = r.text(i, 2);
      l.memo = r.text(i, 3);
      l.amount = Money(r.int64(i, 4));
      out.push_back(std::move(l));
    }
    return out;
  }

  void for_each_entry(std::int64_t book_id, const std::function<void(const Entry&)>& fn) override {
    send_batch();
    EntryWalker::Fn each = [&](const Entry& e, std::int64_t, const std::vector<CheckedPosting>&) { fn(e); };
    if (book_id) {
      walk(std::string(kEntryColumns) + "WHERE e.book_id = $1 ORDER BY e.id, p.line", {num(book_id)}, each);
    } else {
      walk(std::string(kEntryColumns) + "ORDER BY e.id, p.line", {}, each);
    }
  }

  void for_each_entry_checked(const EntryWalker::Fn& fn) override {
    send_batch();
    // LEFT JOINs so that an entry whose user, book or postings were tampered with still shows.
    walk("SELECT e.id, coalesce(b.code, '?'), e.date, e.memo, coalesce(e.client_id, ''), e.reverses, "
         "coalesce(u.name, '?'), e.recorded_at, NULL::bytea, e.hash, coalesce(a.code, '?'), p.amount, "
         "coalesce(a.book_id, -1), e.book_id "
         "FROM entries e LEFT JOIN books b ON b.id = e.book_id LEFT JOIN users u ON u.id = e.user_id "
         "LEFT JOIN postings p ON p.entry_id = e.id LEFT JOIN accounts a ON a.id = p.account_id "
         "ORDER BY e.id, p.line",
         {}, fn);
  }

  std::vector<std::string> verify_balances(std::size_t limit, std::int64_t& rows_checked) override;

  // The four append-only triggers and, from schema 17, the two that keep identities honest.
  // tgenabled 'D': disabled by a superuser (ALTER TABLE … DISABLE TRIGGER).
  std::vector<GuardTrigger> guards() override {
    std::vector<GuardTrigger> out;
    for (const char* name : kGuards) out.push_back({name, GuardTrigger::Kind::kAppendOnly});
    if (!db_.exec("SELECT 1 FROM schema_version WHERE version >= 17").empty()) {
      out.push_back({"entries_author", GuardTrigger::Kind::kAuthor});
      out.push_back({"postings_same_book", GuardTrigger::Kind::kSameBook});
    }
    for (auto& g : out) {
      auto r = db_.exec("SELECT t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                        "WHERE t.tgname = $1 AND c.relnamespace = 'public'::regnamespace",
                        {g.name});
      g.present = !r.empty();
      g.enabled = g.present && r.text(0, 0) != "D";
    }
    return out;
  }

  // The change log of the records outside the journal (schema 12) is written on the server by
  // its triggers, but its replay is not ported yet: refused, never a silent OK.
  void set_actor(const std::string& user_name) override { actor_ = user_name; }
  // The change log that schemas/postgresql/0012's triggers write, replayed as on SQLite.
  std::vector<std::string> verify_records(std::size_t limit, std::int64_t& changes, std::int64_t& records) override {
    auto v = change_log::verify(*this, limit);
    changes = v.changes;
    records = v.records;
    return std::move(v.problems);
  }

  std::optional<std::string> login() override { return session_login(); }
  void add_login(const std::string& name, Role role) override;

 private:
  static Sha256Digest stored_hash(const std::string& hex) {
    auto d = digest_from_hex(hex);
    if (!d) throw SoquyException(Error::internal(fmt::format("not a SHA-256 hex digest: '{}'", hex)));
    return *d;
  }
  void walk(const std::string& sql, const Params& params, const EntryWalker::Fn& fn) {
    EntryWalker walker(fn);
    db_.walk(sql, params, [&](const Rows& r) { walker.row(r); });
    walker.finish();
  }
  void walk_prepared(const std::string& name, const Params& params, const EntryWalker::Fn& fn) {
    EntryWalker walker(fn);
    db_.walk_prepared(name, params, [&](const Rows& r) { walker.row(r); });
    walker.finish();
  }
  // A bulk import's rows not sent yet go first: called before every other read or write of the
  // journal's tables.
  void send_batch() { state_.batch.send(db_); }
  // Read-only: the balance as of `as_of` of every account of `account_id`'s book, read in one
  // statement at the first ask and kept (the snapshot does not change): a report asks for all.
  std::int64_t book_balance_as_of(std::int64_t account_id, Date as_of) {
    auto& seen = balances_seen_[as_of.to_iso()];
    if (auto it = seen.find(account_id); it != seen.end()) return it->second;
    auto r = db_.exec("SELECT a.id, coalesce((SELECT b.balance FROM account_balances b WHERE b.account_id = a.id "
                      "AND b.date <= $2 ORDER BY b.date DESC LIMIT 1), 0) FROM accounts a "
                      "WHERE a.book_id = (SELECT book_id FROM accounts WHERE id = $1)",
                      {num(account_id), as_of.to_iso()});
    for (int i = 0; i < r.size(); ++i) seen[r.int64(i, 0)] = r.int64(i, 1);
    return seen.emplace(account_id, 0).first->second;  // 0 for an id of no account, as a lookup gives
  }
  void flush_or_throw() {
    if (auto r = flush_balances(); !r) throw SoquyException(r.error());
  }
  Result<void> overflow(std::int64_t account_id, const std::string& date);
  bool flush_balances_at_once();

  std::string uri_;
  pg::Connection db_;
  WriteState state_;
  bool creating_ = false;  // init's transaction (schema made, not yet committed) is open
  std::optional<bool> sees_all_entries_;
  std::string login_;      // session_user, read at open
  bool read_only_ = false;  // one REPEATABLE READ snapshot (StoreMode::kReadOnly): what it reads does not change
  std::set<std::string> prepared_;  // the statements prepared on this connection (prepared())
  // Read-only only: the users looked up, and the balances as of a date (by account id) of every
  // account of the books asked about (balance_as_of).
  std::map<std::string, std::optional<User>> users_seen_;
  std::map<std::string, std::unordered_map<std::int64_t, std::int64_t>> balances_seen_;  // batching_store.h: whether this login's reads see every entry
  std::string actor_;
};

Result<void> PgStore::overflow(std::int64_t account_id, const std::string& date) {
  auto r = db_.exec("SELECT b.code, a.code FROM accounts a JOIN books b ON b.id = a.book_id WHERE a.id = $1",
                    {num(account_id)});
  state_.pending.clear();
  return fail(Error::bad_input(fmt::format(
      fmt::runtime(tr("the balance of account {} in book {} would overflow on {} (beyond ±9223372036854775807 đồng)")),
      r.empty() ? "?" : r.text(0, 1), r.empty() ? "?" : r.text(0, 0), date)));
}

// Per account and day (in date order): the day's row is made from the balance before it if
// missing, then that row and every later one move by the day's sum. A BIGINT overflow (SQLSTATE
// 22003) rolls back to the savepoint and is reported like SQLite's.
// The queued changes in two statements, whatever their number: the missing day rows (each from
// the balance before it; ORDER BY makes every balance-before be read before the first row is
// written, since a lookup that runs after some of the statement's rows are in the index has to
// step over them, unseen: quadratic in the days of an account), then every row of the accounts
// concerned from their first changed day on moves by the sum of the changes up to its date. That ends where the one-by-one order below
// ends; the second statement first checks that no row leaves the 64-bit range at any of that
// order's steps (its running sums' highest and lowest), and changes nothing if one would: false,
// and the one-by-one order, from the savepoint, finds and reports the first.
bool PgStore::flush_balances_at_once() {
  std::string accounts = "{", dates = "{", sums = "{";
  for (const auto& [key, delta] : state_.pending) {
    if (delta.overflowed) return false;
    add_num(accounts, key.first);
    add_text(dates, Date::from_days(key.second).to_iso());
    add_num(sums, delta.sum);
  }
  accounts += '}';
  dates += '}';
  sums += '}';
  db_.exec("INSERT INTO account_balances (account_id, date, balance) SELECT d.a, d.d, coalesce((SELECT b.balance "
           "FROM account_balances b WHERE b.account_id = d.a AND b.date < d.d ORDER BY b.date DESC LIMIT 1), 0) "
           "FROM unnest($1::bigint[], $2::text[]) AS d(a, d) ORDER BY 1, 2 ON CONFLICT (account_id, date) DO NOTHING",
           {accounts, dates});
  auto r = db_.exec(
      "WITH d AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS d(a, d, delta)), "
      "f AS (SELECT a, min(d) AS first FROM d GROUP BY a), "
      "r AS (SELECT b.account_id, b.date, b.balance, sum(coalesce(d.delta, 0)) OVER w AS shift "
      "  FROM account_balances b JOIN f ON f.a = b.account_id AND b.date >= f.first "
      "  LEFT JOIN d ON d.a = b.account_id AND d.d = b.date WINDOW w AS (PARTITION BY b.account_id ORDER BY b.date)), "
      "s AS (SELECT *, max(shift) OVER w AS hi, min(shift) OVER w AS lo FROM r "
      "  WINDOW w AS (PARTITION BY account_id ORDER BY date)), "
      "bad AS (SELECT 1 FROM s WHERE balance + hi > 9223372036854775807 OR balance + lo < -9223372036854775808 LIMIT 1), "
      "u AS (UPDATE account_balances b SET balance = b.balance + s.shift FROM s WHERE b.account_id = s.account_id "
      "  AND b.date = s.date AND s.shift <> 0 AND NOT EXISTS (SELECT 1 FROM bad) RETURNING 1) "
      "SELECT EXISTS (SELECT 1 FROM bad), (SELECT count(*) FROM u)",
      {accounts, dates, sums});
  return r.text(0, 0) == "f";
}

Result<void> PgStore::flush_balances() {
  send_batch();
  if (state_.pending.empty()) return {};
  db_.exec("SAVEPOINT soquy_flush");
  if (flush_balances_at_once()) {
    db_.exec("RELEASE SAVEPOINT soquy_flush");
    state_.pending.clear();
    return {};
  }
  db_.exec("ROLLBACK TO SAVEPOINT soquy_flush");
  for (const auto& [key, delta] : state_.pending) {
    const std::string date = Date::from_days(key.second).to_iso();
    if (delta.overflowed) {
      db_.exec("ROLLBACK TO SAVEPOINT soquy_flush");
      return overflow(key.first, date);
    }
    db_.exec_prepared(prepared("balance_day_row"), {num(key.first), date});
    const std::string state =
        db_.try_exec_prepared(prepared("balance_shift"), {num(key.first), date, num(delta.sum)});
    if (state == "22003") {
      db_.exec("ROLLBACK TO SAVEPOINT soquy_flush");
      return overflow(key.first, date);
    }
    if (!state.empty()) throw SoquyException(Error::io(fmt::format(fmt::runtime(tr("PostgreSQL: SQLSTATE {}")), state)));
  }
  db_.exec("RELEASE SAVEPOINT soquy_flush");
  state_.pending.clear();
  return {};
}

std::vector<std::string> PgStore::verify_balances(std::size_t limit, std::int64_t& rows_checked) {
  flush_or_throw();
  rows_checked = db_.exec("SELECT count(*) FROM account_balances").int64(0, 0);
  auto r = db_.exec(
      "WITH daily AS (SELECT p.account_id, e.date, sum(p.amount) AS delta FROM postings p "
      "  JOIN entries e ON e.id = p.entry_id GROUP BY p.account_id, e.date), "
      "cum AS (SELECT account_id, date, sum(delta) OVER (PARTITION BY account_id ORDER BY date) AS balance FROM daily) "
      "SELECT coalesce(c.account_id, s.account_id), coalesce(c.date, s.date), c.balance, s.balance, "
      "  (SELECT bk.code || ' ' || a.code FROM accounts a JOIN books bk ON bk.id = a.book_id "
      "   WHERE a.id = coalesce(c.account_id, s.account_id)) "
      "FROM cum c FULL OUTER JOIN account_balances s ON s.account_id = c.account_id AND s.date = c.date "
      "WHERE c.balance IS DISTINCT FROM s.balance ORDER BY 1, 2 LIMIT $1",
      {num(static_cast<std::int64_t>(limit))});
  std::vector<std::string> out;
  for (int i = 0; i < r.size(); ++i) {
    auto account = r.null(i, 4) ? fmt::format("#{}", r.int64(i, 0)) : r.text(i, 4);
    auto stored = r.null(i, 3) ? std::string(tr("missing")) : r.text(i, 3);
    if (r.null(i, 2)) {
      out.push_back(fmt::format(fmt::runtime(tr("account {} on {}: stored balance {} but no postings fall on that day")),
                                account, r.text(i, 1), stored));
    } else {
      out.push_back(fmt::format(fmt::runtime(tr("account {} on {}: stored balance {} but the postings give {}")),
                                account, r.text(i, 1), stored, r.text(i, 2)));
    }
  }
  return out;
}

// A LOGIN role for the person (created without a password: set it the PostgreSQL way), member of
// soquy_<role>, with CONNECT on this database; a role already in the cluster (roles are
// cluster-wide) only gains the membership and CONNECT. Through schema 17's soquy_add_login(),
// which runs with the schema owner's CREATEROLE and which only admins may call: no admin's login
// has CREATEROLE itself.
void PgStore::add_login(const std::string& name, Role role) {
  db_.exec("SELECT soquy_add_login($1, $2)", {name, std::string(to_string(role))});
}

pg::Connection* pg_connection(Store& store) {
  auto* pg = dynamic_cast<PgStore*>(&store);
  return pg ? &pg->connection() : nullptr;
}

std::unique_ptr<Store> pg_snapshot_reader(Store& store) {
  auto* pg = dynamic_cast<PgStore*>(&store);
  if (!pg) return nullptr;
  // Only a read-only transaction's snapshot: another connection would not see a writer's rows.
  if (!pg->connection().in_transaction()) return nullptr;
  auto r = pg->connection().exec(
      "SELECT CASE WHEN current_setting('transaction_read_only') = 'on' THEN pg_export_snapshot() END");
  if (r.null(0, 0)) return nullptr;
  const std::string snapshot = r.text(0, 0);
  if (snapshot.find_first_not_of("0123456789ABCDEF-") != std::string::npos) return nullptr;
  auto reader = std::make_unique<PgStore>(pg->uri());
  reader->connection().exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  reader->connection().exec("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
  return reader;
}

bool is_server_uri(std::string_view db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<Store>> open_pg_store(const std::string& uri, StoreMode mode) {
  try {
    auto store = std::make_unique<PgStore>(uri);
    // Refused as SQLite refuses an unknown --user (exit 77), not by the server's "permission
    // denied" on the first table read.
    const auto who = store->identify(mode == StoreMode::kReadOnly);
    if (mode != StoreMode::kCreate && !who.member)
      return fail(Error::permission(fmt::format(
          fmt::runtime(tr("unknown user '{}' (an admin adds users with `soquy user add`)")), store->session_login())));
    const auto applied = who.schema ? store->recorded_versions() : std::set<int>{};
    const int newest = pg_migrations().empty() ? 0 : version_of(pg_migrations().back());
    if (mode == StoreMode::kCreate && !applied.empty())
      return fail(Error::cant_create(tr("the PostgreSQL database already holds a soquy database; not overwriting it")));
    if (mode != StoreMode::kCreate && applied.empty())
      return fail(Error::io(tr("the PostgreSQL database is not a soquy database (create one with `soquy init`)")));
    if (!applied.empty() && *applied.rbegin() > newest)
      return fail(Error::io(fmt::format(
          fmt::runtime(tr("the PostgreSQL database was made by a newer soquy (schema {}, this program knows {}); upgrade soquy")),
          *applied.rbegin(), newest)));
    bool complete = true;
    for (const auto& m : pg_migrations()) complete = complete && applied.count(version_of(m));
    if (mode == StoreMode::kReadOnly && !complete)
      return fail(Error::io(fmt::format(
          fmt::runtime(tr("the PostgreSQL database has an older schema than this soquy needs ({}); any writing command "
                          "(e.g. `soquy user add`) upgrades it")),
          newest)));
    if (mode != StoreMode::kReadOnly && !complete) store->migrate(mode == StoreMode::kCreate);
    return std::unique_ptr<Store>(std::move(store));
  } catch (const SoquyException& e) {
    return fail(e.error());
  }
}

}  // namespace soquy
