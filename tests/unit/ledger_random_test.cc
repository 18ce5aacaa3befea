// A seeded randomized test of the Ledger against a model the test keeps itself.
//
// The model is deliberately naive: for every account the list of (date, amount) the test has
// posted, and the parent of each account as the test declared it. Balances as of a date,
// parent roll-ups and trial-balance totals are recomputed from that list with unbounded
// integers, so they are independent of the Ledger's stored running balances. Thousands of
// valid and invalid operations are mixed (back-dated posts, idempotent and conflicting
// replays, reversals, batches with one bad draft, overflow, role violations), and after each
// one the Ledger must agree with the model, and a rejected operation must have left the hash
// chain tip and every balance as they were.
#include <gtest/gtest.h>

#include <stdlib.h>  // mkdtemp
#include <unistd.h>  // access

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "soquy/journal.h"
#include "soquy/ledger.h"
#include "soquy/money.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;
using test_support::write_file;

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMaxAmount = 1'000'000'000'000;  // 10^12 đồng per posting
// The book whose cash is kept near the 64-bit limit: kMax - kBigMargin.
constexpr std::int64_t kBigMargin = 1000;

// Where the database goes. The store commits with synchronous=FULL, so on a disk every one of
// the ~2,000 write transactions waits for an fsync (≈30 s in total on a slow VM disk); this
// test is about the rules, not durability, so it prefers a RAM-backed directory when there is
// one. SOQUY_TEST_TMPDIR overrides the choice.
std::vector<Posting> sorted(std::vector<Posting> ps) {
  std::sort(ps.begin(), ps.end(), [](const Posting& a, const Posting& b) {
    return std::make_pair(a.account, a.amount.minor_units()) < std::make_pair(b.account, b.amount.minor_units());
  });
  return ps;
}

// What the test believes the books hold.
class Model {
 public:
  void declare(const std::string& book, const std::string& code, const std::string& parent) {
    books_[book][code].parent = parent;
  }
  bool declared(const std::string& book, const std::string& code) const {
    auto b = books_.find(book);
    return b != books_.end() && b->second.count(code) > 0;
  }
  const std::string& parent(const std::string& book, const std::string& code) const {
    return books_.at(book).at(code).parent;
  }
  void apply(const std::string& book, Date date, const std::vector<Posting>& postings) {
    for (const auto& p : postings) {
      books_.at(book).at(p.account).moves.emplace_back(date.days_since_epoch(), p.amount.minor_units());
      ++postings_;
    }
  }
  std::int64_t postings() const { return postings_; }

  // Postings to the account itself up to and including `as_of`; 0 for an account never declared.
  BigInt own(const std::string& book, const std::string& code, Date as_of) const {
    BigInt sum = 0;
    auto b = books_.find(book);
    if (b == books_.end()) return sum;
    auto a = b->second.find(code);
    if (a == b->second.end()) return sum;
    const auto limit = as_of.days_since_epoch();
    for (const auto& [d, amount] : a->second.moves)
      if (d <= limit) sum += amount;
    return sum;
  }
  // own + every descendant, following the parents the test declared.
  BigInt rolled(const std::string& book, const std::string& code, Date as_of) const {
    BigInt sum = 0;
    auto b = books_.find(book);
    if (b == books_.end()) return sum;
    for (const auto& [c, acct] : b->second) {
      for (std::string at = c; !at.empty(); at = b->second.at(at).parent) {
        if (at == code) {
          sum += own(book, c, as_of);
          break;
        }
      }
    }
    return sum;
  }
  // Trial balance totals: the sum of positive own balances, and of negative ones negated.
  std::pair<BigInt, BigInt> totals(const std::string& book, Date as_of) const {
    BigInt debit = 0, credit = 0;
    for (const auto& [c, acct] : books_.at(book)) {
      BigInt o = own(book, c, as_of);
      if (o > 0) debit += o;
      if (o < 0) credit -= o;
    }
    return {debit, credit};
  }
  std::vector<std::string> codes(const std::string& book) const {
    std::vector<std::string> out;
    for (const auto& [c, acct] : books_.at(book)) out.push_back(c);
    return out;
  }

 private:
  struct ModelAccount {
    std::string parent;
    std::vector<std::pair<std::int64_t, std::int64_t>> moves;  // (day number, amount)
  };
  std::map<std::string, std::map<std::string, ModelAccount>> books_;
  std::int64_t postings_ = 0;
};

// What the test knows of each entry it got accepted, by entry id - 1.
struct KnownEntry {
  std::string book;
  Date date;
  std::vector<Posting> postings;
  std::string hash;
  std::optional<EntryDraft> draft;  // set for entries the test drafted itself (replayable)
  bool reversed = false;
  bool reversible = true;
};

