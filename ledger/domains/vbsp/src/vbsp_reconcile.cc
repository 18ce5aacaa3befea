// VBSP reconciliation: the union's register against the bank's statement, loan by loan, with
// names matched without case or diacritics (vbsp.h).
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "soquy/i18n.h"
#include "soquy/names.h"
#include "soquy/vbsp.h"
#include "store.h"
#include "vbsp_internal.h"
#include "vbsp_store.h"

namespace soquy {

using vbsp_detail::from_store;

std::string_view to_string(VbspIssue i) {
  switch (i) {
    case VbspIssue::kMissingInLedger: return "missing_in_ledger";
    case VbspIssue::kMissingInBank: return "missing_in_bank";
    case VbspIssue::kPrincipal: return "principal_mismatch";
    case VbspIssue::kInterest: return "interest_mismatch";
    case VbspIssue::kSavings: return "savings_mismatch";
    case VbspIssue::kIdentity: return "identity_mismatch";
  }
  return "?";
}

namespace {

// same_name() with each spelling's matching key computed once: the key goes through ICU's
// transliterator, too slow to run twice per loan on a million loans, and names repeat a lot.
class NameMatcher {
 public:
  bool same(const std::string& a, const std::string& b) {
    // Make room before the lookups: clearing between them would free the key `ka` points to.
    if (keys_.size() + 2 > kMaxCached) keys_.clear();
    if (a == b) {  // the usual case: one key to look up
      const auto* k = key(a);
      return k && !k->empty();
    }
    const auto* ka = key(a);
    const auto* kb = key(b);
    return ka && kb && !ka->empty() && *ka == *kb;
  }

