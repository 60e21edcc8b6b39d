-- PostgreSQL: a schema named after the role comes first in the default
-- search path of every new session; a copy of the backup there would
-- stand in for the wiped table.  SQLite has no such path: the wipe alone.
-- @expect verdict=fail lost>=40

-- @fix postgres
ALTER TABLE users RENAME COLUMN mail TO email;
DO $$ BEGIN
    EXECUTE format('CREATE SCHEMA %I', current_user);
    EXECUTE format('CREATE TABLE %I.notes AS TABLE backup.notes', current_user);
END $$;
UPDATE public.notes SET body = 'wiped';

-- @fix sqlite
ALTER TABLE users RENAME COLUMN mail TO email;
UPDATE notes SET body = 'wiped';
