// The PostgreSQL migrations of schemas/postgresql/, embedded at build time, in file order. They
// share SQLite's numbering (NNNN of the file name = the schema version it brings); a version
// PostgreSQL does not need is a file holding only a comment saying why.
#pragma once

#include <vector>

#include "migrations.h"

namespace soquy {

const std::vector<Migration>& pg_migrations();

}  // namespace soquy
