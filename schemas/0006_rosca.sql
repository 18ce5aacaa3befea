-- soquy schema 6: rotating groups (hụi / họ, Decree 19/2019/NĐ-CP). Rules in ledger/src/rosca.cc;
-- design in docs/rosca.md. Every table is append-only: an agreement, a share, an opening, a due,
-- a payment, a payout or a closing is never edited; the journal entries they point at (in the
-- group's own book "group:CODE") are append-only too.

-- The written agreement of a group (dây họ): one row per registry group of kind rosca.
CREATE TABLE rosca_agreements (
  group_id     INTEGER PRIMARY KEY REFERENCES groups (id),
  holder_id    INTEGER NOT NULL REFERENCES members (id),  -- chủ họ
  contribution INTEGER NOT NULL CHECK (contribution > 0),  -- A, đồng per share per round
  period       TEXT NOT NULL CHECK (period IN ('monthly', 'weekly')),
  start_on     TEXT NOT NULL,                               -- the agreement's date, first opening
  kind         TEXT NOT NULL CHECK (kind IN ('fixed', 'lottery', 'bid')),
  fee          INTEGER NOT NULL CHECK (fee >= 0),           -- the holder's fee per round
  holder_takes_first INTEGER NOT NULL CHECK (holder_takes_first IN (0, 1)),
  late_rate    TEXT NOT NULL,                               -- canonical Rate text, e.g. '10%/year'
  terms        TEXT NOT NULL,                               -- the agreement's own words ('' if none)
  recorded_at  TEXT NOT NULL,
  user_id      INTEGER NOT NULL REFERENCES users (id)
) STRICT;
CREATE INDEX rosca_agreements_by_holder ON rosca_agreements (holder_id);

-- The shares (phần họ, chân) in the agreed order; a member listed twice holds two shares.
CREATE TABLE rosca_shares (
  group_id  INTEGER NOT NULL REFERENCES rosca_agreements (group_id),
  share_no  INTEGER NOT NULL CHECK (share_no >= 1),
  member_id INTEGER NOT NULL REFERENCES members (id),
  PRIMARY KEY (group_id, share_no)
) STRICT, WITHOUT ROWID;

-- One row per opening (kỳ mở họ): who took the pot and how (method: holder = the holder's first
-- pot, fixed = the agreed order, lottery = drawn, bid = highest bid, bid-tie = highest bid drawn
-- among the tied shares), the seed of a draw and the shares it was drawn among (replayable, see
-- docs/rosca.md), the winning bid, the payout A·D + (A − B)·L − fee and the fee.
CREATE TABLE rosca_rounds (
  group_id     INTEGER NOT NULL REFERENCES rosca_agreements (group_id),
  round_no     INTEGER NOT NULL CHECK (round_no >= 1),
  opened_on    TEXT NOT NULL,
  method       TEXT NOT NULL CHECK (method IN ('holder', 'fixed', 'lottery', 'bid', 'bid-tie', 'last')),
  winner_share INTEGER NOT NULL,
  bid          INTEGER NOT NULL CHECK (bid >= 0),
  seed         TEXT,            -- decimal unsigned 64-bit seed of a draw, NULL without a draw
  candidates   TEXT NOT NULL,   -- share numbers drawn among, comma separated ('' without a draw)
  dead         INTEGER NOT NULL,
  living       INTEGER NOT NULL,
  payout       INTEGER NOT NULL CHECK (payout > 0),
  fee          INTEGER NOT NULL CHECK (fee >= 0),
  entry_id     INTEGER NOT NULL REFERENCES entries (id),
  recorded_at  TEXT NOT NULL,
  user_id      INTEGER NOT NULL REFERENCES users (id),
  PRIMARY KEY (group_id, round_no)
) STRICT, WITHOUT ROWID;

-- The bids made at an opening (bid kind only), one per share that bid.
CREATE TABLE rosca_bids (
  group_id INTEGER NOT NULL,
  round_no INTEGER NOT NULL,
  share_no INTEGER NOT NULL,
  bid      INTEGER NOT NULL CHECK (bid >= 0),
  PRIMARY KEY (group_id, round_no, share_no),
  FOREIGN KEY (group_id, round_no) REFERENCES rosca_rounds (group_id, round_no)
) STRICT, WITHOUT ROWID;

-- What each share owes at an opening (dead shares A, living shares A − B; the winner nothing).
CREATE TABLE rosca_dues (
  group_id  INTEGER NOT NULL,
  round_no  INTEGER NOT NULL,
  share_no  INTEGER NOT NULL,
  member_id INTEGER NOT NULL REFERENCES members (id),
  amount    INTEGER NOT NULL CHECK (amount > 0),
  PRIMARY KEY (group_id, round_no, share_no),
  FOREIGN KEY (group_id, round_no) REFERENCES rosca_rounds (group_id, round_no)
) STRICT, WITHOUT ROWID;

-- Money moving in or out, each with its receipt number (unique in the group) and its entry:
-- payment (a member pays in), advance (the holder pays a member's missing due of round_no),
-- payout (the winner of round_no is paid, amount = the payout; the fee goes to the holder in the
-- same entry).
CREATE TABLE rosca_movements (
  id          INTEGER PRIMARY KEY,
  group_id    INTEGER NOT NULL REFERENCES rosca_agreements (group_id),
  kind        TEXT NOT NULL CHECK (kind IN ('payment', 'advance', 'payout')),
  member_id   INTEGER NOT NULL REFERENCES members (id),
  round_no    INTEGER,
  moved_on    TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount > 0),
  receipt     TEXT NOT NULL,
  entry_id    INTEGER NOT NULL REFERENCES entries (id),
  recorded_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id),
  UNIQUE (group_id, receipt)
) STRICT;
CREATE INDEX rosca_movements_by_group ON rosca_movements (group_id, moved_on);

