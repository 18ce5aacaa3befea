-- soquy schema 19 (PostgreSQL): admins added before schema 17 lose CREATEROLE. SQLite's
-- schemas/0019 is a comment only.
--
-- Before schema 17, `soquy user add NAME --role admin` made a new login with CREATEROLE, so that
-- she could add people in turn. Since 17 she adds them through soquy_add_login() (which runs with
-- the owner's CREATEROLE), and an admin's own CREATEROLE only lets her grant herself the server's
-- built-in roles (pg_execute_server_program, pg_read_server_files, …) from psql. Schema 17 left
-- the admins already made with it; this takes it from them.
--
-- Whose: a login that is a user of this database with the role admin, has CREATEROLE, and is not
-- a superuser, the login applying the upgrade, nor the owner of this or any other database of the
-- cluster (each keeps what the DBA gave it: another fund's owner needs CREATEROLE for its own
-- soquy_add_login). Roles are cluster-wide: such a login loses CREATEROLE for every database of
-- the cluster, which no soquy of schema 17 or later needs.
--
-- Run by the schema's owner, as every migration (docs/server.md). On PostgreSQL 15 a CREATEROLE
-- role may alter a role that is not a superuser; an owner without CREATEROLE is told so and the
-- upgrade is not made.
DO $admins$
DECLARE
  may_alter BOOLEAN := (SELECT r.rolcreaterole OR r.rolsuper FROM pg_roles r WHERE r.rolname = session_user);
  u         RECORD;
BEGIN
  FOR u IN SELECT r.rolname FROM public.users s JOIN pg_roles r ON r.rolname = s.name
            WHERE s.role = 'admin' AND r.rolcreaterole AND NOT r.rolsuper
              AND r.rolname <> session_user AND NOT EXISTS (SELECT 1 FROM pg_database d WHERE d.datdba = r.oid)
            ORDER BY r.rolname LOOP
    IF NOT may_alter THEN
      RAISE EXCEPTION 'soquy: schema 19 takes CREATEROLE from the admin %, and % may not: apply it as the database''s owner (with CREATEROLE) or a superuser',
        u.rolname, session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('ALTER ROLE %I NOCREATEROLE', u.rolname);
  END LOOP;
END
$admins$;