enum class Op {
  kPost,
  kReplay,
  kConflict,
  kReverse,
  kReverseAgain,
  kReverseTooEarly,
  kBatchGood,
  kBatchOneBad,
  kUnbalanced,
  kUnknownAccount,
  kZeroAmount,
  kOnePosting,
  kClosedAccount,
  kOverflow,
  kAuditorWrites,
  kTreasurerWritesFund,
};

const char* op_name(Op op) {
  switch (op) {
    case Op::kPost: return "post";
    case Op::kReplay: return "replay";
    case Op::kConflict: return "conflicting replay";
    case Op::kReverse: return "reverse";
    case Op::kReverseAgain: return "reverse again";
    case Op::kReverseTooEarly: return "reverse before the original date";
    case Op::kBatchGood: return "good batch";
    case Op::kBatchOneBad: return "batch with one bad draft";
    case Op::kUnbalanced: return "unbalanced";
    case Op::kUnknownAccount: return "unknown account";
    case Op::kZeroAmount: return "zero amount";
    case Op::kOnePosting: return "one posting";
    case Op::kClosedAccount: return "closed account";
    case Op::kOverflow: return "overflow";
    case Op::kAuditorWrites: return "auditor writes";
    case Op::kTreasurerWritesFund: return "treasurer writes fund";
  }
  return "?";
}

// Kinds of bad draft, used alone and inside batches.
enum class Bad { kUnbalanced, kUnknownAccount, kZeroAmount, kOnePosting, kClosedAccount, kOverflow, kConflict };

class LedgerRandom : public ::testing::Test {
 protected:
  // 3,000 operations on SQLite (a few seconds). On a server every read and write is a round trip
  // and `check` every 100 operations proves the whole change log again: 3,000 took 197 s there,
  // so the server runs the first 600 of the same sequence (every kind of operation still runs,
  // each about 12 times; the test asserts that each ran).
  static constexpr int kOperations = 3000;
  static constexpr int kServerOperations = 600;
  int operations() const { return db_.server() ? kServerOperations : kOperations; }
  const Date kFirstDay = day(2025, 1, 1);  // entries fall in 2025-01-01 .. 2026-12-31
  const Date kFarFuture = day(2099, 12, 31);
  // Accounts the random entries use, by book. group:BIG is kept out: it holds the balance near
  // the 64-bit limit and only sees the overflow attempts.
  const std::vector<std::string> kBooks = {"fund", "entrust", "group:G1"};
  const std::vector<std::string> kAllBooks = {"fund", "entrust", "group:G1", "group:BIG"};

  std::uint64_t pick(std::uint64_t n) { return rng_() % n; }
  bool chance(int percent) { return pick(100) < static_cast<std::uint64_t>(percent); }

  Date random_entry_date() { return kFirstDay.add_days(static_cast<std::int64_t>(pick(730))); }
  // A report date: sometimes before the first entry, sometimes after the last.
  Date random_report_date() { return kFirstDay.add_days(static_cast<std::int64_t>(pick(800)) - 40); }

  std::int64_t random_magnitude() {
    return chance(50) ? 1 + static_cast<std::int64_t>(pick(1'000'000))
                      : 1 + static_cast<std::int64_t>(pick(static_cast<std::uint64_t>(kMaxAmount)));
  }

  std::string random_account(const std::string& book) {
    const auto& list = postable_.at(book);
    return list[pick(list.size())];
  }

  // A balanced draft of 2–5 postings, each at most 10^12 in magnitude, none zero.
  EntryDraft random_draft(const std::string& book, const std::string& client_id) {
    EntryDraft d;
    d.book = book;
    d.date = random_entry_date();
    d.memo = "Bút toán ngẫu nhiên " + std::to_string(next_memo_++);
    d.client_id = client_id;
    const std::size_t n = 2 + pick(4);
    for (;;) {
      d.postings.clear();
      std::int64_t sum = 0;
      for (std::size_t i = 0; i + 1 < n; ++i) {
        std::int64_t a = random_magnitude() * (chance(50) ? 1 : -1);
        sum += a;
        d.postings.push_back(Posting{random_account(book), Money(a)});
      }
      if (sum != 0 && sum >= -kMaxAmount && sum <= kMaxAmount) {
        d.postings.push_back(Posting{random_account(book), Money(-sum)});
        std::swap(d.postings.back(), d.postings[pick(n)]);  // the balancing line anywhere
        return d;
      }
    }
  }

  std::string random_book() { return kBooks[pick(kBooks.size())]; }
  std::string fresh_client_id(const char* prefix) { return std::string(prefix) + std::to_string(next_client_++); }

