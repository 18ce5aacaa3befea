-- soquy schema 14 (PostgreSQL): corrections in the loan book (issue 12). Same as
-- schemas/0014_loan_corrections.sql, except what PostgreSQL 0003 already created in its final
-- shape: loans.reversed_by/reversal_reason, loan_events.reversed_by/reversal_reason and the
-- narrowed loans_no_update / loan_events_no_update guards. Here only the two new tables.

-- A re-allocation entry of a repayment (entry_id moves the repayment's split to its new one).
CREATE TABLE loan_reallocations (
  entry_id BIGINT PRIMARY KEY REFERENCES entries (id),
  event_id BIGINT NOT NULL REFERENCES loan_events (id)
);
CREATE INDEX loan_reallocations_by_event ON loan_reallocations (event_id);

-- The rows of a recorded collection sheet: which repayments a meeting of a group recorded, so
-- that the whole sheet can be reversed (collection-sheet reverse).
CREATE TABLE loan_collection_rows (
  event_id     BIGINT PRIMARY KEY REFERENCES loan_events (id),
  group_id     BIGINT NOT NULL REFERENCES groups (id),
  meeting_date TEXT NOT NULL
);
CREATE INDEX loan_collection_rows_by_meeting ON loan_collection_rows (group_id, meeting_date);

CREATE TRIGGER loan_reallocations_no_update BEFORE UPDATE ON loan_reallocations FOR EACH ROW
  EXECUTE FUNCTION soquy_refuse('loan re-allocations are append-only');
CREATE TRIGGER loan_reallocations_no_delete BEFORE DELETE ON loan_reallocations FOR EACH ROW
  EXECUTE FUNCTION soquy_refuse('loan re-allocations are append-only');
CREATE TRIGGER loan_reallocations_no_truncate BEFORE TRUNCATE ON loan_reallocations
  EXECUTE FUNCTION soquy_refuse('loan re-allocations are append-only');
CREATE TRIGGER loan_collection_rows_no_update BEFORE UPDATE ON loan_collection_rows FOR EACH ROW
  EXECUTE FUNCTION soquy_refuse('collection-sheet rows are append-only');
CREATE TRIGGER loan_collection_rows_no_delete BEFORE DELETE ON loan_collection_rows FOR EACH ROW
  EXECUTE FUNCTION soquy_refuse('collection-sheet rows are append-only');
CREATE TRIGGER loan_collection_rows_no_truncate BEFORE TRUNCATE ON loan_collection_rows
  EXECUTE FUNCTION soquy_refuse('collection-sheet rows are append-only');

-- Roles: loan corrections are the fund officer's work (and the admin's). INSERT only (the store's
-- INSERT OR IGNORE into loan_collection_rows is INSERT … ON CONFLICT DO NOTHING here).
GRANT SELECT ON loan_reallocations, loan_collection_rows TO soquy_admin, soquy_officer, soquy_treasurer, soquy_auditor;
GRANT INSERT ON loan_reallocations, loan_collection_rows TO soquy_admin, soquy_officer;
