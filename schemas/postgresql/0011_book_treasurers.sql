-- soquy schema 11 on PostgreSQL: the group books each treasurer is named on (issue 17), and the
-- row-level security that lets a treasurer read and write only those books' rows. Append-only.
CREATE TABLE book_treasurers (
  book_id  BIGINT NOT NULL REFERENCES books (id),
  user_id  BIGINT NOT NULL REFERENCES users (id),
  named_by BIGINT NOT NULL REFERENCES users (id),
  named_at TEXT NOT NULL,
  PRIMARY KEY (book_id, user_id)
);

CREATE TRIGGER book_treasurers_no_update BEFORE UPDATE ON book_treasurers FOR EACH ROW
  EXECUTE FUNCTION soquy_refuse('book_treasurers is append-only');
CREATE TRIGGER book_treasurers_no_delete BEFORE DELETE ON book_treasurers FOR EACH ROW
  EXECUTE FUNCTION soquy_refuse('book_treasurers is append-only');
CREATE TRIGGER book_treasurers_no_truncate BEFORE TRUNCATE ON book_treasurers
  EXECUTE FUNCTION soquy_refuse('book_treasurers is append-only');

REVOKE ALL ON book_treasurers FROM PUBLIC;
GRANT SELECT ON book_treasurers TO soquy_admin, soquy_officer, soquy_treasurer, soquy_auditor;
GRANT INSERT ON book_treasurers TO soquy_admin, soquy_officer;

-- The books the session's login is treasurer of (users.name = session_user).
CREATE FUNCTION soquy_my_books() RETURNS SETOF BIGINT LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp AS $f$
  SELECT bt.book_id FROM public.book_treasurers bt JOIN public.users u ON u.id = bt.user_id
  WHERE u.name = session_user
$f$;
REVOKE ALL ON FUNCTION soquy_my_books() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION soquy_my_books() TO soquy_admin, soquy_officer, soquy_treasurer, soquy_auditor;

-- Row-level security: admins, officers and auditors see every row (auditors write none, by the
-- grants); a treasurer sees and writes only the rows of her books. The tables' owner (the login
-- that ran `soquy init`) and superusers are not subject to it.
ALTER TABLE entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE postings ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_balances ENABLE ROW LEVEL SECURITY;
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone_but_treasurers ON entries TO soquy_admin, soquy_officer, soquy_auditor USING (true);
CREATE POLICY everyone_but_treasurers ON postings TO soquy_admin, soquy_officer, soquy_auditor USING (true);
CREATE POLICY everyone_but_treasurers ON account_balances TO soquy_admin, soquy_officer, soquy_auditor USING (true);
CREATE POLICY everyone_but_treasurers ON accounts TO soquy_admin, soquy_officer, soquy_auditor USING (true);
CREATE POLICY own_books ON entries TO soquy_treasurer
  USING (book_id IN (SELECT soquy_my_books()));
CREATE POLICY own_books ON accounts TO soquy_treasurer
  USING (book_id IN (SELECT soquy_my_books()));
CREATE POLICY own_books ON postings TO soquy_treasurer
  USING (account_id IN (SELECT a.id FROM accounts a WHERE a.book_id IN (SELECT soquy_my_books())));
CREATE POLICY own_books ON account_balances TO soquy_treasurer
  USING (account_id IN (SELECT a.id FROM accounts a WHERE a.book_id IN (SELECT soquy_my_books())));
