#include "soquy/journal.h"

#include <nlohmann/json.hpp>

#include "soquy/sha256.h"

namespace soquy {

Result<Role> parse_role(std::string_view text) {
  for (auto r : {Role::kAdmin, Role::kOfficer, Role::kTreasurer, Role::kAuditor})
    if (to_string(r) == text) return r;
  return fail(Error::bad_input(fmt::format("unknown role '{}': expected admin, officer, treasurer or auditor", text)));
}

std::string_view to_string(Role r) {
  switch (r) {
    case Role::kAdmin: return "admin";
    case Role::kOfficer: return "officer";
    case Role::kTreasurer: return "treasurer";
    case Role::kAuditor: return "auditor";
  }
  return "?";
}

Result<AccountType> parse_account_type(std::string_view text) {
  for (auto t : {AccountType::kAsset, AccountType::kLiability, AccountType::kEquity, AccountType::kIncome,
                 AccountType::kExpense, AccountType::kMemo})
    if (to_string(t) == text) return t;
  return fail(Error::bad_input(
      fmt::format("unknown account type '{}': expected asset, liability, equity, income, expense or memo", text)));
}

std::string_view to_string(AccountType t) {
  switch (t) {
    case AccountType::kAsset: return "asset";
    case AccountType::kLiability: return "liability";
    case AccountType::kEquity: return "equity";
    case AccountType::kIncome: return "income";
    case AccountType::kExpense: return "expense";
    case AccountType::kMemo: return "memo";
  }
  return "?";
}

bool is_debit_normal(AccountType t) {
  return t == AccountType::kAsset || t == AccountType::kExpense || t == AccountType::kMemo;
}

std::string canonical_entry_bytes(const Entry& e) {
  // A JSON array (not an object) so the field order is part of the format; version first.
  nlohmann::json postings = nlohmann::json::array();
  for (const auto& p : e.postings) postings.push_back({p.account, p.amount.minor_units()});
  nlohmann::json doc = {"soquy-entry/1",
                        e.id,
                        e.book,
                        e.date.to_iso(),
                        e.client_id,
                        e.memo,
                        e.reverses ? nlohmann::json(*e.reverses) : nlohmann::json(nullptr),
                        e.user,
                        e.recorded_at,
                        postings};
  return doc.dump();
}

std::string entry_hash(const std::string& prev_hash, const Entry& e) {
  Sha256 h;
  h.update(prev_hash);
  h.update("\n");
  h.update(canonical_entry_bytes(e));
  return h.finish_hex();
}

}  // namespace soquy
