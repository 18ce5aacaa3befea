// Rotating groups (hụi / họ, Decree 19/2019/NĐ-CP): the rules. Contract in
// ledger/include/soquy/rosca.h, design in docs/rosca.md, rows in rosca_store.h.
#include "soquy/i18n.h"
#include "soquy/rosca.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "group_access.h"
#include "rosca_store.h"
#include "soquy/charts.h"
#include "soquy/clock.h"
#include "ledger_internal.h"
#include "store.h"

namespace soquy {
namespace {

Error bad(std::string m) { return Error::bad_input(std::move(m)); }

Result<void> check_receipt(std::string_view code) {
  if (code.empty()) return fail(bad(tr("the receipt number is empty")).in_field("receipt"));
  if (code.size() > 64) return fail(bad(fmt::format(fmt::runtime(tr("'{}' is longer than 64 characters")), code)).in_field("receipt"));
  for (unsigned char c : code)
    if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/'))
      return fail(bad(fmt::format(fmt::runtime(tr("'{}' may hold only letters A-Z, digits and - _ . /")), code)).in_field("receipt"));
  return {};
}

// --- polynomials over the integers (coefficient i of x^i), for the Sturm sequence -------------
using Poly = std::vector<BigInt>;

void trim(Poly& p) {
  while (!p.empty() && p.back() == 0) p.pop_back();
}

Poly derivative(const Poly& p) {
  Poly d;
  for (std::size_t i = 1; i < p.size(); ++i) d.push_back(p[i] * static_cast<long long>(i));
  trim(d);
  return d;
}

// The primitive integer polynomial with the same sign as a rational one times a positive number.
Poly primitive(const std::vector<Rational>& r) {
  BigInt den = 1;
  for (const auto& c : r) {
    BigInt d = boost::multiprecision::denominator(c);
    den = den / boost::multiprecision::gcd(den, d) * d;
  }
  Poly p;
  BigInt g = 0;
  for (const auto& c : r) {
    Rational scaled = c * den;
    BigInt n = boost::multiprecision::numerator(scaled);
    p.push_back(n);
    g = boost::multiprecision::gcd(g, n);
  }
  if (g > 1)
    for (auto& c : p) c /= g;
  trim(p);
  return p;
}

// −(a mod b), made primitive (a positive factor keeps the Sturm property).
Poly neg_remainder(const Poly& a, const Poly& b) {
  std::vector<Rational> r(a.begin(), a.end());
  const std::size_t db = b.size() - 1;
  const Rational lead(b.back());
  while (r.size() >= b.size()) {
    Rational q = r.back() / lead;
    const std::size_t shift = r.size() - 1 - db;
    for (std::size_t i = 0; i <= db; ++i) r[shift + i] -= q * Rational(b[i]);
    r.pop_back();  // exactly zero now
    while (!r.empty() && r.back() == 0) r.pop_back();
  }
  for (auto& c : r) c = -c;
  return primitive(r);
}

// Sign of p(num/den), den > 0.
int sign_at(const Poly& p, const BigInt& num, const BigInt& den) {
  BigInt sum = 0, npow = 1;
  std::vector<BigInt> dpow(p.size(), 1);
  for (std::size_t i = 1; i < p.size(); ++i) dpow[i] = dpow[i - 1] * den;
  const std::size_t deg = p.size() - 1;
  for (std::size_t i = 0; i < p.size(); ++i) {
    sum += p[i] * npow * dpow[deg - i];
    npow *= num;
  }
  return sum > 0 ? 1 : (sum < 0 ? -1 : 0);
}

int variations(const std::vector<Poly>& chain, const BigInt& num, const BigInt& den) {
  int count = 0, last = 0;
  for (const auto& p : chain) {
    int s = sign_at(p, num, den);
    if (s == 0) continue;
    if (last != 0 && s != last) ++count;
    last = s;
  }
  return count;
}

// --- a group's rows, loaded once per call ------------------------------------------------------
struct Alloc {
  // per (round, share): the member's own payments and the holder's advances on that due
  std::map<std::pair<int, int>, Money> paid, advanced;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
Result<RoscaKind> parse_rosca_kind(std::string_view s) {
  if (s == "fixed") return RoscaKind::kFixed;
  if (s == "lottery") return RoscaKind::kLottery;
  if (s == "bid") return RoscaKind::kBid;
  return fail(Error::usage(fmt::format(fmt::runtime(tr("'{}' is not one of fixed, lottery, bid")), s)).in_field("kind"));
}
std::string_view to_string(RoscaKind k) {
  switch (k) {
    case RoscaKind::kFixed: return "fixed";
    case RoscaKind::kLottery: return "lottery";
    case RoscaKind::kBid: return "bid";
  }
  return "?";
}
Result<RoscaPeriod> parse_rosca_period(std::string_view s) {
  if (s == "monthly") return RoscaPeriod::kMonthly;
  if (s == "weekly") return RoscaPeriod::kWeekly;
  return fail(Error::usage(fmt::format(fmt::runtime(tr("'{}' is not one of monthly, weekly")), s)).in_field("period"));
}
std::string_view to_string(RoscaPeriod p) { return p == RoscaPeriod::kMonthly ? "monthly" : "weekly"; }
int rounds_per_year(RoscaPeriod p) { return p == RoscaPeriod::kMonthly ? 12 : 52; }

std::uint64_t splitmix64_next(std::uint64_t& state) {
  state += 0x9E3779B97F4A7C15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::size_t draw_index(std::uint64_t seed, std::size_t n) {
  if (n <= 1) return 0;
  const std::uint64_t m = n;
  // 2^64 mod n, computed without 128-bit arithmetic: (2^64 − n) mod n.
  const std::uint64_t rest = (0 - m) % m;
  std::uint64_t state = seed;
  for (;;) {
    std::uint64_t x = splitmix64_next(state);
    if (rest == 0 || x < 0 - rest) return static_cast<std::size_t>(x % m);  // 0 − rest = 2^64 − rest
  }
}

Result<std::uint64_t> parse_seed(std::string_view text) {
  std::uint64_t v = 0;
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos)
    return fail(bad(fmt::format(fmt::runtime(tr("'{}' is not a whole number 0 … 18446744073709551615")), text)).in_field("draw_seed"));
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size())
    return fail(bad(fmt::format(fmt::runtime(tr("'{}' is beyond 18446744073709551615")), text)).in_field("draw_seed"));
  return v;
}

std::optional<Rational> smallest_nonnegative_rate(const std::vector<Money>& flows) {
  const std::size_t n = flows.size();
  Poly p(n);
  for (std::size_t k = 0; k < n; ++k) p[n - 1 - k] = BigInt(flows[k].minor_units());
  trim(p);
  if (p.size() < 2) return std::nullopt;  // all zero, or a constant: no rate
  BigInt at_one = 0;
  for (const auto& c : p) at_one += c;
  if (at_one == 0) return Rational(0);
  // Sturm chain.
  std::vector<Poly> chain{p, derivative(p)};
  while (chain.back().size() > 1) {
    Poly r = neg_remainder(chain[chain.size() - 2], chain.back());
    if (r.empty()) break;
    chain.push_back(std::move(r));
  }
  // Cauchy: every root x has |x| < 1 + max|p_i| / |p_deg| ≤ bound.
  BigInt maxc = 0;
  for (std::size_t i = 0; i + 1 < p.size(); ++i) maxc = std::max(maxc, BigInt(abs(p[i])));
  const BigInt lead = abs(p.back());
  const BigInt bound = 2 + maxc / lead;
  const BigInt scale("1000000000000");  // x = 1 + q / 10^12
  auto v_at = [&](const BigInt& q) { return variations(chain, scale + q, scale); };
  const int v_one = v_at(0);
  BigInt lo = 0, hi = (bound - 1) * scale;
  if (v_one - v_at(hi) <= 0) return std::nullopt;
  bool hi_is_root = false;
  while (hi - lo > 1) {
    BigInt mid = (lo + hi) / 2;
    if (sign_at(p, scale + mid, scale) == 0) {
      hi = mid;
      hi_is_root = true;
      continue;
    }
    if (v_one - v_at(mid) >= 1) {
      hi = mid;
      hi_is_root = false;
    } else {
      lo = mid;
    }
  }
  return Rational(hi_is_root ? hi : lo, scale);
}

// ---------------------------------------------------------------------------------------------
struct Rosca::Loaded {
  Group group;
  RoscaAgreementRow a;
  std::vector<RoscaShareRow> shares;
  std::vector<RoscaRoundRow> rounds;
  std::vector<RoscaBidRow> bids;
  std::vector<RoscaDueRow> dues;
  std::vector<RoscaMovementRow> movements;  // those that stand
  std::vector<RoscaMovementRow> reversed;   // reversed (their receipts stay used)
  std::optional<RoscaClosingRow> closing;
  Rational rate_cap;

