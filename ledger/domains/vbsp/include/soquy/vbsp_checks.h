// soquy — the VBSP check of `soquy check` (named checks, soquy/named_check.h).
#pragma once

#include "soquy/ledger.h"
#include "soquy/named_check.h"

namespace soquy {

// vbsp.memo: the entrust memo book against the imported register and the collections, loan by
// loan, as of every date: each register loan's outstanding (its amount less the principal
// collected) equals its share of 9121, and the savings collected for it (in less out) its share
// of 9131. A loan's share is the postings of its own entries (its disbursement, each principal
// or savings receipt) and of every reversal of them; memo entries posted by hand belong to no
// loan. Items = the register loans.
NamedCheck check_vbsp_memo(Ledger& ledger);

}  // namespace soquy
