-- soquy schema 14: corrections in the loan book (issue 12) — reversed events, re-allocations of
-- later repayments, and the rows of each recorded collection sheet.
--
-- The journal stays append-only: a correction is new entries (a reversal, re-allocation entries).
-- The loan rows follow them, and the change log records every change:
--   * a reversed disbursement cancels the loan: loans.reversed_by is its reversal entry (the row
--     stays, so its code stays taken; reports leave the loan out);
--   * a reversed event keeps its row, marked with its reversal entry: replays leave it out and
--     `loan history` shows it with the reason;
--   * when a late receipt or a reversal changes how a later repayment splits into principal,
--     interest, penalty and overpayment, that repayment's row takes the new split and a
--     re-allocation entry (dated at that repayment's date, no cash) moves the difference between
--     2111, 7021, 7022 and 4591; loan_reallocations links the entry to the repayment.

ALTER TABLE loans ADD COLUMN reversed_by INTEGER REFERENCES entries (id);   -- the disbursement's reversal
ALTER TABLE loans ADD COLUMN reversal_reason TEXT;
ALTER TABLE loan_events ADD COLUMN reversed_by INTEGER REFERENCES entries (id);  -- NULL: the event stands
ALTER TABLE loan_events ADD COLUMN reversal_reason TEXT;

-- A re-allocation entry of a repayment (entry_id moves the repayment's split to its new one).
CREATE TABLE loan_reallocations (
  entry_id INTEGER PRIMARY KEY REFERENCES entries (id),
  event_id INTEGER NOT NULL REFERENCES loan_events (id)
) STRICT;
CREATE INDEX loan_reallocations_by_event ON loan_reallocations (event_id);

-- The rows of a recorded collection sheet (collection-sheet record): which repayments a
-- meeting of a group recorded, so that the whole sheet can be reversed (collection-sheet reverse).
CREATE TABLE loan_collection_rows (
  event_id     INTEGER PRIMARY KEY REFERENCES loan_events (id),
  group_id     INTEGER NOT NULL REFERENCES groups (id),
  meeting_date TEXT NOT NULL
) STRICT;
CREATE INDEX loan_collection_rows_by_meeting ON loan_collection_rows (group_id, meeting_date);

CREATE TRIGGER loan_reallocations_no_update BEFORE UPDATE ON loan_reallocations
BEGIN SELECT RAISE(ABORT, 'loan re-allocations are append-only'); END;
CREATE TRIGGER loan_reallocations_no_delete BEFORE DELETE ON loan_reallocations
BEGIN SELECT RAISE(ABORT, 'loan re-allocations are append-only'); END;
CREATE TRIGGER loan_collection_rows_no_update BEFORE UPDATE ON loan_collection_rows
BEGIN SELECT RAISE(ABORT, 'collection-sheet rows are append-only'); END;
CREATE TRIGGER loan_collection_rows_no_delete BEFORE DELETE ON loan_collection_rows
BEGIN SELECT RAISE(ABORT, 'collection-sheet rows are append-only'); END;

-- The guards of schema 3, narrowed to the two changes a correction makes. A loan: only marked
-- reversed, once. An event: marked reversed once (nothing else changes), or, while it stands, a
-- repayment's split changed (principal + interest + penalty + overpayment still its amount).
DROP TRIGGER loans_no_update;
CREATE TRIGGER loans_no_update BEFORE UPDATE ON loans
WHEN NEW.id IS NOT OLD.id OR NEW.code IS NOT OLD.code OR NEW.member_id IS NOT OLD.member_id
  OR NEW.group_id IS NOT OLD.group_id OR NEW.product_id IS NOT OLD.product_id OR NEW.principal IS NOT OLD.principal
  OR NEW.method IS NOT OLD.method OR NEW.rate IS NOT OLD.rate OR NEW.installments IS NOT OLD.installments
  OR NEW.frequency IS NOT OLD.frequency OR NEW.grace IS NOT OLD.grace OR NEW.savings_rate IS NOT OLD.savings_rate
  OR NEW.penalty_rate IS NOT OLD.penalty_rate OR NEW.allocation_order IS NOT OLD.allocation_order
  OR NEW.disbursed_on IS NOT OLD.disbursed_on OR NEW.schedule IS NOT OLD.schedule OR NEW.entry_id IS NOT OLD.entry_id
  OR OLD.reversed_by IS NOT NULL OR NEW.reversed_by IS NULL OR NEW.reversal_reason IS NULL
BEGIN SELECT RAISE(ABORT, 'loans are append-only: record an event instead (a disbursement is only marked reversed, once)'); END;

DROP TRIGGER loan_events_no_update;
CREATE TRIGGER loan_events_no_update BEFORE UPDATE ON loan_events
WHEN NEW.id IS NOT OLD.id OR NEW.loan_id IS NOT OLD.loan_id OR NEW.kind IS NOT OLD.kind
  OR NEW.on_date IS NOT OLD.on_date OR NEW.amount IS NOT OLD.amount OR NEW.savings IS NOT OLD.savings
  OR NEW.schedule IS NOT OLD.schedule OR NEW.detail IS NOT OLD.detail OR NEW.client_id IS NOT OLD.client_id
  OR NEW.entry_id IS NOT OLD.entry_id OR OLD.reversed_by IS NOT NULL
  OR (NEW.reversed_by IS NOT NULL AND (NEW.principal IS NOT OLD.principal OR NEW.interest IS NOT OLD.interest
      OR NEW.penalty IS NOT OLD.penalty OR NEW.overpayment IS NOT OLD.overpayment OR NEW.reversal_reason IS NULL))
  OR (NEW.reversed_by IS NULL AND (OLD.kind <> 'repay' OR NEW.reversal_reason IS NOT NULL
      OR NEW.principal + NEW.interest + NEW.penalty + NEW.overpayment <> NEW.amount))
BEGIN SELECT RAISE(ABORT, 'loan events are append-only: record a correcting event instead (a repayment''s split changes only by re-allocation)'); END;
