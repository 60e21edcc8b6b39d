-- The framework's way out: since the down of N cannot run alone, run the
-- downs of N+2, N+1 and N, in that order, each in its own transaction.
-- It works, and compounds the loss: the roles v2 stored (N+2's column) and
-- the plans v2 stored (N+1's table) are dropped, teams goes, and v2, still
-- deployed, fails on every team it founds, every plan and every promotion.
-- On PostgreSQL its last transaction (the constraint and the table, each
-- locked in turn under v2's traffic) deadlocks with a writer on this seed
-- (on others it may get through): the chain stops halfway, having dropped
-- the roles and the plans.
-- @expect verdict=fail
-- @expect apply=ok sqlite
-- @expect apply=fail postgres

-- @fix postgres
BEGIN;
ALTER TABLE users DROP COLUMN role;
COMMIT;
BEGIN;
DROP TABLE team_plans;
COMMIT;
BEGIN;
ALTER TABLE users DROP CONSTRAINT users_team_id_fkey;
DROP TABLE teams;
COMMIT;

-- @fix sqlite
BEGIN IMMEDIATE;
ALTER TABLE users DROP COLUMN role;
COMMIT;
BEGIN IMMEDIATE;
DROP TABLE team_plans;
COMMIT;
BEGIN IMMEDIATE;
CREATE TABLE users_old (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    team_id INTEGER NOT NULL
);
INSERT INTO users_old (id, name, team_id) SELECT id, name, team_id FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
DROP TABLE teams;
COMMIT;
