#include "soquy/journal.h"


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

namespace {

// Appends `text` as a JSON string, escaped exactly as nlohmann::json::dump() does (UTF-8 kept,
// control characters escaped), so the bytes stay those of format "soquy-entry/1".
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

}  // namespace

std::string canonical_entry_bytes(const Entry& e) {
  // A JSON array (not an object) so the field order is part of the format; version first.
  // Written directly (not through a JSON tree): it is on the hot path of every import.
  std::string out;
  out.reserve(160 + e.memo.size() + 32 * e.postings.size());
  out += "[\"soquy-entry/1\",";
  out += std::to_string(e.id);
  out.push_back(',');
  append_json_string(out, e.book);
  out.push_back(',');
  append_json_string(out, e.date.to_iso());
  out.push_back(',');
  append_json_string(out, e.client_id);
  out.push_back(',');
  append_json_string(out, e.memo);
  out.push_back(',');
  out += e.reverses ? std::to_string(*e.reverses) : std::string("null");
  out.push_back(',');
  append_json_string(out, e.user);
  out.push_back(',');
  append_json_string(out, e.recorded_at);
  out += ",[";
  for (std::size_t i = 0; i < e.postings.size(); ++i) {
    if (i) out.push_back(',');
    out.push_back('[');
    append_json_string(out, e.postings[i].account);
    out.push_back(',');
    out += std::to_string(e.postings[i].amount.minor_units());
    out.push_back(']');
  }
  out += "]]";
  return out;
}

std::string entry_hash(const std::string& prev_hash, const Entry& e) {
  return sha256_hex(prev_hash + "\n" + canonical_entry_bytes(e));
}

}  // namespace soquy