  // A draft that must be refused (kBadInput), of the given kind.
  EntryDraft bad_draft(Bad kind) {
    switch (kind) {
      case Bad::kUnbalanced: {
        EntryDraft d = random_draft(random_book(), chance(50) ? fresh_client_id("u-") : "");
        std::int64_t off = 1 + static_cast<std::int64_t>(pick(1000)) * (chance(50) ? 1 : -1);
        std::int64_t a = d.postings[0].amount.minor_units();
        if (a + off == 0) off += 1;
        d.postings[0].amount = Money(a + off);
        return d;
      }
      case Bad::kUnknownAccount: {
        EntryDraft d = random_draft(random_book(), fresh_client_id("k-"));
        // An account of another book, or one that exists nowhere.
        static const std::vector<std::string> kStrangers = {"9999x", "1012", "", "group:G1:1011"};
        std::string stranger = d.book == "fund" ? (chance(50) ? "9121" : "1311") : kStrangers[pick(kStrangers.size())];
        if (d.book == "entrust" && stranger.empty()) stranger = "1011";
        d.postings[pick(d.postings.size())].account = stranger;
        return d;
      }
      case Bad::kZeroAmount: {
        EntryDraft d = random_draft(random_book(), fresh_client_id("z-"));
        d.postings.push_back(Posting{random_account(d.book), Money(0)});
        std::swap(d.postings.back(), d.postings[pick(d.postings.size())]);
        return d;
      }
      case Bad::kOnePosting: {
        EntryDraft d = random_draft(random_book(), fresh_client_id("o-"));
        d.postings.resize(1);
        if (chance(30)) d.postings[0].amount = Money(0);  // "balances", but one posting is not an entry
        if (chance(20)) d.postings.clear();
        return d;
      }
      case Bad::kClosedAccount: {
        EntryDraft d = random_draft("fund", fresh_client_id("x-"));
        d.postings[pick(d.postings.size())].account = "8599";
        return d;
      }
      case Bad::kOverflow: {
        // group:BIG 1011 is at kMax - kBigMargin (and 4111 at its negative): any push past the
        // margin must be refused, whatever the date (later balances move too).
        EntryDraft d;
        d.book = "group:BIG";
        d.date = chance(20) ? kFirstDay.add_days(-static_cast<std::int64_t>(pick(100))) : random_entry_date();
        d.memo = "overflow attempt";
        d.client_id = fresh_client_id("v-");
        std::int64_t x = kBigMargin + 2 + static_cast<std::int64_t>(pick(static_cast<std::uint64_t>(kMaxAmount)));
        if (chance(50)) {
          d.postings = {Posting{"1011", Money(x)}, Posting{"1311", Money(-x)}};
        } else {
          d.postings = {Posting{"1311", Money(x)}, Posting{"4111", Money(-x)}};
        }
        return d;
      }
      case Bad::kConflict: {
        auto original = random_replayable();
        if (!original) return bad_draft(Bad::kUnbalanced);
        return conflicting(*known_[*original].draft);
      }
    }
    return {};
  }

  // The same client id with other content.
  EntryDraft conflicting(EntryDraft d) {
    switch (pick(3)) {
      case 0: d.date = d.date.add_days(1 + static_cast<std::int64_t>(pick(30))); break;
      case 1: d.memo += " (sửa)"; break;
      default: {
        auto key = [](const std::vector<Posting>& ps) {
          std::vector<std::pair<std::string, std::int64_t>> k;
          for (const auto& p : ps) k.emplace_back(p.account, p.amount.minor_units());
          std::sort(k.begin(), k.end());
          return k;
        };
        const auto before = key(d.postings);
        for (std::int64_t k = 1 + static_cast<std::int64_t>(pick(1000));; ++k) {
          auto changed = d.postings;
          changed[0].amount = Money(changed[0].amount.minor_units() + k);
          changed[1].amount = Money(changed[1].amount.minor_units() - k);
          if (changed[0].amount.is_zero() || changed[1].amount.is_zero() || key(changed) == before) continue;
          d.postings = changed;  // still balanced: only the content differs
          break;
        }
      }
    }
    return d;
  }

  std::optional<std::size_t> random_replayable() {
    if (replayable_.empty()) return std::nullopt;
    return replayable_[pick(replayable_.size())];
  }

  // Acts as a user allowed to write `book`.
  void act_as_writer(const std::string& book) {
    std::vector<std::string> users = {"admin", "officer1"};
    if (book.rfind("group:", 0) == 0) users.push_back("treasurer1");
    actor_ = users[pick(users.size())];
    ASSERT_TRUE(db_.act_as(ledger_, actor_ == "admin" ? "" : actor_));
    ASSERT_EQ(ledger_->actor().name, actor_);
  }
  void act_as_admin() {
    actor_ = "admin";
    ASSERT_TRUE(db_.act_as(ledger_, ""));
  }

