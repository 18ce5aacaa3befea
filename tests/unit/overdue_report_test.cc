// Tests of the overdue report (reports/overdue_report.h): totals, PAR, buckets, classes and
// provisions, the overdue loans list, frozen and written-off loans apart, rows by unit rolled up
// across a merge, --compare-to flags, and the incremental accumulator against summarize().
//
// Figures by hand (../shared/vectors/loans.md, product A: 1 %/month flat, 12 monthly):
//  L1 (M1, unit C1, group G1): schedule A, 10,000,000 on 2026-01-15, paid 933,333 on 02-15 and
//     500,000 on 03-20. At 2026-04-30: outstanding 8,766,667, overdue principal 433,333 + 833,333
//     = 1,266,666, interest 100,000, DPD 46 (31-60, G3, provision round(8,766,667 × 0.2) =
//     1,753,333). At 2026-04-10: overdue principal 433,333, interest 0, DPD 26 (1-30, G2).
//  L2 (M2, C1, G1): 5,000,000 on 2026-01-15: 416,667 principal + 50,000 interest a month, paid
//     466,667 on 02-15, 03-15 and 04-15 (on time). At 04-30: outstanding 5,000,000 − 3 × 416,667
//     = 3,749,999, DPD 0. At 04-10: 4,166,666, DPD 0.
//  L3 (M3, unit C2, group G2), in some tests: 5,000,000 on 2026-01-15, nothing paid. At 04-30:
//     overdue principal 3 × 416,667 = 1,250,001, interest 150,000, DPD 74 (61-90, G3). At 04-10:
//     833,334 and 100,000, DPD 54.
// Ratios by python3 fractions, 4 decimals half-up: 8,766,667 / 12,516,666 = 0.7004;
// 1,266,666 / 12,516,666 = 0.1012; (8,766,667 + 5,000,000) / 17,516,666 = 0.7859;
// 2,516,667 / 17,516,666 = 0.1437; at 04-10 (17,933,333 outstanding): PAR1 13,766,667 → 0.7677,
// PAR30 5,000,000 → 0.2788, overdue ratio 1,266,667 → 0.0706.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <string>
#include <vector>

#include "soquy/ledger.h"
#include "soquy/loan_status.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "soquy/reports/overdue_report.h"
#include "soquy/reports/row_stream.h"
#include "soquy/reports/vbsp_reports.h"
#include <cstdlib>
#include <sstream>
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using reports::OverdueBy;
using test_support::day;
using test_support::failed_with;

Money vnd(std::int64_t v) { return Money(v); }

class OverdueReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    reg_ = std::make_unique<Registry>(*ledger_);
    book_ = std::make_unique<LoanBook>(*ledger_);
    const Date d = day(2020, 1, 1);
    ASSERT_TRUE(reg_->add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
    ASSERT_TRUE(reg_->add_unit({"C1", "An Trường", UnitKind::kCommune, "P", d}));
    ASSERT_TRUE(reg_->add_unit({"C2", "Tân An", UnitKind::kCommune, "P", d}));
    ASSERT_TRUE(reg_->add_group({"G1", "Tổ 1", GroupKind::kCredit, "C1", "", d}));
    ASSERT_TRUE(reg_->add_group({"G2", "Tổ 2", GroupKind::kCredit, "C2", "", d}));
    add_member("M1", "084185000001", "C1", "G1", "Kinh");
    add_member("M2", "084185000002", "C1", "G1", "Khmer");
    add_member("M3", "084185000003", "C2", "G2", "Khmer");
    add_member("M4", "084185000004", "C2", "G2", "Kinh");
    ASSERT_TRUE(book_->deposit(vnd(200'000'000), day(2025, 12, 1), "Vốn", "cap-1"));
    LoanProduct a;
    a.code = "A";
    a.rate = *Rate::parse("1%/month");
    a.installments = 12;
    ASSERT_TRUE(book_->add_product(a));
    ASSERT_TRUE(disburse("L1", "M1", 10'000'000, "G1"));
    ASSERT_TRUE(book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1"));
    ASSERT_TRUE(book_->repay("L1", vnd(500'000), vnd(0), day(2026, 3, 20), "R2"));
    ASSERT_TRUE(disburse("L2", "M2", 5'000'000, "G1"));
    for (auto on : {day(2026, 2, 15), day(2026, 3, 15), day(2026, 4, 15)})
      ASSERT_TRUE(book_->repay("L2", vnd(466'667), vnd(0), on, "R-" + on.to_iso()));
  }
  void add_member(const std::string& id, const std::string& nid, const std::string& unit, const std::string& group,
                  const std::string& ethnicity) {
    MemberSpec s;
    s.id = id;
    s.name = "Nguyễn Thị " + id;
    s.national_id = nid;
    s.unit = unit;
    s.group = group;
    s.ethnicity = ethnicity;
    s.joined = day(2020, 1, 1);
    auto m = reg_->add_member(s);
    ASSERT_TRUE(m) << m.error().message();
  }
  Result<Loan> disburse(const std::string& code, const std::string& member, std::int64_t amount,
                        const std::string& group) {
    auto r = book_->disburse({code, member, "A", group, vnd(amount), day(2026, 1, 15), ""});
    EXPECT_TRUE(r) << r.error().message();
    return r;
  }
  reports::OverdueData collect(Date as_of, OverdueBy by = OverdueBy::kNone, std::optional<Date> rollup = {}) {
    auto d = reports::collect_overdue(*book_, *reg_, as_of, by, rollup.value_or(as_of));
    EXPECT_TRUE(d) << d.error().message();
    return d ? std::move(*d) : reports::OverdueData{};
  }
  reports::Report report(Date as_of, OverdueBy by = OverdueBy::kNone, std::optional<Date> compare = {}) {
    return reports::overdue_report(input(as_of, by, compare));
  }
  reports::OverdueReportInput input(Date as_of, OverdueBy by = OverdueBy::kNone, std::optional<Date> compare = {}) {
    reports::OverdueReportInput in;
    in.by = by;
    in.at = collect(as_of, by);
    if (compare) in.compare_to = collect(*compare, by, as_of);
    auto names = reports::overdue_row_names(*reg_, by, as_of, in.at, in.compare_to);
    EXPECT_TRUE(names) << names.error().message();
    if (names) in.names = *names;
    return in;
  }

  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Registry> reg_;
  std::unique_ptr<LoanBook> book_;
};

TEST_F(OverdueReportTest, VectorTotalsBucketsClassesAndLoans) {
  auto r = report(day(2026, 4, 30));
  const auto& j = r.json;
  EXPECT_EQ(j["as_of"], "2026-04-30");
  EXPECT_EQ(j["currency"], "VND");
  const auto& t = j["totals"];
  EXPECT_EQ(t["loans"], 2);
  EXPECT_EQ(t["loans_overdue"], 1);
  EXPECT_EQ(t["outstanding_principal"], "12516666");  // 8,766,667 + 3,749,999
  EXPECT_EQ(t["overdue_principal"], "1266666");
  EXPECT_EQ(t["overdue_interest"], "100000");
  EXPECT_EQ(t["par1"], "0.7004");
  EXPECT_EQ(t["par30"], "0.7004");
  EXPECT_EQ(t["par90"], "0.0000");
  // Key order exactly as the issue lists it, then what this report adds.
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"as_of", "currency", "totals", "buckets", "classes", "rows", "loans",
                                            "frozen", "written_off", "by"}));
  std::vector<std::string> tkeys;
  for (auto it = t.begin(); it != t.end(); ++it) tkeys.push_back(it.key());
  EXPECT_EQ(tkeys, (std::vector<std::string>{"loans", "loans_overdue", "outstanding_principal", "overdue_principal",
                                             "overdue_interest", "par1", "par30", "par90"}));
  ASSERT_EQ(j["buckets"].size(), 7u);
  EXPECT_EQ(j["buckets"][0], (nlohmann::ordered_json{{"bucket", "current"},
                                                     {"loans", 1},
                                                     {"outstanding_principal", "3749999"},
                                                     {"overdue_principal", "0"}}));
  EXPECT_EQ(j["buckets"][2], (nlohmann::ordered_json{{"bucket", "31-60"},
                                                     {"loans", 1},
                                                     {"outstanding_principal", "8766667"},
                                                     {"overdue_principal", "1266666"}}));
  for (std::size_t i : {1u, 3u, 4u, 5u, 6u}) EXPECT_EQ(j["buckets"][i]["loans"], 0) << i;
  ASSERT_EQ(j["classes"].size(), 5u);
  EXPECT_EQ(j["classes"][0], (nlohmann::ordered_json{
                                 {"class", "G1"}, {"loans", 1}, {"outstanding_principal", "3749999"}, {"provision", "0"}}));
  EXPECT_EQ(j["classes"][2], (nlohmann::ordered_json{{"class", "G3"},
                                                     {"loans", 1},
                                                     {"outstanding_principal", "8766667"},
                                                     {"provision", "1753333"}}));
  EXPECT_TRUE(j["rows"].empty());
  ASSERT_EQ(j["loans"].size(), 1u);  // L2 is current: not listed
  EXPECT_EQ(j["loans"][0], (nlohmann::ordered_json{{"loan", "L1"},
                                                   {"member", "M1"},
                                                   {"group", "G1"},
                                                   {"days_past_due", 46},
                                                   {"bucket", "31-60"},
                                                   {"class", "G3"},
                                                   {"outstanding_principal", "8766667"},
                                                   {"overdue_principal", "1266666"},
                                                   {"overdue_interest", "100000"}}));
  EXPECT_EQ(j["frozen"], (nlohmann::ordered_json{{"loans", 0}, {"outstanding_principal", "0"}}));
  EXPECT_TRUE(j["by"].is_null());
  EXPECT_FALSE(j.contains("compare_to"));
  // Tables: the overdue loans first (and in CSV), then buckets and classes.
  ASSERT_EQ(r.tables.size(), 3u);
  EXPECT_NE(r.tables[0].title.find("Overdue report as of 2026-04-30"), std::string::npos);
  ASSERT_EQ(r.tables[0].rows.size(), 1u);
  EXPECT_EQ(r.tables[0].rows[0][0], "L1");
}

// The replay split over two threads reads the reading command's one snapshot. On SQLite the
// second thread's connection is used only when it reads the same state as the command's (a
// write committed after the command opened leaves the replay to one thread); on the server the
// second connection is given the command's snapshot. Either way the loans are the snapshot's.
TEST_F(OverdueReportTest, ParallelReplayReadsTheSnapshotOfTheCommand) {
  using Outstanding = std::map<std::string, std::int64_t>;
  auto replay = [](Ledger& ledger, int& threads) {
    LoanBook book(ledger);
    std::mutex m;
    Outstanding out;
    threads = book.for_each_snapshot_parallel(day(2026, 4, 30), 2, [&](int, std::int64_t, const LoanSnapshot& s) {
      std::lock_guard<std::mutex> lock(m);
      out[s.loan] = s.position.outstanding_principal.minor_units();
    });
    return out;
  };
  const Outstanding two{{"L1", 8'766'667}, {"L2", 3'749'999}};  // the header's figures at 04-30
  auto reading = db_.open(Ledger::Access::kReadOnly);
  ASSERT_TRUE(reading) << reading.error().message();
  int threads = 0;
  EXPECT_EQ(replay(**reading, threads), two);
  EXPECT_EQ(threads, 2);

  ASSERT_TRUE(disburse("L3", "M3", 5'000'000, "G2"));  // committed after `reading` opened
  EXPECT_EQ(replay(**reading, threads), two);
  EXPECT_EQ(threads, db_.server() ? 2 : 1);

  auto later = db_.open(Ledger::Access::kReadOnly);
  ASSERT_TRUE(later) << later.error().message();
  Outstanding three = two;
  three["L3"] = 5'000'000;
  EXPECT_EQ(replay(**later, threads), three);
  EXPECT_EQ(threads, 2);
}

TEST_F(OverdueReportTest, FrozenAndWrittenOffAreApart) {
  ASSERT_TRUE(disburse("L3", "M3", 5'000'000, "G2"));
  ASSERT_TRUE(disburse("L4", "M4", 3'000'000, "G2"));
  ASSERT_TRUE(book_->freeze("L3", day(2026, 4, 20), "lũ"));
  ASSERT_TRUE(book_->writeoff("L4", day(2026, 4, 25), "mất khả năng trả"));
  auto j = report(day(2026, 4, 30)).json;
  EXPECT_EQ(j["totals"]["loans"], 2);  // L1, L2 only
  EXPECT_EQ(j["totals"]["outstanding_principal"], "12516666");
  EXPECT_EQ(j["totals"]["par30"], "0.7004");
  EXPECT_EQ(j["frozen"], (nlohmann::ordered_json{{"loans", 1}, {"outstanding_principal", "5000000"}}));
  EXPECT_EQ(j["written_off"], (nlohmann::ordered_json{{"loans", 1}, {"outstanding_principal", "3000000"}}));
  EXPECT_EQ(j["loans"].size(), 1u);
  // As of a date before the freeze and the write-off, both are in the portfolio again.
  auto before = report(day(2026, 4, 10)).json;
  EXPECT_EQ(before["totals"]["loans"], 4);
  EXPECT_EQ(before["frozen"]["loans"], 0);
  EXPECT_EQ(before["written_off"]["loans"], 0);
}

TEST_F(OverdueReportTest, RowsByUnitRollUpAcrossAMerge) {
  ASSERT_TRUE(disburse("L3", "M3", 5'000'000, "G2"));
  ASSERT_TRUE(reg_->merge_unit("C2", "C1", day(2026, 4, 20)));
  // Before the merge: C1 (L1, L2) and C2 (L3).
  auto before = report(day(2026, 4, 10), OverdueBy::kUnit).json;
  ASSERT_EQ(before["rows"].size(), 2u);
  EXPECT_EQ(before["rows"][0]["key"], "C1");
  EXPECT_EQ(before["rows"][0]["name"], "An Trường");
  EXPECT_EQ(before["rows"][0]["loans"], 2);
  EXPECT_EQ(before["rows"][0]["outstanding_principal"], "12933333");  // 8,766,667 + 4,166,666
  EXPECT_EQ(before["rows"][1]["key"], "C2");
  EXPECT_EQ(before["rows"][1]["overdue_principal"], "833334");
  EXPECT_EQ(before["rows"][1]["overdue_ratio"], "0.1667");  // 833,334 / 5,000,000
  // After: C2's loan counts in C1.
  auto after = report(day(2026, 4, 30), OverdueBy::kUnit).json;
  ASSERT_EQ(after["rows"].size(), 1u);
  EXPECT_EQ(after["rows"][0]["key"], "C1");
  EXPECT_EQ(after["rows"][0]["loans"], 3);
  EXPECT_EQ(after["rows"][0]["loans_overdue"], 2);
  EXPECT_EQ(after["rows"][0]["outstanding_principal"], "17516666");
  EXPECT_EQ(after["rows"][0]["overdue_principal"], "2516667");
  EXPECT_EQ(after["rows"][0]["overdue_ratio"], "0.1437");
  EXPECT_EQ(after["rows"][0]["par30"], "0.7859");
  EXPECT_EQ(after["totals"]["par30"], "0.7859");
  // Compared with 04-10, the earlier date is rolled into the units of 04-30: one row both times.
  auto cmp = report(day(2026, 4, 30), OverdueBy::kUnit, day(2026, 4, 10)).json;
  ASSERT_EQ(cmp["rows"].size(), 1u);
  EXPECT_EQ(cmp["rows"][0]["compare_to"]["loans"], 3);
  EXPECT_EQ(cmp["rows"][0]["compare_to"]["overdue_principal"], "1266667");  // 433,333 + 833,334
  EXPECT_EQ(cmp["rows"][0]["compare_to"]["overdue_ratio"], "0.0706");
  EXPECT_EQ(cmp["rows"][0]["grew"], true);
}

TEST_F(OverdueReportTest, CompareToFlagsRowsThatGrew) {
  ASSERT_TRUE(disburse("L3", "M3", 5'000'000, "G2"));
  // G2's arrears at 04-10 (833,334 + 100,000 interest) are paid on 04-12 and the 04-15 instalment
  // on time: at 04-30 G2 owes nothing overdue, its overdue fell; G1's grew (433,333 → 1,266,666).
  ASSERT_TRUE(book_->repay("L3", vnd(933'334), vnd(0), day(2026, 4, 12), "R3a"));
  ASSERT_TRUE(book_->repay("L3", vnd(466'667), vnd(0), day(2026, 4, 15), "R3b"));
  auto j = report(day(2026, 4, 30), OverdueBy::kGroup, day(2026, 4, 10)).json;
  ASSERT_EQ(j["rows"].size(), 2u);
  EXPECT_EQ(j["rows"][0]["key"], "G1");
  EXPECT_EQ(j["rows"][0]["name"], "Tổ 1");
  EXPECT_EQ(j["rows"][0]["overdue_principal"], "1266666");
  EXPECT_EQ(j["rows"][0]["compare_to"]["overdue_principal"], "433333");
  EXPECT_EQ(j["rows"][0]["overdue_ratio"], "0.1012");
  EXPECT_EQ(j["rows"][0]["compare_to"]["overdue_ratio"], "0.0335");  // 433,333 / 12,933,333
  EXPECT_EQ(j["rows"][0]["grew"], true);
  EXPECT_EQ(j["rows"][1]["key"], "G2");
  EXPECT_EQ(j["rows"][1]["overdue_principal"], "0");
  EXPECT_EQ(j["rows"][1]["compare_to"]["overdue_principal"], "833334");
  EXPECT_EQ(j["rows"][1]["grew"], false);
  // Totals: 1,266,667 at 04-10, 1,266,666 at 04-30 — the amount fell by 1 đồng, but the
  // outstanding fell more (17,933,333 → 8,766,667 + 3,749,999 + 3,749,999 = 16,266,665), so the
  // ratio grew (0.0706 → 1,266,666 / 16,266,665 = 0.0779): flagged.
  const auto& c = j["compare_to"];
  EXPECT_EQ(c["as_of"], "2026-04-10");
  EXPECT_EQ(c["totals"]["overdue_principal"], "1266667");
  EXPECT_EQ(c["totals"]["par1"], "0.7677");
  EXPECT_EQ(c["totals"]["par30"], "0.2788");
  EXPECT_EQ(j["totals"]["overdue_principal"], "1266666");
  EXPECT_EQ(j["totals"]["outstanding_principal"], "16266665");
  EXPECT_EQ(c["grew"], true);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys.back(), "compare_to");
}

// json and csv are written loan by loan (write_overdue_report, issue 16 item 2): the same bytes
// as the whole report rendered, with and without --by and --compare-to, in every format.
TEST_F(OverdueReportTest, WrittenLoanByLoanIsTheCollectedReport) {
  ASSERT_TRUE(disburse("L3", "M3", 5'000'000, "G2"));  // never repaid: a second overdue loan
  for (OverdueBy by : {OverdueBy::kNone, OverdueBy::kGroup}) {
    for (std::optional<Date> compare : {std::optional<Date>(), std::optional<Date>(day(2026, 4, 10))}) {
      const auto in = input(day(2026, 4, 30), by, compare);
      ASSERT_EQ(in.at.loans.size(), 2u);
      for (auto f : {reports::Format::kJson, reports::Format::kCsv, reports::Format::kTable,
                     reports::Format::kXlsx, reports::Format::kHtml}) {
        SCOPED_TRACE(std::to_string(static_cast<int>(f)) + (compare ? " compare" : "") + std::string(to_string(by)));
        std::ostringstream streamed, collected;
        ASSERT_TRUE(reports::write_overdue_report(in, f, streamed, {}));
        ASSERT_TRUE(reports::render(reports::overdue_report(in), f, collected, {}));
        EXPECT_EQ(streamed.str(), collected.str());
        if (f == reports::Format::kCsv && by == OverdueBy::kNone) {
          EXPECT_NE(streamed.str().find("\r\nL3,M3,G2,"), std::string::npos) << streamed.str();
        }
      }
    }
  }
}

TEST_F(OverdueReportTest, XlsxAndHtmlPastTheRowLimitAreAUsageError) {
  ASSERT_TRUE(disburse("L3", "M3", 5'000'000, "G2"));
  const auto in = input(day(2026, 4, 30));
  ASSERT_EQ(in.at.loans.size(), 2u);
  ::setenv("SOQUY_DOCUMENT_ROW_LIMIT", "1", 1);
  for (auto f : {reports::Format::kXlsx, reports::Format::kHtml}) {
    std::ostringstream out;
    auto r = reports::write_overdue_report(in, f, out, {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind(), ErrorKind::kUsage);
    EXPECT_EQ(out.str(), "");
  }
  std::ostringstream csv;
  EXPECT_TRUE(reports::write_overdue_report(in, reports::Format::kCsv, csv, {}));
  ::setenv("SOQUY_DOCUMENT_ROW_LIMIT", "2", 1);
  std::ostringstream html;
  EXPECT_TRUE(reports::write_overdue_report(in, reports::Format::kHtml, html, {}));
  ::unsetenv("SOQUY_DOCUMENT_ROW_LIMIT");
}

TEST(OverdueGrew, AmountOrRatio) {
  reports::OverdueFigures before, after;
  before.outstanding_principal = vnd(1000);
  before.overdue_principal = vnd(100);
  after = before;
  EXPECT_FALSE(reports::overdue_grew(before, after));  // the same: not grown
  after.overdue_principal = vnd(90);
  after.outstanding_principal = vnd(500);  // 0.18 > 0.10 though the amount fell
  EXPECT_TRUE(reports::overdue_grew(before, after));
  after.outstanding_principal = vnd(2000);
  after.overdue_principal = vnd(101);  // ratio fell (0.0505), amount grew by 1
  EXPECT_TRUE(reports::overdue_grew(before, after));
  after.overdue_principal = vnd(100);  // ratio fell, amount equal
  EXPECT_FALSE(reports::overdue_grew(before, after));
  reports::OverdueFigures empty;  // nothing outstanding: ratio 0
  EXPECT_EQ(empty.overdue_ratio(), Rational(0));
  EXPECT_FALSE(reports::overdue_grew(before, empty));
}

LoanSnapshot snap(std::string code, std::int64_t dpd, std::int64_t outstanding, std::int64_t overdue,
                  LoanStatus status = LoanStatus::kActive) {
  LoanSnapshot s;
  s.loan = std::move(code);
  s.member = "M";
  s.status = status;
  s.position.state = status == LoanStatus::kFrozen       ? LoanState::kFrozen
                     : status == LoanStatus::kWrittenOff ? LoanState::kWrittenOff
                                                         : LoanState::kActive;
  s.position.days_past_due = dpd;
  s.position.outstanding_principal = vnd(outstanding);
  s.position.overdue_principal = vnd(overdue);
  s.position.overdue_interest = vnd(overdue / 10);
  return s;
}

TEST(OverdueAccumulator, MatchesSummarizeAndSortsOverdueLoans) {
  std::vector<LoanSnapshot> snaps = {
      snap("B", 46, 8'766'667, 1'266'666), snap("A", 46, 1'000'000, 100'000), snap("C", 0, 3'749'999, 0),
      snap("D", 1, 500'000, 50'000),       snap("E", 400, 2'000'000, 2'000'000), snap("F", 95, 777'777, 333'333),
      snap("G", 181, 10, 10),              snap("H", 30, 123'457, 11'111),
      snap("Z", 31, 1'000, 10, LoanStatus::kFrozen), snap("Y", 0, 2'000, 0, LoanStatus::kWrittenOff),
      snap("X", 0, 0, 0, LoanStatus::kClosed),  // closed: nowhere
  };
  reports::OverdueAccumulator acc(day(2026, 4, 30));
  std::vector<LoanPosition> positions;
  for (const auto& s : snaps) {
    acc.add(s, s.loan < "E" ? "k1" : "k2");
    if (s.status != LoanStatus::kClosed) positions.push_back(s.position);
  }
  auto d = acc.finish();
  auto sum = summarize(positions);
  EXPECT_EQ(d.totals.loans, sum.loans);
  EXPECT_EQ(d.totals.loans_overdue, sum.loans_overdue);
  EXPECT_EQ(d.totals.outstanding_principal, sum.outstanding_principal);
  EXPECT_EQ(d.totals.overdue_principal, sum.overdue_principal);
  EXPECT_EQ(d.totals.overdue_interest, sum.overdue_interest);
  EXPECT_EQ(d.totals.par(d.totals.at_risk_1), sum.par1);
  EXPECT_EQ(d.totals.par(d.totals.at_risk_30), sum.par30);
  EXPECT_EQ(d.totals.par(d.totals.at_risk_90), sum.par90);
  ASSERT_EQ(d.buckets.size(), sum.buckets.size());
  for (std::size_t i = 0; i < d.buckets.size(); ++i) {
    EXPECT_EQ(d.buckets[i].loans, sum.buckets[i].loans) << i;
    EXPECT_EQ(d.buckets[i].outstanding_principal, sum.buckets[i].outstanding_principal) << i;
    EXPECT_EQ(d.buckets[i].overdue_principal, sum.buckets[i].overdue_principal) << i;
  }
  ASSERT_EQ(d.classes.size(), sum.classes.size());
  for (std::size_t i = 0; i < d.classes.size(); ++i) {
    EXPECT_EQ(d.classes[i].loans, sum.classes[i].loans) << i;
    EXPECT_EQ(d.classes[i].provision, sum.classes[i].provision) << i;
  }
  EXPECT_EQ(d.frozen_loans, sum.frozen_loans);
  EXPECT_EQ(d.frozen_outstanding_principal, sum.frozen_outstanding_principal);
  EXPECT_EQ(d.written_off_loans, sum.written_off_loans);
  EXPECT_EQ(d.written_off_outstanding_principal, sum.written_off_outstanding_principal);
  // By hand: 8 active loans; k1 = A, B, C, D (8,766,667 + 1,000,000 + 3,749,999 + 500,000).
  EXPECT_EQ(d.totals.loans, 8);
  EXPECT_EQ(d.rows.at("k1").loans, 4);
  EXPECT_EQ(d.rows.at("k1").outstanding_principal, vnd(14'016'666));
  EXPECT_EQ(d.rows.at("k2").loans, 4);
  // Overdue loans by DPD descending, then code; C (DPD 0) and the frozen Z are not listed.
  std::vector<std::string> order;
  for (const auto& l : d.loans) order.push_back(l.loan);
  EXPECT_EQ(order, (std::vector<std::string>{"E", "G", "F", "A", "B", "H", "D"}));
  EXPECT_EQ(d.loans[0].loan_class, "G5");
  EXPECT_EQ(d.loans.back().loan_class, "G1");
}

TEST(OverdueBy, Parse) {
  EXPECT_EQ(*reports::parse_overdue_by(""), OverdueBy::kNone);
  EXPECT_EQ(*reports::parse_overdue_by("unit"), OverdueBy::kUnit);
  EXPECT_EQ(*reports::parse_overdue_by("ethnicity"), OverdueBy::kEthnicity);
  EXPECT_TRUE(failed_with(reports::parse_overdue_by("commune"), ErrorKind::kUsage));
}

TEST_F(OverdueReportTest, RowsByProductAndEthnicityAndTables) {
  auto r = report(day(2026, 4, 30), OverdueBy::kEthnicity);
  const auto& rows = r.json["rows"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["key"], "Khmer");  // M2 (L2)
  EXPECT_EQ(rows[0]["overdue_principal"], "0");
  EXPECT_EQ(rows[1]["key"], "Kinh");  // M1 (L1)
  EXPECT_EQ(rows[1]["overdue_principal"], "1266666");
  EXPECT_EQ(r.json["by"], "ethnicity");
  // With --by the rows come first (they are the CSV), then buckets, classes, overdue loans.
  ASSERT_EQ(r.tables.size(), 4u);
  EXPECT_EQ(r.tables[0].columns[0].key, "key");
  ASSERT_EQ(r.tables[0].totals.size(), 1u);
  EXPECT_EQ(r.tables[0].totals[0][0], "Total");
  EXPECT_EQ(r.tables[3].rows.size(), 1u);
  auto p = report(day(2026, 4, 30), OverdueBy::kProduct).json;
  ASSERT_EQ(p["rows"].size(), 1u);
  EXPECT_EQ(p["rows"][0]["key"], "A");
  EXPECT_EQ(p["rows"][0]["loans"], 2);
}

TEST(OverdueTrend, Dates) {
  auto iso = [](const std::vector<Date>& ds) {
    std::vector<std::string> out;
    for (auto d : ds) out.push_back(d.to_iso());
    return out;
  };
  EXPECT_EQ(iso(reports::trend_dates(day(2026, 11, 28), 3)),
            (std::vector<std::string>{"2026-09-30", "2026-10-31", "2026-11-28"}));
  EXPECT_EQ(iso(reports::trend_dates(day(2026, 11, 30), 2)), (std::vector<std::string>{"2026-10-31", "2026-11-30"}));
  EXPECT_EQ(iso(reports::trend_dates(day(2024, 3, 15), 3)),
            (std::vector<std::string>{"2024-01-31", "2024-02-29", "2024-03-15"}));
  EXPECT_EQ(iso(reports::trend_dates(day(2026, 1, 1), 2)), (std::vector<std::string>{"2025-12-31", "2026-01-01"}));
  EXPECT_EQ(reports::trend_dates(day(2026, 12, 31), 12).size(), 12u);
  // A year of month ends: January to December.
  EXPECT_EQ(reports::trend_dates(day(2026, 12, 31), 12).front().to_iso(), "2026-01-31");
  EXPECT_TRUE(reports::trend_dates(day(2026, 1, 1), 0).empty());
}

TEST_F(OverdueReportTest, ParTrendAtMonthEndsByHand) {
  ASSERT_TRUE(disburse("L3", "M3", 5'000'000, "G2"));  // nothing paid
  // By hand (file header): 01-31 all current: 20,000,000, PAR30 0. 02-28: L1 9,166,667, L2
  // 4,583,333, L3 5,000,000 (DPD 13) = 18,750,000, PAR30 0. 03-31: 8,766,667 (DPD 16) + 4,166,666
  // + 5,000,000 (DPD 44) = 17,933,333, at risk 5,000,000 → 0.2788. 04-30: 17,516,666, at risk
  // 8,766,667 + 5,000,000 = 13,766,667 → 0.7859.
  auto trend = reports::collect_trend(*book_, *reg_, day(2026, 4, 30), 4);
  ASSERT_TRUE(trend) << trend.error().message();
  reports::OverdueReportInput in;
  in.at = collect(day(2026, 4, 30));
  in.trend = *trend;
  // Given the report's own data, the last point is taken from it: the same figures.
  auto reused = reports::collect_trend(*book_, *reg_, day(2026, 4, 30), 4, {}, 1, &in.at);
  ASSERT_TRUE(reused);
  ASSERT_EQ(reused->size(), 4u);
  EXPECT_EQ(reused->back().totals.at_risk_30, in.trend.back().totals.at_risk_30);
  const auto r = reports::overdue_report(in);
  const auto& t = r.json["trend"];
  ASSERT_EQ(t.size(), 4u);
  const std::vector<std::tuple<std::string, int, std::string, std::string, std::string>> want = {
      {"2026-01-31", 3, "20000000", "0", "0.0000"},
      {"2026-02-28", 3, "18750000", "0", "0.0000"},
      {"2026-03-31", 3, "17933333", "5000000", "0.2788"},
      {"2026-04-30", 3, "17516666", "13766667", "0.7859"}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(t[i]["as_of"], std::get<0>(want[i])) << i;
    EXPECT_EQ(t[i]["loans"], std::get<1>(want[i])) << i;
    EXPECT_EQ(t[i]["outstanding_principal"], std::get<2>(want[i])) << i;
    EXPECT_EQ(t[i]["at_risk_30"], std::get<3>(want[i])) << i;
    EXPECT_EQ(t[i]["par30"], std::get<4>(want[i])) << i;
  }
  EXPECT_EQ(t[3]["par30"], r.json["totals"]["par30"]);  // the last point is the report's PAR30
  // Tables: loans, buckets (bar chart), trend (line chart), classes.
  ASSERT_EQ(r.tables.size(), 4u);
  ASSERT_TRUE(r.tables[1].chart);
  EXPECT_EQ(r.tables[1].chart->kind, reports::ChartKind::kBars);
  EXPECT_EQ(r.tables[1].chart->value_column, "outstanding_principal");
  ASSERT_TRUE(r.tables[2].chart);
  EXPECT_EQ(r.tables[2].chart->kind, reports::ChartKind::kLine);
  EXPECT_EQ(r.tables[2].rows.size(), 4u);
  EXPECT_EQ(r.tables[2].rows[2], (std::vector<std::string>{"2026-03-31", "3", "17933333", "5000000", "0.2788"}));
  EXPECT_FALSE(r.tables[3].chart);
  // Without a trend: no "trend" key, no trend table.
  in.trend.clear();
  const auto plain = reports::overdue_report(in);
  EXPECT_FALSE(plain.json.contains("trend"));
  EXPECT_EQ(plain.tables.size(), 3u);
}

TEST_F(OverdueReportTest, CompareByUnitHasGroupedBars) {
  ASSERT_TRUE(disburse("L3", "M3", 5'000'000, "G2"));
  const auto r = report(day(2026, 4, 30), OverdueBy::kUnit, day(2026, 4, 10));
  ASSERT_TRUE(r.tables.front().chart);
  const auto& c = *r.tables.front().chart;
  EXPECT_EQ(c.kind, reports::ChartKind::kGroupedBars);
  EXPECT_EQ(c.label_column, "name");
  EXPECT_EQ(c.value_column, "overdue_principal");
  EXPECT_EQ(c.second_column, "compare_overdue_principal");
  EXPECT_EQ(c.value_legend, "On 2026-04-30");
  EXPECT_EQ(c.second_legend, "On 2026-04-10");
  // The columns the chart names exist; without --compare-to there is no such chart.
  std::vector<std::string> keys;
  for (const auto& col : r.tables.front().columns) keys.push_back(col.key);
  for (const auto& k : {c.label_column, c.value_column, c.second_column})
    EXPECT_NE(std::find(keys.begin(), keys.end(), k), keys.end()) << k;
  EXPECT_FALSE(report(day(2026, 4, 30), OverdueBy::kUnit).tables.front().chart);
}

TEST(VbspOverdueChart, ByCommuneThisYearAgainstTheYearBefore) {
  VbspOverdue o;
  o.as_of = day(2026, 10, 31);
  o.compare_to = day(2025, 12, 31);
  o.by = VbspOverdueBy::kCommune;
  VbspOverdueRow c1{"084127", "Kim Sơn", {}, VbspOverdueFigures{}, true};
  c1.now.overdue = vnd(3'000'000);
  c1.before->overdue = vnd(1'000'000);
  VbspOverdueRow c2{"084128", "Tân An", {}, std::nullopt, false};  // not in the earlier statement
  o.rows = {c1, c2};
  auto r = reports::vbsp_overdue(o);
  ASSERT_TRUE(r.tables.at(0).chart);
  EXPECT_EQ(r.tables[0].chart->kind, reports::ChartKind::kGroupedBars);
  std::ostringstream html;
  ASSERT_TRUE(reports::render(r, reports::Format::kHtml, html));
  const std::string page = html.str();
  // Max 3.000.000 → step 1.000.000 (≥ ceil(3.000.000 / 3)), top 3.000.000: 330 px and 110 px;
  // Tân An: 0 now, nothing before → no bar.
  EXPECT_NE(page.find("<rect class=\"bar\" x=\"200\" y=\"45\" width=\"330\" height=\"13\"/>"), std::string::npos) << page;
  EXPECT_NE(page.find("<rect class=\"bar2\" x=\"200\" y=\"59\" width=\"110\" height=\"13\"/>"), std::string::npos);
  EXPECT_NE(page.find(">Kim Sơn</text>"), std::string::npos);
  EXPECT_NE(page.find(">On 2025-12-31<"), std::string::npos) << "English dates are ISO (human_date)";
  std::size_t rects = 0;
  for (auto pos = page.find("<rect"); pos != std::string::npos; pos = page.find("<rect", pos + 1)) ++rects;
  EXPECT_EQ(rects, 4u);  // two legend keys, two bars
  o.by = VbspOverdueBy::kGroup;  // by group: no chart
  EXPECT_FALSE(reports::vbsp_overdue(o).tables.at(0).chart);
}

}  // namespace
}  // namespace soquy
