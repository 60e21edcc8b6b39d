-- The blocking form: ALTER TABLE ... ADD CONSTRAINT UNIQUE needs ACCESS
-- EXCLUSIVE on orders.  It waits for every report in flight, and every
-- writer (and every new report) that arrives after it waits behind it.
-- SQLite cannot add a constraint in place: the table is rebuilt inside one
-- IMMEDIATE transaction, which holds the database's write lock throughout.
-- @expect verdict=fail

-- @fix postgres
ALTER TABLE orders ADD CONSTRAINT orders_ref_key UNIQUE (ref);

-- @fix sqlite
BEGIN IMMEDIATE;
CREATE TABLE orders_new (
    id  INTEGER PRIMARY KEY,
    ref BIGINT  NOT NULL UNIQUE,
    qty INTEGER NOT NULL
);
INSERT INTO orders_new (id, ref, qty) SELECT id, ref, qty FROM orders;
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
COMMIT;
