// soquy — the audit trail as reports: `soquy audit log` and the auditor's pack
// (`soquy export audit-pack`). docs/audit.md describes both.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "soquy/audit.h"
#include "soquy/checks.h"
#include "soquy/ledger.h"
#include "soquy/reports/render.h"

namespace soquy::reports {

// `audit log`. JSON (schemas/json/audit-log.schema.json):
// {"from","to","user" (null when not given),
//  "entries":[{"entry","recorded_at","user","book","date","memo","client_id","reverses",
//              "postings","debits","hash"}]}
// client_id and reverses are null when absent; debits is a string of đồng. The table (and CSV)
// has one row per entry with the same keys.
Report audit_log_report(const AuditLogFilter& filter, const std::vector<AuditLogEntry>& entries);
// The same report written as the log is read (row_stream.h): json and csv row by row, the same
// bytes as render(audit_log_report(…)); table, xlsx and html collected, xlsx and html up to
// document_row_limit() entries (kUsage past it). Errors of for_each_audit_log_entry and of
// writing.
Result<void> write_audit_log(Ledger& ledger, const AuditLogFilter& filter, Format format, std::ostream& out,
                             const RenderOptions& options);
// The change log of the records outside the journal (`soquy audit changes`), one row per change.
Report change_log_report(const ChangeLogFilter& filter, const std::vector<ChangeLogRow>& changes);

// The files of an audit pack, in the order they are written; MANIFEST.sha256 lists them all.
inline const std::vector<std::string> kAuditPackFiles = {
    "overdue.xlsx",  "overdue.html",  "trial-balance.xlsx",          "trial-balance.csv",
    "par.json",      "vbsp-reconciliation.csv", "vbsp-reconciliation.html", "audit-log.csv",
    "check.json",    "check.txt"};
inline constexpr const char* kAuditPackManifest = "MANIFEST.sha256";

struct AuditPackResult {
  std::vector<std::string> files;  // every file written, MANIFEST.sha256 last
  ChecksResult check;              // the result of `soquy check` written into the pack
};

// Writes the auditor's pack for `as_of` into the directory `dir`:
//   overdue.xlsx, overdue.html   the overdue report at as_of, rows by unit (report overdue --by unit)
//   trial-balance.xlsx, .csv     the trial balance of every book at as_of
//   par.json                     {"as_of","currency", then the overdue report's "totals": "loans",
//                                "loans_overdue","outstanding_principal","overdue_principal",
//                                "overdue_interest","par1","par30","par90"} (schemas/json/par.schema.json)
//   vbsp-reconciliation.csv, .html  the VBSP reconciliation summary: the newest bank statement
//                                dated on or before as_of (its latest version) reconciled with the
//                                union's register at the statement's date (Vbsp::reconcile, as
//                                `soquy vbsp reconcile --as-of STATEMENT_DATE`); one row per group
//                                (group, name, loans, matched and each kind of mismatch), the
//                                totals of the whole reconciliation; without any such statement,
//                                one "note" column saying so
//   audit-log.csv                the whole audit log as recorded when the pack is made
//   check.json, check.txt        the result of `soquy check` (json and table)
//   MANIFEST.sha256              "HASH  FILE" per file above, by name (`sha256sum -c` reads it)
// `dir` must not exist or be an empty directory (else kCantCreate, nothing written). The pack is
// built in `dir`.part and renamed into place at the end, so `dir` never holds half a pack; on any
// failure `dir`.part is removed. A failing check is not an error: the pack records it.
Result<AuditPackResult> write_audit_pack(Ledger& ledger, Date as_of, const std::string& dir);

}  // namespace soquy::reports
