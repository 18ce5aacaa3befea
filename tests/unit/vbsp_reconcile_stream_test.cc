// Vbsp::reconcile reads the register and the statement by loan number and merges them one loan
// at a time (issue 6, the 1,000,000-loan benchmark). These cases prove it gives what the rules
// give (reconcile_vbsp on ledger_loans and statement) on every kind of loan, and check the
// result against figures worked by hand.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "soquy/ledger.h"
#include "soquy/registry.h"
#include "soquy/vbsp.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::TempDir;
using test_support::write_file;

// L01, L02: one member (HV1) with two loans; her savings 300 000 + 100 000 − 50 000 = 350 000
//   count on both. L04 repaid, absent at the bank; L05 repaid, CLOSE; L06 repaid, OPEN at the
//   bank with 1 000 000; L07 CLOSE at the bank, 8 000 000 outstanding here; L08 disbursed after
//   the statement date; L09 another customer code and group at the bank; L10 another name;
//   L13 absent at the bank.
const std::string kRegister =
    "loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,disbursed_on,amount,maturity_on\n"
    "6001000000000001,0841012,HV1,KH001,,Nguyễn Thị Hòa,01,2026-01-15,30000000,2029-01-15\n"
    "6001000000000002,0841012,HV1,KH001,,Nguyễn Thị Hòa,19,2026-03-01,10000000,2028-03-01\n"
    "6001000000000003,0841012,HV2,KH002,,Đặng Thị Huệ,01,2026-02-01,20000000,2029-02-01\n"
    "6001000000000004,0841013,HV3,KH003,,Lê Thị Mai,01,2026-02-01,10000000,2028-02-01\n"
    "6001000000000005,0841013,HV4,KH004,,Trần Thị Lan,01,2026-02-01,5000000,2028-02-01\n"
    "6001000000000006,0841013,HV5,KH005,,Phạm Thị Thu,01,2026-02-01,6000000,2028-02-01\n"
    "6001000000000007,0841013,HV6,KH006,,Võ Thị Hồng,01,2026-02-01,8000000,2028-02-01\n"
    "6001000000000008,0841012,HV7,KH007,,Bùi Thị Yến,01,2026-12-10,7000000,2029-12-10\n"
    "6001000000000009,0841013,HV8,KH008,,Hồ Thị Cúc,01,2026-02-01,4000000,2028-02-01\n"
    "6001000000000010,0841013,HV9,KH009,,Ngô Thị Liên,01,2026-02-01,4000000,2028-02-01\n"
    "6001000000000013,0841012,HV10,KH012,,Dương Thị Nga,01,2026-02-01,9000000,2028-02-01\n";

// Dated after 2026-11-30 (R7–R9) or before the period (R2): not counted.
const std::string kTransactions =
    "date,loan_no,kind,amount,receipt_no\n"
    "2026-05-10,6001000000000001,principal,3000000,R1\n"
    "2026-10-10,6001000000000001,interest,100000,R2\n"
    "2026-11-10,6001000000000001,interest,150000,R3\n"
    "2026-06-10,6001000000000001,savings-in,300000,R4\n"
    "2026-11-12,6001000000000002,savings-in,100000,R5\n"
    "2026-11-20,6001000000000002,savings-out,50000,R6\n"
    "2026-12-05,6001000000000001,principal,1000000,R7\n"
    "2026-12-05,6001000000000001,interest,99000,R8\n"
    "2026-12-05,6001000000000002,savings-in,77000,R9\n"
    "2026-06-01,6001000000000004,principal,10000000,R10\n"
    "2026-06-01,6001000000000005,principal,5000000,R11\n"
    "2026-06-01,6001000000000006,principal,6000000,R12\n"
    "2026-11-15,6001000000000003,interest,200000,R13\n"
    "2026-11-15,6001000000000003,principal,2000000,R14\n";

