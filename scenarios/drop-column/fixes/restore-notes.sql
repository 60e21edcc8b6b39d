-- version_003: put customers.notes back, with its data.
-- The column is added back and refilled from the backup taken just before
-- version_002 dropped it.  Only notes is copied, and only by key: rows v2
-- registered since and e-mails v2 changed since are left as they are.
-- Both steps run in one transaction, so no note the legacy code writes
-- once the column is back can land between them and be overwritten by
-- the older value from the backup.
-- @expect verdict=pass

-- @fix postgres
BEGIN;
ALTER TABLE customers ADD COLUMN notes TEXT;
UPDATE customers SET notes = b.notes
    FROM backup.customers AS b
    WHERE b.id = customers.id;
COMMIT;

-- @fix sqlite
BEGIN IMMEDIATE;
ALTER TABLE customers ADD COLUMN notes TEXT;
UPDATE customers SET notes = b.notes
    FROM backup.customers AS b
    WHERE b.id = customers.id;
COMMIT;
