-- An order is what a customer pays for: a snapshot of the cart, priced on
-- the server, and the PaymentIntent that pays it.
CREATE TABLE orders (
    id                INTEGER PRIMARY KEY,
    customer_id       INTEGER NOT NULL REFERENCES customers (id),
    status            TEXT    NOT NULL CHECK (status IN ('awaiting_payment', 'processing', 'paid', 'payment_failed', 'canceled')),
    currency          TEXT    NOT NULL CHECK (currency IN ('eur', 'usd')),
    amount            INTEGER NOT NULL CHECK (amount > 0),
    payment_intent_id TEXT    UNIQUE,
    failure_message   TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    paid_at           INTEGER
);
CREATE INDEX orders_customer ON orders (customer_id, created_at);
-- At most one order per customer is open for payment at a time.
CREATE UNIQUE INDEX orders_one_open ON orders (customer_id) WHERE status IN ('awaiting_payment', 'payment_failed');

CREATE TABLE order_lines (
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id  TEXT    NOT NULL,
    name_en     TEXT    NOT NULL,
    name_fr     TEXT    NOT NULL,
    unit_amount INTEGER NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    PRIMARY KEY (order_id, product_id)
);
