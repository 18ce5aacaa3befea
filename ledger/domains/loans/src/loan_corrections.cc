// Corrections in the loan book (issue 12): reversing a loan's entries through the loan, late
// receipts, receipt revisions and the re-allocation of later repayments. The journal stays
// append-only: a correction is a reversal and re-allocation entries; the loan rows follow them in
// the same transaction (schemas/0014_loan_corrections.sql). docs/loans.md, "Corrections".
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "loan_book_internal.h"
#include "loan_schedule_codec.h"
#include "loan_store.h"
#include "soquy/charts.h"
#include "soquy/i18n.h"
#include "soquy/registry.h"

namespace soquy {
namespace loan_internal {

namespace fund = charts::fund;

EntryOwner owner_of(const std::string& loan) { return EntryOwner{"loans", loan}; }

ReceiptRevision find_receipt(LoanStore& store, std::int64_t loan_id, const std::string& receipt) {
  ReceiptRevision out;
  for (int n = 1;; ++n) {
    std::string id = n == 1 ? receipt : fmt::format("{}~{}", receipt, n);
    auto seen = store.find_event_by_client_id(loan_id, id);
    if (!seen) {
      out.next = std::move(id);
      return out;
    }
    if (!seen->reversed_by) {
      out.standing = std::move(seen);
      return out;
    }
  }
}

std::string free_entry_client_id(Ledger& ledger, const std::string& base) {
  for (int n = 1;; ++n) {
    std::string id = n == 1 ? base : fmt::format("{}~{}", base, n);
    auto e = ledger.entry(id);
    if (!e || e->client_id != id) return id;
  }
}

Error receipt_taken(const std::string& loan, const std::string& receipt, const EventRow& seen) {
  return Error::bad_input(fmt::format(fmt::runtime(tr("receipt '{}' of loan '{}' was already recorded with other content ({} on {}, "
                                      "savings {}{}); to record it again, reverse it first{}")),
                                      receipt, loan, seen.amount, seen.on, seen.savings,
                                      seen.client_id && *seen.client_id != receipt ? fmt::format(fmt::runtime(tr(", as {}")), *seen.client_id) : "",
                                      seen.entry_id ? fmt::format(" (soquy reverse {} --reason …)", *seen.entry_id)
                                                    : std::string()))
      .in_field("receipt");
}

bool is_late(const std::vector<EventRow>& events, Date date) { return !events.empty() && date < events.back().on; }

}  // namespace loan_internal

namespace {

using namespace loan_internal;
namespace fund = charts::fund;

Error bad(std::string message) { return Error::bad_input(std::move(message)); }

bool is_restructure(const EventRow& e) { return e.kind == "extend" || e.kind == "reschedule"; }
bool ends_repayments(const EventRow& e) { return e.kind == "payoff" || e.kind == "writeoff" || e.kind == "recover"; }

// An event as people read it in a correction's note, in the current language.
std::string event_name(const EventRow& e) {
  if (e.kind == "repay") return tr("repayment");
  if (e.kind == "payoff") return tr("payoff");
  if (e.kind == "writeoff") return tr("write-off");
  if (e.kind == "recover") return tr("recovery");
  if (e.kind == "extend") return tr("extension");
  if (e.kind == "reschedule") return tr("rescheduling");
  if (e.kind == "freeze") return tr("freeze");
  return tr("unfreeze");
}

// "the payoff on 2026-04-20 (entry #9)".
std::string named(const EventRow& e) {
  return e.entry_id ? fmt::format(fmt::runtime(tr("{} on {} (entry #{})")), e.kind, e.on, *e.entry_id)
                    : fmt::format(fmt::runtime(tr("{} on {}")), e.kind, e.on);
}

// What a correction at `what` may not cross: a later payoff, write-off or recovery (to be
// reversed first), an extension or rescheduling (built from what had been paid: never crossed).
// `later`: the loan's standing events after the correction's place; `cannot`: what can't be done
// ("can't be placed before it", "can't be reversed").
Result<void> check_crossing(const LoanRow& row, const std::vector<EventRow>& later, const std::string& what,
                            std::string_view cannot) {
  for (const auto& e : later) {
    if (ends_repayments(e))
      return fail(bad(fmt::format(fmt::runtime(tr("loan '{}': {} comes before its {}: reverse that first{}")), row.code, what, named(e),
                                  e.entry_id ? fmt::format(" (soquy reverse {} --reason …)", *e.entry_id) : "")));
    if (is_restructure(e))
      return fail(bad(fmt::format(fmt::runtime(tr("loan '{}': {} comes before its {} on {}, whose new schedule was built from what "
                                  "had been paid by then; it posts no entry and is not reversed, so {} {}")),
                                  row.code, what, e.kind == "extend" ? tr("extension") : tr("rescheduling"), e.on, what,
                                  cannot)));
  }
  return {};
}

// The events of `events` (standing, by date then recording order) with the split of every
// repayment of the last schedule (after the last extension or rescheduling) replayed in order.
Result<std::vector<EventRow>> resplit(const LoanRow& row, std::vector<EventRow> events) {
  LoanSchedule schedule;
  std::size_t start = 0;
  for (std::size_t i = 0; i < events.size(); ++i)
    if (is_restructure(events[i])) start = i + 1;
  decode_schedule_into(start == 0 ? row.schedule : *events[start - 1].schedule, schedule);
  std::vector<Payment> payments;
  std::vector<std::size_t> at;
  for (std::size_t i = start; i < events.size(); ++i) {
    if (events[i].kind != "repay" || events[i].amount <= 0) continue;
    payments.push_back(Payment{events[i].on, Money(events[i].amount)});
    at.push_back(i);
  }
  if (payments.empty()) return events;
  auto a = allocate(schedule, payments, allocation_options(row));
  if (!a) return fail(a.error());
  for (std::size_t k = 0; k < at.size(); ++k) {
    auto& e = events[at[k]];
    const auto& split = a->payments[k];
    e.principal = split.principal.minor_units();
    e.interest = split.interest.minor_units();
    e.penalty = split.penalty.minor_units();
    e.overpayment = split.overpayment.minor_units();
  }
  return events;
}

bool same_split(const EventRow& a, const EventRow& b) {
  return a.principal == b.principal && a.interest == b.interest && a.penalty == b.penalty &&
         a.overpayment == b.overpayment;
}

// Posts one re-allocation entry per repayment whose split differs between `before` and `after`
// (the same events in the same order), dated at that repayment's date, stores the new split and
// links the entry to the repayment. `cause` ends the memo ("phiếu thu muộn #12 ngày …").
Result<std::vector<Entry>> reallocate(Ledger& ledger, LoanStore& store, const LoanRow& row,
                                      const std::vector<EventRow>& before, const std::vector<EventRow>& after,
                                      const std::string& cause) {
  std::vector<Entry> out;
  for (std::size_t i = 0; i < before.size(); ++i) {
    const EventRow& was = before[i];
    const EventRow& now = after[i];
    if (same_split(was, now)) continue;
    EntryDraft d;
    d.book = std::string(fund::kBook);
    d.date = now.on;
    d.memo = fmt::format("Phân bổ lại (re-allocation) lần trả #{} ngày {} khoản vay {} do {}", now.entry_id.value_or(0),
                         now.on.to_vietnamese(), row.code, cause);
    d.owner = owner_of(row.code);
    // A credit of the figure is negative: the entry credits what the split gains.
    const std::pair<std::string_view, std::int64_t> moves[] = {
        {fund::kLoans, was.principal - now.principal},
        {fund::kInterestIncome, was.interest - now.interest},
        {fund::kPenaltyIncome, was.penalty - now.penalty},
        {fund::kOverpayments, was.overpayment - now.overpayment}};
    for (const auto& [account, amount] : moves)
      if (amount != 0) d.postings.push_back(Posting{std::string(account), Money(amount)});
    auto posted = ledger.post(d);
    if (!posted) return fail(posted.error());
    store.update_split(now);
    store.insert_reallocation(now.id, posted->entry.id);
    out.push_back(posted->entry);
  }
  return out;
}

// The events of `events` after position `i` (by date, then recording order).
std::vector<EventRow> after_index(const std::vector<EventRow>& events, std::size_t i) {
  return {events.begin() + static_cast<std::ptrdiff_t>(i) + 1, events.end()};
}

}  // namespace

namespace loan_internal {

Result<RepaymentResult> repay_late(Ledger& ledger, LoanStore& store, const LoanRow& row, Money amount, Money savings,
                                   Date date, const std::string& client_id) {
  auto events = store.events_of(row.id);
  if (date < row.disbursed_on)
    return fail(bad(fmt::format(fmt::runtime(tr("{} is before the loan was disbursed ({})")), date, row.disbursed_on)).in_field("date"));
  // The late receipt goes after the events of its date, before the later ones.
  const auto place = static_cast<std::size_t>(
      std::find_if(events.begin(), events.end(), [&](const EventRow& e) { return e.on > date; }) - events.begin());
  for (std::size_t i = 0; i < place; ++i)
    if (events[i].kind == "payoff" || events[i].kind == "writeoff")
      return fail(bad(fmt::format(
          fmt::runtime(events[i].kind == "payoff"
                           ? tr("loan '{}' was paid off on {}: nothing to repay")
                           : tr("loan '{}' was written off on {}: money received is recorded with soquy loan recover")),
          row.code, events[i].on)));
  const std::vector<EventRow> later(events.begin() + static_cast<std::ptrdiff_t>(place), events.end());
  if (auto ok = check_crossing(row, later, fmt::format(fmt::runtime(tr("a receipt dated {}")), date), tr("can't be placed before it")); !ok)
    return fail(ok.error().in_field("date"));
  EventRow ev;
  ev.id = std::numeric_limits<std::int64_t>::max();  // recorded last
  ev.loan_id = row.id;
  ev.kind = "repay";
  ev.on = date;
  ev.amount = amount.minor_units();
  ev.savings = savings.minor_units();
  if (!client_id.empty()) ev.client_id = client_id;
  std::vector<EventRow> with = events;
  with.insert(with.begin() + static_cast<std::ptrdiff_t>(place), ev);
  auto replayed = resplit(row, with);
  if (!replayed) return fail(replayed.error());
  ev = (*replayed)[place];
  const std::string memo = fmt::format("Thu nợ khoản vay {} ({}), phiếu thu muộn (late receipt)", row.code,
                                       row.member_name);
  auto d = repayment_draft(row, ev, memo, client_id.empty() ? "" : fmt::format("loan:{}:{}", row.code, client_id));
  auto posted = ledger.post(d);
  if (!posted) return fail(posted.error());
  ev.entry_id = posted->entry.id;
  ev.id = store.insert_event(ev);
  const std::vector<EventRow> now(replayed->begin() + static_cast<std::ptrdiff_t>(place) + 1, replayed->end());
  auto moved = reallocate(ledger, store, row, later, now,
                          fmt::format("phiếu thu muộn #{} ngày {} (late receipt)", posted->entry.id, date.to_vietnamese()));
  if (!moved) return fail(moved.error());
  RepaymentResult out{event_of(ev), posted->entry, true, snapshot_of(row, store.events_of(row.id), date), {}};
  out.reallocations = std::move(*moved);
  return out;
}

}  // namespace loan_internal

namespace {

// An event (or disbursement) reversed already: the same request again returns its reversal.
Result<std::optional<CorrectionResult>> reversed_before(Ledger& ledger, const Entry& original,
                                                        std::optional<std::int64_t> reversed_by,
                                                        const std::string& reason, const ReversalRequest& req) {
  if (!reversed_by) return std::optional<CorrectionResult>();
  auto rev = ledger.entry(fmt::format("#{}", *reversed_by));
  if (!rev) return fail(rev.error());
  if (req.client_id.empty() || rev->client_id != req.client_id)
    return fail(bad(fmt::format(fmt::runtime(tr("entry #{} was already reversed by #{} ({})")), original.id, *reversed_by, reason)));
  CorrectionResult out;
  out.original = original;
  out.entries.push_back(*rev);
  out.created = false;
  out.notes.push_back(fmt::format(fmt::runtime(tr("entry #{} was already reversed by #{}")), original.id, rev->id));
  return std::optional<CorrectionResult>(std::move(out));
}

Result<CorrectionResult> reverse_disbursement(Ledger& ledger, LoanStore& store, const LoanRow& row,
                                              const Entry& original, const ReversalRequest& req) {
  const auto events = store.events_of(row.id);
  if (!events.empty()) {
    std::string first;
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (!it->entry_id)
        return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' has a {} (no entry, not reversed): its disbursement #{} stands")),
                                    row.code, named(*it), original.id)));
      first += fmt::format("{}#{}", first.empty() ? "" : ", ", *it->entry_id);
    }
    return fail(bad(fmt::format(fmt::runtime(tr("loan '{}' has {} event(s) after its disbursement #{}: reverse {} first (the latest "
                                "first)")),
                                row.code, events.size(), original.id, first)));
  }
  auto rev = ledger.reverse_owned(owner_of(row.code), original.id, req);
  if (!rev) return fail(rev.error());
  store.mark_loan_reversed(row.id, rev->entry.id, req.reason);
  CorrectionResult out;
  out.original = original;
  out.entries.push_back(rev->entry);
  out.notes.push_back(fmt::format(fmt::runtime(tr("loan {}: cancelled — disbursement #{} reversed by #{}")), row.code,
                                  original.id, rev->entry.id));
  return out;
}