  // Records an entry the Ledger accepted and checks it against what was asked.
  void accepted(const PostResult& r, const std::string& book, Date date, const std::vector<Posting>& postings,
                const std::optional<EntryDraft>& draft, std::optional<std::int64_t> reverses) {
    EXPECT_TRUE(r.created);
    EXPECT_EQ(r.entry.id, static_cast<std::int64_t>(known_.size()) + 1);
    EXPECT_EQ(r.entry.prev_hash, last_hash_);
    EXPECT_EQ(r.entry.hash, entry_hash(r.entry.prev_hash, r.entry));
    EXPECT_NE(r.entry.hash, last_hash_);
    EXPECT_EQ(r.entry.book, book);
    EXPECT_EQ(r.entry.date, date);
    // A reversal may list its lines in any order; a drafted entry keeps the order it was given.
    EXPECT_EQ(reverses ? sorted(r.entry.postings) : r.entry.postings, reverses ? sorted(postings) : postings);
    EXPECT_EQ(r.entry.reverses, reverses);
    EXPECT_EQ(r.entry.user, actor_);
    model_.apply(book, date, postings);
    known_.push_back(KnownEntry{book, date, r.entry.postings, r.entry.hash, draft});
    last_hash_ = r.entry.hash;
    if (draft && !draft->client_id.empty()) replayable_.push_back(known_.size() - 1);
  }

  // Before the test reads what every book holds. On SQLite it reads as whoever acted last: any
  // user of the file reads every book. On a server a treasurer reads only her own books (row-level
  // security, pg.security tests that), so the test reads as the admin there.
  void read_every_book() {
    if (db_.server()) act_as_admin();
  }

  // Every own balance of every book as of the far future, as the Ledger reports it.
  std::vector<std::pair<std::string, std::int64_t>> snapshot() {
    read_every_book();
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& b : kAllBooks) {
      auto sheet = ledger_->balances(b, kFarFuture);
      EXPECT_TRUE(sheet);
      if (!sheet) continue;
      for (const auto& ab : sheet->accounts) out.emplace_back(b + " " + ab.account.code, ab.own.minor_units());
    }
    return out;
  }

  void expect_tip() {
    const auto count = static_cast<std::int64_t>(known_.size());
    auto last = ledger_->entry("#" + std::to_string(count));
    ASSERT_TRUE(last) << last.error().message();
    EXPECT_EQ(last->hash, last_hash_);
    EXPECT_FALSE(ledger_->entry("#" + std::to_string(count + 1))) << "an entry past the expected tip exists";
  }

  void expect_sheet_matches_model(const std::string& book, Date as_of) {
    auto sheet = ledger_->balances(book, as_of);
    ASSERT_TRUE(sheet) << sheet.error().message();
    std::size_t declared_seen = 0;
    for (const auto& ab : sheet->accounts) {
      const auto& code = ab.account.code;
      EXPECT_EQ(BigInt(ab.own.minor_units()), model_.own(book, code, as_of)) << book << " " << code << " own as of " << as_of;
      EXPECT_EQ(BigInt(ab.balance.minor_units()), model_.rolled(book, code, as_of))
          << book << " " << code << " with sub-accounts as of " << as_of;
      if (model_.declared(book, code)) ++declared_seen;
    }
    EXPECT_EQ(declared_seen, model_.codes(book).size()) << "accounts missing from the balance sheet of " << book;
  }

  // The invariants that must hold after every operation, accepted or refused.
  void verify_against_model() {
    read_every_book();
    expect_tip();
    const Date d = random_report_date();
    auto tb = ledger_->trial_balance("", d);
    ASSERT_TRUE(tb) << tb.error().message();
    ASSERT_EQ(tb->books.size(), kAllBooks.size());
    for (const auto& tbb : tb->books) {
      EXPECT_EQ(tbb.total_debit, tbb.total_credit) << tbb.book.code << " as of " << d;
      auto [debit, credit] = model_.totals(tbb.book.code, d);
      EXPECT_EQ(BigInt(tbb.total_debit.minor_units()), debit) << tbb.book.code << " as of " << d;
      EXPECT_EQ(BigInt(tbb.total_credit.minor_units()), credit) << tbb.book.code << " as of " << d;
    }
    for (const auto& b : kAllBooks) expect_sheet_matches_model(b, kFarFuture);
    for (int i = 0; i < 3; ++i) {
      const std::string book = random_book();
      const auto codes = model_.codes(book);
      const std::string code = codes[pick(codes.size())];
      const Date at = random_report_date();
      auto bal = ledger_->balance(book, code, at);
      ASSERT_TRUE(bal) << bal.error().message();
      EXPECT_EQ(BigInt(bal->minor_units()), model_.rolled(book, code, at)) << book << " " << code << " as of " << at;
    }
  }

  void expect_check_ok() {
    read_every_book();
    auto report = ledger_->check();
    for (const auto& p : report.problems) ADD_FAILURE() << "check: " << p;
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(report.entries, static_cast<std::int64_t>(known_.size()));
    EXPECT_EQ(report.postings, model_.postings());
  }

  void set_up_books();
  void run_operation(Op op);

  std::mt19937_64 rng_{20261128};
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  Model model_;
  std::map<std::string, std::vector<std::string>> postable_;
  std::vector<KnownEntry> known_;
  std::vector<std::size_t> replayable_;  // indexes into known_ of drafted entries with a client id
  std::string last_hash_ = kGenesisHash;
  std::string actor_ = "admin";
  int next_memo_ = 1;
  int next_client_ = 1;
  std::int64_t refused_ = 0;
};

