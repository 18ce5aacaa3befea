-- soquy schema 18 (PostgreSQL): the journal's insert checks run once per statement instead of
-- once per row (issue 14, item 8: an import of 1,000 entries is one INSERT of entries and one of
-- postings). SQLite's schemas/0018 is a comment only.
--
-- Before, each entry of two postings cost the server six foreign-key lookups (the entry's book and
-- user, each posting's entry and account: one `SELECT … FOR KEY SHARE` each) and three PL/pgSQL
-- calls (schema 17's entries_author once, postings_same_book twice): about 70 % of an import's
-- server time (docs/performance.md, "PostgreSQL server"). Now the two triggers keep their names
-- (`soquy check`'s journal.guards looks for them) and become statement triggers that check the
-- statement's new rows at once, with one join over its transition table:
--   - entries_author: each entry's book and user exist (were the foreign keys), and its user is
--     the login unless the login is an admin (was schema 17's row trigger);
--   - postings_same_book: each posting's entry and account exist (were the foreign keys), and the
--     account is in the entry's book (was schema 17's row trigger).
-- The four foreign keys they replace are dropped: the rows they pointed at are never deleted
-- (users_no_delete, accounts_no_delete; a book that has an entry has accounts, whose own foreign
-- key keeps it), and no soquy role may UPDATE their ids (column grants: accounts' closed_on only).
-- The error codes are the foreign keys' (foreign_key_violation) and schema 17's. The other foreign
-- keys (entries.reverses, and every other table's) stay as they are.
--
-- Run by the schema's owner, as every migration (docs/server.md).

ALTER TABLE entries DROP CONSTRAINT entries_book_id_fkey, DROP CONSTRAINT entries_user_id_fkey;
ALTER TABLE postings DROP CONSTRAINT postings_entry_id_fkey, DROP CONSTRAINT postings_account_id_fkey;
DROP TRIGGER entries_author ON entries;
DROP TRIGGER postings_same_book ON postings;
DROP FUNCTION soquy_entry_author();
DROP FUNCTION soquy_posting_book();

-- The first wrong entry of the statement (lowest id), if any. SECURITY DEFINER: it reads users,
-- books and the login's membership past a treasurer's row-level security. Each row is looked up
-- by its primary key (LATERAL … LIMIT 1, which the planner keeps as an index probe per new row):
-- a plain join let it choose to read the whole journal into a hash for every statement, 130 ms
-- a batch at 200,000 entries, and growing with the journal.
CREATE FUNCTION soquy_entries_checked() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
  admin BOOLEAN := pg_has_role(session_user, 'soquy_admin', 'MEMBER');
  bad   RECORD;
BEGIN
  SELECT n.id, n.book_id, n.user_id, b.id IS NULL AS no_book, u.id IS NULL AS no_user INTO bad
    FROM new_entries n
    LEFT JOIN LATERAL (SELECT x.id FROM public.books x WHERE x.id = n.book_id LIMIT 1) b ON true
    LEFT JOIN LATERAL (SELECT x.id, x.name FROM public.users x WHERE x.id = n.user_id LIMIT 1) u ON true
   WHERE b.id IS NULL OR u.id IS NULL OR (NOT admin AND u.name <> session_user)
   ORDER BY n.id LIMIT 1;
  IF NOT FOUND THEN
    RETURN NULL;
  ELSIF bad.no_book THEN
    RAISE EXCEPTION 'soquy: entry % names book #%, which does not exist', bad.id, bad.book_id
      USING ERRCODE = 'foreign_key_violation';
  ELSIF bad.no_user THEN
    RAISE EXCEPTION 'soquy: entry % names user #%, who does not exist', bad.id, bad.user_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RAISE EXCEPTION 'soquy: entry % names user #% as its author, but the login is %: an entry is recorded in its author''s own name',
    bad.id, bad.user_id, session_user USING ERRCODE = 'insufficient_privilege';
END
$f$;
CREATE TRIGGER entries_author AFTER INSERT ON entries REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION soquy_entries_checked();

-- The first wrong posting of the statement (by entry, then line), if any. AFTER the statement:
-- soquy writes an entry and its postings in one statement (pg_store.cc), and the entry is then
-- there to be read. SECURITY DEFINER: it reads entries and accounts past row-level security.
CREATE FUNCTION soquy_postings_checked() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
  bad RECORD;
BEGIN
  SELECT n.entry_id, n.line, n.account_id, e.id IS NULL AS no_entry, a.id IS NULL AS no_account INTO bad
    FROM new_postings n
    LEFT JOIN LATERAL (SELECT x.id, x.book_id FROM public.entries x WHERE x.id = n.entry_id LIMIT 1) e ON true
    LEFT JOIN LATERAL (SELECT x.id, x.book_id FROM public.accounts x WHERE x.id = n.account_id LIMIT 1) a ON true
   WHERE e.id IS NULL OR a.id IS NULL OR a.book_id <> e.book_id
   ORDER BY n.entry_id, n.line LIMIT 1;
  IF NOT FOUND THEN
    RETURN NULL;
  ELSIF bad.no_entry THEN
    RAISE EXCEPTION 'soquy: posting % names entry #%, which does not exist', bad.line, bad.entry_id
      USING ERRCODE = 'foreign_key_violation';
  ELSIF bad.no_account THEN
    RAISE EXCEPTION 'soquy: posting % of entry % names account #%, which does not exist', bad.line, bad.entry_id,
      bad.account_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RAISE EXCEPTION 'soquy: posting % of entry %: account #% is not in the entry''s book', bad.line, bad.entry_id,
    bad.account_id USING ERRCODE = 'check_violation';
END
$f$;
CREATE TRIGGER postings_same_book AFTER INSERT ON postings REFERENCING NEW TABLE AS new_postings
  FOR EACH STATEMENT EXECUTE FUNCTION soquy_postings_checked();
REVOKE ALL ON FUNCTION soquy_entries_checked(), soquy_postings_checked() FROM PUBLIC;