// Reverses the event's entry and its re-allocation entries, and marks the event reversed.
Result<std::vector<Entry>> reverse_event_entries(Ledger& ledger, LoanStore& store, const LoanRow& row,
                                                      const EventRow& ev, const Entry& original,
                                                      const ReversalRequest& req) {
  std::vector<Entry> out;
  auto rev = ledger.reverse_owned(owner_of(row.code), original.id, req);
  if (!rev) return fail(rev.error());
  out.push_back(rev->entry);
  for (std::int64_t id : store.reallocation_entries(ev.id)) {
    ReversalRequest r{req.date, req.reason, req.client_id.empty() ? "" : fmt::format("{}:#{}", req.client_id, id)};
    auto more = ledger.reverse_owned(owner_of(row.code), id, r);
    if (!more) return fail(more.error());
    out.push_back(more->entry);
  }
  store.mark_event_reversed(ev.id, rev->entry.id, req.reason);
  return out;
}

Result<CorrectionResult> reverse_event(Ledger& ledger, LoanStore& store, const LoanRow& row, const EventRow& ev,
                                       const Entry& original, const ReversalRequest& req) {
  auto events = store.events_of(row.id);
  const auto at = static_cast<std::size_t>(
      std::find_if(events.begin(), events.end(), [&](const EventRow& e) { return e.id == ev.id; }) - events.begin());
  const auto later = after_index(events, at);
  const std::string what = fmt::format(fmt::runtime(tr("the {} #{} on {}")), ev.kind, original.id, ev.on);
  if (ev.kind == "repay") {
    if (auto ok = check_crossing(row, later, what, tr("can't be reversed")); !ok) return fail(ok.error());
  } else if (!later.empty()) {
    return fail(bad(fmt::format(fmt::runtime(tr("loan '{}': {} is followed by its {}: reverse that first")), row.code, what,
                                named(later.back()))));
  }
  auto reversed = reverse_event_entries(ledger, store, row, ev, original, req);
  if (!reversed) return fail(reversed.error());
  CorrectionResult out;
  out.original = original;
  out.entries = std::move(*reversed);
  out.notes.push_back(fmt::format(fmt::runtime(tr("loan {}: the {} of {} reversed")), row.code, event_name(ev), ev.on));
  if (ev.kind != "repay") return out;
  events.erase(events.begin() + static_cast<std::ptrdiff_t>(at));
  auto replayed = resplit(row, events);
  if (!replayed) return fail(replayed.error());
  auto moved = reallocate(ledger, store, row, events, *replayed,
                          fmt::format("đảo bút toán #{} (reversal of #{})", original.id, original.id));
  if (!moved) return fail(moved.error());
  for (const auto& e : *moved) {
    out.entries.push_back(e);
    out.notes.push_back(fmt::format(fmt::runtime(tr("loan {}: the repayment of {} is re-allocated — entry #{}")),
                                    row.code, e.date, e.id));
  }
  return out;
}

