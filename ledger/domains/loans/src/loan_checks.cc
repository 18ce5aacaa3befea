// The loans' named checks: the records against the fund book, and each schedule against its loan.
#include "soquy/loan_checks.h"

#include <fmt/format.h>

#include "loan_schedule_codec.h"
#include "loan_store.h"
#include "soquy/charts.h"

namespace soquy {
namespace {

namespace fund = charts::fund;

struct FigureSpec {
  std::string_view name, column, account;
  int sign;  // postings are debits (+1) or credits (-1) of the figure
};

FigureSpec spec_of(LoanFigure f) {
  switch (f) {
    case LoanFigure::kPrincipal: return {"loans.principal", "principal", fund::kLoans, 1};
    case LoanFigure::kInterest: return {"loans.interest", "interest", fund::kInterestIncome, -1};
    case LoanFigure::kPenalty: return {"loans.penalty", "penalty", fund::kPenaltyIncome, -1};
    case LoanFigure::kSavings: return {"loans.savings", "savings", fund::kCompulsorySavings, -1};
    case LoanFigure::kOverpayment: return {"loans.overpayment", "overpayment", fund::kOverpayments, -1};
  }
  return {"loans.?", "principal", fund::kLoans, 1};
}

// "loan L-001 (member HV0001)": a difference names the loan and whose it is.
std::string loan_record(LoanStore& store, const std::string& code) {
  auto row = store.find_loan(code);
  if (!row) return "loan " + code;
  return fmt::format("loan {} (member {})", code, row->member_code);
}

}  // namespace

NamedCheck check_loan_figure(Ledger& ledger, LoanFigure figure) {
  const FigureSpec spec = spec_of(figure);
  NamedCheck c;
  c.name = std::string(spec.name);
  LoanStore store(ledger.store());
  c.items = store.loan_count();
  store.for_each_figure_difference(spec.column, spec.account, spec.sign,
                                   [&](const std::string& loan, Date d, std::int64_t records, std::int64_t journal) {
                                     c.add(CheckDifference{std::string(fund::kBook), std::string(spec.account),
                                                           loan_record(store, loan), Money(records), Money(journal), d});
                                   });
  return c;
}

NamedCheck check_loan_schedules(Ledger& ledger) {
  NamedCheck c;
  c.name = "loans.schedule";
  LoanStore store(ledger.store());
  LoanSchedule s;
  store.for_each_schedule([&](const std::string& loan, std::int64_t principal, const std::string& text) {
    ++c.items;
    try {
      decode_schedule_into(text, s);
    } catch (const SoquyException& e) {
      if (c.problems.size() < NamedCheck::kMaxDifferences)
        c.problems.push_back(fmt::format("{}: its stored schedule cannot be read ({})", loan_record(store, loan),
                                         e.error().message()));
      return;
    }
    Money scheduled;
    for (const auto& i : s.installments) scheduled += i.principal;
    if (scheduled != Money(principal))
      c.add(CheckDifference{std::string(fund::kBook), "schedule", loan_record(store, loan), Money(principal), scheduled,
                            std::nullopt});
  });
  return c;
}

}  // namespace soquy
