// soquy — the Women's Development Fund's loan book: products, deposits of capital,
// disbursements, repayments and the other dated events of a loan, with their journal entries.
//
// The rules of a schedule are in loan_schedule.h and those of allocation, days past due,
// classes, PAR and provisions in loan_status.h; this layer stores loans and their events
// (schemas/0003_loans.sql), turns each event into one balanced entry of the fund book, and
// answers "what does this loan owe at D" for any past date by replaying its events.
//
// Every writing call is one transaction (Ledger::in_transaction): the loan rows and the entry
// are written together or not at all. Every entry it writes names its loan (EntryDraft::owner:
// domain "loans", record = the loan's code) and is reversed only through reverse_entry.
//
// Late receipts and corrections (docs/loans.md, "Corrections"): a repayment dated before the
// loan's latest event is accepted when only repayments, freezes and unfreezes follow it; the
// loan's repayments are then replayed in date order (same date: recording order) and each later
// repayment whose split into principal / interest / penalty / overpayment changes takes the new
// split, with a re-allocation entry dated at its own date that moves the difference between
// 2111, 7021, 7022 and 4591 (no cash; compulsory savings never move). A payoff, write-off,
// recovery, extension or rescheduling after the date is not crossed (kBadInput naming it).
// So every position as of every date is a replay of the events that stand, and the loans.*
// checks hold as of every date. Other events still go in date order (kBadInput otherwise).
//
// Postings (fund book, charts::fund; amounts in đồng):
//   fund deposit   Dr 1011 cash              Cr 6011 fund capital
//   disburse       Dr 2111 loans             Cr 1011 cash
//   repay, payoff  Dr 1011 cash (all received)
//                  Cr 2111 principal, Cr 7021 interest, Cr 7022 penalty,
//                  Cr 4591 overpayment held for the member, Cr 4231 compulsory savings
//   writeoff       Dr 2191 loan-loss provision   Cr 2111 outstanding principal
//   recover        Dr 1011 cash              Cr 7900 recoveries of written-off loans
//   provision run  Dr 8821 provision expense Cr 2191 (or the reverse when it falls)
//   extend, reschedule, freeze, unfreeze: no money moves, no entry (interest is income when
//   received).
//
// Restructuring: `extend` moves what is unpaid of every instalment M months later;
// `reschedule` spreads the outstanding principal over a new schedule from its date, the unpaid
// interest already due going into the first new instalment. In both, penalty accrued and not
// paid by then is waived. Positions after the event allocate later repayments to the new
// schedule; what was paid before stays as recorded.
//
// Freezing (khoanh nợ) is a reporting state: while frozen a loan is not overdue and is reported
// apart; the schedule is unchanged, so after `unfreeze` what was overdue is overdue again
// (extend it at the same time to give new dates).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/ledger.h"
#include "soquy/loan_schedule.h"
#include "soquy/loan_status.h"
#include "soquy/money.h"
#include "soquy/rate.h"
#include "soquy/setting_key.h"