void LedgerRandom::set_up_books() {
  auto created = db_.create();
  ASSERT_TRUE(created) << created.error().message();
  ledger_ = std::move(*created);
  ASSERT_TRUE(ledger_->add_group_book("G1", "Tổ tiết kiệm thôn 1"));
  ASSERT_TRUE(ledger_->add_group_book("BIG", "Tổ có số dư sát giới hạn"));
  ASSERT_TRUE(ledger_->add_user("officer1", Role::kOfficer));
  ASSERT_TRUE(ledger_->add_user("treasurer1", Role::kTreasurer));
  ASSERT_TRUE(ledger_->add_user("auditor1", Role::kAuditor));
  // treasurer1 keeps the books of both groups (a treasurer writes only the books she is named on).
  ASSERT_TRUE(ledger_->name_treasurer("group:G1", "treasurer1"));
  ASSERT_TRUE(ledger_->name_treasurer("group:BIG", "treasurer1"));

  struct Extra {
    const char* book;
    const char* code;
    const char* parent;
    AccountType type;
  };
  for (const Extra& x : {Extra{"fund", "10111", "1011", AccountType::kAsset},
                         Extra{"fund", "101111", "10111", AccountType::kAsset},  // a grandchild
                         Extra{"fund", "10112", "1011", AccountType::kAsset},
                         Extra{"fund", "8599", "8", AccountType::kExpense},  // closed below
                         Extra{"group:G1", "1011A", "1011", AccountType::kAsset},
                         Extra{"entrust", "91211", "9121", AccountType::kMemo}}) {
    Account a;
    a.book = x.book;
    a.code = x.code;
    a.name = std::string("Tài khoản ") + x.code;
    a.parent = x.parent;
    a.type = x.type;
    auto r = ledger_->add_account(a);
    ASSERT_TRUE(r) << r.error().message();
  }
  ASSERT_TRUE(ledger_->close_account("fund", "8599", kFirstDay));

  // The hierarchy as this test understands it (chart parents from domain.md's numbering:
  // 423 savings over 4231/4232, 70 income over 70xx, 8 expenses over 8xxx).
  struct Declared {
    const char* book;
    const char* code;
    const char* parent;
    bool postable;
  };
  for (const Declared& x : {
           Declared{"fund", "1011", "", true},       Declared{"fund", "10111", "1011", true},
           Declared{"fund", "101111", "10111", true}, Declared{"fund", "10112", "1011", true},
           Declared{"fund", "1121", "", true},       Declared{"fund", "2111", "", true},
           Declared{"fund", "423", "", true},        Declared{"fund", "4231", "423", true},
           Declared{"fund", "4232", "423", true},    Declared{"fund", "6011", "", true},
           Declared{"fund", "70", "", false},        Declared{"fund", "7021", "70", true},
           Declared{"fund", "7022", "70", true},     Declared{"fund", "8", "", false},
           Declared{"fund", "8511", "8", true},      Declared{"fund", "8821", "8", true},
           Declared{"fund", "8599", "8", false},     Declared{"entrust", "9121", "", true},
           Declared{"entrust", "91211", "9121", true}, Declared{"entrust", "9122", "", true},
           Declared{"entrust", "9131", "", true},    Declared{"entrust", "9999", "", true},
           Declared{"group:G1", "1011", "", true},   Declared{"group:G1", "1011A", "1011", true},
           Declared{"group:G1", "1311", "", true},   Declared{"group:G1", "2111", "", true},
           Declared{"group:G1", "3311", "", true},   Declared{"group:G1", "4111", "", true},
           Declared{"group:G1", "7021", "", true},   Declared{"group:G1", "8511", "", true},
           Declared{"group:BIG", "1011", "", false}, Declared{"group:BIG", "1311", "", false},
           Declared{"group:BIG", "4111", "", false},
       }) {
    auto a = ledger_->account(x.book, x.code);
    ASSERT_TRUE(a) << x.book << " " << x.code << ": " << a.error().message();
    ASSERT_EQ(a->parent, x.parent) << x.book << " " << x.code;  // model and Ledger agree on the tree
    model_.declare(x.book, x.code, x.parent);
    if (x.postable) postable_[x.book].push_back(x.code);
  }

  // group:BIG cash right below the 64-bit limit, balanced by members' shares.
  EntryDraft big{"group:BIG", kFirstDay, "Số dư sát giới hạn", "big-0",
                 {Posting{"1011", Money(kMax - kBigMargin)}, Posting{"4111", Money(-(kMax - kBigMargin))}}, std::nullopt};
  auto r = ledger_->post(big);
  ASSERT_TRUE(r) << r.error().message();
  accepted(*r, big.book, big.date, big.postings, std::nullopt, std::nullopt);
  known_.back().reversible = false;  // keeps the margin for the overflow attempts
}

