-- version_003: put the unique index back without stopping the writers.
-- CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE, which neither the
-- reports nor the writers hold against it: nobody queues behind it.  It
-- cannot run inside a transaction (mdrill runs each fix statement in
-- autocommit).  On SQLite one CREATE UNIQUE INDEX statement holds the write
-- lock for one statement only.
-- @expect verdict=pass

-- @fix postgres
CREATE UNIQUE INDEX CONCURRENTLY orders_ref_key ON orders (ref);

-- @fix sqlite
CREATE UNIQUE INDEX orders_ref_key ON orders (ref);