namespace soquy {

// The loan book's settings (settings.h lists them; LoanBook reads them with setting_value).
inline constexpr SettingKey kMemberLimitSetting{
    "loan.member_limit", "50000000", "the most one member may owe the fund in principal, in đồng (loan disburse)",
    setting_is_amount};
inline constexpr SettingKey kAllowNegativeCashSetting{
    "fund.allow_negative_cash", "false", "true lets a disbursement take the fund's cash below zero (loan disburse)",
    setting_is_bool};
// kBadInput unless parse_loan_classes accepts `text`.
Result<void> validate_loan_classes_setting(std::string_view text);
// The default is format_loan_classes(LoanClassTable{}), the engine's own default table.
inline constexpr SettingKey kLoanClassesSetting{
    "loan.classes", "G1:0:0,G2:10:5,G3:30:20,G4:90:50,G5:180:100",
    "loan classes CODE:MIN_DAYS_PAST_DUE:PROVISION_PERCENT (report overdue, loan show, provision run)",
    validate_loan_classes_setting};
inline constexpr std::string_view kSettingMemberLimit = kMemberLimitSetting.key;
inline constexpr std::string_view kSettingAllowNegativeCash = kAllowNegativeCashSetting.key;
inline constexpr std::int64_t kDefaultMemberLimit = setting_default_int(kMemberLimitSetting);

struct LoanProduct {
  std::string code;
  RepaymentMethod method = RepaymentMethod::kFlat;
  Rate rate;
  int installments = 12;
  Frequency frequency = Frequency::kMonthly;
  int grace = 0;
  std::optional<Rate> savings_rate;   // compulsory savings per period, as a share of the principal
  std::optional<Money> max_amount;    // largest loan of this product
  std::optional<Rate> penalty_rate;   // on overdue principal; none without it
  std::vector<Component> allocation_order = {Component::kPenalty, Component::kInterest, Component::kPrincipal};
  std::string created_at;
};

struct DisburseRequest {
  std::string loan;     // the loan's code, chosen by the officer (unique)
  std::string member;   // member id (registry)
  std::string product;  // product code
  std::string group;    // credit group the loan goes through, optional
  Money amount;
  Date date;
  std::string memo;
};

struct Loan {
  std::int64_t id = 0;
  std::string code;
  std::string member;
  std::string member_name;
  std::string group;
  std::string product;
  LoanTerms terms;  // principal, rate, instalments, grace, method, frequency, disbursement date
  std::optional<Rate> savings_rate;
  std::optional<Rate> penalty_rate;
  std::vector<Component> allocation_order;
  LoanSchedule schedule;  // the first schedule
  std::int64_t entry_id = 0;
  // Set when the disbursement was reversed: the loan is cancelled (in no report or portfolio;
  // its code stays taken).
  std::optional<std::int64_t> reversed_by;
  std::string reversal_reason;
};

enum class LoanEventKind { kRepay, kPayoff, kWriteoff, kRecover, kExtend, kReschedule, kFreeze, kUnfreeze };
std::string_view to_string(LoanEventKind k);  // repay|payoff|writeoff|recover|extend|reschedule|freeze|unfreeze
Result<LoanEventKind> parse_loan_event_kind(std::string_view text);

struct LoanEvent {
  std::int64_t id = 0;
  LoanEventKind kind = LoanEventKind::kRepay;
  Date on;
  Money amount;       // cash received for the loan (repay, payoff, recover)
  Money principal;    // repay/payoff: principal paid; writeoff: principal written off
  Money interest;
  Money penalty;
  Money overpayment;
  Money savings;      // compulsory savings received with a repayment (not part of amount)
  std::optional<LoanSchedule> schedule;  // extend / reschedule: the schedule from here on
  std::string detail;
  std::string client_id;  // the receipt; a receipt recorded again after its reversal: "R~2", "R~3" …
  std::optional<std::int64_t> entry_id;
  std::optional<std::int64_t> reversed_by;  // its reversal entry: the event no longer counts
  std::string reversal_reason;
  std::vector<std::int64_t> reallocations;  // re-allocation entries of a repayment (history only)
};

// Where a loan is at a date.
enum class LoanStatus { kActive, kFrozen, kWrittenOff, kClosed };
std::string_view to_string(LoanStatus s);  // active|frozen|written-off|closed

struct LoanSnapshot {
  std::string loan;
  std::string member;
  std::string member_name;
  std::string group;
  std::string product;
  std::string unit;       // the member's registered unit (roll it up with Registry::successor)
  std::string ethnicity;
  LoanStatus status = LoanStatus::kActive;
  LoanPosition position;  // as loan_status.h defines it, over every segment of the loan
  std::int64_t days_past_due() const { return position.days_past_due; }
  // Still owes something (outstanding principal, or overdue interest or penalty).
  bool open() const;
};

struct RepaymentResult {
  LoanEvent event;
  Entry entry;
  bool created = true;  // false: this receipt was already recorded with the same content
  LoanSnapshot after;
  // A late receipt: the re-allocation entries of the later repayments it changed, by date.
  std::vector<Entry> reallocations;
};

// What `collection-sheet reverse` did: one correction per standing row of the sheet, the last
// recorded first. created false: the same request (client id) was carried out before.
struct CollectionReversal {
  std::string group;
  Date date;
  std::vector<CorrectionResult> rows;
  bool created = true;
};

// What settles a loan on a date: unpaid principal of every instalment, unpaid interest of the
// instalments due on or before that date, and penalty accrued to it. Interest of instalments
// not yet due is not owed.
struct PayoffQuote {
  Date on;
  Money principal;
  Money interest;
  Money penalty;
  Money total() const;
};

struct RescheduleTerms {
  int installments = 0;
  std::optional<Frequency> frequency;      // default: the loan's
  std::optional<RepaymentMethod> method;   // default: the loan's
  int grace = 0;
};

// One meeting's line for one loan (collection sheet).
struct CollectionLine {
  std::string member;
  std::string member_name;
  std::string loan;
  // Unpaid principal and interest of the instalments due in the period ending at the meeting
  // (due date after meeting − one period of the loan's frequency, up to the meeting).
  Money installment;
  // Unpaid principal and interest of the instalments due before that period, plus penalty.
  Money arrears;
  // Compulsory savings for the instalments of this period (round half-up of principal × the
  // product's savings rate for one period, each), less what the savings received (dated ≤ the
  // meeting) leave over once the earlier instalments' savings are covered (savings_due in
  // loan_status.h): savings paid late for an earlier period do not reduce this period's.
  Money savings;
  // Compulsory savings of the instalments due before the period not received by the meeting
  // (carried forward from the meetings missed). Counted on the schedule in force: an
  // extension or a rescheduling starts the savings afresh with the new schedule.
  Money savings_arrears;
  std::int64_t days_past_due = 0;
  Money outstanding_principal;
  Money total() const;  // installment + arrears + savings + savings_arrears
};

struct CollectionSheet {
  std::string group;
  std::string group_name;
  Date date;
  std::vector<CollectionLine> lines;  // by member, then loan
};

// One row of a recorded meeting.
struct CollectionReceipt {
  std::string loan;
  Money amount;   // repayment (principal, interest, penalty)
  Money savings;  // compulsory savings
  std::string receipt;  // receipt number; "" = "sheet:GROUP:DATE:LOAN"
  std::string where;    // FILE:LINE for messages
  bool prepay = false;  // the officer says the amount is a prepayment (may be more than is due)
};

// The receipt of a collection row without one: "sheet:GROUP:DATE:LOAN".
std::string default_collection_receipt(std::string_view group, Date date, std::string_view loan);

struct ProvisionRun {
  Date as_of;
  Money required;  // sum of the loans' provisions by class
  Money held_before;
  Money change;    // posted: required − held_before (0: nothing posted)
  std::optional<Entry> entry;
};

class LoanStore;
class Registry;

class LoanBook {
 public:
  explicit LoanBook(Ledger& ledger);
  ~LoanBook();
  LoanBook(const LoanBook&) = delete;
  LoanBook& operator=(const LoanBook&) = delete;

