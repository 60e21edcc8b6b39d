-- Empties the migration history and hides it behind a TEMP copy: mdrill's
-- own record would have gone into the copy, and the audit read it.
-- @expect verdict=fail lost=0

-- @fix sqlite
ALTER TABLE users RENAME COLUMN mail TO email;
CREATE TEMP TABLE schema_migrations AS SELECT * FROM main.schema_migrations;
DELETE FROM main.schema_migrations;

-- @fix postgres
ALTER TABLE users RENAME COLUMN mail TO email;
CREATE TEMP TABLE schema_migrations AS SELECT * FROM public.schema_migrations;
DELETE FROM public.schema_migrations;
