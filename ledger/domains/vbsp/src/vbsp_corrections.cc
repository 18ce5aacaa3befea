// Corrections of the VBSP memo book (issue 12; vbsp.h, Vbsp::reverse_entry; docs/vbsp.md "Sửa
// sai"): a group collection's transaction, or a register loan's memo posting, reversed through
// the domain so that the register, the transactions and the memo book stay one.
#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "soquy/charts.h"
#include "soquy/i18n.h"
#include "soquy/vbsp.h"
#include "vbsp_store.h"

namespace soquy {
namespace {

Error bad(std::string m) { return Error::bad_input(std::move(m)); }

// A savings-in taken away must not leave the member's savings (over all her loans, ins before
// outs on a day) below zero on any later date; the savings-out that would is named.
Result<void> savings_stay_whole(VbspStore& store, const VbspLoanRow& loan, const VbspTransactionRow& gone) {
  struct Move {
    Date date;
    int order;
    std::int64_t amount;
    const VbspTransactionRow* row;
  };
  std::vector<VbspTransactionRow> rows;
  for (const auto& [member, loan_id] : store.loan_members())
    if (member == loan.member_id)
      for (auto& t : store.transactions(loan_id)) rows.push_back(std::move(t));
  std::vector<Move> moves;
  for (const auto& t : rows) {
    if (t.id == gone.id) continue;
    if (t.kind == "savings-in") moves.push_back({t.paid_on, 0, t.amount, &t});
    if (t.kind == "savings-out") moves.push_back({t.paid_on, 1, -t.amount, &t});
  }
  std::stable_sort(moves.begin(), moves.end(),
                   [](const Move& a, const Move& b) { return std::tie(a.date, a.order) < std::tie(b.date, b.order); });
  std::int64_t balance = 0;  // bounded by amounts recorded: their sums were checked on import
  for (const auto& m : moves) {
    balance += m.amount;
    if (balance < 0)
      return fail(bad(fmt::format(fmt::runtime(tr("savings-out {} of {} on {} (entry #{}) would take the member's savings below zero "
                                  "without it: reverse that first")),
                                  m.row->receipt_no, m.row->loan_no, m.date.to_iso(), m.row->entry_id.value_or(0))));
  }
  return {};
}

}  // namespace

Result<CorrectionResult> Vbsp::reverse_entry(const Entry& original, const ReversalRequest& request) {
  if (auto ok = ledger_.require_write(std::string(charts::entrust::kBook)); !ok) return fail(ok.error());
  if (!original.owner || original.owner->domain != "vbsp")
    return fail(bad(fmt::format(fmt::runtime(tr("entry #{} is not a VBSP entry")), original.id)));
  if (request.date != original.date)
    return fail(bad(fmt::format(fmt::runtime(tr("a VBSP entry is reversed on its own date ({})")), original.date.to_iso()))
                    .in_field("date"));
  auto loan = store_->find_loan(original.owner->record);
  if (!loan) return fail(bad(fmt::format(fmt::runtime(tr("VBSP loan {} is not in the register")), original.owner->record)));
  std::string note;
  auto tx = store_->find_transaction_by_entry(original.id);
  if ((loan->entry_id == original.id && loan->reversed_by) || (tx && tx->reversed_by)) {
    // Reversed already: the journal answers (the same client id again changes nothing).
  } else if (loan->entry_id == original.id) {
    auto txs = store_->transactions(loan->id);
    for (const auto& t : txs)
      if (t.entry_id)
        return fail(bad(fmt::format(fmt::runtime(tr("VBSP loan {} has transactions (the first: receipt {} on {}, entry #{}): reverse "
                                    "them first")),
                                    loan->loan_no, t.receipt_no, t.paid_on.to_iso(), *t.entry_id)));
    if (!txs.empty())
      return fail(bad(fmt::format(fmt::runtime(tr("VBSP loan {} has interest recorded (receipt {}): its register entry stays")),
                                  loan->loan_no, txs.front().receipt_no)));
    note = fmt::format(fmt::runtime(tr("VBSP: loan {} leaves the register")), loan->loan_no);
  } else {
    if (!tx || tx->loan_id != loan->id)
      return fail(bad(fmt::format(fmt::runtime(tr("entry #{} is not a transaction of VBSP loan {} that stands")), original.id,
                                  loan->loan_no)));
    if (tx->kind == "savings-in")
      if (auto ok = savings_stay_whole(*store_, *loan, *tx); !ok) return fail(ok.error());
    note = fmt::format(fmt::runtime(tr("VBSP: transaction {} ({}, {} đồng) of loan {} no longer counts")),
                       tx->receipt_no, tx->kind, tx->amount, loan->loan_no);
  }
  auto corrected = ledger_.correct_owned(original, request);
  if (!corrected) return fail(corrected.error());
  CorrectionResult out = std::move(*corrected);
  if (!note.empty()) out.notes.push_back(note);
  return out;
}

}  // namespace soquy
