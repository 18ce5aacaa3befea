// soquy — rotating groups (hụi / họ / biêu / phường, Decree 19/2019/NĐ-CP).
//
// A group (dây họ) is a registry group of kind rosca with a written agreement: a holder (chủ họ),
// N shares (a member listed twice holds two), a contribution A per share per round, a period
// (monthly or weekly), a kind (fixed order, lottery, or bidding), a holder's fee F per round and
// a late-payment rate (10 %/year unless agreed otherwise). Members and holder are 18 or older on
// the agreement's start date.
//
// Opening round K (kỳ mở họ) chooses the share that takes the pot:
// - the holder's share in round 1 with holder_takes_first (bid 0);
// - fixed: the next share in the agreed order; lottery: drawn among the shares that have not
//   received, with a recorded seed (draw_index below, replayable by anyone);
// - bid: the highest bid among shares that have not received wins, a tie is drawn among the tied
//   shares with a recorded seed; a round where nobody bids is drawn among all of them at bid 0;
// - the last share left takes the last pot (bid 0).
// Then D = shares that received before ("dead"), L = N − D − 1 ("living"): each dead share owes
// A, each living share A − B, the winner nothing; the winner's payout is A·D + (A − B)·L − F
// (the fee is deducted also when the holder wins).
//
// Postings in the group's book "group:CODE" (docs/rosca.md):
//   open    Dr 1311 receivable from members (Σ dues)  / Cr 3311 payable to members (payout + fee)
//   pay     Dr 1011 cash / Cr 1311 — and when the money repays a due the holder advanced, the
//           advanced part goes on to the holder in the same entry: Dr 3311 / Cr 1011
//   advance Dr 1011 cash / Cr 3311 (the group owes the holder her advance; the member still
//           owes her due in 1311: the holder's receivable from that member)
//   payout  Dr 3311 (payout + fee) / Cr 1011 payout to the winner, Cr 1011 fee to the holder
//   close   Dr 1311 what dead shares still owe / Cr 3311 what is owed to living shares
//
// Every writing call is one Ledger transaction (all or nothing) and needs the right to write in
// the group's book (a treasurer may; an auditor may not). A receipt number makes a payment or a
// payout idempotent: the same receipt with the same content changes nothing, other content is
// refused. Every movement has a receipt (generated "PT-…"/"PC-…" when none is given).
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
#include "soquy/money.h"
#include "soquy/rate.h"
#include "soquy/registry.h"
#include "soquy/setting_key.h"

