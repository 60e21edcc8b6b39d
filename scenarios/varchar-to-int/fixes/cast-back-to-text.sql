-- A tempting roll-forward: "the column should have stayed VARCHAR", so add
-- a VARCHAR column, copy the integers into it as text and switch to it.
-- The apps work again, but the copy starts from the corrupted column: it is
-- the down migration's loss.  The scorecard lists the legacy codes as
-- corrupted seed facts ('007' found '7', 'A12' found '12' or '0') and, on
-- PostgreSQL, the codes the conversion made NULL as lost fields.
-- @expect verdict=fail

-- @fix postgres
BEGIN;
ALTER TABLE orders ADD COLUMN code_text varchar(16);
UPDATE orders SET code_text = code::text;
ALTER TABLE orders RENAME COLUMN code TO code_int_corrupted;
ALTER TABLE orders RENAME COLUMN code_text TO code;
COMMIT;

-- @fix sqlite
BEGIN IMMEDIATE;
ALTER TABLE orders ADD COLUMN code_text VARCHAR(16);
UPDATE orders SET code_text = CAST(code AS TEXT);
ALTER TABLE orders RENAME COLUMN code TO code_int_corrupted;
ALTER TABLE orders RENAME COLUMN code_text TO code;
COMMIT;
