// VBSP entrustment (vbsp.h): Excel-mangled codes, loan numbers, the bank's HSTD headers, the
// total row, idempotent imports, statement versions, and reconciliation worked by hand.
#include <gtest/gtest.h>
#include <SQLiteCpp/Database.h>
#include <fmt/format.h>

#include <SQLiteCpp/Database.h>

#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "soquy/charts.h"
#include "soquy/ledger.h"
#include "soquy/registry.h"
#include "soquy/reports/row_stream.h"
#include "soquy/reports/vbsp_reports.h"
#include "soquy/vbsp.h"
#include "soquy/vbsp_checks.h"
#include "store.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;
using test_support::TempDir;
using test_support::write_file;

VbspImportOptions in_unit(std::string unit) {
  VbspImportOptions o;
  o.unit = std::move(unit);
  return o;
}

// --- pure helpers ------------------------------------------------------------------------------

TEST(VbspCodes, ExcelNumbersGetTheirWidthBack) {
  EXPECT_EQ(*restore_code("841012.0", kVbspGroupCodeWidth), "0841012");
  EXPECT_EQ(*restore_code("841012", kVbspGroupCodeWidth), "0841012");
  EXPECT_EQ(*restore_code("0841012", kVbspGroupCodeWidth), "0841012");
  EXPECT_EQ(*restore_code("4602.0", kVbspOfficeCodeWidth), "004602");
  EXPECT_EQ(*restore_code(" 841.00 ", kVbspCommuneCodeWidth), "000841");
  EXPECT_EQ(*restore_code("'004601", kVbspOfficeCodeWidth), "004601");
  EXPECT_EQ(*restore_code("TO-01", kVbspGroupCodeWidth), "TO-01");  // not a number: as written
  auto too_long = restore_code("12345678", kVbspGroupCodeWidth);
  ASSERT_TRUE(failed_with(too_long, ErrorKind::kBadInput));
  EXPECT_EQ(too_long.error().message(), "'12345678' has 8 digits; this code has 7");
  EXPECT_TRUE(failed_with(restore_code("", 7), ErrorKind::kBadInput));
  // 841012.5 is not a code Excel made from a whole number: kept as text, never rounded.
  EXPECT_EQ(*restore_code("841012.5", 7), "841012.5");
}

