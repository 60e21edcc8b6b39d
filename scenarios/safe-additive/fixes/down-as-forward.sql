-- version_003: back out version_002 as a new forward migration.
-- The same three statements as the down migration, but recorded as a new
-- version: "the safest approach is to treat the down migration as a new
-- forward migration".  Safe here because everything version_002 added is
-- additive and unused: a view, an index, and a column nothing wrote.
-- @expect verdict=pass
DROP VIEW open_invoices;
DROP INDEX invoices_status_idx;
ALTER TABLE invoices DROP COLUMN reminder_sent_at;
