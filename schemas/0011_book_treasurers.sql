-- Treasurers write only their own groups' books (issue 17): the group books each treasurer is
-- named on (`soquy group update CODE --treasurer USER`, by an admin or an officer). Append-only:
-- who named whom, and when, stays on record.
CREATE TABLE book_treasurers (
  book_id  INTEGER NOT NULL REFERENCES books(id),
  user_id  INTEGER NOT NULL REFERENCES users(id),
  named_by INTEGER NOT NULL REFERENCES users(id),
  named_at TEXT NOT NULL,
  PRIMARY KEY (book_id, user_id)
) STRICT;

CREATE TRIGGER book_treasurers_no_update BEFORE UPDATE ON book_treasurers
BEGIN
  SELECT RAISE(ABORT, 'book_treasurers is append-only');
END;

CREATE TRIGGER book_treasurers_no_delete BEFORE DELETE ON book_treasurers
BEGIN
  SELECT RAISE(ABORT, 'book_treasurers is append-only');
END;