  Money A() const { return Money(a.contribution); }
  // Keeps what had happened by the end of `as_of`: the rounds opened, their bids and dues, the
  // money moved, the closing. A status as of a past date is then a replay of that history.
  void trim_to(Date as_of) {
    std::erase_if(rounds, [&](const RoscaRoundRow& r) { return as_of < r.opened_on; });
    auto opened = [&](int round_no) {
      return std::any_of(rounds.begin(), rounds.end(), [&](const RoscaRoundRow& r) { return r.round_no == round_no; });
    };
    std::erase_if(bids, [&](const RoscaBidRow& b) { return !opened(b.round_no); });
    std::erase_if(dues, [&](const RoscaDueRow& d) { return !opened(d.round_no); });
    std::erase_if(movements, [&](const RoscaMovementRow& m) { return as_of < m.moved_on; });
    std::erase_if(reversed, [&](const RoscaMovementRow& m) { return as_of < m.moved_on; });
    if (closing && as_of < closing->closed_on) closing.reset();
  }
  std::string member_code(std::int64_t id) const {
    for (const auto& s : shares)
      if (s.member_id == id) return s.member_code;
    if (id == a.holder_id) return a.holder_code;
    return "?";
  }
  const RoscaShareRow& share(int no) const { return shares.at(static_cast<std::size_t>(no - 1)); }
  bool received(int share_no) const {
    return std::any_of(rounds.begin(), rounds.end(), [&](const auto& r) { return r.winner_share == share_no; });
  }
  const RoscaMovementRow* payout_of(int round) const {
    for (const auto& m : movements)
      if (m.kind == "payout" && m.round_no == round) return &m;
    return nullptr;
  }
  // Own payments allocated to each member's dues, oldest round first (then share); advances on
  // the due of their round, in share order.
  Alloc allocate() const {
    Alloc out;
    std::map<std::int64_t, Money> pool;
    for (const auto& m : movements)
      if (m.kind == "payment") pool[m.member_id] += Money(m.amount);
    for (const auto& d : dues) {
      Money& left = pool[d.member_id];
      Money take = std::min(left, Money(d.amount));
      left -= take;
      out.paid[{d.round_no, d.share_no}] = take;
    }
    std::map<std::pair<int, std::int64_t>, Money> adv;
    for (const auto& m : movements)
      if (m.kind == "advance" && m.round_no) adv[{*m.round_no, m.member_id}] += Money(m.amount);
    for (const auto& d : dues) {
      Money& left = adv[{d.round_no, d.member_id}];
      Money room = Money(d.amount) - out.paid[{d.round_no, d.share_no}];
      Money take = std::min(left, room);
      left -= take;
      out.advanced[{d.round_no, d.share_no}] = take;
    }
    return out;
  }
  // What the holder advanced for `member` and the member has not repaid yet.
  Money outstanding_advance(std::int64_t member, const Alloc& al) const {
    Money sum;
    for (const auto& d : dues) {
      if (d.member_id != member) continue;
      Money unpaid = Money(d.amount) - al.paid.at({d.round_no, d.share_no});
      sum += std::min(unpaid, al.advanced.at({d.round_no, d.share_no}));
    }
    return sum;
  }
};

Rosca::Rosca(Ledger& ledger) : ledger_(ledger), registry_(ledger), store_(std::make_unique<RoscaStore>(ledger.store())) {}
Rosca::~Rosca() = default;

Result<Rosca::Loaded> Rosca::load(const std::string& code) {
  auto g = registry_.group(code);
  if (!g) return fail(bad(fmt::format(fmt::runtime(tr("unknown group '{}'")), code)));
  if (g->kind != GroupKind::kRosca)
    return fail(bad(fmt::format(fmt::runtime(tr("group '{}' is a {} group, not a rotating group (rosca)")), code, to_string(g->kind))));
  if (auto ok = require_group_rows(ledger_, g->book); !ok) return fail(ok.error());
  auto a = store_->find_agreement(g->id);
  if (!a) return fail(bad(fmt::format(fmt::runtime(tr("group '{}' has no agreement yet (soquy rosca create {} …)")), code, code)));
  Loaded l;
  l.group = *g;
  l.a = *a;
  l.shares = store_->shares(g->id);
  l.rounds = store_->rounds(g->id);
  l.bids = store_->bids(g->id);
  l.dues = store_->dues(g->id);
  for (auto& m : store_->movements(g->id)) (m.reversed_by ? l.reversed : l.movements).push_back(std::move(m));
  l.closing = store_->closing(g->id);
  auto cap = setting_value<Rational>(ledger_.store(), kRoscaRateCapSetting);
  if (!cap) return fail(cap.error());
  l.rate_cap = *cap;
  return l;
}

namespace {

RoscaAgreement agreement_of(const Group& g, const RoscaAgreementRow& a, const std::vector<RoscaShareRow>& shares,
                            const Rational& cap) {
  RoscaAgreement out;
  out.group = g.code;
  out.name = g.name;
  out.book = g.book;
  out.holder = a.holder_code;
  out.holder_name = a.holder_name;
  out.contribution = Money(a.contribution);
  out.period = *parse_rosca_period(a.period);
  out.start = a.start_on;
  out.kind = *parse_rosca_kind(a.kind);
  out.fee = Money(a.fee);
  out.holder_takes_first = a.holder_takes_first;
  out.late_rate = *Rate::parse(a.late_rate);
  out.rate_cap = cap;
  out.terms = a.terms;
  for (const auto& s : shares) out.shares.push_back(RoscaShare{s.share_no, s.member_code, s.member_name});
  return out;
}

}  // namespace

namespace {

// The agreement's amounts checked: a pot A·(N−1) in range that the fee does not take whole;
// returns the late rate (10 %/year unless given).
Result<Rate> checked_terms(const RoscaSpec& spec) {
  if (spec.contribution <= Money(0)) return fail(bad(tr("must be more than 0 đồng")).in_field("contribution"));
  if (spec.fee.is_negative()) return fail(bad(tr("must not be negative")).in_field("fee"));
  if (spec.shares.size() < 2) return fail(bad(tr("a rotating group needs at least two shares")).in_field("shares"));
  auto pot = spec.contribution.times(static_cast<std::int64_t>(spec.shares.size()) - 1);
  if (!pot) return fail(bad(tr("the pot A·(N−1) is beyond the range of amounts")).in_field("contribution"));
  if (spec.fee >= *pot)
    return fail(bad(fmt::format(fmt::runtime(tr("{} đồng would take the whole pot A·(N−1) = {} đồng")), spec.fee.to_plain_string(),
                                pot->to_plain_string())).in_field("fee"));
  Rate late = spec.late_rate ? *spec.late_rate : Rate(Rational(10), RatePeriod::kYear);
  if (late.per_year() < 0) return fail(bad(tr("must not be negative")).in_field("late_rate"));
  return late;
}

// The member `id` on the start date, known and 18 or older; `role`: the input naming her
// ("holder", "shares").
Result<Member> adult_member(Registry& registry, const std::string& id, const std::string& role, Date start) {
  auto m = registry.member(id, start);
  if (!m) return fail(bad(fmt::format(fmt::runtime(tr("unknown member '{}'")), id)).in_field(role));
  if (!m->born)
    return fail(bad(fmt::format(fmt::runtime(tr("member '{}' has no birth date: members and holder of a rotating group must "
                                "be 18 or older (Decree 19/2019)")),
                                id))
                    .in_field(role));
  if (m->born->add_months(18 * 12) > start)
    return fail(bad(fmt::format(fmt::runtime(tr("member '{}' (born {}) is under 18 on {}: members and holder of a rotating "
                                "group must be 18 or older (Decree 19/2019)")),
                                id, m->born->to_iso(), start.to_iso()))
                    .in_field(role));
  if (m->left && *m->left <= start)
    return fail(bad(fmt::format(fmt::runtime(tr("member '{}' left on {}")), id, m->left->to_iso())).in_field(role));
  return m;
}

RoscaAgreementRow agreement_row(const RoscaSpec& spec, std::int64_t group_id, std::int64_t holder_id, const Rate& late) {
  RoscaAgreementRow row;
  row.group_id = group_id;
  row.holder_id = holder_id;
  row.contribution = spec.contribution.minor_units();
  row.period = std::string(to_string(spec.period));
  row.kind = std::string(to_string(spec.kind));
  row.late_rate = late.to_string();
  row.terms = spec.terms;
  row.start_on = spec.start;
  row.fee = spec.fee.minor_units();
  row.holder_takes_first = spec.holder_takes_first;
  return row;
}

}  // namespace

Result<RoscaAgreement> Rosca::create(const RoscaSpec& spec) {
  auto late = checked_terms(spec);
  if (!late) return fail(late.error());
  auto existing = registry_.group(spec.group);
  if (existing && !spec.unit.empty())
    return fail(bad(fmt::format(fmt::runtime(tr("group '{}' already exists; give --unit only to create it")), spec.group))
                    .in_field("unit"));
  if (!existing && spec.unit.empty())
    return fail(bad(fmt::format(fmt::runtime(tr("unknown group '{}' (give --unit CODE to create it as a rotating group)")), spec.group)));
  if (existing && existing->kind != GroupKind::kRosca)
    return fail(bad(fmt::format(fmt::runtime(tr("group '{}' is a {} group, not a rotating group (rosca)")), spec.group,
                                to_string(existing->kind))));
  if (auto ok = ledger_.require_write(existing ? existing->book : "group:" + spec.group); !ok) return fail(ok.error());
  // Members: known, 18 or older on the start date.
  std::map<std::string, Member> people;
  auto holder = adult_member(registry_, spec.holder, "holder", spec.start);
  if (!holder) return fail(holder.error());
  std::vector<Member> share_members;
  for (const auto& id : spec.shares) {
    auto m = adult_member(registry_, id, "shares", spec.start);
    if (!m) return fail(m.error());
    share_members.push_back(*m);
  }
  if (spec.holder_takes_first &&
      std::none_of(spec.shares.begin(), spec.shares.end(), [&](const auto& s) { return s == spec.holder; }))
    return fail(bad(fmt::format(fmt::runtime(tr("the holder '{}' holds no share in --shares")), spec.holder))
                    .in_field("holder_takes_first"));
  if (!detail::is_valid_utf8(spec.terms)) return fail(bad(tr("not valid UTF-8")).in_field("terms"));

  RoscaAgreement out;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    Group g;
    if (existing) {
      g = *existing;
      if (store_->find_agreement(g.id))
        return fail(bad(fmt::format(fmt::runtime(tr("group '{}' already has an agreement (an agreement is never changed; make a new "
                                    "group for new terms)")),
                                    spec.group)));
    } else {
      GroupSpec gs;
      gs.code = spec.group;
      gs.name = spec.name.empty() ? spec.group : spec.name;
      gs.kind = GroupKind::kRosca;
      gs.unit = spec.unit;
      gs.from = spec.start;
      auto made = registry_.add_group(gs);
      if (!made) return fail(made.error());
      g = *made;
    }
    RoscaAgreementRow row = agreement_row(spec, g.id, holder->row_id, *late);
    const auto now = now_timestamp();
    store_->insert_agreement(row, now, ledger_.actor().id);
    for (std::size_t i = 0; i < share_members.size(); ++i)
      store_->insert_share(g.id, static_cast<int>(i + 1), share_members[i].row_id);
    auto loaded = load(spec.group);
    if (!loaded) return fail(loaded.error());
    out = agreement_of(loaded->group, loaded->a, loaded->shares, loaded->rate_cap);
    return {};
  });
  if (!r) return fail(r.error());
  return out;
}

