// SQL that takes a later schema's additions away again, so that a test can rebuild the file of an
// earlier soquy and watch the upgrade. Shared by the unit tests (test_support.h) and the fault
// tests (tests/faults), which do not include the unit tests' helpers.
#pragma once

namespace soquy::test_support {

// What schema 14 (loan corrections) added, taken away, as the file of an earlier soquy had it:
// the tests that rebuild an old schema (make_schema_N) run it first. The loans' change-log
// triggers go too (they name the columns); the upgrade writes them again.
inline constexpr const char* kUndoSchema14 =
    "DROP TABLE loan_reallocations;\n"
    "DROP TABLE loan_collection_rows;\n"
    "DROP TRIGGER IF EXISTS log_loans_insert; DROP TRIGGER IF EXISTS log_loans_update;\n"
    "DROP TRIGGER IF EXISTS log_loans_rekey; DROP TRIGGER IF EXISTS log_loans_delete;\n"
    "DROP TRIGGER IF EXISTS log_loan_events_insert; DROP TRIGGER IF EXISTS log_loan_events_update;\n"
    "DROP TRIGGER IF EXISTS log_loan_events_rekey; DROP TRIGGER IF EXISTS log_loan_events_delete;\n"
    "DROP TRIGGER loans_no_update;\n"
    "DROP TRIGGER loan_events_no_update;\n"
    "ALTER TABLE loans DROP COLUMN reversal_reason;\n"
    "ALTER TABLE loans DROP COLUMN reversed_by;\n"
    "ALTER TABLE loan_events DROP COLUMN reversal_reason;\n"
    "ALTER TABLE loan_events DROP COLUMN reversed_by;\n"
    "CREATE TRIGGER loans_no_update BEFORE UPDATE ON loans\n"
    "BEGIN SELECT RAISE(ABORT, 'loans are append-only: record an event instead'); END;\n"
    "CREATE TRIGGER loan_events_no_update BEFORE UPDATE ON loan_events\n"
    "BEGIN SELECT RAISE(ABORT, 'loan events are append-only: record a correcting event instead'); END;\n";

}  // namespace soquy::test_support