namespace soquy {

// The yearly rate above which a member's implied rate is flagged (settings.h lists it).
inline constexpr SettingKey kRoscaRateCapSetting{
    "rosca.rate_cap", "0.20",
    "implied yearly rate above which a hụi member's rate is flagged over the cap (rosca status)",
    setting_is_yearly_fraction};

enum class RoscaKind { kFixed, kLottery, kBid };
Result<RoscaKind> parse_rosca_kind(std::string_view s);  // fixed|lottery|bid
std::string_view to_string(RoscaKind k);

enum class RoscaPeriod { kMonthly, kWeekly };
Result<RoscaPeriod> parse_rosca_period(std::string_view s);  // monthly|weekly
std::string_view to_string(RoscaPeriod p);
int rounds_per_year(RoscaPeriod p);  // 12 or 52

// --- the draw --------------------------------------------------------------------------------
// SplitMix64 (Steele, Lea, Flood 2014): state += 0x9E3779B97F4A7C15; z = state;
// z = (z ^ z>>30)·0xBF58476D1CE4E5B9; z = (z ^ z>>27)·0x94D049BB133111EB; return z ^ z>>31.
std::uint64_t splitmix64_next(std::uint64_t& state);
// Index in [0, n) drawn from `seed`: the first SplitMix64 output x below 2^64 − (2^64 mod n)
// (rejection, so every index is equally likely), then x mod n. n ≥ 1.
std::size_t draw_index(std::uint64_t seed, std::size_t n);
// A seed typed by a person: decimal digits, 0 … 18446744073709551615.
Result<std::uint64_t> parse_seed(std::string_view text);

// --- the implied rate -------------------------------------------------------------------------
// The smallest non-negative per-round rate r with Σ flows[k]/(1+r)^k = 0 (k = 0, 1, …), or none.
// Exact: the roots of the polynomial Σ flows[k]·x^(n−1−k) in x = 1 + r ≥ 1 are isolated with a
// Sturm sequence over integers and the smallest is narrowed by bisection on the grid of 1e-12
// (the result is within 1e-12 below the root; exactly 0 when the flows sum to 0). All-zero
// flows have no rate. (loan_schedule.h's internal_rate assumes one sign change — a principal
// then payments — and cannot find the smallest of several roots; this is the general case.)
std::optional<Rational> smallest_nonnegative_rate(const std::vector<Money>& flows);

// --- the agreement ---------------------------------------------------------------------------
struct RoscaSpec {
  std::string group;  // registry group code
  std::string unit;   // when set, the registry group is created (kind rosca) in this unit
  std::string name;   // its name (default: the code)
  std::string holder;  // member id
  Money contribution;
  RoscaPeriod period = RoscaPeriod::kMonthly;
  Date start;
  RoscaKind kind = RoscaKind::kLottery;
  std::vector<std::string> shares;  // member ids, in the agreed order
  Money fee;
  bool holder_takes_first = false;
  std::optional<Rate> late_rate;  // default 10%/year
  std::string terms;              // the written agreement's own words
};

struct RoscaShare {
  int share = 0;  // 1-based, the agreed order
  std::string member;
  std::string name;
};

struct RoscaAgreement {
  std::string group;
  std::string name;
  std::string book;  // "group:CODE"
  std::string holder;
  std::string holder_name;
  Money contribution;
  RoscaPeriod period = RoscaPeriod::kMonthly;
  Date start;
  RoscaKind kind = RoscaKind::kLottery;
  Money fee;
  bool holder_takes_first = false;
  Rate late_rate;
  Rational rate_cap;  // per year, from the setting rosca.rate_cap (kRoscaRateCapSetting)
  std::string terms;
  std::vector<RoscaShare> shares;
};

// --- openings --------------------------------------------------------------------------------
struct RoscaBid {
  std::string member;
  Money bid;
};

struct RoscaOpenSpec {
  int round = 0;
  Date date;
  std::string winner;          // bid kind: the winner decided at the meeting (with `bid`)
  std::optional<Money> bid;    // her winning bid
  std::vector<RoscaBid> bids;  // bid kind: every bid made (the highest wins; ties drawn)
  std::optional<std::uint64_t> seed;
};

struct RoscaDue {
  int share = 0;
  std::string member;
  Money amount;
  Money paid;      // by the member herself (her payments, oldest due first)
  Money advanced;  // by the holder for her
};

struct RoscaRound {
  int round = 0;
  Date date;
  std::string method;  // holder | fixed | lottery | bid | bid-tie | last
  int winner_share = 0;
  std::string winner;
  Money bid;
  std::optional<std::uint64_t> seed;
  std::vector<int> candidates;  // the shares a draw was among
  std::vector<std::pair<int, Money>> bids;  // share, bid
  int dead = 0, living = 0;
  Money payout, fee;
  std::vector<RoscaDue> due;  // by share
  std::optional<Date> paid_out_on;
  std::string payout_receipt;
  std::int64_t entry = 0;  // the opening's entry
  bool created = true;     // open(): false never (an opened round is refused), kept for symmetry
};

// --- money moving ----------------------------------------------------------------------------
struct RoscaMovement {
  std::string kind;  // payment | advance | payout
  std::string member;
  std::optional<int> round;
  Date date;
  Money amount;
  Money fee;  // payout: the fee paid to the holder in the same entry
  std::string receipt;
  std::int64_t entry = 0;
  bool created = true;  // false: this receipt was already recorded with the same content
};

struct RoscaPayoutResult {
  RoscaMovement payout;
  std::vector<RoscaMovement> advances;  // one per due the holder advanced
  bool created = true;
};

// --- status ----------------------------------------------------------------------------------
struct RoscaMemberStatus {
  std::string member;
  std::string name;
  int shares = 0;
  Money paid;      // her own payments
  Money received;  // payouts paid to her
  Money net;       // received − paid
  Money due;       // dues of opened rounds
  Money arrears;   // due − paid (what she still owes: to the group, or to the holder for advances)
  Money advanced;  // of her arrears, what the holder advanced (the holder's receivable from her)
  Money late_interest;  // on her arrears as of the status date, at the agreement's late rate
  std::optional<Rational> implied_annual_rate;
  bool over_cap = false;
  std::optional<Money> settlement;  // after close: > 0 she owes, < 0 she is owed
};

// A movement that was reversed (corrections): shown, never counted.
struct RoscaReversed {
  RoscaMovement movement;
  std::int64_t reversal = 0;  // the reversing entry
  std::string reason;         // as given to `soquy reverse --reason`
};

// The group as it stood at the end of `as_of`: only the rounds opened, the money moved and the
// closing made on or before that day (a past date replays the history up to it).
struct RoscaStatus {
  RoscaAgreement agreement;
  Date as_of;
  // Every share has had its round by as_of. Otherwise the implied rates are "so far": the rate of
  // the cash flows of the rounds opened, which the later rounds will change.
  bool whole_cycle = false;
  std::vector<RoscaRound> rounds;
  std::vector<RoscaMemberStatus> members;  // in order of first share
  std::vector<RoscaMovement> movements;    // record order (those that stand)
  std::vector<RoscaReversed> reversed;     // movements reversed, dated by as_of; record order
  std::vector<std::string> warnings;
  std::optional<Date> closed_on;
  Money cash;  // the group's cash (1011) from its movements
};

struct RoscaCloseResult {
  Date date;
  std::optional<std::int64_t> entry;
  std::vector<std::pair<std::string, Money>> settlements;  // member, > 0 owes / < 0 owed
};

class RoscaStore;

class Rosca {
 public:
  explicit Rosca(Ledger& ledger);
  ~Rosca();
  Rosca(const Rosca&) = delete;
  Rosca& operator=(const Rosca&) = delete;


