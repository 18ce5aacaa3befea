#include "soquy/demo.h"

#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "soquy/charts.h"
#include "soquy/i18n.h"

namespace soquy {
namespace {

namespace f = charts::fund;
namespace g = charts::group;

// Uniform integer in [lo, hi] from a 64-bit generator, independent of the standard library's
// distribution algorithms so the demo is the same everywhere.
std::int64_t pick(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
}

EntryDraft draft(std::string_view book, Date date, std::string memo, std::string id,
                 std::initializer_list<std::pair<std::string_view, std::int64_t>> postings) {
  EntryDraft d{std::string(book), date, std::move(memo), std::move(id), {}, std::nullopt};
  for (const auto& [account, amount] : postings) d.postings.push_back(Posting{std::string(account), Money(amount)});
  return d;
}

}  // namespace

namespace {
constexpr std::string_view kDemoPurpose = "demo";  // Ledger::purpose() of a demo database
}  // namespace

Result<std::unique_ptr<Ledger>> create_demo_ledger(const std::string& path, bool replace) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    if (!replace)
      return fail(Error::cant_create(fmt::format(
          fmt::runtime(tr("{} exists; use --force to replace it with the demo")), path)));
    if (fs::file_size(path, ec) > 0) {
      auto existing = Ledger::open(path, Ledger::Access::kReadOnly);
      if (!existing || (*existing)->purpose() != kDemoPurpose)
        return fail(Error::cant_create(fmt::format(
            fmt::runtime(tr("{} holds a ledger that is not a demo (or cannot be read as one); --force replaces only a demo "
            "database: choose another --db for the demo")),
            path)));
    }
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix, ec);
  }
  return Ledger::create(path, "admin", kDemoPurpose);
}

Result<DemoSummary> build_demo(Ledger& ledger, const DemoOptions& o) {
  std::mt19937_64 rng(o.seed);
  if (auto b = ledger.add_group_book("HUI-LH01", "Dây hụi ấp Long Hòa 1"); !b) return fail(b.error());
  std::vector<EntryDraft> drafts;
  drafts.push_back(draft(f::kBook, o.start, "Nhận vốn ngân sách tỉnh cấp cho Quỹ", "demo-capital-1",
                         {{f::kCash, 1'500'000'000}, {f::kCapital, -1'500'000'000}}));
  drafts.push_back(draft(f::kBook, o.start.add_days(1), "Gửi tiền vào ngân hàng", "demo-bank-1",
                         {{f::kBank, 600'000'000}, {f::kCash, -600'000'000}}));
  // Outstanding principal per member, to keep repayments plausible.
  std::vector<std::int64_t> outstanding(static_cast<std::size_t>(o.members), 0);
  for (int m = 0; m < o.months; ++m) {
    Date month = o.start.add_months(m);
    for (int k = 0; k < o.members; ++k) {
      auto& owed = outstanding[static_cast<std::size_t>(k)];
      std::string member = fmt::format("HV{:04}", k + 1);
      Date day = *Date::from_ymd(month.year(), month.month(), static_cast<unsigned>(5 + k % 20));
      if (owed == 0 && pick(rng, 0, 3) == 0) {
        std::int64_t amount = pick(rng, 5, 30) * 1'000'000;
        owed = amount;
        drafts.push_back(draft(f::kBook, day, fmt::format("Giải ngân cho hội viên {}", member),
                               fmt::format("demo-disb-{}-{}", m, k), {{f::kLoans, amount}, {f::kCash, -amount}}));
        continue;
      }
      if (owed > 0 && pick(rng, 0, 9) != 0) {  // one meeting in ten is missed
        std::int64_t principal = std::min<std::int64_t>(owed, pick(rng, 4, 25) * 100'000);
        std::int64_t interest = owed * 65 / 10'000;  // 0.65 %/month on what is owed (demo only)
        std::int64_t savings = 50'000;
        owed -= principal;
        drafts.push_back(draft(f::kBook, day, fmt::format("Thu nợ gốc, lãi, tiết kiệm của {}", member),
                               fmt::format("demo-repay-{}-{}", m, k),
                               {{f::kCash, principal + interest + savings},
                                {f::kLoans, -principal},
                                {f::kInterestIncome, -interest},
                                {f::kCompulsorySavings, -savings}}));
      }
    }
    Date end = month.end_of_month();
    drafts.push_back(draft(f::kBook, end, "Chi phí hoạt động tháng", fmt::format("demo-opex-{}", m),
                           {{f::kOperatingExpense, pick(rng, 2, 6) * 500'000}, {f::kCash, 0}}));
    drafts.back().postings[1].amount = -drafts.back().postings[0].amount;
    // Two draws that once made stand-in VBSP memo entries: the entrust book now holds a real VBSP
    // commune (demo_vbsp.h); the draws stay so the fund's sequence of amounts does not move.
    rng.discard(2);
    // The hụi group: ten members contribute 1,000,000 each; the round's winner takes the pot.
    const std::string book = "group:HUI-LH01";
    if (m < 10) {
      drafts.push_back(draft(book, month.add_days(9), fmt::format("Hụi kỳ {}: thu tiền góp", m + 1),
                             fmt::format("demo-hui-in-{}", m), {{g::kCash, 10'000'000}, {g::kMemberShares, -10'000'000}}));
      drafts.push_back(draft(book, month.add_days(9), fmt::format("Hụi kỳ {}: chi cho người hốt", m + 1),
                             fmt::format("demo-hui-out-{}", m), {{g::kMemberShares, 10'000'000}, {g::kCash, -10'000'000}}));
    }
  }
  auto posted = ledger.post_all(drafts);
  if (!posted) return fail(posted.error());
  DemoSummary s;
  s.entries = static_cast<std::int64_t>(posted->size());
  // A mistake and its correction: a posting recorded twice, then reversed.
  auto dup = ledger.post(draft(f::kBook, o.start.add_months(3), "Thu nợ ghi trùng (nhập nhầm)", "demo-mistake",
                               {{f::kCash, 1'000'000}, {f::kLoans, -1'000'000}}));
  if (!dup) return fail(dup.error());
  auto rev = ledger.reverse("demo-mistake", o.start.add_months(3).add_days(2), "demo-mistake-reversal",
                            "ghi trùng hai lần (posted twice)");
  if (!rev) return fail(rev.error());
  s.entries += 2;
  s.reversals = 1;
  s.first = o.start;
  s.last = o.start.add_months(o.months - 1).end_of_month();
  return s;
}

}  // namespace soquy
