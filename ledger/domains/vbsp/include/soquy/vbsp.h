// soquy — VBSP entrustment (ủy thác NHCSXH): the union's register of entrusted loans, what
// members paid through their group, the bank's statements and the reconciliation of the two.
//
// The loans stay on VBSP's books; the union only tracks them in the off-balance-sheet memo book
// `entrust` (charts::entrust). VBSP's statements are the bank's record: they are imported as
// dated snapshots and never overwritten or "fixed"; every difference is shown.
//
// Files (CSV, csv_reader.h: UTF-8 with or without BOM, CRLF or LF, RFC 4180 quoting; dates
// YYYY-MM-DD or DD/MM/YYYY; amounts whole đồng; codes are text). Column names are matched
// without case, diacritics or the difference between '_' and ' ' ("Mã KH" = "ma kh"):
//   register      loan_no,group_code,member_id,customer_code,national_id,borrower_name,programme,
//                 disbursed_on,amount,maturity_on          (national_id may be empty)
//   transactions  date,loan_no,kind,amount,receipt_no      kind principal|interest|savings-in|savings-out
//   statement     loan_no,group_code,customer_code,borrower_name,programme,disbursed_on,
//                 principal_outstanding,principal_overdue,principal_frozen,interest_collected,
//                 interest_unpaid,savings_balance,status   (status OPEN|CLOSE)
// The bank's own export (IMS report 31, "HSTD") is read as it is: its Vietnamese headers are
// aliases (Số khế ước / Mã món vay, Mã tổ, Mã KH, Tên KH, Mã chương trình, Ngày vay, Tổng dư nợ,
// Dư nợ quá hạn, Dư nợ khoanh, Lãi TT trong tháng, Lãi tồn TH + Lãi tồn QH (summed into
// interest_unpaid), Số dư tiền gửi 105, Tình trạng món vay, Mã xã, Mã PGD); in a statement the
// header is the first of the first 15 records that names the loan number (title rows above it
// are skipped), other columns are ignored, and repeated header rows (page breaks) are skipped,
// as are rows with neither a loan number nor a customer code (subtitles; each one noted).
// Statement amounts left empty are 0.
//
// What Excel does to the files is undone, never guessed beyond that:
// - a code written as a number ("841012.0", "4602") gets its fraction of zeros removed and its
//   leading zeros back to the fixed width: group 7, commune 6, office 6 characters; a numeric
//   code longer than its width is refused. Codes that are not numbers are kept as written.
// - a loan number must be exactly `loan_no_length` digits (setting vbsp.loan_no_length, 16 by
//   default); a leading apostrophe (Excel's "keep as text") is dropped. Anything else — a
//   number in scientific notation, a fraction — is refused with its line: Excel cannot hold 16
//   digits exactly, so such a number cannot be restored.
// - an amount written "1500000.0" is 1500000 (a fraction that is not zero is refused).
// - a statement row holding "Tổng cộng" (total) is not a loan: its amounts are checked against
//   the sum of the loan rows since the previous total row, and a difference is reported at
//   its line (not when one of those rows is itself bad: its own error is reported instead). A total row whose amounts are all empty or 0 (formulas saved without values) is
//   not checked and says so in the summary's notes.
//
// A file with any bad row is refused whole: nothing is written and the error (kBadInput, exit 65)
// lists every problem as `FILE:LINE: column: what is wrong`, in line order (at most 20, then
// "… and N more").
//
// Imports are idempotent:
// - register: a loan number already recorded with the same content is "already there"; with
//   other content it is an error at that row. Unknown groups are created as VBSP groups of the
//   commune `unit` (from the earliest disbursement of the group in the file); unknown members
//   are created from the row (name, national id if given) in the group's commune, joining the
//   group on their first disbursement. Each loan posts Dr 9121 / Cr 9999 (amount, on the
//   disbursement date) in `entrust`.
// - transactions: receipt_no is unique; a receipt already recorded with the same content is
//   "already there", with other content an error. The loan must be in the register, the date not
//   before its disbursement; principal paid never exceeds the loan, a member's savings never go
//   below zero (rows applied by date, then line). Postings in `entrust`: principal Dr 9999 /
//   Cr 9121; savings-in Dr 9131 / Cr 9999; savings-out Dr 9999 / Cr 9131; interest is passed to
//   the bank and only recorded (no memo account).
// - statement: a statement for the period [from, as_of]; importing the same content again for
//   the same date changes nothing; a different content for the same date is stored as a new
//   version beside the old one, and the newest version is the one used.
//
// Every writing call is one Ledger transaction and needs the right to write in `entrust` (and,
// for the register's new groups and members, in the registry).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/ledger.h"
#include "soquy/money.h"
#include "soquy/read_options.h"
#include "soquy/setting_key.h"

