-- Moves notes out of the probe's way and wipes it: the name 'notes' must
-- not resolve to the backup's copy.
-- @expect verdict=fail lost>=40
ALTER TABLE users RENAME COLUMN mail TO email;
ALTER TABLE notes RENAME TO notes_old;
UPDATE notes_old SET body = 'wiped';
