// Rows of the VBSP entrustment tables (schemas/0008_vbsp.sql) and their storage under soquy::Vbsp
// (not public API). Vbsp owns the rules; this class only keeps and finds rows. All SQL is in
// vbsp_store.cc, on the journal's connection (SQLite or PostgreSQL), so its writes join the
// Ledger's transactions.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "soquy/civil_date.h"

namespace soquy {

namespace sql {
class StatementCache;
}

class Store;

struct VbspLoanRow {
  std::int64_t id = 0;
  std::string loan_no;
  std::int64_t group_id = 0;
  std::string group_code;  // joined
  std::int64_t member_id = 0;
  std::string member_code;  // joined
  std::string customer_code;
  std::string national_id;  // "" = NULL
  std::string borrower_name;
  std::string programme;
  Date disbursed_on;
  std::int64_t amount = 0;
  Date maturity_on;
  std::int64_t entry_id = 0;
  std::optional<std::int64_t> reversed_by;  // the entry that reversed its memo posting (read only)
};

struct VbspTransactionRow {
  std::int64_t id = 0;
  std::string receipt_no;
  std::int64_t loan_id = 0;
  std::string loan_no;  // joined
  Date paid_on;
  std::string kind;
  std::int64_t amount = 0;
  std::optional<std::int64_t> entry_id;
  std::optional<std::int64_t> reversed_by;  // the entry that reversed it (read only)
};

struct VbspStatementRow {
  std::string loan_no;
  std::int64_t line = 0;
  std::string group_code, commune_code, office_code;  // "" = NULL for commune and office
  std::string customer_code, borrower_name, programme;
  std::optional<Date> disbursed_on;
  std::int64_t principal_outstanding = 0, principal_overdue = 0, principal_frozen = 0;
  std::int64_t interest_collected = 0, interest_unpaid = 0, savings_balance = 0;
  std::string status;  // OPEN | CLOSE
};

struct VbspStatementHead {
  std::int64_t id = 0;
  Date as_of, period_from;
  int version = 1;
  std::string source, content_hash;
  std::int64_t row_count = 0;
  std::string recorded_at;
};

// A forward-only reader of rows (vbsp_store.cc): next() fills `row`, reusing its strings, and
// returns false at the end. For the reconciliation of a whole register against a statement
// without holding either in memory.
template <class Row>
class VbspReader {
 public:
  virtual ~VbspReader() = default;
  virtual bool next(Row& row) = 0;
};

// Sums of one loan's transactions for the reconciliation (VbspStore::transaction_sums).
struct VbspLoanSums {
  std::int64_t loan_id = 0, member_id = 0;
  std::int64_t principal = 0;  // principal paid up to as_of
  std::int64_t interest = 0;   // interest paid in [from, as_of]
  std::int64_t savings = 0;    // savings-in − savings-out up to as_of (this loan's)
};

class VbspStore {
 public:
  explicit VbspStore(Store& store);
  ~VbspStore();
  VbspStore(const VbspStore&) = delete;
  VbspStore& operator=(const VbspStore&) = delete;

  // A loan or transaction whose entry was reversed (corrections, issue 12) no longer counts: the
  // find_* functions return it with reversed_by set; every list leaves it out.
  std::optional<VbspLoanRow> find_loan(const std::string& loan_no);
  std::vector<VbspLoanRow> loans();  // by loan number
  std::vector<std::pair<std::int64_t, std::int64_t>> loan_members();  // (member row id, loan id) of every loan
  std::int64_t insert_loan(const VbspLoanRow& l, const std::string& recorded_at, std::int64_t user_id);

  std::optional<VbspTransactionRow> find_transaction(const std::string& receipt_no);
  std::optional<VbspTransactionRow> find_transaction_by_entry(std::int64_t entry_id);
  // Transactions of one loan, by date then id.
  std::vector<VbspTransactionRow> transactions(std::int64_t loan_id);
  // Every transaction dated on or before `as_of`, by loan, date, id.
  std::vector<VbspTransactionRow> all_transactions(Date as_of);
  void insert_transaction(const VbspTransactionRow& t, const std::string& recorded_at, std::int64_t user_id);

  // The newest version of the statement as of `as_of`.
  std::optional<VbspStatementHead> newest_statement(Date as_of);
  std::vector<VbspStatementHead> statements();  // by as_of, version
  std::vector<VbspStatementRow> statement_rows(std::int64_t statement_id);  // by loan number

  // For the reconciliation: register loans disbursed on or before `as_of`, by loan number
  // (group_code joined; member_code, national_id and entry_id are not read: member_code()).
  std::unique_ptr<VbspReader<VbspLoanRow>> read_loans(Date as_of);
  std::string member_code(std::int64_t member_id);  // of a member's row id
  // The rows of a statement by loan number (statement_rows, one at a time).
  std::unique_ptr<VbspReader<VbspStatementRow>> read_statement_rows(std::int64_t statement_id);
  // Per loan disbursed on or before `as_of` with transactions dated on or before it: the sums
  // of VbspLoanSums, by loan id.
  std::vector<VbspLoanSums> transaction_sums(Date from, Date as_of);
  // Writes the statement's head and its `count` rows, row i (0 ≤ i < count) as `fill_row(i, row)`
  // writes it into one reused row: the caller converts each row as it is written and never holds
  // a second copy of the file. `on_rows`, when given, is told the rows stored so far, every 1,000
  // rows and at the end.
  std::int64_t insert_statement(const VbspStatementHead& h, std::int64_t count,
                                const std::function<void(std::int64_t, VbspStatementRow&)>& fill_row,
                                std::int64_t user_id, const std::function<void(std::int64_t)>& on_rows = {});

 private:
  // The statements of this store, prepared once (an import runs them for every row).
  sql::StatementCache& cache();

  Store& store_;
  std::unique_ptr<sql::StatementCache> cache_;
};

}  // namespace soquy
