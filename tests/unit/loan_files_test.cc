// Tests of collection files (loan_files.h) and the collection sheet report: reading (aliases,
// BOM, quotes, CRLF, skipped rows), every bad row listed as FILE:LINE: column: what, a whole
// meeting recorded in one transaction (all or nothing), recording the same file twice, and the
// sheet's amounts (this period's instalment vs arrears vs compulsory savings).
//
// Figures by hand: L1 = schedule A of ../shared/vectors/loans.md under product S (the same terms
// with compulsory savings 1 %/month: round(10,000,000 × 0.01) = 100,000 a month), paid 933,333
// (+ 100,000 savings) on 2026-02-15 and 500,000 on 03-20. At the meeting of 2026-04-15 (the
// period after 03-15): this period = instalment 3 (due 04-15) 933,333; arrears = instalment 2's
// unpaid principal 433,333; savings 100,000; total 1,466,666; DPD 04-15 − 03-15 = 31.
// L2 (product A, no savings) 5,000,000 on 01-15: 416,667 + 50,000 a month, nothing paid: this
// period 466,667, arrears 2 × 466,667 = 933,334, DPD 04-15 − 02-15 = 59.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "soquy/charts.h"
#include "soquy/i18n.h"
#include "soquy/ledger.h"
#include "soquy/loan_files.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "soquy/reports/collection_report.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;
using test_support::TempDir;
using test_support::write_file;

Money vnd(std::int64_t v) { return Money(v); }

