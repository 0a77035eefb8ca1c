-- The two trees name every index alike (a test compares them): the unique
-- index on lower(email) took SQLite's name.
ALTER INDEX customers_email RENAME TO customers_email_lower;