Result<RoscaAgreement> Rosca::agreement(const std::string& group) {
  auto l = load(group);
  if (!l) return fail(l.error());
  return agreement_of(l->group, l->a, l->shares, l->rate_cap);
}

namespace {

// The first share of `member` that has not received yet. `l` is the group as Rosca loaded it
// (auto: Rosca::Loaded is private).
std::optional<int> first_open_share_of(const auto& l, const std::vector<int>& open_shares, const std::string& member) {
  for (int s : open_shares)
    if (l.share(s).member_code == member) return s;
  return std::nullopt;
}

// The seed of a round drawn by lot, refused when not given.
Result<std::uint64_t> need_seed(const RoscaOpenSpec& spec, int next, const std::string& group, std::string_view why) {
  if (!spec.seed)
    return fail(Error::usage(fmt::format(fmt::runtime(tr("round {} of group '{}' {}: give --draw-seed S (any whole number announced "
                                         "at the meeting; the draw can be replayed from it)")),
                                         next, group, why)));
  return *spec.seed;
}

// Draws the winning share among `among` from `seed`, recording the draw in the round's row.
int draw_winner(RoscaRoundRow& row, const std::vector<int>& among, std::uint64_t seed) {
  row.seed = std::to_string(seed);
  std::string c;
  for (int s : among) c += (c.empty() ? "" : ",") + std::to_string(s);
  row.candidates = c;
  return among[draw_index(seed, among.size())];
}

// A bid group's round: the winner and bid given, the highest of the bids given (a tie drawn by
// lot), or with no bid a draw by lot at bid 0.
Result<void> pick_bid_winner(const auto& l, const std::string& group, const RoscaOpenSpec& spec, int next,
                             const std::vector<int>& open_shares, RoscaRoundRow& row, std::vector<RoscaBidRow>& bid_rows) {
  if (!spec.winner.empty() || spec.bid) {
    if (!spec.bids.empty()) return fail(Error::usage(tr("give either --winner and --bid, or --bids, not both")));
    if (spec.winner.empty() || !spec.bid) return fail(Error::usage(tr("--winner and --bid go together")));
    auto s = first_open_share_of(l, open_shares, spec.winner);
    if (!s)
      return fail(bad(fmt::format(fmt::runtime(tr("'{}' holds no share of group '{}' that has not received yet (shares "
                                  "that received cannot bid)")),
                                  spec.winner, group)).in_field("winner"));
    row.method = "bid";
    row.winner_share = *s;
    row.bid = spec.bid->minor_units();
    bid_rows.push_back(RoscaBidRow{next, *s, row.bid});
  } else if (!spec.bids.empty()) {
    std::set<int> seen;
    for (const auto& b : spec.bids) {
      auto s = first_open_share_of(l, open_shares, b.member);
      if (!s)
        return fail(bad(fmt::format(fmt::runtime(tr("'{}' holds no share of group '{}' that has not received yet (shares "
                                    "that received cannot bid)")),
                                    b.member, group)).in_field("bids"));
      if (!seen.insert(*s).second) return fail(bad(fmt::format(fmt::runtime(tr("'{}' bids twice")), b.member)).in_field("bids"));
      if (b.bid.is_negative()) return fail(bad(fmt::format(fmt::runtime(tr("{}'s bid is negative")), b.member)).in_field("bids"));
      bid_rows.push_back(RoscaBidRow{next, *s, b.bid.minor_units()});
    }
    std::int64_t best = -1;
    for (const auto& b : bid_rows) best = std::max(best, b.bid);
    std::vector<int> tied;
    for (const auto& b : bid_rows)
      if (b.bid == best) tied.push_back(b.share_no);
    std::sort(tied.begin(), tied.end());
    row.bid = best;
    if (tied.size() == 1) {
      row.method = "bid";
      row.winner_share = tied[0];
    } else {
      auto seed = need_seed(spec, next, group,
                            fmt::format(fmt::runtime(tr("has a tie at {} đồng between {} shares, drawn by lot")), best, tied.size()));
      if (!seed) return fail(seed.error());
      row.method = "bid-tie";
      row.winner_share = draw_winner(row, tied, *seed);
    }
    std::sort(bid_rows.begin(), bid_rows.end(), [](const auto& x, const auto& y) { return x.share_no < y.share_no; });
  } else {
    auto seed = need_seed(spec, next, group, tr("has no bid, so it is drawn by lot at bid 0"));
    if (!seed) return fail(seed.error());
    row.method = "lottery";
    row.winner_share = draw_winner(row, open_shares, *seed);
  }
  return {};
}

// Picks the round's winning share (and its bid and draw) by the group's way of taking turns.
Result<void> pick_winner(const auto& l, const std::string& group, const RoscaOpenSpec& spec, int next,
                         const std::vector<int>& open_shares, RoscaRoundRow& row, std::vector<RoscaBidRow>& bid_rows) {
  const bool any_bid_input = !spec.winner.empty() || spec.bid || !spec.bids.empty();
  if (next == 1 && l.a.holder_takes_first) {
    if (any_bid_input)
      return fail(Error::usage(fmt::format(fmt::runtime(tr("round 1 of group '{}' is the holder's (holder takes first): no "
                                           "--winner, --bid or --bids")),
                                           group)));
    row.method = "holder";
    row.winner_share = *first_open_share_of(l, open_shares, l.a.holder_code);
  } else if (open_shares.size() == 1) {
    if (any_bid_input && spec.winner != l.share(open_shares[0]).member_code)
      return fail(bad(fmt::format(fmt::runtime(tr("round {} of group '{}' is the last: it goes to the last share (#{} of {}) "
                                  "without a bid")),
                                  next, group, open_shares[0], l.share(open_shares[0]).member_code)));
    row.method = "last";
    row.winner_share = open_shares[0];
  } else if (l.a.kind == "fixed") {
    if (any_bid_input || spec.seed)
      return fail(Error::usage(fmt::format(fmt::runtime(tr("group '{}' takes turns in the agreed order: no --winner, --bid, --bids "
                                           "or --draw-seed")),
                                           group)));
    row.method = "fixed";
    row.winner_share = open_shares.front();
  } else if (l.a.kind == "lottery") {
    if (any_bid_input)
      return fail(Error::usage(fmt::format(fmt::runtime(tr("group '{}' draws its rounds by lot: no --winner, --bid or --bids")), group)));
    auto seed = need_seed(spec, next, group, tr("is drawn by lot"));
    if (!seed) return fail(seed.error());
    row.method = "lottery";
    row.winner_share = draw_winner(row, open_shares, *seed);
  } else {  // bid
    return pick_bid_winner(l, group, spec, next, open_shares, row, bid_rows);
  }
  return {};
}

// Checks the round's bid and fills in its dead and living shares, fee and payout; returns the
// gross A·D + (A − B)·L the members owe (exactly; bounded: A·N fits, checked at create).
Result<Money> price_round(RoscaRoundRow& row, Money A, int n, int next, std::int64_t fee) {
  if (row.bid < 0) return fail(bad(tr("must not be negative")).in_field("bid"));
  if (Money(row.bid) >= A)
    return fail(bad(fmt::format(fmt::runtime(tr("{} đồng is not below the contribution {} đồng")), row.bid, A.to_plain_string()))
                    .in_field("bid"));
  row.dead = next - 1;
  row.living = n - row.dead - 1;
  row.fee = fee;
  const Money living_due = A - Money(row.bid);
  auto gross = A.times(row.dead).and_then([&](Money x) { return living_due.times(row.living).and_then([&](Money y) { return x.plus(y); }); });
  if (!gross) return fail(gross.error());
  row.payout = (*gross - Money(fee)).minor_units();
  if (row.payout <= 0)
    return fail(bad(fmt::format(fmt::runtime(tr("the payout A·D + (A − B)·L − fee would be {} đồng")), row.payout)).in_field("bid"));
  return *gross;
}

}  // namespace