TEST(ReadCollectionReceipts, AliasesBomQuotesCrlfAndSkippedRows) {
  TempDir dir;
  const std::string path = dir.file("meeting.csv");
  write_file(path,
             "\xEF\xBB\xBF"
             "Khoản vay,Số tiền,Tiết kiệm,Biên lai\r\n"
             "L1,933333,100000,BL-1\r\n"
             "\"L2\",\"466667\",,\r\n"
             "L3,,,\r\n"      // nothing received: skipped
             ",,,\r\n"        // blank: skipped
             "L4,0,50000,\"BL, 4\"\r\n");
  auto r = read_collection_receipts(path);
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].loan, "L1");
  EXPECT_EQ((*r)[0].amount, vnd(933'333));
  EXPECT_EQ((*r)[0].savings, vnd(100'000));
  EXPECT_EQ((*r)[0].receipt, "BL-1");
  EXPECT_EQ((*r)[0].where, path + ":2");
  EXPECT_EQ((*r)[1].loan, "L2");
  EXPECT_EQ((*r)[1].savings, vnd(0));
  EXPECT_EQ((*r)[1].receipt, "");
  EXPECT_EQ((*r)[2].where, path + ":6");
  EXPECT_EQ((*r)[2].amount, vnd(0));
  EXPECT_EQ((*r)[2].receipt, "BL, 4");
}

TEST(ReadCollectionReceipts, TheSheetsOwnColumnsAreIgnored) {
  TempDir dir;
  const std::string path = dir.file("sheet.csv");
  write_file(path,
             "member,member_name,loan,installment,arrears,savings_due,total,days_past_due,amount,savings\n"
             "M1,Nguyễn Thị M1,L1,933333,433333,100000,1466666,31,1466666,100000\n"
             "M2,Nguyễn Thị M2,L2,466667,933334,0,1400001,59,,\n");
  auto r = read_collection_receipts(path);
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].amount, vnd(1'466'666));
  EXPECT_EQ((*r)[0].savings, vnd(100'000));
}

TEST(ReadCollectionReceipts, EveryBadRowIsListed) {
  TempDir dir;
  const std::string path = dir.file("bad.csv");
  write_file(path,
             "loan,amount,savings\n"
             "L1,1.000,\n"     // 2: ambiguous amount
             ",5,\n"           // 3: no loan
             "L2,-5,\n"        // 4: negative
             "L2,10,x\n"       // 5: bad savings
             "L3,5,\n"         // 6
             "L3,6,\n"         // 7: L3 again without a receipt
             "L4,1,2,3\n");    // 8: too many fields
  auto r = read_collection_receipts(path);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  const std::string& m = r.error().message();
  EXPECT_NE(m.find(path + ": nothing was recorded; 6 problem(s):"), std::string::npos) << m;
  for (const auto& part : {path + ":2: amount: ", path + ":3: loan: empty", path + ":4: amount: -5 is negative",
                           path + ":5: savings: ", path + ":7: loan: loan 'L3' is listed again (line 6)",
                           path + ":8: row: has 4 fields"})
    EXPECT_NE(m.find(part), std::string::npos) << part << "\n" << m;
}

TEST(ReadCollectionReceipts, MissingFileAndBadHeader) {
  TempDir dir;
  EXPECT_TRUE(failed_with(read_collection_receipts(dir.file("none.csv")), ErrorKind::kNoInput));
  write_file(dir.file("h.csv"), "loan,amount,colour\nL1,5,red\n");
  auto r = read_collection_receipts(dir.file("h.csv"));
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_NE(r.error().message().find("unknown column 'colour'"), std::string::npos)
      << r.error().message();
  write_file(dir.file("n.csv"), "loan,savings\nL1,5\n");
  auto n = read_collection_receipts(dir.file("n.csv"));
  ASSERT_TRUE(failed_with(n, ErrorKind::kBadInput));
  EXPECT_NE(n.error().message().find("there is no column amount"), std::string::npos) << n.error().message();
  write_file(dir.file("e.csv"), "");
  EXPECT_TRUE(failed_with(read_collection_receipts(dir.file("e.csv")), ErrorKind::kBadInput));
}

class CollectionTest : public ::testing::Test {
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
    ASSERT_TRUE(reg_->add_group({"G1", "Tổ 1", GroupKind::kCredit, "C1", "", d}));
    ASSERT_TRUE(reg_->add_group({"G2", "Tổ 2", GroupKind::kCredit, "C1", "", d}));
    add_member("M1", "084185000001", "G1");
    add_member("M2", "084185000002", "G1");
    add_member("M3", "084185000003", "G2");
    ASSERT_TRUE(book_->deposit(vnd(200'000'000), day(2025, 12, 1), "Vốn", "cap-1"));
    LoanProduct a;
    a.code = "A";
    a.rate = *Rate::parse("1%/month");
    a.installments = 12;
    ASSERT_TRUE(book_->add_product(a));
    LoanProduct s = a;
    s.code = "S";
    s.savings_rate = *Rate::parse("1%/month");
    ASSERT_TRUE(book_->add_product(s));
    ASSERT_TRUE(book_->disburse({"L1", "M1", "S", "G1", vnd(10'000'000), day(2026, 1, 15), ""}));
    ASSERT_TRUE(book_->repay("L1", vnd(933'333), vnd(100'000), day(2026, 2, 15), "R1"));
    ASSERT_TRUE(book_->repay("L1", vnd(500'000), vnd(0), day(2026, 3, 20), "R2"));
    ASSERT_TRUE(book_->disburse({"L2", "M2", "A", "G1", vnd(5'000'000), day(2026, 1, 15), ""}));
    ASSERT_TRUE(book_->disburse({"L3", "M3", "A", "G2", vnd(5'000'000), day(2026, 1, 15), ""}));
  }
  void add_member(const std::string& id, const std::string& nid, const std::string& group) {
    MemberSpec s;
    s.id = id;
    s.name = "Nguyễn Thị " + id;
    s.national_id = nid;
    s.unit = "C1";
    s.group = group;
    s.joined = day(2020, 1, 1);
    ASSERT_TRUE(reg_->add_member(s));
  }
  std::int64_t entries() {
    std::int64_t n = 0;
    EXPECT_TRUE(ledger_->for_each_entry([&](const Entry&) { ++n; }));
    return n;
  }
  std::size_t events(const std::string& loan) {
    auto e = book_->events(loan);
    EXPECT_TRUE(e);
    return e ? e->size() : 0;
  }
  Money balance(std::string_view account) {
    auto b = ledger_->balance("fund", std::string(account), day(2030, 1, 1));
    EXPECT_TRUE(b);
    return b ? *b : Money(0);
  }

  TempDir dir_;
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Registry> reg_;
  std::unique_ptr<LoanBook> book_;
};

// L1 (product S, 100,000 of savings an instalment) paid instalment 1's savings on 02-15 and none
// since: at the 04-15 meeting instalment 2's (due 03-15) are in arrears (200,000 required before
// the period, 100,000 received) and instalment 3's are this period's: 100,000 each.
TEST_F(CollectionTest, SheetAmountsInstalmentArrearsSavings) {
  auto sheet = book_->collection_sheet("G1", day(2026, 4, 15));
  ASSERT_TRUE(sheet) << sheet.error().message();
  auto j = reports::collection_sheet(*sheet).json;
  EXPECT_EQ(j["group"], "G1");
  EXPECT_EQ(j["group_name"], "Tổ 1");
  EXPECT_EQ(j["date"], "2026-04-15");
  ASSERT_EQ(j["lines"].size(), 2u);
  EXPECT_EQ(j["lines"][0], (nlohmann::ordered_json{{"member", "M1"},
                                                   {"member_name", "Nguyễn Thị M1"},
                                                   {"loan", "L1"},
                                                   {"installment", "933333"},
                                                   {"arrears", "433333"},
                                                   {"savings", "100000"},
                                                   {"savings_arrears", "100000"},
                                                   {"total", "1566666"},
                                                   {"days_past_due", 31},
                                                   {"outstanding_principal", "8766667"}}));
  EXPECT_EQ(j["lines"][1]["loan"], "L2");
  EXPECT_EQ(j["lines"][1]["installment"], "466667");
  EXPECT_EQ(j["lines"][1]["arrears"], "933334");
  EXPECT_EQ(j["lines"][1]["savings"], "0");
  EXPECT_EQ(j["lines"][1]["days_past_due"], 59);
  EXPECT_EQ(j["totals"], (nlohmann::ordered_json{{"installment", "1400000"},
                                                 {"arrears", "1366667"},
                                                 {"savings", "100000"},
                                                 {"savings_arrears", "100000"},
                                                 {"total", "2966667"}}));
  // English, the unit tests' language, then the Vietnamese of the printed sheet (po/vi.po).
  EXPECT_NE(reports::collection_sheet(*sheet).tables.at(0).title.find("Collection sheet for group G1"),
            std::string::npos);
  set_language(Language::kVi);
  const auto report = reports::collection_sheet(*sheet);
  set_language(Language::kEn);
  auto t = report.tables.at(0);
  EXPECT_NE(t.title.find("Phiếu thu nợ tổ G1"), std::string::npos) << t.title;
  EXPECT_EQ(t.columns[3].label, "Kỳ này");
  EXPECT_EQ(t.columns[4].label, "Nợ quá hạn");
  EXPECT_EQ(t.columns[5].label, "Tiết kiệm bắt buộc");
  EXPECT_EQ(t.columns[6].label, "TK còn thiếu");
  EXPECT_EQ(t.columns[7].label, "Tổng phải thu");
  EXPECT_EQ(t.columns.back().key, "prepay");  // blank, to mark a prepayment at the meeting
  // The printable form: the treasurer's and the leader's signatures, the total to collect.
  ASSERT_TRUE(report.form.has_value());
  ASSERT_EQ(report.form->signatures.size(), 2u);
  EXPECT_EQ(report.form->signatures[0].role, "Thủ quỹ");
  EXPECT_EQ(report.form->signatures[1].role, "Tổ trưởng");
  EXPECT_EQ(report.form->fields.back().value, "2.966.667 đồng");
}

TEST_F(CollectionTest, RecordIsAllOrNothing) {
  const std::string path = dir_.file("meeting.csv");
  write_file(path, "loan,amount,savings\nL1,933333,100000\nL3,466667,\nL9,1,\n");
  const auto before = entries();
  auto r = record_collection_file(*book_, "G1", day(2026, 4, 15), path);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  const std::string& m = r.error().message();
  EXPECT_NE(m.find(path + ": nothing was recorded; 2 problem(s):"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":3: loan: loan 'L3' is not a loan of group 'G1' (it is in group 'G2')"), std::string::npos)
      << m;
  EXPECT_NE(m.find(path + ":4: loan: no loan 'L9'"), std::string::npos) << m;
  EXPECT_EQ(entries(), before);
  EXPECT_EQ(events("L1"), 2u);
  // A meeting dated before a loan's extension (a late receipt never crosses one): the good row
  // (L2) is not recorded either.
  ASSERT_TRUE(book_->extend("L1", 3, day(2026, 3, 25), ""));
  write_file(path, "loan,amount\nL2,466667\nL1,933333\n");
  auto early = record_collection_file(*book_, "G1", day(2026, 3, 1), path);
  ASSERT_TRUE(failed_with(early, ErrorKind::kBadInput));
  EXPECT_NE(early.error().message().find(path + ":3: loan: loan 'L1' has an event dated 2026-03-25 (extend), after "
                                                "the meeting (2026-03-01); a late receipt is never placed before a "
                                                "payoff, write-off, recovery, extension or rescheduling"),
            std::string::npos)
      << early.error().message();
  EXPECT_EQ(entries(), before);
  EXPECT_EQ(events("L2"), 0u);
  // Unknown group, and a group given with an empty file: refused / nothing recorded.
  EXPECT_TRUE(failed_with(record_collection_file(*book_, "G9", day(2026, 4, 15), path), ErrorKind::kBadInput));
}

// Issue 12: a row paying more than its loan owes on the meeting's date is a slip unless its
// prepay cell says otherwise; every such row is listed and nothing is recorded. On 2026-04-15
// L1 owes 1,366,666 (433,333 of instalment 2 and instalment 3's 933,333) and L2 1,400,001
// (instalments 1 to 3 of 466,667: 416,667 principal + 50,000 interest).
TEST_F(CollectionTest, AmountsAboveWhatIsDueRefuseTheWholeSheet) {
  const std::string path = dir_.file("meeting.csv");
  write_file(path, "loan,amount,savings\nL1,13666660,100000\nL2,14000010,\n");
  const auto before = entries();
  auto r = record_collection_file(*book_, "G1", day(2026, 4, 15), path);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_EQ(r.error().message(),
            path + ": nothing was recorded; 2 problem(s):\n  " + path +
                ":2: amount: 13666660 is more than loan 'L1' owes on 2026-04-15: 1366666 (instalments due by then and "
                "penalty); if it is a prepayment, say so in column prepay\n  " +
                path +
                ":3: amount: 14000010 is more than loan 'L2' owes on 2026-04-15: 1400001 (instalments due by then and "
                "penalty); if it is a prepayment, say so in column prepay");
  EXPECT_EQ(entries(), before);
  // Two rows of one loan count together: the second goes past what is left after the first.
  write_file(path, "loan,amount,receipt\nL2,1000000,A\nL2,1000000,B\n");
  auto two = record_collection_file(*book_, "G1", day(2026, 4, 15), path);
  ASSERT_TRUE(failed_with(two, ErrorKind::kBadInput));
  EXPECT_NE(two.error().message().find(path + ":3: amount: 1000000 is more than loan 'L2' owes on 2026-04-15: 400001 "
                                              "after the rows above"),
            std::string::npos)
      << two.error().message();
  EXPECT_EQ(two.error().message().find(":2: "), std::string::npos);
  EXPECT_EQ(entries(), before);
  // Marked as a prepayment (Vietnamese header and value), L1's 2,299,999 is recorded: the
  // 1,366,666 due and instalment 4 (100,000 interest, 833,333 principal), not yet due.
  write_file(path, "Khoản vay,Thực thu,Trả trước\nL1,2299999,có\nL2,1400001,không\n");
  auto ok = record_collection_file(*book_, "G1", day(2026, 4, 15), path);
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->created, 2);
  EXPECT_EQ(ok->results[0].event.principal, vnd(433'333 + 833'333 + 833'333));
  EXPECT_EQ(ok->results[0].event.interest, vnd(200'000));
}

TEST(PrepayCell, AcceptedSpellings) {
  for (const char* yes : {"1", "x", "X", "yes", "Yes", "y", "có", "Có", "co", "c"})
    EXPECT_EQ(parse_prepay_cell(yes).value_or(false), true) << yes;
  for (const char* no : {"", "0", "no", "No", "n", "không", "Không", "khong", "k"})
    EXPECT_EQ(parse_prepay_cell(no).value_or(true), false) << no;
  auto bad = parse_prepay_cell("maybe");
  ASSERT_TRUE(failed_with(bad, ErrorKind::kBadInput));
  EXPECT_EQ(bad.error().message(), "'maybe': expected 1, x, yes or có (a prepayment), or 0, no, không or empty");
}

TEST_F(CollectionTest, RecordTwiceChangesNothing) {
  const std::string path = dir_.file("meeting.csv");
  write_file(path, "loan,amount,savings,receipt\nL1,933333,100000,\nL2,466667,,BL-7\n");
  const auto before = entries();
  const Money cash = balance(charts::fund::kCash);
  auto r = record_collection_file(*book_, "G1", day(2026, 4, 15), path);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->created, 2);
  EXPECT_EQ(r->unchanged, 0);
  ASSERT_EQ(r->results.size(), 2u);
  // L1: 433,333 finishes instalment 2, then instalment 3's 100,000 interest and 400,000 principal.
  EXPECT_EQ(r->results[0].event.principal, vnd(833'333));
  EXPECT_EQ(r->results[0].event.interest, vnd(100'000));
  EXPECT_EQ(r->results[0].event.savings, vnd(100'000));
  EXPECT_EQ(r->results[0].event.client_id, "sheet:G1:2026-04-15:L1");
  EXPECT_EQ(r->results[1].event.client_id, "BL-7");
  // L2's 466,667 pays instalment 1 (the oldest): 50,000 interest, 416,667 principal.
  EXPECT_EQ(r->results[1].event.principal, vnd(416'667));
  EXPECT_EQ(entries(), before + 2);
  EXPECT_EQ(balance(charts::fund::kCash), cash + vnd(933'333 + 100'000 + 466'667));
  auto again = record_collection_file(*book_, "G1", day(2026, 4, 15), path);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->unchanged, 2);
  EXPECT_EQ(entries(), before + 2);
  EXPECT_EQ(events("L1"), 3u);
  auto shown = reports::collection_recorded("G1", day(2026, 4, 15), *again).json;
  EXPECT_EQ(shown["unchanged"], 2);
  EXPECT_EQ(shown["totals"]["amount"], "1400000");
  // The same receipt with another amount is refused inside the transaction, after L1's new
  // receipt NEW-1 was written: that write is rolled back.
  write_file(path, "loan,amount,savings,receipt\nL1,100,,NEW-1\nL2,1,,BL-7\n");
  auto other = record_collection_file(*book_, "G1", day(2026, 4, 15), path);
  ASSERT_TRUE(failed_with(other, ErrorKind::kBadInput));
  // The library names the input (receipt), the sheet words it as its column.
  EXPECT_NE(other.error().message().find(path + ":3: receipt: receipt 'BL-7' of loan 'L2' was already recorded"),
            std::string::npos)
      << other.error().message();
  EXPECT_EQ(entries(), before + 2);
  EXPECT_EQ(events("L1"), 3u);
}

}  // namespace
}  // namespace soquy
