-- soquy schema 7: accumulating savings groups (tổ tiết kiệm) and pools. Rules in
-- ledger/src/savings.cc; design in docs/savings.md. Every table is append-only: a rule set, a
-- meeting and its lines, a loan, a repayment, a movement or a share-out is never edited; the
-- journal entries they point at (in the group's own book "group:CODE") are append-only too.

-- A savings group's standing rules (one row per group; fixed once set).
CREATE TABLE savings_rules (
  group_id    INTEGER PRIMARY KEY REFERENCES groups (id),
  share_price INTEGER CHECK (share_price IS NULL OR share_price > 0),  -- đồng per share
  method      TEXT NOT NULL CHECK (method IN ('shares', 'time-weighted')),
  leftover    TEXT NOT NULL CHECK (leftover IN ('social-fund', 'members')),
  recorded_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id)
) STRICT;

-- One row per meeting (one per date per group); cycle counts share-outs (1 before the first).
CREATE TABLE savings_meetings (
  id          INTEGER PRIMARY KEY,
  group_id    INTEGER NOT NULL REFERENCES groups (id),
  cycle       INTEGER NOT NULL CHECK (cycle >= 1),
  meeting_no  INTEGER NOT NULL CHECK (meeting_no >= 1),
  held_on     TEXT NOT NULL,
  entry_id    INTEGER NOT NULL REFERENCES entries (id),
  recorded_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id),
  UNIQUE (group_id, held_on)
) STRICT;

-- The sheet of a meeting: one row per line (savings = shares × share price + deposit).
CREATE TABLE savings_meeting_lines (
  meeting_id INTEGER NOT NULL REFERENCES savings_meetings (id),
  line_no    INTEGER NOT NULL CHECK (line_no >= 1),
  member_id  INTEGER NOT NULL REFERENCES members (id),
  shares     INTEGER NOT NULL CHECK (shares >= 0),
  deposit    INTEGER NOT NULL CHECK (deposit >= 0),
  savings    INTEGER NOT NULL CHECK (savings >= 0),
  social     INTEGER NOT NULL CHECK (social >= 0),
  fine       INTEGER NOT NULL CHECK (fine >= 0),
  repayment  INTEGER NOT NULL CHECK (repayment >= 0),
  loan_id    INTEGER REFERENCES savings_loans (id),
  PRIMARY KEY (meeting_id, line_no)
) STRICT, WITHOUT ROWID;

-- Loans from a group's loan fund, with the terms the fund-loan engine schedules.
CREATE TABLE savings_loans (
  id           INTEGER PRIMARY KEY,
  group_id     INTEGER NOT NULL REFERENCES groups (id),
  code         TEXT NOT NULL,
  member_id    INTEGER NOT NULL REFERENCES members (id),
  cycle        INTEGER NOT NULL CHECK (cycle >= 1),
  principal    INTEGER NOT NULL CHECK (principal > 0),
  rate         TEXT NOT NULL,              -- canonical Rate text, '10%/month'
  installments INTEGER NOT NULL CHECK (installments >= 1),
  frequency    TEXT NOT NULL,
  method       TEXT NOT NULL,
  grace        INTEGER NOT NULL CHECK (grace >= 0),
  penalty_rate TEXT,                       -- NULL: no penalty
  disbursed_on TEXT NOT NULL,
  entry_id     INTEGER NOT NULL REFERENCES entries (id),
  recorded_at  TEXT NOT NULL,
  user_id      INTEGER NOT NULL REFERENCES users (id),
  UNIQUE (group_id, code)
) STRICT;

-- Repayments of group loans, as allocated (principal + interest + penalty = amount).
CREATE TABLE savings_loan_payments (
  id          INTEGER PRIMARY KEY,
  loan_id     INTEGER NOT NULL REFERENCES savings_loans (id),
  paid_on     TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount > 0),
  principal   INTEGER NOT NULL CHECK (principal >= 0),
  interest    INTEGER NOT NULL CHECK (interest >= 0),
  penalty     INTEGER NOT NULL CHECK (penalty >= 0),
  meeting_id  INTEGER REFERENCES savings_meetings (id),  -- NULL: repaid outside a meeting
  entry_id    INTEGER NOT NULL REFERENCES entries (id),
  recorded_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id),
  CHECK (principal + interest + penalty = amount)
) STRICT;
CREATE INDEX savings_loan_payments_by_loan ON savings_loan_payments (loan_id, id);

