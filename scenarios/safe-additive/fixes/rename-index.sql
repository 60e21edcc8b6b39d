-- version_003: give the index the name of what it indexes.
-- The roll-forward for a misnamed index: nothing else about version_002 is
-- wrong, so nothing else changes.  PostgreSQL renames it in place; SQLite
-- has no ALTER INDEX, so it drops and recreates it in one transaction.
-- @expect verdict=pass

-- @fix postgres
ALTER INDEX invoices_status_idx RENAME TO invoices_customer_idx;

-- @fix sqlite
BEGIN IMMEDIATE;
DROP INDEX invoices_status_idx;
CREATE INDEX invoices_customer_idx ON invoices (customer);
COMMIT;
