-- version_003: bring full_name back without the lossy round trip.
-- The split lost information, so the parts cannot give full_name back; the
-- backup taken before version_002 can.  Re-add full_name (nullable: v2 does
-- not write it), fill it from backup.people for every row that existed
-- before the split, and compose it only for the rows v2 registered since,
-- which never had a full_name.  first_name and last_name stay exactly as the
-- split and v2 left them, so both app versions find their columns and every
-- acknowledged value survives.  A later migration can reconcile the two
-- representations once v1 is gone.
-- @expect verdict=pass

-- @fix sqlite
BEGIN IMMEDIATE;
ALTER TABLE people ADD COLUMN full_name TEXT;
UPDATE people SET full_name = (SELECT b.full_name FROM backup.people b WHERE b.id = people.id)
    WHERE id IN (SELECT id FROM backup.people);
UPDATE people SET full_name = CASE WHEN last_name = '' THEN first_name
                                   ELSE first_name || ' ' || last_name END
    WHERE full_name IS NULL;
COMMIT;

-- @fix postgres
BEGIN;
ALTER TABLE people ADD COLUMN full_name text;
UPDATE people p SET full_name = b.full_name FROM backup.people b WHERE b.id = p.id;
UPDATE people SET full_name = concat_ws(' ', NULLIF(first_name, ''), NULLIF(last_name, ''))
    WHERE full_name IS NULL;
COMMIT;