Result<RoscaRound> Rosca::open(const std::string& group, const RoscaOpenSpec& spec) {
  auto loaded = load(group);
  if (!loaded) return fail(loaded.error());
  Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  if (l.closing) return fail(bad(fmt::format(fmt::runtime(tr("group '{}' was closed on {}")), group, l.closing->closed_on.to_iso())));
  const int n = static_cast<int>(l.shares.size());
  const int next = static_cast<int>(l.rounds.size()) + 1;
  if (next > n)
    return fail(bad(fmt::format(fmt::runtime(tr("all {} rounds of group '{}' are open already")), n, group)).in_field("round"));
  if (spec.round != next)
    return fail(bad(fmt::format(fmt::runtime(tr("{} — the next round of group '{}' to open is {}")), spec.round, group, next))
                    .in_field("round"));
  if (spec.date < l.a.start_on)
    return fail(bad(fmt::format(fmt::runtime(tr("{} is before the agreement's start {}")), spec.date.to_iso(),
                                l.a.start_on.to_iso())).in_field("date"));
  if (!l.rounds.empty() && spec.date < l.rounds.back().opened_on)
    return fail(bad(fmt::format(fmt::runtime(tr("{} is before round {}'s opening on {}")), spec.date.to_iso(),
                                l.rounds.back().round_no, l.rounds.back().opened_on.to_iso())).in_field("date"));
  const Money A = l.A();
  std::vector<int> open_shares;
  for (const auto& s : l.shares)
    if (!l.received(s.share_no)) open_shares.push_back(s.share_no);
  RoscaRoundRow row;
  row.round_no = next;
  row.opened_on = spec.date;
  std::vector<RoscaBidRow> bid_rows;
  if (auto ok = pick_winner(l, group, spec, next, open_shares, row, bid_rows); !ok) return fail(ok.error());
  auto gross = price_round(row, A, n, next, l.a.fee);
  if (!gross) return fail(gross.error());
  const Money living_due = A - Money(row.bid);
  std::vector<RoscaDueRow> dues;
  for (const auto& s : l.shares) {
    if (s.share_no == row.winner_share) continue;
    Money amount = l.received(s.share_no) ? A : living_due;
    dues.push_back(RoscaDueRow{next, s.share_no, s.member_id, amount.minor_units()});
  }
  const auto& winner = l.share(row.winner_share);
  RoscaRound out;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    EntryDraft d;
    d.book = l.group.book;
    d.date = spec.date;
    d.client_id = fmt::format("rosca/{}/open/{}", group, next);
    d.owner = EntryOwner{"rosca", group};
    d.memo = fmt::format("Mở họ kỳ {} dây {}: {} hốt (phần #{}), bỏ thăm {}, tiền hốt {}, phí chủ họ {}", next, group,
                         winner.member_code, row.winner_share, row.bid, row.payout, row.fee);
    d.postings = {{std::string(charts::group::kMemberReceivables), *gross},
                  {std::string(charts::group::kPayableToMembers), -*gross}};
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    row.entry_id = posted->entry.id;
    store_->insert_round(l.group.id, row, now_timestamp(), ledger_.actor().id);
    for (const auto& b : bid_rows) store_->insert_bid(l.group.id, b);
    for (const auto& du : dues) store_->insert_due(l.group.id, du);
    return {};
  });
  if (!r) return fail(r.error());
  auto st = status(group);
  if (!st) return fail(st.error());
  out = st->rounds.back();
  return out;
}

