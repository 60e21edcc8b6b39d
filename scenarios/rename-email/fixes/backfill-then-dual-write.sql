-- Backfill, then dual-write: the order the essay warns against, in its
-- most tempting form.  The first transaction brings email back, backfills
-- it and installs the triggers that carry v1's writes (email) over to
-- email_address; the second installs the other direction, v2's writes
-- (email_address) over to email.  Each transaction is clean on its own,
-- and on many schedules nothing falls between them.  But a v2 write that
-- commits after the first COMMIT and before the second transaction leaves
-- email stale (v1 then reads an older e-mail, or none), and nothing ever
-- repairs the row: the backfill has already run.  Whether it loses data
-- depends on the schedule, so one drill proves nothing: run it under
-- swarm mode (mdrill run rename-email --fix fixes/backfill-then-dual-write.sql
-- --seeds 1..200) and the worst seed names the race.
-- @expect verdict=fail

-- @fix sqlite
BEGIN IMMEDIATE;
ALTER TABLE users ADD COLUMN email TEXT;
UPDATE users SET email = email_address;
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
COMMIT;
BEGIN IMMEDIATE;
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

-- @fix postgres
BEGIN;
ALTER TABLE users ADD COLUMN email TEXT;
UPDATE users SET email = email_address;
CREATE FUNCTION users_email_to_address() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.email_address IS NULL THEN NEW.email_address := NEW.email; END IF;
    ELSIF NEW.email IS DISTINCT FROM OLD.email THEN
        NEW.email_address := NEW.email;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER users_email_to_address BEFORE INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_email_to_address();
COMMIT;
BEGIN;
CREATE FUNCTION users_address_to_email() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.email IS NULL THEN NEW.email := NEW.email_address; END IF;
    ELSIF NEW.email_address IS DISTINCT FROM OLD.email_address THEN
        NEW.email := NEW.email_address;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER users_address_to_email BEFORE INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_address_to_email();
COMMIT;
