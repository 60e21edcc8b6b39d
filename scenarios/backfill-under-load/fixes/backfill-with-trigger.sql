-- version_003: fill amount_big on every insert first, then backfill the
-- rows written before, in the same batches of 4 as backfill-by-null.sql.
-- Once the trigger is in, no insert leaves amount_big NULL, so the set the
-- batches walk only shrinks: ceil(N / 4) batches fill the N rows that were
-- NULL when the trigger landed, and the next one finds none.  (Walking the
-- key range with a cursor, or stopping at the largest id when the backfill
-- started, makes progress too; the trigger is what keeps the rows inserted
-- after it right.)  Contracting (dropping amount) waits until v1 is gone.
-- @expect verdict=pass
-- @expect lost=0

-- SQLite triggers cannot change NEW: an AFTER trigger updates the row.
-- @fix sqlite
CREATE TRIGGER payments_fill_amount_big AFTER INSERT ON payments
WHEN NEW.amount_big IS NULL
BEGIN
    UPDATE payments SET amount_big = NEW.amount WHERE id = NEW.id;
END;
-- @repeat max=300
UPDATE payments SET amount_big = amount
 WHERE id IN (SELECT id FROM payments WHERE amount_big IS NULL LIMIT 4);

-- @fix postgres
CREATE FUNCTION payments_fill_amount_big() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.amount_big IS NULL THEN
        NEW.amount_big := NEW.amount;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER payments_fill_amount_big BEFORE INSERT ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_fill_amount_big();
-- @repeat max=300
UPDATE payments SET amount_big = amount
 WHERE id IN (SELECT id FROM payments WHERE amount_big IS NULL LIMIT 4);
