-- soquy schema 15: corrections of savings groups (issue 12). A savings meeting or a share-out
-- that was reversed through its domain (its entry has a reversal in the journal, entries.reverses,
-- and that reversal has an owner in entry_owners: Ledger::reverse_owned) no longer counts; the
-- corrected sheet of the same date, or the share-out of the same cycle done again, is a new row
-- with the next revision. The mark of a reversed record is that owned reversal entry itself (one
-- per entry: entries_by_reversed), so the domain's records and the journal cannot disagree about
-- it; no record is ever changed.
--
-- savings_meetings: UNIQUE (group_id, held_on) becomes UNIQUE (group_id, held_on, revision).
-- SQLite cannot drop a constraint, so the table is built anew with the same ids, and with it the
-- two tables that refer to it (savings_meeting_lines, savings_loan_payments): the new tables are
-- filled, the old ones dropped children first (no reference is ever left dangling, so foreign
-- keys stay on), and the new ones renamed into place (which carries their references along).
CREATE TABLE savings_meetings_15 (
  id          INTEGER PRIMARY KEY,
  group_id    INTEGER NOT NULL REFERENCES groups (id),
  cycle       INTEGER NOT NULL CHECK (cycle >= 1),
  meeting_no  INTEGER NOT NULL CHECK (meeting_no >= 1),
  held_on     TEXT NOT NULL,
  entry_id    INTEGER NOT NULL REFERENCES entries (id),
  recorded_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id),
  revision    INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),  -- 2, 3, …: recorded again after a reversal
  UNIQUE (group_id, held_on, revision)
) STRICT;
INSERT INTO savings_meetings_15 (id, group_id, cycle, meeting_no, held_on, entry_id, recorded_at, user_id, revision)
  SELECT id, group_id, cycle, meeting_no, held_on, entry_id, recorded_at, user_id, 1 FROM savings_meetings;

CREATE TABLE savings_meeting_lines_15 (
  meeting_id INTEGER NOT NULL REFERENCES savings_meetings_15 (id),
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
INSERT INTO savings_meeting_lines_15 SELECT meeting_id, line_no, member_id, shares, deposit, savings, social, fine,
  repayment, loan_id FROM savings_meeting_lines;

CREATE TABLE savings_loan_payments_15 (
  id          INTEGER PRIMARY KEY,
  loan_id     INTEGER NOT NULL REFERENCES savings_loans (id),
  paid_on     TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount > 0),
  principal   INTEGER NOT NULL CHECK (principal >= 0),
  interest    INTEGER NOT NULL CHECK (interest >= 0),
  penalty     INTEGER NOT NULL CHECK (penalty >= 0),
  meeting_id  INTEGER REFERENCES savings_meetings_15 (id),  -- NULL: repaid outside a meeting
  entry_id    INTEGER NOT NULL REFERENCES entries (id),
  recorded_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id),
  CHECK (principal + interest + penalty = amount)
) STRICT;
INSERT INTO savings_loan_payments_15 SELECT id, loan_id, paid_on, amount, principal, interest, penalty, meeting_id,
  entry_id, recorded_at, user_id FROM savings_loan_payments;

DROP TABLE savings_loan_payments;
DROP TABLE savings_meeting_lines;
DROP TABLE savings_meetings;
ALTER TABLE savings_meetings_15 RENAME TO savings_meetings;
ALTER TABLE savings_meeting_lines_15 RENAME TO savings_meeting_lines;
ALTER TABLE savings_loan_payments_15 RENAME TO savings_loan_payments;
CREATE INDEX savings_loan_payments_by_loan ON savings_loan_payments (loan_id, id);

-- savings_shareouts: PRIMARY KEY (group_id, cycle) becomes (group_id, cycle, revision); its lines
-- follow.
ALTER TABLE savings_shareout_lines RENAME TO savings_shareout_lines_before_15;
ALTER TABLE savings_shareouts RENAME TO savings_shareouts_before_15;
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
  revision       INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
  PRIMARY KEY (group_id, cycle, revision)
) STRICT;
CREATE TABLE savings_shareout_lines (
  group_id  INTEGER NOT NULL,
  cycle     INTEGER NOT NULL,
  member_id INTEGER NOT NULL REFERENCES members (id),
  savings   INTEGER NOT NULL,
  weight    TEXT NOT NULL,  -- exact rational, "p/q" or "p"
  profit    INTEGER NOT NULL,
  payout    INTEGER NOT NULL,
  revision  INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (group_id, cycle, revision, member_id),
  FOREIGN KEY (group_id, cycle, revision) REFERENCES savings_shareouts (group_id, cycle, revision)
) STRICT, WITHOUT ROWID;
INSERT INTO savings_shareouts (group_id, cycle, held_on, method, leftover_rule, loan_fund_cash, savings, profit,
                               leftover, entry_id, recorded_at, user_id, revision)
  SELECT group_id, cycle, held_on, method, leftover_rule, loan_fund_cash, savings, profit, leftover, entry_id,
         recorded_at, user_id, 1 FROM savings_shareouts_before_15;
INSERT INTO savings_shareout_lines (group_id, cycle, member_id, savings, weight, profit, payout, revision)
  SELECT group_id, cycle, member_id, savings, weight, profit, payout, 1 FROM savings_shareout_lines_before_15;
DROP TABLE savings_shareout_lines_before_15;
DROP TABLE savings_shareouts_before_15;


CREATE TRIGGER savings_meeting_lines_no_update BEFORE UPDATE ON savings_meeting_lines
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group meeting lines rows cannot be changed'); END;
CREATE TRIGGER savings_meeting_lines_no_delete BEFORE DELETE ON savings_meeting_lines
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group meeting lines rows cannot be deleted'); END;
CREATE TRIGGER savings_loan_payments_no_update BEFORE UPDATE ON savings_loan_payments
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group loan payments rows cannot be changed'); END;
CREATE TRIGGER savings_loan_payments_no_delete BEFORE DELETE ON savings_loan_payments
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group loan payments rows cannot be deleted'); END;
CREATE TRIGGER savings_meetings_no_update BEFORE UPDATE ON savings_meetings
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group meetings rows cannot be changed'); END;
CREATE TRIGGER savings_meetings_no_delete BEFORE DELETE ON savings_meetings
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group meetings rows cannot be deleted'); END;
CREATE TRIGGER savings_shareouts_no_update BEFORE UPDATE ON savings_shareouts
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group shareouts rows cannot be changed'); END;
CREATE TRIGGER savings_shareouts_no_delete BEFORE DELETE ON savings_shareouts
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group shareouts rows cannot be deleted'); END;
CREATE TRIGGER savings_shareout_lines_no_update BEFORE UPDATE ON savings_shareout_lines
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group shareout lines rows cannot be changed'); END;
CREATE TRIGGER savings_shareout_lines_no_delete BEFORE DELETE ON savings_shareout_lines
BEGIN SELECT RAISE(ABORT, 'soquy: savings-group shareout lines rows cannot be deleted'); END;
