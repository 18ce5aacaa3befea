// soquy — accumulating savings groups (tổ tiết kiệm, VSLA-like) and pools (health-insurance
// pooling, piggy-bank groups).
//
// A savings group is a registry group of kind `savings` with its own book "group:CODE" (the
// money is the members', not the fund's). At each meeting members buy shares or deposit savings,
// pay into the social fund, pay fines and repay loans; between meetings the group lends from its
// loan fund, takes repayments and pays withdrawals. At the end of a cycle the loan fund is shared
// out and a new cycle begins.
//
// Rules (issue 5, items 7–9; docs/savings.md has the worked example):
// - A meeting is one transaction: every line of the sheet is checked first, then one entry is
//   posted; a bad line writes nothing. One meeting per date per group; recording the same sheet
//   again changes nothing (idempotent), a different sheet for the same date is refused.
// - A member's savings never goes negative: a withdrawal above her savings is refused.
// - The loan fund's cash = the group's cash (1011) − the social fund (4311). Loans and
//   withdrawals are paid from it only; the social fund is never lent or shared out.
// - Group loans use the fund loans' engine (loan_schedule.h: build_schedule; loan_status.h:
//   allocate, loan_position, days past due) with the group's own terms. A repayment is allocated
//   like a fund loan's (penalty → interest → principal, oldest instalment first); paying more
//   than the loan owes is refused.
// - Share-out at cycle end (every loan repaid): profit = loan-fund cash − savings paid in
//   (= service charges + fines − group expenses of the cycle). Each member is paid her savings
//   plus her part of the profit, split
//     shares:        in proportion to her savings (the number of shares × the share price);
//     time-weighted: in proportion to Σ amount × periods held, where a movement dated d is held
//                    for the number of the cycle's meetings dated after d (a share bought at
//                    meeting k of n counts n − k; a withdrawal subtracts the same way).
//   Rounding: largest remainder — each member gets the floor of her exact part, and the đồng
//   left over go one each to the largest remainders. When the last đồng would have to choose
//   between members with equal remainders, the group's leftover rule decides: `social-fund`
//   (default) puts those đồng in the social fund; `members` gives them in member-code order.
//   A loss (negative profit) is split the same way on its absolute value; the social fund
//   then bears the leftover đồng of the loss.
// - Pools: contributions credit the member; a purchase is paid out of the pool's cash and
//   charged to the members it is for, split equally by largest remainder (ties to the order
//   given); no member's balance may go negative.
//
// Postings in "group:CODE" (charts::group):
//   meeting   Dr 1011 cash (all received)
//             Cr 4111 savings, Cr 4311 social fund, Cr 7022 fines,
//             Cr 2111 principal repaid, Cr 7021 service charge (interest), Cr 7022 penalty
//   lend      Dr 2111 loans to members        Cr 1011 cash
//   repay     as the repayment lines of a meeting
//   withdraw  Dr 4111 savings                 Cr 1011 cash
//   grant     Dr 4311 social fund             Cr 1011 cash
//   shareout  Dr 4111 the cycle's savings, Dr 7021/7022 (closing them), Cr 8511 (closing it)
//             Cr 1011 payouts to members, Cr 4311 leftover đồng (Dr for a loss)
//   pool contribute  Dr 1011 / Cr 4111;  pool purchase  Dr 4111 / Cr 1011
//
// Every writing call is one Ledger transaction and needs the right to write in the group's book
// (a treasurer may; an auditor may not). Dates of a group's operations never go backwards: an
// operation dated before the group's latest one is refused — except a meeting, which may be entered
// late (every report is a replay in date order) unless a share-out dated after it closed its cycle
// or a repayment on it is for a loan repaid later (kBadInput naming them).
#pragma once

#include <cstdint>
#include <memory>
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
#include "soquy/read_options.h"
#include "soquy/registry.h"

