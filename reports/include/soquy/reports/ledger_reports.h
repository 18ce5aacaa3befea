// soquy — report builders for the journal: accounts, balance, register, trial balance, check,
// and the ledger-cli journal export. Each takes data from the Ledger and shapes a Report;
// JSON shapes are the ones documented in docs/cli.md and schemas/json/.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "soquy/checks.h"
#include "soquy/ledger.h"
#include "soquy/reports/render.h"

namespace soquy::reports {

// [{"code","name","type","parent"}] (JSON is an array).
Report account_list(const std::string& book, const std::vector<Account>& accounts);
// {"book","as_of","accounts":[{"code","name","type","balance"}]}; balance is signed (debit > 0)
// and includes sub-accounts. The table shows debit and credit columns instead of signs.
Report balance_sheet(const BalanceSheet& sheet);
// {"book","account","name","from","as_of","opening","lines":[{"entry","date","client_id","memo",
// "amount","balance"}],"closing"}
// With `holder` (register --member): also a printable form, the member's passbook statement
// (her name, group, the account, opening and closing balances, her signature); JSON unchanged.
struct PassbookHolder {
  std::string member, name, group;  // group: "CODE — name" of her groups on the date, "" = none
};
Report account_register(const AccountRegister& reg, const std::optional<PassbookHolder>& holder = std::nullopt);
// {"as_of","books":[{"book","accounts":[{"code","name","type","debit","credit"}],
// "total_debit","total_credit","balanced"}]}
Report trial_balance(const TrialBalance& tb);
// `soquy check`: {"ok","checks":[{"name","ok","items","differences":[{"book","account","record",
// "date","expected","actual"}],"problems":[…]}],"last_entry","last_hash"} (schemas/json/
// check.schema.json); amounts are strings of đồng, last_entry/last_hash null when the chain was
// not walked (--only another check). The table: one line per check, then the differences.
Report check_result(const ChecksResult& result);
// {"entry","client_id","book","date","memo","created","hash","postings":[{"account","amount"}]}
Report posted_entry(const PostResult& r);
// What `soquy reverse` did: the reversal entry (the same fields as posted_entry, so scripts that
// read `entry`/`reverses` keep working), the owner of the original, the reason, any further
// entries the owning domain posted (re-allocations of later receipts) and its notes.
Report correction(const CorrectionResult& c, const std::string& reason);

// Writes the entries of `ledger` (all books, or one) as a ledger-cli / hledger journal: one
// transaction per entry, accounts named "BOOK:PARENT:CODE", amounts in minor units with the
// book's currency, so `ledger -f FILE balance` gives the same balances as `soquy balance`.
Result<void> write_ledger_journal(Ledger& ledger, const std::string& book, std::ostream& out);

}  // namespace soquy::reports
