#include "soquy/journal.h"

#include <charconv>

#include <fmt/format.h>

#include "soquy/i18n.h"
#include "soquy/sha256.h"

namespace soquy {

Result<Role> parse_role(std::string_view text) {
  for (auto r : {Role::kAdmin, Role::kOfficer, Role::kTreasurer, Role::kAuditor})
    if (to_string(r) == text) return r;
  return fail(Error::bad_input(fmt::format(
      fmt::runtime(tr("unknown role '{}': expected admin, officer, treasurer or auditor")), text)));
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
      fmt::format(
          fmt::runtime(tr("unknown account type '{}': expected asset, liability, equity, income, expense or memo")), text)));
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
// control characters escaped), so the bytes stay those of format "soquy-entry/1". Runs of bytes
// that need no escaping are copied at once.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t copied = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + copied, i - copied);
    copied = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
  }
  out.append(text.data() + copied, text.size() - copied);
  out.push_back('"');
}

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(end - buf));
}

// `"YYYY-MM-DD"`, the bytes of Date::to_iso() without going through fmt.
void append_json_date(std::string& out, const Date& d) {
  char text[16];
  const std::size_t n = d.write_iso(text);
  out.push_back('"');
  out.append(text, n);
  out.push_back('"');
}

// Appends the canonical bytes of `e` to `out`.
void append_canonical(std::string& out, const Entry& e) {
  // A JSON array (not an object) so the field order is part of the format; version first.
  // Written directly (not through a JSON tree): it is on the hot path of every import.
  out += "[\"soquy-entry/1\",";
  append_int(out, e.id);
  out.push_back(',');
  append_json_string(out, e.book);
  out.push_back(',');
  append_json_date(out, e.date);
  out.push_back(',');
  append_json_string(out, e.client_id);
  out.push_back(',');
  append_json_string(out, e.memo);
  out.push_back(',');
  if (e.reverses) {
    append_int(out, *e.reverses);
  } else {
    out += "null";
  }
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
    append_int(out, e.postings[i].amount.minor_units());
    out.push_back(']');
  }
  out += "]]";
}

}  // namespace

std::string canonical_entry_bytes(const Entry& e) {
  std::string out;
  out.reserve(160 + e.memo.size() + 32 * e.postings.size());
  append_canonical(out, e);
  return out;
}

std::string entry_hash(const std::string& prev_hash, const Entry& e) {
  // One buffer per thread, reused: the hash of every imported entry goes through here.
  thread_local std::string bytes;
  bytes.clear();
  bytes += prev_hash;
  bytes.push_back('\n');
  append_canonical(bytes, e);
  return sha256_hex(bytes);
}

}  // namespace soquy