void LedgerRandom::run_operation(Op op) {
  // Refused operations and idempotent replays must leave every balance and the chain as they were.
  const bool changes_nothing = op != Op::kPost && op != Op::kReverse && op != Op::kBatchGood;
  std::vector<std::pair<std::string, std::int64_t>> before;
  if (changes_nothing) before = snapshot();
  const auto count_before = known_.size();

  switch (op) {
    case Op::kPost: {
      const std::string book = random_book();
      EntryDraft d = random_draft(book, chance(75) ? fresh_client_id("c-") : "");
      act_as_writer(book);
      auto r = ledger_->post(d);
      ASSERT_TRUE(r) << r.error().message();
      accepted(*r, d.book, d.date, d.postings, d, std::nullopt);
      EXPECT_EQ(r->entry.client_id, d.client_id);
      break;
    }
    case Op::kReplay: {
      auto i = random_replayable();
      if (!i) return run_operation(Op::kPost);
      EntryDraft d = *known_[*i].draft;
      // Same content regardless of the order the postings are listed in.
      if (chance(30)) std::rotate(d.postings.begin(), d.postings.begin() + 1, d.postings.end());
      act_as_writer(d.book);
      auto r = ledger_->post(d);
      ASSERT_TRUE(r) << r.error().message();
      EXPECT_FALSE(r->created);
      EXPECT_EQ(r->entry.id, static_cast<std::int64_t>(*i) + 1);
      EXPECT_EQ(r->entry.hash, known_[*i].hash);
      EXPECT_EQ(r->entry.postings, known_[*i].postings);
      break;
    }
    case Op::kConflict: {
      auto i = random_replayable();
      if (!i) return run_operation(Op::kUnbalanced);
      EntryDraft d = conflicting(*known_[*i].draft);
      act_as_writer(d.book);
      EXPECT_TRUE(failed_with(ledger_->post(d), ErrorKind::kBadInput));
      break;
    }
    case Op::kReverse: {
      std::optional<std::size_t> target;
      for (int tries = 0; tries < 20 && !target; ++tries) {
        std::size_t i = pick(known_.size());
        if (known_[i].reversible && !known_[i].reversed) target = i;
      }
      if (!target) return run_operation(Op::kPost);
      const KnownEntry original = known_[*target];
      const auto id = static_cast<std::int64_t>(*target) + 1;
      std::string ref;
      switch (pick(3)) {
        case 0: ref = "#" + std::to_string(id); break;
        case 1: ref = std::to_string(id); break;
        default:
          ref = original.draft && !original.draft->client_id.empty() ? original.draft->client_id : std::to_string(id);
      }
      const Date date = original.date.add_days(static_cast<std::int64_t>(pick(61)));
      std::vector<Posting> negated;
      for (const auto& p : original.postings) negated.push_back(Posting{p.account, Money(-p.amount.minor_units())});
      act_as_writer(original.book);
      auto r = ledger_->reverse(ref, date, chance(50) ? fresh_client_id("r-") : "");
      ASSERT_TRUE(r) << ref << ": " << r.error().message();
      accepted(*r, original.book, date, negated, std::nullopt, id);
      known_[*target].reversed = true;
      if (chance(30)) {  // a second reversal of the same entry, right away
        const auto tip = known_.size();
        const auto state = snapshot();
        EXPECT_TRUE(failed_with(ledger_->reverse(std::to_string(id), date, fresh_client_id("r-")), ErrorKind::kBadInput));
        EXPECT_EQ(known_.size(), tip);
        EXPECT_EQ(snapshot(), state);
      }
      break;
    }
    case Op::kReverseAgain: {
      std::vector<std::size_t> reversed;
      for (std::size_t i = 0; i < known_.size(); ++i)
        if (known_[i].reversed) reversed.push_back(i);
      if (reversed.empty()) return run_operation(Op::kUnbalanced);
      const std::size_t i = reversed[pick(reversed.size())];
      act_as_writer(known_[i].book);
      EXPECT_TRUE(failed_with(ledger_->reverse("#" + std::to_string(i + 1), known_[i].date.add_days(400),
                                               chance(50) ? fresh_client_id("r-") : ""),
                              ErrorKind::kBadInput));
      break;
    }
    case Op::kReverseTooEarly: {
      std::optional<std::size_t> target;
      for (int tries = 0; tries < 20 && !target; ++tries) {
        std::size_t i = pick(known_.size());
        if (known_[i].reversible && !known_[i].reversed) target = i;
      }
      if (!target) return run_operation(Op::kUnbalanced);
      act_as_writer(known_[*target].book);
      const Date early = known_[*target].date.add_days(-1 - static_cast<std::int64_t>(pick(90)));
      EXPECT_TRUE(failed_with(ledger_->reverse(std::to_string(*target + 1), early, fresh_client_id("r-")),
                              ErrorKind::kBadInput));
      break;
    }
    case Op::kBatchGood: {
      std::vector<EntryDraft> drafts;
      const std::size_t n = 2 + pick(3);
      for (std::size_t k = 0; k < n; ++k) drafts.push_back(random_draft(random_book(), chance(75) ? fresh_client_id("b-") : ""));
      act_as_admin();
      auto r = ledger_->post_all(drafts);
      ASSERT_TRUE(r) << r.error().message();
      ASSERT_EQ(r->size(), n);
      for (std::size_t k = 0; k < n; ++k) accepted((*r)[k], drafts[k].book, drafts[k].date, drafts[k].postings, drafts[k], std::nullopt);
      break;
    }
    case Op::kBatchOneBad: {
      std::vector<EntryDraft> drafts;
      const std::size_t n = 2 + pick(3);
      for (std::size_t k = 0; k < n; ++k) drafts.push_back(random_draft(random_book(), chance(75) ? fresh_client_id("b-") : ""));
      const std::size_t bad_at = pick(n + 1);
      const auto kind = static_cast<Bad>(pick(7));
      EntryDraft bad = bad_draft(kind);
      if (kind != Bad::kOverflow && kind != Bad::kConflict && chance(25) && !drafts.empty()) {
        // The same client id twice in one batch with other content: the second is refused.
        bad = conflicting(drafts[0]);
        if (bad.client_id.empty()) bad.client_id = drafts[0].client_id = fresh_client_id("b-");
        drafts.push_back(bad);
      } else {
        drafts.insert(drafts.begin() + static_cast<std::ptrdiff_t>(bad_at), bad);
      }
      act_as_admin();
      auto r = ledger_->post_all(drafts);
      EXPECT_TRUE(failed_with(r, ErrorKind::kBadInput));
      break;
    }
    case Op::kUnbalanced:
    case Op::kUnknownAccount:
    case Op::kZeroAmount:
    case Op::kOnePosting:
    case Op::kClosedAccount:
    case Op::kOverflow: {
      static const std::map<Op, Bad> kKind = {{Op::kUnbalanced, Bad::kUnbalanced},   {Op::kUnknownAccount, Bad::kUnknownAccount},
                                              {Op::kZeroAmount, Bad::kZeroAmount},   {Op::kOnePosting, Bad::kOnePosting},
                                              {Op::kClosedAccount, Bad::kClosedAccount}, {Op::kOverflow, Bad::kOverflow}};
      EntryDraft d = bad_draft(kKind.at(op));
      act_as_writer(d.book);
      EXPECT_TRUE(failed_with(ledger_->post(d), ErrorKind::kBadInput));
      break;
    }
    case Op::kAuditorWrites: {
      EntryDraft d = random_draft(random_book(), fresh_client_id("a-"));
      actor_ = "auditor1";
      ASSERT_TRUE(db_.act_as(ledger_, "auditor1"));
      EXPECT_TRUE(failed_with(ledger_->post(d), ErrorKind::kPermission));
      EXPECT_TRUE(failed_with(ledger_->post_all({d}), ErrorKind::kPermission));
      EXPECT_TRUE(failed_with(ledger_->reverse("#" + std::to_string(1 + pick(known_.size())), d.date.add_days(800)),
                              ErrorKind::kPermission));
      act_as_admin();
      break;
    }
    case Op::kTreasurerWritesFund: {
      EntryDraft d = random_draft(chance(50) ? "fund" : "entrust", fresh_client_id("t-"));
      actor_ = "treasurer1";
      ASSERT_TRUE(db_.act_as(ledger_, "treasurer1"));
      EXPECT_TRUE(failed_with(ledger_->post(d), ErrorKind::kPermission));
      act_as_admin();
      break;
    }
  }
  if (changes_nothing) {
    EXPECT_EQ(known_.size(), count_before);
    if (op != Op::kReplay) ++refused_;
    EXPECT_EQ(snapshot(), before) << "a refused operation or a replay changed a balance";
  }
}

