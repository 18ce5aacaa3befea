-- soquy schema 2: the registry — dated organisation tree, members, groups.

-- A unit of the union: province, district (until 1 July 2025), commune/ward, hamlet branch.
-- A unit exists from valid_from until valid_to (exclusive; NULL while it exists). A merged
-- unit points at the unit that took over its members, groups and balances.
CREATE TABLE units (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL CHECK (kind IN ('province', 'district', 'commune', 'branch')),
  valid_from  TEXT NOT NULL,
  valid_to    TEXT,
  merged_into INTEGER REFERENCES units (id),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
) STRICT;

-- Dated name and parent of a unit: a rename or a move adds a row from its date on.
CREATE TABLE unit_history (
  unit_id    INTEGER NOT NULL REFERENCES units (id),
  valid_from TEXT NOT NULL,
  name       TEXT NOT NULL,
  parent_id  INTEGER REFERENCES units (id),
  PRIMARY KEY (unit_id, valid_from)
) STRICT, WITHOUT ROWID;

CREATE TABLE members (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,  -- Unicode NFC, single spaces
  national_id TEXT UNIQUE CHECK (national_id IS NULL OR (length(national_id) = 12 AND national_id NOT GLOB '*[^0-9]*')),
  unit_id     INTEGER NOT NULL REFERENCES units (id),
  born        TEXT,
  ethnicity   TEXT NOT NULL DEFAULT 'Kinh',
  joined      TEXT NOT NULL,
  left_on     TEXT
) STRICT;
CREATE INDEX members_by_unit ON members (unit_id);

-- Poverty status is dated: a household escapes poverty (or falls into it) on a date.
CREATE TABLE member_poverty (
  member_id  INTEGER NOT NULL REFERENCES members (id),
  valid_from TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('poor', 'near-poor', 'none')),
  PRIMARY KEY (member_id, valid_from)
) STRICT, WITHOUT ROWID;

CREATE TABLE groups (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('credit', 'savings', 'rosca', 'vbsp', 'pool')),
  unit_id    INTEGER NOT NULL REFERENCES units (id),
  leader_id  INTEGER REFERENCES members (id),
  book_id    INTEGER REFERENCES books (id),  -- savings, rosca and pool groups keep their own book
  created_on TEXT NOT NULL
) STRICT;
CREATE INDEX groups_by_unit ON groups (unit_id);

-- Dated group membership.
CREATE TABLE group_members (
  group_id  INTEGER NOT NULL REFERENCES groups (id),
  member_id INTEGER NOT NULL REFERENCES members (id),
  joined_on TEXT NOT NULL,
  left_on   TEXT,
  PRIMARY KEY (group_id, member_id, joined_on)
) STRICT, WITHOUT ROWID;
CREATE INDEX group_members_by_member ON group_members (member_id);
