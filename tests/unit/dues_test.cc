// Tests of soquy::Dues (membership dues, hội phí): dated rates and exemptions, idempotent billing,
// the split of a payment between levels by largest remainder, partial and refused payments,
// arrears by unit rolled up through a unit merge, the union book's postings (balanced, `check`
// passes) and error paths that leave the database unchanged. Every expected figure is worked
// out by hand in the comment above the assertion.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "soquy/dues.h"
#include "soquy/dues_checks.h"
#include "soquy/ledger.h"
#include "soquy/registry.h"
#include "store.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;

class DuesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    reg_ = std::make_unique<Registry>(*ledger_);
    dues_ = std::make_unique<Dues>(*ledger_);
    // Province P > district D > communes C1, C2 > branches B1 (C1), B2 (C2), from 2020-01-01.
    const Date d = day(2020, 1, 1);
    ASSERT_TRUE(reg_->add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
    ASSERT_TRUE(reg_->add_unit({"D", "Càng Long", UnitKind::kDistrict, "P", d}));
    ASSERT_TRUE(reg_->add_unit({"C1", "An Trường", UnitKind::kCommune, "D", d}));
    ASSERT_TRUE(reg_->add_unit({"C2", "Tân An", UnitKind::kCommune, "D", d}));
    ASSERT_TRUE(reg_->add_unit({"B1", "Ấp 1", UnitKind::kBranch, "C1", d}));
    ASSERT_TRUE(reg_->add_unit({"B2", "Ấp 2", UnitKind::kBranch, "C2", d}));
    // M1, M2 in B1 and M3 in B2, all members since 2025-12-01.
    add_member("M1", "084180000001", "B1");
    add_member("M2", "084180000002", "B1");
    add_member("M3", "084180000003", "B2");
  }
  void add_member(const std::string& id, const std::string& nid, const std::string& unit,
                  Date joined = day(2025, 12, 1)) {
    MemberSpec s;
    s.id = id;
    s.name = "Nguyễn Thị " + id;
    s.national_id = nid;
    s.unit = unit;
    s.joined = joined;
    auto m = reg_->add_member(s);
    ASSERT_TRUE(m) << m.error().message();
  }
  static Period period(const char* text) { return *Period::parse(text); }
  Money balance(const char* account, Date on = day(2026, 12, 31)) {
    auto b = ledger_->balance("union", account, on);
    EXPECT_TRUE(b) << b.error().message();
    return b ? *b : Money();
  }
  // Every row of the journal and the dues tables, read on a second connection: equal before and
  // after a refused call means the call wrote nothing.
  std::string snapshot() {
    std::string out;
    for (const char* table : {"entries", "postings", "books", "dues_rates", "dues_splits", "dues_exemptions",
                              "dues_periods", "dues_bills", "dues_payments", "dues_allocations"}) {
      out += std::string(table) + ":";
      for (const auto& row : db_.rows(std::string("SELECT * FROM ") + table + " ORDER BY 1")) out += row + ";";
      out += "\n";
    }
    return out;
  }
  std::int64_t entry_count() {
    std::int64_t n = 0;
    EXPECT_TRUE(ledger_->for_each_entry([&](const Entry&) { ++n; }));
    return n;
  }

  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Registry> reg_;
  std::unique_ptr<Dues> dues_;
};

// --- parsing -------------------------------------------------------------------------------------

TEST(DuesParse, Periods) {
  auto p = Period::parse("2026-12");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->year, 2026);
  EXPECT_EQ(p->month, 12u);
  EXPECT_EQ(p->next().to_string(), "2027-01");
  EXPECT_EQ(p->first_day(), day(2026, 12, 1));
  EXPECT_EQ(Period::parse("2028-02")->last_day(), day(2028, 2, 29));
  EXPECT_EQ(Period::parse("2999-12")->last_day(), day(2999, 12, 31));
  for (const char* bad : {"2026-13", "2026-00", "2026-1", "2026/01", "26-01", "2026-1a", "", "2026-011", "1899-12", "3000-01"})
    EXPECT_TRUE(failed_with(Period::parse(bad), ErrorKind::kBadInput)) << bad;
  EXPECT_EQ(Period::parse("2026-13").error().message(),
            "'2026-13' is not a period: expected YYYY-MM, a month from 01 to 12 (e.g. 2026-01)");
}

TEST(DuesParse, Shares) {
  auto a = parse_dues_share("branch=50%");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->level, UnitKind::kBranch);
  EXPECT_EQ(a->basis_points, 5000);
  EXPECT_EQ(parse_dues_share("commune=33.5")->basis_points, 3350);
  EXPECT_EQ(parse_dues_share("province=12.34%")->basis_points, 1234);
  EXPECT_EQ(parse_dues_share("district=100")->basis_points, 10000);
  for (const char* bad : {"branch=0%", "branch=100.01", "branch=50.123", "branch=", "branch50", "branch=5x",
                          "branch=.5", "branch=1."})
    EXPECT_TRUE(failed_with(parse_dues_share(bad), ErrorKind::kBadInput)) << bad;
  EXPECT_FALSE(parse_dues_share("group=50"));
}

