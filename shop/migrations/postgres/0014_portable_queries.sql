-- Queries that read the same on SQLite and PostgreSQL. The e-mail index on
-- lower(email) came with 0001 here.
--
-- An order's lines are listed in the order they were written.
ALTER TABLE order_lines ADD COLUMN position BIGINT NOT NULL DEFAULT 0;
