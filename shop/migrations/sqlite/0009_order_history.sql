-- What an order's history and receipt show.
--
-- How it was paid: the PaymentIntent's payment method as Stripe last named
-- it, and a summary of it (type; card brand or bank; last four digits),
-- fetched from Stripe after the change that revealed the method, never
-- under a database lock. The summary is cleared when the method changes.
ALTER TABLE orders ADD COLUMN payment_method_id TEXT;
ALTER TABLE orders ADD COLUMN method_type TEXT;
ALTER TABLE orders ADD COLUMN method_label TEXT;
ALTER TABLE orders ADD COLUMN method_last4 TEXT;

-- Every status an order reached, in order, written in the transaction of
-- the change itself: created, processing, paid, each failed attempt with its
-- reason, canceled.
CREATE TABLE order_events (
    id       INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    status   TEXT    NOT NULL CHECK (status IN ('awaiting_payment', 'processing', 'paid', 'payment_failed', 'canceled')),
    reason   TEXT,
    at       INTEGER NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- Orders from before this history begin with what is known of them.
INSERT INTO order_events (order_id, status, at) SELECT id, 'awaiting_payment', created_at FROM orders;
INSERT INTO order_events (order_id, status, reason, at)
    SELECT id, status, failure_reason, COALESCE(paid_at, updated_at) FROM orders WHERE status != 'awaiting_payment';
