CREATE INDEX users_phone_number ON users (phone_number);
