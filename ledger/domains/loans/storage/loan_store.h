// Rows of the loan tables and the storage under the LoanBook (not public API). The LoanBook
// owns the rules; this class only keeps and finds rows. All SQL of loans is in loan_store.cc and
// loan_checks_store.cc, on the journal's connection (SQLite or PostgreSQL, sql_query.h), so loan
// rows join the Ledger's transactions.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/money.h"

// The overdue scan's raw fast path on SQLite (LoanScan).
struct sqlite3;
struct sqlite3_stmt;

namespace soquy {

namespace sql {
class StatementCache;
}

class Store;
class LoanScan;

struct ProductRow {
  std::int64_t id = 0;
  std::string code, method, rate, frequency, allocation_order, created_at;
  int installments = 0, grace = 0;
  std::optional<std::string> savings_rate, penalty_rate;
  std::optional<std::int64_t> max_amount;
};

struct LoanRow {
  std::int64_t id = 0;
  std::string code;
  std::int64_t member_id = 0;
  std::string member_code, member_name, unit_code, ethnicity;  // joined from the registry
  std::optional<std::int64_t> group_id;
  std::string group_code;  // "" without a group
  std::int64_t product_id = 0;
  std::string product_code;
  std::int64_t principal = 0;
  std::string method, rate, frequency, allocation_order;
  int installments = 0, grace = 0;
  std::optional<std::string> savings_rate, penalty_rate;
  Date disbursed_on;
  std::string schedule;  // encoded, see loan_schedule_codec.h
  std::int64_t entry_id = 0;
  std::optional<std::int64_t> reversed_by;  // the disbursement's reversal: the loan is cancelled
  std::string reversal_reason;
};

struct EventRow {
  std::int64_t id = 0;
  std::int64_t loan_id = 0;
  std::string kind;
  Date on;
  std::int64_t amount = 0, principal = 0, interest = 0, penalty = 0, overpayment = 0, savings = 0;
  std::optional<std::string> schedule;
  std::string detail;
  std::optional<std::string> client_id;
  std::optional<std::int64_t> entry_id;
  std::optional<std::int64_t> reversed_by;  // its reversal entry: the event no longer counts
  std::string reversal_reason;
};

class LoanStore {
 public:
  explicit LoanStore(Store& store);
  ~LoanStore();
  LoanStore(const LoanStore&) = delete;
  LoanStore& operator=(const LoanStore&) = delete;

  std::optional<ProductRow> find_product(const std::string& code);
  std::vector<ProductRow> all_products();  // by code
  std::int64_t insert_product(const ProductRow& p);

  std::optional<LoanRow> find_loan(const std::string& code);
  // The loans of a member / a group, by id, leaving out cancelled loans (disbursement reversed).
  std::vector<LoanRow> loans_of_member(std::int64_t member_id);  // by id
  // The journal entries of the member's loans: disbursements and every event that moved money.
  std::vector<std::int64_t> member_entry_ids(std::int64_t member_id);
  std::vector<LoanRow> loans_of_group(std::int64_t group_id);    // by id
  std::int64_t insert_loan(const LoanRow& l);

  std::vector<EventRow> events_of(std::int64_t loan_id);  // the events that stand, by date, then id
  std::vector<EventRow> all_events_of(std::int64_t loan_id);  // reversed ones too, by date, then id
  // Any event (standing or reversed) with this client id.
  std::optional<EventRow> find_event_by_client_id(std::int64_t loan_id, const std::string& client_id);
  std::int64_t insert_event(const EventRow& e);

  // ---- corrections (loan_corrections.cc) ----
  std::optional<LoanRow> find_loan_by_entry(std::int64_t entry_id);  // whose disbursement it is
  std::optional<LoanRow> find_loan_by_id(std::int64_t id);
  std::optional<EventRow> find_event_by_entry(std::int64_t entry_id);
  // The entries of the standing events whose receipt is `receipt`, on any loan:
  // (loan code, entry id), by loan code. A scan of loan_events: for `soquy reverse RECEIPT` only.
  std::vector<std::pair<std::string, std::int64_t>> entries_of_receipt(const std::string& receipt);
  // The repayment a re-allocation entry belongs to.
  std::optional<EventRow> find_reallocated_event(std::int64_t entry_id);
  std::vector<std::int64_t> reallocation_entries(std::int64_t event_id);  // by id
  void insert_reallocation(std::int64_t event_id, std::int64_t entry_id);
  void mark_loan_reversed(std::int64_t loan_id, std::int64_t reversal_entry, const std::string& reason);
  void mark_event_reversed(std::int64_t event_id, std::int64_t reversal_entry, const std::string& reason);
  void update_split(const EventRow& e);  // its principal, interest, penalty, overpayment
  void insert_collection_row(std::int64_t event_id, std::int64_t group_id, Date meeting);
  // The repayments a collection sheet recorded (standing or reversed), by date then id: the rows
  // of loan_collection_rows, and (sheets recorded before schema 14) events of the group's loans
  // dated `meeting` whose receipt is the default "sheet:GROUP:DATE:LOAN" or a revision of it.
  std::vector<EventRow> collection_events(std::int64_t group_id, const std::string& group_code, Date meeting);

