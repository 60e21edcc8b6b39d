-- The same with a TEMP table: a copy of the backup under the probed name.
-- @expect verdict=fail lost>=40
ALTER TABLE users RENAME COLUMN mail TO email;
UPDATE notes SET body = 'wiped';
CREATE TEMP TABLE notes AS SELECT id, body FROM backup.notes;