  // --- products --------------------------------------------------------------------------
  Result<LoanProduct> add_product(const LoanProduct& product);
  Result<LoanProduct> product(const std::string& code);
  std::vector<LoanProduct> products();

  // --- the fund's capital ----------------------------------------------------------------
  Result<PostResult> deposit(Money amount, Date date, const std::string& memo, const std::string& client_id);

  // --- loans -----------------------------------------------------------------------------
  // Refused (kBadInput): unknown member/product/group, a member not in the group, a code in
  // use, more than the product's maximum, the member's outstanding principal on the date plus
  // this loan above the member limit, the fund's cash on the date (or after it) going below
  // zero unless allowed.
  Result<Loan> disburse(const DisburseRequest& request);
  // A member's passbook on one account: the account's register (Ledger::account_register)
  // keeping only the entries of her own loans (disbursements and every event that moved money),
  // so that on a shared account (2111 loans, 4231 compulsory savings) the opening balance,
  // lines and running balance are hers alone. Entries of other modules (savings groups, hụi)
  // are not linked to members here and are not shown. kBadInput: unknown member or account.
  Result<AccountRegister> member_register(const std::string& member, const std::string& book,
                                          const std::string& account, std::optional<Date> from, Date as_of);
  // `client_id` is the receipt (idempotency key): its standing event with the same content is
  // returned (created false); with other content, kBadInput (reverse it first). A receipt whose
  // event was reversed may be recorded again: the new event is revision "RECEIPT~2" (then "~3"
  // …), entry client id "loan:CODE:RECEIPT~2". Dated before the loan's latest event: a late
  // receipt (see the top of this file).
  // A repayment of more than amount_due(loan, date) is refused (kBadInput, field amount,
  // naming the loan, the amount and what is due) unless `prepay`: the officer says it pays
  // instalments not yet due (a slip of the keyboard is not recorded without a word). Savings
  // are not part of the amount and are not limited.
  Result<RepaymentResult> repay(const std::string& loan, Money amount, Money savings, Date date,
                                const std::string& client_id, bool prepay = false);
  // What the loan owes on `date` (loan_status.h amount_due over the schedule in force and the
  // repayments dated ≤ date): the most a repayment that day may be without being a prepayment.
  Result<Money> amount_due(const std::string& loan, Date date);
  // The loan's compulsory savings on `as_of` (CollectionLine's rule, the period being the day
  // itself): `arrears` = savings of the instalments due before as_of not received by then,
  // `this_period` = those of the instalments due on as_of. Zero without a savings rate.
  Result<SavingsDue> savings_due(const std::string& loan, Date as_of);
  Result<PayoffQuote> payoff_quote(const std::string& loan, Date date);
  // Settles the loan: the payment must equal the quote (`amount` nullopt: the quote itself).
  Result<RepaymentResult> payoff(const std::string& loan, Date date, std::optional<Money> amount,
                                 const std::string& client_id);
  Result<LoanEvent> writeoff(const std::string& loan, Date date, const std::string& reason);
  Result<LoanEvent> recover(const std::string& loan, Money amount, Date date, const std::string& client_id);
  Result<LoanEvent> extend(const std::string& loan, int months, Date date, const std::string& reason);
  Result<LoanEvent> reschedule(const std::string& loan, const RescheduleTerms& terms, Date date,
                               const std::string& reason);
  Result<LoanEvent> freeze(const std::string& loan, Date date, const std::string& reason);
  Result<LoanEvent> unfreeze(const std::string& loan, Date date, const std::string& reason);

