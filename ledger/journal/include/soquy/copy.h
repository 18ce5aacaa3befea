// soquy — `soquy copy`: a whole database from one engine to another (issue 14: a commune's laptop
// file joins the provincial server, and back).
//
// Contract:
//  - Every table is copied row for row with its ids: the journal with its hashes, record times
//    and users, and every domain record, so `check` and every report give the same answers on
//    both sides. Users keep their names and roles; on a server each user becomes a login role of
//    its soquy role (its password is set the ordinary PostgreSQL way).
//  - The change log (of records outside the journal) is each database's own history: the
//    destination logs each row the copy writes, as written by `actor` (on a server: the login)
//    at the copy's time. The source's earlier history of those records stays in the source.
//  - The destination is a new SQLite file, an empty PostgreSQL database, or an earlier copy of
//    the same source: rows already there and equal are left alone, rows the source gained since
//    are added, and the derived balances by day (account_balances) follow the source's. A destination row that differs from the source's, or that the source lacks, is
//    refused (kBadInput, field "to"), and nothing is written. (A record the source changed after
//    an earlier copy — a loan reversed since — is such a row: copy into a new database then.)
//  - All or nothing: one transaction on the destination (on an empty server database, the
//    schema too); a new SQLite file that could not be filled is removed. The source is only read
//    (one snapshot).
//  - On a server the copying login needs an admin's rights (the users' logins are made by schema
//    17's soquy_add_login); it writes every user's entries, as only an admin may (the server's
//    entries_author trigger). The copy makes the schema in an empty database.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "soquy/error.h"

namespace soquy {

struct CopiedTable {
  std::string table;
  std::int64_t copied = 0;   // rows written
  std::int64_t present = 0;  // rows the destination already held, equal to the source's
};

struct CopyReport {
  std::vector<CopiedTable> tables;  // in the order they were copied (parents before children)
  std::int64_t copied() const;
  std::int64_t present() const;
};

// The database (--db) as a message may show it: a server URI without its password
// (user:PASSWORD@host, or a password=… parameter), a file path as it is.
std::string shown_database(std::string db);

// Copies the database `from` to `to` (each a SQLite path or a postgresql:// URI). `actor`: the
// name the change log of a SQLite destination gives the copy (the operating-system login).
Result<CopyReport> copy_database(const std::string& from, const std::string& to, const std::string& actor);

}  // namespace soquy
