// soquy — files of the loan book: a meeting's collection sheet filled in by the group's
// treasurer, read from CSV or .xlsx and recorded in one transaction.
//
// Collection file (`soquy collection-sheet record --group G --date D FILE.csv|FILE.xlsx`): one
// row per loan that received money at the meeting.
//   loan      the loan's code                         (aliases: khoản vay, mã khoản vay, số khế ước)
//   amount    repayment in whole đồng, "" = 0         (aliases: số tiền, thực thu, tiền trả)
//   savings   compulsory savings received, "" = 0     (optional; aliases: tk thực thu, tiết kiệm, thu tk, …)
//   receipt   receipt number, "" = "sheet:GROUP:DATE:LOAN"  (optional; aliases: biên lai, số biên lai, phiếu thu)
//   prepay    the amount is a prepayment: 1, x, yes, có (also y, c, co); "", 0, no, không (also n,
//             k, khong) = not    (optional; aliases: trả trước, trả nợ trước hạn)
// The columns that `soquy collection-sheet --format csv` prints (member, member_name,
// installment, arrears, savings_due, savings_arrears, total, days_past_due, outstanding_principal) are accepted
// and ignored, so the printed sheet, filled in, is a valid file; so is the sheet printed to
// .xlsx, in Vietnamese or English, read as it is or saved by Excel as CSV: its column labels are
// aliases ("Tiết kiệm bắt buộc" / "Compulsory savings" is savings_due; a header with it but no
// savings column is refused), a title line of one cell before the header is skipped, and the
// totals row ("Tổng cộng …", "Total …", no loan) ends the table (the notes and signatures below
// are not read). UTF-8 with or without BOM, quoted fields, CRLF (csv_reader.h). Rows with nothing
// received (amount and savings 0 or empty: the member did not pay) and blank rows are skipped.
//
// Errors (kBadInput, nothing recorded): every bad row, each as `FILE:LINE: column: what`, in
// one message; a loan listed twice with the same receipt (two rows without a receipt number
// would be taken for one receipt); a row the book refuses (unknown loan, a loan of another
// group, disbursed after the meeting, paid off or written off, an event dated after the
// meeting); a row whose amount is more than its loan owes on the meeting's date
// (LoanBook::amount_due; a loan's rows counted together) unless its prepay cell says it is a
// prepayment. At most 20 problems are listed, then "… and N more". Recording the same file twice changes nothing: each row's receipt (or the default
// one) is the repayment's client id, and a receipt already recorded with the same content is
// not recorded again.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/loans.h"
#include "soquy/read_options.h"

namespace soquy {

// The prepay cell (above): true for a prepayment. kBadInput for any other text.
Result<bool> parse_prepay_cell(std::string_view text);

// Reads a collection file. Each receipt's `where` is "FILE:LINE". Errors: kNoInput when the file
// cannot be opened; kBadInput for malformed CSV, a bad header, or bad rows (all of them listed).
Result<std::vector<CollectionReceipt>> read_collection_receipts(const std::string& path,
                                                                const CsvReadOptions& read = {});

struct CollectionRecord {
  std::vector<RepaymentResult> results;  // one per receipt, in file order
  std::int64_t created = 0;              // repayments recorded now
  std::int64_t unchanged = 0;            // receipts already recorded (the same file twice)
};

// Reads `path`, checks every row against the book (all problems listed, FILE:LINE first), then
// records the whole meeting with LoanBook::record_collection: all rows or none.
Result<CollectionRecord> record_collection_file(LoanBook& book, const std::string& group, Date date,
                                                const std::string& path, const CsvReadOptions& read = {});

}  // namespace soquy