-- Money of one member moving outside meetings: withdraw and grant (savings groups: savings paid
-- back, a grant from the social fund), contribution and charge (pools: a member's part of a
-- purchase).
CREATE TABLE savings_movements (
  id          INTEGER PRIMARY KEY,
  group_id    INTEGER NOT NULL REFERENCES groups (id),
  cycle       INTEGER NOT NULL CHECK (cycle >= 1),
  member_id   INTEGER NOT NULL REFERENCES members (id),
  kind        TEXT NOT NULL CHECK (kind IN ('withdraw', 'grant', 'contribution', 'charge')),
  moved_on    TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount > 0),
  entry_id    INTEGER NOT NULL REFERENCES entries (id),
  recorded_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id)
) STRICT;
CREATE INDEX savings_movements_by_group ON savings_movements (group_id, id);

-- A share-out closes cycle `cycle`; its lines say what each member was paid.
CREATE TABLE savings_shareouts (
  group_id       INTEGER NOT NULL REFERENCES groups (id),
  cycle          INTEGER NOT NULL CHECK (cycle >= 1),
  held_on        TEXT NOT NULL,
  method         TEXT NOT NULL CHECK (method IN ('shares', 'time-weighted')),
  leftover_rule  TEXT NOT NULL CHECK (leftover_rule IN ('social-fund', 'members')),
  loan_fund_cash INTEGER NOT NULL,
  savings        INTEGER NOT NULL,
  profit         INTEGER NOT NULL,
  leftover       INTEGER NOT NULL,
  entry_id       INTEGER NOT NULL REFERENCES entries (id),
  recorded_at    TEXT NOT NULL,
  user_id        INTEGER NOT NULL REFERENCES users (id),
  PRIMARY KEY (group_id, cycle)
) STRICT;
CREATE TABLE savings_shareout_lines (
  group_id  INTEGER NOT NULL,
  cycle     INTEGER NOT NULL,
  member_id INTEGER NOT NULL REFERENCES members (id),
  savings   INTEGER NOT NULL,
  weight    TEXT NOT NULL,  -- exact rational, "p/q" or "p"
  profit    INTEGER NOT NULL,
  payout    INTEGER NOT NULL,
  PRIMARY KEY (group_id, cycle, member_id),
  FOREIGN KEY (group_id, cycle) REFERENCES savings_shareouts (group_id, cycle)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER savings_rules_no_update BEFORE UPDATE ON savings_rules
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group rules rows cannot be changed'); END;
CREATE TRIGGER savings_rules_no_delete BEFORE DELETE ON savings_rules
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group rules rows cannot be deleted'); END;
CREATE TRIGGER savings_meetings_no_update BEFORE UPDATE ON savings_meetings
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group meetings rows cannot be changed'); END;
CREATE TRIGGER savings_meetings_no_delete BEFORE DELETE ON savings_meetings
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group meetings rows cannot be deleted'); END;
CREATE TRIGGER savings_meeting_lines_no_update BEFORE UPDATE ON savings_meeting_lines
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group meeting lines rows cannot be changed'); END;
CREATE TRIGGER savings_meeting_lines_no_delete BEFORE DELETE ON savings_meeting_lines
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group meeting lines rows cannot be deleted'); END;
CREATE TRIGGER savings_loans_no_update BEFORE UPDATE ON savings_loans
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group loans rows cannot be changed'); END;
CREATE TRIGGER savings_loans_no_delete BEFORE DELETE ON savings_loans
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group loans rows cannot be deleted'); END;
CREATE TRIGGER savings_loan_payments_no_update BEFORE UPDATE ON savings_loan_payments
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group loan payments rows cannot be changed'); END;
CREATE TRIGGER savings_loan_payments_no_delete BEFORE DELETE ON savings_loan_payments
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group loan payments rows cannot be deleted'); END;
CREATE TRIGGER savings_movements_no_update BEFORE UPDATE ON savings_movements
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group movements rows cannot be changed'); END;
CREATE TRIGGER savings_movements_no_delete BEFORE DELETE ON savings_movements
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group movements rows cannot be deleted'); END;
CREATE TRIGGER savings_shareouts_no_update BEFORE UPDATE ON savings_shareouts
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group shareouts rows cannot be changed'); END;
CREATE TRIGGER savings_shareouts_no_delete BEFORE DELETE ON savings_shareouts
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group shareouts rows cannot be deleted'); END;
CREATE TRIGGER savings_shareout_lines_no_update BEFORE UPDATE ON savings_shareout_lines
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group shareout lines rows cannot be changed'); END;
CREATE TRIGGER savings_shareout_lines_no_delete BEFORE DELETE ON savings_shareout_lines
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group shareout lines rows cannot be deleted'); END;
