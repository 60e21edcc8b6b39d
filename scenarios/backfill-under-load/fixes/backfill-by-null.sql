-- The backfill of pgroll's issue 583: batches of "rows still needing the
-- value", repeated until a batch finds none, and nothing for the rows the
-- old code inserts meanwhile.  Under load v1 inserts more NULL rows
-- between two batches (4.8 on average here) than a batch fills (4), so
-- every batch finds work and the backfill never finishes: after its 300
-- runs (the deploy's budget) it gives up, with rows still NULL and v2's
-- refunds of them failing.  A bigger batch only moves the tipping point:
-- as long as the set it walks can grow, the load decides when it ends.
-- It does not apply (the deploy gives up on it: error class other).
-- @expect apply=fail:other verdict=fail

-- @repeat max=300
UPDATE payments SET amount_big = amount
 WHERE id IN (SELECT id FROM payments WHERE amount_big IS NULL LIMIT 4);
