// What loans.cc and loan_corrections.cc share inside the loan book (not public API).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loan_store.h"
#include "soquy/ledger.h"
#include "soquy/loans.h"

namespace soquy::loan_internal {

// ---- defined in loans.cc -----------------------------------------------------------------------
LoanEvent event_of(const EventRow& row);
AllocationOptions allocation_options(const LoanRow& row);
LoanSnapshot snapshot_of(const LoanRow& row, const std::vector<EventRow>& events, Date as_of);
// The entry of a repayment or payoff `ev` (its split and savings as set) of loan `row`.
EntryDraft repayment_draft(const LoanRow& row, const EventRow& ev, std::string_view memo, const std::string& client_id);

// ---- defined in loan_corrections.cc ------------------------------------------------------------
// Every entry of the loan book names its loan.
EntryOwner owner_of(const std::string& loan);

// A receipt of a loan and its revisions "R", "R~2", "R~3" …: the one that stands (at most one),
// and the client id a new event of this receipt takes (the next revision) when none stands.
struct ReceiptRevision {
  std::optional<EventRow> standing;
  std::string next;  // "R" when never recorded; "R~N" after N−1 reversed revisions
};
ReceiptRevision find_receipt(LoanStore& store, std::int64_t loan_id, const std::string& receipt);
// `base`, or the first of "base~2", "base~3" … that no entry has as client id (an entry whose
// event was reversed keeps its client id).
std::string free_entry_client_id(Ledger& ledger, const std::string& base);
// "reverse it first" for a receipt that stands with other content.
Error receipt_taken(const std::string& loan, const std::string& receipt, const EventRow& seen);

// Whether an event dated `date` would come before the loan's latest standing event.
bool is_late(const std::vector<EventRow>& events, Date date);
// Records a repayment dated before the loan's latest event (loans.h: late receipts), inside the
// caller's transaction: its entry, then the re-allocation entries of the later repayments.
Result<RepaymentResult> repay_late(Ledger& ledger, LoanStore& store, const LoanRow& row, Money amount, Money savings,
                                   Date date, const std::string& client_id);

}  // namespace soquy::loan_internal