namespace {

// Whether a movement of the group already has the receipt `r`. `l` is the group as Rosca loaded
// it (auto: Rosca::Loaded is private).
bool receipt_used(const auto& l, const std::string& r) {
  auto has = [&](const auto& m) { return m.receipt == r; };
  return std::any_of(l.movements.begin(), l.movements.end(), has) ||
         std::any_of(l.reversed.begin(), l.reversed.end(), has);
}

// What a member owes for the rounds opened: her dues less her payments.
Money owed_by(const auto& l, std::int64_t member_id) {
  Money due, paid;
  for (const auto& d : l.dues)
    if (d.member_id == member_id) due += Money(d.amount);
  for (const auto& m : l.movements)
    if (m.kind == "payment" && m.member_id == member_id) paid += Money(m.amount);
  return due - paid;
}

// The receipt of a payment given none: PT-GROUP-NNNN after the payments so far, the first unused.
std::string next_payment_receipt(const auto& l, const std::string& group) {
  std::string receipt;
  int k = 1;
  for (const auto& m : l.movements)
    if (m.kind == "payment") ++k;
  do receipt = fmt::format("PT-{}-{:04}", group, k++);
  while (receipt_used(l, receipt));
  return receipt;
}

// The dues of a round not yet paid nor advanced, with what each misses.
std::vector<std::pair<const RoscaDueRow*, Money>> missing_dues(const auto& l, const Alloc& al, int round) {
  std::vector<std::pair<const RoscaDueRow*, Money>> missing;
  for (const auto& d : l.dues) {
    if (d.round_no != round) continue;
    Money m = Money(d.amount) - al.paid.at({d.round_no, d.share_no}) - al.advanced.at({d.round_no, d.share_no});
    if (m > Money(0)) missing.emplace_back(&d, m);
  }
  return missing;
}

// The refusal of a payout while dues of its round are missing, listing them.
Error missing_dues_error(const auto& l, int round, const std::string& group,
                         const std::vector<std::pair<const RoscaDueRow*, Money>>& missing) {
  std::string list;
  Money total;
  for (const auto& [d, m] : missing) {
    list += fmt::format("{}{} {} (phần #{})", list.empty() ? "" : ", ", l.member_code(d->member_id),
                        m.to_plain_string(), d->share_no);
    total += m;
  }
  return bad(fmt::format(fmt::runtime(tr("round {} of group '{}' still misses {} đồng of dues: {}; record the payments first, "
                         "or give --advance to record the holder advancing them")),
                         round, group, total.to_plain_string(), list));
}

// Posts and records the holder advancing each missing due, receipts RECEIPT-A1, -A2, …; the
// caller holds the transaction.
Result<void> post_advances(Ledger& ledger, RoscaStore& store, const auto& l, const std::string& group, int round,
                           Date date, const std::string& receipt,
                           const std::vector<std::pair<const RoscaDueRow*, Money>>& missing, RoscaPayoutResult& res) {
  int i = 0;
  for (const auto& [d, m] : missing) {
    std::string ar = fmt::format("{}-A{}", receipt, ++i);
    if (receipt_used(l, ar)) return fail(bad(fmt::format(fmt::runtime(tr("receipt {} is already used in group '{}'")), ar, group)));
    EntryDraft e;
    e.book = l.group.book;
    e.date = date;
    e.client_id = fmt::format("rosca/{}/{}", group, ar);
    e.owner = EntryOwner{"rosca", group};
    e.memo = fmt::format("Chủ họ {} ứng tiền họ kỳ {} cho {}, biên nhận {}", l.a.holder_code, round,
                         l.member_code(d->member_id), ar);
    e.postings = {{std::string(charts::group::kCash), m}, {std::string(charts::group::kPayableToMembers), -m}};
    auto posted = ledger.post(e);
    if (!posted) return fail(posted.error());
    RoscaMovementRow row{0, "advance", d->member_id, l.member_code(d->member_id), round, date, m.minor_units(), ar,
                         posted->entry.id, std::nullopt};
    store.insert_movement(l.group.id, row, now_timestamp(), ledger.actor().id);
    res.advances.push_back(RoscaMovement{"advance", row.member_code, round, date, m, Money(0), ar, row.entry_id, true});
  }
  return {};
}

}  // namespace

namespace {

// The same payment again under its receipt: its entry (nullopt when the receipt is new); a
// receipt given for anything else, or for a payment that was reversed, is refused. `l` is the
// group as Rosca loaded it (auto: Rosca::Loaded is private).
Result<std::optional<std::int64_t>> repeated_payment(const auto& l, const std::string& receipt,
                                                     std::int64_t member_id, Money amount, Date date) {
  for (const auto& m : l.movements) {
    if (m.receipt != receipt) continue;
    if (m.kind == "payment" && m.member_id == member_id && m.amount == amount.minor_units() && m.moved_on == date)
      return std::optional<std::int64_t>(m.entry_id);
    return fail(bad(fmt::format(fmt::runtime(tr("{} was already given for a {} of {} đồng by {} on {}")), receipt, m.kind, m.amount,
                                m.member_code, m.moved_on.to_iso())).in_field("receipt"));
  }
  for (const auto& m : l.reversed)
    if (m.receipt == receipt)
      return fail(bad(fmt::format(fmt::runtime(tr("{} was given for a {} that was reversed (entry #{}); a new payment takes a new "
                                  "receipt")),
                                  receipt, m.kind, *m.reversed_by)).in_field("receipt"));
  return std::optional<std::int64_t>();
}

}  // namespace

