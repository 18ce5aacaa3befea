// The storage interface under the Ledger. The Ledger owns the rules (balance, idempotency,
// roles, hash chain); a Store only keeps and finds rows. SQLite (sqlite_store.cc) is the
// embedded default; PostgreSQL (postgresql/pg_store.cc) the server.
//
// Store methods throw SoquyException(kIo) on an infrastructure failure; expected outcomes
// (not found, client id already used) are return values.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "soquy/charts.h"
#include "soquy/journal.h"
#include "soquy/ledger.h"

namespace SQLite {
class Database;
}

namespace soquy {

// A write transaction: rolled back on destruction unless committed.
class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;
  virtual Result<void> commit() = 0;
};

struct PostingContext {
  Book book;
  std::unordered_map<std::string, Account> accounts;  // by code
};

struct ChainTip {
  std::int64_t id = 0;
  std::string hash = kGenesisHash;
  std::string recorded_at;  // the record time of every entry a command appends (read once)
};

// A stored entry row as the check walks it: postings carry their account's book.
struct CheckedPosting {
  std::string account;
  std::int64_t book_id = 0;
  Money amount;
};

// A trigger that guards the journal (check's journal.guards), as the store found it.
struct GuardTrigger {
  enum class Kind {
    kAppendOnly,  // refuses UPDATE or DELETE of posted entries and postings
    kAuthor,      // an entry names the login that writes it (server, schema 17: entries_author)
    kSameBook,    // a posting's account is in its entry's book (server, schema 17: postings_same_book)
  };
  std::string name;
  Kind kind = Kind::kAppendOnly;
  bool present = false;
  bool enabled = false;  // a superuser may disable a trigger on the server (ALTER TABLE … DISABLE)
};

class Store {
 public:
  virtual ~Store() = default;

  virtual std::unique_ptr<StoreTransaction> begin_write() = 0;
  // A write transaction for a bulk import whose every reference the caller takes from lookups
  // in that same transaction (book, accounts, the acting user, the entry it just appended): the
  // SQLite store turns foreign-key enforcement off on its connection until the transaction ends,
  // then on again. Inside an already open transaction it is begin_write() (checks stay on).
  virtual std::unique_ptr<StoreTransaction> begin_bulk_write() = 0;

  virtual std::optional<std::string> setting(const std::string& key) = 0;
  virtual void put_setting(const std::string& key, const std::string& value) = 0;

  virtual std::optional<User> find_user(const std::string& name) = 0;
  virtual std::optional<User> first_admin() = 0;
  virtual User insert_user(const std::string& name, Role role, const std::string& created_at) = 0;
  virtual std::vector<User> list_users() = 0;

  virtual std::optional<Book> find_book(const std::string& code) = 0;
  // The treasurers named on a group book (book_treasurers): whether `user_id` is one, naming one
  // (a no-op when already named), and their names in name order.
  virtual bool is_book_treasurer(std::int64_t book_id, std::int64_t user_id) = 0;
  virtual void insert_book_treasurer(std::int64_t book_id, std::int64_t user_id, std::int64_t named_by,
                                     const std::string& named_at) = 0;
  virtual std::vector<std::string> book_treasurers(std::int64_t book_id) = 0;
  virtual std::vector<Book> list_books() = 0;
  virtual Book insert_book(const std::string& code, const std::string& name, const std::string& currency) = 0;

  virtual std::vector<Account> list_accounts(std::int64_t book_id) = 0;
  virtual std::optional<Account> find_account(std::int64_t book_id, const std::string& code) = 0;
  virtual Account insert_account(std::int64_t book_id, const Account& spec, std::optional<std::int64_t> parent_id) = 0;
  virtual void close_account(std::int64_t account_id, Date on) = 0;

