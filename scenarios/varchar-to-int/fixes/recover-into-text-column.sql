-- version_003: recover the codes the INTEGER conversion ate.
-- The essay's steps ("When Roll-Forward Gets Complex"), in one transaction:
--   1. add a column of the original type, code_text VARCHAR(16);
--   2. fill it: every row gets the text of what is there now (exact for
--      everything the apps wrote since: digits, or on SQLite a return code
--      that the INTEGER column kept as text), and then every row whose code
--      is still exactly what the conversion made of its backup value gets
--      the backup's text back ('007', 'A12', ' 42', '');
--   3. switch: rename the corrupted column away and the recovered one to
--      code, so v1 and v2 write text again without a deploy;
--   4. drop code_int_corrupted in a later migration, once it is checked.
-- @expect verdict=pass

-- @fix postgres
BEGIN;
ALTER TABLE orders ADD COLUMN code_text varchar(16);
UPDATE orders SET code_text = code::text;
UPDATE orders o SET code_text = b.code
    FROM backup.orders b
    WHERE b.id = o.id
      AND o.code IS NOT DISTINCT FROM NULLIF(regexp_replace(b.code, '\D', '', 'g'), '')::integer;
ALTER TABLE orders RENAME COLUMN code TO code_int_corrupted;
ALTER TABLE orders RENAME COLUMN code_text TO code;
COMMIT;

-- SQLite: the same steps; the INTEGER column may hold text (a return code
-- v1 wrote during the incident), which CAST(... AS TEXT) keeps as it is.
-- @fix sqlite
BEGIN IMMEDIATE;
ALTER TABLE orders ADD COLUMN code_text VARCHAR(16);
UPDATE orders SET code_text = CAST(code AS TEXT);
UPDATE orders SET code_text = (SELECT b.code FROM backup.orders b WHERE b.id = orders.id)
    WHERE EXISTS (SELECT 1 FROM backup.orders b
                  WHERE b.id = orders.id AND orders.code IS CAST(b.code AS INTEGER));
ALTER TABLE orders RENAME COLUMN code TO code_int_corrupted;
ALTER TABLE orders RENAME COLUMN code_text TO code;
COMMIT;
