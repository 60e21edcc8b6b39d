-- The one-way sync (the trap of GitLab issue 297378): add email back,
-- copy old to new with a trigger, backfill, all in one transaction.  v1's
-- writes reach email_address, so app v2 sees everything; but nothing
-- copies new to old, so whatever v2 writes after the fix never reaches
-- email, and v1, still running, reads a missing or stale e-mail: lost
-- fields and older values in `email_v1`, every one in the "after" window.
-- @expect verdict=fail

-- @fix sqlite
BEGIN IMMEDIATE;
ALTER TABLE users ADD COLUMN email TEXT;
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
UPDATE users SET email = email_address;
COMMIT;

-- @fix postgres
BEGIN;
ALTER TABLE users ADD COLUMN email TEXT;
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
UPDATE users SET email = email_address;
COMMIT;
