-- A tempting fix: "to be sure, put invoices back exactly as it was before
-- the migration", from the backup taken just before it.  The schema is
-- back to version 1, and so is the data: every invoice created since is
-- gone (lost rows), every payment and adjustment since is back to its older
-- value (corrupted), and every invoice voided since is back (phantom).
-- Dropping a table to undo an additive change is the one irreversible step.
-- @expect verdict=fail

-- @fix postgres
BEGIN;
DROP VIEW open_invoices;
DROP TABLE invoices;
CREATE TABLE invoices (
    id       INTEGER PRIMARY KEY,
    customer TEXT NOT NULL,
    status   TEXT NOT NULL,
    amount   INTEGER NOT NULL
);
INSERT INTO invoices (id, customer, status, amount)
    SELECT id, customer, status, amount FROM backup.invoices;
COMMIT;

-- @fix sqlite
BEGIN IMMEDIATE;
DROP VIEW open_invoices;
DROP TABLE invoices;
CREATE TABLE invoices (
    id       INTEGER PRIMARY KEY,
    customer TEXT NOT NULL,
    status   TEXT NOT NULL,
    amount   INTEGER NOT NULL
);
INSERT INTO invoices (id, customer, status, amount)
    SELECT id, customer, status, amount FROM backup.invoices;
COMMIT;
