// Reports of VBSP entrustment. Builders only shape figures computed by soquy::Vbsp
// (ledger/include/soquy/vbsp.h); docs/vbsp.md shows each JSON shape. Amounts are strings of đồng
// in JSON, grouped in tables.
#pragma once

#include <functional>
#include <iosfwd>

#include "soquy/reports/render.h"
#include "soquy/vbsp.h"

namespace soquy::reports {

// {"as_of","period_from","statement_version","group" (null for all),
//  "summary":{"loans","matched","missing_in_ledger","missing_in_bank","principal_mismatch",
//             "interest_mismatch","savings_mismatch","identity_mismatch"},
//  "items":[{"loan_no","group_code","issues":[…],"causes":[…],
//            "bank":{"customer_code","borrower_name","status","principal_outstanding",
//                    "principal_overdue","principal_frozen","interest_collected",
//                    "interest_unpaid","savings_balance"} | null,
//            "ledger":{"member","customer_code","borrower_name","principal_outstanding",
//                      "interest_collected","savings_balance"} | null,
//            "difference":{"principal_outstanding","interest_collected","savings_balance"} | null}]}
// `difference` is bank − ledger (a CLOSE row counts 0 outstanding), null when one side is
// missing. Items are the loans with an issue only. Table: one row per issue.
Report vbsp_reconciliation(const VbspReconciliation& r);
// The same report written in `format` (row_stream.h): json and csv write the items one by one,
// the same bytes as render(vbsp_reconciliation(r)) without the JSON and table of every item;
// table, xlsx and html render the whole report, xlsx and html only up to document_row_limit()
// table lines (issues; kUsage past it, nothing written).
Result<void> write_vbsp_reconciliation(const VbspReconciliation& r, Format format, std::ostream& out,
                                       const RenderOptions& options);
// `vbsp reconcile`: reconciles and writes as above; json and csv in two passes of
// Vbsp::reconcile (the summary, then each item written as it is found), so memory grows neither
// with the loans nor with the differences. Returns the summary (all matched when loans ==
// matched). `on_progress` is given to the first pass.
Result<VbspReconSummary> write_vbsp_reconciliation(Vbsp& vbsp, Date as_of, const std::string& group, Format format,
                                                   std::ostream& out, const RenderOptions& options,
                                                   const std::function<void(std::int64_t, std::int64_t)>& on_progress = {});

// A printable form too (BÁO CÁO NỢ QUÁ HẠN VỐN ỦY THÁC: totals now and then, whether it grew).
// {"as_of","compare_to","by","rows":[{"key","name","loans","outstanding","overdue","frozen",
//  "overdue_ratio","before":{"loans","outstanding","overdue","frozen","overdue_ratio"} | null,
//  "grew"}],"total":{…as a row without key and name…}}; ratios are 4-decimal strings.
// By commune, the table carries a grouped-bar chart of the overdue at both dates (HTML only).
Report vbsp_overdue(const VbspOverdue& o);

// {"group","from","date","interest","savings","receipts","cash_paid_in","gap",
//  "status":"ok"|"possible misappropriation"|"cash without receipts",
//  "lines":[{"loan_no","member","borrower_name","interest","savings"}]}; gap = receipts − cash.
// A loan with only a withdrawal in the period has no line (nothing was collected for it).
Report vbsp_session(const VbspSessionCheck& s);

// Sheet 13/TD (bảng kê thu lãi, thu tiền gửi tiết kiệm) of one session, from the session check's
// figures: {"form":"13/TD","group","group_name","commune","commune_name","leader","from","date",
//  "lines":[{"loan_no","member","borrower_name","interest","savings_in","savings_out","total"}],
//  "totals":{"interest","savings_in","savings_out","total"}}; total = interest + savings_in (what
// the leader collected: the session check's receipts); savings_out is shown, not deducted. Table:
// one row per loan with an empty signature column and a totals row; a printable form (Mẫu số
// 13/TD) with the leader's, the bank officer's and the union's signatures.
Report vbsp_form_13td(const VbspSessionCheck& s);

// Form 15/TD: {"form":"15/TD","group","group_name","commune","commune_name","leader","as_of",
//  "lines":[{"loan_no","member","borrower_name","programme",
//            "bank":{"principal","interest_unpaid","savings"}|null,
//            "union":{"principal","savings"}|null,
//            "difference":{"principal","savings"},"cause":"","signature":""}],
//  "totals":{"bank_principal","bank_interest_unpaid","bank_savings","union_principal",
//            "union_savings","principal_difference","savings_difference"},
//  "loans_with_difference"}. Table: one row per loan with a totals row; the union's interest
//  owed, the cause and the signature are left empty to be filled in at the check. A printable
//  form (Mẫu số 15/TD) signed by the leader, the bank's officer and the union.
Report vbsp_form_15td(const VbspForm15& f);

// The reconciliation minutes (biên bản đối chiếu) of one group: {"minutes":"biên bản đối chiếu",
//  "group","group_name","commune","commune_name","leader","as_of","period_from",
//  "summary":{…as vbsp_reconciliation…},
//  "totals":{"principal":{"bank","union","difference"},"interest_collected":{…},
//            "savings":{…},"interest_unpaid":{"bank"}},
//  "differences":[{"loan_no","issues":[…],"causes":[…]}]}; difference = bank − union. Table:
//  the four figures with bank, union and difference; the differences as notes; a printable form
//  (BIÊN BẢN ĐỐI CHIẾU) signed by the bank, the union and the leader.
Report vbsp_minutes(const VbspForm15& f, const VbspReconciliation& r);

}  // namespace soquy::reports