namespace soquy {

enum class ShareoutMethod { kShares, kTimeWeighted };
Result<ShareoutMethod> parse_shareout_method(std::string_view s);  // shares|time-weighted
std::string_view to_string(ShareoutMethod m);

enum class LeftoverRule { kSocialFund, kMembers };
Result<LeftoverRule> parse_leftover_rule(std::string_view s);  // social-fund|members
std::string_view to_string(LeftoverRule r);

// The result of splitting `total` by weights with the leftover rule above.
struct ShareoutSplit {
  std::vector<Money> parts;  // one per weight
  Money leftover;            // đồng not given to anyone (only with kSocialFund); parts + leftover == total
};
// Largest-remainder split of `total` (any sign) in proportion to `weights` (non-negative, not all
// zero). Ties for the last đồng: kMembers gives them to the earlier index, kSocialFund leaves
// them over. kBadInput for negative or all-zero weights.
Result<ShareoutSplit> split_profit(Money total, const std::vector<Rational>& weights, LeftoverRule rule);

// A group's standing rules (soquy savings rules); fixed once set.
struct SavingsRules {
  std::optional<Money> share_price;  // needed for a `shares` column in meeting sheets
  ShareoutMethod method = ShareoutMethod::kShares;
  LeftoverRule leftover = LeftoverRule::kSocialFund;
};

// One member's line of a meeting sheet. `shares` (× the share price) and `deposit` both add to
// her savings; `repayment` goes to `loan` (or her only open loan when empty).
struct MeetingLine {
  std::string member;
  std::int64_t shares = 0;
  Money deposit;
  Money social;
  Money fine;
  Money repayment;
  std::string loan;
  std::size_t line = 0;  // the sheet's line, for messages (0: none)
};

struct MeetingResult {
  std::string group;
  Date date;
  int cycle = 1;
  int meeting_no = 0;  // in the cycle, from 1
  bool created = true;  // false: the same sheet was already recorded
  std::int64_t entry = 0;
  Money savings, social, fines, principal, interest, penalty, total;
};

// Reads a meeting sheet (CSV, UTF-8): header member,shares,deposit,social,fine,repay,loan
// (member required; any of the others; Vietnamese aliases in docs/savings.md). Empty cells are 0.
// Errors name FILE:LINE: column: what.
Result<std::vector<MeetingLine>> read_meeting_sheet(const std::string& path, const CsvReadOptions& read = {});

struct GroupLoanSpec {
  std::string loan;    // code, unique in the group
  std::string member;
  Money amount;
  Rate rate;
  int installments = 1;
  Frequency frequency = Frequency::kMonthly;
  RepaymentMethod method = RepaymentMethod::kFlat;
  int grace = 0;
  std::optional<Rate> penalty_rate;
  Date date;
};

struct GroupLoanStatus {
  std::string loan;
  std::string member;
  Money principal;
  Rate rate;
  int installments = 0;
  Frequency frequency = Frequency::kMonthly;
  RepaymentMethod method = RepaymentMethod::kFlat;
  Date disbursed_on;
  LoanSchedule schedule;
  LoanPosition position;  // as of the status date
};

struct GroupRepayment {
  std::string loan;
  Date date;
  std::int64_t entry = 0;
  Money amount, principal, interest, penalty;
  Money outstanding_principal;  // after this repayment
};

struct MemberSavings {
  std::string member;
  std::string name;
  std::int64_t shares = 0;  // bought this cycle
  Money savings;            // paid in − withdrawn, this cycle
  Money social;             // paid to the social fund, this cycle
  Money fines;              // this cycle
  Money grants;             // received from the social fund, this cycle
  Money loans_outstanding;  // principal
  Money balance;            // pools: contributed − charged
};

struct SavingsStatus {
  std::string group;
  std::string name;
  GroupKind kind = GroupKind::kSavings;
  SavingsRules rules;
  Date as_of;
  int cycle = 1;
  int meetings = 0;  // in the cycle, up to as_of
  Money cash, social_fund, loan_fund_cash, savings, loans_outstanding, income;
  std::vector<MemberSavings> members;  // by member code
  std::vector<GroupLoanStatus> loans;  // of every cycle, by code
};

struct ShareoutLine {
  std::string member;
  std::string name;
  Money savings;
  Rational weight;  // đồng (shares) or đồng·periods (time-weighted)
  Money profit;
  Money payout;     // savings + profit
};

struct ShareoutResult {
  std::string group;
  Date date;
  int cycle = 1;
  ShareoutMethod method = ShareoutMethod::kShares;
  LeftoverRule leftover_rule = LeftoverRule::kSocialFund;
  int meetings = 0;
  Money loan_fund_cash;  // at cycle end, social fund excluded
  Money savings;         // paid in this cycle
  Money profit;          // loan_fund_cash − savings
  Money distributed;     // Σ profit parts
  Money leftover;        // to the social fund
  Money paid_out;        // Σ payouts
  Money social_fund;     // after the share-out
  std::int64_t entry = 0;
  std::vector<ShareoutLine> lines;  // by member code
};

struct PoolPurchaseResult {
  std::string group;
  Date date;
  Money amount;
  std::int64_t entry = 0;
  std::vector<std::pair<std::string, Money>> charges;  // member, amount charged
};

class SavingsStore;

class Savings {
 public:
  explicit Savings(Ledger& ledger);
  ~Savings();
  Savings(const Savings&) = delete;
  Savings& operator=(const Savings&) = delete;


