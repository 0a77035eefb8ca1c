-- The two trees name every index alike (a test compares them): PostgreSQL's
-- unique index on lower(email) takes the name this tree gave it (0014).
-- Nothing to change here.
SELECT 1;
