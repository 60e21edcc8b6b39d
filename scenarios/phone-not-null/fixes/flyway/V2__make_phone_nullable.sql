-- The essay's version_002 as a team keeps it in Flyway: the bad migration
-- was V1__add_phone_number.sql, so the fix is V2, and V3 indexes the column
-- the way the team had planned to.  Flyway applies V2 then V3.
-- @expect verdict=pass
-- @expect lost=0

-- @fix postgres
ALTER TABLE users ALTER COLUMN phone_number DROP NOT NULL;

-- @fix sqlite
BEGIN IMMEDIATE;
CREATE TABLE users_fixed (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    phone_number TEXT
);
INSERT INTO users_fixed (id, name, email, phone_number)
    SELECT id, name, email, phone_number FROM users;
DROP TABLE users;
ALTER TABLE users_fixed RENAME TO users;
COMMIT;
