-- soquy schema 16: a member's ethnicity may be unknown (issue 13 item 4). Until now the column
-- was NOT NULL DEFAULT 'Kinh' and every member registered without one (an imported file without
-- the column, `member add` without --ethnicity) was recorded as Kinh, which the reports by
-- ethnicity then counted as a fact. From this schema on NULL means "not known": only what the
-- file or the officer says is recorded. Members already recorded keep what they have (which of
-- them got the old default cannot be told apart).
--
-- SQLite cannot drop a NOT NULL constraint or a default, and rebuilding `members` would mean
-- rebuilding every table that refers to it. Removing NOT NULL and a DEFAULT does not change how
-- the rows are stored, so it is done in the table's definition itself, as SQLite documents for
-- exactly these two changes ("ALTER TABLE", section 7, the simpler procedure): the definition is
-- edited with writable_schema on, and RESET reloads the schema on this connection. The statement
-- text is the one schema 2 wrote, so the replace below finds it; a file whose definition was
-- already changed is left as it is.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'ethnicity   TEXT NOT NULL DEFAULT ''Kinh''', 'ethnicity   TEXT')
 WHERE type = 'table' AND name = 'members';
PRAGMA writable_schema = RESET;
