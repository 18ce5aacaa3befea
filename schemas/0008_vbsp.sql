-- soquy schema 8: VBSP entrustment (ủy thác NHCSXH). Rules in ledger/src/vbsp.cc; design in
-- docs/vbsp.md. Every table is append-only: a register loan, a group transaction, a statement
-- and its rows are never edited or deleted. Statements are dated snapshots of the bank's record:
-- a corrected statement for the same date is a new version beside the old one, never an update.

-- The union's register of entrusted loans (one row per VBSP loan number).
CREATE TABLE vbsp_loans (
  id            INTEGER PRIMARY KEY,
  loan_no       TEXT NOT NULL UNIQUE,   -- Số khế ước, digits
  group_id      INTEGER NOT NULL REFERENCES groups (id),
  member_id     INTEGER NOT NULL REFERENCES members (id),
  customer_code TEXT NOT NULL,          -- the bank's customer code (Mã KH)
  national_id   TEXT,                   -- as written in the register; NULL when missing
  borrower_name TEXT NOT NULL,          -- NFC, single spaces
  programme     TEXT NOT NULL,          -- the bank's programme code (01, 19, 03, …)
  disbursed_on  TEXT NOT NULL,
  amount        INTEGER NOT NULL CHECK (amount > 0),
  maturity_on   TEXT NOT NULL,
  entry_id      INTEGER NOT NULL REFERENCES entries (id),  -- posting in the entrust book
  recorded_at   TEXT NOT NULL,
  user_id       INTEGER NOT NULL REFERENCES users (id),
  CHECK (maturity_on > disbursed_on)
) STRICT;
CREATE INDEX vbsp_loans_by_group ON vbsp_loans (group_id);

-- What members paid through the group (receipts 01/BL, sheet 13/TD); receipt_no is unique.
CREATE TABLE vbsp_transactions (
  id          INTEGER PRIMARY KEY,
  receipt_no  TEXT NOT NULL UNIQUE,
  loan_id     INTEGER NOT NULL REFERENCES vbsp_loans (id),
  paid_on     TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('principal', 'interest', 'savings-in', 'savings-out')),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  entry_id    INTEGER REFERENCES entries (id),  -- NULL for interest (passed to the bank, no memo account)
  recorded_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id)
) STRICT;
CREATE INDEX vbsp_transactions_by_loan ON vbsp_transactions (loan_id, paid_on);

-- A bank statement as of a date, for the period [period_from, as_of]. Versions of one date
-- count from 1; the newest is used.
CREATE TABLE vbsp_statements (
  id           INTEGER PRIMARY KEY,
  as_of        TEXT NOT NULL,
  period_from  TEXT NOT NULL,
  version      INTEGER NOT NULL CHECK (version >= 1),
  source       TEXT NOT NULL,          -- the file's name as given
  content_hash TEXT NOT NULL,          -- SHA-256 of the canonical rows (re-import detection)
  row_count    INTEGER NOT NULL CHECK (row_count >= 0),
  recorded_at  TEXT NOT NULL,
  user_id      INTEGER NOT NULL REFERENCES users (id),
  UNIQUE (as_of, version),
  CHECK (period_from <= as_of)
) STRICT;

CREATE TABLE vbsp_statement_rows (
  statement_id          INTEGER NOT NULL REFERENCES vbsp_statements (id),
  loan_no               TEXT NOT NULL,
  line                  INTEGER NOT NULL,
  group_code            TEXT NOT NULL,
  commune_code          TEXT,
  office_code           TEXT,
  customer_code         TEXT NOT NULL,
  borrower_name         TEXT NOT NULL,
  programme             TEXT NOT NULL,
  disbursed_on          TEXT,
  principal_outstanding INTEGER NOT NULL CHECK (principal_outstanding >= 0),
  principal_overdue     INTEGER NOT NULL CHECK (principal_overdue >= 0),
  principal_frozen      INTEGER NOT NULL CHECK (principal_frozen >= 0),
  interest_collected    INTEGER NOT NULL CHECK (interest_collected >= 0),
  interest_unpaid       INTEGER NOT NULL CHECK (interest_unpaid >= 0),
  savings_balance       INTEGER NOT NULL CHECK (savings_balance >= 0),
  status                TEXT NOT NULL CHECK (status IN ('OPEN', 'CLOSE')),
  PRIMARY KEY (statement_id, loan_no)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER vbsp_loans_no_update BEFORE UPDATE ON vbsp_loans
BEGIN SELECT RAISE(ABORT, 'soquy: VBSP register rows cannot be changed'); END;
CREATE TRIGGER vbsp_loans_no_delete BEFORE DELETE ON vbsp_loans
BEGIN SELECT RAISE(ABORT, 'soquy: VBSP register rows cannot be deleted'); END;
CREATE TRIGGER vbsp_transactions_no_update BEFORE UPDATE ON vbsp_transactions
BEGIN SELECT RAISE(ABORT, 'soquy: VBSP transactions cannot be changed'); END;
CREATE TRIGGER vbsp_transactions_no_delete BEFORE DELETE ON vbsp_transactions
BEGIN SELECT RAISE(ABORT, 'soquy: VBSP transactions cannot be deleted'); END;
CREATE TRIGGER vbsp_statements_no_update BEFORE UPDATE ON vbsp_statements
BEGIN SELECT RAISE(ABORT, 'soquy: VBSP statements cannot be changed'); END;
CREATE TRIGGER vbsp_statements_no_delete BEFORE DELETE ON vbsp_statements
BEGIN SELECT RAISE(ABORT, 'soquy: VBSP statements cannot be deleted'); END;
CREATE TRIGGER vbsp_statement_rows_no_update BEFORE UPDATE ON vbsp_statement_rows
BEGIN SELECT RAISE(ABORT, 'soquy: VBSP statement rows cannot be changed'); END;
CREATE TRIGGER vbsp_statement_rows_no_delete BEFORE DELETE ON vbsp_statement_rows
BEGIN SELECT RAISE(ABORT, 'soquy: VBSP statement rows cannot be deleted'); END;
