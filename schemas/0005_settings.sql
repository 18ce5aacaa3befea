-- soquy schema 5: who changed a product setting, when, from what to what. The current values
-- stay in `settings` (schema 1); every change made through `soquy setting set` also appends a
-- row here in the same transaction, so an auditor can see when a rule (a loan class's provision
-- rate, the member limit…) changed. Append-only. Keys and their meaning: docs/settings.md.
CREATE TABLE setting_changes (
  id          INTEGER PRIMARY KEY,
  key         TEXT NOT NULL,
  old_value   TEXT,            -- NULL: the setting had its built-in default
  new_value   TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id),
  recorded_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER setting_changes_no_update BEFORE UPDATE ON setting_changes
BEGIN SELECT RAISE(ABORT, 'setting changes are append-only'); END;
CREATE TRIGGER setting_changes_no_delete BEFORE DELETE ON setting_changes
BEGIN SELECT RAISE(ABORT, 'setting changes are append-only'); END;
