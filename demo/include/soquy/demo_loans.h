// soquy — the demo's Women's Development Fund portfolio: about 2,300 loans grown over two years
// on the demo province (demo_registry.h), with realistic arrears.
//
// Everything goes through LoanBook (loans.h), so the loans, their events and their entries are
// the real thing: report overdue, collection sheets and provision runs read them as they would
// a fund's own book. Four products (the union's usual ones):
//   TD-12T   flat, 0.65 %/month, 12 monthly instalments (up to 30,000,000)
//   TD-26W   equal-principal (declining), 0.8 %/month, 26 weekly instalments (up to 10,000,000)
//   TD-13B   equal-principal, 0.7 %/month, 13 four-weekly instalments, 2 of them grace (up to 30,000,000)
//   TD-TK12  equal-total, 0.75 %/month, 12 monthly, compulsory savings 1 %/month of the loan and a
//            penalty of 1.5 %/month on overdue principal (up to 40,000,000)
// Capital is deposited in tranches; members of a credit group borrow through it, the others on
// their own. Of the loans, about 72 % are paid on time (some a few days early), 12 % late,
// 10 % in part with catch-ups, 4 % stop paying (written off at the first month end with 180 or
// more days past due; a third of those are later recovered in part) and 2 % are paid off early.
// After the October 2025 flood three loans of the Trà Cú credit group are frozen (khoanh nợ);
// one is unfrozen and extended by four months in January 2026, two stay frozen. One loan deep in
// arrears is rescheduled in March 2026. The loan-loss provision is run at every month end.
//
// Deterministic: a splitmix64 generator with a fixed seed, integer draws only (no standard
// distributions, whose output differs between library versions; no floating point).
#pragma once

#include <cstdint>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/ledger.h"
#include "soquy/money.h"

namespace soquy {

struct LoanDemoOptions {
  std::uint64_t seed = 2025;
  Date start = *Date::from_ymd(2025, 1, 3);  // first capital tranche; loans from the next week
  Date end = *Date::from_ymd(2026, 11, 27);  // last day with activity (the demo's "today" is 2026-11-28)
};

struct LoanDemoSummary {
  std::int64_t products = 0;
  std::int64_t deposits = 0;       // capital tranches
  Money capital;                   // their total
  std::int64_t loans = 0;          // disbursed
  std::int64_t postponed = 0;      // disbursements put off two weeks for want of cash
  Money disbursed;                 // their principal
  std::int64_t repayments = 0;     // repay events
  std::int64_t payoffs = 0;
  std::int64_t writeoffs = 0;
  std::int64_t recoveries = 0;
  std::int64_t frozen = 0;         // loans frozen on `end`
  std::int64_t extensions = 0;
  std::int64_t reschedules = 0;
  std::int64_t provision_runs = 0; // month ends with a provision change posted
  std::int64_t entries = 0;        // journal entries posted by this demo
  Date first;
  Date last;
};

// Needs the demo province (build_registry_demo) in `ledger`; writes in one transaction.
Result<LoanDemoSummary> build_loans_demo(Ledger& ledger, const LoanDemoOptions& options = {});

}  // namespace soquy
