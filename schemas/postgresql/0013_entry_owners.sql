-- soquy schema 13 on PostgreSQL: which domain record each journal entry belongs to (issue 12).
-- Only the table: its data migration on SQLite filled it from the domain tables of existing
-- files, which a PostgreSQL database created at this schema or later never has.
CREATE TABLE entry_owners (
  entry_id BIGINT PRIMARY KEY REFERENCES entries (id),
  domain   TEXT NOT NULL CHECK (domain IN ('loans', 'savings', 'rosca', 'vbsp', 'dues')),
  record   TEXT NOT NULL
);

CREATE TRIGGER entry_owners_no_update BEFORE UPDATE ON entry_owners FOR EACH ROW
  EXECUTE FUNCTION soquy_refuse('soquy: an entry''s owner cannot be changed');
CREATE TRIGGER entry_owners_no_delete BEFORE DELETE ON entry_owners FOR EACH ROW
  EXECUTE FUNCTION soquy_refuse('soquy: an entry''s owner cannot be deleted');
CREATE TRIGGER entry_owners_no_truncate BEFORE TRUNCATE ON entry_owners
  EXECUTE FUNCTION soquy_refuse('soquy: an entry''s owner cannot be deleted');

REVOKE ALL ON entry_owners FROM PUBLIC;
GRANT SELECT ON entry_owners TO soquy_admin, soquy_officer, soquy_treasurer, soquy_auditor;
GRANT INSERT ON entry_owners TO soquy_admin, soquy_officer, soquy_treasurer;
