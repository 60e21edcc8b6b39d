-- A tempting order: add email back and backfill it at once (one
-- transaction, so the backfill itself is clean), then install the sync
-- triggers, one statement at a time as a migration tool would run them.
-- Between the backfill and the triggers both apps write unsynced: v1's
-- writes never reach email_address (its registrations have no e-mail
-- there, its changes leave an older one), v2's never reach email (v1 then
-- reads stale e-mails).  Once the triggers exist nothing repairs those rows.
-- It is a race, but the window spans several statements of traffic.
-- @expect verdict=fail

-- @fix sqlite
BEGIN IMMEDIATE;
ALTER TABLE users ADD COLUMN email TEXT;
UPDATE users SET email = email_address;
COMMIT;
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

-- @fix postgres
BEGIN;
ALTER TABLE users ADD COLUMN email TEXT;
UPDATE users SET email = email_address;
COMMIT;
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
