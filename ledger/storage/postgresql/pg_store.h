// The PostgreSQL store (pg_store.cc): how the storage target and the domains' PostgreSQL code
// reach its connection. Not public API.
#pragma once

#include <memory>

#include "pg_connection.h"

namespace soquy {

class Store;

// The connection under a PostgreSQL store, or nullptr when `store` is another engine's.
pg::Connection* pg_connection(Store& store);

// sql::open_snapshot_reader on a server (sql_query.h); nullptr for another engine's store.
std::unique_ptr<Store> pg_snapshot_reader(Store& store);

}  // namespace soquy
