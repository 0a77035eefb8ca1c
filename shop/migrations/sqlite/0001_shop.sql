-- Customers who already have an account with the shop.
CREATE TABLE customers (
    id                 INTEGER PRIMARY KEY,
    email              TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name               TEXT    NOT NULL,
    password_hash      TEXT    NOT NULL,
    locale             TEXT    NOT NULL CHECK (locale IN ('en', 'fr')),
    currency           TEXT    NOT NULL CHECK (currency IN ('eur', 'usd')),
    country            TEXT    NOT NULL,
    -- Filled the first time the customer reaches the checkout.
    stripe_customer_id TEXT    UNIQUE,
    created_at         INTEGER NOT NULL
);

-- Signed-in browsers. Only a SHA-256 of the cookie's token is stored, so a
-- copy of the database does not let anyone sign in.
CREATE TABLE sessions (
    token_hash  BLOB    PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_customer ON sessions (customer_id);

CREATE TABLE products (
    id             TEXT    PRIMARY KEY,
    position       INTEGER NOT NULL,
    name_en        TEXT    NOT NULL,
    name_fr        TEXT    NOT NULL,
    description_en TEXT    NOT NULL,
    description_fr TEXT    NOT NULL,
    image          TEXT    NOT NULL,
    price_eur      INTEGER NOT NULL CHECK (price_eur > 0),
    price_usd      INTEGER NOT NULL CHECK (price_usd > 0)
);

-- The server-side cart: one row per product a customer wants.
CREATE TABLE cart_items (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    product_id  TEXT    NOT NULL REFERENCES products (id),
    quantity    INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (customer_id, product_id)
);
