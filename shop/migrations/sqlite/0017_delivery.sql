-- Where an order is shipped and what delivering it costs. `amount` stays
-- what is charged: the lines plus `delivery_amount`. The address is the
-- order's own copy (JSON: name, line1, line2, city, state, postal_code,
-- country), kept whatever the customer later saves at Stripe. NULL for an
-- order of downloads, and for one whose address is not known yet.
ALTER TABLE orders ADD COLUMN delivery_amount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN shipping_address TEXT;
