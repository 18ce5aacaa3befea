-- soquy schema 9: VBSP entrustment fees and leaders' commissions (phí ủy thác, hoa hồng). Rules
-- in ledger/src/vbsp_fees.cc; design in docs/vbsp.md "Fees, commissions and grades". Both tables
-- are append-only: a contract and a rate version are never edited or deleted; a new rate is a
-- new version with a later effective date. VBSP's public rates were not found, so no rate is
-- built in: every rate here is one the union entered from its contract.

-- The commune union's entrustment contract with VBSP (hợp đồng ủy thác).
CREATE TABLE vbsp_contracts (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,                 -- the contract's number as written
  unit_id     INTEGER NOT NULL REFERENCES units (id),  -- the commune whose groups it covers
  signed_on   TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id)
) STRICT;
CREATE INDEX vbsp_contracts_by_unit ON vbsp_contracts (unit_id, signed_on);

-- One version of a contract's rates, in force from effective_from until the next version. Both
-- rates are exact decimal percentages of the interest the group collected in a session ("8" is
-- 8 %), kept as text so that no binary fraction ever touches them.
CREATE TABLE vbsp_fee_rates (
  contract_id        INTEGER NOT NULL REFERENCES vbsp_contracts (id),
  effective_from     TEXT NOT NULL,
  fee_percent        TEXT NOT NULL,  -- the union's entrustment fee (phí ủy thác)
  commission_percent TEXT NOT NULL,  -- the group leader's commission (hoa hồng)
  recorded_at        TEXT NOT NULL,
  user_id            INTEGER NOT NULL REFERENCES users (id),
  PRIMARY KEY (contract_id, effective_from)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER vbsp_contracts_no_update BEFORE UPDATE ON vbsp_contracts
BEGIN SELECT RAISE(ABORT, 'soquy: VBSP contracts cannot be changed'); END;
CREATE TRIGGER vbsp_contracts_no_delete BEFORE DELETE ON vbsp_contracts
BEGIN SELECT RAISE(ABORT, 'soquy: VBSP contracts cannot be deleted'); END;
CREATE TRIGGER vbsp_fee_rates_no_update BEFORE UPDATE ON vbsp_fee_rates
BEGIN SELECT RAISE(ABORT, 'soquy: VBSP fee rates cannot be changed; add a new version'); END;
CREATE TRIGGER vbsp_fee_rates_no_delete BEFORE DELETE ON vbsp_fee_rates
BEGIN SELECT RAISE(ABORT, 'soquy: VBSP fee rates cannot be deleted; add a new version'); END;