TEST(VbspCodes, LoanNumbers) {
  EXPECT_EQ(*check_loan_no("6001000000000001", 16), "6001000000000001");
  EXPECT_EQ(*check_loan_no("'6001000000000001", 16), "6001000000000001");
  auto short_one = check_loan_no("600100000000001", 16);
  ASSERT_TRUE(failed_with(short_one, ErrorKind::kBadInput));
  EXPECT_EQ(short_one.error().message(), "'600100000000001' has 15 digits; a loan number has 16");
  auto sci = check_loan_no("6.001E+15", 16);
  ASSERT_TRUE(failed_with(sci, ErrorKind::kBadInput));
  EXPECT_NE(sci.error().message().find("written as a number"), std::string::npos);
  EXPECT_TRUE(failed_with(check_loan_no("60010000000000A1", 16), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(check_loan_no("6001000000000001.0", 16), ErrorKind::kBadInput));
  EXPECT_EQ(*check_loan_no("12345678", 8), "12345678");  // the configured length
}

TEST(VbspCodes, BankAmounts) {
  EXPECT_EQ(*parse_bank_amount("1500000.0"), Money(1500000));
  EXPECT_EQ(*parse_bank_amount("1500000"), Money(1500000));
  EXPECT_TRUE(failed_with(parse_bank_amount("1500000.5"), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(parse_bank_amount("1.500.000"), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(parse_bank_amount("1,5e6"), ErrorKind::kBadInput));
}

// --- files ----------------------------------------------------------------------------------------

const std::string kRegister =
    "loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,disbursed_on,amount,maturity_on\n"
    "6001000000000001,841012,HV1,KH001,084180000001,Nguyễn Thị Hòa,1,15/01/2026,30000000,2029-01-15\n"
    "6001000000000002,0841012,HV2,KH002,,Đặng Thị Huệ,19,2026-02-01,20000000,2029-02-01\n"
    "6001000000000003,0841012,HV3,KH003,,Lê Thị Mai,01,2026-03-01,10000000,2028-03-01\n"
    "6001000000000004,0841013,HV4,KH004,,Trần Thị Lan,01,2026-03-01,5000000,2027-03-01\n";

const std::string kTransactions =
    "date,loan_no,kind,amount,receipt_no\n"
    "2026-10-10,6001000000000001,principal,5000000,R1\n"
    "2026-11-10,6001000000000001,interest,180000,R2\n"
    "10/11/2026,6001000000000001,savings-in,200000,R3\n"
    "2026-11-10,6001000000000002,interest,120000,R4\n"
    "2026-11-10,6001000000000002,savings-in,100000,R5\n"
    "2026-11-10,6001000000000003,principal,10000000,R6\n"
    "2026-11-10,6001000000000004,principal,1000000,R7\n";

// The bank's HSTD export as Excel saves it: BOM, two title rows, Vietnamese headers, columns we
// do not use (Lãi suất), codes that lost their zeros, and a total row.
std::string hstd(const std::string& total_outstanding = "53000000", const std::string& loan2 = "6001000000000002") {
  return "\xEF\xBB\xBF"
         "BÁO CÁO CHI TIẾT HỒ SƠ TÍN DỤNG,,,,,,,,,,,,,,,,\n"
         "Tháng 11/2026,,,,,,,,,,,,,,,,\n"
         "Mã PGD,Mã xã,Mã tổ,Mã KH,Tên KH,Số khế ước,Mã chương trình,Ngày vay,Tổng dư nợ,Dư nợ quá hạn,Dư nợ "
         "khoanh,Lãi TT trong tháng,Lãi tồn TH,Lãi tồn QH,Số dư tiền gửi 105,Tình trạng món vay,Lãi suất\n"
         "4601.0,841.0,841012.0,KH001,NGUYEN THI HOA,6001000000000001,1,15/01/2026,25000000,0,0,180000,10000,0,200000,"
         "OPEN,6.6\n"
         "4601,841,0841012,KH002,DANG THI HUE," + loan2 +
         ",19,01/02/2026,20000000,2000000,0,100000,50000,20000,100000,OPEN,7.92\n"
         "4601,841,0841012,KH009,Lê Thị Mai,6001000000000003,1,01/03/2026,0,0,0,0,0,0,0,CLOSE,6.6\n"
         "4601,841,0841014,KH005,Phạm Thị Thu,6001000000000005,1,01/04/2026,8000000,0,0,50000,0,0,0,OPEN,6.6\n"
         ",,,,Tổng cộng,,,," + total_outstanding + ",2000000,0,330000,60000,20000,300000,,\n";
}

TEST(VbspStatementFile, HstdHeadersBomExcelCodesAndTotal) {
  TempDir dir;
  auto path = dir.file("hstd.csv");
  write_file(path, hstd());
  auto f = read_vbsp_statement(path, 16);
  ASSERT_TRUE(f) << f.error().message();
  ASSERT_EQ(f->rows.size(), 4u);
  EXPECT_EQ(f->total_rows, 1);
  EXPECT_TRUE(f->notes.empty());
  const auto& r1 = f->rows[0];
  EXPECT_EQ(r1.loan_no, "6001000000000001");
  EXPECT_EQ(r1.line, 4u);
  EXPECT_EQ(r1.office_code, "004601");
  EXPECT_EQ(r1.commune_code, "000841");
  EXPECT_EQ(r1.group_code, "0841012");
  EXPECT_EQ(r1.programme, "01");
  EXPECT_EQ(r1.borrower_name, "NGUYEN THI HOA");
  EXPECT_EQ(r1.disbursed_on, day(2026, 1, 15));
  EXPECT_EQ(r1.principal_outstanding, Money(25000000));
  EXPECT_EQ(r1.interest_unpaid, Money(10000));
  EXPECT_FALSE(r1.closed);
  const auto& r2 = f->rows[1];
  EXPECT_EQ(r2.principal_overdue, Money(2000000));
  EXPECT_EQ(r2.interest_unpaid, Money(70000));  // Lãi tồn TH 50000 + Lãi tồn QH 20000
  EXPECT_EQ(r2.interest_collected, Money(100000));
  EXPECT_EQ(r2.savings_balance, Money(100000));
  EXPECT_TRUE(f->rows[2].closed);
}

TEST(VbspStatementFile, SubtitleRowsAreSkippedAndNoted) {
  TempDir dir;
  auto path = dir.file("hstd.csv");
  auto text = hstd();
  const auto first = text.find("4601.0,");
  text.insert(first, ",,,,Tổ 0841012 - Nguyễn Thị Hòa,,,,,,,,,,,,\n");  // becomes line 4
  write_file(path, text);
  auto f = read_vbsp_statement(path, 16);
  ASSERT_TRUE(f) << f.error().message();
  EXPECT_EQ(f->rows.size(), 4u);
  EXPECT_EQ(f->rows[0].line, 5u);
  ASSERT_EQ(f->notes.size(), 1u);
  EXPECT_EQ(f->notes[0], path + ":4: a row without loan number or customer code was skipped");
}

TEST(VbspStatementFile, WrongTotalIsReportedAtItsLine) {
  TempDir dir;
  auto path = dir.file("hstd.csv");
  write_file(path, hstd("53000001"));
  auto f = read_vbsp_statement(path, 16);
  ASSERT_TRUE(failed_with(f, ErrorKind::kBadInput));
  EXPECT_EQ(f.error().message(), path + ": nothing was imported; 1 problem(s):\n  " + path +
                                     ":8: principal_outstanding: the total row says 53000001 but the rows above sum "
                                     "to 53000000");
}

TEST(VbspStatementFile, TotalWithoutFiguresIsNotChecked) {
  TempDir dir;
  auto path = dir.file("hstd.csv");
  auto text = hstd();
  text = text.substr(0, text.rfind("Tổng cộng")) + "Tổng cộng,,,,0,0,0,0,0,0,0,,\n";
  write_file(path, text);
  auto f = read_vbsp_statement(path, 16);
  ASSERT_TRUE(f) << f.error().message();
  ASSERT_EQ(f->notes.size(), 1u);
  EXPECT_EQ(f->notes[0], path + ":8: the total row holds no figures (formulas saved without values): not checked");
}

TEST(VbspStatementFile, MalformedLoanNumberNamedWithItsLine) {
  TempDir dir;
  auto path = dir.file("hstd.csv");
  write_file(path, hstd("53000000", "600100000000002"));
  auto f = read_vbsp_statement(path, 16);
  ASSERT_TRUE(failed_with(f, ErrorKind::kBadInput));
  EXPECT_EQ(f.error().message(), path + ": nothing was imported; 1 problem(s):\n  " + path +
                                     ":5: loan_no: '600100000000002' has 15 digits; a loan number has 16");
}

TEST(VbspStatementFile, CanonicalHeaderAndEveryBadRow) {
  TempDir dir;
  auto path = dir.file("st.csv");
  write_file(path,
             "loan_no,group_code,customer_code,borrower_name,programme,disbursed_on,principal_outstanding,"
             "principal_overdue,principal_frozen,interest_collected,interest_unpaid,savings_balance,status\n"
             "6001000000000001,0841012,KH001,Hoa,01,2026-01-15,-5,0,0,0,0,0,OPEN\n"
             "6001000000000001,0841012,KH001,Hoa,01,2026-01-15,5,0,0,0,0,0,SHUT\n");
  auto f = read_vbsp_statement(path, 16);
  ASSERT_TRUE(failed_with(f, ErrorKind::kBadInput));
  EXPECT_EQ(f.error().message(), path + ": nothing was imported; 3 problem(s):\n  " + path +
                                     ":2: principal_outstanding: -5 cannot be negative\n  " + path +
                                     ":3: status: 'SHUT' is not OPEN or CLOSE\n  " + path +
                                     ":3: loan_no: '6001000000000001' is also on line 2");
}

TEST(VbspStatementFile, MappingFileForOtherHeaderNames) {
  TempDir dir;
  auto map = dir.file("map.csv");
  write_file(map, "column,header\nloan_no,Số KU\nprincipal_outstanding,Dư nợ\ninterest_unpaid_current,Nợ lãi TH\n"
                  "interest_unpaid_overdue,Nợ lãi QH\n");
  auto extra = read_vbsp_map(map);
  ASSERT_TRUE(extra) << extra.error().message();
  ASSERT_EQ(extra->size(), 4u);
  auto path = dir.file("st.csv");
  write_file(path,
             "Số KU,Mã tổ,Mã KH,Tên KH,Dư nợ,Dư nợ quá hạn,Lãi TT trong tháng,Nợ lãi TH,Nợ lãi QH,Số dư 105,"
             "Tình trạng món vay\n"
             "6001000000000001,841012,KH1,Hoa,5000000,0,1000,300,200,0,OPEN\n");
  EXPECT_TRUE(failed_with(read_vbsp_statement(path, 16), ErrorKind::kBadInput));  // no loan-number column
  auto f = read_vbsp_statement(path, 16, *extra);
  ASSERT_TRUE(f) << f.error().message();
  ASSERT_EQ(f->rows.size(), 1u);
  EXPECT_EQ(f->rows[0].principal_outstanding, Money(5000000));
  EXPECT_EQ(f->rows[0].interest_unpaid, Money(500));  // 300 + 200
  auto bad = dir.file("bad.csv");
  write_file(bad, "column,header\nloan_number,Số KU\n");
  auto b = read_vbsp_map(bad);
  ASSERT_TRUE(failed_with(b, ErrorKind::kBadInput));
  EXPECT_NE(b.error().message().find(bad + ":2: column: 'loan_number' is not a statement column"), std::string::npos)
      << b.error().message();
}

TEST(VbspStatementFile, NoHeaderInTheFirstRows) {
  TempDir dir;
  auto path = dir.file("st.csv");
  std::string text;
  for (int i = 0; i < 20; ++i) text += "title,x\n";
  write_file(path, text);
  auto f = read_vbsp_statement(path, 16);
  ASSERT_TRUE(failed_with(f, ErrorKind::kBadInput));
  EXPECT_NE(f.error().message().find("in the first 15 rows"), std::string::npos);
}

// --- the engine ----------------------------------------------------------------------------------

class VbspBook : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    Registry reg(*ledger_);
    ASSERT_TRUE(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", day(2020, 1, 1)}));
    ASSERT_TRUE(reg.add_unit({"C1", "Long Đức", UnitKind::kCommune, "P", day(2020, 1, 1)}));
    vbsp_ = std::make_unique<Vbsp>(*ledger_);
  }
  std::string file(const std::string& name, const std::string& text) {
    auto p = dir_.file(name);
    write_file(p, text);
    return p;
  }
  Money balance(std::string_view account, Date d = day(2026, 12, 31)) {
    return *ledger_->balance("entrust", std::string(account), d);
  }
  std::int64_t entries() {
    std::int64_t n = 0;
    EXPECT_TRUE(ledger_->for_each_entry([&](const Entry&) { ++n; }));
    return n;
  }
  void load_all() {
    auto r = vbsp_->import_register(file("register.csv", kRegister), in_unit("C1"));
    ASSERT_TRUE(r) << r.error().message();
    auto t = vbsp_->import_transactions(file("tx.csv", kTransactions));
    ASSERT_TRUE(t) << t.error().message();
    auto s = vbsp_->import_statement(file("hstd.csv", hstd()), day(2026, 11, 1), day(2026, 11, 30));
    ASSERT_TRUE(s) << s.error().message();
  }

  TempDir dir_;
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Vbsp> vbsp_;
};

TEST_F(VbspBook, RegisterCreatesGroupsMembersAndPostsOffBalance) {
  auto r = vbsp_->import_register(file("register.csv", kRegister), in_unit("C1"));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->rows, 4);
  EXPECT_EQ(r->created, 4);
  EXPECT_EQ(r->groups_created, 2);
  EXPECT_EQ(r->members_created, 4);
  // 30 000 000 + 20 000 000 + 10 000 000 + 5 000 000
  EXPECT_EQ(balance(charts::entrust::kVbspLoans), Money(65000000));
  EXPECT_EQ(balance(charts::entrust::kContra), Money(-65000000));
  EXPECT_EQ(balance(charts::entrust::kVbspLoans, day(2026, 2, 28)), Money(50000000));
  Registry reg(*ledger_);
  auto g = reg.group("0841012");  // "841012" restored to 7 characters
  ASSERT_TRUE(g) << g.error().message();
  EXPECT_EQ(g->kind, GroupKind::kVbsp);
  EXPECT_EQ(g->unit, "C1");
  EXPECT_EQ(g->created_on, day(2026, 1, 15));
  auto m = reg.member("HV2", day(2026, 2, 1));
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->national_id, "");  // missing in the register
  EXPECT_EQ(m->groups, std::vector<std::string>{"0841012"});
}

