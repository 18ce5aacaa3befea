// soquy — the default charts of accounts created with each book.
//
// Codes follow the numbering Vietnamese credit institutions and microfinance programmes use
// (1011 cash, 21xx loans, 42xx savings, 60xx capital, 70xx income, 8xxx expenses), so an
// accountant recognises them. Domain engines refer to accounts through these constants, never
// through string literals of their own.
#pragma once

#include <string_view>
#include <vector>

#include "soquy/journal.h"

namespace soquy::charts {

struct ChartLine {
  std::string_view code;
  std::string_view parent;
  AccountType type;
  std::string_view name_vi;
  std::string_view name_en;
};

// The Women's Development Fund's own book.
namespace fund {
inline constexpr std::string_view kBook = "fund";
inline constexpr std::string_view kCash = "1011";
inline constexpr std::string_view kBank = "1121";
inline constexpr std::string_view kLoans = "2111";
inline constexpr std::string_view kLoanProvision = "2191";
inline constexpr std::string_view kInterestReceivable = "3941";
inline constexpr std::string_view kSavings = "423";
inline constexpr std::string_view kCompulsorySavings = "4231";
inline constexpr std::string_view kVoluntarySavings = "4232";
inline constexpr std::string_view kOverpayments = "4591";
inline constexpr std::string_view kCapital = "6011";
inline constexpr std::string_view kSurplus = "6911";
inline constexpr std::string_view kIncome = "70";
inline constexpr std::string_view kInterestIncome = "7021";
inline constexpr std::string_view kPenaltyIncome = "7022";
inline constexpr std::string_view kEntrustmentFees = "7110";
inline constexpr std::string_view kRecoveries = "7900";
inline constexpr std::string_view kExpenses = "8";
inline constexpr std::string_view kProvisionExpense = "8821";
inline constexpr std::string_view kOperatingExpense = "8511";
}  // namespace fund

// The off-balance-sheet memo book of VBSP entrustment: figures the union tracks for the bank.
namespace entrust {
inline constexpr std::string_view kBook = "entrust";
inline constexpr std::string_view kVbspLoans = "9121";
inline constexpr std::string_view kVbspOverdue = "9122";
inline constexpr std::string_view kMemberSavings = "9131";
inline constexpr std::string_view kContra = "9999";
}  // namespace entrust

// A rotating, savings or pooling group's own treasury ("group:CODE").
namespace group {
inline constexpr std::string_view kCash = "1011";
inline constexpr std::string_view kMemberReceivables = "1311";
inline constexpr std::string_view kLoansToMembers = "2111";
inline constexpr std::string_view kPayableToMembers = "3311";
inline constexpr std::string_view kMemberShares = "4111";
inline constexpr std::string_view kSocialFund = "4311";
inline constexpr std::string_view kServiceCharges = "7021";
inline constexpr std::string_view kFines = "7022";
inline constexpr std::string_view kHolderFees = "8511";
}  // namespace group

// The union's own operating book ("union", sổ hoạt động của Hội LHPN): membership dues (hội phí)
// and their sharing between the levels of the tree. Created with its chart by the first dues
// bill or payment (docs/registry.md, Dues). Not the fund's money: it never shares a balance sheet with it.
namespace union_book {
inline constexpr std::string_view kBook = "union";
inline constexpr std::string_view kBookName = "Hội LHPN — hoạt động (hội phí)";
inline constexpr std::string_view kCash = "1011";
inline constexpr std::string_view kBank = "1121";
inline constexpr std::string_view kDuesReceivable = "1318";
inline constexpr std::string_view kDuesUncollected = "3387";
inline constexpr std::string_view kPayableUp = "3388";
inline constexpr std::string_view kPayableCommune = "33881";
inline constexpr std::string_view kPayableDistrict = "33882";
inline constexpr std::string_view kPayableProvince = "33883";
inline constexpr std::string_view kDuesIncome = "7111";
inline constexpr std::string_view kOperatingExpense = "8511";
}  // namespace union_book

const std::vector<ChartLine>& fund_chart();
const std::vector<ChartLine>& entrust_chart();
const std::vector<ChartLine>& group_chart();
const std::vector<ChartLine>& union_chart();

}  // namespace soquy::charts
