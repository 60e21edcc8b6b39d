-- Replaces notes with a view of the backup.  PostgreSQL takes the view;
-- the probe reads the database without the backup, so the view reads
-- nothing.  SQLite refuses it (a view cannot reach into another
-- database), and the table is gone already.
-- @expect verdict=fail lost>=40
-- @expect apply=ok postgres
-- @expect apply=fail sqlite
ALTER TABLE users RENAME COLUMN mail TO email;
DROP TABLE notes;
CREATE VIEW notes AS SELECT id, body FROM backup.notes;