TEST(DuesParse, MonthlyAmount) {
  EXPECT_EQ(*dues_monthly_amount(Money(2000), "month"), Money(2000));
  EXPECT_EQ(*dues_monthly_amount(Money(24000), "year"), Money(2000));  // 24000 / 12
  EXPECT_TRUE(failed_with(dues_monthly_amount(Money(25000), "year"), ErrorKind::kBadInput));  // 25000 = 12·2083 + 4
  EXPECT_TRUE(failed_with(dues_monthly_amount(Money(2000), "week"), ErrorKind::kUsage));
  EXPECT_TRUE(failed_with(parse_arrears_by("commune"), ErrorKind::kUsage));
}

// --- rates and billing -----------------------------------------------------------------------------

// 2000 a month from 2026-01, 3000 from 2026-07: June bills 3 × 2000 = 6000, July 3 × 3000 = 9000.
TEST_F(DuesTest, RateChangeMidYearBillsTheNewAmountFromItsPeriod) {
  ASSERT_TRUE(*dues_->set_rate(Money(2000), period("2026-01")));
  ASSERT_TRUE(*dues_->set_rate(Money(3000), period("2026-07")));
  auto june = dues_->bill(period("2026-06"));
  ASSERT_TRUE(june) << june.error().message();
  EXPECT_TRUE(june->created);
  EXPECT_EQ(june->billed_on, day(2026, 6, 1));
  EXPECT_EQ(june->members, 3);
  EXPECT_EQ(june->rate, Money(2000));
  EXPECT_EQ(june->amount, Money(6000));
  auto july = dues_->bill(period("2026-07"), day(2026, 7, 5));
  ASSERT_TRUE(july) << july.error().message();
  EXPECT_EQ(july->rate, Money(3000));
  EXPECT_EQ(july->amount, Money(9000));
  EXPECT_EQ(july->billed_on, day(2026, 7, 5));
  // Dr 1318 / Cr 3387 for 6000 + 9000 = 15000; as of 2026-07-04 only June's 6000.
  EXPECT_EQ(balance("1318"), Money(15000));
  EXPECT_EQ(balance("3387"), Money(-15000));
  EXPECT_EQ(balance("1318", day(2026, 7, 4)), Money(6000));
  // A period before any rate cannot be billed.
  auto dec = dues_->bill(period("2025-12"));
  ASSERT_TRUE(failed_with(dec, ErrorKind::kBadInput));
  EXPECT_EQ(dec.error().message(),
            "no dues rate is in force for 2025-12: set one with `soquy dues rate --amount AMOUNT --from 2025-12`");
  EXPECT_TRUE(ledger_->check().ok());
}

TEST_F(DuesTest, RatesAreHistory) {
  ASSERT_TRUE(*dues_->set_rate(Money(2000), period("2026-01")));
  auto again = dues_->set_rate(Money(2000), period("2026-01"));
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);  // same rate, same period: nothing changed
  EXPECT_TRUE(failed_with(dues_->set_rate(Money(2500), period("2026-01")), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(dues_->set_rate(Money(0), period("2026-02")), ErrorKind::kBadInput));
  ASSERT_TRUE(dues_->bill(period("2026-03")));
  // Not from a billed period (2026-03) or before it.
  auto late = dues_->set_rate(Money(2500), period("2026-03"));
  ASSERT_TRUE(failed_with(late, ErrorKind::kBadInput));
  EXPECT_EQ(late.error().field(), "from");
  EXPECT_EQ(late.error().message(),
            "period 2026-03 is already billed (the last billed period is 2026-03); a change can take effect "
            "from 2026-04 on");
  EXPECT_TRUE(*dues_->set_rate(Money(2500), period("2026-04")));
  auto s = dues_->settings();
  ASSERT_TRUE(s);
  ASSERT_EQ(s->rates.size(), 2u);
  EXPECT_EQ(s->rates[1].from, period("2026-04"));
  EXPECT_EQ(s->rates[1].amount, Money(2500));
}

