-- Counts the changes to an order's lines and amount. The checkout asks Stripe
-- for a new amount outside any transaction, then writes the new lines only if
-- the order is still the version it read: no lock is held across Stripe.
ALTER TABLE orders ADD COLUMN version BIGINT  NOT NULL DEFAULT 0;
