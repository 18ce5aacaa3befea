-- soquy schema 15: corrections of savings groups (issue 12). A savings meeting or a share-out
-- that was reversed (its entry has a reversal in the journal: entries.reverses) no longer counts;
-- the corrected sheet of the same date, or the share-out of the same cycle done again, is a new
-- row with the next revision. The mark of a reversed record is the journal's own reversal entry
-- (one per entry: entries_by_reversed), so the domain's records and the journal cannot disagree
-- about it; no record is ever changed.
--
-- savings_meetings: UNIQUE (group_id, held_on) becomes UNIQUE (group_id, held_on, revision).
-- The table is renamed aside without rewriting its children's references (legacy_alter_table),
-- so savings_meeting_lines and savings_loan_payments keep referring to savings_meetings, which is
-- then the new table with the same ids.
PRAGMA legacy_alter_table = ON;

ALTER TABLE savings_meetings RENAME TO savings_meetings_before_15;
CREATE TABLE savings_meetings (
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
INSERT INTO savings_meetings (id, group_id, cycle, meeting_no, held_on, entry_id, recorded_at, user_id, revision)
  SELECT id, group_id, cycle, meeting_no, held_on, entry_id, recorded_at, user_id, 1 FROM savings_meetings_before_15;
DROP TABLE savings_meetings_before_15;

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

PRAGMA legacy_alter_table = OFF;

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
