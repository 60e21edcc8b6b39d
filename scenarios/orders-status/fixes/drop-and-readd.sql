-- A tempting fix: "re-create the column properly" -- drop status and add
-- it again with the right CHECK, in one transaction.  Nothing fails after
-- it, but every status v2 stored (paid, and shipped since the fix) is back
-- at the default 'pending': lost fields, through @default orders.status.
-- @expect verdict=fail

-- @fix postgres
BEGIN;
ALTER TABLE orders DROP COLUMN status;
ALTER TABLE orders ADD COLUMN status TEXT NOT NULL DEFAULT 'pending'
    CONSTRAINT orders_status_check CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled'));
COMMIT;

-- @fix sqlite
BEGIN IMMEDIATE;
ALTER TABLE orders DROP COLUMN status;
ALTER TABLE orders ADD COLUMN status TEXT NOT NULL DEFAULT 'pending'
    CONSTRAINT orders_status_check CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled'));
COMMIT;