// Inside the caller's transaction.
Result<CorrectionResult> reverse_in_tx(Ledger& ledger, LoanStore& store, const Entry& original,
                                       const ReversalRequest& req) {
  if (original.reverses)
    return fail(bad(fmt::format(fmt::runtime(tr("entry #{} is itself the reversal of #{}: record the event again instead")), original.id,
                                *original.reverses)));
  if (auto ev = store.find_reallocated_event(original.id))
    return fail(bad(fmt::format(fmt::runtime(tr("entry #{} re-allocates the repayment #{} of {}: it moves with that repayment and "
                                "with the late receipt or reversal that caused it (its memo names it); reverse one "
                                "of those")),
                                original.id, ev->entry_id.value_or(0), ev->on)));
  if (auto row = store.find_loan_by_entry(original.id)) {
    auto again = reversed_before(ledger, original, row->reversed_by, row->reversal_reason, req);
    if (!again) return fail(again.error());
    if (*again) return std::move(**again);
    return reverse_disbursement(ledger, store, *row, original, req);
  }
  auto ev = store.find_event_by_entry(original.id);
  if (!ev) return fail(bad(fmt::format(fmt::runtime(tr("entry #{} is not an entry of the loan book's loans")), original.id)));
  auto again = reversed_before(ledger, original, ev->reversed_by, ev->reversal_reason, req);
  if (!again) return fail(again.error());
  if (*again) return std::move(**again);
  auto row = store.find_loan_by_id(ev->loan_id);
  if (!row) return fail(bad(fmt::format(fmt::runtime(tr("entry #{} is not an entry of the loan book's loans")), original.id)));
  if (original.owner && (original.owner->domain != "loans" || original.owner->record != row->code))
    return fail(bad(fmt::format(fmt::runtime(tr("entry #{} belongs to {} {}, not to loan '{}'")), original.id, original.owner->domain,
                                original.owner->record, row->code)));
  return reverse_event(ledger, store, *row, *ev, original, req);
}

}  // namespace

