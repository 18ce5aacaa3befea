// soquy — report builders for loans.
#pragma once

#include <string>

#include "soquy/loan_schedule.h"
#include "soquy/reports/render.h"

namespace soquy::reports {

// A repayment schedule. JSON (the shape of `soquy loan schedule`, issue 4):
// {"loan","currency","principal","method","rate","frequency","grace","disbursed_on",
//  "installments":[{"n","due_on","principal","interest","total"}],"total_principal",
//  "total_interest","equivalent_monthly_rate"} — "loan" is null for a preview, and
// "equivalent_monthly_rate" (flat loans only, else null) is the declining-balance rate per month
// with the same cash flows, as a fraction with 4 decimals ("0.0179" = 1.79 %/month).
Report loan_schedule(const std::string& loan, const LoanTerms& terms, const LoanSchedule& schedule);

}  // namespace soquy::reports
