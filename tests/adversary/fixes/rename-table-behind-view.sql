-- Not an attack: notes renamed and a view of the renamed table under the
-- old name.  Every note is still in the database and reads the same, so
-- this passes: a FAIL has to be earned too.
-- @expect verdict=pass lost=0
ALTER TABLE users RENAME COLUMN mail TO email;
ALTER TABLE notes RENAME TO notes_kept;
CREATE VIEW notes AS SELECT id, body FROM notes_kept;