namespace soquy {

inline constexpr std::size_t kVbspGroupCodeWidth = 7;
inline constexpr std::size_t kVbspCommuneCodeWidth = 6;
inline constexpr std::size_t kVbspOfficeCodeWidth = 6;
inline constexpr const char* kVbspLoanNoLengthSetting = "vbsp.loan_no_length";
// kBadInput unless `text` is a number of digits from 6 to 30.
Result<void> validate_vbsp_loan_no_length_setting(std::string_view text);
inline constexpr SettingKey kVbspLoanNoLength{
    kVbspLoanNoLengthSetting, "16",
    "the number of digits of a VBSP loan number (vbsp imports; --loan-no-length overrides)",
    validate_vbsp_loan_no_length_setting};
inline constexpr std::size_t kVbspDefaultLoanNoLength =
    static_cast<std::size_t>(setting_default_int(kVbspLoanNoLength));

// A code as Excel may have left it, back to its fixed width ("841012.0", 7 → "0841012"); text
// that is not a number is returned trimmed. kBadInput for an empty code or a number longer than
// `width` digits.
Result<std::string> restore_code(std::string_view text, std::size_t width);
// A loan number: exactly `length` digits, after dropping surrounding spaces and a leading
// apostrophe. kBadInput otherwise, saying why.
Result<std::string> check_loan_no(std::string_view text, std::size_t length);
// A bank amount in whole đồng: parse_money after dropping a fraction of zeros ("1500000.0").
Result<Money> parse_bank_amount(std::string_view text);

enum class VbspTxKind { kPrincipal, kInterest, kSavingsIn, kSavingsOut };
Result<VbspTxKind> parse_vbsp_tx_kind(std::string_view s);  // principal|interest|savings-in|savings-out
std::string_view to_string(VbspTxKind k);

struct VbspImportOptions {
  std::string unit;                // commune of groups created by a register import
  std::size_t loan_no_length = 0;  // 0 = the setting vbsp.loan_no_length, else 16
  std::string map_path;            // statements: a mapping file of other header names (read_vbsp_map)
  CsvReadOptions read;             // delimiter and encoding of CSV files ("" = detect)
  // Register and transactions imports: called after each row recorded, with the count and the
  // rows of the file; statements: as their rows are stored, every 1,000 rows (for a TTY
  // progress line).
  std::function<void(std::int64_t, std::int64_t)> on_progress;
};

struct VbspImportSummary {
  std::int64_t rows = 0;
  std::int64_t created = 0;
  std::int64_t existing = 0;  // already recorded with the same content
  std::int64_t groups_created = 0;
  std::int64_t members_created = 0;
};

// One loan row of a bank statement.
struct VbspBankRow {
  std::string loan_no;
  std::size_t line = 0;
  std::string group_code, commune_code, office_code;  // commune and office "" when absent
  std::string customer_code, borrower_name, programme;
  std::optional<Date> disbursed_on;
  Money principal_outstanding, principal_overdue, principal_frozen;
  Money interest_collected, interest_unpaid, savings_balance;
  bool closed = false;  // status CLOSE
};

// A statement file read and checked (nothing stored).
struct VbspStatementFile {
  std::vector<VbspBankRow> rows;  // in file order
  std::int64_t total_rows = 0;    // "Tổng cộng" rows found (checked or not)
  std::vector<std::string> notes;
};
// Reads a statement file by the rules above. kNoInput when missing; kBadInput listing every bad row.
// `extra`: more header names, (name as written, canonical column), e.g. from read_vbsp_map.
Result<VbspStatementFile> read_vbsp_statement(const std::string& path, std::size_t loan_no_length,
                                              const std::vector<std::pair<std::string, std::string>>& extra = {},
                                              const CsvReadOptions& read = {});
// A mapping file for statements with other header names (`--map FILE`): CSV `column,header`, one
// line per name, `column` a canonical statement column (or interest_unpaid_current /
// interest_unpaid_overdue, the two summed parts), `header` the name in the bank's file. Returns
// (header, column) pairs; kBadInput naming every bad line.
Result<std::vector<std::pair<std::string, std::string>>> read_vbsp_map(const std::string& path,
                                                                      const CsvReadOptions& read = {});

struct VbspStatementSummary {
  Date period_from, as_of;
  int version = 1;       // the version now newest for as_of
  bool created = false;  // false: the same content was already the newest version
  std::int64_t rows = 0;    // loan rows
  std::int64_t closed = 0;  // of them CLOSE
  std::int64_t total_rows = 0;
  std::vector<std::string> notes;
};

// The union's side of one loan as of a date.
struct VbspLedgerLoan {
  std::string loan_no, group_code, member, customer_code, borrower_name, programme;
  Date disbursed_on;
  Date maturity_on;
  Money amount;
  Money principal_outstanding;  // amount − principal paid up to as_of
  Money interest_collected;     // interest paid through the group in [from, as_of]
  Money savings_balance;        // the member's savings-in − savings-out up to as_of (all her loans)
};

enum class VbspIssue { kMissingInLedger, kMissingInBank, kPrincipal, kInterest, kSavings, kIdentity };
// missing_in_ledger, missing_in_bank, principal_mismatch, interest_mismatch, savings_mismatch,
// identity_mismatch (the JSON summary keys)
std::string_view to_string(VbspIssue i);

struct VbspReconItem {
  std::string loan_no, group_code;
  std::vector<VbspIssue> issues;    // in the order of VbspIssue
  std::vector<std::string> causes;  // one sentence per issue, same order, in English (JSON's "causes")
  // The same sentences in the language of the messages (soquy/i18n.h), for people's formats.
  std::vector<std::string> worded_causes;
  std::optional<VbspBankRow> bank;
  std::optional<VbspLedgerLoan> ledger;
};

struct VbspReconSummary {
  std::int64_t loans = 0, matched = 0;
  std::int64_t missing_in_ledger = 0, missing_in_bank = 0;
  std::int64_t principal_mismatch = 0, interest_mismatch = 0, savings_mismatch = 0, identity_mismatch = 0;
};

struct VbspReconciliation {
  Date as_of, period_from;
  int statement_version = 1;
  std::string group;  // "" = all
  VbspReconSummary summary;
  std::vector<VbspReconItem> items;  // loans with at least one issue, by loan number
  bool all_match() const { return items.empty(); }
};

// The rules of reconciliation, on figures already gathered (Vbsp::reconcile gathers them).
// Per loan number on either side (restricted to `group` when not empty, on either side's group):
// - a register loan fully repaid (outstanding 0) that is absent from the statement or CLOSE
//   there, and a CLOSE row absent from the register, are neither counted nor compared;
// - on one side only: missing_in_bank / missing_in_ledger, and nothing else;
// - on both: principal (a CLOSE row counts 0 outstanding), interest collected in the period,
//   savings, and identity (customer code, group code, name by same_name()) are compared.
// A loan is matched when it has no issue. Differences are bank − ledger.
VbspReconciliation reconcile_vbsp(const std::vector<VbspLedgerLoan>& ledger, const std::vector<VbspBankRow>& bank,
                                  Date period_from, Date as_of, const std::string& group = "");

// --- the year-on-year overdue figure -----------------------------------------------------
enum class VbspOverdueBy { kGroup, kCommune, kProgramme };
Result<VbspOverdueBy> parse_vbsp_overdue_by(std::string_view s);  // group|commune|programme
std::string_view to_string(VbspOverdueBy b);
// Programme names for the bank's codes ("01" → "Hộ nghèo"), "" when unknown.
std::string_view vbsp_programme_name(std::string_view code);

struct VbspOverdueFigures {
  std::int64_t loans = 0;  // OPEN rows
  Money outstanding, overdue, frozen;
  Rational overdue_ratio() const;  // overdue ÷ outstanding (0 when nothing is outstanding)
};

struct VbspOverdueRow {
  std::string key, name;
  VbspOverdueFigures now;
  std::optional<VbspOverdueFigures> before;  // absent when the key was not in the earlier statement
  bool grew = false;  // overdue amount or ratio higher than before (a new key with overdue counts)
};

struct VbspOverdue {
  Date as_of, compare_to;
  VbspOverdueBy by = VbspOverdueBy::kGroup;
  std::vector<VbspOverdueRow> rows;  // by key
  VbspOverdueFigures total_now, total_before;
  bool total_grew = false;
};

// From the loan rows of two statements (CLOSE rows ignored).
VbspOverdue compare_vbsp_overdue(const std::vector<VbspBankRow>& now, const std::vector<VbspBankRow>& before,
                                 Date as_of, Date compare_to, VbspOverdueBy by);

// --- the session check ---------------------------------------------------------------------
// What a group leader collected for one monthly session (receipts 01/BL, sheet 13/TD: interest
// and savings-in of the group's loans dated from `from` to `date`) against the cash she paid
// in at the commune transaction point. gap = receipts − cash paid in: a positive gap is money
// collected and not paid in (possible misappropriation); a negative one, cash paid in without
// receipts recorded.
// The same figures make sheet 13/TD, which also shows each loan's savings-out (withdrawals paid
// to the member, not part of the receipts) and the group's commune and leader.
struct VbspSessionLine {
  std::string loan_no, member, borrower_name;
  Money interest, savings;
  Money savings_out;  // withdrawals in the period (not counted in receipts)
};
struct VbspSessionCheck {
  std::string group;
  std::string group_name, commune, commune_name, leader;  // from the registry (leader's name)
  Date from, date;
  std::vector<VbspSessionLine> lines;  // loans with receipts or withdrawals in the period, by loan number
  Money interest, savings, receipts, cash_paid_in, gap;
  Money savings_out;
  bool ok() const { return gap.is_zero(); }
};

// --- form 15/TD ---------------------------------------------------------------------------
// Bảng kê đối chiếu tiền vay, tiền gửi of one group as of the statement date: one line per loan
// of the group on either side (CLOSE rows and repaid loans absent from the bank left out, as in
// reconciliation), the bank's and the union's principal and savings, the bank's unpaid interest,
// the differences (bank − union). The cause and signature columns are left for people.
struct VbspFormLine {
  std::string loan_no, member, borrower_name, programme;
  std::optional<Money> bank_principal, bank_interest_unpaid, bank_savings;
  std::optional<Money> union_principal, union_savings;
  Money principal_difference, savings_difference;  // bank − union (missing side counts 0)
  Money bank_interest_collected, union_interest_collected;  // in the statement period
};
struct VbspForm15 {
  std::string group, group_name, commune, commune_name, leader;
  Date as_of;
  std::vector<VbspFormLine> lines;  // by loan number
  Money bank_principal, bank_interest_unpaid, bank_savings, union_principal, union_savings;
  Money principal_difference, savings_difference;
  Money bank_interest_collected, union_interest_collected;
  std::int64_t loans_with_difference = 0;
};

class VbspStore;
class Registry;

class Vbsp {
 public:
  explicit Vbsp(Ledger& ledger);
  ~Vbsp();
  Vbsp(const Vbsp&) = delete;
  Vbsp& operator=(const Vbsp&) = delete;


