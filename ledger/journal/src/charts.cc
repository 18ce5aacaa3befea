#include "soquy/charts.h"

namespace soquy::charts {

const std::vector<ChartLine>& fund_chart() {
  using T = AccountType;
  static const std::vector<ChartLine> kChart = {
      {fund::kCash, "", T::kAsset, "Tiền mặt tại quỹ", "Cash on hand"},
      {fund::kBank, "", T::kAsset, "Tiền gửi ngân hàng", "Bank deposits"},
      {fund::kLoans, "", T::kAsset, "Cho vay hội viên", "Loans to members"},
      {fund::kLoanProvision, "", T::kAsset, "Dự phòng rủi ro cho vay", "Loan loss provision (contra-asset)"},
      {fund::kInterestReceivable, "", T::kAsset, "Lãi phải thu", "Interest receivable"},
      {fund::kSavings, "", T::kLiability, "Tiết kiệm của hội viên", "Members' savings"},
      {fund::kCompulsorySavings, fund::kSavings, T::kLiability, "Tiết kiệm bắt buộc", "Compulsory savings"},
      {fund::kVoluntarySavings, fund::kSavings, T::kLiability, "Tiết kiệm tự nguyện", "Voluntary savings"},
      {fund::kOverpayments, "", T::kLiability, "Tiền trả thừa của hội viên", "Members' overpayments"},
      {fund::kCapital, "", T::kEquity, "Vốn quỹ", "Fund capital"},
      {fund::kSurplus, "", T::kEquity, "Chênh lệch thu chi lũy kế", "Accumulated surplus"},
      {fund::kIncome, "", T::kIncome, "Thu nhập", "Income"},
      {fund::kInterestIncome, fund::kIncome, T::kIncome, "Thu lãi cho vay", "Interest income"},
      {fund::kPenaltyIncome, fund::kIncome, T::kIncome, "Thu phạt chậm trả", "Penalty income"},
      {fund::kEntrustmentFees, fund::kIncome, T::kIncome, "Phí ủy thác NHCSXH", "VBSP entrustment fees"},
      {fund::kRecoveries, fund::kIncome, T::kIncome, "Thu hồi nợ đã xóa", "Recoveries of written-off loans"},
      {fund::kExpenses, "", T::kExpense, "Chi phí", "Expenses"},
      {fund::kOperatingExpense, fund::kExpenses, T::kExpense, "Chi phí hoạt động", "Operating expenses"},
      {fund::kProvisionExpense, fund::kExpenses, T::kExpense, "Chi phí dự phòng rủi ro", "Provision expense"},
  };
  return kChart;
}

const std::vector<ChartLine>& entrust_chart() {
  using T = AccountType;
  static const std::vector<ChartLine> kChart = {
      {entrust::kVbspLoans, "", T::kMemo, "Dư nợ vay NHCSXH trong hạn", "VBSP loans outstanding (current)"},
      {entrust::kVbspOverdue, "", T::kMemo, "Dư nợ vay NHCSXH quá hạn", "VBSP loans outstanding (overdue)"},
      {entrust::kMemberSavings, "", T::kMemo, "Tiền gửi tiết kiệm tổ viên", "Members' savings at VBSP"},
      {entrust::kContra, "", T::kMemo, "Đối ứng ngoại bảng", "Off-balance-sheet contra"},
  };
  return kChart;
}

const std::vector<ChartLine>& group_chart() {
  using T = AccountType;
  static const std::vector<ChartLine> kChart = {
      {group::kCash, "", T::kAsset, "Tiền mặt của tổ", "Group cash"},
      {group::kMemberReceivables, "", T::kAsset, "Phải thu thành viên", "Receivable from members"},
      {group::kLoansToMembers, "", T::kAsset, "Cho vay thành viên", "Loans to members"},
      {group::kPayableToMembers, "", T::kLiability, "Phải trả thành viên", "Payable to members"},
      {group::kMemberShares, "", T::kEquity, "Cổ phần / tiền góp của thành viên", "Members' shares"},
      {group::kSocialFund, "", T::kEquity, "Quỹ xã hội", "Social fund"},
      {group::kServiceCharges, "", T::kIncome, "Thu phí dịch vụ cho vay", "Loan service charges"},
      {group::kFines, "", T::kIncome, "Thu tiền phạt", "Fines"},
      {group::kHolderFees, "", T::kExpense, "Chi phí của tổ", "Group expenses"},
  };
  return kChart;
}

const std::vector<ChartLine>& union_chart() {
  using T = AccountType;
  namespace u = union_book;
  static const std::vector<ChartLine> kChart = {
      {u::kCash, "", T::kAsset, "Tiền mặt", "Cash on hand"},
      {u::kBank, "", T::kAsset, "Tiền gửi ngân hàng", "Bank deposits"},
      {u::kDuesReceivable, "", T::kAsset, "Phải thu hội phí của hội viên", "Dues receivable from members"},
      {u::kDuesUncollected, "", T::kLiability, "Hội phí đã lập bộ chưa thu", "Dues billed, not yet collected"},
      {u::kPayableUp, "", T::kLiability, "Hội phí phải nộp cấp trên", "Dues payable to higher levels"},
      {u::kPayableCommune, u::kPayableUp, T::kLiability, "Phải nộp cấp xã", "Payable to the commune level"},
      {u::kPayableDistrict, u::kPayableUp, T::kLiability, "Phải nộp cấp huyện", "Payable to the district level"},
      {u::kPayableProvince, u::kPayableUp, T::kLiability, "Phải nộp cấp tỉnh", "Payable to the province level"},
      {u::kDuesIncome, "", T::kIncome, "Thu hội phí (phần chi hội giữ lại)", "Dues income (the branch's share)"},
      {u::kOperatingExpense, "", T::kExpense, "Chi hoạt động của hội", "Union operating expenses"},
  };
  return kChart;
}

}  // namespace soquy::charts
