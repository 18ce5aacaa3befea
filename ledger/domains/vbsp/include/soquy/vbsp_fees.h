// soquy — VBSP entrustment fees, leaders' commissions and the monthly group grade (docs/vbsp.md
// "Fees, commissions and grades").
//
// Rates. The commune union signs an entrustment contract with VBSP (`contract`: a code, the
// commune unit whose groups it covers, the date signed). Its rates are versions keyed by
// (contract, effective_from): the entrustment fee (phí ủy thác, paid to the union) and the group
// leader's commission (hoa hồng), both exact decimal percentages of the interest the group
// collected in the session. VBSP's public rates were not found, so soquy has no default rate:
// every rate is data the union enters from its contract. A version is never changed: the same
// (contract, date) again with the same rates changes nothing, with other rates it is refused.
//
// The rate in force for a group on a date D: the group's commune (registry) → the contract of
// that commune with the latest signed date on or before D → that contract's version with the
// latest effective date on or before D. None → the session has no rate (shown, never 0).
//
// Fee of a session = interest collected × fee % ÷ 100, commission = interest × commission % ÷
// 100, each computed exactly and rounded once to whole đồng half-up. The interest of a session
// is Vbsp::session_check's (interest receipts of the group's loans dated from `from` to the
// session date). The fees are computed and reported, not posted: the bank pays them, and the
// report is what the union checks the bank's payment against (informational).
//
// Grades. Each month every group with VBSP loans is scored on six criteria (100 points; the
// maximum points are VBSP's, the measures are soquy's, defined in docs/vbsp.md); each
// criterion's points are computed exactly and rounded once to 2 decimals half-up; the total is
// the sum of the rounded points; the grade follows the thresholds of the setting
// vbsp.grade_thresholds ("50,70,85": below 50 Yếu, below 70 Trung bình, below 85 Khá, else Tốt).
// A criterion whose data is missing (no statement dated in the month or the month before) has no
// points and says why, and the group is then not graded.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/ledger.h"
#include "soquy/money.h"
#include "soquy/setting_key.h"

