-- The same way back from Alembic, as 'alembic downgrade 0002:0001 --sql'
-- writes it in offline mode.  Drill it with:
--   mdrill run phone-not-null --down downs/alembic-downgrade.sql
BEGIN;

-- Running downgrade 0002 -> 0001

ALTER TABLE users DROP COLUMN phone_number;

UPDATE alembic_version SET version_num='0001' WHERE alembic_version.version_num = '0002';

COMMIT;

