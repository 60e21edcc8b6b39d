-- The honest fix: the column's name back, nothing else.
-- @expect verdict=pass lost=0
ALTER TABLE users RENAME COLUMN mail TO email;
