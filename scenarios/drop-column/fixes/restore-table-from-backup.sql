-- A tempting fix: "restore the table from the backup taken before the
-- migration".  The notes come back, and so does the rest of the table as
-- it was: every customer v2 registered during the incident is gone (lost
-- rows) and every e-mail v2 changed is back to its older value.  "Restoring
-- from a backup taken before the migration means you lose all changes made
-- after the migration ran."
-- @expect verdict=fail

-- @fix postgres
BEGIN;
DROP TABLE customers;
CREATE TABLE customers (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    email TEXT NOT NULL,
    notes TEXT
);
INSERT INTO customers (id, name, email, notes)
    SELECT id, name, email, notes FROM backup.customers;
COMMIT;

-- @fix sqlite
BEGIN IMMEDIATE;
DROP TABLE customers;
CREATE TABLE customers (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    email TEXT NOT NULL,
    notes TEXT
);
INSERT INTO customers (id, name, email, notes)
    SELECT id, name, email, notes FROM backup.customers;
COMMIT;