TEST_F(VbspBook, RegisterReimportIsIdempotentAndOtherContentRefused) {
  ASSERT_TRUE(vbsp_->import_register(file("register.csv", kRegister), in_unit("C1")));
  const auto before = entries();
  auto again = vbsp_->import_register(file("register.csv", kRegister), in_unit("C1"));
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->existing, 4);
  EXPECT_EQ(again->groups_created, 0);
  EXPECT_EQ(entries(), before);
  auto changed = kRegister;
  changed.replace(changed.find("30000000"), 8, "31000000");
  auto bad = vbsp_->import_register(file("changed.csv", changed), in_unit("C1"));
  ASSERT_TRUE(failed_with(bad, ErrorKind::kBadInput));
  EXPECT_NE(bad.error().message().find(":2: loan_no: loan 6001000000000001 is already in the register with other "
                                       "content (amount 30000000)"),
            std::string::npos)
      << bad.error().message();
  EXPECT_EQ(entries(), before);
}

TEST_F(VbspBook, RegisterWithVietnameseHeadersAndUnknownGroupWithoutUnit) {
  const auto path = file("dk.csv",
                         "\xEF\xBB\xBFSố khế ước,Mã tổ,Mã hội viên,Mã KH,CCCD,Tên KH,Mã chương trình,Ngày vay,Số tiền "
                         "vay,Ngày đến hạn\n"
                         "6001000000000001,841012,HV1,KH001,84180000001,Nguyễn Thị Hòa,1,15/01/2026,30000000,"
                         "15/01/2029\n");
  auto no_unit = vbsp_->import_register(path, {});
  ASSERT_TRUE(failed_with(no_unit, ErrorKind::kBadInput));
  EXPECT_EQ(no_unit.error().message(),
            path + ": nothing was imported; 1 problem(s):\n  " + path +
                ":2: group_code: unknown group '0841012': give --unit COMMUNE to create it as a VBSP group");
  auto ok = vbsp_->import_register(path, in_unit("C1"));
  ASSERT_TRUE(ok) << ok.error().message();
  Registry reg(*ledger_);
  EXPECT_EQ(reg.member("HV1", day(2026, 1, 15))->national_id, "084180000001");  // 12 digits again
}