TEST_F(LedgerRandom, AgreesWithAnIndependentModel) {
  const auto started = std::chrono::steady_clock::now();
  ASSERT_NO_FATAL_FAILURE(set_up_books());
  ASSERT_NO_FATAL_FAILURE(verify_against_model());

  // Weights of the operations (out of 100).
  const std::vector<std::pair<Op, int>> kWeights = {
      {Op::kPost, 34},          {Op::kReplay, 8},          {Op::kConflict, 6},         {Op::kReverse, 10},
      {Op::kReverseAgain, 3},   {Op::kReverseTooEarly, 2}, {Op::kBatchGood, 5},        {Op::kBatchOneBad, 8},
      {Op::kUnbalanced, 3},     {Op::kUnknownAccount, 3},  {Op::kZeroAmount, 3},       {Op::kOnePosting, 3},
      {Op::kClosedAccount, 3},  {Op::kOverflow, 3},        {Op::kAuditorWrites, 3},    {Op::kTreasurerWritesFund, 3},
  };
  int total_weight = 0;
  for (const auto& [op, w] : kWeights) total_weight += w;
  ASSERT_EQ(total_weight, 100);

  std::map<Op, int> done;
  for (int i = 1; i <= operations(); ++i) {
    int roll = static_cast<int>(pick(100));
    Op op = Op::kPost;
    for (const auto& [candidate, w] : kWeights) {
      if (roll < w) {
        op = candidate;
        break;
      }
      roll -= w;
    }
    ++done[op];
    SCOPED_TRACE(::testing::Message() << "operation " << i << " (" << op_name(op) << "), " << known_.size()
                                      << " entries so far");
    ASSERT_NO_FATAL_FAILURE(run_operation(op));
    ASSERT_NO_FATAL_FAILURE(verify_against_model());
    if (i % 100 == 0) expect_check_ok();
    if (HasFailure()) break;  // one broken invariant is enough to read; the rest would repeat it
  }
  expect_check_ok();

  // The journal, walked in chain order, holds exactly what the test got accepted.
  std::int64_t walked = 0;
  std::string prev = kGenesisHash;
  ASSERT_TRUE(ledger_->for_each_entry([&](const Entry& e) {
    ++walked;
    ASSERT_EQ(e.id, walked);
    ASSERT_LE(walked, static_cast<std::int64_t>(known_.size())) << "the journal holds entries the test never had accepted";
    const KnownEntry& k = known_[static_cast<std::size_t>(walked - 1)];
    EXPECT_EQ(e.prev_hash, prev);
    EXPECT_EQ(e.hash, k.hash);
    EXPECT_EQ(e.book, k.book);
    EXPECT_EQ(e.date, k.date);
    EXPECT_EQ(e.postings, k.postings);
    prev = e.hash;
  }));
  EXPECT_EQ(walked, static_cast<std::int64_t>(known_.size()));
  for (const auto& b : kAllBooks) {
    std::int64_t in_book = 0, expected = 0;
    ASSERT_TRUE(ledger_->for_each_entry([&](const Entry& e) { in_book += e.book == b; }, b));
    for (const auto& k : known_) expected += k.book == b;
    EXPECT_EQ(in_book, expected) << b;
  }

  // The run must have exercised what it claims to.
  for (const auto& [op, w] : kWeights) EXPECT_GT(done[op], 0) << op_name(op) << " never ran";
  EXPECT_GT(refused_, operations() / 5);
  EXPECT_GT(known_.size(), static_cast<std::size_t>(operations() / 3));
  const auto seconds =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  RecordProperty("entries", static_cast<int>(known_.size()));
  RecordProperty("refused", static_cast<int>(refused_));
  RecordProperty("milliseconds", static_cast<int>(seconds));
}

}  // namespace
}  // namespace soquy