Result<RoscaMovement> Rosca::pay(const std::string& group, const std::string& member, Money amount, Date date,
                                 const std::string& receipt_in) {
  auto loaded = load(group);
  if (!loaded) return fail(loaded.error());
  Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  if (!receipt_in.empty())
    if (auto ok = check_receipt(receipt_in); !ok) return fail(ok.error());
  if (amount <= Money(0)) return fail(bad(tr("must be more than 0 đồng")).in_field("amount"));
  const RoscaShareRow* who = nullptr;
  for (const auto& s : l.shares)
    if (s.member_code == member) who = &s;
  if (!who) return fail(bad(fmt::format(fmt::runtime(tr("'{}' holds no share of group '{}'")), member, group)).in_field("member"));
  RoscaMovement out{"payment", member, std::nullopt, date, amount, Money(0), receipt_in, 0, true};
  if (!receipt_in.empty()) {
    auto again = repeated_payment(l, receipt_in, who->member_id, amount, date);
    if (!again) return fail(again.error());
    if (*again) {
      out.entry = **again;
      out.created = false;
      return out;
    }
  }
  if (date < l.a.start_on)
    return fail(bad(fmt::format(fmt::runtime(tr("{} is before the agreement's start {}")), date.to_iso(), l.a.start_on.to_iso()))
                    .in_field("date"));
  const Money owes = owed_by(l, who->member_id);
  if (amount > owes)
    return fail(bad(fmt::format(fmt::runtime(tr("{} đồng is more than {} owes for the rounds opened ({} đồng)")),
                                amount.to_plain_string(), member, owes.to_plain_string())).in_field("amount"));
  const Alloc before = l.allocate();
  const Money adv_before = l.outstanding_advance(who->member_id, before);
  const std::string receipt = receipt_in.empty() ? next_payment_receipt(l, group) : receipt_in;
  RoscaMovementRow row;
  row.kind = "payment";
  row.member_id = who->member_id;
  row.member_code = member;
  row.moved_on = date;
  row.amount = amount.minor_units();
  row.receipt = receipt;
  l.movements.push_back(row);
  const Money adv_after = l.outstanding_advance(who->member_id, l.allocate());
  const Money to_holder = adv_before - adv_after;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    EntryDraft d;
    d.book = l.group.book;
    d.date = date;
    d.client_id = fmt::format("rosca/{}/{}", group, receipt);
    d.owner = EntryOwner{"rosca", group};
    d.memo = fmt::format("Thu tiền họ dây {}: {} đóng, biên nhận {}", group, member, receipt);
    d.postings = {{std::string(charts::group::kCash), amount},
                  {std::string(charts::group::kMemberReceivables), -amount}};
    if (!to_holder.is_zero()) {
      d.memo += fmt::format("; hoàn chủ họ {} tiền ứng {}", l.a.holder_code, to_holder.to_plain_string());
      d.postings.push_back({std::string(charts::group::kPayableToMembers), to_holder});
      d.postings.push_back({std::string(charts::group::kCash), -to_holder});
    }
    auto posted = ledger_.post(d);
    if (!posted) return fail(posted.error());
    row.entry_id = posted->entry.id;
    store_->insert_movement(l.group.id, row, now_timestamp(), ledger_.actor().id);
    return {};
  });
  if (!r) return fail(r.error());
  out.receipt = receipt;
  out.entry = row.entry_id;
  return out;
}

Result<RoscaPayoutResult> Rosca::payout(const std::string& group, int round, Date date, const std::string& receipt_in,
                                        bool advance) {
  auto loaded = load(group);
  if (!loaded) return fail(loaded.error());
  Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  if (!receipt_in.empty())
    if (auto ok = check_receipt(receipt_in); !ok) return fail(ok.error());
  if (round < 1 || round > static_cast<int>(l.rounds.size()))
    return fail(bad(fmt::format(fmt::runtime(tr("round {} of group '{}' is not open")), round, group)).in_field("round"));
  const auto& rr = l.rounds[static_cast<std::size_t>(round - 1)];
  const auto& winner = l.share(rr.winner_share);
  RoscaPayoutResult res;
  if (const auto* done = l.payout_of(round)) {
    if ((receipt_in.empty() || done->receipt == receipt_in) && done->moved_on == date) {
      res.created = false;
      res.payout = RoscaMovement{"payout", winner.member_code, round, date, Money(rr.payout), Money(rr.fee),
                                 done->receipt, done->entry_id, false};
      return res;
    }
    return fail(bad(fmt::format(fmt::runtime(tr("round {} was paid out on {} (receipt {})")), round, done->moved_on.to_iso(),
                                done->receipt)).in_field("round"));
  }
  if (!receipt_in.empty())
    for (const auto* list : {&l.movements, &l.reversed})
      for (const auto& m : *list)
        if (m.receipt == receipt_in)
          return fail(bad(fmt::format(fmt::runtime(tr("{} was already given for a {} of {} đồng by {} on {}")), receipt_in,
                                      m.kind, m.amount, m.member_code, m.moved_on.to_iso())).in_field("receipt"));
  if (date < rr.opened_on)
    return fail(bad(fmt::format(fmt::runtime(tr("{} is before round {}'s opening on {}")), date.to_iso(), round,
                                rr.opened_on.to_iso())).in_field("date"));
  // Missing dues of the round.
  const Alloc al = l.allocate();
  const auto missing = missing_dues(l, al, round);
  if (!missing.empty() && !advance) return fail(missing_dues_error(l, round, group, missing));
  std::string receipt = receipt_in.empty() ? fmt::format("PC-{}-{:02}", group, round) : receipt_in;
  // A round whose payout was reversed is paid out again under PC-GROUP-NN-2, -3, …
  for (int k = 2; receipt_in.empty() && receipt_used(l, receipt) && k < 100; ++k)
    receipt = fmt::format("PC-{}-{:02}-{}", group, round, k);
  if (receipt_in.empty() && receipt_used(l, receipt))
    return fail(bad(fmt::format(fmt::runtime(tr("receipt {} is already used in group '{}': give --receipt")), receipt, group)));
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    if (auto ok = post_advances(ledger_, *store_, l, group, round, date, receipt, missing, res); !ok) return ok;
    EntryDraft e;
    e.book = l.group.book;
    e.date = date;
    e.client_id = fmt::format("rosca/{}/{}", group, receipt);
    e.owner = EntryOwner{"rosca", group};
    e.memo = fmt::format("Chi tiền hốt họ kỳ {} dây {} cho {}, biên nhận {}", round, group, winner.member_code, receipt);
    const Money payout(rr.payout), fee(rr.fee);
    e.postings = {{std::string(charts::group::kPayableToMembers), payout + fee},
                  {std::string(charts::group::kCash), -payout}};
    if (!fee.is_zero()) {
      e.memo += fmt::format("; phí chủ họ {} cho {}", fee.to_plain_string(), l.a.holder_code);
      e.postings.push_back({std::string(charts::group::kCash), -fee});
    }
    auto posted = ledger_.post(e);
    if (!posted) return fail(posted.error());
    RoscaMovementRow row{0, "payout", winner.member_id, winner.member_code, round, date, rr.payout, receipt,
                         posted->entry.id, std::nullopt};
    store_->insert_movement(l.group.id, row, now_timestamp(), ledger_.actor().id);
    res.payout = RoscaMovement{"payout", winner.member_code, round, date, payout, fee, receipt, row.entry_id, true};
    return {};
  });
  if (!r) return fail(r.error());
  return res;
}

// ---------------------------------------------------------------------------------------------
// Corrections.