  Result<VbspImportSummary> import_register(const std::string& path, const VbspImportOptions& options = {});
  Result<VbspImportSummary> import_transactions(const std::string& path, const VbspImportOptions& options = {});
  // kBadInput when from > as_of.
  Result<VbspStatementSummary> import_statement(const std::string& path, Date from, Date as_of,
                                                const VbspImportOptions& options = {});

  // The union's side of every register loan disbursed on or before `as_of`, by loan number.
  Result<std::vector<VbspLedgerLoan>> ledger_loans(Date period_from, Date as_of);
  // The newest statement as of `as_of` (kBadInput naming the dates imported when there is none).
  Result<std::pair<VbspStatementSummary, std::vector<VbspBankRow>>> statement(Date as_of);
  // The dates of the statements imported, oldest first, each once (several versions of one
  // date count once).
  Result<std::vector<Date>> statement_dates();
  // Register + transactions against the newest statement as of `as_of`. `on_progress`, when
  // given, is called as the statement's rows are compared, with the rows done and the
  // statement's row count (for a TTY progress line).
  // `on_item`, when given, receives each loan with an issue as it is found (in loan-number
  // order, its member code filled in) and the result's items stay empty: memory does not grow
  // with the differences (`vbsp reconcile --format json|csv`, a first pass for the summary).
  Result<VbspReconciliation> reconcile(Date as_of, const std::string& group = "",
                                       const std::function<void(std::int64_t, std::int64_t)>& on_progress = {},
                                       const std::function<void(const VbspReconItem&)>& on_item = {});
  // Overdue as of `as_of` against `compare_to` (both need a statement).
  Result<VbspOverdue> overdue(Date as_of, Date compare_to, VbspOverdueBy by);
  // The session check of `group` on `date`; `from` defaults to the first day of date's month.
  // kBadInput for an unknown group or a negative cash amount. Writes nothing.
  Result<VbspSessionCheck> session_check(const std::string& group, Date date, Money cash_paid_in,
                                         std::optional<Date> from = std::nullopt);
  // Form 15/TD of `group` against the newest statement as of `as_of`.
  Result<VbspForm15> form_15td(const std::string& group, Date as_of);

  // Corrections (issue 12; docs/vbsp.md "Sửa sai"). Reverses `original` (owner {"vbsp", loan
  // number}) in one transaction dated at the original's date: a collection transaction from
  // import_transactions (principal, savings-in, savings-out) stops counting, so the memo book,
  // the reconciliation and the forms no longer see it; a register loan's memo posting takes the
  // loan out of the register. kBadInput naming what to reverse first: a loan's posting while
  // transactions of the loan exist; a savings-in whose removal would take the member's savings
  // below zero at a later savings-out. A reversed transaction's receipt stays used (a corrected
  // one takes a new receipt number); a reversed loan is not imported again.
  Result<CorrectionResult> reverse_entry(const Entry& original, const ReversalRequest& request);

 private:
  std::size_t loan_no_length(const VbspImportOptions& options);
  Ledger& ledger_;
  std::unique_ptr<VbspStore> store_;
};

}  // namespace soquy
