-- version_003: allow 'shipped'.  The column stays, with every status v2
-- stored in it; only the CHECK that rejected shipments changes.
-- @expect verdict=pass

-- @fix postgres
BEGIN;
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled'));
COMMIT;

-- SQLite cannot change a CHECK in place: rebuild the table in one IMMEDIATE
-- transaction, copying status with the rest.
-- @fix sqlite
BEGIN IMMEDIATE;
CREATE TABLE orders_fixed (
    id       INTEGER PRIMARY KEY,
    customer TEXT    NOT NULL,
    total    INTEGER NOT NULL,
    status   TEXT    NOT NULL DEFAULT 'pending'
        CONSTRAINT orders_status_check CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled'))
);
INSERT INTO orders_fixed (id, customer, total, status)
    SELECT id, customer, total, status FROM orders;
DROP TABLE orders;
ALTER TABLE orders_fixed RENAME TO orders;
COMMIT;
