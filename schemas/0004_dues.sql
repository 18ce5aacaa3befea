-- soquy schema 4: membership dues (hội phí) of the union. Rules in ledger/src/dues.cc; design in
-- docs/registry.md (Dues). Periods are months written 'YYYY-MM'. Every table is append-only: a setting is
-- changed by a new row from a later period, a bill or a payment is never edited (the journal
-- entries they point at are append-only too).

-- The amount per member per month, from a period on (the row with the latest valid_from not
-- after a period is the rate of that period).
CREATE TABLE dues_rates (
  valid_from  TEXT PRIMARY KEY CHECK (valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  amount      INTEGER NOT NULL CHECK (amount > 0),  -- đồng per member per month
  recorded_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id)
) STRICT;

-- How collected dues are shared between the levels of the tree, from a period on: one row per
-- level, in basis points (1/100 of a percent) that total 10000 for each valid_from.
CREATE TABLE dues_splits (
  valid_from  TEXT NOT NULL CHECK (valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  level       TEXT NOT NULL CHECK (level IN ('branch', 'commune', 'district', 'province')),
  basis_points INTEGER NOT NULL CHECK (basis_points > 0 AND basis_points <= 10000),
  recorded_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id),
  PRIMARY KEY (valid_from, level)
) STRICT, WITHOUT ROWID;

-- A member exempt from dues for the periods from_period..to_period (inclusive; NULL = open).
CREATE TABLE dues_exemptions (
  id          INTEGER PRIMARY KEY,
  member_id   INTEGER NOT NULL REFERENCES members (id),
  from_period TEXT NOT NULL CHECK (from_period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  to_period   TEXT CHECK (to_period IS NULL OR to_period >= from_period),
  reason      TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id)
) STRICT;
CREATE INDEX dues_exemptions_by_member ON dues_exemptions (member_id);

-- One billing run per period: its date, the entry it posted (NULL when nobody was billed) and
-- its summary.
CREATE TABLE dues_periods (
  period    TEXT PRIMARY KEY CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  billed_on TEXT NOT NULL,
  entry_id  INTEGER REFERENCES entries (id),
  members   INTEGER NOT NULL,  -- billed
  exempt    INTEGER NOT NULL,  -- members on the period's first day who were exempt
  amount    INTEGER NOT NULL   -- đồng billed in all
) STRICT;

-- What each member was billed for a period.
CREATE TABLE dues_bills (
  period    TEXT NOT NULL REFERENCES dues_periods (period),
  member_id INTEGER NOT NULL REFERENCES members (id),
  amount    INTEGER NOT NULL CHECK (amount > 0),
  PRIMARY KEY (member_id, period)
) STRICT, WITHOUT ROWID;

-- A payment of dues by a member (receipt = the receipt number given with --id, unique).
CREATE TABLE dues_payments (
  id        INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL REFERENCES members (id),
  paid_on   TEXT NOT NULL,
  amount    INTEGER NOT NULL CHECK (amount > 0),
  receipt   TEXT UNIQUE,
  entry_id  INTEGER NOT NULL REFERENCES entries (id)
) STRICT;
CREATE INDEX dues_payments_by_member ON dues_payments (member_id);

-- How a payment was allocated to the member's billed periods (oldest first).
CREATE TABLE dues_allocations (
  payment_id INTEGER NOT NULL REFERENCES dues_payments (id),
  period     TEXT NOT NULL,
  amount     INTEGER NOT NULL CHECK (amount > 0),
  PRIMARY KEY (payment_id, period)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER dues_rates_no_update BEFORE UPDATE ON dues_rates
BEGIN SELECT RAISE(ABORT, 'soquy: dues rates are history; set a new rate from a later period'); END;
CREATE TRIGGER dues_rates_no_delete BEFORE DELETE ON dues_rates
BEGIN SELECT RAISE(ABORT, 'soquy: dues rates are history; set a new rate from a later period'); END;
CREATE TRIGGER dues_splits_no_update BEFORE UPDATE ON dues_splits
BEGIN SELECT RAISE(ABORT, 'soquy: dues splits are history; set a new split from a later period'); END;
CREATE TRIGGER dues_splits_no_delete BEFORE DELETE ON dues_splits
BEGIN SELECT RAISE(ABORT, 'soquy: dues splits are history; set a new split from a later period'); END;
CREATE TRIGGER dues_exemptions_no_update BEFORE UPDATE ON dues_exemptions
BEGIN SELECT RAISE(ABORT, 'soquy: dues exemptions cannot be changed'); END;
CREATE TRIGGER dues_exemptions_no_delete BEFORE DELETE ON dues_exemptions
BEGIN SELECT RAISE(ABORT, 'soquy: dues exemptions cannot be deleted'); END;
CREATE TRIGGER dues_periods_no_update BEFORE UPDATE ON dues_periods
BEGIN SELECT RAISE(ABORT, 'soquy: billed periods cannot be changed'); END;
CREATE TRIGGER dues_periods_no_delete BEFORE DELETE ON dues_periods
BEGIN SELECT RAISE(ABORT, 'soquy: billed periods cannot be deleted'); END;
CREATE TRIGGER dues_bills_no_update BEFORE UPDATE ON dues_bills
BEGIN SELECT RAISE(ABORT, 'soquy: dues bills cannot be changed'); END;
CREATE TRIGGER dues_bills_no_delete BEFORE DELETE ON dues_bills
BEGIN SELECT RAISE(ABORT, 'soquy: dues bills cannot be deleted'); END;
CREATE TRIGGER dues_payments_no_update BEFORE UPDATE ON dues_payments
BEGIN SELECT RAISE(ABORT, 'soquy: dues payments cannot be changed'); END;
CREATE TRIGGER dues_payments_no_delete BEFORE DELETE ON dues_payments
BEGIN SELECT RAISE(ABORT, 'soquy: dues payments cannot be deleted'); END;
CREATE TRIGGER dues_allocations_no_update BEFORE UPDATE ON dues_allocations
BEGIN SELECT RAISE(ABORT, 'soquy: dues allocations cannot be changed'); END;
CREATE TRIGGER dues_allocations_no_delete BEFORE DELETE ON dues_allocations
BEGIN SELECT RAISE(ABORT, 'soquy: dues allocations cannot be deleted'); END;
