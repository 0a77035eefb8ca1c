-- Sign-in by e-mailed code, and accounts that come from Stripe (the SQLite
-- twin of this file says more).
ALTER TABLE customers ADD COLUMN stripe_linked_by TEXT;
ALTER TABLE customers ADD COLUMN closed_at BIGINT;

CREATE TABLE sign_in_codes (
    browser_hash       BYTEA   PRIMARY KEY,
    email              TEXT    NOT NULL,
    code_hash          TEXT    NOT NULL,
    replaced_code_hash TEXT,
    link_hash          BYTEA   NOT NULL UNIQUE,
    locale             TEXT    NOT NULL CHECK (locale IN ('en', 'fr')),
    failures           BIGINT  NOT NULL DEFAULT 0,
    created_at         BIGINT  NOT NULL,
    expires_at         BIGINT  NOT NULL,
    used_at            BIGINT
);
CREATE INDEX sign_in_codes_expiry ON sign_in_codes (expires_at);

CREATE TABLE sign_in_limits (
    key            BYTEA   PRIMARY KEY,
    count          BIGINT  NOT NULL,
    window_ends_at BIGINT  NOT NULL
);
CREATE INDEX sign_in_limits_expiry ON sign_in_limits (window_ends_at);

CREATE TABLE known_browsers (
    browser_hash BYTEA   NOT NULL,
    customer_id  BIGINT  NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    last_seen_at BIGINT  NOT NULL,
    PRIMARY KEY (browser_hash, customer_id)
);

ALTER TABLE messages ALTER COLUMN customer_id DROP NOT NULL;
ALTER TABLE messages ALTER COLUMN order_id DROP NOT NULL;
ALTER TABLE messages ADD COLUMN recipient TEXT;
ALTER TABLE messages DROP CONSTRAINT messages_kind_check;
ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('order_confirmed', 'payment_pending', 'payment_failed', 'sign_in_code', 'refund_issued', 'refund_failed'));
ALTER TABLE messages ADD CONSTRAINT messages_order_check CHECK (order_id IS NOT NULL OR kind = 'sign_in_code');
ALTER TABLE messages ADD CONSTRAINT messages_recipient_check CHECK (customer_id IS NOT NULL OR recipient IS NOT NULL);