namespace {

// The reason a reversal's memo carries (Ledger::reverse_owned writes "… — lý do (reason): R").
std::string reversal_reason(const std::string& memo) {
  static const std::string kMark = " — lý do (reason): ";
  auto at = memo.rfind(kMark);
  return at == std::string::npos ? std::string() : memo.substr(at + kMark.size());
}

// What stands on movement `m` and must be reversed first, or nothing. `l` is the group as Rosca
// loaded it (auto: Rosca::Loaded is private).
Result<void> rosca_reversal_blocker(const auto& l, const RoscaMovementRow& m) {
  const std::string& group = l.group.code;
  if (l.closing)
    return fail(bad(fmt::format(fmt::runtime(tr("group '{}' was closed on {}: its records are final")), group,
                                l.closing->closed_on.to_iso())));
  auto later = [&](const RoscaMovementRow& x) {
    return x.moved_on > m.moved_on || (x.moved_on == m.moved_on && x.entry_id > m.entry_id);
  };
  auto first = [&](std::string what, Date d, std::int64_t entry) {
    return fail(bad(fmt::format(fmt::runtime(tr("{} of group '{}' on {} (entry #{}) rests on it: reverse that first")), what, group,
                                d.to_iso(), entry)));
  };
  if (m.kind == "payout") {
    for (const auto& r : l.rounds)
      if (r.round_no > *m.round_no)
        return fail(bad(fmt::format(fmt::runtime(tr("round {} of group '{}' was opened on {} (entry #{}) after this payout: a payout "
                                    "is reversed only while its round is the latest opened")),
                                    r.round_no, group, r.opened_on.to_iso(), r.entry_id)));
    return {};
  }
  for (const auto& x : l.movements) {
    if (x.entry_id == m.entry_id) continue;
    // The dues it paid or advanced paid out a round; a later payment of hers was allocated after it.
    if (x.kind == "payout" && (x.moved_on >= m.moved_on) && (m.kind == "payment" || x.round_no == m.round_no))
      return first(fmt::format(fmt::runtime(tr("the payout of round {} (receipt {})")), *x.round_no, x.receipt), x.moved_on, x.entry_id);
    if (x.kind == "payment" && x.member_id == m.member_id && later(x))
      return first(fmt::format(fmt::runtime(tr("{}'s payment {}")), x.member_code, x.receipt), x.moved_on, x.entry_id);
  }
  return {};
}

}  // namespace

Result<CorrectionResult> Rosca::reverse_entry(const Entry& original, const ReversalRequest& request) {
  if (!original.owner || original.owner->domain != "rosca")
    return fail(bad(fmt::format(fmt::runtime(tr("entry #{} is not a hụi entry")), original.id)));
  auto loaded = load(original.owner->record);
  if (!loaded) return fail(loaded.error());
  const Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  if (request.date != original.date)
    return fail(bad(fmt::format(fmt::runtime(tr("a hụi entry is reversed on its own date ({})")), original.date.to_iso()))
                    .in_field("date"));
  const RoscaMovementRow* m = nullptr;
  for (const auto* list : {&l.movements, &l.reversed})
    for (const auto& x : *list)
      if (x.entry_id == original.id) m = &x;
  if (!m)
    return fail(bad(fmt::format(fmt::runtime(tr("entry #{} is not a payment, advance or payout of hụi '{}' that stands; a round's "
                                "opening and the closing are not reversed")),
                                original.id, l.group.code)));
  // Reversed already: the journal answers (the same client id again changes nothing).
  if (!m->reversed_by)
    if (auto ok = rosca_reversal_blocker(l, *m); !ok) return fail(ok.error());
  auto corrected = ledger_.correct_owned(original, request);
  if (!corrected) return fail(corrected.error());
  CorrectionResult out = std::move(*corrected);
  if (m->kind == "payout")
    out.notes.push_back(fmt::format(fmt::runtime(tr("hụi {}: round {} is open again, not paid out")), l.group.code,
                                    *m->round_no));
  else
    out.notes.push_back(fmt::format(fmt::runtime(m->kind == "payment"
                                                     ? tr("hụi {}: the payment {} of {} no longer counts; {} owes it again")
                                                     : tr("hụi {}: the advance {} of {} no longer counts; {} owes it again")),
                                    l.group.code, m->receipt, m->member_code, m->member_code));
  return out;
}

namespace {

// One round as the status shows it. `l` is the group as Rosca loaded it (auto: Rosca::Loaded is
// private).
RoscaRound round_status(const auto& l, const RoscaRoundRow& rr, const Alloc& al) {
  RoscaRound r;
  r.round = rr.round_no;
  r.date = rr.opened_on;
  r.method = rr.method;
  r.winner_share = rr.winner_share;
  r.winner = l.share(rr.winner_share).member_code;
  r.bid = Money(rr.bid);
  if (rr.seed) r.seed = parse_seed(*rr.seed).value_or(0);
  std::string_view c = rr.candidates;
  while (!c.empty()) {
    auto comma = c.find(',');
    auto part = c.substr(0, comma);
    int v = 0;
    std::from_chars(part.data(), part.data() + part.size(), v);
    r.candidates.push_back(v);
    c = comma == std::string_view::npos ? std::string_view() : c.substr(comma + 1);
  }
  for (const auto& b : l.bids)
    if (b.round_no == rr.round_no) r.bids.emplace_back(b.share_no, Money(b.bid));
  r.dead = rr.dead;
  r.living = rr.living;
  r.payout = Money(rr.payout);
  r.fee = Money(rr.fee);
  for (const auto& d : l.dues)
    if (d.round_no == rr.round_no)
      r.due.push_back(RoscaDue{d.share_no, l.share(d.share_no).member_code, Money(d.amount),
                               al.paid.at({d.round_no, d.share_no}), al.advanced.at({d.round_no, d.share_no})});
  if (const auto* p = l.payout_of(rr.round_no)) {
    r.paid_out_on = p->moved_on;
    r.payout_receipt = p->receipt;
  }
  r.entry = rr.entry_id;
  return r;
}

// The movements into st.movements, and the cash they leave with the group into st.cash.
void status_movements(const auto& l, const Alloc& al, RoscaStatus& st) {
  for (const auto& m : l.movements) {
    RoscaMovement mv{m.kind, m.member_code, m.round_no, m.moved_on, Money(m.amount), Money(0), m.receipt, m.entry_id,
                     true};
    if (m.kind == "payout" && m.round_no) mv.fee = Money(l.rounds[static_cast<std::size_t>(*m.round_no - 1)].fee);
    st.movements.push_back(mv);
    if (m.kind == "payment" || m.kind == "advance") st.cash += mv.amount;
    if (m.kind == "payout") st.cash -= mv.amount + mv.fee;
  }
  // Advance repayments passed on to the holder.
  {
    Money adv_in, adv_out;
    std::set<std::int64_t> members;
    for (const auto& s : l.shares) members.insert(s.member_id);
    for (const auto& m : l.movements)
      if (m.kind == "advance") adv_in += Money(m.amount);
    for (auto id : members) adv_out += l.outstanding_advance(id, al);
    st.cash -= adv_in - adv_out;  // repaid advances went on to the holder
  }
}

// A member's shares, name, payments and receipts (and her net).
RoscaMemberStatus member_totals(const auto& l, std::int64_t id) {
  RoscaMemberStatus ms;
  for (const auto& s : l.shares)
    if (s.member_id == id) {
      if (ms.member.empty()) {
        ms.member = s.member_code;
        ms.name = s.member_name;
      }
      ++ms.shares;
    }
  for (const auto& m : l.movements) {
    if (m.member_id != id) continue;
    if (m.kind == "payment") ms.paid += Money(m.amount);
    if (m.kind == "payout") ms.received += Money(m.amount);
  }
  ms.net = ms.received - ms.paid;
  return ms;
}

}  // namespace

