// soquy — corrections (issue 12): `soquy reverse` for every entry, through the rule that owns the
// money.
//
// An entry written by a domain engine carries its owner (Entry::owner: loans, savings, rosca,
// vbsp, dues — schemas/0013_entry_owners.sql). Reversing it goes through that domain
// (LoanBook::reverse_entry, Savings::…, Rosca::…, Vbsp::…, Dues::…), which moves its own records
// with the journal in one transaction, or refuses (kBadInput, naming what must be reversed
// first). An entry with no owner (posted with `soquy post` or `import entries`, a fund deposit,
// a provision run) is reversed in the journal (Ledger::reverse).
//
// Dating: a domain's correction is dated at the original entry's date — the mistake is taken out
// of the history it was put in, so every report as of every date equals a replay of the events
// that survive. A journal reversal is dated `date` (default: the original's date), never before
// the original.
//
// `reason` is required (kBadInput when blank): it is written into the reversal's memo, which the
// audit log, `loan history` and the books' statements show.
#pragma once

#include <optional>
#include <string>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/journal.h"
#include "soquy/ledger.h"

namespace soquy {

struct ReversalAsk {
  std::string entry;           // the entry: its number (42 or #42), its client id, or the receipt
                               // of a loan's repayment as `loan history` shows it (one loan)
  std::optional<Date> date;    // nullopt: the original's date
  std::string reason;          // required
  std::string client_id;       // idempotency key of the correction; "" for none
};

// Reverses one entry through its owner, or in the journal when it has none (see above).
// Errors: kBadInput for an unknown entry, a blank reason, a date other than the original's for a
// domain entry, and every refusal of the owning domain; kPermission as the journal decides.
Result<CorrectionResult> reverse_entry(Ledger& ledger, const ReversalAsk& ask);

}  // namespace soquy
