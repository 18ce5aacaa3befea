// SQLite implementation of Store. All SQL of the journal lives here.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

#include "change_log.h"
#include "migrations.h"
#include "sqlite_rows.h"
#include "soquy/clock.h"
#include "soquy/i18n.h"
#include "soquy/sha256.h"
#include "store.h"

namespace soquy {
namespace {

constexpr const char* kGuards[] = {"entries_no_update", "entries_no_delete", "postings_no_update",
                                   "postings_no_delete"};

std::string role_text(Role r) { return std::string(to_string(r)); }

// How long a command waits for another writer to finish before giving up (exit 74): 60 s, or
// SOQUY_BUSY_TIMEOUT seconds (0–3600). A bulk import holds the write lock for its whole file.
int busy_timeout_ms() {
  constexpr int kDefaultSeconds = 60;
  const char* env = std::getenv("SOQUY_BUSY_TIMEOUT");
  if (!env || !*env) return kDefaultSeconds * 1000;
  int seconds = 0;
  const std::string_view text(env);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || seconds < 0 || seconds > 3600)
    return kDefaultSeconds * 1000;
  return seconds * 1000;
}

using sqlite_rows::to_date;

// Reuses one prepared statement: reset and rebind on every use.
class Cached {
 public:
  Cached(SQLite::Database& db, const char* sql) : stmt_(db, sql) {}
  SQLite::Statement& operator*() {
    stmt_.tryReset();  // reset() would rethrow the last failed step's error on the next use
    stmt_.clearBindings();
    return stmt_;
  }

 private:
  SQLite::Statement stmt_;
};

// A prepared statement of the import's hot path, used through the C API: values are bound
// without copies (SQLITE_STATIC: they outlive the step) and the statement is kept for the
// connection's lifetime.
struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using RawStatement = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// The date as stored, YYYY-MM-DD, on the stack (no heap string per bound date).
class IsoDate {
 public:
  explicit IsoDate(const Date& d) : size_(d.write_iso(text_)) {}
  const char* data() const { return text_; }
  int size() const { return static_cast<int>(size_); }

