-- A tempting roll-forward: re-add full_name and fill it from the parts,
-- keeping first_name and last_name for v2.  Both app versions work again,
-- but full_name = first_name || ' ' || last_name is the down migration's
-- recombination: every single-word, empty, leading/trailing-space and
-- cut-point double-space name comes back different.  The scorecard shows
-- them as corrupted full_name facts in the seed and before windows
-- ('Madonna' found 'Madonna ', 'Mary  Ann Smith' found 'Mary Ann Smith').
-- @expect verdict=fail

-- @fix sqlite
BEGIN IMMEDIATE;
ALTER TABLE people ADD COLUMN full_name TEXT;
UPDATE people SET full_name = first_name || ' ' || last_name;
COMMIT;

-- @fix postgres
BEGIN;
ALTER TABLE people ADD COLUMN full_name text;
UPDATE people SET full_name = first_name || ' ' || last_name;
COMMIT;
