// Rows of the VBSP entrustment tables (schemas/0008_vbsp.sql) and their storage under soquy::Vbsp
// (not public API). Vbsp owns the rules; this class only keeps and finds rows. All SQL is in
// sqlite_vbsp.cc, on the journal's connection, so its writes join the Ledger's transactions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "soquy/civil_date.h"

namespace soquy {

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

class VbspStore {
 public:
  explicit VbspStore(Store& store) : store_(store) {}

  std::optional<VbspLoanRow> find_loan(const std::string& loan_no);
  std::vector<VbspLoanRow> loans();  // by loan number
  std::int64_t insert_loan(const VbspLoanRow& l, const std::string& recorded_at, std::int64_t user_id);

  std::optional<VbspTransactionRow> find_transaction(const std::string& receipt_no);
  // Transactions of one loan, by date then id.
  std::vector<VbspTransactionRow> transactions(std::int64_t loan_id);
  // Every transaction dated on or before `as_of`, by loan, date, id.
  std::vector<VbspTransactionRow> all_transactions(Date as_of);
  void insert_transaction(const VbspTransactionRow& t, const std::string& recorded_at, std::int64_t user_id);

  // The newest version of the statement as of `as_of`.
  std::optional<VbspStatementHead> newest_statement(Date as_of);
  std::vector<VbspStatementHead> statements();  // by as_of, version
  std::vector<VbspStatementRow> statement_rows(std::int64_t statement_id);  // by loan number
  std::int64_t insert_statement(const VbspStatementHead& h, const std::vector<VbspStatementRow>& rows,
                                std::int64_t user_id);

 private:
  Store& store_;
};

}  // namespace soquy