// The status's warnings: members over the rate cap (whole cycle or so far), an opening of
// 100,000,000 đồng or more, a holder of several groups.
void Rosca::add_warnings(const Loaded& l, RoscaStatus& st) {
  for (const auto& ms : st.members)
    if (ms.over_cap)
      st.warnings.push_back(fmt::format(
          fmt::runtime(tr("{}: implied rate {}/year ({}) is above the cap {}/year (Civil Code art. 468: interest above "
                          "the cap is void)")),
          ms.member, format_ratio_percent(*ms.implied_annual_rate, 2),
          st.whole_cycle ? std::string(tr("whole cycle"))
                         : fmt::format(fmt::runtime(tr("so far: {} of {} rounds")), l.rounds.size(), l.shares.size()),
          format_ratio_percent(l.rate_cap, 2)));
  const Money opening = Money(l.a.contribution).times(static_cast<std::int64_t>(l.shares.size())).value_or(Money(0));
  if (opening >= Money(100000000))
    st.warnings.push_back(fmt::format(fmt::runtime(tr("one opening's shares total {} đồng (≥ 100.000.000): the holder "
                                                      "must notify the commune People's Committee (Decree 19/2019)")),
                                      opening.to_grouped_string()));
  auto held = store_->groups_held_by(l.a.holder_id);
  if (held.size() >= 2)
    st.warnings.push_back(fmt::format(fmt::runtime(tr("holder {} holds {} rotating groups")), l.a.holder_code, held.size()));
}

Result<RoscaStatus> Rosca::status(const std::string& group, std::optional<Date> as_of) {
  auto loaded = load(group);
  if (!loaded) return fail(loaded.error());
  RoscaStatus st;
  st.as_of = as_of ? *as_of : today();
  loaded->trim_to(st.as_of);
  const Loaded& l = *loaded;
  st.agreement = agreement_of(l.group, l.a, l.shares, l.rate_cap);
  // Every share has had its round (the cycle is whole), or the rates are of the rounds so far.
  st.whole_cycle = l.rounds.size() >= l.shares.size();
  const Alloc al = l.allocate();
  for (const auto& rr : l.rounds) {
    RoscaRound r = round_status(l, rr, al);
    st.rounds.push_back(std::move(r));
  }
  status_movements(l, al, st);
  // Members in order of their first share.
  const Rational late_per_year = st.agreement.late_rate.per_year();
  std::vector<std::int64_t> order;
  for (const auto& s : l.shares)
    if (std::find(order.begin(), order.end(), s.member_id) == order.end()) order.push_back(s.member_id);
  const int rpy = rounds_per_year(st.agreement.period);
  for (auto id : order) {
    RoscaMemberStatus ms = member_totals(l, id);
    Rational late = 0;
    std::vector<Money> flows;
    for (const auto& rr : l.rounds) {
      Money flow;
      if (l.share(rr.winner_share).member_id == id) flow += Money(rr.payout);
      for (const auto& d : l.dues) {
        if (d.round_no != rr.round_no || d.member_id != id) continue;
        flow -= Money(d.amount);
        ms.due += Money(d.amount);
        Money unpaid = Money(d.amount) - al.paid.at({d.round_no, d.share_no});
        if (unpaid > Money(0) && st.as_of > rr.opened_on)
          late += unpaid.to_rational() * late_per_year * st.as_of.days_since(rr.opened_on) / 365;
      }
      flows.push_back(flow);
    }
    ms.arrears = ms.due - ms.paid;
    ms.advanced = l.outstanding_advance(id, al);
    ms.late_interest = round_to_money(late).value_or(Money(0));
    if (auto rate = smallest_nonnegative_rate(flows)) {
      Rational annual = *rate * rpy;
      ms.over_cap = annual > l.rate_cap;
      ms.implied_annual_rate = annual;
    }
    if (l.closing)
      for (const auto& [mid, amount] : l.closing->settlements)
        if (mid == id) ms.settlement = Money(amount);
    st.members.push_back(std::move(ms));
  }
  add_warnings(l, st);
  if (l.closing) st.closed_on = l.closing->closed_on;
  for (const auto& m : l.reversed) {
    RoscaReversed r{RoscaMovement{m.kind, m.member_code, m.round_no, m.moved_on, Money(m.amount), Money(0), m.receipt,
                                  m.entry_id, true},
                    *m.reversed_by, ""};
    if (auto e = ledger_.entry(fmt::format("#{}", *m.reversed_by))) r.reason = reversal_reason(e->memo);
    st.reversed.push_back(std::move(r));
  }
  return st;
}

Result<RoscaCloseResult> Rosca::close(const std::string& group, Date date) {
  auto loaded = load(group);
  if (!loaded) return fail(loaded.error());
  Loaded& l = *loaded;
  if (auto ok = ledger_.require_write(l.group.book); !ok) return fail(ok.error());
  if (l.closing) return fail(bad(fmt::format(fmt::runtime(tr("group '{}' was closed on {}")), group, l.closing->closed_on.to_iso())));
  for (const auto& rr : l.rounds) {
    if (!l.payout_of(rr.round_no))
      return fail(bad(fmt::format(fmt::runtime(tr("round {} of group '{}' is not paid out yet: pay it out (soquy rosca payout) before "
                                  "closing")),
                                  rr.round_no, group)));
    if (date < rr.opened_on)
      return fail(bad(fmt::format(fmt::runtime(tr("{} is before round {}'s opening on {}")), date.to_iso(), rr.round_no,
                                  rr.opened_on.to_iso())).in_field("date"));
  }
  const std::int64_t n = static_cast<std::int64_t>(l.shares.size());
  const std::int64_t k = static_cast<std::int64_t>(l.rounds.size());
  // Each share's position: the gross pot it took (payout + fee) − the dues of the opened rounds.
  // A dead share owes back what it took beyond what it paid; a living share is owed what it paid.
  // The positions sum to 0: every round's gross pot is the sum of its dues.
  std::map<std::int64_t, Money> pos;
  std::vector<std::int64_t> order;
  for (const auto& s : l.shares)
    if (!pos.count(s.member_id)) {
      order.push_back(s.member_id);
      pos[s.member_id] = Money(0);
    }
  for (const auto& rr : l.rounds) pos[l.share(rr.winner_share).member_id] += Money(rr.payout) + Money(rr.fee);
  for (const auto& d : l.dues) pos[d.member_id] -= Money(d.amount);
  Money owes, owed;
  for (auto& [id, m] : pos) (m > Money(0) ? owes : owed) += m;
  RoscaCloseResult res;
  res.date = date;
  RoscaClosingRow row;
  row.closed_on = date;
  for (auto id : order) {
    row.settlements.emplace_back(id, pos[id].minor_units());
    res.settlements.emplace_back(l.member_code(id), pos[id]);
  }
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    if (!owes.is_zero()) {
      EntryDraft e;
      e.book = l.group.book;
      e.date = date;
      e.client_id = fmt::format("rosca/{}/close", group);
      e.owner = EntryOwner{"rosca", group};
      e.memo = fmt::format("Giải thể dây họ {} sau {} kỳ / {}: phần chết còn nợ, phần sống được nhận", group, k, n);
      e.postings = {{std::string(charts::group::kMemberReceivables), owes},
                    {std::string(charts::group::kPayableToMembers), owed}};
      auto posted = ledger_.post(e);
      if (!posted) return fail(posted.error());
      row.entry_id = posted->entry.id;
    }
    store_->insert_closing(l.group.id, row, now_timestamp(), ledger_.actor().id);
    return {};
  });
  if (!r) return fail(r.error());
  res.entry = row.entry_id;
  return res;
}

}  // namespace soquy
