-- Digital goods (a download): an order made only of them is fulfilled as
-- soon as its payment is `processing` (a bank debit can take days to settle,
-- and nothing ships), and its access is revoked if the debit then fails.
-- Orders with anything physical still wait for the payment to succeed.
ALTER TABLE products ADD COLUMN digital INTEGER NOT NULL DEFAULT 0 CHECK (digital IN (0, 1));
-- A snapshot, like the line's name and price.
ALTER TABLE order_lines ADD COLUMN digital INTEGER NOT NULL DEFAULT 0 CHECK (digital IN (0, 1));
-- Set when a fulfilled digital order's payment failed afterwards.
ALTER TABLE fulfilments ADD COLUMN revoked_at INTEGER;