Result<CorrectionResult> LoanBook::reverse_entry(const Entry& original, const ReversalRequest& request) {
  if (auto ok = ledger_.require_write(std::string(fund::kBook)); !ok) return fail(ok.error());
  if (request.reason.empty()) return fail(bad(tr("a correction needs a reason")).in_field("reason"));
  if (request.date != original.date)
    return fail(bad(fmt::format(fmt::runtime(tr("a loan's correction is dated at its entry's date ({}), not {}")), original.date,
                                request.date))
                    .in_field("date"));
  std::optional<CorrectionResult> out;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto done = reverse_in_tx(ledger_, *store_, original, request);
    if (!done) return fail(done.error());
    out = std::move(*done);
    return {};
  });
  if (!r) return fail(r.error());
  return std::move(*out);
}

namespace {

// The rows of a sheet reversed under `client_id` before: that request, carried out.
std::optional<CollectionReversal> reversed_under(Ledger& ledger, const std::vector<EventRow>& rows,
                                                 const std::string& client_id) {
  if (client_id.empty()) return std::nullopt;
  CollectionReversal out;
  out.created = false;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    if (!it->reversed_by || !it->entry_id) continue;
    auto rev = ledger.entry(fmt::format("#{}", *it->reversed_by));
    auto original = ledger.entry(fmt::format("#{}", *it->entry_id));
    if (!rev || !original || rev->client_id.rfind(client_id + ":", 0) != 0) continue;
    CorrectionResult c;
    c.original = *original;
    c.entries.push_back(*rev);
    c.created = false;
    out.rows.push_back(std::move(c));
  }
  if (out.rows.empty()) return std::nullopt;
  return out;
}

}  // namespace