// M2 exempt 2026-02..2026-03: January bills 3, February and March 2 (1 exempt), April 3 again.
// M3 leaves on 2026-04-01, so April bills M1, M2 only: 2 × 2000 = 4000.
TEST_F(DuesTest, DatedExemptionsAndLeavers) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  ASSERT_TRUE(dues_->exempt("M2", period("2026-02"), period("2026-03"), "Hội viên cao tuổi"));
  ASSERT_TRUE(reg_->member_leaves("M3", day(2026, 4, 1)));
  std::vector<std::pair<std::int64_t, std::int64_t>> got;
  for (const char* p : {"2026-01", "2026-02", "2026-03", "2026-04"}) {
    auto s = dues_->bill(period(p));
    ASSERT_TRUE(s) << s.error().message();
    got.emplace_back(s->members, s->exempt);
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> want = {{3, 0}, {2, 1}, {2, 1}, {2, 0}};
  EXPECT_EQ(got, want);
  // 6000 + 4000 + 4000 + 4000 = 18000 billed.
  EXPECT_EQ(balance("1318"), Money(18000));
  auto s = dues_->settings();
  ASSERT_TRUE(s);
  ASSERT_EQ(s->exemptions.size(), 1u);
  EXPECT_EQ(s->exemptions[0].member, "M2");
  EXPECT_EQ(s->exemptions[0].to, period("2026-03"));
  EXPECT_EQ(s->exemptions[0].reason, "Hội viên cao tuổi");
}

TEST_F(DuesTest, ExemptionErrors) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  ASSERT_TRUE(dues_->exempt("M1", period("2026-03"), std::nullopt, "Hộ nghèo"));
  const auto before = snapshot();
  // Open from 2026-03: anything from 2026-05 overlaps.
  auto overlap = dues_->exempt("M1", period("2026-05"), period("2026-06"), "again");
  ASSERT_TRUE(failed_with(overlap, ErrorKind::kBadInput));
  EXPECT_EQ(overlap.error().message(),
            "member M1 is already exempt from 2026-03 on: the exemptions of a member must not overlap");
  EXPECT_TRUE(failed_with(dues_->exempt("M2", period("2026-05"), period("2026-04"), "x"), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(dues_->exempt("M2", period("2026-05"), std::nullopt, ""), ErrorKind::kBadInput));
  auto unknown = dues_->exempt("M9", period("2026-05"), std::nullopt, "x");
  ASSERT_TRUE(failed_with(unknown, ErrorKind::kBadInput));
  EXPECT_EQ(unknown.error().message(), "unknown member 'M9'");
  ASSERT_TRUE(dues_->bill(period("2026-01")));
  const auto billed = snapshot();
  EXPECT_NE(billed, before);
  EXPECT_TRUE(failed_with(dues_->exempt("M2", period("2026-01"), std::nullopt, "late"), ErrorKind::kBadInput));
  EXPECT_EQ(snapshot(), billed);
}

// Billing a period twice changes nothing: same entry, same rows, created == false.
TEST_F(DuesTest, BillingIsIdempotent) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  auto first = dues_->bill(period("2026-01"));
  ASSERT_TRUE(first);
  ASSERT_TRUE(first->entry);
  const auto after_first = snapshot();
  const auto entries = entry_count();
  auto second = dues_->bill(period("2026-01"));
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->entry, first->entry);
  EXPECT_EQ(second->members, 3);
  EXPECT_EQ(second->amount, Money(6000));
  EXPECT_EQ(second->billed_on, day(2026, 1, 1));
  // With the same date given explicitly: still nothing; with another date: refused.
  EXPECT_TRUE(dues_->bill(period("2026-01"), day(2026, 1, 1)));
  EXPECT_TRUE(failed_with(dues_->bill(period("2026-01"), day(2026, 1, 2)), ErrorKind::kBadInput));
  EXPECT_EQ(snapshot(), after_first);
  EXPECT_EQ(entry_count(), entries);
  EXPECT_EQ(balance("1318"), Money(6000));  // not 12000
  // A date before the period begins is refused.
  EXPECT_TRUE(failed_with(dues_->bill(period("2026-02"), day(2026, 1, 31)), ErrorKind::kBadInput));
  EXPECT_EQ(snapshot(), after_first);
}

// --- the split --------------------------------------------------------------------------------------