  // Sets a savings group's rules; refused once set.
  Result<SavingsRules> set_rules(const std::string& group, const SavingsRules& rules);
  Result<SavingsRules> rules(const std::string& group);

  // Records a meeting's sheet (see MeetingLine) in one transaction. `source` (the sheet's file
  // name) prefixes messages about a line: "SOURCE:LINE: column: what".
  Result<MeetingResult> record_meeting(const std::string& group, Date date, const std::vector<MeetingLine>& lines,
                                       const std::string& source = "");
  // Lends from the loan fund (cash − social fund must cover it).
  Result<GroupLoanStatus> lend(const std::string& group, const GroupLoanSpec& spec);
  Result<GroupRepayment> repay(const std::string& group, const std::string& loan, Money amount, Date date);
  Result<MemberSavings> withdraw(const std::string& group, const std::string& member, Money amount, Date date);
  // Pays a member a grant from the social fund (Dr 4311, Cr 1011): never more than the social
  // fund holds, nor than the cash.
  Result<MemberSavings> grant(const std::string& group, const std::string& member, Money amount, Date date,
                              const std::string& memo);
  // `method`/`rule` default to the group's rules.
  Result<ShareoutResult> shareout(const std::string& group, Date date, std::optional<ShareoutMethod> method = {},
                                  std::optional<LeftoverRule> rule = {});
  // Computes the share-out without writing anything (no entry; entry = 0).
  Result<ShareoutResult> preview_shareout(const std::string& group, Date date,
                                          std::optional<ShareoutMethod> method = {},
                                          std::optional<LeftoverRule> rule = {});
  Result<SavingsStatus> status(const std::string& group, Date as_of);

  // Corrections (issue 12; docs/savings.md "Sửa sai"). Reverses `original`, an entry this domain
  // wrote (its owner is {"savings", group code}), in one transaction: the journal gets the exact
  // negation dated at the original's date, and the record the entry made stops counting (a
  // meeting with its member lines and loan repayments, a repayment, a loan, a withdrawal, a grant,
  // a pool contribution or purchase, a share-out), so every report as of every date is a replay of
  // what stands. kBadInput (naming what to reverse first) when a later record rests on it: a
  // share-out of its cycle; a later repayment of the same loan; a loan's repayments (for the
  // loan); a later loan, withdrawal or grant the cash would no longer cover, or a withdrawal the
  // member's savings would no longer cover. A share-out is reversed only while it is the group's
  // latest record. A reversed meeting's date takes its corrected sheet again (record_meeting).
  Result<CorrectionResult> reverse_entry(const Entry& original, const ReversalRequest& request);

  // Pools (groups of kind pool).
  Result<MemberSavings> contribute(const std::string& group, const std::string& member, Money amount, Date date);
  // `for_members` empty: every member who has contributed.
  Result<PoolPurchaseResult> purchase(const std::string& group, Money amount, Date date,
                                      const std::vector<std::string>& for_members, const std::string& memo);

 private:
  struct Loaded;
  Result<Loaded> load(const std::string& group, std::optional<GroupKind> kind);  // nullopt: savings or pool
  Result<ShareoutResult> compute_shareout(const Loaded& l, Date date, std::optional<ShareoutMethod> method,
                                          std::optional<LeftoverRule> rule);
  Ledger& ledger_;
  Registry registry_;
  std::unique_ptr<SavingsStore> store_;
};

}  // namespace soquy
