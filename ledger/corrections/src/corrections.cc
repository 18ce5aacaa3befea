// Corrections: route a reversal to the domain that owns the entry (soquy/corrections.h).
#include "soquy/corrections.h"

#include <fmt/format.h>

#include <functional>
#include <map>

#include "soquy/dues.h"
#include "soquy/i18n.h"
#include "soquy/loans.h"
#include "soquy/rosca.h"
#include "soquy/savings.h"
#include "soquy/vbsp.h"

namespace soquy {
namespace {

using DomainReversal = std::function<Result<CorrectionResult>(Ledger&, const Entry&, const ReversalRequest&)>;

// One line per domain that owns entries (the `domain` values of entry_owners).
const std::map<std::string, DomainReversal>& domain_reversals() {
  static const std::map<std::string, DomainReversal> kAll = {
      {"loans", [](Ledger& l, const Entry& e, const ReversalRequest& r) { return LoanBook(l).reverse_entry(e, r); }},
      {"savings", [](Ledger& l, const Entry& e, const ReversalRequest& r) { return Savings(l).reverse_entry(e, r); }},
      {"rosca", [](Ledger& l, const Entry& e, const ReversalRequest& r) { return Rosca(l).reverse_entry(e, r); }},
      {"vbsp", [](Ledger& l, const Entry& e, const ReversalRequest& r) { return Vbsp(l).reverse_entry(e, r); }},
      {"dues", [](Ledger& l, const Entry& e, const ReversalRequest& r) { return Dues(l).reverse_entry(e, r); }},
  };
  return kAll;
}

Result<CorrectionResult> reverse_in_journal(Ledger& ledger, const Entry& original, const ReversalAsk& ask) {
  auto posted = ledger.reverse(fmt::format("#{}", original.id), ask.date.value_or(original.date), ask.client_id,
                               ask.reason);
  if (!posted) return fail(posted.error());
  CorrectionResult out;
  out.original = original;
  out.created = posted->created;
  out.entries.push_back(std::move(posted->entry));
  return out;
}

// The entry `ask.entry` names: its number or client id, or else the receipt of a loan event (the
// receipt `loan history` shows, e.g. BL000012 or sheet:G1:2026-02-15:L1) when one loan has it.
Result<Entry> entry_asked(Ledger& ledger, const std::string& ref) {
  auto found = ledger.entry(ref);
  if (found || ref.empty() || ref.front() == '#' || ref.find_first_not_of("0123456789") == std::string::npos)
    return found;
  const auto receipts = LoanBook(ledger).entries_of_receipt(ref);
  if (receipts.empty()) return found;
  if (receipts.size() == 1) return ledger.entry(fmt::format("#{}", receipts.front().second));
  std::string listed;
  for (const auto& [loan, entry] : receipts) listed += fmt::format("{}#{} ({})", listed.empty() ? "" : ", ", entry, loan);
  return fail(Error::bad_input(fmt::format(
                  fmt::runtime(tr("receipt '{}' was recorded on more than one loan: {}; name the entry by its number")),
                  ref, listed))
                  .in_field("entry"));
}

}  // namespace

Result<CorrectionResult> reverse_entry(Ledger& ledger, const ReversalAsk& ask) {
  if (ask.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return fail(Error::bad_input(tr("a reversal needs a reason: --reason \"…\""))
                    .in_field("reason"));
  }
  auto original = entry_asked(ledger, ask.entry);
  if (!original) return fail(original.error());
  if (!original->owner) return reverse_in_journal(ledger, *original, ask);
  if (ask.date && *ask.date != original->date) {
    return fail(Error::bad_input(fmt::format(
                    // {3} is the original's date as DD/MM/YYYY, {4} as YYYY-MM-DD.
                    fmt::runtime(tr("entry #{0} belongs to {1} {2}: a correction of a domain entry is dated the "
                                    "original's date, {4}; leave out --date")),
                    original->id, original->owner->domain, original->owner->record, original->date.to_vietnamese(),
                    original->date))
                    .in_field("date"));
  }
  const auto& table = domain_reversals();
  auto it = table.find(original->owner->domain);
  if (it == table.end()) {
    return fail(Error::internal(fmt::format("entry #{} has an unknown owner domain '{}'", original->id,
                                            original->owner->domain)));
  }
  ReversalRequest request{original->date, ask.reason, ask.client_id};
  return it->second(ledger, *original, request);
}

}  // namespace soquy
