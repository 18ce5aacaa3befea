-- soquy schema 13: which domain record each journal entry belongs to (issue 12, "one owner per
-- entry"). A domain engine (loans, savings, rosca, vbsp, dues) writes one row with every entry it
-- posts; an entry with an owner is corrected only through its domain (ledger/corrections), so that
-- the domain's records and the journal move together. Entries posted with `soquy post` or
-- `import entries`, fund deposits and provision runs have none and are reversed in the journal.
--
-- domain: loans | savings | rosca | vbsp | dues
-- record: for people — the loan code, the group's code, the VBSP loan number, the member's code,
--         or the dues period (YYYY-MM) of a billing entry.
-- The rows are records like any other: the change log (schema 12) keeps every change to them.
CREATE TABLE entry_owners (
  entry_id INTEGER PRIMARY KEY REFERENCES entries (id),
  domain   TEXT NOT NULL CHECK (domain IN ('loans', 'savings', 'rosca', 'vbsp', 'dues')),
  record   TEXT NOT NULL
) STRICT;

-- An owner is part of the entry's history: never changed, never removed (the change log proves it too).
CREATE TRIGGER entry_owners_no_update BEFORE UPDATE ON entry_owners
BEGIN SELECT RAISE(ABORT, 'soquy: an entry''s owner cannot be changed'); END;
CREATE TRIGGER entry_owners_no_delete BEFORE DELETE ON entry_owners
BEGIN SELECT RAISE(ABORT, 'soquy: an entry''s owner cannot be deleted'); END;

-- The entries written before this schema, from the domain tables that link them. An entry linked
-- twice (a savings meeting's entry also carries its loan repayments) keeps the first owner.
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT l.entry_id, 'loans', l.code FROM loans l;
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT e.entry_id, 'loans', l.code FROM loan_events e JOIN loans l ON l.id = e.loan_id
  WHERE e.entry_id IS NOT NULL;
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT m.entry_id, 'savings', g.code FROM savings_meetings m JOIN groups g ON g.id = m.group_id;
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT s.entry_id, 'savings', g.code FROM savings_loans s JOIN groups g ON g.id = s.group_id;
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT p.entry_id, 'savings', g.code FROM savings_loan_payments p
  JOIN savings_loans s ON s.id = p.loan_id JOIN groups g ON g.id = s.group_id;
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT m.entry_id, 'savings', g.code FROM savings_movements m JOIN groups g ON g.id = m.group_id;
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT s.entry_id, 'savings', g.code FROM savings_shareouts s JOIN groups g ON g.id = s.group_id;
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT r.entry_id, 'rosca', g.code FROM rosca_rounds r JOIN groups g ON g.id = r.group_id;
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT m.entry_id, 'rosca', g.code FROM rosca_movements m JOIN groups g ON g.id = m.group_id;
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT c.entry_id, 'rosca', g.code FROM rosca_closings c JOIN groups g ON g.id = c.group_id
  WHERE c.entry_id IS NOT NULL;
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT v.entry_id, 'vbsp', v.loan_no FROM vbsp_loans v;
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT t.entry_id, 'vbsp', v.loan_no FROM vbsp_transactions t JOIN vbsp_loans v ON v.id = t.loan_id
  WHERE t.entry_id IS NOT NULL;
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT p.entry_id, 'dues', p.period FROM dues_periods p WHERE p.entry_id IS NOT NULL;
INSERT OR IGNORE INTO entry_owners (entry_id, domain, record)
  SELECT p.entry_id, 'dues', m.code FROM dues_payments p JOIN members m ON m.id = p.member_id;