 private:
  static constexpr std::size_t kMaxCached = 200'000;  // about 40 MB at most
  const std::string* key(const std::string& name) {
    if (auto it = keys_.find(name); it != keys_.end()) return it->second ? &*it->second : nullptr;
    auto k = name_match_key(name);
    auto& slot = keys_[name];
    if (k) slot = std::move(*k);
    return slot ? &*slot : nullptr;
  }
  std::unordered_map<std::string, std::optional<std::string>> keys_;  // nullopt: not valid UTF-8
};

// A cause in English, as JSON gives it whatever the language, and in the language of the
// messages, for tables and minutes. `msgid` is marked N_ where it is written.
struct Cause {
  std::string english, worded;
};
template <class... Args>
Cause cause(const char* msgid, const Args&... args) {
  return {fmt::format(fmt::runtime(msgid), args...), fmt::format(fmt::runtime(tr(msgid)), args...)};
}

void add_issue(VbspReconItem& item, VbspIssue i, Cause c) {
  item.issues.push_back(i);
  item.causes.push_back(std::move(c.english));
  item.worded_causes.push_back(std::move(c.worded));
}

// The issues of a loan on both sides: principal, interest collected from `period_from` to
// `as_of`, savings, and who (customer code, group, name).
void compare_sides(const VbspLedgerLoan& l, const VbspBankRow& b, Date period_from, Date as_of, NameMatcher& names,
                   VbspReconItem& item) {
  const Money bank_principal = b.closed ? Money(0) : b.principal_outstanding;
  if (bank_principal != l.principal_outstanding) {
    if (b.closed)
      add_issue(item, VbspIssue::kPrincipal,
                cause(N_("status differs: CLOSE at the bank, the union's register has {} outstanding"),
                      l.principal_outstanding.to_grouped_string()));
    else if (l.principal_outstanding.is_zero())
      add_issue(item, VbspIssue::kPrincipal,
                cause(N_("repaid in full in the union's register, the bank has {} outstanding"),
                      bank_principal.to_grouped_string()));
    else
      add_issue(item, VbspIssue::kPrincipal,
                cause(N_("principal outstanding differs: bank {}, union {} (bank − union = {})"),
                      bank_principal.to_grouped_string(), l.principal_outstanding.to_grouped_string(),
                      (bank_principal - l.principal_outstanding).to_grouped_string()));
  }
  if (b.interest_collected != l.interest_collected)
    add_issue(item, VbspIssue::kInterest,
              cause(N_("interest collected from {} to {} differs: bank {}, union {} (bank − union = {})"), period_from,
                    as_of, b.interest_collected.to_grouped_string(), l.interest_collected.to_grouped_string(),
                    (b.interest_collected - l.interest_collected).to_grouped_string()));
  if (b.savings_balance != l.savings_balance)
    add_issue(item, VbspIssue::kSavings,
              cause(N_("savings differ: bank {}, union {} (bank − union = {})"), b.savings_balance.to_grouped_string(),
                    l.savings_balance.to_grouped_string(), (b.savings_balance - l.savings_balance).to_grouped_string()));
  std::vector<Cause> who;
  if (b.customer_code != l.customer_code)
    who.push_back(cause(N_("customer code: bank {}, union {}"), b.customer_code, l.customer_code));
  if (b.group_code != l.group_code) who.push_back(cause(N_("group: bank {}, union {}"), b.group_code, l.group_code));
  if (!names.same(b.borrower_name, l.borrower_name))
    who.push_back(cause(N_("name: bank '{}', union '{}'"), b.borrower_name, l.borrower_name));
  if (!who.empty()) {
    Cause all;
    for (const auto& w : who) {
      all.english += (all.english.empty() ? "" : "; ") + w.english;
      all.worded += (all.worded.empty() ? "" : "; ") + w.worded;
    }
    add_issue(item, VbspIssue::kIdentity, std::move(all));
  }
}

void count_issues(const VbspReconItem& item, VbspReconSummary& s) {
  for (auto i : item.issues) {
    switch (i) {
      case VbspIssue::kMissingInLedger: ++s.missing_in_ledger; break;
      case VbspIssue::kMissingInBank: ++s.missing_in_bank; break;
      case VbspIssue::kPrincipal: ++s.principal_mismatch; break;
      case VbspIssue::kInterest: ++s.interest_mismatch; break;
      case VbspIssue::kSavings: ++s.savings_mismatch; break;
      case VbspIssue::kIdentity: ++s.identity_mismatch; break;
    }
  }
}

// The rules of reconcile_vbsp for one loan number, on one side or both (`l`, `b`; not both
// null): counts it in out.summary and appends an item when it has an issue. Shared by
// reconcile_vbsp and the streaming Vbsp::reconcile, so both give the same result.
void reconcile_loan(const VbspLedgerLoan* l, const VbspBankRow* b, VbspReconciliation& out, NameMatcher& names) {
  const std::string& group = out.group;
  auto& s = out.summary;
  if (!group.empty() && !(l && l->group_code == group) && !(b && b->group_code == group)) return;
  if (l && l->principal_outstanding.is_zero() && (!b || b->closed)) return;
  if (!l && b->closed) return;
  ++s.loans;
  VbspReconItem item;
  if (!b) {
    add_issue(item, VbspIssue::kMissingInBank,
              cause(N_("not in the bank's statement; the union's register has {} outstanding"),
                    l->principal_outstanding.to_grouped_string()));
  } else if (!l) {
    add_issue(item, VbspIssue::kMissingInLedger,
              cause(N_("not in the union's register; the bank has {} outstanding"),
                    b->principal_outstanding.to_grouped_string()));
  } else {
    compare_sides(*l, *b, out.period_from, out.as_of, names, item);
  }
  if (item.issues.empty()) {
    ++s.matched;
    return;
  }
  count_issues(item, s);
  // Only loans with an issue are kept, with both sides' figures.
  item.loan_no = l ? l->loan_no : b->loan_no;
  item.group_code = l ? l->group_code : b->group_code;
  if (l) item.ledger = *l;
  if (b) item.bank = *b;
  out.items.push_back(std::move(item));
}

}  // namespace

VbspReconciliation reconcile_vbsp(const std::vector<VbspLedgerLoan>& ledger, const std::vector<VbspBankRow>& bank,
                                  Date period_from, Date as_of, const std::string& group) {
  VbspReconciliation out;
  out.as_of = as_of;
  out.period_from = period_from;
  out.group = group;
  std::map<std::string, std::pair<const VbspLedgerLoan*, const VbspBankRow*>> all;
  for (const auto& l : ledger) all[l.loan_no].first = &l;
  for (const auto& b : bank) all[b.loan_no].second = &b;
  NameMatcher names;
  for (const auto& [no, pair] : all) reconcile_loan(pair.first, pair.second, out, names);
  return out;
}

// The same result as reconcile_vbsp(ledger_loans(…), statement(…).second, …), without holding
// the register or the statement in memory: both are read by loan number and merged, one loan
// at a time; only the transactions' sums per loan and the loans with an issue are kept.
Result<VbspReconciliation> Vbsp::reconcile(Date as_of, const std::string& group,
                                            const std::function<void(std::int64_t, std::int64_t)>& on_progress,
                                            const std::function<void(const VbspReconItem&)>& on_item) {
  auto head = store_->newest_statement(as_of);
  if (!head) return fail(statement(as_of).error());  // the message naming the dates imported
  VbspReconciliation out;
  out.as_of = as_of;
  out.period_from = head->period_from;
  out.group = group;
  out.statement_version = head->version;
  // Sums per loan, and savings per member over all her loans (as ledger_loans computes them).
  std::unordered_map<std::int64_t, VbspLoanSums> sums;
  std::unordered_map<std::int64_t, Money> member_savings;
  for (const auto& t : store_->transaction_sums(head->period_from, as_of)) {
    member_savings[t.member_id] += Money(t.savings);
    sums.emplace(t.loan_id, t);
  }
  auto loans = store_->read_loans(as_of);
  auto rows = store_->read_statement_rows(head->id);
  VbspLoanRow lrow;
  VbspStatementRow srow;
  VbspLedgerLoan l;
  VbspBankRow b;
  NameMatcher names;
  std::vector<std::pair<std::size_t, std::int64_t>> item_members;  // item with a ledger side → member row id
  bool has_l = loans->next(lrow), has_b = rows->next(srow);
  std::int64_t rows_done = 0;
  while (has_l || has_b) {
    const int order = !has_l ? 1 : !has_b ? -1 : lrow.loan_no.compare(srow.loan_no);
    if (order <= 0) {
      l.loan_no = lrow.loan_no;
      l.group_code = lrow.group_code;
      l.member.clear();  // filled below for the loans listed
      l.customer_code = lrow.customer_code;
      l.borrower_name = lrow.borrower_name;
      l.programme = lrow.programme;
      l.disbursed_on = lrow.disbursed_on;
      l.maturity_on = lrow.maturity_on;
      l.amount = Money(lrow.amount);
      l.principal_outstanding = l.amount;
      l.interest_collected = Money(0);
      if (auto it = sums.find(lrow.id); it != sums.end()) {
        l.principal_outstanding -= Money(it->second.principal);
        l.interest_collected = Money(it->second.interest);
      }
      auto m = member_savings.find(lrow.member_id);
      l.savings_balance = m == member_savings.end() ? Money(0) : m->second;
    }
    if (order >= 0) b = from_store(srow);
    const auto kept = out.items.size();
    reconcile_loan(order <= 0 ? &l : nullptr, order >= 0 ? &b : nullptr, out, names);
    if (out.items.size() > kept && on_item) {  // handed over at once, not kept
      if (order <= 0) out.items.back().ledger->member = store_->member_code(lrow.member_id);
      on_item(out.items.back());
      out.items.pop_back();
    } else if (out.items.size() > kept && order <= 0) {
      item_members.emplace_back(kept, lrow.member_id);
    }
    if (order <= 0) has_l = loans->next(lrow);
    if (order >= 0) has_b = rows->next(srow);
    if (order >= 0 && on_progress) on_progress(++rows_done, head->row_count);
  }
  // The member's code, read only for the loans listed (a join would cost a seek per loan).
  for (const auto& [item, member] : item_members) out.items[item].ledger->member = store_->member_code(member);
  return out;
}
}  // namespace soquy
