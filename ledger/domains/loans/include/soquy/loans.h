// soquy — the Women's Development Fund's loan book: products, deposits of capital,
// disbursements, repayments and the other dated events of a loan, with their journal entries.
//
// The rules of a schedule are in loan_schedule.h and those of allocation, days past due,
// classes, PAR and provisions in loan_status.h; this layer stores loans and their events
// (schemas/0003_loans.sql), turns each event into one balanced entry of the fund book, and
// answers "what does this loan owe at D" for any past date by replaying its events.
//
// Every writing call is one transaction (Ledger::in_transaction): the loan rows and the entry
// are written together or not at all. Events of a loan go in date order: an event dated before
// the loan's latest event is refused (kBadInput), so what was recorded is never re-allocated.
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
  std::string client_id;
  std::optional<std::int64_t> entry_id;
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
  // product's savings rate for one period, each), less savings already received in the period.
  Money savings;
  std::int64_t days_past_due = 0;
  Money outstanding_principal;
  Money total() const;
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
};

struct ProvisionRun {
  Date as_of;
  Money required;  // sum of the loans' provisions by class
  Money held_before;
  Money change;    // posted: required − held_before (0: nothing posted)
  std::optional<Entry> entry;
};

class LoanStore;

class LoanBook {
 public:
  explicit LoanBook(Ledger& ledger);
  ~LoanBook();
  LoanBook(const LoanBook&) = delete;
  LoanBook& operator=(const LoanBook&) = delete;

  // Corrections: reverses `original`, an entry this domain owns (Entry::owner), keeping the
  // domain's records and the journal together, in one transaction. `soquy reverse` reaches it
  // through soquy/corrections.h; request.date is the original's date.
  Result<CorrectionResult> reverse_entry(const Entry& original, const ReversalRequest& request);

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
  Result<RepaymentResult> repay(const std::string& loan, Money amount, Money savings, Date date,
                                const std::string& client_id);
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

  // --- reading ---------------------------------------------------------------------------
  Result<Loan> loan(const std::string& code);
  Result<std::vector<LoanEvent>> events(const std::string& code);
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
  Ledger& ledger_;
  std::unique_ptr<LoanStore> store_;
};

}  // namespace soquy
