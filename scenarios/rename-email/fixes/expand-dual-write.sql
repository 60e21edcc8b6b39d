-- Expand, then backfill: the essay's expand-contract, run forward from the
-- renamed column.  One transaction adds email back and installs sync
-- triggers in BOTH directions, so from the moment v1 can write email again
-- every write lands in both columns; only then the backfill copies
-- email_address into email for the rows written before.  The backfill may
-- run outside the transaction (in batches, on a big table): the triggers
-- already keep every new write in sync, so nothing can slip between.
-- email_address stays the source of truth; contracting (dropping email)
-- waits until no v1 is left.
-- @expect verdict=pass

-- SQLite triggers cannot change NEW, so each direction is an AFTER trigger
-- that updates the row; the WHEN guards stop the ping-pong (and SQLite does
-- not fire a trigger recursively anyway).
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
UPDATE users SET email = email_address WHERE email IS NOT email_address;

-- PostgreSQL: BEFORE row triggers that set NEW, so there is no second
-- UPDATE and nothing to recurse.  Two functions, one per direction; they
-- fire in name order (address_to_email, then email_to_address) and agree.
-- @fix postgres
BEGIN;
ALTER TABLE users ADD COLUMN email TEXT;
CREATE FUNCTION users_address_to_email() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.email IS NULL THEN NEW.email := NEW.email_address; END IF;
    ELSIF NEW.email_address IS DISTINCT FROM OLD.email_address THEN
        NEW.email := NEW.email_address;
    END IF;
    RETURN NEW;
END $$;
CREATE FUNCTION users_email_to_address() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.email_address IS NULL THEN NEW.email_address := NEW.email; END IF;
    ELSIF NEW.email IS DISTINCT FROM OLD.email THEN
        NEW.email_address := NEW.email;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER users_address_to_email BEFORE INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_address_to_email();
CREATE TRIGGER users_email_to_address BEFORE INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_email_to_address();
COMMIT;
UPDATE users SET email = email_address WHERE email IS DISTINCT FROM email_address;
