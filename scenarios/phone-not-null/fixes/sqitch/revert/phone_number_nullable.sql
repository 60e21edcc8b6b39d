-- Revert accounts:phone_number_nullable
BEGIN;
ALTER TABLE users ALTER COLUMN phone_number SET NOT NULL;
COMMIT;
