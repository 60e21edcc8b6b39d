-- Roll forward: keep N, N+1 and N+2, and give v1 what the constraint
-- wants.  A trigger creates the parent team whenever a user arrives with
-- (or moves to) a team id that has no row yet, before the foreign key is
-- checked; a new founder is marked owner, as migration N+2 did for the
-- founders before it.  v1 founds teams again, v2 keeps its plans and
-- roles, and every team_id still points at a team.
-- @expect verdict=pass

-- @fix sqlite
BEGIN IMMEDIATE;
CREATE TRIGGER users_create_team BEFORE INSERT ON users
WHEN NOT EXISTS (SELECT 1 FROM teams WHERE id = NEW.team_id)
BEGIN
    INSERT INTO teams (id) VALUES (NEW.team_id);
END;
CREATE TRIGGER users_create_team_on_move BEFORE UPDATE OF team_id ON users
WHEN NOT EXISTS (SELECT 1 FROM teams WHERE id = NEW.team_id)
BEGIN
    INSERT INTO teams (id) VALUES (NEW.team_id);
END;
CREATE TRIGGER users_founder_owns AFTER INSERT ON users
WHEN NEW.id = NEW.team_id AND NEW.role = 'member'
BEGIN
    UPDATE users SET role = 'owner' WHERE id = NEW.id;
END;
COMMIT;

-- @fix postgres
BEGIN;
CREATE FUNCTION users_create_team() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM teams WHERE id = NEW.team_id) THEN
        INSERT INTO teams (id) VALUES (NEW.team_id) ON CONFLICT (id) DO NOTHING;
    END IF;
    IF TG_OP = 'INSERT' AND NEW.id = NEW.team_id AND NEW.role = 'member' THEN
        NEW.role := 'owner';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER users_create_team BEFORE INSERT OR UPDATE OF team_id ON users
    FOR EACH ROW EXECUTE FUNCTION users_create_team();
COMMIT;