// Rate 3333, split branch 50 %, commune 30 %, province 20 %. M1 pays one month, 3333:
//   exact shares 1666.5, 999.9, 666.6 → floors 1666, 999, 666 (sum 3331), 2 đồng left over;
//   largest remainders .9 (commune) and .6 (province) get one each → 1666, 1000, 667 (= 3333).
// Postings: Dr 1011 3333, Cr 1318 3333, Dr 3387 3333, Cr 7111 1666, Cr 33881 1000, Cr 33883 667.
TEST_F(DuesTest, SplitBetweenLevelsByLargestRemainder) {
  ASSERT_TRUE(dues_->set_rate(Money(3333), period("2026-01")));
  ASSERT_TRUE(*dues_->set_split(period("2026-01"), {{UnitKind::kProvince, 2000},
                                                    {UnitKind::kBranch, 5000},
                                                    {UnitKind::kCommune, 3000}}));
  ASSERT_TRUE(dues_->bill(period("2026-01")));
  auto paid = dues_->pay("M1", Money(3333), day(2026, 1, 10), "BL-001");
  ASSERT_TRUE(paid) << paid.error().message();
  ASSERT_EQ(paid->shares.size(), 3u);
  EXPECT_EQ(paid->shares[0].level, UnitKind::kBranch);
  EXPECT_EQ(paid->shares[0].amount, Money(1666));
  EXPECT_EQ(paid->shares[1].level, UnitKind::kCommune);
  EXPECT_EQ(paid->shares[1].amount, Money(1000));
  EXPECT_EQ(paid->shares[2].level, UnitKind::kProvince);
  EXPECT_EQ(paid->shares[2].amount, Money(667));
  EXPECT_EQ(balance("1011"), Money(3333));
  EXPECT_EQ(balance("1318"), Money(3 * 3333 - 3333));  // 6666 still receivable
  EXPECT_EQ(balance("3387"), Money(-6666));            // -9999 billed + 3333 collected
  EXPECT_EQ(balance("7111"), Money(-1666));
  EXPECT_EQ(balance("33881"), Money(-1000));
  EXPECT_EQ(balance("33882"), Money(0));
  EXPECT_EQ(balance("33883"), Money(-667));
  EXPECT_EQ(balance("3388"), Money(-1667));  // the tree: 33881 + 33882 + 33883 = -1000 + 0 - 667
  auto tb = ledger_->trial_balance("union", day(2026, 12, 31));
  ASSERT_TRUE(tb);
  ASSERT_EQ(tb->books.size(), 1u);
  // Debits: 1011 3333 + 1318 6666 = 9999; credits: 3387 6666 + 7111 1666 + 33881 1000 + 33883 667 = 9999.
  EXPECT_EQ(tb->books[0].total_debit, Money(9999));
  EXPECT_EQ(tb->books[0].total_credit, Money(9999));
  EXPECT_TRUE(ledger_->check().ok());
}

