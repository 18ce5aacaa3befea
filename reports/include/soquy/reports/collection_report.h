// soquy — the collection sheet (phiếu thu nợ) of a credit group's meeting: what each member owes
// at that meeting (LoanBook::collection_sheet), and what a recorded meeting received.
#pragma once

#include "soquy/loan_files.h"
#include "soquy/loans.h"
#include "soquy/reports/render.h"

namespace soquy::reports {

// JSON: {"group","group_name","date","currency",
//        "lines":[{"member","member_name","loan","installment","arrears","savings","savings_arrears",
//                  "total","days_past_due","outstanding_principal"}],
//        "totals":{"installment","arrears","savings","savings_arrears","total"}}
// "installment": this period's instalments unpaid (Kỳ này); "arrears": earlier instalments
// unpaid plus penalty (Nợ quá hạn); "savings": this period's compulsory savings due (Tiết kiệm
// bắt buộc); "savings_arrears": earlier periods' compulsory savings not received (TK còn thiếu);
// "total" = the four (Tổng phải thu).
// Table (and CSV): the lines with a totals line and three blank columns to fill in at the
// meeting, "amount" (Thực thu), "savings" (TK thực thu) and "prepay" (Trả trước: x when the
// amount is a prepayment, more than is due). A printable form (PHIẾU THU NỢ: group, meeting
// date, loans, total to collect; the treasurer's and the group leader's signatures, printed under
// the table in the table format too). Filled in, the CSV is a file for
// `soquy collection-sheet record` (its other columns are ignored there).
Report collection_sheet(const CollectionSheet& sheet);

// What `collection-sheet record` did: {"group","date","created","unchanged",
//   "receipts":[{"loan","receipt","amount","savings","principal","interest","penalty",
//                "overpayment","entry","created"}],
//   "totals":{"amount","savings"}}
Report collection_recorded(const std::string& group, Date date, const CollectionRecord& record);

// What `collection-sheet reverse` did: {"group","date","created","rows":[{"loan","original",
//   "entries":[{"entry","date","reverses","memo","created"}],"notes":[…]}]}; per row the original
// entry, then what was posted: its reversal(s) first (reverses: the entry reversed), then the
// re-allocation entries of the loan's later repayments (reverses null). created false: the same
// request (--id) was carried out before and nothing was written.
Report collection_reversed(const CollectionReversal& reversal);

}  // namespace soquy::reports
