-- expand-dual-write.sql, written to be deployed twice.  A deploy can die
-- after the expand transaction commits and before the backfill (or before
-- the migration tool records the version): the tool then runs the whole
-- file again.  expand-dual-write.sql cannot take that: its ALTER TABLE ...
-- ADD COLUMN fails on the column the first run added (run it with
-- --faults fix-crash=all).  This one can: every statement leaves the same
-- schema whether it ran before or not, and the expand is one transaction,
-- so a crash inside it takes all of it back.
-- @expect verdict=pass
-- @expect lost=0

-- SQLite has no ADD COLUMN IF NOT EXISTS: rebuild the table with both
-- columns in one IMMEDIATE transaction instead.  The copy reads only id,
-- name and email_address, which exist before and after a first run, and
-- fills email from email_address (the backfill, done in the same step).
-- Dropping the old table drops its triggers; they are created anew.
-- @fix sqlite
BEGIN IMMEDIATE;
DROP TABLE IF EXISTS users_expanded;
CREATE TABLE users_expanded (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    email_address TEXT,
    email         TEXT
);
INSERT INTO users_expanded (id, name, email_address, email)
    SELECT id, name, email_address, email_address FROM users;
DROP TABLE users;
ALTER TABLE users_expanded RENAME TO users;
CREATE TRIGGER users_email_to_address_ins AFTER INSERT ON users
WHEN NEW.email_address IS NULL AND NEW.email IS NOT NULL
BEGIN
    UPDATE users SET email_address = NEW.email WHERE id = NEW.id;
END;
CREATE TRIGGER users_email_to_address_upd AFTER UPDATE OF email ON users
WHEN NEW.email IS NOT NEW.email_address
BEGIN
    UPDATE users SET email_address = NEW.email WHERE id = NEW.id;
END;
CREATE TRIGGER users_address_to_email_ins AFTER INSERT ON users
WHEN NEW.email IS NULL AND NEW.email_address IS NOT NULL
BEGIN
    UPDATE users SET email = NEW.email_address WHERE id = NEW.id;
END;
CREATE TRIGGER users_address_to_email_upd AFTER UPDATE OF email_address ON users
WHEN NEW.email IS NOT NEW.email_address
BEGIN
    UPDATE users SET email = NEW.email_address WHERE id = NEW.id;
END;
COMMIT;

-- PostgreSQL has the idempotent forms: IF NOT EXISTS, OR REPLACE, and
-- DROP ... IF EXISTS before CREATE TRIGGER.  The backfill after the
-- transaction is idempotent by its WHERE.
-- @fix postgres
BEGIN;
ALTER TABLE users ADD COLUMN IF NOT EXISTS email TEXT;
CREATE OR REPLACE FUNCTION users_address_to_email() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.email IS NULL THEN NEW.email := NEW.email_address; END IF;
    ELSIF NEW.email_address IS DISTINCT FROM OLD.email_address THEN
        NEW.email := NEW.email_address;
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION users_email_to_address() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.email_address IS NULL THEN NEW.email_address := NEW.email; END IF;
    ELSIF NEW.email IS DISTINCT FROM OLD.email THEN
        NEW.email_address := NEW.email;
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS users_address_to_email ON users;
CREATE TRIGGER users_address_to_email BEFORE INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_address_to_email();
DROP TRIGGER IF EXISTS users_email_to_address ON users;
CREATE TRIGGER users_email_to_address BEFORE INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_email_to_address();
COMMIT;
UPDATE users SET email = email_address WHERE email IS DISTINCT FROM email_address;