TEST_F(VbspBook, RegisterEveryBadRowAndNothingWritten) {
  const auto before = entries();
  const auto path =
      file("bad.csv",
           "loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,disbursed_on,amount,"
           "maturity_on\n"
           "600100000000001,0841012,HV1,KH001,,Hoa,01,2026-01-15,30000000,2029-01-15\n"
           "6001000000000002,0841012,HV2,KH002,,Hue,01,2026-02-30,0,2029-02-01\n"
           "6001000000000003,0841012,HV3,KH003,,Mai,01,2026-03-01,100,2026-03-01\n");
  auto r = vbsp_->import_register(path, in_unit("C1"));
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  const auto& m = r.error().message();
  EXPECT_NE(m.find("4 problem(s)"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":2: loan_no: '600100000000001' has 15 digits; a loan number has 16"), std::string::npos);
  EXPECT_NE(m.find(path + ":3: disbursed_on: "), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":3: amount: 0 must be positive"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":4: maturity_on: 2026-03-01 is not after the disbursement on 2026-03-01"),
            std::string::npos)
      << m;
  EXPECT_EQ(entries(), before);
  EXPECT_FALSE(Registry(*ledger_).group("0841012"));
}

TEST_F(VbspBook, TransactionsPostAndReimportIsIdempotent) {
  ASSERT_TRUE(vbsp_->import_register(file("register.csv", kRegister), in_unit("C1")));
  auto t = vbsp_->import_transactions(file("tx.csv", kTransactions));
  ASSERT_TRUE(t) << t.error().message();
  EXPECT_EQ(t->created, 7);
  // 65 000 000 − (5 000 000 + 10 000 000 + 1 000 000) principal
  EXPECT_EQ(balance(charts::entrust::kVbspLoans), Money(49000000));
  EXPECT_EQ(balance(charts::entrust::kMemberSavings), Money(300000));  // 200 000 + 100 000
  EXPECT_EQ(balance(charts::entrust::kContra), Money(-49300000));
  const auto before = entries();
  auto again = vbsp_->import_transactions(file("tx.csv", kTransactions));
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->existing, 7);
  EXPECT_EQ(entries(), before);
  // `soquy check`: the memo book equals the register and the collections, loan by loan.
  auto c = check_vbsp_memo(*ledger_);
  EXPECT_TRUE(c.ok());
  EXPECT_EQ(c.items, 4);
  // R1 (5,000,000 of principal on loan ...001) reversed in the journal alone on 20/10 (its owner
  // row deleted in SQL, as only a shell can; `soquy reverse` goes through the VBSP book): the
  // register still says 30,000,000 − 5,000,000 = 25,000,000 outstanding, 9121 says 30,000,000.
  db_.tamper(*ledger_, "entry_owners", "entry_owners_no_delete",
             "DELETE FROM entry_owners WHERE entry_id = (SELECT id FROM entries WHERE client_id = 'vbsp:receipt:R1')");
  ASSERT_TRUE(ledger_->reverse("vbsp:receipt:R1", day(2026, 10, 20)));
  c = check_vbsp_memo(*ledger_);
  ASSERT_EQ(c.differences.size(), 1u);
  const auto& d = c.differences[0];
  EXPECT_EQ(d.book, "entrust");
  EXPECT_EQ(d.account, "9121");
  EXPECT_EQ(d.record, "VBSP loan 6001000000000001 (member HV1)");
  EXPECT_EQ(d.expected, Money(25000000));
  EXPECT_EQ(d.actual, Money(30000000));
  EXPECT_EQ(d.date, day(2026, 10, 20));
}

