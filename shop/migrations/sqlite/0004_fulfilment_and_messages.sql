-- What the shop must ship: one row per paid order, written in the same
-- transaction that makes the order paid, so an order is fulfilled exactly
-- once whether the webhook or the return page learns of the payment first.
CREATE TABLE fulfilments (
    order_id   INTEGER PRIMARY KEY REFERENCES orders (id),
    items      INTEGER NOT NULL CHECK (items > 0),
    created_at INTEGER NOT NULL
);

-- What the shop tells a customer about an order, and the transactional
-- outbox that delivers it. A message is written in the same transaction as
-- the order change it reports; the outbox worker delivers it afterwards.
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('order_confirmed', 'payment_pending', 'payment_failed')),
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    -- A path in the shop the message points to (the order history, or the
    -- checkout to try again).
    link            TEXT    NOT NULL,
    -- pending: to deliver at next_attempt_at; sending: claimed by the worker
    -- (a crash here is not retried, so nothing is sent twice); sent: e-mailed;
    -- kept: shown on the messages page only (no SMTP configured); superseded:
    -- a failure notice the customer no longer needs (the order was paid
    -- meanwhile); failed: gave up after retries; interrupted: the process
    -- stopped while sending, so it may or may not have gone out.
    delivery        TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (delivery IN ('pending', 'sending', 'sent', 'kept', 'superseded', 'failed', 'interrupted')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    delivered_at    INTEGER,
    created_at      INTEGER NOT NULL
);
-- One confirmation per order, whatever happens.
CREATE UNIQUE INDEX messages_one_confirmation ON messages (order_id) WHERE kind = 'order_confirmed';
CREATE INDEX messages_due ON messages (next_attempt_at) WHERE delivery = 'pending';
CREATE INDEX messages_customer ON messages (customer_id, created_at);
