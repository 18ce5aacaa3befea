// soquy — the demo's VBSP commune: Kim Sơn (Trà Cú, unit TC-KS of the demo province), where the
// Women's Union holds 20 savings-and-borrowing groups (tổ TK&VV) entrusted by VBSP (NHCSXH).
//
// Built through the public Registry and Vbsp calls that the commands use, in one transaction:
// - the registry: 20 VBSP groups 0841101 … 0841120 ("Tổ TK&VV ấp Sóc Chà A 1", …) of 15–40
//   borrowers each, with a leader; the borrowers (HV2001, …) are members of the commune who
//   joined the union and their group before 2025, named with demo_woman_name() (mostly Khmer,
//   as in Trà Cú), a CCCD for most, their poverty status matching their programme;
// - the register (import_register): one loan per borrower disbursed 2022–2024 at a monthly
//   session (programme 01 hộ nghèo, 19 hộ cận nghèo, 09 hộ mới thoát nghèo, 03 giải quyết việc
//   làm), a second loan 06 (nước sạch) for about a fifth of them, a few new loans in 2026;
//   16-digit loan numbers 8407 + YY + 10 digits; principal in equal instalments every 3, 6 or 12
//   months;
// - the transactions (import_transactions): the opening position on 2025-11-30 (principal repaid
//   and savings so far, receipts DK-…), then twelve monthly sessions on the 20th, 2025-12-20 …
//   2026-11-20: interest on what is owed (6.6 %/year for 01 and 03, 7.92 % for 19 and 09, 9 % for
//   06, as a monthly rate of 55, 66 or 75 per 10,000, rounded down to the đồng), each instalment
//   due, the monthly savings, a few withdrawals, and a member's whole savings withdrawn on the day
//   her last loan is repaid; every receipt number unique;
// - the bank's statements (import_statement) as of 2025-12-31, 2026-06-30 (canonical CSV) and
//   2026-10-31 (the bank's HSTD export: title rows, Vietnamese headers, a subtitle row per group,
//   codes that Excel turned into numbers, a "Tổng cộng" row). Loans repaid in the demo year are
//   CLOSE rows. About one borrower in 25 stops paying at some month (her unpaid instalments are
//   overdue, her unpaid interest owed), three borrowers of group 0841106 have their loans frozen
//   (khoanh nợ) after the October 2025 flood.
// Planted in the 2026-10-31 statement (VbspDemoSummary names the loans):
//   - a receipt the leader recorded but did not pay in: principal and interest differ on one loan;
//   - a savings withdrawal made at the bank and not entered: savings differ on one loan;
//   - a name the bank spells without diacritics: matched, not a difference;
//   - a customer code mistyped in the union's register: identity differs (in every statement);
//   - a loan disbursed on 2026-10-20 not yet in the register: missing in the ledger;
//   - a register loan whose disbursement the bank put off: missing at the bank.
// Deterministic for a seed (std::mt19937_64, integer draws only, no floating point).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/ledger.h"

namespace soquy {

struct VbspDemoOptions {
  std::uint64_t seed = 2026;
  std::string unit = "TC-KS";  // the commune; must exist on 2020-01-01
  int groups = 20;
};

struct VbspDemoSummary {
  std::string unit;
  std::int64_t groups = 0;
  std::int64_t members = 0;       // borrowers added to the registry
  std::int64_t loans = 0;         // in the register
  std::int64_t receipts = 0;      // transactions imported
  std::int64_t statements = 0;
  std::int64_t statement_total_rows = 0;  // "Tổng cộng" rows read (and checked) in the HSTD export
  std::int64_t statement_notes = 0;       // the export's notes (its group subtitle rows skipped)
  std::int64_t entries = 0;       // journal entries posted (loans, principal and savings receipts)
  Money disbursed;                // the register's total
  Date first;                     // the earliest disbursement
  Date first_session, last_session;
  Date compare_to;                // 2025-12-31, the statement a year-on-year report compares with
  Date as_of;                     // 2026-10-31, the statement with the planted differences
  Date mid_year;                  // 2026-06-30
  std::int64_t overdue_loans = 0; // OPEN rows with overdue principal in the as_of statement
  std::int64_t frozen_loans = 0;  // … with frozen principal
  // The planted differences of the as_of statement, by loan number.
  std::string unpaid_receipt_loan;       // principal_mismatch and interest_mismatch
  std::string unpaid_receipt_group;
  std::string withdrawal_not_entered_loan;  // savings_mismatch
  std::string unaccented_name_loan;      // matched
  std::string unaccented_name_bank;      // the bank's spelling
  std::string unaccented_name_union;     // the register's
  std::string wrong_customer_code_loan;  // identity_mismatch
  std::string missing_in_ledger_loan;
  std::string missing_in_bank_loan;
};

// Needs the commune `options.unit` in `ledger` (the demo province's Kim Sơn) and the right to
// write in `entrust` and the registry; the member ids HV2001 … and the group codes must be free.
// Writes everything in one transaction (temporary CSV files are written and removed).
Result<VbspDemoSummary> build_vbsp_demo(Ledger& ledger, const VbspDemoOptions& options = {});

}  // namespace soquy
