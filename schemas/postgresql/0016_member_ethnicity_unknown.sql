-- soquy schema 16 (PostgreSQL): a member's ethnicity may be unknown (issue 13 item 4). Nothing to
-- do here: PostgreSQL 0002 creates members.ethnicity as a nullable TEXT without a default (NULL
-- means "not known"), the shape SQLite's schema 16 reaches by editing the table's definition with
-- writable_schema. The file is kept so that both engines number their schemas alike.

-- The change log's trigger on every table created since schema 12 (entry_owners of schema 13,
-- loan_reallocations and loan_collection_rows of schema 14): see schema 12. Every later schema
-- ends with this call too.
SELECT soquy_install_change_log();
