// soquy — the loans' checks of `soquy check` (named checks, soquy/named_check.h).
//
// The loan records are a sub-ledger of the fund book: each loan's outstanding principal is its
// share of 2111, and the interest, penalty, compulsory savings and overpayment its events say
// were received are its shares of 7021, 7022, 4231 and 4591. A loan's share of an account is the
// sum of the postings of the loan's own entries (its disbursement, each event that moved money)
// and of every reversal of them. The checks compare the two figures loan by loan, as of every
// date: a difference names the loan and its member, the first date on which the figures differ,
// and both figures as of that date. Postings made by hand (`soquy post`) belong to no loan and
// are not compared.
#pragma once

#include <vector>

#include "soquy/ledger.h"
#include "soquy/named_check.h"

namespace soquy {

// The figures of a loan that the fund book carries (the account of each in charts.h).
enum class LoanFigure {
  kPrincipal,    // loans.principal: outstanding principal against 2111
  kInterest,     // loans.interest: interest received against 7021
  kPenalty,      // loans.penalty: penalty received against 7022
  kSavings,      // loans.savings: compulsory savings collected against 4231
  kOverpayment,  // loans.overpayment: overpayments against 4591
};

// The five figure checks (loans.principal … loans.overpayment), in LoanFigure order, from one
// query over the loans, their events and their entries; items = the loans gone through.
std::vector<NamedCheck> check_loan_figures(Ledger& ledger);
// One of them (the query is the same: prefer check_loan_figures for several).
NamedCheck check_loan_figure(Ledger& ledger, LoanFigure figure);
// loans.schedule: each loan's schedule as disbursed repays exactly its principal (the sum of the
// instalments' principal equals the amount disbursed). Items = the loans.
NamedCheck check_loan_schedules(Ledger& ledger);

}  // namespace soquy
