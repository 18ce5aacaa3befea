// soquy — report builders for loans: schedules, products, the loan book's events and positions,
// provisions. Each takes what soquy::LoanBook returns and shapes a Report; the JSON shapes are
// the ones documented in docs/cli.md and docs/loans.md ("Commands"). No rule is decided here:
// the figures come from the library, these functions only lay them out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "soquy/journal.h"
#include "soquy/ledger.h"
#include "soquy/loan_schedule.h"
#include "soquy/loans.h"
#include "soquy/reports/render.h"

namespace soquy::reports {

// A repayment schedule. JSON (the shape of `soquy loan schedule`, issue 4):
// {"loan","currency","principal","method","rate","frequency","grace","disbursed_on",
//  "installments":[{"n","due_on","principal","interest","total"}],"total_principal",
//  "total_interest","equivalent_monthly_rate"} — "loan" is null for a preview, and
// "equivalent_monthly_rate" (flat loans only, else null) is the declining-balance rate per month
// with the same cash flows, as a fraction with 4 decimals ("0.0179" = 1.79 %/month).
Report loan_schedule(const std::string& loan, const LoanTerms& terms, const LoanSchedule& schedule);

// The schedule of a stored loan in force on `as_of`: loan_schedule()'s JSON with the loan's
// terms at disbursement, the `schedule` given (the first one, or the one of the last extension
// or rescheduling on or before as_of, found in `events`), and after "equivalent_monthly_rate":
// "as_of", "restructured_by" ("extend"|"reschedule"|null) and "restructured_on" (date|null).
// For a restructured schedule "total_principal" is the principal it spreads (what was owed then).
Report stored_loan_schedule(const Loan& loan, const LoanSchedule& schedule, const std::vector<LoanEvent>& events,
                            Date as_of);

// `loan disburse`: the new loan's schedule (as stored_loan_schedule on its first day), its JSON
// followed by "member", "member_name", "group" (null when none), "product", "entry".
Report loan_disbursed(const Loan& loan);

// [{"code","method","rate","term","frequency","grace","savings_rate","max_amount","penalty_rate",
//   "allocation_order"}] (JSON is an array); savings_rate, max_amount, penalty_rate null when unset.
Report product_list(const std::vector<LoanProduct>& products);

// `loan show`: {"loan","member","status","outstanding_principal","overdue_principal",
// "overdue_interest","days_past_due","bucket","class","overdue_penalty","member_name","group",
// "product","as_of","principal","principal_paid","interest_paid","penalty_paid","overpayment",
// "installments_overdue","oldest_overdue_due_on","provision","savings_arrears"}. bucket, class and
// provision are for loans in the portfolio (active or frozen); null for written-off and closed
// loans. savings_arrears: LoanBook::savings_due(loan, as_of).arrears (0 without savings).
Report loan_detail(const LoanSnapshot& snapshot, const LoanClassTable& classes = {}, Money savings_arrears = Money(0));

// `loan list`: {"as_of","loans":[{"loan","member","member_name","group","product","status",
// "outstanding_principal","overdue_principal","overdue_interest","days_past_due","bucket","class"}],
// "total_outstanding_principal","total_overdue_principal","total_overdue_interest"}.
Report loan_list(const std::vector<LoanSnapshot>& snapshots, Date as_of, const LoanClassTable& classes = {});

// `loan repay` and `loan payoff`: how the money was split, and the loan after it.
// {"loan","event","date","receipt","amount","principal","interest","penalty","overpayment",
//  "savings","created","entry","reallocations","after":{…loan_detail…}}; receipt is null without
// --id; reallocations: the re-allocation entries a late receipt posted for later repayments
// (also listed under the table).
Report loan_repayment(const std::string& loan, const RepaymentResult& result);

// `loan payoff --quote`: {"loan","date","principal","interest","penalty","total"}.
Report payoff_quote(const std::string& loan, const PayoffQuote& quote);

// One event of a stored loan (writeoff, recover, extend, reschedule, freeze, unfreeze):
// {"loan","event","date","amount","principal","interest","detail","receipt","entry",
//  "installments":[…]|null} — installments: the new schedule of an extension or rescheduling.
Report loan_event(const std::string& loan, const LoanEvent& event);

// `loan history`: the disbursement then every event (reversed ones too), in order.
// {"loan","member","events":[{"date","event","amount","principal","interest","penalty",
//  "overpayment","savings","receipt","entry","detail","reversed_by","reallocations"}]}; receipt
// and entry null when absent; reversed_by: the reversal entry (null while the event stands);
// reallocations: the re-allocation entries that changed a repayment's split (its figures are the
// split as it now stands). The detail adds "phân bổ lại (re-allocated) #A, #B" and
// "đã đảo (reversed) #N: REASON".
Report loan_history(const Loan& loan, const std::vector<LoanEvent>& events);

// `provision run`: {"as_of","required","held_before","change","entry"}; entry null when
// nothing was posted.
Report provision_run(const ProvisionRun& run);

}  // namespace soquy::reports