// Rows out of loan-number order on purpose. L11 is in no register (missing in the ledger), L12
// is CLOSE and in no register (not counted). `l03_interest` is the bank's interest on L03.
std::string statement(const std::string& l03_interest) {
  return "loan_no,group_code,customer_code,borrower_name,programme,disbursed_on,principal_outstanding,"
         "principal_overdue,principal_frozen,interest_collected,interest_unpaid,savings_balance,status\n"
         "6001000000000010,0841013,KH009,NGO THI LAN,01,2026-02-01,4000000,0,0,0,0,0,OPEN\n"
         "6001000000000001,0841012,KH001,NGUYEN THI HOA,01,2026-01-15,27000000,0,0,150000,0,350000,OPEN\n"
         "6001000000000002,0841012,KH001,Nguyễn  Thị Hòa,19,2026-03-01,10000000,0,0,0,0,350000,OPEN\n"
         "6001000000000003,0841012,KH002,Đặng Thị Huệ,01,2026-02-01,18000000,0,0," + l03_interest +
         ",30000,10000,OPEN\n"
         "6001000000000005,0841013,KH004,Trần Thị Lan,01,2026-02-01,0,0,0,0,0,0,CLOSE\n"
         "6001000000000006,0841013,KH005,Phạm Thị Thu,01,2026-02-01,1000000,1000000,0,0,0,0,OPEN\n"
         "6001000000000007,0841013,KH006,Võ Thị Hồng,01,2026-02-01,8000000,0,0,0,0,0,CLOSE\n"
         "6001000000000009,0841012,KH018,HO THI CUC,01,2026-02-01,4000000,0,0,0,0,0,OPEN\n"
         "6001000000000012,0841013,KH011,Lý Thị Đào,01,2025-02-01,0,0,0,0,0,0,CLOSE\n"
         "6001000000000011,0841013,KH010,Lý Thị Mai,01,2026-02-01,3000000,0,0,0,0,0,OPEN\n";
}

class VbspReconcileStream : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    Registry reg(*ledger_);
    ASSERT_TRUE(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", day(2020, 1, 1)}));
    ASSERT_TRUE(reg.add_unit({"C1", "Long Đức", UnitKind::kCommune, "P", day(2020, 1, 1)}));
    vbsp_ = std::make_unique<Vbsp>(*ledger_);
    VbspImportOptions o;
    o.unit = "C1";
    auto r = vbsp_->import_register(file("register.csv", kRegister), o);
    ASSERT_TRUE(r) << r.error().message();
    auto t = vbsp_->import_transactions(file("tx.csv", kTransactions));
    ASSERT_TRUE(t) << t.error().message();
    auto s = vbsp_->import_statement(file("st.csv", statement("180000")), day(2026, 11, 1), day(2026, 11, 30));
    ASSERT_TRUE(s) << s.error().message();
  }
  std::string file(const std::string& name, const std::string& text) {
    auto p = dir_.file(name);
    write_file(p, text);
    return p;
  }
  // What the rules give on the whole register and statement in memory.
  VbspReconciliation in_memory(Date as_of, const std::string& group = "") {
    auto st = vbsp_->statement(as_of);
    EXPECT_TRUE(st) << st.error().message();
    auto mine = vbsp_->ledger_loans(st->first.period_from, as_of);
    EXPECT_TRUE(mine);
    auto r = reconcile_vbsp(*mine, st->second, st->first.period_from, as_of, group);
    r.statement_version = st->first.version;
    return r;
  }
  static void expect_same(const VbspReconciliation& a, const VbspReconciliation& b) {
    EXPECT_EQ(a.as_of, b.as_of);
    EXPECT_EQ(a.period_from, b.period_from);
    EXPECT_EQ(a.statement_version, b.statement_version);
    EXPECT_EQ(a.group, b.group);
    const auto &s = a.summary, &t = b.summary;
    EXPECT_EQ(s.loans, t.loans);
    EXPECT_EQ(s.matched, t.matched);
    EXPECT_EQ(s.missing_in_ledger, t.missing_in_ledger);
    EXPECT_EQ(s.missing_in_bank, t.missing_in_bank);
    EXPECT_EQ(s.principal_mismatch, t.principal_mismatch);
    EXPECT_EQ(s.interest_mismatch, t.interest_mismatch);
    EXPECT_EQ(s.savings_mismatch, t.savings_mismatch);
    EXPECT_EQ(s.identity_mismatch, t.identity_mismatch);
    ASSERT_EQ(a.items.size(), b.items.size());
    for (std::size_t i = 0; i < a.items.size(); ++i) {
      const auto &x = a.items[i], &y = b.items[i];
      SCOPED_TRACE(x.loan_no);
      EXPECT_EQ(x.loan_no, y.loan_no);
      EXPECT_EQ(x.group_code, y.group_code);
      EXPECT_EQ(x.issues, y.issues);
      EXPECT_EQ(x.causes, y.causes);
      ASSERT_EQ(x.bank.has_value(), y.bank.has_value());
      if (x.bank) {
        EXPECT_EQ(x.bank->loan_no, y.bank->loan_no);
        EXPECT_EQ(x.bank->line, y.bank->line);
        EXPECT_EQ(x.bank->group_code, y.bank->group_code);
        EXPECT_EQ(x.bank->customer_code, y.bank->customer_code);
        EXPECT_EQ(x.bank->borrower_name, y.bank->borrower_name);
        EXPECT_EQ(x.bank->programme, y.bank->programme);
        EXPECT_EQ(x.bank->disbursed_on, y.bank->disbursed_on);
        EXPECT_EQ(x.bank->principal_outstanding, y.bank->principal_outstanding);
        EXPECT_EQ(x.bank->principal_overdue, y.bank->principal_overdue);
        EXPECT_EQ(x.bank->interest_collected, y.bank->interest_collected);
        EXPECT_EQ(x.bank->interest_unpaid, y.bank->interest_unpaid);
        EXPECT_EQ(x.bank->savings_balance, y.bank->savings_balance);
        EXPECT_EQ(x.bank->closed, y.bank->closed);
      }
      ASSERT_EQ(x.ledger.has_value(), y.ledger.has_value());
      if (x.ledger) {
        EXPECT_EQ(x.ledger->loan_no, y.ledger->loan_no);
        EXPECT_EQ(x.ledger->group_code, y.ledger->group_code);
        EXPECT_EQ(x.ledger->member, y.ledger->member);
        EXPECT_EQ(x.ledger->customer_code, y.ledger->customer_code);
        EXPECT_EQ(x.ledger->borrower_name, y.ledger->borrower_name);
        EXPECT_EQ(x.ledger->programme, y.ledger->programme);
        EXPECT_EQ(x.ledger->disbursed_on, y.ledger->disbursed_on);
        EXPECT_EQ(x.ledger->amount, y.ledger->amount);
        EXPECT_EQ(x.ledger->principal_outstanding, y.ledger->principal_outstanding);
        EXPECT_EQ(x.ledger->interest_collected, y.ledger->interest_collected);
        EXPECT_EQ(x.ledger->savings_balance, y.ledger->savings_balance);
      }
    }
  }

  TempDir dir_;
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Vbsp> vbsp_;
};