  Result<RoscaAgreement> create(const RoscaSpec& spec);
  Result<RoscaAgreement> agreement(const std::string& group);
  Result<RoscaRound> open(const std::string& group, const RoscaOpenSpec& spec);
  // A member pays `amount` in on `date`; it settles her oldest dues first and may not exceed
  // what she owes for the rounds opened.
  Result<RoscaMovement> pay(const std::string& group, const std::string& member, Money amount, Date date,
                            const std::string& receipt = "");
  // Pays round `round`'s winner. Refused while a due of the round is missing, unless `advance`:
  // then the holder advances each missing due first (one receipt each: RECEIPT-A1, -A2, …).
  // Asked again for a round already paid out on the same date, with its receipt or with none,
  // it changes nothing (created = false); another date or receipt is refused.
  Result<RoscaPayoutResult> payout(const std::string& group, int round, Date date, const std::string& receipt = "",
                                   bool advance = false);
  Result<RoscaStatus> status(const std::string& group, std::optional<Date> as_of = std::nullopt);
  // Winds the group down on `date`: every opened round must be paid out. Each member's position
  // (gross pots taken − dues of opened rounds) becomes an explicit receivable (> 0) or payable.
  Result<RoscaCloseResult> close(const std::string& group, Date date);
  // Corrections (issue 12; docs/rosca.md "Sửa sai"). Reverses `original`, a payment, an advance
  // or a payout this domain wrote (owner {"rosca", group code}), in one transaction, dated at the
  // original's date: the movement stops counting (its receipt stays used), so the member owes her
  // due again, or the round is open again and may be paid out again (receipt PC-GROUP-NN-2, …).
  // kBadInput, naming what to reverse first: a payout while a later round is opened; a payment or
  // advance while a payout dated on or after it stands (the round was paid with it), or a later
  // payment of the same member (allocated after it); anything once the group is closed.
  Result<CorrectionResult> reverse_entry(const Entry& original, const ReversalRequest& request);

 private:
  struct Loaded;
  Result<Loaded> load(const std::string& group);
  void add_warnings(const Loaded& l, RoscaStatus& st);
  Ledger& ledger_;
  Registry registry_;
  std::unique_ptr<RoscaStore> store_;
};

}  // namespace soquy
