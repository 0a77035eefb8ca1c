-- Sign-in by e-mailed code, and accounts that come from Stripe.
--
-- Accounts made by code have no password: their password_hash is '' (no
-- Argon2 hash is empty, so no password ever matches it). An account linked
-- to a customer found at Stripe records how it was picked; one whose Stripe
-- customer was deleted is closed (its orders stay).
ALTER TABLE customers ADD COLUMN stripe_linked_by TEXT;
ALTER TABLE customers ADD COLUMN closed_at INTEGER;

-- One pending code per browser: a newer request from the same browser
-- replaces it. The browser is the `shop_browser` cookie (only its SHA-256 is
-- kept), so a code typed in another browser is refused. The 6 digits are
-- kept as an Argon2id hash (costly to try all million within the 10
-- minutes), the link's 256-bit token as a SHA-256.
CREATE TABLE sign_in_codes (
    browser_hash       BLOB    PRIMARY KEY,
    email              TEXT    NOT NULL,
    code_hash          TEXT    NOT NULL,
    -- The code this one replaced, to say so when it is typed.
    replaced_code_hash TEXT,
    link_hash          BLOB    NOT NULL UNIQUE,
    locale             TEXT    NOT NULL CHECK (locale IN ('en', 'fr')),
    failures           INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    -- Set once the code or the link was accepted: never accepted twice.
    used_at            INTEGER
);
CREATE INDEX sign_in_codes_expiry ON sign_in_codes (expires_at);

-- Counters for asking for codes and guessing them, one per key and window.
-- Keys are SHA-256 hashes of what they count ('sent:e-mail', 'sent:address',
-- 'guess:e-mail:address', …): never an e-mail itself. Rows are deleted
-- once their window is over.
CREATE TABLE sign_in_limits (
    key            BLOB    PRIMARY KEY,
    count          INTEGER NOT NULL,
    window_ends_at INTEGER NOT NULL
);
CREATE INDEX sign_in_limits_expiry ON sign_in_limits (window_ends_at);

-- Browsers an account has signed in from: their owner is never held back by
-- limits that strangers can fill for an e-mail address.
CREATE TABLE known_browsers (
    browser_hash BLOB    NOT NULL,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    last_seen_at INTEGER NOT NULL,
    PRIMARY KEY (browser_hash, customer_id)
);

-- Messages can now go to an e-mail address without an account (a sign-in
-- code), and about no order. SQLite cannot relax NOT NULL or a CHECK in
-- place: the table is built again with the same rows.
CREATE TABLE messages_new (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER REFERENCES customers (id) ON DELETE CASCADE,
    order_id        INTEGER REFERENCES orders (id),
    -- For a message to an address without an account (sign-in codes).
    recipient       TEXT,
    kind            TEXT    NOT NULL CHECK (kind IN ('order_confirmed', 'payment_pending', 'payment_failed', 'sign_in_code', 'refund_issued', 'refund_failed')),
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    link            TEXT    NOT NULL,
    delivery        TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (delivery IN ('pending', 'sending', 'sent', 'kept', 'superseded', 'failed', 'interrupted')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    delivered_at    INTEGER,
    created_at      INTEGER NOT NULL,
    claimed_by      TEXT,
    CHECK (order_id IS NOT NULL OR kind = 'sign_in_code'),
    CHECK (customer_id IS NOT NULL OR recipient IS NOT NULL)
);
INSERT INTO messages_new (id, customer_id, order_id, kind, subject, body, link, delivery, attempts,
                          next_attempt_at, last_error, delivered_at, created_at, claimed_by)
    SELECT id, customer_id, order_id, kind, subject, body, link, delivery, attempts,
           next_attempt_at, last_error, delivered_at, created_at, claimed_by FROM messages;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
CREATE UNIQUE INDEX messages_one_confirmation ON messages (order_id) WHERE kind = 'order_confirmed';
CREATE INDEX messages_due ON messages (next_attempt_at, id) WHERE delivery = 'pending';
CREATE INDEX messages_customer ON messages (customer_id, created_at);
CREATE INDEX messages_sending ON messages (id) WHERE delivery = 'sending';
