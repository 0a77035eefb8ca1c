-- Refunds of paid orders, as Stripe has them (the shop copies Stripe's list
-- of the PaymentIntent's refunds whenever an event says it changed). A
-- refund is money going back, not a status of the payment: the order stays
-- paid, and shows what was refunded of it.
CREATE TABLE order_refunds (
    -- Stripe's refund id (re_…).
    id             TEXT    PRIMARY KEY,
    order_id       INTEGER NOT NULL REFERENCES orders (id),
    amount         INTEGER NOT NULL CHECK (amount > 0),
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'requires_action', 'succeeded', 'failed', 'canceled')),
    reason         TEXT,
    failure_reason TEXT,
    created_at     INTEGER NOT NULL,
    -- When the shop learnt the refund failed.
    failed_at      INTEGER
);
CREATE INDEX order_refunds_order ON order_refunds (order_id, created_at);

-- What is refunded of the order: its refunds that are pending or succeeded.
ALTER TABLE orders ADD COLUMN refunded_amount INTEGER NOT NULL DEFAULT 0;
