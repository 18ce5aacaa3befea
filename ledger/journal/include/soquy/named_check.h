// soquy — the result of one named check of `soquy check`.
//
// Every invariant that `check` proves is one named check (beancount's validations, hledger's
// JournalChecks): the journal's own (journal.guards, journal.chain, journal.balanced,
// journal.balances) and one per sub-ledger or domain invariant (loans.principal, savings.members,
// …), each produced by the domain that owns the records. The list and its order live in
// ledger/checks (soquy/checks.h); a domain only returns NamedCheck values.
//
// A check finds two kinds of breaks:
//   - a difference: a figure that two records should agree on and do not — a sub-ledger against
//     its control account, a schedule against its loan. It names the book, the account (or the
//     records' field) and the record (the loan, member or group, never "the sub-ledger"), and
//     carries both amounts in đồng;
//   - a problem: a sentence for a break that is not two amounts (a missing trigger, a hash that
//     does not match).
// Neither is an error of the program: a check that finds breaks still returns normally.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/money.h"

namespace soquy {

struct CheckDifference {
  std::string book;     // "fund", "group:HUI-01", "entrust", "union"
  std::string account;  // the control account's code, or the records' field ("schedule")
  std::string record;   // whose figure it is: "loan L-001 (HV0001)", "group TK-01", …
  Money expected;       // what the domain's records give (the sub-ledger)
  Money actual;         // what the journal (or the other record) gives
  // For figures compared as of every date: the first date on which they differ, and the two
  // figures are as of that date. Empty for invariants without a date.
  std::optional<Date> date;
};

struct NamedCheck {
  // At most this many differences are kept; the rest are counted in `not_shown`.
  static constexpr std::size_t kMaxDifferences = 50;

  std::string name;        // "loans.principal"
  std::int64_t items = 0;  // how many records (entries, loans, groups, …) the check went through
  std::vector<CheckDifference> differences;
  std::int64_t not_shown = 0;  // differences found beyond kMaxDifferences
  std::vector<std::string> problems;  // one precise sentence per break that is not a difference

  bool ok() const { return differences.empty() && problems.empty() && not_shown == 0; }
  // Keeps `d` (or counts it when kMaxDifferences are kept already).
  void add(CheckDifference d) {
    if (differences.size() < kMaxDifferences)
      differences.push_back(std::move(d));
    else
      ++not_shown;
  }
};

}  // namespace soquy
