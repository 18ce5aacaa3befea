// soquy — `soquy check`: the list of named checks, in order.
//
// Each check is one named function (beancount's validations, hledger's JournalChecks) that a
// user can run alone with `soquy check --only NAME`: first the journal's own (the append-only
// triggers, the hash chain, balanced entries, stored balances), then one per sub-ledger and
// domain invariant, produced by the domain that owns the records (soquy/loan_checks.h, …). This
// target only lists them: a new check is one more line in the table of checks.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "soquy/error.h"
#include "soquy/ledger.h"
#include "soquy/named_check.h"

namespace soquy {

struct CheckDescription {
  std::string_view name;  // "loans.principal"
  std::string_view what;  // one line for --help and docs, in the current language (soquy/i18n.h)
};
// Every check, in the order `run_checks` runs them, described in the current language.
std::vector<CheckDescription> check_list();

struct ChecksResult {
  std::vector<NamedCheck> checks;  // in check_list() order (one with `only`)
  // The head of the chain, when journal.chain ran: recorded outside the file (in the audit
  // minutes), it also proves that no newest entries were removed later.
  std::optional<std::int64_t> last_entry;
  std::string last_hash;
  bool ok() const;
  std::int64_t failed() const;  // the checks that found a difference or a problem
};

// Runs every check, or only the one named `only`. An unknown name is a kUsage error that lists
// the names. A check that finds differences is not an error: see ChecksResult::ok().
Result<ChecksResult> run_checks(Ledger& ledger, const std::optional<std::string>& only = std::nullopt);

}  // namespace soquy
