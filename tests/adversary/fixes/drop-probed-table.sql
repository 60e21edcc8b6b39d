-- Drops a probed table that no traffic writes any more.  On SQLite the
-- probe once read it from the backup, attached on the fix's connection, and
-- passed: the probes now read through a connection of their own.
-- @expect verdict=fail lost>=40
ALTER TABLE users RENAME COLUMN mail TO email;
DROP TABLE notes;
