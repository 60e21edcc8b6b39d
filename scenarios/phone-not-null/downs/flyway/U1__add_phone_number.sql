-- The Flyway undo script of V1__add_phone_number.sql: what Flyway Teams
-- generates as the way back, and the essay's "down migration" lie.  Drill
-- it with: mdrill run phone-not-null --down downs/flyway
ALTER TABLE users DROP COLUMN phone_number;