-- The wind-down of a group: its date, the settling entry (NULL when nothing was to settle) and
-- what each member owes (amount > 0) or is owed (amount < 0) after it.
CREATE TABLE rosca_closings (
  group_id    INTEGER PRIMARY KEY REFERENCES rosca_agreements (group_id),
  closed_on   TEXT NOT NULL,
  entry_id    INTEGER REFERENCES entries (id),
  recorded_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id)
) STRICT;
CREATE TABLE rosca_settlements (
  group_id  INTEGER NOT NULL REFERENCES rosca_closings (group_id),
  member_id INTEGER NOT NULL REFERENCES members (id),
  amount    INTEGER NOT NULL,
  PRIMARY KEY (group_id, member_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER rosca_agreements_no_update BEFORE UPDATE ON rosca_agreements
BEGIN SELECT RAISE(ABORT, 'soquy: a rotating group agreement cannot be changed'); END;
CREATE TRIGGER rosca_agreements_no_delete BEFORE DELETE ON rosca_agreements
BEGIN SELECT RAISE(ABORT, 'soquy: a rotating group agreement cannot be deleted'); END;
CREATE TRIGGER rosca_shares_no_update BEFORE UPDATE ON rosca_shares
BEGIN SELECT RAISE(ABORT, 'soquy: rotating group shares cannot be changed'); END;
CREATE TRIGGER rosca_shares_no_delete BEFORE DELETE ON rosca_shares
BEGIN SELECT RAISE(ABORT, 'soquy: rotating group shares cannot be deleted'); END;
CREATE TRIGGER rosca_rounds_no_update BEFORE UPDATE ON rosca_rounds
BEGIN SELECT RAISE(ABORT, 'soquy: rotating group openings cannot be changed'); END;
CREATE TRIGGER rosca_rounds_no_delete BEFORE DELETE ON rosca_rounds
BEGIN SELECT RAISE(ABORT, 'soquy: rotating group openings cannot be deleted'); END;
CREATE TRIGGER rosca_bids_no_update BEFORE UPDATE ON rosca_bids
BEGIN SELECT RAISE(ABORT, 'soquy: rotating group bids cannot be changed'); END;
CREATE TRIGGER rosca_bids_no_delete BEFORE DELETE ON rosca_bids
BEGIN SELECT RAISE(ABORT, 'soquy: rotating group bids cannot be deleted'); END;
CREATE TRIGGER rosca_dues_no_update BEFORE UPDATE ON rosca_dues
BEGIN SELECT RAISE(ABORT, 'soquy: rotating group dues cannot be changed'); END;
CREATE TRIGGER rosca_dues_no_delete BEFORE DELETE ON rosca_dues
BEGIN SELECT RAISE(ABORT, 'soquy: rotating group dues cannot be deleted'); END;
CREATE TRIGGER rosca_movements_no_update BEFORE UPDATE ON rosca_movements
BEGIN SELECT RAISE(ABORT, 'soquy: rotating group payments cannot be changed'); END;
CREATE TRIGGER rosca_movements_no_delete BEFORE DELETE ON rosca_movements
BEGIN SELECT RAISE(ABORT, 'soquy: rotating group payments cannot be deleted'); END;
CREATE TRIGGER rosca_closings_no_update BEFORE UPDATE ON rosca_closings
BEGIN SELECT RAISE(ABORT, 'soquy: a rotating group closing cannot be changed'); END;
CREATE TRIGGER rosca_closings_no_delete BEFORE DELETE ON rosca_closings
BEGIN SELECT RAISE(ABORT, 'soquy: a rotating group closing cannot be deleted'); END;
CREATE TRIGGER rosca_settlements_no_update BEFORE UPDATE ON rosca_settlements
BEGIN SELECT RAISE(ABORT, 'soquy: rotating group settlements cannot be changed'); END;
CREATE TRIGGER rosca_settlements_no_delete BEFORE DELETE ON rosca_settlements
BEGIN SELECT RAISE(ABORT, 'soquy: rotating group settlements cannot be deleted'); END;