TEST_F(DuesTest, SplitValidation) {
  const auto before = snapshot();
  // 50 + 30 + 10 = 90 %.
  auto short_ = dues_->set_split(period("2026-01"), {{UnitKind::kBranch, 5000},
                                                     {UnitKind::kCommune, 3000},
                                                     {UnitKind::kProvince, 1000}});
  ASSERT_TRUE(failed_with(short_, ErrorKind::kBadInput));
  EXPECT_EQ(short_.error().message(),
            "the shares total 90.00 %, not 100 %: every đồng collected must go to some level");
  EXPECT_TRUE(failed_with(dues_->set_split(period("2026-01"), {{UnitKind::kBranch, 5000}, {UnitKind::kBranch, 5000}}),
                          ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(dues_->set_split(period("2026-01"), {}), ErrorKind::kBadInput));
  EXPECT_EQ(snapshot(), before);
  ASSERT_TRUE(*dues_->set_split(period("2026-01"), {{UnitKind::kBranch, 6000}, {UnitKind::kCommune, 4000}}));
  // The same split again, in another order: nothing changes; another split from the same period: refused.
  auto same = dues_->set_split(period("2026-01"), {{UnitKind::kCommune, 4000}, {UnitKind::kBranch, 6000}});
  ASSERT_TRUE(same);
  EXPECT_FALSE(*same);
  EXPECT_TRUE(failed_with(dues_->set_split(period("2026-01"), {{UnitKind::kBranch, 10000}}), ErrorKind::kBadInput));
}

// Without a split the branch keeps everything; a split from a later period applies to that period only.
// Rate 1000; split from 2026-02: branch 70 %, district 30 %. M1 pays 2000 for January and February:
// January 1000 → branch 1000; February 1000 → branch 700, district 300. Totals: branch 1700, district 300.
TEST_F(DuesTest, EachPeriodUsesTheSplitInForce) {
  ASSERT_TRUE(dues_->set_rate(Money(1000), period("2026-01")));
  ASSERT_TRUE(dues_->set_split(period("2026-02"), {{UnitKind::kBranch, 7000}, {UnitKind::kDistrict, 3000}}));
  ASSERT_TRUE(dues_->bill(period("2026-01")));
  ASSERT_TRUE(dues_->bill(period("2026-02")));
  auto paid = dues_->pay("M1", Money(2000), day(2026, 2, 15));
  ASSERT_TRUE(paid) << paid.error().message();
  ASSERT_EQ(paid->shares.size(), 2u);
  EXPECT_EQ(paid->shares[0].level, UnitKind::kBranch);
  EXPECT_EQ(paid->shares[0].amount, Money(1700));
  EXPECT_EQ(paid->shares[1].level, UnitKind::kDistrict);
  EXPECT_EQ(paid->shares[1].amount, Money(300));
  EXPECT_EQ(balance("33882"), Money(-300));
  EXPECT_TRUE(ledger_->check().ok());
}

// --- payments ----------------------------------------------------------------------------------------

// Rate 2000, January to March billed: M1 owes 6000. Pays 3000 on 03-15 → January 2000, February 1000,
// still owed 3000. 4000 more is refused (only 3000 owed). 3000 → February 1000, March 2000, owed 0.
// Then any payment is refused: she owes nothing.
TEST_F(DuesTest, PartialPaymentsOldestFirstAndOverpaymentRefused) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  for (const char* p : {"2026-01", "2026-02", "2026-03"}) ASSERT_TRUE(dues_->bill(period(p)));
  auto a = dues_->pay("M1", Money(3000), day(2026, 3, 15));
  ASSERT_TRUE(a) << a.error().message();
  ASSERT_EQ(a->allocations.size(), 2u);
  EXPECT_EQ(a->allocations[0].period, period("2026-01"));
  EXPECT_EQ(a->allocations[0].amount, Money(2000));
  EXPECT_EQ(a->allocations[1].period, period("2026-02"));
  EXPECT_EQ(a->allocations[1].amount, Money(1000));
  EXPECT_EQ(a->still_owed, Money(3000));
  const auto before = snapshot();
  auto over = dues_->pay("M1", Money(4000), day(2026, 3, 20));
  ASSERT_TRUE(failed_with(over, ErrorKind::kBadInput));
  EXPECT_EQ(over.error().message(),
            "a payment of 4000 is more than member M1 owes on 2026-03-20 (3000 for 2026-02..2026-03); overpayments "
            "are not held: bill the later periods first (soquy dues bill --period YYYY-MM) or take at most 3000");
  EXPECT_EQ(snapshot(), before);
  auto b = dues_->pay("M1", Money(3000), day(2026, 3, 20));
  ASSERT_TRUE(b) << b.error().message();
  ASSERT_EQ(b->allocations.size(), 2u);
  EXPECT_EQ(b->allocations[0].period, period("2026-02"));
  EXPECT_EQ(b->allocations[0].amount, Money(1000));
  EXPECT_EQ(b->allocations[1].period, period("2026-03"));
  EXPECT_EQ(b->allocations[1].amount, Money(2000));
  EXPECT_TRUE(b->still_owed.is_zero());
  const auto paid_up = snapshot();
  EXPECT_TRUE(failed_with(dues_->pay("M1", Money(1), day(2026, 3, 21)), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(dues_->pay("M1", Money(0), day(2026, 3, 21)), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(dues_->pay("M1", Money(-5), day(2026, 3, 21)), ErrorKind::kBadInput));
  EXPECT_EQ(snapshot(), paid_up);
  // Cash 6000, M1's receivable cleared: 1318 = 18000 billed − 6000 = 12000.
  EXPECT_EQ(balance("1011"), Money(6000));
  EXPECT_EQ(balance("1318"), Money(12000));
  EXPECT_EQ(balance("7111"), Money(-6000));  // no split: all to the branch
  // `soquy check`: billed less paid equals 1318 as of every date.
  EXPECT_TRUE(check_dues_receivable(*ledger_).ok());
}

TEST_F(DuesTest, CheckFindsAPaymentEditedBehindTheTriggers) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  for (const char* p : {"2026-01", "2026-02", "2026-03"}) ASSERT_TRUE(dues_->bill(period(p)));
  ASSERT_TRUE(dues_->pay("M1", Money(3000), day(2026, 3, 15), "BL-1"));
  auto c = check_dues_receivable(*ledger_);
  EXPECT_TRUE(c.ok());
  EXPECT_EQ(c.items, 3);  // the members billed
  // Paid 3000 recorded as 2999: as of 15/03, billed 18000 − 2999 = 15001 against 1318's 15000.
  // On the ledger's own connection: the change log's triggers find soquy's SQL functions there.
  db_.tamper(*ledger_, "dues_payments", "dues_payments_no_update",
             "UPDATE dues_payments SET amount = 2999 WHERE receipt = 'BL-1'");
  c = check_dues_receivable(*ledger_);
  ASSERT_EQ(c.differences.size(), 1u);
  const auto& d = c.differences[0];
  EXPECT_EQ(d.book, "union");
  EXPECT_EQ(d.account, "1318");
  EXPECT_EQ(d.record, "members' dues billed less paid");
  EXPECT_EQ(d.expected, Money(15001));
  EXPECT_EQ(d.actual, Money(15000));
  EXPECT_EQ(d.date, day(2026, 3, 15));
}

// A payment only covers what was billed on or before its date: on 2026-03-31 March (billed 04-05) is
// not yet due, so 2 × 2000 = 4000 is the most M2 can pay.
TEST_F(DuesTest, PaymentOnlyCoversPeriodsBilledByItsDate) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  ASSERT_TRUE(dues_->bill(period("2026-01")));
  ASSERT_TRUE(dues_->bill(period("2026-02")));
  ASSERT_TRUE(dues_->bill(period("2026-03"), day(2026, 4, 5)));
  EXPECT_TRUE(failed_with(dues_->pay("M2", Money(6000), day(2026, 3, 31)), ErrorKind::kBadInput));
  auto ok = dues_->pay("M2", Money(4000), day(2026, 3, 31));
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_TRUE(ok->still_owed.is_zero());
  EXPECT_TRUE(failed_with(dues_->pay("M2", Money(2000), day(2026, 4, 4)), ErrorKind::kBadInput));
  auto later = dues_->pay("M2", Money(2000), day(2026, 4, 5));
  ASSERT_TRUE(later) << later.error().message();
  EXPECT_EQ(later->allocations.at(0).period, period("2026-03"));
}

