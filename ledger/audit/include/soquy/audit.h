// soquy — the audit trail: who recorded which entry, when, and the entry's hash in the chain.
//
// The log is read from the journal itself (entries are append-only, so the log cannot be edited
// apart from them): one line per entry in chain order, with the acting user, the record time
// (UTC, as stored) and the entry's SHA-256 (lowercase hex). `soquy check` proves the chain.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/money.h"

namespace soquy {

class Ledger;

struct AuditLogEntry {
  std::int64_t entry = 0;   // entry number (order of the hash chain)
  std::string recorded_at;  // UTC timestamp, e.g. 2026-11-28T09:00:00Z
  std::string user;         // who recorded it
  std::string book;
  Date date;                // effective date
  std::string memo;
  std::string client_id;    // "" for none
  std::optional<std::int64_t> reverses;
  std::int64_t postings = 0;
  Money debits;             // sum of the entry's debit postings (= its credits)
  std::string hash;         // 64 lowercase hex digits
};

struct AuditLogFilter {
  // Days of record (the UTC date of recorded_at), both inclusive; not the effective date: a
  // back-dated entry shows on the day it was typed in.
  std::optional<Date> from, to;
  std::string user;  // "" = every user
};

// The entries matching `filter`, in chain order. kUsage when from is after to; kBadInput when
// `filter.user` names no user of the database.
Result<std::vector<AuditLogEntry>> audit_log(Ledger& ledger, const AuditLogFilter& filter);
// The same entries, the same checks, one at a time as the database reads them: memory does not
// grow with the log (`audit log --format json|csv` on millions of entries). An error `fn`
// returns stops the walk and is returned.
Result<void> for_each_audit_log_entry(Ledger& ledger, const AuditLogFilter& filter,
                                      const std::function<Result<void>(const AuditLogEntry&)>& fn);

// One change of a record outside the journal (schema 12's change log): loans and their events,
// members, units, groups, users and roles, settings, rate tables, hụi and savings-group records,
// the VBSP register and statements. Written by the database's triggers in the same transaction
// as the change; hash-chained, and replayed by `soquy check`.
struct ChangeLogRow {
  std::int64_t seq = 0;      // order of the chain
  std::string recorded_at;   // UTC timestamp
  std::string user;          // who made the change ("schema-upgrade" for records that existed before the log)
  std::string table;         // e.g. loans, members, users
  std::string record;        // the record's key in its table (its primary key, parts joined by '/')
  std::string action;        // insert, update, delete, baseline
  std::string content;       // the record after the change, a JSON object of its columns ("" after delete)
  std::string hash;          // 64 lowercase hex digits
};

struct ChangeLogFilter {
  std::optional<Date> from, to;  // days of record (UTC), both inclusive
  std::string user;              // "" = every user
  std::string table;             // "" = every table
};

// The changes matching `filter`, in chain order. kUsage when from is after to; kBadInput when
// `filter.table` names no logged table.
Result<std::vector<ChangeLogRow>> change_log(Ledger& ledger, const ChangeLogFilter& filter);

}  // namespace soquy
