-- A trigger that rewrites what the application writes after the fix: the
-- value the database stores is not the application's fact, and the loss
-- must show.
-- @expect verdict=fail lost>0

-- @fix sqlite
ALTER TABLE users RENAME COLUMN mail TO email;
CREATE TRIGGER anonymise AFTER INSERT ON users BEGIN
    UPDATE users SET name = 'anonymous' WHERE id = NEW.id;
END;

-- @fix postgres
ALTER TABLE users RENAME COLUMN mail TO email;
CREATE FUNCTION anonymise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.name := 'anonymous';
    RETURN NEW;
END $$;
CREATE TRIGGER anonymise BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION anonymise();
