// Reports of VBSP entrustment. Builders only shape figures computed by soquy::Vbsp
// (ledger/include/soquy/vbsp.h); docs/vbsp.md shows each JSON shape. Amounts are strings of đồng
// in JSON, grouped in tables.
#pragma once

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

// {"as_of","compare_to","by","rows":[{"key","name","loans","outstanding","overdue","frozen",
//  "overdue_ratio","before":{"loans","outstanding","overdue","frozen","overdue_ratio"} | null,
//  "grew"}],"total":{…as a row without key and name…}}; ratios are 4-decimal strings.
Report vbsp_overdue(const VbspOverdue& o);

// {"group","from","date","interest","savings","receipts","cash_paid_in","gap",
//  "status":"ok"|"possible misappropriation"|"cash without receipts",
//  "lines":[{"loan_no","member","borrower_name","interest","savings"}]}; gap = receipts − cash.
Report vbsp_session(const VbspSessionCheck& s);

// Form 15/TD: {"form":"15/TD","group","group_name","commune","commune_name","leader","as_of",
//  "lines":[{"loan_no","member","borrower_name","programme",
//            "bank":{"principal","interest_unpaid","savings"}|null,
//            "union":{"principal","savings"}|null,
//            "difference":{"principal","savings"},"cause":"","signature":""}],
//  "totals":{"bank_principal","bank_interest_unpaid","bank_savings","union_principal",
//            "union_savings","principal_difference","savings_difference"},
//  "loans_with_difference"}. Table: one row per loan with a totals row; the union's interest
//  owed, the cause and the signature are left empty to be filled in at the check.
Report vbsp_form_15td(const VbspForm15& f);

// The reconciliation minutes (biên bản đối chiếu) of one group: {"minutes":"biên bản đối chiếu",
//  "group","group_name","commune","commune_name","leader","as_of","period_from",
//  "summary":{…as vbsp_reconciliation…},
//  "totals":{"principal":{"bank","union","difference"},"interest_collected":{…},
//            "savings":{…},"interest_unpaid":{"bank"}},
//  "differences":[{"loan_no","issues":[…],"causes":[…]}]}; difference = bank − union. Table:
//  the four figures with bank, union and difference; the differences and signature lines as notes.
Report vbsp_minutes(const VbspForm15& f, const VbspReconciliation& r);

}  // namespace soquy::reports