TEST_F(VbspBook, TransactionErrors) {
  ASSERT_TRUE(vbsp_->import_register(file("register.csv", kRegister), in_unit("C1")));
  ASSERT_TRUE(vbsp_->import_transactions(file("tx.csv", kTransactions)));
  const auto before = entries();
  const auto path = file("bad.csv",
                         "date,loan_no,kind,amount,receipt_no\n"
                         "2026-11-10,6001000000000001,interest,999,R2\n"          // R2 recorded with 180000
                         "2026-11-12,6001000000000009,interest,1000,R10\n"        // not in the register
                         "2026-11-12,6001000000000004,principal,4000001,R11\n"    // 4 000 000 left
                         "2026-11-12,6001000000000002,savings-out,100001,R12\n"   // savings 100 000
                         "2026-01-01,6001000000000004,interest,1000,R13\n"        // before 2026-03-01
                         "2026-11-12,6001000000000004,fee,1000,R14\n"
                         "2026-11-12,6001000000000004,interest,1000,R13\n");      // R13 twice in the file
  auto r = vbsp_->import_transactions(path);
  ASSERT_TRUE(failed_with(r, ErrorKind::kBadInput));
  const std::string p = path + ":";
  EXPECT_EQ(r.error().message(),
            path + ": nothing was imported; 7 problem(s):\n  " + p +
                "2: receipt_no: receipt 'R2' is already recorded with other content (loan 6001000000000001, "
                "2026-11-10, interest 180000)\n  " +
                p + "3: loan_no: loan 6001000000000009 is not in the register\n  " + p +
                "4: amount: principal paid on loan 6001000000000004 would reach 5000001, more than the loan's "
                "5000000\n  " +
                p + "5: amount: the member's savings would fall to -1 on 2026-11-12\n  " + p +
                "6: date: 2026-01-01 is before loan 6001000000000004 was disbursed on 2026-03-01\n  " + p +
                "7: kind: 'fee' is not a kind of collection: principal (gốc), interest (lãi), savings-in "
                "(tiết kiệm, gửi tiết kiệm) or savings-out (rút tiết kiệm)\n  " +
                p +
                "8: receipt_no: 'R13' is also on line 6");
  EXPECT_EQ(entries(), before);
}

TEST_F(VbspBook, StatementVersionsAndIdempotency) {
  auto a = vbsp_->import_statement(file("hstd.csv", hstd()), day(2026, 11, 1), day(2026, 11, 30));
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_TRUE(a->created);
  EXPECT_EQ(a->version, 1);
  EXPECT_EQ(a->rows, 4);
  EXPECT_EQ(a->closed, 1);
  auto same = vbsp_->import_statement(file("copy.csv", hstd()), day(2026, 11, 1), day(2026, 11, 30));
  ASSERT_TRUE(same);
  EXPECT_FALSE(same->created);
  EXPECT_EQ(same->version, 1);
  // A corrected statement: loan 5 now has 7 000 000 outstanding (and the total follows).
  auto fixed = hstd("52000000");
  fixed.replace(fixed.find(",8000000,"), 9, ",7000000,");
  auto b = vbsp_->import_statement(file("fixed.csv", fixed), day(2026, 11, 1), day(2026, 11, 30));
  ASSERT_TRUE(b) << b.error().message();
  EXPECT_TRUE(b->created);
  EXPECT_EQ(b->version, 2);
  auto st = vbsp_->statement(day(2026, 11, 30));
  ASSERT_TRUE(st);
  EXPECT_EQ(st->first.version, 2);
  EXPECT_EQ(st->second.back().principal_outstanding, Money(7000000));
  auto none = vbsp_->statement(day(2026, 10, 31));
  ASSERT_TRUE(failed_with(none, ErrorKind::kBadInput));
  EXPECT_EQ(none.error().message(), "there is no VBSP statement as of 2026-10-31 (imported: 2026-11-30)");
  EXPECT_TRUE(failed_with(vbsp_->import_statement(file("x.csv", hstd()), day(2026, 12, 1), day(2026, 11, 30)),
                          ErrorKind::kBadInput));
}

TEST_F(VbspBook, ReconcileWorkedByHand) {
  load_all();
  auto r = vbsp_->reconcile(day(2026, 11, 30));
  ASSERT_TRUE(r) << r.error().message();
  // Loan 1: 30 000 000 − 5 000 000 = 25 000 000 both sides; interest 180 000 both; savings
  //   200 000 both; NGUYEN THI HOA = Nguyễn Thị Hòa → matched.
  // Loan 2: interest 120 000 paid through the group, the bank took 100 000 → interest only.
  // Loan 3: repaid in full and CLOSE at the bank → neither counted nor compared.
  // Loan 4: 5 000 000 − 1 000 000 = 4 000 000 in the register, absent at the bank.
  // Loan 5: 8 000 000 at the bank, absent from the register.
  const auto& s = r->summary;
  EXPECT_EQ(s.loans, 4);
  EXPECT_EQ(s.matched, 1);
  EXPECT_EQ(s.missing_in_ledger, 1);
  EXPECT_EQ(s.missing_in_bank, 1);
  EXPECT_EQ(s.principal_mismatch, 0);
  EXPECT_EQ(s.interest_mismatch, 1);
  EXPECT_EQ(s.savings_mismatch, 0);
  EXPECT_EQ(s.identity_mismatch, 0);
  ASSERT_EQ(r->items.size(), 3u);
  EXPECT_EQ(r->items[0].loan_no, "6001000000000002");
  EXPECT_EQ(r->items[0].issues, std::vector<VbspIssue>{VbspIssue::kInterest});
  EXPECT_EQ(r->items[0].causes[0],
            "interest collected from 2026-11-01 to 2026-11-30 differs: bank 100.000, union 120.000 (bank − union = "
            "-20.000)");
  EXPECT_EQ(r->items[1].loan_no, "6001000000000004");
  EXPECT_EQ(r->items[1].issues, std::vector<VbspIssue>{VbspIssue::kMissingInBank});
  EXPECT_EQ(r->items[1].ledger->principal_outstanding, Money(4000000));
  EXPECT_EQ(r->items[2].loan_no, "6001000000000005");
  EXPECT_EQ(r->items[2].issues, std::vector<VbspIssue>{VbspIssue::kMissingInLedger});
  // One group only: loans 1 and 2 (group 0841012), and loan 3 is skipped.
  auto g = vbsp_->reconcile(day(2026, 11, 30), "0841012");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->summary.loans, 2);
  EXPECT_EQ(g->summary.matched, 1);
}