  virtual ChainTip chain_tip() = 0;
  virtual std::optional<Entry> find_entry(std::int64_t id) = 0;
  virtual std::optional<Entry> find_entry_by_client_id(const std::string& client_id) = 0;
  virtual std::optional<std::int64_t> reversal_of(std::int64_t entry_id) = 0;
  // The domain record an entry belongs to (table entry_owners), if any.
  virtual std::optional<EntryOwner> entry_owner(std::int64_t entry_id) = 0;
  virtual void insert_entry_owner(std::int64_t entry_id, const EntryOwner& owner) = 0;
  // Appends an entry and its postings (account_ids parallel to e.postings) and queues the
  // balance changes. Returns false, writing nothing, when e.client_id is already used.
  virtual bool append_entry(const Entry& e, std::int64_t book_id, std::int64_t user_id,
                            const std::vector<std::int64_t>& account_ids) = 0;
  // Applies queued balance changes. kBadInput if a balance would leave the 64-bit range.
  virtual Result<void> flush_balances() = 0;

  virtual Money balance_as_of(std::int64_t account_id, Date as_of) = 0;
  virtual std::vector<RegisterLine> register_lines(std::int64_t account_id, std::optional<Date> from, Date as_of) = 0;
  // Entries in chain order with their postings (book_id 0 = every book).
  virtual void for_each_entry(std::int64_t book_id, const std::function<void(const Entry&)>& fn) = 0;
  // Same walk for `check`, with each posting's account book as stored.
  virtual void for_each_entry_checked(
      const std::function<void(const Entry&, std::int64_t book_id, const std::vector<CheckedPosting>&)>& fn) = 0;
  // Differences between stored balances and the sum of postings, one sentence each (≤ limit).
  virtual std::vector<std::string> verify_balances(std::size_t limit, std::int64_t& rows_checked) = 0;
  // The guard triggers of the journal this store has, each with its state: the four append-only
  // ones on both engines and, on a server from schema 17, the two that keep identities honest.
  virtual std::vector<GuardTrigger> guards() = 0;
  // The user the change log names for every change this store writes from now on.
  virtual void set_actor(const std::string& user_name) = 0;
  // The change log of the records outside the journal (schema 12), replayed: one sentence per
  // break (≤ limit), naming the table and the record. `changes`/`records`: how many were read.
  virtual std::vector<std::string> verify_records(std::size_t limit, std::int64_t& changes, std::int64_t& records) = 0;

  // A server store: the database login this connection acts as (the acting user is the users
  // row of that name). nullopt for a file store (SQLite), whose acting user soquy chooses.
  virtual std::optional<std::string> login() { return std::nullopt; }
  // A server store: gives the person `name` a login of soquy role `role` (in the current
  // transaction). Nothing for a file store, where a user is only its users row.
  virtual void add_login(const std::string& /*name*/, Role /*role*/) {}
};

namespace detail {
// Adds the accounts of `chart` to `book`, parents first (in the caller's transaction).
Result<void> add_chart(Store& store, const Book& book, const std::vector<charts::ChartLine>& chart);
}  // namespace detail

// The SQLite connection under a SQLite store, for the SQLite-only fast paths of the domain stores
// (raw sqlite3 scans), which ask only after sql::engine_of(store) said SQLite; the domains' SQL
// otherwise runs on either engine through sql::Query (ledger/storage/query/sql_query.h). On any
// other store it throws SoquyException(kInternal): a bug.
SQLite::Database& sqlite_database(Store& store);

enum class StoreMode {
  kCreate,    // a new database: fails if one is there
  kWrite,     // an existing database, migrated to this program's schema (after a backup)
  kReadOnly,  // an existing database, never written (reports, checks, exports; read-only copies)
};
// Opens or creates a SQLite store. The file is not touched before it is known to be a soquy
// database of the expected schema.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, StoreMode mode);

// Whether `db` (--db) names a PostgreSQL server: a postgresql:// or postgres:// URI.
bool is_server_uri(std::string_view db);
// Connects to the PostgreSQL database `uri` and opens its store: kCreate makes the schema (the
// database must hold no soquy schema yet) and makes the login a member of soquy_admin; kWrite
// applies missing migrations; kReadOnly reads one snapshot. kIo when the server cannot be reached.
Result<std::unique_ptr<Store>> open_pg_store(const std::string& uri, StoreMode mode);

}  // namespace soquy