TEST_F(DuesTest, ReceiptMakesAPaymentIdempotent) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  ASSERT_TRUE(dues_->bill(period("2026-01")));
  ASSERT_TRUE(dues_->bill(period("2026-02")));
  auto first = dues_->pay("M3", Money(2500), day(2026, 2, 10), "BL-7");
  ASSERT_TRUE(first) << first.error().message();
  const auto after = snapshot();
  auto again = dues_->pay("M3", Money(2500), day(2026, 2, 10), "BL-7");
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->entry, first->entry);
  ASSERT_EQ(again->allocations.size(), 2u);  // January 2000, February 500
  EXPECT_EQ(again->allocations[1].amount, Money(500));
  EXPECT_EQ(again->still_owed, Money(1500));
  EXPECT_EQ(snapshot(), after);
  // The same receipt for another payment is refused.
  EXPECT_TRUE(failed_with(dues_->pay("M3", Money(1000), day(2026, 2, 10), "BL-7"), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(dues_->pay("M1", Money(2500), day(2026, 2, 10), "BL-7"), ErrorKind::kBadInput));
  EXPECT_EQ(snapshot(), after);
}

// --- arrears ----------------------------------------------------------------------------------------

// Rate 2000, January to April billed to M1, M2 (B1) and M3 (B2): 4 × 2000 = 8000 each.
// Paid: M1 8000 (all), M2 3000 (January, half of February), M3 nothing.
// B2 merges into B1 on 2026-04-01.
//   As of 2026-03-31 (January to March billed, 6000 each): B1 billed 12000, paid 6000+3000 = 9000,
//   arrears 3000; B2 billed 6000, paid 0, arrears 6000; total 18000 / 9000 / 9000.
//   As of 2026-04-30: one row B1 (B2's member rolled in): billed 3 × 8000 = 24000, paid 8000 + 3000 =
//   11000, arrears 13000, 3 members, 2 in arrears; M2 owes February (1000), March, April: 3 periods.
TEST_F(DuesTest, ArrearsByUnitRollUpThroughAMerge) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  for (const char* p : {"2026-01", "2026-02", "2026-03"}) ASSERT_TRUE(dues_->bill(period(p)));
  ASSERT_TRUE(dues_->pay("M1", Money(6000), day(2026, 3, 10)));
  ASSERT_TRUE(dues_->pay("M2", Money(3000), day(2026, 3, 10)));
  ASSERT_TRUE(reg_->merge_unit("B2", "B1", day(2026, 4, 1)));
  ASSERT_TRUE(dues_->bill(period("2026-04")));
  ASSERT_TRUE(dues_->pay("M1", Money(2000), day(2026, 4, 10)));

  auto march = dues_->arrears(day(2026, 3, 31));
  ASSERT_TRUE(march) << march.error().message();
  ASSERT_EQ(march->rows.size(), 2u);
  EXPECT_EQ(march->rows[0].key, "B1");
  EXPECT_EQ(march->rows[0].name, "Ấp 1");
  EXPECT_EQ(march->rows[0].members, 2);
  EXPECT_EQ(march->rows[0].members_in_arrears, 1);
  EXPECT_EQ(march->rows[0].billed, Money(12000));
  EXPECT_EQ(march->rows[0].paid, Money(9000));
  EXPECT_EQ(march->rows[0].arrears, Money(3000));
  EXPECT_EQ(march->rows[1].key, "B2");
  EXPECT_EQ(march->rows[1].arrears, Money(6000));
  EXPECT_EQ(march->rows[1].periods_owed, 3);
  EXPECT_EQ(march->rows[1].oldest_owed, period("2026-01"));
  EXPECT_EQ(march->total.billed, Money(18000));
  EXPECT_EQ(march->total.paid, Money(9000));
  EXPECT_EQ(march->total.arrears, Money(9000));

  auto april = dues_->arrears(day(2026, 4, 30));
  ASSERT_TRUE(april) << april.error().message();
  ASSERT_EQ(april->rows.size(), 1u);
  const auto& b1 = april->rows[0];
  EXPECT_EQ(b1.key, "B1");
  EXPECT_EQ(b1.members, 3);
  EXPECT_EQ(b1.members_in_arrears, 2);
  EXPECT_EQ(b1.billed, Money(24000));
  EXPECT_EQ(b1.paid, Money(11000));
  EXPECT_EQ(b1.arrears, Money(13000));
  EXPECT_EQ(b1.periods_owed, 7);  // M2: Feb, Mar, Apr; M3: Jan–Apr
  EXPECT_EQ(b1.oldest_owed, period("2026-01"));
  EXPECT_EQ(april->total.arrears, b1.arrears);

  // By member: M2 and M3 only (M1 paid up), with their units on the date.
  auto by_member = dues_->arrears(day(2026, 4, 30), ArrearsBy::kMember);
  ASSERT_TRUE(by_member);
  ASSERT_EQ(by_member->rows.size(), 2u);
  EXPECT_EQ(by_member->rows[0].key, "M2");
  EXPECT_EQ(by_member->rows[0].arrears, Money(5000));  // 8000 − 3000
  EXPECT_EQ(by_member->rows[0].oldest_owed, period("2026-02"));
  EXPECT_EQ(by_member->rows[1].key, "M3");
  EXPECT_EQ(by_member->rows[1].unit, "B1");
  EXPECT_EQ(by_member->rows[1].arrears, Money(8000));
  EXPECT_EQ(by_member->total.arrears, Money(13000));
  // The union book agrees: 1318 holds exactly the arrears.
  EXPECT_EQ(balance("1318", day(2026, 4, 30)), Money(13000));
  EXPECT_EQ(balance("1318", day(2026, 3, 31)), Money(9000));
  EXPECT_TRUE(ledger_->check().ok());
}

