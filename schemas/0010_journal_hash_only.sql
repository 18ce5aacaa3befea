-- soquy schema 10: the journal stores each entry's hash once.
-- `prev_hash` repeated the `hash` of entry id - 1 (ids run without gaps; 32 zero bytes for entry
-- 1), so it is derived instead of stored: `soquy check` recomputes every hash from the previous
-- entry's stored hash and this entry's content. The hashed bytes are unchanged, so every hash
-- already recorded stays valid. Dropping the column rewrites `entries` once; its append-only
-- triggers do not fire for ALTER TABLE and stay in place.
ALTER TABLE entries DROP COLUMN prev_hash;
