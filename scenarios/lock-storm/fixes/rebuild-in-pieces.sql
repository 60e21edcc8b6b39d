-- A tempting way to keep the lock short: rebuild orders with the unique
-- constraint statement by statement, each in its own short transaction.
-- No writer waits long, but quantities adjusted between the copy and the
-- DROP (while the on-call compares row counts) go with the old table: the
-- probe finds the older value (corrupted), and transactions between the
-- DROP and the RENAME fail with "no such table".  Short locks without
-- atomicity lose acknowledged writes.
-- @expect verdict=fail

-- @fix postgres
CREATE TABLE orders_new (
    id  INTEGER PRIMARY KEY,
    ref BIGINT  NOT NULL UNIQUE,
    qty INTEGER NOT NULL
);
INSERT INTO orders_new (id, ref, qty) SELECT id, ref, qty FROM orders;
SELECT count(*) FROM orders;
SELECT count(*) FROM orders_new;
SELECT count(*) FROM orders_new WHERE ref IN (SELECT ref FROM orders);
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;

-- @fix sqlite
CREATE TABLE orders_new (
    id  INTEGER PRIMARY KEY,
    ref BIGINT  NOT NULL UNIQUE,
    qty INTEGER NOT NULL
);
INSERT INTO orders_new (id, ref, qty) SELECT id, ref, qty FROM orders;
SELECT count(*) FROM orders;
SELECT count(*) FROM orders_new;
SELECT count(*) FROM orders_new WHERE ref IN (SELECT ref FROM orders);
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