TEST_F(VbspReconcileStream, WorkedByHand) {
  auto r = vbsp_->reconcile(day(2026, 11, 30));
  ASSERT_TRUE(r) << r.error().message();
  // Counted: L01 L02 L03 L06 L07 L09 L10 L11 L13 (9). Not: L04 (repaid, absent), L05 (repaid,
  // CLOSE), L08 (disbursed 2026-12-10, absent), L12 (CLOSE, no register).
  const auto& s = r->summary;
  EXPECT_EQ(s.loans, 9);
  EXPECT_EQ(s.matched, 2);  // L01: 30 000 000 − 3 000 000; 150 000; 350 000. L02: 10 000 000; 0; 350 000
  EXPECT_EQ(s.missing_in_ledger, 1);   // L11
  EXPECT_EQ(s.missing_in_bank, 1);     // L13
  EXPECT_EQ(s.principal_mismatch, 2);  // L06 repaid here, L07 CLOSE there
  EXPECT_EQ(s.interest_mismatch, 1);   // L03: 180 000 at the bank, 200 000 here
  EXPECT_EQ(s.savings_mismatch, 1);    // L03: 10 000 at the bank, 0 here
  EXPECT_EQ(s.identity_mismatch, 2);   // L09 customer code and group, L10 name
  std::vector<std::string> loans;
  for (const auto& it : r->items) loans.push_back(it.loan_no.substr(14));
  EXPECT_EQ(loans, (std::vector<std::string>{"03", "06", "07", "09", "10", "11", "13"}));
  const auto& l03 = r->items[0];
  EXPECT_EQ(l03.issues, (std::vector<VbspIssue>{VbspIssue::kInterest, VbspIssue::kSavings}));
  EXPECT_EQ(l03.ledger->principal_outstanding, Money(18000000));  // 20 000 000 − 2 000 000
  EXPECT_EQ(l03.ledger->interest_collected, Money(200000));
  EXPECT_EQ(l03.bank->interest_unpaid, Money(30000));
  EXPECT_EQ(r->items[1].causes[0], "repaid in full in the union's register, the bank has 1.000.000 outstanding");
  EXPECT_EQ(r->items[2].causes[0],
            "status differs: CLOSE at the bank, the union's register has 8.000.000 outstanding");
  EXPECT_EQ(r->items[3].causes[0], "customer code: bank KH018, union KH008; group: bank 0841012, union 0841013");
  EXPECT_EQ(r->items[4].causes[0], "name: bank 'NGO THI LAN', union 'Ngô Thị Liên'");
  EXPECT_FALSE(r->items[5].ledger);
  EXPECT_FALSE(r->items[6].bank);
  EXPECT_EQ(r->items[6].ledger->principal_outstanding, Money(9000000));
  expect_same(*r, in_memory(day(2026, 11, 30)));
}

