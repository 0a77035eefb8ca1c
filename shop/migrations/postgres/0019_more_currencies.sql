-- Prices and accounts in Canadian, British, Australian and New Zealand
-- money (their bank debits: pre-authorized, Bacs, BECS). PostgreSQL widens
-- the currency checks in place (SQLite rebuilds the tables: see its copy).
ALTER TABLE products ADD COLUMN price_cad BIGINT NOT NULL DEFAULT 1 CHECK (price_cad > 0);
ALTER TABLE products ADD COLUMN price_gbp BIGINT NOT NULL DEFAULT 1 CHECK (price_gbp > 0);
ALTER TABLE products ADD COLUMN price_aud BIGINT NOT NULL DEFAULT 1 CHECK (price_aud > 0);
ALTER TABLE products ADD COLUMN price_nzd BIGINT NOT NULL DEFAULT 1 CHECK (price_nzd > 0);

ALTER TABLE customers DROP CONSTRAINT customers_currency_check;
ALTER TABLE customers ADD CONSTRAINT customers_currency_check
    CHECK (currency IN ('eur', 'usd', 'cad', 'gbp', 'aud', 'nzd'));
ALTER TABLE orders DROP CONSTRAINT orders_currency_check;
ALTER TABLE orders ADD CONSTRAINT orders_currency_check
    CHECK (currency IN ('eur', 'usd', 'cad', 'gbp', 'aud', 'nzd'));