  // --- corrections (loan_corrections.cc; docs/loans.md "Corrections") --------------------
  // `soquy reverse` reaches reverse_entry through soquy/corrections.h.
  // Reverses `original`, an entry of this book (owner domain "loans"), in one transaction, dated
  // at the original's date (request.date must equal it, else kBadInput in field "date"):
  //   a repayment — the event is marked reversed and the loan's later repayments are replayed
  //     (re-allocation entries for those whose split changes); refused when a payoff, write-off,
  //     recovery, extension or rescheduling follows it;
  //   a payoff, write-off or recovery — when no event stands after it (else refused naming it);
  //   a disbursement — when the loan has no event standing: the loan is cancelled; refused
  //     naming the entries to reverse first.
  // The reversal's memo holds request.reason (required); `history` shows the reversed event with
  // it. Idempotent: an event already reversed by an entry with request.client_id (non-empty)
  // returns that reversal (created false); reversed otherwise: kBadInput. Refused: a
  // re-allocation entry (reverse the repayment or the late receipt that caused it), a reversal.
  Result<CorrectionResult> reverse_entry(const Entry& original, const ReversalRequest& request);
  // Reverses every standing row of the collection sheet recorded for `group` on `date` (rows of
  // `record_collection`, and before schema 14 the rows with the default receipt), the last
  // recorded first, in one transaction; each as reverse_entry. With `client_id`, each row's
  // reversal has client id "CLIENT_ID:RECEIPT", and a request already carried out (any row
  // reversed under it) writes nothing and returns those reversals (created false).
  // kBadInput: unknown group, no standing row on that sheet, a row reverse_entry refuses.
  Result<CollectionReversal> reverse_collection(const std::string& group, Date date, const std::string& reason,
                                                const std::string& client_id = "");