TEST_F(VbspReconcileStream, OneGroupAndTheNewestVersion) {
  // Group 0841012 on either side: L01 L02 L03 L09 (the bank's group) L13 → 5; L08 not yet lent.
  auto g = vbsp_->reconcile(day(2026, 11, 30), "0841012");
  ASSERT_TRUE(g) << g.error().message();
  EXPECT_EQ(g->summary.loans, 5);
  EXPECT_EQ(g->summary.matched, 2);
  EXPECT_EQ(g->items.size(), 3u);
  expect_same(*g, in_memory(day(2026, 11, 30), "0841012"));
  auto other = vbsp_->reconcile(day(2026, 11, 30), "0841013");
  ASSERT_TRUE(other);
  // L06 L07 L09 (the register's group) L10 L11 → 5, none matched; L04 L05 L12 not counted.
  EXPECT_EQ(other->summary.loans, 5);
  EXPECT_EQ(other->summary.matched, 0);
  expect_same(*other, in_memory(day(2026, 11, 30), "0841013"));
  // A corrected statement for the same date: L03's interest now agrees; version 2 is used.
  auto v2 = vbsp_->import_statement(file("st2.csv", statement("200000")), day(2026, 11, 1), day(2026, 11, 30));
  ASSERT_TRUE(v2) << v2.error().message();
  ASSERT_EQ(v2->version, 2);
  auto r = vbsp_->reconcile(day(2026, 11, 30));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->statement_version, 2);
  EXPECT_EQ(r->summary.interest_mismatch, 0);
  EXPECT_EQ(r->summary.savings_mismatch, 1);
  expect_same(*r, in_memory(day(2026, 11, 30)));
}

TEST_F(VbspReconcileStream, NoStatementNamesTheDates) {
  auto r = vbsp_->reconcile(day(2026, 10, 31));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), ErrorKind::kBadInput);
  EXPECT_EQ(r.error().message(), "there is no VBSP statement as of 2026-10-31 (imported: 2026-11-30)");
}

// A statement of 1,234 rows is written 500 rows to a statement (two whole batches and one of
// 234): every row comes back as the file has it, in its place, with the empty commune code and
// disbursement date of some rows still empty (a reused batch statement carries no row's values
// into the next batch: every 7th row has no date, and 500 is no multiple of 7).
TEST_F(VbspReconcileStream, AStatementOfManyRowsIsStoredRowForRow) {
  constexpr int kRows = 1234;
  std::string text =
      "loan_no,group_code,commune_code,customer_code,borrower_name,programme,disbursed_on,principal_outstanding,"
      "principal_overdue,principal_frozen,interest_collected,interest_unpaid,savings_balance,status\n";
  for (int i = 1; i <= kRows; ++i)
    text += fmt::format("{},0841{:03},{},KH{:05},Nguyễn Thị Số {},01,{},{},{},0,{},{},{},{}\n", 7001000000000000 + i,
                        i % 7, i % 3 == 0 ? "" : "841012", i, i, i % 7 == 3 ? "" : "2026-02-01", i * 1000, i % 11,
                        i * 2, i * 3, i * 4, i % 13 == 0 ? "CLOSE" : "OPEN");
  auto s = vbsp_->import_statement(file("many.csv", text), day(2026, 12, 1), day(2026, 12, 31));
  ASSERT_TRUE(s) << s.error().message();
  auto st = vbsp_->statement(day(2026, 12, 31));
  ASSERT_TRUE(st) << st.error().message();
  ASSERT_EQ(st->second.size(), static_cast<std::size_t>(kRows));
  std::vector<bool> seen(kRows + 1, false);
  for (const auto& r : st->second) {
    const auto i = static_cast<int>(std::stoll(r.loan_no) - 7001000000000000);
    ASSERT_TRUE(i >= 1 && i <= kRows) << r.loan_no;
    EXPECT_FALSE(seen[static_cast<std::size_t>(i)]) << r.loan_no;
    seen[static_cast<std::size_t>(i)] = true;
    EXPECT_EQ(r.line, static_cast<std::size_t>(i + 1));
    EXPECT_EQ(r.group_code, fmt::format("0841{:03}", i % 7));
    EXPECT_EQ(r.commune_code, i % 3 == 0 ? "" : "841012") << i;
    EXPECT_EQ(r.customer_code, fmt::format("KH{:05}", i));
    EXPECT_EQ(r.borrower_name, fmt::format("Nguyễn Thị Số {}", i));
    EXPECT_EQ(r.disbursed_on.has_value(), i % 7 != 3) << i;
    EXPECT_EQ(r.principal_outstanding, Money(i * 1000));
    EXPECT_EQ(r.principal_overdue, Money(i % 11));
    EXPECT_EQ(r.interest_collected, Money(i * 2));
    EXPECT_EQ(r.interest_unpaid, Money(i * 3));
    EXPECT_EQ(r.savings_balance, Money(i * 4));
    EXPECT_EQ(r.closed, i % 13 == 0) << i;
  }
}

}  // namespace
}  // namespace soquy
