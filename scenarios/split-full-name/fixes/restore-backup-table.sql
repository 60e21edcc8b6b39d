-- A tempting fix: "restore from the backup taken before the migration",
-- table and all, then split the names again for v2.  Every full_name is
-- exact, but the backup knows nothing written since: every person v2
-- registered during the incident is gone (lost rows, incident window), and
-- every e-mail changed during the incident is back to its older value
-- (corrupted: "an older acknowledged value").  ("When Database Down
-- Migrations Are Safe", "Data Loss Is Permanent".)
-- @expect verdict=fail

-- @fix sqlite
BEGIN IMMEDIATE;
DROP TABLE people;
CREATE TABLE people (
    id         INTEGER PRIMARY KEY,
    full_name  TEXT,
    email      TEXT NOT NULL,
    first_name TEXT,
    last_name  TEXT
);
INSERT INTO people (id, full_name, email, first_name, last_name)
    SELECT id, full_name, email,
           CASE WHEN instr(trim(full_name), ' ') > 0
                THEN substr(trim(full_name), 1, instr(trim(full_name), ' ') - 1)
                ELSE trim(full_name) END,
           CASE WHEN instr(trim(full_name), ' ') > 0
                THEN trim(substr(trim(full_name), instr(trim(full_name), ' ') + 1))
                ELSE '' END
    FROM backup.people;
COMMIT;

-- @fix postgres
BEGIN;
DROP TABLE people;
CREATE TABLE people (
    id         integer PRIMARY KEY,
    full_name  text,
    email      text NOT NULL,
    first_name text,
    last_name  text
);
INSERT INTO people (id, full_name, email, first_name, last_name)
    SELECT id, full_name, email,
           split_part(btrim(full_name), ' ', 1),
           btrim(substr(btrim(full_name), length(split_part(btrim(full_name), ' ', 1)) + 2))
    FROM backup.people;
COMMIT;