// json and csv are written item by item (write_vbsp_reconciliation, issue 16 item 2): the same
// bytes as the whole report rendered, with differences and without, in every format; xlsx and
// html stop past the row limit (table lines: one per issue).
TEST_F(VbspBook, ReconciliationWrittenItemByItemIsTheCollectedReport) {
  load_all();
  auto r = vbsp_->reconcile(day(2026, 11, 30));
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->items.size(), 3u);
  VbspReconciliation none = *r;
  none.items.clear();
  for (const auto* recon : {&*r, &none}) {
    for (auto f : {reports::Format::kJson, reports::Format::kCsv, reports::Format::kTable, reports::Format::kXlsx,
                   reports::Format::kHtml}) {
      std::ostringstream streamed, collected;
      ASSERT_TRUE(reports::write_vbsp_reconciliation(*recon, f, streamed, {}));
      ASSERT_TRUE(reports::render(reports::vbsp_reconciliation(*recon), f, collected, {}));
      EXPECT_EQ(streamed.str(), collected.str()) << static_cast<int>(f);
    }
  }
  // Reconciled in two passes, each item written as it is found (`vbsp reconcile`): the same
  // bytes, and the same summary, for every group and for one.
  for (const std::string group : {"", "0841012", "NO-SUCH"}) {
    auto whole = vbsp_->reconcile(day(2026, 11, 30), group);
    ASSERT_TRUE(whole);
    for (auto f : {reports::Format::kJson, reports::Format::kCsv, reports::Format::kHtml}) {
      std::ostringstream streamed, collected;
      auto s = reports::write_vbsp_reconciliation(*vbsp_, day(2026, 11, 30), group, f, streamed, {});
      ASSERT_TRUE(s) << s.error().message();
      EXPECT_EQ(s->loans, whole->summary.loans);
      EXPECT_EQ(s->matched, whole->summary.matched);
      ASSERT_TRUE(reports::render(reports::vbsp_reconciliation(*whole), f, collected, {}));
      EXPECT_EQ(streamed.str(), collected.str()) << group << " " << static_cast<int>(f);
    }
  }
  std::ostringstream csv;
  ASSERT_TRUE(reports::write_vbsp_reconciliation(*r, reports::Format::kCsv, csv, {}));
  EXPECT_NE(csv.str().find("6001000000000005,"), std::string::npos) << csv.str();
  ::setenv("SOQUY_DOCUMENT_ROW_LIMIT", "2", 1);
  std::ostringstream html;
  auto over = reports::write_vbsp_reconciliation(*r, reports::Format::kHtml, html, {});
  ASSERT_TRUE(failed_with(over, ErrorKind::kUsage));
  EXPECT_EQ(html.str(), "");
  ::setenv("SOQUY_DOCUMENT_ROW_LIMIT", "3", 1);
  EXPECT_TRUE(reports::write_vbsp_reconciliation(*r, reports::Format::kHtml, html, {}));
  ::unsetenv("SOQUY_DOCUMENT_ROW_LIMIT");
}

TEST_F(VbspBook, SessionCheckFindsTheGap) {
  load_all();
  // Group 0841012 from 2026-11-01 to 2026-11-20: interest 180 000 + 120 000, savings 200 000 +
  // 100 000 (principal R6 is not a receipt of the leader's) → 600 000 collected.
  auto s = vbsp_->session_check("0841012", day(2026, 11, 20), Money(550000));
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->from, day(2026, 11, 1));
  EXPECT_EQ(s->interest, Money(300000));
  EXPECT_EQ(s->savings, Money(300000));
  EXPECT_EQ(s->receipts, Money(600000));
  EXPECT_EQ(s->gap, Money(50000));
  EXPECT_FALSE(s->ok());
  ASSERT_EQ(s->lines.size(), 2u);
  EXPECT_EQ(s->lines[0].interest, Money(180000));
  EXPECT_EQ(s->lines[0].savings, Money(200000));
  EXPECT_TRUE(vbsp_->session_check("0841012", day(2026, 11, 20), Money(600000))->ok());
  // Receipts after the session date do not count: on 2026-11-09 nothing was collected yet.
  EXPECT_EQ(vbsp_->session_check("0841012", day(2026, 11, 9), Money(0))->receipts, Money(0));
  EXPECT_TRUE(failed_with(vbsp_->session_check("NOPE", day(2026, 11, 20), Money(0)), ErrorKind::kBadInput));
  EXPECT_TRUE(failed_with(vbsp_->session_check("0841012", day(2026, 11, 20), Money(-1)), ErrorKind::kBadInput));
}

TEST_F(VbspBook, Form15ListsTheGroupsLoans) {
  load_all();
  auto f = vbsp_->form_15td("0841012", day(2026, 11, 30));
  ASSERT_TRUE(f) << f.error().message();
  EXPECT_EQ(f->commune, "C1");
  EXPECT_EQ(f->commune_name, "Long Đức");
  // Loan 3 (repaid, CLOSE) is left out; loans 1 and 2 agree.
  ASSERT_EQ(f->lines.size(), 2u);
  EXPECT_EQ(f->lines[1].loan_no, "6001000000000002");
  EXPECT_EQ(f->lines[1].bank_interest_unpaid, Money(70000));
  EXPECT_EQ(f->bank_principal, Money(45000000));       // 25 000 000 + 20 000 000
  EXPECT_EQ(f->bank_interest_unpaid, Money(80000));    // 10 000 + 70 000
  EXPECT_EQ(f->union_savings, Money(300000));          // 200 000 + 100 000
  EXPECT_EQ(f->principal_difference, Money(0));
  EXPECT_EQ(f->loans_with_difference, 0);
  EXPECT_EQ(f->bank_interest_collected, Money(280000));   // 180 000 + 100 000
  EXPECT_EQ(f->union_interest_collected, Money(300000));  // 180 000 + 120 000
  // Group 0841013: loan 4 has 4 000 000 here and nothing at the bank.
  auto g = vbsp_->form_15td("0841013", day(2026, 11, 30));
  ASSERT_TRUE(g);
  ASSERT_EQ(g->lines.size(), 1u);
  EXPECT_FALSE(g->lines[0].bank_principal);
  EXPECT_EQ(g->principal_difference, Money(-4000000));
  EXPECT_EQ(g->loans_with_difference, 1);
}

