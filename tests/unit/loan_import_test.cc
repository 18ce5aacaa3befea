// Tests of `import loans` / `import repayments` (loan_import.h): aliases and BOM, both date
// forms, rows applied by date, idempotency (loan codes, receipts, receipt-less rows keyed by
// content), every bad row listed as FILE:LINE: column: what with nothing written, the header
// and empty-file errors, and the auditor refused.
//
// Figures by hand, product A = schedule A of ../shared/vectors/loans.md: 10,000,000 đồng at
// 1 %/month flat over 12 months → 833,333 principal + 100,000 interest per instalment (933,333),
// due on the 15th from 2026-02-15. A repayment of 933,333 on 02-15 pays instalment 1; 500,000 on
// 03-20 pays instalment 2's interest 100,000, then 400,000 of its principal.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "soquy/charts.h"
#include "soquy/ledger.h"
#include "soquy/loan_import.h"
#include "soquy/loans.h"
#include "soquy/registry.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;
using test_support::TempDir;
using test_support::write_file;

Money vnd(std::int64_t v) { return Money(v); }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class LoanImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    Registry reg(*ledger_);
    const Date d = day(2020, 1, 1);
    ASSERT_TRUE(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
    ASSERT_TRUE(reg.add_unit({"C1", "An Trường", UnitKind::kCommune, "P", d}));
    ASSERT_TRUE(reg.add_group({"G1", "Tổ 1", GroupKind::kCredit, "C1", "", d}));
    for (const auto& [id, nid] : {std::pair{"M1", "084185000001"}, std::pair{"M2", "084185000002"}}) {
      MemberSpec s;
      s.id = id;
      s.name = std::string("Nguyễn Thị ") + id;
      s.national_id = nid;
      s.unit = "C1";
      s.group = "G1";
      s.joined = d;
      ASSERT_TRUE(reg.add_member(s));
    }
    book_ = std::make_unique<LoanBook>(*ledger_);
    ASSERT_TRUE(book_->deposit(vnd(100'000'000), day(2025, 12, 1), "Vốn", "cap-1"));
    LoanProduct a;
    a.code = "A";
    a.rate = *Rate::parse("1%/month");
    a.installments = 12;
    ASSERT_TRUE(book_->add_product(a));
  }
  Money balance(std::string_view account) {
    auto b = ledger_->balance("fund", std::string(account), day(2030, 1, 1));
    EXPECT_TRUE(b) << b.error().message();
    return b ? *b : Money(0);
  }
  std::string csv(const std::string& name, const std::string& text) {
    const std::string path = dir_.file(name);
    write_file(path, text);
    return path;
  }
  // Two loans of 10,000,000 (L1) and 5,000,000 (L2) on 2026-01-15.
  void two_loans() {
    auto r = import_loans(*ledger_, csv("loans.csv", "loan,member,product,amount,date,group\n"
                                                     "L1,M1,A,10000000,2026-01-15,G1\n"
                                                     "L2,M2,A,5000000,15/01/2026,\n"));
    ASSERT_TRUE(r) << r.error().message();
  }
  // The database files' bytes with the ledger closed (a failed import must leave them as they
  // were): closes, reads, reopens. On the server: every table's rows.
  std::string db_bytes() {
    if (db_.server()) return db_.state();
    book_.reset();
    ledger_.reset();
    std::string bytes = slurp(db_.path()) + slurp(db_.path() + "-wal");
    auto l = db_.open();
    EXPECT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    book_ = std::make_unique<LoanBook>(*ledger_);
    return bytes;
  }

  TempDir dir_;
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<LoanBook> book_;
};

namespace fund = charts::fund;

TEST_F(LoanImportTest, LoansWithVietnameseHeaderBomAndBothDateForms) {
  const std::string path = csv("vay.csv",
                               "\xEF\xBB\xBFMã khoản vay,Mã hội viên,Sản phẩm,Số tiền,Ngày giải ngân,Tổ,Ghi chú\r\n"
                               "L1,M1,A,10000000,15/01/2026,G1,\"Mua heo giống, phân bón\"\r\n"
                               "\r\n"
                               "L2,M2,A,5000000,2026-01-20,,\r\n");
  auto r = import_loans(*ledger_, path);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->rows, 2);
  EXPECT_EQ(r->created, 2);
  EXPECT_EQ(r->existing, 0);
  auto l1 = book_->loan("L1");
  ASSERT_TRUE(l1);
  EXPECT_EQ(l1->member, "M1");
  EXPECT_EQ(l1->group, "G1");
  EXPECT_EQ(l1->terms.disbursed_on, day(2026, 1, 15));
  EXPECT_EQ(l1->schedule.installments[0].total, vnd(933'333));
  auto l2 = book_->loan("L2");
  ASSERT_TRUE(l2);
  EXPECT_EQ(l2->group, "");
  EXPECT_EQ(balance(fund::kLoans), vnd(15'000'000));
  EXPECT_EQ(balance(fund::kCash), vnd(100'000'000 - 15'000'000));
  auto e = ledger_->entry("loan:L1:disburse");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->memo, "Mua heo giống, phân bón");

  // The same file again: nothing changes.
  auto again = import_loans(*ledger_, path);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->existing, 2);
  EXPECT_EQ(balance(fund::kLoans), vnd(15'000'000));
}

