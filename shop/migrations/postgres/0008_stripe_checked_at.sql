-- When the shop last asked Stripe about an undecided order on a page's
-- behalf. Pages following a payment read the database, which webhooks keep
-- current, and ask Stripe at most once per order every 30 seconds, whichever
-- instance serves them.
ALTER TABLE orders ADD COLUMN stripe_checked_at BIGINT ;