// --- permissions ----------------------------------------------------------------------------------------

TEST_F(DuesTest, AuditorIsRefusedAndNothingChanges) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  ASSERT_TRUE(ledger_->add_user("kiemtoan", Role::kAuditor));
  ASSERT_TRUE(db_.act_as(ledger_, "kiemtoan"));
  dues_ = std::make_unique<Dues>(*ledger_);
  const auto before = snapshot();
  EXPECT_TRUE(failed_with(dues_->set_rate(Money(3000), period("2026-02")), ErrorKind::kPermission));
  EXPECT_TRUE(failed_with(dues_->set_split(period("2026-02"), {{UnitKind::kBranch, 10000}}), ErrorKind::kPermission));
  EXPECT_TRUE(failed_with(dues_->exempt("M1", period("2026-02"), std::nullopt, "x"), ErrorKind::kPermission));
  EXPECT_TRUE(failed_with(dues_->bill(period("2026-01")), ErrorKind::kPermission));
  EXPECT_TRUE(failed_with(dues_->pay("M1", Money(2000), day(2026, 1, 5)), ErrorKind::kPermission));
  EXPECT_EQ(snapshot(), before);
  // Reading is allowed.
  EXPECT_TRUE(dues_->settings());
  EXPECT_TRUE(dues_->arrears(day(2026, 1, 31)));
}

// A treasurer writes only in group books: the union book's dues are refused; an officer may.
TEST_F(DuesTest, TreasurerIsRefusedOfficerMayBill) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  ASSERT_TRUE(ledger_->add_user("thuquyxa", Role::kTreasurer));
  ASSERT_TRUE(ledger_->add_user("canboxa", Role::kOfficer));
  ASSERT_TRUE(db_.act_as(ledger_, "thuquyxa"));
  dues_ = std::make_unique<Dues>(*ledger_);
  const auto before = snapshot();
  auto r = dues_->bill(period("2026-01"));
  ASSERT_TRUE(failed_with(r, ErrorKind::kPermission));
  EXPECT_EQ(r.error().message(), "user 'thuquyxa' is a treasurer and may write only in group books, not in 'union'");
  EXPECT_EQ(snapshot(), before);
  ASSERT_TRUE(db_.act_as(ledger_, "canboxa"));
  dues_ = std::make_unique<Dues>(*ledger_);
  auto ok = dues_->bill(period("2026-01"));
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->amount, Money(6000));
}

TEST_F(DuesTest, UnknownMemberIsRefused) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  ASSERT_TRUE(dues_->bill(period("2026-01")));
  const auto before = snapshot();
  auto r = dues_->pay("M9", Money(2000), day(2026, 1, 5));
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_EQ(r.error().message(), "unknown member 'M9'");
  EXPECT_EQ(snapshot(), before);
}

