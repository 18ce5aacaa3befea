// Reports of savings groups and pools. Builders only shape figures computed by soquy::Savings
// (ledger/include/soquy/savings.h); docs/savings.md shows each JSON shape. Amounts are strings of
// đồng in JSON, grouped in tables.
#pragma once

#include "soquy/reports/render.h"
#include "soquy/savings.h"

namespace soquy::reports {

// {"group","date","cycle","meeting","created","entry","savings","social","fines","principal",
//  "interest","penalty","total"}; table: one row of those figures.
Report savings_meeting(const MeetingResult& m);

// {"group","date","cycle","method","leftover_rule","meetings","loan_fund_cash","savings",
//  "profit","distributed","leftover","paid_out","social_fund","entry" (null for a preview),
//  "members":[{"member","name","savings","weight","profit","payout"}]}; weight is an exact
//  rational string ("110000", or "p/q"). Table: the members with a totals row.
Report savings_shareout(const ShareoutResult& s);

// {"group","name","kind","as_of","cycle","meetings","rules":{"share_price","method","leftover"},
//  "cash","social_fund","loan_fund_cash","savings","loans_outstanding","income",
//  "members":[{"member","name","shares","savings","social","fines","grants","loans_outstanding",
//  "balance"}],
//  "loans":[{"loan","member","principal","rate","installments","frequency","method",
//  "disbursed_on","outstanding_principal","overdue_principal","overdue_interest","days_past_due"}]}
// Tables: members, then loans.
Report savings_status(const SavingsStatus& s);

// One loan: {"group","loan","member","principal","rate","installments","frequency","method",
// "disbursed_on","total_interest","schedule":[{"n","due_on","principal","interest","total"}]}.
Report savings_loan(const std::string& group, const GroupLoanStatus& l);
// {"group","loan","date","entry","amount","principal","interest","penalty","outstanding_principal"}
Report savings_repayment(const std::string& group, const GroupRepayment& r);
// {"group","date","member","name","savings"|"balance"}: a member's standing after a movement.
Report savings_member(const std::string& group, Date date, const MemberSavings& m, bool pool);
// {"group","date","amount","entry","charges":[{"member","amount"}]}
Report pool_purchase(const PoolPurchaseResult& p);

}  // namespace soquy::reports
