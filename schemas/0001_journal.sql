-- soquy schema 1: users, books, accounts, the append-only journal and balances by date.
-- Amounts are INTEGER minor units (đồng); dates are ISO TEXT (YYYY-MM-DD); every table STRICT.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  role       TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'treasurer', 'auditor')),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE books (
  id       INTEGER PRIMARY KEY,
  code     TEXT NOT NULL UNIQUE,
  name     TEXT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'VND'
) STRICT;

CREATE TABLE accounts (
  id        INTEGER PRIMARY KEY,
  book_id   INTEGER NOT NULL REFERENCES books (id),
  code      TEXT NOT NULL CHECK (length(code) > 0),
  name      TEXT NOT NULL,
  name_en   TEXT NOT NULL DEFAULT '',
  type      TEXT NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'income', 'expense', 'memo')),
  parent_id INTEGER REFERENCES accounts (id),
  closed_on TEXT,
  UNIQUE (book_id, code)
) STRICT;

-- One row per entry, in hash-chain order. `hash` = SHA-256(hex(prev_hash) || "\n" || canonical
-- bytes), both stored as the 32 raw bytes of the digest (shown to people as 64 lowercase hex
-- digits: `lower(hex(hash))`).
-- (Schema 10 drops `prev_hash`: it is the `hash` of entry id - 1, derived when read.)
CREATE TABLE entries (
  id          INTEGER PRIMARY KEY,
  book_id     INTEGER NOT NULL REFERENCES books (id),
  date        TEXT NOT NULL,
  memo        TEXT NOT NULL,
  client_id   TEXT,
  reverses    INTEGER REFERENCES entries (id),
  user_id     INTEGER NOT NULL REFERENCES users (id),
  recorded_at TEXT NOT NULL,
  prev_hash   BLOB NOT NULL CHECK (length(prev_hash) = 32),
  hash        BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE TABLE postings (
  entry_id   INTEGER NOT NULL REFERENCES entries (id),
  line       INTEGER NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  amount     INTEGER NOT NULL CHECK (amount <> 0),
  PRIMARY KEY (entry_id, line)
) STRICT, WITHOUT ROWID;

CREATE INDEX postings_by_account ON postings (account_id, entry_id);
-- Client ids are idempotency keys; an entry has at most one reversal. Partial indexes: most
-- entries have neither, and indexing their NULLs would only slow imports.
CREATE UNIQUE INDEX entries_by_client_id ON entries (client_id) WHERE client_id IS NOT NULL;
CREATE UNIQUE INDEX entries_by_reversed ON entries (reverses) WHERE reverses IS NOT NULL;

-- Balance of each account at the end of each day on which it moved (cumulative). A balance as
-- of D is the last row with date <= D: one index lookup. Derived from postings (soquy check
-- recomputes it), so unlike the journal it is updated when a back-dated entry arrives.
CREATE TABLE account_balances (
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  date       TEXT NOT NULL,
  balance    INTEGER NOT NULL,
  PRIMARY KEY (account_id, date)
) STRICT, WITHOUT ROWID;

-- The journal is append-only, even for someone with the sqlite3 shell.
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'soquy: posted entries cannot be changed; post a reversal'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'soquy: posted entries cannot be deleted; post a reversal'); END;
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'soquy: postings cannot be changed; post a reversal'); END;
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'soquy: postings cannot be deleted; post a reversal'); END;
-- That a posting's account is in its entry's book is checked when posting and re-verified by
-- `soquy check` (a trigger per posting would cost bulk imports about a seventh of their time).
-- Users and accounts are never deleted: entries refer to them.
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN SELECT RAISE(ABORT, 'soquy: users are never deleted'); END;
CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
BEGIN SELECT RAISE(ABORT, 'soquy: accounts are never deleted; close them'); END;
