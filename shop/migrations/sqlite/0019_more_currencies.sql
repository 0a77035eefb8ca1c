-- Prices and accounts in Canadian, British, Australian and New Zealand
-- money (their bank debits: pre-authorized, Bacs, BECS).
--
-- SQLite cannot change a CHECK constraint in place: `customers` and `orders`
-- are kept aside, dropped, created again with the wider list and filled
-- back (sqlite.org/lang_altertable.html, "other kinds of table schema
-- changes"). sqlx runs this in a transaction, where foreign keys stay on, so:
-- - the references to them are checked at the commit, when the new tables
--   hold the same rows (`defer_foreign_keys`);
-- - dropping them deletes the rows that cascade from them (sessions, carts,
--   known browsers, messages, order lines and events): those are kept
--   aside too and put back.
-- The tables are created under their own names rather than renamed: SQLite
-- counts a deferred reference as mended only when the row it names is
-- inserted into the table it names.
PRAGMA defer_foreign_keys = ON;

ALTER TABLE products ADD COLUMN price_cad INTEGER NOT NULL DEFAULT 1 CHECK (price_cad > 0);
ALTER TABLE products ADD COLUMN price_gbp INTEGER NOT NULL DEFAULT 1 CHECK (price_gbp > 0);
ALTER TABLE products ADD COLUMN price_aud INTEGER NOT NULL DEFAULT 1 CHECK (price_aud > 0);
ALTER TABLE products ADD COLUMN price_nzd INTEGER NOT NULL DEFAULT 1 CHECK (price_nzd > 0);

CREATE TEMP TABLE kept_customers AS SELECT * FROM customers;
CREATE TEMP TABLE kept_orders AS SELECT * FROM orders;
CREATE TEMP TABLE kept_sessions AS SELECT * FROM sessions;
CREATE TEMP TABLE kept_cart_items AS SELECT * FROM cart_items;
CREATE TEMP TABLE kept_known_browsers AS SELECT * FROM known_browsers;
CREATE TEMP TABLE kept_messages AS SELECT * FROM messages;
CREATE TEMP TABLE kept_order_lines AS SELECT * FROM order_lines;
CREATE TEMP TABLE kept_order_events AS SELECT * FROM order_events;

DROP TABLE customers;
DROP TABLE orders;

CREATE TABLE customers (
    id                 INTEGER PRIMARY KEY,
    email              TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name               TEXT    NOT NULL,
    password_hash      TEXT    NOT NULL,
    locale             TEXT    NOT NULL CHECK (locale IN ('en', 'fr')),
    currency           TEXT    NOT NULL CHECK (currency IN ('eur', 'usd', 'cad', 'gbp', 'aud', 'nzd')),
    country            TEXT    NOT NULL,
    -- Filled the first time the customer reaches the checkout.
    stripe_customer_id TEXT    UNIQUE,
    created_at         INTEGER NOT NULL,
    stripe_linked_by   TEXT,
    closed_at          INTEGER
);
INSERT INTO customers (id, email, name, password_hash, locale, currency, country,
                            stripe_customer_id, created_at, stripe_linked_by, closed_at)
    SELECT id, email, name, password_hash, locale, currency, country,
           stripe_customer_id, created_at, stripe_linked_by, closed_at
    FROM kept_customers;

CREATE TABLE orders (
    id                INTEGER PRIMARY KEY,
    customer_id       INTEGER NOT NULL REFERENCES customers (id),
    status            TEXT    NOT NULL CHECK (status IN ('awaiting_payment', 'processing', 'paid', 'payment_failed', 'canceled')),
    currency          TEXT    NOT NULL CHECK (currency IN ('eur', 'usd', 'cad', 'gbp', 'aud', 'nzd')),
    amount            INTEGER NOT NULL CHECK (amount > 0),
    payment_intent_id TEXT    UNIQUE,
    failure_message   TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    paid_at           INTEGER,
    version           INTEGER NOT NULL DEFAULT 0,
    failure_reason    TEXT,
    stripe_checked_at INTEGER,
    payment_method_id TEXT,
    method_type       TEXT,
    method_label      TEXT,
    method_last4      TEXT,
    refunded_amount   INTEGER NOT NULL DEFAULT 0,
    delivery_amount   INTEGER NOT NULL DEFAULT 0,
    shipping_address  TEXT
);
INSERT INTO orders (id, customer_id, status, currency, amount, payment_intent_id, failure_message,
                         created_at, updated_at, paid_at, version, failure_reason, stripe_checked_at,
                         payment_method_id, method_type, method_label, method_last4, refunded_amount,
                         delivery_amount, shipping_address)
    SELECT id, customer_id, status, currency, amount, payment_intent_id, failure_message,
           created_at, updated_at, paid_at, version, failure_reason, stripe_checked_at,
           payment_method_id, method_type, method_label, method_last4, refunded_amount,
           delivery_amount, shipping_address
    FROM kept_orders;

CREATE UNIQUE INDEX customers_email_lower ON customers (lower(email));
CREATE INDEX orders_customer ON orders (customer_id, created_at);
CREATE UNIQUE INDEX orders_one_open ON orders (customer_id) WHERE status IN ('awaiting_payment', 'payment_failed');

INSERT INTO sessions SELECT * FROM kept_sessions;
INSERT INTO cart_items SELECT * FROM kept_cart_items;
INSERT INTO known_browsers SELECT * FROM kept_known_browsers;
INSERT INTO messages SELECT * FROM kept_messages;
INSERT INTO order_lines SELECT * FROM kept_order_lines;
INSERT INTO order_events SELECT * FROM kept_order_events;
DROP TABLE kept_customers;
DROP TABLE kept_orders;
DROP TABLE kept_sessions;
DROP TABLE kept_cart_items;
DROP TABLE kept_known_browsers;
DROP TABLE kept_messages;
DROP TABLE kept_order_lines;
DROP TABLE kept_order_events;
