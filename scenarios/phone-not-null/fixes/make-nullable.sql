-- version_002: fix phone_number constraint
-- This migration makes phone_number nullable so old application code can
-- insert rows without providing a value.  The column stays, so every phone
-- number stored since version_001 survives.
-- @expect verdict=pass

-- @fix postgres
ALTER TABLE users ALTER COLUMN phone_number DROP NOT NULL;

-- SQLite cannot drop a NOT NULL constraint in place: rebuild the table,
-- inside one IMMEDIATE transaction so that no write lands between the copy
-- and the swap.
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
