// A store that can take a bulk import's appends in batches: the PostgreSQL store, where one
// statement per entry costs a round trip and a statement's fixed work on the server each.
// `soquy import entries` finds it with dynamic_cast (the SQLite store is none: its appends cost
// no round trip) and, inside its write transaction, names the client ids of the next entries
// before appending them. The store looks them up in one query; then Store::append_entry of an
// entry whose client id was named and found unused keeps the rows and answers true at once (the
// contract of append_entry holds: no other writer can take the id while the transaction holds
// the chain lock), and the rows go to the server many entries per statement: at the next
// expect_client_ids, before any other read or write of the journal, and at commit. Any other
// append (a client id not named, found used, or named twice) takes the one-row path.
// Kept out of store.h, which most of the tree includes.
#pragma once

#include <string>
#include <vector>

namespace soquy {

class BatchingStore {
 public:
  // The client ids (not empty) of the entries about to be appended, in this write transaction.
  virtual void expect_client_ids(const std::vector<std::string>& client_ids) = 0;

 protected:
  ~BatchingStore() = default;
};

}  // namespace soquy
