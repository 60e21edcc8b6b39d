-- A tempting fix: the backup has every legacy code, so take code from
-- backup.orders for every row it holds, and keep the rest.  Every '007' is
-- back, but so is the old code of every order recoded since the backup:
-- the scorecard lists them as corrupted, "an older acknowledged value: a
-- later write was lost".  ("When Database Down Migrations Are Safe",
-- "Data Loss Is Permanent": restoring from a backup taken before the
-- migration loses the changes made after it.)
-- @expect verdict=fail

-- @fix postgres
BEGIN;
ALTER TABLE orders ADD COLUMN code_text varchar(16);
UPDATE orders SET code_text = code::text;
UPDATE orders o SET code_text = b.code FROM backup.orders b WHERE b.id = o.id;
ALTER TABLE orders RENAME COLUMN code TO code_int_corrupted;
ALTER TABLE orders RENAME COLUMN code_text TO code;
COMMIT;

-- @fix sqlite
BEGIN IMMEDIATE;
ALTER TABLE orders ADD COLUMN code_text VARCHAR(16);
UPDATE orders SET code_text = CAST(code AS TEXT);
UPDATE orders SET code_text = (SELECT b.code FROM backup.orders b WHERE b.id = orders.id)
    WHERE id IN (SELECT id FROM backup.orders);
ALTER TABLE orders RENAME COLUMN code TO code_int_corrupted;
ALTER TABLE orders RENAME COLUMN code_text TO code;
COMMIT;
