// Who may read a group's own records (rotating and savings groups), private to the groups' engines.
#pragma once

#include <string>

#include "soquy/ledger.h"

namespace soquy {

// On a PostgreSQL server a treasurer sees only her own groups' rows (row-level security,
// schemas/postgresql/README.md): another group would read as one with nothing recorded, so she is
// refused before it is read (exit 77), with the message she gets before writing there. On a
// SQLite file nothing is hidden and nothing changes.
inline Result<void> require_group_rows(Ledger& ledger, const std::string& book) {
  if (ledger.actor().role != Role::kTreasurer || !ledger.server_login()) return {};
  return ledger.require_write(book);
}

}  // namespace soquy