TEST_F(VbspBook, OverdueAgainstAnEarlierStatement) {
  load_all();
  // 2025-12-31: only loan 1, 30 000 000 with 3 000 000 overdue (ratio 0.1).
  auto old = vbsp_->import_statement(
      file("old.csv",
           "loan_no,group_code,customer_code,borrower_name,principal_outstanding,principal_overdue,"
           "interest_collected,interest_unpaid,savings_balance,status\n"
           "6001000000000001,0841012,KH001,Hoa,30000000,3000000,0,0,0,OPEN\n"),
      day(2025, 12, 1), day(2025, 12, 31));
  ASSERT_TRUE(old) << old.error().message();
  auto o = vbsp_->overdue(day(2026, 11, 30), day(2025, 12, 31), VbspOverdueBy::kGroup);
  ASSERT_TRUE(o) << o.error().message();
  // Now (OPEN rows): 0841012 has 25 000 000 + 20 000 000 with 2 000 000 overdue (ratio 2/45,
  // lower than 0.1 and a lower amount: not grown); 0841014 is new with nothing overdue.
  ASSERT_EQ(o->rows.size(), 2u);
  EXPECT_EQ(o->rows[0].key, "0841012");
  EXPECT_EQ(o->rows[0].now.overdue_ratio(), Rational(2, 45));
  EXPECT_FALSE(o->rows[0].grew);
  EXPECT_FALSE(o->rows[1].before);
  EXPECT_FALSE(o->rows[1].grew);
  EXPECT_FALSE(o->total_grew);
  EXPECT_TRUE(failed_with(vbsp_->overdue(day(2026, 11, 30), day(2024, 12, 31), VbspOverdueBy::kGroup),
                          ErrorKind::kBadInput));
}

// --- reconciliation rules on figures given by hand ----------------------------------------------

VbspLedgerLoan mine(std::string no, std::int64_t outstanding, std::int64_t interest, std::int64_t savings) {
  VbspLedgerLoan l;
  l.loan_no = std::move(no);
  l.group_code = "0841012";
  l.member = "HV";
  l.customer_code = "KH1";
  l.borrower_name = "Đặng Thị Huệ";
  l.principal_outstanding = Money(outstanding);
  l.interest_collected = Money(interest);
  l.savings_balance = Money(savings);
  return l;
}

VbspBankRow theirs(std::string no, std::int64_t outstanding, std::int64_t interest, std::int64_t savings,
                   bool closed = false) {
  VbspBankRow b;
  b.loan_no = std::move(no);
  b.group_code = "0841012";
  b.customer_code = "KH1";
  b.borrower_name = "DANG  THI HUE";
  b.principal_outstanding = Money(outstanding);
  b.interest_collected = Money(interest);
  b.savings_balance = Money(savings);
  b.closed = closed;
  return b;
}

TEST(VbspReconcileRules, EveryDifferenceKind) {
  std::vector<VbspLedgerLoan> l = {
      mine("A", 1000, 10, 50),   // matches (names differ only in case, diacritics, spaces)
      mine("B", 1000, 10, 50),   // principal: bank 900
      mine("C", 1000, 10, 50),   // savings: bank 70; interest: bank 0
      mine("D", 1000, 10, 50),   // identity: customer code and name
      mine("E", 500, 0, 0),      // CLOSE at the bank but 500 outstanding here
      mine("F", 0, 0, 0),        // repaid, absent at the bank: skipped
      mine("G", 0, 0, 0),        // repaid here, still 300 at the bank
  };
  std::vector<VbspBankRow> b = {theirs("A", 1000, 10, 50), theirs("B", 900, 10, 50), theirs("C", 1000, 0, 70),
                                theirs("D", 1000, 10, 50), theirs("E", 0, 0, 0, true), theirs("G", 300, 0, 0),
                                theirs("H", 0, 0, 0, true)};  // closed and unknown here: skipped
  b[3].customer_code = "KH2";
  b[3].borrower_name = "Đặng Thị Hoa";
  auto r = reconcile_vbsp(l, b, day(2026, 11, 1), day(2026, 11, 30));
  EXPECT_EQ(r.summary.loans, 6);  // A B C D E G
  EXPECT_EQ(r.summary.matched, 1);
  EXPECT_EQ(r.summary.principal_mismatch, 3);  // B, E, G
  EXPECT_EQ(r.summary.interest_mismatch, 1);   // C
  EXPECT_EQ(r.summary.savings_mismatch, 1);    // C
  EXPECT_EQ(r.summary.identity_mismatch, 1);   // D
  EXPECT_EQ(r.summary.missing_in_bank, 0);
  EXPECT_EQ(r.summary.missing_in_ledger, 0);
  ASSERT_EQ(r.items.size(), 5u);
  EXPECT_EQ(r.items[0].causes[0], "principal outstanding differs: bank 900, union 1.000 (bank − union = -100)");
  EXPECT_EQ(r.items[1].issues, (std::vector<VbspIssue>{VbspIssue::kInterest, VbspIssue::kSavings}));
  EXPECT_EQ(r.items[1].causes[1], "savings differ: bank 70, union 50 (bank − union = 20)");
  EXPECT_EQ(r.items[2].causes[0], "customer code: bank KH2, union KH1; name: bank 'Đặng Thị Hoa', union 'Đặng Thị Huệ'");
  EXPECT_EQ(r.items[3].causes[0], "status differs: CLOSE at the bank, the union's register has 500 outstanding");
  EXPECT_EQ(r.items[4].causes[0], "repaid in full in the union's register, the bank has 300 outstanding");
  EXPECT_FALSE(r.all_match());
}

