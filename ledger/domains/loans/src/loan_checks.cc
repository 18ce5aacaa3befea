// The loans' named checks: the records against the fund book, and each schedule against its loan.
#include "soquy/loan_checks.h"

#include <algorithm>

#include <fmt/format.h>

#include "loan_schedule_codec.h"
#include "loan_store.h"
#include "soquy/charts.h"

namespace soquy {
namespace {

namespace fund = charts::fund;

struct FigureSpec {
  std::string_view name;
  LoanStore::Figure figure;  // postings are debits (+1) or credits (-1) of the figure
};

// In LoanFigure order.
const std::vector<FigureSpec>& figure_specs() {
  static const std::vector<FigureSpec> kSpecs = {
      {"loans.principal", {"principal", fund::kLoans, 1}},
      {"loans.interest", {"interest", fund::kInterestIncome, -1}},
      {"loans.penalty", {"penalty", fund::kPenaltyIncome, -1}},
      {"loans.savings", {"savings", fund::kCompulsorySavings, -1}},
      {"loans.overpayment", {"overpayment", fund::kOverpayments, -1}},
  };
  return kSpecs;
}

// "loan L-001 (member HV0001)": a difference names the loan and whose it is.
std::string loan_record(LoanStore& store, const std::string& code) {
  auto row = store.find_loan(code);
  if (!row) return "loan " + code;
  return fmt::format("loan {} (member {})", code, row->member_code);
}

}  // namespace

std::vector<NamedCheck> check_loan_figures(Ledger& ledger) {
  const auto& specs = figure_specs();
  LoanStore store(ledger.store());
  const std::int64_t loans = store.loan_count();
  std::vector<NamedCheck> out(specs.size());
  std::vector<LoanStore::Figure> figures;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    out[i].name = std::string(specs[i].name);
    out[i].items = loans;
    figures.push_back(specs[i].figure);
  }
  // The rows come by loan, then day: the first differing day of each figure is kept per loan.
  std::string loan_seen;
  std::vector<bool> reported(specs.size());
  store.for_each_figure_difference(figures, [&](const std::string& loan, Date d, const std::vector<std::int64_t>& records,
                                                const std::vector<std::int64_t>& journal) {
    if (loan != loan_seen) {
      loan_seen = loan;
      std::fill(reported.begin(), reported.end(), false);
    }
    for (std::size_t i = 0; i < specs.size(); ++i) {
      if (reported[i] || records[i] == journal[i]) continue;
      reported[i] = true;
      if (out[i].differences.size() >= NamedCheck::kMaxDifferences) {
        ++out[i].not_shown;
        continue;
      }
      out[i].add(CheckDifference{std::string(fund::kBook), std::string(specs[i].figure.account),
                                 store.loan_label(std::stoll(loan)), Money(records[i]), Money(journal[i]), d});
    }
  });
  return out;
}

NamedCheck check_loan_figure(Ledger& ledger, LoanFigure figure) {
  return check_loan_figures(ledger)[static_cast<std::size_t>(figure)];
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
    if (scheduled != Money(principal) && c.differences.size() >= NamedCheck::kMaxDifferences)
      ++c.not_shown;
    else if (scheduled != Money(principal))
      c.add(CheckDifference{std::string(fund::kBook), "schedule", loan_record(store, loan), Money(principal), scheduled,
                            std::nullopt});
  });
  return c;
}

}  // namespace soquy
