// soquy — importing disbursements and repayments of fund loans from CSV files
// (`soquy import loans FILE.csv`, `soquy import repayments FILE.csv`).
//
// Each row is what one `soquy loan disburse` / `soquy loan repay` would record, through LoanBook
// (loans.h), so the rules, postings and messages are the commands'. The columns are the long
// flags of those commands (Vietnamese names accepted, docs/formats.md):
//   loans       loan,member,product,amount,date[,group,memo]
//   repayments  loan,amount,date[,savings,receipt,prepay]
// A repayment above what its loan owes on its date is refused (LoanBook::repay) unless its
// prepay cell says it is a prepayment (the cell as in a collection file, loan_files.h).
// Files: UTF-8 with or without BOM, CR LF or LF, RFC 4180 quoting, dates YYYY-MM-DD or
// DD/MM/YYYY, amounts whole đồng (csv_reader.h, parse_money).
//
// One transaction: every row is checked (fields first, then each row against the book, in the
// order rows are applied); one bad row and nothing is written, and the error (kBadInput, exit 65)
// lists every problem found as `FILE:LINE: column: what` in line order (at most 20, then
// "… and N more").
//
// Order: rows are applied by date, then by line, whatever their order in the file, so a loan's
// repayments go in date order as LoanBook requires (two rows of one loan on one day keep their
// file order), and disbursements see the fund's cash and the member's loans as of their date.
//
// Idempotent: importing the same file twice changes nothing.
// - loans: a loan code already recorded with the same member, product, amount, date and group
//   is counted "already there"; with other content it is an error at that row.
// - repayments: the receipt is the idempotency key (per loan), as for `loan repay --id`. A row
//   without a receipt gets one from its content, "import:DATE:AMOUNT:SAVINGS:N", N counting the
//   receipt-less rows of that loan with that same date, amount and savings in the file (1 for
//   the first): re-importing the row — from this file or from a renamed or re-sorted copy — finds
//   it, and two identical payments in one file are two payments. A second identical payment in
//   a later file needs a receipt. A receipt already used for that loan with another date,
//   amount or savings is an error at that row.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "soquy/error.h"
#include "soquy/ledger.h"
#include "soquy/read_options.h"

namespace soquy {

struct LoanImportOptions {
  // Called every `progress_every` rows applied (for a TTY progress line), with the count and
  // the number of rows of the file.
  std::function<void(std::int64_t, std::int64_t)> on_progress;
  std::int64_t progress_every = 1000;
  CsvReadOptions read;  // delimiter and encoding, as the user gave them ("" = detect)
};

struct LoanImportSummary {
  std::int64_t rows = 0;      // data rows (blank lines not counted)
  std::int64_t created = 0;   // loans disbursed / repayments recorded
  std::int64_t existing = 0;  // already recorded with the same content (unchanged)
};

// Column names, required then optional, as the header must spell them (aliases aside).
inline constexpr const char* kLoanImportColumns = "loan,member,product,amount,date,group,memo";
inline constexpr const char* kRepaymentImportColumns = "loan,amount,date,savings,receipt,prepay";

// The receipt given to a repayment row without one (see above); n ≥ 1.
std::string import_receipt(Date date, std::int64_t amount, std::int64_t savings, std::int64_t n);

Result<LoanImportSummary> import_loans(Ledger& ledger, const std::string& path, const LoanImportOptions& options = {});
Result<LoanImportSummary> import_repayments(Ledger& ledger, const std::string& path,
                                            const LoanImportOptions& options = {});

}  // namespace soquy
