// A failure the storage engine asks to retry: PostgreSQL's serialization failure (SQLSTATE 40001)
// or deadlock (40P01). The transaction was rolled back; running it again from its start may
// succeed. Ledger::in_transaction retries a few times; anywhere else it is an I/O error (74).
#pragma once

#include "soquy/error.h"

namespace soquy {

class RetryableStoreFailure : public SoquyException {
 public:
  using SoquyException::SoquyException;
};

}  // namespace soquy
