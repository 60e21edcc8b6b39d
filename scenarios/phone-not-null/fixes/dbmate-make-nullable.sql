-- The essay's version_002 as a dbmate migration.  Only the up section
-- runs in the fix slot; dbmate would run it in a transaction, and the
-- SQLite form holds its own.
-- @expect verdict=pass
-- @expect lost=0

-- migrate:up
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

-- migrate:down
-- Put the constraint back: only safe once every writer fills the column.
ALTER TABLE users ALTER COLUMN phone_number SET NOT NULL;
