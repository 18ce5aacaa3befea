// soquy — the vocabulary of the journal: users, books, accounts, entries, postings.
//
// Invariants the Ledger keeps for every entry it accepts (and `soquy check` re-verifies):
// - it has at least two postings, all in accounts of one book, in that book's currency;
// - its postings sum to exactly zero (debits positive, credits negative);
// - no posting is zero, and no account is closed or unknown;
// - it is appended after the previous entry with hash = SHA-256(previous hash ‖ canonical bytes);
// - it is never updated or deleted; a correction is a reversal entry pointing at it, and an
//   entry has at most one reversal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/money.h"

namespace soquy {

enum class Role { kAdmin, kOfficer, kTreasurer, kAuditor };
Result<Role> parse_role(std::string_view text);  // admin|officer|treasurer|auditor
std::string_view to_string(Role r);

struct User {
  std::int64_t id = 0;
  std::string name;
  Role role = Role::kAuditor;
  std::string created_at;
};

enum class AccountType { kAsset, kLiability, kEquity, kIncome, kExpense, kMemo };
Result<AccountType> parse_account_type(std::string_view text);  // asset|liability|equity|income|expense|memo
std::string_view to_string(AccountType t);
// Whether a positive (debit) balance is the account's natural side: assets, expenses, memo.
bool is_debit_normal(AccountType t);

// Books: "fund" (the Women's Development Fund), "entrust" (off-balance-sheet memo book for
// VBSP entrustment) and "group:CODE" (one per rotating, savings or pooling group).
struct Book {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  std::string currency = "VND";
};

struct Account {
  std::int64_t id = 0;
  std::string book;
  std::string code;
  std::string name;     // Vietnamese, as printed on reports
  std::string name_en;  // English, for docs and --lang en
  AccountType type = AccountType::kAsset;
  std::string parent;   // parent account code in the same book, or ""
  std::optional<Date> closed_on;
};

struct Posting {
  std::string account;  // account code within the entry's book
  Money amount;         // debit > 0, credit < 0, never 0
  friend bool operator==(const Posting&, const Posting&) = default;
};

// Which domain record an entry belongs to (schemas/0013_entry_owners.sql). Every entry a domain
// engine writes carries one; such an entry is corrected only through its domain
// (soquy/corrections.h), so that the domain's records and the journal move together.
struct EntryOwner {
  std::string domain;  // "loans", "savings", "rosca", "vbsp", "dues"
  std::string record;  // for people: the loan code, group code, hụi code, VBSP loan number, member id
  friend bool operator==(const EntryOwner&, const EntryOwner&) = default;
};

// What a caller offers for posting.
struct EntryDraft {
  std::string book;
  Date date;
  std::string memo;
  std::string client_id;  // idempotency key; "" for none
  std::vector<Posting> postings;
  std::optional<EntryOwner> owner;  // set by domain engines; not part of the hashed content
};

// What the journal holds.
struct Entry {
  std::int64_t id = 0;  // sequence number: the order of the hash chain
  std::string book;
  Date date;            // effective date
  std::string memo;
  std::string client_id;
  std::optional<std::int64_t> reverses;  // the entry this one reverses
  std::string user;
  std::string recorded_at;  // UTC timestamp, record time
  std::string prev_hash;
  std::string hash;
  std::vector<Posting> postings;
  std::optional<EntryOwner> owner;  // filled by Ledger::entry(); not hashed
};

// A correction asked for: reverse an entry (soquy/corrections.h). A domain's correction is dated
// at the original entry's date, so that every report as of every date equals a replay of the
// events that survive.
struct ReversalRequest {
  Date date;
  std::string reason;     // required: stored in the reversal's memo, shown in histories
  std::string client_id;  // idempotency key of the reversal; "" for none
};

// What a correction did.
struct CorrectionResult {
  Entry original;                   // the entry that was reversed
  std::vector<Entry> entries;       // what was posted: the reversal(s) first, then re-allocations
  bool created = true;              // false: the same correction had been made before (same id)
  std::vector<std::string> notes;   // for people (Vietnamese): what the domain did besides
};

// The bytes that are hashed for an entry: a JSON array of every field (stable, unambiguous).
std::string canonical_entry_bytes(const Entry& e);
// SHA-256 hex of prev_hash ‖ "\n" ‖ canonical bytes.
std::string entry_hash(const std::string& prev_hash, const Entry& e);
inline const std::string kGenesisHash(64, '0');

}  // namespace soquy