TEST_F(LoanImportTest, RepaymentsAppliedByDateAndIdempotent) {
  two_loans();
  // Out of date order in the file: the 03-20 row is applied after the 02-15 one.
  const std::string path = csv("thu.csv",
                               "khoản vay,số tiền,ngày trả,tiết kiệm,số biên lai\n"
                               "L1,500000,20/03/2026,,\n"
                               "L1,933333,2026-02-15,,R1\n");
  auto r = import_repayments(*ledger_, path);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->rows, 2);
  EXPECT_EQ(r->created, 2);
  auto events = book_->events("L1");
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].client_id, "R1");
  EXPECT_EQ((*events)[0].principal, vnd(833'333));
  EXPECT_EQ((*events)[0].interest, vnd(100'000));
  EXPECT_EQ((*events)[1].client_id, "import:2026-03-20:500000:0:1");
  EXPECT_EQ((*events)[1].interest, vnd(100'000));
  EXPECT_EQ((*events)[1].principal, vnd(400'000));
  EXPECT_EQ(balance(fund::kLoans), vnd(15'000'000 - 833'333 - 400'000));
  EXPECT_EQ(balance(fund::kInterestIncome), vnd(-200'000));

  auto again = import_repayments(*ledger_, path);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->existing, 2);
  // A renamed, re-sorted copy is the same payments too.
  auto copy = import_repayments(*ledger_, csv("copy.csv",
                                              "loan,amount,date,receipt\n"
                                              "L1,933333,15/02/2026,R1\n"
                                              "L1,500000,2026-03-20,\n"));
  ASSERT_TRUE(copy) << copy.error().message();
  EXPECT_EQ(copy->existing, 2);
  EXPECT_EQ(book_->events("L1")->size(), 2u);
}

TEST_F(LoanImportTest, IdenticalRowsWithoutReceiptAreTwoPayments) {
  two_loans();
  const std::string path = csv("thu.csv",
                               "loan,amount,date,savings\n"
                               "L2,200000,2026-02-15,0\n"
                               "L2,200000,2026-02-15,\n");
  auto r = import_repayments(*ledger_, path);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->created, 2);
  auto events = book_->events("L2");
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].client_id, "import:2026-02-15:200000:0:1");
  EXPECT_EQ((*events)[1].client_id, "import:2026-02-15:200000:0:2");
  auto again = import_repayments(*ledger_, path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->existing, 2);
  EXPECT_EQ(book_->events("L2")->size(), 2u);
  // 5,000,000 over 12 months at 1 %: 416,667 + 50,000 a month; 400,000 paid: 50,000 interest
  // and 350,000 principal of instalment 1.
  EXPECT_EQ(balance(fund::kLoans), vnd(15'000'000 - 350'000));
}

// Issue 12: rows above what their loan owes on their date are refused, all listed, unless the
// prepay column marks them. L1 owes instalment 1 (933,333) on 2026-02-15; L2 (5,000,000) owes
// 466,667 (416,667 + 50,000).
TEST_F(LoanImportTest, RowsAboveWhatIsDueNeedThePrepayColumn) {
  two_loans();
  const std::string before = db_bytes();
  const std::string path = csv("slip.csv",
                               "loan,amount,date,trả trước\n"
                               "L1,9333330,2026-02-15,\n"
                               "L2,466667,2026-02-15,0\n"
                               "L2,4666670,2026-03-15,không\n");
  auto r = import_repayments(*ledger_, path);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  const std::string& m = r.error().message();
  EXPECT_EQ(m.substr(0, m.find('\n')), path + ": nothing was imported; 2 problem(s):");
  EXPECT_NE(m.find(path + ":2: amount: 9333330 is more than loan 'L1' owes on 2026-02-15: 933333"), std::string::npos)
      << m;
  EXPECT_NE(m.find(path + ":4: amount: 4666670 is more than loan 'L2' owes on 2026-03-15: 466667"), std::string::npos)
      << m;
  EXPECT_EQ(db_bytes(), before);
  // Marked as a prepayment it is recorded: L1's 9,333,330 = 10 × 933,333 pays instalments 1 to
  // 10 (8,333,330 of principal); L2's 466,667 its instalment 1 (416,667 of principal).
  auto ok = import_repayments(*ledger_, csv("ok.csv",
                                            "loan,amount,date,prepay\n"
                                            "L1,9333330,2026-02-15,x\n"
                                            "L2,466667,2026-02-15,\n"));
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->created, 2);
  EXPECT_EQ(balance(fund::kLoans), vnd(15'000'000 - 833'333 * 10 - 416'667));
}

TEST_F(LoanImportTest, EveryBadRowIsListedAndNothingIsWritten) {
  two_loans();
  ASSERT_TRUE(book_->repay("L1", vnd(933'333), vnd(0), day(2026, 2, 15), "R1"));
  const std::string before = db_bytes();
  const std::string path = csv("bad.csv",
                               "loan,amount,date,savings,receipt\n"
                               "L1,100000,2026-03-15,,\n"            // fine on its own (instalment 2 due)
                               "L9,100000,2026-03-01,,\n"            // no such loan
                               "L1,1.000,2026-03-02,,\n"             // amount with a separator
                               "L1,100000,31/04/2026,,\n"            // no 31 April
                               ",100000,2026-03-03,,\n"              // empty loan
                               "L1,100000,2026-03-04,-5,\n"          // negative savings
                               "L1,100000\n"                         // short row
                               "L1,5000,2026-03-05,,R1\n"            // R1 used with other content
                               "L2,0,2026-03-06,0,\n"                // nothing received
                               "L1,100000,2026-01-10,,\n"            // before the disbursement
                               "L2,100,2026-03-07,,R 7\n");          // space in the receipt
  auto r = import_repayments(*ledger_, path);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  const std::string& m = r.error().message();
  EXPECT_EQ(m.substr(0, m.find('\n')), path + ": nothing was imported; 10 problem(s):");
  for (const std::string& want : {
           path + ":3: loan: no loan 'L9'",
           path + ":4: amount: '1.000' is not an amount",
           path + ":5: date: '31/04/2026' is not a valid date",
           path + ":6: loan: empty",
           path + ":7: savings: -5 cannot be negative",
           path + ":8: row: has 2 fields but the header has 5 columns",
           path + ":9: receipt: receipt 'R1' of loan 'L1' was already recorded with other content",
           path + ":10: amount: nothing received (amount and savings are 0)",
           path + ":11: date: 2026-01-10 is before the loan was disbursed (2026-01-15)",
           path + ":12: receipt: 'R 7' must not contain spaces or control characters",
       })
    EXPECT_NE(m.find("\n  " + want), std::string::npos) << "missing: " << want << "\nin:\n" << m;
  // Listed in line order.
  EXPECT_LT(m.find(":3: "), m.find(":12: "));
  EXPECT_EQ(m.find(":2: "), std::string::npos);
  EXPECT_EQ(db_bytes(), before);
}

TEST_F(LoanImportTest, BadLoanRowsAreListedAndNothingIsWritten) {
  const std::string before = db_bytes();
  const std::string path = csv("bad.csv",
                               "loan,member,product,amount,date,group,memo\n"
                               "L1,M1,A,10000000,2026-01-15,G1,\n"  // fine
                               "L2,M9,A,1000000,2026-01-15,,\n"     // no such member
                               "L3,M2,Z,1000000,2026-01-15,,\n"     // no such product
                               "L4,M2,A,0,2026-01-15,,\n"           // zero amount
                               "L5,M2,A,1000000,2026-13-01,,\n"     // bad date
                               "L1,M2,A,1000000,2026-01-16,,\n"     // L1 again, other content
                               "L 6,M2,A,1000000,2026-01-16,,\n"    // space in the code
                               "L7,M2,A,1000000,2026-01-16,G9,\n"); // no such group
  auto r = import_loans(*ledger_, path);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  const std::string& m = r.error().message();
  EXPECT_EQ(m.substr(0, m.find('\n')), path + ": nothing was imported; 7 problem(s):");
  for (const std::string& want : {
           path + ":3: member: no member 'M9' in the registry",
           path + ":4: product: no loan product 'Z'",
           path + ":5: amount: 0 must be positive",
           path + ":6: date: ",
           path + ":7: loan: loan 'L1' already exists",
           path + ":8: loan: loan code 'L 6' may hold only",
           path + ":9: group: no group 'G9'",
       })
    EXPECT_NE(m.find("\n  " + want), std::string::npos) << "missing: " << want << "\nin:\n" << m;
  EXPECT_FALSE(book_->loan("L1"));
  EXPECT_EQ(balance(fund::kLoans), vnd(0));
  EXPECT_EQ(db_bytes(), before);
}

TEST_F(LoanImportTest, HeaderAndEmptyFile) {
  auto empty = import_loans(*ledger_, csv("empty.csv", ""));
  ASSERT_TRUE(failed_with(empty, ErrorKind::kBadInput));
  EXPECT_EQ(empty.error().message(),
            dir_.file("empty.csv") + ": the file is empty (expected the header loan,member,product,amount,date,group,memo)");
  auto unknown = import_repayments(*ledger_, csv("u.csv", "loan,amount,date,ghi_chu\nL1,1,2026-01-01,x\n"));
  ASSERT_TRUE(failed_with(unknown, ErrorKind::kBadInput));
  EXPECT_NE(unknown.error().message().find("u.csv:1: header: unknown column 'ghi_chu'"),
            std::string::npos)
      << unknown.error().message();
  auto missing = import_repayments(*ledger_, csv("m.csv", "loan,date\nL1,2026-01-01\n"));
  ASSERT_TRUE(failed_with(missing, ErrorKind::kBadInput));
  EXPECT_NE(missing.error().message().find("there is no column amount"), std::string::npos);
  auto absent = import_loans(*ledger_, dir_.file("nope.csv"));
  EXPECT_TRUE(failed_with(absent, ErrorKind::kNoInput));
}

TEST_F(LoanImportTest, AuditorMayNotImport) {
  two_loans();
  ASSERT_TRUE(ledger_->add_user("kiemtoan", Role::kAuditor));
  ASSERT_TRUE(db_.act_as(ledger_, "kiemtoan"));
  auto r = import_repayments(*ledger_, csv("thu.csv", "loan,amount,date\nL1,933333,2026-02-15\n"));
  EXPECT_TRUE(failed_with(r, ErrorKind::kPermission));
  auto l = import_loans(*ledger_, csv("vay.csv", "loan,member,product,amount,date\nL3,M1,A,1000000,2026-02-15\n"));
  EXPECT_TRUE(failed_with(l, ErrorKind::kPermission));
}

}  // namespace
}  // namespace soquy

namespace soquy {
namespace {

// A balance that would overflow is reported at the row that causes it (the file is recorded a
// second time, balances applied after each row, to find it), not without a line; nothing is
// written. Rows go by date: the overflowing row (line 2, 03-15) comes after line 3's (02-15).
// Line 2 is marked as a prepayment, else the slip guard would refuse it first.
TEST_F(LoanImportTest, ABalanceOverflowIsReportedAtItsRow) {
  two_loans();
  const std::string before = db_bytes();
  auto r = import_repayments(*ledger_, csv("thu.csv",
                                           "loan,amount,date,savings,receipt,prepay\n"
                                           "L1,9223372036854775000,2026-03-15,,R2,x\n"
                                           "L1,933333,2026-02-15,,R1,\n"
                                           "L2,466667,2026-03-20,,R3,\n"));
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  EXPECT_EQ(r.error().message(),
            dir_.file("thu.csv") + ": nothing was imported; 1 problem(s):\n  " + dir_.file("thu.csv") +
                ":2: amount: with repayment 2 of 2026-03-15 (9223372036854775000 đồng) the loan's repayments come "
                "to more than 9223372036854775807 đồng, the largest amount the books hold");
  EXPECT_EQ(db_bytes(), before);
  // Savings that overflow the cash received with the amount name the savings column.
  auto s = import_repayments(*ledger_, csv("s.csv", "loan,amount,date,savings\nL1,1000,2026-02-15,9223372036854775000\n"));
  ASSERT_TRUE(failed_with(s, ErrorKind::kBadInput));
  EXPECT_NE(s.error().message().find("s.csv:2: savings: 9223372036854775000 đồng with the amount's 1000 đồng comes "
                                     "to more than"),
            std::string::npos)
      << s.error().message();
  // The same file without the bad row imports, counted once (the first pass's counts are gone).
  auto ok = import_repayments(*ledger_, csv("ok.csv", "loan,amount,date,receipt\nL1,933333,2026-02-15,R1\n"));
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->created, 1);
}

}  // namespace
}  // namespace soquy
