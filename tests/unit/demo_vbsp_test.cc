// The demo's VBSP commune (ledger/include/soquy/demo_vbsp.h), built on a fresh database with only
// its commune, and checked through the Vbsp engine: reconciliation against the 2026-10-31
// statement finds exactly the planted differences (one loan of each kind, the unpaid receipt
// carrying a principal and an interest difference), the name the bank writes without diacritics
// is matched, the earlier statements differ only by the mistyped customer code, overdue and
// frozen loans are there and the overdue grew since 31/12/2025, and `check` passes.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "soquy/demo_vbsp.h"
#include "soquy/ledger.h"
#include "soquy/names.h"
#include "soquy/registry.h"
#include "soquy/vbsp.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;

class DemoVbspTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new test_support::TestDb("demo.db");
    auto l = db_->create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = l->release();
    Registry reg(*ledger_);
    ASSERT_TRUE(reg.add_unit({"TV", "Trà Vinh", UnitKind::kProvince, "", day(2020, 1, 1)}));
    ASSERT_TRUE(reg.add_unit({"TC-KS", "Kim Sơn", UnitKind::kCommune, "TV", day(2020, 1, 1)}));
    auto s = build_vbsp_demo(*ledger_);
    ASSERT_TRUE(s) << s.error().message();
    summary_ = new VbspDemoSummary(*s);
  }
  static void TearDownTestSuite() {
    delete summary_;
    delete ledger_;
    delete db_;
  }
  void SetUp() override { ASSERT_NE(summary_, nullptr) << "the demo was not built"; }

  static test_support::TestDb* db_;
  static Ledger* ledger_;
  static VbspDemoSummary* summary_;
};
test_support::TestDb* DemoVbspTest::db_ = nullptr;
Ledger* DemoVbspTest::ledger_ = nullptr;
VbspDemoSummary* DemoVbspTest::summary_ = nullptr;

TEST_F(DemoVbspTest, TheCommuneHasTwentyGroupsOfFifteenToFortyBorrowers) {
  const auto& s = *summary_;
  EXPECT_EQ(s.groups, 20);
  EXPECT_GE(s.members, 20 * 15);
  EXPECT_LE(s.members, 20 * 40);
  EXPECT_GE(s.loans, s.members);  // one loan each at least; the planted missing-at-bank loan is in the register
  EXPECT_EQ(s.statements, 3);
  EXPECT_EQ(s.compare_to, day(2025, 12, 31));
  EXPECT_EQ(s.as_of, day(2026, 10, 31));
  Registry reg(*ledger_);
  auto all = reg.members(day(2026, 10, 31));
  ASSERT_TRUE(all) << all.error().message();
  std::map<std::string, std::size_t> size;
  for (const auto& m : *all)
    for (const auto& g : m.groups) ++size[g];
  std::int64_t members = 0;
  for (int g = 101; g <= 120; ++g) {
    const std::string code = "0841" + std::to_string(g);
    auto group = reg.group(code);
    ASSERT_TRUE(group) << code << ": " << group.error().message();
    EXPECT_EQ(group->kind, GroupKind::kVbsp);
    EXPECT_EQ(group->unit, "TC-KS");
    EXPECT_FALSE(group->leader.empty()) << code;
    EXPECT_TRUE(group->name.starts_with("Tổ TK&VV ấp ")) << group->name;
    EXPECT_GE(size[code], 15u) << code;
    EXPECT_LE(size[code], 40u) << code;
    members += static_cast<std::int64_t>(size[code]);
  }
  EXPECT_EQ(members, s.members);
  // Nobody joined after 2024: the demo's member counts before and after the 2025 merge agree.
  auto before = reg.count_members(MemberReportBy::kUnit, day(2024, 12, 31));
  auto after = reg.count_members(MemberReportBy::kUnit, day(2026, 11, 28));
  ASSERT_TRUE(before && after);
  EXPECT_EQ(before->total, s.members);
  EXPECT_EQ(after->total, s.members);
}