// A period nobody is billed for (everyone exempt) records the run with no entry.
TEST_F(DuesTest, PeriodWithEveryoneExemptPostsNothing) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  for (const char* m : {"M1", "M2", "M3"}) ASSERT_TRUE(dues_->exempt(m, period("2026-01"), period("2026-01"), "lũ"));
  auto s = dues_->bill(period("2026-01"));
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_FALSE(s->entry);
  EXPECT_EQ(s->members, 0);
  EXPECT_EQ(s->exempt, 3);
  EXPECT_EQ(entry_count(), 0);
  auto again = dues_->bill(period("2026-01"));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_TRUE(failed_with(dues_->pay("M1", Money(2000), day(2026, 1, 5)), ErrorKind::kBadInput));
}

// --- corrections (issue 12) ----------------------------------------------------------------------

Result<CorrectionResult> reverse_dues(Ledger& ledger, Dues& dues, std::int64_t id) {
  auto e = ledger.entry("#" + std::to_string(id));
  if (!e) return fail(e.error());
  return dues.reverse_entry(*e, ReversalRequest{e->date, "thu nhầm (collected by mistake)", ""});
}

// 2,000 a month; January and February billed (3 members: 12,000). M1 pays 4,000 on 2026-02-10
// (January and February), then it is reversed: she owes both months again, 1318 is back to 12,000.
TEST_F(DuesTest, PaymentReversedTheMemberOwesAgain) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  ASSERT_TRUE(dues_->bill(period("2026-01")));
  auto feb = dues_->bill(period("2026-02"));
  ASSERT_TRUE(feb);
  auto p = dues_->pay("M1", Money(4000), day(2026, 2, 10), "BL-1");
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_EQ(balance("1318"), Money(8000));
  // The billing of February has a payment allocated to it: refused, naming the payment.
  auto rb = reverse_dues(*ledger_, *dues_, *feb->entry);
  ASSERT_TRUE(failed_with(rb, ErrorKind::kBadInput));
  EXPECT_NE(rb.error().message().find(fmt::format("entry #{}", p->entry)), std::string::npos) << rb.error().message();
  auto r = reverse_dues(*ledger_, *dues_, p->entry);
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->entries.size(), 1u);
  EXPECT_EQ(r->entries[0].date, day(2026, 2, 10));
  EXPECT_EQ(balance("1318"), Money(12000));
  EXPECT_EQ(balance("1011"), Money(0));
  auto arrears = dues_->arrears(day(2026, 2, 28), ArrearsBy::kMember);
  ASSERT_TRUE(arrears);
  EXPECT_EQ(arrears->total.arrears, Money(12000));
  EXPECT_EQ(arrears->total.paid, Money(0));
  EXPECT_TRUE(check_dues_receivable(*ledger_).ok());
  // The receipt stays used; a new payment under a new receipt is allocated to January again.
  EXPECT_TRUE(failed_with(dues_->pay("M1", Money(4000), day(2026, 2, 10), "BL-1"), ErrorKind::kBadInput));
  auto again = dues_->pay("M1", Money(2000), day(2026, 2, 11), "BL-2");
  ASSERT_TRUE(again) << again.error().message();
  ASSERT_EQ(again->allocations.size(), 1u);
  EXPECT_EQ(again->allocations[0].period, period("2026-01"));
  EXPECT_TRUE(check_dues_receivable(*ledger_).ok());
}

TEST_F(DuesTest, EarlierPaymentWithALaterOneIsRefusedAnUnpaidBillingIsReversed) {
  ASSERT_TRUE(dues_->set_rate(Money(2000), period("2026-01")));
  ASSERT_TRUE(dues_->bill(period("2026-01")));
  auto feb = dues_->bill(period("2026-02"));
  ASSERT_TRUE(feb);
  auto a = dues_->pay("M2", Money(2000), day(2026, 2, 10));
  auto b = dues_->pay("M2", Money(2000), day(2026, 2, 20));
  ASSERT_TRUE(a && b);
  auto r = reverse_dues(*ledger_, *dues_, a->entry);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_NE(r.error().message().find(fmt::format("entry #{}", b->entry)), std::string::npos) << r.error().message();
  // Undo M2's February payment; February is then unpaid by all and its billing may be reversed.
  ASSERT_TRUE(reverse_dues(*ledger_, *dues_, b->entry));
  auto rb = reverse_dues(*ledger_, *dues_, *feb->entry);
  ASSERT_TRUE(rb) << rb.error().message();
  // Billed: January 6,000; paid 2,000 → 4,000.
  EXPECT_EQ(balance("1318"), Money(4000));
  EXPECT_TRUE(check_dues_receivable(*ledger_).ok());
  EXPECT_TRUE(failed_with(dues_->bill(period("2026-02")), ErrorKind::kBadInput));
}

}  // namespace
}  // namespace soquy
