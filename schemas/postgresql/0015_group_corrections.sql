-- soquy schema 15 (PostgreSQL): corrections of savings groups (issue 12). Nothing to do here.
-- SQLite's schema 15 rebuilds savings_meetings (UNIQUE (group_id, held_on) becomes UNIQUE
-- (group_id, held_on, revision)), savings_meeting_lines and savings_loan_payments (which refer
-- to it), and savings_shareouts and savings_shareout_lines (PRIMARY KEY (group_id, cycle)
-- becomes (group_id, cycle, revision)), copying their rows across. A PostgreSQL database has no
-- older rows: PostgreSQL 0007 creates these tables in that final shape, with their triggers,
-- row-level security and grants. The file is kept so that both engines number their schemas alike.
SELECT 1 WHERE false;
