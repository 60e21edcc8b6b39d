-- Deploy accounts:phone_number_nullable
-- The essay's version_002 as a sqitch change: sqitch runs the script as it
-- is, so the transaction is the script's own.
-- @expect verdict=pass
-- @expect lost=0

-- @fix postgres
BEGIN;
ALTER TABLE users ALTER COLUMN phone_number DROP NOT NULL;
COMMIT;

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