  // Every loan disbursed on or before `as_of` in id order, with its events dated on or before
  // `as_of` (by date, then id): one pass over two cursors (a LoanScan: the rows are reused
  // between calls, and events carry no detail, client id or entry id).
  void for_each_loan(Date as_of, const std::function<void(const LoanRow&, const std::vector<EventRow>&)>& fn);

  // For a pass split over threads: up to `n` scans on connections of their own that read what
  // this store reads (SQLite: new read-only connections to the file; a server: connections that
  // share this one's read-only snapshot). Fewer, or none, when they cannot: an in-memory
  // database, a write transaction open here (another connection would not see it).
  std::vector<std::unique_ptr<LoanScan>> reader_scans(int n);
  // The smallest and largest loan id (0, -1 without loans).
  std::pair<std::int64_t, std::int64_t> loan_id_range();

  // ---- soquy check (loan_checks_store.cc) ----
  // A figure of a loan: a money column of loan_events (principal, interest, …) and the fund
  // account that carries it, whose postings count times `sign`.
  struct Figure {
    std::string_view column, account;
    int sign = 1;
  };
  using DifferenceFn = std::function<void(const std::string& loan, Date d, const std::vector<std::int64_t>& records,
                                          const std::vector<std::int64_t>& journal)>;
  // In one query, for every loan and day on which one of `figures` differs between the loan's
  // records and the postings of the loan's own entries (its disbursement, its events' and every
  // reversal of them): fn(loan code, day, the records' running sums, the journal's), by loan then
  // day; the loan is given by its row id, as text (integer keys group faster than codes). For
  // "principal" the records' figure is the outstanding principal: the loan's principal less its
  // events'.
  void for_each_figure_difference(const std::vector<Figure>& figures, const DifferenceFn& fn);
  // "loan CODE (member CODE)" of the loan with row id `id`.
  std::string loan_label(std::int64_t id);
  std::int64_t loan_count();
  // Every loan (by code) with its principal and its schedule as disbursed (encoded).
  void for_each_schedule(const std::function<void(const std::string& loan, std::int64_t principal,
                                                  const std::string& schedule)>& fn);

 private:
  friend class LoanScan;
  // The statements of this store, prepared once (an import runs them for every row).
  sql::StatementCache& cache();

  Store& store_;
  std::unique_ptr<sql::StatementCache> cache_;
};

// A read-only pass over loans and their events with prepared statements reused from one range
// to the next, columns read by index and the rows' strings reused (the report's hot path).
// Each LoanScan is used by one thread at a time. On SQLite, raw sqlite3 statements prepared once;
// on a PostgreSQL server, the same SQL through sql::Query on the store's connection or its own.
class LoanScan {
 public:
  using Fn = std::function<void(const LoanRow&, const std::vector<EventRow>&)>;
  // On the store's own connection (SQLite or PostgreSQL).
  explicit LoanScan(LoanStore& store);
  // On a new read-only connection to the SQLite `file`, in a read transaction that it holds
  // until it is destroyed, so that every range it scans reads one snapshot.
  explicit LoanScan(const std::string& file);
  // On a server connection of its own (sql::open_snapshot_reader), which it keeps.
  explicit LoanScan(std::unique_ptr<Store> server);
  ~LoanScan();
  LoanScan(const LoanScan&) = delete;
  LoanScan& operator=(const LoanScan&) = delete;

  // Like LoanStore::for_each_loan, for the loans with first_id <= id <= last_id. The rows
  // handed to `fn` are overwritten by the next loan: valid during the call only. Events carry
  // neither detail nor client id nor entry id (the replay does not need them).
  void for_each_loan(Date as_of, std::int64_t first_id, std::int64_t last_id, const Fn& fn);

  // True when this scan (on a connection of its own to a SQLite file) reads the same committed
  // state as the connection `other` (sqlite_raw::StateMark).
  bool reads_state_of(sqlite3* other) const;

 private:
  void prepare();
  Store* server_ = nullptr;  // a PostgreSQL store: the sql::Query path, no raw statements
  std::unique_ptr<Store> own_server_;  // server_ when this scan has its own connection
  sqlite3* db_ = nullptr;
  bool owned_ = false;
  sqlite3_stmt* loans_ = nullptr;
  sqlite3_stmt* events_ = nullptr;
  LoanRow row_;
  std::vector<EventRow> events_buf_;
};

}  // namespace soquy
