-- Refunds of paid orders (the SQLite twin of this file says more).
CREATE TABLE order_refunds (
    id             TEXT    PRIMARY KEY,
    order_id       BIGINT  NOT NULL REFERENCES orders (id),
    amount         BIGINT  NOT NULL CHECK (amount > 0),
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'requires_action', 'succeeded', 'failed', 'canceled')),
    reason         TEXT,
    failure_reason TEXT,
    created_at     BIGINT  NOT NULL,
    failed_at      BIGINT
);
CREATE INDEX order_refunds_order ON order_refunds (order_id, created_at);

ALTER TABLE orders ADD COLUMN refunded_amount BIGINT NOT NULL DEFAULT 0;
