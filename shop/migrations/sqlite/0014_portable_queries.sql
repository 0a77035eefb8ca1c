-- Queries that read the same on SQLite and PostgreSQL.
--
-- An e-mail address is looked up as lower(email) = lower(?), which this
-- index answers (the column's NOCASE uniqueness stays).
CREATE UNIQUE INDEX customers_email_lower ON customers (lower(email));

-- An order's lines are listed in the order they were written: the shop used
-- SQLite's rowid for that, which PostgreSQL does not have.
ALTER TABLE order_lines ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE order_lines SET position = rowid;
