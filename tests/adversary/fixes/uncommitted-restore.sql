-- Deletes notes and restores them in a transaction it never commits: the
-- fix's own session would have seen them; nobody else does.
-- @expect verdict=fail lost>=40 apply=fail
ALTER TABLE users RENAME COLUMN mail TO email;
DELETE FROM notes;
BEGIN;
INSERT INTO notes SELECT id, body FROM backup.notes;
