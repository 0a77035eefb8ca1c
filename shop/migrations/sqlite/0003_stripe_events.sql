-- Every Stripe event the webhook accepted, recorded in the same transaction
-- as the order change it caused: a redelivered event finds its id here and
-- changes nothing.
CREATE TABLE stripe_events (
    id                TEXT    PRIMARY KEY,
    type              TEXT    NOT NULL,
    payment_intent_id TEXT,
    order_id          INTEGER REFERENCES orders (id),
    -- applied: changed an order; unchanged: nothing to change (late or repeated news);
    -- ignored: not about one of our orders, or a type we do not act on.
    outcome           TEXT    NOT NULL CHECK (outcome IN ('applied', 'unchanged', 'ignored')),
    received_at       INTEGER NOT NULL
);
