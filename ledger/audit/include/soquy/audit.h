// soquy — the audit trail: who recorded which entry, when, and the entry's hash in the chain.
//
// The log is read from the journal itself (entries are append-only, so the log cannot be edited
// apart from them): one line per entry in chain order, with the acting user, the record time
// (UTC, as stored) and the entry's SHA-256 (lowercase hex). `soquy check` proves the chain.
#pragma once

#include <cstdint>
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

}  // namespace soquy