 private:
  char text_[16];
  std::size_t size_;
};

// The 32 bytes of a hex hash, as stored in the BLOB columns.
Sha256Digest stored_hash(const std::string& hex) {
  auto d = digest_from_hex(hex);
  if (!d) throw SoquyException(Error::internal(fmt::format("not a SHA-256 hex digest: '{}'", hex)));
  return *d;
}

// A stored hash column as lowercase hex, the form every caller and report uses.
std::string hash_hex(const SQLite::Column& c) {
  return to_hex(static_cast<const unsigned char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
}

// A queued balance change: the sum of one account's postings on one day.
struct PendingDelta {
  std::int64_t sum = 0;
  bool overflowed = false;
};
struct DayKeyHash {
  std::size_t operator()(const std::pair<std::int64_t, std::int32_t>& k) const {
    return std::hash<std::int64_t>()(k.first * 1'000'003 + k.second);
  }
};
using PendingDeltas = std::unordered_map<std::pair<std::int64_t, std::int32_t>, PendingDelta, DayKeyHash>;

// Turns foreign-key enforcement back on when it goes (after the transaction it outlives).
class ForeignKeysOffUntilEnd {
 public:
  explicit ForeignKeysOffUntilEnd(SQLite::Database* db) : db_(db) {}
  ~ForeignKeysOffUntilEnd() {
    if (!db_) return;
    try {
      db_->exec("PRAGMA foreign_keys = ON");
    } catch (const SQLite::Exception&) {  // nothing sensible to do in a destructor
    }
  }

 private:
  SQLite::Database* db_;
};

class SqliteTransaction : public StoreTransaction {
 public:
  // `fk_restore`: the connection whose foreign keys were turned off for this transaction.
  SqliteTransaction(SQLite::Database& db, PendingDeltas& pending, SQLite::Database* fk_restore = nullptr)
      : fk_(fk_restore), tx_(db, SQLite::TransactionBehavior::IMMEDIATE), pending_(pending) {
    pending_.clear();
  }
  // Rolled back (by SQLite::Transaction) unless committed; queued changes go with it.
  ~SqliteTransaction() override { pending_.clear(); }
  Result<void> commit() override {
    if (!pending_.empty()) return fail(Error::internal("commit with balance changes not flushed"));
    try {
      tx_.commit();
    } catch (const SQLite::Exception& e) {
      return fail(Error::io(fmt::format(fmt::runtime(tr("cannot commit: {}")), e.what())));
    }
    return {};
  }

 private:
  ForeignKeysOffUntilEnd fk_;  // declared first: destroyed after tx_ has committed or rolled back
  SQLite::Transaction tx_;
  PendingDeltas& pending_;
};

class SqliteStore : public Store {
 public:
  SqliteStore(const std::string& path, int flags) : db_(path, flags, busy_timeout_ms()) {
    change_log::register_functions(db_.getHandle(), &actor_);
  }

  // A reading command reads every statement from one snapshot, so a report run while others post
  // sees one state (a trial balance read in several statements balances). The snapshot is taken
  // here and held until the store closes; SQLite's WAL lets writers go on meanwhile.
  void begin_snapshot() {
    db_.exec("BEGIN DEFERRED");
    db_.exec("SELECT count(*) FROM sqlite_schema");  // the first read fixes the snapshot
    snapshot_ = true;
  }

  void configure(bool read_only) {
    db_.exec("PRAGMA foreign_keys = ON");
    db_.exec("PRAGMA cache_size = -65536");  // 64 MiB page cache
    // Never map the database file: a page of a mapped file that the file system cannot back (a
    // full disk, a file truncated by another process) is a SIGBUS, not an error SQLite could
    // report. Debian's SQLite defaults to 0, but another build may not (SQLITE_DEFAULT_MMAP_SIZE),
    // so it is said here. The WAL index (-shm) is still mapped — SQLite has no other way to share
    // it between processes — but SQLite writes a byte into each of its pages before mapping them,
    // so a full disk shows there as an I/O error (exit 74). docs/architecture.md, "No mmap".
    db_.exec("PRAGMA mmap_size = 0");
    if (read_only) {
      db_.exec("PRAGMA query_only = ON");
      return;
    }
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = FULL");  // a committed entry survives a power cut
  }

  int user_version() {
    SQLite::Statement q(db_, "PRAGMA user_version");
    q.executeStep();
    return q.getColumn(0).getInt();
  }

  void migrate(const std::string& path) {
    const auto& all = migrations();
    int version = user_version();
    if (version > static_cast<int>(all.size())) {
      throw SoquyException(Error::io(fmt::format(
          fmt::runtime(tr("{}: made by a newer soquy (schema {}, this program knows {}); upgrade soquy")), path, version, all.size())));
    }
    if (version == static_cast<int>(all.size())) return;
    if (version > 0) {
      // Keep a copy of the file as it was before changing its schema.
      db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      write_backup(path, fmt::format("{}.before-schema-{}", path, version + 1));
    }
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::EXCLUSIVE);
    for (std::size_t i = static_cast<std::size_t>(version); i < all.size(); ++i) {
      db_.exec(std::string(all[i].sql));
      db_.exec(fmt::format("PRAGMA user_version = {}", i + 1));
    }
    change_log::install(db_);  // the change log's triggers follow every table's columns
    tx.commit();
  }

  // Copies the database to `backup` whole or not at all: a partial copy (a full disk) is removed
  // and the upgrade stops there with exit 74, the database untouched.
  static void write_backup(const std::string& path, const std::string& backup) {
    namespace fs = std::filesystem;
    const std::string part = backup + ".part";
    std::error_code ec;
    fs::copy_file(path, part, fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::rename(part, backup, ec);
    if (ec) {
      std::error_code ignored;
      fs::remove(part, ignored);
      throw SoquyException(Error::io(fmt::format(
          fmt::runtime(tr("{}: cannot write the backup copy {} before upgrading the schema ({}); free some disk space and "
          "run the command again: nothing was changed")),
          path, backup, ec.message())));
    }
  }

  void prepare(bool read_only) {
    balance_as_of_ = std::make_unique<Cached>(
        db_, "SELECT balance FROM account_balances WHERE account_id = ? AND date <= ? ORDER BY date DESC LIMIT 1");
    if (read_only) return;
    insert_entry_ = prepare_raw(
        "INSERT INTO entries (id, book_id, date, memo, client_id, reverses, user_id, recorded_at, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id) WHERE client_id IS NOT NULL DO NOTHING");
    insert_posting_ = prepare_raw("INSERT INTO postings (entry_id, line, account_id, amount) VALUES (?, ?, ?, ?)");
  }

  RawStatement prepare_raw(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_.getHandle(), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) throw SQLite::Exception(db_.getHandle(), rc);
    return RawStatement(stmt);
  }

  // Runs a prepared INSERT to completion; returns the number of rows it inserted.
  int step_insert(sqlite3_stmt* stmt) {
    const int rc = sqlite3_step(stmt);
    const int changes = sqlite3_changes(db_.getHandle());
    if (rc != SQLITE_DONE) {
      SQLite::Exception error(db_.getHandle(), rc);
      sqlite3_reset(stmt);
      throw error;
    }
    sqlite3_reset(stmt);
    return changes;
  }

  std::unique_ptr<StoreTransaction> begin_write() override {
    end_snapshot();
    return std::make_unique<SqliteTransaction>(db_, pending_);
  }

  std::unique_ptr<StoreTransaction> begin_bulk_write() override {
    end_snapshot();
    // PRAGMA foreign_keys is a no-op inside a transaction: then the checks simply stay on.
    if (!sqlite3_get_autocommit(db_.getHandle())) return begin_write();
    db_.exec("PRAGMA foreign_keys = OFF");
    try {
      return std::make_unique<SqliteTransaction>(db_, pending_, &db_);
    } catch (...) {
      db_.exec("PRAGMA foreign_keys = ON");
      throw;
    }
  }

  std::optional<std::string> setting(const std::string& key) override {
    // Prepared once (a domain import reads settings per row), reset after the read so that it
    // holds no read open.
    if (!setting_) setting_ = std::make_unique<Cached>(db_, "SELECT value FROM settings WHERE key = ?");
    SQLite::Statement& q = **setting_;
    q.bind(1, key);
    std::optional<std::string> value;
    if (q.executeStep()) value = q.getColumn(0).getString();
    q.tryReset();
    return value;
  }

  void put_setting(const std::string& key, const std::string& value) override {
    SQLite::Statement q(db_, "INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    q.bind(1, key);
    q.bind(2, value);
    q.exec();
  }

  static User read_user(SQLite::Statement& q) {
    User u;
    u.id = q.getColumn(0).getInt64();
    u.name = q.getColumn(1).getString();
    u.role = *parse_role(q.getColumn(2).getString());
    u.created_at = q.getColumn(3).getString();
    return u;
  }

  bool is_book_treasurer(std::int64_t book_id, std::int64_t user_id) override {
    SQLite::Statement q(db_, "SELECT 1 FROM book_treasurers WHERE book_id = ? AND user_id = ?");
    q.bind(1, book_id);
    q.bind(2, user_id);
    return q.executeStep();
  }

  void insert_book_treasurer(std::int64_t book_id, std::int64_t user_id, std::int64_t named_by,
                             const std::string& named_at) override {
    SQLite::Statement q(db_,
                        "INSERT INTO book_treasurers (book_id, user_id, named_by, named_at) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (book_id, user_id) DO NOTHING");
    q.bind(1, book_id);
    q.bind(2, user_id);
    q.bind(3, named_by);
    q.bind(4, named_at);
    q.exec();
  }

  std::vector<std::string> book_treasurers(std::int64_t book_id) override {
    SQLite::Statement q(db_,
                        "SELECT u.name FROM book_treasurers t JOIN users u ON u.id = t.user_id WHERE t.book_id = ? "
                        "ORDER BY u.name");
    q.bind(1, book_id);
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  }

  std::optional<User> find_user(const std::string& name) override {
    SQLite::Statement q(db_, "SELECT id, name, role, created_at FROM users WHERE name = ?");
    q.bind(1, name);
    if (!q.executeStep()) return std::nullopt;
    return read_user(q);
  }

  std::optional<User> first_admin() override {
    SQLite::Statement q(db_, "SELECT id, name, role, created_at FROM users WHERE role = 'admin' ORDER BY id LIMIT 1");
    if (!q.executeStep()) return std::nullopt;
    return read_user(q);
  }

  User insert_user(const std::string& name, Role role, const std::string& created_at) override {
    SQLite::Statement q(db_, "INSERT INTO users (name, role, created_at) VALUES (?, ?, ?)");
    q.bind(1, name);
    q.bind(2, role_text(role));
    q.bind(3, created_at);
    q.exec();
    return User{db_.getLastInsertRowid(), name, role, created_at};
  }

  std::vector<User> list_users() override {
    SQLite::Statement q(db_, "SELECT id, name, role, created_at FROM users ORDER BY id");
    std::vector<User> out;
    while (q.executeStep()) out.push_back(read_user(q));
    return out;
  }

  std::optional<Book> find_book(const std::string& code) override {
    SQLite::Statement& q = use(find_book_, "SELECT id, code, name, currency FROM books WHERE code = ?");
    q.bind(1, code);
    std::optional<Book> out;
    if (q.executeStep())
      out = Book{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                 q.getColumn(3).getString()};
    q.tryReset();
    return out;
  }

  std::vector<Book> list_books() override {
    SQLite::Statement q(db_, "SELECT id, code, name, currency FROM books ORDER BY id");
    std::vector<Book> out;
    while (q.executeStep()) {
      out.push_back(Book{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                         q.getColumn(3).getString()});
    }
    return out;
  }

  Book insert_book(const std::string& code, const std::string& name, const std::string& currency) override {
    SQLite::Statement q(db_, "INSERT INTO books (code, name, currency) VALUES (?, ?, ?)");
    q.bind(1, code);
    q.bind(2, name);
    q.bind(3, currency);
    q.exec();
    return Book{db_.getLastInsertRowid(), code, name, currency};
  }

  static constexpr const char* kAccountColumns =
      "SELECT a.id, b.code, a.code, a.name, a.name_en, a.type, coalesce(p.code, ''), a.closed_on "
      "FROM accounts a JOIN books b ON b.id = a.book_id LEFT JOIN accounts p ON p.id = a.parent_id ";

  static Account read_account(SQLite::Statement& q) {
    Account a;
    a.id = q.getColumn(0).getInt64();
    a.book = q.getColumn(1).getString();
    a.code = q.getColumn(2).getString();
    a.name = q.getColumn(3).getString();
    a.name_en = q.getColumn(4).getString();
    a.type = *parse_account_type(q.getColumn(5).getString());
    a.parent = q.getColumn(6).getString();
    if (!q.getColumn(7).isNull()) a.closed_on = to_date(q.getColumn(7).getString());
    return a;
  }

  std::vector<Account> list_accounts(std::int64_t book_id) override {
    SQLite::Statement q(db_, std::string(kAccountColumns) + "WHERE a.book_id = ? ORDER BY a.code");
    q.bind(1, book_id);
    std::vector<Account> out;
    while (q.executeStep()) out.push_back(read_account(q));
    return out;
  }

  std::optional<Account> find_account(std::int64_t book_id, const std::string& code) override {
    SQLite::Statement q(db_, std::string(kAccountColumns) + "WHERE a.book_id = ? AND a.code = ?");
    q.bind(1, book_id);
    q.bind(2, code);
    if (!q.executeStep()) return std::nullopt;
    return read_account(q);
  }

  Account insert_account(std::int64_t book_id, const Account& spec, std::optional<std::int64_t> parent_id) override {
    SQLite::Statement q(db_, "INSERT INTO accounts (book_id, code, name, name_en, type, parent_id) VALUES (?, ?, ?, ?, ?, ?)");
    q.bind(1, book_id);
    q.bind(2, spec.code);
    q.bind(3, spec.name);
    q.bind(4, spec.name_en);
    q.bind(5, std::string(to_string(spec.type)));
    if (parent_id) q.bind(6, *parent_id);
    q.exec();
    Account out = spec;
    out.id = db_.getLastInsertRowid();
    return out;
  }

  void close_account(std::int64_t account_id, Date on) override {
    SQLite::Statement q(db_, "UPDATE accounts SET closed_on = ? WHERE id = ?");
    q.bind(1, on.to_iso());
    q.bind(2, account_id);
    q.exec();
  }

  ChainTip chain_tip() override {
    SQLite::Statement& q = use(chain_tip_, "SELECT id, hash FROM entries ORDER BY id DESC LIMIT 1");
    ChainTip tip{0, kGenesisHash, now_timestamp()};
    if (q.executeStep()) tip = ChainTip{q.getColumn(0).getInt64(), hash_hex(q.getColumn(1)), tip.recorded_at};
    q.tryReset();
    return tip;
  }

  // CROSS JOIN keeps entries the outer loop (SQLite never reorders it): entries in id order, each
  // one's postings by their primary key, so ORDER BY e.id, p.line needs no sort. Left to the
  // planner, it scanned postings by account and sorted all of them in a temporary b-tree
  // (`export journal` of 1,000,000 entries: 147 MB and 29 s; docs/performance.md, "Memory of
  // streamed output").
  static constexpr const char* kEntryColumns =
      "SELECT e.id, b.code, e.date, e.memo, coalesce(e.client_id, ''), e.reverses, u.name, e.recorded_at, "
      "(SELECT h.hash FROM entries h WHERE h.id = e.id - 1), e.hash, a.code, p.amount, a.book_id, e.book_id "
      "FROM entries e CROSS JOIN postings p ON p.entry_id = e.id JOIN books b ON b.id = e.book_id "
      "JOIN users u ON u.id = e.user_id JOIN accounts a ON a.id = p.account_id ";

  // Reads consecutive rows of one entry (from kEntryColumns) starting at the current row.
  // Returns false when the statement is exhausted.
  template <class Fn>
  void walk_entries(SQLite::Statement& q, Fn&& fn) {
    Entry current;
    std::vector<CheckedPosting> checked;
    std::int64_t current_book = 0;
    bool have = false;
    while (q.executeStep()) {
      std::int64_t id = q.getColumn(0).getInt64();
      if (!have || id != current.id) {
        if (have) fn(current, current_book, checked);
        current = Entry{};
        checked.clear();
        have = true;
        current.id = id;
        current.book = q.getColumn(1).getString();
        current.date = to_date(q.getColumn(2).getString());
        current.memo = q.getColumn(3).getString();
        current.client_id = q.getColumn(4).getString();
        if (!q.getColumn(5).isNull()) current.reverses = q.getColumn(5).getInt64();
        current.user = q.getColumn(6).getString();
        current.recorded_at = q.getColumn(7).getString();
        // The previous entry's hash is not stored: it is the hash of entry id - 1 (ids run
        // without gaps), or the genesis hash for entry 1. The checked walk selects NULL here.
        current.prev_hash = q.getColumn(8).isNull() ? kGenesisHash : hash_hex(q.getColumn(8));
        current.hash = hash_hex(q.getColumn(9));
        current_book = q.getColumn(13).getInt64();
      }
      Money amount(q.getColumn(11).getInt64());
      current.postings.push_back(Posting{q.getColumn(10).getString(), amount});
      checked.push_back(CheckedPosting{q.getColumn(10).getString(), q.getColumn(12).getInt64(), amount});
    }
    if (have) fn(current, current_book, checked);
  }

  std::optional<Entry> find_entry(std::int64_t id) override {
    SQLite::Statement q(db_, std::string(kEntryColumns) + "WHERE e.id = ? ORDER BY p.line");
    q.bind(1, id);
    std::optional<Entry> out;
    walk_entries(q, [&](const Entry& e, std::int64_t, const auto&) { out = e; });
    return out;
  }

  std::optional<Entry> find_entry_by_client_id(const std::string& client_id) override {
    SQLite::Statement q(db_, "SELECT id FROM entries WHERE client_id = ?");
    q.bind(1, client_id);
    if (!q.executeStep()) return std::nullopt;
    return find_entry(q.getColumn(0).getInt64());
  }

  std::optional<std::int64_t> reversal_of(std::int64_t entry_id) override {
    SQLite::Statement q(db_, "SELECT id FROM entries WHERE reverses = ?");
    q.bind(1, entry_id);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getInt64();
  }

  std::optional<EntryOwner> entry_owner(std::int64_t entry_id) override {
    SQLite::Statement q(db_, "SELECT domain, record FROM entry_owners WHERE entry_id = ?");
    q.bind(1, entry_id);
    if (!q.executeStep()) return std::nullopt;
    return EntryOwner{q.getColumn(0).getString(), q.getColumn(1).getString()};
  }

  void insert_entry_owner(std::int64_t entry_id, const EntryOwner& owner) override {
    // Prepared once: domain imports append an owned entry per row.
    if (!insert_owner_) insert_owner_ = std::make_unique<Cached>(db_, "INSERT INTO entry_owners (entry_id, domain, record) VALUES (?, ?, ?)");
    SQLite::Statement& q = **insert_owner_;
    q.bind(1, entry_id);
    q.bind(2, owner.domain);
    q.bind(3, owner.record);
    q.exec();
  }

  bool append_entry(const Entry& e, std::int64_t book_id, std::int64_t user_id,
                    const std::vector<std::int64_t>& account_ids) override {
    // Every bound value lives until the step below (SQLITE_STATIC: no copies).
    sqlite3_stmt* ins = insert_entry_.get();
    const IsoDate date(e.date);
    const Sha256Digest hash = stored_hash(e.hash);
    sqlite3_bind_int64(ins, 1, e.id);
    sqlite3_bind_int64(ins, 2, book_id);
    sqlite3_bind_text(ins, 3, date.data(), date.size(), SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, e.memo.data(), static_cast<int>(e.memo.size()), SQLITE_STATIC);
    if (e.client_id.empty()) {
      sqlite3_bind_null(ins, 5);
    } else {
      sqlite3_bind_text(ins, 5, e.client_id.data(), static_cast<int>(e.client_id.size()), SQLITE_STATIC);
    }
    if (e.reverses) {
      sqlite3_bind_int64(ins, 6, *e.reverses);
    } else {
      sqlite3_bind_null(ins, 6);
    }
    sqlite3_bind_int64(ins, 7, user_id);
    sqlite3_bind_text(ins, 8, e.recorded_at.data(), static_cast<int>(e.recorded_at.size()), SQLITE_STATIC);
    sqlite3_bind_blob(ins, 9, hash.data(), static_cast<int>(hash.size()), SQLITE_STATIC);
    if (step_insert(ins) == 0) return false;  // client id already used
    const std::int32_t day = static_cast<std::int32_t>(e.date.days_since_epoch());
    sqlite3_stmt* post = insert_posting_.get();
    for (std::size_t i = 0; i < e.postings.size(); ++i) {
      const std::int64_t amount = e.postings[i].amount.minor_units();
      sqlite3_bind_int64(post, 1, e.id);
      sqlite3_bind_int64(post, 2, static_cast<std::int64_t>(i + 1));
      sqlite3_bind_int64(post, 3, account_ids[i]);
      sqlite3_bind_int64(post, 4, amount);
      step_insert(post);
      auto& d = pending_[{account_ids[i], day}];
      d.overflowed |= __builtin_add_overflow(d.sum, amount, &d.sum);
    }
    return true;
  }

  Result<void> flush_balances() override {
    if (pending_.empty()) return {};
    // Prepared once: a domain's check may read a balance per row, and each read flushes first.
    SQLite::Statement& prior_q = use(balance_prior_, "SELECT balance FROM account_balances WHERE account_id = ? AND date < ? "
                                                     "ORDER BY date DESC LIMIT 1");
    SQLite::Statement& later_q = use(balance_later_, "SELECT date, balance FROM account_balances WHERE account_id = ? AND date >= ? "
                                                     "ORDER BY date");
    SQLite::Statement& upsert = use(balance_upsert_, "INSERT INTO account_balances (account_id, date, balance) VALUES (?, ?, ?) "
                                                     "ON CONFLICT (account_id, date) DO UPDATE SET balance = excluded.balance");
    auto overflow = [&](std::int64_t account_id, const std::string& date) {
      SQLite::Statement q(db_, "SELECT b.code, a.code FROM accounts a JOIN books b ON b.id = a.book_id WHERE a.id = ?");
      q.bind(1, account_id);
      q.executeStep();
      return fail(Error::bad_input(fmt::format(
          fmt::runtime(tr("the balance of account {} in book {} would overflow on {} (beyond ±9223372036854775807 đồng)")),
          q.getColumn(1).getString(), q.getColumn(0).getString(), date)));
    };
    // By account, then day.
    std::vector<std::pair<std::pair<std::int64_t, std::int32_t>, PendingDelta>> queued(pending_.begin(), pending_.end());
    std::sort(queued.begin(), queued.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    auto it = queued.begin();
    while (it != queued.end()) {
      const std::int64_t account = it->first.first;
      // This account's queued changes, by day, summed with overflow checks.
      std::vector<std::pair<std::string, std::int64_t>> deltas;
      for (; it != queued.end() && it->first.first == account; ++it) {
        std::string date = Date::from_days(it->first.second).to_iso();
        if (it->second.overflowed) return overflow(account, date);
        deltas.emplace_back(std::move(date), it->second.sum);
      }
      prior_q.tryReset();
      prior_q.bind(1, account);
      prior_q.bind(2, deltas.front().first);
      std::int64_t base = prior_q.executeStep() ? prior_q.getColumn(0).getInt64() : 0;
      later_q.tryReset();
      later_q.bind(1, account);
      later_q.bind(2, deltas.front().first);
      std::vector<std::pair<std::string, std::int64_t>> stored;
      while (later_q.executeStep()) stored.emplace_back(later_q.getColumn(0).getString(), later_q.getColumn(1).getInt64());
      // Merge stored rows and new days in date order; every row from the first new day on
      // moves by the running sum of the new deltas.
      std::int64_t shift = 0;
      std::size_t si = 0, di = 0;
      while (si < stored.size() || di < deltas.size()) {
        std::string date;
        bool is_stored = di == deltas.size() || (si < stored.size() && stored[si].first <= deltas[di].first);
        bool is_delta = si == stored.size() || (di < deltas.size() && deltas[di].first <= stored[si].first);
        if (is_stored) {
          date = stored[si].first;
          base = stored[si].second;
          ++si;
        } else {
          date = deltas[di].first;
        }
        if (is_delta) {
          if (__builtin_add_overflow(shift, deltas[di].second, &shift)) return overflow(account, date);
          ++di;
        }
        std::int64_t value;
        if (__builtin_add_overflow(base, shift, &value)) return overflow(account, date);
        if (shift != 0 || !is_stored) {
          upsert.tryReset();
          upsert.bind(1, account);
          upsert.bind(2, date);
          upsert.bind(3, value);
          upsert.exec();
        }
      }
    }
    pending_.clear();
    prior_q.tryReset();
    later_q.tryReset();
    return {};
  }

  SQLite::Database& database() { return db_; }

  Money balance_as_of(std::int64_t account_id, Date as_of) override {
    flush_or_throw();
    auto& q = **balance_as_of_;
    q.bind(1, account_id);
    q.bind(2, as_of.to_iso());
    return Money(q.executeStep() ? q.getColumn(0).getInt64() : 0);
  }

  std::vector<RegisterLine> register_lines(std::int64_t account_id, std::optional<Date> from, Date as_of) override {
    SQLite::Statement q(db_,
                        "SELECT e.id, e.date, coalesce(e.client_id, ''), e.memo, p.amount FROM postings p "
                        "JOIN entries e ON e.id = p.entry_id WHERE p.account_id = ? AND e.date >= ? AND e.date <= ? "
                        "ORDER BY e.date, e.id, p.line");
    q.bind(1, account_id);
    q.bind(2, from ? from->to_iso() : std::string("0000-00-00"));
    q.bind(3, as_of.to_iso());
    std::vector<RegisterLine> out;
    while (q.executeStep()) {
      RegisterLine l;
      l.entry_id = q.getColumn(0).getInt64();
      l.date = to_date(q.getColumn(1).getString());
      l.client_id = q.getColumn(2).getString();
      l.memo = q.getColumn(3).getString();
      l.amount = Money(q.getColumn(4).getInt64());
      out.push_back(std::move(l));
    }
    return out;
  }

  void for_each_entry(std::int64_t book_id, const std::function<void(const Entry&)>& fn) override {
    SQLite::Statement q(db_, std::string(kEntryColumns) + (book_id ? "WHERE e.book_id = ? " : "") +
                                 "ORDER BY e.id, p.line");
    if (book_id) q.bind(1, book_id);
    walk_entries(q, [&](const Entry& e, std::int64_t, const auto&) { fn(e); });
  }

  void for_each_entry_checked(
      const std::function<void(const Entry&, std::int64_t, const std::vector<CheckedPosting>&)>& fn) override {
    // LEFT JOINs so that an entry whose user, book or postings were tampered with still shows.
    SQLite::Statement q(db_,
                        "SELECT e.id, coalesce(b.code, '?'), e.date, e.memo, coalesce(e.client_id, ''), e.reverses, "
                        "coalesce(u.name, '?'), e.recorded_at, NULL, e.hash, coalesce(a.code, '?'), "
                        "coalesce(p.amount, 0), coalesce(a.book_id, -1), e.book_id "
                        "FROM entries e LEFT JOIN books b ON b.id = e.book_id LEFT JOIN users u ON u.id = e.user_id "
                        "LEFT JOIN postings p ON p.entry_id = e.id LEFT JOIN accounts a ON a.id = p.account_id "
                        "ORDER BY e.id, p.line");
    walk_entries(q, fn);
  }

  std::vector<std::string> verify_balances(std::size_t limit, std::int64_t& rows_checked) override {
    flush_or_throw();
    SQLite::Statement count(db_, "SELECT count(*) FROM account_balances");
    count.executeStep();
    rows_checked = count.getColumn(0).getInt64();
    SQLite::Statement q(db_,
                        "WITH daily AS (SELECT p.account_id, e.date, sum(p.amount) AS delta FROM postings p "
                        "  JOIN entries e ON e.id = p.entry_id GROUP BY p.account_id, e.date), "
                        "cum AS (SELECT account_id, date, sum(delta) OVER (PARTITION BY account_id ORDER BY date) "
                        "  AS balance FROM daily) "
                        "SELECT coalesce(c.account_id, s.account_id), coalesce(c.date, s.date), c.balance, s.balance, "
                        "  (SELECT bk.code || ' ' || a.code FROM accounts a JOIN books bk ON bk.id = a.book_id "
                        "   WHERE a.id = coalesce(c.account_id, s.account_id)) "
                        "FROM cum c FULL OUTER JOIN account_balances s ON s.account_id = c.account_id AND s.date = c.date "
                        "WHERE c.balance IS NOT s.balance ORDER BY 1, 2");
    std::vector<std::string> out;
    while (q.executeStep() && out.size() < limit) {
      auto account = q.getColumn(4).isNull() ? fmt::format("#{}", q.getColumn(0).getInt64())
                                             : q.getColumn(4).getString();
      auto stored = q.getColumn(3).isNull() ? std::string(tr("missing")) : q.getColumn(3).getString();
      if (q.getColumn(2).isNull()) {
        out.push_back(fmt::format(
            fmt::runtime(tr("account {} on {}: stored balance {} but no postings fall on that day")),
                                  account, q.getColumn(1).getString(), stored));
      } else {
        out.push_back(fmt::format(fmt::runtime(tr("account {} on {}: stored balance {} but the postings give {}")),
                                  account, q.getColumn(1).getString(), stored, q.getColumn(2).getString()));
      }
    }
    return out;
  }

  void set_actor(const std::string& user_name) override { actor_ = user_name; }

  std::vector<std::string> verify_records(std::size_t limit, std::int64_t& changes, std::int64_t& records) override {
    auto v = change_log::verify(*this, limit);
    changes = v.changes;
    records = v.records;
    return std::move(v.problems);
  }

  std::vector<GuardTrigger> guards() override {
    std::vector<GuardTrigger> out;
    for (const char* name : kGuards) {
      SQLite::Statement q(db_, "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?");
      q.bind(1, name);
      const bool present = q.executeStep();
      out.push_back({name, GuardTrigger::Kind::kAppendOnly, present, present});
    }
    return out;
  }

 private:
  void end_snapshot() {
    if (!snapshot_) return;
    snapshot_ = false;
    db_.exec("COMMIT");
  }

  // The statement in `slot`, prepared at its first use, reset and unbound for this one.
  SQLite::Statement& use(std::unique_ptr<Cached>& slot, const char* sql) {
    if (!slot) slot = std::make_unique<Cached>(db_, sql);
    return **slot;
  }

  void flush_or_throw() {
    if (auto r = flush_balances(); !r) throw SoquyException(r.error());
  }

  std::string actor_;  // read by the change log's triggers (soquy_actor()); outlives db_
  SQLite::Database db_;
  std::unique_ptr<Cached> balance_as_of_;
  std::unique_ptr<Cached> insert_owner_;
  std::unique_ptr<Cached> setting_;
  std::unique_ptr<Cached> find_book_, chain_tip_, balance_prior_, balance_later_, balance_upsert_;
  RawStatement insert_entry_, insert_posting_;
  // Queued balance changes by (account id, day number), applied by flush_balances().
  PendingDeltas pending_;
  bool snapshot_ = false;  // a read transaction of begin_snapshot() is open
};

}  // namespace

SQLite::Database& sqlite_database(Store& store) {
  auto* sqlite = dynamic_cast<SqliteStore*>(&store);
  // Only the SQLite fast paths ask (sql::engine_of first): on another engine it is a bug.
  if (!sqlite) throw SoquyException(Error::internal("sqlite_database() on a store that is not SQLite"));
  return sqlite->database();
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, StoreMode mode) {
  namespace fs = std::filesystem;
  const bool create = mode == StoreMode::kCreate;
  const bool read_only = mode == StoreMode::kReadOnly;
  std::error_code ec;
  if (!create && !fs::exists(path, ec)) {
    return fail(Error::no_input(fmt::format(
        fmt::runtime(tr("{}: no such database (create one with `soquy init`)")), path)));
  }
  try {
    // Read-only access still opens read-write when the file allows it (and query_only below
    // forbids writes): then the last connection to close checkpoints and removes the -wal file,
    // so reading leaves no trace beside the database. A write-protected copy opens read-only.
    // NOMUTEX: a connection belongs to one Ledger, used by one thread (ledger.h), so SQLite's
    // per-call locking is pure cost.
    int flags = SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX | (create ? SQLite::OPEN_CREATE : 0);
    auto store = std::make_unique<SqliteStore>(path, flags);
    // Look before changing anything: a file that is not a soquy database stays untouched.
    const int version = store->user_version();
    if (create && version != 0) {
      return fail(Error::cant_create(fmt::format(
          fmt::runtime(tr("{}: a soquy database is already there; not overwriting it")), path)));
    }
    if (!create && version == 0) {
      return fail(Error::io(fmt::format(
          fmt::runtime(tr("{}: not a soquy database (create one with `soquy init`)")), path)));
    }
    if (read_only && version != static_cast<int>(migrations().size())) {
      return fail(Error::io(fmt::format(
          fmt::runtime(tr("{}: the database has schema {} and this soquy needs {}; any writing "
                                        "command (e.g. `soquy user add`) upgrades it, after a backup copy")),
                                        path, version, migrations().size())));
    }
    store->configure(read_only);
    if (!read_only) store->migrate(path);
    store->prepare(read_only);
    if (read_only) store->begin_snapshot();
    return std::unique_ptr<Store>(std::move(store));
  } catch (const SoquyException& e) {
    return fail(e.error());
  } catch (const SQLite::Exception& e) {
    if (create) return fail(Error::cant_create(fmt::format(
        fmt::runtime(tr("{}: cannot create the database: {}")), path, e.what())));
    return fail(Error::io(fmt::format("{}: {}", path, e.what())));
  }
}

}  // namespace soquy