TEST_F(DemoVbspTest, ReconcileFindsExactlyThePlantedDifferences) {
  const auto& s = *summary_;
  for (const auto* no : {&s.unpaid_receipt_loan, &s.withdrawal_not_entered_loan, &s.unaccented_name_loan,
                         &s.wrong_customer_code_loan, &s.missing_in_ledger_loan, &s.missing_in_bank_loan}) {
    ASSERT_EQ(no->size(), 16u) << "'" << *no << "'";
    EXPECT_TRUE(no->starts_with("8407")) << *no;
  }
  Vbsp vbsp(*ledger_);
  auto r = vbsp.reconcile(s.as_of);
  ASSERT_TRUE(r) << r.error().message();
  const auto& sum = r->summary;
  EXPECT_EQ(r->period_from, day(2026, 10, 1));
  EXPECT_EQ(sum.missing_in_ledger, 1);
  EXPECT_EQ(sum.missing_in_bank, 1);
  EXPECT_EQ(sum.principal_mismatch, 1);
  EXPECT_EQ(sum.interest_mismatch, 1);
  EXPECT_EQ(sum.savings_mismatch, 1);
  EXPECT_EQ(sum.identity_mismatch, 1);
  EXPECT_EQ(sum.matched, sum.loans - 5);
  std::map<std::string, const VbspReconItem*> items;
  for (const auto& i : r->items) items[i.loan_no] = &i;
  ASSERT_EQ(items.size(), 5u);

  // The unpaid receipt: the bank still has an instalment outstanding and no interest for October.
  ASSERT_TRUE(items.contains(s.unpaid_receipt_loan));
  const auto& unpaid = *items[s.unpaid_receipt_loan];
  EXPECT_EQ(unpaid.issues, (std::vector<VbspIssue>{VbspIssue::kPrincipal, VbspIssue::kInterest}));
  EXPECT_EQ(unpaid.group_code, s.unpaid_receipt_group);
  ASSERT_TRUE(unpaid.bank && unpaid.ledger);
  const Money instalment = unpaid.bank->principal_outstanding - unpaid.ledger->principal_outstanding;
  EXPECT_GT(instalment, Money(0));
  EXPECT_EQ(instalment.minor_units() % 100'000, 0) << "instalments are whole hundred thousands";
  EXPECT_EQ(unpaid.bank->principal_overdue, instalment);
  EXPECT_EQ(unpaid.bank->interest_collected, Money(0));
  EXPECT_GT(unpaid.ledger->interest_collected, Money(0));
  EXPECT_EQ(unpaid.bank->interest_unpaid, unpaid.ledger->interest_collected);
  // The leader's session on 2026-10-20: the interest she wrote receipts for is part of what she
  // collected (principal is not the leader's collection).
  auto session = vbsp.session_check(s.unpaid_receipt_group, day(2026, 10, 20), Money(0));
  ASSERT_TRUE(session) << session.error().message();
  EXPECT_GE(session->interest, unpaid.ledger->interest_collected);

  // The withdrawal made at the bank and not entered: the bank has less savings, in 100,000s.
  ASSERT_TRUE(items.contains(s.withdrawal_not_entered_loan));
  const auto& withdrawal = *items[s.withdrawal_not_entered_loan];
  EXPECT_EQ(withdrawal.issues, std::vector<VbspIssue>{VbspIssue::kSavings});
  ASSERT_TRUE(withdrawal.bank && withdrawal.ledger);
  const Money gone = withdrawal.ledger->savings_balance - withdrawal.bank->savings_balance;
  EXPECT_GE(gone, Money(100'000));
  EXPECT_EQ(gone.minor_units() % 100'000, 0);

  // The mistyped customer code: the register's differs from the bank's by two swapped digits.
  ASSERT_TRUE(items.contains(s.wrong_customer_code_loan));
  const auto& code = *items[s.wrong_customer_code_loan];
  EXPECT_EQ(code.issues, std::vector<VbspIssue>{VbspIssue::kIdentity});
  ASSERT_TRUE(code.bank && code.ledger);
  std::string bank_code = code.bank->customer_code, union_code = code.ledger->customer_code;
  EXPECT_NE(bank_code, union_code);
  std::swap(union_code[union_code.size() - 1], union_code[union_code.size() - 2]);
  EXPECT_EQ(bank_code, union_code);
  EXPECT_TRUE(same_name(code.bank->borrower_name, code.ledger->borrower_name));

  // The loan the union has not entered yet, and the one the bank has not disbursed.
  ASSERT_TRUE(items.contains(s.missing_in_ledger_loan));
  const auto& not_entered = *items[s.missing_in_ledger_loan];
  EXPECT_EQ(not_entered.issues, std::vector<VbspIssue>{VbspIssue::kMissingInLedger});
  ASSERT_TRUE(not_entered.bank);
  EXPECT_FALSE(not_entered.ledger);
  EXPECT_EQ(not_entered.bank->principal_outstanding, Money(50'000'000));
  ASSERT_TRUE(items.contains(s.missing_in_bank_loan));
  const auto& not_disbursed = *items[s.missing_in_bank_loan];
  EXPECT_EQ(not_disbursed.issues, std::vector<VbspIssue>{VbspIssue::kMissingInBank});
  ASSERT_TRUE(not_disbursed.ledger);
  EXPECT_FALSE(not_disbursed.bank);
  EXPECT_EQ(not_disbursed.ledger->principal_outstanding, Money(20'000'000));
  EXPECT_EQ(not_disbursed.ledger->disbursed_on, day(2026, 10, 20));

  // The name without diacritics is the same name: the loan is matched.
  EXPECT_FALSE(items.contains(s.unaccented_name_loan));
  EXPECT_NE(s.unaccented_name_bank, s.unaccented_name_union);
  EXPECT_TRUE(same_name(s.unaccented_name_bank, s.unaccented_name_union));
  for (unsigned char c : s.unaccented_name_bank) EXPECT_LT(c, 0x80) << s.unaccented_name_bank;
  auto statement = vbsp.statement(s.as_of);
  ASSERT_TRUE(statement);
  bool found = false;
  for (const auto& row : statement->second)
    if (row.loan_no == s.unaccented_name_loan) {
      found = true;
      EXPECT_EQ(row.borrower_name, s.unaccented_name_bank);
    }
  EXPECT_TRUE(found);
}

TEST_F(DemoVbspTest, EarlierStatementsDifferOnlyByTheMistypedCode) {
  const auto& s = *summary_;
  Vbsp vbsp(*ledger_);
  for (Date d : {s.compare_to, s.mid_year}) {
    auto r = vbsp.reconcile(d);
    ASSERT_TRUE(r) << r.error().message();
    ASSERT_EQ(r->items.size(), 1u) << d;
    EXPECT_EQ(r->items[0].loan_no, s.wrong_customer_code_loan);
    EXPECT_EQ(r->items[0].issues, std::vector<VbspIssue>{VbspIssue::kIdentity});
  }
}

TEST_F(DemoVbspTest, TheBankExportWasReadWithItsTitleSubtitlesAndTotal) {
  Vbsp vbsp(*ledger_);
  auto st = vbsp.statement(summary_->as_of);
  ASSERT_TRUE(st) << st.error().message();
  EXPECT_EQ(summary_->statement_total_rows, 1);  // checked against the rows, or the import would have failed
  EXPECT_GE(summary_->statement_notes, 20);       // a subtitle row per group, skipped
  std::set<std::string> groups, communes;
  for (const auto& row : st->second) {
    groups.insert(row.group_code);
    communes.insert(row.commune_code);
    EXPECT_EQ(row.programme.size(), 2u) << row.loan_no;  // "1" restored to "01"
    EXPECT_EQ(row.office_code, "008407");
  }
  EXPECT_EQ(communes, std::set<std::string>{"084127"});  // 84127.0 restored to 6 characters
  EXPECT_EQ(groups.size(), 20u);
  EXPECT_TRUE(groups.contains("0841101"));  // 841101.0 restored to 7 characters
}

TEST_F(DemoVbspTest, OverdueAndFrozenLoansAndTheirGrowthSinceTheYearEnd) {
  const auto& s = *summary_;
  EXPECT_GE(s.overdue_loans, 5);
  EXPECT_EQ(s.frozen_loans, 3);
  Vbsp vbsp(*ledger_);
  auto st = vbsp.statement(s.as_of);
  ASSERT_TRUE(st);
  std::int64_t overdue = 0, frozen = 0;
  for (const auto& row : st->second) {
    if (row.closed) continue;
    EXPECT_LE(row.principal_overdue, row.principal_outstanding) << row.loan_no;
    EXPECT_TRUE(row.principal_overdue.is_zero() || row.principal_frozen.is_zero()) << row.loan_no;
    if (!row.principal_overdue.is_zero()) ++overdue;
    if (!row.principal_frozen.is_zero()) {
      ++frozen;
      EXPECT_EQ(row.principal_frozen, row.principal_outstanding) << row.loan_no;
      EXPECT_EQ(row.group_code, "0841106") << "the flooded hamlet's group";
    }
  }
  EXPECT_EQ(overdue, s.overdue_loans);
  EXPECT_EQ(frozen, s.frozen_loans);
  auto o = vbsp.overdue(s.as_of, s.compare_to, VbspOverdueBy::kGroup);
  ASSERT_TRUE(o) << o.error().message();
  EXPECT_GT(o->total_now.overdue, o->total_before.overdue);
  EXPECT_TRUE(o->total_grew);
  EXPECT_GT(o->total_now.frozen, Money(0));
  EXPECT_TRUE(std::any_of(o->rows.begin(), o->rows.end(), [](const VbspOverdueRow& r) { return r.grew; }));
}

TEST_F(DemoVbspTest, EntriesAreTheLoansPrincipalAndSavingsAndCheckPasses) {
  const auto& s = *summary_;
  std::int64_t entries = 0;
  Money disbursed;
  ASSERT_TRUE(ledger_->for_each_entry(
      [&](const Entry& e) {
        ++entries;
        if (e.client_id.starts_with("vbsp:loan:"))
          for (const auto& p : e.postings)
            if (p.account == "9121") disbursed += p.amount;
      },
      "entrust"));
  EXPECT_EQ(entries, s.entries);
  EXPECT_EQ(disbursed, s.disbursed);
  auto check = ledger_->check();
  EXPECT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems[0]);
}

}  // namespace
}  // namespace soquy
