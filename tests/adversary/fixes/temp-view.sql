-- Wipes notes, then shadows it on its own connection with a TEMP view of
-- the backup, which probes on that connection would have read.
-- @expect verdict=fail lost>=40
ALTER TABLE users RENAME COLUMN mail TO email;
UPDATE notes SET body = 'wiped';
CREATE TEMP VIEW notes AS SELECT id, body FROM backup.notes;