TEST(VbspOverdueRule, GrowthFlaggedYearOnYear) {
  auto row = [](std::string group, std::int64_t out, std::int64_t overdue, bool closed = false) {
    VbspBankRow b;
    b.group_code = std::move(group);
    b.principal_outstanding = Money(out);
    b.principal_overdue = Money(overdue);
    b.closed = closed;
    return b;
  };
  // Now: A 10 000 000 with 1 000 000 overdue (ratio 0.1); B 5 000 000, nothing overdue.
  // Before: A 10 000 000 / 500 000 (0.05); B 4 000 000 / 200 000; C closed (ignored).
  std::vector<VbspBankRow> now = {row("A", 6000000, 1000000), row("A", 4000000, 0), row("B", 5000000, 0)};
  std::vector<VbspBankRow> before = {row("A", 10000000, 500000), row("B", 4000000, 200000),
                                     row("C", 1000000, 1000000, true)};
  auto o = compare_vbsp_overdue(now, before, day(2026, 11, 30), day(2025, 12, 31), VbspOverdueBy::kGroup);
  ASSERT_EQ(o.rows.size(), 2u);
  EXPECT_EQ(o.rows[0].key, "A");
  EXPECT_EQ(o.rows[0].now.loans, 2);
  EXPECT_EQ(o.rows[0].now.overdue_ratio(), Rational(1, 10));
  EXPECT_TRUE(o.rows[0].grew);
  EXPECT_FALSE(o.rows[1].grew);
  // Totals: 1 000 000 / 15 000 000 now against 700 000 / 14 000 000 before → grew.
  EXPECT_EQ(o.total_now.overdue, Money(1000000));
  EXPECT_EQ(o.total_before.overdue, Money(700000));
  EXPECT_EQ(o.total_now.overdue_ratio(), Rational(1, 15));
  EXPECT_TRUE(o.total_grew);
  EXPECT_EQ(vbsp_programme_name("19"), "Hộ cận nghèo");
}

// --- corrections (issue 12) ------------------------------------------------------------------------

class VbspCorrection : public VbspBook {
 protected:
  Result<CorrectionResult> reverse(const std::string& ref) {
    auto e = ledger_->entry(ref);
    EXPECT_TRUE(e) << e.error().message();
    if (!e) return fail(e.error());
    return vbsp_->reverse_entry(*e, ReversalRequest{e->date, "nhập nhầm biên lai (wrong receipt)", ""});
  }
  std::int64_t id_of(const std::string& client_id) { return ledger_->entry(client_id)->id; }
};

TEST_F(VbspCorrection, CollectionReversedTheMemoBookAndTheReconciliationFollow) {
  load_all();
  // Loan 1's register posting has transactions: refused, naming the first (R1).
  auto loan1 = reverse("vbsp:loan:6001000000000001");
  ASSERT_TRUE(failed_with(loan1, ErrorKind::kBadInput));
  EXPECT_NE(loan1.error().message().find(fmt::format("receipt R1 on 2026-10-10, entry #{}", id_of("vbsp:receipt:R1"))),
            std::string::npos)
      << loan1.error().message();
  // R1 (5,000,000 of principal on loan 1, 2026-10-10) reversed on its own date.
  auto r = reverse("vbsp:receipt:R1");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->entries.at(0).date, day(2026, 10, 10));
  // 9121: 65,000,000 lent, principal 10,000,000 (R6) + 1,000,000 (R7) → 54,000,000.
  EXPECT_EQ(balance(charts::entrust::kVbspLoans), Money(54000000));
  EXPECT_EQ(balance(charts::entrust::kVbspLoans, day(2026, 10, 10)), Money(65000000));
  auto c = check_vbsp_memo(*ledger_);
  EXPECT_TRUE(c.ok()) << (c.differences.empty() ? "" : c.differences[0].record);
  // The reconciliation: loan 1 is 30,000,000 in the register against the bank's 25,000,000.
  auto rec = vbsp_->reconcile(day(2026, 11, 30));
  ASSERT_TRUE(rec) << rec.error().message();
  EXPECT_EQ(rec->summary.matched, 0);
  EXPECT_EQ(rec->summary.principal_mismatch, 1);
  ASSERT_FALSE(rec->items.empty());
  EXPECT_EQ(rec->items[0].loan_no, "6001000000000001");
  EXPECT_EQ(rec->items[0].ledger->principal_outstanding, Money(30000000));
  // The same file again: R1 is there (reversed), nothing is written.
  const auto before = entries();
  auto again = vbsp_->import_transactions(file("tx.csv", kTransactions));
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(entries(), before);
}

TEST_F(VbspCorrection, SavingsInUsedByALaterSavingsOutAndALoanWithTransactionsAreRefused) {
  load_all();
  // HV1: savings-in 200,000 (R3, 2026-11-10), then savings-out 150,000 (R8, 2026-11-20).
  ASSERT_TRUE(vbsp_->import_transactions(
      file("tx2.csv", "date,loan_no,kind,amount,receipt_no\n2026-11-20,6001000000000001,savings-out,150000,R8\n")));
  auto r3 = reverse("vbsp:receipt:R3");
  ASSERT_TRUE(failed_with(r3, ErrorKind::kBadInput));
  EXPECT_NE(r3.error().message().find("savings-out R8"), std::string::npos) << r3.error().message();
  // Loan 4 (5,000,000, repaid 1,000,000 by R7): its posting is refused until R7 is reversed.
  EXPECT_TRUE(failed_with(reverse("vbsp:loan:6001000000000004"), ErrorKind::kBadInput));
  ASSERT_TRUE(reverse("vbsp:receipt:R7"));
  auto loan4 = reverse("vbsp:loan:6001000000000004");
  ASSERT_TRUE(loan4) << loan4.error().message();
  // Loan 4 leaves the register: 65,000,000 − 5,000,000 − R1 5,000,000 − R6 10,000,000 = 45,000,000.
  EXPECT_EQ(balance(charts::entrust::kVbspLoans), Money(45000000));
  EXPECT_TRUE(check_vbsp_memo(*ledger_).ok());
  auto rec = vbsp_->reconcile(day(2026, 11, 30));
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->summary.missing_in_bank, 0);
}

}  // namespace
}  // namespace soquy