Result<CollectionReversal> LoanBook::reverse_collection(const std::string& group_code, Date date,
                                                        const std::string& reason, const std::string& client_id) {
  if (auto ok = ledger_.require_write(std::string(fund::kBook)); !ok) return fail(ok.error());
  if (reason.empty()) return fail(bad(tr("a correction needs a reason")).in_field("reason"));
  Registry registry(ledger_);
  auto group = registry.find_group(group_code);
  if (!group) return fail(bad(fmt::format(fmt::runtime(tr("no group '{}'")), group_code)).in_field("group"));
  CollectionReversal out;
  out.group = group->code;
  out.date = date;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    const auto rows = store_->collection_events(group->id, group->code, date);
    if (auto before = reversed_under(ledger_, rows, client_id)) {
      out.rows = std::move(before->rows);
      out.created = false;
      return {};
    }
    std::vector<EventRow> standing;
    for (const auto& e : rows)
      if (!e.reversed_by && e.entry_id) standing.push_back(e);
    if (standing.empty())
      return fail(bad(rows.empty() ? fmt::format(fmt::runtime(tr("no collection sheet of group '{}' was recorded on {}")),
                                                             group_code, date)
                                   : fmt::format(fmt::runtime(tr("every row of the collection sheet of group '{}' on {} is "
                                                                 "reversed already ({} row(s))")),
                                                 group_code, date, rows.size()))
                      .in_field("date"));
    for (auto it = standing.rbegin(); it != standing.rend(); ++it) {
      auto original = ledger_.entry(fmt::format("#{}", *it->entry_id));
      if (!original) return fail(original.error());
      const std::string receipt = it->client_id.value_or("");
      ReversalRequest req{date, reason, client_id.empty() ? "" : fmt::format("{}:{}", client_id, receipt)};
      auto done = reverse_in_tx(ledger_, *store_, *original, req);
      if (!done) return fail(done.error().with_context(fmt::format("receipt {} (entry #{}): ", receipt, original->id)));
      out.rows.push_back(std::move(*done));
    }
    return {};
  });
  if (!r) return fail(r.error());
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> LoanBook::entries_of_receipt(const std::string& receipt) {
  return store_->entries_of_receipt(receipt);
}

Result<std::vector<LoanEvent>> LoanBook::history(const std::string& code) {
  auto row = store_->find_loan(code);
  if (!row) return fail(bad(fmt::format(fmt::runtime(tr("no loan '{}'")), code)));
  std::vector<LoanEvent> out;
  for (const auto& e : store_->all_events_of(row->id)) {
    out.push_back(loan_internal::event_of(e));
    out.back().reallocations = store_->reallocation_entries(e.id);
  }
  return out;
}

}  // namespace soquy
