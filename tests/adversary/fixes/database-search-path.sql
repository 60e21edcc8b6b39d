-- PostgreSQL: the database's own setting puts a shadow schema first for
-- every new session, and a copy of the backup in it.
-- @expect verdict=fail lost>=40

-- @fix postgres
ALTER TABLE users RENAME COLUMN mail TO email;
CREATE SCHEMA shadow;
CREATE TABLE shadow.notes AS TABLE backup.notes;
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I SET search_path = shadow, public', current_database());
END $$;
UPDATE public.notes SET body = 'wiped';

-- @fix sqlite
ALTER TABLE users RENAME COLUMN mail TO email;
UPDATE notes SET body = 'wiped';
