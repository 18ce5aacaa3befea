-- soquy schema 17 (PostgreSQL): identities the database enforces (issue 14, item 3). SQLite's
-- schemas/0017 is a comment only: on a file soquy itself checks all of this before writing.
-- Nothing here adds a table or a column, so both engines keep the same tables (tests/pg/
-- schema_test.sh compares them); the two new triggers are the server's own.
--
-- Run by the schema's owner: the login that ran `soquy init` (it owns the tables, has CREATEROLE
-- and owns the database). Its functions below are SECURITY DEFINER and so act with its rights.

-- 1. Only this database's soquy logins may connect to it. PostgreSQL lets PUBLIC (every login of
-- the cluster) CONNECT by default, and the four soquy roles are cluster-wide: a login added to
-- another fund's database could otherwise open this one. CONNECT is taken from PUBLIC and given to
-- the owner and to every existing user's login (a database upgraded to this schema);
-- soquy_add_login() gives it to each new one.
DO $connect$
DECLARE
  db   TEXT := current_database();
  u    RECORD;
BEGIN
  IF NOT pg_has_role(session_user, (SELECT d.datdba FROM pg_database d WHERE d.datname = db), 'USAGE') THEN
    RAISE EXCEPTION 'soquy: schema 17 must be applied by the owner of database % (or a superuser): it takes CONNECT from PUBLIC', db
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', db);
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', db, session_user);
  FOR u IN SELECT s.name FROM public.users s JOIN pg_roles r ON r.rolname = s.name LOOP
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', db, u.name);
  END LOOP;
END
$connect$;

-- 2. Adding a person: the only way a soquy admin makes a login. Admins are no longer CREATEROLE
-- (on PostgreSQL 15 a CREATEROLE role may grant itself pg_execute_server_program and the other
-- built-in roles); this function runs with its owner's CREATEROLE and does only this: `role` must
-- be one of the four, `name` a soquy user name (not empty, at most 63 bytes, no space or control
-- character); a new name becomes a LOGIN role without a password, an existing one must already
-- be a LOGIN role (never a group such as soquy_admin or pg_read_server_files) and only gains the
-- membership; either way it is given CONNECT on this database.
CREATE FUNCTION soquy_add_login(login_name TEXT, soquy_role TEXT) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
  can_login BOOLEAN;
BEGIN
  IF soquy_role IS NULL OR soquy_role NOT IN ('admin', 'officer', 'treasurer', 'auditor') THEN
    RAISE EXCEPTION 'soquy: unknown role %: admin, officer, treasurer or auditor', coalesce(soquy_role, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF login_name IS NULL OR login_name !~ '^[^[:space:][:cntrl:]]+$' OR octet_length(login_name) > 63 THEN
    RAISE EXCEPTION 'soquy: % is not a user name (at most 63 bytes, no space or control character)', coalesce(login_name, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT r.rolcanlogin INTO can_login FROM pg_roles r WHERE r.rolname = login_name;
  IF NOT FOUND THEN
    EXECUTE format('CREATE ROLE %I LOGIN', login_name);
  ELSIF NOT can_login THEN
    RAISE EXCEPTION 'soquy: % is a group role of the server, not a person''s login', login_name
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  EXECUTE format('GRANT %I TO %I', 'soquy_' || soquy_role, login_name);
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), login_name);
END
$f$;
REVOKE ALL ON FUNCTION soquy_add_login(TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION soquy_add_login(TEXT, TEXT) TO soquy_admin;

-- 3. An entry names its author: the users row whose name is the login (session_user). Admins are
-- exempt, and so are the owner (a member of soquy_admin since init) and superusers: `soquy copy`
-- writes every user's entries of the source as the copying admin. Everyone else (officers,
-- treasurers) records entries only in her own name, even from psql.
CREATE FUNCTION soquy_entry_author() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM public.users u WHERE u.id = NEW.user_id AND u.name = session_user)
     AND NOT pg_has_role(session_user, 'soquy_admin', 'MEMBER') THEN
    RAISE EXCEPTION 'soquy: entry % names user #% as its author, but the login is %: an entry is recorded in its author''s own name',
      NEW.id, NEW.user_id, session_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$f$;
CREATE TRIGGER entries_author BEFORE INSERT ON entries FOR EACH ROW EXECUTE FUNCTION soquy_entry_author();

-- 4. A posting's account is in its entry's book, for everyone. AFTER the row (at the end of the
-- statement): soquy writes an entry and its postings in one statement, and the entry is then there
-- to be read. SECURITY DEFINER: it reads entries and accounts past a treasurer's row-level security.
CREATE FUNCTION soquy_posting_book() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM public.entries e JOIN public.accounts a ON a.book_id = e.book_id
                  WHERE e.id = NEW.entry_id AND a.id = NEW.account_id) THEN
    RAISE EXCEPTION 'soquy: posting % of entry %: account #% is not in the entry''s book', NEW.line, NEW.entry_id,
      NEW.account_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$f$;
CREATE TRIGGER postings_same_book AFTER INSERT ON postings FOR EACH ROW EXECUTE FUNCTION soquy_posting_book();
REVOKE ALL ON FUNCTION soquy_entry_author(), soquy_posting_book() FROM PUBLIC;

-- 5. The change log's time. soquy.now (a session setting, SOQUY_NOW) is honoured only in a
-- database whose clock was fixed at `init` (tests and demos: SOQUY_NOW was set for the init);
-- anywhere else it is ignored and the server's clock is used. Whether the clock is fixed is this
-- function's answer: `false` here; `soquy init` with SOQUY_NOW replaces it by one answering
-- `true`. Only its owner (the schema's owner) may replace it. A function rather than a one-row
-- table, so that the tables stay SQLite's (the schema comparison, `soquy copy`, the change log's
-- replay all walk the tables).
CREATE FUNCTION soquy_fixed_clock() RETURNS boolean LANGUAGE sql STABLE AS $f$ SELECT false $f$;

CREATE OR REPLACE FUNCTION soquy_log_one(tbl TEXT, record TEXT, action TEXT, content TEXT) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  now_text TEXT := nullif(current_setting('soquy.now', true), '');
  prev     TEXT;
BEGIN
  IF now_text IS NOT NULL AND NOT public.soquy_fixed_clock() THEN
    now_text := NULL;  -- a production database: the session does not choose the log's time
  END IF;
  IF now_text IS NULL THEN
    now_text := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
  ELSIF now_text !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' THEN
    RAISE EXCEPTION 'soquy.now is not a UTC time YYYY-MM-DDTHH:MM:SSZ: %', now_text;
  END IF;
  PERFORM pg_advisory_xact_lock(7536111117);
  SELECT c.hash INTO prev FROM public.change_log c ORDER BY c.seq DESC LIMIT 1;
  INSERT INTO public.change_log (recorded_at, "user", tbl, record, action, content, hash)
  VALUES (now_text, session_user, tbl, record, action, content,
          soquy_change_link(coalesce(prev, ''), now_text, session_user, tbl, record, action, content));
END
$$;
REVOKE ALL ON FUNCTION soquy_log_one(TEXT, TEXT, TEXT, TEXT) FROM PUBLIC;

SELECT soquy_install_change_log();

-- A treasurer adds (and closes) accounts in her own group books, as the library lets her
-- (Ledger::add_account, close_account): schema 1 granted that to admins and officers only, so the
-- server refused her with "permission denied" where SQLite wrote. Row-level security (schema 11,
-- own_books on accounts, whose USING is also its WITH CHECK) keeps her to her books.
GRANT INSERT, UPDATE (closed_on) ON accounts TO soquy_treasurer;