namespace soquy {

inline constexpr const char* kVbspGradeThresholdsSetting = "vbsp.grade_thresholds";
// kBadInput unless parse_vbsp_grade_thresholds accepts `text`.
Result<void> validate_vbsp_grade_thresholds_setting(std::string_view text);
inline constexpr SettingKey kVbspGradeThresholds{
    kVbspGradeThresholdsSetting, "50,70,85",
    "VBSP group grades: below the 1st Yếu, below the 2nd Trung bình, below the 3rd Khá, else Tốt (report "
    "vbsp-grades)",
    validate_vbsp_grade_thresholds_setting};

// A percentage of interest as the union writes it: "8%", "7.5%", "0%" (a decimal followed by
// '%'; spaces allowed before it), from 0 to 100. Returns the percentage (8 for "8%"). A bare
// "0.08" is refused: whether it means 0.08 % or 8 % must not be guessed.
Result<Rational> parse_interest_percent(std::string_view text);
// "8%", "7.5%": the exact decimal and '%'.
std::string format_percent(const Rational& percent);
// round_half_up(interest × percent ÷ 100) in whole đồng.
Money percent_of(Money interest, const Rational& percent);

struct VbspContract {
  std::string code, unit;
  Date signed_on;
};

struct VbspFeeRate {
  std::string contract;
  Date effective_from;
  Rational fee_percent, commission_percent;
};

// The rate in force for commune `unit` on `on`, by the rule above; nullopt when none. `contract`
// (when not null) receives the contract found ("" when the commune has none in force).
std::optional<VbspFeeRate> vbsp_rate_in_force(const std::vector<VbspContract>& contracts,
                                              const std::vector<VbspFeeRate>& rates, const std::string& unit,
                                              Date on, std::string* contract = nullptr);

// The fee and commission of one group's session.
struct VbspSessionFee {
  std::string group, group_name, commune;
  Date from, date;
  Money interest;                        // interest receipts in [from, date]
  std::string contract;                  // "" when the commune has no contract in force
  std::optional<VbspFeeRate> rate;       // nullopt: no rate in force on `date`
  std::optional<Money> fee, commission;  // nullopt without a rate
};

struct VbspFeeReport {
  Date from, to;       // the month
  std::string group;   // "" = every group
  std::vector<VbspSessionFee> sessions;  // by group code
  Money interest, fee, commission;       // totals (fee and commission over sessions with a rate)
  std::int64_t without_rate = 0;         // sessions with no rate in force
};

// --- grades --------------------------------------------------------------------------------
struct VbspGradeThresholds {
  Rational weak_below = 50, average_below = 70, fair_below = 85;
};
// "50,70,85": three decimals, strictly ascending, each from 0 to 100. kBadInput saying why.
Result<VbspGradeThresholds> parse_vbsp_grade_thresholds(std::string_view text);

enum class VbspGrade { kWeak, kAverage, kFair, kGood };
std::string_view to_string(VbspGrade g);  // weak|average|fair|good
std::string_view vietnamese(VbspGrade g);  // Yếu|Trung bình|Khá|Tốt
VbspGrade vbsp_grade(const Rational& total, const VbspGradeThresholds& t);

enum class VbspCriterion {
  kTransacting,         // transacting at the commune point, 20
  kPrincipalCollected,  // principal due collected, 15
  kInterestCollection,  // interest collection rate, 20
  kMembersSaving,       // members saving, 5
  kSavingsGrowth,       // savings growth, 10
  kOverdueRatio,        // overdue ratio, 30
};
inline constexpr std::array<VbspCriterion, 6> kVbspCriteria = {
    VbspCriterion::kTransacting,   VbspCriterion::kPrincipalCollected, VbspCriterion::kInterestCollection,
    VbspCriterion::kMembersSaving, VbspCriterion::kSavingsGrowth,      VbspCriterion::kOverdueRatio};
std::string_view to_string(VbspCriterion c);  // transacting, principal_collected, …
std::string_view vietnamese(VbspCriterion c);
int max_points(VbspCriterion c);

// What the month shows for one group; the scoring rules take nothing else.
struct VbspGroupMonth {
  std::string group;
  // From the union's register and receipts, dated in the month:
  Money receipts;            // interest and savings-in receipts (the session; Vbsp::session_check)
  Money principal_paid;      // principal paid on any loan of the group
  Money principal_due;       // outstanding at the month's start of loans maturing by its end
  Money principal_due_paid;  // principal paid in the month on those loans
  // From the bank's statement dated last in the month (nullopt: none dated in the month):
  struct Bank {
    Date as_of;
    Money interest_collected, interest_unpaid;  // all the group's rows
    std::int64_t borrowers = 0, saving = 0;     // customers with an OPEN row; of them with savings > 0
    Money savings;                              // savings of the group's customers (once each)
    Money outstanding, overdue;                 // OPEN rows
  };
  std::optional<Bank> now;
  std::optional<Date> before_as_of;  // the statement dated last in the month before
  std::optional<Money> savings_before;
};

struct VbspCriterionScore {
  VbspCriterion criterion = VbspCriterion::kTransacting;
  std::optional<Rational> value;   // the measure, a fraction from 0 to 1; nullopt when missing
  std::optional<Rational> points;  // max × value rounded to 2 decimals half-up; nullopt when missing
  std::string detail;              // the figures behind the value, or why it is missing
  bool missing = false;
};

struct VbspGroupScore {
  std::string group, group_name, commune;
  std::array<VbspCriterionScore, 6> criteria;  // in the order of kVbspCriteria
  std::optional<Rational> total;               // nullopt when a criterion is missing
  std::optional<VbspGrade> grade;
};

// Scores one group's month by the rules of docs/vbsp.md.
VbspGroupScore score_vbsp_group(const VbspGroupMonth& m, const VbspGradeThresholds& t);

struct VbspGrades {
  Date from, to;
  std::string group;
  std::optional<Date> statement, statement_before;  // the statements used (nullopt: none)
  VbspGradeThresholds thresholds;
  std::vector<VbspGroupScore> groups;  // by group code
  std::array<std::int64_t, 4> counts{};  // groups per grade, in the order of VbspGrade
  std::int64_t not_graded = 0;
};

class VbspFeeStore;

class VbspFees {
 public:
  explicit VbspFees(Ledger& ledger);
  ~VbspFees();
  VbspFees(const VbspFees&) = delete;
  VbspFees& operator=(const VbspFees&) = delete;

  // Records a contract; false when the same contract was already recorded. kBadInput for an
  // empty code, a unit that is not a commune on `signed_on`, or the code recorded with other
  // content; kPermission without the right to write in `entrust`. One transaction.
  Result<bool> add_contract(const VbspContract& c);
  std::vector<VbspContract> contracts();  // by code
  // Records a rate version; false when the same version was already recorded. kBadInput for an
  // unknown contract, a date before it was signed, a percentage outside 0–100, or the same
  // (contract, date) with other rates. One transaction.
  Result<bool> add_rate(const VbspFeeRate& r);
  std::vector<VbspFeeRate> rates();  // by contract, effective date

  // The fee of `group`'s session on `date` (receipts from `from`, default the first of the month).
  Result<VbspSessionFee> session_fee(const std::string& group, Date date, std::optional<Date> from = std::nullopt);
  // Every group with interest receipts in the month [from, to]: one session each, dated `to`.
  Result<VbspFeeReport> month_fees(Date from, Date to, const std::string& group = "");
  // The grades of the month [from, to]; kBadInput for a group with no VBSP loan.
  Result<VbspGrades> grades(Date from, Date to, const std::string& group = "");

 private:
  Ledger& ledger_;
  std::unique_ptr<VbspFeeStore> store_;
};

}  // namespace soquy