  // --- reading ---------------------------------------------------------------------------
  Result<Loan> loan(const std::string& code);
  // Whether a loan with this code was ever disbursed (a cancelled one included): what loan()
  // finds, without building its schedule.
  bool has_loan(const std::string& code);
  // The events that stand (reversed ones left out), by date then recording order.
  Result<std::vector<LoanEvent>> events(const std::string& code);
  // Every event, reversed ones too (reversed_by set), with their re-allocation entries.
  Result<std::vector<LoanEvent>> history(const std::string& code);
  // The journal entries of the standing (not reversed) repayments, payoffs, write-offs and
  // recoveries recorded with the receipt `receipt` (as `history` shows it), on any loan:
  // (loan code, entry number), by loan. Empty when no loan has that receipt standing.
  std::vector<std::pair<std::string, std::int64_t>> entries_of_receipt(const std::string& receipt);
  // The schedule in force on `as_of` (the last extension or rescheduling on or before it).
  Result<LoanSchedule> schedule(const std::string& code, Date as_of);
  Result<LoanSnapshot> snapshot(const std::string& code, Date as_of);
  // Every loan disbursed on or before `as_of`, in loan-id order, one at a time (memory stays
  // flat: the caller keeps what it needs). Cost: one pass over loans and events.
  Result<void> for_each_snapshot(Date as_of, const std::function<void(const LoanSnapshot&)>& fn);
  // The same pass split over up to `threads` workers, each reading with its own read-only
  // connection: `fn(worker, loan_id, snapshot)` is called from worker `worker` (0 ≤ worker <
  // the number returned; worker 0 is the calling thread), the workers at the same time, each
  // one's loans in id order. One worker (this thread) when the database is in memory or a
  // transaction is open on it. The snapshot is valid during the call only. Rethrows the first
  // exception of a worker (after all have stopped).
  int for_each_snapshot_parallel(Date as_of, int threads,
                                 const std::function<void(int, std::int64_t, const LoanSnapshot&)>& fn);
  Result<CollectionSheet> collection_sheet(const std::string& group, Date date);
  // Records a whole meeting in one transaction: every row, or (on the first bad one) none.
  Result<std::vector<RepaymentResult>> record_collection(const std::string& group, Date date,
                                                         const std::vector<CollectionReceipt>& rows);
  // Posts the change of the loan-loss provision to what the classes require on `as_of`.
  // Idempotent per date (client id "provision:DATE").
  Result<ProvisionRun> run_provision(Date as_of, const LoanClassTable& table);
  // The same with the classes in force (class_table()).
  Result<ProvisionRun> run_provision(Date as_of);
  // The loan classes in force: the setting `loan.classes` (settings.h), else LoanClassTable{}.
  LoanClassTable class_table();

  Money member_limit();

 private:
  // The registry this book asks about members and groups, made at the first use and kept, so
  // that its prepared statements serve every loan of an import.
  Registry& registry();

  Ledger& ledger_;
  std::unique_ptr<LoanStore> store_;
  std::unique_ptr<Registry> registry_;
};

}  // namespace soquy
