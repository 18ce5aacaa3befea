// soquy — the dues check of `soquy check` (named checks, soquy/named_check.h).
#pragma once

#include "soquy/ledger.h"
#include "soquy/named_check.h"

namespace soquy {

// dues.receivable: the dues billed to members less the dues they paid equal the union book's
// receivable 1318, as of every date (the first date on which they differ is reported, with both
// figures as of it). A billing run posts one entry for all its members, so the figure is
// compared for the union as a whole, not member by member. Items = the members ever billed.
NamedCheck check_dues_receivable(Ledger& ledger);

}  // namespace soquy
